import { z } from 'zod';
import type { ModelClient } from '../llm/modelClient';
import { Semaphore } from '../llm/semaphore';
import type { TopicLabel } from './topicLabels';

const labelSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{1,48}$/, 'a snake_case name'),
  description: z.string().min(1).max(300),
  keywords: z.array(z.string()).max(12),
});
const EXAMPLES = 8;

/** What the label pass asked and what failed, gathered over its calls (`rft topics --labels llm` says it). */
export interface LabelPassTally {
  asked: number;
  failed: number;
  firstError?: string;
}

/**
 * The LLM label pass: for each cluster, a snake_case name, a one-sentence description and keywords from its
 * keywords and example requests. A cluster whose call fails keeps its c-TF-IDF label (counted in `options.tally`,
 * so the caller can say it); names stay unique.
 */
export async function llmLabels(
  client: ModelClient,
  model: string,
  clusters: readonly { label: TopicLabel; examples: readonly string[]; parent?: string }[],
  options: { signal?: AbortSignal; tally?: LabelPassTally } = {},
): Promise<TopicLabel[]> {
  const gate = new Semaphore(8);
  const proposed = await Promise.all(
    clusters.map((cluster) =>
      gate.run(async () => {
        if (options.tally) options.tally.asked++;
        try {
          return await client.structured(
            {
              model,
              temperature: 0,
              messages: [
                {
                  role: 'system',
                  content:
                    'You name clusters of user requests sent to an AI assistant. Reply with a short snake_case topic name (2-4 words), a one-sentence description of what the requests ask for, and up to 8 keywords.',
                },
                {
                  role: 'user',
                  content: `${cluster.parent ? `Parent topic: ${cluster.parent}\n` : ''}Keywords: ${cluster.label.keywords.join(', ')}\nExample requests:\n${cluster.examples
                    .slice(0, EXAMPLES)
                    .map((text) => `- ${text.slice(0, 300).replace(/\s+/g, ' ')}`)
                    .join('\n')}`,
                },
              ],
            },
            labelSchema,
            'topic_label',
            { signal: options.signal },
          );
        } catch (error) {
          if ((error as Error).name === 'AbortError') throw error;
          if (options.tally) {
            options.tally.failed++;
            options.tally.firstError ??= (error as Error).message || String(error);
          }
          return undefined;
        }
      }),
    ),
  );
  const taken = new Set<string>();
  return clusters.map((cluster, i) => {
    const label = proposed[i] ?? cluster.label;
    let name = label.name;
    for (let n = 2; taken.has(name); n++) name = `${label.name}_${n}`;
    taken.add(name);
    return { ...label, name };
  });
}
