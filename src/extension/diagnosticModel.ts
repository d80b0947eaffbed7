// The pure mapping from core validation results to what the editor shows: diagnostics and quick fixes.
// No `vscode` import, so it is unit-tested in plain Node; the VS Code adapters only convert these shapes.
import type { LineEdit } from '../core/fixes/lineEdits';
import { fixRecordLine } from '../core/fixes/recordFixes';
import { isFixableCode, type FixableCode, type Severity } from '../core/validation/codes';
import type { DocumentIssue } from '../core/validation/documentValidation';

export const MAX_PROBLEMS_PER_FILE = 1000;
export const SUMMARY_CODE = 'more_issues';

export interface DiagnosticSpec {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly severity: Severity | 'info';
  readonly code: string;
  readonly message: string;
}

/** At most 1,000 problems, errors first, then one summary diagnostic that says how many more there are. */
export function toDiagnosticSpecs(issues: readonly DocumentIssue[], max = MAX_PROBLEMS_PER_FILE): DiagnosticSpec[] {
  const ordered =
    issues.length <= max
      ? issues
      : [...issues]
          .sort((a, b) => rank(a) - rank(b) || a.line - b.line)
          .slice(0, max)
          .sort((a, b) => a.line - b.line);
  const specs: DiagnosticSpec[] = ordered.map(({ line, issue }) => ({
    line,
    start: issue.start,
    end: Math.max(issue.end, issue.start),
    severity: issue.severity,
    code: issue.code,
    message: issue.message,
  }));
  if (issues.length > max) {
    specs.push({
      line: 0,
      start: 0,
      end: 0,
      severity: 'info',
      code: SUMMARY_CODE,
      message: `${(issues.length - max).toLocaleString('en-US')} more problems in this file are not shown (the first ${max.toLocaleString('en-US')} are, errors first). Run "RFT: Show Health Report" or \`rft validate\` for all of them.`,
    });
  }
  return specs;
}

const rank = (d: DocumentIssue) => (d.issue.severity === 'error' ? 0 : 1);

/** How a quick fix changes the document. */
export type FixOperation =
  | { readonly kind: 'editLines'; readonly lines: { readonly line: number; readonly edits: LineEdit[] }[] }
  | { readonly kind: 'deleteLines'; readonly lines: number[] }
  | { readonly kind: 'setEndOfLineLf' }
  | { readonly kind: 'removeBom' };

export interface QuickFixSpec {
  readonly title: string;
  readonly code: FixableCode;
  readonly operation: FixOperation;
  readonly preferred: boolean;
}

const TITLES: Record<FixableCode, string> = {
  last_not_user: 'Move the final assistant turn into reference_answer',
  double_encoded_arguments: 'Decode the double-encoded tool arguments',
  top_level_system: 'Move the top-level "system" into a leading system message',
  duplicate: 'Delete this duplicate record',
  crlf: 'Convert line endings to LF',
  bom: 'Remove the byte-order mark (rewrites the file on disk)',
};

const ALL_TITLES: Partial<Record<FixableCode, string>> = {
  last_not_user: 'Fix all "last_not_user" in this file',
  double_encoded_arguments: 'Fix all "double_encoded_arguments" in this file',
  top_level_system: 'Move every top-level "system" into a system message in this file',
  duplicate: 'Delete all duplicate records in this file',
};

/** The quick fixes for one diagnostic: the fix itself and, where it makes sense, "fix all of this kind". */
export function quickFixesFor(diagnostic: { line: number; code: string }, lineText: (line: number) => string, allIssues: readonly DocumentIssue[]): QuickFixSpec[] {
  const code = diagnostic.code;
  if (!isFixableCode(code)) return [];
  const single = operationFor(code, [diagnostic.line], lineText);
  if (!single) return [];
  const fixes: QuickFixSpec[] = [{ title: TITLES[code], code, operation: single, preferred: true }];
  const sameKind = [...new Set(allIssues.filter((d) => d.issue.code === code).map((d) => d.line))];
  const allTitle = ALL_TITLES[code];
  if (allTitle && sameKind.length > 1) {
    const all = operationFor(code, sameKind, lineText);
    if (all) fixes.push({ title: `${allTitle} (${sameKind.length})`, code, operation: all, preferred: false });
  }
  return fixes;
}

function operationFor(code: FixableCode, lines: number[], lineText: (line: number) => string): FixOperation | undefined {
  switch (code) {
    case 'crlf':
      return { kind: 'setEndOfLineLf' };
    case 'bom':
      return { kind: 'removeBom' };
    case 'duplicate':
      return { kind: 'deleteLines', lines };
    case 'last_not_user':
    case 'double_encoded_arguments':
    case 'top_level_system': {
      const edited = lines.flatMap((line) => {
        const fix = fixRecordLine(lineText(line), code);
        return 'edits' in fix ? [{ line, edits: fix.edits }] : [];
      });
      return edited.length > 0 ? { kind: 'editLines', lines: edited } : undefined;
    }
  }
}
