// Step 6 in VS Code: the commands of the tree and palette (Open Training Monitor, Start Training…, Cancel Training),
// the monitor that follows running jobs, and the panel's refresh when the dataset changes.
import * as vscode from 'vscode';
import { isTerminal } from '../../core/train/jobFile';
import type { Ctx } from '../ctx';
import { onDataset, type Step } from '../step';
import type { TrainCore } from './trainCore';
import { connectionFor, trainHost, type DryRunReader } from './trainHost';
import { TrainingMonitor } from './trainingMonitor';

/** The step, and `follow` for the activation's resuming of unfinished jobs (resumeTraining.ts). */
export function trainStep(ctx: Ctx, core: TrainCore, dryRuns: DryRunReader) {
  const { registry, log } = ctx;
  const context = ctx.extension;
  const monitor = new TrainingMonitor(
    core,
    (backend) => connectionFor(ctx, backend, true),
    () => ctx.config.pollIntervalMs,
    log,
  );
  const host = trainHost(ctx, core, dryRuns, monitor);
  const show = (dir: string) => ctx.panels.train.show(context, dir, host);

  /** Panels refresh when the dataset changes beyond step 6 (a job's own updates arrive as `job` messages). */
  const seen = new Map<string, string>();
  const refreshChangedPanels = () => {
    for (const entry of registry.list()) {
      if (!ctx.panels.train.get(entry.dir) || !entry.reading) continue;
      const key = JSON.stringify([entry.state.health.counts?.valid, entry.state.steps.filter((step) => step.id !== 'train')]);
      if (seen.get(entry.dir) === key) continue;
      const first = !seen.has(entry.dir);
      seen.set(entry.dir, key);
      if (!first) void ctx.panels.train.refresh(entry.dir);
    }
  };

  return {
    commands: {
      'rftStudio.openTraining': onDataset(ctx, (dir) => show(dir)),
      'rftStudio.startTraining': onDataset(ctx, (dir) => show(dir)),
      'rftStudio.cancelTraining': onDataset(ctx, async (dir) => {
        const job = (await core.jobs(dir)).at(-1);
        if (!job || isTerminal(job.status)) {
          void vscode.window.showInformationMessage('RFT: no training job of this dataset is running.');
          return;
        }
        const choice = await vscode.window.showWarningMessage(
          `Cancel training job ${job.remoteId ?? job.id} (${job.backend}, ${job.model})?`,
          { modal: true, detail: 'The backend stops it; checkpoints it saved stay.' },
          'Cancel Training',
        );
        if (choice !== 'Cancel Training') return;
        const view = await host.control(dir, 'cancel', job.id);
        void vscode.window.showInformationMessage(`RFT: training job ${job.remoteId ?? job.id} is ${view.status}.`);
        await ctx.panels.train.refresh(dir);
      }),
    },
    restore: { 'rftStudio.train': (panel, state) => ctx.panels.train.restore(panel, state, context, host) },
    disposables: [monitor, registry.onDidChange(refreshChangedPanels), vscode.workspace.onDidGrantWorkspaceTrust(() => void ctx.panels.train.refreshEvery())],
    follow: (dir) => monitor.follow(dir),
  } satisfies Step & { follow(dir: string): Promise<unknown> };
}
