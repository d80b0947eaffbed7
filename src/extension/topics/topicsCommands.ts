import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TOPICS_FILE } from '../../core/dataset/manifest';
import { updateLabels } from '../../core/dataset/labels';
import { categorizeDataset } from '../../core/topics/categorize';
import { templateNames } from '../../core/topics/templates';
import { addTopic, deleteTopic, moveTopic, renameTopic, type TopicEdit } from '../../core/topics/topicEdits';
import { leafPaths, readTopicsFile, type TopicsFile } from '../../core/topics/topicsFile';
import { applyTopicEdit, datasetCoverage, exportTopics, generateTopics, importTopics, recordsFor, setCoverageTargets } from '../../core/topics/topicsPipeline';
import { recordKey } from '../../core/validation/recordKey';
import { CoveragePanel, type CoverageHost } from '../coverage/coveragePanel';
import type { DatasetRegistry } from '../datasets/datasetRegistry';
import type { ProviderSettings } from '../llm/providerSettings';
import { guarded, withProgress } from '../ui';
import { pickDataset } from '../datasets/datasetCommands';

/** Step 2 and 3 in VS Code: generate/regenerate topics, categorize, edit the tree, the coverage dashboard. */
export function registerTopicCommands(context: vscode.ExtensionContext, registry: DatasetRegistry, providers: ProviderSettings, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const afterChange = async (dir: string) => {
    await registry.refresh(dir);
    await CoveragePanel.panels.refresh(dir);
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
      if (!report) throw new Error('This dataset has no topics yet: run "RFT: Generate Topics".');
      return { report, dataset: registry.list().find((entry) => entry.dir === dir)?.state.name ?? path.basename(dir), canGenerate: vscode.workspace.isTrusted };
    },
    generate: async (dir, topicPath, count) => void (await vscode.commands.executeCommand('rftStudio.generateSamples', { kind: 'dataset', dir, topic: topicPath, count })),
    records: (dir, filter) => recordsFor(dir, filter),
    setTargets: async (dir, targets) => {
      await setCoverageTargets(dir, targets);
      await registry.refresh(dir);
    },
    categorize: async (dir) => void (await categorize(dir, true)),
    openRecord: (file, line) => openAt(file, line),
  };
  const onDataset = (id: string, action: (dir: string) => Thenable<unknown>) =>
    guarded(id, log, async (target) => {
      const dir = await pickDataset(target, registry);
      if (dir) await action(dir);
    });
  const edit = (id: string, run: (topics: TopicsFile, dir: string) => Promise<TopicEdit | undefined>) =>
    onDataset(id, async (dir) => {
      const topics = await readTopicsFile(dir);
      if (!topics) throw new Error('This dataset has no topics yet: run "RFT: Generate Topics".');
      const result = await run(topics, dir);
      if (!result) return;
      await applyTopicEdit(dir, result);
      await categorize(dir);
    });
  return [
    CoveragePanel.panels.registerSerializer(context, host),
    onDataset('rftStudio.generateTopics', (dir) => generate(dir, providers, afterChange, log)),
    onDataset('rftStudio.categorize', (dir) => categorize(dir)),
    onDataset('rftStudio.openCoverage', async (dir) => CoveragePanel.panels.show(context, dir, host)),
    onDataset('rftStudio.viewLowConfidence', (dir) => viewLowConfidence(dir)),
    onDataset('rftStudio.editTopics', (dir) => vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, TOPICS_FILE)))),
    onDataset('rftStudio.exportTopics', async (dir) => {
      const target = await vscode.window.showSaveDialog({ title: 'Export Topics', defaultUri: vscode.Uri.file(path.join(dir, 'topics-export.json')), filters: { JSON: ['json'] } });
      if (target) await exportTopics(dir, target.fsPath);
    }),
    onDataset('rftStudio.importTopics', async (dir) => {
      const [file] = (await vscode.window.showOpenDialog({ title: 'Import Topics', canSelectMany: false, filters: { JSON: ['json'] } })) ?? [];
      if (!file) return;
      const keep = await vscode.window.showQuickPick([{ label: 'Keep assignments', keep: true, detail: 'Records keep their topic where the leaf still exists.' }, { label: 'Clear assignments', keep: false, detail: 'Automatic labels are cleared (manual ones stay) and records are categorized again.' }], { title: 'Import Topics' });
      if (!keep) return;
      await importTopics(dir, file.fsPath, { keepAssignments: keep.keep });
      await categorize(dir);
    }),
    edit('rftStudio.addTopic', async (topics) => {
      const parent = await vscode.window.showQuickPick([{ label: '$(add) A new top topic', name: undefined as string | undefined }, ...topics.topics.map((t) => ({ label: t.name, description: 'add a subtopic', name: t.name as string | undefined }))], { title: 'Add Topic: where?' });
      if (!parent) return undefined;
      const name = await askName('Add Topic: name (snake_case)', '');
      return name ? addTopic(topics, name, { parent: parent.name }) : undefined;
    }),
    edit('rftStudio.renameTopic', async (topics) => {
      const topicPath = await pickTopicPath(topics, 'Rename Topic');
      const name = topicPath && (await askName('Rename Topic: new name', topicPath.split('/').pop() ?? ''));
      return topicPath && name ? renameTopic(topics, topicPath, name) : undefined;
    }),
    edit('rftStudio.deleteTopic', async (topics) => {
      const topicPath = await pickTopicPath(topics, 'Delete Topic');
      if (!topicPath) return undefined;
      const ok = await vscode.window.showWarningMessage(`Delete "${topicPath}"? Its records become uncategorized until they are categorized again.`, { modal: true }, 'Delete');
      return ok === 'Delete' ? deleteTopic(topics, topicPath) : undefined;
    }),
    edit('rftStudio.moveTopic', async (topics) => {
      const leaf = await vscode.window.showQuickPick(leafPaths(topics).filter((p) => p.includes('/')), { title: 'Move Topic: which subtopic?' });
      if (!leaf) return undefined;
      const to = await vscode.window.showQuickPick([{ label: '$(arrow-up) Make it a top topic', name: undefined as string | undefined }, ...topics.topics.filter((t) => t.name !== leaf.split('/')[0]).map((t) => ({ label: t.name, name: t.name as string | undefined }))], { title: `Move ${leaf} under…` });
      return to ? moveTopic(topics, leaf, to.name) : undefined;
    }),
    guarded('rftStudio.setRecordTopic', log, () => setRecordTopic(registry, afterChange)),
    vscode.workspace.onDidSaveTextDocument((document) => {
      // "After topics are saved, categorization runs by itself."
      if (path.basename(document.uri.fsPath) !== TOPICS_FILE) return;
      const dir = registry.datasetOf(document.uri.fsPath)?.dir;
      if (dir && path.dirname(document.uri.fsPath) === dir) void categorize(dir).then(undefined, (error: Error) => void vscode.window.showErrorMessage(`RFT: cannot categorize: ${error.message}`));
    }),
  ];
}

