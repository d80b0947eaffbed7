// Fine-tuning jobs and their deterministic life: every retrieve moves a job one step along
// validating_files → queued → running (one training step per retrieve, each with a metrics event and a checkpoint)
// → succeeded, unless a test scheduled a failure or the job was cancelled or paused. A reinforcement job's metrics
// event has the real shape (fineTuningMetrics.ts), and it keeps only the three checkpoints with the highest
// valid_reward_mean, as the RFT guide says. `access` plays an organisation that lost self-serve fine-tuning.
import type OpenAI from 'openai';
import { ApiError, invalidRequest, notFound } from './errors';
import { checkpointMetrics, rftMetricsEvent } from './fineTuningMetrics';
import type { FileStore } from './files';
import { nowSeconds, type IdGenerator } from './ids';
import type { JsonObject, Metadata } from './validation';

export type JobStatus = OpenAI.FineTuning.FineTuningJob['status'] | 'paused';
export type JobError = OpenAI.FineTuning.FineTuningJob.Error;
export type FineTuningJobView = Omit<OpenAI.FineTuning.FineTuningJob, 'status' | 'method'> & {
  status: JobStatus;
  method: { type: 'supervised' | 'dpo' | 'reinforcement' } & JsonObject;
  user_provided_suffix: string | null;
};
type JobEvent = OpenAI.FineTuning.FineTuningJobEvent;
type Checkpoint = OpenAI.FineTuning.Jobs.FineTuningJobCheckpoint;

export interface JobRecord {
  readonly job: FineTuningJobView;
  readonly events: JobEvent[];
  readonly checkpoints: Checkpoint[];
  step: number;
  totalSteps: number;
  scheduledFailure?: { readonly error: JobError; readonly atStatus?: JobStatus };
}

export interface NewJob {
  readonly model: string;
  readonly trainingFile: string;
  readonly validationFile: string | null;
  readonly suffix: string | null;
  readonly seed: number;
  readonly metadata: Metadata | null;
  readonly method: FineTuningJobView['method'];
  readonly hyperparameters: OpenAI.FineTuning.FineTuningJob.Hyperparameters;
}

const TERMINAL: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
/** RFT keeps "the three with the highest `valid_reward_mean`" checkpoints (test/fixtures/vendor/openai/platform-facts.json). */
export const RFT_CHECKPOINTS_KEPT = 3;

/**
 * `refused`: the organisation may not fine-tune: the jobs list and the create answer 403. `refusedOnCreate`: only the
 * create does (OpenAI documents neither; see PROVENANCE.md).
 */
export type FineTuningAccess = 'granted' | 'refused' | 'refusedOnCreate';

/** The 403 of an organisation without fine-tuning access: HTTP 403 as reported; the sentence is ours (OpenAI's is unpublished). */
export function accessRefused(): ApiError {
  return new ApiError(403, 'This organization cannot create fine-tuning jobs: self-serve fine-tuning is no longer available to it (test server wording).', 'invalid_request_error', null, null);
}

export class FineTuningJobStore {
  /** Training steps a new job runs before it succeeds (one per retrieve while running). */
  defaultTotalSteps = 3;
  access: FineTuningAccess = 'granted';
  private records: JobRecord[] = [];

  constructor(
    private readonly ids: IdGenerator,
    private readonly files: FileStore,
  ) {}

  create(input: NewJob): FineTuningJobView {
    const job: FineTuningJobView = {
      id: this.ids.next('ftjob-'),
      object: 'fine_tuning.job',
      created_at: nowSeconds(),
      error: null,
      fine_tuned_model: null,
      finished_at: null,
      hyperparameters: input.hyperparameters,
      model: input.model,
      organization_id: 'org-test',
      result_files: [],
      seed: input.seed,
      status: 'validating_files',
      trained_tokens: null,
      training_file: input.trainingFile,
      validation_file: input.validationFile,
      estimated_finish: null,
      integrations: null,
      metadata: input.metadata,
      method: input.method,
      user_provided_suffix: input.suffix,
    };
    const record: JobRecord = { job, events: [], checkpoints: [], step: 0, totalSteps: this.defaultTotalSteps };
    this.records.push(record);
    this.event(record, `Created fine-tuning job: ${job.id}`);
    this.event(record, `Validating training file: ${job.training_file}${job.validation_file ? ` and validation file: ${job.validation_file}` : ''}`);
    return job;
  }

