// The records browser in headless Chromium, under its real CSP, driven through the records protocol.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatasetSummary, HostMessage, RecordRow, RecordsPage } from '../../src/shared/recordsProtocol';
import { assertStrictCsp, OUTPUT, pageForEachTest, type HarnessWindow, type RecordsProtocol, type WebviewPage } from './harness';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const TOTAL = 100_000;

const summary: DatasetSummary = {
  total: TOTAL,
  fromTraces: { count: 84_500, share: 0.845 },
  generated: { count: 15_500, share: 0.155 },
  valid: { count: 98_500, share: 0.985 },
  invalid: { count: 1_200, share: 0.012 },
  duplicates: { count: 300, share: 0.003 },
  categorized: { count: 98_500, share: 1 },
  balance: { score: 0.75, rating: 'good' },
  ready: true,
  items: [
    { level: 'warning', text: '1,200 invalid records are left out of training (View Issues).' },
    { level: 'next', text: 'Define a grader (step 4).' },
  ],
};

/** Row i of the synthetic 100,000-record dataset: the first 84,500 from traces, then generated. */
function row(i: number, extra: Partial<RecordRow> = {}): RecordRow {
  const generated = i >= 84_500;
  const file = generated ? 'generated.jsonl' : 'records.jsonl';
  const line = generated ? i - 84_500 + 1 : i + 1;
  return {
    file,
    line,
    key: i.toString(16).padStart(16, '0'),
    status: 'valid',
    origin: generated ? 'generated' : 'traces',
    topic: 'billing/refunds',
    confidence: 0.82,
    method: 'embedding',
    lowConfidence: false,
    text: `Question number ${i}`,
    ...extra,
  };
}

function page(offset: number, rows = Array.from({ length: Math.min(100, TOTAL - offset) }, (_, k) => row(offset + k)), total = TOTAL): RecordsPage {
  return { total, offset, rows };
}

function records(overrides: Partial<Extract<HostMessage, { type: 'records' }>> = {}): HostMessage {
  return {
    type: 'records',
    dataset: 'assistant-support',
    datasetDir: '/work/datasets/assistant-support',
    summary,
    topics: ['billing/refunds', 'billing/invoices', 'shipping/tracking', 'outage'],
    codes: [
      { code: 'last_not_user', count: 900 },
      { code: 'invalid_json', count: 300 },
      { code: 'duplicate', count: 300 },
    ],
    filter: {},
    page: page(0),
    pageSize: 100,
    canSetTopic: true,
    ...overrides,
  };
}

/** A page mixing origins, statuses and a hostile record. */
function mixedPage(): RecordsPage {
  return page(
    0,
    [
      row(0, { text: HOSTILE, topic: undefined, confidence: undefined, method: undefined }),
      row(1, { status: 'invalid', codes: ['last_not_user'], key: undefined, topic: undefined, confidence: undefined, method: undefined }),
      row(2, { status: 'duplicate', codes: ['duplicate'], duplicateOf: { file: 'records.jsonl', line: 1 } }),
      row(84_500),
      row(84_501, { lowConfidence: true, confidence: 0.41 }),
      row(84_502),
    ],
    6,
  );
}

async function queries(webview: WebviewPage<RecordsProtocol>) {
  return (await webview.postedOfType('query')).map(({ filter, offset }) => ({ filter, offset }));
}

