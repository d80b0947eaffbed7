// The envelope every page's protocol shares (GitLens's IPC, in small): a webview → host message is a notification,
// or a request when it carries `requestId`; the host answers a request with `done` when its work ended, or with the
// `error` message naming the request (`request` is the message type, `requestId` its id), so a failed Preview and a
// failed Refresh are told apart. Errors that answer no request (a refresh after a file changed) have neither.
// The checks on what crosses the boundary live here too: every webview → host message is parsed once with its
// protocol's zod schema (src/shared/<page>Schema.ts) before any handler sees it.
import type { z } from 'zod';

/** What a webview → host message may carry besides its own fields. */
export interface RequestEnvelope {
  /** Set by the webview's request helper: the host answers with `done` or `error` carrying the same id. */
  readonly requestId?: number;
}

/** The host's answer to a request that succeeded. */
export interface RequestDone {
  readonly type: 'done';
  readonly requestId: number;
  readonly request: string;
}

/** An error banner's message; `request`/`requestId` name the request it answers, when it answers one. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
  readonly request?: string;
  readonly requestId?: number;
}

/** Longest text field a page sends (a path, a name, a model id); prompts and drafts have their own limits. */
export const MAX_NAME_CHARS = 4_096;

/**
 * Keys that would reach an object's prototype if a handler merged them into an object (`__proto__`, or the
 * `constructor.prototype` chain, cut at `prototype` so that a grader dimension may still be named "constructor").
 */
const POLLUTING_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype']);
/** Nesting deeper than this is no message a page builds (a grader draft is about 6 deep). */
const MAX_DEPTH = 32;

/** A message as it came off the wire: its type and request id read, its body not yet checked. */
export interface Envelope {
  readonly type: string;
  readonly requestId?: number;
}

/** The type and request id of a raw message, or why it is no message at all. */
export function envelopeOf(value: unknown): Envelope | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'A message must be an object with a type.';
  const { type, requestId } = value as { type?: unknown; requestId?: unknown };
  if (typeof type !== 'string' || type.length > 100) return 'A message must be an object with a type.';
  return { type, ...(Number.isSafeInteger(requestId) ? { requestId: requestId as number } : {}) };
}

/** The request id a message that is malformed still carries, so the page's request is answered rather than left waiting. */
function requestIdOf(value: unknown): { requestId?: number } {
  const requestId = typeof value === 'object' && value !== null ? (value as { requestId?: unknown }).requestId : undefined;
  return Number.isSafeInteger(requestId) ? { requestId: requestId as number } : {};
}

/** The first key anywhere in `value` that could pollute a prototype (or that nests too deep), else undefined. */
export function hostileKey(value: unknown, depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DEPTH) return 'nesting';
  for (const key of Object.keys(value)) {
    if (POLLUTING_KEYS.has(key)) return key;
    const inner = hostileKey((value as Record<string, unknown>)[key], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/** A protocol's webview → host messages: their schema, and their types (for "unknown message type"). */
export interface WebviewProtocol<Message> {
  readonly schema: z.ZodType<Message>;
  readonly types: readonly string[];
}

/** One message of a protocol's union: an object schema whose `type` is a literal. */
type MessageSchema = z.ZodObject<{ type: z.ZodLiteral<string> }>;

/**
 * A protocol from its messages' schemas, checked against its hand-written message type at compile time both ways:
 * what the schema lets through is a `Message` (handlers may trust it), and every `Message` a page builds is what the
 * schema takes.
 */
export function protocolOf<Message>() {
  return <Schema extends z.ZodDiscriminatedUnion<readonly MessageSchema[]> & z.ZodType<Message>>(schema: [Message] extends [z.input<Schema>] ? Schema : never): WebviewProtocol<Message> => ({
    schema,
    types: schema.options.map((option) => option.shape.type.value),
  });
}

/** The outcome of checking one raw message against a protocol. */
export type Checked<Message> = { readonly ok: true; readonly message: Message; readonly envelope: Envelope } | { readonly ok: false; readonly error: string; readonly envelope?: Envelope };

/**
 * Checks a raw webview message against its protocol: the message (unknown fields stripped), or the first problem
 * in words. Field problems are the schema's own texts; a field without one is named by its path.
 */
export function checkMessage<Message>(protocol: WebviewProtocol<Message>, value: unknown): Checked<Message> {
  const envelope = envelopeOf(value);
  if (typeof envelope === 'string') return { ok: false, error: envelope, envelope: { type: '', ...requestIdOf(value) } };
  if (!protocol.types.includes(envelope.type)) return { ok: false, error: `Unknown message type "${envelope.type}".`, envelope };
  const hostile = hostileKey(value);
  if (hostile === 'nesting') return { ok: false, error: `The "${envelope.type}" message nests too deep.`, envelope };
  if (hostile) return { ok: false, error: `The "${envelope.type}" message carries the key "${hostile}", which is not allowed.`, envelope };
  const parsed = protocol.schema.safeParse(value, {
    error: (issue) =>
      `The "${envelope.type}" message is malformed: ${issue.path?.length ? issue.path.join('.') : 'its fields'} ${issue.code === 'invalid_type' ? `must be ${issue.expected}` : 'is not valid'}.`,
  });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? `The "${envelope.type}" message is malformed.`, envelope };
  return { ok: true, message: parsed.data, envelope };
}
