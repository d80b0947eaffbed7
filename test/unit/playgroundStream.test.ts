// The playground's streamed answers (src/extension/deploy/modelCalls.ts) through the real openai SDK against the
// protocol-faithful test server streaming `stream: true`: text and tool-call deltas, base and tuned side by side, Stop
// mid-stream, a dropped stream, a server that refuses streaming (the fallback) and a failed call.
import * as assert from 'node:assert/strict';
import { tunedProviderOf, type TunedModel } from '../../src/core/deploy';
import { ModelClient } from '../../src/core/llm/modelClient';
import { streamAnswer } from '../../src/extension/deploy/modelCalls';
import { useOpenAiTestServer } from '../support/openaiServer';

const RECORD = { messages: [{ role: 'user', content: 'Where is my refund?' }] };
const CHAT = { path: '/chat/completions' };

describe('playground streaming', () => {
  const testServer = useOpenAiTestServer();
  const client = () => new ModelClient({ kind: 'openai', apiKey: testServer().apiKey, baseURL: testServer().baseURL });
  const chatBodies = () =>
    testServer()
      .requests.filter((request) => request.path === '/v1/chat/completions')
      .map((request) => request.body as { model: string; stream?: boolean });

  it('gives each piece of text as it arrives, in order, and assembles tool calls from their fragments', async () => {
    const text = 'Open Billing, then Refunds, and pick the order.';
    testServer().onChat(() => ({ content: text, toolCalls: [{ name: 'lookup_order', arguments: { order: 'A1', include_history: true }, id: 'call_1' }] }));
    const pieces: string[] = [];
    const answer = await streamAnswer(client(), RECORD, 'ft:tuned', (piece) => pieces.push(piece));
    assert.ok(pieces.length > 1, `streamed in ${pieces.length} pieces`);
    assert.equal(pieces.join(''), text);
    assert.ok('sample' in answer);
    assert.equal(answer.sample.output_text, text);
    assert.deepEqual(answer.sample.output_tools, [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order":"A1","include_history":true}' } }]);
    assert.deepEqual(
      chatBodies().map((body) => [body.model, body.stream]),
      [['ft:tuned', true]],
    );
  });

  it('streams base and tuned side by side, the tuned model at its own endpoint, each side its own text', async () => {
    testServer().onChat((request) => ({ content: request.model === 'qwen-rft' ? 'Tuned: open Billing and pick the order.' : 'Base: I cannot help with that.' }));
    const tuned: TunedModel = { model: 'qwen-rft', endpoint: 'compatible', baseURL: testServer().baseURL, apiKeyEnv: 'PLAYGROUND_TUNED_KEY', source: 'manual', recordedAt: '' };
    const base = { kind: 'openai' as const, apiKey: testServer().apiKey, baseURL: testServer().baseURL };
    const tunedClient = new ModelClient(tunedProviderOf(tuned, base, { PLAYGROUND_TUNED_KEY: testServer().apiKey }));
    const pieces: Record<'base' | 'tuned', string[]> = { base: [], tuned: [] };
    const [baseAnswer, tunedAnswer] = await Promise.all([
      streamAnswer(new ModelClient(base), RECORD, 'gpt-4o-mini', (piece) => pieces.base.push(piece)),
      streamAnswer(tunedClient, RECORD, 'qwen-rft', (piece) => pieces.tuned.push(piece)),
    ]);
    assert.ok(pieces.base.length > 1 && pieces.tuned.length > 1);
    assert.equal(pieces.base.join(''), 'Base: I cannot help with that.');
    assert.equal(pieces.tuned.join(''), 'Tuned: open Billing and pick the order.');
    assert.ok('sample' in baseAnswer && baseAnswer.sample.output_text === pieces.base.join(''));
    assert.ok('sample' in tunedAnswer && tunedAnswer.sample.output_text === pieces.tuned.join(''));
    assert.deepEqual(
      chatBodies()
        .map((body) => [body.model, body.stream])
        .sort(),
      [
        ['gpt-4o-mini', true],
        ['qwen-rft', true],
      ],
    );
  });

  it('Stop mid-stream aborts: the text so far was given, the call throws (so there is no answer to score), nothing is asked again', async () => {
    testServer().fault(CHAT, { kind: 'streamCut', afterChunks: 2, hold: true }); // the model pauses after its first word
    const controller = new AbortController();
    const pieces: string[] = [];
    await assert.rejects(
      streamAnswer(
        client(),
        RECORD,
        'gpt-4o-mini',
        (piece) => {
          pieces.push(piece);
          controller.abort();
        },
        controller.signal,
      ),
      (error: Error) => /abort/i.test(error.name) || /abort/i.test(error.message),
    );
    assert.deepEqual(pieces, ['echo:']);
    assert.equal(chatBodies().length, 1);
  });

  it('a stream dropped mid-way is the error that stands for the answer, after the text it gave', async () => {
    testServer().fault(CHAT, { kind: 'streamCut' });
    const pieces: string[] = [];
    const answer = await streamAnswer(client(), RECORD, 'gpt-4o-mini', (piece) => pieces.push(piece));
    assert.ok('error' in answer, 'a cut answer is not an answer');
    assert.match(answer.error, /^model_\w+: /);
    assert.deepEqual(pieces, ['echo:']);
    assert.equal(chatBodies().length, 1, 'not asked again without streaming');
  });

  it('a server that refuses stream: true is asked again without it, its whole answer one piece', async () => {
    testServer().onChat(() => ({ content: 'The whole answer.' }));
    testServer().fault(CHAT, { kind: 'noStream' });
    const pieces: string[] = [];
    const answer = await streamAnswer(client(), RECORD, 'gpt-4o-mini', (piece) => pieces.push(piece));
    assert.deepEqual(pieces, ['The whole answer.']);
    assert.ok('sample' in answer && answer.sample.output_text === 'The whole answer.');
    assert.deepEqual(
      chatBodies().map((body) => body.stream),
      [true, undefined],
    );
  });

  it('a failed call is the error that stands for the answer', async () => {
    testServer().onChat(() => ({ error: { status: 401, message: 'Incorrect API key provided.' } }));
    const answer = await streamAnswer(client(), RECORD, 'gpt-4o-mini', () => undefined);
    assert.ok('error' in answer);
    assert.match(answer.error, /^model_error: 401/);
  });

  it('the tuned model is asked at its own compatible server (its key from the variable it names), else with the base provider', () => {
    const base = { kind: 'openai' as const, apiKey: 'base-key' };
    assert.equal(tunedProviderOf({ model: 'ft:x', endpoint: 'openai', source: 'job', recordedAt: '' }, base), base);
    assert.deepEqual(tunedProviderOf({ model: 'qwen-rft', endpoint: 'compatible', baseURL: 'http://gpu:8000/v1', apiKeyEnv: 'VLLM_KEY', source: 'manual', recordedAt: '' }, base, { VLLM_KEY: 'v' }), {
      kind: 'openai',
      apiKey: 'v',
      baseURL: 'http://gpu:8000/v1',
    });
    assert.deepEqual(tunedProviderOf({ model: 'qwen-rft', endpoint: 'compatible', baseURL: 'http://gpu:8000/v1', source: 'manual', recordedAt: '' }, base, {}), {
      kind: 'openai',
      apiKey: 'not-needed',
      baseURL: 'http://gpu:8000/v1',
    });
  });
});
