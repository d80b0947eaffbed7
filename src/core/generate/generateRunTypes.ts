// What a generation run asks for and reports: the strategy, the targets, the progress events, the result (`rft
// generate --json` is GenerateResult verbatim) and the estimate. Types only, so the generation protocol
// (src/shared/generateProtocol.ts) and the webview can import them; generateTypes.ts re-exports them with the loop's
// options and API.

export const STRATEGIES = ['few-shot', 'variations', 'description', 'tools'] as const;
/**
 * few-shot: examples from the topic's own records (default); variations: of one chosen record; description: from
 * the topic's name and description (topics without records); tools: scenarios that need the tools the topic's
 * records use (their `tools` array carried into the new record).
 */
export type Strategy = (typeof STRATEGIES)[number];

/** One topic to fill: a leaf path "parent/leaf" (or a top topic without children) and how many records to land. */
export interface GenerateTarget {
  readonly topic: string;
  readonly count: number;
}

/** Why a run ended: every target landed, a budget ran out (requests, tokens, or the model keeps repeating itself), or Stop. */
export type StopReason = 'target' | 'budget' | 'cancelled';

export interface TopicGeneration {
  readonly topic: string;
  /** Records asked for in this run. */
  readonly requested: number;
  /** Records written (landed) in this run. */
  readonly written: number;
  /** Candidates the model returned for this topic. */
  readonly candidates: number;
  readonly invalid: number;
  readonly duplicates: number;
  readonly nearDuplicates: number;
  readonly offTarget: number;
  /** written / candidates (0 when none). */
  readonly landedShare: number;
  /** valid candidates / candidates (0 when none). */
  readonly validShare: number;
  /** Off-target candidates written anyway (keepOffTarget), labelled with the topic they were placed in; part of offTarget. */
  readonly keptOffTarget: number;
}

/** `rft generate --json`, exactly (the contract), plus the detail the panel shows. */
export interface GenerateResult {
  readonly requested: number;
  readonly written: number;
  readonly invalid: number;
  readonly duplicates: number;
  readonly nearDuplicates: number;
  readonly offTarget: number;
  readonly requests: number;
  readonly tokens: number;
  readonly byTopic: TopicGeneration[];
  readonly stopped: StopReason;
  /** One sentence on why it stopped, e.g. "the request budget (40) is spent: 31 of 60 near-duplicates". */
  readonly reason: string;
  /** Invalid candidates by validation code (docs/validation-codes.md). */
  readonly invalidByCode: Record<string, number>;
  /** Requests whose reply was malformed or did not match the schema after the repair attempt, or failed after retries. */
  readonly failedRequests: number;
  readonly costUsd: number | null;
  /** Set when the run continued an unfinished plan (continuePlan): the plan's targets and what had landed before. */
  readonly continued?: { readonly planned: GenerateTarget[]; readonly writtenBefore: number };
}

/** A record that landed (or was rejected), for the panel's preview of the latest record. */
export interface CandidatePreview {
  readonly topic: string;
  /** The last user message's text. */
  readonly prompt: string;
  readonly outcome: 'written' | 'invalid' | 'duplicate' | 'nearDuplicate' | 'offTarget';
  /** For offTarget: where the topic model placed it. */
  readonly placedIn?: string;
  /** For invalid: the validation codes. */
  readonly codes?: string[];
  /** For written: the 1-based line in generated.jsonl. */
  readonly line?: number;
}

export type GenerateProgress =
  | { readonly kind: 'started'; readonly targets: GenerateTarget[] }
  | { readonly kind: 'candidate'; readonly preview: CandidatePreview; readonly byTopic: TopicGeneration[]; readonly requests: number; readonly tokens: number }
  | { readonly kind: 'requestFailed'; readonly topic: string; readonly message: string; readonly requests: number }
  | { readonly kind: 'finished'; readonly result: GenerateResult };

/** The estimate shown before starting (spec: a cost estimate before any call). */
export interface GenerateEstimate {
  readonly records: number;
  /** Expected requests at the assumed landed share. */
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Null when the model's price is unknown. */
  readonly costUsd: number | null;
  /** The landed share the estimate assumes (from the dataset's earlier runs, else a default). */
  readonly assumedLandedShare: number;
}
