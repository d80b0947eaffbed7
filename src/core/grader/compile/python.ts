// grader.json → a Python reward module for the open RL engines (docs/grader.md §Compilation): TRL's `reward(completions, **kwargs)`
// and verl's `compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs)`. Deterministic
// kinds and `python` graders become standard-library Python that scores exactly like our engine; `js` graders,
// judges and cosine similarity are scored by `rft grader serve` over HTTP.
import { describeGrader } from '../describe';
import { parseFormula } from '../formula';
import { resolveFiles } from '../graderFile';
import type { Grader, LeafGrader } from '../graderSchema';
import { PYTHON_METRICS_SOURCE } from '../metrics/pythonMetrics';
import { readsOutputJson } from '../responseFormat';
import { PYTHON_RUNTIME_SOURCE } from './pythonRuntime';

export const PYTHON_TARGETS = ['trl', 'verl'] as const;
export type PythonTarget = (typeof PYTHON_TARGETS)[number];
export const DEFAULT_REWARD_SERVER = 'http://127.0.0.1:8787';

export interface PythonCompilation {
  readonly source: string;
  /** True when scoring needs `rft grader serve` (js graders, judges, cosine). */
  readonly remote: boolean;
  readonly notes: string[];
}

export interface PythonRewardOptions {
  readonly baseDir: string;
  readonly target: PythonTarget;
  readonly rewardServerUrl?: string;
  /** The dataset's settings.train.responseFormat is set: every answer has a response format (else only rows with their own). */
  readonly datasetResponseFormat?: boolean;
}

export async function compilePythonReward(grader: Grader, options: PythonRewardOptions): Promise<PythonCompilation> {
  const resolved = await resolveFiles(grader, options.baseDir);
  const leaves = resolved.type === 'multi' ? Object.entries(resolved.graders) : [[resolved.name, resolved] as const];
  const remoteLeaves = leaves.filter(([, leaf]) => needsServer(leaf)).map(([name]) => name);
  const remote = remoteLeaves.length > 0;
  const notes = remote
    ? [
        `${remoteLeaves.join(', ')} ${remoteLeaves.length === 1 ? 'needs' : 'need'} rft grader serve (js graders, judges and cosine similarity are not compiled): start it where the trainer can reach it and set RFT_REWARD_SERVER (default ${options.rewardServerUrl ?? DEFAULT_REWARD_SERVER}).`,
      ]
    : [];
  if (!options.datasetResponseFormat && readsOutputJson(resolved)) notes.push(OUTPUT_JSON_NOTE);
  const formula = resolved.type === 'multi' ? parseFormula(resolved.calculate_output).toPython() : 'scores[GRADER["name"]]';
  const source = [
    header(resolved, options.target, remote),
    'import os',
    PYTHON_METRICS_SOURCE.trim(),
    PYTHON_RUNTIME_SOURCE.trim(),
    `GRADER = json.loads(${JSON.stringify(JSON.stringify(resolved))})`,
    `REMOTE = ${remote ? 'True' : 'False'}`,
    `DATASET_RESPONSE_FORMAT = ${options.datasetResponseFormat ? 'True' : 'False'}`,
    `REWARD_SERVER = os.environ.get("RFT_REWARD_SERVER", ${JSON.stringify(options.rewardServerUrl ?? DEFAULT_REWARD_SERVER)})`,
    SCORING_SOURCE.replace('__FORMULA__', formula).trim(),
    (options.target === 'trl' ? TRL_ENTRY : VERL_ENTRY).trim(),
  ].join('\n\n\n');
  return { source: `${source}\n`, remote, notes };
}

const OUTPUT_JSON_NOTE =
  "grader.json reads sample.output_json, which exists only where a response format applies (rft.json settings.train.responseFormat, or the row's own response_format): rows without one score 0, as in the dry run and on OpenAI.";

function needsServer(grader: LeafGrader): boolean {
  return grader.type === 'js' || grader.type === 'score_model' || grader.type === 'label_model' || (grader.type === 'text_similarity' && grader.evaluation_metric === 'cosine');
}

