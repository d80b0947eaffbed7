import { words } from '../topics/recordText';
import { sparseDot, type SparseVector } from '../topics/sparseVector';

/** Share of a candidate's words a neighbour must have too, where the embedder cannot see new words (local). */
const SHARED_WORDS = 0.6;

/**
 * Records to compare a candidate with: a near-duplicate has a cosine at or above the threshold to one of them (unit
 * vectors, so a dot product). The local embedder knows only the words of the records it was fitted on, so "how many
 * calories in a mango" and "…in a banana" can embed alike; with `confirmByWords` a neighbour must also share most
 * of the candidate's words.
 */
export class NearDuplicateIndex {
  private readonly vectors: SparseVector[] = [];
  private readonly texts: string[] = [];
  private readonly dense: Float32Array;

  constructor(
    dimensions: number,
    private readonly threshold: number,
    private readonly confirmByWords: boolean,
  ) {
    this.dense = new Float32Array(dimensions);
  }

  add(vector: SparseVector, text: string): void {
    this.vectors.push(vector);
    this.texts.push(text);
  }

  /** The cosine of the closest record that makes the candidate a near-duplicate, else undefined. */
  nearDuplicateOf(vector: SparseVector, text: string): number | undefined {
    if (vector.idx.length === 0) return undefined;
    for (let q = 0; q < vector.idx.length; q++) this.dense[vector.idx[q]] = vector.val[q];
    let best: number | undefined;
    let own: Set<string> | undefined;
    for (let i = 0; i < this.vectors.length; i++) {
      const similarity = sparseDot(this.vectors[i], this.dense);
      if (similarity < this.threshold || (best !== undefined && similarity <= best)) continue;
      if (this.confirmByWords) {
        own ??= new Set(words(text));
        const theirs = new Set(words(this.texts[i]));
        const shared = [...own].filter((word) => theirs.has(word)).length;
        if (own.size > 0 && shared / own.size < SHARED_WORDS) continue;
      }
      best = similarity;
    }
    for (let q = 0; q < vector.idx.length; q++) this.dense[vector.idx[q]] = 0;
    return best;
  }
}
