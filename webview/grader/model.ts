// The editor's model of a grader draft: a leaf grader as it is, or a multi grader as a list of dimensions with
// weights (so two dimensions may briefly share a name while the user types). Pure: no DOM.
import type { GraderJson, GraderKind, JudgeMessageJson, LeafGraderJson, MultiGraderJson, TemplateVariable } from '../../src/shared/graderProtocol';

export type LeafKind = LeafGraderJson['type'];

export const KIND_LABELS: Readonly<Record<GraderKind, string>> = {
  score_model: 'LLM judge (score_model)',
  label_model: 'Label judge (label_model)',
  string_check: 'String check (string_check)',
  text_similarity: 'Text similarity (text_similarity)',
  python: 'Python script (python)',
  js: 'JavaScript script (js)',
  multi: 'Multi: weighted dimensions (multi)',
};

/** What a grader.json may be at the top (label_model runs only inside multi). */
export const TOP_KINDS: readonly GraderKind[] = ['score_model', 'string_check', 'text_similarity', 'python', 'js', 'multi'];
/** What a dimension of a multi grader may be (no nested multi). */
export const DIMENSION_KINDS: readonly LeafKind[] = ['score_model', 'label_model', 'string_check', 'text_similarity', 'python', 'js'];

export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Dimension {
  name: string;
  /** What the user typed in the weight field, in percent. */
  weight: string;
  grader: LeafGraderJson;
}

export interface MultiModel {
  /** The multi grader's own keys (name, description, preset, and any we do not edit). */
  base: Omit<MultiGraderJson, 'graders' | 'calculate_output'>;
  dimensions: Dimension[];
  /** 'weights': calculate_output is generated from the weights; 'custom': the user's formula. */
  formulaMode: 'weights' | 'custom';
  customFormula: string;
}

export type EditorModel = { readonly kind: 'leaf'; grader: LeafGraderJson } | { readonly kind: 'multi'; multi: MultiModel };

export interface BlankContext {
  readonly defaultModel: string;
  readonly variables: readonly TemplateVariable[];
}

export function modelOf(grader: GraderJson): EditorModel {
  const copy = structuredClone(grader);
  if (copy.type !== 'multi') return { kind: 'leaf', grader: copy };
  const { graders, calculate_output, ...base } = copy;
  const names = Object.keys(graders);
  const weights = parseWeights(calculate_output, names);
  return {
    kind: 'multi',
    multi: {
      base,
      dimensions: names.map((name, index) => ({ name, weight: weights ? percentText(weights[index]) : '', grader: graders[name] })),
      formulaMode: weights ? 'weights' : 'custom',
      customFormula: calculate_output,
    },
  };
}

/** The grader.json object the model stands for. */
export function graderOf(model: EditorModel): GraderJson {
  if (model.kind === 'leaf') return structuredClone(model.grader);
  const { base, dimensions } = model.multi;
  return {
    ...structuredClone(base),
    type: 'multi',
    graders: Object.fromEntries(dimensions.map((dimension) => [dimension.name, { ...structuredClone(dimension.grader), name: dimension.name }])),
    calculate_output: formulaOf(model.multi),
  };
}

export function formulaOf(multi: MultiModel): string {
  if (multi.formulaMode === 'custom') return multi.customFormula;
  return formulaFromWeights(multi.dimensions.map((dimension) => [dimension.name, percentValue(dimension.weight) ?? 0]));
}

/** [["tool_selection", 40], ["tool_input", 30]] → "0.4 * tool_selection + 0.3 * tool_input". */
export function formulaFromWeights(weights: readonly (readonly [string, number])[]): string {
  return weights.map(([name, percent]) => `${decimal(percent / 100)} * ${name}`).join(' + ');
}

/**
 * The weights (percent) of a formula that is a weighted sum of every name once ("0.4 * a + 0.6 * b", "a * 0.5 +
 * b * 0.5", "a + b" for 100 % each), in the order of `names`; undefined for any other formula.
 */
