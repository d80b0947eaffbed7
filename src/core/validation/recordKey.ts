import * as crypto from 'node:crypto';

/**
 * A record key: a stable hash of the record's prompt part, messages + tools, in canonical form (docs/dataset-format.md §Record keys):
 * object keys in a fixed order, so key order never changes the key. 16 hex digits (64 bits of SHA-1):
 * collisions are negligible for any dataset we can hold.
 */
export function recordKey(record: Record<string, unknown>, rawLine: string): string {
  let canonical: string;
  try {
    canonical = canonicalForm(record.messages ?? null) + canonicalForm(record.tools ?? null);
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
 * alphabetically. Most records already follow it, so most objects need no sorting.
 */
const KEY_RANK = new Map(
  ['role', 'name', 'content', 'refusal', 'tool_calls', 'tool_call_id', 'id', 'type', 'text', 'image_url', 'input_audio', 'file', 'function', 'arguments', 'description', 'parameters', 'strict'].map(
    (key, rank) => [key, rank],
  ),
);

function compareKeys(a: string, b: string): number {
  const ra = KEY_RANK.get(a);
  const rb = KEY_RANK.get(b);
  if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An unambiguous serialisation for hashing: strings are length-prefixed instead of escaped (escaping every
 * string was most of the cost), objects list their keys in canonical order. Equal values give equal text and,
 * because every part says its own length or type, different values never do.
 */
export function canonicalForm(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value.length}:${value}`;
    case 'number':
    case 'boolean':
      return `${typeof value === 'number' ? 'n' : 'b'}${String(value)};`;
    case 'object':
      break;
    default:
      return 'z';
  }
  if (value === null) return 'z';
  if (Array.isArray(value)) {
    let out = `[${value.length}:`;
    for (let i = 0; i < value.length; i++) out += canonicalForm(value[i]);
    return out;
  }
  const record = value as Record<string, unknown>;
  let keys: string[] | undefined;
  let previous: string | undefined;
  let out = '';
  let count = 0;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    if (keys === undefined && previous !== undefined && compareKeys(previous, key) > 0) keys = Object.keys(record);
    previous = key;
    count++;
    if (keys === undefined) out += `s${key.length}:${key}${canonicalForm(record[key])}`;
  }
  if (keys !== undefined) {
    out = '';
    for (const key of keys.sort(compareKeys)) out += `s${key.length}:${key}${canonicalForm(record[key])}`;
  }
  return `{${count}:${out}`;
}
