// The records browser's parts drawn from host data. Record text is untrusted: everything from a record goes in as
// text (el's `text`, textContent), never as markup.
import type { CountShare, DatasetSummary, RecordDetail, RecordRow } from '../../src/shared/recordsProtocol';
import { el, toolkitButton } from '../shared/dom';

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;

/** "1–100 of 100,000". */
export function countText(offset: number, shown: number, total: number): string {
  if (total === 0) return 'No records match';
  return `${fmt(offset + 1)}–${fmt(offset + shown)} of ${fmt(total)}`;
}

/** The spec's Dataset Summary box: totals, validation, coverage, and Ready for RFT with what is missing. */
export function summaryView(summary: DatasetSummary): HTMLElement[] {
  const figure = (id: string, label: string, value: CountShare | number) =>
    el('div', { className: 'figure', attrs: { id: `summary-${id}` } }, [
      el('span', { className: 'figure-label', text: label }),
      el('span', { className: 'figure-value', text: typeof value === 'number' ? fmt(value) : fmt(value.count) }),
      typeof value === 'number' ? null : el('span', { className: 'figure-share', text: pct(value.share) }),
    ]);
  const group = (heading: string, children: HTMLElement[]) => el('div', { className: 'summary-group' }, [el('h2', { text: heading }), ...children]);
  const coverage = summary.categorized
    ? [
        figure('categorized', 'Categorized', summary.categorized),
        el('div', { className: 'figure', attrs: { id: 'summary-balance' } }, [
          el('span', { className: 'figure-label', text: 'Balance score' }),
          el('span', { className: 'figure-value', text: summary.balance ? summary.balance.score.toFixed(2) : '—' }),
          summary.balance ? el('span', { className: `figure-share rating-${summary.balance.rating}`, text: summary.balance.rating }) : null,
        ]),
      ]
    : [el('p', { className: 'hint', attrs: { id: 'summary-categorized' }, text: 'No topics yet.' })];
  const ready = el('div', { className: `ready ${summary.ready ? 'ready-yes' : 'ready-no'}`, attrs: { id: 'summary-ready' } }, [
    el('span', { className: 'ready-label', text: 'Ready for RFT:' }),
    el('span', { className: 'ready-value', text: summary.ready ? 'Yes' : 'No' }),
  ]);
  const items = el(
    'ul',
    { className: 'readiness', attrs: { id: 'summary-items' } },
    summary.items.map((item) => el('li', { className: `item-${item.level}`, text: item.text })),
  );
  return [
    group('Records', [figure('total', 'Total', summary.total), figure('traces', 'From traces', summary.fromTraces), figure('generated', 'Generated', summary.generated)]),
    group('Validation', [figure('valid', 'Valid', summary.valid), figure('invalid', 'Invalid', summary.invalid), figure('duplicates', 'Duplicates', summary.duplicates)]),
    group('Coverage', coverage),
    el('div', { className: 'summary-group summary-ready' }, [ready, items]),
  ];
}

export interface RowHandlers {
  select(row: RecordRow): void;
  check(row: RecordRow, checked: boolean): void;
}

const STATUS_TEXT: Record<RecordRow['status'], string> = { valid: 'valid', invalid: 'invalid', duplicate: 'duplicate' };

/** One table row; only generated rows have a checkbox (only they can be deleted). */
export function rowElement(row: RecordRow, selected: boolean, checked: boolean, handlers: RowHandlers): HTMLElement {
  const tr = el('tr', { className: `status-${row.status}${selected ? ' selected' : ''}`, attrs: { 'data-file': row.file, 'data-line': String(row.line), 'data-origin': row.origin, tabindex: '0' } });
  let box: HTMLInputElement | null = null;
  if (row.origin === 'generated') {
    box = el('input', { className: 'row-check', attrs: { type: 'checkbox', 'aria-label': `Select ${row.file}:${row.line}` } });
    box.checked = checked;
    box.addEventListener('click', (event) => event.stopPropagation());
    const input = box;
    box.addEventListener('change', () => handlers.check(row, input.checked));
  }
  const codes = row.status === 'invalid' && row.codes ? row.codes.join(', ') : row.duplicateOf ? `of ${row.duplicateOf.file}:${row.duplicateOf.line}` : '';
  const topic = row.topic === undefined ? '—' : `${row.topic}${row.confidence !== undefined ? ` · ${row.confidence.toFixed(2)}` : ''}`;
  tr.append(
    el('td', { className: 'select' }, [box]),
    el('td', { className: 'location', text: `${row.file}:${row.line}` }),
    el('td', { className: 'status', attrs: { title: codes ? `${row.status}: ${codes}` : row.status } }, [
      el('span', { className: `badge badge-${row.status}`, text: STATUS_TEXT[row.status] }),
      codes ? el('span', { className: 'codes', text: codes }) : null,
    ]),
    el('td', { className: `topic${row.lowConfidence ? ' low-confidence' : ''}`, text: topic, attrs: { title: topic } }),
    el('td', { className: 'text', text: row.text, attrs: { title: row.text } }),
  );
  tr.addEventListener('click', () => handlers.select(row));
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      handlers.select(row);
    }
  });
  return tr;
}

