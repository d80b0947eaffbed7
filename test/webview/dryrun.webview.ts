// The dry-run results panel in headless Chromium, under its real CSP, driven through the dry-run protocol.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostMessage, RunSummaryView, RunView, SampleView, StatsView } from '../../src/shared/dryRunProtocol';
import { assertStrictCsp, OUTPUT, pageForEachTest, type DryRunProtocol, type HarnessWindow, type WebviewPage } from './harness';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

function stats(overrides: Partial<StatsView> = {}): StatsView {
  return {
    n: 300,
    prompts: 300,
    scored: 294,
    errors: 6,
    errorsByKind: { model_timeout: 4, invalid_variable_error: 2 },
    errorShare: 0.02,
    mean: 0.45,
    std: 0.18,
    min: 0,
    max: 1,
    p10: 0.2,
    p50: 0.45,
    p90: 0.7,
    shareAboveZero: 0.91,
    shareOne: 0.04,
    histogram: [12, 18, 30, 44, 52, 48, 40, 28, 14, 8],
    zeroVarianceShare: null,
    meanWithinPromptStd: null,
    promptTokens: 84_000,
    completionTokens: 30_000,
    costUsd: 0.0306,
    ...overrides,
  };
}

function sample(index: number, topic: string, score: number | null, extra: Partial<SampleView> = {}): SampleView {
  return { index, sampleIndex: 0, key: `k${index}`, file: 'records.jsonl', line: 10 + index, topic, prompt: `Prompt ${index}`, response: `Answer ${index}`, score, ...extra };
}

function run(overrides: Partial<RunView> = {}): RunView {
  return {
    id: 'dryrun-20261201T205000Z.json',
    startedAt: '2026-12-01T20:50:00.000Z',
    status: 'complete',
    model: 'gpt-4o-mini',
    samplesPerPrompt: 1,
    decision: 'GO',
    stats: stats(),
    byTopic: [
      { topic: 'billing/refunds', n: 120, mean: 0.51, rating: 'ok' },
      { topic: 'shipping/tracking', n: 100, mean: 0.38, rating: 'ok' },
      { topic: 'uncategorized', n: 74, mean: 0.05, rating: 'too hard' },
    ],
    reasons: [
      { text: 'mean 0.45 > 0.20 (GO)', level: 'GO' },
      { text: 'share of scores > 0 91 % > 70 % (GO)', level: 'GO' },
      { text: 'std 0.18 > 0.10 (GO)', level: 'GO' },
    ],
    diagnosis: [
      { text: 'Too hard (mean < 0.1): uncategorized (0.05).', actions: ['reviewDataset'] },
      { text: 'Flat scores somewhere — give partial credit (Adjust Grader).', actions: ['adjustGrader'] },
    ],
    samples: [
      sample(0, 'billing/refunds', 0.9, { reasoning: 'The answer names the refund window.' }),
      sample(1, 'billing/refunds', 0.1, { prompt: HOSTILE, response: HOSTILE, reasoning: HOSTILE }),
      sample(2, 'shipping/tracking', 0.55, { subScores: { tone: 0.5, accuracy: 0.6 } }),
      sample(3, 'shipping/tracking', null, { response: null, error: 'model_timeout: no answer within 60 s' }),
      sample(4, 'uncategorized', 0, { response: '' }),
    ],
    ...overrides,
  };
}

function previous(): RunSummaryView {
  return {
    id: 'dryrun-20261130T100000Z.json',
    startedAt: '2026-11-30T10:00:00.000Z',
    status: 'complete',
    model: 'gpt-4o-mini',
    samplesPerPrompt: 1,
    decision: 'NO-GO',
    stats: stats({ mean: 0.08, std: 0.09, shareAboveZero: 0.3, p50: 0.0, errorShare: 0.1 }),
    byTopic: [
      { topic: 'billing/refunds', n: 120, mean: 0.1, rating: 'ok' },
      { topic: 'shipping/tracking', n: 100, mean: 0.06, rating: 'too hard' },
    ],
  };
}

function message(overrides: Partial<Extract<HostMessage, { type: 'dryRun' }>> = {}): HostMessage {
  return { type: 'dryRun', dataset: 'assistant-support', datasetDir: '/work/datasets/assistant-support', run: run(), canRun: true, ...overrides };
}

interface CanvasLike {
  readonly dataset: Record<string, string | undefined>;
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
}

