import { severityOf } from './codes';
import type { Finding, LineIssue } from './issue';
import { locateFindings } from './locate';
import { tooDeepFinding } from './nesting';
import { checkRecord } from './recordChecks';
import { recordKey } from './recordKey';
import { isPlainObject } from './recordShape';
import type { ValidationSettings } from './settings';
import { countRecordTokens, tokenUpperBound } from './tokens';

/** One line as the reader or the editor hands it over (text without its line ending). */
export interface LineInput {
  readonly text: string;
  /** UTF-8 size of the line; for a too-long line, the bytes seen. */
  readonly byteLength: number;
  readonly invalidUtf8?: boolean;
  readonly tooLong?: boolean;
}

export interface LineResult {
  /** Record-level issues, located on the line. Duplicates and file-level codes are added by the caller. */
  readonly issues: LineIssue[];
  readonly hasError: boolean;
  readonly hasWarning: boolean;
  /** The record key, only for a record without errors (the only ones that take part in deduplication). */
  readonly key?: string;
  /** Exact token count when it was counted, otherwise an upper bound (the byte bound settled it). */
  readonly tokens?: { readonly count: number; readonly exact: boolean };
  /** The parsed record, for callers that sample it; do not keep it for every line. */
  readonly record?: Record<string, unknown>;
}

/** A line of JSON whitespace only is not a record (and not an error). */
export function isBlankLine(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

export function validateLine(line: LineInput, settings: ValidationSettings): LineResult {
  const early = lineLevelFinding(line, settings);
  if (early) return withFindings(line.text, [early]);
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch (error) {
    return { issues: [invalidJsonIssue(line.text, error)], hasError: true, hasWarning: false };
  }
  const tooDeep = value !== null && typeof value === 'object' ? tooDeepFinding(value) : undefined;
  if (tooDeep) return withFindings(line.text, [tooDeep]);
  const findings = checkRecord(value, settings);
  if (findings.some((f) => severityOf(f.code) === 'error') || !isPlainObject(value)) return withFindings(line.text, findings);
  const record = value;
  const tokens = tokensWithinLimit(record, line, settings.maxTokens);
  if (tokens.count > settings.maxTokens) {
    findings.push({
      code: 'exceeds_max_tokens',
      path: ['messages'],
      message: `The prompt has ${tokens.count.toLocaleString('en-US')} tokens (o200k), over the limit of ${settings.maxTokens.toLocaleString('en-US')}. Shorten it or raise settings.validation.maxTokens in rft.json.`,
    });
    return { ...withFindings(line.text, findings), tokens, record };
  }
  return { ...withFindings(line.text, findings), key: recordKey(record, line.text), tokens, record };
}

function lineLevelFinding(line: LineInput, settings: ValidationSettings): Finding | undefined {
  if (line.tooLong) {
    return {
      code: 'line_too_long',
      path: [],
      message: `The line is longer than ${settings.maxLineBytes.toLocaleString('en-US')} bytes (settings.validation.maxLineBytes); it was not read whole. Split or shorten the record.`,
    };
  }
  if (line.invalidUtf8) {
    return { code: 'encoding', path: [], message: 'The line is not valid UTF-8. Re-save the file as UTF-8.' };
  }
  const nul = line.text.indexOf('\u0000');
  if (nul !== -1) {
    return { code: 'encoding', path: [], message: `The line contains a NUL byte at column ${nul + 1}; JSONL must be text. Remove it.` };
  }
  return undefined;
}

function tokensWithinLimit(record: Record<string, unknown>, line: LineInput, maxTokens: number): { count: number; exact: boolean } {
  const bound = tokenUpperBound(record, line.byteLength);
  if (bound <= maxTokens) return { count: bound, exact: false };
  return { count: countRecordTokens(record), exact: true };
}

function withFindings(text: string, findings: Finding[]): LineResult {
  const issues = locateFindings(text, findings);
  return {
    issues,
    hasError: issues.some((i) => i.severity === 'error'),
    hasWarning: issues.some((i) => i.severity === 'warning'),
  };
}

function invalidJsonIssue(text: string, error: unknown): LineIssue {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(raw);
  const start = position ? Math.min(Number(position[1]), Math.max(0, text.length - 1)) : 0;
  const reason = raw.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  const hint = looksPrettyPrinted(text)
    ? ' This looks like pretty-printed JSON spread over several lines; JSONL needs one complete object per line.'
    : ' Each line must hold one complete JSON object.';
  return {
    code: 'invalid_json',
    severity: 'error',
    message: `Invalid JSON at column ${start + 1}: ${reason}.${hint}`,
    path: [],
    start,
    end: Math.min(text.length, start + 1) || text.length,
  };
}

function looksPrettyPrinted(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '{' || trimmed === '}' || trimmed === '[' || trimmed === ']' || /^"[^"]*"\s*:/.test(trimmed) || /[{[,]$/.test(trimmed);
}
