// The one shape every trace source is read into, before it becomes a prompt record (docs/dataset-format.md §Records, docs/models.md).
// Adapters (one per gateway or log format) produce TraceCalls; `toPromptRecord` turns one into a record.

export const TRACE_SOURCE_KINDS = ['openai', 'litellm', 'langfuse', 'otel', 'helicone', 'requestlog', 'chat'] as const;
export type TraceSourceKind = (typeof TRACE_SOURCE_KINDS)[number];

/** One LLM call as a gateway or tracer recorded it, normalised to the OpenAI chat shapes where possible. */
export interface TraceCall {
  /** The source's own id for this call (request id, span id, completion id, generation id, line number). */
  readonly id: string;
  /** The trace it belongs to, when the source groups calls (Langfuse trace, OTel trace id). */
  readonly traceId?: string;
  readonly source: TraceSourceKind;
  readonly model?: string;
  /** When the call started, ISO 8601; filters by time range compare this. */
  readonly startTime?: string;
  /** The request messages, in OpenAI chat format (role + content, tool_calls, tool_call_id). */
  readonly messages: unknown[];
  /** Tool definitions as sent; may be flat (OTel/Responses style) — conversion normalises them. */
  readonly tools?: unknown[];
  /** The model's answer: its text and/or tool calls (arguments may be objects; conversion encodes them). */
  readonly response?: { readonly content?: unknown; readonly tool_calls?: unknown[] };
  /** Tags and other metadata worth keeping (user, team, environment, cost…). */
  readonly tags?: Record<string, unknown>;
  /**
   * Set when the source recorded the call as failed (error status, error level, HTTP status ≥ 400): what it
   * says went wrong. Failed calls are skipped unless the filters include them.
   */
  readonly failed?: string;
}

/** Why an input item did not become a call: kept in the extraction report, never silently dropped. */
export interface TraceSkip {
  readonly reason: string;
  /** Where: "line 12", "span 5b8aa5a2…", "record 3". */
  readonly at: string;
}

export type AdapterOutput = { readonly calls: TraceCall[]; readonly skips: TraceSkip[] };

/**
 * A file-format adapter. `items` are the top-level JSON values of the file (each line of a JSONL file, or the
 * elements of a JSON array, or the single object of a JSON file).
 */
export interface TraceFileAdapter {
  readonly kind: TraceSourceKind;
  /** Whether a sample of items looks like this format; when not, why (shown when detection fails). */
  detect(sample: readonly unknown[]): { readonly ok: true } | { readonly ok: false; readonly reason: string };
  /** Reads one item; `at` names it in skip reasons ("line 12"). */
  read(item: unknown, at: string): AdapterOutput;
}
