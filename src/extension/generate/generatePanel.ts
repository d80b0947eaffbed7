// The generation panel of one dataset (the spec's "Generate Samples"): a webview panel speaking the generation
// protocol. It shows the topics to fill with editable counts, the strategy, the model and the estimate; runs the
// loop with live figures per topic, a preview of the latest candidate and Stop; and the result. The work is the
// core's (src/core/generate); the host (generateStep.ts) wires it up.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { GenerateProgress, GenerateResult } from '../../core/generate/generateTypes';
import { MAX_COUNT, type EstimateView, type HostMessage, type PreviewView, type RunRequest, type TargetView, type TopicProgressView, type WebviewMessage } from '../../shared/generateProtocol';
import { webviewMessages } from '../../shared/generateSchema';
import { wasStopped } from '../webview/panelCore';
import type { Throttle } from '../webview/throttle';
import { DatasetPanel, DatasetPanels, type WebviewPageSpec } from '../webview/webviewPanel';

type SetupMessage = Omit<Extract<HostMessage, { type: 'setup' }>, 'type'>;

/** The topic chosen on the coverage dashboard ("Generate ~N"): only it is pre-filled; no count = its gap. */
export interface ChosenTopic {
  readonly topic: string;
  readonly count?: number;
}

/** What the generation panel asks of the rest of the extension. */
export interface GenerateHost {
  load(datasetDir: string, chosen: ChosenTopic | undefined): Promise<SetupMessage>;
  estimate(datasetDir: string, request: RunRequest): Promise<EstimateView>;
  /** Runs the loop; progress events as the core sends them. Resolves with its result (also when stopped). */
  run(datasetDir: string, request: RunRequest, signal: AbortSignal, onProgress: (event: GenerateProgress) => void): Promise<GenerateResult>;
  /** Records landed: the coverage dashboard and the tree follow (the host throttles). */
  landed(datasetDir: string): void;
  openCoverage(datasetDir: string): Promise<void>;
  reviewRecords(datasetDir: string): Promise<void>;
  generateTopics(datasetDir: string): Promise<void>;
}

const PAGE: WebviewPageSpec<WebviewMessage> = { viewType: 'rftStudio.generate', page: 'generate', title: 'Generate Samples', protocol: webviewMessages };
/** Live figures at most this often (a fast server answers many candidates a second). */
const PROGRESS_INTERVAL_MS = 150;
const STOPPED = 'Stopped: the records that landed so far are kept in generated.jsonl.';
const BUSY = 'Generation is in progress: wait for it, or Stop it.';

export class GeneratePanel extends DatasetPanel<HostMessage, WebviewMessage> {
  /** A registry of this kind's open panels, one per dataset (Ctx's panels hold the one in use). */
  static registry(): DatasetPanels<GeneratePanel, GenerateHost> {
    return new DatasetPanels<GeneratePanel, GenerateHost>(PAGE, (panel, context, datasetDir, host) => new GeneratePanel(panel, context, datasetDir, host));
  }

