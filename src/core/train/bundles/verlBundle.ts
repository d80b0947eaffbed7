// exports/verl/: GRPO with verl on a Ray cluster. train.parquet / valid.parquet rows are verl's RLHF dataset columns
// (data_source, prompt [{role, content}], ability, reward_model {style: "rule", ground_truth}, extra_info {split,
// index, item_json}); reward.py is the compiled grader (`compute_score(data_source, solution_str, ground_truth,
// extra_info=None, **kwargs)`, which grades extra_info.item_json); launch.sh runs verl.trainer.main_ppo, then says
// where the Hugging Face model is (a `rft-studio result: {...}` line the Ray backend reads into the job).
//
// Config keys verified against verl v0.7.0 (test/fixtures/vendor/verl: its _generated_ppo_trainer.yaml and facts):
// there the reward function is the top-level `custom_reward_function.path/.name`; later verl moved it under `reward.`
// (and main_ppo ignores the old key), so launch.sh reads the installed verl's ppo_trainer.yaml and uses the key it has.
// What 0.7.0 gets wrong on a first run, and what the bundle sets instead:
// - its `file` logger json.dumps numpy ints (num_turns/*) and crashes at the first step: console logger only;
// - attention defaults to flash_attention_2 with remove-padding, both needing flash-attn (only in verl's `gpu`
//   extra): sdpa and no remove-padding;
// - checkpoints go to `checkpoints/` in Ray's temporary working_dir as FSDP shards: a lasting folder, plus the
//   Hugging Face model (`hf_model`) that step 7 serves.
import { fileURLToPath } from 'node:url';
import { BundleError, numberSetting, shellQuote, type BundleContext, type Hyperparameters } from './bundleSupport';
import { groundTruthOf, PromptTally, readRows, toEngineRow, topicOfRow } from './engineRows';
import { VERL_RESULT_MARKER } from './verlMetrics';

export const VERL_DATA_SOURCE = 'rft_studio';
/**
 * verl 0.7.0 with its vLLM rollout (the `vllm` extra allows vllm ≥ 0.8.5, ≤ 0.12) and transformers pinned (verl
 * leaves it free, and pip would pick 5.x, which vLLM 0.11 does not run with; 4.57.1 is the TRL bundle's pair).
 */
export const VERL_REQUIREMENTS = ['verl[vllm]==0.7.0', 'vllm==0.11.0', 'transformers==4.57.1', 'ray[default]==2.49.2', 'pandas==2.2.3', 'pyarrow==19.0.1'];
/** Where checkpoints go without --checkpoint-dir: a folder on the node that runs the trainer, not Ray's temporary working_dir. */
export const DEFAULT_CHECKPOINT_ROOT = '$HOME/rft-studio/checkpoints';
/** The run folder of a bundle run by hand (rft train gives each job its own: RFT_RUN_ID=<job id>). */
export const MANUAL_RUN_ID = 'manual';
/** verl 0.7.0 reads the attention implementation from the model's override_config, where it is not a key: Hydra adds it (`+`). */
export const VERL_ATTENTION_KEY = '+actor_rollout_ref.model.override_config.attn_implementation';
/** What each checkpoint holds: verl's FSDP state (resumable) and the Hugging Face model. */
export const VERL_SAVE_CONTENTS = ['model', 'optimizer', 'extra', 'hf_model'];
const ROW_GROUP = 4096;

