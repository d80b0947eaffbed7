// Step 5 in VS Code: the dry-run results panel wired to src/core/dryrun, and the commands of the tree and palette
// (Run Dry Run…, Open Dry-Run Results). The base model and the judge come from the provider layer, as for the
// grader editor (graderModels.ts). The work is the core's; this is the glue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CostEstimate, DryRunApi } from '../../core/dryrun/dryRunTypes';
import { runStaleness, type StalenessFacts } from '../../core/dryrun/staleness';
import { createGradingEngine } from '../../core/grader/engine';
import { GRADER_FILE, readGraderFile } from '../../core/grader/graderFile';
import type { Grader } from '../../core/grader/graderSchema';
import type { ModelClient } from '../../core/llm/modelClient';
import { needsJudge, type GraderJson } from '../../shared/graderProtocol';
import { pickDataset } from '../datasets/datasetCommands';
import type { DatasetRegistry } from '../datasets/datasetRegistry';
import { baseModelAnswerer, graderJudge } from '../grader/graderModels';
import type { ProviderSettings } from '../llm/providerSettings';
import { guarded } from '../ui';
import { DryRunPanel, type DryRunHost, type DryRunRequest } from './dryRunPanel';
import { runSummaryView, runView } from './dryRunView';

/** What the commands need of src/core/dryrun: its API and the estimate before a run. */
export interface DryRunCore extends DryRunApi {
  estimate(dir: string, options: { n: number; samplesPerPrompt: number; model: string }): Promise<{ samples: number; estimate: CostEstimate; text: string }>;
  /** What runStaleness compares a run with (the grader's hash, the records' modification times). */
  stalenessFacts(dir: string): Promise<StalenessFacts>;
}

const UNTRUSTED = 'This workspace is not trusted: a dry run calls the base model (and the grader’s judges and scripts), which do not run in an untrusted workspace. Trust the workspace to run it.';
const DEFAULT_N = 300;
const MAX_N = 100_000;
const MAX_K = 16;

const asJson = (grader: Grader): GraderJson => grader;

