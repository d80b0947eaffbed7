import * as assert from 'node:assert/strict';
import { assistant, call, codesOf, tool, toolResult, underlined, user, validate } from '../support/validate';
import { ALL_CODES, severityOf } from '../../src/core/validation/codes';
import { resolveValidationSettings } from '../../src/core/validation/settings';
import { MAX_NESTING } from '../../src/core/validation/nesting';
import { openAiChatSchemas } from '../support/openaiChatSchema';

const chain = (calls: ReturnType<typeof call>[], results: ReturnType<typeof toolResult>[]) => ({
  tools: [tool()],
  messages: [user('Where is invoice INV-1 for my account?'), { role: 'assistant', content: null, tool_calls: calls }, ...results, user('Thanks, and is it paid already?')],
});

describe('record checks: every code, positive and negative', () => {
  it('accepts a well-formed single-turn, multi-turn, tool chain and content-part record', () => {
    assert.deepEqual(codesOf({ messages: [user()] }), []);
    assert.deepEqual(codesOf({ messages: [{ role: 'system', content: 'Be brief.' }, user(), assistant(), user('And for SSO accounts too?')] }), []);
    assert.deepEqual(codesOf(chain([call('c1')], [toolResult('c1')])), []);
    assert.deepEqual(
      codesOf({
        messages: [
          user([
            { type: 'text', text: 'What does this error mean?' },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ]),
        ],
      }),
      [],
    );
    assert.deepEqual(codesOf({ messages: [{ role: 'developer', content: 'Answer in JSON.' }, user()], reference_answer: 'x', anything: { nested: [1] } }), []);
  });

  it('invalid_json: located at the parse error', () => {
    const result = validate('{"messages": [{"role": "user", "content": "hi"}');
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['invalid_json'],
    );
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
    assert.deepEqual(
      codesOf({ messages: [user(), { role: 'assistant', content: null, tool_calls: [call('c1')] }, { role: 'tool', tool_call_id: 'c1' }, user('And the other one?')], tools: [tool()] }),
      ['missing_content'],
    );
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
    const record = {
      tools: [tool()],
      messages: [user(), { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup_invoice', arguments: '{oops' } }] }, toolResult('c1'), user('Any update on that?')],
    };
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
    assert.equal(ALL_CODES.length, 27);
    assert.equal(severityOf('top_level_system'), 'warning');
    assert.equal(severityOf('too_deep'), 'error');
  });
});

describe("record checks against OpenAI's fine-tuning input format (test/fixtures/vendor/openai/rft-input-chat-schema.yaml)", () => {
  const schemas = openAiChatSchemas();
  const question = 'What does this error on my invoice mean?';

  it('special-token strings are text: counted, never a crash', () => {
    const record = { messages: [user(`My trace ends with <|endoftext|> and starts with <|im_start|>; ${question}`)] };
    const settings = resolveValidationSettings({ maxTokens: 20 }); // below the byte bound, so the exact count runs
    const result = validate(record, settings);
    assert.equal(result.tokens?.exact, true);
    assert.ok(result.tokens!.count > 20, 'each special-token string is several text tokens, not one special token');
    assert.deepEqual(codesOf(record, settings), ['exceeds_max_tokens']);
    assert.deepEqual(codesOf(record), []);
  });

  it('invalid_content_part: each role sends only the part types the schema gives it', () => {
    const userTypes = schemas.partTypes('ChatCompletionRequestUserMessageContentPart').filter((type) => !schemas.unsupportedForFineTuning.includes(type));
    const assistantTypes = schemas.partTypes('ChatCompletionRequestAssistantMessageContentPart');
    assert.deepEqual(userTypes, ['text', 'image_url']);
    assert.deepEqual(assistantTypes, ['text', 'refusal']);
    const image = { type: 'image_url', image_url: { url: 'https://example.com/invoice.png' } };
    const audio = { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } };
    const file = { type: 'file', file: { file_id: 'file-1' } };
    assert.deepEqual(codesOf({ messages: [user([{ type: 'text', text: question }, image])] }), []);
    assert.deepEqual(codesOf({ messages: [user([{ type: 'text', text: question }, audio])] }), ['invalid_content_part']);
    assert.deepEqual(codesOf({ messages: [user([{ type: 'text', text: question }, file])] }), ['invalid_content_part']);
    assert.deepEqual(codesOf({ messages: [user([{ type: 'hologram', text: question }])] }), ['invalid_content_part']);
    assert.deepEqual(underlined({ messages: [user([{ type: 'text', text: question }, audio])] }, 'invalid_content_part'), ['"input_audio"']);
    const refusal = { role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] };
    assert.deepEqual(codesOf({ messages: [user('Hi'), refusal, user(question)] }), []);
    assert.deepEqual(codesOf({ messages: [user('Hi'), { role: 'assistant', content: [{ type: 'refusal' }] }, user(question)] }), ['invalid_content_part']);
    assert.deepEqual(codesOf({ messages: [user('Hi'), { role: 'assistant', content: [image] }, user(question)] }), ['invalid_content_part']);
    assert.deepEqual(codesOf({ messages: [{ role: 'system', content: [image] }, user(question)] }), ['invalid_content_part']);
    assert.deepEqual(codesOf({ messages: [{ role: 'developer', content: [{ type: 'refusal', refusal: 'no' }] }, user(question)] }), ['invalid_content_part']);
  });

  it("invalid_content_part: an image needs a url and a detail from the schema's enum", () => {
    const details = schemas.imageDetails();
    assert.deepEqual(details, ['auto', 'low', 'high']);
    const withImage = (imageUrl: unknown) => ({
      messages: [
        user([
          { type: 'text', text: question },
          { type: 'image_url', image_url: imageUrl },
        ]),
      ],
    });
    for (const detail of details) assert.deepEqual(codesOf(withImage({ url: 'data:image/png;base64,AAAA', detail })), [], detail);
    assert.deepEqual(codesOf(withImage({ url: 'https://example.com/a.png', detail: 'ultra' })), ['invalid_content_part']);
    assert.deepEqual(underlined(withImage({ url: 'https://example.com/a.png', detail: 'ultra' }), 'invalid_content_part'), ['"ultra"']);
    assert.deepEqual(codesOf(withImage({ detail: 'low' })), ['invalid_content_part']);
    assert.deepEqual(codesOf(withImage('https://example.com/a.png')), ['invalid_content_part']);
  });

  it("invalid_weight: only the integers of the schema's enum; invalid_message: a name that is not a string", () => {
    const weights = schemas.weights();
    assert.deepEqual(weights, [0, 1]);
    const withWeight = (weight: unknown) => ({ messages: [user('Hi'), { role: 'assistant', content: 'Hello.', weight }, user(question)] });
    for (const weight of weights) assert.deepEqual(codesOf(withWeight(weight)), [], String(weight));
    for (const weight of [2, 0.5, -1, '1', true, null]) assert.deepEqual(codesOf(withWeight(weight)), ['invalid_weight'], JSON.stringify(weight));
    assert.deepEqual(underlined(withWeight(2), 'invalid_weight'), ['2']);
    assert.deepEqual(codesOf({ messages: [{ ...user(question), name: 42 }] }), ['invalid_message']);
    assert.deepEqual(underlined({ messages: [{ ...user(question), name: ['ana'] }] }, 'invalid_message'), ['["ana"]']);
    assert.deepEqual(codesOf({ messages: [{ ...user(question), name: 'ana' }] }), []);
  });

  it("top_level_system: a warning on Anthropic's top-level system string", () => {
    const record = { system: 'You are a billing assistant.', messages: [user(question)] };
    assert.deepEqual(codesOf(record), ['top_level_system']);
    assert.deepEqual(underlined(record, 'top_level_system'), ['"system"']);
    assert.equal(validate(record).hasError, false);
    assert.deepEqual(codesOf({ system: '', messages: [user(question)] }), []);
  });

  it('reference_tool_calls are checked like tool_calls', () => {
    const twice = JSON.stringify(JSON.stringify({ invoice_id: 'INV-1' }));
    assert.deepEqual(codesOf({ tools: [tool()], messages: [user(question)], reference_tool_calls: [call('c1')] }), []);
    assert.deepEqual(codesOf({ tools: [tool()], messages: [user(question)], reference_tool_calls: [call('c1', 'lookup_invoice', twice)] }), ['double_encoded_arguments']);
    assert.deepEqual(underlined({ messages: [user(question)], reference_tool_calls: [call('c1', 'lookup_invoice', twice)] }, 'double_encoded_arguments'), [JSON.stringify(twice)]);
    assert.deepEqual(codesOf({ messages: [user(question)], reference_tool_calls: [call('c1', 'lookup_invoice', '{not json')] }), ['invalid_tool_call']);
    assert.deepEqual(codesOf({ messages: [user(question)], reference_tool_calls: { id: 'c1' } }), ['invalid_tool_call']);
  });

  it('tool-call names follow the pattern of tool definitions', () => {
    assert.match(schemas.functionNameRule(), /a-z, A-Z, 0-9, or\s+contain underscores and dashes, with a maximum length of 64/);
    const named = (name: string) => chain([call('c1', name)], [toolResult('c1')]);
    assert.deepEqual(codesOf(named('lookup_invoice-v2')), []);
    assert.deepEqual(codesOf(named('lookup invoice')), ['invalid_tool_call']);
    assert.deepEqual(codesOf(named('functions.lookup_invoice')), ['invalid_tool_call']);
    assert.deepEqual(codesOf(named('x'.repeat(65))), ['invalid_tool_call']);
    assert.deepEqual(underlined(named('lookup invoice'), 'invalid_tool_call'), ['"lookup invoice"']);
  });

  it('too_deep: nesting over the limit anywhere in the record, found without recursion', () => {
    const nest = (depth: number) => '['.repeat(depth) + '1' + ']'.repeat(depth);
    const at = (depth: number) => `{"messages":[{"role":"user","content":"${question}"}],"meta":${nest(depth)}}`;
    assert.deepEqual(codesOf(at(MAX_NESTING - 1)), [], 'the record object plus 63 arrays is 64 levels');
    assert.deepEqual(codesOf(at(MAX_NESTING)), ['too_deep']);
    assert.deepEqual(codesOf(at(5000)), ['too_deep']);
    assert.match(validate(at(5000)).issues[0].message, /under "meta"/);
    assert.deepEqual(codesOf(`{"messages":[{"role":"user","content":${nest(5000)}}]}`), ['too_deep']);
  });
});
