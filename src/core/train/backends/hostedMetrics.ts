// A hosted RFT metrics event (OpenAI's RFT guide, appendix "Training metrics"; the example is
// test/fixtures/vendor/openai/rft-metrics-event.json) as a point of the curves. The rewards live in `data.scores`
// (`train_reward_mean`, `valid_reward_mean`, and one entry per grader in the ARRAY `scores.graders[]`), with the flat
// step names `train_mean_reward` / `full_valid_mean_reward` at the top as a fallback; `errors.graders[]` gives per
// grader error rates by kind, `usage.samples` the reasoning tokens, `timing.step` the durations. Nothing nested is
// mistaken for a grader: only `scores.graders[]` makes per-grader curves.
import type { GraderErrorRates, MetricPoint } from '../jobFile';

type Data = Readonly<Record<string, unknown>>;

/** Top-level fields read into their own place (the rest of the numbers become `values`). */
const READ = new Set(['step', 'total_steps', 'train_reward_mean', 'valid_reward_mean']);

export function hostedMetricPoint(data: Data, step: number, epoch: number | undefined, at: string): MetricPoint {
  const scores = objectOf(data.scores);
  const train = numberOf(scores.train_reward_mean) ?? numberOf(data.train_reward_mean) ?? numberOf(data.train_mean_reward);
  const valid = numberOf(scores.valid_reward_mean) ?? numberOf(data.valid_reward_mean) ?? numberOf(data.full_valid_mean_reward);
  const graders = perGrader(scores.graders, 'train_reward_mean');
  const validGraders = perGrader(scores.graders, 'valid_reward_mean');
  const errors = graderErrors(objectOf(data.errors).graders);
  const reasoning = reasoningTokens(data);
  const values = flatValues(data);
  return {
    step,
    ...(epoch !== undefined ? { epoch } : {}),
    ...(train !== undefined ? { train_reward_mean: train } : {}),
    ...(valid !== undefined ? { valid_reward_mean: valid } : {}),
    ...(graders ? { graders } : {}),
    ...(validGraders ? { valid_graders: validGraders } : {}),
    ...(errors ? { grader_errors: errors } : {}),
    ...(reasoning ? { reasoning_tokens: reasoning } : {}),
    ...(Object.keys(values).length > 0 ? { values } : {}),
    at,
  };
}

/** `[{name, <key>}]` → name → value, for the entries that carry a number; undefined when none does. */
function perGrader(list: unknown, key: string): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const entry of arrayOf(list)) {
    const value = numberOf(entry[key]);
    if (typeof entry.name === 'string' && value !== undefined) out[entry.name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `errors.graders[]`: `<split>_<kind>_mean` (a share of the samples) summed per split, and kept per kind. */
function graderErrors(list: unknown): Record<string, GraderErrorRates> | undefined {
  const out: Record<string, GraderErrorRates> = {};
  for (const entry of arrayOf(list)) {
    if (typeof entry.name !== 'string') continue;
    const kinds: Record<string, { train?: number; valid?: number }> = {};
    const totals: { train?: number; valid?: number } = {};
    for (const [field, raw] of Object.entries(entry)) {
      const match = /^(train|valid)_(.+_error)_mean$/.exec(field);
      const value = numberOf(raw);
      if (!match || value === undefined) continue;
      const [, split, kind] = match as unknown as [string, 'train' | 'valid', string];
      kinds[kind] = { ...kinds[kind], [split]: value };
      totals[split] = (totals[split] ?? 0) + value;
    }
    if (Object.keys(kinds).length > 0) out[entry.name] = { ...totals, kinds };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `usage.samples.{train,valid}_reasoning_tokens_mean`, else the flat `reasoning_tokens_mean` / `valid_reasoning_tokens_mean`. */
function reasoningTokens(data: Data): { train?: number; valid?: number } | undefined {
  const samples = objectOf(objectOf(data.usage).samples);
  const train = numberOf(samples.train_reasoning_tokens_mean) ?? numberOf(data.reasoning_tokens_mean);
  const valid = numberOf(samples.valid_reasoning_tokens_mean) ?? numberOf(data.valid_reasoning_tokens_mean);
  if (train === undefined && valid === undefined) return undefined;
  return { ...(train !== undefined ? { train } : {}), ...(valid !== undefined ? { valid } : {}) };
}

/** The top-level numbers not read elsewhere, and the step durations as `timing.<part>` (seconds). */
function flatValues(data: Data): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, raw] of Object.entries(data)) {
    const value = numberOf(raw);
    if (value !== undefined && !READ.has(key)) values[key] = value;
  }
  for (const [part, raw] of Object.entries(objectOf(objectOf(data.timing).step))) {
    const value = numberOf(raw);
    if (value !== undefined) values[`timing.${part}`] = value;
  }
  return values;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function objectOf(value: unknown): Data {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : {};
}

function arrayOf(value: unknown): Data[] {
  return Array.isArray(value) ? value.filter((entry): entry is Data => !!entry && typeof entry === 'object' && !Array.isArray(entry)) : [];
}
