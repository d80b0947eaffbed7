// What one step's code gives the extension when it loads (steps.ts): its commands, the panels it restores after a
// reload, and the listeners that live as long as the extension.
import type * as vscode from 'vscode';
import type { PanelViewType, StepCommandId } from './commandTable';
import type { Ctx } from './ctx';
import { pickDataset } from './datasets/pickDataset';

/** A command's body; it gets what VS Code passes (a tree node, a URI, a DatasetTarget, or nothing). */
export type CommandHandler = (target?: unknown) => Promise<unknown>;

export type Restorer = (panel: vscode.WebviewPanel, state: unknown) => void;

export interface Step {
  readonly commands: Partial<Record<StepCommandId, CommandHandler>>;
  /** Restores the step's panels after a window reload, from their webviews' saved state. */
  readonly restore?: Partial<Record<PanelViewType, Restorer>>;
  readonly disposables?: readonly vscode.Disposable[];
}

/** A command on one dataset: the tree node it was run on, the active editor's dataset, or one the user picks. */
export function onDataset(ctx: Ctx, action: (dir: string, target: unknown) => unknown): CommandHandler {
  return async (target) => {
    const dir = await pickDataset(target, ctx.registry);
    if (dir) await action(dir, target);
  };
}
