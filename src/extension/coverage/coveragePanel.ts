import * as path from 'node:path';
import * as vscode from 'vscode';
import { type CoverageReport, type HostMessage, type RecordFilter, type RecordPreview, type WebviewMessage } from '../../shared/coverageProtocol';
import { webviewMessages } from '../../shared/coverageSchema';
import { DatasetPanel, DatasetPanels, type WebviewPageSpec } from '../webview/webviewPanel';

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

const PAGE: WebviewPageSpec<WebviewMessage> = { viewType: 'rftStudio.coverage', page: 'coverage', title: 'Coverage', protocol: webviewMessages };

/** The coverage dashboard of one dataset: a webview panel speaking the coverage protocol. */
export class CoveragePanel extends DatasetPanel<HostMessage, WebviewMessage> {
  /** The open dashboards, one per dataset: show, refresh, and the serializer that restores them after a reload. */
  /** A registry of this kind's open panels, one per dataset (Ctx's panels hold the one in use). */
  static registry(): DatasetPanels<CoveragePanel, CoverageHost> {
    return new DatasetPanels<CoveragePanel, CoverageHost>(PAGE, (panel, context, datasetDir, host) => new CoveragePanel(panel, context, datasetDir, host));
  }

  /** Files of the records shown, the only ones the webview may ask to open. */
  private readonly shownFiles = new Set<string>();

  private constructor(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    datasetDir: string,
    private readonly host: CoverageHost,
  ) {
    super(panel, context, PAGE, datasetDir);
  }

  async refresh(): Promise<void> {
    await this.guarded(async () => {
      this.post({ type: 'busy', message: 'Computing coverage…' });
      const { report, dataset, canGenerate } = await this.host.coverage(this.datasetDir);
      this.retitle(dataset);
      this.post({ type: 'coverage', dataset, datasetDir: this.datasetDir, report, canGenerate });
    });
  }

  protected async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        return this.refresh();
      case 'setTargets':
        await this.host.setTargets(this.datasetDir, { ...message.targets });
        return this.refresh();
      case 'resetTargets':
        await this.host.setTargets(this.datasetDir, undefined);
        return this.refresh();
      case 'showRecords':
        return this.showRecords(message.filter);
      case 'openRecord':
        if (!this.shownFiles.has(message.file)) throw new Error('That record is not among those shown.');
        return this.host.openRecord(path.join(this.datasetDir, message.file), message.line); // files are sent relative to the dataset
      case 'categorize':
        this.post({ type: 'busy', message: 'Categorizing records…' });
        await this.host.categorize(this.datasetDir);
        return this.refresh();
      case 'generate':
        if (!this.host.generate) throw new Error('Generating records is not available yet.');
        await this.host.generate(this.datasetDir, message.path, message.count);
        return this.refresh();
    }
  }

  private async showRecords(filter: RecordFilter): Promise<void> {
    this.post({ type: 'busy', message: 'Loading records…' });
    const { records, total } = await this.host.records(this.datasetDir, filter);
    for (const record of records) this.shownFiles.add(record.file);
    this.post({ type: 'records', filter, records, total });
  }
}
