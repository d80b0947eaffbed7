import { validateLine, type LineResult } from '../../src/core/validation/lineValidator';
import { DEFAULT_VALIDATION_SETTINGS, type ValidationSettings } from '../../src/core/validation/settings';

/** Validates one record given as a value (serialised) or as raw line text. */
export function validate(record: unknown, settings: ValidationSettings = DEFAULT_VALIDATION_SETTINGS): LineResult & { text: string } {
  const text = typeof record === 'string' ? record : JSON.stringify(record);
  return { ...validateLine({ text, byteLength: Buffer.byteLength(text) }, settings), text };
}

export function codesOf(record: unknown, settings?: ValidationSettings): string[] {
  return validate(record, settings).issues.map((issue) => issue.code);
}

/** The text each issue underlines. */
export function underlined(record: unknown, code: string): string[] {
  const { text, issues } = validate(record);
  return issues.filter((issue) => issue.code === code).map((issue) => text.slice(issue.start, issue.end));
}

export const user = (content: unknown = 'How do I reset my password?') => ({ role: 'user', content });
export const assistant = (content: unknown = 'Open Settings, then Security.') => ({ role: 'assistant', content });
export const call = (id: string, name = 'lookup_invoice', args = '{"invoice_id":"INV-1"}') => ({ id, type: 'function', function: { name, arguments: args } });
export const toolResult = (id: string, content = '{"status":"paid"}') => ({ role: 'tool', tool_call_id: id, content });
export const tool = (name = 'lookup_invoice', parameters: unknown = { type: 'object', properties: { invoice_id: { type: 'string' } } }) => ({
  type: 'function',
  function: { name, description: 'Look up an invoice', parameters },
});
