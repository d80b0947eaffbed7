// `rft deploy <dataset>`: step 7's gateway routing on the command line (issue 14 §6, issue 19) — LiteLLM proxy
// config.yaml (replace / alias / A-B weights) with a diff preview, or through the proxy's admin API; `--undo` restores.
// Exit 2 when a decision is the user's: an A/B split LiteLLM would ignore (routing_strategy), the base's key variable.
import { parseArgs } from 'node:util';
import {
  activeDeployment,
  applyDeploy,
  checkEnvName,
  deployViaAdmin,
  DeployDecisionError,
  describeDeployment,
  LitellmAdmin,
  LitellmAdminError,
  LitellmConfigError,
  LitellmConfigInputError,
  parseWeights,
  planDeploy,
  readTunedModel,
  TunedModelError,
  undoDeploy,
  writeTunedModel,
  type DeployMode,
  type DeployRequest,
  type EndpointKind,
  type TunedModel,
} from '../../core/deploy';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError } from '../usage';
import { requireDataset } from './dataset';

const MODES = ['replace', 'alias', 'ab'];
const ENDPOINTS = ['openai', 'azure', 'compatible'];

export async function deployCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      gateway: { type: 'string', default: 'litellm' },
      config: { type: 'string' },
      mode: { type: 'string' },
      'model-name': { type: 'string' },
      alias: { type: 'string' },
      'tuned-model': { type: 'string' },
      endpoint: { type: 'string' },
      'base-url': { type: 'string' },
      deployment: { type: 'string' },
      'api-version': { type: 'string' },
      'api-key-env': { type: 'string' },
      'api-key': { type: 'string' },
      weights: { type: 'string' },
      'set-simple-shuffle': { type: 'boolean', default: false },
      'base-api-key-env': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'apply-url': { type: 'string' },
      undo: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('deploy needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'deploy');
  if (values['api-key'] !== undefined)
    throw new UsageError('deploy never takes a literal key: keys stay os.environ/NAME references in the gateway config — pass --api-key-env NAME (the variable that holds it)');
  if (values.gateway !== 'litellm') throw new UsageError(`--gateway ${values.gateway}: only litellm (the LiteLLM proxy's config.yaml) is supported`);
  const masterKey = process.env.LITELLM_MASTER_KEY;
  try {
    const baseApiKeyEnv = values['base-api-key-env'];
    if (values.undo) {
      const last = await activeDeployment(dir);
      const adminUrl = values['apply-url'] ?? (last?.via === 'admin' ? last.target : undefined);
      const undone = await undoDeploy(dir, {
        force: values.force,
        admin: adminUrl && masterKey ? new LitellmAdmin(adminUrl, masterKey) : undefined,
        ...(baseApiKeyEnv !== undefined ? { baseApiKeyEnv } : {}),
      });
      output.out(
        values.json
          ? `${JSON.stringify({ undone: undone.deployment.time, restored: undone.restored, mode: undone.deployment.mode })}\n`
          : `Undid the deployment of ${undone.deployment.time} (${describeDeployment(undone.deployment)}): ${undone.restored} restored\n`,
      );
      return EXIT_OK;
    }
    if (!values.mode || !MODES.includes(values.mode)) throw new UsageError(`deploy needs --mode replace|alias|ab${values.mode ? `, got "${values.mode}"` : ''}`);
    const mode = values.mode as DeployMode;
    const weights = mode === 'ab' ? parseWeights(values.weights ?? '90,10') : undefined;
    if (values['set-simple-shuffle'] && mode !== 'ab') throw new UsageError('--set-simple-shuffle goes with --mode ab (only the A/B split needs routing_strategy simple-shuffle)');
    if (baseApiKeyEnv !== undefined && !values['apply-url']) throw new UsageError("--base-api-key-env goes with --apply-url (the admin route) or --undo: config.yaml keeps the base's key as it is");
    const tuned = await tunedOf(dir, values, !values['dry-run']);
    const modelName = mode === 'alias' ? (values.alias ?? (values['model-name'] ? `${values['model-name']}-tuned` : undefined)) : values['model-name'];
    if (!modelName)
      throw new UsageError(
        mode === 'alias' ? 'alias needs --alias NAME (the new model_name), or --model-name NAME to name it NAME-tuned' : `${mode} needs --model-name NAME (the model_name in the gateway)`,
      );
    const request: DeployRequest = { mode, modelName, tuned, weights, ...(values['set-simple-shuffle'] ? { setSimpleShuffle: true } : {}), ...(baseApiKeyEnv !== undefined ? { baseApiKeyEnv } : {}) };
    if (values['apply-url']) {
      if (!masterKey) throw new UsageError('--apply-url needs the proxy master key in LITELLM_MASTER_KEY');
      if (values['dry-run']) throw new UsageError("--dry-run shows the file route's diff: leave out --apply-url");
      const { record, notes } = await deployViaAdmin(dir, new LitellmAdmin(values['apply-url'], masterKey), values['apply-url'], request);
      output.out(
        values.json
          ? `${JSON.stringify({ mode, modelName, via: 'admin', target: record.target, weights: record.weights ?? null, written: true, deployment: record.time, notes })}\n`
          : `Deployed · ${describeDeployment(record)} · through ${record.target}\n${notes.map((note) => `Note: ${note}\n`).join('')}`,
      );
      return EXIT_OK;
    }
    if (!values.config) throw new UsageError('deploy needs --config <config.yaml> (the LiteLLM proxy config), or --apply-url URL for a running proxy');
    const plan = await planDeploy(values.config, request);
    const written = !values['dry-run'] && plan.diff !== '' ? await applyDeploy(dir, plan) : undefined;
    if (values.json)
      output.out(
        `${JSON.stringify({ mode, modelName, config: plan.config, changes: plan.changes, weights: plan.weights ?? null, ...(plan.routingStrategy ? { routingStrategy: plan.routingStrategy } : {}), diff: plan.diff, written: written !== undefined, ...(written ? { backup: written.backup, deployment: written.time } : {}) })}\n`,
      );
    else {
      output.out(plan.diff || 'No change: the config already routes this way.\n');
      if (plan.routingStrategy)
        output.out(
          `${written ? 'Set' : 'Would set'} router_settings.routing_strategy: ${plan.routingStrategy.before} → ${plan.routingStrategy.after}. It applies to every model group of this proxy, not only ${modelName}: LiteLLM reads weight only with simple-shuffle.\n`,
        );
      if (written) output.out(`Deployed · ${describeDeployment(written)} · ${plan.config} written (the old file is ${written.backup}; rft deploy ${dir} --undo restores it)\n`);
      else if (values['dry-run']) output.out('Dry run: nothing written.\n');
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof DeployDecisionError || error instanceof LitellmConfigInputError) {
      output.err(`rft deploy: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof LitellmConfigError || error instanceof LitellmAdminError || error instanceof TunedModelError) {
      output.err(`rft deploy: ${error.message}\n`);
      return EXIT_INVALID;
    }
    throw error;
  }
}

/** --tuned-model (recorded in tuned.json unless `record` is false), or the recorded / trained one. */
async function tunedOf(dir: string, values: Record<string, string | boolean | undefined>, record: boolean): Promise<TunedModel> {
  const model = values['tuned-model'] as string | undefined;
  if (!model) {
    const recorded = await readTunedModel(dir);
    if (!recorded) throw new UsageError('no tuned model yet: pass --tuned-model <model id> (with --endpoint openai|azure|compatible), or finish a training job');
    return recorded;
  }
  const endpoint = (values.endpoint as string | undefined) ?? (values['base-url'] ? 'compatible' : 'openai');
  if (!ENDPOINTS.includes(endpoint)) throw new UsageError(`--endpoint needs openai|azure|compatible, got "${endpoint}"`);
  const apiKeyEnv = values['api-key-env'] as string | undefined;
  if (apiKeyEnv) checkEnvName(apiKeyEnv, '--api-key-env');
  const tuned = {
    model,
    endpoint: endpoint as EndpointKind,
    ...(values['base-url'] ? { baseURL: values['base-url'] as string } : {}),
    ...(values.deployment ? { deployment: values.deployment as string } : {}),
    ...(values['api-version'] ? { apiVersion: values['api-version'] as string } : {}),
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
  };
  return record ? writeTunedModel(dir, tuned) : { ...tuned, source: 'manual', recordedAt: new Date().toISOString() };
}
