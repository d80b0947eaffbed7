import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commitTopicsWithLabels, LABELS_FILE, readLabels, writeLabels } from '../../src/core/dataset/labels';
import { initDataset } from '../../src/core/dataset/initDataset';
import { exportRecords } from '../../src/core/dataset/exportRecords';
import { ModelClient } from '../../src/core/llm/modelClient';
import { buildTopics } from '../../src/core/topics/buildTopics';
import { categorizeDataset } from '../../src/core/topics/categorize';
import { coverageReport, gapOf, resolveTargets } from '../../src/core/topics/coverage';
import { LLM_FAIL_FAST } from '../../src/core/topics/llmCategorize';
import { LocalEmbedder } from '../../src/core/topics/localEmbedder';
import { normalizedMutualInformation } from '../../src/core/topics/nmi';
import { sparseDot } from '../../src/core/topics/sparseVector';
import { addTopic, deleteTopic, moveTopic, renameTopic, TopicEditError } from '../../src/core/topics/topicEdits';
import { topicsFromTemplate, templateNames } from '../../src/core/topics/templates';
import { leafPaths, parseTopicsFile, readTopicsFile, TopicsFileError, type TopicsFile } from '../../src/core/topics/topicsFile';
import { applyTopicEdit, datasetCoverage, generateTopics, importTopics, recordsFor, setCoverageTargets } from '../../src/core/topics/topicsPipeline';
import { startOpenAiTestServer } from '../support/openaiServer';
import { runRft, runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';

const SUBSET = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/public/clinc150_subset.json'), 'utf8')) as { rows: [string, string][] };
const record = (text: string, extra: Record<string, unknown> = {}) => ({ messages: [{ role: 'user', content: text }], ...extra });

/** A fresh folder under the test's temporary folder (several per test). */
const fresh = (root: string) => fs.mkdtempSync(path.join(root, 'd-'));

async function clincDataset(root: string, rows = SUBSET.rows): Promise<string> {
  const dir = fresh(root);
  await initDataset(dir, { name: 'clinc-subset' });
  fs.writeFileSync(path.join(dir, 'records.jsonl'), rows.map(([text]) => JSON.stringify(record(text))).join('\n') + '\n');
  return dir;
}

describe('topics: hierarchy from the data', () => {
  const temp = useTempDir();

  it('the local embedder is deterministic, unit-length, survives its state, and closer for texts that share words', () => {
    const texts = ['how do I reset my password', 'reset the password for my account', 'what is the weather in Paris', 'weather tomorrow in Paris', 'password reset link'];
    const a = LocalEmbedder.fit(texts);
    const b = LocalEmbedder.fromState(a.state());
    const [x, y, z] = texts.map((t) => a.embed(t));
    assert.deepEqual(Array.from(b.embed(texts[0]).val), Array.from(x.val));
    const dense = new Float32Array(a.dimensions);
    x.idx.forEach((id, q) => (dense[id] = x.val[q]));
    assert.ok(Math.abs(sparseDot(x, dense) - 1) < 1e-5);
    assert.ok(sparseDot(y, dense) > sparseDot(z, dense));
  });

  it('clustering is deterministic for a seed, finds the intents of real data, and names are stable', () => {
    const texts = SUBSET.rows.map((r) => r[0]);
    const embedder = LocalEmbedder.fit(texts);
    const vectors = texts.map((t) => embedder.embed(t));
    const first = buildTopics(texts, vectors, embedder.dimensions, { leaves: 20, seed: 7 });
    const second = buildTopics(texts, vectors, embedder.dimensions, { leaves: 20, seed: 7 });
    const shape = (topics: typeof first) => topics.map((t) => [t.name, t.children.map((c) => [c.name, c.members])]);
    assert.deepEqual(shape(first), shape(second));
    const leafOf: string[] = [];
    for (const topic of first) for (const leaf of topic.leaf ? [topic.leaf] : topic.children) for (const i of leaf.members) leafOf[i] = leaf.name;
    assert.equal(leafOf.filter((x) => x !== undefined).length, texts.length, 'every record is in one leaf');
    const nmi = normalizedMutualInformation(
      leafOf,
      SUBSET.rows.map((r) => r[1]),
    );
    assert.ok(nmi > 0.7, `NMI ${nmi} on 20 CLINC intents`);
    for (const name of first.flatMap((t) => [t.name, ...t.children.map((c) => c.name)])) assert.match(name, /^[a-z0-9_]+$/);
  });

  it('rft topics writes topics.json, categorizes every record, and gives the same names on a re-run', async () => {
    const dir = await clincDataset(temp());
    const run = runRft(['topics', dir, '--leaves', '20', '--seed', '3', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.total, 600);
    assert.equal(summary.categorized, 600);
    assert.equal(summary.leaves, 20);
    const topics = await readTopicsFile(dir);
    assert.equal(topics?.source, 'auto');
    assert.equal(runRft(['topics', dir, '--leaves', '20', '--seed', '3', '--json']).code, 0);
    assert.deepEqual((await readTopicsFile(dir))?.topics, topics?.topics);
    const { labels } = await readLabels(dir);
    assert.equal(labels.size, 600);
    for (const label of labels.values()) {
      assert.ok(leafPaths(topics!).includes(label.topic));
      assert.ok(label.confidence >= 0 && label.confidence <= 1);
      assert.equal(label.method, 'embedding');
    }
  });

  it('confidence is calibrated: placements at ≥ 0.7 are right far more often than those below', async () => {
    const dir = await clincDataset(temp());
    await generateTopics(dir, { leaves: 20, seed: 1 });
    const { labels } = await readLabels(dir);
    const texts = SUBSET.rows.map((r) => r[0]);
    // "right" = the record's true intent is the majority intent of the topic it was placed in
    const intentsByTopic = new Map<string, string[]>();
    const keyOf = new Map((await recordsFor(dir, { kind: 'lowConfidence' }, 10_000)).records.map((r) => [r.text, r]));
    const all = [...labels.values()];
    assert.equal(all.length, texts.length);
    const byKey = new Map<string, string>();
    const { records } = await recordsFor(dir, { kind: 'topic', path: '' }, 10_000);
    assert.equal(records.length, 0, 'an empty path matches no topic');
    for (const topic of leafPaths((await readTopicsFile(dir))!))
      for (const r of (await recordsFor(dir, { kind: 'topic', path: topic }, 10_000)).records) byKey.set(r.key, SUBSET.rows.find(([text]) => text === r.text.split('\n')[0])![1]);
    for (const label of all) intentsByTopic.set(label.topic, [...(intentsByTopic.get(label.topic) ?? []), byKey.get(label.key)!]);
    const majority = new Map([...intentsByTopic].map(([topic, intents]) => [topic, mostCommon(intents)]));
    const accuracy = (list: typeof all) => list.filter((l) => majority.get(l.topic) === byKey.get(l.key)).length / Math.max(1, list.length);
    const high = all.filter((l) => l.confidence >= 0.7);
    const low = all.filter((l) => l.confidence < 0.7);
    assert.ok(high.length > 0 && low.length > 0, `${high.length} high, ${low.length} low`);
    assert.ok(accuracy(high) >= 0.7, `accuracy at ≥ 0.7: ${accuracy(high)}`);
    assert.ok(accuracy(high) > accuracy(low) + 0.2, `${accuracy(high)} vs ${accuracy(low)}`);
    assert.equal(keyOf.size, low.length, 'View Low Confidence lists exactly the records below 0.7');
  });

  it('regenerate clears automatic labels and keeps manual ones; a record’s own metadata.topic wins', async () => {
    const dir = await clincDataset(temp());
    await generateTopics(dir, { leaves: 10, seed: 1 });
    const before = (await readLabels(dir)).labels;
    const [someKey] = before.keys();
    const leaves = leafPaths((await readTopicsFile(dir))!);
    await writeLabels(
      dir,
      [...before.values()].map((l) => (l.key === someKey ? { ...l, topic: leaves[leaves.length - 1], confidence: 1, method: 'manual' as const } : l)),
    );
    const regenerated = await generateTopics(dir, { leaves: 12, seed: 2 });
    const after = (await readLabels(dir)).labels;
    assert.equal(after.get(someKey)?.method, 'manual');
    assert.equal(after.get(someKey)?.topic, leaves[leaves.length - 1], 'kept even if the new hierarchy has no such leaf');
    assert.equal(regenerated.categorized.unknownOwnTopics, leafPaths(regenerated.topics).includes(leaves[leaves.length - 1]) ? 0 : 1);
    assert.equal([...after.values()].filter((l) => l.method === 'manual').length, 1);
    fs.appendFileSync(path.join(dir, 'records.jsonl'), `${JSON.stringify(record('book me a table for two', { metadata: { topic: leaves[0] } }))}\n`);
    const result = await categorizeDataset(dir);
    assert.equal(result.placed, 0, 'the record names its own topic; nothing else changed');
    assert.equal(result.manual, 2);
    assert.equal((await readLabels(dir)).labels.size, 601);
  });

  it('appended and edited records are uncategorized until Categorize, which places only them', async () => {
    const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 300));
    await generateTopics(dir, { leaves: 10 });
    fs.appendFileSync(
      path.join(dir, 'records.jsonl'),
      SUBSET.rows
        .slice(300, 350)
        .map(([text]) => JSON.stringify(record(text)))
        .join('\n') + '\n',
    );
    const pending = await datasetCoverage(dir);
    assert.equal(pending?.uncategorized, 50);
    assert.equal((await recordsFor(dir, { kind: 'uncategorized' })).total, 50);
    const result = await categorizeDataset(dir);
    assert.equal(result.placed, 50);
    assert.equal(result.categorized, 350);
    assert.equal((await datasetCoverage(dir))?.uncategorized, 0);
  });

  it('templates: at least four, valid, records matched by the topics’ text', async () => {
    assert.ok(templateNames().length >= 4);
    for (const { name } of templateNames()) assert.ok(leafPaths(topicsFromTemplate(name)).length >= 8, name);
    const dir = fresh(temp());
    await initDataset(dir, { name: 'support' });
    fs.writeFileSync(
      path.join(dir, 'records.jsonl'),
      ['I was charged twice, please refund my money', 'I cannot log in, password reset link does not work', 'Where is my order? The tracking says it is late', 'How do I export my data to CSV?']
        .map((t) => JSON.stringify(record(t)))
        .join('\n') + '\n',
    );
    const result = await generateTopics(dir, { template: 'customer-support' });
    assert.equal(result.categorized.categorized, 4);
    const labels = [...(await readLabels(dir)).labels.values()];
    assert.ok(labels.every((l) => l.method === 'keyword'));
    const topicOf = async (text: string) => (await recordsFor(dir, { kind: 'topic', path: 'billing' })).records.some((r) => r.text.startsWith(text));
    assert.ok(await topicOf('I was charged twice'));
  });

  it('the LLM pass re-places low-confidence records through the client layer (local test server)', async () => {
    const server = await startOpenAiTestServer();
    try {
      const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 120));
      await generateTopics(dir, { leaves: 4 });
      const leaves = leafPaths((await readTopicsFile(dir))!);
      server.onChat((request) => (JSON.stringify(request.messages).includes('sort user requests') ? { content: { topic: leaves[0], confidence: 0.95 } } : undefined));
      const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL });
      const low = (await datasetCoverage(dir))!.lowConfidence;
      const result = await categorizeDataset(dir, { llm: { client, model: 'gpt-test' } });
      assert.ok(low > 0);
      assert.equal(result.llmReviewed, low);
      assert.equal([...(await readLabels(dir)).labels.values()].filter((l) => l.method === 'llm' && l.topic === leaves[0]).length, low);
    } finally {
      await server.close();
    }
  });
});

