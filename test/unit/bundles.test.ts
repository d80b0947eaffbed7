import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGradingEngine, type GradingEngine } from '../../src/core/grader/engine';
import { readGraderFile } from '../../src/core/grader/graderFile';
import type { Grader } from '../../src/core/grader/graderSchema';
import { toSample } from '../../src/core/grader/sample';
import { parse as parseYaml } from 'yaml';
import { BundleError, writeEngineBundle, type Bundle } from '../../src/core/train/bundles';
import { PromptTally, toEngineRow } from '../../src/core/train/bundles/engineRows';
import { TRL_REQUIREMENTS } from '../../src/core/train/bundles/trlBundle';
import { parseTrlMetricsLine } from '../../src/core/train/bundles/trlMetrics';
import { parseVerlMetricsLine, parseVerlResultLine } from '../../src/core/train/bundles/verlMetrics';
import { splitDataset, type SplitResult } from '../../src/core/train/split';
import { useTempDir } from '../support/tempDir';

type Row = Record<string, unknown>;
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'assistant-support');
const readJsonl = (file: string): Row[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Row);

const VERL_FIXTURES = path.join(__dirname, '..', 'fixtures', 'vendor', 'verl', 'v0.7.0');
/** verl v0.7.0's flattened main_ppo config (verl/trainer/config/_generated_ppo_trainer.yaml, vendored). */
const VERL_070_CONFIG = parseYaml(fs.readFileSync(path.join(VERL_FIXTURES, '_generated_ppo_trainer.yaml'), 'utf8')) as Row;
const VERL_070 = JSON.parse(fs.readFileSync(path.join(VERL_FIXTURES, 'facts.json'), 'utf8')) as {
  setup_py: { install_requires_transformers: string; extras_require: Record<string, string[]> };
  attention: { default_attn_implementation: string; implementations: string[]; documented_override: string };
  file_logger: { serializes_numpy: boolean };
  checkpoint: { save_contents_known: string[] };
};

/** The value at a dotted key of verl's config, or `missing`. */
function verlConfigAt(dotted: string): unknown {
  let node: unknown = VERL_070_CONFIG;
  for (const part of dotted.split('.')) {
    if (!node || typeof node !== 'object' || Array.isArray(node) || !(part in node)) return 'missing';
    node = (node as Row)[part];
  }
  return node;
}

/** What Hydra does with an override key against verl 0.7.0's config: `key` must exist; `+key` must not, under a map. */
function hydraProblem(key: string): string | undefined {
  if (!key.startsWith('+')) return verlConfigAt(key) === 'missing' ? `${key} is not in verl 0.7.0's config` : undefined;
  const parent = verlConfigAt(key.slice(1, key.lastIndexOf('.')));
  if (verlConfigAt(key.slice(1)) !== 'missing') return `${key}: Hydra refuses to append a key that exists`;
  return parent && typeof parent === 'object' && !Array.isArray(parent) ? undefined : `${key}: its parent is not a map in verl 0.7.0's config`;
}

/** A row's messages hold tool calls or tool results (the engine prompts leave those out). */
const hasToolTurns = (row: Row) => (row.messages as Row[]).some((m) => m.role === 'tool' || (Array.isArray(m.tool_calls) && m.tool_calls.length > 0));

