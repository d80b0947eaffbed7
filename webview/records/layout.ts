import { banners, type Banners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';

/** The page's fixed parts; the view fills them. */
export interface Layout extends Banners {
  readonly title: HTMLElement;
  readonly notice: HTMLElement;
  readonly noticeText: HTMLElement;
  readonly summary: HTMLElement;
  readonly topic: HTMLSelectElement;
  readonly status: HTMLSelectElement;
  readonly code: HTMLSelectElement;
  readonly origin: HTMLSelectElement;
  readonly lowConfidence: HTMLInputElement;
  readonly search: HTMLInputElement;
  readonly count: HTMLElement;
  readonly prev: HTMLButtonElement;
  readonly next: HTMLButtonElement;
  readonly deleteSelected: HTMLElement;
  readonly selectPage: HTMLInputElement;
  readonly rows: HTMLElement;
  readonly detail: HTMLElement;
}

export interface LayoutActions {
  refresh(): void;
  filterChanged(): void;
  searchTyped(): void;
  prev(): void;
  next(): void;
  deleteSelected(): void;
  selectPage(checked: boolean): void;
  dismissNotice(): void;
  dismissError(): void;
}

const option = (value: string, text: string) => el('option', { text, attrs: { value } });

export function buildLayout(root: HTMLElement, actions: LayoutActions): Layout {
  const title = el('h1', { text: 'Records' });
  const { busy, busyText, error, errorText } = banners([], actions.dismissError);
  const noticeText = el('span');
  const dismiss = el('button', { className: 'link-button', text: 'Dismiss', attrs: { type: 'button' } });
  const notice = el('div', { className: 'notice-banner', attrs: { id: 'notice', role: 'status', hidden: '' } }, [el('span', { text: 'ℹ', attrs: { 'aria-hidden': 'true' } }), noticeText, dismiss]);
  dismiss.addEventListener('click', actions.dismissNotice);
  const summary = el('section', { className: 'summary', attrs: { id: 'summary', 'aria-label': 'Dataset summary' } });
  const topic = el('select', { attrs: { id: 'filter-topic', 'aria-label': 'Topic' } }, [option('', 'All topics')]);
  const status = el('select', { attrs: { id: 'filter-status', 'aria-label': 'Status' } }, [
    option('', 'Any status'),
    option('valid', 'Valid'),
    option('invalid', 'Invalid'),
    option('duplicate', 'Duplicates'),
  ]);
  const code = el('select', { attrs: { id: 'filter-code', 'aria-label': 'Validation code' } }, [option('', 'Any code')]);
  const origin = el('select', { attrs: { id: 'filter-origin', 'aria-label': 'Origin' } }, [option('', 'Traces and generated'), option('traces', 'From traces'), option('generated', 'Generated')]);
  const lowConfidence = el('input', { attrs: { id: 'filter-low', type: 'checkbox' } });
  const search = el('input', { attrs: { id: 'filter-search', type: 'search', placeholder: 'Search the text…', 'aria-label': 'Search the record text' } });
  for (const select of [topic, status, code, origin]) select.addEventListener('change', actions.filterChanged);
  lowConfidence.addEventListener('change', actions.filterChanged);
  search.addEventListener('input', actions.searchTyped);
  const count = el('span', { className: 'count', attrs: { id: 'count', role: 'status' } });
  const prev = el('button', { className: 'pager-button', text: '‹ Prev', attrs: { id: 'prev', type: 'button' } });
  const next = el('button', { className: 'pager-button', text: 'Next ›', attrs: { id: 'next', type: 'button' } });
  prev.addEventListener('click', actions.prev);
  next.addEventListener('click', actions.next);
  const deleteSelected = toolkitButton('Delete selected generated', actions.deleteSelected, 'secondary', { id: 'delete-selected', disabled: '' });
  const selectPage = el('input', { attrs: { id: 'select-page', type: 'checkbox', 'aria-label': 'Select the generated records of this page' } });
  selectPage.addEventListener('change', () => actions.selectPage(selectPage.checked));
  const rows = el('tbody', { attrs: { id: 'rows' } });
  const table = el('table', { className: 'records', attrs: { id: 'records' } }, [
    el('thead', {}, [
      el('tr', {}, [el('th', { className: 'select' }, [selectPage]), el('th', { text: 'Line' }), el('th', { text: 'Status' }), el('th', { text: 'Topic' }), el('th', { text: 'Text' })]),
    ]),
    rows,
  ]);
  const detail = el('section', { className: 'detail', attrs: { id: 'detail', 'aria-label': 'Record', hidden: '' } });
  root.replaceChildren(
    el('header', { className: 'page-header' }, [title, el('div', { className: 'toolbar' }, [toolkitButton('Refresh', actions.refresh, 'secondary', { id: 'refresh' })])]),
    busy,
    error,
    notice,
    summary,
    el('div', { className: 'filters toolbar', attrs: { role: 'search' } }, [topic, status, code, origin, el('label', { className: 'check' }, [lowConfidence, 'Low confidence']), search]),
    el('div', { className: 'pager toolbar' }, [prev, count, next, el('span', { className: 'spacer' }), deleteSelected]),
    el('div', { className: 'browser' }, [el('div', { className: 'table-box' }, [table]), detail]),
  );
  return { title, busy, busyText, error, errorText, notice, noticeText, summary, topic, status, code, origin, lowConfidence, search, count, prev, next, deleteSelected, selectPage, rows, detail };
}