/** The main_ppo overrides a bundle may set, verl's name → how the settings name it (aliases first); no fallback: verl's own default. */
const VERL_SETTINGS: readonly { key: string; names: string[]; fallback?: (c: { train: number }) => number | string | boolean; integer?: boolean }[] = [
  { key: 'data.train_batch_size', names: ['train_batch_size', 'batch_size'], fallback: ({ train }) => Math.max(1, Math.min(32, train)) },
  { key: 'data.max_prompt_length', names: ['max_prompt_length'], fallback: () => 1024 },
  { key: 'data.max_response_length', names: ['max_response_length', 'max_completion_length'], fallback: () => 512 },
  { key: 'actor_rollout_ref.actor.optim.lr', names: ['learning_rate', 'lr'], fallback: () => 1e-6, integer: false },
  { key: 'actor_rollout_ref.actor.ppo_mini_batch_size', names: ['ppo_mini_batch_size'], fallback: ({ train }) => Math.max(1, Math.min(16, train)) },
  { key: 'actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu', names: ['ppo_micro_batch_size_per_gpu'], fallback: () => 4 },
  { key: 'actor_rollout_ref.actor.kl_loss_coef', names: ['kl_loss_coef', 'beta'], fallback: () => 0.001, integer: false },
  { key: 'actor_rollout_ref.rollout.n', names: ['num_generations', 'rollout_n'], fallback: () => 4 },
  { key: 'actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu', names: ['log_prob_micro_batch_size_per_gpu'], fallback: () => 8 },
  { key: 'actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu', names: ['log_prob_micro_batch_size_per_gpu'], fallback: () => 8 },
  { key: 'actor_rollout_ref.rollout.tensor_model_parallel_size', names: ['tensor_model_parallel_size'], fallback: () => 1 },
  { key: 'actor_rollout_ref.rollout.gpu_memory_utilization', names: ['gpu_memory_utilization'], fallback: () => 0.5, integer: false },
  { key: 'trainer.total_epochs', names: ['n_epochs', 'total_epochs', 'num_train_epochs'], fallback: () => 1 },
  { key: 'trainer.test_freq', names: ['test_freq', 'eval_steps'], fallback: () => 5 },
  { key: 'trainer.save_freq', names: ['save_freq', 'save_steps'], fallback: () => 20 },
  { key: 'trainer.total_training_steps', names: ['max_steps', 'total_training_steps'] },
  { key: 'trainer.nnodes', names: ['nnodes', 'nodes'], fallback: () => 1 },
  { key: 'trainer.n_gpus_per_node', names: ['n_gpus_per_node', 'gpus_per_node'], fallback: () => 1 },
];

const KNOWN_NAMES = new Set(VERL_SETTINGS.flatMap((setting) => setting.names));

type Override = [string, string | number | boolean];

export interface VerlRun {
  readonly model: string;
  /** Rows in the train split. */
  readonly train: number;
  readonly datasetName: string;
  readonly nodes?: number;
  readonly gpusPerNode?: number;
}

export async function writeVerlBundle(context: BundleContext) {
  const { options } = context;
  const overrides = verlOverrides(context.settings, { model: options.model, train: options.split.train, datasetName: context.datasetName, nodes: options.nodes, gpusPerNode: options.gpusPerNode });
  const checkpointRoot = options.checkpointDir === undefined ? DEFAULT_CHECKPOINT_ROOT : checkpointRootOf(options.checkpointDir);
  const tally = new PromptTally();
  for (const [name, file, split] of [
    ['train.parquet', options.split.files.train, 'train'],
    ['valid.parquet', options.split.files.valid, 'valid'],
  ] as const) {
    await context.write(name, await parquetOf(file, split, tally));
  }
  const notes = [...context.reward.notes, ...tally.lines()];
  const run = { checkpointRoot, runFolder: runFolderOf(context.datasetName) };
  await context.write('reward.py', context.reward.source);
  await context.write('requirements.txt', `${VERL_REQUIREMENTS.join('\n')}\n`);
  await context.write('runtime_env.yaml', runtimeEnv());
  await context.write('launch.sh', launchScript(overrides, run));
  const readme = verlReadme(context, overrides, run, notes);
  await context.write('README.md', readme);
  return { readme, notes, settings: Object.fromEntries(overrides), promptChanges: tally.counts(), checkpointDir: `${checkpointRoot}/${run.runFolder}` };
}

