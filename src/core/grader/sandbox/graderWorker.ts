// Worker thread entry (bundled as dist/graderWorker.js): one script sandbox, `js` (QuickJS) or `python`
// (Pyodide), as workerData says. Calls come one at a time from sandboxWorker.ts; each answer carries its id.
import { parentPort, workerData } from 'node:worker_threads';
import { PyodideEngine } from './pyodideEngine';
import { QuickJsEngine } from './quickjsEngine';
import { DEFAULT_SCRIPT_LIMITS, type ScriptLimits, type ScriptOutcome } from './scriptLimits';

export interface GraderWorkerData {
  readonly kind: 'js' | 'python';
  /** python: Pyodide's folder (ending in a separator) and the interrupt flag the host sets at the deadline. */
  readonly indexURL?: string;
  readonly interrupt?: SharedArrayBuffer;
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
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly outcome: ScriptOutcome; readonly restart?: boolean };

const data = workerData as GraderWorkerData;
const port = parentPort!;

async function main(): Promise<void> {
  if (data.kind === 'js') {
    const engine = new QuickJsEngine();
    await engine.load(DEFAULT_SCRIPT_LIMITS);
    port.on('message', async (request: GraderWorkerRequest) => {
      if (engine.needsLoad(request.limits)) await engine.load(request.limits);
      port.postMessage({ type: 'result', id: request.id, outcome: engine.run(request.source, request.input ?? 'null', request.limits) } satisfies GraderWorkerMessage);
    });
  } else {
    const engine = new PyodideEngine();
    await engine.load(data.indexURL!, new Uint8Array(data.interrupt!));
    port.on('message', (request: GraderWorkerRequest) => {
      const { refusedMemory: _refused, ...outcome } = engine.run(request.source, request.sample ?? 'null', request.item ?? 'null', request.limits);
      port.postMessage({ type: 'result', id: request.id, outcome: outcome as ScriptOutcome, restart: engine.broken } satisfies GraderWorkerMessage);
    });
  }
  port.postMessage({ type: 'ready' } satisfies GraderWorkerMessage);
}

main().catch((error: unknown) => {
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies GraderWorkerMessage);
});
