// Benchmarks (issue 14 §2): the grader on the validation split (or a chosen set), base vs tuned answering the same
// prompts through the client layer, as the dry run asks (concurrency, retries, errors by kind); every pair is
// appended to a side file as it arrives, so a cancelled or crashed run keeps its work and `resume` finishes it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GRADER_FILE } from '../dataset/manifest';
import { directAnswerer, howItEnded, pool, scoreAnswer, wrapAnswerer, type AnswerFn } from '../dryrun/answering';
import { graderHash } from '../dryrun/runDryRun';
import { newRunPath, runsDir, SampleAppender, samplesFileOf } from '../dryrun/runFile';
import { apiJudge } from '../grader/apiJudge';
import { createGradingEngine } from '../grader/engine';
import { readGraderFile } from '../grader/graderFile';
import { lastUserText } from '../grader/pairs';
import { writeFileAtomic } from '../fs/atomicWrite';
import { DEFAULT_RESAMPLES } from './bootstrap';
import { benchmarkReport } from './benchmarkReport';
import { BenchmarkError, benchmarkPrompts } from './benchmarkPrompts';
import type { BenchmarkConfig, BenchmarkFile, BenchmarkOptions, BenchmarkPair, BenchmarkResult } from './benchmarkTypes';

export const BENCHMARK_PREFIX = 'benchmark-';

export async function runBenchmark(dir: string, options: BenchmarkOptions): Promise<BenchmarkResult> {
  const loaded = await readGraderFile(dir);
  if (!loaded) throw new BenchmarkError(`${dir} has no ${GRADER_FILE}: benchmarks score both models with the grader (rft grader init ${dir} --preset …)`);
  const hash = graderHash(loaded.resolved);
  let previous: BenchmarkFile | undefined;
  let runPath = '';
  let config: BenchmarkConfig;
  if (options.resume) {
    const unfinished = (await listBenchmarks(dir)).find((run) => run.file.status !== 'complete');
    if (!unfinished) throw new BenchmarkError(`no unfinished benchmark to resume in ${dir}: start one without --resume`);
    ({ path: runPath, file: previous } = unfinished);
    if (previous.graderHash !== hash) throw new BenchmarkError(`${GRADER_FILE} changed since ${path.basename(runPath)} started: start a new benchmark`);
    config = previous.config;
  } else {
    if (!options.base) throw new BenchmarkError('no base model: pass --base <model>');
    if (!options.tuned) throw new BenchmarkError('no tuned model: pass --tuned <model> (or record one: rft deploy <dataset> --tuned-model …)');
    config = {
      base: options.base,
      tuned: options.tuned,
      source: { kind: 'dataset', n: 0, seed: 0 },
      ...(options.n !== undefined ? { n: options.n } : {}),
      seed: options.seed ?? 1,
      resamples: options.resamples ?? DEFAULT_RESAMPLES,
    };
  }
  if (!options.answerers && !options.client)
    throw new BenchmarkError('no model configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT');

  const set = previous?.config.source.kind === 'set' ? previous.config.source.file : options.set;
  const prompts = await benchmarkPrompts(dir, { set: set && !path.isAbsolute(set) && previous ? path.join(dir, set) : set, n: config.n, seed: config.seed, signal: options.signal });
  if (!previous) config = { ...config, source: prompts.source };
  const done = new Map<string, BenchmarkPair>((previous?.pairs ?? []).map((pair) => [pair.key, pair]));
  const todo = prompts.chosen.filter((candidate) => !done.has(candidate.key));
  const startedAt = previous?.startedAt ?? new Date().toISOString();
  if (!previous) runPath = await newRunPath(dir, new Date(startedAt), BENCHMARK_PREFIX);
  const header = (status: BenchmarkFile['status'], extra: Partial<BenchmarkFile> = {}): BenchmarkFile => ({
    kind: 'benchmark',
    version: 1,
    config,
    graderHash: hash,
    startedAt,
    status,
    planned: prompts.chosen.length,
    pairs: ordered(done),
    report: null,
    ...extra,
  });
  await writeRun(runPath, header('running'));
  options.onProgress?.({ type: 'plan', run: runPath, prompts: prompts.chosen.length, done: done.size });

  const engine = options.engine ?? createGradingEngine({ judge: options.client ? apiJudge(options.client) : undefined });
  const answer: { base: AnswerFn; tuned: AnswerFn } = options.answerers
    ? { base: wrapAnswerer(options.answerers.base), tuned: wrapAnswerer(options.answerers.tuned) }
    : { base: directAnswerer(options.client!, config.base, options.temperature), tuned: directAnswerer(options.tunedClient ?? options.client!, config.tuned, options.temperature) };
  const appender = new SampleAppender<BenchmarkPair>(samplesFileOf(runPath));
  let status: BenchmarkFile['status'] = 'complete';
  let failure: string | undefined;
  try {
    await pool(todo, options.concurrency ?? 16, options.signal, async (candidate) => {
      const record = prompts.records.get(candidate.key)!;
      const [base, tuned] = await Promise.all([answer.base(record, options.signal), answer.tuned(record, options.signal)]);
      const [baseScored, tunedScored] = await Promise.all([scoreAnswer(engine, loaded.resolved, record, base, options.signal), scoreAnswer(engine, loaded.resolved, record, tuned, options.signal)]);
      const pair: BenchmarkPair = { key: candidate.key, file: candidate.file, line: candidate.line, topic: candidate.topic, prompt: lastUserText(record), base: baseScored, tuned: tunedScored };
      done.set(pair.key, pair);
      await appender.append([pair]);
      options.onProgress?.({ type: 'pair', pair, done: done.size, total: prompts.chosen.length });
    });
  } catch (error) {
    ({ status, failure } = howItEnded(error, options.signal));
  } finally {
    await appender.close();
    if (!options.engine) await engine.dispose();
  }
  const pairs = ordered(done);
  const file = header(status, {
    pairs,
    report: status === 'complete' ? benchmarkReport(pairs, { resamples: config.resamples, seed: config.seed }) : null,
    ...(failure ? { failure } : {}),
    ...(status === 'complete' ? { finishedAt: new Date().toISOString() } : {}),
  });
  await writeRun(runPath, file);
  if (status === 'complete') await fs.promises.rm(samplesFileOf(runPath), { force: true });
  options.onProgress?.({ type: 'done', run: runPath, file });
  if (status === 'failed') throw new BenchmarkError(`the benchmark failed: ${failure} (its pairs so far are in ${runPath}; rft benchmark --resume finishes it)`);
  return { path: runPath, file };
}

