// Batches: every retrieve moves a batch one step along validating → in_progress → completed (or failed when its input
// file has bad lines; cancelling → cancelled). Completing runs each request through the server's own chat
// completions (scripted replies included) or embeddings, and writes the output and error files.
import type OpenAI from 'openai';
import { createChatCompletion } from './chat';
import type { ServerContext } from './context';
import { createEmbeddings } from './embeddings';
import { ApiError, invalidRequest, invalidValue, notFound, unsupportedInTestServer } from './errors';
import { json } from './http';
import { nowSeconds, type IdGenerator } from './ids';
import { ordered, paginate, readListQuery } from './pagination';
import type { Route } from './routing';
import { isRecord, jsonBody, optionalMetadata, requiredString, type JsonObject } from './validation';

type NullableOptional<T> = { [K in keyof T]-?: undefined extends T[K] ? Exclude<T[K], undefined> | null : T[K] };
export type BatchView = NullableOptional<OpenAI.Batch>;

interface BatchLine {
  readonly custom_id: string;
  readonly body: JsonObject;
}

interface BatchRecord {
  readonly batch: BatchView;
  lines: BatchLine[];
}

const SUPPORTED_ENDPOINTS = ['/v1/chat/completions', '/v1/embeddings'];
const KNOWN_ENDPOINTS = [...SUPPORTED_ENDPOINTS, '/v1/responses', '/v1/completions', '/v1/moderations', '/v1/images/generations', '/v1/images/edits', '/v1/videos'];

export class BatchStore {
  private records: BatchRecord[] = [];

  constructor(private readonly ids: IdGenerator) {}

  create(input: { inputFileId: string; endpoint: string; metadata: OpenAI.Metadata | null }): BatchView {
    const createdAt = nowSeconds();
    const batch: BatchView = {
      id: this.ids.next('batch_'),
      object: 'batch',
      endpoint: input.endpoint,
      model: null,
      errors: null,
      input_file_id: input.inputFileId,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: createdAt,
      in_progress_at: null,
      expires_at: createdAt + 24 * 3600,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      usage: null,
      metadata: input.metadata,
    };
    this.records.push({ batch, lines: [] });
    return batch;
  }

  get(id: string): BatchRecord {
    const found = this.records.find((record) => record.batch.id === id);
    if (!found) throw notFound('batch', id, 'batch_id');
    return found;
  }

  all(): readonly BatchRecord[] {
    return this.records;
  }

  async advance(id: string, context: ServerContext): Promise<BatchView> {
    const record = this.get(id);
    const { batch } = record;
    if (batch.status === 'validating') this.validate(record, context);
    else if (batch.status === 'in_progress') await this.complete(record, context);
    else if (batch.status === 'cancelling') Object.assign(batch, { status: 'cancelled', cancelled_at: nowSeconds() });
    return batch;
  }

  cancel(id: string): BatchView {
    const { batch } = this.get(id);
    if (!['validating', 'in_progress', 'finalizing'].includes(batch.status)) {
      throw invalidRequest(`Cannot cancel a batch with status '${batch.status}'.`, 'batch_id');
    }
    Object.assign(batch, { status: 'cancelling', cancelling_at: nowSeconds() });
    return batch;
  }

  clear(): void {
    this.records = [];
  }

