// "Test Sample" (spec step 4): a few random valid records, an answer each — from the base model when one is
// configured, else the record's reference answer (labelled so), else text the user typed — scored by the grader.
import * as path from 'node:path';
import { readManifest } from '../dataset/manifest';
import { forEachValidRecord, type ValidRecord } from '../dataset/validRecords';
import { SeededSample } from '../random/seededSample';
import type { GradingEngine } from './engine';
import type { Grader } from './graderSchema';
import { EmptyAnswerError } from './modelAnswer';
import { itemOf, lastUserText, referenceSample } from './pairs';
import { askedWith, datasetResponseFormat, platformSample, responseFormatFor } from './responseFormat';
import { toSample, type Sample } from './sample';
import type { AnswerSource, TestSampleResult, TestSampleRow } from './testSampleTypes';

export type { AnswerSource, TestSampleResult, TestSampleRow };

/** Answers a prompt (the dataset's messages and tools) with the base model. */
export type Answerer = (record: Record<string, unknown>, signal?: AbortSignal) => Promise<Sample>;

export interface TestSampleOptions {
  readonly engine: GradingEngine;
  readonly grader: Grader;
  readonly count?: number;
  readonly seed?: number;
  readonly answerer?: Answerer;
  readonly typedAnswer?: string;
  readonly signal?: AbortSignal;
}

export async function testSample(dir: string, options: TestSampleOptions): Promise<TestSampleResult> {
  const records = await pickRecords(dir, options);
  // graded as training will grade: output_json only when a response format applies (responseFormat.ts)
  const datasetFormat = datasetResponseFormat(await readManifest(dir).catch(() => undefined));
  const rows = await Promise.all(
    records.map(async (record): Promise<TestSampleRow> => {
      const where = { file: path.relative(dir, record.file), line: record.line, prompt: lastUserText(record.record) };
      let answered: Awaited<ReturnType<typeof answerFor>>;
      try {
        answered = await answerFor(askedWith(record.record, datasetFormat), options);
      } catch (error) {
        if ((error as Error).name === 'AbortError' || options.signal?.aborted) throw error;
        const code = error instanceof EmptyAnswerError ? error.code : 'answer_failed';
        return { ...where, answer: '', answerSource: 'model', result: { reward: 0, sub_rewards: {}, errors: [] }, answerError: `${code}: ${(error as Error).message}` };
      }
      const sample = platformSample(answered.sample, responseFormatFor(record.record, datasetFormat));
      const source = answered.source;
      const result = await options.engine.grade(options.grader, { item: itemOf(record.record), sample }, options.signal);
      return { file: path.relative(dir, record.file), line: record.line, prompt: lastUserText(record.record), answer: answerText(sample), answerSource: source, result };
    }),
  );
  return { rows, mean: rows.length === 0 ? 0 : rows.reduce((sum, row) => sum + row.result.reward, 0) / rows.length };
}

/** Seeded picks; without a model or typed text only records that have a reference can be answered. */
async function pickRecords(dir: string, options: TestSampleOptions): Promise<ValidRecord[]> {
  const needsReference = !options.answerer && options.typedAnswer === undefined;
  const sample = new SeededSample<ValidRecord>(options.count ?? 5, options.seed ?? 1);
  await forEachValidRecord(
    dir,
    (record) => {
      if (!needsReference || referenceSample(record.record)) sample.add(record);
    },
    { signal: options.signal },
  );
  return sample.items();
}

async function answerFor(record: Record<string, unknown>, options: TestSampleOptions): Promise<{ sample: Sample; source: TestSampleRow['answerSource'] }> {
  if (options.answerer) return { sample: await options.answerer(record, options.signal), source: 'model' };
  if (options.typedAnswer !== undefined) return { sample: toSample(options.typedAnswer), source: 'typed' };
  return { sample: referenceSample(record) ?? toSample(''), source: 'reference' };
}

function answerText(sample: Sample): string {
  if (sample.output_text || !sample.output_tools?.length) return sample.output_text;
  return sample.output_tools.map((call) => `${call.function.name}(${call.function.arguments})`).join('\n');
}
