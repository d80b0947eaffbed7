// The worker-thread side of runRft (runRft.ts): `rft <args>` through runCli, in this test process, with the
// environment the caller gave as this thread's whole process.env (a worker's env is its own copy, so the test's
// env never changes). Calls run one at a time, in order. A thread for sync calls answers on `workerData.port`,
// then sets `workerData.done[0]` to ANSWERED, on which the caller's thread waits (Atomics.wait).
import { parentPort, workerData } from 'node:worker_threads';
import { runCli } from '../../src/cli/main';
import { ANSWERED, type CliAnswer, type CliCall, type CliThreadData } from './cliThreadProtocol';

/** The call running now: an error nobody caught ends it as it ends a real `rft` process (code 1, the stack on stderr). */
let current: { readonly call: CliCall; stdout: string; stderr: string; finished: boolean } | undefined;
let queue = Promise.resolve();

parentPort!.on('message', (call: CliCall) => {
  queue = queue.then(() => run(call));
});

for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    if (!current || current.finished) throw error;
    current.stderr += `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
    answer(1);
  });
}

async function run(call: CliCall): Promise<void> {
  useEnvironment(call.env);
  const state = { call, stdout: '', stderr: '', finished: false };
  current = state;
  const code = await runCli(call.args, { out: (text) => (state.stdout += text), err: (text) => (state.stderr += text) });
  if (current === state) answer(code);
}

function answer(code: number): void {
  const state = current!;
  if (state.finished) return;
  state.finished = true;
  const message: CliAnswer = { id: state.call.id, code, stdout: state.stdout, stderr: state.stderr };
  const sync = workerData as CliThreadData | undefined;
  if (sync) {
    sync.port.postMessage(message);
    Atomics.store(sync.done, 0, ANSWERED);
    Atomics.notify(sync.done, 0);
  } else parentPort!.postMessage(message);
}

/** process.env becomes exactly `env`, as a child process started with it would see. */
function useEnvironment(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
}
