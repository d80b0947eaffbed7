import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TRACE_FILE_ADAPTERS, chatAdapter, detectTraceFormat, heliconeAdapter, langfuseAdapter, litellmAdapter, otelAdapter, requestLogAdapter } from '../../src/core/extract/adapters';
import { decodeAnyValue } from '../../src/core/extract/adapters/otel';
import { toIsoTime } from '../../src/core/extract/adapters/shared';
import type { AdapterOutput, TraceCall, TraceFileAdapter } from '../../src/core/extract/traceCall';

/** Trace fixtures: byte copies of public samples and files written for these tests (see PROVENANCE.md there). */
const TRACES = path.resolve(__dirname, '../fixtures/traces');

/** The top-level JSON values of a fixture, as the extraction reads them: JSONL lines, array elements, or the object. */
function itemsOf(name: string): unknown[] {
  const text = fs.readFileSync(path.join(TRACES, name), 'utf8');
  if (name.endsWith('.jsonl'))
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line));
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value : [value];
}

function readWith(adapter: TraceFileAdapter, items: readonly unknown[]): AdapterOutput {
  const calls: TraceCall[] = [];
  const skips: { at: string; reason: string }[] = [];
  items.forEach((item, i) => {
    const out = adapter.read(item, `line ${i + 1}`);
    calls.push(...out.calls);
    skips.push(...out.skips);
  });
  return { calls, skips };
}

const read = (adapter: TraceFileAdapter, name: string): AdapterOutput => readWith(adapter, itemsOf(name));

function call(out: AdapterOutput, id: string): TraceCall {
  const found = out.calls.find((c) => c.id === id);
  assert.ok(found, `no call ${id} among ${out.calls.map((c) => c.id).join(', ')}`);
  return found;
}

const skipsOf = (out: AdapterOutput) => out.skips.map((s) => `${s.at}: ${s.reason}`);
const fn = (id: string, name: string, args: string) => ({ id, type: 'function', function: { name, arguments: args } });

const SUPPORT_SYSTEM = 'You are the support assistant of Northwind Outfitters. Be brief and use the tools to check orders.';
const FIXTURE_KINDS: Record<string, string> = {
  'litellm_standard_logging_payload.json': 'litellm',
  'litellm_spend_logs_payload.json': 'litellm',
  'litellm_langfuse_ingestion_completion.json': 'langfuse',
  'otlp_proto_example_trace.json': 'otel',
  'litellm.jsonl': 'litellm',
  'litellm_spend_logs.jsonl': 'litellm',
  'langfuse_export.jsonl': 'langfuse',
  'langfuse_generations.json': 'langfuse',
  'otel_genai_attributes.json': 'otel',
  'otel_genai_events.json': 'otel',
  'otel_genai_legacy.jsonl': 'otel',
  'otel_genai_logs.jsonl': 'otel',
  'helicone.jsonl': 'helicone',
  'requestlog.jsonl': 'requestlog',
  'batch_input.jsonl': 'requestlog',
  'batch_output.jsonl': 'requestlog',
  'chat.jsonl': 'chat',
};