export interface DetailHandlers {
  open(row: RecordRow): void;
  setTopic(row: RecordRow): void;
}

/** A record's messages and fields, as text. */
export function detailView(row: RecordRow, detail: RecordDetail, canSetTopic: boolean, handlers: DetailHandlers): HTMLElement[] {
  const setTopic = toolkitButton('Set topic…', () => handlers.setTopic(row), 'secondary', { id: 'set-topic' });
  const why = !canSetTopic ? 'The dataset has no topics yet.' : row.status === 'invalid' ? 'An invalid record gets no topic.' : row.ownTopic ? 'The record names its own metadata.topic.' : undefined;
  if (why) {
    setTopic.setAttribute('disabled', '');
    setTopic.setAttribute('title', why);
  }
  const meta = [
    row.status,
    row.codes?.join(', '),
    row.topic ? `topic ${row.topic}${row.confidence !== undefined ? ` (${row.confidence.toFixed(2)}, ${row.method ?? ''})` : ''}` : 'no topic',
    row.key ? `key ${row.key}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const parts: HTMLElement[] = [
    el('div', { className: 'section-header' }, [
      el('h2', { text: `${row.file}:${row.line}`, attrs: { id: 'detail-heading' } }),
      el('div', { className: 'toolbar' }, [toolkitButton('Open at line', () => handlers.open(row), 'secondary', { id: 'open-record' }), setTopic]),
    ]),
    el('p', { className: 'hint', attrs: { id: 'detail-meta' }, text: meta }),
  ];
  if (detail.parseError !== undefined) {
    parts.push(el('p', { className: 'field-error', text: detail.parseError }), el('pre', { className: 'raw', attrs: { id: 'detail-raw' }, text: detail.raw ?? '' }));
    return parts;
  }
  parts.push(
    el(
      'ol',
      { className: 'messages', attrs: { id: 'detail-messages' } },
      detail.messages.map((message) =>
        el('li', { className: `message role-${message.role.replace(/[^a-z]/g, '')}` }, [
          el('div', { className: 'message-role', text: `${message.role}${message.name ? ` (${message.name})` : ''}${message.toolCallId ? ` · ${message.toolCallId}` : ''}` }),
          el('pre', { className: 'message-text', text: message.text }),
          message.toolCalls ? el('pre', { className: 'message-tools', text: message.toolCalls }) : null,
        ]),
      ),
    ),
  );
  if (detail.fields.length > 0) {
    parts.push(
      el(
        'dl',
        { className: 'fields', attrs: { id: 'detail-fields' } },
        detail.fields.flatMap((field) => [el('dt', { text: field.name }), el('dd', {}, [el('pre', { text: field.json })])]),
      ),
    );
  }
  return parts;
}

/** The topic filter's options: all, uncategorized, then each parent (its leaves) and its leaves. */
export function topicOptions(topics: readonly string[]): { value: string; text: string }[] {
  const parents = [...new Set(topics.filter((topic) => topic.includes('/')).map((topic) => topic.split('/')[0]))];
  const options = [
    { value: '', text: 'All topics' },
    { value: '\u0000none', text: 'Uncategorized' },
  ];
  const leaves = [...topics].sort();
  for (const parent of parents.sort()) {
    options.push({ value: parent, text: `${parent} (all)` });
    for (const leaf of leaves.filter((topic) => topic.startsWith(`${parent}/`))) options.push({ value: leaf, text: `  ${leaf}` });
  }
  for (const leaf of leaves.filter((topic) => !topic.includes('/'))) options.push({ value: leaf, text: leaf });
  return options;
}

export const UNCATEGORIZED_OPTION = '\u0000none';
