// The generation panel in headless Chromium, under its real CSP, driven through the generation protocol.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostMessage, ResultView, TopicProgressView } from '../../src/shared/generateProtocol';
import { assertStrictCsp, OUTPUT, pageForEachTest, type GenerateProtocol, type HarnessWindow, type WebviewPage } from './harness';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>What is 17% of 250?';

function setup(overrides: Partial<Extract<HostMessage, { type: 'setup' }>> = {}): HostMessage {
  return {
    type: 'setup',
    dataset: 'assistant-support',
    datasetDir: '/work/datasets/assistant-support',
    topics: [
      { path: 'billing/refunds', count: 40, share: 0.4, target: 0.25, gap: 0 },
      { path: 'billing/calculations', count: 8, share: 0.08, target: 0.25, gap: 17 },
      { path: 'shipping/tracking', count: 30, share: 0.3, target: 0.25, gap: 0 },
      { path: 'shipping/returns', count: 22, share: 0.22, target: 0.25, gap: 3 },
    ],
    counts: { 'billing/calculations': 17, 'shipping/returns': 3 },
    model: 'gpt-4o-mini',
    ...overrides,
  };
}

function topic(name: string, requested: number, figures: Partial<TopicProgressView> = {}): TopicProgressView {
  return { topic: name, requested, written: 0, candidates: 0, invalid: 0, duplicates: 0, nearDuplicates: 0, offTarget: 0, landedShare: 0, validShare: 0, ...figures };
}

const cells = (webview: WebviewPage<GenerateProtocol>, selector: string) =>
  webview.page
    .locator(selector)
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.querySelector('input') as unknown as { value: string } | null)?.value ?? cell.textContent)));

