import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchmarkReport, listBenchmarks, MIN_VERDICT_PAIRS, pairedBootstrap, runBenchmark, verdictOf, type BenchmarkPair } from '../../src/core/deploy';
import { ModelClient } from '../../src/core/llm/modelClient';
import { useOpenAiTestServer } from '../support/openaiServer';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { makeDataset, recordsByTopic } from './dryRunSupport';

/** Every one of the n^n equally likely resamples of `d`: the exact bootstrap distribution of the mean, sorted. */
function exactBootstrapMeans(d: number[]): number[] {
  const n = d.length;
  const out: number[] = [];
  const walk = (depth: number, sum: number) => (depth === n ? out.push(sum / n) : d.forEach((x) => walk(depth + 1, sum + x)));
  walk(0, 0);
  return out.sort((a, b) => a - b);
}

describe('benchmark: paired bootstrap', () => {
  it('n = 3: the seeded percentile interval lands on the atoms the exact enumeration of all 27 resamples gives', () => {
    const base = [0.5, 0.2, 0.4];
    const tuned = [0.5, 0.5, 1.3];
    const differences = tuned.map((t, i) => t - base[i]); // 0, 0.3, 0.9
    const exact = exactBootstrapMeans(differences);
    for (const level of [0.95, 0.8, 0.6]) {
      const alpha = (1 - level) / 2;
      // the exact quantiles; each must lie well inside an atom so B = 40,000 resamples hit it
      const at = (q: number) => exact[Math.floor(q * exact.length)];
      const lowAtom = at(alpha);
      const highAtom = at(1 - alpha);
      for (const q of [alpha, 1 - alpha]) {
        const value = at(q);
        const below = exact.filter((x) => x < value - 1e-12).length / 27;
        const upTo = exact.filter((x) => x <= value + 1e-12).length / 27;
        assert.ok(below < q - 0.01 && upTo > q + 0.01, `q ${q} is not inside an atom`);
      }
      const result = pairedBootstrap(base, tuned, { resamples: 40_000, seed: 7, level })!;
      assert.ok(Math.abs(result.ci[0] - lowAtom) < 1e-12, `low ${result.ci[0]} vs ${lowAtom}`);
      assert.ok(Math.abs(result.ci[1] - highAtom) < 1e-12, `high ${result.ci[1]} vs ${highAtom}`);
      assert.ok(Math.abs(result.delta - 0.4) < 1e-12);
    }
  });

  it('is seeded (same seed, same interval; another seed, another) and close to the normal interval for many pairs', () => {
    const n = 400;
    const base = Array.from({ length: n }, (_, i) => ((i * 37) % 100) / 100);
    const tuned = base.map((b, i) => Math.min(1, b + (((i * 53) % 21) - 6) / 100));
    const a = pairedBootstrap(base, tuned, { seed: 3 })!;
    assert.deepEqual(pairedBootstrap(base, tuned, { seed: 3 }), a);
    assert.notDeepEqual(pairedBootstrap(base, tuned, { seed: 4 })!.ci, a.ci);
    const d = tuned.map((t, i) => t - base[i]);
    const mean = d.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
    const half = (1.96 * sd) / Math.sqrt(n);
    assert.ok(Math.abs(a.ci[0] - (mean - half)) < half * 0.1 && Math.abs(a.ci[1] - (mean + half)) < half * 0.1, JSON.stringify({ ci: a.ci, normal: [mean - half, mean + half] }));
    assert.equal(pairedBootstrap([], []), null);
    assert.throws(() => pairedBootstrap([1], [1, 2]), /1 base scores but 2 tuned/);
  });
});

const side = (score: number | null, error: string | null = null) => ({ response: score === null ? null : `answer ${score}`, score, sub_rewards: {}, details: {}, error });
const pair = (topic: string, base: number | null, tuned: number | null, line: number, error?: string): BenchmarkPair => ({
  key: `k${line}`,
  file: 'exports/valid.jsonl',
  line,
  topic,
  prompt: `p${line}`,
  base: side(base),
  tuned: side(tuned, error ?? null),
});

