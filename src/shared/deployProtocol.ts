// The results and deploy panel's data and its one message protocol (step 7), shared by the extension (host) and the
// webview. Plain data only. The figures are the core's BenchmarkReport (src/core/deploy/benchmarkReportTypes.ts) as it
// is, and the tuned model and deployment views are derived from the core's records; record text, answers and the
// config diff are untrusted text: the webview renders them as text only.
import type { BenchmarkFigures, BenchmarkReport, BenchmarkSampleComparison, BenchmarkTopicFigures, BenchmarkVerdict } from '../core/deploy/benchmarkReportTypes';
import type { DeploymentRecord, DeployMode } from '../core/deploy/deploymentTypes';
import type { EndpointKind, TunedModel } from '../core/deploy/tunedModelTypes';
import { messageGuard } from './messageGuard';

export type { DeployMode, EndpointKind };
export const ENDPOINT_KINDS: readonly EndpointKind[] = ['openai', 'azure', 'compatible'];
export const DEPLOY_MODES: readonly DeployMode[] = ['replace', 'alias', 'ab'];

/** The tuned model as the panel shows and edits it: the core's TunedModel without its API version and recording time (never a key: `apiKeyEnv` names the variable). */
export type TunedModelView = Pick<TunedModel, 'model' | 'endpoint' | 'baseURL' | 'deployment' | 'apiKeyEnv' | 'baseModel' | 'source' | 'jobId'>;

/** What the user enters for the tuned model. */
export type TunedModelInput = Pick<TunedModel, 'model' | 'endpoint' | 'baseURL' | 'deployment' | 'apiKeyEnv'>;

export type Verdict = BenchmarkVerdict;

/** Means, the paired bootstrap 95 % interval of tuned − base, the relative change and the verdict. */
export type FiguresView = BenchmarkFigures;
export type TopicFiguresView = BenchmarkTopicFigures;
/** One prompt, both answers (cut for the panel) with their scores. */
export type ComparisonView = BenchmarkSampleComparison;

/** The core's BenchmarkReport, with the error count only (the panel does not show the errors by kind). */
export type ReportView = Omit<BenchmarkReport, 'errors'> & { readonly errors: Pick<BenchmarkReport['errors'], 'pairs'> };

/** The newest finished benchmark. */
export interface BenchmarkView {
  readonly id: string;
  readonly startedAt: string;
  readonly base: string;
  readonly tuned: string;
  /** "exports/valid.jsonl", "300 records sampled from the dataset". */
  readonly source: string;
  readonly report: ReportView;
}

/** A deployment as the panel lists it: the core's DeploymentRecord without what undo needs (backup, weights, admin), and in words. */
export interface DeploymentView extends Pick<DeploymentRecord, 'time' | 'mode' | 'via' | 'target' | 'modelName' | 'tunedModel'> {
  /** "A/B 90/10 · support-bot". */
  readonly description: string;
}

/** The gateway config the user picked (the host keeps its path; the webview only shows it). */
export interface ConfigView {
  readonly file: string;
  readonly modelNames: readonly string[];
  /** router_settings.routing_strategy as written; absent: not set (LiteLLM's default, simple-shuffle). */
  readonly routingStrategy?: string;
}

/** The only LiteLLM routing strategy that reads litellm_params.weight (router.py calls simple_shuffle for it alone). */
export const WEIGHTED_ROUTING_STRATEGY = 'simple-shuffle';

/** A deployment option as the user chose it. */
export interface DeployChoice {
  readonly mode: DeployMode;
  /** replace / ab: the existing model_name; alias: the new name. */
  readonly modelName: string;
  /** ab: [base, tuned]. */
  readonly weights?: readonly [number, number];
  /** Apply through a running proxy's admin API instead of the file. */
  readonly adminUrl?: string;
  /** ab: set router_settings.routing_strategy to simple-shuffle (the user opted in; else a split LiteLLM would ignore is refused). */
  readonly setSimpleShuffle?: boolean;
}

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'deploy';
      readonly dataset: string;
      readonly datasetDir: string;
      readonly tuned?: TunedModelView;
      /** The base model benchmarks start with (the dry run's model). */
      readonly defaultBase: string;
      readonly benchmark?: BenchmarkView;
      readonly deployment?: DeploymentView;
      readonly config?: ConfigView;
      /** Benchmarks, the playground and admin-API deploys call models: not in an untrusted workspace. */
      readonly canRun: boolean;
      readonly cannotRunReason?: string;
    }
  | { readonly type: 'started'; readonly base: string; readonly total: number }
  | { readonly type: 'progress'; readonly done: number; readonly total: number; readonly errors: number; readonly baseMean?: number; readonly tunedMean?: number }
  | { readonly type: 'finished'; readonly outcome: 'done' | 'cancelled' | 'failed'; readonly message?: string }
  | { readonly type: 'config'; readonly config: ConfigView }
  /** The diff preview of a choice (empty diff: nothing would change). */
  | { readonly type: 'plan'; readonly choice: DeployChoice; readonly config: string; readonly diff: string; readonly changes: readonly string[] }
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'saveTuned'; readonly tuned: TunedModelInput }
  | { readonly type: 'runBenchmark'; readonly base: string; readonly n?: number }
  | { readonly type: 'cancel' }
  /** The host shows an open dialog for the LiteLLM config.yaml. */
  | { readonly type: 'pickConfig' }
  | { readonly type: 'preview'; readonly choice: DeployChoice }
  | { readonly type: 'deploy'; readonly choice: DeployChoice }
  | { readonly type: 'undo' }
  | { readonly type: 'openPlayground' }
  | { readonly type: 'openRecord'; readonly file: string; readonly line: number };

/** What the webview keeps with getState/setState (and the panel serializer restores). */
export interface DeployViewState {
  readonly dataset: string;
  readonly mode?: DeployMode;
}

export const HOST_MESSAGE_TYPES: readonly HostMessage['type'][] = ['deploy', 'started', 'progress', 'finished', 'config', 'plan', 'notice', 'busy', 'error'];

export const isHostMessage = messageGuard<HostMessage>(HOST_MESSAGE_TYPES);

/** A choice from the webview, checked field by field; undefined when it is not one. */
export function asDeployChoice(value: unknown): DeployChoice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { mode, modelName, weights, adminUrl, setSimpleShuffle } = value as Record<string, unknown>;
  if (!DEPLOY_MODES.includes(mode as DeployMode) || typeof modelName !== 'string' || modelName.trim() === '') return undefined;
  if (weights !== undefined && !(Array.isArray(weights) && weights.length === 2 && weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0))) return undefined;
  if (adminUrl !== undefined && (typeof adminUrl !== 'string' || !/^https?:\/\//.test(adminUrl))) return undefined;
  if (setSimpleShuffle !== undefined && (typeof setSimpleShuffle !== 'boolean' || (setSimpleShuffle && mode !== 'ab'))) return undefined;
  return {
    mode: mode as DeployMode,
    modelName: modelName.trim(),
    ...(weights ? { weights: [weights[0], weights[1]] as const } : {}),
    ...(adminUrl ? { adminUrl } : {}),
    ...(setSimpleShuffle ? { setSimpleShuffle: true } : {}),
  };
}
