import * as fs from 'node:fs';
import * as path from 'node:path';
import { updateLabels, type Label } from '../dataset/labels';
import { GENERATED_FILE } from '../dataset/manifest';
import { lastUserText } from '../grader/pairs';
import { embedWithCache, placementSpace } from '../topics/categorize';
import { placeVector, type PlacementTarget } from '../topics/placement';
import { recordText } from '../topics/recordText';
import type { SparseVector } from '../topics/sparseVector';
import type { Embedder } from '../topics/embedders';
import { candidateRecord, checkCandidate } from './candidateRecord';
import { GenerateError, leafOf, readGenerationDataset, type GenerationDataset, type SourceRecord } from './generationDataset';
import { planFor, readGenerationFile, writeGenerationFile, type GenerationPlan } from './generationPlan';
import type { CandidatePreview, GenerateOptions, GenerateResult, GenerateTarget, StopReason, Strategy, TopicGeneration } from './generateTypes';
import { NearDuplicateIndex } from './nearDuplicates';
import { buildRequest, generatedRecordsSchema, topicContext, type GeneratedCandidate, type GeneratedRecords, type GenerationRequest, type TopicContext } from './prompts';

export const DEFAULT_PER_REQUEST = 5;
export const DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.9;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MAX_BARREN_REQUESTS = 3;
/** Labels are rewritten at most this often while records land (the file holds every record's label). */
const LABELS_FLUSH_MS = 1000;

/** The default request budget: 4 × the requests the records need at full landing, at least 10. */
export function defaultMaxRequests(records: number, perRequest: number): number {
  return Math.max(10, Math.ceil((4 * records) / perRequest));
}

type Counts = { -readonly [K in keyof Omit<TopicGeneration, 'topic' | 'landedShare' | 'validShare'>]: number };

/** One target's progress; `barren` counts its replies in a row that landed nothing. */
interface TopicRun {
  readonly target: GenerateTarget;
  readonly context: TopicContext;
  readonly counts: Counts;
  requests: number;
  inFlight: number;
  barren: number;
}

/**
 * Generation (docs/topics.md §Generation): asks the model for records per topic, and writes only those that land — valid (the health
 * engine), not an exact or near duplicate of any record (existing or generated before), and placed by the current
 * topic model in the topic they were made for — appending each to generated.jsonl as it lands, with its label.
 * Stops when every target landed, a budget is spent, the model keeps repeating itself, or on the signal.
 */
export async function generateRecords(datasetDir: string, targets: readonly GenerateTarget[], options: GenerateOptions): Promise<GenerateResult> {
  const linesOf = { topics: new Set(targets.map((target) => target.topic)), keys: new Set(options.seedRecordKey ? [options.seedRecordKey] : []) };
  let dataset = await readGenerationDataset(datasetDir, { signal: options.signal, linesOf });
  for (const target of targets) leafOf(dataset, target.topic);
  if (await labelLandedRecords(dataset, options)) dataset = await readGenerationDataset(datasetDir, { signal: options.signal, linesOf });
  const strategy = options.strategy ?? 'few-shot';
  const seedRecord = options.seedRecordKey === undefined ? undefined : findRecord(dataset, options.seedRecordKey);
  const progress = options.continuePlan ? await planFor(dataset, targets, { strategy, model: options.model }) : undefined;
  if (progress && !progress.continued) await writeGenerationFile(datasetDir, { ...(await readGenerationFile(datasetDir)), plan: progress.plan }); // a killed run leaves its plan to continue
  const wanted = progress ? progress.remaining : targets.filter((target) => target.count > 0);
  const run = new GenerationRun(dataset, wanted, options, strategy, seedRecord, progress?.plan);
  await run.prepare();
  const result = await run.execute();
  const withPlan = progress?.continued ? { ...result, continued: { planned: progress.plan.targets, writtenBefore: progress.writtenBefore } } : result;
  await saveRun(datasetDir, withPlan, progress?.plan);
  options.onProgress?.({ kind: 'finished', result: withPlan });
  return withPlan;
}

/**
 * Labels the generated records that landed without one: a run killed between appending a record and saving its
 * label (labels are saved once a second). They are placed as the run would have placed them, so coverage and the
 * plan count them. Returns whether any was labelled.
 */
async function labelLandedRecords(dataset: GenerationDataset, options: GenerateOptions): Promise<boolean> {
  const unlabelled = dataset.records.filter((record) => record.generated && record.topic === undefined);
  if (unlabelled.length === 0) return false;
  const space = await placementSpace(dataset.dir, dataset.leaves, dataset.records, options.client);
  const vectors = await embedWithCache(dataset.dir, space.embedder, unlabelled, options.signal);
  const labels: Label[] = [];
  unlabelled.forEach((record, i) => {
    const placement = placeVector(vectors[i], space.targets);
    if (placement) labels.push({ key: record.key, topic: placement.topic, confidence: placement.confidence, method: placement.method });
  });
  await updateLabels(dataset.dir, labels);
  return labels.length > 0;
}

