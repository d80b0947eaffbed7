import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

const MASTER_KEY = 'rftStudio.litellmMasterKey';

/** The LiteLLM proxy's master key: from SecretStorage or LITELLM_MASTER_KEY, else asked for and kept in SecretStorage, never a file. */
export async function masterKey(ctx: Ctx): Promise<string | undefined> {
  const { secrets } = ctx.extension;
  const stored = (await secrets.get(MASTER_KEY)) ?? process.env.LITELLM_MASTER_KEY;
  if (stored) return stored;
  const key = await vscode.window.showInputBox({
    title: 'RFT: LiteLLM master key',
    prompt: 'The proxy’s master key, for its admin API. Kept in VS Code SecretStorage, never in files.',
    password: true,
    ignoreFocusOut: true,
  });
  if (!key?.trim()) return undefined;
  await secrets.store(MASTER_KEY, key.trim());
  return key.trim();
}
