// The records of a dataset as the records browser and `rft records` list them: a line's row, the filter, a page,
// a line's detail, and the index's counts. The records protocol (src/shared/recordsProtocol.ts) re-exports them.
import type { ValidationCode } from '../validation/codes';

/** Where a record line lives: records.jsonl (from traces or imports) or generated.jsonl (synthetic). */
export type RecordOrigin = 'traces' | 'generated';
export type RecordStatus = 'valid' | 'invalid' | 'duplicate';

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
  /** Lines that carry this validation code (docs/validation-codes.md). */
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

/** Figures of the indexed lines, per origin. */
export interface OriginCounts {
  total: number;
  valid: number;
  invalid: number;
  duplicates: number;
}

export interface RecordsCounts {
  readonly traces: OriginCounts;
  readonly generated: OriginCounts;
  /** Valid records (first occurrences) with a topic. */
  readonly categorized: number;
  /** Valid records with a topic placed below LOW_CONFIDENCE. */
  readonly lowConfidence: number;
  /** Valid records per leaf topic. */
  readonly byLeaf: ReadonlyMap<string, number>;
  /** Lines per validation code. */
  readonly byCode: Partial<Record<ValidationCode, number>>;
}

/** A refused or impossible records operation: the message says what and why. */
export class RecordsError extends Error {}
