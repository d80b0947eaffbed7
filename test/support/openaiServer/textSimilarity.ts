// Text similarity metrics for text_similarity graders. fuzzy_match is the indel ratio (as rapidfuzz's fuzz.ratio,
// scaled to 0..1); rouge_n is the F1 of shared n-grams; rouge_l the F1 of the longest common word subsequence; cosine
// compares the test server's embeddings.
import { embedText } from './embeddings';

export const SUPPORTED_METRICS = ['fuzzy_match', 'cosine', 'rouge_1', 'rouge_2', 'rouge_3', 'rouge_4', 'rouge_5', 'rouge_l'] as const;
export const ALL_METRICS = [...SUPPORTED_METRICS, 'bleu', 'gleu', 'meteor'] as const;

export function similarity(metric: string, input: string, reference: string): number | undefined {
  if (metric === 'fuzzy_match') return fuzzyMatch(input, reference);
  if (metric === 'cosine') return cosine(embedText(input, 256), embedText(reference, 256));
  if (metric === 'rouge_l') return f1(longestCommonSubsequence(words(input), words(reference)), words(input).length, words(reference).length);
  const rouge = /^rouge_([1-5])$/.exec(metric);
  if (rouge) return rougeN(input, reference, Number(rouge[1]));
  return undefined;
}

export function fuzzyMatch(a: string, b: string): number {
  if (a.length + b.length === 0) return 1;
  return (2 * longestCommonSubsequence([...a], [...b])) / (a.length + b.length);
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function longestCommonSubsequence<T>(a: readonly T[], b: readonly T[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const itemA of a) {
    const current = [0];
    b.forEach((itemB, index) => current.push(itemA === itemB ? previous[index] + 1 : Math.max(previous[index + 1], current[index])));
    previous = current;
  }
  return previous[b.length];
}

function rougeN(input: string, reference: string, n: number): number {
  const grams = (text: string) => {
    const list = words(text);
    const counts = new Map<string, number>();
    for (let index = 0; index + n <= list.length; index++) {
      const gram = list.slice(index, index + n).join(' ');
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
    return { counts, total: Math.max(0, list.length - n + 1) };
  };
  const [candidate, target] = [grams(input), grams(reference)];
  let overlap = 0;
  for (const [gram, count] of candidate.counts) overlap += Math.min(count, target.counts.get(gram) ?? 0);
  return f1(overlap, candidate.total, target.total);
}

function f1(overlap: number, candidateTotal: number, referenceTotal: number): number {
  if (overlap === 0 || candidateTotal === 0 || referenceTotal === 0) return 0;
  const precision = overlap / candidateTotal;
  const recall = overlap / referenceTotal;
  return (2 * precision * recall) / (precision + recall);
}

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, value, index) => sum + value * b[index], 0);
}
