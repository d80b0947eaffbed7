import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixJsonlFile } from '../../src/core/fixes/fileFixer';
import { applyLineEdits } from '../../src/core/fixes/lineEdits';
import { fixRecordLine, type RecordFixCode } from '../../src/core/fixes/recordFixes';
import { DocumentValidation } from '../../src/core/validation/documentValidation';
import { quickFixesFor } from '../../src/extension/diagnosticModel';
import { DEFAULT_VALIDATION_SETTINGS, resolveValidationSettings } from '../../src/core/validation/settings';
import { runRft } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { call, codesOf, tool, toolResult, user } from '../support/validate';

function fixed(text: string, code: RecordFixCode): string {
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
    const record = {
      messages: [
        user('Describe the plan tiers'),
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Free' },
            { type: 'text', text: 'Pro' },
          ],
        },
      ],
    };
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
    const record = {
      tools: [tool()],
      messages: [
        user('Find invoice INV-1 please'),
        { role: 'assistant', tool_calls: [call('c1', 'lookup_invoice', twice), call('c2')] },
        toolResult('c1'),
        toolResult('c2'),
        user('And what about INV-2?'),
      ],
    };
    const out = fixed(JSON.stringify(record), 'double_encoded_arguments');
    assert.deepEqual(codesOf(out), []);
    assert.equal(JSON.parse(out).messages[1].tool_calls[0].function.arguments, '{"a":1000}');
    assert.ok('reason' in fixRecordLine(JSON.stringify({ messages: [user()] }), 'double_encoded_arguments'));
  });
});

