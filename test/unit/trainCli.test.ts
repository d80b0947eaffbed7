// rft train / rft jobs / rft job in a child process against the OpenAI test server: the gate, --force, --yes,
// the --json shapes, --watch, --bundle-only, a refused upload, cancel, and an action a backend cannot do.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { platformNotice } from '../../src/core/train/platformNotice';
import { useOpenAiTestServer } from '../support/openaiServer';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { dryRunWithShareRight, makeTrainingDataset } from '../fixtures/train/trainingDataset';

const TRAIN_KEYS = ['backend', 'jobId', 'status', 'model', 'files', 'job'];

describe('rft train, rft jobs, rft job', () => {
  const server = useOpenAiTestServer();
  const tmp = useTempDir();
  let plain: string;
  let go: string;
  let caution: string;
  let ds: string;
  // OpenAI takes no new jobs after 2027-01-06: from then on these tests expect the refusal instead
  const openaiOpen = platformNotice(new Date(), 'openai')?.level !== 'refuse';

  before(async () => {
    plain = path.join(tmp(), 'plain');
    await makeTrainingDataset(plain);
    go = path.join(tmp(), 'go');
    caution = path.join(tmp(), 'caution');
    fs.cpSync(plain, go, { recursive: true });
    fs.cpSync(plain, caution, { recursive: true });
    await dryRunWithShareRight(go, 0.8);
    await dryRunWithShareRight(caution, 0.6);
  });
  beforeEach(() => {
    ds = path.join(fs.mkdtempSync(path.join(tmp(), 'run-')), 'support');
    fs.cpSync(go, ds, { recursive: true });
  });

  const env = () => ({ ...process.env, OPENAI_API_KEY: server().apiKey, OPENAI_BASE_URL: server().baseURL, AZURE_OPENAI_API_KEY: '', AZURE_OPENAI_ENDPOINT: '', RFT_TRAIN_POLL_MS: '1' });
  const rft = (args: string[]) => runRftAsync(args, { env: env() });
  /** After OpenAI's last day (docs/training.md §OpenAI and Azure) an openai launch is refused before anything is uploaded: what the tests below then check instead. */
  async function assertOpenAiRefused(dataset: string): Promise<void> {
    const refused = await rft(['train', dataset, '--backend', 'openai', '--model', 'o4-mini', '--force', '--json']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /OpenAI takes no new self-serve fine-tuning jobs after 2027-01-06/);
    assert.equal(server().requests.filter((request) => request.path.endsWith('/files')).length, 0);
  }

  it('refuses without a dry run (exit 2, says what to run) and nothing is recorded; --force launches', async function () {
    const refused = await rft(['train', plain, '--backend', 'openai', '--model', 'o4-mini', '--json']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /rft train: no dry run yet: run rft dry-run .* first .*or pass --force/);
    assert.equal(refused.stdout, '');
    assert.equal(fs.existsSync(path.join(plain, '.rft', 'jobs')), false);
    if (!openaiOpen) return assertOpenAiRefused(plain);
    const copy = path.join(tmp(), 'plain-forced');
    fs.cpSync(plain, copy, { recursive: true });
    const forced = await rft(['train', copy, '--backend', 'openai', '--model', 'o4-mini', '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(JSON.parse(forced.stdout).status, 'validating');
  });

  it('CAUTION asks for --yes; an unknown backend is a usage error', async () => {
    const asked = await rft(['train', caution, '--backend', 'trl', '--model', 'm', '--bundle-only']);
    assert.equal(asked.code, 2);
    assert.match(asked.stderr, /decided CAUTION .*confirm training anyway with --yes/);
    const confirmed = await rft(['train', caution, '--backend', 'trl', '--model', 'm', '--bundle-only', '--yes', '--json']);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    const unknown = await rft(['train', ds, '--backend', 'sagemaker', '--model', 'm']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--backend openai\|azure\|trl\|verl \(got "sagemaker"\)/);
  });

  it('launches on openai with the --json shape, lists it, and --watch follows it to the tuned model', async function () {
    if (!openaiOpen) return assertOpenAiRefused(ds);
    const run = await rft(['train', ds, '--backend', 'openai', '--model', 'o4-mini-2025-04-16', '--suffix', 'support', '--n-epochs', '2', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /OpenAI stops new self-serve fine-tuning jobs after 2027-01-06/);
    assert.match(run.stderr, /split first: \d+ train · \d+ valid/);
    const launched = JSON.parse(run.stdout);
    assert.deepEqual(
      Object.keys(launched).filter((key) => TRAIN_KEYS.includes(key)),
      TRAIN_KEYS,
    );
    assert.equal(launched.backend, 'openai');
    assert.equal(launched.model, 'o4-mini-2025-04-16');
    assert.ok(fs.existsSync(launched.job));
    assert.equal(launched.files.train, path.join(ds, 'exports', 'train.jsonl'));
    const create = server().requests.find((request) => request.path === '/v1/fine_tuning/jobs' && request.method === 'POST')!;
    assert.deepEqual((create.body as { method: { reinforcement: { hyperparameters: unknown } } }).method.reinforcement.hyperparameters, { n_epochs: 2 });

    const listed = await rft(['jobs', ds, '--json']);
    assert.equal(listed.code, 0);
    assert.deepEqual(
      JSON.parse(listed.stdout).jobs.map((job: { id: string; status: string }) => [job.id, job.status]),
      [[launched.jobId, 'validating']],
    );

    const watched = await rft(['job', ds, launched.jobId, '--watch', '--json']);
    assert.equal(watched.code, 0, watched.stderr);
    const job = JSON.parse(watched.stdout);
    assert.equal(job.status, 'succeeded');
    assert.equal(job.resultModel, server().state.fineTuning.get(launched.remoteId).job.fine_tuned_model);
    assert.equal(job.metrics.length, 3);
    assert.match(watched.stderr, /running · \d+ % · epoch \d\/2 · train 0\.\d\d · valid 0\.\d\d/);
    const human = await rft(['jobs', ds]);
    assert.match(human.stdout, new RegExp(`${launched.jobId}\\s+openai .*succeeded · 100 %`));
  });

  it("a refused upload exits 1 with OpenAI's message and leaves a failed job on record; cancel works; trl cannot pause", async function () {
    if (!openaiOpen) return assertOpenAiRefused(ds);
    server().fault({ method: 'POST', path: '/files' }, { kind: 'status', status: 400, message: 'Invalid file format for Fine-Tuning API. Must be .jsonl' });
    const refused = await rft(['train', ds, '--backend', 'openai', '--model', 'o4-mini', '--json']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /openai refused the launch \(HTTP 400\): Invalid file format for Fine-Tuning API\. Must be \.jsonl\n {2}recorded in /);
    const failed = JSON.parse(refused.stdout);
    assert.equal(failed.status, 'failed');
    assert.equal(JSON.parse(fs.readFileSync(failed.job, 'utf8')).error, failed.error);

    const launched = JSON.parse((await rft(['train', ds, '--backend', 'openai', '--model', 'o4-mini', '--json'])).stdout);
    const cancelled = await rft(['job', ds, launched.remoteId, '--cancel', '--json']);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(JSON.parse(cancelled.stdout).status, 'cancelled');
    assert.equal(server().state.fineTuning.get(launched.remoteId).job.status, 'cancelled');

    const bundle = await rft(['train', ds, '--backend', 'trl', '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--bundle-only', '--json']);
    assert.equal(bundle.code, 0, bundle.stderr);
    const written = JSON.parse(bundle.stdout);
    assert.deepEqual([written.backend, written.jobId, written.status, written.job], ['trl', null, 'bundle', null]);
    assert.ok(fs.existsSync(path.join(written.files.bundle, 'launch.sh')));
    const standIn = `python3 ${path.resolve(__dirname, '../fixtures/train/fake_trl.py')} --steps 1000 --delay 0.1`;
    const trl = await runRftAsync(['train', ds, '--backend', 'trl', '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--json'], { env: { ...env(), RFT_TRL_COMMAND: standIn } });
    assert.equal(trl.code, 0, trl.stderr);
    const trlJob = JSON.parse(trl.stdout);
    const paused = await rft(['job', ds, trlJob.jobId, '--pause']);
    assert.equal(paused.code, 2);
    assert.match(paused.stderr, /trl jobs cannot be paused/);
    const stopped = await rft(['job', ds, trlJob.jobId, '--cancel', '--json']);
    assert.equal(JSON.parse(stopped.stdout).status, 'cancelled');
  });
});
