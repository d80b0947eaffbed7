import * as vscode from 'vscode';
import { DEFAULT_AZURE_API_VERSION, type ProviderConfig } from '../../core/llm/providerConfig';
import type { Config } from '../config';

const SECRET_KEY = 'rftStudio.apiKey';

/**
 * The model provider inside VS Code: base URL and kind from user/machine-scoped settings (a workspace must not
 * be able to send your key to its own server), the key from SecretStorage only.
 */
export class ProviderSettings {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly config: Config,
  ) {}

  async setApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'RFT: Set API Key',
      prompt: 'Your OpenAI (or compatible / Azure OpenAI) API key. It is kept in VS Code SecretStorage, never in settings or files.',
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return;
    if (key.trim() === '') {
      await this.secrets.delete(SECRET_KEY);
      void vscode.window.showInformationMessage('RFT: API key removed.');
      return;
    }
    await this.secrets.store(SECRET_KEY, key.trim());
    void vscode.window.showInformationMessage('RFT: API key saved in SecretStorage.');
  }

  /** The configured provider, or undefined (with the reason shown, unless `quiet`) when it is incomplete. */
  async provider(options: { quiet?: boolean } = {}): Promise<ProviderConfig | undefined> {
    const { config } = this;
    const baseURL = config.baseUrl;
    const key = (await this.secrets.get(SECRET_KEY)) ?? (baseURL ? 'not-needed' : undefined);
    if (!key) {
      if (options.quiet) return undefined;
      const choice = await vscode.window.showWarningMessage('RFT needs an API key for this (or a local base URL such as Ollama in settings).', 'Set API Key');
      if (choice) await this.setApiKey();
      return undefined;
    }
    if (config.providerKind === 'azure') {
      const endpoint = config.azureEndpoint;
      if (!endpoint) {
        if (!options.quiet) void vscode.window.showWarningMessage('RFT: set "rftStudio.provider.azureEndpoint" in your user settings to use Azure OpenAI.');
        return undefined;
      }
      return { kind: 'azure', apiKey: key, endpoint, apiVersion: config.azureApiVersion ?? DEFAULT_AZURE_API_VERSION, deployment: config.azureDeployment };
    }
    return { kind: 'openai', apiKey: key, baseURL };
  }
}
