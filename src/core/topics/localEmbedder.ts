import { words } from './recordText';
import { sparseFromEntries, type SparseVector } from './sparseVector';

export const LOCAL_EMBEDDER = 'local';
const BUCKET_BITS = 20;
const BUCKETS = 1 << BUCKET_BITS;
const BIGRAM_WEIGHT = 0.5;
const CHAR_GRAM_WEIGHT = 0.2;
const CHAR_GRAM = 4;
/** IDF is raised to this power: rarer words matter more than plain TF-IDF says, which separates short requests better. */
const IDF_POWER = 1.25;
const MIN_DOCUMENT_FREQUENCY = 2;

/**
 * The built-in embedder: no network, deterministic, fast. Word unigrams, word bigrams and character 4-grams
 * inside words are hashed into 2^20 buckets and weighted by sublinear TF × IDF^1.25. Buckets seen in fewer
 * than two records are dropped and the rest renumbered densely, so vectors stay sparse and centroids small.
 *
 * Why sparse and not a dense projection: on CLINC150 a 384-d random projection of the same features scored NMI
 * 0.49 and a 128-d LSA 0.66, against 0.77 for the sparse vectors with neighbour smoothing (`npm run bench:topics`).
 */
export class LocalEmbedder {
  private constructor(
    /** bucket → compact feature id, −1 when the bucket is not kept. */
    private readonly ids: Int32Array,
    /** compact id → IDF weight. */
    private readonly idf: Float32Array,
    private readonly buckets: Int32Array,
  ) {}

  get id(): string {
    return `${LOCAL_EMBEDDER}:${this.idf.length}`;
  }

  get dimensions(): number {
    return this.idf.length;
  }

  static fit(texts: Iterable<string>): LocalEmbedder {
    const df = new Uint32Array(BUCKETS);
    let n = 0;
    for (const text of texts) {
      for (const bucket of features(text).keys()) df[bucket]++;
      n++;
    }
    const kept: number[] = [];
    for (let b = 0; b < BUCKETS; b++) if (df[b] >= MIN_DOCUMENT_FREQUENCY) kept.push(b);
    const buckets = Int32Array.from(kept);
    const idf = Float32Array.from(kept, (b) => Math.log((1 + n) / (1 + df[b])) ** IDF_POWER);
    return LocalEmbedder.from(buckets, idf);
  }

  private static from(buckets: Int32Array, idf: Float32Array): LocalEmbedder {
    const ids = new Int32Array(BUCKETS).fill(-1);
    buckets.forEach((bucket, id) => (ids[bucket] = id));
    return new LocalEmbedder(ids, idf, buckets);
  }

  /** The fitted vocabulary (kept buckets and their IDF), to store with the topics so later records embed alike. */
  state(): { buckets: string; idf: string } {
    return {
      buckets: Buffer.from(this.buckets.buffer, this.buckets.byteOffset, this.buckets.byteLength).toString('base64'),
      idf: Buffer.from(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength).toString('base64'),
    };
  }

  static fromState(state: { buckets: string; idf: string }): LocalEmbedder {
    const buckets = Buffer.from(state.buckets, 'base64');
    const idf = Buffer.from(state.idf, 'base64');
    return LocalEmbedder.from(
      new Int32Array(buckets.buffer.slice(buckets.byteOffset, buckets.byteOffset + buckets.byteLength)),
      new Float32Array(idf.buffer.slice(idf.byteOffset, idf.byteOffset + idf.byteLength)),
    );
  }

  embed(text: string): SparseVector {
    const entries: [number, number][] = [];
    for (const [bucket, count] of features(text)) {
      const id = this.ids[bucket];
      if (id >= 0) entries.push([id, (count >= 1 ? 1 + Math.log(count) : count) * this.idf[id]]);
    }
    return sparseFromEntries(entries);
  }
}

/** Hashed feature counts of a text: words, word bigrams and character 4-grams (with word boundaries). */
function features(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (feature: string, weight: number) => {
    const bucket = hash(feature) & (BUCKETS - 1);
    counts.set(bucket, (counts.get(bucket) ?? 0) + weight);
  };
  const tokens = words(text).map(stem);
  for (let i = 0; i < tokens.length; i++) {
    add(`w:${tokens[i]}`, 1);
    if (i > 0) add(`b:${tokens[i - 1]} ${tokens[i]}`, BIGRAM_WEIGHT);
    const padded = `<${tokens[i]}>`;
    for (let c = 0; c + CHAR_GRAM <= padded.length; c++) add(`c:${padded.slice(c, c + CHAR_GRAM)}`, CHAR_GRAM_WEIGHT);
  }
  return counts;
}

/** A light English suffix stripper (plural, -ing, -ed): "refunds"/"refunded"/"refunding" count as one word. */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
