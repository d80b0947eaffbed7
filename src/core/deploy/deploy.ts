// Deploying the tuned model to a LiteLLM proxy (issue 14 §3, issue 19): a plan with its unified diff, then the write
// (the old file kept in .rft/deploy-backups/ for undo, written atomically) — or the same change through the proxy's
// admin API — recorded in .rft/deployments.jsonl; undo restores the last deployment as it was.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { writeFileAtomic } from '../fs/atomicWrite';
import { activeDeployment, appendDeploymentEntry, BACKUPS_DIR, type AdminRestore, type DeploymentRecord } from './deployments';
import { FILE_ROUTE, isMaskedKey, LitellmAdmin, LitellmAdminError, STRIPPED_PARAMS, type AdminDeployment } from './litellmAdmin';
import {
  DEFAULT_ROUTING_STRATEGY,
  DeployDecisionError,
  ENDPOINT_PARAMS,
  LitellmConfigError,
  LitellmConfigInputError,
  literalSecret,
  planRouting,
  weightsIgnoredReason,
  type DeployMode,
  type LitellmParams,
} from './litellmConfig';
import { checkEnvName, defaultKeyEnv, type TunedModel } from './tunedModel';

export interface DeployRequest {
  readonly mode: DeployMode;
  /** replace / ab: the model_name to route; alias: the new name (default "<model_name>-tuned"). */
  readonly modelName: string;
  readonly tuned: TunedModel;
  /** ab: [base, tuned]. */
  readonly weights?: readonly [number, number];
  /** ab, file route: set router_settings.routing_strategy to simple-shuffle when it is another strategy. */
  readonly setSimpleShuffle?: boolean;
  /** Admin route: the variable the base deployments' api_key comes from ("none": they have none). /model/info never returns it. */
  readonly baseApiKeyEnv?: string | null;
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
  /** ab with setSimpleShuffle: router_settings.routing_strategy changed from `before` to simple-shuffle. */
  readonly routingStrategy?: { readonly before: string; readonly after: string };
}

/** The tuned model's litellm_params: the provider prefix LiteLLM routes by, and the key as os.environ/NAME. */
export function litellmParamsOf(tuned: TunedModel): LitellmParams {
  const keyEnv = tuned.apiKeyEnv ?? defaultKeyEnv(tuned.endpoint);
  const key: Record<string, string> = keyEnv ? { api_key: `os.environ/${keyEnv}` } : {};
  switch (tuned.endpoint) {
    case 'azure':
      return {
        model: `azure/${tuned.deployment}`,
        ...(tuned.baseURL ? { api_base: tuned.baseURL } : { api_base: 'os.environ/AZURE_API_BASE' }),
        ...key,
        ...(tuned.apiVersion ? { api_version: tuned.apiVersion } : {}),
      };
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
    const code = (error as NodeJS.ErrnoException).code;
    throw new LitellmConfigInputError(`cannot read ${configFile}: ${code === 'EISDIR' ? 'it is a folder, not a file' : code === 'ENOENT' ? 'not found' : (error as Error).message}`);
  }
  const edit = planRouting(
    before,
    { mode: request.mode, modelName: request.modelName, tuned: params, weights: request.weights, setSimpleShuffle: request.setSimpleShuffle },
    path.basename(configFile),
  );
  const name = path.basename(configFile);
  const diff =
    edit.text === before
      ? ''
      : createTwoFilesPatch(`a/${name}`, `b/${name}`, before, edit.text, '', '', { context: 3 })
          .replace(/^=+\n/m, '')
          .replace(/^Index: .*\n/m, '')
          .replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
  return {
    request,
    config: path.resolve(configFile),
    before,
    after: edit.text,
    diff,
    changes: edit.changes,
    ...(edit.weights ? { weights: edit.weights } : {}),
    ...(edit.routingStrategy ? { routingStrategy: edit.routingStrategy } : {}),
  };
}

