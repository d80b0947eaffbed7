// `npm run -s bench:grader`: grading speed on 10,000 pairs — scores/s for string_check, fuzzy_match, a js grader
// (QuickJS) and a python grader (Pyodide) through the engine — and the reward server's latency per request of 64
// pairs (p50 / p99 over 200 requests, string_check and fuzzy_match). Pairs are built from BANKING77 utterances
// (../shared/data/public) when present, else from the example dataset. Prints one JSON object.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGradingEngine } from '../src/core/grader/engine';
import { parseGraderText } from '../src/core/grader/graderFile';
import type { Grader } from '../src/core/grader/graderSchema';
import { startRewardServer } from '../src/core/grader/rewardServer';
import { toSample, type GradingPair } from '../src/core/grader/sample';

const PAIRS = Number(process.env.RFT_BENCH_PAIRS ?? 10_000);
const PUBLIC = process.env.RFT_PUBLIC_DATA ?? path.resolve(import.meta.dirname, '../../shared/data/public');
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function texts(): string[] {
  const banking = path.join(PUBLIC, 'banking77_test.csv');
  if (fs.existsSync(banking))
    return fs
      .readFileSync(banking, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/,[^,]*$/, '').replace(/^"|"$/g, ''))
      .filter(Boolean);
  const example = path.resolve(import.meta.dirname, '../examples/assistant-support/records.jsonl');
  return fs
    .readFileSync(example, 'utf8')
    .split('\n')
    .flatMap((line) => /"content": "([^"]{20,})"/.exec(line)?.[1] ?? []);
}

function pairs(): GradingPair[] {
  const pool = texts();
  return Array.from({ length: PAIRS }, (_, i) => ({ item: { reference_answer: pool[i % pool.length] }, sample: toSample(pool[(i * 7 + 3) % pool.length]) }));
}

const GRADERS: Record<string, Grader> = {
  string_check: parseGraderText(JSON.stringify({ type: 'string_check', name: 'check', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', operation: 'ilike' })),
  fuzzy_match: parseGraderText(JSON.stringify({ type: 'text_similarity', name: 'fuzzy', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'fuzzy_match' })),
  js: parseGraderText(
    JSON.stringify({
      type: 'js',
      name: 'js',
      source:
        'function grade(input) { const a = input.response.toLowerCase().split(/\\s+/); const b = new Set(String(input.item.reference_answer).toLowerCase().split(/\\s+/)); return a.filter((w) => b.has(w)).length / Math.max(1, a.length); }',
    }),
  ),
  python: parseGraderText(
    JSON.stringify({
      type: 'python',
      name: 'python',
      source:
        'def grade(sample, item):\n    a = sample["output_text"].lower().split()\n    b = set(str(item["reference_answer"]).lower().split())\n    return sum(1 for w in a if w in b) / max(1, len(a))\n',
    }),
  ),
};

async function throughput(name: string, grader: Grader, corpus: GradingPair[]) {
  const engine = createGradingEngine();
  await engine.grade(grader, corpus[0]);
  const started = performance.now();
  let errors = 0;
  for (let at = 0; at < corpus.length; at += 256) {
    const results = await Promise.all(corpus.slice(at, at + 256).map((pair) => engine.grade(grader, pair)));
    errors += results.filter((result) => result.errors.length > 0).length;
  }
  const seconds = (performance.now() - started) / 1000;
  await engine.dispose();
  return [name, { pairs: corpus.length, seconds: round(seconds, 2), scoresPerSecond: round(corpus.length / seconds), errors }] as const;
}

async function serverLatency(name: string, grader: Grader, corpus: GradingPair[]) {
  const engine = createGradingEngine();
  const server = await startRewardServer({ grader, engine, port: 0 });
  const latencies: number[] = [];
  for (let request = 0; request < 200; request++) {
    const batch = corpus.slice((request * 64) % (corpus.length - 64), ((request * 64) % (corpus.length - 64)) + 64);
    const started = performance.now();
    const response = await fetch(`${server.url}/score`, { method: 'POST', body: JSON.stringify({ items: batch }) });
    await response.json();
    latencies.push(performance.now() - started);
  }
  await server.close();
  await engine.dispose();
  latencies.sort((a, b) => a - b);
  return [name, { batch: 64, requests: latencies.length, p50Ms: round(latencies[Math.floor(latencies.length * 0.5)], 2), p99Ms: round(latencies[Math.floor(latencies.length * 0.99)], 2) }] as const;
}

const corpus = pairs();
const scores = Object.fromEntries([
  await throughput('string_check', GRADERS.string_check, corpus),
  await throughput('fuzzy_match', GRADERS.fuzzy_match, corpus),
  await throughput('js', GRADERS.js, corpus),
  await throughput('python', GRADERS.python, corpus),
]);
const rewardServer = Object.fromEntries([await serverLatency('string_check', GRADERS.string_check, corpus), await serverLatency('fuzzy_match', GRADERS.fuzzy_match, corpus)]);
console.log(JSON.stringify({ scores, rewardServer }, null, 2));
