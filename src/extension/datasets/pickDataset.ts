import * as vscode from 'vscode';
import type { DatasetRegistry } from './datasetRegistry';
import { datasetDirOf } from './pipelineTree';

/** The dataset a command runs on: the one it was invoked on (datasetDirOf), the only one, or one the user picks. */
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
