import type OpenAI from 'openai';
import type { Fault } from './faults';
import type { Reply } from './http';

type Chunk = OpenAI.ChatCompletionChunk;
type Delta = OpenAI.ChatCompletionChunk.Choice.Delta;

/** How many chunks a `streamCut` fault lets through when it names no count: the role chunk and one piece. */
export const DEFAULT_CUT_AFTER = 2;
const ARGUMENT_PIECE_CHARS = 8;

/**
 * A completion as OpenAI streams it (`stream: true`): per choice a role chunk, the text word by word (a tool call
 * as one chunk with its id and name, then fragments of its arguments), a last chunk with the finish reason; with
 * `include_usage` every chunk carries `usage: null` and a chunk without choices carries the usage; then `[DONE]`.
 */
export function streamReply(completion: OpenAI.ChatCompletion, includeUsage: boolean, fault?: Fault): Reply {
  const chunk = (choices: OpenAI.ChatCompletionChunk.Choice[]): Chunk => ({
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    service_tier: completion.service_tier,
    system_fingerprint: completion.system_fingerprint,
    choices,
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks = completion.choices.flatMap((choice) =>
    choiceDeltas(choice.message).map((delta, position, all) => chunk([{ index: choice.index, delta, logprobs: null, finish_reason: position === all.length - 1 ? choice.finish_reason : null }])),
  );
  if (includeUsage) chunks.push({ ...chunk([]), usage: completion.usage });
  const events = [...chunks.map((value) => JSON.stringify(value)), '[DONE]'];
  if (fault?.kind !== 'streamCut') return { kind: 'stream', events, ending: 'end' };
  return { kind: 'stream', events: events.slice(0, Math.min(fault.afterChunks ?? DEFAULT_CUT_AFTER, chunks.length)), ending: fault.hold ? 'hold' : 'drop' };
}

function choiceDeltas(message: OpenAI.ChatCompletionMessage): Delta[] {
  const calls = message.tool_calls?.filter((call) => call.type === 'function') ?? [];
  const first: Delta = { role: 'assistant', content: calls.length > 0 && !message.content ? null : '', refusal: null };
  const deltas: Delta[] = [
    ...textPieces(message.content ?? '').map((content) => ({ content })),
    ...textPieces(message.refusal ?? '').map((refusal) => ({ refusal })),
    ...calls.flatMap((call, index) => [
      { tool_calls: [{ index, id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: '' } }] },
      ...slices(call.function.arguments, ARGUMENT_PIECE_CHARS).map((fragment) => ({ tool_calls: [{ index, function: { arguments: fragment } }] })),
    ]),
  ];
  // OpenAI puts the first tool call in the role chunk when there is no text before it.
  if (calls.length > 0 && !message.content && !message.refusal) return [{ ...first, ...deltas[0] }, ...deltas.slice(1), {}];
  return [first, ...deltas, {}];
}

/** Word by word, each word with the whitespace before it: the pieces join back to the text. */
function textPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function slices(text: string, size: number): string[] {
  return Array.from({ length: Math.ceil(text.length / size) }, (_, index) => text.slice(index * size, (index + 1) * size));
}
