import { invalidRequest, invalidType, invalidValue, missingParameter } from './errors';
import { strictSchemaProblem } from './strictSchema';
import { isRecord, optionalBoolean, optionalInteger, optionalMetadata, optionalNumber, optionalObject, requiredString, type JsonObject, type Metadata } from './validation';

export interface ChatMessage {
  readonly role: string;
  readonly content?: unknown;
  readonly name?: string;
  readonly tool_calls?: unknown[];
  readonly tool_call_id?: string;
  readonly [key: string]: unknown;
}

export interface FunctionTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description?: string; readonly parameters?: JsonObject; readonly strict?: boolean | null };
}

export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | { readonly type: 'json_schema'; readonly json_schema: { readonly name: string; readonly schema?: JsonObject; readonly strict?: boolean | null; readonly description?: string } };

export type ToolChoice = 'none' | 'auto' | 'required' | { readonly type: 'function'; readonly function: { readonly name: string } } | JsonObject;

/** A validated chat completions request body, as handlers given to `onChat` see it. */
export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly (FunctionTool | JsonObject)[];
  readonly tool_choice?: ToolChoice;
  readonly response_format?: ResponseFormat;
  readonly n?: number;
  readonly temperature?: number;
  readonly store?: boolean;
  readonly metadata?: Metadata | null;
  readonly max_completion_tokens?: number;
  readonly max_tokens?: number;
  readonly seed?: number;
  readonly [key: string]: unknown;
}

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export function validateChatRequest(body: JsonObject): ChatRequest {
  requiredString(body, 'model');
  validateStream(body);
  validateMessages(body.messages);
  const n = optionalInteger(body, 'n');
  if (n !== undefined && (n < 1 || n > 128)) throw invalidValue('n', `expected an integer between 1 and 128, got ${n}.`);
  const temperature = optionalNumber(body, 'temperature');
  if (temperature !== undefined && temperature > 2) {
    throw invalidRequest(`Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${temperature} instead.`, 'temperature', 'decimal_above_max_value');
  }
  if (temperature !== undefined && temperature < 0) {
    throw invalidRequest(`Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got ${temperature} instead.`, 'temperature', 'decimal_below_min_value');
  }
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    const limit = optionalInteger(body, key);
    if (limit !== undefined && limit < 1) throw invalidValue(key, `expected a positive integer, got ${limit}.`);
  }
  optionalBoolean(body, 'store');
  optionalMetadata(body);
  const tools = validateTools(body.tools);
  validateToolChoice(body.tool_choice, tools);
  validateResponseFormat(body.response_format, body.messages as ChatMessage[]);
  return body as unknown as ChatRequest;
}

function validateStream(body: JsonObject): void {
  const stream = optionalBoolean(body, 'stream');
  const options = optionalObject(body, 'stream_options');
  if (options === undefined) return;
  if (stream !== true) throw invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', 'invalid_value');
  optionalBoolean(options, 'include_usage', 'stream_options.include_usage');
}

function validateMessages(messages: unknown): void {
  if (messages === undefined || messages === null) throw missingParameter('messages');
  if (!Array.isArray(messages)) throw invalidType('messages', 'an array');
  if (messages.length === 0) throw invalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
  messages.forEach((message, index) => {
    if (!isRecord(message)) throw invalidType(`messages[${index}]`, 'an object');
    if (typeof message.role !== 'string' || !ROLES.includes(message.role)) {
      throw invalidRequest(
        `Invalid value: '${String(message.role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${index}].role`,
        'invalid_value',
      );
    }
    if (message.role === 'tool' && typeof message.tool_call_id !== 'string') throw missingParameter(`messages[${index}].tool_call_id`);
  });
}

function validateTools(tools: unknown): JsonObject[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalidType('tools', 'an array');
  return tools.map((tool, index) => {
    if (!isRecord(tool)) throw invalidType(`tools[${index}]`, 'an object');
    if (tool.type !== 'function') return tool;
    if (!isRecord(tool.function)) throw missingParameter(`tools[${index}].function`);
    const name = tool.function.name;
    if (typeof name !== 'string') throw missingParameter(`tools[${index}].function.name`);
    if (!NAME_PATTERN.test(name)) {
      throw invalidRequest(
        `Invalid 'tools[${index}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `tools[${index}].function.name`,
        'invalid_value',
      );
    }
    if (tool.function.strict === true) {
      const problem = strictSchemaProblem(tool.function.parameters ?? { type: 'object', properties: {}, additionalProperties: false, required: [] });
      if (problem) throw invalidRequest(`Invalid schema for function '${name}': ${problem}`, `tools[${index}].function.parameters`, 'invalid_function_parameters');
    }
    return tool;
  });
}

function validateToolChoice(choice: unknown, tools: JsonObject[]): void {
  if (choice === undefined || choice === null) return;
  if (tools.length === 0) throw invalidValue('tool_choice', "'tool_choice' is only allowed when 'tools' are specified.");
  if (typeof choice === 'string') {
    if (!['none', 'auto', 'required'].includes(choice)) throw invalidValue('tool_choice', `'${choice}'. Supported values are: 'none', 'auto', and 'required'.`);
    return;
  }
  if (!isRecord(choice)) throw invalidType('tool_choice', 'a string or an object');
  if (choice.type === 'function') {
    const name = isRecord(choice.function) ? choice.function.name : undefined;
    if (typeof name !== 'string') throw missingParameter('tool_choice.function.name');
    if (!functionTools(tools).some((tool) => tool.function.name === name)) throw invalidValue('tool_choice', `function '${name}' is not one of the given 'tools'.`);
  }
}

function validateResponseFormat(format: unknown, messages: ChatMessage[]): void {
  if (format === undefined || format === null) return;
  if (!isRecord(format)) throw invalidType('response_format', 'an object');
  switch (format.type) {
    case 'text':
      return;
    case 'json_object':
      if (!messages.some((message) => /json/i.test(messageText(message.content)))) {
        throw invalidRequest("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
      }
      return;
    case 'json_schema': {
      if (!isRecord(format.json_schema)) throw missingParameter('response_format.json_schema');
      const name = format.json_schema.name;
      if (typeof name !== 'string') throw missingParameter('response_format.json_schema.name');
      if (!NAME_PATTERN.test(name)) throw invalidValue('response_format.json_schema.name', "string does not match pattern '^[a-zA-Z0-9_-]+$'.");
      if (format.json_schema.strict === true) {
        const problem = strictSchemaProblem(format.json_schema.schema);
        if (problem) throw invalidRequest(`Invalid schema for response_format '${name}': ${problem}`, 'response_format', null);
      }
      return;
    }
    default:
      throw invalidRequest(`Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`, 'response_format.type', 'invalid_value');
  }
}

export function functionTools(tools: readonly unknown[] | undefined): FunctionTool[] {
  return (tools ?? []).filter((tool): tool is FunctionTool => isRecord(tool) && tool.type === 'function' && isRecord(tool.function));
}

/** The text of a message's content: the string itself, or its text parts joined. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter(Boolean)
    .join('\n');
}

export function lastUserText(messages: readonly ChatMessage[]): string {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  return last ? messageText(last.content) : '';
}
