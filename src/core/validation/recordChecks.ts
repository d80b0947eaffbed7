import type { Finding, JsonPath } from './issue';
import type { ValidationSettings } from './settings';
import { contentText, isPlainObject } from './recordShape';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const KNOWN_MESSAGE_KEYS = new Set(['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'refusal', 'weight', 'function_call', 'audio']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Content-part types per role, as OpenAI's fine-tuning input allows them (test/fixtures/vendor/openai/
 * rft-input-chat-schema.yaml): text and images from the user, text and refusals from the assistant, text only
 * elsewhere. Audio and file parts exist in chat completions but "are not currently supported for fine-tuning".
 */
const PART_TYPES_BY_ROLE: Readonly<Record<string, readonly string[]>> = {
  user: ['text', 'image_url'],
  assistant: ['text', 'refusal'],
  system: ['text'],
  developer: ['text'],
  tool: ['text'],
};
const IMAGE_DETAILS = ['auto', 'low', 'high'];

/**
 * Checks one parsed record (everything but tokens, encoding and duplicates, which need more than the value).
 * Findings come in record order so that the first one is the first thing to fix.
 */
export function checkRecord(record: unknown, settings: ValidationSettings): Finding[] {
  if (!isPlainObject(record)) {
    const kind = record === null ? 'null' : Array.isArray(record) ? 'an array' : `a ${typeof record}`;
    return [{ code: 'not_object', path: [], message: `Each line must be a JSON object with "messages"; this line is ${kind}.` }];
  }
  if (!Object.prototype.hasOwnProperty.call(record, 'messages')) {
    return [{ code: 'missing_messages', path: [], message: 'The record has no "messages" array. Add "messages": [{"role":"user","content":"…"}].' }];
  }
  const messages = record.messages;
  if (!Array.isArray(messages)) {
    return [{ code: 'missing_messages', path: ['messages'], message: `"messages" must be an array of message objects, not ${describe(messages)}.` }];
  }
  if (messages.length === 0) {
    return [{ code: 'empty_messages', path: ['messages'], message: '"messages" is empty. A record needs at least one user message.' }];
  }
  const findings: Finding[] = [];
  checkTopLevelSystem(record, findings);
  checkTools(record.tools, findings);
  checkMessages(messages, settings, findings);
  checkReferenceToolCalls(record, findings);
  return findings;
}

/** A top-level `system` (Anthropic's shape) is not part of the prompt: the model never sees it. */
function checkTopLevelSystem(record: Record<string, unknown>, findings: Finding[]): void {
  if (typeof record.system !== 'string' || record.system.trim() === '') return;
  findings.push({
    code: 'top_level_system',
    path: ['system'],
    onKey: true,
    message: 'The record has a top-level "system" string (Anthropic\'s shape); the model never sees it there. Quick fix: move it into a leading {"role":"system"} message.',
  });
}

/** `reference_tool_calls` (where `last_not_user` puts a final turn's calls) are graded, so they must be calls. */
function checkReferenceToolCalls(record: Record<string, unknown>, findings: Finding[]): void {
  const calls = record.reference_tool_calls;
  if (calls === undefined || calls === null) return;
  if (!Array.isArray(calls)) {
    findings.push({ code: 'invalid_tool_call', path: ['reference_tool_calls'], message: `"reference_tool_calls" must be an array of tool calls, not ${describe(calls)}.` });
    return;
  }
  for (let c = 0; c < calls.length; c++) checkToolCall(calls[c], ['reference_tool_calls', c], findings);
}

function checkMessages(messages: unknown[], settings: ValidationSettings, findings: Finding[]): void {
  const pendingCalls = new Map<string, number>();
  let lastUser = -1;
  let roleOk = true;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const path: JsonPath = ['messages', i];
    if (!isPlainObject(message)) {
      findings.push({ code: 'invalid_message', path, message: `messages[${i}] must be an object with "role" and "content", not ${describe(message)}.` });
      roleOk = false;
      continue;
    }
    const role = message.role;
    if (typeof role !== 'string') {
      findings.push({
        code: 'invalid_message',
        path: role === undefined ? path : [...path, 'role'],
        message: `messages[${i}] has no string "role". Use one of system, developer, user, assistant, tool.`,
      });
      roleOk = false;
      continue;
    }
    if (!ROLES.has(role)) {
      findings.push({ code: 'invalid_role', path: [...path, 'role'], message: `messages[${i}].role is "${clip(role)}"; it must be one of system, developer, user, assistant, tool.` });
      roleOk = false;
      continue;
    }
    for (const key of Object.keys(message)) {
      if (!KNOWN_MESSAGE_KEYS.has(key)) {
        findings.push({
          code: 'unknown_message_key',
          path: [...path, key],
          onKey: true,
          message: `messages[${i}] has an unknown key "${clip(key)}"; training ignores it. Move grader data to the top level of the record.`,
        });
      }
    }
    checkNameAndWeight(message, i, findings);
    if (role !== 'tool' && role !== 'assistant' && pendingCalls.size > 0) reportMissingResults(pendingCalls, findings);
    if (role === 'assistant') {
      if (pendingCalls.size > 0) reportMissingResults(pendingCalls, findings);
      checkAssistant(message, i, messages.length, pendingCalls, findings);
    } else if (role === 'tool') {
      checkToolResult(message, i, pendingCalls, findings);
    } else {
      checkContent(message, i, role, findings);
      if (role === 'user') lastUser = i;
    }
  }
  if (pendingCalls.size > 0) reportMissingResults(pendingCalls, findings);
  if (!roleOk) return;
  if (lastUser === -1) {
    findings.push({ code: 'no_user_message', path: ['messages'], message: 'The record has no user message; the model needs a user turn to answer.' });
    return;
  }
  const last = messages.length - 1;
  if (lastUser !== last) {
    const lastRole = (messages[last] as { role: string }).role;
    const fix = lastRole === 'assistant' ? ' Quick fix: move it into "reference_answer".' : ' Remove the turns after the last user message or add a user turn.';
    findings.push({ code: 'last_not_user', path: ['messages', last], message: `The last message is "${lastRole}", but an RFT prompt must end with a user turn (the model writes the answer).${fix}` });
    return;
  }
  if (findings.length > 0) return; // a short prompt is worth a warning only on an otherwise sound record
  const text = contentText((messages[lastUser] as { content: unknown }).content).trim();
  if (text.length > 0 && text.length < settings.minUserChars) {
    findings.push({
      code: 'user_message_too_short',
      path: ['messages', lastUser, 'content'],
      message: `The final user message has ${text.length} characters (fewer than ${settings.minUserChars}); a prompt this short rarely trains well.`,
    });
  }
}

function checkNameAndWeight(message: Record<string, unknown>, i: number, findings: Finding[]): void {
  const path: JsonPath = ['messages', i];
  if (message.name !== undefined && typeof message.name !== 'string') {
    findings.push({ code: 'invalid_message', path: [...path, 'name'], message: `messages[${i}].name must be a string, not ${describe(message.name)}.` });
  }
  if (message.weight !== undefined && message.weight !== 0 && message.weight !== 1) {
    findings.push({ code: 'invalid_weight', path: [...path, 'weight'], message: `messages[${i}].weight is ${describe(message.weight)}; it must be the integer 0 or 1.` });
  }
}

function reportMissingResults(pendingCalls: Map<string, number>, findings: Finding[]): void {
  for (const [id, at] of pendingCalls) {
    findings.push({
      code: 'missing_tool_result',
      path: ['messages', at, 'tool_calls'],
      message: `messages[${at}] calls a tool with id "${clip(id)}" but no tool message answers it before the next turn. Add {"role":"tool","tool_call_id":"${clip(id)}",…}.`,
    });
  }
  pendingCalls.clear();
}

function checkContent(message: Record<string, unknown>, i: number, role: string, findings: Finding[]): void {
  const path: JsonPath = ['messages', i];
  if (!('content' in message) || message.content === null) {
    findings.push({ code: 'missing_content', path, message: `messages[${i}] (${role}) has no "content". Give it a string or an array of content parts.` });
    return;
  }
  if (!checkContentShape(message.content, [...path, 'content'], role, findings)) return;
  if (role === 'user' && contentIsEmpty(message.content)) {
    findings.push({ code: 'empty_user_message', path: [...path, 'content'], message: `messages[${i}] is a user message with empty content. Write the user's request or remove the turn.` });
  }
}

function contentIsEmpty(content: unknown): boolean {
  if (typeof content === 'string') return content.trim() === '';
  if (!Array.isArray(content)) return false;
  return content.every((part) => isPlainObject(part) && part.type === 'text' && typeof part.text === 'string' && part.text.trim() === '');
}

/** Content is a string or an array of parts with a `type` the role allows; text parts need a string `text`. */
function checkContentShape(content: unknown, path: JsonPath, role: string, findings: Finding[]): boolean {
  if (typeof content === 'string') return true;
  if (!Array.isArray(content)) {
    findings.push({ code: 'invalid_message', path, message: `"content" must be a string or an array of content parts, not ${describe(content)}.` });
    return false;
  }
  for (let p = 0; p < content.length; p++) {
    const part = content[p];
    if (!isPlainObject(part) || typeof part.type !== 'string') {
      findings.push({ code: 'invalid_message', path: [...path, p], message: `content part ${p} must be an object with a "type" such as "text" or "image_url".` });
      return false;
    }
    if (part.type === 'text' && typeof part.text !== 'string') {
      findings.push({ code: 'invalid_message', path: [...path, p], message: `content part ${p} has type "text" but no string "text".` });
      return false;
    }
    const problem = contentPartProblem(part as Record<string, unknown> & { type: string }, role);
    if (problem !== undefined) {
      findings.push({ code: 'invalid_content_part', path: [...path, p, ...problem.at], message: `messages[${path[1]}] content part ${p}: ${problem.why}` });
      return false;
    }
  }
  return true;
}

/** Why a typed content part is not allowed for the role (and where in the part), or undefined when it is. */
function contentPartProblem(part: Record<string, unknown> & { type: string }, role: string): { why: string; at: JsonPath } | undefined {
  const allowed = PART_TYPES_BY_ROLE[role] ?? ['text'];
  if (!allowed.includes(part.type)) {
    const unsupported = part.type === 'input_audio' || part.type === 'file' ? ' Audio and file inputs are not supported for fine-tuning.' : '';
    return { at: ['type'], why: `type "${clip(part.type)}" is not allowed in a ${role} turn (allowed: ${allowed.join(', ')}).${unsupported}` };
  }
  if (part.type === 'refusal' && typeof part.refusal !== 'string') {
    return { at: [], why: 'a "refusal" part needs a string "refusal".' };
  }
  if (part.type !== 'image_url') return undefined;
  const image = part.image_url;
  if (!isPlainObject(image) || typeof image.url !== 'string' || image.url === '') {
    return { at: 'image_url' in part ? ['image_url'] : [], why: 'an "image_url" part needs "image_url": {"url": "<https or data: URL>"}.' };
  }
  if (image.detail !== undefined && (typeof image.detail !== 'string' || !IMAGE_DETAILS.includes(image.detail))) {
    return { at: ['image_url', 'detail'], why: `image "detail" is ${describe(image.detail)}; it must be one of ${IMAGE_DETAILS.join(', ')}.` };
  }
  return undefined;
}

function checkAssistant(message: Record<string, unknown>, i: number, count: number, pendingCalls: Map<string, number>, findings: Finding[]): void {
  const path: JsonPath = ['messages', i];
  const calls = message.tool_calls;
  const hasCalls = Array.isArray(calls) && calls.length > 0;
  if (calls !== undefined && calls !== null && !Array.isArray(calls)) {
    findings.push({ code: 'invalid_tool_call', path: [...path, 'tool_calls'], message: `messages[${i}].tool_calls must be an array, not ${describe(calls)}.` });
  }
  const content = message.content;
  if (content === undefined || content === null) {
    if (!hasCalls && message.function_call === undefined && message.refusal === undefined) {
      findings.push({ code: 'missing_content', path, message: `messages[${i}] (assistant) has neither "content" nor "tool_calls".` });
    }
  } else {
    checkContentShape(content, [...path, 'content'], 'assistant', findings);
  }
  if (!hasCalls) return;
  const isFinal = i === count - 1;
  for (let c = 0; c < (calls as unknown[]).length; c++) {
    const id = checkToolCall((calls as unknown[])[c], [...path, 'tool_calls', c], findings);
    // The final turn's calls are the answer, not a chain to complete (last_not_user covers them).
    if (id !== undefined && !isFinal) pendingCalls.set(id, i);
  }
}

/** Returns the call id when the call is well-formed enough to be answered. */
function checkToolCall(call: unknown, path: JsonPath, findings: Finding[]): string | undefined {
  const where = path[0] === 'reference_tool_calls' ? `reference_tool_calls[${path[1]}]` : `tool call ${path[path.length - 1]} of messages[${path[1]}]`;
  if (!isPlainObject(call)) {
    findings.push({ code: 'invalid_tool_call', path, message: `${where} must be an object {"id","type":"function","function":{"name","arguments"}}.` });
    return undefined;
  }
  const id = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
  if (id === undefined) findings.push({ code: 'invalid_tool_call', path: 'id' in call ? [...path, 'id'] : path, message: `${where} has no "id"; tool results refer to calls by id.` });
  if (call.type !== undefined && call.type !== 'function') {
    findings.push({ code: 'invalid_tool_call', path: [...path, 'type'], message: `${where} has type ${describe(call.type)}; only "function" is supported.` });
  }
  const fn = call.function;
  if (!isPlainObject(fn)) {
    findings.push({ code: 'invalid_tool_call', path: 'function' in call ? [...path, 'function'] : path, message: `${where} has no "function" object with "name" and "arguments".` });
    return id;
  }
  if (typeof fn.name !== 'string' || fn.name === '') {
    findings.push({ code: 'invalid_tool_call', path: 'name' in fn ? [...path, 'function', 'name'] : [...path, 'function'], message: `${where} has no function "name".` });
  } else if (!TOOL_NAME.test(fn.name)) {
    findings.push({
      code: 'invalid_tool_call',
      path: [...path, 'function', 'name'],
      message: `${where} calls "${clip(fn.name)}"; a function name must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -), as in tool definitions.`,
    });
  }
  checkArguments(fn.arguments, [...path, 'function', 'arguments'], where, findings);
  return id;
}

function checkArguments(args: unknown, path: JsonPath, where: string, findings: Finding[]): void {
  if (typeof args !== 'string') {
    const hint = isPlainObject(args) ? ' Encode the object as a JSON string.' : '';
    findings.push({ code: 'invalid_tool_call', path, message: `${where}: "arguments" must be a string holding a JSON object, not ${describe(args)}.${hint}` });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    findings.push({ code: 'invalid_tool_call', path, message: `${where}: "arguments" is not valid JSON. It must be a JSON object encoded as a string, e.g. "{\\"city\\":\\"Paris\\"}".` });
    return;
  }
  if (typeof parsed === 'string' && isJsonObjectString(parsed)) {
    findings.push({ code: 'double_encoded_arguments', path, message: `${where}: "arguments" is JSON-encoded twice (a JSON string inside a JSON string). Quick fix: decode it once.` });
    return;
  }
  if (!isPlainObject(parsed)) {
    findings.push({ code: 'invalid_tool_call', path, message: `${where}: "arguments" must encode a JSON object, but it encodes ${describe(parsed)}.` });
  }
}

function isJsonObjectString(text: string): boolean {
  try {
    return isPlainObject(JSON.parse(text));
  } catch {
    return false;
  }
}

function checkToolResult(message: Record<string, unknown>, i: number, pendingCalls: Map<string, number>, findings: Finding[]): void {
  const path: JsonPath = ['messages', i];
  const id = message.tool_call_id;
  if (typeof id !== 'string' || id === '') {
    findings.push({
      code: 'orphan_tool_result',
      path: 'tool_call_id' in message ? [...path, 'tool_call_id'] : path,
      message: `messages[${i}] is a tool result without a "tool_call_id"; it must name the call it answers.`,
    });
  } else if (pendingCalls.has(id)) {
    pendingCalls.delete(id);
  } else {
    findings.push({ code: 'orphan_tool_result', path: [...path, 'tool_call_id'], message: `messages[${i}] answers call id "${clip(id)}" but no assistant turn right before it made that call.` });
  }
  if (!('content' in message) || message.content === null) {
    findings.push({ code: 'missing_content', path, message: `messages[${i}] (tool) has no "content"; put the tool's output there.` });
  } else {
    checkContentShape(message.content, [...path, 'content'], 'tool', findings);
  }
}

function checkTools(tools: unknown, findings: Finding[]): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) {
    findings.push({ code: 'invalid_tool_definition', path: ['tools'], message: `"tools" must be an array of function tools, not ${describe(tools)}.` });
    return;
  }
  for (let t = 0; t < tools.length; t++) checkToolDefinition(tools[t], ['tools', t], findings);
}