describe('trace adapters: LiteLLM', () => {
  it('reads the public StandardLoggingPayload as one call with model, messages and response', () => {
    const out = read(litellmAdapter, 'litellm_standard_logging_payload.json');
    assert.deepEqual(out.skips, []);
    assert.equal(out.calls.length, 1);
    const c = out.calls[0];
    assert.equal(c.id, 'chatcmpl-2299b6a2-82a3-465a-b47c-04e685a2227f');
    assert.equal(c.source, 'litellm');
    assert.equal(c.model, 'gpt-4o');
    assert.equal(c.traceId, undefined); // trace_id is null in the sample
    assert.equal(c.startTime, '2025-01-24T09:20:46.847Z');
    assert.deepEqual(c.messages, [{ role: 'user', content: 'Hello, world!' }]);
    assert.deepEqual(c.response, { content: 'hi' });
    assert.equal(c.tags?.cost, 0.00022500000000000002);
    assert.equal(c.tags?.total_tokens, 30);
    assert.equal(c.tags?.provider, 'openai');
  });

  it('skips the public spend-log row, which did not store prompts, with the setting to enable', () => {
    const out = read(litellmAdapter, 'litellm_spend_logs_payload.json');
    assert.deepEqual(out.calls, []);
    assert.deepEqual(skipsOf(out), ['line 1: spend-log row without messages (enable store_prompts_in_spend_logs)']);
  });

  it('reads StandardLoggingPayload lines: tool calls, content parts, tags, epoch and naive times, skips', () => {
    const out = read(litellmAdapter, 'litellm.jsonl');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['chatcmpl-AZ01', 'chatcmpl-AZ02', 'chatcmpl-AZ03', 'chatcmpl-AZ04', 'chatcmpl-AZ08', 'chatcmpl-AZ10'],
    );
    assert.deepEqual(skipsOf(out), [
      'line 5: call_type aembedding is not a chat or text completion',
      'line 6: messages is not an array (it is a number)',
      'line 7: messages[1] is not an object (it is a string)',
      'line 9: not a JSON object (it is a number)',
    ]);

    const first = call(out, 'chatcmpl-AZ01');
    assert.equal(first.startTime, '2025-03-03T08:20:00.123Z'); // 1740990000.123456 epoch seconds
    assert.equal(first.traceId, 'trace-shipping-1');
    assert.deepEqual(first.tags, {
      user: 'user-1042',
      team: 'support',
      api_key_alias: 'support-bot',
      environment: 'production',
      tags: ['faq', 'shipping'],
      provider: 'openai',
      model_group: 'gpt-4o-mini',
      call_type: 'acompletion',
      status: 'success',
      cost: 0.0004,
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
    });

    const refund = call(out, 'chatcmpl-AZ02');
    assert.equal(refund.messages.length, 6);
    assert.deepEqual(refund.messages[2], { role: 'assistant', content: null, tool_calls: [fn('call_k1', 'get_order_status', '{"order_id": "A-10293"}')] });
    assert.deepEqual(refund.messages[3], { role: 'tool', tool_call_id: 'call_k1', content: '{"status": "delivered", "delivered_at": "2025-02-27", "damaged_items": 1}' });
    assert.deepEqual(refund.response, { tool_calls: [fn('call_k2', 'issue_refund', '{"order_id": "A-10293", "amount": 89.9, "reason": "item arrived damaged"}')] });
    assert.deepEqual(
      refund.tools?.map((t) => (t as { function: { name: string } }).function.name),
      ['get_order_status', 'issue_refund'],
    );

    const photo = call(out, 'chatcmpl-AZ03');
    assert.deepEqual(photo.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Which of your tents is the one in this photo?' },
          { type: 'image_url', image_url: { url: 'https://cdn.example.com/uploads/tent-4417.jpg', detail: 'low' } },
        ],
      },
    ]);
    assert.equal(photo.tools?.length, 1, 'tools from optional_params');

    assert.deepEqual(call(out, 'chatcmpl-AZ04').messages, [{ role: 'system', content: "Summarise today's support tickets in three bullet points." }]);
    const failed = call(out, 'chatcmpl-AZ08');
    assert.equal(failed.response, undefined);
    assert.equal(failed.tags?.status, 'failure');
    const weather = call(out, 'chatcmpl-AZ10');
    assert.equal(weather.startTime, '2025-03-03T08:27:00.000Z'); // "2025-03-03 08:27:00.000001", read as UTC
    assert.equal((weather.messages[1] as { tool_calls: unknown[] }).tool_calls.length, 2);
  });

  it('reads spend-log rows: JSON-encoded columns, prompts from proxy_server_request, precise skips', () => {
    const out = read(litellmAdapter, 'litellm_spend_logs.jsonl');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['chatcmpl-SP01', 'chatcmpl-SP02', 'chatcmpl-SP04'],
    );
    assert.deepEqual(skipsOf(out), [
      'line 3: spend-log row without messages (enable store_prompts_in_spend_logs)',
      'line 5: call_type aembedding is not a chat or text completion',
      'line 6: messages is JSON text that does not parse',
    ]);
    const stored = call(out, 'chatcmpl-SP01');
    assert.equal(stored.startTime, '2025-03-03T09:00:00.250Z');
    assert.equal(stored.traceId, 'sess-b5521');
    assert.equal(stored.messages.length, 5);
    assert.deepEqual(stored.messages[2], { role: 'assistant', content: null, tool_calls: [fn('call_s1', 'get_order_status', '{"order_id": "B-5521"}')] });
    assert.deepEqual(stored.response, { content: 'It is with DHL and should arrive on 5 March.' });
    assert.equal(stored.tags?.team, 'support');
    assert.equal(stored.tags?.environment, 'production');
    assert.deepEqual(stored.tags?.tags, ['orders']);
    assert.equal(stored.tags?.cost, 0.00181);

    const proxied = call(out, 'chatcmpl-SP02');
    assert.equal(proxied.startTime, '2025-03-03T09:05:10.000Z');
    assert.deepEqual(proxied.messages, [{ role: 'user', content: 'Will I see the northern lights in Tromsø tonight? Check the weather.' }]);
    assert.equal(proxied.tools?.length, 1);
    assert.deepEqual(proxied.response, { tool_calls: [fn('call_s2', 'get_weather', '{"city": "Troms\\u00f8", "unit": "celsius"}')] });
    assert.equal(proxied.tags?.user, 'user-9001');

    const decoded = call(out, 'chatcmpl-SP04');
    assert.deepEqual((decoded.messages[0] as { content: unknown[] }).content.length, 2);
    assert.deepEqual(decoded.response, { content: 'Kostenlose Rücksendung innerhalb von 60 Tagen.' });
  });
});