/** Writes the plan: the old file kept for undo, the new one written atomically, the deployment recorded. */
export async function applyDeploy(dir: string, plan: DeployPlan, now = new Date()): Promise<DeploymentRecord> {
  const current = await fs.promises.readFile(plan.config, 'utf8');
  if (current !== plan.before) throw new LitellmConfigError(`${plan.config} changed since the plan was made: plan again`);
  const backup = path.join(dir, BACKUPS_DIR, `${stamp(now)}-${path.basename(plan.config)}`);
  await fs.promises.mkdir(path.dirname(backup), { recursive: true });
  await writeFileAtomic(backup, plan.before);
  await writeFileAtomic(plan.config, plan.after);
  const record: DeploymentRecord = {
    kind: 'deploy',
    time: now.toISOString(),
    gateway: 'litellm',
    mode: plan.request.mode,
    via: 'file',
    target: plan.config,
    modelName: plan.request.modelName,
    tunedModel: plan.request.tuned.model,
    ...(plan.weights ? { weights: plan.weights } : {}),
    backup: path.relative(dir, backup),
    writtenHash: sha256(plan.after),
  };
  await appendDeploymentEntry(dir, record);
  return record;
}

export interface AdminDeployResult {
  readonly record: DeploymentRecord;
  /** What the user should know: routing_strategy not checkable, Undo will ask for the base's key variable, … */
  readonly notes: string[];
}

/** A change the admin route makes to an existing deployment. */
interface AdminEdit {
  readonly member: AdminDeployment;
  /** The litellm_params it should have (without api_key unless the deploy sets it). */
  readonly target: Record<string, unknown>;
  readonly apiKeyChanged: boolean;
  /** A merge cannot give `target` (a key must go): create it anew, then delete the old one. */
  readonly recreate: boolean;
}

/**
 * The same routing through the proxy's admin API. Every change is planned and checked before the first call; each
 * deployment is recorded as it was, so undo can restore it exactly (by /model/update where a merge can, by delete
 * and /model/new with the same id where it cannot). A refusal midway reverses what was done before it.
 */