export interface BenchmarkFailures {
  /** Pairs with an error on either side, of `total`. */
  readonly failed: number;
  readonly total: number;
  /** The first failed pair's error, with the model that gave it. */
  readonly first?: { readonly model: string; readonly error: string };
}

/** What failed in a run's pairs, so the CLI can say it (every pair failed: exit 1). */
export function benchmarkFailures(run: BenchmarkFile): BenchmarkFailures {
  let failed = 0;
  let first: BenchmarkFailures['first'];
  for (const pair of run.pairs) {
    const side = pair.base.error ? { model: run.config.base, error: pair.base.error } : pair.tuned.error ? { model: run.config.tuned, error: pair.tuned.error } : undefined;
    if (!side && pair.base.score !== null && pair.tuned.score !== null) continue;
    failed++;
    first ??= side ?? { model: pair.base.score === null ? run.config.base : run.config.tuned, error: 'no score' };
  }
  return { failed, total: run.pairs.length, ...(first ? { first } : {}) };
}

const ordered = (pairs: Map<string, BenchmarkPair>) => [...pairs.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

async function writeRun(file: string, run: BenchmarkFile): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(run)}\n`);
}

/** A benchmark run file, an unfinished one's pairs merged from its side file (a torn last line skipped). */
export async function readBenchmark(file: string): Promise<BenchmarkFile> {
  const run = JSON.parse(await fs.promises.readFile(file, 'utf8')) as BenchmarkFile;
  if (run.kind !== 'benchmark') throw new Error(`${path.basename(file)} is not a benchmark file`);
  let side: string;
  try {
    side = await fs.promises.readFile(samplesFileOf(file), 'utf8');
  } catch {
    return run;
  }
  const pairs = new Map(run.pairs.map((pair) => [pair.key, pair]));
  for (const line of side.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const pair = JSON.parse(line) as BenchmarkPair;
      pairs.set(pair.key, pair);
    } catch {
      // a line cut by a kill: that prompt is asked again on resume
    }
  }
  return { ...run, pairs: ordered(pairs) };
}

/** The dataset's benchmark files, newest first. */
async function benchmarkFiles(dir: string): Promise<string[]> {
  try {
    return (await fs.promises.readdir(runsDir(dir)))
      .filter((name) => name.startsWith(BENCHMARK_PREFIX) && name.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** The newest finished benchmark (what step 7 shows), read alone. */
export async function newestBenchmark(dir: string): Promise<BenchmarkResult | undefined> {
  for (const name of await benchmarkFiles(dir)) {
    const file = path.join(runsDir(dir), name);
    const run = await readBenchmark(file).catch(() => undefined);
    if (run?.status === 'complete' && run.report) return { path: file, file: run };
  }
  return undefined;
}

/** The dataset's benchmarks, newest first (damaged files skipped). */
export async function listBenchmarks(dir: string): Promise<BenchmarkResult[]> {
  const names = await benchmarkFiles(dir);
  const out: BenchmarkResult[] = [];
  for (const name of names) {
    const file = path.join(runsDir(dir), name);
    try {
      out.push({ path: file, file: await readBenchmark(file) });
    } catch {
      // skipped
    }
  }
  return out;
}
