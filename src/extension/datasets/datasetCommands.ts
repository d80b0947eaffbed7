// The dataset commands of step 1 (category "RFT"), each a thin shell over src/core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { duplicateDataset } from '../../core/dataset/duplicateDataset';
import { exportRecords } from '../../core/dataset/exportRecords';
import { initDataset } from '../../core/dataset/initDataset';
import { ingestFile, type IngestResult } from '../../core/extract/ingestFile';
import { RECORDS_FILE } from '../../core/dataset/manifest';
import type { Ctx } from '../ctx';
import { askNewDataset, pickFile, slug, withProgress } from '../ui';

/** New Dataset: name, objective, target folder, then empty or from an uploaded JSONL. */
export async function newDataset(ctx: Ctx, upload?: vscode.Uri): Promise<void> {
  const asked = await askNewDataset((n) => `New Dataset (${n}/3)`, upload ? path.basename(upload.fsPath).replace(/\.(jsonl?|json)$/i, '') : '');
  if (!asked) return;
  if (fs.existsSync(path.join(asked.dir, 'rft.json'))) throw new Error(`${asked.dir} is already a dataset`);
  let source = upload;
  if (!source) {
    const start = await vscode.window.showQuickPick(
      [
        { label: '$(new-file) Start empty', empty: true },
        { label: '$(cloud-upload) From a JSONL file…', empty: false },
      ],
      { title: 'New Dataset (3/3): records' },
    );
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
  await ctx.registry.refreshAll();
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(asked.dir, RECORDS_FILE)));
}

function describeIngest(result: IngestResult): string {
  if (result.as === 'records') return `Imported ${result.result.linesImported.toLocaleString('en-US')} lines.`;
  const skipped = Object.values(result.report.skipped).reduce((sum, n) => sum + n, 0);
  return `Extracted ${result.report.written.toLocaleString('en-US')} records from ${result.format} traces (${skipped.toLocaleString('en-US')} skipped, ${result.report.duplicates.toLocaleString('en-US')} duplicates).`;
}

export async function importInto(ctx: Ctx, dir: string): Promise<void> {
  const source = await pickFile('Import records');
  if (!source) return;
  const mode = await vscode.window.showQuickPick(
    [
      { label: 'Append', description: 'add the records after the existing ones', replace: false },
      { label: 'Replace', description: 'a backup of the current records is kept in .rft/backups/', replace: true },
    ],
    { title: `Import ${path.basename(source.fsPath)}` },
  );
  if (!mode) return;
  if (mode.replace) {
    const sure = await vscode.window.showWarningMessage(
      `Replace all records of ${path.basename(dir)} with ${path.basename(source.fsPath)}? The current records are kept in .rft/backups/.`,
      { modal: true },
      'Replace',
    );
    if (sure !== 'Replace') return;
  }
  const result = await withProgress(`Importing ${path.basename(source.fsPath)}`, (signal) => ingestFile(source.fsPath, dir, { replace: mode.replace, signal }));
  await ctx.registry.refresh(dir);
  void vscode.window.showInformationMessage(`${describeIngest(result)} Health: ${ctx.registry.get(dir)?.state.health.description ?? ''}`);
}

export async function exportFrom(dir: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({ title: 'Export records', defaultUri: vscode.Uri.file(path.join(dir, 'exports', 'records.jsonl')), filters: { 'JSON Lines': ['jsonl'] } });
  if (!target) return;
  const result = await withProgress('Exporting records', (signal) => exportRecords(dir, target.fsPath, { signal }));
  void vscode.window.showInformationMessage(
    `Exported ${result.exported.toLocaleString('en-US')} valid records (${result.labeled.toLocaleString('en-US')} with topics); left out ${result.skippedInvalid} invalid and ${result.skippedDuplicates} duplicates.`,
  );
}

export async function duplicate(ctx: Ctx, dir: string): Promise<void> {
  const current = ctx.datasetName(dir);
  const name = await vscode.window.showInputBox({
    title: `Duplicate ${current}`,
    value: `${current}-copy`,
    validateInput: (value) => (value.trim() === '' ? 'A dataset needs a name' : fs.existsSync(path.join(path.dirname(dir), slug(value))) ? 'A folder with that name exists' : undefined),
  });
  if (!name) return;
  await withProgress(`Duplicating ${current}`, () => duplicateDataset(dir, path.join(path.dirname(dir), slug(name)), name.trim()));
  await ctx.registry.refreshAll();
}

export async function remove(ctx: Ctx, dir: string): Promise<void> {
  const name = ctx.datasetName(dir);
  const sure = await vscode.window.showWarningMessage(`Delete the dataset "${name}"? Its folder ${vscode.workspace.asRelativePath(dir)} goes to the trash.`, { modal: true }, 'Move to Trash');
  if (sure !== 'Move to Trash') return;
  await vscode.workspace.fs.delete(vscode.Uri.file(dir), { recursive: true, useTrash: true });
  await ctx.registry.refreshAll();
}

/** Upload JSONL: a new dataset from a file the user picks. */
export async function uploadJsonl(ctx: Ctx): Promise<void> {
  const file = await pickFile('Upload JSONL');
  if (file) await newDataset(ctx, file);
}