/** main_ppo overrides in order: GRPO, the data, the model, the run, the settings (aliases or verl's dotted keys verbatim), the cluster flags. */
export function verlOverrides(settings: Hyperparameters, run: VerlRun): Override[] {
  const overrides = new Map<string, string | number | boolean>([
    ['algorithm.adv_estimator', 'grpo'],
    ['data.train_files', '$PWD/train.parquet'],
    ['data.val_files', '$PWD/valid.parquet'],
    ['data.prompt_key', 'prompt'],
    ['data.filter_overlong_prompts', true],
    ['data.truncation', 'error'],
    ['actor_rollout_ref.model.path', run.model],
    ['actor_rollout_ref.model.enable_gradient_checkpointing', true],
    // flash-attn comes only with verl's `gpu` extra: PyTorch's own attention, and no remove-padding (it imports flash_attn)
    ['actor_rollout_ref.model.use_remove_padding', false],
    [VERL_ATTENTION_KEY, 'sdpa'],
    ['actor_rollout_ref.actor.use_kl_loss', true],
    ['actor_rollout_ref.actor.checkpoint.save_contents', JSON.stringify(VERL_SAVE_CONTENTS)],
    ['actor_rollout_ref.rollout.name', 'vllm'],
    // verl 0.7.0's `file` logger cannot write numpy ints: the monitor reads the console lines
    ['trainer.logger', JSON.stringify(['console'])],
    ['trainer.project_name', 'rft-studio'],
    ['trainer.experiment_name', run.datasetName],
  ]);
  for (const setting of VERL_SETTINGS) {
    const value = setting.names.some((n) => settings[n] !== undefined) ? numberSetting(settings, setting.names, 0, setting.integer ?? true) : setting.fallback?.({ train: run.train });
    if (value !== undefined) overrides.set(setting.key, value);
  }
  checkVerlSettingNames(settings);
  for (const [key, value] of Object.entries(settings)) {
    if (key.includes('.')) overrides.set(key === VERL_ATTENTION_KEY.slice(1) ? VERL_ATTENTION_KEY : key, value);
  }
  if (run.nodes !== undefined) overrides.set('trainer.nnodes', positiveWhole('--nodes', run.nodes));
  if (run.gpusPerNode !== undefined) overrides.set('trainer.n_gpus_per_node', positiveWhole('--gpus-per-node', run.gpusPerNode));
  checkBatches(overrides, run.train);
  return [...overrides];
}

/** Every setting is a bundle setting name or a dotted verl config key. */
export function checkVerlSettingNames(settings: Hyperparameters): void {
  for (const key of Object.keys(settings)) {
    if (!key.includes('.')) {
      if (!KNOWN_NAMES.has(key)) throw new BundleError(`"${key}" is no verl bundle setting (${[...KNOWN_NAMES].join(', ')}) nor a dotted verl config key (e.g. trainer.total_epochs)`);
    } else if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+$/.test(key)) {
      throw new BundleError(`"${key}" is not a verl config key (dotted, e.g. trainer.total_epochs)`);
    }
  }
}

/** What verl 0.7.0 checks only once the cluster is up (verl/utils/config.py, fsdp_workers.py), said before anything is launched. */
function checkBatches(overrides: Map<string, string | number | boolean>, train: number): void {
  const number = (key: string) => Number(overrides.get(key));
  const batch = number('data.train_batch_size');
  const mini = number('actor_rollout_ref.actor.ppo_mini_batch_size');
  const micro = number('actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu');
  const n = number('actor_rollout_ref.rollout.n');
  const gpus = number('trainer.nnodes') * number('trainer.n_gpus_per_node');
  if (mini > batch) throw new BundleError(`ppo_mini_batch_size (${mini}) cannot exceed train_batch_size (${batch})`);
  if (batch > train) throw new BundleError(`train_batch_size (${batch}) is larger than the ${train} train rows: verl drops the last partial batch, so no step would run`);
  if ((batch * n) % gpus !== 0) throw new BundleError(`train_batch_size × rollout n (${batch} × ${n} = ${batch * n}) must be a multiple of the ${gpus} GPUs (nodes × GPUs per node): verl refuses it`);
  const perGpu = Math.floor((mini * n) / gpus);
  if (perGpu === 0 || perGpu % micro !== 0)
    throw new BundleError(`ppo_mini_batch_size × rollout n / GPUs (${mini} × ${n} / ${gpus} = ${perGpu}) must be a positive multiple of ppo_micro_batch_size_per_gpu (${micro}): verl refuses it`);
}

function positiveWhole(flag: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new BundleError(`${flag} must be a whole number ≥ 1, got ${value}`);
  return value;
}

/**
 * --checkpoint-dir as launch.sh takes it: an absolute path (a file:// URI's path). verl 0.7.0 saves to a file system
 * only (its FSDP checkpoint manager leaves hdfs_path unused), so a bucket is mounted first and given by its path.
 */
