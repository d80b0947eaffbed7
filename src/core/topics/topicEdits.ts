import { leafPaths, topicNameSchema, topicsFileSchema, type LeafTopic, type TopicsFile, type TopTopic } from './topicsFile';

/**
 * Edits of the hierarchy (add, rename, delete, move), pure. Each returns the new file and how leaf paths
 * changed — old path → new path, or undefined when the leaf is gone — so labels can follow. An edited
 * hierarchy counts as hand-made (`source: "manual"`).
 */
export interface TopicEdit {
  readonly file: TopicsFile;
  readonly renamed: ReadonlyMap<string, string | undefined>;
}

export class TopicEditError extends Error {}

export function addTopic(file: TopicsFile, name: string, options: { parent?: string; description?: string; keywords?: string[] } = {}): TopicEdit {
  checkName(name);
  const topic: LeafTopic = { name, ...(options.description ? { description: options.description } : {}), ...(options.keywords?.length ? { keywords: options.keywords } : {}) };
  if (options.parent === undefined) {
    if (file.topics.some((t) => t.name === name)) throw new TopicEditError(`a topic "${name}" exists already`);
    return finish(file, { ...file, topics: [...file.topics, topic] });
  }
  const parent = findTop(file, options.parent);
  if ((parent.children ?? []).some((c) => c.name === name)) throw new TopicEditError(`"${parent.name}" has a subtopic "${name}" already`);
  return finish(file, replaceTop(file, parent.name, { ...parent, children: [...(parent.children ?? []), topic] }));
}

export function renameTopic(file: TopicsFile, topicPath: string, newName: string): TopicEdit {
  checkName(newName);
  const [top, child] = splitPath(topicPath);
  const parent = findTop(file, top);
  if (child === undefined) {
    if (newName !== top && file.topics.some((t) => t.name === newName)) throw new TopicEditError(`a topic "${newName}" exists already`);
    const children = parent.children ?? [];
    const renamed = new Map(children.length === 0 ? [[top, newName]] : children.map((c) => [`${top}/${c.name}`, `${newName}/${c.name}`]));
    return finish(file, replaceTop(file, top, { ...parent, name: newName }), renamed);
  }
  const children = parent.children ?? [];
  if (!children.some((c) => c.name === child)) throw new TopicEditError(`no subtopic "${topicPath}"`);
  if (newName !== child && children.some((c) => c.name === newName)) throw new TopicEditError(`"${top}" has a subtopic "${newName}" already`);
  return finish(file, replaceTop(file, top, { ...parent, children: children.map((c) => (c.name === child ? { ...c, name: newName } : c)) }), new Map([[topicPath, `${top}/${newName}`]]));
}

export function deleteTopic(file: TopicsFile, topicPath: string): TopicEdit {
  const [top, child] = splitPath(topicPath);
  const parent = findTop(file, top);
  if (child === undefined) return finish(file, { ...file, topics: file.topics.filter((t) => t.name !== top) });
  if (!(parent.children ?? []).some((c) => c.name === child)) throw new TopicEditError(`no subtopic "${topicPath}"`);
  return finish(file, replaceTop(file, top, { ...parent, children: (parent.children ?? []).filter((c) => c.name !== child) }));
}

/** Moves a leaf under another top topic, or (newParent undefined) makes it a top topic of its own. */
export function moveTopic(file: TopicsFile, leafPath: string, newParent: string | undefined): TopicEdit {
  const [top, child] = splitPath(leafPath);
  if (child === undefined) throw new TopicEditError('only a subtopic can be moved; rename or delete a top topic instead');
  const from = findTop(file, top);
  const leaf = (from.children ?? []).find((c) => c.name === child);
  if (!leaf) throw new TopicEditError(`no subtopic "${leafPath}"`);
  const without = replaceTop(file, top, { ...from, children: (from.children ?? []).filter((c) => c.name !== child) });
  const moved = addTopic(without, leaf.name, { parent: newParent, description: leaf.description, keywords: leaf.keywords });
  return finish(file, moved.file, new Map([[leafPath, newParent === undefined ? leaf.name : `${newParent}/${leaf.name}`]]));
}

function finish(before: TopicsFile, after: TopicsFile, renamed: ReadonlyMap<string, string | undefined> = new Map()): TopicEdit {
  const checked = topicsFileSchema.parse({ ...after, source: before.source === 'imported' ? 'imported' : 'manual' });
  const changes = new Map(renamed);
  const now = new Set(leafPaths(checked));
  for (const old of leafPaths(before)) if (!now.has(old) && !changes.has(old)) changes.set(old, undefined); // a leaf that stopped being one
  return { file: checked, renamed: changes };
}

function checkName(name: string): void {
  const parsed = topicNameSchema.safeParse(name);
  if (!parsed.success) throw new TopicEditError(parsed.error.issues[0].message);
}

function splitPath(topicPath: string): [string, string | undefined] {
  const at = topicPath.indexOf('/');
  return at < 0 ? [topicPath, undefined] : [topicPath.slice(0, at), topicPath.slice(at + 1)];
}

function findTop(file: TopicsFile, name: string): TopTopic {
  const topic = file.topics.find((t) => t.name === name);
  if (!topic) throw new TopicEditError(`no topic "${name}"`);
  return topic;
}

function replaceTop(file: TopicsFile, name: string, topic: TopTopic): TopicsFile {
  return { ...file, topics: file.topics.map((t) => (t.name === name ? topic : t)) };
}
