// The coverage dashboard's data and its one message protocol, shared by the extension (host) and the webview.
// Plain data only: both sides import these types, neither imports the other.

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

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'coverage';
      /** The dataset's name, for the header. */
      readonly dataset: string;
      readonly report: CoverageReport;
      readonly canGenerate: boolean;
      /** The dataset's folder: the webview keeps it as CoverageViewState.dataset, from which the panel serializer restores the panel. */
      readonly datasetDir?: string;
    }
  | { readonly type: 'records'; readonly filter: RecordFilter; readonly records: readonly RecordPreview[]; readonly total: number }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'setTargets'; readonly targets: Readonly<Record<string, number>> }
  | { readonly type: 'resetTargets' }
  | { readonly type: 'showRecords'; readonly filter: RecordFilter }
  | { readonly type: 'openRecord'; readonly file: string; readonly line: number }
  | { readonly type: 'categorize' }
  | { readonly type: 'generate'; readonly path: string; readonly count: number };

/** What the webview keeps with getState/setState (and the panel serializer restores). */
export interface CoverageViewState {
  /** The dataset's folder (the coverage message's datasetDir; its name when the host sent no folder). */
  readonly dataset: string;
  readonly expanded: readonly string[];
  readonly filter?: RecordFilter;
}

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && ['ready', 'refresh', 'setTargets', 'resetTargets', 'showRecords', 'openRecord', 'categorize', 'generate'].includes(type);
}
