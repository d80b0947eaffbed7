// One engine metrics line (as the bundle's parsers read TRL's metrics.jsonl or verl's logs) as a point of the
// reward curves; `rewards/<func>/mean` (TRL's per-reward-function means) become the per-grader scores.
import type { EngineMetricsLine } from '../bundles/metricsLine';
import type { JobProgress, MetricPoint } from '../jobFile';
import { epochOfStep } from '../progress';

export function engineMetricPoint(line: EngineMetricsLine, at: string): MetricPoint {
  const graders: Record<string, number> = {};
  for (const [key, value] of Object.entries(line.values)) {
    const name = /^rewards\/(.+)\/mean$/.exec(key)?.[1];
    if (name) graders[name] = value;
  }
  return {
    step: line.step,
    ...(line.epoch !== undefined ? { epoch: line.epoch } : {}),
    ...(line.trainReward !== undefined ? { train_reward_mean: line.trainReward } : {}),
    ...(line.validReward !== undefined ? { valid_reward_mean: line.validReward } : {}),
    ...(Object.keys(graders).length > 0 ? { graders } : {}),
    values: { ...line.values },
    at,
  };
}

/**
 * The job's progress after some engine lines: the newest step, the total when the engine says it, the epoch
 * (1-based; TRL reports a fraction, 0.4 = 40 % into the first; verl the 0-based index of the loop).
 */
export function engineProgress(progress: JobProgress, lines: readonly EngineMetricsLine[], totalEpochs: number | undefined, epochs: 'fraction' | 'zeroBased'): JobProgress {
  let next = progress;
  for (const line of lines) {
    const totalSteps = line.totalSteps ?? next.totalSteps;
    const epoch = line.epoch === undefined ? epochOfStep(line.step, totalSteps, totalEpochs) : epochs === 'zeroBased' ? Math.floor(line.epoch) + 1 : Math.max(1, Math.ceil(line.epoch));
    next = {
      ...next,
      step: Math.max(line.step, next.step ?? 0),
      ...(totalSteps !== undefined ? { totalSteps } : {}),
      ...(epoch !== undefined ? { epoch } : {}),
      ...(totalEpochs !== undefined ? { totalEpochs } : {}),
    };
  }
  return next;
}
