// Step 6 in VS Code: the training panel's host wired to src/core/train — the form's data, the gate, the
// confirmation, the split and the launch, and a job's controls. Keys come from SecretStorage through the provider
// settings, as for the dry run. The work is the core's; this is the glue.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DryRunApi } from '../../core/dryrun/dryRunTypes';
import { runStaleness, type StalenessFacts } from '../../core/dryrun/staleness';
import { GENERATED_FILE } from '../../core/dataset/manifest';
import { TrainingError, type Hyperparameters } from '../../core/train/backend';
import { FineTuningAccessError } from '../../core/train/backends/openai';
import { TrainingGateError } from '../../core/train/launch';
import { isTerminal, type BackendId, type JobRecord } from '../../core/train/jobFile';
import { BACKENDS, defaultBackendOf, type BackendId as FormBackendId, type GateView, type HostMessage, type StartRequest } from '../../shared/trainProtocol';
import { datasetTarget, executeCommand } from '../commands';
import type { Ctx } from '../ctx';
import { cannotRunReason, NO_PROVIDER_TO_TRAIN, requireTrust, untrustedReason } from '../preconditions';
import type { BackendConnection, TrainCore } from './trainCore';
import type { TrainingMonitor } from './trainingMonitor';
import type { TrainHost } from './trainPanel';
import { jobView } from './trainView';
import { modelClient } from '../llm/modelClient';

/** What the commands need of the dry run: the newest run is the gate and the curves' baseline. */
export type DryRunReader = Pick<DryRunApi, 'listRuns' | 'readRun'> & { stalenessFacts(dir: string): Promise<StalenessFacts> };

/** workspaceState: OpenAI's words when it last refused this workspace's organisation fine-tuning (cleared by a launch it accepts). */
const OPENAI_REFUSED_KEY = 'rftStudio.training.openaiRefused';

/** How to reach a backend: the provider's client for hosted RFT, the Ray address for verl. */
export async function connectionFor(ctx: Ctx, backend: BackendId, quiet: boolean): Promise<BackendConnection | undefined> {
  if (backend === 'trl') return { trl: {} };
  if (backend === 'verl') return { ray: { address: ctx.config.rayAddress } };
  const provider = await ctx.providers.provider({ quiet });
  return provider ? { client: modelClient(ctx, provider) } : undefined;
}

