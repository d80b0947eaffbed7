// The records browser's data and its one message protocol, shared by the extension (host) and the webview, and
// the dataset summary (spec Display F) that the browser's header, the tree tooltip and `rft status` show.
// Plain data only: the core (src/core/records, src/core/pipeline/datasetSummary.ts) computes these shapes.
import { messageGuard } from './messageGuard';

/** Where a record line lives: records.jsonl (from traces or imports) or generated.jsonl (synthetic). */
export type RecordOrigin = 'traces' | 'generated';
export const RECORD_ORIGINS: readonly RecordOrigin[] = ['traces', 'generated'];
export type RecordStatus = 'valid' | 'invalid' | 'duplicate';
export const RECORD_STATUSES: readonly RecordStatus[] = ['valid', 'invalid', 'duplicate'];

/** One line of a dataset as the records browser and `rft records` list it. Its text is untrusted: show it as text. */
export interface RecordRow {
  /** The file's name in the dataset folder (records.jsonl or generated.jsonl). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** The record key; absent for an invalid line that has none. */
  readonly key?: string;
  readonly status: RecordStatus;
  /** The line's validation codes (errors for an invalid line, warnings for a valid one, `duplicate`). */
  readonly codes?: string[];
  /** For a duplicate: where the first occurrence is. */
  readonly duplicateOf?: { readonly file: string; readonly line: number };
  readonly origin: RecordOrigin;
  /** A leaf path "parent/leaf": the record's own metadata.topic, else its label. */
  readonly topic?: string;
  readonly confidence?: number;
  /** How the topic was set: embedding, llm, keyword or manual. */
  readonly method?: string;
  /** The topic is the record's own metadata.topic (a manual label that wins over any other). */
  readonly ownTopic?: boolean;
  readonly lowConfidence: boolean;
  /** A one-line preview: the last user message (or the raw line when it is not a record). */
  readonly text: string;
}

/** What to list; every field narrows the list, all of them together. */
export interface RecordsFilter {
  /** A leaf path, or a parent topic (all its leaves). */
  readonly topic?: string;
  /** Only records without a topic. */
  readonly uncategorized?: boolean;
  readonly status?: RecordStatus;
  /** Lines that carry this validation code (DESIGN §3). */
  readonly code?: string;
  readonly origin?: RecordOrigin;
  /** Records placed with confidence below 0.7. */
  readonly lowConfidence?: boolean;
  /** Case-insensitive substring of the record's user turns (the raw line for a line that is no record). */
  readonly search?: string;
}

export interface RecordsPage {
  /** Lines matching the filter, all of them (not just this page). */
  readonly total: number;
  readonly offset: number;
  readonly rows: RecordRow[];
}

/** One message of a record, as text. */
export interface MessageView {
  readonly role: string;
  readonly name?: string;
  readonly text: string;
  /** Tool calls of an assistant turn, as pretty JSON text. */
  readonly toolCalls?: string;
  readonly toolCallId?: string;
}

/** A record's messages and its other top-level fields (pretty JSON text), or why it cannot be shown so. */
export interface RecordDetail {
  readonly messages: MessageView[];
  readonly fields: { readonly name: string; readonly json: string }[];
  /** The line is not a JSON object: its raw text (cut at 20,000 characters). */
  readonly raw?: string;
  readonly parseError?: string;
}

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
  readonly balance?: { readonly score: number; readonly rating: 'good' | 'fair' | 'poor' };
  /** No blocker. */
  readonly ready: boolean;
  readonly items: ReadinessItem[];
}

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
const WEBVIEW_MESSAGE_TYPES: readonly WebviewMessage['type'][] = ['ready', 'refresh', 'query', 'showRecord', 'openRecord', 'setTopic', 'deleteGenerated'];

export const isWebviewMessage = messageGuard<WebviewMessage>(WEBVIEW_MESSAGE_TYPES);
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
  if (status !== undefined && !RECORD_STATUSES.includes(status as RecordStatus)) throw new Error('The filter\'s status must be valid, invalid or duplicate.');
  if (origin !== undefined && !RECORD_ORIGINS.includes(origin as RecordOrigin)) throw new Error('The filter\'s origin must be traces or generated.');
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
