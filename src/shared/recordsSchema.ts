// The records browser's webview → host messages as a zod schema, parsed once at the boundary (src/shared/ipc.ts).
// Whether a named line is one of the dataset's is the panel's check (its index). Only the host imports this file.
import { z } from 'zod';
import { MAX_NAME_CHARS, protocolOf } from './ipc';
import { checkedFilter, type RecordsFilter, type WebviewMessage } from './recordsProtocol';

/** At most this many lines per deletion request (the webview selects them one by one). */
export const MAX_DELETE = 100_000;
const NOT_LISTED = 'That record is not among those listed; refresh the list.';
const NO_SELECTION = 'Select generated records to delete.';

/** The filter, checked by the one check the page also uses on its saved state (checkedFilter). */
const filter = z.unknown().transform((value, context): RecordsFilter => {
  try {
    return checkedFilter(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const recordLine = { file: z.string({ error: NOT_LISTED }).max(MAX_NAME_CHARS, { error: NOT_LISTED }), line: z.number({ error: NOT_LISTED }) };

export const webviewMessages = protocolOf<WebviewMessage>()(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('refresh') }),
    z.object({
      type: z.literal('query'),
      filter,
      offset: z.number({ error: 'The page offset must be a whole number.' }).int({ error: 'The page offset must be a whole number.' }).min(0, { error: 'The page offset must be a whole number.' }),
    }),
    z.object({ type: z.literal('showRecord'), ...recordLine }),
    z.object({ type: z.literal('openRecord'), ...recordLine }),
    z.object({ type: z.literal('setTopic'), ...recordLine }),
    z.object({
      type: z.literal('deleteGenerated'),
      lines: z
        .array(z.number({ error: NO_SELECTION }).int({ error: NO_SELECTION }).min(1, { error: NO_SELECTION }), { error: NO_SELECTION })
        .min(1, { error: NO_SELECTION })
        .max(MAX_DELETE, { error: NO_SELECTION }),
    }),
  ]),
);
