// The generation webview (step 3's "Generate Samples"): the topics to fill with editable counts, the strategy, the
// model, the total and the estimate; while a run goes, its figures per topic, the latest candidate and Stop; then
// the result. It talks to the extension only through the messages of src/shared/generateProtocol; the host
// validates them and does the work.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { isHostMessage, STRATEGY_CHOICES, type HostMessage, type StrategyName, type TargetView, type GenerateViewState, type WebviewMessage } from '../../src/shared/generateProtocol';
import { showBusy, showError } from '../shared/banners';
import { startPage } from '../shared/page';
import { formatCount } from '../dryrun/format';
import { buildLayout, type Layout } from './layout';
import { countOf, estimateText, outcomeText, resultDetails, resultSummary, runRow, runStatus, topicRow } from './views';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedGenerateState } from './savedState';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

type SetupMessage = Extract<HostMessage, { type: 'setup' }>;
type ProgressMessage = Extract<HostMessage, { type: 'progress' }>;
type FinishedMessage = Extract<HostMessage, { type: 'finished' }>;

/** Counts, strategy and model settle this long before the estimate is asked for. */
const ESTIMATE_DELAY_MS = 300;

class GenerateView {
  private readonly ui: Layout;
  private setup: SetupMessage | undefined;
  private datasetKey: string | undefined;
  private strategy: StrategyName;
  private model: string | undefined;
  private running = false;
  private starting = false;
  private estimateId = 0;
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  private lastProgress: ProgressMessage | undefined;