export function registerDryRunCommands(context: vscode.ExtensionContext, registry: DatasetRegistry, providers: ProviderSettings, log: vscode.LogOutputChannel, core: DryRunCore): vscode.Disposable[] {
  const datasetName = (dir: string) => registry.get(dir)?.state.name ?? path.basename(dir);
  const nodeOf = (dir: string) => ({ kind: 'dataset', dir });
  const host: DryRunHost = {
    load: async (dir) => {
      const runs = await core.listRuns(dir);
      const [newest, before] = runs;
      // the rule step 5 uses: stale when grader.json or the records changed since the run started
      const newestRun = newest ? await core.readRun(newest.path) : undefined;
      const run = newest && newestRun ? runView(newest.path, newestRun, runStaleness(newestRun, await core.stalenessFacts(dir))) : undefined;
      const previous = before ? runSummaryView(before.path, await core.readRun(before.path)) : undefined;
      const cannotRunReason = !vscode.workspace.isTrusted ? UNTRUSTED : fs.existsSync(path.join(dir, GRADER_FILE)) ? undefined : 'There is no grader yet: define one in step 4 (Edit Grader) first.';
      return {
        dataset: datasetName(dir),
        datasetDir: dir,
        ...(run ? { run } : {}),
        ...(previous ? { previous } : {}),
        canRun: cannotRunReason === undefined,
        ...(cannotRunReason ? { cannotRunReason } : {}),
      };
    },
    ask: (dir) => askRequest(dir),
    run: async (dir, request, signal, onProgress) => {
      const loaded = await readGraderFile(dir);
      if (!loaded) throw new Error('There is no grader.json yet: define the grader in step 4 first.');
      const judge = needsJudge(asJson(loaded.grader)) ? await graderJudge(providers) : undefined;
      if (needsJudge(asJson(loaded.grader)) && !judge) throw new Error('This grader asks an LLM judge, and no model provider is configured: RFT: Set API Key (or a local base URL), or set rftStudio.provider.chat to "vscode-lm".');
      const engine = createGradingEngine({ judge, trusted: vscode.workspace.isTrusted });
      try {
        const chat = vscode.workspace.getConfiguration('rftStudio.provider').get<string>('chat', 'api');
        let client: ModelClient | undefined;
        let answerer;
        if (chat === 'vscode-lm') {
          answerer = await baseModelAnswerer(providers);
          if (!answerer) throw new Error('No VS Code language model is available to answer the prompts.');
        } else {
          const provider = await providers.provider();
          if (!provider) throw new Error('No model provider is configured: RFT: Set API Key (or a local base URL in rftStudio.provider.baseUrl).');
          client = providers.client(provider);
        }
        log.info(`Dry run in ${dir}: ${request.n} prompts × ${request.samplesPerPrompt} from ${request.model}`);
        const result = await core.runDryRun(dir, { client, answerer, model: request.model, n: request.n, samplesPerPrompt: request.samplesPerPrompt, engine, signal, onProgress });
        const { file } = result;
        log.info(`Dry run ${path.basename(result.path)}: ${file.status}, ${file.decision ?? 'no decision'}, mean ${file.stats.mean?.toFixed(3) ?? '—'} over ${file.stats.scored} scored, ${file.stats.errors} errors`);
      } finally {
        await engine.dispose();
        void registry.refresh(dir);
      }
    },
    adjustGrader: async (dir) => {
      await vscode.commands.executeCommand('rftStudio.editGrader', nodeOf(dir));
    },
    reviewDataset: async (dir) => {
      const coverage = registry.get(dir)?.state.steps.find((step) => step.id === 'coverage');
      await vscode.commands.executeCommand(coverage && coverage.status !== 'waiting' ? 'rftStudio.openCoverage' : 'rftStudio.openRecords', nodeOf(dir));
    },
    startTraining: async (dir) => {
      await vscode.commands.executeCommand('rftStudio.startTraining', nodeOf(dir));
    },
    openRecord: (file, line) => openAt(file, line),
  };

  /** N, K and the model, the estimate, and a confirmation; undefined when the user backed out or a run cannot start. */
  async function askRequest(dir: string): Promise<DryRunRequest | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(`RFT: ${UNTRUSTED}`);
      return undefined;
    }
    if (!fs.existsSync(path.join(dir, GRADER_FILE))) {
      const choice = await vscode.window.showWarningMessage('RFT: a dry run scores the base model’s answers with the grader, and this dataset has none yet.', 'Edit Grader');
      if (choice) await vscode.commands.executeCommand('rftStudio.editGrader', nodeOf(dir));
      return undefined;
    }
    const config = vscode.workspace.getConfiguration('rftStudio.provider');
    const viaLm = config.get<string>('chat', 'api') === 'vscode-lm';
    if (!viaLm && !(await providers.provider())) return undefined; // told why
    const title = `Run Dry Run — ${datasetName(dir)}`;
    const nText = await vscode.window.showInputBox({
      title: `${title} (1/3)`,
      prompt: 'Prompts to sample (stratified by topic; 200–500 recommended). A dataset with fewer valid records uses them all.',
      value: String(DEFAULT_N),
      ignoreFocusOut: true,
      validateInput: (text) => (isIntegerIn(text, 1, MAX_N) ? undefined : `A whole number from 1 to ${MAX_N.toLocaleString('en-US')}.`),
    });
    if (nText === undefined) return undefined;
    const kText = await vscode.window.showInputBox({
      title: `${title} (2/3)`,
      prompt: 'Answers per prompt (K). 1 is the default; 4 is recommended: with K ≥ 2 the run measures the prompts whose answers all score the same (no learning signal for GRPO).',
      value: '1',
      ignoreFocusOut: true,
      validateInput: (text) => (isIntegerIn(text, 1, MAX_K) ? undefined : `A whole number from 1 to ${MAX_K}.`),
    });
    if (kText === undefined) return undefined;
    const defaultModel = config.get<string>('chatModel', 'gpt-4o-mini') || 'gpt-4o-mini';
    const model = viaLm
      ? `${config.get<string>('languageModelFamily') || 'VS Code language model'} (vscode.lm)`
      : await vscode.window.showInputBox({ title: `${title} (3/3)`, prompt: 'The base model that answers the prompts (the model you would fine-tune).', value: defaultModel, ignoreFocusOut: true, validateInput: (text) => (text.trim() ? undefined : 'Name the base model.') });
    if (model === undefined) return undefined;
    const request: DryRunRequest = { n: Number(nText), samplesPerPrompt: Number(kText), model: model.trim() };
    const answers = `${request.n.toLocaleString('en-US')} prompts × ${request.samplesPerPrompt} = up to ${(request.n * request.samplesPerPrompt).toLocaleString('en-US')} answers from ${request.model}, each scored by the grader.`;
    const estimate = `${(await core.estimate(dir, request)).text}.`;
    const choice = await vscode.window.showInformationMessage(`Run a dry run on ${datasetName(dir)}?`, { modal: true, detail: `${answers}\n${estimate}\nResults are written as they arrive; Stop keeps what was answered.` }, 'Run');
    return choice === 'Run' ? request : undefined;
  }

  const onDataset = (id: string, action: (dir: string) => Thenable<unknown> | Promise<unknown>) =>
    guarded(id, log, async (target) => {
      const dir = await pickDataset(target, registry);
      if (dir) await action(dir);
    });
  const show = (dir: string) => DryRunPanel.panels.show(context, dir, host);
  return [
    DryRunPanel.panels.registerSerializer(context, host),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void DryRunPanel.panels.refreshEvery()),
    onDataset('rftStudio.openDryRun', async (dir) => show(dir)),
    onDataset('rftStudio.runDryRun', async (dir) => {
      if (DryRunPanel.isRunning(dir)) {
        show(dir);
        void vscode.window.showInformationMessage('RFT: a dry run of this dataset is in progress; Stop it in the panel to start another.');
        return;
      }
      const request = await askRequest(dir);
      if (request) show(dir).start(request);
    }),
  ];
}

function isIntegerIn(text: string, min: number, max: number): boolean {
  if (!/^\s*\d+\s*$/.test(text)) return false;
  const n = Number(text);
  return n >= min && n <= max;
}

async function openAt(file: string, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
}
