import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runRft } from '../support/runRft';
import { useTempDir, writeLines } from '../support/tempDir';
import { assistant, user } from '../support/validate';
import { assertNotDatasetFile, ProtectedPathError } from '../../src/core/dataset/protectedPaths';

describe('rft init / import / export / status (child process)', () => {
  const dir = useTempDir();

  it('runs the dataset lifecycle with the status JSON contract', () => {
    const ds = path.join(dir(), 'support');
    let run = runRft(['init', ds, '--name', 'support', '--objective', 'Answer billing questions']);
    assert.equal(run.code, 0, run.stderr);
    run = runRft(['status', ds, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const empty = JSON.parse(run.stdout);
    assert.deepEqual(empty.health, { total: 0, valid: 0, invalid: 0, warnings: 0 });
    assert.deepEqual(
      empty.steps.map((s: { id: string; status: string }) => [s.id, s.status]),
      [
        ['extract', 'ready'],
        ['topics', 'waiting'],
        ['coverage', 'waiting'],
        ['grader', 'waiting'],
        ['dryrun', 'waiting'],
        ['train', 'waiting'],
        ['deploy', 'waiting'],
      ],
    );
    const source = writeLines(path.join(dir(), 'in.jsonl'), [
      { messages: [user('What is on invoice INV-7?')] },
      { messages: [user(), assistant()] },
      { messages: [user('What is on invoice INV-7?')] },
    ]);
    run = runRft(['import', source, '--into', ds]);
    assert.equal(run.code, 1, 'an invalid record was imported');
    assert.match(run.stdout, /Appended 3 lines/);
    assert.match(run.stdout, /Health: 1 valid · 1 invalid · 1 duplicates/);
    const status = JSON.parse(runRft(['status', ds, '--json']).stdout);
    assert.deepEqual(Object.keys(status), ['name', 'health', 'steps', 'summary']);
    assert.deepEqual(status.health, { total: 3, valid: 1, invalid: 1, warnings: 0 });
    assert.deepEqual(status.steps[0], { id: 'extract', status: 'complete', description: '3 records' });
    const human = runRft(['status', ds]).stdout;
    assert.match(human, /^support — Answer billing questions\nHealth {3}1 valid · 1 invalid · 1 duplicates\n1\. Extract Records/);
    const out = path.join(dir(), 'train.jsonl');
    run = runRft(['export', ds, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Exported 1 valid records/);
    assert.equal(fs.readFileSync(out, 'utf8').trim().split('\n').length, 1);
    run = runRft(['import', source, '--into', ds, '--replace']);
    assert.match(run.stdout, /previous records kept in .*\.rft\/backups\/records-/);
  });

  it('exit 2 with one line for a folder that is not a dataset, a missing file, missing flags', () => {
    const notDataset = fs.mkdtempSync(path.join(dir(), 'plain-'));
    for (const args of [['status', notDataset], ['export', notDataset, '--out', 'x.jsonl'], ['import', 'missing.jsonl', '--into', notDataset], ['init', path.join(dir(), 'x')], ['status']]) {
      const run = runRft(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
    const ds = path.join(dir(), 'twice');
    assert.equal(runRft(['init', ds, '--name', 'a']).code, 0);
    assert.equal(runRft(['init', ds, '--name', 'a']).code, 2);
    fs.writeFileSync(path.join(ds, 'rft.json'), '{"name": ""}');
    const bad = runRft(['status', ds]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /rft\.json: name/);
  });

  it("refuses (exit 2) every output onto the dataset's own files and leaves them byte for byte", () => {
    const ds = path.join(dir(), 'guarded');
    assert.equal(runRft(['init', ds, '--name', 'guarded']).code, 0);
    writeLines(path.join(ds, 'records.jsonl'), [{ messages: [user('What is on invoice INV-7?'), assistant()] }]);
    assert.equal(runRft(['topics', ds, '--template', 'customer-support']).code, 0);
    assert.equal(runRft(['grader', 'init', ds, '--preset', 'format']).code, 0);
    const own = ['records.jsonl', 'topics.json', 'grader.json', 'rft.json', '.rft/labels.jsonl'];
    const before = own.map((name) => fs.readFileSync(path.join(ds, name)));
    const attempts = [
      ['export', ds, '--out', path.join(ds, 'records.jsonl')],
      ['export', ds, '--out', `${ds}/../guarded/./RECORDS.jsonl`],
      ['topics', ds, '--export', path.join(ds, 'records.jsonl')],
      ['topics', ds, '--export', path.join(ds, '.rft', 'labels.jsonl')],
      ['grader', 'export', ds, '--target', 'openai', '--out', path.join(ds, 'rft.json')],
      ['grader', 'export', ds, '--target', 'trl', '--out', path.join(ds, 'topics.json')],
      ['fix', path.join(ds, 'records.jsonl'), '--code', 'crlf', '--out', path.join(ds, 'grader.json')],
    ];
    for (const args of attempts) {
      const run = runRft(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}`);
      assert.match(run.stderr, /refusing to write .*: it is .* of the dataset/, args.join(' '));
    }
    own.forEach((name, i) => assert.deepEqual(fs.readFileSync(path.join(ds, name)), before[i], `${name} changed`));
    assert.equal(runRft(['topics', ds, '--export', path.join(dir(), 'topics-share.json')]).code, 0, 'a file outside the dataset is fine');
  }).timeout(180_000);

  it('sees through symlinks, relative paths, case and hard links to a dataset file', () => {
    const ds = path.join(dir(), 'linked');
    assert.equal(runRft(['init', ds, '--name', 'linked']).code, 0);
    const outside = fs.mkdtempSync(path.join(dir(), 'outside-'));
    fs.symlinkSync(ds, path.join(outside, 'alias'));
    fs.symlinkSync(path.join(ds, 'records.jsonl'), path.join(outside, 'records-link.jsonl'));
    fs.linkSync(path.join(ds, 'records.jsonl'), path.join(outside, 'hard.jsonl'));
    for (const out of [
      path.join(outside, 'alias', 'records.jsonl'),
      path.join(outside, 'alias', '.rft', 'new', 'x.json'),
      path.join(outside, 'records-link.jsonl'),
      `${ds}/../linked/Generated.JSONL`,
    ]) {
      assert.throws(() => assertNotDatasetFile(out), ProtectedPathError, out);
    }
    assert.throws(() => assertNotDatasetFile(path.join(outside, 'hard.jsonl'), [ds]), ProtectedPathError);
    assert.doesNotThrow(() => assertNotDatasetFile(path.join(ds, 'exports', 'records.jsonl'), [ds]));
    assert.doesNotThrow(() => assertNotDatasetFile(path.join(outside, 'records.jsonl'), [ds]));
  });
});
