// The TRL bundle's metrics file (exports/trl/metrics.jsonl, written by train_grpo.py's MetricsFileCallback on every
// `on_log`): one JSON object a line,
//   {"step": 12, "epoch": 0.4, "total_steps": 30, "time": "2026-12-01T22:16:04Z", "kind": "train" | "eval",
//    "metrics": {"reward": 0.52, "reward_std": 0.2, "loss": 0.01, "rewards/reward/mean": 0.52, "eval_reward": 0.48, ...}}
// TRL's own log keys are kept as they are: training rows carry `reward`, `reward_std`, `frac_reward_zero_std`,
// `rewards/<func>/mean`; evaluation rows the same with an `eval_` prefix. A last line has "kind": "end".
import { numericValues, parsePythonJson, type EngineMetricsLine } from './metricsLine';

export const TRL_METRICS_FILE = 'metrics.jsonl';

export interface TrlMetricsLine extends EngineMetricsLine {
  readonly kind: 'train' | 'eval' | 'end';
  readonly time?: string;
}

/** One line of metrics.jsonl, or undefined for a blank, partial or foreign line. */
export function parseTrlMetricsLine(line: string): TrlMetricsLine | undefined {
  if (line.trim() === '') return undefined;
  const parsed = parsePythonJson(line.trim()) as { step?: unknown; epoch?: unknown; total_steps?: unknown; time?: unknown; kind?: unknown; metrics?: unknown } | undefined;
  if (!parsed || typeof parsed !== 'object' || typeof parsed.step !== 'number' || !Number.isInteger(parsed.step)) return undefined;
  const values = parsed.metrics && typeof parsed.metrics === 'object' ? numericValues(parsed.metrics as Record<string, unknown>) : {};
  const kind = parsed.kind === 'eval' || parsed.kind === 'end' ? parsed.kind : 'train';
  return {
    kind,
    step: parsed.step,
    ...(typeof parsed.epoch === 'number' && Number.isFinite(parsed.epoch) ? { epoch: parsed.epoch } : {}),
    ...(typeof parsed.total_steps === 'number' && parsed.total_steps > 0 ? { totalSteps: parsed.total_steps } : {}),
    ...(typeof parsed.time === 'string' ? { time: parsed.time } : {}),
    ...(values.reward !== undefined ? { trainReward: values.reward } : {}),
    ...(values.eval_reward !== undefined ? { validReward: values.eval_reward } : {}),
    values,
  };
}
