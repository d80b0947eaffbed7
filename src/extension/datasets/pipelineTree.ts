import * as path from 'node:path';
import * as vscode from 'vscode';
import { datasetSummary, summaryFactsOf, summaryLines } from '../../core/pipeline/datasetSummary';
import type { HealthState, StepState, StepStatus } from '../../core/pipeline/pipelineState';
import type { CommandId } from '../commandTable';
import { commandOf, datasetTarget, executeCommand } from '../commands';
import type { DatasetEntry, DatasetRegistry } from './datasetRegistry';

/** Tree nodes: a dataset, its Health row, or one of its seven steps. */
export type PipelineNode =
  { readonly kind: 'dataset'; readonly dir: string } | { readonly kind: 'health'; readonly dir: string } | { readonly kind: 'step'; readonly dir: string; readonly step: StepState };

const ICONS: Record<StepStatus, [string, string | undefined]> = {
  waiting: ['circle-large-outline', 'disabledForeground'],
  ready: ['circle-large-filled', 'charts.blue'],
  running: ['loading~spin', undefined],
  complete: ['pass-filled', 'testing.iconPassed'],
  attention: ['warning', 'problemsWarningIcon.foreground'],
  failed: ['error', 'problemsErrorIcon.foreground'],
};

const HEALTH_ICONS: Record<HealthState['status'], StepStatus> = { validating: 'running', complete: 'complete', attention: 'attention', failed: 'failed' };

function icon(status: StepStatus): vscode.ThemeIcon {
  const [id, color] = ICONS[status];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** "RFT Studio" → Datasets: each dataset, its Health row, then the seven steps of docs/pipeline.md. */
export class PipelineTree implements vscode.TreeDataProvider<PipelineNode> {
  private readonly changed = new vscode.EventEmitter<PipelineNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly registry: DatasetRegistry) {
    registry.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: PipelineNode): PipelineNode[] {
    if (!node) return this.registry.list().map((entry) => ({ kind: 'dataset', dir: entry.dir }));
    if (node.kind !== 'dataset') return [];
    const entry = this.registry.get(node.dir);
    if (!entry) return [];
    return [{ kind: 'health', dir: node.dir }, ...entry.state.steps.map((step) => ({ kind: 'step' as const, dir: node.dir, step }))];
  }

  getParent(node: PipelineNode): PipelineNode | undefined {
    return node.kind === 'dataset' ? undefined : { kind: 'dataset', dir: node.dir };
  }

  getTreeItem(node: PipelineNode): vscode.TreeItem {
    const entry = this.registry.get(node.dir);
    if (!entry) return new vscode.TreeItem('(removed)');
    switch (node.kind) {
      case 'dataset':
        return datasetItem(entry);
      case 'health':
        return healthItem(entry);
      case 'step':
        return stepItem(entry, node.step);
    }
  }
}

function datasetItem(entry: DatasetEntry): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.state.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `dataset:${entry.dir}`;
  item.description = vscode.workspace.asRelativePath(entry.dir, true);
  item.iconPath = new vscode.ThemeIcon('database');
  item.contextValue = 'rftStudio.dataset';
  item.resourceUri = vscode.Uri.file(entry.dir);
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**');
  tooltip.appendText(entry.state.name);
  tooltip.appendMarkdown('**\n\n');
  if (entry.reading?.manifest?.objective) tooltip.appendText(`${entry.reading.manifest.objective}\n\n`);
  tooltip.appendText(entry.dir);
  const facts = entry.reading && summaryFactsOf(entry.reading);
  if (facts) tooltip.appendCodeblock(summaryLines(datasetSummary(facts)).join('\n'), 'text');
  item.tooltip = tooltip;
  return item;
}

