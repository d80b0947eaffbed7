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

/**
 * Token statistics over valid records from a seeded reservoir sample, tokenized at the end: counting every
 * record would cost ~7x the parse. Records already counted exactly (the byte bound did not settle them) feed
 * the maximum too, so the largest prompts are never missed by the sample.
 */
export class TokenSampler {
  private readonly sample: Record<string, unknown>[] = [];
  private seen = 0;
  private exactMax = 0;
  private random: () => number;

  constructor(private readonly size = 2000, seed = 0x5eed) {
    this.random = mulberry32(seed);
  }

  add(record: Record<string, unknown>, exactCount: number | undefined): void {
    if (exactCount !== undefined && exactCount > this.exactMax) this.exactMax = exactCount;
    this.seen++;
    if (this.sample.length < this.size) {
      this.sample.push(record);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.size) this.sample[slot] = record;
  }

  stats(): TokenStats {
    const counts = this.sample.map(countRecordTokens).sort((a, b) => a - b);
    const at = (q: number) => (counts.length === 0 ? 0 : counts[Math.min(counts.length - 1, Math.floor(q * counts.length))]);
    return {
      max: Math.max(this.exactMax, counts.length === 0 ? 0 : counts[counts.length - 1]),
      p50: at(0.5),
      p90: at(0.9),
      exact: this.seen <= this.size,
      counted: counts.length,
    };
  }
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
