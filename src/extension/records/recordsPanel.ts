// The records browser of one dataset (the spec's Records view): a webview panel speaking the records protocol.
// Every line of records.jsonl and generated.jsonl, filtered and paged from an index built once (src/core/records);
// a record's messages and fields on demand; open at its line; set its topic; delete selected generated records.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { datasetRecordFiles, GENERATED_FILE } from '../../core/dataset/manifest';
import { datasetSummary } from '../../core/pipeline/datasetSummary';
import type { DatasetSnapshot } from '../../core/pipeline/pipelineState';
import { deleteGeneratedRecords, recordDetail, RecordsIndex, setRecordTopic, StaleIndexError, type RecordRow } from '../../core/records';
import { leafPaths, readTopicsFile } from '../../core/topics/topicsFile';
import { RECORDS_PAGE_SIZE, type HostMessage, type RecordsFilter, type WebviewMessage } from '../../shared/recordsProtocol';
import { webviewMessages } from '../../shared/recordsSchema';
import { DatasetPanel, DatasetPanels, type WebviewPageSpec } from '../webview/webviewPanel';

/** What the records browser asks of the rest of the extension. */
export interface RecordsHost {
  datasetName(datasetDir: string): string;
  /** The dataset's reading (topics, grader, dry run) for the summary; undefined while none is known. */
  snapshot(datasetDir: string): Promise<DatasetSnapshot | undefined>;
  /** A leaf for the record; undefined when the user backed out. */
  pickTopic(leaves: string[], row: RecordRow): Promise<string | undefined>;
  /** Asks before deleting; true to go ahead. */
  confirmDelete(lines: number[]): Promise<boolean>;
  openRecord(file: string, line: number): Promise<void>;
  /** After the panel changed the dataset (labels, generated.jsonl): the tree and other panels catch up. */
  changed(datasetDir: string): Promise<void>;
}

const PAGE: WebviewPageSpec<WebviewMessage> = { viewType: 'rftStudio.records', page: 'records', title: 'Records', protocol: webviewMessages };

export class RecordsPanel extends DatasetPanel<HostMessage, WebviewMessage> {
  /** The open browsers, one per dataset: show, refresh, and the serializer that restores them after a reload. */
  /** A registry of this kind's open panels, one per dataset (Ctx's panels hold the one in use). */
  static registry(): DatasetPanels<RecordsPanel, RecordsHost> {
    return new DatasetPanels<RecordsPanel, RecordsHost>(PAGE, (panel, context, datasetDir, host) => new RecordsPanel(panel, context, datasetDir, host));
  }

  private index: RecordsIndex | undefined;
  private building: Promise<RecordsIndex> | undefined;
  private filter: RecordsFilter = {};
  private offset = 0;

  private constructor(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    datasetDir: string,
    private readonly host: RecordsHost,
  ) {
    super(panel, context, PAGE, datasetDir);
  }

  /** The dataset folder this browser shows. */
  get dir(): string {
    return this.datasetDir;
  }

  /** Sends the summary and the current page again; the index is rebuilt only when a record file changed. */
  refresh(options: { rebuild?: boolean } = {}): Promise<void> {
    return this.guarded(async () => {
      const index = await this.currentIndex(options.rebuild ?? false);
      const topicsFile = await readTopicsFile(this.datasetDir).catch(() => undefined);
      const leaves = topicsFile ? leafPaths(topicsFile) : [];
      const snapshot = await this.host.snapshot(this.datasetDir);
      const counts = index.counts();
      const summary = datasetSummary({ ...counts, topics: snapshot?.topics, grader: snapshot?.grader, lastDryRun: snapshot?.lastDryRun });
      const dataset = this.host.datasetName(this.datasetDir);
      this.retitle(dataset);
      const page = this.page(index);
      this.post({
        type: 'records',
        dataset,
        datasetDir: this.datasetDir,
        summary,
        topics: [...leaves, ...index.topics().filter((topic) => !leaves.includes(topic))],
        codes: Object.entries(counts.byCode)
          .map(([code, count]) => ({ code, count: count ?? 0 }))
          .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
        filter: this.filter,
        page,
        pageSize: RECORDS_PAGE_SIZE,
        canSetTopic: leaves.length > 0,
      });
    });
  }

