import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fuzzyMatch } from '../../src/core/grader/metrics/fuzzyMatch';
import { porterStem } from '../../src/core/grader/metrics/porterStemmer';
import { PYTHON_METRICS_SOURCE } from '../../src/core/grader/metrics/pythonMetrics';
import { rougeL, rougeN } from '../../src/core/grader/metrics/rouge';
import { similarity, type LexicalMetric } from '../../src/core/grader/metrics/textSimilarity';
import { rougeTokens, splitWhitespace } from '../../src/core/grader/metrics/tokenize';

// Made by scripts/metric-reference-values.py with the real nltk and rapidfuzz (see its "about"); nltk 3.8 and
// 3.10.3 gave the same values, so nltk 3.9 (OpenAI's grader image) does too.
interface ReferenceFixture {
  pairs: { id: string; input: string; reference: string; values: Record<LexicalMetric, number>; rouge_stemmed: Record<string, number> }[];
  porter: Record<string, string>;
}
const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/grader/metric-reference-values.json'), 'utf8')) as ReferenceFixture;
const METRICS: readonly LexicalMetric[] = ['fuzzy_match', 'bleu', 'gleu', 'meteor', 'rouge_1', 'rouge_2', 'rouge_3', 'rouge_4', 'rouge_5', 'rouge_l'];
// Relative: for scores in [0, 1] it implies |Δ| ≤ 1e-9, and it still tells BLEU's vanishing values (1e-155) apart.
const TOLERANCE = 1e-9;

const rougeStemmed = (metric: string, input: string, reference: string): number =>
  metric === 'rouge_l' ? rougeL(input, reference, { useStemmer: true }) : rougeN(input, reference, Number(metric.slice('rouge_'.length)), { useStemmer: true });

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Number.isFinite(actual) && Math.abs(actual - expected) <= TOLERANCE * Math.abs(expected), `${what}: got ${actual}, expected ${expected}`);
}