  constructor(private readonly host: HostApi<WebviewMessage, GenerateViewState>, root: HTMLElement) {
    const saved = host.savedState();
    this.datasetKey = saved?.dataset;
    this.strategy = saved?.strategy ?? 'few-shot';
    this.model = saved?.model;
    this.ui = buildLayout(root, {
      refresh: () => host.post({ type: 'refresh' }),
      start: () => this.start(),
      stop: () => this.stop(),
      settingsChanged: () => this.settingsChanged(),
      openCoverage: () => host.post({ type: 'openCoverage' }),
      reviewRecords: () => host.post({ type: 'reviewRecords' }),
      generateTopics: () => host.post({ type: 'generateTopics' }),
    });
    this.ui.strategy.value = this.strategy;
    this.showExplanation();
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
        return showBusy(this.ui, message.message);
      case 'error':
        this.starting = false;
        this.updateStart();
        return showError(this.ui, message.message);
    }
  }

  private show(message: SetupMessage): void {
    if (this.datasetKey !== undefined && this.datasetKey !== message.datasetDir) this.model = undefined;
    this.datasetKey = message.datasetDir;
    this.setup = message;
    const { ui } = this;
    ui.busy.hidden = true;
    ui.title.textContent = `Generate Samples — ${message.dataset}`;
    document.title = ui.title.textContent;
    if (this.model === undefined) ui.model.value = message.model;
    else ui.model.value = this.model;
    ui.topics.replaceChildren(...message.topics.map((topic) => topicRow(topic, message.counts[topic.path] ?? 0, () => this.countsChanged())));
    ui.totalGap.textContent = `+${formatCount(message.topics.reduce((sum, topic) => sum + topic.gap, 0))}`;
    const { blocker } = message;
    ui.blocker.hidden = !blocker;
    ui.blockerText.textContent = blocker?.message ?? '';
    ui.generateTopics.hidden = blocker?.kind !== 'noTopics';
    ui.setup.hidden = this.running || blocker?.kind === 'noTopics';
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
    this.updateStart();
    this.scheduleEstimate();
  }

  private settingsChanged(): void {
    this.strategy = this.ui.strategy.value as StrategyName;
    this.model = this.ui.model.value;
    this.showExplanation();
    this.updateStart();
    this.scheduleEstimate();
    this.persist();
  }

  private showExplanation(): void {
    this.ui.strategyExplanation.textContent = STRATEGY_CHOICES.find((choice) => choice.value === this.strategy)?.explanation ?? '';
  }

  private canStart(): boolean {
    const targets = this.targets();
    return !!this.setup && !this.setup.blocker && !this.running && !this.starting && !!targets && targets.length > 0 && this.ui.model.value.trim() !== '';
  }

  private updateStart(): void {
    this.ui.start.toggleAttribute('disabled', !this.canStart());
    this.ui.start.hidden = this.running;
  }

  private scheduleEstimate(): void {
    if (this.estimateTimer !== undefined) clearTimeout(this.estimateTimer);
    this.estimateId++;
    const targets = this.targets();
    const model = this.ui.model.value.trim();
    if (!this.setup || this.setup.blocker?.kind === 'noTopics') {
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
      this.host.post({ type: 'estimate', id, targets, strategy: this.strategy, model });
    }, ESTIMATE_DELAY_MS);
  }

  private start(): void {
    const targets = this.targets();
    if (!this.canStart() || !targets) return;
    this.starting = true;
    this.updateStart();
    this.host.post({ type: 'start', targets, strategy: this.strategy, model: this.ui.model.value.trim() });
  }

  private stop(): void {
    this.ui.stop.toggleAttribute('disabled', true);
    this.ui.runStatus.textContent = 'Stopping…';
    this.host.post({ type: 'stop' });
  }

  private started(model: string, topics: number): void {
    this.running = true;
    this.starting = false;
    const { ui } = this;
    ui.error.hidden = true;
    ui.notice.hidden = true;
    ui.result.hidden = true;
    ui.setup.hidden = true;
    ui.run.hidden = false;
    ui.preview.hidden = true;
    ui.stop.hidden = false;
    ui.stop.removeAttribute('disabled');
    ui.runHeading.textContent = 'Generating';
    ui.runStatus.textContent = `Asking ${model} for records in ${formatCount(topics)} ${topics === 1 ? 'topic' : 'topics'}…`;
    this.updateStart();
  }

  private progress(message: ProgressMessage): void {
    this.lastProgress = message;
    const { ui } = this;
    ui.run.hidden = false;
    ui.runTopics.replaceChildren(...message.byTopic.map((topic) => runRow(topic)));
    this.showStatus(message);
    this.showPreview(message);
  }

  private showStatus(message: ProgressMessage): void {
    const stopping = this.running && this.ui.stop.hasAttribute('disabled') ? 'Stopping… ' : '';
    this.ui.runStatus.textContent = `${stopping}${runStatus(message)}`;
  }

  private showPreview(message: ProgressMessage): void {
    const { preview } = message;
    this.ui.preview.hidden = !preview;
    if (!preview) return;
    this.ui.previewMeta.textContent = `${preview.topic} · ${outcomeText(preview)}`;
    this.ui.previewMeta.className = `preview-meta outcome-${preview.outcome}`;
    this.ui.previewMeta.dataset.outcome = preview.outcome;
    this.ui.previewPrompt.textContent = preview.prompt;
  }

  private finished(message: FinishedMessage): void {
    this.running = false;
    this.starting = false;
    const { ui } = this;
    ui.stop.hidden = true;
    ui.runHeading.textContent = 'Last run';
    ui.setup.hidden = this.setup?.blocker?.kind === 'noTopics';
    if (message.outcome === 'failed') showError(ui, message.message ?? 'Generation failed.');
    if (message.outcome === 'cancelled') {
      ui.notice.textContent = message.message ?? 'Stopped.';
      ui.notice.hidden = false;
    }
    if (this.lastProgress) this.showStatus(this.lastProgress);
    const { result } = message;
    ui.result.hidden = !result && message.outcome === 'failed';
    ui.resultSummary.textContent = result ? resultSummary(result) : (message.message ?? '');
    ui.resultSummary.dataset.stopped = result?.stopped ?? message.outcome;
    ui.resultReason.textContent = result?.reason ?? '';
    ui.resultDetails.replaceChildren(...(result ? resultDetails(result) : []));
    this.updateStart();
  }

  private persist(): void {
    if (this.datasetKey === undefined) return;
    this.host.saveState({ dataset: this.datasetKey, strategy: this.strategy, ...(this.model !== undefined ? { model: this.model } : {}) });
  }
}

const host = hostApi<WebviewMessage, GenerateViewState>(savedGenerateState);
startPage(host, isHostMessage, (root) => new GenerateView(host, root));
