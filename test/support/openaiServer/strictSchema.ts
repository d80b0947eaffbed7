// The rules OpenAI enforces on schemas sent with `strict: true` (structured outputs, strict function tools), so that a
// schema the real API would reject is rejected here too.
import { isRecord } from './validation';

/** The first reason a strict schema is rejected, in the API's wording, or undefined when it is accepted. */
export function strictSchemaProblem(schema: unknown): string | undefined {
  if (!isRecord(schema)) return 'In context=(), schema must be a JSON Schema object.';
  if (schema.type !== 'object' || 'anyOf' in schema) {
    return `In context=(), schema must be a JSON Schema of 'type: "object"', got 'type: "${String(schema.type ?? (schema.anyOf ? 'anyOf' : 'None'))}"'.`;
  }
  return problemIn(schema, []);
}

function problemIn(node: unknown, context: readonly (string | number)[]): string | undefined {
  if (!isRecord(node)) return undefined;
  const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || isRecord(node.properties);
  if (isObject) {
    if (node.additionalProperties !== false) {
      return `In context=${formatContext(context)}, 'additionalProperties' is required to be supplied and to be false.`;
    }
    const properties = isRecord(node.properties) ? Object.keys(node.properties) : [];
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = properties.find((name) => !required.includes(name));
    if (missing !== undefined) {
      return `In context=${formatContext(context)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    }
  }
  const children: Array<[readonly (string | number)[], unknown]> = [];
  if (isRecord(node.properties)) for (const [name, child] of Object.entries(node.properties)) children.push([['properties', name], child]);
  if (node.items !== undefined) children.push([['items'], node.items]);
  for (const keyword of ['anyOf', 'allOf'] as const) {
    const options = node[keyword];
    if (Array.isArray(options)) options.forEach((child, index) => children.push([[keyword, index], child]));
  }
  for (const keyword of ['$defs', 'definitions'] as const) {
    const definitions = node[keyword];
    if (isRecord(definitions)) for (const [name, child] of Object.entries(definitions)) children.push([[keyword, name], child]);
  }
  for (const [path, child] of children) {
    const problem = problemIn(child, [...context, ...path]);
    if (problem) return problem;
  }
  return undefined;
}

/** Python's tuple notation, as the API prints contexts: `()`, `('items',)`, `('properties', 'name')`. */
function formatContext(context: readonly (string | number)[]): string {
  const parts = context.map((part) => (typeof part === 'number' ? String(part) : `'${part}'`));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}
