import * as vscode from 'vscode';
import { isTerminal } from '../../core/train/jobFile';
import type { Ctx } from '../ctx';

/**
 * Once per dataset after activation (and when the workspace becomes trusted): resume following its newest
 * unfinished training job, loading the step code only for a dataset that has one (the tree's step 6 follows the file).
 */
export function resumeTrainingMonitoring(ctx: Ctx): vscode.Disposable {
  const resumed = new Set<string>();
  const resume = () => {
    if (!ctx.trusted) return;
    for (const entry of ctx.registry.list()) {
      if (resumed.has(entry.dir) || !entry.reading) continue;
      resumed.add(entry.dir);
      const job = entry.reading.snapshot.lastJob;
      if (!job || isTerminal(job.status)) continue;
      void Promise.resolve()
        .then(() => ctx.steps().followTraining(entry.dir))
        .catch((error: unknown) => ctx.log.error(`Resuming training monitoring of ${entry.dir}: ${(error as Error).message}`));
    }
  };
  return vscode.Disposable.from(ctx.registry.onDidChange(resume), vscode.workspace.onDidGrantWorkspaceTrust(resume));
}
