import * as vscode from 'vscode';
import { RecordCodeActions, REMOVE_BOM_COMMAND, removeBom } from './codeActions';
import { DatasetSettings } from './datasetSettings';
import { registerDatasetCommands } from './datasets/datasetCommands';
import { DatasetRegistry } from './datasets/datasetRegistry';
import { datasetDirOf, PipelineTree, registerRowClicks, type PipelineNode } from './datasets/pipelineTree';
import { registerDeployCommands } from './deploy/deployCommands';
import { registerDryRunCommands } from './dryrun/dryRunCommands';
import { dryRunCore } from './dryrun/dryRunCore';
import { newDatasetFromTraces, pullNewTraces } from './extract/traceWizard';
import { registerGenerateCommands } from './generate/generateCommands';
import { generateCore } from './generate/generateCore';
import { registerGraderCommands } from './grader/graderCommands';
import { testModelConnection } from './llm/chatProvider';
import { ProviderSettings } from './llm/providerSettings';
import { registerRecordsCommands } from './records/recordsCommands';
import { LabelIndex } from './topics/labelIndex';
import { registerTopicCommands } from './topics/topicsCommands';
import { registerTrainCommands } from './train/trainCommands';
import { trainCore } from './train/trainCore';
import { guarded } from './ui';
import { HealthReportProvider, REPORT_SCHEME } from './healthReport';
import { RecordHover } from './hover';
import { isJsonlDocument, JsonlValidation } from './jsonlValidation';
import { HealthStatusBar } from './statusBar';

const JSONL: vscode.DocumentSelector = [{ language: 'jsonl' }, { pattern: '**/*.jsonl' }];

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('RFT Studio', { log: true });
  const settings = new DatasetSettings(log);
  const validation = new JsonlValidation(settings, log);
  const reports = new HealthReportProvider();
  const registry = new DatasetRegistry(log);
  const providers = new ProviderSettings(context.secrets, log);
  const pipelineView = vscode.window.createTreeView<PipelineNode>('rftStudio.pipeline', { treeDataProvider: new PipelineTree(registry), showCollapseAll: true });
  context.subscriptions.push(
    log,
    settings,
    validation,
    registry,
    pipelineView,
    registerRowClicks(pipelineView),
    ...registerDatasetCommands(registry, log),
    ...registerTopicCommands(context, registry, providers, log),
    ...registerGraderCommands(context, registry, providers, log),
    ...registerDryRunCommands(context, registry, providers, log, dryRunCore),
    ...registerTrainCommands(context, registry, providers, log, trainCore, dryRunCore),
    ...registerDeployCommands(context, registry, providers, log),
    ...registerRecordsCommands(context, registry, log),
    ...registerGenerateCommands(context, registry, providers, log, generateCore),
    guarded('rftStudio.newDatasetFromTraces', log, () => newDatasetFromTraces(registry, providers, context.secrets)),
    guarded('rftStudio.pullTraces', log, async (target) => {
      const dir = datasetDirOf(target, registry) ?? registry.list()[0]?.dir;
      if (dir) await pullNewTraces(dir, registry, providers, context.secrets);
    }),
    vscode.commands.registerCommand('rftStudio.setApiKey', () => providers.setApiKey()),
    vscode.commands.registerCommand('rftStudio.getStarted', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#rftStudio.gettingStarted`, false)),
    guarded('rftStudio.testModelConnection', log, () => testModelConnection(providers)),
    new HealthStatusBar(validation, registry),
    vscode.languages.registerCodeActionsProvider(JSONL, new RecordCodeActions(validation), { providedCodeActionKinds: RecordCodeActions.kinds }),
    vscode.languages.registerHoverProvider(JSONL, new RecordHover(validation, new LabelIndex(registry))),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.commands.registerCommand(REMOVE_BOM_COMMAND, (uri: vscode.Uri) => removeBom(uri)),
    vscode.commands.registerCommand('rftStudio.validateFile', () => validateActiveFile(validation, reports)),
    vscode.commands.registerCommand('rftStudio.showHealthReport', () => showHealthReport(validation, reports)),
  );
  void registry.refreshAll();
}

export function deactivate(): void {}

function activeJsonlDocument(): vscode.TextDocument | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document && isJsonlDocument(document)) return document;
  void vscode.window.showInformationMessage('Open a .jsonl file first: RFT validates the active JSONL editor.');
  return undefined;
}

async function validateActiveFile(validation: JsonlValidation, reports: HealthReportProvider): Promise<void> {
  const document = activeJsonlDocument();
  if (!document) return;
  const model = await validation.open(document);
  if (!model) return;
  const c = model.counts();
  const summary = `${vscode.workspace.asRelativePath(document.uri)}: ${c.valid.toLocaleString('en-US')} valid, ${c.invalid.toLocaleString('en-US')} invalid, ${c.duplicates.toLocaleString('en-US')} duplicates, ${c.warnings.toLocaleString('en-US')} with warnings.`;
  const choice = await vscode.window.showInformationMessage(summary, 'Show Health Report', 'Open Problems');
  if (choice === 'Show Health Report') await reports.show(document, model);
  if (choice === 'Open Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
}

async function showHealthReport(validation: JsonlValidation, reports: HealthReportProvider): Promise<void> {
  const document = activeJsonlDocument();
  if (!document) return;
  const model = validation.model(document) ?? (await validation.open(document));
  if (model) await reports.show(document, model);
}
