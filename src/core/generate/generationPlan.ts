import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { STATE_DIR } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';
import { isPlainObject } from '../validation/recordShape';
import { readGenerationDataset, type GenerationDataset } from './generationDataset';
import { STRATEGIES, type GenerateTarget, type Strategy } from './generateTypes';

export const GENERATION_FILE = path.join(STATE_DIR, 'generation.json');

/** The landed share an estimate assumes before any run of this dataset. */
export const DEFAULT_LANDED_SHARE = 0.6;

const targetSchema = z.object({ topic: z.string().min(1), count: z.number().int().nonnegative() });

/** `.rft/generation.json`: the plan a `--topic/--count` run works toward, and how the last run went (for estimates). */
const generationFileSchema = z.object({
  version: z.literal(1),
  plan: z
    .object({
      id: z.string(),
      targets: z.array(targetSchema),
      strategy: z.enum(STRATEGIES),
      model: z.string(),
      createdAt: z.string(),
      /** Records landed so far per topic (as of the last write; the records themselves are what counts). */
      written: z.record(z.string(), z.number()),
      finished: z.boolean(),
    })
    .optional(),
  lastRun: z.object({ at: z.string(), candidates: z.number(), written: z.number(), landedShare: z.number() }).optional(),
});

export type GenerationFile = z.infer<typeof generationFileSchema>;
export type GenerationPlan = NonNullable<GenerationFile['plan']>;

/** The file, or an empty one when it is missing or damaged (machine state: safe to lose). */
export async function readGenerationFile(datasetDir: string): Promise<GenerationFile> {
  try {
    const parsed = generationFileSchema.safeParse(JSON.parse(await fs.promises.readFile(path.join(datasetDir, GENERATION_FILE), 'utf8')));
    return parsed.success ? parsed.data : { version: 1 };
  } catch {
    return { version: 1 };
  }
}

export async function writeGenerationFile(datasetDir: string, file: GenerationFile): Promise<void> {
  await fs.promises.mkdir(path.join(datasetDir, STATE_DIR), { recursive: true });
  await writeFileAtomic(path.join(datasetDir, GENERATION_FILE), `${JSON.stringify(generationFileSchema.parse(file), null, 2)}\n`);
}

/** The share of candidates the last run landed, else the default. */
export async function assumedLandedShare(datasetDir: string): Promise<number> {
  const share = (await readGenerationFile(datasetDir)).lastRun?.landedShare;
  return share !== undefined && share > 0 ? share : DEFAULT_LANDED_SHARE;
}

export interface PlanProgress {
  readonly plan: GenerationPlan;
  /** What is left of the plan's targets (topics already full left out). */
  readonly remaining: GenerateTarget[];
  readonly writtenBefore: number;
  /** True when this continues an unfinished plan rather than starting one. */
  readonly continued: boolean;
}

/**
 * The plan these targets belong to: the stored one when the same request (targets, strategy, model) was left
 * unfinished — with only what is left of it — else a new one. What landed is counted from generated.jsonl itself
 * (records of the plan that sit in their topic), so deleted records are made again and a killed run loses nothing.
 */
export async function planFor(dataset: GenerationDataset, targets: readonly GenerateTarget[], request: { strategy: Strategy; model: string }): Promise<PlanProgress> {
  const stored = (await readGenerationFile(dataset.dir)).plan;
  if (stored && !stored.finished && sameRequest(stored, targets, request)) {
    const landed = landedForPlan(dataset, stored.id);
    const remaining = stored.targets.map((target) => ({ topic: target.topic, count: Math.max(0, target.count - (landed.get(target.topic) ?? 0)) })).filter((target) => target.count > 0);
    if (remaining.length > 0) return { plan: stored, remaining, writtenBefore: [...landed.values()].reduce((sum, n) => sum + n, 0), continued: true };
  }
  const createdAt = new Date().toISOString();
  const id = crypto
    .createHash('sha1')
    .update(JSON.stringify([canonicalTargets(targets), request.strategy, request.model, createdAt]))
    .digest('hex')
    .slice(0, 12);
  const plan: GenerationPlan = { id, targets: canonicalTargets(targets), strategy: request.strategy, model: request.model, createdAt, written: {}, finished: false };
  return { plan, remaining: plan.targets.filter((target) => target.count > 0), writtenBefore: 0, continued: false };
}

/** Generated records of a plan per topic, counted only where they landed in the topic they were made for. */
function landedForPlan(dataset: GenerationDataset, planId: string): Map<string, number> {
  const landed = new Map<string, number>();
  for (const record of dataset.records) {
    if (!record.generated || record.json === undefined || !record.json.includes(planId)) continue;
    const metadata = (JSON.parse(record.json) as { metadata?: unknown }).metadata;
    const generated = isPlainObject(metadata) && isPlainObject(metadata.generated) ? metadata.generated : undefined;
    const topic = record.topic;
    if (generated?.plan !== planId || topic === undefined || generated.topic !== topic) continue;
    landed.set(topic, (landed.get(topic) ?? 0) + 1);
  }
  return landed;
}

function sameRequest(plan: GenerationPlan, targets: readonly GenerateTarget[], request: { strategy: Strategy; model: string }): boolean {
  return plan.strategy === request.strategy && plan.model === request.model && JSON.stringify(plan.targets) === JSON.stringify(canonicalTargets(targets));
}

function canonicalTargets(targets: readonly GenerateTarget[]): GenerateTarget[] {
  return [...targets].map((target) => ({ topic: target.topic, count: target.count })).sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

/** planFor, reading the dataset: what a `--topic/--count` request would ask for now (for the estimate shown first). */
export async function planProgress(datasetDir: string, targets: readonly GenerateTarget[], request: { strategy: Strategy; model: string }): Promise<PlanProgress> {
  return planFor(await readGenerationDataset(datasetDir, { linesOf: { topics: new Set() } }), targets, request);
}
