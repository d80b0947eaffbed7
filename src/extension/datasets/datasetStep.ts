// Step 1's commands: a dataset made, filled, exported, copied or deleted, and one made from gateway traces.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RECORDS_FILE } from '../../core/dataset/manifest';
import type { Ctx } from '../ctx';
import { newDatasetFromTraces, pullNewTraces } from '../extract/traceWizard';
import { onDataset, type Step } from '../step';
import { duplicate, exportFrom, importInto, newDataset, remove, uploadJsonl } from './datasetCommands';
import { datasetDirOf } from './pipelineTree';

export function datasetStep(ctx: Ctx) {
  const { registry } = ctx;
  return {
    commands: {
      'rftStudio.newDataset': () => newDataset(ctx),
      'rftStudio.uploadJsonl': () => uploadJsonl(ctx),
      'rftStudio.importRecords': onDataset(ctx, (dir) => importInto(ctx, dir)),
      'rftStudio.exportRecords': onDataset(ctx, (dir) => exportFrom(dir)),
      'rftStudio.duplicateDataset': onDataset(ctx, (dir) => duplicate(ctx, dir)),
      'rftStudio.deleteDataset': onDataset(ctx, (dir) => remove(ctx, dir)),
      'rftStudio.openRecords': onDataset(ctx, (dir) => vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, RECORDS_FILE)))),
      'rftStudio.newDatasetFromTraces': () => newDatasetFromTraces(ctx),
      'rftStudio.pullTraces': async (target) => {
        const dir = datasetDirOf(target, registry) ?? registry.list()[0]?.dir;
        if (dir) await pullNewTraces(ctx, dir);
      },
    },
  } satisfies Step;
}