describe('topics: a failing LLM pass is said, and stops early (local test server, fault injection)', () => {
  const temp = useTempDir();
  const env = (server: { apiKey: string; baseURL: string }) => ({ ...process.env, OPENAI_API_KEY: server.apiKey, OPENAI_BASE_URL: server.baseURL });

  it('rft categorize --llm with every call failing stops after LLM_FAIL_FAST calls and exits 1 naming the failure', async () => {
    const server = await startOpenAiTestServer();
    try {
      const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 150));
      await generateTopics(dir, { leaves: 4 });
      const low = (await datasetCoverage(dir))?.lowConfidence ?? 0;
      fs.rmSync(path.join(dir, LABELS_FILE));
      assert.ok(low > LLM_FAIL_FAST + 8, `enough low-confidence records to tell stopping from finishing (${low})`);
      server.fault({ path: '/chat/completions' }, { kind: 'malformed' }, 1000);
      const run = await runRftAsync(['categorize', dir, '--llm', '--model', 'gpt-test', '--json'], { env: env(server) });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /LLM review with gpt-test failed \(stopped after \d+ failed calls with none answered\): .*JSON/);
      const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
      assert.ok(chats >= LLM_FAIL_FAST && chats < low, `stopped early: ${chats} calls for ${low} records`);
      const json = JSON.parse(run.stdout) as { llmReviewed: number; llmFailed: number; llmError: string; categorized: number };
      assert.equal(json.llmReviewed, 0);
      assert.ok(json.llmFailed >= LLM_FAIL_FAST);
      assert.match(json.llmError, /JSON/);
      assert.equal(json.categorized, 150, 'the embedding placements are kept');
    } finally {
      await server.close();
    }
  });

  it('rft topics --labels llm says when naming failed: all failed is exit 1 (keyword names kept), some is a warning', async () => {
    const server = await startOpenAiTestServer();
    try {
      const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 150));
      server.fault({ path: '/chat/completions' }, { kind: 'status', status: 401, message: 'Incorrect API key provided' }, 1000);
      const failed = await runRftAsync(['topics', dir, '--leaves', '4', '--top', '2', '--labels', 'llm', '--model', 'gpt-test', '--json'], { env: env(server) });
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stderr, /--labels llm named no topic: all \d+ calls to gpt-test failed \(first: 401 Incorrect API key provided\); topics\.json has the keyword names instead/);
      const json = JSON.parse(failed.stdout) as { labelsAsked: number; labelsFailed: number; labelsError: string; categorized: number };
      assert.ok(json.labelsAsked > 0);
      assert.equal(json.labelsFailed, json.labelsAsked);
      assert.match(json.labelsError, /Incorrect API key/);
      assert.equal(json.categorized, 150, 'the keyword-named topics are written and the records placed');
      server.reset();
      server.onChat((request) => (JSON.stringify(request.messages).includes('You name clusters') ? { content: { name: 'travel_plans', description: 'Trips.', keywords: ['trip'] } } : undefined));
      server.fault({ path: '/chat/completions' }, { kind: 'status', status: 400, message: 'content policy' }, 1);
      const some = await runRftAsync(['topics', dir, '--leaves', '4', '--top', '2', '--labels', 'llm', '--model', 'gpt-test'], { env: env(server) });
      assert.equal(some.code, 0, some.stderr);
      assert.match(some.stderr, /warning: 1 of \d+ topic-naming calls to gpt-test failed \(first: 400 content policy\); those topics keep their keyword names/);
    } finally {
      await server.close();
    }
  });

  it('rft categorize --llm with some calls failing keeps going, warns with the count and the first error, exits 0', async () => {
    const server = await startOpenAiTestServer();
    try {
      const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 150));
      await generateTopics(dir, { leaves: 4 });
      const leaves = leafPaths((await readTopicsFile(dir))!);
      fs.rmSync(path.join(dir, LABELS_FILE));
      server.onChat((request) => (JSON.stringify(request.messages).includes('sort user requests') ? { content: { topic: leaves[0], confidence: 0.9 } } : undefined));
      server.fault({ path: '/chat/completions' }, { kind: 'status', status: 400, message: 'content policy' }, 3);
      const run = await runRftAsync(['categorize', dir, '--llm', '--model', 'gpt-test'], { env: env(server) });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /warning: 3 of \d+ LLM calls to gpt-test failed \(first: 400 content policy\)/);
      assert.match(run.stdout, /reviewed by the LLM/);
    } finally {
      await server.close();
    }
  });
});

