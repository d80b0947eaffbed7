// The results and deploy panel (step 7) in headless Chromium, under its real CSP, driven through its protocol.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchmarkView, ComparisonView, HostMessage, TopicFiguresView } from '../../src/shared/deployProtocol';
import { assertStrictCsp, OUTPUT, pageForEachTest, type DeployProtocol, type HarnessWindow, type WebviewPage } from './harness';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

function topic(name: string, base: number, tuned: number, ci: [number, number], verdict: TopicFiguresView['verdict']): TopicFiguresView {
  return { topic: name, n: 40, base, tuned, delta: tuned - base, ci, relativeChange: (tuned - base) / base, verdict };
}

function comparison(key: string, base: number, tuned: number, extra: Partial<ComparisonView> = {}): ComparisonView {
  return {
    key,
    file: 'exports/valid.jsonl',
    line: 3,
    topic: 'billing/refunds',
    prompt: `Prompt ${key}`,
    base: { response: `Before ${key}`, score: base },
    tuned: { response: `After ${key}`, score: tuned },
    delta: tuned - base,
    ...extra,
  };
}

/** A benchmark as the core reports it: 0.42 → 0.67 overall, one topic up, one flat, one regressed. */
function benchmark(): BenchmarkView {
  return {
    id: 'benchmark-20261201T220000Z.json',
    startedAt: '2026-12-01T22:00:00.000Z',
    base: 'gpt-4o-mini',
    tuned: 'ft:gpt-4o-mini:org::abc123',
    source: 'exports/valid.jsonl',
    report: {
      overall: { n: 120, base: 0.42, tuned: 0.67, delta: 0.25, ci: [0.18, 0.31], relativeChange: 0.595, verdict: 'improvement' },
      byTopic: [
        topic('billing/refunds', 0.51, 0.72, [0.12, 0.3], 'improvement'),
        topic('shipping/tracking', 0.45, 0.43, [-0.08, 0.04], 'no clear change'),
        topic('account/login', 0.6, 0.4, [-0.3, -0.1], 'regression'),
      ],
      regressions: ['account/login'],
      samples: {
        gains: [comparison('g1', 0.35, 0.72), comparison('g2', 0.1, 0.9, { prompt: HOSTILE, base: { response: HOSTILE, score: 0.1 }, tuned: { response: HOSTILE, score: 0.9 } })],
        losses: [comparison('l1', 0.8, 0.2, { topic: 'account/login' })],
      },
      errors: { pairs: 0 },
    },
  };
}

function message(overrides: Partial<Extract<HostMessage, { type: 'deploy' }>> = {}): HostMessage {
  return {
    type: 'deploy',
    dataset: 'assistant-support',
    datasetDir: '/work/datasets/assistant-support',
    tuned: { model: 'ft:gpt-4o-mini:org::abc123', endpoint: 'openai', source: 'job', jobId: 'job-1', baseModel: 'gpt-4o-mini' },
    defaultBase: 'gpt-4o-mini',
    benchmark: benchmark(),
    canRun: true,
    ...overrides,
  };
}

const DIFF = `--- a/config.yaml
+++ b/config.yaml
@@ -13,6 +13,13 @@
   - model_name: support-bot
     litellm_params:
       model: openai/gpt-4o-mini   # base model, to be tuned
       api_key: *openai_key
       rpm: 600
+      weight: 90
+  - model_name: support-bot
+    litellm_params:
+      model: openai/ft:gpt-4o-mini:org::abc123
+      api_key: os.environ/OPENAI_API_KEY
+      weight: 10
-      # ${HOSTILE}
`;

