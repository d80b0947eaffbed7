import { z } from 'zod';

/** The first JSON object or array in a model's text (fenced or not), for servers without response_format. */
export function jsonInText(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const candidate = (fenced ? fenced[1] : text).trim();
  try {
    return JSON.parse(candidate);
  } catch {
    const start = candidate.search(/[[{]/);
    if (start === -1) throw new Error('the reply holds no JSON');
    for (let end = candidate.length; end > start; end--) {
      const closing = candidate[end - 1];
      if (closing !== '}' && closing !== ']') continue;
      try {
        return JSON.parse(candidate.slice(start, end));
      } catch {
        // keep shrinking to the previous closing bracket
      }
    }
    throw new Error('the reply holds no complete JSON value');
  }
}

export class StructuredOutputError extends Error {
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super(message);
  }
}

/** Parses and checks a reply against the schema; the error says what is wrong, to feed back to the model. */
export function parseStructured<T>(text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = jsonInText(text);
  } catch (error) {
    throw new StructuredOutputError((error as Error).message, text);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new StructuredOutputError(`the reply does not match the schema: ${problems}`, text);
}

export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}
