import * as path from 'node:path';
import * as vscode from 'vscode';
import { findDatasetDir, readManifest } from '../core/dataset/manifest';
import { resolveValidationSettings, type ValidationSettings } from '../core/validation/settings';

/** The validation limits for a file: those of the dataset (`rft.json`) it belongs to, else the defaults. */
export class DatasetSettings implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<ValidationSettings>>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/rft.json');
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const reset = () => {
      this.cache.clear();
      this.changed.fire();
    };
    this.watcher.onDidChange(reset);
    this.watcher.onDidCreate(reset);
    this.watcher.onDidDelete(reset);
  }

  forDocument(uri: vscode.Uri): Promise<ValidationSettings> {
    if (uri.scheme !== 'file') return Promise.resolve(resolveValidationSettings());
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    const datasetDir = findDatasetDir(path.dirname(uri.fsPath), folder);
    if (!datasetDir) return Promise.resolve(resolveValidationSettings());
    let settings = this.cache.get(datasetDir);
    if (!settings) {
      settings = readManifest(datasetDir).then(
        (manifest) => resolveValidationSettings(manifest.settings?.validation),
        (error: Error) => {
          this.log.warn(`Using default validation limits: ${error.message}`);
          return resolveValidationSettings();
        },
      );
      this.cache.set(datasetDir, settings);
    }
    return settings;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
