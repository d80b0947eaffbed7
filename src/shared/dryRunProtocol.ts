// The dry-run results panel's data and its one message protocol, shared by the extension (host) and the webview.
// Plain data only: both sides import these types, neither imports the other. The host turns a run file of
// src/core/dryrun into these views (src/extension/dryrun/dryRunView.ts); the webview draws them. Each view is
// derived from the run file's types (src/core/dryrun/runFileTypes.ts), so the two cannot drift apart.
import type {
  DryRunConfig,
  DryRunDecision,
  DryRunDiagnosis,
  DryRunDiagnosisAction,
  DryRunFile,
  DryRunReason,
  DryRunSample,
  DryRunStats,
  DryRunTopicStats,
  ScoreStats,
} from '../core/dryrun/runFileTypes';
import { messageGuard } from './messageGuard';

export type { ScoreStats };

export type Decision = DryRunDecision;
export const DECISIONS: readonly Decision[] = ['GO', 'CAUTION', 'NO-GO'];

/**
 * One reason of the decision: names the metric, its value and the threshold ("mean 0.08 < 0.1 (NO-GO)"). Only the
 * text and the verdict of the core's DryRunReason: a run file written before reasons were kept as data has the text
 * alone, with the verdict when the text ends in one.
 */
export type ReasonView = Pick<DryRunReason, 'text'> & Partial<Pick<DryRunReason, 'level'>>;

/** What the panel's diagnosis buttons do: the core's diagnosis actions, and Start Training, which only the panel offers. */
export type DryRunAction = DryRunDiagnosisAction | 'startTraining';
export const DRY_RUN_ACTIONS: readonly DryRunAction[] = ['adjustGrader', 'rerun', 'reviewDataset', 'startTraining'];

/**
 * One line of the diagnosis (the spec's matrix), with the actions that answer it. Unlike the core's DryRunDiagnosis,
 * `actions` is always there: for a run file written before the diagnosis was kept as data, the host reads them from the text.
 */
export interface DiagnosisView extends Pick<DryRunDiagnosis, 'text'> {
  readonly actions: readonly DryRunAction[];
}

/** The run's figures as the panel shows them: the core's ScoreStats with the usage flattened (the reference figures are not shown). */
export type StatsView = ScoreStats & DryRunStats['usage'];

export type TopicRating = DryRunTopicStats['rating'];
export type TopicView = DryRunTopicStats;

/**
 * One scored sample: the run file's sample with its index in the run, the prompt and answer cut, the judges' details
 * as one reasoning text, and no null error. Prompt, response, reasoning and error are untrusted text: render them as text only.
 */
export interface SampleView extends Pick<DryRunSample, 'sampleIndex' | 'key' | 'file' | 'line' | 'topic' | 'prompt' | 'response' | 'score'> {
  /** Index in the run, for a stable order. */
  readonly index: number;
  readonly subScores?: Readonly<Record<string, number>>;
  readonly reasoning?: string;
  readonly error?: string;
}

/** A run's header and figures: the run file's own fields, its file name as the id, and its figures as views. */
export interface RunSummaryView extends Pick<DryRunFile, 'startedAt' | 'status' | 'model' | 'decision'> {
  /** The run file's name, e.g. "dryrun-20261201T205000Z.json". */
  readonly id: string;
  readonly samplesPerPrompt: DryRunConfig['samplesPerPrompt'];
  readonly stats: StatsView;
  readonly byTopic: readonly TopicView[];
}

export interface RunView extends RunSummaryView {
  readonly reasons: readonly ReasonView[];
  readonly diagnosis: readonly DiagnosisView[];
  readonly samples: readonly SampleView[];
  /** Why the run no longer describes the dataset ("the grader changed since this run"), when it does not. */
  readonly stale?: string;
  /** Why the run failed, when it did. */
  readonly failure?: string;
}

export interface TopicProgressView {
  readonly topic: string;
  readonly done: number;
  readonly total: number;
}

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'dryRun';
      readonly dataset: string;
      /** The dataset's folder: the webview keeps it as DryRunViewState.dataset, from which the panel serializer restores the panel. */
      readonly datasetDir: string;
      /** The newest run; absent when there is none yet. */
      readonly run?: RunView;
      /** The run before it, to compare with. */
      readonly previous?: RunSummaryView;
      /** Whether a run can start here (a grader, a trusted workspace); when not, why. */
      readonly canRun: boolean;
      readonly cannotRunReason?: string;
    }
  /** A run started: the panel switches to its progress view. */
  | {
      readonly type: 'started';
      readonly model: string;
      readonly total: number;
      readonly byTopic: readonly TopicProgressView[];
      /** The tokens and cost the run expects ("Estimate: 300 answers from gpt-4o-mini, ~84,000 tokens …, ~$0.03"). */
      readonly estimate?: string;
    }
  | {
      readonly type: 'progress';
      readonly done: number;
      readonly total: number;
      readonly errors: number;
      readonly byTopic: readonly TopicProgressView[];
      /** The live histogram of the scores so far. */
      readonly histogram: readonly number[];
      readonly mean?: number;
    }
  /** The run ended (finished, stopped or failed); a `dryRun` message with the run follows when it left one. */
  | { readonly type: 'finished'; readonly outcome: 'done' | 'cancelled' | 'failed'; readonly message?: string }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  /** Re-run: the host asks for N, K and the model (as "RFT: Run Dry Run…"), then runs. */
  | { readonly type: 'rerun' }
  /** Stop the running dry run (its samples so far stay on disk). */
  | { readonly type: 'cancel' }
  | { readonly type: 'adjustGrader' }
  | { readonly type: 'reviewDataset' }
  | { readonly type: 'startTraining' }
  | { readonly type: 'openRecord'; readonly file: string; readonly line: number };

export type SampleFilter = 'lowest' | 'highest' | 'errors' | 'topic';

/** What the webview keeps with getState/setState (and the panel serializer restores). */
export interface DryRunViewState {
  /** The dataset's folder (the dryRun message's datasetDir). */
  readonly dataset: string;
  readonly filter?: SampleFilter;
  readonly topic?: string;
}

export const HOST_MESSAGE_TYPES: readonly HostMessage['type'][] = ['dryRun', 'started', 'progress', 'finished', 'busy', 'error'];

export const isHostMessage = messageGuard<HostMessage>(HOST_MESSAGE_TYPES);

/** Start Training is offered on GO and CAUTION (the spec), never on NO-GO. */
export function trainingAllowed(decision: Decision | null | undefined): boolean {
  return decision === 'GO' || decision === 'CAUTION';
}
