// Datasets for the generation tests: CLINC150 utterances of four distinct intents, topics found by `generateTopics`
// (one leaf per intent on these), and for each leaf a pool of the intent's utterances the dataset does not hold.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLabels } from '../../src/core/dataset/labels';
import { initDataset } from '../../src/core/dataset/initDataset';
import { forEachValidRecord } from '../../src/core/dataset/validRecords';
import { ModelClient } from '../../src/core/llm/modelClient';
import { generateTopics } from '../../src/core/topics/topicsPipeline';
import type { OpenAiTestServer } from '../support/openaiServer';

const SUBSET = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/public/clinc150_subset.json'), 'utf8')) as { rows: [string, string][] };
export const INTENTS = ['book_flight', 'calories', 'change_language', 'restaurant_reservation'] as const;
const IN_DATASET = 20;

export interface GenerationFixture {
  readonly dir: string;
  /** Leaf path by intent. */
  readonly topicOf: Record<string, string>;
  /** Utterances not in the dataset, by leaf path. */
  readonly pools: Record<string, string[]>;
  /** The dataset's own utterances, by leaf path. */
  readonly existing: Record<string, string[]>;
}

export interface FixtureOptions {
  /** A system message every record starts with. */
  readonly system?: string;
  /** A tools array every record carries. */
  readonly tools?: unknown[];
  /** Records per intent in records.jsonl (default 20; the rest of the 30 make the pool). */
  readonly records?: number;
}

export async function generationDataset(root: string, options: FixtureOptions = {}): Promise<GenerationFixture> {
  const dir = fs.mkdtempSync(path.join(root, 'g-'));
  await initDataset(dir, { name: 'generation' });
  const byIntent = new Map<string, string[]>(INTENTS.map((intent) => [intent, SUBSET.rows.filter((row) => row[1] === intent).map((row) => row[0])]));
  const lines = INTENTS.flatMap((intent) => byIntent.get(intent)!.slice(0, options.records ?? IN_DATASET)).map((text) => JSON.stringify(recordOf(text, options)));
  fs.writeFileSync(path.join(dir, 'records.jsonl'), `${lines.join('\n')}\n`);
  await generateTopics(dir, { leaves: INTENTS.length, top: INTENTS.length, seed: 3 });
  const { labels } = await readLabels(dir);
  const intentOfText = new Map(SUBSET.rows.map(([text, intent]) => [text, intent]));
  const votes = new Map<string, Map<string, number>>();
  await forEachValidRecord(dir, ({ key, record }) => {
    const messages = record.messages as { role: string; content: string }[];
    const intent = intentOfText.get(messages[messages.length - 1].content)!;
    const topic = labels.get(key)!.topic;
    const tally = votes.get(intent) ?? new Map<string, number>();
    tally.set(topic, (tally.get(topic) ?? 0) + 1);
    votes.set(intent, tally);
  });
  const topicOf: Record<string, string> = {};
  for (const [intent, tally] of votes) topicOf[intent] = [...tally].sort((a, b) => b[1] - a[1])[0][0];
  if (new Set(Object.values(topicOf)).size !== INTENTS.length) throw new Error(`the fixture's topics do not separate the intents: ${JSON.stringify(topicOf)}`);
  const pools: Record<string, string[]> = {};
  const existing: Record<string, string[]> = {};
  for (const intent of INTENTS) {
    pools[topicOf[intent]] = byIntent.get(intent)!.slice(options.records ?? IN_DATASET);
    existing[topicOf[intent]] = byIntent.get(intent)!.slice(0, options.records ?? IN_DATASET);
  }
  return { dir, topicOf, pools, existing };
}

export function recordOf(text: string, options: FixtureOptions = {}): Record<string, unknown> {
  return { messages: [...(options.system ? [{ role: 'system', content: options.system }] : []), { role: 'user', content: text }], ...(options.tools ? { tools: options.tools } : {}) };
}

/** A client for the test server that retries fast (so 429/500 tests take milliseconds). */
export function testClient(server: OpenAiTestServer, maxRetries = 2): ModelClient {
  return new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL }, { concurrency: 4, retry: { maxRetries, baseDelayMs: 1, maxDelayMs: 5 } });
}

export function generatedLines(dir: string): Record<string, unknown>[] {
  const file = path.join(dir, 'generated.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function userText(record: Record<string, unknown>): string {
  const messages = record.messages as { role: string; content: string }[];
  return messages[messages.length - 1].content;
}