function checkToolDefinition(tool: unknown, path: JsonPath, findings: Finding[]): void {
  const index = path[1];
  if (!isPlainObject(tool)) {
    findings.push({ code: 'invalid_tool_definition', path, message: `tools[${index}] must be an object {"type":"function","function":{…}}.` });
    return;
  }
  if (tool.type !== 'function' || !isPlainObject(tool.function)) {
    const flat = typeof tool.name === 'string' ? ' It looks flat (name at the top); nest it under "function".' : '';
    findings.push({ code: 'invalid_tool_definition', path, message: `tools[${index}] must be {"type":"function","function":{"name",…}}.${flat}` });
    return;
  }
  const fn = tool.function;
  if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) {
    const shown = typeof fn.name === 'string' ? `"${clip(fn.name)}"` : 'missing';
    findings.push({
      code: 'invalid_tool_definition',
      path: 'name' in fn ? [...path, 'function', 'name'] : [...path, 'function'],
      message: `tools[${index}] function name is ${shown}; it must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -).`,
    });
  }
  if (fn.parameters !== undefined) checkParameters(fn.parameters, [...path, 'function', 'parameters'], index, findings);
}

function checkParameters(parameters: unknown, path: JsonPath, index: string | number, findings: Finding[]): void {
  if (!isPlainObject(parameters)) {
    findings.push({ code: 'invalid_tool_definition', path, message: `tools[${index}] "parameters" must be a JSON Schema object, not ${describe(parameters)}.` });
    return;
  }
  if (parameters.type !== undefined && parameters.type !== 'object') {
    findings.push({ code: 'invalid_tool_definition', path: [...path, 'type'], message: `tools[${index}] "parameters" must be a JSON Schema of type "object", not ${describe(parameters.type)}.` });
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string "${clip(value)}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
