// Plain chat JSONL: `{messages:[…], tools?, …}` per line (SFT/eval files, OpenAI fine-tuning format, exports of
// chat apps). Each line is one call with its messages as given. A line that ends with the assistant's turn
// already holds the answer (the conversion to a prompt record takes it from there); an RFT record's
// `reference_answer` / `reference_tool_calls` become the response, so they survive the conversion. Other
// grader keys are not carried (TraceCall has no place for them).
import type { AdapterOutput, TraceFileAdapter } from '../traceCall';
import { readTools } from './messages';
import { compactTags, describeType, detectBy, firstString, guarded, isPlainObject, notAnObject, scalarEntries, skipOnly, timeField } from './shared';

/** Keys that mark another format whose lines also hold `messages` (so a chat line has none of them). */
const OTHER_FORMAT_MARKERS = ['call_type', 'request_id', 'resourceSpans', 'batch', 'request', 'request_body', 'response_body', 'custom_id', 'observations'];

function isChatLine(item: unknown): boolean {
  return isPlainObject(item) && Array.isArray(item.messages) && !OTHER_FORMAT_MARKERS.some((key) => key in item);
}

export const chatAdapter: TraceFileAdapter = {
  kind: 'chat',
  detect: (sample) => detectBy(sample, isChatLine, `a chat record ({messages:[…]} without ${OTHER_FORMAT_MARKERS.join('/')})`),
  read: (item, at) => guarded(at, () => readChat(item, at)),
};

function readChat(item: unknown, at: string): AdapterOutput {
  if (!isPlainObject(item)) return notAnObject(at, item);
  if (!('messages' in item)) return skipOnly(at, 'no "messages" array');
  if (!Array.isArray(item.messages)) return skipOnly(at, `messages is not an array (it is ${describeType(item.messages)})`);
  if (item.messages.length === 0) return skipOnly(at, 'messages is empty');
  const tools = readTools(item.tools);
  const metadata = isPlainObject(item.metadata) ? item.metadata : {};
  const model = firstString(item.model, metadata.model);
  const tags = compactTags({ ...scalarEntries(metadata) });
  const reference = typeof item.reference_answer === 'string' && item.reference_answer !== '' ? item.reference_answer : undefined;
  const referenceCalls = Array.isArray(item.reference_tool_calls) && item.reference_tool_calls.length > 0 ? item.reference_tool_calls : undefined;
  return {
    calls: [
      {
        id: firstString(item.id, metadata.id) ?? at,
        source: 'chat',
        ...(model ? { model } : {}),
        ...timeField(item.timestamp ?? metadata.timestamp),
        messages: item.messages,
        ...(tools ? { tools } : {}),
        ...(reference || referenceCalls ? { response: { ...(reference ? { content: reference } : {}), ...(referenceCalls ? { tool_calls: referenceCalls } : {}) } } : {}),
        ...(tags ? { tags } : {}),
      },
    ],
    skips: [],
  };
}
