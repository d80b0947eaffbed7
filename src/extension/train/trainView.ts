// A job file of src/core/train as the training monitor shows it (src/shared/trainProtocol). Pure: no `vscode`.
import type { BackendCapabilities } from '../../core/train/backend';
import type { JobRecord } from '../../core/train/jobFile';
import { jobSummary, summaryLine } from '../../core/train/progress';
import type { JobView } from '../../shared/trainProtocol';

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
    metrics: job.metrics.map((point) => ({ step: point.step, ...(point.train_reward_mean !== undefined ? { train: point.train_reward_mean } : {}), ...(point.valid_reward_mean !== undefined ? { valid: point.valid_reward_mean } : {}) })),
    events: job.events.slice(-EVENTS_SENT).map((event) => ({ at: event.at, level: event.level, message: event.message })),
    checkpoints: job.checkpoints.map((checkpoint) => ({
      id: checkpoint.id,
      step: checkpoint.step,
      model: checkpoint.model,
      at: checkpoint.at,
      ...(checkpoint.metrics?.train_reward_mean !== undefined ? { train: checkpoint.metrics.train_reward_mean } : {}),
      ...(checkpoint.metrics?.valid_reward_mean !== undefined ? { valid: checkpoint.metrics.valid_reward_mean } : {}),
    })),
    ...(job.resultModel ? { resultModel: job.resultModel } : {}),
    ...(job.error ? { error: job.error } : {}),
    capabilities: { pause: capabilities.pause, resume: capabilities.resume, cancel: capabilities.cancel },
  };
}
