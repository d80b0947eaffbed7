import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ModelClient } from '../llm/modelClient';
import { isPlainObject } from '../validation/recordShape';
import type { CallSource } from './extract';
import type { TraceFilters } from './filters';
import type { TraceCall } from './traceCall';

/**
 * OpenAI stored chat completions as a call source: list (newest first, filtered by model and metadata on the
 * server), then each completion's messages. The API has no date filter, so the time range is applied here.
 * The listing stops at the first completion older than `since` only while the listing really is newest first
 * (`created` never increasing, within and across pages): a compatible server that ignores `order` is read to
 * the end, so no record is lost.
 */
export function openaiStoredCalls(client: ModelClient, filters: TraceFilters): CallSource {
  const exactModel = filters.models?.length === 1 && !/[*?]/.test(filters.models[0]) ? filters.models[0] : undefined;
  const since = filters.since ? Date.parse(filters.since) / 1000 : undefined;
  return async (sink, signal) => {
    let page = await client.request(
      (s) =>
        client.openai.chat.completions.list({ limit: 100, order: 'desc', ...(exactModel ? { model: exactModel } : {}), ...(filters.tags ? { metadata: { ...filters.tags } } : {}) }, { signal: s }),
      { signal },
    );
    const order = new NewestFirstCheck();
    for (;;) {
      const completions = page.data;
      order.see(completions);
      const calls = await Promise.all(completions.filter((c) => since === undefined || c.created >= since).map((completion) => callOf(client, completion, signal)));
      for (const call of calls) sink.call(call);
      const reachedSince = since !== undefined && order.newestFirst && completions.some((c) => c.created < since);
      if (reachedSince || !page.hasNextPage()) return;
      const current = page;
      page = await client.request(() => current.getNextPage(), { signal });
    }
  };
}

/** Whether the `created` times seen so far, page after page, never increased. */
class NewestFirstCheck {
  newestFirst = true;
  private last = Infinity;

  see(completions: readonly { created: number }[]): void {
    for (const { created } of completions) {
      if (created > this.last) this.newestFirst = false;
      this.last = created;
    }
  }
}

async function callOf(client: ModelClient, completion: ChatCompletion, signal?: AbortSignal): Promise<TraceCall> {
  const messages: unknown[] = [];
  let page = await client.request((s) => client.openai.chat.completions.messages.list(completion.id, { limit: 100 }, { signal: s }), { signal });
  for (;;) {
    for (const message of page.data) messages.push(withoutStoreFields(message));
    if (!page.hasNextPage()) break;
    const current = page;
    page = await client.request(() => current.getNextPage(), { signal });
  }
  const answer = completion.choices[0]?.message;
  const tools = (completion as unknown as { tools?: unknown[] }).tools;
  return {
    id: completion.id,
    source: 'openai',
    model: completion.model,
    startTime: new Date(completion.created * 1000).toISOString(),
    messages,
    ...(Array.isArray(tools) ? { tools } : {}),
    response: answer ? { content: answer.content, tool_calls: answer.tool_calls } : undefined,
    tags: isPlainObject((completion as unknown as { metadata?: unknown }).metadata) ? (completion as unknown as { metadata: Record<string, unknown> }).metadata : undefined,
  };
}

/** Stored messages carry an id and, for content parts, `content_parts`; a prompt record does not. */
function withoutStoreFields(message: unknown): unknown {
  if (!isPlainObject(message)) return message;
  const { id: _id, content_parts: parts, ...rest } = message;
  if ((rest.content === null || rest.content === undefined) && Array.isArray(parts)) rest.content = parts;
  for (const key of Object.keys(rest)) if (rest[key] === null && key !== 'content') delete rest[key];
  return rest;
}
