/** The validation codes of docs/validation-codes.md. They are a contract: diagnostics, reports, the CLI and tests use them. */
export const ERROR_CODES = [
  'invalid_json',
  'not_object',
  'missing_messages',
  'empty_messages',
  'invalid_message',
  'invalid_role',
  'missing_content',
  'no_user_message',
  'empty_user_message',
  'last_not_user',
  'invalid_tool_call',
  'double_encoded_arguments',
  'orphan_tool_result',
  'missing_tool_result',
  'invalid_tool_definition',
  'invalid_content_part',
  'invalid_weight',
  'too_deep',
  'exceeds_max_tokens',
  'encoding',
  'line_too_long',
] as const;

export const WARNING_CODES = ['user_message_too_short', 'unknown_message_key', 'top_level_system', 'bom', 'crlf', 'duplicate'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export type WarningCode = (typeof WARNING_CODES)[number];
export type ValidationCode = ErrorCode | WarningCode;
export type Severity = 'error' | 'warning';

export const ALL_CODES: readonly ValidationCode[] = [...ERROR_CODES, ...WARNING_CODES];

const errorCodeSet: ReadonlySet<string> = new Set(ERROR_CODES);

export function severityOf(code: ValidationCode): Severity {
  return errorCodeSet.has(code) ? 'error' : 'warning';
}

/** Codes with a pure fix in `src/core/fixes`. */
export const FIXABLE_CODES = ['last_not_user', 'double_encoded_arguments', 'top_level_system', 'bom', 'crlf', 'duplicate'] as const;
export type FixableCode = (typeof FIXABLE_CODES)[number];

export function isFixableCode(code: string): code is FixableCode {
  return (FIXABLE_CODES as readonly string[]).includes(code);
}

/** Codes that describe the file rather than one record; they are reported once and never make a record invalid. */
export const FILE_LEVEL_CODES: ReadonlySet<ValidationCode> = new Set(['bom', 'crlf']);
