import { contentText, isPlainObject } from '../validation/recordShape';
import type { TraceCall } from './traceCall';

/** What to extract (the spec's trace filters). Every field is optional. */
export interface TraceFilters {
  /** ISO times; compared with the call's start time. A call without a time is kept only without a range. */
  readonly since?: string;
  readonly until?: string;
  /** Model names, exact or globs (`gpt-4o*`, `claude-?-*`). */
  readonly models?: readonly string[];
  /** Tag or metadata values that must all match (`{"team":"support"}`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Text that must occur (case-insensitive) in the messages. */
  readonly contains?: string;
  /** At most this many records (after every other filter). */
  readonly limit?: number;
  /** A random sample of this many, reproducible with `seed`. */
  readonly sample?: number;
  readonly seed?: number;
  /** Keep calls the source recorded as failed (skipped by default: an error is no answer to learn from). */
  readonly includeFailed?: boolean;
}

export const FAILED_CALL = 'failed call';

/** Why a call is filtered out, or undefined when it passes; reasons are counted in the extraction report. */
export function filterReason(call: TraceCall, filters: TraceFilters): string | undefined {
  if (call.failed !== undefined && !filters.includeFailed) return FAILED_CALL;
  if (filters.since || filters.until) {
    const time = call.startTime ? Date.parse(call.startTime) : NaN;
    if (Number.isNaN(time)) return 'no start time (a time range is set)';
    if (filters.since && time < Date.parse(filters.since)) return 'before --since';
    if (filters.until && time >= Date.parse(filters.until)) return 'at or after --until';
  }
  if (filters.models && filters.models.length > 0 && !filters.models.some((pattern) => globMatch(pattern, call.model ?? ''))) return 'model not selected';
  if (filters.tags) {
    for (const [key, value] of Object.entries(filters.tags)) if (String(call.tags?.[key] ?? '') !== value) return `tag ${key} is not ${value}`;
  }
  if (filters.contains && !messagesText(call).includes(filters.contains.toLowerCase())) return 'text not found';
  return undefined;
}

export function globMatch(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(value);
}

function messagesText(call: TraceCall): string {
  return call.messages
    .map((m) => (isPlainObject(m) ? contentText(m.content) : ''))
    .join('\n')
    .toLowerCase();
}
