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

/** JSON with object keys sorted, so key order never changes the key. Values that JSON drops become null. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    out += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${canonicalJson(record[keys[i]])}`;
  }
  return `${out}}`;
}
