// Message, tool and response shapes that traces carry, read into the OpenAI chat shapes of TraceCall:
// OpenAI chat messages (kept as given), OpenTelemetry GenAI "parts" messages, Anthropic content blocks,
// OpenAI Responses API input/output items, and LangChain-style `{type:'human'|'ai', content}` messages.
import type { TraceCall } from '../traceCall';
import { decodeJson, describeType, isPlainObject } from './shared';

type Obj = Record<string, unknown>;
export type TraceResponse = NonNullable<TraceCall['response']>;
export type MessagesResult = { readonly messages: unknown[] } | { readonly error: string };

/** Tool-call arguments as OpenAI wants them: a JSON string (objects are encoded, a missing value is `{}`). */
export function encodeArguments(args: unknown): string {
  if (typeof args === 'string') return args;
  if (args === undefined || args === null) return '{}';
  return JSON.stringify(args);
}

/** A tool's output as message content: strings as they are, anything else as JSON. */
export function outputText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (Array.isArray(value) && value.every((part) => isPlainObject(part) && typeof part.text === 'string')) {
    return value.map((part) => (part as Obj).text as string).join('\n');
  }
  return JSON.stringify(value);
}

/**
 * Reads a list of request messages; `field` names it in errors ("request.messages is not an array").
 * Every element must be an object; the shapes above are converted, OpenAI messages are kept as given.
 */
export function readMessages(value: unknown, field: string): MessagesResult {
  const list = decodeJson(value);
  if (list === undefined || list === null) return { error: `${field} is missing` };
  if (!Array.isArray(list)) return { error: `${field} is not an array (it is ${describeType(list)})` };
  if (list.length === 0) return { error: `${field} is empty` };
  const messages: unknown[] = [];
  for (let i = 0; i < list.length; i++) {
    const message = list[i];
    if (!isPlainObject(message)) return { error: `${field}[${i}] is not an object (it is ${describeType(message)})` };
    const converted = convertMessage(message);
    if (converted === undefined) return { error: `${field}[${i}] has no role` };
    for (const entry of converted) appendMessage(messages, entry);
  }
  return { messages };
}

/** Responses API items give one item per parallel tool call: those join the assistant turn before them. */
function appendMessage(messages: unknown[], message: Obj): void {
  const previous = messages[messages.length - 1];
  const joinable = message.role === 'assistant' && message.content === null && Array.isArray(message.tool_calls) && isPlainObject(previous) && previous.role === 'assistant';
  if (joinable && FROM_ITEMS.has(message)) {
    const calls = Array.isArray(previous.tool_calls) ? previous.tool_calls : [];
    messages[messages.length - 1] = { ...previous, content: previous.content ?? null, tool_calls: [...calls, ...(message.tool_calls as unknown[])] };
    return;
  }
  messages.push(message);
}

const FROM_ITEMS = new WeakSet<object>();
const LANGCHAIN_ROLES: Record<string, string> = { human: 'user', ai: 'assistant', system: 'system', tool: 'tool', developer: 'developer', user: 'user', assistant: 'assistant' };

/** One trace message as OpenAI messages (a message with tool results may become several); undefined: no role. */
export function convertMessage(message: Obj): Obj[] | undefined {
  if (typeof message.role === 'string' && Array.isArray(message.parts)) return fromOtelParts(message.role, message.parts, message.name);
  const itemType = message.type;
  if (itemType === 'function_call') {
    const call = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: message.call_id ?? message.id, type: 'function', function: { name: message.name, arguments: encodeArguments(message.arguments) } }],
    };
    FROM_ITEMS.add(call);
    return [call];
  }
  if (itemType === 'function_call_output') return [{ role: 'tool', tool_call_id: message.call_id, content: outputText(message.output) }];
  if (itemType === 'reasoning') return [];
  if (typeof message.role !== 'string') {
    const role = typeof itemType === 'string' ? LANGCHAIN_ROLES[itemType] : undefined;
    if (role === undefined) return undefined;
    return convertMessage(fromLangChain(message, role));
  }
  if (Array.isArray(message.content) && message.content.some(isConvertibleBlock)) return fromBlocks(message);
  if (itemType === 'message') {
    const { type: _type, id: _id, status: _status, ...rest } = message;
    return [rest];
  }
  return [message];
}

