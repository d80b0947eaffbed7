import { recordText } from '../topics/recordText';
import { contentText, isPlainObject } from '../validation/recordShape';

const PREVIEW_CHARS = 160;

/** The last user message of a record, or '' when it has none. */
export function lastUserMessage(record: Record<string, unknown>): string {
  const messages = Array.isArray(record.messages) ? record.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message: unknown = messages[i];
    if (isPlainObject(message) && message.role === 'user') return contentText(message.content);
  }
  return '';
}

/** One line, at most 160 characters. */
export function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

/** What a line shows and is searched by: a record's last user message and user turns, else the raw line. */
export function lineTexts(record: Record<string, unknown> | undefined, rawLine: string): { text: string; search: string } {
  if (record) {
    const search = recordText(record);
    return { text: preview(lastUserMessage(record) || search), search: (search || rawLine).toLowerCase() };
  }
  return { text: preview(rawLine), search: rawLine.toLowerCase() };
}

/** Parses a line that failed validation, for its text only; undefined when it is no JSON object. */
export function parseLoosely(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
