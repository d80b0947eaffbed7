// gleu: nltk's sentence_gleu([reference], hypothesis): the 1- to 4-grams both share, over the larger count.
import { clippedOverlap, everygramCounts, totalCount } from './ngrams';

export function gleu(hypothesis: readonly string[], reference: readonly string[]): number {
  const hypothesisGrams = everygramCounts(hypothesis, 1, 4);
  const referenceGrams = everygramCounts(reference, 1, 4);
  const all = Math.max(totalCount(hypothesisGrams), totalCount(referenceGrams));
  return all === 0 ? 0 : clippedOverlap(hypothesisGrams, referenceGrams) / all;
}
