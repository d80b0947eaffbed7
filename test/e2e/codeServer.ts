// Starts the packaged extension in a real VS Code (code-server 4.100.3) and a headless Debian Chromium
// (CONTRIBUTING.md §E2E in code-server). Everything lives in a fresh temporary folder; nothing touches the user's VS Code.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
const CODE_SERVER = path.join(ROOT, '.cache', 'e2e', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.RFT_CHROMIUM ?? '/usr/bin/chromium';
export const OUTPUT = path.join(ROOT, '.test-output', 'e2e');

export interface Session {
  readonly workspace: string;
  readonly page: Page;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
}

/** Installs the .vsix into a fresh code-server, opens `workspace` in Chromium and waits for the workbench. */
export async function startSession(vsix: string, workspace: string): Promise<Session> {
  if (!fs.existsSync(CODE_SERVER)) throw new Error('code-server is not installed: run `node scripts/setup-e2e.mjs`');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-e2e-home-'));
  const userData = path.join(home, 'user-data');
  const extensions = path.join(home, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoUpdate': false,
      'security.workspace.trust.enabled': false,
    }),
  );
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data') };
  const install = spawnSync(CODE_SERVER, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing the extension failed: ${install.stderr || install.stdout}`);
  const port = await freePort();
  const log = fs.openSync(path.join(OUTPUT, 'code-server.log'), 'w');
  const server = spawn(
    CODE_SERVER,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      workspace,
    ],
    { env, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log); // the child has its own copy
  let browser: Browser | undefined;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, server);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 90_000 });
    const opened = browser;
    return {
      workspace,
      page,
      async close() {
        await opened.close().catch(() => undefined);
        await stop(server);
        fs.rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await stop(server);
    fs.rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

/** Ends code-server and waits until it has: SIGTERM, then SIGKILL if it is still there after 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a command from the command palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // On a busy machine a keypress can land while the workbench moves focus; open the palette again if it did not show.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Answers the open quick input (input box or quick pick) with text, or picks the row with that text. */
export async function answerQuickInput(page: Page, text: string, pickRow?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  if (pickRow) await page.locator('.quick-input-list .monaco-list-row', { hasText: pickRow }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

/** VS Code's own file dialog (the browser has no native one): type the path, then take the file. */
export async function answerFileDialog(page: Page, file: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(file);
  await page.waitForTimeout(800); // the dialog follows the typed path before it accepts it
  await page.keyboard.press('Enter');
  await page.waitForTimeout(800);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first();
  if ((await page.locator('.quick-input-widget').isVisible()) && (await row.count()) > 0) {
    await row.click();
    await page.waitForTimeout(300);
    if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Enter');
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`) });
}

/** Polls until `read` returns a value that `ok` accepts; fails with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not reached in ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}
