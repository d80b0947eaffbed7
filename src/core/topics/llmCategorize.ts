import { setMaxListeners } from 'node:events';
import { z } from 'zod';
import type { Label } from '../dataset/labels';
import type { ModelClient } from '../llm/modelClient';
import { Semaphore } from '../llm/semaphore';
import type { TopicRecord } from './datasetRecords';
import type { LeafEntry } from './topicsFile';

const answerSchema = z.object({ topic: z.string(), confidence: z.number().min(0).max(1) });
const MAX_RECORD_CHARS = 2000;
const PARALLEL = 8;
/** This many failed calls before any answer stop the pass: a wrong key or a broken server fails every call alike. */
export const LLM_FAIL_FAST = 10;

export interface LlmCategorizeResult {
  readonly labels: Label[];
  /** Records the model was asked about (calls made, whether they answered or failed). */
  readonly asked: number;
  /** Calls that got an answer (naming a known leaf or not). */
  readonly answered: number;
  readonly failed: number;
  /** The first failure's message, when a call failed. */
  readonly firstError?: string;
  /** True when the pass stopped after LLM_FAIL_FAST failures with no answer, leaving the rest unasked. */
  readonly stoppedEarly: boolean;
}

/**
 * The optional LLM pass over low-confidence records: the model picks one leaf path from the list (or keeps the
 * record where it is by answering its current topic). An answer naming no known leaf, or a failed call, leaves
 * the record's label as it was; failures are counted and the first one named, and the pass stops once
 * LLM_FAIL_FAST calls failed without a single answer.
 */
export async function llmCategorize(
  client: ModelClient,
  model: string,
  leaves: readonly LeafEntry[],
  records: readonly TopicRecord[],
  options: { signal?: AbortSignal; onProgress?: (message: string) => void } = {},
): Promise<LlmCategorizeResult> {
  const known = new Set(leaves.map((leaf) => leaf.path));
  const menu = leaves.map((leaf) => `- ${leaf.path}${leaf.leaf.description ? `: ${leaf.leaf.description}` : ''}`).join('\n');
  const gate = new Semaphore(PARALLEL);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  setMaxListeners(0, signal); // every call of the pass listens to it; it lives only as long as the pass
  const labels: Label[] = [];
  let done = 0;
  let asked = 0;
  let answered = 0;
  let failed = 0;
  let firstError: string | undefined;
  await Promise.all(
    records.map((record) =>
      gate.run(async () => {
        if (stop.signal.aborted) return;
        options.signal?.throwIfAborted();
        asked++;
        try {
          const answer = await client.structured(
            {
              model,
              temperature: 0,
              messages: [
                {
                  role: 'system',
                  content: `You sort user requests into topics. Topics (path: description):\n${menu}\nAnswer with the one topic path that fits the request best and your confidence (0..1) that it is right.`,
                },
                { role: 'user', content: record.text.slice(0, MAX_RECORD_CHARS) },
              ],
            },
            answerSchema,
            'topic_choice',
            { signal },
          );
          answered++;
          if (known.has(answer.topic)) labels.push({ key: record.key, topic: answer.topic, confidence: Math.round(answer.confidence * 1000) / 1000, method: 'llm' });
        } catch (error) {
          if (options.signal?.aborted) throw error;
          if (stop.signal.aborted) {
            asked--; // cut short by the fail-fast stop, not a failure of its own
            return;
          }
          failed++;
          firstError ??= (error as Error).message || String(error);
          if (answered === 0 && failed >= LLM_FAIL_FAST) stop.abort();
        } finally {
          options.onProgress?.(`Reviewed ${++done} of ${records.length} low-confidence records with ${model}`);
        }
      }),
    ),
  );
  return { labels, asked, answered, failed, ...(firstError !== undefined ? { firstError } : {}), stoppedEarly: stop.signal.aborted };
}
