// The training panel's webview → host messages as a zod schema, parsed once at the boundary (src/shared/ipc.ts).
// A start request is checked by checkStartRequest against the backends' ranges (the form uses the same ranges),
// whose answer is a `launchFailed` message rather than an error. Only the host imports this file.
import { z } from 'zod';
import { MAX_NAME_CHARS, protocolOf } from './ipc';
import { JOB_CONTROLS, type StartRequest, type WebviewMessage } from './trainProtocol';

const UNKNOWN_CONTROL = 'Unknown job control.';
const NOT_SHOWN = 'That model is not shown here.';

export const webviewMessages = protocolOf<WebviewMessage>()(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('refresh') }),
    z.object({ type: z.literal('start'), request: z.custom<StartRequest>(() => true) }),
    z.object({
      type: z.literal('control'),
      action: z.enum(JOB_CONTROLS as readonly ['pause', 'resume', 'cancel'], { error: UNKNOWN_CONTROL }),
      jobId: z.string({ error: UNKNOWN_CONTROL }).max(MAX_NAME_CHARS, { error: UNKNOWN_CONTROL }),
    }),
    z.object({ type: z.literal('runDryRun') }),
    z.object({ type: z.literal('copyModel'), model: z.string({ error: NOT_SHOWN }).max(MAX_NAME_CHARS, { error: NOT_SHOWN }) }),
  ]),
);
