import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runRft } from '../support/runRft';
import { useTempDir, writeLines } from '../support/tempDir';
import { assistant, user } from '../support/validate';

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
    assert.deepEqual(empty.steps.map((s: { id: string; status: string }) => [s.id, s.status]), [['extract', 'ready'], ['topics', 'waiting'], ['coverage', 'waiting'], ['grader', 'waiting'], ['dryrun', 'waiting'], ['train', 'waiting'], ['deploy', 'waiting']]);
    const source = writeLines(path.join(dir(), 'in.jsonl'), [{ messages: [user('What is on invoice INV-7?')] }, { messages: [user(), assistant()] }, { messages: [user('What is on invoice INV-7?')] }]);
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
});
