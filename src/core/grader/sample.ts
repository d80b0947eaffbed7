// What a grader sees (docs/grader.md §What a grader sees): `item` = the record's top-level fields, `sample` = the model's answer.

export interface ToolCall {
  readonly id?: string;
  readonly type?: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/** The model's answer, as OpenAI hands it to graders. */
export interface Sample {
  readonly output_text: string;
  /** The answer parsed as JSON when it is JSON (OpenAI fills it when the job has a response_format). */
  readonly output_json?: unknown;
  readonly output_tools?: readonly ToolCall[];
  readonly choices?: readonly unknown[];
}

export type Item = Readonly<Record<string, unknown>>;

export interface GradingPair {
  readonly item: Item;
  readonly sample: Sample;
}

/** A sample from text (output_json filled when the text is a JSON object or array), or as given. */
export function toSample(value: string | Partial<Sample>): Sample {
  if (typeof value === 'string') return { output_text: value, output_json: jsonOf(value) };
  const text = typeof value.output_text === 'string' ? value.output_text : '';
  return { ...value, output_text: text, output_json: value.output_json ?? jsonOf(text) };
}

function jsonOf(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
