// The grader editor in headless Chromium, under its real CSP, driven through the grader protocol.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GraderJson, HostMessage, MultiGraderJson, PresetInfo, ScoreModelJson, TemplateVariable, TestSampleRow } from '../../src/shared/graderProtocol';
import { assertStrictCsp, OUTPUT, pageForEachTest, type GraderProtocol, type HarnessWindow, type WebviewPage } from './harness';

type Page = WebviewPage<GraderProtocol>;

const JUDGE: ScoreModelJson = {
  type: 'score_model',
  name: 'correctness',
  preset: 'correctness',
  model: 'gpt-4o-mini',
  input: [
    { role: 'system', content: 'You grade answers against a reference.' },
    { role: 'user', content: 'Reference:\n{{item.reference_answer}}\n\nAnswer:\n{{sample.output_text}}' },
  ],
  range: [0, 1],
  sampling_params: { temperature: 0 },
};

const TOOL_USAGE: MultiGraderJson = {
  type: 'multi',
  name: 'tool_usage',
  preset: 'tool-usage',
  graders: {
    tool_selection: { type: 'python', name: 'tool_selection', file: 'graders/tool_selection.py' },
    tool_input: { type: 'python', name: 'tool_input', file: 'graders/tool_input.py' },
    result_usage: { type: 'python', name: 'result_usage', file: 'graders/result_usage.py' },
  },
  calculate_output: '0.4 * tool_selection + 0.3 * tool_input + 0.3 * result_usage',
};

const PRESETS: PresetInfo[] = [
  {
    id: 'correctness',
    title: 'Correctness',
    description: "An LLM judge compares the answer with the record's reference_answer.",
    summary: 'LLM judge · gpt-4o-mini · T=0 · preset correctness',
    needsJudge: true,
    grader: JUDGE,
  },
  {
    id: 'format',
    title: 'Format Compliance',
    description: 'JSON validity and schema match.',
    summary: 'Script (Python) · preset format',
    needsJudge: false,
    grader: { type: 'python', name: 'format_compliance', preset: 'format', file: 'graders/format_compliance.py' },
  },
  {
    id: 'tool-usage',
    title: 'Tool Usage',
    description: 'Right tools (40 %), right arguments (30 %), tool results used (30 %).',
    summary: 'Multi (3): Python · preset tool-usage',
    needsJudge: false,
    grader: TOOL_USAGE,
  },
  {
    id: 'conciseness',
    title: 'Conciseness',
    description: 'Short and complete, 50 / 50.',
    summary: 'Multi (2): Python · preset conciseness',
    needsJudge: false,
    grader: {
      type: 'multi',
      name: 'conciseness',
      graders: { length: { type: 'python', name: 'length', file: 'graders/length.py' }, completeness: { type: 'python', name: 'completeness', file: 'graders/completeness.py' } },
      calculate_output: '0.5 * length + 0.5 * completeness',
    },
  },
];

const VARIABLES: TemplateVariable[] = [
  { path: 'item.reference_answer', share: 0.7, example: 'Settings > Billing > Invoices' },
  { path: 'item.reference_tool_calls', share: 0.1 },
  { path: 'item.messages', share: 1 },
  { path: 'item.metadata.channel', share: 0.4, example: 'widget' },
  { path: 'sample.output_text', share: 1 },
  { path: 'sample.output_json', share: 1 },
  { path: 'sample.output_tools', share: 1 },
];

function graderMessage(grader?: GraderJson, extra: Partial<Extract<HostMessage, { type: 'grader' }>> = {}): HostMessage {
  return {
    type: 'grader',
    dataset: 'assistant-support',
    datasetDir: '/work/datasets/assistant-support',
    presets: PRESETS,
    variables: VARIABLES,
    metrics: ['fuzzy_match', 'bleu', 'gleu', 'meteor', 'cosine', 'rouge_1', 'rouge_l'],
    operations: ['eq', 'ne', 'like', 'ilike'],
    defaultModel: 'gpt-4o-mini',
    trusted: true,
    ...(grader ? { grader, summary: 'described by the host' } : {}),
    ...extra,
  };
}

