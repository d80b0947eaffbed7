// exports/verl/: GRPO with verl on a Ray cluster. train.parquet / valid.parquet rows are verl's RLHF dataset columns
// (data_source, prompt [{role, content}], ability, reward_model {style: "rule", ground_truth}, extra_info {split,
// index, item_json}); reward.py is the compiled grader (`compute_score(data_source, solution_str, ground_truth,
// extra_info=None, **kwargs)`, which grades extra_info.item_json); launch.sh runs verl.trainer.main_ppo.
//
// Config keys verified against verl v0.7.0 (verl/trainer/config/_generated_ppo_trainer.yaml): there the reward
// function is the top-level `custom_reward_function.path/.name`; later verl moved it under `reward.` (and main_ppo
// ignores the old key), so launch.sh reads the installed verl's ppo_trainer.yaml and uses the key it has.
import { BundleError, numberSetting, shellQuote, type BundleContext, type Hyperparameters } from './bundleSupport';
import { groundTruthOf, PromptTally, readRows, toEngineRow, topicOfRow } from './engineRows';

export const VERL_DATA_SOURCE = 'rft_studio';
export const VERL_METRICS_FILE = 'metrics.jsonl';
/** verl 0.7.0 with its vLLM rollout (vllm ≥ 0.8.5, ≤ 0.12 by its setup.py). */
export const VERL_REQUIREMENTS = ['verl[vllm]==0.7.0', 'vllm==0.11.0', 'ray[default]==2.49.2', 'pandas==2.2.3', 'pyarrow==19.0.1'];
const ROW_GROUP = 4096;

/** The main_ppo overrides a bundle may set, verl's name → how the settings name it (aliases first). */
const VERL_SETTINGS: readonly { key: string; names: string[]; fallback: (c: { train: number }) => number | string | boolean; integer?: boolean }[] = [
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
];

export async function writeVerlBundle(context: BundleContext) {
  const { options } = context;
  const overrides = verlOverrides(context.settings, options.model, options.split.train);
  const tally = new PromptTally();
  for (const [name, file, split] of [['train.parquet', options.split.files.train, 'train'], ['valid.parquet', options.split.files.valid, 'valid']] as const) {
    await context.write(name, await parquetOf(file, split, tally));
  }
  const notes = [...context.reward.notes, ...tally.lines()];
  await context.write('reward.py', context.reward.source);
  await context.write('requirements.txt', `${VERL_REQUIREMENTS.join('\n')}\n`);
  await context.write('runtime_env.yaml', runtimeEnv());
  await context.write('launch.sh', launchScript(overrides, context.datasetName));
  const readme = verlReadme(context, overrides, notes);
  await context.write('README.md', readme);
  return { readme, notes, settings: Object.fromEntries(overrides) };
}

/** main_ppo overrides in order: GRPO, the data, the model, the settings (aliases or verl's dotted keys verbatim). */
export function verlOverrides(settings: Hyperparameters, model: string, train: number): [string, string | number | boolean][] {
  const overrides = new Map<string, string | number | boolean>([
    ['algorithm.adv_estimator', 'grpo'],
    ['data.train_files', '$PWD/train.parquet'],
    ['data.val_files', '$PWD/valid.parquet'],
    ['data.prompt_key', 'prompt'],
    ['data.filter_overlong_prompts', true],
    ['data.truncation', 'error'],
    ['actor_rollout_ref.model.path', model],
    ['actor_rollout_ref.model.enable_gradient_checkpointing', true],
    ['actor_rollout_ref.actor.use_kl_loss', true],
    ['actor_rollout_ref.rollout.name', 'vllm'],
  ]);
  for (const setting of VERL_SETTINGS) overrides.set(setting.key, setting.names.some((n) => settings[n] !== undefined) ? numberSetting(settings, setting.names, 0, setting.integer ?? true) : setting.fallback({ train }));
  for (const [key, value] of Object.entries(settings)) {
    if (!key.includes('.')) continue;
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+$/.test(key)) throw new BundleError(`"${key}" is not a verl config key (dotted, e.g. trainer.total_epochs)`);
    overrides.set(key, value);
  }
  const batch = Number(overrides.get('data.train_batch_size'));
  const mini = Number(overrides.get('actor_rollout_ref.actor.ppo_mini_batch_size'));
  if (mini > batch) throw new BundleError(`ppo_mini_batch_size (${mini}) cannot exceed train_batch_size (${batch})`);
  if (batch > train) throw new BundleError(`train_batch_size (${batch}) is larger than the ${train} train rows: verl drops the last partial batch, so no step would run`);
  return [...overrides];
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

