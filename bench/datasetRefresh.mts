// How soon after a save the tree and status bar of a 10,000-record dataset can show new counts: the time the
// extension spends between the file-watcher event and the new pipeline state (its debounce plus re-reading
// the dataset, which re-validates the changed file). Also the reopen time, served from the health cache.
// Prints one JSON object. Run: node --import tsx bench/datasetRefresh.mts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initDataset } from '../src/core/dataset/initDataset';
import { pipelineState } from '../src/core/pipeline/pipelineState';
import { readDataset } from '../src/core/pipeline/snapshot';

const WATCHER_DEBOUNCE_MS = 200; // DatasetRegistry's debounce
const RECORDS = 10_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-bench-refresh-'));
await initDataset(dir, { name: 'bench' });
const topics = ['invoice', 'refund', 'SSO login', 'API rate limit', 'CSV export', 'outage', 'dashboard'];
const line = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'You are Acme Cloud support. Answer precisely and use tools when needed.' },
      { role: 'user', content: `Question ${i}: how do I handle the ${topics[i % topics.length]} issue on workspace ws_${i % 97}? It started after the last update and affects ${i % 13} users.` },
    ],
    reference_answer: `Answer ${i}: open Settings, then ${topics[i % topics.length]}, and follow the steps.`,
    metadata: { source: `trace:${i.toString(16)}`, model: 'gpt-4o-mini' },
  });
const records = path.join(dir, 'records.jsonl');
fs.writeFileSync(records, `${Array.from({ length: RECORDS }, (_, i) => line(i)).join('\n')}\n`);
await readDataset(dir); // first read fills the cache

const saves: number[] = [];
for (let round = 0; round < 5; round++) {
  fs.appendFileSync(records, `${line(RECORDS + round)}\n{"broken": ${round}\n`); // a save that changes the counts
  const started = performance.now();
  const state = pipelineState((await readDataset(dir)).snapshot);
  saves.push(performance.now() - started);
  if (state.health.counts?.invalid !== round + 1) throw new Error(`unexpected counts ${JSON.stringify(state.health.counts)}`);
}
const reopenStarted = performance.now();
await readDataset(dir);
const reopenMs = performance.now() - reopenStarted;
fs.rmSync(dir, { recursive: true, force: true });

const median = [...saves].sort((a, b) => a - b)[Math.floor(saves.length / 2)];
const round = (ms: number) => Math.round(ms * 10) / 10;
process.stdout.write(
  `${JSON.stringify(
    {
      records: RECORDS,
      afterSave: { readDatasetMedianMs: round(median), runsMs: saves.map(round), withDebounceMs: round(median + WATCHER_DEBOUNCE_MS) },
      reopenFromCacheMs: round(reopenMs),
      target: { afterSaveMs: '<= 1000' },
      pass: median + WATCHER_DEBOUNCE_MS <= 1000,
    },
    null,
    2,
  )}\n`,
);
