// What the form checks before it lets a grader be saved, each problem at its field ("dimension.1.weight"). The
// host checks again with grader.json's real schema; this is so the user sees where, while typing.
import type { LeafGraderJson } from '../../src/shared/graderProtocol';
import { NAME_PATTERN, percentValue, type EditorModel } from './model';

/** A problem with one field of the form; `field` is the field's data-field key. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** Problems of numbers the user typed that the model cannot hold (e.g. "abc" as a temperature), by field. */
export type InputErrors = ReadonlyMap<string, string>;

export function validateModel(model: EditorModel, inputErrors: InputErrors = new Map()): FieldError[] {
  const errors: FieldError[] = [...inputErrors].map(([field, message]) => ({ field, message }));
  if (model.kind === 'leaf') {
    if (model.grader.name.trim() === '') errors.push({ field: 'name', message: 'Give the grader a name.' });
    errors.push(...leafErrors(model.grader, '', 'The grader'));
    return dedupe(errors);
  }
  const { multi } = model;
  if (multi.base.name.trim() === '') errors.push({ field: 'name', message: 'Give the grader a name.' });
  if (multi.dimensions.length === 0) errors.push({ field: 'dimensions', message: 'Add at least one dimension.' });
  const seen = new Map<string, number>();
  multi.dimensions.forEach((dimension, index) => {
    const at = `dimension.${index}.`;
    const label = `Dimension ${index + 1}${dimension.name ? ` "${dimension.name}"` : ''}`;
    if (!NAME_PATTERN.test(dimension.name)) errors.push({ field: `${at}name`, message: `${label}: the name must be letters, digits and _ (not starting with a digit): the formula uses it.` });
    else if (seen.has(dimension.name)) errors.push({ field: `${at}name`, message: `${label}: "${dimension.name}" is already dimension ${(seen.get(dimension.name) ?? 0) + 1}.` });
    else seen.set(dimension.name, index);
    if (multi.formulaMode === 'weights' && percentValue(dimension.weight) === undefined) {
      errors.push({ field: `${at}weight`, message: `${label}: the weight must be a percent from 0 to 100.` });
    }
    errors.push(...leafErrors(dimension.grader, at, label));
  });
  if (multi.formulaMode === 'weights' && multi.dimensions.length > 0 && multi.dimensions.every((dimension) => percentValue(dimension.weight) !== undefined)) {
    const sum = multi.dimensions.reduce((total, dimension) => total + (percentValue(dimension.weight) ?? 0), 0);
    if (Math.abs(sum - 100) > 0.01) {
      const parts = multi.dimensions.map((dimension) => `${dimension.name || '?'} ${dimension.weight.trim()} %`).join(' + ');
      errors.push({ field: 'weights', message: `Weights add up to ${Math.round(sum * 100) / 100} % (${parts}): they must add up to 100 %.` });
    }
  }
  if (multi.formulaMode === 'custom' && multi.customFormula.trim() === '') errors.push({ field: 'formula', message: 'Write the formula (calculate_output) over the dimensions’ names.' });
  return dedupe(errors);
}

function leafErrors(grader: LeafGraderJson, at: string, label: string): FieldError[] {
  const errors: FieldError[] = [];
  switch (grader.type) {
    case 'score_model':
    case 'label_model':
      if (grader.model.trim() === '') errors.push({ field: `${at}model`, message: `${label}: name the judge model.` });
      if (grader.input.length === 0) errors.push({ field: `${at}messages`, message: `${label}: the judge needs at least one message.` });
      if (grader.type === 'score_model' && grader.range && !(grader.range[0] < grader.range[1])) errors.push({ field: `${at}range`, message: `${label}: the range needs min < max.` });
      if (grader.type === 'score_model') {
        const temperature = grader.sampling_params?.temperature;
        if (temperature != null && (temperature < 0 || temperature > 2)) errors.push({ field: `${at}temperature`, message: `${label}: temperature goes from 0 to 2.` });
      }
      if (grader.type === 'label_model') {
        if (grader.labels.length === 0) errors.push({ field: `${at}labels`, message: `${label}: list the labels, separated by commas.` });
        if (grader.passing_labels.length === 0) errors.push({ field: `${at}passing_labels`, message: `${label}: name at least one passing label.` });
        const unknown = grader.passing_labels.filter((passing) => !grader.labels.includes(passing));
        if (unknown.length > 0) errors.push({ field: `${at}passing_labels`, message: `${label}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the labels.` });
      }
      break;
    case 'string_check':
    case 'text_similarity':
      if (grader.input.trim() === '') errors.push({ field: `${at}input`, message: `${label}: the input template is empty.` });
      if (grader.reference.trim() === '') errors.push({ field: `${at}reference`, message: `${label}: the reference template is empty.` });
      break;
    case 'python':
    case 'js': {
      if (grader.source !== undefined) break;
      const file = (grader.file ?? '').trim();
      const extension = grader.type === 'js' ? '.js' : '.py';
      if (!/^graders\/[A-Za-z0-9_.-]+$/.test(file) || file.includes('..')) errors.push({ field: `${at}file`, message: `${label}: the script lives in graders/, e.g. graders/grade${extension}.` });
      else if (!file.endsWith(extension)) errors.push({ field: `${at}file`, message: `${label}: a ${grader.type === 'js' ? 'JavaScript' : 'Python'} grader's file ends in ${extension}.` });
      break;
    }
  }
  return errors;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.field}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
