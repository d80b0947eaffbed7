// Hosted RFT (issue 13 §2): openai and azure through the same fine-tuning jobs API — the client (OpenAI or
// AzureOpenAI, from ModelClient's provider) is the only difference. Before anything is uploaded, one cheap call
// checks the organisation may still fine-tune (OpenAI is closing self-serve fine-tuning); upload both files (on
// Azure, wait until each is `processed`: its uploads start `pending` and a job created before fails), create a
// reinforcement job, then poll: status, events, metrics (hostedMetrics.ts), checkpoints, ETA, the tuned model or the
// error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APIError } from 'openai';
import type { ModelClient } from '../../llm/modelClient';
import { TrainingError, type BackendCapabilities, type PreparedLaunch, type TrainingBackend } from '../backend';
import { mergeMetrics, updated, type JobCheckpoint, type JobEvent, type JobRecord, type JobStatus, type MetricPoint } from '../jobFile';
import { OPENAI_INACTIVE_CUTOFF, OPENAI_LAST_DAY, OPENAI_NEW_ORGS_CUTOFF } from '../platformNotice';
import { epochOfStep } from '../progress';
import { HostedFineTuning, type HostedCheckpoint, type HostedEvent, type HostedJob, type HostedJobStatus } from './hostedApi';
import { hostedMetricPoint } from './hostedMetrics';

export interface HostedOptions {
  /** How often an upload's status is read while Azure processes it (default 5 s, as openai-node's waitForProcessing). */
  readonly filePollMs?: number;
  /** How long to wait for an upload to be processed before giving up (default 30 minutes, as openai-node). */
  readonly fileTimeoutMs?: number;
}

/** The organisation may not create fine-tuning jobs (HTTP 403 from the fine-tuning API). */
export class FineTuningAccessError extends TrainingError {
  constructor(message: string) {
    super(message);
    this.name = 'FineTuningAccessError';
  }
}

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
  pending: 'queued',
};
const DEFAULT_FILE_POLL_MS = 5_000;
const DEFAULT_FILE_TIMEOUT_MS = 30 * 60_000;

