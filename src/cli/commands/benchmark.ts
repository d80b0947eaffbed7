// `rft benchmark <dataset>`: step 7's benchmarks on the command line (issue 14 §6) — base vs tuned on the validation
// split, per topic, with the paired bootstrap interval; exit 1 when a topic regressed.
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { GraderFileError } from '../../core/grader/graderFile';
import { providerFromEnv } from '../../core/llm/providerConfig';
import { BenchmarkError, benchmarkFailures, readTunedModel, runBenchmark, tunedProviderOf, type BenchmarkFile } from '../../core/deploy';
import { MODEL_CLIENT_FLAGS, modelClientFromFlags } from '../modelClientFlags';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, parseCount, parsePositiveInt, UsageError } from '../usage';
import { requireDataset } from './dataset';

export async function benchmarkCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      base: { type: 'string' },
      tuned: { type: 'string' },
      n: { type: 'string' },
      set: { type: 'string' },
      seed: { type: 'string' },
      resamples: { type: 'string' },
      resume: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      ...MODEL_CLIENT_FLAGS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('benchmark needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'benchmark');
  const n = parseCount('--n', values.n);
  const resamples = parseCount('--resamples', values.resamples);
  const recorded = await readTunedModel(dir);
  const base = values.base ?? recorded?.baseModel ?? process.env.RFT_MODEL;
  const tuned = values.tuned ?? recorded?.model;
  if (!values.resume && !base) throw new UsageError('benchmark needs the base model: pass --base <model>');
  if (!values.resume && !tuned) throw new UsageError('benchmark needs the tuned model: pass --tuned <model> (or record it: rft deploy <dataset> --tuned-model <model> …)');
  const provider = providerFromEnv(process.env);
  if (!provider) throw new UsageError('benchmark needs a model provider: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT');
  const concurrency = parsePositiveInt('RFT_CONCURRENCY', process.env.RFT_CONCURRENCY) || 16;
  const client = modelClientFromFlags(provider, values, output, { concurrency });
  const tunedProvider = recorded && recorded.model === tuned ? tunedProviderOf(recorded, provider) : provider;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // every request of the run listens to it
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await runBenchmark(dir, {
      client,
      tunedClient: tunedProvider !== provider ? modelClientFromFlags(tunedProvider, values, output, { concurrency }) : undefined,
      base,
      tuned,
      n,
      set: values.set,
      seed: parsePositiveInt('--seed', values.seed),
      resamples,
      resume: values.resume,
      concurrency,
      signal: controller.signal,
    });
    const run = result.file;
    if (run.status === 'cancelled') {
      output.err(`rft benchmark: cancelled; ${run.pairs.length} pairs kept in ${result.path} — rft benchmark ${dir} --resume finishes it\n`);
      return EXIT_USAGE;
    }
    output.out(values.json ? `${JSON.stringify(benchmarkJson(run, result.path))}\n` : formatBenchmark(run, result.path));
    const failures = benchmarkFailures(run);
    if (failures.first) {
      const first = `first: ${failures.first.model}: ${failures.first.error}`;
      if (failures.failed === failures.total) {
        output.err(`rft benchmark: no prompt was answered and scored by both models (${failures.failed} of ${failures.total} failed; ${first})\n`);
        return EXIT_INVALID;
      }
      output.err(`warning: ${failures.failed} of ${failures.total} prompts failed and are left out of the comparison (${first})\n`);
    }
    return (run.report?.regressions.length ?? 0) > 0 ? EXIT_INVALID : EXIT_OK;
  } catch (error) {
    if (error instanceof BenchmarkError || error instanceof GraderFileError) {
      output.err(`rft benchmark: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** The --json contract of issue 14 §6. */
export function benchmarkJson(run: BenchmarkFile, file: string) {
  const report = run.report;
  return {
    base: { mean: report?.overall.base ?? null },
    tuned: { mean: report?.overall.tuned ?? null },
    delta: report?.overall.delta ?? null,
    ci: report?.overall.ci ?? null,
    relativeChange: report?.overall.relativeChange ?? null,
    n: report?.overall.n ?? 0,
    errors: report?.errors.pairs ?? 0,
    byTopic: (report?.byTopic ?? []).map((t) => ({ topic: t.topic, n: t.n, base: t.base, tuned: t.tuned, delta: t.delta, ci: t.ci, verdict: t.verdict, regression: t.verdict === 'regression' })),
    run: file,
  };
}

const f = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toFixed(2));
const signed = (value: number | null) => (value === null ? '' : ` (${value >= 0 ? '+' : ''}${Math.round(value * 100)} %)`);
const ci = (value: readonly [number, number] | null) => (value ? `[${value[0] >= 0 ? '+' : ''}${value[0].toFixed(3)}, ${value[1] >= 0 ? '+' : ''}${value[1].toFixed(3)}]` : '–');
const MARK = { improvement: ' ▲', regression: ' ⚠ regression', 'no clear change': ' · no clear change', 'no data': '' } as const;

function formatBenchmark(run: BenchmarkFile, file: string): string {
  const report = run.report!;
  const o = report.overall;
  const lines = [
    `Overall: ${f(o.base)} → ${f(o.tuned)}${signed(o.relativeChange)} · Δ ${f(o.delta)} · 95 % CI ${ci(o.ci)} · ${o.n} prompts${report.errors.pairs ? ` (${report.errors.pairs} with errors)` : ''} · ${run.config.base} vs ${run.config.tuned}`,
    '  by topic',
  ];
  for (const t of report.byTopic) lines.push(`    ${t.topic.padEnd(32)} n ${String(t.n).padStart(4)}  ${f(t.base)} → ${f(t.tuned)}${signed(t.relativeChange)}  CI ${ci(t.ci)}${MARK[t.verdict]}`);
  if (report.regressions.length > 0) lines.push(`  ⚠ regressions: ${report.regressions.join(', ')} (the interval lies below 0)`);
  for (const [title, samples] of [
    ['largest gains', report.samples.gains],
    ['worst losses', report.samples.losses],
  ] as const) {
    if (samples.length === 0) continue;
    lines.push(`  ${title}`);
    for (const s of samples) lines.push(`    ${s.file}:${s.line} ${s.topic} · before ${f(s.base.score)} → after ${f(s.tuned.score)}: ${s.prompt.slice(0, 60).replace(/\s+/g, ' ')}`);
  }
  lines.push(`  run: ${file}`);
  return `${lines.join('\n')}\n`;
}