describe('records browser webview', () => {
  let webview: WebviewPage<RecordsProtocol>;
  pageForEachTest('records', (opened) => {
    webview = opened;
  });

  it('renders the summary header and a page of 100 of 100,000 records, under a strict CSP', async () => {
    await webview.send(records());
    const { page: p } = webview;
    await p.locator('#rows tr').nth(99).waitFor();
    assert.equal(await p.locator('h1').textContent(), 'Records — assistant-support');
    assert.equal(await p.locator('#count').textContent(), '1–100 of 100,000');
    assert.equal(await p.locator('#rows tr').count(), 100);
    assert.deepEqual(await p.locator('#summary-total span').allTextContents(), ['Total', '100,000']);
    assert.deepEqual(await p.locator('#summary-traces span').allTextContents(), ['From traces', '84,500', '84.5%']);
    assert.deepEqual(await p.locator('#summary-generated span').allTextContents(), ['Generated', '15,500', '15.5%']);
    assert.deepEqual(await p.locator('#summary-invalid span').allTextContents(), ['Invalid', '1,200', '1.2%']);
    assert.deepEqual(await p.locator('#summary-balance span').allTextContents(), ['Balance score', '0.75', 'good']);
    assert.equal(await p.locator('#summary-ready .ready-value').textContent(), 'Yes');
    assert.deepEqual(await p.locator('#summary-items li').allTextContents(), ['1,200 invalid records are left out of training (View Issues).', 'Define a grader (step 4).']);
    assert.deepEqual(await p.locator('#filter-topic option').allTextContents(), [
      'All topics',
      'Uncategorized',
      'billing (all)',
      '  billing/invoices',
      '  billing/refunds',
      'shipping (all)',
      '  shipping/tracking',
      'outage',
    ]);
    assert.deepEqual(await p.locator('#filter-code option').allTextContents(), ['Any code', 'last_not_user (900)', 'invalid_json (300)', 'duplicate (300)']);
    assert.equal(await p.locator('#prev').isDisabled(), true);
    assert.equal(await p.locator('#next').isDisabled(), false);
    assert.deepEqual(await p.locator('#rows tr').first().locator('td').allTextContents(), ['', 'records.jsonl:1', 'valid', 'billing/refunds · 0.82', 'Question number 0']);
    await assertStrictCsp(webview);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await webview.send(records({ page: mixedPage() }));
    await p.locator('#rows tr[data-origin="generated"]').first().waitFor();
    await p.locator('#rows tr').nth(4).click();
    await webview.send({
      type: 'detail',
      file: 'generated.jsonl',
      line: 2,
      row: row(84_501, { lowConfidence: true, confidence: 0.41 }),
      detail: {
        messages: [
          { role: 'system', text: 'You are the Acme support assistant.' },
          { role: 'user', text: 'My export to S3 fails with AccessDenied since this morning.' },
        ],
        fields: [
          { name: 'reference_answer', json: '"Check the bucket policy."' },
          { name: 'metadata', json: '{\n  "generated": {\n    "topic": "billing/refunds"\n  }\n}' },
        ],
      },
    });
    await p.locator('#detail-messages li').nth(1).waitFor();
    await p.screenshot({ path: path.join(OUTPUT, 'records.png'), fullPage: true });
  });

  it('filters post the right queries: topic, uncategorized, status with a code, origin, low confidence, debounced search', async () => {
    await webview.send(records());
    const { page: p } = webview;
    await p.locator('#rows tr').first().waitFor();
    await p.locator('#filter-topic').selectOption('billing');
    await p.locator('#filter-status').selectOption('invalid');
    await p.locator('#filter-code').selectOption('last_not_user');
    await p.locator('#filter-origin').selectOption('generated');
    await p.locator('#filter-low').check();
    await p.locator('#filter-search').pressSequentially('refund s3', { delay: 20 });
    await p.waitForFunction(() => (globalThis as unknown as HarnessWindow).__posted.filter((m) => m.type === 'query').length >= 6);
    await p.waitForTimeout(400);
    assert.deepEqual(
      await queries(webview),
      [
        { filter: { topic: 'billing' }, offset: 0 },
        { filter: { topic: 'billing', status: 'invalid' }, offset: 0 },
        { filter: { topic: 'billing', status: 'invalid', code: 'last_not_user' }, offset: 0 },
        { filter: { topic: 'billing', status: 'invalid', code: 'last_not_user', origin: 'generated' }, offset: 0 },
        { filter: { topic: 'billing', status: 'invalid', code: 'last_not_user', origin: 'generated', lowConfidence: true }, offset: 0 },
        { filter: { topic: 'billing', status: 'invalid', code: 'last_not_user', origin: 'generated', lowConfidence: true, search: 'refund s3' }, offset: 0 },
      ],
      'typing posts one query once it pauses',
    );
    await p.locator('#filter-topic').selectOption({ label: 'Uncategorized' });
    assert.deepEqual((await queries(webview)).at(-1), {
      filter: { uncategorized: true, status: 'invalid', code: 'last_not_user', origin: 'generated', lowConfidence: true, search: 'refund s3' },
      offset: 0,
    });
    assert.deepEqual((await webview.state())?.filter, { uncategorized: true, status: 'invalid', code: 'last_not_user', origin: 'generated', lowConfidence: true, search: 'refund s3' });
    await webview.send({ type: 'page', filter: { status: 'invalid' }, page: page(0, [], 0) });
    await p.locator('#count', { hasText: 'No records match' }).waitFor();
    assert.equal(await p.locator('#rows td.empty').textContent(), 'No record matches these filters.');
  });

  it('pages over 100,000 records: Next and Prev post offsets, the count follows, the ends disable the buttons', async () => {
    await webview.send(records());
    const { page: p } = webview;
    await p.locator('#rows tr').first().waitFor();
    await p.locator('#next').click();
    assert.deepEqual((await queries(webview)).at(-1), { filter: {}, offset: 100 });
    await webview.send({ type: 'page', filter: {}, page: page(100) });
    await p.locator('#count', { hasText: '101–200 of 100,000' }).waitFor();
    assert.equal(await p.locator('#rows tr').first().getAttribute('data-line'), '101');
    await p.locator('#prev').click();
    assert.deepEqual((await queries(webview)).at(-1), { filter: {}, offset: 0 });
    await webview.send({ type: 'page', filter: {}, page: page(99_900) });
    await p.locator('#count', { hasText: '99,901–100,000 of 100,000' }).waitFor();
    assert.equal(await p.locator('#next').isDisabled(), true);
    assert.equal(await p.locator('#prev').isDisabled(), false);
    assert.equal(await p.locator('#rows tr').last().getAttribute('data-line'), '15500');
    assert.equal((await webview.state())?.offset, 99_900);
    // a reload keeps the page: the restored view asks for it again
    await webview.reload();
    await webview.send(records());
    await p.waitForFunction(() => (globalThis as unknown as HarnessWindow).__posted.some((m) => m.type === 'query'));
    assert.deepEqual((await queries(webview)).at(-1), { filter: {}, offset: 99_900 });
  });

  it('record text stays text: a hostile record creates no element, in the table or the detail', async () => {
    await webview.send(records({ page: mixedPage() }));
    const { page: p } = webview;
    await p.locator('#rows tr').first().waitFor();
    const elementsBefore = await p.locator('#root *').count();
    assert.equal(await p.locator('#rows tr').first().locator('td.text').textContent(), HOSTILE);
    await p.locator('#rows tr').first().click();
    assert.deepEqual(await webview.postedOfType('showRecord'), [{ type: 'showRecord', file: 'records.jsonl', line: 1 }]);
    await webview.send({
      type: 'detail',
      file: 'records.jsonl',
      line: 1,
      row: row(0, { text: HOSTILE }),
      detail: { messages: [{ role: HOSTILE, name: HOSTILE, text: HOSTILE, toolCalls: HOSTILE }], fields: [{ name: HOSTILE, json: HOSTILE }] },
    });
    await p.locator('#detail-messages li').waitFor();
    assert.equal(await p.locator('#detail-messages .message-text').textContent(), HOSTILE);
    assert.equal(await p.locator('#detail-messages .message-tools').textContent(), HOSTILE);
    assert.equal(await p.locator('#detail-fields dt').textContent(), HOSTILE);
    assert.equal(await p.locator('#root img, #root script').count(), 0, 'no element was made from the text');
    assert.equal(await p.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
    await webview.send({
      type: 'detail',
      file: 'records.jsonl',
      line: 2,
      row: row(1, { status: 'invalid' }),
      detail: { messages: [], fields: [], raw: HOSTILE, parseError: 'Unexpected token < in JSON' },
    });
    await p.locator('#detail-raw').waitFor();
    assert.equal(await p.locator('#detail-raw').textContent(), HOSTILE);
    assert.equal(await p.locator('#root img, #root script').count(), 0);
    assert.ok(elementsBefore > 0);
    await webview.send({ type: 'error', message: HOSTILE });
    assert.equal(await p.locator('.error-text').textContent(), HOSTILE);
    assert.equal(await p.locator('#root img, #root script').count(), 0);
  });

  it('the detail opens the record at its line and sets its topic; Set topic is off for invalid records', async () => {
    await webview.send(records({ page: mixedPage() }));
    const { page: p } = webview;
    await p.locator('#rows tr').nth(3).click();
    await webview.send({ type: 'detail', file: 'generated.jsonl', line: 1, row: row(84_500), detail: { messages: [{ role: 'user', text: 'hi there' }], fields: [] } });
    await p.locator('#open-record').click();
    await p.locator('#set-topic').click();
    assert.deepEqual(await webview.postedOfType('openRecord'), [{ type: 'openRecord', file: 'generated.jsonl', line: 1 }]);
    assert.deepEqual(await webview.postedOfType('setTopic'), [{ type: 'setTopic', file: 'generated.jsonl', line: 1 }]);
    assert.deepEqual((await webview.state())?.selected, { file: 'generated.jsonl', line: 1 });
    await webview.send({ type: 'detail', file: 'records.jsonl', line: 2, row: row(1, { status: 'invalid', codes: ['last_not_user'] }), detail: { messages: [], fields: [] } });
    await p.locator('#detail-meta', { hasText: 'invalid' }).waitFor();
    assert.equal(await p.locator('#set-topic').getAttribute('disabled'), '');
  });

  it('only generated rows can be selected; Delete selected generated posts their lines', async () => {
    await webview.send(records({ page: mixedPage() }));
    const { page: p } = webview;
    await p.locator('#rows tr').first().waitFor();
    assert.equal(await p.locator('#rows tr[data-origin="traces"] input').count(), 0, 'records.jsonl rows have no checkbox');
    assert.equal(await p.locator('#rows tr[data-origin="generated"] input.row-check').count(), 3);
    assert.equal(await p.locator('#delete-selected').getAttribute('disabled'), '');
    await p.locator('#rows tr[data-line="3"][data-origin="generated"] input').check();
    await p.locator('#rows tr[data-line="1"][data-origin="generated"] input').check();
    assert.equal(await p.locator('#delete-selected').textContent(), 'Delete selected generated (2)');
    assert.equal(await webview.postedOfType('showRecord').then((m) => m.length), 0, 'ticking a box does not open the record');
    await p.locator('#delete-selected').click();
    assert.deepEqual(await webview.postedOfType('deleteGenerated'), [{ type: 'deleteGenerated', lines: [1, 3] }]);
    await p.locator('#select-page').check();
    assert.equal(await p.locator('#delete-selected').textContent(), 'Delete selected generated (3)');
    await p.locator('#delete-selected').click();
    assert.deepEqual((await webview.postedOfType('deleteGenerated')).at(-1), { type: 'deleteGenerated', lines: [1, 2, 3] });
    // the host refreshes after deleting: line numbers moved, so the selection is cleared
    await webview.send(records({ page: page(0, [row(84_500)], 1) }));
    await p.locator('#count', { hasText: '1–1 of 1' }).waitFor();
    assert.equal(await p.locator('#delete-selected').getAttribute('disabled'), '');
    await webview.send({ type: 'notice', message: 'Deleted 3 generated records from generated.jsonl; records.jsonl was not touched.' });
    assert.equal(await p.locator('#notice span').nth(1).textContent(), 'Deleted 3 generated records from generated.jsonl; records.jsonl was not touched.');
  });
});