export function trainHost(ctx: Ctx, core: TrainCore, dryRuns: DryRunReader, monitor: TrainingMonitor): TrainHost {
  const { registry, providers, log } = ctx;
  const context = ctx.extension;
  const datasetName = (dir: string) => ctx.datasetName(dir);
  const viewOf = (dir: string, job: JobRecord) => jobView(job, monitor.watchedBackend(dir, job.id)?.capabilities);

  async function gateOf(dir: string): Promise<GateView | undefined> {
    const newest = (await dryRuns.listRuns(dir)).find((run) => run.status === 'complete' && run.decision !== null);
    if (!newest) return undefined;
    const stale = runStaleness(await dryRuns.readRun(newest.path), await dryRuns.stalenessFacts(dir));
    return { decision: newest.decision, mean: newest.mean, runId: path.basename(newest.path), ...(stale ? { stale } : {}) };
  }

  const host: TrainHost = {
    load: async (dir) => {
      const entry = registry.get(dir);
      const generated = entry?.reading?.health?.perFile.find((file) => path.basename(file.file) === GENERATED_FILE)?.counts.valid ?? 0;
      const gate = await gateOf(dir);
      const newest = (await core.jobs(dir)).at(-1);
      const cannotStartReason = cannotRunReason(ctx, 'train', dir);
      const notice = core.notice('openai', new Date());
      const unavailable = backendsThatCannotRun();
      const fallback: FormBackendId = (await providers.provider({ quiet: true }).catch(() => undefined))?.kind === 'azure' ? 'azure' : 'trl';
      return {
        dataset: datasetName(dir),
        datasetDir: dir,
        records: { valid: entry?.state.health.counts?.valid ?? 0, generated },
        ...(gate ? { gate } : {}),
        canStart: cannotStartReason === undefined,
        ...(cannotStartReason ? { cannotStartReason } : {}),
        notices: notice ? { openai: notice } : {},
        defaultBackend: defaultBackendOf(newest?.backend, unavailable, fallback),
        ...(Object.keys(unavailable).length > 0 ? { unavailable } : {}),
        ...(newest ? { job: viewOf(dir, newest) } : {}),
      };
    },
    start: (dir, request, post) => startTraining(dir, request, post),
    control: async (dir, action, jobId) => {
      requireTrust(ctx, 'train');
      const job = (await core.jobs(dir)).find((candidate) => candidate.id === jobId);
      if (!job) throw new Error(`No job ${jobId} in this dataset.`);
      const backend = monitor.watchedBackend(dir, jobId) ?? (await monitor.backendFor(dir, job.backend));
      if (!backend) throw new Error(`Cannot reach ${job.backend} to ${action} the job: configure the provider first.`);
      const next = await core.control(dir, jobId, action, backend);
      log.info(`Training job ${jobId}: ${action} → ${next.status}`);
      if (!isTerminal(next.status)) await monitor.watch(dir, next, backend);
      void registry.refresh(dir);
      return jobView(next, backend.capabilities);
    },
    follow: async (dir) => {
      if (ctx.trusted) await monitor.follow(dir);
    },
    subscribe: (dir, post) =>
      vscode.Disposable.from(
        monitor.onDidUpdate((update) => {
          if (update.dir === dir) post({ type: 'job', job: jobView(update.job, update.capabilities) });
        }),
        monitor.onProblem((problem) => {
          if (problem.dir === dir) post({ type: 'error', message: problem.message });
        }),
      ),
    runDryRun: async (dir) => {
      await executeCommand('rftStudio.runDryRun', datasetTarget(dir));
    },
    copyModel: async (model) => {
      await vscode.env.clipboard.writeText(model);
      void vscode.window.showInformationMessage(`RFT: copied ${model}`);
    },
  };

  /** OpenAI cannot run after its last day, or once it refused this organisation (remembered until it accepts a launch). */
  function backendsThatCannotRun(): Partial<Record<FormBackendId, string>> {
    const refused = core.refusal('openai', new Date()) ?? context.workspaceState.get<string>(OPENAI_REFUSED_KEY);
    return refused ? { openai: refused } : {};
  }

  /** The gate, the confirmation, the split, the launch; every refusal goes back to the panel as written. */
  async function startTraining(dir: string, request: StartRequest, post: (message: HostMessage) => void): Promise<void> {
    const refuse = (message: string, action?: 'runDryRun') => post({ type: 'launchFailed', message, ...(action ? { action } : {}) });
    const untrusted = untrustedReason(ctx, 'train');
    if (untrusted) return refuse(untrusted);
    const spec = BACKENDS[request.backend];
    const gate = await core.gate(dir);
    if (!gate.allowed && !gate.needsConfirmation) return refuse(gate.reason, 'runDryRun');
    const connection = await connectionFor(ctx, request.backend, false);
    if (!connection) return refuse(NO_PROVIDER_TO_TRAIN);
    try {
      await core.checkEngineSettings(dir, request.backend, request.hyperparameters as Hyperparameters);
    } catch (error) {
      return refuse(error instanceof Error ? error.message : String(error));
    }
    const notice = core.notice(request.backend, new Date());
    const settingsText =
      Object.entries(request.hyperparameters)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ') || 'the backend’s defaults';
    const detail = [
      gate.needsConfirmation ? `⚠ ${gate.reason.replace(/: confirm training anyway.*$/, '')}: the dry run suggests fixing the grader or the data first.` : undefined,
      `${spec.label}, base model ${request.model}; validation ${Math.round(request.split.validShare * 100)} %${request.split.stratify ? ', stratified by topic' : ''}${request.split.generatedInValid ? ', generated data may be in validation' : ''}; ${settingsText}.`,
      spec.hosted
        ? `The split is uploaded to ${spec.label}, and the job is billed there.`
        : `The ${spec.label} bundle is written to exports/${request.backend}/ and launched${request.cluster ? ` on ${request.cluster.nodes} node${request.cluster.nodes === 1 ? '' : 's'} × ${request.cluster.gpusPerNode} GPU${request.cluster.gpusPerNode === 1 ? '' : 's'}, checkpoints in ${request.cluster.checkpointDir ?? '~/rft-studio/checkpoints on the node'}` : ''}.`,
      notice,
    ]
      .filter(Boolean)
      .join('\n');
    const choice = await vscode.window.showWarningMessage(`Start training ${datasetName(dir)} on ${spec.label}?`, { modal: true, detail }, 'Start Training');
    if (choice !== 'Start Training') return refuse('Not started.');
    post({
      type: 'launching',
      message: spec.hosted ? `Splitting the dataset, uploading it to ${spec.label} and creating the job…` : `Splitting the dataset, writing the ${spec.label} bundle and launching it…`,
    });
    try {
      const backend = core.backend(request.backend, connection);
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `RFT: Launching training of ${datasetName(dir)}` }, async () => {
        await core.ensureSplit(dir, request.split, request.backend);
        return core.launch(dir, {
          backend: request.backend,
          model: request.model,
          hyperparameters: request.hyperparameters as Hyperparameters,
          split: request.split,
          confirmCaution: gate.needsConfirmation,
          backendImpl: backend,
          connection,
          ...clusterOptions(request),
        });
      });
      if (!result.job) return refuse('Nothing was launched.');
      if (request.backend === 'openai') void context.workspaceState.update(OPENAI_REFUSED_KEY, undefined);
      log.info(
        `Training job ${result.job.id} launched on ${request.backend}${result.job.remoteId ? ` (${result.job.remoteId})` : ''}: ${result.split.train} train / ${result.split.valid} validation rows`,
      );
      for (const warning of result.split.warnings) log.warn(`Split of ${datasetName(dir)}: ${warning.message}`);
      if (result.split.warnings.length > 0)
        void vscode.window.showWarningMessage(
          `RFT: ${result.split.warnings[0].message}${result.split.warnings.length > 1 ? ` (and ${result.split.warnings.length - 1} more field${result.split.warnings.length > 2 ? 's' : ''} in the RFT output)` : ''}`,
        );
      post({ type: 'job', job: jobView(result.job, backend.capabilities) });
      await monitor.watch(dir, result.job, backend);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`Training launch of ${dir} failed: ${message}`);
      if (error instanceof FineTuningAccessError && request.backend === 'openai') void context.workspaceState.update(OPENAI_REFUSED_KEY, message);
      refuse(message, error instanceof TrainingGateError ? 'runDryRun' : undefined);
      if (error instanceof TrainingError && error.job) post({ type: 'job', job: jobView(error.job.record) });
    } finally {
      void registry.refresh(dir);
    }
  }

  /** verl: the form's cluster as the launch takes it (the reward server apart: it goes to the bundle and the job). */
  const clusterOptions = ({ cluster }: StartRequest) =>
    cluster ? { rewardServerUrl: cluster.rewardServer, cluster: { nodes: cluster.nodes, gpusPerNode: cluster.gpusPerNode, checkpointDir: cluster.checkpointDir } } : {};

  return host;
}
