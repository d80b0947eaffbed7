// Step 7 in VS Code: the results and deploy panel and the playground wired to src/core/deploy, and the commands of
// the tree and palette (Open Results & Deploy, Run Benchmarks, Open Playground, Undo Deploy). Models come from the
// provider layer (providerSettings.ts); the LiteLLM master key from SecretStorage or LITELLM_MASTER_KEY, never a file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeDeployment, applyDeploy, benchmarkPrompts, deployViaAdmin, DeployDecisionError, describeDeployment, LitellmAdmin, LitellmAdminError, LitellmConfigError, modelNames, newestBenchmark, parseLitellmConfig, planDeploy, readTunedModel, routingStrategyOf, runBenchmark, tunedProviderOf, undoDeploy, VALID_SPLIT_FILE, writeTunedModel, type DeployPlan, type DeployRequest, type TunedModel } from '../../core/deploy';
import { readRun, listRuns } from '../../core/dryrun';
import { scoreAnswer } from '../../core/dryrun/answering';
import { createGradingEngine, type GradingEngine } from '../../core/grader/engine';
import { GRADER_FILE, readGraderFile } from '../../core/grader/graderFile';
import { lastUserText } from '../../core/grader/pairs';
import type { ModelClient } from '../../core/llm/modelClient';
import type { DeployChoice } from '../../shared/deployProtocol';
import { needsJudge, type GraderJson } from '../../shared/graderProtocol';
import type { Side } from '../../shared/playgroundProtocol';
import { pickDataset } from '../datasets/datasetCommands';
import type { DatasetRegistry } from '../datasets/datasetRegistry';
import { graderJudge } from '../grader/graderModels';
import type { ProviderSettings } from '../llm/providerSettings';
import { guarded, openAtLine } from '../ui';
import { DeployPanel, type DeployHost } from './deployPanel';
import { benchmarkView, cut, deploymentView, tunedView } from './deployView';
import { streamAnswer } from './modelCalls';
import { PlaygroundPanel, type PlaygroundHost } from './playgroundPanel';

const UNTRUSTED = 'This workspace is not trusted: benchmarks, the playground and deploys through the proxy’s admin API call models and servers, which do not run in an untrusted workspace. Trust the workspace to use them.';
const NO_TUNED = 'There is no tuned model yet: finish a training job (step 6), or enter the tuned model in Results & Deploy.';
const MASTER_KEY = 'rftStudio.litellmMasterKey';
const CONFIG_STATE = 'rftStudio.deploy.config:';
const PICKER_RECORDS = 200;

