// The dry-run results panel of one dataset: a webview panel speaking the dry-run protocol. It shows the newest run
// (and compares it with the one before), and runs a dry run with live progress and Stop. The work is the core's
// (src/core/dryrun); the host (dryRunHost.ts) wires it up.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { formatEstimate } from '../../core/dryrun';
import type { DryRunProgress } from '../../core/dryrun/dryRunTypes';
import { type HostMessage, type TopicProgressView, type WebviewMessage } from '../../shared/dryRunProtocol';
import { webviewMessages } from '../../shared/dryRunSchema';
import { wasStopped } from '../webview/panelCore';
import type { Throttle } from '../webview/throttle';
import { DatasetPanel, DatasetPanels, type WebviewPageSpec } from '../webview/webviewPanel';

type DryRunMessage = Omit<Extract<HostMessage, { type: 'dryRun' }>, 'type'>;

/** What a run is asked for (RFT: Run Dry Run… asks the user). */
export interface DryRunRequest {
  readonly n: number;
  readonly samplesPerPrompt: number;
  readonly model: string;
}

/** What the dry-run panel asks of the rest of the extension. */
export interface DryRunHost {
  load(datasetDir: string): Promise<DryRunMessage>;
  /** Asks for N, K and the model, shows the estimate and asks to confirm; undefined when the user backed out (or cannot run). */
  ask(datasetDir: string): Promise<DryRunRequest | undefined>;
  /** Runs it; progress events as the core sends them. Resolves when the run file is final (complete, stopped or failed). */
  run(datasetDir: string, request: DryRunRequest, signal: AbortSignal, onProgress: (event: DryRunProgress) => void): Promise<void>;
  adjustGrader(datasetDir: string): Promise<void>;
  reviewDataset(datasetDir: string): Promise<void>;
  startTraining(datasetDir: string): Promise<void>;
  openRecord(file: string, line: number): Promise<void>;
}

const PAGE: WebviewPageSpec<WebviewMessage> = { viewType: 'rftStudio.dryrun', page: 'dryrun', title: 'Dry Run', protocol: webviewMessages };
/** Live updates at most this often (a fast server answers hundreds of samples a second). */
const PROGRESS_INTERVAL_MS = 150;
const BUSY = 'A dry run is in progress: wait for it, or Stop it.';
const STOPPED = 'Stopped: the samples answered so far are kept in the run file.';

export class DryRunPanel extends DatasetPanel<HostMessage, WebviewMessage> {
  /** A registry of this kind's open panels, one per dataset (Ctx's panels hold the one in use). */
  static registry(): DatasetPanels<DryRunPanel, DryRunHost> {
    return new DatasetPanels<DryRunPanel, DryRunHost>(PAGE, (panel, context, datasetDir, host) => new DryRunPanel(panel, context, datasetDir, host));
  }

  /** Record files of the samples shown, the only ones the webview may ask to open. */
  private readonly shownFiles = new Set<string>();

  private constructor(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    datasetDir: string,
    private readonly host: DryRunHost,
  ) {
    super(panel, context, PAGE, datasetDir);
  }

  refresh(): Promise<void> {
    return this.reload(
      () => this.host.load(this.datasetDir),
      (message) => {
        for (const sample of message.run?.samples ?? []) this.shownFiles.add(sample.file);
        return { type: 'dryRun', ...message };
      },
    );
  }

  /** Runs a dry run in this panel once its webview has loaded: progress, live histogram, Stop. */
  start(request: DryRunRequest): void {
    this.afterReady(() => void this.guarded(() => this.runNow(request)));
  }

