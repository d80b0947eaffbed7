import type { TopicCoverage } from '../../src/shared/coverageProtocol';
import { el, linkButton, toolkitButton } from '../shared/dom';
import { formatCount, formatShare, gapWarning } from './format';
import { isLeaf, type TopicRow } from './rows';

export interface TableActions {
  toggle(path: string): void;
  showTopicRecords(path: string): void;
  showLowConfidence(path: string): void;
  generate(path: string, count: number): void;
  /** The user typed in a leaf's target input. */
  editTarget(path: string, text: string): void;
}

export interface TableView {
  readonly rows: readonly TopicRow[];
  readonly canGenerate: boolean;
  /** The text of every leaf's target input (what the user typed, or the report's target). */
  readonly targetText: (path: string) => string;
  readonly fieldError: (path: string) => string | undefined;
}

const COLUMNS = ['Topic', 'Records', 'Low confidence', 'Share', 'Target %', 'Gap'];

/** The topics table: the accessible twin of the chart, and where targets are edited. */
export function topicsTable(view: TableView, actions: TableActions): HTMLTableElement {
  const head = el('thead', {}, [
    el(
      'tr',
      {},
      COLUMNS.map((name) => el('th', { text: name, attrs: { scope: 'col' } })),
    ),
  ]);
  const body = el(
    'tbody',
    {},
    view.rows.map((row, index) => topicRow(row, index, view, actions)),
  );
  return el('table', { className: 'topics' }, [el('caption', { className: 'visually-hidden', text: 'Coverage per topic' }), head, body]);
}

function topicRow(row: TopicRow, index: number, view: TableView, actions: TableActions): HTMLTableRowElement {
  const { topic } = row;
  const cells = [
    el('th', { className: 'topic-name', attrs: { scope: 'row' } }, [nameCell(row, actions)]),
    el('td', { className: 'num' }, [countCell(topic, actions)]),
    el('td', { className: 'num' }, [lowConfidenceCell(topic, actions)]),
    el('td', { className: 'num', text: formatShare(topic.share) }),
    el('td', { className: 'num target' }, targetCell(topic, index, view, actions)),
    el('td', { className: 'gap' }, gapCell(topic, view.canGenerate, actions)),
  ];
  return el('tr', { className: `level-${topic.level}`, attrs: { 'data-path': topic.path } }, cells);
}

function nameCell(row: TopicRow, actions: TableActions): HTMLElement {
  const { topic } = row;
  if (!row.expandable) return el('span', { className: topic.level === 2 ? 'leaf-name' : 'top-name', text: topic.name, attrs: titleAttr(topic) });
  const expander = el(
    'button',
    {
      className: 'expander',
      attrs: { type: 'button', 'aria-expanded': String(row.expanded), 'data-path': topic.path, ...titleAttr(topic) },
    },
    [el('span', { className: 'chevron', text: row.expanded ? '▾' : '▸', attrs: { 'aria-hidden': 'true' } }), topic.name],
  );
  expander.addEventListener('click', () => actions.toggle(topic.path));
  return expander;
}

function titleAttr(topic: TopicCoverage): Record<string, string> {
  return topic.description ? { title: topic.description } : {};
}

function countCell(topic: TopicCoverage, actions: TableActions): HTMLElement {
  const count = formatCount(topic.count);
  if (topic.count === 0) return el('span', { className: 'zero', text: count });
  return linkButton(count, `Show the ${count} records in ${topic.name}`, () => actions.showTopicRecords(topic.path));
}

function lowConfidenceCell(topic: TopicCoverage, actions: TableActions): HTMLElement {
  const count = formatCount(topic.lowConfidence);
  if (topic.lowConfidence === 0) return el('span', { className: 'zero', text: count });
  return linkButton(count, `Show the ${count} low-confidence records in ${topic.name}`, () => actions.showLowConfidence(topic.path));
}

/** Leaves get an input; a top topic shows the sum of its leaves' targets. */
function targetCell(topic: TopicCoverage, index: number, view: TableView, actions: TableActions): HTMLElement[] {
  if (!isLeaf(topic)) return [el('span', { text: formatShare(topic.target) })];
  const error = view.fieldError(topic.path);
  const errorId = `target-error-${index}`;
  const input = el('input', {
    className: 'target-input',
    attrs: {
      type: 'number',
      min: '0',
      max: '100',
      step: 'any',
      inputmode: 'decimal',
      'data-path': topic.path,
      'aria-label': `Target percent for ${topic.name}`,
      ...(error ? { 'aria-invalid': 'true', 'aria-describedby': errorId } : {}),
    },
  });
  input.value = view.targetText(topic.path);
  input.addEventListener('input', () => actions.editTarget(topic.path, input.value));
  const message = error ? el('span', { className: 'field-error', text: error, attrs: { id: errorId, role: 'alert' } }) : null;
  return message ? [input, message] : [input];
}

function gapCell(topic: TopicCoverage, canGenerate: boolean, actions: TableActions): HTMLElement[] {
  if (topic.gap <= 0) return [el('span', { className: 'on-target', text: '✓ on target' })];
  const warning = el('span', { className: 'gap-warning', text: gapWarning(topic) });
  if (!canGenerate) return [warning];
  const generate = toolkitButton(`Generate ~${formatCount(topic.gap)}`, () => actions.generate(topic.path, topic.gap), 'secondary', {
    class: 'generate',
    'data-path': topic.path,
    'aria-label': `Generate about ${formatCount(topic.gap)} records for ${topic.name}`,
  });
  return [warning, generate];
}
