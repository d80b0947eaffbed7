// exports/trl/: GRPO with TRL on one machine. train.jsonl / valid.jsonl rows are {"prompt": [{role, content}],
// "item_json": "<the RFT row>", <grader fields as string columns>}; reward.py is the compiled grader (TRL entry
// `reward(completions, prompts=None, **kwargs)`, which grades item_json); train_grpo.py + settings.json + launch.sh.
import { BundleError, numberSetting, shellQuote, type BundleContext, type Hyperparameters } from './bundleSupport';
import { PromptTally, readRows, toEngineRow } from './engineRows';
import { TRL_METRICS_FILE } from './trlMetrics';
import { TRAIN_GRPO_SOURCE } from './trlScript';

/** Column names TRL gives a meaning (or passes to rewards itself): grader fields by these names stay in item_json only. */
const RESERVED_COLUMNS = new Set(['prompt', 'completion', 'completion_ids', 'item_json', 'prompts', 'completions', 'trainer_state', 'log_extra', 'log_metric', 'environments', 'image', 'images', 'tools']);

/** Pinned for the GRPOConfig / GRPOTrainer arguments the script uses (TRL 1.9.0 needs transformers ≥ 4.56.2, datasets ≥ 4.7). */
export const TRL_REQUIREMENTS = ['trl==1.9.0', 'transformers==4.57.1', 'accelerate==1.10.1', 'datasets==4.7.0', 'torch==2.8.0'];

const ALIASES: Record<string, string> = { n_epochs: 'num_train_epochs', batch_size: 'per_device_train_batch_size', learning_rate_multiplier: '', seed: 'seed' };

export async function writeTrlBundle(context: BundleContext) {
  const { options } = context;
  const config = grpoConfig(context.settings, options.split.options.seed);
  const columns = new Set<string>();
  for (const file of [options.split.files.train, options.split.files.valid]) {
    for await (const row of readRows(file)) for (const key of Object.keys(row)) if (key !== 'messages' && !RESERVED_COLUMNS.has(key)) columns.add(key);
  }
  const tally = new PromptTally();
  for (const [name, file] of [['train.jsonl', options.split.files.train], ['valid.jsonl', options.split.files.valid]] as const) {
    await context.write(name, async (write) => {
      for await (const row of readRows(file)) {
        const engineRow = toEngineRow(row, tally);
        const line: Record<string, unknown> = { prompt: engineRow.prompt, item_json: engineRow.itemJson };
        for (const column of columns) {
          const value = engineRow.graderFields[column];
          line[column] = value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
        }
        await write(`${JSON.stringify(line)}\n`);
      }
    });
  }
  const settings = { model: options.model, config };
  const notes = [...context.reward.notes, ...tally.lines()];
  await context.write('reward.py', context.reward.source);
  await context.write('train_grpo.py', TRAIN_GRPO_SOURCE);
  await context.write('settings.json', `${JSON.stringify(settings, null, 2)}\n`);
  await context.write('requirements.txt', `${TRL_REQUIREMENTS.join('\n')}\n`);
  await context.write('launch.sh', launchScript());
  const readme = trlReadme(context, config, [...columns], notes);
  await context.write('README.md', readme);
  return { readme, notes, settings: { model: options.model, ...config } };
}

/** GRPOConfig arguments: defaults < settings (GRPOConfig names or aliases); checked where TRL would fail late. */
export function grpoConfig(settings: Hyperparameters, seed: number): Record<string, string | number | boolean> {
  const config: Record<string, string | number | boolean> = {
    output_dir: 'output',
    learning_rate: 1e-6,
    num_generations: 4,
    per_device_train_batch_size: 4,
    per_device_eval_batch_size: 4,
    gradient_accumulation_steps: 1,
    num_train_epochs: 1,
    max_completion_length: 512,
    logging_steps: 1,
    eval_strategy: 'steps',
    eval_steps: 50,
    save_strategy: 'steps',
    save_steps: 200,
    report_to: 'none',
    seed,
  };
  for (const [key, value] of Object.entries(settings)) {
    const name = key in ALIASES ? ALIASES[key] : key;
    if (name === '') continue; // hosted-only settings (learning_rate_multiplier) have no TRL counterpart
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new BundleError(`"${key}" is not a GRPOConfig argument name`);
    config[name] = value;
  }
  const generations = numberSetting(config, ['num_generations'], 4);
  const batch = numberSetting(config, ['per_device_train_batch_size'], 4) * numberSetting(config, ['gradient_accumulation_steps'], 1);
  if (batch % generations !== 0) throw new BundleError(`per_device_train_batch_size × gradient_accumulation_steps (${batch}) must be a multiple of num_generations (${generations}): TRL groups each prompt's ${generations} completions in one batch`);
  if (settings.per_device_eval_batch_size === undefined) config.per_device_eval_batch_size = generations;
  numberSetting(config, ['learning_rate'], 1e-6, false);
  numberSetting(config, ['max_completion_length'], 512);
  return config;
}

