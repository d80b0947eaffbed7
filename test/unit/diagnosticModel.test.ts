import * as assert from 'node:assert/strict';
import { DocumentValidation } from '../../src/core/validation/documentValidation';
import { DEFAULT_VALIDATION_SETTINGS } from '../../src/core/validation/settings';
import { applyLineEdits } from '../../src/core/fixes/lineEdits';
import { quickFixesFor, SUMMARY_CODE, toDiagnosticSpecs } from '../../src/extension/diagnosticModel';
import { healthText } from '../../src/extension/healthText';
import { assistant, user } from '../support/validate';

const good = JSON.stringify({ messages: [user('How do I rotate my API key?')] });
const sft = JSON.stringify({ messages: [user('What is 2+2 exactly?'), assistant('4')] });

describe('diagnostic model (core results → editor)', () => {
  it('maps issues to diagnostics with the validation code and the exact range', () => {
    const doc = new DocumentValidation([good, '{"messages":[{"role":"bot","content":"x"},{"role":"user","content":"How do I rotate my API key?"}]}'], DEFAULT_VALIDATION_SETTINGS);
    const specs = toDiagnosticSpecs(doc.issues());
    assert.equal(specs.length, 1);
    assert.deepEqual({ ...specs[0], message: undefined }, { line: 1, start: 21, end: 26, severity: 'error', code: 'invalid_role', message: undefined });
  });

  it('shows at most 1,000 problems, errors first, plus one summary', () => {
    const lines = [...Array.from({ length: 600 }, (_, i) => JSON.stringify({ messages: [user(`q${i}`)] })), ...Array.from({ length: 700 }, () => '{')];
    const specs = toDiagnosticSpecs(new DocumentValidation(lines, DEFAULT_VALIDATION_SETTINGS).issues());
    assert.equal(specs.length, 1001);
    assert.equal(specs.filter((s) => s.severity === 'error').length, 700, 'every error is kept');
    const summary = specs[specs.length - 1];
    assert.equal(summary.code, SUMMARY_CODE);
    assert.match(summary.message, /^300 more problems/);
    const lineOrder = specs.slice(0, -1).map((s) => s.line);
    assert.deepEqual(
      lineOrder,
      [...lineOrder].sort((a, b) => a - b),
    );
  });

  it('offers a fix and a fix-all for last_not_user whose edits make the records valid', () => {
    const lines = [sft, good, sft.replace('2+2', '3+3')];
    const doc = new DocumentValidation(lines, DEFAULT_VALIDATION_SETTINGS);
    const fixes = quickFixesFor({ line: 0, code: 'last_not_user' }, (l) => doc.lineText(l), doc.issues());
    assert.deepEqual(
      fixes.map((f) => [f.title, f.preferred]),
      [
        ['Move the final assistant turn into reference_answer', true],
        ['Fix all "last_not_user" in this file (2)', false],
      ],
    );
    const all = fixes[1].operation;
    assert.equal(all.kind, 'editLines');
    if (all.kind !== 'editLines') return;
    for (const { line, edits } of all.lines) doc.replaceLines(line, 1, [applyLineEdits(doc.lineText(line), edits)]);
    assert.deepEqual(doc.issues(), []);
  });

  it('offers deletion for duplicates and EOL / BOM fixes, nothing for unfixable codes', () => {
    const doc = new DocumentValidation([good, good, good], DEFAULT_VALIDATION_SETTINGS, { crlf: true, bom: true });
    const dup = quickFixesFor({ line: 1, code: 'duplicate' }, (l) => doc.lineText(l), doc.issues());
    assert.deepEqual(
      dup.map((f) => f.operation),
      [
        { kind: 'deleteLines', lines: [1] },
        { kind: 'deleteLines', lines: [1, 2] },
      ],
    );
    assert.deepEqual(
      quickFixesFor({ line: 0, code: 'crlf' }, () => '', []).map((f) => f.operation.kind),
      ['setEndOfLineLf'],
    );
    assert.deepEqual(
      quickFixesFor({ line: 0, code: 'bom' }, () => '', []).map((f) => f.operation.kind),
      ['removeBom'],
    );
    assert.deepEqual(
      quickFixesFor({ line: 0, code: 'invalid_json' }, () => '{', []),
      [],
    );
    assert.deepEqual(
      quickFixesFor({ line: 0, code: 'last_not_user' }, () => JSON.stringify({ messages: [user(), { role: 'tool', tool_call_id: 'x', content: 'y' }] }), []),
      [],
      'no fix offered when it cannot apply',
    );
  });

  it('status text matches the spec health indicator', () => {
    assert.equal(healthText({ valid: 1008, invalid: 34, duplicates: 0 }), '$(check) 1,008 valid  $(warning) 34 invalid');
    assert.equal(healthText({ valid: 5, invalid: 0, duplicates: 2 }), '$(check) 5 valid  $(copy) 2 duplicates');
  });
});
