import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeLabels, type Label } from '../../src/core/dataset/labels';
import { recordKey } from '../../src/core/validation/recordKey';
import { ConversionTally, rowProblem, toRftRow, toSftRow } from '../../src/core/train/rftRows';
import { currentSplit, splitDataset, SplitError, SplitTooLargeError, type SplitOptions } from '../../src/core/train/split';
import { allocateValidation, chooseValidation } from '../../src/core/train/stratify';
import { runRft } from '../support/runRft';
import { useTempDir, writeLines } from '../support/tempDir';

type Row = Record<string, unknown>;
const readJsonl = (file: string): Row[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Row);
const userText = (row: Row) => (row.messages as Row[]).at(-1)!.content as string;

interface Fixture {
  readonly topics: Record<string, number>;
  readonly generated?: number;
  readonly ownTopic?: number;
}

/** A dataset: `topics` gives how many records each topic has (labels in .rft/labels.jsonl; "" = unlabelled). */
async function dataset(dir: string, name: string, fixture: Fixture): Promise<string> {
  const root = path.join(dir, name);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'rft.json'), JSON.stringify({ name, source: { kind: 'upload' } }));
  const records: Row[] = [];
  const labels: Label[] = [];
  let n = 0;
  const add = (topic: string, into: Row[], extra: Row = {}) => {
    const record: Row = {
      messages: [
        { role: 'system', content: 'You are a helpful support agent.' },
        { role: 'user', content: `Question number ${n++} about ${topic || 'nothing in particular'}?` },
      ],
      reference_answer: `answer ${n}`,
      ...extra,
    };
    into.push(record);
    if (topic) labels.push({ key: recordKey(record, JSON.stringify(record)), topic, confidence: 0.9, method: 'embedding' });
  };
  for (const [topic, count] of Object.entries(fixture.topics)) for (let i = 0; i < count; i++) add(topic, records);
  for (let i = 0; i < (fixture.ownTopic ?? 0); i++) add('billing/refunds', records, { metadata: { topic: 'manual/own' } });
  writeLines(path.join(root, 'records.jsonl'), records);
  if (fixture.generated) {
    const generated: Row[] = [];
    for (let i = 0; i < fixture.generated; i++) add('billing/refunds', generated);
    writeLines(path.join(root, 'generated.jsonl'), generated);
  }
  await writeLabels(root, labels);
  return root;
}

const NO_LIMITS: SplitOptions = { limits: false };

describe('split maths (stratify.ts)', () => {
  it("allocates the validation share in proportion, at least one per topic of two or more, never a topic's last train record", () => {
    const strata = [
      { name: 'a', size: 500, eligible: 500 },
      { name: 'b', size: 300, eligible: 300 },
      { name: 'c', size: 2, eligible: 2 },
      { name: 'd', size: 1, eligible: 1 },
      { name: 'e', size: 197, eligible: 0 },
    ];
    const quotas = allocateValidation(strata, 100);
    const byName = Object.fromEntries(quotas.map((q) => [q.name, q.valid]));
    assert.equal(
      quotas.reduce((sum, q) => sum + q.valid, 0),
      100,
    );
    assert.equal(byName.e, 0, 'a stratum with nothing eligible gives nothing');
    assert.equal(byName.c, 1, 'a two-record topic: one in each');
    assert.ok(Math.abs(byName.a - 62.3) < 1, `a ${byName.a}: what e cannot take is passed on in proportion`);
    assert.ok(Math.abs(byName.b - 37.4) < 1, `b ${byName.b}`);
    assert.ok(byName.a > byName.b);
  });

  it('with fewer places than topics, the largest topics get one each', () => {
    const quotas = allocateValidation(
      [
        { name: 'small', size: 2, eligible: 2 },
        { name: 'big', size: 9, eligible: 9 },
        { name: 'mid', size: 5, eligible: 5 },
      ],
      2,
    );
    assert.deepEqual(
      quotas.map((q) => q.valid),
      [0, 1, 1],
    );
  });

  it('chooses the same records for the same seed, other records for another', () => {
    const strata = [{ name: 'x', members: [...Array(1000).keys()], eligible: [...Array(1000).keys()] }];
    const first = [...chooseValidation(strata, [100], 7)].sort((a, b) => a - b);
    assert.deepEqual(
      [...chooseValidation(strata, [100], 7)].sort((a, b) => a - b),
      first,
    );
    assert.notDeepEqual(
      [...chooseValidation(strata, [100], 8)].sort((a, b) => a - b),
      first,
    );
    assert.equal(new Set(first).size, 100);
  });
});

