// The host's side of a script sandbox: one worker thread (graderWorker.ts) kept warm across calls, calls one at a
// time. The time limit is the host's to enforce, since the worker is busy inside one synchronous call: at the
// deadline Python is interrupted (Pyodide's interrupt buffer; QuickJS interrupts itself), and a worker still
// busy a grace period later is terminated; the next call starts a fresh one. A worker that dies (out of memory,
// a crash) is an error for its call, never for the host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GraderWorkerData, GraderWorkerMessage, GraderWorkerRequest } from './graderWorker';
import type { ScriptLimits, ScriptOutcome } from './scriptLimits';

/** How long a worker may stay busy past the deadline (after its interrupt) before it is terminated. */
const GRACE_MS = 500;
/** Loading Pyodide takes ~3 s; a start slower than this is a failure. */
const START_LIMIT_MS = 120_000;

/** The worker's code: the bundle next to us (dist/), or, from source (tests through tsx), the TypeScript entry. */
function workerEntry(): { code: string; eval: boolean } | undefined {
  const bundled = path.join(__dirname, 'graderWorker.js');
  if (fs.existsSync(bundled)) return { code: bundled, eval: false };
  const source = path.join(__dirname, 'graderWorker.ts');
  if (fs.existsSync(source)) return { code: `require('tsx/cjs'); require(${JSON.stringify(source)});`, eval: true };
  return undefined;
}

/** Pyodide's files: dist/pyodide/ beside the bundle, else the npm package (from source). */
export function pyodideFolder(): string | undefined {
  const candidates = [path.join(__dirname, 'pyodide')];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'node_modules', 'pyodide'));
    if (path.dirname(dir) === dir) break;
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'pyodide.asm.wasm')));
  return found === undefined ? undefined : found + path.sep;
}

type Kind = GraderWorkerData['kind'];
type Call = Omit<GraderWorkerRequest, 'id' | 'limits'>;

export class SandboxWorker {
  private worker: Worker | undefined;
  private starting: Promise<Worker | string> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;
  private readonly interrupt = new Uint8Array(new SharedArrayBuffer(1));
  /** Settles the call in flight when its worker dies. */
  private onDeath: ((outcome: ScriptOutcome) => void) | undefined;

  constructor(private readonly kind: Kind) {}

  /** Starts the worker now (it also starts on the first call). */
  warm(): void {
    void this.ready();
  }

  /** Runs one call under the limits; calls queue behind each other. */
  call(call: Call, limits: ScriptLimits): Promise<ScriptOutcome> {
    const next = this.queue.then(() => this.execute(call, limits));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Terminates the worker; a later call starts a new one. */
  async dispose(): Promise<void> {
    const worker = this.worker ?? (await this.starting?.then((started) => (typeof started === 'string' ? undefined : started)));
    this.worker = undefined;
    this.starting = undefined;
    await worker?.terminate();
  }

  private ready(): Promise<Worker | string> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.start().then((result) => {
      this.starting = undefined;
      if (typeof result !== 'string') this.worker = result;
      return result;
    });
    return this.starting;
  }

  private start(): Promise<Worker | string> {
    const entry = workerEntry();
    if (!entry) return Promise.resolve('the sandbox worker script is missing');
    let data: GraderWorkerData = { kind: this.kind };
    if (this.kind === 'python') {
      const indexURL = pyodideFolder();
      if (!indexURL) return Promise.resolve("Pyodide's files are missing (pyodide/ beside the bundle, or node_modules/pyodide)");
      data = { kind: 'python', indexURL, interrupt: this.interrupt.buffer as SharedArrayBuffer };
    }
    // The JavaScript heap is small either way: the grader's memory is WebAssembly memory, capped inside the worker.
    const worker = new Worker(entry.code, { eval: entry.eval, workerData: data, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 } });
    worker.stdout.resume();
    worker.stderr.resume();
    worker.unref();
    return new Promise((resolve) => {
      let started = false;
      const timer = setTimeout(() => finish(`the ${this.kind} sandbox did not start within ${START_LIMIT_MS / 1000} s`), START_LIMIT_MS);
      const finish = (result: Worker | string) => {
        if (started) return;
        started = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        if (typeof result === 'string') void worker.terminate();
        resolve(result);
      };
      const onMessage = (message: GraderWorkerMessage) => {
        if (message.type === 'ready') finish(worker);
        else if (message.type === 'failed') finish(`the ${this.kind} sandbox could not start: ${message.message}`);
      };
      worker.on('message', onMessage);
      worker.on('error', (error) => {
        if (!started) return finish(`the ${this.kind} sandbox could not start: ${error.message}`);
        this.died(worker, deathOutcome(this.kind, error));
      });
      worker.on('exit', (code) => {
        if (!started) return finish(`the ${this.kind} sandbox exited while starting (code ${code})`);
        this.died(worker, { ok: false, code: serverError(this.kind), message: `the ${this.kind} sandbox stopped (exit code ${code}); the next call starts a new one` });
      });
    });
  }

  private died(worker: Worker, outcome: ScriptOutcome): void {
    if (this.worker === worker) this.worker = undefined;
    const settle = this.onDeath;
    this.onDeath = undefined;
    settle?.(outcome);
  }

  private async execute(call: Call, limits: ScriptLimits): Promise<ScriptOutcome> {
    const worker = await this.ready();
    if (typeof worker === 'string') return { ok: false, code: serverError(this.kind), message: worker };
    const id = this.nextId++;
    Atomics.store(this.interrupt, 0, 0);
    return new Promise<ScriptOutcome>((resolve) => {
      let late = false;
      const timeout: ScriptOutcome = { ok: false, code: 'unresponsive_reward_error', message: `the grader ran past its time limit (${limits.timeoutMs} ms) and was stopped` };
      const settle = (outcome: ScriptOutcome) => {
        clearTimeout(soft);
        clearTimeout(hard);
        worker.off('message', onMessage);
        this.onDeath = undefined;
        resolve(outcome);
      };
      const soft = setTimeout(() => {
        late = true;
        Atomics.store(this.interrupt, 0, 2); // SIGINT: Python raises KeyboardInterrupt at its next check
      }, limits.timeoutMs);
      const hard = setTimeout(() => {
        this.died(worker, timeout);
        void worker.terminate();
      }, limits.timeoutMs + GRACE_MS);
      const onMessage = (message: GraderWorkerMessage) => {
        if (message.type !== 'result' || message.id !== id) return;
        if (message.restart) {
          if (this.worker === worker) this.worker = undefined;
          void worker.terminate();
        }
        settle(late || (!message.outcome.ok && message.outcome.code === 'unresponsive_reward_error') ? timeout : message.outcome);
      };
      this.onDeath = settle;
      worker.on('message', onMessage);
      worker.postMessage({ ...call, id, limits: { timeoutMs: limits.timeoutMs, memoryMb: limits.memoryMb } } satisfies GraderWorkerRequest);
    });
  }
}

function serverError(kind: Kind): 'python_grader_server_error' | 'js_grader_runtime_error' {
  return kind === 'python' ? 'python_grader_server_error' : 'js_grader_runtime_error';
}

function deathOutcome(kind: Kind, error: Error): ScriptOutcome {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return { ok: false, code: 'memory_limit_error', message: 'the grader used more than its memory limit and was stopped' };
  return { ok: false, code: serverError(kind), message: `the ${kind} sandbox failed: ${error.message}; the next call starts a new one` };
}
