/** Normalised mutual information (arithmetic mean normalisation) between two labelings of the same items. */
export function normalizedMutualInformation(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const n = a.length;
  if (n === 0 || n !== b.length) throw new Error('labelings must be non-empty and of equal length');
  const countA = new Map<string | number, number>();
  const countB = new Map<string | number, number>();
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    countA.set(a[i], (countA.get(a[i]) ?? 0) + 1);
    countB.set(b[i], (countB.get(b[i]) ?? 0) + 1);
    const key = `${a[i]}\u0000${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  let mutual = 0;
  for (const [key, nij] of joint) {
    const [x, y] = key.split('\u0000');
    const ai = countA.get(typeof a[0] === 'number' ? Number(x) : x)!;
    const bj = countB.get(typeof b[0] === 'number' ? Number(y) : y)!;
    mutual += (nij / n) * Math.log((n * nij) / (ai * bj));
  }
  const entropy = (counts: Map<unknown, number>) => -[...counts.values()].reduce((sum, c) => sum + (c / n) * Math.log(c / n), 0);
  const denominator = (entropy(countA) + entropy(countB)) / 2;
  return denominator === 0 ? 1 : mutual / denominator;
}