export function checkpointRootOf(value: string): string {
  const text = value.trim();
  if (/^file:\/\//i.test(text)) return checkpointRootOf(fileURLToPath(text));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
  if (scheme)
    throw new BundleError(
      `--checkpoint-dir ${value}: verl 0.7.0 writes checkpoints to a file system path only (${scheme}:// is not one): mount it on every node (s3fs, gcsfuse, NFS…) and pass the mount's path`,
    );
  if (!text.startsWith('/')) throw new BundleError(`--checkpoint-dir ${value}: give an absolute path on the cluster's nodes (Ray runs the job in a temporary working_dir, removed with it)`);
  if (/[\n\0]/.test(text)) throw new BundleError('--checkpoint-dir cannot hold a line break');
  return text.length > 1 ? text.replace(/\/+$/, '') : text;
}

/** The dataset's name as one path segment. */
function runFolderOf(datasetName: string): string {
  return datasetName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'dataset';
}

async function parquetOf(file: string, split: 'train' | 'valid', tally: PromptTally): Promise<Buffer> {
  const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({ writer, schema: VERL_SCHEMA });
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const column = (name: string) => batch.map((row) => row[name]);
    await parquet.write({ columnData: ['data_source', 'prompt', 'ability', 'reward_model', 'extra_info'].map((name) => ({ name, data: column(name) })), rowGroupSize: ROW_GROUP });
    batch = [];
  };
  let index = 0;
  for await (const row of readRows(file)) {
    const engineRow = toEngineRow(row, tally);
    batch.push({
      data_source: VERL_DATA_SOURCE,
      prompt: engineRow.prompt,
      ability: topicOfRow(row) ?? 'general',
      reward_model: { style: 'rule', ground_truth: groundTruthOf(row) },
      extra_info: { split, index: BigInt(index++), item_json: engineRow.itemJson },
    });
    if (batch.length >= ROW_GROUP) await flush();
  }
  await flush();
  await parquet.finish();
  return Buffer.from(writer.getBytes());
}

