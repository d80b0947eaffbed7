import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { duplicateDataset } from '../../core/dataset/duplicateDataset';
import { exportRecords } from '../../core/dataset/exportRecords';
import { importRecords } from '../../core/dataset/importRecords';
import { initDataset } from '../../core/dataset/initDataset';
import { RECORDS_FILE } from '../../core/dataset/manifest';
import type { DatasetRegistry } from './datasetRegistry';
import { datasetDirOf } from './pipelineTree';
import { viewIssues } from './viewIssues';

const JSONL_FILTER = { 'JSON Lines': ['jsonl'], 'All files': ['*'] };

/** The palette commands of a dataset (category "RFT"), each a thin shell over src/core. */
export function registerDatasetCommands(registry: DatasetRegistry, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const command = (id: string, run: (target?: unknown) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (target?: unknown) => {
      try {
        await run(target);
      } catch (error) {
        if (error instanceof vscode.CancellationError || (error as Error).name === 'AbortError') return;
        log.error(`${id}: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`RFT: ${(error as Error).message}`);
      }
    });
  /** A command on one dataset: the tree node it was run on, the active editor's dataset, or a pick. */
  const onDataset = (id: string, action: (dir: string) => Thenable<unknown>) =>
    command(id, async (target) => {
      const dir = await pickDataset(target, registry);
      if (dir) await action(dir);
    });
  return [
    command('rftStudio.newDataset', () => newDataset(registry)),
    command('rftStudio.uploadJsonl', async () => {
      const file = await pickJsonl('Upload JSONL');
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

async function pickDataset(target: unknown, registry: DatasetRegistry): Promise<string | undefined> {
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

async function pickJsonl(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: JSONL_FILTER, openLabel: 'Use this file' });
  return picked?.[0];
}

function slug(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'dataset';
}

/** New Dataset: name, objective, target folder, then empty or from an uploaded JSONL. */
async function newDataset(registry: DatasetRegistry, upload?: vscode.Uri): Promise<void> {
  const name = await vscode.window.showInputBox({ title: 'New Dataset (1/3): name', prompt: 'A short name, e.g. chess-tutor', validateInput: (value) => (value.trim() === '' ? 'A dataset needs a name' : undefined) });
  if (name === undefined) return;
  const objective = await vscode.window.showInputBox({ title: 'New Dataset (2/3): objective', prompt: 'What should the fine-tuned model get better at? (optional)' });
  if (objective === undefined) return;
  const parent = await pickParentFolder();
  if (!parent) return;
  const dir = path.join(parent, slug(name));
  if (fs.existsSync(path.join(dir, 'rft.json'))) throw new Error(`${dir} is already a dataset`);
  let source = upload;
  if (!source) {
    const start = await vscode.window.showQuickPick([{ label: '$(new-file) Start empty', empty: true }, { label: '$(cloud-upload) From a JSONL file…', empty: false }], { title: 'New Dataset (3/3): records' });
    if (!start) return;
    if (!start.empty) {
      source = await pickJsonl('Records to import');
      if (!source) return;
    }
  }
  await initDataset(dir, { name, objective: objective || undefined, sourceKind: source ? 'upload' : undefined });
  if (source) await withProgress(`Importing ${path.basename(source.fsPath)}`, (signal) => importRecords(source.fsPath, dir, { signal }));
  await registry.refreshAll();
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, RECORDS_FILE)));
}

async function pickParentFolder(): Promise<string | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const items = [...folders.map((f) => ({ label: `$(root-folder) ${f.name}`, description: f.uri.fsPath, dir: f.uri.fsPath as string | undefined })), { label: '$(folder-opened) Choose a folder…', description: '', dir: undefined }];
  const chosen = folders.length === 0 ? items[items.length - 1] : await vscode.window.showQuickPick(items, { title: 'Create the dataset folder in' });
  if (!chosen) return undefined;
  if (chosen.dir) return chosen.dir;
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Create dataset here' });
  return picked?.[0]?.fsPath;
}

async function importInto(dir: string, registry: DatasetRegistry): Promise<void> {
  const source = await pickJsonl('Import records');
  if (!source) return;
  const mode = await vscode.window.showQuickPick([{ label: 'Append', description: 'add the records after the existing ones', replace: false }, { label: 'Replace', description: 'a backup of the current records is kept in .rft/backups/', replace: true }], { title: `Import ${path.basename(source.fsPath)}` });
  if (!mode) return;
  if (mode.replace) {
    const sure = await vscode.window.showWarningMessage(`Replace all records of ${path.basename(dir)} with ${path.basename(source.fsPath)}? The current records are kept in .rft/backups/.`, { modal: true }, 'Replace');
    if (sure !== 'Replace') return;
  }
  const result = await withProgress(`Importing ${path.basename(source.fsPath)}`, (signal) => importRecords(source.fsPath, dir, { replace: mode.replace, signal }));
  await registry.refresh(dir);
  void vscode.window.showInformationMessage(`Imported ${result.linesImported.toLocaleString('en-US')} lines. Health: ${registry.get(dir)?.state.health.description ?? ''}`);
}

async function exportFrom(dir: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({ title: 'Export records', defaultUri: vscode.Uri.file(path.join(dir, 'exports', 'records.jsonl')), filters: JSONL_FILTER });
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

/** Long work with a cancellable notification; cancelling aborts the signal (atomic writes leave files as they were). */
function withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return work(controller.signal);
  });
}
