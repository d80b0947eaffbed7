// Step 7's model calls outside the benchmark loop: the playground's streamed answers. Pure (no `vscode`): the
// panels pass the client and the signal.
import { APIError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming, ChatCompletionMessage } from 'openai/resources/chat/completions';
import { directAnswerer, isAbort, modelError, type Answer } from '../../core/dryrun/answering';
import { chatParams, sampleOfMessage } from '../../core/grader/modelAnswer';
import type { ModelClient } from '../../core/llm/modelClient';

/**
 * Asks `model` the record's prompt with `stream: true`, giving each piece of text to `onText` as it arrives; tool
 * calls are assembled from their deltas. A server that refuses streaming (400 naming "stream") is asked once more
 * without it, its whole answer one piece. Failed calls become the error that stands for the answer; aborts propagate.
 */
export async function streamAnswer(client: ModelClient, record: Record<string, unknown>, model: string, onText: (text: string) => void, signal?: AbortSignal): Promise<Answer> {
  const params = { ...chatParams(record, model), stream: true } as unknown as ChatCompletionCreateParamsStreaming;
  try {
    const stream = await client.request((callSignal) => client.openai.chat.completions.create(params, { signal: callSignal }), { signal });
    const message = await readStream(stream, onText);
    signal?.throwIfAborted(); // an abort mid-stream ends the iteration quietly: the answer so far is not an answer
    return { sample: sampleOfMessage(message) };
  } catch (error) {
    if (isAbort(error) || signal?.aborted) throw error;
    if (error instanceof APIError && error.status === 400 && /stream/i.test(error.message)) {
      const answer = await directAnswerer(client, model)(record, signal);
      if ('sample' in answer && answer.sample.output_text) onText(answer.sample.output_text);
      return answer;
    }
    return { error: modelError(error) };
  }
}

async function readStream(stream: AsyncIterable<ChatCompletionChunk>, onText: (text: string) => void): Promise<ChatCompletionMessage> {
  let content = '';
  const calls: { id: string; name: string; args: string }[] = [];
  for await (const chunk of stream) {
    const delta = chunk.choices?.[0]?.delta;
    if (!delta) continue;
    if (delta.content) {
      content += delta.content;
      onText(delta.content);
    }
    for (const call of delta.tool_calls ?? []) {
      const slot = (calls[call.index] ??= { id: '', name: '', args: '' });
      if (call.id) slot.id = call.id;
      if (call.function?.name) slot.name += call.function.name;
      if (call.function?.arguments) slot.args += call.function.arguments;
    }
  }
  const toolCalls = calls.filter(Boolean).map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.args } }));
  return { role: 'assistant', content, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
}
