// The extension's one context object (rust-analyzer's Ctx, GitLens's Container): what every command and panel
// host shares — the extension context, the log, the settings, the dataset registry, the model provider and the
// open panels. Commands are small functions taking a Ctx; nothing else holds these as globals.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from './config';
import { DatasetRegistry } from './datasets/datasetRegistry';
import { ProviderSettings } from './llm/providerSettings';
import type { Panels } from './panels';
import type { Steps } from './steps';

export class Ctx {
  readonly log = vscode.window.createOutputChannel('RFT Studio', { log: true });
  readonly config = new Config((key) => vscode.workspace.getConfiguration().get(key));
  readonly registry = new DatasetRegistry(this.log);
  readonly providers: ProviderSettings;
  private loadedSteps: Steps | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.providers = new ProviderSettings(extension.secrets, this.config);
    this.subscribe(this.log, this.registry);
  }

  /** Whether the workspace is trusted (models, scripts and servers run only then). */
  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** A dataset's display name: its rft.json name, else its folder's. */
  datasetName(dir: string): string {
    return this.registry.get(dir)?.state.name ?? path.basename(dir);
  }

  /** Disposed when the extension deactivates. */
  subscribe(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  /**
   * The steps' commands and panel hosts (dist/steps.js), loaded on first use. The path is computed so that esbuild
   * leaves the require alone and the step code stays out of dist/extension.js.
   */
  steps(): Steps {
    if (!this.loadedSteps) {
      const file = path.join(__dirname, 'steps.js');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time path: a separate bundle
      const loaded = require(file) as typeof import('./steps');
      this.loadedSteps = loaded.loadSteps(this);
    }
    return this.loadedSteps;
  }

  /** The open panels of every kind (the step code's; it exists once the steps are loaded). */
  get panels(): Panels {
    return this.steps().panels;
  }
}
