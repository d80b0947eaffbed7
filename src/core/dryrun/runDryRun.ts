// The dry run (issue 11): sample prompts, get the base model's answers (K per prompt, directly or through the
// Batch API), score them with the grader, and decide GO / CAUTION / NO-GO with reasons and a diagnosis. Every
// answer is written as it arrives, so a cancelled or crashed run keeps its work and `resume` finishes it.
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toFile } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { GRADER_FILE, readManifest } from '../dataset/manifest';
import { apiJudge } from '../grader/apiJudge';
import { createGradingEngine, type GradingEngine } from '../grader/engine';
import { readGraderFile } from '../grader/graderFile';
import type { Grader } from '../grader/graderSchema';
import { chatParams } from '../grader/modelAnswer';
import { itemOf, lastUserText, referenceSample } from '../grader/pairs';
import { askedWith, datasetResponseFormat, platformSample, responseFormatFor } from '../grader/responseFormat';
import type { ModelClient } from '../llm/modelClient';
import { sleep } from '../llm/retry';
import { answerOf, directAnswerer, howItEnded, pool, scoreAnswer, wrapAnswerer, type Answer } from './answering';
import { choosePrompts } from './choosePrompts';
import { DryRunError } from './dryRunError';
import { costOf, estimateAnswers } from './cost';
import { type DryRunConfig, type DryRunFile, type DryRunOptions, type DryRunResult, type DryRunSample } from './dryRunTypes';
import { byDatasetOrder, listRuns, newRunPath, readRun, SampleAppender, sampleId, samplesFileOf, withFigures, writeRunFile } from './runFile';
import type { PromptCandidate } from './choosePrompts';
import { binOf, computeStats } from './stats';

export const DEFAULT_N = 300;
/** References (and empty-answer controls) scored per run for the diagnosis. */
export const REFERENCE_LIMIT = 50;

export { DryRunError };

interface Task {
  readonly candidate: PromptCandidate;
  readonly record: Record<string, unknown>;
  readonly sampleIndex: number;
}

/** sha256 of the resolved grader (what a run was scored with). */
export function graderHash(grader: Grader): string {
  return createHash('sha256').update(JSON.stringify(grader)).digest('hex');
}

