import { calibratedConfidence, CENTROID_CALIBRATION, DESCRIPTION_CALIBRATION } from './calibration';
import { sparseDot, type SparseVector } from './sparseVector';

/** A leaf a record can be placed in: its centroid (auto topics) or the vector of its own text (template, manual). */
export interface PlacementTarget {
  readonly path: string;
  readonly vector: Float32Array;
  readonly fromText: boolean;
}

export interface Placement {
  readonly topic: string;
  readonly confidence: number;
  readonly method: 'embedding' | 'keyword';
  readonly similarity: number;
}

/**
 * The nearest leaf by cosine, with a calibrated confidence from the best similarity and its margin. A record with
 * no known words still gets a leaf (the first) but confidence 0, so it lands in the low-confidence review.
 */
export function placeVector(vector: SparseVector, targets: readonly PlacementTarget[]): Placement | undefined {
  if (targets.length === 0) return undefined;
  if (vector.idx.length === 0) return { topic: targets[0].path, confidence: 0, method: targets[0].fromText ? 'keyword' : 'embedding', similarity: 0 };
  let best = -1;
  let bestSimilarity = -Infinity;
  let second = 0;
  for (let t = 0; t < targets.length; t++) {
    const similarity = sparseDot(vector, targets[t].vector);
    if (similarity > bestSimilarity) {
      second = bestSimilarity;
      bestSimilarity = similarity;
      best = t;
    } else if (similarity > second) second = similarity;
  }
  const target = targets[best];
  const runnerUp = Number.isFinite(second) ? Math.max(0, second) : 0;
  const confidence = calibratedConfidence(bestSimilarity, runnerUp, target.fromText ? DESCRIPTION_CALIBRATION : CENTROID_CALIBRATION);
  return { topic: target.path, confidence, method: target.fromText ? 'keyword' : 'embedding', similarity: bestSimilarity };
}

export function denseOf(vector: SparseVector, dimensions: number): Float32Array {
  const dense = new Float32Array(dimensions);
  for (let q = 0; q < vector.idx.length; q++) dense[vector.idx[q]] = vector.val[q];
  return dense;
}
