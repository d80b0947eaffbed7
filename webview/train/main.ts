// The training monitor webview (step 6): the start form (backend, base model, split, settings, estimate) gated by
// the newest dry run; while a job runs, its progress, ETA, reward curves against the dry-run baseline, events,
// checkpoints and Pause / Resume / Cancel; after it, the tuned model or the failure. It talks to the extension
// only through the messages of src/shared/trainProtocol; the host validates them and does the work.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { isHostMessage, type GateView, type HostMessage, type TrainViewState, type WebviewMessage } from '../../src/shared/trainProtocol';
import { banners, errorBanner, renderBanners, type Banners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';
import { startPage } from '../shared/page';
import { score } from '../dryrun/format';
import { StartForm } from './form';
import { JobMonitor } from './monitor';
import { onThemeChange } from '../shared/charts';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedTrainState } from './savedState';
import { jobActive, trainSections, type TrainMessage, type TrainPageState, type TrainSection } from './state';
import { showSections } from '../shared/view';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

class TrainView {
  private readonly ui: Banners;
  private readonly title = el('h1', { text: 'Training' });
  private readonly gate = el('p', { className: 'gate', attrs: { id: 'gate' } });
  private readonly runDryRun: HTMLElement;
  private readonly launchErrorText = el('span', { className: 'error-text' });
  private readonly launchError: HTMLElement;
  private readonly start: HTMLElement;
  private readonly startNote = el('span', { className: 'hint', attrs: { id: 'start-note' } });
  private readonly startBar: HTMLElement;
  private readonly form: StartForm;
  private readonly monitor: JobMonitor;
  private state: TrainPageState = { formRequested: false, launching: false };
  /** The parts render() shows or hides. */
  private readonly sections: Record<TrainSection, HTMLElement>;

  constructor(
    private readonly host: HostApi<WebviewMessage, TrainViewState>,
    root: HTMLElement,
  ) {
    this.ui = banners([], () => this.update({ error: undefined }));
    this.runDryRun = toolkitButton('Run a Dry Run…', () => host.post({ type: 'runDryRun' }), 'secondary', { id: 'run-dry-run', hidden: '' });
    const launchAction = toolkitButton('Run a Dry Run…', () => host.post({ type: 'runDryRun' }), 'secondary', { id: 'launch-run-dry-run', hidden: '' });
    this.launchError = errorBanner(this.launchErrorText, launchAction, { id: 'launch-error' });
    this.start = toolkitButton('Start Training', () => this.startTraining(), 'primary', { id: 'start', disabled: '' });
    this.form = new StartForm(() => this.formChanged());
    this.startBar = el('div', { className: 'actions start-bar' }, [this.start, this.startNote]);
    this.monitor = new JobMonitor({
      control: (action, jobId) => host.post({ type: 'control', action, jobId }),
      copyModel: (model) => host.post({ type: 'copyModel', model }),
      newJob: () => this.update({ formRequested: true }),
    });
    root.replaceChildren(
      el('header', { className: 'page-header' }, [this.title, el('div', { className: 'toolbar' }, [toolkitButton('Refresh', () => host.post({ type: 'refresh' }), 'secondary', { id: 'refresh' })])]),
      this.ui.busy,
      this.ui.error,
      this.launchError,
      el('div', { className: 'gate-line' }, [this.gate, this.runDryRun]),
      this.monitor.element,
      this.form.element,
      this.startBar,
    );
    this.sections = { runDryRun: this.runDryRun, launchError: this.launchError, launchRunDryRun: launchAction, form: this.form.element, startBar: this.startBar };
    onThemeChange(() => this.monitor.applyTheme());
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'train':
        return this.show(message);
      case 'job':
        this.state = { ...this.state, busy: undefined, launching: false, ...(this.state.job?.id !== message.job.id ? { formRequested: false } : {}), job: message.job };
        return this.showJob();
      case 'launching':
        return this.update({ launching: true, launchFailed: undefined, busy: message.message });
      case 'launchFailed':
        return this.update({ launching: false, busy: undefined, launchFailed: message });
      case 'busy':
        return this.update({ busy: message.message });
      case 'error':
        return this.update({ launching: false, busy: undefined, error: message.message });
    }
  }

  private show(message: TrainMessage): void {
    const saved = this.host.savedState();
    const sameDataset = saved?.dataset === message.datasetDir;
    this.state = { ...this.state, info: message, busy: undefined, ...(message.job?.id !== this.state.job?.id ? { formRequested: false } : {}), job: message.job };
    this.title.textContent = `Training — ${message.dataset}`;
    document.title = this.title.textContent;
    this.renderGate(message.gate);
    this.form.load(
      { valid: message.records.valid, generated: message.records.generated, notices: message.notices, defaultBackend: message.defaultBackend, unavailable: message.unavailable },
      sameDataset ? saved?.form : undefined,
    );
    this.showJob();
  }

  private renderGate(gate: GateView | undefined): void {
    this.gate.className = `gate gate-${(gate?.decision ?? 'none').toLowerCase()}`;
    if (!gate) {
      this.gate.textContent = 'No dry run yet: training starts after a GO (or CAUTION) dry run in step 5.';
      return;
    }
    const stale = gate.stale ? ` ⚠ ${gate.stale}.` : '';
    const mean = `mean ${score(gate.mean)}`;
    switch (gate.decision) {
      case 'GO':
        this.gate.textContent = `Dry run: GO · ${mean} — the curves' baseline.${stale}`;
        return;
      case 'CAUTION':
        this.gate.textContent = `Dry run: CAUTION · ${mean} — Start asks you to confirm.${stale}`;
        return;
      case 'NO-GO':
        this.gate.textContent = `Dry run: NO-GO · ${mean} — fix the grader or the dataset and re-run it before training.${stale}`;
        return;
      default:
        this.gate.textContent = `The newest dry run did not finish: re-run it before training.${stale}`;
    }
  }

  /** The job's monitor (or none), then the page. */
  private showJob(): void {
    const { job, info } = this.state;
    if (job) this.monitor.show(job, info?.gate?.mean ?? null);
    else this.monitor.hide();
    this.render();
  }

  /** Changes the state and draws it. */
  private update(change: Partial<TrainPageState>): void {
    this.state = { ...this.state, ...change };
    this.render();
  }

  /** What shows, what the banners say and whether Start works, from the state (and the form's fields). */
  private render(): void {
    renderBanners(this.ui, this.state);
    showSections(this.sections, trainSections(this.state));
    this.launchErrorText.textContent = this.state.launchFailed?.message ?? '';
    this.formChanged();
  }

  private formChanged(): void {
    const request = this.form.request();
    const { info, launching } = this.state;
    const reason = !info
      ? 'Loading…'
      : !info.canStart
        ? (info.cannotStartReason ?? 'Training cannot start here.')
        : jobActive(this.state)
          ? 'A job is running: wait for it, or cancel it.'
          : !request
            ? 'Fix the fields marked above.'
            : '';
    this.start.toggleAttribute('disabled', reason !== '' || launching);
    this.startNote.textContent = launching ? 'Launching…' : reason;
    if (info && request) this.host.saveState({ dataset: info.datasetDir, form: request });
  }

  private startTraining(): void {
    const request = this.form.request();
    if (!request || !this.state.info?.canStart || this.state.launching) return;
    this.update({ launchFailed: undefined, error: undefined });
    this.host.post({ type: 'start', request });
  }
}

const host = hostApi<WebviewMessage, TrainViewState>(savedTrainState);
startPage(host, isHostMessage, (root) => new TrainView(host, root));
