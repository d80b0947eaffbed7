/** How to reach a model provider: any OpenAI-compatible base URL, or Azure OpenAI (docs/models.md). */
export type ProviderConfig =
  | { readonly kind: 'openai'; readonly apiKey: string; readonly baseURL?: string; readonly organization?: string }
  | { readonly kind: 'azure'; readonly apiKey: string; readonly endpoint: string; readonly apiVersion: string; readonly deployment?: string };

export const DEFAULT_AZURE_API_VERSION = '2025-04-01-preview';

/**
 * The provider from environment variables, as the CLI reads it: OPENAI_API_KEY (+ OPENAI_BASE_URL for
 * Ollama, vLLM, LiteLLM, OpenRouter…), or AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT (+ OPENAI_API_VERSION,
 * AZURE_OPENAI_DEPLOYMENT). Keys only ever come from the environment or VS Code's SecretStorage.
 */
export function providerFromEnv(env: NodeJS.ProcessEnv, overrides: { baseURL?: string } = {}): ProviderConfig | undefined {
  if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_ENDPOINT && !overrides.baseURL) {
    return {
      kind: 'azure',
      apiKey: env.AZURE_OPENAI_API_KEY,
      endpoint: env.AZURE_OPENAI_ENDPOINT,
      apiVersion: env.OPENAI_API_VERSION ?? DEFAULT_AZURE_API_VERSION,
      deployment: env.AZURE_OPENAI_DEPLOYMENT,
    };
  }
  const baseURL = overrides.baseURL ?? env.OPENAI_BASE_URL;
  // Local servers (Ollama, vLLM) need no key; the SDK still wants a non-empty one.
  const apiKey = env.OPENAI_API_KEY ?? (baseURL ? 'not-needed' : undefined);
  if (!apiKey) return undefined;
  return { kind: 'openai', apiKey, baseURL, organization: env.OPENAI_ORG_ID };
}
