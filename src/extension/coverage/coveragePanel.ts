import * as path from 'node:path';
import * as vscode from 'vscode';
import { isWebviewMessage, type CoverageReport, type CoverageViewState, type HostMessage, type RecordFilter, type RecordPreview, type WebviewMessage } from '../../shared/coverageProtocol';
import { coverageHtml, newNonce } from './coverageHtml';

/** What the coverage panel asks of the rest of the extension. */
export interface CoverageHost {
  coverage(datasetDir: string): Promise<{ report: CoverageReport; dataset: string; canGenerate: boolean }>;
  records(datasetDir: string, filter: RecordFilter): Promise<{ records: RecordPreview[]; total: number }>;
  /** undefined = back to uniform targets. */
  setTargets(datasetDir: string, targets: Record<string, number> | undefined): Promise<void>;
  categorize(datasetDir: string): Promise<void>;
  openRecord(file: string, line: number): Promise<void>;
  /** Only called when coverage() said canGenerate. */
  generate?(datasetDir: string, topicPath: string, count: number): Promise<void>;
}

const VIEW_TYPE = 'rftStudio.coverage';

/** The coverage dashboard of one dataset: a webview panel speaking the coverage protocol. */
export class CoveragePanel {
  private static readonly panels = new Map<string, CoveragePanel>();
  /** Files of the records shown, the only ones the webview may ask to open. */
  private readonly shownFiles = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, datasetDir: string, host: CoverageHost): CoveragePanel {
    const key = path.resolve(datasetDir);
    const open = CoveragePanel.panels.get(key);
    if (open) {
      open.panel.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Coverage — ${path.basename(key)}`, vscode.ViewColumn.Active, webviewOptions(context));
    return new CoveragePanel(panel, context, key, host);
  }

  /** Pushes fresh coverage to the dataset's panel, if one is open (e.g. after categorization). */
  static async refreshAll(datasetDir: string): Promise<void> {
    await CoveragePanel.panels.get(path.resolve(datasetDir))?.refresh();
  }

  /** A panel VS Code restored after a reload, given back to its dataset. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, datasetDir: string, host: CoverageHost): CoveragePanel {
    const key = path.resolve(datasetDir);
    CoveragePanel.panels.get(key)?.panel.dispose();
    panel.webview.options = webviewOptions(context);
    return new CoveragePanel(panel, context, key, host);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly datasetDir: string,
    private readonly host: CoverageHost,
  ) {
    CoveragePanel.panels.set(datasetDir, this);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
    );
    panel.webview.html = this.html();
  }

  async refresh(): Promise<void> {
    await this.guarded(async () => {
      this.post({ type: 'busy', message: 'Computing coverage…' });
      const { report, dataset, canGenerate } = await this.host.coverage(this.datasetDir);
      this.panel.title = `Coverage — ${dataset}`;
      this.post({ type: 'coverage', dataset, datasetDir: this.datasetDir, report, canGenerate });
    });
  }

  private async receive(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) return;
    await this.guarded(() => this.handle(message));
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        return this.refresh();
      case 'setTargets':
        await this.host.setTargets(this.datasetDir, validTargets(message.targets));
        return this.refresh();
      case 'resetTargets':
        await this.host.setTargets(this.datasetDir, undefined);
        return this.refresh();
      case 'showRecords':
        return this.showRecords(validFilter(message.filter));
      case 'openRecord':
        if (!this.shownFiles.has(message.file) || !Number.isInteger(message.line)) throw new Error('That record is not among those shown.');
        return this.host.openRecord(path.join(this.datasetDir, message.file), message.line); // files are sent relative to the dataset
      case 'categorize':
        this.post({ type: 'busy', message: 'Categorizing records…' });
        await this.host.categorize(this.datasetDir);
        return this.refresh();
      case 'generate':
        if (!this.host.generate) throw new Error('Generating records is not available yet.');
        await this.host.generate(this.datasetDir, String(message.path), Number(message.count));
        return this.refresh();
    }
  }

  private async showRecords(filter: RecordFilter): Promise<void> {
    this.post({ type: 'busy', message: 'Loading records…' });
    const { records, total } = await this.host.records(this.datasetDir, filter);
    for (const record of records) this.shownFiles.add(record.file);
    this.post({ type: 'records', filter, records, total });
  }

  /** Runs host work; its failure becomes an error banner in the webview. */
  private async guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const { webview } = this.panel;
    const uri = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...segments)).toString();
    return coverageHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: uri('dist', 'webview', 'coverage.js'),
      styleUri: uri('media', 'coverage.css'),
      title: this.panel.title,
    });
  }

  private dispose(): void {
    if (CoveragePanel.panels.get(this.datasetDir) === this) CoveragePanel.panels.delete(this.datasetDir);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** Restores coverage panels after a window reload, from the dataset folder the webview saved in its state. */
export function registerCoverageSerializer(context: vscode.ExtensionContext, host: CoverageHost): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const dataset = (state as Partial<CoverageViewState> | undefined)?.dataset;
      if (typeof dataset !== 'string' || !path.isAbsolute(dataset)) {
        panel.dispose();
        return;
      }
      CoveragePanel.revive(panel, context, dataset, host);
    },
  });
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')],
  };
}

/** The webview is not trusted to send well-formed data: every target must be a share in 0..1. */
function validTargets(targets: unknown): Record<string, number> {
  if (typeof targets !== 'object' || targets === null) throw new Error('Targets must be an object of shares.');
  const entries = Object.entries(targets);
  if (!entries.every(([, share]) => typeof share === 'number' && share >= 0 && share <= 1)) throw new Error('Every target must be a share from 0 to 1.');
  return Object.fromEntries(entries) as Record<string, number>;
}

function validFilter(filter: unknown): RecordFilter {
  const { kind, path: topicPath } = (filter ?? {}) as { kind?: unknown; path?: unknown };
  if (kind === 'uncategorized') return { kind };
  if (kind === 'topic' && typeof topicPath === 'string') return { kind, path: topicPath };
  if (kind === 'lowConfidence') return typeof topicPath === 'string' ? { kind, path: topicPath } : { kind };
  throw new Error('Unknown record filter.');
}
