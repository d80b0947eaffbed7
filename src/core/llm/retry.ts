import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

export interface RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * The longest wait a server may ask for (`retry-after`): one asking for more fails the request at once as
   * RetryWaitTooLongError, since waiting less cannot satisfy it and waiting that long looks like a hang.
   */
  readonly maxRetryWaitMs?: number;
  /** Random in [0, 1): injectable so tests are deterministic. */
  readonly random?: () => number;
}

/** The longest `retry-after` obeyed unless raised (rftStudio.llm.maxRetryWait, --max-retry-wait). */
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryWaitMs: DEFAULT_MAX_RETRY_WAIT_MS };

/** Said before each wait between attempts, for the CLI's stderr and VS Code's log. */
export interface RetryNotice {
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  readonly maxRetries: number;
  readonly delayMs: number;
  /** Why, in words: "rate limited by the server", "no answer within 60 s", "the server answered 503"… */
  readonly reason: string;
  /** The server asked for this wait (`retry-after`). */
  readonly serverAsked: boolean;
}

/** A server asked to wait longer than the policy accepts: the request fails now instead (code `rate_limited`). */
export class RetryWaitTooLongError extends Error {
  readonly code = 'rate_limited';
  constructor(
    readonly waitMs: number,
    readonly maxWaitMs: number,
    readonly status: number | undefined,
    readonly serverMessage: string,
  ) {
    super(
      `rate_limited: the server asks to wait ${formatWait(waitMs)} before retrying, longer than the longest wait accepted (${formatWait(maxWaitMs)}; raise it with --max-retry-wait or rftStudio.llm.maxRetryWait): ${serverMessage}`,
    );
    this.name = 'RetryWaitTooLongError';
  }
}

/** "waiting 20 s: rate limited by the server (retry 1 of 5)" */
export function describeRetry(notice: RetryNotice): string {
  return `waiting ${formatWait(notice.delayMs)}: ${notice.reason} (retry ${notice.attempt} of ${notice.maxRetries})`;
}

/** "250 ms", "1.5 s", "20 s", "60 min", "2 h". */
export function formatWait(ms: number): string {
  const seconds = ms / 1000;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (seconds < 120) return `${Number(seconds.toFixed(seconds < 10 ? 1 : 0))} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Number((seconds / 3600).toFixed(1))} h`;
}

/** Why an attempt failed, in words for a retry notice. */
export function retryReason(error: unknown, timeoutMs?: number): string {
  if (error instanceof APIConnectionTimeoutError) return timeoutMs ? `no answer within ${formatWait(timeoutMs)}` : 'the request timed out';
  if (error instanceof APIConnectionError) return `could not reach the server (${error.message})`;
  if (error instanceof APIError && error.status === 429) return 'rate limited by the server';
  if (error instanceof APIError && error.status !== undefined) return `the server answered ${error.status}`;
  return (error as Error)?.message ?? String(error);
}

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504]);

export function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError || error instanceof APIConnectionTimeoutError) return true;
  return error instanceof APIError && error.status !== undefined && RETRYABLE_STATUS.has(error.status);
}

/** The server's `retry-after-ms` / `retry-after` (seconds or an HTTP date), when it sent one. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (!(error instanceof APIError) || !error.headers) return undefined;
  const headers = error.headers as Headers | Record<string, string>;
  const get = (name: string) => (typeof (headers as Headers).get === 'function' ? (headers as Headers).get(name) : (headers as Record<string, string>)[name]) ?? undefined;
  const ms = Number(get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = get('retry-after');
  if (value === undefined || value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter, never shorter than what the server asked for. */
export function backoffMs(attempt: number, policy: RetryPolicy, serverMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor((policy.random ?? Math.random)() * ceiling);
  return serverMs !== undefined ? Math.max(serverMs, Math.min(jittered, policy.maxDelayMs)) : jittered;
}

/**
 * Runs `attempt` until it succeeds, fails for a non-retryable reason, runs out of retries, or is aborted. A server
 * that asks for a longer wait than `policy.maxRetryWaitMs` fails it at once (RetryWaitTooLongError).
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (error: unknown, delayMs: number, failedAttempt: number) => void,
): Promise<T> {
  for (let n = 0; ; n++) {
    signal?.throwIfAborted();
    try {
      return await attempt(n);
    } catch (error) {
      if (signal?.aborted || !isRetryable(error)) throw error;
      const serverMs = retryAfterMs(error);
      const maxWaitMs = policy.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
      if (serverMs !== undefined && serverMs > maxWaitMs) throw new RetryWaitTooLongError(serverMs, maxWaitMs, (error as APIError).status, (error as Error).message);
      if (n >= policy.maxRetries) throw error;
      const delay = backoffMs(n, policy, serverMs);
      onRetry?.(error, delay, n + 1);
      await sleep(delay, signal);
    }
  }
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
