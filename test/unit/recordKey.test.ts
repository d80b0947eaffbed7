import * as assert from 'node:assert/strict';
import { canonicalForm, recordKey } from '../../src/core/validation/recordKey';

const key = (record: Record<string, unknown>) => recordKey(record, JSON.stringify(record));

describe('record key', () => {
  it('depends on messages and tools only, not on key order or other fields', () => {
    const a = { messages: [{ role: 'user', content: 'Where is my invoice?' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { b: {}, a: {} } } } }] };
    const reordered = JSON.parse(
      '{"metadata":{"x":1},"tools":[{"function":{"parameters":{"properties":{"a":{},"b":{}},"type":"object"},"name":"f"},"type":"function"}],"messages":[{"content":"Where is my invoice?","role":"user"}],"reference_answer":"INV-1"}',
    );
    assert.equal(key(a), key(reordered));
    assert.match(key(a), /^[0-9a-f]{16}$/);
  });

  it('changes with any change to the prompt', () => {
    const base = { messages: [{ role: 'user', content: 'ab' }] };
    const variants = [
      { messages: [{ role: 'user', content: 'ab ' }] },
      { messages: [{ role: 'user', content: ['ab'] }] },
      {
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
      },
      { messages: [{ role: 'user', content: 'ab' }], tools: [] },
      { messages: [{ role: 'user', content: 'ab', name: 'x' }] },
      { messages: [{ role: 'system', content: 'ab' }] },
    ];
    const keys = new Set([key(base), ...variants.map(key)]);
    assert.equal(keys.size, variants.length + 1);
  });

  it('is unambiguous: a string that looks like structure is still a string', () => {
    assert.notEqual(canonicalForm(['s1:a']), canonicalForm(['a', 'b']));
    assert.notEqual(canonicalForm({ a: 's1:b' }), canonicalForm({ a: 'b' }));
    assert.notEqual(canonicalForm(1), canonicalForm('1'));
    assert.notEqual(canonicalForm(null), canonicalForm('z'));
    assert.notEqual(canonicalForm(true), canonicalForm('true'));
  });

  it('treats an own "__proto__" key as data', () => {
    const withProto = JSON.parse('{"messages":[{"role":"user","content":"hi","__proto__":{"x":1}}]}');
    assert.notEqual(key(withProto), key({ messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('falls back to the raw line when nesting is deeper than the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const record = { messages: [{ role: 'user', content: deep }] };
    assert.match(recordKey(record, 'raw line'), /^[0-9a-f]{16}$/);
    assert.equal(recordKey(record, 'raw line'), recordKey(record, 'raw line'));
  });
});
