import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLabels } from '../../src/core/dataset/labels';
import { datasetSummary, MIN_VALID_RECORDS, summaryLines, type SummaryFacts } from '../../src/core/pipeline/datasetSummary';
import { deleteGeneratedRecords, recordDetail, RecordsError, RecordsIndex, setRecordTopic, StaleIndexError } from '../../src/core/records';
import { useTempDir, writeLines } from '../support/tempDir';
import { GENERATED_LINES, HOSTILE, KEYS, RECORD_LINES, writeFixtureDataset } from './recordsSupport';

const where = (rows: { file: string; line: number }[]) => rows.map((row) => `${row.file}:${row.line}`);

describe('records index (every line of a dataset)', () => {
  const tmp = useTempDir();
  let n = 0;
  const fresh = () => writeFixtureDataset(path.join(tmp(), `ds-${n++}`));

  it('indexes every non-blank line once: status, codes, first occurrence, origin, topic, confidence, text', async () => {
    const index = await RecordsIndex.build(fresh());
    const { total, rows } = index.query({}, { limit: 1000 });
    assert.equal(total, RECORD_LINES.length - 1 + GENERATED_LINES.length, 'the blank line is no record');
    assert.deepEqual(where(rows), [
      'records.jsonl:1',
      'records.jsonl:2',
      'records.jsonl:3',
      'records.jsonl:4',
      'records.jsonl:5',
      'records.jsonl:7',
      'generated.jsonl:1',
      'generated.jsonl:2',
      'generated.jsonl:3',
      'generated.jsonl:4',
    ]);
    const row = (file: string, line: number) => rows.find((r) => r.file === file && r.line === line)!;
    assert.deepEqual(row('records.jsonl', 1), {
      file: 'records.jsonl',
      line: 1,
      key: KEYS.refund,
      status: 'valid',
      origin: 'traces',
      topic: 'billing/refunds',
      confidence: 0.9,
      method: 'embedding',
      lowConfidence: false,
      text: 'Please refund my order #1001, it arrived broken',
    });
    assert.equal(row('records.jsonl', 2).status, 'invalid');
    assert.deepEqual(row('records.jsonl', 2).codes, ['invalid_json']);
    assert.equal(row('records.jsonl', 2).key, undefined);
    assert.equal(row('records.jsonl', 3).topic, 'account/login', 'own metadata.topic');
    assert.equal(row('records.jsonl', 3).ownTopic, true);
    assert.deepEqual(row('records.jsonl', 4).duplicateOf, { file: 'records.jsonl', line: 1 });
    assert.equal(row('records.jsonl', 4).status, 'duplicate');
    assert.equal(row('records.jsonl', 4).topic, 'billing/refunds', 'a copy shares its key, so its label');
    assert.deepEqual(row('records.jsonl', 5).codes, ['last_not_user']);
    assert.equal(row('records.jsonl', 5).text, 'What does the Pro plan cost per seat?', 'an invalid record still shows its last user message');
    assert.equal(row('records.jsonl', 7).lowConfidence, true);
    assert.equal(row('records.jsonl', 7).text, `Where is my parcel? ${HOSTILE}`);
    assert.equal(row('generated.jsonl', 1).origin, 'generated');
    assert.deepEqual(row('generated.jsonl', 3).duplicateOf, { file: 'records.jsonl', line: 3 }, 'deduplicated across the two files');
    assert.deepEqual(row('generated.jsonl', 4).codes, ['no_user_message']);
  });

  it('filters by topic (leaf or parent), uncategorized, status with a code, origin, low confidence, duplicates and text', async () => {
    const index = await RecordsIndex.build(fresh());
    const listed = (filter: Parameters<RecordsIndex['query']>[0]) => where(index.query(filter, { limit: 1000 }).rows);
    assert.deepEqual(listed({ topic: 'billing/refunds' }), ['records.jsonl:1', 'records.jsonl:4', 'generated.jsonl:1']);
    assert.deepEqual(listed({ topic: 'billing' }), ['records.jsonl:1', 'records.jsonl:4', 'generated.jsonl:1'], 'a parent covers its leaves');
    assert.deepEqual(listed({ topic: 'bill' }), [], 'a prefix that is no topic matches nothing');
    assert.deepEqual(listed({ topic: 'shipping', origin: 'generated' }), ['generated.jsonl:2']);
    assert.deepEqual(listed({ uncategorized: true }), ['records.jsonl:2', 'records.jsonl:5', 'generated.jsonl:4']);
    assert.deepEqual(listed({ status: 'valid' }), ['records.jsonl:1', 'records.jsonl:3', 'records.jsonl:7', 'generated.jsonl:1', 'generated.jsonl:2']);
    assert.deepEqual(listed({ status: 'invalid' }), ['records.jsonl:2', 'records.jsonl:5', 'generated.jsonl:4']);
    assert.deepEqual(listed({ status: 'invalid', code: 'last_not_user' }), ['records.jsonl:5']);
    assert.deepEqual(listed({ status: 'duplicate' }), ['records.jsonl:4', 'generated.jsonl:3']);
    assert.deepEqual(listed({ origin: 'generated', status: 'duplicate' }), ['generated.jsonl:3']);
    assert.deepEqual(listed({ lowConfidence: true }), ['records.jsonl:7']);
    assert.deepEqual(listed({ search: 'REFUND' }), ['records.jsonl:1', 'records.jsonl:4', 'generated.jsonl:1'], 'case-insensitive');
    assert.deepEqual(listed({ search: '<script>' }), ['records.jsonl:7']);
    assert.deepEqual(listed({ search: 'not json' }), ['records.jsonl:2'], 'a line that is no record is searched by its raw text');
    assert.throws(() => index.query({ code: 'no_such_code' }), RecordsError);
  });

  it('pages: offset and limit over the matches, total counts them all', async () => {
    const index = await RecordsIndex.build(fresh());
    const first = index.query({}, { offset: 0, limit: 4 });
    const second = index.query({}, { offset: 4, limit: 4 });
    const last = index.query({}, { offset: 8, limit: 4 });
    assert.deepEqual([first.total, second.total, last.total], [10, 10, 10]);
    assert.deepEqual([first.rows.length, second.rows.length, last.rows.length], [4, 4, 2]);
    assert.deepEqual(where([...first.rows, ...second.rows, ...last.rows]), where(index.query({}, { limit: 100 }).rows));
    assert.deepEqual(index.query({}, { offset: 50, limit: 4 }).rows, []);
  });

  it('reads one line on demand by its byte offset, and refuses a file that changed since', async () => {
    const dir = fresh();
    const index = await RecordsIndex.build(dir);
    assert.equal(await index.readLine('records.jsonl', 7), JSON.stringify(RECORD_LINES[6]));
    assert.equal(await index.readLine('generated.jsonl', 2), JSON.stringify(GENERATED_LINES[1]));
    assert.equal(await index.readLine('records.jsonl', 2), RECORD_LINES[1]);
    await assert.rejects(index.readLine('records.jsonl', 6), RecordsError, 'the blank line is not listed');
    await assert.rejects(index.readLine('topics.json', 1), RecordsError, 'only record files');
    assert.equal(await index.isStale([path.join(dir, 'records.jsonl'), path.join(dir, 'generated.jsonl')]), false);
    fs.appendFileSync(path.join(dir, 'records.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'One more question here' }] })}\n`);
    assert.equal(await index.isStale([path.join(dir, 'records.jsonl'), path.join(dir, 'generated.jsonl')]), true);
    await assert.rejects(index.readLine('records.jsonl', 1), StaleIndexError);
  });

  it('reads a BOM and CRLF line without them', async () => {
    const dir = path.join(tmp(), 'bom');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'rft.json'), JSON.stringify({ name: 'bom' }));
    const line = JSON.stringify({ messages: [{ role: 'user', content: 'Héllo wörld, a BOM and CRLF file' }] });
    fs.writeFileSync(path.join(dir, 'records.jsonl'), `\uFEFF${line}\r\n${line.replace('Héllo', 'Hello')}\r\n`);
    const index = await RecordsIndex.build(dir);
    assert.equal(await index.readLine('records.jsonl', 1), line);
    assert.equal(await index.readLine('records.jsonl', 2), line.replace('Héllo', 'Hello'));
  });

  it('shows a record as messages and fields, and a broken line as its raw text', () => {
    const detail = recordDetail(JSON.stringify(RECORD_LINES[6]));
    assert.deepEqual(detail.messages, [
      { role: 'system', text: 'You help with shipping.' },
      { role: 'user', text: `Where is my parcel? ${HOSTILE}` },
    ]);
    assert.deepEqual(detail.fields, [{ name: 'reference_answer', json: '"It ships Monday."' }]);
    const broken = recordDetail('{"messages": [not json');
    assert.equal(broken.raw, '{"messages": [not json');
    assert.match(broken.parseError ?? '', /JSON/);
    const calls = recordDetail(
      JSON.stringify({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] },
          { role: 'tool', tool_call_id: 'c1', content: 'ok' },
          { role: 'user', content: 'next' },
        ],
      }),
    );
    assert.deepEqual(
      calls.messages.map((m) => [m.role, m.text, m.toolCallId]),
      [
        ['user', 'a\nb', undefined],
        ['assistant', '', undefined],
        ['tool', 'ok', 'c1'],
        ['user', 'next', undefined],
      ],
    );
    assert.match(calls.messages[1].toolCalls ?? '', /"id": "c1"/);
  });
});

