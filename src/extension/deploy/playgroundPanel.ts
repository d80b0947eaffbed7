// The playground panel of one dataset (step 7 "Test Playground"): one prompt — typed, or a validation record — sent
// to the base and the tuned model side by side, both answers streamed into their columns, then each scored by the
// grader with the judge's steps. The work is the host's (playgroundHost.ts) over src/core.
import * as vscode from 'vscode';
import { type HostMessage, type Side, type WebviewMessage } from '../../shared/playgroundProtocol';
import { MAX_PROMPT_CHARS, webviewMessages } from '../../shared/playgroundSchema';
import { DatasetPanel, DatasetPanels, type WebviewPageSpec } from '../webview/webviewPanel';
import { wasStopped } from '../webview/panelCore';
import type { Throttle } from '../webview/throttle';

type PlaygroundMessage = Omit<Extract<HostMessage, { type: 'playground' }>, 'type'>;

export interface PlaygroundAsk {
  readonly prompt?: string;
  readonly recordKey?: string;
  readonly base: string;
}

/** What one ask reports, side by side. */
export interface PlaygroundEvents {
  started(prompt: string, models: Record<Side, string>): void;
  text(side: Side, text: string): void;
  answered(side: Side, toolCalls: string | undefined, error: string | undefined): void;
  scored(side: Side, score: number | null, steps: string[], subScores: Record<string, number> | undefined, error: string | undefined): void;
}

export interface PlaygroundHost {
  load(datasetDir: string): Promise<PlaygroundMessage>;
  ask(datasetDir: string, ask: PlaygroundAsk, signal: AbortSignal, events: PlaygroundEvents): Promise<void>;
}

const PAGE: WebviewPageSpec<WebviewMessage> = { viewType: 'rftStudio.playground', page: 'playground', title: 'Playground', protocol: webviewMessages };
/** Streamed text is sent at most this often per side (a fast server sends hundreds of tiny deltas). */
const CHUNK_INTERVAL_MS = 50;

export class PlaygroundPanel extends DatasetPanel<HostMessage, WebviewMessage> {
  /** A registry of this kind's open panels, one per dataset (Ctx's panels hold the one in use). */
  static registry(): DatasetPanels<PlaygroundPanel, PlaygroundHost> {
    return new DatasetPanels<PlaygroundPanel, PlaygroundHost>(PAGE, (panel, context, datasetDir, host) => new PlaygroundPanel(panel, context, datasetDir, host));
  }

  private asks = 0;

  private constructor(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    datasetDir: string,
    private readonly host: PlaygroundHost,
  ) {
    super(panel, context, PAGE, datasetDir);
  }

  refresh(): Promise<void> {
    return this.reload(
      () => this.host.load(this.datasetDir),
      (message) => ({ type: 'playground', ...message }),
    );
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
      case 'ask': {
        const prompt = message.prompt?.trim() ? message.prompt.slice(0, MAX_PROMPT_CHARS) : undefined;
        const recordKey = message.recordKey || undefined;
        if (!prompt && !recordKey) throw new Error('Type a prompt, or pick a validation record.');
        return this.askNow({ ...(prompt ? { prompt } : {}), ...(recordKey ? { recordKey } : {}), base: message.base });
      }
    }
  }

  /** One ask at a time (a second is refused); Stop and closing the panel abort it. */
  private async askNow(ask: PlaygroundAsk): Promise<void> {
    await this.runExclusive('Both models are still answering: wait, or Stop.', async (signal) => {
      const id = ++this.asks;
      const buffer = new ChunkBuffer(
        (side, text) => this.post({ type: 'chunk', id, side, text }),
        (send) => this.throttle(CHUNK_INTERVAL_MS, send),
      );
      const events: PlaygroundEvents = {
        started: (prompt, models) => this.post({ type: 'started', id, prompt, models }),
        text: (side, text) => buffer.add(side, text),
        answered: (side, toolCalls, error) => {
          buffer.flush();
          this.post({ type: 'answered', id, side, ...(toolCalls ? { toolCalls } : {}), ...(error ? { error } : {}) });
        },
        scored: (side, score, steps, subScores, error) => this.post({ type: 'scored', id, side, score, steps, ...(subScores ? { subScores } : {}), ...(error ? { error } : {}) }),
      };
      try {
        await this.host.ask(this.datasetDir, ask, signal, events);
        buffer.flush();
        this.post({ type: 'finished', id, outcome: signal.aborted ? 'cancelled' : 'done' });
      } catch (error) {
        buffer.flush();
        this.post(
          wasStopped(signal, error)
            ? { type: 'finished', id, outcome: 'cancelled', message: 'Stopped.' }
            : { type: 'finished', id, outcome: 'failed', message: error instanceof Error ? error.message : String(error) },
        );
      }
    });
  }
}

/** Streamed text per side, sent at most every 50 ms (and on flush). */
class ChunkBuffer {
  private readonly pending: Record<Side, string> = { base: '', tuned: '' };
  private readonly throttle: Throttle;

  constructor(
    private readonly send: (side: Side, text: string) => void,
    throttle: (send: () => void) => Throttle,
  ) {
    this.throttle = throttle(() => this.sendPending());
  }

  add(side: Side, text: string): void {
    this.pending[side] += text;
    this.throttle.request();
  }

  flush(): void {
    this.throttle.flush();
  }

  private sendPending(): void {
    for (const side of ['base', 'tuned'] as const) {
      if (!this.pending[side]) continue;
      this.send(side, this.pending[side]);
      this.pending[side] = '';
    }
  }
}
