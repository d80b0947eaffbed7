// nltk's PorterStemmer in its default NLTK_EXTENSIONS mode (nltk 3.8–3.10 stem the same), the stemmer that
// nltk's METEOR uses and that rouge-score uses with use_stemmer=True. Words are handled as arrays of code points,
// as Python indexes its strings, so a word with characters outside the BMP stems as it does in nltk.
// Every caller passes lowercase words: nltk 3.8 looked the irregular forms up before lowercasing, later
// versions after, and for lowercase words the two agree.

type Chars = readonly string[];
type Condition = (stem: Chars) => boolean;
/** [suffix, replacement, condition]; the suffix '*d' stands for "ends with a double consonant". */
type Rule = readonly [suffix: string, replacement: string, condition?: Condition];

const IRREGULAR_FORMS: Readonly<Record<string, readonly string[]>> = {
  sky: ['sky', 'skies'],
  die: ['dying'],
  lie: ['lying'],
  tie: ['tying'],
  news: ['news'],
  inning: ['innings', 'inning'],
  outing: ['outings', 'outing'],
  canning: ['cannings', 'canning'],
  howe: ['howe'],
  proceed: ['proceed'],
  exceed: ['exceed'],
  succeed: ['succeed'],
};
const IRREGULAR = new Map(Object.entries(IRREGULAR_FORMS).flatMap(([stem, forms]) => forms.map((form) => [form, stem] as const)));
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

export function porterStem(word: string): string {
  const lower = word.toLowerCase();
  const irregular = IRREGULAR.get(lower);
  if (irregular !== undefined) return irregular;
  if (Array.from(word).length <= 2) return lower;
  let chars: Chars = Array.from(lower);
  for (const step of [step1a, step1b, step1c, step2, step3, step4, step5a, step5b]) chars = step(chars);
  return chars.join('');
}

/** A 'y' is a consonant at the start of a word or after a vowel, a vowel after a consonant. */
function consonantFlags(word: Chars): boolean[] {
  const flags: boolean[] = [];
  word.forEach((ch, i) => flags.push(VOWELS.has(ch) ? false : ch === 'y' ? i === 0 || !flags[i - 1] : true));
  return flags;
}

const isConsonant = (word: Chars, i: number): boolean => consonantFlags(word.slice(0, i + 1))[i];

/** m in [C](VC){m}[V]: the number of vowel-to-consonant transitions. */
function measure(stem: Chars): number {
  const flags = consonantFlags(stem);
  let count = 0;
  for (let i = 1; i < flags.length; i++) if (!flags[i - 1] && flags[i]) count++;
  return count;
}

const hasPositiveMeasure: Condition = (stem) => measure(stem) > 0;
const measureAboveOne: Condition = (stem) => measure(stem) > 1;
const containsVowel = (stem: Chars): boolean => consonantFlags(stem).some((consonant) => !consonant);

function endsDoubleConsonant(word: Chars): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

/** *o: consonant-vowel-consonant, the last not w, x or y; nltk also counts a two-letter vowel-consonant word. */
function endsCvc(word: Chars): boolean {
  const n = word.length;
  const flags = consonantFlags(word);
  if (n >= 3 && flags[n - 3] && !flags[n - 2] && flags[n - 1] && !['w', 'x', 'y'].includes(word[n - 1])) return true;
  return n === 2 && !flags[0] && flags[1];
}

function endsWith(word: Chars, suffix: string): boolean {
  if (suffix.length > word.length) return false;
  const start = word.length - suffix.length;
  for (let k = 0; k < suffix.length; k++) if (word[start + k] !== suffix[k]) return false;
  return true;
}

const withoutSuffix = (word: Chars, suffix: string): Chars => word.slice(0, word.length - suffix.length);
const replaceSuffix = (word: Chars, suffix: string, replacement: string): Chars => [...withoutSuffix(word, suffix), ...replacement];

/** The first rule whose suffix matches decides: its replacement if its condition holds, else the word unchanged. */
function applyRuleList(word: Chars, rules: readonly Rule[]): Chars {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === '*d' && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2);
      return !condition || condition(stem) ? [...stem, ...replacement] : word;
    }
    if (endsWith(word, suffix)) {
      const stem = withoutSuffix(word, suffix);
      return !condition || condition(stem) ? [...stem, ...replacement] : word;
    }
  }
  return word;
}

