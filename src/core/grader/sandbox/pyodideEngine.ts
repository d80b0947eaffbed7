// Inside the sandbox worker (graderWorker.ts): `python` graders in Pyodide (CPython compiled to WebAssembly),
// loaded from the package's own files (no network). Two walls, so that one missed door is not an escape:
// - Python (pythonHarness.ts): the bridges to JavaScript, sockets and processes cannot be imported; os.system & co.
//   raise; the only file system is Pyodide's in-memory one, scrubbed of a call's files after the call.
// - JavaScript, below Python, for code that gets hold of a JavaScript object anyway: `js` is an empty object
//   without a prototype; the `js`/`pyodide_js` modules are unregistered; code generation from strings (eval,
//   Function and its async/generator siblings, so also `import()`) throws; `process`, `require` (through which
//   Pyodide reaches fs, child_process and ws on Node) and the web's network globals are deleted from this worker;
//   the host-file-system mounts and package loading are gone.
// Memory: Pyodide's heap grows through one WebAssembly import, emscripten_resize_heap; it is wrapped so that no call
// grows the heap beyond the idle interpreter's size plus the call's limit: the allocation fails and Python raises
// MemoryError. Time: the host sets Pyodide's interrupt buffer (KeyboardInterrupt) at the deadline and terminates
// this worker if that does not end the call.
import type { PyodideAPI } from 'pyodide';
import { PYTHON_HARNESS } from './pythonHarness';
import type { ScriptLimits, ScriptOutcome } from './scriptLimits';

