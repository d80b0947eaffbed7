// `npm run -s bench:split`: the train/validation split of 1,000,000 records (RFT_BENCH_RECORDS), 90 % in
// records.jsonl and 10 % in generated.jsonl, labelled over 24 topics in .rft/labels.jsonl (a few unlabelled) —
// splitDataset's wall time, records per second, and peak RSS while it runs (sampled every 20 ms) over the RSS
// before; then currentSplit on the unchanged dataset (the cheap check) and after a rewrite (the fingerprint pass).
// Prints one JSON object.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeLabels, type Label } from '../src/core/dataset/labels';
import { currentSplit, splitDataset } from '../src/core/train/split';
import { recordKey } from '../src/core/validation/recordKey';

const RECORDS = Number(process.env.RFT_BENCH_RECORDS ?? 1_000_000);
const TOPICS = Array.from({ length: 24 }, (_, i) => `area_${i % 6}/topic_${i}`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const mib = (bytes: number) => round(bytes / 2 ** 20, 1);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-bench-split-'));
try {
  fs.writeFileSync(path.join(dir, 'rft.json'), JSON.stringify({ name: 'bench-split', source: { kind: 'upload' } }));
  const labels: Label[] = [];
  const synthStarted = performance.now();
  for (const [file, from, to] of [
    ['records.jsonl', 0, Math.round(RECORDS * 0.9)],
    ['generated.jsonl', Math.round(RECORDS * 0.9), RECORDS],
  ] as const) {
    const out = fs.openSync(path.join(dir, file), 'w');
    let chunk: string[] = [];
    for (let i = from; i < to; i++) {
      const topic = TOPICS[(i * 7) % TOPICS.length];
      const record = {
        messages: [
          { role: 'system', content: 'Acme Cloud support agent.' },
          { role: 'user', content: `Customer ${i} asks about ${topic}: what should I do next?` },
        ],
        reference_answer: `Open Settings > ${topic} and follow step ${i % 9}.`,
      };
      const line = JSON.stringify(record);
      if (i % 50 !== 0) labels.push({ key: recordKey(record, line), topic, confidence: 0.9, method: 'embedding' });
      chunk.push(line);
      if (chunk.length === 10_000) {
        fs.writeSync(out, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(out, `${chunk.join('\n')}\n`);
    fs.closeSync(out);
  }
  await writeLabels(dir, labels);
  labels.length = 0;
  const synthSeconds = (performance.now() - synthStarted) / 1000;
  const inputBytes = ['records.jsonl', 'generated.jsonl', '.rft/labels.jsonl'].reduce((sum, file) => sum + fs.statSync(path.join(dir, file)).size, 0);

  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const result = await splitDataset(dir, { limits: false });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  const cheapStarted = performance.now();
  const cheap = await currentSplit(dir);
  const cheapMs = performance.now() - cheapStarted;
  const records = path.join(dir, 'records.jsonl');
  fs.utimesSync(records, new Date(), new Date());
  const fullStarted = performance.now();
  const full = await currentSplit(dir);
  const fullSeconds = (performance.now() - fullStarted) / 1000;

  console.log(
    JSON.stringify(
      {
        records: RECORDS,
        inputMiB: mib(inputBytes),
        synthesizeSeconds: round(synthSeconds),
        split: {
          seconds: round(seconds),
          recordsPerSecond: Math.round(RECORDS / seconds),
          train: result.train,
          valid: result.valid,
          topics: result.byTopic.length,
          rssBeforeMiB: mib(rssBefore),
          peakRssMiB: mib(peak),
          peakRssOverBeforeMiB: mib(peak - rssBefore),
          outputMiB: mib(fs.statSync(result.files.train).size + fs.statSync(result.files.valid).size),
        },
        currentSplit: { unchangedMs: round(cheapMs), unchangedFound: cheap !== undefined, afterTouchSeconds: round(fullSeconds), afterTouchFound: full !== undefined },
      },
      null,
      2,
    ),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
