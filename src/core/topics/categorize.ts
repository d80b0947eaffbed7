import { commitTopicsWithLabels, LOW_CONFIDENCE, readLabels, writeLabels, type Label } from '../dataset/labels';
import type { ModelClient } from '../llm/modelClient';
import { readTopicRecords, type TopicRecord } from './datasetRecords';
import { EmbeddingCache } from './embeddingCache';
import { embedderFromSpec, localEmbedder, type Embedder } from './embedders';
import { LocalEmbedder } from './localEmbedder';
import { llmCategorize, type LlmCategorizeResult } from './llmCategorize';
import { denseOf, placeVector, type PlacementTarget } from './placement';
import type { SparseVector } from './sparseVector';
import { readTopicModel, type TopicModel } from './topicModel';
import { leafEntries, readTopicsFile, topicsFileText, type LeafEntry, type TopicsFile } from './topicsFile';

export interface CategorizeOptions {
  /** Drop every automatic label first (topics regenerated); manual labels stay. */
  readonly clearAutomatic?: boolean;
  /** The topics are new: write topics.json together with the labels (commitTopicsWithLabels), never before them. */
  readonly commitTopics?: boolean;
  /** Ask a chat model about the low-confidence records. */
  readonly llm?: { readonly client: ModelClient; readonly model: string };
  /** Needed when the topics were built with an embeddings endpoint. */
  readonly client?: ModelClient;
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
}

export interface CategorizeResult {
  /** Valid records. */
  readonly total: number;
  readonly categorized: number;
  /** Records placed in this run (the others kept their label). */
  readonly placed: number;
  readonly lowConfidence: number;
  readonly manual: number;
  /** Records whose manual topic (their own `metadata.topic`, or a manual label) is not a leaf of topics.json. */
  readonly unknownOwnTopics: number;
  readonly llmReviewed: number;
  /** How the LLM pass went, when one was asked for: calls that failed are counted and the first one named. */
  readonly llm?: LlmPassSummary;
}

export type LlmPassSummary = Omit<LlmCategorizeResult, 'labels'>;

export class NoTopicsError extends Error {}

/**
 * Gives every valid record a leaf topic and a calibrated confidence, writing `.rft/labels.jsonl`. A record's own
 * `metadata.topic` and manual labels always win; records that kept their key keep their label (so an append
 * places only the new records); labels of records that no longer exist are dropped.
 */
export async function categorizeDataset(datasetDir: string, options: CategorizeOptions = {}): Promise<CategorizeResult> {
  const topics = await readTopicsFile(datasetDir);
  if (!topics || leafEntries(topics).length === 0) throw new NoTopicsError('this dataset has no topics yet: run `rft topics` (or RFT: Generate Topics) first');
  const records = await readTopicRecords(datasetDir, options.signal);
  return categorizeRecords(datasetDir, topics, records, options);
}

