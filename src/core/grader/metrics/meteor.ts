// meteor: nltk's meteor_score([reference], hypothesis) with its defaults (lowercase, alpha 0.9, beta 3,
// gamma 0.5) and its exact and Porter-stem matching stages. nltk's third stage, WordNet synonyms, is left out:
// WordNet's data is not available here. Both stages align greedily from the end of both sentences, as nltk does.
import { porterStem } from './porterStemmer';

const ALPHA = 0.9;
const BETA = 3;
const GAMMA = 0.5;

interface IndexedWord {
  readonly index: number;
  readonly word: string;
}
/** [hypothesis index, reference index] */
type Match = readonly [number, number];

export function meteor(hypothesis: readonly string[], reference: readonly string[]): number {
  const hypothesisWords = indexed(hypothesis);
  const referenceWords = indexed(reference);
  const matches = alignWords(hypothesisWords, referenceWords);
  if (matches.length === 0) return 0; // where nltk divides by zero and returns 0
  const precision = matches.length / hypothesisWords.length;
  const recall = matches.length / referenceWords.length;
  const fmean = (precision * recall) / (ALPHA * precision + (1 - ALPHA) * recall);
  const fragmentation = countChunks(matches) / matches.length;
  return (1 - GAMMA * fragmentation ** BETA) * fmean;
}

const indexed = (words: readonly string[]): IndexedWord[] => words.map((word, index) => ({ index, word: word.toLowerCase() }));

function alignWords(hypothesis: IndexedWord[], reference: IndexedWord[]): Match[] {
  const exact = matchWords(hypothesis, reference);
  const stem = (words: IndexedWord[]) => words.map(({ index, word }) => ({ index, word: porterStem(word) }));
  const stemmed = matchWords(stem(exact.hypothesisLeft), stem(exact.referenceLeft));
  return [...exact.matches, ...stemmed.matches].sort((x, y) => x[0] - y[0]);
}

/** nltk's _match_enums: each hypothesis word, last first, takes the last equal reference word still free. */
function matchWords(hypothesis: readonly IndexedWord[], reference: readonly IndexedWord[]) {
  const hypothesisLeft = [...hypothesis];
  const referenceLeft = [...reference];
  const matches: Match[] = [];
  for (let i = hypothesisLeft.length - 1; i >= 0; i--) {
    for (let j = referenceLeft.length - 1; j >= 0; j--) {
      if (hypothesisLeft[i].word !== referenceLeft[j].word) continue;
      matches.push([hypothesisLeft[i].index, referenceLeft[j].index]);
      hypothesisLeft.splice(i, 1);
      referenceLeft.splice(j, 1);
      break;
    }
  }
  return { matches, hypothesisLeft, referenceLeft };
}

/** Runs of matches adjacent in both sentences; `matches` is sorted by hypothesis index. */
function countChunks(matches: readonly Match[]): number {
  let chunks = 1;
  for (let i = 0; i + 1 < matches.length; i++) {
    const adjacent = matches[i + 1][0] === matches[i][0] + 1 && matches[i + 1][1] === matches[i][1] + 1;
    if (!adjacent) chunks++;
  }
  return chunks;
}
