// `npm run -s bench:topics`: topic quality with the offline local embedder on real labelled data — NMI between
// leaf topic and true intent on CLINC150 (--leaves 150, top level against its 10 domains) and BANKING77
// (--leaves 77), the time taken — and the confidence calibration: fitted on CLINC150, checked on BANKING77
// (centroid placement), and for text-matched topics (intent names as hand-made topics) fitted on BANKING77,
// checked on CLINC150. Prints one JSON object.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTopics } from '../src/core/topics/buildTopics';
import { CENTROID_CALIBRATION, DESCRIPTION_CALIBRATION } from '../src/core/topics/calibration';
import { LocalEmbedder } from '../src/core/topics/localEmbedder';
import { normalizedMutualInformation } from '../src/core/topics/nmi';
import { denseOf } from '../src/core/topics/placement';
import { sparseDot, type SparseVector } from '../src/core/topics/sparseVector';
import { checkCalibration, fitCalibration, type Observation } from './calibrationFit.mts';

const PUBLIC = process.env.RFT_PUBLIC_DATA ?? path.resolve(import.meta.dirname, '../../shared/data/public');
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function evaluate(texts: string[], intents: string[], leaves: number, domains?: string[]) {
  const started = performance.now();
  const embedder = LocalEmbedder.fit(texts);
  const vectors = texts.map((text) => embedder.embed(text));
  const topics = buildTopics(texts, vectors, embedder.dimensions, { leaves, seed: 42 });
  const seconds = (performance.now() - started) / 1000;
  const leafOf = new Array<string>(texts.length);
  const topOf = new Array<string>(texts.length);
  const builtLeaves = topics.flatMap((topic) => (topic.leaf ? [{ path: topic.name, leaf: topic.leaf, top: topic.name }] : topic.children.map((leaf) => ({ path: `${topic.name}/${leaf.name}`, leaf, top: topic.name }))));
  for (const { path: leafPath, leaf, top } of builtLeaves) for (const i of leaf.members) {
    leafOf[i] = leafPath;
    topOf[i] = top;
  }
  // Calibration data: place every record against the leaf centroids, as categorization does; "correct" when its
  // true intent is the majority intent of the leaf it lands in.
  const majority = builtLeaves.map(({ leaf }) => mostCommon(leaf.members.map((i) => intents[i])));
  const centroids = builtLeaves.map(({ leaf }) => leaf.centroid);
  const observations = vectors.map((vector, i) => observe(vector, centroids, (best) => majority[best] === intents[i]));
  return {
    result: {
      records: texts.length,
      leaves: builtLeaves.length,
      top: topics.length,
      nmiLeaf: round(normalizedMutualInformation(leafOf, intents)),
      ...(domains ? { nmiTop: round(normalizedMutualInformation(topOf, domains)) } : {}),
      seconds: round(seconds, 1),
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
for (const [domain, intents] of Object.entries(JSON.parse(fs.readFileSync(path.join(PUBLIC, 'clinc150_domains.json'), 'utf8')) as Record<string, string[]>)) for (const intent of intents) domainOf.set(intent, domain);
const clincRows = [...clinc.train, ...clinc.val, ...clinc.test];
const clincIntents = clincRows.map((r) => r[1]);
const clincRun = evaluate(clincRows.map((r) => r[0]), clincIntents, 150, clincRows.map((r) => domainOf.get(r[1]) ?? 'unknown'));

const bankingRows = fs.readFileSync(path.join(PUBLIC, 'banking77_test.csv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const at = line.lastIndexOf(',');
  return [line.slice(0, at).replace(/^"|"$/g, '').replace(/""/g, '"'), line.slice(at + 1)] as const;
});
const bankingIntents = bankingRows.map((r) => r[1]);
const bankingRun = evaluate(bankingRows.map((r) => r[0]), bankingIntents, 77);

const clincText = textObservations(clincRun.embedder, clincRun.vectors, clincIntents);
const bankingText = textObservations(bankingRun.embedder, bankingRun.vectors, bankingIntents);
const calibration = {
  centroids: { inUse: CENTROID_CALIBRATION, fittedOnClinc: fitCalibration(clincRun.observations), clinc: checkCalibration(clincRun.observations, CENTROID_CALIBRATION), banking: checkCalibration(bankingRun.observations, CENTROID_CALIBRATION) },
  topicText: { inUse: DESCRIPTION_CALIBRATION, fittedOnBanking: fitCalibration(bankingText), banking: checkCalibration(bankingText, DESCRIPTION_CALIBRATION), clinc: checkCalibration(clincText, DESCRIPTION_CALIBRATION) },
};

process.stdout.write(
  `${JSON.stringify({ embedder: 'local', clinc150: clincRun.result, banking77: bankingRun.result, calibration, targets: { clincNmiLeaf: '>= 0.75', bankingNmiLeaf: '>= 0.66' }, pass: { clinc: clincRun.result.nmiLeaf >= 0.75, banking: bankingRun.result.nmiLeaf >= 0.66 } }, null, 2)}\n`,
);
