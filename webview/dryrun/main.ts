// The dry-run results webview (step 5): the decision with its reasons, the score histogram, statistics, per-topic
// means, the diagnosis and its actions, the comparison with the previous run and the samples; while a run goes,
// its progress per topic, the live histogram and Stop. It talks to the extension only through the messages of
// src/shared/dryRunProtocol; the host validates them and does the work.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { isHostMessage, trainingAllowed, type DryRunAction, type HostMessage, type RunView, type SampleFilter, type SampleView, type DryRunViewState, type WebviewMessage } from '../../src/shared/dryRunProtocol';
import { showBusy, showError } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';
import { startPage } from '../shared/page';
import { badgeText, decisionClass, formatCount, score, when } from './format';
import { Histogram } from './histogram';
import { buildLayout, type Layout } from './layout';
import { ACTION_LABELS, compareView, diagnosisList, filterSamples, metaLine, progressTable, sampleItem, SAMPLES_SHOWN, statsList, topicsTable } from './views';
import { onThemeChange } from '../shared/charts';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedDryRunState } from './savedState';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing());

type DryRunMessage = Extract<HostMessage, { type: 'dryRun' }>;
type ProgressMessage = Extract<HostMessage, { type: 'progress' }>;

const STATUS_NOTE: Record<RunView['status'], string> = { complete: '', running: ' · unfinished', cancelled: ' · stopped early', failed: ' · failed' };

class DryRunView {
  private readonly ui: Layout;
  private readonly histogram: Histogram;
  private info: DryRunMessage | undefined;
  private datasetKey: string | undefined;
  private filter: SampleFilter;
  private topic: string | undefined;
  private running = false;

