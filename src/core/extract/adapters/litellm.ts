// LiteLLM gateway logs: StandardLoggingPayload records (what LiteLLM's logging callbacks — GCS, S3, Pub/Sub,
// generic API — write, one per line) and LiteLLM_SpendLogs rows (the proxy's database table, as exported or read
// through /spend/logs), whose JSON columns (messages, response, metadata, request_tags, proxy_server_request)
// may arrive as JSON text.
import type { AdapterOutput, TraceFileAdapter } from '../traceCall';
import { readMessages, readRequestBody, readResponse, readTools } from './messages';
import { callOnly, compactTags, decodeJson, detectBy, errorText, firstNumber, firstString, guarded, isPlainObject, nonEmptyString, notAnObject, skipOnly, stringList, timeField } from './shared';

type Obj = Record<string, unknown>;

/** Call types that are not chat or text generation (LiteLLM's CallTypes): nothing to learn a prompt from. */
const NOT_CHAT = /embedding|image|transcription|speech|moderation|rerank|ocr|file|batch|fine_tuning|vector_store|search|video|container/;

function isStandardLoggingPayload(item: unknown): boolean {
  return isPlainObject(item) && 'call_type' in item && ('messages' in item || 'response' in item || 'model_parameters' in item) && !('request_id' in item);
}

function isSpendLogRow(item: unknown): boolean {
  return isPlainObject(item) && typeof item.request_id === 'string' && ('call_type' in item || 'spend' in item) && !('request_body' in item);
}

export const litellmAdapter: TraceFileAdapter = {
  kind: 'litellm',
  detect: (sample) =>
    detectBy(
      sample,
      (item) => isStandardLoggingPayload(item) || isSpendLogRow(item),
      'a LiteLLM StandardLoggingPayload (call_type with messages/response) or spend-log row (request_id with call_type/spend)',
    ),
  read: (item, at) => guarded(at, () => readLiteLLM(item, at)),
};

function readLiteLLM(item: unknown, at: string): AdapterOutput {
  if (!isPlainObject(item)) return notAnObject(at, item);
  const spendLog = isSpendLogRow(item);
  if (!spendLog && !isStandardLoggingPayload(item)) return skipOnly(at, 'neither a StandardLoggingPayload (call_type, messages, response) nor a spend-log row (request_id, call_type)');
  const callType = nonEmptyString(item.call_type);
  if (callType && NOT_CHAT.test(callType)) return skipOnly(at, `call_type ${callType} is not a chat or text completion`);

  const metadata = decodeJson(item.metadata);
  const meta: Obj = isPlainObject(metadata) ? metadata : {};
  const request = decodeJson(item.proxy_server_request ?? meta.proxy_server_request);
  const requestBody: Obj = isPlainObject(request) ? (isPlainObject(request.body) ? request.body : request) : {};

  const read = readCallMessages(item.messages, requestBody);
  if (read === undefined) return skipOnly(at, spendLog ? 'spend-log row without messages (enable store_prompts_in_spend_logs)' : 'messages are empty');
  if ('error' in read) return skipOnly(at, read.error);

  const params = decodeJson(item.model_parameters);
  const optional = decodeJson(item.optional_params);
  const tools = readTools(isPlainObject(params) ? params.tools : undefined) ?? readTools(isPlainObject(optional) ? optional.tools : undefined) ?? readTools(requestBody.tools);
  const response = readResponse(item.response);
  const hidden = isPlainObject(item.hidden_params) ? item.hidden_params : {};
  const spendMeta = decodeJson(meta.spend_logs_metadata);
  const requester = decodeJson(meta.requester_metadata);

  const id = firstString(spendLog ? item.request_id : item.id, item.id) ?? at;
  const traceId = firstString(spendLog ? item.session_id : item.trace_id, item.trace_id);
  const model = firstString(item.model, hidden.litellm_model_name, requestBody.model);
  const tags = compactTags({
    user: firstString(meta.user_api_key_user_id, item.user, item.end_user, meta.user_api_key_end_user_id, requestBody.user),
    team: firstString(meta.user_api_key_team_alias, meta.user_api_key_team_id, item.team_id),
    end_user: firstString(item.end_user, meta.user_api_key_end_user_id),
    api_key_alias: firstString(meta.user_api_key_alias),
    organization: firstString(meta.user_api_key_org_id, item.organization_id),
    environment: firstString(isPlainObject(spendMeta) ? spendMeta.environment : undefined, isPlainObject(requester) ? requester.environment : undefined, meta.environment),
    tags: stringList(item.request_tags),
    session: spendLog ? firstString(item.session_id) : undefined,
    provider: firstString(item.custom_llm_provider),
    model_group: firstString(item.model_group),
    call_type: callType,
    status: firstString(item.status),
    cache_hit: item.cache_hit === true || item.cache_hit === 'True' ? true : undefined,
    cost: firstNumber(item.response_cost, item.spend),
    prompt_tokens: firstNumber(item.prompt_tokens),
    completion_tokens: firstNumber(item.completion_tokens),
    total_tokens: firstNumber(item.total_tokens),
  });
  return callOnly({
    id,
    source: 'litellm',
    ...(traceId ? { traceId } : {}),
    ...(model ? { model } : {}),
    ...timeField(item.startTime),
    messages: read.messages,
    ...(tools ? { tools } : {}),
    ...(response ? { response } : {}),
    ...(tags ? { tags } : {}),
    ...failedField(item, meta),
  });
}

/** `status: "failure"` (both payload kinds), or an error string / error_information on the call. */
function failedField(item: Obj, meta: Obj): { failed?: string } {
  const status = firstString(item.status)?.toLowerCase();
  const information = decodeJson(item.error_information ?? meta.error_information);
  const words = errorText(item.error_str) ?? (isPlainObject(information) ? firstString(information.error_message, information.error_class, information.error_code) : undefined);
  if (status === 'failure' || status === 'error') return { failed: words ?? `status ${status}` };
  return words && status !== 'success' ? { failed: words } : {};
}

/**
 * The request messages: the `messages` field (an array, JSON text of one, or a text-completion prompt string);
 * when it is empty ("{}" in spend logs that do not store prompts), the request body LiteLLM kept in
 * `proxy_server_request`. Undefined when neither has any.
 */
function readCallMessages(value: unknown, requestBody: Obj): { messages: unknown[] } | { error: string } | undefined {
  const raw = decodeJson(value);
  const empty = raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0) || (isPlainObject(raw) && Object.keys(raw).length === 0);
  if (!empty) {
    if (typeof raw === 'string') {
      const text = raw.trim();
      if (text.startsWith('[') || text.startsWith('{')) return { error: 'messages is JSON text that does not parse' };
      return { messages: [{ role: 'user', content: raw }] };
    }
    return readMessages(raw, 'messages');
  }
  if (!['messages', 'input', 'prompt'].some((key) => requestBody[key] !== undefined && requestBody[key] !== null)) return undefined;
  const body = readRequestBody(requestBody, 'proxy_server_request');
  return 'error' in body ? body : { messages: body.messages };
}
