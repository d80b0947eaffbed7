// The tokenizers behind the text_similarity metrics.

// Python's str.isspace() characters: str.split() with no argument splits on runs of these. JavaScript's \s
// differs (it lacks U+001C..U+001F and U+0085, and has U+FEFF).
// eslint-disable-next-line no-control-regex -- U+001C..U+001F are whitespace to Python
const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Python's `text.split()`: the words of bleu, gleu and meteor. */
export function splitWhitespace(text: string): string[] {
  return text.split(PYTHON_WHITESPACE).filter((token) => token.length > 0);
}

/**
 * rouge-score 0.1.2's DefaultTokenizer: lowercase, every run of characters other than [a-z0-9] separates
 * tokens; with a stemmer, tokens longer than three characters are stemmed.
 */
export function rougeTokens(text: string, stem?: (word: string) => string): string[] {
  const tokens = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  if (!stem) return tokens;
  return tokens.map((token) => (token.length > 3 ? stem(token) : token)).filter((token) => /^[a-z0-9]+$/.test(token));
}

/** The code points of a string, as Python indexes it (an emoji is one character, not two UTF-16 units). */
export function codePoints(text: string): Int32Array {
  const points = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    const pair = unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    points[n++] = pair ? 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00) : unit;
    if (pair) i++;
  }
  return points.subarray(0, n);
}