export async function deployViaAdmin(dir: string, admin: LitellmAdmin, url: string, request: DeployRequest, now = new Date()): Promise<AdminDeployResult> {
  if (request.setSimpleShuffle)
    throw new DeployDecisionError(
      `--set-simple-shuffle edits config.yaml; rft does not change a running proxy's routing_strategy: set router_settings.routing_strategy to ${DEFAULT_ROUTING_STRATEGY} in the proxy's config.yaml or LiteLLM's UI`,
    );
  const params = litellmParamsOf(request.tuned);
  const secret = literalSecret(params);
  if (secret) throw new LitellmConfigError(`${secret} must be an os.environ/NAME reference, never a literal key`);
  const baseApiKey = baseKeyReference(request.baseApiKeyEnv);
  const notes: string[] = [];
  const deployments = await admin.modelInfo();
  const group = deployments.filter((d) => d.modelName === request.modelName);
  const edits: AdminEdit[] = [];
  const creates: Record<string, unknown>[] = [];
  let weights: { model: string; weight: number }[] | undefined;

  if (request.mode === 'alias') {
    if (group.length > 0) throw new LitellmConfigError(`the proxy has model_name "${request.modelName}" already; choose another alias, or use replace`);
    creates.push({ ...params });
  } else {
    if (group.length === 0)
      throw new LitellmConfigInputError(`the proxy has no model_name "${request.modelName}"; its names are: ${[...new Set(deployments.map((d) => d.modelName))].join(', ') || '(none)'}`);
    const inConfig = group.filter((d) => !d.dbModel);
    if (inConfig.length > 0)
      throw new LitellmConfigError(
        `"${request.modelName}" has deployments defined in config.yaml (${inConfig.map((d) => d.id).join(', ')}); LiteLLM's admin API edits only models stored in its database (its /model/update answers "Model in config") — ${FILE_ROUTE}`,
      );
    if (request.mode === 'replace') {
      for (const member of group) {
        const target = { ...omit(member.litellmParams, ENDPOINT_PARAMS), ...params };
        // without a tuned api_key the base's key (which /model/info hides) must go, and a merge would keep it
        const keyMustGo = !('api_key' in params) && baseApiKey !== null;
        edits.push({ member, target, apiKeyChanged: true, recreate: keyMustGo || hasKeysOutside(member.litellmParams, target) });
      }
    } else {
      const strategy = await admin.routingStrategy();
      if (strategy === undefined)
        notes.push(
          `The proxy has no GET /router/settings (an older LiteLLM), so routing_strategy could not be checked: the weights work only with router_settings.routing_strategy ${DEFAULT_ROUTING_STRATEGY} (the default).`,
        );
      else if (strategy !== DEFAULT_ROUTING_STRATEGY)
        throw new DeployDecisionError(
          `${weightsIgnoredReason(strategy, `the proxy's router_settings.routing_strategy (GET /router/settings)`)}. Set it to ${DEFAULT_ROUTING_STRATEGY} in the proxy's config.yaml or LiteLLM's UI and deploy again, or use alias; nothing was changed`,
        );
      const [baseWeight, tunedWeight] = request.weights ?? [90, 10];
      const bases = group.filter((d) => d.litellmParams.model !== params.model);
      const tunedMembers = group.filter((d) => d.litellmParams.model === params.model);
      if (bases.length === 0) throw new LitellmConfigError(`"${request.modelName}" has only the tuned model; an A/B test needs a base deployment`);
      const perBase = roundWeight(baseWeight / bases.length);
      const perTuned = roundWeight(tunedWeight / Math.max(tunedMembers.length, 1));
      weights = [];
      for (const member of group) {
        const weight = bases.includes(member) ? perBase : perTuned;
        weights.push({ model: String(member.litellmParams.model ?? ''), weight });
        if (member.litellmParams.weight !== weight) edits.push({ member, target: { ...member.litellmParams, weight }, apiKeyChanged: false, recreate: false });
      }
      if (tunedMembers.length === 0) {
        creates.push({ ...params, weight: perTuned });
        weights.push({ model: String(params.model), weight: perTuned });
      }
    }
  }
  for (const edit of edits) checkRestorable(edit.member);
  if (request.mode === 'replace' && baseApiKey === undefined)
    notes.push(
      `Undo will ask for the variable the base deployment's api_key comes from: LiteLLM's /model/info never returns api_key (--base-api-key-env NAME records it now as os.environ/NAME; none when it has no key).`,
    );

  const restore: AdminRestore[] = [];
  const created: string[] = [];
  try {
    for (const edit of edits) restore.push(await applyEdit(admin, request.modelName, edit, baseApiKey));
    for (const litellmParams of creates) created.push(await admin.newModel(request.modelName, litellmParams));
    await verifyProxy(admin, [...restore.map((r) => ({ id: r.replacedBy ?? r.id, params: r.after })), ...created.map((id, i) => ({ id, params: omit(creates[i], ['api_key']) }))]);
  } catch (error) {
    const left = await reverseAdmin(admin, created, restore, baseApiKey).catch(() => ({ created, restore }));
    if (left.created.length > 0 || left.restore.length > 0) {
      await appendDeploymentEntry(dir, adminRecord(now, url, request, weights, left.created, left.restore));
      (error as Error).message += `. Not everything could be reversed (${[...left.created, ...left.restore.map((r) => r.id)].join(', ')}): rft deploy --undo --base-api-key-env NAME reverses the rest`;
    }
    throw error;
  }
  const record = adminRecord(now, url, request, weights, created, restore);
  await appendDeploymentEntry(dir, record);
  return { record, notes };
}

