// The playground's streamed answers (src/extension/deploy/modelCalls.ts) through the real openai SDK: an SSE server
// that sends text and tool-call deltas, the protocol-faithful test server that refuses stream: true (the fallback),
// a server error, and Stop mid-stream.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tunedProviderOf, streamAnswer } from '../../src/extension/deploy/modelCalls';
import { ModelClient } from '../../src/core/llm/modelClient';
import { useOpenAiTestServer } from '../support/openaiServer';

const RECORD = { messages: [{ role: 'user', content: 'Where is my refund?' }] };

/** An OpenAI-style SSE stream of `chunks` (choices[0].delta each), then [DONE]; `hold` keeps it open before the end. */
async function sseServer(chunks: Record<string, unknown>[], options: { hold?: boolean } = {}): Promise<{ url: string; bodies: Record<string, unknown>[]; close(): Promise<void> }> {
  const bodies: Record<string, unknown>[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (part: Buffer) => (text += part.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const delta of chunks) response.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
      if (options.hold) return;
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    bodies,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

describe('playground streaming', () => {
  const testServer = useOpenAiTestServer();

  it('gives each piece of text as it arrives and assembles tool calls from their deltas', async () => {
    const server = await sseServer([
      { role: 'assistant', content: 'Open ' },
      { content: 'Billing' },
      { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup_', arguments: '{"order"' } }] },
      { tool_calls: [{ index: 0, function: { name: 'order', arguments: ': "A1"}' } }] },
      { content: '.' },
    ]);
    try {
      const client = new ModelClient({ kind: 'openai', apiKey: 'k', baseURL: server.url });
      const pieces: string[] = [];
      const answer = await streamAnswer(client, RECORD, 'ft:tuned', (text) => pieces.push(text));
      assert.deepEqual(pieces, ['Open ', 'Billing', '.']);
      assert.ok('sample' in answer);
      assert.equal(answer.sample.output_text, 'Open Billing.');
      assert.deepEqual(answer.sample.output_tools, [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order": "A1"}' } }]);
      assert.equal(server.bodies[0].stream, true);
      assert.equal(server.bodies[0].model, 'ft:tuned');
    } finally {
      await server.close();
    }
  });

  it('a server that refuses stream: true is asked again without it, its whole answer one piece', async () => {
    testServer().onChat(() => ({ content: 'The whole answer.' }));
    const client = new ModelClient({ kind: 'openai', apiKey: testServer().apiKey, baseURL: testServer().baseURL });
    const pieces: string[] = [];
    const answer = await streamAnswer(client, RECORD, 'gpt-4o-mini', (text) => pieces.push(text));
    assert.deepEqual(pieces, ['The whole answer.']);
    assert.ok('sample' in answer && answer.sample.output_text === 'The whole answer.');
    const bodies = testServer().requests.filter((r) => r.path === '/v1/chat/completions').map((r) => (r.body as { stream?: boolean }).stream);
    assert.deepEqual(bodies, [true, undefined]);
  });

  it('a failed call is the error that stands for the answer', async () => {
    testServer().onChat(() => ({ error: { status: 401, message: 'Incorrect API key provided.' } }));
    const client = new ModelClient({ kind: 'openai', apiKey: testServer().apiKey, baseURL: testServer().baseURL });
    const answer = await streamAnswer(client, RECORD, 'gpt-4o-mini', () => undefined);
    assert.ok('error' in answer);
    assert.match(answer.error, /^model_error: 401/);
  });

  it('Stop mid-stream aborts: the text so far was given, the call throws', async () => {
    const server = await sseServer([{ content: 'Half an ' }], { hold: true });
    try {
      const client = new ModelClient({ kind: 'openai', apiKey: 'k', baseURL: server.url });
      const controller = new AbortController();
      const pieces: string[] = [];
      await assert.rejects(streamAnswer(client, RECORD, 'm', (text) => {
        pieces.push(text);
        controller.abort();
      }, controller.signal), (error: Error) => /abort/i.test(error.name) || /abort/i.test(error.message));
      assert.deepEqual(pieces, ['Half an ']);
    } finally {
      await server.close();
    }
  });

  it('the tuned model is asked at its own compatible server (its key from the variable it names), else with the base provider', () => {
    const base = { kind: 'openai' as const, apiKey: 'base-key' };
    assert.equal(tunedProviderOf({ model: 'ft:x', endpoint: 'openai', source: 'job', recordedAt: '' }, base), base);
    assert.deepEqual(tunedProviderOf({ model: 'qwen-rft', endpoint: 'compatible', baseURL: 'http://gpu:8000/v1', apiKeyEnv: 'VLLM_KEY', source: 'manual', recordedAt: '' }, base, { VLLM_KEY: 'v' }), { kind: 'openai', apiKey: 'v', baseURL: 'http://gpu:8000/v1' });
    assert.deepEqual(tunedProviderOf({ model: 'qwen-rft', endpoint: 'compatible', baseURL: 'http://gpu:8000/v1', source: 'manual', recordedAt: '' }, base, {}), { kind: 'openai', apiKey: 'not-needed', baseURL: 'http://gpu:8000/v1' });
  });
});
