// `npm run -s bench:benchmark`: the paired bootstrap of step 7's benchmarks on 1,000 pairs × 10,000 resamples
// (typed arrays, seeded), and the whole report (overall and 12 topics, each with its own 10,000 resamples). Prints
// one JSON object with the times; the goal is well under a second for the bootstrap.
import { benchmarkReport, pairedBootstrap, type BenchmarkPair } from '../src/core/deploy';
import { seededRandom } from '../src/core/random/seededRandom';

const PAIRS = Number(process.env.RFT_BENCH_PAIRS ?? 1000);
const RESAMPLES = Number(process.env.RFT_BENCH_RESAMPLES ?? 10_000);
const TOPICS = 12;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const random = seededRandom(42);
const base = Float64Array.from({ length: PAIRS }, () => random());
const tuned = base.map((b) => Math.min(1, Math.max(0, b + (random() - 0.4) * 0.5)));

pairedBootstrap(base.subarray(0, 50), tuned.subarray(0, 50), { resamples: 1000 }); // warm-up
const started = performance.now();
const interval = pairedBootstrap(base, tuned, { resamples: RESAMPLES, seed: 1 })!;
const bootstrapMs = performance.now() - started;

const side = (score: number) => ({ response: String(score), score, sub_rewards: {}, details: {}, error: null });
const pairs: BenchmarkPair[] = Array.from({ length: PAIRS }, (_, i) => ({
  key: `k${i}`,
  file: 'exports/valid.jsonl',
  line: i + 1,
  topic: `topic-${i % TOPICS}`,
  prompt: `p${i}`,
  base: side(base[i]),
  tuned: side(tuned[i]),
}));
const reportStarted = performance.now();
const report = benchmarkReport(pairs, { resamples: RESAMPLES });
const reportMs = performance.now() - reportStarted;

console.log(
  JSON.stringify({
    pairs: PAIRS,
    resamples: RESAMPLES,
    bootstrapMs: round(bootstrapMs),
    ci: interval.ci.map((x) => round(x, 4)),
    delta: round(interval.delta, 4),
    reportMs: round(reportMs),
    topics: report.byTopic.length,
    regressions: report.regressions.length,
  }),
);
