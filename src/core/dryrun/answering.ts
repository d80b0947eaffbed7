// Asking a model a record's prompt and scoring its answer, as the dry run and the benchmarks do: failed model
// calls (after the client's retries) become errors by kind, a grader that errors scores nothing, aborts propagate.
import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { GradingEngine } from '../grader/engine';
import type { Grader } from '../grader/graderSchema';
import { chatParams, sampleOfMessage } from '../grader/modelAnswer';
import { itemOf } from '../grader/pairs';
import type { Sample } from '../grader/sample';
import type { Answerer } from '../grader/testSample';
import type { ModelClient } from '../llm/modelClient';
import type { DryRunSample, ModelErrorKind } from './dryRunTypes';

/** An answer, or the error that stands for it. */
export type Answer = { sample: Sample; tokens?: { prompt: number; completion: number } } | { error: string };

export type AnswerFn = (record: Record<string, unknown>, signal?: AbortSignal) => Promise<Answer>;

/** A scored answer: what a sample keeps of it. */
export type ScoredAnswer = Pick<DryRunSample, 'response' | 'score' | 'sub_rewards' | 'details' | 'error' | 'tokens'>;

/** A given answerer, its failures turned into errors. */
export function wrapAnswerer(answerer: Answerer): AnswerFn {
  return async (record, signal) => {
    try {
      return { sample: await answerer(record, signal) };
    } catch (error) {
      if (isAbort(error) || signal?.aborted) throw error;
      return { error: modelError(error) };
    }
  };
}

/** `model` through the client layer (its concurrency, retries honouring retry-after, timeouts). */
export function directAnswerer(client: ModelClient, model: string, temperature?: number): AnswerFn {
  return async (record, signal) => {
    let completion: ChatCompletion;
    try {
      completion = await client.chat(chatParams(record, model, { temperature }), { signal });
    } catch (error) {
      if (isAbort(error) || signal?.aborted) throw error;
      return { error: modelError(error) };
    }
    return answerOf(completion);
  };
}

export function answerOf(completion: ChatCompletion | undefined): Answer {
  const message = completion?.choices?.[0]?.message;
  if (!message) return { error: 'model_malformed_response: the reply has no choices[0].message' };
  const usage = completion?.usage;
  return { sample: sampleOfMessage(message), ...(usage ? { tokens: { prompt: usage.prompt_tokens ?? 0, completion: usage.completion_tokens ?? 0 } } : {}) };
}

/** The answer's text as a sample shows it: tool calls appended as JSON. */
export function responseText(sample: Sample): string {
  return sample.output_text + (sample.output_tools?.length ? `${sample.output_text ? '\n' : ''}${JSON.stringify(sample.output_tools)}` : '');
}

/** Scores one answer to `record` with the grader; a grader error (or a throw) scores nothing and says why. */
export async function scoreAnswer(engine: GradingEngine, grader: Grader, record: Record<string, unknown>, answer: Answer, signal?: AbortSignal): Promise<ScoredAnswer> {
  if ('error' in answer) return { response: null, score: null, sub_rewards: {}, details: {}, error: answer.error };
  const response = responseText(answer.sample);
  const tokens = answer.tokens ? { tokens: answer.tokens } : {};
  try {
    const result = await engine.grade(grader, { item: itemOf(record), sample: answer.sample }, signal);
    const first = result.errors[0];
    return { response, score: first ? null : result.reward, sub_rewards: result.sub_rewards, details: result.details ?? {}, error: first ? `${first.code}: ${first.message}` : null, ...tokens };
  } catch (error) {
    if (isAbort(error)) throw error;
    return { response, score: null, sub_rewards: {}, details: {}, error: `other_error: ${(error as Error).message}`, ...tokens };
  }
}

/** "<kind>: <message>" for a failed model call (after the client's retries). */
export function modelError(error: unknown): string {
  const kind: ModelErrorKind =
    error instanceof APIConnectionTimeoutError
      ? 'model_timeout'
      : error instanceof APIError && error.status === 429
        ? 'model_rate_limited'
        : error instanceof APIError && error.status !== undefined && error.status >= 500
          ? 'model_server_error'
          : error instanceof SyntaxError || (error instanceof Error && /JSON|Unexpected token/i.test(error.message) && !(error instanceof APIError))
            ? 'model_malformed_response'
            : 'model_error';
  return `${kind}: ${(error as Error)?.message ?? String(error)}`.split('\n')[0];
}

/** How a run that threw ended: cancelled when it was aborted, else failed with the reason. */
export function howItEnded(error: unknown, signal?: AbortSignal): { status: 'cancelled' | 'failed'; failure?: string } {
  return isAbort(error) || signal?.aborted ? { status: 'cancelled' } : { status: 'failed', failure: (error as Error).message };
}

export function isAbort(error: unknown): boolean {
  return error instanceof APIUserAbortError || (error as Error)?.name === 'AbortError';
}

/** Runs `work` over items, `limit` at a time; stops starting new ones once aborted; the first thrown error ends it. */
export async function pool<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      signal?.throwIfAborted();
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
  signal?.throwIfAborted();
}
