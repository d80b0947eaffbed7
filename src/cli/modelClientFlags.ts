// The one place the CLI builds a ModelClient: every command that calls a model takes --timeout and
// --max-retry-wait here, and says each retry on stderr (issue 20: nothing hangs, nothing is silent).
import { ModelClient, type ModelClientOptions } from '../core/llm/modelClient';
import type { ProviderConfig } from '../core/llm/providerConfig';
import { describeRetry } from '../core/llm/retry';
import type { Output } from './output';
import { UsageError } from './usage';

/** parseArgs options of every command that calls a model. */
export const MODEL_CLIENT_FLAGS = {
  /** Seconds one request may take before it counts as failed (and is retried). */
  timeout: { type: 'string' },
  /** The longest `retry-after` obeyed, in seconds; a server asking for more fails the request as rate_limited. */
  'max-retry-wait': { type: 'string' },
} as const;

export interface ModelClientFlagValues {
  readonly timeout?: string;
  readonly 'max-retry-wait'?: string;
}

/** The client options the flags ask for, with retries said on stderr. */
export function modelClientOptions(values: ModelClientFlagValues, output: Output, extra: Pick<ModelClientOptions, 'concurrency'> = {}): ModelClientOptions {
  const timeout = seconds('--timeout', values.timeout, false);
  const maxRetryWait = seconds('--max-retry-wait', values['max-retry-wait'], true);
  return {
    ...extra,
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(maxRetryWait !== undefined ? { retry: { maxRetryWaitMs: maxRetryWait * 1000 } } : {}),
    onRetry: (notice) => output.err(`rft: ${describeRetry(notice)}\n`),
  };
}

/** A client for `provider` under the command's --timeout / --max-retry-wait. */
export function modelClientFromFlags(provider: ProviderConfig, values: ModelClientFlagValues, output: Output, extra: Pick<ModelClientOptions, 'concurrency'> = {}): ModelClient {
  return new ModelClient(provider, modelClientOptions(values, output, extra));
}

function seconds(flag: string, value: string | undefined, zeroAllowed: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || (!zeroAllowed && n === 0)) throw new UsageError(`${flag} needs a number of seconds ${zeroAllowed ? '≥ 0' : '> 0'}, got "${value}"`);
  return n;
}
