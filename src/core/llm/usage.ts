/** USD per million tokens (input, output) for models we know; others are counted in tokens only. */
const PRICES: Record<string, readonly [number, number]> = {
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
  'o4-mini': [1.1, 4.4],
  'text-embedding-3-small': [0.02, 0],
  'text-embedding-3-large': [0.13, 0],
};

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

/** Dated snapshots ("gpt-4o-2024-08-06") cost what their family costs. */
function priceOf(model: string): readonly [number, number] | undefined {
  if (PRICES[model]) return PRICES[model];
  const family = Object.keys(PRICES).filter((name) => model.startsWith(`${name}-`)).sort((a, b) => b.length - a.length)[0];
  return family ? PRICES[family] : undefined;
}
