// A training job's record (`.rft/jobs/<id>.json`): its backend, status, progress, reward curves, events and
// checkpoints. Types (and the id and status lists) only, so the training protocol (src/shared/trainProtocol.ts) and
// the webview can import them; jobFile.ts reads and writes the files.

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
