import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { APIError } from 'openai';
import { z } from 'zod';
import { ModelClient } from '../../src/core/llm/modelClient';
import { backoffMs, DEFAULT_MAX_RETRY_WAIT_MS, describeRetry, retryAfterMs, RetryWaitTooLongError, type RetryNotice } from '../../src/core/llm/retry';
import { Semaphore } from '../../src/core/llm/semaphore';
import { jsonInText } from '../../src/core/llm/structuredOutput';
import { embeddingsFromReply, ReplyShapeError } from '../../src/core/llm/replyShape';
import { embedText, startOpenAiTestServer } from '../support/openaiServer';
import { runRftAsync } from '../support/runRft';

type Server = Awaited<ReturnType<typeof startOpenAiTestServer>>;

describe('model client layer (real openai SDK ↔ local test server)', () => {
  let server: Server;
  const client = (options: ConstructorParameters<typeof ModelClient>[1] = {}) =>
    new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL }, { retry: { baseDelayMs: 10, maxDelayMs: 200 }, ...options });
  const chatCount = () => server.requests.filter((r) => r.path.endsWith('/chat/completions') && r.method === 'POST').length;

  beforeEach(async () => {
    server = await startOpenAiTestServer();
  });
  afterEach(async () => {
    await server?.close(); // undefined when the first beforeEach failed
  });

  it('chats and counts tokens and cost', async () => {
    const c = client();
    const reply = await c.chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }] });
    assert.match(reply.choices[0].message.content ?? '', /Hello there/);
    assert.equal(c.usage.totals.requests, 1);
    assert.ok(c.usage.totals.inputTokens > 0);
    assert.ok((c.usage.totals.costUsd ?? 0) > 0, 'gpt-4o-mini has a known price');
  });

  it('retries 429 honouring retry-after, and 500s, then succeeds', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 429, retryAfterSeconds: 1 });
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 500 });
    const c = client();
    const started = Date.now();
    await c.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(Date.now() - started >= 950, 'waited for retry-after');
    assert.equal(chatCount(), 3);
    assert.equal(c.usage.totals.retries, 2);
  });

  it('gives up after maxRetries and does not retry a 400', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 503 }, 5);
    await assert.rejects(client({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 } }).chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), /503/);
    assert.equal(chatCount(), 3);
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 400, message: 'bad request' });
    await assert.rejects(client().chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), /400/);
    assert.equal(chatCount(), 4);
  });

  it('times out a hanging request, and cancels mid-flight', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'hang' }, 10);
    await assert.rejects(client({ timeoutMs: 200, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } }).chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), /timed out|timeout/i);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(client({ timeoutMs: 60_000 }).chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal }), /abort/i);
    // Far below the 60 s timeout it would otherwise wait for, with room for a loaded machine.
    assert.ok(Date.now() - started < 10_000, 'cancellation is immediate');
  });

  it('malformed JSON surfaces as an error', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'malformed' }, 10);
    await assert.rejects(client({ retry: { maxRetries: 0 } }).chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }));
  });

  it('structured output through response_format, validated with zod', async () => {
    const schema = z.object({ topic: z.string(), confidence: z.number() });
    const value = await client().structured({ model: 'm', messages: [{ role: 'user', content: 'Label this' }] }, schema, 'label');
    assert.deepEqual(Object.keys(value).sort(), ['confidence', 'topic']);
    const sent = server.requests.find((r) => r.path.endsWith('/chat/completions'))?.body as { response_format?: { type: string } };
    assert.equal(sent.response_format?.type, 'json_schema');
  });

  it('a wrong-schema reply is sent back once and corrected', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'wrongSchema' });
    const schema = z.object({ topic: z.string(), confidence: z.number() });
    const value = await client().structured({ model: 'm', messages: [{ role: 'user', content: 'Label this' }] }, schema, 'label');
    assert.equal(typeof value.topic, 'string');
    assert.equal(chatCount(), 2);
    const repair = server.requests.filter((r) => r.path.endsWith('/chat/completions'))[1].body as { messages: { content: string }[] };
    assert.match(repair.messages.at(-1)?.content ?? '', /not valid/);
  });

  it('falls back to JSON in text when the server has no response_format', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'noResponseFormat' });
    server.onChat((request) => ((request as { response_format?: unknown }).response_format ? undefined : { content: 'Sure! ```json\n{"topic":"billing","confidence":0.9}\n```' }));
    const c = client();
    const value = await c.structured({ model: 'm', messages: [{ role: 'user', content: 'Label this' }] }, z.object({ topic: z.string(), confidence: z.number() }), 'label');
    assert.deepEqual(value, { topic: 'billing', confidence: 0.9 });
    await c.structured({ model: 'm', messages: [{ role: 'user', content: 'Again' }] }, z.object({ topic: z.string(), confidence: z.number() }), 'label');
    const last = server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body as { response_format?: unknown };
    assert.equal(last.response_format, undefined, 'the client remembers the server has no response_format');
  });

  it('embeds in batches, in order', async () => {
    const inputs = Array.from({ length: 7 }, (_, i) => `text ${i}`);
    const vectors = await client().embed('text-embedding-3-small', inputs, { batchSize: 3 });
    assert.equal(vectors.length, 7);
    const again = await client().embed('text-embedding-3-small', [inputs[5]]);
    assert.deepEqual(again[0], vectors[5]);
    assert.equal(server.requests.filter((r) => r.path.endsWith('/embeddings')).length, 4);
  });

  it('a reply of the wrong shape is one line naming the server and what it answered, not a TypeError', async () => {
    const c = client({ retry: { maxRetries: 0 } });
    const shapeError = (answered: RegExp, expected: RegExp) => (error: unknown) => {
      assert.ok(error instanceof ReplyShapeError, String(error));
      assert.ok(error.message.startsWith(`the server at ${server.baseURL} answered `), error.message);
      assert.match(error.answered, answered);
      assert.match(error.expected, expected);
      assert.doesNotMatch(error.message, /\n|Cannot read|undefined/);
      return true;
    };
    server.fault({ path: '/chat/completions' }, { kind: 'html' }, 2);
    await assert.rejects(c.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), shapeError(/^an HTML page \("502 Bad Gateway"\)$/, /choices\[0\]\.message/));
    await assert.rejects(c.structured({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, z.object({ a: z.string() }), 'a'), shapeError(/HTML page/, /chat completion/));
    server.fault({ path: '/embeddings' }, { kind: 'malformedEmbeddings', missing: 'data' });
    await assert.rejects(c.embed('text-embedding-3-small', ['one', 'two']), shapeError(/^JSON without data \(its keys: embedding\)$/, /data\[\] of \{index, embedding\}/));
    server.fault({ path: '/embeddings' }, { kind: 'malformedEmbeddings', missing: 'index' });
    await assert.rejects(c.embed('text-embedding-3-small', ['one', 'two']), shapeError(/^JSON without data\[0\]\.index$/, /embeddings/));
  });

  it('embeddings arrive as base64 float32s or, from servers that ignore encoding_format, as numbers: the same vectors', async () => {
    const asked = await client().embed('text-embedding-3-small', ['refund my order']);
    assert.equal((server.requests.at(-1)?.body as { encoding_format?: string }).encoding_format, 'base64');
    const expected = embedText('refund my order', asked[0].length);
    expected.forEach((value, at) => assert.ok(Math.abs(value - asked[0][at]) < 1e-6, `component ${at}`));
    const numbers = {
      data: [
        { index: 1, embedding: [0.5, 1] },
        { index: 0, embedding: [0.25, 1] },
      ],
      usage: { prompt_tokens: 4 },
    };
    assert.deepEqual(embeddingsFromReply(numbers, 2, 'http://gw'), {
      vectors: [
        [0.25, 1],
        [0.5, 1],
      ],
      promptTokens: 4,
    });
    assert.throws(() => embeddingsFromReply(numbers, 3, 'http://gw'), /^ReplyShapeError: the server at http:\/\/gw answered 2 embeddings for 3 inputs \(expected/);
    assert.throws(
      () =>
        embeddingsFromReply(
          {
            data: [
              { index: 0, embedding: [1] },
              { index: 0, embedding: [1] },
            ],
          },
          2,
          'http://gw',
        ),
      /answered index 0 twice/,
    );
  });

  it('bounds concurrency', async () => {
    server.setLatency(50);
    const c = client({ concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    const original = c.openai.chat.completions.create.bind(c.openai.chat.completions);
    (c.openai.chat.completions as { create: unknown }).create = async (...args: Parameters<typeof original>) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await original(...args);
      } finally {
        inFlight--;
      }
    };
    await Promise.all(Array.from({ length: 10 }, () => c.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })));
    assert.equal(peak, 3);
  });
});

