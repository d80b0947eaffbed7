import OpenAI, { APIError, AzureOpenAI } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import type { ProviderConfig } from './providerConfig';
import { checkChatCompletion, embeddingsFromReply } from './replyShape';
import { DEFAULT_RETRY_POLICY, retryAfterMs, retryReason, withRetries, type RetryNotice, type RetryPolicy } from './retry';
import { Semaphore } from './semaphore';
import { jsonSchemaOf, parseStructured, StructuredOutputError } from './structuredOutput';
import { UsageMeter } from './usage';

export interface ModelClientOptions {
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** Per request, in milliseconds. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Told before each wait between attempts (the CLI prints it to stderr, VS Code logs it). */
  readonly onRetry?: (notice: RetryNotice) => void;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

/**
 * The one client every LLM caller uses (docs/models.md): the `openai` package against any OpenAI-compatible base URL
 * or Azure OpenAI, with bounded concurrency, retries with exponential backoff and jitter that honour
 * `retry-after` up to `maxRetryWaitMs` (a longer one fails at once as `rate_limited`) and are told through `onRetry`,
 * per-request timeouts, AbortSignal cancellation, structured output validated with zod (with a
 * JSON-in-text fallback for servers without `response_format`), and token and cost accounting.
 */
export class ModelClient {
  readonly openai: OpenAI;
  readonly usage = new UsageMeter();
  private readonly semaphore: Semaphore;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly onRetry: ((notice: RetryNotice) => void) | undefined;
  /** Learned once per client: the server rejected `response_format`. */
  private responseFormatUnsupported = false;

  constructor(
    readonly provider: ProviderConfig,
    options: ModelClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.onRetry = options.onRetry;
    const common = { maxRetries: 0, timeout: this.timeoutMs }; // retries are ours, so they honour our policy
    // baseURL null: AzureOpenAI would otherwise read OPENAI_BASE_URL and refuse it next to the endpoint
    this.openai =
      provider.kind === 'azure'
        ? new AzureOpenAI({ ...common, baseURL: null, apiKey: provider.apiKey, endpoint: provider.endpoint, apiVersion: provider.apiVersion, deployment: provider.deployment })
        : new OpenAI({ ...common, apiKey: provider.apiKey, baseURL: provider.baseURL, organization: provider.organization });
    this.semaphore = new Semaphore(options.concurrency ?? 8);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** Runs any SDK call under the client's concurrency, retry and cancellation rules. */
  request<T>(call: (signal: AbortSignal | undefined) => Promise<T>, options: CallOptions = {}): Promise<T> {
    return this.semaphore.run(
      () =>
        withRetries(
          () => call(options.signal),
          this.retry,
          options.signal,
          (error, delayMs, attempt) => this.retrying(error, delayMs, attempt),
        ),
      options.signal,
    );
  }

  private retrying(error: unknown, delayMs: number, attempt: number): void {
    this.usage.retried();
    this.onRetry?.({ attempt, maxRetries: this.retry.maxRetries, delayMs, reason: retryReason(error, this.timeoutMs), serverAsked: retryAfterMs(error) !== undefined });
  }

  async chat(params: ChatCompletionCreateParamsNonStreaming, options: CallOptions = {}): Promise<ChatCompletion> {
    const completion = checkChatCompletion(await this.request((signal) => this.openai.chat.completions.create(params, { signal }), options), this.openai.baseURL);
    this.usage.add(params.model, completion.usage);
    return completion;
  }

  /**
   * A reply that matches `schema`: through `response_format` json_schema where the server supports it, else by
   * asking for JSON in the text. A reply that does not match is sent back once with what is wrong.
   */
  async structured<T>(params: Omit<ChatCompletionCreateParamsNonStreaming, 'response_format'>, schema: z.ZodType<T>, name: string, options: CallOptions = {}): Promise<T> {
    const jsonSchema = jsonSchemaOf(schema);
    let messages: ChatCompletionMessageParam[] = [...params.messages];
    if (!this.responseFormatUnsupported) {
      try {
        const completion = await this.chat({ ...params, messages, response_format: { type: 'json_schema', json_schema: { name, schema: jsonSchema, strict: false } } }, options);
        return this.checked(completion, schema, messages, params, options);
      } catch (error) {
        if (!isResponseFormatRejection(error)) throw error;
        this.responseFormatUnsupported = true;
      }
    }
    messages = [{ role: 'system', content: `Reply with only a JSON value matching this JSON Schema, no prose:\n${JSON.stringify(jsonSchema)}` }, ...messages];
    return this.checked(await this.chat({ ...params, messages }, options), schema, messages, params, options);
  }

  private async checked<T>(
    completion: ChatCompletion,
    schema: z.ZodType<T>,
    messages: ChatCompletionMessageParam[],
    params: Omit<ChatCompletionCreateParamsNonStreaming, 'response_format'>,
    options: CallOptions,
  ): Promise<T> {
    const text = completion.choices[0]?.message?.content ?? '';
    try {
      return parseStructured(text, schema);
    } catch (error) {
      if (!(error instanceof StructuredOutputError)) throw error;
      const repair: ChatCompletionMessageParam[] = [
        ...messages,
        { role: 'assistant', content: text },
        { role: 'user', content: `That reply is not valid: ${error.message}. Reply again with only the corrected JSON.` },
      ];
      const retried = await this.chat(
        {
          ...params,
          messages: repair,
          ...(this.responseFormatUnsupported ? {} : { response_format: { type: 'json_schema', json_schema: { name: 'repair', schema: jsonSchemaOf(schema), strict: false } } }),
        },
        options,
      );
      return parseStructured(retried.choices[0]?.message?.content ?? '', schema);
    }
  }

  async embed(model: string, input: string[], options: CallOptions & { batchSize?: number } = {}): Promise<number[][]> {
    const batchSize = options.batchSize ?? 256;
    const batches: string[][] = [];
    for (let at = 0; at < input.length; at += batchSize) batches.push(input.slice(at, at + batchSize));
    const results = await Promise.all(
      batches.map(async (batch) => {
        // The raw reply, not embeddings.create: the SDK decodes base64 before anyone could check the reply's shape.
        const reply = await this.request((signal) => this.openai.post<unknown>('/embeddings', { body: { model, input: batch, encoding_format: 'base64' }, signal }), options);
        const { vectors, promptTokens } = embeddingsFromReply(reply, batch.length, this.openai.baseURL);
        this.usage.add(model, { prompt_tokens: promptTokens });
        return vectors;
      }),
    );
    return results.flat();
  }
}

/** Servers without structured outputs answer 400/422 and name `response_format`. */
function isResponseFormatRejection(error: unknown): boolean {
  return error instanceof APIError && (error.status === 400 || error.status === 422) && /response_format|json_schema/i.test(error.message);
}