const utf8 = (name: string) => ({ name, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'REQUIRED' as const });
/** list<struct<role, content>> as pandas/pyarrow (and so verl's RLHFDataset) read it. */
const VERL_SCHEMA = [
  { name: 'root', num_children: 5 },
  utf8('data_source'),
  { name: 'prompt', repetition_type: 'REQUIRED' as const, converted_type: 'LIST' as const, num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED' as const, num_children: 1 },
  { name: 'element', repetition_type: 'REQUIRED' as const, num_children: 2 },
  utf8('role'),
  utf8('content'),
  utf8('ability'),
  { name: 'reward_model', repetition_type: 'REQUIRED' as const, num_children: 2 },
  utf8('style'),
  utf8('ground_truth'),
  { name: 'extra_info', repetition_type: 'REQUIRED' as const, num_children: 3 },
  utf8('split'),
  { name: 'index', type: 'INT64' as const, repetition_type: 'REQUIRED' as const },
  utf8('item_json'),
];

/** How launch.sh writes a value: paths and the cluster size from the environment, the rest as one shell word. */
function shellValue(key: string, raw: string | number | boolean): string {
  if (key.endsWith('_files')) return `"${String(raw)}"`;
  if (key === 'trainer.nnodes') return `"\${NNODES:-${Number(raw)}}"`;
  if (key === 'trainer.n_gpus_per_node') return `"\${N_GPUS_PER_NODE:-${Number(raw)}}"`;
  return shellQuote(raw);
}

interface RunFolders {
  /** An absolute path, or DEFAULT_CHECKPOINT_ROOT (expanded on the node). */
  readonly checkpointRoot: string;
  /** The dataset's folder under the root. */
  readonly runFolder: string;
}

function launchScript(overrides: Override[], run: RunFolders): string {
  const defaultRoot = run.checkpointRoot === DEFAULT_CHECKPOINT_ROOT ? `"${DEFAULT_CHECKPOINT_ROOT}"` : shellQuote(run.checkpointRoot);
  return [
    '#!/usr/bin/env bash',
    "# GRPO with verl (written by RFT Studio): python3 -m verl.trainer.main_ppo with this bundle's data and reward, then",
    '# the line that says where the Hugging Face model of the last checkpoint is.',
    '# On a Ray cluster: submit it as a Ray job with this folder as working_dir (rft train --backend verl does).',
    '# Extra arguments are more main_ppo overrides, e.g. bash launch.sh trainer.total_training_steps=20',
    '# Environment: NNODES, N_GPUS_PER_NODE (the cluster), RFT_CHECKPOINT_ROOT (an absolute path every node can write),',
    `# RFT_RUN_ID (the run's folder, default ${MANUAL_RUN_ID}: a folder that holds a checkpoint is resumed from).`,
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    `DEFAULT_CHECKPOINT_ROOT=${defaultRoot}`,
    'CHECKPOINT_ROOT="${RFT_CHECKPOINT_ROOT:-$DEFAULT_CHECKPOINT_ROOT}"',
    'case "$CHECKPOINT_ROOT" in /*) ;; *) echo "launch.sh: the checkpoint folder must be an absolute path, not $CHECKPOINT_ROOT (Ray\'s working_dir is temporary)" >&2; exit 2 ;; esac',
    `CHECKPOINT_DIR="$CHECKPOINT_ROOT/${run.runFolder}/\${RFT_RUN_ID:-${MANUAL_RUN_ID}}"`,
    '# verl ≤ 0.7 reads the top-level custom_reward_function.*; later verl reads reward.custom_reward_function.*',
    'VERL_CONFIG="$(python3 -c \'import os, verl; print(os.path.join(os.path.dirname(verl.__file__), "trainer", "config", "ppo_trainer.yaml"))\')"',
    'if grep -q "^custom_reward_function:" "$VERL_CONFIG"; then REWARD_KEY=custom_reward_function; else REWARD_KEY=reward.custom_reward_function; fi',
    'python3 -m verl.trainer.main_ppo \\',
    ...overrides.map(([key, raw]) => `  ${key}=${shellValue(key, raw)} \\`),
    '  "$REWARD_KEY.path=$PWD/reward.py" \\',
    '  "$REWARD_KEY.name=compute_score" \\',
    '  trainer.default_local_dir="$CHECKPOINT_DIR" \\',
    '  "$@"',
    '# verl writes latest_checkpointed_iteration.txt and global_step_<N>/actor/huggingface (config and tokenizer always,',
    '# the weights with hf_model): say where a complete model is, for rft train to record (and step 7 to serve)',
    'python3 - "$CHECKPOINT_DIR" <<\'PY\'',
    'import glob, json, os, sys',
    'def missing(why):',
    '    print(f"rft-studio: no Hugging Face model to serve: {why}", file=sys.stderr, flush=True)',
    '    sys.exit(0)  # the training itself went well',
    'folder = sys.argv[1]',
    'try:',
    '    step = int(open(os.path.join(folder, "latest_checkpointed_iteration.txt")).read().strip())',
    'except (OSError, ValueError):',
    '    missing(f"no checkpoint in {folder} on this node (trainer.save_freq must be > 0; on several nodes use a folder they share)")',
    'model = os.path.join(folder, f"global_step_{step}", "actor", "huggingface")',
    'if not glob.glob(os.path.join(model, "*.safetensors")) and not glob.glob(os.path.join(model, "pytorch_model*.bin")):',
    '    missing(f"{model} holds no weights on this node (rank 0 writes them: on several nodes use a folder they share)")',
    `print("${VERL_RESULT_MARKER} " + json.dumps({"path": os.path.abspath(model), "step": step, "checkpoint_dir": os.path.abspath(folder)}), flush=True)`,
    'PY',
    '',
  ].join('\n');
}

/** The verl requirements a Ray runtime_env may install (never ray itself: the cluster's own Ray runs the job). */
export const RUNTIME_ENV_PIP = VERL_REQUIREMENTS.filter((requirement) => !requirement.startsWith('ray'));

function runtimeEnv(): string {
  return [
    '# Ray runtime environment for `ray job submit --runtime-env runtime_env.yaml -- bash launch.sh`.',
    "# The cluster needs verl and vLLM (verl's Docker images have them); otherwise uncomment pip (slow: torch, vllm).",
    'working_dir: .',
    `# pip: [${RUNTIME_ENV_PIP.map((requirement) => JSON.stringify(requirement)).join(', ')}]`,
    'env_vars:',
    '  TOKENIZERS_PARALLELISM: "true"',
    '',
  ].join('\n');
}

function verlReadme(context: BundleContext, overrides: Override[], run: RunFolders, notes: string[]): string {
  const { options } = context;
  const value = (key: string) => overrides.find(([name]) => name === key)?.[1];
  return `# ${context.datasetName} — GRPO with verl

Written by RFT Studio (\`rft train ${context.datasetName} --backend verl --bundle-only\`) from the split in
\`exports/\` (${options.split.train} train, ${options.split.valid} validation rows) and \`grader.json\`.

## Run it

On a GPU machine or the head node of a Ray cluster with verl ${VERL_REQUIREMENTS[0].split('==')[1]} installed:

\`\`\`bash
pip install -r requirements.txt     # or use verl's Docker image
NNODES=${value('trainer.nnodes')} N_GPUS_PER_NODE=${value('trainer.n_gpus_per_node')} bash launch.sh
\`\`\`

As a Ray job (\`rft train ${context.datasetName} --backend verl --ray-address http://<head>:8265\` does this for you,
and records where the model is):

\`\`\`bash
ray job submit --address http://<head>:8265 --runtime-env runtime_env.yaml -- bash launch.sh
\`\`\`

Extra arguments to \`launch.sh\` are more \`main_ppo\` overrides (\`trainer.total_training_steps=20\` for a short trial).

## Checkpoints and the trained model

Checkpoints go to \`${run.checkpointRoot}/${run.runFolder}/<run>\` (\`trainer.default_local_dir\`): the root is
${run.checkpointRoot === DEFAULT_CHECKPOINT_ROOT ? `\`${DEFAULT_CHECKPOINT_ROOT}\` on the node (\`--checkpoint-dir\` or \`RFT_CHECKPOINT_ROOT\` sets another)` : `\`--checkpoint-dir\` (\`RFT_CHECKPOINT_ROOT\` sets another)`}, the
run is the job's id under \`rft train\`, else \`RFT_RUN_ID\` (default \`${MANUAL_RUN_ID}\`; verl resumes from a run folder that
holds a checkpoint). Never Ray's working_dir: Ray removes it with the job. Each checkpoint (every
\`trainer.save_freq\` steps and the last) holds verl's FSDP state and the Hugging Face model
(\`global_step_<N>/actor/huggingface\`, \`save_contents=${JSON.stringify(VERL_SAVE_CONTENTS)}\`), which \`vllm serve\` takes. At the end
\`launch.sh\` prints \`${VERL_RESULT_MARKER} {"path": …}\`; \`rft train\` records that path as the job's \`result.path\`.
On more than one node, pass a folder every node shares (NFS, a mounted bucket): each node writes its FSDP shards,
rank 0 the Hugging Face model.

## Files

- \`train.parquet\`, \`valid.parquet\` — verl's RLHF dataset columns: \`data_source\` (\`${VERL_DATA_SOURCE}\`), \`prompt\`
  (\`[{"role", "content"}]\`, text only; tool calls and their results are left out, see Notes), \`ability\` (the topic),
  \`reward_model\` (\`{"style": "rule", "ground_truth": <reference_answer>}\`), \`extra_info\` (\`{"split", "index",
  "item_json"}\`; item_json is the whole RFT row, which the reward grades exactly as RFT Studio does).
- \`reward.py\` — the grader compiled to Python: \`compute_score(data_source, solution_str, ground_truth,
  extra_info=None, **kwargs) -> float\`.${context.reward.remote ? ' It calls `rft grader serve` at RFT_REWARD_SERVER (see Notes).' : ' Standard library only.'}
- \`launch.sh\` — \`python3 -m verl.trainer.main_ppo\` with:
${overrides.map(([key, raw]) => `  - \`${key}=${raw}\``).join('\n')}
  - \`custom_reward_function.path=reward.py\`, \`.name=compute_score\` (under \`reward.\` in verl after 0.7: the script
    checks the installed verl's config and uses the key it has)
  - \`trainer.default_local_dir=<the checkpoint folder above>\`
- \`runtime_env.yaml\` — for \`ray job submit\` (its \`pip:\` line, commented out, installs the requirements but Ray).
- \`requirements.txt\` — pinned: ${VERL_REQUIREMENTS.join(', ')}.

Why these settings: verl 0.7.0's \`file\` logger crashes on numpy integers (fixed only after the release), so only the
console logger runs; its default attention (\`flash_attention_2\`, with remove-padding) needs \`flash-attn\`, which only
verl's \`gpu\` extra installs, so the bundle uses PyTorch's \`sdpa\` (set \`actor_rollout_ref.model.use_remove_padding=true\`
and \`actor_rollout_ref.model.override_config.attn_implementation=flash_attention_2\` where flash-attn is installed).

## Metrics

The console logger prints \`step:N - key:value - ...\` (values may print as \`np.float64(x)\`); in Ray's job logs the
lines carry the \`(TaskRunner pid=…)\` prefix. The train reward is \`critic/score/mean\`, the validation reward
\`val-core/${VERL_DATA_SOURCE}/reward/mean@N\`, the epoch \`training/epoch\`.
${notes.length ? `\n## Notes\n\n${notes.map((note) => `- ${note}`).join('\n')}\n` : ''}`;
}