describe('client layer pieces', () => {
  it('retry-after in seconds, milliseconds or as a date; backoff never shorter than asked', () => {
    const err = (headers: Record<string, string>) => Object.assign(Object.create(APIError.prototype), { headers: new Headers(headers) });
    assert.equal(retryAfterMs(err({ 'retry-after': '2' })), 2000);
    assert.equal(retryAfterMs(err({ 'retry-after-ms': '150' })), 150);
    assert.equal(retryAfterMs(err({ 'retry-after': new Date(10_000).toUTCString() }), 4_000), 6_000);
    assert.equal(retryAfterMs(new Error('x')), undefined);
    const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };
    assert.equal(backoffMs(0, policy), 50);
    assert.equal(backoffMs(3, policy), 400);
    assert.equal(backoffMs(10, policy), 500);
    assert.equal(backoffMs(0, policy, 2000), 2000);
  });

  it('JSON in text: fenced, surrounded by prose, or absent', () => {
    assert.deepEqual(jsonInText('```json\n{"a":1}\n```'), { a: 1 });
    assert.deepEqual(jsonInText('Here you go: {"a":[1,2]} — done.'), { a: [1, 2] });
    assert.throws(() => jsonInText('no json here'), /no JSON/);
  });

  it('a semaphore releases waiters in order and lets an aborted waiter go', async () => {
    const semaphore = new Semaphore(1);
    const order: number[] = [];
    let release!: () => void;
    const first = semaphore.run(() => new Promise<void>((resolve) => (release = resolve)).then(() => void order.push(1)));
    const controller = new AbortController();
    const aborted = semaphore.run(async () => void order.push(99), controller.signal);
    const second = semaphore.run(async () => void order.push(2));
    controller.abort(new Error('stop'));
    await assert.rejects(aborted, /stop/);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, [1, 2]);
  });
});

