// The host's side of a script sandbox: one worker thread (graderWorker.ts) kept warm across calls, which run one
// at a time (a few wait inside the worker). The time limit is the host's to enforce, since the worker is busy
// inside one synchronous call: at the deadline Python is interrupted (Pyodide's interrupt buffer; QuickJS
// interrupts itself), and a worker still busy a grace period later is terminated; the calls queued behind it go
// to a fresh one. "Still busy" is the worker's word (a shared counter of the calls it finished), not the absence
// of its answer: when this thread was itself held up past the grace, the answer is waiting in the queue. A worker
// that dies (out of memory, a crash) is an error for its call, never for the host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GraderWorkerData, GraderWorkerMessage, GraderWorkerRequest } from './graderWorker';
import type { ScriptLimits, ScriptOutcome } from './scriptLimits';

/** How long a worker may stay busy past the deadline (after its interrupt) before it is terminated. */
const GRACE_MS = 500;
const GRACE_TICK_MS = 100;
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

/** Calls sent ahead to a busy worker, so it never waits for the host between two calls. */
const PIPELINE_DEPTH = 16;

interface Job {
  readonly id: number;
  readonly call: Call;
  readonly limits: ScriptLimits;
  readonly resolve: (outcome: ScriptOutcome) => void;
  /** Its deadline passed: whatever it answers now is a timeout. */
  late: boolean;
}

/**
 * One warm worker. Calls run one at a time, in order; up to PIPELINE_DEPTH of them wait inside the worker. The
 * call at the head is the one running: its clock starts when the call before it answered (or when it was sent).
 */