describe('trace adapters: Langfuse', () => {
  it('reads the public ingestion batch: the generation is the call, the trace-create is reported', () => {
    const out = read(langfuseAdapter, 'litellm_langfuse_ingestion_completion.json');
    assert.equal(out.calls.length, 1);
    const c = out.calls[0];
    assert.equal(c.id, 'time-11-28-54-796360_chatcmpl-521e530f-5e29-4d0a-8d1a-58fca0a847c2');
    assert.equal(c.source, 'langfuse');
    assert.equal(c.traceId, 'litellm-test-793c217f-9417-4e77-84a7-8dcc16e5b72b'); // the batch's only trace
    assert.equal(c.model, 'gpt-3.5-turbo');
    assert.equal(c.startTime, '2025-01-16T19:28:54.796Z'); // 11:28:54.796360-08:00
    assert.deepEqual(c.messages, [{ role: 'user', content: 'Hello!' }]);
    assert.deepEqual(c.response, { content: 'Hello! How can I assist you today?' });
    assert.equal(c.tags?.prompt_tokens, 10);
    assert.equal(c.tags?.completion_tokens, 20);
    assert.equal(c.tags?.cost, 5.4999999999999995e-5);
    assert.deepEqual(skipsOf(out), ['line 1 batch[0]: trace-create event (a trace, not a model call)']);
  });

  it('merges generation-create with its generation-update, takes trace tags, reports other events', () => {
    const batch = {
      batch: [
        { id: 'e1', type: 'trace-create', body: { id: 't-1', userId: 'user-9', sessionId: 's-4', tags: ['beta'], environment: 'production' } },
        {
          id: 'e2',
          type: 'generation-create',
          body: { id: 'g-1', traceId: 't-1', name: 'chat', startTime: '2025-03-01T10:00:00.000Z', model: 'gpt-4o', input: [{ role: 'user', content: 'Hi there' }] },
        },
        { id: 'e3', type: 'span-create', body: { id: 's-1', traceId: 't-1', name: 'retrieval' } },
        { id: 'e4', type: 'generation-update', body: { id: 'g-1', traceId: 't-1', output: { role: 'assistant', content: 'Hello!' }, usage: { input: 3, output: 2, total: 5 } } },
        { id: 'e5', type: 'generation-update', body: { id: 'g-2', traceId: 't-1', output: 'orphan update' } },
        { id: 'e6', type: 'score-create', body: { id: 'sc-1', traceId: 't-1', name: 'quality', value: 1 } },
      ],
    };
    const out = langfuseAdapter.read(batch, 'line 1');
    assert.equal(out.calls.length, 1);
    assert.deepEqual(out.calls[0], {
      id: 'g-1',
      source: 'langfuse',
      traceId: 't-1',
      model: 'gpt-4o',
      startTime: '2025-03-01T10:00:00.000Z',
      messages: [{ role: 'user', content: 'Hi there' }],
      response: { content: 'Hello!' },
      tags: { user: 'user-9', session: 's-4', tags: ['beta'], environment: 'production', name: 'chat', prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    assert.deepEqual(skipsOf(out), [
      'line 1 batch[0]: trace-create event (a trace, not a model call)',
      'line 1 batch[2]: span-create event is not a generation',
      'line 1 batch[5]: score-create event is not a generation',
      'line 1 batch[4]: generation without input (was input capture off?)',
    ]);
  });

  it('reads exported observations one per line: messages, {messages, tools}, text prompts, skips', () => {
    const out = read(langfuseAdapter, 'langfuse_export.jsonl');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['gen-01', 'gen-02', 'gen-03', 'gen-05', 'gen-08', 'gen-09'],
    );
    assert.deepEqual(skipsOf(out), [
      'line 4: observation of type SPAN is not a generation',
      'line 6: generation without input (was input capture off?)',
      'line 7: input.messages[1] is not an object (it is a number)',
    ]);
    const faq = call(out, 'gen-01');
    assert.equal(faq.traceId, 'trace-1001');
    assert.equal(faq.startTime, '2025-03-04T10:00:00.000Z');
    assert.deepEqual(faq.tags, { team: 'support', feature: 'faq', environment: 'production', name: 'chat-completion', cost: 0.0002, prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
    const tools = call(out, 'gen-02');
    assert.equal(tools.tools?.length, 2);
    assert.deepEqual(tools.response, { tool_calls: [fn('call_l1', 'get_order_status', '{"order_id":"C-3301"}')] });
    const after = call(out, 'gen-03');
    assert.deepEqual(after.messages[3], { role: 'tool', tool_call_id: 'call_l1', content: '{"status":"delivered","total":129.0}' });
    assert.deepEqual(after.response, { content: 'The order was delivered, so I can refund the full 129.00 once you send the boots back.' });
    assert.deepEqual(call(out, 'gen-05').messages, [{ role: 'user', content: 'Write a one-line product tagline for a 2-person ultralight tent.' }]);
    assert.deepEqual(call(out, 'gen-08').response, { content: 'Stains from normal use are not covered, but we can offer a cleaning kit.' });
    assert.equal(call(out, 'gen-08').tags?.environment, 'staging');
  });

  it('reads an API page {data:[…]} of generations, Anthropic content blocks included', () => {
    const out = read(langfuseAdapter, 'langfuse_generations.json');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['gen-a1', 'gen-a2', 'gen-a4'],
    );
    assert.deepEqual(skipsOf(out), ['line 1 data[2]: observation of type EVENT is not a generation', 'line 1 data[4]: input.messages is not an array (it is a string)']);
    assert.deepEqual(call(out, 'gen-a2').response, { tool_calls: [{ id: 'call_g1', type: 'function', function: { name: 'get_weather', arguments: { city: 'Stavanger' } } }] });
    const claude = call(out, 'gen-a4');
    assert.deepEqual(claude.messages, [
      { role: 'user', content: [{ type: 'text', text: "What's the weather in Bergen?" }] },
      { role: 'assistant', content: null, tool_calls: [fn('toolu_01', 'get_weather', '{"city":"Bergen"}')] },
      { role: 'tool', tool_call_id: 'toolu_01', content: 'rain, 6 °C' },
      { role: 'user', content: 'Should I bring a jacket?' },
    ]);
    assert.deepEqual(claude.response, { content: 'Yes, a waterproof one.' });
  });

  it('reads a trace with its observations and single ingestion events', () => {
    const trace = {
      id: 'tr-5',
      userId: 'u-5',
      tags: ['vip'],
      observations: [
        { id: 'o-1', traceId: 'tr-5', type: 'SPAN', startTime: '2025-03-01T00:00:00Z' },
        { id: 'o-2', traceId: 'tr-5', type: 'GENERATION', startTime: '2025-03-01T00:00:01Z', model: 'gpt-4o', input: { messages: [{ role: 'user', content: 'ping' }] }, output: 'pong' },
      ],
    };
    const out = langfuseAdapter.read(trace, 'record 1');
    assert.deepEqual(
      out.calls.map((c) => [c.id, c.traceId, c.tags?.user, c.response?.content]),
      [['o-2', 'tr-5', 'u-5', 'pong']],
    );
    assert.deepEqual(skipsOf(out), ['record 1 observations[0]: observation of type SPAN is not a generation']);
    const event = { id: 'ev', type: 'generation-create', body: { id: 'g-9', traceId: 'tr-9', input: 'Say hi' } };
    assert.equal(langfuseAdapter.detect([event]).ok, true);
    assert.deepEqual(
      langfuseAdapter.read(event, 'line 3').calls.map((c) => c.messages),
      [[{ role: 'user', content: 'Say hi' }]],
    );
  });
});

describe('trace adapters: OpenTelemetry', () => {
  it('the official OTLP example holds no gen_ai span: only skips, with the reason', () => {
    const out = read(otelAdapter, 'otlp_proto_example_trace.json');
    assert.deepEqual(out.calls, []);
    assert.deepEqual(out.skips, [{ at: 'line 1 span EEE19B7EC3C1B174', reason: 'span without gen_ai attributes' }]);
  });

  it('reads gen_ai.input/output.messages (JSON text and structured AnyValue) and system instructions', () => {
    const out = read(otelAdapter, 'otel_genai_attributes.json');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['b2b2b2b2b2b2b2b2', 'd4d4d4d4d4d4d4d4', '0707070707070707', '0808080808080808'],
    );
    assert.deepEqual(skipsOf(out), [
      'line 1 span a1a1a1a1a1a1a1a1: gen_ai span with operation invoke_agent is not a chat or text completion',
      'line 1 span c3c3c3c3c3c3c3c3: gen_ai span with operation execute_tool is not a chat or text completion',
      'line 1 span e5e5e5e5e5e5e5e5: gen_ai span without message content (content capture off? see OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT)',
      'line 1 span f6f6f6f6f6f6f6f6: span without gen_ai attributes',
      'line 1 span 0909090909090909: gen_ai.input.messages is not an array (it is a string)',
    ]);

    const first = call(out, 'b2b2b2b2b2b2b2b2');
    assert.equal(first.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(first.model, 'gpt-4o');
    assert.equal(first.startTime, '2025-03-05T10:00:00.250Z'); // from nanoseconds, exactly
    assert.deepEqual(first.messages, [
      { role: 'system', content: SUPPORT_SYSTEM },
      { role: 'user', content: 'Where is my order D-7710?' },
    ]);
    assert.deepEqual(first.response, { tool_calls: [fn('call_o1', 'get_order_status', '{"order_id":"D-7710"}')] });
    assert.deepEqual(first.tools?.[0], {
      type: 'function',
      name: 'get_order_status',
      description: 'Look up the shipping status of an order by its id.',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
    });
    assert.deepEqual(first.tags, {
      service: 'support-agent',
      environment: 'production',
      user: 'user-6060',
      session: 'conv-77',
      provider: 'openai',
      operation: 'chat',
      name: 'chat gpt-4o',
      prompt_tokens: 182,
      completion_tokens: 19,
    });

    const structured = call(out, 'd4d4d4d4d4d4d4d4');
    assert.deepEqual(structured.messages, [
      { role: 'system', content: SUPPORT_SYSTEM },
      { role: 'user', content: 'Where is my order D-7710?' },
      { role: 'assistant', content: null, tool_calls: [fn('call_o1', 'get_order_status', '{"order_id":"D-7710"}')] },
      { role: 'tool', tool_call_id: 'call_o1', content: '{"status":"lost","carrier":"PostNord"}' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'It has been three weeks.' },
          { type: 'text', text: 'I want my money back.' },
        ],
      },
    ]);
    assert.deepEqual(structured.response, {
      content: "I'm sorry, PostNord lost the parcel. I'll refund it in full.",
      tool_calls: [fn('call_o2', 'issue_refund', '{"order_id": "D-7710", "amount": 54.0}')],
    });
    assert.equal(structured.tools?.length, 2);

    assert.deepEqual(call(out, '0707070707070707').messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Does this jacket come in green?' },
          { type: 'image_url', image_url: { url: 'https://cdn.example.com/uploads/jacket-12.jpg' } },
        ],
      },
    ]);
    assert.deepEqual(call(out, '0808080808080808').messages, [{ role: 'system', content: 'Write the daily summary of open tickets.' }]);
  });

  it('reads the event-based convention: message events, gen_ai.choice, packed gen_ai.event.content', () => {
    const out = read(otelAdapter, 'otel_genai_events.json');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['1111111111111111', '2222222222222222', '3333333333333333', '4444444444444444'],
    );
    assert.deepEqual(skipsOf(out), [
      'line 1 span 5555555555555555: gen_ai span without message content (content capture off? see OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT)',
      'line 1 span 6666666666666666: span without gen_ai attributes',
    ]);
    const simple = call(out, '1111111111111111');
    assert.deepEqual(simple.messages, [
      { role: 'system', content: 'You answer questions about hiking gear.' },
      { role: 'user', content: 'Are trail runners OK for Besseggen?' },
    ]);
    assert.deepEqual(simple.response, { content: 'Yes, if it is dry; take boots when wet.' });
    assert.equal(simple.tags?.environment, 'staging');
    assert.equal(simple.tags?.prompt_tokens, 41);

    const tools = call(out, '2222222222222222');
    assert.deepEqual(tools.messages, [
      { role: 'system', content: SUPPORT_SYSTEM },
      { role: 'user', content: 'Check order E-4040 please.' },
      { role: 'assistant', content: null, tool_calls: [fn('call_e1', 'get_order_status', '{"order_id":"E-4040"}')] },
      { role: 'tool', tool_call_id: 'call_e1', content: '{"status": "processing"}' },
      { role: 'user', content: 'Cancel it then, refund the 35.50.' },
    ]);
    assert.deepEqual(tools.response, { tool_calls: [fn('call_e2', 'issue_refund', '{"order_id":"E-4040","amount":35.5}')] });

    const packed = call(out, '3333333333333333');
    assert.deepEqual(packed.messages, [{ role: 'user', content: 'How do I reproof a Gore-Tex jacket?' }]);
    assert.deepEqual(packed.response, { content: 'Wash it, then tumble dry on low to reactivate the DWR.' });
    assert.equal(packed.tags?.provider, 'az.ai.inference');
    assert.deepEqual((call(out, '4444444444444444').messages[0] as { content: unknown[] }).content[1], { type: 'image_url', image_url: { url: 'https://cdn.example.com/uploads/boot-sole.jpg' } });
  });

  it('reads indexed gen_ai.prompt.N / gen_ai.completion.N attributes and semconv 1.26 content events (JSONL)', () => {
    const out = read(otelAdapter, 'otel_genai_legacy.jsonl');
    assert.deepEqual(out.skips, []);
    const indexed = call(out, '7777777777777777');
    assert.deepEqual(indexed.messages, [
      { role: 'system', content: SUPPORT_SYSTEM },
      { role: 'user', content: 'Is order F-9090 refundable?' },
      { role: 'assistant', content: null, tool_calls: [fn('call_x1', 'get_order_status', '{"order_id": "F-9090"}')] },
      { role: 'tool', tool_call_id: 'call_x1', content: '{"status": "delivered", "days_since_delivery": 75}' },
      { role: 'user', content: [{ type: 'text', text: 'So?' }] },
    ]);
    assert.deepEqual(indexed.response, { content: 'No: it was delivered 75 days ago and the return window is 60 days.' });
    assert.deepEqual(indexed.tools, [
      {
        type: 'function',
        name: 'get_order_status',
        description: 'Look up the shipping status of an order by its id.',
        parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
      },
    ]);
    assert.deepEqual([indexed.tags?.prompt_tokens, indexed.tags?.completion_tokens, indexed.tags?.total_tokens], [150, 22, 172]);
    const v126 = call(out, '8888888888888888');
    assert.deepEqual(v126.messages, [{ role: 'user', content: 'Recommend a sleeping bag for -5 °C.' }]);
    assert.deepEqual(v126.response, { content: 'The Nordlys -10 down bag: comfort rating -5 °C.' });
    assert.equal(v126.startTime, '2025-03-07T14:01:00.000Z');
  });

  it('reads GenAI events exported as OTLP log records, grouped by span', () => {
    const out = read(otelAdapter, 'otel_genai_logs.jsonl');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc'],
    );
    assert.deepEqual(skipsOf(out), ['line 1 resourceLogs[0].scopeLogs[0].logRecords[7]: log record without a gen_ai event name']);
    const lake = call(out, 'aaaaaaaaaaaaaaaa');
    assert.equal(lake.traceId, '9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e');
    assert.equal(lake.startTime, '2025-03-08T07:00:00.000Z');
    assert.deepEqual(lake.messages, [
      { role: 'system', content: 'You plan day hikes around Oslo.' },
      { role: 'user', content: 'A 3-hour loop with a lake swim?' },
    ]);
    assert.deepEqual(lake.response, { content: 'Try the Sognsvann loop: 3.3 km around the lake, swim at the north beach.' });
    assert.deepEqual(call(out, 'bbbbbbbbbbbbbbbb').messages, [
      { role: 'user', content: 'Is Kolsås open today?' },
      { role: 'assistant', content: null, tool_calls: [fn('call_t1', 'get_weather', '{"city": "Bærum"}')] },
      { role: 'tool', tool_call_id: 'call_t1', content: 'sunny, 4 °C' },
    ]);
    const details = call(out, 'cccccccccccccccc');
    assert.equal(details.model, 'gpt-4o-mini');
    assert.deepEqual(details.messages, [{ role: 'user', content: 'Pack list for a winter day hike?' }]);
    assert.deepEqual(details.response, { content: 'Shell, insulated jacket, microspikes, thermos, headlamp.' });
  });

  it('decodes OTLP AnyValue, int64 as string included', () => {
    assert.equal(decodeAnyValue({ intValue: '42' }), 42);
    assert.equal(decodeAnyValue({ intValue: '9007199254740993' }), '9007199254740993');
    assert.equal(decodeAnyValue({ doubleValue: 0.5 }), 0.5);
    assert.equal(decodeAnyValue({ boolValue: false }), false);
    assert.deepEqual(decodeAnyValue({ arrayValue: { values: [{ stringValue: 'a' }, { kvlistValue: { values: [{ key: 'k', value: { intValue: '1' } }] } }] } }), ['a', { k: 1 }]);
    assert.equal(decodeAnyValue({}), undefined);
  });
});

