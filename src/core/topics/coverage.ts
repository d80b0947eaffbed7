import { LOW_CONFIDENCE, type Label } from '../dataset/labels';
import { balanceOf, balanceRating } from './balance';
import type { CoverageReport, TopicCoverage } from './coverageTypes';
import { leafEntries, type TopicsFile } from './topicsFile';

/** User-set target shares by topic path (leaf "parent/leaf" or top "parent"), from rft.json `coverage.targets`. */
export type Targets = Readonly<Record<string, number>>;

/**
 * Coverage at both levels (docs/topics.md §Coverage): count and share per leaf and top topic, target shares, gaps, balance =
 * min share / max share over leaves (0 when a leaf has no records), and its rating. `labels` are the labels of
 * the dataset's current valid records; `total` is their number.
 */
export function coverageReport(topics: TopicsFile, labels: Iterable<Label>, total: number, targets: Targets = {}): CoverageReport {
  const {
    byLeaf: counts,
    categorized,
    lowConfidence,
  } = tallyLabels(
    leafEntries(topics).map((leaf) => leaf.path),
    labels,
  );
  const targetOf = resolveTargets(topics, targets);
  const leafCoverage = (path: string, name: string, description: string | undefined, level: 1 | 2): TopicCoverage => {
    const { count, low } = counts.get(path)!;
    const target = targetOf.get(path)!;
    return { path, name, ...(description ? { description } : {}), level, count, share: share(count, categorized), target, gap: gapOf(target, count, categorized), lowConfidence: low, children: [] };
  };
  const tree: TopicCoverage[] = topics.topics.map((parent) => {
    const children = parent.children ?? [];
    if (children.length === 0) return leafCoverage(parent.name, parent.name, parent.description, 1);
    const leavesHere = children.map((child) => leafCoverage(`${parent.name}/${child.name}`, child.name, child.description, 2));
    const count = leavesHere.reduce((sum, leaf) => sum + leaf.count, 0);
    const target = leavesHere.reduce((sum, leaf) => sum + leaf.target, 0);
    return {
      path: parent.name,
      name: parent.name,
      ...(parent.description ? { description: parent.description } : {}),
      level: 1,
      count,
      share: share(count, categorized),
      target,
      gap: leavesHere.reduce((sum, leaf) => sum + leaf.gap, 0),
      lowConfidence: leavesHere.reduce((sum, leaf) => sum + leaf.lowConfidence, 0),
      children: leavesHere,
    };
  });
  const flat = tree.flatMap((topic) => (topic.children.length > 0 ? topic.children : [topic]));
  const balance = round3(
    balanceOf(
      new Map(flat.map((leaf) => [leaf.path, leaf.count])),
      flat.map((leaf) => leaf.path),
    ),
  );
  return {
    total,
    categorized,
    uncategorized: Math.max(0, total - categorized),
    lowConfidence,
    balance,
    rating: balanceRating(balance),
    topics: flat,
    tree,
    customTargets: Object.keys(targets).length > 0,
  };
}

export interface LabelTally {
  /** Per leaf path: labelled records and how many of them have low confidence. */
  readonly byLeaf: ReadonlyMap<string, { readonly count: number; readonly low: number }>;
  /** Labels whose topic is a leaf of the hierarchy; a label naming anything else (a record's own topic that is not a
   * leaf, a leaf since removed) is not categorized. */
  readonly categorized: number;
  readonly lowConfidence: number;
}

/** What "categorized" means everywhere (coverage, `rft status`, the pipeline tree): a label on one of these leaves. */
export function tallyLabels(leafPaths: readonly string[], labels: Iterable<Label>): LabelTally {
  const byLeaf = new Map(leafPaths.map((leaf) => [leaf, { count: 0, low: 0 }]));
  let categorized = 0;
  let lowConfidence = 0;
  for (const label of labels) {
    const entry = byLeaf.get(label.topic);
    if (!entry) continue;
    entry.count++;
    categorized++;
    if (label.confidence < LOW_CONFIDENCE) {
      entry.low++;
      lowConfidence++;
    }
  }
  return { byLeaf, categorized, lowConfidence };
}

/** Records to add to one topic to reach its target share at today's size (the spec's "generate ~N more"). */
export function gapOf(target: number, count: number, categorized: number): number {
  return Math.max(0, Math.round(target * categorized - count));
}

/**
 * A target share for every leaf: explicit leaf targets first; a top topic's target is spread over its leaves
 * without one; what is left is shared evenly by the remaining leaves. Scaled down if they add up to more than 1.
 */
export function resolveTargets(topics: TopicsFile, targets: Targets): Map<string, number> {
  const leaves = leafEntries(topics);
  const resolved = new Map<string, number>();
  for (const leaf of leaves) if (isShare(targets[leaf.path])) resolved.set(leaf.path, targets[leaf.path]);
  for (const parent of topics.topics) {
    const own = targets[parent.name];
    const children = leaves.filter((leaf) => leaf.parent === parent && leaf.leaf !== parent && !resolved.has(leaf.path));
    if (!isShare(own) || children.length === 0) continue;
    const given = leaves.filter((leaf) => leaf.parent === parent && resolved.has(leaf.path)).reduce((sum, leaf) => sum + resolved.get(leaf.path)!, 0);
    for (const child of children) resolved.set(child.path, Math.max(0, own - given) / children.length);
  }
  const rest = leaves.filter((leaf) => !resolved.has(leaf.path));
  const used = [...resolved.values()].reduce((sum, value) => sum + value, 0);
  for (const leaf of rest) resolved.set(leaf.path, Math.max(0, 1 - used) / rest.length);
  const sum = [...resolved.values()].reduce((a, b) => a + b, 0);
  if (sum > 1) for (const [path, value] of resolved) resolved.set(path, value / sum);
  for (const [path, value] of resolved) resolved.set(path, round4(value));
  return resolved;
}

function isShare(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

function share(count: number, of: number): number {
  return of === 0 ? 0 : round4(count / of);
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const round4 = (value: number) => Math.round(value * 10000) / 10000;
