import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { validateJsonlFiles } from '../../src/core/validation/fileValidator';
import { DEFAULT_VALIDATION_SETTINGS } from '../../src/core/validation/settings';
import { generationHandler } from '../support/generationScript';
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openaiServer';
import { answerFileDialog, answerQuickInput, eventually, OUTPUT, ROOT, runCommand, screenshot, startSession, type Session } from './codeServer';

const VSIX = path.join(ROOT, 'dist', 'rft-studio.vsix');

/** Shows the RFT Studio view; clicking its icon when it is already showing would hide the side bar. */
async function showTree(page: Page): Promise<void> {
  const title = page.locator('#workbench\\.parts\\.sidebar .composite.title');
  if ((await title.count()) > 0 && (await title.first().isVisible()) && /RFT STUDIO/i.test(await title.first().innerText())) return;
  await page.locator('.activitybar .action-item a[aria-label^="RFT Studio"]').click();
}

const treeRows = (page: Page) => page.locator('#workbench\\.parts\\.sidebar .monaco-list-row').allInnerTexts();
const treeRow = (page: Page, text: string) => page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: text }).first();
const problemRows = async (page: Page) =>
  (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ')).filter((row) => /\[Ln \d+, Col \d+\]/.test(row));
/** "… rft last_not_user [Ln 27, Col 437]" → "27:last_not_user" (the code is the word before the position). */
const lineAndCode = (row: string) => {
  const match = /(\S+) \[Ln (\d+), Col \d+\]/.exec(row);
  return match ? `${match[2]}:${match[1].replace(/^rft\(|\)$/g, '')}` : row;
};

/** The provider as a user sets it: the base URL in the settings (machine scope: code-server's Remote tab), the key through SecretStorage. */
async function useTestProvider(page: Page, server: OpenAiTestServer): Promise<void> {
  await runCommand(page, 'Preferences: Open Remote Settings');
  await page.locator('.settings-editor').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(500);
  await page.keyboard.type('rftStudio.provider.baseUrl');
  const baseUrl = page.locator('.settings-editor .setting-item-contents', { hasText: 'Base URL of an OpenAI-compatible API' }).locator('input').first();
  await baseUrl.waitFor({ timeout: 20_000 });
  await baseUrl.fill(server.baseURL);
  await baseUrl.press('Tab');
  await page.waitForTimeout(1_000); // the settings editor writes after a short delay
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'RFT: Set API Key');
  await answerQuickInput(page, server.apiKey);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }); // closed before the next command opens the palette
}

/** User texts for a topic's generated records: two of its records joined (close to the topic, far from either record). */
async function generationPool(datasetDir: string, topic: string): Promise<string[]> {
  const { readTopicRecords } = await import('../../src/core/topics/datasetRecords');
  const { readLabels } = await import('../../src/core/dataset/labels');
  const { labels } = await readLabels(datasetDir);
  const texts = (await readTopicRecords(datasetDir)).filter((record) => (record.ownTopic ?? labels.get(record.key)?.topic) === topic).map((record) => record.text);
  return texts.flatMap((first, i) => texts.slice(i + 1).map((second) => `${first}\n\nAlso: ${second}`));
}

