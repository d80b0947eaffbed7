// The extension's settings (package.json contributes.configuration), read in one place with each default once.
// No `vscode` import: the extension hands Config a reader, and a unit test compares SETTING_DEFAULTS with package.json.
import { DEFAULT_CHAT_MODEL } from '../core/llm/defaultModel';

export const SETTING_DEFAULTS = {
  'rftStudio.llm.maxRetryWait': 60,
  'rftStudio.provider.kind': 'openai',
  'rftStudio.provider.baseUrl': '',
  'rftStudio.provider.azureEndpoint': '',
  'rftStudio.provider.azureApiVersion': '',
  'rftStudio.provider.azureDeployment': '',
  'rftStudio.provider.chat': 'api',
  'rftStudio.provider.chatModel': DEFAULT_CHAT_MODEL,
  'rftStudio.provider.languageModelFamily': '',
  'rftStudio.training.pollIntervalSeconds': 15,
  'rftStudio.training.rayAddress': '',
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/** The value the user set for a key, or undefined (e.g. `key => vscode.workspace.getConfiguration().get(key)`). */
export type SettingReader = (key: SettingKey) => unknown;

/** Typed settings: a value of the wrong type, or an empty string where a name is needed, reads as its default. */
export class Config {
  constructor(private readonly read: SettingReader) {}

  /** "api" (the provider's HTTP API) or "vscode-lm" (a VS Code language model). */
  get chat(): 'api' | 'vscode-lm' {
    return this.read('rftStudio.provider.chat') === 'vscode-lm' ? 'vscode-lm' : 'api';
  }

  get chatModel(): string {
    return this.text('rftStudio.provider.chatModel') ?? DEFAULT_CHAT_MODEL;
  }

  get providerKind(): 'openai' | 'azure' {
    return this.read('rftStudio.provider.kind') === 'azure' ? 'azure' : 'openai';
  }

  get baseUrl(): string | undefined {
    return this.text('rftStudio.provider.baseUrl');
  }

  get azureEndpoint(): string | undefined {
    return this.text('rftStudio.provider.azureEndpoint');
  }

  get azureApiVersion(): string | undefined {
    return this.text('rftStudio.provider.azureApiVersion');
  }

  get azureDeployment(): string | undefined {
    return this.text('rftStudio.provider.azureDeployment');
  }

  get languageModelFamily(): string | undefined {
    return this.text('rftStudio.provider.languageModelFamily');
  }

  /** rftStudio.llm.maxRetryWait (seconds ≥ 0) in milliseconds. */
  get maxRetryWaitMs(): number {
    const seconds = this.read('rftStudio.llm.maxRetryWait');
    return (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : SETTING_DEFAULTS['rftStudio.llm.maxRetryWait']) * 1000;
  }

  /** How often a followed training job is polled, in milliseconds (at least a second). */
  get pollIntervalMs(): number {
    const seconds = this.read('rftStudio.training.pollIntervalSeconds');
    return Math.max(1, typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : SETTING_DEFAULTS['rftStudio.training.pollIntervalSeconds']) * 1000;
  }

  get rayAddress(): string | undefined {
    return this.text('rftStudio.training.rayAddress');
  }

  /** A string setting, undefined when it is empty (or not a string). */
  private text(key: SettingKey): string | undefined {
    const value = this.read(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
}