async function generate(dir: string, providers: ProviderSettings, afterChange: (dir: string) => Promise<void>, log: vscode.LogOutputChannel): Promise<void> {
  if (fs.existsSync(path.join(dir, TOPICS_FILE))) {
    const ok = await vscode.window.showWarningMessage('Regenerate topics? This replaces topics.json and clears the automatic topic assignments; manual labels are kept.', { modal: true }, 'Regenerate');
    if (ok !== 'Regenerate') return;
  }
  const provider = vscode.workspace.isTrusted ? await providers.provider({ quiet: true }) : undefined; // offer the LLM option only when one is set up
  type Choice = vscode.QuickPickItem & { template?: string; llm?: boolean };
  const choices: Choice[] = [
    { label: '$(sparkle) From the data', description: 'offline', detail: 'Clusters the records with the built-in embedder and names topics by their keywords.' },
    ...(provider ? [{ label: '$(sparkle) From the data, named by the LLM', llm: true, detail: 'Same clusters; the configured chat model writes names and descriptions.' }] : []),
    ...templateNames().map((t) => ({ label: `$(list-tree) Template: ${t.title}`, template: t.name, detail: 'Start from a template and edit it; records are matched by the topics’ descriptions.' })),
  ];
  const choice = await vscode.window.showQuickPick(choices, { title: 'Generate Topics' });
  if (!choice) return;
  const leavesText = choice.template ? '' : await vscode.window.showInputBox({ title: 'Generate Topics: how many leaf topics?', prompt: 'Leave empty to choose automatically', validateInput: (v) => (v === '' || /^[1-9]\d*$/.test(v) ? undefined : 'A whole number, or empty') });
  if (leavesText === undefined) return;
  const chatModel = vscode.workspace.getConfiguration('rftStudio.provider').get<string>('chatModel', 'gpt-4o-mini');
  const result = await withProgress('RFT: Generating topics', (signal, report) =>
    generateTopics(dir, { template: choice.template, leaves: leavesText ? Number(leavesText) : undefined, labels: choice.llm ? 'llm' : 'keywords', client: provider && choice.llm ? providers.client(provider) : undefined, chatModel, signal, onProgress: report }),
  );
  log.info(`topics for ${dir}: ${result.topics.topics.length} topics in ${result.seconds.toFixed(1)} s; ${JSON.stringify(result.categorized)}`);
  await afterChange(dir);
  const naming = result.labelPass;
  if (naming && naming.failed > 0) {
    const what = naming.failed === naming.asked ? 'the LLM named no topic' : `${naming.failed} of ${naming.asked} topic names failed`;
    log.warn(`topics for ${dir}: ${what}; first error: ${naming.firstError}`);
    void vscode.window.showWarningMessage(`RFT: ${what} (${chatModel}: ${naming.firstError}); those topics keep their keyword names.`);
  }
  const low = result.categorized.lowConfidence;
  const action = await vscode.window.showInformationMessage(`RFT: ${result.topics.topics.length} topics; ${result.categorized.categorized.toLocaleString('en-US')} records categorized, ${low.toLocaleString('en-US')} with low confidence.`, 'Open Coverage', ...(low > 0 ? ['View Low Confidence'] : []));
  if (action === 'Open Coverage') await vscode.commands.executeCommand('rftStudio.openCoverage', { kind: 'dataset', dir });
  if (action === 'View Low Confidence') await viewLowConfidence(dir);
}

