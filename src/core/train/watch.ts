// Following a job (issue 13 §4): poll its backend, write the record, tell the caller — until the job ends or the
// caller stops. A lost connection (unreachable, 5xx, 429) is said and retried with backoff; monitoring resumes
// from the job file, so it also resumes in a new process after a restart.
import { isRetryable, sleep } from '../llm/retry';
import { TrainingError, type TrainingBackend } from './backend';
import { findJob, isTerminal, jobPath, updated, writeJob, type JobRecord } from './jobFile';
import { processAlive } from './processAlive';
import { RayJobsError } from './rayJobsClient';

export type JobAction = 'cancel' | 'pause' | 'resume';

export type WatchUpdate =
  | { readonly kind: 'job'; readonly job: JobRecord; readonly path: string }
  /** The backend could not be reached; the next try is in `retryInMs`. */
  | { readonly kind: 'connectionLost'; readonly job: JobRecord; readonly error: string; readonly attempt: number; readonly retryInMs: number }
  | { readonly kind: 'reconnected'; readonly job: JobRecord };

export interface WatchOptions {
  /** The backend for the job (createBackend(job.backend, connection)). */
  readonly backend: TrainingBackend | ((job: JobRecord) => TrainingBackend);
  readonly signal?: AbortSignal;
  /** Between polls. Default 15 s. */
  readonly intervalMs?: number;
  /** The longest wait after failed polls. Default 5 min. */
  readonly maxBackoffMs?: number;
  readonly onUpdate?: (update: WatchUpdate) => void;
}

/** Whether an error means "try again later" rather than "this will not work". */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof RayJobsError) return error.transient;
  return isRetryable(error);
}

/** One poll of the job's backend, written to its file. A job still being launched is only read. */
export async function refreshJob(
  datasetDir: string,
  id: string,
  backend: TrainingBackend | ((job: JobRecord) => TrainingBackend),
  options: { signal?: AbortSignal } = {},
): Promise<{ job: JobRecord; path: string }> {
  const job = await findJob(datasetDir, id);
  if (job.status === 'launching') {
    const interrupted = interruptedLaunch(job);
    return { job: interrupted ?? job, path: interrupted ? await writeJob(datasetDir, interrupted) : jobPath(datasetDir, job.id) };
  }
  if (isTerminal(job.status)) return { job, path: jobPath(datasetDir, job.id) };
  const polled = await backendOf(backend, job).poll(job, options);
  return saveIfChanged(datasetDir, job, polled);
}

/** Writes the polled job unless nothing but `updatedAt` changed (no churn for file watchers while a job waits). */
async function saveIfChanged(datasetDir: string, before: JobRecord, after: JobRecord): Promise<{ job: JobRecord; path: string }> {
  const same = JSON.stringify({ ...before, updatedAt: '' }) === JSON.stringify({ ...after, updatedAt: '' });
  return same ? { job: before, path: jobPath(datasetDir, before.id) } : { job: after, path: await writeJob(datasetDir, after) };
}

/** A launch whose process is gone before the backend accepted the job (killed, crashed): failed, saying so. */
export function interruptedLaunch(job: JobRecord): JobRecord | undefined {
  if (job.status !== 'launching' || job.launcherPid === undefined || job.launcherPid === process.pid || processAlive(job.launcherPid)) return undefined;
  const message = `the launch was interrupted before ${job.backend} accepted the job (process ${job.launcherPid} is gone)${job.files.trainFileId ? `; files uploaded: ${[job.files.trainFileId, job.files.validFileId].filter(Boolean).join(', ')}` : ''}`;
  const { launcherPid: _launcher, ...rest } = job;
  return updated(rest, { status: 'failed', error: message, events: [...job.events, { at: new Date().toISOString(), level: 'error', message }] });
}

/** Cancel, pause or resume, where the backend can; the record is written with what it answered. */
export async function controlJob(datasetDir: string, id: string, action: JobAction, backend: TrainingBackend | ((job: JobRecord) => TrainingBackend)): Promise<{ job: JobRecord; path: string }> {
  const job = await findJob(datasetDir, id);
  const impl = backendOf(backend, job);
  if (!impl.capabilities[action] || !impl[action])
    throw new TrainingError(`${job.backend} jobs cannot be ${action === 'cancel' ? 'cancelled' : `${action}d`}${action === 'cancel' ? '' : ' (only openai and azure jobs can)'}`);
  if (isTerminal(job.status)) throw new TrainingError(`job ${job.id} has already ${job.status === 'cancelled' ? 'been cancelled' : job.status}`);
  const next = await impl[action]!(job);
  return { job: next, path: await writeJob(datasetDir, next) };
}

/** Polls until the job ends (resolves with it) or the signal aborts (resolves with the job as last seen). */
export async function watchJob(datasetDir: string, id: string, options: WatchOptions): Promise<JobRecord> {
  const interval = options.intervalMs ?? 15_000;
  const maxBackoff = options.maxBackoffMs ?? 300_000;
  let job = await findJob(datasetDir, id);
  let failures = 0;
  for (;;) {
    if (options.signal?.aborted) return job;
    if (isTerminal(job.status)) {
      options.onUpdate?.({ kind: 'job', job, path: jobPath(datasetDir, job.id) });
      return job;
    }
    let wait = interval;
    try {
      // a job another process is still launching is only read until it is launched (or found interrupted)
      const polled =
        job.status === 'launching'
          ? await refreshJob(datasetDir, job.id, options.backend)
          : await saveIfChanged(datasetDir, job, await backendOf(options.backend, job).poll(job, { signal: options.signal }));
      if (failures > 0) options.onUpdate?.({ kind: 'reconnected', job: polled.job });
      failures = 0;
      job = polled.job;
      options.onUpdate?.({ kind: 'job', job, path: polled.path });
      if (isTerminal(job.status)) return job;
    } catch (error) {
      if (options.signal?.aborted) return job;
      if (!isConnectionLoss(error)) throw error;
      failures += 1;
      wait = Math.min(maxBackoff, interval * 2 ** Math.min(failures, 16));
      options.onUpdate?.({ kind: 'connectionLost', job, error: (error as Error).message, attempt: failures, retryInMs: wait });
    }
    try {
      await sleep(wait, options.signal);
    } catch {
      return job;
    }
  }
}

function backendOf(backend: TrainingBackend | ((job: JobRecord) => TrainingBackend), job: JobRecord): TrainingBackend {
  return typeof backend === 'function' ? backend(job) : backend;
}
