// The generation webview (step 3's "Generate Samples"): the topics to fill with editable counts, the strategy, the
// model, the total and the estimate; while a run goes, its figures per topic, the latest candidate and Stop; then
// the result. It talks to the extension only through the messages of src/shared/generateProtocol; the host
// validates them and does the work.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { isHostMessage, STRATEGY_CHOICES, type HostMessage, type StrategyName, type TargetView, type GenerateViewState, type WebviewMessage } from '../../src/shared/generateProtocol';
import { renderBanners } from '../shared/banners';
import { startPage } from '../shared/page';
import { formatCount } from '../dryrun/format';
import { buildLayout, type Layout } from './layout';
import { countOf, estimateText, outcomeText, resultDetails, resultSummary, runRow, runStatus, topicRow } from './views';
import { showSections } from '../shared/view';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedGenerateState } from './savedState';
import { generateSections, type FinishedMessage, type GeneratePageState, type ProgressMessage, type SetupMessage } from './state';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

/** Counts, strategy and model settle this long before the estimate is asked for. */
const ESTIMATE_DELAY_MS = 300;

class GenerateView {
  private readonly ui: Layout;
  private state: GeneratePageState;
  private estimateId = 0;
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  private lastProgress: ProgressMessage | undefined;

  constructor(
    private readonly host: HostApi<WebviewMessage, GenerateViewState>,
    root: HTMLElement,
  ) {
    const saved = host.savedState();
    this.state = { dataset: saved?.dataset, strategy: saved?.strategy ?? 'few-shot', model: saved?.model, running: false, starting: false, stopping: false, runShown: false };
    this.ui = buildLayout(root, {
      refresh: () => host.post({ type: 'refresh' }),
      start: () => this.start(),
      stop: () => this.stop(),
      settingsChanged: () => this.settingsChanged(),
      openCoverage: () => host.post({ type: 'openCoverage' }),
      reviewRecords: () => host.post({ type: 'reviewRecords' }),
      generateTopics: () => host.post({ type: 'generateTopics' }),
      dismissError: () => this.update({ error: undefined }),
    });
    this.ui.strategy.value = this.state.strategy;
    this.showExplanation();
    this.render();
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'setup':
        return this.show(message);
      case 'estimate':
        if (message.id !== this.estimateId) return; // an answer to an older question
        this.ui.estimate.textContent = message.estimate ? estimateText(message.estimate) : `No estimate: ${message.message ?? 'unknown error'}`;
        return;
      case 'started':
        return this.started(message.model, message.targets.length);
      case 'progress':
        return this.progress(message);
      case 'finished':
        return this.finished(message);
      case 'busy':
        return this.update({ busy: message.message });
      case 'error':
        return this.update({ starting: false, busy: undefined, error: message.message });
    }
  }

  /** Changes the state and draws it. */
  private update(change: Partial<GeneratePageState>): void {
    this.state = { ...this.state, ...change };
    this.render();
  }

  /** What shows, what the banners say and which buttons work, from the state (and the counts typed in the table). */
  private render(): void {
    const { ui, state } = this;
    renderBanners(ui, state);
    showSections(ui, generateSections(state));
    ui.notice.textContent = state.notice ?? '';
    ui.blockerText.textContent = state.setup?.blocker?.message ?? '';
    ui.start.toggleAttribute('disabled', !this.canStart());
    ui.stop.toggleAttribute('disabled', state.stopping);
  }

  private show(message: SetupMessage): void {
    const otherDataset = this.state.dataset !== undefined && this.state.dataset !== message.datasetDir;
    this.state = { ...this.state, dataset: message.datasetDir, setup: message, busy: undefined, ...(otherDataset ? { model: undefined } : {}) };
    const { ui } = this;
    ui.title.textContent = `Generate Samples — ${message.dataset}`;
    document.title = ui.title.textContent;
    ui.model.value = this.state.model ?? message.model;
    ui.topics.replaceChildren(...message.topics.map((topic) => topicRow(topic, message.counts[topic.path] ?? 0, () => this.countsChanged())));
    ui.totalGap.textContent = `+${formatCount(message.topics.reduce((sum, topic) => sum + topic.gap, 0))}`;
    this.countsChanged();
    this.persist();
  }

  private targets(): TargetView[] | undefined {
    const targets: TargetView[] = [];
    for (const input of this.ui.topics.querySelectorAll<HTMLInputElement>('input.count')) {
      const count = countOf(input);
      input.classList.toggle('invalid', count === undefined);
      if (count === undefined) return undefined;
      if (count > 0) targets.push({ topic: input.dataset.topic ?? '', count });
    }
    return targets;
  }

  private countsChanged(): void {
    const targets = this.targets();
    this.ui.total.textContent = targets ? formatCount(targets.reduce((sum, target) => sum + target.count, 0)) : '—';
    this.render();
    this.scheduleEstimate();
  }

  private settingsChanged(): void {
    this.state = { ...this.state, strategy: this.ui.strategy.value as StrategyName, model: this.ui.model.value };
    this.showExplanation();
    this.render();
    this.scheduleEstimate();
    this.persist();
  }

  private showExplanation(): void {
    this.ui.strategyExplanation.textContent = STRATEGY_CHOICES.find((choice) => choice.value === this.state.strategy)?.explanation ?? '';
  }

  private canStart(): boolean {
    const { setup, running, starting } = this.state;
    const targets = this.targets();
    return !!setup && !setup.blocker && !running && !starting && !!targets && targets.length > 0 && this.ui.model.value.trim() !== '';
  }

  private scheduleEstimate(): void {
    if (this.estimateTimer !== undefined) clearTimeout(this.estimateTimer);
    this.estimateId++;
    const targets = this.targets();
    const model = this.ui.model.value.trim();
    const { setup, strategy } = this.state;
    if (!setup || setup.blocker?.kind === 'noTopics') {
      this.ui.estimate.textContent = '';
      return;
    }
    if (!targets) {
      this.ui.estimate.textContent = 'Each count must be a whole number from 0.';
      return;
    }
    if (targets.length === 0 || model === '') {
      this.ui.estimate.textContent = targets.length === 0 ? 'Nothing to generate: every count is 0.' : 'Name the model that writes the records.';
      return;
    }
    const id = this.estimateId;
    this.ui.estimate.textContent = 'Estimating…';
    this.estimateTimer = setTimeout(() => {
      this.estimateTimer = undefined;
      this.host.post({ type: 'estimate', id, targets, strategy, model });
    }, ESTIMATE_DELAY_MS);
  }

  private start(): void {
    const targets = this.targets();
    if (!this.canStart() || !targets) return;
    this.update({ starting: true });
    this.host.post({ type: 'start', targets, strategy: this.state.strategy, model: this.ui.model.value.trim() });
  }

  private stop(): void {
    this.update({ stopping: true });
    this.ui.runStatus.textContent = 'Stopping…';
    this.host.post({ type: 'stop' });
  }

  private started(model: string, topics: number): void {
    const { ui } = this;
    ui.runHeading.textContent = 'Generating';
    ui.runStatus.textContent = `Asking ${model} for records in ${formatCount(topics)} ${topics === 1 ? 'topic' : 'topics'}…`;
    this.update({ running: true, starting: false, stopping: false, runShown: true, preview: undefined, error: undefined, notice: undefined, finished: undefined });
  }

  private progress(message: ProgressMessage): void {
    this.lastProgress = message;
    this.ui.runTopics.replaceChildren(...message.byTopic.map((topic) => runRow(topic)));
    this.state = { ...this.state, runShown: true, preview: message.preview };
    this.showStatus(message);
    this.showPreview(message);
    this.render();
  }

  private showStatus(message: ProgressMessage): void {
    const stopping = this.state.running && this.state.stopping ? 'Stopping… ' : '';
    this.ui.runStatus.textContent = `${stopping}${runStatus(message)}`;
  }

  private showPreview(message: ProgressMessage): void {
    const { preview } = message;
    if (!preview) return;
    this.ui.previewMeta.textContent = `${preview.topic} · ${outcomeText(preview)}`;
    this.ui.previewMeta.className = `preview-meta outcome-${preview.outcome}`;
    this.ui.previewMeta.dataset.outcome = preview.outcome;
    this.ui.previewPrompt.textContent = preview.prompt;
  }

  private finished(message: FinishedMessage): void {
    const { ui } = this;
    const failed = message.outcome === 'failed';
    this.state = {
      ...this.state,
      running: false,
      starting: false,
      finished: message,
      ...(failed ? { busy: undefined, error: message.message ?? 'Generation failed.' } : {}),
      ...(message.outcome === 'cancelled' ? { notice: message.message ?? 'Stopped.' } : {}),
    };
    ui.runHeading.textContent = 'Last run';
    if (this.lastProgress) this.showStatus(this.lastProgress);
    const { result } = message;
    ui.resultSummary.textContent = result ? resultSummary(result) : (message.message ?? '');
    ui.resultSummary.dataset.stopped = result?.stopped ?? message.outcome;
    ui.resultReason.textContent = result?.reason ?? '';
    ui.resultDetails.replaceChildren(...(result ? resultDetails(result) : []));
    this.render();
  }

  private persist(): void {
    const { dataset, strategy, model } = this.state;
    if (dataset === undefined) return;
    this.host.saveState({ dataset, strategy, ...(model !== undefined ? { model } : {}) });
  }
}

const host = hostApi<WebviewMessage, GenerateViewState>(savedGenerateState);
startPage(host, isHostMessage, (root) => new GenerateView(host, root));
