// `npm run -s bench:topics`: topic quality with the offline local embedder on real labelled data — NMI between
// leaf topic and true intent on CLINC150 (--leaves 150, top level against its 10 domains) and BANKING77
// (--leaves 77) for seeds 1–5 (min / mean / max), the time taken — the confidence calibration: fitted on
// CLINC150, checked on BANKING77 (centroid placement), and for text-matched topics (intent names as hand-made
// topics) fitted on BANKING77, checked on CLINC150 — and how well names cover their topics: the share of a
// topic's records that contain a term of its name (BANKING77, and the example dataset with 8 leaves).
// Prints one JSON object.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTopics, type BuiltTopic } from '../src/core/topics/buildTopics';
import { CENTROID_CALIBRATION, DESCRIPTION_CALIBRATION } from '../src/core/topics/calibration';
import { LocalEmbedder, stem } from '../src/core/topics/localEmbedder';
import { normalizedMutualInformation } from '../src/core/topics/nmi';
import { denseOf } from '../src/core/topics/placement';
import { readTopicRecords } from '../src/core/topics/datasetRecords';
import { words } from '../src/core/topics/recordText';
import { sparseDot, type SparseVector } from '../src/core/topics/sparseVector';
import { checkCalibration, fitCalibration, type Observation } from './calibrationFit.mts';

const PUBLIC = process.env.RFT_PUBLIC_DATA ?? path.resolve(import.meta.dirname, '../../shared/data/public');
const EXAMPLE = path.resolve(import.meta.dirname, '../examples/assistant-support');
const SEEDS = [1, 2, 3, 4, 5];
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function leavesOf(topics: readonly BuiltTopic[]) {
  return topics.flatMap((topic) =>
    topic.leaf ? [{ path: topic.name, leaf: topic.leaf, top: topic.name }] : topic.children.map((leaf) => ({ path: `${topic.name}/${leaf.name}`, leaf, top: topic.name })),
  );
}

/** Per topic (top and leaf), the share of its records with a word (stemmed) among the terms of its name. */
function nameCoverage(texts: readonly string[], topics: readonly BuiltTopic[]) {
  const stems = texts.map((text) => new Set(words(text).map((word) => stem(word.normalize('NFD').replace(/[^a-z0-9]/g, '')))));
  const named = topics.flatMap((topic) => [{ name: topic.name, members: topic.leaf ? topic.leaf.members : topic.children.flatMap((leaf) => leaf.members) }, ...topic.children]);
  const shares = named.map(({ name, members }) => {
    const terms = name.split('_').map(stem);
    return members.filter((i) => terms.some((term) => stems[i].has(term))).length / Math.max(1, members.length);
  });
  return { topics: shares.length, mean: round(shares.reduce((a, b) => a + b, 0) / shares.length), min: round(Math.min(...shares)) };
}

function summary(values: readonly number[]) {
  return { min: round(Math.min(...values)), mean: round(values.reduce((a, b) => a + b, 0) / values.length), max: round(Math.max(...values)) };
}

function evaluate(texts: string[], intents: string[], leaves: number, domains?: string[]) {
  const embedStarted = performance.now();
  const embedder = LocalEmbedder.fit(texts);
  const vectors = texts.map((text) => embedder.embed(text));
  const embedSeconds = (performance.now() - embedStarted) / 1000;
  const perSeed = SEEDS.map((seed) => {
    const started = performance.now();
    const topics = buildTopics(texts, vectors, embedder.dimensions, { leaves, seed });
    const seconds = embedSeconds + (performance.now() - started) / 1000;
    const builtLeaves = leavesOf(topics);
    const leafOf = new Array<string>(texts.length);
    const topOf = new Array<string>(texts.length);
    for (const { path: leafPath, leaf, top } of builtLeaves)
      for (const i of leaf.members) {
        leafOf[i] = leafPath;
        topOf[i] = top;
      }
    return { seed, topics, builtLeaves, seconds, nmiLeaf: normalizedMutualInformation(leafOf, intents), nmiTop: domains ? normalizedMutualInformation(topOf, domains) : undefined };
  });
  // Calibration data (first seed): place every record against the leaf centroids, as categorization does;
  // "correct" when its true intent is the majority intent of the leaf it lands in.
  const { builtLeaves, topics } = perSeed[0];
  const majority = builtLeaves.map(({ leaf }) => mostCommon(leaf.members.map((i) => intents[i])));
  const centroids = builtLeaves.map(({ leaf }) => leaf.centroid);
  const observations = vectors.map((vector, i) => observe(vector, centroids, (best) => majority[best] === intents[i]));
  const nmiLeaf = summary(perSeed.map((run) => run.nmiLeaf));
  return {
    result: {
      records: texts.length,
      leaves: builtLeaves.length,
      top: topics.length,
      nmiLeaf,
      nmiLeafBySeed: Object.fromEntries(perSeed.map((run) => [run.seed, round(run.nmiLeaf)])),
      ...(domains ? { nmiTop: summary(perSeed.map((run) => run.nmiTop!)) } : {}),
      seconds: summary(perSeed.map((run) => run.seconds)),
      nameCoverage: nameCoverage(texts, topics),
    },
    observations,
    embedder,
    vectors,
  };
}

