// The dry-run panel's view of a run file (src/extension/dryrun/dryRunView.ts, pure: no `vscode`): figures,
// reasons and diagnosis from the run's structured items, the string-only run files of before, and samples as text.
import * as assert from 'node:assert/strict';
import type { DryRunFile, DryRunSample } from '../../src/core/dryrun';
import { withFigures } from '../../src/core/dryrun/runFile';
import { legacyDiagnosisView, legacyReasonView, MAX_TEXT_CHARS, runSummaryView, runView, sampleView } from '../../src/extension/dryrun/dryRunView';
import type { StatsView } from '../../src/shared/dryRunProtocol';

const sample = (i: number, score: number | null, extra: Partial<DryRunSample> = {}): DryRunSample => ({
  key: `k${i}`,
  file: 'records.jsonl',
  line: i + 1,
  topic: i % 2 ? 'api/auth' : 'billing/refunds',
  prompt: `Prompt ${i}`,
  sampleIndex: 0,
  response: score === null ? null : String(score),
  score,
  sub_rewards: {},
  details: {},
  error: score === null ? 'model_timeout: no answer' : null,
  ...extra,
});

/** A finished run, its figures computed by the core (as runDryRun leaves it). */
function finishedRun(scores: (number | null)[], extra: Partial<DryRunFile> = {}): DryRunFile {
  const samples = scores.map((score, i) => sample(i, score));
  const header: DryRunFile = {
    kind: 'dryrun',
    version: 1,
    config: { n: scores.length, model: 'gpt-4o-mini', samplesPerPrompt: 1, seed: 1, batch: false },
    model: 'gpt-4o-mini',
    graderHash: 'a'.repeat(64),
    recordsFingerprint: 'b'.repeat(64),
    startedAt: '2026-12-01T20:50:00.000Z',
    finishedAt: '2026-12-01T20:51:00.000Z',
    status: 'complete',
    samples,
    stats: undefined as unknown as DryRunFile['stats'],
    decision: null,
    reasons: [],
    diagnosis: [],
    byTopic: [],
    ...extra,
  };
  return withFigures(header, scores.length, scores.length);
}

const STATS_KEYS: (keyof StatsView)[] = [
  'n',
  'prompts',
  'scored',
  'errors',
  'errorsByKind',
  'errorShare',
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
  'meanWithinPromptStd',
  'promptTokens',
  'completionTokens',
  'costUsd',
];

