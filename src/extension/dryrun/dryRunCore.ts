// src/core/dryrun as the VS Code layer uses it: one place to import it from, so the commands can be tested with another.
import { compareRuns, estimateDryRun, listRuns, readRun, runDryRun, stalenessFacts } from '../../core/dryrun';
import type { CostEstimate, DryRunApi } from '../../core/dryrun/dryRunTypes';
import type { StalenessFacts } from '../../core/dryrun/staleness';

/** What the commands need of src/core/dryrun: its API and the estimate before a run. */
export interface DryRunCore extends DryRunApi {
  estimate(dir: string, options: { n: number; samplesPerPrompt: number; model: string }): Promise<{ samples: number; estimate: CostEstimate; text: string }>;
  /** What runStaleness compares a run with (the grader's hash, the records' modification times). */
  stalenessFacts(dir: string): Promise<StalenessFacts>;
}

export const dryRunCore: DryRunCore = { runDryRun, readRun, listRuns, compareRuns, estimate: estimateDryRun, stalenessFacts };
