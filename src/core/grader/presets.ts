// The spec's four grader presets (docs/grader.md §Presets), each a real grader: Correctness (a judge against the reference),
// Format Compliance, Tool Usage (tool_selection 40 %, tool_input 30 %, result_usage 30 %) and Conciseness.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomicWrite';
import { GRADERS_DIR, writeGraderFile } from './graderFile';
import type { Grader } from './graderSchema';
import { DEFAULT_JUDGE_MODEL, isReasoningModel, pinnedJudgeModel } from './judgeModels';
import { COMPLETENESS_PY, FORMAT_COMPLIANCE_PY, LENGTH_PY, RESULT_USAGE_PY, TOOL_INPUT_PY, TOOL_SELECTION_PY } from './presetSources';

export const PRESET_IDS = ['correctness', 'format', 'tool-usage', 'conciseness'] as const;
export type PresetId = (typeof PRESET_IDS)[number];
export { DEFAULT_JUDGE_MODEL };

export interface BuiltPreset {
  readonly grader: Grader;
  /** Script files the grader references, by path inside the dataset. */
  readonly files: Record<string, string>;
}

export interface Preset {
  readonly title: string;
  readonly description: string;
  build(options: { model?: string }): BuiltPreset;
}

const script = (name: string) => `${GRADERS_DIR}/${name}.py`;

const CORRECTNESS_SYSTEM = [
  "You grade an AI assistant's answer against a reference answer written by an expert.",
  'Score 1 when the answer is correct and complete, 0 when it is wrong, off-topic or empty, and partial credit in between.',
  'Judge substance, not wording or length; an answer that contradicts the reference is wrong.',
  'Think in short steps, then give the score.',
].join(' ');

/** The judge against the reference; a reasoning model keeps its fixed temperature (the graders refuse a change). */
function correctness(model: string): BuiltPreset {
  return {
    grader: {
      type: 'score_model',
      name: 'correctness',
      preset: 'correctness',
      description: 'Is the answer right, judged against item.reference_answer?',
      model,
      input: [
        { role: 'system', content: CORRECTNESS_SYSTEM },
        { role: 'user', content: 'Conversation (JSON):\n{{item.messages}}\n\nReference answer:\n{{item.reference_answer}}\n\nAnswer to grade:\n{{sample.output_text}}' },
      ],
      range: [0, 1],
      ...(isReasoningModel(model) ? {} : { sampling_params: { temperature: 0 } }),
    },
    files: {},
  };
}

export const PRESETS: Record<PresetId, Preset> = {
  correctness: {
    title: 'Correctness',
    description: "An LLM judge compares the answer with the record's reference_answer (0..1, partial credit).",
    build: ({ model }) => correctness(pinnedJudgeModel(model ?? DEFAULT_JUDGE_MODEL)),
  },
  format: {
    title: 'Format Compliance',
    description: 'JSON validity and schema match (item.response_format or a JSON reference), valid tool calls, or clean prose.',
    build: () => ({
      grader: { type: 'python', name: 'format_compliance', preset: 'format', description: 'Does the answer have the shape the record expects?', file: script('format_compliance') },
      files: { [script('format_compliance')]: FORMAT_COMPLIANCE_PY },
    }),
  },
  'tool-usage': {
    title: 'Tool Usage',
    description: 'Right tools (40 %), right arguments (30 %), tool results used (30 %), against item.reference_tool_calls.',
    build: () => ({
      grader: {
        type: 'multi',
        name: 'tool_usage',
        preset: 'tool-usage',
        description: 'Calls the right tools with the right arguments and uses their results.',
        graders: {
          tool_selection: { type: 'python', name: 'tool_selection', file: script('tool_selection') },
          tool_input: { type: 'python', name: 'tool_input', file: script('tool_input') },
          result_usage: { type: 'python', name: 'result_usage', file: script('result_usage') },
        },
        calculate_output: '0.4 * tool_selection + 0.3 * tool_input + 0.3 * result_usage',
      },
      files: { [script('tool_selection')]: TOOL_SELECTION_PY, [script('tool_input')]: TOOL_INPUT_PY, [script('result_usage')]: RESULT_USAGE_PY },
    }),
  },
  conciseness: {
    title: 'Conciseness',
    description: "Short (no longer than the reference needs) and complete (covers the reference's content words), 50 / 50.",
    build: () => ({
      grader: {
        type: 'multi',
        name: 'conciseness',
        preset: 'conciseness',
        description: 'As short as it can be while still complete.',
        graders: {
          length: { type: 'python', name: 'length', file: script('length') },
          completeness: { type: 'python', name: 'completeness', file: script('completeness') },
        },
        calculate_output: '0.5 * length + 0.5 * completeness',
      },
      files: { [script('length')]: LENGTH_PY, [script('completeness')]: COMPLETENESS_PY },
    }),
  },
};

export function isPresetId(value: string): value is PresetId {
  return (PRESET_IDS as readonly string[]).includes(value);
}

/**
 * Writes a preset's grader.json and its script files. An existing script file is kept (it may hold the user's edits)
 * unless `overwrite`; an existing grader.json is replaced only with `overwrite`.
 */
export async function initGrader(dir: string, preset: PresetId, options: { model?: string; overwrite?: boolean } = {}): Promise<Grader> {
  const built = PRESETS[preset].build(options);
  if (!options.overwrite && fs.existsSync(path.join(dir, 'grader.json'))) throw new Error(`${path.join(dir, 'grader.json')} exists: pass --force to replace it`);
  for (const [file, source] of Object.entries(built.files)) {
    const full = path.join(dir, file);
    if (!options.overwrite && fs.existsSync(full)) continue;
    await fs.promises.mkdir(path.dirname(full), { recursive: true });
    await writeFileAtomic(full, source);
  }
  await writeGraderFile(dir, built.grader);
  return built.grader;
}
