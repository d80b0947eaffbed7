// `sample.output_json` exists on OpenAI's platform "only if `response_format` is included in the sample" (graders
// guide, "Sample namespace"; test/fixtures/vendor/openai/platform-facts.json): a training job fills it only when the
// job has a `response_format`. The dry run and Test Sample grade the way the platform will, so a sample carries
// output_json only when a response format applies to its record: the dataset's `settings.train.responseFormat`
// (rft.json), else the record's own `response_format`.
import type { Manifest } from '../dataset/manifest';
import type { Sample } from './sample';

type Format = Record<string, unknown>;

const isFormat = (value: unknown): value is Format => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether any template, prompt or script of the grader mentions `output_json` (only then does the question matter). */
export function readsOutputJson(grader: unknown): boolean {
  if (typeof grader === 'string') return grader.includes('output_json');
  if (Array.isArray(grader)) return grader.some(readsOutputJson);
  return isFormat(grader) && Object.values(grader).some(readsOutputJson);
}

/** `settings.train.responseFormat` of rft.json: the response format every training sample is asked for. */
export function datasetResponseFormat(manifest: Pick<Manifest, 'settings'> | undefined): Format | undefined {
  const train = (manifest?.settings as { train?: { responseFormat?: unknown } } | undefined)?.train;
  return isFormat(train?.responseFormat) ? train.responseFormat : undefined;
}

/** The response format a record's answer is asked for: the dataset's, else the record's own `response_format`. */
export function responseFormatFor(record: Readonly<Record<string, unknown>>, datasetFormat: Format | undefined): Format | undefined {
  return datasetFormat ?? (isFormat(record.response_format) ? record.response_format : undefined);
}

/** The record as the model is asked it: with the dataset's response format when there is one (the grader's item stays the record). */
export function askedWith(record: Record<string, unknown>, datasetFormat: Format | undefined): Record<string, unknown> {
  return datasetFormat ? { ...record, response_format: datasetFormat } : record;
}

/** The sample as the platform grades it: without a response format there is no output_json. */
export function platformSample(sample: Sample, responseFormat: Format | undefined): Sample {
  if (responseFormat || sample.output_json === undefined) return sample;
  const { output_json: _dropped, ...rest } = sample;
  return rest;
}
