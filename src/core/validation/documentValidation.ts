import { Buffer } from 'node:buffer';
import { duplicateIssue } from './fileValidator';
import { countFileIssue, countRecord, emptyHealthCounts, type HealthCounts } from './health';
import type { LineIssue } from './issue';
import { isBlankLine, validateLine, type LineResult } from './lineValidator';
import type { ValidationSettings } from './settings';

/** A change to the text: the range it replaces (0-based lines, UTF-16 characters) and the new text. */
export interface TextChange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly text: string;
}

export interface DocumentFlags {
  /** The document's line endings are CRLF. */
  readonly crlf?: boolean;
  /** The document starts with a byte-order mark. */
  readonly bom?: boolean;
}

/** An issue on a 0-based line of the document. */
export interface DocumentIssue {
  readonly line: number;
  readonly issue: LineIssue;
}

type StoredResult = Omit<LineResult, 'record'>;

interface Entry {
  index: number;
  text: string;
  /** Undefined for a blank line, which is not a record. */
  result: StoredResult | undefined;
  /** The entries sharing this record's key (a shared array, in document order), when it has one. */
  group: Entry[] | undefined;
}

/**
 * The validation state of an open document, kept up to date edit by edit: a change re-validates only the lines
 * it touches, plus the duplicate state of the record keys it adds or removes. It always agrees with validating
 * the whole text from scratch (a property the tests check under random edits).
 */
export class DocumentValidation {
  private entries: Entry[] = [];
  /** Record key -> the entries with that key, in document order (the first one is the original). */
  private readonly groups = new Map<string, Entry[]>();

  constructor(
    lines: readonly string[],
    private readonly settings: ValidationSettings,
    private flags: DocumentFlags = {},
  ) {
    this.replaceLines(0, 0, lines);
  }

  static fromText(text: string, settings: ValidationSettings): DocumentValidation {
    const bom = text.charCodeAt(0) === 0xfeff;
    const body = bom ? text.slice(1) : text;
    return new DocumentValidation(body.split(/\r?\n/), settings, { bom, crlf: body.includes('\r\n') });
  }

  get lineCount(): number {
    return this.entries.length;
  }

  lineText(line: number): string {
    return this.entries[line]?.text ?? '';
  }

  get documentFlags(): DocumentFlags {
    return this.flags;
  }

  setFlags(flags: DocumentFlags): void {
    this.flags = flags;
  }

  /** Applies one text change as an editor reports it (changes of one event are applied in order). */
  applyChange(change: TextChange): void {
    const before = this.lineText(change.startLine).slice(0, change.startCharacter);
    const after = this.lineText(change.endLine).slice(change.endCharacter);
    const newLines = `${before}${change.text}${after}`.split(/\r?\n/);
    this.replaceLines(change.startLine, change.endLine - change.startLine + 1, newLines);
  }

  /** Replaces `deleteCount` lines at `start` with `lines`, re-validating only those. */
  replaceLines(start: number, deleteCount: number, lines: readonly string[]): void {
    const removed = this.entries.slice(start, start + deleteCount);
    for (const entry of removed) this.leaveGroup(entry);
    const added: Entry[] = lines.map((text) => ({ index: 0, text, result: this.validate(text), group: undefined }));
    this.entries = added.length < 10_000 ? (this.entries.splice(start, deleteCount, ...added), this.entries) : this.entries.slice(0, start).concat(added, this.entries.slice(start + deleteCount));
    if (added.length !== removed.length) {
      for (let i = start; i < this.entries.length; i++) this.entries[i].index = i;
    } else {
      for (let i = 0; i < added.length; i++) added[i].index = start + i;
    }
    for (const entry of added) this.joinGroup(entry);
  }

  /** The result of one line and, for a duplicate, the 0-based line of its original. */
  lineState(line: number): { result: StoredResult | undefined; duplicateOf?: number } {
    const entry = this.entries[line];
    if (!entry?.result) return { result: undefined };
    const original = this.originalOf(entry);
    return { result: entry.result, duplicateOf: original?.index };
  }

  issues(): DocumentIssue[] {
    const out: DocumentIssue[] = [];
    for (const issue of this.fileIssues()) out.push({ line: 0, issue });
    for (const entry of this.entries) {
      if (!entry.result) continue;
      for (const issue of entry.result.issues) out.push({ line: entry.index, issue });
      const original = this.originalOf(entry);
      if (original) out.push({ line: entry.index, issue: duplicateIssue(entry.text.length, original.index + 1) });
    }
    return out;
  }

  counts(): HealthCounts {
    const counts = emptyHealthCounts();
    for (const issue of this.fileIssues()) countFileIssue(counts, issue.code);
    for (const entry of this.entries) {
      if (!entry.result) continue;
      countRecord(counts, entry.result.issues, this.originalOf(entry) !== undefined);
    }
    return counts;
  }

  private fileIssues(): LineIssue[] {
    const end = this.lineText(0).length;
    const issues: LineIssue[] = [];
    if (this.flags.bom)
      issues.push({ code: 'bom', severity: 'warning', message: 'The file starts with a UTF-8 byte-order mark (BOM). Some trainers reject it. Quick fix: remove it.', path: [], start: 0, end });
    if (this.flags.crlf) issues.push({ code: 'crlf', severity: 'warning', message: 'The file uses CRLF (Windows) line endings. Quick fix: convert the file to LF.', path: [], start: 0, end });
    return issues;
  }

  private validate(text: string): StoredResult | undefined {
    if (isBlankLine(text)) return undefined;
    const byteLength = Buffer.byteLength(text);
    const tooLong = byteLength > this.settings.maxLineBytes;
    const { record: _record, ...stored } = validateLine({ text, byteLength, tooLong }, this.settings);
    return stored;
  }

  private originalOf(entry: Entry): Entry | undefined {
    const group = entry.group;
    return group !== undefined && group[0] !== entry ? group[0] : undefined;
  }

  private joinGroup(entry: Entry): void {
    const key = entry.result?.key;
    if (key === undefined) return;
    const group = this.groups.get(key);
    if (!group) {
      entry.group = [entry];
      this.groups.set(key, entry.group);
      return;
    }
    entry.group = group;
    let lo = 0;
    let hi = group.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (group[mid].index < entry.index) lo = mid + 1;
      else hi = mid;
    }
    group.splice(lo, 0, entry);
  }

  private leaveGroup(entry: Entry): void {
    const key = entry.result?.key;
    if (key === undefined) return;
    const group = entry.group;
    entry.group = undefined;
    if (!group) return;
    const at = group.indexOf(entry);
    if (at !== -1) group.splice(at, 1);
    if (group.length === 0) this.groups.delete(key);
  }
}
