import * as vscode from 'vscode';
import type { HealthCounts } from '../core/validation/health';
import { healthText } from './healthText';
import { commandOf, datasetTarget } from './commands';
import type { DatasetRegistry } from './datasets/datasetRegistry';
import { isJsonlDocument, type JsonlValidation } from './jsonlValidation';

/**
 * The active JSONL file's health, live as you type, e.g. "✓ 1,008 valid  ⚠ 34 invalid". A click opens "View
 * Issues" of the file's dataset, or the Problems view for a file outside any dataset.
 */
export class HealthStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rftStudio.health', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly validation: JsonlValidation,
    private readonly registry: DatasetRegistry,
  ) {
    this.item.name = 'RFT Health';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      registry.onDidChange(() => this.update()),
      validation.onDidUpdate((uri) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) this.update();
      }),
    ];
    this.update();
  }

  update(): void {
    const document = vscode.window.activeTextEditor?.document;
    const counts = document && isJsonlDocument(document) ? this.validation.counts(document) : undefined;
    if (!counts) {
      this.item.hide();
      return;
    }
    const dataset = this.registry.datasetOf(document!.uri.fsPath);
    this.item.command = dataset ? commandOf('rftStudio.viewIssues', 'View Issues', datasetTarget(dataset.dir)) : 'workbench.actions.view.problems';
    this.item.text = healthText(counts);
    this.item.tooltip = healthTooltip(counts);
    this.item.backgroundColor = counts.invalid > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.item.dispose();
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

function healthTooltip(counts: HealthCounts): string {
  const codes = Object.entries(counts.byCode).map(([code, n]) => `${code}: ${fmt(n ?? 0)}`);
  return `RFT health: ${fmt(counts.total)} records — ${fmt(counts.valid)} valid, ${fmt(counts.invalid)} invalid, ${fmt(counts.duplicates)} duplicates${codes.length > 0 ? `\n${codes.join('\n')}` : ''}\nClick to view the issues.`;
}
