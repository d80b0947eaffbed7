import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateJsonlFiles } from '../../src/core/validation/fileValidator';
import { DocumentValidation } from '../../src/core/validation/documentValidation';
import { DEFAULT_VALIDATION_SETTINGS } from '../../src/core/validation/settings';
import { exportRecords } from '../../src/core/dataset/exportRecords';
import { splitDataset } from '../../src/core/train/split';
import { recordDetail } from '../../src/core/records/recordDetail';
import { runRft } from '../support/runRft';
import { useTempDir, writeLines } from '../support/tempDir';

const userLine = '{"messages":[{"role":"user","content":"What does my plan include?"}]}';
const deep = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);

/** Each case: the line(s) and the code expected on its first line. */
const CASES: { name: string; bytes: Buffer; code: string | undefined }[] = [
  { name: 'truncated line', bytes: Buffer.from(userLine.slice(0, 30)), code: 'invalid_json' },
  { name: 'truncated in a string', bytes: Buffer.from('{"messages":[{"role":"user","content":"abc'), code: 'invalid_json' },
  { name: 'deep nesting in content', bytes: Buffer.from(`{"messages":[{"role":"user","content":${deep(10_000, '1')}}]}`), code: 'too_deep' },
  { name: 'deep nesting in grader data', bytes: Buffer.from(`{"messages":[{"role":"user","content":"What does my plan include, case 0?"}],"x":${deep(10_000, '{}')}}`), code: 'too_deep' },
  { name: 'deep nesting in tools', bytes: Buffer.from(`{"tools":${deep(10_000, '1')},"messages":[{"role":"user","content":"What does my plan include?"}]}`), code: 'too_deep' },
  { name: '__proto__ at the top', bytes: Buffer.from('{"__proto__":{"polluted":true},"messages":[{"role":"user","content":"What does my plan include, case 1?"}]}'), code: undefined },
  { name: '__proto__ as messages', bytes: Buffer.from('{"__proto__":[],"constructor":{"prototype":{}}}'), code: 'missing_messages' },
  { name: 'binary garbage', bytes: Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x9c, 0x7b, 0x22]), code: 'encoding' },
  { name: 'non-object line', bytes: Buffer.from('[{"role":"user","content":"hi"}]'), code: 'not_object' },
  { name: 'number line', bytes: Buffer.from('1e999999'), code: 'not_object' },
  { name: 'huge number as content', bytes: Buffer.from(`{"messages":[{"role":"user","content":${'9'.repeat(5000)}}]}`), code: 'invalid_message' },
  {
    name: 'huge numbers as grader data',
    bytes: Buffer.from('{"messages":[{"role":"user","content":"What does my plan include, case 2?"}],"n":1e999999,"m":-123456789012345678901234567890}'),
    code: undefined,
  },
  {
    name: 'hostile strings',
    bytes: Buffer.from('{"messages":[{"role":"<script>alert(1)</script>","content":"<img src=x onerror=alert(1)>"},{"role":"user","content":"What does my plan include?"}]}'),
    code: 'invalid_role',
  },
  { name: 'lone surrogate escapes', bytes: Buffer.from('{"messages":[{"role":"user","content":"\\ud800 What does my plan include, case 3?"}]}'), code: undefined },
];

describe('malformed-input corpus: no crash, no hang, bounded memory, a located error for each', () => {
  const dir = useTempDir();

  it('validates every case in one file and locates each', async () => {
    const file = path.join(dir(), 'corpus.jsonl');
    fs.writeFileSync(file, Buffer.concat(CASES.flatMap((c) => [c.bytes, Buffer.from('\n')])));
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS, maxIssues: 1000 });
    assert.equal(report.counts.total, CASES.length);
    CASES.forEach((c, index) => {
      const first = report.issues.find((i) => i.line === index + 1);
      assert.equal(first?.code, c.code, c.name);
      if (first) assert.ok(first.column >= 1 && first.endColumn >= first.column, `${c.name}: located`);
    });
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  });

  it('a 20 MB single line is reported without being buffered, and memory stays bounded', async () => {
    const file = path.join(dir(), 'huge.jsonl');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '{"messages":[{"role":"user","content":"');
    const block = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 20; i++) fs.writeSync(fd, block);
    fs.writeSync(fd, `"}]}\n${userLine}\n`);
    fs.closeSync(fd);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS });
    const grown = process.memoryUsage().heapUsed - before;
    assert.deepEqual(
      report.issues.map((i) => [i.line, i.code]),
      [[1, 'line_too_long']],
    );
    assert.equal(report.counts.valid, 1);
    assert.ok(grown < 16 << 20, `heap grew by ${(grown / 1048576).toFixed(1)} MB`);
  });

  it('the editor model survives the same corpus', () => {
    const lines = CASES.map((c) => c.bytes.toString('utf8'));
    const doc = new DocumentValidation(lines, DEFAULT_VALIDATION_SETTINGS);
    CASES.forEach((c, index) => {
      const first = doc.issues().find((d) => d.line === index)?.issue.code;
      if (c.code !== 'encoding') assert.equal(first, c.code, c.name); // invalid UTF-8 arrives decoded in an editor
    });
  });

  it('a record nested 5,000 deep is too_deep, and split and export leave it out instead of crashing', async () => {
    const root = path.join(dir(), 'deep-dataset');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'rft.json'), JSON.stringify({ name: 'deep', source: { kind: 'upload' } }));
    const records = Array.from({ length: 20 }, (_, n) => ({ messages: [{ role: 'user', content: `Question number ${n} about my invoice?` }], reference_answer: `answer ${n}` }));
    writeLines(path.join(root, 'records.jsonl'), [...records.slice(0, 6), `{"messages":[{"role":"user","content":"A deeply nested question?"}],"meta":${deep(5000, '1')}}`, ...records.slice(6)]);
    const validated = runRft(['validate', root, '--json']);
    assert.equal(validated.code, 1, validated.stderr);
    const report = JSON.parse(validated.stdout) as { invalid: number; byCode: Record<string, number>; issues: { line: number; code: string }[] };
    assert.deepEqual({ invalid: report.invalid, byCode: report.byCode, issues: report.issues.map((i) => [i.line, i.code]) }, { invalid: 1, byCode: { too_deep: 1 }, issues: [[7, 'too_deep']] });
    const split = await splitDataset(root);
    const rows = ['train.jsonl', 'valid.jsonl'].flatMap((name) =>
      fs
        .readFileSync(path.join(root, 'exports', name), 'utf8')
        .split('\n')
        .filter(Boolean),
    );
    assert.equal(rows.length, 20);
    assert.ok(
      split.changes.some((change) => /^1 invalid record left out/.test(change)),
      split.changes.join('; '),
    );
    const out = path.join(dir(), 'deep-export.jsonl');
    const exported = await exportRecords(root, out);
    assert.deepEqual({ exported: exported.exported, skippedInvalid: exported.skippedInvalid }, { exported: 20, skippedInvalid: 1 });
    const detail = recordDetail(fs.readFileSync(path.join(root, 'records.jsonl'), 'utf8').split('\n')[6]);
    assert.match(detail.parseError ?? '', /too_deep/);
    assert.match(detail.raw ?? '', /^\{"messages"/);
    for (const command of [
      ['split', root],
      ['export', root, '--out', path.join(dir(), 'cli-export.jsonl')],
    ]) {
      const run = runRft(command);
      assert.equal(run.code, 0, `${command[0]}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /call stack/);
    }
  });
});
