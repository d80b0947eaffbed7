import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGradingEngine, type GradingEngine } from '../../src/core/grader/engine';
import { readGraderFile } from '../../src/core/grader/graderFile';
import type { Grader } from '../../src/core/grader/graderSchema';
import { toSample } from '../../src/core/grader/sample';
import { BundleError, writeEngineBundle, type Bundle } from '../../src/core/train/bundles';
import { parseTrlMetricsLine } from '../../src/core/train/bundles/trlMetrics';
import { parseVerlMetricsLine } from '../../src/core/train/bundles/verlMetrics';
import { splitDataset, type SplitResult } from '../../src/core/train/split';
import { useTempDir } from '../support/tempDir';

type Row = Record<string, unknown>;
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'assistant-support');
const readJsonl = (file: string): Row[] => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Row);

/**
 * main_ppo keys this bundle may set, each checked to exist in verl v0.7.0's verl/trainer/config/_generated_ppo_trainer.yaml
 * (the reward function there: top-level custom_reward_function.*; later verl: reward.custom_reward_function.*).
 */
const VERL_070_KEYS = new Set([
  'algorithm.adv_estimator', 'data.train_files', 'data.val_files', 'data.prompt_key', 'data.train_batch_size', 'data.max_prompt_length', 'data.max_response_length',
  'data.filter_overlong_prompts', 'data.truncation', 'actor_rollout_ref.model.path', 'actor_rollout_ref.model.enable_gradient_checkpointing', 'actor_rollout_ref.actor.optim.lr',
  'actor_rollout_ref.actor.ppo_mini_batch_size', 'actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu', 'actor_rollout_ref.actor.use_kl_loss', 'actor_rollout_ref.actor.kl_loss_coef',
  'actor_rollout_ref.rollout.name', 'actor_rollout_ref.rollout.n', 'actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu', 'actor_rollout_ref.rollout.tensor_model_parallel_size',
  'actor_rollout_ref.rollout.gpu_memory_utilization', 'actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu', 'custom_reward_function.path', 'custom_reward_function.name',
  'trainer.logger', 'trainer.project_name', 'trainer.experiment_name', 'trainer.n_gpus_per_node', 'trainer.nnodes', 'trainer.total_epochs', 'trainer.test_freq', 'trainer.save_freq',
]);

const GRADER = {
  type: 'multi',
  name: 'answer_quality',
  graders: {
    exact: { type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', operation: 'ilike' },
    close: { type: 'text_similarity', name: 'close', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'fuzzy_match' },
    overlap: { type: 'text_similarity', name: 'overlap', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'rouge_l' },
  },
  calculate_output: '0.2 * exact + 0.5 * close + 0.3 * overlap',
};

function python(script: string, options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  const run = spawnSync('python3', ['-c', script], { cwd: options.cwd, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...options.env }, input: options.input, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, `python3 failed: ${run.stderr}`);
  return run.stdout;
}

/** Three answers per row: the reference, another row's reference, and the reference with extra words. */
function answersFor(rows: Row[]): { row: number; text: string }[] {
  const reference = (row: Row) => (typeof row.reference_answer === 'string' ? row.reference_answer : '');
  return rows.flatMap((row, index) => [
    { row: index, text: reference(row) },
    { row: index, text: reference(rows[(index + 5) % rows.length]) },
    { row: index, text: `${reference(row)} ${'And some more words. '.repeat(index % 4)}` },
  ]);
}

async function engineScores(engine: GradingEngine, grader: Grader, items: Row[], answers: { row: number; text: string }[]): Promise<number[]> {
  return Promise.all(answers.map(async (answer) => (await engine.grade(grader, { item: items[answer.row], sample: toSample(answer.text) })).reward));
}

const assertClose = (actual: number[], expected: number[], label: string) => {
  assert.equal(actual.length, expected.length, label);
  actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]) <= 1e-9, `${label} #${i}: python ${value} vs engine ${expected[i]}`));
};