export function parseWeights(formula: string, names: readonly string[]): number[] | undefined {
  let text = formula.trim();
  while (text.startsWith('(') && text.endsWith(')') && balanced(text.slice(1, -1))) text = text.slice(1, -1).trim();
  if (text === '' || /[()]/.test(text)) return undefined;
  const number = String.raw`(\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+)`;
  const name = String.raw`([A-Za-z_][A-Za-z0-9_]*)`;
  const weights = new Map<string, number>();
  for (const term of text.split('+').map((part) => part.trim())) {
    let match: RegExpExecArray | null;
    let termName: string;
    let weight: number;
    if ((match = new RegExp(`^${number}\\s*\\*\\s*${name}$`, 'i').exec(term))) [termName, weight] = [match[2], Number(match[1])];
    else if ((match = new RegExp(`^${name}\\s*\\*\\s*${number}$`, 'i').exec(term))) [termName, weight] = [match[1], Number(match[2])];
    else if ((match = new RegExp(`^${name}$`).exec(term))) [termName, weight] = [match[1], 1];
    else return undefined;
    if (weights.has(termName) || !names.includes(termName)) return undefined;
    weights.set(termName, weight);
  }
  if (weights.size !== names.length) return undefined;
  return names.map((n) => round6((weights.get(n) ?? 0) * 100));
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** A weight field's number (percent), or undefined when it is not one from 0 to 100. */
export function percentValue(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value : undefined;
}

export function percentText(percent: number): string {
  return String(round6(percent));
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function decimal(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** The variable to compare answers with: the dataset's reference answer when it has one. */
export function referenceVariable(variables: readonly TemplateVariable[]): string {
  const items = variables.filter((variable) => variable.path.startsWith('item.'));
  const preferred = ['item.reference_answer', 'item.reference', 'item.answer', 'item.expected', 'item.ground_truth'];
  return (
    preferred.find((path) => items.some((variable) => variable.path === path)) ?? items.find((variable) => !/^item\.(messages|tools|metadata)\b/.test(variable.path))?.path ?? 'item.reference_answer'
  );
}

export function blankGrader(kind: GraderKind, name: string, context: BlankContext): GraderJson {
  if (kind !== 'multi') return blankLeaf(kind, name, context);
  const reference = `{{${referenceVariable(context.variables)}}}`;
  return {
    type: 'multi',
    name,
    graders: {
      similarity: { type: 'text_similarity', name: 'similarity', input: '{{sample.output_text}}', reference, evaluation_metric: 'fuzzy_match' },
      contains: { type: 'string_check', name: 'contains', input: '{{sample.output_text}}', reference, operation: 'ilike' },
    },
    calculate_output: '0.5 * similarity + 0.5 * contains',
  };
}

export function blankLeaf(kind: LeafKind, name: string, context: BlankContext): LeafGraderJson {
  const reference = `{{${referenceVariable(context.variables)}}}`;
  switch (kind) {
    case 'score_model':
      // A reasoning judge (o1, o3, o4-mini…) takes no temperature change in OpenAI's graders.
      return {
        type: 'score_model',
        name,
        model: context.defaultModel,
        input: judgeMessages(reference),
        range: [0, 1],
        ...(/^o\d/.test(context.defaultModel) ? {} : { sampling_params: { temperature: 0 } }),
      };
    case 'label_model':
      return {
        type: 'label_model',
        name,
        model: context.defaultModel,
        input: judgeMessages(reference, 'Label the answer "correct" or "incorrect".'),
        labels: ['correct', 'incorrect'],
        passing_labels: ['correct'],
      };
    case 'string_check':
      return { type: 'string_check', name, input: '{{sample.output_text}}', reference, operation: 'eq' };
    case 'text_similarity':
      return { type: 'text_similarity', name, input: '{{sample.output_text}}', reference, evaluation_metric: 'fuzzy_match' };
    case 'python':
    case 'js':
      return { type: kind, name, file: scriptFile(kind, name) };
  }
}

function judgeMessages(reference: string, instruction = 'Score the answer from 0 (wrong or unhelpful) to 1 (correct, complete and concise).'): JudgeMessageJson[] {
  return [
    { role: 'system', content: `You grade answers of an assistant against a reference answer. ${instruction}` },
    { role: 'user', content: `Reference answer:\n${reference}\n\nAnswer to grade:\n{{sample.output_text}}` },
  ];
}

export function scriptFile(kind: 'js' | 'python', name: string): string {
  const base = name.trim().replace(/[^A-Za-z0-9_-]+/g, '_') || 'grade';
  return `graders/${base}.${kind === 'js' ? 'js' : 'py'}`;
}

/** The text of a judge message (content parts joined). */
export function messageText(message: JudgeMessageJson): string {
  return typeof message.content === 'string' ? message.content : message.content.map((part) => part.text ?? '').join('');
}

/** "tool_selection (40 %)" lines of a preset's grader, or its one kind. */
export function dimensionsOf(grader: GraderJson): string[] {
  if (grader.type !== 'multi') return [];
  const names = Object.keys(grader.graders);
  const weights = parseWeights(grader.calculate_output, names);
  return names.map((name, index) => (weights ? `${name} (${percentText(weights[index])} %)` : name));
}