describe('pure fixes: top_level_system and reference_tool_calls', () => {
  const question = 'What is the status of invoice INV-1?';

  it('top_level_system moves the string into a leading system message, wherever the key sits', () => {
    const messages = `[{"role":"user","content":"${question}"}]`;
    const expected = `{"messages": [{"role":"system","content":"Be brief.\\n"},{"role":"user","content":"${question}"}]`;
    assert.equal(
      fixed(`{"system": "Be brief.\\n", "messages": ${messages}, "n": 1.50}`, 'top_level_system'),
      `{"messages": [{"role":"system","content":"Be brief.\\n"},{"role":"user","content":"${question}"}], "n": 1.50}`,
    );
    assert.equal(fixed(`{"messages": ${messages}, "system": "Be brief.\\n"}`, 'top_level_system'), `${expected}}`);
    assert.equal(fixed(`{"n": 1, "system": "Be brief.\\n", "messages": ${messages}}`, 'top_level_system'), `{"n": 1, ${expected.slice(1)}}`);
    for (const text of [`{"system": "Be brief.", "messages": ${messages}}`, `{"messages": ${messages},"system":"Be brief."}`]) {
      assert.deepEqual(codesOf(text), ['top_level_system']);
      const out = fixed(text, 'top_level_system');
      assert.deepEqual(codesOf(out), []);
      assert.deepEqual(JSON.parse(out), { messages: [{ role: 'system', content: 'Be brief.' }, user(question)] });
    }
  });

  it('top_level_system declines when the record already starts with a system or developer message', () => {
    const record = { system: 'Be brief.', messages: [{ role: 'developer', content: 'Answer in JSON.' }, user(question)] };
    assert.match((fixRecordLine(JSON.stringify(record), 'top_level_system') as { reason: string }).reason, /already starts with a developer message/);
    assert.ok('reason' in fixRecordLine(JSON.stringify({ messages: [user(question)] }), 'top_level_system'));
  });

  it('VS Code offers the top_level_system quick fix and fix-all, and they make the records clean', () => {
    const lines = [1, 2].map((n) => JSON.stringify({ system: 'Be brief.', messages: [user(`${question} (${n})`)] }));
    const doc = new DocumentValidation(lines, DEFAULT_VALIDATION_SETTINGS);
    assert.deepEqual(
      doc.issues().map((d) => d.issue.code),
      ['top_level_system', 'top_level_system'],
    );
    const fixes = quickFixesFor({ line: 0, code: 'top_level_system' }, (l) => doc.lineText(l), doc.issues());
    assert.deepEqual(
      fixes.map((f) => f.preferred),
      [true, false],
    );
    const all = fixes[1].operation;
    assert.equal(all.kind, 'editLines');
    if (all.kind !== 'editLines') return;
    for (const { line, edits } of all.lines) doc.replaceLines(line, 1, [applyLineEdits(doc.lineText(line), edits)]);
    assert.deepEqual(doc.issues(), []);
  });

  it('last_not_user alone leaves double-encoded calls visible in reference_tool_calls, and decoding fixes them there', () => {
    const twice = JSON.stringify(JSON.stringify({ invoice_id: 'INV-1' }));
    const record = { tools: [tool()], messages: [user(question), { role: 'assistant', content: null, tool_calls: [call('c1', 'lookup_invoice', twice)] }] };
    const moved = fixed(JSON.stringify(record), 'last_not_user');
    assert.deepEqual(codesOf(moved), ['double_encoded_arguments']);
    const decoded = fixed(moved, 'double_encoded_arguments');
    assert.deepEqual(codesOf(decoded), []);
    assert.equal(JSON.parse(decoded).reference_tool_calls[0].function.arguments, '{"invoice_id":"INV-1"}');
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

  it('decodes before moving calls into reference_tool_calls, whatever order the codes come in', async () => {
    const twice = JSON.stringify(JSON.stringify({ invoice_id: 'INV-1' }));
    const record = JSON.stringify({
      system: 'Be brief.',
      tools: [tool()],
      messages: [user('Find invoice INV-1 please'), { role: 'assistant', content: null, tool_calls: [call('c1', 'lookup_invoice', twice)] }],
    });
    for (const codes of [
      ['last_not_user', 'double_encoded_arguments', 'top_level_system'],
      ['top_level_system', 'double_encoded_arguments', 'last_not_user'],
    ] as const) {
      const source = path.join(dir(), `order-${codes[0]}.jsonl`);
      fs.writeFileSync(source, `${record}\n`);
      const summary = await fixJsonlFile(source, source, new Set(codes), DEFAULT_VALIDATION_SETTINGS);
      assert.deepEqual(summary.applied, { double_encoded_arguments: 1, top_level_system: 1, last_not_user: 1 });
      const out = fs.readFileSync(source, 'utf8').trimEnd();
      assert.deepEqual(codesOf(out), []);
      assert.deepEqual(
        JSON.parse(out).messages.map((m: { role: string }) => m.role),
        ['system', 'user'],
      );
      assert.equal(JSON.parse(out).reference_tool_calls[0].function.arguments, '{"invoice_id":"INV-1"}');
    }
  });

  it('rft fix --code top_level_system moves the top-level system into the messages', () => {
    const source = path.join(dir(), 'anthropic.jsonl');
    fs.writeFileSync(source, `${JSON.stringify({ system: 'Be brief.', messages: [user('What plans do you offer?')] })}\n`);
    const run = runRft(['fix', source, '--code', 'top_level_system', '--out', path.join(dir(), 'anthropic.fixed.jsonl')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /top_level_system 1/);
    const out = fs.readFileSync(path.join(dir(), 'anthropic.fixed.jsonl'), 'utf8').trimEnd();
    assert.deepEqual(JSON.parse(out), { messages: [{ role: 'system', content: 'Be brief.' }, user('What plans do you offer?')] });
  });

  it('reports lines it could not fix, with the reason', async () => {
    const source = path.join(dir(), 'skip.jsonl');
    const record = JSON.stringify({ messages: [user('What is 2+2 exactly?'), { role: 'assistant', content: '4' }], reference_answer: 'four' });
    fs.writeFileSync(source, `${record}\n`);
    const summary = await fixJsonlFile(source, path.join(dir(), 'skip.out.jsonl'), new Set(['last_not_user']), DEFAULT_VALIDATION_SETTINGS);
    assert.deepEqual(summary.skipped, [{ line: 1, code: 'last_not_user', reason: 'the record already has a reference_answer' }]);
  });
});