  get(id: string): JobRecord {
    const found = this.records.find((record) => record.job.id === id);
    if (!found) throw notFound('fine-tuning job', id, 'fine_tuning_job_id');
    return found;
  }

  all(): readonly JobRecord[] {
    return this.records;
  }

  /** Makes the job fail at its next move, or when it would reach `atStatus` (e.g. 'succeeded': it trains, then fails). */
  failJob(id: string, options: { error?: Partial<JobError>; atStatus?: JobStatus } = {}): void {
    const error: JobError = { code: 'server_error', message: 'The job failed (failure scheduled by the test).', param: null, ...options.error };
    this.get(id).scheduledFailure = { error, atStatus: options.atStatus };
  }

  /** One move along the job's life; a paused or finished job stays as it is. */
  advance(id: string): FineTuningJobView {
    const record = this.get(id);
    const { job } = record;
    const target = nextStatus(record);
    if (target === undefined) return job;
    const failure = record.scheduledFailure;
    if (failure && (failure.atStatus === undefined || failure.atStatus === target)) {
      this.fail(record, failure.error);
      return job;
    }
    if (job.status === 'validating_files') {
      job.status = 'queued';
      this.event(record, 'Files validated, moving job to queued state');
    } else if (job.status === 'queued') {
      job.status = 'running';
      this.resolveHyperparameters(record);
      this.event(record, 'Fine-tuning job started');
      this.estimateFinish(record);
    } else {
      this.trainOneStep(record);
      if (target === 'succeeded') this.succeed(record);
      else this.estimateFinish(record);
    }
    return job;
  }

  cancel(id: string): FineTuningJobView {
    const record = this.get(id);
    if (TERMINAL.includes(record.job.status)) {
      throw invalidRequest(`Job ${id} has already ${record.job.status === 'cancelled' ? 'been cancelled' : record.job.status}, so it cannot be cancelled.`, 'fine_tuning_job_id');
    }
    record.job.status = 'cancelled';
    this.event(record, 'Fine-tuning job cancelled');
    return record.job;
  }

  pause(id: string): FineTuningJobView {
    return this.transition(id, 'running', 'paused', 'paused');
  }

  resume(id: string): FineTuningJobView {
    return this.transition(id, 'paused', 'running', 'resumed');
  }

  /** Pause and resume: only from one status to the other, as the API allows. */
  private transition(id: string, from: string, to: FineTuningJobView['status'], verb: string): FineTuningJobView {
    const record = this.get(id);
    if (record.job.status !== from) throw invalidRequest(`Job ${id} cannot be ${verb}: only ${from} jobs can be ${verb} (status: ${record.job.status}).`, 'fine_tuning_job_id');
    record.job.status = to;
    this.event(record, `Fine-tuning job ${verb}`);
    return record.job;
  }

  clear(): void {
    this.records = [];
    this.access = 'granted';
    this.defaultTotalSteps = 3;
  }

  private trainOneStep(record: JobRecord): void {
    record.step += 1;
    const { data, message, metrics } = this.stepEvent(record);
    this.event(record, message, data, 'metrics');
    const checkpoint: Checkpoint = {
      id: this.ids.next('ftckpt_'),
      object: 'fine_tuning.job.checkpoint',
      created_at: nowSeconds(),
      fine_tuned_model_checkpoint: `${fineTunedModelName(record.job)}:ckpt-step-${record.step}`,
      fine_tuning_job_id: record.job.id,
      metrics: metrics as Checkpoint['metrics'],
      step_number: record.step,
    };
    record.checkpoints.push(checkpoint);
    if (record.job.method.type === 'reinforcement' && record.checkpoints.length > RFT_CHECKPOINTS_KEPT) {
      const worst = record.checkpoints.reduce((low, candidate) => (validReward(candidate) < validReward(low) ? candidate : low));
      record.checkpoints.splice(record.checkpoints.indexOf(worst), 1);
    }
    this.event(record, `Checkpoint created at step ${record.step}`);
  }

  /** The step's metrics event (and the checkpoint's metrics): the real RFT shape, or SFT's loss and token accuracy. */
  private stepEvent(record: JobRecord): { data: JsonObject; message: string; metrics: JsonObject } {
    const { method } = record.job;
    if (method.type === 'reinforcement') {
      const { data, message } = rftMetricsEvent({ step: record.step, totalSteps: record.totalSteps, reinforcement: (method.reinforcement ?? {}) as JsonObject });
      return { data, message, metrics: checkpointMetrics(data) };
    }
    const metrics = stepMetrics(record);
    const summary = Object.entries(metrics)
      .filter(([name]) => name !== 'step')
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    return { data: { ...metrics, total_steps: record.totalSteps }, message: `Step ${record.step}/${record.totalSteps}: ${summary}`, metrics };
  }

