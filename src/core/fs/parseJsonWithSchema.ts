import type { z } from 'zod';

/**
 * Parses a JSON file people edit by hand (a leading BOM allowed) against its schema. Errors name the file and the
 * first wrong field ("rft.json: settings.validation.maxTokens: …"), thrown as the caller's error class.
 */
export function parseJsonWithSchema<T>(text: string, schema: z.ZodType<T>, where: string, makeError: (message: string) => Error): T {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw makeError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw makeError(`${where}: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return parsed.data;
}