describe('benchmark: report', () => {
  it('verdicts by interval: below 0 regression, above 0 improvement, containing 0 no clear change (also when the mean fell)', () => {
    assert.equal(verdictOf([-0.3, -0.01], 20), 'regression');
    assert.equal(verdictOf([0.01, 0.2], 20), 'improvement');
    assert.equal(verdictOf([-0.2, 0.05], 20), 'no clear change');
    assert.equal(verdictOf(null, 0), 'no data');
    assert.equal(verdictOf([0.5, 0.5], 1), 'no clear change'); // one pair: a zero-width interval is no evidence
    assert.equal(verdictOf([-0.5, -0.2], MIN_VERDICT_PAIRS - 1), 'no clear change');
    assert.equal(verdictOf([-0.5, -0.2], MIN_VERDICT_PAIRS), 'regression');
    const pairs: BenchmarkPair[] = [];
    let line = 1;
    for (let i = 0; i < 20; i++) pairs.push(pair('billing/refunds', 0.4, 0.8, line++)); // up everywhere
    for (let i = 0; i < 20; i++) pairs.push(pair('api/auth', 0.9, 0.3 + (i % 2) * 0.1, line++)); // down everywhere
    for (let i = 0; i < 20; i++) pairs.push(pair('misc', 0.5, i % 2 ? 0.9 : 0.0, line++)); // mean fell (0.45), noisy
    pairs.push(pair('misc', 0.5, null, line++, 'model_server_error: 500'));
    const report = benchmarkReport(pairs, { resamples: 2000 });
    const topic = (name: string) => report.byTopic.find((t) => t.topic === name)!;
    assert.equal(topic('billing/refunds').verdict, 'improvement');
    assert.equal(topic('api/auth').verdict, 'regression');
    assert.ok(topic('misc').delta! < 0);
    assert.equal(topic('misc').verdict, 'no clear change');
    assert.deepEqual(report.regressions, ['api/auth']);
    assert.equal(topic('misc').n, 20, 'a pair with an error is left out of the figures');
    assert.deepEqual(report.errors, { pairs: 1, base: {}, tuned: { model_server_error: 1 } });
    assert.ok(Math.abs(topic('billing/refunds').relativeChange! - 1) < 1e-12, '0.4 → 0.8 is +100 %');
    assert.ok(Math.abs(report.overall.base! - (20 * 0.4 + 20 * 0.9 + 20 * 0.5) / 60) < 1e-12);
    assert.equal(report.samples.gains.length, 3);
    assert.ok(report.samples.gains.every((s) => s.delta > 0) && report.samples.losses.every((s) => s.delta < 0));
    assert.equal(report.samples.losses[0].delta, Math.min(...pairs.filter((p) => p.tuned.score !== null).map((p) => p.tuned.score! - p.base.score!)));
  });
});