export async function runDryRun(dir: string, options: DryRunOptions): Promise<DryRunResult> {
  const loaded = await readGraderFile(dir);
  if (!loaded) throw new DryRunError(`${dir} has no ${GRADER_FILE}: create one with rft grader init ${dir} --preset correctness|format|tool-usage|conciseness`);
  const hash = graderHash(loaded.resolved);
  // answers are asked for, and graded with, the response format training will use (output_json only with one)
  const datasetFormat = datasetResponseFormat(await readManifest(dir).catch(() => undefined));
  // every answer in flight listens to the one signal (the SDK, the retry wait, the semaphore, the grader), plus the run
  if (options.signal) setMaxListeners(16 + 8 * (options.concurrency ?? 32), options.signal);

  let previous: DryRunFile | undefined;
  let runPath: string;
  let config: DryRunConfig;
  if (options.resume) {
    const unfinished = (await listRuns(dir)).find((run) => run.status !== 'complete');
    if (!unfinished) throw new DryRunError(`no unfinished dry run to resume in ${dir}: start one without --resume`);
    runPath = unfinished.path;
    previous = await readRun(runPath);
    if (previous.graderHash !== hash) throw new DryRunError(`${GRADER_FILE} changed since ${path.basename(runPath)} started: start a new run without --resume`);
    config = previous.config;
  } else {
    const model = options.model;
    if (!model) throw new DryRunError('no model configured: pass --model <base model> (or set rftStudio.provider.chatModel)');
    config = { n: options.n ?? DEFAULT_N, model, samplesPerPrompt: options.samplesPerPrompt ?? 1, seed: options.seed ?? 1, batch: options.batch ?? false };
    runPath = '';
  }
  if (config.batch && !options.client) throw new DryRunError('--batch needs the OpenAI API: set OPENAI_API_KEY (Batch API files and batches)');
  if (!options.answerer && !options.client)
    throw new DryRunError('no model configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT');

  const { chosen, records, recordsFingerprint } = await choosePrompts(dir, { n: config.n, seed: config.seed, signal: options.signal });

  const done = new Map<string, DryRunSample>();
  for (const sample of previous?.samples ?? []) done.set(sampleId(sample), sample);
  const tasks: Task[] = [];
  for (const candidate of chosen)
    for (let k = 0; k < config.samplesPerPrompt; k++) if (!done.has(`${candidate.key}#${k}`)) tasks.push({ candidate, record: records.get(candidate.key)!, sampleIndex: k });
  const planned = chosen.length * config.samplesPerPrompt;

  // the estimate before anything is asked
  const estimate = estimateAnswers(
    tasks.map((task) => task.record),
    config.model,
    config.batch,
  );

  const startedAt = previous?.startedAt ?? new Date().toISOString();
  if (!previous) runPath = await newRunPath(dir, new Date(startedAt));
  let run: DryRunFile = {
    kind: 'dryrun',
    version: 1,
    config,
    model: config.model,
    graderHash: hash,
    recordsFingerprint,
    startedAt,
    status: 'running',
    samples: [...done.values()],
    stats: computeStats({ samples: [...done.values()], planned, prompts: chosen.length, samplesPerPrompt: config.samplesPerPrompt }),
    decision: null,
    reasons: [],
    diagnosis: [],
    byTopic: [],
    ...(previous?.batch ? { batch: previous.batch } : {}),
  };
  // the header is written while the first answers are asked (they go to the side file, which exists already)
  const header = writeRunFile(runPath, run);
  header.catch(() => undefined);
  const byTopicPlan: Record<string, number> = {};
  for (const candidate of chosen) byTopicPlan[candidate.topic] = (byTopicPlan[candidate.topic] ?? 0) + config.samplesPerPrompt;
  options.onProgress?.({ type: 'plan', run: runPath, prompts: chosen.length, samples: planned, done: done.size, byTopic: byTopicPlan, estimate });

  const engine =
    options.engine ??
    createGradingEngine({
      judge: options.client ? apiJudge(options.client) : undefined,
      embed: options.client ? (texts, signal) => options.client!.embed(process.env.RFT_EMBEDDING_MODEL ?? 'text-embedding-3-large', texts, { signal }) : undefined,
    });
  const appender = new SampleAppender(samplesFileOf(runPath));
  const hist = new Array<number>(10).fill(0);
  const doneByTopic: Record<string, number> = {};
  for (const sample of done.values()) {
    doneByTopic[sample.topic] = (doneByTopic[sample.topic] ?? 0) + 1;
    if (sample.score !== null && sample.error === null) hist[binOf(sample.score)]++;
  }
  const record = async (sample: DryRunSample) => {
    done.set(sampleId(sample), sample);
    doneByTopic[sample.topic] = (doneByTopic[sample.topic] ?? 0) + 1;
    if (sample.score !== null && sample.error === null) hist[binOf(sample.score)]++;
    await appender.append([sample]);
    options.onProgress?.({ type: 'sample', sample, done: done.size, total: planned, histogram: [...hist], doneByTopic: { ...doneByTopic } });
  };

  let status: DryRunFile['status'] = 'complete';
  let failure: string | undefined;
  let references: Record<string, number> = {};
  let emptyControlMean: number | null = null;
  try {
    const grade = (task: Task, answer: Answer) => gradeAnswer(engine, loaded.resolved, task, answer, datasetFormat, options.signal);
    if (config.batch) await header; // the batch id is written into it next
    if (config.batch) {
      const remember = async (batch: NonNullable<DryRunFile['batch']>) => {
        run = { ...run, batch };
        await writeRunFile(runPath, run);
      };
      await batchAnswers(options.client!, config, run.batch, remember, tasks, options, datasetFormat, async (task, answer) => record(await grade(task, answer)));
    } else {
      const answerer = options.answerer ? wrapAnswerer(options.answerer) : directAnswerer(options.client!, config.model, options.temperature);
      await pool(tasks, options.concurrency ?? 32, options.signal, async (task) => {
        const answer = await answerer(askedWith(task.record, datasetFormat), options.signal);
        await record(await grade(task, answer));
      });
    }
    ({ references, emptyControlMean } = await scoreReferences(
      engine,
      loaded.resolved,
      chosen.map((c) => [c.key, records.get(c.key)!] as const),
      options.signal,
    ));
  } catch (error) {
    ({ status, failure } = howItEnded(error, options.signal));
  } finally {
    await header.catch(() => undefined);
    await appender.close();
    if (!options.engine) await engine.dispose();
  }

  // in dataset order (file, line, answer), so the figures do not depend on the order the answers came in
  const samples = [...done.values()].sort(byDatasetOrder);
  const cost =
    samples.reduce((sum, s) => sum + (s.tokens?.prompt ?? 0) + (s.tokens?.completion ?? 0), 0) === 0
      ? null
      : costOf(
          config.model,
          sum(samples, (s) => s.tokens?.prompt ?? 0),
          sum(samples, (s) => s.tokens?.completion ?? 0),
          config.batch,
        );
  run = withFigures(
    {
      ...run,
      samples,
      status,
      references: status === 'complete' ? references : previous?.references,
      emptyControlMean: status === 'complete' ? emptyControlMean : null,
      ...(failure ? { failure } : {}),
      ...(status === 'complete' ? { finishedAt: new Date().toISOString() } : {}),
    },
    planned,
    chosen.length,
    { costUsd: cost, emptyControlMean },
  );
  await writeRunFile(runPath, run);
  // the finished file holds every sample; the side file is only for an unfinished one
  if (status === 'complete') await fs.promises.rm(samplesFileOf(runPath), { force: true });
  else await fs.promises.writeFile(samplesFileOf(runPath), '', { flag: 'a' });
  options.onProgress?.({ type: 'done', run: runPath, file: run });
  if (status === 'failed') throw new DryRunError(`the dry run failed: ${failure} (its answers so far are in ${runPath}; rft dry-run --resume finishes it)`);
  return { path: runPath, file: run };
}

