// The dry-run panel's webview → host messages as a zod schema, parsed once at the boundary (src/shared/ipc.ts).
// Only the host imports this file.
import { z } from 'zod';
import type { WebviewMessage } from './dryRunProtocol';
import { MAX_NAME_CHARS, protocolOf } from './ipc';

const NOT_SHOWN = 'That record is not among those shown.';

export const webviewMessages = protocolOf<WebviewMessage>()(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('refresh') }),
    z.object({ type: z.literal('rerun') }),
    z.object({ type: z.literal('cancel') }),
    z.object({ type: z.literal('adjustGrader') }),
    z.object({ type: z.literal('reviewDataset') }),
    z.object({ type: z.literal('startTraining') }),
    z.object({
      type: z.literal('openRecord'),
      file: z.string({ error: NOT_SHOWN }).max(MAX_NAME_CHARS, { error: NOT_SHOWN }),
      line: z.number({ error: NOT_SHOWN }).int({ error: NOT_SHOWN }).min(1, { error: NOT_SHOWN }),
    }),
  ]),
);