function fromLangChain(message: Obj, role: string): Obj {
  const out: Obj = { role, content: message.content ?? null };
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    out.tool_calls = message.tool_calls.map((call) => {
      if (!isPlainObject(call) || isPlainObject(call.function)) return call;
      return { id: call.id, type: 'function', function: { name: call.name, arguments: encodeArguments(call.args ?? call.arguments) } };
    });
  }
  if (typeof message.tool_call_id === 'string') out.tool_call_id = message.tool_call_id;
  if (typeof message.name === 'string' && role !== 'tool') out.name = message.name;
  return out;
}

/** Content blocks that OpenAI messages do not have: Anthropic blocks and Responses API parts. */
function isConvertibleBlock(block: unknown): boolean {
  if (!isPlainObject(block)) return false;
  switch (block.type) {
    case 'tool_use':
    case 'tool_result':
    case 'thinking':
    case 'redacted_thinking':
    case 'input_text':
    case 'output_text':
    case 'input_image':
      return true;
    case 'image':
      return isPlainObject(block.source);
    default:
      return false;
  }
}

/** Anthropic content blocks / Responses API parts in a message with a role. */
function fromBlocks(message: Obj): Obj[] {
  const role = message.role as string;
  const content: unknown[] = [];
  const toolCalls: unknown[] = [];
  const toolResults: Obj[] = [];
  for (const block of message.content as unknown[]) {
    if (!isPlainObject(block)) continue;
    switch (block.type) {
      case 'text':
      case 'input_text':
      case 'output_text':
        if (typeof block.text === 'string') content.push({ type: 'text', text: block.text });
        break;
      case 'image': {
        const url = imageSourceUrl(block.source);
        if (url) content.push({ type: 'image_url', image_url: { url } });
        break;
      }
      case 'input_image':
        if (typeof block.image_url === 'string') content.push({ type: 'image_url', image_url: { url: block.image_url } });
        break;
      case 'tool_use':
        toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: encodeArguments(block.input) } });
        break;
      case 'tool_result':
        toolResults.push({ role: 'tool', tool_call_id: block.tool_use_id, content: outputText(block.content) });
        break;
      case 'thinking':
      case 'redacted_thinking':
        break;
      default:
        content.push(block);
    }
  }
  return assemble(role, content, toolCalls, toolResults, message.name);
}

function imageSourceUrl(source: unknown): string | undefined {
  if (!isPlainObject(source)) return undefined;
  if (source.type === 'url' && typeof source.url === 'string') return source.url;
  if (source.type === 'base64' && typeof source.data === 'string') return `data:${typeof source.media_type === 'string' ? source.media_type : 'image/png'};base64,${source.data}`;
  return undefined;
}

/**
 * OpenTelemetry GenAI parts (gen_ai.input.messages / gen_ai.output.messages / gen_ai.system_instructions):
 * text parts become the content (one: a string; several or with media: a content-part array), tool_call parts
 * the assistant's `tool_calls` (arguments JSON-encoded), tool_call_response parts `{role:'tool'}` messages;
 * reasoning parts are dropped.
 */
