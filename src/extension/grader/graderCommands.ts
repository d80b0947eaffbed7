// Step 4 in VS Code: the grader editor panel wired to src/core/grader, and the commands of the tree and palette
// (Edit Grader, Test Sample, Check Grader, New Grader from Preset…). The work is the core's; this is the glue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compileForOpenAI } from '../../core/grader/compile/openai';
import { describeGrader } from '../../core/grader/describe';
import { createGradingEngine } from '../../core/grader/engine';
import { GRADER_FILE, GRADERS_DIR, GraderFileError, parseGraderText, readGraderFile, resolveFiles, writeGraderFile } from '../../core/grader/graderFile';
import { STRING_CHECK_OPERATIONS, TEXT_SIMILARITY_METRICS, type Grader } from '../../core/grader/graderSchema';
import { initGrader, isPresetId, PRESET_IDS, PRESETS } from '../../core/grader/presets';
import { selfCheck } from '../../core/grader/selfCheck';
import { templateVariablesOf } from '../../core/grader/templateVariables';
import { testSample } from '../../core/grader/testSample';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import { needsJudge, needsTrust, type AnswerSource, type GraderJson, type PresetInfo, type SelfCheckView, type TestSampleRow } from '../../shared/graderProtocol';
import { pickDataset } from '../datasets/datasetCommands';
import type { DatasetRegistry } from '../datasets/datasetRegistry';
import type { ProviderSettings } from '../llm/providerSettings';
import { guarded } from '../ui';
import { baseModelAnswerer, baseModelLabel, defaultJudgeModel, graderJudge } from './graderModels';
import { GraderPanel, type GraderHost } from './graderPanel';
import { JS_TYPES_FILE, scriptTemplate } from './scriptTemplates';

// grader.json's parsed type is the protocol's plain JSON shape (a compile-time check that the two agree).
const asJson = (grader: Grader): GraderJson => grader;

const UNTRUSTED = 'This workspace is not trusted: LLM judges and script graders (python, js) do not run in it. Trust the workspace to run them.';

