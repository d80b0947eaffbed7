// `npm run -s bench:topics-scale`: speed of step 2 at scale. 100,000 one-turn records built from the real CLINC150
// and BANKING77 utterances (each with a short realistic context line, so every record is distinct), then
// `rft topics --json` end to end (embed, cluster, label, categorize) in a child process with its peak RSS; then
// 10,000 records appended and `rft categorize --json` (only they are placed). Prints one JSON object.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI_WITH_RSS, root, runNode } from './childRun.mjs';

const PUBLIC = process.env.RFT_PUBLIC_DATA ?? path.resolve(root, '../shared/data/public');
const RECORDS = Number(process.env.RFT_BENCH_RECORDS ?? 100_000);
const APPENDED = 10_000;

const clinc = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'clinc150_data_full.json'), 'utf8'));
const banking = fs
  .readFileSync(path.join(PUBLIC, 'banking77_test.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.slice(0, line.lastIndexOf(',')).replace(/^"|"$/g, ''));
const utterances = [...[...clinc.train, ...clinc.val, ...clinc.test].map((row) => row[0]), ...banking];
const contexts = ['', 'I am on the mobile app. ', 'Quick question: ', 'Asking for my team: ', 'Following up on my last message, ', 'Hello there. ', 'Sorry to bother you, ', 'This is urgent: '];
const recordAt = (i) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      {
        role: 'user',
        content: `${contexts[Math.floor(i / utterances.length) % contexts.length]}${utterances[i % utterances.length]}${i >= utterances.length * contexts.length ? ` (case ${i})` : ''}`,
      },
    ],
  });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-bench-topics-'));
try {
  fs.writeFileSync(path.join(dir, 'rft.json'), JSON.stringify({ name: 'bench-topics' }));
  fs.writeFileSync(path.join(dir, 'records.jsonl'), Array.from({ length: RECORDS }, (_, i) => recordAt(i)).join('\n') + '\n');
  const topics = await runNode(['-e', CLI_WITH_RSS, 'topics', dir, '--json']);
  const topicsResult = JSON.parse(topics.stdout);
  fs.appendFileSync(path.join(dir, 'records.jsonl'), Array.from({ length: APPENDED }, (_, i) => recordAt(RECORDS + i)).join('\n') + '\n');
  const categorize = await runNode(['-e', CLI_WITH_RSS, 'categorize', dir, '--json']);
  const categorizeResult = JSON.parse(categorize.stdout);
  const result = {
    records: RECORDS,
    topics: {
      seconds: Math.round(topics.seconds * 10) / 10,
      peakRssMb: topics.peakRssMb,
      leaves: topicsResult.leaves,
      top: topicsResult.topics,
      categorized: topicsResult.categorized,
      lowConfidence: topicsResult.lowConfidence,
    },
    appendThenCategorize: {
      appended: APPENDED,
      seconds: Math.round(categorize.seconds * 10) / 10,
      peakRssMb: categorize.peakRssMb,
      placed: categorizeResult.placed,
      categorized: categorizeResult.categorized,
    },
    targets: { topicsSeconds: '<= 120', peakRssMb: '<= 1536', appendSeconds: '<= 10' },
  };
  result.pass = { topics: result.topics.seconds <= 120, rss: result.topics.peakRssMb <= 1536, append: result.appendThenCategorize.seconds <= 10 };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
