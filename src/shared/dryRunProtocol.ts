// The dry-run results panel's data and its one message protocol, shared by the extension (host) and the webview.
// Plain data only: both sides import these types, neither imports the other. The host turns a run file of
// src/core/dryrun into these views (src/extension/dryrun/dryRunView.ts); the webview draws them.
import { messageGuard } from './messageGuard';

export type Decision = 'GO' | 'CAUTION' | 'NO-GO';
export const DECISIONS: readonly Decision[] = ['GO', 'CAUTION', 'NO-GO'];

/** One reason of the decision: names the metric, its value and the threshold ("mean 0.08 < 0.1 (NO-GO)"). */
export interface ReasonView {
  readonly text: string;
  /** The verdict of this metric, when the reason says it. */
  readonly level?: Decision;
}

/** What the panel's diagnosis buttons do. */
export type DryRunAction = 'adjustGrader' | 'rerun' | 'reviewDataset' | 'startTraining';
export const DRY_RUN_ACTIONS: readonly DryRunAction[] = ['adjustGrader', 'rerun', 'reviewDataset', 'startTraining'];

/** One line of the diagnosis (the spec's matrix), with the actions that answer it. */
export interface DiagnosisView {
  readonly text: string;
  readonly actions: readonly DryRunAction[];
}

/** A dry run's score statistics (core's DryRunStats extends them); a statistic is null when no sample was scored. */
export interface ScoreStats {
  /** Samples planned (prompts × samples per prompt). */
  readonly n: number;
  /** Prompts in the sample. */
  readonly prompts: number;
  /** Samples with a score. */
  readonly scored: number;
  /** Samples with an error (model or grader). */
  readonly errors: number;
  /** Errors by kind ("model_rate_limited", "invalid_variable_error", …). */
  readonly errorsByKind: Readonly<Record<string, number>>;
  /** errors / (scored + errors); 0 when nothing ran. */
  readonly errorShare: number;
  readonly mean: number | null;
  /** Population standard deviation. */
  readonly std: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Percentiles by linear interpolation between closest ranks (type 7, numpy's default). */
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly shareAboveZero: number | null;
  readonly shareOne: number | null;
  /** 10 bins over [0, 1]: [0, 0.1), …, [0.9, 1.0]; scores outside are clamped into the end bins. */
  readonly histogram: readonly number[];
  /** K ≥ 2: share of prompts (with ≥ 2 scored answers) whose scores are all equal (no GRPO gradient); null for K = 1. */
  readonly zeroVarianceShare: number | null;
  /** K ≥ 2: mean of the within-prompt population std; null for K = 1. */
  readonly meanWithinPromptStd: number | null;
}

/** The run's figures as the panel shows them. */
export interface StatsView extends ScoreStats {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** In US dollars; null when the model's price is not known. */
  readonly costUsd: number | null;
}

export type TopicRating = 'too hard' | 'too easy' | 'ok' | 'no data';

export interface TopicView {
  readonly topic: string;
  /** Scored samples. */
  readonly n: number;
  readonly mean: number | null;
  readonly rating: TopicRating;
}

/** One scored sample. Prompt, response, reasoning and error are untrusted text: render them as text only. */
export interface SampleView {
  /** Index in the run, for a stable order. */
  readonly index: number;
  /** 0-based index among the K answers of its prompt. */
  readonly sampleIndex: number;
  readonly key: string;
  /** The record's file, relative to the dataset, and its 1-based line. */
  readonly file: string;
  readonly line: number;
  /** Leaf path, or "uncategorized". */
  readonly topic: string;
  readonly prompt: string;
  /** null when the model call failed. */
  readonly response: string | null;
  /** null when the sample could not be scored (error). */
  readonly score: number | null;
  readonly subScores?: Readonly<Record<string, number>>;
  readonly reasoning?: string;
  readonly error?: string;
}

export interface RunSummaryView {
  /** The run file's name, e.g. "dryrun-20261201T205000Z.json". */
  readonly id: string;
  readonly startedAt: string;
  readonly status: 'running' | 'complete' | 'cancelled' | 'failed';
  readonly model: string;
  readonly samplesPerPrompt: number;
  /** null while a run is unfinished (a stopped run has its figures so far, but no decision). */
  readonly decision: Decision | null;
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

export const WEBVIEW_MESSAGE_TYPES: readonly WebviewMessage['type'][] = ['ready', 'refresh', 'rerun', 'cancel', 'adjustGrader', 'reviewDataset', 'startTraining', 'openRecord'];
export const HOST_MESSAGE_TYPES: readonly HostMessage['type'][] = ['dryRun', 'started', 'progress', 'finished', 'busy', 'error'];

export const isWebviewMessage = messageGuard<WebviewMessage>(WEBVIEW_MESSAGE_TYPES);
export const isHostMessage = messageGuard<HostMessage>(HOST_MESSAGE_TYPES);

/** Start Training is offered on GO and CAUTION (the spec), never on NO-GO. */
export function trainingAllowed(decision: Decision | null | undefined): boolean {
  return decision === 'GO' || decision === 'CAUTION';
}
