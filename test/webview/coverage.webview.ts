// The coverage dashboard in headless Chromium, under its real CSP, driven through the coverage protocol.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CoverageReport, HostMessage, RecordPreview, TopicCoverage } from '../../src/shared/coverageProtocol';
import { assertStrictCsp, OUTPUT, pageForEachTest, type HarnessWindow, type WebviewPage } from './harness';

const CATEGORIZED = 20_000;

function leaf(parent: string, name: string, count: number, lowConfidence = 0): TopicCoverage {
  const target = 1 / 6;
  return {
    path: `${parent}/${name}`,
    name,
    level: 2,
    count,
    share: count / CATEGORIZED,
    target,
    gap: Math.max(0, Math.round(target * CATEGORIZED - count)),
    lowConfidence,
    children: [],
  };
}

function top(name: string, children: TopicCoverage[], description?: string): TopicCoverage {
  const count = children.reduce((sum, child) => sum + child.count, 0);
  const target = children.reduce((sum, child) => sum + child.target, 0);
  return {
    path: name,
    name,
    description,
    level: 1,
    count,
    share: count / CATEGORIZED,
    target,
    gap: Math.max(0, Math.round(target * CATEGORIZED - count)),
    lowConfidence: children.reduce((sum, child) => sum + child.lowConfidence, 0),
    children,
  };
}

/** Three top topics of two leaves each; "code/sql" has no records, so the balance is 0 (poor). */
function report(): CoverageReport {
  const tree = [
    top('math', [leaf('math', 'arithmetic', 6_000, 120), leaf('math', 'calculations', 1_500, 30)], 'Numbers and word problems'),
    top('writing', [leaf('writing', 'essays', 5_500, 50), leaf('writing', 'poetry', 3_000)]),
    top('code', [leaf('code', 'python', 4_000, 30), leaf('code', 'sql', 0)]),
  ];
  return {
    total: 20_400,
    categorized: CATEGORIZED,
    uncategorized: 400,
    lowConfidence: 230,
    balance: 0,
    rating: 'poor',
    topics: tree.flatMap((topic) => topic.children),
    tree,
    customTargets: false,
  };
}

function coverage(canGenerate = false): HostMessage {
  return { type: 'coverage', dataset: 'chess-tutor', datasetDir: '/work/datasets/chess-tutor', report: report(), canGenerate };
}

async function cellTexts(webview: WebviewPage, path: string): Promise<string[]> {
  return webview.page.locator(`table.topics tr[data-path="${path}"] > *`).allTextContents();
}

/** The canvas as page.evaluate callbacks use it (no DOM lib in the Node type-check). */
interface CanvasLike {
  readonly dataset: Record<string, string | undefined>;
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
}

async function canvasData(webview: WebviewPage): Promise<{ labels: string[]; values: number[]; targets: number[]; color: string }> {
  return webview.page.locator('canvas').evaluate((canvas: CanvasLike) => ({
    labels: JSON.parse(canvas.dataset.labels ?? '[]'),
    values: JSON.parse(canvas.dataset.values ?? '[]'),
    targets: JSON.parse(canvas.dataset.targets ?? '[]'),
    color: canvas.dataset.color ?? '',
  }));
}

/** How many canvas pixels are exactly this #rrggbb colour (the inside of the bars is drawn without antialiasing). */
async function pixelsOfColour(webview: WebviewPage, hex: string): Promise<number> {
  return webview.page.locator('canvas').evaluate((canvas: CanvasLike, colour: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) n++;
    return n;
  }, hex);
}

async function targetsPosted(webview: WebviewPage): Promise<number> {
  return (await webview.postedOfType('setTargets')).length;
}

