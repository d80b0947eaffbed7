// Deterministic instances of JSON Schemas: the smallest value a schema accepts (the default structured-output reply and
// tool-call arguments), and a value it rejects (the wrongSchema fault).
import { isRecord, type JsonObject } from './validation';

const MAX_DEPTH = 32;

/** The minimal valid instance: objects with their required properties, strings "x", numbers 0, enums their first value, arrays empty unless minItems. */
export function minimalInstance(schema: unknown, root: unknown = schema): unknown {
  return instanceOf(schema, root, 0);
}

function instanceOf(schema: unknown, root: unknown, depth: number): unknown {
  const resolved = resolveRefs(schema, root);
  if (!isRecord(resolved) || depth > MAX_DEPTH) return null;
  if ('const' in resolved) return resolved.const;
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) return resolved.enum[0];
  const alternatives = resolved.anyOf ?? resolved.oneOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) return instanceOf(preferNonNull(alternatives, root), root, depth + 1);
  if (Array.isArray(resolved.allOf)) return instanceOf(mergeAllOf(resolved, root), root, depth + 1);
  switch (typeOf(resolved)) {
    case 'object':
      return objectInstance(resolved, root, depth);
    case 'array':
      return arrayInstance(resolved, root, depth);
    case 'string':
      return stringInstance(resolved);
    case 'number':
      return numberInstance(resolved, false);
    case 'integer':
      return numberInstance(resolved, true);
    case 'boolean':
      return false;
    default:
      return null;
  }
}

function objectInstance(schema: JsonObject, root: unknown, depth: number): JsonObject {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [];
  const instance: JsonObject = {};
  for (const name of required) instance[name] = instanceOf(properties[name] ?? {}, root, depth + 1);
  return instance;
}

function arrayInstance(schema: JsonObject, root: unknown, depth: number): unknown[] {
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const prefixItems = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const items: unknown[] = [];
  for (let index = 0; index < minItems; index++) items.push(instanceOf(prefixItems[index] ?? schema.items ?? {}, root, depth + 1));
  return items;
}

const STRING_FORMATS: Record<string, string> = {
  'date-time': '1970-01-01T00:00:00Z',
  date: '1970-01-01',
  time: '00:00:00Z',
  email: 'x@example.com',
  uri: 'https://example.com/',
  uuid: '00000000-0000-0000-0000-000000000000',
  ipv4: '127.0.0.1',
  hostname: 'example.com',
};

function stringInstance(schema: JsonObject): string {
  if (typeof schema.format === 'string' && STRING_FORMATS[schema.format]) return STRING_FORMATS[schema.format];
  if (schema.maxLength === 0) return '';
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 1;
  return 'x'.repeat(Math.max(1, minLength));
}

function numberInstance(schema: JsonObject, integer: boolean): number {
  const bound = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const [minimum, exclusiveMinimum, maximum, exclusiveMaximum] = [bound('minimum'), bound('exclusiveMinimum'), bound('maximum'), bound('exclusiveMaximum')];
  const above = (value: number) => (integer ? Math.floor(value) + 1 : value + 0.5);
  const below = (value: number) => (integer ? Math.ceil(value) - 1 : value - 0.5);
  let low = Math.max(minimum ?? -Infinity, exclusiveMinimum === undefined ? -Infinity : above(exclusiveMinimum));
  let high = Math.min(maximum ?? Infinity, exclusiveMaximum === undefined ? Infinity : below(exclusiveMaximum));
  if (integer) [low, high] = [Math.ceil(low), Math.floor(high)];
  // A narrow exclusive range of numbers: its midpoint is inside it.
  if (low > high) return ((exclusiveMinimum ?? minimum ?? 0) + (exclusiveMaximum ?? maximum ?? 0)) / 2;
  return Math.min(Math.max(0, low), high);
}

/** A value the schema rejects: the wrong type at the root, or an object whose first required property has the wrong type. */
export function schemaViolatingInstance(schema: unknown, root: unknown = schema): unknown {
  const resolved = resolveRefs(schema, root);
  if (!isRecord(resolved)) return { unexpected: true };
  if (typeOf(resolved) === 'object' && isRecord(resolved.properties)) {
    const valid = objectInstance(resolved, root, 0);
    const names = Object.keys(valid);
    if (names.length > 0) return { ...valid, [names[0]]: wrongValueFor(resolved.properties[names[0]], root) };
    return ['this is not an object'];
  }
  return wrongValueFor(resolved, root);
}

const CANDIDATES: ReadonlyArray<[string, unknown]> = [
  ['number', 42],
  ['string', 'not the expected type'],
  ['boolean', true],
  ['array', ['not the expected type']],
  ['object', { not: 'the expected type' }],
];

function wrongValueFor(schema: unknown, root: unknown): unknown {
  const resolved = resolveRefs(schema, root);
  if (!isRecord(resolved)) return 42;
  if (Array.isArray(resolved.enum) || 'const' in resolved) return '__not_one_of_the_allowed_values__';
  const allowed = allowedTypes(resolved, root);
  const candidate = CANDIDATES.find(([type]) => !allowed.has(type) && !(type === 'number' && allowed.has('integer')));
  return candidate ? candidate[1] : null;
}

function allowedTypes(schema: JsonObject, root: unknown): Set<string> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) {
    return new Set(
      alternatives.flatMap((option) => {
        const resolved = resolveRefs(option, root);
        return isRecord(resolved) ? [...allowedTypes(resolved, root)] : [];
      }),
    );
  }
  if (Array.isArray(schema.type)) return new Set(schema.type.filter((type): type is string => typeof type === 'string'));
  const single = typeOf(schema);
  return new Set(single ? [single, ...(single === 'integer' ? ['number'] : [])] : []);
}

function typeOf(schema: JsonObject): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null') ?? schema.type[0];
  if (isRecord(schema.properties) || Array.isArray(schema.required)) return 'object';
  if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return 'array';
  return undefined;
}

function preferNonNull(alternatives: unknown[], root: unknown): unknown {
  return (
    alternatives.find((option) => {
      const resolved = resolveRefs(option, root);
      return !(isRecord(resolved) && resolved.type === 'null');
    }) ?? alternatives[0]
  );
}

function mergeAllOf(schema: JsonObject, root: unknown): JsonObject {
  const parts = [schema, ...(schema.allOf as unknown[]).map((part) => resolveRefs(part, root))].filter(isRecord);
  const merged: JsonObject = {};
  const properties: JsonObject = {};
  const required = new Set<string>();
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) if (key !== 'allOf' && key !== 'properties' && key !== 'required') merged[key] ??= value;
    if (isRecord(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) part.required.forEach((name) => typeof name === 'string' && required.add(name));
  }
  if (Object.keys(properties).length > 0 || required.size > 0) Object.assign(merged, { properties, required: [...required] });
  return merged;
}

/** Follows local `$ref`s (`#/$defs/Name`, `#/definitions/Name`, `#`). */
export function resolveRefs(schema: unknown, root: unknown): unknown {
  let current = schema;
  for (let hops = 0; hops < MAX_DEPTH && isRecord(current) && typeof current.$ref === 'string'; hops++) current = resolvePointer(current.$ref, root);
  return current;
}

function resolvePointer(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return undefined;
  let target: unknown = root;
  for (const segment of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
    target = isRecord(target) || Array.isArray(target) ? (target as Record<string, unknown>)[key] : undefined;
  }
  return target;
}
