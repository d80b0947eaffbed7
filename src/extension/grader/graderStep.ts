// Step 4's commands of the tree and palette (Edit Grader, Test Sample, Check Grader, New Grader from Preset…), and
// the grader editor following grader.json and its scripts as they change on disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GRADER_FILE, GRADERS_DIR } from '../../core/grader/graderFile';
import type { AnswerSource } from '../../shared/graderProtocol';
import type { Ctx } from '../ctx';
import { onDataset, type Step } from '../step';
import { graderHost, newFromPreset } from './graderHost';
import { baseModelLabel } from './graderModels';

export function graderStep(ctx: Ctx) {
  const host = graderHost(ctx);
  const show = (dir: string) => ctx.panels.grader.show(ctx.extension, dir, host);
  const hasGrader = async (dir: string) => fs.existsSync(path.join(dir, GRADER_FILE)) || (await newFromPreset(ctx, dir));
  return {
    commands: {
      'rftStudio.editGrader': onDataset(ctx, (dir) => show(dir)),
      'rftStudio.testGraderSample': onDataset(ctx, async (dir) => {
        if (!(await hasGrader(dir))) return;
        const from: AnswerSource = ctx.trusted && (await baseModelLabel(ctx)) ? 'model' : 'reference';
        show(dir).testSample(from);
      }),
      'rftStudio.checkGrader': onDataset(ctx, async (dir) => {
        if (!(await hasGrader(dir))) return;
        show(dir).selfCheck();
      }),
      'rftStudio.newGraderFromPreset': onDataset(ctx, async (dir) => {
        if (!(await newFromPreset(ctx, dir))) return;
        show(dir);
        await ctx.panels.grader.refresh(dir);
      }),
    },
    restore: { 'rftStudio.grader': (panel, state) => ctx.panels.grader.restore(panel, state, ctx.extension, host) },
    disposables: [refreshOnGraderFiles(ctx), vscode.workspace.onDidGrantWorkspaceTrust(() => void ctx.panels.grader.refreshEvery())],
  } satisfies Step;
}

/** An open grader editor refreshes when grader.json or a script under graders/ changes (200 ms after the last). */
function refreshOnGraderFiles(ctx: Ctx): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(`**/{${GRADER_FILE},${GRADERS_DIR}/*}`);
  const timers = new Map<string, NodeJS.Timeout>();
  const onFile = (uri: vscode.Uri) => {
    const dir = ctx.registry.datasetOf(uri.fsPath)?.dir;
    if (!dir) return;
    clearTimeout(timers.get(dir));
    timers.set(
      dir,
      setTimeout(() => {
        timers.delete(dir);
        void ctx.panels.grader.refresh(dir);
      }, 200),
    );
  };
  return vscode.Disposable.from(watcher, watcher.onDidChange(onFile), watcher.onDidCreate(onFile), watcher.onDidDelete(onFile));
}
