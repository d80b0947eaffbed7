// verl on Ray through the Ray Jobs REST API, against the protocol-faithful test server: the working_dir package
// (deterministic zip, sha1 URI, only the bundle's files), submit with the run's environment, status, logs parsed into
// metrics and the trained model's place, stop, a refused token, a lost connection.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PreparedLaunch } from '../../src/core/train/backend';
import { rayBackend } from '../../src/core/train/backends/ray';
import { newJobId, writeJob, type JobRecord } from '../../src/core/train/jobFile';
import { packageUri, RayJobsClient, RayJobsError } from '../../src/core/train/rayJobsClient';
import { controlJob, watchJob, type WatchUpdate } from '../../src/core/train/watch';
import { folderEntries, zipEntries } from '../../src/core/train/zip';
import { launchTraining } from '../../src/core/train/launch';
import { readTunedModel } from '../../src/core/deploy/tunedModel';
import { TrainingError } from '../../src/core/train/backend';
import { dryRunWithShareRight, makeTrainingDataset } from '../fixtures/train/trainingDataset';
import { RayJobsTestServer } from '../support/rayJobsServer';
import { useTempDir } from '../support/tempDir';

const VERL_LOGS = [
  'Ray job starting: verl.trainer.main_ppo',
  '(TaskRunner pid=42) step:1 - training/global_step:1 - training/epoch:0 - critic/score/mean:np.float64(0.31) - actor/entropy:np.float64(0.9)',
  '(TaskRunner pid=42) step:2 - training/global_step:2 - training/epoch:0 - critic/score/mean:np.float64(0.4) - val-core/support/reward/mean@1:np.float64(0.35)',
  '(TaskRunner pid=42) step:3 - training/global_step:3 - training/epoch:1 - critic/score/mean:np.float64(0.52)',
  '(TaskRunner pid=42) step:4 - training/global_step:4 - training/epoch:1 - critic/score/mean:np.float64(0.6) - val-core/support/reward/mean@1:np.float64(0.5)',
];

