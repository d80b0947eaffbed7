// The coverage dashboard webview: totals, balance, share per topic (chart and table), target editing and the
// records behind a bar. It talks to the extension only through the messages of src/shared/coverageProtocol.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import type { CoverageReport, HostMessage, RecordFilter, RecordPreview, TopicCoverage, CoverageViewState, WebviewMessage } from '../../src/shared/coverageProtocol';
import { CoverageChart } from './chart';
import { renderBanners } from '../shared/banners';
import { el } from '../shared/dom';
import { startPage } from '../shared/page';
import { balanceText, filterTitle, formatCount } from './format';
import { buildLayout, type Layout } from './layout';
import { recordCount, recordList } from './records';
import { leavesOf, visibleRows, type TopicRow } from './rows';
import { topicsTable } from './table';
import { percentText, validateTargets } from './targets';
import { onThemeChange } from '../shared/charts';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedCoverageState } from './savedState';
import { coverageSections, emptyText, type CoverageMessage, type CoveragePageState } from './state';
import { showSections } from '../shared/view';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing());

type RecordsMessage = Extract<HostMessage, { type: 'records' }>;

class CoverageView {
  private readonly ui: Layout;
  private readonly chart: CoverageChart;
  private readonly state: CoveragePageState = {};
  /** The dataset folder (the panel serializer's key), or its name when the host sends no folder. */
  private datasetKey: string | undefined;
  private expanded: Set<string>;
  private filter: RecordFilter | undefined;
  /** Target inputs the user changed and has not saved yet, by leaf path. */
  private readonly drafts = new Map<string, string>();
  private fieldErrors: ReadonlyMap<string, string> = new Map();
  private needsRecordsRestore: boolean;

