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
}

/** Why a call is filtered out, or undefined when it passes; reasons are counted in the extraction report. */
export function filterReason(call: TraceCall, filters: TraceFilters): string | undefined {
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
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(value);
}

function messagesText(call: TraceCall): string {
  return call.messages.map((m) => (isPlainObject(m) ? contentText(m.content) : '')).join('\n').toLowerCase();
}

/** A seeded reservoir sample: the same seed and input give the same selection. */
export class SeededSample<T> {
  private readonly kept: { index: number; item: T }[] = [];
  private seen = 0;
  private state: number;

  constructor(private readonly size: number, seed: number) {
    this.state = seed >>> 0 || 1;
  }

  add(item: T): void {
    const index = this.seen++;
    if (this.kept.length < this.size) this.kept.push({ index, item });
    else {
      const slot = Math.floor(this.next() * this.seen);
      if (slot < this.size) this.kept[slot] = { index, item };
    }
  }

  /** The sample in input order. */
  items(): T[] {
    return [...this.kept].sort((a, b) => a.index - b.index).map((entry) => entry.item);
  }

  private next(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
}