export function fromOtelParts(role: string, parts: readonly unknown[], name?: unknown): Obj[] {
  const content: unknown[] = [];
  const toolCalls: unknown[] = [];
  const toolResults: Obj[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      content.push({ type: 'text', text: part });
      continue;
    }
    if (!isPlainObject(part)) continue;
    switch (part.type) {
      case 'text':
        content.push({ type: 'text', text: typeof part.content === 'string' ? part.content : outputText(part.content) });
        break;
      case 'tool_call': {
        toolCalls.push({ ...(typeof part.id === 'string' ? { id: part.id } : {}), type: 'function', function: { name: part.name, arguments: encodeArguments(part.arguments) } });
        break;
      }
      case 'tool_call_response': {
        toolResults.push({ role: 'tool', ...(typeof part.id === 'string' ? { tool_call_id: part.id } : {}), content: outputText(part.response ?? part.result) });
        break;
      }
      case 'uri':
        if (part.modality === 'image' && typeof part.uri === 'string') content.push({ type: 'image_url', image_url: { url: part.uri } });
        break;
      case 'blob':
        if (part.modality === 'image' && typeof part.content === 'string') {
          content.push({ type: 'image_url', image_url: { url: `data:${typeof part.mime_type === 'string' ? part.mime_type : 'image/png'};base64,${part.content}` } });
        }
        break;
      case 'file':
        if (typeof part.file_id === 'string') content.push({ type: 'file', file: { file_id: part.file_id } });
        break;
      case 'reasoning':
        break;
      default:
        if (typeof part.content === 'string') content.push({ type: 'text', text: part.content });
    }
  }
  return assemble(role, content, toolCalls, toolResults, name);
}

/** Builds the OpenAI messages for one source message: tool results first, then the message itself. */
function assemble(role: string, content: unknown[], toolCalls: unknown[], toolResults: Obj[], name: unknown): Obj[] {
  const out: Obj[] = [...toolResults];
  const hasContent = content.length > 0;
  if (role === 'tool' && toolResults.length > 0 && !hasContent) return out;
  if (!hasContent && toolCalls.length === 0 && toolResults.length > 0) return out;
  const message: Obj = { role, content: contentValue(content, toolCalls.length > 0) };
  if (typeof name === 'string' && name !== '') message.name = name;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  out.push(message);
  return out;
}

function contentValue(parts: unknown[], hasToolCalls: boolean): unknown {
  if (parts.length === 0) return hasToolCalls ? null : '';
  if (parts.length === 1 && isPlainObject(parts[0]) && parts[0].type === 'text') return parts[0].text;
  return parts;
}

/** Tool definitions: OpenAI function tools and flat (Responses / OTel) tools as given; Anthropic tools made flat. */
export function readTools(value: unknown): unknown[] | undefined {
  const list = decodeJson(value);
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.map((tool) => {
    if (!isPlainObject(tool) || isPlainObject(tool.function)) return tool;
    if (typeof tool.name === 'string' && isPlainObject(tool.input_schema) && (tool.type === undefined || tool.type === 'custom')) {
      const flat: Obj = { type: 'function', name: tool.name, parameters: tool.input_schema };
      if (typeof tool.description === 'string') flat.description = tool.description;
      return flat;
    }
    return tool;
  });
}

/** Legacy `functions` (OpenAI before tools) as function tools. */
function readFunctions(value: unknown): unknown[] | undefined {
  const list = decodeJson(value);
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.map((fn) => (isPlainObject(fn) && typeof fn.name === 'string' ? { type: 'function', function: fn } : fn));
}

export type RequestBody = { readonly messages: unknown[]; readonly tools?: unknown[]; readonly model?: string };

/**
 * A provider request body as messages + tools + model: chat completions (`messages`, Anthropic's top-level
 * `system` too), the Responses API (`input` + `instructions`) and text completions (`prompt`).
 */
export function readRequestBody(body: unknown, field: string): RequestBody | { readonly error: string } {
  const value = decodeJson(body);
  if (!isPlainObject(value)) return { error: `${field} is not an object (it is ${describeType(value)})` };
  let result: MessagesResult;
  let system: unknown;
  if ('messages' in value) {
    result = readMessages(value.messages, `${field}.messages`);
    system = value.system;
  } else if ('input' in value) {
    result = typeof value.input === 'string' ? { messages: [{ role: 'user', content: value.input }] } : readMessages(value.input, `${field}.input`);
    system = value.instructions;
  } else if (typeof value.prompt === 'string') {
    result = { messages: [{ role: 'user', content: value.prompt }] };
  } else {
    return { error: `${field} has no messages (neither "messages", "input" nor "prompt")` };
  }
  if ('error' in result) return result;
  const messages = [...result.messages];
  const systemMessage = systemMessageOf(system);
  if (systemMessage) messages.unshift(systemMessage);
  const tools = readTools(value.tools) ?? readFunctions(value.functions);
  const model = typeof value.model === 'string' && value.model !== '' ? value.model : undefined;
  return { messages, ...(tools ? { tools } : {}), ...(model ? { model } : {}) };
}