function launchScript(overrides: [string, string | number | boolean][], datasetName: string): string {
  const value = (key: string, raw: string | number | boolean) => (key.endsWith('_files') ? `"${String(raw)}"` : shellQuote(raw));
  return [
    '#!/usr/bin/env bash',
    '# GRPO with verl (written by RFT Studio): python3 -m verl.trainer.main_ppo with this bundle\'s data and reward.',
    '# On a Ray cluster: submit it as a Ray job with this folder as working_dir (rft train --backend verl does).',
    '# Extra arguments are more main_ppo overrides, e.g. bash launch.sh trainer.n_gpus_per_node=8',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    '# verl ≤ 0.7 reads the top-level custom_reward_function.*; later verl reads reward.custom_reward_function.*',
    'VERL_CONFIG="$(python3 -c \'import os, verl; print(os.path.join(os.path.dirname(verl.__file__), "trainer", "config", "ppo_trainer.yaml"))\')"',
    'if grep -q "^custom_reward_function:" "$VERL_CONFIG"; then REWARD_KEY=custom_reward_function; else REWARD_KEY=reward.custom_reward_function; fi',
    `export VERL_FILE_LOGGER_PATH="\${VERL_FILE_LOGGER_PATH:-$PWD/${VERL_METRICS_FILE}}"`,
    'exec python3 -m verl.trainer.main_ppo \\',
    ...overrides.map(([key, raw]) => `  ${key}=${value(key, raw)} \\`),
    '  "$REWARD_KEY.path=$PWD/reward.py" \\',
    '  "$REWARD_KEY.name=compute_score" \\',
    `  trainer.logger='["console","file"]' \\`,
    `  trainer.project_name=rft-studio \\`,
    `  trainer.experiment_name=${shellQuote(datasetName)} \\`,
    '  trainer.n_gpus_per_node="${N_GPUS_PER_NODE:-1}" \\',
    '  trainer.nnodes="${NNODES:-1}" \\',
    '  "$@"',
    '',
  ].join('\n');
}

function runtimeEnv(): string {
  return [
    '# Ray runtime environment for `ray job submit --runtime-env runtime_env.yaml -- bash launch.sh`.',
    '# The cluster needs verl and vLLM (verl\'s Docker images have them); otherwise uncomment pip (slow: torch, vllm).',
    'working_dir: .',
    '# pip: [verl[vllm]==0.7.0]',
    'env_vars:',
    `  VERL_FILE_LOGGER_PATH: ${VERL_METRICS_FILE}`,
    '  TOKENIZERS_PARALLELISM: "true"',
    '',
  ].join('\n');
}

function verlReadme(context: BundleContext, overrides: [string, string | number | boolean][], notes: string[]): string {
  const { options } = context;
  return `# ${context.datasetName} — GRPO with verl

Written by RFT Studio (\`rft train ${context.datasetName} --backend verl --bundle-only\`) from the split in
\`exports/\` (${options.split.train} train, ${options.split.valid} validation rows) and \`grader.json\`.

## Run it

On a GPU machine or the head node of a Ray cluster with verl ${VERL_REQUIREMENTS[0].split('==')[1]} (or newer) installed:

\`\`\`bash
pip install -r requirements.txt     # or use verl's Docker image
N_GPUS_PER_NODE=8 NNODES=1 bash launch.sh
\`\`\`

As a Ray job (\`rft train ${context.datasetName} --backend verl --ray-address http://<head>:8265\` does this for you):

\`\`\`bash
ray job submit --address http://<head>:8265 --runtime-env runtime_env.yaml -- bash launch.sh
\`\`\`

Extra arguments to \`launch.sh\` are more \`main_ppo\` overrides (\`trainer.total_training_steps=20\` for a short trial).

## Files

- \`train.parquet\`, \`valid.parquet\` — verl's RLHF dataset columns: \`data_source\` (\`${VERL_DATA_SOURCE}\`), \`prompt\`
  (\`[{"role", "content"}]\`, text only), \`ability\` (the topic), \`reward_model\` (\`{"style": "rule", "ground_truth":
  <reference_answer>}\`), \`extra_info\` (\`{"split", "index", "item_json"}\`; item_json is the whole RFT row, which the
  reward grades exactly as RFT Studio does).
- \`reward.py\` — the grader compiled to Python: \`compute_score(data_source, solution_str, ground_truth,
  extra_info=None, **kwargs) -> float\`.${context.reward.remote ? ' It calls `rft grader serve` (see Notes).' : ' Standard library only.'}
- \`launch.sh\` — \`python3 -m verl.trainer.main_ppo\` with:
${overrides.map(([key, value]) => `  - \`${key}=${value}\``).join('\n')}
  - \`custom_reward_function.path=reward.py\`, \`.name=compute_score\` (under \`reward.\` in verl after 0.7: the script
    checks the installed verl's config and uses the key it has)
  - \`trainer.logger=["console","file"]\`
- \`runtime_env.yaml\` — for \`ray job submit\`.
- \`requirements.txt\` — pinned: ${VERL_REQUIREMENTS.join(', ')}.

## Metrics

verl's \`file\` logger writes \`${VERL_METRICS_FILE}\` (\`VERL_FILE_LOGGER_PATH\`), one \`{"step": N, "data": {...}}\` a
line; the console logger prints \`step:N - key:value - ...\` (values may print as \`np.float64(x)\`). The train reward
is \`critic/score/mean\`, the validation reward \`val-core/${VERL_DATA_SOURCE}/reward/mean@N\`, the epoch
\`training/epoch\`.
${notes.length ? `\n## Notes\n\n${notes.map((note) => `- ${note}`).join('\n')}\n` : ''}`;
}