describe('topics: the LLM label pass and the embeddings endpoint (local test server)', () => {
  const temp = useTempDir();

  it('--labels llm names every topic through the chat model; a failed call keeps the keyword label', async () => {
    const server = await startOpenAiTestServer();
    try {
      let calls = 0;
      server.onChat((request) => {
        if (!JSON.stringify(request.messages).includes('You name clusters')) return undefined;
        calls++;
        return calls === 2
          ? { error: { status: 400, message: 'content policy', code: 'content_filter' } }
          : { content: { name: 'travel_plans', description: 'Trips and bookings.', keywords: ['trip'] } };
      });
      const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 150));
      const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL });
      const result = await generateTopics(dir, { leaves: 4, top: 2, labels: 'llm', client, chatModel: 'gpt-test' });
      const names = result.topics.topics.flatMap((t) => [t.name, ...(t.children ?? []).map((c) => c.name)]);
      assert.equal(calls, names.length, 'one call per topic and leaf');
      assert.ok(names.includes('travel_plans'));
      assert.ok(
        names.some((n) => n.startsWith('travel_plans_')),
        'names stay unique',
      );
      assert.ok(
        names.some((n) => !n.startsWith('travel_plans')),
        'the failed call kept its keyword label',
      );
      assert.equal(result.categorized.categorized, 150, 'centroids followed the new names');
    } finally {
      await server.close();
    }
  });

  it('--embedder openai embeds through the client layer, and the cache embeds only new records on a re-run', async () => {
    const server = await startOpenAiTestServer();
    try {
      const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 60));
      const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL });
      await generateTopics(dir, { leaves: 3, embedder: 'openai', embeddingModel: 'text-embedding-3-small', embeddingDimensions: 1536, client });
      const embedded = () => server.requests.filter((r) => r.path.endsWith('/embeddings')).length;
      const first = embedded();
      assert.ok(first >= 1);
      assert.equal((await readTopicsFile(dir))?.embedder, 'openai');
      await generateTopics(dir, { leaves: 3, embedder: 'openai', embeddingModel: 'text-embedding-3-small', embeddingDimensions: 1536, client });
      assert.equal(embedded(), first, 'everything came from the cache');
      fs.appendFileSync(path.join(dir, 'records.jsonl'), `${JSON.stringify(record('a brand new question about my flight'))}\n`);
      const result = await categorizeDataset(dir, { client });
      assert.equal(result.placed, 1);
      assert.equal(embedded(), first + 1, 'only the new record was embedded');
    } finally {
      await server.close();
    }
  });
});