  constructor(private readonly host: HostApi<WebviewMessage, DryRunViewState>, root: HTMLElement) {
    const saved = host.savedState();
    this.datasetKey = saved?.dataset;
    this.filter = saved?.filter ?? 'lowest';
    this.topic = saved?.topic;
    this.ui = buildLayout(root, {
      refresh: () => host.post({ type: 'refresh' }),
      rerun: () => host.post({ type: 'rerun' }),
      stop: () => host.post({ type: 'cancel' }),
      filterChanged: () => this.filterChanged(),
    });
    this.histogram = new Histogram(this.ui.canvas);
    onThemeChange(() => this.histogram.applyTheme());
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
        return showBusy(this.ui, message.message);
      case 'error':
        return showError(this.ui, message.message);
    }
  }

  private show(message: DryRunMessage): void {
    if (this.datasetKey !== undefined && this.datasetKey !== message.datasetDir) {
      this.filter = 'lowest';
      this.topic = undefined;
    }
    this.datasetKey = message.datasetDir;
    this.info = message;
    this.ui.busy.hidden = true;
    this.ui.error.hidden = true;
    this.ui.title.textContent = `Dry Run — ${message.dataset}`;
    document.title = `Dry Run — ${message.dataset}`;
    this.setRunButton(message);
    const { run } = message;
    if (!this.running) {
      this.ui.progress.hidden = true;
      this.ui.result.hidden = !run;
      this.ui.details.hidden = !run;
      this.ui.histogram.hidden = !run;
    }
    this.ui.empty.hidden = run !== undefined || this.running;
    this.ui.empty.textContent = message.canRun
      ? 'No dry run yet. Run Dry Run… answers a sample of prompts with the base model, scores the answers with the grader and decides GO, CAUTION or NO-GO.'
      : `No dry run yet. ${message.cannotRunReason ?? ''}`.trim();
    if (run) this.renderRun(run, message);
    this.persist();
  }

  private setRunButton(message: DryRunMessage): void {
    const disabled = this.running || !message.canRun;
    this.ui.rerun.toggleAttribute('disabled', disabled);
    this.ui.rerun.textContent = message.run ? 'Re-run…' : 'Run Dry Run…';
    if (!message.canRun && message.cannotRunReason) this.ui.rerun.setAttribute('title', message.cannotRunReason);
    else this.ui.rerun.removeAttribute('title');
  }

  private renderRun(run: RunView, message: DryRunMessage): void {
    const { ui } = this;
    ui.badge.textContent = run.decision ? badgeText(run.decision) : 'UNFINISHED';
    ui.badge.className = `decision ${run.decision ? decisionClass(run.decision) : 'decision-none'}`;
    ui.badge.dataset.decision = run.decision ?? '';
    ui.meta.textContent = `${metaLine(run)} · ${when(run.startedAt)}${STATUS_NOTE[run.status]}`;
    ui.stale.hidden = !run.stale;
    ui.stale.textContent = run.stale ? `⚠ ${run.stale}: re-run to see where the dataset stands now.` : '';
    ui.reasons.replaceChildren(...run.reasons.map((reason) => el('li', { className: `reason level-${(reason.level ?? 'none').toLowerCase()}` }, [el('span', { text: reason.text })])));
    if (run.failure) ui.reasons.append(el('li', { className: 'reason level-no-go', text: `Failed: ${run.failure}` }));
    if (!this.running) this.histogram.show(run.stats.histogram);
    ui.histogramHint.textContent = `Samples per score bin, from 0 to 1 (${formatCount(run.stats.scored)} scored).`;
    ui.stats.replaceChildren(...statsList(run.stats));
    ui.topics.replaceChildren(topicsTable(run.byTopic));
    const trainingEnabled = trainingAllowed(run.decision);
    ui.diagnosis.replaceChildren(...diagnosisList(run.diagnosis, (action) => this.act(action), trainingEnabled));
    ui.actions.replaceChildren(...this.actionButtons(trainingEnabled, message));
    ui.compare.hidden = !message.previous;
    ui.compare.replaceChildren(...(message.previous ? compareView(run, message.previous) : []));
    this.renderTopicOptions(run);
    this.renderSamples();
  }

  private actionButtons(trainingEnabled: boolean, message: DryRunMessage): HTMLElement[] {
    const button = (action: DryRunAction, appearance: 'primary' | 'secondary' = 'secondary') =>
      toolkitButton(ACTION_LABELS[action], () => this.act(action), appearance, { id: `action-${action}`, 'data-action': action });
    const rerun = button('rerun');
    if (!message.canRun || this.running) rerun.setAttribute('disabled', '');
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

  private renderTopicOptions(run: RunView): void {
    const topics = [...new Set(run.samples.map((sample) => sample.topic))].sort();
    if (this.topic === undefined || !topics.includes(this.topic)) this.topic = topics[0];
    this.ui.topicFilter.replaceChildren(...topics.map((topic) => el('option', { text: topic, attrs: { value: topic } })));
    if (this.topic !== undefined) this.ui.topicFilter.value = this.topic;
    this.ui.filter.value = this.filter;
    this.ui.topicFilter.hidden = this.filter !== 'topic';
  }

  private filterChanged(): void {
    this.filter = this.ui.filter.value as SampleFilter;
    this.topic = this.ui.topicFilter.value || this.topic;
    this.ui.topicFilter.hidden = this.filter !== 'topic';
    this.renderSamples();
    this.persist();
  }

  private renderSamples(): void {
    const run = this.info?.run;
    if (!run) return;
    const shown = filterSamples(run.samples, this.filter, this.topic);
    const first = shown.slice(0, SAMPLES_SHOWN);
    const errors = run.samples.filter((sample) => sample.error !== undefined).length;
    this.ui.samplesCount.textContent = shown.length === 0
      ? (this.filter === 'errors' ? 'No sample has an error.' : 'No samples.')
      : `Showing ${formatCount(first.length)} of ${formatCount(shown.length)} · ${formatCount(errors)} with errors`;
    this.ui.samples.replaceChildren(...first.map((sample) => sampleItem(sample, (s) => this.openRecord(s))));
  }

  private openRecord(sample: SampleView): void {
    this.host.post({ type: 'openRecord', file: sample.file, line: sample.line });
  }

  private started(model: string, total: number, byTopic: ProgressMessage['byTopic'], estimate?: string): void {
    this.running = true;
    const { ui } = this;
    ui.error.hidden = true;
    ui.notice.hidden = true;
    ui.busy.hidden = true;
    ui.empty.hidden = true;
    ui.result.hidden = true;
    ui.details.hidden = true;
    ui.progress.hidden = false;
    ui.histogram.hidden = false;
    ui.stop.hidden = false;
    ui.rerun.setAttribute('disabled', '');
    ui.progressText.textContent = `Asking ${model} for ${formatCount(total)} answers and scoring them…`;
    ui.estimate.textContent = estimate ?? '';
    ui.progressTopics.replaceChildren(progressTable(byTopic));
    ui.histogramHint.textContent = 'Live: the scores so far.';
    this.histogram.show(new Array(10).fill(0));
  }

  private progress(message: ProgressMessage): void {
    if (!this.running) this.started('the base model', message.total, message.byTopic);
    const mean = message.mean === undefined ? '' : ` · mean so far ${score(message.mean)}`;
    const errors = message.errors > 0 ? ` · ${formatCount(message.errors)} errors` : '';
    this.ui.progressText.textContent = `${formatCount(message.done)} / ${formatCount(message.total)} samples scored${mean}${errors}`;
    this.ui.progressTopics.replaceChildren(progressTable(message.byTopic));
    this.histogram.show(message.histogram);
  }

  private finished(outcome: 'done' | 'cancelled' | 'failed', text: string | undefined): void {
    this.running = false;
    const { ui } = this;
    ui.stop.hidden = true;
    ui.progress.hidden = true;
    if (this.info) this.setRunButton(this.info);
    else ui.rerun.removeAttribute('disabled');
    if (outcome === 'failed') showError(ui, text ?? 'The dry run failed.');
    else if (outcome === 'cancelled') {
      ui.notice.textContent = text ?? 'Stopped: the samples answered so far are kept.';
      ui.notice.hidden = false;
    }
    const run = this.info?.run;
    ui.result.hidden = !run;
    ui.details.hidden = !run;
    ui.histogram.hidden = !run;
    ui.empty.hidden = run !== undefined;
    if (run) this.histogram.show(run.stats.histogram);
  }

  private persist(): void {
    if (this.datasetKey === undefined) return;
    this.host.saveState({ dataset: this.datasetKey, filter: this.filter, ...(this.topic !== undefined ? { topic: this.topic } : {}) });
  }
}

const host = hostApi<WebviewMessage, DryRunViewState>(savedDryRunState);
startPage(host, isHostMessage, (root) => new DryRunView(host, root));
