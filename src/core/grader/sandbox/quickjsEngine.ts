// Inside the sandbox worker (graderWorker.ts): `js` graders in QuickJS, a JavaScript engine compiled to
// WebAssembly. The grader sees only a JSON copy of its input: no host object, `require`, `process`, file system or
// network exists inside. Each source is compiled once into its own context whose built-ins and global object are
// then frozen, and every call re-runs the source's top level in a fresh strict-mode function scope, so no call can
// leave state that another call sees. Per call: a deadline (QuickJS's interrupt handler; the host also terminates
// the worker shortly after it, for built-ins that never check it), and memory: QuickJS's own memory limit counts
// nothing in this build (it has no malloc_usable_size), so the instance gets a WebAssembly memory whose maximum is
// its 16 MB start plus the limit; an allocation beyond that fails and QuickJS throws "out of memory". The stack
// is capped well inside the WebAssembly stack.
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  shouldInterruptAfterDeadline,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import type { ScriptLimits, ScriptOutcome } from './scriptLimits';

const MIB = 1024 * 1024;
const PAGE = 64 * 1024;
/** The variant's own starting memory (its static data, stack and first heap). */
const INITIAL_MEMORY = 16 * MIB;
/** The lib has no WebAssembly types (no DOM lib): the one constructor used here. */
const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => unknown } }).WebAssembly;
/** Sources whose compiled context stays warm; the least recently used one is dropped beyond this. */
const CACHED_SOURCES = 16;
/** QuickJS's own stack cap, well inside the WebAssembly stack, so deep recursion is a catchable error. */
const MAX_STACK_BYTES = 256 * 1024;

/**
 * Built once per context, before the freeze. `__rft_factory` (the user's source in a strict function) is called
 * afresh on every call; the result travels back as text: "n<number>", "u" (undefined), "j<JSON>", "s<String(x)>"
 * (not JSON-serializable), or "e<message>" for a source without a grade function or one that returned a Promise.
 */
const HARNESS = `(() => {
  'use strict';
  const noop = () => undefined;
  globalThis.console = Object.freeze({ log: noop, info: noop, warn: noop, error: noop, debug: noop, trace: noop });
  const factory = globalThis.__rft_factory;
  delete globalThis.__rft_factory;
  const parse = JSON.parse, stringify = JSON.stringify;
  const run = (inputJson) => {
    const grade = factory();
    if (typeof grade !== 'function') return 'ethe source defines no function grade(input)';
    const value = grade(parse(inputJson));
    if (typeof value === 'number') return 'n' + value;
    if (value === undefined) return 'u';
    if (value !== null && typeof value === 'object' && typeof value.then === 'function') return 'egrade returned a Promise: js graders must be synchronous';
    try { const json = stringify(value); return json === undefined ? 's' + String(value) : 'j' + json; } catch { return 's' + String(value); }
  };
  const seen = new Set();
  const todo = [globalThis];
  while (todo.length > 0) {
    const value = todo.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    Object.freeze(value);
    todo.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const property = Object.getOwnPropertyDescriptor(value, key);
      if (property === undefined) continue;
      if ('value' in property) todo.push(property.value);
      else todo.push(property.get, property.set);
    }
  }
  return run;
})()`;

interface Compiled {
  readonly context: QuickJSContext;
  readonly run: QuickJSHandle;
}

/** QuickJS for `js` graders: one WebAssembly instance, one runtime, a compiled context per source. */
export class QuickJsEngine {
  private module: QuickJSWASMModule | undefined;
  private runtime: QuickJSRuntime | undefined;
  private readonly compiled = new Map<string, Compiled>();

  /** The limit the instance's memory was made for. */
  private memoryMb = 0;

