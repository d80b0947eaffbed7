// Step 7 in VS Code: the commands of the tree and palette (Open Results & Deploy, Run Benchmarks, Open Playground,
// Undo Deploy) and the panels' refresh when the dataset changes. Models come from the provider layer
// (providerSettings.ts); the LiteLLM master key from SecretStorage or LITELLM_MASTER_KEY, never a file.
import * as vscode from 'vscode';
import { readTunedModel } from '../../core/deploy';
import type { Ctx } from '../ctx';
import { trustedOrWarn } from '../preconditions';
import { onDataset, type Step } from '../step';
import { deployHost } from './deployHost';
import { defaultBase, requireTuned } from './deployModels';
import { playgroundHost } from './playgroundHost';

export function deployStep(ctx: Ctx) {
  const { registry } = ctx;
  const playground = playgroundHost(ctx);
  const openPlayground = (dir: string) => ctx.panels.playground.show(ctx.extension, dir, playground);
  const host = deployHost(ctx, openPlayground);
  const show = (dir: string) => ctx.panels.deploy.show(ctx.extension, dir, host);

  /** Panels refresh when steps 5–7 of their dataset change (a benchmark's own progress arrives as messages). */
  const seen = new Map<string, string>();
  const refreshChangedPanels = () => {
    for (const entry of registry.list()) {
      if (!entry.reading || (!ctx.panels.deploy.get(entry.dir) && !ctx.panels.playground.get(entry.dir))) continue;
      const key = JSON.stringify(entry.state.steps.filter((step) => ['grader', 'dryrun', 'train', 'deploy'].includes(step.id)));
      if (seen.get(entry.dir) === key) continue;
      const first = !seen.has(entry.dir);
      seen.set(entry.dir, key);
      if (first) continue;
      if (!ctx.panels.deploy.get(entry.dir)?.isRunning) void ctx.panels.deploy.refresh(entry.dir);
      void ctx.panels.playground.refresh(entry.dir);
    }
  };

  return {
    commands: {
      'rftStudio.openDeploy': onDataset(ctx, (dir) => show(dir)),
      'rftStudio.runBenchmark': onDataset(ctx, async (dir) => {
        if (!trustedOrWarn(ctx, 'deploy')) return;
        if (ctx.panels.deploy.get(dir)?.isRunning) {
          show(dir);
          void vscode.window.showInformationMessage('RFT: benchmarks of this dataset are running; Stop them in the panel to start again.');
          return;
        }
        await requireTuned(dir);
        const base = await vscode.window.showInputBox({
          title: `Run Benchmarks — ${ctx.datasetName(dir)}`,
          prompt: 'The base model to compare the tuned model with (both answer the validation split; the grader scores them).',
          value: await defaultBase(ctx, dir, await readTunedModel(dir)),
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() ? undefined : 'Name the base model.'),
        });
        if (base === undefined) return;
        show(dir).start({ base: base.trim() });
      }),
      'rftStudio.openPlayground': onDataset(ctx, (dir) => openPlayground(dir)),
      'rftStudio.undoDeploy': onDataset(ctx, async (dir) => {
        const text = await host.undo(dir);
        if (text) void vscode.window.showInformationMessage(`RFT: ${text}`);
        await ctx.panels.deploy.refresh(dir);
      }),
    },
    restore: {
      'rftStudio.deploy': (panel, state) => ctx.panels.deploy.restore(panel, state, ctx.extension, host),
      'rftStudio.playground': (panel, state) => ctx.panels.playground.restore(panel, state, ctx.extension, playground),
    },
    disposables: [
      registry.onDidChange(refreshChangedPanels),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        void ctx.panels.deploy.refreshEvery();
        void ctx.panels.playground.refreshEvery();
      }),
    ],
  } satisfies Step;
}
