// What runRft.ts and its CLI thread (cliThread.ts) send each other.
import type { MessagePort } from 'node:worker_threads';

/** done[0] once the sync thread has posted its answer. */
export const ANSWERED = 1;
/** done[0] when the sync thread stops (it could not load, process.exit, an error outside any call). */
export const THREAD_EXITED = 2;

export interface CliThreadData {
  readonly port: MessagePort;
  readonly done: Int32Array;
}

export interface CliCall {
  readonly id: number;
  readonly args: string[];
  readonly env: Record<string, string>;
}

export interface CliAnswer {
  readonly id: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
