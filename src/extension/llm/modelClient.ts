import { ModelClient, type ModelClientOptions } from '../../core/llm/modelClient';
import type { ProviderConfig } from '../../core/llm/providerConfig';
import { describeRetry } from '../../core/llm/retry';
import type { Ctx } from '../ctx';

/**
 * A client for `provider` under rftStudio.llm.maxRetryWait; each retry is said in the RFT Studio log. Apart from
 * ProviderSettings so that activation does not load the model client (the step code does).
 */
export function modelClient(ctx: Ctx, provider: ProviderConfig, options: Pick<ModelClientOptions, 'concurrency'> = {}): ModelClient {
  return new ModelClient(provider, { ...options, retry: { maxRetryWaitMs: ctx.config.maxRetryWaitMs }, onRetry: (notice) => ctx.log.warn(`model call: ${describeRetry(notice)}`) });
}
