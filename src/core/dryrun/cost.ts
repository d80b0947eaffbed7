// The cost estimate shown before a dry run starts: tokens × a small price table (USD per million tokens).
import { referenceSample } from '../grader/pairs';
import type { CostEstimate } from './dryRunTypes';

/** Input, output USD per 1M tokens; dated snapshots ("gpt-4o-2024-08-06") cost what their family costs. */
export const PRICES: Readonly<Record<string, readonly [number, number]>> = {
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
  'o4-mini': [1.1, 4.4],
  'o3-mini': [1.1, 4.4],
  'gpt-5': [1.25, 10],
  'gpt-5-mini': [0.25, 2],
  'gpt-5-nano': [0.05, 0.4],
};

export function priceOf(model: string): readonly [number, number] | undefined {
  if (PRICES[model]) return PRICES[model];
  const family = Object.keys(PRICES).filter((name) => model.startsWith(`${name}-`)).sort((a, b) => b.length - a.length)[0];
  return family ? PRICES[family] : undefined;
}

/** The Batch API costs half. */
export function costOf(model: string, promptTokens: number, completionTokens: number, batch: boolean): number | null {
  const price = priceOf(model);
  if (!price) return null;
  return ((promptTokens * price[0] + completionTokens * price[1]) / 1e6) * (batch ? 0.5 : 1);
}

/** Completion tokens per answer assumed for the estimate when a record has no reference to measure. */
export const ASSUMED_COMPLETION_TOKENS = 300;

export function estimateCost(model: string, promptTokens: number, completionTokens: number, batch: boolean): CostEstimate {
  return { model, batch, promptTokens, completionTokens, costUsd: costOf(model, promptTokens, completionTokens, batch) };
}

/** ≈ 4 characters per token over the messages and tools, plus the chat overhead: fast enough for any N (an estimate). */
function promptTokensOf(record: Record<string, unknown>): number {
  const messages = Array.isArray(record.messages) ? record.messages : [];
  return Math.ceil((JSON.stringify(messages).length + (record.tools ? JSON.stringify(record.tools).length : 0)) / 4) + 4 * messages.length + 3;
}

/** The answer's tokens, guessed from the record's reference when it has one. */
function completionTokensOf(record: Record<string, unknown>): number {
  const reference = referenceSample(record);
  return reference ? Math.ceil(reference.output_text.length / 4) + 8 : ASSUMED_COMPLETION_TOKENS;
}

/** The estimate for one answer per record given (a record asked K times appears K times). */
export function estimateAnswers(records: readonly Record<string, unknown>[], model: string, batch: boolean): CostEstimate {
  let promptTokens = 0;
  let completionTokens = 0;
  for (const record of records) {
    promptTokens += promptTokensOf(record);
    completionTokens += completionTokensOf(record);
  }
  return estimateCost(model, promptTokens, completionTokens, batch);
}

export function formatEstimate(estimate: CostEstimate, samples: number): string {
  const tokens = `~${(estimate.promptTokens + estimate.completionTokens).toLocaleString('en-US')} tokens (${estimate.promptTokens.toLocaleString('en-US')} in, ~${estimate.completionTokens.toLocaleString('en-US')} out)`;
  const price = estimate.costUsd === null ? `unknown price for ${estimate.model}` : `~$${estimate.costUsd < 0.01 ? estimate.costUsd.toFixed(4) : estimate.costUsd.toFixed(2)}${estimate.batch ? ' (Batch API, half price)' : ''}`;
  return `Estimate: ${samples} answers from ${estimate.model}, ${tokens}, ${price}; grader judge calls not included`;
}
