// The dataset summary (spec Display F): what the records browser's header, the tree tooltip and `rft status` show.
// Types only, so the records protocol (src/shared/recordsProtocol.ts) and the webview can import them; the function
// that computes a summary is datasetSummary.ts.
import type { BalanceRating } from '../topics/coverageTypes';

/** One thing the summary says about readiness: a blocker (not ready), a warning, or the next step of the RFT flow. */
export interface ReadinessItem {
  readonly level: 'blocker' | 'warning' | 'next';
  readonly text: string;
}

/** Count and share of the total it is part of (0..1; 0 when the total is 0). */
export interface CountShare {
  readonly count: number;
  readonly share: number;
}

/** The dataset summary, spec Display F. */
export interface DatasetSummary {
  /** Every record line: valid + invalid + duplicates. */
  readonly total: number;
  readonly fromTraces: CountShare;
  readonly generated: CountShare;
  readonly valid: CountShare;
  readonly invalid: CountShare;
  readonly duplicates: CountShare;
  /** Valid records with a topic (share of valid records); absent while the dataset has no topics. */
  readonly categorized?: CountShare;
  /** min share / max share over leaf topics, with the spec's rating; absent without categorized records. */
  readonly balance?: { readonly score: number; readonly rating: BalanceRating };
  /** No blocker. */
  readonly ready: boolean;
  readonly items: ReadinessItem[];
}
