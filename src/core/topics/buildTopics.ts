import { clusterVectors } from './kmeansClusters';
import { ctfidfLabels, type TopicLabel } from './topicLabels';

export interface BuiltLeaf extends TopicLabel {
  readonly centroid: Float32Array;
  readonly members: number[];
}

export interface BuiltTopic extends TopicLabel {
  readonly children: BuiltLeaf[];
}

export interface BuildOptions {
  /** Total leaf topics; automatic when absent. */
  readonly leaves?: number;
  /** Top-level topics; automatic when absent. */
  readonly top?: number;
  readonly seed?: number;
}

/**
 * A 2-level topic hierarchy from embeddings: k-means for the top level, then k-means inside each top topic for
 * its leaves (leaf counts shared out by size when `leaves` is set), labelled by c-TF-IDF.
 */
export function buildTopics(texts: readonly string[], vectors: readonly Float32Array[], options: BuildOptions = {}): BuiltTopic[] {
  const n = vectors.length;
  const seed = options.seed ?? 42;
  const top = Math.max(1, Math.min(n, options.top ?? (options.leaves ? Math.round(Math.sqrt(options.leaves)) : clamp(Math.round(Math.sqrt(n / 60)), 2, 12))));
  const topLevel = clusterVectors(vectors, top, seed);
  const groups = groupBy(topLevel.assignments, top);
  const leafCounts = options.leaves ? shareOut(options.leaves, groups.map((g) => g.length)) : groups.map((g) => clamp(Math.round(Math.sqrt(g.length / 25)), 1, 8));
  const taken = new Set<string>();
  const topLabels = ctfidfLabels(groups.map((g) => g.map((i) => texts[i])), taken);
  return groups
    .map((members, t) => {
      const sub = clusterVectors(members.map((i) => vectors[i]), Math.min(leafCounts[t], members.length), seed + t + 1);
      const leafGroups = groupBy(sub.assignments, sub.centroids.length).map((g) => g.map((j) => members[j]));
      const labels = ctfidfLabels(leafGroups.map((g) => g.map((i) => texts[i])), new Set());
      const children = leafGroups.map((leafMembers, l) => ({ ...labels[l], centroid: sub.centroids[l], members: leafMembers })).filter((leaf) => leaf.members.length > 0);
      return { ...topLabels[t], children };
    })
    .filter((topic) => topic.children.length > 0);
}

function groupBy(assignments: readonly number[], k: number): number[][] {
  const groups: number[][] = Array.from({ length: k }, () => []);
  assignments.forEach((cluster, index) => groups[cluster].push(index));
  return groups;
}

/** Splits `total` across groups in proportion to their sizes (largest remainder), at least 1 per non-empty group. */
export function shareOut(total: number, sizes: readonly number[]): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0) || 1;
  const exact = sizes.map((size) => (total * size) / sum);
  const counts = exact.map((value, i) => (sizes[i] > 0 ? Math.max(1, Math.floor(value)) : 0));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((value, i) => [value - Math.floor(value), i] as const).sort((a, b) => b[0] - a[0]);
  for (let at = 0; left > 0 && at < order.length; at = (at + 1) % order.length) {
    const i = order[at][1];
    if (sizes[i] > counts[i]) {
      counts[i]++;
      left--;
    }
    if (order.every(([, j]) => sizes[j] <= counts[j])) break;
  }
  return counts.map((count, i) => Math.min(count, sizes[i]));
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