function header(grader: Grader, target: PythonTarget, remote: boolean): string {
  const entry =
    target === 'trl'
      ? 'reward(completions, **kwargs) -> list[float]  (GRPOTrainer reward_funcs)'
      : 'compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs) -> float  (reward.custom_reward_function)';
  return [
    `"""Reward for ${target === 'trl' ? 'TRL' : 'verl'}, compiled by RFT Studio from grader.json — do not edit; run \`rft grader export\` again.`,
    '',
    `Grader: ${grader.name} (${describeGrader(grader)}).`,
    `Entry point: ${entry}.`,
    remote ? 'Scored by rft grader serve at RFT_REWARD_SERVER (RFT_REWARD_TOKEN when it has a token).' : "Standard library only; scores exactly as RFT Studio's own engine does.",
    '"""',
  ].join('\n');
}

const SCORING_SOURCE = String.raw`
def _leaf(grader, pair):
    kind = grader["type"]
    if kind == "string_check":
        return _string_check(grader["operation"], render(grader["input"], pair), render(grader["reference"], pair))
    if kind == "text_similarity":
        return similarity(grader["evaluation_metric"], render(grader["input"], pair), render(grader["reference"], pair))
    if kind == "python":
        return _python_grade(grader["source"], pair["sample"], pair["item"])
    raise GraderError("other_error", "%s graders are scored by rft grader serve" % kind)


def _formula(scores):
    return __FORMULA__


def grade_pair(pair):
    """The reward of one {"item", "sample"} pair; a grader that fails scores 0, as in RFT Studio."""
    if GRADER["type"] != "multi":
        try:
            return _leaf(GRADER, pair)
        except Exception:
            return 0.0
    scores = {}
    for name, sub in GRADER["graders"].items():
        try:
            scores[name] = _leaf(sub, pair)
        except Exception:
            scores[name] = 0.0
    try:
        value = float(_formula(scores))
    except Exception:
        return 0.0
    return value if math.isfinite(value) else 0.0


def platform_pair(pair):
    """sample.output_json exists only where a response format applies (the dataset's or the row's), as on OpenAI's
    platform and in RFT Studio's dry run, so training scores what the dry run scored."""
    if not (DATASET_RESPONSE_FORMAT or isinstance(pair["item"].get("response_format"), dict)):
        pair["sample"].pop("output_json", None)
    return pair


def grade_pairs(pairs):
    if REMOTE:
        return score_remote(REWARD_SERVER, pairs, os.environ.get("RFT_REWARD_TOKEN"))
    return [grade_pair(pair) for pair in pairs]
`;

const TRL_ENTRY = String.raw`
_TRL_ARGUMENTS = {"prompts", "completions", "completion_ids", "trainer_state", "log_extra", "log_metric"}


def _trl_item(index, prompts, columns):
    if "item_json" in columns:
        return json.loads(columns["item_json"][index])
    item = {key: values[index] for key, values in columns.items() if key not in _TRL_ARGUMENTS and isinstance(values, list)}
    if prompts is not None:
        item["messages"] = prompts[index]
    return item


def _trl_sample(completion):
    if isinstance(completion, str):
        return to_sample(completion)
    message = completion[-1] if completion else {}
    content = message.get("content") or ""
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return to_sample(content, message.get("tool_calls"))


def reward(completions, prompts=None, **kwargs):
    """TRL GRPOTrainer reward function: one float per completion."""
    pairs = [platform_pair({"item": _trl_item(i, prompts, kwargs), "sample": _trl_sample(c)}) for i, c in enumerate(completions)]
    return grade_pairs(pairs)
`;

const VERL_ENTRY = String.raw`
def _verl_item(ground_truth, extra_info):
    if isinstance(extra_info, dict):
        if isinstance(extra_info.get("item_json"), str):
            return json.loads(extra_info["item_json"])
        if isinstance(extra_info.get("item"), dict):
            return extra_info["item"]
    return {"reference_answer": ground_truth}


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl custom reward function: the reward of one response."""
    return grade_pairs([platform_pair({"item": _verl_item(ground_truth, extra_info), "sample": to_sample(solution_str)})])[0]
`;
