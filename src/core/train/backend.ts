// One interface, four backends (docs/training.md §Backends): openai and azure (hosted RFT through the fine-tuning jobs API), trl (a
// local process) and verl (a Ray cluster through the Ray Jobs REST API). launchTraining prepares what every
// backend needs; a backend turns it into a running job and keeps that job's record current.
import type { BackendId, JobRecord } from './jobTypes';

export interface BackendCapabilities {
  readonly cancel: boolean;
  readonly pause: boolean;
  readonly resume: boolean;
}

/** Settings for a hosted reinforcement job; the engines read the ones that apply to them. */
export interface Hyperparameters {
  readonly n_epochs?: number | 'auto';
  readonly batch_size?: number | 'auto';
  readonly learning_rate_multiplier?: number | 'auto';
  readonly eval_interval?: number | 'auto';
  readonly eval_samples?: number | 'auto';
  readonly compute_multiplier?: number | 'auto';
  readonly reasoning_effort?: 'default' | 'low' | 'medium' | 'high';
}

/** What launchTraining hands a backend: the split done, the grader compiled, the job already on disk. */
export interface PreparedLaunch {
  readonly datasetDir: string;
  readonly model: string;
  readonly files: { readonly train: string; readonly valid: string };
  /** The grader as the hosted API takes it (compileForOpenAI); engines compile their own reward module. */
  readonly openaiGrader?: Record<string, unknown>;
  /** A JSON schema the model's answers must follow (hosted `response_format`), when the dataset asks for one. */
  readonly responseFormat?: Record<string, unknown>;
  readonly hyperparameters: Hyperparameters;
  readonly suffix?: string;
  readonly seed?: number;
  readonly metadata?: Readonly<Record<string, string>>;
  /** A reward endpoint (rft grader serve) for graders the engines cannot compile (js, judges). */
  readonly rewardServerUrl?: string;
  /** trl and verl: the bundle written for this job (exports/<engine>/). */
  readonly bundle?: { readonly dir: string; readonly files: readonly string[]; readonly launchCommand: readonly string[]; readonly checkpointDir?: string };
  readonly signal?: AbortSignal;
}

export interface TrainingBackend {
  readonly id: BackendId;
  readonly capabilities: BackendCapabilities;
  /** Checks, before the job is recorded or anything uploaded, that the backend can take a job at all (a TrainingError says why not). */
  preflight?(prepared: PreparedLaunch): Promise<void>;
  /**
   * Starts the job recorded as `job` (status `launching`). `save` persists every step on the way (files uploaded,
   * job created), so a failure half-way leaves the record of what was done. Returns the job as launched.
   */
  launch(prepared: PreparedLaunch, job: JobRecord, save: (job: JobRecord) => Promise<void>): Promise<JobRecord>;
  /** The job as the backend sees it now: status, new events, metrics, checkpoints, ETA, result model or error. */
  poll(job: JobRecord, options?: { signal?: AbortSignal }): Promise<JobRecord>;
  cancel(job: JobRecord): Promise<JobRecord>;
  pause?(job: JobRecord): Promise<JobRecord>;
  resume?(job: JobRecord): Promise<JobRecord>;
}

/** A training problem the user can fix: no grader, no dry run, a backend setting missing, a rejected request. */
export class TrainingError extends Error {
  constructor(
    message: string,
    /** The job file written for a launch the backend refused, when there is one. */
    readonly job?: { readonly record: JobRecord; readonly path: string },
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}
