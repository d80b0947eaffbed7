import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixJsonlFile } from '../../src/core/fixes/fileFixer';
import { applyLineEdits } from '../../src/core/fixes/lineEdits';
import { fixRecordLine } from '../../src/core/fixes/recordFixes';
import { DEFAULT_VALIDATION_SETTINGS, resolveValidationSettings } from '../../src/core/validation/settings';
import { useTempDir } from '../support/tempDir';
import { call, codesOf, tool, toolResult, user } from '../support/validate';

function fixed(text: string, code: 'last_not_user' | 'double_encoded_arguments'): string {
  const fix = fixRecordLine(text, code);
  assert.ok('edits' in fix, 'reason' in fix ? fix.reason : '');
  return applyLineEdits(text, fix.edits);
}

describe('pure fixes', () => {
  it('last_not_user moves the final assistant text into reference_answer, keeping the rest byte for byte', () => {
    const text = '{"messages": [{"role":"user","content":"What is 2+2?"}, {"role":"assistant","content":"4"}], "n": 1.50}';
    const out = fixed(text, 'last_not_user');
    assert.equal(out, '{"messages": [{"role":"user","content":"What is 2+2?"}], "n": 1.50,"reference_answer":"4"}');
    assert.deepEqual(codesOf(out), []);
  });

  it('last_not_user moves final tool calls into reference_tool_calls', () => {
    const record = { tools: [tool()], messages: [user('Find invoice INV-1 please'), { role: 'assistant', content: null, tool_calls: [call('c1')] }] };
    const out = JSON.parse(fixed(JSON.stringify(record), 'last_not_user'));
    assert.deepEqual(out.reference_tool_calls, [call('c1')]);
    assert.equal(out.reference_answer, undefined);
    assert.equal(out.messages.length, 1);
  });

  it('last_not_user joins text content parts', () => {
    const record = { messages: [user('Describe the plan tiers'), { role: 'assistant', content: [{ type: 'text', text: 'Free' }, { type: 'text', text: 'Pro' }] }] };
    assert.equal(JSON.parse(fixed(JSON.stringify(record), 'last_not_user')).reference_answer, 'Free\nPro');
  });

  it('last_not_user declines when it would not help or would overwrite', () => {
    const toolEnd = { messages: [user('Find invoice INV-1 please'), { role: 'assistant', tool_calls: [call('c1')] }, toolResult('c1'), { role: 'assistant', content: 'Paid.' }] };
    assert.ok('reason' in fixRecordLine(JSON.stringify(toolEnd), 'last_not_user'));
    const existing = { messages: [user('What is 2+2 exactly?'), { role: 'assistant', content: '4' }], reference_answer: 'four' };
    assert.match((fixRecordLine(JSON.stringify(existing), 'last_not_user') as { reason: string }).reason, /already has a reference_answer/);
    assert.ok('reason' in fixRecordLine('{broken', 'last_not_user'));
  });

  it('double_encoded_arguments decodes every double-encoded call once', () => {
    const twice = JSON.stringify(JSON.stringify({ a: 1.0e3 }));
    const record = { tools: [tool()], messages: [user('Find invoice INV-1 please'), { role: 'assistant', tool_calls: [call('c1', 'lookup_invoice', twice), call('c2')] }, toolResult('c1'), toolResult('c2'), user('And what about INV-2?')] };
    const out = fixed(JSON.stringify(record), 'double_encoded_arguments');
    assert.deepEqual(codesOf(out), []);
    assert.equal(JSON.parse(out).messages[1].tool_calls[0].function.arguments, '{"a":1000}');
    assert.ok('reason' in fixRecordLine(JSON.stringify({ messages: [user()] }), 'double_encoded_arguments'));
  });
});

describe('fixJsonlFile', () => {
  const dir = useTempDir();
  const good = JSON.stringify({ messages: [user('What plans do you offer?')] });
  const sft = JSON.stringify({ messages: [user('What is 2+2 exactly?'), { role: 'assistant', content: '4' }] });

  it('applies the chosen fixes, copies everything else byte for byte', async () => {
    const source = path.join(dir(), 'in.jsonl');
    const garbage = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    fs.writeFileSync(source, Buffer.concat([Buffer.from(`\uFEFF${good}\r\n${sft}\r\n\r\n${good}\r\n`), garbage, Buffer.from('\r\n{"keep":  1}')]));
    const destination = path.join(dir(), 'out.jsonl');
    const summary = await fixJsonlFile(source, destination, new Set(['bom', 'crlf', 'duplicate', 'last_not_user']), DEFAULT_VALIDATION_SETTINGS);
    assert.deepEqual(summary.applied, { bom: 1, crlf: 1, last_not_user: 1, duplicate: 1 });
    const expected = Buffer.concat([Buffer.from(`${good}\n${JSON.stringify({ messages: [user('What is 2+2 exactly?')], reference_answer: '4' })}\n\n`), garbage, Buffer.from('\n{"keep":  1}')]);
    assert.deepEqual(fs.readFileSync(destination), expected);
    assert.equal(summary.linesIn, 6);
    assert.equal(summary.linesOut, 5);
  });

  it('keeps what was not asked for, and too-long lines whole', async () => {
    const source = path.join(dir(), 'keep.jsonl');
    const long = `{"messages":"${'x'.repeat(3000)}"}`;
    const content = `\uFEFF${good}\r\n${long}\r\n${good}\r\n${sft}`;
    fs.writeFileSync(source, content);
    const summary = await fixJsonlFile(source, source, new Set(['double_encoded_arguments']), resolveValidationSettings({ maxLineBytes: 1000 }));
    assert.deepEqual(summary.applied, {});
    assert.equal(fs.readFileSync(source, 'utf8'), content);
  });

  it('reports lines it could not fix, with the reason', async () => {
    const source = path.join(dir(), 'skip.jsonl');
    const record = JSON.stringify({ messages: [user('What is 2+2 exactly?'), { role: 'assistant', content: '4' }], reference_answer: 'four' });
    fs.writeFileSync(source, `${record}\n`);
    const summary = await fixJsonlFile(source, path.join(dir(), 'skip.out.jsonl'), new Set(['last_not_user']), DEFAULT_VALIDATION_SETTINGS);
    assert.deepEqual(summary.skipped, [{ line: 1, code: 'last_not_user', reason: 'the record already has a reference_answer' }]);
  });
});
