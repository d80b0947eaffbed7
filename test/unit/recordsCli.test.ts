import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runRft } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { GENERATED_LINES, writeFixtureDataset } from './recordsSupport';

describe('rft records and the summary of rft status (child process)', () => {
  const tmp = useTempDir();
  let n = 0;
  const fresh = () => writeFixtureDataset(path.join(tmp(), `ds-${n++}`));

  it('lists every line as text, one per line, paged, with filters', () => {
    const ds = fresh();
    let run = runRft(['records', ds]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 11);
    assert.match(lines[0], /^records\.jsonl:1\s+valid\s+billing\/refunds \(0\.90\)\s+Please refund my order #1001/);
    assert.match(lines[1], /^records\.jsonl:2\s+invalid \[invalid_json\]/);
    assert.match(lines[3], /^records\.jsonl:4\s+duplicate \[of records\.jsonl:1\]/);
    assert.equal(lines[10], '1–10 of 10');
    run = runRft(['records', ds, '--limit', '3', '--offset', '3']);
    assert.deepEqual(
      run.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
      ['records.jsonl:4', 'records.jsonl:5', 'records.jsonl:7', '4–6'],
    );
    assert.match(run.stdout, /4–6 of 10 · more with --offset 6/);
    run = runRft(['records', ds, '--generated', '--invalid']);
    assert.match(run.stdout, /^generated\.jsonl:4\s+invalid \[no_user_message\]/);
  });

  it('--json: {total, records:[{file, line, key, status, codes, origin, topic, confidence, text}]}', () => {
    const ds = fresh();
    const json = (args: string[]) => JSON.parse(runRft(['records', ds, ...args, '--json']).stdout);
    const all = json(['--all']);
    assert.equal(all.total, 10);
    assert.equal(all.records.length, 10);
    assert.deepEqual(Object.keys(all.records[0]), ['file', 'line', 'key', 'status', 'origin', 'topic', 'confidence', 'text']);
    assert.deepEqual(all.records[1], { file: 'records.jsonl', line: 2, status: 'invalid', codes: ['invalid_json'], origin: 'traces', text: '{"messages": [not json' });
    assert.deepEqual(
      json(['--topic', 'billing']).records.map((r: { file: string; line: number }) => `${r.file}:${r.line}`),
      ['records.jsonl:1', 'records.jsonl:4', 'generated.jsonl:1'],
    );
    assert.deepEqual(
      json(['--generated']).records.map((r: { origin: string }) => r.origin),
      ['generated', 'generated', 'generated', 'generated'],
    );
    assert.equal(json(['--invalid', '--code', 'last_not_user']).total, 1);
    assert.equal(json(['--duplicates']).total, 2);
    assert.equal(json(['--low-confidence']).total, 1);
    assert.equal(json(['--search', 'TRACKING number']).records[0].line, 2);
    assert.equal(json(['--limit', '2']).records.length, 2);
  });

  it('--delete-generated removes generated.jsonl lines only, and refuses records.jsonl lines with exit 2', () => {
    const ds = fresh();
    const records = fs.readFileSync(path.join(ds, 'records.jsonl'), 'utf8');
    let run = runRft(['records', ds, '--delete-generated', 'records.jsonl:1,2']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^rft records: Only generated records can be deleted \(generated\.jsonl\); records\.jsonl:1 is not/);
    run = runRft(['records', ds, '--delete-generated', 'x']);
    assert.equal(run.code, 2);
    run = runRft(['records', ds, '--delete-generated', '9']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no line 9/);
    run = runRft(['records', ds, '--delete-generated', '1,3-4', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { deleted: 3, lines: [1, 3, 4], labelsDropped: 1 });
    assert.equal(fs.readFileSync(path.join(ds, 'generated.jsonl'), 'utf8'), `${JSON.stringify(GENERATED_LINES[1])}\n`);
    assert.equal(fs.readFileSync(path.join(ds, 'records.jsonl'), 'utf8'), records);
    run = runRft(['records', ds, '--delete-generated', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Deleted 1 generated record from generated\.jsonl \(line 1\); dropped 1 label\. records\.jsonl was not touched\.$/m);
  });

  it('usage errors exit 2', () => {
    const ds = fresh();
    for (const args of [
      ['records'],
      ['records', ds, '--valid', '--invalid'],
      ['records', ds, '--generated', '--traces'],
      ['records', ds, '--code', 'nope'],
      ['records', ds, '--limit', '-1'],
      ['records', path.join(tmp(), 'missing')],
    ]) {
      const run = runRft(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}`);
      assert.match(run.stderr, /^rft records: /);
    }
  });

  it('rft status shows the summary: text lines and a summary key in --json, next to the old keys', () => {
    const ds = fresh();
    const status = JSON.parse(runRft(['status', ds, '--json']).stdout);
    assert.deepEqual(Object.keys(status), ['name', 'health', 'steps', 'summary']);
    assert.equal(status.summary.total, 10);
    assert.deepEqual(status.summary.fromTraces, { count: 6, share: 0.6 });
    assert.deepEqual(status.summary.generated, { count: 4, share: 0.4 });
    assert.deepEqual(status.summary.valid, { count: 5, share: 0.5 });
    assert.deepEqual(status.summary.invalid, { count: 3, share: 0.3 });
    assert.deepEqual(status.summary.duplicates, { count: 2, share: 0.2 });
    assert.equal(status.summary.ready, false);
    assert.match(status.summary.items[0].text, /Only 5 valid records/);
    const text = runRft(['status', ds]).stdout;
    assert.match(text, /\nDataset summary\n {2}Total records: +10\n {4}From traces: +6 \(60\.0%\)\n {4}Generated: +4 \(40\.0%\)\n/);
    assert.match(text, /Ready for RFT: +❌ No\n {4}✗ Only 5 valid records: RFT needs at least 10\./);
  });
});
