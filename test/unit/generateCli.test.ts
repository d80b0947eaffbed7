import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main';
import { initDataset } from '../../src/core/dataset/initDataset';
import { readLabels } from '../../src/core/dataset/labels';
import { recordKey } from '../../src/core/validation/recordKey';
import { generationHandler } from '../support/generationScript';
import { useOpenAiTestServer } from '../support/openaiServer';
import { rftProcess, runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { generatedLines, generationDataset, userText } from './generateSupport';

const ROOT = path.resolve(__dirname, '..', '..');

describe('rft generate', function () {
  this.timeout(120_000);
  const temp = useTempDir();
  const server = useOpenAiTestServer();
  const env = (extra: NodeJS.ProcessEnv = {}) => ({ PATH: process.env.PATH, OPENAI_API_KEY: server().apiKey, OPENAI_BASE_URL: server().baseURL, ...extra });

  it('--json prints GenerateResult; exit 0 when the target landed, 1 when the budget stopped it; the same request again continues', async () => {
    const fixture = await generationDataset(temp());
    const flights = fixture.topicOf.book_flight;
    server().onChat(generationHandler({ pools: fixture.pools }));
    const stopped = await runRftAsync(['generate', fixture.dir, '--topic', flights, '--count', '8', '--max-requests', '1', '--json'], { env: env() });
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(stopped.stderr.split('\n')[0], /^Estimate: 8 records in ~3 requests to gpt-4o-mini, ~[\d,]+ tokens .*~\$[\d.]+ \(at a 60 % landed share\)$/);
    const first = JSON.parse(stopped.stdout);
    for (const key of ['requested', 'written', 'invalid', 'duplicates', 'nearDuplicates', 'offTarget', 'requests', 'tokens', 'byTopic', 'stopped']) assert.ok(key in first, key);
    assert.deepEqual([first.requested, first.written, first.requests, first.stopped], [8, 5, 1, 'budget']);
    assert.deepEqual(Object.keys(first.byTopic[0]).slice(0, 3), ['topic', 'requested', 'written']);
    assert.equal(first.byTopic[0].landedShare, 1);
    assert.match(first.reason, /request budget \(1\)/);

    const again = await runRftAsync(['generate', fixture.dir, '--topic', flights, '--count', '8', '--json'], { env: env() });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^Continuing the earlier run toward the same target: 5 of 8 already written, asking for the remaining 3\nEstimate: 3 records/);
    const second = JSON.parse(again.stdout);
    assert.deepEqual([second.requested, second.written, second.stopped], [3, 3, 'target']);
    assert.equal(generatedLines(fixture.dir).length, 8);
    assert.ok(generatedLines(fixture.dir).every((record) => fixture.pools[flights].includes(userText(record))));
  });

  it('without --json: the estimate first, progress per topic on stderr, then a table; --fill-gaps fills the coverage gap', async () => {
    const fixture = await generationDataset(temp());
    const flights = fixture.topicOf.book_flight;
    const dropped = new Set(fixture.existing[flights].slice(0, 12));
    const kept = fs
      .readFileSync(path.join(fixture.dir, 'records.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !dropped.has(userText(JSON.parse(line))));
    fs.writeFileSync(path.join(fixture.dir, 'records.jsonl'), `${kept.join('\n')}\n`);
    server().onChat(generationHandler({ pools: fixture.pools }));
    const run = await runRftAsync(['generate', fixture.dir, '--fill-gaps', '--model', 'my-model'], { env: env() });
    assert.equal(run.code, 0, run.stderr);
    const gap = Math.round(0.25 * 68 - 8);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], new RegExp(`^Estimate: ${gap} records in ~\\d+ requests to my-model, .*unknown price for my-model`));
    assert.match(lines[1], new RegExp(`^✓ ${gap} of ${gap} records written to generated.jsonl · \\d+ requests`));
    assert.match(run.stdout, new RegExp(`\\n  ${flights} +${gap} +${gap} +100 %`));
    assert.match(run.stderr, new RegExp(`^${flights}: 1/${gap} written \\(100 % landed, 0 near-duplicates\\)`));
    assert.equal(generatedLines(fixture.dir).length, gap);
    const balanced = await generationDataset(temp());
    const none = await runRftAsync(['generate', balanced.dir, '--fill-gaps', '--json'], { env: env() });
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual([JSON.parse(none.stdout).requested, JSON.parse(none.stdout).stopped], [0, 'target']);
    const text = await runRftAsync(['generate', balanced.dir, '--fill-gaps'], { env: env() });
    assert.equal(text.stdout, 'No gaps: every topic is at its target share; nothing to generate.\n');
  });

  it('Ctrl-C (SIGINT) mid-request: exit 1, stopped "cancelled", what landed is kept', async () => {
    const fixture = await generationDataset(temp());
    const flights = fixture.topicOf.book_flight;
    server().onChat(generationHandler({ pools: fixture.pools }));
    const child = spawn(process.execPath, rftProcess(['generate', fixture.dir, '--topic', flights, '--count', '9', '--json']), { cwd: ROOT, env: { ...env(), RFT_CONCURRENCY: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/5\/9 written/.test(stderr) && server().pendingFaults === 0) {
        server().fault({ path: '/chat/completions' }, { kind: 'hang' }); // the next request never answers…
        const asked = server().requests.length;
        const interrupt = setInterval(() => server().requests.length > asked && (clearInterval(interrupt), child.kill('SIGINT'))); // …and is interrupted
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1, stderr);
    const result = JSON.parse(stdout);
    assert.deepEqual([result.stopped, result.written, result.failedRequests], ['cancelled', 5, 0]);
    assert.equal(generatedLines(fixture.dir).length, 5);
  });

  it('kill -9 mid-run, then the same request: it continues from what landed in generated.jsonl (no overshoot) and labels every landed record', async () => {
    const fixture = await generationDataset(temp());
    const flights = fixture.topicOf.book_flight;
    server().onChat(generationHandler({ pools: fixture.pools }));
    const args = ['generate', fixture.dir, '--topic', flights, '--count', '9', '--json'];
    const child = spawn(process.execPath, rftProcess(args), { cwd: ROOT, env: { ...env(), RFT_CONCURRENCY: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/5\/9 written/.test(stderr) && server().pendingFaults === 0) {
        server().fault({ path: '/chat/completions' }, { kind: 'hang' });
        const asked = server().requests.length;
        const kill = setInterval(() => server().requests.length > asked && (clearInterval(kill), child.kill('SIGKILL')));
      }
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, killedBy) => resolve(killedBy)));
    assert.equal(signal, 'SIGKILL', stderr);
    assert.equal(generatedLines(fixture.dir).length, 5);
    // a kill between appending a record and saving its label (labels are saved once a second): drop the generated records' labels
    const labelsFile = path.join(fixture.dir, '.rft', 'labels.jsonl');
    const generatedKeys = new Set((await readLabels(fixture.dir)).labels.keys());
    for (const line of fs.readFileSync(path.join(fixture.dir, 'records.jsonl'), 'utf8').split('\n').filter(Boolean)) generatedKeys.delete(recordKey(JSON.parse(line) as Record<string, unknown>, line));
    assert.equal(generatedKeys.size, 5, 'the five landed records had labels');
    fs.writeFileSync(
      labelsFile,
      fs
        .readFileSync(labelsFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '' && !generatedKeys.has((JSON.parse(line) as { key: string }).key))
        .map((line) => `${line}\n`)
        .join(''),
    );

    const again = await runRftAsync(args, { env: env() });
    assert.equal(again.code, 0, again.stderr);
    const result = JSON.parse(again.stdout);
    assert.deepEqual([result.requested, result.written, result.stopped], [4, 4, 'target'], 'asks only for what is left of the 9');
    assert.equal(generatedLines(fixture.dir).length, 9, 'no overshoot');
    const { labels } = await readLabels(fixture.dir);
    for (const key of generatedKeys) assert.equal(labels.get(key)?.topic, flights, `landed record ${key} is labelled again`);
    assert.equal([...labels.values()].filter((label) => label.topic === flights).length, 9 + fixture.existing[flights].length);
  });

  it('exit 2 with one line naming the fix: no topics yet, an unknown topic, bad flags, no provider', async () => {
    const fixture = await generationDataset(temp());
    const bare = fs.mkdtempSync(path.join(temp(), 'bare-'));
    await initDataset(bare, { name: 'bare' });
    const provider = { OPENAI_API_KEY: server().apiKey, OPENAI_BASE_URL: server().baseURL };
    const cases: [string[], Record<string, string | undefined>, RegExp][] = [
      [['generate', bare, '--fill-gaps'], provider, /no topics yet: run `rft topics`/],
      [['generate', bare, '--topic', 'a/b', '--count', '2'], provider, /no topics yet: run `rft topics`/],
      [['generate', fixture.dir, '--topic', 'nope/none', '--count', '2'], provider, new RegExp(`unknown topic "nope/none"; the leaf topics are: .*${fixture.topicOf.calories}`)],
      [['generate', fixture.dir], provider, /either --fill-gaps or --topic/],
      [['generate', fixture.dir, '--fill-gaps', '--topic', 'a', '--count', '1'], provider, /either --fill-gaps or --topic/],
      [['generate', fixture.dir, '--topic', 'a'], provider, /--topic needs --count N/],
      [['generate', fixture.dir, '--topic', 'a', '--count', '0'], provider, /--count needs a whole number ≥ 1/],
      [['generate', fixture.dir, '--fill-gaps', '--strategy', 'magic'], provider, /--strategy must be one of few-shot, variations, description, tools/],
      [['generate', fixture.dir, '--fill-gaps'], { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined }, /needs a model provider: set OPENAI_API_KEY/],
      [['generate'], provider, /needs exactly one <dataset folder>/],
    ];
    for (const [args, environment, message] of cases) {
      const run = await inProcess(args, environment);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
    assert.equal(server().requests.length, 0);
    assert.ok(!fs.existsSync(path.join(fixture.dir, 'generated.jsonl')));
  });
});

/** `rft <args>` in this process (for the usage errors: no child process to start), with these environment variables. */
async function inProcess(args: string[], environment: Record<string, string | undefined>): Promise<{ code: number; stderr: string }> {
  const saved = Object.fromEntries(PROVIDER_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of PROVIDER_VARIABLES) delete process.env[name];
  for (const [name, value] of Object.entries(environment)) if (value !== undefined) process.env[name] = value;
  let stderr = '';
  try {
    const code = await runCli(args, { out: () => undefined, err: (text) => (stderr += text) });
    return { code, stderr };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const PROVIDER_VARIABLES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'RFT_MODEL'];
