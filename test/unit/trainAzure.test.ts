// Hosted RFT on Azure OpenAI through the real AzureOpenAI client against the test server's Azure form:
// files and fine-tuning jobs on `/openai/...` (never deployment-scoped) with `api-version` and the `api-key` header,
// polled to success, paused, resumed and cancelled; chat and embeddings on `/openai/deployments/<deployment>/...`;
// Azure's own 401/404/400; `rft train --backend azure` and `rft job --watch` from AZURE_* variables.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { AzureOpenAI, toFile } from 'openai';
import * as path from 'node:path';
import { compileForOpenAI, validateWithOpenAI } from '../../src/core/grader/compile/openai';
import { ModelClient } from '../../src/core/llm/modelClient';
import { providerFromEnv, type ProviderConfig } from '../../src/core/llm/providerConfig';
import { TrainingError } from '../../src/core/train/backend';
import { createBackend } from '../../src/core/train/backends';
import { readJob } from '../../src/core/train/jobFile';
import { launchTraining } from '../../src/core/train/launch';
import { controlJob, refreshJob, watchJob } from '../../src/core/train/watch';
import { useOpenAiTestServer, type LoggedRequest } from '../support/openaiServer';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { EXACT_GRADER, useGoTrainingDataset } from '../fixtures/train/trainingDataset';

const API_VERSION = '2025-04-01-preview';
const MODEL = 'o4-mini-2025-04-16';

