// `npm run -s bench:extract`: extraction from a ≥ 500 MB LiteLLM log (MB/s, peak RSS, RSS on a quarter-size
// log to show it stays flat), and the model client layer against the local test server with 200 ms latency
// and concurrency 32 (sustained requests/s against the 160/s bound). Prints one JSON object.
import { CLI_WITH_RSS, root, runNode } from './childRun.mjs';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dataDir = path.join(root, 'bench', '.data');
const big = path.join(dataDir, 'litellm-bench.jsonl');
const quarter = path.join(dataDir, 'litellm-bench-quarter.jsonl');
const MiB = 2 ** 20;
const TARGET_BYTES = 520 * MiB;
const log = (text) => process.stderr.write(`${text}\n`);
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** LiteLLM StandardLoggingPayload lines built from the fixture's shape, each with its own prompt and ids. */
async function generate() {
  if (fs.existsSync(big) && fs.statSync(big).size >= TARGET_BYTES && fs.existsSync(quarter)) return;
  fs.mkdirSync(dataDir, { recursive: true });
  const template = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/traces/litellm.jsonl'), 'utf8').split('\n')[0]);
  const topics = ['invoice', 'refund', 'shipping to Iceland', 'SSO login', 'API rate limits', 'CSV export', 'a broken dashboard', 'plan pricing'];
  const out = fs.createWriteStream(big);
  let bytes = 0;
  for (let i = 0; bytes < TARGET_BYTES; i++) {
    const line = JSON.stringify({
      ...template,
      id: `chatcmpl-bench-${i}`,
      trace_id: `trace-${i >> 2}`,
      startTime: 1761955200 + i * 3.7,
      model: i % 5 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
      messages: [
        template.messages[0],
        {
          role: 'user',
          content: `Customer ${i % 9973} asks (ticket ${i}): what about ${topics[i % topics.length]}? We are on the ${['Free', 'Team', 'Business'][i % 3]} plan and it has been ${i % 48} hours.`,
        },
      ],
    });
    bytes += line.length + 1;
    if (!out.write(`${line}\n`)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
  const text = fs.createReadStream(big, { end: TARGET_BYTES / 4 });
  const q = fs.createWriteStream(quarter);
  let carry = '';
  for await (const chunk of text) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop();
    q.write(lines.map((l) => `${l}\n`).join(''));
  }
  await new Promise((resolve) => q.end(resolve));
}

async function extract(file) {
  const into = fs.mkdtempSync(path.join(dataDir, 'extract-ds-'));
  try {
    const run = await runNode(['-e', CLI_WITH_RSS, 'extract', '--from', 'litellm', '--file', file, '--into', into, '--json']);
    return { ...run, report: JSON.parse(run.stdout) };
  } finally {
    fs.rmSync(into, { recursive: true, force: true });
  }
}

await generate();
const mb = fs.statSync(big).size / MiB;
log(`extracting ${round(mb)} MiB ...`);
const full = await extract(big);
log(`  ${round(full.seconds, 2)} s, peak RSS ${full.peakRssMb} MiB`);
const small = await extract(quarter);
log('client layer: 200 ms latency, concurrency 32 ...');
const client = JSON.parse((await runNode(['--import', 'tsx', path.join(root, 'bench', 'clientThroughput.mts')])).stdout);

process.stdout.write(
  `${JSON.stringify(
    {
      units: 'MB = MiB',
      extract: {
        mb: round(mb),
        seconds: round(full.seconds, 2),
        mbPerSec: round(mb / full.seconds),
        peakRssMb: full.peakRssMb,
        peakRssQuarterMb: small.peakRssMb,
        read: full.report.read,
        written: full.report.written,
        duplicates: full.report.duplicates,
      },
      client,
      pass: { clientThroughput: client.ratio >= 0.9 },
    },
    null,
    2,
  )}\n`,
);
