// A model's answer to a record's prompt (its messages, tools and response_format), as a grader sample.
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ModelClient } from '../llm/modelClient';
import { toSample, type Sample, type ToolCall } from './sample';
import type { Answerer } from './testSample';

/** The chat request that asks `model` a record's prompt. */
export function chatParams(record: Record<string, unknown>, model: string, options: { temperature?: number; maxTokens?: number } = {}): ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: record.messages,
    ...(Array.isArray(record.tools) && record.tools.length > 0 ? { tools: record.tools } : {}),
    ...(record.response_format && typeof record.response_format === 'object' ? { response_format: record.response_format } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
  } as unknown as ChatCompletionCreateParamsNonStreaming;
}

/** The grader sample of a reply's message: its text, and its function calls as output_tools. */
export function sampleOfMessage(message: ChatCompletion['choices'][number]['message'] | undefined): Sample {
  const tools = (message?.tool_calls ?? []).flatMap((call): ToolCall[] =>
    call.type === 'function' ? [{ id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } }] : [],
  );
  const sample: Sample = toSample(message?.content ?? '');
  return tools.length > 0 ? { ...sample, output_tools: tools } : sample;
}

/** A reply with no text and no tool call: there is nothing to grade, and scoring it 0 in silence hides why. */
export class EmptyAnswerError extends Error {
  readonly code = 'empty_answer';
}

export function modelAnswerer(client: ModelClient, model: string, options: { temperature?: number; maxTokens?: number } = {}): Answerer {
  return async (record, signal) => {
    const completion = await client.chat(chatParams(record, model, options), { signal });
    const choice = completion.choices[0];
    const sample = sampleOfMessage(choice?.message);
    if (sample.output_text.trim() === '' && !sample.output_tools?.length) {
      const refusal = choice?.message?.refusal ? `; refusal: ${choice.message.refusal}` : '';
      throw new EmptyAnswerError(`${model} gave an empty reply (finish_reason: ${choice?.finish_reason ?? 'no choice'}${refusal})`);
    }
    return sample;
  };
}