describe('train: hosted RFT on Azure OpenAI (endpoint, api-version, deployment)', () => {
  const server = useOpenAiTestServer();
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  beforeEach(() => (ds = goDataset()));

  /** The provider as the CLI reads it from AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, OPENAI_API_VERSION (+ AZURE_OPENAI_DEPLOYMENT). */
  const azureProvider = (extra: Record<string, string> = {}): ProviderConfig => {
    const provider = providerFromEnv({ AZURE_OPENAI_ENDPOINT: `${server().endpoint}/`, AZURE_OPENAI_API_KEY: server().apiKey, OPENAI_API_VERSION: API_VERSION, ...extra });
    assert.equal(provider?.kind, 'azure');
    return provider!;
  };
  const client = (extra: Record<string, string> = {}) => new ModelClient(azureProvider(extra), { retry: { maxRetries: 0 } });
  const launch = (connectionClient = client(), hosted: { filePollMs?: number; fileTimeoutMs?: number } = { filePollMs: 1 }) =>
    launchTraining(ds, { backend: 'azure', model: MODEL, suffix: 'support', seed: 7, hyperparameters: { n_epochs: 2, batch_size: 4 }, connection: { client: connectionClient, hosted } });
  const hostedCalls = () => server().requests.filter((request) => /\/(files|fine_tuning)\b/.test(request.path));

  /** Every request was Azure's form: the api-version query, the key in `api-key`, no bearer header, no deployment. */
  function assertAzureForm(requests: readonly LoggedRequest[]): void {
    assert.ok(requests.length > 0);
    for (const request of requests) {
      assert.match(request.path, /^\/openai\/(files|fine_tuning)(\/|$)/, `${request.method} ${request.path} is below /openai, not deployment-scoped`);
      assert.equal(request.deployment, undefined, `${request.path} has no deployment`);
      assert.equal(request.apiVersion, API_VERSION, `${request.path} carries api-version`);
      assert.equal(request.query['api-version'], API_VERSION);
      assert.equal(request.headers['api-key'], server().apiKey);
      assert.equal(request.headers.authorization, undefined, 'Azure keys go in api-key, not Authorization');
    }
  }

  it('uploads both files and creates the reinforcement job on /openai/files and /openai/fine_tuning/jobs, with a deployment set too', async () => {
    const result = await launch(client({ AZURE_OPENAI_DEPLOYMENT: 'support-o4' }));
    assert.equal(result.notice, undefined, "OpenAI's end of self-serve fine-tuning says nothing about Azure");
    const uploads = server().requests.filter((request) => request.method === 'POST' && request.path === '/openai/files');
    assert.deepEqual(
      uploads.map((request) => (request.body as { purpose: string }).purpose),
      ['fine-tune', 'fine-tune'],
    );
    const creates = server().requests.filter((request) => request.method === 'POST' && request.path === '/openai/fine_tuning/jobs');
    assert.equal(creates.length, 1);
    assertAzureForm(hostedCalls());
    assert.equal(server().requests.filter((request) => request.path.startsWith('/v1/')).length, 0);

    const body = creates[0].body as { model: string; training_file: string; validation_file: string; method: { type: string; reinforcement: { grader: unknown; hyperparameters: unknown } } };
    // Azure's uploads start pending: the job is created only once both files are processed
    const createdAt = server().requests.indexOf(creates[0]);
    for (const id of [body.training_file, body.validation_file]) {
      const reads = server().requests.filter((request) => request.method === 'GET' && request.path === `/openai/files/${id}`);
      assert.ok(reads.length >= 2 && reads.every((read) => server().requests.indexOf(read) < createdAt), `${id} was read until processed, before the create`);
    }
    const job = await readJob(ds, result.job!.id);
    assert.equal(job.backend, 'azure');
    assert.equal(body.model, MODEL);
    assert.deepEqual([body.training_file, body.validation_file], [job.files.trainFileId, job.files.validFileId]);
    assert.equal(body.method.type, 'reinforcement');
    assert.deepEqual(body.method.reinforcement.grader, (await compileForOpenAI(EXACT_GRADER as never, { baseDir: ds })).grader);
    assert.deepEqual(body.method.reinforcement.hyperparameters, { n_epochs: 2, batch_size: 4 });
    assert.equal(job.remoteId, server().state.fineTuning.get(job.remoteId!).job.id);
    const uploaded = server()
      .state.files.all()
      .find((item) => item.file.id === job.files.trainFileId)!;
    assert.equal(uploaded.content.toString('utf8'), fs.readFileSync(result.split.files.train, 'utf8'));
  });

  it('polls to success with metrics and checkpoints, every poll in the Azure form', async () => {
    const { job } = await launch();
    server().requests.length = 0;
    const done = await watchJob(ds, job!.id, { backend: (record) => createBackend(record.backend, { client: client() }), intervalMs: 1 });
    const remote = server().state.fineTuning.get(job!.remoteId!);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.resultModel, remote.job.fine_tuned_model);
    const metricEvents = remote.events.filter((event) => event.type === 'metrics');
    assert.ok(metricEvents.length > 0);
    assert.deepEqual(
      done.metrics.map((point) => point.train_reward_mean),
      metricEvents.map((event) => (event.data as { scores: { train_reward_mean: number } }).scores.train_reward_mean),
    );
    assert.deepEqual(
      done.metrics.map((point) => point.valid_reward_mean),
      metricEvents.map((event) => (event.data as { scores: { valid_reward_mean: number } }).scores.valid_reward_mean),
    );
    assert.equal(done.checkpoints.length, remote.checkpoints.length);
    const paths = new Set(server().requests.map((request) => request.path.replace(job!.remoteId!, ':id')));
    assert.deepEqual([...paths].sort(), ['/openai/fine_tuning/jobs/:id', '/openai/fine_tuning/jobs/:id/checkpoints', '/openai/fine_tuning/jobs/:id/events']);
    assertAzureForm(server().requests);
  });

  it('pauses, resumes and cancels on /openai/fine_tuning/jobs/<id>/…', async () => {
    const { job } = await launch();
    const backend = createBackend('azure', { client: client() });
    let current = job!;
    while (current.status !== 'running') current = (await refreshJob(ds, job!.id, backend)).job;
    server().requests.length = 0;
    assert.equal((await controlJob(ds, job!.id, 'pause', backend)).job.status, 'paused');
    assert.equal((await controlJob(ds, job!.id, 'resume', backend)).job.status, 'running');
    assert.equal((await controlJob(ds, job!.id, 'cancel', backend)).job.status, 'cancelled');
    assert.equal(server().state.fineTuning.get(job!.remoteId!).job.status, 'cancelled');
    assert.deepEqual(
      server().requests.map((request) => `${request.method} ${request.path.replace(job!.remoteId!, ':id')}`),
      ['POST /openai/fine_tuning/jobs/:id/pause', 'POST /openai/fine_tuning/jobs/:id/resume', 'POST /openai/fine_tuning/jobs/:id/cancel'],
    );
    assertAzureForm(server().requests);
  });

  it("a wrong key: the launch is recorded failed with Azure's own words, nothing uploaded", async () => {
    const wrong = new ModelClient({ ...(azureProvider() as Extract<ProviderConfig, { kind: 'azure' }>), apiKey: 'not-the-key' }, { retry: { maxRetries: 0 } });
    const refused = await launch(wrong).then(
      () => assert.fail('the launch should be refused'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof TrainingError && refused.job);
    assert.equal(
      refused.message,
      'azure refused the launch (HTTP 401): Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    );
    const recorded = await readJob(ds, refused.job.record.id);
    assert.deepEqual([recorded.status, recorded.error], ['failed', refused.message]);
    assert.equal(server().state.files.all().length, 0);
  });

  it('answers as Azure does without api-version (404), with an unknown one (400) and without a key (401); accepts an Entra ID bearer token', async () => {
    const files = `${server().endpoint}/openai/files`;
    const call = async (url: string, headers: Record<string, string>) => {
      const response = await fetch(url, { headers });
      return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
    };
    assert.deepEqual(await call(files, { 'api-key': server().apiKey }), { status: 404, body: { error: { code: '404', message: 'Resource not found' } } });
    assert.deepEqual(await call(`${files}?api-version=latest`, { 'api-key': server().apiKey }), { status: 400, body: { error: { code: 'BadRequest', message: 'API version not supported' } } });
    const missing = await call(`${files}?api-version=${API_VERSION}`, {});
    assert.equal(missing.status, 401);
    assert.match(missing.body.error.message, /^Access denied due to missing subscription key/);
    assert.equal((await call(`${files}?api-version=${API_VERSION}`, { 'api-key': server().apiKey })).status, 200);
    assert.equal((await call(`${server().baseURL}/files`, { 'api-key': server().apiKey })).status, 401, 'the OpenAI form still wants a bearer key');

    const entra = new AzureOpenAI({ endpoint: server().endpoint, apiVersion: API_VERSION, azureADTokenProvider: async () => server().apiKey, maxRetries: 0 });
    assert.deepEqual((await entra.files.list()).data, []);
    const last = server().requests.at(-1)!;
    assert.equal(last.headers.authorization, `Bearer ${server().apiKey}`);
    assert.equal(last.headers['api-key'], undefined);
  });

  it('sends chat and embeddings to /openai/deployments/<deployment>/…: AZURE_OPENAI_DEPLOYMENT, else the model', async () => {
    const deployed = client({ AZURE_OPENAI_DEPLOYMENT: 'support-o4' });
    const completion = await deployed.chat({ model: 'o4-mini', messages: [{ role: 'user', content: 'Hello Azure' }] });
    assert.equal(completion.choices[0].message.content, 'echo: Hello Azure');
    await deployed.embed('text-embedding-3-small', ['one', 'two']);
    await client().chat({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
    assert.deepEqual(
      server().requests.map((request) => [request.path, request.deployment, request.apiVersion, request.headers['api-key']]),
      [
        ['/openai/deployments/support-o4/chat/completions', 'support-o4', API_VERSION, server().apiKey],
        ['/openai/deployments/support-o4/embeddings', 'support-o4', API_VERSION, server().apiKey],
        ['/openai/deployments/gpt-4.1-mini/chat/completions', 'gpt-4.1-mini', API_VERSION, server().apiKey],
      ],
    );
  });

  it('the Azure client is built from AZURE_* even when OPENAI_BASE_URL is set (the SDK would refuse both)', () => {
    const saved = process.env.OPENAI_BASE_URL;
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:1/v1';
    try {
      assert.equal(client().openai.baseURL, `${server().endpoint}/openai`);
    } finally {
      if (saved === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = saved;
    }
  });

  describe('rft train --backend azure', () => {
    // OPENAI_* point at the OpenAI form with a wrong key: Azure must win, and the SDK must not see both base URLs
    const env = () => ({
      ...process.env,
      AZURE_OPENAI_ENDPOINT: server().endpoint,
      AZURE_OPENAI_API_KEY: server().apiKey,
      OPENAI_API_VERSION: API_VERSION,
      AZURE_OPENAI_DEPLOYMENT: '',
      OPENAI_API_KEY: 'not-used',
      OPENAI_BASE_URL: server().baseURL,
      RFT_TRAIN_POLL_MS: '1',
    });
    const rft = (args: string[]) => runRftAsync(args, { env: env() });

    it('launches from AZURE_* with the --json shape, then rft job --watch follows it to the tuned model and --cancel reaches Azure', async () => {
      const launched = await rft(['train', ds, '--backend', 'azure', '--model', MODEL, '--n-epochs', '2', '--force', '--json']);
      assert.equal(launched.code, 0, launched.stderr);
      const json = JSON.parse(launched.stdout);
      assert.deepEqual([json.backend, json.status, json.model], ['azure', 'validating', MODEL]);
      assert.match(json.remoteId, /^ftjob-/);
      assert.doesNotMatch(launched.stderr, /2027-01-06/, 'no OpenAI platform notice for Azure');
      assertAzureForm(hostedCalls());
      assert.deepEqual(
        server()
          .requests.filter((request) => request.method === 'POST')
          .map((request) => request.path),
        ['/openai/files', '/openai/files', '/openai/fine_tuning/jobs'],
      );

      const watched = await rft(['job', ds, json.jobId, '--watch', '--json']);
      assert.equal(watched.code, 0, watched.stderr);
      const job = JSON.parse(watched.stdout);
      assert.equal(job.status, 'succeeded');
      assert.equal(job.resultModel, server().state.fineTuning.get(json.remoteId).job.fine_tuned_model);
      assert.ok(job.metrics.length > 0);

      const second = await rft(['train', ds, '--backend', 'azure', '--model', MODEL, '--force', '--json']);
      const secondJob = JSON.parse(second.stdout);
      const cancelled = await rft(['job', ds, secondJob.jobId, '--cancel', '--json']);
      assert.equal(cancelled.code, 0, cancelled.stderr);
      assert.equal(server().state.fineTuning.get(secondJob.remoteId).job.status, 'cancelled');
      assertAzureForm(hostedCalls());
    });

    it('without AZURE_* the azure backend says which variables it needs', async () => {
      const refused = await runRftAsync(['train', ds, '--backend', 'azure', '--model', MODEL, '--force', '--json'], { env: { ...env(), AZURE_OPENAI_ENDPOINT: '', AZURE_OPENAI_API_KEY: '' } });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /azure backend needs Azure OpenAI: set AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT/);
      assert.equal(hostedCalls().length, 0);
    });
  });
});

describe('train: Azure OpenAI file processing and graders endpoints (issue 19)', () => {
  const server = useOpenAiTestServer();
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  beforeEach(() => (ds = goDataset()));

  const VENDOR = path.resolve(__dirname, '..', 'fixtures', 'vendor', 'azure');
  const vendor = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(VENDOR, file), 'utf8')) as T;
  const client = () =>
    new ModelClient(providerFromEnv({ AZURE_OPENAI_ENDPOINT: server().endpoint, AZURE_OPENAI_API_KEY: server().apiKey, OPENAI_API_VERSION: API_VERSION })!, { retry: { maxRetries: 0 } });
  const launch = (hosted: { filePollMs?: number; fileTimeoutMs?: number }) => launchTraining(ds, { backend: 'azure', model: MODEL, connection: { client: client(), hosted } });
  const azure = () => new AzureOpenAI({ endpoint: server().endpoint, apiKey: server().apiKey, apiVersion: API_VERSION, maxRetries: 0 });

  it("Azure's uploads go pending → running → processed, and a job created before is refused (the stand-in, against Azure's examples)", async () => {
    const uploaded = await azure().files.create({ file: await toFile(Buffer.from('{"messages":[{"role":"user","content":"hi"}]}\n'), 'train.jsonl'), purpose: 'fine-tune' });
    assert.equal(uploaded.status, vendor<{ responses: { 201: { body: { status: string } } } }>('upload_file.json').responses[201].body.status);
    const refused = await azure()
      .fineTuning.jobs.create({ model: MODEL, training_file: uploaded.id })
      .then(
        () => assert.fail('a job on a file being processed is refused'),
        (error: unknown) => error as { status: number; error: { code: string } },
      );
    assert.deepEqual([refused.status, refused.error.code], [400, 'invalidPayload']);
    const seen = [(await azure().files.retrieve(uploaded.id)).status, (await azure().files.retrieve(uploaded.id)).status];
    assert.deepEqual(seen, ['running', vendor<{ responses: { 200: { body: { status: string } } } }>('get_file.json').responses[200].body.status]);
    assert.match(vendor<{ fileStatus: string }>('v1-reference-excerpts.json').fileStatus, /`pending`, `running`, `processed`/);
  });

  it('the launch waits until both uploads are processed, then creates the job; the job file says so', async () => {
    const { job } = await launch({ filePollMs: 1 });
    assert.equal(job!.status, 'validating');
    const processed = job!.events.filter((event) => /^Azure OpenAI processed file-/.test(event.message));
    assert.deepEqual(
      processed.map((event) => event.message),
      [`Azure OpenAI processed ${job!.files.trainFileId} (pending → running → processed)`, `Azure OpenAI processed ${job!.files.validFileId} (pending → running → processed)`],
    );
  });

  it('an upload that stays in processing: a clear error after the time limit, no job created', async () => {
    server().state.files.azureProcessing = 'stuck';
    const error = await launch({ filePollMs: 5, fileTimeoutMs: 40 }).then(
      () => assert.fail('the launch should give up'),
      (caught: unknown) => caught as TrainingError,
    );
    assert.match(error.message, /^Azure OpenAI is still processing file-\w+ \(train\.jsonl, status running\) after 0 s: no job was created\./);
    assert.equal(server().state.fineTuning.all().length, 0);
    assert.deepEqual([(await readJob(ds, error.job!.record.id)).status], ['failed']);
  });

  it('an upload Azure cannot process: its status and details stop the launch', async () => {
    server().state.files.azureProcessing = 'error';
    await assert.rejects(launch({ filePollMs: 1 }), /Azure OpenAI could not process file-\w+ \(train\.jsonl\): status error: The file could not be processed/);
    assert.equal(server().state.fineTuning.all().length, 0);
  });

  it('validates graders where Azure documents them: {endpoint}/openai/v1/fine_tuning/alpha/graders/validate?api-version=v1 (the dated surface has none)', async () => {
    const reference = vendor<{ validateGrader: string; apiVersionValues: string[] }>('v1-reference-excerpts.json');
    const grader = (await compileForOpenAI(EXACT_GRADER as never, { baseDir: ds, target: 'azure' })).grader!;
    assert.equal(await validateWithOpenAI(client(), grader), undefined);
    const call = server().requests.at(-1)!;
    assert.equal(`${call.method} {endpoint}${call.path}?api-version=${call.apiVersion}`, reference.validateGrader);
    assert.equal(call.headers['api-key'], server().apiKey);
    assert.ok(reference.apiVersionValues.includes(call.apiVersion!));
    const post = (url: string) => fetch(url, { method: 'POST', headers: { 'api-key': server().apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ grader }) });
    const dated = await post(`${server().endpoint}/openai/fine_tuning/alpha/graders/validate?api-version=${API_VERSION}`);
    assert.deepEqual([dated.status, await dated.json()], [404, { error: { code: '404', message: 'Resource not found' } }]);
    assert.equal((await post(`${server().endpoint}/openai/v1/fine_tuning/alpha/graders/validate`)).status, 200, 'api-version is optional on v1');
    assert.equal((await post(`${server().endpoint}/openai/v1/fine_tuning/alpha/graders/validate?api-version=${API_VERSION}`)).status, 400, 'v1 takes v1 or preview');
  });
});