describe('model client: no silent waits (issue 20)', () => {
  let server: Awaited<ReturnType<typeof startOpenAiTestServer>>;
  const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
  const chats = () => server.requests.filter((r) => r.path.endsWith('/chat/completions') && r.method === 'POST').length;
  const clientWith = (options: ConstructorParameters<typeof ModelClient>[1]) => new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL }, options);

  beforeEach(async () => {
    server = await startOpenAiTestServer();
  });
  afterEach(async () => {
    await server?.close();
  });

  it("a 429 asking for an hour fails at once as rate_limited, naming the wait and the server's words", async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 429, retryAfterSeconds: 3600, message: 'Rate limit reached for requests per day' }, 10);
    const notices: RetryNotice[] = [];
    const started = Date.now();
    const error = await clientWith({ onRetry: (notice) => notices.push(notice) })
      .chat(ask)
      .then(
        () => assert.fail('expected rate_limited'),
        (caught: unknown) => caught,
      );
    assert.ok(Date.now() - started < 10_000, `failed after ${Date.now() - started} ms (it must not wait the hour)`);
    assert.ok(error instanceof RetryWaitTooLongError);
    assert.equal(error.code, 'rate_limited');
    assert.match(
      error.message,
      /^rate_limited: the server asks to wait 60 min before retrying, longer than the longest wait accepted \(60 s; raise it with --max-retry-wait or rftStudio\.llm\.maxRetryWait\): 429 Rate limit reached for requests per day/,
    );
    assert.equal(chats(), 1, 'not retried');
    assert.deepEqual(notices, []);
    // retry-after-ms, as openai-node reads it first, counts the same
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 429, retryAfterMs: 90_000 });
    await assert.rejects(clientWith({}).chat(ask), /wait 90 s before retrying/);
  });

  it('a shorter retry-after is honoured and said; --max-retry-wait raises the ceiling', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 429, retryAfterSeconds: 1 });
    const notices: string[] = [];
    const started = Date.now();
    await clientWith({ retry: { maxRetryWaitMs: 1000 }, onRetry: (notice) => notices.push(describeRetry(notice)) }).chat(ask);
    assert.ok(Date.now() - started >= 950);
    assert.deepEqual(notices, ['waiting 1 s: rate limited by the server (retry 1 of 5)']);
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 429, retryAfterSeconds: 2 });
    await assert.rejects(clientWith({ retry: { maxRetryWaitMs: 1000 } }).chat(ask), /rate_limited: the server asks to wait 2 s/);
  });

  it('a server that never answers: each timeout is said before the retry', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'hang' }, 10);
    const notices: RetryNotice[] = [];
    await assert.rejects(clientWith({ timeoutMs: 200, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 }, onRetry: (notice) => notices.push(notice) }).chat(ask), /timed out/i);
    assert.deepEqual(
      notices.map((notice) => [notice.attempt, notice.reason]),
      [
        [1, 'no answer within 200 ms'],
        [2, 'no answer within 200 ms'],
      ],
    );
  });

  it("VS Code declares rftStudio.llm.maxRetryWait with the client's default", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
    const setting = manifest.contributes.configuration.properties['rftStudio.llm.maxRetryWait'];
    assert.deepEqual([setting.type, setting.default * 1000, setting.minimum], ['number', DEFAULT_MAX_RETRY_WAIT_MS, 0]);
  });

  it('the CLI takes --timeout and --max-retry-wait, says each retry on stderr, and fails an hour-long retry-after at once', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-retry-'));
    const env = { ...process.env, OPENAI_API_KEY: server.apiKey, OPENAI_BASE_URL: server.baseURL };
    try {
      server.fault({ method: 'GET', path: '/v1/chat/completions' }, { kind: 'hang' }, 2);
      let run = await runRftAsync(['extract', '--from', 'openai', '--into', path.join(dir, 'a'), '--timeout', '0.5'], { env });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(
        run.stderr
          .split('\n')
          .filter((line) => line.startsWith('rft: waiting'))
          .map((line) => line.replace(/waiting [\d.]+ m?s/, 'waiting …')),
        ['rft: waiting …: no answer within 500 ms (retry 1 of 5)', 'rft: waiting …: no answer within 500 ms (retry 2 of 5)'],
      );
      server.fault({ method: 'GET', path: '/v1/chat/completions' }, { kind: 'status', status: 429, retryAfterSeconds: 3600, message: 'Rate limit reached for requests' }, 10);
      const started = Date.now();
      run = await runRftAsync(['extract', '--from', 'openai', '--into', path.join(dir, 'b')], { env });
      assert.ok(Date.now() - started < 15_000);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /rate_limited: the server asks to wait 60 min before retrying, longer than the longest wait accepted \(60 s; .*\): 429 Rate limit reached for requests/);
      server.fault({ method: 'GET', path: '/v1/chat/completions' }, { kind: 'status', status: 429, retryAfterSeconds: 1 }, 1);
      run = await runRftAsync(['extract', '--from', 'openai', '--into', path.join(dir, 'c'), '--max-retry-wait', '0.5'], { env });
      assert.match(run.stderr, /rate_limited: the server asks to wait 1 s before retrying, longer than the longest wait accepted \(500 ms;/);
      run = await runRftAsync(['extract', '--from', 'openai', '--into', path.join(dir, 'd'), '--timeout', '0'], { env });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--timeout needs a number of seconds > 0, got "0"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
