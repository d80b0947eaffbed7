// What every dataset webview panel (the coverage dashboard, the grader editor, the dry-run results) does the same way: one panel per
// dataset folder, revealed when it is open already; the webview's options (scripts on, resources only from the
// built webview and media); the document with a fresh nonce; restoring after a reload through a panel serializer;
// typed messages in and out, with host failures shown as an error banner. Each page's own protocol stays its own;
// what is done with the messages (checked, handled, answered; the one run with Stop) is panelCore.ts's.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WebviewProtocol } from '../../shared/ipc';
import { PanelCore, type PanelPort } from './panelCore';
import { newNonce, pageStylesheets, webviewHtml } from './webviewHtml';

/** One kind of dataset panel. */
export interface WebviewPageSpec<WebviewMessage> {
  /** The panel's view type, registered in package.json ("rftStudio.coverage"). */
  readonly viewType: string;
  /** The page: its bundle is dist/webview/<page>.js, its stylesheets media/webview.css and media/<page>.css. */
  readonly page: string;
  /** Panels are titled "<title> — <dataset>". */
  readonly title: string;
  /** The page's messages (src/shared/<page>Schema.ts): anything else the webview posts is refused with an error. */
  readonly protocol: WebviewProtocol<WebviewMessage>;
}

/** Where refused webview messages are logged: the RFT Studio output once the extension has set it (setPanelLog). */
let panelLog: (line: string) => void = (line) => console.warn(line);

/** Logs refused webview messages to the extension's output channel (called once at activation). */
export function setPanelLog(log: { warn(message: string): void }): void {
  panelLog = (line) => log.warn(line);
}

/** What the saved state of every page has: the dataset folder the serializer gives the revived panel. */
interface DatasetViewState {
  readonly dataset?: unknown;
}

/**
 * A webview panel of one dataset, speaking its page's protocol: every message the page posts is checked and handled
 * by the panel's PanelCore side; `post` sends host messages. Both protocols have `{ type: 'error', message }`.
 */
export abstract class DatasetPanel<HostMessage extends { readonly type: string }, WebviewMessage extends { readonly type: string }> extends PanelCore<HostMessage, WebviewMessage> {
  protected readonly disposables: vscode.Disposable[] = [];
  private readonly disposeListeners: (() => void)[] = [];

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly spec: WebviewPageSpec<WebviewMessage>,
    datasetDir: string,
  ) {
    super(portOf(panel), spec, datasetDir);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receiveRaw(message)),
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

  protected dispose(): void {
    this.disposeCore();
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
export class DatasetPanels<Panel extends DatasetPanel<{ readonly type: string }, { readonly type: string }>, Host> {
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

/** The panel's side of a PanelCore: VS Code's webview panel, window progress and the output channel. */
function portOf(panel: vscode.WebviewPanel): PanelPort {
  return {
    post: (message) => void panel.webview.postMessage(message),
    setTitle: (title) => {
      panel.title = title;
    },
    log: (line) => panelLog(line),
    withProgress: (title, work) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, work)),
  };
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')],
  };
}
