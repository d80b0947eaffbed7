// The dry-run results webview (step 5): the decision with its reasons, the score histogram, statistics, per-topic
// means, the diagnosis and its actions, the comparison with the previous run and the samples; while a run goes,
// its progress per topic, the live histogram and Stop. It talks to the extension only through the messages of
// src/shared/dryRunProtocol; the host validates them and does the work.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import {
  isHostMessage,
  trainingAllowed,
  type DryRunAction,
  type HostMessage,
  type RunView,
  type SampleFilter,
  type SampleView,
  type DryRunViewState,
  type WebviewMessage,
} from '../../src/shared/dryRunProtocol';
import { renderBanners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';
import { startPage } from '../shared/page';
import { badgeText, decisionClass, formatCount, score, when } from './format';
import { Histogram } from './histogram';
import { buildLayout, type Layout } from './layout';
import { ACTION_LABELS, compareView, diagnosisList, filterSamples, metaLine, progressTable, sampleItem, SAMPLES_SHOWN, statsList, topicsTable } from './views';
import { onThemeChange } from '../shared/charts';
import { showSections } from '../shared/view';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedDryRunState } from './savedState';
import { dryRunSections, emptyText, type DryRunMessage, type DryRunPageState } from './state';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing());

type ProgressMessage = Extract<HostMessage, { type: 'progress' }>;

const STATUS_NOTE: Record<RunView['status'], string> = { complete: '', running: ' · unfinished', cancelled: ' · stopped early', failed: ' · failed' };

class DryRunView {
  private readonly ui: Layout;
  private readonly histogram: Histogram;
  private state: DryRunPageState;

