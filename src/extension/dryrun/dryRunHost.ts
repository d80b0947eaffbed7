// Step 5 in VS Code: the dry-run results panel's host wired to src/core/dryrun, and the questions before a run
// (N, K, the model, the estimate). The base model and the judge come from the provider layer, as for the grader
// editor (graderModels.ts). The work is the core's; this is the glue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runStaleness } from '../../core/dryrun/staleness';
import { createGradingEngine } from '../../core/grader/engine';
import { GRADER_FILE } from '../../core/grader/graderFile';
import type { Grader } from '../../core/grader/graderSchema';
import type { ModelClient } from '../../core/llm/modelClient';
import { needsJudge, type GraderJson } from '../../shared/graderProtocol';
import { datasetTarget, executeCommand } from '../commands';
import type { Ctx } from '../ctx';
import { modelClient } from '../llm/modelClient';
import { baseModelAnswerer, graderJudge } from '../grader/graderModels';
import { cannotRunReason, NO_JUDGE_OR_LANGUAGE_MODEL, requireGrader, requireProvider, trustedOrWarn } from '../preconditions';
import { openAtLine } from '../ui';
import type { DryRunCore } from './dryRunCore';
import type { DryRunHost, DryRunRequest } from './dryRunPanel';
import { runSummaryView, runView } from './dryRunView';

const DEFAULT_N = 300;
const MAX_N = 100_000;
const MAX_K = 16;

const asJson = (grader: Grader): GraderJson => grader;

/** The panel's host, and `askRequest` for Run Dry Run… (the command asks the same questions). */
export function dryRunHost(ctx: Ctx, core: DryRunCore): { host: DryRunHost; askRequest(dir: string): Promise<DryRunRequest | undefined> } {
  const { registry, log } = ctx;
  const datasetName = (dir: string) => ctx.datasetName(dir);
  const host: DryRunHost = {
    load: async (dir) => {
      const runs = await core.listRuns(dir);
      const [newest, before] = runs;
      // the rule step 5 uses: stale when grader.json or the records changed since the run started
      const newestRun = newest ? await core.readRun(newest.path) : undefined;
      const run = newest && newestRun ? runView(newest.path, newestRun, runStaleness(newestRun, await core.stalenessFacts(dir))) : undefined;
      const previous = before ? runSummaryView(before.path, await core.readRun(before.path)) : undefined;
      const reason = cannotRunReason(ctx, 'dryRun', dir);
      return {
        dataset: datasetName(dir),
        datasetDir: dir,
        ...(run ? { run } : {}),
        ...(previous ? { previous } : {}),
        canRun: reason === undefined,
        ...(reason ? { cannotRunReason: reason } : {}),
      };
    },
    ask: (dir) => askRequest(dir),
    run: async (dir, request, signal, onProgress) => {
      const loaded = await requireGrader(dir);
      const judge = needsJudge(asJson(loaded.grader)) ? await graderJudge(ctx) : undefined;
      if (needsJudge(asJson(loaded.grader)) && !judge) throw new Error(NO_JUDGE_OR_LANGUAGE_MODEL);
      const engine = createGradingEngine({ judge, trusted: ctx.trusted });
      try {
        let client: ModelClient | undefined;
        let answerer;
        if (ctx.config.chat === 'vscode-lm') {
          answerer = await baseModelAnswerer(ctx);
          if (!answerer) throw new Error('No VS Code language model is available to answer the prompts.');
        } else {
          client = modelClient(ctx, await requireProvider(ctx));
        }
        log.info(`Dry run in ${dir}: ${request.n} prompts × ${request.samplesPerPrompt} from ${request.model}`);
        const result = await core.runDryRun(dir, { client, answerer, model: request.model, n: request.n, samplesPerPrompt: request.samplesPerPrompt, engine, signal, onProgress });
        const { file } = result;
        log.info(
          `Dry run ${path.basename(result.path)}: ${file.status}, ${file.decision ?? 'no decision'}, mean ${file.stats.mean?.toFixed(3) ?? '—'} over ${file.stats.scored} scored, ${file.stats.errors} errors`,
        );
      } finally {
        await engine.dispose();
        void registry.refresh(dir);
      }
    },
    adjustGrader: async (dir) => {
      await executeCommand('rftStudio.editGrader', datasetTarget(dir));
    },
    reviewDataset: async (dir) => {
      const coverage = registry.get(dir)?.state.steps.find((step) => step.id === 'coverage');
      await executeCommand(coverage && coverage.status !== 'waiting' ? 'rftStudio.openCoverage' : 'rftStudio.openRecords', datasetTarget(dir));
    },
    startTraining: async (dir) => {
      await executeCommand('rftStudio.startTraining', datasetTarget(dir));
    },
    openRecord: (file, line) => openAtLine(file, line),
  };

  /** N, K and the model, the estimate, and a confirmation; undefined when the user backed out or a run cannot start. */
  async function askRequest(dir: string): Promise<DryRunRequest | undefined> {
    if (!trustedOrWarn(ctx, 'dryRun')) return undefined;
    if (!fs.existsSync(path.join(dir, GRADER_FILE))) {
      const choice = await vscode.window.showWarningMessage('RFT: a dry run scores the base model’s answers with the grader, and this dataset has none yet.', 'Edit Grader');
      if (choice) await executeCommand('rftStudio.editGrader', datasetTarget(dir));
      return undefined;
    }
    const { config } = ctx;
    const viaLm = config.chat === 'vscode-lm';
    if (!viaLm && !(await ctx.providers.provider())) return undefined; // told why
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
    const model = viaLm
      ? `${config.languageModelFamily ?? 'VS Code language model'} (vscode.lm)`
      : await vscode.window.showInputBox({
          title: `${title} (3/3)`,
          prompt: 'The base model that answers the prompts (the model you would fine-tune).',
          value: config.chatModel,
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() ? undefined : 'Name the base model.'),
        });
    if (model === undefined) return undefined;
    const request: DryRunRequest = { n: Number(nText), samplesPerPrompt: Number(kText), model: model.trim() };
    const answers = `${request.n.toLocaleString('en-US')} prompts × ${request.samplesPerPrompt} = up to ${(request.n * request.samplesPerPrompt).toLocaleString('en-US')} answers from ${request.model}, each scored by the grader.`;
    const estimate = `${(await core.estimate(dir, request)).text}.`;
    const choice = await vscode.window.showInformationMessage(
      `Run a dry run on ${datasetName(dir)}?`,
      { modal: true, detail: `${answers}\n${estimate}\nResults are written as they arrive; Stop keeps what was answered.` },
      'Run',
    );
    return choice === 'Run' ? request : undefined;
  }

  return { host, askRequest };
}

function isIntegerIn(text: string, min: number, max: number): boolean {
  if (!/^\s*\d+\s*$/.test(text)) return false;
  const n = Number(text);
  return n >= min && n <= max;
}
