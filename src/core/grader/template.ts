// Grader templates as OpenAI fills them (docs/grader.md §Semantics): `{{item.x}}`, `{{ sample.output_text }}`,
// `{{sample.output_json.a.b}}`, `{{sample.output_tools[0].function.name}}`. Only the `item` and `sample`
// namespaces exist; a missing variable is an `invalid_variable_error` that names the path.
import type { GradingPair } from './sample';

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SEGMENT = /^[A-Za-z_$][\w$-]*$/;

export class TemplateVariableError extends Error {
  readonly code = 'invalid_variable_error';
}

export type PathStep = string | number;

/** "sample.output_tools[0].function.name" → ["sample", "output_tools", 0, "function", "name"]; throws on bad syntax. */
export function parseVariablePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!match || !SEGMENT.test(match[1])) throw new TemplateVariableError(`{{${path}}}: "${part}" is not a field name`);
    steps.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  if (steps[0] !== 'item' && steps[0] !== 'sample') throw new TemplateVariableError(`{{${path}}}: only the item and sample namespaces exist`);
  if (steps.length < 2) throw new TemplateVariableError(`{{${path}}}: name a field of ${String(steps[0])}, e.g. {{${String(steps[0])}.${steps[0] === 'item' ? 'reference_answer' : 'output_text'}}}`);
  return steps;
}

/** The variable paths a template uses, in order (for validation and the editor's variable list). */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(VARIABLE)].map((match) => match[1]);
}

/** Throws TemplateVariableError for a variable outside item/sample or with bad syntax. */
export function checkTemplate(template: string): void {
  for (const path of templateVariables(template)) parseVariablePath(path);
}

export function lookup(pair: GradingPair, path: string): unknown {
  const steps = parseVariablePath(path);
  let value: unknown = steps[0] === 'item' ? pair.item : pair.sample;
  for (const [at, step] of steps.slice(1).entries()) {
    const container = value as Record<string | number, unknown> | null | undefined;
    const next = container !== null && typeof container === 'object' && Object.prototype.hasOwnProperty.call(container, step) ? container[step] : undefined;
    if (next === undefined) throw new TemplateVariableError(`{{${path}}}: ${describeMissing(steps, at + 1)} is missing`);
    value = next;
  }
  return value;
}

/**
 * Fills a template. A string value goes in as is; anything else as compact JSON (null as "null"), which is what a
 * judge prompt needs for tool calls or JSON answers.
 */
export function renderTemplate(template: string, pair: GradingPair): string {
  return template.replace(VARIABLE, (_all, path: string) => textOf(lookup(pair, path)));
}

export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function describeMissing(steps: PathStep[], upTo: number): string {
  return steps.slice(0, upTo + 1).reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${step}` : step), '');
}
