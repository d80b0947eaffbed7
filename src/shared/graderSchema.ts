// The grader editor's webview → host messages as a zod schema, parsed once at the boundary (src/shared/ipc.ts).
// A grader draft is any JSON object here: the core's grader.json schema checks it where it is compiled or saved.
// Only the host imports this file.
import { z } from 'zod';
import type { GraderJson, WebviewMessage } from './graderProtocol';
import { MAX_NAME_CHARS, protocolOf } from './ipc';

export const MAX_TYPED_CHARS = 100_000;
const NOT_SHOWN = 'That record is not among those shown.';
const NOT_SCRIPT = 'Not a script grader file.';
const TYPED = 'The typed answer must be text (at most 100,000 characters).';

/** The core's schema checks a draft's fields; here it only has to be a JSON object. */
const draft = z.custom<GraderJson>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { error: 'The grader must be a JSON object.' });

export const webviewMessages = protocolOf<WebviewMessage>()(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('refresh') }),
    z.object({ type: z.literal('compile'), seq: z.number().int(), grader: draft }),
    z.object({ type: z.literal('save'), grader: draft }),
    z.object({ type: z.literal('usePreset'), preset: z.string({ error: 'Unknown preset.' }).max(MAX_NAME_CHARS, { error: 'Unknown preset.' }) }),
    z.object({
      type: z.literal('openScript'),
      kind: z.enum(['js', 'python'], { error: NOT_SCRIPT }),
      file: z.string({ error: NOT_SCRIPT }).max(MAX_NAME_CHARS, { error: NOT_SCRIPT }),
      source: z.string({ error: NOT_SCRIPT }).optional(),
    }),
    z.object({ type: z.literal('openGraderFile') }),
    z
      .object({
        type: z.literal('testSample'),
        from: z.enum(['model', 'reference', 'typed'], { error: 'Unknown answer source.' }),
        typed: z.string({ error: TYPED }).max(MAX_TYPED_CHARS, { error: TYPED }).optional(),
        grader: draft.optional(),
      })
      .refine((message) => message.from !== 'typed' || Boolean(message.typed?.trim()), { error: 'Type the answer to score first.' }),
    z.object({ type: z.literal('selfCheck'), grader: draft.optional() }),
    z.object({ type: z.literal('cancel') }),
    z.object({ type: z.literal('openRecord'), file: z.string({ error: NOT_SHOWN }).max(MAX_NAME_CHARS, { error: NOT_SHOWN }), line: z.number({ error: NOT_SHOWN }).int({ error: NOT_SHOWN }) }),
  ]),
);
