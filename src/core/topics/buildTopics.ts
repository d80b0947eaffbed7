import { kmeans } from 'ml-kmeans';
import { smoothWithNeighbours } from './neighbourSmoothing';
import { seededRandom } from '../random/seededRandom';
import { nearest, sphericalKmeans } from './sphericalKmeans';
import { nonZeroEntries, normalizeDense, sparseDot, type SparseVector } from './sparseVector';
import { ctfidfLabels, type TopicLabel } from './topicLabels';

export interface BuiltLeaf extends TopicLabel {
  /** Mean of the members' (unsmoothed) vectors, unit length: what categorization compares records with. */
  readonly centroid: Float32Array;
  readonly members: number[];
}

export interface BuiltTopic extends TopicLabel {
  /** Empty when the top topic is a leaf itself (a group of one). */
  readonly children: BuiltLeaf[];
  /** Set for a top topic that is its own leaf. */
  readonly leaf?: BuiltLeaf;
}

export interface BuildOptions {
  /** Leaf topics in all; automatic when absent. */
  readonly leaves?: number;
  /** Top-level topics; automatic (best silhouette) when absent. */
  readonly top?: number;
  readonly seed?: number;
}

const MAX_AUTO_LEAVES = 60;
/** Larger datasets are clustered on a seeded sample of this size; every record is then placed by its nearest leaf. */
const CLUSTER_SAMPLE = 25_000;
const MAX_AUTO_TOP = 12;
const CENTROID_TERMS_FOR_TOP_LEVEL = 40;

/**
 * A 2-level topic hierarchy from embeddings. Leaves first: spherical k-means over the vectors smoothed with their
 * nearest neighbours. Then the top level: `ml-kmeans` (k-means++, fixed seed) over the leaf centroids, with the
 * number of top topics chosen by silhouette unless given. c-TF-IDF labels at both levels. Deterministic for the
 * same texts, vectors and seed, so names are stable across re-runs.
 */
export function buildTopics(texts: readonly string[], vectors: readonly SparseVector[], dimensions: number, options: BuildOptions = {}): BuiltTopic[] {
  const seed = options.seed ?? 42;
  const leafCount = Math.max(1, Math.min(vectors.length, options.leaves ?? autoLeafCount(vectors.length)));
  const sample = sampleIndexes(vectors.length, CLUSTER_SAMPLE, seed);
  const sampled = sample.map((i) => vectors[i]);
  const clustering = sphericalKmeans(smoothWithNeighbours(sampled, dimensions), dimensions, leafCount, { seed, restarts: 2 });
  let memberLists = groupMembers(clustering.assignments, leafCount).map((members) => members.map((j) => sample[j]));
  if (sample.length < vectors.length) {
    const sampleCentroids = memberLists
      .filter((members) => members.length > 0)
      .map((members) =>
        meanOf(
          members.map((i) => vectors[i]),
          dimensions,
        ),
      );
    memberLists = groupMembers(
      Int32Array.from(vectors, (vector) => nearest(vector, sampleCentroids)[0]),
      sampleCentroids.length,
    );
  }
  memberLists = memberLists.filter((members) => members.length > 0);
  const centroids = memberLists.map((members) =>
    meanOf(
      members.map((i) => vectors[i]),
      dimensions,
    ),
  );
  const groups = groupLeaves(centroids, options.top, seed);
  // Top topics are named first, so a leaf that would share its parent's name takes a further term instead.
  const topLabels = ctfidfLabels(groups.map((group) => group.flatMap((l) => memberLists[l].map((i) => texts[i]))));
  const names = new Set(topLabels.filter((_, t) => groups[t].length > 1).map((label) => label.name));
  const leafLabels = ctfidfLabels(
    memberLists.map((members) => members.map((i) => texts[i])),
    names,
  );
  const leaves: BuiltLeaf[] = memberLists.map((members, l) => ({ ...leafLabels[l], centroid: centroids[l], members }));
  const bySize = (a: { size: number; name: string }, b: { size: number; name: string }) => b.size - a.size || (a.name < b.name ? -1 : 1);
  return groups
    .map((group, t) => {
      const children = group
        .map((l) => leaves[l])
        .map((leaf) => ({ leaf, size: leaf.members.length, name: leaf.name }))
        .sort(bySize)
        .map((entry) => entry.leaf);
      const size = children.reduce((sum, leaf) => sum + leaf.members.length, 0);
      const topic: BuiltTopic = children.length === 1 ? { ...children[0], children: [], leaf: children[0] } : { ...topLabels[t], children };
      return { topic, size, name: topic.name };
    })
    .sort(bySize)
    .map((entry) => entry.topic);
}

