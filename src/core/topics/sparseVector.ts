/** A sparse vector: sorted-or-not feature ids and their weights. Dense embeddings use every id 0..d-1. */
export interface SparseVector {
  readonly idx: Int32Array;
  readonly val: Float32Array;
}

export function sparseDot(vector: SparseVector, dense: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < vector.idx.length; i++) sum += vector.val[i] * dense[vector.idx[i]];
  return sum;
}

/** L2-normalised sparse vector from (id, weight) entries; all-zero stays empty. */
export function sparseFromEntries(entries: Iterable<readonly [number, number]>): SparseVector {
  const list = [...entries].filter(([, weight]) => weight !== 0);
  const norm = Math.sqrt(list.reduce((sum, [, weight]) => sum + weight * weight, 0));
  if (norm === 0) return { idx: new Int32Array(0), val: new Float32Array(0) };
  list.sort((a, b) => a[0] - b[0]);
  return { idx: Int32Array.from(list, ([id]) => id), val: Float32Array.from(list, ([, weight]) => weight / norm) };
}

/** The non-zero entries of a dense vector, as they are (no normalisation). */
export function nonZeroEntries(dense: Float32Array): SparseVector {
  const idx: number[] = [];
  for (let d = 0; d < dense.length; d++) if (dense[d] !== 0) idx.push(d);
  return { idx: Int32Array.from(idx), val: Float32Array.from(idx, (d) => dense[d]) };
}

export function sparseFromDense(dense: ArrayLike<number>): SparseVector {
  return sparseFromEntries(Array.from(dense, (value, id) => [id, value] as const));
}

/** Scales a dense vector to unit length in place (a zero vector stays zero). */
export function normalizeDense(dense: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < dense.length; d++) norm += dense[d] * dense[d];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < dense.length; d++) dense[d] /= norm;
  return dense;
}

/** A compact, JSON-safe form (base64 of the two arrays), for the topic model on disk. */
export function encodeSparse(vector: SparseVector): string {
  const bytes = Buffer.alloc(4 + vector.idx.length * 8);
  bytes.writeUInt32LE(vector.idx.length, 0);
  Buffer.from(vector.idx.buffer, vector.idx.byteOffset, vector.idx.byteLength).copy(bytes, 4);
  Buffer.from(vector.val.buffer, vector.val.byteOffset, vector.val.byteLength).copy(bytes, 4 + vector.idx.byteLength);
  return bytes.toString('base64');
}

export function decodeSparse(text: string): SparseVector {
  const bytes = Buffer.from(text, 'base64');
  const n = bytes.readUInt32LE(0);
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  Buffer.from(idx.buffer).set(bytes.subarray(4, 4 + n * 4));
  Buffer.from(val.buffer).set(bytes.subarray(4 + n * 4, 4 + n * 8));
  return { idx, val };
}
