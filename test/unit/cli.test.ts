import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useTempDir, writeLines } from '../support/tempDir';
import { runRft } from '../support/runRft';
import { assistant, user } from '../support/validate';

const good = (n: number) => ({ messages: [user(`Question number ${n} about my invoice`)] });

describe('rft validate / rft fix (child process)', () => {
  const dir = useTempDir();

  it('exit 0 and a summary box when no record has an error (warnings allowed)', () => {
    const file = writeLines(path.join(dir(), 'ok.jsonl'), [good(1), good(2), good(1), { messages: [user('help')] }]);
    const run = runRft(['validate', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /✓ Valid: +3/);
    assert.match(run.stdout, /⊘ Duplicates: +1/);
    assert.match(run.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1  warning  duplicate  `));
  });

  it('exit 1 and the exact JSON shape when some record has an error', () => {
    const file = writeLines(path.join(dir(), 'bad.jsonl'), [good(1), { messages: [user(), assistant()] }, '{oops', good(1)]);
    const run = runRft(['validate', file, '--json']);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report), ['files', 'total', 'valid', 'invalid', 'warnings', 'duplicates', 'byCode', 'issues', 'tokens']);
    assert.deepEqual([report.total, report.valid, report.invalid, report.warnings, report.duplicates], [4, 1, 2, 0, 1]);
    assert.deepEqual(report.byCode, { last_not_user: 1, invalid_json: 1, duplicate: 1 });
    assert.deepEqual(Object.keys(report.issues[0]), ['file', 'line', 'column', 'code', 'severity', 'message']);
    assert.deepEqual(report.issues.map((i: { line: number; code: string }) => [i.line, i.code]), [[2, 'last_not_user'], [3, 'invalid_json'], [4, 'duplicate']]);
    assert.deepEqual(Object.keys(report.tokens), ['max', 'p50', 'p90', 'exact']);
    assert.equal(report.tokens.exact, true);
  });

  it('--max-issues caps issues, not counts; --max-tokens and --min-user-chars override the limits', () => {
    const file = writeLines(path.join(dir(), 'many.jsonl'), [...Array.from({ length: 30 }, () => '{'), { messages: [user('word '.repeat(50))] }, { messages: [user('tiny')] }]);
    const capped = JSON.parse(runRft(['validate', file, '--json', '--max-issues', '5']).stdout);
    assert.equal(capped.issues.length, 5);
    assert.equal(capped.invalid, 30);
    const strict = JSON.parse(runRft(['validate', file, '--json', '--max-tokens', '20', '--min-user-chars', '2']).stdout);
    assert.equal(strict.byCode.exceeds_max_tokens, 1);
    assert.equal(strict.byCode.user_message_too_short, undefined);
  });

  it('a dataset folder validates records.jsonl and generated.jsonl with the limits from rft.json', () => {
    const ds = path.join(dir(), 'ds');
    fs.mkdirSync(ds);
    fs.writeFileSync(path.join(ds, 'rft.json'), JSON.stringify({ name: 'ds', settings: { validation: { minUserChars: 40 } } }));
    writeLines(path.join(ds, 'records.jsonl'), [good(1)]);
    writeLines(path.join(ds, 'generated.jsonl'), [good(2), good(1)]);
    const report = JSON.parse(runRft(['validate', ds, '--json']).stdout);
    assert.equal(report.files.length, 2);
    assert.equal(report.total, 3);
    assert.equal(report.duplicates, 1);
    assert.equal(report.byCode.user_message_too_short, 2, 'minUserChars from rft.json applies');
  });

  it('exit 2 with one line on stderr for usage and I/O errors', () => {
    for (const args of [['validate'], ['validate', path.join(dir(), 'missing.jsonl')], ['validate', dir(), '--json'], ['validate', 'x', '--max-tokens', 'lots'], ['validate', 'x', '--bogus'], ['nope'], ['fix', 'x.jsonl', '--code', 'invalid_json']]) {
      const run = runRft(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(run.stdout, '', args.join(' '));
      assert.equal(run.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${run.stderr}`);
    }
    const ds = path.join(dir(), 'badmanifest');
    fs.mkdirSync(ds);
    fs.writeFileSync(path.join(ds, 'rft.json'), '{"name": 3}');
    writeLines(path.join(ds, 'records.jsonl'), [good(1)]);
    const run = runRft(['validate', ds]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /rft\.json: name/);
  });

  it('rft fix rewrites in place atomically with a .bak, or writes --out', () => {
    const file = writeLines(path.join(dir(), 'fixme.jsonl'), [good(1), { messages: [user('What is 2+2 exactly?'), assistant('4')] }, good(1)], '\r\n');
    const original = fs.readFileSync(file);
    const run = runRft(['fix', file, '--code', 'last_not_user,duplicate,crlf']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /last_not_user 1/);
    assert.deepEqual(fs.readFileSync(`${file}.bak`), original);
    assert.equal(runRft(['validate', file]).code, 0);
    assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 2);
    const out = path.join(dir(), 'fixed-out.jsonl');
    assert.equal(runRft(['fix', `${file}.bak`, '--code', 'last_not_user', '--out', out]).code, 0);
    assert.deepEqual(fs.readFileSync(`${file}.bak`), original, '--out leaves the source alone');
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8').split('\r\n')[1]).reference_answer, '4');
  });
});
