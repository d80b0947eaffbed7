// A job file of src/core/train as the training monitor shows it (src/shared/trainProtocol). Pure: no `vscode`.
import type { BackendCapabilities } from '../../core/train/backend';
import { rewardOf, type JobRecord, type MetricPoint } from '../../core/train/jobFile';
import { jobSummary, summaryLine } from '../../core/train/progress';
import type { JobView, MetricPointView, SplitFigures } from '../../shared/trainProtocol';

/** Events sent to the panel (the newest); the job file keeps more. */
export const EVENTS_SENT = 100;

const NO_CONTROLS: BackendCapabilities = { pause: false, resume: false, cancel: false };

/** The job for the panel; `capabilities` are its backend's, or none when the backend cannot be reached from here. */
export function jobView(job: JobRecord, capabilities: BackendCapabilities = NO_CONTROLS): JobView {
  const summary = jobSummary(job);
  const { step, totalSteps, epoch, totalEpochs } = job.progress;
  return {
    id: job.id,
    backend: job.backend,
    ...(job.remoteId ? { remoteId: job.remoteId } : {}),
    model: job.model,
    status: job.status,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    summary: summaryLine(summary),
    ...(summary.fraction !== undefined ? { fraction: summary.fraction } : {}),
    ...(step !== undefined ? { step } : {}),
    ...(totalSteps !== undefined ? { totalSteps } : {}),
    ...(epoch !== undefined ? { epoch } : {}),
    ...(totalEpochs !== undefined ? { totalEpochs } : {}),
    ...(job.estimatedFinish ? { estimatedFinish: job.estimatedFinish } : {}),
    metrics: job.metrics.map(metricView),
    events: job.events.slice(-EVENTS_SENT).map((event) => ({ at: event.at, level: event.level, message: event.message })),
    checkpoints: job.checkpoints.map((checkpoint) => ({
      id: checkpoint.id,
      step: checkpoint.step,
      model: checkpoint.model,
      at: checkpoint.at,
      ...figures(rewardOf(checkpoint.metrics, 'train'), rewardOf(checkpoint.metrics, 'valid')),
    })),
    ...(job.resultModel ? { resultModel: job.resultModel } : {}),
    ...(job.error ? { error: job.error } : {}),
    capabilities: { pause: capabilities.pause, resume: capabilities.resume, cancel: capabilities.cancel },
  };
}

/** A point of the curves: the rewards, and where the backend reports them, per grader rewards and error rates and reasoning tokens. */
export function metricView(point: MetricPoint): MetricPointView {
  const names = [...new Set([...Object.keys(point.graders ?? {}), ...Object.keys(point.valid_graders ?? {})])];
  const graders = Object.fromEntries(names.map((name) => [name, figures(point.graders?.[name], point.valid_graders?.[name])]));
  const errors = Object.fromEntries(Object.entries(point.grader_errors ?? {}).map(([name, rates]) => [name, figures(rates.train, rates.valid)]));
  return {
    step: point.step,
    ...figures(point.train_reward_mean, point.valid_reward_mean),
    ...(names.length > 0 ? { graders } : {}),
    ...(Object.keys(errors).length > 0 ? { graderErrors: errors } : {}),
    ...(point.reasoning_tokens ? { reasoningTokens: figures(point.reasoning_tokens.train, point.reasoning_tokens.valid) } : {}),
  };
}

function figures(train: number | undefined, valid: number | undefined): SplitFigures {
  return { ...(train !== undefined ? { train } : {}), ...(valid !== undefined ? { valid } : {}) };
}