/** About √(n/2) leaves, at least 2, at most 60: a few dozen records per leaf on small datasets. */
export function autoLeafCount(records: number): number {
  return Math.max(2, Math.min(MAX_AUTO_LEAVES, Math.round(Math.sqrt(records / 2))));
}

/** All indexes when n ≤ size, else a seeded sample of `size` of them, in ascending order. */
function sampleIndexes(n: number, size: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  const random = seededRandom(seed ^ 0x5bd1e995);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, size).sort((a, b) => a - b);
}

function groupMembers(assignments: ArrayLike<number>, k: number): number[][] {
  const groups: number[][] = Array.from({ length: k }, () => []);
  for (let index = 0; index < assignments.length; index++) groups[assignments[index]].push(index);
  return groups;
}

function meanOf(vectors: readonly SparseVector[], dimensions: number): Float32Array {
  const mean = new Float32Array(dimensions);
  for (const vector of vectors) for (let q = 0; q < vector.idx.length; q++) mean[vector.idx[q]] += vector.val[q];
  return normalizeDense(mean);
}

/** Groups leaves (by index) into top topics: ml-kmeans over the centroids' strongest terms. */
function groupLeaves(centroids: readonly Float32Array[], top: number | undefined, seed: number): number[][] {
  const n = centroids.length;
  if (n <= 2) return centroids.map((_, l) => [l]);
  const rows = compactRows(centroids);
  const cluster = (k: number) => (k >= n ? centroids.map((_, l) => l) : kmeans(rows, k, { initialization: 'kmeans++', seed, maxIterations: 40 }).clusters);
  let assignment: number[];
  if (top !== undefined) assignment = cluster(Math.max(1, Math.min(top, n)));
  else {
    let best = { score: -Infinity, assignment: [] as number[] };
    for (let k = 2; k <= Math.min(MAX_AUTO_TOP, n - 1); k++) {
      const candidate = cluster(k);
      const score = silhouette(centroids, candidate);
      if (score > best.score) best = { score, assignment: candidate };
    }
    assignment = best.assignment;
  }
  const groups = new Map<number, number[]>();
  assignment.forEach((group, l) => groups.set(group, [...(groups.get(group) ?? []), l]));
  return [...groups.keys()].sort((a, b) => a - b).map((group) => groups.get(group)!);
}

/** Dense rows over the union of each centroid's strongest terms (keeps ml-kmeans' rows short on big vocabularies). */
function compactRows(centroids: readonly Float32Array[]): number[][] {
  const terms = new Set<number>();
  for (const centroid of centroids) {
    const strongest = Array.from(centroid.keys())
      .filter((d) => centroid[d] > 0)
      .sort((a, b) => centroid[b] - centroid[a])
      .slice(0, CENTROID_TERMS_FOR_TOP_LEVEL);
    for (const d of strongest) terms.add(d);
  }
  const ids = [...terms].sort((a, b) => a - b);
  return centroids.map((centroid) => ids.map((d) => centroid[d]));
}

/** Mean silhouette with cosine distance; a singleton scores 0. */
function silhouette(centroids: readonly Float32Array[], assignment: readonly number[]): number {
  const asSparse = centroids.map(nonZeroEntries);
  const distance = (a: number, b: number) => 1 - sparseDot(asSparse[a], centroids[b]);
  let total = 0;
  for (let i = 0; i < centroids.length; i++) {
    const byGroup = new Map<number, { sum: number; count: number }>();
    for (let j = 0; j < centroids.length; j++) {
      if (j === i) continue;
      const entry = byGroup.get(assignment[j]) ?? { sum: 0, count: 0 };
      entry.sum += distance(i, j);
      entry.count++;
      byGroup.set(assignment[j], entry);
    }
    const own = byGroup.get(assignment[i]);
    if (!own) continue;
    const a = own.sum / own.count;
    const b = Math.min(...[...byGroup].filter(([group]) => group !== assignment[i]).map(([, entry]) => entry.sum / entry.count));
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  }
  return total / centroids.length;
}
