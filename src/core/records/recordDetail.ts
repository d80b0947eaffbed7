import type { MessageView, RecordDetail } from './recordsTypes';
import { MAX_NESTING, tooDeepFinding } from '../validation/nesting';
import { contentText, isPlainObject } from '../validation/recordShape';

const RAW_CHARS = 20_000;

/** A record line as text for the browser: its messages one by one, and every other top-level field as pretty JSON. */
export function recordDetail(line: string): RecordDetail {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { messages: [], fields: [], raw: line.slice(0, RAW_CHARS), parseError: (error as Error).message };
  }
  if (!isPlainObject(value)) return { messages: [], fields: [], raw: line.slice(0, RAW_CHARS), parseError: 'The line is JSON but not an object.' };
  // Pretty-printing recurses once per level: a too_deep record is shown as its text, as validation reports it.
  if (tooDeepFinding(value))
    return { messages: [], fields: [], raw: line.slice(0, RAW_CHARS), parseError: `The record nests more than ${MAX_NESTING} levels deep (too_deep), so it is shown as text.` };
  const messages = Array.isArray(value.messages) ? value.messages.map(messageView) : [];
  const fields = Object.entries(value)
    .filter(([name]) => name !== 'messages' || !Array.isArray(value.messages))
    .map(([name, field]) => ({ name, json: JSON.stringify(field, null, 2) ?? String(field) }));
  return { messages, fields };
}

function messageView(message: unknown): MessageView {
  if (!isPlainObject(message)) return { role: '(not an object)', text: JSON.stringify(message) ?? String(message) };
  const text =
    typeof message.content === 'string' || Array.isArray(message.content)
      ? contentText(message.content)
      : message.content === undefined || message.content === null
        ? ''
        : JSON.stringify(message.content);
  return {
    role: typeof message.role === 'string' ? message.role : '(no role)',
    ...(typeof message.name === 'string' ? { name: message.name } : {}),
    text,
    ...(message.tool_calls !== undefined ? { toolCalls: JSON.stringify(message.tool_calls, null, 2) } : {}),
    ...(typeof message.tool_call_id === 'string' ? { toolCallId: message.tool_call_id } : {}),
  };
}
