// Worker thread entry (bundled as dist/validationWorker.js): validates pieces for fileValidator's worker pool.
import { parentPort, workerData } from 'node:worker_threads';
import { PieceValidator } from './chunkValidator';
import type { ValidationSettings } from './settings';

export type WorkerRequest = { readonly type: 'piece'; readonly id: number; readonly bytes: Uint8Array; readonly atFileStart: boolean } | { readonly type: 'sample'; readonly id: number };

const validator = new PieceValidator(workerData as ValidationSettings);

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'piece') {
    const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
    parentPort?.postMessage({ id: request.id, outcome: validator.validate(bytes, request.atFileStart) });
  } else {
    parentPort?.postMessage({ id: request.id, sample: validator.sample() });
  }
});
