import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { Envelope } from '../../shared/ipc';
import { type AnswerSource, type GraderJson, type HostMessage, type SelfCheckView, type TestSampleRow, type WebviewMessage } from '../../shared/graderProtocol';
import { webviewMessages } from '../../shared/graderSchema';
import { wasStopped } from '../webview/panelCore';
import { DatasetPanel, DatasetPanels, type WebviewPageSpec } from '../webview/webviewPanel';

type GraderMessage = Omit<Extract<HostMessage, { type: 'grader' }>, 'type'>;
type CompiledMessage = Omit<Extract<HostMessage, { type: 'compiled' }>, 'type' | 'seq'>;

/** What the grader panel asks of the rest of the extension (graderHost.ts wires it to src/core/grader). */
export interface GraderHost {
  load(datasetDir: string): Promise<GraderMessage>;
  /** Validates a draft with grader.json's schema and compiles it for OpenAI. */
  compile(datasetDir: string, draft: unknown): Promise<CompiledMessage>;
  /** Validates and writes grader.json atomically; throws with the located reason when the draft is not valid. */
  save(datasetDir: string, draft: unknown): Promise<{ grader: GraderJson; summary: string }>;
  /** false when the user kept the grader they have. */
  usePreset(datasetDir: string, preset: string): Promise<boolean>;
  openScript(datasetDir: string, kind: 'js' | 'python', file: string, source?: string): Promise<void>;
  openGraderFile(datasetDir: string): Promise<void>;
  /** `draft`: the grader as edited (validated first); undefined: grader.json. */
  testSample(datasetDir: string, options: { from: AnswerSource; typed?: string; draft?: unknown }, signal: AbortSignal): Promise<{ rows: TestSampleRow[]; mean: number }>;
  selfCheck(datasetDir: string, draft: unknown, signal: AbortSignal): Promise<SelfCheckView>;
  openRecord(file: string, line: number): Promise<void>;
}

const PAGE: WebviewPageSpec<WebviewMessage> = { viewType: 'rftStudio.grader', page: 'grader', title: 'Grader', protocol: webviewMessages };

/** The grader editor of one dataset: a webview panel speaking the grader protocol. */
export class GraderPanel extends DatasetPanel<HostMessage, WebviewMessage> {
  /** The open editors, one per dataset: show, refresh, and the serializer that restores them after a reload. */
  /** A registry of this kind's open panels, one per dataset (Ctx's panels hold the one in use). */
  static registry(): DatasetPanels<GraderPanel, GraderHost> {
    return new DatasetPanels<GraderPanel, GraderHost>(PAGE, (panel, context, datasetDir, host) => new GraderPanel(panel, context, datasetDir, host));
  }

  /** Files of the Test Sample records shown, the only ones the webview may ask to open. */
  private readonly shownFiles = new Set<string>();
  /** Quick requests run one after another, in the order the webview sent them. */
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    datasetDir: string,
    private readonly host: GraderHost,
  ) {
    super(panel, context, PAGE, datasetDir);
  }

  refresh(): Promise<void> {
    return this.reload(
      () => this.host.load(this.datasetDir),
      (message) => ({ type: 'grader', ...message }),
    );
  }

  /** Test Sample, once the webview has loaded (the tree's and the palette's "Test Sample"). */
  testSample(from: AnswerSource, typed?: string, draft?: unknown): void {
    this.afterReady(() =>
      this.run(
        'testSample',
        'Testing the grader on 5 records',
        (signal) => this.host.testSample(this.datasetDir, { from, typed, draft }, signal),
        (result) => {
          for (const row of result.rows) this.shownFiles.add(row.file);
          this.post({ type: 'testResults', rows: result.rows, mean: result.mean });
        },
      ),
    );
  }

  selfCheck(draft?: unknown): void {
    this.afterReady(() =>
      this.run(
        'selfCheck',
        'Self-checking the grader',
        (signal) => this.host.selfCheck(this.datasetDir, draft, signal),
        (report) => this.post({ type: 'selfCheck', report }),
      ),
    );
  }

  protected receive(message: WebviewMessage, request: Envelope): void {
    if (message.type === 'cancel') {
      this.stop();
      return;
    }
    if (message.type === 'compile') {
      void this.answer(request, () => this.compile(message.seq, message.grader)); // answers carry their seq; the webview drops stale ones
      return;
    }
    this.queue = this.queue.then(() => this.answer(request, () => this.handle(message)));
  }

  protected async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.ready();
      case 'refresh':
        return this.refresh();
      case 'save': {
        this.post({ type: 'busy', message: 'Saving grader.json…' });
        const saved = await this.host.save(this.datasetDir, message.grader);
        this.post({ type: 'saved', ...saved });
        return;
      }
      case 'usePreset':
        if (await this.host.usePreset(this.datasetDir, message.preset)) await this.refresh();
        return;
      case 'openScript':
        return this.host.openScript(this.datasetDir, message.kind, message.file, message.source);
      case 'openGraderFile':
        return this.host.openGraderFile(this.datasetDir);
      case 'testSample':
        this.testSample(message.from, message.typed, message.grader);
        return;
      case 'selfCheck':
        this.selfCheck(message.grader);
        return;
      case 'openRecord':
        if (!this.shownFiles.has(message.file)) throw new Error('That record is not among those shown.');
        return this.host.openRecord(path.join(this.datasetDir, message.file), message.line); // files are sent relative to the dataset
      case 'compile':
      case 'cancel':
        return;
    }
  }

  private async compile(seq: number, grader: unknown): Promise<void> {
    this.post({ type: 'compiled', seq, ...(await this.host.compile(this.datasetDir, grader)) });
  }

  /** Long work: one at a time (a second is refused), cancellable from the webview (its Cancel button posts `cancel`). */
  private run<T>(kind: 'testSample' | 'selfCheck', title: string, work: (signal: AbortSignal) => Promise<T>, done: (result: T) => void): void {
    void this.guarded(() =>
      this.runExclusive('A run is in progress: wait for it, or cancel it.', async (signal) => {
        this.post({ type: 'busy', message: `${title}…`, cancellable: true, run: kind });
        try {
          // The editor shows the run and its Cancel button; the status bar shows that one is going.
          done(await this.port.withProgress(`RFT: ${title}`, () => work(signal)));
        } catch (error) {
          if (!wasStopped(signal, error)) throw error;
          this.post({ type: 'error', message: `${title}: cancelled.` });
        }
      }),
    );
  }
}