  /** A running job's ETA, as the API gives it: a minute per remaining step from now. */
  private estimateFinish(record: JobRecord): void {
    record.job.estimated_finish = nowSeconds() + 60 * (record.totalSteps - record.step);
  }

  private succeed(record: JobRecord): void {
    const { job } = record;
    const trainingBytes = this.files.all().find((item) => item.file.id === job.training_file)?.content.length ?? 0;
    const results = this.files.add({ filename: 'step_metrics.csv', purpose: 'fine-tune-results', content: metricsCsv(record) });
    job.status = 'succeeded';
    job.fine_tuned_model = fineTunedModelName(job);
    job.finished_at = nowSeconds();
    job.trained_tokens = Math.ceil(trainingBytes / 4) * record.totalSteps;
    job.result_files = [results.id];
    this.event(record, `New fine-tuned model created: ${job.fine_tuned_model}`);
    this.event(record, 'The job has successfully completed');
  }

  private fail(record: JobRecord, error: JobError): void {
    record.job.status = 'failed';
    record.job.error = error;
    record.job.finished_at = nowSeconds();
    record.scheduledFailure = undefined;
    this.event(record, error.message, {}, 'message', 'error');
  }

  private resolveHyperparameters(record: JobRecord): void {
    const settings = record.job.method[record.job.method.type] as { hyperparameters?: JsonObject } | undefined;
    const resolved: Record<string, unknown> = { batch_size: 1, learning_rate_multiplier: 1, n_epochs: 1, compute_multiplier: 1, eval_interval: 1, eval_samples: 1, beta: 0.1 };
    for (const hyperparameters of [settings?.hyperparameters, record.job.hyperparameters as JsonObject]) {
      if (!hyperparameters) continue;
      for (const [name, value] of Object.entries(hyperparameters)) if (value === 'auto' && name in resolved) hyperparameters[name] = resolved[name];
    }
  }

  private event(record: JobRecord, message: string, data: JsonObject = {}, type: 'message' | 'metrics' = 'message', level: JobEvent['level'] = 'info'): void {
    record.events.push({ id: this.ids.next('ftevent-'), object: 'fine_tuning.job.event', created_at: nowSeconds(), level, message, data, type });
  }
}

function nextStatus(record: JobRecord): JobStatus | undefined {
  switch (record.job.status) {
    case 'validating_files':
      return 'queued';
    case 'queued':
      return 'running';
    case 'running':
      return record.step + 1 >= record.totalSteps ? 'succeeded' : 'running';
    default:
      return undefined;
  }
}

export function fineTunedModelName(job: FineTuningJobView): string {
  return `ft:${job.model}:test:${job.user_provided_suffix ?? ''}:${job.id.replace(/^ftjob-/, '')}`;
}

/** SFT/DPO metrics that improve steadily with the step: loss and token accuracy. */
function stepMetrics(record: JobRecord): Checkpoint['metrics'] & JsonObject {
  const progress = record.step / record.totalSteps;
  const round = (value: number) => Math.round(value * 10000) / 10000;
  const loss = round(1.5 - progress);
  const accuracy = round(0.5 + 0.4 * progress);
  return {
    step: record.step,
    train_loss: loss,
    train_mean_token_accuracy: accuracy,
    valid_loss: round(loss + 0.1),
    valid_mean_token_accuracy: round(accuracy - 0.05),
    full_valid_loss: round(loss + 0.1),
    full_valid_mean_token_accuracy: round(accuracy - 0.05),
  };
}

function validReward(checkpoint: Checkpoint): number {
  const metrics = checkpoint.metrics as JsonObject;
  return typeof metrics.full_valid_mean_reward === 'number' ? metrics.full_valid_mean_reward : -Infinity;
}

function metricsCsv(record: JobRecord): string {
  const rows = record.events.filter((event) => event.type === 'metrics').map((event) => checkpointMetrics(event.data as JsonObject));
  const columns = Object.keys(rows[0] ?? { step: 0 });
  return [columns.join(','), ...rows.map((row) => columns.map((column) => String(row[column] ?? '')).join(','))].join('\n') + '\n';
}
