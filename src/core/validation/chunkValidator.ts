import { LineSplitter } from '../jsonl/lineSplitter';
import type { LineIssue } from './issue';
import { isBlankLine, validateLine } from './lineValidator';
import type { ValidationSettings } from './settings';
import { TokenSampler, type KeyedRecord } from './tokenStats';

/** One record of a piece, as a worker thread sends it back: small and structured-clone friendly. */
export interface RecordOutcome {
  /** 0-based line index within the piece. */
  readonly line: number;
  /** Character length of the line (a duplicate issue underlines the whole line). */
  readonly length: number;
  readonly issues: LineIssue[];
  /** Present only for records without errors: they alone take part in deduplication. */
  readonly key?: string;
  /** A token count computed exactly (the byte bound did not settle it). */
  readonly exactTokens?: number;
}

export interface PieceOutcome {
  /** Lines in the piece, blank ones included. */
  readonly lineCount: number;
  readonly records: RecordOutcome[];
  readonly bom: boolean;
  readonly crlfLines: number;
  /** 0-based index of the first CRLF line, -1 when none. */
  readonly firstCrlfLine: number;
}

/**
 * Validates pieces of whole lines (see ChunkCutter) and keeps a token sample of their valid records. The same
 * code runs inline for small files and inside worker threads for large ones; deduplication and counting
 * happen afterwards, in file order, on the main thread.
 */
export class PieceValidator {
  private readonly sampler = new TokenSampler();

  constructor(private readonly settings: ValidationSettings) {}

  validate(bytes: Buffer, atFileStart: boolean): PieceOutcome {
    const records: RecordOutcome[] = [];
    let lineCount = 0;
    let bom = false;
    let crlfLines = 0;
    let firstCrlfLine = -1;
    const splitter = new LineSplitter(
      this.settings.maxLineBytes,
      (line) => {
        const index = lineCount++;
        if (line.bom) bom = true;
        if (line.crlf && crlfLines++ === 0) firstCrlfLine = index;
        if (!line.tooLong && !line.invalidUtf8 && isBlankLine(line.text)) return;
        const result = validateLine(line, this.settings);
        if (result.key !== undefined && result.record) this.sampler.add(result.key, result.record);
        records.push({
          line: index,
          length: line.text.length,
          issues: result.issues,
          key: result.key,
          exactTokens: result.tokens?.exact ? result.tokens.count : undefined,
        });
      },
      atFileStart,
    );
    splitter.push(bytes);
    splitter.end();
    return { lineCount, records, bom, crlfLines, firstCrlfLine };
  }

  /** The token sample of everything validated so far (counted by the caller, once for all threads). */
  sample(): KeyedRecord[] {
    return this.sampler.sample();
  }
}
