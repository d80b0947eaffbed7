// The per-kind forms. Each edits the draft object it is given in place and tells the view: `changed()` for a
// value (the view re-validates and recompiles), `restructure()` when the form itself must be drawn again. Values
// from the dataset (variable examples) only ever go in as text.
import type { JudgeMessageJson, JudgeRole, LabelModelJson, LeafGraderJson, ScoreModelJson, ScriptJson, StringCheckJson, TemplateVariable, TextSimilarityJson } from '../../src/shared/graderProtocol';
import { el, toolkitButton } from '../shared/dom';
import { blankLeaf, DIMENSION_KINDS, KIND_LABELS, messageText, scriptFile, type Dimension, type LeafKind, type MultiModel } from './model';

export interface FormContext {
  readonly variables: readonly TemplateVariable[];
  readonly metrics: readonly string[];
  readonly operations: readonly string[];
  readonly defaultModel: string;
  changed(): void;
  restructure(): void;
  openScript(kind: 'js' | 'python', file: string, source?: string): void;
  /** A typed value the draft cannot hold (not a number), or undefined when it is fine again. */
  setInputError(field: string, message: string | undefined): void;
}

const ROLES: readonly JudgeRole[] = ['system', 'developer', 'user', 'assistant'];
const OPERATION_LABELS: Readonly<Record<string, string>> = { eq: 'eq: equals', ne: 'ne: does not equal', like: 'like: contains', ilike: 'ilike: contains, ignoring case' };
const METRIC_LABELS: Readonly<Record<string, string>> = {
  fuzzy_match: 'fuzzy_match (rapidfuzz ratio)',
  rouge_l: 'rouge_l (longest common subsequence)',
  cosine: 'cosine (embeddings; needs a provider)',
};

const INPUT_HINT = 'Usually {{sample.output_text}}';

/** The template field that last had the focus: "Insert variable" puts its variable there. */
let lastTemplate: HTMLInputElement | HTMLTextAreaElement | undefined;

