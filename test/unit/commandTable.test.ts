// The typed command table (src/extension/commandTable.ts) and the settings defaults (src/extension/config.ts)
// against package.json: every contributed command is in the table and every table entry is contributed (or marked
// internal); menus, keybindings, the walkthrough and the welcome views name only known commands; each setting's
// default is the one package.json declares.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, INTERNAL_COMMANDS, PANEL_VIEW_TYPES } from '../../src/extension/commandTable';
import { Config, SETTING_DEFAULTS, type SettingKey } from '../../src/extension/config';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string }[]>;
    keybindings?: { command: string }[];
    walkthroughs: unknown[];
    viewsWelcome: unknown[];
    configuration: { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const tableIds = Object.keys(COMMANDS);
const contributed = manifest.contributes.commands.map((entry) => entry.command);
/** `command:rftStudio.x` links in markdown-ish text (walkthrough steps, welcome views). */
const linkedCommands = (value: unknown) => [...JSON.stringify(value).matchAll(/command:(rftStudio\.[A-Za-z]+)/g)].map((match) => match[1]);

describe('command table', () => {
  it('holds every command package.json contributes', () => {
    assert.deepEqual(
      contributed.filter((id) => !tableIds.includes(id)),
      [],
    );
  });

  it('holds only contributed commands, besides the internal ones', () => {
    assert.deepEqual(
      tableIds.filter((id) => !contributed.includes(id) && !INTERNAL_COMMANDS.includes(id as (typeof INTERNAL_COMMANDS)[number])),
      [],
    );
    assert.deepEqual(
      INTERNAL_COMMANDS.filter((id) => contributed.includes(id)),
      [],
      'an internal command is contributed after all',
    );
  });

  it('knows every command the menus, keybindings, walkthrough and welcome views name', () => {
    const fromMenus = Object.values(manifest.contributes.menus).flatMap((entries) => entries.map((entry) => entry.command).filter((id): id is string => id !== undefined));
    const fromKeybindings = (manifest.contributes.keybindings ?? []).map((entry) => entry.command);
    const named = [...fromMenus, ...fromKeybindings, ...linkedCommands(manifest.contributes.walkthroughs), ...linkedCommands(manifest.contributes.viewsWelcome)];
    assert.ok(named.length > 10, `only ${named.length} command references found: the manifest's shape changed`);
    assert.deepEqual([...new Set(named.filter((id) => !tableIds.includes(id)))], []);
  });

  it('lists the panels package.json restores (onWebviewPanel activation events), no more', () => {
    const restored = manifest.activationEvents.filter((event) => event.startsWith('onWebviewPanel:')).map((event) => event.slice('onWebviewPanel:'.length));
    assert.deepEqual([...PANEL_VIEW_TYPES].sort(), restored.sort());
  });
});

describe('running our commands', () => {
  /** Every .ts file under a folder. */
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []));

  it('goes through the typed wrapper: no vscode.commands.executeCommand or a hand-built Command with an rftStudio id', () => {
    const root = path.join(__dirname, '..', '..');
    const untyped = sources(path.join(root, 'src', 'extension')).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${path.relative(root, file)}:${i + 1}`, line }))
        .filter(({ line }) => /vscode\.commands\.executeCommand\(\s*['"`]rftStudio\.|\barguments:\s*\[/.test(line) && !line.includes('commandOf')),
    );
    assert.deepEqual(
      untyped.map(({ where }) => where),
      [],
    );
  });
});

describe('settings defaults', () => {
  const sections = Array.isArray(manifest.contributes.configuration) ? manifest.contributes.configuration : [manifest.contributes.configuration];
  const declared = Object.fromEntries(sections.flatMap((section) => Object.entries(section.properties)).map(([key, spec]) => [key, spec.default]));

  it('has one default for each setting package.json declares, equal to it', () => {
    assert.deepEqual(SETTING_DEFAULTS, declared);
  });

  it('reads a missing, mistyped or empty setting as its default', () => {
    const config = new Config(
      (key: SettingKey) =>
        ({ 'rftStudio.provider.chatModel': '', 'rftStudio.llm.maxRetryWait': -1, 'rftStudio.provider.kind': 'nonsense', 'rftStudio.training.pollIntervalSeconds': 'often' })[key as string],
    );
    assert.equal(config.chatModel, SETTING_DEFAULTS['rftStudio.provider.chatModel']);
    assert.equal(config.maxRetryWaitMs, SETTING_DEFAULTS['rftStudio.llm.maxRetryWait'] * 1000);
    assert.equal(config.providerKind, 'openai');
    assert.equal(config.pollIntervalMs, SETTING_DEFAULTS['rftStudio.training.pollIntervalSeconds'] * 1000);
    assert.equal(config.baseUrl, undefined);
    assert.equal(config.chat, 'api');
  });

  it('reads the values a user set', () => {
    const set: Partial<Record<SettingKey, unknown>> = {
      'rftStudio.provider.chatModel': 'gpt-4.1',
      'rftStudio.llm.maxRetryWait': 0,
      'rftStudio.provider.kind': 'azure',
      'rftStudio.training.pollIntervalSeconds': 0.2,
      'rftStudio.provider.baseUrl': 'http://localhost:11434/v1',
      'rftStudio.provider.chat': 'vscode-lm',
    };
    const config = new Config((key) => set[key]);
    assert.equal(config.chatModel, 'gpt-4.1');
    assert.equal(config.maxRetryWaitMs, 0);
    assert.equal(config.providerKind, 'azure');
    assert.equal(config.pollIntervalMs, 1000, 'at least a second');
    assert.equal(config.baseUrl, 'http://localhost:11434/v1');
    assert.equal(config.chat, 'vscode-lm');
  });
});
