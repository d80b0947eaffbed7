import type { GradingPair } from '../sample';
import type { ScriptLimits, ScriptOutcome } from './scriptLimits';

/** Runs a script grader's `grade` in its sandbox. */
export type ScriptRunner = (source: string, pair: GradingPair, limits: ScriptLimits, signal?: AbortSignal) => Promise<ScriptOutcome>;

export interface ScriptRunners {
  readonly js: ScriptRunner;
  readonly python: ScriptRunner;
  dispose(): Promise<void>;
}

/** QuickJS for `js`, Pyodide in a worker for `python`; each sandbox loads on its first use, never before. */
export function defaultScriptRunners(): ScriptRunners {
  let js: Promise<{ sandbox: import('./jsSandbox').JsSandbox; inputOf: typeof import('./jsSandbox').jsGraderInput }> | undefined;
  let python: Promise<import('./pythonSandbox').PythonSandbox> | undefined;
  return {
    js: async (source, pair, limits) => {
      js ??= import('./jsSandbox').then(async (module) => ({ sandbox: await module.JsSandbox.create(), inputOf: module.jsGraderInput }));
      const { sandbox, inputOf } = await js;
      return sandbox.run(source, inputOf(pair.sample, pair.item), limits);
    },
    python: async (source, pair, limits) => {
      python ??= import('./pythonSandbox').then((module) => module.PythonSandbox.create());
      return (await python).run(source, pair.sample, pair.item, limits);
    },
    async dispose() {
      const sandboxes = await Promise.allSettled([js?.then((loaded) => loaded.sandbox), python].filter((sandbox) => sandbox !== undefined));
      for (const result of sandboxes) if (result.status === 'fulfilled') await result.value.dispose();
    },
  };
}