describe('splitDataset', () => {
  const dir = useTempDir();

  it('splits 90/10 stratified by topic, every topic in both, generated records out of validation, labels merged into metadata', async () => {
    const root = await dataset(dir(), 'strat', { topics: { 'billing/refunds': 400, 'api/auth': 150, 'api/limits': 40, 'tiny/pair': 2, 'tiny/one': 1, '': 60 }, generated: 50, ownTopic: 20 });
    const result = await splitDataset(root, NO_LIMITS);
    assert.equal(result.train + result.valid, 723);
    assert.equal(result.valid, Math.round(0.1 * 723));
    const train = readJsonl(result.files.train);
    const valid = readJsonl(result.files.valid);
    assert.equal(train.length, result.train);
    assert.equal(valid.length, result.valid);
    const topics = Object.fromEntries(result.byTopic.map((t) => [t.topic, t]));
    assert.deepEqual(Object.keys(topics).sort(), ['api/auth', 'api/limits', 'billing/refunds', 'manual/own', 'tiny/one', 'tiny/pair', 'uncategorized']);
    for (const t of result.byTopic) if (t.train + t.valid >= 2) assert.ok(t.train >= 1 && t.valid >= 1, `${t.topic} in both: ${JSON.stringify(t)}`);
    assert.equal(topics['manual/own'].train + topics['manual/own'].valid, 20, "a record's own metadata.topic wins over its label");
    assert.equal(topics.uncategorized.train + topics.uncategorized.valid, 60);
    // proportional: validation share per big topic near 10 % (billing/refunds counts its 50 generated in train only)
    assert.ok(Math.abs(topics['api/auth'].valid / 150 - 0.1) < 0.02, JSON.stringify(topics['api/auth']));
    assert.equal(valid.filter((row) => (row.metadata as Row).source === 'generated').length, 0, 'no generated record in validation');
    assert.equal(train.filter((row) => (row.metadata as Row).source === 'generated').length, 50);
    const labeled = valid.find((row) => (row.metadata as Row).topic === 'api/auth')!;
    assert.equal((labeled.metadata as Row).topic_confidence, 0.9);
    assert.ok(
      result.changes.some((change) => /^723 system messages became developer/.test(change)),
      result.changes.join('; '),
    );
    assert.ok(result.changes.some((change) => /50 generated records kept out of validation/.test(change)));
    const keys = new Set(train.map(userText));
    assert.ok(
      valid.every((row) => !keys.has(userText(row))),
      'train and validation are disjoint',
    );
  });

  it('is seeded: the same seed gives the same files, another seed another validation set', async () => {
    const root = await dataset(dir(), 'seeded', { topics: { 'a/x': 300, 'b/y': 200 } });
    const first = await splitDataset(root, { ...NO_LIMITS, seed: 3 });
    const validA = fs.readFileSync(first.files.valid, 'utf8');
    await splitDataset(root, { ...NO_LIMITS, seed: 3 });
    assert.equal(fs.readFileSync(first.files.valid, 'utf8'), validA);
    await splitDataset(root, { ...NO_LIMITS, seed: 4 });
    assert.notEqual(fs.readFileSync(first.files.valid, 'utf8'), validA);
  });

  it('honours the share, the minimum validation size, no stratification and generated records in validation when asked', async () => {
    const root = await dataset(dir(), 'options', { topics: { 'a/x': 60, 'b/y': 20 }, generated: 40 });
    const share = await splitDataset(root, { ...NO_LIMITS, validShare: 0.25 });
    assert.equal(share.valid, 30);
    const min = await splitDataset(root, { ...NO_LIMITS, validShare: 0.01, minValid: 12 });
    assert.equal(min.valid, 12);
    const flat = await splitDataset(root, { ...NO_LIMITS, stratify: false });
    assert.equal(flat.valid, 12);
    const withGenerated = await splitDataset(root, { ...NO_LIMITS, generatedInValid: true, validShare: 0.5 });
    const valid = readJsonl(withGenerated.files.valid);
    assert.ok(
      valid.some((row) => (row.metadata as Row).source === 'generated'),
      'generated records may go to validation',
    );
  });

  it('refuses an invalid split with a clear message: empty validation, too few records, bad share', async () => {
    const onlyGenerated = await dataset(dir(), 'only-generated', { topics: {}, generated: 30 });
    await assert.rejects(splitDataset(onlyGenerated, NO_LIMITS), (error: Error) => error instanceof SplitError && /validation set would be empty.*--generated-in-valid/.test(error.message));
    const few = await dataset(dir(), 'few', { topics: { 'a/x': 6 } });
    await assert.rejects(splitDataset(few, NO_LIMITS), (error: Error) => error instanceof SplitError && /too few records: 6 records cannot give a validation set of 10/.test(error.message));
    const one = await dataset(dir(), 'one', { topics: { 'a/x': 1 } });
    await assert.rejects(splitDataset(one, { ...NO_LIMITS, minValid: 0 }), /too few records to split: 1 valid record/);
    await assert.rejects(splitDataset(few, { validShare: 1.5 }), /between 0 and 1/);
    const mostlyGenerated = await dataset(dir(), 'mostly-generated', { topics: { 'a/x': 5 }, generated: 100 });
    await assert.rejects(splitDataset(mostlyGenerated, NO_LIMITS), (error: Error) =>
      /validation set would have 4 records, fewer than the minimum 10 \(100 generated records stay out/.test(error.message),
    );
    assert.ok(!fs.existsSync(path.join(few, 'exports', 'train.jsonl')), 'nothing written for a refused split');
  });

  it("over the target's row limits it throws SplitTooLargeError naming the choices; --max-train / --max-valid cut explicitly", async () => {
    const root = await dataset(dir(), 'limits', { topics: { 'a/x': 300, 'b/y': 100 } });
    const limits = { train: 200, valid: 20 };
    await assert.rejects(splitDataset(root, { limits }), (error: Error) => {
      assert.ok(error instanceof SplitTooLargeError);
      assert.match(error.message, /360 train rows \(limit 200\) and 40 validation rows \(limit 20\)/);
      assert.match(error.message, /--max-train 200/);
      assert.match(error.message, /--max-valid 20/);
      assert.match(error.message, /lower --valid share/);
      return true;
    });
    const cut = await splitDataset(root, { limits, maxTrain: 200, maxValid: 20 });
    assert.equal(cut.valid, 20);
    assert.equal(cut.train, 200);
    assert.equal(readJsonl(cut.files.train).length, 200);
    const topics = Object.fromEntries(cut.byTopic.map((t) => [t.topic, t]));
    assert.ok(topics['a/x'].train > topics['b/y'].train * 2, 'the train sample is stratified');
    assert.ok(
      cut.changes.some((change) => /--max-valid 20: 20 validation records moved to train/.test(change)),
      cut.changes.join('; '),
    );
    assert.ok(
      cut.changes.some((change) => /--max-train 200: 180 train records left out/.test(change)),
      cut.changes.join('; '),
    );
    const defaults = await splitDataset(root, {});
    assert.equal(defaults.valid, 40, "OpenAI's own limits (50,000 / 1,000) are the default");
  });

  it('currentSplit: the split while records and labels are the same; undefined after a change', async () => {
    const root = await dataset(dir(), 'current', { topics: { 'a/x': 100, 'b/y': 50 } });
    const result = await splitDataset(root, NO_LIMITS);
    assert.equal((await currentSplit(root))?.fingerprint, result.fingerprint);
    // the same records rewritten (new mtime): the fingerprint still matches
    fs.writeFileSync(path.join(root, 'records.jsonl'), fs.readFileSync(path.join(root, 'records.jsonl')));
    assert.equal((await currentSplit(root))?.valid, result.valid);
    fs.appendFileSync(path.join(root, 'records.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'A brand new question here?' }] })}\n`);
    assert.equal(await currentSplit(root), undefined);
    await splitDataset(root, NO_LIMITS);
    assert.ok(await currentSplit(root));
    fs.appendFileSync(path.join(root, 'exports', 'valid.jsonl'), '{}\n');
    assert.equal(await currentSplit(root), undefined, 'an edited export is not the split');
  });

  it('currentSplit: an edited reference_answer (same record key) makes the split stale', async () => {
    const root = await dataset(dir(), 'reference', { topics: { 'a/x': 40, 'b/y': 20 } });
    await splitDataset(root, NO_LIMITS);
    const file = path.join(root, 'records.jsonl');
    const records = readJsonl(file);
    const edited = { ...records[0], reference_answer: 'a corrected answer' };
    assert.equal(recordKey(edited, JSON.stringify(edited)), recordKey(records[0], JSON.stringify(records[0])), 'the record key does not cover the reference');
    writeLines(file, [edited, ...records.slice(1)]);
    assert.equal(await currentSplit(root), undefined, 'train/valid still carry the old reference answer');
  });

  it('currentSplit: train/valid of a run killed before it wrote split.json are no split, even with the same sizes and times', async () => {
    const root = path.join(dir(), 'killed');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'rft.json'), JSON.stringify({ name: 'killed' }));
    const records = Array.from({ length: 60 }, (_, i) => ({
      messages: [{ role: 'user', content: `Question number ${String(i).padStart(3, '0')}?` }],
      reference_answer: `answer ${String(i).padStart(3, '0')}`,
    }));
    writeLines(path.join(root, 'records.jsonl'), records);
    await writeLabels(
      root,
      records.map((record, i) => ({ key: recordKey(record, JSON.stringify(record)), topic: i < 40 ? 'a/x' : 'b/y', confidence: 0.9, method: 'embedding' })),
    );
    await splitDataset(root, { ...NO_LIMITS, seed: 1 });
    const exportsDir = path.join(root, 'exports');
    const outputs = ['train.jsonl', 'valid.jsonl'].map((name) => path.join(exportsDir, name));
    // a file system that keeps whole seconds (FAT, HFS+, many network shares): the stamps split.json saw
    const wholeSecond = Math.floor(Date.now() / 1000) - 10;
    const manifest = JSON.parse(fs.readFileSync(path.join(exportsDir, 'split.json'), 'utf8')) as { outputs: { mtimeMs: number }[] };
    manifest.outputs.forEach((stamp) => (stamp.mtimeMs = wholeSecond * 1000));
    const oldManifest = JSON.stringify(manifest);
    fs.writeFileSync(path.join(exportsDir, 'split.json'), oldManifest);
    for (const file of outputs) fs.utimesSync(file, wholeSecond, wholeSecond);
    assert.ok(await currentSplit(root), 'the split as written');
    const sizes = outputs.map((file) => fs.statSync(file).size);
    await splitDataset(root, { ...NO_LIMITS, seed: 2 });
    // as if killed after train/valid were replaced (within the same second) and before split.json: the old manifest with the new files
    fs.writeFileSync(path.join(exportsDir, 'split.json'), oldManifest);
    outputs.forEach((file, i) => {
      assert.equal(fs.statSync(file).size, sizes[i], `${path.basename(file)}: same size (rows of equal length)`);
      fs.utimesSync(file, wholeSecond, wholeSecond);
    });
    assert.equal(await currentSplit(root), undefined);
  });

  it('warns, per field, about rows that lack what grader.json reads (templates and python item["x"]): count, train/valid, source lines', async () => {
    const root = await dataset(dir(), 'missing', { topics: { 'a/x': 30 } });
    const lines = fs
      .readFileSync(path.join(root, 'records.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Row);
    // Lines 3, 8, 13, … lose their reference; every other record also carries `expected`, which a python grader indexes.
    const edited = lines.map((record, index) => {
      const { reference_answer: reference, ...rest } = record;
      return { ...(index % 5 === 2 ? rest : { ...rest, reference_answer: reference }), ...(index % 2 === 0 ? { expected: { city: 'Paris' } } : {}) };
    });
    writeLines(path.join(root, 'records.jsonl'), edited);
    fs.writeFileSync(
      path.join(root, 'grader.json'),
      JSON.stringify({
        type: 'multi',
        name: 'm',
        calculate_output: '(exact + judge + city) / 3',
        graders: {
          exact: { type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{ item.reference_answer }}', operation: 'eq' },
          judge: {
            type: 'score_model',
            name: 'judge',
            model: 'gpt-4o-mini-2024-07-18',
            input: [{ role: 'user', content: [{ type: 'input_text', text: 'Reference {{item.reference_answer}}, context {{item.messages}}, answer {{sample.output_text}}' }] }],
          },
          city: { type: 'python', name: 'city', source: 'def grade(sample, item):\n    return float(sample["output_text"] == item["expected"]["city"]) if item.get("bonus") is None else 0.0\n' },
        },
      }),
    );
    const result = await splitDataset(root, NO_LIMITS);
    assert.deepEqual(
      result.warnings.map((w) => [w.field, w.graders, w.error, w.count]),
      [
        ['item.reference_answer', ['exact', 'judge'], 'invalid_variable_error', 6],
        ['item.expected', ['city'], 'python_grader_runtime_error', 15],
      ],
    );
    const reference = result.warnings[0];
    assert.equal(reference.train + reference.valid, 6);
    assert.deepEqual(reference.lines, ['records.jsonl:3', 'records.jsonl:8', 'records.jsonl:13', 'records.jsonl:18', 'records.jsonl:23']);
    assert.match(
      reference.message,
      /^6 rows lack item\.reference_answer \(\d+ train, \d+ validation\), which the grader reads in exact, judge: each such row scores 0 \(invalid_variable_error\) — records\.jsonl:3, .*records\.jsonl:23 and 1 more$/,
    );
    // The rows written are the ones counted.
    const written = [...readJsonl(result.files.train), ...readJsonl(result.files.valid)];
    assert.equal(written.filter((row) => row.reference_answer === undefined).length, 6);
    assert.equal(written.filter((row) => row.expected === undefined).length, 15);
    // Kept with the split, and none once every row has the fields.
    assert.deepEqual((await currentSplit(root))?.warnings, result.warnings);
    writeLines(
      path.join(root, 'records.jsonl'),
      lines.map((record) => ({ ...record, expected: { city: 'Rome' } })),
    );
    assert.deepEqual((await splitDataset(root, NO_LIMITS)).warnings, []);
    // An SFT split (rows for SFT, not this grader), or no grader yet: nothing to say.
    writeLines(path.join(root, 'records.jsonl'), edited);
    assert.deepEqual((await splitDataset(root, { ...NO_LIMITS, format: 'sft' })).warnings, []);
    fs.rmSync(path.join(root, 'grader.json'));
    assert.deepEqual((await splitDataset(root, NO_LIMITS)).warnings, []);
  });

  it('--format sft: the reference answer as the final assistant turn; records without one left out and said', async () => {
    const root = await dataset(dir(), 'sft', { topics: { 'a/x': 40 } });
    fs.appendFileSync(path.join(root, 'records.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'No reference for this one, sadly?' }] })}\n`);
    const result = await splitDataset(root, { ...NO_LIMITS, format: 'sft' });
    assert.equal(result.train + result.valid, 40);
    const row = readJsonl(result.files.train)[0];
    assert.deepEqual(Object.keys(row), ['messages']);
    const messages = row.messages as Row[];
    assert.equal(messages[0].role, 'system', 'SFT keeps the system role');
    assert.deepEqual(messages.at(-1), { role: 'assistant', content: `answer ${Number(/number (\d+)/.exec(messages[1].content as string)![1]) + 1}` });
    assert.ok(
      result.changes.some((change) => /^1 record without reference_answer or reference_tool_calls left out/.test(change)),
      result.changes.join('; '),
    );
  });
});

describe('row conversion (rftRows.ts)', () => {
  const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
  const record: Row = {
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Where is my order 42?' },
    ],
    tools,
    reference_answer: 'It ships today.',
    reference_tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"order":42}' } }],
    expected_tool: 'lookup',
    metadata: { source: 'trace:1' },
  };

  it('RFT: system → developer, the final user turn kept, tools and every grader field top-level', () => {
    const tally = new ConversionTally();
    const row = toRftRow(record, tally);
    assert.deepEqual(row.messages, [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'Where is my order 42?' },
    ]);
    assert.deepEqual(row.tools, tools);
    assert.equal(row.reference_answer, 'It ships today.');
    assert.equal(row.expected_tool, 'lookup');
    assert.deepEqual(row.reference_tool_calls, record.reference_tool_calls);
    assert.equal(tally.systemToDeveloper, 1);
    assert.equal(record.messages && (record.messages as Row[])[0].role, 'system', 'the record itself is not changed');
  });

  it('a record without a final user turn cannot be a row; SFT needs a reference', () => {
    assert.equal(
      rowProblem('rft', {
        messages: [
          { role: 'user', content: 'hi there friend' },
          { role: 'assistant', content: 'hello' },
        ],
      }),
      'noFinalUser',
    );
    assert.equal(rowProblem('sft', { messages: [{ role: 'user', content: 'hi there friend' }] }), 'noReference');
    assert.equal(rowProblem('sft', record), undefined);
  });

  it('SFT: the reference answer and tool calls as the final assistant turn, tools kept, grader fields dropped', () => {
    const tally = new ConversionTally();
    const row = toSftRow(record, tally);
    assert.deepEqual(row, {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Where is my order 42?' },
        { role: 'assistant', content: 'It ships today.', tool_calls: record.reference_tool_calls },
      ],
      tools,
    });
    assert.equal(tally.graderFieldsDropped, 1);
    const structured = toSftRow({ messages: [{ role: 'user', content: 'Give me JSON please' }], reference_answer: { city: 'Paris' } }, tally);
    assert.equal((structured.messages as Row[]).at(-1)!.content, '{"city":"Paris"}');
  });
});

describe('rft split', () => {
  const dir = useTempDir();

  it('--json prints {"train","valid","byTopic","files"}; an invalid split exits 2 with the reason', async () => {
    const root = await dataset(dir(), 'cli', { topics: { 'a/x': 90, 'b/y': 30 }, generated: 10 });
    const run = runRft(['split', root, '--valid', '0.2', '--seed', '5', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { train: number; valid: number; byTopic: { topic: string; train: number; valid: number }[]; files: { train: string; valid: string } };
    assert.equal(json.valid, 26);
    assert.equal(json.train, 104);
    assert.deepEqual(
      json.byTopic.map((t) => t.topic),
      ['a/x', 'b/y', 'billing/refunds'],
    );
    assert.equal(json.byTopic[2].valid, 0, 'generated records stay out of validation');
    assert.equal(
      json.byTopic.reduce((sum, t) => sum + t.valid, 0),
      26,
    );
    assert.equal(readJsonl(json.files.valid).length, 26);
    assert.equal(json.files.train, path.join(root, 'exports', 'train.jsonl'));
    const text = runRft(['split', root, '--no-stratify', '--generated-in-valid', '--min-valid', '5', '--format', 'sft']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Split \(SFT\): 117 train \(90 %\), 13 validation \(10 %\)/);
    const bad = runRft(['split', root, '--min-valid', '500']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /rft split: too few records: 130 records cannot give a validation set of 500/);
    assert.equal(runRft(['split', root, '--valid', '2']).code, 2);
    assert.equal(runRft(['split', root, '--format', 'csv']).code, 2);
  });

  it('says which rows lack a field the grader reads: ⚠ lines in the text, "warnings" in --json (the other keys unchanged)', async () => {
    const root = await dataset(dir(), 'warn', { topics: { 'a/x': 20 } });
    const records = fs
      .readFileSync(path.join(root, 'records.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Row);
    writeLines(
      path.join(root, 'records.jsonl'),
      records.map((record, index) => (index === 1 || index === 6 ? { ...record, reference_answer: undefined } : record)),
    );
    fs.writeFileSync(path.join(root, 'grader.json'), JSON.stringify({ type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', operation: 'eq' }));
    const run = runRft(['split', root, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Row & { warnings: Row[] };
    assert.deepEqual(Object.keys(json), ['train', 'valid', 'byTopic', 'files', 'format', 'changes', 'fingerprint', 'warnings']);
    assert.equal(json.warnings.length, 1);
    assert.deepEqual(Object.keys(json.warnings[0]), ['code', 'field', 'graders', 'error', 'count', 'train', 'valid', 'lines', 'message']);
    assert.deepEqual(
      [json.warnings[0].code, json.warnings[0].field, json.warnings[0].count, json.warnings[0].lines],
      ['missing_grader_field', 'item.reference_answer', 2, ['records.jsonl:2', 'records.jsonl:7']],
    );
    const text = runRft(['split', root]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /\n⚠ 2 rows lack item\.reference_answer \(\d train, \d validation\), which the grader reads in exact: each such row scores 0 \(invalid_variable_error\) — records\.jsonl:2, records\.jsonl:7\n/,
    );
  });
});
