// Step 7's panel data (src/extension/deploy/deployView.ts) and the checks on what the webview asks (asDeployChoice).
import * as assert from 'node:assert/strict';
import type { BenchmarkFile, BenchmarkSampleComparison } from '../../src/core/deploy';
import { benchmarkView, deploymentView, tunedView } from '../../src/extension/deploy/deployView';
import { asDeployChoice } from '../../src/shared/deployProtocol';

const figures = { n: 2, base: 0.4, tuned: 0.7, delta: 0.3, ci: [0.1, 0.5] as const, relativeChange: 0.75, verdict: 'improvement' as const };
const sample = (response: string | null): BenchmarkSampleComparison => ({
  key: 'k',
  file: 'exports/valid.jsonl',
  line: 1,
  topic: 't',
  prompt: 'p'.repeat(2_500),
  base: { response, score: 0 },
  tuned: { response: 'ok', score: 1 },
  delta: 1,
});

function run(report: BenchmarkFile['report'], source: BenchmarkFile['config']['source'] = { kind: 'valid-split', file: 'exports/valid.jsonl' }): BenchmarkFile {
  return {
    kind: 'benchmark',
    version: 1,
    config: { base: 'gpt-4o-mini', tuned: 'ft:x', source, seed: 1, resamples: 1000 },
    graderHash: 'h',
    startedAt: '2026-12-01T22:00:00.000Z',
    status: 'complete',
    planned: 2,
    pairs: [],
    report,
  };
}

describe('results and deploy panel data', () => {
  it('a benchmark as the panel shows it: figures as reported, long text cut, the source named', () => {
    const view = benchmarkView(
      '/d/.rft/runs/benchmark-1.json',
      run({ overall: figures, byTopic: [{ ...figures, topic: 't' }], regressions: [], samples: { gains: [sample(null)], losses: [] }, errors: { pairs: 1, base: {}, tuned: { model_timeout: 1 } } }),
    )!;
    assert.equal(view.id, 'benchmark-1.json');
    assert.equal(view.source, 'exports/valid.jsonl');
    assert.deepEqual(view.report.overall, figures);
    assert.deepEqual(view.report.errors, { pairs: 1 });
    const [gain] = view.report.samples.gains;
    assert.equal(gain.base.response, null);
    assert.match(gain.prompt, /^p{2000}… \(500 more characters\)$/);
    assert.equal(benchmarkView('/x.json', run(null)), undefined, 'an unfinished run has no figures');
    assert.equal(
      benchmarkView('/x.json', run({ ...view.report, errors: { pairs: 0, base: {}, tuned: {} } } as BenchmarkFile['report'], { kind: 'dataset', n: 300, seed: 1 }))?.source,
      '300 records sampled from the dataset',
    );
  });

  it('the tuned model and the deployment keep what the panel shows, never more', () => {
    assert.deepEqual(tunedView({ model: 'ft:x', endpoint: 'openai', source: 'job', jobId: 'j1', recordedAt: 't', baseModel: 'o4-mini' }), {
      model: 'ft:x',
      endpoint: 'openai',
      source: 'job',
      jobId: 'j1',
      baseModel: 'o4-mini',
    });
    const view = deploymentView({
      kind: 'deploy',
      time: 't',
      gateway: 'litellm',
      mode: 'ab',
      via: 'file',
      target: '/g/config.yaml',
      modelName: 'support-bot',
      tunedModel: 'ft:x',
      weights: [
        { model: 'openai/gpt-4o-mini', weight: 90 },
        { model: 'openai/ft:x', weight: 10 },
      ],
      backup: '.rft/deploy-backups/b',
      writtenHash: 'h',
    });
    assert.equal(view.description, 'A/B 90/10 · support-bot');
    assert.equal('backup' in view, false);
  });

  it('a deployment choice from the webview is checked field by field', () => {
    assert.deepEqual(asDeployChoice({ mode: 'ab', modelName: ' support-bot ', weights: [90, 10] }), { mode: 'ab', modelName: 'support-bot', weights: [90, 10] });
    assert.deepEqual(asDeployChoice({ mode: 'alias', modelName: 'bot-ft', adminUrl: 'http://localhost:4000' }), { mode: 'alias', modelName: 'bot-ft', adminUrl: 'http://localhost:4000' });
    assert.deepEqual(
      asDeployChoice({ mode: 'ab', modelName: 'bot', weights: [90, 10], setSimpleShuffle: true }),
      { mode: 'ab', modelName: 'bot', weights: [90, 10], setSimpleShuffle: true },
      'the opt-in to switch routing_strategy',
    );
    assert.deepEqual(asDeployChoice({ mode: 'ab', modelName: 'bot', setSimpleShuffle: false }), { mode: 'ab', modelName: 'bot' });
    for (const bad of [
      { mode: 'replace', modelName: 'x', setSimpleShuffle: true },
      { mode: 'ab', modelName: 'x', setSimpleShuffle: 'yes' },
    ])
      assert.equal(asDeployChoice(bad), undefined, JSON.stringify(bad));
    for (const bad of [
      null,
      {},
      { mode: 'drop', modelName: 'x' },
      { mode: 'replace', modelName: '' },
      { mode: 'ab', modelName: 'x', weights: [90] },
      { mode: 'ab', modelName: 'x', weights: [-1, 10] },
      { mode: 'ab', modelName: 'x', weights: ['90', 10] },
      { mode: 'alias', modelName: 'x', adminUrl: 'file:///etc/passwd' },
    ]) {
      assert.equal(asDeployChoice(bad), undefined, JSON.stringify(bad));
    }
  });
});
