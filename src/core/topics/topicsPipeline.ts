import * as fs from 'node:fs';
import * as path from 'node:path';
import { commitTopicsWithLabels, LOW_CONFIDENCE, readLabels, type Label } from '../dataset/labels';
import { readManifest, writeManifest } from '../dataset/manifest';
import { assertNotDatasetFile } from '../dataset/protectedPaths';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { ModelClient } from '../llm/modelClient';
import type { CoverageReport, RecordFilter, RecordPreview } from './coverageTypes';
import { buildTopics, type BuiltLeaf } from './buildTopics';
import { categorizeRecords, embedWithCache, type CategorizeResult } from './categorize';
import { coverageReport } from './coverage';
import { readTopicRecords, type TopicRecord } from './datasetRecords';
import { localEmbedder, openAiEmbedder, type Embedder } from './embedders';
import { llmLabels, type LabelPassTally } from './llmLabels';
import { LocalEmbedder } from './localEmbedder';
import { nonZeroEntries } from './sparseVector';
import type { TopicEdit } from './topicEdits';
import { readTopicModel, renameCentroids, writeTopicModel, TOPIC_MODEL_FILE } from './topicModel';
import { topicsFromTemplate } from './templates';
import { parseTopicsImport, readTopicsFile, TopicsFileError, topicsFileText, writeTopicsFile, type TopicsFile } from './topicsFile';

export interface GenerateTopicsOptions {
  readonly leaves?: number;
  readonly top?: number;
  readonly seed?: number;
  readonly embedder?: 'local' | 'openai';
  readonly labels?: 'keywords' | 'llm';
  readonly template?: string;
  /** For `--embedder openai`, `--labels llm` and the LLM categorization pass. */
  readonly client?: ModelClient;
  readonly chatModel?: string;
  readonly embeddingModel?: string;
  readonly embeddingDimensions?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
}

export interface GenerateTopicsResult {
  readonly topics: TopicsFile;
  readonly categorized: CategorizeResult;
  /** With `labels: 'llm'`: the naming calls made and failed (a failed one keeps its keyword name). */
  readonly labelPass?: LabelPassTally;
  readonly seconds: number;
}

/**
 * Step 2 end to end: a hierarchy (from the data, or a template), written to topics.json with its model, then every
 * valid record categorized. Regenerating clears automatic labels and keeps manual ones.
 */
