import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineSplitter, type RawLine } from '../jsonl/lineSplitter';
import { addHealthCounts, countFileIssue, countRecord, emptyHealthCounts, type HealthCounts } from './health';
import type { LineIssue } from './issue';
import { RecordKeySet } from './keySet';
import { validateLine, type LineResult } from './lineValidator';
import type { ValidationSettings } from './settings';
import { TokenSampler, type TokenStats } from './tokenStats';

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
  /** Called for every record (not blank lines), e.g. to feed later steps. */
  readonly onRecord?: (file: string, line: RawLine, result: LineResult, duplicate: boolean) => void;
  readonly onProgress?: (bytesDone: number) => void;
}

/**
 * Validates JSONL files as one dataset, streaming: memory stays flat whatever the size (the duplicate index
 * grows by a few bytes per record). Duplicates are found across all the files, in the order given.
 */
export async function validateJsonlFiles(files: readonly string[], options: ValidateFilesOptions): Promise<ValidationReport> {
  const run = new ValidationRun(options, files.map((file) => path.basename(file)));
  for (let index = 0; index < files.length; index++) await run.validateFile(files[index], index);
  return run.report(files);
}

class ValidationRun {
  readonly counts = emptyHealthCounts();
  readonly perFile: FileHealth[] = [];
  readonly issues: FileIssue[] = [];
  private truncated = false;
  private readonly keys = new RecordKeySet();
  private readonly tokens = new TokenSampler();
  private readonly maxIssues: number;

  constructor(
    private readonly options: ValidateFilesOptions,
    private readonly fileNames: readonly string[],
  ) {
    this.maxIssues = options.maxIssues ?? 1000;
  }

  async validateFile(file: string, fileIndex: number): Promise<void> {
    const counts = emptyHealthCounts();
    const crlf = { first: undefined as FileIssue | undefined, lines: 0 };
    const splitter = new LineSplitter(this.options.settings.maxLineBytes, (line) => {
      if (line.bom) this.fileIssue(file, counts, line.lineNumber, 'bom', 'The file starts with a UTF-8 byte-order mark (BOM). Some trainers reject it. Quick fix: remove it.');
      if (line.crlf && crlf.lines++ === 0) crlf.first = this.fileIssue(file, counts, line.lineNumber, 'crlf', '');
      this.validateRecordLine(file, fileIndex, line, counts);
    });
    let done = 0;
    const stream = fs.createReadStream(file, { highWaterMark: 1 << 20, signal: this.options.signal });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      splitter.push(chunk);
      done += chunk.length;
      this.options.onProgress?.(done);
    }
    splitter.end();
    if (crlf.first) {
      (crlf.first as { message: string }).message = `${crlf.lines.toLocaleString('en-US')} line(s) end with CRLF (Windows line endings), starting here. Quick fix: convert the file to LF.`;
    }
    this.perFile.push({ file, counts });
    addHealthCounts(this.counts, counts);
  }

  private validateRecordLine(file: string, fileIndex: number, line: RawLine, counts: HealthCounts): void {
    if (!line.tooLong && !line.invalidUtf8 && line.text.trim() === '') return; // blank lines are not records
    const result = validateLine(line, this.options.settings);
    let issues = result.issues;
    let duplicate = false;
    if (result.key !== undefined) {
      const first = this.keys.addOrFind(result.key, fileIndex, line.lineNumber);
      if (first) {
        duplicate = true;
        issues = [...issues, duplicateIssue(line.text, first.line, first.fileIndex === fileIndex ? undefined : this.fileNames[first.fileIndex])];
      } else if (result.record && result.tokens) {
        this.tokens.add(result.record, result.tokens.exact ? result.tokens.count : undefined);
      }
    }
    countRecord(counts, issues, duplicate);
    for (const issue of issues) this.collect(file, line.lineNumber, issue);
    this.options.onRecord?.(file, line, result, duplicate);
  }

  private fileIssue(file: string, counts: HealthCounts, lineNumber: number, code: 'bom' | 'crlf', message: string): FileIssue | undefined {
    countFileIssue(counts, code);
    return this.collect(file, lineNumber, { code, severity: 'warning', message, path: [], start: 0, end: 0 });
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

  report(files: readonly string[]): ValidationReport {
    return {
      files: [...files],
      counts: this.counts,
      perFile: this.perFile,
      issues: this.issues,
      issuesTruncated: this.truncated,
      tokens: this.tokens.stats(),
    };
  }
}

export function duplicateIssue(text: string, firstLine: number, otherFile?: string): LineIssue {
  const where = otherFile ? `line ${firstLine} of ${otherFile}` : `line ${firstLine}`;
  return {
    code: 'duplicate',
    severity: 'warning',
    message: `Exact duplicate of the record on ${where} (same messages and tools). It stays on disk but is excluded from training. Quick fix: delete this line.`,
    path: [],
    start: 0,
    end: text.length,
  };
}