function findRecord(dataset: GenerationDataset, key: string): SourceRecord {
  const record = dataset.records.find((candidate) => candidate.key === key);
  if (!record) throw new GenerateError(`no valid record has the key ${key} (the record to vary)`);
  return record;
}

class GenerationRun {
  private readonly topics: TopicRun[];
  private readonly keys: Set<string>;
  private readonly perRequest: number;
  private readonly maxRequests: number;
  private readonly threshold: number;
  private readonly file: string;
  private embedder!: Embedder;
  private placement!: PlacementTarget[];
  private near!: NearDuplicateIndex;
  private nextLine: number;
  private needsNewline: boolean;
  private requests = 0;
  private failedRequests = 0;
  private readonly invalidByCode: Record<string, number> = {};
  private readonly tokensAtStart: number;
  private readonly costAtStart: number | undefined;
  /** Replies are handled one at a time, so dedup and the appends see every earlier record. */
  private queue: Promise<void> = Promise.resolve();
  /** Labels of landed records not saved yet, and when they were last saved. */
  private pendingLabels: Label[] = [];
  private labelsSavedAt = 0;

  constructor(
    private readonly dataset: GenerationDataset,
    targets: readonly GenerateTarget[],
    private readonly options: GenerateOptions,
    private readonly strategy: Strategy,
    private readonly seedRecord: SourceRecord | undefined,
    private readonly plan: GenerationPlan | undefined,
  ) {
    this.perRequest = Math.max(1, options.perRequest ?? DEFAULT_PER_REQUEST);
    const total = targets.reduce((sum, target) => sum + target.count, 0);
    this.maxRequests = options.maxRequests ?? defaultMaxRequests(total, this.perRequest);
    this.threshold = options.nearDuplicateThreshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD;
    this.keys = new Set(dataset.records.map((record) => record.key));
    this.topics = targets.map((target) => ({
      target,
      context: topicContext(leafOf(dataset, target.topic), dataset.byTopic.get(target.topic) ?? [], options.seed ?? 1),
      counts: { requested: target.count, written: 0, candidates: 0, invalid: 0, duplicates: 0, nearDuplicates: 0, offTarget: 0, keptOffTarget: 0 },
      requests: 0,
      inFlight: 0,
      barren: 0,
    }));
    this.file = path.join(dataset.dir, GENERATED_FILE);
    this.nextLine = dataset.generatedLines + 1;
    this.needsNewline = dataset.generatedNeedsNewline;
    const usage = options.client.usage.totals;
    this.tokensAtStart = usage.inputTokens + usage.outputTokens;
    this.costAtStart = usage.costUsd;
  }

  /** The topic model's embedder and leaves, and the vectors of every existing record (cached). */
  async prepare(): Promise<void> {
    for (const topic of this.topics) buildRequest(topic.context, this.strategy, 1, { seed: 0, index: 0, seedRecord: this.seedRecord }); // fails early on a strategy the topic cannot use
    const space = await placementSpace(this.dataset.dir, this.dataset.leaves, this.dataset.records, this.options.client);
    this.embedder = space.embedder;
    this.placement = space.targets;
    this.near = new NearDuplicateIndex(this.embedder.dimensions, this.threshold, this.embedder.spec.kind === 'local');
    const vectors = await embedWithCache(this.dataset.dir, this.embedder, this.dataset.records, this.options.signal);
    vectors.forEach((vector, i) => this.near.add(vector, this.dataset.records[i].text));
  }

