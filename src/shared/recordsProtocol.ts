// The records browser's data and its one message protocol, shared by the extension (host) and the webview, and
// the dataset summary (spec Display F) that the browser's header, the tree tooltip and `rft status` show.
// Plain data only. The rows, filter, page, detail and summary are the core's own types (src/core/records,
// src/core/pipeline/datasetSummaryTypes.ts), which the browser shows as they are: this file re-exports them.
import type { CountShare, DatasetSummary, ReadinessItem } from '../core/pipeline/datasetSummaryTypes';
import type { MessageView, RecordDetail, RecordOrigin, RecordRow, RecordsFilter, RecordsPage, RecordStatus } from '../core/records/recordsTypes';
import { messageGuard } from './messageGuard';

export type { CountShare, DatasetSummary, MessageView, ReadinessItem, RecordDetail, RecordOrigin, RecordRow, RecordsFilter, RecordsPage, RecordStatus };
export const RECORD_ORIGINS: readonly RecordOrigin[] = ['traces', 'generated'];
export const RECORD_STATUSES: readonly RecordStatus[] = ['valid', 'invalid', 'duplicate'];

/** Messages from the extension to the records browser. */
export type HostMessage =
  | {
      readonly type: 'records';
      /** Display name of the dataset. */
      readonly dataset: string;
      /** The dataset's folder: the webview keeps it as RecordsViewState.dataset, from which the serializer restores the panel. */
      readonly datasetDir: string;
      readonly summary: DatasetSummary;
      /** Leaf paths the topic picker offers (topics.json's, then any others records carry). */
      readonly topics: string[];
      /** Codes present in the dataset, with their line counts. */
      readonly codes: { readonly code: string; readonly count: number }[];
      readonly filter: RecordsFilter;
      readonly page: RecordsPage;
      readonly pageSize: number;
      /** Setting a topic needs topics.json. */
      readonly canSetTopic: boolean;
    }
  | { readonly type: 'page'; readonly filter: RecordsFilter; readonly page: RecordsPage }
  | { readonly type: 'detail'; readonly file: string; readonly line: number; readonly row: RecordRow; readonly detail: RecordDetail }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** Messages from the records browser to the extension (the host checks every field). */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'query'; readonly filter: RecordsFilter; readonly offset: number }
  | { readonly type: 'showRecord'; readonly file: string; readonly line: number }
  | { readonly type: 'openRecord'; readonly file: string; readonly line: number }
  | { readonly type: 'setTopic'; readonly file: string; readonly line: number }
  | { readonly type: 'deleteGenerated'; readonly lines: number[] };

/** What the webview keeps across reloads (getState/setState). */
export interface RecordsViewState {
  readonly dataset: string;
  readonly filter?: RecordsFilter;
  readonly offset?: number;
  readonly selected?: { readonly file: string; readonly line: number };
}

export const RECORDS_PAGE_SIZE = 100;

const HOST_MESSAGE_TYPES: readonly HostMessage['type'][] = ['records', 'page', 'detail', 'busy', 'notice', 'error'];

export const isHostMessage = messageGuard<HostMessage>(HOST_MESSAGE_TYPES);

/** The filter the webview sent, checked field by field (unknown fields dropped); throws on a wrong one. */
export function checkedFilter(value: unknown): RecordsFilter {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw new Error('A records filter must be an object.');
  const { topic, uncategorized, status, code, origin, lowConfidence, search } = value as Record<string, unknown>;
  const text = (name: string, v: unknown) => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length > 1000) throw new Error(`The filter's ${name} must be a string.`);
    return v;
  };
  const flag = (name: string, v: unknown) => {
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new Error(`The filter's ${name} must be true or false.`);
    return v;
  };
  if (status !== undefined && !RECORD_STATUSES.includes(status as RecordStatus)) throw new Error("The filter's status must be valid, invalid or duplicate.");
  if (origin !== undefined && !RECORD_ORIGINS.includes(origin as RecordOrigin)) throw new Error("The filter's origin must be traces or generated.");
  const filter: Record<string, unknown> = {
    topic: text('topic', topic) || undefined,
    uncategorized: flag('uncategorized', uncategorized) || undefined,
    status,
    code: text('code', code) || undefined,
    origin,
    lowConfidence: flag('lowConfidence', lowConfidence) || undefined,
    search: text('search', search) || undefined,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as RecordsFilter;
}
