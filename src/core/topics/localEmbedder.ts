import { words } from './recordText';

export const LOCAL_EMBEDDER_ID = 'local-v1';
const BUCKETS = 1 << 18;
const DIMENSIONS = 384;
const NONZERO_PER_BUCKET = 4;

/**
 * The built-in embedder: no network, deterministic, fast. Word unigrams and bigrams plus character trigrams are
 * hashed into 2^18 buckets, weighted by sublinear TF and a corpus IDF, and projected to 384 dense dimensions by
 * a sparse random projection (each bucket adds ±1 to four dimensions picked by its hash), then L2-normalised.
 * The IDF comes from the corpus it was fitted on and is kept with the topics, so later records embed alike.
 */
export class LocalEmbedder {
  readonly id = LOCAL_EMBEDDER_ID;
  readonly dimensions = DIMENSIONS;

  private constructor(private readonly idf: Float32Array) {}

  static fit(texts: readonly string[]): LocalEmbedder {
    const df = new Uint32Array(BUCKETS);
    for (const text of texts) for (const bucket of new Set(features(text).keys())) df[bucket]++;
    const idf = new Float32Array(BUCKETS);
    const n = texts.length;
    for (let b = 0; b < BUCKETS; b++) idf[b] = Math.log((1 + n) / (1 + df[b])) + 1;
    return new LocalEmbedder(idf);
  }

  static fromState(state: string): LocalEmbedder {
    const bytes = Buffer.from(state, 'base64');
    return new LocalEmbedder(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice());
  }

  /** The fitted IDF, to store with the topics. */
  state(): string {
    return Buffer.from(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength).toString('base64');
  }

  embed(text: string): Float32Array {
    const vector = new Float32Array(DIMENSIONS);
    for (const [bucket, count] of features(text)) {
      const weight = (1 + Math.log(count)) * this.idf[bucket];
      let h = bucket;
      for (let i = 0; i < NONZERO_PER_BUCKET; i++) {
        h = mix(h + i * 0x9e3779b9);
        vector[h % DIMENSIONS] += h & 0x80000000 ? -weight : weight;
      }
    }
    let norm = 0;
    for (let d = 0; d < DIMENSIONS; d++) norm += vector[d] * vector[d];
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < DIMENSIONS; d++) vector[d] /= norm;
    return vector;
  }
}

/** Hashed feature counts of a text: words, word bigrams, and character trigrams inside words. */
function features(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (feature: string, weight = 1) => {
    const bucket = hash(feature) & (BUCKETS - 1);
    counts.set(bucket, (counts.get(bucket) ?? 0) + weight);
  };
  const tokens = words(text);
  for (let i = 0; i < tokens.length; i++) {
    add(`w:${tokens[i]}`);
    if (i > 0) add(`b:${tokens[i - 1]} ${tokens[i]}`);
    const padded = `<${tokens[i]}>`;
    for (let c = 0; c + 3 <= padded.length; c++) add(`c:${padded.slice(c, c + 3)}`, 0.5);
  }
  return counts;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