export function hostedBackend(id: 'openai' | 'azure', client: ModelClient, settings: HostedOptions = {}): TrainingBackend {
  if (id === 'azure' && client.provider.kind !== 'azure') throw new TrainingError('the azure backend needs Azure OpenAI: set AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT (and OPENAI_API_VERSION)');
  if (id === 'openai' && client.provider.kind === 'azure')
    throw new TrainingError('the openai backend needs the OpenAI API, but the provider is Azure OpenAI: pass --backend azure, or unset AZURE_OPENAI_API_KEY');
  const api = new HostedFineTuning(client);

  return {
    id,
    capabilities: CAPABILITIES,

    async preflight(prepared: PreparedLaunch): Promise<void> {
      await checkAccess(api, id, prepared.signal);
    },

    async launch(prepared: PreparedLaunch, job: JobRecord, save: (job: JobRecord) => Promise<void>): Promise<JobRecord> {
      if (!prepared.openaiGrader) throw new TrainingError('no compiled grader for the hosted backend');
      const uploaded: Record<string, string> = {};
      const upload = async (file: string) => {
        const { id: fileId, status } = await api.uploadFile(path.basename(file), await fs.promises.readFile(file), prepared.signal);
        uploaded[fileId] = status;
        return fileId;
      };
      const trainFileId = job.files.trainFileId ?? (await upload(prepared.files.train));
      job = updated(job, { files: { ...job.files, trainFileId } });
      await save(job);
      const validFileId = job.files.validFileId ?? (await upload(prepared.files.valid));
      job = updated(job, { files: { ...job.files, validFileId } });
      await save(job);
      if (id === 'azure') {
        for (const fileId of [trainFileId, validFileId]) {
          const waited = await waitUntilProcessed(api, fileId, uploaded[fileId], settings, prepared.signal);
          job = updated(job, { events: [...job.events, { at: new Date().toISOString(), level: 'info', message: `Azure OpenAI processed ${fileId} (${waited})` }] });
          await save(job);
        }
      }
      const created = await createOrExplain(
        api,
        id,
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
    points.push(hostedMetricPoint(data, step, epoch, new Date(event.created_at * 1000).toISOString()));
  }
  const logged: JobEvent[] = events.map((event) => ({ id: event.id, at: new Date(event.created_at * 1000).toISOString(), level: event.level, message: event.message }));
  return { ...job, progress, metrics: mergeMetrics(job.metrics, points), events: [...job.events, ...logged].slice(-MAX_EVENTS) };
}

function checkpointOf(checkpoint: HostedCheckpoint): JobCheckpoint {
  const metrics = Object.fromEntries(Object.entries(checkpoint.metrics ?? {}).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  return { id: checkpoint.id, step: checkpoint.step_number, model: checkpoint.fine_tuned_model_checkpoint, at: new Date(checkpoint.created_at * 1000).toISOString(), metrics };
}

/** The cheap call before any upload: a 403 means this organisation may not fine-tune; anything else is left to the launch (which records it). */
async function checkAccess(api: HostedFineTuning, backend: 'openai' | 'azure', signal?: AbortSignal): Promise<void> {
  try {
    await api.listOne(signal);
  } catch (error) {
    if (error instanceof APIError && error.status === 403) throw new FineTuningAccessError(accessRefusal(backend, error, 'Nothing was uploaded.'));
    if (signal?.aborted) throw error;
  }
}

/** Creates the job; a 403 there (an organisation the list did not refuse) gets the same explanation. */
async function createOrExplain(api: HostedFineTuning, backend: 'openai' | 'azure', request: Parameters<HostedFineTuning['create']>[0], signal?: AbortSignal): Promise<HostedJob> {
  try {
    return await api.create(request, signal);
  } catch (error) {
    if (error instanceof APIError && error.status === 403)
      throw new FineTuningAccessError(accessRefusal(backend, error, `The uploads (${request.training_file}, ${request.validation_file}) are recorded in the job file.`));
    throw error;
  }
}

function accessRefusal(backend: 'openai' | 'azure', error: APIError, uploads: string): string {
  const said = `HTTP 403${apiMessage(error) ? `: ${apiMessage(error)}` : ''}`;
  if (backend === 'azure') return `Azure OpenAI refused fine-tuning on this resource (${said}): the key or identity needs the right to fine-tune there. ${uploads}`;
  return (
    `OpenAI refused fine-tuning for this organisation (${said}). OpenAI is closing self-serve fine-tuning: organisations that never ran a fine-tuning job lost it on ${OPENAI_NEW_ORGS_CUTOFF}, ` +
    `those without inference on a fine-tuned model in the past 60 days on ${OPENAI_INACTIVE_CUTOFF}, and no one can create jobs after ${OPENAI_LAST_DAY}. ${uploads} ` +
    'Train with azure (the same API on Azure OpenAI), trl or verl instead: the split and grader.json carry over unchanged.'
  );
}

function apiMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : '';
}

/** Polls an upload until it is `processed`; `error`, `deleted` or the time limit stop the launch with the reason. Returns the states seen. */
async function waitUntilProcessed(api: HostedFineTuning, fileId: string, uploadedAs: string | undefined, settings: HostedOptions, signal?: AbortSignal): Promise<string> {
  const started = Date.now();
  const timeoutMs = settings.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
  const seen: string[] = uploadedAs ? [uploadedAs] : [];
  for (;;) {
    const file = await api.file(fileId, signal);
    if (seen.at(-1) !== file.status) seen.push(file.status);
    if (file.status === 'processed') return seen.join(' → ');
    if (file.status === 'error' || file.status === 'deleted' || file.status === 'deleting') {
      const details = (file as { status_details?: unknown }).status_details;
      throw new TrainingError(
        `Azure OpenAI could not process ${fileId} (${file.filename}): status ${file.status}${typeof details === 'string' && details ? `: ${details}` : ''}. Fix the file (rft validate, rft split) and launch again.`,
      );
    }
    if (Date.now() - started >= timeoutMs) {
      throw new TrainingError(
        `Azure OpenAI is still processing ${fileId} (${file.filename}, status ${file.status}) after ${Math.round(timeoutMs / 1000)} s: no job was created. Launch again later; a job created before the file is processed fails.`,
      );
    }
    await sleep(settings.filePollMs ?? DEFAULT_FILE_POLL_MS, undefined, { signal });
  }
}

function numberOr<T extends number | undefined>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
