import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activeDeployment, applyDeploy, deployViaAdmin, describeDeployment, LitellmAdmin, LitellmAdminError, litellmParamsOf, newestJobModel, planDeploy, readDeployments, readTunedModel, undoDeploy, writeTunedModel, type TunedModel } from '../../src/core/deploy';
import { pipelineState } from '../../src/core/pipeline/pipelineState';
import { readDataset } from '../../src/core/pipeline/snapshot';
import { LitellmAdminServer, MODEL_IN_CONFIG_MESSAGE, STORE_MODEL_IN_DB_MESSAGE } from '../support/litellmAdminServer';
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
    const job = (id: string, status: string, extra: object = {}) => fs.writeFileSync(path.join(ds, '.rft', 'jobs', `${id}.json`), JSON.stringify({ id, backend: 'openai', model: 'gpt-4o-mini', status, ...extra }));
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
    assert.deepEqual(litellmParamsOf({ ...TUNED, endpoint: 'azure', deployment: 'support-ft', baseURL: 'https://acme.openai.azure.com', apiVersion: '2024-10-21' }), { model: 'azure/support-ft', api_base: 'https://acme.openai.azure.com', api_key: 'os.environ/AZURE_API_KEY', api_version: '2024-10-21' });
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
    assert.deepEqual((await readDeployments(ds)).deployments.map((d) => [d.mode, d.via, d.modelName]), [['ab', 'file', 'support-bot']]);
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
    const dry = await runRftAsync(['deploy', ds, '--gateway', 'litellm', '--config', config, '--mode', 'ab', '--model-name', 'support-bot', '--tuned-model', TUNED.model, '--weights', '90,10', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^\+ {6}weight: 90$/m);
    assert.match(dry.stdout, /Dry run: nothing written/);
    assert.equal(fs.readFileSync(config, 'utf8'), original);
    assert.equal(fs.existsSync(path.join(ds, '.rft', 'deployments.jsonl')), false);
    assert.equal(fs.existsSync(path.join(ds, '.rft', 'tuned.json')), false);
    const key = await runRftAsync(['deploy', ds, '--config', config, '--mode', 'alias', '--alias', 'x', '--tuned-model', 'm', '--api-key', 'sk-live-abc']);
    assert.equal(key.code, 2);
    assert.match(key.stderr, /never takes a literal key/);
    const broken = await runRftAsync(['deploy', ds, '--config', path.join(__dirname, '..', 'fixtures', 'litellm', 'broken-config.yaml'), '--mode', 'replace', '--model-name', 'a', '--tuned-model', 'm']);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /broken-config\.yaml:5:1: /);
    const missing = await runRftAsync(['deploy', ds, '--config', config, '--mode', 'replace', '--model-name', 'nope', '--tuned-model', 'm', '--json']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /the names are: support-bot, summarizer, embeddings/);
    const weights = await runRftAsync(['deploy', ds, '--config', config, '--mode', 'ab', '--model-name', 'support-bot', '--tuned-model', 'm', '--weights', '0,0']);
    assert.equal(weights.code, 1);
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

  it('alias and A/B through /model/new and /model/update with the master key; undo reverses them', async () => {
    const ds = await dataset('admin-ok');
    const baseId = await admin().newModel('support-bot', { model: 'openai/gpt-4o-mini', api_key: 'os.environ/OPENAI_API_KEY' });
    const record = await deployViaAdmin(ds, admin(), server.url, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [90, 10] });
    const group = server.models.filter((m) => m.model_name === 'support-bot');
    assert.deepEqual(group.map((m) => m.litellm_params.weight), [90, 10]);
    assert.equal(group[1].litellm_params.api_key, 'os.environ/OPENAI_API_KEY');
    assert.equal(describeDeployment(record), 'A/B 90/10 · support-bot');
    assert.ok(server.requests.every((r) => r.path !== '/model/new' || JSON.stringify(r.body).includes('os.environ/')), 'keys only as references');
    await undoDeploy(ds, { admin: admin() });
    assert.deepEqual(server.models.filter((m) => m.model_name === 'support-bot').map((m) => m.model_info.id), [baseId]);
    await assert.rejects(new LitellmAdmin(server.url, 'wrong').modelInfo(), (error: LitellmAdminError) => error.status === 401);
  });

  it('without store_model_in_db: LiteLLM\'s 500 as the reason and the file route; nothing half-applied', async () => {
    const ds = await dataset('admin-nodb');
    await admin().newModel('support-bot', { model: 'openai/gpt-4o-mini' });
    await admin().newModel('support-bot', { model: 'openai/gpt-4o-mini-2' });
    server.storeModelInDb = false;
    const before = JSON.stringify(server.models);
    await assert.rejects(deployViaAdmin(ds, admin(), server.url, { mode: 'alias', modelName: 'support-bot-ft', tuned: TUNED }), (error: LitellmAdminError) => {
      assert.equal(error.status, 500);
      assert.equal(error.reason, STORE_MODEL_IN_DB_MESSAGE);
      assert.match(error.message, /store_model_in_db.*use the file route instead/);
      return true;
    });
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
    assert.deepEqual(server.models.filter((m) => m.model_name === 'support-bot-ft').map((m) => m.litellm_params), [{ model: `openai/${TUNED.model}`, api_key: 'os.environ/OPENAI_API_KEY' }]);
    server.storeModelInDb = false;
    const refused = await runRftAsync(['deploy', ds, '--mode', 'alias', '--alias', 'other', '--tuned-model', TUNED.model, '--apply-url', server.url], { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refused POST \/model\/new \(500\): Set `'STORE_MODEL_IN_DB='True'`.*use the file route instead/);
    const noKey = await runRftAsync(['deploy', ds, '--mode', 'alias', '--alias', 'x', '--tuned-model', 'm', '--apply-url', server.url], { env: { ...process.env, LITELLM_MASTER_KEY: '' } });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /LITELLM_MASTER_KEY/);
  });

  it('a model defined in config.yaml: the 400 "Model in config"; A/B rolls back what it did before', async () => {
    const ds = await dataset('admin-config');
    await admin().newModel('classifier', { model: 'openai/gpt-4o-mini-db' });
    const before = JSON.stringify(server.models);
    await assert.rejects(deployViaAdmin(ds, admin(), server.url, { mode: 'replace', modelName: 'classifier', tuned: TUNED }), (error: LitellmAdminError) => error.status === 400 && error.reason === MODEL_IN_CONFIG_MESSAGE && /defined in config\.yaml.*file route/.test(error.message));
    assert.equal(JSON.stringify(server.models), before);
  });
});