describe('generation webview', () => {
  let webview: WebviewPage<GenerateProtocol>;
  pageForEachTest('generate', (opened) => {
    webview = opened;
  });

  it('renders the topics with their gaps as editable counts, the total, the strategy and the model, and asks for the estimate', async () => {
    await webview.send(setup());
    const { page } = webview;
    await page.locator('#topic-rows tr').first().waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Generate Samples — assistant-support');
    assert.deepEqual(await cells(webview, '#topic-rows tr'), [
      ['billing/refunds', '40', '40.0%', '25.0%', '0', '0'],
      ['billing/calculations', '8', '8.0%', '25.0%', '+17', '17'],
      ['shipping/tracking', '30', '30.0%', '25.0%', '0', '0'],
      ['shipping/returns', '22', '22.0%', '25.0%', '+3', '3'],
    ]);
    assert.equal(await page.locator('#total').textContent(), '20');
    assert.equal(await page.locator('#strategy').inputValue(), 'few-shot');
    assert.match((await page.locator('#strategy-explanation').textContent()) ?? '', /a few of the topic’s own records/);
    assert.equal(await page.locator('#model').inputValue(), 'gpt-4o-mini');
    await webview.waitForPosted('estimate');
    const [asked] = await webview.postedOfType('estimate');
    assert.deepEqual(
      { targets: asked.targets, strategy: asked.strategy, model: asked.model },
      {
        targets: [
          { topic: 'billing/calculations', count: 17 },
          { topic: 'shipping/returns', count: 3 },
        ],
        strategy: 'few-shot',
        model: 'gpt-4o-mini',
      },
    );
    await webview.send({ type: 'estimate', id: asked.id, estimate: { records: 20, requests: 7, promptTokens: 9_000, completionTokens: 3_000, costUsd: 0.0031, assumedLandedShare: 0.6 } });
    await page.locator('#estimate', { hasText: 'Estimate:' }).waitFor();
    assert.equal(await page.locator('#estimate').textContent(), 'Estimate: 20 records in ~7 requests, ~12,000 tokens, ~$0.0031 (assuming 60% of the candidates land).');
    assert.equal(await page.locator('#start').getAttribute('disabled'), null);
    await assertStrictCsp(webview);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'generate-setup.png'), fullPage: true });
  });

  it('edited counts, strategy and model change the total and the estimate; Start posts the targets; answers to older estimates are dropped', async () => {
    await webview.send(setup());
    const { page } = webview;
    await webview.waitForPosted('estimate');
    const [first] = await webview.postedOfType('estimate');
    await page.locator('input.count[data-topic="billing/refunds"]').fill('5');
    await page.locator('input.count[data-topic="shipping/returns"]').fill('0');
    assert.equal(await page.locator('#total').textContent(), '22');
    await page.locator('#strategy').selectOption('tools');
    assert.match((await page.locator('#strategy-explanation').textContent()) ?? '', /tools array is carried/);
    await page.locator('#model').fill('gpt-4.1-mini');
    await webview.waitForPosted('estimate', 2);
    const estimates = await webview.postedOfType('estimate');
    const latest = estimates.at(-1)!;
    assert.equal(estimates.length, 2, 'the edits settle into one new estimate request');
    assert.deepEqual(latest.targets, [
      { topic: 'billing/refunds', count: 5 },
      { topic: 'billing/calculations', count: 17 },
    ]);
    assert.equal(latest.strategy, 'tools');
    assert.equal(latest.model, 'gpt-4.1-mini');
    await webview.send({ type: 'estimate', id: first.id, estimate: { records: 20, requests: 7, promptTokens: 1, completionTokens: 1, costUsd: null, assumedLandedShare: 0.6 } });
    await webview.send({ type: 'estimate', id: latest.id, estimate: { records: 22, requests: 8, promptTokens: 10_000, completionTokens: 4_000, costUsd: null, assumedLandedShare: 0.5 } });
    await page.locator('#estimate', { hasText: '22 records' }).waitFor();
    assert.match((await page.locator('#estimate').textContent()) ?? '', /cost unknown for this model/);
    // A count that is not a whole number disables Start until it is fixed.
    await page.locator('input.count[data-topic="billing/refunds"]').fill('2.5');
    assert.equal(await page.locator('#start').getAttribute('disabled'), '');
    assert.equal(await page.locator('#total').textContent(), '—');
    await page.locator('input.count[data-topic="billing/refunds"]').fill('5');
    await page.locator('#start').click();
    const [start] = await webview.postedOfType('start');
    assert.deepEqual(start, {
      type: 'start',
      targets: [
        { topic: 'billing/refunds', count: 5 },
        { topic: 'billing/calculations', count: 17 },
      ],
      strategy: 'tools',
      model: 'gpt-4.1-mini',
    });
    assert.equal(await page.locator('#start').getAttribute('disabled'), '', 'one Start until the host answers');
    assert.deepEqual(await webview.state(), { dataset: '/work/datasets/assistant-support', strategy: 'tools', model: 'gpt-4.1-mini' });
  });

  it('progress updates the per-topic figures and the preview (a hostile prompt stays text); Stop posts stop; the result offers coverage and the records', async () => {
    await webview.send(setup());
    const { page } = webview;
    await page.locator('#topic-rows tr').first().waitFor();
    await page.locator('#start').click();
    await webview.send({
      type: 'started',
      model: 'gpt-4o-mini',
      strategy: 'few-shot',
      targets: [
        { topic: 'billing/calculations', count: 17 },
        { topic: 'shipping/returns', count: 3 },
      ],
    });
    await page.locator('#stop').waitFor();
    assert.equal(await page.locator('#setup').isHidden(), true, 'the setup hides while a run goes');
    await webview.send({
      type: 'progress',
      byTopic: [
        topic('billing/calculations', 17, { written: 6, candidates: 10, invalid: 1, duplicates: 1, nearDuplicates: 2, offTarget: 0, landedShare: 0.6, validShare: 0.9 }),
        topic('shipping/returns', 3),
      ],
      requests: 2,
      tokens: 3_456,
      failedRequests: 1,
      lastFailure: 'shipping/returns: 429 rate limited',
      preview: { topic: 'billing/calculations', prompt: HOSTILE, outcome: 'written', line: 6 },
    });
    await page.locator('#run-rows tr[data-topic="billing/calculations"] td.written', { hasText: '6' }).waitFor();
    assert.deepEqual(await cells(webview, '#run-rows tr'), [
      ['billing/calculations', '17', '6', '', '90%', '60%', '2', '1', '0', '1'],
      ['shipping/returns', '3', '0', '', '—', '—', '0', '0', '0', '0'],
    ]);
    const width = await page.locator('#run-rows tr[data-topic="billing/calculations"] .bar').evaluate((bar) => (bar as unknown as { style: { width: string } }).style.width);
    assert.ok(Math.abs(parseFloat(width) - (6 / 17) * 100) < 0.01, `the bar is 6 / 17 wide: ${width}`);
    assert.equal(await page.locator('#run-status').textContent(), '6 / 20 landed · 2 requests · 3,456 tokens · 1 failed request (last: shipping/returns: 429 rate limited)');
    assert.equal(await page.locator('#preview-outcome').textContent(), 'billing/calculations · Written to generated.jsonl, line 6');
    assert.equal(await page.locator('#preview-prompt').textContent(), HOSTILE, 'the prompt is shown as its text');
    assert.equal(await page.locator('#preview-prompt img, #preview-prompt script').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
    await page.screenshot({ path: path.join(OUTPUT, 'generate-running.png'), fullPage: true });
    // Outcomes of rejected candidates.
    await webview.send({
      type: 'progress',
      byTopic: [topic('billing/calculations', 17, { written: 6, candidates: 11, offTarget: 1 }), topic('shipping/returns', 3)],
      requests: 3,
      tokens: 4_000,
      failedRequests: 1,
      preview: { topic: 'billing/calculations', prompt: 'Where is my parcel?', outcome: 'offTarget', placedIn: 'shipping/tracking' },
    });
    await page.locator('#preview-outcome', { hasText: 'off-target' }).waitFor();
    assert.equal(await page.locator('#preview-outcome').textContent(), 'billing/calculations · Rejected: off-target (placed in shipping/tracking)');
    await webview.send({
      type: 'progress',
      byTopic: [topic('billing/calculations', 17, { written: 6, candidates: 12, invalid: 2 }), topic('shipping/returns', 3)],
      requests: 3,
      tokens: 4_000,
      failedRequests: 1,
      preview: { topic: 'billing/calculations', prompt: '', outcome: 'invalid', codes: ['empty_content', 'last_not_user'] },
    });
    await page.locator('#preview-outcome', { hasText: 'invalid' }).waitFor();
    assert.equal(await page.locator('#preview-outcome').textContent(), 'billing/calculations · Rejected: invalid (empty_content, last_not_user)');
    await page.locator('#stop').click();
    assert.equal((await webview.postedOfType('stop')).length, 1);
    assert.match((await page.locator('#run-status').textContent()) ?? '', /^Stopping…/);
    const result: ResultView = {
      requested: 20,
      written: 6,
      invalid: 2,
      duplicates: 1,
      nearDuplicates: 2,
      offTarget: 1,
      requests: 3,
      tokens: 4_000,
      byTopic: [
        topic('billing/calculations', 17, { written: 6, candidates: 12, invalid: 2, duplicates: 1, nearDuplicates: 2, offTarget: 1, landedShare: 0.5, validShare: 0.83 }),
        topic('shipping/returns', 3),
      ],
      stopped: 'cancelled',
      reason: 'stopped by the user after 3 requests',
      invalidByCode: { empty_content: 1, last_not_user: 1 },
      failedRequests: 1,
      costUsd: 0.0012,
    };
    await webview.send({ type: 'progress', byTopic: result.byTopic, requests: 3, tokens: 4_000, failedRequests: 1 });
    await webview.send({ type: 'finished', outcome: 'cancelled', result, message: 'Stopped: the records that landed so far are kept in generated.jsonl.' });
    await page.locator('#result-summary', { hasText: 'landed' }).waitFor();
    assert.equal(await page.locator('#stop').isHidden(), true);
    assert.equal(await page.locator('#run-status').textContent(), '6 / 20 landed · 3 requests · 4,000 tokens · 1 failed request', 'no longer "Stopping…"');
    assert.equal(await page.locator('#notice').textContent(), 'Stopped: the records that landed so far are kept in generated.jsonl.');
    assert.equal(await page.locator('#result-summary').textContent(), '6 of 20 records landed');
    assert.equal(await page.locator('#result-summary').getAttribute('data-stopped'), 'cancelled');
    assert.equal(await page.locator('#result-reason').textContent(), 'stopped by the user after 3 requests');
    assert.deepEqual(await page.locator('#result-details li').allTextContents(), [
      'Rejected: 2 invalid (empty_content 1, last_not_user 1), 1 duplicates, 2 near-duplicates, 1 off-target',
      '3 requests (1 failed) · 4,000 tokens · $0.0012',
    ]);
    assert.equal(await page.locator('#setup').isVisible(), true, 'the setup is back for another run');
    await page.locator('#open-coverage').click();
    await page.locator('#review-records').click();
    const posted = (await webview.posted()).map((m) => m.type).filter((type) => type !== 'ready' && type !== 'estimate');
    assert.deepEqual(posted, ['start', 'stop', 'openCoverage', 'reviewRecords']);
    await page.screenshot({ path: path.join(OUTPUT, 'generate-finished.png'), fullPage: true });
  });

  it('no topics: points to step 2 with a button; untrusted or no provider: says why and Start stays off', async () => {
    const { page } = webview;
    await webview.send(setup({ topics: [], counts: {}, blocker: { kind: 'noTopics', message: 'This dataset has no topics yet: generate topics in step 2 first.' } }));
    await page.locator('#blocker-text', { hasText: 'no topics' }).waitFor();
    assert.equal(await page.locator('#setup').isHidden(), true);
    assert.equal(await page.locator('#start').getAttribute('disabled'), '');
    await page.locator('#generate-topics').click();
    assert.equal((await webview.postedOfType('generateTopics')).length, 1);
    await webview.send(setup({ blocker: { kind: 'untrusted', message: 'This workspace is not trusted: generating samples calls the chat model.' } }));
    await page.locator('#blocker-text', { hasText: 'not trusted' }).waitFor();
    assert.equal(await page.locator('#setup').isVisible(), true, 'the topics and counts still show');
    assert.equal(await page.locator('#generate-topics').isHidden(), true);
    assert.equal(await page.locator('#start').getAttribute('disabled'), '');
    await webview.send(setup());
    await page.locator('#blocker').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('#start').getAttribute('disabled'), null);
  });

  it('a failed start (the host refuses) shows the error and lets Start be pressed again', async () => {
    await webview.send(setup());
    const { page } = webview;
    await page.locator('#topic-rows tr').first().waitFor();
    await page.locator('#start').click();
    assert.equal(await page.locator('#start').getAttribute('disabled'), '');
    await webview.send({ type: 'error', message: 'No model provider is configured: RFT: Set API Key.' });
    await page.locator('.error-text', { hasText: 'No model provider' }).waitFor();
    assert.equal(await page.locator('#start').getAttribute('disabled'), null);
  });
});
