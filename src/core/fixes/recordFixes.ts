import { findNodeAtLocation, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { contentText, isPlainObject } from '../validation/recordShape';
import type { LineEdit } from './lineEdits';

export type RecordFixCode = 'last_not_user' | 'double_encoded_arguments' | 'top_level_system';

/** The outcome of a record fix: the edits, or why the fix does not apply to this line. */
export type RecordFix = { readonly edits: LineEdit[] } | { readonly reason: string };

/**
 * Pure fixes for one JSONL line, as minimal text edits: everything the fix does not touch (key order,
 * number spelling, other fields) stays byte for byte as it was.
 */
export function fixRecordLine(text: string, code: RecordFixCode): RecordFix {
  const root = safeParseTree(text);
  if (!root || root.type !== 'object') return { reason: 'the line is not a JSON object' };
  switch (code) {
    case 'last_not_user':
      return moveFinalAssistantToReference(text, root);
    case 'double_encoded_arguments':
      return decodeDoubleEncodedArguments(root);
    case 'top_level_system':
      return moveTopLevelSystemIntoMessages(text, root);
  }
}

function safeParseTree(text: string): Node | undefined {
  try {
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, { disallowComments: true });
    return errors.length === 0 ? root : undefined;
  } catch {
    return undefined;
  }
}

/** Moves the final assistant turn into `reference_answer` / `reference_tool_calls` (chat/SFT data to RFT). */
function moveFinalAssistantToReference(text: string, root: Node): RecordFix {
  const messages = findNodeAtLocation(root, ['messages']);
  const items = messages?.type === 'array' ? (messages.children ?? []) : [];
  if (items.length < 2) return { reason: 'the record needs a user turn before its final assistant turn' };
  const last = items[items.length - 1];
  const previous = items[items.length - 2];
  const message: unknown = JSON.parse(slice(text, last));
  const before: unknown = JSON.parse(slice(text, previous));
  if (!isPlainObject(message) || message.role !== 'assistant') return { reason: 'the final message is not an assistant turn' };
  if (!isPlainObject(before) || before.role !== 'user') return { reason: 'the turn before the final assistant turn is not a user turn, so removing it would not end the prompt on a user turn' };
  const additions: string[] = [];
  const answer = contentText(message.content);
  if (answer !== '' || message.tool_calls === undefined) {
    if (findNodeAtLocation(root, ['reference_answer'])) return { reason: 'the record already has a reference_answer' };
    additions.push(`"reference_answer":${JSON.stringify(answer)}`);
  }
  const calls = last.children ? findNodeAtLocation(last, ['tool_calls']) : undefined;
  if (calls && calls.type === 'array' && (calls.children?.length ?? 0) > 0) {
    if (findNodeAtLocation(root, ['reference_tool_calls'])) return { reason: 'the record already has reference_tool_calls' };
    additions.push(`"reference_tool_calls":${slice(text, calls)}`);
  }
  const closingBrace = root.offset + root.length - 1;
  return {
    edits: [
      { start: previous.offset + previous.length, end: last.offset + last.length, newText: '' },
      { start: closingBrace, end: closingBrace, newText: `,${additions.join(',')}` },
    ],
  };
}

/** Moves a top-level `system` string (Anthropic's shape) into a leading system message, where the model sees it. */
function moveTopLevelSystemIntoMessages(text: string, root: Node): RecordFix {
  const system = findNodeAtLocation(root, ['system']);
  if (system?.type !== 'string') return { reason: 'the record has no top-level "system" string' };
  const messages = findNodeAtLocation(root, ['messages']);
  if (messages?.type !== 'array') return { reason: 'the record has no "messages" array' };
  const first = messages.children?.[0];
  const firstRole = first?.type === 'object' ? findNodeAtLocation(first, ['role'])?.value : undefined;
  if (firstRole === 'system' || firstRole === 'developer') return { reason: `the record already starts with a ${String(firstRole)} message; merge the top-level "system" into it by hand` };
  const property = system.parent!;
  const siblings = root.children ?? [];
  const index = siblings.indexOf(property);
  // Remove the property with one adjoining comma: up to the next property, or from the end of the previous one.
  const removal =
    index < siblings.length - 1
      ? { start: property.offset, end: siblings[index + 1].offset, newText: '' }
      : { start: index > 0 ? siblings[index - 1].offset + siblings[index - 1].length : property.offset, end: property.offset + property.length, newText: '' };
  const message = `{"role":"system","content":${slice(text, system)}}${first ? ',' : ''}`;
  return { edits: [removal, { start: messages.offset + 1, end: messages.offset + 1, newText: message }] };
}

/** Decodes tool-call `arguments` that were JSON-encoded twice, once: in the messages and in `reference_tool_calls`. */
function decodeDoubleEncodedArguments(root: Node): RecordFix {
  const edits: LineEdit[] = [];
  const callLists = (findNodeAtLocation(root, ['messages'])?.children ?? []).map((message) => findNodeAtLocation(message, ['tool_calls']));
  callLists.push(findNodeAtLocation(root, ['reference_tool_calls']));
  for (const calls of callLists) {
    for (const call of calls?.children ?? []) {
      const args = findNodeAtLocation(call, ['function', 'arguments']);
      if (args?.type !== 'string') continue;
      const inner = decodeTwice(args.value as string);
      if (inner !== undefined) edits.push({ start: args.offset, end: args.offset + args.length, newText: JSON.stringify(inner) });
    }
  }
  return edits.length > 0 ? { edits } : { reason: 'no tool-call arguments are double-encoded' };
}

/** For a string that holds a JSON string that holds a JSON object, returns the object's JSON text. */
function decodeTwice(value: string): string | undefined {
  try {
    const once: unknown = JSON.parse(value);
    if (typeof once !== 'string') return undefined;
    return isPlainObject(JSON.parse(once)) ? once : undefined;
  } catch {
    return undefined;
  }
}

function slice(text: string, node: Node): string {
  return text.slice(node.offset, node.offset + node.length);
}
