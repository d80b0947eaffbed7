// The launch gate (grader, newest dry run GO / CAUTION confirmed / forced), the platform notice's dates, job files
// and the progress line.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TrainingError } from '../../src/core/train/backend';
import { listJobs, mergeMetrics, newJobId, readJob, writeJob, type JobRecord } from '../../src/core/train/jobFile';
import { checkTrainingGate, launchTraining, TrainingGateError } from '../../src/core/train/launch';
import { platformNotice } from '../../src/core/train/platformNotice';
import { refreshJob } from '../../src/core/train/watch';
import { epochOfStep, jobSummary, summaryLine } from '../../src/core/train/progress';
import { checkStartRequest } from '../../src/shared/trainProtocol';
import { RayJobsTestServer } from '../support/rayJobsServer';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { dryRunWithShareRight, makeTrainingDataset } from '../fixtures/train/trainingDataset';

describe('train: the launch gate', () => {
  const tmp = useTempDir();
  let fresh: string;
  const copies: Record<string, string> = {};

  before(async () => {
    fresh = path.join(tmp(), 'fresh');
    await makeTrainingDataset(fresh);
    for (const [name, share] of [
      ['go', 0.8],
      ['caution', 0.6],
      ['nogo', 0.05],
    ] as const) {
      copies[name] = path.join(tmp(), name);
      fs.cpSync(fresh, copies[name], { recursive: true });
      await dryRunWithShareRight(copies[name], share);
    }
  });

  it('refuses without a dry run unless forced, and says what to run', async () => {
    const gate = await checkTrainingGate(fresh);
    assert.equal(gate.allowed, false);
    assert.equal(gate.decision, null);
    assert.match(gate.reason, /no dry run yet: run rft dry-run .* first.*or pass --force/);
    assert.equal((await checkTrainingGate(fresh, { force: true })).allowed, true);
    await assert.rejects(launchTraining(fresh, { backend: 'trl', model: 'm', bundleOnly: true }), (error: unknown) => error instanceof TrainingGateError && !error.gate.needsConfirmation);
  });

  it('GO clears; CAUTION asks for confirmation (--yes); NO-GO refuses unless forced', async () => {
    const go = await checkTrainingGate(copies.go);
    assert.deepEqual([go.decision, go.allowed], ['GO', true]);
    const caution = await checkTrainingGate(copies.caution);
    assert.deepEqual([caution.decision, caution.allowed, caution.needsConfirmation], ['CAUTION', false, true]);
    assert.match(caution.reason, /decided CAUTION .*--yes/);
    assert.equal((await checkTrainingGate(copies.caution, { confirmCaution: true })).allowed, true);
    const nogo = await checkTrainingGate(copies.nogo, { confirmCaution: true });
    assert.deepEqual([nogo.decision, nogo.allowed], ['NO-GO', false]);
    assert.equal((await checkTrainingGate(copies.nogo, { force: true })).allowed, true);
  });

  it('a dry run scored with another grader does not clear the gate', async () => {
    const changed = path.join(tmp(), 'changed');
    fs.cpSync(copies.go, changed, { recursive: true });
    fs.writeFileSync(
      path.join(changed, 'grader.json'),
      JSON.stringify({ type: 'string_check', name: 'loose', operation: 'ilike', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}' }),
    );
    const gate = await checkTrainingGate(changed);
    assert.equal(gate.allowed, false);
    assert.match(gate.reason, /stale \(grader\.json changed since this run\)/);
  });

  it('no grader: a clear error before anything is written', async () => {
    const bare = path.join(tmp(), 'bare');
    fs.cpSync(copies.go, bare, { recursive: true });
    fs.rmSync(path.join(bare, 'grader.json'));
    await assert.rejects(
      launchTraining(bare, { backend: 'openai', model: 'o4-mini', force: true }),
      (error: unknown) => error instanceof TrainingError && /has no grader\.json: create one with rft grader init/.test(error.message),
    );
    assert.equal(fs.existsSync(path.join(bare, 'exports')), false);
    assert.deepEqual((await listJobs(bare)).jobs, []);
  });

  it('--bundle-only splits first, writes the bundle and records no job', async () => {
    const result = await launchTraining(copies.go, { backend: 'verl', model: 'Qwen/Qwen2.5-0.5B-Instruct', bundleOnly: true });
    assert.equal(result.splitCreated, true);
    assert.equal(result.job, undefined);
    assert.ok(fs.existsSync(path.join(result.bundle!.dir, 'launch.sh')));
    assert.ok(fs.existsSync(result.split.files.train) && fs.existsSync(result.split.files.valid));
    assert.deepEqual((await listJobs(copies.go)).jobs, []);
    const again = await launchTraining(copies.go, { backend: 'trl', model: 'Qwen/Qwen2.5-0.5B-Instruct', bundleOnly: true });
    assert.equal(again.splitCreated, false, 'the current split is reused');
  });
});

describe('train: the platform notice', () => {
  it('warns before 2027-01-06 with the days left, refuses openai after it, says nothing for the others', () => {
    const today = platformNotice(new Date('2026-12-01T00:00:00Z'), 'openai')!;
    assert.equal(today.level, 'warning');
    assert.match(today.text, /after 2027-01-06 \(37 days left\): this job can still be launched/);
    assert.match(platformNotice(new Date('2027-01-06T23:59:59Z'), 'openai')!.text, /\(1 day left\)/);
    const after = platformNotice(new Date('2027-01-07T00:00:00Z'), 'openai')!;
    assert.equal(after.level, 'refuse');
    assert.match(after.text, /azure .*trl .*verl/);
    for (const backend of ['azure', 'trl', 'verl'] as const) assert.equal(platformNotice(new Date('2027-06-01T00:00:00Z'), backend), undefined);
  });
});

describe('train: job files and progress', () => {
  const tmp = useTempDir();
  const job = (changes: Partial<JobRecord> = {}): JobRecord => ({
    version: 1,
    id: newJobId('openai', new Date('2026-12-01T10:00:00Z')),
    backend: 'openai',
    model: 'o4-mini',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    status: 'running',
    graderHash: 'a'.repeat(64),
    files: { train: 't', valid: 'v' },
    hyperparameters: {},
    progress: {},
    metrics: [],
    events: [],
    checkpoints: [],
    ...changes,
  });

  it('writes, reads, lists (oldest first), and reports a damaged file instead of dropping it', async () => {
    const dir = tmp();
    const first = job();
    const second = job({ id: newJobId('trl', new Date('2026-12-01T11:00:00Z')), backend: 'trl' });
    await writeJob(dir, second);
    await writeJob(dir, first);
    fs.writeFileSync(path.join(dir, '.rft', 'jobs', 'zz-broken.json'), '{"version": 1, "id": "x", "status": "exploded", "backend": "openai"}');
    assert.deepEqual(await readJob(dir, first.id), first);
    const { jobs, damaged } = await listJobs(dir);
    assert.deepEqual(
      jobs.map((item) => item.id),
      [first.id, second.id],
    );
    assert.equal(damaged.length, 1);
    assert.match(damaged[0].error, /status: expected one of .* got "exploded"/);
    await assert.rejects(readJob(dir, 'nope'), /no job nope in .*rft jobs/);
    assert.throws(() => newJobId('openai', new Date('x')));
  });

  it('a launch whose process is gone is marked failed, saying what was uploaded', async () => {
    const dir = tmp();
    const gone = spawnSync('true').pid!;
    const interrupted = job({ id: newJobId('openai', new Date('2026-12-01T12:00:00Z')), status: 'launching', launcherPid: gone, files: { train: 't', valid: 'v', trainFileId: 'file-1' } });
    await writeJob(dir, interrupted);
    const never = () => assert.fail('a job being launched is not polled');
    const { job: settled } = await refreshJob(dir, interrupted.id, { id: 'openai', capabilities: { cancel: true, pause: false, resume: false }, launch: never, poll: never, cancel: never });
    assert.equal(settled.status, 'failed');
    assert.match(settled.error!, new RegExp(`interrupted before openai accepted the job \\(process ${gone} is gone\\); files uploaded: file-1`));
    assert.equal((await readJob(dir, interrupted.id)).status, 'failed');
    const ours = job({ id: newJobId('openai', new Date('2026-12-01T13:00:00Z')), status: 'launching', launcherPid: process.pid });
    await writeJob(dir, ours);
    assert.equal((await refreshJob(dir, ours.id, { id: 'openai', capabilities: { cancel: true, pause: false, resume: false }, launch: never, poll: never, cancel: never })).job.status, 'launching');
  });

  it('merges metrics by step and says the progress in one line', () => {
    const merged = mergeMetrics(
      [
        { step: 1, train_reward_mean: 0.3, at: 'a' },
        { step: 2, train_reward_mean: 0.4, at: 'b' },
      ],
      [
        { step: 2, valid_reward_mean: 0.35, at: 'c' },
        { step: 3, train_reward_mean: 0.52, at: 'd' },
      ],
    );
    assert.deepEqual(
      merged.map((point) => [point.step, point.train_reward_mean, point.valid_reward_mean]),
      [
        [1, 0.3, undefined],
        [2, 0.4, 0.35],
        [3, 0.52, undefined],
      ],
    );
    const summary = jobSummary({
      status: 'running',
      progress: { step: 9, totalSteps: 20, epoch: 1, totalEpochs: 2 },
      metrics: [...merged, { step: 9, train_reward_mean: 0.52, valid_reward_mean: 0.48, at: 'e' }],
    });
    assert.equal(summaryLine(summary), '45 % · epoch 1/2 · train 0.52 · valid 0.48');
    assert.equal(summaryLine(jobSummary({ status: 'queued', progress: {}, metrics: [] })), '');
    assert.deepEqual([epochOfStep(1, 20, 2), epochOfStep(10, 20, 2), epochOfStep(11, 20, 2), epochOfStep(5, undefined, 2)], [1, 1, 2, undefined]);
  });
});

describe('rft train --backend verl: the cluster flags, the reward server, what the prompts lost', () => {
  const tmp = useTempDir();
  let server: RayJobsTestServer;
  let template: string;
  let ds: string;

  before(async () => {
    template = path.join(tmp(), 'template');
    await makeTrainingDataset(template);
    await dryRunWithShareRight(template, 0.8);
  });
  beforeEach(async () => {
    server = await RayJobsTestServer.start();
    ds = path.join(fs.mkdtempSync(path.join(tmp(), 'run-')), 'support');
    fs.cpSync(template, ds, { recursive: true });
  });
  afterEach(async () => server.close());

  const rft = (args: string[], env: NodeJS.ProcessEnv = {}) => runRftAsync(['train', ds, ...args], { env: { ...process.env, RFT_RAY_ADDRESS: '', RFT_REWARD_TOKEN: '', ...env } });
  const launchArgs = (changes: string[] = []) => ['--backend', 'verl', '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--ray-address', server.address, '--json', ...changes];

  it('--nodes, --gpus-per-node and --checkpoint-dir reach the job; the job file says where the checkpoints go', async () => {
    const run = await rft(launchArgs(['--nodes', '2', '--gpus-per-node', '4', '--checkpoint-dir', '/mnt/shared/ckpt']));
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { jobId: string; status: string; result: { checkpointDir: string } };
    assert.equal(out.status, 'queued');
    assert.deepEqual(out.result, { checkpointDir: `/mnt/shared/ckpt/template/${out.jobId}` }, '<root>/<dataset name>/<job id>');
    const launch = fs.readFileSync(path.join(ds, 'exports', 'verl', 'launch.sh'), 'utf8');
    assert.match(launch, /^ {2}trainer\.nnodes="\$\{NNODES:-2\}" \\$/m);
    assert.match(launch, /^ {2}trainer\.n_gpus_per_node="\$\{N_GPUS_PER_NODE:-4\}" \\$/m);
    assert.match(launch, /^DEFAULT_CHECKPOINT_ROOT=\/mnt\/shared\/ckpt$/m);
    const submitted = [...server.jobs.values()][0];
    assert.equal((submitted.runtimeEnv as { env_vars: Record<string, string> }).env_vars.RFT_RUN_ID, out.jobId);
    assert.equal((await readJob(ds, out.jobId)).result?.checkpointDir, out.result.checkpointDir);
  });

  it('refuses the cluster flags for other backends, and counts that are not whole numbers ≥ 1 (exit 2)', async () => {
    const trl = await rft(['--backend', 'trl', '--model', 'm', '--nodes', '2', '--bundle-only']);
    assert.equal(trl.code, 2);
    assert.match(trl.stderr, /--nodes: only for --backend verl/);
    const zero = await rft(launchArgs(['--gpus-per-node', '0']));
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--gpus-per-node needs a whole number ≥ 1/);
    const uri = await rft(launchArgs(['--checkpoint-dir', 'gs://bucket/ckpt']));
    assert.equal(uri.code, 2);
    assert.match(uri.stderr, /verl 0\.7\.0 writes checkpoints to a file system path only \(gs:\/\/ is not one\)/);
    assert.equal(server.jobs.size, 0);
  });

  it('a grader that needs rft grader serve: no --reward-server is exit 2 with what to do; with it (and RFT_REWARD_TOKEN) the job gets both', async () => {
    fs.writeFileSync(
      path.join(ds, 'grader.json'),
      JSON.stringify({
        type: 'score_model',
        name: 'judge',
        model: 'gpt-4o-mini-2024-07-18',
        input: [{ role: 'user', content: 'Score {{sample.output_text}} against {{item.reference_answer}}' }],
        range: [0, 1],
      }),
    );
    const refused = await rft(launchArgs(['--force']));
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /rft train: the grader has js, judge or cosine graders, which only rft grader serve scores.*pass --reward-server http:\/\/<host>:8787/);
    assert.equal(server.jobs.size, 0);
    assert.equal(fs.existsSync(path.join(ds, '.rft', 'jobs')), false, 'no job recorded');
    const run = await rft(launchArgs(['--force', '--reward-server', 'http://10.0.0.5:8787']), { RFT_REWARD_TOKEN: 'reward-token' });
    assert.equal(run.code, 0, run.stderr);
    const envVars = ([...server.jobs.values()][0].runtimeEnv as { env_vars: Record<string, string> }).env_vars;
    assert.deepEqual([envVars.RFT_REWARD_SERVER, envVars.RFT_REWARD_TOKEN], ['http://10.0.0.5:8787', 'reward-token']);
    assert.match(fs.readFileSync(path.join(ds, 'exports', 'verl', 'reward.py'), 'utf8'), /RFT_REWARD_SERVER", "http:\/\/10\.0\.0\.5:8787"/);
  });

  it('--bundle-only says how many prompts lost their tool calls (stderr, and promptChanges in --json)', async () => {
    const withTools = {
      messages: [
        { role: 'system', content: 'Answer with the number only.' },
        { role: 'user', content: 'What is 3 plus 3? (billing) Look it up first.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'calculator', arguments: '{"expression": "3+3"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '6' },
        { role: 'user', content: 'So what is it?' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'calculator', description: 'Evaluates arithmetic.', parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] } },
        },
      ],
      reference_answer: '6',
    };
    fs.appendFileSync(path.join(ds, 'records.jsonl'), `${JSON.stringify(withTools)}\n`);
    const run = await rft(['--backend', 'verl', '--model', 'm', '--bundle-only', '--force', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /note: 1 prompts had tool calls, which the engine prompts cannot carry: 1 assistant turns that only called tools and 1 tool results left out; 1 turns joined/);
    const out = JSON.parse(run.stdout) as { status: string; promptChanges: Record<string, number>; notes: string[] };
    assert.equal(out.status, 'bundle');
    assert.deepEqual(out.promptChanges, { nonTextParts: 0, rowsWithToolCalls: 1, toolCallTurnsDropped: 1, toolResultsDropped: 1, toolCallsStripped: 0, turnsJoined: 1 });
  });
});

