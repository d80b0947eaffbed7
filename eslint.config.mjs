// Lint, with the layering rules of docs/ARCHITECTURE.md §The layers (as GitLens enforces its own): src/core and webview/ never import
// `vscode`; webview/ never imports Node built-ins; src/core never reaches into src/shared, the extension or the CLI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const STEP_FOLDERS = ['extract', 'topics', 'generate', 'grader', 'dryrun', 'train', 'deploy'];
const noVscode = { name: 'vscode', message: 'This layer must not depend on VS Code (docs/ARCHITECTURE.md): keep it pure and put the VS Code part in src/extension.' };
// One home per type: a domain type lives in src/core, and each protocol in src/shared derives its view types from it
// (re-export, Pick/Omit); src/shared sits between core and the webview, so core never imports it.
const noShared = { group: ['**/shared/**'], message: 'src/core must not import src/shared: put the type in core and let the protocol derive its view from it (docs/ARCHITECTURE.md).' };
const aboveCore = { group: ['**/extension/**', '**/cli/**', '**/webview/**'], message: 'src/core is the bottom layer; it must not import the layers above it.' };

/** A floor inside src/core: what every core file may not import, and what this floor may not import besides. */
function coreFloor(files, group, message) {
  return { files, rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [aboveCore, noShared, { group, message }] }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.test-output/**', 'bench/.data/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error, and an async callback where VS Code or the DOM expects
    // a void one rejects into nowhere. Each file is checked with the types of its own tsconfig (the root one, or webview/'s).
    files: ['src/**/*.ts', 'webview/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // checkThenables: VS Code's API returns Thenable, not Promise (showInformationMessage, executeCommand, …).
      '@typescript-eslint/no-floating-promises': ['error', { checkThenables: true }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [aboveCore, noShared] }] },
  },
  {
    // src/shared is bundled into the webview: it may name core's types (erased at build time), never import core's code.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [{ group: ['**/extension/**', '**/cli/**', '**/webview/**'], message: 'src/shared is the protocol between the extension and the webview: it must not import them, nor the CLI.' }],
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/core/**'], allowTypeImports: true, message: 'src/shared may only `import type` from src/core: a value import would bundle core code into the webview.' }],
        },
      ],
    },
  },
  // Inside src/core (docs/ARCHITECTURE.md §The floors of src/core): the ground floor (validation, jsonl, fs, llm) imports no dataset or step module;
  // dataset/ imports no step; the steps never import pipeline/, which sits above them all.
  coreFloor(
    ['src/core/{validation,jsonl,fs,llm}/**/*.ts'],
    [...STEP_FOLDERS.map((step) => `**/${step}/**`), '**/dataset/**', '**/pipeline/**'],
    'The ground floor of src/core (validation, jsonl, fs, llm) must not import datasets, steps or the pipeline (docs/ARCHITECTURE.md).',
  ),
  coreFloor(
    ['src/core/dataset/**/*.ts'],
    [...STEP_FOLDERS.map((step) => `**/${step}/**`), '**/pipeline/**'],
    'dataset/ (manifest, records, labels, health) must not import a step or the pipeline: steps build on datasets (docs/ARCHITECTURE.md).',
  ),
  coreFloor(
    STEP_FOLDERS.map((step) => `src/core/${step}/**/*.ts`),
    ['**/pipeline/**'],
    'A step must not import pipeline/: the pipeline reads every step, so it sits above them (docs/ARCHITECTURE.md).',
  ),
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode, ...nodeBuiltins.map((name) => ({ name, message: 'webview/ runs in a browser: no Node built-ins (docs/ARCHITECTURE.md).' }))],
          patterns: [{ group: ['**/core/**', '**/extension/**', '**/cli/**'], message: 'webview/ may import only src/shared (the message protocol).' }],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [{ group: ['**/extension/**'], message: 'The CLI is a thin layer over src/core.' }] }] },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        global: 'readonly',
        describe: 'readonly',
        it: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