describe('trace adapters: Helicone', () => {
  it('reads request logs: OpenAI, Anthropic and Responses bodies; sessions, properties, skips', () => {
    const out = read(heliconeAdapter, 'helicone.jsonl');
    assert.equal(out.calls.length, 7);
    assert.deepEqual(skipsOf(out), ['line 4: request body not included (export with --include-body)', 'line 6: request_body.messages is not an array (it is an object)']);
    const faq = call(out, '8e9b0f3a-0001-4b7e-9d6c-1f2a3b4c5d01');
    assert.equal(faq.traceId, 'sess-91');
    assert.equal(faq.model, 'gpt-4o-mini');
    assert.equal(faq.startTime, '2025-03-06T12:00:00.000Z');
    assert.deepEqual(faq.response, { content: 'Yes, within 14 days of purchase for identical items.' });
    assert.equal(faq.tags?.user, 'user-1042');
    assert.equal(faq.tags?.environment, 'production');
    assert.equal(faq.tags?.feature, 'faq');
    assert.equal(faq.tags?.cost, 0.0003);

    const refund = call(out, '8e9b0f3a-0002-4b7e-9d6c-1f2a3b4c5d02');
    assert.equal(refund.messages.length, 5);
    assert.deepEqual(refund.response, { tool_calls: [fn('call_h2', 'issue_refund', '{"order_id": "G-1200", "amount": 42}')] });

    const claude = call(out, '8e9b0f3a-0003-4b7e-9d6c-1f2a3b4c5d03');
    assert.equal(claude.startTime, '2025-03-06T12:02:00.000Z');
    assert.deepEqual(claude.messages, [
      { role: 'system', content: 'You are a gear advisor for hikers.' },
      { role: 'user', content: 'Should I hike Romsdalseggen tomorrow?' },
      { role: 'assistant', content: 'Let me check the weather.', tool_calls: [fn('toolu_h1', 'get_weather', '{"city":"Åndalsnes"}')] },
      { role: 'tool', tool_call_id: 'toolu_h1', content: 'wind 18 m/s, sleet' },
    ]);
    assert.deepEqual(claude.tools, [
      { type: 'function', name: 'get_weather', description: 'Current weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    ]);
    assert.deepEqual(claude.response, { content: 'No: 18 m/s wind and sleet make the ridge dangerous. Pick a valley walk.' });

    const limited = call(out, '8e9b0f3a-0005-4b7e-9d6c-1f2a3b4c5d05');
    assert.equal(limited.response, undefined);
    assert.equal(limited.tags?.status, 429);

    const responses = call(out, '8e9b0f3a-0007-4b7e-9d6c-1f2a3b4c5d07');
    assert.deepEqual(responses.messages, [
      { role: 'system', content: 'Answer in one sentence.' },
      { role: 'user', content: 'What does a 3-season tent mean?' },
    ]);
    assert.deepEqual(responses.response, { content: 'It is built for spring, summer and autumn, not winter storms.' });
  });

  it('reads the API answer {data:[…]}', () => {
    const page = { data: itemsOf('helicone.jsonl').slice(0, 4), error: null };
    assert.equal(heliconeAdapter.detect([page]).ok, true);
    const out = heliconeAdapter.read(page, 'record 1');
    assert.equal(out.calls.length, 3);
    assert.deepEqual(skipsOf(out), ['record 1 data[3]: request body not included (export with --include-body)']);
  });
});

describe('trace adapters: request logs and OpenAI Batch files', () => {
  it('reads {request, response} lines with tags, times and precise skips', () => {
    const out = read(requestLogAdapter, 'requestlog.jsonl');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['req_0001', 'req_0002', 'req_0005', 'req_0006', 'req_0007'],
    );
    assert.deepEqual(skipsOf(out), ['line 3: request.messages is not an array (it is a string)', 'line 4: no "request" object (expected {request:{messages}, response})']);
    const first = call(out, 'req_0001');
    assert.equal(first.model, 'gpt-4o');
    assert.deepEqual(first.response, { tool_calls: [fn('call_r1', 'get_order_status', '{"order_id": "H-3141"}')] });
    assert.deepEqual(first.tags, { user: 'user-1042', team: 'support', environment: 'production', route: '/chat', tags: ['orders'], prompt_tokens: 90, completion_tokens: 25, total_tokens: 115 });
    assert.equal(call(out, 'req_0002').startTime, '2025-03-07T08:01:00.123Z'); // epoch milliseconds
    assert.deepEqual(call(out, 'req_0002').response, { content: 'Thirty-litre grey daypack with hip belt, rain cover and bottle pockets.' });
    assert.equal(call(out, 'req_0005').response, undefined);
    assert.deepEqual(call(out, 'req_0007').messages, [
      { role: 'system', content: 'You are a gear advisor for hikers.' },
      { role: 'user', content: 'Merino or synthetic base layer for a wet hike?' },
    ]);
  });

  it('reads Batch API input lines as calls without response; output lines alone are skipped', () => {
    const input = read(requestLogAdapter, 'batch_input.jsonl');
    assert.deepEqual(
      input.calls.map((c) => c.id),
      ['ticket-101', 'ticket-102', 'ticket-105', 'digest-106', 'resp-107'],
    );
    assert.ok(input.calls.every((c) => c.response === undefined));
    assert.deepEqual(skipsOf(input), ['line 3: batch line for /v1/embeddings is not a chat completion', 'line 4: body has no messages (neither "messages", "input" nor "prompt")']);
    assert.equal(call(input, 'ticket-105').tools?.length, 2);
    assert.deepEqual(call(input, 'resp-107').messages, [
      { role: 'system', content: 'Be concise.' },
      { role: 'user', content: 'What is a gaiter?' },
    ]);
    const output = read(requestLogAdapter, 'batch_output.jsonl');
    assert.deepEqual(output.calls, []);
    assert.deepEqual(
      output.skips.map((s) => s.reason),
      Array(3).fill('batch output line without its input (pass the input file too)'),
    );
  });
});

describe('trace adapters: plain chat JSONL', () => {
  it('reads each line as a call with its messages as given', () => {
    const out = read(chatAdapter, 'chat.jsonl');
    assert.deepEqual(
      out.calls.map((c) => c.id),
      ['line 1', 'line 2', 'line 3', 'line 4', 'line 5'],
    );
    assert.deepEqual(skipsOf(out), ['line 6: messages is not an array (it is a string)', 'line 7: messages is empty', 'line 8: not a JSON object (it is an array)']);
    const items = itemsOf('chat.jsonl') as { messages: unknown[] }[];
    assert.deepEqual(call(out, 'line 1').messages, items[0].messages);
    assert.equal(call(out, 'line 1').response, undefined);
    assert.deepEqual(call(out, 'line 2').response, { content: 'Brush off dry mud, wipe with a damp cloth, let dry slowly, then wax.' });
    assert.deepEqual(call(out, 'line 2').tags, { topic: 'boot_care', author: 'kari' });
    assert.equal(call(out, 'line 3').model, 'gpt-4o-mini');
    assert.equal(call(out, 'line 3').tools?.length, 1);
  });
});

describe('trace format detection', () => {
  it('lists the adapters in detection order, plain chat last', () => {
    assert.deepEqual(
      TRACE_FILE_ADAPTERS.map((a) => a.kind),
      ['otel', 'langfuse', 'litellm', 'helicone', 'requestlog', 'chat'],
    );
  });

  for (const [file, kind] of Object.entries(FIXTURE_KINDS)) {
    it(`detects ${file} as ${kind}`, () => {
      const detected = detectTraceFormat(itemsOf(file));
      assert.ok('adapter' in detected, 'error' in detected ? detected.error : '');
      assert.equal(detected.adapter.kind, kind);
    });
  }

  it('names every format tried, and why, when none matches', () => {
    const detected = detectTraceFormat([
      { prompt: 'Hi', completion: 'Hello' },
      { prompt: 'Bye', completion: 'Bye!' },
    ]);
    assert.ok('error' in detected);
    assert.match(detected.error, /^Unknown trace format \(2 items; the first has keys: prompt, completion\)/);
    for (const adapter of TRACE_FILE_ADAPTERS) assert.match(detected.error, new RegExp(`\\n  - ${adapter.kind}: none of 2 items is `));
    assert.match(detected.error, /otel: none of 2 items is an OTLP\/JSON object with resourceSpans/);
    assert.deepEqual(detectTraceFormat([]), { error: 'Cannot tell the trace format: the file holds no JSON values.' });
  });

  it('needs at least half of the sample to match', () => {
    const chat = { messages: [{ role: 'user', content: 'hi' }] };
    assert.equal(chatAdapter.detect([chat, chat, 'oops']).ok, true);
    assert.deepEqual(chatAdapter.detect([chat, 'oops', 7]), {
      ok: false,
      reason: 'only 1 of 3 items are a chat record ({messages:[…]} without call_type/request_id/resourceSpans/batch/request/request_body/response_body/custom_id/observations) (at least half must be)',
    });
  });
});

describe('trace adapters never throw', () => {
  const garbage: unknown[] = [
    null,
    42,
    'text',
    [],
    [1, 2],
    {},
    { messages: null },
    { request: null },
    { resourceSpans: [null, { scopeSpans: [{ spans: [null, 5, {}] }] }] },
    { batch: [null, { type: 'generation-create' }, { type: 'generation-create', body: { id: 'x', input: 5 } }] },
    { data: [null, {}] },
    { custom_id: 'c', body: { messages: 'x' } },
    { call_type: 'acompletion', messages: [null] },
    { request_id: 'r', call_type: 'completion', messages: '{}', proxy_server_request: '{"messages": 3}' },
    { request_id: 'h', request_body: { messages: [{ content: 'no role' }] } },
    { observations: [{ id: 'o', type: 'GENERATION', traceId: 't', input: { messages: [{ role: 'user', parts: 'nope' }] } }] },
  ];

  it('returns skips with a reason for malformed items, whatever the adapter', () => {
    for (const adapter of TRACE_FILE_ADAPTERS) {
      garbage.forEach((item, i) => {
        const out = adapter.read(item, `line ${i + 1}`);
        assert.ok(Array.isArray(out.calls) && Array.isArray(out.skips), `${adapter.kind} on item ${i}`);
        for (const skip of out.skips) assert.ok(skip.reason.length > 0 && skip.at.startsWith(`line ${i + 1}`), `${adapter.kind}: ${JSON.stringify(skip)}`);
        assert.ok(out.calls.length + out.skips.length > 0, `${adapter.kind} dropped item ${i} silently`);
      });
    }
  });

  it('reads every fixture with every adapter without throwing', () => {
    for (const file of Object.keys(FIXTURE_KINDS)) {
      for (const adapter of TRACE_FILE_ADAPTERS) assert.doesNotThrow(() => readWith(adapter, itemsOf(file)), `${adapter.kind} on ${file}`);
    }
  });

  it('turns an exception while reading into a skip', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        has: () => true,
      },
    );
    for (const adapter of TRACE_FILE_ADAPTERS) {
      const out = adapter.read(hostile, 'line 1');
      assert.deepEqual(out.calls, []);
      assert.equal(out.skips.length, 1);
      assert.equal(out.skips[0].reason, 'could not read this item: boom');
    }
  });

  it('reads the times tracers write', () => {
    assert.equal(toIsoTime(1740990000.5), '2025-03-03T08:20:00.500Z'); // seconds
    assert.equal(toIsoTime(1740990000500), '2025-03-03T08:20:00.500Z'); // milliseconds
    assert.equal(toIsoTime('1740990000500000000'), '2025-03-03T08:20:00.500Z'); // OTLP nanoseconds as text
    assert.equal(toIsoTime('2025-03-03 08:20:00.500123'), '2025-03-03T08:20:00.500Z'); // naive, read as UTC
    assert.equal(toIsoTime('2025-03-03T09:20:00.5+01:00'), '2025-03-03T08:20:00.500Z');
    assert.equal(toIsoTime('yesterday'), undefined);
    assert.equal(toIsoTime(null), undefined);
  });
});

