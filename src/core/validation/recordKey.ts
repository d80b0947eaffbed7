import * as crypto from 'node:crypto';

/**
 * A record key: a stable hash of the record's prompt part (messages + tools) as canonical JSON (DESIGN §2).
 * 16 hex digits (64 bits): collisions are negligible for any dataset we can hold.
 */
export function recordKey(record: Record<string, unknown>, rawLine: string): string {
  let canonical: string;
  try {
    canonical = canonicalJson([record.messages ?? null, record.tools ?? null]);
  } catch {
    // Nesting deeper than the stack: hash the raw line, still deterministic for identical lines.
    canonical = `~${rawLine}`;
  }
  return sha1Hex(canonical).slice(0, 16);
}

const hashOnce = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function sha1Hex(text: string): string {
  return hashOnce ? hashOnce('sha1', text, 'hex') : crypto.createHash('sha1').update(text).digest('hex');
}

/**
 * The canonical key order: the chat-format keys in the order OpenAI writes them, then every other key
 * alphabetically. Most records already follow it, so canonicalising them allocates nothing.
 */
const KEY_RANK = new Map(
  ['role', 'name', 'content', 'refusal', 'tool_calls', 'tool_call_id', 'id', 'type', 'text', 'image_url', 'input_audio', 'file', 'function', 'arguments', 'description', 'parameters', 'strict'].map((key, rank) => [key, rank]),
);

function compareKeys(a: string, b: string): number {
  const ra = KEY_RANK.get(a);
  const rb = KEY_RANK.get(b);
  if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys in canonical order, so key order never changes the key. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value)) ?? 'null';
}

/** The value itself when it is already canonical, otherwise a copy whose objects have their keys in canonical order. */
function canonicalize(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = canonicalize(value[i]);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let ordered = true;
  let changed = false;
  let previous: string | undefined;
  const values: unknown[] = [];
  for (const key in record) {
    if (previous !== undefined && compareKeys(previous, key) > 0) ordered = false;
    previous = key;
    const item = canonicalize(record[key]);
    if (item !== record[key]) changed = true;
    values.push(item);
  }
  if (ordered && !changed) return record;
  const keys = Object.keys(record);
  const byKey = new Map(keys.map((key, i) => [key, values[i]]));
  const out: Record<string, unknown> = Object.create(null); // an own "__proto__" key stays a key
  for (const key of keys.sort(compareKeys)) out[key] = byKey.get(key);
  return out;
}
