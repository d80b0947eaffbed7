// The training monitor's data and its one message protocol (step 6), shared by the extension (host) and the
// webview. Plain data, plus the backends' settings and their ranges: the form draws them and the host checks a
// start request against the very same ranges. The host turns a job file of src/core/train into a JobView
// (src/extension/train/trainView.ts); the webview draws it. The job's types are the core's (src/core/train/jobTypes.ts,
// src/core/train/backend.ts): the views below are derived from them.
import type { BackendCapabilities } from '../core/train/backend';
import type { BackendId, JobCheckpoint, JobEvent, JobProgress, JobRecord, JobStatus, MetricPoint } from '../core/train/jobTypes';
import type { Decision } from './dryRunProtocol';
import { messageGuard } from './messageGuard';

export type { BackendId };
export const BACKEND_IDS: readonly BackendId[] = ['openai', 'azure', 'trl', 'verl'];

export type JobStatusView = JobStatus;
export const FINISHED_STATUSES: readonly JobStatusView[] = ['succeeded', 'failed', 'cancelled'];

/** One setting of the start form: a number in a range (or "auto" where the backend picks), or a choice. */
export type HyperparameterSpec =
  | {
      readonly name: string;
      readonly label: string;
      readonly kind: 'integer' | 'number';
      readonly min: number;
      readonly max: number;
      /** The value the form starts with; "auto" lets the backend choose. */
      readonly initial: number | 'auto';
      readonly hint: string;
    }
  | { readonly name: string; readonly label: string; readonly kind: 'choice'; readonly choices: readonly string[]; readonly initial: string; readonly hint: string };

export interface BackendSpec {
  readonly id: BackendId;
  readonly label: string;
  /** What the backend is, in one line. */
  readonly line: string;
  /** Hosted (billed by the provider) or an open engine (GPU hours on your machines). */
  readonly hosted: boolean;
  readonly defaultModel: string;
  readonly hyperparameters: readonly HyperparameterSpec[];
}

const auto = (name: string, label: string, kind: 'integer' | 'number', min: number, max: number, hint: string): HyperparameterSpec => ({ name, label, kind, min, max, initial: 'auto', hint });

const HOSTED: readonly HyperparameterSpec[] = [
  auto('n_epochs', 'Epochs', 'integer', 1, 10, 'Passes over the training split.'),
  auto('batch_size', 'Batch size', 'integer', 1, 256, 'Examples per update: larger is steadier, slower to move.'),
  auto('learning_rate_multiplier', 'Learning-rate multiplier', 'number', 0.01, 10, 'Smaller guards against overfitting.'),
  auto('eval_interval', 'Eval interval', 'integer', 1, 100, 'Training steps between validation runs.'),
  auto('eval_samples', 'Eval samples', 'integer', 1, 100, 'Answers sampled per validation prompt.'),
  auto('compute_multiplier', 'Compute multiplier', 'number', 0.01, 10, 'Exploration per step (and cost).'),
  { name: 'reasoning_effort', label: 'Reasoning effort', kind: 'choice', choices: ['default', 'low', 'medium', 'high'], initial: 'default', hint: 'For reasoning models.' },
];

const ENGINE: readonly HyperparameterSpec[] = [
  { name: 'learning_rate', label: 'Learning rate', kind: 'number', min: 1e-8, max: 1e-3, initial: 1e-6, hint: 'GRPO is sensitive: 1e-6 is a safe start.' },
  { name: 'num_generations', label: 'Generations per prompt', kind: 'integer', min: 2, max: 64, initial: 4, hint: 'Answers compared per prompt (the group); the batch must be a multiple.' },
  auto('max_steps', 'Max steps', 'integer', 1, 100_000, 'Optimizer steps; empty: one pass over the split.'),
];

