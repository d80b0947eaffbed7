// Length of the longest common subsequence of two symbol sequences (code points, token ids), bit-parallel
// (Hyyrö 2004, as rapidfuzz computes it): one pass over `b`, ceil(|a| / 32) word operations per symbol.

/** Symbols below this index a flat table of position masks; larger ones (rare code points) a Map. */
const TABLE_SYMBOLS = 256;
let table = new Uint32Array(TABLE_SYMBOLS * 8);

export function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  const words = Math.ceil(a.length / 32);
  if (table.length < TABLE_SYMBOLS * words) table = new Uint32Array(TABLE_SYMBOLS * words);
  const others = fillPositionMasks(a, words);
  // Bit i of `row` is 0 once a[i] is part of the best alignment so far; bits past |a| stay 1.
  const row = new Uint32Array(words).fill(0xffffffff);
  for (let j = 0; j < b.length; j++) {
    const symbol = b[j];
    if (symbol < TABLE_SYMBOLS) advance(row, table, symbol * words);
    else {
      const mask = others.get(symbol);
      if (mask !== undefined) advance(row, mask, 0);
    }
  }
  table.fill(0, 0, TABLE_SYMBOLS * words);
  let zeros = 0;
  for (let w = 0; w < words; w++) zeros += 32 - popcount(row[w]);
  return zeros;
}

/** V = (V + U) | (V - U) with U = V & mask, carried across the words (U is a subset of V: V - U = V & ~U). */
function advance(row: Uint32Array, masks: Uint32Array, offset: number): void {
  let carry = 0;
  for (let w = 0; w < row.length; w++) {
    const v = row[w];
    const u = (v & masks[offset + w]) >>> 0;
    const sum = v + u + carry;
    carry = sum > 0xffffffff ? 1 : 0;
    row[w] = sum | (v & ~u);
  }
}

/** Puts each symbol's positions in `a` into the table (small symbols) or the returned map (the others). */
function fillPositionMasks(a: ArrayLike<number>, words: number): Map<number, Uint32Array> {
  const others = new Map<number, Uint32Array>();
  for (let i = 0; i < a.length; i++) {
    const bit = 1 << (i & 31);
    const symbol = a[i];
    if (symbol < TABLE_SYMBOLS) {
      table[symbol * words + (i >>> 5)] |= bit;
      continue;
    }
    let mask = others.get(symbol);
    if (mask === undefined) others.set(symbol, (mask = new Uint32Array(words)));
    mask[i >>> 5] |= bit;
  }
  return others;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
