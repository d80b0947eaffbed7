import { z } from 'zod';
import type { Label } from '../dataset/labels';
import type { ModelClient } from '../llm/modelClient';
import { Semaphore } from '../llm/semaphore';
import type { TopicRecord } from './datasetRecords';
import type { LeafEntry } from './topicsFile';

const answerSchema = z.object({ topic: z.string(), confidence: z.number().min(0).max(1) });
const MAX_RECORD_CHARS = 2000;
const PARALLEL = 8;

/**
 * The optional LLM pass over low-confidence records: the model picks one leaf path from the list (or keeps the
 * record where it is by answering its current topic). An answer naming no known leaf, or a failed call, leaves
 * the record's label as it was; it never fails the whole run.
 */
export async function llmCategorize(client: ModelClient, model: string, leaves: readonly LeafEntry[], records: readonly TopicRecord[], options: { signal?: AbortSignal; onProgress?: (message: string) => void } = {}): Promise<Label[]> {
  const known = new Set(leaves.map((leaf) => leaf.path));
  const menu = leaves.map((leaf) => `- ${leaf.path}${leaf.leaf.description ? `: ${leaf.leaf.description}` : ''}`).join('\n');
  const gate = new Semaphore(PARALLEL);
  const labels: Label[] = [];
  let done = 0;
  await Promise.all(
    records.map((record) =>
      gate.run(async () => {
        try {
          const answer = await client.structured(
            {
              model,
              temperature: 0,
              messages: [
                { role: 'system', content: `You sort user requests into topics. Topics (path: description):\n${menu}\nAnswer with the one topic path that fits the request best and your confidence (0..1) that it is right.` },
                { role: 'user', content: record.text.slice(0, MAX_RECORD_CHARS) },
              ],
            },
            answerSchema,
            'topic_choice',
            { signal: options.signal },
          );
          if (known.has(answer.topic)) labels.push({ key: record.key, topic: answer.topic, confidence: Math.round(answer.confidence * 1000) / 1000, method: 'llm' });
        } catch (error) {
          if ((error as Error).name === 'AbortError') throw error;
        } finally {
          options.onProgress?.(`Reviewed ${++done} of ${records.length} low-confidence records with ${model}`);
        }
      }),
    ),
  );
  return labels;
}
