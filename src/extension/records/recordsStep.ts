// The records browser in VS Code: RFT: Open Records Browser (palette, the dataset's context menu, steps 1 and 3),
// the panel's host (topic picker, delete confirmation, open at a line) and its refresh when the dataset changes.
import * as vscode from 'vscode';
import type { DatasetReading } from '../../core/pipeline/snapshot';
import type { Ctx } from '../ctx';
import { onDataset, type Step } from '../step';
import { openAtLine } from '../ui';
import type { RecordsHost } from './recordsPanel';

export function recordsStep(ctx: Ctx) {
  const { registry } = ctx;
  const host: RecordsHost = {
    datasetName: (dir) => ctx.datasetName(dir),
    snapshot: async (dir) => {
      if (!registry.get(dir)?.reading) await registry.refresh(dir);
      return registry.get(dir)?.reading?.snapshot;
    },
    pickTopic: async (leaves, row) => {
      const picked = await vscode.window.showQuickPick(
        leaves.map((leaf) => ({ label: leaf, description: leaf === row.topic ? 'current' : undefined })),
        { title: `Topic of ${row.file}:${row.line}`, placeHolder: row.text },
      );
      return picked?.label;
    },
    confirmDelete: async (lines) => {
      const listed = lines.length <= 10 ? lines.join(', ') : `${lines.slice(0, 10).join(', ')}, …`;
      const answer = await vscode.window.showWarningMessage(
        `Delete ${lines.length.toLocaleString('en-US')} generated record${lines.length === 1 ? '' : 's'} (generated.jsonl line${lines.length === 1 ? '' : 's'} ${listed})? generated.jsonl is rewritten without them; records.jsonl is not touched.`,
        { modal: true },
        'Delete',
      );
      return answer === 'Delete';
    },
    openRecord: (file, line) => openAtLine(file, line),
    changed: async (dir) => {
      await registry.refresh(dir);
      await ctx.panels.coverage.refresh(dir);
    },
  };
  // The dataset's files changed (generation landed records, an edit, categorization): each open browser catches up.
  const seen = new Map<string, DatasetReading | undefined>();
  const onRegistryChange = registry.onDidChange(() => {
    for (const panel of ctx.panels.records.all()) {
      const dir = panel.dir;
      const reading = registry.get(dir)?.reading;
      if (!reading || seen.get(dir) === reading) continue;
      seen.set(dir, reading);
      void panel.refresh(); // cheap when nothing changed: the index is rebuilt only when a record file did
    }
  });
  return {
    commands: { 'rftStudio.openRecordsBrowser': onDataset(ctx, (dir) => ctx.panels.records.show(ctx.extension, dir, host)) },
    restore: { 'rftStudio.records': (panel, state) => ctx.panels.records.restore(panel, state, ctx.extension, host) },
    disposables: [onRegistryChange],
  } satisfies Step;
}
