// The results and deploy panel of one dataset (step 7, the spec's "Training Complete"): the tuned model, Run
// Benchmarks with live progress and Stop, the newest benchmark's figures, then the three deployment options with the
// config.yaml's diff preview, Deploy and Undo. The work is the core's (src/core/deploy); the host (deployHost.ts)
// wires it up. The webview never names a file: the config is the one the user picked in the host's open dialog.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { BenchmarkProgress, DeployPlan } from '../../core/deploy';
import { type ConfigView, type DeployChoice, type HostMessage, type TunedModelInput, type WebviewMessage } from '../../shared/deployProtocol';
import { webviewMessages } from '../../shared/deploySchema';
import { DatasetPanel, DatasetPanels, type WebviewPageSpec } from '../webview/webviewPanel';
import { wasStopped } from '../webview/panelCore';
import type { Throttle } from '../webview/throttle';

type DeployMessage = Omit<Extract<HostMessage, { type: 'deploy' }>, 'type'>;

export interface BenchmarkRequest {
  readonly base: string;
  readonly n?: number;
}

/** What the panel asks of the rest of the extension. */
export interface DeployHost {
  load(datasetDir: string, configFile: string | undefined): Promise<DeployMessage>;
  saveTuned(datasetDir: string, tuned: TunedModelInput): Promise<void>;
  /** Resolves when the run file is final; throws with the reason when it cannot start. */
  runBenchmark(datasetDir: string, request: BenchmarkRequest, signal: AbortSignal, onProgress: (event: BenchmarkProgress) => void): Promise<void>;
  /** The open dialog for config.yaml; undefined when the user backed out. */
  pickConfig(datasetDir: string): Promise<string | undefined>;
  /** The config the dataset used last (kept in the workspace state). */
  rememberedConfig(datasetDir: string): string | undefined;
  readConfig(file: string): Promise<ConfigView>;
  plan(datasetDir: string, configFile: string, choice: DeployChoice): Promise<DeployPlan>;
  /** Writes the plan (or applies the choice through the admin API); the text to show. */
  deploy(datasetDir: string, configFile: string | undefined, choice: DeployChoice, plan: DeployPlan | undefined): Promise<string>;
  undo(datasetDir: string): Promise<string | undefined>;
  openPlayground(datasetDir: string): Promise<void>;
  openRecord(file: string, line: number): Promise<void>;
}

const PAGE: WebviewPageSpec<WebviewMessage> = { viewType: 'rftStudio.deploy', page: 'deploy', title: 'Results & Deploy', protocol: webviewMessages };
/** Live updates at most this often. */
const PROGRESS_INTERVAL_MS = 150;
const BUSY = 'Benchmarks are running: wait for them, or Stop them.';
const STOPPED = 'Stopped: the pairs answered so far are kept in the run file (rft benchmark --resume finishes it).';

export class DeployPanel extends DatasetPanel<HostMessage, WebviewMessage> {
  /** A registry of this kind's open panels, one per dataset (Ctx's panels hold the one in use). */
  static registry(): DatasetPanels<DeployPanel, DeployHost> {
    return new DatasetPanels<DeployPanel, DeployHost>(PAGE, (panel, context, datasetDir, host) => new DeployPanel(panel, context, datasetDir, host));
  }

