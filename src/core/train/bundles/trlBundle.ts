// exports/trl/: GRPO with TRL on one machine. train.jsonl / valid.jsonl rows are {"prompt": [{role, content}],
// "item_json": "<the RFT row>", <grader fields as string columns>}; reward.py is the compiled grader (TRL entry
// `reward(completions, prompts=None, **kwargs)`, which grades item_json); train_grpo.py + settings.json + launch.sh.
import { BundleError, numberSetting, shellQuote, type BundleContext, type Hyperparameters } from './bundleSupport';
import { PromptTally, readRows, toEngineRow } from './engineRows';
import { GRPO_CONFIG_FIELDS } from './trlConfigFields';
import { TRL_METRICS_FILE } from './trlMetrics';
import { TRAIN_GRPO_SOURCE } from './trlScript';

/** Column names TRL gives a meaning (or passes to rewards itself): grader fields by these names stay in item_json only. */
const RESERVED_COLUMNS = new Set([
  'prompt',
  'completion',
  'completion_ids',
  'item_json',
  'prompts',
  'completions',
  'trainer_state',
  'log_extra',
  'log_metric',
  'environments',
  'image',
  'images',
  'tools',
]);

/** Pinned for the GRPOConfig / GRPOTrainer arguments the script uses (TRL 1.9.0 needs transformers ≥ 4.56.2, datasets ≥ 4.7). */
export const TRL_REQUIREMENTS = ['trl==1.9.0', 'transformers==4.57.1', 'accelerate==1.10.1', 'datasets==4.7.0', 'torch==2.8.0'];

/** The common setting names (the CLI's --n-epochs, hosted RFT's names) that have a GRPOConfig counterpart. */
const ALIASES: Record<string, string> = { n_epochs: 'num_train_epochs', batch_size: 'per_device_train_batch_size' };
/** Hosted RFT settings with no TRL meaning: refused with what to use instead, never dropped in silence. */
const HOSTED_ONLY: Record<string, string> = { learning_rate_multiplier: 'learning_rate', eval_interval: 'eval_steps', eval_samples: '', compute_multiplier: '', reasoning_effort: '' };
const TRL_VERSION = TRL_REQUIREMENTS[0].replace('trl==', '');

export async function writeTrlBundle(context: BundleContext) {
  const { options } = context;
  const config = grpoConfig(context.settings, options.split.options.seed);
  const columns = new Set<string>();
  for (const file of [options.split.files.train, options.split.files.valid]) {
    for await (const row of readRows(file)) for (const key of Object.keys(row)) if (key !== 'messages' && !RESERVED_COLUMNS.has(key)) columns.add(key);
  }
  const tally = new PromptTally();
  for (const [name, file] of [
    ['train.jsonl', options.split.files.train],
    ['valid.jsonl', options.split.files.valid],
  ] as const) {
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
    const name = Object.hasOwn(ALIASES, key) ? ALIASES[key] : key;
    checkSettingName(key, name);
    config[name] = value;
  }
  if (config.remove_unused_columns === true) throw new BundleError('settings.train.trl: remove_unused_columns must stay false: the reward reads the item_json column, which TRL would drop');
  if (config.bf16 === true && config.fp16 === true)
    throw new BundleError('settings.train.trl: bf16 and fp16 cannot both be true (leave both out: train_grpo.py picks bf16 where the GPU has it, fp16 on older GPUs)');
  const generations = numberSetting(config, ['num_generations'], 4);
  const batch = numberSetting(config, ['per_device_train_batch_size'], 4) * numberSetting(config, ['gradient_accumulation_steps'], 1);
  if (batch % generations !== 0)
    throw new BundleError(
      `per_device_train_batch_size × gradient_accumulation_steps (${batch}) must be a multiple of num_generations (${generations}): TRL groups each prompt's ${generations} completions in one batch`,
    );
  if (settings.per_device_eval_batch_size === undefined) config.per_device_eval_batch_size = generations;
  numberSetting(config, ['learning_rate'], 1e-6, false);
  numberSetting(config, ['max_completion_length'], 512);
  return config;
}

