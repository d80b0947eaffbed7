/** Small readers of the record shape shared by checks, tokens and fixes. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a message's content: a string, or the text parts of a content-part array joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (isPlainObject(part) && typeof part.text === 'string') text += text === '' ? part.text : `\n${part.text}`;
  }
  return text;
}
