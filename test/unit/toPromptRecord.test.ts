import * as assert from 'node:assert/strict';
import { filterReason, globMatch } from '../../src/core/extract/filters';
import { SeededSample } from '../../src/core/random/seededSample';
import { toPromptRecord } from '../../src/core/extract/toPromptRecord';
import type { TraceCall } from '../../src/core/extract/traceCall';
import { validate } from '../support/validate';

const call = (over: Partial<TraceCall>): TraceCall => ({ id: 'req-1', source: 'litellm', messages: [{ role: 'user', content: 'Where is invoice INV-7?' }], ...over });
const recordOf = (c: TraceCall) => {
  const result = toPromptRecord(c);
  assert.ok('record' in result, 'skip' in result ? result.skip : '');
  return result.record;
};

describe('traces → prompt records', () => {
  it('keeps the prompt up to the last user turn and the response as reference_answer, with provenance', () => {
    const record = recordOf(call({ model: 'gpt-4o', startTime: '2026-10-01T10:00:00.000Z', traceId: 't1', tags: { team: 'billing' }, response: { content: 'It was paid on 3 Oct.' } }));
    assert.deepEqual(record, {
      messages: [{ role: 'user', content: 'Where is invoice INV-7?' }],
      reference_answer: 'It was paid on 3 Oct.',
      metadata: { source: 'litellm:req-1', trace_id: 't1', model: 'gpt-4o', timestamp: '2026-10-01T10:00:00.000Z', tags: { team: 'billing' } },
    });
    assert.deepEqual(validate(record).issues, []);
  });

  it('multi-turn with tool calls: the chain before the last user stays, object arguments become strings', () => {
    const messages = [
      { role: 'system', content: 'You are Acme support.' },
      { role: 'user', content: 'Find invoice INV-7' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup_invoice', arguments: { invoice_id: 'INV-7' } } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"status":"paid"}' },
      { role: 'assistant', content: 'It is paid.' },
      { role: 'user', content: 'Great, and can you email me the PDF?' },
    ];
    const record = recordOf(
      call({
        messages,
        tools: [{ type: 'function', name: 'lookup_invoice', description: 'Find an invoice', parameters: { type: 'object', properties: { invoice_id: { type: 'string' } } } }],
        response: { tool_calls: [{ id: 'c2', name: 'email_invoice', arguments: { invoice_id: 'INV-7' } }] },
      }),
    );
    assert.equal((record.messages as { tool_calls?: { function: { arguments: string } }[] }[])[2].tool_calls?.[0].function.arguments, '{"invoice_id":"INV-7"}');
    assert.deepEqual(record.tools, [
      { type: 'function', function: { name: 'lookup_invoice', description: 'Find an invoice', parameters: { type: 'object', properties: { invoice_id: { type: 'string' } } } } },
    ]);
    assert.deepEqual(record.reference_tool_calls, [{ id: 'c2', type: 'function', function: { name: 'email_invoice', arguments: '{"invoice_id":"INV-7"}' } }]);
    assert.equal(record.reference_answer, undefined);
    assert.deepEqual(validate(record).issues, []);
  });

  it('a trace that ends with the assistant turn (chat/SFT) uses that turn as the reference', () => {
    const record = recordOf(
      call({
        messages: [
          { role: 'user', content: 'What plans exist?' },
          { role: 'assistant', content: [{ type: 'text', text: 'Free and Pro.' }] },
        ],
        response: { content: 'ignored' },
      }),
    );
    assert.equal(record.reference_answer, 'Free and Pro.');
    assert.equal(record.messages.length, 1);
  });

  it('keeps content-part arrays, and skips calls without a user turn with a reason', () => {
    const parts = [
      { type: 'text', text: 'What does this error mean?' },
      { type: 'image_url', image_url: { url: 'https://x/y.png' } },
    ];
    assert.deepEqual(recordOf(call({ messages: [{ role: 'user', content: parts }] })).messages, [{ role: 'user', content: parts }]);
    assert.deepEqual(toPromptRecord(call({ messages: [{ role: 'system', content: 'hi' }] })), { skip: 'no user message (nothing for the model to answer)' });
    assert.deepEqual(toPromptRecord(call({ messages: [] })), { skip: 'no request messages' });
  });
});

describe('trace filters', () => {
  it('time range, models (exact and glob), tags, text', () => {
    const c = call({ model: 'gpt-4o-mini', startTime: '2026-10-05T00:00:00Z', tags: { team: 'billing' } });
    assert.equal(filterReason(c, { since: '2026-10-01T00:00:00Z', until: '2026-10-06T00:00:00Z' }), undefined);
    assert.equal(filterReason(c, { since: '2026-10-06T00:00:00Z' }), 'before --since');
    assert.equal(filterReason(c, { until: '2026-10-05T00:00:00Z' }), 'at or after --until');
    assert.equal(filterReason(call({}), { since: '2026-10-01T00:00:00Z' }), 'no start time (a time range is set)');
    assert.equal(filterReason(c, { models: ['gpt-4o*'] }), undefined);
    assert.equal(filterReason(c, { models: ['gpt-4o'] }), 'model not selected');
    assert.equal(filterReason(c, { tags: { team: 'billing' } }), undefined);
    assert.equal(filterReason(c, { tags: { team: 'sales' } }), 'tag team is not sales');
    assert.equal(filterReason(c, { contains: 'inv-7' }), undefined);
    assert.equal(filterReason(c, { contains: 'refund' }), 'text not found');
    assert.equal(globMatch('claude-?-*', 'claude-3-opus'), true);
    assert.equal(globMatch('a.b', 'axb'), false);
  });

  it('a seeded sample is reproducible, of the right size, in input order', () => {
    const pick = (seed: number) => {
      const sample = new SeededSample<number>(10, seed);
      for (let i = 0; i < 1000; i++) sample.add(i);
      return sample.items();
    };
    assert.deepEqual(pick(7), pick(7));
    assert.notDeepEqual(pick(7), pick(8));
    assert.equal(pick(7).length, 10);
    assert.deepEqual(
      pick(7),
      [...pick(7)].sort((a, b) => a - b),
    );
  });
});
