import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChunkCutter, type Piece } from '../jsonl/chunkCutter';
import { PieceValidator, type PieceOutcome } from './chunkValidator';
import { addHealthCounts, countFileIssue, countRecord, emptyHealthCounts, type HealthCounts } from './health';
import type { LineIssue } from './issue';
import { RecordKeySet } from './keySet';
import type { ValidationSettings } from './settings';
import { tokenStats, type KeyedRecord, type TokenStats } from './tokenStats';
import { availableWorkers, ValidationWorkerPool } from './workerPool';

/** An issue placed in a file: `line` and `column` are 1-based, as editors and the CLI show them. */
export interface FileIssue extends LineIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

export interface FileHealth {
  readonly file: string;
  readonly counts: HealthCounts;
}

export interface ValidationReport {
  readonly files: string[];
  readonly counts: HealthCounts;
  readonly perFile: FileHealth[];
  /** At most `maxIssues`, in file and line order; the counts are always complete. */
  readonly issues: FileIssue[];
  readonly issuesTruncated: boolean;
  readonly tokens: TokenStats;
}

export interface ValidateFilesOptions {
  readonly settings: ValidationSettings;
  readonly maxIssues?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (bytesDone: number) => void;
  /** Worker threads to use; by default, for datasets of 8 MiB or more, one per core beyond the first (up to 4). */
  readonly workers?: number;
  /** Bytes read at a time (each read becomes one piece of whole lines): 256 KiB inline, 1 MiB for workers. */
  readonly chunkBytes?: number;
}

const PARALLEL_FROM_BYTES = 8 << 20;

/**
 * Validates JSONL files as one dataset, streaming: memory stays flat whatever the size (the duplicate index
 * grows by a few bytes per record). Pieces of whole lines are validated inline or, for large datasets, on worker
 * threads; duplicates and counts are then settled in file order, across all the files, on this thread.
 */
export async function validateJsonlFiles(files: readonly string[], options: ValidateFilesOptions): Promise<ValidationReport> {
  const workers = options.workers ?? (totalBytes(files) >= PARALLEL_FROM_BYTES ? availableWorkers() : 0);
  const pool = workers > 0 ? new ValidationWorkerPool(workers, options.settings) : undefined;
  const inline = pool ? undefined : new PieceValidator(options.settings);
  const validate = (bytes: Buffer, atFileStart: boolean) => (pool ? pool.validate(bytes, atFileStart) : Promise.resolve(inline!.validate(bytes, atFileStart)));
  const run = new ValidationRun(
    options,
    files.map((file) => path.basename(file)),
  );
  let samples: KeyedRecord[];
  try {
    for (let index = 0; index < files.length; index++) await run.validateFile(files[index], index, validate, workers * 2 + 1);
    samples = pool ? await pool.samples() : inline!.sample();
  } finally {
    await pool?.close();
  }
  // Tokenizing the sample loads the o200k tables (~65 MB), so it happens after the workers are gone.
  return run.report(files, tokenStats(samples, run.exactTokenMax, run.counts.valid));
}

function totalBytes(files: readonly string[]): number {
  return files.reduce((sum, file) => sum + (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0), 0);
}

type ValidatePiece = (bytes: Buffer, atFileStart: boolean) => Promise<PieceOutcome>;

class ValidationRun {
  readonly counts = emptyHealthCounts();
  exactTokenMax = 0;
  private readonly perFile: FileHealth[] = [];
  private readonly issues: FileIssue[] = [];
  private truncated = false;
  private readonly keys = new RecordKeySet();
  private readonly maxIssues: number;

  constructor(
    private readonly options: ValidateFilesOptions,
    private readonly fileNames: readonly string[],
  ) {
    this.maxIssues = options.maxIssues ?? 1000;
  }

