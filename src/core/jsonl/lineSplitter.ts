import { isUtf8 } from 'node:buffer';

/** One line of a JSONL byte stream, without its line ending. */
export interface RawLine {
  /** 1-based. */
  readonly lineNumber: number;
  /** Byte offset of the line's first byte in the file. */
  readonly byteOffset: number;
  /** Bytes of the line without its ending; for a too-long line, all the bytes it had. */
  readonly byteLength: number;
  /** Decoded text ('' for a too-long line, which is never buffered whole). */
  readonly text: string;
  /** The line's own bytes, without BOM and line ending (empty for a too-long line). */
  readonly bytes: Buffer;
  /** Whether a line ending followed the line (false only for a last line without one). */
  readonly terminated: boolean;
  readonly bom: boolean;
  readonly crlf: boolean;
  readonly invalidUtf8: boolean;
  readonly tooLong: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * Splits a byte stream into lines, synchronously and push-based so the hot loop has no per-line promise.
 * Memory stays bounded by the chunk size plus `maxLineBytes`: a longer line is counted, not kept.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private skipping = false;
  private skippedBytes = 0;
  private lineNumber = 0;
  private lineStart = 0;
  private offset = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: RawLine) => void,
    /** Whether the first line is the start of a file (where a BOM may be). */
    private readonly atFileStart = true,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    while (from < chunk.length) {
      const newline = chunk.indexOf(LF, from);
      if (newline === -1) {
        this.keep(chunk.subarray(from));
        break;
      }
      this.keep(chunk.subarray(from, newline));
      this.offset += 1; // the LF itself
      this.emit(true);
      from = newline + 1;
    }
  }

  /** Flushes a last line that has no line ending. */
  end(): void {
    if (this.partBytes > 0 || this.skipping) this.emit(false);
  }

  private keep(bytes: Buffer): void {
    this.offset += bytes.length;
    if (bytes.length === 0) return;
    if (this.skipping) {
      this.skippedBytes += bytes.length;
      return;
    }
    if (this.partBytes + bytes.length > this.maxLineBytes + 1) {
      // +1 leaves room for a CR that belongs to the line ending, not the line.
      this.skipping = true;
      this.skippedBytes = this.partBytes + bytes.length;
      this.parts = [];
      this.partBytes = 0;
      return;
    }
    this.parts.push(bytes);
    this.partBytes += bytes.length;
  }

  private emit(terminated: boolean): void {
    this.lineNumber++;
    const byteOffset = this.lineStart;
    this.lineStart = this.offset;
    if (this.skipping) {
      const byteLength = this.skippedBytes;
      this.skipping = false;
      this.skippedBytes = 0;
      this.onLine({ lineNumber: this.lineNumber, byteOffset, byteLength, text: '', bytes: EMPTY, terminated, bom: false, crlf: false, invalidUtf8: false, tooLong: true });
      return;
    }
    let bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partBytes);
    this.parts = [];
    this.partBytes = 0;
    const crlf = terminated && bytes.length > 0 && bytes[bytes.length - 1] === CR;
    if (crlf) bytes = bytes.subarray(0, bytes.length - 1);
    const bom = this.atFileStart && this.lineNumber === 1 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    if (bom) bytes = bytes.subarray(3);
    if (bytes.length > this.maxLineBytes) {
      this.onLine({ lineNumber: this.lineNumber, byteOffset, byteLength: bytes.length, text: '', bytes: EMPTY, terminated, bom, crlf, invalidUtf8: false, tooLong: true });
      return;
    }
    const invalidUtf8 = !isUtf8(bytes);
    this.onLine({ lineNumber: this.lineNumber, byteOffset, byteLength: bytes.length, text: bytes.toString('utf8'), bytes, terminated, bom, crlf, invalidUtf8, tooLong: false });
  }
}
