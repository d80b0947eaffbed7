import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { modelClient } from './modelClient';

/** A chat turn for the tasks that only need text back (labeling, generation, judging in later steps). */
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** Who answers chat tasks: the configured API through the client layer, or VS Code's Language Model API. */
export interface ChatProvider {
  readonly label: string;
  chat(turns: readonly ChatTurn[], token: vscode.CancellationToken): Promise<string>;
}

/**
 * The chat provider the settings choose: `rftStudio.provider.chat` = "api" (default) or "vscode-lm"
 * (a model from `vscode.lm`, e.g. Copilot's, with the user's consent; no key needed).
 */
export async function chatProvider(ctx: Ctx): Promise<ChatProvider | undefined> {
  const { config, providers } = ctx;
  if (config.chat === 'vscode-lm') {
    const family = config.languageModelFamily;
    const [model] = await vscode.lm.selectChatModels(family ? { family } : {});
    if (!model) {
      void vscode.window.showWarningMessage('RFT: no language model is available through VS Code (vscode.lm); install a provider such as GitHub Copilot, or set rftStudio.provider.chat to "api".');
      return undefined;
    }
    return {
      label: `${model.vendor}/${model.family} (VS Code language model)`,
      async chat(turns, token) {
        // vscode.lm has no system role: system instructions go first as a user turn.
        const messages = turns.map((turn) => (turn.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(turn.content) : vscode.LanguageModelChatMessage.User(turn.content)));
        const response = await model.sendRequest(messages, {}, token);
        let text = '';
        for await (const part of response.text) text += part;
        return text;
      },
    };
  }
  const provider = await providers.provider();
  if (!provider) return undefined;
  const client = modelClient(ctx, provider);
  const model = config.chatModel;
  return {
    label: `${model} via ${provider.kind === 'azure' ? provider.endpoint : (provider.baseURL ?? 'api.openai.com')}`,
    async chat(turns, token) {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const completion = await client.chat({ model, messages: turns.map((turn) => ({ role: turn.role, content: turn.content })) }, { signal: controller.signal });
      return completion.choices[0]?.message?.content ?? '';
    },
  };
}

/** "RFT: Test Model Connection": one short chat through the configured provider. */
export async function testModelConnection(ctx: Ctx): Promise<void> {
  const provider = await chatProvider(ctx);
  if (!provider) return;
  const reply = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Asking ${provider.label}`, cancellable: true }, (_progress, token) =>
    provider.chat([{ role: 'user', content: 'Reply with the single word: ready' }], token),
  );
  void vscode.window.showInformationMessage(`RFT: ${provider.label} answered "${reply.trim().slice(0, 80)}".`);
}
