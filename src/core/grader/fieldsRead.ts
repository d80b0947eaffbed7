// The record fields a grader reads, so the split can say which rows lack them before training: a template's
// `{{item.x}}` on a row without `x` is an `invalid_variable_error` and the row scores 0 (OpenAI's graders, and
// ours); a python grader's `item["x"]` raises KeyError, a `python_grader_runtime_error` scoring 0 just the same.
// `item.get("x")` is the script's own fallback and not counted.
import type { Grader, JudgeMessage, LeafGrader } from './graderSchema';
import { parseVariablePath, templateVariables, type PathStep } from './template';

export interface FieldRead {
  /** As a template writes it: "item.reference_answer", "item.answers[0].text". */
  readonly field: string;
  /** The path below the row: ["reference_answer"], ["answers", 0, "text"]. */
  readonly steps: readonly PathStep[];
  /** The names of the graders that read it (a multi grader's keys, or the grader's name). */
  readonly graders: readonly string[];
  /** What a row without it scores with. */
  readonly error: 'invalid_variable_error' | 'python_grader_runtime_error';
}

const PYTHON_SUBSCRIPT = /\bitem\s*\[\s*(["'])([^"'\\\n]+)\1\s*\]/g;

/** The `item.` fields the grader (with script sources resolved) cannot do without, in the order first met. */
export function itemFieldsRead(grader: Grader): FieldRead[] {
  const found = new Map<string, { steps: PathStep[]; graders: string[]; error: FieldRead['error'] }>();
  const note = (field: string, steps: PathStep[], name: string, error: FieldRead['error']) => {
    const entry = found.get(field) ?? { steps, graders: [], error };
    if (!entry.graders.includes(name)) entry.graders.push(name);
    found.set(field, entry);
  };
  const leaves: [string, LeafGrader][] = grader.type === 'multi' ? Object.entries(grader.graders) : [[grader.name, grader]];
  for (const [name, leaf] of leaves) {
    for (const template of templatesOf(leaf)) {
      for (const variable of templateVariables(template)) {
        const steps = stepsOf(variable);
        if (steps) note(variable.trim(), steps, name, 'invalid_variable_error');
      }
    }
    if (leaf.type === 'python' && leaf.source !== undefined) {
      for (const match of leaf.source.matchAll(PYTHON_SUBSCRIPT)) note(`item.${match[2]}`, [match[2]], name, 'python_grader_runtime_error');
    }
  }
  return [...found].map(([field, entry]) => ({ field, ...entry }));
}

/** Whether a row has the field, as the template lookup finds it (a null value is there: it renders "null"). */
export function rowHas(row: unknown, steps: readonly PathStep[]): boolean {
  let value = row;
  for (const step of steps) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, step)) return false;
    value = (value as Record<string | number, unknown>)[step];
    if (value === undefined) return false;
  }
  return true;
}

function templatesOf(grader: LeafGrader): string[] {
  if (grader.type === 'string_check' || grader.type === 'text_similarity') return [grader.input, grader.reference];
  if (grader.type === 'score_model' || grader.type === 'label_model') return grader.input.flatMap(messageTexts);
  return [];
}

function messageTexts(message: JudgeMessage): string[] {
  if (typeof message.content === 'string') return [message.content];
  return message.content.flatMap((part) => (typeof part.text === 'string' ? [part.text] : []));
}

/** The steps below `item` of an item variable; undefined for sample variables and bad syntax (validation's job). */
function stepsOf(variable: string): PathStep[] | undefined {
  try {
    const steps = parseVariablePath(variable.trim());
    return steps[0] === 'item' ? steps.slice(1) : undefined;
  } catch {
    return undefined;
  }
}