describe('benchmark: base vs tuned through the local OpenAI-compatible server', function () {
  this.timeout(120_000);
  const dir = useTempDir();
  const testServer = useOpenAiTestServer();
  const client = () => new ModelClient({ kind: 'openai', apiKey: testServer().apiKey, baseURL: testServer().baseURL }, { concurrency: 8, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 } });
  const userOf = (request: { messages: readonly { role: string; content?: unknown }[] }) => String([...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '');
  // the base answers 0.3 everywhere; the tuned one 0.9 on billing and 0.1 on api (a regression there)
  const scripted = () => testServer().onChat((request) => ({ content: request.model === 'base' ? '0.3' : /billing/.test(userOf(request)) ? '0.9' : '0.1' }));

  it('answers the validation split with both models, pairs the scores, writes the run, flags the regression', async () => {
    const ds = path.join(dir(), 'main');
    await makeDataset(
      ds,
      recordsByTopic([
        ['billing/refunds', 8],
        ['api/auth', 8],
      ]),
    );
    // the split's validation file: 5 billing and 5 api records with their topics (MIN_VERDICT_PAIRS each)
    const records = fs
      .readFileSync(path.join(ds, 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const valid = [...records.slice(0, 5).map((r) => ({ ...r, metadata: { topic: 'billing/refunds' } })), ...records.slice(8, 13).map((r) => ({ ...r, metadata: { topic: 'api/auth' } }))];
    fs.mkdirSync(path.join(ds, 'exports'));
    fs.writeFileSync(path.join(ds, 'exports', 'valid.jsonl'), valid.map((r) => JSON.stringify(r)).join('\n') + '\n');
    scripted();
    testServer().fault({ path: '/chat/completions' }, { kind: 'status', status: 429, retryAfterMs: 1 }, 1);
    testServer().fault({ path: '/chat/completions' }, { kind: 'status', status: 500 }, 1);
    const result = await runBenchmark(ds, { client: client(), base: 'base', tuned: 'ft:base:acme::1', resamples: 2000 });
    const run = result.file;
    assert.match(path.basename(result.path), /^benchmark-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
    assert.equal(run.status, 'complete');
    assert.deepEqual(run.config.source, { kind: 'valid-split', file: path.join('exports', 'valid.jsonl') });
    assert.equal(run.pairs.length, 10);
    assert.deepEqual(
      run.pairs.map((p) => [p.base.score, p.tuned.score]),
      [...Array(5).fill([0.3, 0.9]), ...Array(5).fill([0.3, 0.1])],
      'the retried faults left no error',
    );
    const report = run.report!;
    assert.ok(Math.abs(report.overall.base! - 0.3) < 1e-12);
    assert.ok(Math.abs(report.overall.tuned! - (5 * 0.9 + 5 * 0.1) / 10) < 1e-12);
    assert.deepEqual(report.regressions, ['api/auth']);
    assert.equal(report.byTopic.find((t) => t.topic === 'billing/refunds')!.verdict, 'improvement');
    assert.equal(testServer().pendingFaults, 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(result.path, 'utf8')), run);
    const again = await runBenchmark(ds, { client: client(), base: 'base', tuned: 'ft:base:acme::1', resamples: 2000 });
    assert.notEqual(again.path, result.path, 'never overwritten');
    assert.deepEqual(
      (await listBenchmarks(ds)).map((r) => r.path),
      [again.path, result.path],
    );
  });

  it('a stopped benchmark keeps its pairs; --resume finishes it without asking the finished prompts again', async () => {
    const ds = path.join(dir(), 'resume');
    await makeDataset(
      ds,
      recordsByTopic([
        ['billing/refunds', 6],
        ['api/auth', 4],
      ]),
    );
    scripted();
    const controller = new AbortController();
    const stopped = await runBenchmark(ds, {
      client: client(),
      base: 'base',
      tuned: 'ft:1',
      concurrency: 1,
      resamples: 500,
      signal: controller.signal,
      onProgress: (event) => event.type === 'pair' && event.done === 3 && controller.abort(),
    });
    assert.equal(stopped.file.status, 'cancelled');
    assert.equal(stopped.file.pairs.length, 3);
    assert.equal(stopped.file.report, null);
    const asked = testServer().requests.filter((r) => r.path === '/v1/chat/completions').length;
    const resumed = await runBenchmark(ds, { client: client(), resume: true, concurrency: 2 });
    assert.equal(resumed.path, stopped.path);
    assert.equal(resumed.file.status, 'complete');
    assert.equal(resumed.file.pairs.length, 10);
    assert.equal(testServer().requests.filter((r) => r.path === '/v1/chat/completions').length - asked, 2 * 7, 'only the 7 unfinished prompts, by both models');
    assert.equal(fs.existsSync(stopped.path.replace(/\.json$/, '.samples.jsonl')), false);
    await assert.rejects(runBenchmark(ds, { client: client(), resume: true }), /no unfinished benchmark/);
  });

  it('rft benchmark with every call failing exits 1 and names the failure; with some failing it says how many', async () => {
    const ds = path.join(dir(), 'failing');
    await makeDataset(
      ds,
      recordsByTopic([
        ['billing/refunds', 3],
        ['api/auth', 3],
      ]),
    );
    scripted();
    const env = { ...process.env, OPENAI_API_KEY: testServer().apiKey, OPENAI_BASE_URL: testServer().baseURL, RFT_CONCURRENCY: '4' };
    testServer().fault({ path: '/chat/completions' }, { kind: 'status', status: 404, message: 'no such deployment' }, 1000);
    const failed = await runRftAsync(['benchmark', ds, '--base', 'base', '--tuned', 'ft:1', '--resamples', '100', '--json'], { env });
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /no prompt was answered and scored by both models \(6 of 6 failed; first: base: .*no such deployment\)/);
    assert.equal(JSON.parse(failed.stdout).n, 0);
    testServer().reset();
    scripted();
    testServer().fault({ path: '/chat/completions' }, { kind: 'status', status: 400, message: 'content policy' }, 2);
    const some = await runRftAsync(['benchmark', ds, '--base', 'base', '--tuned', 'ft:1', '--resamples', '100'], { env });
    assert.match(some.stderr, /warning: [12] of 6 prompts failed .*content policy/);
    assert.equal(some.code, 0, some.stderr);
  });

  it('rft benchmark --json: the contract; exit 1 with a regression, 0 without', async () => {
    const ds = path.join(dir(), 'cli');
    await makeDataset(
      ds,
      recordsByTopic([
        ['billing/refunds', 6],
        ['api/auth', 5],
      ]),
    );
    scripted();
    const env = { ...process.env, OPENAI_API_KEY: testServer().apiKey, OPENAI_BASE_URL: testServer().baseURL, RFT_CONCURRENCY: '4' };
    const regressed = await runRftAsync(['benchmark', ds, '--base', 'base', '--tuned', 'ft:1', '--resamples', '1000', '--json'], { env });
    assert.equal(regressed.code, 1, regressed.stderr);
    const out = JSON.parse(regressed.stdout);
    assert.deepEqual(
      Object.keys(out)
        .filter((k) => ['base', 'tuned', 'delta', 'ci', 'byTopic', 'run'].includes(k))
        .sort(),
      ['base', 'byTopic', 'ci', 'delta', 'run', 'tuned'],
    );
    assert.ok(Math.abs(out.base.mean - 0.3) < 1e-12);
    assert.deepEqual(
      out.byTopic.map((t: { topic: string; n: number; regression: boolean }) => [t.topic, t.n, t.regression]),
      [
        ['api/auth', 5, true],
        ['billing/refunds', 6, false],
      ],
    );
    assert.equal(out.byTopic[0].ci.length, 2);
    assert.ok(fs.existsSync(out.run));
    testServer().onChat((request) => ({ content: request.model === 'base' ? '0.3' : '0.8' }));
    const improved = await runRftAsync(['benchmark', ds, '--base', 'base', '--tuned', 'ft:1', '--resamples', '1000', '--json'], { env });
    assert.equal(improved.code, 0, improved.stderr);
    assert.ok(JSON.parse(improved.stdout).ci[0] > 0);
    const usage = await runRftAsync(['benchmark', ds, '--tuned', 'ft:1'], { env });
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--base/);
  });
});
