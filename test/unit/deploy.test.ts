import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  activeDeployment,
  applyDeploy,
  DeployDecisionError,
  deployViaAdmin,
  describeDeployment,
  isMaskedKey,
  LitellmAdmin,
  LitellmAdminError,
  LitellmConfigError,
  litellmParamsOf,
  MASKED_KEY_SEGMENTS,
  newestJobModel,
  planDeploy,
  readDeployments,
  readTunedModel,
  STRIPPED_PARAMS,
  undoDeploy,
  writeTunedModel,
  type TunedModel,
} from '../../src/core/deploy';
import { pipelineState } from '../../src/core/pipeline/pipelineState';
import { readDataset } from '../../src/core/pipeline/snapshot';
import { ADMIN_FACTS, LitellmAdminServer, MODEL_IN_CONFIG_MESSAGE, shownParams, STORE_MODEL_IN_DB_MESSAGE } from '../support/litellmAdminServer';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { makeDataset, recordsByTopic } from './dryRunSupport';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'litellm', 'config.yaml');
const TUNED: TunedModel = { model: 'ft:gpt-4o-mini:acme::abc123', endpoint: 'openai', source: 'manual', recordedAt: '2026-12-01T00:00:00.000Z' };

describe('deploy: tuned model', () => {
  const dir = useTempDir();

  it('tuned.json when recorded (no keys: a variable name only), else the newest succeeded job', async () => {
    const ds = path.join(dir(), 'tuned');
    fs.mkdirSync(path.join(ds, '.rft', 'jobs'), { recursive: true });
    assert.equal(await readTunedModel(ds), undefined);
    const job = (id: string, status: string, extra: object = {}) =>
      fs.writeFileSync(path.join(ds, '.rft', 'jobs', `${id}.json`), JSON.stringify({ id, backend: 'openai', model: 'gpt-4o-mini', status, ...extra }));
    job('2026-12-01T10-00-00-000Z-openai', 'succeeded', { resultModel: 'ft:old' });
    job('2026-12-01T11-00-00-000Z-openai', 'succeeded', { resultModel: 'ft:new' });
    job('2026-12-01T12-00-00-000Z-openai', 'running');
    assert.deepEqual([(await newestJobModel(ds))?.model, (await readTunedModel(ds))?.baseModel], ['ft:new', 'gpt-4o-mini']);
    await assert.rejects(writeTunedModel(ds, { model: 'x', endpoint: 'openai', apiKeyEnv: 'sk-proj-abcdef123456' }), /not an environment variable name/);
    await assert.rejects(writeTunedModel(ds, { model: 'x', endpoint: 'compatible' }), /base URL/);
    await writeTunedModel(ds, { model: 'Qwen2.5-7B-rft', endpoint: 'compatible', baseURL: 'http://gpu:8000/v1', apiKeyEnv: 'VLLM_KEY' });
    const tuned = (await readTunedModel(ds))!;
    assert.deepEqual([tuned.model, tuned.source], ['Qwen2.5-7B-rft', 'manual']);
    assert.deepEqual(litellmParamsOf(tuned), { model: 'openai/Qwen2.5-7B-rft', api_base: 'http://gpu:8000/v1', api_key: 'os.environ/VLLM_KEY' });
    assert.deepEqual(litellmParamsOf({ ...TUNED, endpoint: 'azure', deployment: 'support-ft', baseURL: 'https://acme.openai.azure.com', apiVersion: '2024-10-21' }), {
      model: 'azure/support-ft',
      api_base: 'https://acme.openai.azure.com',
      api_key: 'os.environ/AZURE_API_KEY',
      api_version: '2024-10-21',
    });
  });
});