function observe(vector: SparseVector, targets: readonly Float32Array[], isCorrect: (best: number) => boolean): Observation {
  let best = 0;
  let first = -Infinity;
  let second = 0;
  targets.forEach((target, t) => {
    const similarity = sparseDot(vector, target);
    if (similarity > first) {
      second = Math.max(0, first);
      first = similarity;
      best = t;
    } else if (similarity > second) second = similarity;
  });
  return { best: first, second, correct: isCorrect(best) };
}

/** Intent names as hand-made topics ("card_arrival" → "card arrival"), records matched by the topics' text. */
function textObservations(embedder: LocalEmbedder, vectors: readonly SparseVector[], intents: readonly string[]): Observation[] {
  const names = [...new Set(intents)].sort();
  const targets = names.map((name) => denseOf(embedder.embed(name.replace(/[_-]+/g, ' ')), embedder.dimensions));
  return vectors.map((vector, i) => observe(vector, targets, (best) => names[best] === intents[i]));
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

const clinc = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'clinc150_data_full.json'), 'utf8')) as Record<string, [string, string][]>;
const domainOf = new Map<string, string>();
for (const [domain, intents] of Object.entries(JSON.parse(fs.readFileSync(path.join(PUBLIC, 'clinc150_domains.json'), 'utf8')) as Record<string, string[]>))
  for (const intent of intents) domainOf.set(intent, domain);
const clincRows = [...clinc.train, ...clinc.val, ...clinc.test];
const clincIntents = clincRows.map((r) => r[1]);
const clincRun = evaluate(
  clincRows.map((r) => r[0]),
  clincIntents,
  150,
  clincRows.map((r) => domainOf.get(r[1]) ?? 'unknown'),
);

const bankingRows = fs
  .readFileSync(path.join(PUBLIC, 'banking77_test.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const at = line.lastIndexOf(',');
    return [line.slice(0, at).replace(/^"|"$/g, '').replace(/""/g, '"'), line.slice(at + 1)] as const;
  });
const bankingIntents = bankingRows.map((r) => r[1]);
const bankingRun = evaluate(
  bankingRows.map((r) => r[0]),
  bankingIntents,
  77,
);

const clincText = textObservations(clincRun.embedder, clincRun.vectors, clincIntents);
const bankingText = textObservations(bankingRun.embedder, bankingRun.vectors, bankingIntents);
const calibration = {
  centroids: {
    inUse: CENTROID_CALIBRATION,
    fittedOnClinc: fitCalibration(clincRun.observations),
    clinc: checkCalibration(clincRun.observations, CENTROID_CALIBRATION),
    banking: checkCalibration(bankingRun.observations, CENTROID_CALIBRATION),
  },
  topicText: {
    inUse: DESCRIPTION_CALIBRATION,
    fittedOnBanking: fitCalibration(bankingText),
    banking: checkCalibration(bankingText, DESCRIPTION_CALIBRATION),
    clinc: checkCalibration(clincText, DESCRIPTION_CALIBRATION),
  },
};

// The example's valid records, as `rft topics` reads them (from a copy: reading may write the health cache).
const exampleCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-bench-topics-'));
fs.cpSync(EXAMPLE, exampleCopy, { recursive: true });
const exampleTexts = (await readTopicRecords(exampleCopy)).map((record) => record.text);
fs.rmSync(exampleCopy, { recursive: true, force: true });
const exampleEmbedder = LocalEmbedder.fit(exampleTexts);
const exampleTopics = buildTopics(
  exampleTexts,
  exampleTexts.map((text) => exampleEmbedder.embed(text)),
  exampleEmbedder.dimensions,
  { leaves: 8 },
);
const example = {
  records: exampleTexts.length,
  nameCoverage: nameCoverage(exampleTexts, exampleTopics),
  names: exampleTopics.map((topic) => (topic.leaf ? topic.name : `${topic.name}: ${topic.children.map((leaf) => leaf.name).join(', ')}`)),
};

process.stdout.write(
  `${JSON.stringify({ embedder: 'local', seeds: SEEDS, clinc150: clincRun.result, banking77: bankingRun.result, example, calibration, targets: { clincNmiLeaf: '>= 0.75 every seed', bankingNmiLeaf: '>= 0.66 every seed' }, pass: { clinc: clincRun.result.nmiLeaf.min >= 0.75, banking: bankingRun.result.nmiLeaf.min >= 0.66 } }, null, 2)}\n`,
);
