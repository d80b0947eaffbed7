// `rft <args>` for the tests. runRft and runRftAsync run the CLI in this process, through runCli on a worker thread
// (cliThread.ts) that stays warm across calls, so a call costs what the command costs, not a node start and a
// TypeScript compile. The environment is the one a child process would get (the caller's, or options.env whole).
// A test that needs a real process (exit on a signal, stdin, another working folder) uses rftProcess.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { THREAD_EXITED, type CliAnswer, type CliCall, type CliThreadData } from './cliThreadProtocol';

const ROOT = path.resolve(__dirname, '..', '..');
/** A sync call blocks this thread (no mocha timeout can end it): past this, it fails instead of hanging. */
const SYNC_LIMIT_MS = 10 * 60_000;

export interface RftRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `rft <args>` in this process and waits for it (as spawnSync would). */
export function runRft(args: string[], cwd = ROOT): RftRun {
  if (path.resolve(cwd) !== process.cwd()) {
    const result = spawnSync(process.execPath, rftProcess(args), { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }
  return syncLane.call(args, process.env);
}

/** Runs `rft <args>` in this process without blocking it (so a server in this process can answer it). */
export function runRftAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RftRun> {
  if (options.input !== undefined || (options.cwd !== undefined && path.resolve(options.cwd) !== process.cwd())) return runRftChild(args, options);
  return asyncLane.call(args, options.env ?? process.env);
}

/**
 * The arguments for `node <these>` that run `rft <args>` as a real process: the built CLI (bin/rft.js over
 * dist/cli.js, which `npm test` builds first) when it is newer than every source file, else the source through tsx.
 */
export function rftProcess(args: string[]): string[] {
  return builtCliIsFresh() ? [path.join(ROOT, 'bin', 'rft.js'), ...args] : ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'rft.ts'), ...args];
}

function runRftChild(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<RftRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, rftProcess(args), { cwd: options.cwd ?? ROOT, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

let builtCli: boolean | undefined;

function builtCliIsFresh(): boolean {
  if (builtCli === undefined) {
    const built = modifiedAt(path.join(ROOT, 'dist', 'cli.js'));
    builtCli = built !== undefined && newestSource(path.join(ROOT, 'src')) <= built;
  }
  return builtCli;
}

function modifiedAt(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : (modifiedAt(full) ?? 0));
  }
  return newest;
}

/** The environment as a child process gets it: no unset keys, every value a string. */
function childEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = String(value);
  return result;
}

/**
 * The thread's code: tsx for both module systems (a worker runs no --import; the CLI loads some modules with
 * import(), the script sandboxes on first use; tsx/esm/api's ESM build, as its CommonJS build looks for its loader
 * in the wrong folder), then cliThread.ts. A sync thread that stops for any reason says so through `done`.
 */
const THREAD_CODE = `
const { workerData } = require('node:worker_threads');
const stopped = () => {
  if (!workerData) return;
  Atomics.store(workerData.done, 0, ${THREAD_EXITED});
  Atomics.notify(workerData.done, 0);
};
process.on('exit', stopped);
import('tsx/esm/api')
  .then(({ register }) => {
    register();
    require('tsx/cjs');
    require(${JSON.stringify(path.join(__dirname, 'cliThread.ts'))});
  })
  .catch((error) => {
    stopped();
    throw error;
  });
`;

/**
 * The thread for sync calls: this thread posts the call, then sleeps on `done` until the CLI thread has answered
 * (ANSWERED) or exited (THREAD_EXITED; its call gets code 1 and the next call starts a new thread).
 */
class SyncLane {
  private worker: Worker | undefined;
  private port: MessageChannel['port1'] | undefined;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;
  private error: string | undefined;

  call(args: string[], env: NodeJS.ProcessEnv): RftRun {
    const worker = this.start();
    const id = this.nextId++;
    Atomics.store(this.done, 0, 0);
    worker.postMessage({ id, args, env: childEnvironment(env) } satisfies CliCall);
    if (Atomics.wait(this.done, 0, 0, SYNC_LIMIT_MS) === 'timed-out') throw new Error(`rft ${args.join(' ')} did not finish within ${SYNC_LIMIT_MS / 60_000} minutes`);
    let answer: CliAnswer | undefined;
    do answer = receiveMessageOnPort(this.port!)?.message as CliAnswer | undefined;
    while (answer && answer.id !== id); // an answer to a call that ran past SYNC_LIMIT_MS is dropped
    if (Atomics.load(this.done, 0) === THREAD_EXITED) this.worker = undefined;
    if (!answer) return { code: 1, stdout: '', stderr: `the rft test thread stopped before it answered${this.error ? `: ${this.error}` : ''}\n` };
    return { code: answer.code, stdout: answer.stdout, stderr: answer.stderr };
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const channel = new MessageChannel();
    this.port = channel.port1;
    const data: CliThreadData = { port: channel.port2, done: this.done };
    const worker = new Worker(THREAD_CODE, { eval: true, workerData: data, transferList: [channel.port2], stdout: false, stderr: false });
    worker.unref();
    worker.on('error', (error) => (this.error = error.stack ?? error.message)); // seen once this thread runs again
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}

/** The thread for async calls, answered by message; a thread that stopped fails the calls it held. */
class AsyncLane {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (run: RftRun) => void>();

  call(args: string[], env: NodeJS.ProcessEnv): Promise<RftRun> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.ref(); // an answer is awaited: this process waits for it
      worker.postMessage({ id, args, env: childEnvironment(env) } satisfies CliCall);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_CODE, { eval: true });
    worker.unref();
    worker.on('message', (answer: CliAnswer) => {
      const resolve = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      resolve?.({ code: answer.code, stdout: answer.stdout, stderr: answer.stderr });
    });
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const resolve of this.pending.values()) resolve({ code: 1, stdout: '', stderr: `the rft test thread stopped: ${why}\n` });
      this.pending.clear();
    };
    worker.on('error', (error) => fail(error.stack ?? error.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}

const syncLane = new SyncLane();
const asyncLane = new AsyncLane();
