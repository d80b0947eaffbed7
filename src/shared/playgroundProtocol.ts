// The playground panel's data and its one message protocol (step 7 "Test Playground"): one prompt sent to the base
// and the tuned model side by side, streamed, each answer then scored by the grader. Prompts, answers, tool calls
// and the judge's steps are untrusted text: the webview renders them as text only.
import { messageGuard } from './messageGuard';

export type Side = 'base' | 'tuned';
export const SIDES: readonly Side[] = ['base', 'tuned'];

/** A validation record the user may pick as the prompt. */
export interface PromptOption {
  readonly key: string;
  readonly file: string;
  readonly line: number;
  readonly topic: string;
  /** The last user message (cut). */
  readonly prompt: string;
}

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'playground';
      readonly dataset: string;
      readonly datasetDir: string;
      readonly base: string;
      /** Undefined until there is a tuned model (step 6, or entered in the results panel). */
      readonly tuned?: string;
      readonly records: readonly PromptOption[];
      /** Where the records come from ("exports/valid.jsonl"), or why there are none. */
      readonly recordsNote: string;
      readonly hasGrader: boolean;
      readonly canRun: boolean;
      readonly cannotRunReason?: string;
    }
  /** A new ask: both columns cleared; `prompt` is what was sent. */
  | { readonly type: 'started'; readonly id: number; readonly prompt: string; readonly models: Readonly<Record<Side, string>> }
  /** More of one side's answer text. */
  | { readonly type: 'chunk'; readonly id: number; readonly side: Side; readonly text: string }
  /** One side's answer is complete: its tool calls (as text), or the error that stands for it. */
  | { readonly type: 'answered'; readonly id: number; readonly side: Side; readonly toolCalls?: string; readonly error?: string }
  /** The grader's score and the judge's steps for one side's answer. */
  | {
      readonly type: 'scored';
      readonly id: number;
      readonly side: Side;
      readonly score: number | null;
      readonly steps: readonly string[];
      readonly subScores?: Readonly<Record<string, number>>;
      readonly error?: string;
    }
  | { readonly type: 'finished'; readonly id: number; readonly outcome: 'done' | 'cancelled' | 'failed'; readonly message?: string }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  /** Ask both models: a typed prompt, or a validation record by its key. */
  | { readonly type: 'ask'; readonly prompt?: string; readonly recordKey?: string; readonly base: string }
  | { readonly type: 'cancel' };

export interface PlaygroundViewState {
  readonly dataset: string;
  readonly prompt?: string;
}

export const HOST_MESSAGE_TYPES: readonly HostMessage['type'][] = ['playground', 'started', 'chunk', 'answered', 'scored', 'finished', 'busy', 'error'];

export const isHostMessage = messageGuard<HostMessage>(HOST_MESSAGE_TYPES);
