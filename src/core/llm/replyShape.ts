// The shape of a server's reply, checked where it enters (issue 20): an OpenAI-compatible server, or a proxy in front
// of one, can answer 200 with an HTML page or JSON of another shape. The SDK hands either back as it came, and the
// first reader would fail with "Cannot read properties of undefined"; here it becomes one line naming the server.
import { z } from 'zod';

/** A 200 reply that is not what the endpoint answers: the server, what it answered and what was expected. */
export class ReplyShapeError extends Error {
  override readonly name = 'ReplyShapeError';
  constructor(
    readonly baseURL: string,
    readonly answered: string,
    readonly expected: string,
  ) {
    super(`the server at ${baseURL} answered ${answered} (expected ${expected})`);
  }
}

const chatCompletionShape = z.object({ choices: z.array(z.object({ message: z.object({}).passthrough() }).passthrough()).min(1) }).passthrough();

const CHAT_EXPECTED = 'a chat completion: JSON with choices[0].message';

/** The completion, or a ReplyShapeError when the reply has no choices[0].message. */
export function checkChatCompletion<T>(reply: T, baseURL: string): T {
  const parsed = chatCompletionShape.safeParse(reply);
  if (!parsed.success) throw new ReplyShapeError(baseURL, describeReply(reply, parsed.error), CHAT_EXPECTED);
  return reply;
}

const embeddingsShape = z
  .object({
    data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.union([z.string(), z.array(z.number())]) }).passthrough()),
    usage: z.object({ prompt_tokens: z.number().optional() }).passthrough().optional(),
  })
  .passthrough();

const EMBEDDINGS_EXPECTED = 'embeddings: JSON with data[] of {index, embedding}, one per input';

export interface EmbeddingsReply {
  /** One vector per input, in input order. */
  readonly vectors: number[][];
  readonly promptTokens?: number;
}

/**
 * The vectors of an embeddings reply, in input order: each item's `embedding` as base64 little-endian float32s (what
 * we ask for) or a list of numbers (servers that ignore encoding_format), with every index 0..inputs-1 once.
 */
export function embeddingsFromReply(reply: unknown, inputs: number, baseURL: string): EmbeddingsReply {
  const parsed = embeddingsShape.safeParse(reply);
  if (!parsed.success) throw new ReplyShapeError(baseURL, describeReply(reply, parsed.error), EMBEDDINGS_EXPECTED);
  const { data, usage } = parsed.data;
  const vectors: number[][] = new Array<number[]>(inputs);
  for (const item of data) {
    if (item.index >= inputs || vectors[item.index] !== undefined)
      throw new ReplyShapeError(baseURL, `index ${item.index} ${item.index >= inputs ? `for ${inputs} inputs` : 'twice'}`, EMBEDDINGS_EXPECTED);
    const vector = typeof item.embedding === 'string' ? decodeFloat32(item.embedding) : item.embedding;
    if (!vector || vector.length === 0 || vector.some((value) => !Number.isFinite(value)))
      throw new ReplyShapeError(baseURL, `an embedding at index ${item.index} that is not a list of numbers`, EMBEDDINGS_EXPECTED);
    vectors[item.index] = vector;
  }
  if (data.length !== inputs) throw new ReplyShapeError(baseURL, `${data.length} embeddings for ${inputs} inputs`, EMBEDDINGS_EXPECTED);
  return { vectors, ...(usage?.prompt_tokens !== undefined ? { promptTokens: usage.prompt_tokens } : {}) };
}

function decodeFloat32(base64: string): number[] | undefined {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  return Array.from({ length: bytes.length / 4 }, (_, at) => bytes.readFloatLE(at * 4));
}

/** What came instead: an HTML page (with its title), text that is not JSON, or JSON lacking the first wrong field. */
export function describeReply(reply: unknown, error?: z.ZodError): string {
  if (typeof reply === 'string') {
    const text = reply.replace(/\s+/g, ' ').trim();
    if (/^<(!doctype html|html|head|body)\b/i.test(text)) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
      return `an HTML page${title ? ` ("${title}")` : ''}`;
    }
    return text === '' ? 'an empty body' : `text that is not JSON ("${text.length > 60 ? `${text.slice(0, 60)}…` : text}")`;
  }
  if (reply === null || typeof reply !== 'object') return `JSON ${JSON.stringify(reply) ?? String(reply)}`;
  const issue = error?.issues[0];
  if (!issue) return 'JSON of another shape';
  const where = fieldPath(issue.path);
  const value = valueAt(reply, issue.path);
  if (value === undefined) return `JSON without ${where}${issue.path.length === 1 ? topLevelKeys(reply) : ''}`;
  return `JSON whose ${where} is ${Array.isArray(value) ? (value.length === 0 ? 'an empty list' : 'a list') : value === null ? 'null' : typeof value}`;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined), value);
}

function topLevelKeys(reply: object): string {
  const keys = Object.keys(reply).slice(0, 5);
  return keys.length === 0 ? ' (an empty object)' : ` (its keys: ${keys.join(', ')})`;
}