/** An engine prompt no strict chat template refuses: no tool turns, no empty assistant turn, no two turns of a role in a row. */
function assertTemplateSafe(prompt: Row[], label: string): void {
  prompt.forEach((turn, i) => {
    assert.notEqual(turn.role, 'tool', `${label}: a tool turn`);
    assert.ok(!(turn.role === 'assistant' && String(turn.content).trim() === ''), `${label}: an empty assistant turn`);
    if (i > 0) assert.notEqual(turn.role, prompt[i - 1].role, `${label}: two ${turn.role} turns in a row`);
  });
}

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
  const run = spawnSync('python3', ['-c', script], {
    cwd: options.cwd,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
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
        if (hasToolTurns(splitRows.train[i])) assertTemplateSafe(row.prompt as Row[], `train row ${i}`);
        else
          assert.deepEqual(
            (row.prompt as Row[]).map((turn) => turn.role),
            messages.map((m) => (m.role === 'developer' ? 'system' : m.role)),
          );
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
      const out = python(
        'import json, sys\nimport reward\nd = json.load(sys.stdin)\nprint(json.dumps(reward.reward(d["completions"], prompts=d["prompts"], trainer_state=None, log_extra=None, **d["kwargs"])))',
        { cwd: bundle.dir, env: { PYTHONPATH: bundle.dir }, input },
      );
      assertClose(JSON.parse(out) as number[], expected, 'trl reward');
    });

    it('train_grpo.py compiles, and runs through launch.sh against stand-ins of accelerate, datasets, transformers, torch and trl: config, reward kwargs, metrics.jsonl', () => {
      python(`import py_compile; py_compile.compile(${JSON.stringify(path.join(bundle.dir, 'train_grpo.py'))}, doraise=True, cfile=${JSON.stringify(path.join(dir(), 'train_grpo.pyc'))})`);
      assert.equal(spawnSync('bash', ['-n', path.join(bundle.dir, 'launch.sh')]).status, 0);
      const fakes = path.join(__dirname, '..', 'fixtures', 'train', 'trl_stand_ins');
      const run = spawnSync('bash', ['launch.sh'], {
        cwd: bundle.dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${path.join(fakes, 'bin')}:${process.env.PATH}`, PYTHONPATH: fakes, PYTHONDONTWRITEBYTECODE: '1', RFT_MAX_STEPS: '8' },
      });
      assert.equal(run.status, 0, run.stderr);
      const fake = JSON.parse(fs.readFileSync(path.join(bundle.dir, 'fake_run.json'), 'utf8')) as { model: string; config: Row; rewards: number[]; eval_rewards: number[]; n_eval: number };
      assert.equal(fake.model, 'Qwen/Qwen2.5-0.5B-Instruct');
      assert.equal(fake.config.max_steps, 8);
      assert.equal(fake.config.output_dir, path.join(bundle.dir, 'output'));
      assert.equal(fake.n_eval, split.valid);
      assert.equal(fake.rewards.length, 4);
      const lines = fs
        .readFileSync(path.join(bundle.dir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => parseTrlMetricsLine(line));
      assert.deepEqual(
        lines.map((line) => line?.kind),
        ['train', 'eval', 'end'],
      );
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

    it("requirements pin transformers (verl leaves it free) to the TRL bundle's pair, and vLLM inside verl's `vllm` extra", () => {
      const lines = fs.readFileSync(path.join(bundle.dir, 'requirements.txt'), 'utf8').trim().split('\n');
      for (const line of lines) assert.match(line, /^[a-z][a-z0-9_-]*(\[[a-z]+\])?==\d+(\.\d+)+$/, `${line} is pinned`);
      assert.equal(VERL_070.setup_py.install_requires_transformers, 'transformers', 'verl 0.7.0 itself does not pin transformers');
      assert.ok(lines.includes('transformers==4.57.1'));
      assert.ok(TRL_REQUIREMENTS.includes('transformers==4.57.1'), 'the same transformers as the TRL bundle');
      const vllm = lines
        .find((line) => line.startsWith('vllm=='))!
        .split('==')[1]
        .split('.')
        .map(Number);
      const range = VERL_070.setup_py.extras_require.vllm.find((spec) => spec.startsWith('vllm'))!;
      const [low, high] = [/>=([\d.]+)/.exec(range)![1], /<=([\d.]+)/.exec(range)![1]].map((v) => v.split('.').map(Number));
      const compare = (a: number[], b: number[]) => a.map((x, i) => x - (b[i] ?? 0)).find((d) => d !== 0) ?? 0;
      assert.ok(compare(vllm, low) >= 0 && compare(vllm, high) <= 0, `vllm ${vllm.join('.')} within ${range}`);
    });

    it('runtime_env.yaml parses with its pip line uncommented (as PyYAML, which ray job submit uses, reads it)', () => {
      const text = fs.readFileSync(path.join(bundle.dir, 'runtime_env.yaml'), 'utf8');
      assert.match(text, /^# pip: /m);
      const uncommented = text.replace(/^# pip: /m, 'pip: ');
      const run = spawnSync('/usr/bin/python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: uncommented, encoding: 'utf8' });
      assert.equal(run.status, 0, `PyYAML could not read runtime_env.yaml (npm test installs python3-yaml): ${run.stderr}`);
      const parsed = JSON.parse(run.stdout) as { working_dir: string; pip: string[]; env_vars: Record<string, string> };
      const requirements = fs.readFileSync(path.join(bundle.dir, 'requirements.txt'), 'utf8').trim().split('\n');
      assert.deepEqual(
        parsed.pip,
        requirements.filter((line) => !line.startsWith('ray')),
        'every requirement but Ray itself (the cluster runs its own)',
      );
      assert.equal(parsed.working_dir, '.');
      assert.ok(Object.values(parsed.env_vars).every((value) => typeof value === 'string'));
      assert.equal(parsed.env_vars.VERL_FILE_LOGGER_PATH, undefined, 'no file logger');
    });

    it("the parquet reads back with verl's columns and the split's values", async () => {
      const { parquetReadObjects } = await import('hyparquet');
      for (const [name, rows, kind] of [
        ['train.parquet', splitRows.train, 'train'],
        ['valid.parquet', splitRows.valid, 'valid'],
      ] as const) {
        const buffer = fs.readFileSync(path.join(bundle.dir, name));
        const read = (await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) })) as Row[];
        assert.equal(read.length, rows.length, name);
        read.forEach((row, i) => {
          assert.deepEqual(Object.keys(row), ['data_source', 'prompt', 'ability', 'reward_model', 'extra_info']);
          assert.equal(row.data_source, 'rft_studio');
          const source = rows[i];
          if (hasToolTurns(source)) assertTemplateSafe(row.prompt as Row[], `${name} row ${i}`);
          else
            assert.deepEqual(
              row.prompt,
              (source.messages as Row[]).map((m) => ({
                role: m.role === 'developer' ? 'system' : m.role,
                content:
                  typeof m.content === 'string'
                    ? m.content
                    : Array.isArray(m.content)
                      ? (m.content as Row[])
                          .filter((p) => typeof p.text === 'string')
                          .map((p) => p.text)
                          .join('\n')
                      : '',
              })),
            );
          assert.equal(row.ability, ((source.metadata as Row | undefined)?.topic as string | undefined) ?? 'general');
          assert.deepEqual(row.reward_model, { style: 'rule', ground_truth: typeof source.reference_answer === 'string' ? source.reference_answer : '' });
          const extra = row.extra_info as Row;
          assert.equal(extra.split, kind);
          assert.equal(Number(extra.index), i);
          assert.deepEqual(JSON.parse(extra.item_json as string), source);
        });
      }
      const withTools = [...splitRows.train, ...splitRows.valid].filter(hasToolTurns).length;
      assert.ok(withTools > 0, 'the example has tool-call prompts');
      assert.equal(bundle.promptChanges?.rowsWithToolCalls, withTools, 'every tool-call prompt is counted');
      assert.ok(
        bundle.notes.some((note) => note.startsWith(`${withTools} prompts had tool calls`)),
        'and said in the notes',
      );
      assert.match(bundle.readme, new RegExp(`- ${withTools} prompts had tool calls`));
    });

    it('reward.py compute_score, run by python3 on the rows read back, scores like our engine', async () => {
      const { parquetReadObjects } = await import('hyparquet');
      const buffer = fs.readFileSync(path.join(bundle.dir, 'train.parquet'));
      const read = ((await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) })) as Row[]).slice(0, 40);
      const items = read.map((row) => JSON.parse((row.extra_info as Row).item_json as string) as Row);
      const answers = answersFor(items);
      const expected = await engineScores(engine, grader, items, answers);
      const input = JSON.stringify(
        answers.map((answer) => ({
          data_source: read[answer.row].data_source,
          solution: answer.text,
          ground_truth: (read[answer.row].reward_model as Row).ground_truth,
          extra_info: { ...(read[answer.row].extra_info as Row), index: answer.row },
        })),
      );
      const out = python(
        'import json, sys\nimport reward\nd = json.load(sys.stdin)\nprint(json.dumps([reward.compute_score(x["data_source"], x["solution"], x["ground_truth"], extra_info=x["extra_info"]) for x in d]))',
        { cwd: bundle.dir, env: { PYTHONPATH: bundle.dir }, input },
      );
      assertClose(JSON.parse(out) as number[], expected, 'verl compute_score');
    });

    /** A stand-in verl: main_ppo prints its argv and, as verl 0.7.0 does at its last step, writes a checkpoint under trainer.default_local_dir. */
    function fakeVerl(layout: 'top-level' | 'reward-group', weights = true): string {
      const fake = path.join(dir(), `verl-${layout}-${weights ? 'weights' : 'config-only'}`);
      fs.mkdirSync(path.join(fake, 'verl', 'trainer', 'config'), { recursive: true });
      fs.writeFileSync(path.join(fake, 'verl', '__init__.py'), '');
      fs.writeFileSync(path.join(fake, 'verl', 'trainer', '__init__.py'), '');
      fs.writeFileSync(
        path.join(fake, 'verl', 'trainer', 'main_ppo.py'),
        `import json, os, sys
args = dict(arg.split("=", 1) for arg in sys.argv[1:])
folder, step = args["trainer.default_local_dir"], 7
hf = os.path.join(folder, f"global_step_{step}", "actor", "huggingface")
os.makedirs(hf, exist_ok=True)
open(os.path.join(hf, "config.json"), "w").write("{}")
if ${weights ? 'True' : 'False'} and "hf_model" in json.loads(args["actor_rollout_ref.actor.checkpoint.save_contents"]):
    open(os.path.join(hf, "model.safetensors"), "wb").write(b"weights")
open(os.path.join(folder, "latest_checkpointed_iteration.txt"), "w").write(str(step))
print(json.dumps({"argv": sys.argv[1:], "file_logger": os.environ.get("VERL_FILE_LOGGER_PATH")}))
`,
      );
      fs.writeFileSync(
        path.join(fake, 'verl', 'trainer', 'config', 'ppo_trainer.yaml'),
        layout === 'top-level' ? 'defaults:\n  - _self_\ncustom_reward_function:\n  path: null\n' : 'defaults:\n  - reward@reward: reward\n  - _self_\n',
      );
      return fake;
    }

    /** Another copy of the dataset, so a bundle written for one test leaves the suite's bundle as it is. */
    const datasetCopy = () => {
      const copy = path.join(fs.mkdtempSync(path.join(dir(), 'verl-')), 'assistant-support');
      fs.cpSync(root, copy, { recursive: true, filter: (source) => !source.includes(`${path.sep}exports${path.sep}`) });
      return copy;
    };

    const runLaunch = (bundleDir: string, fake: string, env: NodeJS.ProcessEnv = {}, args: string[] = []) => {
      const home = path.join(dir(), 'home');
      const run = spawnSync('bash', [path.join(bundleDir, 'launch.sh'), ...args], {
        cwd: dir(),
        encoding: 'utf8',
        env: { ...process.env, PYTHONPATH: fake, HOME: home, PYTHONDONTWRITEBYTECODE: '1', ...env },
      });
      const lines = run.stdout.trim().split('\n');
      const argv = run.status === 0 ? (JSON.parse(lines[0]) as { argv: string[]; file_logger: string | null }) : undefined;
      return { run, home, lines, argv, overrides: new Map((argv?.argv ?? []).map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)])) };
    };

    it('launch.sh is well formed, sets only keys verl 0.7.0 has, and picks the reward key of the installed verl', () => {
      const script = fs.readFileSync(path.join(bundle.dir, 'launch.sh'), 'utf8');
      assert.equal(spawnSync('bash', ['-n', path.join(bundle.dir, 'launch.sh')]).status, 0);
      for (const layout of ['top-level', 'reward-group'] as const) {
        const { run, overrides } = runLaunch(bundle.dir, fakeVerl(layout), { N_GPUS_PER_NODE: '8' }, ['trainer.val_before_train=False']);
        assert.equal(run.status, 0, run.stderr);
        const prefix = layout === 'top-level' ? 'custom_reward_function' : 'reward.custom_reward_function';
        assert.equal(overrides.get(`${prefix}.path`), path.join(bundle.dir, 'reward.py'));
        assert.equal(overrides.get(`${prefix}.name`), 'compute_score');
        assert.equal(overrides.get('algorithm.adv_estimator'), 'grpo');
        assert.equal(overrides.get('data.train_files'), path.join(bundle.dir, 'train.parquet'));
        assert.equal(overrides.get('data.val_files'), path.join(bundle.dir, 'valid.parquet'));
        assert.equal(overrides.get('actor_rollout_ref.model.path'), 'Qwen/Qwen2.5-0.5B-Instruct');
        assert.equal(overrides.get('actor_rollout_ref.rollout.n'), '8');
        assert.equal(overrides.get('trainer.n_gpus_per_node'), '8');
        assert.equal(overrides.get('trainer.nnodes'), '1');
        assert.equal(overrides.get('trainer.total_training_steps'), '20');
        assert.equal(overrides.get('trainer.val_before_train'), 'False', 'extra arguments pass through');
        if (layout === 'top-level') {
          const problems = [...overrides.keys()].map(hydraProblem).filter((problem) => problem !== undefined);
          assert.deepEqual(problems, [], "every key as Hydra takes it against verl 0.7.0's config");
        }
      }
      assert.match(script, /^python3 -m verl\.trainer\.main_ppo/m);
    });

    it("the console logger only: verl 0.7.0's file logger cannot write the numpy ints of its metrics", () => {
      assert.equal(VERL_070.file_logger.serializes_numpy, false);
      const { run, overrides, argv } = runLaunch(bundle.dir, fakeVerl('top-level'));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(overrides.get('trainer.logger')!), ['console']);
      assert.equal(argv!.file_logger, null, 'no VERL_FILE_LOGGER_PATH either');
      assert.ok(Array.isArray(verlConfigAt('trainer.logger')));
    });

    it("attention: sdpa and no remove-padding, since the bundle does not install flash-attn (verl's `gpu` extra)", () => {
      const requirements = fs.readFileSync(path.join(bundle.dir, 'requirements.txt'), 'utf8');
      assert.ok(VERL_070.setup_py.extras_require.gpu.includes('flash-attn'), 'flash-attn comes with the gpu extra only');
      assert.ok(!/flash-attn|\[[^\]]*gpu[^\]]*\]/.test(requirements), 'and the bundle installs neither');
      assert.equal(VERL_070.attention.default_attn_implementation, 'flash_attention_2');
      assert.equal(verlConfigAt('actor_rollout_ref.model.use_remove_padding'), true, "verl's default needs flash_attn");
      const { run, overrides } = runLaunch(bundle.dir, fakeVerl('top-level'));
      assert.equal(run.status, 0, run.stderr);
      assert.equal(overrides.get('actor_rollout_ref.model.use_remove_padding'), 'false');
      const attention = `${overrides.get('+actor_rollout_ref.model.override_config.attn_implementation')}`;
      assert.equal(attention, 'sdpa');
      assert.ok(VERL_070.attention.implementations.includes(attention));
      assert.equal(`+actor_rollout_ref.model.override_config.attn_implementation=${attention}`, VERL_070.attention.documented_override, 'the override verl documents');
    });

    it('checkpoints go to a lasting folder with the Hugging Face model, and launch.sh says where the model is', () => {
      assert.deepEqual(verlConfigAt('trainer.default_local_dir'), 'checkpoints/${trainer.project_name}/${trainer.experiment_name}', "verl's default: relative, inside Ray's temporary working_dir");
      assert.deepEqual(verlConfigAt('actor_rollout_ref.actor.checkpoint.save_contents'), ['model', 'optimizer', 'extra'], "verl's default: FSDP shards only");
      const { run, home, lines, overrides } = runLaunch(bundle.dir, fakeVerl('top-level'));
      assert.equal(run.status, 0, run.stderr);
      const folder = path.join(home, 'rft-studio', 'checkpoints', 'assistant-support', 'manual');
      assert.equal(overrides.get('trainer.default_local_dir'), folder, 'under $HOME/rft-studio/checkpoints by default');
      const contents = JSON.parse(overrides.get('actor_rollout_ref.actor.checkpoint.save_contents')!) as string[];
      assert.ok(contents.includes('hf_model'));
      assert.ok(
        contents.every((item) => VERL_070.checkpoint.save_contents_known.includes(item)),
        contents.join(),
      );
      assert.ok(Number(overrides.get('trainer.save_freq')) > 0, 'verl saves the last step only with save_freq > 0');
      assert.deepEqual(parseVerlResultLine(lines.at(-1)!), { path: path.join(folder, 'global_step_7', 'actor', 'huggingface'), step: 7, checkpointDir: folder });
      // a job gives its own run folder and root; a relative root is refused before verl starts
      const root = path.join(dir(), 'shared-checkpoints');
      const job = runLaunch(bundle.dir, fakeVerl('top-level'), { RFT_CHECKPOINT_ROOT: root, RFT_RUN_ID: 'job-1' });
      assert.equal(job.overrides.get('trainer.default_local_dir'), path.join(root, 'assistant-support', 'job-1'));
      assert.equal(parseVerlResultLine(job.lines.at(-1)!)?.path, path.join(root, 'assistant-support', 'job-1', 'global_step_7', 'actor', 'huggingface'));
      const relative = runLaunch(bundle.dir, fakeVerl('top-level'), { RFT_CHECKPOINT_ROOT: 'checkpoints' });
      assert.equal(relative.run.status, 2);
      assert.match(relative.run.stderr, /must be an absolute path, not checkpoints/);
      // config and tokenizer alone (verl writes those whatever save_contents says) are not a model
      const configOnly = runLaunch(bundle.dir, fakeVerl('top-level', false), { RFT_RUN_ID: 'no-weights' });
      assert.equal(configOnly.run.status, 0, 'the training itself went well');
      assert.equal(configOnly.lines.map((line) => parseVerlResultLine(line)).filter(Boolean).length, 0);
      assert.match(configOnly.run.stderr, /no Hugging Face model to serve: .*holds no weights/);
    });

    it('--checkpoint-dir: an absolute path or a file:// URI; other URIs and relative paths are refused', async () => {
      const given = await writeEngineBundle(datasetCopy(), 'verl', { model: 'm', split, checkpointDir: 'file:///mnt/shared/ckpt/' });
      assert.equal(given.checkpointDir, '/mnt/shared/ckpt/assistant-support');
      assert.match(fs.readFileSync(path.join(given.dir, 'launch.sh'), 'utf8'), /^DEFAULT_CHECKPOINT_ROOT=\/mnt\/shared\/ckpt$/m);
      await assert.rejects(
        writeEngineBundle(datasetCopy(), 'verl', { model: 'm', split, checkpointDir: 's3://bucket/ckpt' }),
        (error: Error) => error instanceof BundleError && /file system path only \(s3:\/\/ is not one\): mount it/.test(error.message),
      );
      await assert.rejects(writeEngineBundle(datasetCopy(), 'verl', { model: 'm', split, checkpointDir: 'checkpoints' }), /give an absolute path on the cluster's nodes/);
    });

    it('nodes and GPUs per node become trainer.nnodes and trainer.n_gpus_per_node; a batch verl would refuse on them is refused now', async () => {
      const sized = await writeEngineBundle(datasetCopy(), 'verl', { model: 'm', split, nodes: 2, gpusPerNode: 4, hyperparameters: { 'trainer.nnodes': 9 } });
      assert.deepEqual([sized.settings['trainer.nnodes'], sized.settings['trainer.n_gpus_per_node']], [2, 4], 'the flags win over rft.json');
      const { run, overrides } = runLaunch(sized.dir, fakeVerl('top-level'));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual([overrides.get('trainer.nnodes'), overrides.get('trainer.n_gpus_per_node')], ['2', '4']);
      assert.match(sized.readme, /NNODES=2 N_GPUS_PER_NODE=4 bash launch\.sh/);
      await assert.rejects(
        writeEngineBundle(datasetCopy(), 'verl', { model: 'm', split, gpusPerNode: 3, hyperparameters: { train_batch_size: 8, ppo_mini_batch_size: 8, num_generations: 2 } }),
        /train_batch_size × rollout n \(8 × 2 = 16\) must be a multiple of the 3 GPUs/,
      );
      await assert.rejects(
        writeEngineBundle(datasetCopy(), 'verl', { model: 'm', split, nodes: 4, gpusPerNode: 8, hyperparameters: { train_batch_size: 16, ppo_mini_batch_size: 4, num_generations: 4 } }),
        /ppo_mini_batch_size × rollout n \/ GPUs \(4 × 4 \/ 32 = 0\) must be a positive multiple/,
      );
    });

    it('refuses settings verl cannot run and a dataset without a grader', async () => {
      await assert.rejects(
        writeEngineBundle(root, 'verl', { model: 'm', split, hyperparameters: { train_batch_size: 100_000 } }),
        (error: Error) => error instanceof BundleError && /larger than the \d+ train rows/.test(error.message),
      );
      await assert.rejects(
        writeEngineBundle(datasetCopy(), 'verl', { model: 'm', split, hyperparameters: { max_step: 30 } }),
        (error: Error) => error instanceof BundleError && /"max_step" is no verl bundle setting \(.*max_steps.*\) nor a dotted verl config key/.test(error.message),
      );
      const steps = await writeEngineBundle(datasetCopy(), 'verl', { model: 'm', split, hyperparameters: { max_steps: 30 } });
      assert.equal(steps.settings['trainer.total_training_steps'], 30, "the start form's Max steps is verl's total_training_steps");
      assert.equal(bundle.settings['trainer.total_training_steps'], 20);
      await assert.rejects(writeEngineBundle(root, 'trl', { model: 'm', split, hyperparameters: { per_device_train_batch_size: 3, num_generations: 2 } }), /must be a multiple of num_generations/);
      const bare = path.join(dir(), 'bare');
      fs.cpSync(EXAMPLE, bare, { recursive: true });
      await assert.rejects(writeEngineBundle(bare, 'trl', { model: 'm', split }), /no grader\.json/);
      await assert.rejects(writeEngineBundle(root, 'trl', { model: 'm', split: { ...split, format: 'sft' } }), /RFT split/);
    });
  });
});

describe('engine prompts from RFT rows', () => {
  const call = (id: string, name: string) => ({ id, type: 'function', function: { name, arguments: '{}' } });

  it('an assistant turn that only called tools leaves with its results; the user turns it separated are joined; the counts say so', () => {
    const tally = new PromptTally();
    const row = {
      messages: [
        { role: 'system', content: 'You are Acme Cloud Support.' },
        { role: 'user', content: 'how to connect acme to segment' },
        { role: 'assistant', content: null, tool_calls: [call('call_1', 'search_help_center')] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"results": []}' },
        { role: 'user', content: 'The first one. Do I need a separate API key?' },
      ],
      reference_answer: 'Use a separate write-only key.',
    };
    const { prompt, itemJson } = toEngineRow(row, tally);
    assert.deepEqual(prompt, [
      { role: 'system', content: 'You are Acme Cloud Support.' },
      { role: 'user', content: 'how to connect acme to segment\n\nThe first one. Do I need a separate API key?' },
    ]);
    assert.deepEqual(JSON.parse(itemJson), row, 'the reward still sees the whole conversation');
    assert.deepEqual(tally.counts(), { nonTextParts: 0, rowsWithToolCalls: 1, toolCallTurnsDropped: 1, toolResultsDropped: 1, toolCallsStripped: 0, turnsJoined: 1 });
  });

  it('an assistant turn with text keeps it without the calls; rows without tools pass unchanged and uncounted', () => {
    const tally = new PromptTally();
    const { prompt } = toEngineRow(
      {
        messages: [
          { role: 'user', content: 'Is the EU dashboard down?' },
          { role: 'assistant', content: 'Let me check.', tool_calls: [call('a', 'get_service_status'), call('b', 'get_incidents')] },
          { role: 'tool', tool_call_id: 'a', content: 'degraded' },
          { role: 'tool', tool_call_id: 'b', content: '[]' },
          { role: 'assistant', content: 'It is degraded.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Since when?' },
              { type: 'image_url', image_url: { url: 'https://x/y.png' } },
            ],
          },
        ],
      },
      tally,
    );
    assert.deepEqual(prompt, [
      { role: 'user', content: 'Is the EU dashboard down?' },
      { role: 'assistant', content: 'Let me check.\n\nIt is degraded.' },
      { role: 'user', content: 'Since when?' },
    ]);
    const plain = {
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Hi there, who are you?' },
      ],
    };
    assert.deepEqual(toEngineRow(plain, tally).prompt, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi there, who are you?' },
    ]);
    assert.deepEqual(tally.counts(), { nonTextParts: 1, rowsWithToolCalls: 1, toolCallTurnsDropped: 0, toolResultsDropped: 2, toolCallsStripped: 1, turnsJoined: 1 });
    assert.deepEqual(tally.lines(), [
      '1 non-text content parts (images) left out of the prompts: the engine prompts are text',
      '1 prompts had tool calls, which the engine prompts cannot carry: 0 assistant turns that only called tools and 2 tool results left out; 1 assistant turns kept their text without the calls; 1 turns joined to the same-role turn before them (item_json keeps the whole conversation for the reward)',
    ]);
  });
});

describe('metrics lines', () => {
  it('verl console lines (np.float64, Ray prefixes) and file logger JSON (NaN) parse to step, rewards and values', () => {
    const console = parseVerlMetricsLine(
      '(TaskRunner pid=4242) step:12 - training/epoch:np.int64(1) - critic/score/mean:np.float64(0.5234) - actor/lr:1e-06 - val-core/rft_studio/reward/mean@1:0.48 - response_length/clip_ratio:np.float32(0.0)',
    );
    assert.deepEqual(console, {
      step: 12,
      epoch: 1,
      trainReward: 0.5234,
      validReward: 0.48,
      values: { 'training/epoch': 1, 'critic/score/mean': 0.5234, 'actor/lr': 1e-6, 'val-core/rft_studio/reward/mean@1': 0.48, 'response_length/clip_ratio': 0 },
    });
    const file = parseVerlMetricsLine('{"step": 3, "data": {"critic/score/mean": 0.25, "actor/pg_loss": NaN, "critic/rewards/mean": 0.25}}');
    assert.deepEqual(file, { step: 3, trainReward: 0.25, values: { 'critic/score/mean': 0.25, 'critic/rewards/mean': 0.25 } });
    assert.equal(parseVerlMetricsLine('Training Progress:  40%|████      | 12/30'), undefined);
    assert.equal(parseVerlMetricsLine('{"step": "x"}'), undefined);
    assert.equal(parseVerlMetricsLine(''), undefined);
  });

  it("the verl launch script's result line (and nothing else) parses to where the model is", () => {
    assert.deepEqual(
      parseVerlResultLine(
        'rft-studio result: {"path": "/home/ray/rft-studio/checkpoints/ds/j1/global_step_40/actor/huggingface", "step": 40, "checkpoint_dir": "/home/ray/rft-studio/checkpoints/ds/j1"}',
      ),
      { path: '/home/ray/rft-studio/checkpoints/ds/j1/global_step_40/actor/huggingface', step: 40, checkpointDir: '/home/ray/rft-studio/checkpoints/ds/j1' },
    );
    assert.equal(parseVerlResultLine('rft-studio result: {"path": "checkpoints/relative"}'), undefined, 'only an absolute path is a place to serve from');
    assert.equal(parseVerlResultLine('(TaskRunner pid=42) step:3 - critic/score/mean:0.5'), undefined);
    assert.equal(parseVerlResultLine('rft-studio result: {"pa'), undefined);
  });

  it('TRL metrics.jsonl lines parse to step, epoch, total steps, train and eval rewards', () => {
    assert.deepEqual(
      parseTrlMetricsLine('{"step": 4, "epoch": 0.5, "total_steps": 16, "time": "2026-12-01T22:00:00Z", "kind": "train", "metrics": {"reward": 0.4, "reward_std": 0.1, "loss": null}}'),
      {
        kind: 'train',
        step: 4,
        epoch: 0.5,
        totalSteps: 16,
        time: '2026-12-01T22:00:00Z',
        trainReward: 0.4,
        values: { reward: 0.4, reward_std: 0.1 },
      },
    );
    assert.equal(parseTrlMetricsLine('{"step": 5, "kind": "eval", "metrics": {"eval_reward": 0.3}}')?.validReward, 0.3);
    assert.equal(parseTrlMetricsLine('{"step": 5, "kind": "eval", "metr'), undefined, 'a partial last line');
    assert.equal(parseTrlMetricsLine('not json'), undefined);
  });
});
