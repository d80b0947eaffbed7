import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { TOPICS_FILE } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';
import { parseJsonWithSchema } from '../fs/parseJsonWithSchema';

/** A topic name: one path segment, so "parent/leaf" paths stay unambiguous. */
export const topicNameSchema = z
  .string()
  .min(1, 'a topic name cannot be empty')
  .max(80, 'a topic name is at most 80 characters')
  .refine((name) => !name.includes('/'), 'a topic name cannot contain "/"')
  .refine((name) => name.trim() === name, 'a topic name cannot start or end with spaces');

const topicFields = {
  name: topicNameSchema,
  description: z.string().optional(),
  keywords: z.array(z.string()).optional(),
};

export const leafTopicSchema = z.object(topicFields).passthrough();
export const topTopicSchema = z.object({ ...topicFields, children: z.array(leafTopicSchema).optional() }).passthrough();

/** How the hierarchy came to be: generated from the data, a template, written by hand, or imported. */
export const topicsSourceSchema = z.enum(['auto', 'template', 'manual', 'imported']);

/** `topics.json` (docs/dataset-format.md): a 2-level hierarchy. A top topic without children is a leaf itself. */
export const topicsFileSchema = z
  .object({
    version: z.literal(1).default(1),
    source: topicsSourceSchema.default('manual'),
    template: z.string().optional(),
    embedder: z.string().optional(),
    seed: z.number().int().optional(),
    createdAt: z.string().optional(),
    topics: z.array(topTopicSchema),
  })
  .passthrough()
  .superRefine((file, context) => {
    const tops = new Set<string>();
    file.topics.forEach((topic, t) => {
      if (tops.has(topic.name)) context.addIssue({ code: 'custom', path: ['topics', t, 'name'], message: `duplicate topic "${topic.name}"` });
      tops.add(topic.name);
      const children = new Set<string>();
      topic.children?.forEach((child, c) => {
        if (children.has(child.name)) context.addIssue({ code: 'custom', path: ['topics', t, 'children', c, 'name'], message: `duplicate subtopic "${topic.name}/${child.name}"` });
        children.add(child.name);
      });
    });
  });

export type TopicsFile = z.infer<typeof topicsFileSchema>;
export type TopTopic = z.infer<typeof topTopicSchema>;
export type LeafTopic = z.infer<typeof leafTopicSchema>;

export class TopicsFileError extends Error {}

/** A leaf with where it sits: its path ("parent/leaf", or "parent" for a childless top topic). */
export interface LeafEntry {
  readonly path: string;
  readonly parent: TopTopic;
  readonly leaf: LeafTopic;
}

export function leafEntries(file: Pick<TopicsFile, 'topics'>): LeafEntry[] {
  return file.topics.flatMap((parent) =>
    parent.children && parent.children.length > 0 ? parent.children.map((leaf) => ({ path: `${parent.name}/${leaf.name}`, parent, leaf })) : [{ path: parent.name, parent, leaf: parent }],
  );
}

export function leafPaths(file: Pick<TopicsFile, 'topics'>): string[] {
  return leafEntries(file).map((entry) => entry.path);
}

export function parseTopicsFile(text: string, where = TOPICS_FILE): TopicsFile {
  return parseJsonWithSchema(text, topicsFileSchema, where, (message) => new TopicsFileError(message));
}

/** The dataset's topics.json, or undefined when it has none; a damaged file throws a located TopicsFileError. */
export async function readTopicsFile(datasetDir: string): Promise<TopicsFile | undefined> {
  const file = path.join(datasetDir, TOPICS_FILE);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseTopicsFile(text, file);
}

export async function writeTopicsFile(datasetDir: string, topics: TopicsFile): Promise<void> {
  await writeFileAtomic(path.join(datasetDir, TOPICS_FILE), topicsFileText(topics));
}

/** topics.json as written: checked, pretty-printed as people edit it. */
export function topicsFileText(topics: TopicsFile): string {
  return `${JSON.stringify(topicsFileSchema.parse(topics), null, 2)}\n`;
}

/**
 * Checks a hierarchy to import as a whole before anything is written: valid JSON, the topics.json schema (names,
 * unique at each level, leaves under their parent) and at least one leaf. The error names the file and the field.
 */
export function parseTopicsImport(text: string, file: string): TopicsFile {
  const topics = parseTopicsFile(text, file);
  if (topics.topics.length === 0) throw new TopicsFileError(`${file}: topics: an import needs at least one topic (the list is empty); nothing was changed`);
  return topics;
}
