// Step 4 in VS Code: the grader editor panel's host, wired to src/core/grader, and New Grader from Preset's pick.
// The work is the core's; this is the glue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compileForOpenAI } from '../../core/grader/compile/openai';
import { describeGrader } from '../../core/grader/describe';
import { createGradingEngine } from '../../core/grader/engine';
import { GRADER_FILE, GraderFileError, parseGraderText, readGraderFile, resolveFiles, writeGraderFile } from '../../core/grader/graderFile';
import { STRING_CHECK_OPERATIONS, TEXT_SIMILARITY_METRICS, type Grader } from '../../core/grader/graderSchema';
import { initGrader, isPresetId, PRESET_IDS, PRESETS } from '../../core/grader/presets';
import { selfCheck } from '../../core/grader/selfCheck';
import { templateVariablesOf } from '../../core/grader/templateVariables';
import { testSample } from '../../core/grader/testSample';
import { needsJudge, needsTrust, type GraderJson, type PresetInfo, type SelfCheckView, type TestSampleRow } from '../../shared/graderProtocol';
import type { Ctx } from '../ctx';
import { NO_JUDGE_OR_LANGUAGE_MODEL, requireTrust } from '../preconditions';
import { openAtLine } from '../ui';
import { baseModelAnswerer, baseModelLabel, defaultJudgeModel, graderJudge } from './graderModels';
import type { GraderHost } from './graderPanel';
import { createScript, scriptFiles } from './graderScripts';
import { JS_TYPES_FILE } from './scriptTemplates';

// grader.json's parsed type is the protocol's plain JSON shape (a compile-time check that the two agree).
const asJson = (grader: Grader): GraderJson => grader;

export function graderHost(ctx: Ctx): GraderHost {
  const { registry, log } = ctx;
  const typesFile = path.join(ctx.extension.extensionPath, 'media', JS_TYPES_FILE);
  return {
    load: async (dir) => {
      const { grader, loadError } = await loadGrader(dir);
      return {
        dataset: ctx.datasetName(dir),
        datasetDir: dir,
        ...(grader ? { grader: asJson(grader), summary: describeGrader(grader) } : {}),
        ...(loadError ? { loadError } : {}),
        presets: presetInfos(ctx),
        variables: await templateVariablesOf(dir),
        metrics: [...TEXT_SIMILARITY_METRICS],
        operations: [...STRING_CHECK_OPERATIONS],
        defaultModel: defaultJudgeModel(ctx),
        trusted: ctx.trusted,
        ...(await optional(baseModelLabel(ctx), 'baseModel')),
      };
    },
    compile: async (dir, draft) => {
      let grader: Grader;
      try {
        grader = parseGraderText(JSON.stringify(draft), GRADER_FILE);
      } catch (error) {
        if (error instanceof GraderFileError) return { valid: false, error: error.message, problems: [] };
        throw error;
      }
      const compiled = await compileForOpenAI(grader, { baseDir: dir });
      const azure = await compileForOpenAI(grader, { baseDir: dir, target: 'azure' });
      const azureOnly = azure.problems.filter((problem) => !compiled.problems.some((known) => known.path === problem.path));
      return { valid: true, summary: describeGrader(grader), ...(compiled.grader ? { openai: compiled.grader } : {}), problems: [...compiled.problems, ...azureOnly] };
    },
    save: async (dir, draft) => {
      const grader = parseGraderText(JSON.stringify(draft), GRADER_FILE);
      for (const script of scriptFiles(grader)) await createScript(dir, script.kind, script.file, undefined, typesFile);
      await writeGraderFile(dir, grader);
      log.info(`grader.json saved in ${dir}: ${describeGrader(grader)}`);
      void registry.refresh(dir);
      return { grader: asJson(grader), summary: describeGrader(grader) };
    },
    usePreset: async (dir, preset) => {
      if (!isPresetId(preset)) throw new Error(`Unknown preset "${preset}": one of ${PRESET_IDS.join(', ')}.`);
      if (!(await usePreset(ctx, dir, preset))) return false;
      void registry.refresh(dir);
      return true;
    },
    openScript: async (dir, kind, file, source) => {
      const full = await createScript(dir, kind, file, source, typesFile);
      await vscode.window.showTextDocument(vscode.Uri.file(full), { viewColumn: vscode.ViewColumn.Beside, preview: false });
    },
    openGraderFile: async (dir) => {
      const file = path.join(dir, GRADER_FILE);
      if (!fs.existsSync(file)) {
        void vscode.window.showInformationMessage('RFT: there is no grader.json yet: use a preset, or choose a kind and Save.');
        return;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.Beside, preview: false });
    },
    testSample: async (dir, { from, typed, draft }, signal) => {
      const grader = await graderToRun(dir, draft);
      return runEngine(ctx, grader, async (engine) => {
        const answerer = from === 'model' ? await baseModelAnswerer(ctx) : undefined;
        if (from === 'model' && !answerer) throw new Error('No base model is configured: set a provider (RFT: Set API Key), or test on the reference answers.');
        const result = await testSample(dir, { engine, grader, count: 5, answerer, typedAnswer: from === 'typed' ? (typed ?? '') : undefined, signal });
        log.info(`Test Sample in ${dir}: mean ${result.mean.toFixed(3)} over ${result.rows.length} records (${from})`);
        return { rows: result.rows.map(rowView), mean: result.mean };
      });
    },
    selfCheck: async (dir, draft, signal) => {
      const grader = await graderToRun(dir, draft);
      return runEngine(ctx, grader, async (engine) => {
        const report = await selfCheck(dir, { engine, grader, signal });
        log.info(`Self-check in ${dir}: ${report.verdict}, AUC ${report.auc}`);
        const view: SelfCheckView = { references: report.references, controls: report.controls, auc: report.auc, verdict: report.verdict, findings: report.findings };
        return view;
      });
    },
    openRecord: (file, line) => openAtLine(file, line),
  };
}

