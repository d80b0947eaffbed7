// Training jobs are records (issue 13 §4): `.rft/jobs/<id>.json`, one per launch, written atomically on every
// change, so monitoring resumes after a restart from what is on disk. The id starts with the launch time, so the
// newest job sorts last by name (the pipeline's step 6 reads the newest one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';
import { BACKEND_IDS, isJobStatus, JOB_STATUSES, type BackendId, type JobRecord, type MetricPoint } from './jobTypes';

export * from './jobTypes';

export const JOBS_DIR = path.join(STATE_DIR, 'jobs');

/** A checkpoint's (or step's) reward, under the name the backend used: `*_reward_mean` or hosted RFT's flat step names. */
export function rewardOf(metrics: Readonly<Record<string, number>> | undefined, split: 'train' | 'valid'): number | undefined {
  if (!metrics) return undefined;
  return split === 'train' ? (metrics.train_reward_mean ?? metrics.train_mean_reward) : (metrics.valid_reward_mean ?? metrics.full_valid_mean_reward);
}

export function jobsDir(datasetDir: string): string {
  return path.join(datasetDir, JOBS_DIR);
}

export function jobPath(datasetDir: string, id: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`"${id}" is not a job id`);
  return path.join(jobsDir(datasetDir), `${id}.json`);
}

/** A new job id: the launch time (sortable) and the backend, e.g. 2026-12-01T22-16-04-123Z-openai. */
export function newJobId(backend: BackendId, at: Date): string {
  return `${at.toISOString().replace(/[:.]/g, '-')}-${backend}`;
}

export async function writeJob(datasetDir: string, job: JobRecord): Promise<string> {
  const file = jobPath(datasetDir, job.id);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(job, null, 2)}\n`);
  return file;
}

export async function readJob(datasetDir: string, id: string): Promise<JobRecord> {
  const file = jobPath(datasetDir, id);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`no job ${id} in ${datasetDir} (rft jobs ${datasetDir} lists them)`);
    throw error;
  }
  return parseJob(text, path.relative(datasetDir, file));
}

/** Every readable job, oldest first; a damaged file is reported, not dropped silently. */
export async function listJobs(datasetDir: string): Promise<{ jobs: JobRecord[]; damaged: { file: string; error: string }[] }> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(jobsDir(datasetDir))).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return { jobs: [], damaged: [] };
  }
  const jobs: JobRecord[] = [];
  const damaged: { file: string; error: string }[] = [];
  for (const name of names) {
    const file = path.join(jobsDir(datasetDir), name);
    try {
      jobs.push(parseJob(await fs.promises.readFile(file, 'utf8'), path.join(JOBS_DIR, name)));
    } catch (error) {
      damaged.push({ file: path.join(JOBS_DIR, name), error: (error as Error).message });
    }
  }
  return { jobs, damaged };
}

/** A job by its local id or its backend's id (ftjob-…, raysubmit_…). */
export async function findJob(datasetDir: string, id: string): Promise<JobRecord> {
  const { jobs } = await listJobs(datasetDir);
  const found = jobs.find((job) => job.id === id || job.remoteId === id);
  if (found) return found;
  return readJob(datasetDir, id);
}

function parseJob(text: string, where: string): JobRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message})`);
  }
  const job = value as Partial<JobRecord>;
  if (!job || typeof job !== 'object' || job.version !== 1 || typeof job.id !== 'string') throw new Error(`${where}: not a job file (version 1 with an id)`);
  if (!isJobStatus(job.status)) throw new Error(`${where}: status: expected one of ${JOB_STATUSES.join(', ')}, got ${JSON.stringify(job.status)}`);
  if (!(BACKEND_IDS as readonly string[]).includes(job.backend as string)) throw new Error(`${where}: backend: expected one of ${BACKEND_IDS.join(', ')}, got ${JSON.stringify(job.backend)}`);
  return { ...job, metrics: job.metrics ?? [], events: job.events ?? [], checkpoints: job.checkpoints ?? [], progress: job.progress ?? {} } as JobRecord;
}

/** The job with `changes` applied and `updatedAt` set. */
export function updated(job: JobRecord, changes: Partial<Omit<JobRecord, 'id' | 'version' | 'backend' | 'createdAt'>>, now = new Date()): JobRecord {
  return { ...job, ...changes, updatedAt: now.toISOString() };
}

/** Adds points by step (a later report of the same step replaces the earlier one), in step order. */
export function mergeMetrics(existing: readonly MetricPoint[], incoming: readonly MetricPoint[]): MetricPoint[] {
  if (incoming.length === 0) return [...existing];
  const byStep = new Map(existing.map((point) => [point.step, point]));
  for (const point of incoming) byStep.set(point.step, { ...byStep.get(point.step), ...point });
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
