import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PieceOutcome } from './chunkValidator';
import type { ValidationSettings } from './settings';
import type { KeyedRecord } from './tokenStats';
import type { WorkerRequest } from './validationWorker';

/**
 * The worker's code: the bundle next to us (dist/), or, when running from source (tests, through tsx), the
 * TypeScript entry loaded with tsx's require hook.
 */
function workerEntry(): { code: string; eval: boolean } | undefined {
  const bundled = path.join(__dirname, 'validationWorker.js');
  if (fs.existsSync(bundled)) return { code: bundled, eval: false };
  const source = path.join(__dirname, 'validationWorker.ts');
  if (fs.existsSync(source)) return { code: `require('tsx/cjs'); require(${JSON.stringify(source)});`, eval: true };
  return undefined;
}

/**
 * Workers worth starting: one per core beyond the main thread, up to 4. On two cores none: measured on the
 * benchmark, two workers there gained ~12 % throughput for ~30 MB more memory.
 */
export function availableWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return workerEntry() && cores >= 3 ? Math.min(cores - 1, 4) : 0;
}

/** Worker threads that validate pieces; results come back per request id, in any order. */
export class ValidationWorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private turn = 0;

  constructor(size: number, settings: ValidationSettings) {
    const entry = workerEntry();
    if (!entry) throw new Error('the validation worker script is missing');
    this.workers = Array.from({ length: size }, () => {
      // A worker holds one piece and its token sample at a time: small heaps keep the process's memory flat.
      const worker = new Worker(entry.code, { workerData: settings, eval: entry.eval, resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 } });
      worker.on('message', (message: { id: number; outcome?: PieceOutcome; sample?: KeyedRecord[] }) => {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        waiter?.resolve(message.outcome ?? message.sample);
      });
      worker.on('error', (error) => this.failAll(error));
      return worker;
    });
  }

  validate(bytes: Buffer, atFileStart: boolean): Promise<PieceOutcome> {
    const worker = this.workers[this.turn++ % this.workers.length];
    return this.request(worker, { type: 'piece', id: this.nextId, bytes, atFileStart }) as Promise<PieceOutcome>;
  }

  async samples(): Promise<KeyedRecord[]> {
    const all = await Promise.all(this.workers.map((worker) => this.request(worker, { type: 'sample', id: this.nextId }) as Promise<KeyedRecord[]>));
    return all.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private request(worker: Worker, request: WorkerRequest): Promise<unknown> {
    this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
