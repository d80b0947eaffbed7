import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateJsonlFiles } from '../../src/core/validation/fileValidator';
import { DEFAULT_VALIDATION_SETTINGS, resolveValidationSettings } from '../../src/core/validation/settings';
import { runRft } from '../support/runRft';
import { useTempDir, writeLines } from '../support/tempDir';
import { assistant, user } from '../support/validate';

describe('validateJsonlFiles', () => {
  const dir = useTempDir();
  const good = (n: number) => ({ messages: [user(`Question number ${n} about my invoice`)] });

  it('counts total = valid + invalid + duplicates, with warnings apart', async () => {
    const file = writeLines(path.join(dir(), 'a.jsonl'), [good(1), good(2), good(1), '{broken', { messages: [user('short')] }, '', good(2)]);
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS });
    assert.deepEqual({ ...report.counts, byCode: undefined }, { total: 6, valid: 3, invalid: 1, warnings: 1, duplicates: 2, byCode: undefined });
    assert.equal(report.counts.total, report.counts.valid + report.counts.invalid + report.counts.duplicates);
    assert.deepEqual(report.counts.byCode, { duplicate: 2, invalid_json: 1, user_message_too_short: 1 });
    const dup = report.issues.find((i) => i.code === 'duplicate' && i.line === 3);
    assert.match(dup!.message, /line 1\b/);
    assert.equal(report.issues.find((i) => i.code === 'duplicate' && i.line === 7)?.message.includes('line 2'), true);
  });

  it('finds duplicates across the files of a dataset and names the file', async () => {
    const a = writeLines(path.join(dir(), 'records.jsonl'), [good(1)]);
    const b = writeLines(path.join(dir(), 'generated.jsonl'), [good(3), good(1)]);
    const report = await validateJsonlFiles([a, b], { settings: DEFAULT_VALIDATION_SETTINGS });
    assert.equal(report.counts.duplicates, 1);
    const dup = report.issues.find((i) => i.code === 'duplicate')!;
    assert.equal(dup.file, b);
    assert.equal(dup.line, 2);
    assert.match(dup.message, /line 1 of records\.jsonl/);
    assert.deepEqual(
      report.perFile.map((f) => f.counts.total),
      [1, 2],
    );
  });

  it('an invalid copy of a record is invalid, not a duplicate', async () => {
    const bad = { messages: [user(), assistant()] };
    const file = writeLines(path.join(dir(), 'c.jsonl'), [bad, bad]);
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS });
    assert.equal(report.counts.invalid, 2);
    assert.equal(report.counts.duplicates, 0);
  });

  it('reports BOM and CRLF once per file, without making records invalid', async () => {
    const file = path.join(dir(), 'd.jsonl');
    fs.writeFileSync(file, `\uFEFF${JSON.stringify(good(1))}\r\n${JSON.stringify(good(2))}\r\n`);
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS });
    assert.equal(report.counts.valid, 2);
    assert.deepEqual(report.counts.byCode, { bom: 1, crlf: 1 });
    assert.match(report.issues.find((i) => i.code === 'crlf')!.message, /^2 line/);
  });

  it('locates every issue with 1-based line and column', async () => {
    const file = writeLines(path.join(dir(), 'e.jsonl'), [good(1), { messages: [{ role: 'bot', content: 'hello there friend' }, user()] }]);
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS });
    const issue = report.issues[0];
    assert.equal(issue.line, 2);
    const line = fs.readFileSync(file, 'utf8').split('\n')[1];
    assert.equal(line.slice(issue.column - 1, issue.endColumn - 1), '"bot"');
  });

  it('caps the issue list but keeps every count', async () => {
    const file = writeLines(
      path.join(dir(), 'f.jsonl'),
      Array.from({ length: 50 }, () => '{'),
    );
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS, maxIssues: 10 });
    assert.equal(report.issues.length, 10);
    assert.equal(report.issuesTruncated, true);
    assert.equal(report.counts.invalid, 50);
  });

  it('reports encoding and line_too_long, and validates the lines after them', async () => {
    const file = path.join(dir(), 'g.jsonl');
    const settings = resolveValidationSettings({ maxLineBytes: 1000 });
    fs.writeFileSync(file, Buffer.concat([Buffer.from('{"messages":"\xff'), Buffer.from([0xff]), Buffer.from('"}\n'), Buffer.alloc(3000, 0x20), Buffer.from(`\n${JSON.stringify(good(1))}`)]));
    const report = await validateJsonlFiles([file], { settings });
    assert.deepEqual(
      report.issues.map((i) => [i.line, i.code]),
      [
        [1, 'encoding'],
        [2, 'line_too_long'],
      ],
    );
    assert.equal(report.counts.valid, 1);
  });

  it('token statistics are exact for small files and say so', async () => {
    const file = writeLines(path.join(dir(), 'h.jsonl'), [good(1), { messages: [user('word '.repeat(300))] }]);
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS });
    assert.equal(report.tokens.exact, true);
    assert.ok(report.tokens.max > 300 && report.tokens.max < 320, `max ${report.tokens.max}`);
  });

  it('special-token strings in a record are counted as text: the file validates and rft validate exits 0', async () => {
    const traced = { messages: [user('The model printed <|endoftext|> then <|im_start|>assistant — why does my trace show these?')] };
    const file = writeLines(path.join(dir(), 'special.jsonl'), [good(1), traced]);
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS });
    assert.deepEqual({ valid: report.counts.valid, invalid: report.counts.invalid, exact: report.tokens.exact }, { valid: 2, invalid: 0, exact: true });
    assert.ok(report.tokens.max > 20, `max ${report.tokens.max}`);
    const run = runRft(['validate', file, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { valid: number }).valid, 2);
  });

  it('rft validate --json counts the new codes in byCode', () => {
    const question = 'What is the status of invoice INV-1?';
    const file = writeLines(path.join(dir(), 'new-codes.jsonl'), [
      { system: 'Be brief.', messages: [user(question)] },
      { messages: [user([{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }])] },
      { messages: [user('Hi'), { role: 'assistant', content: 'Hello.', weight: 2 }, user(question)] },
      `{"messages":[{"role":"user","content":"${question}"}],"x":${'['.repeat(100)}${']'.repeat(100)}}`,
    ]);
    const run = runRft(['validate', file, '--json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { byCode: Record<string, number>; invalid: number; warnings: number };
    assert.deepEqual(report.byCode, { top_level_system: 1, invalid_content_part: 1, invalid_weight: 1, too_deep: 1 });
    assert.deepEqual([report.invalid, report.warnings], [3, 1]);
  });
});