/** Runs PYTHON_METRICS_SOURCE under python3 without site-packages (-S), so only the standard library is there. */
function runPython(pairs: { input: string; reference: string }[], words: string[]) {
  const driver = `${PYTHON_METRICS_SOURCE}
import json, sys
request = json.load(sys.stdin)
metrics = request["metrics"]
json.dump({
    "values": [{m: similarity(m, p["input"], p["reference"]) for m in metrics} for p in request["pairs"]],
    "rouge_stemmed": [
        dict({"rouge_%d" % n: rouge_n(p["input"], p["reference"], n, True) for n in range(1, 6)},
             rouge_l=rouge_l(p["input"], p["reference"], True))
        for p in request["pairs"]
    ],
    "stems": [porter_stem(w) for w in request["words"]],
}, sys.stdout)
`;
  const result = spawnSync('python3', ['-S', '-c', driver], { input: JSON.stringify({ metrics: METRICS, pairs, words }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, `python3 failed: ${result.error ?? result.stderr}`);
  return JSON.parse(result.stdout) as { values: Record<LexicalMetric, number>[]; rouge_stemmed: Record<string, number>[]; stems: string[] };
}

describe('text_similarity metrics', () => {
  describe('against the real libraries (fixture)', () => {
    it('covers a varied corpus', () => {
      assert.ok(FIXTURE.pairs.length >= 40);
      assert.ok(Object.keys(FIXTURE.porter).length >= 300);
    });

    for (const metric of METRICS) {
      it(`${metric} matches the reference value on every pair`, () => {
        for (const pair of FIXTURE.pairs) assertClose(similarity(metric, pair.input, pair.reference), pair.values[metric], `${metric} on ${pair.id}`);
      });
    }

    it('rouge with use_stemmer=True matches too (the stemmer path of the tokenizer)', () => {
      for (const pair of FIXTURE.pairs) {
        for (const [metric, expected] of Object.entries(pair.rouge_stemmed)) assertClose(rougeStemmed(metric, pair.input, pair.reference), expected, `${metric} stemmed on ${pair.id}`);
      }
    });

    it("the Porter stemmer stems every word as nltk's PorterStemmer does", () => {
      const wrong = Object.entries(FIXTURE.porter).filter(([word, stem]) => porterStem(word) !== stem);
      assert.deepEqual(
        wrong.map(([word, stem]) => `${word}: ${porterStem(word)} (nltk ${stem})`),
        [],
      );
    });

    it("fuzzy_match gives Azure's published example score (Northwind, fifth row) exactly", () => {
      const pair = FIXTURE.pairs.find((p) => p.id === 'azure-northwind-5');
      assert.ok(pair);
      assert.equal(fuzzyMatch(pair.input, pair.reference), 0.6117136659436009);
    });
  });

  describe('the Python twin (python3, standard library only)', () => {
    it('imports nothing outside the standard library', () => {
      const imports = PYTHON_METRICS_SOURCE.split('\n').filter((line) => /^\s*(import|from)\s/.test(line));
      assert.deepEqual(
        imports.map((line) => line.trim()),
        ['import math', 'from collections import Counter'],
      );
    });

    it('scores the corpus as the TypeScript does, every metric, stemmed rouge and every stem', () => {
      const words = Object.keys(FIXTURE.porter);
      const python = runPython(FIXTURE.pairs, words);
      FIXTURE.pairs.forEach((pair, i) => {
        for (const metric of METRICS) assertClose(python.values[i][metric], similarity(metric, pair.input, pair.reference), `python ${metric} on ${pair.id}`);
        for (const [metric, value] of Object.entries(python.rouge_stemmed[i])) assertClose(value, rougeStemmed(metric, pair.input, pair.reference), `python ${metric} stemmed on ${pair.id}`);
      });
      words.forEach((word, i) => assert.equal(python.stems[i], porterStem(word), `python stem of ${word}`));
    });

    it('agrees on generated text too: long strings, repeats, every whitespace kind', () => {
      const vocabulary = ['the', 'card', 'cards', 'carding', 'arrived', 'arrive', 'é', '🍕', 'Yes', 'yes!', '12', 'a-b'];
      const separators = [' ', '  ', '\t', '\n', '\u00a0', '\u001c', '\u0085', '\u3000', '\ufeff', ',', ''];
      let seed = 7;
      const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
      const text = (length: number) => Array.from({ length }, () => vocabulary[next(vocabulary.length)] + separators[next(separators.length)]).join('');
      const pairs = Array.from({ length: 60 }, (_, i) => ({ input: text(1 + (i % 50)), reference: text(1 + ((i * 7) % 45)) }));
      const python = runPython(pairs, []);
      pairs.forEach((pair, i) => {
        for (const metric of METRICS) assertClose(python.values[i][metric], similarity(metric, pair.input, pair.reference), `python ${metric} on generated pair ${i}`);
      });
    });
  });

  describe('edge cases', () => {
    it('every metric stays within [0, 1] and gives 1 for identical non-trivial text (meteor just under: one chunk)', () => {
      const text = 'The quick brown fox jumps over the lazy dog.';
      for (const metric of METRICS) {
        for (const pair of FIXTURE.pairs) {
          const score = similarity(metric, pair.input, pair.reference);
          assert.ok(score >= 0 && score <= 1, `${metric} on ${pair.id}: ${score}`);
        }
        if (metric !== 'meteor') assert.equal(similarity(metric, text, text), 1, metric);
      }
      // nltk's fragmentation penalty applies even to one chunk: 1 - 0.5 * (1 / 9) ** 3 for nine words.
      assertClose(similarity('meteor', text, text), 1 - 0.5 * (1 / 9) ** 3, 'meteor on identical text');
    });

    it('empty strings: fuzzy_match treats two empty strings as equal, every other metric scores 0', () => {
      assert.equal(similarity('fuzzy_match', '', ''), 1);
      for (const metric of METRICS) {
        assert.equal(similarity(metric, '', 'something'), 0, `${metric} with empty input`);
        assert.equal(similarity(metric, 'something', ''), 0, `${metric} with empty reference`);
        if (metric !== 'fuzzy_match') assert.equal(similarity(metric, ' \t\n', ''), 0, `${metric} on whitespace`);
      }
    });

    it('no overlap scores 0 everywhere', () => {
      for (const metric of METRICS) if (metric !== 'fuzzy_match') assert.equal(similarity(metric, 'alpha beta gamma', 'one two three'), 0, metric);
      assert.equal(similarity('fuzzy_match', 'abc', 'xyz'), 0);
    });

    it('bleu without smoothing: no unigram match is 0, a missing higher order is vanishingly small but not 0', () => {
      assert.equal(similarity('bleu', 'yes', 'no'), 0);
      const short = similarity('bleu', 'the cat', 'the cat sat');
      // Two of four orders match fully; 3- and 4-grams fall back to sys.float_info.min (nltk warns and goes on).
      const expected = Math.exp(1 - 3 / 2) * Math.exp(0.5 * Math.log(2.2250738585072014e-308));
      assertClose(short, expected, 'bleu on a two-word hypothesis');
      assert.ok(short > 0 && short < 1e-100);
    });

    it('fuzzy_match counts code points (an emoji is one character) and keeps case and punctuation', () => {
      assertClose(fuzzyMatch('😀😀', '😀'), 2 / 3, 'emoji');
      assertClose(fuzzyMatch('Hello', 'hello'), 0.8, 'case');
      assertClose(fuzzyMatch('hello!', 'hello'), 10 / 11, 'punctuation');
    });

    it('tokenizers: Python whitespace for bleu/gleu/meteor, [a-z0-9] runs for rouge', () => {
      assert.deepEqual(splitWhitespace(' a\tb\u001cc\u0085d\u3000e\ufefff '), ['a', 'b', 'c', 'd', 'e\ufefff']);
      assert.deepEqual(rougeTokens("Don't STOP: café #42!"), ['don', 't', 'stop', 'caf', '42']);
      assert.deepEqual(rougeTokens('Running connections', porterStem), ['run', 'connect']);
    });

    it('rouge ignores case and punctuation, bleu does not', () => {
      assert.equal(similarity('rouge_1', 'HELLO, WORLD!', 'hello world'), 1);
      assert.equal(similarity('bleu', 'HELLO, WORLD!', 'hello world'), 0);
    });
  });
});
