// `npm run -s bench:generate`: the generation loop (src/core/generate) against the local test server, with real
// utterances as the "model": BANKING77 (12 intents — every sixth — 20 records each in the dataset, topics found with
// generateTopics, the intent's 20 other utterances as the pool — as a real model, it sometimes says nearly the same
// thing twice, or something another topic holds) and CLINC150's train split (60 utterances of each of its 150
// intents: 9,000 records, 30 leaves) for the loop's speed on a larger dataset. Prints one JSON object: landed share, near-duplicate share, requests per landed record, records per
// second (test server without latency: the loop's own cost), and the records browser's slowest filter on 100,000
// records (bench/records.mts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLabels } from '../src/core/dataset/labels';
import { initDataset } from '../src/core/dataset/initDataset';
import { forEachValidRecord } from '../src/core/dataset/validRecords';
import { generateRecords, type GenerateResult } from '../src/core/generate';
import { ModelClient } from '../src/core/llm/modelClient';
import { generateTopics } from '../src/core/topics/topicsPipeline';
import { generationHandler } from '../test/support/generationScript';
import { startOpenAiTestServer, type OpenAiTestServer } from '../test/support/openaiServer';

const PUBLIC = process.env.RFT_PUBLIC_DATA ?? path.resolve(import.meta.dirname, '../../shared/data/public');
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Scenario {
  readonly name: string;
  readonly rows: readonly [string, string][];
  readonly perIntent: number;
  readonly leaves: number;
  /** Topics to fill and records per topic. */
  readonly fill: number;
  readonly perTopic: number;
}

function banking77(): [string, string][] {
  const lines = fs.readFileSync(path.join(PUBLIC, 'banking77_test.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  return lines.map((line) => {
    const comma = line.lastIndexOf(',');
    return [line.slice(0, comma).replace(/^"|"$/g, '').replace(/""/g, '"'), line.slice(comma + 1)];
  });
}

/** 12 of the 77 intents, spread over the list (neighbouring intents are often near-synonyms: card_arrival, card_delivery_estimate). */
function everySixthIntent(rows: [string, string][]): [string, string][] {
  const chosen = new Set([...new Set(rows.map((row) => row[1]))].filter((_, i) => i % 6 === 0).slice(0, 12));
  return rows.filter((row) => chosen.has(row[1]));
}

function clinc150(): [string, string][] {
  return (JSON.parse(fs.readFileSync(path.join(PUBLIC, 'clinc150_data_full.json'), 'utf8')) as { train: [string, string][] }).train;
}

async function runScenario(server: OpenAiTestServer, scenario: Scenario) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rft-bench-generate-${scenario.name}-`));
  try {
    await initDataset(dir, { name: scenario.name });
    const byIntent = new Map<string, string[]>();
    for (const [text, intent] of scenario.rows) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
    const intents = [...byIntent.keys()];
    const inDataset = intents.flatMap((intent) => byIntent.get(intent)!.slice(0, scenario.perIntent));
    fs.writeFileSync(path.join(dir, 'records.jsonl'), `${inDataset.map((text) => JSON.stringify({ messages: [{ role: 'user', content: text }] })).join('\n')}\n`);
    const topicsStarted = performance.now();
    await generateTopics(dir, { leaves: scenario.leaves, seed: 1 });
    const topicsSeconds = (performance.now() - topicsStarted) / 1000;
    // each leaf's pool: the unused utterances of the intent most of its records have
    const { labels } = await readLabels(dir);
    const intentOf = new Map(scenario.rows.map(([text, intent]) => [text, intent]));
    const votes = new Map<string, Map<string, number>>();
    await forEachValidRecord(dir, ({ key, record }) => {
      const topic = labels.get(key)?.topic;
      const intent = intentOf.get((record.messages as { content: string }[])[0].content);
      if (!topic || !intent) return;
      const tally = votes.get(topic) ?? new Map<string, number>();
      tally.set(intent, (tally.get(intent) ?? 0) + 1);
      votes.set(topic, tally);
    });
    const pools: Record<string, string[]> = {};
    for (const [topic, tally] of votes) pools[topic] = byIntent.get([...tally].sort((a, b) => b[1] - a[1])[0][0])!.slice(scenario.perIntent);
    const topics = Object.keys(pools).sort().slice(0, scenario.fill);
    server.reset();
    server.onChat(generationHandler({ pools }));
    const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL }, { concurrency: 8 });
    const started = performance.now();
    const result = await generateRecords(
      dir,
      topics.map((topic) => ({ topic, count: scenario.perTopic })),
      { client, model: 'gpt-4o-mini', seed: 1 },
    );
    const seconds = (performance.now() - started) / 1000;
    return { records: inDataset.length, leaves: Object.keys(pools).length, topicsSeconds: round(topicsSeconds, 2), ...figures(result, seconds) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function figures(result: GenerateResult, seconds: number) {
  const candidates = result.byTopic.reduce((sum, topic) => sum + topic.candidates, 0);
  const landed = result.byTopic.reduce((sum, topic) => sum + topic.written, 0);
  return {
    requested: result.requested,
    written: result.written,
    candidates,
    stopped: result.stopped,
    landedShare: round(landed / Math.max(1, candidates)),
    nearDuplicateShare: round(result.nearDuplicates / Math.max(1, candidates)),
    duplicateShare: round(result.duplicates / Math.max(1, candidates)),
    offTargetShare: round(result.offTarget / Math.max(1, candidates)),
    requestsPerLandedRecord: round(result.requests / Math.max(1, landed)),
    recordsPerSecond: round(landed / seconds, 1),
    seconds: round(seconds, 2),
  };
}

/** The records browser's slowest filter (and its index build) on 100,000 records, measured by bench:records. */
async function recordsFilter100k(): Promise<{ indexMs: number; filterMs: number }> {
  const { measureRecordsFilter } = await import('./records.mts');
  return measureRecordsFilter(100_000);
}

const server = await startOpenAiTestServer();
try {
  const banking = await runScenario(server, { name: 'banking77', rows: everySixthIntent(banking77()), perIntent: 20, leaves: 12, fill: 12, perTopic: 8 });
  const clinc = await runScenario(server, { name: 'clinc150', rows: clinc150(), perIntent: 60, leaves: 30, fill: 10, perTopic: 10 });
  const filter = await recordsFilter100k();
  console.log(
    JSON.stringify(
      {
        landedShare: banking.landedShare,
        nearDuplicateShare: banking.nearDuplicateShare,
        requestsPerLandedRecord: banking.requestsPerLandedRecord,
        recordsPerSecond: clinc.recordsPerSecond,
        recordsFilterMs100k: filter.filterMs,
        recordsIndexMs100k: filter.indexMs,
        banking77: banking,
        clinc150: clinc,
      },
      null,
      2,
    ),
  );
} finally {
  await server.close();
}