async function lastPosted<T extends GraderProtocol['webview']['type']>(webview: Page, type: T, count: number) {
  await webview.waitForPosted(type, count);
  const all = await webview.postedOfType(type);
  return all[all.length - 1];
}

/** Delivers a host message and lets the page handle it (a posted message arrives as a task of its own). */
async function send(webview: Page, message: HostMessage): Promise<void> {
  await webview.send(message);
  await webview.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

/** The last compile request once it is for a draft that `ready` accepts (requests are debounced while typing). */
async function compiledDraft(webview: Page, ready: (grader: GraderJson) => boolean) {
  const started = Date.now();
  for (;;) {
    const all = await webview.postedOfType('compile');
    const last = all[all.length - 1];
    if (last && ready(last.grader)) return last;
    if (Date.now() - started > 10_000) throw new Error(`no compile request for the expected draft; last: ${JSON.stringify(last?.grader)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const weightInputs = (webview: Page) => webview.page.locator('input.dimension-weight');

describe('grader editor webview', () => {
  let webview: Page | undefined;
  pageForEachTest('grader', (page) => {
    webview = page;
  });

  it('without grader.json offers the presets with their dimensions, and Use Preset asks the host for one', async () => {
    const w = webview!;
    assert.deepEqual(await w.posted(), [{ type: 'ready' }]);
    await send(w, graderMessage());
    const { page } = w;
    await page.locator('h1', { hasText: 'Grader — assistant-support' }).waitFor();
    assert.equal(await page.locator('#mode-preset').isChecked(), true);
    assert.deepEqual(await page.locator('#preset option').allTextContents(), ['Correctness', 'Format Compliance', 'Tool Usage', 'Conciseness']);
    assert.match((await page.locator('#preset-summary').textContent()) ?? '', /needs a judge model/);
    await page.locator('#preset').selectOption('tool-usage');
    assert.deepEqual(await page.locator('#preset-dimensions li').allTextContents(), ['tool_selection (40 %)', 'tool_input (30 %)', 'result_usage (30 %)']);
    assert.match((await page.locator('#preset-summary').textContent()) ?? '', /runs offline/);
    assert.equal(await page.locator('#save-status').textContent(), 'No grader.json yet');
    assert.equal(await page.locator('#test-sample').getAttribute('disabled'), '', 'nothing to test yet');
    await page.locator('#use-preset').click();
    assert.deepEqual(await w.postedOfType('usePreset'), [{ type: 'usePreset', preset: 'tool-usage' }]);
  });

  it('renders the judge form from the host message, inserts the dataset’s variables, and previews the compiled JSON', async () => {
    const w = webview!;
    await send(w, graderMessage(JUDGE));
    const { page } = w;
    await page.locator('.kind-score_model').waitFor();
    assert.equal(await page.locator('#f-name').inputValue(), 'correctness');
    assert.equal(await page.locator('#f-model').inputValue(), 'gpt-4o-mini');
    assert.equal(await page.locator('#f-temperature').inputValue(), '0');
    assert.deepEqual([await page.locator('#f-range-min').inputValue(), await page.locator('#f-range-max').inputValue()], ['0', '1']);
    assert.deepEqual(await page.locator('.message-head select').evaluateAll((selects) => selects.map((s) => (s as unknown as { value: string }).value)), ['system', 'user']);
    assert.deepEqual(
      await page.locator('.variables .chip').allTextContents(),
      VARIABLES.map((v) => `{{${v.path}}}`),
    );
    assert.equal(await page.locator('#save-status').textContent(), 'grader.json saved');

    // The load asks for a compile; the preview shows the host's answer.
    const first = await lastPosted(w, 'compile', 1);
    assert.deepEqual(first.grader, JUDGE);
    await send(w, {
      type: 'compiled',
      seq: first.seq,
      valid: true,
      summary: 'LLM judge · gpt-4o-mini · T=0',
      openai: { type: 'score_model', name: 'correctness', model: 'gpt-4o-mini' },
      problems: [],
    });
    assert.equal(await page.locator('#compile-status').textContent(), '✓ Compiles for OpenAI and Azure fine-tuning.');
    assert.match((await page.locator('#openai-json').textContent()) ?? '', /"type": "score_model"/);

    // A variable goes in at the caret of the message last focused.
    const system = page.locator('textarea[data-field="input.0.content"]');
    await system.click();
    await system.press('End');
    await page.locator('.chip[data-variable="item.metadata.channel"]').click();
    assert.equal(await system.inputValue(), 'You grade answers against a reference.{{item.metadata.channel}}');
    assert.equal(await page.locator('#save-status').textContent(), '● Unsaved changes');
    const edited = await compiledDraft(w, (grader) => grader.type === 'score_model' && grader.input[0].content !== JUDGE.input[0].content);
    assert.equal((edited.grader as ScoreModelJson).input[0].content, 'You grade answers against a reference.{{item.metadata.channel}}');

    // An older answer is dropped; a problem is listed with where it is.
    await send(w, { type: 'compiled', seq: first.seq, valid: true, problems: [] });
    await send(w, { type: 'compiled', seq: edited.seq, valid: false, error: 'grader.json: input.0.content: {{item.nope}} is missing', problems: [] });
    assert.equal(await page.locator('#compile-status').textContent(), '✖ Not a valid grader.json yet:');
    assert.deepEqual(await page.locator('#problems li').allTextContents(), ['grader.json: input.0.content: {{item.nope}} is missing']);
  });

  it('saves the judge as the JSON the form shows', async () => {
    const w = webview!;
    await send(w, graderMessage(JUDGE));
    const { page } = w;
    await page.locator('#f-temperature').fill('0.2');
    await page.locator('#f-range-max').fill('10');
    await page.locator('#f-model').fill('gpt-4.1-mini');
    await page.locator('vscode-button.add-message').click();
    await page.locator('textarea[data-field="input.2.content"]').fill('Be strict.');
    await page.locator('.message-head select').nth(2).selectOption('developer');
    await page.locator('#save').click();
    const [saved] = await w.postedOfType('save');
    assert.deepEqual(saved.grader, {
      ...JUDGE,
      model: 'gpt-4.1-mini',
      input: [...JUDGE.input, { role: 'developer', content: 'Be strict.' }],
      range: [0, 10],
      sampling_params: { temperature: 0.2 },
    });

    await send(w, { type: 'saved', grader: saved.grader, summary: 'LLM judge · gpt-4.1-mini · T=0.2' });
    assert.equal(await page.locator('#save-status').textContent(), 'grader.json saved');
    assert.equal(await page.locator('#grader-summary').textContent(), 'LLM judge · gpt-4.1-mini · T=0.2');

    await page.locator('#f-temperature').fill('warm');
    assert.equal(await page.locator('#f-temperature-error').textContent(), '"warm" is not a number.');
    await page.locator('#save').click();
    assert.equal((await w.postedOfType('save')).length, 1, 'not saved with a bad number');
  });

  it('multi: weights in percent make the formula; weights not adding up to 100 % are located and block Save', async () => {
    const w = webview!;
    await send(w, graderMessage(TOOL_USAGE));
    const { page } = w;
    await page.locator('.kind-multi').waitFor();
    assert.equal(await page.locator('#preset').inputValue(), 'tool-usage', 'a preset grader shows its preset');
    assert.match((await page.locator('#preset-description').textContent()) ?? '', /^Right tools \(40 %\)/);
    assert.deepEqual(await weightInputs(w).evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value)), ['40', '30', '30']);
    assert.equal(await page.locator('#formula').textContent(), '0.4 * tool_selection + 0.3 * tool_input + 0.3 * result_usage');
    assert.equal(await page.locator('#weights-total').textContent(), '100 %');

    await weightInputs(w).nth(2).fill('20');
    const error = 'Weights add up to 90 % (tool_selection 40 % + tool_input 30 % + result_usage 20 %): they must add up to 100 %.';
    assert.equal(await page.locator('#weights-error').textContent(), error);
    assert.equal(await page.locator('#weights-total').textContent(), '90 %');
    assert.deepEqual(await weightInputs(w).evaluateAll((inputs) => inputs.map((i) => i.getAttribute('aria-invalid'))), ['true', 'true', 'true']);
    await page.locator('#save').click();
    assert.equal((await w.postedOfType('save')).length, 0, 'nothing is saved');
    assert.match((await page.locator('#save-error').textContent()) ?? '', /Not saved: fix 1 problem first\.Weights add up to 90 %/);

    await weightInputs(w).nth(0).fill('50');
    await weightInputs(w).nth(1).fill('25');
    await weightInputs(w).nth(2).fill('25');
    assert.equal(await page.locator('#weights-error').textContent(), '');
    assert.equal(await page.locator('#save-error').textContent(), '');
    await page.locator('#save').click();
    const [saved] = await w.postedOfType('save');
    assert.deepEqual(saved.grader, { ...TOOL_USAGE, calculate_output: '0.5 * tool_selection + 0.25 * tool_input + 0.25 * result_usage' });

    // A dimension's name is checked where it is typed, and a new dimension is a sub-grader of its own.
    await page.locator('input.dimension-name').nth(1).fill('tool selection');
    assert.match((await page.locator('#f-dimension-1-name-error').textContent()) ?? '', /^Dimension 2 "tool selection": the name must be letters, digits and _/);
    await page.locator('input.dimension-name').nth(1).fill('tool_input');
    await page.locator('#add-dimension').click();
    assert.equal(await page.locator('fieldset.dimension').count(), 4);
    await page.locator('select[aria-label="Dimension 4 kind"]').selectOption('text_similarity');
    await page.locator('fieldset.dimension').nth(3).locator('input.dimension-weight').fill('0');
    assert.equal(await page.locator('fieldset.dimension').nth(3).locator('.kind-text_similarity select').inputValue(), 'fuzzy_match');
    const compiled = await compiledDraft(
      w,
      (grader) => grader.type === 'multi' && Object.keys(grader.graders).length === 4 && grader.graders.dimension_4?.type === 'text_similarity' && grader.calculate_output.endsWith('0 * dimension_4'),
    );
    const multi = compiled.grader as MultiGraderJson;
    assert.deepEqual(Object.keys(multi.graders), ['tool_selection', 'tool_input', 'result_usage', 'dimension_4']);
    assert.equal(multi.graders.dimension_4.type, 'text_similarity');
    assert.equal(multi.calculate_output, '0.5 * tool_selection + 0.25 * tool_input + 0.25 * result_usage + 0 * dimension_4');
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'grader-multi.png'), fullPage: true });
  });

  it('a formula that is not a weighted sum is kept as a custom formula', async () => {
    const w = webview!;
    await send(w, graderMessage({ ...TOOL_USAGE, calculate_output: 'min(tool_selection, tool_input) * result_usage' }));
    const { page } = w;
    await page.locator('.kind-multi').waitFor();
    assert.equal(await page.locator('#formula-custom').isChecked(), true);
    assert.equal(await page.locator('input.formula-input').inputValue(), 'min(tool_selection, tool_input) * result_usage');
    assert.equal(await weightInputs(w).first().isDisabled(), true);
    await page.locator('#save').click();
    assert.equal((await w.postedOfType('save'))[0].grader.type, 'multi');
  });

  it('custom kinds: string check and text similarity forms, script graders open their file beside', async () => {
    const w = webview!;
    await send(w, graderMessage(JUDGE));
    const { page } = w;
    await page.locator('#mode-custom').check();
    await page.locator('#kind').selectOption('string_check');
    await page.locator('.kind-string_check').waitFor();
    assert.equal(await page.locator('#f-input').inputValue(), '{{sample.output_text}}');
    assert.equal(await page.locator('#f-reference').inputValue(), '{{item.reference_answer}}');
    assert.deepEqual(await page.locator('#f-operation option').allTextContents(), ['eq: equals', 'ne: does not equal', 'like: contains', 'ilike: contains, ignoring case']);
    await page.locator('#f-operation').selectOption('ilike');
    const check = await compiledDraft(w, (grader) => grader.type === 'string_check' && grader.operation === 'ilike');
    assert.deepEqual(check.grader, { type: 'string_check', name: 'correctness', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', operation: 'ilike' });

    await page.locator('#kind').selectOption('text_similarity');
    await page.locator('#f-evaluation_metric').selectOption('bleu');
    await page.locator('#f-pass_threshold').fill('0.5');
    await page.locator('#save').click();
    assert.deepEqual((await w.postedOfType('save'))[0].grader, {
      type: 'text_similarity',
      name: 'correctness',
      input: '{{sample.output_text}}',
      reference: '{{item.reference_answer}}',
      evaluation_metric: 'bleu',
      pass_threshold: 0.5,
    });

    await page.locator('#kind').selectOption('js');
    await page.locator('.kind-js').waitFor();
    assert.match((await page.locator('.kind-js .notice').textContent()) ?? '', /OpenAI and Azure cannot run JavaScript graders/);
    await page.locator('vscode-button.open-script').click();
    assert.deepEqual(await w.postedOfType('openScript'), [{ type: 'openScript', kind: 'js', file: 'graders/correctness.js' }]);
    const js = await compiledDraft(w, (grader) => grader.type === 'js');
    await send(w, {
      type: 'compiled',
      seq: js.seq,
      valid: true,
      problems: [{ path: '(root)', message: '"correctness" is a js grader, which OpenAI and Azure OpenAI cannot run: rewrite it as a python grader' }],
    });
    assert.equal(await page.locator('#compile-status').textContent(), '⚠ One part does not compile for OpenAI or Azure:');
    assert.deepEqual(await page.locator('#problems li').allTextContents(), ['(root): "correctness" is a js grader, which OpenAI and Azure OpenAI cannot run: rewrite it as a python grader']);

    await page.locator('#f-file').fill('../outside.js');
    assert.match((await page.locator('#f-file-error').textContent()) ?? '', /lives in graders\//);
  });

  it('shows Test Sample results, record text as text only, and opens a record', async () => {
    const w = webview!;
    await send(w, graderMessage(TOOL_USAGE));
    const { page } = w;
    await page.locator('#answer-from').waitFor();
    assert.equal(await page.locator('#answer-from').inputValue(), 'reference', 'no base model configured: reference answers');
    assert.equal(await page.locator('#answer-from option[value="model"]').getAttribute('disabled'), '');
    await page.locator('#test-sample').click();
    assert.deepEqual(await w.postedOfType('testSample'), [{ type: 'testSample', from: 'reference' }]);

    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const rows: TestSampleRow[] = [0, 1, 2, 3, 4].map((i) => ({
      file: 'records.jsonl',
      line: 10 + i,
      prompt: i === 0 ? hostile : `How do I export invoices? (${i})`,
      answer: i === 1 ? hostile : `Go to Settings > Billing (${i})`,
      answerSource: 'reference',
      reward: [1, 0.7, 0.4, 0, 0.85][i],
      subRewards: { tool_selection: 1, tool_input: i === 3 ? 0 : 1, result_usage: 0.5 },
      steps: i === 2 ? [{ grader: 'tool_selection', description: '<b>checked</b> the tool', conclusion: 'right tool' }] : [],
      errors: i === 3 ? [{ grader: 'tool_input', code: 'python_grader_runtime_error', message: '<script>alert(1)</script> KeyError' }] : [],
    }));
    await send(w, { type: 'busy', message: 'Testing the grader on 5 records…', cancellable: true, run: 'testSample' });
    await page.locator('#cancel').click();
    assert.equal((await w.postedOfType('cancel')).length, 1);
    await send(w, { type: 'testResults', rows, mean: 0.59 });
    const table = page.locator('table.results');
    await table.waitFor();
    assert.equal(await page.locator('.busy').isVisible(), false);
    assert.equal(await table.locator('tbody tr').count(), 5);
    assert.deepEqual(await table.locator('td.score').allTextContents(), ['1.00', '0.70', '0.40', '0.00', '0.85']);
    assert.equal(await page.locator('#test-mean').textContent(), 'Mean 0.59 over 5 records · answers: reference answer');
    assert.deepEqual(await table.locator('tr[data-row="0"] td.answer .source').allTextContents(), ['reference answer']);
    assert.equal(await table.locator('tr[data-row="0"] td.prompt .text').textContent(), hostile);
    assert.equal(await table.locator('tr[data-row="1"] td.answer .text').textContent(), hostile);
    assert.equal(await table.locator('tr[data-row="2"] td.steps').textContent(), '<b>checked</b> the tool → right tool');
    assert.equal(await table.locator('tr[data-row="3"] td.errors').textContent(), 'python_grader_runtime_error: <script>alert(1)</script> KeyError (tool_input)');
    assert.deepEqual(await table.locator('tr[data-row="3"] td.sub-scores li').allTextContents(), ['tool_selection 1.00', 'tool_input 0.00', 'result_usage 0.50']);
    assert.equal(await table.locator('img, script, b').count(), 0, 'no markup from the records');
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
    await table.locator('tr[data-row="4"] td.prompt button').click();
    assert.deepEqual(await w.postedOfType('openRecord'), [{ type: 'openRecord', file: 'records.jsonl', line: 14 }]);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'grader-test-sample.png'), fullPage: true });
    // A new run (e.g. from the tree) clears the old results.
    await send(w, { type: 'busy', message: 'Testing the grader on 5 records…', cancellable: true, run: 'testSample' });
    assert.equal(await page.locator('table.results').count(), 0);
    assert.equal(await page.locator('#test-mean').textContent(), '');
    await send(w, { type: 'testResults', rows, mean: 0.59 });

    await page.locator('#answer-from').selectOption('typed');
    await page.locator('#typed-answer').fill('I have no idea.');
    await page.locator('#test-sample').click();
    assert.deepEqual((await w.postedOfType('testSample'))[1], { type: 'testSample', from: 'typed', typed: 'I have no idea.' });
  });

  it('tests the grader as edited, not yet saved', async () => {
    const w = webview!;
    await send(w, graderMessage(TOOL_USAGE, { baseModel: 'gpt-4o-mini via api.openai.com' }));
    const { page } = w;
    assert.equal(await page.locator('#answer-from').inputValue(), 'model', 'with a base model configured it answers');
    await weightInputs(w).nth(0).fill('60');
    await weightInputs(w).nth(1).fill('20');
    await weightInputs(w).nth(2).fill('20');
    assert.equal(await page.locator('#test-note').textContent(), 'Tests the grader as edited here; it is not saved yet.');
    await page.locator('#self-check').click();
    const [check] = await w.postedOfType('selfCheck');
    assert.equal((check.grader as MultiGraderJson).calculate_output, '0.6 * tool_selection + 0.2 * tool_input + 0.2 * result_usage');
    await send(w, {
      type: 'selfCheck',
      report: {
        references: { n: 17, mean: 0.94 },
        controls: { empty: { n: 17, mean: 0 }, otherRecord: { n: 17, mean: 0.21 }, padded: { n: 17, mean: 0.94 } },
        auc: 0.91,
        verdict: 'warning',
        findings: ['Padding the reference with filler does not lower its score (0.94 vs 0.94): length is not penalized.'],
      },
    });
    const report = page.locator('.self-check');
    await report.waitFor();
    assert.equal(await report.locator('.verdict').textContent(), '⚠ Warning: the grader separates references from controls only weakly');
    assert.equal(await report.locator('#auc').textContent(), '0.91');
    assert.deepEqual(await report.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim())), [
      'Reference answers 17 0.94',
      'Empty answer 17 0.00',
      'Another record’s answer 17 0.21',
      'Reference padded with filler 17 0.94',
    ]);
    assert.deepEqual(await report.locator('.findings li').allTextContents(), ['Padding the reference with filler does not lower its score (0.94 vs 0.94): length is not penalized.']);
  });

  it('in an untrusted workspace says judges and scripts do not run, and turns their tests off', async () => {
    const w = webview!;
    await send(w, graderMessage(JUDGE, { trusted: false, baseModel: 'gpt-4o-mini via api.openai.com' }));
    const { page } = w;
    assert.equal(await page.locator('#trust-notice').isVisible(), true);
    assert.match((await page.locator('#trust-notice').textContent()) ?? '', /not trusted: LLM judges and script graders \(python, js\) do not run here/);
    assert.equal(await page.locator('#test-sample').getAttribute('disabled'), '');
    assert.equal(await page.locator('#self-check').getAttribute('disabled'), '');
    assert.match((await page.locator('#test-note').textContent()) ?? '', /^Not in this untrusted workspace/);
    assert.equal(await page.locator('#answer-from option[value="model"]').getAttribute('disabled'), '', 'no base model calls either');
    await page.locator('#test-sample').click({ force: true });
    assert.equal((await w.postedOfType('testSample')).length, 0);

    // A deterministic grader runs anywhere.
    await page.locator('#mode-custom').check();
    await page.locator('#kind').selectOption('string_check');
    assert.equal(await page.locator('#test-sample').getAttribute('disabled'), null);
    assert.equal(await page.locator('#test-note').textContent(), 'Tests the grader as edited here; it is not saved yet.');
  });

  it('keeps unsaved edits across a reload while grader.json is unchanged, and drops them when it changed', async () => {
    const w = webview!;
    await send(w, graderMessage(JUDGE));
    const { page } = w;
    await page.locator('#f-model').fill('o4-mini');
    assert.equal((await w.state())?.draft?.type, 'score_model');

    await w.reload();
    await send(w, graderMessage(JUDGE));
    assert.equal(await page.locator('#f-model').inputValue(), 'o4-mini');
    assert.equal(await page.locator('#save-status').textContent(), '● Unsaved changes');
    await page.locator('#revert').click();
    assert.equal(await page.locator('#f-model').inputValue(), 'gpt-4o-mini');

    await page.locator('#f-model').fill('o4-mini');
    await w.reload();
    await send(w, graderMessage({ ...JUDGE, model: 'gpt-4.1' }));
    assert.equal(await page.locator('#f-model').inputValue(), 'gpt-4.1', 'the file changed on disk: it wins');
    assert.equal(await page.locator('#save-status').textContent(), 'grader.json saved');
  });

  it('shows a located load error and errors as text', async () => {
    const w = webview!;
    await send(w, graderMessage(undefined, { loadError: 'grader.json: graders.quality.range: expected [min, max]' }));
    const { page } = w;
    assert.equal(await page.locator('#load-error-text').textContent(), 'grader.json: graders.quality.range: expected [min, max]');
    await page.locator('#load-error button').click();
    assert.equal((await w.postedOfType('openGraderFile')).length, 1);
    await send(w, { type: 'error', message: '<img src=x onerror="window.__pwned=3">nope' });
    assert.equal(await page.locator('.error-text').first().textContent(), '<img src=x onerror="window.__pwned=3">nope');
    assert.equal(await page.locator('.error-banner img').count(), 0);
  });

  it('keeps inline scripts without the nonce from running, and reports the violation', async () => {
    await assertStrictCsp(webview!);
  });

  it('follows the theme when VS Code switches it', async () => {
    const w = webview!;
    await send(w, graderMessage(JUDGE));
    await send(w, { type: 'testResults', mean: 1, rows: [{ file: 'records.jsonl', line: 1, prompt: 'p', answer: 'a', answerSource: 'reference', reward: 1, subRewards: {}, steps: [], errors: [] }] });
    const { page } = w;
    const colours = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundColor: string }; document: { body: unknown; querySelector(s: string): unknown } };
        return { body: g.getComputedStyle(g.document.body).backgroundColor, score: g.getComputedStyle(g.document.querySelector('td.score')).color };
      });
    assert.deepEqual(await colours(), { body: 'rgb(31, 31, 31)', score: 'rgb(137, 209, 133)' });
    await page.evaluate(() => (globalThis as unknown as HarnessWindow).__setTheme('light'));
    assert.deepEqual(await colours(), { body: 'rgb(255, 255, 255)', score: 'rgb(56, 138, 52)' });
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'grader-light.png'), fullPage: true });
  });

  it('takes a screenshot of the judge editor', async () => {
    const w = webview!;
    await send(w, graderMessage(JUDGE));
    const first = await lastPosted(w, 'compile', 1);
    await send(w, {
      type: 'compiled',
      seq: first.seq,
      valid: true,
      problems: [],
      openai: { type: 'score_model', name: 'correctness', model: 'gpt-4o-mini', input: JUDGE.input, range: [0, 1], sampling_params: { temperature: 0 } },
    });
    fs.mkdirSync(OUTPUT, { recursive: true });
    await w.page.screenshot({ path: path.join(OUTPUT, 'grader-judge.png'), fullPage: true });
    assert.ok(fs.statSync(path.join(OUTPUT, 'grader-judge.png')).size > 10_000);
  });
});
