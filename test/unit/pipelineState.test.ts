import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetSummary } from '../../src/core/pipeline/datasetSummary';
import { readDataset } from '../../src/core/pipeline/snapshot';
import { datasetCoverage } from '../../src/core/topics/topicsPipeline';
import { runRft } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { pipelineState, STEP_IDS, type DatasetSnapshot } from '../../src/core/pipeline/pipelineState';
import { balanceOf, balanceRating } from '../../src/core/topics/balance';
import { emptyHealthCounts, type HealthCounts } from '../../src/core/validation/health';

const counts = (valid: number, invalid = 0, duplicates = 0): HealthCounts => ({ ...emptyHealthCounts(), total: valid + invalid + duplicates, valid, invalid, duplicates });
const base: DatasetSnapshot = { name: 'chess', health: counts(1008, 34) };
const statusOf = (snapshot: DatasetSnapshot) => Object.fromEntries(pipelineState(snapshot).steps.map((s) => [s.id, s.status]));

describe('pipeline state (pure, from what is on disk)', () => {
  it('has the seven steps in order with titles', () => {
    const state = pipelineState(base);
    assert.deepEqual(
      state.steps.map((s) => s.id),
      [...STEP_IDS],
    );
    assert.equal(state.steps[0].title, '1. Extract Records');
  });

  it('health: the spec text, validating, empty, failed', () => {
    assert.equal(pipelineState(base).health.description, '1,008 valid · 34 invalid');
    assert.equal(pipelineState(base).health.status, 'attention');
    assert.equal(pipelineState({ ...base, health: counts(5, 0, 2) }).health.description, '5 valid · 0 invalid · 2 duplicates');
    assert.equal(pipelineState({ name: 'x' }).health.status, 'validating');
    assert.equal(pipelineState({ name: 'x', healthError: 'cannot read' }).health.status, 'failed');
    assert.equal(pipelineState({ name: 'x', health: counts(0) }).health.description, 'No records yet');
  });

  it('a fresh dataset: extract ready, the unbuilt steps waiting and saying why', () => {
    const state = pipelineState({ name: 'x', health: counts(0) });
    assert.deepEqual(
      state.steps.map((s) => s.status),
      ['ready', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting'],
    );
    assert.match(state.steps[1].description, /valid records/);
    assert.equal(pipelineState({ name: 'x', health: counts(5) }).steps[1].status, 'ready');
    assert.match(state.steps[3].description, /Waits for valid records/);
    const graded = pipelineState({ name: 'x', health: counts(5), grader: { description: 'Script (Python)', type: 'python' } }).steps[4];
    assert.deepEqual([graded.status, graded.description], ['ready', 'Run a dry run before training']);
    assert.equal(pipelineState({ name: 'x', health: counts(5), grader: { error: 'grader.json: x' } }).steps[4].description, 'Waits for a valid grader');
    assert.equal(pipelineState({ name: 'x', health: counts(5), lastDryRun: { decision: 'GO' } }).steps[5].status, 'ready');
  });

  it('topics: ready without labels, complete, attention at 5 % low confidence, failed on a bad file', () => {
    const topics = { leaves: ['billing/invoices', 'billing/refunds', 'account/sso'] };
    assert.equal(statusOf({ ...base, topics }).topics, 'ready');
    const labels = (low: number) => ({
      byLeaf: new Map([
        ['billing/invoices', 400],
        ['billing/refunds', 300],
        ['account/sso', 308],
      ]),
      lowConfidence: low,
      total: 1008,
    });
    const complete = pipelineState({ ...base, topics, labels: labels(50) }).steps[1];
    assert.equal(complete.status, 'complete');
    assert.equal(complete.description, '3 topics · 100 % categorized');
    assert.equal(statusOf({ ...base, topics, labels: labels(51) }).topics, 'attention');
    assert.equal(statusOf({ ...base, topics: { error: 'bad' } }).topics, 'failed');
  });

  it('coverage: balance = min/max share with the spec thresholds', () => {
    const leaves = ['a', 'b'];
    assert.equal(
      balanceOf(
        new Map([
          ['a', 35],
          ['b', 100],
        ]),
        leaves,
      ),
      0.35,
    );
    assert.equal(balanceOf(new Map([['a', 10]]), leaves), 0, 'an empty topic makes balance 0');
    assert.deepEqual([0.61, 0.6, 0.3, 0.29].map(balanceRating), ['good', 'fair', 'fair', 'poor']);
    const snapshot = (a: number) => ({
      ...base,
      topics: { leaves },
      labels: {
        byLeaf: new Map([
          ['a', a],
          ['b', 100],
        ]),
        lowConfidence: 0,
        total: a + 100,
      },
    });
    assert.equal(pipelineState(snapshot(35)).steps[2].description, 'Balance 0.35 · fair');
    assert.equal(statusOf(snapshot(35)).coverage, 'attention');
    assert.equal(statusOf(snapshot(70)).coverage, 'complete');
    assert.match(pipelineState(snapshot(10)).steps[2].detail, /generate/);
  });

  it('grader, dry run, train and deploy follow what the run and job files say', () => {
    assert.equal(statusOf({ ...base, grader: { description: 'LLM judge · gpt-4o-mini · T=0', type: 'score_model' } }).grader, 'complete');
    assert.equal(pipelineState({ ...base, grader: { description: 'LLM judge · gpt-4o-mini · T=0', type: 'score_model' } }).steps[3].description, 'LLM judge · gpt-4o-mini · T=0');
    assert.equal(statusOf({ ...base, grader: { error: 'grader.json: range: expected [min, max]' } }).grader, 'failed');
    assert.equal(statusOf(base).grader, 'ready');
    assert.equal(statusOf({ ...base, health: counts(0, 3) }).grader, 'waiting');
    assert.equal(statusOf({ ...base, lastDryRun: { decision: 'GO', mean: 0.4 } }).dryrun, 'complete');
    assert.equal(statusOf({ ...base, lastDryRun: { decision: 'CAUTION' } }).dryrun, 'attention');
    assert.equal(statusOf({ ...base, lastDryRun: { decision: 'NO-GO' } }).dryrun, 'failed');
    const train = (snapshot: DatasetSnapshot) => pipelineState(snapshot).steps[5];
    assert.deepEqual([train({ ...base, lastDryRun: { decision: 'GO' } }).status, train({ ...base, lastDryRun: { decision: 'GO' } }).description], ['ready', 'Ready to train']);
    assert.equal(train({ ...base, lastDryRun: { decision: 'CAUTION' } }).status, 'ready');
    assert.match(train({ ...base, lastDryRun: { decision: 'CAUTION' } }).description, /asks for confirmation/);
    assert.deepEqual(
      [train({ ...base, grader: { description: 'd', type: 'string_check' } }).status, train({ ...base, grader: { description: 'd', type: 'string_check' } }).description],
      ['waiting', 'Run a dry run first'],
    );
    assert.equal(train({ ...base, lastDryRun: { decision: 'NO-GO' } }).description, 'Waits for a GO or CAUTION dry run');
    assert.equal(train({ ...base, lastDryRun: { decision: 'GO', stale: 'grader.json changed since this run' } }).status, 'waiting');
    const running = train({ ...base, lastJob: { status: 'running', model: 'o4-mini', progress: '45 % · epoch 1/2 · train 0.52 · valid 0.48' } });
    assert.deepEqual([running.status, running.description], ['running', '45 % · epoch 1/2 · train 0.52 · valid 0.48']);
    assert.equal(statusOf({ ...base, lastJob: { status: 'queued' } }).train, 'running');
    assert.match(train({ ...base, lastJob: { status: 'paused', progress: '45 %' } }).description, /^Paused · 45 %/);
    assert.deepEqual(
      [
        train({ ...base, lastJob: { status: 'succeeded', model: 'o4-mini', resultModel: 'ft:o4-mini:org::abc' } }).status,
        train({ ...base, lastJob: { status: 'succeeded', model: 'o4-mini', resultModel: 'ft:o4-mini:org::abc' } }).description,
      ],
      ['complete', 'Trained · ft:o4-mini:org::abc'],
    );
    const failed = train({ ...base, lastJob: { status: 'failed', error: 'The grader returned NaN for 14 samples.' } });
    assert.deepEqual([failed.status, failed.description], ['failed', 'Failed: The grader returned NaN for 14 samples.']);
    assert.equal(statusOf({ ...base, lastJob: { status: 'cancelled' } }).train, 'attention');
    assert.equal(statusOf({ ...base, deployment: { model: 'ft:x' } }).deploy, 'complete');
  });

  it('deploy: ready with a tuned model, complete after a deploy, attention when the newest benchmark regressed', () => {
    const deploy = (snapshot: DatasetSnapshot) => pipelineState(snapshot).steps.find((s) => s.id === 'deploy')!;
    assert.equal(deploy(base).status, 'waiting');
    const improved = { regressions: [], base: 0.42, tuned: 0.67, relativeChange: 0.25 / 0.42 };
    assert.deepEqual(
      [
        deploy({ ...base, tunedModel: { model: 'ft:gpt-4o:acme::abc' }, lastBenchmark: improved }).status,
        deploy({ ...base, tunedModel: { model: 'ft:gpt-4o:acme::abc' }, lastBenchmark: improved }).description,
      ],
      ['ready', 'Model ready: ft:gpt-4o:acme::abc · 0.42 → 0.67 (+60 %)'],
    );
    const deployed = deploy({ ...base, tunedModel: { model: 'ft:x' }, deployment: { model: 'ft:x', description: 'A/B 90/10 · support-bot' } });
    assert.deepEqual([deployed.status, deployed.description], ['complete', 'Deployed · A/B 90/10 · support-bot']);
    const regressed = deploy({
      ...base,
      tunedModel: { model: 'ft:x' },
      deployment: { model: 'ft:x', description: 'A/B 90/10 · support-bot' },
      lastBenchmark: { ...improved, regressions: ['api/auth'] },
    });
    assert.equal(regressed.status, 'attention');
    assert.match(regressed.description, /Regression: api\/auth/);
  });
});

describe('pipeline state: "categorized" is what coverage counts (one source of truth)', () => {
  const tmp = useTempDir();

  it('rft status counts a record whose own topic is not a leaf as uncategorized, as rft coverage does', async () => {
    const dir = path.join(tmp(), 'ds');
    fs.cpSync(path.resolve(__dirname, '../../examples/assistant-support'), dir, { recursive: true });
    const topics = runRft(['topics', dir]);
    assert.equal(topics.code, 0, `${topics.stdout}${topics.stderr}`);
    const coverage = await datasetCoverage(dir);
    assert.ok(coverage && coverage.categorized < coverage.total, 'the example has records whose own metadata.topic is not a leaf');
    const { snapshot } = await readDataset(dir);
    assert.equal(snapshot.labels?.total, coverage.categorized);
    const status = runRft(['status', dir]);
    assert.equal(status.stderr, '');
    const share = Math.round((coverage.categorized / coverage.total) * 100);
    assert.match(status.stdout, new RegExp(`· ${share} % categorized`));
    assert.match(status.stdout, new RegExp(`Categorized: +${coverage.categorized} \\(`));
  });

  it('the dataset summary (records browser header too) counts only records on a leaf, whatever it is given', () => {
    const figures = { total: 142, valid: 142, invalid: 0, duplicates: 0 };
    const none = { total: 0, valid: 0, invalid: 0, duplicates: 0 };
    // as the records index counts: every record with a topic, 16 of them on their own topic that is not a leaf
    const summary = datasetSummary({
      traces: figures,
      generated: none,
      topics: { leaves: ['a/x', 'a/y'] },
      categorized: 142,
      byLeaf: new Map([
        ['a/x', 70],
        ['a/y', 56],
        ['my_own_topic', 16],
      ]),
    });
    assert.deepEqual(summary.categorized, { count: 126, share: 126 / 142 });
    assert.ok(
      summary.items.some((item) => item.text.startsWith('16 valid records have no topic')),
      JSON.stringify(summary.items),
    );
  });
});
