// The records browser webview (the spec's Records view): the dataset summary, filters (topic, status and code,
// origin, low confidence, text search), a paged table of every record line, a record's messages and fields as
// text, and deleting selected generated records. It talks to the extension only through the messages of
// src/shared/recordsProtocol; the host checks them and does the work (src/core/records).
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import {
  isHostMessage,
  RECORDS_PAGE_SIZE,
  type HostMessage,
  type RecordRow,
  type RecordsFilter,
  type RecordsPage,
  type RecordStatus,
  type RecordOrigin,
  type RecordsViewState,
  type WebviewMessage,
} from '../../src/shared/recordsProtocol';
import { renderBanners } from '../shared/banners';
import { el } from '../shared/dom';
import { startPage } from '../shared/page';
import { buildLayout, type Layout } from './layout';
import { countText, detailView, rowElement, summaryView, topicOptions, UNCATEGORIZED_OPTION } from './views';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedRecordsState } from './savedState';
import { recordsSections, type RecordsMessage, type RecordsPageState } from './state';
import { showSections } from '../shared/view';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

const SEARCH_DEBOUNCE_MS = 250;

class RecordsView {
  private readonly ui: Layout;
  private readonly state: RecordsPageState = { detailShown: false };
  private page: RecordsPage = { total: 0, offset: 0, rows: [] };
  private filter: RecordsFilter;
  private offset: number;
  private datasetKey: string | undefined;
  /** generated.jsonl lines ticked for deletion (across pages). */
  private readonly checked = new Set<number>();
  private restorePending: boolean;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: HostApi<WebviewMessage, RecordsViewState>,
    root: HTMLElement,
  ) {
    const saved = host.savedState();
    this.datasetKey = saved?.dataset;
    this.filter = saved?.filter ?? {};
    this.offset = saved?.offset ?? 0;
    this.state.selected = saved?.selected;
    this.restorePending = saved !== undefined;
    this.ui = buildLayout(root, {
      refresh: () => host.post({ type: 'refresh' }),
      filterChanged: () => this.filterChanged(),
      searchTyped: () => {
        clearTimeout(this.searchTimer);
        this.searchTimer = setTimeout(() => this.filterChanged(), SEARCH_DEBOUNCE_MS);
      },
      prev: () => this.go(this.offset - this.pageSize()),
      next: () => this.go(this.offset + this.pageSize()),
      deleteSelected: () => this.deleteSelected(),
      selectPage: (on) => this.selectPage(on),
      dismissNotice: () => {
        this.state.notice = undefined;
        this.render();
      },
      dismissError: () => {
        this.state.error = undefined;
        this.render();
      },
    });
  }

  /** What shows and what the banners say, from the state alone. */
  private render(): void {
    renderBanners(this.ui, this.state);
    showSections(this.ui, recordsSections(this.state));
    this.ui.noticeText.textContent = this.state.notice ?? '';
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'records':
        return this.show(message);
      case 'page':
        this.state.busy = undefined;
        this.filter = message.filter;
        this.renderPage(message.page);
        return this.render();
      case 'detail':
        return this.renderDetail(message);
      case 'busy':
        this.state.busy = message.message;
        return this.render();
      case 'notice':
        this.state.busy = undefined;
        this.state.notice = message.message;
        return this.render();
      case 'error':
        this.state.busy = undefined;
        this.state.error = message.message;
        return this.render();
    }
  }

  private show(message: RecordsMessage): void {
    const sameDataset = this.datasetKey === undefined || this.datasetKey === message.datasetDir;
    this.datasetKey = message.datasetDir;
    this.state.info = message;
    this.state.busy = undefined;
    this.render();
    this.ui.title.textContent = `Records — ${message.dataset}`;
    document.title = `Records — ${message.dataset}`;
    this.ui.summary.replaceChildren(...summaryView(message.summary));
    this.renderOptions(message);
    this.checked.clear(); // line numbers may have moved (deletion, generation)
    if (this.restorePending && sameDataset && (JSON.stringify(this.filter) !== JSON.stringify(message.filter) || this.offset !== message.page.offset)) {
      this.restorePending = false;
      this.writeControls();
      this.host.post({ type: 'query', filter: this.filter, offset: this.offset });
      return;
    }
    this.restorePending = false;
    if (!sameDataset) this.state.selected = undefined;
    this.filter = message.filter;
    this.writeControls();
    this.renderPage(message.page);
    if (this.state.selected && !this.state.detailShown) this.host.post({ type: 'showRecord', file: this.state.selected.file, line: this.state.selected.line });
  }

  private pageSize(): number {
    return this.state.info?.pageSize ?? RECORDS_PAGE_SIZE;
  }

  private renderOptions(message: RecordsMessage): void {
    const keepTopic = this.ui.topic.value;
    this.ui.topic.replaceChildren(...topicOptions(message.topics).map((o) => el('option', { text: o.text, attrs: { value: o.value } })));
    this.ui.topic.value = keepTopic;
    const keepCode = this.ui.code.value;
    this.ui.code.replaceChildren(
      el('option', { text: 'Any code', attrs: { value: '' } }),
      ...message.codes.map((c) => el('option', { text: `${c.code} (${c.count.toLocaleString('en-US')})`, attrs: { value: c.code } })),
    );
    this.ui.code.value = keepCode;
    this.ui.code.disabled = message.codes.length === 0;
  }

  /** The controls show the filter (after a restore or a refresh). */
  private writeControls(): void {
    const f = this.filter;
    const topic = f.uncategorized ? UNCATEGORIZED_OPTION : (f.topic ?? '');
    if (f.topic && ![...this.ui.topic.options].some((o) => o.value === f.topic)) this.ui.topic.append(el('option', { text: f.topic, attrs: { value: f.topic } }));
    this.ui.topic.value = topic;
    this.ui.status.value = f.status ?? '';
    if (f.code && ![...this.ui.code.options].some((o) => o.value === f.code)) this.ui.code.append(el('option', { text: f.code, attrs: { value: f.code } }));
    this.ui.code.value = f.code ?? '';
    this.ui.origin.value = f.origin ?? '';
    this.ui.lowConfidence.checked = f.lowConfidence === true;
    if (document.activeElement !== this.ui.search) this.ui.search.value = f.search ?? '';
  }

  private readControls(): RecordsFilter {
    const topic = this.ui.topic.value;
    const search = this.ui.search.value.trim();
    return {
      ...(topic === UNCATEGORIZED_OPTION ? { uncategorized: true } : topic ? { topic } : {}),
      ...(this.ui.status.value ? { status: this.ui.status.value as RecordStatus } : {}),
      ...(this.ui.code.value ? { code: this.ui.code.value } : {}),
      ...(this.ui.origin.value ? { origin: this.ui.origin.value as RecordOrigin } : {}),
      ...(this.ui.lowConfidence.checked ? { lowConfidence: true } : {}),
      ...(search ? { search } : {}),
    };
  }

  private filterChanged(): void {
    clearTimeout(this.searchTimer);
    const filter = this.readControls();
    if (JSON.stringify(filter) === JSON.stringify(this.filter) && this.offset === 0) return;
    this.filter = filter;
    this.offset = 0;
    this.host.post({ type: 'query', filter, offset: 0 });
    this.persist();
  }

  private go(offset: number): void {
    if (offset < 0 || offset >= this.page.total || offset === this.offset) return;
    this.offset = offset;
    this.host.post({ type: 'query', filter: this.filter, offset });
    this.persist();
  }

  private renderPage(page: RecordsPage): void {
    this.page = page;
    this.offset = page.offset;
    const { ui } = this;
    ui.count.textContent = countText(page.offset, page.rows.length, page.total);
    ui.prev.disabled = page.offset === 0;
    ui.next.disabled = page.offset + page.rows.length >= page.total;
    ui.rows.replaceChildren(
      ...(page.rows.length === 0
        ? [el('tr', {}, [el('td', { className: 'empty', text: 'No record matches these filters.', attrs: { colspan: '5' } })])]
        : page.rows.map((row) =>
            rowElement(row, this.isSelected(row), row.origin === 'generated' && this.checked.has(row.line), { select: (r) => this.select(r), check: (r, on) => this.check(r, on) }),
          )),
    );
    ui.selectPage.disabled = !page.rows.some((row) => row.origin === 'generated');
    this.updateSelectionControls();
    this.persist();
  }

  private isSelected(row: RecordRow): boolean {
    return this.state.selected?.file === row.file && this.state.selected.line === row.line;
  }

  private select(row: RecordRow): void {
    this.state.selected = { file: row.file, line: row.line };
    for (const tr of this.ui.rows.querySelectorAll<HTMLElement>('tr')) tr.classList.toggle('selected', tr.dataset.file === row.file && tr.dataset.line === String(row.line));
    this.host.post({ type: 'showRecord', file: row.file, line: row.line });
    this.persist();
  }

  private renderDetail(message: Extract<HostMessage, { type: 'detail' }>): void {
    this.state.busy = undefined;
    this.state.detailShown = true;
    this.render();
    this.ui.detail.replaceChildren(
      ...detailView(message.row, message.detail, this.state.info?.canSetTopic ?? false, {
        open: (row) => this.host.post({ type: 'openRecord', file: row.file, line: row.line }),
        setTopic: (row) => this.host.post({ type: 'setTopic', file: row.file, line: row.line }),
      }),
    );
  }

  private check(row: RecordRow, on: boolean): void {
    if (row.origin !== 'generated') return;
    if (on) this.checked.add(row.line);
    else this.checked.delete(row.line);
    this.updateSelectionControls();
  }

  private selectPage(on: boolean): void {
    for (const row of this.page.rows) if (row.origin === 'generated') this.check(row, on);
    for (const box of this.ui.rows.querySelectorAll<HTMLInputElement>('input.row-check')) box.checked = on;
  }

  private updateSelectionControls(): void {
    const n = this.checked.size;
    this.ui.deleteSelected.textContent = n === 0 ? 'Delete selected generated' : `Delete selected generated (${n.toLocaleString('en-US')})`;
    this.ui.deleteSelected.toggleAttribute('disabled', n === 0);
    const generated = this.page.rows.filter((row) => row.origin === 'generated');
    this.ui.selectPage.checked = generated.length > 0 && generated.every((row) => this.checked.has(row.line));
  }

  private deleteSelected(): void {
    if (this.checked.size === 0) return;
    this.host.post({ type: 'deleteGenerated', lines: [...this.checked].sort((a, b) => a - b) });
  }

  private persist(): void {
    if (this.datasetKey === undefined) return;
    this.host.saveState({ dataset: this.datasetKey, filter: this.filter, offset: this.offset, ...(this.state.selected ? { selected: this.state.selected } : {}) });
  }
}

const host = hostApi<WebviewMessage, RecordsViewState>(savedRecordsState);
startPage(host, isHostMessage, (root) => new RecordsView(host, root));