  /** Loads QuickJS (~25 ms) with memory for `limits`: again after a reset, or for another memory limit. */
  async load(limits: ScriptLimits): Promise<void> {
    if (this.module && this.memoryMb === limits.memoryMb) return;
    this.reset();
    const pages = Math.ceil((INITIAL_MEMORY + limits.memoryMb * MIB) / PAGE);
    const wasmMemory = new wasm.Memory({ initial: INITIAL_MEMORY / PAGE, maximum: Math.min(pages, 32768) });
    this.module = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmMemory: wasmMemory as never }));
    this.memoryMb = limits.memoryMb;
  }

  /** Runs `grade(JSON.parse(inputJson))` from `source` under the limits (after load()); never throws. */
  run(source: string, inputJson: string, limits: ScriptLimits): ScriptOutcome {
    if (!this.module) return { ok: false, code: 'js_grader_runtime_error', message: 'the JavaScript sandbox is not loaded' };
    try {
      return this.call(source, inputJson, limits);
    } catch (error) {
      // QuickJS itself failed (an abort inside WebAssembly): start over with a fresh instance.
      this.reset();
      return { ok: false, code: 'js_grader_runtime_error', message: `the JavaScript sandbox failed: ${(error as Error).message}` };
    }
  }

  /** Whether load() is due before a call with these limits. */
  needsLoad(limits: ScriptLimits): boolean {
    return this.module === undefined || this.memoryMb !== limits.memoryMb;
  }

  private call(source: string, inputJson: string, limits: ScriptLimits): ScriptOutcome {
    const runtime = this.getRuntime();
    runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + limits.timeoutMs));
    const compiled = this.compile(source, runtime);
    if ('ok' in compiled) return compiled;
    const { context } = compiled;
    const argument = context.newString(inputJson);
    const result = context.callFunction(compiled.run, context.undefined, argument);
    argument.dispose();
    runtime.removeInterruptHandler();
    if (result.error) {
      const outcome = errorOutcome(context.dump(result.error), limits);
      result.error.dispose();
      // A grader stopped by a limit may have left the context half-way: compile afresh next time; after a memory
      // limit, also give the WebAssembly memory it grew back to the host.
      this.drop(source);
      if (outcome.code === 'memory_limit_error') this.reset();
      return outcome;
    }
    const text = context.getString(result.value);
    result.value.dispose();
    // Promise jobs left queued would run in a later call: that context is not reused.
    if (runtime.hasPendingJob()) this.drop(source);
    return decode(text);
  }

  private getRuntime(): QuickJSRuntime {
    if (!this.runtime) {
      this.runtime = this.module!.newRuntime();
      this.runtime.setMaxStackSize(MAX_STACK_BYTES);
    }
    return this.runtime;
  }

  private compile(source: string, runtime: QuickJSRuntime): Compiled | ScriptOutcome {
    const cached = this.compiled.get(source);
    if (cached) {
      this.compiled.delete(source);
      this.compiled.set(source, cached);
      return cached;
    }
    const context = runtime.newContext();
    // The user's source starts on line 1 of grader.js, so error locations match the file.
    const wrapped = `globalThis.__rft_factory = function () { 'use strict'; ${exportless(source)}\n;return typeof grade === 'function' ? grade : undefined; };`;
    const defined = context.evalCode(wrapped, 'grader.js');
    if (defined.error) {
      const error = context.dump(defined.error);
      defined.error.dispose();
      context.dispose();
      return { ok: false, code: 'js_grader_runtime_error', message: describeError(error) };
    }
    defined.value.dispose();
    const harness = context.evalCode(HARNESS, 'rft-harness.js');
    if (harness.error) {
      const error = context.dump(harness.error);
      harness.error.dispose();
      context.dispose();
      return { ok: false, code: 'js_grader_runtime_error', message: `the sandbox could not start: ${describeError(error)}` };
    }
    const entry: Compiled = { context, run: harness.value };
    this.compiled.set(source, entry);
    while (this.compiled.size > CACHED_SOURCES) this.drop(this.compiled.keys().next().value as string);
    return entry;
  }

  private drop(source: string): void {
    const entry = this.compiled.get(source);
    if (!entry) return;
    this.compiled.delete(source);
    try {
      entry.run.dispose();
      entry.context.dispose();
    } catch {
      this.reset();
    }
  }

  private reset(): void {
    for (const source of [...this.compiled.keys()]) this.drop(source);
    try {
      this.runtime?.dispose();
    } catch {
      // A runtime that cannot be freed goes with its WebAssembly instance.
    }
    this.runtime = undefined;
    this.module = undefined;
  }
}

/** `export function grade` / `export default function grade` are accepted: the keyword is dropped. */
function exportless(source: string): string {
  return source.replace(/^(\s*)export\s+(?:default\s+)?(?=(?:async\s+)?function\b)/m, '$1');
}

function decode(text: string): ScriptOutcome {
  const body = text.slice(1);
  switch (text[0]) {
    case 'n':
      return { ok: true, value: Number(body) };
    case 'u':
      return { ok: true, value: undefined };
    case 'j':
      return { ok: true, value: JSON.parse(body) };
    case 'e':
      return { ok: false, code: 'js_grader_runtime_error', message: body };
    default:
      return { ok: true, value: body };
  }
}

function errorOutcome(error: unknown, limits: ScriptLimits): ScriptOutcome & { ok: false } {
  const message = describeError(error);
  if (/\binterrupted\b/.test(message)) return { ok: false, code: 'unresponsive_reward_error', message: `the grader ran past its time limit (${limits.timeoutMs} ms) and was stopped` };
  if (/out of memory/i.test(message)) return { ok: false, code: 'memory_limit_error', message: `the grader used more than its memory limit (${limits.memoryMb} MB) and was stopped` };
  return { ok: false, code: 'js_grader_runtime_error', message };
}

/** "TypeError: x is not a function (grader.js:3)", the line in the user's file, from a dumped QuickJS error (or whatever was thrown). */
function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const { name, message, stack } = error as { name?: unknown; message?: unknown; stack?: unknown };
    const where = typeof stack === 'string' ? /grader\.js:\d+/.exec(stack)?.[0] : undefined;
    return `${typeof name === 'string' ? name : 'Error'}: ${String(message)}${where ? ` (${where})` : ''}`;
  }
  if (error === null) return 'null was thrown (the grader may have run out of memory)';
  return `the grader threw ${typeof error === 'string' ? JSON.stringify(error) : String(error)}`;
}