type ResizeHeap = (requestedBytes: number) => number | boolean;
interface EmscriptenModule {
  HEAPU8: Uint8Array;
  growMemory(bytes: number): number | undefined;
}
type PyCallable = ((...args: string[]) => unknown) & { destroy(): void };
type Instantiate = (source: unknown, imports?: Record<string, Record<string, unknown>>) => Promise<unknown>;
/** The lib has no WebAssembly types (no DOM lib): the one function used here. */
const wasm = (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly;

const MIB = 1024 * 1024;
const PAGE = 64 * 1024;

export class PyodideEngine {
  private module: EmscriptenModule | undefined;
  private run_: PyCallable | undefined;
  /** Heap bytes the idle interpreter holds; a call may grow the heap to this plus its limit. */
  private baseHeap = 0;
  private heapLimit = Number.POSITIVE_INFINITY;
  private refusedGrowth = false;
  /** Set when Pyodide itself failed (it exited, or trapped): the host starts a fresh worker. */
  broken = false;

  /** Loads Pyodide from `indexURL` (its folder, ending in '/'), runs the harness, then closes the JavaScript side. */
  async load(indexURL: string, interruptBuffer: Uint8Array): Promise<void> {
    const { loadPyodide } = await import('pyodide');
    const jsGlobals = Object.create(null) as object;
    const restore = this.wrapHeapGrowth();
    let pyodide: PyodideAPI;
    try {
      pyodide = await loadPyodide({
        indexURL,
        jsglobals: jsGlobals,
        // Hash randomization off, so set and dict orders are the same on every run.
        env: { PYTHONHASHSEED: '0', HOME: '/home/pyodide' },
        stdin: () => null,
        stdout: () => undefined,
        stderr: () => undefined,
        checkAPIVersion: true,
      });
    } finally {
      restore();
    }
    this.module = (pyodide as unknown as { _module: EmscriptenModule })._module;
    pyodide.setInterruptBuffer(interruptBuffer);
    // Pyodide's random source is set up on first use; use it now, while `require` still exists.
    pyodide.runPython('import os, random\nos.urandom(16)\nrandom.random()');
    pyodide.runPython(PYTHON_HARNESS);
    this.run_ = pyodide.globals.get('_rft_run') as PyCallable;
    pyodide.runPython(SCRUB_PYTHON);
    closeJavaScript(pyodide);
    this.baseHeap = this.module.HEAPU8.length;
  }

  /** Runs `grade(sample, item)` from `source`; sample and item are JSON text, parsed inside Python. */
  run(source: string, sampleJson: string, itemJson: string, limits: ScriptLimits): ScriptOutcome & { refusedMemory?: boolean } {
    if (!this.run_ || this.broken) return { ok: false, code: 'python_grader_server_error', message: 'the Python sandbox is not running' };
    this.heapLimit = Math.max(this.baseHeap, this.baseHeap + Math.floor((limits.memoryMb * MIB) / PAGE) * PAGE);
    this.refusedGrowth = false;
    let text: unknown;
    try {
      text = this.run_(source, sampleJson, itemJson);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      // A KeyboardInterrupt (or MemoryError) that arrived outside the harness's try: Python itself is fine.
      if (/KeyboardInterrupt/.test(message)) return { ok: false, code: 'unresponsive_reward_error', message: 'the grader was interrupted' };
      if (/MemoryError/.test(message)) return { ok: false, code: 'memory_limit_error', message: 'MemoryError: the grader used more than its memory limit', refusedMemory: true };
      this.broken = true;
      const last = message.trim().split('\n').pop() ?? message;
      return this.refusedGrowth
        ? { ok: false, code: 'memory_limit_error', message: `the grader used more than its memory limit (${limits.memoryMb} MB) and stopped the Python runtime` }
        : { ok: false, code: 'python_grader_runtime_error', message: `the grader stopped the Python runtime: ${last}` };
    } finally {
      this.heapLimit = Number.POSITIVE_INFINITY;
    }
    return { ...decode(String(text), limits), ...(this.refusedGrowth ? { refusedMemory: true } : {}) };
  }

  /**
   * Until load() has wired the module, the heap grows freely; after it, never beyond heapLimit. The wrapper
   * replaces emscripten's own growth step (which over-allocates by up to 20 %) so that the cap is exact.
   */
  private wrapHeapGrowth(): () => void {
    const original = wasm.instantiate;
    wasm.instantiate = (source, imports) => {
      const env = imports?.env;
      if (env && typeof env.emscripten_resize_heap === 'function') {
        const resize = env.emscripten_resize_heap as ResizeHeap;
        env.emscripten_resize_heap = (requested: number) => this.growHeap(requested >>> 0, resize);
      }
      return original.call(wasm, source, imports);
    };
    return () => {
      wasm.instantiate = original;
    };
  }

  private growHeap(requested: number, resize: ResizeHeap): number | boolean {
    const module = this.module;
    if (!module || this.heapLimit === Number.POSITIVE_INFINITY) return resize(requested);
    if (requested > this.heapLimit) {
      this.refusedGrowth = true;
      return 0;
    }
    const current = module.HEAPU8.length;
    const wanted = Math.min(this.heapLimit, Math.max(requested, current + Math.min(current / 5, 96 * MIB)));
    return module.growMemory(Math.ceil(wanted / PAGE) * PAGE) || module.growMemory(Math.ceil(requested / PAGE) * PAGE) ? 1 : 0;
  }
}

function decode(text: string, limits: ScriptLimits): ScriptOutcome {
  const body = text.slice(1);
  switch (text[0]) {
    case 'n':
      return { ok: true, value: Number(body) };
    case 'j':
      return { ok: true, value: JSON.parse(body) };
    case 'x': {
      const error = JSON.parse(body) as { code: string; message: string };
      if (error.code === 'memory_limit_error') return { ok: false, code: 'memory_limit_error', message: `${error.message} (${limits.memoryMb} MB)` };
      if (error.code === 'unresponsive_reward_error') return { ok: false, code: 'unresponsive_reward_error', message: error.message };
      return { ok: false, code: 'python_grader_runtime_error', message: error.message };
    }
    default:
      return { ok: true, value: body };
  }
}

/** After the harness: Python modules drop every JavaScript object they hold, and Pyodide's JavaScript-module finder goes. */
const SCRUB_PYTHON = String.raw`
def _rft_scrub():
    import sys
    for finder in list(sys.meta_path):
        if type(finder).__module__.startswith(('_pyodide', 'pyodide')):
            sys.meta_path.remove(finder)
    for module in list(sys.modules.values()):
        try:
            namespace = vars(module)
        except TypeError:
            continue
        for key, value in list(namespace.items()):
            if type(value).__name__.startswith('Js') or type(value).__module__ in ('pyodide.ffi', '_pyodide_core'):
                try:
                    del namespace[key]
                except (KeyError, TypeError):
                    pass

_rft_scrub()
del _rft_scrub
`;

/** The JavaScript wall: what a grader holding a JavaScript object could use to reach the host. */
function closeJavaScript(pyodide: PyodideAPI): void {
  pyodide.unregisterJsModule('js');
  pyodide.unregisterJsModule('pyodide_js');
  const refuse = (what: string) => () => {
    throw new Error(`${what} is not available in the grader sandbox`);
  };
  const api = pyodide as unknown as Record<string, unknown>;
  for (const name of ['loadPackage', 'loadPackagesFromImports', 'mountNodeFS', 'mountNativeFS', 'registerJsModule', 'runPythonAsync', 'registerComlink', 'setStdin']) {
    if (name in api) api[name] = refuse(`pyodide.${name}`);
  }
  const fs = pyodide.FS as unknown as { filesystems: Record<string, unknown>; mount: unknown };
  for (const name of Object.keys(fs.filesystems)) if (name !== 'MEMFS') delete fs.filesystems[name];
  fs.mount = refuse('FS.mount');
  const module = api._module as Record<string, unknown>;
  for (const name of ['NODEFS', 'SOCKFS', 'PROXYFS', 'WORKERFS', 'IDBFS']) if (name in module) module[name] = undefined;

  // No code from strings: eval, and the constructors every function object leads to.
  const blocked = function Function() {
    throw new EvalError('code generation from strings is disabled in the grader sandbox');
  };
  Object.defineProperty(blocked, 'constructor', { value: blocked });
  Object.defineProperty(blocked, 'prototype', { value: Function.prototype });
  const prototypes = [Function.prototype, Object.getPrototypeOf(async function () {}), Object.getPrototypeOf(function* () {}), Object.getPrototypeOf(async function* () {})] as object[];
  for (const prototype of prototypes) Object.defineProperty(prototype, 'constructor', { value: blocked, writable: false, configurable: false });
  const global = globalThis as Record<string, unknown>;
  global.eval = blocked;
  global.Function = blocked;
  for (const name of ['require', 'process', 'fetch', 'WebSocket', 'XMLHttpRequest', 'EventSource', 'importScripts', 'Worker', 'SharedWorker', 'BroadcastChannel', 'navigator']) {
    try {
      delete global[name];
    } catch {
      // not configurable: overwrite instead
    }
    if (name in global) {
      try {
        global[name] = undefined;
      } catch {
        // a read-only global we cannot change
      }
    }
  }
}
