// `npm run -s bench:dryrun`: a dry run of 1,000 samples against the local OpenAI-compatible test server (in its own
// process, bench/dryRunServer.mts, as a real API is) at 200 ms
// latency and concurrency 32 — wall time against the N·latency/concurrency bound (efficiency ≥ 0.9 is the goal),
// peak RSS, and the run file's size. The grader is fuzzy_match against each record's reference (deterministic, no
// sandbox start-up inside the measurement). Prints one JSON object; exits 1 when efficiency is below 0.9.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { writeLabels } from '../src/core/dataset/labels';
import { forEachValidRecord } from '../src/core/dataset/validRecords';
import { runDryRun } from '../src/core/dryrun';
import { ModelClient } from '../src/core/llm/modelClient';

const SAMPLES = Number(process.env.RFT_BENCH_SAMPLES ?? 1000);
const LATENCY_MS = Number(process.env.RFT_BENCH_LATENCY_MS ?? 200);
const CONCURRENCY = Number(process.env.RFT_BENCH_CONCURRENCY ?? 32);
const TOPICS = ['billing/refunds', 'billing/invoices', 'api/auth', 'api/limits', 'account/login', 'outage/status'];
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-bench-dryrun-'));
try {
  fs.writeFileSync(path.join(dir, 'rft.json'), JSON.stringify({ name: 'bench-dryrun' }));
  const records = Array.from({ length: SAMPLES }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: 'system', content: 'Acme Cloud support agent.' },
        { role: 'user', content: `Customer ${i} asks about ${TOPICS[i % TOPICS.length]}: how do I fix this?` },
      ],
      reference_answer: `Open Settings > ${TOPICS[i % TOPICS.length]} and follow step ${i % 7}.`,
    }),
  );
  fs.writeFileSync(path.join(dir, 'records.jsonl'), `${records.join('\n')}\n`);
  fs.writeFileSync(
    path.join(dir, 'grader.json'),
    JSON.stringify({ type: 'text_similarity', name: 'fuzzy', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'fuzzy_match' }),
  );
  const labels: { key: string; topic: string; confidence: number; method: 'manual' }[] = [];
  let index = 0;
  await forEachValidRecord(dir, (record) => void labels.push({ key: record.key, topic: TOPICS[index++ % TOPICS.length], confidence: 1, method: 'manual' }));
  await writeLabels(dir, labels);

  const server = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'dryRunServer.mts')], {
    env: { ...process.env, RFT_BENCH_LATENCY_MS: String(LATENCY_MS), RFT_BENCH_TOPICS: TOPICS.join(',') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: server.stdout! })[Symbol.asyncIterator]();
  const { baseURL, apiKey } = JSON.parse((await lines.next()).value as string) as { baseURL: string; apiKey: string };
  const client = new ModelClient({ kind: 'openai', apiKey, baseURL }, { concurrency: CONCURRENCY });
  let firstSampleMs = 0;
  const started = performance.now();
  const result = await runDryRun(dir, {
    client,
    model: 'gpt-4o-mini',
    n: SAMPLES,
    concurrency: CONCURRENCY,
    onProgress: (event) => {
      if (event.type === 'sample' && firstSampleMs === 0) firstSampleMs = performance.now() - started;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  server.stdin!.end();
  const { chatRequests } = JSON.parse((await lines.next()).value as string) as { chatRequests: number };
  const bound = (SAMPLES * LATENCY_MS) / 1000 / CONCURRENCY;
  const efficiency = bound / seconds;
  const stats = result.file.stats;
  console.log(
    JSON.stringify(
      {
        samples: SAMPLES,
        latencyMs: LATENCY_MS,
        concurrency: CONCURRENCY,
        seconds: round(seconds, 2),
        boundSeconds: round(bound, 2),
        efficiency: round(efficiency),
        samplesPerSecond: round(SAMPLES / seconds, 1),
        firstSampleMs: round(firstSampleMs, 0),
        chatRequests,
        scored: stats.scored,
        errors: stats.errors,
        decision: result.file.decision,
        mean: round(stats.mean ?? 0),
        runFileKB: round(fs.statSync(result.path).size / 1024, 0),
        peakRssMB: round(process.resourceUsage().maxRSS / 1024, 0),
        pass: efficiency >= 0.9,
      },
      null,
      2,
    ),
  );
  process.exitCode = efficiency >= 0.9 ? 0 : 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
