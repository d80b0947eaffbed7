// Deploying the tuned model to a LiteLLM proxy (issue 14 §3): a plan with its unified diff, then the write (the
// old file kept in .rft/deploy-backups/ for undo, written atomically) — or the same change through the proxy's
// admin API — recorded in .rft/deployments.jsonl; undo restores the last deployment.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { writeFileAtomic } from '../fs/atomicWrite';
import { activeDeployment, appendDeploymentEntry, BACKUPS_DIR, type DeploymentRecord } from './deployments';
import { LitellmAdmin, LitellmAdminError } from './litellmAdmin';
import { LitellmConfigError, literalSecret, planRouting, type DeployMode, type LitellmParams } from './litellmConfig';
import { defaultKeyEnv, type TunedModel } from './tunedModel';

export interface DeployRequest {
  readonly mode: DeployMode;
  /** replace / ab: the model_name to route; alias: the new name (default "<model_name>-tuned"). */
  readonly modelName: string;
  readonly tuned: TunedModel;
  /** ab: [base, tuned]. */
  readonly weights?: readonly [number, number];
}

export interface DeployPlan {
  readonly request: DeployRequest;
  readonly config: string;
  readonly before: string;
  readonly after: string;
  /** Unified diff of config.yaml (empty when nothing changes). */
  readonly diff: string;
  readonly changes: string[];
  readonly weights?: { readonly model: string; readonly weight: number }[];
}

/** The tuned model's litellm_params: the provider prefix LiteLLM routes by, and the key as os.environ/NAME. */
export function litellmParamsOf(tuned: TunedModel): LitellmParams {
  const keyEnv = tuned.apiKeyEnv ?? defaultKeyEnv(tuned.endpoint);
  const key: Record<string, string> = keyEnv ? { api_key: `os.environ/${keyEnv}` } : {};
  switch (tuned.endpoint) {
    case 'azure':
      return { model: `azure/${tuned.deployment}`, ...(tuned.baseURL ? { api_base: tuned.baseURL } : { api_base: 'os.environ/AZURE_API_BASE' }), ...key, ...(tuned.apiVersion ? { api_version: tuned.apiVersion } : {}) };
    case 'compatible':
      return { model: `openai/${tuned.model}`, api_base: tuned.baseURL!, ...key };
    default:
      return { model: `openai/${tuned.model}`, ...key };
  }
}

export async function planDeploy(configFile: string, request: DeployRequest): Promise<DeployPlan> {
  const params = litellmParamsOf(request.tuned);
  const secret = literalSecret(params);
  if (secret) throw new LitellmConfigError(`${secret} must be an os.environ/NAME reference, never a literal key`);
  let before: string;
  try {
    before = await fs.promises.readFile(configFile, 'utf8');
  } catch (error) {
    throw new LitellmConfigError(`cannot read ${configFile}: ${(error as Error).message}`);
  }
  const edit = planRouting(before, { mode: request.mode, modelName: request.modelName, tuned: params, weights: request.weights }, path.basename(configFile));
  const name = path.basename(configFile);
  const diff = edit.text === before ? '' : createTwoFilesPatch(`a/${name}`, `b/${name}`, before, edit.text, '', '', { context: 3 }).replace(/^=+\n/m, '').replace(/^Index: .*\n/m, '').replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
  return { request, config: path.resolve(configFile), before, after: edit.text, diff, changes: edit.changes, ...(edit.weights ? { weights: edit.weights } : {}) };
}

/** Writes the plan: the old file kept for undo, the new one written atomically, the deployment recorded. */
export async function applyDeploy(dir: string, plan: DeployPlan, now = new Date()): Promise<DeploymentRecord> {
  const current = await fs.promises.readFile(plan.config, 'utf8');
  if (current !== plan.before) throw new LitellmConfigError(`${plan.config} changed since the plan was made: plan again`);
  const backup = path.join(dir, BACKUPS_DIR, `${stamp(now)}-${path.basename(plan.config)}`);
  await fs.promises.mkdir(path.dirname(backup), { recursive: true });
  await writeFileAtomic(backup, plan.before);
  await writeFileAtomic(plan.config, plan.after);
  const record: DeploymentRecord = { kind: 'deploy', time: now.toISOString(), gateway: 'litellm', mode: plan.request.mode, via: 'file', target: plan.config, modelName: plan.request.modelName, tunedModel: plan.request.tuned.model, ...(plan.weights ? { weights: plan.weights } : {}), backup: path.relative(dir, backup), writtenHash: sha256(plan.after) };
  await appendDeploymentEntry(dir, record);
  return record;
}

