import { contentText, isPlainObject } from '../validation/recordShape';
import type { TraceCall } from './traceCall';

export type PromptRecord = Record<string, unknown> & { messages: unknown[] };

export type Conversion = { readonly record: PromptRecord } | { readonly skip: string };

/**
 * Turns a traced call into an RFT prompt record (docs/dataset-format.md §Records): the messages up to the last user turn are the
 * prompt; the model's answer — the first assistant turn after that user turn when the trace kept one, else
 * the call's response — becomes `reference_answer` / `reference_tool_calls`; tools become OpenAI function
 * tools and tool-call arguments JSON strings; `metadata` keeps the provenance.
 */
export function toPromptRecord(call: TraceCall): Conversion {
  if (!Array.isArray(call.messages) || call.messages.length === 0) return { skip: 'no request messages' };
  const messages = call.messages.map(normalizeMessage);
  const lastUser = findLastIndex(messages, (m) => isPlainObject(m) && m.role === 'user');
  if (lastUser === -1) return { skip: 'no user message (nothing for the model to answer)' };
  const record: PromptRecord = { messages: messages.slice(0, lastUser + 1) };
  const tools = normalizeTools(call.tools);
  if (tools.length > 0) record.tools = tools;
  const answer = referenceOf(call, messages.slice(lastUser + 1));
  if (answer.text !== undefined && answer.text !== '') record.reference_answer = answer.text;
  if (answer.toolCalls.length > 0) record.reference_tool_calls = answer.toolCalls;
  record.metadata = provenance(call);
  return { record };
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

function referenceOf(call: TraceCall, after: unknown[]): { text?: string; toolCalls: unknown[] } {
  const next = after.find((m) => isPlainObject(m) && m.role === 'assistant') as Record<string, unknown> | undefined;
  const source = next ?? call.response;
  if (!source) return { toolCalls: [] };
  const content = source.content;
  const text = content === undefined || content === null ? undefined : typeof content === 'string' ? content : contentText(content);
  const toolCalls = Array.isArray(source.tool_calls) ? source.tool_calls.map(normalizeToolCall) : [];
  return { text, toolCalls };
}

function normalizeMessage(message: unknown): unknown {
  if (!isPlainObject(message) || !Array.isArray(message.tool_calls)) return message;
  return { ...message, tool_calls: message.tool_calls.map(normalizeToolCall) };
}

/** Tool-call arguments must be a JSON-object string; tracers often store the object itself. */
function normalizeToolCall(call: unknown): unknown {
  if (!isPlainObject(call)) return call;
  const fn = isPlainObject(call.function) ? call.function : typeof call.name === 'string' ? { name: call.name, arguments: call.arguments } : undefined;
  if (!fn) return call;
  const args = fn.arguments === undefined || fn.arguments === null ? '{}' : typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments);
  return { id: call.id, type: 'function', function: { name: fn.name, arguments: args } };
}

/** Flat tools ({type:'function', name, parameters}, OTel / Responses style) become OpenAI function tools. */
function normalizeTools(tools: unknown[] | undefined): unknown[] {
  if (!Array.isArray(tools)) return [];
  return tools.map((tool) => {
    if (!isPlainObject(tool) || isPlainObject(tool.function) || typeof tool.name !== 'string') return tool;
    const fn: Record<string, unknown> = { name: tool.name };
    for (const key of ['description', 'parameters', 'strict']) if (tool[key] !== undefined) fn[key] = tool[key];
    return { type: 'function', function: fn };
  });
}

function provenance(call: TraceCall): Record<string, unknown> {
  const metadata: Record<string, unknown> = { source: `${call.source}:${call.id}` };
  if (call.traceId) metadata.trace_id = call.traceId;
  if (call.model) metadata.model = call.model;
  if (call.startTime) metadata.timestamp = call.startTime;
  if (call.tags && Object.keys(call.tags).length > 0) metadata.tags = call.tags;
  if (call.failed !== undefined) metadata.failed = call.failed;
  return metadata;
}