describe('results and deploy webview', () => {
  let webview: WebviewPage<DeployProtocol>;
  pageForEachTest('deploy', (opened) => {
    webview = opened;
  });

  it('renders a benchmark: overall before → after with the change, per-topic bars with intervals, regression and "no clear change" flags', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#overall', { hasText: 'Overall' }).waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Results & Deploy — assistant-support');
    assert.equal(await page.locator('#overall').textContent(), 'Overall: 0.42 → 0.67 · +60 %');
    assert.match((await page.locator('#overall').getAttribute('class')) ?? '', /verdict-improvement/);
    assert.match(
      (await page.locator('#overall-detail').textContent()) ?? '',
      /^Δ \+0\.25 · 95 % CI \[\+0\.180, \+0\.310\] · ▲ improvement · 120 prompts · gpt-4o-mini vs ft:gpt-4o-mini:org::abc123 · exports\/valid\.jsonl/,
    );
    assert.match((await page.locator('#regressions').textContent()) ?? '', /^⚠ Regression: account\/login/);
    assert.equal(await page.locator('#regressions').isVisible(), true);
    const rows = await page.locator('#topics tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    assert.deepEqual(rows, [
      ['billing/refunds', '40', '0.51 → 0.72 · +41 %', '[+0.120, +0.300]', '▲ improvement'],
      ['shipping/tracking', '40', '0.45 → 0.43 · −4 %', '[−0.080, +0.040]', 'no clear change'],
      ['account/login', '40', '0.60 → 0.40 · −33 %', '[−0.300, −0.100]', '⚠ regression'],
    ]);
    assert.equal(await page.locator('#topics tr[data-topic="account/login"]').getAttribute('data-verdict'), 'regression');
    const chart = await page.locator('#topic-chart').evaluate((canvas) => ({ ...(canvas as unknown as { dataset: Record<string, string> }).dataset }));
    assert.deepEqual(JSON.parse(chart.base), [0.51, 0.45, 0.6]);
    assert.deepEqual(JSON.parse(chart.tuned), [0.72, 0.43, 0.4]);
    assert.deepEqual(JSON.parse(chart.ci), [
      [0.12, 0.3],
      [-0.08, 0.04],
      [-0.3, -0.1],
    ]);
    assert.equal(chart.color, '#3794ff', '--vscode-charts-blue');
    assert.equal(await page.locator('#gains li.comparison').count(), 2);
    const first = page.locator('#gains li.comparison').first();
    assert.deepEqual(await first.locator('.answer-score').allTextContents(), ['Score: 0.35', 'Score: 0.72']);
    assert.deepEqual(await first.locator('.answer-text').allTextContents(), ['Before g1', 'After g1']);
    assert.equal(await page.locator('#losses li.comparison .answer-score').first().textContent(), 'Score: 0.80');
    await assertStrictCsp(webview);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'deploy-results.png'), fullPage: true });
  });

  it('hostile record and answer text stays text, in the samples, the diff and the error banner', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#gains li.comparison').nth(1).waitFor();
    const hostile = page.locator('#gains li.comparison').nth(1);
    assert.equal(await hostile.locator('.prompt').textContent(), HOSTILE);
    assert.deepEqual(await hostile.locator('.answer-text').allTextContents(), [HOSTILE, HOSTILE]);
    await webview.send({ type: 'plan', choice: { mode: 'ab', modelName: 'support-bot', weights: [90, 10] }, config: '/w/config.yaml', diff: DIFF, changes: [HOSTILE] });
    await page.locator('#diff .diff-line').first().waitFor();
    assert.equal(await page.locator('#changes li').textContent(), HOSTILE);
    await webview.send({ type: 'error', message: HOSTILE });
    assert.equal(await page.locator('.error-text').textContent(), HOSTILE);
    assert.equal(await page.locator('img, script:not([src])').count(), 1, 'only the harness probe script: no element came from data');
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
  });

  it('the three deployment options post the right preview and deploy requests; the diff shows as text lines, additions and removals marked', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#overall', { hasText: 'Overall' }).waitFor();
    await page.locator('#pick-config').click();
    assert.equal((await webview.postedOfType('pickConfig')).length, 1);
    await webview.send({ type: 'config', config: { file: '/work/gateway/config.yaml', modelNames: ['support-bot', 'summarizer', 'embeddings'] } });
    await page.locator('#config-file', { hasText: '/work/gateway/config.yaml' }).waitFor();
    assert.deepEqual(await page.locator('#model-name option').allTextContents(), ['support-bot', 'summarizer', 'embeddings']);

    // A/B is the default: model_name and weights shown, the alias field hidden; Deploy waits for a preview.
    assert.equal(await page.locator('#mode-ab').isChecked(), true);
    assert.equal(await page.locator('#field-alias').isHidden(), true);
    assert.equal(await page.locator('#deploy').getAttribute('disabled'), '');
    await page.locator('#weight-base').fill('80');
    await page.locator('#weight-tuned').fill('20');
    await page.locator('#preview').click();
    await webview.send({
      type: 'plan',
      choice: { mode: 'ab', modelName: 'support-bot', weights: [80, 20] },
      config: '/work/gateway/config.yaml',
      diff: DIFF,
      changes: ['support-bot[0].litellm_params.weight: 80', 'support-bot[1]: openai/ft:gpt-4o-mini:org::abc123 (weight 20)'],
    });
    await page.locator('#diff .diff-line').first().waitFor();
    const lines = await page.locator('#diff .diff-line').evaluateAll((spans) => spans.map((span) => [span.className.replace('diff-line ', ''), span.textContent]));
    assert.equal(lines.length, DIFF.trimEnd().split('\n').length);
    assert.deepEqual(lines[0], ['diff-file', '--- a/config.yaml\n']);
    assert.deepEqual(
      lines.find(([, text]) => text === '+      weight: 90\n'),
      ['diff-add', '+      weight: 90\n'],
    );
    assert.equal(lines.filter(([kind]) => kind === 'diff-del').length, 1);
    assert.equal(await page.locator('#diff').textContent(), DIFF);
    assert.equal(await page.locator('#deploy').getAttribute('disabled'), null);
    await page.screenshot({ path: path.join(OUTPUT, 'deploy-diff.png'), fullPage: true });
    await page.locator('#deploy').click();

    await page.locator('#mode-replace').check();
    assert.equal(await page.locator('#field-weights').isHidden(), true);
    assert.equal(await page.locator('#diff').isHidden(), true, 'a changed choice hides the old preview');
    await page.locator('#model-name').selectOption('summarizer');
    await page.locator('#preview').click();

    await page.locator('#mode-alias').check();
    assert.equal(await page.locator('#field-model-name').isHidden(), true);
    assert.equal(await page.locator('#alias').inputValue(), 'support-bot-tuned');
    await page.locator('#alias').fill('support-bot-ft');
    await page.locator('#admin-url').fill('http://localhost:4000');
    assert.equal(await page.locator('#deploy').getAttribute('disabled'), null, 'the admin route has no file diff to preview');
    await page.locator('#deploy').click();

    assert.deepEqual(
      (await webview.postedOfType('preview')).map((m) => m.choice),
      [
        { mode: 'ab', modelName: 'support-bot', weights: [80, 20] },
        { mode: 'replace', modelName: 'summarizer' },
      ],
    );
    assert.deepEqual(
      (await webview.postedOfType('deploy')).map((m) => m.choice),
      [
        { mode: 'ab', modelName: 'support-bot', weights: [80, 20] },
        { mode: 'alias', modelName: 'support-bot-ft', adminUrl: 'http://localhost:4000' },
      ],
    );
    assert.equal((await webview.state())?.mode, 'alias', 'the chosen option is kept across reloads');
  });

  it('A/B under a routing_strategy that ignores weights: the panel says why and offers the opt-in; only a checked box asks to switch to simple-shuffle', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#overall', { hasText: 'Overall' }).waitFor();
    await webview.send({ type: 'config', config: { file: '/work/gateway/config.yaml', modelNames: ['support-bot'], routingStrategy: 'least-busy' } });
    await page.locator('#routing-note').waitFor();
    assert.match((await page.locator('#routing-text').textContent()) ?? '', /routing_strategy "least-busy"\. LiteLLM reads the weights only with simple-shuffle, so the A\/B split would not happen/);
    assert.match((await page.locator('#routing-note label').textContent()) ?? '', /Set routing_strategy to simple-shuffle \(it applies to every model group of this proxy\)/);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.locator('#routing-note').screenshot({ path: path.join(OUTPUT, 'deploy-routing-note.png') });
    await page.locator('#preview').click();
    await page.locator('#set-simple-shuffle').check();
    await page.locator('#preview').click();
    assert.deepEqual(
      (await webview.postedOfType('preview')).map((m) => m.choice),
      [
        { mode: 'ab', modelName: 'support-bot', weights: [90, 10] },
        { mode: 'ab', modelName: 'support-bot', weights: [90, 10], setSimpleShuffle: true },
      ],
    );
    await page.locator('#mode-alias').check();
    assert.equal(await page.locator('#routing-note').isHidden(), true, 'an alias does not depend on weights');
    await page.locator('#mode-ab').check();
    assert.equal(await page.locator('#routing-note').isVisible(), true);
    await page.locator('#admin-url').fill('http://localhost:4000');
    assert.equal(await page.locator('#routing-note').isHidden(), true, 'the admin route checks the running proxy itself');
    await page.locator('#admin-url').fill('');
    await webview.send({ type: 'config', config: { file: '/work/gateway/other.yaml', modelNames: ['support-bot'] } });
    await page.locator('#config-file', { hasText: 'other.yaml' }).waitFor();
    assert.equal(await page.locator('#routing-note').isHidden(), true, "not set: LiteLLM's default simple-shuffle reads the weights");
    assert.match((await page.locator('#admin-hint').textContent()) ?? '', /store_model_in_db.*never shows api_key/);
  });

  it('Run Benchmarks posts the base model and N, shows progress with Stop, and the deployment line enables Undo', async () => {
    await webview.send(
      message({
        benchmark: undefined,
        deployment: {
          time: '2026-12-01T22:10:00.000Z',
          mode: 'ab',
          via: 'file',
          target: '/work/gateway/config.yaml',
          modelName: 'support-bot',
          tunedModel: 'ft:gpt-4o-mini:org::abc123',
          description: 'A/B 90/10 · support-bot',
        },
      }),
    );
    const { page } = webview;
    await page.locator('#deployment', { hasText: 'Deployed' }).waitFor();
    assert.match((await page.locator('#deployment').textContent()) ?? '', /^Deployed · A\/B 90\/10 · support-bot · \/work\/gateway\/config\.yaml/);
    assert.equal(await page.locator('#results').isHidden(), true);
    assert.match((await page.locator('#empty').textContent()) ?? '', /^No benchmark yet/);
    assert.equal(await page.locator('#base-model').inputValue(), 'gpt-4o-mini');
    await page.locator('#bench-n').fill('50');
    await page.locator('#run-benchmarks').click();
    assert.deepEqual((await webview.postedOfType('runBenchmark'))[0], { type: 'runBenchmark', base: 'gpt-4o-mini', n: 50 });
    await webview.send({ type: 'started', base: 'gpt-4o-mini', total: 50 });
    await webview.send({ type: 'progress', done: 20, total: 50, errors: 1, baseMean: 0.4, tunedMean: 0.6 });
    await page.locator('#progress', { hasText: '20 / 50' }).waitFor();
    assert.equal(await page.locator('#progress').textContent(), '20 / 50 pairs scored · so far 0.40 → 0.60 · 1 with errors');
    assert.equal(await page.locator('#stop').isVisible(), true);
    assert.equal(await page.locator('#run-benchmarks').getAttribute('disabled'), '');
    await page.locator('#stop').click();
    assert.equal((await webview.postedOfType('cancel')).length, 1);
    await webview.send({ type: 'finished', outcome: 'cancelled', message: 'Stopped: the pairs answered so far are kept in the run file.' });
    await page.locator('#notice', { hasText: 'Stopped' }).waitFor();
    assert.equal(await page.locator('#stop').isHidden(), true);
    assert.equal(await page.locator('#undo').getAttribute('disabled'), null);
    await page.locator('#undo').click();
    assert.equal((await webview.postedOfType('undo')).length, 1);
  });

  it('without a tuned model the form asks for one and posts it (a key variable name, never a key); untrusted: Run is disabled with the reason', async () => {
    await webview.send(message({ tuned: undefined, benchmark: undefined, canRun: false, cannotRunReason: 'This workspace is not trusted: benchmarks … do not run in an untrusted workspace.' }));
    const { page } = webview;
    await page.locator('#tuned-form').waitFor();
    assert.match((await page.locator('#tuned-line').textContent()) ?? '', /^No tuned model yet/);
    assert.equal(await page.locator('#run-benchmarks').getAttribute('disabled'), '');
    assert.match((await page.locator('#empty').textContent()) ?? '', /not trusted/);
    assert.equal(await page.locator('#field-base-url').isHidden(), true);
    await page.locator('#tuned-endpoint').selectOption('compatible');
    assert.equal(await page.locator('#field-base-url').isVisible(), true);
    await page.locator('#tuned-model').fill('Qwen2.5-7B-rft');
    await page.locator('#tuned-base-url').fill('http://localhost:8000/v1');
    await page.locator('#tuned-key-env').fill('VLLM_API_KEY');
    await page.locator('#save-tuned').click();
    assert.deepEqual((await webview.postedOfType('saveTuned'))[0].tuned, { model: 'Qwen2.5-7B-rft', endpoint: 'compatible', baseURL: 'http://localhost:8000/v1', apiKeyEnv: 'VLLM_API_KEY' });
    await page.locator('#open-playground').click();
    assert.equal((await webview.postedOfType('openPlayground')).length, 1);
  });
});
