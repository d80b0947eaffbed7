// One parsed line of an open engine's training log (TRL's metrics.jsonl, verl's file logger or console): the shape
// the training monitor reads, whichever engine wrote it.

export interface EngineMetricsLine {
  /** The optimizer step the values belong to. */
  readonly step: number;
  readonly epoch?: number;
  readonly totalSteps?: number;
  /** Mean reward of the step's training completions. */
  readonly trainReward?: number;
  /** Mean reward on the validation set, on the steps that evaluated. */
  readonly validReward?: number;
  /** Every finite numeric value of the line, by the engine's own key. */
  readonly values: Readonly<Record<string, number>>;
}

/** The finite numbers of an object (numeric strings too), by key; the rest is dropped. */
export function numericValues(source: Readonly<Record<string, unknown>>): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, value] of Object.entries(source)) {
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isFinite(number)) values[key] = number;
  }
  return values;
}

/** JSON that Python's json.dumps may have written with bare NaN / Infinity (not JSON): those read as null. */
export function parsePythonJson(line: string): unknown {
  try {
    return JSON.parse(line.replace(/(?<=[:,[]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, 'null'));
  } catch {
    return undefined;
  }
}
