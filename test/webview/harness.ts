// Serves a webview page the way VS Code would and opens it in headless Chromium (docs/ARCHITECTURE.md §Tests, test/webview).
// The page is the REAL document from webviewHtml() (so the real CSP and nonce are under test) with the real built
// bundle and stylesheets; a nonce'd harness script stands in for the VS Code webview host: it defines
// acquireVsCodeApi(), records what the page posts, keeps its state across reloads, and sets the --vscode-*
// theme variables and body classes VS Code would set.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newNonce, pageStylesheets, webviewHtml } from '../../src/extension/webview/webviewHtml';
import type { CoverageViewState, HostMessage, WebviewMessage } from '../../src/shared/coverageProtocol';
import type * as DeployMessages from '../../src/shared/deployProtocol';
import type * as DryRunMessages from '../../src/shared/dryRunProtocol';
import type * as GenerateMessages from '../../src/shared/generateProtocol';
import type * as GraderMessages from '../../src/shared/graderProtocol';
import type * as PlaygroundMessages from '../../src/shared/playgroundProtocol';
import type * as RecordsMessages from '../../src/shared/recordsProtocol';
import type * as TrainMessages from '../../src/shared/trainProtocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const OUTPUT = path.join(ROOT, '.test-output', 'webview');
const CHROMIUM = process.env.RFT_CHROMIUM ?? '/usr/bin/chromium';

/** The files the page may load, by URL path. */
const STATIC: Readonly<Record<string, { file: string; type: string }>> = {
  '/media/webview.css': { file: path.join(ROOT, 'media', 'webview.css'), type: 'text/css' },
  '/dist/webview/coverage.js': { file: path.join(ROOT, 'dist', 'webview', 'coverage.js'), type: 'text/javascript' },
  '/media/coverage.css': { file: path.join(ROOT, 'media', 'coverage.css'), type: 'text/css' },
  '/dist/webview/grader.js': { file: path.join(ROOT, 'dist', 'webview', 'grader.js'), type: 'text/javascript' },
  '/media/grader.css': { file: path.join(ROOT, 'media', 'grader.css'), type: 'text/css' },
  '/dist/webview/dryrun.js': { file: path.join(ROOT, 'dist', 'webview', 'dryrun.js'), type: 'text/javascript' },
  '/media/dryrun.css': { file: path.join(ROOT, 'media', 'dryrun.css'), type: 'text/css' },
  '/dist/webview/train.js': { file: path.join(ROOT, 'dist', 'webview', 'train.js'), type: 'text/javascript' },
  '/media/train.css': { file: path.join(ROOT, 'media', 'train.css'), type: 'text/css' },
  '/dist/webview/generate.js': { file: path.join(ROOT, 'dist', 'webview', 'generate.js'), type: 'text/javascript' },
  '/media/generate.css': { file: path.join(ROOT, 'media', 'generate.css'), type: 'text/css' },
  '/dist/webview/records.js': { file: path.join(ROOT, 'dist', 'webview', 'records.js'), type: 'text/javascript' },
  '/media/records.css': { file: path.join(ROOT, 'media', 'records.css'), type: 'text/css' },
  '/dist/webview/deploy.js': { file: path.join(ROOT, 'dist', 'webview', 'deploy.js'), type: 'text/javascript' },
  '/media/deploy.css': { file: path.join(ROOT, 'media', 'deploy.css'), type: 'text/css' },
  '/dist/webview/playground.js': { file: path.join(ROOT, 'dist', 'webview', 'playground.js'), type: 'text/javascript' },
  '/media/playground.css': { file: path.join(ROOT, 'media', 'playground.css'), type: 'text/css' },
};

/** A page's messages and state (each webview has its own protocol in src/shared). */
export interface PageProtocol {
  readonly host: { readonly type: string };
  readonly webview: { readonly type: string };
  readonly state: unknown;
}
export interface CoverageProtocol extends PageProtocol {
  readonly host: HostMessage;
  readonly webview: WebviewMessage;
  readonly state: CoverageViewState;
}
export interface GraderProtocol extends PageProtocol {
  readonly host: GraderMessages.HostMessage;
  readonly webview: GraderMessages.WebviewMessage;
  readonly state: GraderMessages.GraderViewState;
}

export interface DryRunProtocol extends PageProtocol {
  readonly host: DryRunMessages.HostMessage;
  readonly webview: DryRunMessages.WebviewMessage;
  readonly state: DryRunMessages.DryRunViewState;
}

