import * as fs from 'node:fs';
import { LineSplitter, type RawLine } from '../jsonl/lineSplitter';
import { writeFileAtomic, type AtomicWriter } from '../fs/atomicWrite';
import type { FixableCode } from '../validation/codes';
import { RecordKeySet } from '../validation/keySet';
import { isBlankLine, validateLine, type LineResult } from '../validation/lineValidator';
import type { ValidationSettings } from '../validation/settings';
import { applyLineEdits } from './lineEdits';
import { fixRecordLine, type RecordFixCode } from './recordFixes';

export interface FixSkip {
  readonly line: number;
  readonly code: FixableCode;
  readonly reason: string;
}

export interface FixSummary {
  /** How many times each fix was applied (lines changed or deleted; once per file for bom and crlf). */
  readonly applied: Partial<Record<FixableCode, number>>;
  /** Lines that had a requested code but could not be fixed, with why (at most 1,000). */
  readonly skipped: FixSkip[];
  readonly linesIn: number;
  readonly linesOut: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = Buffer.from('\n');
const CRLF = Buffer.from('\r\n');
/** Decoding comes before last_not_user, so calls moved into reference_tool_calls are already decoded. */
const RECORD_FIX_ORDER: readonly RecordFixCode[] = ['double_encoded_arguments', 'top_level_system', 'last_not_user'];

type Piece = Buffer | { readonly copyFrom: number; readonly length: number };

/**
 * Applies the pure fixes to a JSONL file, streaming, and writes the result atomically to `destination`
 * (which may be the source itself). Lines the fixes do not touch are copied byte for byte, unreadable ones too.
 */
export async function fixJsonlFile(source: string, destination: string, codes: ReadonlySet<FixableCode>, settings: ValidationSettings): Promise<FixSummary> {
  const fixer = new LineFixer(codes, settings);
  const input = await fs.promises.open(source, 'r');
  try {
    await writeFileAtomic(destination, async (write) => {
      const pieces: Piece[] = [];
      const splitter = new LineSplitter(settings.maxLineBytes, (line) => fixer.fixLine(line, pieces));
      for await (const chunk of input.createReadStream({ highWaterMark: 1 << 20, autoClose: false, start: 0 }) as AsyncIterable<Buffer>) {
        splitter.push(chunk);
        await flush(pieces, input, write);
      }
      splitter.end();
      await flush(pieces, input, write);
    });
  } finally {
    await input.close();
  }
  return fixer.summary();
}

async function flush(pieces: Piece[], input: fs.promises.FileHandle, write: AtomicWriter): Promise<void> {
  for (const piece of pieces.splice(0)) {
    if (Buffer.isBuffer(piece)) {
      await write(piece);
      continue;
    }
    const buffer = Buffer.alloc(Math.min(piece.length, 1 << 20));
    for (let done = 0; done < piece.length;) {
      const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, piece.length - done), piece.copyFrom + done);
      if (bytesRead === 0) throw new Error(`the file changed while it was being fixed (short read at byte ${piece.copyFrom + done})`);
      await write(buffer.subarray(0, bytesRead));
      done += bytesRead;
    }
  }
}

class LineFixer {
  private readonly applied: Partial<Record<FixableCode, number>> = {};
  private readonly skipped: FixSkip[] = [];
  private readonly keys = new RecordKeySet();
  private linesIn = 0;
  private linesOut = 0;

  constructor(
    private readonly codes: ReadonlySet<FixableCode>,
    private readonly settings: ValidationSettings,
  ) {}

  fixLine(line: RawLine, out: Piece[]): void {
    this.linesIn++;
    if (line.bom) {
      if (this.codes.has('bom')) this.count('bom');
      else out.push(BOM);
    }
    const body = this.fixedBody(line);
    if (body === undefined) return; // a deleted duplicate
    this.linesOut++;
    out.push(body);
    if (!line.terminated) return;
    const keepCrlf = line.crlf && !this.codes.has('crlf');
    if (line.crlf && !keepCrlf && this.applied.crlf === undefined) this.count('crlf');
    out.push(keepCrlf ? CRLF : LF);
  }

  /** The bytes to write for the line, or undefined to delete it. */
  private fixedBody(line: RawLine): Piece | undefined {
    if (line.tooLong) return { copyFrom: line.byteOffset + (line.bom ? BOM.length : 0), length: line.byteLength };
    if (line.invalidUtf8 || isBlankLine(line.text)) return line.bytes;
    let text = line.text;
    let result = validateLine(line, this.settings);
    for (const code of RECORD_FIX_ORDER) {
      if (!this.codes.has(code) || !result.issues.some((issue) => issue.code === code)) continue;
      const fix = fixRecordLine(text, code);
      if ('reason' in fix) {
        if (this.skipped.length < 1000) this.skipped.push({ line: line.lineNumber, code, reason: fix.reason });
        continue;
      }
      text = applyLineEdits(text, fix.edits);
      result = validateLine({ text, byteLength: Buffer.byteLength(text) }, this.settings);
      this.count(code);
    }
    if (this.isDuplicate(result, line.lineNumber)) {
      this.count('duplicate');
      return undefined;
    }
    return text === line.text ? line.bytes : Buffer.from(text, 'utf8');
  }

  private isDuplicate(result: LineResult, lineNumber: number): boolean {
    if (result.key === undefined) return false;
    return this.keys.addOrFind(result.key, 0, lineNumber) !== undefined && this.codes.has('duplicate');
  }

  private count(code: FixableCode): void {
    this.applied[code] = (this.applied[code] ?? 0) + 1;
  }

  summary(): FixSummary {
    return { applied: this.applied, skipped: this.skipped, linesIn: this.linesIn, linesOut: this.linesOut };
  }
}
