// text_similarity's lexical metrics (everything but `cosine`, which needs embeddings), each scoring `input`
// against `reference` in [0, 1] as OpenAI's grader image does (nltk 3.9, rouge-score 0.1.2, rapidfuzz).
// pythonMetrics.ts holds the same metrics in standard-library Python for the compiled reward module.
import type { TextSimilarityMetric } from '../graderSchema';
import { bleu } from './bleu';
import { fuzzyMatch } from './fuzzyMatch';
import { gleu } from './gleu';
import { meteor } from './meteor';
import { rougeL, rougeN } from './rouge';
import { splitWhitespace } from './tokenize';

export type LexicalMetric = Exclude<TextSimilarityMetric, 'cosine'>;

export function similarity(metric: LexicalMetric, input: string, reference: string): number {
  switch (metric) {
    case 'fuzzy_match':
      return fuzzyMatch(input, reference);
    case 'bleu':
      return bleu(splitWhitespace(input), splitWhitespace(reference));
    case 'gleu':
      return gleu(splitWhitespace(input), splitWhitespace(reference));
    case 'meteor':
      return meteor(splitWhitespace(input), splitWhitespace(reference));
    case 'rouge_1':
    case 'rouge_2':
    case 'rouge_3':
    case 'rouge_4':
    case 'rouge_5':
      return rougeN(input, reference, Number(metric.slice('rouge_'.length)));
    case 'rouge_l':
      return rougeL(input, reference);
  }
}
