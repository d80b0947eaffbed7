import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  allocate,
  compareRuns,
  computeStats,
  decide,
  diagnose,
  diagnoseItems,
  estimateDryRun,
  runStaleness,
  listRuns,
  readRun,
  runDryRun,
  stratifiedSample,
  topicStats,
  percentile,
  type DryRunSample,
  type DryRunStats,
  type DryRunProgress,
} from '../../src/core/dryrun';
import { ModelClient } from '../../src/core/llm/modelClient';
import { pipelineState } from '../../src/core/pipeline/pipelineState';
import { readDataset } from '../../src/core/pipeline/snapshot';
import { useOpenAiTestServer } from '../support/openaiServer';
import { useTempDir } from '../support/tempDir';
import { makeDataset, recordsByTopic } from './dryRunSupport';

const sample = (score: number | null, extra: Partial<DryRunSample> = {}): DryRunSample => ({
  key: 'k',
  file: 'records.jsonl',
  line: 1,
  topic: 't',
  prompt: 'p',
  sampleIndex: 0,
  response: String(score),
  score,
  sub_rewards: {},
  details: {},
  error: score === null ? 'other_error: x' : null,
  ...extra,
});
const statsOf = (scores: (number | null)[], k = 1) => computeStats({ samples: scores.map((s) => sample(s)), planned: scores.length, prompts: scores.length / k, samplesPerPrompt: k });
/** A stats object with the three table metrics set (everything else neutral). */
const tableStats = (mean: number, shareAboveZero: number, std: number, extra: Partial<DryRunStats> = {}): DryRunStats => ({ ...statsOf([0.5, 0.5]), mean, shareAboveZero, std, ...extra });
const userOf = (request: { messages: readonly { role: string; content?: unknown }[] }) => String([...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '');

describe('dry run: sampling', () => {
  it('allocates proportionally by largest remainder with a minimum of 3 per topic (hand-computed)', () => {
    // 60/30/10, n = 20: 3 each, then 11 over 57/27/7 → 6.89, 3.26, 0.85 → floors 6, 3, 0 and the two largest remainders get one more
    assert.deepEqual(allocate([60, 30, 10], 20), [10, 6, 4]);
    // a topic smaller than the minimum gives all it has
    assert.deepEqual(allocate([50, 2], 10), [8, 2]);
    // n below the minimums: one at a time, largest first
    assert.deepEqual(allocate([10, 8, 6, 4], 5), [2, 1, 1, 1]);
    const sizes = [97, 41, 13, 5, 1];
    for (const n of [5, 17, 40, 100, 150])
      assert.equal(
        allocate(sizes, n).reduce((a, b) => a + b, 0),
        n,
      );
  });

  it('is stratified, seeded and deterministic; unlabelled records are their own stratum; N ≥ dataset takes all', () => {
    const candidates = [
      ...Array.from({ length: 60 }, (_, i) => ({ key: `a${i}`, topic: 'billing/refunds' })),
      ...Array.from({ length: 30 }, (_, i) => ({ key: `b${i}`, topic: 'api/auth' })),
      ...Array.from({ length: 10 }, (_, i) => ({ key: `u${i}`, topic: '' })),
    ];
    const first = stratifiedSample(candidates, 20, 7);
    assert.deepEqual(stratifiedSample(candidates, 20, 7), first);
    assert.notDeepEqual(
      stratifiedSample(candidates, 20, 8).map((c) => c.key),
      first.map((c) => c.key),
    );
    const count = (topic: string) => first.filter((c) => c.topic === topic).length;
    assert.deepEqual([count('api/auth'), count('billing/refunds'), count('')], [6, 10, 4]);
    assert.deepEqual(
      first.map((c) => candidates.indexOf(c)),
      [...first.map((c) => candidates.indexOf(c))].sort((a, b) => a - b),
      'kept in file order',
    );
    assert.equal(new Set(first.map((c) => c.key)).size, 20);
    assert.deepEqual(stratifiedSample(candidates, 100, 1), candidates);
    assert.deepEqual(stratifiedSample(candidates, 500, 1), candidates);
  });
});

describe('dry run: statistics', () => {
  it('matches hand-computed values (population std; percentiles by linear interpolation, numpy type 7)', () => {
    const s = statsOf([1, 0.5, 0, 0.25, 0.5, null]);
    assert.equal(s.scored, 5);
    assert.equal(s.errors, 1);
    assert.equal(s.errorShare, 1 / 6);
    assert.ok(Math.abs(s.mean! - 0.45) < 1e-12);
    assert.ok(Math.abs(s.std! - Math.sqrt(0.11)) < 1e-12, `std ${s.std}`); // Σ(x−0.45)² = 0.55, /5
    assert.equal(s.min, 0);
    assert.equal(s.max, 1);
    assert.ok(Math.abs(s.p10! - 0.1) < 1e-12); // h = 0.4 between 0 and 0.25
    assert.equal(s.p50, 0.5);
    assert.ok(Math.abs(s.p90! - 0.8) < 1e-12); // h = 3.6 between 0.5 and 1
    assert.equal(s.shareAboveZero, 0.8);
    assert.equal(s.shareOne, 0.2);
    assert.deepEqual(s.histogram, [1, 0, 1, 0, 0, 2, 0, 0, 0, 1]);
    assert.deepEqual(statsOf([0.1, 0.3, 0.7, 0.9, 0.99]).histogram, [0, 1, 0, 1, 0, 0, 0, 1, 0, 2]);
    assert.equal(percentile([], 0.5), null);
    assert.equal(s.zeroVarianceShare, null);
    assert.deepEqual(s.errorsByKind, { other_error: 1 });
  });

  it('K ≥ 2: the share of prompts whose answers all score the same, and the mean within-prompt std', () => {
    const samples = [
      sample(1, { key: 'a' }),
      sample(1, { key: 'a', sampleIndex: 1 }),
      sample(0, { key: 'b' }),
      sample(1, { key: 'b', sampleIndex: 1 }),
      sample(0, { key: 'c' }),
      sample(0, { key: 'c', sampleIndex: 1 }),
      sample(0.5, { key: 'd' }),
      sample(null, { key: 'd', sampleIndex: 1 }),
    ];
    const s = computeStats({ samples, planned: 8, prompts: 4, samplesPerPrompt: 2 });
    // d has one scored answer: left out; a and c are flat, b is not
    assert.equal(s.zeroVarianceShare, 2 / 3);
    assert.equal(s.meanWithinPromptStd, (0 + 0.5 + 0) / 3);
    assert.equal(decide(s).decision, 'CAUTION');
    assert.match(decide(s).reasons.join('\n'), /zero reward variance 66\.7 % > 50 %/);
  });

  it('per-topic n, mean and rating', () => {
    const rows = topicStats([sample(0, { topic: 'a/x' }), sample(0.05, { topic: 'a/x' }), sample(0.95, { topic: 'b/y' }), sample(0.5, { topic: 'c/z' }), sample(null, { topic: 'd/w' })]);
    assert.deepEqual(
      rows.map((r) => [r.topic, r.n, r.rating]),
      [
        ['a/x', 2, 'too hard'],
        ['b/y', 1, 'too easy'],
        ['c/z', 1, 'ok'],
        ['d/w', 0, 'no data'],
      ],
    );
  });
});

describe('dry run: decision (docs/dry-run.md table, every boundary) and diagnosis', () => {
  const cases: [number, number, number, string][] = [
    [0.45, 0.9, 0.3, 'GO'],
    [0.2001, 0.9, 0.3, 'GO'],
    [0.2, 0.9, 0.3, 'CAUTION'],
    [0.1, 0.9, 0.3, 'CAUTION'],
    [0.0999, 0.9, 0.3, 'NO-GO'],
    [0.45, 0.7001, 0.3, 'GO'],
    [0.45, 0.7, 0.3, 'CAUTION'],
    [0.45, 0.5, 0.3, 'CAUTION'],
    [0.45, 0.4999, 0.3, 'NO-GO'],
    [0.45, 0.9, 0.1001, 'GO'],
    [0.45, 0.9, 0.1, 'CAUTION'],
    [0.45, 0.9, 0.05, 'CAUTION'],
    [0.45, 0.9, 0.0499, 'NO-GO'],
    [0.15, 0.6, 0.3, 'CAUTION'],
    [0.15, 0.9, 0.01, 'NO-GO'],
  ];
  for (const [mean, share, std, expected] of cases) {
    it(`mean ${mean}, share > 0 ${share}, std ${std} → ${expected} (the worst metric decides)`, () => {
      const { decision, reasons } = decide(tableStats(mean, share, std));
      assert.equal(decision, expected);
      assert.equal(reasons.length, 3);
      assert.match(reasons[0], new RegExp(`\\(${expected}\\)$`));
      assert.ok(reasons.some((r) => r.startsWith(`mean ${mean} `)) && reasons.some((r) => r.startsWith('std ')) && reasons.some((r) => r.startsWith('share of scores > 0 ')), reasons.join('; '));
    });
  }

  it('grader errors above 5 % → CAUTION naming the kind; 5 % exactly is not; nothing scored → NO-GO', () => {
    const at = (errorShare: number) => decide(tableStats(0.45, 0.9, 0.3, { errorShare, errorsByKind: { invalid_variable_error: 3, model_server_error: 1 } }));
    assert.equal(at(0.05).decision, 'GO');
    assert.equal(at(0.0501).decision, 'CAUTION');
    assert.match(at(0.0501).reasons[0], /errors 5 % > 5 % \(CAUTION; mostly invalid_variable_error: 3\)/);
    assert.equal(decide(statsOf([null, null])).decision, 'NO-GO');
    assert.equal(decide(tableStats(0.45, 0.9, 0.3, { zeroVarianceShare: 0.5 })).decision, 'GO');
    assert.equal(decide(tableStats(0.45, 0.9, 0.3, { zeroVarianceShare: 0.51 })).decision, 'CAUTION');
  });

  it('diagnosis: too hard vs too strict (references), too easy vs too lenient (empty-answer control), flat, bimodal, errors, topics', () => {
    const d = (stats: DryRunStats, emptyControlMean: number | null = null, byTopic = topicStats([])) => diagnose({ stats, byTopic, emptyControlMean }).join('\n');
    assert.match(d(tableStats(0.05, 0.1, 0.2, { referenceMean: 0.9 })), /Prompts too hard.*references score 0\.9 — use SFT first/);
    assert.match(d(tableStats(0.05, 0.1, 0.2, { referenceMean: 0.1 })), /Grader too strict: the references score 0\.1 too/);
    assert.match(d(tableStats(0.05, 0.1, 0.2, { referenceMean: null })), /too hard for the base model or the grader is too strict; add reference answers/);
    assert.match(d(tableStats(0.95, 1, 0.2), 0.8), /Grader too lenient: an empty answer scores 0\.8/);
    assert.match(d(tableStats(0.95, 1, 0.2), 0), /Too easy: the base model already scores 0\.95/);
    assert.doesNotMatch(d(tableStats(0.5, 0.9, 0.3)), /too hard|too strict|too easy|lenient|Flat/i);
    assert.match(d(tableStats(0.5, 0.9, 0.09)), /Flat scores: std 0\.09 < 0\.1/);
    assert.match(d(statsOf([0, 1, 1, 0, 1, 0, 0, 1])), /Bimodal: the scores sit at 0 or 1 \(50 % at 0, 50 % at 1\)/);
    assert.doesNotMatch(d(statsOf([0, 1, 0.5, 0, 1, 0, 0.5, 1])), /Bimodal/);
    assert.match(d(tableStats(0.5, 0.9, 0.3, { errorShare: 0.2, errorsByKind: { model_rate_limited: 4 } })), /Errors on 20 % of samples \(model_rate_limited 4\) — check the model connection/);
    assert.match(d(tableStats(0.5, 0.9, 0.3, { errorShare: 0.2, errorsByKind: { js_grader_runtime_error: 4 } })), /fix the grader/);
    assert.match(d(tableStats(0.5, 0.9, 0.3, { zeroVarianceShare: 0.8 })), /80 % of prompts got the same score on every answer: GRPO gets no gradient/);
    const topics = topicStats([sample(0, { topic: 'api/auth' }), sample(1, { topic: 'billing/refunds' }), sample(0.5, { topic: 'ok/fine' })]);
    assert.match(d(tableStats(0.5, 0.9, 0.3), null, topics), /Too hard \(mean < 0\.1\): api\/auth \(0\)\.\nToo easy \(mean > 0\.9\): billing\/refunds \(1\)\./);
  });
});

describe('dry run: reasons and diagnosis as data, staleness', () => {
  it("each reason names its metric, value, threshold and level; its text is the CLI's string", () => {
    const { decision, reasons, items } = decide(tableStats(0.15, 0.9, 0.04, { errorShare: 0.1, errorsByKind: { model_timeout: 2 } }));
    assert.equal(decision, 'NO-GO');
    assert.deepEqual(
      reasons,
      items.map((item) => item.text),
    );
    assert.deepEqual(
      items.map(({ metric, value, threshold, level }) => ({ metric, value, threshold, level })),
      [
        { metric: 'std', value: 0.04, threshold: 0.05, level: 'NO-GO' },
        { metric: 'mean', value: 0.15, threshold: 0.1, level: 'CAUTION' },
        { metric: 'errorShare', value: 0.1, threshold: 0.05, level: 'CAUTION' },
        { metric: 'shareAboveZero', value: 0.9, threshold: 0.7, level: 'GO' },
      ],
    );
    assert.deepEqual(
      decide(statsOf([null])).items.map((item) => [item.metric, item.level]),
      [['scored', 'NO-GO']],
    );
  });

  it('each diagnosis entry has its kind and actions; diagnose() is their texts', () => {
    const kinds = (stats: DryRunStats, emptyControlMean: number | null = null, byTopic = topicStats([])) => diagnoseItems({ stats, byTopic, emptyControlMean }).map((d) => [d.kind, d.actions]);
    assert.deepEqual(kinds(tableStats(0.05, 0.1, 0.2, { referenceMean: 0.9 })), [['too_hard', ['reviewDataset']]]);
    assert.deepEqual(kinds(tableStats(0.05, 0.1, 0.2, { referenceMean: 0.1 })), [['too_strict', ['adjustGrader']]]);
    assert.deepEqual(kinds(tableStats(0.05, 0.1, 0.2)), [['too_hard_or_strict', ['adjustGrader', 'reviewDataset']]]);
    assert.deepEqual(kinds(tableStats(0.95, 1, 0.2), 0.8), [['too_lenient', ['adjustGrader']]]);
    assert.deepEqual(kinds(tableStats(0.95, 1, 0.2), 0), [['too_easy', ['reviewDataset']]]);
    assert.deepEqual(kinds(tableStats(0.5, 0.9, 0.09)), [['flat', ['adjustGrader']]]);
    assert.deepEqual(
      kinds(statsOf([0, 1, 1, 0, 1, 0, 0, 1])).map(([kind]) => kind),
      ['bimodal'],
    );
    assert.deepEqual(kinds(tableStats(0.5, 0.9, 0.3, { errorShare: 0.2, errorsByKind: { model_rate_limited: 4 } })), [['errors', ['rerun']]]);
    assert.deepEqual(kinds(tableStats(0.5, 0.9, 0.3, { errorShare: 0.2, errorsByKind: { js_grader_runtime_error: 4 } })), [['errors', ['adjustGrader']]]);
    assert.deepEqual(
      kinds(tableStats(0.5, 0.9, 0.3, { zeroVarianceShare: 0.8 })).map(([kind]) => kind),
      ['zero_variance'],
    );
    assert.deepEqual(
      kinds(statsOf([null])).map(([kind]) => kind),
      ['nothing_scored'],
    );
    const byTopic = topicStats([sample(0, { topic: 'api/auth' }), sample(1, { topic: 'billing/refunds' }), sample(0.5, { topic: 'ok/fine' })]);
    const topics = diagnoseItems({ stats: tableStats(0.5, 0.9, 0.3), byTopic });
    assert.deepEqual(
      topics.map((d) => [d.kind, d.topics]),
      [
        ['topics_too_hard', ['api/auth']],
        ['topics_too_easy', ['billing/refunds']],
      ],
    );
    assert.deepEqual(
      diagnose({ stats: tableStats(0.5, 0.9, 0.3), byTopic }),
      topics.map((d) => d.text),
    );
  });

  it('runStaleness: the grader changed, removed or invalid; a records file modified after the run started; else fresh', () => {
    const run = { graderHash: 'h1', startedAt: '2026-12-01T20:50:00.000Z' };
    const started = Date.parse(run.startedAt);
    const records = (modifiedMs: number) => [{ file: 'records.jsonl', modifiedMs }];
    assert.equal(runStaleness(run, { graderHash: 'h1', recordsChangedAt: records(started) }), undefined);
    assert.equal(runStaleness(run, { graderHash: 'h1', recordsChangedAt: records(started + 0.9) }), undefined, 'the same millisecond is not later');
    assert.equal(runStaleness(run, { graderHash: 'h2', recordsChangedAt: [] }), 'grader.json changed since this run');
    assert.equal(runStaleness(run, { graderHash: null, recordsChangedAt: [] }), 'grader.json was removed since this run');
    assert.equal(runStaleness(run, { graderHash: 'invalid', recordsChangedAt: [] }), 'grader.json changed since this run (it is invalid now)');
    assert.equal(
      runStaleness(run, { graderHash: 'h1', recordsChangedAt: [...records(started - 1), { file: 'generated.jsonl', modifiedMs: started + 1000 }] }),
      'generated.jsonl changed since this run',
    );
    assert.equal(runStaleness({}, { graderHash: 'h2', recordsChangedAt: records(started + 1000) }), undefined, 'a run without hash or start time cannot be judged');
  });
});

describe('dry run: through the local OpenAI-compatible server', function () {
  this.timeout(60_000);
  const dir = useTempDir();
  const testServer = useOpenAiTestServer();
  const client = (concurrency = 8) =>
    new ModelClient({ kind: 'openai', apiKey: testServer().apiKey, baseURL: testServer().baseURL }, { concurrency, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } });
  // 20/10/5 records, n = 12: 3 each, then 3 over 17/7/2 → 1.96, 0.81, 0.23 → 5/4/3
  // scripted distribution: billing answers 0.9, api 0.05, unlabelled 0.5
  const scripted = () => testServer().onChat((request) => ({ content: /billing/.test(userOf(request)) ? '0.9' : /api/.test(userOf(request)) ? '0.05' : '0.5' }));

  it('samples, answers, scores, decides and writes the run file; the step-5 figures follow from it', async () => {
    const ds = path.join(dir(), 'main');
    await makeDataset(
      ds,
      recordsByTopic(
        [
          ['billing/refunds', 20],
          ['api/auth', 10],
          [undefined, 5],
        ],
        (topic, i) => (topic === 'api/auth' && i < 4 ? '0.95' : undefined),
      ),
    );
    scripted();
    const events: DryRunProgress['type'][] = [];
    let planned: Extract<DryRunProgress, { type: 'plan' }> | undefined;
    const result = await runDryRun(ds, { client: client(), model: 'gpt-4o-mini', n: 12, seed: 3, onProgress: (event) => (events.push(event.type), event.type === 'plan' && (planned = event)) });
    const estimated = await estimateDryRun(ds, { n: 12, samplesPerPrompt: 1, model: 'gpt-4o-mini', seed: 3 });
    assert.deepEqual([estimated.samples, estimated.estimate], [planned?.samples, planned?.estimate], "the estimate before a run is the run's own");
    const run = result.file;
    assert.match(path.basename(result.path), /^dryrun-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
    assert.equal(run.status, 'complete');
    assert.equal(run.samples.length, 12);
    assert.deepEqual(Object.fromEntries(run.byTopic.map((t) => [t.topic, [t.n, t.mean]])), { 'api/auth': [4, 0.05], 'billing/refunds': [5, 0.9], uncategorized: [3, 0.5] });
    assert.ok(Math.abs(run.stats.mean! - (4 * 0.05 + 5 * 0.9 + 3 * 0.5) / 12) < 1e-12);
    assert.equal(run.decision, 'GO');
    assert.deepEqual(
      run.byTopic.map((t) => t.rating),
      ['too hard', 'ok', 'ok'],
    );
    assert.match(run.diagnosis.join('\n'), /Too hard \(mean < 0\.1\): api\/auth/);
    assert.deepEqual([run.reasonItems?.map((r) => r.text), run.diagnosisItems?.map((d) => d.text)], [run.reasons, run.diagnosis], 'the run file keeps the strings and the items');
    assert.ok(run.diagnosisItems?.some((d) => d.kind === 'topics_too_hard' && d.topics?.includes('api/auth')));
    assert.equal(events[0], 'plan');
    assert.equal(events.filter((e) => e === 'sample').length, 12);
    assert.equal(events.at(-1), 'done');
    assert.equal(testServer().requests.filter((r) => r.path === '/v1/chat/completions').length, 12);
    assert.ok(run.stats.usage.promptTokens > 0 && run.stats.usage.costUsd !== null && run.stats.usage.costUsd > 0);
    // on disk: the whole run, the side file gone, listed, readable
    assert.deepEqual(await readRun(result.path), run);
    assert.equal(fs.existsSync(result.path.replace(/\.json$/, '.samples.jsonl')), false);
    const again = await runDryRun(ds, { client: client(), model: 'gpt-4o-mini', n: 12, seed: 3 });
    assert.notEqual(again.path, result.path, 'a run never overwrites another');
    assert.deepEqual(again.file.samples.map((s) => s.key).sort(), run.samples.map((s) => s.key).sort(), 'same seed, same prompts');
    const runs = await listRuns(ds);
    assert.deepEqual(
      runs.map((r) => r.path),
      [again.path, result.path],
    );
    const comparison = compareRuns(run, again.file);
    assert.equal(comparison.stats.mean.delta, 0);
    assert.deepEqual(
      run.samples.map((s) => s.line),
      [...run.samples.map((s) => s.line)].sort((a, b) => a - b),
      'samples in dataset order',
    );
    assert.deepEqual(
      comparison.byTopic.map((t) => t.delta),
      [0, 0, 0],
    );
    // step 5 from the newest run, stale once the grader changes
    const step = async () => pipelineState((await readDataset(ds)).snapshot).steps.find((s) => s.id === 'dryrun')!;
    const fresh = await step();
    assert.equal(fresh.status, 'complete');
    assert.equal(fresh.description, `🟢 GO · mean ${run.stats.mean!.toFixed(2)} · std ${run.stats.std!.toFixed(2)} · 12 samples`);
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify({ type: 'js', name: 'other', source: 'function grade(input) { return 0.5; }' }));
    const stale = await step();
    assert.match(stale.description, / · stale$/);
    assert.match(stale.detail, /grader\.json changed since this run/);
  });

  it('429, 500 and malformed answers mid-run are errors by kind; a grader that throws is an error; the rest is scored', async () => {
    const ds = path.join(dir(), 'faults');
    await makeDataset(ds, recordsByTopic([['billing/refunds', 10]]));
    let asked = 0;
    // one at a time, in file order: record 0 meets the malformed reply, 1 two 500s, 2 two 429s (the newest fault first)
    testServer().onChat((request) => (++asked === 5 ? { content: 'not a number' } : { content: Number(/Question (\d+)/.exec(userOf(request))![1]) < 5 ? '0.3' : '0.9' }));
    testServer().fault({ path: '/chat/completions' }, { kind: 'status', status: 429, retryAfterMs: 1 }, 2);
    testServer().fault({ path: '/chat/completions' }, { kind: 'status', status: 500 }, 2);
    testServer().fault({ path: '/chat/completions' }, { kind: 'malformed' }, 1);
    const result = await runDryRun(ds, { client: client(1), model: 'base', n: 10, concurrency: 1 });
    const kinds = result.file.stats.errorsByKind;
    assert.equal(result.file.status, 'complete');
    assert.equal(result.file.stats.errors, 4, JSON.stringify(kinds));
    assert.deepEqual(Object.keys(kinds).sort(), ['js_grader_runtime_error', 'model_malformed_response', 'model_rate_limited', 'model_server_error']);
    assert.equal(result.file.stats.scored, 6);
    assert.ok(Math.abs(result.file.stats.mean! - (2 * 0.3 + 4 * 0.9) / 6) < 1e-12);
    assert.deepEqual(
      result.file.samples
        .filter((s) => s.error)
        .map((s) => [s.line, s.error!.split(':')[0]])
        .sort(),
      [
        [1, 'model_malformed_response'],
        [2, 'model_server_error'],
        [3, 'model_rate_limited'],
        [8, 'js_grader_runtime_error'],
      ],
    );
    assert.equal(result.file.decision, 'CAUTION');
    assert.match(result.file.reasons[0], /errors 40 % > 5 %/);
    assert.ok(result.file.samples.filter((s) => s.error).every((s) => s.score === null));
  });

  it('the Batch API path: uploads the requests, creates the batch, polls it and joins the output on custom_id (K = 2)', async () => {
    const ds = path.join(dir(), 'batch');
    await makeDataset(
      ds,
      recordsByTopic([
        ['billing/refunds', 4],
        ['api/auth', 4],
      ]),
    );
    scripted();
    const statuses: string[] = [];
    const result = await runDryRun(ds, { client: client(), model: 'gpt-4o-mini', n: 8, samplesPerPrompt: 2, batch: true, pollMs: 1, onProgress: (e) => e.type === 'batch' && statuses.push(e.status) });
    const paths = testServer().requests.map((r) => `${r.method} ${r.path.replace(/(batch|file)[-_][\w-]+/g, ':id')}`);
    assert.equal(paths.filter((p) => p === 'POST /v1/chat/completions').length, 0, 'nothing asked directly');
    assert.deepEqual(paths.slice(0, 2), ['POST /v1/files', 'POST /v1/batches']);
    assert.ok(paths.includes('GET /v1/files/:id/content'), paths.join(', '));
    assert.deepEqual(statuses, ['in_progress', 'completed']);
    const upload = testServer().requests[0].body as { purpose: string; file: { filename: string } };
    assert.equal(upload.purpose, 'batch');
    assert.equal(result.file.samples.length, 16);
    for (const s of result.file.samples) assert.equal(s.score, s.prompt.includes('billing') ? 0.9 : 0.05, `${s.key}#${s.sampleIndex}`);
    assert.equal(result.file.stats.zeroVarianceShare, 1);
    assert.equal(result.file.decision, 'CAUTION');
    assert.ok(result.file.batch?.id.startsWith('batch_'));
    assert.ok(result.file.stats.usage.completionTokens > 0);
  });

  it('a batch run stopped while it polls keeps its batch id; resume polls the same batch instead of uploading again', async () => {
    const ds = path.join(dir(), 'batchResume');
    await makeDataset(ds, recordsByTopic([['billing/refunds', 3]]));
    scripted();
    const controller = new AbortController();
    const first = await runDryRun(ds, { client: client(), model: 'm', n: 3, batch: true, pollMs: 50, signal: controller.signal, onProgress: (e) => e.type === 'batch' && controller.abort() });
    assert.equal(first.file.status, 'cancelled');
    assert.equal(first.file.samples.length, 0);
    const batchId = first.file.batch!.id;
    const resumed = await runDryRun(ds, { client: client(), resume: true, pollMs: 1 });
    assert.equal(resumed.file.status, 'complete');
    assert.equal(resumed.file.batch!.id, batchId);
    assert.equal(testServer().requests.filter((r) => r.method === 'POST' && r.path === '/v1/files').length, 1, 'uploaded once');
    assert.equal(testServer().requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches').length, 1, 'created once');
    assert.deepEqual(
      resumed.file.samples.map((s) => s.score),
      [0.9, 0.9, 0.9],
    );
  });

  it('no grader, no model, no valid records: a clear error and nothing asked', async () => {
    const ds = path.join(dir(), 'nograder');
    await makeDataset(ds, recordsByTopic([['a/b', 3]]), null);
    await assert.rejects(runDryRun(ds, { client: client(), model: 'm' }), /has no grader\.json: create one with rft grader init/);
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify({ type: 'js', name: 'x', source: 'function grade(input) { return 1; }' }));
    await assert.rejects(runDryRun(ds, { client: client() }), /no model configured/);
    await assert.rejects(runDryRun(ds, { model: 'm' }), /no model configured/);
    await assert.rejects(runDryRun(ds, { client: client(), model: 'm', resume: true }), /no unfinished dry run to resume/);
    assert.equal(testServer().requests.length, 0);
  });

  it('a cancelled run keeps its answers on disk and resume finishes it without asking them again', async () => {
    const ds = path.join(dir(), 'cancel');
    await makeDataset(ds, recordsByTopic([['billing/refunds', 12]]));
    scripted();
    testServer().setLatency(30);
    const controller = new AbortController();
    let seen = 0;
    const first = await runDryRun(ds, {
      client: client(2),
      model: 'base',
      n: 12,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (e) => e.type === 'sample' && ++seen === 4 && controller.abort(),
    });
    assert.equal(first.file.status, 'cancelled');
    const kept = first.file.samples.length;
    assert.ok(kept >= 4 && kept < 12, `kept ${kept}`);
    assert.equal((await listRuns(ds))[0].status, 'cancelled');
    const before = testServer().requests.length;
    const resumed = await runDryRun(ds, { client: client(2), resume: true });
    assert.equal(resumed.path, first.path);
    assert.equal(resumed.file.status, 'complete');
    assert.equal(resumed.file.samples.length, 12);
    assert.equal(testServer().requests.length - before, 12 - kept);
  });
});