/** Quick pick of the presets, then grader.json from it; false when the user backed out. */
export async function newFromPreset(ctx: Ctx, dir: string): Promise<boolean> {
  const picked = await vscode.window.showQuickPick(
    presetInfos(ctx).map((preset) => ({ label: preset.title, description: preset.summary, detail: preset.description, id: preset.id })),
    { title: `New Grader from Preset — ${ctx.datasetName(dir)}`, placeHolder: 'How should model outputs be scored?' },
  );
  if (!picked || !isPresetId(picked.id)) return false;
  if (!(await usePreset(ctx, dir, picked.id))) return false;
  await ctx.registry.refresh(dir);
  return true;
}

/** grader.json, or why it cannot be read; a grader whose script file is missing is still returned, with the error. */
async function loadGrader(dir: string): Promise<{ grader?: Grader; loadError?: string }> {
  try {
    return { grader: (await readGraderFile(dir))?.grader };
  } catch (error) {
    if (!(error instanceof GraderFileError)) throw error;
    try {
      return { grader: parseGraderText(await fs.promises.readFile(path.join(dir, GRADER_FILE), 'utf8')), loadError: error.message };
    } catch {
      return { loadError: error.message };
    }
  }
}

/** A preset's grader.json (and its script files), after asking before anything is replaced. */
async function usePreset(ctx: Ctx, dir: string, preset: (typeof PRESET_IDS)[number]): Promise<boolean> {
  const built = PRESETS[preset].build({ model: defaultJudgeModel(ctx) });
  const exists = fs.existsSync(path.join(dir, GRADER_FILE));
  if (exists) {
    const replaced = [GRADER_FILE, ...Object.keys(built.files).filter((file) => fs.existsSync(path.join(dir, file)))];
    const choice = await vscode.window.showWarningMessage(
      `Replace the grader with the "${PRESETS[preset].title}" preset?`,
      { modal: true, detail: `This replaces ${replaced.join(', ')}.` },
      'Replace',
    );
    if (choice !== 'Replace') return false;
  }
  await initGrader(dir, preset, { model: defaultJudgeModel(ctx), overwrite: exists });
  return true;
}

function presetInfos(ctx: Ctx): PresetInfo[] {
  return PRESET_IDS.map((id) => {
    const { grader } = PRESETS[id].build({ model: defaultJudgeModel(ctx) });
    const json = asJson(grader);
    return { id, title: PRESETS[id].title, description: PRESETS[id].description, summary: describeGrader(grader), needsJudge: needsJudge(json), grader: json };
  });
}

/** The grader a run scores: the edited draft (validated) or grader.json, with its script files read. */
async function graderToRun(dir: string, draft: unknown): Promise<Grader> {
  if (draft !== undefined) return resolveFiles(parseGraderText(JSON.stringify(draft), GRADER_FILE), dir);
  const loaded = await readGraderFile(dir);
  if (!loaded) throw new Error('There is no grader.json yet: use a preset, or choose a kind and Save.');
  return loaded.resolved;
}

/** An engine for one run: trusted as the workspace is, with a judge only when the grader has one. */
async function runEngine<T>(ctx: Ctx, grader: Grader, work: (engine: ReturnType<typeof createGradingEngine>) => Promise<T>): Promise<T> {
  const json = asJson(grader);
  if (needsTrust(json)) requireTrust(ctx, 'grader');
  const judge = needsJudge(json) ? await graderJudge(ctx) : undefined;
  if (needsJudge(json) && !judge) throw new Error(NO_JUDGE_OR_LANGUAGE_MODEL);
  const engine = createGradingEngine({ judge, trusted: ctx.trusted });
  try {
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}

function rowView(row: Awaited<ReturnType<typeof testSample>>['rows'][number]): TestSampleRow {
  const details = Object.entries(row.result.details ?? {});
  const steps = details.flatMap(([grader, detail]) => (detail.steps ?? []).map((step) => ({ grader, description: step.description, conclusion: step.conclusion })));
  const label = details.find(([, detail]) => detail.label !== undefined)?.[1].label;
  return {
    file: row.file,
    line: row.line,
    prompt: row.prompt,
    answer: row.answer,
    answerSource: row.answerSource,
    reward: row.result.reward,
    subRewards: row.result.sub_rewards,
    steps,
    ...(label !== undefined ? { label } : {}),
    errors: row.result.errors.map((error) => ({ grader: error.grader, code: error.code, message: error.message })),
  };
}

async function optional<K extends string>(value: Promise<string | undefined>, key: K): Promise<Partial<Record<K, string>>> {
  const resolved = await value;
  return resolved === undefined ? {} : ({ [key]: resolved } as Record<K, string>);
}
