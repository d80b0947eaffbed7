// Hosted RFT (openai/azure) through the test server's files and fine-tuning jobs: the job body, polling to success,
// failure, pause/resume/cancel, resuming after a restart, a lost connection, refused uploads and creates.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { runDryRun } from '../../src/core/dryrun';
import { compileForOpenAI } from '../../src/core/grader/compile/openai';
import { createGradingEngine } from '../../src/core/grader/engine';
import { readGraderFile } from '../../src/core/grader/graderFile';
import { toSample } from '../../src/core/grader/sample';
import { testSample } from '../../src/core/grader/testSample';
import { ModelClient } from '../../src/core/llm/modelClient';
import { pipelineState } from '../../src/core/pipeline/pipelineState';
import { readDataset } from '../../src/core/pipeline/snapshot';
import { TrainingError } from '../../src/core/train/backend';
import { createBackend } from '../../src/core/train/backends';
import { hostedMetricPoint } from '../../src/core/train/backends/hostedMetrics';
import { FineTuningAccessError, hostedBackend } from '../../src/core/train/backends/openai';
import { listJobs, readJob, rewardOf } from '../../src/core/train/jobFile';
import { launchTraining } from '../../src/core/train/launch';
import { platformNotice } from '../../src/core/train/platformNotice';
import { jobSummary, summaryLine } from '../../src/core/train/progress';
import { stepDetailLines } from '../../src/core/train/stepDetails';
import { controlJob, refreshJob, watchJob, type WatchUpdate } from '../../src/core/train/watch';
import { jobView } from '../../src/extension/train/trainView';
import { defaultBackendOf } from '../../src/shared/trainProtocol';
import { useOpenAiTestServer, type OpenAiTestServer } from '../support/openaiServer';
import { RFT_CHECKPOINTS_KEPT } from '../support/openaiServer/fineTuningJobs';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { EXACT_GRADER, useGoTrainingDataset } from '../fixtures/train/trainingDataset';

const NOW = new Date('2026-12-01T12:00:00Z');
const VENDOR = path.resolve(__dirname, '..', 'fixtures', 'vendor', 'openai');
const vendor = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(VENDOR, file), 'utf8')) as T;
/** OpenAI's RFT guide, appendix "Training metrics": a metrics event of a real job (see PROVENANCE.md). */
const REAL_EVENT = vendor<OpenAI.FineTuning.FineTuningJobEvent & { data: RealData }>('rft-metrics-event.json');
const FACTS = vendor<{ windDown: { timeline: { date: string }[] }; noAccessRefusal: { status: number }; rftCheckpoints: string }>('platform-facts.json');

interface RealData {
  step: number;
  total_steps: number;
  scores: { train_reward_mean: number; valid_reward_mean: number; graders: { name: string; type: string; train_reward_mean: number; valid_reward_mean: number }[] };
  errors: { graders: Record<string, unknown>[] };
  usage: { samples: { train_reasoning_tokens_mean: number; valid_reasoning_tokens_mean: number } };
  timing: { step: Record<string, number> };
}

/** A value's structure: object keys (sorted) and value kinds, an array as the structure of its first element. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length > 0 ? shapeOf(value[0]) : 'empty'];
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
    );
  return typeof value;
}

const OUTPUT_JSON_GRADER = { type: 'string_check', name: 'answer', operation: 'eq', input: '{{sample.output_json.answer}}', reference: '{{item.reference_answer}}' };
const ANSWER_FORMAT = {
  type: 'json_schema',
  json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false } },
};

type LaunchOptions = Parameters<typeof launchTraining>[1];
/** A client of the test server without retries (a refused call is seen at once). */
const testClient = (server: OpenAiTestServer) => new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL }, { retry: { maxRetries: 0 } });
/** An openai launch of the dataset against the test server, on NOW. */
const launchOn = (ds: string, server: OpenAiTestServer, extra: Partial<LaunchOptions> = {}) =>
  launchTraining(ds, { backend: 'openai', model: 'o4-mini-2025-04-16', connection: { client: testClient(server) }, now: NOW, ...extra });
const writeGraderIn = (ds: string, grader: object) => fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify(grader));