  private validate(record: BatchRecord, context: ServerContext): void {
    const { batch } = record;
    const content = context.state.files.get(batch.input_file_id, 'input_file_id').content.toString('utf8');
    const errors: OpenAI.BatchError[] = [];
    const seen = new Set<string>();
    content.split(/\r?\n/).forEach((text, index) => {
      if (text.trim() === '') return;
      const line = index + 1;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        errors.push({ code: 'invalid_json_line', line, message: 'This line is not parseable as valid JSON.', param: null });
        return;
      }
      const problem = lineProblem(parsed, batch.endpoint, seen);
      if (problem) errors.push({ ...problem, line, param: null });
      else record.lines.push(parsed as BatchLine);
    });
    if (errors.length === 0 && record.lines.length === 0) errors.push({ code: 'empty_file', line: null, message: 'The input file contains no requests.', param: null });
    if (errors.length > 0) {
      Object.assign(batch, { status: 'failed', failed_at: nowSeconds(), errors: { object: 'list', data: errors } });
      return;
    }
    const models = new Set(record.lines.map((line) => line.body.model));
    Object.assign(batch, {
      status: 'in_progress',
      in_progress_at: nowSeconds(),
      model: models.size === 1 ? String([...models][0]) : null,
      request_counts: { total: record.lines.length, completed: 0, failed: 0 },
    });
  }

  private async complete(record: BatchRecord, context: ServerContext): Promise<void> {
    const { batch } = record;
    const outputs: JsonObject[] = [];
    const failures: JsonObject[] = [];
    const usage = { input_tokens: 0, output_tokens: 0 };
    for (const line of record.lines) {
      const requestId = this.ids.next('req_');
      try {
        const body = batch.endpoint === '/v1/embeddings' ? createEmbeddings(line.body) : await createChatCompletion(context, line.body);
        const counts = body.usage as { prompt_tokens: number; completion_tokens?: number };
        usage.input_tokens += counts.prompt_tokens;
        usage.output_tokens += counts.completion_tokens ?? 0;
        outputs.push({ id: this.ids.next('batch_req_'), custom_id: line.custom_id, response: { status_code: 200, request_id: requestId, body }, error: null });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failures.push({ id: this.ids.next('batch_req_'), custom_id: line.custom_id, response: { status_code: error.status, request_id: requestId, body: error.toBody() }, error: null });
      }
    }
    const writeFile = (lines: JsonObject[], kind: string) =>
      lines.length === 0 ? null : context.state.files.add({ filename: `${batch.id}_${kind}.jsonl`, purpose: 'batch_output', content: lines.map((line) => JSON.stringify(line)).join('\n') + '\n' }).id;
    const now = nowSeconds();
    Object.assign(batch, {
      status: 'completed',
      finalizing_at: now,
      completed_at: now,
      output_file_id: writeFile(outputs, 'output'),
      error_file_id: writeFile(failures, 'error'),
      request_counts: { total: record.lines.length, completed: outputs.length, failed: failures.length },
      usage: {
        input_tokens: usage.input_tokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: usage.output_tokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.input_tokens + usage.output_tokens,
      },
    });
  }
}

function lineProblem(parsed: unknown, endpoint: string, seen: Set<string>): { code: string; message: string } | undefined {
  if (!isRecord(parsed)) return { code: 'invalid_request', message: 'Each line must be a JSON object.' };
  if (typeof parsed.custom_id !== 'string' || parsed.custom_id === '') return { code: 'missing_required_parameter', message: "Missing required parameter: 'custom_id'." };
  if (seen.has(parsed.custom_id)) return { code: 'duplicate_custom_id', message: `The custom_id '${parsed.custom_id}' is used by more than one request.` };
  seen.add(parsed.custom_id);
  if (parsed.method !== 'POST') return { code: 'invalid_method', message: "The 'method' of every request must be 'POST'." };
  if (parsed.url !== endpoint) return { code: 'mismatched_endpoint', message: `The url '${String(parsed.url)}' does not match the batch endpoint '${endpoint}'.` };
  if (!isRecord(parsed.body)) return { code: 'missing_required_parameter', message: "Missing required parameter: 'body'." };
  return undefined;
}

export const batchRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/batches',
    handle: (request, { state }) => {
      const body = jsonBody(request);
      const inputFileId = requiredString(body, 'input_file_id');
      const endpoint = requiredString(body, 'endpoint');
      const window = requiredString(body, 'completion_window');
      if (!KNOWN_ENDPOINTS.includes(endpoint)) throw invalidValue('endpoint', `'${endpoint}'. Supported values are: ${KNOWN_ENDPOINTS.map((item) => `'${item}'`).join(', ')}.`);
      if (!SUPPORTED_ENDPOINTS.includes(endpoint)) throw unsupportedInTestServer(`Batches for ${endpoint}`, 'endpoint');
      if (window !== '24h') throw invalidValue('completion_window', `'${window}'. Supported values are: '24h'.`);
      const file = state.files.get(inputFileId, 'input_file_id').file;
      if (file.purpose !== 'batch') throw invalidRequest(`File ${inputFileId} has purpose '${file.purpose}'; batch input files must be uploaded with purpose 'batch'.`, 'input_file_id');
      return json(state.batches.create({ inputFileId, endpoint, metadata: optionalMetadata(body) }));
    },
  },
  {
    method: 'GET',
    pattern: '/batches',
    handle: ({ query }, { state }) => {
      const list = readListQuery(query, { limit: 20, maxLimit: 100, order: 'desc' });
      const batches = state.batches.all().map((record) => record.batch);
      return json(
        paginate(
          ordered(batches, (batch) => batch.created_at, 'desc'),
          list,
        ),
      );
    },
  },
  { method: 'GET', pattern: '/batches/:id', handle: async ({ params }, context) => json(await context.state.batches.advance(params.id, context)) },
  { method: 'POST', pattern: '/batches/:id/cancel', handle: ({ params }, { state }) => json(state.batches.cancel(params.id)) },
];