function adminRecord(now: Date, url: string, request: DeployRequest, weights: { model: string; weight: number }[] | undefined, created: string[], restore: AdminRestore[]): DeploymentRecord {
  return {
    kind: 'deploy',
    time: now.toISOString(),
    gateway: 'litellm',
    mode: request.mode,
    via: 'admin',
    target: url,
    modelName: request.modelName,
    tunedModel: request.tuned.model,
    ...(weights ? { weights } : {}),
    admin: { created, restore },
  };
}

/** "os.environ/NAME", null for "none", undefined when not given. */
function baseKeyReference(env: string | null | undefined): string | null | undefined {
  if (env === undefined || env === null) return env;
  if (env.trim().toLowerCase() === 'none') return null;
  checkEnvName(env, '--base-api-key-env');
  return `os.environ/${env}`;
}

async function applyEdit(admin: LitellmAdmin, modelName: string, edit: AdminEdit, baseApiKey: string | null | undefined): Promise<AdminRestore> {
  const { member, target } = edit;
  const entry: AdminRestore = {
    id: member.id,
    modelName,
    modelInfo: recreatableInfo(member.modelInfo),
    before: { ...member.litellmParams },
    after: omit(target, ['api_key']),
    apiKeyChanged: edit.apiKeyChanged,
    ...(baseApiKey !== undefined ? { baseApiKey } : {}),
  };
  if (!edit.recreate) {
    await admin.updateModel(member.id, target);
    return entry;
  }
  // created first, so the group always has a deployment; the old one goes after
  const replacedBy = await admin.newModel(modelName, target, omit(entry.modelInfo, ['id']));
  try {
    await admin.deleteModel(member.id);
  } catch (error) {
    await admin.deleteModel(replacedBy).catch(() => undefined);
    throw error;
  }
  return { ...entry, replacedBy };
}

/** A deployment rft could not put back as it was: /model/info hides or masks some of what it holds. */
function checkRestorable(member: AdminDeployment): void {
  const masked = Object.keys(member.litellmParams).filter(isMaskedKey);
  const model = String(member.litellmParams.model ?? '');
  const hidden = /^(bedrock|sagemaker|vertex_ai|vertex_ai_beta)\//.test(model) || 'client_id' in member.litellmParams || 'tenant_id' in member.litellmParams;
  const why =
    masked.length > 0
      ? `holds ${masked.join(', ')}, which LiteLLM's /model/info shows only masked`
      : hidden
        ? `uses credentials LiteLLM's /model/info never returns (${STRIPPED_PARAMS.filter((k) => k !== 'api_key').join(', ')})`
        : member.modelInfo.team_id
          ? `is a team model (model_info.team_id), which LiteLLM stores under another name`
          : undefined;
  if (why) throw new LitellmConfigError(`deployment ${member.id} of "${member.modelName}" ${why}: rft cannot send it back or recreate it as it was — ${FILE_ROUTE}`);
}

/** model_info to send with /model/new when recreating: what /model/info showed, less what the proxy sets itself. */
function recreatableInfo(info: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(info).filter(([key, value]) => value !== null && key !== 'db_model'));
}

/** `current` has a key `target` lacks: a merge would keep it. */
const hasKeysOutside = (current: Record<string, unknown>, target: Record<string, unknown>) => Object.keys(current).some((key) => !(key in target));

/** The proxy now shows what was meant (keys only it writes on every update, defaulting to false, are let be). */
async function verifyProxy(admin: LitellmAdmin, expected: readonly { id: string; params: Record<string, unknown> }[]): Promise<void> {
  if (expected.length === 0) return;
  const shown = new Map((await admin.modelInfo()).map((d) => [d.id, d.litellmParams]));
  for (const { id, params } of expected) {
    const current = shown.get(id);
    const differs = current ? changedKeys(current, params) : ['(the deployment is gone)'];
    if (differs.length > 0) throw new LitellmAdminError(`the LiteLLM proxy does not show deployment ${id} as it was sent: ${differs.join(', ')} differ (GET /model/info)`, 200, 'not as sent');
  }
}