describe('dry-run panel view (dryRunView.ts)', () => {
  it("the summary: the run's figures with the usage flattened and nothing the panel does not show", () => {
    const run = finishedRun([0.5, 0.1, 0.9, 0]);
    const view = runSummaryView('/d/.rft/runs/dryrun-2026-12-01T20-50-00-000Z.json', run);
    assert.equal(view.id, 'dryrun-2026-12-01T20-50-00-000Z.json');
    assert.deepEqual(Object.keys(view.stats).sort(), [...STATS_KEYS].sort());
    assert.equal(view.stats.mean, run.stats.mean);
    assert.deepEqual(view.stats.histogram, run.stats.histogram);
    assert.equal(view.stats.promptTokens, run.stats.usage.promptTokens);
    assert.equal(view.stats.costUsd, run.stats.usage.costUsd);
    assert.deepEqual(
      view.byTopic,
      run.byTopic.map((t) => ({ topic: t.topic, n: t.n, mean: t.mean, rating: t.rating })),
    );
  });

  it("reasons and diagnosis come from the run's structured items: the level and the actions are the core's, not read from the text", () => {
    const run = finishedRun([0, 0, 0, 0, 0.05, 0, 0, 0]);
    assert.ok(run.reasonItems && run.diagnosisItems, 'the core keeps the items');
    const view = runView('/d/run.json', run);
    assert.equal(run.decision, 'NO-GO');
    assert.deepEqual(
      view.reasons,
      run.reasonItems.map((item) => ({ text: item.text, level: item.level })),
    );
    assert.deepEqual(
      view.diagnosis,
      run.diagnosisItems.map((item) => ({ text: item.text, actions: item.actions ?? [] })),
    );
    // text the old keyword rules would read otherwise still gets exactly the item's level and actions
    const doctored: DryRunFile = {
      ...run,
      reasonItems: [{ metric: 'mean', value: 0.5, threshold: 0.2, level: 'GO', text: 'a reason that ends in (NO-GO)' }],
      diagnosisItems: [
        { kind: 'too_strict', text: 'no keyword here', actions: ['adjustGrader'] },
        { kind: 'zero_variance', text: 'the grader is too strict (Review Dataset, re-run)' },
      ],
    };
    const shown = runView('/d/run.json', doctored);
    assert.deepEqual(shown.reasons, [{ text: 'a reason that ends in (NO-GO)', level: 'GO' }]);
    assert.deepEqual(shown.diagnosis, [
      { text: 'no keyword here', actions: ['adjustGrader'] },
      { text: 'the grader is too strict (Review Dataset, re-run)', actions: [] },
    ]);
  });

  it('an old run file (strings only) still loads and shows: the verdict from its "(…)" suffix, the actions from its words', () => {
    const run = finishedRun([0.5, 0.1, 0.9, 0]);
    const { reasonItems: _r, diagnosisItems: _d, ...old } = run;
    const legacy: DryRunFile = {
      ...old,
      reasons: ['mean 0.05 < 0.1 (NO-GO)', 'errors 8 % > 5 % (CAUTION; mostly model_timeout: 2)', 'no sample was scored (2 errors of 2 planned)'],
      diagnosis: [
        'Grader too strict: the references score 0.1 too (base model 0.05) — Adjust Grader.',
        'Too hard (mean < 0.1): api/auth (0).',
        'Errors on 8 % of samples (model_timeout 2) — check the model connection and re-run.',
      ],
    };
    const view = runView('/d/run.json', legacy);
    assert.deepEqual(view.reasons, [
      { text: 'mean 0.05 < 0.1 (NO-GO)', level: 'NO-GO' },
      { text: 'errors 8 % > 5 % (CAUTION; mostly model_timeout: 2)', level: 'CAUTION' },
      { text: 'no sample was scored (2 errors of 2 planned)' },
    ]);
    assert.deepEqual(
      view.diagnosis.map((d) => d.actions),
      [['adjustGrader'], ['reviewDataset'], ['rerun']],
    );
    assert.deepEqual(legacyReasonView('std 0.18 > 0.1 (GO)'), { text: 'std 0.18 > 0.1 (GO)', level: 'GO' });
    assert.deepEqual(legacyDiagnosisView('Nothing to see.').actions, []);
  });

  it('stale and failure pass through; a fresh run has neither', () => {
    const run = finishedRun([0.5, 0.4]);
    assert.equal(runView('/d/run.json', run).stale, undefined);
    assert.equal('failure' in runView('/d/run.json', run), false);
    assert.equal(runView('/d/run.json', run, 'grader.json changed since this run').stale, 'grader.json changed since this run');
    assert.equal(runView('/d/run.json', { ...run, status: 'failed', failure: 'no model' }).failure, 'no model');
  });

  it("samples: long text cut, the judges' reasoning joined, sub-scores and errors only when there are some", () => {
    const long = 'x'.repeat(MAX_TEXT_CHARS + 10);
    const view = sampleView(
      sample(3, 0.7, {
        prompt: long,
        sub_rewards: { tone: 0.5 },
        details: {
          judge: {
            steps: [
              { description: 'names the window', conclusion: 'ok' },
              { description: 'polite', conclusion: '' },
            ],
          },
          label: { label: 'good' },
        },
      }),
      7,
    );
    assert.equal(view.index, 7);
    assert.equal(view.prompt, `${'x'.repeat(MAX_TEXT_CHARS)}… (10 more characters in the run file)`);
    assert.equal(view.reasoning, 'judge: names the window → ok\njudge: polite\nlabel: label good');
    assert.deepEqual(view.subScores, { tone: 0.5 });
    assert.equal('error' in view, false);
    const failed = sampleView(sample(1, null), 0);
    assert.equal(failed.response, null);
    assert.equal(failed.error, 'model_timeout: no answer');
    assert.equal('subScores' in failed || 'reasoning' in failed, false);
  });
});
