import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { duplicateDataset } from '../../core/dataset/duplicateDataset';
import { exportRecords } from '../../core/dataset/exportRecords';
import { initDataset } from '../../core/dataset/initDataset';
import { ingestFile, type IngestResult } from '../../core/extract/ingestFile';
import { RECORDS_FILE } from '../../core/dataset/manifest';
import type { DatasetRegistry } from './datasetRegistry';
import { datasetDirOf } from './pipelineTree';
import { viewIssues } from './viewIssues';
import { askNewDataset, guarded, pickFile, slug, withProgress } from '../ui';

/** The palette commands of a dataset (category "RFT"), each a thin shell over src/core. */
export function registerDatasetCommands(registry: DatasetRegistry, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const command = (id: string, run: (target?: unknown) => Promise<unknown>) => guarded(id, log, run);
  /** A command on one dataset: the tree node it was run on, the active editor's dataset, or a pick. */
  const onDataset = (id: string, action: (dir: string) => Thenable<unknown>) =>
    command(id, async (target) => {
      const dir = await pickDataset(target, registry);
      if (dir) await action(dir);
    });
  return [
    command('rftStudio.newDataset', () => newDataset(registry)),
    command('rftStudio.uploadJsonl', async () => {
      const file = await pickFile('Upload JSONL');
      if (file) await newDataset(registry, file);
    }),
    onDataset('rftStudio.importRecords', (dir) => importInto(dir, registry)),
    onDataset('rftStudio.exportRecords', (dir) => exportFrom(dir)),
    onDataset('rftStudio.duplicateDataset', (dir) => duplicate(dir, registry)),
    onDataset('rftStudio.deleteDataset', (dir) => remove(dir, registry)),
    onDataset('rftStudio.openRecords', (dir) => vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, RECORDS_FILE)))),
    onDataset('rftStudio.viewIssues', (dir) => viewIssues(dir, registry)),
    command('rftStudio.refresh', () => registry.refreshAll()),
  ];
}

export async function pickDataset(target: unknown, registry: DatasetRegistry): Promise<string | undefined> {
  const known = datasetDirOf(target, registry);
  if (known) return known;
  const entries = registry.list();
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('No dataset in this workspace yet: run "RFT: New Dataset".');
    return undefined;
  }
  if (entries.length === 1) return entries[0].dir;
  const chosen = await vscode.window.showQuickPick(
    entries.map((entry) => ({ label: entry.state.name, description: vscode.workspace.asRelativePath(entry.dir), detail: entry.state.health.description, dir: entry.dir })),
    { title: 'Which dataset?' },
  );
  return chosen?.dir;
}

/** New Dataset: name, objective, target folder, then empty or from an uploaded JSONL. */
async function newDataset(registry: DatasetRegistry, upload?: vscode.Uri): Promise<void> {
  const asked = await askNewDataset((n) => `New Dataset (${n}/3)`, upload ? path.basename(upload.fsPath).replace(/\.(jsonl?|json)$/i, '') : '');
  if (!asked) return;
  if (fs.existsSync(path.join(asked.dir, 'rft.json'))) throw new Error(`${asked.dir} is already a dataset`);
  let source = upload;
  if (!source) {
    const start = await vscode.window.showQuickPick([{ label: '$(new-file) Start empty', empty: true }, { label: '$(cloud-upload) From a JSONL file…', empty: false }], { title: 'New Dataset (3/3): records' });
    if (!start) return;
    if (!start.empty) {
      source = await pickFile('Records or traces to import');
      if (!source) return;
    }
  }
  await initDataset(asked.dir, { name: asked.name, objective: asked.objective, sourceKind: source ? 'upload' : undefined });
  if (source) {
    const file = source.fsPath;
    const result = await withProgress(`Importing ${path.basename(file)}`, (signal) => ingestFile(file, asked.dir, { signal }));
    void vscode.window.showInformationMessage(describeIngest(result));
  }
  await registry.refreshAll();
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(asked.dir, RECORDS_FILE)));
}

function describeIngest(result: IngestResult): string {
  if (result.as === 'records') return `Imported ${result.result.linesImported.toLocaleString('en-US')} lines.`;
  const skipped = Object.values(result.report.skipped).reduce((sum, n) => sum + n, 0);
  return `Extracted ${result.report.written.toLocaleString('en-US')} records from ${result.format} traces (${skipped.toLocaleString('en-US')} skipped, ${result.report.duplicates.toLocaleString('en-US')} duplicates).`;
}

async function importInto(dir: string, registry: DatasetRegistry): Promise<void> {
  const source = await pickFile('Import records');
  if (!source) return;
  const mode = await vscode.window.showQuickPick([{ label: 'Append', description: 'add the records after the existing ones', replace: false }, { label: 'Replace', description: 'a backup of the current records is kept in .rft/backups/', replace: true }], { title: `Import ${path.basename(source.fsPath)}` });
  if (!mode) return;
  if (mode.replace) {
    const sure = await vscode.window.showWarningMessage(`Replace all records of ${path.basename(dir)} with ${path.basename(source.fsPath)}? The current records are kept in .rft/backups/.`, { modal: true }, 'Replace');
    if (sure !== 'Replace') return;
  }
  const result = await withProgress(`Importing ${path.basename(source.fsPath)}`, (signal) => ingestFile(source.fsPath, dir, { replace: mode.replace, signal }));
  await registry.refresh(dir);
  void vscode.window.showInformationMessage(`${describeIngest(result)} Health: ${registry.get(dir)?.state.health.description ?? ''}`);
}

async function exportFrom(dir: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({ title: 'Export records', defaultUri: vscode.Uri.file(path.join(dir, 'exports', 'records.jsonl')), filters: { 'JSON Lines': ['jsonl'] } });
  if (!target) return;
  const result = await withProgress('Exporting records', (signal) => exportRecords(dir, target.fsPath, { signal }));
  void vscode.window.showInformationMessage(`Exported ${result.exported.toLocaleString('en-US')} valid records (${result.labeled.toLocaleString('en-US')} with topics); left out ${result.skippedInvalid} invalid and ${result.skippedDuplicates} duplicates.`);
}

async function duplicate(dir: string, registry: DatasetRegistry): Promise<void> {
  const current = registry.get(dir)?.state.name ?? path.basename(dir);
  const name = await vscode.window.showInputBox({ title: `Duplicate ${current}`, value: `${current}-copy`, validateInput: (value) => (value.trim() === '' ? 'A dataset needs a name' : fs.existsSync(path.join(path.dirname(dir), slug(value))) ? 'A folder with that name exists' : undefined) });
  if (!name) return;
  await withProgress(`Duplicating ${current}`, () => duplicateDataset(dir, path.join(path.dirname(dir), slug(name)), name.trim()));
  await registry.refreshAll();
}

async function remove(dir: string, registry: DatasetRegistry): Promise<void> {
  const name = registry.get(dir)?.state.name ?? path.basename(dir);
  const sure = await vscode.window.showWarningMessage(`Delete the dataset "${name}"? Its folder ${vscode.workspace.asRelativePath(dir)} goes to the trash.`, { modal: true }, 'Move to Trash');
  if (sure !== 'Move to Trash') return;
  await vscode.workspace.fs.delete(vscode.Uri.file(dir), { recursive: true, useTrash: true });
  await registry.refreshAll();
}
