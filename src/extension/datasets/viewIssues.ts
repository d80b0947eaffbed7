import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetRegistry } from './datasetRegistry';

/** A quick pick of the dataset's issues, grouped by code (errors first), that jumps to the line. */
export async function viewIssues(dir: string, registry: DatasetRegistry): Promise<void> {
  const health = registry.get(dir)?.reading?.health;
  if (!health) {
    void vscode.window.showInformationMessage('Health is still being computed; try again in a moment.');
    return;
  }
  if (health.issues.length === 0) {
    void vscode.window.showInformationMessage(`No issues: ${health.counts.valid.toLocaleString('en-US')} valid records.`);
    return;
  }
  const byCode = new Map<string, typeof health.issues>();
  for (const issue of health.issues) byCode.set(issue.code, [...(byCode.get(issue.code) ?? []), issue]);
  const groups = [...byCode.entries()].sort((a, b) => (a[1][0].severity === b[1][0].severity ? b[1].length - a[1].length : a[1][0].severity === 'error' ? -1 : 1));
  type Item = vscode.QuickPickItem & { issue?: (typeof health.issues)[number] };
  const items: Item[] = [];
  for (const [code, issues] of groups) {
    const total = health.counts.byCode[code as keyof typeof health.counts.byCode] ?? issues.length;
    items.push({ label: `${code} (${total.toLocaleString('en-US')})`, kind: vscode.QuickPickItemKind.Separator });
    for (const issue of issues) {
      items.push({ label: `$(${issue.severity === 'error' ? 'error' : 'warning'}) ${issue.file}:${issue.line}`, description: issue.code, detail: issue.message, issue });
    }
  }
  const more = health.issuesTruncated ? ' (the first 1,000 issues)' : '';
  const chosen = await vscode.window.showQuickPick(items, { title: `Issues of ${registry.get(dir)?.state.name ?? path.basename(dir)}${more}`, matchOnDescription: true, matchOnDetail: true });
  if (!chosen?.issue) return;
  const position = new vscode.Position(chosen.issue.line - 1, chosen.issue.column - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, chosen.issue.file)), {
    selection: new vscode.Range(position, position.translate(0, Math.max(0, chosen.issue.endColumn - chosen.issue.column))),
  });
}
