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
export function tooDeepFinding(record: unknown): Finding | undefined {
  const stack: { value: unknown; depth: number; top: JsonPath }[] = [{ value: record, depth: 1, top: [] }];
  while (stack.length > 0) {
    const { value, depth, top } = stack.pop()!;
    if (depth > MAX_NESTING) {
      return { code: 'too_deep', path: top, message: `The record nests arrays and objects more than ${MAX_NESTING} levels deep${top.length > 0 ? ` under "${String(top[0])}"` : ''}; training data never needs that, and tools would run out of stack reading it. Flatten it.` };
    }
    const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    const keys = depth === 1 && !Array.isArray(value) ? Object.keys(value as Record<string, unknown>) : undefined;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1, top: depth === 1 ? [keys ? keys[i] : i] : top });
    }
  }
  return undefined;
}
