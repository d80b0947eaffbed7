import * as assert from 'node:assert/strict';
import { assistant, call, codesOf, tool, toolResult, underlined, user, validate } from '../support/validate';
import { ALL_CODES, severityOf } from '../../src/core/validation/codes';
import { resolveValidationSettings } from '../../src/core/validation/settings';

const chain = (calls: ReturnType<typeof call>[], results: ReturnType<typeof toolResult>[]) => ({
  tools: [tool()],
  messages: [user('Where is invoice INV-1 for my account?'), { role: 'assistant', content: null, tool_calls: calls }, ...results, user('Thanks, and is it paid already?')],
});

describe('record checks: every code, positive and negative', () => {
  it('accepts a well-formed single-turn, multi-turn, tool chain and content-part record', () => {
    assert.deepEqual(codesOf({ messages: [user()] }), []);
    assert.deepEqual(codesOf({ messages: [{ role: 'system', content: 'Be brief.' }, user(), assistant(), user('And for SSO accounts too?')] }), []);
    assert.deepEqual(codesOf(chain([call('c1')], [toolResult('c1')])), []);
    assert.deepEqual(codesOf({ messages: [user([{ type: 'text', text: 'What does this error mean?' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }])] }), []);
    assert.deepEqual(codesOf({ messages: [{ role: 'developer', content: 'Answer in JSON.' }, user()], reference_answer: 'x', anything: { nested: [1] } }), []);
  });

  it('invalid_json: located at the parse error', () => {
    const result = validate('{"messages": [{"role": "user", "content": "hi"}');
    assert.deepEqual(result.issues.map((i) => i.code), ['invalid_json']);
    assert.match(result.issues[0].message, /column \d+/);
    assert.ok(result.issues[0].start > 30, 'the error is near the end, not at column 1');
    assert.deepEqual(codesOf('{"messages": [], }'), ['invalid_json']);
    assert.deepEqual(codesOf('{"a":1} {"b":2}'), ['invalid_json']);
  });

  it('not_object for arrays, strings, numbers, null', () => {
    for (const line of ['[1,2]', '"text"', '42', 'null', 'true']) assert.deepEqual(codesOf(line), ['not_object'], line);
    assert.deepEqual(codesOf({ messages: [user()] }).includes('not_object'), false);
  });

  it('missing_messages when absent or not an array', () => {
    assert.deepEqual(codesOf({ prompt: 'hello there' }), ['missing_messages']);
    assert.deepEqual(codesOf({ messages: 'hello there' }), ['missing_messages']);
    assert.deepEqual(underlined({ messages: { role: 'user' } }, 'missing_messages'), ['{"role":"user"}']);
  });

  it('empty_messages', () => {
    assert.deepEqual(codesOf({ messages: [] }), ['empty_messages']);
    assert.deepEqual(underlined({ messages: [] }, 'empty_messages'), ['[]']);
  });

  it('invalid_message: non-object message, missing role, bad content, bad parts', () => {
    assert.deepEqual(codesOf({ messages: ['hi', user()] }), ['invalid_message']);
    assert.deepEqual(codesOf({ messages: [{ content: 'no role here' }, user()] }), ['invalid_message']);
    assert.deepEqual(codesOf({ messages: [user(42)] }), ['invalid_message']);
    assert.deepEqual(codesOf({ messages: [user([{ text: 'no type' }])] }), ['invalid_message']);
    assert.deepEqual(codesOf({ messages: [user([{ type: 'text' }])] }), ['invalid_message']);
    assert.deepEqual(underlined({ messages: [user(42)] }, 'invalid_message'), ['42']);
  });

  it('invalid_role underlines the role value', () => {
    assert.deepEqual(codesOf({ messages: [{ role: 'bot', content: 'hello' }, user()] }), ['invalid_role']);
    assert.deepEqual(underlined({ messages: [{ role: 'bot', content: 'hello' }, user()] }, 'invalid_role'), ['"bot"']);
    assert.deepEqual(codesOf({ messages: [{ role: 'developer', content: 'x' }, user()] }), []);
  });

  it('missing_content for user/system without content, assistant without content or calls, tool without content', () => {
    assert.deepEqual(codesOf({ messages: [{ role: 'user' }] }), ['missing_content']);
    assert.deepEqual(codesOf({ messages: [{ role: 'system' }, user()] }), ['missing_content']);
    assert.deepEqual(codesOf({ messages: [user(), { role: 'assistant' }, user('Are you still there?')] }), ['missing_content']);
    assert.deepEqual(codesOf({ messages: [user(), { role: 'assistant', content: null, tool_calls: [call('c1')] }, { role: 'tool', tool_call_id: 'c1' }, user('And the other one?')] , tools: [tool()] }), ['missing_content']);
    assert.deepEqual(codesOf({ messages: [user(), { role: 'assistant', tool_calls: [call('c1')] }, toolResult('c1'), user('And the other one?')], tools: [tool()] }), []);
  });

  it('no_user_message', () => {
    assert.deepEqual(codesOf({ messages: [{ role: 'system', content: 'You are helpful.' }] }), ['no_user_message']);
    assert.deepEqual(codesOf({ messages: [{ role: 'system', content: 'You are helpful.' }, assistant()] }), ['no_user_message']);
  });

  it('empty_user_message for blank strings and blank text parts', () => {
    assert.deepEqual(codesOf({ messages: [user('   ')] }), ['empty_user_message']);
    assert.deepEqual(codesOf({ messages: [user([{ type: 'text', text: '' }])] }), ['empty_user_message']);
    assert.deepEqual(codesOf({ messages: [user([{ type: 'image_url', image_url: { url: 'u' } }])] }), []);
  });

  it('last_not_user when the record ends with assistant, tool or system', () => {
    assert.deepEqual(codesOf({ messages: [user(), assistant()] }), ['last_not_user']);
    assert.deepEqual(underlined({ messages: [user(), assistant('Done.')] }, 'last_not_user'), ['{"role":"assistant","content":"Done."}']);
    assert.deepEqual(codesOf({ messages: [user(), { role: 'system', content: 'x' }] }), ['last_not_user']);
    assert.match(validate({ messages: [user(), assistant()] }).issues[0].message, /reference_answer/);
  });

  it('a final assistant turn with tool calls is the answer, not a broken chain', () => {
    assert.deepEqual(codesOf({ tools: [tool()], messages: [user(), { role: 'assistant', tool_calls: [call('c1')] }] }), ['last_not_user']);
  });

  it('invalid_tool_call: no id, no name, arguments not a JSON-object string', () => {
    const bad = (c: unknown) => codesOf({ tools: [tool()], messages: [user(), { role: 'assistant', tool_calls: [c] }, toolResult('c1'), user('Any update on that?')] });
    assert.ok(bad({ type: 'function', function: { name: 'lookup_invoice', arguments: '{}' } }).includes('invalid_tool_call'));
    assert.ok(bad({ id: 'c1', type: 'function', function: { arguments: '{}' } }).includes('invalid_tool_call'));
    assert.deepEqual(bad({ id: 'c1', type: 'function', function: { name: 'lookup_invoice', arguments: { invoice_id: 1 } } }), ['invalid_tool_call']);
    assert.deepEqual(bad({ id: 'c1', type: 'function', function: { name: 'lookup_invoice', arguments: '{not json' } }), ['invalid_tool_call']);
    assert.deepEqual(bad({ id: 'c1', type: 'function', function: { name: 'lookup_invoice', arguments: '[1,2]' } }), ['invalid_tool_call']);
    assert.deepEqual(bad({ id: 'c1', type: 'function', function: { name: 'lookup_invoice', arguments: '{"a":1}' } }), []);
    const record = { tools: [tool()], messages: [user(), { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup_invoice', arguments: '{oops' } }] }, toolResult('c1'), user('Any update on that?')] };
    assert.deepEqual(underlined(record, 'invalid_tool_call'), ['"{oops"']);
  });

  it('double_encoded_arguments underlines the arguments string', () => {
    const args = JSON.stringify(JSON.stringify({ invoice_id: 'INV-1' }));
    const record = chain([call('c1', 'lookup_invoice', args)], [toolResult('c1')]);
    assert.deepEqual(codesOf(record), ['double_encoded_arguments']);
    assert.deepEqual(underlined(record, 'double_encoded_arguments'), [JSON.stringify(args)]);
  });

  it('orphan_tool_result when no call made that id, or the id is missing', () => {
    assert.deepEqual(codesOf(chain([call('c1')], [toolResult('c1'), toolResult('c9')])), ['orphan_tool_result']);
    assert.deepEqual(codesOf({ messages: [user(), toolResult('c1'), user('What about now then?')] }), ['orphan_tool_result']);
    assert.deepEqual(codesOf({ messages: [user(), { role: 'tool', content: 'x' }, user('What about now then?')] }), ['orphan_tool_result']);
    assert.match(validate(chain([call('c1')], [toolResult('c1'), toolResult('c9')])).issues[0].message, /"c9"/);
    assert.deepEqual(underlined(chain([call('c1')], [toolResult('c1'), toolResult('c9')]), 'orphan_tool_result'), ['"c9"']);
  });

  it('missing_tool_result when a call is not answered before the next turn', () => {
    assert.deepEqual(codesOf(chain([call('c1'), call('c2')], [toolResult('c1')])), ['missing_tool_result']);
    assert.deepEqual(codesOf(chain([call('c1'), call('c2')], [toolResult('c2'), toolResult('c1')])), []);
    assert.match(validate(chain([call('c1'), call('c2')], [toolResult('c1')])).issues[0].message, /"c2"/);
  });

  it('invalid_tool_definition: bad name, non-schema parameters, flat shape, non-array', () => {
    assert.deepEqual(codesOf({ tools: [tool('billing.lookup')], messages: [user()] }), ['invalid_tool_definition']);
    assert.deepEqual(underlined({ tools: [tool('billing.lookup')], messages: [user()] }, 'invalid_tool_definition'), ['"billing.lookup"']);
    assert.deepEqual(codesOf({ tools: [tool('x'.repeat(65))], messages: [user()] }), ['invalid_tool_definition']);
    assert.deepEqual(codesOf({ tools: [tool('ok', { type: 'dict', properties: {} })], messages: [user()] }), ['invalid_tool_definition']);
    assert.deepEqual(codesOf({ tools: [tool('ok', 'a string')], messages: [user()] }), ['invalid_tool_definition']);
    assert.deepEqual(codesOf({ tools: [{ type: 'function', name: 'flat', parameters: {} }], messages: [user()] }), ['invalid_tool_definition']);
    assert.deepEqual(codesOf({ tools: { a: 1 }, messages: [user()] }), ['invalid_tool_definition']);
    assert.deepEqual(codesOf({ tools: [tool('get_weather-v2')], messages: [user()] }), []);
  });

  it('exceeds_max_tokens only when the exact count is over the limit', () => {
    const settings = resolveValidationSettings({ maxTokens: 100 });
    const long = { messages: [user('word '.repeat(100))] };
    assert.deepEqual(codesOf(long, settings), ['exceeds_max_tokens']);
    assert.match(validate(long, settings).issues[0].message, /\d+ tokens/);
    // Many bytes but few tokens: the byte bound does not settle it, the exact count does.
    const repetitive = { messages: [user('a'.repeat(400))] };
    assert.deepEqual(codesOf(repetitive, settings), []);
    assert.equal(validate(repetitive, settings).tokens?.exact, true);
    assert.equal(validate({ messages: [user()] }).tokens?.exact, false, 'small records are settled by the byte bound');
  });

  it('encoding for NUL characters', () => {
    assert.deepEqual(codesOf('{"messages":[{"role":"user","content":"a\u0000b"}]}'), ['encoding']);
  });

  it('user_message_too_short is a warning on the final user turn', () => {
    assert.deepEqual(codesOf({ messages: [user('help')] }), ['user_message_too_short']);
    assert.equal(validate({ messages: [user('help')] }).hasError, false);
    assert.deepEqual(codesOf({ messages: [user('hi'), assistant(), user('Tell me more about SSO setup.')] }), []);
    assert.deepEqual(codesOf({ messages: [user('help')] }, resolveValidationSettings({ minUserChars: 2 })), []);
  });

  it('unknown_message_key underlines the key and is a warning', () => {
    const record = { messages: [{ role: 'user', content: 'How do I export data?', topic: 'export' }] };
    assert.deepEqual(codesOf(record), ['unknown_message_key']);
    assert.deepEqual(underlined(record, 'unknown_message_key'), ['"topic"']);
    assert.equal(validate(record).hasError, false);
    assert.deepEqual(codesOf({ messages: [{ role: 'user', content: 'How do I export data?', name: 'ana' }] }), []);
  });

  it('__proto__ keys are plain data', () => {
    assert.deepEqual(codesOf('{"messages":[{"role":"user","content":"What is my plan?","__proto__":{"x":1}}]}'), ['unknown_message_key']);
    assert.deepEqual(codesOf('{"__proto__":{"messages":[1]},"messages":[{"role":"user","content":"What is my plan?"}]}'), []);
  });

  it('gives every code a severity from the contract', () => {
    assert.equal(severityOf('duplicate'), 'warning');
    assert.equal(severityOf('crlf'), 'warning');
    assert.equal(severityOf('line_too_long'), 'error');
    assert.equal(ALL_CODES.length, 23);
  });
});
