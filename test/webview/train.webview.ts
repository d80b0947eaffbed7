// The training monitor page (webview/train) in headless Chromium: the start form and the request it posts, the
// dry-run gate, the reward curves against the baseline as job updates arrive, the job controls, the result, and
// untrusted text (events, errors) kept as text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostMessage, JobView } from '../../src/shared/trainProtocol';
import { assertStrictCsp, OUTPUT, pageForEachTest, type HarnessWindow, type TrainProtocol, type WebviewPage } from './harness';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const NOTICE = 'OpenAI stops new self-serve fine-tuning jobs after 2027-01-06 (36 days left): this job can still be launched.';
const ALL_CAPABLE = { pause: true, resume: true, cancel: true };

function message(overrides: Partial<Extract<HostMessage, { type: 'train' }>> = {}): HostMessage {
  return {
    type: 'train',
    dataset: 'assistant-support',
    datasetDir: '/work/datasets/assistant-support',
    records: { valid: 140, generated: 20 },
    gate: { decision: 'GO', mean: 0.42, runId: 'dryrun-20261201T205000Z.json' },
    canStart: true,
    notices: { openai: NOTICE },
    ...overrides,
  };
}

function job(overrides: Partial<JobView> = {}): JobView {
  return {
    id: '2026-12-01T22-16-04-123Z-openai',
    backend: 'openai',
    remoteId: 'ftjob-abc123',
    model: 'o4-mini-2025-04-16',
    status: 'running',
    createdAt: '2026-12-01T22:16:04.123Z',
    updatedAt: '2026-12-01T22:20:00.000Z',
    summary: '',
    metrics: [],
    events: [{ at: '2026-12-01T22:16:05.000Z', level: 'info', message: 'Created fine-tuning job: ftjob-abc123' }],
    checkpoints: [],
    capabilities: ALL_CAPABLE,
    ...overrides,
  };
}

interface CanvasLike {
  readonly dataset: Record<string, string | undefined>;
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
}

/** What the curves canvas says it draws, and how many pixels carry each series' colour (so it really is drawn). */
async function curves(webview: WebviewPage<TrainProtocol>): Promise<{ train: number[][]; valid: number[][]; baseline: string; painted: Record<'train' | 'valid' | 'baseline', number> }> {
  return webview.page.locator('#curves').evaluate((canvas: CanvasLike) => {
    const colors = JSON.parse(canvas.dataset.colors ?? '{}') as Record<'train' | 'valid' | 'baseline', string>;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const painted = { train: 0, valid: 0, baseline: 0 };
    for (const key of ['train', 'valid', 'baseline'] as const) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(colors[key].slice(i, i + 2), 16));
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) <= 2 && Math.abs(data[i + 1] - g) <= 2 && Math.abs(data[i + 2] - b) <= 2 && data[i + 3] > 200) painted[key]++;
    }
    return { train: JSON.parse(canvas.dataset.train ?? '[]'), valid: JSON.parse(canvas.dataset.valid ?? '[]'), baseline: canvas.dataset.baseline ?? '', painted };
  });
}

const disabled = (webview: WebviewPage<TrainProtocol>, selector: string) => webview.page.locator(selector).evaluate((element) => element.hasAttribute('disabled'));

