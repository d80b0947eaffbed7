// Length of the longest common subsequence of two symbol sequences (code points, token ids), bit-parallel
// (Hyyrö 2004, as rapidfuzz computes it): one pass over `b`, ceil(|a| / 32) word operations per symbol.

export function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  const words = Math.ceil(a.length / 32);
  const masks = positionMasks(a, words);
  // Bit i of `row` is 0 once a[i] is part of the best alignment so far; bits past |a| stay 1.
  const row = new Uint32Array(words).fill(0xffffffff);
  for (let j = 0; j < b.length; j++) {
    const mask = masks.get(b[j]);
    if (mask === undefined) continue;
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const v = row[w];
      const u = (v & mask[w]) >>> 0;
      const sum = v + u + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      // (V + U) | (V - U); U is a subset of V, so V - U never borrows and equals V & ~U.
      row[w] = sum | (v & ~u);
    }
  }
  let zeros = 0;
  for (let w = 0; w < words; w++) zeros += 32 - popcount(row[w]);
  return zeros;
}

/** For each symbol of `a`, the set of its positions as a bit vector of `words` 32-bit words. */
function positionMasks(a: ArrayLike<number>, words: number): Map<number, Uint32Array> {
  const masks = new Map<number, Uint32Array>();
  for (let i = 0; i < a.length; i++) {
    let mask = masks.get(a[i]);
    if (mask === undefined) masks.set(a[i], (mask = new Uint32Array(words)));
    mask[i >>> 5] |= 1 << (i & 31);
  }
  return masks;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
