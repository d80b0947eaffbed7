// The `response_format` of a hosted reinforcement job (`method.reinforcement.response_format`). OpenAI fills
// `sample.output_json` only when the job has one, so a grader that reads output_json scores every sample 0
// (invalid_variable_error) without it. It comes from the launch options, else rft.json's
// `settings.train.responseFormat`, else the `response_format` the split's rows share (one job has one); a grader
// that reads output_json with none of them refuses the launch before anything is uploaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { readManifest } from '../dataset/manifest';
import { datasetResponseFormat, readsOutputJson } from '../grader/responseFormat';
import { canonicalForm } from '../validation/recordKey';
import { TrainingError } from './backend';

type Format = Record<string, unknown>;

export async function jobResponseFormat(datasetDir: string, files: { readonly train: string; readonly valid: string }, grader: Record<string, unknown>, given?: Format): Promise<Format | undefined> {
  const format = given ?? datasetResponseFormat(await readManifest(datasetDir)) ?? (await sharedRowFormat(datasetDir, files));
  if (format) {
    if (typeof format.type !== 'string')
      throw new TrainingError(
        'settings.train.responseFormat in rft.json: expected a response format object with a "type" ("json_schema" with a json_schema {name, schema, strict}), as chat completions take it',
      );
    return format;
  }
  if (readsOutputJson(grader)) {
    throw new TrainingError(
      'grader.json reads sample.output_json, which OpenAI fills only when the job has a response_format: without one every sample scores 0 (invalid_variable_error). ' +
        'Set settings.train.responseFormat in rft.json (e.g. {"type": "json_schema", "json_schema": {"name": "answer", "strict": true, "schema": {…}}}) or give the records a response_format, or grade sample.output_text instead.',
    );
  }
  return undefined;
}

/** The response_format the rows carry (all that carry one must agree); undefined when none does. */
async function sharedRowFormat(datasetDir: string, files: { readonly train: string; readonly valid: string }): Promise<Format | undefined> {
  let first: { format: Format; form: string; where: string } | undefined;
  for (const file of [files.train, files.valid]) {
    let line = 0;
    for await (const text of readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      line++;
      if (!text.includes('"response_format"')) continue;
      const format = (JSON.parse(text) as { response_format?: unknown }).response_format;
      if (typeof format !== 'object' || format === null || Array.isArray(format)) continue;
      const where = `${path.relative(datasetDir, file)} line ${line}`;
      const form = canonicalForm(format);
      if (!first) first = { format: format as Format, form, where };
      else if (form !== first.form) {
        throw new TrainingError(
          `${where} asks for another response_format than ${first.where}: a training job has one response_format for every sample. Set settings.train.responseFormat in rft.json, or give the records the same one.`,
        );
      }
    }
  }
  return first?.format;
}
