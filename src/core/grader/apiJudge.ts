import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ModelClient } from '../llm/modelClient';
import { JudgeRefusal, type Judge } from './judge';

/** A judge through the client layer (any OpenAI-compatible endpoint or Azure): concurrency, retries, timeouts, usage. */
export function apiJudge(client: ModelClient, label = client.provider.kind === 'azure' ? 'Azure OpenAI' : 'the API'): Judge {
  return {
    label,
    async chat(request, signal) {
      const completion = await client.chat(request as unknown as ChatCompletionCreateParamsNonStreaming, { signal });
      const message = completion.choices[0]?.message;
      if (message?.refusal) throw new JudgeRefusal(message.refusal);
      return message?.content ?? '';
    },
  };
}
