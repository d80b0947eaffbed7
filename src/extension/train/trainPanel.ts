// The training monitor of one dataset (step 6): a webview panel speaking the training protocol. It shows the start
// form gated by the newest dry run and the newest job, and draws every update of a followed job. The work is the
// core's (src/core/train) and the monitor's (trainingMonitor.ts); the host (trainHost.ts) wires them up.
import * as vscode from 'vscode';
import { checkStartRequest, type HostMessage, type JobControl, type JobView, type StartRequest, type WebviewMessage } from '../../shared/trainProtocol';
import { webviewMessages } from '../../shared/trainSchema';
import { DatasetPanel, DatasetPanels, type WebviewPageSpec } from '../webview/webviewPanel';

type TrainMessage = Omit<Extract<HostMessage, { type: 'train' }>, 'type'>;

/** What the training panel asks of the rest of the extension. */
export interface TrainHost {
  load(datasetDir: string): Promise<TrainMessage>;
  /** Launches; `post` carries `launching`, `launchFailed` and the first `job` to the panel. */
  start(datasetDir: string, request: StartRequest, post: (message: HostMessage) => void): Promise<void>;
  control(datasetDir: string, action: JobControl, jobId: string): Promise<JobView>;
  /** Follows the dataset's newest unfinished job (after a reload, too). */
  follow(datasetDir: string): Promise<void>;
  /** Job updates and monitoring problems of this dataset, as panel messages. */
  subscribe(datasetDir: string, post: (message: HostMessage) => void): vscode.Disposable;
  runDryRun(datasetDir: string): Promise<void>;
  copyModel(model: string): Promise<void>;
}

const PAGE: WebviewPageSpec<WebviewMessage> = { viewType: 'rftStudio.train', page: 'train', title: 'Training', protocol: webviewMessages };

export class TrainPanel extends DatasetPanel<HostMessage, WebviewMessage> {
  /** A registry of this kind's open panels, one per dataset (Ctx's panels hold the one in use). */
  static registry(): DatasetPanels<TrainPanel, TrainHost> {
    return new DatasetPanels<TrainPanel, TrainHost>(PAGE, (panel, context, datasetDir, host) => new TrainPanel(panel, context, datasetDir, host));
  }

  /** Models the panel showed: the only ones Copy may put on the clipboard. */
  private readonly shownModels = new Set<string>();
  private launching = false;

  private constructor(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    datasetDir: string,
    private readonly host: TrainHost,
  ) {
    super(panel, context, PAGE, datasetDir);
    this.disposables.push(host.subscribe(datasetDir, (message) => this.postShown(message)));
  }

  refresh(): Promise<void> {
    return this.reload(
      () => this.host.load(this.datasetDir),
      (message) => {
        this.remember(message.job);
        return { type: 'train', ...message };
      },
    );
  }

  protected async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.ready();
        return this.host.follow(this.datasetDir);
      case 'refresh':
        return this.refresh();
      case 'start':
        return this.start(message.request);
      case 'control': {
        this.postShown({ type: 'job', job: await this.host.control(this.datasetDir, message.action, message.jobId) });
        return;
      }
      case 'runDryRun':
        return this.host.runDryRun(this.datasetDir);
      case 'copyModel':
        if (!this.shownModels.has(message.model)) throw new Error('That model is not shown here.');
        return this.host.copyModel(message.model);
    }
  }

  private async start(raw: unknown): Promise<void> {
    const request = checkStartRequest(raw);
    if (typeof request === 'string') {
      this.post({ type: 'launchFailed', message: request });
      return;
    }
    if (this.launching) {
      this.post({ type: 'launchFailed', message: 'A launch is under way: wait for it.' });
      return;
    }
    this.launching = true;
    try {
      await this.host.start(this.datasetDir, request, (message) => this.postShown(message));
    } finally {
      this.launching = false;
    }
  }

  private postShown(message: HostMessage): void {
    if (message.type === 'job') this.remember(message.job);
    this.post(message);
  }

  private remember(job: JobView | undefined): void {
    if (job?.resultModel) this.shownModels.add(job.resultModel);
  }
}
