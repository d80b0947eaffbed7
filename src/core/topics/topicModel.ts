import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';
import { decodeSparse, encodeSparse, type SparseVector } from './sparseVector';

export const TOPIC_MODEL_FILE = path.join(STATE_DIR, 'cache', 'topic-model.json');

/**
 * What categorization needs beyond topics.json, kept as machine state (safe to delete: categorization then falls
 * back to the topics' text): the embedder (for `local`, its fitted vocabulary) and each auto leaf's centroid.
 */
export interface TopicModel {
  readonly embedder: EmbedderSpec;
  readonly dimensions: number;
  /** Centroids by leaf path; leaves without one (template or hand-made topics) are matched by their text. */
  readonly centroids: ReadonlyMap<string, SparseVector>;
}

export type EmbedderSpec = { readonly kind: 'local'; readonly state: { buckets: string; idf: string } } | { readonly kind: 'openai'; readonly model: string };

interface StoredModel {
  readonly version: 1;
  readonly embedder: EmbedderSpec;
  readonly dimensions: number;
  readonly centroids: Record<string, string>;
}

export async function readTopicModel(datasetDir: string): Promise<TopicModel | undefined> {
  try {
    const stored = JSON.parse(await fs.promises.readFile(path.join(datasetDir, TOPIC_MODEL_FILE), 'utf8')) as StoredModel;
    if (stored.version !== 1) return undefined;
    return { embedder: stored.embedder, dimensions: stored.dimensions, centroids: new Map(Object.entries(stored.centroids).map(([leaf, text]) => [leaf, decodeSparse(text)])) };
  } catch {
    return undefined; // missing or damaged: rebuilt from the topics' text
  }
}

export async function writeTopicModel(datasetDir: string, model: TopicModel): Promise<void> {
  const stored: StoredModel = {
    version: 1,
    embedder: model.embedder,
    dimensions: model.dimensions,
    centroids: Object.fromEntries([...model.centroids].map(([leaf, vector]) => [leaf, encodeSparse(vector)])),
  };
  await fs.promises.mkdir(path.dirname(path.join(datasetDir, TOPIC_MODEL_FILE)), { recursive: true });
  await writeFileAtomic(path.join(datasetDir, TOPIC_MODEL_FILE), JSON.stringify(stored));
}

/** The model with leaf paths renamed or dropped (after an edit of the hierarchy). */
export function renameCentroids(model: TopicModel, renamed: ReadonlyMap<string, string | undefined>): TopicModel {
  const centroids = new Map<string, SparseVector>();
  for (const [leaf, vector] of model.centroids) {
    const target = renamed.has(leaf) ? renamed.get(leaf) : leaf;
    if (target !== undefined) centroids.set(target, vector);
  }
  return { ...model, centroids };
}