describe('training monitor webview', () => {
  let webview: WebviewPage<TrainProtocol>;
  pageForEachTest('train', (opened) => {
    webview = opened;
  });

  it('the start form: OpenAI with its platform notice, the split counts, the hosted settings; Start posts the request as typed', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('h1', { hasText: 'Training — assistant-support' }).waitFor();
    assert.equal(await page.locator('#backend-openai').isChecked(), true);
    assert.equal(await page.locator('#platform-notice').textContent(), NOTICE);
    assert.equal(await page.locator('#model').inputValue(), 'o4-mini-2025-04-16');
    assert.equal(await page.locator('#gate').textContent(), "Dry run: GO · mean 0.42 — the curves' baseline.");
    assert.equal(await page.locator('#run-dry-run').isVisible(), false);
    // 140 valid, 10 %: 14 held out for validation, the 20 generated ones kept in train.
    assert.equal(await page.locator('#split-counts').textContent(), '140 valid records → train ≈ 126 · validation ≈ 14 (90 / 10) · 20 generated kept in train');
    assert.equal(await page.locator('#stratify').isChecked(), true);
    assert.equal(await page.locator('#generated-in-valid').isChecked(), false);
    assert.deepEqual(await page.locator('#hyperparameters [data-setting]').evaluateAll((fields) => fields.map((field) => field.getAttribute('data-setting'))), [
      'n_epochs',
      'batch_size',
      'learning_rate_multiplier',
      'eval_interval',
      'eval_samples',
      'compute_multiplier',
      'reasoning_effort',
    ]);
    assert.match((await page.locator('#estimate').textContent()) ?? '', /^Estimate: ~126 graded samples \(126 records × 1 epoch\), ~0\.1 h of training, ~\$8 at \$100 per training hour\./);
    assert.equal(await disabled(webview, '#start'), false);

    // Out of range: said under the field, and Start waits.
    await page.locator('#hp-n_epochs').fill('11');
    assert.equal(await page.locator('#hp-n_epochs-error').textContent(), 'Epochs: a whole number from 1 to 10.');
    assert.equal(await disabled(webview, '#start'), true);
    assert.equal(await page.locator('#start-note').textContent(), 'Fix the fields marked above.');
    await page.locator('#hp-n_epochs').fill('2');
    await page.locator('#hp-reasoning_effort').selectOption('high');
    await page.locator('#valid-share').fill('20');
    await page.locator('#generated-in-valid').check();
    await page.locator('#stratify').uncheck();
    assert.equal(await page.locator('#split-counts').textContent(), '140 valid records → train ≈ 112 · validation ≈ 28 (80 / 20) · 20 generated may go to either');
    assert.match((await page.locator('#estimate').textContent()) ?? '', /^Estimate: ~224 graded samples \(112 records × 2 epochs\)/);
    await page.locator('#model').fill('o4-mini-2025-04-16 ');
    await page.locator('#start').click();
    assert.deepEqual(await webview.postedOfType('start'), [
      {
        type: 'start',
        request: { backend: 'openai', model: 'o4-mini-2025-04-16', split: { validShare: 0.2, stratify: false, generatedInValid: true }, hyperparameters: { n_epochs: 2, reasoning_effort: 'high' } },
      },
    ]);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'train-form.png'), fullPage: true });

    // The form survives a reload (getState/setState).
    await webview.reload();
    await webview.send(message());
    await page.locator('#valid-share').waitFor();
    assert.equal(await page.locator('#valid-share').inputValue(), '20');
    assert.equal(await page.locator('#hp-n_epochs').inputValue(), '2');
    assert.equal(await page.locator('#stratify').isChecked(), false);
  });

  it('TRL: the engine settings with their ranges, a GPU-hours estimate, no platform notice', async () => {
    await webview.send(message());
    const { page } = webview;
    await page.locator('#backend-trl').check();
    assert.equal(await page.locator('#backend-line').textContent(), 'GRPO with Hugging Face TRL on one GPU machine: a bundle run here as a local process.');
    assert.equal(await page.locator('#platform-notice').isVisible(), false);
    assert.equal(await page.locator('#model').inputValue(), 'Qwen/Qwen2.5-0.5B-Instruct', 'the default model follows the backend');
    assert.deepEqual(await page.locator('#hyperparameters [data-setting]').evaluateAll((fields) => fields.map((field) => field.getAttribute('data-setting'))), [
      'learning_rate',
      'num_generations',
      'max_steps',
    ]);
    assert.equal(await page.locator('#hp-num_generations').inputValue(), '4');
    assert.match(
      (await page.locator('#estimate').textContent()) ?? '',
      /^Estimate: ~504 generated answers \(126 steps × 4, 4 per prompt\), ~1\.0 passes over the split, ~0\.03 GPU-hours\./,
      'no max steps: one pass',
    );
    await page.locator('#hp-num_generations').fill('1');
    assert.equal(await page.locator('#hp-num_generations-error').textContent(), 'Generations per prompt: a whole number from 2 to 64.');
    await page.locator('#hp-num_generations').fill('2');
    await page.locator('#hp-max_steps').fill('100');
    assert.match((await page.locator('#estimate').textContent()) ?? '', /^Estimate: ~400 generated answers \(100 steps × 4, 2 per prompt\), ~1\.6 passes over the split, ~0\.02 GPU-hours\./);
    await page.locator('#start').click();
    const [posted] = await webview.postedOfType('start');
    assert.deepEqual(posted.request, {
      backend: 'trl',
      model: 'Qwen/Qwen2.5-0.5B-Instruct',
      split: { validShare: 0.1, stratify: true, generatedInValid: false },
      hyperparameters: { learning_rate: 0.000001, num_generations: 2, max_steps: 100 },
    });
  });

  it('verl: the Ray cluster (nodes, GPUs per node, reward server, checkpoint folder) with what is wrong under each field, posted with Start', async () => {
    await webview.send(message());
    const { page } = webview;
    assert.equal(await page.locator('#cluster').isVisible(), false, 'no cluster for hosted training');
    await page.locator('#backend-verl').check();
    assert.equal(await page.locator('#cluster').isVisible(), true);
    assert.equal(await page.locator('#cluster-nodes').inputValue(), '1');
    assert.equal(await page.locator('#cluster-gpusPerNode').inputValue(), '1');
    await page.locator('#cluster-nodes').fill('0');
    assert.equal(await page.locator('#cluster-nodes-error').textContent(), 'Nodes: a whole number from 1 to 1024.');
    assert.equal(await disabled(webview, '#start'), true);
    await page.locator('#cluster-nodes').fill('2');
    await page.locator('#cluster-gpusPerNode').fill('8');
    await page.locator('#cluster-rewardServer').fill('localhost:8787');
    assert.match((await page.locator('#cluster-rewardServer-error').textContent()) ?? '', /^Reward server: an http\(s\) URL the cluster reaches/);
    await page.locator('#cluster-rewardServer').fill('http://10.0.0.5:8787');
    await page.locator('#cluster-checkpointDir').fill('checkpoints');
    assert.match((await page.locator('#cluster-checkpointDir-error').textContent()) ?? '', /^Checkpoint folder: an absolute path/);
    assert.equal(await disabled(webview, '#start'), true);
    await page.locator('#cluster-checkpointDir').fill('/mnt/shared/ckpt');
    assert.equal(await page.locator('#cluster-checkpointDir-error').isVisible(), false);
    await page.locator('#start').click();
    const [posted] = await webview.postedOfType('start');
    assert.deepEqual(posted.request.cluster, { nodes: 2, gpusPerNode: 8, rewardServer: 'http://10.0.0.5:8787', checkpointDir: '/mnt/shared/ckpt' });
    await page.locator('#backend-trl').check();
    assert.equal(await page.locator('#cluster').isVisible(), false, 'TRL runs on one machine');
  });

  it('the gate: no dry run offers one; a workspace that cannot start says why; a refused launch shows the text as written', async () => {
    const { page } = webview;
    await webview.send(message({ gate: undefined, canStart: false, cannotStartReason: 'Training starts after a dry run (step 5): run one first.' }));
    await page.locator('#gate', { hasText: 'No dry run yet' }).waitFor();
    assert.equal(await page.locator('#run-dry-run').isVisible(), true);
    assert.equal(await disabled(webview, '#start'), true);
    assert.equal(await page.locator('#start-note').textContent(), 'Training starts after a dry run (step 5): run one first.');
    await page.locator('#run-dry-run').click();
    assert.equal((await webview.postedOfType('runDryRun')).length, 1);

    await webview.send(message({ gate: { decision: 'CAUTION', mean: 0.15, runId: 'dryrun-x.json' } }));
    await page.locator('#gate', { hasText: 'CAUTION' }).waitFor();
    assert.equal(await page.locator('#gate').textContent(), 'Dry run: CAUTION · mean 0.15 — Start asks you to confirm.');
    assert.equal(await disabled(webview, '#start'), false);
    await page.locator('#start').click();
    await webview.send({ type: 'launching', message: 'Splitting and uploading…' });
    assert.equal(await disabled(webview, '#start'), true, 'one launch at a time');
    await webview.send({ type: 'launchFailed', message: `400 ${HOSTILE}`, action: 'runDryRun' });
    await page.locator('#launch-error').waitFor();
    assert.equal(await page.locator('#launch-error .error-text').textContent(), `400 ${HOSTILE}`);
    assert.equal(await page.locator('#launch-run-dry-run').isVisible(), true);
    assert.equal(await disabled(webview, '#start'), false, 'Start again after a refused launch');
    await page.locator('#launch-run-dry-run').click();
    assert.equal((await webview.postedOfType('runDryRun')).length, 2);
    assert.equal(await page.locator('#launch-error img, #launch-error script').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
  });

  it('while running: progress, ETA, rewards against the baseline, and the curves grow with each job update', async () => {
    const { page } = webview;
    await webview.send(message({ job: job({ status: 'validating' }) }));
    await page.locator('#job-status', { hasText: 'Validating files' }).waitFor();
    assert.equal(await page.locator('#start-form').isVisible(), false, 'no form while a job runs');
    assert.equal(await page.locator('#train-reward').textContent(), 'Train reward: —');
    assert.equal((await curves(webview)).train.length, 0);
    assert.equal(await page.locator('#curves-hint').textContent(), 'No metrics yet: points appear as the backend reports steps.');

    const finish = new Date(Date.now() + 2 * 3600_000).toISOString();
    const points = [
      { step: 1, train: 0.35, valid: 0.3 },
      { step: 2, train: 0.44, valid: 0.4 },
    ];
    await webview.send({ type: 'job', job: job({ metrics: points, fraction: 0.2, step: 2, totalSteps: 10, epoch: 1, totalEpochs: 2, estimatedFinish: finish }) });
    await page.locator('#progress-text', { hasText: '20 %' }).waitFor();
    assert.equal(await page.locator('#progress-text').textContent(), '20 % · step 2 / 10 · epoch 1 / 2');
    assert.match((await page.locator('#eta').textContent()) ?? '', /^ETA: ~2 hours \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    assert.equal(await page.locator('#job-progress').getAttribute('aria-valuenow'), '20');
    let drawn = await curves(webview);
    assert.deepEqual(drawn.train, [
      [1, 0.35],
      [2, 0.44],
    ]);
    assert.deepEqual(drawn.valid, [
      [1, 0.3],
      [2, 0.4],
    ]);

    points.push({ step: 3, train: 0.52, valid: 0.48 }, { step: 4, train: 0.6, valid: 0.5 });
    await webview.send({
      type: 'job',
      job: job({
        metrics: points.slice(0, 3),
        fraction: 0.45,
        step: 3,
        totalSteps: 10,
        epoch: 1,
        totalEpochs: 2,
        estimatedFinish: finish,
        checkpoints: [{ id: 'ftckpt_1', step: 3, model: 'ft:o4-mini:test::abc123:ckpt-step-3', at: '2026-12-01T22:19:00.000Z', train: 0.52, valid: 0.48 }],
      }),
    });
    await page.locator('#progress-text', { hasText: '45 %' }).waitFor();
    // 0.52 against the dry run's 0.42: +24 %; 0.48: +14 % (the spec's figures).
    assert.equal(await page.locator('#train-reward').textContent(), 'Train reward: 0.52 (+24 % from baseline)');
    assert.equal(await page.locator('#valid-reward').textContent(), 'Valid reward: 0.48 (+14 % from baseline)');
    drawn = await curves(webview);
    assert.equal(drawn.train.length, 3);
    assert.equal(drawn.baseline, '0.42');
    assert.ok(drawn.painted.train > 100, `the train curve is painted (${drawn.painted.train} px)`);
    assert.ok(drawn.painted.valid > 100, `the validation curve is painted (${drawn.painted.valid} px)`);
    assert.ok(drawn.painted.baseline > 100, `the dashed baseline is painted (${drawn.painted.baseline} px)`);
    assert.match((await page.locator('#curves').getAttribute('aria-label')) ?? '', /^Reward by step: 3 train points \(newest 0\.52\), 3 validation points \(newest 0\.48\), dry-run baseline 0\.42$/);
    assert.deepEqual(await page.locator('#checkpoints tbody tr td').allTextContents(), ['3', 'ft:o4-mini:test::abc123:ckpt-step-3', '0.52', '0.48']);
    await page.screenshot({ path: path.join(OUTPUT, 'train-running.png'), fullPage: true });
  });

  it('Pause, Resume and Cancel post for the job, enabled by the backend capabilities and the status', async () => {
    const { page } = webview;
    await webview.send(message({ job: job() }));
    await page.locator('#job-status', { hasText: 'Running' }).waitFor();
    assert.deepEqual([await disabled(webview, '#pause'), await disabled(webview, '#resume'), await disabled(webview, '#cancel')], [false, true, false]);
    await page.locator('#pause').click();
    await webview.send({ type: 'job', job: job({ status: 'paused' }) });
    await page.locator('#job-status', { hasText: 'Paused' }).waitFor();
    assert.deepEqual([await disabled(webview, '#pause'), await disabled(webview, '#resume'), await disabled(webview, '#cancel')], [true, false, false]);
    await page.locator('#resume').click();
    await page.locator('#cancel').click();
    assert.deepEqual(await webview.postedOfType('control'), [
      { type: 'control', action: 'pause', jobId: '2026-12-01T22-16-04-123Z-openai' },
      { type: 'control', action: 'resume', jobId: '2026-12-01T22-16-04-123Z-openai' },
      { type: 'control', action: 'cancel', jobId: '2026-12-01T22-16-04-123Z-openai' },
    ]);
    // A TRL process can be cancelled, not paused: the buttons it cannot use are not offered.
    await webview.send({ type: 'job', job: job({ id: 'trl-job', backend: 'trl', capabilities: { pause: false, resume: false, cancel: true } }) });
    await page.locator('#job-meta', { hasText: 'trl' }).waitFor();
    assert.equal(await page.locator('#pause').isVisible(), false);
    assert.equal(await page.locator('#resume').isVisible(), false);
    assert.equal(await disabled(webview, '#cancel'), false);
  });

  it('after the job: the tuned model with Copy, or the failure reason with the last metrics; New Training Job shows the form again', async () => {
    const { page } = webview;
    const metrics = [
      { step: 1, train: 0.4, valid: 0.35 },
      { step: 2, train: 0.55, valid: 0.5 },
    ];
    await webview.send(message({ job: job({ status: 'succeeded', fraction: 1, metrics, resultModel: 'ft:o4-mini-2025-04-16:test::abc123' }) }));
    await page.locator('#result-model').waitFor();
    assert.equal(await page.locator('#result-model').textContent(), 'ft:o4-mini-2025-04-16:test::abc123');
    assert.equal(await page.locator('#cancel').isVisible(), false);
    assert.equal(await page.locator('#start-form').isVisible(), false);
    await page.locator('#copy-model').click();
    assert.deepEqual(await webview.postedOfType('copyModel'), [{ type: 'copyModel', model: 'ft:o4-mini-2025-04-16:test::abc123' }]);
    await page.screenshot({ path: path.join(OUTPUT, 'train-succeeded.png'), fullPage: true });

    await webview.send({ type: 'job', job: job({ status: 'failed', metrics, error: 'The grader returned no score for 40 % of the samples.' }) });
    await page.locator('#failure').waitFor();
    assert.equal(await page.locator('#failure').textContent(), 'The job failed: The grader returned no score for 40 % of the samples.');
    assert.equal(await page.locator('#last-metrics').textContent(), 'Last metrics (step 2): train 0.55 · valid 0.50.');
    await page.locator('#new-job').click();
    assert.equal(await page.locator('#start-form').isVisible(), true);
    assert.equal(await disabled(webview, '#start'), false);
  });

  it('event text stays text (a <script> in an event or an error does not run)', async () => {
    const { page } = webview;
    await webview.send(
      message({
        job: job({
          events: [
            { at: '2026-12-01T22:16:05.000Z', level: 'error', message: HOSTILE },
            { at: '2026-12-01T22:16:06.000Z', level: 'info', message: 'Step 1/3: train_reward_mean=0.3' },
          ],
        }),
      }),
    );
    await page.locator('#events li').first().waitFor();
    assert.deepEqual(await page.locator('#events .event-message').allTextContents(), ['Step 1/3: train_reward_mean=0.3', HOSTILE], 'newest first');
    assert.equal(await page.locator('#events img, #events script').count(), 0);
    await webview.send({ type: 'error', message: HOSTILE });
    assert.equal(await page.locator('.error-banner .error-text').first().textContent(), HOSTILE);
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);
  });

  it('keeps inline scripts without the nonce from running (strict CSP with a nonce)', async () => {
    await assertStrictCsp(webview);
  });

  it("hosted RFT: one curve per grader, each grader's error rates and the reasoning tokens (issue 19); names are text", async () => {
    const point = (step: number, exact: number, judge: number, judgeErrors: number) => ({
      step,
      train: (exact + judge) / 2,
      valid: (exact + judge) / 2 - 0.05,
      graders: { exact: { train: exact, valid: exact - 0.05 }, [HOSTILE]: { train: judge } },
      graderErrors: { exact: { train: 0, valid: 0 }, [HOSTILE]: { train: judgeErrors, valid: judgeErrors } },
      reasoningTokens: { train: 3000 - 500 * step, valid: 2000 - 300 * step },
    });
    await webview.send(message({ job: job({ metrics: [point(1, 0.3, 0.2, 0.5), point(2, 0.5, 0.4, 0.25)] }) }));
    const { page } = webview;
    await page.locator('#graders').waitFor();
    const drawn = await page.locator('#grader-curves').evaluate((canvas: CanvasLike) => JSON.parse(canvas.dataset.graders ?? '{}'));
    assert.deepEqual(drawn, {
      exact: {
        train: [
          [1, 0.3],
          [2, 0.5],
        ],
        valid: [
          [1, 0.25],
          [2, 0.45],
        ],
      },
      [HOSTILE]: {
        train: [
          [1, 0.2],
          [2, 0.4],
        ],
        valid: [],
      },
    });
    assert.deepEqual(
      await page
        .locator('#grader-errors tbody tr')
        .evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-grader'), row.className, ...[...row.querySelectorAll('td')].map((cell) => cell.textContent)])),
      [
        ['exact', '', 'exact', '0 %', '0 %'],
        [HOSTILE, 'failing', HOSTILE, '25 %', '25 %'],
      ],
    );
    assert.match((await page.locator('#grader-errors .hint').textContent()) ?? '', /^Share of samples each grader could not score at step 2: those samples score 0/);
    assert.equal(await page.locator('#reasoning-tokens').textContent(), 'Reasoning tokens per answer at step 2: train 2,000 · valid 1,400 (step 1: train 2,500 · valid 1,700).');
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'train-graders.png'), fullPage: true });
    assert.equal(await page.evaluate(() => (globalThis as unknown as HarnessWindow).__pwned), undefined);

    await webview.send({ type: 'job', job: job({ metrics: [{ step: 1, train: 0.3, valid: 0.25, graders: { exact: { train: 0.3 } } }] }) });
    await page.locator('#graders').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('#grader-errors').isVisible(), false);
    assert.equal(await page.locator('#reasoning-tokens').isVisible(), false);
  });

  it("the form opens on the backend the host names (the dataset's last), and leaves a saved OpenAI form when OpenAI cannot run", async () => {
    await webview.send(message({ defaultBackend: 'verl' }));
    const { page } = webview;
    await page.locator('#backend-verl').waitFor();
    assert.equal(await page.locator('#backend-verl').isChecked(), true);
    assert.equal(await page.locator('#model').inputValue(), 'Qwen/Qwen2.5-7B-Instruct');

    await page.locator('#backend-openai').check();
    await webview.reload();
    await webview.send(message({ defaultBackend: 'azure', unavailable: { openai: 'OpenAI refused fine-tuning for this organisation (HTTP 403).' } }));
    await page.locator('#backend-azure').waitFor();
    assert.equal(await page.locator('#backend-azure').isChecked(), true, 'the saved OpenAI form is not reopened on OpenAI');
    assert.equal(await page.locator('#model').inputValue(), 'o4-mini');
  });
});