function launchScript(): string {
  return [
    '#!/usr/bin/env bash',
    '# GRPO with TRL on this machine (written by RFT Studio). Extra arguments go to accelerate launch, e.g.',
    '#   ACCELERATE_ARGS="--num_processes 2" bash launch.sh',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    '# shellcheck disable=SC2086',
    'exec accelerate launch ${ACCELERATE_ARGS:-} train_grpo.py "$@"',
    '',
  ].join('\n');
}

function trlReadme(context: BundleContext, config: Record<string, string | number | boolean>, columns: string[], notes: string[]): string {
  const { options } = context;
  return `# ${context.datasetName} — GRPO with TRL

Written by RFT Studio (\`rft train ${context.datasetName} --backend trl --bundle-only\`) from the split in
\`exports/\` (${options.split.train} train, ${options.split.valid} validation rows) and \`grader.json\`.

## Run it

On a machine with a GPU (Python 3.10+):

\`\`\`bash
python3 -m venv .venv && . .venv/bin/activate
pip install -r requirements.txt
bash launch.sh                      # = accelerate launch train_grpo.py
\`\`\`

One run's overrides: \`RFT_MODEL=<id or path>\`, \`RFT_MAX_STEPS=20\` (a short trial), \`RFT_OUTPUT_DIR=<dir>\`,
\`ACCELERATE_ARGS="--num_processes 2"\` (more GPUs). The tuned model is saved to \`${config.output_dir}/\`
(checkpoints as \`${config.output_dir}/checkpoint-<step>\`).

## Files

- \`train.jsonl\`, \`valid.jsonl\` — one row a line: \`prompt\` (the conversation as \`[{"role", "content"}]\`, text
  only), \`item_json\` (the whole RFT row, which the reward grades exactly as RFT Studio does)${columns.length ? `, and the grader fields as text columns: ${columns.map((c) => `\`${c}\``).join(', ')}` : ''}.
- \`reward.py\` — the grader compiled to Python: \`reward(completions, prompts=None, **kwargs) -> list[float]\`
  (TRL passes every dataset column as a keyword argument).${context.reward.remote ? ' It calls `rft grader serve` (see Notes).' : ' Standard library only.'}
- \`train_grpo.py\` — \`GRPOTrainer\` with \`GRPOConfig(**settings.json["config"])\`.
- \`settings.json\` — the base model (\`${options.model}\`) and the GRPOConfig arguments:
  ${Object.entries(config).map(([k, v]) => `\`${k}=${JSON.stringify(v)}\``).join(', ')}.
  per_device_train_batch_size × gradient_accumulation_steps × GPUs must be a multiple of num_generations.
- \`requirements.txt\` — pinned: ${TRL_REQUIREMENTS.join(', ')}.
- \`launch.sh\` — \`accelerate launch train_grpo.py\`.

## Metrics

Every log goes to \`${TRL_METRICS_FILE}\` (RFT Studio's monitor reads it), one JSON object a line:

\`\`\`json
{"step": 12, "epoch": 0.4, "total_steps": 30, "time": "2026-12-01T22:16:04Z", "kind": "train",
 "metrics": {"reward": 0.52, "reward_std": 0.21, "frac_reward_zero_std": 0.1, "rewards/reward/mean": 0.52, "loss": 0.01}}
\`\`\`

\`kind\` is \`train\`, \`eval\` (keys prefixed \`eval_\`, e.g. \`eval_reward\`) or \`end\` (the last line). Values
that are not finite are \`null\`.
${notes.length ? `\n## Notes\n\n${notes.map((note) => `- ${note}`).join('\n')}\n` : ''}
Launch command: ${['bash', 'launch.sh'].map(shellQuote).join(' ')}
`;
}
