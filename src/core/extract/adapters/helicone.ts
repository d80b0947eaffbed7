// Helicone request logs: HeliconeRequest records as the REST API (`POST /v1/request/query-clickhouse`,
// `GET /v1/request/{id}`) and the `@helicone/export` tool return them — one per line (JSONL export), in an array
// (JSON export), or wrapped as the API answers (`{data:[…], error:null}`, `{data:{…}}`). Bodies are there only
// when exported with --include-body (else just a `signed_body_url`). Request bodies may be OpenAI chat,
// Anthropic messages or Responses API requests.
import type { AdapterOutput, TraceFileAdapter } from '../traceCall';
import { readRequestBody, readResponse } from './messages';
import { compactTags, dataElements, detectBy, firstNumber, httpFailure, firstString, guarded, isPlainObject, mergeOutputs, notAnObject, scalarEntries, skipOnly, timeField } from './shared';

type Obj = Record<string, unknown>;

function isHeliconeRequest(item: unknown): item is Obj {
  return isPlainObject(item) && typeof item.request_id === 'string' && ('request_body' in item || 'response_body' in item || 'request_created_at' in item || 'signed_body_url' in item);
}

function isHeliconeItem(item: unknown): boolean {
  if (isHeliconeRequest(item)) return true;
  const elements = isPlainObject(item) ? dataElements(item) : undefined;
  return elements !== undefined && elements.some(isHeliconeRequest);
}

export const heliconeAdapter: TraceFileAdapter = {
  kind: 'helicone',
  detect: (sample) => detectBy(sample, isHeliconeItem, 'a Helicone request log ({request_id, request_created_at, request_body, response_body}, alone or in {data:[…]})'),
  read: (item, at) => guarded(at, () => readHelicone(item, at)),
};

function readHelicone(item: unknown, at: string): AdapterOutput {
  if (!isPlainObject(item)) return notAnObject(at, item);
  if (!isHeliconeRequest(item)) {
    const elements = dataElements(item);
    if (elements) return mergeOutputs(elements.map((entry, i) => readRequest(entry, `${at} data[${i}]`)));
  }
  return readRequest(item, at);
}

function readRequest(item: unknown, at: string): AdapterOutput {
  if (!isHeliconeRequest(item)) return skipOnly(at, 'not a Helicone request log (request_id with request_body/response_body)');
  if (item.request_body === undefined || item.request_body === null) {
    return skipOnly(at, item.signed_body_url ? 'request body not included (export with --include-body)' : 'request log without request_body');
  }
  const body = readRequestBody(item.request_body, 'request_body');
  if ('error' in body) return skipOnly(at, body.error);
  const response = readResponse(item.response_body);
  const properties: Obj = isPlainObject(item.request_properties) ? item.request_properties : isPlainObject(item.properties) ? item.properties : {};
  const model = firstString(item.request_model, item.model_override, item.model, body.model, item.response_model);
  const session = firstString(properties['Helicone-Session-Id']);
  const tags = compactTags({
    ...scalarEntries(properties),
    user: firstString(item.request_user_id, item.helicone_user, properties.user, properties.User),
    environment: firstString(properties.environment, properties.Environment),
    session,
    provider: firstString(item.provider),
    status: firstNumber(item.response_status),
    cost: firstNumber(item.costUSD, item.cost),
    prompt_tokens: firstNumber(item.prompt_tokens),
    completion_tokens: firstNumber(item.completion_tokens),
    total_tokens: firstNumber(item.total_tokens),
    prompt_id: firstString(item.prompt_id),
  });
  const failed = httpFailure(item.response_status, isPlainObject(item.response_body) ? item.response_body.error : undefined);
  return {
    calls: [
      {
        id: item.request_id as string,
        source: 'helicone',
        ...(session ? { traceId: session } : {}),
        ...(model ? { model } : {}),
        ...timeField(item.request_created_at),
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
