// bleu: nltk's sentence_bleu([reference], hypothesis) with its defaults: 4-gram, uniform weights, no smoothing.
import { clippedOverlap, ngramCounts, totalCount } from './ngrams';

const MAX_ORDER = 4;
const WEIGHT = 1 / MAX_ORDER;
// Python's sys.float_info.min: nltk's method0 puts it in place of a zero precision, so a missing n-gram order
// makes the score vanishingly small (e.g. 1e-155) rather than exactly 0.
const FLOAT_INFO_MIN = 2.2250738585072014e-308;

export function bleu(hypothesis: readonly string[], reference: readonly string[]): number {
  const precisions = Array.from({ length: MAX_ORDER }, (_, k) => modifiedPrecision(hypothesis, reference, k + 1));
  if (precisions[0].numerator === 0) return 0;
  let logSum = 0;
  for (const { numerator, denominator } of precisions) logSum += WEIGHT * Math.log(numerator === 0 ? FLOAT_INFO_MIN : numerator / denominator);
  return brevityPenalty(reference.length, hypothesis.length) * Math.exp(logSum);
}

function modifiedPrecision(hypothesis: readonly string[], reference: readonly string[], n: number): { numerator: number; denominator: number } {
  const counts = ngramCounts(hypothesis, n);
  return { numerator: clippedOverlap(counts, ngramCounts(reference, n)), denominator: Math.max(1, totalCount(counts)) };
}

function brevityPenalty(referenceLength: number, hypothesisLength: number): number {
  if (hypothesisLength > referenceLength) return 1;
  if (hypothesisLength === 0) return 0;
  return Math.exp(1 - referenceLength / hypothesisLength);
}
