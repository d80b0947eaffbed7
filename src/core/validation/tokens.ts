import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentText, isPlainObject } from './recordShape';

type CountTokens = (text: string, options: { disallowedSpecial: Set<string> }) => number;
let countTokensLazily: CountTokens | undefined;

/**
 * Special-token strings such as `<|endoftext|>` in a record are text the user wrote (traces about LLMs are full
 * of them), so they are counted as ordinary text. gpt-tokenizer throws on them unless nothing is disallowed.
 */
const SPECIAL_TOKENS_AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * The o200k tokenizer (2.8 MB, ~200 ms to load) is one file, dist/tokenizer.js, beside every bundle that counts
 * (extension, CLI, validation worker) rather than inside each; run from source (tsx), it is the npm package.
 */
function loadTokenizer(): CountTokens {
  const bundled = path.join(__dirname, 'tokenizer.js');
  const modulePath = fs.existsSync(bundled) ? bundled : 'gpt-tokenizer/encoding/o200k_base';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(modulePath) as { countTokens: CountTokens }).countTokens;
}

/** Loaded on the first exact count, never at activation (most records are settled by the byte bound). */
export function countTokens(text: string): number {
  countTokensLazily ??= loadTokenizer();
  return countTokensLazily(text, SPECIAL_TOKENS_AS_TEXT);
}

/** Tokens a chat template adds around each message, and to prime the reply (OpenAI's published counting). */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_FOR_REPLY = 3;

/**
 * The text of a record's prompt that the tokenizer sees: every message's role, name, content text and tool
 * calls, and the tool definitions. Every o200k token decodes to at least one byte, so the token count is never
 * more than this text's UTF-8 size plus the per-message overhead.
 */
function promptText(record: Record<string, unknown>): string {
  const parts: string[] = [];
  const messages = Array.isArray(record.messages) ? record.messages : [];
  for (const message of messages) {
    if (!isPlainObject(message)) continue;
    if (typeof message.role === 'string') parts.push(message.role);
    if (typeof message.name === 'string') parts.push(message.name);
    parts.push(contentText(message.content));
    if (Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls) {
        const fn = isPlainObject(call) && isPlainObject(call.function) ? call.function : undefined;
        if (fn && typeof fn.name === 'string') parts.push(fn.name);
        if (fn && typeof fn.arguments === 'string') parts.push(fn.arguments);
      }
    }
  }
  if (Array.isArray(record.tools) && record.tools.length > 0) parts.push(JSON.stringify(record.tools));
  return parts.join('\n');
}

function messageOverhead(record: Record<string, unknown>): number {
  const count = Array.isArray(record.messages) ? record.messages.length : 0;
  return count * TOKENS_PER_MESSAGE + TOKENS_FOR_REPLY;
}

/** Exact o200k token count of a record's prompt, with the chat overhead. */
export function countRecordTokens(record: Record<string, unknown>): number {
  return countTokens(promptText(record)) + messageOverhead(record);
}

/** The longest a JSON number can be once re-serialised ("-1.2345678901234567e+308"), less its 1-byte minimum. */
const NUMBER_GROWTH = 23;

/**
 * An upper bound on the record's tokens from the raw line's byte length. Messages contribute only strings, whose
 * decoded UTF-8 is never longer than their escaped JSON; tool definitions are re-serialised, where only a number
 * can grow (1E5 becomes 100000), by at most NUMBER_GROWTH bytes each.
 */
export function tokenUpperBound(record: Record<string, unknown>, lineBytes: number): number {
  return lineBytes + NUMBER_GROWTH * countNumbers(record.tools) + messageOverhead(record);
}

function countNumbers(value: unknown, depth = 0): number {
  if (typeof value === 'number') return 1;
  if (value === null || typeof value !== 'object') return 0;
  if (depth > 64) return Number.MAX_SAFE_INTEGER; // too deep to bound cheaply: count exactly
  let n = 0;
  if (Array.isArray(value)) for (const item of value) n += countNumbers(item, depth + 1);
  else for (const key in value) n += countNumbers((value as Record<string, unknown>)[key], depth + 1);
  return n;
}