  async validateFile(file: string, fileIndex: number, validate: ValidatePiece, inFlight: number): Promise<void> {
    const state: FileState = { file, fileIndex, counts: emptyHealthCounts(), lines: 0, crlfLines: 0, firstCrlf: undefined };
    // Pieces are validated concurrently but settled strictly in order, so duplicates and line numbers are exact.
    const queue: Promise<PieceOutcome>[] = [];
    const cutter = new ChunkCutter(this.options.settings.maxLineBytes, (piece) => {
      const outcome = this.start(piece, validate);
      outcome.catch(() => undefined); // awaited below, in order; this only keeps a failure from going unhandled meanwhile
      queue.push(outcome);
    });
    let done = 0;
    const stream = fs.createReadStream(file, { highWaterMark: this.options.chunkBytes ?? (inFlight > 1 ? 1 << 20 : 256 << 10), signal: this.options.signal });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      cutter.push(chunk);
      done += chunk.length;
      this.options.onProgress?.(done);
      while (queue.length > inFlight) this.settle(state, await queue.shift()!);
    }
    cutter.end();
    while (queue.length > 0) this.settle(state, await queue.shift()!);
    if (state.firstCrlf) {
      (state.firstCrlf as { message: string }).message = `${state.crlfLines.toLocaleString('en-US')} line(s) end with CRLF (Windows line endings), starting here. Quick fix: convert the file to LF.`;
    }
    this.perFile.push({ file, counts: state.counts });
    addHealthCounts(this.counts, state.counts);
  }

  private start(piece: Piece, validate: ValidatePiece): Promise<PieceOutcome> {
    if (piece.kind === 'lines') return validate(piece.bytes, piece.atFileStart);
    const message = `The line is longer than ${this.options.settings.maxLineBytes.toLocaleString('en-US')} bytes (settings.validation.maxLineBytes); it was not read whole. Split or shorten the record.`;
    const issue: LineIssue = { code: 'line_too_long', severity: 'error', message, path: [], start: 0, end: 0 };
    return Promise.resolve({ lineCount: 1, records: [{ line: 0, length: 0, issues: [issue] }], bom: false, crlfLines: 0, firstCrlfLine: -1 });
  }

  private settle(state: FileState, outcome: PieceOutcome): void {
    const base = state.lines;
    if (outcome.bom) this.fileIssue(state, base + 1, 'bom', 'The file starts with a UTF-8 byte-order mark (BOM). Some trainers reject it. Quick fix: remove it.');
    // The CRLF issue goes in line order, among the records, whatever the piece boundaries.
    let crlfLine = outcome.crlfLines > 0 && state.crlfLines === 0 ? base + outcome.firstCrlfLine + 1 : undefined;
    const reportCrlf = () => {
      state.firstCrlf = this.fileIssue(state, crlfLine!, 'crlf', '');
      crlfLine = undefined;
    };
    state.crlfLines += outcome.crlfLines;
    for (const record of outcome.records) {
      const line = base + record.line + 1;
      if (crlfLine !== undefined && line >= crlfLine) reportCrlf();
      let issues = record.issues;
      let duplicate = false;
      if (record.key !== undefined) {
        const first = this.keys.addOrFind(record.key, state.fileIndex, line);
        if (first) {
          duplicate = true;
          issues = [...issues, duplicateIssue(record.length, first.line, first.fileIndex === state.fileIndex ? undefined : this.fileNames[first.fileIndex])];
        }
      }
      if (record.exactTokens !== undefined && record.exactTokens > this.exactTokenMax) this.exactTokenMax = record.exactTokens;
      countRecord(state.counts, issues, duplicate);
      for (const issue of issues) this.collect(state.file, line, issue);
    }
    if (crlfLine !== undefined) reportCrlf();
    state.lines += outcome.lineCount;
  }

  private fileIssue(state: FileState, line: number, code: 'bom' | 'crlf', message: string): FileIssue | undefined {
    countFileIssue(state.counts, code);
    return this.collect(state.file, line, { code, severity: 'warning', message, path: [], start: 0, end: 0 });
  }

  private collect(file: string, line: number, issue: LineIssue): FileIssue | undefined {
    if (this.issues.length >= this.maxIssues) {
      this.truncated = true;
      return undefined;
    }
    const located: FileIssue = { ...issue, file, line, column: issue.start + 1, endColumn: Math.max(issue.end, issue.start) + 1 };
    this.issues.push(located);
    return located;
  }

  report(files: readonly string[], tokens: TokenStats): ValidationReport {
    return { files: [...files], counts: this.counts, perFile: this.perFile, issues: this.issues, issuesTruncated: this.truncated, tokens };
  }
}

interface FileState {
  readonly file: string;
  readonly fileIndex: number;
  readonly counts: HealthCounts;
  lines: number;
  crlfLines: number;
  firstCrlf: FileIssue | undefined;
}

export function duplicateIssue(lineLength: number, firstLine: number, otherFile?: string): LineIssue {
  const where = otherFile ? `line ${firstLine} of ${otherFile}` : `line ${firstLine}`;
  return {
    code: 'duplicate',
    severity: 'warning',
    message: `Exact duplicate of the record on ${where} (same messages and tools). It stays on disk but is excluded from training. Quick fix: delete this line.`,
    path: [],
    start: 0,
    end: lineLength,
  };
}