  constructor(
    private readonly host: HostApi<WebviewMessage, CoverageViewState>,
    root: HTMLElement,
  ) {
    const saved = host.savedState();
    this.datasetKey = saved?.dataset;
    this.expanded = new Set(saved?.expanded ?? []);
    this.filter = saved?.filter;
    this.needsRecordsRestore = saved?.filter !== undefined;
    this.ui = buildLayout(root, {
      refresh: () => host.post({ type: 'refresh' }),
      categorize: () => host.post({ type: 'categorize' }),
      saveTargets: () => this.saveTargets(),
      resetTargets: () => this.resetTargets(),
      showLowConfidence: () => this.requestRecords({ kind: 'lowConfidence' }),
      showUncategorized: () => this.requestRecords({ kind: 'uncategorized' }),
      dismissError: () => {
        this.state.error = undefined;
        this.render();
      },
    });
    this.chart = new CoverageChart(this.ui.canvas, this.ui.chartBox, (row) => this.chartRowClicked(row));
    onThemeChange(() => this.chart.applyTheme());
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'coverage':
        return this.showCoverage(message);
      case 'records':
        return this.showRecords(message);
      case 'busy':
        this.state.busy = message.message;
        return this.render();
      case 'error':
        this.state.busy = undefined;
        this.state.error = message.message;
        return this.render();
    }
  }

  /** What shows and what the banners and the empty line say, from the state alone. */
  private render(): void {
    renderBanners(this.ui, this.state);
    showSections(this.ui, coverageSections(this.state));
    this.ui.empty.textContent = emptyText(this.state);
  }

  private showCoverage(message: CoverageMessage): void {
    const key = message.datasetDir ?? message.dataset;
    if (this.datasetKey !== undefined && this.datasetKey !== key) {
      this.expanded.clear();
      this.filter = undefined;
      this.needsRecordsRestore = false;
    }
    this.datasetKey = key;
    this.state.coverage = message;
    this.forgetSettledDrafts(message.report);
    this.state.busy = undefined;
    this.state.error = undefined;
    this.ui.title.textContent = `Coverage — ${message.dataset}`;
    document.title = `Coverage — ${message.dataset}`;
    this.renderSummary(message.report);
    this.renderTopics();
    this.persist();
    if (this.needsRecordsRestore && this.filter) this.requestRecords(this.filter);
    this.needsRecordsRestore = false;
  }

  private renderSummary(report: CoverageReport): void {
    const stat = (label: string, value: number, id: string) => [el('dt', { text: label }), el('dd', { text: formatCount(value), attrs: { id } })];
    this.ui.summary.replaceChildren(
      ...stat('Total', report.total, 'total'),
      ...stat('Categorized', report.categorized, 'categorized'),
      ...stat('Uncategorized', report.uncategorized, 'uncategorized'),
      ...stat('Low confidence', report.lowConfidence, 'low-confidence'),
    );
    this.ui.balance.textContent = balanceText(report);
    this.ui.balance.className = `balance rating-${report.rating}`;
  }

  private renderTopics(): void {
    const tree = this.state.coverage?.report.tree ?? [];
    this.render();
    const rows = visibleRows(tree, this.expanded);
    this.chart.show(rows);
    this.ui.table.replaceChildren(
      topicsTable(
        {
          rows,
          canGenerate: this.state.coverage?.canGenerate ?? false,
          targetText: (path) => this.targetText(path),
          fieldError: (path) => this.fieldErrors.get(path),
        },
        {
          toggle: (path) => this.toggle(path),
          showTopicRecords: (path) => this.requestRecords({ kind: 'topic', path }),
          showLowConfidence: (path) => this.requestRecords({ kind: 'lowConfidence', path }),
          generate: (path, count) => this.host.post({ type: 'generate', path, count }),
          editTarget: (path, text) => this.drafts.set(path, text),
        },
      ),
    );
  }

  private chartRowClicked(row: TopicRow): void {
    if (row.expandable) this.toggle(row.topic.path);
    else if (row.topic.count > 0) this.requestRecords({ kind: 'topic', path: row.topic.path });
  }

  private toggle(path: string): void {
    if (!this.expanded.delete(path)) this.expanded.add(path);
    this.renderTopics();
    this.persist();
    this.ui.table.querySelector<HTMLElement>(`button.expander[data-path="${CSS.escape(path)}"]`)?.focus();
  }

  private targetText(path: string): string {
    const leaf = this.leaves().find((topic) => topic.path === path);
    return this.drafts.get(path) ?? percentText(leaf?.target ?? 0);
  }

  private leaves(): TopicCoverage[] {
    return leavesOf(this.state.coverage?.report.tree ?? []);
  }

  private saveTargets(): void {
    const result = validateTargets(this.leaves().map((leaf) => ({ path: leaf.path, text: this.targetText(leaf.path), original: leaf.target })));
    this.fieldErrors = result.ok ? new Map() : result.fieldErrors;
    this.ui.sumError.textContent = result.ok ? '' : (result.sumError ?? (result.fieldErrors.size > 0 ? 'Fix the targets marked above.' : ''));
    if (result.ok) this.host.post({ type: 'setTargets', targets: result.targets });
    else this.revealInvalidTargets();
    this.renderTopics();
    this.ui.table.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus();
  }

  /** Expands the top topics whose leaves have an invalid target, so every error is next to its field. */
  private revealInvalidTargets(): void {
    for (const topic of this.state.coverage?.report.tree ?? []) {
      if (topic.children.some((child) => this.fieldErrors.has(child.path))) this.expanded.add(topic.path);
    }
    this.persist();
  }

  private resetTargets(): void {
    this.drafts.clear();
    this.fieldErrors = new Map();
    this.ui.sumError.textContent = '';
    this.host.post({ type: 'resetTargets' });
  }

  /** Drops drafts the new report made true (saved) or moot (the leaf is gone). */
  private forgetSettledDrafts(report: CoverageReport): void {
    const targets = new Map(leavesOf(report.tree).map((leaf) => [leaf.path, percentText(leaf.target)]));
    for (const [path, text] of this.drafts) {
      const target = targets.get(path);
      if (target === undefined || target === text.trim()) this.drafts.delete(path);
    }
  }

  private requestRecords(filter: RecordFilter): void {
    this.filter = filter;
    this.persist();
    this.ui.recordsTitle.textContent = filterTitle(filter);
    this.ui.recordsCount.textContent = 'Loading…';
    this.host.post({ type: 'showRecords', filter });
  }

  private showRecords(message: RecordsMessage): void {
    this.state.busy = undefined;
    this.render();
    this.ui.recordsTitle.textContent = filterTitle(message.filter);
    this.ui.recordsCount.textContent = recordCount(message.records.length, message.total);
    this.ui.recordsList.replaceChildren(recordList(message.records, (record) => this.openRecord(record)));
  }

  private openRecord(record: RecordPreview): void {
    this.host.post({ type: 'openRecord', file: record.file, line: record.line });
  }

  private persist(): void {
    if (this.datasetKey === undefined) return;
    this.host.saveState({ dataset: this.datasetKey, expanded: [...this.expanded], ...(this.filter ? { filter: this.filter } : {}) });
  }
}

const HOST_MESSAGE_TYPES: ReadonlySet<string> = new Set(['coverage', 'records', 'busy', 'error'] satisfies HostMessage['type'][]);

function isHostMessage(value: unknown): value is HostMessage {
  return typeof value === 'object' && value !== null && HOST_MESSAGE_TYPES.has(String((value as { type?: unknown }).type));
}

const host = hostApi<WebviewMessage, CoverageViewState>(savedCoverageState);
startPage(host, isHostMessage, (root) => new CoverageView(host, root));
