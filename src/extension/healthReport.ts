import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentValidation } from '../core/validation/documentValidation';
import { recommendations } from '../core/validation/recommendations';

export const REPORT_SCHEME = 'rft-report';
const MAX_LISTED = 300;

/** Serves the health report of a JSONL document as read-only Markdown, shown in the Markdown preview. */
export class HealthReportProvider implements vscode.TextDocumentContentProvider {
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  show(document: vscode.TextDocument, model: DocumentValidation): Thenable<unknown> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${path.basename(document.uri.path)} health.md`, query: document.uri.toString() });
    this.reports.set(uri.toString(), healthReportMarkdown(document.uri, model));
    this.changed.fire(uri);
    return vscode.commands.executeCommand('markdown.showPreview', uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? 'This report is no longer available; run "RFT: Show Health Report" again.';
  }
}

/** Record text is untrusted: everything that comes from the file is escaped, never rendered as HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

export function healthReportMarkdown(file: vscode.Uri, model: DocumentValidation): string {
  const counts = model.counts();
  const fmt = (n: number) => n.toLocaleString('en-US');
  const pct = (n: number) => (counts.total === 0 ? '–' : `${((100 * n) / counts.total).toFixed(1)} %`);
  const out = [
    `# Health — ${escapeMarkdown(path.basename(file.path))}`,
    '',
    '| | records | share |',
    '|---|---:|---:|',
    `| Total | ${fmt(counts.total)} | |`,
    `| ✓ Valid | ${fmt(counts.valid)} | ${pct(counts.valid)} |`,
    `| ✗ Invalid | ${fmt(counts.invalid)} | ${pct(counts.invalid)} |`,
    `| ⊘ Duplicates | ${fmt(counts.duplicates)} | ${pct(counts.duplicates)} |`,
    `| ⚠ Valid with warnings | ${fmt(counts.warnings)} | ${pct(counts.warnings)} |`,
    '',
  ];
  const codes = Object.entries(counts.byCode).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  if (codes.length > 0) out.push('## By code', '', '| code | records |', '|---|---:|', ...codes.map(([code, n]) => `| \`${code}\` | ${fmt(n ?? 0)} |`), '');
  out.push('## Recommendations', '', ...recommendations(counts).map((text) => `- ${escapeMarkdown(text)}`), '');
  const issues = model.issues();
  if (issues.length > 0) {
    out.push(`## Issues${issues.length > MAX_LISTED ? ` (first ${MAX_LISTED} of ${fmt(issues.length)})` : ''}`, '');
    for (const { line, issue } of issues.slice(0, MAX_LISTED)) {
      const link = file.with({ fragment: `L${line + 1},${issue.start + 1}` }).toString();
      out.push(`- [line ${line + 1}](${link}) **${issue.severity}** \`${issue.code}\` — ${escapeMarkdown(issue.message)}`);
    }
  }
  return out.join('\n');
}
