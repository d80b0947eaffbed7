import type OpenAI from 'openai';
import { buildCompletion, defaultReply, type ChatReply } from './chat';
import type { ChatMessage, ChatRequest } from './chatRequest';
import { invalidRequest, notFound } from './errors';
import { json } from './http';
import { nowSeconds, type IdGenerator } from './ids';
import { ordered, paginate, readListQuery } from './pagination';
import type { Route } from './routing';
import { isRecord, jsonBody, matchesMetadata, metadataFilter, optionalMetadata, type JsonObject, type Metadata } from './validation';

/** A chat completion created with `store: true` (or seeded), with the request that produced it. */
export interface StoredCompletion {
  readonly id: string;
  readonly request: ChatRequest;
  readonly completion: OpenAI.ChatCompletion;
  metadata: Metadata;
}

/** What a test gives `state.storeCompletion` to seed a stored completion; the reply defaults to the chat default. */
export interface StoredCompletionSeed {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly id?: string;
  readonly created?: number;
  readonly metadata?: Metadata;
  readonly tools?: readonly JsonObject[];
  readonly tool_choice?: ChatRequest['tool_choice'];
  /** The assistant's answer: a text, or a scripted reply (tool calls, JSON content…). */
  readonly response?: string | ChatReply;
}

export class StoredCompletionStore {
  private items: StoredCompletion[] = [];
  /** List in the order stored, whatever `order` asks: a compatible server that ignores the parameter. */
  ignoreOrder = false;

  constructor(private readonly ids: IdGenerator) {}

  add(request: ChatRequest, completion: OpenAI.ChatCompletion): StoredCompletion {
    const stored: StoredCompletion = { id: completion.id, request, completion, metadata: { ...(request.metadata ?? {}) } };
    this.items.push(stored);
    return stored;
  }

  seed(seed: StoredCompletionSeed): StoredCompletion {
    const request: ChatRequest = {
      model: seed.model,
      messages: seed.messages,
      store: true,
      metadata: seed.metadata ?? {},
      ...(seed.tools ? { tools: seed.tools } : {}),
      ...(seed.tool_choice ? { tool_choice: seed.tool_choice } : {}),
    };
    const reply = typeof seed.response === 'string' ? { content: seed.response } : (seed.response ?? defaultReply(request));
    const completion = buildCompletion(request, reply, this.ids, seed.created ?? nowSeconds());
    return this.add(request, seed.id ? { ...completion, id: seed.id } : completion);
  }

  get(id: string): StoredCompletion {
    const found = this.items.find((item) => item.id === id);
    if (!found) throw notFound('chat completion', id, 'completion_id');
    return found;
  }

  all(): readonly StoredCompletion[] {
    return this.items;
  }

  delete(id: string): void {
    this.get(id);
    this.items = this.items.filter((item) => item.id !== id);
  }

  clear(): void {
    this.items = [];
  }
}

/** A stored completion as the list and retrieve endpoints show it: the completion plus what the request set. */
export function storedCompletionView(stored: StoredCompletion): JsonObject {
  const { request } = stored;
  return {
    ...stored.completion,
    metadata: stored.metadata,
    request_id: `req_${stored.id}`,
    tools: request.tools ?? null,
    tool_choice: request.tool_choice ?? null,
    response_format: request.response_format ?? null,
    seed: request.seed ?? null,
    temperature: request.temperature ?? 1,
    top_p: typeof request.top_p === 'number' ? request.top_p : 1,
    presence_penalty: 0,
    frequency_penalty: 0,
    input_user: null,
  };
}

/** A request message as the messages endpoint lists it: content parts move to `content_parts`, leaving `content` null. */
function storeMessage(stored: StoredCompletion, message: ChatMessage, index: number): JsonObject {
  const parts = Array.isArray(message.content) ? message.content : null;
  return {
    ...message,
    id: `${stored.id}-${index}`,
    role: message.role,
    content: parts ? null : (message.content ?? null),
    name: message.name ?? null,
    content_parts: parts,
  };
}

export const storedCompletionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/chat/completions',
    handle: ({ query }, { state }) => {
      const list = readListQuery(query, { limit: 20, maxLimit: 100, order: 'asc' });
      const model = query.get('model');
      const filter = metadataFilter(query);
      const selected = state.completions.all().filter((item) => (!model || item.completion.model === model) && matchesMetadata(item.metadata, filter));
      const sorted = (state.completions.ignoreOrder ? selected : ordered(selected, (item) => item.completion.created, list.order)).map(storedCompletionView) as Array<JsonObject & { id: string }>;
      return json(paginate(sorted, list));
    },
  },
  {
    method: 'GET',
    pattern: '/chat/completions/:id',
    handle: ({ params }, { state }) => json(storedCompletionView(state.completions.get(params.id))),
  },
  {
    method: 'POST',
    pattern: '/chat/completions/:id',
    handle: (request, { state }) => {
      const stored = state.completions.get(request.params.id);
      const body = jsonBody(request);
      if (!isRecord(body.metadata)) throw invalidRequest("Missing required parameter: 'metadata'.", 'metadata', 'missing_required_parameter');
      stored.metadata = optionalMetadata(body) ?? {};
      return json(storedCompletionView(stored));
    },
  },
  {
    method: 'DELETE',
    pattern: '/chat/completions/:id',
    handle: ({ params }, { state }) => {
      state.completions.delete(params.id);
      return json({ object: 'chat.completion.deleted', id: params.id, deleted: true });
    },
  },
  {
    method: 'GET',
    pattern: '/chat/completions/:id/messages',
    handle: ({ params, query }, { state }) => {
      const stored = state.completions.get(params.id);
      const list = readListQuery(query, { limit: 20, maxLimit: 100, order: 'asc' });
      const messages = stored.request.messages.map((message, index) => storeMessage(stored, message, index)) as Array<JsonObject & { id: string }>;
      return json(paginate(list.order === 'asc' ? messages : messages.reverse(), list));
    },
  },
];