describe('coverage webview', () => {
  let webview: WebviewPage;
  pageForEachTest('coverage', (page) => {
    webview = page;
  });

  it('posts ready, and shows totals, balance, the topics and their gaps', async () => {
    assert.deepEqual(await webview.posted(), [{ type: 'ready' }]);
    await webview.send(coverage());

    const { page } = webview;
    await page.locator('h1', { hasText: 'Coverage — chess-tutor' }).waitFor();
    assert.equal(await page.locator('.balance').textContent(), 'Balance Score: 0.00 (Poor)');
    assert.deepEqual(await page.locator('.totals dd').allTextContents(), ['20,400', '20,000', '400', '230']);
    assert.deepEqual(await page.locator('.totals dt').allTextContents(), ['Total', 'Categorized', 'Uncategorized', 'Low confidence']);

    assert.deepEqual(await page.locator('table.topics tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-path'))), ['math', 'writing', 'code']);
    const [name, count, low, share, target, gap] = await cellTexts(webview, 'math');
    assert.deepEqual([name.replace(/[▸▾]/, ''), count, low, share, target, gap], ['math', '7,500', '150', '37.5%', '33.3%', '✓ on target']);
    assert.deepEqual((await cellTexts(webview, 'code')).slice(1, 5), ['4,000', '30', '20.0%', '33.3%']);
    assert.equal(await page.locator('tr[data-path="code"] .gap-warning').textContent(), '⚠ "code" has only 20.0% — Recommended: Generate ~2,667 more');

    const chart = await canvasData(webview);
    assert.deepEqual(chart.labels, ['math', 'writing', 'code']);
    assert.deepEqual(chart.values, [37.5, 42.5, 20]);
    assert.deepEqual(chart.targets, [33.33, 33.33, 33.33]);
    assert.ok((await pixelsOfColour(webview, '#3794ff')) > 500, 'the bars are drawn in --vscode-charts-blue');
    assert.ok((await pixelsOfColour(webview, '#d18616')) > 50, 'the target ticks are drawn in --vscode-charts-orange');
  });

  it('expands a top topic to its leaves, saves that in the state and restores it after a reload', async () => {
    await webview.send(coverage());
    const { page } = webview;
    await page.locator('button.expander[data-path="math"]').click();

    assert.equal(await page.locator('button.expander[data-path="math"]').getAttribute('aria-expanded'), 'true');
    assert.deepEqual((await canvasData(webview)).labels, ['math', 'arithmetic', 'calculations', 'writing', 'code']);
    assert.deepEqual((await cellTexts(webview, 'math/calculations')).slice(1, 4), ['1,500', '30', '7.5%']);
    assert.equal(await page.locator('tr[data-path="math/calculations"] .gap-warning').textContent(), '⚠ "calculations" has only 7.5% — Recommended: Generate ~1,833 more');
    assert.deepEqual(await webview.state(), { dataset: '/work/datasets/chess-tutor', expanded: ['math'] });

    await webview.reload();
    await webview.send(coverage());
    await page.locator('tr[data-path="math/arithmetic"]').waitFor();
    assert.equal(await page.locator('button.expander[data-path="math"]').getAttribute('aria-expanded'), 'true');
    assert.deepEqual((await canvasData(webview)).labels, ['math', 'arithmetic', 'calculations', 'writing', 'code']);

    await page.locator('button.expander[data-path="math"]').click();
    assert.equal(await page.locator('tr[data-path="math/arithmetic"]').count(), 0);
    assert.deepEqual((await webview.state())?.expanded, []);
  });

  it('expands a topic when its bar is clicked', async () => {
    await webview.send(coverage());
    const canvas = webview.page.locator('canvas');
    const box = (await canvas.boundingBox())!;
    // Three rows: the middle of the plot is the middle bar, "writing".
    await canvas.click({ position: { x: box.width / 3, y: box.height / 2 } });
    await webview.page.locator('tr[data-path="writing/poetry"]').waitFor();
    assert.deepEqual((await canvasData(webview)).labels, ['math', 'writing', 'essays', 'poetry', 'code']);
    assert.equal(await webview.page.locator('tr[data-path="code/sql"] .gap-warning').count(), 0);
  });

  it('saves edited targets as shares, and refuses an invalid percent with a message next to the field', async () => {
    await webview.send(coverage());
    const { page } = webview;
    await page.locator('button.expander[data-path="math"]').click();
    const calculations = page.locator('input[data-path="math/calculations"]');
    assert.equal(await calculations.inputValue(), '16.67');

    await calculations.fill('10');
    await page.locator('#save-targets').click();
    const [saved] = await webview.postedOfType('setTargets');
    assert.ok(saved, 'Save posts setTargets');
    assert.deepEqual(Object.keys(saved.targets).sort(), ['code/python', 'code/sql', 'math/arithmetic', 'math/calculations', 'writing/essays', 'writing/poetry']);
    assert.equal(saved.targets['math/calculations'], 0.1);
    assert.equal(saved.targets['code/sql'], 1 / 6, 'untouched targets keep their exact share');

    await calculations.fill('150');
    await page.locator('#save-targets').click();
    const error = page.locator('tr[data-path="math/calculations"] .field-error');
    assert.equal(await error.textContent(), '150% is out of range: enter 0 to 100.');
    assert.equal(await page.locator('input[data-path="math/calculations"]').getAttribute('aria-invalid'), 'true');
    assert.equal(await targetsPosted(webview), 1, 'nothing is posted for an invalid target');

    await page.locator('input[data-path="math/calculations"]').fill('20');
    await page.locator('input[data-path="math/arithmetic"]').fill('90');
    await page.locator('#save-targets').click();
    assert.match((await page.locator('#targets-sum-error').textContent()) ?? '', /add up to 176\.67%/);
    assert.equal(await targetsPosted(webview), 1, 'nothing is posted when the targets add up to more than 100%');

    await page.locator('#reset-targets').click();
    assert.equal((await webview.postedOfType('resetTargets')).length, 1);
  });

  it('keeps inline scripts without the nonce from running, and reports the violation', async () => {
    await assertStrictCsp(webview);
  });

  it('shows record text literally, never as HTML, and opens a record on click', async () => {
    await webview.send(coverage());
    const { page } = webview;
    await page.locator('tr[data-path="code"] button.link-button').first().click();
    assert.deepEqual(
      (await webview.postedOfType('showRecords')).map((m) => m.filter),
      [{ kind: 'topic', path: 'code' }],
    );

    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const records: RecordPreview[] = [
      { key: 'a', file: 'records.jsonl', line: 12, text: hostile, topic: 'code/python', confidence: 0.42, method: 'embedding' },
      { key: 'b', file: 'records.jsonl', line: 40, text: 'How do I reverse a list?', topic: 'code/python', confidence: 0.93 },
    ];
    await webview.send({ type: 'records', filter: { kind: 'topic', path: 'code' }, records, total: 4_000 });
    const list = page.locator('ol.records');
    await list.waitFor();
    assert.ok((await list.textContent())?.includes(hostile), 'the markup is shown as text');
    assert.equal(await list.locator('img, script').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
    assert.equal(await page.locator('#records-heading').textContent(), 'Records in "code"');
    assert.equal(await page.locator('.records-section .hint').textContent(), 'Showing 2 of 4,000');
    assert.deepEqual(await list.locator('li').first().locator('.record-meta > span').allTextContents(), ['records.jsonl:12', 'code/python', 'confidence 0.42', 'embedding']);

    await list.locator('button.record').nth(1).click();
    assert.deepEqual(await webview.postedOfType('openRecord'), [{ type: 'openRecord', file: 'records.jsonl', line: 40 }]);
    assert.deepEqual((await webview.state())?.filter, { kind: 'topic', path: 'code' });
  });

  it('asks for low-confidence and uncategorized records, and for a refresh and categorization', async () => {
    await webview.send(coverage());
    const { page } = webview;
    await page.locator('#show-low-confidence').click();
    await page.locator('#show-uncategorized').click();
    await page.locator('tr[data-path="math"] td:nth-child(3) button').click();
    await page.locator('#refresh').click();
    await page.locator('#categorize').click();
    assert.deepEqual(
      (await webview.postedOfType('showRecords')).map((m) => m.filter),
      [{ kind: 'lowConfidence' }, { kind: 'uncategorized' }, { kind: 'lowConfidence', path: 'math' }],
    );
    assert.equal((await webview.postedOfType('refresh')).length, 1);
    assert.equal((await webview.postedOfType('categorize')).length, 1);
  });

  it('asks again for the records it showed before a reload', async () => {
    await webview.send(coverage());
    await webview.page.locator('#show-uncategorized').click();
    await webview.reload();
    await webview.send(coverage());
    await webview.waitForPosted('showRecords');
    assert.deepEqual(
      (await webview.postedOfType('showRecords')).map((m) => m.filter),
      [{ kind: 'uncategorized' }],
    );
  });

  it('offers Generate only when the host can generate, and posts the gap', async () => {
    await webview.send(coverage(false));
    const { page } = webview;
    await page.locator('button.expander[data-path="code"]').click();
    await page.locator('tr[data-path="code/sql"] .gap-warning').waitFor();
    assert.equal(await page.locator('vscode-button.generate').count(), 0);

    await webview.send(coverage(true));
    await page.locator('tr[data-path="code/sql"] vscode-button.generate').waitFor();
    assert.equal(await page.locator('tr[data-path="code/sql"] vscode-button.generate').textContent(), 'Generate ~3,333');
    assert.equal(await page.locator('tr[data-path="code/python"] vscode-button.generate').count(), 0, 'no button where there is no gap');
    await page.locator('tr[data-path="code/sql"] vscode-button.generate').click();
    assert.deepEqual(await webview.postedOfType('generate'), [{ type: 'generate', path: 'code/sql', count: 3_333 }]);
  });

  it('redraws the chart in the new theme colours when VS Code switches themes', async () => {
    await webview.send(coverage());
    assert.equal((await canvasData(webview)).color, '#3794ff');
    const darkBlue = await pixelsOfColour(webview, '#3794ff');
    assert.ok(darkBlue > 500);

    await webview.page.evaluate(() => (globalThis as unknown as HarnessWindow).__setTheme('light'));
    await webview.page.waitForFunction(() => (globalThis as unknown as HarnessWindow).document.querySelector('canvas')?.dataset.color === '#1a85ff');
    assert.equal(await pixelsOfColour(webview, '#3794ff'), 0);
    assert.ok((await pixelsOfColour(webview, '#1a85ff')) >= darkBlue * 0.9, 'the bars are redrawn in the light theme blue');
    fs.mkdirSync(OUTPUT, { recursive: true });
    await webview.page.screenshot({ path: path.join(OUTPUT, 'coverage-light.png'), fullPage: true });
  });

  it('shows busy and error messages as text', async () => {
    const { page } = webview;
    await webview.send({ type: 'busy', message: 'Computing coverage…' });
    assert.equal(await page.locator('.busy').isVisible(), true);
    assert.equal(await page.locator('.busy-text').textContent(), 'Computing coverage…');

    await webview.send({ type: 'error', message: 'rft.json: <b>bad</b> targets' });
    assert.equal(await page.locator('.busy').isVisible(), false);
    assert.equal(await page.locator('.error-banner').isVisible(), true);
    assert.equal(await page.locator('.error-text').textContent(), 'rft.json: <b>bad</b> targets');
    assert.equal(await page.locator('.error-banner b').count(), 0);

    await webview.send(coverage());
    assert.equal(await page.locator('.error-banner').isVisible(), false);
  });

  it('takes a screenshot of the dashboard', async () => {
    await webview.send(coverage(true));
    const { page } = webview;
    await page.locator('button.expander[data-path="math"]').click();
    await page.locator('button.expander[data-path="code"]').click();
    await webview.send({
      type: 'records',
      filter: { kind: 'topic', path: 'math/calculations' },
      total: 1_500,
      records: [
        {
          key: 'a',
          file: 'records.jsonl',
          line: 7,
          text: 'A train leaves at 3pm going 60 mph; another leaves at 4pm going 80 mph. When does the second catch up?',
          topic: 'math/calculations',
          confidence: 0.91,
          method: 'embedding',
        },
        { key: 'b', file: 'records.jsonl', line: 19, text: 'What is 15% of 240?', topic: 'math/calculations', confidence: 0.64, method: 'embedding' },
      ],
    });
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'coverage.png'), fullPage: true });
    assert.ok(fs.statSync(path.join(OUTPUT, 'coverage.png')).size > 10_000);
  });
});
