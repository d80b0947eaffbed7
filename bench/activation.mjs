// Benchmark of the extension's start: the time to require dist/extension.js and to run its activate() against a
// stub `vscode` module (no VS Code; an empty window: no folder, no editor), each in a fresh Node process, plus the
// sizes of the Node-side bundles in dist/. Prints one JSON object on stdout; progress goes to stderr.
// Run with `npm run -s bench:activation` (a production build first, as `npm run package` makes). BENCH_RUNS
// (default 7) processes are timed and the median counts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 7));
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (text) => process.stderr.write(`${text}\n`);

/** Anything the extension asks of `vscode` that the stub does not name: callable, constructible, and empty. */
function anything() {
  const own = new Map();
  return new Proxy(function stub() {}, {
    get(target, key) {
      if (key === 'then') return undefined; // not a thenable: `await` on it must not hang
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => '';
      if (typeof key === 'symbol') return undefined;
      if (key === 'prototype') return target.prototype;
      if (!own.has(key)) own.set(key, anything());
      return own.get(key);
    },
    set(target, key, value) {
      own.set(key, value);
      return true;
    },
    defineProperty(target, key, descriptor) {
      own.set(key, descriptor.value);
      return true;
    },
    apply: () => anything(),
    construct: () => anything(),
  });
}

/** The stub `vscode` module with the handful of values whose shape activation depends on. */
function vscodeStub() {
  class EventEmitter {
    listeners = new Set();
    event = (listener) => {
      this.listeners.add(listener);
      return { dispose: () => this.listeners.delete(listener) };
    };
    fire(value) {
      for (const listener of this.listeners) listener(value);
    }
    dispose() {
      this.listeners.clear();
    }
  }
  const uri = (fsPath) => ({ fsPath, path: fsPath, scheme: 'file', toString: () => `file://${fsPath}`, with: () => uri(fsPath) });
  const configuration = { get: (_key, fallback) => fallback, has: () => false, inspect: () => undefined, update: async () => {} };
  const named = {
    EventEmitter,
    Uri: { file: uri, joinPath: (base, ...parts) => uri(path.join(base.fsPath, ...parts)), parse: (text) => uri(text.replace(/^file:\/\//, '')) },
    workspace: { workspaceFolders: undefined, isTrusted: true, textDocuments: [], getConfiguration: () => configuration, findFiles: async () => [] },
    window: { activeTextEditor: undefined, visibleTextEditors: [], tabGroups: { all: [] } },
  };
  // A plain object with every name the API exports (esbuild's import wrapper copies only the module's own keys).
  const stub = Object.fromEntries(vscodeApiNames().map((name) => [name, anything()]));
  for (const [name, value] of Object.entries(named)) {
    if (typeof value !== 'object' || value.constructor !== Object) stub[name] = value;
    else for (const [key, member] of Object.entries(value)) stub[name][key] = member;
  }
  return stub;
}

/** The values `vscode` exports (namespaces, classes, enums, constants), read from @types/vscode. */
function vscodeApiNames() {
  const types = fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...types.matchAll(/^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((match) => match[1]);
}

function fakeContext() {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-activation-'));
  const memento = { get: (_key, fallback) => fallback, update: async () => {}, keys: () => [] };
  const file = (fsPath) => ({ fsPath, path: fsPath, scheme: 'file', toString: () => `file://${fsPath}` });
  return {
    subscriptions: [],
    extensionPath: root,
    extensionUri: file(root),
    extension: { id: 'rft-studio.rft-studio', extensionPath: root, extensionUri: file(root), packageJSON: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) },
    asAbsolutePath: (relative) => path.join(root, relative),
    globalState: { ...memento, setKeysForSync: () => {} },
    workspaceState: memento,
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
    storageUri: undefined,
    globalStorageUri: file(storage),
    logUri: file(storage),
    extensionMode: 1,
  };
}

/** One fresh process: require the bundle, activate it; prints its timings as JSON. */
async function oneRun() {
  const stub = vscodeStub();
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  const errors = [];
  process.on('unhandledRejection', (error) => errors.push(String(error?.message ?? error)));
  const require = Module.createRequire(import.meta.url);
  const started = performance.now();
  const extension = require(path.join(dist, 'extension.js'));
  const required = performance.now();
  try {
    extension.activate(fakeContext());
  } catch (error) {
    errors.push(String(error?.message ?? error));
  }
  const activated = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 50)); // let activation's first async work surface its errors
  const loaded = Object.keys(require.cache)
    .filter((file) => path.dirname(file) === dist)
    .map((file) => path.basename(file));
  process.stdout.write(JSON.stringify({ requireMs: required - started, activateMs: activated - required, loaded, errors }));
  process.exit(0); // the extension's watchers and timers would keep the process alive
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The Node-side .js the .vsix ships: dist/*.js (webviews and Pyodide aside) and bin/rft.js. */
function bundleSizes() {
  const files = fs
    .readdirSync(dist)
    .filter((name) => name.endsWith('.js'))
    .map((name) => path.join(dist, name));
  files.push(path.join(root, 'bin', 'rft.js'));
  const bytes = Object.fromEntries(files.map((file) => [path.relative(root, file), fs.statSync(file).size]));
  return { bytes, totalBytes: Object.values(bytes).reduce((a, b) => a + b, 0) };
}

async function main() {
  const bundle = path.join(dist, 'extension.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/extension.js is missing: run `npm run -s bench:activation` (it builds first)');
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one-run'], { cwd: root, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`run ${i + 1} exited with ${child.status}: ${child.stderr.slice(-2000)}`);
    const run = JSON.parse(child.stdout);
    log(`  run ${i + 1}: require ${run.requireMs.toFixed(1)} ms, activate ${run.activateMs.toFixed(1)} ms`);
    runs.push(run);
  }
  const sizes = bundleSizes();
  const last = runs[runs.length - 1];
  const result = {
    node: process.version,
    runs: RUNS,
    production: !fs.readFileSync(bundle, 'utf8').includes('sourceMappingURL='),
    requireMs: round(median(runs.map((run) => run.requireMs))),
    activateMs: round(median(runs.map((run) => run.activateMs))),
    totalMs: round(median(runs.map((run) => run.requireMs + run.activateMs))),
    requireMsEachRun: runs.map((run) => round(run.requireMs)),
    bundlesLoadedByActivation: last.loaded,
    activationErrors: [...new Set(runs.flatMap((run) => run.errors))],
    extensionJsBytes: sizes.bytes[path.join('dist', 'extension.js')],
    nodeSideJsBytes: sizes.bytes,
    nodeSideJsTotalBytes: sizes.totalBytes,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await (process.argv.includes('--one-run') ? oneRun() : main());