describe('trace adapters: failed calls are marked, per format', () => {
  const user = [{ role: 'user', content: 'Where is my order?' }];
  const failedOf = (out: AdapterOutput) => out.calls.map((c) => c.failed);

  it('LiteLLM: status "failure" (payloads and spend-log rows), with the error words when logged', () => {
    const out = read(litellmAdapter, 'litellm.jsonl');
    assert.equal(call(out, 'chatcmpl-AZ08').failed !== undefined, true, 'the fixture line with status failure');
    assert.deepEqual(
      out.calls.filter((c) => c.failed !== undefined).map((c) => c.id),
      ['chatcmpl-AZ08'],
      'the successful calls are not marked',
    );
    const payload = {
      id: 'x1',
      call_type: 'acompletion',
      status: 'failure',
      messages: user,
      error_str: 'litellm.RateLimitError: quota exceeded',
      error_information: { error_class: 'RateLimitError', error_message: 'quota exceeded' },
    };
    assert.deepEqual(failedOf(litellmAdapter.read(payload, 'line 1')), ['litellm.RateLimitError: quota exceeded']);
    const { error_str: _dropped, ...withoutText } = payload;
    assert.deepEqual(failedOf(litellmAdapter.read(withoutText, 'line 1')), ['quota exceeded']);
    const row = {
      request_id: 'r1',
      call_type: 'acompletion',
      spend: 0,
      status: 'failure',
      messages: JSON.stringify(user),
      metadata: JSON.stringify({ error_information: { error_class: 'APIConnectionError' } }),
    };
    assert.deepEqual(failedOf(litellmAdapter.read(row, 'line 1')), ['APIConnectionError']);
    assert.deepEqual(failedOf(litellmAdapter.read({ ...row, status: 'success', metadata: '{}' }, 'line 1')), [undefined]);
  });

  it('Langfuse: level ERROR, with its statusMessage', () => {
    const generation = { id: 'g1', traceId: 't1', type: 'GENERATION', startTime: '2026-10-01T10:00:00Z', input: user, level: 'ERROR', statusMessage: 'Error: 500 upstream timeout' };
    assert.deepEqual(failedOf(langfuseAdapter.read(generation, 'line 1')), ['Error: 500 upstream timeout']);
    const { statusMessage: _message, ...bare } = generation;
    assert.deepEqual(failedOf(langfuseAdapter.read(bare, 'line 1')), ['level ERROR']);
    assert.deepEqual(failedOf(langfuseAdapter.read({ ...generation, level: 'WARNING' }, 'line 1')), [undefined]);
    assert.ok(read(langfuseAdapter, 'langfuse_export.jsonl').calls.every((c) => c.failed === undefined));
  });

  it('OpenTelemetry: span status ERROR (code 2 or its name), or the error.type attribute, spans and log records alike', () => {
    const span = (status: unknown, extra: Record<string, unknown> = {}) => ({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  spanId: 's1',
                  name: 'chat gpt-4o',
                  status,
                  attributes: Object.entries({
                    'gen_ai.operation.name': 'chat',
                    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Where is my order?' }] }]),
                    ...extra,
                  }).map(([key, value]) => ({ key, value: { stringValue: value } })),
                },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(failedOf(otelAdapter.read(span({ code: 2, message: 'rate limited' }), 'line 1')), ['rate limited']);
    assert.deepEqual(failedOf(otelAdapter.read(span({ code: 'STATUS_CODE_ERROR' }), 'line 1')), ['span status ERROR']);
    assert.deepEqual(failedOf(otelAdapter.read(span({}, { 'error.type': 'timeout' }), 'line 1')), ['timeout']);
    assert.deepEqual(failedOf(otelAdapter.read(span({ code: 1 }), 'line 1')), [undefined]);
    const logs = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  spanId: 'l1',
                  eventName: 'gen_ai.user.message',
                  attributes: [{ key: 'error.type', value: { stringValue: '429' } }],
                  body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'Where is my order?' } }] } },
                },
              ],
            },
          ],
        },
      ],
    };
    assert.deepEqual(failedOf(otelAdapter.read(logs, 'line 1')), ['429']);
    for (const name of ['otel_genai_attributes.json', 'otel_genai_events.json', 'otel_genai_logs.jsonl'])
      assert.ok(
        read(otelAdapter, name).calls.every((c) => c.failed === undefined),
        name,
      );
  });

  it('Helicone: response_status 400 or more, with the error message of the response body', () => {
    const out = read(heliconeAdapter, 'helicone.jsonl');
    assert.equal(call(out, '8e9b0f3a-0005-4b7e-9d6c-1f2a3b4c5d05').failed, 'HTTP 429: Rate limit reached for gpt-4o');
    assert.equal(out.calls.filter((c) => c.failed !== undefined).length, 1, 'status 200 calls are not marked');
  });

  it('request logs: an error, or status_code / status 400 or more (on the line or its response)', () => {
    const line = (extra: Record<string, unknown>) => requestLogAdapter.read({ id: 'q1', request: { model: 'gpt-4o', messages: user }, ...extra }, 'line 1');
    assert.deepEqual(failedOf(line({ status_code: 500, error: { message: 'upstream timeout' } })), ['HTTP 500: upstream timeout']);
    assert.deepEqual(failedOf(line({ status: 503 })), ['HTTP 503']);
    assert.deepEqual(failedOf(line({ error: 'connection reset' })), ['connection reset']);
    assert.deepEqual(failedOf(line({ response: { error: { message: 'Invalid API key', type: 'invalid_request_error' } } })), ['Invalid API key']);
    assert.deepEqual(failedOf(line({ status_code: 200, error: null, response: { choices: [{ message: { role: 'assistant', content: 'On its way.' } }] } })), [undefined]);
    assert.ok(read(requestLogAdapter, 'requestlog.jsonl').calls.every((c) => c.failed === undefined));
  });
});