  private readonly shownFiles = new Set<string>();
  private configFile: string | undefined;
  /** The last preview, which Deploy writes when the same choice is deployed and the file has not changed since. */
  private lastPlan: DeployPlan | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    datasetDir: string,
    private readonly host: DeployHost,
  ) {
    super(panel, context, PAGE, datasetDir);
    this.configFile = host.rememberedConfig(datasetDir);
  }

  refresh(): Promise<void> {
    return this.reload(
      () => this.host.load(this.datasetDir, this.configFile),
      (message) => {
        for (const sample of [...(message.benchmark?.report.samples.gains ?? []), ...(message.benchmark?.report.samples.losses ?? [])]) this.shownFiles.add(sample.file);
        return { type: 'deploy', ...message };
      },
    );
  }

  /** Runs benchmarks in this panel once its webview has loaded. */
  start(request: BenchmarkRequest): void {
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
      case 'saveTuned':
        await this.host.saveTuned(this.datasetDir, message.tuned);
        this.post({ type: 'notice', message: `Tuned model saved: ${message.tuned.model}.` });
        return this.refresh();
      case 'runBenchmark':
        return this.runNow({ base: message.base, ...(message.n !== undefined ? { n: message.n } : {}) });
      case 'pickConfig': {
        const file = await this.host.pickConfig(this.datasetDir);
        if (!file) return;
        const config = await this.host.readConfig(file);
        this.configFile = file;
        this.lastPlan = undefined;
        this.post({ type: 'config', config });
        return;
      }
      case 'preview': {
        const { choice } = message;
        if (!this.configFile) throw new Error('Choose the LiteLLM config.yaml first.');
        const plan = await this.host.plan(this.datasetDir, this.configFile, choice);
        this.lastPlan = plan;
        this.post({ type: 'plan', choice, config: plan.config, diff: plan.diff, changes: plan.changes });
        return;
      }
      case 'deploy': {
        const { choice } = message;
        if (!choice.adminUrl && !this.configFile) throw new Error('Choose the LiteLLM config.yaml first.');
        const plan = choice.adminUrl ? undefined : await this.currentPlan(choice);
        const text = await this.host.deploy(this.datasetDir, this.configFile, choice, plan);
        this.lastPlan = undefined;
        this.post({ type: 'notice', message: text });
        return this.refresh();
      }
      case 'undo': {
        const text = await this.host.undo(this.datasetDir);
        if (text) this.post({ type: 'notice', message: text });
        return this.refresh();
      }
      case 'openPlayground':
        return this.host.openPlayground(this.datasetDir);
      case 'openRecord':
        if (!this.shownFiles.has(message.file)) throw new Error('That record is not among those shown.');
        return this.host.openRecord(path.join(this.datasetDir, message.file), message.line);
    }
  }

  /** The plan Deploy writes: the previewed one when it still describes the file and the choice, else refused. */
  private async currentPlan(choice: DeployChoice): Promise<DeployPlan> {
    const fresh = await this.host.plan(this.datasetDir, this.configFile!, choice);
    if (!this.lastPlan || this.lastPlan.diff !== fresh.diff) {
      this.lastPlan = fresh;
      this.post({ type: 'plan', choice, config: fresh.config, diff: fresh.diff, changes: fresh.changes });
      throw new Error('Preview the change before deploying: the diff shown now is what Deploy writes.');
    }
    return fresh;
  }

  /** One run at a time (a second is refused with BUSY); Stop and closing the panel abort it. */
  private async runNow(request: BenchmarkRequest): Promise<void> {
    await this.runExclusive(BUSY, async (signal) => {
      const relay = new ProgressRelay(
        (message) => this.post(message),
        request.base,
        (send) => this.throttle(PROGRESS_INTERVAL_MS, send),
      );
      try {
        await this.port.withProgress(`RFT: Benchmarks of ${path.basename(this.datasetDir)}`, () => this.host.runBenchmark(this.datasetDir, request, signal, (event) => relay.receive(event)));
        relay.flush();
        this.post({ type: 'finished', outcome: signal.aborted ? 'cancelled' : 'done', ...(signal.aborted ? { message: STOPPED } : {}) });
      } catch (error) {
        relay.flush();
        this.post(
          wasStopped(signal, error)
            ? { type: 'finished', outcome: 'cancelled', message: STOPPED }
            : { type: 'finished', outcome: 'failed', message: `The benchmark failed: ${error instanceof Error ? error.message : String(error)}` },
        );
      }
    });
    await this.refresh();
  }
}

/** The core's benchmark events as `started` / `progress` messages, at most every 150 ms. */
class ProgressRelay {
  private total = 0;
  private done = 0;
  private errors = 0;
  private readonly sums = { base: 0, tuned: 0, n: 0 };
  private readonly throttle: Throttle;

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly base: string,
    throttle: (send: () => void) => Throttle,
  ) {
    this.throttle = throttle(() => this.send());
  }

  receive(event: BenchmarkProgress): void {
    if (event.type === 'plan') {
      this.total = event.prompts;
      this.done = event.done;
      this.post({ type: 'started', base: this.base, total: event.prompts });
      this.send();
      return;
    }
    if (event.type !== 'pair') return;
    this.done = event.done;
    this.total = event.total;
    const { base, tuned } = event.pair;
    if (base.error || tuned.error) this.errors++;
    if (base.score !== null && tuned.score !== null) {
      this.sums.base += base.score;
      this.sums.tuned += tuned.score;
      this.sums.n++;
    }
    this.throttle.request();
  }

  flush(): void {
    this.throttle.flush();
  }

  private send(): void {
    const means = this.sums.n > 0 ? { baseMean: this.sums.base / this.sums.n, tunedMean: this.sums.tuned / this.sums.n } : {};
    this.post({ type: 'progress', done: this.done, total: this.total, errors: this.errors, ...means });
  }
}
