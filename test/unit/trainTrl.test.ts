// TRL on this machine: launchTraining writes the real TRL bundle, then runs a stand-in (test/fixtures/train/
// fake_trl.py — the monitor is under test, not TRL) in its folder; the job follows the process: metrics.jsonl read
// incrementally, checkpoints, the exit code, cancel by process group, and reattaching from the job file.
// Then the bundle where it runs (launch.sh and train_grpo.py against the stand-ins in test/fixtures/train/
// trl_stand_ins, built from test/fixtures/vendor/trl): its own .venv, arguments, precision, and settings refused.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Hyperparameters } from '../../src/core/train/backend';
import { trlBackend } from '../../src/core/train/backends/trl';
import { BundleError } from '../../src/core/train/bundles';
import { TRL_VENV_COMMAND } from '../../src/core/train/bundles/trlBundle';
import { GRPO_CONFIG_FIELDS } from '../../src/core/train/bundles/trlConfigFields';
import { listJobs, readJob } from '../../src/core/train/jobFile';
import { launchTraining } from '../../src/core/train/launch';
import { controlJob, refreshJob, watchJob } from '../../src/core/train/watch';
import { trainCore } from '../../src/extension/train/trainCore';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { useGoTrainingDataset } from '../fixtures/train/trainingDataset';

const STAND_IN = path.resolve(__dirname, '../fixtures/train/fake_trl.py');
const STAND_INS = path.resolve(__dirname, '../fixtures/train/trl_stand_ins');
const VENDOR = path.resolve(__dirname, '../fixtures/vendor/trl');
const facts = JSON.parse(fs.readFileSync(path.join(VENDOR, 'grpo_trainer_facts.json'), 'utf8'));

