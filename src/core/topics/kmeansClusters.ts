import { kmeans } from 'ml-kmeans';

export interface Clustering {
  /** Cluster index per input vector. */
  readonly assignments: number[];
  readonly centroids: Float32Array[];
}

/**
 * k-means (ml-kmeans, k-means++ initialisation) over unit vectors, with a few restarts from derived seeds; the
 * restart with the lowest within-cluster distance wins. Deterministic for the same input and seed.
 */
export function clusterVectors(vectors: readonly Float32Array[], k: number, seed: number, restarts = 3): Clustering {
  const n = vectors.length;
  if (k <= 1 || n <= k) return single(vectors, Math.min(k, n));
  const data = vectors.map((v) => Array.from(v));
  let best: { clusters: number[]; centroids: number[][]; inertia: number } | undefined;
  for (let r = 0; r < restarts; r++) {
    const result = kmeans(data, k, { initialization: 'kmeans++', seed: seed * 7919 + r, maxIterations: 60 });
    let inertia = 0;
    for (let i = 0; i < n; i++) inertia += squaredDistance(data[i], result.centroids[result.clusters[i]]);
    if (!best || inertia < best.inertia) best = { clusters: result.clusters, centroids: result.centroids, inertia };
  }
  return { assignments: best!.clusters, centroids: best!.centroids.map(normalized) };
}

/** Too few vectors to split: each its own cluster, or all in one. */
function single(vectors: readonly Float32Array[], k: number): Clustering {
  if (k <= 1) return { assignments: vectors.map(() => 0), centroids: [mean(vectors)] };
  return { assignments: vectors.map((_, i) => i), centroids: vectors.map((v) => Float32Array.from(v)) };
}

export function mean(vectors: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0]?.length ?? 0);
  for (const v of vectors) for (let d = 0; d < out.length; d++) out[d] += v[d];
  return normalized(Array.from(out));
}

function normalized(values: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(values);
  let norm = 0;
  for (let d = 0; d < out.length; d++) norm += out[d] * out[d];
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < out.length; d++) out[d] /= norm;
  return out;
}

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d] - b[d]) ** 2;
  return sum;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d] * b[d];
  return sum;
}
