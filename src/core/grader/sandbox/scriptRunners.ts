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
  let js: Promise<import('./jsSandbox').JsSandbox> | undefined;
  let python: Promise<import('./pythonSandbox').PythonSandbox> | undefined;
  return {
    js: async (source, pair, limits) => {
      js ??= import('./jsSandbox').then((module) => module.JsSandbox.create());
      return (await js).run(source, (await import('./jsSandbox')).jsGraderInput(pair.sample, pair.item), limits);
    },
    python: async (source, pair, limits) => {
      python ??= import('./pythonSandbox').then((module) => module.PythonSandbox.create());
      return (await python).run(source, pair.sample, pair.item, limits);
    },
    async dispose() {
      const loaded = await Promise.allSettled([js, python].filter((sandbox) => sandbox !== undefined));
      for (const result of loaded) if (result.status === 'fulfilled') await result.value.dispose();
    },
  };
}
