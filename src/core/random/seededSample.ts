import { seededRandom } from './seededRandom';

/** A seeded reservoir sample: the same seed and input give the same selection. */
export class SeededSample<T> {
  private readonly kept: { index: number; item: T }[] = [];
  private seen = 0;
  private readonly next: () => number;

  constructor(
    private readonly size: number,
    seed: number,
  ) {
    this.next = seededRandom(seed >>> 0 || 1);
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
}