export function idFor(field: string): string {
  return `f-${field.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** A labelled control with the place for its error message next to it. */
function field(label: string, control: HTMLElement, key: string, hint?: string): HTMLElement {
  const id = idFor(key);
  control.id = id;
  control.dataset.field = key;
  control.setAttribute('aria-describedby', `${id}-error`);
  return el('div', { className: 'field' }, [
    el('label', { text: label, attrs: { for: id } }),
    control,
    hint ? el('span', { className: 'hint', text: hint }) : null,
    el('span', { className: 'field-error', attrs: { id: `${id}-error`, 'data-error-for': key, role: 'alert' } }),
  ]);
}

function input(value: string, onInput: (value: string) => void, attrs: Record<string, string> = {}): HTMLInputElement {
  const control = el('input', { attrs: { type: 'text', spellcheck: 'false', ...attrs } });
  control.value = value;
  control.addEventListener('input', () => onInput(control.value));
  return control;
}

function templateInput(value: string, onInput: (value: string) => void, multiline: boolean): HTMLInputElement | HTMLTextAreaElement {
  const control = multiline
    ? el('textarea', { className: 'template', attrs: { rows: '5', spellcheck: 'false' } })
    : el('input', { className: 'template', attrs: { type: 'text', spellcheck: 'false' } });
  control.value = value;
  control.dataset.template = 'true';
  control.addEventListener('input', () => onInput(control.value));
  control.addEventListener('focus', () => {
    lastTemplate = control;
  });
  return control;
}

/** A one-line template field of the grader (its input or reference), written back into the grader as it is typed. */
function templateField<K extends string>(label: string, grader: Record<K, string>, key: K, context: FormContext, at: string, hint?: string): HTMLElement {
  return field(
    label,
    templateInput(
      grader[key],
      (value) => {
        grader[key] = value;
        context.changed();
      },
      false,
    ),
    `${at}${key}`,
    hint,
  );
}

function select<T extends string>(options: readonly T[], value: string, onChange: (value: T) => void, label: (option: T) => string = (option) => option): HTMLSelectElement {
  const control = el(
    'select',
    {},
    options.map((option) => el('option', { text: label(option), attrs: { value: option } })),
  );
  if (!options.includes(value as T)) control.prepend(el('option', { text: value, attrs: { value } }));
  control.value = value;
  control.addEventListener('change', () => onChange(control.value as T));
  return control;
}

/** A number field; empty gives undefined; text that is not a number is an input error (the draft keeps its last value). */
function numberInput(key: string, value: number | null | undefined, context: FormContext, onValue: (value: number | undefined) => void, attrs: Record<string, string> = {}): HTMLInputElement {
  const control = el('input', { attrs: { type: 'text', inputmode: 'decimal', spellcheck: 'false', ...attrs } });
  control.value = value == null ? '' : String(value);
  control.addEventListener('input', () => {
    const text = control.value.trim();
    const parsed = text === '' ? undefined : Number(text);
    if (parsed !== undefined && !Number.isFinite(parsed)) {
      context.setInputError(key, `"${text}" is not a number.`);
      context.changed();
      return;
    }
    context.setInputError(key, undefined);
    onValue(parsed);
    context.changed();
  });
  return control;
}

/** "Insert variable": the dataset's own item fields and the answer's fields, as chips. */
export function variableBar(variables: readonly TemplateVariable[]): HTMLElement {
  const chips = variables.map((variable) => {
    const text = `{{${variable.path}}}`;
    const title = [variable.share < 1 ? `in ${Math.round(variable.share * 100)} % of the records` : '', variable.example ? `e.g. ${variable.example}` : ''].filter(Boolean).join(' · ');
    const chip = el('button', { className: 'chip', text, attrs: { type: 'button', 'data-variable': variable.path, ...(title ? { title } : {}) } });
    chip.addEventListener('mousedown', (event) => event.preventDefault()); // keep the caret where it is
    chip.addEventListener('click', () => insertVariable(chip, text));
    return chip;
  });
  return el('div', { className: 'variables', attrs: { role: 'group', 'aria-label': 'Insert variable' } }, [el('span', { className: 'hint', text: 'Insert variable:' }), ...chips]);
}

function insertVariable(chip: HTMLElement, text: string): void {
  const form = chip.closest('.grader-form');
  const target =
    lastTemplate && lastTemplate.isConnected && lastTemplate.closest('.grader-form') === form ? lastTemplate : form?.querySelector<HTMLInputElement | HTMLTextAreaElement>('[data-template]');
  if (!target) return;
  const start = target.selectionStart ?? target.value.length;
  const end = target.selectionEnd ?? start;
  target.focus();
  target.setRangeText(text, start, end, 'end');
  target.dispatchEvent(new Event('input', { bubbles: true }));
}

/** The form of one leaf grader; `at` prefixes its field keys ("dimension.0."), `withName` adds its name field. */
export function leafForm(grader: LeafGraderJson, context: FormContext, at: string, withName: boolean): HTMLElement {
  const parts: HTMLElement[] = [];
  if (withName) parts.push(nameField(grader, context, at));
  switch (grader.type) {
    case 'score_model':
    case 'label_model':
      parts.push(...judgeFields(grader, context, at));
      break;
    case 'string_check':
      parts.push(...stringCheckFields(grader, context, at));
      break;
    case 'text_similarity':
      parts.push(...similarityFields(grader, context, at));
      break;
    case 'python':
    case 'js':
      parts.push(...scriptFields(grader, context, at));
      break;
  }
  return el('div', { className: `grader-form kind-${grader.type}`, attrs: { 'data-kind': grader.type } }, parts);
}

function nameField(grader: { name: string; description?: string }, context: FormContext, at: string): HTMLElement {
  return el('div', { className: 'row' }, [
    field(
      'Name',
      input(grader.name, (value) => {
        grader.name = value;
        context.changed();
      }),
      `${at}name`,
    ),
    field(
      'Description (optional)',
      input(grader.description ?? '', (value) => {
        if (value === '') delete grader.description;
        else grader.description = value;
        context.changed();
      }),
      `${at}description`,
    ),
  ]);
}

function judgeFields(grader: ScoreModelJson | LabelModelJson, context: FormContext, at: string): HTMLElement[] {
  const model = input(
    grader.model,
    (value) => {
      grader.model = value;
      context.changed();
    },
    { list: 'judge-models' },
  );
  const settings: HTMLElement[] = [field('Judge model', model, `${at}model`)];
  if (grader.type === 'score_model') {
    settings.push(
      field(
        'Temperature',
        numberInput(`${at}temperature`, grader.sampling_params?.temperature, context, (value) => {
          const params = { ...(grader.sampling_params ?? {}) };
          if (value === undefined) delete params.temperature;
          else params.temperature = value;
          grader.sampling_params = Object.keys(params).length > 0 ? params : undefined;
          if (grader.sampling_params === undefined) delete grader.sampling_params;
        }),
        `${at}temperature`,
      ),
      rangeField(grader, context, at),
    );
  }
  const parts: HTMLElement[] = [el('div', { className: 'row' }, settings)];
  if (grader.type === 'label_model') {
    const list = (value: string) =>
      value
        .split(',')
        .map((label) => label.trim())
        .filter((label) => label !== '');
    parts.push(
      el('div', { className: 'row' }, [
        field(
          'Labels',
          input(grader.labels.join(', '), (value) => {
            grader.labels = list(value);
            context.changed();
          }),
          `${at}labels`,
          'Comma-separated, e.g. correct, incorrect',
        ),
        field(
          'Passing labels',
          input(grader.passing_labels.join(', '), (value) => {
            grader.passing_labels = list(value);
            context.changed();
          }),
          `${at}passing_labels`,
          'Score 1 when the judge picks one of these',
        ),
      ]),
    );
  }
  parts.push(messagesEditor(grader, context, at));
  return parts;
}

function rangeField(grader: ScoreModelJson, context: FormContext, at: string): HTMLElement {
  const key = `${at}range`;
  const [min, max] = grader.range ?? [0, 1];
  const set = (index: 0 | 1) => (value: number | undefined) => {
    const range: [number, number] = [...(grader.range ?? [0, 1])] as [number, number];
    range[index] = value ?? (index === 0 ? 0 : 1);
    grader.range = range;
  };
  const id = idFor(key);
  const low = numberInput(`${key}.0`, min, context, set(0), { 'aria-label': 'Range minimum', id: `${id}-min`, 'data-field': key, 'aria-describedby': `${id}-error` });
  const high = numberInput(`${key}.1`, max, context, set(1), { 'aria-label': 'Range maximum', id: `${id}-max`, 'data-field': key, 'aria-describedby': `${id}-error` });
  return el('div', { className: 'field' }, [
    el('span', { className: 'label', text: 'Score range' }),
    el('span', { className: 'range' }, [low, el('span', { text: 'to' }), high]),
    el('span', { className: 'field-error', attrs: { id: `${id}-error`, 'data-error-for': key, role: 'alert' } }),
  ]);
}

function messagesEditor(grader: { input: JudgeMessageJson[] }, context: FormContext, at: string): HTMLElement {
  const key = `${at}messages`;
  const rows = grader.input.map((message, index) => {
    const role = select(ROLES, message.role, (value) => {
      message.role = value;
      context.changed();
    });
    role.setAttribute('aria-label', `Message ${index + 1} role`);
    role.dataset.field = `${at}input.${index}.role`;
    const content = templateInput(
      messageText(message),
      (value) => {
        message.content = value;
        context.changed();
      },
      true,
    );
    content.setAttribute('aria-label', `Message ${index + 1} (${message.role})`);
    content.dataset.field = `${at}input.${index}.content`;
    const remove = toolkitButton(
      'Remove',
      () => {
        grader.input.splice(index, 1);
        context.restructure();
      },
      'secondary',
      { 'aria-label': `Remove message ${index + 1}`, class: 'remove-message' },
    );
    return el('li', { className: 'message' }, [el('div', { className: 'message-head' }, [role, remove]), content]);
  });
  const add = toolkitButton(
    'Add message',
    () => {
      grader.input.push({ role: 'user', content: '' });
      context.restructure();
    },
    'secondary',
    { class: 'add-message' },
  );
  return el('div', { className: 'field messages' }, [
    el('span', { className: 'label', text: 'Prompt messages' }),
    el('span', { className: 'hint', text: 'The judge answers with {"result": number, "steps": [...]} (structured output); the result is clamped to the range.' }),
    variableBar(context.variables),
    el('ol', { className: 'message-list', attrs: { 'data-field': key, id: idFor(key) } }, rows),
    el('span', { className: 'field-error', attrs: { id: `${idFor(key)}-error`, 'data-error-for': key, role: 'alert' } }),
    el('div', { className: 'actions' }, [add]),
  ]);
}

function stringCheckFields(grader: StringCheckJson, context: FormContext, at: string): HTMLElement[] {
  return [
    variableBar(context.variables),
    templateField('Input', grader, 'input', context, at, INPUT_HINT),
    field(
      'Operation',
      select(
        context.operations,
        grader.operation,
        (value) => {
          grader.operation = value;
          context.changed();
        },
        (operation) => OPERATION_LABELS[operation] ?? operation,
      ),
      `${at}operation`,
      'Scores 1 when the check holds, else 0',
    ),
    templateField('Reference', grader, 'reference', context, at),
  ];
}

function similarityFields(grader: TextSimilarityJson, context: FormContext, at: string): HTMLElement[] {
  return [
    variableBar(context.variables),
    templateField('Input', grader, 'input', context, at, INPUT_HINT),
    templateField('Reference', grader, 'reference', context, at),
    el('div', { className: 'row' }, [
      field(
        'Metric',
        select(
          context.metrics,
          grader.evaluation_metric,
          (value) => {
            grader.evaluation_metric = value;
            context.changed();
          },
          (metric) => METRIC_LABELS[metric] ?? metric,
        ),
        `${at}evaluation_metric`,
      ),
      field(
        'Pass threshold (optional)',
        numberInput(`${at}pass_threshold`, grader.pass_threshold, context, (value) => {
          if (value === undefined) delete grader.pass_threshold;
          else grader.pass_threshold = value;
        }),
        `${at}pass_threshold`,
        'OpenAI passes scores at or above it',
      ),
    ]),
  ];
}

function scriptFields(grader: ScriptJson, context: FormContext, at: string): HTMLElement[] {
  const kind = grader.type;
  const language = kind === 'js' ? 'JavaScript' : 'Python';
  const signature =
    kind === 'js'
      ? 'function grade(input) → a number from 0 to 1; input has sample, item, messages, response, lastUserMessage, tools, toolCalls'
      : 'def grade(sample, item) -> float; sample has output_text, output_json, output_tools';
  const parts: HTMLElement[] = [el('p', { className: 'hint', text: `${language}: ${signature}. It runs in a sandbox (no files, network or host), with a time and memory limit.` })];
  if (kind === 'js')
    parts.push(
      el('p', { className: 'notice', text: 'OpenAI and Azure cannot run JavaScript graders: for hosted training write it in Python (it runs locally and through rft grader serve for TRL/verl).' }),
    );
  if (grader.source !== undefined) {
    const source = el('textarea', { className: 'code', attrs: { rows: '10', spellcheck: 'false' } });
    source.value = grader.source;
    source.addEventListener('input', () => {
      grader.source = source.value;
      context.changed();
    });
    const target = scriptFile(kind, grader.name);
    parts.push(
      field('Source (inline)', source, `${at}source`),
      el('div', { className: 'actions' }, [
        toolkitButton(
          `Move to ${target}`,
          () => {
            context.openScript(kind, target, grader.source);
            delete grader.source;
            grader.file = target;
            context.restructure();
          },
          'secondary',
          { class: 'open-script' },
        ),
      ]),
    );
    return parts;
  }
  const file = grader.file ?? scriptFile(kind, grader.name);
  const open = toolkitButton(`Open ${file}`, () => context.openScript(kind, (grader.file ?? file).trim()), 'primary', { class: 'open-script' });
  const fileInput = input(file, (value) => {
    grader.file = value;
    open.textContent = `Open ${value.trim()}`;
    context.changed();
  });
  parts.push(
    el('div', { className: 'row script-row' }, [field('File', fileInput, `${at}file`, 'Created from a template when it does not exist yet'), el('div', { className: 'field button-field' }, [open])]),
  );
  return parts;
}

/** A multi grader: named dimensions, each a sub-grader with a weight in percent, and the formula they make. */
export function multiForm(multi: MultiModel, context: FormContext, blank: { defaultModel: string; variables: readonly TemplateVariable[] }): HTMLElement {
  const dimensions = multi.dimensions.map((dimension, index) => dimensionCard(multi, dimension, index, context, blank));
  const add = toolkitButton(
    'Add dimension',
    () => {
      const name = freeName(multi, 'dimension');
      multi.dimensions.push({ name, weight: '0', grader: blankLeaf('string_check', name, blank) });
      context.restructure();
    },
    'secondary',
    { id: 'add-dimension' },
  );
  const modeName = 'formula-mode';
  const radio = (value: 'weights' | 'custom', label: string) => {
    const control = el('input', { attrs: { type: 'radio', name: modeName, value, id: `formula-${value}` } });
    control.checked = multi.formulaMode === value;
    control.addEventListener('change', () => {
      if (!control.checked) return;
      if (value === 'custom' && multi.formulaMode === 'weights') multi.customFormula = document.getElementById('formula')?.textContent ?? multi.customFormula;
      multi.formulaMode = value;
      context.restructure();
    });
    return el('label', { className: 'radio' }, [control, label]);
  };
  const formula =
    multi.formulaMode === 'weights'
      ? el('code', { className: 'formula', attrs: { id: 'formula', 'aria-label': 'calculate_output' } })
      : field(
          'calculate_output',
          input(
            multi.customFormula,
            (value) => {
              multi.customFormula = value;
              context.changed();
            },
            { class: 'formula-input' },
          ),
          'formula',
          'A formula over the dimensions’ names: + - * / ^, min max abs floor ceil exp sqrt log',
        );
  return el('div', { className: 'grader-form kind-multi', attrs: { 'data-kind': 'multi' } }, [
    nameField(multi.base, context, ''),
    el('h3', { text: 'Dimensions' }),
    el('p', { className: 'hint', text: 'Each dimension is a grader of its own; the reward is their weighted sum. Weights are in percent and must add up to 100 %.' }),
    el('div', { className: 'dimensions', attrs: { 'data-field': 'dimensions', id: idFor('dimensions') } }, dimensions),
    el('span', { className: 'field-error', attrs: { id: `${idFor('dimensions')}-error`, 'data-error-for': 'dimensions', role: 'alert' } }),
    el('div', { className: 'actions weights-line' }, [
      add,
      el('span', { className: 'weights-total' }, ['Total: ', el('output', { attrs: { id: 'weights-total', 'aria-live': 'polite' } })]),
      el('span', { className: 'field-error', attrs: { id: 'weights-error', 'data-error-for': 'weights', role: 'alert' } }),
    ]),
    el('div', { className: 'field formula-field' }, [
      el('span', { className: 'label', text: 'Formula (calculate_output)' }),
      el('div', { className: 'radios', attrs: { role: 'radiogroup', 'aria-label': 'Formula' } }, [radio('weights', 'From the weights'), radio('custom', 'Custom formula')]),
      formula,
    ]),
  ]);
}

function dimensionCard(multi: MultiModel, dimension: Dimension, index: number, context: FormContext, blank: { defaultModel: string; variables: readonly TemplateVariable[] }): HTMLElement {
  const at = `dimension.${index}.`;
  const name = input(
    dimension.name,
    (value) => {
      dimension.name = value.trim();
      dimension.grader.name = dimension.name;
      context.changed();
    },
    { 'aria-label': `Dimension ${index + 1} name`, class: 'dimension-name' },
  );
  const weight = input(
    dimension.weight,
    (value) => {
      dimension.weight = value;
      context.changed();
    },
    { inputmode: 'decimal', 'aria-label': `Dimension ${index + 1} weight in percent`, class: 'dimension-weight' },
  );
  weight.disabled = multi.formulaMode === 'custom';
  const kind = select(
    DIMENSION_KINDS,
    dimension.grader.type,
    (value: LeafKind) => {
      dimension.grader = blankLeaf(value, dimension.name, blank);
      context.restructure();
    },
    (option) => KIND_LABELS[option],
  );
  kind.setAttribute('aria-label', `Dimension ${index + 1} kind`);
  const remove = toolkitButton(
    'Remove',
    () => {
      multi.dimensions.splice(index, 1);
      context.restructure();
    },
    'secondary',
    { 'aria-label': `Remove dimension ${index + 1}`, class: 'remove-dimension' },
  );
  return el('fieldset', { className: 'dimension', attrs: { 'data-index': String(index) } }, [
    el('legend', { text: `Dimension ${index + 1}` }),
    el('div', { className: 'row dimension-head' }, [
      field('Name', name, `${at}name`),
      field('Weight %', weight, `${at}weight`),
      field('Kind', kind, `${at}kind`),
      el('div', { className: 'field button-field' }, [remove]),
    ]),
    leafForm(dimension.grader, context, at, false),
  ]);
}

function freeName(multi: MultiModel, stem: string): string {
  const taken = new Set(multi.dimensions.map((dimension) => dimension.name));
  for (let n = multi.dimensions.length + 1; ; n++) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}