describe('topics: editing the hierarchy', () => {
  const temp = useTempDir();
  const file: TopicsFile = parseTopicsFile(JSON.stringify({ topics: [{ name: 'billing', children: [{ name: 'refunds' }, { name: 'invoices' }] }, { name: 'account' }] }));

  it('add, rename, delete and move, with how leaf paths changed', () => {
    const added = addTopic(file, 'sso', { parent: 'account' });
    assert.deepEqual(leafPaths(added.file), ['billing/refunds', 'billing/invoices', 'account/sso']);
    assert.deepEqual([...added.renamed], [['account', undefined]], 'account stopped being a leaf');
    const renamed = renameTopic(file, 'billing', 'payments');
    assert.deepEqual(
      [...renamed.renamed],
      [
        ['billing/refunds', 'payments/refunds'],
        ['billing/invoices', 'payments/invoices'],
      ],
    );
    assert.equal(renamed.file.source, 'manual');
    assert.deepEqual([...renameTopic(file, 'billing/refunds', 'chargebacks').renamed], [['billing/refunds', 'billing/chargebacks']]);
    assert.deepEqual([...deleteTopic(file, 'billing/invoices').renamed], [['billing/invoices', undefined]]);
    const moved = moveTopic(file, 'billing/refunds', 'account');
    assert.deepEqual(leafPaths(moved.file), ['billing/invoices', 'account/refunds']);
    assert.equal(moved.renamed.get('billing/refunds'), 'account/refunds');
  });

  it('refuses duplicates, slashes and unknown topics with a clear message', () => {
    assert.throws(() => addTopic(file, 'billing'), /exists already/);
    assert.throws(() => addTopic(file, 'a/b'), /cannot contain "\/"/);
    assert.throws(() => renameTopic(file, 'nope', 'x'), TopicEditError);
    assert.throws(() => moveTopic(file, 'billing', 'account'), /only a subtopic/);
    assert.throws(
      () => parseTopicsFile('{"topics":[{"name":"a"},{"name":"a"}]}'),
      (error: Error) => error instanceof TopicsFileError && /topics\.1\.name: duplicate topic "a"/.test(error.message),
    );
    assert.throws(() => parseTopicsFile('{"topics":'), /not valid JSON/);
  });

  it('labels follow a rename and are dropped with a deleted leaf; import keeps or clears assignments', async () => {
    const dir = fresh(temp());
    await initDataset(dir, { name: 'edits' });
    fs.writeFileSync(path.join(dir, 'topics.json'), JSON.stringify(file));
    await writeLabels(dir, [
      { key: 'a'.repeat(16), topic: 'billing/refunds', confidence: 0.9, method: 'embedding' },
      { key: 'b'.repeat(16), topic: 'billing/invoices', confidence: 0.9, method: 'manual' },
    ]);
    await applyTopicEdit(dir, renameTopic(file, 'billing/refunds', 'chargebacks'));
    assert.equal((await readLabels(dir)).labels.get('a'.repeat(16))?.topic, 'billing/chargebacks');
    const current = (await readTopicsFile(dir))!;
    await applyTopicEdit(dir, deleteTopic(current, 'billing/invoices'));
    assert.equal((await readLabels(dir)).labels.has('b'.repeat(16)), false);
    const exported = path.join(fresh(temp()), 'topics-export.json');
    assert.equal(runRft(['topics', dir, '--export', exported]).code, 0);
    await writeLabels(dir, [
      { key: 'c'.repeat(16), topic: 'account', confidence: 0.8, method: 'embedding' },
      { key: 'd'.repeat(16), topic: 'account', confidence: 1, method: 'manual' },
    ]);
    await importTopics(dir, exported, { keepAssignments: false });
    assert.deepEqual([...(await readLabels(dir)).labels.keys()], ['d'.repeat(16)]);
    assert.equal((await readTopicsFile(dir))?.source, 'imported');
  });
});