export interface GenerateProtocol extends PageProtocol {
  readonly host: GenerateMessages.HostMessage;
  readonly webview: GenerateMessages.WebviewMessage;
  readonly state: GenerateMessages.GenerateViewState;
}

export interface TrainProtocol extends PageProtocol {
  readonly host: TrainMessages.HostMessage;
  readonly webview: TrainMessages.WebviewMessage;
  readonly state: TrainMessages.TrainViewState;
}

export interface RecordsProtocol extends PageProtocol {
  readonly host: RecordsMessages.HostMessage;
  readonly webview: RecordsMessages.WebviewMessage;
  readonly state: RecordsMessages.RecordsViewState;
}

export interface DeployProtocol extends PageProtocol {
  readonly host: DeployMessages.HostMessage;
  readonly webview: DeployMessages.WebviewMessage;
  readonly state: DeployMessages.DeployViewState;
}

export interface PlaygroundProtocol extends PageProtocol {
  readonly host: PlaygroundMessages.HostMessage;
  readonly webview: PlaygroundMessages.WebviewMessage;
  readonly state: PlaygroundMessages.PlaygroundViewState;
}

/** The pages the harness serves: URL path and page name (its bundle and stylesheet). */
const PAGES = {
  coverage: { url: '/', bundle: 'coverage', title: 'Coverage' },
  grader: { url: '/grader', bundle: 'grader', title: 'Grader' },
  dryrun: { url: '/dryrun', bundle: 'dryrun', title: 'Dry Run' },
  train: { url: '/train', bundle: 'train', title: 'Training' },
  generate: { url: '/generate', bundle: 'generate', title: 'Generate Samples' },
  records: { url: '/records', bundle: 'records', title: 'Records' },
  deploy: { url: '/deploy', bundle: 'deploy', title: 'Results & Deploy' },
  playground: { url: '/playground', bundle: 'playground', title: 'Playground' },
} as const;
export type PageName = keyof typeof PAGES;
/** Each page's protocol. */
interface ProtocolOf {
  readonly coverage: CoverageProtocol;
  readonly grader: GraderProtocol;
  readonly dryrun: DryRunProtocol;
  readonly generate: GenerateProtocol;
  readonly train: TrainProtocol;
  readonly records: RecordsProtocol;
  readonly deploy: DeployProtocol;
  readonly playground: PlaygroundProtocol;
}

/** An inline script without the nonce: the CSP must stop it (and Chromium logs that, with the script's hash). */
const PROBE_SOURCE = 'window.__inlineRan = true;';
const INLINE_PROBE = `<script>${PROBE_SOURCE}</script>`;
const PROBE_HASH = `sha256-${createHash('sha256').update(PROBE_SOURCE).digest('base64')}`;

/**
 * The page's window as the tests see it inside page.evaluate callbacks, written as `globalThis as unknown as
 * HarnessWindow`: the tests type-check in Node without the DOM lib, so the few browser parts they touch are here.
 */
export interface HarnessWindow {
  postMessage(message: unknown, targetOrigin: string): void;
  document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null };
  __posted: { type: string }[];
  __state: unknown;
  __cspViolations: { directive: string; blocked: string; sample: string }[];
  __setTheme(kind: 'dark' | 'light'): void;
  __inlineRan?: boolean;
  __pwned?: number;
}

export class WebviewHarness {
  private constructor(
    private readonly server: http.Server,
    private readonly browser: Browser,
    readonly origin: string,
  ) {}

  static async start(): Promise<WebviewHarness> {
    const bundle = STATIC['/dist/webview/coverage.js'];
    if (!fs.existsSync(bundle.file)) throw new Error(`${bundle.file} is missing: run "npm run build" first.`);
    const server = http.createServer((request, response) => serve(request, response, origin));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      return new WebviewHarness(server, await sharedBrowser(), origin);
    } catch (error) {
      // No harness to close() comes back, so the server this opened is closed here (else mocha would never exit).
      await closeServer(server);
      throw error;
    }
  }

  /** A fresh page (own storage) showing a webview (the coverage dashboard unless named), once it has posted `ready`. */
  async open(): Promise<WebviewPage<CoverageProtocol>>;
  async open(name: 'grader'): Promise<WebviewPage<GraderProtocol>>;
  async open(name: 'dryrun'): Promise<WebviewPage<DryRunProtocol>>;
  async open(name: 'train'): Promise<WebviewPage<TrainProtocol>>;
  async open(name: 'generate'): Promise<WebviewPage<GenerateProtocol>>;
  async open(name: 'records'): Promise<WebviewPage<RecordsProtocol>>;
  async open(name: 'deploy'): Promise<WebviewPage<DeployProtocol>>;
  async open(name: 'playground'): Promise<WebviewPage<PlaygroundProtocol>>;
  async open(name: PageName): Promise<WebviewPage<PageProtocol>>;
  async open(name: PageName = 'coverage'): Promise<WebviewPage<PageProtocol>> {
    const bundle = STATIC[`/dist/webview/${PAGES[name].bundle}.js`];
    if (!fs.existsSync(bundle.file)) throw new Error(`${bundle.file} is missing: run "npm run build" first.`);
    const context = await this.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const webview = new WebviewPage(page);
    await page.goto(`${this.origin}${PAGES[name].url}`);
    await webview.waitForPosted('ready');
    return webview;
  }

  /** Closes the server (the browser is shared by every suite and closed after the run). */
  async close(): Promise<void> {
    await closeServer(this.server);
  }
}

