import type { ValidationCode } from './codes';
import type { HealthCounts } from './health';

const TOOL_CHAIN: readonly ValidationCode[] = ['invalid_tool_call', 'orphan_tool_result', 'missing_tool_result'];

const fmt = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

/** What to do next, in the spirit of the spec's "Sanitize Data" screen, most impactful first. */
export function recommendations(counts: HealthCounts): string[] {
  const by = (code: ValidationCode) => counts.byCode[code] ?? 0;
  const out: string[] = [];
  const lastNotUser = by('last_not_user');
  if (lastNotUser > 0)
    out.push(
      `${plural(lastNotUser, 'record')} ${lastNotUser === 1 ? 'ends' : 'end'} with an assistant or tool turn — chat/SFT data; \`rft fix --code last_not_user\` moves the final assistant turn into reference_answer.`,
    );
  const toolChain = TOOL_CHAIN.reduce((sum, code) => sum + by(code), 0);
  if (toolChain > 0) out.push(`${plural(toolChain, 'tool-chain error')} — check call/result pairing (every tool_call id answered by a tool message right after it).`);
  if (by('double_encoded_arguments') > 0)
    out.push(`${plural(by('double_encoded_arguments'), 'record')} with double-encoded tool arguments — \`rft fix --code double_encoded_arguments\` decodes them once.`);
  if (by('invalid_tool_definition') > 0)
    out.push(`${plural(by('invalid_tool_definition'), 'record')} with invalid tool definitions — names must match ^[a-zA-Z0-9_-]{1,64}$ and parameters must be a JSON Schema object.`);
  if (by('invalid_content_part') > 0)
    out.push(
      `${plural(by('invalid_content_part'), 'record')} with content parts their role cannot send — images only in user turns, refusals only from the assistant; audio and file parts are not supported for fine-tuning.`,
    );
  if (by('invalid_weight') > 0) out.push(`${plural(by('invalid_weight'), 'record')} with a message "weight" other than 0 or 1.`);
  if (by('too_deep') > 0) out.push(`${plural(by('too_deep'), 'record')} nested too deep to read safely — flatten them; they are left out of splits and exports.`);
  if (by('top_level_system') > 0)
    out.push(`${plural(by('top_level_system'), 'record')} with a top-level "system" the model never sees — \`rft fix --code top_level_system\` moves it into a leading system message.`);
  if (by('invalid_json') > 0) out.push(`${plural(by('invalid_json'), 'line')} of invalid JSON — each line must be one complete JSON object (pretty-printed JSON is not JSONL).`);
  const empty = by('empty_user_message') + by('empty_messages') + by('missing_content');
  if (empty > 0) out.push(`${plural(empty, 'record')} with an empty user turn or a message without content — write the missing text or delete the turn.`);
  if (by('exceeds_max_tokens') > 0) out.push(`${plural(by('exceeds_max_tokens'), 'record')} over the token limit — shorten them or raise settings.validation.maxTokens.`);
  if (by('encoding') > 0 || by('line_too_long') > 0)
    out.push(`${plural(by('encoding') + by('line_too_long'), 'line')} unreadable (encoding or size) — re-export the file as UTF-8 with one record per line.`);
  if (counts.duplicates > 0) out.push(`${plural(counts.duplicates, 'duplicate')} — excluded from training; \`rft fix --code duplicate\` deletes the later copies.`);
  if (by('user_message_too_short') > 0) out.push(`${plural(by('user_message_too_short'), 'prompt')} shorter than the minimum — very short prompts rarely carry enough signal.`);
  if (by('crlf') > 0 || by('bom') > 0) out.push('Windows line endings or a BOM — `rft fix --code crlf,bom` normalises the file.');
  if (out.length === 0 && counts.invalid > 0) out.push(`${plural(counts.invalid, 'invalid record')} — \`rft validate\` lists each with its reason.`);
  if (out.length === 0 && counts.total > 0) out.push('All records are valid — ready for topics and coverage.');
  if (counts.total === 0) out.push('No records yet — import a JSONL file or extract from gateway traces.');
  return out;
}