  protected async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.ready();
      case 'refresh':
        return this.refresh();
      case 'cancel':
        this.stop();
        return;
      case 'rerun': {
        if (this.isRunning) throw new Error(BUSY);
        const request = await this.host.ask(this.datasetDir);
        if (request) await this.runNow(request);
        return;
      }
      case 'adjustGrader':
        return this.host.adjustGrader(this.datasetDir);
      case 'reviewDataset':
        return this.host.reviewDataset(this.datasetDir);
      case 'startTraining':
        return this.host.startTraining(this.datasetDir);
      case 'openRecord':
        if (!this.shownFiles.has(message.file)) throw new Error('That record is not among those shown.');
        return this.host.openRecord(path.join(this.datasetDir, message.file), message.line); // files are sent relative to the dataset
    }
  }

  /** One run at a time (a second is refused with BUSY); Stop and closing the panel abort it. */
  private async runNow(request: DryRunRequest): Promise<void> {
    await this.runExclusive(BUSY, async (signal) => {
      const progress = new ProgressRelay(
        (message) => this.post(message),
        request.model,
        (send) => this.throttle(PROGRESS_INTERVAL_MS, send),
      );
      try {
        await this.port.withProgress(`RFT: Dry run of ${path.basename(this.datasetDir)}`, () => this.host.run(this.datasetDir, request, signal, (event) => progress.receive(event)));
        progress.flush();
        this.post({ type: 'finished', outcome: signal.aborted ? 'cancelled' : 'done', ...(signal.aborted ? { message: STOPPED } : {}) });
      } catch (error) {
        progress.flush();
        this.post(
          wasStopped(signal, error)
            ? { type: 'finished', outcome: 'cancelled', message: STOPPED }
            : { type: 'finished', outcome: 'failed', message: `The dry run failed: ${error instanceof Error ? error.message : String(error)}` },
        );
      }
    });
    await this.refresh();
  }
}

/** Turns the core's progress events into the panel's `started` / `progress` messages, at most every 150 ms. */
class ProgressRelay {
  private total = 0;
  private done = 0;
  private errors = 0;
  private sum = 0;
  private scored = 0;
  private histogram: number[] = new Array(10).fill(0);
  private planned: Record<string, number> = {};
  private doneByTopic: Record<string, number> = {};
  private readonly updates: Throttle;

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly model: string,
    throttle: (send: () => void) => Throttle,
  ) {
    this.updates = throttle(() => this.send());
  }

  receive(event: DryRunProgress): void {
    switch (event.type) {
      case 'plan':
        this.total = event.samples;
        this.done = event.done;
        this.planned = perSample(event.byTopic, event.samples);
        this.post({ type: 'started', model: event.estimate.model || this.model, total: event.samples, byTopic: this.topics(), estimate: formatEstimate(event.estimate, event.samples - event.done) });
        if (event.done > 0) this.updates.request();
        return;
      case 'sample':
        this.done = event.done;
        this.total = event.total;
        this.histogram = event.histogram;
        this.doneByTopic = event.doneByTopic;
        if (event.sample.error) this.errors++;
        if (event.sample.score !== null) {
          this.sum += event.sample.score;
          this.scored++;
        }
        this.updates.request();
        return;
      case 'batch':
        this.done = event.completed;
        this.total = event.total;
        this.updates.request();
        return;
      case 'done':
        return;
    }
  }

  flush(): void {
    this.updates.flush();
  }

  private send(): void {
    this.post({
      type: 'progress',
      done: this.done,
      total: this.total,
      errors: this.errors,
      byTopic: this.topics(),
      histogram: this.histogram,
      ...(this.scored > 0 ? { mean: this.sum / this.scored } : {}),
    });
  }

  private topics(): TopicProgressView[] {
    return Object.entries(this.planned)
      .map(([topic, total]) => ({ topic, total, done: this.doneByTopic[topic] ?? 0 }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  }
}

/** The plan's counts per topic in samples: prompts × K when it counts prompts. */
function perSample(byTopic: Record<string, number>, samples: number): Record<string, number> {
  const prompts = Object.values(byTopic).reduce((sum, n) => sum + n, 0);
  if (prompts === 0 || prompts === samples || samples % prompts !== 0) return byTopic;
  const k = samples / prompts;
  return Object.fromEntries(Object.entries(byTopic).map(([topic, n]) => [topic, n * k]));
}
