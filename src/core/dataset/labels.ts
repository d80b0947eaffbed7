import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomicWrite';
import { STATE_DIR } from './manifest';

export const LABELS_FILE = path.join(STATE_DIR, 'labels.jsonl');

/** Below this confidence a placement needs review (DESIGN §1: the topics step needs attention at ≥ 5 % of them). */
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
  const lines = [...labels].map((label) => labelSchema.parse(label)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  await writeFileAtomic(path.join(datasetDir, LABELS_FILE), lines.map((label) => `${JSON.stringify(label)}\n`).join(''));
}

/**
 * Sets labels, keeping the others. A manual label is never replaced by an automatic one (DESIGN §4); pass
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
