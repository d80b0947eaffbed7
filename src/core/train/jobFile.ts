// Training jobs are records (issue 13 §4): `.rft/jobs/<id>.json`, one per launch, written atomically on every
// change, so monitoring resumes after a restart from what is on disk. The id starts with the launch time, so the
// newest job sorts last by name (the pipeline's step 6 reads the newest one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';

export const JOBS_DIR = path.join(STATE_DIR, 'jobs');

export const BACKEND_IDS = ['openai', 'azure', 'trl', 'verl'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

/** `launching`: recorded, files not yet accepted by the backend. The rest follow the hosted API's words. */
export const JOB_STATUSES = ['launching', 'validating', 'queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export const isJobStatus = (value: unknown): value is JobStatus => typeof value === 'string' && (JOB_STATUSES as readonly string[]).includes(value);
export const isTerminal = (status: JobStatus) => TERMINAL_STATUSES.includes(status);

/** One point of the reward curves. Rewards are in [0, 1] as the grader scores them. */
export interface MetricPoint {
  readonly step: number;
  readonly epoch?: number;
  readonly train_reward_mean?: number;
  readonly valid_reward_mean?: number;
  /** Per-grader train means (a multi grader's sub-graders, or the engine's reward functions). */
  readonly graders?: Readonly<Record<string, number>>;
  /** Per-grader validation means (hosted RFT reports them at evaluation steps). */
  readonly valid_graders?: Readonly<Record<string, number>>;
  /** Per grader: the share of its samples that errored (hosted RFT `errors.graders[]`). */
  readonly grader_errors?: Readonly<Record<string, GraderErrorRates>>;
  /** Mean reasoning tokens per sample (hosted RFT `usage.samples`). */
  readonly reasoning_tokens?: { readonly train?: number; readonly valid?: number };
  /** Every other numeric value the backend reported for the step (loss, KL, tokens…). */
  readonly values?: Readonly<Record<string, number>>;
  /** ISO time the backend reported the step (or when it was read). */
  readonly at: string;
}

/** A grader's error rates at a step: all kinds together, and each kind (`sample_parse_error`, `invalid_variable_error`…). */
export interface GraderErrorRates {
  readonly train?: number;
  readonly valid?: number;
  readonly kinds?: Readonly<Record<string, { readonly train?: number; readonly valid?: number }>>;
}

/** A checkpoint's (or step's) reward, under the name the backend used: `*_reward_mean` or hosted RFT's flat step names. */
export function rewardOf(metrics: Readonly<Record<string, number>> | undefined, split: 'train' | 'valid'): number | undefined {
  if (!metrics) return undefined;
  return split === 'train' ? (metrics.train_reward_mean ?? metrics.train_mean_reward) : (metrics.valid_reward_mean ?? metrics.full_valid_mean_reward);
}

export interface JobEvent {
  readonly id?: string;
  readonly at: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface JobCheckpoint {
  readonly id: string;
  readonly step: number;
  /** A model id the backend can serve (hosted) or a folder (engines). */
  readonly model: string;
  readonly at: string;
  readonly metrics?: Readonly<Record<string, number>>;
}

export interface JobProgress {
  readonly step?: number;
  readonly totalSteps?: number;
  readonly epoch?: number;
  readonly totalEpochs?: number;
}

/** What a TRL process left for whoever reads the job next (this process or a restarted VS Code). */
export interface LocalProcessInfo {
  readonly pid: number;
  readonly cwd: string;
  readonly command: readonly string[];
  readonly logFile: string;
  readonly metricsFile: string;
  /** Holds the exit code once the process ended (written by the shell that wraps it). */
  readonly exitFile: string;
  /** Bytes of the metrics file already read into `metrics`. */
  readonly metricsOffset: number;
}

export interface RayJobInfo {
  readonly address: string;
  readonly submissionId: string;
  readonly packageUri: string;
  readonly entrypoint: string;
  /** Characters of the job's logs already parsed into `metrics`. */
  readonly logOffset: number;
}

/** Where an engine job's trained model is: verl's Hugging Face model of the last checkpoint, on the cluster. */
export interface JobResult {
  /** The model's folder (absolute, on the cluster's file system), once the job said where it is. */
  readonly path?: string;
  readonly format?: 'huggingface';
  /** The training step of the checkpoint it comes from. */
  readonly step?: number;
  /** The folder the job writes its checkpoints to (`trainer.default_local_dir`; `$HOME` is the node's). */
  readonly checkpointDir?: string;
}

export interface JobRecord {
  readonly version: 1;
  readonly id: string;
  readonly backend: BackendId;
  /** The backend's own id: the fine-tuning job id, the Ray submission id, the process id as text. */
  readonly remoteId?: string;
  readonly model: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: JobStatus;
  /** sha256 of the resolved grader the job trains with (as the dry run computes it). */
  readonly graderHash: string;
  readonly files: { readonly train: string; readonly valid: string; readonly trainFileId?: string; readonly validFileId?: string; readonly bundle?: string };
  readonly hyperparameters: Readonly<Record<string, unknown>>;
  readonly suffix?: string;
  readonly progress: JobProgress;
  /** ISO time the backend expects the job to finish. */
  readonly estimatedFinish?: string;
  readonly metrics: readonly MetricPoint[];
  readonly events: readonly JobEvent[];
  readonly checkpoints: readonly JobCheckpoint[];
  readonly resultModel?: string;
  /** Why the job failed, as the backend said it. */
  readonly error?: string;
  /** While `launching`: the process doing the launch (a launch whose process is gone was interrupted). */
  readonly launcherPid?: number;
  readonly process?: LocalProcessInfo;
  readonly ray?: RayJobInfo;
  readonly result?: JobResult;
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
