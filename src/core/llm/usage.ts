import { priceOf } from './prices';

export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Undefined when some model's price is unknown. */
  costUsd: number | undefined;
  retries: number;
}

/** Token usage and cost accounting for every call the client makes. */
export class UsageMeter {
  readonly totals: UsageTotals = { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, retries: 0 };

  add(model: string, usage: { prompt_tokens?: number; completion_tokens?: number } | undefined): void {
    this.totals.requests++;
    const input = usage?.prompt_tokens ?? 0;
    const output = usage?.completion_tokens ?? 0;
    this.totals.inputTokens += input;
    this.totals.outputTokens += output;
    const price = priceOf(model);
    this.totals.costUsd = price && this.totals.costUsd !== undefined ? this.totals.costUsd + (input * price[0] + output * price[1]) / 1e6 : undefined;
  }

  retried(): void {
    this.totals.retries++;
  }
}