async function histogram(webview: WebviewPage<DryRunProtocol>): Promise<{ values: number[]; color: string; painted: number }> {
  return webview.page.locator('#histogram').evaluate((canvas: CanvasLike) => {
    const colour = canvas.dataset.color ?? '';
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) painted++;
    return { values: JSON.parse(canvas.dataset.values ?? '[]'), color: colour, painted };
  });
}

describe('dry-run webview', () => {
  let webview: WebviewPage<DryRunProtocol>;
  pageForEachTest('dryrun', (opened) => {
    webview = opened;
  });

  it('renders a run from a host message: badge with reasons, histogram drawn in the theme colour, stats and per-topic bars', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#decision', { hasText: 'GO' }).waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Dry Run — assistant-support');
    assert.equal(await page.locator('#decision').textContent(), 'GO');
    assert.match((await page.locator('#decision').getAttribute('class')) ?? '', /decision-go/);
    assert.deepEqual(await page.locator('#reasons li').allTextContents(), ['mean 0.45 > 0.20 (GO)', 'share of scores > 0 91 % > 70 % (GO)', 'std 0.18 > 0.10 (GO)']);
    assert.match((await page.locator('#run-meta').textContent()) ?? '', /^Tested 294 of 300 samples · gpt-4o-mini · mean 0.45 · std 0.18 · 2026-12-01 20:50 UTC$/);
    const drawn = await histogram(webview);
    assert.deepEqual(drawn.values, [12, 18, 30, 44, 52, 48, 40, 28, 14, 8]);
    assert.equal(drawn.color, '#3794ff', '--vscode-charts-blue');
    assert.ok(drawn.painted > 1000, `the bars are painted (${drawn.painted} px)`);
    assert.match((await page.locator('#histogram').getAttribute('aria-label')) ?? '', /^Score distribution of 294 samples: 0\.0–0\.1: 12; /);
    const stat = (id: string) => page.locator(`#stat-${id}`).textContent();
    assert.equal(await stat('mean'), '0.45');
    assert.equal(await stat('std'), '0.18');
    assert.equal(await stat('min'), '0.00');
    assert.equal(await stat('max'), '1.00');
    assert.equal(await stat('percentiles'), '0.20 / 0.45 / 0.70');
    assert.equal(await stat('share-above-zero'), '91.0%');
    assert.equal(await stat('share-one'), '4.0%');
    assert.equal(await stat('zero-variance'), 'n/a (K = 1)');
    assert.equal(await stat('errors'), '2.0% (6)');
    assert.equal(await stat('tokens'), '114,000');
    assert.equal(await stat('cost'), '$0.03');
    const rows = await page.locator('#topics tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    assert.deepEqual(rows, [
      ['billing/refunds', '120', '0.51', '', 'ok'],
      ['shipping/tracking', '100', '0.38', '', 'ok'],
      ['uncategorized', '74', '0.05', '', 'too hard'],
    ]);
    assert.equal(await page.locator('#topics tr[data-topic="billing/refunds"] .bar').evaluate((bar) => (bar as unknown as { style: { width: string } }).style.width), '51%');
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'dryrun-go.png'), fullPage: true });
  });

  it('NO-GO and CAUTION badges; Start Training is enabled on GO and CAUTION only, and says training arrives later', async () => {
    const { page } = webview;
    await webview.send(message({ run: run({ decision: 'NO-GO', reasons: [{ text: 'mean 0.08 < 0.10 (NO-GO)', level: 'NO-GO' }] }) }));
    await page.locator('#decision', { hasText: 'NO-GO' }).waitFor();
    assert.equal(await page.locator('#decision').textContent(), 'NO-GO');
    assert.match((await page.locator('#decision').getAttribute('class')) ?? '', /decision-no-go/);
    assert.equal(await page.locator('#action-startTraining').getAttribute('disabled'), '');
    assert.equal(await page.locator('#action-startTraining').getAttribute('title'), 'Training starts on GO or CAUTION.');
    await webview.send(message({ run: run({ decision: 'CAUTION' }) }));
    await page.locator('#decision', { hasText: 'CAUTION' }).waitFor();
    assert.equal(await page.locator('#action-startTraining').getAttribute('disabled'), null);
    await page.locator('#action-startTraining').click();
    assert.equal((await webview.postedOfType('startTraining')).length, 1);
  });

  it('the diagnosis and the action bar post the right messages', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#diagnosis li').first().waitFor();
    assert.deepEqual(await page.locator('#diagnosis .diagnosis-text').allTextContents(), [
      'Too hard (mean < 0.1): uncategorized (0.05).',
      'Flat scores somewhere — give partial credit (Adjust Grader).',
    ]);
    await page.locator('#diagnosis li').nth(0).locator('[data-action="reviewDataset"]').click();
    await page.locator('#diagnosis li').nth(1).locator('[data-action="adjustGrader"]').click();
    await page.locator('#action-adjustGrader').click();
    await page.locator('#action-rerun').click();
    await page.locator('#action-reviewDataset').click();
    await page.locator('#rerun').click();
    const posted = (await webview.posted()).map((m) => m.type).filter((type) => type !== 'ready');
    assert.deepEqual(posted, ['reviewDataset', 'adjustGrader', 'adjustGrader', 'rerun', 'reviewDataset', 'rerun']);
  });

  it('shows samples as text with scores, reasoning and errors; filters lowest, highest, errors and by topic; opens a record at its line', async () => {
    await webview.send(message());
    const { page } = webview;
    const list = page.locator('#samples');
    await list.locator('li').first().waitFor();
    // lowest first (errors have no score and are left out)
    assert.deepEqual(await list.locator('.sample-score').allTextContents(), ['0.00', '0.10', '0.55', '0.90']);
    const hostile = list.locator('li[data-index="1"]');
    assert.equal(await hostile.locator('.sample-prompt').textContent(), HOSTILE);
    assert.equal(await hostile.locator('.sample-response').textContent(), HOSTILE);
    assert.equal(await hostile.locator('.sample-reasoning').textContent(), HOSTILE);
    assert.equal(await page.locator('#samples img, #samples script').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
    assert.equal(await list.locator('li[data-index="4"] .sample-response').textContent(), '(empty answer)');
    assert.equal(await list.locator('li[data-index="2"] .sample-subscores').textContent(), 'tone 0.50 · accuracy 0.60');
    assert.equal(await list.locator('li[data-index="0"] .sample-reasoning').textContent(), 'The answer names the refund window.');
    assert.equal(await page.locator('#samples-count').textContent(), 'Showing 4 of 4 · 1 with errors');

    await page.locator('#sample-filter').selectOption('highest');
    assert.deepEqual(await list.locator('.sample-score').allTextContents(), ['0.90', '0.55', '0.10', '0.00']);
    await page.locator('#sample-filter').selectOption('errors');
    assert.deepEqual(await list.locator('.sample-score').allTextContents(), ['error']);
    assert.equal(await list.locator('.sample-error').textContent(), 'model_timeout: no answer within 60 s');
    assert.equal(await list.locator('.sample-response').textContent(), '(no answer: the model call failed)');
    await page.locator('#sample-filter').selectOption('topic');
    assert.equal(await page.locator('#sample-topic').isVisible(), true);
    assert.deepEqual(await page.locator('#sample-topic option').allTextContents(), ['billing/refunds', 'shipping/tracking', 'uncategorized']);
    await page.locator('#sample-topic').selectOption('shipping/tracking');
    assert.deepEqual(await list.locator('.sample-location').allTextContents(), ['records.jsonl:13', 'records.jsonl:12']);
    assert.deepEqual(await webview.state(), { dataset: '/work/datasets/assistant-support', filter: 'topic', topic: 'shipping/tracking' });

    await list.locator('.sample-location').first().click();
    assert.deepEqual(await webview.postedOfType('openRecord'), [{ type: 'openRecord', file: 'records.jsonl', line: 13 }]);

    // The filter survives a reload (getState/setState).
    await webview.reload();
    await webview.send(message());
    await list.locator('li').first().waitFor();
    assert.equal(await page.locator('#sample-filter').inputValue(), 'topic');
    assert.equal(await page.locator('#sample-topic').inputValue(), 'shipping/tracking');
  });

  it('compares with the previous run: decision, statistics and per-topic deltas', async () => {
    await webview.send(message({ previous: previous() }));
    const { page } = webview;
    await page.locator('#compare-stats').waitFor();
    const row = (id: string) => page.locator(`#compare-stats tr[data-metric="${id}"] td`).allTextContents();
    assert.deepEqual(await row('decision'), ['GO', 'NO-GO', 'NO-GO → GO']);
    assert.deepEqual(await row('mean'), ['0.45', '0.08', '+0.37']);
    assert.deepEqual(await row('shareAboveZero'), ['91.0%', '30.0%', '+61.0 pt']);
    assert.deepEqual(await row('errors'), ['2.0%', '10.0%', '−8.0 pt']);
    const topics = await page.locator('#compare-topics tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    assert.deepEqual(topics, [
      ['billing/refunds', '0.51', '0.10', '+0.41'],
      ['shipping/tracking', '0.38', '0.06', '+0.32'],
      ['uncategorized', '0.05', '—', '—'],
    ]);
    await page.locator('#compare').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUTPUT, 'dryrun-compare.png'), fullPage: true });
  });

  it('while running: progress per topic, a live histogram, and Stop posts cancel', async () => {
    await webview.send(message({ run: undefined }));
    const { page } = webview;
    await page.locator('#empty', { hasText: 'No dry run yet' }).waitFor();
    await webview.send({
      type: 'started',
      model: 'gpt-4o-mini',
      total: 40,
      byTopic: [
        { topic: 'billing/refunds', done: 0, total: 24 },
        { topic: 'shipping/tracking', done: 0, total: 16 },
      ],
      estimate: 'Estimate: 40 answers from gpt-4o-mini, ~12,000 tokens, ~$0.01',
    });
    await page.locator('#progress').waitFor();
    assert.equal(await page.locator('#stop').isVisible(), true);
    assert.equal(await page.locator('#rerun').getAttribute('disabled'), '');
    assert.equal(await page.locator('#estimate').textContent(), 'Estimate: 40 answers from gpt-4o-mini, ~12,000 tokens, ~$0.01');
    await webview.send({
      type: 'progress',
      done: 10,
      total: 40,
      errors: 1,
      byTopic: [
        { topic: 'billing/refunds', done: 6, total: 24 },
        { topic: 'shipping/tracking', done: 4, total: 16 },
      ],
      histogram: [2, 0, 1, 0, 3, 0, 0, 1, 0, 2],
      mean: 0.41,
    });
    await page.locator('#progress-text', { hasText: '10 / 40' }).waitFor();
    assert.equal(await page.locator('#progress-text').textContent(), '10 / 40 samples scored · mean so far 0.41 · 1 errors');
    assert.deepEqual(await page.locator('#progress-topics tbody tr td.num').allTextContents(), ['6 / 24', '4 / 16']);
    const live = await histogram(webview);
    assert.deepEqual(live.values, [2, 0, 1, 0, 3, 0, 0, 1, 0, 2]);
    assert.ok(live.painted > 100);
    await page.screenshot({ path: path.join(OUTPUT, 'dryrun-running.png'), fullPage: true });
    await page.locator('#stop').click();
    assert.equal((await webview.postedOfType('cancel')).length, 1);
    await webview.send({ type: 'finished', outcome: 'cancelled', message: 'Stopped: the samples answered so far are kept in the run file.' });
    await webview.send(message({ run: run({ status: 'cancelled', decision: null, reasons: [] }) }));
    await page.locator('#decision', { hasText: 'UNFINISHED' }).waitFor();
    assert.equal(await page.locator('#stop').isVisible(), false);
    assert.equal(await page.locator('#progress').isVisible(), false);
    assert.equal(await page.locator('#notice').textContent(), 'Stopped: the samples answered so far are kept in the run file.');
    assert.match((await page.locator('#run-meta').textContent()) ?? '', /stopped early$/);
  });

  it('an untrusted workspace or a dataset without a grader cannot run, and says why; errors show as text', async () => {
    await webview.send(message({ run: undefined, canRun: false, cannotRunReason: 'This workspace is not trusted: a dry run calls the base model.' }));
    const { page } = webview;
    await page.locator('#empty', { hasText: 'not trusted' }).waitFor();
    assert.equal(await page.locator('#rerun').getAttribute('disabled'), '');
    await webview.send({ type: 'error', message: HOSTILE });
    assert.equal(await page.locator('.error-text').textContent(), HOSTILE);
    assert.equal(await page.locator('.error-banner img').count(), 0);
  });

  it('keeps inline scripts without the nonce from running (strict CSP with a nonce)', async () => {
    await assertStrictCsp(webview);
  });
});
