import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverDatasets } from '../../src/core/dataset/discovery';
import { duplicateDataset } from '../../src/core/dataset/duplicateDataset';
import { exportRecords } from '../../src/core/dataset/exportRecords';
import { datasetHealth } from '../../src/core/dataset/healthCache';
import { importRecords } from '../../src/core/dataset/importRecords';
import { initDataset } from '../../src/core/dataset/initDataset';
import { readLabels, updateLabels, writeLabels } from '../../src/core/dataset/labels';
import { readManifest } from '../../src/core/dataset/manifest';
import { readDataset } from '../../src/core/pipeline/snapshot';
import { recordKey } from '../../src/core/validation/recordKey';
import { DEFAULT_VALIDATION_SETTINGS } from '../../src/core/validation/settings';
import { useTempDir, writeLines } from '../support/tempDir';
import { assistant, user } from '../support/validate';

const record = (n: number) => ({ messages: [user(`Question ${n} about my invoice, please`)] });
const keyOf = (value: Record<string, unknown>) => recordKey(value, JSON.stringify(value));

describe('dataset model', () => {
  const dir = useTempDir();
  let n = 0;
  const fresh = () => path.join(dir(), `ds${++n}`);

  it('init writes rft.json, an empty records.jsonl and a .gitignore for .rft/, and refuses to overwrite', async () => {
    const ds = fresh();
    await initDataset(ds, { name: 'chess-tutor', objective: 'Teach openings' });
    const manifest = await readManifest(ds);
    assert.equal(manifest.name, 'chess-tutor');
    assert.equal(manifest.objective, 'Teach openings');
    assert.equal(fs.readFileSync(path.join(ds, 'records.jsonl'), 'utf8'), '');
    assert.match(fs.readFileSync(path.join(ds, '.gitignore'), 'utf8'), /^\.rft\/$/m);
    await assert.rejects(initDataset(ds, { name: 'again' }), /already a dataset/);
  });

  it('discovers datasets in several roots, nested, skipping node_modules, .rft and exports', async () => {
    const rootA = path.join(dir(), 'rootA');
    const rootB = path.join(dir(), 'rootB');
    await initDataset(path.join(rootA, 'one'), { name: 'one' });
    await initDataset(path.join(rootA, 'nested', 'deeper', 'two'), { name: 'two' });
    await initDataset(path.join(rootA, 'node_modules', 'pkg'), { name: 'hidden' });
    await initDataset(path.join(rootA, 'one', 'exports', 'x'), { name: 'hidden' });
    await initDataset(rootB, { name: 'three' });
    const found = await discoverDatasets([rootA, rootB]);
    assert.deepEqual(
      found.map((d) => path.relative(dir(), d)),
      ['rootA/nested/deeper/two', 'rootA/one', 'rootB'],
    );
  });

  it('import appends (adding a missing newline) or replaces with a backup, byte for byte', async () => {
    const ds = fresh();
    await initDataset(ds, { name: 'x' });
    const a = path.join(dir(), 'a.jsonl');
    fs.writeFileSync(a, `${JSON.stringify(record(1))}\n{broken`);
    assert.equal((await importRecords(a, ds)).linesImported, 2);
    const b = writeLines(path.join(dir(), 'b.jsonl'), [record(2)]);
    await importRecords(b, ds);
    assert.equal(fs.readFileSync(path.join(ds, 'records.jsonl'), 'utf8'), `${JSON.stringify(record(1))}\n{broken\n${JSON.stringify(record(2))}\n`);
    const replaced = await importRecords(b, ds, { replace: true });
    assert.equal(fs.readFileSync(path.join(ds, 'records.jsonl'), 'utf8'), `${JSON.stringify(record(2))}\n`);
    assert.ok(replaced.backup && fs.readFileSync(replaced.backup, 'utf8').includes('{broken'), 'the replaced records are kept');
  });

  it('labels: read/write/update; manual labels win; bad lines are reported, not dropped silently', async () => {
    const ds = fresh();
    await initDataset(ds, { name: 'x' });
    const k1 = keyOf(record(1));
    const k2 = keyOf(record(2));
    await writeLabels(ds, [{ key: k1, topic: 'billing/invoices', confidence: 0.9, method: 'manual' }]);
    await updateLabels(ds, [
      { key: k1, topic: 'billing/refunds', confidence: 0.99, method: 'embedding' },
      { key: k2, topic: 'account/sso', confidence: 0.5, method: 'embedding' },
    ]);
    let read = await readLabels(ds);
    assert.equal(read.labels.get(k1)?.topic, 'billing/invoices', 'manual wins');
    assert.equal(read.labels.get(k2)?.topic, 'account/sso');
    await updateLabels(ds, [], { clearAutomatic: true });
    read = await readLabels(ds);
    assert.deepEqual([...read.labels.keys()], [k1]);
    fs.appendFileSync(path.join(ds, '.rft/labels.jsonl'), '{"key":"nothex","topic":"t","confidence":2,"method":"x"}\nnot json\n');
    read = await readLabels(ds);
    assert.equal(read.labels.size, 1);
    assert.deepEqual(
      read.problems.map((p) => p.line),
      [2, 3],
    );
  });

  it('health is cached per file and re-validated when a file changes', async () => {
    const ds = fresh();
    await initDataset(ds, { name: 'x' });
    writeLines(path.join(ds, 'records.jsonl'), [record(1), record(2), '{bad']);
    const first = await datasetHealth(ds, DEFAULT_VALIDATION_SETTINGS);
    assert.equal(first.fromCache, false);
    assert.equal(first.health.counts.invalid, 1);
    assert.equal(first.health.issues[0].file, 'records.jsonl');
    const second = await datasetHealth(ds, DEFAULT_VALIDATION_SETTINGS);
    assert.equal(second.fromCache, true);
    assert.deepEqual(second.health, first.health);
    writeLines(path.join(ds, 'records.jsonl'), [record(1), record(2), record(3)]);
    const third = await datasetHealth(ds, DEFAULT_VALIDATION_SETTINGS);
    assert.equal(third.fromCache, false);
    assert.equal(third.health.counts.valid, 3);
    assert.equal((await datasetHealth(ds, { ...DEFAULT_VALIDATION_SETTINGS, minUserChars: 99 })).fromCache, false, 'other limits, other result');
    fs.writeFileSync(path.join(ds, '.rft/cache/health.json'), '{damaged');
    assert.equal((await datasetHealth(ds, DEFAULT_VALIDATION_SETTINGS)).fromCache, false);
  });

  it('export writes valid records once, merges labels and source, copies everything else as it was', async () => {
    const ds = fresh();
    await initDataset(ds, { name: 'x', sourceKind: 'litellm' });
    const labeled = { messages: [user('How do I get a refund for INV-7?')], metadata: { model: 'gpt-4o', n: 1.5 } };
    const manual = { messages: [user('Set up SSO with Okta for us')], metadata: { topic: 'account/sso', source: 'trace:1' } };
    fs.writeFileSync(
      path.join(ds, 'records.jsonl'),
      `${JSON.stringify(labeled).replace('1.5', '1.50')}\n${JSON.stringify(manual)}\n{bad\n${JSON.stringify(labeled)}\n${JSON.stringify({ messages: [user(), assistant()] })}\n`,
    );
    writeLines(path.join(ds, 'generated.jsonl'), [record(9)]);
    await writeLabels(ds, [
      { key: keyOf(labeled), topic: 'billing/refunds', confidence: 0.83, method: 'embedding' },
      { key: keyOf(manual), topic: 'billing/invoices', confidence: 0.9, method: 'embedding' },
    ]);
    const out = path.join(dir(), 'out', 'train.jsonl');
    const result = await exportRecords(ds, out);
    assert.deepEqual(result, { exported: 3, skippedInvalid: 2, skippedDuplicates: 1, labeled: 1 });
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(
      lines[0],
      '{"messages":[{"role":"user","content":"How do I get a refund for INV-7?"}],"metadata":{"topic":"billing/refunds","topic_confidence":0.83,"source":"litellm","model":"gpt-4o","n":1.50}}',
    );
    assert.equal(lines[1], JSON.stringify(manual), 'a manual topic and an own source stay');
    assert.deepEqual(JSON.parse(lines[2]).metadata, { source: 'generated' });
  });

  it('duplicate copies records and settings under a new name, without machine state', async () => {
    const ds = fresh();
    await initDataset(ds, { name: 'orig', objective: 'o' });
    writeLines(path.join(ds, 'records.jsonl'), [record(1)]);
    await datasetHealth(ds, DEFAULT_VALIDATION_SETTINGS);
    const copy = fresh();
    await duplicateDataset(ds, copy, 'orig-copy');
    assert.equal((await readManifest(copy)).name, 'orig-copy');
    assert.equal((await readManifest(copy)).objective, 'o');
    assert.equal(fs.readFileSync(path.join(copy, 'records.jsonl'), 'utf8'), fs.readFileSync(path.join(ds, 'records.jsonl'), 'utf8'));
    assert.equal(fs.existsSync(path.join(copy, '.rft')), false);
    await assert.rejects(duplicateDataset(ds, copy, 'again'), /already exists/);
  });

  it('readDataset gathers topics, labels, grader, runs and jobs for the pipeline state', async () => {
    const ds = fresh();
    await initDataset(ds, { name: 'x' });
    writeLines(path.join(ds, 'records.jsonl'), [record(1), record(2)]);
    fs.writeFileSync(path.join(ds, 'topics.json'), JSON.stringify({ topics: [{ name: 'billing', children: [{ name: 'invoices' }, { name: 'refunds' }] }, { name: 'sso' }] }));
    await writeLabels(ds, [{ key: keyOf(record(1)), topic: 'billing/invoices', confidence: 0.4, method: 'embedding' }]);
    fs.writeFileSync(
      path.join(ds, 'grader.json'),
      JSON.stringify({ type: 'score_model', name: 'q', model: 'gpt-4o-mini', input: [{ role: 'user', content: '{{sample.output_text}}' }], sampling_params: { temperature: 0 } }),
    );
    fs.mkdirSync(path.join(ds, '.rft/runs'), { recursive: true });
    fs.writeFileSync(path.join(ds, '.rft/runs/2026-01-01T00-00-00Z-dryrun.json'), JSON.stringify({ kind: 'dryrun', decision: 'NO-GO', mean: 0.05 }));
    fs.writeFileSync(path.join(ds, '.rft/runs/2026-02-01T00-00-00Z-dryrun.json'), JSON.stringify({ kind: 'dryrun', decision: 'GO', mean: 0.41 }));
    const { snapshot } = await readDataset(ds);
    assert.deepEqual(snapshot.topics, { leaves: ['billing/invoices', 'billing/refunds', 'sso'] });
    assert.equal(snapshot.labels?.lowConfidence, 1);
    assert.deepEqual(snapshot.grader, { description: 'LLM judge · gpt-4o-mini · T=0', type: 'score_model' });
    assert.deepEqual(snapshot.lastDryRun, { decision: 'GO', mean: 0.41 });
    fs.writeFileSync(path.join(ds, 'topics.json'), '{oops');
    assert.ok('error' in ((await readDataset(ds)).snapshot.topics ?? {}));
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify({ type: 'score_model', name: 'q', model: 'm', input: [{ role: 'user', content: 'x' }], range: [1] }));
    assert.deepEqual((await readDataset(ds)).snapshot.grader, { error: 'grader.json: range: expected [min, max]' });
  });
});