describe('deploy: config file route and undo', () => {
  const dir = useTempDir();
  const setup = async (name: string) => {
    const ds = path.join(dir(), name);
    await makeDataset(ds, recordsByTopic([['billing/refunds', 3]]));
    const config = path.join(ds, '..', `${name}-config.yaml`);
    fs.copyFileSync(FIXTURE, config);
    return { ds, config, original: fs.readFileSync(FIXTURE, 'utf8') };
  };

  it('plan → diff; apply keeps the old file, writes, records; step 7 complete; undo restores; undone deployments do not count', async () => {
    const { ds, config, original } = await setup('ab');
    const plan = await planDeploy(config, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [90, 10] });
    assert.match(plan.diff, /^--- a\/ab-config\.yaml\n\+\+\+ b\/ab-config\.yaml\n@@ /);
    assert.match(plan.diff, /^\+ {6}weight: 90$/m);
    assert.match(plan.diff, /^\+ {6}model: "openai\/ft:gpt-4o-mini:acme::abc123"$/m);
    assert.equal(fs.readFileSync(config, 'utf8'), original, 'planning writes nothing');
    const record = await applyDeploy(ds, plan, new Date('2026-12-01T12:00:00.000Z'));
    assert.equal(fs.readFileSync(config, 'utf8'), plan.after);
    assert.equal(fs.readFileSync(path.join(ds, record.backup!), 'utf8'), original);
    assert.equal(describeDeployment(record), 'A/B 90/10 · support-bot');
    assert.deepEqual(
      (await readDeployments(ds)).deployments.map((d) => [d.mode, d.via, d.modelName]),
      [['ab', 'file', 'support-bot']],
    );
    const step = async () => pipelineState((await readDataset(ds)).snapshot).steps.find((s) => s.id === 'deploy')!;
    assert.deepEqual([(await step()).status, (await step()).description], ['complete', 'Deployed · A/B 90/10 · support-bot']);
    await undoDeploy(ds, { now: new Date('2026-12-01T12:05:00.000Z') });
    assert.equal(fs.readFileSync(config, 'utf8'), original);
    assert.equal(await activeDeployment(ds), undefined);
    assert.notEqual((await step()).status, 'complete');
    await assert.rejects(undoDeploy(ds), /nothing to undo/);
  });

  it('undo refuses when the file changed since (says so, offers --force); a plan made before a change is not written', async () => {
    const { ds, config, original } = await setup('changed');
    const plan = await planDeploy(config, { mode: 'replace', modelName: 'support-bot', tuned: TUNED });
    await applyDeploy(ds, plan);
    fs.appendFileSync(config, '# edited by hand\n');
    await assert.rejects(undoDeploy(ds), /changed since the deployment of .*pass --force/);
    await undoDeploy(ds, { force: true });
    assert.equal(fs.readFileSync(config, 'utf8'), original);
    const stale = await planDeploy(config, { mode: 'alias', modelName: 'x', tuned: TUNED });
    fs.appendFileSync(config, '# another edit\n');
    await assert.rejects(applyDeploy(ds, stale), /changed since the plan was made/);
  });

  it('rft deploy --dry-run prints the diff and writes nothing; a literal key is refused; unparsable YAML is located; a missing name lists the names', async () => {
    const { ds, config, original } = await setup('cli');
    const dry = await runRftAsync([
      'deploy',
      ds,
      '--gateway',
      'litellm',
      '--config',
      config,
      '--mode',
      'ab',
      '--model-name',
      'support-bot',
      '--tuned-model',
      TUNED.model,
      '--weights',
      '90,10',
      '--dry-run',
    ]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^\+ {6}weight: 90$/m);
    assert.match(dry.stdout, /Dry run: nothing written/);
    assert.equal(fs.readFileSync(config, 'utf8'), original);
    assert.equal(fs.existsSync(path.join(ds, '.rft', 'deployments.jsonl')), false);
    assert.equal(fs.existsSync(path.join(ds, '.rft', 'tuned.json')), false);
    const key = await runRftAsync(['deploy', ds, '--config', config, '--mode', 'alias', '--alias', 'x', '--tuned-model', 'm', '--api-key', 'sk-live-abc']);
    assert.equal(key.code, 2);
    assert.match(key.stderr, /never takes a literal key/);
    const broken = await runRftAsync([
      'deploy',
      ds,
      '--config',
      path.join(__dirname, '..', 'fixtures', 'litellm', 'broken-config.yaml'),
      '--mode',
      'replace',
      '--model-name',
      'a',
      '--tuned-model',
      'm',
    ]);
    assert.equal(broken.code, 2, 'a config that does not parse, a model_name it lacks, bad --weights: usage or input, exit 2');
    assert.match(broken.stderr, /broken-config\.yaml:5:1: /);
    const missing = await runRftAsync(['deploy', ds, '--config', config, '--mode', 'replace', '--model-name', 'nope', '--tuned-model', 'm', '--json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /the names are: support-bot, summarizer, embeddings/);
    const weights = await runRftAsync(['deploy', ds, '--config', config, '--mode', 'ab', '--model-name', 'support-bot', '--tuned-model', 'm', '--weights', '0,0']);
    assert.equal(weights.code, 2);
    assert.match(weights.stderr, /sum to 0/);
    const applied = await runRftAsync(['deploy', ds, '--config', config, '--mode', 'replace', '--model-name', 'support-bot', '--tuned-model', TUNED.model, '--json']);
    assert.equal(applied.code, 0, applied.stderr);
    const out = JSON.parse(applied.stdout);
    assert.equal(out.written, true);
    assert.ok(fs.existsSync(path.join(ds, out.backup)));
    assert.equal((await readTunedModel(ds))?.model, TUNED.model, 'the tuned model is recorded');
    const undo = await runRftAsync(['deploy', ds, '--undo']);
    assert.equal(undo.code, 0, undo.stderr);
    assert.equal(fs.readFileSync(config, 'utf8'), original);
  });

  it('rft deploy --mode ab under another routing_strategy: exit 2 and the file byte for byte; --set-simple-shuffle says what it changed', async () => {
    const { ds, config } = await setup('strategy');
    const original = fs.readFileSync(config).toString().replace('routing_strategy: simple-shuffle', 'routing_strategy: latency-based-routing');
    fs.writeFileSync(config, original);
    const bytes = fs.readFileSync(config);
    const ab = ['deploy', ds, '--config', config, '--mode', 'ab', '--model-name', 'support-bot', '--tuned-model', TUNED.model, '--weights', '90,10'];
    const refused = await runRftAsync(ab);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /^rft deploy: strategy-config\.yaml: router_settings\.routing_strategy is "latency-based-routing": LiteLLM reads litellm_params\.weight only when routing_strategy is simple-shuffle .*--set-simple-shuffle/,
    );
    assert.ok(fs.readFileSync(config).equals(bytes), 'config.yaml untouched, byte for byte');
    assert.equal(fs.existsSync(path.join(ds, '.rft', 'deployments.jsonl')), false);
    const misplaced = await runRftAsync(['deploy', ds, '--config', config, '--mode', 'replace', '--model-name', 'support-bot', '--tuned-model', TUNED.model, '--set-simple-shuffle']);
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /--set-simple-shuffle goes with --mode ab/);
    const dry = await runRftAsync([...ab, '--set-simple-shuffle', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^- {2}routing_strategy: latency-based-routing {3}# weights are read by simple-shuffle\n\+ {2}routing_strategy: simple-shuffle {3}# weights are read by simple-shuffle$/m);
    assert.match(dry.stdout, /Would set router_settings\.routing_strategy: latency-based-routing → simple-shuffle\. It applies to every model group of this proxy, not only support-bot/);
    assert.ok(fs.readFileSync(config).equals(bytes));
    const applied = await runRftAsync([...ab, '--set-simple-shuffle', '--json']);
    assert.equal(applied.code, 0, applied.stderr);
    const out = JSON.parse(applied.stdout);
    assert.deepEqual(out.routingStrategy, { before: 'latency-based-routing', after: 'simple-shuffle' });
    assert.ok(out.changes.includes('router_settings.routing_strategy: latency-based-routing → simple-shuffle (every model group of this proxy is now routed by simple-shuffle, which reads weight)'));
    assert.match(fs.readFileSync(config, 'utf8'), /routing_strategy: simple-shuffle {3}# weights are read by simple-shuffle\n/);
    assert.equal((await runRftAsync(['deploy', ds, '--undo'])).code, 0);
    assert.ok(fs.readFileSync(config).equals(bytes), 'undo gives the strategy back too');
  });
});

/** The admin API payloads copied from LiteLLM (test/fixtures/vendor/litellm/PROVENANCE.md). */
const API = ADMIN_FACTS as unknown as {
  modelNew: { request: { model_name: string; litellm_params: Record<string, unknown> }; responseFields: string[] };
  modelUpdate: { request: { model_info: { id: string }; litellm_params: Record<string, unknown> }; updateLiteLLMParamsDeclaredFields: string[] };
  modelDelete: { response: { message: string } };
  modelInfo: { removedParams: string[]; maskedKeySegments: string[] };
};

describe('LiteLLM admin stand-in: merges and strips as LiteLLM does', () => {
  let server: LitellmAdminServer;
  beforeEach(async () => (server = await LitellmAdminServer.start({ configModels: [{ model_name: 'classifier', litellm_params: { model: 'openai/gpt-4o-mini' } }] })));
  afterEach(() => server.close());
  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${server.masterKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: JSON.parse(await response.text()) as unknown };
  };

  it("/model/new takes the docs' payload, keeps a given model_info.id, answers the DB row without the plain key; /model/info strips the key", async () => {
    const created = await call('POST', '/model/new', API.modelNew.request);
    assert.equal(created.status, 200);
    const row = created.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(row).sort(), [...API.modelNew.responseFields].sort());
    assert.ok(!JSON.stringify(row).includes('os.environ/AZURE_API_KEY'), 'the row carries encrypted values only');
    const again = await call('POST', '/model/new', { ...API.modelNew.request, model_info: { id: 'kept-id' } });
    assert.equal((again.body as { model_id: string }).model_id, 'kept-id');
    const info = (await call('GET', '/model/info')).body as { data: { model_name: string; litellm_params: Record<string, unknown>; model_info: { id: string; db_model: boolean } }[] };
    const shown = info.data.find((d) => d.model_info.id === 'kept-id')!;
    assert.deepEqual(shown.litellm_params, { model: 'azure/gpt-3.5-turbo', api_base: 'my-azure-api-base' });
    assert.equal(shown.model_info.db_model, true);
    assert.equal(info.data.find((d) => d.model_name === 'classifier')!.model_info.db_model, false);
  });

  it('/model/info removes the secret keys LiteLLM removes and masks secret-looking values; the client knows the same lists', () => {
    assert.deepEqual(
      [...STRIPPED_PARAMS].filter((k) => API.modelInfo.removedParams.includes(k)),
      API.modelInfo.removedParams,
    );
    assert.deepEqual([...MASKED_KEY_SEGMENTS], API.modelInfo.maskedKeySegments);
    const params = {
      model: 'azure/x',
      api_key: 'sk-live-123456789',
      client_secret: 's',
      vertex_credentials: '{}',
      aws_access_key_id: 'A',
      aws_secret_access_key: 'B',
      azure_ad_token: 'os.environ/AZURE_AD_TOKEN',
      max_tokens: 5,
      api_base: 'https://a.example',
    };
    assert.deepEqual(shownParams(params), { model: 'azure/x', azure_ad_token: `os.e${'*'.repeat('os.environ/AZURE_AD_TOKEN'.length - 8)}OKEN`, max_tokens: 5, api_base: 'https://a.example' });
    assert.equal(isMaskedKey('azure_ad_token'), true);
    assert.equal(isMaskedKey('max_tokens'), false, 'segments, not substrings');
  });

  it('/model/update merges: a null or a left-out declared key keeps its value, an undeclared key not sent is dropped; without store_model_in_db it answers null', async () => {
    const base = server.seed('support-bot', { model: 'openai/gpt-4o-mini', api_key: 'os.environ/OPENAI_API_KEY', api_base: 'https://old.example/v1', rpm: 600, weight: 90 });
    const declared = new Set(API.modelUpdate.updateLiteLLMParamsDeclaredFields);
    assert.ok(declared.has('api_base') && declared.has('rpm') && !declared.has('weight'));
    const update = await call('POST', '/model/update', { ...API.modelUpdate.request, model_info: { id: base.model_info.id }, litellm_params: { model: 'openai/ft:x', api_base: null } });
    assert.equal(update.status, 200);
    assert.deepEqual(
      server.stored(base.model_info.id)!.litellm_params,
      { model: 'openai/ft:x', api_key: 'os.environ/OPENAI_API_KEY', api_base: 'https://old.example/v1', rpm: 600 },
      'api_base survives its null, weight (undeclared, not sent) is gone',
    );
    assert.deepEqual((await call('POST', '/model/update', { model_info: {}, litellm_params: {} })).body, {
      error: { message: 'Authentication Error, model_info.id not provided', type: 'auth_error', param: 'None', code: '400' },
    });
    assert.match(JSON.stringify((await call('POST', '/model/update', { model_info: { id: 'config-1' }, litellm_params: { model: 'x' } })).body), /Model in config/);
    server.storeModelInDb = false;
    const ignored = await call('POST', '/model/update', { model_info: { id: base.model_info.id }, litellm_params: { model: 'openai/other' } });
    assert.deepEqual([ignored.status, ignored.body], [200, null]);
    assert.equal(server.stored(base.model_info.id)!.litellm_params.model, 'openai/ft:x');
    await assert.rejects(
      new LitellmAdmin(server.url, server.masterKey).updateModel(base.model_info.id, { model: 'openai/other' }),
      /answered POST \/model\/update .* with null and changed nothing.*store_model_in_db/,
    );
  });

  it("/model/delete answers LiteLLM's message; config models are not in the database", async () => {
    const model = server.seed('x', { model: 'openai/x' });
    const deleted = await call('POST', '/model/delete', { id: model.model_info.id });
    assert.deepEqual(deleted.body, { message: API.modelDelete.response.message.replace('<model_id>', model.model_info.id) });
    assert.match(JSON.stringify((await call('POST', '/model/delete', { id: 'config-1' })).body), /Model with id=config-1 not found in db/);
  });
});

