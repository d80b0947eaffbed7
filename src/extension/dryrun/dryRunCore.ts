// src/core/dryrun as the VS Code layer uses it: one place to import it from, so the commands can be tested with another.
import { compareRuns, estimateDryRun, listRuns, readRun, runDryRun, stalenessFacts } from '../../core/dryrun';
import type { DryRunCore } from './dryRunCommands';

export const dryRunCore: DryRunCore = { runDryRun, readRun, listRuns, compareRuns, estimate: estimateDryRun, stalenessFacts };