export const BACKENDS: Readonly<Record<BackendId, BackendSpec>> = {
  openai: {
    id: 'openai',
    label: 'OpenAI',
    line: 'Hosted reinforcement fine-tuning through the OpenAI fine-tuning API (o-series models).',
    hosted: true,
    defaultModel: 'o4-mini-2025-04-16',
    hyperparameters: HOSTED,
  },
  azure: {
    id: 'azure',
    label: 'Azure OpenAI',
    line: 'The same hosted API on your Azure OpenAI resource (endpoint, API version and deployment from the settings).',
    hosted: true,
    defaultModel: 'o4-mini',
    hyperparameters: HOSTED,
  },
  trl: {
    id: 'trl',
    label: 'TRL',
    line: 'GRPO with Hugging Face TRL on one GPU machine: a bundle run here as a local process.',
    hosted: false,
    defaultModel: 'Qwen/Qwen2.5-0.5B-Instruct',
    hyperparameters: ENGINE,
  },
  verl: {
    id: 'verl',
    label: 'verl',
    line: 'GRPO with verl on a Ray cluster: a bundle submitted through the Ray Jobs API.',
    hosted: false,
    defaultModel: 'Qwen/Qwen2.5-7B-Instruct',
    hyperparameters: ENGINE,
  },
};

export interface SplitRequest {
  /** Share of the records held out for validation, in (0, 0.5]. */
  readonly validShare: number;
  readonly stratify: boolean;
  readonly generatedInValid: boolean;
}

export const DEFAULT_SPLIT: SplitRequest = { validShare: 0.1, stratify: true, generatedInValid: false };

/** verl: where the job runs (`trainer.nnodes`, `trainer.n_gpus_per_node`), the reward server, where checkpoints last. */
export interface ClusterRequest {
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** `rft grader serve` as the cluster reaches it; needed when the grader has js, judge or cosine graders. */
  readonly rewardServer?: string;
  /** An absolute path (or file:// URI) every node can write; empty: ~/rft-studio/checkpoints on the node. */
  readonly checkpointDir?: string;
}

export const CLUSTER_LIMITS = { nodes: { min: 1, max: 1024 }, gpusPerNode: { min: 1, max: 64 } } as const;
export const DEFAULT_CLUSTER: ClusterRequest = { nodes: 1, gpusPerNode: 1 };

/** What Start asks the host for. Hyperparameters the form left on "auto" are absent. */
export interface StartRequest {
  readonly backend: BackendId;
  readonly model: string;
  readonly split: SplitRequest;
  readonly hyperparameters: Readonly<Record<string, number | string>>;
  /** verl only. */
  readonly cluster?: ClusterRequest;
}

export type CapabilitiesView = BackendCapabilities;

/** A train and a validation figure of one step. */
export interface SplitFigures {
  readonly train?: number;
  readonly valid?: number;
}

/**
 * One point of the reward curves: the core's MetricPoint reshaped for the charts, each figure as a train and a
 * validation value (the core keeps the backend's own names: train_reward_mean, graders / valid_graders, …).
 */
export interface MetricPointView extends Pick<MetricPoint, 'step'> {
  readonly train?: number;
  readonly valid?: number;
  /** Per grader (hosted RFT's `scores.graders[]`, a multi grader's sub-graders): its mean reward. */
  readonly graders?: Readonly<Record<string, SplitFigures>>;
  /** Per grader: the share of its samples that errored, all kinds together (0..1). */
  readonly graderErrors?: Readonly<Record<string, SplitFigures>>;
  /** Mean reasoning tokens per sample. */
  readonly reasoningTokens?: SplitFigures;
}

/** One event of the job, without its backend id. Its message is the backend's text: render it as text only. */
export type JobEventView = Pick<JobEvent, 'at' | 'level' | 'message'>;

/** A checkpoint with its train and validation rewards (the core keeps all the backend's metrics, under the backend's names). */
export interface CheckpointView extends Pick<JobCheckpoint, 'id' | 'step' | 'model' | 'at'> {
  readonly train?: number;
  readonly valid?: number;
}

/**
 * A training job as the monitor shows it: the job record's own fields with its progress flattened, and what the
 * monitor adds (the summary line, the share done, the controls); the files, hyperparameters and process details stay on the host.
 */
export interface JobView extends Pick<JobRecord, 'id' | 'backend' | 'remoteId' | 'model' | 'status' | 'createdAt' | 'updatedAt' | 'estimatedFinish' | 'resultModel' | 'error'>, JobProgress {
  /** "45 % · epoch 1/2 · train 0.52 · valid 0.48" (what step 6 says). */
  readonly summary: string;
  /** Share of the steps done, in [0, 1], when the backend says how many there are. */
  readonly fraction?: number;
  readonly metrics: readonly MetricPointView[];
  /** The newest events, oldest first. */
  readonly events: readonly JobEventView[];
  readonly checkpoints: readonly CheckpointView[];
  readonly capabilities: CapabilitiesView;
}

