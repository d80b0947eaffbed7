import type { Finding, JsonPath } from './issue';

/**
 * The deepest nesting of arrays and objects a record may have. A chat record needs about 6 levels and a tool's
 * JSON Schema a few more per nested property; 64 leaves room for any real schema while every recursive reader
 * downstream (JSON.stringify in split, jsonc-parser in export and fixes, the record key's canonical form) stays
 * far from the call-stack limit, which a few thousand levels exhaust.
 */
export const MAX_NESTING = 64;

/**
 * A `too_deep` finding when the record nests arrays/objects deeper than MAX_NESTING, located at the top-level
 * key that holds the deep part. Iterative, so no record can exhaust the stack here.
 */
export function tooDeepFinding(record: object): Finding | undefined {
  if (Array.isArray(record)) return nestsDeeper(record, 1) ? tooDeep([]) : undefined;
  for (const key in record) {
    const value = (record as Record<string, unknown>)[key];
    if (value !== null && typeof value === 'object' && nestsDeeper(value, 2)) return tooDeep([key]);
  }
  return undefined;
}

function tooDeep(path: JsonPath): Finding {
  const where = path.length > 0 ? ` under "${String(path[0])}"` : '';
  return {
    code: 'too_deep',
    path,
    message: `The record nests arrays and objects more than ${MAX_NESTING} levels deep${where}; training data never needs that, and tools would run out of stack reading it. Flatten it.`,
  };
}

/** Whether `root`, itself at `rootDepth`, holds containers deeper than MAX_NESTING (a depth-first walk on a stack). */
function nestsDeeper(root: object, rootDepth: number): boolean {
  const values: object[] = [root];
  const depths: number[] = [rootDepth];
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    if (depth > MAX_NESTING) return true;
    if (Array.isArray(value)) {
      for (const child of value as unknown[]) {
        if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
