// Request logs: (a) generic `{request:{model, messages, tools}, response:{choices:[…]}}` lines, as home-grown
// gateways and proxies log them (optional `id`, `timestamp`, `metadata`, `user`, `tags` at the top level);
// (b) OpenAI Batch API files: input lines `{custom_id, method, url:'/v1/chat/completions', body}` are calls
// without a response; output lines `{id, custom_id, response:{status_code, body}, error}` carry no request
// messages, so on their own they are skipped. Lines are read one at a time (the adapter keeps no state), so an
// output line is not paired with its input line even when both are in the same file: read the input file.
import type { AdapterOutput, TraceFileAdapter } from '../traceCall';
import { readRequestBody, readResponse } from './messages';
import {
  compactTags,
  decodeJson,
  describeType,
  detectBy,
  errorText,
  firstNumber,
  firstString,
  httpFailure,
  guarded,
  isPlainObject,
  notAnObject,
  scalarEntries,
  skipOnly,
  stringList,
  timeField,
} from './shared';

type Obj = Record<string, unknown>;

/** Batch endpoints whose requests are model calls with messages. */
const CHAT_URLS = new Set(['/v1/chat/completions', '/chat/completions', '/v1/responses', '/responses', '/v1/completions', '/completions']);

function isGenericLine(item: unknown): item is Obj {
  return isPlainObject(item) && isPlainObject(item.request) && ('messages' in item.request || 'input' in item.request || 'prompt' in item.request);
}

function isBatchLine(item: unknown): item is Obj {
  return isPlainObject(item) && typeof item.custom_id === 'string' && (isPlainObject(item.body) || 'response' in item || 'error' in item);
}

export const requestLogAdapter: TraceFileAdapter = {
  kind: 'requestlog',
  detect: (sample) =>
    detectBy(sample, (item) => isGenericLine(item) || isBatchLine(item), 'a request log line ({request:{messages}, response}) or an OpenAI Batch API line ({custom_id, body} / {custom_id, response})'),
  read: (item, at) => guarded(at, () => readLine(item, at)),
};

function readLine(item: unknown, at: string): AdapterOutput {
  if (!isPlainObject(item)) return notAnObject(at, item);
  if (typeof item.custom_id === 'string') return readBatchLine(item, at);
  if (!('request' in item)) return skipOnly(at, 'no "request" object (expected {request:{messages}, response})');
  if (!isPlainObject(item.request)) return skipOnly(at, `request is not an object (it is ${describeType(item.request)})`);
  const body = readRequestBody(item.request, 'request');
  if ('error' in body) return skipOnly(at, body.error);
  const responseValue = decodeJson(item.response);
  const response = readResponse(responseValue);
  const responseObj: Obj = isPlainObject(responseValue) ? responseValue : {};
  const usage: Obj = isPlainObject(responseObj.usage) ? responseObj.usage : isPlainObject(item.usage) ? item.usage : {};
  const metadata = decodeJson(item.metadata);
  const meta: Obj = isPlainObject(metadata) ? metadata : {};
  const request = item.request;
  const model = firstString(body.model, responseObj.model, item.model);
  const tags = compactTags({
    ...scalarEntries(meta),
    user: firstString(item.user, meta.user, meta.user_id, request.user),
    team: firstString(item.team, meta.team),
    environment: firstString(item.environment, meta.environment),
    tags: stringList(item.tags) ?? stringList(meta.tags),
    cost: firstNumber(item.cost, meta.cost),
    prompt_tokens: firstNumber(usage.prompt_tokens, usage.input_tokens),
    completion_tokens: firstNumber(usage.completion_tokens, usage.output_tokens),
    total_tokens: firstNumber(usage.total_tokens),
  });
  const traceId = firstString(item.trace_id, item.traceId, meta.trace_id);
  const failed = httpFailure(firstNumber(item.status_code, item.status, responseObj.status_code), item.error ?? responseObj.error) ?? errorText(item.error ?? responseObj.error);
  return {
    calls: [
      {
        id: firstString(item.id, item.request_id, responseObj.id) ?? at,
        source: 'requestlog',
        ...(traceId ? { traceId } : {}),
        ...(model ? { model } : {}),
        ...timeField(item.timestamp ?? item.created_at ?? item.startTime ?? item.start_time ?? responseObj.created),
        messages: body.messages,
        ...(body.tools ? { tools: body.tools } : {}),
        ...(response ? { response } : {}),
        ...(tags ? { tags } : {}),
        ...(failed ? { failed } : {}),
      },
    ],
    skips: [],
  };
}

function readBatchLine(item: Obj, at: string): AdapterOutput {
  if (!isPlainObject(item.body)) {
    if ('response' in item || 'error' in item) return skipOnly(at, 'batch output line without its input (pass the input file too)');
    return skipOnly(at, 'batch line without a body');
  }
  const url = firstString(item.url);
  if (url && !CHAT_URLS.has(url)) return skipOnly(at, `batch line for ${url} is not a chat completion`);
  const body = readRequestBody(item.body, 'body');
  if ('error' in body) return skipOnly(at, body.error);
  const metadata = isPlainObject(item.body.metadata) ? item.body.metadata : {};
  const tags = compactTags({ ...scalarEntries(metadata), custom_id: item.custom_id, user: firstString(item.body.user) });
  return {
    calls: [
      {
        id: item.custom_id as string,
        source: 'requestlog',
        ...(body.model ? { model: body.model } : {}),
        messages: body.messages,
        ...(body.tools ? { tools: body.tools } : {}),
        ...(tags ? { tags } : {}),
      },
    ],
    skips: [],
  };
}
