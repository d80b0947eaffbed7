import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveValidationSettings } from '../validation/settings';
import { datasetHealth, type DatasetHealth } from '../dataset/healthCache';
import { leafPaths, readTopicsFile } from '../topics/topicsFile';
import { readLabels } from '../dataset/labels';
import { tallyLabels } from '../topics/coverage';
import { readManifest, STATE_DIR, type Manifest } from '../dataset/manifest';
import { runStaleness, stalenessFacts } from '../dryrun/staleness';
import { describeGrader } from '../grader/describe';
import { readGraderFile } from '../grader/graderFile';
import { listJobs } from '../train/jobFile';
import { jobSummary, summaryLine } from '../train/progress';
import { activeDeployment, describeDeployment } from '../deploy/deployments';
import { newestBenchmark } from '../deploy/runBenchmark';
import { readTunedModel } from '../deploy/tunedModel';
import type { DatasetSnapshot } from './pipelineState';

export interface DatasetReading {
  readonly dir: string;
  readonly manifest?: Manifest;
  readonly health?: DatasetHealth;
  readonly snapshot: DatasetSnapshot;
}

/** Reads everything the pipeline state depends on; validates the records (or reuses the cached result). */
export async function readDataset(dir: string, options: { signal?: AbortSignal } = {}): Promise<DatasetReading> {
  let manifest: Manifest;
  try {
    manifest = await readManifest(dir);
  } catch (error) {
    return { dir, snapshot: { name: path.basename(dir), healthError: (error as Error).message } };
  }
  let health: DatasetHealth | undefined;
  let healthError: string | undefined;
  try {
    health = (await datasetHealth(dir, resolveValidationSettings(manifest.settings?.validation), options)).health;
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    healthError = `Cannot validate the records: ${(error as Error).message}`;
  }
  const topics = await readTopics(dir);
  const snapshot: DatasetSnapshot = {
    name: manifest.name,
    sourceKind: manifest.source?.kind,
    health: health?.counts,
    healthError,
    topics,
    labels: await summarizeLabels(dir, topics),
    grader: await readGrader(dir),
    lastDryRun: await lastDryRun(dir),
    lastJob: await lastJob(dir),
    ...(await deployFacts(dir)),
  };
  return { dir, manifest, health, snapshot };
}

async function readJson(file: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return JSON.parse(text);
}

/** topics.json's leaf paths ("parent/leaf"), or the located reason it cannot be read. */
async function readTopics(dir: string): Promise<DatasetSnapshot['topics']> {
  try {
    const topics = await readTopicsFile(dir);
    return topics && { leaves: leafPaths(topics) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The labels counted as coverage counts them (tallyLabels): only labels on a leaf of topics.json are categorized. */
async function summarizeLabels(dir: string, topics: DatasetSnapshot['topics']): Promise<DatasetSnapshot['labels']> {
  const { labels } = await readLabels(dir);
  if (labels.size === 0) return undefined;
  const leaves = topics && !('error' in topics) ? topics.leaves : [];
  const tally = tallyLabels(leaves, labels.values());
  const byLeaf = new Map([...tally.byLeaf].map(([leaf, { count }]) => [leaf, count]));
  return { byLeaf, lowConfidence: tally.lowConfidence, total: tally.categorized };
}

/** grader.json as the tree shows it ("LLM judge · gpt-4o-mini · T=0"), or its located error. */
async function readGrader(dir: string): Promise<DatasetSnapshot['grader']> {
  try {
    const loaded = await readGraderFile(dir);
    return loaded && { description: describeGrader(loaded.grader), type: loaded.grader.type };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The newest finished dry run (decision, mean, std, samples), stale when grader.json or the records changed after it started. */
async function lastDryRun(dir: string): Promise<DatasetSnapshot['lastDryRun']> {
  const run = await latestJson(path.join(dir, STATE_DIR, 'runs'), (value) => (value.kind === 'dryrun' && isDecision(value.decision) ? value : undefined));
  if (!run) return undefined;
  const stats = run.stats && typeof run.stats === 'object' ? (run.stats as Record<string, unknown>) : {};
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const mean = number(run.mean) ?? number(stats.mean);
  const std = number(stats.std);
  const samples = number(stats.scored);
  const stale = runStaleness(run, await stalenessFacts(dir));
  return { decision: run.decision as 'GO' | 'CAUTION' | 'NO-GO', mean, ...(std !== undefined ? { std } : {}), ...(samples !== undefined ? { samples } : {}), ...(stale ? { stale } : {}) };
}

/** The newest (by file name, which starts with a timestamp) JSON file of a folder that `pick` accepts. */
async function latestJson<T>(folder: string, pick: (value: Record<string, unknown>) => T | undefined): Promise<T | undefined> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(folder))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    return undefined;
  }
  for (const name of names) {
    try {
      const value = await readJson(path.join(folder, name));
      const picked = value && typeof value === 'object' ? pick(value as Record<string, unknown>) : undefined;
      if (picked) return picked;
    } catch {
      // a damaged run file is skipped; the next newest one decides
    }
  }
  return undefined;
}

const isDecision = (value: unknown): value is 'GO' | 'CAUTION' | 'NO-GO' => value === 'GO' || value === 'CAUTION' || value === 'NO-GO';

/** The newest readable training job (a damaged job file is skipped; rft jobs reports it). */
async function lastJob(dir: string): Promise<DatasetSnapshot['lastJob']> {
  const job = (await listJobs(dir)).jobs.at(-1);
  if (!job) return undefined;
  const progress = summaryLine(jobSummary(job));
  return { status: job.status, model: job.model, ...(job.resultModel ? { resultModel: job.resultModel } : {}), ...(progress ? { progress } : {}), ...(job.error ? { error: job.error } : {}) };
}

/** Step 7's facts: the tuned model, the deployment not undone, the newest finished benchmark's regressions. */
async function deployFacts(dir: string): Promise<Pick<DatasetSnapshot, 'tunedModel' | 'deployment' | 'lastBenchmark'>> {
  const tuned = await readTunedModel(dir).catch(() => undefined);
  const deployment = await activeDeployment(dir);
  const benchmark = (await newestBenchmark(dir))?.file.report;
  return {
    ...(tuned ? { tunedModel: { model: tuned.model } } : {}),
    ...(deployment ? { deployment: { model: deployment.tunedModel, description: describeDeployment(deployment) } } : {}),
    ...(benchmark ? { lastBenchmark: { regressions: benchmark.regressions, base: benchmark.overall.base, tuned: benchmark.overall.tuned, relativeChange: benchmark.overall.relativeChange } } : {}),
  };
}
