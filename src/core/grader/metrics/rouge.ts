// rouge_1..rouge_5 and rouge_l: rouge-score 0.1.2's RougeScorer(['rougeN' | 'rougeL']).score(reference, input)
// f-measure, with its DefaultTokenizer (use_stemmer=False unless asked).
import { lcsLength } from './lcs';
import { clippedOverlap, ngramCounts, totalCount } from './ngrams';
import { porterStem } from './porterStemmer';
import { rougeTokens } from './tokenize';

export interface RougeOptions {
  readonly useStemmer?: boolean;
}

export function rougeN(input: string, reference: string, n: number, options: RougeOptions = {}): number {
  const predictionGrams = ngramCounts(tokens(input, options), n);
  const targetGrams = ngramCounts(tokens(reference, options), n);
  const overlap = clippedOverlap(targetGrams, predictionGrams);
  const precision = overlap / Math.max(totalCount(predictionGrams), 1);
  const recall = overlap / Math.max(totalCount(targetGrams), 1);
  return fmeasure(precision, recall);
}

export function rougeL(input: string, reference: string, options: RougeOptions = {}): number {
  const prediction = tokens(input, options);
  const target = tokens(reference, options);
  if (prediction.length === 0 || target.length === 0) return 0;
  const ids = tokenIds();
  const lcs = lcsLength(ids(target), ids(prediction));
  return fmeasure(lcs / prediction.length, lcs / target.length);
}

/** Numbers the words, the same number for the same word across calls, for the LCS over symbols. */
function tokenIds(): (words: readonly string[]) => Int32Array {
  const ids = new Map<string, number>();
  const idOf = (word: string): number => {
    let id = ids.get(word);
    if (id === undefined) ids.set(word, (id = ids.size));
    return id;
  };
  return (words) => Int32Array.from(words, idOf);
}

const tokens = (text: string, { useStemmer = false }: RougeOptions): string[] => rougeTokens(text, useStemmer ? porterStem : undefined);

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}