describe('deploy: LiteLLM admin API', () => {
  const dir = useTempDir();
  let server: LitellmAdminServer;
  beforeEach(async () => (server = await LitellmAdminServer.start({ configModels: [{ model_name: 'classifier', litellm_params: { model: 'openai/gpt-4o-mini' } }] })));
  afterEach(() => server.close());
  const admin = () => new LitellmAdmin(server.url, server.masterKey);
  const dataset = async (name: string) => {
    const ds = path.join(dir(), name);
    await makeDataset(ds, recordsByTopic([['billing/refunds', 3]]));
    return ds;
  };
  const group = (name: string) => server.models.filter((m) => m.model_name === name);

  it('A/B: weight on every member, the tuned one created; undo deletes it and recreates the base as it was (it had no weight), its key named by the user', async () => {
    const ds = await dataset('admin-ab');
    const base = server.seed('support-bot', { model: 'openai/gpt-4o-mini', api_key: 'os.environ/OPENAI_API_KEY', rpm: 600 }, { description: 'widget' });
    const original = server.stored(base.model_info.id);
    const { record, notes } = await deployViaAdmin(ds, admin(), server.url, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [90, 10] });
    assert.deepEqual(notes, []);
    assert.deepEqual(
      group('support-bot').map((m) => m.litellm_params.weight),
      [90, 10],
    );
    assert.equal(group('support-bot')[0].litellm_params.api_key, 'os.environ/OPENAI_API_KEY', 'the base keeps its key: it was never sent');
    assert.equal(group('support-bot')[1].litellm_params.api_key, 'os.environ/OPENAI_API_KEY');
    assert.equal(describeDeployment(record), 'A/B 90/10 · support-bot');
    assert.ok(
      server.requests.every((r) => r.path !== '/model/new' || JSON.stringify(r.body).includes('os.environ/')),
      'keys only as references',
    );
    const requestsBefore = server.requests.length;
    await assert.rejects(
      undoDeploy(ds, { admin: admin() }),
      (error: Error) => error instanceof DeployDecisionError && /recreate db-\d+.*never returns api_key: pass --base-api-key-env NAME.*nothing was changed/.test(error.message),
    );
    assert.ok(
      server.requests.slice(requestsBefore).every((r) => r.method === 'GET'),
      'the refusal changed nothing',
    );
    await undoDeploy(ds, { admin: admin(), baseApiKeyEnv: 'OPENAI_API_KEY' });
    assert.deepEqual(
      group('support-bot').map((m) => m.model_info.id),
      [base.model_info.id],
    );
    assert.deepEqual(server.stored(base.model_info.id), original, 'the same id, params (no weight), key and model_info');
    await assert.rejects(new LitellmAdmin(server.url, 'wrong').modelInfo(), (error: LitellmAdminError) => error.status === 401);
  });

  it('A/B on bases that had weights: undo restores them by merge and never needs the key (a literal key stays as it was)', async () => {
    const ds = await dataset('admin-ab-weighted');
    const base = server.seed('support-bot', { model: 'openai/gpt-4o-mini', api_key: 'sk-live-literal-key-0001', weight: 3 });
    const original = server.stored(base.model_info.id);
    await deployViaAdmin(ds, admin(), server.url, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [50, 50] });
    assert.equal(server.stored(base.model_info.id)!.litellm_params.weight, 50);
    assert.ok(!server.requests.some((r) => JSON.stringify(r.body).includes('sk-live')), 'the key never travels');
    await undoDeploy(ds, { admin: admin() });
    assert.deepEqual(server.stored(base.model_info.id), original);
    assert.equal(group('support-bot').length, 1);
    // LiteLLM's update also writes the params model's defaults (use_in_pass_through: false, …): not a change by someone
    await deployViaAdmin(ds, admin(), server.url, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [50, 50] });
    server.models.find((m) => m.model_info.id === base.model_info.id)!.litellm_params.use_in_pass_through = false;
    await undoDeploy(ds, { admin: admin() });
    assert.deepEqual(server.stored(base.model_info.id)!.litellm_params, { ...original!.litellm_params, use_in_pass_through: false });
  });

  it('replace: stale endpoint keys a merge cannot clear → the deployment is recreated with the tuned params; undo brings back the Azure base exactly (same id, key from --base-api-key-env)', async () => {
    const ds = await dataset('admin-replace');
    const base = server.seed(
      'support-bot',
      { model: 'azure/gpt-4o-mini-base', api_base: 'https://acme.openai.azure.com', api_version: '2024-10-21', api_key: 'os.environ/AZURE_API_KEY', rpm: 600, tags: ['eu'] },
      { base_model: 'azure/gpt-4o-mini' },
    );
    const original = server.stored(base.model_info.id);
    const { record } = await deployViaAdmin(ds, admin(), server.url, { mode: 'replace', modelName: 'support-bot', tuned: TUNED, baseApiKeyEnv: 'AZURE_API_KEY' });
    const [now] = group('support-bot');
    assert.equal(group('support-bot').length, 1);
    assert.notEqual(now.model_info.id, base.model_info.id);
    assert.deepEqual(
      now.litellm_params,
      { model: `openai/${TUNED.model}`, api_key: 'os.environ/OPENAI_API_KEY', rpm: 600, tags: ['eu'] },
      'no Azure api_base / api_version left to misroute the tuned model',
    );
    assert.equal(now.model_info.base_model, 'azure/gpt-4o-mini');
    assert.equal(record.admin?.restore?.[0].baseApiKey, 'os.environ/AZURE_API_KEY');
    assert.ok(!fs.readFileSync(path.join(ds, '.rft', 'deployments.jsonl'), 'utf8').includes('sk-'), 'the record holds references only');
    await undoDeploy(ds, { admin: admin() });
    assert.deepEqual(
      server.models.filter((m) => m.model_name === 'support-bot'),
      [original],
    );
  });

  it('replace where a merge suffices: /model/update with every key; Undo asks for the base key, then restores it; a later change is refused unless forced', async () => {
    const ds = await dataset('admin-replace-merge');
    const base = server.seed('support-bot', { model: 'openai/gpt-4o-mini', api_key: 'os.environ/TEAM_OPENAI_KEY', weight: 1 });
    const original = server.stored(base.model_info.id);
    const { notes } = await deployViaAdmin(ds, admin(), server.url, { mode: 'replace', modelName: 'support-bot', tuned: TUNED });
    assert.match(notes.join(), /Undo will ask for the variable the base deployment's api_key comes from: LiteLLM's \/model\/info never returns api_key/);
    assert.deepEqual(
      server.stored(base.model_info.id)!.litellm_params,
      { model: `openai/${TUNED.model}`, api_key: 'os.environ/OPENAI_API_KEY', weight: 1 },
      'weight (undeclared) kept because it was sent',
    );
    const update = server.requests.find((r) => r.path === '/model/update')!.body as { litellm_params: Record<string, unknown> };
    assert.deepEqual(update.litellm_params, { model: `openai/${TUNED.model}`, api_key: 'os.environ/OPENAI_API_KEY', weight: 1 });
    await assert.rejects(undoDeploy(ds, { admin: admin() }), /put back the api_key of db-\d+/);
    const cli = await runRftAsync(['deploy', ds, '--undo', '--json'], { env: { ...process.env, LITELLM_MASTER_KEY: server.masterKey } });
    assert.equal(cli.code, 2, "the key variable is the user's to name");
    assert.match(cli.stderr, /--base-api-key-env NAME/);
    server.models.find((m) => m.model_info.id === base.model_info.id)!.litellm_params.rpm = 5;
    await assert.rejects(undoDeploy(ds, { admin: admin(), baseApiKeyEnv: 'TEAM_OPENAI_KEY' }), /changed since the deployment .*\(rpm\).*--force/);
    const forced = await runRftAsync(['deploy', ds, '--undo', '--force', '--base-api-key-env', 'TEAM_OPENAI_KEY'], { env: { ...process.env, LITELLM_MASTER_KEY: server.masterKey } });
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(server.stored(base.model_info.id), original);
  });

  it('what rft cannot put back is refused before any change: masked values, config.yaml models; a routing_strategy that ignores weights', async () => {
    const ds = await dataset('admin-refuse');
    server.seed('support-bot', { model: 'azure/gpt-4o-mini', azure_ad_token: 'os.environ/AZURE_AD_TOKEN' });
    const before = JSON.stringify(server.models);
    await assert.rejects(
      deployViaAdmin(ds, admin(), server.url, { mode: 'ab', modelName: 'support-bot', tuned: TUNED }),
      (error: Error) => error instanceof LitellmConfigError && /holds azure_ad_token, which LiteLLM's \/model\/info shows only masked.*file route/.test(error.message),
    );
    server.models.splice(1);
    server.seed('support-bot', { model: 'openai/gpt-4o-mini' });
    server.routerSettings = { routing_strategy: 'usage-based-routing-v2' };
    const plain = JSON.stringify(server.models);
    await assert.rejects(
      deployViaAdmin(ds, admin(), server.url, { mode: 'ab', modelName: 'support-bot', tuned: TUNED }),
      (error: Error) =>
        error instanceof DeployDecisionError &&
        /routing_strategy \(GET \/router\/settings\) is "usage-based-routing-v2": LiteLLM reads litellm_params\.weight only .*nothing was changed/.test(error.message),
    );
    assert.equal(JSON.stringify(server.models), plain);
    server.routerSettings = false;
    const { notes } = await deployViaAdmin(ds, admin(), server.url, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, baseApiKeyEnv: 'none' });
    assert.match(notes.join(), /no GET \/router\/settings .*could not be checked: the weights work only with router_settings\.routing_strategy simple-shuffle/);
    assert.notEqual(before, JSON.stringify(server.models));
  });

  it("without store_model_in_db: LiteLLM's 500 as the reason and the file route; nothing half-applied", async () => {
    const ds = await dataset('admin-nodb');
    server.seed('support-bot', { model: 'openai/gpt-4o-mini' });
    server.seed('support-bot', { model: 'openai/gpt-4o-mini-2' });
    server.storeModelInDb = false;
    const before = JSON.stringify(server.models);
    await assert.rejects(deployViaAdmin(ds, admin(), server.url, { mode: 'alias', modelName: 'support-bot-ft', tuned: TUNED }), (error: LitellmAdminError) => {
      assert.equal(error.status, 500);
      assert.equal(error.reason, STORE_MODEL_IN_DB_MESSAGE);
      assert.match(error.message, /store_model_in_db.*use the file route instead/);
      return true;
    });
    await assert.rejects(deployViaAdmin(ds, admin(), server.url, { mode: 'ab', modelName: 'support-bot', tuned: TUNED }), /answered POST \/model\/update .* with null and changed nothing/);
    assert.equal(JSON.stringify(server.models), before);
    assert.equal((await readDeployments(ds)).deployments.length, 0);
    server.storeModelInDb = true;
    server.databaseConnected = false;
    await assert.rejects(admin().newModel('x', { model: 'y' }), /No DB Connected.*database/);
  });

  it('rft deploy --apply-url: the master key from LITELLM_MASTER_KEY; a refusal is the reason and the file route, exit 1', async () => {
    const ds = await dataset('admin-cli');
    const env = { ...process.env, LITELLM_MASTER_KEY: server.masterKey };
    const ok = await runRftAsync(['deploy', ds, '--mode', 'alias', '--alias', 'support-bot-ft', '--tuned-model', TUNED.model, '--apply-url', server.url, '--json'], { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).via, 'admin');
    assert.deepEqual(
      server.models.filter((m) => m.model_name === 'support-bot-ft').map((m) => m.litellm_params),
      [{ model: `openai/${TUNED.model}`, api_key: 'os.environ/OPENAI_API_KEY' }],
    );
    server.storeModelInDb = false;
    const refused = await runRftAsync(['deploy', ds, '--mode', 'alias', '--alias', 'other', '--tuned-model', TUNED.model, '--apply-url', server.url], { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refused POST \/model\/new \(500\): Set `'STORE_MODEL_IN_DB='True'`.*use the file route instead/);
    const noKey = await runRftAsync(['deploy', ds, '--mode', 'alias', '--alias', 'x', '--tuned-model', 'm', '--apply-url', server.url], { env: { ...process.env, LITELLM_MASTER_KEY: '' } });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /LITELLM_MASTER_KEY/);
    const shuffle = await runRftAsync(['deploy', ds, '--mode', 'ab', '--model-name', 'support-bot-ft', '--tuned-model', TUNED.model, '--apply-url', server.url, '--set-simple-shuffle'], { env });
    assert.equal(shuffle.code, 2);
    assert.match(shuffle.stderr, /does not change a running proxy's routing_strategy/);
  });

  it('a model defined in config.yaml: refused before any call (LiteLLM answers "Model in config"); nothing changes', async () => {
    const ds = await dataset('admin-config');
    server.seed('classifier', { model: 'openai/gpt-4o-mini-db' });
    const before = JSON.stringify(server.models);
    await assert.rejects(
      deployViaAdmin(ds, admin(), server.url, { mode: 'replace', modelName: 'classifier', tuned: TUNED }),
      /"classifier" has deployments defined in config\.yaml \(config-1\).*"Model in config".*file route/,
    );
    assert.equal(JSON.stringify(server.models), before);
    await assert.rejects(
      admin().updateModel('config-1', { model: 'x' }),
      (error: LitellmAdminError) => error.status === 400 && error.reason === MODEL_IN_CONFIG_MESSAGE && /defined in config\.yaml.*file route/.test(error.message),
    );
  });
});
