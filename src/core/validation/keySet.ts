/** Where a record key was first seen. */
export interface FirstSeen {
  readonly fileIndex: number;
  readonly line: number;
}

const STRIDE = 4; // hi, lo, file index, line

/**
 * The record keys (16 hex digits, 64 bits) seen so far and where each was first seen, in one flat typed array:
 * about 32 bytes per record instead of a few hundred for a Map of strings, so deduplicating millions of records
 * stays small.
 */
export class RecordKeySet {
  private table = new Uint32Array(STRIDE * 1024);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Records the key; returns where it was first seen when it was already present. */
  addOrFind(key: string, fileIndex: number, line: number): FirstSeen | undefined {
    let hi = parseInt(key.slice(0, 8), 16) >>> 0;
    const lo = parseInt(key.slice(8, 16), 16) >>> 0;
    if (hi === 0 && lo === 0) hi = 1; // (0, 0) marks an empty slot
    if ((this.used + 1) * 2 * STRIDE > this.table.length) this.grow();
    return this.insert(hi, lo, fileIndex, line);
  }

  private insert(hi: number, lo: number, fileIndex: number, line: number): FirstSeen | undefined {
    const mask = this.table.length / STRIDE - 1;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
    for (;;) {
      slot &= mask;
      const at = slot * STRIDE;
      const h = this.table[at];
      const l = this.table[at + 1];
      if (h === 0 && l === 0) {
        this.table[at] = hi;
        this.table[at + 1] = lo;
        this.table[at + 2] = fileIndex;
        this.table[at + 3] = line;
        this.used++;
        return undefined;
      }
      if (h === hi && l === lo) return { fileIndex: this.table[at + 2], line: this.table[at + 3] };
      slot++;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.used = 0;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at] !== 0 || old[at + 1] !== 0) this.insert(old[at], old[at + 1], old[at + 2], old[at + 3]);
    }
  }
}
