// Generation in VS Code (step 3's "Generate Samples", the dashboard's "Generate ~N"): the generation panel wired to
// src/core/generate, with the model from the provider layer, and the coverage dashboard and the tree following
// the records as they land. The work is the core's; this is the glue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GENERATED_FILE } from '../../core/dataset/manifest';
import type { GenerateApi } from '../../core/generate/generateTypes';
import { datasetCoverage } from '../../core/topics/topicsPipeline';
import type { Blocker } from '../../shared/generateProtocol';
import { datasetTarget, executeCommand } from '../commands';
import type { Ctx } from '../ctx';
import { NO_PROVIDER, requireProvider, requireTrust, untrustedReason } from '../preconditions';
import { onDataset, type Step } from '../step';
import type { ChosenTopic, GenerateHost } from './generatePanel';
import { modelClient } from '../llm/modelClient';
const NO_TOPICS = 'This dataset has no topics yet: generation fills the gaps between topics. Generate topics in step 2 first.';
/** The dashboard and the tree follow landed records at most this often (each refresh reads the dataset). */
const LANDED_REFRESH_MS = 2_000;

export function generateStep(ctx: Ctx, core: GenerateApi) {
  const { registry, providers, log } = ctx;
  const afterLanding = throttledPerDataset(LANDED_REFRESH_MS, (dir) => {
    void registry.refresh(dir);
    void ctx.panels.coverage.refresh(dir);
  });
  const blocker = async (): Promise<Blocker | undefined> => {
    const untrusted = untrustedReason(ctx, 'generate');
    if (untrusted) return { kind: 'untrusted', message: untrusted };
    return (await providers.provider({ quiet: true })) ? undefined : { kind: 'noProvider', message: NO_PROVIDER };
  };
  const host: GenerateHost = {
    load: async (dir, chosen) => {
      const base = { dataset: ctx.datasetName(dir), datasetDir: dir, model: ctx.config.chatModel };
      const report = await datasetCoverage(dir);
      if (!report) return { ...base, topics: [], counts: {}, blocker: { kind: 'noTopics', message: NO_TOPICS } };
      const topics = report.topics.map(({ path: topicPath, count, share, target, gap }) => ({ path: topicPath, count, share, target, gap }));
      const leaf = chosen && topics.find((topic) => topic.path === chosen.topic);
      // A leaf from the dashboard: that count; a top topic: the gaps of its leaves; else every gap.
      const counts =
        chosen && leaf
          ? { [leaf.path]: chosen.count ?? leaf.gap }
          : Object.fromEntries((await core.gapTargets(dir)).filter((target) => !chosen || target.topic.startsWith(`${chosen.topic}/`)).map((target) => [target.topic, target.count]));
      const cannot = await blocker();
      return { ...base, topics, counts, ...(cannot ? { blocker: cannot } : {}) };
    },
    estimate: (dir, request) => core.estimateGeneration(dir, request.targets, { model: request.model, strategy: request.strategy }),
    run: async (dir, request, signal, onProgress) => {
      requireTrust(ctx, 'generate');
      const provider = await requireProvider(ctx);
      const targets = request.targets.map((target) => `${target.topic} ${target.count}`).join(', ');
      log.info(`Generating in ${dir} with ${request.model} (${request.strategy}): ${targets}`);
      const result = await core.generateRecords(dir, request.targets, { client: modelClient(ctx, provider), model: request.model, strategy: request.strategy, signal, onProgress });
      log.info(`Generated in ${dir}: ${result.written} of ${result.requested} landed in ${result.requests} requests; stopped: ${result.stopped} (${result.reason})`);
      return result;
    },
    landed: (dir) => afterLanding(dir),
    openCoverage: async (dir) => void (await executeCommand('rftStudio.openCoverage', datasetTarget(dir))),
    reviewRecords: async (dir) => {
      if ((await vscode.commands.getCommands(true)).includes('rftStudio.openRecordsBrowser')) {
        await executeCommand('rftStudio.openRecordsBrowser', datasetTarget(dir));
        return;
      }
      const file = path.join(dir, GENERATED_FILE);
      if (!fs.existsSync(file)) throw new Error(`No records were generated yet: ${GENERATED_FILE} does not exist.`);
      await vscode.window.showTextDocument(vscode.Uri.file(file));
    },
    generateTopics: async (dir) => void (await executeCommand('rftStudio.generateTopics', datasetTarget(dir))),
  };

  return {
    commands: {
      'rftStudio.generateSamples': onDataset(ctx, (dir, target) => {
        const panel = ctx.panels.generate.show(ctx.extension, dir, host);
        if (panel.isRunning) {
          void vscode.window.showInformationMessage('RFT: samples are being generated for this dataset; Stop it in the panel to start another run.');
          return;
        }
        panel.choose(chosenTopic(target));
      }),
    },
    restore: { 'rftStudio.generate': (panel, state) => ctx.panels.generate.restore(panel, state, ctx.extension, host) },
    disposables: [
      vscode.workspace.onDidGrantWorkspaceTrust(() => void Promise.all([ctx.panels.generate.refreshEvery(), ctx.panels.coverage.refreshEvery()])),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('rftStudio.provider')) void ctx.panels.generate.refreshEvery();
      }),
    ],
  } satisfies Step;
}

/** The dashboard's button sends `{ kind: 'dataset', dir, topic, count }`; the tree and the palette send no topic. */
function chosenTopic(target: unknown): ChosenTopic | undefined {
  const { topic, count } = (target ?? {}) as { topic?: unknown; count?: unknown };
  if (typeof topic !== 'string') return undefined;
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? { topic, count } : { topic };
}

/** Calls `action(dir)` at once, then at most once per `intervalMs` per dataset (a call in between runs at its end). */
function throttledPerDataset(intervalMs: number, action: (dir: string) => void): (dir: string) => void {
  const waiting = new Map<string, { again: boolean }>();
  const call = (dir: string): void => {
    const open = waiting.get(dir);
    if (open) {
      open.again = true;
      return;
    }
    const slot = { again: false };
    waiting.set(dir, slot);
    action(dir);
    setTimeout(() => {
      waiting.delete(dir);
      if (slot.again) call(dir);
    }, intervalMs);
  };
  return call;
}
