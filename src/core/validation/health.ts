import { FILE_LEVEL_CODES, type ValidationCode } from './codes';
import type { LineIssue } from './issue';

/** The health of a set of records: total = valid + invalid + duplicates (docs/validation-codes.md §Severity). */
export interface HealthCounts {
  total: number;
  valid: number;
  invalid: number;
  /** Valid records that carry at least one warning. */
  warnings: number;
  duplicates: number;
  /** Records affected per code (file-level codes count once per file). */
  byCode: Partial<Record<ValidationCode, number>>;
}

export function emptyHealthCounts(): HealthCounts {
  return { total: 0, valid: 0, invalid: 0, warnings: 0, duplicates: 0, byCode: {} };
}

/**
 * Adds one record's outcome; `issues` include its duplicate issue when it is a duplicate. A duplicate counts only
 * under `duplicate`: its other warnings are its original's, already counted.
 */
export function countRecord(counts: HealthCounts, issues: readonly LineIssue[], duplicate: boolean): void {
  counts.total++;
  if (duplicate) {
    counts.duplicates++;
    counts.byCode.duplicate = (counts.byCode.duplicate ?? 0) + 1;
    return;
  }
  let error = false;
  let warning = false;
  let seen: ValidationCode | undefined;
  let seenMany: Set<ValidationCode> | undefined;
  for (const issue of issues) {
    if (FILE_LEVEL_CODES.has(issue.code)) continue;
    if (issue.severity === 'error') error = true;
    else warning = true;
    if (seen === issue.code || seenMany?.has(issue.code)) continue;
    if (seen === undefined) seen = issue.code;
    else (seenMany ??= new Set([seen])).add(issue.code);
    counts.byCode[issue.code] = (counts.byCode[issue.code] ?? 0) + 1;
  }
  if (error) counts.invalid++;
  else {
    counts.valid++;
    if (warning) counts.warnings++;
  }
}

export function countFileIssue(counts: HealthCounts, code: ValidationCode): void {
  counts.byCode[code] = (counts.byCode[code] ?? 0) + 1;
}

export function addHealthCounts(into: HealthCounts, from: HealthCounts): void {
  into.total += from.total;
  into.valid += from.valid;
  into.invalid += from.invalid;
  into.warnings += from.warnings;
  into.duplicates += from.duplicates;
  for (const [code, n] of Object.entries(from.byCode) as [ValidationCode, number][]) {
    into.byCode[code] = (into.byCode[code] ?? 0) + n;
  }
}
