import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomicWrite';
import { createHash } from 'node:crypto';
import { STATE_DIR, TOPICS_FILE } from './manifest';

export const LABELS_FILE = path.join(STATE_DIR, 'labels.jsonl');

/** Below this confidence a placement needs review (docs/pipeline.md §The rules: the topics step needs attention at ≥ 5 % of them). */
export const LOW_CONFIDENCE = 0.7;

export const labelMethodSchema = z.enum(['embedding', 'llm', 'keyword', 'manual']);

/** One line of `.rft/labels.jsonl`: a record key's topic (a leaf path "parent/leaf"), with how sure and how. */
export const labelSchema = z.object({
  key: z.string().regex(/^[0-9a-f]{16}$/),
  topic: z.string().min(1),
  confidence: z.number().min(0).max(1),
  method: labelMethodSchema,
});

export type Label = z.infer<typeof labelSchema>;

export interface LabelsRead {
  /** By record key; a later line for the same key wins. */
  readonly labels: Map<string, Label>;
  /** Lines that are not valid labels, 1-based, with why: kept out, reported, never silently dropped. */
  readonly problems: { readonly line: number; readonly message: string }[];
}

/** Reads the labels of a dataset; a missing file is an empty set. */
export async function readLabels(datasetDir: string): Promise<LabelsRead> {
  await settlePendingLabels(datasetDir);
  let text: string;
  try {
    text = await fs.promises.readFile(path.join(datasetDir, LABELS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { labels: new Map(), problems: [] };
    throw error;
  }
  const labels = new Map<string, Label>();
  const problems: LabelsRead['problems'] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const parsed = labelSchema.safeParse(JSON.parse(line));
      if (parsed.success) labels.set(parsed.data.key, parsed.data);
      else problems.push({ line: index + 1, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    } catch (error) {
      problems.push({ line: index + 1, message: (error as Error).message });
    }
  });
  return { labels, problems };
}

/** Replaces the labels file atomically, one label per line, sorted by key so diffs stay small. */
export async function writeLabels(datasetDir: string, labels: Iterable<Label>): Promise<void> {
  await fs.promises.mkdir(path.join(datasetDir, STATE_DIR), { recursive: true });
  await writeFileAtomic(path.join(datasetDir, LABELS_FILE), labelsText(labels));
}

function labelsText(labels: Iterable<Label>): string {
  const lines = [...labels].map((label) => labelSchema.parse(label)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return lines.map((label) => `${JSON.stringify(label)}\n`).join('');
}

/** `.rft/labels.pending.<topics fingerprint>.jsonl`: labels written for a topics.json that may not be committed yet. */
const PENDING_LABELS = /^labels\.pending\.([0-9a-f]{16})\.jsonl$/;

function topicsFingerprint(topicsText: string): string {
  return createHash('sha256').update(topicsText).digest('hex').slice(0, 16);
}

/**
 * Replaces topics.json and the labels as one change. The labels go first to a pending file named by the new
 * topics' fingerprint, then topics.json is replaced, then the pending file becomes labels.jsonl. A kill or a
 * failure at any point is settled by the next read (settlePendingLabels): the pending labels are committed when
 * topics.json is the one they were written for, and dropped otherwise, so the hierarchy and the labels on disk
 * always belong together.
 */
export async function commitTopicsWithLabels(datasetDir: string, topicsText: string, labels: Iterable<Label>, testHooks: { afterTopics?: () => void } = {}): Promise<void> {
  const state = path.join(datasetDir, STATE_DIR);
  await fs.promises.mkdir(state, { recursive: true });
  const pending = path.join(state, `labels.pending.${topicsFingerprint(topicsText)}.jsonl`);
  await writeFileAtomic(pending, labelsText(labels));
  await writeFileAtomic(path.join(datasetDir, TOPICS_FILE), topicsText);
  testHooks.afterTopics?.();
  await fs.promises.rename(pending, path.join(datasetDir, LABELS_FILE)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error; // ENOENT: a reader finished this commit first
  });
}

/** A pending file whose topics.json never came is dropped after this; younger, its writer may be between two steps. */
const ABANDONED_PENDING_MS = 60_000;

async function olderThan(file: string, ms: number): Promise<boolean> {
  const stat = await fs.promises.stat(file).catch(() => undefined);
  return stat !== undefined && Date.now() - stat.mtimeMs > ms;
}

/** Finishes or drops an interrupted commitTopicsWithLabels (see there); nothing to do in the usual case. */
export async function settlePendingLabels(datasetDir: string): Promise<void> {
  const state = path.join(datasetDir, STATE_DIR);
  let pending: string[];
  try {
    pending = (await fs.promises.readdir(state)).filter((name) => PENDING_LABELS.test(name));
  } catch {
    return;
  }
  if (pending.length === 0) return;
  const topicsText = await fs.promises.readFile(path.join(datasetDir, TOPICS_FILE), 'utf8').catch(() => undefined);
  const current = topicsText === undefined ? undefined : topicsFingerprint(topicsText);
  for (const name of pending) {
    const file = path.join(state, name);
    if (PENDING_LABELS.exec(name)![1] === current)
      await fs.promises.rename(file, path.join(datasetDir, LABELS_FILE)).catch(() => undefined); // another reader settled it first
    else if (await olderThan(file, ABANDONED_PENDING_MS)) await fs.promises.rm(file, { force: true });
  }
}

/**
 * Sets labels, keeping the others. A manual label is never replaced by an automatic one (docs/topics.md §Categorization); pass
 * `clearAutomatic` to drop every automatic label first (topics regenerated).
 */
export async function updateLabels(datasetDir: string, updates: Iterable<Label>, options: { clearAutomatic?: boolean } = {}): Promise<void> {
  const { labels } = await readLabels(datasetDir);
  if (options.clearAutomatic) for (const [key, label] of labels) if (label.method !== 'manual') labels.delete(key);
  for (const label of updates) {
    const current = labels.get(label.key);
    if (current?.method === 'manual' && label.method !== 'manual') continue;
    labels.set(label.key, label);
  }
  await writeLabels(datasetDir, labels.values());
}