  private chosen: ChosenTopic | undefined;
  /** Leaf topics of the last setup: the only ones a run may target. */
  private known = new Set<string>();
  /** The latest run's messages, sent again after the setup when the webview reloads (it is not kept while hidden). */
  private lastRun: RunMessages | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    datasetDir: string,
    private readonly host: GenerateHost,
  ) {
    super(panel, context, PAGE, datasetDir);
  }

  /** Pre-fills only this topic (a dashboard button), or the gaps of every topic (undefined). */
  choose(chosen: ChosenTopic | undefined): void {
    this.chosen = chosen;
    this.afterReady(() => void this.refresh());
  }

  async refresh(): Promise<void> {
    await this.reload(
      () => this.host.load(this.datasetDir, this.chosen),
      (setup) => {
        this.known = new Set(setup.topics.map((topic) => topic.path));
        return { type: 'setup', ...setup };
      },
    );
    for (const message of this.lastRun?.messages() ?? []) this.post(message);
  }

  protected async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.ready();
      case 'refresh':
        return this.refresh();
      case 'estimate':
        return this.estimate(message.id, message);
      case 'start':
        return this.runNow(validRequest(message, this.known));
      case 'stop':
        this.stop();
        return;
      case 'openCoverage':
        return this.host.openCoverage(this.datasetDir);
      case 'reviewRecords':
        return this.host.reviewRecords(this.datasetDir);
      case 'generateTopics':
        return this.host.generateTopics(this.datasetDir);
    }
  }

  private async estimate(id: number, request: RunRequest): Promise<void> {
    try {
      this.post({ type: 'estimate', id, estimate: await this.host.estimate(this.datasetDir, validRequest(request, this.known)) });
    } catch (error) {
      this.post({ type: 'estimate', id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** One run at a time (a second is refused with BUSY); Stop and closing the panel abort it. */
  private async runNow(request: RunRequest): Promise<void> {
    await this.runExclusive(BUSY, async (signal) => {
      const run = new RunMessages(
        (message) => this.post(message),
        () => this.host.landed(this.datasetDir),
        request,
        (send) => this.throttle(PROGRESS_INTERVAL_MS, send),
      );
      this.lastRun = run;
      try {
        const result = await this.port.withProgress(`RFT: Generating samples for ${path.basename(this.datasetDir)}`, () =>
          this.host.run(this.datasetDir, request, signal, (event) => run.receive(event)),
        );
        run.finish(result.stopped === 'cancelled' ? { type: 'finished', outcome: 'cancelled', result, message: STOPPED } : { type: 'finished', outcome: 'done', result });
      } catch (error) {
        run.finish(
          wasStopped(signal, error)
            ? { type: 'finished', outcome: 'cancelled', message: STOPPED }
            : { type: 'finished', outcome: 'failed', message: `Generation failed: ${error instanceof Error ? error.message : String(error)}` },
        );
      }
    });
    // Running again continues toward the gaps as they are now.
    if (this.chosen) this.chosen = { topic: this.chosen.topic };
    this.host.landed(this.datasetDir);
    await this.refresh();
  }
}

/** One run's messages: `started`, the latest `progress` (at most every 150 ms) and `finished`, kept to send again. */
class RunMessages {
  private readonly started: HostMessage;
  private byTopic: readonly TopicProgressView[];
  private requests = 0;
  private tokens = 0;
  private failedRequests = 0;
  private lastFailure: string | undefined;
  private preview: PreviewView | undefined;
  private finished: HostMessage | undefined;
  private readonly updates: Throttle;

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly landed: () => void,
    request: RunRequest,
    throttle: (send: () => void) => Throttle,
  ) {
    this.updates = throttle(() => this.post(this.progress()));
    this.started = { type: 'started', model: request.model, strategy: request.strategy, targets: request.targets };
    this.byTopic = request.targets.map((target) => emptyTopic(target));
    this.post(this.started);
  }

  receive(event: GenerateProgress): void {
    switch (event.kind) {
      case 'started':
        return;
      case 'candidate':
        this.byTopic = event.byTopic;
        this.requests = event.requests;
        this.tokens = event.tokens;
        this.preview = event.preview;
        if (event.preview.outcome === 'written') this.landed();
        return this.updates.request();
      case 'requestFailed':
        this.failedRequests++;
        this.requests = event.requests;
        this.lastFailure = `${event.topic}: ${event.message}`;
        return this.updates.request();
      case 'finished':
        this.byTopic = event.result.byTopic;
        this.requests = event.result.requests;
        this.tokens = event.result.tokens;
        this.failedRequests = event.result.failedRequests;
        return;
    }
  }

  finish(message: Extract<HostMessage, { type: 'finished' }>): void {
    if (message.result) {
      this.byTopic = message.result.byTopic;
      this.requests = message.result.requests;
      this.tokens = message.result.tokens;
      this.failedRequests = message.result.failedRequests;
    }
    this.updates.cancel();
    this.post(this.progress());
    this.finished = message;
    this.post(message);
  }

  messages(): HostMessage[] {
    return [this.started, this.progress(), ...(this.finished ? [this.finished] : [])];
  }

  private progress(): HostMessage {
    return {
      type: 'progress',
      byTopic: this.byTopic,
      requests: this.requests,
      tokens: this.tokens,
      failedRequests: this.failedRequests,
      ...(this.lastFailure ? { lastFailure: this.lastFailure } : {}),
      ...(this.preview ? { preview: this.preview } : {}),
    };
  }
}

function emptyTopic(target: TargetView): TopicProgressView {
  return { topic: target.topic, requested: target.count, written: 0, candidates: 0, invalid: 0, duplicates: 0, nearDuplicates: 0, offTarget: 0, landedShare: 0, validShare: 0 };
}

/** A request's topics must be the last setup's leaves, each once, with a whole count (the schema checked the rest). */
export function validRequest(request: RunRequest, known: ReadonlySet<string>): RunRequest {
  const checked = request.targets.map(({ topic, count }): TargetView => {
    if (!known.has(topic)) throw new Error(`"${topic}" is not a topic of this dataset.`);
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new Error(`The count for ${topic} must be a whole number from 1 to ${MAX_COUNT.toLocaleString('en-US')}.`);
    return { topic, count };
  });
  if (new Set(checked.map((target) => target.topic)).size !== checked.length) throw new Error('Each topic may be asked for once.');
  return { targets: checked, strategy: request.strategy, model: request.model.trim() };
}
