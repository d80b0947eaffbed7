import type { RecordPreview } from '../../src/shared/coverageProtocol';
import { el } from '../shared/dom';
import { formatCount } from './format';

/**
 * The records behind a bar. Their text is untrusted user data: it only ever goes in through textContent.
 * Each record is a button (keyboard reachable) that asks the host to open it in the editor.
 */
export function recordList(records: readonly RecordPreview[], open: (record: RecordPreview) => void): HTMLElement {
  if (records.length === 0) return el('p', { className: 'empty', text: 'No records.' });
  return el(
    'ol',
    { className: 'records' },
    records.map((record) => el('li', {}, [recordButton(record, open)])),
  );
}

export function recordCount(shown: number, total: number): string {
  return shown < total ? `Showing ${formatCount(shown)} of ${formatCount(total)}` : `${formatCount(total)} ${total === 1 ? 'record' : 'records'}`;
}

function recordButton(record: RecordPreview, open: (record: RecordPreview) => void): HTMLButtonElement {
  const location = `${record.file}:${record.line}`;
  const meta = el('span', { className: 'record-meta' }, [
    el('span', { className: 'record-location', text: location }),
    record.topic ? el('span', { className: 'record-topic', text: record.topic }) : null,
    record.confidence !== undefined ? el('span', { className: 'record-confidence', text: `confidence ${record.confidence.toFixed(2)}` }) : null,
    record.method ? el('span', { className: 'record-method', text: record.method }) : null,
  ]);
  const button = el('button', { className: 'record', attrs: { type: 'button', title: `Open ${location}` } }, [meta, el('span', { className: 'record-text', text: record.text })]);
  button.addEventListener('click', () => open(record));
  return button;
}
