// Grader templates: `{{ item.reference_answer }}`, `{{ sample.output_text }}`, `{{ sample.output_json.answer }}`.
import { isRecord } from './validation';

const TEMPLATE = /\{\{\s*([^{}]+?)\s*\}\}/g;

export interface TemplateNamespaces {
  readonly item: unknown;
  readonly sample: unknown;
}

/** The template with each variable replaced (strings as they are, other values as JSON); `missing` names the first unknown variable. */
export function renderTemplate(template: string, namespaces: TemplateNamespaces): { text: string; missing?: string } {
  let missing: string | undefined;
  const text = template.replace(TEMPLATE, (_, expression: string) => {
    const value = lookup(expression, namespaces);
    if (value === undefined) {
      missing ??= expression;
      return '';
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
  return { text, missing };
}

/** The first variable that is outside the `item` and `sample` namespaces, the only two the API knows. */
export function invalidTemplateVariable(template: string): string | undefined {
  for (const [, expression] of template.matchAll(TEMPLATE)) {
    const namespace = splitPath(expression)[0];
    if (namespace !== 'item' && namespace !== 'sample') return expression;
  }
  return undefined;
}

function lookup(expression: string, namespaces: TemplateNamespaces): unknown {
  const [namespace, ...path] = splitPath(expression);
  let value: unknown = namespace === 'item' ? namespaces.item : namespace === 'sample' ? namespaces.sample : undefined;
  for (const key of path) {
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (isRecord(value)) value = value[key];
    else return undefined;
  }
  return value === null ? 'null' : value;
}

/** `item.answers[0].text` → ['item', 'answers', '0', 'text']. */
function splitPath(expression: string): string[] {
  return expression
    .trim()
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
}

/** The sample namespace for a model sample given as text: its text, and its JSON when it parses. */
export function sampleNamespace(modelSample: string): Record<string, unknown> {
  let outputJson: unknown;
  try {
    outputJson = JSON.parse(modelSample);
  } catch {
    outputJson = undefined;
  }
  return { output_text: modelSample, output_json: outputJson, output_tools: [], choices: [] };
}
