import type OpenAI from 'openai';
import type { ServerContext } from './context';
import { ApiError, errorForStatus } from './errors';
import type { Fault } from './faults';
import { json } from './http';
import { nowSeconds, type IdGenerator } from './ids';
import { minimalInstance, schemaViolatingInstance } from './jsonSchemaInstance';
import type { Route } from './routing';
import { completionUsage, estimateTokens } from './tokens';
import { streamReply } from './chatStream';
import { functionTools, lastUserText, messageText, validateChatRequest, type ChatRequest, type FunctionTool } from './chatRequest';
import { isRecord, jsonBody, type JsonObject } from './validation';

/** What a test scripts for one chat request; every field is optional and the rest is filled in as the API would. */
export interface ChatReply {
  /** The assistant text; an object or array is sent as its JSON. */
  readonly content?: string | object | null;
  readonly toolCalls?: ReadonlyArray<{ readonly name: string; readonly arguments?: unknown; readonly id?: string }>;
  readonly refusal?: string;
  readonly finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  readonly usage?: { readonly prompt_tokens?: number; readonly completion_tokens?: number };
  /** Answer with this error instead (status and envelope as the API sends them). */
  readonly error?: { readonly status: number; readonly message?: string; readonly type?: string; readonly code?: string | null; readonly param?: string | null };
}

/** Scripts replies per test; `undefined` means the default reply. */
export type ChatHandler = (request: ChatRequest) => ChatReply | undefined | Promise<ChatReply | undefined>;

/**
 * The deterministic reply without a handler: a call of the forced tool with arguments built from its schema; for
 * json_schema the schema's minimal instance; for json_object `{"echo": …}`; otherwise `echo: <last user text>`.
 */
export function defaultReply(request: ChatRequest): ChatReply {
  const forced = forcedTool(request);
  if (forced) return { toolCalls: [{ name: forced.function.name, arguments: minimalInstance(forced.function.parameters ?? { type: 'object', properties: {} }) }] };
  const text = lastUserText(request.messages);
  const format = request.response_format;
  if (format?.type === 'json_schema') return { content: JSON.stringify(minimalInstance(format.json_schema.schema ?? { type: 'object' })) };
  if (format?.type === 'json_object') return { content: { echo: text } };
  return { content: `echo: ${text}` };
}

function forcedTool(request: ChatRequest): FunctionTool | undefined {
  const tools = functionTools(request.tools);
  const choice = request.tool_choice;
  if (choice === 'required') return tools[0];
  if (typeof choice === 'object' && choice !== null && choice.type === 'function') {
    const name = (choice as { function: { name: string } }).function.name;
    return tools.find((tool) => tool.function.name === name);
  }
  return undefined;
}

export function promptTokens(request: ChatRequest): number {
  const messages = request.messages.map((message) => messageText(message.content) + JSON.stringify(message.tool_calls ?? '')).join('\n');
  return estimateTokens(messages) + (request.tools ? estimateTokens(JSON.stringify(request.tools)) : 0);
}

export function buildCompletion(request: ChatRequest, reply: ChatReply, ids: IdGenerator, created = nowSeconds()): OpenAI.ChatCompletion {
  if (reply.error) {
    const fallback = errorForStatus(reply.error.status, reply.error.message);
    throw new ApiError(reply.error.status, fallback.message, reply.error.type ?? fallback.type, reply.error.param ?? null, reply.error.code ?? fallback.code);
  }
  const choiceCount = request.n ?? 1;
  const choices = Array.from({ length: choiceCount }, (_, index) => buildChoice(request, reply, ids, index));
  const completionTokens = choices.reduce((sum, choice) => sum + estimateTokens((choice.message.content ?? '') + JSON.stringify(choice.message.tool_calls ?? '')), 0);
  return {
    id: ids.next('chatcmpl-'),
    object: 'chat.completion',
    created,
    model: request.model,
    choices,
    usage: completionUsage(reply.usage?.prompt_tokens ?? promptTokens(request), reply.usage?.completion_tokens ?? completionTokens),
    service_tier: 'default',
    system_fingerprint: 'fp_openai_test_server',
  };
}

function buildChoice(request: ChatRequest, reply: ChatReply, ids: IdGenerator, index: number): OpenAI.ChatCompletion.Choice {
  const toolCalls = reply.toolCalls?.map((call) => ({
    id: call.id ?? ids.next('call_'),
    type: 'function' as const,
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) },
  }));
  let content = typeof reply.content === 'object' && reply.content !== null ? JSON.stringify(reply.content) : (reply.content ?? null);
  let finishReason = reply.finishReason ?? defaultFinishReason(request, toolCalls !== undefined && toolCalls.length > 0);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (content !== null && maxTokens !== undefined && estimateTokens(content) > maxTokens) {
    content = content.slice(0, maxTokens * 4);
    finishReason = 'length';
  }
  const message: OpenAI.ChatCompletionMessage = { role: 'assistant', content, refusal: reply.refusal ?? null, annotations: [] };
  if (toolCalls?.length) message.tool_calls = toolCalls;
  return { index, message, logprobs: null, finish_reason: finishReason };
}

// OpenAI ends a call forced by naming the function with "stop", and one the model chose (or was required to make) with "tool_calls".
function defaultFinishReason(request: ChatRequest, calledTool: boolean): OpenAI.ChatCompletion.Choice['finish_reason'] {
  if (!calledTool) return 'stop';
  const choice = request.tool_choice;
  return typeof choice === 'object' && choice !== null && choice.type === 'function' ? 'stop' : 'tool_calls';
}

/** Validates, replies (fault, handler, or default), stores when `store: true`; shared by the HTTP route, batches and model graders. */
export async function createChatCompletion(context: ServerContext, body: JsonObject, fault?: Fault): Promise<OpenAI.ChatCompletion> {
  const request = validateChatRequest(body);
  const reply = await replyFor(context, request, fault);
  const completion = buildCompletion(request, reply, context.state.ids);
  if (request.store === true) context.state.completions.add(request, completion);
  return completion;
}

async function replyFor(context: ServerContext, request: ChatRequest, fault: Fault | undefined): Promise<ChatReply> {
  const format = request.response_format;
  if (fault?.kind === 'wrongSchema' && format?.type === 'json_schema') {
    return { content: JSON.stringify(schemaViolatingInstance(format.json_schema.schema ?? { type: 'object' })) };
  }
  return (await context.chatHandler?.(request)) ?? defaultReply(request);
}

export const chatRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/chat/completions',
    handle: async (request, context) => {
      const body = jsonBody(request);
      const completion = await createChatCompletion(context, body, request.fault);
      if (body.stream !== true) return json(completion);
      return streamReply(completion, isRecord(body.stream_options) && body.stream_options.include_usage === true, request.fault);
    },
  },
];
