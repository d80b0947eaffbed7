/** A run of whole lines (each ending with LF, but a file's last line may have none), or a line too long to keep. */
export type Piece = { readonly kind: 'lines'; readonly bytes: Buffer; readonly atFileStart: boolean } | { readonly kind: 'tooLong'; readonly byteLength: number };

const LF = 0x0a;

/**
 * Cuts a byte stream into pieces of whole lines, so each piece can be validated on its own (in a worker thread
 * or inline). A line longer than `maxLineBytes` is never buffered: it becomes a `tooLong` piece.
 */
export class ChunkCutter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;
  private skippedBytes = 0;
  private atFileStart = true;

  constructor(
    private readonly maxLineBytes: number,
    private readonly emit: (piece: Piece) => void,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    if (this.skipping) {
      const newline = chunk.indexOf(LF);
      if (newline === -1) {
        this.skippedBytes += chunk.length;
        return;
      }
      this.endSkip(this.skippedBytes + newline);
      from = newline + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last < from) {
      this.keep(chunk.subarray(from));
      return;
    }
    this.carry.push(chunk.subarray(from, last + 1));
    this.carryBytes += last + 1 - from;
    this.flushLines();
    this.keep(chunk.subarray(last + 1));
  }

  end(): void {
    if (this.skipping) this.endSkip(this.skippedBytes);
    else if (this.carryBytes > 0) this.flushLines();
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.carryBytes + bytes.length > this.maxLineBytes + 4) {
      // +4 leaves room for a CR and a BOM, which are not part of the line's own bytes: the exact check is the
      // LineSplitter's, on the whole line.
      this.skipping = true;
      this.skippedBytes = this.carryBytes + bytes.length;
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    this.carry.push(bytes);
    this.carryBytes += bytes.length;
  }

  private flushLines(): void {
    const bytes = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    this.emit({ kind: 'lines', bytes, atFileStart: this.atFileStart });
    this.atFileStart = false;
  }

  private endSkip(byteLength: number): void {
    this.skipping = false;
    this.skippedBytes = 0;
    this.atFileStart = false;
    this.emit({ kind: 'tooLong', byteLength });
  }
}
