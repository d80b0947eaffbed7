// The shape checks of /fine_tuning/alpha/graders/validate, also applied to the grader of a reinforcement job.
// What the vendors document about fine-tuning graders is read from their own words in test/fixtures/vendor/
// (see PROVENANCE.md there): the judge models each takes, the metrics (OpenAI's `cosine` is "only available for
// evals"; Azure has none), `pass_threshold`, the sampling constraints, and the SDK's reasoning_effort values.
// The wording of those refusals is ours: the vendors do not publish theirs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalidRequest, invalidType, invalidValue, missingParameter } from './errors';
import { FormulaError, parseFormula } from './formula';
import { invalidTemplateVariable } from './graderTemplates';
import { isRecord, type JsonObject } from './validation';

const TOP_LEVEL_TYPES = ['string_check', 'text_similarity', 'score_model', 'python', 'multi'];
const MESSAGE_ROLES = ['user', 'assistant', 'system', 'developer'];
const SAMPLING_NUMBERS = ['temperature', 'top_p'];
const SAMPLING_INTEGERS = ['seed', 'max_completions_tokens'];

export type GraderVendor = 'openai' | 'azure';

interface VendorFacts {
  /** The judge models its fine-tuning graders take. */
  readonly models: readonly string[];
  /** The evaluation_metric values its grader schema lists. */
  readonly metrics: readonly string[];
  /** Metrics the schema lists but fine-tuning refuses ("Only available for evals"). */
  readonly evalsOnly: readonly string[];
}

const VENDOR_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'vendor');
const readVendor = (file: string) => fs.readFileSync(path.join(VENDOR_DIR, file), 'utf8');

/** The evaluation_metric union of a documented text_similarity block: `"evaluation_metric": "fuzzy_match" | "bleu" | …`. */
function metricsOf(doc: string): string[] {
  const line = /"evaluation_metric":(.*)/.exec(doc)?.[1] ?? '';
  return [...line.matchAll(/"([a-z0-9_]+)"/g)].map((match) => match[1]);
}

function loadFacts(): Record<GraderVendor, VendorFacts> & { reasoningEfforts: readonly string[] } {
  const guide = readVendor('openai/graders-guide-model-graders.md');
  const constraints = guide.slice(guide.indexOf('### Model grader constraints'));
  const azure = readVendor('azure/rft-model-graders.md');
  const sdk = JSON.parse(readVendor('openai/sdk-grader-types.json')) as { ReasoningEffort: { values: string[] } };
  return {
    openai: {
      models: [...constraints.matchAll(/^ {2,}- `([^`]+)`$/gm)].map((match) => match[1]),
      metrics: metricsOf(guide),
      evalsOnly: [...guide.matchAll(/^- `([a-z0-9_]+)`:.*Only available for evals\.$/gm)].map((match) => match[1]),
    },
    azure: { models: [...azure.matchAll(/^\| `([^`]+)` \| Yes \|$/gm)].map((match) => match[1]), metrics: metricsOf(azure), evalsOnly: [] },
    reasoningEfforts: sdk.ReasoningEffort.values,
  };
}

let facts: ReturnType<typeof loadFacts> | undefined;
function vendorFacts(): ReturnType<typeof loadFacts> {
  return (facts ??= loadFacts());
}

export interface GraderValidationOptions {
  /** Whose rules: the Azure form of the server takes Azure's documented judges and metrics. Default openai. */
  readonly vendor?: GraderVendor;
  readonly insideMulti?: boolean;
}