describe('train: verl on a Ray cluster (Ray Jobs REST API)', () => {
  const tmp = useTempDir();
  let server: RayJobsTestServer;
  let ds: string;
  let bundleDir: string;

  beforeEach(async () => {
    server = await RayJobsTestServer.start();
    ds = fs.mkdtempSync(path.join(tmp(), 'ds-'));
    bundleDir = path.join(ds, 'exports', 'verl');
    fs.mkdirSync(path.join(bundleDir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(bundleDir, 'launch.sh'), 'python3 -m verl.trainer.main_ppo algorithm.adv_estimator=grpo\n');
    fs.writeFileSync(path.join(bundleDir, 'runtime_env.yaml'), 'working_dir: .\nenv_vars:\n  TOKENIZERS_PARALLELISM: "true"\n');
    fs.writeFileSync(path.join(bundleDir, 'reward.py'), 'def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):\n    return 1.0\n');
    fs.writeFileSync(path.join(bundleDir, 'data', 'train.parquet'), Buffer.from([0x50, 0x41, 0x52, 0x31, 1, 2, 3, 0x50, 0x41, 0x52, 0x31]));
  });
  afterEach(async () => server.close());

  const BUNDLE_FILES = ['launch.sh', 'runtime_env.yaml', 'reward.py', 'data/train.parquet'];
  const prepared = (changes: Partial<PreparedLaunch> = {}): PreparedLaunch => ({
    datasetDir: ds,
    model: 'Qwen/Qwen2.5-0.5B-Instruct',
    files: { train: 'train.jsonl', valid: 'valid.jsonl' },
    hyperparameters: { n_epochs: 2 },
    bundle: { dir: bundleDir, files: BUNDLE_FILES, launchCommand: ['bash', 'launch.sh'], checkpointDir: '/mnt/shared/ckpt/support' },
    ...changes,
  });
  let launched = 0;
  const newJob = (): JobRecord => ({
    version: 1,
    id: newJobId('verl', new Date(Date.now() + launched++)),
    backend: 'verl',
    model: 'Qwen/Qwen2.5-0.5B-Instruct',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    status: 'launching',
    graderHash: 'x'.repeat(64),
    files: { train: 'train.jsonl', valid: 'valid.jsonl', bundle: bundleDir },
    hyperparameters: { n_epochs: 2 },
    progress: {},
    metrics: [],
    events: [],
    checkpoints: [],
  });
  const launch = async (backend = rayBackend({ address: server.address }), changes: Partial<PreparedLaunch> = {}) => {
    const job = await backend.launch(prepared(changes), newJob(), async () => undefined);
    await writeJob(ds, job);
    return job;
  };

  it('zips the bundle deterministically and names the package by the sha1 of its bytes', async () => {
    const first = zipEntries(await folderEntries(bundleDir));
    fs.utimesSync(path.join(bundleDir, 'reward.py'), new Date('2020-01-01'), new Date('2020-01-01'));
    assert.deepEqual(zipEntries(await folderEntries(bundleDir)), first, 'the same files give the same bytes, whatever their times');
    assert.equal(packageUri(first), `gcs://_ray_pkg_${createHash('sha1').update(first).digest('hex')}.zip`);
  });

  it('uploads the working_dir package once, submits the entrypoint with it, and the cluster holds the files', async () => {
    const job = await launch();
    const uri = job.ray!.packageUri;
    const stored = server.packages.get(uri)!;
    assert.ok(stored, 'the package is on the cluster under its URI');
    assert.deepEqual([...stored.files.keys()].sort(), ['data/train.parquet', 'launch.sh', 'reward.py', 'runtime_env.yaml']);
    assert.deepEqual(stored.files.get('data/train.parquet'), fs.readFileSync(path.join(bundleDir, 'data', 'train.parquet')));
    const submit = server.requests.find((request) => request.method === 'POST' && request.path === '/api/jobs/')!;
    const body = submit.body as { entrypoint: string; submission_id: string; runtime_env: { working_dir: string; env_vars: Record<string, string> }; metadata: Record<string, string> };
    assert.equal(body.entrypoint, 'bash launch.sh');
    assert.equal(body.runtime_env.working_dir, uri);
    assert.deepEqual(
      body.runtime_env.env_vars,
      { TOKENIZERS_PARALLELISM: 'true', RFT_RUN_ID: job.id },
      "the bundle's runtime_env.yaml, with the package as working_dir and the job's own checkpoint folder",
    );
    assert.deepEqual(job.result, { checkpointDir: `/mnt/shared/ckpt/support/${job.id}` }, 'where the checkpoints will be, recorded before the job runs');
    assert.equal(body.submission_id, job.remoteId);
    assert.equal(body.metadata.rft_job, job.id);
    assert.equal(job.status, 'queued');
    const puts = () => server.requests.filter((request) => request.method === 'PUT').length;
    assert.equal(puts(), 1);
    await launch();
    assert.equal(puts(), 1, 'a package the cluster has is not uploaded again');
  });

  it('follows the job to SUCCEEDED and reads verl console lines from the logs into the curves', async () => {
    server.scriptNextJob({ logs: VERL_LOGS, linesPerPoll: 2 });
    const job = await launch();
    const done = await watchJob(ds, job.id, { backend: rayBackend({ address: server.address }), intervalMs: 1 });
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(
      done.metrics.map((point) => point.step),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      done.metrics.map((point) => point.train_reward_mean),
      [0.31, 0.4, 0.52, 0.6],
    );
    assert.deepEqual(
      done.metrics.filter((point) => point.valid_reward_mean !== undefined).map((point) => [point.step, point.valid_reward_mean]),
      [
        [2, 0.35],
        [4, 0.5],
      ],
    );
    assert.deepEqual({ step: done.progress.step, epoch: done.progress.epoch, totalEpochs: done.progress.totalEpochs }, { step: 4, epoch: 2, totalEpochs: 2 });
    assert.ok(done.events.some((event) => /Ray job RUNNING/.test(event.message)));
  });

  it('a failed Ray job keeps the cluster message and the metrics read before it', async () => {
    server.scriptNextJob({ logs: VERL_LOGS.slice(0, 3), outcome: 'FAILED', message: 'Job entrypoint command failed with exit code 1, last available logs: torch.OutOfMemoryError' });
    const job = await launch();
    const done = await watchJob(ds, job.id, { backend: rayBackend({ address: server.address }), intervalMs: 1 });
    assert.equal(done.status, 'failed');
    assert.match(done.error!, /torch\.OutOfMemoryError/);
    assert.deepEqual(
      done.metrics.map((point) => point.step),
      [1, 2],
    );
  });

  it('stops a running job', async () => {
    server.scriptNextJob({ logs: VERL_LOGS, linesPerPoll: 1 });
    const job = await launch();
    const backend = rayBackend({ address: server.address });
    await writeJob(ds, await backend.poll(job));
    const stopped = await controlJob(ds, job.id, 'cancel', backend);
    assert.equal(stopped.job.status, 'cancelled');
    assert.equal(server.jobs.get(job.remoteId!)!.status, 'STOPPED');
    await assert.rejects(controlJob(ds, job.id, 'pause', backend), /verl jobs cannot be paused/);
  });

  it('says when the cluster refuses the token (401 without one, 403 with a wrong one)', async () => {
    await server.close();
    server = await RayJobsTestServer.start({ token: 's3cret' });
    await assert.rejects(launch(rayBackend({ address: server.address })), /the Ray cluster refused the token \(HTTP 401\).*set RFT_RAY_TOKEN/);
    await assert.rejects(launch(rayBackend({ address: server.address, token: 'wrong' })), /the Ray cluster refused the token \(HTTP 403\).*Invalid authentication token/);
    const job = await launch(rayBackend({ address: server.address, token: 's3cret' }));
    assert.equal(job.status, 'queued');
    assert.ok(server.requests.filter((request) => request.headers.authorization === 'Bearer s3cret').length >= 3);
  });

  it('answers an unknown job as Ray does, and an unreachable dashboard as a transient error', async () => {
    const client = new RayJobsClient(server.address);
    await assert.rejects(
      client.jobDetails('raysubmit_nope'),
      (error: unknown) => error instanceof RayJobsError && error.status === 404 && /Job raysubmit_nope does not exist/.test(error.message) && !error.transient,
    );
    const closed = new RayJobsClient('http://127.0.0.1:9');
    await assert.rejects(closed.jobDetails('x'), (error: unknown) => error instanceof RayJobsError && error.transient && /cannot reach the Ray dashboard/.test(error.message));
  });

  it('launchTraining submits the real verl bundle: the cluster gets its files and the runtime env', async () => {
    const dataset = path.join(tmp(), 'verl-dataset');
    await makeTrainingDataset(dataset);
    await dryRunWithShareRight(dataset, 0.8);
    const { job, bundle } = await launchTraining(dataset, { backend: 'verl', model: 'Qwen/Qwen2.5-0.5B-Instruct', connection: { ray: { address: server.address } } });
    assert.equal(job!.status, 'queued');
    const stored = server.packages.get(job!.ray!.packageUri)!;
    assert.deepEqual([...stored.files.keys()].sort(), [...bundle!.files].sort());
    for (const name of bundle!.files) assert.deepEqual(stored.files.get(name), fs.readFileSync(path.join(bundle!.dir, name)), name);
    const submitted = server.jobs.get(job!.remoteId!)!;
    assert.equal(submitted.entrypoint, 'bash launch.sh');
    const envVars = (submitted.runtimeEnv as { env_vars: Record<string, string> }).env_vars;
    assert.equal(envVars.RFT_RUN_ID, job!.id);
    assert.equal(envVars.VERL_FILE_LOGGER_PATH, undefined, 'no file logger: verl 0.7.0 crashes in it');
    assert.equal(job!.result?.checkpointDir, `$HOME/rft-studio/checkpoints/verl-dataset/${job!.id}`, 'the default root, expanded on the node');
  });

  it("zips only the bundle's files: what a trial run left in the folder (checkpoints, outputs, logs) stays home", async () => {
    for (const leftover of ['checkpoints/rft-studio/support/global_step_1/actor/model_world_size_1_rank_0.pt', 'outputs/2026-12-01/main_ppo.log', 'nohup.out', 'metrics.jsonl']) {
      fs.mkdirSync(path.dirname(path.join(bundleDir, leftover)), { recursive: true });
      fs.writeFileSync(path.join(bundleDir, leftover), 'left by a local trial');
    }
    const job = await launch();
    assert.deepEqual([...server.packages.get(job.ray!.packageUri)!.files.keys()].sort(), [...BUNDLE_FILES].sort());
  });

  it('the reward server (and its token) reach the job as RFT_REWARD_SERVER / RFT_REWARD_TOKEN', async () => {
    const job = await launch(rayBackend({ address: server.address, rewardToken: 'reward-s3cret' }), { rewardServerUrl: 'http://10.0.0.5:8787' });
    const envVars = (server.jobs.get(job.remoteId!)!.runtimeEnv as { env_vars: Record<string, string> }).env_vars;
    assert.equal(envVars.RFT_REWARD_SERVER, 'http://10.0.0.5:8787');
    assert.equal(envVars.RFT_REWARD_TOKEN, 'reward-s3cret');
    const without = await launch(rayBackend({ address: server.address, rewardToken: 'reward-s3cret' }));
    assert.equal((server.jobs.get(without.remoteId!)!.runtimeEnv as { env_vars: Record<string, string> }).env_vars.RFT_REWARD_TOKEN, undefined, 'no server, no token sent');
  });

  it("the launch script's result line becomes the job's result.path and result model, which step 7 serves", async () => {
    const model = '/mnt/shared/ckpt/support/job/global_step_4/actor/huggingface';
    server.scriptNextJob({ logs: [...VERL_LOGS, `rft-studio result: {"path": "${model}", "step": 4, "checkpoint_dir": "/mnt/shared/ckpt/support/job"}`], linesPerPoll: 3 });
    const job = await launch();
    const done = await watchJob(ds, job.id, { backend: rayBackend({ address: server.address }), intervalMs: 1 });
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.result, { checkpointDir: '/mnt/shared/ckpt/support/job', path: model, format: 'huggingface', step: 4 });
    assert.equal(done.resultModel, model);
    assert.ok(done.events.some((event) => event.message === `The Hugging Face model of step 4 is in ${model} (on the cluster)`));
    const tuned = await readTunedModel(ds);
    assert.deepEqual([tuned?.model, tuned?.endpoint, tuned?.jobId], [model, 'compatible', job.id]);
  });

  it('a job that succeeds without saying where its model is says so, and records no result model', async () => {
    server.scriptNextJob({ logs: VERL_LOGS, linesPerPoll: 5 });
    const job = await launch();
    const done = await watchJob(ds, job.id, { backend: rayBackend({ address: server.address }), intervalMs: 1 });
    assert.equal(done.status, 'succeeded');
    assert.equal(done.resultModel, undefined);
    assert.equal(done.result?.path, undefined);
    assert.ok(
      done.events.some(
        (event) => event.level === 'warn' && event.message.includes(`without saying where its Hugging Face model is (the job's logs tell why; checkpoints: /mnt/shared/ckpt/support/${job.id})`),
      ),
    );
  });

  it('refuses a verl job whose grader needs rft grader serve without --reward-server (the workers would score against 127.0.0.1)', async () => {
    const dataset = path.join(tmp(), 'verl-judge');
    await makeTrainingDataset(dataset);
    fs.writeFileSync(
      path.join(dataset, 'grader.json'),
      JSON.stringify({ type: 'js', name: 'exact_js', source: 'function grade(input) { return input.sample.output_text === input.item.reference_answer ? 1 : 0; }' }),
    );
    await assert.rejects(
      launchTraining(dataset, { backend: 'verl', model: 'Qwen/Qwen2.5-0.5B-Instruct', force: true, connection: { ray: { address: server.address } } }),
      (error: unknown) => error instanceof TrainingError && !error.job && /only rft grader serve scores.*pass --reward-server http:\/\/<host>:8787/.test(error.message),
    );
    assert.equal(server.jobs.size, 0, 'nothing submitted');
    await assert.rejects(
      launchTraining(dataset, { backend: 'verl', model: 'm', force: true, rewardServerUrl: 'ftp://x', connection: { ray: { address: server.address } } }),
      /--reward-server ftp:\/\/x: expected an http\(s\) URL/,
    );
    const { job } = await launchTraining(dataset, {
      backend: 'verl',
      model: 'Qwen/Qwen2.5-0.5B-Instruct',
      force: true,
      rewardServerUrl: 'http://10.0.0.5:8787',
      connection: { ray: { address: server.address } },
    });
    assert.equal((server.jobs.get(job!.remoteId!)!.runtimeEnv as { env_vars: Record<string, string> }).env_vars.RFT_REWARD_SERVER, 'http://10.0.0.5:8787');
  });

  it('a dashboard failing while watching is said and the watch resumes', async () => {
    server.scriptNextJob({ logs: VERL_LOGS, linesPerPoll: 5 });
    const job = await launch();
    server.fault(/^\/api\/jobs\/[^/]+$/, 503, 2);
    const updates: WatchUpdate[] = [];
    const done = await watchJob(ds, job.id, { backend: rayBackend({ address: server.address }), intervalMs: 1, onUpdate: (update) => updates.push(update) });
    assert.equal(updates.filter((update) => update.kind === 'connectionLost').length, 2);
    assert.ok(updates.some((update) => update.kind === 'reconnected'));
    assert.equal(done.status, 'succeeded');
    assert.equal(done.metrics.length, 4);
  });
});
