// verl's training log lines: the `console` logger's `step:N - key:value - key:value` lines (verl/utils/logger/
// aggregate_logger.py), whose values may print as `np.float64(0.5)`; in Ray job logs a line may carry a prefix such
// as `(TaskRunner pid=42) `. The bundle runs the console logger only (verl 0.7.0's `file` logger crashes on numpy
// ints); the file logger's JSONL `{"step": N, "data": {...}}` still parses, for runs made with another verl.
// Train reward: `critic/score/mean`; validation reward: `val-core/<data_source>/reward/mean@N` (or `acc/mean@N`);
// epoch: `training/epoch`. And the launch script's own line that says where the trained model is.
import { numericValues, parsePythonJson, type EngineMetricsLine } from './metricsLine';

const CONSOLE_STEP = /(?:^|\s)step:(\d+)(?= - |\s*$)/;
const NUMPY_SCALAR = /^np\.\w+\((.*)\)$/;

/** One verl log line (file logger JSON or console), or undefined for anything else. */
export function parseVerlMetricsLine(line: string): EngineMetricsLine | undefined {
  const text = line.trim();
  if (text.startsWith('{')) return fromFileLogger(text);
  const match = CONSOLE_STEP.exec(text);
  if (!match) return undefined;
  const raw: Record<string, unknown> = {};
  for (const part of text.slice(match.index + match[0].length).split(' - ')) {
    const colon = part.lastIndexOf(':');
    if (colon <= 0) continue;
    raw[part.slice(0, colon).trim()] = pythonNumber(part.slice(colon + 1).trim());
  }
  return fromValues(Number(match[1]), numericValues(raw));
}

function fromFileLogger(text: string): EngineMetricsLine | undefined {
  const parsed = parsePythonJson(text) as { step?: unknown; data?: unknown } | undefined;
  if (!parsed || typeof parsed.step !== 'number' || !Number.isInteger(parsed.step) || !parsed.data || typeof parsed.data !== 'object') return undefined;
  return fromValues(parsed.step, numericValues(parsed.data as Record<string, unknown>));
}

/** `np.float64(0.25)` → 0.25, `True` → 1; anything else as Number reads it. */
function pythonNumber(text: string): number {
  const inner = NUMPY_SCALAR.exec(text)?.[1] ?? text;
  if (inner === 'True') return 1;
  if (inner === 'False') return 0;
  return inner === '' ? NaN : Number(inner);
}

function fromValues(step: number, values: Record<string, number>): EngineMetricsLine {
  const trainReward = values['critic/score/mean'] ?? values['critic/rewards/mean'];
  const validKey = Object.keys(values).find((key) => /^val-core\/.+\/(reward|acc)\/mean@\d+$/.test(key));
  const epoch = values['training/epoch'];
  const totalSteps = values['training/total_steps'];
  return {
    step,
    ...(epoch !== undefined ? { epoch } : {}),
    ...(totalSteps !== undefined ? { totalSteps } : {}),
    ...(trainReward !== undefined ? { trainReward } : {}),
    ...(validKey !== undefined ? { validReward: values[validKey] } : {}),
    values,
  };
}

/** What launch.sh prints once verl has saved the Hugging Face model: the marker, then JSON. */
export const VERL_RESULT_MARKER = 'rft-studio result:';

export interface VerlResultLine {
  /** The Hugging Face model's folder, absolute, on the node that wrote it. */
  readonly path: string;
  readonly step?: number;
  readonly checkpointDir?: string;
}

/** The launch script's result line, or undefined for any other line. */
export function parseVerlResultLine(line: string): VerlResultLine | undefined {
  const at = line.indexOf(VERL_RESULT_MARKER);
  if (at < 0) return undefined;
  const parsed = parsePythonJson(line.slice(at + VERL_RESULT_MARKER.length).trim()) as { path?: unknown; step?: unknown; checkpoint_dir?: unknown } | undefined;
  if (!parsed || typeof parsed.path !== 'string' || !parsed.path.startsWith('/')) return undefined;
  return {
    path: parsed.path,
    ...(Number.isInteger(parsed.step) ? { step: parsed.step as number } : {}),
    ...(typeof parsed.checkpoint_dir === 'string' ? { checkpointDir: parsed.checkpoint_dir } : {}),
  };
}
