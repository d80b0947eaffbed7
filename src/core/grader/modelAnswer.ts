// The base model's answer to a record's prompt (its messages, tools and response_format), as a grader sample.
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ModelClient } from '../llm/modelClient';
import { toSample, type Sample, type ToolCall } from './sample';
import type { Answerer } from './testSample';

export function modelAnswerer(client: ModelClient, model: string, options: { temperature?: number; maxTokens?: number } = {}): Answerer {
  return async (record, signal) => {
    const params = {
      model,
      messages: record.messages,
      ...(Array.isArray(record.tools) && record.tools.length > 0 ? { tools: record.tools } : {}),
      ...(record.response_format && typeof record.response_format === 'object' ? { response_format: record.response_format } : {}),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
    } as unknown as ChatCompletionCreateParamsNonStreaming;
    const completion = await client.chat(params, { signal });
    const message = completion.choices[0]?.message;
    const tools = (message?.tool_calls ?? []).flatMap((call): ToolCall[] => (call.type === 'function' ? [{ id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } }] : []));
    const sample: Sample = toSample(message?.content ?? '');
    return tools.length > 0 ? { ...sample, output_tools: tools } : sample;
  };
}