describe('RFT Studio in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  let session: Session;
  let dataset: string;

  before(async () => {
    fs.rmSync(OUTPUT, { recursive: true, force: true });
    fs.mkdirSync(OUTPUT, { recursive: true });
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-e2e-ws-'));
    dataset = path.join(workspace, 'assistant-support');
    fs.cpSync(path.join(ROOT, 'examples', 'assistant-support'), dataset, { recursive: true, filter: (from) => !from.includes(`${path.sep}.rft`) });
    fs.mkdirSync(path.join(workspace, 'gateway-logs'));
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'traces', 'litellm.jsonl'), path.join(workspace, 'gateway-logs', 'litellm.jsonl'));
    session = await startSession(VSIX, workspace);
  });

  beforeEach(async () => {
    for (let i = 0; i < 2; i++) await session.page.keyboard.press('Escape');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) await screenshot(session.page, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await session?.close();
  });

  it('the tree shows the dataset, its Health row and seven steps with icons and descriptions', async () => {
    const { page } = session;
    await showTree(page);
    const rows = await eventually(
      () => treeRows(page),
      (r) => r.some((row) => row.includes('139 valid')) && r.length >= 9,
      60_000,
      'the dataset tree',
    );
    assert.match(rows[0], /^assistant-support/);
    assert.match(rows[1], /^Health\s*139 valid · 8 invalid · 3 duplicates/);
    assert.deepEqual(
      rows.slice(2, 9).map((row) => row.split(/\s{0,}(?=\d+ records|Waits|Generate topics|Define the reward)/)[0].trim()),
      ['1. Extract Records', '2. Topics & Categorization', '3. Review Coverage', '4. Define Grader', '5. Dry Run', '6. Train Model', '7. Deploy'],
    );
    assert.match(rows[2], /150 records/);
    assert.match(rows[3], /Generate topics from the records/);
    assert.equal(await treeRow(page, 'Health').locator('.codicon-warning').count(), 1, 'health needs attention: warning icon');
    assert.equal(await treeRow(page, '1. Extract Records').locator('.codicon-pass-filled').count(), 1, 'extract complete: pass icon');
    assert.match(rows[5], /4\. Define Grader\s*Define the reward: a preset or your own/);
    assert.equal(await treeRow(page, '4. Define Grader').locator('.codicon-circle-large-filled').count(), 1, 'grader ready (valid records, no grader.json): filled circle');
    await screenshot(page, '1-tree');
  });

  it('opening records.jsonl puts the expected problems in the Problems panel at the right lines', async () => {
    const { page } = session;
    await treeRow(page, '1. Extract Records').click(); // the step opens the records
    await page.locator('.tabs-container .tab', { hasText: 'records.jsonl' }).waitFor({ timeout: 20_000 });
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    // the list renders only the rows it has room for: maximized, all 13 fit
    await runCommand(page, 'View: Toggle Maximized Panel');
    const rows = await eventually(
      () => problemRows(page),
      (r) => r.length >= 13,
      30_000,
      '13 problems',
    );
    await runCommand(page, 'View: Toggle Maximized Panel');
    const found = rows.map(lineAndCode).sort();
    const expected = [
      '27:last_not_user',
      '34:duplicate',
      '45:orphan_tool_result',
      '58:double_encoded_arguments',
      '66:invalid_json',
      '77:duplicate',
      '89:empty_user_message',
      '96:invalid_role',
      '108:invalid_tool_call',
      '108:invalid_tool_definition',
      '117:user_message_too_short',
      '126:last_not_user',
      '141:duplicate',
    ].sort();
    assert.deepEqual(found, expected);
    await screenshot(page, '2-problems');
  });

  it('the status bar health text matches the file', async () => {
    const { page } = session;
    const report = await validateJsonlFiles([path.join(dataset, 'records.jsonl')], { settings: DEFAULT_VALIDATION_SETTINGS });
    const text = await eventually(
      async () => (await page.locator('.statusbar-item', { hasText: 'valid' }).first().innerText()).replace(/\s+/g, ' ').trim(),
      (t) => t.includes('valid'),
      10_000,
      'status bar item',
    );
    assert.equal(text, `${report.counts.valid} valid ${report.counts.invalid} invalid ${report.counts.duplicates} duplicates`);
    await screenshot(page, '3-status-bar');
  });

  it('a quick fix removes its diagnostic and changes the file on disk; health follows the save', async () => {
    const { page } = session;
    // Opening the problem puts the cursor on the diagnostic, as a user would get there.
    await page.locator('.markers-panel .monaco-list-row', { hasText: '[Ln 27, Col 437]' }).first().dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Move the final assistant turn into reference_answer' }).first();
    await fix.waitFor({ timeout: 15_000 });
    await screenshot(page, '4-quick-fix-menu');
    // The menu has the keyboard focus on its first action; walk to ours and take it.
    const actions = await page.locator('.action-widget .monaco-list-row:not(.group-header)').allInnerTexts();
    const index = actions.findIndex((text) => text.includes('Move the final assistant turn into reference_answer'));
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    await eventually(
      () => problemRows(page),
      (rows) => !rows.map(lineAndCode).includes('27:last_not_user') && rows.length === 12,
      20_000,
      'the diagnostic to go',
    );
    const line = JSON.parse(fs.readFileSync(path.join(dataset, 'records.jsonl'), 'utf8').split('\n')[26]);
    assert.equal(line.messages.at(-1).role, 'user');
    assert.equal(typeof line.reference_answer, 'string');
    await eventually(
      () => treeRows(page),
      (rows) => rows.some((row) => /Health\s*140 valid · 7 invalid/.test(row)),
      20_000,
      'the tree health to follow the save',
    );
    await screenshot(page, '5-after-fix');
  });

  it('topics from the tree: the step turns complete or attention, and the coverage dashboard opens with the numbers of rft coverage', async () => {
    const { page } = session;
    await showTree(page);
    const step = treeRow(page, '2. Topics & Categorization');
    await step.hover();
    await step.locator('.action-label[aria-label="Generate Topics"]').click();
    await answerQuickInput(page, 'From the data', 'From the data');
    await answerQuickInput(page, '8'); // eight leaf topics
    const rows = await eventually(
      () => treeRows(page),
      (r) => r.some((row) => /2\. Topics & Categorization\s*8 topics · \d+ % categorized/.test(row)),
      60_000,
      'the topics step to show its topics',
    );
    const topicsRow = rows.find((row) => row.startsWith('2. Topics'))!;
    const icon = (await step.locator('.codicon-pass-filled').count()) > 0 ? 'complete' : (await step.locator('.codicon-warning').count()) > 0 ? 'attention' : 'other';
    assert.notEqual(icon, 'other', `the topics step is complete or needs attention: ${topicsRow}`);
    const topics = JSON.parse(fs.readFileSync(path.join(dataset, 'topics.json'), 'utf8'));
    assert.equal(topics.source, 'auto');
    assert.ok(fs.existsSync(path.join(dataset, '.rft', 'labels.jsonl')));
    await screenshot(page, '8-topics');
    await page.keyboard.press('Escape');
    await eventually(
      () => treeRows(page),
      (r) => r.some((row) => /3\. Review Coverage\s*Balance \d/.test(row)),
      30_000,
      'the coverage step to show the balance',
    );
    // The step opens the dashboard; the tree may re-render under the pointer while labels are written (a click can
    // then land on a row being replaced), so click until the panel is there — but never with a "command not found".
    const panelTab = page.locator('.tabs-container .tab', { hasText: 'Coverage' });
    await eventually(
      async () => {
        if ((await panelTab.count()) === 0) await treeRow(page, '3. Review Coverage').click();
        return panelTab.count();
      },
      (count) => count > 0,
      30_000,
      'the coverage panel',
    );
    assert.equal(await page.locator('.notification-toast', { hasText: /command not found/i }).count(), 0, 'no "command not found" notification after a click on a tree row');
    const dashboard = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const balance = await eventually(
      async () => ((await dashboard.locator('.balance').count()) > 0 ? dashboard.locator('.balance').innerText() : ''),
      (text) => /Balance Score: \d\.\d\d/.test(text),
      30_000,
      'the dashboard balance',
    );
    const { coverageJson } = await import('../../src/cli/commands/topics');
    const { datasetCoverage } = await import('../../src/core/topics/topicsPipeline');
    const expected = coverageJson((await datasetCoverage(dataset))!);
    assert.match(balance, new RegExp(`Balance Score: ${expected.balance.toFixed(2)}`));
    const dashboardText = await dashboard.locator('body').innerText();
    for (const parent of expected.parents) assert.ok(dashboardText.includes(parent.path), `the dashboard lists ${parent.path}`);
    await screenshot(page, '9-coverage-dashboard');
    // The records behind the numbers: the low-confidence list, lowest first; a click opens the record at its line.
    await dashboard.locator('#show-low-confidence').click();
    const first = dashboard.locator('button.record').first();
    await first.waitFor({ timeout: 20_000 });
    const location = await first.locator('.record-location').innerText();
    const line = Number(location.split(':').pop());
    await first.click();
    await eventually(
      async () =>
        (
          await page
            .locator('.statusbar-item', { hasText: /Ln \d+, Col/ })
            .first()
            .innerText()
        ).trim(),
      (text) => text.startsWith(`Ln ${line},`),
      20_000,
      `the editor at line ${line}`,
    );
    // The hover on that record names its topic and confidence.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = await eventually(
      async () => ((await page.locator('.monaco-hover').count()) > 0 ? page.locator('.monaco-hover').first().innerText() : ''),
      (text) => /topic \S+ \(0\.\d\d, (embedding|manual)\)/.test(text),
      15_000,
      'the hover with the topic',
    );
    assert.match(hover, /RFT record/);
    await screenshot(page, '10-record-from-dashboard');
  });

  it('step 4: a preset from the grader editor makes the step complete, and Test Sample shows 5 scores', async () => {
    const { page } = session;
    await runCommand(page, 'View: Close All Editors'); // one webview at a time: the editor's frame is then the only one
    await runCommand(page, 'View: Hide Panel'); // the Problems panel of the earlier tests: room for the editor
    await showTree(page);
    const step = treeRow(page, '4. Define Grader');
    await step.hover();
    assert.deepEqual(await step.locator('.action-label').evaluateAll((actions) => actions.map((a) => a.getAttribute('aria-label'))), ['New Grader from Preset…', 'Edit Grader']);
    // The step opens the editor.
    const tab = page.locator('.tabs-container .tab', { hasText: 'Grader' });
    await eventually(
      async () => {
        if ((await tab.count()) === 0) await treeRow(page, '4. Define Grader').click();
        return tab.count();
      },
      (count) => count > 0,
      30_000,
      'the grader editor',
    );
    const editor = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await editor.locator('h1', { hasText: 'Grader — assistant-support' }).waitFor({ timeout: 30_000 });
    const chips = await editor.locator('#preset option').allInnerTexts();
    assert.deepEqual(chips, ['Correctness', 'Format Compliance', 'Tool Usage', 'Conciseness']);
    await editor.locator('#preset').selectOption('format'); // Python, offline: no judge model here
    await screenshot(page, '11-grader-presets');
    await editor.locator('#use-preset').click();
    await eventually(
      () => treeRows(page),
      (r) => r.some((row) => /4\. Define Grader\s*Script \(Python\)/.test(row)),
      30_000,
      'step 4 to describe the grader',
    );
    assert.equal(await treeRow(page, '4. Define Grader').locator('.codicon-pass-filled').count(), 1, 'grader complete: pass icon');
    const saved = JSON.parse(fs.readFileSync(path.join(dataset, 'grader.json'), 'utf8'));
    assert.equal(saved.preset, 'format');
    assert.ok(fs.existsSync(path.join(dataset, saved.file)), `${saved.file} was written`);
    await editor.locator('#save-status', { hasText: 'grader.json saved' }).waitFor({ timeout: 20_000 });
    await editor.locator('#compile-status', { hasText: 'Compiles for OpenAI' }).waitFor({ timeout: 20_000 });
    assert.match(await editor.locator('#openai-json').innerText(), /"type": "python"/);
    // Test Sample on the reference answers (no base model configured).
    assert.equal(await editor.locator('#answer-from').inputValue(), 'reference');
    await editor.locator('#test-sample').click();
    const scores = await eventually(
      () => editor.locator('table.results td.score').allInnerTexts(),
      (s) => s.length === 5,
      120_000,
      'five Test Sample scores',
    );
    for (const value of scores) assert.match(value, /^\d\.\d\d$/);
    const errors = await editor.locator('table.results td.errors').allInnerTexts();
    assert.deepEqual(
      errors.map((text) => text.trim()),
      ['—', '—', '—', '—', '—'],
      `the python grader ran: ${errors.join(' | ')}`,
    );
    assert.deepEqual([...new Set(await editor.locator('table.results td.answer .source').allInnerTexts())], ['reference answer']);
    assert.match(await editor.locator('#test-mean').innerText(), /^Mean \d\.\d\d over 5 records · answers: reference answer$/);
    await editor.locator('#test-heading').evaluate((heading) => heading.scrollIntoView({ block: 'start' })); // the results, for the screenshot
    await screenshot(page, '12-grader-test-sample');
  });

  it('step 4: a custom text-similarity grader edited in the form is saved atomically as grader.json and scores the references', async () => {
    const { page } = session;
    const editor = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await editor.locator('#mode-custom').check();
    await editor.locator('#kind').selectOption('text_similarity');
    await editor.locator('.kind-text_similarity').waitFor();
    await editor.locator('#f-name').fill('similarity');
    assert.equal(await editor.locator('#f-reference').inputValue(), '{{item.reference_answer}}', 'the dataset’s own reference field');
    await editor.locator('#f-evaluation_metric').selectOption('rouge_l');
    await editor.locator('#save').click();
    await eventually(
      () => treeRows(page),
      (r) => r.some((row) => /4\. Define Grader\s*Text similarity · rouge_l/.test(row)),
      30_000,
      'step 4 to describe the new grader',
    );
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dataset, 'grader.json'), 'utf8')), {
      type: 'text_similarity',
      name: 'similarity',
      input: '{{sample.output_text}}',
      reference: '{{item.reference_answer}}',
      evaluation_metric: 'rouge_l',
    });
    await editor.locator('#save-status', { hasText: 'grader.json saved' }).waitFor({ timeout: 20_000 });
    await editor.locator('#test-sample').click();
    // The table was emptied by the click: these are the new grader's scores.
    const scores = await eventually(
      () => editor.locator('table.results td.score').allInnerTexts(),
      (s) => s.length === 5,
      60_000,
      'five Test Sample scores',
    );
    const errors = await editor.locator('table.results td.errors').allInnerTexts();
    scores.forEach((score, index) => {
      // A reference answer against itself scores 1; a record whose reference is only tool calls has no reference_answer to compare with.
      if (score === '1.00') assert.equal(errors[index].trim(), '—');
      else assert.match(errors[index], /^invalid_variable_error: \{\{item\.reference_answer\}\}: item\.reference_answer is missing/, `row ${index + 1}: ${score} ${errors[index]}`);
    });
    assert.ok(scores.includes('1.00'));
    // The tree's Test Sample runs it again in the open editor.
    const step = treeRow(page, '4. Define Grader');
    await step.hover();
    assert.deepEqual(await step.locator('.action-label').evaluateAll((actions) => actions.map((a) => a.getAttribute('aria-label'))), ['Edit Grader', 'Test Sample']);
    await editor.locator('table.results').evaluate((table) => table.setAttribute('data-seen', 'true')); // a new run draws a new table
    await step.locator('.action-label[aria-label="Test Sample"]').click();
    await editor.locator('table.results:not([data-seen])').waitFor({ timeout: 60_000 });
    assert.deepEqual(await editor.locator('table.results td.score').allInnerTexts(), scores, 'the same seeded records, the same scores');
    // Self-check: references against controls, offline for this kind.
    await editor.locator('#self-check').click();
    const verdict = await eventually(
      async () => ((await editor.locator('.self-check .verdict').count()) > 0 ? editor.locator('.self-check .verdict').innerText() : ''),
      (text) => text !== '',
      60_000,
      'the self-check verdict',
    );
    assert.match(verdict, /^(✓ OK|⚠ Warning|✖ Fail)/);
    assert.match(await editor.locator('#auc').innerText(), /^\d\.\d\d$/);
    assert.equal(await editor.locator('.self-check tbody tr').count(), 4);
    await editor.locator('.self-check').evaluate((report) => report.scrollIntoView({ block: 'end' })); // the results, for the screenshot
    await screenshot(page, '13-grader-custom');
  });

  it('step 5: a dry run from the tree against the local OpenAI-compatible server shows the badge, the histogram and step 5’s status', async function () {
    this.timeout(420_000); // 60 answers scored by a Python grader on a busy machine
    const { page } = session;
    const server = await startOpenAiTestServer();
    // Three kinds of answers, by prompt: clean prose, an empty answer, broken JSON — a spread for the format preset to score.
    server.onChat((request) => {
      const text = JSON.stringify(request.messages.at(-1) ?? '');
      const kind = [...text].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 3;
      return { content: kind === 0 ? 'Thanks for reaching out. Restart the app, then sign in again; your settings are kept.' : kind === 1 ? '' : '{"answer": ' };
    });
    try {
      await showTree(page);
      await eventually(
        () => treeRows(page),
        (r) => r.some((row) => row.startsWith('5. Dry Run')),
        60_000,
        'step 5 in the tree',
      );
      await runCommand(page, 'View: Close All Editors'); // one webview at a time: the panel's frame is then the only one
      await useTestProvider(page, server);
      // A preset grader (Format Compliance: Python in the sandbox), replacing the custom one of step 4.
      const hadGrader = fs.existsSync(path.join(dataset, 'grader.json'));
      await runCommand(page, 'RFT: New Grader from Preset…');
      await answerQuickInput(page, 'Format Compliance', 'Format Compliance');
      if (hadGrader) await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Replace' }).click(); // asked before the grader is replaced
      await eventually(
        () => treeRows(page),
        (r) => r.some((row) => /4\. Define Grader\s*Script \(Python\)/.test(row)),
        30_000,
        'step 4 to describe the preset',
      );
      await runCommand(page, 'View: Close All Editors');
      await showTree(page);
      // Step 5's inline Run Dry Run…: N, K, the base model, then the estimate to confirm.
      const step = treeRow(page, '5. Dry Run');
      await step.hover();
      await step.locator('.action-label[aria-label="Run Dry Run…"]').click();
      await answerQuickInput(page, '30');
      await answerQuickInput(page, '2');
      const model = page.locator('.quick-input-widget input');
      await eventually(
        () => model.inputValue(),
        (value) => value === 'gpt-4o-mini',
        10_000,
        'the model to default to rftStudio.provider.chatModel',
      );
      await answerQuickInput(page, 'gpt-4o-mini');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 20_000 });
      assert.match(await dialog.innerText(), /30 prompts × 2 = up to 60 answers from gpt-4o-mini/);
      await screenshot(page, '14-dry-run-confirm');
      await dialog.locator('.monaco-button', { hasText: 'Run' }).click();
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      const decision = await eventually(
        async () => ((await panel.locator('#decision').count()) > 0 ? ((await panel.locator('#decision').textContent()) ?? '') : ''),
        (text) => /^(GO|CAUTION|NO-GO)$/.test(text),
        240_000,
        'the dry run’s decision',
      );
      const values: number[] = JSON.parse((await panel.locator('#histogram').getAttribute('data-values')) ?? '[]');
      assert.equal(values.length, 10);
      const scored = Number(/^(\d+) \/ 60$/.exec((await panel.locator('#stat-samples').textContent()) ?? '')?.[1]);
      assert.equal(
        values.reduce((sum, n) => sum + n, 0),
        scored,
        'the histogram counts the scored samples',
      );
      assert.ok(scored > 0);
      assert.ok(server.requests.filter((r) => r.path === '/v1/chat/completions').length >= 60, 'every answer came from the local server');
      assert.ok((await panel.locator('#reasons li').count()) >= 3, 'the reasons name the metrics');
      assert.ok((await panel.locator('#samples li.sample').count()) > 0);
      assert.match(await panel.locator('#stat-zero-variance').innerText(), /^\d+\.\d%$/, 'K = 2 measures zero-variance prompts');
      const runs = fs.readdirSync(path.join(dataset, '.rft', 'runs')).filter((file) => /^dryrun-.*\.json$/.test(file));
      assert.equal(runs.length, 1);
      assert.equal(JSON.parse(fs.readFileSync(path.join(dataset, '.rft', 'runs', runs[0]), 'utf8')).decision, decision);
      // Step 5 follows the run: its status icon and "GO · mean …" description.
      const icon = { GO: 'pass-filled', CAUTION: 'warning', 'NO-GO': 'error' }[decision as 'GO' | 'CAUTION' | 'NO-GO'];
      await eventually(
        () => treeRows(page),
        (r) => r.some((row) => new RegExp(`5\\. Dry Run\\s*\\S*\\s*${decision} · mean \\d\\.\\d\\d`).test(row)),
        30_000,
        'step 5 to show the decision',
      );
      assert.equal(await treeRow(page, '5. Dry Run').locator(`.codicon-${icon}`).count(), 1, `step 5's icon for ${decision}`);
      await screenshot(page, '15-dry-run-results');
      await panel.locator('#samples').evaluate((list) => list.scrollIntoView({ block: 'start' }));
      await screenshot(page, '16-dry-run-samples');
      // A sample opens its record at its line.
      const location = await panel.locator('.sample-location').first().innerText();
      await panel.locator('.sample-location').first().click();
      const line = Number(location.split(':').pop());
      await eventually(
        async () =>
          (
            await page
              .locator('.statusbar-item', { hasText: /Ln \d+, Col/ })
              .first()
              .innerText()
          ).trim(),
        (text) => text.startsWith(`Ln ${line},`),
        20_000,
        `the record at line ${line}`,
      );
    } finally {
      await server.close();
    }
  });

  it('step 6: an RFT job started from the tree against the local test server: the curve gets points, step 6 follows the job, then shows the tuned model', async function () {
    this.timeout(300_000);
    const { page } = session;
    const server = await startOpenAiTestServer();
    server.state.fineTuning.defaultTotalSteps = 10; // one training step per poll of the job
    const settingsFile = path.join(session.workspace, '.vscode', 'settings.json');
    try {
      // Polls every 2 s (a workspace setting) so the ten steps take seconds, not the default 15 s each.
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      fs.writeFileSync(settingsFile, JSON.stringify({ 'rftStudio.training.pollIntervalSeconds': 2 }));
      await useTestProvider(page, server);
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      // A click on step 6 opens the training monitor.
      const openMonitor = async () => {
        await runCommand(page, 'View: Close All Editors'); // one webview at a time: the panel's frame is then the only one
        await showTree(page);
        const tab = page.locator('.tabs-container .tab', { hasText: 'Training' });
        await eventually(
          async () => {
            if ((await tab.count()) === 0) await treeRow(page, '6. Train Model').click();
            return tab.count();
          },
          (count) => count > 0,
          30_000,
          'the training panel',
        );
        await panel.locator('h1', { hasText: 'Training — assistant-support' }).waitFor({ timeout: 30_000 });
      };
      await openMonitor();
      const dryRunRow = (await treeRows(page)).find((row) => row.startsWith('5. Dry Run')) ?? '';
      let decision = /5\. Dry Run\s*\S*\s*(GO|CAUTION|NO-GO) · mean/.exec(dryRunRow)?.[1];
      assert.ok(decision, `step 5 shows the dry run's decision: ${dryRunRow}`);
      if (decision === 'NO-GO') {
        // The gate refuses (launchTraining's words) and offers a dry run; one on better answers clears it.
        assert.match(await panel.locator('#gate').innerText(), /^Dry run: NO-GO · mean \d\.\d\d/);
        await panel.locator('#start:not([disabled])').click();
        await panel.locator('#launch-error .error-text', { hasText: 'NO-GO' }).waitFor({ timeout: 30_000 });
        assert.match(await panel.locator('#launch-error .error-text').innerText(), /the newest dry run decided NO-GO \(mean \d\.\d\d\)/);
        assert.equal(server.requests.filter((request) => request.path.startsWith('/v1/fine_tuning') || request.path === '/v1/files').length, 0, 'nothing was uploaded or created');
        await panel.locator('#launch-error').scrollIntoViewIfNeeded();
        await screenshot(page, 'train-0-refused');
        // Three answers in four are clean prose (the format preset scores them well), one in four is empty: a spread, mostly passing.
        server.onChat((request) => {
          const text = JSON.stringify(request.messages.at(-1) ?? '');
          const clean = [...text].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 4 !== 0;
          return { content: clean ? 'Thanks for reaching out. Restart the app, then sign in again; your settings are kept.' : '' };
        });
        await panel.locator('#launch-run-dry-run').click();
        await answerQuickInput(page, '30');
        await answerQuickInput(page, '1');
        await answerQuickInput(page, 'gpt-4o-mini');
        const confirm = page.locator('.monaco-dialog-box');
        await confirm.waitFor({ timeout: 20_000 });
        await confirm.locator('.monaco-button', { hasText: 'Run' }).click();
        const rows = await eventually(
          () => treeRows(page),
          (r) => r.some((row) => /5\. Dry Run\s*\S*\s*(GO|CAUTION) · mean/.test(row)),
          240_000,
          'a GO or CAUTION dry run',
        );
        decision = /5\. Dry Run\s*\S*\s*(GO|CAUTION) · mean/.exec(rows.find((row) => row.startsWith('5. Dry Run')) ?? '')?.[1];
        await openMonitor();
      }
      assert.match(await panel.locator('#gate').innerText(), new RegExp(`^Dry run: ${decision} · mean \\d\\.\\d\\d`));
      assert.equal(await panel.locator('#backend-openai').isChecked(), true);
      assert.match(await panel.locator('#platform-notice').innerText(), /after 2027-01-06/);
      await panel.locator('#model').fill('o4-mini-2025-04-16');
      await panel.locator('#hp-n_epochs').fill('2');
      assert.match(await panel.locator('#split-counts').innerText(), /valid records → train ≈ \d+ · validation ≈ \d+ \(90 \/ 10\)/);
      await screenshot(page, 'train-1-form');
      await panel.locator('#start:not([disabled])').click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 20_000 });
      const asked = await dialog.innerText();
      assert.match(asked, /Start training assistant-support on OpenAI\?/);
      if (decision === 'CAUTION') assert.match(asked, /CAUTION/, 'a CAUTION dry run is confirmed before training');
      await dialog.locator('.monaco-button', { hasText: 'Start Training' }).click();

      // While it runs: the curve gets points, and step 6 says how far the job is.
      const points = await eventually(
        async () => JSON.parse((await panel.locator('#curves').getAttribute('data-train')) ?? '[]') as number[][],
        (drawn) => drawn.length >= 2,
        90_000,
        'two points on the train curve',
      );
      assert.deepEqual(
        points.map(([step]) => step),
        points.map((_, i) => i + 1),
        'one point per step, in order',
      );
      const running = await eventually(
        () => treeRows(page),
        (r) => r.some((row) => /6\. Train Model\s*\d+ % · epoch \d\/2 · train \d\.\d\d/.test(row)),
        30_000,
        'step 6 to show the running job',
      );
      assert.ok(running.some((row) => row.startsWith('6. Train Model')));
      assert.match(await panel.locator('#train-reward').innerText(), /^Train reward: \d\.\d\d \([+−]\d+ % from baseline\)$/);
      await screenshot(page, 'train-2-running');

      // Then it succeeds: the tuned model in the panel, in the job file and in step 6.
      const tuned = await eventually(
        async () => ((await panel.locator('#result-model').count()) > 0 ? ((await panel.locator('#result-model').textContent()) ?? '') : ''),
        (text) => text !== '',
        120_000,
        'the tuned model',
      );
      const [remote] = server.state.fineTuning.all();
      assert.equal(tuned, remote.job.fine_tuned_model);
      assert.equal(JSON.parse((await panel.locator('#curves').getAttribute('data-train')) ?? '[]').length, 10, 'every step on the curve');
      const create = server.requests.find((request) => request.method === 'POST' && request.path === '/v1/fine_tuning/jobs');
      const body = create?.body as { model: string; validation_file?: string; method: { type: string; reinforcement: { grader: { type: string }; hyperparameters: Record<string, unknown> } } };
      assert.equal(body.model, 'o4-mini-2025-04-16');
      assert.equal(body.method.type, 'reinforcement');
      assert.equal(body.method.reinforcement.grader.type, 'python', 'the Format Compliance preset, compiled for OpenAI');
      assert.equal(body.method.reinforcement.hyperparameters.n_epochs, 2);
      assert.ok(body.validation_file, 'the validation split was uploaded too');
      const jobs = fs.readdirSync(path.join(dataset, '.rft', 'jobs')).filter((file) => file.endsWith('.json'));
      assert.equal(jobs.length, 1);
      const record = JSON.parse(fs.readFileSync(path.join(dataset, '.rft', 'jobs', jobs[0]), 'utf8'));
      assert.equal(record.status, 'succeeded');
      assert.equal(record.resultModel, tuned);
      assert.equal(record.remoteId, remote.job.id);
      await eventually(
        () => treeRows(page),
        (r) => r.some((row) => row.startsWith('6. Train Model') && row.includes(tuned)),
        30_000,
        'step 6 to show the tuned model',
      );
      assert.equal(await treeRow(page, '6. Train Model').locator('.codicon-pass-filled').count(), 1, 'step 6 complete: pass icon');
      await screenshot(page, 'train-3-succeeded');
    } finally {
      fs.rmSync(settingsFile, { force: true });
      await server.close();
    }
  });

  it('step 7: from the tree, benchmarks base vs tuned on the local test server show the overall figure; an A/B 90/10 deploy into config.yaml writes both weights and step 7 shows it complete', async function () {
    this.timeout(300_000);
    const { page } = session;
    const server = await startOpenAiTestServer();
    // The tuned model answers in clean prose (the Format Compliance preset's 1.0); the base answers empty or cut-off JSON (0 or 0.5), by prompt.
    server.onChat((request) => {
      if (request.model !== 'gpt-4o-mini') return { content: 'Thanks for reaching out. Open Settings > Billing, pick the invoice, then choose Request refund; it lands in 5–7 days.' };
      const text = JSON.stringify(request.messages.at(-1) ?? '');
      return { content: [...text].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 2 === 0 ? '' : '{"answer": ' };
    });
    const config = path.join(dataset, 'gateway', 'config.yaml');
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'litellm', 'config.yaml'), config);
    try {
      await useTestProvider(page, server);
      await runCommand(page, 'View: Close All Editors'); // one webview at a time: the panel's frame is then the only one
      await showTree(page);
      const [job] = fs.readdirSync(path.join(dataset, '.rft', 'jobs')).filter((file) => file.endsWith('.json'));
      const tuned = JSON.parse(fs.readFileSync(path.join(dataset, '.rft', 'jobs', job), 'utf8')).resultModel as string;
      assert.ok(tuned, 'the step-6 test left a succeeded job with its tuned model');
      await eventually(
        () => treeRows(page),
        (r) => r.some((row) => row.startsWith('7. Deploy') && row.includes(`Model ready: ${tuned}`)),
        30_000,
        'step 7 ready with the tuned model',
      );
      // A click on step 7 opens Results & Deploy.
      const tab = page.locator('.tabs-container .tab', { hasText: 'Results & Deploy' });
      await eventually(
        async () => {
          if ((await tab.count()) === 0) await treeRow(page, '7. Deploy').click();
          return tab.count();
        },
        (count) => count > 0,
        30_000,
        'the results and deploy panel',
      );
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await panel.locator('h1', { hasText: 'Results & Deploy — assistant-support' }).waitFor({ timeout: 30_000 });
      assert.match(await panel.locator('#tuned-line').innerText(), new RegExp(`^${tuned.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · OpenAI · from training job`));
      assert.equal(await panel.locator('#base-model').inputValue(), 'gpt-4o-mini', 'the dry run’s model');

      // Run Benchmarks: both models answer the validation split, the grader scores both.
      await panel.locator('#run-benchmarks:not([disabled])').click();
      const overall = await eventually(
        async () => ((await panel.locator('#overall').count()) > 0 ? await panel.locator('#overall').innerText() : ''),
        (text) => text.startsWith('Overall:'),
        180_000,
        'the overall figure',
      );
      const runs = fs.readdirSync(path.join(dataset, '.rft', 'runs')).filter((file) => /^benchmark-.*\.json$/.test(file));
      assert.equal(runs.length, 1);
      const run = JSON.parse(fs.readFileSync(path.join(dataset, '.rft', 'runs', runs[0]), 'utf8'));
      assert.equal(run.status, 'complete');
      assert.equal(run.config.source.file, path.join('exports', 'valid.jsonl'));
      const { base, tuned: tunedMean, relativeChange, n } = run.report.overall;
      assert.ok(n > 0 && tunedMean > base, `the tuned model scores higher: ${base} → ${tunedMean}`);
      assert.equal(overall, `Overall: ${base.toFixed(2)} → ${tunedMean.toFixed(2)} · +${Math.round(relativeChange * 100)} %`);
      const chats = server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => (r.body as { model: string }).model);
      assert.equal(chats.filter((model) => model === 'gpt-4o-mini').length, run.planned, 'one base answer per prompt, from the local server');
      assert.equal(chats.filter((model) => model === tuned).length, run.planned, 'one tuned answer per prompt');
      assert.equal(await panel.locator('#topics tbody tr').count(), run.report.byTopic.length);
      await screenshot(page, '22-deploy-results');

      // A/B 90/10 into the config: choose it, preview the diff, Deploy.
      // The open dialog (code-server's simple dialog): typed again when a busy machine mixed its prefilled folder into the path.
      await eventually(
        async () => {
          const dialog = page.locator('.quick-input-widget');
          if (await dialog.isVisible()) await answerFileDialog(page, config);
          else if ((await panel.locator('#config-file').innerText()) !== config) await panel.locator('#pick-config').click();
          return panel.locator('#config-file').innerText();
        },
        (text) => text === config,
        60_000,
        'the chosen config',
      );
      await panel.locator('#mode-ab').check();
      await panel.locator('#model-name').selectOption('support-bot');
      assert.equal(await panel.locator('#weight-base').inputValue(), '90');
      assert.equal(await panel.locator('#weight-tuned').inputValue(), '10');
      await panel.locator('#preview').click();
      await panel.locator('#diff .diff-add').first().waitFor({ timeout: 20_000 });
      const diff = await panel.locator('#diff').innerText();
      assert.match(diff, /^\+ {6}weight: 90$/m);
      assert.match(diff, /^\+ {6}weight: 10$/m);
      assert.ok(diff.includes(`openai/${tuned}`), 'the tuned deployment in the diff');
      assert.equal(fs.readFileSync(config, 'utf8'), fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'litellm', 'config.yaml'), 'utf8'), 'a preview writes nothing');
      await panel.locator('#diff').evaluate((pre) => pre.scrollIntoView({ block: 'center' }));
      await screenshot(page, '23-deploy-diff');
      await panel.locator('#deploy:not([disabled])').click();
      await eventually(
        () =>
          panel
            .locator('#notice')
            .innerText()
            .catch(() => ''),
        (text) => text.startsWith('Deployed · A/B 90/10 · support-bot'),
        30_000,
        'the deploy notice',
      );

      // On disk: both deployments of support-bot carry their weight; the old file is kept for Undo.
      const { parse } = await import('yaml');
      const group = (parse(fs.readFileSync(config, 'utf8'), { merge: true }) as { model_list: { model_name: string; litellm_params: { model: string; weight?: number } }[] }).model_list.filter(
        (entry) => entry.model_name === 'support-bot',
      );
      assert.deepEqual(
        group.map((entry) => [entry.litellm_params.model, entry.litellm_params.weight]),
        [
          ['openai/gpt-4o-mini', 90],
          [`openai/${tuned}`, 10],
        ],
      );
      assert.match(fs.readFileSync(config, 'utf8'), /# base model, to be tuned/, 'comments kept');
      const [deployment] = fs
        .readFileSync(path.join(dataset, '.rft', 'deployments.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.equal(deployment.mode, 'ab');
      assert.ok(fs.existsSync(path.join(dataset, deployment.backup)), 'the old config kept for Undo');
      await eventually(
        () => treeRows(page),
        (r) => r.some((row) => /7\. Deploy\s*Deployed · A\/B 90\/10 · support-bot/.test(row)),
        30_000,
        'step 7 to show the deployment',
      );
      assert.equal(await treeRow(page, '7. Deploy').locator('.codicon-pass-filled').count(), 1, 'step 7 complete: pass icon');
      await panel.locator('#deployment', { hasText: 'Deployed · A/B 90/10 · support-bot' }).waitFor({ timeout: 20_000 });
      assert.equal(await panel.locator('#undo').getAttribute('disabled'), null);
      await panel.locator('#deployment').evaluate((line) => line.scrollIntoView({ block: 'center' }));
      await screenshot(page, '24-deploy-complete');
    } finally {
      await server.close();
    }
  });

  it('step 3: a thin topic’s "Generate ~N" on the dashboard opens the generation panel; Start against the local server lands the records in that topic, and the dashboard and the tree follow', async function () {
    this.timeout(300_000);
    const { page } = session;
    const { datasetCoverage } = await import('../../src/core/topics/topicsPipeline');
    const before = (await datasetCoverage(dataset))!;
    const thin = before.topics.filter((topic) => topic.gap > 0).sort((a, b) => b.gap - a.gap || a.path.localeCompare(b.path))[0];
    assert.ok(thin, 'the example has a thin topic after `topics --leaves 8`');
    const generatedFile = path.join(dataset, 'generated.jsonl');
    const linesBefore = fs.existsSync(generatedFile) ? fs.readFileSync(generatedFile, 'utf8').split('\n').filter(Boolean).length : 0;
    const server = await startOpenAiTestServer();
    const model = generationHandler({ pools: { [thin.path]: await generationPool(dataset, thin.path) } });
    server.onChat(model);
    try {
      await runCommand(page, 'View: Close All Editors'); // one webview at a time: the visible panel's frame is then the only one
      await useTestProvider(page, server);
      await runCommand(page, 'RFT: Open Coverage Dashboard');
      const frame = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      const parent = thin.path.includes('/') ? thin.path.split('/')[0] : undefined;
      await frame().locator('.balance').waitFor({ timeout: 30_000 });
      const expander = frame().locator(`button.expander[data-path="${parent}"]`);
      if (parent && (await expander.getAttribute('aria-expanded')) !== 'true') await expander.click();
      const generate = frame().locator(`vscode-button.generate[data-path="${thin.path}"]`);
      assert.equal(await generate.innerText(), `Generate ~${thin.gap}`);
      await generate.click();
      // The generation panel, with only that topic pre-filled.
      await page.locator('.tabs-container .tab', { hasText: 'Generate Samples' }).waitFor({ timeout: 30_000 });
      const panel = frame();
      await panel.locator('h1', { hasText: 'Generate Samples — assistant-support' }).waitFor({ timeout: 30_000 });
      const counts = await panel
        .locator('input.count')
        .evaluateAll((inputs) => Object.fromEntries(inputs.map((input) => [input.getAttribute('data-topic'), (input as unknown as { value: string }).value])));
      assert.deepEqual(
        Object.entries(counts).filter(([, value]) => value !== '0'),
        [[thin.path, String(thin.gap)]],
      );
      assert.equal(await panel.locator('#model').inputValue(), 'gpt-4o-mini', 'the model from rftStudio.provider.chatModel');
      await panel.locator('#estimate', { hasText: 'Estimate:' }).waitFor({ timeout: 30_000 });
      assert.match(await panel.locator('#estimate').innerText(), new RegExp(`^Estimate: ${thin.gap} records in ~\\d+ requests`));
      await screenshot(page, '17-generate-setup');
      await panel.locator('#start').click();
      const summary = await eventually(
        async () => ((await panel.locator('#result-summary').count()) > 0 ? panel.locator('#result-summary').innerText() : ''),
        (text) => / records landed$/.test(text),
        120_000,
        'the generation result',
      );
      assert.equal(summary, `${thin.gap} of ${thin.gap} records landed`);
      assert.equal(await panel.locator('#result-summary').getAttribute('data-stopped'), 'target');
      assert.match(await panel.locator('#result-reason').innerText(), /^every target landed/);
      assert.equal(await panel.locator(`#run-rows tr[data-topic="${thin.path}"] td.written`).innerText(), String(thin.gap));
      assert.match(await panel.locator('#preview-outcome').innerText(), /Written to generated\.jsonl, line \d+$/);
      assert.ok(model.asks.length > 0 && model.asks.every((ask) => ask.topic === thin.path), 'every request asked for the thin topic');
      await screenshot(page, '18-generate-finished');
      // On disk: the records in generated.jsonl (never records.jsonl), each made for the topic.
      const generated = fs
        .readFileSync(generatedFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .slice(linesBefore)
        .map((line) => JSON.parse(line));
      assert.equal(generated.length, thin.gap);
      for (const record of generated) assert.equal(record.metadata.generated.topic, thin.path);
      const after = (await datasetCoverage(dataset))!;
      const count = after.topics.find((topic) => topic.path === thin.path)!.count;
      assert.equal(count, thin.count + thin.gap, 'every record landed in its topic');
      // The dashboard and the tree follow.
      await panel.locator('#open-coverage').click();
      await page.locator('.tabs-container .tab.active', { hasText: 'Coverage' }).waitFor({ timeout: 20_000 });
      const dashboard = frame();
      if (parent && (await dashboard.locator(`button.expander[data-path="${parent}"]`).getAttribute('aria-expanded')) !== 'true')
        await dashboard.locator(`button.expander[data-path="${parent}"]`).click();
      const row = dashboard.locator(`tr[data-path="${thin.path}"]`);
      await eventually(
        () => row.locator('td.num').first().innerText(),
        (text) => text === String(count),
        30_000,
        `the dashboard's count for ${thin.path}`,
      );
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, '19-generate-coverage-after');
      await showTree(page);
      await eventually(
        () => treeRows(page),
        (r) => r.some((line) => line.includes(`3. Review Coverage`) && line.includes(`Balance ${after.balance.toFixed(2)}`)),
        30_000,
        'step 3 to show the new balance',
      );
      // Step 3's inline Generate Samples: every gap; Stop ends a run whose requests hang, mid-request, and nothing is written.
      server.fault({ path: '/chat/completions' }, { kind: 'hang' }, 50);
      const step = treeRow(page, '3. Review Coverage');
      await step.hover();
      await step.locator('.action-label[aria-label="Generate Samples"]').click();
      await page.locator('.tabs-container .tab.active', { hasText: 'Generate Samples' }).waitFor({ timeout: 20_000 });
      const gaps = after.topics.filter((topic) => topic.gap > 0);
      await eventually(
        () =>
          frame()
            .locator('input.count')
            .evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value)),
        (values) => values.filter((value) => value !== '0').length === gaps.length,
        20_000,
        'every gap pre-filled',
      );
      const asked = server.requests.length;
      await frame().locator('#start').click();
      await frame().locator('#stop').waitFor({ timeout: 20_000 });
      await eventually(
        async () => server.requests.length,
        (n) => n > asked,
        20_000,
        'a request in flight',
      );
      await frame().locator('#stop').click();
      await frame().locator('#notice', { hasText: 'Stopped' }).waitFor({ timeout: 30_000 });
      assert.equal(await frame().locator('#result-summary').getAttribute('data-stopped'), 'cancelled');
      assert.equal(fs.readFileSync(generatedFile, 'utf8').split('\n').filter(Boolean).length, linesBefore + thin.gap, 'nothing more was written');
      await screenshot(page, '20-generate-stopped');
    } finally {
      await server.close();
    }
  });

  it('"RFT: New Dataset" from the command palette creates rft.json and the tree shows it', async () => {
    const { page } = session;
    await runCommand(page, 'RFT: New Dataset…');
    await answerQuickInput(page, 'chess-tutor');
    await answerQuickInput(page, 'Teach chess openings');
    await answerQuickInput(page, '', path.basename(session.workspace));
    await answerQuickInput(page, 'Start empty', 'Start empty');
    const manifest = path.join(session.workspace, 'chess-tutor', 'rft.json');
    await eventually(async () => fs.existsSync(manifest), Boolean, 20_000, 'rft.json');
    assert.equal(JSON.parse(fs.readFileSync(manifest, 'utf8')).objective, 'Teach chess openings');
    await showTree(page);
    // The new dataset appears, then its health settles (it shows "Validating…" in between).
    const rows = await eventually(
      () => treeRows(page),
      (r) => r.some((row) => row.startsWith('chess-tutor')) && r.some((row) => /Health\s*No records yet/.test(row)),
      20_000,
      'the new dataset and its health in the tree',
    );
    assert.ok(rows.some((row) => /1\. Extract Records\s*No records yet/.test(row)));
    await screenshot(page, '6-new-dataset');
  });

  it('the "New Dataset from Gateway Traces" wizard on a LiteLLM log creates a dataset that the tree shows with its health', async () => {
    const { page } = session;
    const log = path.join(session.workspace, 'gateway-logs', 'litellm.jsonl');
    await runCommand(page, 'RFT: New Dataset from Gateway Traces');
    await answerQuickInput(page, 'Trace or log file', 'Trace or log file');
    await answerFileDialog(page, log);
    await answerQuickInput(page, '', 'All calls');
    await answerQuickInput(page, '', 'gpt-4o'); // every model stays picked
    await answerQuickInput(page, ''); // no tag filter
    await answerQuickInput(page, ''); // no text filter
    // The log's one "status": "failure" line is skipped by default; the preview offers to keep it.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Extract 4 records' }).first().waitFor({ timeout: 20_000 });
    assert.match(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Extract 4 records' }).first().innerText(), /skipped: .*\b1 failed call\b/);
    await answerQuickInput(page, 'Include the', 'Include the 1 failed call');
    await answerQuickInput(page, 'Extract', 'Extract 5 records');
    await answerQuickInput(page, 'support-traces');
    await answerQuickInput(page, 'Answer shipping and order questions');
    await answerQuickInput(page, '', path.basename(session.workspace));
    const manifest = path.join(session.workspace, 'support-traces', 'rft.json');
    await eventually(async () => fs.existsSync(manifest), Boolean, 30_000, 'rft.json of the extracted dataset');
    assert.equal(JSON.parse(fs.readFileSync(manifest, 'utf8')).source.kind, 'litellm');
    await showTree(page);
    const rows = await eventually(
      () => treeRows(page),
      (r) => r.some((row) => row.startsWith('support-traces')) && r.some((row) => /Health\s*5 valid · 0 invalid/.test(row)),
      30_000,
      'the extracted dataset and its health in the tree',
    );
    assert.ok(rows.some((row) => /1\. Extract Records\s*5 records · from litellm/.test(row)));
    await screenshot(page, '7-traces-wizard');
  });
  it('the walkthrough opens from "RFT: Get Started" with its title and the eight steps; a step\'s command ticks it off', async () => {
    const { page } = session;
    await showTree(page);
    await eventually(
      () => treeRows(page),
      (r) => r.some((row) => row.startsWith('assistant-support')),
      60_000,
      'the extension loaded (its tree)',
    );
    await runCommand(page, 'RFT: Get Started');
    const walkthrough = page.locator('.gettingStartedContainer');
    const text = await eventually(
      () =>
        walkthrough
          .first()
          .innerText()
          .catch(() => ''),
      (t) => t.includes('Get started with RFT Studio'),
      30_000,
      'the walkthrough',
    );
    const { contributes } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { steps: { title: string }[] }[] } };
    const titles = contributes.walkthroughs[0].steps.map((step) => step.title);
    assert.equal(titles.length, 8);
    for (const title of titles) assert.ok(text.includes(title), `step "${title}" shows`);
    await page
      .locator('.gettingStartedContainer .getting-started-detail-columns img, .gettingStartedContainer iframe, .gettingStartedContainer webview')
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(() => undefined);
    await page.waitForTimeout(1_500); // the step's Markdown and image render in a webview
    await screenshot(page, '21-walkthrough');
    // a step is ticked off by its command (an earlier test may have run it already): Open Coverage Dashboard
    // completes "Check coverage, fill the gaps"
    const done = () => page.locator('.gettingStartedContainer [data-done-step-id$="#coverage"]').getAttribute('aria-checked');
    await runCommand(page, 'RFT: Open Coverage Dashboard');
    await page.waitForTimeout(1_000);
    await page.keyboard.press('Escape'); // a dataset picker when the workspace has several
    await runCommand(page, 'RFT: Get Started');
    await eventually(done, (value) => value === 'true', 20_000, 'the coverage step completed');
  });
});
