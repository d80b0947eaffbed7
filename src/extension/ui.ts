import * as path from 'node:path';
import * as vscode from 'vscode';

export const JSONL_FILTER = { 'JSON Lines': ['jsonl'], JSON: ['json'], 'All files': ['*'] };

export async function pickFile(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: JSONL_FILTER, openLabel: 'Use this file' });
  return picked?.[0];
}

/** A folder name from a dataset name. */
export function slug(name: string): string {
  return (
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'dataset'
  );
}

/** Where a new dataset folder goes: a workspace folder, or one the user picks. */
export async function pickParentFolder(): Promise<string | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const items = [
    ...folders.map((f) => ({ label: `$(root-folder) ${f.name}`, description: f.uri.fsPath, dir: f.uri.fsPath as string | undefined })),
    { label: '$(folder-opened) Choose a folder…', description: '', dir: undefined },
  ];
  const chosen = folders.length === 0 ? items[items.length - 1] : await vscode.window.showQuickPick(items, { title: 'Create the dataset folder in' });
  if (!chosen) return undefined;
  if (chosen.dir) return chosen.dir;
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Create dataset here' });
  return picked?.[0]?.fsPath;
}

/** Name and objective of a new dataset, and its folder; undefined when the user backs out. */
export async function askNewDataset(step: (n: number) => string, suggestedName = ''): Promise<{ name: string; objective?: string; dir: string } | undefined> {
  const name = await vscode.window.showInputBox({
    title: `${step(1)}: name`,
    value: suggestedName,
    prompt: 'A short name, e.g. chess-tutor',
    validateInput: (value) => (value.trim() === '' ? 'A dataset needs a name' : undefined),
  });
  if (name === undefined) return undefined;
  const objective = await vscode.window.showInputBox({ title: `${step(2)}: objective`, prompt: 'What should the fine-tuned model get better at? (optional)' });
  if (objective === undefined) return undefined;
  const parent = await pickParentFolder();
  if (!parent) return undefined;
  return { name: name.trim(), objective: objective || undefined, dir: path.join(parent, slug(name)) };
}

/** Long work with a cancellable notification; cancelling aborts the signal (atomic writes leave files as they were). */
export function withProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return work(controller.signal, (message) => progress.report({ message }));
  });
}

/** A command's body whose failures are logged and shown, and whose cancellation is silent. */
export function guard(id: string, log: vscode.LogOutputChannel, run: (target?: unknown) => Promise<unknown>): (target?: unknown) => Promise<void> {
  return async (target?: unknown) => {
    try {
      await run(target);
    } catch (error) {
      if (error instanceof vscode.CancellationError || (error as Error).name === 'AbortError') return;
      log.error(`${id}: ${(error as Error).message}`);
      void vscode.window.showErrorMessage(`RFT: ${(error as Error).message}`);
    }
  };
}

/** Registers a command whose failures are logged and shown, and whose cancellation is silent (`guard`). */
export function guarded(id: string, log: vscode.LogOutputChannel, run: (target?: unknown) => Promise<unknown>): vscode.Disposable {
  return vscode.commands.registerCommand(id, guard(id, log, run));
}

/** Opens a file with the cursor at the start of a 1-based line, centred. */
export async function openAtLine(file: string, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
}
