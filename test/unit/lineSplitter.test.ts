import * as assert from 'node:assert/strict';
import { LineSplitter, type RawLine } from '../../src/core/jsonl/lineSplitter';

function split(input: Buffer, chunkSize: number, maxLineBytes = 1024): RawLine[] {
  const lines: RawLine[] = [];
  const splitter = new LineSplitter(maxLineBytes, (line) => lines.push(line));
  for (let at = 0; at < input.length; at += chunkSize) splitter.push(input.subarray(at, at + chunkSize));
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  const text = '\uFEFF{"a":1}\r\n\n  \n{"b":"é"}\n{"c":2}';
  const input = Buffer.from(text, 'utf8');

  for (const chunkSize of [1, 2, 3, 7, 1 << 20]) {
    it(`gives the same lines, numbers and offsets with ${chunkSize}-byte chunks`, () => {
      const lines = split(input, chunkSize);
      assert.deepEqual(
        lines.map((l) => l.text),
        ['{"a":1}', '', '  ', '{"b":"é"}', '{"c":2}'],
      );
      assert.deepEqual(
        lines.map((l) => l.lineNumber),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(
        lines.map((l) => l.byteOffset),
        [0, 12, 13, 16, 27],
      );
      assert.deepEqual(
        lines.map((l) => l.bom),
        [true, false, false, false, false],
      );
      assert.deepEqual(
        lines.map((l) => l.crlf),
        [true, false, false, false, false],
      );
      assert.deepEqual(
        lines.map((l) => l.terminated),
        [true, true, true, true, false],
      );
      assert.equal(lines[3].byteLength, 10);
    });
  }

  it('flags invalid UTF-8 and keeps the raw bytes', () => {
    const lines = split(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]), 4);
    assert.equal(lines[0].invalidUtf8, true);
    assert.deepEqual([...lines[0].bytes.subarray(6, 8)], [0xc3, 0x28]);
  });

  it('reports a line over the limit without buffering it, and goes on', () => {
    const big = Buffer.alloc(5000, 0x61);
    const lines = split(Buffer.concat([Buffer.from('{"x":1}\n'), big, Buffer.from('\n{"y":2}\n')]), 100, 1000);
    assert.deepEqual(
      lines.map((l) => l.tooLong),
      [false, true, false],
    );
    assert.equal(lines[1].byteLength, 5000);
    assert.equal(lines[1].text, '');
    assert.equal(lines[2].text, '{"y":2}');
    assert.equal(lines[2].byteOffset, 8 + 5000 + 1);
  });

  it('a CRLF line exactly at the limit is not too long', () => {
    const lines = split(Buffer.from(`${'a'.repeat(10)}\r\n`), 3, 10);
    assert.equal(lines[0].tooLong, false);
    assert.equal(lines[0].crlf, true);
  });
});
