// `npm run demo` (scripts/demo.mjs) as a new user runs it: offline every step that can run does, and the figures it
// prints are the dataset's own (rft status --json, exports/); with OPENAI_BASE_URL set the model steps run too.
// Runs the built CLI (bin/rft.js → dist/cli.js): `npm run build` first (npm test does).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLabels } from '../../src/core/dataset/labels';
import { readTopicRecords } from '../../src/core/topics/datasetRecords';
import { generationAskOf } from '../support/generationScript';
import { useOpenAiTestServer, type ChatHandler } from '../support/openaiServer';
import { useTempDir } from '../support/tempDir';

const ROOT = path.resolve(__dirname, '..', '..');
const OFFLINE_STEPS = ['Health', 'Fix', 'Topics', 'Coverage', 'Grader', 'Grader self-check', 'Split', 'TRL bundle', 'verl bundle', 'Status'];
const MODEL_STEPS = ['Generation', 'Dry run', 'Training', 'Benchmark'];

interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The demo with only PATH and HOME from this environment (no OPENAI_*, no RFT_*), its copy under `tmp`. */
function runDemo(tmp: string, extraEnv: Record<string, string> = {}): Promise<DemoRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, TMPDIR: tmp, ...extraEnv };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.mjs')], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The output of one step: from its header to the next. */
function section(stdout: string, title: string): string {
  const start = stdout.search(new RegExp(`^\\[\\d+/\\d+\\] ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(needs a model\\))?$`, 'm'));
  assert.ok(start >= 0, `no "${title}" step in the demo's output:\n${stdout}`);
  const rest = stdout.slice(start);
  const next = rest.slice(1).search(/^\[\d+\/\d+\] /m);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

function figure(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  assert.ok(match, `${pattern} not found in:\n${text}`);
  return Number(match[1]);
}

function copyOf(stdout: string): string {
  const match = /^The copy is in (\S+) /m.exec(stdout);
  assert.ok(match, `the demo does not say where the copy is:\n${stdout}`);
  return match[1];
}

interface StatusJson {
  readonly health: { readonly total: number; readonly valid: number; readonly invalid: number };
  readonly steps: { readonly id: string; readonly status: string; readonly description: string }[];
  readonly summary: { readonly generated: { readonly count: number } };
}

function rftStatus(copy: string): StatusJson {
  const args = ['status', copy];
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'rft.js'), ...args, '--json'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  assert.ok(result.status === 0 || result.status === 1, `rft ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const lineCount = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length;

/** Generation replies drawn from the copy's own records of the asked topic, two joined per record (so none is a near-duplicate). */
function generationFromTopicRecords(datasetDir: () => string): ChatHandler {
  const asked = new Map<string, number>();
  return async (request) => {
    const ask = generationAskOf(request);
    if (!ask) return undefined;
    const index = asked.get(ask.topic) ?? 0;
    asked.set(ask.topic, index + 1);
    const dir = datasetDir();
    const { labels } = await readLabels(dir);
    const texts = (await readTopicRecords(dir)).filter((record) => labels.get(record.key)?.topic === ask.topic).map((record) => record.text);
    const first = index * ask.count;
    const records = Array.from({ length: ask.count }, (_, i) => ({ messages: [{ role: 'user', content: `${texts[(first + i) % texts.length]} Also: ${texts[(first + i + 1) % texts.length]}` }] }));
    return { content: { records } };
  };
}

describe('npm run demo (scripts/demo.mjs)', function () {
  this.timeout(240_000);
  const tmp = useTempDir();
  const server = useOpenAiTestServer();

  before(function () {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });

  it('offline, runs every step that can, prints the model steps as commands, and its figures are the copy’s', async () => {
    const dir = path.join(tmp(), 'offline');
    fs.mkdirSync(dir, { recursive: true });
    const demo = await runDemo(dir);
    assert.equal(demo.code, 0, demo.stderr);
    for (const title of OFFLINE_STEPS) assert.doesNotMatch(section(demo.stdout, title), /not run|failed/, title);
    for (const title of MODEL_STEPS) {
      const text = section(demo.stdout, title);
      assert.match(text, /\$ OPENAI_BASE_URL=\S+ OPENAI_API_KEY=\S+ npx rft /, `${title} prints its command`);
      assert.match(text, /not run: set OPENAI_BASE_URL/, `${title} is not run offline`);
    }
    const copy = copyOf(demo.stdout);
    assert.ok(copy.startsWith(dir), `the copy ${copy} is in the temporary folder`);
    const status = rftStatus(copy);

    const health = section(demo.stdout, 'Health');
    assert.equal(figure(health, /(\d+) records · \d+ valid/), lineCount(path.join(ROOT, 'examples', 'assistant-support', 'records.jsonl')), 'the example as shipped');
    const fix = section(demo.stdout, 'Fix');
    assert.equal(figure(fix, /after: (\d+) records/), status.health.total);
    assert.equal(figure(fix, /after: \d+ records · (\d+) valid/), status.health.valid);
    assert.equal(figure(fix, /after: \d+ records · \d+ valid · (\d+) invalid/), status.health.invalid);
    assert.ok(figure(health, /· (\d+) invalid/) > status.health.invalid, 'the fix repaired records');
    assert.equal(lineCount(path.join(copy, 'records.jsonl')), figure(fix, /lines in, (\d+) out/));

    const statusSection = section(demo.stdout, 'Status');
    assert.equal(figure(statusSection, /Health (\d+) valid/), status.health.valid);
    assert.equal(figure(statusSection, /Health \d+ valid · (\d+) invalid/), status.health.invalid);
    for (const step of status.steps) assert.ok(statusSection.includes(`${step.id.padEnd(9)} ${step.status.padEnd(10)} ${step.description}`), `status step ${step.id}`);

    const topicsFile = JSON.parse(fs.readFileSync(path.join(copy, 'topics.json'), 'utf8'));
    const leaves = figure(section(demo.stdout, 'Topics'), /· (\d+) leaves/);
    assert.equal(leaves, 8);
    assert.equal(figure(section(demo.stdout, 'Topics'), /^ {2}(\d+) topics/m), topicsFile.topics.length);
    assert.match(status.steps.find((step) => step.id === 'topics')?.description ?? '', new RegExp(`^${leaves} topics`));
    const coverage = section(demo.stdout, 'Coverage');
    assert.equal(coverage.split('\n').filter((line) => / %/.test(line)).length, leaves, 'one coverage line per leaf');

    const split = section(demo.stdout, 'Split');
    const splitFile = JSON.parse(fs.readFileSync(path.join(copy, 'exports', 'split.json'), 'utf8'));
    const train = figure(split, /(\d+) train/);
    const valid = figure(split, /(\d+) valid/);
    assert.equal(lineCount(path.join(copy, 'exports', 'train.jsonl')), train);
    assert.equal(lineCount(path.join(copy, 'exports', 'valid.jsonl')), valid);
    assert.deepEqual([splitFile.train, splitFile.valid], [train, valid], 'split.json records the same split');
    assert.equal(train + valid, status.health.valid, 'every valid record is in the split');

    for (const [title, bundle] of [
      ['TRL bundle', 'trl'],
      ['verl bundle', 'verl'],
    ] as const) {
      const text = section(demo.stdout, title);
      const listed = /exports\/\w+\/: (.+)$/m.exec(text)?.[1].split(', ') ?? [];
      assert.deepEqual(listed, fs.readdirSync(path.join(copy, 'exports', bundle)).sort(), `${bundle} files`);
      assert.ok(listed.includes('reward.py') && listed.includes('launch.sh'), `${bundle} has its reward and launcher`);
      assert.match(text, /--force: no GO dry run yet/, 'the gate is passed by hand, and said so');
    }
    assert.match(demo.stdout, /Grader self-check\n.*\n {2}verdict ok · references 1\.000/);
    assert.ok(fs.existsSync(path.join(copy, 'grader.json')));
    const runs = path.join(copy, '.rft', 'runs');
    assert.deepEqual(fs.existsSync(runs) ? fs.readdirSync(runs).filter((name) => name.startsWith('dryrun-')) : [], [], 'no dry run offline');
  });

  it('with OPENAI_BASE_URL, runs generation and the dry run against the server, and still only prints training', async () => {
    const dir = path.join(tmp(), 'online');
    fs.mkdirSync(dir, { recursive: true });
    const copy = () =>
      path.join(
        dir,
        fs.readdirSync(dir).find((name) => name.startsWith('rft-demo-'))!,
        'assistant-support',
      );
    server().onChat(generationFromTopicRecords(copy));
    const demo = await runDemo(dir, { OPENAI_BASE_URL: server().baseURL, OPENAI_API_KEY: 'test-key' });
    assert.equal(demo.code, 0, demo.stderr);
    assert.equal(copyOf(demo.stdout), copy());

    const generation = section(demo.stdout, 'Generation');
    const asks = server().requests.filter((request) => request.path === '/v1/chat/completions' && /Records to write: \d+/.test(JSON.stringify(request.body)));
    assert.ok(asks.length > 0, 'generation asked the server');
    const written = figure(generation, /^ {2}(\d+) of \d+ records written/m);
    assert.ok(written > 0, `records landed:\n${generation}`);
    assert.equal(lineCount(path.join(copy(), 'generated.jsonl')), written);

    const dryRun = section(demo.stdout, 'Dry run');
    const runFile = /→ (\.rft\/runs\/dryrun-\S+\.json)/.exec(dryRun)?.[1];
    assert.ok(runFile, `the dry run names its run file:\n${dryRun}`);
    const run = JSON.parse(fs.readFileSync(path.join(copy(), runFile), 'utf8'));
    assert.ok(dryRun.includes(`${run.decision} · mean`), 'the printed decision is the run’s');

    assert.match(section(demo.stdout, 'Training'), /not run: a hosted training job costs money/);
    assert.match(section(demo.stdout, 'Benchmark'), /not run: it compares a tuned model/);
    const status = rftStatus(copy());
    assert.equal(status.summary.generated.count, written, 'status counts the generated records');
  });
});
