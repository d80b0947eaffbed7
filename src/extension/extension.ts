// Activation: the pipeline tree, the JSONL diagnostics (validation, hover, code actions), the status bar, and a stub
// for every step command and panel. The step code (dist/steps.js) loads the first time a stub runs (Ctx.steps).
import * as vscode from 'vscode';
import { RecordCodeActions, removeBom } from './codeActions';
import { PANEL_VIEW_TYPES, STEP_COMMANDS, type ActivationCommandId } from './commandTable';
import { Ctx } from './ctx';
import { DatasetSettings } from './datasetSettings';
import { pickDataset } from './datasets/pickDataset';
import { openSelectedRow, PipelineTree, type PipelineNode } from './datasets/pipelineTree';
import { viewIssues } from './datasets/viewIssues';
import { HealthReportProvider, REPORT_SCHEME } from './healthReport';
import { RecordHover } from './hover';
import { isJsonlDocument, JsonlValidation } from './jsonlValidation';
import { HealthStatusBar } from './statusBar';
import { categorizeOnTopicsSave } from './topics/categorizeOnSave';
import { LabelIndex } from './topics/labelIndex';
import { resumeTrainingMonitoring } from './train/resumeTraining';
import { guard, guarded } from './ui';

const JSONL: vscode.DocumentSelector = [{ language: 'jsonl' }, { pattern: '**/*.jsonl' }];

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  const { log, registry } = ctx;
  const settings = new DatasetSettings(log);
  const validation = new JsonlValidation(settings, log);
  const reports = new HealthReportProvider();
  const pipelineView = vscode.window.createTreeView<PipelineNode>('rftStudio.pipeline', { treeDataProvider: new PipelineTree(registry), showCollapseAll: true });
  const commands = {
    'rftStudio.validateFile': () => validateActiveFile(validation, reports),
    'rftStudio.showHealthReport': () => showHealthReport(validation, reports),
    'rftStudio.removeBom': (uri: vscode.Uri) => removeBom(uri),
    'rftStudio.viewIssues': guard('rftStudio.viewIssues', log, async (target) => {
      const dir = await pickDataset(target, registry);
      if (dir) await viewIssues(dir, registry);
    }),
    'rftStudio.refresh': guard('rftStudio.refresh', log, () => registry.refreshAll()),
    'rftStudio.setApiKey': () => ctx.providers.setApiKey(),
    'rftStudio.getStarted': () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#rftStudio.gettingStarted`, false),
    'rftStudio.openSelectedRow': openSelectedRow(pipelineView),
  } satisfies Record<ActivationCommandId, (...args: never[]) => unknown>;
  ctx.subscribe(
    settings,
    validation,
    pipelineView,
    ...Object.entries(commands).map(([id, command]) => vscode.commands.registerCommand(id, command)),
    ...registerStepStubs(ctx),
    categorizeOnTopicsSave(ctx),
    resumeTrainingMonitoring(ctx),
    new HealthStatusBar(validation, registry),
    vscode.languages.registerCodeActionsProvider(JSONL, new RecordCodeActions(validation), { providedCodeActionKinds: RecordCodeActions.kinds }),
    vscode.languages.registerHoverProvider(JSONL, new RecordHover(validation, new LabelIndex(registry))),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
  );
  void registry.refreshAll();
}

export function deactivate(): void {}

/**
 * Every step command as a stub that loads the step code and runs it (failures logged and shown, as `guarded`
 * does), and every panel's serializer as one that loads it and gives the restored panel to its step.
 */
function registerStepStubs(ctx: Ctx): vscode.Disposable[] {
  return [
    ...STEP_COMMANDS.map((id) => guarded(id, ctx.log, (target) => ctx.steps().run(id, target))),
    ...PANEL_VIEW_TYPES.map((viewType) =>
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: (panel, state: unknown) => Promise.resolve().then(() => ctx.steps().restore(viewType, panel, state)),
      }),
    ),
  ];
}

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