function step1a(word: Chars): Chars {
  if (endsWith(word, 'ies') && word.length === 4) return replaceSuffix(word, 'ies', 'ie');
  return applyRuleList(word, [
    ['sses', 'ss'],
    ['ies', 'i'],
    ['ss', 'ss'],
    ['s', ''],
  ]);
}

function step1b(word: Chars): Chars {
  if (endsWith(word, 'ied')) return replaceSuffix(word, 'ied', word.length === 4 ? 'ie' : 'i');
  if (endsWith(word, 'eed')) {
    const stem = withoutSuffix(word, 'eed');
    return measure(stem) > 0 ? [...stem, 'e', 'e'] : word;
  }
  const suffix = ['ed', 'ing'].find((s) => endsWith(word, s) && containsVowel(withoutSuffix(word, s)));
  if (suffix === undefined) return word;
  const stem = withoutSuffix(word, suffix);
  const last = stem[stem.length - 1];
  return applyRuleList(stem, [
    ['at', 'ate'],
    ['bl', 'ble'],
    ['iz', 'ize'],
    ['*d', last, () => !['l', 's', 'z'].includes(last)],
    ['', 'e', (s) => measure(s) === 1 && endsCvc(s)],
  ]);
}

/** nltk: y -> i after a consonant that is not the whole stem ('happy' -> 'happi', 'enjoy' and 'by' unchanged). */
function step1c(word: Chars): Chars {
  return applyRuleList(word, [['y', 'i', (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)]]);
}

const STEP2_RULES: readonly Rule[] = [
  ['ational', 'ate', hasPositiveMeasure],
  ['tional', 'tion', hasPositiveMeasure],
  ['enci', 'ence', hasPositiveMeasure],
  ['anci', 'ance', hasPositiveMeasure],
  ['izer', 'ize', hasPositiveMeasure],
  ['bli', 'ble', hasPositiveMeasure],
  ['alli', 'al', hasPositiveMeasure],
  ['entli', 'ent', hasPositiveMeasure],
  ['eli', 'e', hasPositiveMeasure],
  ['ousli', 'ous', hasPositiveMeasure],
  ['ization', 'ize', hasPositiveMeasure],
  ['ation', 'ate', hasPositiveMeasure],
  ['ator', 'ate', hasPositiveMeasure],
  ['alism', 'al', hasPositiveMeasure],
  ['iveness', 'ive', hasPositiveMeasure],
  ['fulness', 'ful', hasPositiveMeasure],
  ['ousness', 'ous', hasPositiveMeasure],
  ['aliti', 'al', hasPositiveMeasure],
  ['iviti', 'ive', hasPositiveMeasure],
  ['biliti', 'ble', hasPositiveMeasure],
  ['fulli', 'ful', hasPositiveMeasure],
];

function step2(word: Chars): Chars {
  if (endsWith(word, 'alli') && hasPositiveMeasure(withoutSuffix(word, 'alli'))) return step2(replaceSuffix(word, 'alli', 'al'));
  // nltk's 'logi' rule measures the word without its last three letters ('ogi'), not the stem without 'logi'.
  return applyRuleList(word, [...STEP2_RULES, ['logi', 'log', () => hasPositiveMeasure(word.slice(0, -3))]]);
}

function step3(word: Chars): Chars {
  return applyRuleList(word, [
    ['icate', 'ic', hasPositiveMeasure],
    ['ative', '', hasPositiveMeasure],
    ['alize', 'al', hasPositiveMeasure],
    ['iciti', 'ic', hasPositiveMeasure],
    ['ical', 'ic', hasPositiveMeasure],
    ['ful', '', hasPositiveMeasure],
    ['ness', '', hasPositiveMeasure],
  ]);
}

function step4(word: Chars): Chars {
  return applyRuleList(word, [
    ...['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent'].map((s): Rule => [s, '', measureAboveOne]),
    ['ion', '', (stem) => measure(stem) > 1 && ['s', 't'].includes(stem[stem.length - 1])],
    ...['ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'].map((s): Rule => [s, '', measureAboveOne]),
  ]);
}

function step5a(word: Chars): Chars {
  if (!endsWith(word, 'e')) return word;
  const stem = withoutSuffix(word, 'e');
  const m = measure(stem);
  return m > 1 || (m === 1 && !endsCvc(stem)) ? stem : word;
}

function step5b(word: Chars): Chars {
  return applyRuleList(word, [['ll', 'l', () => measure(word.slice(0, -1)) > 1]]);
}
