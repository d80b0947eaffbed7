import type { BalanceRating } from './coverageTypes';

/** Balance = min share / max share over leaf topics (docs/topics.md §Coverage), with the spec's rating. */
export function balanceOf(byLeaf: ReadonlyMap<string, number>, leaves: readonly string[]): number {
  const counts = leaves.map((leaf) => byLeaf.get(leaf) ?? 0);
  const max = Math.max(0, ...counts);
  return max === 0 ? 0 : Math.min(...counts) / max;
}

export function balanceRating(balance: number): BalanceRating {
  return balance > 0.6 ? 'good' : balance >= 0.3 ? 'fair' : 'poor';
}
