// What a command or panel needs before it runs — a trusted workspace, a model provider, a grader — checked in one
// place, with every refusal's words in one table (tests and the E2E read them as they are).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GRADER_FILE, readGraderFile } from '../core/grader/graderFile';
import type { ProviderConfig } from '../core/llm/providerConfig';
import type { Ctx } from './ctx';

/** Why each kind of work does not run in an untrusted workspace. */
export const UNTRUSTED = {
  grader: 'This workspace is not trusted: LLM judges and script graders (python, js) do not run in it. Trust the workspace to run them.',
  generate: 'This workspace is not trusted: generating samples calls the chat model, which does not run in an untrusted workspace. Trust the workspace to generate.',
  dryRun: 'This workspace is not trusted: a dry run calls the base model (and the grader’s judges and scripts), which do not run in an untrusted workspace. Trust the workspace to run it.',
  train: 'This workspace is not trusted: training uploads the dataset and calls the training backend, which does not happen in an untrusted workspace. Trust the workspace to train.',
  deploy:
    'This workspace is not trusted: benchmarks, the playground and deploys through the proxy’s admin API call models and servers, which do not run in an untrusted workspace. Trust the workspace to use them.',
} as const;

export type TrustedWork = keyof typeof UNTRUSTED;

/** What a step says when the dataset has no grader.json yet. */
const NO_GRADER_YET = {
  dryRun: 'There is no grader yet: define one in step 4 (Edit Grader) first.',
  train: 'There is no grader yet: define one in step 4 (Edit Grader), then run a dry run.',
  deploy: 'There is no grader yet: benchmarks and the playground score answers with it — define one in step 4 (Edit Grader).',
} as const;

export const NO_PROVIDER = 'No model provider is configured: RFT: Set API Key (or a local base URL in rftStudio.provider.baseUrl).';
export const NO_PROVIDER_TO_TRAIN = 'No model provider is configured: RFT: Set API Key (and the base URL in rftStudio.provider.baseUrl for a compatible server).';
/** The judge's refusal; where the judge may be a VS Code language model the text says how. */
export const NO_JUDGE = 'This grader asks an LLM judge, and no model provider is configured: RFT: Set API Key (or a local base URL).';
export const NO_JUDGE_OR_LANGUAGE_MODEL = 'This grader asks an LLM judge, and no model provider is configured: RFT: Set API Key (or a local base URL), or set rftStudio.provider.chat to "vscode-lm".';
const NO_GRADER_FILE = 'There is no grader.json yet: define the grader in step 4 first.';

/** The untrusted text of `work`, or undefined in a trusted workspace. */
export function untrustedReason(ctx: Ctx, work: TrustedWork): string | undefined {
  return ctx.trusted ? undefined : UNTRUSTED[work];
}

/** Throws the untrusted text of `work` in an untrusted workspace (a panel shows it as its error). */
export function requireTrust(ctx: Ctx, work: TrustedWork): void {
  const reason = untrustedReason(ctx, work);
  if (reason) throw new Error(reason);
}

/** A command's check: warns "RFT: <the untrusted text>" and says false in an untrusted workspace. */
export function trustedOrWarn(ctx: Ctx, work: TrustedWork): boolean {
  const reason = untrustedReason(ctx, work);
  if (reason) void vscode.window.showWarningMessage(`RFT: ${reason}`);
  return reason === undefined;
}

/** Why a panel of `work` cannot run on the dataset: the workspace is untrusted, or it has no grader.json. */
export function cannotRunReason(ctx: Ctx, work: keyof typeof NO_GRADER_YET, dir: string): string | undefined {
  return untrustedReason(ctx, work) ?? (fs.existsSync(path.join(dir, GRADER_FILE)) ? undefined : NO_GRADER_YET[work]);
}

/** The configured provider; when there is none the user is told how to set one, and this throws `message`. */
export async function requireProvider(ctx: Ctx, message: string = NO_PROVIDER): Promise<ProviderConfig> {
  const provider = await ctx.providers.provider();
  if (!provider) throw new Error(message);
  return provider;
}

/** The dataset's grader.json (read and checked), or the error that there is none yet. */
export async function requireGrader(dir: string): Promise<NonNullable<Awaited<ReturnType<typeof readGraderFile>>>> {
  const loaded = await readGraderFile(dir);
  if (!loaded) throw new Error(NO_GRADER_FILE);
  return loaded;
}
