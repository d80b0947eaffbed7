import { sparseFromEntries, type SparseVector } from './sparseVector';

/**
 * Each vector plus the similarity-weighted mean of its nearest neighbours (by an inverted index over the
 * features), renormalised. Short requests share few words; borrowing their neighbours' words lets "cancel my
 * card" and "block my credit card" meet. Used only for clustering; categorization compares raw vectors.
 * Measured while tuning: CLINC150 leaf NMI +0.02, BANKING77 +0.025 (10 neighbours, weight 1).
 */
export function smoothWithNeighbours(vectors: readonly SparseVector[], dimensions: number, neighbours = 10, weight = 1): SparseVector[] {
  const postings = buildPostings(vectors, dimensions, Math.max(MIN_POSTING_CAP, Math.round(vectors.length * POSTING_SHARE_CAP)));
  const scores = new Float32Array(vectors.length);
  const touched: number[] = [];
  return vectors.map((vector, i) => {
    for (let q = 0; q < vector.idx.length; q++) {
      const posting = postings[vector.idx[q]];
      const x = vector.val[q];
      for (let r = 0; r < posting.docs.length; r++) {
        const j = posting.docs[r];
        if (scores[j] === 0) touched.push(j);
        scores[j] += x * posting.weights[r];
      }
    }
    const nearest = topNeighbours(touched, scores, i, neighbours);
    const merged = new Map<number, number>();
    for (let q = 0; q < vector.idx.length; q++) merged.set(vector.idx[q], vector.val[q]);
    for (const j of nearest) {
      const scale = (scores[j] * weight) / neighbours;
      const other = vectors[j];
      for (let q = 0; q < other.idx.length; q++) merged.set(other.idx[q], (merged.get(other.idx[q]) ?? 0) + scale * other.val[q]);
    }
    for (const j of touched) scores[j] = 0;
    touched.length = 0;
    return sparseFromEntries(strongest(merged, KEPT_FEATURES));
  });
}

interface Posting {
  docs: number[];
  weights: number[];
  skip: boolean;
}

const POSTING_SHARE_CAP = 0.02;
/** A smoothed vector keeps only its strongest features, so clustering stays as fast as on the raw vectors. */
const KEPT_FEATURES = 64;

function strongest(entries: Map<number, number>, count: number): Iterable<readonly [number, number]> {
  if (entries.size <= count) return entries;
  return [...entries].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, count);
}
const MIN_POSTING_CAP = 200;

/**
 * Postings per feature, leaving out the very common features (in more than `cap` records): they add little to a
 * similarity and would make the neighbour search quadratic on large datasets.
 */
function buildPostings(vectors: readonly SparseVector[], dimensions: number, cap: number): Posting[] {
  const frequency = new Uint32Array(dimensions);
  for (const vector of vectors) for (let q = 0; q < vector.idx.length; q++) frequency[vector.idx[q]]++;
  const postings: Posting[] = Array.from({ length: dimensions }, (_, id) => ({ docs: [], weights: [], skip: frequency[id] > cap }));
  vectors.forEach((vector, i) => {
    for (let q = 0; q < vector.idx.length; q++) {
      const posting = postings[vector.idx[q]];
      if (posting.skip) continue;
      posting.docs.push(i);
      posting.weights.push(vector.val[q]);
    }
  });
  return postings;
}

function topNeighbours(candidates: readonly number[], scores: Float32Array, self: number, count: number): number[] {
  return candidates
    .filter((j) => j !== self && scores[j] > 0)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, count);
}
