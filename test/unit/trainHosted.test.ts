// Hosted RFT (openai/azure) through the test server's files and fine-tuning jobs: the job body, polling to success,
// failure, pause/resume/cancel, resuming after a restart, a lost connection, refused uploads and creates.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { compileForOpenAI } from '../../src/core/grader/compile/openai';
import { ModelClient } from '../../src/core/llm/modelClient';
import { pipelineState } from '../../src/core/pipeline/pipelineState';
import { readDataset } from '../../src/core/pipeline/snapshot';
import { TrainingError } from '../../src/core/train/backend';
import { createBackend } from '../../src/core/train/backends';
import { hostedBackend } from '../../src/core/train/backends/openai';
import { readJob } from '../../src/core/train/jobFile';
import { launchTraining } from '../../src/core/train/launch';
import { jobSummary, summaryLine } from '../../src/core/train/progress';
import { controlJob, refreshJob, watchJob, type WatchUpdate } from '../../src/core/train/watch';
import { useOpenAiTestServer, type OpenAiTestServer } from '../support/openaiServer';
import { useTempDir } from '../support/tempDir';
import { EXACT_GRADER, useGoTrainingDataset } from '../fixtures/train/trainingDataset';

const NOW = new Date('2026-12-01T12:00:00Z');

describe('train: hosted RFT (openai, azure)', () => {
  const server = useOpenAiTestServer();
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  beforeEach(() => (ds = goDataset()));

  const client = (s: OpenAiTestServer = server()) => new ModelClient({ kind: 'openai', apiKey: s.apiKey, baseURL: s.baseURL }, { retry: { maxRetries: 0 } });
  const launch = (extra: Partial<Parameters<typeof launchTraining>[1]> = {}) =>
    launchTraining(ds, { backend: 'openai', model: 'o4-mini-2025-04-16', suffix: 'support', seed: 7, hyperparameters: { n_epochs: 2, batch_size: 4, reasoning_effort: 'medium' }, connection: { client: client() }, now: NOW, ...extra });

  it('uploads both files and creates a reinforcement job with the compiled grader, recorded in .rft/jobs', async () => {
    const result = await launch();
    assert.ok(result.splitCreated, 'the split is made first when exports/ has none');
    assert.equal(result.notice?.level, 'warning');
    assert.match(result.notice!.text, /2027-01-06/);
    const uploads = server().requests.filter((request) => request.method === 'POST' && request.path === '/v1/files');
    assert.deepEqual(uploads.map((request) => (request.body as { purpose: string }).purpose), ['fine-tune', 'fine-tune']);
    const create = server().requests.find((request) => request.method === 'POST' && request.path === '/v1/fine_tuning/jobs');
    const body = create!.body as { model: string; suffix: string; seed: number; training_file: string; validation_file: string; metadata: Record<string, string>; method: { type: string; reinforcement: { grader: unknown; hyperparameters: unknown } } };
    const expected = await compileForOpenAI(EXACT_GRADER as never, { baseDir: ds });
    assert.equal(body.method.type, 'reinforcement');
    assert.deepEqual(body.method.reinforcement.grader, expected.grader);
    assert.deepEqual(body.method.reinforcement.hyperparameters, { n_epochs: 2, batch_size: 4, reasoning_effort: 'medium' });
    assert.equal(body.model, 'o4-mini-2025-04-16');
    assert.equal(body.suffix, 'support');
    assert.equal(body.seed, 7);
    assert.equal(body.metadata.rft_job, result.job!.id);
    const job = await readJob(ds, result.job!.id);
    assert.equal(body.training_file, job.files.trainFileId);
    assert.equal(body.validation_file, job.files.validFileId);
    assert.match(job.remoteId!, /^ftjob-/);
    assert.equal(job.status, 'validating');
    assert.equal(job.backend, 'openai');
    assert.match(job.graderHash, /^[0-9a-f]{64}$/);
    const uploaded = server().state.files.all().find((item) => item.file.id === job.files.trainFileId)!;
    assert.equal(uploaded.content.toString('utf8'), fs.readFileSync(result.split.files.train, 'utf8'), 'the train file is exports/train.jsonl as written');
  });

  it('polls to success: metrics history, checkpoints, ETA while running, the tuned model', async () => {
    const { job } = await launch();
    const updates: WatchUpdate[] = [];
    const etas: (string | undefined)[] = [];
    const done = await watchJob(ds, job!.id, { backend: createBackend('openai', { client: client() }), intervalMs: 1, onUpdate: (update) => (updates.push(update), update.kind === 'job' && etas.push(update.job.estimatedFinish)) });
    const remote = server().state.fineTuning.get(job!.remoteId!);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.resultModel, remote.job.fine_tuned_model);
    const metricEvents = remote.events.filter((event) => event.type === 'metrics');
    assert.equal(done.metrics.length, metricEvents.length);
    assert.deepEqual(done.metrics.map((point) => point.train_reward_mean), metricEvents.map((event) => (event.data as { train_reward_mean: number }).train_reward_mean));
    assert.deepEqual(done.metrics.map((point) => point.step), [1, 2, 3]);
    assert.equal(done.checkpoints.length, remote.checkpoints.length);
    assert.equal(done.checkpoints.at(-1)!.model, remote.checkpoints.at(-1)!.fine_tuned_model_checkpoint);
    assert.deepEqual({ step: done.progress.step, totalSteps: done.progress.totalSteps, totalEpochs: done.progress.totalEpochs }, { step: 3, totalSteps: 3, totalEpochs: 2 });
    assert.ok(etas.some((eta) => eta !== undefined && !Number.isNaN(Date.parse(eta))), 'the ETA of a running job is kept');
    assert.equal(new Set(done.events.map((event) => event.id)).size, done.events.length, 'no event twice');
    assert.equal(done.events.length, remote.events.length);
    assert.equal(summaryLine(jobSummary(done)), `100 % · epoch 2/2 · train ${done.metrics.at(-1)!.train_reward_mean!.toFixed(2)} · valid ${done.metrics.at(-1)!.valid_reward_mean!.toFixed(2)}`);
    assert.deepEqual(await readJob(ds, job!.id), done, 'the job file holds what the watch returned');
    const step6 = pipelineState((await readDataset(ds)).snapshot).steps[5];
    assert.deepEqual([step6.status, step6.description], ['complete', `Trained · ${remote.job.fine_tuned_model}`]);
  });

  it('step 6 says how far a running job is, from its file', async () => {
    const { job } = await launch();
    const backend = createBackend('openai', { client: client() });
    let current = job!;
    while (current.metrics.length < 2) current = (await refreshJob(ds, job!.id, backend)).job;
    const step6 = pipelineState((await readDataset(ds)).snapshot).steps[5];
    assert.equal(step6.status, 'running');
    assert.equal(step6.description, summaryLine(jobSummary(current)));
    assert.match(step6.description, /^\d+ % · epoch \d\/2 · train 0\.\d\d · valid 0\.\d\d$/);
  });

  it('a job that fails remotely keeps the reason and the last metrics', async () => {
    const { job } = await launch();
    server().state.fineTuning.failJob(job!.remoteId!, { error: { code: 'invalid_grader_output', message: 'The grader returned NaN for 14 samples.' }, atStatus: 'succeeded' });
    const done = await watchJob(ds, job!.id, { backend: createBackend('openai', { client: client() }), intervalMs: 1 });
    assert.equal(done.status, 'failed');
    assert.equal(done.error, 'The grader returned NaN for 14 samples.');
    const trained = server().state.fineTuning.get(job!.remoteId!).events.filter((event) => event.type === 'metrics').length;
    assert.ok(trained > 0);
    assert.equal(done.metrics.length, trained, 'the metrics up to the failure are kept');
    assert.equal(done.resultModel, undefined);
  });

  it('pauses, resumes and cancels; a cancelled job cannot be cancelled again', async () => {
    const { job } = await launch();
    const backend = createBackend('openai', { client: client() });
    let current = job!;
    while (current.status !== 'running') current = (await refreshJob(ds, job!.id, backend)).job;
    assert.equal((await controlJob(ds, job!.id, 'pause', backend)).job.status, 'paused');
    assert.equal(server().state.fineTuning.get(job!.remoteId!).job.status, 'paused');
    const stillPaused = await refreshJob(ds, job!.id, backend);
    assert.equal(stillPaused.job.status, 'paused');
    assert.equal((await controlJob(ds, job!.id, 'resume', backend)).job.status, 'running');
    assert.equal((await controlJob(ds, job!.id, 'cancel', backend)).job.status, 'cancelled');
    assert.equal((await readJob(ds, job!.id)).status, 'cancelled');
    await assert.rejects(controlJob(ds, job!.id, 'cancel', backend), /already been cancelled/);
  });

  it('resumes monitoring after a restart: new objects read the job file and finish without duplicates', async () => {
    const { job } = await launch();
    await refreshJob(ds, job!.id, createBackend('openai', { client: client() }));
    await refreshJob(ds, job!.id, createBackend('openai', { client: client() }));
    // "restart": nothing of the first launch is kept but the file on disk
    const done = await watchJob(ds, job!.id, { backend: (record) => createBackend(record.backend, { client: client() }), intervalMs: 1 });
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.metrics.map((point) => point.step), [1, 2, 3]);
    assert.equal(new Set(done.events.map((event) => event.id)).size, done.events.length);
  });

  it('says it lost the connection while watching, and resumes', async () => {
    const { job } = await launch();
    server().fault({ method: 'GET', path: /^\/fine_tuning\/jobs\/[^/]+$/ }, { kind: 'status', status: 503, message: 'The server is overloaded or not ready yet.' }, 2);
    const updates: WatchUpdate[] = [];
    const done = await watchJob(ds, job!.id, { backend: createBackend('openai', { client: client() }), intervalMs: 1, onUpdate: (update) => updates.push(update) });
    const lost = updates.filter((update) => update.kind === 'connectionLost');
    assert.deepEqual(lost.map((update) => update.kind === 'connectionLost' && update.attempt), [1, 2]);
    assert.match((lost[0] as { error: string }).error, /overloaded/);
    assert.ok(updates.some((update) => update.kind === 'reconnected'));
    assert.equal(done.status, 'succeeded');
    assert.equal(server().pendingFaults, 0);
  });

  for (const [what, match, status, message] of [
    ['a 400 on the upload', /\/files$/, 400, 'Invalid file format for Fine-Tuning API. Must be .jsonl'],
    ['a 429 on the create', /\/fine_tuning\/jobs$/, 429, 'Rate limit reached for fine-tuning job creation.'],
    ['a 500 on the create', /\/fine_tuning\/jobs$/, 500, 'The server had an error processing your request.'],
  ] as const) {
    it(`${what}: shown as OpenAI wrote it, and recorded as a failed job`, async () => {
      server().fault({ method: 'POST', path: match }, { kind: 'status', status, message });
      const error = await launch().then(
        () => assert.fail('the launch should fail'),
        (caught: unknown) => caught as TrainingError,
      );
      assert.ok(error instanceof TrainingError);
      assert.equal(error.message, `openai refused the launch (HTTP ${status}): ${message}`);
      const recorded = await readJob(ds, error.job!.record.id);
      assert.equal(recorded.status, 'failed');
      assert.equal(recorded.error, error.message);
      assert.equal(server().state.fineTuning.all().length, 0, 'no fine-tuning job was created');
      if (what.includes('create')) assert.ok(recorded.files.trainFileId && recorded.files.validFileId, 'the uploads done are recorded');
    });
  }

  it('refuses openai after the platform end, before any request; azure needs an Azure provider', async () => {
    await assert.rejects(launch({ now: new Date('2027-01-07T00:00:00Z') }), /no new self-serve fine-tuning jobs after 2027-01-06: train with azure/);
    assert.equal(server().requests.length, 0);
    assert.throws(() => hostedBackend('azure', client()), /azure backend needs Azure OpenAI/);
    const azure = new ModelClient({ kind: 'azure', apiKey: 'k', endpoint: 'https://example.openai.azure.com', apiVersion: '2025-04-01-preview' });
    assert.equal(hostedBackend('azure', azure).capabilities.pause, true);
    assert.throws(() => hostedBackend('openai', azure), /pass --backend azure/);
  });
});
