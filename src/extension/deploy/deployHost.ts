// Step 7's results and deploy panel's host, wired to src/core/deploy: the tuned model, benchmarks, the LiteLLM
// config's preview, deploy and undo (through the file or the proxy's admin API).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activeDeployment,
  applyDeploy,
  deployViaAdmin,
  DeployDecisionError,
  describeDeployment,
  LitellmAdmin,
  LitellmAdminError,
  LitellmConfigError,
  modelNames,
  newestBenchmark,
  parseLitellmConfig,
  planDeploy,
  readTunedModel,
  routingStrategyOf,
  runBenchmark,
  undoDeploy,
  writeTunedModel,
  type DeployPlan,
  type DeployRequest,
  type TunedModel,
} from '../../core/deploy';
import type { DeployChoice } from '../../shared/deployProtocol';
import type { Ctx } from '../ctx';
import { cannotRunReason, requireTrust } from '../preconditions';
import { openAtLine } from '../ui';
import { clients, defaultBase, engineFor, requireTuned } from './deployModels';
import type { DeployHost } from './deployPanel';
import { benchmarkView, deploymentView, tunedView } from './deployView';
import { masterKey } from './masterKey';

const CONFIG_STATE = 'rftStudio.deploy.config:';

export function deployHost(ctx: Ctx, openPlayground: (dir: string) => void): DeployHost {
  const { registry, log } = ctx;
  const request = (choice: DeployChoice, tuned: TunedModel): DeployRequest => ({
    mode: choice.mode,
    modelName: choice.modelName,
    tuned,
    ...(choice.mode === 'ab' ? { weights: checkedWeights(choice.weights), ...(choice.setSimpleShuffle ? { setSimpleShuffle: true } : {}) } : {}),
  });

  const deployHost: DeployHost = {
    load: async (dir, configFile) => {
      const tuned = await readTunedModel(dir).catch(() => undefined);
      const newest = await newestBenchmark(dir);
      const benchmark = newest ? benchmarkView(newest.path, newest.file) : undefined;
      const deployment = await activeDeployment(dir);
      const config = configFile && fs.existsSync(configFile) ? await deployHost.readConfig(configFile).catch(() => undefined) : undefined;
      const reason = cannotRunReason(ctx, 'deploy', dir);
      return {
        dataset: ctx.datasetName(dir),
        datasetDir: dir,
        ...(tuned ? { tuned: tunedView(tuned) } : {}),
        defaultBase: await defaultBase(ctx, dir, tuned),
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
      requireTrust(ctx, 'deploy');
      const tuned = await requireTuned(dir);
      const { client, tunedClient } = await clients(ctx, tuned);
      const { engine } = await engineFor(ctx, dir);
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
      const picked = await vscode.window.showOpenDialog({
        title: 'The LiteLLM proxy config.yaml to route the tuned model in',
        canSelectMany: false,
        openLabel: 'Use this config',
        defaultUri: vscode.Uri.file(remembered ? path.dirname(remembered) : dir),
        filters: { YAML: ['yaml', 'yml'] },
      });
      const file = picked?.[0]?.fsPath;
      if (file) await ctx.extension.workspaceState.update(CONFIG_STATE + dir, file);
      return file;
    },
    rememberedConfig: (dir) => ctx.extension.workspaceState.get<string>(CONFIG_STATE + dir),
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
        if (error instanceof DeployDecisionError)
          throw new Error(error.message.replace('Pass --set-simple-shuffle to', 'Check “Set routing_strategy to simple-shuffle” to').replace('or use --mode alias', 'or choose “New endpoint only”'));
        throw error;
      }
    },
    deploy: async (dir, configFile, choice, plan) => {
      const tuned = await requireTuned(dir);
      if (choice.adminUrl) {
        requireTrust(ctx, 'deploy');
        const key = await masterKey(ctx);
        if (!key) throw new Error('The admin API needs the proxy’s master key (LITELLM_MASTER_KEY, or entered when asked).');
        try {
          const { record, notes } = await deployViaAdmin(dir, new LitellmAdmin(choice.adminUrl, key), choice.adminUrl, { ...request(choice, tuned), setSimpleShuffle: undefined });
          return [`Deployed · ${describeDeployment(record)} · through ${record.target}.`, ...notes.map((note) => note.replace(/ \(--base-api-key-env[^)]*\)/, ''))].join(' ');
        } catch (error) {
          if (error instanceof LitellmAdminError)
            throw new Error(
              `${error.message}. In this panel: leave the proxy URL empty and Deploy writes ${configFile ? path.basename(configFile) : 'the chosen config.yaml'} (then restart the proxy).`,
            );
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
        requireTrust(ctx, 'deploy');
        const key = await masterKey(ctx);
        if (!key) throw new Error('Undoing a deployment through the admin API needs the proxy’s master key.');
        admin = new LitellmAdmin(deployment.target, key);
      }
      const confirm = await vscode.window.showWarningMessage(
        `Undo the deployment ${describeDeployment(deployment)}?`,
        {
          modal: true,
          detail:
            deployment.via === 'file'
              ? `${deployment.target} gets its previous content back (${deployment.backup}).`
              : `On ${deployment.target}, the deployments it created are deleted and each one it changed is put back as it was.`,
        },
        'Undo Deploy',
      );
      if (confirm !== 'Undo Deploy') return undefined;
      try {
        const undone = await undoWithBaseKey(dir, { admin });
        return undone ? `Undid ${describeDeployment(undone.deployment)}: ${undone.restored} restored.` : undefined;
      } catch (error) {
        if (!(error instanceof LitellmConfigError) || !/changed since/.test(error.message)) throw error;
        const force = await vscode.window.showWarningMessage(
          `${path.basename(deployment.target)} changed since the deployment.`,
          { modal: true, detail: `${error.message.replace(/ — pass --force.*$/, '')}. Restore the old file anyway?` },
          'Restore Anyway',
        );
        if (force !== 'Restore Anyway') return undefined;
        const undone = await undoWithBaseKey(dir, { admin, force: true });
        if (!undone) return undefined;
        return `Undid ${describeDeployment(undone.deployment)}: ${undone.restored} restored (its later changes are gone).`;
      } finally {
        void registry.refresh(dir);
      }
    },
    openPlayground: (dir) => {
      openPlayground(dir);
      return Promise.resolve();
    },
    openRecord: (file, line) => openAtLine(file, line),
  };
  return deployHost;
}

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
