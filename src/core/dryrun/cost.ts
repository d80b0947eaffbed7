// The cost estimate shown before a dry run starts: tokens × the client layer's price table (USD per million tokens).
import { referenceSample } from '../grader/pairs';
import { priceOf } from '../llm/prices';
import type { CostEstimate } from './dryRunTypes';

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
  const price =
    estimate.costUsd === null
      ? `unknown price for ${estimate.model}`
      : `~$${estimate.costUsd < 0.01 ? estimate.costUsd.toFixed(4) : estimate.costUsd.toFixed(2)}${estimate.batch ? ' (Batch API, half price)' : ''}`;
  return `Estimate: ${samples} answers from ${estimate.model}, ${tokens}, ${price}; grader judge calls not included`;
}
