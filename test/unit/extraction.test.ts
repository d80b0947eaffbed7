import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readManifest } from '../../src/core/dataset/manifest';
import { initDataset } from '../../src/core/dataset/initDataset';
import { extractTraces } from '../../src/core/extract/extract';
import { adapterForFile, fileCalls } from '../../src/core/extract/fileSource';
import { ingestFile } from '../../src/core/extract/ingestFile';
import { openaiStoredCalls } from '../../src/core/extract/openaiStored';
import { previewExtraction, scanCalls } from '../../src/core/extract/scan';
import { ModelClient } from '../../src/core/llm/modelClient';
import { validateJsonlFiles } from '../../src/core/validation/fileValidator';
import { DEFAULT_VALIDATION_SETTINGS } from '../../src/core/validation/settings';
import { startOpenAiTestServer } from '../support/openaiServer';
import { runRft } from '../support/runRft';
import { useTempDir } from '../support/tempDir';

const TRACES = path.resolve(__dirname, '../fixtures/traces');
const fixture = (name: string) => path.join(TRACES, name);
const records = (dir: string) =>
  fs
    .readFileSync(path.join(dir, 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

async function fromFile(file: string, dir: string, filters = {}) {
  const adapter = await adapterForFile(file, 'auto');
  return extractTraces({ kind: adapter.kind, calls: fileCalls(file, adapter), origin: { file }, filters, datasetDir: dir });
}

describe('extraction pipeline', () => {
  const tmp = useTempDir();
  let n = 0;
  const fresh = () => path.join(tmp(), `ds${++n}`);

  it('creates the dataset, writes valid prompt records, reports skips with reasons, records source and cursor', async () => {
    const dir = fresh();
    const report = await fromFile(fixture('litellm.jsonl'), dir);
    assert.equal(report.read, 10);
    assert.equal(report.written, 4);
    assert.equal(report.skipped['no user message (nothing for the model to answer)'], 1);
    assert.equal(report.skipped['failed call'], 1, 'the line with status "failure"');
    assert.deepEqual(report.skippedAt['failed call'], ['chatcmpl-AZ08']);
    assert.ok(Object.values(report.skippedAt).every((places) => places.length > 0));
    const health = await validateJsonlFiles([path.join(dir, 'records.jsonl')], { settings: DEFAULT_VALIDATION_SETTINGS });
    assert.equal(health.counts.invalid, 0, JSON.stringify(health.issues.slice(0, 3)));
    assert.ok(records(dir).every((r) => String(r.metadata.source).startsWith('litellm:')));
    const manifest = await readManifest(dir);
    const source = manifest.source as { kind: string; file: string; cursor: string };
    assert.equal(source.kind, 'litellm');
    assert.equal(source.file, fixture('litellm.jsonl'));
    assert.ok(Date.parse(source.cursor) > 0);
  });

  it('a second pull appends nothing that is already there, and dedupes against records imported by hand', async () => {
    const dir = fresh();
    await fromFile(fixture('chat.jsonl'), dir);
    const before = fs.readFileSync(path.join(dir, 'records.jsonl'), 'utf8');
    const again = await fromFile(fixture('chat.jsonl'), dir);
    assert.equal(again.written, 0);
    assert.equal(again.duplicates, again.converted);
    assert.equal(fs.readFileSync(path.join(dir, 'records.jsonl'), 'utf8'), before);
  });

  it('filters: models, time range, limit and a reproducible sample', async () => {
    const file = fixture('litellm.jsonl');
    const all = await fromFile(file, fresh());
    const limited = await fromFile(file, fresh(), { limit: 2 });
    assert.equal(limited.written, 2);
    const none = await fromFile(file, fresh(), { models: ['no-such-model*'] });
    assert.equal(none.written, 0);
    assert.equal(none.skipped['model not selected'], all.converted + (all.skipped['no user message (nothing for the model to answer)'] ?? 0), 'every call is filtered before conversion');
    const late = await fromFile(file, fresh(), { since: '2099-01-01T00:00:00Z' });
    assert.equal(late.written, 0);
    const [a, b] = [fresh(), fresh()];
    await fromFile(file, a, { sample: 3, seed: 42 });
    await fromFile(file, b, { sample: 3, seed: 42 });
    assert.equal(records(a).length, 3);
    assert.deepEqual(records(a), records(b));
  });

  it('--sample counts the validation errors of the records it wrote, not of every record it drew from', async () => {
    const file = path.join(tmp(), 'half-invalid.jsonl');
    const badTool = [{ type: 'function', function: { name: 'bad name!', parameters: { type: 'object' } } }];
    fs.writeFileSync(
      file,
      Array.from({ length: 20 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}: how do I reset my password?` }], ...(i % 2 ? { tools: badTool } : {}) })).join('\n') +
        '\n',
    );
    for (const seed of [1, 2, 3]) {
      const dir = fresh();
      const report = await fromFile(file, dir, { sample: 4, seed });
      assert.equal(report.written, 4);
      const health = await validateJsonlFiles([path.join(dir, 'records.jsonl')], { settings: DEFAULT_VALIDATION_SETTINGS });
      assert.equal(report.invalid, health.counts.invalid, `seed ${seed}: the report says what validation of the written records finds`);
    }
    const dir = fresh();
    const run = runRft(['extract', '--from', 'chat', '--file', file, '--into', dir, '--sample', '4', '--seed', '1']);
    const invalid = (await validateJsonlFiles([path.join(dir, 'records.jsonl')], { settings: DEFAULT_VALIDATION_SETTINGS })).counts.invalid;
    assert.ok(invalid <= 4);
    if (invalid > 0) assert.match(run.stdout, new RegExp(`\\n  ${invalid} written records have validation errors`));
    assert.equal(run.code, invalid > 0 ? 1 : 0, run.stderr);
  });

  it('failed calls are skipped by default and kept with includeFailed, marked in metadata; the choice is recorded for the next pull', async () => {
    for (const name of ['litellm.jsonl', 'helicone.jsonl']) {
      const skipped = fresh();
      const byDefault = await fromFile(fixture(name), skipped);
      assert.equal(byDefault.skipped['failed call'], 1, name);
      assert.ok(
        records(skipped).every((r) => r.metadata.failed === undefined),
        name,
      );
      const kept = fresh();
      const included = await fromFile(fixture(name), kept, { includeFailed: true });
      assert.equal(included.skipped['failed call'], undefined, name);
      assert.equal(included.written, byDefault.written + 1, name);
      assert.equal(records(kept).filter((r) => typeof r.metadata.failed === 'string').length, 1, name);
      assert.equal(((await readManifest(kept)).source?.filters as { includeFailed?: boolean }).includeFailed, true);
    }
    const preview = await previewExtraction(fileCalls(fixture('litellm.jsonl'), await adapterForFile(fixture('litellm.jsonl'), 'auto')), {});
    assert.equal(preview.skipped['failed call'], 1, 'the wizard preview counts them too');
  });

  it('cancelling leaves records.jsonl as it was', async () => {
    const dir = fresh();
    await initDataset(dir, { name: 'x' });
    fs.writeFileSync(path.join(dir, 'records.jsonl'), '{"keep":1}\n');
    const adapter = await adapterForFile(fixture('litellm.jsonl'), 'auto');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(extractTraces({ kind: adapter.kind, calls: fileCalls(fixture('litellm.jsonl'), adapter), origin: {}, filters: {}, datasetDir: dir, signal: controller.signal }));
    assert.equal(fs.readFileSync(path.join(dir, 'records.jsonl'), 'utf8'), '{"keep":1}\n');
    const temp = path.join(dir, '.rft', 'tmp');
    assert.deepEqual(fs.existsSync(temp) ? fs.readdirSync(temp) : [], [], 'no temporary file is left');
  });

  it('scan and preview show what the wizard offers', async () => {
    const adapter = await adapterForFile(fixture('litellm.jsonl'), 'auto');
    const scan = await scanCalls(fileCalls(fixture('litellm.jsonl'), adapter));
    assert.ok(scan.calls > 0 && scan.models.length > 0 && scan.earliest! <= scan.latest!);
    const preview = await previewExtraction(fileCalls(fixture('litellm.jsonl'), adapter), { limit: 3 }, 2);
    assert.equal(preview.records, 3);
    assert.equal(preview.examples.length, 2);
  });

  it('ingestFile imports chat JSONL byte for byte and extracts trace files', async () => {
    const dir = fresh();
    await initDataset(dir, { name: 'x' });
    const chat = await ingestFile(fixture('chat.jsonl'), dir);
    assert.equal(chat.as, 'records');
    assert.equal(fs.readFileSync(path.join(dir, 'records.jsonl'), 'utf8'), fs.readFileSync(fixture('chat.jsonl'), 'utf8').replace(/\n?$/, '\n'));
    const traces = await ingestFile(fixture('helicone.jsonl'), dir);
    assert.equal(traces.as, 'traces');
  });
});

describe('OpenAI stored completions source (test server)', () => {
  const tmp = useTempDir();

  it('lists, reads messages, filters by time client-side and by model/metadata on the server', async () => {
    const server = await startOpenAiTestServer();
    try {
      const day = 86_400;
      const base = Date.parse('2026-10-10T00:00:00Z') / 1000;
      for (let i = 0; i < 5; i++) {
        server.state.storeCompletion({
          model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
          created: base + i * day,
          metadata: { team: i < 3 ? 'billing' : 'sso' },
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: `Question ${i} about invoices` },
          ],
          response: `Answer ${i}`,
        });
      }
      const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL });
      const dir = path.join(tmp(), 'openai');
      const report = await extractTraces({
        kind: 'openai',
        calls: openaiStoredCalls(client, { since: '2026-10-11T00:00:00Z', tags: { team: 'billing' } }),
        origin: { baseUrl: server.baseURL },
        filters: { since: '2026-10-11T00:00:00Z', tags: { team: 'billing' } },
        datasetDir: dir,
      });
      assert.equal(report.written, 2, JSON.stringify(report));
      const written = records(dir);
      assert.deepEqual(written.map((r) => r.reference_answer).sort(), ['Answer 1', 'Answer 2']);
      assert.deepEqual(written[0].messages[0], { role: 'system', content: 'Be brief.' });
      assert.ok(
        server.requests.some((r) => r.path.includes('/chat/completions') && JSON.stringify(r.query ?? {}).includes('team')),
        'metadata filter sent to the server',
      );
    } finally {
      await server.close();
    }
  });

  it('stops at the first completion older than since only when the listing is newest first; a server ignoring order loses nothing', async () => {
    const server = await startOpenAiTestServer();
    try {
      const base = Date.parse('2026-10-10T00:00:00Z') / 1000;
      const since = new Date((base + 150 * 60) * 1000).toISOString();
      // 250 completions a minute apart, stored oldest first: three pages of 100; 100 of them at or after `since`.
      for (let i = 0; i < 250; i++) server.state.storeCompletion({ model: 'gpt-4o-mini', created: base + i * 60, messages: [{ role: 'user', content: `Question ${i}` }], response: `Answer ${i}` });
      const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL });
      const listed = async () => {
        const times = new Set<string>();
        await openaiStoredCalls(client, { since })({ call: (c) => void times.add(c.startTime!), skip: () => undefined });
        assert.ok([...times].every((time) => time >= since));
        return { calls: times.size, listRequests: server.requests.filter((r) => r.method === 'GET' && /\/chat\/completions\/?$/.test(r.path)).length };
      };
      const newestFirst = await listed();
      assert.deepEqual(newestFirst, { calls: 100, listRequests: 2 }, 'newest first: the second page reaches since, the third is not asked for');
      server.requests.length = 0;
      server.state.completions.ignoreOrder = true;
      const unordered = await listed();
      assert.deepEqual(unordered, { calls: 100, listRequests: 3 }, 'oldest first: the first page is all older than since, yet every page is read');
    } finally {
      await server.close();
    }
  });
});

describe('rft extract (child process)', () => {
  const tmp = useTempDir();

  it('prints the JSON report and exits 0; 2 for an unknown format with every format named', () => {
    const dir = path.join(tmp(), 'cli');
    const run = runRft(['extract', '--from', 'auto', '--file', fixture('requestlog.jsonl'), '--into', dir, '--name', 'logs', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report), ['read', 'converted', 'skipped', 'duplicates', 'written']);
    assert.equal(report.written, records(dir).length);
    const unknown = path.join(tmp(), 'unknown.jsonl');
    fs.writeFileSync(unknown, '{"foo":1}\n');
    const bad = runRft(['extract', '--file', unknown, '--into', path.join(tmp(), 'x')]);
    assert.equal(bad.code, 2);
    for (const kind of ['otel', 'langfuse', 'litellm', 'helicone', 'requestlog', 'chat']) assert.match(bad.stderr, new RegExp(kind));
    assert.equal(runRft(['extract', '--from', 'nope', '--into', dir]).code, 2);
    assert.equal(runRft(['extract', '--file', unknown, '--into', dir, '--since', 'yesterday']).code, 2);
  });

  it('--include-failed keeps the calls the log marks as failed', () => {
    const skipped = JSON.parse(runRft(['extract', '--file', fixture('litellm.jsonl'), '--into', path.join(tmp(), 'skipped'), '--json']).stdout);
    assert.equal(skipped.skipped['failed call'], 1);
    const kept = JSON.parse(runRft(['extract', '--file', fixture('litellm.jsonl'), '--into', path.join(tmp(), 'kept'), '--include-failed', '--json']).stdout);
    assert.equal(kept.skipped['failed call'], undefined);
    assert.equal(kept.written, skipped.written + 1);
  });
});
