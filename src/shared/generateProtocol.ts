// The generation panel's data and its one message protocol, shared by the extension (host) and the webview.
// Plain data only: both sides import these types, neither imports the other. The figures are the core's
// (src/core/generate/generateRunTypes.ts), which the host passes through: the views below are derived from them.
import type { CandidatePreview, GenerateEstimate, GenerateResult, GenerateTarget, StopReason, Strategy, TopicGeneration } from '../core/generate/generateRunTypes';
import type { TopicCoverage } from '../core/topics/coverageTypes';
import { messageGuard } from './messageGuard';

export type StrategyName = Strategy;

/** The strategies as the panel offers them: the default first, each with a one-line explanation. */
export const STRATEGY_CHOICES: readonly { readonly value: StrategyName; readonly label: string; readonly explanation: string }[] = [
  { value: 'few-shot', label: 'Few-shot from the topic’s records', explanation: 'The model sees a few of the topic’s own records and writes new ones like them (the default).' },
  { value: 'variations', label: 'Variations of a record', explanation: 'Each request varies one record of the topic, in turn: close to the data, less spread.' },
  { value: 'description', label: 'From the topic’s name and description', explanation: 'For topics with few or no records (e.g. from a template): the model works from the topic alone.' },
  { value: 'tools', label: 'Tool-chain scenarios', explanation: 'Prompts that need the tools the topic’s records use; their tools array is carried into the new records.' },
];
export const STRATEGY_NAMES: readonly StrategyName[] = STRATEGY_CHOICES.map((choice) => choice.value);

/** One leaf topic as the setup table shows it: its figures from the coverage report, without the name, description and level. */
export type TopicRowView = Pick<TopicCoverage, 'path' | 'count' | 'share' | 'target' | 'gap'>;

/** One topic to fill. */
export type TargetView = GenerateTarget;

/** A topic's figures in this run: the core's TopicGeneration less keptOffTarget, which the panel does not show (it is part of offTarget). */
export type TopicProgressView = Omit<TopicGeneration, 'keptOffTarget'>;

export type CandidateOutcome = CandidatePreview['outcome'];

/** The latest candidate. `prompt` is untrusted model output: render it as text only. */
export type PreviewView = CandidatePreview;

/** The estimate before starting. */
export type EstimateView = GenerateEstimate;

export type StopReasonName = StopReason;

/** How a run ended: the core's GenerateResult, whose topics the panel shows as TopicProgressView. */
export type ResultView = Omit<GenerateResult, 'byTopic'> & { readonly byTopic: readonly TopicProgressView[] };

/** Why generation cannot start here: no topics (step 2 first), an untrusted workspace, no provider. */
export interface Blocker {
  readonly kind: 'noTopics' | 'untrusted' | 'noProvider';
  readonly message: string;
}

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'setup';
      readonly dataset: string;
      /** The dataset's folder: the webview keeps it as GenerateViewState.dataset, from which the panel serializer restores the panel. */
      readonly datasetDir: string;
      /** Leaf topics in tree order. */
      readonly topics: readonly TopicRowView[];
      /** The counts to start from: the gaps, or only the topic chosen on the dashboard. */
      readonly counts: Readonly<Record<string, number>>;
      /** The model to start from (rftStudio.provider.chatModel). */
      readonly model: string;
      /** Set when generation cannot start. */
      readonly blocker?: Blocker;
    }
  /** The answer to an `estimate` request (`id` echoes it: older answers are dropped). */
  | { readonly type: 'estimate'; readonly id: number; readonly estimate?: EstimateView; readonly message?: string }
  | { readonly type: 'started'; readonly model: string; readonly strategy: StrategyName; readonly targets: readonly TargetView[] }
  | {
      readonly type: 'progress';
      readonly byTopic: readonly TopicProgressView[];
      readonly requests: number;
      readonly tokens: number;
      readonly failedRequests: number;
      readonly lastFailure?: string;
      readonly preview?: PreviewView;
    }
  /** The run ended: its result when the loop gave one, else why it did not. */
  | { readonly type: 'finished'; readonly outcome: 'done' | 'cancelled' | 'failed'; readonly result?: ResultView; readonly message?: string }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

export interface RunRequest {
  readonly targets: readonly TargetView[];
  readonly strategy: StrategyName;
  readonly model: string;
}

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | ({ readonly type: 'estimate'; readonly id: number } & RunRequest)
  | ({ readonly type: 'start' } & RunRequest)
  /** Stop the run: the records landed so far stay in generated.jsonl. */
  | { readonly type: 'stop' }
  | { readonly type: 'openCoverage' }
  | { readonly type: 'reviewRecords' }
  | { readonly type: 'generateTopics' };

/** What the webview keeps with getState/setState (and the panel serializer restores). */
export interface GenerateViewState {
  /** The dataset's folder (the setup message's datasetDir). */
  readonly dataset: string;
  readonly strategy?: StrategyName;
  readonly model?: string;
}

/** Counts per topic, in the table and in a run. */
export const MAX_COUNT = 100_000;

export const HOST_MESSAGE_TYPES: readonly HostMessage['type'][] = ['setup', 'estimate', 'started', 'progress', 'finished', 'busy', 'error'];

export const isHostMessage = messageGuard<HostMessage>(HOST_MESSAGE_TYPES);
