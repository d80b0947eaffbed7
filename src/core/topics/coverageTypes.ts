// Coverage (docs/topics.md §Coverage): each topic's count, share, target and gap, the balance, and the records behind a bar.
// Types only, so the coverage protocol (src/shared/coverageProtocol.ts) and the webview can import them; coverage.ts
// computes a report, topicsPipeline.ts lists the records.

/** One topic's coverage: a top topic (level 1, with its leaves as children) or a leaf (level 2). */
export interface TopicCoverage {
  /** "parent/leaf" for a leaf, "parent" for a top topic (or a top topic without children, which is its own leaf). */
  readonly path: string;
  readonly name: string;
  readonly description?: string;
  readonly level: 1 | 2;
  readonly count: number;
  /** count / categorized records, 0..1. */
  readonly share: number;
  /** Target share, 0..1: uniform over leaves by default, or set by the user in rft.json. */
  readonly target: number;
  /** Records to add to reach the target share at the current size: max(0, round(target × categorized − count)). */
  readonly gap: number;
  /** Records placed here with confidence below 0.7. */
  readonly lowConfidence: number;
  readonly children: readonly TopicCoverage[];
}

export type BalanceRating = 'good' | 'fair' | 'poor';

export interface CoverageReport {
  /** Valid records (duplicates once). */
  readonly total: number;
  readonly categorized: number;
  readonly uncategorized: number;
  readonly lowConfidence: number;
  /** min share / max share over leaves; 0 when a leaf has no records. */
  readonly balance: number;
  readonly rating: BalanceRating;
  /** Leaves, flat, in tree order (the `rft coverage --json` shape). */
  readonly topics: readonly TopicCoverage[];
  /** The tree: top topics with their leaves. */
  readonly tree: readonly TopicCoverage[];
  /** Whether the targets come from rft.json (false: uniform). */
  readonly customTargets: boolean;
}

/** A record behind a bar, for the list under the chart. `text` is untrusted user data: render it as text only. */
export interface RecordPreview {
  readonly key: string;
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly topic?: string;
  readonly confidence?: number;
  readonly method?: string;
}

export type RecordFilter = { readonly kind: 'topic'; readonly path: string } | { readonly kind: 'lowConfidence'; readonly path?: string } | { readonly kind: 'uncategorized' };