/**
 * One Chromium for the whole run: each test still gets its own browser context (own storage, own page), so sharing
 * the process only saves a launch per suite. A browser that died is launched again.
 */
let browserLaunch: Promise<Browser> | undefined;

async function sharedBrowser(): Promise<Browser> {
  const running = await browserLaunch?.catch(() => undefined);
  if (running?.isConnected()) return running;
  browserLaunch = chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return browserLaunch;
}

// A root hook (this file is loaded with the suites): the shared browser closes once every suite has run.
after(async () => {
  const browser = await browserLaunch?.catch(() => undefined);
  browserLaunch = undefined;
  await browser?.close();
});

/**
 * A suite's mocha hooks: one harness for the suite (released after it, even when its `before` failed), a fresh
 * page for each test, given to `opened`, and closed after the test; a test that passed must leave no page errors.
 */
export function pageForEachTest<N extends PageName>(name: N, opened: (page: WebviewPage<ProtocolOf[N]>) => void): void {
  let harness: WebviewHarness | undefined;
  /** The page the current test opened; undefined when its beforeEach failed (or between tests). */
  let page: WebviewPage<PageProtocol> | undefined;

  before(async () => {
    harness = await WebviewHarness.start();
  });

  after(async () => {
    await harness?.close();
  });

  beforeEach(async () => {
    page = undefined;
    if (!harness) throw new Error('The webview harness did not start.');
    page = await harness.open(name);
    opened(page as WebviewPage<ProtocolOf[N]>);
  });

  afterEach(async function () {
    if (!page) return;
    const { errors } = page;
    await page.close();
    page = undefined;
    if (this.currentTest?.state === 'passed') assert.deepEqual(errors, [], 'the page logged errors');
  });
}

/**
 * The page's CSP holds: the harness's inline probe (no nonce) did not run and is the one violation, and scripts
 * run only with a 32-character nonce, nothing else being allowed by default.
 */
export async function assertStrictCsp(webview: WebviewPage<PageProtocol>): Promise<void> {
  const probe = await webview.page.evaluate(() => {
    const win = globalThis as unknown as HarnessWindow;
    return { ran: win.__inlineRan, violations: win.__cspViolations };
  });
  assert.equal(probe.ran, undefined);
  assert.equal(probe.violations.length, 1, `only the probe violates the CSP: ${JSON.stringify(probe.violations)}`);
  assert.match(probe.violations[0].directive, /^script-src/);
  assert.equal(probe.violations[0].blocked, 'inline');
  const csp = await webview.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp ?? '', /script-src 'nonce-[A-Za-z0-9_-]{32}';/);
  assert.match(csp ?? '', /default-src 'none'/);
}

