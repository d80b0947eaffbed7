// `npm run -s bench:topics`: topic quality with the offline local embedder on real labelled data — NMI between
// leaf topic and true intent on CLINC150 (--leaves 150, top level against its 10 domains) and BANKING77
// (--leaves 77) — and the time taken. Prints one JSON object.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTopics } from '../src/core/topics/buildTopics';
import { LocalEmbedder } from '../src/core/topics/localEmbedder';
import { normalizedMutualInformation } from '../src/core/topics/nmi';

const PUBLIC = process.env.RFT_PUBLIC_DATA ?? path.resolve(import.meta.dirname, '../../shared/data/public');

function evaluate(texts: string[], intents: string[], leaves: number, domains?: string[]) {
  const started = performance.now();
  const embedder = LocalEmbedder.fit(texts);
  const vectors = texts.map((text) => embedder.embed(text));
  const topics = buildTopics(texts, vectors, embedder.dimensions, { leaves, seed: 42 });
  const leafOf = new Array<string>(texts.length);
  const topOf = new Array<string>(texts.length);
  for (const topic of topics) for (const leaf of topic.leaf ? [topic.leaf] : topic.children) for (const i of leaf.members) {
    leafOf[i] = `${topic.name}/${leaf.name}`;
    topOf[i] = topic.name;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    records: texts.length,
    leaves: topics.reduce((sum, t) => sum + Math.max(1, t.children.length), 0),
    top: topics.length,
    nmiLeaf: round(normalizedMutualInformation(leafOf, intents)),
    ...(domains ? { nmiTop: round(normalizedMutualInformation(topOf, domains)) } : {}),
    seconds: round(seconds, 1),
  };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

const clinc = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'clinc150_data_full.json'), 'utf8')) as Record<string, [string, string][]>;
const domainOf = new Map<string, string>();
for (const [domain, intents] of Object.entries(JSON.parse(fs.readFileSync(path.join(PUBLIC, 'clinc150_domains.json'), 'utf8')) as Record<string, string[]>)) for (const intent of intents) domainOf.set(intent, domain);
const clincRows = [...clinc.train, ...clinc.val, ...clinc.test];
const clincResult = evaluate(clincRows.map((r) => r[0]), clincRows.map((r) => r[1]), 150, clincRows.map((r) => domainOf.get(r[1]) ?? 'unknown'));

const bankingRows = fs.readFileSync(path.join(PUBLIC, 'banking77_test.csv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const at = line.lastIndexOf(',');
  return [line.slice(0, at).replace(/^"|"$/g, '').replace(/""/g, '"'), line.slice(at + 1)] as const;
});
const bankingResult = evaluate(bankingRows.map((r) => r[0]), bankingRows.map((r) => r[1]), 77);

process.stdout.write(`${JSON.stringify({ embedder: 'local', clinc150: clincResult, banking77: bankingResult, targets: { clincNmiLeaf: '>= 0.75', bankingNmiLeaf: '>= 0.66' }, pass: { clinc: clincResult.nmiLeaf >= 0.75, banking: bankingResult.nmiLeaf >= 0.66 } }, null, 2)}\n`);
