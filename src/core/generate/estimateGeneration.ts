import { costOf } from '../dryrun/cost';
import { countRecordTokens } from '../validation/tokens';
import { readGenerationDataset, leafOf } from './generationDataset';
import { assumedLandedShare } from './generationPlan';
import { DEFAULT_PER_REQUEST } from './generateRecords';
import type { GenerateEstimate, GenerateTarget, Strategy } from './generateTypes';
import { buildRequest, topicContext } from './prompts';

/** Completion tokens per generated record when the topic has no records to measure: a prompt and a short reference. */
export const ASSUMED_RECORD_TOKENS = 150;

/**
 * The cost before any call: per topic, the request the loop would send (its tokens counted with o200k), times the
 * requests its records need at the landed share of the last run (else 60 %); each record's completion sized like
 * the topic's example records.
 */
export async function estimateGeneration(
  datasetDir: string,
  targets: readonly GenerateTarget[],
  options: { model: string; strategy?: Strategy; perRequest?: number; seed?: number },
): Promise<GenerateEstimate> {
  const dataset = await readGenerationDataset(datasetDir, { linesOf: { topics: new Set(targets.map((target) => target.topic)) } });
  const perRequest = Math.max(1, options.perRequest ?? DEFAULT_PER_REQUEST);
  const share = await assumedLandedShare(datasetDir);
  let requests = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  let records = 0;
  for (const target of targets) {
    if (target.count <= 0) continue;
    const context = topicContext(leafOf(dataset, target.topic), dataset.byTopic.get(target.topic) ?? [], options.seed ?? 1);
    const request = buildRequest(context, options.strategy ?? 'few-shot', Math.min(perRequest, target.count), { seed: options.seed ?? 1, index: 0 });
    const needed = Math.ceil(target.count / Math.min(perRequest, target.count) / share);
    const perRecord =
      request.seeds.length === 0
        ? ASSUMED_RECORD_TOKENS
        : Math.ceil(request.seeds.reduce((sum, key) => sum + recordTokens(dataset.records.find((r) => r.key === key)!.json!), 0) / request.seeds.length);
    records += target.count;
    requests += needed;
    promptTokens += needed * countRecordTokens({ messages: request.messages });
    completionTokens += needed * Math.min(perRequest, target.count) * perRecord;
  }
  return { records, requests, promptTokens, completionTokens, costUsd: costOf(options.model, promptTokens, completionTokens, false), assumedLandedShare: share };
}

/** A record's size as the model writes it: its prompt and its reference answer. */
function recordTokens(json: string): number {
  const record = JSON.parse(json) as Record<string, unknown>;
  const reference = typeof record.reference_answer === 'string' ? record.reference_answer : '';
  return countRecordTokens({ messages: [...(record.messages as unknown[]), ...(reference ? [{ role: 'assistant', content: reference }] : [])] });
}

/** "Estimate: 40 records in ~14 requests to gpt-4o-mini, ~9,800 tokens (…), ~$0.0021 (at a 60 % landed share)". */
export function formatGenerationEstimate(estimate: GenerateEstimate, model: string): string {
  const tokens = `~${(estimate.promptTokens + estimate.completionTokens).toLocaleString('en-US')} tokens (${estimate.promptTokens.toLocaleString('en-US')} in, ~${estimate.completionTokens.toLocaleString('en-US')} out)`;
  const price = estimate.costUsd === null ? `unknown price for ${model}` : `~$${estimate.costUsd < 0.01 ? estimate.costUsd.toFixed(4) : estimate.costUsd.toFixed(2)}`;
  return `Estimate: ${estimate.records} records in ~${estimate.requests} requests to ${model}, ${tokens}, ${price} (at a ${Math.round(estimate.assumedLandedShare * 100)} % landed share)`;
}