  constructor(
    private readonly host: HostApi<WebviewMessage, DryRunViewState>,
    root: HTMLElement,
  ) {
    const saved = host.savedState();
    this.state = { dataset: saved?.dataset, running: false, filter: saved?.filter ?? 'lowest', topic: saved?.topic };
    this.ui = buildLayout(root, {
      refresh: () => host.post({ type: 'refresh' }),
      rerun: () => host.post({ type: 'rerun' }),
      stop: () => host.post({ type: 'cancel' }),
      filterChanged: () => this.filterChanged(),
      dismissError: () => this.update({ error: undefined }),
    });
    this.histogram = new Histogram(this.ui.canvas);
    onThemeChange(() => this.histogram.applyTheme());
    this.render();
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'dryRun':
        return this.show(message);
      case 'started':
        return this.started(message.model, message.total, message.byTopic, message.estimate);
      case 'progress':
        return this.progress(message);
      case 'finished':
        return this.finished(message.outcome, message.message);
      case 'busy':
        return this.update({ busy: message.message });
      case 'error':
        return this.update({ busy: undefined, error: message.message });
    }
  }

  /** Changes the state and draws it. */
  private update(change: Partial<DryRunPageState>): void {
    this.state = { ...this.state, ...change };
    this.render();
  }

  /** What shows and what the fixed parts say, from the state alone (the run's tables are drawn when it arrives). */
  private render(): void {
    const { ui, state } = this;
    renderBanners(ui, state);
    showSections(ui, dryRunSections(state));
    ui.notice.textContent = state.notice ?? '';
    ui.empty.textContent = emptyText(state.info);
    const { info } = state;
    ui.rerun.toggleAttribute('disabled', state.running || (info !== undefined && !info.canRun));
    if (!info) return;
    ui.rerun.textContent = info.run ? 'Re-run…' : 'Run Dry Run…';
    if (!info.canRun && info.cannotRunReason) ui.rerun.setAttribute('title', info.cannotRunReason);
    else ui.rerun.removeAttribute('title');
  }

  private show(message: DryRunMessage): void {
    const otherDataset = this.state.dataset !== undefined && this.state.dataset !== message.datasetDir;
    this.state = {
      ...this.state,
      dataset: message.datasetDir,
      info: message,
      busy: undefined,
      error: undefined,
      ...(otherDataset ? { filter: 'lowest', topic: undefined } : {}),
    };
    this.ui.title.textContent = `Dry Run — ${message.dataset}`;
    document.title = `Dry Run — ${message.dataset}`;
    if (message.run) this.renderRun(message.run, message);
    this.render();
    this.persist();
  }

  private renderRun(run: RunView, message: DryRunMessage): void {
    const { ui } = this;
    ui.badge.textContent = run.decision ? badgeText(run.decision) : 'UNFINISHED';
    ui.badge.className = `decision ${run.decision ? decisionClass(run.decision) : 'decision-none'}`;
    ui.badge.dataset.decision = run.decision ?? '';
    ui.meta.textContent = `${metaLine(run)} · ${when(run.startedAt)}${STATUS_NOTE[run.status]}`;
    ui.stale.textContent = run.stale ? `⚠ ${run.stale}: re-run to see where the dataset stands now.` : '';
    ui.reasons.replaceChildren(...run.reasons.map((reason) => el('li', { className: `reason level-${(reason.level ?? 'none').toLowerCase()}` }, [el('span', { text: reason.text })])));
    if (run.failure) ui.reasons.append(el('li', { className: 'reason level-no-go', text: `Failed: ${run.failure}` }));
    if (!this.state.running) this.histogram.show(run.stats.histogram);
    ui.histogramHint.textContent = `Samples per score bin, from 0 to 1 (${formatCount(run.stats.scored)} scored).`;
    ui.stats.replaceChildren(...statsList(run.stats));
    ui.topics.replaceChildren(topicsTable(run.byTopic));
    const trainingEnabled = trainingAllowed(run.decision);
    ui.diagnosis.replaceChildren(...diagnosisList(run.diagnosis, (action) => this.act(action), trainingEnabled));
    ui.actions.replaceChildren(...this.actionButtons(trainingEnabled, message));
    ui.compare.replaceChildren(...(message.previous ? compareView(run, message.previous) : []));
    this.renderTopicOptions(run);
    this.renderSamples();
  }

  private actionButtons(trainingEnabled: boolean, message: DryRunMessage): HTMLElement[] {
    const button = (action: DryRunAction, appearance: 'primary' | 'secondary' = 'secondary') =>
      toolkitButton(ACTION_LABELS[action], () => this.act(action), appearance, { id: `action-${action}`, 'data-action': action });
    const rerun = button('rerun');
    if (!message.canRun || this.state.running) rerun.setAttribute('disabled', '');
    const train = button('startTraining', trainingEnabled ? 'primary' : 'secondary');
    if (!trainingEnabled) {
      train.setAttribute('disabled', '');
      train.setAttribute('title', 'Training starts on GO or CAUTION.');
    }
    return [button('adjustGrader'), rerun, button('reviewDataset'), train];
  }

  private act(action: DryRunAction): void {
    this.host.post({ type: action });
  }

  /** The topic choices of the run's samples; a saved topic the run no longer has falls back to the first. */
  private renderTopicOptions(run: RunView): void {
    const topics = [...new Set(run.samples.map((sample) => sample.topic))].sort();
    const { topic } = this.state;
    if (topic === undefined || !topics.includes(topic)) this.state = { ...this.state, topic: topics[0] };
    this.ui.topicFilter.replaceChildren(...topics.map((name) => el('option', { text: name, attrs: { value: name } })));
    if (this.state.topic !== undefined) this.ui.topicFilter.value = this.state.topic;
    this.ui.filter.value = this.state.filter;
  }

  private filterChanged(): void {
    this.state = { ...this.state, filter: this.ui.filter.value as SampleFilter, topic: this.ui.topicFilter.value || this.state.topic };
    this.renderSamples();
    this.render();
    this.persist();
  }

  private renderSamples(): void {
    const run = this.state.info?.run;
    if (!run) return;
    const { filter, topic } = this.state;
    const shown = filterSamples(run.samples, filter, topic);
    const first = shown.slice(0, SAMPLES_SHOWN);
    const errors = run.samples.filter((sample) => sample.error !== undefined).length;
    this.ui.samplesCount.textContent =
      shown.length === 0
        ? filter === 'errors'
          ? 'No sample has an error.'
          : 'No samples.'
        : `Showing ${formatCount(first.length)} of ${formatCount(shown.length)} · ${formatCount(errors)} with errors`;
    this.ui.samples.replaceChildren(...first.map((sample) => sampleItem(sample, (s) => this.openRecord(s))));
  }

  private openRecord(sample: SampleView): void {
    this.host.post({ type: 'openRecord', file: sample.file, line: sample.line });
  }

  private started(model: string, total: number, byTopic: ProgressMessage['byTopic'], estimate?: string): void {
    const { ui } = this;
    ui.progressText.textContent = `Asking ${model} for ${formatCount(total)} answers and scoring them…`;
    ui.estimate.textContent = estimate ?? '';
    ui.progressTopics.replaceChildren(progressTable(byTopic));
    ui.histogramHint.textContent = 'Live: the scores so far.';
    this.histogram.show(new Array(10).fill(0));
    this.update({ running: true, busy: undefined, error: undefined, notice: undefined });
  }

  private progress(message: ProgressMessage): void {
    if (!this.state.running) this.started('the base model', message.total, message.byTopic);
    const mean = message.mean === undefined ? '' : ` · mean so far ${score(message.mean)}`;
    const errors = message.errors > 0 ? ` · ${formatCount(message.errors)} errors` : '';
    this.ui.progressText.textContent = `${formatCount(message.done)} / ${formatCount(message.total)} samples scored${mean}${errors}`;
    this.ui.progressTopics.replaceChildren(progressTable(message.byTopic));
    this.histogram.show(message.histogram);
  }

  private finished(outcome: 'done' | 'cancelled' | 'failed', text: string | undefined): void {
    const run = this.state.info?.run;
    if (run) this.histogram.show(run.stats.histogram);
    if (outcome === 'failed') this.update({ running: false, busy: undefined, error: text ?? 'The dry run failed.' });
    else if (outcome === 'cancelled') this.update({ running: false, notice: text ?? 'Stopped: the samples answered so far are kept.' });
    else this.update({ running: false });
  }

  private persist(): void {
    const { dataset, filter, topic } = this.state;
    if (dataset === undefined) return;
    this.host.saveState({ dataset, filter, ...(topic !== undefined ? { topic } : {}) });
  }
}

const host = hostApi<WebviewMessage, DryRunViewState>(savedDryRunState);
startPage(host, isHostMessage, (root) => new DryRunView(host, root));
