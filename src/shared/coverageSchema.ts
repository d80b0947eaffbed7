// The coverage dashboard's webview → host messages as a zod schema: each is parsed once, at the boundary, before
// the panel handles it (src/shared/ipc.ts). Only the host imports this file (the pages need no zod).
import { z } from 'zod';
import type { WebviewMessage } from './coverageProtocol';
import { MAX_NAME_CHARS, protocolOf } from './ipc';

const NOT_SHOWN = 'That record is not among those shown.';
const SHARE = 'Every target must be a share from 0 to 1.';
const FILTER = 'Unknown record filter.';

const topicPath = z.string().max(MAX_NAME_CHARS);
const recordFilter = z.discriminatedUnion(
  'kind',
  [z.object({ kind: z.literal('topic'), path: topicPath }), z.object({ kind: z.literal('lowConfidence'), path: topicPath.optional() }), z.object({ kind: z.literal('uncategorized') })],
  { error: FILTER },
);

export const webviewMessages = protocolOf<WebviewMessage>()(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('refresh') }),
    z.object({
      type: z.literal('setTargets'),
      targets: z.record(topicPath, z.number({ error: SHARE }).min(0, { error: SHARE }).max(1, { error: SHARE }), { error: 'Targets must be an object of shares.' }),
    }),
    z.object({ type: z.literal('resetTargets') }),
    z.object({ type: z.literal('showRecords'), filter: recordFilter }),
    z.object({ type: z.literal('openRecord'), file: z.string({ error: NOT_SHOWN }).max(MAX_NAME_CHARS, { error: NOT_SHOWN }), line: z.number({ error: NOT_SHOWN }).int({ error: NOT_SHOWN }) }),
    z.object({ type: z.literal('categorize') }),
    z.object({ type: z.literal('generate'), path: topicPath, count: z.number().int().min(1) }),
  ]),
);