  protected async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.ready();
      case 'refresh':
        return this.refresh({ rebuild: true });
      case 'query': {
        const { filter } = message;
        this.filter = filter;
        this.offset = message.offset;
        const index = await this.currentIndex(false);
        this.post({ type: 'page', filter, page: this.page(index) });
        return;
      }
      case 'showRecord': {
        const { index, row } = await this.rowOf(message.file, message.line);
        let text: string;
        try {
          text = await index.readLine(row.file, row.line);
        } catch (error) {
          if (error instanceof StaleIndexError) await this.refresh({ rebuild: true });
          throw error;
        }
        this.post({ type: 'detail', file: row.file, line: row.line, row, detail: recordDetail(text) });
        return;
      }
      case 'openRecord': {
        const { row } = await this.rowOf(message.file, message.line);
        return this.host.openRecord(path.join(this.datasetDir, row.file), row.line); // only the dataset's own record files
      }
      case 'setTopic': {
        const { index, row } = await this.rowOf(message.file, message.line);
        const topicsFile = await readTopicsFile(this.datasetDir);
        if (!topicsFile) throw new Error('This dataset has no topics yet: run "RFT: Generate Topics".');
        const topic = await this.host.pickTopic(leafPaths(topicsFile), row);
        if (!topic) return;
        const updated = await setRecordTopic(index, row.file, row.line, topic);
        await this.refresh();
        this.post({ type: 'notice', message: `${updated.file}:${updated.line} is now in ${topic} (manual label).` });
        await this.host.changed(this.datasetDir);
        return;
      }
      case 'deleteGenerated':
        return this.deleteGenerated(message.lines);
    }
  }

  private async deleteGenerated(lines: readonly number[]): Promise<void> {
    const index = await this.currentIndex(false);
    const generated = index.file(GENERATED_FILE);
    if (!generated) throw new Error('This dataset has no generated records.');
    const chosen = [...new Set(lines)].sort((a, b) => a - b);
    const notGenerated = chosen.filter((line) => index.find(GENERATED_FILE, line) === undefined);
    if (notGenerated.length > 0) throw new Error(`${GENERATED_FILE} has no record on line ${notGenerated.slice(0, 5).join(', ')}; refresh and select again.`);
    if (!(await this.host.confirmDelete(chosen))) return;
    this.post({ type: 'busy', message: `Deleting ${chosen.length.toLocaleString('en-US')} generated records…` });
    const result = await deleteGeneratedRecords(
      this.datasetDir,
      chosen.map((line) => ({ file: GENERATED_FILE, line })),
      { expect: { size: generated.size, mtimeMs: generated.mtimeMs } },
    );
    await this.refresh({ rebuild: true });
    this.post({
      type: 'notice',
      message: `Deleted ${result.lines.length.toLocaleString('en-US')} generated record${result.lines.length === 1 ? '' : 's'} from ${GENERATED_FILE}; records.jsonl was not touched.`,
    });
    await this.host.changed(this.datasetDir);
  }

  /** A row the webview named: it must be a line of this dataset's index (never any other file). */
  private async rowOf(file: string, line: number): Promise<{ index: RecordsIndex; row: RecordRow }> {
    const index = await this.currentIndex(false);
    const row = index.find(file, line);
    if (!row) throw new Error('That record is not among those listed; refresh the list.');
    return { index, row };
  }

  private page(index: RecordsIndex) {
    const page = index.query(this.filter, { offset: this.offset, limit: RECORDS_PAGE_SIZE });
    if (page.rows.length > 0 || this.offset === 0) return page;
    // The list shrank under the page (deletion, new filter results): back to the last page that has rows.
    this.offset = Math.max(0, Math.floor((page.total - 1) / RECORDS_PAGE_SIZE) * RECORDS_PAGE_SIZE);
    return index.query(this.filter, { offset: this.offset, limit: RECORDS_PAGE_SIZE });
  }

  /** The index, built once and again only when a record file changed (labels are re-read when they changed). */
  private async currentIndex(rebuild: boolean): Promise<RecordsIndex> {
    if (this.building) return this.building;
    const known = this.index;
    if (known && !rebuild && !(await known.isStale(datasetRecordFiles(this.datasetDir)))) {
      await known.syncLabels();
      return known;
    }
    this.post({ type: 'busy', message: 'Reading the records…' });
    this.building = RecordsIndex.build(this.datasetDir);
    try {
      this.index = await this.building;
      return this.index;
    } finally {
      this.building = undefined;
    }
  }
}
