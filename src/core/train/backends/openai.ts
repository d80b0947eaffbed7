// Hosted RFT (issue 13 §2): openai and azure through the same fine-tuning jobs API — the client (OpenAI or
// AzureOpenAI, from ModelClient's provider) is the only difference. Upload both files, create a reinforcement
// job, then poll: status, events, metrics (train/valid reward means, per-grader scores), checkpoints, ETA, the
// tuned model or the error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelClient } from '../../llm/modelClient';
import { TrainingError, type BackendCapabilities, type PreparedLaunch, type TrainingBackend } from '../backend';
import { mergeMetrics, updated, type JobCheckpoint, type JobEvent, type JobRecord, type JobStatus, type MetricPoint } from '../jobFile';
import { epochOfStep } from '../progress';
import { HostedFineTuning, type HostedCheckpoint, type HostedEvent, type HostedJob, type HostedJobStatus } from './hostedApi';

const CAPABILITIES: BackendCapabilities = { cancel: true, pause: true, resume: true };
/** Events kept in the job file (the newest); the API keeps them all. */
const MAX_EVENTS = 500;

const STATUS: Record<HostedJobStatus, JobStatus> = {
  validating_files: 'validating',
  queued: 'queued',
  running: 'running',
  paused: 'paused',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function hostedBackend(id: 'openai' | 'azure', client: ModelClient): TrainingBackend {
  if (id === 'azure' && client.provider.kind !== 'azure') throw new TrainingError('the azure backend needs Azure OpenAI: set AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT (and OPENAI_API_VERSION)');
  if (id === 'openai' && client.provider.kind === 'azure') throw new TrainingError('the openai backend needs the OpenAI API, but the provider is Azure OpenAI: pass --backend azure, or unset AZURE_OPENAI_API_KEY');
  const api = new HostedFineTuning(client);

  return {
    id,
    capabilities: CAPABILITIES,

    async launch(prepared: PreparedLaunch, job: JobRecord, save: (job: JobRecord) => Promise<void>): Promise<JobRecord> {
      if (!prepared.openaiGrader) throw new TrainingError('no compiled grader for the hosted backend');
      const trainFileId = job.files.trainFileId ?? (await api.uploadFile(path.basename(prepared.files.train), await fs.promises.readFile(prepared.files.train), prepared.signal));
      job = updated(job, { files: { ...job.files, trainFileId } });
      await save(job);
      const validFileId = job.files.validFileId ?? (await api.uploadFile(path.basename(prepared.files.valid), await fs.promises.readFile(prepared.files.valid), prepared.signal));
      job = updated(job, { files: { ...job.files, validFileId } });
      await save(job);
      const created = await api.create(
        {
          model: prepared.model,
          training_file: trainFileId,
          validation_file: validFileId,
          ...(prepared.suffix ? { suffix: prepared.suffix } : {}),
          ...(prepared.seed !== undefined ? { seed: prepared.seed } : {}),
          metadata: { rft_job: job.id, ...prepared.metadata },
          method: {
            type: 'reinforcement',
            reinforcement: {
              grader: prepared.openaiGrader,
              ...(prepared.responseFormat ? { response_format: prepared.responseFormat } : {}),
              hyperparameters: { ...prepared.hyperparameters },
            },
          },
        },
        prepared.signal,
      );
      return applyJob(updated(job, { remoteId: created.id }), created);
    },

    async poll(job, options = {}) {
      const id = remoteIdOf(job);
      const remote = await api.retrieve(id, options.signal);
      const known = new Set(job.events.map((event) => event.id).filter((eventId): eventId is string => eventId !== undefined));
      const events = await api.newEvents(id, known, options.signal);
      const checkpoints = await api.checkpoints(id, options.signal);
      return withEvents(applyJob(job, remote, checkpoints), events);
    },

    async cancel(job) {
      return applyJob(job, await api.cancel(remoteIdOf(job)));
    },
    async pause(job) {
      return applyJob(job, await api.pause(remoteIdOf(job)));
    },
    async resume(job) {
      return applyJob(job, await api.resume(remoteIdOf(job)));
    },
  };
}

function remoteIdOf(job: JobRecord): string {
  if (!job.remoteId) throw new TrainingError(`job ${job.id} was never created on ${job.backend} (${job.error ?? 'no fine-tuning job id recorded'})`);
  return job.remoteId;
}

/** The record after the API's view of the job (and its checkpoints, when read). */
function applyJob(job: JobRecord, remote: HostedJob, checkpoints?: readonly HostedCheckpoint[]): JobRecord {
  const totalEpochs = numberOr(remote.method?.reinforcement?.hyperparameters?.n_epochs, numberOr(remote.hyperparameters?.n_epochs, undefined));
  return updated(job, {
    status: STATUS[remote.status] ?? job.status,
    ...(remote.fine_tuned_model ? { resultModel: remote.fine_tuned_model } : {}),
    ...(remote.error?.message ? { error: remote.error.message } : {}),
    ...(remote.estimated_finish ? { estimatedFinish: new Date(remote.estimated_finish * 1000).toISOString() } : {}),
    progress: { ...job.progress, ...(totalEpochs !== undefined ? { totalEpochs } : {}) },
    ...(checkpoints ? { checkpoints: checkpoints.map(checkpointOf).sort((a, b) => a.step - b.step) } : {}),
  });
}

/** New events appended (oldest first); metrics events become points of the curves and move the progress. */
function withEvents(job: JobRecord, events: readonly HostedEvent[]): JobRecord {
  if (events.length === 0) return job;
  const points: MetricPoint[] = [];
  let progress = job.progress;
  for (const event of events) {
    if (event.type !== 'metrics' || !event.data || typeof event.data !== 'object') continue;
    const data = event.data as Record<string, unknown>;
    const step = numberOr(data.step, undefined);
    if (step === undefined) continue;
    const totalSteps = numberOr(data.total_steps, progress.totalSteps);
    const epoch = epochOfStep(step, totalSteps, progress.totalEpochs);
    progress = { ...progress, step: Math.max(step, progress.step ?? 0), ...(totalSteps !== undefined ? { totalSteps } : {}), ...(epoch !== undefined ? { epoch } : {}) };
    points.push(metricPoint(data, step, epoch, new Date(event.created_at * 1000).toISOString()));
  }
  const logged: JobEvent[] = events.map((event) => ({ id: event.id, at: new Date(event.created_at * 1000).toISOString(), level: event.level, message: event.message }));
  return { ...job, progress, metrics: mergeMetrics(job.metrics, points), events: [...job.events, ...logged].slice(-MAX_EVENTS) };
}

const KNOWN = new Set(['step', 'total_steps', 'train_reward_mean', 'valid_reward_mean']);

/** A metrics event's data: the two reward means by name, nested score maps as per-grader scores, other numbers as values. */
export function metricPoint(data: Record<string, unknown>, step: number, epoch: number | undefined, at: string): MetricPoint {
  const graders: Record<string, number> = {};
  const values: Record<string, number> = {};
  for (const [key, value] of Object.entries(data)) {
    if (KNOWN.has(key)) continue;
    if (typeof value === 'number' && Number.isFinite(value)) values[key] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, score] of Object.entries(value as Record<string, unknown>)) if (typeof score === 'number' && Number.isFinite(score)) graders[name] = score;
    }
  }
  const train = numberOr(data.train_reward_mean, undefined);
  const valid = numberOr(data.valid_reward_mean, undefined);
  return {
    step,
    ...(epoch !== undefined ? { epoch } : {}),
    ...(train !== undefined ? { train_reward_mean: train } : {}),
    ...(valid !== undefined ? { valid_reward_mean: valid } : {}),
    ...(Object.keys(graders).length > 0 ? { graders } : {}),
    ...(Object.keys(values).length > 0 ? { values } : {}),
    at,
  };
}

function checkpointOf(checkpoint: HostedCheckpoint): JobCheckpoint {
  const metrics = Object.fromEntries(Object.entries(checkpoint.metrics ?? {}).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  return { id: checkpoint.id, step: checkpoint.step_number, model: checkpoint.fine_tuned_model_checkpoint, at: new Date(checkpoint.created_at * 1000).toISOString(), metrics };
}

function numberOr<T extends number | undefined>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
