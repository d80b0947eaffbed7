// TRL on this machine: launchTraining writes the real TRL bundle, then runs a stand-in (test/fixtures/train/
// fake_trl.py — the monitor is under test, not TRL) in its folder; the job follows the process: metrics.jsonl read
// incrementally, checkpoints, the exit code, cancel by process group, and reattaching from the job file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { trlBackend } from '../../src/core/train/backends/trl';
import { readJob } from '../../src/core/train/jobFile';
import { launchTraining } from '../../src/core/train/launch';
import { controlJob, refreshJob, watchJob } from '../../src/core/train/watch';
import { useTempDir } from '../support/tempDir';
import { useGoTrainingDataset } from '../fixtures/train/trainingDataset';

const STAND_IN = path.resolve(__dirname, '../fixtures/train/fake_trl.py');

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
    assert.deepEqual(done.metrics.map((point) => point.step), [1, 2, 3, 4]);
    assert.deepEqual(done.metrics.map((point) => point.train_reward_mean), [0.35, 0.5, 0.65, 0.8]);
    assert.deepEqual(done.metrics.filter((point) => point.valid_reward_mean !== undefined).map((point) => point.step), [2, 4]);
    assert.equal(done.metrics[0].graders!.exact, 0.35);
    assert.deepEqual({ step: done.progress.step, totalSteps: done.progress.totalSteps, epoch: done.progress.epoch, totalEpochs: done.progress.totalEpochs }, { step: 4, totalSteps: 4, epoch: 2, totalEpochs: 2 });
    assert.deepEqual(done.checkpoints.map((checkpoint) => checkpoint.step), [1, 2, 3, 4]);
    assert.equal(done.resultModel, path.join(bundle!.dir, 'output'));
    assert.match(fs.readFileSync(done.process!.logFile, 'utf8'), /stand-in trainer: 4 steps/);
  });

  it('a process that exits non-zero fails with its exit code and last output, keeping the metrics before it', async () => {
    const { job } = await launch(['--steps', '5', '--fail-at', '3']);
    const done = await watchJob(ds, job!.id, { backend: trlBackend(), intervalMs: 20 });
    assert.equal(done.status, 'failed');
    assert.match(done.error!, /exited with code 1: RuntimeError: CUDA out of memory at step 3/);
    assert.deepEqual(done.metrics.map((point) => point.step), [1, 2]);
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
