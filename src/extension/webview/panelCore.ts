// What every dataset panel does with its page's messages, without VS Code (so a panel's handling is testable in
// plain Node): each raw message is checked once against the page's protocol (src/shared/ipc.ts) before `handle`
// sees it, a malformed one is logged and answered with an error; a request (a message with `requestId`) is answered
// with `done` or with the error naming it. The panel also owns its one long run: `runExclusive` refuses a second,
// and Stop (`stop()`) or closing the panel aborts it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { checkMessage, type Envelope, type ErrorMessage, type RequestDone, type WebviewProtocol } from '../../shared/ipc';
import { Throttle } from './throttle';

/** What the panel needs of the webview panel around it (webviewPanel.ts gives VS Code's; tests give a fake). */
export interface PanelPort {
  /** Posts a message to the page. */
  post(message: unknown): void;
  /** Titles the panel. */
  setTitle(title: string): void;
  /** A line in the RFT Studio output (a malformed message). */
  log(line: string): void;
  /** Shows long work in the status bar while it runs. */
  withProgress<T>(title: string, work: () => Promise<T>): Promise<T>;
}

/** The page's messages and the panel's title ("<title> — <dataset>"). */
export interface PanelSpec<WebviewMessage> {
  readonly title: string;
  readonly protocol: WebviewProtocol<WebviewMessage>;
}

/** The request whose work is running (across its awaits): a failure inside it, even one `guarded` catches, answers it. */
const currentRequest = new AsyncLocalStorage<{ readonly envelope: Envelope; failed: boolean }>();

export abstract class PanelCore<HostMessage extends { readonly type: string }, WebviewMessage extends { readonly type: string }> {
  /** Whether the webview has said 'ready' (and had its first refresh); work asked for before waits for it. */
  private loaded = false;
  private readonly whenLoaded: (() => void)[] = [];
  /** The run in progress (runExclusive), which Stop and closing the panel abort. */
  private activeRun: AbortController | undefined;
  /** Live updates waiting to be sent; dropped when the panel closes. */
  private readonly throttles: Throttle[] = [];

  protected constructor(
    protected readonly port: PanelPort,
    private readonly pageSpec: PanelSpec<WebviewMessage>,
    protected readonly datasetDir: string,
  ) {}

  /** A raw message from the page: checked against the protocol, then handled; never throws. */
  receiveRaw(value: unknown): void {
    const checked = checkMessage(this.pageSpec.protocol, value);
    if (!checked.ok) {
      this.port.log(`${this.pageSpec.title} panel: refused a message from the webview: ${checked.error}`);
      this.answerError(checked.error, checked.envelope);
      return;
    }
    this.receive(checked.message, checked.envelope);
  }

  /** A checked message: handled, and answered when it is a request. */
  protected receive(message: WebviewMessage, request: Envelope): void {
    void this.answer(request, () => this.handle(message));
  }

  protected abstract handle(message: WebviewMessage): Promise<void>;

  /** Sends the page its data again. */
  abstract refresh(): Promise<void>;

  /** Whether its run is in progress (a command starts no second one). */
  get isRunning(): boolean {
    return this.activeRun !== undefined;
  }

  /** Stop: aborts the run in progress, if any. */
  protected stop(): void {
    this.activeRun?.abort();
  }

  /**
   * Runs the panel's one long work with a signal that Stop and closing the panel abort; a second run while one is
   * going is refused with `busy` (thrown, so it becomes the error of whatever asked for it).
   */
  protected async runExclusive<T>(busy: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.activeRun) throw new Error(busy);
    const controller = new AbortController();
    this.activeRun = controller;
    try {
      return await work(controller.signal);
    } finally {
      if (this.activeRun === controller) this.activeRun = undefined;
    }
  }

  /** Live updates sent at most every `intervalMs` (a fast server answers hundreds of samples a second). */
  protected throttle(intervalMs: number, send: () => void): Throttle {
    const throttle = new Throttle(intervalMs, send);
    this.throttles.push(throttle);
    return throttle;
  }

  /** The webview's 'ready': its first refresh, then the work that waited for it (afterReady). */
  protected async ready(): Promise<void> {
    await this.refresh();
    this.loaded = true;
    for (const action of this.whenLoaded.splice(0)) action();
  }

  /** Runs `action` once the webview has loaded (at once when it has). */
  protected afterReady(action: () => void): void {
    if (this.loaded) action();
    else this.whenLoaded.push(action);
  }

  /** The common refresh: loads the page's data, retitles the panel for its dataset and posts it (failures as the banner). */
  protected reload<Loaded extends { readonly dataset: string }>(load: () => Promise<Loaded>, toMessage: (loaded: Loaded) => HostMessage): Promise<void> {
    return this.guarded(async () => {
      const loaded = await load();
      this.retitle(loaded.dataset);
      this.post(toMessage(loaded));
    });
  }

  /** The panel's title for the dataset's display name. */
  protected retitle(dataset: string): void {
    this.port.setTitle(`${this.pageSpec.title} — ${dataset}`);
  }

  /** Runs host work; its failure becomes an error banner in the webview (the error of the request it is part of). */
  protected async guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const request = currentRequest.getStore();
      if (request) request.failed = true;
      this.answerError(error instanceof Error ? error.message : String(error), request?.envelope);
    }
  }

  protected post(message: HostMessage): void {
    this.port.post(message);
  }

  /** Called when the panel closes: its run stops, and nothing more is sent. */
  protected disposeCore(): void {
    this.activeRun?.abort();
    for (const throttle of this.throttles.splice(0)) throttle.cancel();
  }

  /** Runs the work of a message; answers `done` when it was a request, or the error naming it when it failed. */
  protected async answer(request: Envelope, work: () => Promise<void>): Promise<void> {
    const context = { envelope: request, failed: false };
    try {
      await currentRequest.run(context, work);
    } catch (error) {
      this.answerError(error instanceof Error ? error.message : String(error), request);
      return;
    }
    if (request.requestId !== undefined && !context.failed) this.port.post({ type: 'done', requestId: request.requestId, request: request.type } satisfies RequestDone);
  }

  private answerError(message: string, request: Envelope | undefined): void {
    const error: ErrorMessage = { type: 'error', message, ...(request?.type ? { request: request.type } : {}), ...(request?.requestId !== undefined ? { requestId: request.requestId } : {}) };
    this.port.post(error);
  }
}

/** Whether a run ended because it was stopped (its signal aborted, or the work gave up with an AbortError). */
export function wasStopped(signal: AbortSignal, error?: unknown): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}