export async function categorizeRecords(datasetDir: string, topics: TopicsFile, records: readonly TopicRecord[], options: CategorizeOptions = {}): Promise<CategorizeResult> {
  const leaves = leafEntries(topics);
  const leafSet = new Set(leaves.map((leaf) => leaf.path));
  const { labels: previous } = await readLabels(datasetDir);
  const labels = new Map<string, Label>();
  const toPlace: TopicRecord[] = [];
  let unknownOwnTopics = 0;
  for (const record of records) {
    const kept = previous.get(record.key);
    if (record.ownTopic !== undefined) {
      if (!leafSet.has(record.ownTopic)) unknownOwnTopics++;
      labels.set(record.key, { key: record.key, topic: record.ownTopic, confidence: 1, method: 'manual' });
    } else if (kept?.method === 'manual') {
      // a manual label always stays, even when its leaf is gone: the person who set it decides (it counts as uncategorized meanwhile)
      if (!leafSet.has(kept.topic)) unknownOwnTopics++;
      labels.set(record.key, kept);
    } else if (kept && leafSet.has(kept.topic) && !options.clearAutomatic) labels.set(record.key, kept);
    else toPlace.push(record);
  }
  options.onProgress?.(`Placing ${toPlace.length.toLocaleString('en-US')} records in ${leaves.length} topics`);
  if (toPlace.length > 0) {
    const { embedder, targets } = await placementSpace(datasetDir, leaves, records, options.client);
    const vectors = await embedWithCache(datasetDir, embedder, toPlace, options.signal);
    toPlace.forEach((record, i) => {
      const placement = placeVector(vectors[i], targets);
      if (placement) labels.set(record.key, { key: record.key, topic: placement.topic, confidence: placement.confidence, method: placement.method });
    });
  }
  let llmReviewed = 0;
  let llm: LlmPassSummary | undefined;
  if (options.llm) {
    const low = records.filter((record) => {
      const label = labels.get(record.key);
      return label !== undefined && label.method !== 'manual' && label.confidence < LOW_CONFIDENCE;
    });
    const { labels: reviewed, ...summary } = await llmCategorize(options.llm.client, options.llm.model, leaves, low, { signal: options.signal, onProgress: options.onProgress });
    for (const label of reviewed) labels.set(label.key, label);
    llmReviewed = reviewed.length;
    llm = summary;
  }
  if (options.commitTopics) await commitTopicsWithLabels(datasetDir, topicsFileText(topics), labels.values());
  else await writeLabels(datasetDir, labels.values());
  const values = [...labels.values()];
  return {
    total: records.length,
    categorized: values.filter((label) => leafSet.has(label.topic)).length,
    placed: toPlace.length,
    lowConfidence: values.filter((label) => label.confidence < LOW_CONFIDENCE).length,
    manual: values.filter((label) => label.method === 'manual').length,
    unknownOwnTopics,
    llmReviewed,
    ...(llm ? { llm } : {}),
  };
}

/** The embedder and leaf vectors to place records with: the stored model's, or (no model) the topics' own text. */
export async function placementSpace(
  datasetDir: string,
  leaves: readonly LeafEntry[],
  records: readonly TopicRecord[],
  client?: ModelClient,
): Promise<{ embedder: Embedder; targets: PlacementTarget[] }> {
  const model = await readTopicModel(datasetDir);
  const embedder = model ? embedderFromSpec(model.embedder, model.dimensions, client) : localEmbedder(LocalEmbedder.fit([...records.map((r) => r.text), ...leaves.map(topicText)]));
  return { embedder, targets: await placementTargets(model, embedder, leaves) };
}

export async function placementTargets(model: TopicModel | undefined, embedder: Embedder, leaves: readonly LeafEntry[]): Promise<PlacementTarget[]> {
  const withoutCentroid = leaves.filter((leaf) => !model?.centroids.has(leaf.path));
  const textVectors = await embedder.embedMany(withoutCentroid.map(topicText));
  const fromText = new Map(withoutCentroid.map((leaf, i) => [leaf.path, textVectors[i]]));
  return leaves.map((leaf) => {
    const centroid = model?.centroids.get(leaf.path);
    return { path: leaf.path, vector: denseOf(centroid ?? fromText.get(leaf.path)!, embedder.dimensions), fromText: centroid === undefined };
  });
}

/** The words a topic stands for: its names (snake_case split), description and keywords. */
export function topicText(leaf: LeafEntry): string {
  const words = (name: string) => name.replace(/[_-]+/g, ' ');
  return [words(leaf.leaf.name), leaf.leaf !== leaf.parent ? words(leaf.parent.name) : '', leaf.leaf.description ?? '', ...(leaf.leaf.keywords ?? [])].filter(Boolean).join('\n');
}

/** Embeddings for records, from the cache where it has them; the cache keeps only the given records' keys after. */
export async function embedWithCache(datasetDir: string, embedder: Embedder, records: readonly { key: string; text: string }[], signal?: AbortSignal): Promise<SparseVector[]> {
  const cache = await EmbeddingCache.open(datasetDir, embedder.id);
  const missing = records.filter((record) => cache.get(record.key) === undefined);
  const BATCH = 2048;
  for (let at = 0; at < missing.length; at += BATCH) {
    signal?.throwIfAborted();
    const batch = missing.slice(at, at + BATCH);
    const vectors = await embedder.embedMany(
      batch.map((record) => record.text),
      signal,
    );
    batch.forEach((record, i) => cache.set(record.key, vectors[i]));
  }
  await cache.save();
  return records.map((record) => cache.get(record.key)!);
}
