import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TraceCall } from '../../src/core/extract/traceCall';
import { LANGFUSE_CLOUD_URL, langfuseApiCalls, langfuseBaseUrl, langfuseFromEnv, langfuseReader } from '../../src/core/extract/langfuseApi';
import { LANGFUSE_CONTRACT as CONTRACT, LangfuseServer, type LangfuseDeployment, type StoredObservation } from '../support/langfuseServer';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';

const VENDOR = path.resolve(__dirname, '../fixtures/vendor/langfuse');
const DOCS_SAMPLE = JSON.parse(fs.readFileSync(path.join(VENDOR, 'docs_v2_sample_response.json'), 'utf8')) as { data: Record<string, unknown>[]; meta: { cursor: string } };
const DOCS_ROW = DOCS_SAMPLE.data[0];

/** The docs' sample row as Langfuse stores it (events row), so the stand-in can serve it back. */
const DOCS_STORED: StoredObservation = {
  id: String(DOCS_ROW.id),
  traceId: String(DOCS_ROW.traceId),
  type: 'GENERATION',
  startTime: String(DOCS_ROW.startTime),
  endTime: String(DOCS_ROW.endTime),
  completionStartTime: String(DOCS_ROW.completionStartTime),
  name: String(DOCS_ROW.name),
  statusMessage: '',
  version: '',
  input: String(DOCS_ROW.input),
  output: String(DOCS_ROW.output),
  metadata: {},
  model: String(DOCS_ROW.providedModelName),
  internalModelId: String(DOCS_ROW.internalModelId),
  modelParameters: DOCS_ROW.modelParameters,
  usageDetails: DOCS_ROW.usageDetails as Record<string, number>,
  costDetails: DOCS_ROW.costDetails as Record<string, number>,
  promptId: '',
  promptName: '',
  userId: '',
  sessionId: String(DOCS_ROW.sessionId),
  traceName: String(DOCS_ROW.traceName),
  tags: DOCS_ROW.tags as string[],
  release: String(DOCS_ROW.release),
  prices: { input: Number(DOCS_ROW.inputPrice), output: Number(DOCS_ROW.outputPrice) },
};

