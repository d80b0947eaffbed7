import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DocumentValidation } from '../../src/core/validation/documentValidation';
import { validateJsonlFiles } from '../../src/core/validation/fileValidator';
import { DEFAULT_VALIDATION_SETTINGS } from '../../src/core/validation/settings';
import { useTempDir, writeLines } from '../support/tempDir';
import { assistant, call, tool, toolResult, user } from '../support/validate';

const POOL = [
  { messages: [user('How do I reset my password?')] },
  { messages: [user('How do I export my data to CSV?')] },
  { messages: [user('hi')] },
  { messages: [user(), assistant()] },
  { tools: [tool()], messages: [user('Find invoice INV-1'), { role: 'assistant', tool_calls: [call('c1')] }, toolResult('c1'), user('Is it paid yet?')] },
  { messages: [{ role: 'bot', content: 'x' }, user()] },
].map((r) => JSON.stringify(r));
const EXTRA = ['{"messages":', '', '[]', '  '];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function snapshot(doc: DocumentValidation) {
  return { issues: doc.issues().map((d) => `${d.line}:${d.issue.code}:${d.issue.start}-${d.issue.end}:${d.issue.message}`), counts: doc.counts() };
}

describe('DocumentValidation (incremental)', () => {
  const dir = useTempDir();

  it('agrees with a full run under many random edits', () => {
    const random = seeded(42);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const lines = Array.from({ length: 40 }, () => pick(POOL));
    const doc = new DocumentValidation(lines, DEFAULT_VALIDATION_SETTINGS);
    for (let step = 0; step < 1500; step++) {
      const startLine = Math.floor(random() * doc.lineCount);
      const endLine = Math.min(doc.lineCount - 1, startLine + Math.floor(random() * 3));
      const kind = random();
      let change;
      if (kind < 0.4) {
        // replace whole lines with new ones (paste)
        const text = Array.from({ length: Math.floor(random() * 3) + 1 }, () => pick([...POOL, ...EXTRA])).join('\n');
        change = { startLine, startCharacter: 0, endLine, endCharacter: doc.lineText(endLine).length, text };
      } else if (kind < 0.7) {
        // type or delete a character inside a line
        const line = doc.lineText(startLine);
        const at = Math.floor(random() * (line.length + 1));
        change =
          random() < 0.5
            ? { startLine, startCharacter: at, endLine: startLine, endCharacter: at, text: pick(['a', '"', '}', ' ']) }
            : { startLine, startCharacter: at, endLine: startLine, endCharacter: Math.min(line.length, at + 1), text: '' };
      } else if (kind < 0.85) {
        // join lines (delete the line break)
        change = { startLine, startCharacter: doc.lineText(startLine).length, endLine: Math.min(doc.lineCount - 1, startLine + 1), endCharacter: 0, text: '' };
      } else {
        // split a line
        const at = Math.floor(random() * (doc.lineText(startLine).length + 1));
        change = { startLine, startCharacter: at, endLine: startLine, endCharacter: at, text: '\n' };
      }
      doc.applyChange(change);
      if (step % 25 === 0 || step === 1499) {
        const full = new DocumentValidation(
          Array.from({ length: doc.lineCount }, (_, i) => doc.lineText(i)),
          DEFAULT_VALIDATION_SETTINGS,
        );
        assert.deepEqual(snapshot(doc), snapshot(full), `step ${step}`);
      }
    }
  });

  it('reports duplicates against the first copy and promotes the next copy when the first is edited', () => {
    const doc = new DocumentValidation([POOL[0], POOL[1], POOL[0], POOL[0]], DEFAULT_VALIDATION_SETTINGS);
    assert.deepEqual(
      doc.issues().map((d) => [d.line, d.issue.code]),
      [
        [2, 'duplicate'],
        [3, 'duplicate'],
      ],
    );
    assert.equal(doc.lineState(3).duplicateOf, 0);
    doc.replaceLines(0, 1, [POOL[2]]);
    assert.deepEqual(
      doc
        .issues()
        .filter((d) => d.issue.code === 'duplicate')
        .map((d) => d.line),
      [3],
    );
    assert.equal(doc.lineState(3).duplicateOf, 2);
    assert.match(doc.issues().find((d) => d.issue.code === 'duplicate')!.issue.message, /line 3/);
  });

  it('agrees with the file validator on the same text', async () => {
    const lines = [...POOL, POOL[0], '{"x"', POOL[4]];
    const file = writeLines(path.join(dir(), 'same.jsonl'), lines);
    const report = await validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS });
    const doc = new DocumentValidation(lines, DEFAULT_VALIDATION_SETTINGS);
    assert.deepEqual(doc.counts(), report.counts);
    assert.deepEqual(
      doc.issues().map((d) => [d.line + 1, d.issue.code, d.issue.start + 1]),
      report.issues.map((i) => [i.line, i.code, i.column]),
    );
  });

  it('reads BOM and CRLF from text', () => {
    const doc = DocumentValidation.fromText(`\uFEFF${POOL[0]}\r\n${POOL[1]}\r\n`, DEFAULT_VALIDATION_SETTINGS);
    assert.equal(doc.lineCount, 3);
    assert.deepEqual(doc.counts().byCode, { bom: 1, crlf: 1 });
    assert.equal(doc.counts().valid, 2);
  });
});
