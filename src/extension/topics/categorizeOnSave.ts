import * as path from 'node:path';
import * as vscode from 'vscode';
import { TOPICS_FILE } from '../../core/dataset/manifest';
import type { Ctx } from '../ctx';

/**
 * "After topics are saved, categorization runs by itself." Registered at activation, so it does not wait for the
 * step code: a save of a dataset's topics.json loads it and runs Categorize.
 */
export function categorizeOnTopicsSave(ctx: Ctx): vscode.Disposable {
  return vscode.workspace.onDidSaveTextDocument((document) => {
    if (path.basename(document.uri.fsPath) !== TOPICS_FILE) return;
    const dir = ctx.registry.datasetOf(document.uri.fsPath)?.dir;
    if (!dir || path.dirname(document.uri.fsPath) !== dir) return;
    void Promise.resolve()
      .then(() => ctx.steps().categorize(dir))
      .then(undefined, (error: Error) => void vscode.window.showErrorMessage(`RFT: cannot categorize: ${error.message}`));
  });
}