describe('deleting generated records', () => {
  const tmp = useTempDir();
  let n = 0;
  const fresh = () => writeFixtureDataset(path.join(tmp(), `ds-${n++}`));

  it('rewrites only generated.jsonl, without the lines, every other byte kept, and drops labels no line carries any more', async () => {
    const dir = fresh();
    const records = fs.readFileSync(path.join(dir, 'records.jsonl'));
    const recordsStat = fs.statSync(path.join(dir, 'records.jsonl'));
    const result = await deleteGeneratedRecords(dir, [
      { file: 'generated.jsonl', line: 3 },
      { file: 'generated.jsonl', line: 1 },
      { file: 'generated.jsonl', line: 4 },
    ]);
    assert.deepEqual(result, { lines: [1, 3, 4], labelsDropped: 1 });
    assert.equal(fs.readFileSync(path.join(dir, 'generated.jsonl'), 'utf8'), `${JSON.stringify(GENERATED_LINES[1])}\n`);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'records.jsonl')), records, 'records.jsonl is untouched');
    assert.equal(fs.statSync(path.join(dir, 'records.jsonl')).mtimeMs, recordsStat.mtimeMs);
    const { labels } = await readLabels(dir);
    assert.equal(labels.has(KEYS.generatedRefund), false, 'its only line is gone');
    assert.equal(labels.has(KEYS.generatedTracking), true);
    assert.equal(labels.has(KEYS.refund), true);
    assert.deepEqual(
      fs.readdirSync(dir).filter((name) => name.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
  });

  it('keeps the label of a deleted copy whose key records.jsonl still has', async () => {
    const dir = fresh();
    fs.appendFileSync(path.join(dir, 'generated.jsonl'), `${JSON.stringify(RECORD_LINES[0])}\n`); // line 5: a copy of records.jsonl:1
    await deleteGeneratedRecords(dir, [{ file: 'generated.jsonl', line: 5 }]);
    assert.equal((await readLabels(dir)).labels.get(KEYS.refund)?.topic, 'billing/refunds');
  });

  it('refuses records.jsonl lines, blank or missing lines, and a file that changed since it was listed — and changes nothing', async () => {
    const dir = fresh();
    const before = fs.readFileSync(path.join(dir, 'generated.jsonl'), 'utf8');
    await assert.rejects(
      deleteGeneratedRecords(dir, [
        { file: 'generated.jsonl', line: 1 },
        { file: 'records.jsonl', line: 3 },
      ]),
      (error: Error) => error instanceof RecordsError && /Only generated records can be deleted.*records\.jsonl:3/.test(error.message),
    );
    await assert.rejects(deleteGeneratedRecords(dir, [{ file: 'generated.jsonl', line: 9 }]), /has 4 lines; there is no line 9/);
    await assert.rejects(deleteGeneratedRecords(dir, [{ file: 'generated.jsonl', line: 0 }]), /not a line number/);
    await assert.rejects(deleteGeneratedRecords(dir, []), /No lines/);
    await assert.rejects(deleteGeneratedRecords(dir, [{ file: 'generated.jsonl', line: 1 }], { expect: { size: 1, mtimeMs: 0 } }), /changed since the records were listed/);
    fs.appendFileSync(path.join(dir, 'generated.jsonl'), '\n');
    await assert.rejects(deleteGeneratedRecords(dir, [{ file: 'generated.jsonl', line: 5 }]), /blank line/);
    assert.equal(fs.readFileSync(path.join(dir, 'generated.jsonl'), 'utf8'), `${before}\n`);
    fs.rmSync(path.join(dir, 'generated.jsonl'));
    await assert.rejects(deleteGeneratedRecords(dir, [{ file: 'generated.jsonl', line: 1 }]), /no generated\.jsonl/);
  });
});

