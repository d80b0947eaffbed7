import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetHealth } from '../../src/core/dataset/healthCache';
import { readLabels } from '../../src/core/dataset/labels';
import { forEachValidRecord } from '../../src/core/dataset/validRecords';
import { estimateGeneration, gapTargets, GenerateError, generateRecords, planProgress, readGenerationFile, type GenerateProgress } from '../../src/core/generate';
import { NoTopicsError } from '../../src/core/topics/categorize';
import { writeTopicsFile, readTopicsFile } from '../../src/core/topics/topicsFile';
import { initDataset } from '../../src/core/dataset/initDataset';
import { recordKey } from '../../src/core/validation/recordKey';
import { DEFAULT_VALIDATION_SETTINGS } from '../../src/core/validation/settings';
import { generationHandler, generationAskOf } from '../support/generationScript';
import { useOpenAiTestServer } from '../support/openaiServer';
import { useTempDir } from '../support/tempDir';
import { generatedLines, generationDataset, recordOf, testClient, userText } from './generateSupport';

const MODEL = 'gpt-4o-mini';
const requestText = (body: unknown) => ((body as { messages: { content: string }[] }).messages ?? []).map((m) => m.content).join('\n');

describe('generation: the loop (src/core/generate) against the test server', function () {
  this.timeout(60_000);
  const temp = useTempDir();
  const server = useOpenAiTestServer();

  it('lands valid records in their topics: appended to generated.jsonl with metadata.generated and labels; records.jsonl untouched', async () => {
    const fixture = await generationDataset(temp());
    const [flights, calories] = [fixture.topicOf.book_flight, fixture.topicOf.calories];
    const recordsBefore = fs.readFileSync(path.join(fixture.dir, 'records.jsonl'));
    assert.equal((await datasetHealth(fixture.dir, DEFAULT_VALIDATION_SETTINGS)).health.counts.valid, 80);
    server().onChat(generationHandler({ pools: fixture.pools, referenceAnswer: (text) => `An answer to: ${text}` }));
    const events: GenerateProgress[] = [];
    const result = await generateRecords(
      fixture.dir,
      [
        { topic: flights, count: 6 },
        { topic: calories, count: 4 },
      ],
      { client: testClient(server()), model: MODEL, seed: 7, onProgress: (event) => events.push(event) },
    );
    assert.equal(result.stopped, 'target', result.reason);
    assert.deepEqual([result.requested, result.written, result.invalid, result.failedRequests], [10, 10, 0, 0]);
    assert.deepEqual(
      result.byTopic.map((t) => [t.topic, t.requested, t.written]),
      [
        [flights, 6, 6],
        [calories, 4, 4],
      ],
    );
    assert.ok(result.tokens > 0 && result.costUsd !== null && result.costUsd > 0);
    assert.deepEqual(fs.readFileSync(path.join(fixture.dir, 'records.jsonl')), recordsBefore, 'records.jsonl is never written');
    const lines = generatedLines(fixture.dir);
    assert.equal(lines.length, 10);
    const { labels } = await readLabels(fixture.dir);
    const existingKeys = new Set<string>();
    await forEachValidRecord(fixture.dir, ({ key, file }) => void (file.endsWith('records.jsonl') && existingKeys.add(key)));
    for (const record of lines) {
      const meta = (record.metadata as { generated: Record<string, unknown> }).generated;
      assert.deepEqual(Object.keys(meta).sort(), ['at', 'model', 'seeds', 'strategy', 'topic']);
      assert.equal(meta.strategy, 'few-shot');
      assert.equal(meta.model, MODEL);
      assert.ok(!Number.isNaN(Date.parse(meta.at as string)));
      assert.ok((meta.seeds as string[]).length > 0 && (meta.seeds as string[]).every((key) => existingKeys.has(key)), 'seeds are keys of the dataset records shown as examples');
      assert.ok(fixture.pools[meta.topic as string].includes(userText(record)));
      assert.equal(record.reference_answer, `An answer to: ${userText(record)}`);
      const line = JSON.stringify(record);
      const label = labels.get(recordKey(record, line));
      assert.equal(label?.topic, meta.topic, 'labelled in the topic it landed in');
      assert.equal(label?.method, 'embedding');
    }
    const written = events.filter((e) => e.kind === 'candidate' && e.preview.outcome === 'written');
    assert.deepEqual(
      written.map((e) => (e.kind === 'candidate' ? e.preview.line : 0)).sort((a, b) => a! - b!),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(events[0].kind, 'started');
    assert.equal(events.at(-1)?.kind, 'finished');
    const flightPrompts = server()
      .requests.filter((r) => generationAskOf({ messages: (r.body as { messages: never[] }).messages } as never)?.topic === flights)
      .map((r) => requestText(r.body));
    assert.ok(
      flightPrompts.every((text) => fixture.existing[flights].some((example) => text.includes(example))),
      'few-shot examples come from the topic',
    );
    assert.ok(
      flightPrompts.every((text) => !fixture.existing[calories].some((example) => text.includes(example))),
      'and from no other topic',
    );
    const health = await datasetHealth(fixture.dir, DEFAULT_VALIDATION_SETTINGS);
    assert.equal(health.fromCache, false, 'the health cache sees the new file');
    assert.equal(health.health.counts.valid, 80 + 10);
  });

  it('rejects exact duplicates (of existing records and of earlier candidates) and near-duplicates', async () => {
    const fixture = await generationDataset(temp());
    const topic = fixture.topicOf.book_flight; // its 10 unused utterances are all distinct enough to land
    const [a, b] = fixture.existing[topic];
    const fresh = fixture.pools[topic];
    const pools = { ...fixture.pools, [topic]: [a, fresh[0], fresh[0], `${b} please`, fresh[1], fresh[2], `${fresh[1].toUpperCase()}?`, ...fresh.slice(3)] };
    server().onChat(generationHandler({ pools }));
    const result = await generateRecords(fixture.dir, [{ topic, count: 5 }], { client: testClient(server()), model: MODEL, concurrency: 1 });
    assert.equal(result.stopped, 'target');
    assert.equal(result.duplicates, 2, 'a record of the dataset, and a repeat within the run');
    assert.equal(result.nearDuplicates, 2, 'a copy with a filler word, and a generated record shouted back');
    const texts = generatedLines(fixture.dir).map(userText);
    assert.deepEqual(texts, [fresh[0], fresh[1], fresh[2], fresh[3], fresh[4]]);
  });

  it('off-target records are rejected, or kept with their real topic on request', async () => {
    const fixture = await generationDataset(temp());
    const [flights, calories] = [fixture.topicOf.book_flight, fixture.topicOf.calories];
    server().onChat(generationHandler({ pools: fixture.pools, behaviour: 'offTopic', offTopicFrom: () => calories }));
    const rejected = await generateRecords(fixture.dir, [{ topic: flights, count: 3 }], { client: testClient(server()), model: MODEL, concurrency: 1 });
    assert.equal(rejected.written, 0);
    assert.ok(rejected.offTarget >= 3);
    assert.equal(rejected.stopped, 'budget');
    assert.match(rejected.reason, /keeps repeating itself|request budget/);
    assert.equal(generatedLines(fixture.dir).length, 0);

    server().onChat(generationHandler({ pools: fixture.pools, behaviour: 'offTopic', offTopicFrom: () => calories }));
    const kept = await generateRecords(fixture.dir, [{ topic: flights, count: 3 }], { client: testClient(server()), model: MODEL, concurrency: 1, keepOffTarget: true, maxRequests: 1, perRequest: 3 });
    assert.deepEqual([kept.written, kept.offTarget, kept.byTopic[0].keptOffTarget, kept.byTopic[0].written], [3, 3, 3, 0]);
    assert.equal(kept.stopped, 'budget', 'kept off-target records do not fill the target');
    const { labels } = await readLabels(fixture.dir);
    for (const record of generatedLines(fixture.dir)) {
      assert.equal((record.metadata as { generated: { topic: string } }).generated.topic, flights);
      assert.equal(labels.get(recordKey(record, JSON.stringify(record)))?.topic, calories);
    }
  });

  it('invalid records are counted by validation code and never written', async () => {
    const fixture = await generationDataset(temp());
    server().onChat(generationHandler({ pools: fixture.pools, behaviour: 'invalid' }));
    const result = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.calories, count: 4 }], { client: testClient(server()), model: MODEL, concurrency: 1, maxRequests: 2 });
    assert.deepEqual(result.invalidByCode, { last_not_user: 4, empty_user_message: 4 });
    assert.deepEqual([result.invalid, result.written, result.byTopic[0].validShare], [8, 0, 0]);
    assert.equal(generatedLines(fixture.dir).length, 0);
  });

  it('stops on the request budget and on the token budget, saying why', async () => {
    const fixture = await generationDataset(temp());
    server().onChat(generationHandler({ pools: fixture.pools }));
    const requests = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.book_flight, count: 9 }], { client: testClient(server()), model: MODEL, maxRequests: 1 });
    assert.deepEqual([requests.stopped, requests.requests, requests.written], ['budget', 1, 5]);
    assert.match(requests.reason, /^the request budget \(1\) is spent: 5 of 9 records landed/);
    const tokens = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.calories, count: 9 }], { client: testClient(server()), model: MODEL, maxTokens: 1, concurrency: 1 });
    assert.deepEqual([tokens.stopped, tokens.requests], ['budget', 1]);
    assert.match(tokens.reason, /^the token budget \(1\) is spent/);
  });

  it('a model that keeps repeating itself: the duplicates are rejected and the loop gives up with the reason', async () => {
    const fixture = await generationDataset(temp());
    server().onChat(generationHandler({ pools: fixture.pools, behaviour: 'repeat' }));
    const result = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.change_language, count: 10 }], { client: testClient(server()), model: MODEL, concurrency: 1, maxBarrenRequests: 3 });
    assert.equal(result.stopped, 'budget');
    assert.equal(result.written, 1, 'the first copy lands');
    assert.equal(result.requests, 4, 'then three requests in a row land nothing');
    assert.equal(result.duplicates, 5 * 4 - 1);
    assert.match(result.reason, /the model keeps repeating itself: .*3 requests in a row landed nothing: 19 duplicates/);
  });

  it('429 and 500 are retried by the client; failures, malformed and wrong-schema replies are counted, never written, and the loop goes on', async () => {
    const fixture = await generationDataset(temp());
    server().onChat(generationHandler({ pools: fixture.pools }));
    const chat = { path: '/chat/completions' };
    server().fault(chat, { kind: 'status', status: 429, retryAfterMs: 1 }, 1);
    server().fault(chat, { kind: 'status', status: 500 }, 1);
    const retried = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.book_flight, count: 5 }], { client: testClient(server()), model: MODEL, concurrency: 1 });
    assert.deepEqual([retried.stopped, retried.failedRequests, retried.written], ['target', 0, 5]);
    server().fault(chat, { kind: 'status', status: 500 }, 3); // one request: first try and both retries
    server().fault(chat, { kind: 'malformed' }, 1); // a body that is not JSON is not retried
    server().fault(chat, { kind: 'wrongSchema' }, 2); // the reply and the repair
    const failed = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.book_flight, count: 5 }], { client: testClient(server()), model: MODEL, concurrency: 1, maxBarrenRequests: 10 });
    assert.equal(failed.stopped, 'target', failed.reason);
    assert.equal(failed.failedRequests, 3);
    assert.equal(failed.requests, 4);
    assert.equal(server().pendingFaults, 0);
    const handler = generationHandler({ pools: fixture.pools, behaviour: (ask) => (ask.index < 2 ? 'wrongSchema' : ask.index < 4 ? 'malformed' : 'good') });
    server().onChat(handler);
    const content = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.change_language, count: 3 }], { client: testClient(server()), model: MODEL, concurrency: 1, maxBarrenRequests: 10 });
    assert.deepEqual([content.stopped, content.failedRequests, content.written], ['target', 2, 3]);
    assert.deepEqual(
      handler.asks.map((ask) => ask.repair),
      [false, true, false, true, false],
      'each bad reply was sent back once for repair',
    );
    assert.equal(generatedLines(fixture.dir).length, 13);
  });

  it('cancellation mid-request: stopped "cancelled", the records that landed are kept', async () => {
    const fixture = await generationDataset(temp());
    const controller = new AbortController();
    server().onChat(generationHandler({ pools: fixture.pools, onAsk: (ask) => ask.index === 1 && controller.abort() }));
    const result = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.book_flight, count: 10 }], { client: testClient(server()), model: MODEL, concurrency: 1, signal: controller.signal });
    assert.equal(result.stopped, 'cancelled');
    assert.match(result.reason, /5 of 10 records landed; what landed is kept/);
    assert.equal(result.failedRequests, 0, 'a cancelled request is not a failure');
    assert.equal(generatedLines(fixture.dir).length, 5);
    const { labels } = await readLabels(fixture.dir);
    assert.equal(labels.size, 80 + 5);
  });

  it('running the same --topic/--count again continues toward the same target; a finished plan starts a new one', async () => {
    const fixture = await generationDataset(temp());
    const topic = fixture.topicOf.book_flight;
    server().onChat(generationHandler({ pools: fixture.pools }));
    const asked = [{ topic, count: 8 }];
    const first = await generateRecords(fixture.dir, asked, { client: testClient(server()), model: MODEL, maxRequests: 1, continuePlan: true });
    assert.deepEqual([first.stopped, first.written, first.continued], ['budget', 5, undefined]);
    const stored = await readGenerationFile(fixture.dir);
    assert.deepEqual(stored.plan?.targets, asked);
    assert.deepEqual(stored.plan?.written, { [topic]: 5 });
    assert.equal(stored.plan?.finished, false);
    const progress = await planProgress(fixture.dir, asked, { strategy: 'few-shot', model: MODEL });
    assert.deepEqual([progress.continued, progress.writtenBefore, progress.remaining], [true, 5, [{ topic, count: 3 }]]);
    const other = await planProgress(fixture.dir, asked, { strategy: 'few-shot', model: 'another-model' });
    assert.deepEqual([other.continued, other.remaining], [false, asked], 'another model is another request');
    const second = await generateRecords(fixture.dir, asked, { client: testClient(server()), model: MODEL, continuePlan: true });
    assert.deepEqual([second.stopped, second.requested, second.written], ['target', 3, 3]);
    assert.deepEqual(second.continued, { planned: asked, writtenBefore: 5 });
    assert.equal((await readGenerationFile(fixture.dir)).plan?.finished, true);
    const planIds = new Set(generatedLines(fixture.dir).map((record) => (record.metadata as { generated: { plan: string } }).generated.plan));
    assert.equal(planIds.size, 1);
    const third = await planProgress(fixture.dir, asked, { strategy: 'few-shot', model: MODEL });
    assert.deepEqual([third.continued, third.remaining], [false, asked]);
  });

  it('no topics yet → NoTopicsError pointing to step 2; an unknown topic lists the leaves', async () => {
    const bare = fs.mkdtempSync(path.join(temp(), 'bare-'));
    await initDataset(bare, { name: 'bare' });
    fs.writeFileSync(path.join(bare, 'records.jsonl'), `${JSON.stringify(recordOf('how do I book a flight to Rome'))}\n`);
    const client = testClient(server());
    await assert.rejects(generateRecords(bare, [{ topic: 'a/b', count: 1 }], { client, model: MODEL }), (error: Error) => error instanceof NoTopicsError && /rft topics/.test(error.message));
    await assert.rejects(gapTargets(bare), NoTopicsError);
    const fixture = await generationDataset(temp());
    await assert.rejects(
      generateRecords(fixture.dir, [{ topic: 'nope/none', count: 1 }], { client, model: MODEL }),
      (error: Error) => error instanceof GenerateError && error.message.includes(fixture.topicOf.calories),
    );
    assert.equal(server().requests.length, 0);
  });

  it('strategies: description for a topic without records, variations of a chosen record, tools carried; a shared system prompt is kept', async () => {
    const tools = [
      { type: 'function', function: { name: 'search_flights', description: 'Find flights', parameters: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } } } },
    ];
    const system = 'You are the travel desk of Example Air.';
    const fixture = await generationDataset(temp(), { system, tools });
    const flights = fixture.topicOf.book_flight;
    const seed = fixture.existing[flights][0];
    const seedKey = recordKey(recordOf(seed, { system, tools }), JSON.stringify(recordOf(seed, { system, tools })));
    server().onChat(generationHandler({ pools: fixture.pools }));
    const varied = await generateRecords(fixture.dir, [{ topic: flights, count: 2 }], { client: testClient(server()), model: MODEL, strategy: 'variations', seedRecordKey: seedKey });
    assert.equal(varied.stopped, 'target');
    const prompt = requestText(server().requests[0].body);
    assert.ok(prompt.includes(seed) && /variations of this record/.test(prompt));
    assert.ok(prompt.includes(`System message: ${system}`) && !prompt.includes(`{"role":"system"`), 'the shared system message is stated once, not in the example');
    for (const record of generatedLines(fixture.dir)) {
      assert.deepEqual((record.messages as unknown[])[0], { role: 'system', content: system });
      assert.deepEqual(record.tools, tools, "the topic's tools travel with few-shot/variations records whose examples carry them");
      assert.deepEqual((record.metadata as { generated: { seeds: string[]; strategy: string } }).generated.seeds, [seedKey]);
    }
    server().onChat(generationHandler({ pools: fixture.pools, referenceToolCalls: (text) => [{ name: 'search_flights', arguments: JSON.stringify({ query: text }) }] }));
    const withTools = await generateRecords(fixture.dir, [{ topic: fixture.topicOf.calories, count: 2 }], { client: testClient(server()), model: MODEL, strategy: 'tools' });
    assert.equal(withTools.stopped, 'target');
    const toolRecord = generatedLines(fixture.dir).at(-1)!;
    assert.deepEqual(toolRecord.reference_tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'search_flights', arguments: JSON.stringify({ query: userText(toolRecord) }) } }]);
    assert.deepEqual(toolRecord.tools, tools);
    assert.match(requestText(server().requests.at(-1)!.body), /Tools \(JSON\):\n\[\{"type":"function","function":\{"name":"search_flights"/);

    const topics = (await readTopicsFile(fixture.dir))!;
    await writeTopicsFile(fixture.dir, { ...topics, topics: [...topics.topics, { name: 'lost_luggage', description: 'Bags that did not arrive', keywords: ['luggage', 'bag', 'suitcase'] }] });
    const luggage = ['my suitcase did not arrive on the carousel', 'where is my lost luggage bag', 'the airline lost my bag what now'];
    server().onChat(generationHandler({ pools: { ...fixture.pools, lost_luggage: luggage } }));
    const described = await generateRecords(fixture.dir, [{ topic: 'lost_luggage', count: 1 }], {
      client: testClient(server()),
      model: MODEL,
      strategy: 'few-shot',
      keepOffTarget: true,
      maxRequests: 1,
    });
    const last = server().requests.at(-1)!.body;
    assert.match(requestText(last), /The topic has no records yet/);
    assert.match(requestText(last), /About: Bags that did not arrive\nKeywords: luggage, bag, suitcase/);
    assert.equal(described.written, 1);
    const record = generatedLines(fixture.dir).at(-1)!;
    assert.deepEqual((record.metadata as { generated: { seeds: string[]; strategy: string } }).generated, {
      ...(record.metadata as { generated: object }).generated,
      seeds: [],
      strategy: 'description',
    });
    await assert.rejects(
      generateRecords(fixture.dir, [{ topic: 'lost_luggage', count: 1 }], { client: testClient(server()), model: MODEL, strategy: 'tools' }),
      /tools strategy needs records with a tools array in lost_luggage/,
    );
  });

  it("the estimate: tokens of the prompt it would send, requests at the landed share (60 %, then the last run's), price when known", async () => {
    const fixture = await generationDataset(temp());
    const targets = [{ topic: fixture.topicOf.calories, count: 12 }];
    const first = await estimateGeneration(fixture.dir, targets, { model: MODEL });
    assert.equal(first.assumedLandedShare, 0.6);
    assert.equal(first.records, 12);
    assert.equal(first.requests, Math.ceil(12 / 5 / 0.6));
    assert.ok(first.promptTokens > first.requests * 50, 'the few-shot prompt is counted, examples included');
    assert.ok(first.completionTokens > 0 && first.costUsd !== null && first.costUsd > 0);
    assert.equal((await estimateGeneration(fixture.dir, targets, { model: 'my-local-model' })).costUsd, null);
    const flights = fixture.topicOf.book_flight;
    const pool = fixture.pools[flights];
    server().onChat(generationHandler({ pools: { ...fixture.pools, [flights]: [pool[0], pool[0], pool[1], pool[2], pool[3]] } }));
    await generateRecords(fixture.dir, [{ topic: flights, count: 4 }], { client: testClient(server()), model: MODEL, concurrency: 1 });
    const after = await estimateGeneration(fixture.dir, targets, { model: MODEL });
    assert.equal(after.assumedLandedShare, 0.8, '4 of 5 candidates landed last time');
    assert.equal(after.requests, Math.ceil(12 / 5 / 0.8));
  });

  it('gapTargets: the coverage gaps as targets, full topics left out', async () => {
    const fixture = await generationDataset(temp());
    const dropped = fixture.existing[fixture.topicOf.calories].slice(0, 12);
    const kept = fs
      .readFileSync(path.join(fixture.dir, 'records.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !dropped.includes(userText(JSON.parse(line))));
    fs.writeFileSync(path.join(fixture.dir, 'records.jsonl'), `${kept.join('\n')}\n`);
    const targets = await gapTargets(fixture.dir);
    assert.deepEqual(targets, [{ topic: fixture.topicOf.calories, count: Math.round(0.25 * 68 - 8) }]);
  });
});
