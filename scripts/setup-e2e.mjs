// Installs what the E2E suite needs, idempotently, into the git-ignored .cache/e2e (CONTRIBUTING.md §E2E in code-server):
// code-server 4.100.3 (a real VS Code 1.100.3 served to a browser). Debian's Chromium, ripgrep and the
// code-server build deps come from apt through scripts/setup-system.mjs (which `npm test` runs first).
// Once installed, nothing here needs the network.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, ensureSystemPackages, packagesFor, SetupError } from './setup-system.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = path.join(root, '.cache', 'e2e');
export const codeServerBin = path.join(cacheDir, 'node_modules', '.bin', 'code-server');
export { chromiumPath };
const log = (text) => process.stderr.write(`[setup-e2e] ${text}\n`);

function installedVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(cacheDir, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** code-server's ripgrep post-install downloads a binary; give it Debian's rg from the cache it looks in first. */
function seedRipgrepCache(tmp) {
  const cache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const archive = path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (fs.existsSync(archive)) return;
  fs.mkdirSync(cache, { recursive: true });
  const staging = fs.mkdtempSync(path.join(tmp, 'rg-'));
  fs.copyFileSync('/usr/bin/rg', path.join(staging, 'rg'));
  execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
}

/**
 * code-server builds native modules (argon2); node-gyp would download Node's headers from nodejs.org, which
 * these machines cannot reach. When the running Node has its headers installed next to it, use those.
 */
function nodeHeadersEnv() {
  if (process.env.npm_config_nodedir) return {};
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

function installCodeServer() {
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = path.join(cacheDir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  seedRipgrepCache(tmp);
  fs.writeFileSync(path.join(cacheDir, 'package.json'), JSON.stringify({ name: 'rft-e2e-cache', private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2));
  log(`npm install code-server@${CODE_SERVER_VERSION} (about a minute)`);
  const result = spawnSync('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--no-audit', '--no-fund'], {
    cwd: cacheDir,
    stdio: 'inherit',
    env: { ...process.env, ...nodeHeadersEnv(), TMPDIR: tmp, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
  });
  if (result.status !== 0) throw new Error(`npm install code-server failed (${result.status})`);
  // npm 11 runs install scripts only for approved packages; make sure code-server's post-install ran.
  if (!fs.existsSync(path.join(cacheDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) {
    const rebuild = spawnSync('npm', ['rebuild', 'code-server', '--unsafe-perm'], {
      cwd: cacheDir,
      stdio: 'inherit',
      env: { ...process.env, ...nodeHeadersEnv(), TMPDIR: tmp, npm_config_unsafe_perm: 'true' },
    });
    if (rebuild.status !== 0) throw new Error('code-server post-install failed');
  }
}

export function setupE2e() {
  ensureSystemPackages(packagesFor('e2e'));
  if (installedVersion() !== CODE_SERVER_VERSION || !fs.existsSync(codeServerBin)) installCodeServer();
  else log(`code-server ${CODE_SERVER_VERSION} already in ${path.relative(root, cacheDir)}`);
  const version = execFileSync(codeServerBin, ['--version'], { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } })
    .trim()
    .split('\n')
    .pop();
  log(`code-server: ${version}; chromium: ${chromiumPath}`);
}

/** setupE2e() for a command line: a missing package is one line on stderr and exit code 1, not a stack trace. */
export function setupE2eOrExit() {
  try {
    setupE2e();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    log(error.message);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) setupE2eOrExit();