/** Stops listening and drops open (keep-alive) connections, so nothing keeps the process alive. */
function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A loaded webview page and what a test does with it as the host. */
export class WebviewPage<P extends PageProtocol = CoverageProtocol> {
  /** Uncaught errors and console errors of the page: a test ends with none. */
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes(PROBE_HASH)) this.errors.push(message.text());
    });
  }

  /** Delivers a host message the way VS Code does: a `message` event on the page's window. */
  async send(message: P['host']): Promise<void> {
    await this.page.evaluate((data) => (globalThis as unknown as HarnessWindow).postMessage(data, '*'), message);
  }

  async posted(): Promise<P['webview'][]> {
    return (await this.page.evaluate(() => (globalThis as unknown as HarnessWindow).__posted)) as P['webview'][];
  }

  async postedOfType<T extends P['webview']['type']>(type: T): Promise<Extract<P['webview'], { type: T }>[]> {
    return (await this.posted()).filter((message): message is Extract<P['webview'], { type: T }> => message.type === type);
  }

  async waitForPosted(type: P['webview']['type'], count = 1): Promise<void> {
    await this.page.waitForFunction(([wanted, n]) => (globalThis as unknown as HarnessWindow).__posted.filter((message) => message.type === wanted).length >= n, [type, count] as const);
  }

  async state(): Promise<P['state'] | undefined> {
    return (await this.page.evaluate(() => (globalThis as unknown as HarnessWindow).__state)) as P['state'] | undefined;
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForPosted('ready');
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

function serve(request: http.IncomingMessage, response: http.ServerResponse, origin: string): void {
  const url = new URL(request.url ?? '/', origin);
  const page = (Object.keys(PAGES) as PageName[]).find((name) => PAGES[name].url === url.pathname);
  if (page) return send(response, 200, 'text/html', harnessPage(origin, page));
  if (url.pathname === '/harness.js') return send(response, 200, 'text/javascript', HOST_SCRIPT);
  if (url.pathname === '/favicon.ico') return send(response, 204, 'image/x-icon', '');
  const entry = STATIC[url.pathname];
  if (!entry) return send(response, 404, 'text/plain', 'not found');
  send(response, 200, entry.type, fs.readFileSync(entry.file));
}

function send(response: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  response.end(body);
}

/** The page's real document, plus the host script (with the nonce), the CSP probe (without) and the body's theme classes. */
function harnessPage(origin: string, name: PageName): string {
  const nonce = newNonce();
  const { bundle, title } = PAGES[name];
  const html = webviewHtml({
    cspSource: origin,
    nonce,
    scriptUri: `${origin}/dist/webview/${bundle}.js`,
    styleUris: pageStylesheets(bundle).map((file) => `${origin}/media/${file}`),
    title,
  });
  const hostScript = `<script nonce="${nonce}" src="${origin}/harness.js"></script>`;
  return html
    .replace('</head>', `  ${hostScript}\n  ${INLINE_PROBE}\n</head>`)
    .replace('<body>', '<body class="vscode-dark" data-vscode-theme-kind="vscode-dark" data-vscode-theme-name="Dark Modern">');
}

// Theme variables as VS Code injects them (a subset of Dark Modern and Light Modern).
const COMMON_THEME = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
};

const DARK_THEME = {
  ...COMMON_THEME,
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-errorForeground': '#f85149',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-editorWidget-border': '#313131',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-border': 'rgba(255, 255, 255, 0.07)',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textLink-activeForeground': '#4daafc',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-progressBar-background': '#0078d4',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
};

const LIGHT_THEME = {
  ...COMMON_THEME,
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#616161',
  '--vscode-errorForeground': '#f85149',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-editorWidget-border': '#e5e5e5',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#0258a8',
  '--vscode-button-border': 'rgba(0, 0, 0, 0.1)',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-button-secondaryHoverBackground': '#cccccc',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#3b3b3b',
  '--vscode-input-border': '#cecece',
  '--vscode-inputValidation-errorBackground': '#f2dede',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-textLink-activeForeground': '#005fb8',
  '--vscode-list-hoverBackground': '#f2f2f2',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-progressBar-background': '#005fb8',
  '--vscode-charts-foreground': '#616161',
  '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-purple': '#652d90',
};

/** The stand-in for VS Code's side of the webview, run in the page before the bundle. */
const HOST_SCRIPT = `(() => {
  const STATE_KEY = 'vscode-webview-state';
  const themes = { dark: ${JSON.stringify(DARK_THEME)}, light: ${JSON.stringify(LIGHT_THEME)} };
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
  });
  const saved = sessionStorage.getItem(STATE_KEY);
  window.__state = saved === null ? undefined : JSON.parse(saved);
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => window.__state,
      setState: (state) => {
        window.__state = JSON.parse(JSON.stringify(state));
        sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
        return state;
      },
    });
  };
  // VS Code sets the theme's variables on <html> through the CSSOM and swaps the body's theme classes.
  const applyVariables = (kind) => {
    for (const [name, value] of Object.entries(themes[kind])) document.documentElement.style.setProperty(name, value);
  };
  window.__setTheme = (kind) => {
    applyVariables(kind);
    document.body.classList.remove('vscode-dark', 'vscode-light');
    document.body.classList.add('vscode-' + kind);
    document.body.dataset.vscodeThemeKind = 'vscode-' + kind;
  };
  applyVariables('dark');
})();
`;
