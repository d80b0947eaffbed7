// Small helpers every trace-file adapter shares: JSON-in-a-string decoding, times, tags, detection by majority,
// and a guard that turns an unexpected exception into a skip (adapters never throw on bad input).
import { isPlainObject } from '../../validation/recordShape';
import type { AdapterOutput, TraceCall, TraceSkip } from '../traceCall';

export { isPlainObject };

export type Detection = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const NO_OUTPUT: AdapterOutput = { calls: [], skips: [] };

/** The skip for an item that is not an object at all. */
export function notAnObject(at: string, item: unknown): AdapterOutput {
  return skipOnly(at, `not a JSON object (it is ${describeType(item)})`);
}

export function skipOnly(at: string, reason: string): AdapterOutput {
  return { calls: [], skips: [{ at, reason }] };
}

export function callOnly(call: TraceCall): AdapterOutput {
  return { calls: [call], skips: [] };
}

/** Concatenates outputs of sub-items (batch events, spans, `data` elements). */
export function mergeOutputs(outputs: readonly AdapterOutput[]): AdapterOutput {
  const calls: TraceCall[] = [];
  const skips: TraceSkip[] = [];
  for (const output of outputs) {
    calls.push(...output.calls);
    skips.push(...output.skips);
  }
  return { calls, skips };
}

/** Runs an adapter's reader; an exception (a bug, or input stranger than foreseen) becomes a skip, never a throw. */
export function guarded(at: string, read: () => AdapterOutput): AdapterOutput {
  try {
    return read();
  } catch (error) {
    return skipOnly(at, `could not read this item: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Columns that gateways store as JSON text (LiteLLM spend logs, some exports): decoded when they hold JSON. */
export function decodeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

/** A human description of a value's type for skip reasons: "a string", "null", "an array". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'undefined' ? 'missing' : `a ${typeof value}`;
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function firstString(...values: unknown[]): string | undefined {
  for (const value of values) {
    const text = nonEmptyString(value);
    if (text !== undefined) return text;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

export function firstNumber(...values: unknown[]): number | undefined {
  for (const value of values) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  return undefined;
}

const NAIVE_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?$/;

/**
 * A time as ISO 8601 (UTC), from what tracers write: epoch numbers (seconds, milliseconds, microseconds or
 * nanoseconds, told apart by magnitude; digit strings too, as OTLP/JSON writes nanoseconds), ISO strings with
 * any offset, and Python's naive `YYYY-MM-DD HH:MM:SS.ffffff` (LiteLLM), read as UTC. Undefined when unreadable.
 */
export function toIsoTime(value: unknown): string | undefined {
  let millis: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) millis = epochToMillis(value);
  else if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d{17,}$/.test(text))
      millis = Number(BigInt(text) / 1_000_000n); // nanoseconds, exactly
    else if (/^\d+(\.\d+)?$/.test(text)) millis = epochToMillis(Number(text));
    else {
      const naive = NAIVE_DATE_TIME.exec(text);
      const iso = naive ? `${naive[1]}T${naive[2]}${naive[3] ? naive[3].slice(0, 4) : ''}Z` : text;
      const parsed = Date.parse(iso);
      if (!Number.isNaN(parsed)) millis = parsed;
    }
  }
  if (millis === undefined || !Number.isFinite(millis)) return undefined;
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `{ startTime }` when the value is a readable time, else nothing (for spreading into a TraceCall). */
export function timeField(value: unknown): { startTime?: string } {
  const startTime = toIsoTime(value);
  return startTime ? { startTime } : {};
}

function epochToMillis(value: number): number {
  if (value >= 1e17) return Math.floor(value / 1e6); // nanoseconds
  if (value >= 1e14) return Math.floor(value / 1e3); // microseconds
  if (value >= 1e11) return value; // milliseconds
  return Math.round(value * 1000); // seconds
}

/** The words of an error as sources log it: a string, or an object with a message (maybe nested), type or code. */
export function errorText(value: unknown): string | undefined {
  const decoded = decodeJson(value);
  if (typeof decoded === 'string') return nonEmptyString(decoded);
  if (!isPlainObject(decoded)) return undefined;
  return (
    firstString(decoded.message, isPlainObject(decoded.error) ? decoded.error.message : decoded.error, decoded.error_message, decoded.type, decoded.code) ??
    (Object.keys(decoded).length > 0 ? 'error' : undefined)
  );
}

/** "HTTP 500" (with the error's words when known) for an HTTP status of 400 or more, else undefined. */
export function httpFailure(status: unknown, error?: unknown): string | undefined {
  const code = firstNumber(status);
  if (code === undefined || code < 400) return undefined;
  const words = errorText(error);
  return words ? `HTTP ${code}: ${words}` : `HTTP ${code}`;
}

/** Tags without empty values (null, undefined, '', [], {}), so filters and metadata stay small. */
export function compactTags(tags: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (isPlainObject(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The scalar (string, number, boolean) entries of a metadata object: what is worth keeping as tags. */
export function scalarEntries(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isPlainObject(value)) return out;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string' || typeof entry === 'boolean' || (typeof entry === 'number' && Number.isFinite(entry))) out[key] = entry;
  }
  return out;
}

/** String tags from a list that may be JSON-encoded (`"[\"a\",\"b\"]"`). */
export function stringList(value: unknown): string[] | undefined {
  const decoded = decodeJson(value);
  if (!Array.isArray(decoded)) return undefined;
  const list = decoded.filter((entry): entry is string => typeof entry === 'string' && entry !== '');
  return list.length > 0 ? list : undefined;
}

/**
 * Detection by majority: the format matches when at least half of the sample's items look like it (a few
 * malformed lines do not hide a format), and at least one does. `what` names the expected shape, e.g.
 * "an OTLP/JSON object with resourceSpans".
 */
export function detectBy(sample: readonly unknown[], matches: (item: unknown) => boolean, what: string): Detection {
  if (sample.length === 0) return { ok: false, reason: 'the sample is empty' };
  let hits = 0;
  for (const item of sample) if (matches(item)) hits++;
  if (hits === 0) return { ok: false, reason: `none of ${sample.length} item${sample.length === 1 ? '' : 's'} is ${what}` };
  if (hits * 2 < sample.length) return { ok: false, reason: `only ${hits} of ${sample.length} items are ${what} (at least half must be)` };
  return { ok: true };
}

/** `{data:[…]}` (an API page) or `{data:{…}}` (a single-object API answer): the elements, else undefined. */
export function dataElements(item: Record<string, unknown>): unknown[] | undefined {
  if (Array.isArray(item.data)) return item.data;
  if (isPlainObject(item.data)) return [item.data];
  return undefined;
}
