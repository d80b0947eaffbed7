// Which records go to validation (spec Step F): a share of all records, stratified by topic by largest remainder, at
// least one per topic that has two or more records (when the validation size allows), never a topic's last train
// record, generated records only when allowed, chosen by a seeded partial shuffle per topic.
import { hashString } from '../dryrun/sampling';
import { seededRandom } from '../random/seededRandom';

export interface StratumMembers {
  readonly name: string;
  /** Record indices of the stratum. */
  readonly members: number[];
  /** Of those, the indices that may go to validation (all but generated ones, unless they may). */
  readonly eligible: number[];
}

export interface Allocation {
  readonly name: string;
  readonly size: number;
  /** How many of the stratum go to validation. */
  readonly valid: number;
}

/** Validation quotas per stratum summing to at most `target` (less only when the strata cannot give more). */
export function allocateValidation(strata: readonly { name: string; size: number; eligible: number }[], target: number): Allocation[] {
  // a topic keeps at least one train record; a one-record topic can be in only one of them, so it has no minimum
  const cap = strata.map((s) => Math.min(s.eligible, s.size >= 2 ? s.size - 1 : s.size));
  const capTotal = cap.reduce((sum, c) => sum + c, 0);
  const want = Math.min(target, capTotal);
  const exact = proportional(
    strata.map((s) => s.size),
    cap,
    want,
  );
  const floor = strata.map((s, i): number => (s.size >= 2 && cap[i] > 0 ? 1 : 0));
  const order = strata.map((s, i) => ({ i, size: s.size, name: s.name })).sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let quota: number[];
  if (floor.reduce((sum, f) => sum + f, 0) > want) {
    // too few validation places for one per topic: the largest topics get one each
    quota = strata.map(() => 0);
    let left = want;
    for (const { i } of order) {
      if (left > 0 && floor[i] > 0) {
        quota[i] = 1;
        left--;
      }
    }
  } else {
    quota = strata.map((_, i) => Math.max(floor[i], Math.min(cap[i], Math.floor(exact[i]))));
    let diff = want - quota.reduce((sum, q) => sum + q, 0);
    while (diff !== 0) {
      const step = diff > 0 ? 1 : -1;
      let best = -1;
      let bestGap = -Infinity;
      for (const { i } of order) {
        const movable = step > 0 ? quota[i] < cap[i] : quota[i] > floor[i];
        const gap = step > 0 ? exact[i] - quota[i] : quota[i] - exact[i];
        if (movable && gap > bestGap) {
          best = i;
          bestGap = gap;
        }
      }
      if (best < 0) break;
      quota[best] += step;
      diff -= step;
    }
  }
  return strata.map((s, i) => ({ name: s.name, size: s.size, valid: quota[i] }));
}

/** want spread over the sizes in proportion, where a stratum that reaches its cap passes the rest on to the others. */
function proportional(sizes: readonly number[], cap: readonly number[], want: number): number[] {
  const exact = sizes.map(() => 0);
  let active = sizes.map((_, i) => i).filter((i) => cap[i] > 0);
  let left = want;
  for (;;) {
    const total = active.reduce((sum, i) => sum + sizes[i], 0);
    const full = active.filter((i) => (sizes[i] * left) / total > cap[i]);
    if (full.length === 0 || total === 0) {
      for (const i of active) exact[i] = total === 0 ? 0 : (sizes[i] * left) / total;
      return exact;
    }
    for (const i of full) {
      exact[i] = cap[i];
      left -= cap[i];
    }
    active = active.filter((i) => !full.includes(i));
  }
}

/** The validation records: `quota` eligible members of each stratum, a seeded uniform choice. */
export function chooseValidation(strata: readonly StratumMembers[], quotas: readonly number[], seed: number): Set<number> {
  const chosen = new Set<number>();
  strata.forEach((stratum, s) => {
    const pool = [...stratum.eligible];
    const random = seededRandom((seed ^ hashString(stratum.name)) >>> 0 || 1);
    for (let i = 0; i < quotas[s]; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
      chosen.add(pool[i]);
    }
  });
  return chosen;
}

/** A seeded choice of `n` of the indices (for an explicit --max-train / --max-valid cut), stratified like the split. */
export function stratifiedSubset(strata: readonly StratumMembers[], n: number, seed: number): Set<number> {
  const quotas = allocateShares(
    strata.map((s) => s.members.length),
    n,
  );
  return chooseValidation(
    strata.map((s) => ({ ...s, eligible: s.members })),
    quotas,
    seed ^ 0x5bd1e995,
  );
}

/** n split over sizes in proportion, by largest remainder (ties to the larger, then the earlier). */
function allocateShares(sizes: readonly number[], n: number): number[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (n >= total) return [...sizes];
  const exact = sizes.map((size) => (size * n) / total);
  const quota = exact.map((value) => Math.floor(value));
  let left = n - quota.reduce((sum, q) => sum + q, 0);
  const order = exact.map((value, i) => ({ i, remainder: value - quota[i] })).sort((a, b) => b.remainder - a.remainder || sizes[b.i] - sizes[a.i] || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    if (quota[i] < sizes[i]) {
      quota[i]++;
      left--;
    }
  }
  return quota;
}
