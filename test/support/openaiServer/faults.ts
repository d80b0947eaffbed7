import type { ParsedBody } from './http';
import { isRecord } from './validation';

export type Fault =
  /** An error status with the OpenAI envelope; `retryAfterSeconds` sets `retry-after`, `retryAfterMs` the SDK's `retry-after-ms`. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number; readonly retryAfterMs?: number; readonly message?: string }
  /** Accept the request and never answer (until the server closes). */
  | { readonly kind: 'hang' }
  /** 200 with a body that is not JSON. */
  | { readonly kind: 'malformed' }
  /** A page of HTML (text/html), as a proxy, captive portal or load balancer in front of the server answers. */
  | { readonly kind: 'html'; readonly status?: number }
  /** Embeddings: a 200 JSON reply without `data` (Ollama's native `{"embedding": […]}`) or whose items lack `index`. */
  | { readonly kind: 'malformedEmbeddings'; readonly missing: 'data' | 'index' }
  /** Chat with a json_schema response_format: valid JSON that violates the schema. */
  | { readonly kind: 'wrongSchema' }
  /** Chat with a response_format: the 400 a server without response_format support answers. */
  | { readonly kind: 'noResponseFormat' }
  /** Chat with `stream: true`: the 400 a server without streaming answers. */
  | { readonly kind: 'noStream' }
  /** Chat with `stream: true`: the stream stops after `afterChunks` chunks (2 unless given), without `[DONE]` — the
   * connection dropped, or with `hold` left open and silent (until the client gives up or the server closes). */
  | { readonly kind: 'streamCut'; readonly afterChunks?: number; readonly hold?: boolean };

export interface FaultMatch {
  readonly method?: string;
  /** `/chat/completions` (with or without the `/v1` prefix), or a RegExp tested against both forms. */
  readonly path: string | RegExp;
}

interface QueuedFault {
  readonly match: FaultMatch;
  readonly fault: Fault;
  remaining: number;
}

export class FaultQueue {
  private queued: QueuedFault[] = [];

  add(match: FaultMatch, fault: Fault, times: number): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`);
    this.queued.push({ match, fault, remaining: times });
  }

  /**
   * The fault for this request, consumed once. The most recently added fault that matches wins (as handlers added with
   * msw's `server.use` do), so a test can override what an earlier one left pending; faults that only make sense for
   * some bodies (wrongSchema, noResponseFormat; noStream, streamCut) wait for such a body.
   */
  take(method: string, routePath: string, body: ParsedBody): Fault | undefined {
    const entry = [...this.queued].reverse().find((candidate) => matches(candidate.match, method, routePath) && appliesTo(candidate.fault, body));
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queued = this.queued.filter((candidate) => candidate !== entry);
    return entry.fault;
  }

  clear(): void {
    this.queued = [];
  }

  get pending(): number {
    return this.queued.reduce((sum, entry) => sum + entry.remaining, 0);
  }
}

function matches(match: FaultMatch, method: string, routePath: string): boolean {
  if (match.method && match.method.toUpperCase() !== method) return false;
  const fullPath = `/v1${routePath}`;
  if (typeof match.path === 'string') return match.path === routePath || match.path === fullPath;
  return match.path.test(routePath) || match.path.test(fullPath);
}

function appliesTo(fault: Fault, body: ParsedBody): boolean {
  if (fault.kind === 'noStream' || fault.kind === 'streamCut') return body.kind === 'json' && isRecord(body.value) && body.value.stream === true;
  if (fault.kind !== 'wrongSchema' && fault.kind !== 'noResponseFormat') return true;
  const responseFormat = body.kind === 'json' && isRecord(body.value) ? body.value.response_format : undefined;
  if (!isRecord(responseFormat)) return false;
  return fault.kind === 'noResponseFormat' || responseFormat.type === 'json_schema';
}