describe('coverage', () => {
  const temp = useTempDir();
  const topics = parseTopicsFile(
    JSON.stringify({
      topics: [
        { name: 'billing', children: [{ name: 'refunds' }, { name: 'invoices' }] },
        { name: 'account', children: [{ name: 'sso' }, { name: 'cancel' }] },
      ],
    }),
  );
  const label = (topic: string, confidence = 0.9, n = 1) =>
    Array.from({ length: n }, (_, i) => ({ key: `${topic}${i}`.padEnd(16, '0').slice(0, 16), topic, confidence, method: 'embedding' as const }));

  it('counts, shares, uniform targets, gaps and the balance rating at both levels', () => {
    const report = coverageReport(topics, [...label('billing/refunds', 0.9, 40), ...label('billing/invoices', 0.5, 30), ...label('account/sso', 0.9, 20), ...label('account/cancel', 0.9, 10)], 110);
    assert.equal(report.categorized, 100);
    assert.equal(report.uncategorized, 10);
    assert.equal(report.lowConfidence, 30);
    assert.deepEqual(
      report.topics.map((t) => [t.path, t.count, t.share, t.target, t.gap]),
      [
        ['billing/refunds', 40, 0.4, 0.25, 0],
        ['billing/invoices', 30, 0.3, 0.25, 0],
        ['account/sso', 20, 0.2, 0.25, 5],
        ['account/cancel', 10, 0.1, 0.25, 15],
      ],
    );
    assert.equal(report.balance, 0.25);
    assert.equal(report.rating, 'poor');
    assert.deepEqual(
      report.tree.map((t) => [t.path, t.count, t.share, t.target, t.gap]),
      [
        ['billing', 70, 0.7, 0.5, 0],
        ['account', 30, 0.3, 0.5, 20],
      ],
    );
  });

  it('a topic with 0 records makes the balance 0; even topics are good', () => {
    const empty = coverageReport(topics, [...label('billing/refunds', 0.9, 5), ...label('billing/invoices', 0.9, 5), ...label('account/sso', 0.9, 5)], 15);
    assert.equal(empty.balance, 0);
    assert.equal(empty.topics.find((t) => t.path === 'account/cancel')?.gap, 4);
    const even = coverageReport(
      topics,
      ['billing/refunds', 'billing/invoices', 'account/sso', 'account/cancel'].flatMap((t) => label(t, 0.9, 10)),
      40,
    );
    assert.deepEqual([even.balance, even.rating], [1, 'good']);
    assert.equal(coverageReport(topics, [], 0).balance, 0);
  });

  it('targets: leaf targets, a parent target spread over its leaves, the rest shared; too much is scaled down', () => {
    assert.deepEqual(Object.fromEntries(resolveTargets(topics, { 'billing/refunds': 0.4 })), { 'billing/refunds': 0.4, 'billing/invoices': 0.2, 'account/sso': 0.2, 'account/cancel': 0.2 });
    assert.deepEqual(Object.fromEntries(resolveTargets(topics, { account: 0.6 })), { 'billing/refunds': 0.2, 'billing/invoices': 0.2, 'account/sso': 0.3, 'account/cancel': 0.3 });
    const over = resolveTargets(topics, { 'billing/refunds': 0.9, 'billing/invoices': 0.9 });
    assert.ok(Math.abs([...over.values()].reduce((a, b) => a + b, 0) - 1) < 1e-3);
    assert.equal(gapOf(0.2, 892, 11892), 1486);
  });

  it('rft coverage --json has the documented shape and follows targets saved in rft.json; export carries the topic', async () => {
    const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 200));
    assert.equal(runRft(['topics', dir, '--leaves', '6', '--json']).code, 0);
    const first = JSON.parse(runRft(['coverage', dir, '--json']).stdout);
    assert.deepEqual(Object.keys(first), ['total', 'categorized', 'lowConfidence', 'balance', 'rating', 'topics', 'parents']);
    assert.deepEqual(Object.keys(first.topics[0]), ['path', 'count', 'share', 'target', 'gap']);
    assert.equal(first.total, 200);
    assert.equal(
      first.topics.reduce((sum: number, t: { count: number }) => sum + t.count, 0),
      first.categorized,
    );
    await setCoverageTargets(dir, { [first.topics[0].path]: 0.5 });
    const second = JSON.parse(runRft(['coverage', dir, '--json']).stdout);
    assert.equal(second.topics[0].target, 0.5);
    assert.equal(second.topics[0].gap, Math.max(0, Math.round(0.5 * second.categorized - second.topics[0].count)));
    const out = path.join(fresh(temp()), 'export.jsonl');
    await exportRecords(dir, out);
    const exported = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const leafSet = new Set(first.topics.map((t: { path: string }) => t.path));
    assert.ok(exported.every((r) => leafSet.has(r.metadata.topic)));
    assert.ok(exported.every((r) => typeof r.metadata.topic_confidence === 'number'));
    assert.match(runRft(['coverage', fresh(temp())]).stderr, /not a dataset/);
    const bare = fresh(temp());
    await initDataset(bare, { name: 'bare' });
    const noTopics = runRft(['coverage', bare]);
    assert.equal(noTopics.code, 2);
    assert.match(noTopics.stderr, /no topics yet/);
  });
});

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