export async function generateTopics(datasetDir: string, options: GenerateTopicsOptions = {}): Promise<GenerateTopicsResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  progress('Reading records');
  const records = await readTopicRecords(datasetDir, options.signal);
  let topics: TopicsFile;
  let labelPass: LabelPassTally | undefined;
  if (options.template) {
    topics = topicsFromTemplate(options.template);
    await fs.promises.rm(path.join(datasetDir, TOPIC_MODEL_FILE), { force: true }); // template topics are matched by their text
  } else {
    if (records.length === 0) throw new Error('this dataset has no valid records to find topics in');
    const embedder = chooseEmbedder(records, options);
    progress(`Embedding ${records.length.toLocaleString('en-US')} records (${embedder.id.split(':')[0]})`);
    const vectors = await embedWithCache(datasetDir, embedder, records, options.signal);
    progress('Clustering');
    const built = buildTopics(
      records.map((r) => r.text),
      vectors,
      embedder.dimensions,
      { leaves: options.leaves, top: options.top, seed: options.seed ?? 42 },
    );
    topics = {
      version: 1,
      source: 'auto',
      embedder: embedder.id.split(':')[0],
      seed: options.seed ?? 42,
      createdAt: new Date().toISOString(),
      topics: built.map((topic) => ({
        name: topic.name,
        description: topic.description,
        keywords: topic.keywords,
        ...(topic.leaf ? {} : { children: topic.children.map((leaf) => ({ name: leaf.name, description: leaf.description, keywords: leaf.keywords })) }),
      })),
    };
    const centroids = new Map<string, BuiltLeaf>();
    for (const topic of built) for (const leaf of topic.leaf ? [topic.leaf] : topic.children) centroids.set(topic.leaf ? topic.name : `${topic.name}/${leaf.name}`, leaf);
    if (options.labels === 'llm') {
      if (!options.client || !options.chatModel) throw new Error('--labels llm needs a configured provider (OPENAI_API_KEY, or RFT: Set API Key)');
      progress('Naming topics with the LLM');
      labelPass = { asked: 0, failed: 0 };
      topics = await relabelWithLlm(topics, built, records, options.client, options.chatModel, centroids, labelPass, options.signal);
    }
    await writeTopicModel(datasetDir, {
      embedder: embedder.spec,
      dimensions: embedder.dimensions,
      centroids: new Map([...centroids].map(([leafPath, leaf]) => [leafPath, nonZeroEntries(leaf.centroid)])),
    });
  }
  progress('Categorizing');
  const categorized = await categorizeRecords(datasetDir, topics, records, {
    clearAutomatic: true,
    commitTopics: true,
    client: options.client,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { topics, categorized, ...(labelPass ? { labelPass } : {}), seconds: (performance.now() - started) / 1000 };
}

function chooseEmbedder(records: readonly TopicRecord[], options: GenerateTopicsOptions): Embedder {
  if (options.embedder === 'openai') {
    if (!options.client) throw new Error('--embedder openai needs a configured provider (OPENAI_API_KEY, or RFT: Set API Key)');
    return openAiEmbedder(options.client, options.embeddingModel ?? 'text-embedding-3-small', options.embeddingDimensions ?? 1536);
  }
  return localEmbedder(LocalEmbedder.fit(records.map((r) => r.text)));
}

/** Renames every topic by the LLM label pass; centroids follow the new leaf paths. */
async function relabelWithLlm(
  topics: TopicsFile,
  built: ReturnType<typeof buildTopics>,
  records: readonly TopicRecord[],
  client: ModelClient,
  model: string,
  centroids: Map<string, BuiltLeaf>,
  tally: LabelPassTally,
  signal?: AbortSignal,
): Promise<TopicsFile> {
  const examples = (leaf: BuiltLeaf) => leaf.members.slice(0, 8).map((i) => records[i].text);
  const tops = await llmLabels(
    client,
    model,
    built.map((topic) => ({ label: topic, examples: (topic.leaf ? [topic.leaf] : topic.children).flatMap(examples).slice(0, 8) })),
    { signal, tally },
  );
  const renamedCentroids = new Map<string, BuiltLeaf>();
  const result: TopicsFile = { ...topics, topics: [] };
  for (let t = 0; t < built.length; t++) {
    const topic = built[t];
    if (topic.leaf) {
      renamedCentroids.set(tops[t].name, topic.leaf);
      result.topics.push({ ...tops[t] });
      continue;
    }
    const leaves = await llmLabels(
      client,
      model,
      topic.children.map((leaf) => ({ label: leaf, examples: examples(leaf), parent: tops[t].name })),
      { signal, tally },
    );
    topic.children.forEach((leaf, l) => renamedCentroids.set(`${tops[t].name}/${leaves[l].name}`, leaf));
    result.topics.push({ ...tops[t], children: leaves.map((leaf) => ({ ...leaf })) });
  }
  centroids.clear();
  for (const [leafPath, leaf] of renamedCentroids) centroids.set(leafPath, leaf);
  return result;
}

/** Coverage of the dataset as it is on disk: its valid records, their labels, topics.json and the targets in rft.json. */
export async function datasetCoverage(datasetDir: string, signal?: AbortSignal): Promise<CoverageReport | undefined> {
  const topics = await readTopicsFile(datasetDir);
  if (!topics) return undefined;
  const manifest = await readManifest(datasetDir);
  const records = await readTopicRecords(datasetDir, signal);
  const { labels } = await readLabels(datasetDir);
  const current = records
    .map((record) => (record.ownTopic ? { key: record.key, topic: record.ownTopic, confidence: 1, method: 'manual' as const } : labels.get(record.key)))
    .filter((label): label is Label => label !== undefined);
  return coverageReport(topics, current, records.length, manifest.coverage?.targets ?? {});
}

/** The records behind a bar (or the low-confidence / uncategorized ones), at most `limit`, lowest confidence first. */
export async function recordsFor(datasetDir: string, filter: RecordFilter, limit = 200, signal?: AbortSignal): Promise<{ records: RecordPreview[]; total: number }> {
  const records = await readTopicRecords(datasetDir, signal);
  const { labels } = await readLabels(datasetDir);
  const matches: RecordPreview[] = [];
  for (const record of records) {
    const label = record.ownTopic ? { topic: record.ownTopic, confidence: 1, method: 'manual' } : labels.get(record.key);
    const inTopic = (topicPath: string) => label !== undefined && (label.topic === topicPath || label.topic.startsWith(`${topicPath}/`));
    const keep =
      filter.kind === 'uncategorized'
        ? label === undefined
        : filter.kind === 'topic'
          ? inTopic(filter.path)
          : label !== undefined && label.confidence < LOW_CONFIDENCE && (filter.path === undefined || inTopic(filter.path));
    if (keep)
      matches.push({
        key: record.key,
        file: path.relative(datasetDir, record.file),
        line: record.line,
        text: record.text,
        ...(label ? { topic: label.topic, confidence: label.confidence, method: label.method } : {}),
      });
  }
  matches.sort((a, b) => (a.confidence ?? 0) - (b.confidence ?? 0) || a.file.localeCompare(b.file) || a.line - b.line);
  return { records: matches.slice(0, limit), total: matches.length };
}

/** Saves target shares in rft.json (`coverage.targets`); undefined goes back to uniform. */
export async function setCoverageTargets(datasetDir: string, targets: Record<string, number> | undefined): Promise<void> {
  const manifest = await readManifest(datasetDir);
  const coverage = { ...(manifest.coverage ?? {}) };
  if (targets && Object.keys(targets).length > 0) coverage.targets = targets;
  else delete coverage.targets;
  await writeManifest(datasetDir, { ...manifest, coverage });
}

/** Writes an edited hierarchy; labels and centroids follow renamed leaves, labels of removed leaves are dropped. */
export async function applyTopicEdit(datasetDir: string, edit: TopicEdit): Promise<void> {
  if (edit.renamed.size === 0) return writeTopicsFile(datasetDir, edit.file);
  const { labels } = await readLabels(datasetDir);
  const moved: Label[] = [];
  for (const label of labels.values()) {
    if (!edit.renamed.has(label.topic)) moved.push(label);
    else {
      const target = edit.renamed.get(label.topic);
      if (target !== undefined) moved.push({ ...label, topic: target });
    }
  }
  await commitTopicsWithLabels(datasetDir, topicsFileText(edit.file), moved);
  const model = await readTopicModel(datasetDir);
  if (model) await writeTopicModel(datasetDir, renameCentroids(model, edit.renamed));
}

/** Replaces the hierarchy with an exported one; `keepAssignments` keeps labels whose leaf still exists. */
export async function importTopics(datasetDir: string, file: string, options: { keepAssignments: boolean }): Promise<TopicsFile> {
  const topics = { ...parseTopicsImport(await readImport(file), file), source: 'imported' as const };
  const { labels } = await readLabels(datasetDir);
  const kept = options.keepAssignments ? [...labels.values()] : [...labels.values()].filter((label) => label.method === 'manual');
  await fs.promises.rm(path.join(datasetDir, TOPIC_MODEL_FILE), { force: true }); // the centroids belong to the old hierarchy
  await commitTopicsWithLabels(datasetDir, topicsFileText(topics), kept);
  return topics;
}

async function readImport(file: string): Promise<string> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw new TopicsFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; nothing was changed`);
  }
}

/** Writes the hierarchy alone (no centroids, no labels) to share or reuse. */
export async function exportTopics(datasetDir: string, out: string): Promise<void> {
  assertNotDatasetFile(out, [datasetDir]);
  const topics = await readTopicsFile(datasetDir);
  if (!topics) throw new Error('this dataset has no topics.json to export');
  await writeFileAtomic(out, `${JSON.stringify(topics, null, 2)}\n`);
}
