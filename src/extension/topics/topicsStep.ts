// Steps 2 and 3 in VS Code: generate/regenerate topics, categorize, edit the tree, the coverage dashboard.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TOPICS_FILE } from '../../core/dataset/manifest';
import { categorizeDataset } from '../../core/topics/categorize';
import { addTopic, deleteTopic, moveTopic, renameTopic, type TopicEdit } from '../../core/topics/topicEdits';
import { leafPaths, readTopicsFile, type TopicsFile } from '../../core/topics/topicsFile';
import { applyTopicEdit, datasetCoverage, exportTopics, importTopics, recordsFor, setCoverageTargets } from '../../core/topics/topicsPipeline';
import { datasetTarget, executeCommand } from '../commands';
import type { CoverageHost } from '../coverage/coveragePanel';
import type { Ctx } from '../ctx';
import { onDataset, type CommandHandler, type Step } from '../step';
import { openAtLine, withProgress } from '../ui';
import { askName, generate, pickTopicPath, setRecordTopic, viewLowConfidence } from './topicsCommands';

const NO_TOPICS = 'This dataset has no topics yet: run "RFT: Generate Topics".';

/** The step, and Categorize for the save of topics.json (categorizeOnSave.ts). */
export function topicsStep(ctx: Ctx) {
  const { registry, log } = ctx;
  const afterChange = async (dir: string) => {
    await registry.refresh(dir);
    await ctx.panels.coverage.refresh(dir);
  };
  /** The dashboard refreshes itself after what it asked for; `fromPanel` keeps it from being refreshed twice. */
  const categorize = (dir: string, fromPanel = false) =>
    withProgress('RFT: Categorizing records', async (signal, report) => {
      const result = await categorizeDataset(dir, { signal, onProgress: report });
      log.info(`categorized ${dir}: ${JSON.stringify(result)}`);
      await (fromPanel ? registry.refresh(dir) : afterChange(dir));
      return result;
    });
  const host: CoverageHost = {
    coverage: async (dir) => {
      const report = await datasetCoverage(dir);
      if (!report) throw new Error(NO_TOPICS);
      return { report, dataset: registry.list().find((entry) => entry.dir === dir)?.state.name ?? path.basename(dir), canGenerate: ctx.trusted };
    },
    generate: async (dir, topicPath, count) => void (await executeCommand('rftStudio.generateSamples', { ...datasetTarget(dir), topic: topicPath, count })),
    records: (dir, filter) => recordsFor(dir, filter),
    setTargets: async (dir, targets) => {
      await setCoverageTargets(dir, targets);
      await registry.refresh(dir);
    },
    categorize: async (dir) => void (await categorize(dir, true)),
    openRecord: (file, line) => openAtLine(file, line),
  };
  /** A topic edit: the pickers' edit applied to topics.json, then the records categorized again. */
  const edit = (run: (topics: TopicsFile, dir: string) => Promise<TopicEdit | undefined>): CommandHandler =>
    onDataset(ctx, async (dir) => {
      const topics = await readTopicsFile(dir);
      if (!topics) throw new Error(NO_TOPICS);
      const result = await run(topics, dir);
      if (!result) return;
      await applyTopicEdit(dir, result);
      await categorize(dir);
    });
  return {
    commands: {
      'rftStudio.generateTopics': onDataset(ctx, (dir) => generate(ctx, dir, afterChange)),
      'rftStudio.categorize': onDataset(ctx, (dir) => categorize(dir)),
      'rftStudio.openCoverage': onDataset(ctx, (dir) => ctx.panels.coverage.show(ctx.extension, dir, host)),
      'rftStudio.viewLowConfidence': onDataset(ctx, (dir) => viewLowConfidence(dir)),
      'rftStudio.editTopics': onDataset(ctx, (dir) => vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, TOPICS_FILE)))),
      'rftStudio.exportTopics': onDataset(ctx, async (dir) => {
        const target = await vscode.window.showSaveDialog({ title: 'Export Topics', defaultUri: vscode.Uri.file(path.join(dir, 'topics-export.json')), filters: { JSON: ['json'] } });
        if (target) await exportTopics(dir, target.fsPath);
      }),
      'rftStudio.importTopics': onDataset(ctx, async (dir) => {
        const [file] = (await vscode.window.showOpenDialog({ title: 'Import Topics', canSelectMany: false, filters: { JSON: ['json'] } })) ?? [];
        if (!file) return;
        const keep = await vscode.window.showQuickPick(
          [
            { label: 'Keep assignments', keep: true, detail: 'Records keep their topic where the leaf still exists.' },
            { label: 'Clear assignments', keep: false, detail: 'Automatic labels are cleared (manual ones stay) and records are categorized again.' },
          ],
          { title: 'Import Topics' },
        );
        if (!keep) return;
        await importTopics(dir, file.fsPath, { keepAssignments: keep.keep });
        await categorize(dir);
      }),
      'rftStudio.addTopic': edit(async (topics) => {
        const parent = await vscode.window.showQuickPick(
          [
            { label: '$(add) A new top topic', name: undefined as string | undefined },
            ...topics.topics.map((t) => ({ label: t.name, description: 'add a subtopic', name: t.name as string | undefined })),
          ],
          { title: 'Add Topic: where?' },
        );
        if (!parent) return undefined;
        const name = await askName('Add Topic: name (snake_case)', '');
        return name ? addTopic(topics, name, { parent: parent.name }) : undefined;
      }),
      'rftStudio.renameTopic': edit(async (topics) => {
        const topicPath = await pickTopicPath(topics, 'Rename Topic');
        const name = topicPath && (await askName('Rename Topic: new name', topicPath.split('/').pop() ?? ''));
        return topicPath && name ? renameTopic(topics, topicPath, name) : undefined;
      }),
      'rftStudio.deleteTopic': edit(async (topics) => {
        const topicPath = await pickTopicPath(topics, 'Delete Topic');
        if (!topicPath) return undefined;
        const ok = await vscode.window.showWarningMessage(`Delete "${topicPath}"? Its records become uncategorized until they are categorized again.`, { modal: true }, 'Delete');
        return ok === 'Delete' ? deleteTopic(topics, topicPath) : undefined;
      }),
      'rftStudio.moveTopic': edit(async (topics) => {
        const leaf = await vscode.window.showQuickPick(
          leafPaths(topics).filter((p) => p.includes('/')),
          { title: 'Move Topic: which subtopic?' },
        );
        if (!leaf) return undefined;
        const to = await vscode.window.showQuickPick(
          [
            { label: '$(arrow-up) Make it a top topic', name: undefined as string | undefined },
            ...topics.topics.filter((t) => t.name !== leaf.split('/')[0]).map((t) => ({ label: t.name, name: t.name as string | undefined })),
          ],
          { title: `Move ${leaf} under…` },
        );
        return to ? moveTopic(topics, leaf, to.name) : undefined;
      }),
      'rftStudio.setRecordTopic': () => setRecordTopic(ctx, afterChange),
    },
    restore: { 'rftStudio.coverage': (panel, state) => ctx.panels.coverage.restore(panel, state, ctx.extension, host) },
    categorize: (dir) => categorize(dir),
  } satisfies Step & { categorize(dir: string): Thenable<unknown> };
}