/** The newest dry run, which gates Start: GO starts, CAUTION asks first, none (or NO-GO) refuses. */
export interface GateView {
  readonly decision: Decision | null;
  /** The dry run's mean score: the curves' baseline. */
  readonly mean: number | null;
  readonly runId: string;
  /** Why the run no longer describes the dataset, when it does not. */
  readonly stale?: string;
}

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'train';
      readonly dataset: string;
      /** The dataset's folder: kept as TrainViewState.dataset, from which the panel serializer restores the panel. */
      readonly datasetDir: string;
      /** Valid records, and how many of them are generated (kept out of validation unless asked). */
      readonly records: { readonly valid: number; readonly generated: number };
      /** The newest dry run; absent when there is none. */
      readonly gate?: GateView;
      /** Whether Start can be pressed (a trusted workspace, a grader, a dry run); when not, why. */
      readonly canStart: boolean;
      readonly cannotStartReason?: string;
      /** What a backend's platform means for a job launched now (OpenAI's end of self-serve fine-tuning). */
      readonly notices: Partial<Record<BackendId, string>>;
      /** The backend the form starts on: the one this dataset trained with last, never one that cannot run now. */
      readonly defaultBackend?: BackendId;
      /** Backends that cannot take a job now, and why (OpenAI after 2027-01-06, or after it refused this organisation). */
      readonly unavailable?: Partial<Record<BackendId, string>>;
      /** The newest job (running, or the last one that ran); absent when none ever ran. */
      readonly job?: JobView;
    }
  /** The watched job changed (a poll found new status, metrics, events or checkpoints). */
  | { readonly type: 'job'; readonly job: JobView }
  /** Start was accepted: splitting, uploading and creating the job (a `job` message follows). */
  | { readonly type: 'launching'; readonly message: string }
  /** Start did not launch: the gate, the backend or the provider said why (as they wrote it). */
  | { readonly type: 'launchFailed'; readonly message: string; readonly action?: 'runDryRun' }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

export type JobControl = 'pause' | 'resume' | 'cancel';
export const JOB_CONTROLS: readonly JobControl[] = ['pause', 'resume', 'cancel'];

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'start'; readonly request: StartRequest }
  | { readonly type: 'control'; readonly action: JobControl; readonly jobId: string }
  | { readonly type: 'runDryRun' }
  | { readonly type: 'copyModel'; readonly model: string };

/** What the webview keeps with getState/setState (and the panel serializer restores). */
export interface TrainViewState {
  readonly dataset: string;
  /** The form as the user left it. */
  readonly form?: StartRequest;
}

export const HOST_MESSAGE_TYPES: readonly HostMessage['type'][] = ['train', 'job', 'launching', 'launchFailed', 'busy', 'error'];

export const isHostMessage = messageGuard<HostMessage>(HOST_MESSAGE_TYPES);

export const isFinished = (status: JobStatusView): boolean => FINISHED_STATUSES.includes(status);

/**
 * The backend a start form opens on: the one last used (per dataset) unless it cannot run now; else OpenAI unless it
 * cannot run; else `fallback` (the provider's kind: azure when the provider is Azure OpenAI, trl otherwise).
 */
export function defaultBackendOf(lastUsed: BackendId | undefined, unavailable: Partial<Record<BackendId, string>>, fallback: BackendId): BackendId {
  const candidates: readonly BackendId[] = [...(lastUsed ? [lastUsed] : []), 'openai', fallback, ...BACKEND_IDS];
  return candidates.find((id) => !unavailable[id]) ?? fallback;
}

/** Which controls a job offers now: what its backend can do, in the statuses where it applies. */
export function controlsFor(job: Pick<JobView, 'status' | 'capabilities'>): Record<JobControl, boolean> {
  const live = !isFinished(job.status) && job.status !== 'launching';
  return {
    pause: job.capabilities.pause && job.status === 'running',
    resume: job.capabilities.resume && job.status === 'paused',
    cancel: job.capabilities.cancel && live,
  };
}

/** "+24 % from baseline" (relative to the dry run's mean); undefined without a positive baseline. */
export function changeFromBaseline(value: number, baseline: number | null | undefined): string | undefined {
  if (baseline === null || baseline === undefined || !(baseline > 0)) return undefined;
  const change = Math.round(((value - baseline) / baseline) * 100);
  return `${change >= 0 ? '+' : '−'}${Math.abs(change)} % from baseline`;
}

