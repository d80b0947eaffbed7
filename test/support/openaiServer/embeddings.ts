import type OpenAI from 'openai';
import { invalidRequest, invalidType, invalidValue } from './errors';
import { json } from './http';
import type { Route } from './routing';
import { estimateTokens } from './tokens';
import { jsonBody, optionalInteger, optionalString, requiredString, type JsonObject } from './validation';

export const DEFAULT_EMBEDDING_DIMENSIONS = 64;
const MAX_DIMENSIONS = 4096;

/**
 * A deterministic unit vector for a text. Words and character trigrams are hashed into signed buckets, so texts that
 * share words point the same way (clustering and near-duplicate checks behave plausibly) and equal texts are equal.
 */
export function embedText(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const add = (feature: string, weight: number) => {
    const hash = fnv1a(feature);
    vector[hash % dimensions] += hash & 0x80000000 ? -weight : weight;
  };
  const normalized = text.toLowerCase();
  for (const word of normalized.match(/[\p{L}\p{N}]+/gu) ?? []) add(`w:${word}`, 1);
  const padded = ` ${normalized} `;
  for (let index = 0; index + 3 <= padded.length; index++) add(`t:${padded.slice(index, index + 3)}`, 0.5);
  const norm = Math.hypot(...vector);
  if (norm === 0) return vector.map((_, index) => (index === 0 ? 1 : 0));
  return vector.map((value) => value / norm);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The vector as the API's base64 encoding: little-endian float32s. */
function toBase64(vector: number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return Buffer.from(view.buffer).toString('base64');
}

function inputTexts(input: unknown): Array<{ text: string; tokens: number }> {
  if (input === undefined || input === null) throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  const isTokenArray = (value: unknown): value is number[] => Array.isArray(value) && value.length > 0 && value.every((item) => Number.isInteger(item));
  const one = (value: unknown, param: string) => {
    if (typeof value === 'string') {
      if (value.length === 0) throw invalidRequest(`'${param}' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.`, param);
      return { text: value, tokens: estimateTokens(value) };
    }
    if (isTokenArray(value)) return { text: `tokens:${value.join(',')}`, tokens: value.length };
    throw invalidType(param, 'a string or an array of token ids');
  };
  if (typeof input === 'string' || isTokenArray(input)) return [one(input, 'input')];
  if (!Array.isArray(input) || input.length === 0) throw invalidValue('input', 'expected a string or a non-empty array.');
  if (input.length > 2048) throw invalidValue('input', 'at most 2048 inputs are allowed per request.');
  return input.map((item, index) => one(item, `input[${index}]`));
}

export function createEmbeddings(body: JsonObject): OpenAI.CreateEmbeddingResponse {
  const model = requiredString(body, 'model');
  const texts = inputTexts(body.input);
  const dimensions = optionalInteger(body, 'dimensions') ?? DEFAULT_EMBEDDING_DIMENSIONS;
  if (dimensions < 1 || dimensions > MAX_DIMENSIONS) throw invalidValue('dimensions', `expected an integer between 1 and ${MAX_DIMENSIONS}, got ${dimensions}.`);
  const encoding = optionalString(body, 'encoding_format') ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') throw invalidValue('encoding_format', `'${encoding}'. Supported values are: 'float' and 'base64'.`);
  const promptTokens = texts.reduce((sum, item) => sum + item.tokens, 0);
  return {
    object: 'list',
    model,
    data: texts.map(({ text }, index) => {
      const vector = embedText(text, dimensions);
      // The SDK asks for base64 by default and decodes it itself; the declared type only knows floats.
      return { object: 'embedding', index, embedding: (encoding === 'base64' ? toBase64(vector) : vector) as number[] };
    }),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

export const embeddingRoutes: Route[] = [{ method: 'POST', pattern: '/embeddings', handle: (request) => json(createEmbeddings(jsonBody(request))) }];