/** A setting GRPOConfig does not take (a typo, a hosted RFT name) is refused before anything runs, with the likely name. */
function checkSettingName(key: string, name: string): void {
  if (GRPO_CONFIG_FIELDS.has(name)) return;
  const where = `settings.train.trl (rft.json): unknown key "${key}"`;
  if (Object.hasOwn(HOSTED_ONLY, key))
    throw new BundleError(`${where}: a hosted RFT setting that TRL does not have${HOSTED_ONLY[key] ? ` (TRL's nearest is the GRPOConfig argument ${HOSTED_ONLY[key]})` : ''}`);
  const near = closestName(key, [...GRPO_CONFIG_FIELDS, ...Object.keys(ALIASES)]);
  throw new BundleError(`${where}: not a GRPOConfig argument in trl ${TRL_VERSION}${near ? ` — did you mean ${near}?` : ' (GRPOConfig and TrainingArguments names, or n_epochs, batch_size)'}`);
}

/** The candidate nearest to `name` by edit distance, when near enough to be a typo of it. */
function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The command that makes the bundle's own environment, said wherever accelerate is missing. */
export const TRL_VENV_COMMAND = 'python3 -m venv .venv && .venv/bin/pip install -r requirements.txt';

function launchScript(): string {
  return [
    '#!/usr/bin/env bash',
    '# GRPO with TRL on this machine (written by RFT Studio). Arguments are GRPOConfig overrides for this run, read by',
    '# train_grpo.py (an unknown name stops it with exit 2), e.g.',
    '#   bash launch.sh --max_steps 20 --learning_rate 2e-6',
    "# accelerate's own options go in ACCELERATE_ARGS, e.g.",
    '#   ACCELERATE_ARGS="--num_processes 2" bash launch.sh',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    "# The bundle's own environment (.venv here) when there is one: a run started from VS Code has no venv active.",
    'if [ -d .venv/bin ]; then',
    '  export VIRTUAL_ENV="$PWD/.venv"',
    '  export PATH="$VIRTUAL_ENV/bin:$PATH"',
    'fi',
    'if ! command -v accelerate >/dev/null 2>&1; then',
    `  echo "launch.sh: accelerate is not installed ($([ -d .venv/bin ] && echo 'not in .venv' || echo 'no .venv here') and not on PATH); make the bundle's environment once, in $PWD: ${TRL_VENV_COMMAND}" >&2`,
    '  exit 127',
    'fi',
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
${TRL_VENV_COMMAND}   # once: the bundle's own environment
bash launch.sh   # = accelerate launch train_grpo.py, with .venv/bin first on PATH
\`\`\`

\`launch.sh\` uses \`.venv\` (in this folder) by itself, so it also runs from a shell with no environment active (as
RFT Studio starts it); without \`.venv\` it uses the \`accelerate\` on PATH, and without one it stops (exit 127) saying
the line above.

Precision is chosen when the run starts: bf16 on a GPU that has it (Ampere or newer), fp16 on an older CUDA GPU,
fp32 without CUDA; \`bf16\` or \`fp16\` in \`settings.json\` overrides that.

One run's overrides: GRPOConfig arguments after \`launch.sh\` (\`bash launch.sh --max_steps 20 --learning_rate 2e-6\`;
values are JSON where they parse, text otherwise; an unknown name stops the run with exit 2 before the model loads),
\`RFT_MODEL=<id or path>\`, \`RFT_MAX_STEPS=20\` (a short trial), \`RFT_OUTPUT_DIR=<dir>\`,
\`ACCELERATE_ARGS="--num_processes 2"\` (accelerate's options: more GPUs). The tuned model is saved to
\`${config.output_dir}/\` (checkpoints as \`${config.output_dir}/checkpoint-<step>\`).

## Files

- \`train.jsonl\`, \`valid.jsonl\` — one row a line: \`prompt\` (the conversation as \`[{"role", "content"}]\`, text
  only), \`item_json\` (the whole RFT row, which the reward grades exactly as RFT Studio does)${columns.length ? `, and the grader fields as text columns: ${columns.map((c) => `\`${c}\``).join(', ')}` : ''}.
- \`reward.py\` — the grader compiled to Python: \`reward(completions, prompts=None, **kwargs) -> list[float]\`
  (TRL passes \`prompts\`, \`completions\`, \`completion_ids\`, \`trainer_state\`, \`log_extra\`, \`log_metric\` and every
  dataset column but \`prompt\` as keyword arguments).${context.reward.remote ? ' It calls `rft grader serve` (see Notes).' : ' Standard library only.'}
- \`train_grpo.py\` — \`GRPOTrainer\` with \`GRPOConfig(**settings.json["config"])\`.
- \`settings.json\` — the base model (\`${options.model}\`) and the GRPOConfig arguments:
  ${Object.entries(config)
    .map(([k, v]) => `\`${k}=${JSON.stringify(v)}\``)
    .join(', ')}.
  per_device_train_batch_size × gradient_accumulation_steps × GPUs must be a multiple of num_generations.
- \`requirements.txt\` — pinned: ${TRL_REQUIREMENTS.join(', ')}.
- \`launch.sh\` — \`accelerate launch train_grpo.py\` in \`.venv\` when there is one; its arguments go to train_grpo.py.

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