describe('embeddings cache', () => {
  const temp = useTempDir();

  it('appends new entries, survives a torn last line, and rewrites when entries are dropped', async () => {
    const { EmbeddingCache } = await import('../../src/core/topics/embeddingCache');
    const { sparseFromEntries } = await import('../../src/core/topics/sparseVector');
    const dir = fs.mkdtempSync(path.join(temp(), 'd-'));
    const vector = (x: number) =>
      sparseFromEntries([
        [0, x],
        [3, 1],
      ]);
    const first = await EmbeddingCache.open(dir, 'local:test');
    first.set('a', vector(1));
    first.set('b', vector(2));
    await first.save();
    const [file] = fs.readdirSync(path.join(dir, '.rft/cache/embeddings')).map((name) => path.join(dir, '.rft/cache/embeddings', name));
    fs.appendFileSync(file, '{"k":"torn","v":"AAAA'); // a crash mid-append
    const second = await EmbeddingCache.open(dir, 'local:test');
    assert.equal(second.size, 2);
    assert.deepEqual(Array.from(second.get('b')!.val), Array.from(vector(2).val));
    second.set('c', vector(3));
    await second.save();
    const third = await EmbeddingCache.open(dir, 'local:test');
    assert.equal(third.size, 2, 'the entry appended after the torn line is lost, not the others');
    assert.ok(third.get('a') && third.get('b'));
    await third.save(new Set(['a']));
    const fourth = await EmbeddingCache.open(dir, 'local:test');
    assert.deepEqual([fourth.size, fourth.get('a') !== undefined], [1, true]);
    assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 1, 'rewritten cleanly');
  });
});

