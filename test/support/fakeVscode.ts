// A stand-in `vscode` module for unit tests of the panels' host side: importing this file first makes
// `require('vscode')` give the few parts a dataset panel touches (a webview panel that records what is posted and
// lets a test deliver raw messages, Uri.joinPath, window.withProgress). Nothing else of VS Code is there.
import Module from 'node:module';

/** A webview panel as the panels use it: what the host posted, and the page's side to deliver messages. */
export class FakeWebviewPanel {
  title: string;
  readonly posted: unknown[] = [];
  private receiveListener: ((message: unknown) => void) | undefined;
  private readonly disposeListeners: (() => void)[] = [];
  readonly webview = {
    html: '',
    cspSource: 'fake-csp',
    options: {},
    asWebviewUri: (uri: FakeUri) => uri,
    postMessage: (message: unknown): Promise<boolean> => {
      this.posted.push(JSON.parse(JSON.stringify(message)));
      return Promise.resolve(true);
    },
    onDidReceiveMessage: (listener: (message: unknown) => void) => {
      this.receiveListener = listener;
      return { dispose: () => undefined };
    },
  };

  constructor(
    readonly viewType: string,
    title: string,
  ) {
    this.title = title;
  }

  /** The page posts a message, as raw as a hostile page may make it. */
  deliver(message: unknown): void {
    this.receiveListener?.(message);
  }

  onDidDispose(listener: () => void) {
    this.disposeListeners.push(listener);
    return { dispose: () => undefined };
  }

  reveal(): void {}

  dispose(): void {
    for (const listener of this.disposeListeners.splice(0)) listener();
  }
}

interface FakeUri {
  readonly path: string;
  toString(): string;
}

const uri = (path: string): FakeUri => ({ path, toString: () => path });

/** Every webview panel the fake window created, newest last. */
export const createdPanels: FakeWebviewPanel[] = [];

const fakeVscode = {
  Uri: { joinPath: (base: FakeUri, ...segments: string[]) => uri([base.path, ...segments].join('/')), file: uri },
  ViewColumn: { Active: -1 },
  ProgressLocation: { Window: 10 },
  window: {
    createWebviewPanel: (viewType: string, title: string) => {
      const panel = new FakeWebviewPanel(viewType, title);
      createdPanels.push(panel);
      return panel;
    },
    withProgress: (_options: unknown, work: (progress: { report(): void }) => Promise<unknown>) => work({ report: () => undefined }),
  },
};

/** What a panel's registry takes as the extension's context. */
export const fakeContext = { extensionUri: uri('/extension') };

const FAKE_PATH = '/fake/node_modules/vscode/index.js';
type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? FAKE_PATH : resolve.call(this, request, ...rest);
};
const cached = new Module(FAKE_PATH);
cached.exports = fakeVscode;
cached.loaded = true;
loader._cache[FAKE_PATH] = cached;
