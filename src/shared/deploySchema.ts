// The results and deploy panel's webview → host messages as a zod schema, parsed once at the boundary
// (src/shared/ipc.ts). Only the host imports this file.
import { z } from 'zod';
import { asDeployChoice, ENDPOINT_KINDS, type DeployChoice, type WebviewMessage } from './deployProtocol';
import { MAX_NAME_CHARS, protocolOf } from './ipc';

/** Benchmark prompts at most. */
export const MAX_BENCHMARK_PROMPTS = 100_000;
const INCOMPLETE = 'That deployment option is incomplete: pick the mode and the model name (A/B: two weights, not both 0).';
const NO_MODEL = 'The tuned model needs its model id.';
const PROMPTS = `Prompts: a whole number from 1 to ${MAX_BENCHMARK_PROMPTS.toLocaleString('en-US')}, or empty for all.`;
const NO_BASE = 'Name the base model to compare with.';

const name = (error: string) => z.string({ error }).max(MAX_NAME_CHARS, { error });
/** An optional text field: blank is the same as absent. */
const optionalText = z
  .string()
  .max(MAX_NAME_CHARS)
  .optional()
  .transform((value) => value?.trim() || undefined);

const tunedModelInput = z
  .object(
    {
      model: name(NO_MODEL)
        .refine((model) => model.trim() !== '', { error: NO_MODEL })
        .transform((model) => model.trim()),
      endpoint: z.enum(ENDPOINT_KINDS as readonly ['openai', 'azure', 'compatible'], { error: 'The endpoint is openai, azure or compatible.' }),
      baseURL: optionalText,
      deployment: optionalText,
      apiKeyEnv: optionalText,
    },
    { error: NO_MODEL },
  )
  .transform(({ model, endpoint, baseURL, deployment, apiKeyEnv }) => ({
    model,
    endpoint,
    ...(baseURL ? { baseURL } : {}),
    ...(deployment ? { deployment } : {}),
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
  }));

/** A deployment choice, checked by the protocol's one check (asDeployChoice); every problem says what the page can fix. */
const choice = z.unknown().transform((value, context): DeployChoice => {
  const checked = asDeployChoice(value);
  if (checked) return checked;
  context.addIssue({ code: 'custom', message: INCOMPLETE });
  return z.NEVER;
});

export const webviewMessages = protocolOf<WebviewMessage>()(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('refresh') }),
    z.object({ type: z.literal('saveTuned'), tuned: tunedModelInput }),
    z.object({
      type: z.literal('runBenchmark'),
      base: name(NO_BASE)
        .refine((base) => base.trim() !== '', { error: NO_BASE })
        .transform((base) => base.trim()),
      n: z.number({ error: PROMPTS }).int({ error: PROMPTS }).min(1, { error: PROMPTS }).max(MAX_BENCHMARK_PROMPTS, { error: PROMPTS }).optional(),
    }),
    z.object({ type: z.literal('cancel') }),
    z.object({ type: z.literal('pickConfig') }),
    z.object({ type: z.literal('preview'), choice }),
    z.object({ type: z.literal('deploy'), choice }),
    z.object({ type: z.literal('undo') }),
    z.object({ type: z.literal('openPlayground') }),
    z.object({
      type: z.literal('openRecord'),
      file: name('That record is not among those shown.'),
      line: z.number({ error: 'That record is not among those shown.' }).int({ error: 'That record is not among those shown.' }).min(1, { error: 'That record is not among those shown.' }),
    }),
  ]),
);
