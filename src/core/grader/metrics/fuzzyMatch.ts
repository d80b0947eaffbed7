// fuzzy_match: rapidfuzz's fuzz.ratio / 100 on the raw strings (case, punctuation and whitespace kept), i.e. the
// normalized Indel similarity 1 - (|a| + |b| - 2·LCS) / (|a| + |b|) over code points.
import { lcsLength } from './lcs';
import { codePoints } from './tokenize';

export function fuzzyMatch(input: string, reference: string): number {
  const a = codePoints(input);
  const b = codePoints(reference);
  const total = a.length + b.length;
  const distance = total - 2 * lcsLength(a, b);
  // Two empty strings are identical for rapidfuzz 3 (ratio 100). The * 100 / 100 keeps rapidfuzz's rounding.
  const normalizedDistance = total === 0 ? 0 : distance / total;
  return ((1 - normalizedDistance) * 100) / 100;
}