describe('engine bundles (exports/trl, exports/verl)', function () {
  this.timeout(120_000);
  const dir = useTempDir();
  let root: string;
  let split: SplitResult;
  let grader: Grader;
  let engine: GradingEngine;
  let splitRows: { train: Row[]; valid: Row[] };

  before(async () => {
    root = path.join(dir(), 'assistant-support');
    fs.cpSync(EXAMPLE, root, { recursive: true });
    fs.writeFileSync(path.join(root, 'grader.json'), JSON.stringify(GRADER));
    split = await splitDataset(root, { limits: false, seed: 9 });
    splitRows = { train: readJsonl(split.files.train), valid: readJsonl(split.files.valid) };
    grader = (await readGraderFile(root))!.resolved;
    engine = createGradingEngine();
  });
  after(() => engine?.dispose());

  describe('TRL', () => {
    let bundle: Bundle;
    before(async () => {
      bundle = await writeEngineBundle(root, 'trl', { model: 'Qwen/Qwen2.5-0.5B-Instruct', split, hyperparameters: { n_epochs: 2, num_generations: 2, learning_rate: 5e-6 } });
    });

    it('writes the dataset, reward, script, settings, pinned requirements, launch script and README', () => {
      assert.equal(bundle.dir, path.join(root, 'exports', 'trl'));
      assert.deepEqual([...bundle.files].sort(), ['README.md', 'launch.sh', 'requirements.txt', 'reward.py', 'settings.json', 'train.jsonl', 'train_grpo.py', 'valid.jsonl']);
      for (const file of bundle.files) assert.ok(fs.statSync(path.join(bundle.dir, file)).size > 0, file);
      assert.deepEqual(bundle.launchCommand, ['bash', 'launch.sh']);
      for (const line of fs.readFileSync(path.join(bundle.dir, 'requirements.txt'), 'utf8').trim().split('\n')) assert.match(line, /^[a-z][a-z0-9_-]*(\[[a-z]+\])?==\d+(\.\d+)+$/, line);
      const settings = JSON.parse(fs.readFileSync(path.join(bundle.dir, 'settings.json'), 'utf8')) as { model: string; config: Row };
      assert.equal(settings.model, 'Qwen/Qwen2.5-0.5B-Instruct');
      assert.equal(settings.config.num_train_epochs, 2);
      assert.equal(settings.config.num_generations, 2);
      assert.equal(settings.config.learning_rate, 5e-6);
      assert.equal(settings.config.per_device_eval_batch_size, 2);
      assert.match(bundle.readme, /bash launch\.sh/);
      assert.match(bundle.readme, /metrics\.jsonl/);
    });

    it('rows are a conversational prompt, item_json (the RFT row) and the grader fields as columns', () => {
      const rows = readJsonl(path.join(bundle.dir, 'train.jsonl'));
      assert.equal(rows.length, split.train);
      rows.forEach((row, i) => {
        assert.deepEqual(JSON.parse(row.item_json as string), splitRows.train[i]);
        const messages = splitRows.train[i].messages as Row[];
        assert.deepEqual((row.prompt as Row[]).map((turn) => turn.role), messages.map((m) => (m.role === 'developer' ? 'system' : m.role)));
        assert.ok((row.prompt as Row[]).every((turn) => typeof turn.content === 'string'));
        assert.equal(row.reference_answer, splitRows.train[i].reference_answer ?? null);
        assert.equal(typeof row.metadata, 'string');
      });
    });

    it('reward.py, run by python3, scores the exported rows like our engine', async () => {
      const rows = readJsonl(path.join(bundle.dir, 'valid.jsonl')).concat(readJsonl(path.join(bundle.dir, 'train.jsonl')).slice(0, 30));
      const items = rows.map((row) => JSON.parse(row.item_json as string) as Row);
      const answers = answersFor(items);
      const expected = await engineScores(engine, grader, items, answers);
      assert.ok(new Set(expected.map((v) => v.toFixed(6))).size > 5, 'the corpus has a spread of scores');
      // as GRPOTrainer calls it: completions (conversational), prompts, every column repeated per completion
      const columns = Object.keys(rows[0]).filter((key) => key !== 'prompt');
      const kwargs = Object.fromEntries(columns.map((key) => [key, answers.map((answer) => rows[answer.row][key])]));
      const input = JSON.stringify({ completions: answers.map((answer) => [{ role: 'assistant', content: answer.text }]), prompts: answers.map((answer) => rows[answer.row].prompt), kwargs });
      const out = python('import json, sys\nimport reward\nd = json.load(sys.stdin)\nprint(json.dumps(reward.reward(d["completions"], prompts=d["prompts"], trainer_state=None, log_extra=None, **d["kwargs"])))', { cwd: bundle.dir, env: { PYTHONPATH: bundle.dir }, input });
      assertClose(JSON.parse(out) as number[], expected, 'trl reward');
    });

    it('train_grpo.py compiles, and runs through launch.sh against stand-ins of accelerate, datasets, transformers, torch and trl: config, reward kwargs, metrics.jsonl', () => {
      python(`import py_compile; py_compile.compile(${JSON.stringify(path.join(bundle.dir, 'train_grpo.py'))}, doraise=True, cfile=${JSON.stringify(path.join(dir(), 'train_grpo.pyc'))})`);
      assert.equal(spawnSync('bash', ['-n', path.join(bundle.dir, 'launch.sh')]).status, 0);
      const fakes = path.join(__dirname, '..', 'fixtures', 'train', 'trl_stand_ins');
      const run = spawnSync('bash', ['launch.sh'], { cwd: bundle.dir, encoding: 'utf8', env: { ...process.env, PATH: `${path.join(fakes, 'bin')}:${process.env.PATH}`, PYTHONPATH: fakes, PYTHONDONTWRITEBYTECODE: '1', RFT_MAX_STEPS: '8' } });
      assert.equal(run.status, 0, run.stderr);
      const fake = JSON.parse(fs.readFileSync(path.join(bundle.dir, 'fake_run.json'), 'utf8')) as { model: string; config: Row; rewards: number[]; eval_rewards: number[]; n_eval: number };
      assert.equal(fake.model, 'Qwen/Qwen2.5-0.5B-Instruct');
      assert.equal(fake.config.max_steps, 8);
      assert.equal(fake.config.output_dir, path.join(bundle.dir, 'output'));
      assert.equal(fake.n_eval, split.valid);
      assert.equal(fake.rewards.length, 4);
      const lines = fs.readFileSync(path.join(bundle.dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => parseTrlMetricsLine(line));
      assert.deepEqual(lines.map((line) => line?.kind), ['train', 'eval', 'end']);
      assert.equal(lines[0]!.step, 1);
      assert.equal(lines[0]!.totalSteps, 8);
      assert.equal(lines[0]!.epoch, 0.25);
      assert.ok(Math.abs(lines[0]!.trainReward! - fake.rewards.reduce((a, b) => a + b, 0) / 4) < 1e-12);
      assert.equal(lines[0]!.values.loss, undefined, 'a NaN loss is left out');
      assert.ok(Math.abs(lines[1]!.validReward! - fake.eval_rewards.reduce((a, b) => a + b, 0) / 4) < 1e-12);
    });
  });

  describe('verl', () => {
    let bundle: Bundle;
    before(async () => {
      bundle = await writeEngineBundle(root, 'verl', { model: 'Qwen/Qwen2.5-0.5B-Instruct', split, hyperparameters: { num_generations: 8, 'trainer.total_training_steps': 20 } });
    });

    it('writes parquet, reward, launch script, runtime env, pinned requirements and README', () => {
      assert.deepEqual([...bundle.files].sort(), ['README.md', 'launch.sh', 'requirements.txt', 'reward.py', 'runtime_env.yaml', 'train.parquet', 'valid.parquet']);
      assert.match(fs.readFileSync(path.join(bundle.dir, 'requirements.txt'), 'utf8'), /^verl\[vllm\]==0\.7\.0$/m);
      assert.equal(bundle.settings['actor_rollout_ref.rollout.n'], 8);
    });

    it('the parquet reads back with verl\'s columns and the split\'s values', async () => {
      const { parquetReadObjects } = await import('hyparquet');
      for (const [name, rows, kind] of [['train.parquet', splitRows.train, 'train'], ['valid.parquet', splitRows.valid, 'valid']] as const) {
        const buffer = fs.readFileSync(path.join(bundle.dir, name));
        const read = (await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) })) as Row[];
        assert.equal(read.length, rows.length, name);
        read.forEach((row, i) => {
          assert.deepEqual(Object.keys(row), ['data_source', 'prompt', 'ability', 'reward_model', 'extra_info']);
          assert.equal(row.data_source, 'rft_studio');
          const source = rows[i];
          assert.deepEqual(row.prompt, (source.messages as Row[]).map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, content: typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? (m.content as Row[]).filter((p) => typeof p.text === 'string').map((p) => p.text).join('\n') : '' })));
          assert.equal(row.ability, ((source.metadata as Row | undefined)?.topic as string | undefined) ?? 'general');
          assert.deepEqual(row.reward_model, { style: 'rule', ground_truth: typeof source.reference_answer === 'string' ? source.reference_answer : '' });
          const extra = row.extra_info as Row;
          assert.equal(extra.split, kind);
          assert.equal(Number(extra.index), i);
          assert.deepEqual(JSON.parse(extra.item_json as string), source);
        });
      }
    });

    it('reward.py compute_score, run by python3 on the rows read back, scores like our engine', async () => {
      const { parquetReadObjects } = await import('hyparquet');
      const buffer = fs.readFileSync(path.join(bundle.dir, 'train.parquet'));
      const read = ((await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) })) as Row[]).slice(0, 40);
      const items = read.map((row) => JSON.parse((row.extra_info as Row).item_json as string) as Row);
      const answers = answersFor(items);
      const expected = await engineScores(engine, grader, items, answers);
      const input = JSON.stringify(answers.map((answer) => ({ data_source: read[answer.row].data_source, solution: answer.text, ground_truth: (read[answer.row].reward_model as Row).ground_truth, extra_info: { ...(read[answer.row].extra_info as Row), index: answer.row } })));
      const out = python('import json, sys\nimport reward\nd = json.load(sys.stdin)\nprint(json.dumps([reward.compute_score(x["data_source"], x["solution"], x["ground_truth"], extra_info=x["extra_info"]) for x in d]))', { cwd: bundle.dir, env: { PYTHONPATH: bundle.dir }, input });
      assertClose(JSON.parse(out) as number[], expected, 'verl compute_score');
    });

    it('launch.sh is well formed, sets only keys verl 0.7.0 has, and picks the reward key of the installed verl', () => {
      const script = fs.readFileSync(path.join(bundle.dir, 'launch.sh'), 'utf8');
      assert.equal(spawnSync('bash', ['-n', path.join(bundle.dir, 'launch.sh')]).status, 0);
      for (const layout of ['top-level', 'reward-group'] as const) {
        const fake = path.join(dir(), `verl-${layout}`);
        fs.mkdirSync(path.join(fake, 'verl', 'trainer', 'config'), { recursive: true });
        fs.writeFileSync(path.join(fake, 'verl', '__init__.py'), '');
        fs.writeFileSync(path.join(fake, 'verl', 'trainer', '__init__.py'), '');
        fs.writeFileSync(path.join(fake, 'verl', 'trainer', 'main_ppo.py'), 'import json, os, sys\nprint(json.dumps({"argv": sys.argv[1:], "logger": os.environ.get("VERL_FILE_LOGGER_PATH")}))\n');
        fs.writeFileSync(path.join(fake, 'verl', 'trainer', 'config', 'ppo_trainer.yaml'), layout === 'top-level' ? 'defaults:\n  - _self_\ncustom_reward_function:\n  path: null\n' : 'defaults:\n  - reward@reward: reward\n  - _self_\n');
        const run = spawnSync('bash', [path.join(bundle.dir, 'launch.sh'), 'trainer.val_before_train=False'], { cwd: dir(), encoding: 'utf8', env: { ...process.env, PYTHONPATH: fake, N_GPUS_PER_NODE: '8' } });
        assert.equal(run.status, 0, run.stderr);
        const { argv, logger } = JSON.parse(run.stdout) as { argv: string[]; logger: string };
        assert.equal(logger, path.join(bundle.dir, 'metrics.jsonl'));
        const overrides = new Map(argv.map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]));
        const prefix = layout === 'top-level' ? 'custom_reward_function' : 'reward.custom_reward_function';
        assert.equal(overrides.get(`${prefix}.path`), path.join(bundle.dir, 'reward.py'));
        assert.equal(overrides.get(`${prefix}.name`), 'compute_score');
        assert.equal(overrides.get('algorithm.adv_estimator'), 'grpo');
        assert.equal(overrides.get('data.train_files'), path.join(bundle.dir, 'train.parquet'));
        assert.equal(overrides.get('data.val_files'), path.join(bundle.dir, 'valid.parquet'));
        assert.equal(overrides.get('actor_rollout_ref.model.path'), 'Qwen/Qwen2.5-0.5B-Instruct');
        assert.equal(overrides.get('actor_rollout_ref.rollout.n'), '8');
        assert.equal(overrides.get('trainer.logger'), '["console","file"]');
        assert.equal(overrides.get('trainer.n_gpus_per_node'), '8');
        assert.equal(overrides.get('trainer.total_training_steps'), '20');
        assert.equal(overrides.get('trainer.val_before_train'), 'False', 'extra arguments pass through');
        if (layout === 'top-level') {
          const unknown = [...overrides.keys()].filter((key) => !VERL_070_KEYS.has(key) && key !== 'trainer.total_training_steps' && key !== 'trainer.val_before_train');
          assert.deepEqual(unknown, [], 'every key exists in verl 0.7.0\'s config');
        }
      }
      assert.match(script, /exec python3 -m verl\.trainer\.main_ppo/);
    });

    it('refuses settings verl cannot run and a dataset without a grader', async () => {
      await assert.rejects(writeEngineBundle(root, 'verl', { model: 'm', split, hyperparameters: { train_batch_size: 100_000 } }), (error: Error) => error instanceof BundleError && /larger than the \d+ train rows/.test(error.message));
      await assert.rejects(writeEngineBundle(root, 'trl', { model: 'm', split, hyperparameters: { per_device_train_batch_size: 3, num_generations: 2 } }), /must be a multiple of num_generations/);
      const bare = path.join(dir(), 'bare');
      fs.cpSync(EXAMPLE, bare, { recursive: true });
      await assert.rejects(writeEngineBundle(bare, 'trl', { model: 'm', split }), /no grader\.json/);
      await assert.rejects(writeEngineBundle(root, 'trl', { model: 'm', split: { ...split, format: 'sft' } }), /RFT split/);
    });
  });
});

