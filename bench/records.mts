// `npm run -s bench:records`: the records browser at 100,000 records. Writes a synthetic dataset (records.jsonl
// with invalid lines and duplicates, generated.jsonl, topics and labels) into a temporary folder, builds the
// records index once and times the filters the browser runs (topic, status + code, origin, low confidence, text
// search, their combination, a deep page) and one on-demand line read. Prints one JSON object:
// {records, indexMs, filterMs: {...}, readLineMs, rssMb, heapMb} (+ indexHeapMb, the index's own heap, under
// `node --expose-gc --import tsx bench/records.mts`).
// `measureRecordsFilter(n)` is the same measurement for another benchmark (bench/generation.mts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RecordsIndex, type RecordsFilter } from '../src/core/records';
import { recordKey } from '../src/core/validation/recordKey';

const TOPICS = ['billing/refunds', 'billing/invoices', 'account/login', 'account/sso', 'api/rate_limits', 'api/errors', 'export/csv', 'outage/status'];
const WORDS = ['refund', 'invoice', 'password', 'token', 'export', 'outage', 'limit', 'webhook', 'seat', 'plan', 'charge', 'login', 'csv', 'bucket', 'region', 'latency'];
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A deterministic synthetic dataset of `count` lines: ~1 % invalid, ~1 % duplicates, 15 % generated, labels for the valid ones. */
export function writeSyntheticDataset(dir: string, count: number): void {
  fs.mkdirSync(path.join(dir, '.rft'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'rft.json'), JSON.stringify({ name: `bench-${count}` }));
  fs.writeFileSync(
    path.join(dir, 'topics.json'),
    JSON.stringify({
      version: 1,
      source: 'manual',
      topics: ['billing', 'account', 'api', 'export', 'outage'].map((name) => ({ name, children: TOPICS.filter((t) => t.startsWith(`${name}/`)).map((t) => ({ name: t.split('/')[1] })) })),
    }),
  );
  const generatedFrom = Math.floor(count * 0.85);
  const records: string[] = [];
  const generated: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < count; i++) {
    let line: string;
    if (i % 100 === 7)
      line =
        i % 200 === 7
          ? `{"messages": [broken ${i}`
          : JSON.stringify({
              messages: [
                { role: 'user', content: `Question ${i}` },
                { role: 'assistant', content: 'An answer.' },
              ],
            });
    else if (i % 100 === 13 && i > 0) line = (i < generatedFrom ? records : generated)[0] ?? records[0];
    else {
      const text = `Ticket ${i}: ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} problem since ${WORDS[(i * 3) % WORDS.length]} changed on our side, customer ${i * 31} asks what to do next`;
      const record = {
        messages: [
          { role: 'system', content: 'You are the Acme support assistant.' },
          { role: 'user', content: text },
        ],
        metadata: { source: `trace:${i}` },
      };
      line = JSON.stringify(record);
      labels.push(JSON.stringify({ key: recordKey(record, line), topic: TOPICS[i % TOPICS.length], confidence: (i % 10) / 10 + 0.05, method: 'embedding' }));
    }
    (i < generatedFrom ? records : generated).push(line);
  }
  fs.writeFileSync(path.join(dir, 'records.jsonl'), `${records.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'generated.jsonl'), `${generated.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, '.rft', 'labels.jsonl'), `${labels.join('\n')}\n`);
}

const FILTERS: Readonly<Record<string, RecordsFilter>> = {
  all: {},
  topicLeaf: { topic: 'billing/refunds' },
  topicParent: { topic: 'account' },
  invalidWithCode: { status: 'invalid', code: 'last_not_user' },
  duplicates: { status: 'duplicate' },
  generated: { origin: 'generated' },
  lowConfidence: { lowConfidence: true },
  search: { search: 'WEBHOOK problem' },
  searchNoMatch: { search: 'no record says this' },
  combined: { topic: 'api', origin: 'traces', lowConfidence: true, search: 'latency' },
};

/** Median of a few runs, in ms. */
function time(run: () => unknown, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export interface RecordsBench {
  readonly records: number;
  readonly indexMs: number;
  readonly filterMs: Record<string, number>;
  readonly readLineMs: number;
  readonly rssMb: number;
  readonly heapMb: number;
  /** What the index keeps on the heap (only when run with --expose-gc). */
  readonly indexHeapMb?: number;
}

/** Builds the index over a synthetic dataset of `recordCount` lines and times every filter (first page of 100). */
export async function benchRecords(recordCount: number): Promise<RecordsBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-bench-records-'));
  try {
    writeSyntheticDataset(dir, recordCount);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const start = performance.now();
    const index = await RecordsIndex.build(dir);
    const indexMs = performance.now() - start;
    gc?.();
    const indexHeapMb = gc ? Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20) : undefined;
    const filterMs: Record<string, number> = {};
    for (const [name, filter] of Object.entries(FILTERS))
      filterMs[name] = round(
        time(() => index.query(filter, { offset: 0, limit: 100 })),
        2,
      );
    filterMs.lastPage = round(
      time(() => index.query({}, { offset: recordCount - 100, limit: 100 })),
      2,
    );
    const readStart = performance.now();
    await index.readLine('generated.jsonl', 1);
    const readLineMs = performance.now() - readStart;
    const memory = process.memoryUsage();
    return {
      records: index.size,
      indexMs: Math.round(indexMs),
      filterMs,
      readLineMs: round(readLineMs, 2),
      rssMb: Math.round(memory.rss / 2 ** 20),
      heapMb: Math.round(memory.heapUsed / 2 ** 20),
      ...(indexHeapMb !== undefined ? { indexHeapMb } : {}),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** For the generation benchmark: the index build time and the slowest browser filter, at `recordCount` records. */
export async function measureRecordsFilter(recordCount: number): Promise<{ indexMs: number; filterMs: number }> {
  const result = await benchRecords(recordCount);
  return { indexMs: result.indexMs, filterMs: Math.max(...Object.values(result.filterMs)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const count = Number(process.env.RFT_BENCH_RECORDS ?? 100_000);
  console.log(JSON.stringify(await benchRecords(count)));
}
