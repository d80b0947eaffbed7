// Steps 2 and 3's commands that ask the user: generate topics, the low-confidence records, a record's topic, and
// the pickers of the topic edits. The work is src/core/topics'.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TOPICS_FILE } from '../../core/dataset/manifest';
import { updateLabels } from '../../core/dataset/labels';
import { templateNames } from '../../core/topics/templates';
import { leafPaths, readTopicsFile, type TopicsFile } from '../../core/topics/topicsFile';
import { generateTopics, recordsFor } from '../../core/topics/topicsPipeline';
import { recordKey } from '../../core/validation/recordKey';
import { datasetTarget, executeCommand } from '../commands';
import type { Ctx } from '../ctx';
import { openAtLine, withProgress } from '../ui';
import { modelClient } from '../llm/modelClient';

/** Generate Topics: from the data (named by keywords or the LLM) or a template, then categorized. */
export async function generate(ctx: Ctx, dir: string, afterChange: (dir: string) => Promise<void>): Promise<void> {
  const { providers, log } = ctx;
  if (fs.existsSync(path.join(dir, TOPICS_FILE))) {
    const ok = await vscode.window.showWarningMessage(
      'Regenerate topics? This replaces topics.json and clears the automatic topic assignments; manual labels are kept.',
      { modal: true },
      'Regenerate',
    );
    if (ok !== 'Regenerate') return;
  }
  const provider = ctx.trusted ? await providers.provider({ quiet: true }) : undefined; // offer the LLM option only when one is set up
  type Choice = vscode.QuickPickItem & { template?: string; llm?: boolean };
  const choices: Choice[] = [
    { label: '$(sparkle) From the data', description: 'offline', detail: 'Clusters the records with the built-in embedder and names topics by their keywords.' },
    ...(provider ? [{ label: '$(sparkle) From the data, named by the LLM', llm: true, detail: 'Same clusters; the configured chat model writes names and descriptions.' }] : []),
    ...templateNames().map((t) => ({ label: `$(list-tree) Template: ${t.title}`, template: t.name, detail: 'Start from a template and edit it; records are matched by the topics’ descriptions.' })),
  ];
  const choice = await vscode.window.showQuickPick(choices, { title: 'Generate Topics' });
  if (!choice) return;
  const leavesText = choice.template
    ? ''
    : await vscode.window.showInputBox({
        title: 'Generate Topics: how many leaf topics?',
        prompt: 'Leave empty to choose automatically',
        validateInput: (v) => (v === '' || /^[1-9]\d*$/.test(v) ? undefined : 'A whole number, or empty'),
      });
  if (leavesText === undefined) return;
  const { chatModel } = ctx.config;
  const result = await withProgress('RFT: Generating topics', (signal, report) =>
    generateTopics(dir, {
      template: choice.template,
      leaves: leavesText ? Number(leavesText) : undefined,
      labels: choice.llm ? 'llm' : 'keywords',
      client: provider && choice.llm ? modelClient(ctx, provider) : undefined,
      chatModel,
      signal,
      onProgress: report,
    }),
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
  const action = await vscode.window.showInformationMessage(
    `RFT: ${result.topics.topics.length} topics; ${result.categorized.categorized.toLocaleString('en-US')} records categorized, ${low.toLocaleString('en-US')} with low confidence.`,
    'Open Coverage',
    ...(low > 0 ? ['View Low Confidence'] : []),
  );
  if (action === 'Open Coverage') await executeCommand('rftStudio.openCoverage', datasetTarget(dir));
  if (action === 'View Low Confidence') await viewLowConfidence(dir);
}

export async function viewLowConfidence(dir: string): Promise<void> {
  const { records, total } = await recordsFor(dir, { kind: 'lowConfidence' });
  if (total === 0) {
    void vscode.window.showInformationMessage('RFT: no record is below confidence 0.7.');
    return;
  }
  const pick = await vscode.window.showQuickPick(
    records.map((record) => ({
      label: record.text.replace(/\s+/g, ' ').slice(0, 120),
      description: `${record.topic} · ${record.confidence?.toFixed(2)}`,
      detail: `${record.file}:${record.line}`,
      record,
    })),
    { title: `Low confidence: ${total.toLocaleString('en-US')} records (lowest first)`, matchOnDescription: true, matchOnDetail: true },
  );
  if (pick) await openAtLine(path.join(dir, pick.record.file), pick.record.line);
}

/** "Set Topic of Record": a manual label for the record on the cursor's line; manual labels always win. */
export async function setRecordTopic({ registry }: Ctx, afterChange: (dir: string) => Promise<void>): Promise<void> {
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

export async function pickTopicPath(topics: TopicsFile, title: string): Promise<string | undefined> {
  const items = topics.topics.flatMap((t) => [t.name, ...(t.children ?? []).map((c) => `${t.name}/${c.name}`)]);
  return vscode.window.showQuickPick(items, { title });
}

export function askName(title: string, value: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, value, validateInput: (v) => (v.trim() === '' ? 'A name is needed' : v.includes('/') ? 'No "/" in a topic name' : undefined) });
}