describe("train: the start form's request as the host checks it (verl's cluster)", () => {
  const base = { backend: 'verl', model: 'Qwen/Qwen2.5-7B-Instruct', split: { validShare: 0.1, stratify: true, generatedInValid: false }, hyperparameters: {} };

  it('takes nodes, GPUs per node, a reward server and a checkpoint folder for verl, and says what is wrong with each', () => {
    assert.deepEqual(checkStartRequest({ ...base, cluster: { nodes: 2, gpusPerNode: 8, rewardServer: 'http://10.0.0.5:8787', checkpointDir: '/mnt/shared/ckpt' } }), {
      ...base,
      cluster: { nodes: 2, gpusPerNode: 8, rewardServer: 'http://10.0.0.5:8787', checkpointDir: '/mnt/shared/ckpt' },
    });
    assert.deepEqual(
      checkStartRequest({ ...base, cluster: { nodes: 1, gpusPerNode: 1, rewardServer: '', checkpointDir: '' } }),
      { ...base, cluster: { nodes: 1, gpusPerNode: 1 } },
      'empty optional fields are left out',
    );
    assert.equal(checkStartRequest({ ...base, cluster: { nodes: 0, gpusPerNode: 1 } }), 'Nodes: a whole number from 1 to 1024.');
    assert.equal(checkStartRequest({ ...base, cluster: { nodes: 1, gpusPerNode: 2.5 } }), 'GPUs per node: a whole number from 1 to 64.');
    assert.match(checkStartRequest({ ...base, cluster: { nodes: 1, gpusPerNode: 1, rewardServer: 'localhost:8787' } }) as string, /^Reward server: an http\(s\) URL the cluster reaches/);
    assert.match(checkStartRequest({ ...base, cluster: { nodes: 1, gpusPerNode: 1, checkpointDir: 'checkpoints' } }) as string, /^Checkpoint folder: an absolute path/);
    assert.equal(checkStartRequest({ ...base, backend: 'trl', cluster: { nodes: 2, gpusPerNode: 1 } }), 'TRL runs on no cluster: nodes and GPUs are for verl.');
  });
});
