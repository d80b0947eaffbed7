import { countRecordTokens } from './tokens';

export interface TokenStats {
  readonly max: number;
  readonly p50: number;
  readonly p90: number;
  /** True when every valid record was counted; false when the figures come from a sample. */
  readonly exact: boolean;
  /** How many records the figures are computed from. */
  readonly counted: number;
}

export interface KeyedRecord {
  readonly key: string;
  readonly record: Record<string, unknown>;
}

export const TOKEN_SAMPLE_SIZE = 2000;

/**
 * A sample of valid records for token statistics: the `size` records with the smallest record keys ("bottom-k").
 * Keys are hashes, so this is a uniform sample; it is deterministic, ignores duplicates (they share a key) and
 * merges across worker threads. Tokenizing happens only for the final, merged sample (in one thread): counting
 * every record would cost ~7x the parse.
 */
export class TokenSampler {
  private entries: KeyedRecord[] = [];
  private threshold: string | undefined;

  constructor(private readonly size = TOKEN_SAMPLE_SIZE) {}

  add(key: string, record: Record<string, unknown>): void {
    if (this.threshold !== undefined && key >= this.threshold) return;
    this.entries.push({ key, record });
    if (this.entries.length >= 2 * this.size) this.trim();
  }

  sample(): KeyedRecord[] {
    this.trim();
    return this.entries;
  }

  private trim(): void {
    this.entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.entries = this.entries.filter((entry, i) => i === 0 || entry.key !== this.entries[i - 1].key).slice(0, this.size);
    if (this.entries.length === this.size) this.threshold = this.entries[this.entries.length - 1].key;
  }
}

/** Statistics from merged samples; `exactMax` is the largest count computed exactly during validation. */
export function tokenStats(samples: readonly KeyedRecord[], exactMax: number, validRecords: number, size = TOKEN_SAMPLE_SIZE): TokenStats {
  const byKey = new Map(samples.map((s) => [s.key, s.record]));
  const keys = [...byKey.keys()].sort().slice(0, size);
  const counts = keys.map((key) => countRecordTokens(byKey.get(key)!)).sort((a, b) => a - b);
  const at = (q: number) => (counts.length === 0 ? 0 : counts[Math.min(counts.length - 1, Math.floor(q * counts.length))]);
  return {
    max: Math.max(exactMax, counts.length === 0 ? 0 : counts[counts.length - 1]),
    p50: at(0.5),
    p90: at(0.9),
    exact: validRecords <= size,
    counted: counts.length,
  };
}