/**
 * The keys where what /model/info shows differs from what is expected (the keys it never shows aside). A key only the
 * proxy added with a false or empty value is let be: LiteLLM's handlers write the params model's defaults
 * (use_in_pass_through: false, …) on every write.
 */
function changedKeys(shown: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const a = omit(shown, STRIPPED_PARAMS);
  const b = omit(expected, STRIPPED_PARAMS);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !isDeepStrictEqual(a[key], b[key]) && (key in b || ![false, null, 'None'].includes(a[key] as never)));
}

const omit = (value: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
const roundWeight = (value: number) => Math.round(value * 1e6) / 1e6;

export interface UndoResult {
  readonly deployment: DeploymentRecord;
  /** What was restored: the config file, or the proxy's URL. */
  readonly restored: string;
}

export interface UndoOptions {
  readonly force?: boolean;
  readonly admin?: LitellmAdmin;
  /** Admin route: the variable the base deployments' api_key comes from ("none": no key), when the deploy did not record it. */
  readonly baseApiKeyEnv?: string | null;
  readonly now?: Date;
}

/** Restores the last deployment's backup (or its deployments through the admin API); refuses when they changed since, unless forced. */
export async function undoDeploy(dir: string, options: UndoOptions = {}): Promise<UndoResult> {
  const deployment = await activeDeployment(dir);
  if (!deployment) throw new LitellmConfigError(`nothing to undo: ${dir} has no deployment that was not undone`);
  if (deployment.via === 'admin') {
    if (!options.admin) throw new LitellmConfigError(`the last deployment went through the admin API of ${deployment.target}: set LITELLM_MASTER_KEY to undo it`);
    if (deployment.admin?.restore) await undoAdmin(options.admin, deployment, options);
    else await reverseLegacy(options.admin, deployment.admin?.created ?? [], deployment.admin?.updated ?? []);
  } else {
    const backup = path.join(dir, deployment.backup!);
    let current: string | undefined;
    try {
      current = await fs.promises.readFile(deployment.target, 'utf8');
    } catch {
      current = undefined;
    }
    if (!options.force && current !== undefined && sha256(current) !== deployment.writtenHash)
      throw new LitellmConfigError(`${deployment.target} changed since the deployment of ${deployment.time}; undo would lose those changes — pass --force to restore ${deployment.backup} anyway`);
    await writeFileAtomic(deployment.target, await fs.promises.readFile(backup, 'utf8'));
  }
  await appendDeploymentEntry(dir, { kind: 'undo', time: (options.now ?? new Date()).toISOString(), of: deployment.time });
  return { deployment, restored: deployment.target };
}

/** Every check first (changed since? the base's key needed and known?), then the deletes and restores. */
async function undoAdmin(admin: LitellmAdmin, deployment: DeploymentRecord, options: UndoOptions): Promise<void> {
  const given = baseKeyReference(options.baseApiKeyEnv);
  const shown = new Map((await admin.modelInfo()).map((d) => [d.id, d]));
  const restore = deployment.admin?.restore ?? [];
  const needKey: string[] = [];
  for (const entry of restore) {
    const current = shown.get(entry.replacedBy ?? entry.id);
    const alreadyBack = entry.replacedBy !== undefined && !current && shown.has(entry.id);
    if (alreadyBack) continue;
    if (!options.force && (!current || changedKeys(current.litellmParams, entry.after).length > 0))
      throw new LitellmConfigError(
        `deployment ${entry.replacedBy ?? entry.id} of "${entry.modelName}" on ${deployment.target} changed since the deployment of ${deployment.time}${current ? ` (${changedKeys(current.litellmParams, entry.after).join(', ')})` : ' (it is gone)'}; undo would lose those changes — pass --force to restore it anyway`,
      );
    const key = entry.baseApiKey !== undefined ? entry.baseApiKey : given;
    if ((entry.apiKeyChanged || mustRecreate(entry, key, current)) && key === undefined) needKey.push(entry.id);
  }
  if (needKey.length > 0)
    throw new DeployDecisionError(
      `undo must ${restore.some((e) => e.apiKeyChanged) ? 'put back the api_key of' : 'recreate'} ${needKey.join(', ')}, and LiteLLM's /model/info never returns api_key: pass --base-api-key-env NAME (the variable it came from, sent as os.environ/NAME) or --base-api-key-env none (it had no key); nothing was changed`,
    );
  const left = await reverseAdmin(admin, deployment.admin?.created ?? [], restore, given, shown);
  if (left.created.length > 0 || left.restore.length > 0)
    throw new LitellmAdminError(`undo could not restore ${[...left.created, ...left.restore.map((r) => r.id)].join(', ')} on ${deployment.target}`, 0, 'incomplete');
  await verifyProxy(
    admin,
    restore.map((entry) => ({ id: entry.id, params: entry.before })),
  );
}

/** A merge cannot give `before` back: it is gone or was recreated, it holds a key `before` lacks, or the base's key must go. */
function mustRecreate(entry: AdminRestore, key: string | null | undefined, current: AdminDeployment | undefined): boolean {
  return !current || entry.replacedBy !== undefined || changedKeys(current.litellmParams, entry.before).some((k) => !(k in entry.before)) || (entry.apiKeyChanged && key === null);
}

/**
 * Deletes what was created and puts each changed deployment back: by /model/update with every key it had (and the
 * base's key where the deploy changed it), or — where a merge cannot remove a key — by /model/delete and /model/new
 * with the same id. Returns what could not be reversed (a key unknown, a call refused).
 */
async function reverseAdmin(
  admin: LitellmAdmin,
  created: readonly string[],
  restore: readonly AdminRestore[],
  givenKey: string | null | undefined,
  shown?: Map<string, AdminDeployment>,
): Promise<{ created: string[]; restore: AdminRestore[] }> {
  const current = shown ?? new Map((await admin.modelInfo()).map((d) => [d.id, d]));
  const left = { created: [] as string[], restore: [] as AdminRestore[] };
  for (const id of [...created].reverse()) {
    if (!current.has(id)) continue;
    await admin.deleteModel(id).catch(() => left.created.push(id));
  }
  for (const entry of [...restore].reverse()) {
    const key = entry.baseApiKey !== undefined ? entry.baseApiKey : givenKey;
    const now = current.get(entry.replacedBy ?? entry.id);
    if (entry.replacedBy !== undefined && !now && current.has(entry.id)) continue;
    const recreate = mustRecreate(entry, key, now);
    if ((recreate || entry.apiKeyChanged) && key === undefined) {
      left.restore.push(entry);
      continue;
    }
    const params = { ...entry.before, ...(typeof key === 'string' && (recreate || entry.apiKeyChanged) ? { api_key: key } : {}) };
    try {
      if (!recreate) await admin.updateModel(entry.id, params);
      else {
        if (now) await admin.deleteModel(entry.replacedBy ?? entry.id);
        await admin.newModel(entry.modelName, params, { ...entry.modelInfo, id: entry.id });
      }
    } catch {
      left.restore.push(entry);
    }
  }
  return left;
}

/** Records written before issue 19 (params changed, with their old values). */
async function reverseLegacy(admin: LitellmAdmin, created: readonly string[], updated: readonly { id: string; previous: Record<string, unknown> }[]): Promise<void> {
  for (const id of [...created].reverse()) await admin.deleteModel(id);
  for (const { id, previous } of [...updated].reverse()) if (Object.keys(previous).length > 0) await admin.updateModel(id, previous);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const stamp = (at: Date) => at.toISOString().replace(/[:.]/g, '-');

export { LitellmAdminError };
