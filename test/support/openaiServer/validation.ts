import { invalidRequest, invalidType, invalidValue, missingParameter } from './errors';
import type { RouteRequest } from './routing';

export type JsonObject = Record<string, unknown>;
export type Metadata = Record<string, string>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON object body of a request; the API answers 400 for anything else. */
export function jsonBody(request: RouteRequest): JsonObject {
  if (request.body.kind === 'json' && isRecord(request.body.value)) return request.body.value;
  if (request.body.kind === 'none') throw invalidRequest('You must provide a JSON body with this request.');
  throw invalidRequest('The request body must be a JSON object.');
}

export function requiredString(body: JsonObject, key: string, param = key): string {
  const value = body[key];
  if (value === undefined || value === null) throw missingParameter(param);
  if (typeof value !== 'string') throw invalidType(param, 'a string');
  if (value.length === 0) throw invalidValue(param, 'expected a non-empty string.');
  return value;
}

export function optionalString(body: JsonObject, key: string, param = key): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidType(param, 'a string');
  return value;
}

export function optionalNumber(body: JsonObject, key: string, param = key): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidType(param, 'a number');
  return value;
}

export function optionalInteger(body: JsonObject, key: string, param = key): number | undefined {
  const value = optionalNumber(body, key, param);
  if (value !== undefined && !Number.isInteger(value)) throw invalidType(param, 'an integer');
  return value;
}

export function optionalBoolean(body: JsonObject, key: string, param = key): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidType(param, 'a boolean');
  return value;
}

export function optionalObject(body: JsonObject, key: string, param = key): JsonObject | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalidType(param, 'an object');
  return value;
}

/** `metadata`: at most 16 string pairs, keys up to 64 characters, values up to 512 (as the API enforces). */
export function optionalMetadata(body: JsonObject, key = 'metadata'): Metadata | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw invalidType(key, 'an object');
  const entries = Object.entries(value);
  if (entries.length > 16) throw invalidValue(key, 'metadata can have at most 16 keys.');
  for (const [name, item] of entries) {
    if (name.length > 64) throw invalidValue(`${key}.${name}`, 'metadata keys can be at most 64 characters long.');
    if (typeof item !== 'string') throw invalidType(`${key}.${name}`, 'a string');
    if (item.length > 512) throw invalidValue(`${key}.${name}`, 'metadata values can be at most 512 characters long.');
  }
  return { ...(value as Metadata) };
}

/** `metadata[key]=value` query filters, as the SDK encodes them. */
export function metadataFilter(query: URLSearchParams): Metadata {
  const filter: Metadata = {};
  for (const [name, value] of query.entries()) {
    const found = /^metadata\[(.+)\]$/.exec(name);
    if (found) filter[found[1]] = value;
  }
  return filter;
}

export function matchesMetadata(metadata: Metadata | null | undefined, filter: Metadata): boolean {
  return Object.entries(filter).every(([name, value]) => metadata?.[name] === value);
}