const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((total, item) => total + of(item), 0);

async function gradeAnswer(engine: GradingEngine, grader: Grader, task: Task, answer: Answer, datasetFormat: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<DryRunSample> {
  const base = { key: task.candidate.key, file: task.candidate.file, line: task.candidate.line, topic: task.candidate.topic, prompt: lastUserText(task.record), sampleIndex: task.sampleIndex };
  const graded: Answer = 'sample' in answer ? { ...answer, sample: platformSample(answer.sample, responseFormatFor(task.record, datasetFormat)) } : answer;
  return { ...base, ...(await scoreAnswer(engine, grader, task.record, graded, signal)) };
}

/** The references of sampled prompts (up to REFERENCE_LIMIT) and the empty answer, scored for the diagnosis. */
async function scoreReferences(
  engine: GradingEngine,
  grader: Grader,
  chosen: readonly (readonly [string, Record<string, unknown>])[],
  signal?: AbortSignal,
): Promise<{ references: Record<string, number>; emptyControlMean: number | null }> {
  const withReference = chosen.filter(([, record]) => referenceSample(record)).slice(0, REFERENCE_LIMIT);
  const references: Record<string, number> = {};
  const empties: number[] = [];
  await pool(withReference, 8, signal, async ([key, record]) => {
    const [reference, empty] = await Promise.all([
      engine.grade(grader, { item: itemOf(record), sample: referenceSample(record)! }, signal),
      engine.grade(grader, { item: itemOf(record), sample: { output_text: '' } }, signal),
    ]);
    if (reference.errors.length === 0) references[key] = reference.reward;
    if (empty.errors.length === 0) empties.push(empty.reward);
  });
  return { references, emptyControlMean: empties.length ? empties.reduce((a, b) => a + b, 0) / empties.length : null };
}

const BATCH_DONE = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** The Batch API path: upload the requests (custom_id = "<key>#<k>"), create, poll, join the output on custom_id. */
async function batchAnswers(
  client: ModelClient,
  config: DryRunConfig,
  existing: DryRunFile['batch'],
  remember: (batch: NonNullable<DryRunFile['batch']>) => Promise<void>,
  tasks: readonly Task[],
  options: DryRunOptions,
  datasetFormat: Record<string, unknown> | undefined,
  onAnswer: (task: Task, answer: Answer) => Promise<void>,
): Promise<void> {
  if (tasks.length === 0) return;
  const byId = new Map(tasks.map((task) => [`${task.candidate.key}#${task.sampleIndex}`, task]));
  let batch = existing;
  if (!batch) {
    const lines = tasks.map((task) =>
      JSON.stringify({
        custom_id: `${task.candidate.key}#${task.sampleIndex}`,
        method: 'POST',
        url: '/v1/chat/completions',
        body: chatParams(askedWith(task.record, datasetFormat), config.model, { temperature: options.temperature }),
      }),
    );
    const upload = await toFile(Buffer.from(`${lines.join('\n')}\n`), 'dryrun-batch.jsonl');
    const file = await client.request((signal) => client.openai.files.create({ file: upload, purpose: 'batch' }, { signal }), { signal: options.signal });
    const created = await client.request(
      (signal) => client.openai.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { rft: 'dry-run' } }, { signal }),
      { signal: options.signal },
    );
    batch = { id: created.id, inputFileId: file.id };
    await remember(batch);
  }
  for (;;) {
    const state = await client.request((signal) => client.openai.batches.retrieve(batch!.id, { signal }), { signal: options.signal });
    options.onProgress?.({ type: 'batch', batchId: state.id, status: state.status, completed: state.request_counts?.completed ?? 0, total: state.request_counts?.total ?? tasks.length });
    if (BATCH_DONE.has(state.status)) {
      const seen = new Set<string>();
      const join = async (fileId: string | null | undefined) => {
        if (!fileId) return;
        const text = await client.request(async (signal) => (await client.openai.files.content(fileId, { signal })).text(), { signal: options.signal });
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          let parsed: { custom_id?: string; response?: { status_code?: number; body?: unknown } | null; error?: { code?: string; message?: string } | null };
          try {
            parsed = JSON.parse(line);
          } catch {
            continue;
          }
          const task = parsed.custom_id ? byId.get(parsed.custom_id) : undefined;
          if (!task || seen.has(parsed.custom_id!)) continue;
          seen.add(parsed.custom_id!);
          const status = parsed.response?.status_code ?? 0;
          const answer: Answer =
            status === 200
              ? answerOf(parsed.response!.body as ChatCompletion)
              : { error: `batch_error: ${parsed.error?.message ?? (parsed.response?.body as { error?: { message?: string } } | undefined)?.error?.message ?? `status ${status}`}`.split('\n')[0] };
          await onAnswer(task, answer);
        }
      };
      await join(state.output_file_id);
      await join(state.error_file_id);
      const why =
        state.status === 'completed' ? 'no result for this request in the batch output' : `the batch ${state.status}${state.errors?.data?.[0]?.message ? `: ${state.errors.data[0].message}` : ''}`;
      for (const [id, task] of byId) if (!seen.has(id)) await onAnswer(task, { error: `batch_error: ${why}` });
      return;
    }
    await sleep(options.pollMs ?? 5000, options.signal);
  }
}