function healthItem(entry: DatasetEntry): vscode.TreeItem {
  const health = entry.state.health;
  const item = new vscode.TreeItem('Health', vscode.TreeItemCollapsibleState.None);
  item.id = `health:${entry.dir}`;
  item.description = health.description;
  item.iconPath = icon(HEALTH_ICONS[health.status]);
  item.contextValue = `rftStudio.health.${health.status}`;
  item.command = openOnClick(clickCommand({ kind: 'health', dir: entry.dir }));
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**Health** — validation runs by itself after every change\n\n');
  const counts = health.counts;
  if (counts) {
    tooltip.appendMarkdown(
      `| | records |\n|---|---:|\n| Total | ${counts.total} |\n| ✓ Valid | ${counts.valid} |\n| ✗ Invalid | ${counts.invalid} |\n| ⊘ Duplicates | ${counts.duplicates} |\n| ⚠ With warnings | ${counts.warnings} |\n`,
    );
    const codes = Object.entries(counts.byCode).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
    if (codes.length > 0) tooltip.appendMarkdown(`\n${codes.map(([code, n]) => `- \`${code}\`: ${n}`).join('\n')}\n`);
  } else {
    tooltip.appendText(health.description);
  }
  item.tooltip = tooltip;
  return item;
}

function stepItem(entry: DatasetEntry, step: StepState): vscode.TreeItem {
  const item = new vscode.TreeItem(step.title, vscode.TreeItemCollapsibleState.None);
  item.id = `step:${step.id}:${entry.dir}`;
  item.description = step.description;
  item.iconPath = icon(step.status);
  item.contextValue = `rftStudio.step.${step.id}.${step.status}`;
  item.command = openOnClick(clickCommand({ kind: 'step', dir: entry.dir, step }));
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**');
  tooltip.appendText(step.title);
  tooltip.appendMarkdown(`** — ${step.status}\n\n`);
  tooltip.appendText(`${step.description}\n\n${step.detail}`);
  item.tooltip = tooltip;
  return item;
}

/** The commands a click on a tree row runs: each takes the row's dataset. */
type ClickCommandId = Extract<
  CommandId,
  'rftStudio.viewIssues' | 'rftStudio.openRecords' | 'rftStudio.openCoverage' | 'rftStudio.editGrader' | 'rftStudio.openDryRun' | 'rftStudio.openTraining' | 'rftStudio.openDeploy'
>;

/** The command a click on a tree row runs, with the row as its argument. */
export function clickCommand(node: PipelineNode): { command: ClickCommandId; title: string } | undefined {
  if (node.kind === 'health') return { command: 'rftStudio.viewIssues', title: 'View Issues' };
  if (node.kind !== 'step') return undefined;
  switch (node.step.id) {
    case 'extract':
      return { command: 'rftStudio.openRecords', title: 'Open Records' };
    case 'coverage':
      return node.step.status === 'waiting' ? undefined : { command: 'rftStudio.openCoverage', title: 'Open Coverage Dashboard' };
    case 'grader':
      return { command: 'rftStudio.editGrader', title: 'Edit Grader' };
    case 'dryrun':
      return { command: 'rftStudio.openDryRun', title: 'Open Dry-Run Results' };
    case 'train':
      return { command: 'rftStudio.openTraining', title: 'Open Training Monitor' };
    case 'deploy':
      return node.step.status === 'waiting' ? undefined : { command: 'rftStudio.openDeploy', title: 'Open Results & Deploy' };
    default:
      return undefined;
  }
}

// A row's command carries no arguments on purpose: VS Code keeps a command with arguments in a cache entry that
// lives only as long as the rendered row, so a click on a row the tree is re-rendering failed with "Actual
// command not found, wanted to execute rftStudio.open…". The row is read from the selection instead.
function openOnClick(click: { command: ClickCommandId; title: string } | undefined): vscode.Command | undefined {
  return click && commandOf('rftStudio.openSelectedRow', click.title);
}

/** rftStudio.openSelectedRow: runs `clickCommand` of the selected row (a click selects the row before it runs the row's command). */
export function openSelectedRow(view: vscode.TreeView<PipelineNode>): () => Promise<void> {
  return async () => {
    // The selection is sent to the extension host just before the command; give a late one a moment.
    if (view.selection.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const node = view.selection[0];
    const click = node && clickCommand(node);
    if (click) await executeCommand(click.command, datasetTarget(node.dir));
  };
}

/** The dataset folder a command was invoked on: a tree node, a file URI, or the active editor's dataset. */
export function datasetDirOf(target: unknown, registry: DatasetRegistry): string | undefined {
  if (target && typeof target === 'object' && 'dir' in target && typeof (target as { dir: unknown }).dir === 'string') return (target as { dir: string }).dir;
  if (target instanceof vscode.Uri) return registry.datasetOf(target.fsPath)?.dir ?? (path.basename(target.fsPath) === 'rft.json' ? path.dirname(target.fsPath) : undefined);
  const active = vscode.window.activeTextEditor?.document.uri;
  return active ? registry.datasetOf(active.fsPath)?.dir : undefined;
}