export function registerGraderCommands(context: vscode.ExtensionContext, registry: DatasetRegistry, providers: ProviderSettings, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const datasetName = (dir: string) => registry.get(dir)?.state.name ?? path.basename(dir);
  const typesFile = path.join(context.extensionPath, 'media', JS_TYPES_FILE);
  const host: GraderHost = {
    load: async (dir) => {
      const { grader, loadError } = await loadGrader(dir);
      return {
        dataset: datasetName(dir),
        datasetDir: dir,
        ...(grader ? { grader: asJson(grader), summary: describeGrader(grader) } : {}),
        ...(loadError ? { loadError } : {}),
        presets: presetInfos(),
        variables: await templateVariablesOf(dir),
        metrics: [...TEXT_SIMILARITY_METRICS],
        operations: [...STRING_CHECK_OPERATIONS],
        defaultModel: defaultJudgeModel(),
        trusted: vscode.workspace.isTrusted,
        ...(await optional(baseModelLabel(providers), 'baseModel')),
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
      if (!(await usePreset(dir, preset))) return false;
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
      return runEngine(grader, providers, async (engine) => {
        const answerer = from === 'model' ? await baseModelAnswerer(providers) : undefined;
        if (from === 'model' && !answerer) throw new Error('No base model is configured: set a provider (RFT: Set API Key), or test on the reference answers.');
        const result = await testSample(dir, { engine, grader, count: 5, answerer, typedAnswer: from === 'typed' ? typed ?? '' : undefined, signal });
        log.info(`Test Sample in ${dir}: mean ${result.mean.toFixed(3)} over ${result.rows.length} records (${from})`);
        return { rows: result.rows.map(rowView), mean: result.mean };
      });
    },
    selfCheck: async (dir, draft, signal) => {
      const grader = await graderToRun(dir, draft);
      return runEngine(grader, providers, async (engine) => {
        const report = await selfCheck(dir, { engine, grader, signal });
        log.info(`Self-check in ${dir}: ${report.verdict}, AUC ${report.auc}`);
        const view: SelfCheckView = { references: report.references, controls: report.controls, auc: report.auc, verdict: report.verdict, findings: report.findings };
        return view;
      });
    },
    openRecord: (file, line) => openAt(file, line),
  };

  const onDataset = (id: string, action: (dir: string) => Thenable<unknown> | Promise<unknown>) =>
    guarded(id, log, async (target) => {
      const dir = await pickDataset(target, registry);
      if (dir) await action(dir);
    });
  const show = (dir: string) => GraderPanel.panels.show(context, dir, host);
  const watcher = vscode.workspace.createFileSystemWatcher(`**/{${GRADER_FILE},${GRADERS_DIR}/*}`);
  const timers = new Map<string, NodeJS.Timeout>();
  const onFile = (uri: vscode.Uri) => {
    const dir = registry.datasetOf(uri.fsPath)?.dir;
    if (!dir) return;
    clearTimeout(timers.get(dir));
    timers.set(dir, setTimeout(() => {
      timers.delete(dir);
      void GraderPanel.panels.refresh(dir);
    }, 200));
  };
  return [
    GraderPanel.panels.registerSerializer(context, host),
    watcher,
    watcher.onDidChange(onFile),
    watcher.onDidCreate(onFile),
    watcher.onDidDelete(onFile),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void GraderPanel.panels.refreshEvery()),
    onDataset('rftStudio.editGrader', async (dir) => show(dir)),
    onDataset('rftStudio.testGraderSample', async (dir) => {
      if (!fs.existsSync(path.join(dir, GRADER_FILE)) && !(await newFromPreset(dir))) return;
      const from: AnswerSource = vscode.workspace.isTrusted && (await baseModelLabel(providers)) ? 'model' : 'reference';
      show(dir).testSample(from);
    }),
    onDataset('rftStudio.checkGrader', async (dir) => {
      if (!fs.existsSync(path.join(dir, GRADER_FILE)) && !(await newFromPreset(dir))) return;
      show(dir).selfCheck();
    }),
    onDataset('rftStudio.newGraderFromPreset', async (dir) => {
      if (!(await newFromPreset(dir))) return;
      show(dir);
      await GraderPanel.panels.refresh(dir);
    }),
  ];

  /** Quick pick of the presets, then grader.json from it; false when the user backed out. */
  async function newFromPreset(dir: string): Promise<boolean> {
    const picked = await vscode.window.showQuickPick(
      presetInfos().map((preset) => ({ label: preset.title, description: preset.summary, detail: preset.description, id: preset.id })),
      { title: `New Grader from Preset — ${datasetName(dir)}`, placeHolder: 'How should model outputs be scored?' },
    );
    if (!picked || !isPresetId(picked.id)) return false;
    if (!(await usePreset(dir, picked.id))) return false;
    await registry.refresh(dir);
    return true;
  }
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
async function usePreset(dir: string, preset: (typeof PRESET_IDS)[number]): Promise<boolean> {
  const built = PRESETS[preset].build({ model: defaultJudgeModel() });
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
  await initGrader(dir, preset, { model: defaultJudgeModel(), overwrite: exists });
  return true;
}

function presetInfos(): PresetInfo[] {
  return PRESET_IDS.map((id) => {
    const { grader } = PRESETS[id].build({ model: defaultJudgeModel() });
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
async function runEngine<T>(grader: Grader, providers: ProviderSettings, work: (engine: ReturnType<typeof createGradingEngine>) => Promise<T>): Promise<T> {
  const json = asJson(grader);
  if (!vscode.workspace.isTrusted && needsTrust(json)) throw new Error(UNTRUSTED);
  const judge = needsJudge(json) ? await graderJudge(providers) : undefined;
  if (needsJudge(json) && !judge) throw new Error('This grader asks an LLM judge, and no model provider is configured: RFT: Set API Key (or a local base URL), or set rftStudio.provider.chat to "vscode-lm".');
  const engine = createGradingEngine({ judge, trusted: vscode.workspace.isTrusted });
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

function scriptFiles(grader: Grader): { kind: 'js' | 'python'; file: string }[] {
  const leaves = grader.type === 'multi' ? Object.values(grader.graders) : [grader];
  return leaves.flatMap((leaf) => ((leaf.type === 'js' || leaf.type === 'python') && leaf.file !== undefined ? [{ kind: leaf.type, file: leaf.file }] : []));
}

/**
 * graders/<name>.js|.py inside the dataset, created (from `source` or a template) when missing; its full path. A js
 * grader gets the input's types (grader-js.d.ts) beside it, so its editor completes `input.`.
 */
async function createScript(dir: string, kind: 'js' | 'python', file: string, source: string | undefined, typesFile: string): Promise<string> {
  const relative = path.posix.normalize(file.trim().replace(/\\/g, '/'));
  const extension = kind === 'js' ? '.js' : '.py';
  if (!relative.startsWith(`${GRADERS_DIR}/`) || relative.includes('..') || path.posix.isAbsolute(relative) || !relative.endsWith(extension)) {
    throw new Error(`A ${kind} grader's file is ${GRADERS_DIR}/<name>${extension} inside the dataset, not "${file}".`);
  }
  const full = path.join(dir, ...relative.split('/'));
  if (!fs.existsSync(full)) {
    await fs.promises.mkdir(path.dirname(full), { recursive: true });
    await writeFileAtomic(full, source ?? scriptTemplate(kind));
  }
  const types = path.join(path.dirname(full), JS_TYPES_FILE);
  if (kind === 'js' && !fs.existsSync(types) && fs.existsSync(typesFile)) await writeFileAtomic(types, await fs.promises.readFile(typesFile));
  return full;
}

async function openAt(file: string, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
}

async function optional<K extends string>(value: Promise<string | undefined>, key: K): Promise<Partial<Record<K, string>>> {
  const resolved = await value;
  return resolved === undefined ? {} : ({ [key]: resolved } as Record<K, string>);
}
