// The grader's models in VS Code, from the provider layer (docs/models.md): the judge of score_model / label_model and
// the base model that answers Test Sample prompts. "api" goes through the client layer (the request's model,
// sampling and response_format honoured); "vscode-lm" through a VS Code language model (chatProvider.ts), which
// takes plain turns only, so the verdict's JSON Schema is spelled out in the prompt instead.
import * as vscode from 'vscode';
import { apiJudge } from '../../core/grader/apiJudge';
import type { Judge, JudgeRequest } from '../../core/grader/judge';
import { pinnedJudgeModel } from '../../core/grader/judgeModels';
import { modelAnswerer } from '../../core/grader/modelAnswer';
import { toSample } from '../../core/grader/sample';
import type { Answerer } from '../../core/grader/testSample';
import { contentText } from '../../core/validation/recordShape';
import { chatProvider, type ChatProvider, type ChatTurn } from '../llm/chatProvider';
import type { Ctx } from '../ctx';
import { modelClient } from '../llm/modelClient';

/** The judge model new judges start with: the chat model, pinned to the snapshot OpenAI's graders take for it. */
export function defaultJudgeModel(ctx: Ctx): string {
  return pinnedJudgeModel(ctx.config.chatModel);
}

/** Who answers Test Sample prompts, for the editor to name; undefined when nothing is configured (no prompt shown). */
export async function baseModelLabel(ctx: Ctx): Promise<string | undefined> {
  const { chat, chatModel } = ctx.config;
  if (chat === 'vscode-lm') return 'a VS Code language model (vscode.lm)';
  const provider = await ctx.providers.provider({ quiet: true });
  if (!provider) return undefined;
  return `${chatModel} via ${provider.kind === 'azure' ? provider.endpoint : (provider.baseURL ?? 'api.openai.com')}`;
}

/** The judge, or undefined (the user was told why) when no provider is configured. */
export async function graderJudge(ctx: Ctx): Promise<Judge | undefined> {
  if (ctx.config.chat === 'vscode-lm') {
    const provider = await chatProvider(ctx);
    return provider ? languageModelJudge(provider) : undefined;
  }
  const provider = await ctx.providers.provider();
  return provider ? apiJudge(modelClient(ctx, provider), provider.kind === 'azure' ? `Azure OpenAI (${provider.endpoint})` : (provider.baseURL ?? 'api.openai.com')) : undefined;
}

/** The base model's answers, or undefined (the user was told why) when no provider is configured. */
export async function baseModelAnswerer(ctx: Ctx): Promise<Answerer | undefined> {
  const { chat, chatModel } = ctx.config;
  if (chat === 'vscode-lm') {
    const provider = await chatProvider(ctx);
    return provider ? languageModelAnswerer(provider) : undefined;
  }
  const provider = await ctx.providers.provider();
  return provider ? modelAnswerer(modelClient(ctx, provider), chatModel) : undefined;
}

function languageModelJudge(provider: ChatProvider): Judge {
  return {
    label: provider.label,
    chat: (request, signal) => withToken(signal, (token) => provider.chat(judgeTurns(request), token)),
  };
}

/** The judge's messages as plain turns (developer → system), with the verdict's schema asked for in words. */
export function judgeTurns(request: JudgeRequest): ChatTurn[] {
  const turns: ChatTurn[] = request.messages.map((message) => ({ role: message.role === 'developer' ? 'system' : message.role, content: message.content }));
  const schema = (request.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema;
  if (schema) turns.push({ role: 'user', content: `Reply with only a JSON object matching this JSON Schema, no prose:\n${JSON.stringify(schema)}` });
  return turns;
}

function languageModelAnswerer(provider: ChatProvider): Answerer {
  return async (record, signal) => {
    const messages = Array.isArray(record.messages) ? (record.messages as { role?: unknown; content?: unknown }[]) : [];
    const turns: ChatTurn[] = messages.flatMap((message): ChatTurn[] => {
      const text = contentText(message.content);
      if (message.role === 'system' || message.role === 'developer') return [{ role: 'system', content: text }];
      if (message.role === 'assistant') return text ? [{ role: 'assistant', content: text }] : [];
      if (message.role === 'tool') return [{ role: 'user', content: `Tool result: ${text}` }];
      return [{ role: 'user', content: text }];
    });
    return toSample(await withToken(signal, (token) => provider.chat(turns, token)));
  };
}

/** A cancellation token that follows an AbortSignal. */
async function withToken<T>(signal: AbortSignal | undefined, work: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const source = new vscode.CancellationTokenSource();
  const cancel = () => source.cancel();
  signal?.addEventListener('abort', cancel);
  try {
    return await work(source.token);
  } finally {
    signal?.removeEventListener('abort', cancel);
    source.dispose();
  }
}
