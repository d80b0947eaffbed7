// Step 5 in VS Code: the commands of the tree and palette (Run Dry Run…, Open Dry-Run Results).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { onDataset, type Step } from '../step';
import type { DryRunCore } from './dryRunCore';
import { dryRunHost } from './dryRunHost';

export function dryRunStep(ctx: Ctx, core: DryRunCore) {
  const { host, askRequest } = dryRunHost(ctx, core);
  const show = (dir: string) => ctx.panels.dryRun.show(ctx.extension, dir, host);
  return {
    commands: {
      'rftStudio.openDryRun': onDataset(ctx, (dir) => show(dir)),
      'rftStudio.runDryRun': onDataset(ctx, async (dir) => {
        if (ctx.panels.dryRun.get(dir)?.isRunning) {
          show(dir);
          void vscode.window.showInformationMessage('RFT: a dry run of this dataset is in progress; Stop it in the panel to start another.');
          return;
        }
        const request = await askRequest(dir);
        if (request) show(dir).start(request);
      }),
    },
    restore: { 'rftStudio.dryrun': (panel, state) => ctx.panels.dryRun.restore(panel, state, ctx.extension, host) },
    disposables: [vscode.workspace.onDidGrantWorkspaceTrust(() => void ctx.panels.dryRun.refreshEvery())],
  } satisfies Step;
}