/**
 * A start request as the webview sent it, checked against the backends' settings and ranges: the request, or
 * what is wrong with it (the host shows that; nothing starts).
 */
export function checkStartRequest(value: unknown): StartRequest | string {
  if (typeof value !== 'object' || value === null) return 'The start request is missing.';
  const { backend, model, split, hyperparameters, cluster } = value as Partial<StartRequest>;
  if (typeof backend !== 'string' || !(BACKEND_IDS as readonly string[]).includes(backend)) return `Unknown backend ${JSON.stringify(backend)}: pick one of ${BACKEND_IDS.join(', ')}.`;
  if (typeof model !== 'string' || model.trim() === '') return 'Name the base model.';
  if (typeof split !== 'object' || split === null) return 'The split settings are missing.';
  if (typeof split.validShare !== 'number' || !(split.validShare > 0 && split.validShare <= 0.5)) return 'The validation share must be more than 0 % and at most 50 %.';
  if (typeof split.stratify !== 'boolean' || typeof split.generatedInValid !== 'boolean') return 'The split options must be on or off.';
  const given = typeof hyperparameters === 'object' && hyperparameters !== null ? hyperparameters : {};
  const specs = BACKENDS[backend as BackendId].hyperparameters;
  const checked: Record<string, number | string> = {};
  for (const [name, raw] of Object.entries(given)) {
    const spec = specs.find((candidate) => candidate.name === name);
    if (!spec) return `${BACKENDS[backend as BackendId].label} has no setting "${name}".`;
    const problem = hyperparameterProblem(spec, raw);
    if (problem) return problem;
    checked[name] = raw as number | string;
  }
  if (cluster !== undefined && backend !== 'verl') return `${BACKENDS[backend as BackendId].label} runs on no cluster: nodes and GPUs are for verl.`;
  const clusterChecked = cluster === undefined ? undefined : checkCluster(cluster);
  if (typeof clusterChecked === 'string') return clusterChecked;
  return {
    backend: backend as BackendId,
    model: model.trim(),
    split: { validShare: split.validShare, stratify: split.stratify, generatedInValid: split.generatedInValid },
    hyperparameters: checked,
    ...(clusterChecked ? { cluster: clusterChecked } : {}),
  };
}

/** What is wrong with one cluster field as the form has it (undefined: nothing), the same words in the form and the host. */
export function clusterProblem(field: keyof ClusterRequest, value: unknown): string | undefined {
  if (field === 'nodes' || field === 'gpusPerNode') {
    const { min, max } = CLUSTER_LIMITS[field];
    const label = field === 'nodes' ? 'Nodes' : 'GPUs per node';
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? undefined : `${label}: a whole number from ${min} to ${max}.`;
  }
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return 'Expected text.';
  if (field === 'rewardServer') return /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value) ? undefined : 'Reward server: an http(s) URL the cluster reaches, e.g. http://10.0.0.5:8787.';
  return value.startsWith('/') || /^file:\/\//.test(value) ? undefined : "Checkpoint folder: an absolute path (or file:// URI) on the cluster; Ray's working folder does not last.";
}

function checkCluster(value: unknown): ClusterRequest | string {
  if (typeof value !== 'object' || value === null) return 'The cluster settings are missing.';
  const { nodes, gpusPerNode, rewardServer, checkpointDir } = value as Partial<ClusterRequest>;
  for (const [field, given] of [
    ['nodes', nodes],
    ['gpusPerNode', gpusPerNode],
    ['rewardServer', rewardServer],
    ['checkpointDir', checkpointDir],
  ] as const) {
    const problem = clusterProblem(field, given);
    if (problem) return problem;
  }
  return { nodes: nodes!, gpusPerNode: gpusPerNode!, ...(rewardServer ? { rewardServer } : {}), ...(checkpointDir ? { checkpointDir } : {}) };
}

/** What is wrong with a setting's value, or undefined when it is in range. */
export function hyperparameterProblem(spec: HyperparameterSpec, value: unknown): string | undefined {
  if (spec.kind === 'choice') return typeof value === 'string' && spec.choices.includes(value) ? undefined : `${spec.label}: one of ${spec.choices.join(', ')}.`;
  const range = `${spec.label}: ${spec.kind === 'integer' ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${range}.`;
  if (spec.kind === 'integer' && !Number.isInteger(value)) return `${range}.`;
  return value >= spec.min && value <= spec.max ? undefined : `${range}.`;
}