/** Generations as an SDK stores them (messages and answers as JSON text), one per minute, with the variety real traces have. */
function generation(i: number): StoredObservation {
  const start = new Date(Date.UTC(2026, 10, 20, 8, 0, 0) + i * 60_000).toISOString();
  const messages = [
    { role: 'system', content: 'You are a trail guide for Norwegian hikes.' },
    { role: 'user', content: `Is hike number ${i} doable in early May?` },
  ];
  const toolCall = i % 7 === 3;
  return {
    id: `gen-${String(i).padStart(4, '0')}`,
    traceId: `trace-${Math.floor(i / 2)}`,
    type: 'GENERATION',
    startTime: start,
    endTime: new Date(Date.parse(start) + 1400).toISOString(),
    name: 'chat-completion',
    level: i % 11 === 5 ? 'ERROR' : 'DEFAULT',
    statusMessage: i % 11 === 5 ? 'upstream 529 overloaded' : null,
    environment: 'production',
    // Plain text prompts are stored as they came; message lists as JSON text.
    input:
      i % 5 === 4
        ? `Plain question ${i}: which hut is open?`
        : JSON.stringify(
            i % 3 === 0 ? { messages, tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }] } : messages,
          ),
    output: JSON.stringify(
      toolCall
        ? { role: 'assistant', content: null, tool_calls: [{ id: `call_${i}`, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Odda"}' } }] }
        : { role: 'assistant', content: `Answer ${i}: only with a guide.` },
    ),
    metadata: { app: 'trail-guide', team: i % 2 === 0 ? 'support' : 'sales', config: JSON.stringify({ retries: 2 }) },
    model: i % 4 === 0 ? 'gpt-4o-mini' : 'gpt-4o',
    internalModelId: 'clx0gpt4o',
    usageDetails: { input: 100 + i, input_cached_tokens: 20, output: 30, total: 150 + i },
    costDetails: { input: 0.0001, output: 0.0002, total: 0.0003 },
    promptName: i % 6 === 0 ? 'trail-guide-prompt' : null,
    promptVersion: i % 6 === 0 ? 3 : null,
    userId: i % 2 === 0 ? `user-${i % 5}` : null,
    sessionId: i % 2 === 0 ? `session-${i % 3}` : null,
    traceName: 'trail-chat',
    tags: ['hiking'],
    prices: { input: 0.0000025, output: 0.00001 },
  };
}

const span = (i: number): StoredObservation => ({
  id: `span-${i}`,
  traceId: `trace-${i}`,
  type: 'SPAN',
  startTime: new Date(Date.UTC(2026, 10, 20, 9, 0, i)).toISOString(),
  name: 'retrieval',
  input: '{"query":"huts"}',
  output: '[]',
});

const generations = (n: number) => Array.from({ length: n }, (_, i) => generation(i));
const basic = (server: LangfuseServer) => `Basic ${Buffer.from(`${server.publicKey}:${server.secretKey}`).toString('base64')}`;
const records = (dir: string) =>
  fs
    .readFileSync(path.join(dir, 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** An environment without the developer's own Langfuse settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('LANGFUSE_')) env[key] = value;
  return { ...env, ...extra };
}

async function withServer<T>(options: { deployment: LangfuseDeployment; observations?: StoredObservation[] }, run: (server: LangfuseServer) => Promise<T>): Promise<T> {
  const server = await LangfuseServer.start(options);
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

/** A GET with the server's keys, other keys, or none (null). */
async function get(server: LangfuseServer, pathAndQuery: string, authorization: string | null = basic(server)): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${pathAndQuery}`, { headers: authorization ? { authorization } : {} });
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { html: text } };
}

async function collect(source: ReturnType<typeof langfuseApiCalls>): Promise<TraceCall[]> {
  const calls: TraceCall[] = [];
  await source({ call: (call) => void calls.push(call), skip: () => undefined });
  return calls;
}

describe('Langfuse stand-in answers as Langfuse does (test/fixtures/vendor/langfuse)', () => {
  it('v2 with every field group serves the docs sample row back: same keys (the model name as `model`, as the server emits it), IO as strings, prices as strings, a cursor of the vendor shape', async () => {
    const older: StoredObservation = { ...generation(0), startTime: '2025-06-01T00:00:00.000Z', endTime: null };
    await withServer({ deployment: 'cloud-v4', observations: [DOCS_STORED, older] }, async (server) => {
      const { status, body } = await get(server, `${CONTRACT.v2.path}?fields=${Object.keys(CONTRACT.v2.fieldGroups).join(',')}&limit=1`);
      assert.equal(status, 200);
      const row = (body.data as Record<string, unknown>[])[0];
      const expectedKeys = Object.keys(DOCS_ROW).map((key) => (key === 'providedModelName' ? 'model' : key));
      assert.deepEqual(Object.keys(row).sort(), [...expectedKeys, 'usagePricingTierId', 'isRootObservation'].sort());
      for (const key of [
        'id',
        'traceId',
        'startTime',
        'endTime',
        'type',
        'input',
        'output',
        'usageDetails',
        'costDetails',
        'inputUsage',
        'outputUsage',
        'totalUsage',
        'totalCost',
        'latency',
        'timeToFirstToken',
        'modelId',
        'inputPrice',
        'outputPrice',
        'totalPrice',
        'sessionId',
        'tags',
        'release',
        'traceName',
        'modelParameters',
      ]) {
        assert.deepEqual(row[key], DOCS_ROW[key], key);
      }
      assert.equal(row.model, DOCS_ROW.providedModelName);
      const cursor = JSON.parse(Buffer.from(String((body.meta as { cursor: string }).cursor), 'base64').toString('utf8'));
      const docsCursor = JSON.parse(Buffer.from(DOCS_SAMPLE.meta.cursor, 'base64').toString('utf8'));
      assert.deepEqual(Object.keys(cursor), CONTRACT.v2.cursorKeys);
      assert.deepEqual(cursor, docsCursor, 'the docs row is the newest, so its cursor is the one the docs print');
    });
  });

  it('v2: groups not asked for are absent (not null), only core + basic without `fields`; metadata is cut to 200 characters unless io is read', async () => {
    const long: StoredObservation = { ...generation(1), metadata: { note: 'x'.repeat(300) } };
    await withServer({ deployment: 'cloud-v4', observations: [long] }, async (server) => {
      const core = ((await get(server, `${CONTRACT.v2.path}?fields=core`)).body.data as Record<string, unknown>[])[0];
      assert.deepEqual(Object.keys(core).sort(), [...CONTRACT.v2.fieldGroups.core, ...CONTRACT.v2.alwaysPresent].sort());
      assert.equal(core.modelId, null, 'enrichment fields are null without the model group');
      const byDefault = ((await get(server, CONTRACT.v2.path)).body.data as Record<string, unknown>[])[0];
      assert.deepEqual(Object.keys(byDefault).sort(), [...CONTRACT.v2.fieldGroups.core, ...CONTRACT.v2.fieldGroups.basic, ...CONTRACT.v2.alwaysPresent].sort());
      const cut = ((await get(server, `${CONTRACT.v2.path}?fields=metadata`)).body.data as { metadata: { note: string } }[])[0];
      assert.equal(cut.metadata.note.length, CONTRACT.v2.metadataValueCutoff);
      const whole = ((await get(server, `${CONTRACT.v2.path}?fields=io,metadata`)).body.data as { metadata: { note: string } }[])[0];
      assert.equal(whole.metadata.note.length, 300);
    });
  });

  it('refuses parseIoAsJson=true with 400, checks keys before anything, and answers each deployment as its version does', async () => {
    await withServer({ deployment: 'cloud-v4', observations: generations(3) }, async (server) => {
      assert.deepEqual(await get(server, `${CONTRACT.v2.path}?parseIoAsJson=true`), CONTRACT.errors.parseIoAsJsonTrue);
      assert.deepEqual(await get(server, CONTRACT.v2.path, null), CONTRACT.errors.noAuthorization);
      assert.deepEqual(await get(server, CONTRACT.v2.path, `Basic ${Buffer.from(`${server.publicKey}:wrong`).toString('base64')}`), CONTRACT.errors.invalidCredentials);
      const v1 = await get(server, CONTRACT.v1.path, null);
      assert.equal(v1.status, 404, 'v1 is gone on v4 — before the keys are looked at');
      assert.equal(v1.body.message, CONTRACT.errors.v1EventsOnly.body.message);
      server.deployment = 'self-hosted-v3';
      assert.deepEqual(await get(server, CONTRACT.v2.path), CONTRACT.errors.v2NotEnabledSelfHosted);
      assert.equal((await get(server, CONTRACT.v2.path, null)).status, 401);
      const page = await get(server, `${CONTRACT.v1.path}?type=GENERATION&limit=2&page=2`);
      assert.deepEqual(Object.keys(page.body.meta as object), CONTRACT.v1.metaKeys);
      assert.deepEqual(Object.keys((page.body.data as object[])[0]), CONTRACT.v1.observationKeys);
      server.deployment = 'self-hosted-v3-beta';
      assert.deepEqual(await get(server, CONTRACT.v2.path), CONTRACT.errors.v2BetaSelfHosted501);
    });
  });
});

describe('Langfuse host and keys from the environment (as langfuse-python and langfuse-js read them)', () => {
  it('LANGFUSE_BASE_URL wins over LANGFUSE_HOST and the js v2 LANGFUSE_BASEURL; an explicit URL wins over all; Langfuse Cloud without any', () => {
    assert.equal(langfuseBaseUrl({ LANGFUSE_BASE_URL: 'https://eu.example/', LANGFUSE_HOST: 'https://host.example' }), 'https://eu.example');
    assert.equal(langfuseBaseUrl({ LANGFUSE_HOST: 'https://host.example' }), 'https://host.example');
    assert.equal(langfuseBaseUrl({ LANGFUSE_BASEURL: 'https://legacy.example' }), 'https://legacy.example');
    assert.equal(langfuseBaseUrl({ LANGFUSE_BASE_URL: 'https://eu.example' }, 'http://127.0.0.1:1'), 'http://127.0.0.1:1');
    assert.equal(langfuseBaseUrl({ LANGFUSE_BASE_URL: ' ' }), LANGFUSE_CLOUD_URL);
    assert.equal(langfuseFromEnv({ LANGFUSE_BASE_URL: 'https://eu.example' }), undefined, 'no keys, no connection');
    assert.deepEqual(langfuseFromEnv({ LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk' }), { baseUrl: LANGFUSE_CLOUD_URL, publicKey: 'pk', secretKey: 'sk' });
  });
});

describe('Langfuse API source', () => {
  it('reads the docs sample page: model from providedModelName, IO parsed from its JSON text, tokens, cost and session as tags', async () => {
    const asked: URL[] = [];
    const fetchStub = (async (input: URL | string) => {
      const url = new URL(String(input));
      asked.push(url);
      const body = url.searchParams.has('cursor') ? { data: [], meta: {} } : DOCS_SAMPLE;
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const calls = await collect(langfuseApiCalls({ baseUrl: 'https://cloud.langfuse.com', publicKey: 'pk', secretKey: 'sk' }, {}, { fetch: fetchStub }));
    assert.equal(calls.length, 1);
    const [call] = calls;
    assert.equal(call.model, 'gpt-4o');
    assert.deepEqual(call.messages, [{ role: 'user', content: 'Perfect.' }]);
    assert.deepEqual(call.response, { content: "You're all set. Have a great day!" });
    assert.deepEqual(call.tags, { session: 'support-chat-session', environment: 'default', name: 'llm-generation', cost: 0.00253, prompt_tokens: 98, completion_tokens: 68, total_tokens: 166 });
    assert.deepEqual(
      asked.map((url) => url.pathname),
      [CONTRACT.v2.path, CONTRACT.v2.path],
    );
    assert.equal(asked[1].searchParams.get('cursor'), DOCS_SAMPLE.meta.cursor);
    const sameCursorAgain = (async () => new Response(JSON.stringify(DOCS_SAMPLE), { status: 200 })) as typeof fetch;
    await assert.rejects(
      collect(langfuseApiCalls({ baseUrl: 'https://cloud.langfuse.com', publicKey: 'pk', secretKey: 'sk' }, {}, { fetch: sameCursorAgain })),
      /gave the same cursor twice \(page 2\)/,
    );
  });

  it('one reader learns the server once: the notice is given once and later reads go straight to v1', async () => {
    await withServer({ deployment: 'self-hosted-v3', observations: generations(3) }, async (server) => {
      const notices: string[] = [];
      const read = langfuseReader({ baseUrl: server.url, publicKey: server.publicKey, secretKey: server.secretKey }, { onNotice: (notice) => notices.push(notice) });
      assert.equal((await collect(read({}))).length, 3);
      assert.equal((await collect(read({ since: '2026-11-20T08:01:00.000Z' }))).length, 2, 'the server applies the time range');
      assert.equal(notices.length, 1);
      assert.match(notices[0], /no v2 observations API .*answered 404: The observations v2 API is only available in a Langfuse v4 write mode.*reading the legacy \/api\/public\/observations/);
      assert.equal(server.requestsTo(CONTRACT.v2.path).length, 1);
      assert.equal(server.requestsTo(CONTRACT.v1.path).length, 2);
    });
  });
});

describe('rft extract --from langfuse against the Langfuse stand-in', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  let n = 0;
  const fresh = () => path.join(tmp(), `ds${++n}`);

  async function extract(server: LangfuseServer | undefined, args: string[], env: Record<string, string> = {}) {
    const into = fresh();
    const keys: Record<string, string> = server ? { LANGFUSE_PUBLIC_KEY: server.publicKey, LANGFUSE_SECRET_KEY: server.secretKey } : {};
    const run = await runRftAsync(['extract', '--from', 'langfuse', ...args, '--into', into, '--json'], { env: cleanEnv({ ...keys, ...env }) });
    return { ...run, into, report: run.stdout.trim() ? (JSON.parse(run.stdout) as { read: number; converted: number; written: number; skipped: Record<string, number> }) : undefined };
  }

  it('Cloud v4: pages through v2 by meta.cursor with the field groups, GENERATION only and the time range — never parseIoAsJson, never v1', async () => {
    const stored = [...generations(250), span(1), span(2)];
    await withServer({ deployment: 'cloud-v4', observations: stored }, async (server) => {
      const { code, stderr, report, into } = await extract(server, ['--base-url', server.url, '--since', '2026-11-20T08:05:00Z', '--until', '2026-11-20T12:00:00Z']);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, '', 'no fallback notice on a v2 server');
      const inRange = stored.filter((o) => o.type === 'GENERATION' && o.startTime >= '2026-11-20T08:05:00.000Z' && o.startTime < '2026-11-20T12:00:00.000Z');
      assert.equal(inRange.length, 235);
      assert.equal(report!.read, inRange.length);
      assert.equal(report!.skipped['failed call'], inRange.filter((o) => o.level === 'ERROR').length);
      assert.equal(records(into).length, report!.written);
      const v2 = server.requestsTo(CONTRACT.v2.path);
      assert.equal(v2.length, 3, '100 + 100 + 35');
      assert.equal(server.requestsTo(CONTRACT.v1.path).length, 0);
      for (const request of v2) {
        assert.equal(request.query.type, 'GENERATION');
        assert.deepEqual(request.query.fields.split(','), ['core', 'basic', 'io', 'model', 'metadata', 'usage', 'prompt']);
        assert.equal(request.query.fromStartTime, '2026-11-20T08:05:00.000Z');
        assert.equal(request.query.toStartTime, '2026-11-20T12:00:00.000Z');
        assert.equal(request.query.parseIoAsJson, undefined, 'Langfuse answers parseIoAsJson=true with 400');
        assert.equal(request.authorization, basic(server));
      }
      assert.equal(v2[0].query.cursor, undefined);
      const served = JSON.parse(Buffer.from(v2[1].query.cursor, 'base64').toString('utf8'));
      const newestFirst = [...inRange].sort((a, b) => b.startTime.localeCompare(a.startTime));
      assert.equal(served.lastId, newestFirst[99].id, 'newest first: the first page ends at the 100th newest');
      assert.ok(v2[2].query.cursor && v2[2].query.cursor !== v2[1].query.cursor);
    });
  });

  it('self-hosted v3 (v2 answers 404, or 501 on early-2026 releases, or no route at all): falls back to v1 page by page and says so once', async () => {
    for (const deployment of ['self-hosted-v3', 'self-hosted-v3-beta', 'self-hosted-before-v2'] as const) {
      await withServer({ deployment, observations: generations(230) }, async (server) => {
        const { code, stderr, report } = await extract(server, ['--base-url', server.url]);
        assert.equal(code, 0, `${deployment}: ${stderr}`);
        assert.equal(stderr.match(/no v2 observations API/g)?.length, 1, `${deployment}: ${stderr}`);
        assert.match(stderr, new RegExp(`answered ${deployment === 'self-hosted-v3-beta' ? 501 : 404}`));
        assert.equal(report!.read, 230);
        assert.equal(server.requestsTo(CONTRACT.v2.path).length, 1);
        assert.deepEqual(
          server.requestsTo(CONTRACT.v1.path).map((r) => [r.query.page, r.query.limit, r.query.type]),
          [
            ['1', '100', 'GENERATION'],
            ['2', '100', 'GENERATION'],
            ['3', '100', 'GENERATION'],
          ],
        );
      });
    }
  });

  it('never falls back on wrong keys (401) or an outage (5xx): exit 2 with Langfuse’s message, v1 never asked', async () => {
    await withServer({ deployment: 'self-hosted-v3', observations: generations(3) }, async (server) => {
      const wrong = await extract(undefined, ['--base-url', server.url], { LANGFUSE_PUBLIC_KEY: server.publicKey, LANGFUSE_SECRET_KEY: 'sk-lf-wrong' });
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /refused the keys \(\/api\/public\/v2\/observations answered 401: Invalid credentials\. Confirm that you've configured the correct host\.\)/);
      assert.equal(server.requestsTo(CONTRACT.v1.path).length, 0);
      server.deployment = 'cloud-v4';
      server.v2Outage = 503;
      const outage = await extract(server, ['--base-url', server.url]);
      assert.equal(outage.code, 2);
      assert.match(outage.stderr, /\/api\/public\/v2\/observations answered 503/);
      assert.doesNotMatch(outage.stderr, /legacy/);
      assert.equal(server.requestsTo(CONTRACT.v1.path).length, 0);
    });
  });

  it('the host comes from LANGFUSE_BASE_URL, else LANGFUSE_HOST; BASE_URL wins when both are set', async () => {
    // Self-hosted v3 servers, which the code before LANGFUSE_BASE_URL could read too: only the host choice differs.
    await withServer({ deployment: 'self-hosted-v3', observations: generations(4) }, async (server) => {
      await withServer({ deployment: 'self-hosted-v3', observations: generations(2) }, async (other) => {
        const viaBaseUrl = await extract(server, [], { LANGFUSE_BASE_URL: server.url, LANGFUSE_HOST: other.url });
        assert.equal(viaBaseUrl.code, 0, viaBaseUrl.stderr);
        assert.equal(viaBaseUrl.report!.read, 4);
        assert.equal(other.requests.length, 0, 'LANGFUSE_HOST is not asked when LANGFUSE_BASE_URL is set');
        const viaHost = await extract(server, [], { LANGFUSE_HOST: `${server.url}/` });
        assert.equal(viaHost.code, 0, viaHost.stderr);
        assert.equal(viaHost.report!.read, 4);
        assert.equal(JSON.parse(fs.readFileSync(path.join(viaHost.into, 'rft.json'), 'utf8')).source.baseUrl, server.url);
      });
    });
  });

  it('v2 and the v1 fallback give the same records for the same observations (v2 adds the user and session v1 leaves out)', async () => {
    const stored = [...generations(40), DOCS_STORED, span(3)];
    const viaV2 = await withServer({ deployment: 'cloud-v4', observations: stored }, (server) => extract(server, ['--base-url', server.url]));
    const viaV1 = await withServer({ deployment: 'self-hosted-v3', observations: stored }, (server) => extract(server, ['--base-url', server.url]));
    assert.equal(viaV2.code, 0, viaV2.stderr);
    assert.equal(viaV1.code, 0, viaV1.stderr);
    assert.deepEqual(viaV2.report, viaV1.report);
    const v2 = records(viaV2.into);
    const v1 = records(viaV1.into);
    assert.equal(v2.length, 37, '41 generations, 4 of them level ERROR');
    const withoutUserAndSession = (record: Record<string, unknown>) => {
      const metadata = record.metadata as { tags?: Record<string, unknown> };
      const { user: _user, session: _session, ...tags } = metadata.tags ?? {};
      return { ...record, metadata: { ...metadata, tags } };
    };
    assert.deepEqual(v2.map(withoutUserAndSession), v1.map(withoutUserAndSession));
    const sessions = v2.filter((record) => (record.metadata as { tags: { session?: string } }).tags.session).length;
    assert.ok(sessions > 0 && v1.every((record) => (record.metadata as { tags: { session?: string } }).tags.session === undefined));
    const toolCalls = v1.filter((record) => Array.isArray(record.reference_tool_calls));
    assert.ok(toolCalls.length > 0, 'the tool-call answers came through both paths');
    assert.ok(
      v1.some((record) => (record.messages as { content: string }[]).at(-1)?.content.startsWith('Plain question')),
      'plain-text prompts too',
    );
  });
});