export function validateGrader(grader: unknown, param = 'grader', options: GraderValidationOptions = {}): JsonObject {
  const vendor = options.vendor ?? 'openai';
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
      validateMetric(grader, vendor, param);
      validatePassThreshold(grader, param);
      break;
    case 'score_model':
      validateModelGrader(grader, vendor, param);
      validateRange(grader.range, `${param}.range`);
      validatePassThreshold(grader, param);
      validateSamplingParams(grader, param);
      break;
    case 'label_model':
      if (!options.insideMulti) throw unsupportedType(grader.type, param);
      validateModelGrader(grader, vendor, param);
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
      if (options.insideMulti) throw invalidRequest('Multi graders cannot be nested inside a multi grader.', `${param}.type`);
      validateMultiGrader(grader, vendor, param);
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

function validateMultiGrader(grader: JsonObject, vendor: GraderVendor, param: string): void {
  requireText(grader, 'calculate_output', param);
  if (!isRecord(grader.graders)) throw invalidType(`${param}.graders`, 'an object mapping names to graders');
  const graders = subGraders(grader);
  if (Object.keys(graders).length === 0) throw invalidValue(`${param}.graders`, 'a multi grader needs at least one grader.');
  for (const [name, sub] of Object.entries(graders)) validateGrader(sub, `${param}.graders.${name}`, { vendor, insideMulti: true });
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

function validateModelGrader(grader: JsonObject, vendor: GraderVendor, param: string): void {
  requireText(grader, 'model', param);
  if (!Array.isArray(grader.input) || grader.input.length === 0) throw invalidValue(`${param}.input`, 'expected a non-empty array of messages.');
  grader.input.forEach((message, index) => {
    const at = `${param}.input[${index}]`;
    if (!isRecord(message)) throw invalidType(at, 'an object');
    if (typeof message.role !== 'string' || !MESSAGE_ROLES.includes(message.role)) throw invalidValue(`${at}.role`, `expected one of ${MESSAGE_ROLES.join(', ')}.`);
    if (typeof message.content === 'string') checkTemplate(message.content, `${at}.content`);
    else if (!isRecord(message.content) && !Array.isArray(message.content)) throw invalidType(`${at}.content`, 'a string, a content part or an array of content parts');
  });
  const models = vendorFacts()[vendor].models;
  if (!models.includes(grader.model as string)) {
    throw invalidValue(`${param}.model`, `'${String(grader.model)}' is not supported as a grader model. Supported models are: ${models.map((model) => `'${model}'`).join(', ')}.`);
  }
}

function validateMetric(grader: JsonObject, vendor: GraderVendor, param: string): void {
  const { metrics, evalsOnly } = vendorFacts()[vendor];
  requireOneOf(grader, 'evaluation_metric', metrics, param);
  if (evalsOnly.includes(grader.evaluation_metric as string)) {
    throw invalidValue(`${param}.evaluation_metric`, `'${String(grader.evaluation_metric)}' is only available for evals, not for fine-tuning graders.`);
  }
}

function validatePassThreshold(grader: JsonObject, param: string): void {
  if (grader.pass_threshold !== undefined && grader.pass_threshold !== null && typeof grader.pass_threshold !== 'number') throw invalidType(`${param}.pass_threshold`, 'a number');
}

/** The SDK's SamplingParams, and the guide's constraints: no temperature change for reasoning models, no reasoning_effort for the others. */
function validateSamplingParams(grader: JsonObject, param: string): void {
  const sampling = grader.sampling_params;
  if (sampling === undefined || sampling === null) return;
  if (!isRecord(sampling)) throw invalidType(`${param}.sampling_params`, 'an object');
  const at = `${param}.sampling_params`;
  for (const key of SAMPLING_NUMBERS) if (sampling[key] != null && typeof sampling[key] !== 'number') throw invalidType(`${at}.${key}`, 'a number');
  for (const key of SAMPLING_INTEGERS) if (sampling[key] != null && !Number.isInteger(sampling[key])) throw invalidType(`${at}.${key}`, 'an integer');
  const efforts = vendorFacts().reasoningEfforts;
  if (sampling.reasoning_effort != null && !efforts.includes(sampling.reasoning_effort as string)) {
    throw invalidValue(`${at}.reasoning_effort`, `'${String(sampling.reasoning_effort)}'. Supported values are: ${efforts.map((effort) => `'${effort}'`).join(', ')}.`);
  }
  const reasoning = /^o\d/.test(String(grader.model));
  if (reasoning && sampling.temperature != null && sampling.temperature !== 1) {
    throw invalidValue(`${at}.temperature`, `temperature cannot be changed for the reasoning model '${String(grader.model)}'.`);
  }
  if (!reasoning && sampling.reasoning_effort != null) {
    throw invalidValue(`${at}.reasoning_effort`, `reasoning_effort is not supported for the non-reasoning model '${String(grader.model)}'.`);
  }
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