function systemMessageOf(system: unknown): Obj | undefined {
  if (typeof system === 'string') return system.trim() === '' ? undefined : { role: 'system', content: system };
  if (Array.isArray(system) && system.length > 0) {
    const text = outputText(system);
    return text === '' ? undefined : { role: 'system', content: text };
  }
  return undefined;
}

/**
 * The model's answer from what a trace kept: a chat completion (first choice), a Responses API response,
 * an Anthropic message, an OTel output message (parts), a `{message}` wrapper (gen_ai.choice), a bare
 * assistant message, a list of such (the first assistant one), or plain text. Undefined when there is none.
 */
export function readResponse(value: unknown): TraceResponse | undefined {
  const decoded = decodeJson(value);
  if (decoded === undefined || decoded === null) return undefined;
  if (typeof decoded === 'string') return decoded === '' ? undefined : { content: decoded };
  if (Array.isArray(decoded)) {
    for (const entry of decoded) {
      if (isPlainObject(entry) && entry.role !== undefined && entry.role !== 'assistant' && entry.role !== 'model') continue;
      const response = readResponse(entry);
      if (response) return response;
    }
    return undefined;
  }
  if (!isPlainObject(decoded)) return undefined;
  if (Array.isArray(decoded.choices)) {
    const choice = decoded.choices[0];
    if (!isPlainObject(choice)) return undefined;
    if (isPlainObject(choice.message)) return fromAssistantMessage(choice.message);
    return typeof choice.text === 'string' ? { content: choice.text } : undefined;
  }
  if (Array.isArray(decoded.output) && (decoded.object === 'response' || decoded.output.some((item) => isPlainObject(item) && typeof item.type === 'string'))) {
    return fromResponsesOutput(decoded.output);
  }
  if (isPlainObject(decoded.message)) return fromAssistantMessage(decoded.message);
  if ('content' in decoded || 'tool_calls' in decoded || Array.isArray(decoded.parts)) return fromAssistantMessage(decoded);
  if (typeof decoded.text === 'string') return { content: decoded.text };
  if (typeof decoded.completion === 'string') return { content: decoded.completion };
  return undefined;
}

function fromAssistantMessage(message: Obj): TraceResponse | undefined {
  const converted = convertMessage({ role: 'assistant', ...message }) ?? [];
  const assistant = converted.find((entry) => entry.role !== 'tool');
  if (!assistant) return undefined;
  const content = textOnly(assistant.content);
  const toolCalls = Array.isArray(assistant.tool_calls) && assistant.tool_calls.length > 0 ? assistant.tool_calls : undefined;
  const hasContent = content !== undefined && content !== null && content !== '';
  if (!hasContent && !toolCalls) return undefined;
  return { ...(hasContent ? { content } : {}), ...(toolCalls ? { tool_calls: toolCalls } : {}) };
}

/** An answer's content: a content-part array of text parts only is its text (as Anthropic replies are). */
function textOnly(content: unknown): unknown {
  if (!Array.isArray(content) || content.length === 0) return content;
  if (!content.every((part) => isPlainObject(part) && part.type === 'text' && typeof part.text === 'string')) return content;
  return content.map((part) => (part as Obj).text as string).join('\n');
}

function fromResponsesOutput(items: unknown[]): TraceResponse | undefined {
  const texts: string[] = [];
  const toolCalls: unknown[] = [];
  for (const item of items) {
    if (!isPlainObject(item)) continue;
    if (item.type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content) if (isPlainObject(part) && typeof part.text === 'string') texts.push(part.text);
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id ?? item.id, type: 'function', function: { name: item.name, arguments: encodeArguments(item.arguments) } });
    }
  }
  if (texts.length === 0 && toolCalls.length === 0) return undefined;
  return { ...(texts.length > 0 ? { content: texts.join('\n') } : {}), ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
}
