// Which prompts a dry run asks (issue 11 §1): N valid records, stratified by topic — proportional shares by the
// largest-remainder method, at least MIN_PER_TOPIC from every topic (all of a smaller one), records without a label
// as their own stratum — chosen by a seeded shuffle, so the same seed and dataset give the same sample.
import { seededRandom } from '../random/seededRandom';
import { UNCATEGORIZED } from './dryRunTypes';

export const MIN_PER_TOPIC = 3;

export interface SampleCandidate {
  readonly key: string;
  readonly topic: string;
}

/** The chosen candidates in input (file) order; N ≥ the candidates takes them all. */
export function stratifiedSample<T extends SampleCandidate>(candidates: readonly T[], n: number, seed: number): T[] {
  if (n >= candidates.length) return [...candidates];
  if (n <= 0) return [];
  const strata = new Map<string, number[]>();
  candidates.forEach((candidate, index) => {
    const topic = candidate.topic || UNCATEGORIZED;
    let list = strata.get(topic);
    if (!list) strata.set(topic, (list = []));
    list.push(index);
  });
  const topics = [...strata.keys()].sort();
  const quota = allocate(
    topics.map((topic) => strata.get(topic)!.length),
    n,
  );
  const chosen: number[] = [];
  topics.forEach((topic, t) => {
    const members = [...strata.get(topic)!];
    const random = seededRandom((seed ^ hashString(topic)) >>> 0 || 1);
    // a partial Fisher–Yates: the first quota[t] places are a uniform sample
    for (let i = 0; i < quota[t]; i++) {
      const j = i + Math.floor(random() * (members.length - i));
      [members[i], members[j]] = [members[j], members[i]];
      chosen.push(members[i]);
    }
  });
  return chosen.sort((a, b) => a - b).map((index) => candidates[index]);
}

/**
 * How many from each stratum (sizes given), summing to n (< the total): first min(MIN_PER_TOPIC, size) each — or,
 * when n cannot cover that, one each from the largest strata — then the rest in proportion to what is left of
 * each stratum, by largest remainder (ties to the larger stratum, then the earlier).
 */
export function allocate(sizes: readonly number[], n: number): number[] {
  const quota = sizes.map((size) => Math.min(MIN_PER_TOPIC, size));
  const base = quota.reduce((sum, q) => sum + q, 0);
  if (base > n) {
    // not enough for the minimum everywhere: spread n one at a time over the strata, largest first
    const order = sizes.map((size, index) => ({ size, index })).sort((a, b) => b.size - a.size || a.index - b.index);
    const spread = sizes.map(() => 0);
    let left = n;
    for (let round = 0; left > 0; round++) {
      for (const { size, index } of order) {
        if (left === 0) break;
        if (spread[index] < Math.min(size, MIN_PER_TOPIC) && spread[index] === round) {
          spread[index]++;
          left--;
        }
      }
    }
    return spread;
  }
  const rest = sizes.map((size, index) => size - quota[index]);
  const restTotal = rest.reduce((sum, r) => sum + r, 0);
  const extra = n - base;
  const exact = rest.map((r) => (restTotal === 0 ? 0 : (r * extra) / restTotal));
  const floors = exact.map((value) => Math.floor(value));
  let left = extra - floors.reduce((sum, f) => sum + f, 0);
  const order = exact.map((value, index) => ({ remainder: value - floors[index], index })).sort((a, b) => b.remainder - a.remainder || sizes[b.index] - sizes[a.index] || a.index - b.index);
  for (const { index } of order) {
    if (left === 0) break;
    if (floors[index] < rest[index]) {
      floors[index]++;
      left--;
    }
  }
  return quota.map((q, index) => q + floors[index]);
}

/** FNV-1a, 32 bits. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
