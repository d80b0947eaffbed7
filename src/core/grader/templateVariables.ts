// The variables a grader's templates may use on a dataset ("{{item.reference_answer}}", "{{sample.output_text}}"),
// for the grader editor's "Insert variable" chips: the fields of the dataset's first valid records (top-level
// fields and, inside objects other than messages, one level down), most common first, then the sample's fields.
import { forEachValidRecord } from '../dataset/validRecords';
import type { TemplateVariable } from './templateVariableTypes';

/** Records read (enough to see every field of a consistent dataset). */
export const VARIABLE_SCAN_RECORDS = 500;

/** What a model's answer gives every template. */
export const SAMPLE_VARIABLES: readonly TemplateVariable[] = [
  { path: 'sample.output_text', share: 1, example: 'the answer as text' },
  { path: 'sample.output_json', share: 1, example: 'the answer parsed as JSON' },
  { path: 'sample.output_tools', share: 1, example: 'the answer’s tool calls' },
];

/** Shown first: the fields the presets read. */
const FIRST = ['item.reference_answer', 'item.reference_tool_calls'];
const NAME = /^[A-Za-z_$][\w$-]*$/;
const ITEM_PATH = /^item\.[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)?$/;

/**
 * The dataset's fields as template variables, each with the share of the records read that have it and an
 * example from the first of them (untrusted text, cut to 80 characters), then SAMPLE_VARIABLES.
 */
export async function templateVariablesOf(datasetDir: string): Promise<TemplateVariable[]> {
  const counts = new Map<string, { n: number; example?: string }>();
  let records = 0;
  const controller = new AbortController();
  const note = (key: string, value: unknown) => {
    const entry = counts.get(key) ?? { n: 0 };
    entry.n++;
    entry.example ??= excerpt(value);
    counts.set(key, entry);
  };
  try {
    await forEachValidRecord(
      datasetDir,
      ({ record }) => {
        if (records >= VARIABLE_SCAN_RECORDS) return controller.abort();
        records++;
        for (const [key, value] of Object.entries(record)) {
          note(`item.${key}`, value);
          if (value && typeof value === 'object' && !Array.isArray(value) && key !== 'messages') {
            for (const [inner, innerValue] of Object.entries(value)) if (NAME.test(inner)) note(`item.${key}.${inner}`, innerValue);
          }
        }
      },
      { signal: controller.signal },
    );
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  const items = [...counts].filter(([key]) => ITEM_PATH.test(key)).map(([key, { n, example }]) => ({ path: key, share: records === 0 ? 0 : n / records, ...(example ? { example } : {}) }));
  items.sort((a, b) => rank(a.path) - rank(b.path) || b.share - a.share || a.path.localeCompare(b.path));
  return [...items, ...SAMPLE_VARIABLES];
}

/** The preset fields first, then top-level fields, then nested ones. */
function rank(key: string): number {
  const index = FIRST.indexOf(key);
  return index >= 0 ? index : key.split('.').length === 2 ? FIRST.length : FIRST.length + 1;
}

function excerpt(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
