// The coverage dashboard's data and its one message protocol, shared by the extension (host) and the webview.
// Plain data only: both sides import these types, neither imports the other. The report and the record previews are
// the core's own types (src/core/topics/coverageTypes.ts), shown as they are: this file re-exports them.
import type { BalanceRating, CoverageReport, RecordFilter, RecordPreview, TopicCoverage } from '../core/topics/coverageTypes';

export type { BalanceRating, CoverageReport, RecordFilter, RecordPreview, TopicCoverage };

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