describe('topics: the hierarchy and the labels change together', () => {
  const temp = useTempDir();
  const hierarchy = (names: string[]): TopicsFile => ({ version: 1, source: 'manual', topics: names.map((name) => ({ name })) });
  const label = (key: string, topic: string) => ({ key: key.repeat(16), topic, confidence: 0.9, method: 'embedding' as const });

  async function labelledDataset(): Promise<string> {
    const dir = await clincDataset(temp(), SUBSET.rows.slice(0, 40));
    await generateTopics(dir, { template: 'customer-support' });
    return dir;
  }
  const snapshot = (dir: string) => ['topics.json', LABELS_FILE].map((name) => fs.readFileSync(path.join(dir, name)));

  it('rft topics --import refuses an empty, invalid or duplicate hierarchy with a located message, exit 2, files untouched', async function () {
    this.timeout(120_000);
    const dir = await labelledDataset();
    const before = snapshot(dir);
    const cases: [string, unknown, RegExp][] = [
      ['empty.json', { topics: [] }, /empty\.json: topics: an import needs at least one topic/],
      ['dup.json', { topics: [{ name: 'billing' }, { name: 'billing' }] }, /dup\.json: topics\.1\.name: duplicate topic "billing"/],
      ['dupleaf.json', { topics: [{ name: 'billing', children: [{ name: 'refunds' }, { name: 'refunds' }] }] }, /dupleaf\.json: topics\.0\.children\.1\.name: duplicate subtopic "billing\/refunds"/],
      ['slash.json', { topics: [{ name: 'a/b' }] }, /slash\.json: topics\.0\.name: a topic name cannot contain "\/"/],
      ['notopics.json', { version: 1 }, /notopics\.json: topics: /],
    ];
    for (const [name, content, message] of cases) {
      const file = path.join(temp(), name);
      fs.writeFileSync(file, JSON.stringify(content));
      const run = runRft(['topics', dir, '--import', file]);
      assert.equal(run.code, 2, `${name}: ${run.stdout}`);
      assert.match(run.stderr, message, name);
      assert.doesNotMatch(run.stdout, /no topics yet/);
      snapshot(dir).forEach((bytes, i) => assert.deepEqual(bytes, before[i], `${name}: file ${i} untouched`));
    }
    const broken = path.join(temp(), 'broken.json');
    fs.writeFileSync(broken, '{"topics": [');
    await assert.rejects(importTopics(dir, broken, { keepAssignments: false }), /broken\.json is not valid JSON/);
    await assert.rejects(importTopics(dir, path.join(temp(), 'missing.json'), { keepAssignments: false }), /cannot read .*missing\.json: ENOENT/);
    snapshot(dir).forEach((bytes, i) => assert.deepEqual(bytes, before[i]));
  });

  it('a failure while categorizing leaves the old topics.json with its labels (it used to write topics.json first)', async function () {
    this.timeout(120_000);
    const dir = await labelledDataset();
    const before = snapshot(dir);
    const onProgress = (message: string) => {
      if (message.startsWith('Placing')) throw new Error('stopped while categorizing');
    };
    await assert.rejects(generateTopics(dir, { leaves: 4, onProgress }), /stopped while categorizing/);
    snapshot(dir).forEach((bytes, i) => assert.deepEqual(bytes, before[i], `file ${i} untouched`));
  });

  it('a kill between the two renames is settled by the next read: the labels that belong to topics.json', async () => {
    const dir = fresh(temp());
    await initDataset(dir, { name: 'commit' });
    await commitTopicsWithLabels(dir, `${JSON.stringify(hierarchy(['old']))}\n`, [label('a', 'old')]);
    const newTopics = `${JSON.stringify(hierarchy(['new']))}\n`;
    const killed = () => {
      throw new Error('killed after topics.json');
    };
    await assert.rejects(commitTopicsWithLabels(dir, newTopics, [label('a', 'new')], { afterTopics: killed }), /killed after topics\.json/);
    assert.equal(fs.readFileSync(path.join(dir, 'topics.json'), 'utf8'), newTopics);
    assert.equal((await readLabels(dir)).labels.get('a'.repeat(16))?.topic, 'new', 'the pending labels were committed');
    assert.deepEqual(
      fs.readdirSync(path.join(dir, '.rft')).filter((name) => name.includes('pending')),
      [],
    );
    // killed before topics.json was replaced: the pending labels belong to a hierarchy that never came, and go
    fs.writeFileSync(path.join(dir, '.rft', 'labels.pending.0123456789abcdef.jsonl'), `${JSON.stringify(label('a', 'other'))}\n`);
    const old = new Date(Date.now() - 5 * 60_000);
    fs.utimesSync(path.join(dir, '.rft', 'labels.pending.0123456789abcdef.jsonl'), old, old);
    assert.equal((await readLabels(dir)).labels.get('a'.repeat(16))?.topic, 'new');
    assert.deepEqual(
      fs.readdirSync(path.join(dir, '.rft')).filter((name) => name.includes('pending')),
      [],
    );
  });
});