async function viewLowConfidence(dir: string): Promise<void> {
  const { records, total } = await recordsFor(dir, { kind: 'lowConfidence' });
  if (total === 0) {
    void vscode.window.showInformationMessage('RFT: no record is below confidence 0.7.');
    return;
  }
  const pick = await vscode.window.showQuickPick(
    records.map((record) => ({ label: record.text.replace(/\s+/g, ' ').slice(0, 120), description: `${record.topic} · ${record.confidence?.toFixed(2)}`, detail: `${record.file}:${record.line}`, record })),
    { title: `Low confidence: ${total.toLocaleString('en-US')} records (lowest first)`, matchOnDescription: true, matchOnDetail: true },
  );
  if (pick) await openAt(path.join(dir, pick.record.file), pick.record.line);
}

/** "Set Topic of Record": a manual label for the record on the cursor's line; manual labels always win. */
async function setRecordTopic(registry: DatasetRegistry, afterChange: (dir: string) => Promise<void>): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const dir = editor && registry.datasetOf(editor.document.uri.fsPath)?.dir;
  if (!editor || !dir) throw new Error('Put the cursor on a record of a dataset file first.');
  const text = editor.document.lineAt(editor.selection.active.line).text;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    throw new Error('This line is not a valid JSON record.');
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) throw new Error('This line is not a JSON object.');
  const topics = await readTopicsFile(dir);
  if (!topics) throw new Error('This dataset has no topics yet: run "RFT: Generate Topics".');
  const topic = await vscode.window.showQuickPick(leafPaths(topics), { title: `Topic of the record on line ${editor.selection.active.line + 1}` });
  if (!topic) return;
  await updateLabels(dir, [{ key: recordKey(record as Record<string, unknown>, text), topic, confidence: 1, method: 'manual' }]);
  await afterChange(dir);
}

async function pickTopicPath(topics: TopicsFile, title: string): Promise<string | undefined> {
  const items = topics.topics.flatMap((t) => [t.name, ...(t.children ?? []).map((c) => `${t.name}/${c.name}`)]);
  return vscode.window.showQuickPick(items, { title });
}

function askName(title: string, value: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, value, validateInput: (v) => (v.trim() === '' ? 'A name is needed' : v.includes('/') ? 'No "/" in a topic name' : undefined) });
}

async function openAt(file: string, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
}
