import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateJsonlFiles } from '../../src/core/validation/fileValidator';
import { resolveValidationSettings } from '../../src/core/validation/settings';
import { useTempDir } from '../support/tempDir';
import { assistant, call, tool, toolResult, user } from '../support/validate';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A file with every kind of line, in random order: valid, invalid, duplicate, blank, too long, broken UTF-8. */
function writeMixedFile(file: string, seed: number, lines: number, withBom: boolean): void {
  const random = seeded(seed);
  const kinds: (() => Buffer)[] = [
    () => Buffer.from(JSON.stringify({ messages: [user(`Question ${Math.floor(random() * 400)} about exports and invoices`)] })),
    () =>
      Buffer.from(
        JSON.stringify({
          tools: [tool()],
          messages: [user('Find invoice INV-7 for me'), { role: 'assistant', tool_calls: [call('c1')] }, toolResult('c1'), user(`And item ${Math.floor(random() * 50)}?`)],
        }),
      ),
    () => Buffer.from(JSON.stringify({ messages: [user(), assistant()] })),
    () => Buffer.from('{"messages": [{"role": "user"'),
    () => Buffer.from(''),
    () => Buffer.from(JSON.stringify({ messages: [user('x'.repeat(2500))] })),
    () => Buffer.from([0x7b, 0xc3, 0x28, 0x7d]),
    () => Buffer.from(JSON.stringify({ messages: [user('help')] })),
  ];
  const parts: Buffer[] = withBom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  for (let i = 0; i < lines; i++) {
    parts.push(kinds[Math.floor(random() * kinds.length)]());
    parts.push(Buffer.from(random() < 0.1 ? '\r\n' : '\n'));
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

describe('parallel validation (worker threads) agrees with inline validation', () => {
  const dir = useTempDir();

  it('gives the same counts, issues and token statistics for every chunk size', async function () {
    this.timeout(60_000);
    const a = path.join(dir(), 'records.jsonl');
    const b = path.join(dir(), 'generated.jsonl');
    writeMixedFile(a, 7, 3000, true);
    writeMixedFile(b, 8, 1500, false);
    const settings = resolveValidationSettings({ maxLineBytes: 2000 });
    const inline = await validateJsonlFiles([a, b], { settings, maxIssues: 100_000, workers: 0 });
    assert.ok(inline.counts.duplicates > 100 && inline.counts.invalid > 100 && (inline.counts.byCode.line_too_long ?? 0) > 100);
    assert.equal(inline.counts.byCode.bom, 1);
    for (const chunkBytes of [1000, 4096, 65536]) {
      const parallel = await validateJsonlFiles([a, b], { settings, maxIssues: 100_000, workers: 2, chunkBytes });
      assert.deepEqual(parallel.counts, inline.counts, `counts, chunk ${chunkBytes}`);
      assert.deepEqual(parallel.issues, inline.issues, `issues, chunk ${chunkBytes}`);
      assert.deepEqual(parallel.tokens, inline.tokens, `tokens, chunk ${chunkBytes}`);
    }
  });
});
