// The generation panel's webview → host messages as a zod schema, parsed once at the boundary (src/shared/ipc.ts).
// Which topics a run may target depends on the panel's last setup: the panel checks that (validRequest).
// Only the host imports this file.
import { z } from 'zod';
import { MAX_COUNT, STRATEGY_NAMES, type WebviewMessage } from './generateProtocol';
import { MAX_NAME_CHARS, protocolOf } from './ipc';

const NO_TARGETS = 'Choose at least one topic and how many records to generate.';
const STRATEGY = `The strategy must be one of ${STRATEGY_NAMES.join(', ')}.`;
const NO_MODEL = 'Name the model that writes the records.';

const target = z.object({ topic: z.string().max(MAX_NAME_CHARS), count: z.number() });
const runRequest = {
  targets: z.array(target, { error: NO_TARGETS }).min(1, { error: NO_TARGETS }).max(MAX_COUNT, { error: NO_TARGETS }).readonly(),
  strategy: z.enum(STRATEGY_NAMES as readonly ['few-shot', 'variations', 'description', 'tools'], { error: STRATEGY }),
  model: z
    .string({ error: NO_MODEL })
    .max(200, { error: NO_MODEL })
    .refine((model) => model.trim() !== '', { error: NO_MODEL }),
};

export const webviewMessages = protocolOf<WebviewMessage>()(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('refresh') }),
    z.object({ type: z.literal('estimate'), id: z.number({ error: 'An estimate request needs its id.' }), ...runRequest }),
    z.object({ type: z.literal('start'), ...runRequest }),
    z.object({ type: z.literal('stop') }),
    z.object({ type: z.literal('openCoverage') }),
    z.object({ type: z.literal('reviewRecords') }),
    z.object({ type: z.literal('generateTopics') }),
  ]),
);