export function registerDeployCommands(context: vscode.ExtensionContext, registry: DatasetRegistry, providers: ProviderSettings, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const datasetName = (dir: string) => registry.get(dir)?.state.name ?? path.basename(dir);
  const cannotRunReason = (dir: string) => (!vscode.workspace.isTrusted ? UNTRUSTED : fs.existsSync(path.join(dir, GRADER_FILE)) ? undefined : 'There is no grader yet: benchmarks and the playground score answers with it — define one in step 4 (Edit Grader).');

  /** The base model benchmarks start with: the newest dry run's, else the one the tuned model came from, else the chat model setting. */
  async function defaultBase(dir: string, tuned: TunedModel | undefined): Promise<string> {
    const [newest] = await listRuns(dir).catch(() => []);
    const model = newest ? (await readRun(newest.path).catch(() => undefined))?.model : undefined;
    return model || tuned?.baseModel || vscode.workspace.getConfiguration('rftStudio.provider').get<string>('chatModel', 'gpt-4o-mini') || 'gpt-4o-mini';
  }

  /** The base model's client and the tuned model's (its own endpoint when it has one). */
  async function clients(tuned: TunedModel): Promise<{ client: ModelClient; tunedClient: ModelClient }> {
    const provider = await providers.provider();
    if (!provider) throw new Error('No model provider is configured: RFT: Set API Key (or a local base URL in rftStudio.provider.baseUrl).');
    const client = providers.client(provider);
    const tunedProvider = tunedProviderOf(tuned, provider);
    return { client, tunedClient: tunedProvider === provider ? client : providers.client(tunedProvider) };
  }

  /** The grading engine for the dataset's grader, its judge from the provider layer when it asks one. */
  async function engineFor(dir: string): Promise<{ engine: GradingEngine; grader: NonNullable<Awaited<ReturnType<typeof readGraderFile>>> }> {
    const loaded = await readGraderFile(dir);
    if (!loaded) throw new Error('There is no grader.json yet: define the grader in step 4 first.');
    const asksJudge = needsJudge(loaded.grader as GraderJson);
    const judge = asksJudge ? await graderJudge(providers) : undefined;
    if (asksJudge && !judge) throw new Error('This grader asks an LLM judge, and no model provider is configured: RFT: Set API Key (or a local base URL).');
    return { engine: createGradingEngine({ judge, trusted: vscode.workspace.isTrusted }), grader: loaded };
  }

  function requireTrust(): void {
    if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED);
  }

  async function requireTuned(dir: string): Promise<TunedModel> {
    const tuned = await readTunedModel(dir);
    if (!tuned) throw new Error(NO_TUNED);
    return tuned;
  }

  async function masterKey(): Promise<string | undefined> {
    const stored = (await context.secrets.get(MASTER_KEY)) ?? process.env.LITELLM_MASTER_KEY;
    if (stored) return stored;
    const key = await vscode.window.showInputBox({ title: 'RFT: LiteLLM master key', prompt: 'The proxy’s master key, for its admin API. Kept in VS Code SecretStorage, never in files.', password: true, ignoreFocusOut: true });
    if (!key?.trim()) return undefined;
    await context.secrets.store(MASTER_KEY, key.trim());
    return key.trim();
  }

  const request = (choice: DeployChoice, tuned: TunedModel): DeployRequest => ({ mode: choice.mode, modelName: choice.modelName, tuned, ...(choice.mode === 'ab' ? { weights: checkedWeights(choice.weights), ...(choice.setSimpleShuffle ? { setSimpleShuffle: true } : {}) } : {}) });

  const deployHost: DeployHost = {
    load: async (dir, configFile) => {
      const tuned = await readTunedModel(dir).catch(() => undefined);
      const newest = await newestBenchmark(dir);
      const benchmark = newest ? benchmarkView(newest.path, newest.file) : undefined;
      const deployment = await activeDeployment(dir);
      const config = configFile && fs.existsSync(configFile) ? await deployHost.readConfig(configFile).catch(() => undefined) : undefined;
      const reason = cannotRunReason(dir);
      return {
        dataset: datasetName(dir),
        datasetDir: dir,
        ...(tuned ? { tuned: tunedView(tuned) } : {}),
        defaultBase: await defaultBase(dir, tuned),
        ...(benchmark ? { benchmark } : {}),
        ...(deployment ? { deployment: deploymentView(deployment) } : {}),
        ...(config ? { config } : {}),
        canRun: reason === undefined,
        ...(reason ? { cannotRunReason: reason } : {}),
      };
    },
    saveTuned: async (dir, tuned) => {
      await writeTunedModel(dir, tuned);
      void registry.refresh(dir);
    },
    runBenchmark: async (dir, { base, n }, signal, onProgress) => {
      requireTrust();
      const tuned = await requireTuned(dir);
      const { client, tunedClient } = await clients(tuned);
      const { engine } = await engineFor(dir);
      try {
        log.info(`Benchmarks in ${dir}: ${base} vs ${tuned.model}${n ? `, ${n} prompts` : ''}`);
        const result = await runBenchmark(dir, { client, tunedClient, base, tuned: tuned.model, ...(n ? { n } : {}), engine, signal, onProgress });
        const overall = result.file.report?.overall;
        log.info(`Benchmark ${path.basename(result.path)}: ${result.file.status}${overall ? `, ${overall.base?.toFixed(3)} → ${overall.tuned?.toFixed(3)} over ${overall.n}` : ''}`);
      } finally {
        await engine.dispose();
        void registry.refresh(dir);
      }
    },
    pickConfig: async (dir) => {
      const remembered = deployHost.rememberedConfig(dir);
      const picked = await vscode.window.showOpenDialog({ title: 'The LiteLLM proxy config.yaml to route the tuned model in', canSelectMany: false, openLabel: 'Use this config', defaultUri: vscode.Uri.file(remembered ? path.dirname(remembered) : dir), filters: { YAML: ['yaml', 'yml'] } });
      const file = picked?.[0]?.fsPath;
      if (file) await context.workspaceState.update(CONFIG_STATE + dir, file);
      return file;
    },
    rememberedConfig: (dir) => context.workspaceState.get<string>(CONFIG_STATE + dir),
    readConfig: async (file) => {
      const { doc, deployments } = parseLitellmConfig(await fs.promises.readFile(file, 'utf8'), path.basename(file));
      const strategy = routingStrategyOf(doc);
      return { file, modelNames: modelNames(deployments), ...(strategy !== undefined ? { routingStrategy: typeof strategy === 'string' ? strategy : JSON.stringify(strategy) } : {}) };
    },
    plan: async (dir, configFile, choice) => {
      const tuned = await requireTuned(dir);
      try {
        return await planDeploy(configFile, request(choice, tuned));
      } catch (error) {
        // the CLI's way out, in the panel's words
        if (error instanceof DeployDecisionError) throw new Error(error.message.replace('Pass --set-simple-shuffle to', 'Check “Set routing_strategy to simple-shuffle” to').replace('or use --mode alias', 'or choose “New endpoint only”'));
        throw error;
      }
    },
    deploy: async (dir, configFile, choice, plan) => {
      const tuned = await requireTuned(dir);
      if (choice.adminUrl) {
        requireTrust();
        const key = await masterKey();
        if (!key) throw new Error('The admin API needs the proxy’s master key (LITELLM_MASTER_KEY, or entered when asked).');
        try {
          const { record, notes } = await deployViaAdmin(dir, new LitellmAdmin(choice.adminUrl, key), choice.adminUrl, { ...request(choice, tuned), setSimpleShuffle: undefined });
          return [`Deployed · ${describeDeployment(record)} · through ${record.target}.`, ...notes.map((note) => note.replace(/ \(--base-api-key-env[^)]*\)/, ''))].join(' ');
        } catch (error) {
          if (error instanceof LitellmAdminError) throw new Error(`${error.message}. In this panel: leave the proxy URL empty and Deploy writes ${configFile ? path.basename(configFile) : 'the chosen config.yaml'} (then restart the proxy).`);
          throw error;
        } finally {
          void registry.refresh(dir);
        }
      }
      if (!plan || plan.diff === '') return 'No change: the config already routes this way.';
      const record = await writeDeploy(dir, plan);
      void registry.refresh(dir);
      return `Deployed · ${describeDeployment(record)} · ${plan.config} written (the old file is kept in ${record.backup}; Undo deploy restores it).`;
    },
    undo: async (dir) => {
      const deployment = await activeDeployment(dir);
      if (!deployment) throw new Error('Nothing to undo: this dataset has no deployment that was not undone.');
      let admin: LitellmAdmin | undefined;
      if (deployment.via === 'admin') {
        requireTrust();
        const key = await masterKey();
        if (!key) throw new Error('Undoing a deployment through the admin API needs the proxy’s master key.');
        admin = new LitellmAdmin(deployment.target, key);
      }
      const confirm = await vscode.window.showWarningMessage(`Undo the deployment ${describeDeployment(deployment)}?`, { modal: true, detail: deployment.via === 'file' ? `${deployment.target} gets its previous content back (${deployment.backup}).` : `On ${deployment.target}, the deployments it created are deleted and each one it changed is put back as it was.` }, 'Undo Deploy');
      if (confirm !== 'Undo Deploy') return undefined;
      try {
        const undone = await undoWithBaseKey(dir, { admin });
        return undone ? `Undid ${describeDeployment(undone.deployment)}: ${undone.restored} restored.` : undefined;
      } catch (error) {
        if (!(error instanceof LitellmConfigError) || !/changed since/.test(error.message)) throw error;
        const force = await vscode.window.showWarningMessage(`${path.basename(deployment.target)} changed since the deployment.`, { modal: true, detail: `${error.message.replace(/ — pass --force.*$/, '')}. Restore the old file anyway?` }, 'Restore Anyway');
        if (force !== 'Restore Anyway') return undefined;
        const undone = await undoWithBaseKey(dir, { admin, force: true });
        if (!undone) return undefined;
        return `Undid ${describeDeployment(undone.deployment)}: ${undone.restored} restored (its later changes are gone).`;
      } finally {
        void registry.refresh(dir);
      }
    },
    openPlayground: async (dir) => {
      PlaygroundPanel.panels.show(context, dir, playgroundHost);
    },
    openRecord: (file, line) => openAtLine(file, line),
  };

  /**
   * Undo; when it must put back a base deployment's api_key (LiteLLM's /model/info never returns it), asks for the
   * variable it came from and tries again. Undefined when the user backed out.
   */
  async function undoWithBaseKey(dir: string, options: { admin?: LitellmAdmin; force?: boolean }): Promise<Awaited<ReturnType<typeof undoDeploy>> | undefined> {
    try {
      return await undoDeploy(dir, options);
    } catch (error) {
      if (!(error instanceof DeployDecisionError) || !/--base-api-key-env/.test(error.message)) throw error;
      const name = await vscode.window.showInputBox({
        title: 'RFT: The base deployment’s key',
        prompt: `${error.message.replace(/: pass --base-api-key-env.*$/, '')}. Name the environment variable the proxy reads it from (sent as os.environ/NAME), or none when it had no key.`,
        placeHolder: 'OPENAI_API_KEY',
        ignoreFocusOut: true,
        validateInput: (value) => (/^(none|[A-Za-z_][A-Za-z0-9_]*)$/.test(value.trim()) ? undefined : 'A variable name (letters, digits, _), or none — never the key itself.'),
      });
      if (!name?.trim()) return undefined;
      return undoDeploy(dir, { ...options, baseApiKeyEnv: name.trim() });
    }
  }

  /** Validation records the playground offers, by key (the last ones read, for `ask`). */
  const pickerRecords = new Map<string, Map<string, Record<string, unknown>>>();

  const playgroundHost: PlaygroundHost = {
    load: async (dir) => {
      const tuned = await readTunedModel(dir).catch(() => undefined);
      let records: { key: string; file: string; line: number; topic: string; prompt: string }[] = [];
      let recordsNote: string;
      try {
        const prompts = await benchmarkPrompts(dir, { seed: 1, n: fs.existsSync(path.join(dir, VALID_SPLIT_FILE)) ? undefined : PICKER_RECORDS });
        const chosen = prompts.chosen.slice(0, PICKER_RECORDS);
        pickerRecords.set(dir, new Map(chosen.map((c) => [c.key, prompts.records.get(c.key)!])));
        records = chosen.map((c) => ({ key: c.key, file: c.file, line: c.line, topic: c.topic, prompt: cut(lastUserText(prompts.records.get(c.key)!), 300) }));
        recordsNote = prompts.source.kind === 'valid-split' ? `${prompts.source.file} (${prompts.chosen.length.toLocaleString('en-US')} records${prompts.chosen.length > PICKER_RECORDS ? `, the first ${PICKER_RECORDS} offered` : ''})` : `no ${VALID_SPLIT_FILE} yet: ${records.length} records sampled from the dataset`;
      } catch (error) {
        recordsNote = `No records to pick: ${(error as Error).message}`;
      }
      const reason = cannotRunReason(dir) ?? (tuned ? undefined : NO_TUNED);
      return {
        dataset: datasetName(dir),
        datasetDir: dir,
        base: await defaultBase(dir, tuned),
        ...(tuned ? { tuned: tuned.model } : {}),
        records,
        recordsNote,
        hasGrader: fs.existsSync(path.join(dir, GRADER_FILE)),
        canRun: reason === undefined,
        ...(reason ? { cannotRunReason: reason } : {}),
      };
    },
    ask: async (dir, ask, signal, events) => {
      requireTrust();
      const tuned = await requireTuned(dir);
      const record = ask.recordKey ? pickerRecords.get(dir)?.get(ask.recordKey) : { messages: [{ role: 'user', content: ask.prompt ?? '' }] };
      if (!record) throw new Error('That record is no longer offered: Refresh the playground.');
      const { client, tunedClient } = await clients(tuned);
      const { engine, grader } = await engineFor(dir);
      events.started(lastUserText(record), { base: ask.base, tuned: tuned.model });
      try {
        const side = async (which: Side, answerClient: ModelClient, model: string) => {
          const answer = await streamAnswer(answerClient, record, model, (text) => events.text(which, text), signal);
          const tools = 'sample' in answer && answer.sample.output_tools?.length ? answer.sample.output_tools.map((call) => `${call.function.name}(${call.function.arguments})`).join('\n') : undefined;
          events.answered(which, tools, 'error' in answer ? answer.error : undefined);
          if ('error' in answer) return;
          const scored = await scoreAnswer(engine, grader.resolved, record, answer, signal);
          const steps = Object.entries(scored.details ?? {}).flatMap(([name, detail]) => [
            ...(detail.steps ?? []).map((step) => `${name}: ${step.description}${step.conclusion ? ` → ${step.conclusion}` : ''}`),
            ...(detail.label !== undefined ? [`${name}: label ${detail.label}`] : []),
          ]);
          events.scored(which, scored.score, steps, Object.keys(scored.sub_rewards ?? {}).length > 0 ? scored.sub_rewards : undefined, scored.error ?? undefined);
        };
        await Promise.all([side('base', client, ask.base), side('tuned', tunedClient, tuned.model)]);
      } finally {
        await engine.dispose();
      }
    },
  };

  const onDataset = (id: string, action: (dir: string) => Thenable<unknown> | Promise<unknown>) =>
    guarded(id, log, async (target) => {
      const dir = await pickDataset(target, registry);
      if (dir) await action(dir);
    });
  const show = (dir: string) => DeployPanel.panels.show(context, dir, deployHost);

  /** Panels refresh when steps 5–7 of their dataset change (a benchmark's own progress arrives as messages). */
  const seen = new Map<string, string>();
  const refreshChangedPanels = () => {
    for (const entry of registry.list()) {
      if (!entry.reading || (!DeployPanel.panels.get(entry.dir) && !PlaygroundPanel.panels.get(entry.dir))) continue;
      const key = JSON.stringify(entry.state.steps.filter((step) => ['grader', 'dryrun', 'train', 'deploy'].includes(step.id)));
      if (seen.get(entry.dir) === key) continue;
      const first = !seen.has(entry.dir);
      seen.set(entry.dir, key);
      if (first) continue;
      if (!DeployPanel.isRunning(entry.dir)) void DeployPanel.panels.refresh(entry.dir);
      void PlaygroundPanel.panels.refresh(entry.dir);
    }
  };

  return [
    DeployPanel.panels.registerSerializer(context, deployHost),
    PlaygroundPanel.panels.registerSerializer(context, playgroundHost),
    registry.onDidChange(refreshChangedPanels),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void DeployPanel.panels.refreshEvery();
      void PlaygroundPanel.panels.refreshEvery();
    }),
    onDataset('rftStudio.openDeploy', async (dir) => show(dir)),
    onDataset('rftStudio.runBenchmark', async (dir) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(`RFT: ${UNTRUSTED}`);
        return;
      }
      if (DeployPanel.isRunning(dir)) {
        show(dir);
        void vscode.window.showInformationMessage('RFT: benchmarks of this dataset are running; Stop them in the panel to start again.');
        return;
      }
      await requireTuned(dir);
      const base = await vscode.window.showInputBox({ title: `Run Benchmarks — ${datasetName(dir)}`, prompt: 'The base model to compare the tuned model with (both answer the validation split; the grader scores them).', value: await defaultBase(dir, await readTunedModel(dir)), ignoreFocusOut: true, validateInput: (text) => (text.trim() ? undefined : 'Name the base model.') });
      if (base === undefined) return;
      show(dir).start({ base: base.trim() });
    }),
    onDataset('rftStudio.openPlayground', async (dir) => PlaygroundPanel.panels.show(context, dir, playgroundHost)),
    onDataset('rftStudio.undoDeploy', async (dir) => {
      const text = await deployHost.undo(dir);
      if (text) void vscode.window.showInformationMessage(`RFT: ${text}`);
      await DeployPanel.panels.refresh(dir);
    }),
  ];
}

function checkedWeights(weights: readonly [number, number] | undefined): [number, number] {
  const [base, tuned] = weights ?? [90, 10];
  if (!(base >= 0 && tuned >= 0 && base + tuned > 0)) throw new Error('A/B weights: two numbers ≥ 0, not both 0 (e.g. 90 and 10).');
  return [base, tuned];
}

/** applyDeploy, its refusal (the file changed since the preview) said in the panel's words. */
async function writeDeploy(dir: string, plan: DeployPlan) {
  try {
    return await applyDeploy(dir, plan);
  } catch (error) {
    if (error instanceof LitellmConfigError && /changed since/.test(error.message)) throw new Error(`${path.basename(plan.config)} changed since the preview: Preview again.`);
    throw error;
  }
}
