import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLabels, type Label } from '../dataset/labels';
import { GENERATED_FILE, readManifest } from '../dataset/manifest';
import { forEachValidRecord } from '../dataset/validRecords';
import { NoTopicsError } from '../topics/categorize';
import type { TopicRecord } from '../topics/datasetRecords';
import { recordText } from '../topics/recordText';
import { leafEntries, readTopicsFile, type LeafEntry } from '../topics/topicsFile';
import { isPlainObject } from '../validation/recordShape';
import { resolveValidationSettings, type ValidationSettings } from '../validation/settings';

/** A valid record as generation sees it: a topic record plus its line, parsed again only when it is used as an example. */
export interface SourceRecord extends TopicRecord {
  /** The record's JSONL line; kept only for generated records and the records a run may show the model (see `linesOf`). */
  readonly json?: string;
  /** Its topic now: its own `metadata.topic`, else its label. */
  readonly topic?: string;
  readonly generated: boolean;
}

/** What the loop and the estimate read once: settings, leaves, every valid record by topic, and where generated.jsonl ends. */
export interface GenerationDataset {
  readonly dir: string;
  readonly settings: ValidationSettings;
  readonly leaves: LeafEntry[];
  readonly records: SourceRecord[];
  readonly byTopic: ReadonlyMap<string, SourceRecord[]>;
  readonly labels: ReadonlyMap<string, Label>;
  /** Lines in generated.jsonl now (the next record written gets line + 1) and whether it needs a newline first. */
  readonly generatedLines: number;
  readonly generatedNeedsNewline: boolean;
}

export class GenerateError extends Error {}

export const NO_TOPICS_MESSAGE = 'this dataset has no topics yet: run `rft topics` (or RFT: Generate Topics, step 2) first';

/** Whose lines to keep besides the generated records': the records of these topics, and these record keys. */
export interface LinesToKeep {
  readonly topics: ReadonlySet<string>;
  readonly keys?: ReadonlySet<string>;
}

/**
 * Reads a dataset for generation; throws NoTopicsError when it has no topics yet. Every record's key and text are
 * kept (for deduplication); its whole line only where `linesOf` asks for it, so a large dataset stays small here.
 */
export async function readGenerationDataset(datasetDir: string, options: { signal?: AbortSignal; linesOf?: LinesToKeep } = {}): Promise<GenerationDataset> {
  const { signal, linesOf } = options;
  const topics = await readTopicsFile(datasetDir);
  const leaves = topics ? leafEntries(topics) : [];
  if (leaves.length === 0) throw new NoTopicsError(NO_TOPICS_MESSAGE);
  const manifest = await readManifest(datasetDir);
  const { labels } = await readLabels(datasetDir);
  const generatedFile = path.join(datasetDir, GENERATED_FILE);
  const records: SourceRecord[] = [];
  const byTopic = new Map<string, SourceRecord[]>(leaves.map((leaf) => [leaf.path, []]));
  await forEachValidRecord(
    datasetDir,
    ({ key, record, file, line, text }) => {
      const metadata = isPlainObject(record.metadata) ? record.metadata : undefined;
      const ownTopic = typeof metadata?.topic === 'string' && metadata.topic.trim() !== '' ? metadata.topic.trim() : undefined;
      const topic = ownTopic ?? labels.get(key)?.topic;
      const generated = file === generatedFile;
      const keepLine = generated || !linesOf || (topic !== undefined && linesOf.topics.has(topic)) || linesOf.keys?.has(key) === true;
      const source: SourceRecord = { key, text: recordText(record), file, line, generated, ...(keepLine ? { json: text } : {}), ...(ownTopic ? { ownTopic } : {}), ...(topic ? { topic } : {}) };
      records.push(source);
      if (topic) byTopic.get(topic)?.push(source);
    },
    { signal, manifest },
  );
  const { lines, endsWithNewline } = await lineCount(generatedFile);
  return {
    dir: datasetDir,
    settings: resolveValidationSettings(manifest.settings?.validation),
    leaves,
    records,
    byTopic,
    labels,
    generatedLines: lines,
    generatedNeedsNewline: lines > 0 && !endsWithNewline,
  };
}

/** The leaf a target names, or a GenerateError listing the leaves. */
export function leafOf(dataset: GenerationDataset, topic: string): LeafEntry {
  const leaf = dataset.leaves.find((entry) => entry.path === topic);
  if (!leaf) throw new GenerateError(`unknown topic "${topic}"; the leaf topics are: ${dataset.leaves.map((entry) => entry.path).join(', ')}`);
  return leaf;
}

async function lineCount(file: string): Promise<{ lines: number; endsWithNewline: boolean }> {
  let lines = 0;
  let last = -1;
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
      if (chunk.length > 0) last = chunk[chunk.length - 1];
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: 0, endsWithNewline: true };
    throw error;
  }
  const endsWithNewline = last === -1 || last === 0x0a;
  return { lines: endsWithNewline ? lines : lines + 1, endsWithNewline };
}
