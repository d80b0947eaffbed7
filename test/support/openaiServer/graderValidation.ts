// The shape checks of /fine_tuning/alpha/graders/validate, also applied to the grader of a reinforcement job.
import { invalidRequest, invalidType, invalidValue, missingParameter } from './errors';
import { FormulaError, parseFormula } from './formula';
import { invalidTemplateVariable } from './graderTemplates';
import { ALL_METRICS } from './textSimilarity';
import { isRecord, type JsonObject } from './validation';

const TOP_LEVEL_TYPES = ['string_check', 'text_similarity', 'score_model', 'python', 'multi'];
const MESSAGE_ROLES = ['user', 'assistant', 'system', 'developer'];

export function validateGrader(grader: unknown, param = 'grader', insideMulti = false): JsonObject {
  if (grader === undefined || grader === null) throw missingParameter(param);
  if (!isRecord(grader)) throw invalidType(param, 'an object');
  requireText(grader, 'name', param);
  switch (grader.type) {
    case 'string_check':
      requireTemplate(grader, 'input', param);
      requireTemplate(grader, 'reference', param);
      requireOneOf(grader, 'operation', ['eq', 'ne', 'like', 'ilike'], param);
      break;
    case 'text_similarity':
      requireTemplate(grader, 'input', param);
      requireTemplate(grader, 'reference', param);
      requireOneOf(grader, 'evaluation_metric', ALL_METRICS, param);
      break;
    case 'score_model':
      validateModelGrader(grader, param);
      validateRange(grader.range, `${param}.range`);
      if (grader.sampling_params !== undefined && grader.sampling_params !== null && !isRecord(grader.sampling_params)) {
        throw invalidType(`${param}.sampling_params`, 'an object');
      }
      break;
    case 'label_model':
      if (!insideMulti) throw unsupportedType(grader.type, param);
      validateModelGrader(grader, param);
      validateLabels(grader, param);
      break;
    case 'python':
      requireText(grader, 'source', param);
      // The API loads the source and calls grade(sample, item); a source without it can never score.
      if (!/^\s*def\s+grade\s*\(/m.test(grader.source as string)) {
        throw invalidRequest(`Invalid python grader '${String(grader.name)}': the source must define a function 'grade(sample, item)'.`, `${param}.source`);
      }
      if (grader.image_tag !== undefined && typeof grader.image_tag !== 'string') throw invalidType(`${param}.image_tag`, 'a string');
      break;
    case 'multi':
      if (insideMulti) throw invalidRequest('Multi graders cannot be nested inside a multi grader.', `${param}.type`);
      validateMultiGrader(grader, param);
      break;
    default:
      throw unsupportedType(grader.type, param);
  }
  return grader;
}

/** The sub-graders of a multi grader by name; the SDK declares a single grader, the API takes a map of them. */
export function subGraders(multi: JsonObject): Record<string, JsonObject> {
  const graders = multi.graders;
  if (isRecord(graders) && typeof graders.type === 'string') return { [String(graders.name)]: graders };
  return isRecord(graders) ? (graders as Record<string, JsonObject>) : {};
}

function validateMultiGrader(grader: JsonObject, param: string): void {
  requireText(grader, 'calculate_output', param);
  if (!isRecord(grader.graders)) throw invalidType(`${param}.graders`, 'an object mapping names to graders');
  const graders = subGraders(grader);
  if (Object.keys(graders).length === 0) throw invalidValue(`${param}.graders`, 'a multi grader needs at least one grader.');
  for (const [name, sub] of Object.entries(graders)) validateGrader(sub, `${param}.graders.${name}`, true);
  let variables: ReadonlySet<string>;
  try {
    variables = parseFormula(grader.calculate_output as string).variables;
  } catch (error) {
    if (error instanceof FormulaError) throw invalidRequest(error.message, `${param}.calculate_output`, 'invalid_formula');
    throw error;
  }
  const unknown = [...variables].find((name) => !(name in graders));
  if (unknown !== undefined) {
    throw invalidRequest(`calculate_output references '${unknown}', which is not one of the graders (${Object.keys(graders).join(', ')}).`, `${param}.calculate_output`, 'invalid_formula');
  }
}

function validateModelGrader(grader: JsonObject, param: string): void {
  requireText(grader, 'model', param);
  if (!Array.isArray(grader.input) || grader.input.length === 0) throw invalidValue(`${param}.input`, 'expected a non-empty array of messages.');
  grader.input.forEach((message, index) => {
    const at = `${param}.input[${index}]`;
    if (!isRecord(message)) throw invalidType(at, 'an object');
    if (typeof message.role !== 'string' || !MESSAGE_ROLES.includes(message.role)) throw invalidValue(`${at}.role`, `expected one of ${MESSAGE_ROLES.join(', ')}.`);
    if (typeof message.content === 'string') checkTemplate(message.content, `${at}.content`);
    else if (!isRecord(message.content) && !Array.isArray(message.content)) throw invalidType(`${at}.content`, 'a string, a content part or an array of content parts');
  });
}

function validateRange(range: unknown, param: string): void {
  if (range === undefined || range === null) return;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((bound) => typeof bound === 'number') || range[0] >= range[1]) {
    throw invalidValue(param, 'expected [min, max] with min < max.');
  }
}

function validateLabels(grader: JsonObject, param: string): void {
  const labels = grader.labels;
  const passing = grader.passing_labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((label) => typeof label === 'string')) throw invalidValue(`${param}.labels`, 'expected a non-empty array of strings.');
  if (!Array.isArray(passing) || passing.length === 0 || !passing.every((label) => labels.includes(label))) {
    throw invalidValue(`${param}.passing_labels`, 'expected a non-empty subset of labels.');
  }
}

function requireText(grader: JsonObject, key: string, param: string): void {
  const value = grader[key];
  if (value === undefined || value === null) throw missingParameter(`${param}.${key}`);
  if (typeof value !== 'string') throw invalidType(`${param}.${key}`, 'a string');
  if (value.trim().length === 0) throw invalidValue(`${param}.${key}`, 'expected a non-empty string.');
}

function requireTemplate(grader: JsonObject, key: string, param: string): void {
  const value = grader[key];
  if (value === undefined || value === null) throw missingParameter(`${param}.${key}`);
  if (typeof value !== 'string') throw invalidType(`${param}.${key}`, 'a string');
  checkTemplate(value, `${param}.${key}`);
}

function checkTemplate(template: string, param: string): void {
  const variable = invalidTemplateVariable(template);
  if (variable !== undefined) {
    throw invalidRequest(`Invalid template variable '{{ ${variable} }}' in '${param}': variables must start with 'item.' or 'sample.'.`, param, 'invalid_template');
  }
}

function requireOneOf(grader: JsonObject, key: string, allowed: readonly string[], param: string): void {
  const value = grader[key];
  if (value === undefined || value === null) throw missingParameter(`${param}.${key}`);
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw invalidValue(`${param}.${key}`, `'${String(value)}'. Supported values are: ${allowed.map((item) => `'${item}'`).join(', ')}.`);
  }
}

function unsupportedType(type: unknown, param: string) {
  return invalidValue(`${param}.type`, `'${String(type)}'. Supported values are: ${TOP_LEVEL_TYPES.map((item) => `'${item}'`).join(', ')}.`);
}

