// How far a job is, in one line ("45 % · epoch 1/2 · train 0.52 · valid 0.48"): step 6 of the pipeline, the CLI
// and the monitor say it the same way.
import type { JobRecord, MetricPoint } from './jobFile';

export interface JobSummary {
  /** Share of the steps done, in [0, 1], when the backend says how many steps there are. */
  readonly fraction?: number;
  readonly epoch?: number;
  readonly totalEpochs?: number;
  /** The newest train and validation reward means reported. */
  readonly train?: number;
  readonly valid?: number;
}

export function jobSummary(job: Pick<JobRecord, 'progress' | 'metrics' | 'status'>): JobSummary {
  const { step, totalSteps, epoch, totalEpochs } = job.progress;
  const fraction = job.status === 'succeeded' ? 1 : step !== undefined && totalSteps ? Math.min(1, step / totalSteps) : undefined;
  return {
    ...(fraction !== undefined ? { fraction } : {}),
    ...(epoch !== undefined ? { epoch } : {}),
    ...(totalEpochs !== undefined ? { totalEpochs } : {}),
    ...newest(job.metrics, 'train_reward_mean', 'train'),
    ...newest(job.metrics, 'valid_reward_mean', 'valid'),
  };
}

export function summaryLine(summary: JobSummary): string {
  const parts: string[] = [];
  if (summary.fraction !== undefined) parts.push(`${Math.round(summary.fraction * 100)} %`);
  if (summary.epoch !== undefined) parts.push(`epoch ${summary.epoch}${summary.totalEpochs !== undefined ? `/${summary.totalEpochs}` : ''}`);
  if (summary.train !== undefined) parts.push(`train ${summary.train.toFixed(2)}`);
  if (summary.valid !== undefined) parts.push(`valid ${summary.valid.toFixed(2)}`);
  return parts.join(' · ');
}

/** The epoch a step falls in (1-based) when the steps are spread evenly over the epochs. */
export function epochOfStep(step: number, totalSteps: number | undefined, totalEpochs: number | undefined): number | undefined {
  if (!totalSteps || !totalEpochs || step <= 0) return undefined;
  return Math.min(totalEpochs, Math.ceil((step / totalSteps) * totalEpochs));
}

function newest(metrics: readonly MetricPoint[], key: 'train_reward_mean' | 'valid_reward_mean', as: 'train' | 'valid'): Partial<JobSummary> {
  for (let at = metrics.length - 1; at >= 0; at--) {
    const value = metrics[at][key];
    if (typeof value === 'number') return { [as]: value };
  }
  return {};
}
