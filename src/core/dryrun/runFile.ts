// Dry-run records on disk (issue 11 §5): `.rft/runs/dryrun-<time>.json` (config, model, grader hash, stats,
// decision, every sample), never overwritten by another run. While a run goes, its samples are appended as they
// arrive to `dryrun-<time>.samples.jsonl` next to it, so a cancelled or crashed run keeps its work; the header is
// rewritten atomically; the finished file holds every sample and the side file is removed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { DryRunComparison, DryRunFile, DryRunSample, DryRunSummary } from './dryRunTypes';
import { computeStats, decide, diagnoseItems, topicStats } from './stats';

export const RUNS_DIR = path.join(STATE_DIR, 'runs');
const PREFIX = 'dryrun-';

export function runsDir(dir: string): string {
  return path.join(dir, RUNS_DIR);
}

export function samplesFileOf(runFile: string): string {
  return runFile.replace(/\.json$/, '.samples.jsonl');
}

/** A new run file's path, named by its start time (sortable), never an existing one. */
export async function newRunPath(dir: string, startedAt: Date, prefix = PREFIX): Promise<string> {
  const folder = runsDir(dir);
  await fs.promises.mkdir(folder, { recursive: true });
  for (let bump = 0; ; bump++) {
    const stamp = new Date(startedAt.getTime() + bump).toISOString().replace(/:/g, '-').replace('.', '-');
    const file = path.join(folder, `${prefix}${stamp}.json`);
    try {
      // claim the name: a second run starting in the same millisecond takes the next one
      await fs.promises.writeFile(samplesFileOf(file), '', { flag: 'wx' });
      if (!fs.existsSync(file)) return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** The header (or the finished file) written atomically. */
export async function writeRunFile(file: string, run: DryRunFile): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(run)}\n`);
}

/** Appends samples to the side file as they arrive (one line each, so a kill loses at most a partial last line). */
export class SampleAppender<T = DryRunSample> {
  private chain: Promise<void> = Promise.resolve();
  private handle: fs.promises.FileHandle | undefined;

  constructor(private readonly file: string) {}

  append(samples: readonly T[]): Promise<void> {
    const text = samples.map((sample) => `${JSON.stringify(sample)}\n`).join('');
    this.chain = this.chain.then(async () => {
      this.handle ??= await fs.promises.open(this.file, 'a');
      await this.handle.write(text);
    });
    return this.chain;
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** A run, with an unfinished run's samples merged from its side file (a torn last line is skipped) and its figures recomputed. */
export async function readRun(file: string): Promise<DryRunFile> {
  const run = JSON.parse(await fs.promises.readFile(file, 'utf8')) as DryRunFile;
  if (run.kind !== 'dryrun') throw new Error(`${path.basename(file)} is not a dry-run file`);
  let side: string;
  try {
    side = await fs.promises.readFile(samplesFileOf(file), 'utf8');
  } catch {
    return run;
  }
  const seen = new Map<string, DryRunSample>();
  for (const sample of run.samples) seen.set(sampleId(sample), sample);
  for (const line of side.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const sample = JSON.parse(line) as DryRunSample;
      seen.set(sampleId(sample), sample);
    } catch {
      // a line cut by a kill: that sample is asked again on resume
    }
  }
  const samples = [...seen.values()].sort(byDatasetOrder);
  if (samples.length === run.samples.length) return run;
  return withFigures({ ...run, samples }, run.stats.n, run.stats.prompts);
}

/** Dataset order: file, line, answer index. */
export const byDatasetOrder = (a: DryRunSample, b: DryRunSample) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.sampleIndex - b.sampleIndex);

export const sampleId = (sample: { key: string; sampleIndex: number }) => `${sample.key}#${sample.sampleIndex}`;

/** Stats, decision, reasons, diagnosis and topics recomputed from the samples (a running run has no decision). */
export function withFigures(run: DryRunFile, planned: number, prompts: number, extra: { emptyControlMean?: number | null; costUsd?: number | null } = {}): DryRunFile {
  const stats = computeStats({
    samples: run.samples,
    planned,
    prompts,
    samplesPerPrompt: run.config.samplesPerPrompt,
    references: run.references,
    costUsd: extra.costUsd ?? run.stats?.usage?.costUsd ?? null,
  });
  const byTopic = topicStats(run.samples);
  const finished = run.status !== 'running';
  const { decision, items: reasonItems } = finished ? decide(stats) : { decision: null, items: [] };
  const diagnosisItems = finished ? diagnoseItems({ stats, byTopic, emptyControlMean: extra.emptyControlMean ?? run.emptyControlMean ?? null }) : [];
  return { ...run, stats, byTopic, decision, reasons: reasonItems.map((item) => item.text), diagnosis: diagnosisItems.map((item) => item.text), reasonItems, diagnosisItems };
}

/** The dataset's dry runs, newest first (damaged files skipped). */
export async function listRuns(dir: string): Promise<DryRunSummary[]> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(runsDir(dir)))
      .filter((name) => name.startsWith(PREFIX) && name.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    return [];
  }
  const out: DryRunSummary[] = [];
  for (const name of names) {
    const file = path.join(runsDir(dir), name);
    try {
      out.push(summaryOf(await readRun(file), file));
    } catch {
      // skipped
    }
  }
  return out;
}

const summaryOf = (run: DryRunFile, file = ''): DryRunSummary => ({
  path: file,
  startedAt: run.startedAt,
  status: run.status,
  decision: run.decision,
  model: run.model,
  mean: run.stats.mean,
  std: run.stats.std,
  n: run.stats.n,
  scored: run.stats.scored,
});

/** Side by side: decisions, each stat and its delta (b − a), per-topic means and deltas. */
export function compareRuns(a: DryRunFile, b: DryRunFile): DryRunComparison {
  const delta = (x: number | null, y: number | null) => (x === null || y === null ? null : y - x);
  const keys = ['mean', 'std', 'p10', 'p50', 'p90', 'shareAboveZero', 'shareOne', 'errorShare'] as const;
  const stats = Object.fromEntries(keys.map((key) => [key, { a: a.stats[key], b: b.stats[key], delta: delta(a.stats[key], b.stats[key]) }])) as DryRunComparison['stats'];
  const topics = [...new Set([...a.byTopic.map((t) => t.topic), ...b.byTopic.map((t) => t.topic)])].sort();
  const byTopic = topics.map((topic) => {
    const ta = a.byTopic.find((t) => t.topic === topic);
    const tb = b.byTopic.find((t) => t.topic === topic);
    return { topic, a: ta?.mean ?? null, b: tb?.mean ?? null, delta: delta(ta?.mean ?? null, tb?.mean ?? null), nA: ta?.n ?? 0, nB: tb?.n ?? 0 };
  });
  return { a: summaryOf(a), b: summaryOf(b), decision: { a: a.decision, b: b.decision }, stats, byTopic };
}