describe('setting a record topic', () => {
  const tmp = useTempDir();
  let n = 0;
  const fresh = () => writeFixtureDataset(path.join(tmp(), `ds-${n++}`));

  it('writes a manual label (confidence 1) for a leaf of topics.json, and the index shows it', async () => {
    const dir = fresh();
    const index = await RecordsIndex.build(dir);
    const row = await setRecordTopic(index, 'records.jsonl', 7, 'billing/invoices');
    assert.deepEqual([row.topic, row.confidence, row.method, row.lowConfidence], ['billing/invoices', 1, 'manual', false]);
    assert.deepEqual((await readLabels(dir)).labels.get(KEYS.hostile), { key: KEYS.hostile, topic: 'billing/invoices', confidence: 1, method: 'manual' });
    assert.equal(index.find('records.jsonl', 1)?.topic, 'billing/refunds', 'other records keep theirs');
    const rebuilt = await RecordsIndex.build(dir);
    assert.equal(rebuilt.find('records.jsonl', 7)?.method, 'manual');
  });

  it('refuses a parent or unknown topic, an invalid record, a record with its own metadata.topic, and a dataset without topics', async () => {
    const dir = fresh();
    const index = await RecordsIndex.build(dir);
    await assert.rejects(setRecordTopic(index, 'records.jsonl', 1, 'billing'), /not a leaf topic/);
    await assert.rejects(setRecordTopic(index, 'records.jsonl', 1, 'nope/none'), /not a leaf topic/);
    await assert.rejects(setRecordTopic(index, 'records.jsonl', 2, 'billing/refunds'), /invalid/);
    await assert.rejects(setRecordTopic(index, 'records.jsonl', 3, 'billing/refunds'), /own topic/);
    await assert.rejects(setRecordTopic(index, 'records.jsonl', 6, 'billing/refunds'), /not a record line/);
    fs.rmSync(path.join(dir, 'topics.json'));
    await assert.rejects(setRecordTopic(index, 'records.jsonl', 1, 'billing/refunds'), /no topics yet/);
    assert.equal((await readLabels(dir)).labels.get(KEYS.refund)?.method, 'embedding', 'nothing written');
  });

  it('picks up labels written elsewhere (syncLabels)', async () => {
    const dir = fresh();
    const index = await RecordsIndex.build(dir);
    assert.equal(await index.syncLabels(), false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeLines(path.join(dir, '.rft', 'labels.jsonl'), [{ key: KEYS.refund, topic: 'shipping/tracking', confidence: 0.5, method: 'llm' }]);
    assert.equal(await index.syncLabels(), true);
    assert.equal(index.find('records.jsonl', 1)?.topic, 'shipping/tracking');
    assert.equal(index.find('records.jsonl', 7)?.topic, undefined, 'its label is gone');
  });
});

describe('dataset summary (Display F) and Ready for RFT', () => {
  const tmp = useTempDir();
  const origin = (total: number, valid: number, invalid: number, duplicates: number) => ({ total, valid, invalid, duplicates });
  const ready: SummaryFacts = {
    traces: origin(11_892, 11_700, 150, 42),
    generated: origin(2_179, 2_156, 15, 8),
    topics: { leaves: ['a/x', 'a/y', 'b/z'] },
    categorized: 13_856,
    byLeaf: new Map([
      ['a/x', 5000],
      ['a/y', 4500],
      ['b/z', 4356],
    ]),
    grader: { description: 'LLM judge', type: 'score_model' },
    lastDryRun: { decision: 'GO' },
  };

  it('totals by origin and validation with shares, categorized share of the valid, balance with its rating', () => {
    const summary = datasetSummary(ready);
    assert.equal(summary.total, 14_071);
    assert.deepEqual(summary.fromTraces, { count: 11_892, share: 11_892 / 14_071 });
    assert.deepEqual(summary.generated, { count: 2_179, share: 2_179 / 14_071 });
    assert.deepEqual(summary.valid, { count: 13_856, share: 13_856 / 14_071 });
    assert.deepEqual(summary.invalid, { count: 165, share: 165 / 14_071 });
    assert.deepEqual(summary.duplicates, { count: 50, share: 50 / 14_071 });
    assert.deepEqual(summary.categorized, { count: 13_856, share: 1 });
    assert.deepEqual(summary.balance, { score: 4356 / 5000, rating: 'good' });
    assert.equal(summary.ready, true);
    assert.deepEqual(
      summary.items.map((item) => item.level),
      ['warning', 'warning'],
      'invalid and duplicates warn, nothing else',
    );
    const lines = summaryLines(summary);
    assert.equal(lines[0], 'Total records:      14,071');
    assert.equal(lines[1], '  From traces:      11,892 (84.5%)');
    assert.ok(lines.includes('Ready for RFT:   ✅ Yes'));
  });

  it('is not ready without records, without a valid one, or with fewer than the minimum', () => {
    const none = datasetSummary({ ...ready, traces: origin(0, 0, 0, 0), generated: origin(0, 0, 0, 0), categorized: 0, byLeaf: new Map() });
    assert.equal(none.ready, false);
    assert.equal(none.items[0].level, 'blocker');
    assert.match(none.items[0].text, /No records yet/);
    assert.deepEqual([none.fromTraces.share, none.valid.share], [0, 0]);
    const allInvalid = datasetSummary({ ...ready, traces: origin(5, 0, 5, 0), generated: origin(0, 0, 0, 0), categorized: 0 });
    assert.equal(allInvalid.ready, false);
    assert.match(allInvalid.items[0].text, /No valid record/);
    const few = datasetSummary({ ...ready, traces: origin(MIN_VALID_RECORDS - 1, MIN_VALID_RECORDS - 1, 0, 0), generated: origin(0, 0, 0, 0), categorized: MIN_VALID_RECORDS - 1 });
    assert.equal(few.ready, false);
    assert.match(few.items[0].text, /Only 9 valid records: RFT needs at least 10/);
    const enough = datasetSummary({ ...ready, traces: origin(MIN_VALID_RECORDS, MIN_VALID_RECORDS, 0, 0), generated: origin(0, 0, 0, 0), categorized: MIN_VALID_RECORDS });
    assert.equal(enough.ready, true);
  });

  it('warns about missing topics, uncategorized records and poor balance, and names the next steps (grader, dry run)', () => {
    const noTopics = datasetSummary({ ...ready, topics: undefined, categorized: 0, byLeaf: new Map(), grader: undefined, lastDryRun: undefined });
    assert.equal(noTopics.ready, true, 'topics, grader and dry run do not block');
    assert.equal(noTopics.categorized, undefined);
    assert.equal(noTopics.balance, undefined);
    assert.deepEqual(
      noTopics.items.filter((i) => i.level !== 'warning' || !/left out/.test(i.text)).map((i) => [i.level, i.text]),
      [
        ['warning', 'No topics yet: coverage and balance are unknown (step 2).'],
        ['next', 'Define a grader (step 4).'],
        ['next', 'Run a dry run before training (step 5).'],
      ],
    );
    const partial = datasetSummary({
      ...ready,
      categorized: 10_000,
      byLeaf: new Map([
        ['a/x', 9000],
        ['a/y', 900],
        ['b/z', 100],
      ]),
      lastDryRun: { decision: 'NO-GO' },
    });
    assert.deepEqual(partial.categorized, { count: 10_000, share: 10_000 / 13_856 });
    assert.equal(partial.balance?.rating, 'poor');
    const texts = partial.items.map((i) => i.text);
    assert.ok(texts.includes('3,856 valid records have no topic (27.8%): categorize them (step 2).'), texts.join('\n'));
    assert.ok(texts.some((t) => /^Balance 0\.01 \(poor\)/.test(t)));
    assert.ok(texts.some((t) => /NO-GO/.test(t)));
    const fewUncategorized = datasetSummary({ ...ready, categorized: 13_856 - 100 });
    assert.ok(!fewUncategorized.items.some((i) => /no topic/.test(i.text)), 'under 5 % uncategorized does not warn');
    const stale = datasetSummary({ ...ready, lastDryRun: { decision: 'GO', stale: 'grader.json changed' } });
    assert.ok(stale.items.some((i) => i.level === 'next' && /stale \(grader\.json changed\)/.test(i.text)));
  });

  it('the index gives exact figures for the summary', async () => {
    const dir = writeFixtureDataset(path.join(tmp(), 'ds'));
    const counts = (await RecordsIndex.build(dir)).counts();
    assert.deepEqual(counts.traces, { total: 6, valid: 3, invalid: 2, duplicates: 1 });
    assert.deepEqual(counts.generated, { total: 4, valid: 2, invalid: 1, duplicates: 1 });
    assert.equal(counts.categorized, 5);
    assert.equal(counts.lowConfidence, 1);
    assert.deepEqual([...counts.byLeaf].sort(), [
      ['account/login', 1],
      ['billing/refunds', 2],
      ['shipping/tracking', 2],
    ]);
    assert.deepEqual(counts.byCode, { invalid_json: 1, duplicate: 2, last_not_user: 1, no_user_message: 1 });
    const summary = datasetSummary({ ...counts, topics: { leaves: ['billing/refunds', 'billing/invoices', 'account/login', 'shipping/tracking'] } });
    assert.equal(summary.total, 10);
    assert.deepEqual(summary.generated, { count: 4, share: 0.4 });
    assert.equal(summary.balance?.score, 0, 'billing/invoices has no record');
    assert.equal(summary.ready, false, 'only 5 valid records');
  });
});
