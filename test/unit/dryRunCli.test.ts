import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rftProcess, runRftAsync } from '../support/runRft';
import { useOpenAiTestServer } from '../support/openaiServer';
import { useTempDir } from '../support/tempDir';
import { makeDataset, recordsByTopic } from './dryRunSupport';

const userOf = (body: unknown) => String([...(body as { messages: { role: string; content: unknown }[] }).messages].reverse().find((m) => m.role === 'user')?.content ?? '');

describe('rft dry-run (child process)', function () {
  this.timeout(60_000);
  const dir = useTempDir();
  const testServer = useOpenAiTestServer();
  const env = (extra: NodeJS.ProcessEnv = {}) => ({ PATH: process.env.PATH, OPENAI_API_KEY: testServer().apiKey, OPENAI_BASE_URL: testServer().baseURL, ...extra });

  it('--json prints the one object of the contract; GO exits 0, NO-GO 1; the estimate comes first (unknown price)', async () => {
    const ds = path.join(dir(), 'json');
    await makeDataset(
      ds,
      recordsByTopic([
        ['billing/refunds', 6],
        ['api/auth', 6],
      ]),
    );
    testServer().onChat((request) => ({ content: /billing/.test(userOf(request)) ? '0.8' : '0.3' }));
    const run = await runRftAsync(['dry-run', ds, '--n', '8', '--model', 'base-model', '--seed', '5', '--json'], { env: env() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^Estimate: 8 answers from base-model, ~[\d,]+ tokens .*unknown price for base-model/);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(out), [
      'decision',
      'n',
      'scored',
      'errors',
      'mean',
      'std',
      'min',
      'max',
      'p10',
      'p50',
      'p90',
      'shareAboveZero',
      'shareOne',
      'histogram',
      'zeroVarianceShare',
      'byTopic',
      'reasons',
      'diagnosis',
      'run',
    ]);
    assert.equal(out.decision, 'GO');
    assert.deepEqual([out.n, out.scored, out.errors], [8, 8, 0]);
    assert.deepEqual(out.byTopic, [
      { topic: 'api/auth', n: 4, mean: 0.3 },
      { topic: 'billing/refunds', n: 4, mean: 0.8 },
    ]);
    assert.ok(Math.abs(out.mean - 0.55) < 1e-12 && Math.abs(out.std - 0.25) < 1e-12);
    assert.deepEqual(out.histogram, [0, 0, 0, 4, 0, 0, 0, 0, 4, 0]);
    assert.equal(out.zeroVarianceShare, null);
    assert.ok(fs.existsSync(out.run) && out.run.startsWith(path.join(ds, '.rft', 'runs')));
    assert.equal(out.reasons.length, 3);
    testServer().onChat(() => ({ content: '0' }));
    const nogo = await runRftAsync(['dry-run', ds, '--n', '4', '--model', 'gpt-4o-mini', '--samples-per-prompt', '2', '--json'], { env: env() });
    assert.equal(nogo.code, 1, nogo.stderr);
    assert.match(nogo.stderr, /Estimate: 8 answers from gpt-4o-mini, .*~\$\d/);
    const bad = JSON.parse(nogo.stdout);
    assert.equal(bad.decision, 'NO-GO');
    assert.equal(bad.zeroVarianceShare, 1);
    assert.match(bad.diagnosis.join('\n'), /add reference answers/);
    const human = await runRftAsync(['dry-run', ds, '--n', '4', '--model', 'm'], { env: env() });
    assert.equal(human.code, 1);
    assert.match(human.stdout, /🔴 NO-GO · mean 0\.00 · std 0\.00 · 4 samples/);
  });

  it('exit 2 with one line naming the fix: no grader, no model, no provider, bad flags', async () => {
    const ds = path.join(dir(), 'errors');
    await makeDataset(ds, recordsByTopic([['a/b', 3]]), null);
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['dry-run', ds, '--model', 'm'], env(), /has no grader\.json: create one with rft grader init/],
      [['dry-run', ds], env({ OPENAI_API_KEY: testServer().apiKey }), /needs a base model: pass --model/],
      [['dry-run', ds, '--model', 'm'], { PATH: process.env.PATH }, /needs a model provider: set OPENAI_API_KEY/],
      [['dry-run', ds, '--model', 'm', '--n', '0'], env(), /--n needs a whole number ≥ 1/],
      [['dry-run', ds, '--model', 'm', '--samples-per-prompt', 'x'], env(), /--samples-per-prompt needs a whole number/],
      [['dry-run', ds, '--model', 'm', '--bogus'], env(), /Unknown option '--bogus'/],
      [['dry-run'], env(), /needs exactly one <dataset folder>/],
    ];
    for (const [args, environment, message] of cases) {
      const run = await runRftAsync(args, { env: environment });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
    assert.equal(testServer().requests.length, 0);
  });

  it('resume after a kill mid-run: --resume finishes the run and does not ask the finished prompts again', async () => {
    const ds = path.join(dir(), 'kill');
    await makeDataset(
      ds,
      recordsByTopic([
        ['billing/refunds', 10],
        ['api/auth', 10],
      ]),
    );
    testServer().onChat((request) => ({ content: /billing/.test(userOf(request)) ? '0.9' : '0.2' }));
    testServer().setLatency(100);
    const child = spawn(process.execPath, rftProcess(['dry-run', ds, '--n', '20', '--model', 'base', '--json']), { env: env({ RFT_CONCURRENCY: '2' }), stdio: 'ignore' });
    const runs = path.join(ds, '.rft', 'runs');
    const sideFile = () => (fs.existsSync(runs) ? fs.readdirSync(runs).find((name) => name.endsWith('.samples.jsonl')) : undefined);
    const finishedLines = () => {
      const side = sideFile();
      return side
        ? fs
            .readFileSync(path.join(runs, side), 'utf8')
            .split('\n')
            .filter((line) => line.endsWith('}'))
        : [];
    };
    const deadline = Date.now() + 30_000;
    while (finishedLines().length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const finished = finishedLines().flatMap((line) => {
      try {
        return [JSON.parse(line).prompt as string];
      } catch {
        return [];
      }
    });
    assert.ok(finished.length >= 6 && finished.length < 20, `finished ${finished.length} before the kill`);
    const runFile = fs.readdirSync(runs).find((name) => name.endsWith('.json'))!;
    assert.equal(JSON.parse(fs.readFileSync(path.join(runs, runFile), 'utf8')).status, 'running', 'the killed run is still marked running');
    testServer().setLatency(0);
    const resumed = await runRftAsync(['dry-run', ds, '--resume', '--json'], { env: env() });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`Resuming .*${runFile}: ${finished.length} of 20 answers done`));
    const out = JSON.parse(resumed.stdout);
    assert.equal(out.run, path.join(runs, runFile));
    assert.deepEqual([out.n, out.scored, out.errors], [20, 20, 0]);
    const asked = new Map<string, number>();
    for (const request of testServer().requests) if (request.path === '/v1/chat/completions') asked.set(userOf(request.body), (asked.get(userOf(request.body)) ?? 0) + 1);
    assert.equal(asked.size, 20, 'every prompt asked');
    for (const prompt of finished) assert.equal(asked.get(prompt), 1, `${prompt} asked again`);
    assert.ok(
      fs.readdirSync(runs).every((name) => !name.endsWith('.samples.jsonl')),
      'the finished run holds every sample',
    );
    const final = JSON.parse(fs.readFileSync(out.run, 'utf8'));
    assert.equal(final.status, 'complete');
    assert.equal(final.samples.length, 20);
  });
});
