// The training monitor webview (step 6): the start form (backend, base model, split, settings, estimate) gated by
// the newest dry run; while a job runs, its progress, ETA, reward curves against the dry-run baseline, events,
// checkpoints and Pause / Resume / Cancel; after it, the tuned model or the failure. It talks to the extension
// only through the messages of src/shared/trainProtocol; the host validates them and does the work.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { isFinished, isHostMessage, type GateView, type HostMessage, type JobView, type TrainViewState, type WebviewMessage } from '../../src/shared/trainProtocol';
import { banners, errorBanner, showBusy, showError, type Banners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';
import { startPage } from '../shared/page';
import { score } from '../dryrun/format';
import { StartForm } from './form';
import { JobMonitor } from './monitor';
import { onThemeChange } from '../shared/charts';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedTrainState } from './savedState';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

type TrainMessage = Extract<HostMessage, { type: 'train' }>;

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
  private info: TrainMessage | undefined;
  private job: JobView | undefined;
  /** The form is shown again over a finished job after New Training Job…. */
  private formRequested = false;
  private launching = false;

  constructor(private readonly host: HostApi<WebviewMessage, TrainViewState>, root: HTMLElement) {
    this.ui = banners();
    this.runDryRun = toolkitButton('Run a Dry Run…', () => host.post({ type: 'runDryRun' }), 'secondary', { id: 'run-dry-run', hidden: '' });
    const launchAction = toolkitButton('Run a Dry Run…', () => host.post({ type: 'runDryRun' }), 'secondary', { id: 'launch-run-dry-run', hidden: '' });
    this.launchError = errorBanner(this.launchErrorText, launchAction, { id: 'launch-error' });
    this.start = toolkitButton('Start Training', () => this.startTraining(), 'primary', { id: 'start', disabled: '' });
    this.form = new StartForm(() => this.formChanged());
    this.startBar = el('div', { className: 'actions start-bar' }, [this.start, this.startNote]);
    this.monitor = new JobMonitor({
      control: (action, jobId) => host.post({ type: 'control', action, jobId }),
      copyModel: (model) => host.post({ type: 'copyModel', model }),
      newJob: () => {
        this.formRequested = true;
        this.render();
      },
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
    onThemeChange(() => this.monitor.applyTheme());
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'train':
        return this.show(message);
      case 'job':
        this.ui.busy.hidden = true;
        this.launching = false;
        if (this.job?.id !== message.job.id) this.formRequested = false;
        this.job = message.job;
        return this.render();
      case 'launching':
        this.launching = true;
        this.launchError.hidden = true;
        showBusy(this.ui, message.message);
        return this.formChanged();
      case 'launchFailed':
        this.launching = false;
        this.ui.busy.hidden = true;
        this.launchErrorText.textContent = message.message;
        (this.launchError.querySelector('#launch-run-dry-run') as HTMLElement).hidden = message.action !== 'runDryRun';
        this.launchError.hidden = false;
        return this.formChanged();
      case 'busy':
        return showBusy(this.ui, message.message);
      case 'error':
        this.launching = false;
        showError(this.ui, message.message);
        return this.formChanged();
    }
  }

  private show(message: TrainMessage): void {
    const saved = this.host.savedState();
    const sameDataset = saved?.dataset === message.datasetDir;
    this.info = message;
    this.ui.busy.hidden = true;
    this.title.textContent = `Training — ${message.dataset}`;
    document.title = this.title.textContent;
    if (message.job?.id !== this.job?.id) this.formRequested = false;
    this.job = message.job;
    this.renderGate(message.gate);
    this.form.load({ valid: message.records.valid, generated: message.records.generated, notices: message.notices, defaultBackend: message.defaultBackend, unavailable: message.unavailable }, sameDataset ? saved?.form : undefined);
    this.render();
  }

  private renderGate(gate: GateView | undefined): void {
    this.runDryRun.hidden = gate !== undefined && gate.decision !== 'NO-GO' && gate.decision !== null;
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

  private render(): void {
    const active = this.job !== undefined && !isFinished(this.job.status);
    if (this.job) this.monitor.show(this.job, this.info?.gate?.mean ?? null);
    else this.monitor.hide();
    const formShown = !active && (this.job === undefined || this.formRequested);
    this.form.element.hidden = !formShown;
    this.startBar.hidden = !formShown;
    this.formChanged();
  }

  private formChanged(): void {
    const request = this.form.request();
    const active = this.job !== undefined && !isFinished(this.job.status);
    const info = this.info;
    const reason = !info ? 'Loading…' : !info.canStart ? (info.cannotStartReason ?? 'Training cannot start here.') : active ? 'A job is running: wait for it, or cancel it.' : !request ? 'Fix the fields marked above.' : '';
    this.start.toggleAttribute('disabled', reason !== '' || this.launching);
    this.startNote.textContent = this.launching ? 'Launching…' : reason;
    if (info && request) this.host.saveState({ dataset: info.datasetDir, form: request });
  }

  private startTraining(): void {
    const request = this.form.request();
    if (!request || !this.info?.canStart || this.launching) return;
    this.launchError.hidden = true;
    this.ui.error.hidden = true;
    this.host.post({ type: 'start', request });
  }
}

const host = hostApi<WebviewMessage, TrainViewState>(savedTrainState);
startPage(host, isHostMessage, (root) => new TrainView(host, root));
