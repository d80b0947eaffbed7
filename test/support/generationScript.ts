// A scripted "model" for generation requests (src/core/generate): reads which topic and how many records a request
// asks for, and answers with records drawn from a pool of texts per topic — or misbehaves on request. Unit tests,
// the bench and the VS Code E2E suite install it with `server.onChat(generationHandler({ pools }))`.
import type { ChatHandler, ChatReply, ChatRequest } from './openaiServer';
import { messageText } from './openaiServer/chatRequest';

/**
 * good: fresh texts of the topic's pool; repeat: the pool's first text every time; offTopic: texts of another pool;
 * malformed: text that is not JSON; wrongSchema: JSON without the `records` array; invalid: records the health engine
 * rejects (one ending with an assistant turn, `last_not_user`; one with an empty user turn, `empty_user_message`).
 */
export type GenerationBehaviour = 'good' | 'repeat' | 'offTopic' | 'malformed' | 'wrongSchema' | 'invalid';

/** A generation request as the handler read it. */
export interface GenerationAsk {
  readonly topic: string;
  readonly count: number;
  /** 0 for the first request about this topic, then 1, 2, … (repair requests count too). */
  readonly index: number;
  /** True for the client's repair request (the reply before did not match the schema). */
  readonly repair: boolean;
}

export interface GenerationHandlerOptions {
  /** User texts per topic path ("parent/leaf"); drawn in order, each once, then again from the start. */
  readonly pools: Readonly<Record<string, readonly string[]>>;
  /** What to answer; a function decides per request. Default: good. */
  readonly behaviour?: GenerationBehaviour | ((ask: GenerationAsk) => GenerationBehaviour);
  /** For offTopic: the topic whose pool answers (default: the next topic in `pools`). */
  readonly offTopicFrom?: (topic: string) => string;
  /** A reference answer for a text (default: none). */
  readonly referenceAnswer?: (text: string) => string | undefined;
  /** The tool calls the ideal answer to a text makes (`reference_tool_calls`; arguments a JSON-object string). */
  readonly referenceToolCalls?: (text: string) => { name: string; arguments: string }[] | undefined;
  /** Called before answering (a test can abort its run here, mid-request). */
  readonly onAsk?: (ask: GenerationAsk) => void;
}

export interface GenerationHandler extends ChatHandler {
  /** Every generation request seen, in order. */
  readonly asks: GenerationAsk[];
}

/** Reads the topic and count from the loop's prompt ("Topic: a/b", "Records to write: 5"); undefined for other requests. */
export function generationAskOf(request: ChatRequest): { topic: string; count: number; repair: boolean } | undefined {
  const text = request.messages.map((message) => messageText(message.content)).join('\n');
  const topic = /^Topic: (.+)$/m.exec(text)?.[1]?.trim();
  const count = Number(/^Records to write: (\d+)$/m.exec(text)?.[1]);
  if (!topic || !Number.isInteger(count)) return undefined;
  return { topic, count, repair: /That reply is not valid/.test(text) };
}

export function generationHandler(options: GenerationHandlerOptions): GenerationHandler {
  const drawn = new Map<string, number>();
  const perTopic = new Map<string, number>();
  const asks: GenerationAsk[] = [];
  const topics = Object.keys(options.pools);
  const draw = (topic: string, count: number): string[] => {
    const pool = options.pools[topic] ?? [];
    if (pool.length === 0) return [];
    const start = drawn.get(topic) ?? 0;
    drawn.set(topic, start + count);
    return Array.from({ length: count }, (_, i) => pool[(start + i) % pool.length]);
  };
  const record = (text: string) => {
    const reference = options.referenceAnswer?.(text);
    const calls = options.referenceToolCalls?.(text);
    return { messages: [{ role: 'user', content: text }], ...(reference !== undefined ? { reference_answer: reference } : {}), ...(calls ? { reference_tool_calls: calls } : {}) };
  };
  const handler = ((request: ChatRequest): ChatReply | undefined => {
    const read = generationAskOf(request);
    if (!read) return undefined;
    const ask: GenerationAsk = { ...read, index: perTopic.get(read.topic) ?? 0 };
    perTopic.set(read.topic, ask.index + 1);
    asks.push(ask);
    options.onAsk?.(ask);
    const behaviour = typeof options.behaviour === 'function' ? options.behaviour(ask) : (options.behaviour ?? 'good');
    switch (behaviour) {
      case 'malformed':
        return { content: 'Here are your records: {"records": [' };
      case 'wrongSchema':
        return { content: { items: draw(ask.topic, ask.count) } };
      case 'repeat':
        return { content: { records: Array.from({ length: ask.count }, () => record(options.pools[ask.topic]?.[0] ?? 'hello there')) } };
      case 'offTopic': {
        const other = options.offTopicFrom?.(ask.topic) ?? topics[(topics.indexOf(ask.topic) + 1) % topics.length];
        return { content: { records: draw(other, ask.count).map(record) } };
      }
      case 'invalid':
        return {
          content: {
            records: draw(ask.topic, ask.count).map((text, i) =>
              i % 2 === 0
                ? {
                    messages: [
                      { role: 'user', content: text },
                      { role: 'assistant', content: 'Sure, here you go.' },
                    ],
                  }
                : { messages: [{ role: 'user', content: '' }] },
            ),
          },
        };
      default:
        return { content: { records: draw(ask.topic, ask.count).map(record) } };
    }
  }) as GenerationHandler;
  Object.defineProperty(handler, 'asks', { value: asks });
  return handler;
}