export class SandboxWorker {
  private worker: Worker | undefined;
  private starting: Promise<Worker | string> | undefined;
  /** Why the worker could not start: later calls fail at once (until dispose()). */
  private failed: string | undefined;
  private nextId = 0;
  /** Workers started so far: a call that had to replace the worker shows as one more. */
  private started = 0;
  private readonly waiting: Job[] = [];
  private inWorker: Job[] = [];
  private timers: NodeJS.Timeout[] = [];
  /** python: Pyodide's interrupt flag, and the id of the call the interrupt is meant for. */
  private readonly interrupt = new Uint8Array(new SharedArrayBuffer(1));
  private readonly interruptTarget = new Int32Array(new SharedArrayBuffer(4));
  /** The id of the last call the worker finished (its answer may not have reached us yet). */
  private readonly finished = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly kind: Kind) {
    Atomics.store(this.finished, 0, -1);
  }

  get workersStarted(): number {
    return this.started;
  }

  /** Starts the worker now (it also starts on the first call). */
  warm(): void {
    void this.ready();
  }

  /** Runs one call under the limits; resolves with its outcome, never rejects. */
  call(call: Call, limits: ScriptLimits): Promise<ScriptOutcome> {
    return new Promise((resolve) => {
      this.waiting.push({ id: this.nextId++, call, limits: { timeoutMs: limits.timeoutMs, memoryMb: limits.memoryMb }, resolve, late: false });
      this.pump();
    });
  }

  /** Terminates the worker; calls not answered yet fail; a later call starts a new worker. */
  async dispose(): Promise<void> {
    const worker = this.worker ?? (await this.starting?.then((started) => (typeof started === 'string' ? undefined : started)));
    this.worker = undefined;
    this.starting = undefined;
    this.failed = undefined;
    this.clearTimers();
    const closed: ScriptOutcome = { ok: false, code: serverError(this.kind), message: `the ${this.kind} sandbox was closed` };
    for (const job of [...this.inWorker, ...this.waiting.splice(0)]) job.resolve(closed);
    this.inWorker = [];
    await worker?.terminate();
  }

  private pump(): void {
    if (this.waiting.length === 0) return;
    if (this.failed !== undefined) {
      for (const job of this.waiting.splice(0)) job.resolve({ ok: false, code: serverError(this.kind), message: this.failed });
      return;
    }
    const worker = this.worker;
    if (!worker) {
      void this.ready().then(() => this.pump());
      return;
    }
    while (this.inWorker.length < PIPELINE_DEPTH && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.inWorker.push(job);
      worker.postMessage({ ...job.call, id: job.id, limits: job.limits } satisfies GraderWorkerRequest);
      if (this.inWorker.length === 1) this.startClock(worker);
    }
  }

  /**
   * The head call is running: at its deadline, interrupt it (python; QuickJS stops itself); a grace period after
   * that, terminate the worker unless it has finished the call. The grace starts when the interrupt is sent, so a
   * late timer here never shortens it.
   */
  private startClock(worker: Worker): void {
    this.clearTimers();
    const job = this.inWorker[0];
    if (!job) return;
    this.timers.push(
      setTimeout(() => {
        job.late = true;
        this.interruptPython(job);
        this.watchGrace(worker, job, GRACE_MS);
      }, job.limits.timeoutMs),
    );
  }

  /** python: SIGINT through Pyodide's interrupt buffer; Python raises KeyboardInterrupt at its next check. */
  private interruptPython(job: Job): void {
    if (this.kind !== 'python') return;
    Atomics.store(this.interruptTarget, 0, job.id);
    Atomics.store(this.interrupt, 0, 2);
  }

  /**
   * Every GRACE_TICK_MS of the grace: a call the worker has finished has its answer on the way (this thread may have
   * been held up): nothing to do. Python that took the interrupt and runs on is interrupted again: now and then
   * Pyodide takes one without raising KeyboardInterrupt (a few calls in a hundred on a loaded machine), and the
   * next one stops it. A grader that swallows them is still terminated when the grace is over.
   */
  private watchGrace(worker: Worker, job: Job, leftMs: number): void {
    this.timers.push(
      setTimeout(
        () => {
          if (Atomics.load(this.finished, 0) >= job.id) return;
          if (leftMs <= GRACE_TICK_MS) return this.lost(worker, timedOut(job));
          if (Atomics.load(this.interrupt, 0) === 0) this.interruptPython(job);
          this.watchGrace(worker, job, leftMs - GRACE_TICK_MS);
        },
        Math.min(leftMs, GRACE_TICK_MS),
      ),
    );
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  private answered(worker: Worker, message: GraderWorkerMessage): void {
    if (message.type !== 'result' || worker !== this.worker) return;
    const job = this.inWorker[0];
    if (!job || job.id !== message.id) return;
    this.inWorker.shift();
    this.clearTimers();
    const outcome = message.outcome;
    job.resolve(job.late || (!outcome.ok && outcome.code === 'unresponsive_reward_error') ? timedOut(job) : outcome);
    if (message.restart) this.lost(worker, undefined);
    else this.startClock(worker);
    this.pump();
  }

  /** The worker is gone or must go: the running call gets `outcome`; the calls queued behind it go to a new worker. */
  private lost(worker: Worker, outcome: ScriptOutcome | undefined): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.clearTimers();
    const [head, ...rest] = this.inWorker;
    this.inWorker = [];
    if (outcome && head) head.resolve(outcome);
    else if (head) rest.unshift(head);
    this.waiting.unshift(...rest);
    void worker.terminate();
    this.pump();
  }

  private ready(): Promise<Worker | string> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.start().then((result) => {
      this.starting = undefined;
      if (typeof result === 'string') this.failed = result;
      else this.worker = result;
      return result;
    });
    return this.starting;
  }

  private start(): Promise<Worker | string> {
    const entry = workerEntry();
    if (!entry) return Promise.resolve('the sandbox worker script is missing');
    let data: GraderWorkerData = { kind: this.kind, finished: this.finished.buffer as SharedArrayBuffer };
    if (this.kind === 'python') {
      const indexURL = pyodideFolder();
      if (!indexURL) return Promise.resolve("Pyodide's files are missing (pyodide/ beside the bundle, or node_modules/pyodide)");
      data = { ...data, indexURL, interrupt: this.interrupt.buffer as SharedArrayBuffer, interruptTarget: this.interruptTarget.buffer as SharedArrayBuffer };
    }
    // An interrupt the worker before this one never took (it was terminated first) would stop the new one's start.
    Atomics.store(this.interrupt, 0, 0);
    // The JavaScript heap is small either way: the grader's memory is WebAssembly memory, capped inside the worker.
    this.started++;
    const worker = new Worker(entry.code, {
      eval: entry.eval,
      workerData: data,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 },
    });
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
        if (typeof result === 'string') void worker.terminate();
        resolve(result);
      };
      worker.on('message', (message: GraderWorkerMessage) => {
        if (message.type === 'ready') finish(worker);
        else if (message.type === 'failed') finish(`the ${this.kind} sandbox could not start: ${message.message}`);
        else this.answered(worker, message);
      });
      worker.on('error', (error) => {
        if (!started) return finish(`the ${this.kind} sandbox could not start: ${error.message}`);
        this.lost(worker, deathOutcome(this.kind, error));
      });
      worker.on('exit', (code) => {
        if (!started) return finish(`the ${this.kind} sandbox exited while starting (code ${code})`);
        this.lost(worker, { ok: false, code: serverError(this.kind), message: `the ${this.kind} sandbox stopped (exit code ${code}); the next call starts a new one` });
      });
    });
  }
}

function timedOut(job: Job): ScriptOutcome {
  return { ok: false, code: 'unresponsive_reward_error', message: `the grader ran past its time limit (${job.limits.timeoutMs} ms) and was stopped` };
}

function serverError(kind: Kind): 'python_grader_server_error' | 'js_grader_runtime_error' {
  return kind === 'python' ? 'python_grader_server_error' : 'js_grader_runtime_error';
}

function deathOutcome(kind: Kind, error: Error): ScriptOutcome {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return { ok: false, code: 'memory_limit_error', message: 'the grader used more than its memory limit and was stopped' };
  return { ok: false, code: serverError(kind), message: `the ${kind} sandbox failed: ${error.message}; the next call starts a new one` };
}