describe('train: TRL as a local process', () => {
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  beforeEach(() => (ds = goDataset()));

  const launch = (args: string[]) => {
    const command = ['python3', STAND_IN, ...args];
    return launchTraining(ds, { backend: 'trl', model: 'Qwen/Qwen2.5-0.5B-Instruct', hyperparameters: { n_epochs: 2 }, connection: { trl: { command } } });
  };

  it('writes the bundle, runs the command in it, and follows metrics.jsonl to success', async () => {
    const { job, bundle } = await launch(['--steps', '4', '--epochs', '2']);
    assert.ok(bundle && fs.existsSync(path.join(bundle.dir, 'launch.sh')), 'the real TRL bundle was written');
    assert.equal(job!.status, 'running');
    assert.equal(job!.process!.cwd, bundle!.dir);
    assert.ok(job!.process!.pid > 0);
    const done = await watchJob(ds, job!.id, { backend: trlBackend(), intervalMs: 20 });
    assert.equal(done.status, 'succeeded', done.error);
    assert.deepEqual(
      done.metrics.map((point) => point.step),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      done.metrics.map((point) => point.train_reward_mean),
      [0.35, 0.5, 0.65, 0.8],
    );
    assert.deepEqual(
      done.metrics.filter((point) => point.valid_reward_mean !== undefined).map((point) => point.step),
      [2, 4],
    );
    // TRL names the per-function metrics after the function (reward.py's `reward`): the monitor's one "grader"
    assert.deepEqual(done.metrics[0].graders, { reward: 0.35 });
    for (const name of [...facts.logged_metrics.overall, ...facts.logged_metrics.per_reward_function.map((key: string) => key.replace('{reward_func_name}', 'reward'))])
      assert.equal(typeof done.metrics[0].values![name], 'number', name);
    assert.deepEqual(
      { step: done.progress.step, totalSteps: done.progress.totalSteps, epoch: done.progress.epoch, totalEpochs: done.progress.totalEpochs },
      { step: 4, totalSteps: 4, epoch: 2, totalEpochs: 2 },
    );
    assert.deepEqual(
      done.checkpoints.map((checkpoint) => checkpoint.step),
      [1, 2, 3, 4],
    );
    assert.equal(done.resultModel, path.join(bundle!.dir, 'output'));
    assert.match(fs.readFileSync(done.process!.logFile, 'utf8'), /stand-in trainer: 4 steps/);
  });

  it('a process that exits non-zero fails with its exit code and last output, keeping the metrics before it', async () => {
    const { job } = await launch(['--steps', '5', '--fail-at', '3']);
    const done = await watchJob(ds, job!.id, { backend: trlBackend(), intervalMs: 20 });
    assert.equal(done.status, 'failed');
    assert.match(done.error!, /exited with code 1: RuntimeError: CUDA out of memory at step 3/);
    assert.deepEqual(
      done.metrics.map((point) => point.step),
      [1, 2],
    );
  });

  it('cancel ends the process group', async () => {
    const { job } = await launch(['--steps', '1000', '--delay', '0.1']);
    let seen = job!;
    while (seen.metrics.length === 0) {
      await delay(50);
      seen = (await refreshJob(ds, job!.id, trlBackend())).job;
    }
    const cancelled = await controlJob(ds, job!.id, 'cancel', trlBackend());
    assert.equal(cancelled.job.status, 'cancelled');
    const alive = () => {
      try {
        process.kill(job!.process!.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let tries = 0; alive() && tries < 100; tries++) await delay(20);
    assert.equal(alive(), false, 'the process is gone');
    assert.equal((await refreshJob(ds, job!.id, trlBackend())).job.status, 'cancelled');
  });

  it('reattaches after a restart from the job file, and says when a process vanished without an exit code', async () => {
    const { job } = await launch(['--steps', '3']);
    // a new backend object, as a restarted VS Code makes, reading only the job file
    const done = await watchJob(ds, job!.id, { backend: trlBackend(), intervalMs: 20 });
    assert.equal(done.status, 'succeeded');
    assert.equal(done.metrics.length, 3);

    const second = await launch(['--steps', '1000', '--delay', '0.1']);
    process.kill(-second.job!.process!.pid, 'SIGKILL'); // the shell too: no exit code is written
    let polled = second.job!;
    for (let tries = 0; polled.status === 'running' && tries < 100; tries++) {
      await delay(20);
      polled = (await refreshJob(ds, second.job!.id, trlBackend())).job;
    }
    assert.equal(polled.status, 'failed');
    assert.match(polled.error!, /ended without an exit code/);
    assert.equal((await readJob(ds, second.job!.id)).status, 'failed');
  });
});

describe('train: the TRL bundle where it runs (launch.sh, train_grpo.py) and its settings', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  const goDataset = useGoTrainingDataset(tmp);
  let ds: string;
  let bundleDir: string;
  /** A PATH with only what launch.sh and the stand-ins need: bash, dirname, mv, sh and python3 — no accelerate. */
  let bareBin: string;
  beforeEach(async () => {
    ds = goDataset();
    bundleDir = (await launchTraining(ds, { backend: 'trl', model: 'Qwen/Qwen2.5-0.5B-Instruct', bundleOnly: true })).bundle!.dir;
    bareBin = path.join(path.dirname(ds), 'bin');
    fs.mkdirSync(bareBin, { recursive: true });
    const python3 = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    for (const [name, target] of [['python3', python3], ...['bash', 'dirname', 'mv', 'sh'].map((tool) => [tool, spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim()])])
      fs.symlinkSync(target, path.join(bareBin, name));
  });

  const launchSh = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('bash', ['launch.sh', ...args], { cwd: bundleDir, encoding: 'utf8', env: { PATH: bareBin, PYTHONPATH: STAND_INS, PYTHONDONTWRITEBYTECODE: '1', ...env } });
  const withStandInAccelerate = (env: Record<string, string> = {}) => ({ PATH: `${path.join(STAND_INS, 'bin')}:${bareBin}`, ...env });
  const fakeRun = () =>
    JSON.parse(fs.readFileSync(path.join(bundleDir, 'fake_run.json'), 'utf8')) as {
      config: Record<string, unknown>;
      accelerate: string;
      accelerate_args: string;
      virtual_env: string;
      reward_name: string;
    };
  const setTrlSettings = (trl: Record<string, unknown>) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ds, 'rft.json'), 'utf8'));
    fs.writeFileSync(path.join(ds, 'rft.json'), JSON.stringify({ ...manifest, settings: { ...manifest.settings, train: { trl } } }));
  };

  it("launch.sh without accelerate says how to make the bundle's .venv (exit 127), and uses .venv/bin when it is there", async () => {
    assert.equal(spawnSync('bash', ['-c', 'command -v accelerate'], { env: { PATH: bareBin } }).status, 1, 'the bare PATH has no accelerate');
    const missing = launchSh([]);
    assert.equal(missing.status, 127);
    assert.ok(missing.stderr.includes(TRL_VENV_COMMAND), missing.stderr);
    assert.ok(missing.stderr.includes(`in ${bundleDir}:`), 'says where to run it');
    assert.doesNotMatch(missing.stderr, /command not found/);
    assert.equal(TRL_VENV_COMMAND, 'python3 -m venv .venv && .venv/bin/pip install -r requirements.txt');

    // a .venv made as said (its accelerate being the stand-in), with nothing activated, as VS Code starts it
    fs.mkdirSync(path.join(bundleDir, '.venv', 'bin'), { recursive: true });
    fs.copyFileSync(path.join(STAND_INS, 'bin', 'accelerate'), path.join(bundleDir, '.venv', 'bin', 'accelerate'));
    fs.chmodSync(path.join(bundleDir, '.venv', 'bin', 'accelerate'), 0o755);
    const ran = launchSh([]);
    assert.equal(ran.status, 0, ran.stderr);
    assert.equal(fakeRun().accelerate, path.join(bundleDir, '.venv', 'bin', 'accelerate'));
    assert.equal(fakeRun().virtual_env, path.join(bundleDir, '.venv'));
    assert.equal(fakeRun().reward_name, 'reward', "TRL names the reward metrics after reward.py's function");

    // the same bundle launched by the backend (VS Code's and rft train's path): the job fails with that sentence
    fs.rmSync(path.join(bundleDir, '.venv'), { recursive: true });
    const { job } = await launchTraining(ds, { backend: 'trl', model: 'Qwen/Qwen2.5-0.5B-Instruct', connection: { trl: { env: { PATH: bareBin } } } });
    const done = await watchJob(ds, job!.id, { backend: trlBackend(), intervalMs: 20 });
    assert.equal(done.status, 'failed');
    assert.match(done.error!, /exited with code 127: launch\.sh: accelerate is not installed/);
    assert.ok(done.error!.endsWith(TRL_VENV_COMMAND), done.error);
  });

  it('arguments after launch.sh are GRPOConfig overrides in train_grpo.py (an unknown one exits 2); ACCELERATE_ARGS go to accelerate', () => {
    const script = fs.readFileSync(path.join(bundleDir, 'launch.sh'), 'utf8');
    assert.match(script, /# GRPO with TRL on this machine \(written by RFT Studio\)\. Arguments are GRPOConfig overrides for this run, read by\n# train_grpo\.py/);
    assert.doesNotMatch(script, /Extra arguments go to accelerate launch/);
    const ran = launchSh(
      ['--max_steps', '3', '--learning_rate=2e-6', '--logging-steps', '5', '--report_to', 'none', '--log_completions'],
      withStandInAccelerate({ RFT_MAX_STEPS: '8', ACCELERATE_ARGS: '--num_processes 2' }),
    );
    assert.equal(ran.status, 0, ran.stderr);
    const { config, accelerate_args } = fakeRun();
    assert.deepEqual([config.max_steps, config.learning_rate, config.logging_steps, config.report_to, config.log_completions], [3, 2e-6, 5, 'none', true]);
    assert.equal(config.num_generations, 4, 'settings.json still applies');
    assert.equal(accelerate_args, '--num_processes 2');

    fs.rmSync(path.join(bundleDir, 'fake_run.json'));
    const typo = launchSh(['--learning_rte', '2e-6'], withStandInAccelerate());
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /train_grpo\.py: --learning_rte is not a GRPOConfig argument \(did you mean --learning_rate\?\)/);
    assert.equal(fs.existsSync(path.join(bundleDir, 'fake_run.json')), false, 'no trainer was made');
    assert.equal(launchSh(['20'], withStandInAccelerate()).status, 2, 'a bare value is refused');
  });

  it('precision is decided at run time: bf16 on a GPU with native bf16, fp16 on a T4 (where torch says bf16 by emulation), fp32 without CUDA', () => {
    const settings = JSON.parse(fs.readFileSync(path.join(bundleDir, 'settings.json'), 'utf8')) as { config: Record<string, unknown> };
    assert.equal('bf16' in settings.config || 'fp16' in settings.config, false, 'never fixed in settings.json');
    assert.doesNotMatch(fs.readFileSync(path.join(bundleDir, 'train_grpo.py'), 'utf8'), /bf16\s*=\s*True/);
    const precision = (gpu: string, args: string[] = []) => {
      const ran = launchSh(args, withStandInAccelerate({ FAKE_GPU: gpu }));
      assert.equal(ran.status, 0, `${gpu}: ${ran.stderr}`);
      return { bf16: fakeRun().config.bf16, fp16: fakeRun().config.fp16 };
    };
    assert.deepEqual(precision('none'), { bf16: false, fp16: false });
    assert.deepEqual(precision('t4'), { bf16: false, fp16: true });
    assert.deepEqual(precision('a100'), { bf16: true, fp16: false });
    assert.deepEqual(precision('a100', ['--fp16', 'true']), { bf16: false, fp16: true }, 'a choice made in the settings wins');
    // what TRL + transformers do when bf16 is left to them on a machine without a bf16 GPU (the stand-in as the fixture says)
    const unset = spawnSync('python3', ['-c', 'import trl; trl.GRPOConfig(output_dir="o")'], {
      env: { PATH: bareBin, PYTHONPATH: STAND_INS, PYTHONDONTWRITEBYTECODE: '1', FAKE_GPU: 'none' },
      encoding: 'utf8',
    });
    assert.ok(unset.stderr.includes(facts.precision.transformers_refusal_when_bf16_without_bf16_gpu), unset.stderr);
  });

  it("GRPO_CONFIG_FIELDS is the vendor fixture's list of GRPOConfig arguments (trl 1.9.0, the version the bundle pins)", () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(VENDOR, 'grpo_config_fields.json'), 'utf8')) as Record<string, string[] | string>;
    assert.equal(fixture.trl, '1.9.0');
    assert.ok(fs.readFileSync(path.join(bundleDir, 'requirements.txt'), 'utf8').split('\n').includes(`trl==${fixture.trl}`));
    const names = new Set([...fixture.GRPOConfig, ...fixture._BaseConfig, ...fixture.TrainingArguments]);
    assert.deepEqual([...GRPO_CONFIG_FIELDS].sort(), [...names].sort());
    for (const key of Object.keys(JSON.parse(fs.readFileSync(path.join(bundleDir, 'settings.json'), 'utf8')).config)) assert.ok(GRPO_CONFIG_FIELDS.has(key), `the bundle's own default ${key}`);
  });

  it('an unknown key in settings.train.trl is refused before anything starts: core, VS Code (trainCore), rft train (exit 2)', async () => {
    setTrlSettings({ learning_rte: 2e-6, num_generations: 4 });
    const started = path.join(ds, 'started');
    const connection = { trl: { command: ['/bin/sh', '-c', `touch ${started}`] } };
    const refusal = /settings\.train\.trl \(rft\.json\): unknown key "learning_rte": not a GRPOConfig argument in trl 1\.9\.0 — did you mean learning_rate\?/;
    fs.rmSync(path.join(ds, 'exports'), { recursive: true, force: true });
    await assert.rejects(trainCore.checkEngineSettings(ds, 'trl', {}), refusal, 'the start form asks before its confirmation');
    await assert.rejects(launchTraining(ds, { backend: 'trl', model: 'm', connection }), (error: Error) => error instanceof BundleError && refusal.test(error.message));
    await assert.rejects(trainCore.launch(ds, { backend: 'trl', model: 'm', hyperparameters: { learning_rate: 1e-6, num_generations: 4 } as Hyperparameters, connection }), refusal); // as the start form sends them
    const cli = await runRftAsync(['train', ds, '--backend', 'trl', '--model', 'm', '--json'], { env: { ...process.env, RFT_TRL_COMMAND: `touch ${started}` } });
    assert.equal(cli.code, 2);
    assert.match(cli.stderr, refusal);
    assert.equal(cli.stdout, '');
    assert.equal(fs.existsSync(started), false, 'nothing was started');
    assert.deepEqual((await listJobs(ds)).jobs, [], 'no job was recorded');
    assert.equal(fs.existsSync(path.join(ds, 'exports')), false, 'no split and no bundle were written');

    setTrlSettings({ learning_rate_multiplier: 2 });
    await assert.rejects(
      launchTraining(ds, { backend: 'trl', model: 'm', bundleOnly: true }),
      /unknown key "learning_rate_multiplier": a hosted RFT setting that TRL does not have \(TRL's nearest is the GRPOConfig argument learning_rate\)/,
    );
    setTrlSettings({ learning_rte: 2e-6, model_init_kwargs: { dtype: 'bfloat16' } });
    await assert.rejects(
      launchTraining(ds, { backend: 'trl', model: 'm', bundleOnly: true }),
      /settings\.train\.trl \(rft\.json\): "model_init_kwargs" must be a string, number or boolean, not an object/,
    );
    setTrlSettings({ remove_unused_columns: true });
    await assert.rejects(launchTraining(ds, { backend: 'trl', model: 'm', bundleOnly: true }), /remove_unused_columns must stay false/);
    setTrlSettings({ n_epochs: 3, seed: 7, beta: 0.04, bf16: false });
    const { bundle } = await launchTraining(ds, { backend: 'trl', model: 'm', bundleOnly: true });
    const { config } = JSON.parse(fs.readFileSync(path.join(bundle!.dir, 'settings.json'), 'utf8')) as { config: Record<string, unknown> };
    assert.deepEqual([config.num_train_epochs, config.seed, config.beta, config.bf16], [3, 7, 0.04, false], 'GRPOConfig names and the aliases pass');
  });
});