describe('metrics lines', () => {
  it('verl console lines (np.float64, Ray prefixes) and file logger JSON (NaN) parse to step, rewards and values', () => {
    const console = parseVerlMetricsLine('(TaskRunner pid=4242) step:12 - training/epoch:np.int64(1) - critic/score/mean:np.float64(0.5234) - actor/lr:1e-06 - val-core/rft_studio/reward/mean@1:0.48 - response_length/clip_ratio:np.float32(0.0)');
    assert.deepEqual(console, { step: 12, epoch: 1, trainReward: 0.5234, validReward: 0.48, values: { 'training/epoch': 1, 'critic/score/mean': 0.5234, 'actor/lr': 1e-6, 'val-core/rft_studio/reward/mean@1': 0.48, 'response_length/clip_ratio': 0 } });
    const file = parseVerlMetricsLine('{"step": 3, "data": {"critic/score/mean": 0.25, "actor/pg_loss": NaN, "critic/rewards/mean": 0.25}}');
    assert.deepEqual(file, { step: 3, trainReward: 0.25, values: { 'critic/score/mean': 0.25, 'critic/rewards/mean': 0.25 } });
    assert.equal(parseVerlMetricsLine('Training Progress:  40%|████      | 12/30'), undefined);
    assert.equal(parseVerlMetricsLine('{"step": "x"}'), undefined);
    assert.equal(parseVerlMetricsLine(''), undefined);
  });

  it('TRL metrics.jsonl lines parse to step, epoch, total steps, train and eval rewards', () => {
    assert.deepEqual(parseTrlMetricsLine('{"step": 4, "epoch": 0.5, "total_steps": 16, "time": "2026-12-01T22:00:00Z", "kind": "train", "metrics": {"reward": 0.4, "reward_std": 0.1, "loss": null}}'), {
      kind: 'train', step: 4, epoch: 0.5, totalSteps: 16, time: '2026-12-01T22:00:00Z', trainReward: 0.4, values: { reward: 0.4, reward_std: 0.1 },
    });
    assert.equal(parseTrlMetricsLine('{"step": 5, "kind": "eval", "metrics": {"eval_reward": 0.3}}')?.validReward, 0.3);
    assert.equal(parseTrlMetricsLine('{"step": 5, "kind": "eval", "metr'), undefined, 'a partial last line');
    assert.equal(parseTrlMetricsLine('not json'), undefined);
  });
});