  async execute(): Promise<GenerateResult> {
    this.options.onProgress?.({ kind: 'started', targets: this.topics.map((topic) => topic.target) });
    const workers = Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY);
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
    await this.queue;
    await this.saveLabels();
    return this.result();
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.options.signal?.aborted || this.budgetSpent()) return;
      const topic = this.nextTopic();
      if (!topic) return;
      const count = Math.min(this.perRequest, remainingOf(topic));
      const request = buildRequest(topic.context, this.strategy, count, { seed: this.options.seed ?? 1, index: topic.requests, seedRecord: this.seedRecord });
      this.requests++;
      topic.requests++;
      topic.inFlight++;
      try {
        const reply = await this.ask(topic, request);
        if (reply) await this.handled(() => this.land(topic, request, reply.records));
      } finally {
        topic.inFlight--;
      }
    }
  }

  /** The model's records, or undefined when the request failed (after the client's retries and repair) or was stopped. */
  private async ask(topic: TopicRun, request: GenerationRequest): Promise<GeneratedRecords | undefined> {
    try {
      return await this.options.client.structured({ model: this.options.model, messages: request.messages }, generatedRecordsSchema, 'generated_records', { signal: this.options.signal });
    } catch (error) {
      if (this.options.signal?.aborted) return undefined;
      this.failedRequests++;
      this.options.onProgress?.({ kind: 'requestFailed', topic: topic.target.topic, message: error instanceof Error ? error.message : String(error), requests: this.requests });
      return undefined;
    }
  }

  /** The unfinished topic with the fewest requests so far, not given up, and not already asked for all it needs. */
  private nextTopic(): TopicRun | undefined {
    const open = this.topics.filter((topic) => remainingOf(topic) > 0 && topic.barren < this.maxBarren() && topic.inFlight < Math.ceil(remainingOf(topic) / this.perRequest));
    return open.sort((a, b) => a.requests - b.requests)[0];
  }

  private handled(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Checks a reply's candidates in order and writes those that land; labels are saved once per reply. */
  private async land(topic: TopicRun, request: GenerationRequest, candidates: readonly GeneratedCandidate[]): Promise<void> {
    const at = new Date().toISOString();
    const meta = { topic: topic.target.topic, strategy: request.strategy, model: this.options.model, seeds: request.seeds, at, ...(this.plan ? { plan: this.plan.id } : {}) };
    const records = candidates.map((candidate) => candidateRecord(candidate, request, meta));
    const texts = records.map((record) => recordText(record));
    const vectors = await this.embedder.embedMany(texts, this.options.signal);
    const labels = this.pendingLabels;
    const landedBefore = topic.counts.written + topic.counts.keptOffTarget;
    for (let i = 0; i < records.length; i++) {
      if (this.options.signal?.aborted || remainingOf(topic) === 0) break;
      const preview = await this.judge(topic, records[i], vectors[i], texts[i], labels);
      this.options.onProgress?.({ kind: 'candidate', preview, byTopic: this.byTopic(), requests: this.requests, tokens: this.tokensUsed() });
    }
    topic.barren = topic.counts.written + topic.counts.keptOffTarget > landedBefore ? 0 : topic.barren + 1;
    if (Date.now() - this.labelsSavedAt >= LABELS_FLUSH_MS) await this.saveLabels();
  }

  /**
   * Saves the labels of the records landed since the last save. Between saves a record can sit in generated.jsonl
   * without its label; were the run killed then, categorize would place it like any new record.
   */
  private async saveLabels(): Promise<void> {
    if (this.pendingLabels.length === 0) return;
    const labels = this.pendingLabels.splice(0);
    await updateLabels(this.dataset.dir, labels);
    this.labelsSavedAt = Date.now();
  }

  private async judge(topic: TopicRun, record: Record<string, unknown>, vector: SparseVector, text: string, labels: Label[]): Promise<CandidatePreview> {
    const counts = topic.counts;
    const base = { topic: topic.target.topic, prompt: lastUserText(record) };
    counts.candidates++;
    const checked = checkCandidate(record, this.dataset.settings);
    if (!checked.valid) {
      counts.invalid++;
      for (const code of checked.codes) this.invalidByCode[code] = (this.invalidByCode[code] ?? 0) + 1;
      return { ...base, outcome: 'invalid', codes: checked.codes };
    }
    if (this.keys.has(checked.key)) {
      counts.duplicates++;
      return { ...base, outcome: 'duplicate' };
    }
    if (this.near.nearDuplicateOf(vector, text) !== undefined) {
      counts.nearDuplicates++;
      return { ...base, outcome: 'nearDuplicate' };
    }
    const placement = placeVector(vector, this.placement);
    const placedIn = placement?.topic;
    if (placedIn !== topic.target.topic) {
      counts.offTarget++;
      if (!this.options.keepOffTarget || !placement) return { ...base, outcome: 'offTarget', ...(placedIn ? { placedIn } : {}) };
      counts.keptOffTarget++;
    } else counts.written++;
    const line = await this.append(checked.line);
    this.keys.add(checked.key);
    this.near.add(vector, text);
    labels.push({ key: checked.key, topic: placement!.topic, confidence: placement!.confidence, method: placement!.method });
    return placedIn === topic.target.topic ? { ...base, outcome: 'written', line } : { ...base, outcome: 'offTarget', placedIn, line };
  }

  /** One complete line per write, so a stop or a kill keeps every record that landed. */
  private async append(line: string): Promise<number> {
    await fs.promises.appendFile(this.file, `${this.needsNewline ? '\n' : ''}${line}\n`);
    this.needsNewline = false;
    return this.nextLine++;
  }

  private maxBarren(): number {
    return Math.max(1, this.options.maxBarrenRequests ?? DEFAULT_MAX_BARREN_REQUESTS);
  }

  private tokensUsed(): number {
    const usage = this.options.client.usage.totals;
    return usage.inputTokens + usage.outputTokens - this.tokensAtStart;
  }

  private budgetSpent(): boolean {
    return this.requests >= this.maxRequests || (this.options.maxTokens !== undefined && this.tokensUsed() >= this.options.maxTokens);
  }

  private byTopic(): TopicGeneration[] {
    return this.topics.map(({ target, counts }) => ({
      topic: target.topic,
      ...counts,
      landedShare: counts.candidates === 0 ? 0 : round4(counts.written / counts.candidates),
      validShare: counts.candidates === 0 ? 0 : round4((counts.candidates - counts.invalid) / counts.candidates),
    }));
  }

  private result(): GenerateResult {
    const byTopic = this.byTopic();
    const sum = (key: keyof Counts) => byTopic.reduce((total, topic) => total + topic[key], 0);
    const usage = this.options.client.usage.totals;
    const { stopped, reason } = this.stopReason();
    return {
      requested: sum('requested'),
      written: sum('written') + sum('keptOffTarget'),
      invalid: sum('invalid'),
      duplicates: sum('duplicates'),
      nearDuplicates: sum('nearDuplicates'),
      offTarget: sum('offTarget'),
      requests: this.requests,
      tokens: this.tokensUsed(),
      byTopic,
      stopped,
      reason,
      invalidByCode: { ...this.invalidByCode },
      failedRequests: this.failedRequests,
      costUsd: usage.costUsd === undefined || this.costAtStart === undefined ? null : Math.max(0, usage.costUsd - this.costAtStart),
    };
  }

  private stopReason(): { stopped: StopReason; reason: string } {
    const landed = this.topics.reduce((sum, topic) => sum + topic.counts.written, 0);
    const asked = this.topics.reduce((sum, topic) => sum + topic.target.count, 0);
    const tally = `${landed} of ${asked} records landed`;
    const open = this.topics.filter((topic) => remainingOf(topic) > 0);
    if (open.length === 0) return { stopped: 'target', reason: `every target landed: ${tally}` };
    if (this.options.signal?.aborted) return { stopped: 'cancelled', reason: `stopped on request: ${tally}; what landed is kept` };
    const rejected = (topic: TopicRun) =>
      `${topic.counts.duplicates} duplicates, ${topic.counts.nearDuplicates} near-duplicates, ${topic.counts.offTarget} off-target, ${topic.counts.invalid} invalid of ${topic.counts.candidates}`;
    const givenUp = open.filter((topic) => topic.barren >= this.maxBarren());
    if (givenUp.length === open.length) {
      return {
        stopped: 'budget',
        reason: `the model keeps repeating itself: ${givenUp.map((topic) => `${topic.target.topic} (${topic.barren} requests in a row landed nothing: ${rejected(topic)})`).join('; ')}; ${tally}`,
      };
    }
    if (this.options.maxTokens !== undefined && this.tokensUsed() >= this.options.maxTokens)
      return { stopped: 'budget', reason: `the token budget (${this.options.maxTokens.toLocaleString('en-US')}) is spent: ${tally}` };
    return { stopped: 'budget', reason: `the request budget (${this.maxRequests}) is spent: ${tally}${this.failedRequests > 0 ? `, ${this.failedRequests} requests failed` : ''}` };
  }
}

function remainingOf(topic: TopicRun): number {
  return Math.max(0, topic.target.count - topic.counts.written);
}

const round4 = (value: number) => Math.round(value * 10000) / 10000;

/** Keeps the plan's progress and the run's landed share (for the next estimate) in `.rft/generation.json`. */
async function saveRun(datasetDir: string, result: GenerateResult, plan: GenerationPlan | undefined): Promise<void> {
  const file = await readGenerationFile(datasetDir);
  const candidates = result.byTopic.reduce((sum, topic) => sum + topic.candidates, 0);
  const landed = result.byTopic.reduce((sum, topic) => sum + topic.written, 0);
  const next = { ...file };
  if (candidates > 0) next.lastRun = { at: new Date().toISOString(), candidates, written: landed, landedShare: round4(landed / candidates) };
  if (plan) {
    const written = { ...(file.plan?.id === plan.id ? file.plan.written : {}) };
    for (const topic of result.byTopic) written[topic.topic] = (written[topic.topic] ?? 0) + topic.written;
    next.plan = { ...plan, written, finished: result.stopped === 'target' }; // the run asked for what was left of the plan
  }
  await writeGenerationFile(datasetDir, next);
}