/** The same routing through the proxy's admin API; a refusal undoes what was done before it. */
export async function deployViaAdmin(dir: string, admin: LitellmAdmin, url: string, request: DeployRequest, now = new Date()): Promise<DeploymentRecord> {
  const params = litellmParamsOf(request.tuned);
  const created: string[] = [];
  const updated: { id: string; previous: Record<string, unknown> }[] = [];
  let weights: { model: string; weight: number }[] | undefined;
  try {
    if (request.mode === 'alias') created.push(await admin.newModel(request.modelName, { ...params }));
    else {
      const group = (await admin.modelInfo()).filter((d) => d.modelName === request.modelName);
      if (group.length === 0) throw new LitellmConfigError(`the proxy has no model_name "${request.modelName}"`);
      if (request.mode === 'replace') {
        for (const member of group) {
          await admin.updateModel(member.id, { ...params });
          updated.push({ id: member.id, previous: pick(member.litellmParams, Object.keys(params)) });
        }
      } else {
        const [baseWeight, tunedWeight] = request.weights ?? [90, 10];
        const bases = group.filter((d) => d.litellmParams.model !== params.model);
        weights = [];
        for (const member of bases) {
          const weight = baseWeight / bases.length;
          await admin.updateModel(member.id, { weight });
          updated.push({ id: member.id, previous: pick(member.litellmParams, ['weight']) });
          weights.push({ model: String(member.litellmParams.model ?? ''), weight });
        }
        created.push(await admin.newModel(request.modelName, { ...params, weight: tunedWeight }));
        weights.push({ model: String(params.model), weight: tunedWeight });
      }
    }
  } catch (error) {
    await reverseAdmin(admin, created, updated).catch(() => undefined);
    throw error;
  }
  const record: DeploymentRecord = { kind: 'deploy', time: now.toISOString(), gateway: 'litellm', mode: request.mode, via: 'admin', target: url, modelName: request.modelName, tunedModel: request.tuned.model, ...(weights ? { weights } : {}), admin: { created, updated } };
  await appendDeploymentEntry(dir, record);
  return record;
}

export interface UndoResult {
  readonly deployment: DeploymentRecord;
  /** What was restored: the config file, or the proxy's URL. */
  readonly restored: string;
}

/** Restores the last deployment's backup (or reverses its admin calls); refuses when the file changed since, unless forced. */
export async function undoDeploy(dir: string, options: { force?: boolean; admin?: LitellmAdmin; now?: Date } = {}): Promise<UndoResult> {
  const deployment = await activeDeployment(dir);
  if (!deployment) throw new LitellmConfigError(`nothing to undo: ${dir} has no deployment that was not undone`);
  if (deployment.via === 'admin') {
    if (!options.admin) throw new LitellmConfigError(`the last deployment went through the admin API of ${deployment.target}: set LITELLM_MASTER_KEY to undo it`);
    await reverseAdmin(options.admin, deployment.admin?.created ?? [], deployment.admin?.updated ?? []);
  } else {
    const backup = path.join(dir, deployment.backup!);
    let current: string | undefined;
    try {
      current = await fs.promises.readFile(deployment.target, 'utf8');
    } catch {
      current = undefined;
    }
    if (!options.force && current !== undefined && sha256(current) !== deployment.writtenHash) throw new LitellmConfigError(`${deployment.target} changed since the deployment of ${deployment.time}; undo would lose those changes — pass --force to restore ${deployment.backup} anyway`);
    await writeFileAtomic(deployment.target, await fs.promises.readFile(backup, 'utf8'));
  }
  await appendDeploymentEntry(dir, { kind: 'undo', time: (options.now ?? new Date()).toISOString(), of: deployment.time });
  return { deployment, restored: deployment.target };
}

async function reverseAdmin(admin: LitellmAdmin, created: readonly string[], updated: readonly { id: string; previous: Record<string, unknown> }[]): Promise<void> {
  for (const id of [...created].reverse()) await admin.deleteModel(id);
  for (const { id, previous } of [...updated].reverse()) if (Object.keys(previous).length > 0) await admin.updateModel(id, previous);
}

const pick = (value: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.filter((key) => value[key] !== undefined && value[key] !== null).map((key) => [key, value[key]]));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const stamp = (at: Date) => at.toISOString().replace(/[:.]/g, '-');

export { LitellmAdminError };
