// n-gram counting shared by bleu, gleu and rouge_n. Tokens never contain whitespace (both tokenizers split on
// it), so joining with a space keys each n-gram unambiguously.

export type NgramCounts = Map<string, number>;

export function ngramCounts(tokens: readonly string[], n: number): NgramCounts {
  const counts: NgramCounts = new Map();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Every n-gram of orders minOrder..maxOrder together (nltk's everygrams, counted). */
export function everygramCounts(tokens: readonly string[], minOrder: number, maxOrder: number): NgramCounts {
  const counts: NgramCounts = new Map();
  for (let n = minOrder; n <= maxOrder; n++) for (const [key, count] of ngramCounts(tokens, n)) counts.set(key, count);
  return counts;
}

export function totalCount(counts: NgramCounts): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

/** The matches of `hypothesis` in `reference`, each n-gram counted at most as often as the reference has it. */
export function clippedOverlap(hypothesis: NgramCounts, reference: NgramCounts): number {
  let overlap = 0;
  for (const [key, count] of hypothesis) overlap += Math.min(count, reference.get(key) ?? 0);
  return overlap;
}
