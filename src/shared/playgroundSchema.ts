// The playground's webview → host messages as a zod schema, parsed once at the boundary (src/shared/ipc.ts).
// Only the host imports this file.
import { z } from 'zod';
import { MAX_NAME_CHARS, protocolOf } from './ipc';
import type { WebviewMessage } from './playgroundProtocol';

/** A typed prompt longer than this is cut (not refused); a message far beyond it is no prompt a page sends. */
export const MAX_PROMPT_CHARS = 100_000;
const NO_PROMPT = 'Type a prompt, or pick a validation record.';

export const webviewMessages = protocolOf<WebviewMessage>()(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('refresh') }),
    z.object({
      type: z.literal('ask'),
      prompt: z
        .string({ error: NO_PROMPT })
        .max(10 * MAX_PROMPT_CHARS, { error: `The prompt is longer than ${(10 * MAX_PROMPT_CHARS).toLocaleString('en-US')} characters.` })
        .optional(),
      recordKey: z.string({ error: NO_PROMPT }).max(MAX_NAME_CHARS, { error: NO_PROMPT }).optional(),
      base: z
        .string({ error: 'Name the base model.' })
        .max(MAX_NAME_CHARS, { error: 'Name the base model.' })
        .refine((base) => base.trim() !== '', { error: 'Name the base model.' })
        .transform((base) => base.trim()),
    }),
    z.object({ type: z.literal('cancel') }),
  ]),
);
