// What every dataset webview panel (the coverage dashboard, the grader editor, the dry-run results) does the same way: one panel per
// dataset folder, revealed when it is open already; the webview's options (scripts on, resources only from the
// built webview and media); the document with a fresh nonce; restoring after a reload through a panel serializer;
// typed messages in and out, with host failures shown as an error banner. Each page's own protocol stays its own.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { newNonce, pageStylesheets, webviewHtml } from './webviewHtml';

/** One kind of dataset panel. */
export interface WebviewPageSpec<WebviewMessage> {
  /** The panel's view type, registered in package.json ("rftStudio.coverage"). */
  readonly viewType: string;
  /** The page: its bundle is dist/webview/<page>.js, its stylesheets media/webview.css and media/<page>.css. */
  readonly page: string;
  /** Panels are titled "<title> — <dataset>". */
  readonly title: string;
  /** The page's messages: anything else the webview posts is dropped. */
  isMessage(value: unknown): value is WebviewMessage;
}

/** What the saved state of every page has: the dataset folder the serializer gives the revived panel. */
interface DatasetViewState {
  readonly dataset?: unknown;
}

/**
 * A webview panel of one dataset, speaking its page's protocol: `receive` gets only the page's messages, `post`
 * sends host messages. Both protocols have `{ type: 'error', message }`, which `guarded` posts.
 */
export abstract class DatasetPanel<HostMessage extends { readonly type: string }, WebviewMessage> {
  protected readonly disposables: vscode.Disposable[] = [];
  private readonly disposeListeners: (() => void)[] = [];
  /** Whether the webview has said 'ready' (and had its first refresh); work asked for before waits for it. */
  private loaded = false;
  private readonly whenLoaded: (() => void)[] = [];

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly spec: WebviewPageSpec<WebviewMessage>,
    protected readonly datasetDir: string,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (spec.isMessage(message)) this.receive(message);
      }),
    );
    panel.webview.html = this.html();
  }

  reveal(): void {
    this.panel.reveal();
  }

  close(): void {
    this.panel.dispose();
  }

  /** Called when the panel closes, before its subscriptions end. */
  onDidDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  /** A message from the page; a failure is posted back as its error (`guarded`). */
  protected receive(message: WebviewMessage): void {
    void this.guarded(() => this.handle(message));
  }

  protected abstract handle(message: WebviewMessage): Promise<void>;

  /** Sends the page its data again (what `DatasetPanels.refresh` calls). */
  abstract refresh(): Promise<void>;

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
    this.panel.title = `${this.spec.title} — ${dataset}`;
  }

  /** Runs host work; its failure becomes an error banner in the webview. */
  protected async guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      void this.panel.webview.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  protected post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  protected dispose(): void {
    for (const listener of this.disposeListeners.splice(0)) listener();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private html(): string {
    const { webview } = this.panel;
    const uri = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...segments)).toString();
    return webviewHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: uri('dist', 'webview', `${this.spec.page}.js`),
      styleUris: pageStylesheets(this.spec.page).map((file) => uri('media', file)),
      title: this.panel.title,
    });
  }
}

/** The open panels of one kind, one per dataset folder (by its resolved path). */
export class DatasetPanels<Panel extends DatasetPanel<{ readonly type: string }, unknown>, Host> {
  private readonly open = new Map<string, Panel>();

  constructor(
    private readonly spec: WebviewPageSpec<unknown>,
    private readonly create: (panel: vscode.WebviewPanel, context: vscode.ExtensionContext, datasetDir: string, host: Host) => Panel,
  ) {}

  /** The dataset's panel, revealed if it is open, else a new one. */
  show(context: vscode.ExtensionContext, datasetDir: string, host: Host): Panel {
    const key = path.resolve(datasetDir);
    const open = this.open.get(key);
    if (open) {
      open.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(this.spec.viewType, `${this.spec.title} — ${path.basename(key)}`, vscode.ViewColumn.Active, webviewOptions(context));
    return this.track(this.create(panel, context, key, host), key);
  }

  /** A panel VS Code restored after a reload, given back to its dataset. */
  revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, datasetDir: string, host: Host): Panel {
    const key = path.resolve(datasetDir);
    this.open.get(key)?.close();
    panel.webview.options = webviewOptions(context);
    return this.track(this.create(panel, context, key, host), key);
  }

  get(datasetDir: string): Panel | undefined {
    return this.open.get(path.resolve(datasetDir));
  }

  all(): Panel[] {
    return [...this.open.values()];
  }

  /** Refreshes the dataset's panel, if one is open (e.g. after its files changed). */
  async refresh(datasetDir: string): Promise<void> {
    await this.get(datasetDir)?.refresh();
  }

  /** Refreshes every open panel of this kind (e.g. workspace trust granted). */
  async refreshEvery(): Promise<void> {
    await Promise.all(this.all().map((panel) => panel.refresh()));
  }

  /**
   * A panel VS Code restored after a reload, given back to the dataset folder its webview saved in its state (the
   * extension's serializer for the view type calls this, steps.ts).
   */
  restore(panel: vscode.WebviewPanel, state: unknown, context: vscode.ExtensionContext, host: Host): void {
    const dataset = (state as DatasetViewState | undefined)?.dataset;
    if (typeof dataset !== 'string' || !path.isAbsolute(dataset)) {
      panel.dispose();
      return;
    }
    this.revive(panel, context, dataset, host);
  }

  private track(panel: Panel, key: string): Panel {
    this.open.set(key, panel);
    panel.onDidDispose(() => {
      if (this.open.get(key) === panel) this.open.delete(key);
    });
    return panel;
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')],
  };
}