describe('train: hosted RFT (openai, azure)', () => {
  const server = useOpenAiTestServer();
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  beforeEach(() => (ds = goDataset()));

  const client = (s: OpenAiTestServer = server()) => testClient(s);
  const launch = (extra: Partial<LaunchOptions> = {}) => launchOn(ds, server(), { suffix: 'support', seed: 7, hyperparameters: { n_epochs: 2, batch_size: 4, reasoning_effort: 'medium' }, ...extra });

  it('uploads both files and creates a reinforcement job with the compiled grader, recorded in .rft/jobs', async () => {
    const result = await launch();
    assert.ok(result.splitCreated, 'the split is made first when exports/ has none');
    assert.equal(result.notice?.level, 'warning');
    assert.match(result.notice!.text, /2027-01-06/);
    const uploads = server().requests.filter((request) => request.method === 'POST' && request.path === '/v1/files');
    assert.deepEqual(
      uploads.map((request) => (request.body as { purpose: string }).purpose),
      ['fine-tune', 'fine-tune'],
    );
    const create = server().requests.find((request) => request.method === 'POST' && request.path === '/v1/fine_tuning/jobs');
    const body = create!.body as {
      model: string;
      suffix: string;
      seed: number;
      training_file: string;
      validation_file: string;
      metadata: Record<string, string>;
      method: { type: string; reinforcement: { grader: unknown; hyperparameters: unknown } };
    };
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
    const uploaded = server()
      .state.files.all()
      .find((item) => item.file.id === job.files.trainFileId)!;
    assert.equal(uploaded.content.toString('utf8'), fs.readFileSync(result.split.files.train, 'utf8'), 'the train file is exports/train.jsonl as written');
  });

  it('polls to success: metrics history, checkpoints, ETA while running, the tuned model', async () => {
    const { job } = await launch();
    const updates: WatchUpdate[] = [];
    const etas: (string | undefined)[] = [];
    const done = await watchJob(ds, job!.id, {
      backend: createBackend('openai', { client: client() }),
      intervalMs: 1,
      onUpdate: (update) => (updates.push(update), update.kind === 'job' && etas.push(update.job.estimatedFinish)),
    });
    const remote = server().state.fineTuning.get(job!.remoteId!);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.resultModel, remote.job.fine_tuned_model);
    const metricEvents = remote.events.filter((event) => event.type === 'metrics');
    assert.equal(done.metrics.length, metricEvents.length);
    assert.deepEqual(
      done.metrics.map((point) => point.train_reward_mean),
      metricEvents.map((event) => (event.data as { scores: { train_reward_mean: number } }).scores.train_reward_mean),
    );
    assert.deepEqual(
      done.metrics.map((point) => point.step),
      [1, 2, 3],
    );
    assert.equal(done.checkpoints.length, remote.checkpoints.length);
    assert.equal(done.checkpoints.at(-1)!.model, remote.checkpoints.at(-1)!.fine_tuned_model_checkpoint);
    assert.deepEqual({ step: done.progress.step, totalSteps: done.progress.totalSteps, totalEpochs: done.progress.totalEpochs }, { step: 3, totalSteps: 3, totalEpochs: 2 });
    assert.ok(
      etas.some((eta) => eta !== undefined && !Number.isNaN(Date.parse(eta))),
      'the ETA of a running job is kept',
    );
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
    const trained = server()
      .state.fineTuning.get(job!.remoteId!)
      .events.filter((event) => event.type === 'metrics').length;
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
    assert.deepEqual(
      done.metrics.map((point) => point.step),
      [1, 2, 3],
    );
    assert.equal(new Set(done.events.map((event) => event.id)).size, done.events.length);
  });

  it('says it lost the connection while watching, and resumes', async () => {
    const { job } = await launch();
    server().fault({ method: 'GET', path: /^\/fine_tuning\/jobs\/[^/]+$/ }, { kind: 'status', status: 503, message: 'The server is overloaded or not ready yet.' }, 2);
    const updates: WatchUpdate[] = [];
    const done = await watchJob(ds, job!.id, { backend: createBackend('openai', { client: client() }), intervalMs: 1, onUpdate: (update) => updates.push(update) });
    const lost = updates.filter((update) => update.kind === 'connectionLost');
    assert.deepEqual(
      lost.map((update) => update.kind === 'connectionLost' && update.attempt),
      [1, 2],
    );
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

describe('train: hosted RFT metrics as OpenAI reports them (issue 19)', () => {
  const server = useOpenAiTestServer();
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  beforeEach(() => (ds = goDataset()));

  const client = () => testClient(server());
  const launch = (extra: Partial<LaunchOptions> = {}) => launchOn(ds, server(), extra);
  const writeGrader = (grader: object) => writeGraderIn(ds, grader);

  it("reads the guide's real metrics event: rewards from scores, per-grader scores from the graders array, error rates, reasoning tokens — no fake graders", async () => {
    const { job } = await launch();
    server().state.fineTuning.get(job!.remoteId!).events.push(structuredClone(REAL_EVENT));
    const point = (await refreshJob(ds, job!.id, createBackend('openai', { client: client() }))).job.metrics.find((candidate) => candidate.step === REAL_EVENT.data.step)!;
    const { scores, usage, timing } = REAL_EVENT.data;
    assert.equal(point.train_reward_mean, scores.train_reward_mean);
    assert.equal(point.valid_reward_mean, scores.valid_reward_mean);
    assert.deepEqual(point.graders, Object.fromEntries(scores.graders.map((grader) => [grader.name, grader.train_reward_mean])));
    assert.deepEqual(point.valid_graders, Object.fromEntries(scores.graders.map((grader) => [grader.name, grader.valid_reward_mean])));
    assert.deepEqual(Object.keys(point.grader_errors!), ['basic_model_grader']);
    assert.deepEqual(point.grader_errors!.basic_model_grader, {
      train: 0,
      valid: 0,
      kinds: { other_error: { train: 0, valid: 0 }, sample_parse_error: { train: 0, valid: 0 }, invalid_variable_error: { train: 0, valid: 0 } },
    });
    assert.deepEqual(point.reasoning_tokens, { train: usage.samples.train_reasoning_tokens_mean, valid: usage.samples.valid_reasoning_tokens_mean });
    assert.equal(point.values!['timing.full_iteration'], timing.step.full_iteration);
    assert.equal(point.values!.full_valid_mean_reward, scores.valid_reward_mean);

    const view = jobView(await readJob(ds, job!.id)).metrics.find((candidate) => candidate.step === REAL_EVENT.data.step)!;
    assert.deepEqual(view.graders, { basic_model_grader: { train: scores.graders[0].train_reward_mean, valid: scores.graders[0].valid_reward_mean } });
    assert.deepEqual(view.graderErrors, { basic_model_grader: { train: 0, valid: 0 } });
    assert.deepEqual(view.reasoningTokens, { train: usage.samples.train_reasoning_tokens_mean, valid: usage.samples.valid_reasoning_tokens_mean });
    const lines = stepDetailLines(await readJob(ds, job!.id)).join('\n');
    assert.match(lines, /graders at step 10 .*\n {4}basic_model_grader {2}0\.447 \/ 0\.675 {2}· {2}errors 0 % \/ 0 %/);
    assert.match(lines, /reasoning tokens per answer: train 3,330 · valid 1,949/);
  });

  it("the test server's metrics event has exactly the real event's shape (score_model grader, like the guide's)", async () => {
    writeGrader({
      type: 'score_model',
      name: 'basic_model_grader',
      model: 'gpt-4o-2024-08-06',
      input: [{ role: 'user', content: 'Score {{sample.output_text}} against {{item.reference_answer}} from 0 to 1.' }],
      range: [0, 1],
    });
    const { job } = await launch({ force: true });
    await watchJob(ds, job!.id, { backend: createBackend('openai', { client: client() }), intervalMs: 1 });
    const event = server()
      .state.fineTuning.get(job!.remoteId!)
      .events.find((candidate) => candidate.type === 'metrics')!;
    const { id: _id, created_at: _at, message, ...rest } = event;
    const { id: _realId, created_at: _realAt, message: realMessage, ...real } = REAL_EVENT;
    assert.deepEqual(shapeOf(rest), shapeOf(real));
    assert.match(message, /^Step 1\/3 , train mean reward=\d\.\d\d, full validation mean reward=\d\.\d\d, full validation mean parse error=0\.00$/);
    assert.match(realMessage, /^Step 10\/20 , train mean reward=0\.42, full validation mean reward=0\.68, full validation mean parse error=0\.00$/);
  });

  it(`a multi grader: one curve per sub-grader by name; RFT keeps the ${RFT_CHECKPOINTS_KEPT} checkpoints with the highest valid reward, read from the flat step names`, async () => {
    writeGrader({
      type: 'multi',
      name: 'both',
      graders: { exact: EXACT_GRADER, near: { type: 'string_check', name: 'near', operation: 'ilike', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}' } },
      calculate_output: '0.5 * exact + 0.5 * near',
    });
    server().state.fineTuning.defaultTotalSteps = 5;
    const { job } = await launch({ force: true });
    const done = await watchJob(ds, job!.id, { backend: createBackend('openai', { client: client() }), intervalMs: 1 });
    const remote = server().state.fineTuning.get(job!.remoteId!);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(
      done.metrics.map((point) => Object.keys(point.graders ?? {})),
      Array(5).fill(['exact', 'near']),
    );
    assert.deepEqual(Object.keys(jobView(done).metrics.at(-1)!.graders!), ['exact', 'near']);
    assert.match(FACTS.rftCheckpoints, new RegExp(`keeps the ${['zero', 'one', 'two', 'three'][RFT_CHECKPOINTS_KEPT]} with the highest \`valid_reward_mean\``));
    assert.deepEqual(
      remote.checkpoints.map((checkpoint) => checkpoint.step_number),
      [3, 4, 5],
    );
    assert.deepEqual(
      done.checkpoints.map((checkpoint) => checkpoint.step),
      [3, 4, 5],
    );
    const lastEvent = remote.events.filter((event) => event.type === 'metrics').at(-1)!.data as RealData;
    assert.equal(rewardOf(done.checkpoints.at(-1)!.metrics, 'valid'), lastEvent.scores.valid_reward_mean);
    assert.equal(jobView(done).checkpoints.at(-1)!.valid, lastEvent.scores.valid_reward_mean);
    assert.equal(jobView(done).checkpoints.at(-1)!.train, lastEvent.scores.train_reward_mean);
  });

  it('rft job shows the newest step per grader, its error rates and the reasoning tokens', async () => {
    const { job } = await launch();
    await watchJob(ds, job!.id, { backend: createBackend('openai', { client: client() }), intervalMs: 1 });
    const shown = await runRftAsync(['job', ds, job!.id], { env: { ...process.env, OPENAI_API_KEY: server().apiKey, OPENAI_BASE_URL: server().baseURL } });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /graders at step 3 \(reward train \/ valid · samples in error train \/ valid\)\n {4}exact {2}0\.800 \/ 0\.750 {2}· {2}errors 0 % \/ 0 %/);
    assert.match(shown.stdout, /reasoning tokens per answer: train 2,000 · valid 1,400/);
  });
});

describe('train: hosted RFT response_format and sample.output_json (issue 19)', () => {
  const server = useOpenAiTestServer();
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  beforeEach(() => (ds = goDataset()));

  const client = () => testClient(server());
  const launch = (extra: Partial<LaunchOptions> = {}) => launchOn(ds, server(), { force: true, ...extra });
  const writeGrader = (grader: object) => writeGraderIn(ds, grader);
  const setResponseFormat = (format: object) => fs.writeFileSync(path.join(ds, 'rft.json'), JSON.stringify({ name: 'support', settings: { train: { responseFormat: format } } }));
  const createBody = () =>
    server().requests.find((request) => request.method === 'POST' && request.path === '/v1/fine_tuning/jobs')?.body as { method: { reinforcement: { response_format?: unknown } } } | undefined;

  it('a grader that reads sample.output_json without any response_format: refused before anything is sent (rft train exits 2)', async () => {
    writeGrader(OUTPUT_JSON_GRADER);
    await assert.rejects(
      launch(),
      (error: unknown) =>
        error instanceof TrainingError &&
        !error.job &&
        /reads sample\.output_json, which OpenAI fills only when the job has a response_format/.test(error.message) &&
        /settings\.train\.responseFormat/.test(error.message),
    );
    assert.equal(server().requests.length, 0);
    assert.equal((await listJobs(ds)).jobs.length, 0);
    const cli = await runRftAsync(['train', ds, '--backend', 'openai', '--model', 'o4-mini-2025-04-16', '--force'], {
      env: { ...process.env, OPENAI_API_KEY: server().apiKey, OPENAI_BASE_URL: server().baseURL },
    });
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /rft train: grader\.json reads sample\.output_json/);
    assert.equal(server().requests.length, 0);
  });

  it("settings.train.responseFormat is sent as method.reinforcement.response_format (the guide's own example), and the job's graders then find output_json", async () => {
    const guideFormat = vendor<Record<string, unknown>>('rft-response-format.json');
    setResponseFormat(guideFormat);
    writeGrader(OUTPUT_JSON_GRADER);
    const { job } = await launch();
    assert.deepEqual(createBody()!.method.reinforcement.response_format, guideFormat);
    const done = await watchJob(ds, job!.id, { backend: createBackend('openai', { client: client() }), intervalMs: 1 });
    assert.deepEqual(
      done.metrics.map((point) => point.grader_errors?.answer?.train),
      [0, 0, 0],
    );
  });

  it('records that share a response_format send it; records that differ are refused with their lines', async () => {
    const records = path.join(ds, 'records.jsonl');
    const rows = fs
      .readFileSync(records, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    fs.writeFileSync(records, `${rows.map((row) => JSON.stringify({ ...row, response_format: ANSWER_FORMAT })).join('\n')}\n`);
    writeGrader(OUTPUT_JSON_GRADER);
    await launch();
    assert.deepEqual(createBody()!.method.reinforcement.response_format, ANSWER_FORMAT);

    server().reset();
    fs.rmSync(path.join(ds, 'exports'), { recursive: true }); // the split's fingerprint covers the prompts, not grader fields
    fs.writeFileSync(records, `${rows.map((row, index) => JSON.stringify({ ...row, response_format: index === 7 ? { type: 'json_object' } : ANSWER_FORMAT })).join('\n')}\n`);
    await assert.rejects(launch(), /exports\/(train|valid)\.jsonl line \d+ asks for another response_format than exports\/(train|valid)\.jsonl line \d+: a training job has one response_format/);
    assert.equal(server().requests.length, 0);
  });

  it('the test server plays the platform: without a response_format a grader reading output_json errors on every sample (invalid_variable_error) and scores 0', async () => {
    const openai = new OpenAI({ apiKey: server().apiKey, baseURL: server().baseURL, maxRetries: 0 });
    const file = await openai.files.create({ file: await OpenAI.toFile(Buffer.from('{"messages":[{"role":"user","content":"2+2?"}],"reference_answer":"4"}\n'), 'train.jsonl'), purpose: 'fine-tune' });
    const created = await openai.fineTuning.jobs.create({
      model: 'o4-mini-2025-04-16',
      training_file: file.id,
      method: { type: 'reinforcement', reinforcement: { grader: OUTPUT_JSON_GRADER as never } },
    });
    for (let i = 0; i < 3; i++) await openai.fineTuning.jobs.retrieve(created.id);
    const event = (await openai.fineTuning.jobs.listEvents(created.id)).data.find((candidate) => candidate.type === 'metrics')!;
    const data = event.data as RealData;
    assert.equal(data.errors.graders[0].train_invalid_variable_error_mean, 1);
    assert.equal(data.scores.graders[0].train_reward_mean, 0);
    const point = hostedMetricPoint(data as never, data.step, undefined, '');
    assert.deepEqual([point.grader_errors!.answer.train, point.grader_errors!.answer.kinds!.invalid_variable_error.train, point.graders!.answer], [1, 1, 0]);

    // graders/run is another matter: "The `output_json` variable will be populated if the model sample is a valid JSON string."
    assert.match(vendor<{ gradersRun: { model_sample: string } }>('platform-facts.json').gradersRun.model_sample, /populated if the model sample is a valid JSON string/);
    const run = await openai.fineTuning.alpha.graders.run({ grader: OUTPUT_JSON_GRADER as never, model_sample: '{"answer": "4"}', item: { reference_answer: '4' } });
    assert.equal(run.reward, 1);
  });

  it("Test Sample and the dry run grade like the platform: output_json only with a response format (settings.train.responseFormat or the record's own)", async () => {
    writeGrader(OUTPUT_JSON_GRADER);
    const grader = (await readGraderFile(ds))!.resolved;
    const engine = createGradingEngine();
    try {
      const without = await testSample(ds, { engine, grader, typedAnswer: '{"answer": "0"}', count: 3, seed: 2 });
      assert.ok(without.rows.length > 0);
      for (const row of without.rows) assert.deepEqual([row.result.reward, row.result.errors[0]?.code], [0, 'invalid_variable_error']);
      const dryWithout = await runDryRun(ds, { model: 'base', n: 4, concurrency: 1, engine, answerer: async (record) => toSample(JSON.stringify({ answer: record.reference_answer })) });
      assert.ok(dryWithout.file.samples.every((sample) => sample.score === null && /^invalid_variable_error/.test(sample.error ?? '')));

      setResponseFormat(ANSWER_FORMAT);
      const asked: unknown[] = [];
      const dryWith = await runDryRun(ds, {
        model: 'base',
        n: 4,
        concurrency: 1,
        engine,
        answerer: async (record) => (asked.push(record.response_format), toSample(JSON.stringify({ answer: record.reference_answer }))),
      });
      assert.deepEqual(
        dryWith.file.samples.map((sample) => sample.score),
        [1, 1, 1, 1],
      );
      assert.deepEqual(asked, Array(4).fill(ANSWER_FORMAT), 'the model is asked with the response format training uses');
      const withFormat = await testSample(ds, { engine, grader, typedAnswer: '{"answer": "0"}', count: 3, seed: 2 });
      for (const row of withFormat.rows) assert.deepEqual(row.result.errors, []);
    } finally {
      await engine.dispose();
    }
  });
});

describe('train: access to OpenAI fine-tuning (issue 19)', () => {
  const server = useOpenAiTestServer();
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  beforeEach(() => (ds = goDataset()));

  const launch = () => launchOn(ds, server());

  it('an organisation without access: one cheap call, then refused with the dates before anything is uploaded or recorded', async () => {
    server().state.fineTuning.access = 'refused';
    const error = await launch().then(
      () => assert.fail('the launch should be refused'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof FineTuningAccessError && !error.job);
    assert.match(error.message, new RegExp(`^OpenAI refused fine-tuning for this organisation \\(HTTP ${FACTS.noAccessRefusal.status}: `));
    for (const { date } of FACTS.windDown.timeline) assert.match(error.message, new RegExp(date));
    assert.match(error.message, /Nothing was uploaded\. Train with azure/);
    assert.deepEqual(
      server().requests.map((request) => `${request.method} ${request.path} ${JSON.stringify(request.query)}`),
      ['GET /v1/fine_tuning/jobs {"limit":"1"}'],
    );
    assert.equal((await listJobs(ds)).jobs.length, 0);
  });

  it('refused only by the create: the same explanation, the uploads kept on record', async () => {
    server().state.fineTuning.access = 'refusedOnCreate';
    const error = await launch().then(
      () => assert.fail('the launch should be refused'),
      (caught: unknown) => caught as TrainingError,
    );
    assert.match(error.message, /OpenAI refused fine-tuning for this organisation \(HTTP 403: .*The uploads \(file-\w+, file-\w+\) are recorded in the job file/);
    const recorded = await readJob(ds, error.job!.record.id);
    assert.deepEqual([recorded.status, recorded.error], ['failed', error.message]);
    assert.ok(recorded.files.trainFileId && recorded.files.validFileId);
  });

  it('the notice tells the truth: who lost access when, and that the launch asks first', () => {
    const notice = platformNotice(new Date('2026-12-06T09:00:00Z'), 'openai')!;
    assert.equal(notice.level, 'warning');
    for (const { date } of FACTS.windDown.timeline) assert.match(notice.text, new RegExp(date));
    assert.match(notice.text, /never ran a fine-tuning job lost it on 2026-05-07, and those without inference on a fine-tuned model in the past 60 days on 2026-07-02/);
    assert.match(notice.text, /The launch asks OpenAI first and uploads nothing if it refuses/);
  });

  it("VS Code's start form opens on the dataset's last backend, never on OpenAI when it cannot run", () => {
    assert.equal(defaultBackendOf(undefined, {}, 'trl'), 'openai');
    assert.equal(defaultBackendOf('verl', {}, 'trl'), 'verl');
    assert.equal(defaultBackendOf('openai', { openai: 'refused' }, 'trl'), 'trl');
    assert.equal(defaultBackendOf(undefined, { openai: 'after 2027-01-06' }, 'azure'), 'azure');
    assert.equal(defaultBackendOf('azure', { openai: 'refused' }, 'trl'), 'azure');
  });
});
