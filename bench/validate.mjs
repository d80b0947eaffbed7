// Benchmark of `rft validate` on a 300+ MB JSONL file against a plain read + JSON.parse baseline, its peak memory,
// and incremental re-validation in the editor. Prints one JSON object on stdout; progress goes to stderr.
// Run with `npm run -s bench:validate` (builds dist/ first). The timed runs are repeated BENCH_RUNS times (default 3)
// and the fastest counts. BENCH_CPU_PROF=1 writes CPU profiles of the validate children to bench/.data/profiles/.
import { CLI_WITH_RSS, root, runNode } from './childRun.mjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDataset } from './generate.mjs';

const dataDir = path.join(root, 'bench', '.data');
const file = path.join(dataDir, 'validate-bench.jsonl');
const quarterFile = path.join(dataDir, 'validate-bench-quarter.jsonl');
const MiB = 2 ** 20;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (text) => process.stderr.write(`${text}\n`);

async function validate(target) {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.join(dataDir, 'profiles')] : [];
  const run = await runNode([...profile, '-e', CLI_WITH_RSS, 'validate', target, '--json', '--max-issues', '1000']);
  return { ...run, report: JSON.parse(run.stdout) };
}

/** The fastest of RUNS runs, with every run's time and the highest peak RSS. */
async function best(label, run) {
  const results = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await run();
    log(`  ${label} run ${i + 1}: ${result.seconds.toFixed(2)} s, peak RSS ${result.peakRssMb} MiB`);
    results.push(result);
  }
  const fastest = results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...fastest, runs: results.map((r) => round(r.seconds)), peakRssMb: Math.max(...results.map((r) => r.peakRssMb)) };
}

/** Reads the file once so neither measured run pays for a cold page cache. */
async function warmPageCache(target) {
  for await (const _chunk of fs.createReadStream(target, { highWaterMark: 4 * MiB }));
}

fs.mkdirSync(dataDir, { recursive: true });
const meta = await ensureDataset(file, quarterFile);
const mb = meta.bytes / MiB;
await warmPageCache(file);

log('baseline: read + JSON.parse ...');
const baseline = await best('baseline', () => runNode([path.join(root, 'bench', 'baseline.mjs'), file]));
const baselineMbPerSec = mb / baseline.seconds;

log('rft validate --json ...');
const full = await best('validate', () => validate(file));
const validateMbPerSec = mb / full.seconds;

log(`rft validate --json on the first ${meta.quarterRecords} lines ...`);
await warmPageCache(quarterFile);
const quarter = await validate(quarterFile);
log(`  peak RSS ${quarter.peakRssMb} MiB`);

log('incremental re-validation ...');
const incremental = JSON.parse((await runNode(['--import', 'tsx', path.join(root, 'bench', 'incremental.mts'), file, '50000', '200'])).stdout);
log(`  median ${incremental.medianMs} ms, p95 ${incremental.p95Ms} ms`);

const throughputRatio = validateMbPerSec / baselineMbPerSec;
const { total, valid, invalid, warnings, duplicates, byCode } = full.report;
const result = {
  units: 'MB = MiB (2^20 bytes)',
  file: { bytes: meta.bytes, records: meta.records, mb: round(mb, 1), generated: meta.kinds },
  baseline: { seconds: round(baseline.seconds), runs: baseline.runs, mbPerSec: round(baselineMbPerSec, 1), peakRssMb: baseline.peakRssMb },
  validate: { seconds: round(full.seconds), runs: full.runs, mbPerSec: round(validateMbPerSec, 1), peakRssMb: full.peakRssMb, total, valid, invalid, warnings, duplicates, byCode },
  throughputRatio: round(throughputRatio, 3),
  peakRssQuarterFileMb: quarter.peakRssMb,
  incremental,
  targets: { throughputRatio: '>= 0.6', peakRssMb: '<= 250', incrementalMedianMs: '<= 10' },
  pass: {
    throughput: throughputRatio >= 0.6,
    rss: full.peakRssMb <= 250,
    incremental: incremental.medianMs <= 10,
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
