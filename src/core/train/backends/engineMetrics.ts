// One metrics line of an engine (as the bundle's parsers read it) as a point of the reward curves. The names are
// the engines' own (DESIGN §5): TRL logs `reward`, `rewards/<func>/mean`, `eval_reward`; verl logs
// `critic/score/mean` (the reward function's score), `val-core/<source>/reward/mean@N` or `val/test_score/<source>`.
import type { MetricPoint } from '../jobFile';

export interface EngineMetricLine {
  readonly step: number;
  readonly values: Readonly<Record<string, number>>;
}

export interface EnginePoint {
  readonly step: number;
  readonly totalSteps?: number;
  readonly epoch?: number;
  readonly metric: MetricPoint;
}

const TRAIN_KEYS = ['reward', 'train/reward', 'critic/score/mean', 'critic/rewards/mean'];
const VALID_KEYS = ['eval_reward', 'eval/reward'];
const TOTAL_KEYS = ['total_steps', 'max_steps', 'training/total_steps'];
const EPOCH_KEYS = ['epoch', 'training/epoch'];

export function engineMetricPoint(line: EngineMetricLine, at: string): EnginePoint {
  const values = line.values;
  const first = (keys: readonly string[]) => keys.map((key) => values[key]).find((value) => typeof value === 'number' && Number.isFinite(value));
  const valid = first(VALID_KEYS) ?? Object.entries(values).find(([key]) => /^val(-core)?\/.*(reward|score)/.test(key))?.[1];
  const graders: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) {
    const name = /^rewards\/(.+)\/mean$/.exec(key)?.[1];
    if (name) graders[name] = value;
  }
  const train = first(TRAIN_KEYS);
  const epoch = first(EPOCH_KEYS);
  const totalSteps = first(TOTAL_KEYS);
  return {
    step: line.step,
    ...(totalSteps !== undefined ? { totalSteps } : {}),
    ...(epoch !== undefined ? { epoch } : {}),
    metric: {
      step: line.step,
      ...(epoch !== undefined ? { epoch } : {}),
      ...(train !== undefined ? { train_reward_mean: train } : {}),
      ...(valid !== undefined ? { valid_reward_mean: valid } : {}),
      ...(Object.keys(graders).length > 0 ? { graders } : {}),
      values: { ...values },
      at,
    },
  };
}
