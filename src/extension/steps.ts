// The step code, bundled on its own as dist/steps.js and loaded the first time a step's command or panel is used
// (Ctx.steps). Activation registers each step command as a stub that lands here (extension.ts).
import type * as vscode from 'vscode';
import type { PanelViewType, StepCommandId } from './commandTable';
import type { Ctx } from './ctx';
import { datasetStep } from './datasets/datasetStep';
import { deployStep } from './deploy/deployStep';
import { dryRunCore } from './dryrun/dryRunCore';
import { dryRunStep } from './dryrun/dryRunStep';
import { generateCore } from './generate/generateCore';
import { generateStep } from './generate/generateStep';
import { graderStep } from './grader/graderStep';
import { modelStep } from './llm/modelStep';
import { createPanels, type Panels } from './panels';
import { recordsStep } from './records/recordsStep';
import type { CommandHandler, Restorer } from './step';
import { topicsStep } from './topics/topicsStep';
import { trainCore } from './train/trainCore';
import { trainStep } from './train/trainStep';
import { setPanelLog } from './webview/webviewPanel';

export interface Steps {
  readonly panels: Panels;
  run(id: StepCommandId, target?: unknown): Promise<unknown>;
  /** Gives a panel VS Code restored after a reload to its step. */
  restore(viewType: PanelViewType, panel: vscode.WebviewPanel, state: unknown): void;
  /** Categorize (a save of topics.json runs it). */
  categorize(dir: string): Thenable<unknown>;
  /** Follows the dataset's newest unfinished training job. */
  followTraining(dir: string): Promise<unknown>;
}

/** Builds every step once, on the extension's Ctx. A step reads ctx.panels only inside its handlers. */
export function loadSteps(ctx: Ctx): Steps {
  // The panels live in this bundle: their module's log is set here, not in dist/extension.js's copy.
  setPanelLog(ctx.log);
  const panels = createPanels();
  const datasets = datasetStep(ctx);
  const model = modelStep(ctx);
  const records = recordsStep(ctx);
  const topics = topicsStep(ctx);
  const generate = generateStep(ctx, generateCore);
  const grader = graderStep(ctx);
  const dryRun = dryRunStep(ctx, dryRunCore);
  const train = trainStep(ctx, trainCore, dryRunCore);
  const deploy = deployStep(ctx);
  // Every step command has its handler, and every panel its restorer: a missing one is a type error here.
  const commands = {
    ...datasets.commands,
    ...model.commands,
    ...records.commands,
    ...topics.commands,
    ...generate.commands,
    ...grader.commands,
    ...dryRun.commands,
    ...train.commands,
    ...deploy.commands,
  } satisfies Record<StepCommandId, CommandHandler>;
  const restorers = { ...records.restore, ...topics.restore, ...generate.restore, ...grader.restore, ...dryRun.restore, ...train.restore, ...deploy.restore } satisfies Record<PanelViewType, Restorer>;
  ctx.subscribe(...records.disposables, ...generate.disposables, ...grader.disposables, ...dryRun.disposables, ...train.disposables, ...deploy.disposables);
  return {
    panels,
    run: (id, target) => commands[id](target),
    restore: (viewType, panel, state) => restorers[viewType](panel, state),
    categorize: (dir) => topics.categorize(dir),
    followTraining: (dir) => train.follow(dir),
  };
}
