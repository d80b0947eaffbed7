// `python` graders (docs/grader.md §Sandboxes), OpenAI's semantics: the source defines `def grade(sample, item) -> float`, run in
// Pyodide inside a worker thread (pyodideEngine.ts says how it is sealed; sandboxWorker.ts how the limits are
// kept). sample = {output_text, output_json, output_tools, choices} and item arrive as JSON, parsed into Python
// dicts inside Python. Pyodide loads (~3 s) on the first call, then stays warm; a worker that had to be stopped is
// replaced by a fresh one for the next call.
import type { Item, Sample } from '../sample';
import { DEFAULT_SCRIPT_LIMITS, type ScriptLimits, type ScriptOutcome } from './scriptLimits';
import { SandboxWorker } from './sandboxWorker';

/** Pyodide in a warm worker thread; calls run one at a time. */
export class PythonSandbox {
  private readonly worker = new SandboxWorker('python');

  private constructor() {
    this.worker.warm();
  }

  /** A sandbox whose worker starts loading Pyodide now; calls wait for it. */
  static async create(): Promise<PythonSandbox> {
    return new PythonSandbox();
  }

  /** Runs `grade(sample, item)` from `source` under the limits; resolves with its value or the error, never rejects. */
  async run(source: string, sample: Sample, item: Item, limits: ScriptLimits = DEFAULT_SCRIPT_LIMITS): Promise<ScriptOutcome> {
    let sampleJson: string;
    let itemJson: string;
    try {
      sampleJson = JSON.stringify({ output_text: sample.output_text, output_json: sample.output_json ?? null, output_tools: sample.output_tools ?? [], choices: sample.choices ?? [] });
      itemJson = JSON.stringify(item);
    } catch (error) {
      return { ok: false, code: 'sample_parse_error', message: `the grader input is not JSON: ${(error as Error).message}` };
    }
    return this.worker.call({ source, sample: sampleJson, item: itemJson }, limits);
  }

  /** How many workers this sandbox has started (one more each time a grader had to be stopped by force). */
  get workersStarted(): number {
    return this.worker.workersStarted;
  }

  /** Stops the worker. */
  dispose(): Promise<void> {
    return this.worker.dispose();
  }
}
