// Worker thread entry (bundled as dist/graderWorker.js): one script sandbox, `js` (QuickJS) or `python`
// (Pyodide), as workerData says. Calls come one at a time from sandboxWorker.ts; each answer carries its id.
import { parentPort, workerData } from 'node:worker_threads';
import { PyodideEngine } from './pyodideEngine';
import { QuickJsEngine } from './quickjsEngine';
import { DEFAULT_SCRIPT_LIMITS, type ScriptLimits, type ScriptOutcome } from './scriptLimits';

export interface GraderWorkerData {
  readonly kind: 'js' | 'python';
  /** python: Pyodide's folder (ending in a separator), the interrupt flag the host sets at a deadline, and the id of the call it is meant for. */
  readonly indexURL?: string;
  readonly interrupt?: SharedArrayBuffer;
  readonly interruptTarget?: SharedArrayBuffer;
  /** Where the worker writes the id of each call it finishes, before its answer is posted. */
  readonly finished: SharedArrayBuffer;
}

/** js: `input` is the JSON of grade's input; python: `sample` and `item` are JSON. */
export interface GraderWorkerRequest {
  readonly id: number;
  readonly source: string;
  readonly input?: string;
  readonly sample?: string;
  readonly item?: string;
  readonly limits: ScriptLimits;
}

export type GraderWorkerMessage =
  { readonly type: 'ready' } | { readonly type: 'failed'; readonly message: string } | { readonly type: 'result'; readonly id: number; readonly outcome: ScriptOutcome; readonly restart?: boolean };

const data = workerData as GraderWorkerData;
const port = parentPort!;
const finished = new Int32Array(data.finished);

/** Posts a call's answer, after marking it finished: the host may read the mark before the message arrives. */
function answer(message: Extract<GraderWorkerMessage, { type: 'result' }>): void {
  Atomics.store(finished, 0, message.id);
  port.postMessage(message);
}

async function main(): Promise<void> {
  if (data.kind === 'js') {
    const engine = new QuickJsEngine();
    await engine.load(DEFAULT_SCRIPT_LIMITS);
    // One call at a time, in the order sent: a reload (after a memory bomb) is asynchronous, and calls that ran
    // during it answered out of order, so the host saw good calls behind a runaway as hung.
    let queue = Promise.resolve();
    port.on('message', (request: GraderWorkerRequest) => {
      queue = queue.then(async () => {
        let outcome: ScriptOutcome;
        try {
          if (engine.needsLoad(request.limits)) await engine.load(request.limits);
          outcome = engine.run(request.source, request.input ?? 'null', request.limits);
        } catch (error) {
          outcome = { ok: false, code: 'js_grader_runtime_error', message: `the JavaScript sandbox could not reload: ${(error as Error).message}` };
        }
        answer({ type: 'result', id: request.id, outcome });
      });
    });
  } else {
    const engine = new PyodideEngine();
    const interrupt = new Uint8Array(data.interrupt!);
    const target = new Int32Array(data.interruptTarget!);
    await engine.load(data.indexURL!, interrupt);
    const once = (request: GraderWorkerRequest) => {
      Atomics.store(interrupt, 0, 0);
      const { refusedMemory: _refused, ...outcome } = engine.run(request.source, request.sample ?? 'null', request.item ?? 'null', request.limits);
      return outcome as ScriptOutcome;
    };
    const interrupted = (outcome: ScriptOutcome) => !outcome.ok && outcome.code === 'unresponsive_reward_error';
    port.on('message', (request: GraderWorkerRequest) => {
      let outcome = once(request);
      // An interrupt meant for the call before this one (it finished as its deadline came): run this one again.
      if (interrupted(outcome) && Atomics.load(target, 0) !== request.id && !engine.broken) outcome = once(request);
      // A KeyboardInterrupt the host did not send is the grader's own.
      if (interrupted(outcome) && Atomics.load(target, 0) !== request.id) outcome = { ok: false, code: 'python_grader_runtime_error', message: 'KeyboardInterrupt' };
      answer({ type: 'result', id: request.id, outcome, restart: engine.broken });
    });
  }
  port.postMessage({ type: 'ready' } satisfies GraderWorkerMessage);
}

main().catch((error: unknown) => {
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies GraderWorkerMessage);
});
