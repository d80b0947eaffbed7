// The playground (step 7) in headless Chromium, under its real CSP: streamed chunks append side by side, scores and
// the judge's steps follow, hostile text stays text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostMessage } from '../../src/shared/playgroundProtocol';
import { assertStrictCsp, OUTPUT, pageForEachTest, type HarnessWindow, type PlaygroundProtocol, type WebviewPage } from './harness';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

function message(overrides: Partial<Extract<HostMessage, { type: 'playground' }>> = {}): HostMessage {
  return {
    type: 'playground',
    dataset: 'assistant-support',
    datasetDir: '/work/datasets/assistant-support',
    base: 'gpt-4o-mini',
    tuned: 'ft:gpt-4o-mini:org::abc123',
    records: [
      { key: 'r1', file: 'exports/valid.jsonl', line: 1, topic: 'billing/refunds', prompt: 'How do I get a refund?' },
      { key: 'r2', file: 'exports/valid.jsonl', line: 2, topic: 'shipping/tracking', prompt: HOSTILE },
    ],
    recordsNote: 'exports/valid.jsonl (2 records)',
    hasGrader: true,
    canRun: true,
    ...overrides,
  };
}

describe('playground webview', () => {
  let webview: WebviewPage<PlaygroundProtocol>;
  pageForEachTest('playground', (opened) => {
    webview = opened;
  });

  it('a picked record is asked by its key; streamed chunks append in their own column; scores and judge steps follow', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#record option').nth(2).waitFor({ state: 'attached' });
    assert.equal(await page.locator('h1').textContent(), 'Playground — assistant-support');
    assert.equal(await page.locator('#records-note').textContent(), 'exports/valid.jsonl (2 records)');
    await page.locator('#record').selectOption('r1');
    assert.equal(await page.locator('#prompt').inputValue(), 'How do I get a refund?');
    await page.locator('#ask').click();
    assert.deepEqual((await webview.postedOfType('ask'))[0], { type: 'ask', base: 'gpt-4o-mini', recordKey: 'r1' });

    await webview.send({ type: 'started', id: 1, prompt: 'How do I get a refund?', models: { base: 'gpt-4o-mini', tuned: 'ft:gpt-4o-mini:org::abc123' } });
    for (const [side, text] of [
      ['base', 'Refunds '],
      ['tuned', 'Open Billing'],
      ['base', 'take time.'],
      ['tuned', ' → Refunds, then '],
      ['tuned', 'pick the order.'],
    ] as const)
      await webview.send({ type: 'chunk', id: 1, side, text });
    await page.locator('#tuned-answer', { hasText: 'pick the order.' }).waitFor();
    assert.equal(await page.locator('#base-answer').textContent(), 'Refunds take time.');
    assert.equal(await page.locator('#tuned-answer').textContent(), 'Open Billing → Refunds, then pick the order.');
    assert.equal(await page.locator('#stop').isVisible(), true);
    assert.equal(await page.locator('#ask').getAttribute('disabled'), '');
    await webview.send({ type: 'chunk', id: 0, side: 'base', text: 'from an older ask' });
    await webview.send({ type: 'answered', id: 1, side: 'base' });
    await webview.send({ type: 'answered', id: 1, side: 'tuned', toolCalls: 'lookup_order({"id":"A1"})' });
    await webview.send({ type: 'scored', id: 1, side: 'base', score: 0.35, steps: ['judge: names no steps → partial'] });
    await webview.send({ type: 'scored', id: 1, side: 'tuned', score: 0.9, steps: ['judge: names the menu path → correct'], subScores: { tone: 1 } });
    await webview.send({ type: 'finished', id: 1, outcome: 'done' });
    await page.locator('#tuned-score', { hasText: 'Score' }).waitFor();
    assert.equal(await page.locator('#base-answer').textContent(), 'Refunds take time.', 'a chunk of another ask is dropped');
    assert.equal(await page.locator('#base-score').textContent(), 'Score: 0.35');
    assert.equal(await page.locator('#tuned-score').textContent(), 'Score: 0.90');
    assert.deepEqual(await page.locator('#tuned-steps li').allTextContents(), ['judge: names the menu path → correct', 'tone: 1.00']);
    assert.equal(await page.locator('#tuned-tools').textContent(), 'Tool calls:\nlookup_order({"id":"A1"})');
    assert.equal(await page.locator('#base-tools').isHidden(), true);
    assert.equal(await page.locator('#stop').isHidden(), true);
    await assertStrictCsp(webview);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'playground.png'), fullPage: true });
  });

  it('a typed prompt is sent as text; hostile record, answer and tool text stays text; a model error shows in its column', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#record option').nth(2).waitFor({ state: 'attached' });
    assert.match((await page.locator('#record option').nth(2).textContent()) ?? '', /<script>/);
    await page.locator('#prompt').fill(`Typed ${HOSTILE}`);
    await page.locator('#ask').click();
    assert.deepEqual((await webview.postedOfType('ask'))[0], { type: 'ask', base: 'gpt-4o-mini', prompt: `Typed ${HOSTILE}` });
    await webview.send({ type: 'started', id: 1, prompt: HOSTILE, models: { base: HOSTILE, tuned: 'ft' } });
    await webview.send({ type: 'chunk', id: 1, side: 'tuned', text: HOSTILE });
    await webview.send({ type: 'answered', id: 1, side: 'tuned', toolCalls: HOSTILE });
    await webview.send({ type: 'answered', id: 1, side: 'base', error: 'model_server_error: 500 boom' });
    await webview.send({ type: 'scored', id: 1, side: 'tuned', score: null, steps: [HOSTILE], error: HOSTILE });
    await page.locator('#tuned-steps li').waitFor();
    assert.equal(await page.locator('#sent-prompt').textContent(), HOSTILE);
    assert.equal(await page.locator('#base-column-model').textContent(), HOSTILE);
    assert.equal(await page.locator('#tuned-answer').textContent(), HOSTILE);
    assert.equal(await page.locator('#tuned-tools').textContent(), `Tool calls:\n${HOSTILE}`);
    assert.equal(await page.locator('#tuned-steps li').textContent(), HOSTILE);
    assert.equal(await page.locator('#tuned-score').textContent(), `no score: ${HOSTILE}`);
    assert.equal(await page.locator('#base-answer').textContent(), 'model_server_error: 500 boom');
    assert.equal(await page.locator('#base-score').textContent(), 'no answer');
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
    assert.equal((await webview.state())?.prompt, `Typed ${HOSTILE}`);
  });

  it('without a tuned model or trust, Send is disabled and says why; Stop posts cancel', async () => {
    await webview.send(message({ tuned: undefined, canRun: false, cannotRunReason: 'There is no tuned model yet: finish a training job (step 6).' }));
    const { page } = webview;
    await page.locator('#status', { hasText: 'no tuned model' }).waitFor();
    assert.equal(await page.locator('#ask').getAttribute('disabled'), '');
    await webview.send(message());
    await webview.send({ type: 'started', id: 3, prompt: 'p', models: { base: 'a', tuned: 'b' } });
    await page.locator('#stop').click();
    assert.equal((await webview.postedOfType('cancel')).length, 1);
    await webview.send({ type: 'finished', id: 3, outcome: 'cancelled' });
    await page.locator('#status', { hasText: 'Stopped.' }).waitFor();
  });
});
