// Installs the Debian packages the browser tests need, idempotently (npm test runs it before anything else):
// `chromium` for the webview and E2E tests, `ripgrep` + `libkrb5-dev` for code-server (E2E, CONTRIBUTING.md §E2E in code-server), and
// `python3-yaml` for the unit test that reads our LiteLLM config.yaml with PyYAML.
// Nothing happens when they are present, so it needs no network once installed. As root it runs apt-get
// (`apt-get update` only when the install fails or there are no package lists); otherwise `sudo -n apt-get`
// when sudo needs no password; otherwise it prints one line naming the missing packages and the command that
// installs them, and exits 1.
//
//   node scripts/setup-system.mjs            what `npm test` needs (the E2E packages unless RFT_SKIP_E2E is set)
//   node scripts/setup-system.mjs --webview  chromium only
//
// RFT_CHROMIUM=<path> brings your own browser: Debian's chromium is then not installed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const chromiumPath = process.env.RFT_CHROMIUM ?? '/usr/bin/chromium';
const log = (text) => process.stderr.write(`[setup-system] ${text}\n`);

/** A Debian package and the file that shows it is installed. */
const CHROMIUM = { name: 'chromium', file: '/usr/bin/chromium' };
const RIPGREP = { name: 'ripgrep', file: '/usr/bin/rg' };
const KRB5 = { name: 'libkrb5-dev', file: '/usr/include/krb5.h' };
/** PyYAML for Debian's python3: the unit tests read the LiteLLM config.yaml we write as the proxy does. */
const PYYAML = { name: 'python3-yaml', file: '/usr/lib/python3/dist-packages/yaml/__init__.py' };

/** The packages one kind of test needs. */
export function packagesFor(kind) {
  const browser = process.env.RFT_CHROMIUM ? [] : [CHROMIUM];
  if (kind === 'webview') return browser;
  if (kind === 'e2e') return [...browser, RIPGREP, KRB5];
  if (kind === 'test') return [...packagesFor(process.env.RFT_SKIP_E2E ? 'webview' : 'e2e'), PYYAML];
  throw new Error(`unknown kind: ${kind}`);
}

export class SetupError extends Error {}

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;

/** How apt-get can be run here: as root, through passwordless sudo, or not at all. */
function aptCommand() {
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  if (process.getuid?.() === 0) return ['apt-get'];
  if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n', 'apt-get'];
  return undefined;
}

function hasPackageLists() {
  try {
    return fs.readdirSync('/var/lib/apt/lists').some((file) => file.includes('_Packages'));
  } catch {
    return false;
  }
}

/**
 * Makes sure `packages` (default: what `npm test` needs) are installed; throws a SetupError with a one-line
 * message when they are not and cannot be installed from here.
 */
export function ensureSystemPackages(packages = packagesFor('test')) {
  if (process.env.RFT_CHROMIUM && !fs.existsSync(process.env.RFT_CHROMIUM)) log(`RFT_CHROMIUM=${process.env.RFT_CHROMIUM} does not exist: the browser tests will fail to launch it`);
  const missing = packages.filter((pkg) => !fs.existsSync(pkg.file)).map((pkg) => pkg.name);
  if (missing.length === 0) return;
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  const apt = aptCommand();
  if (!apt) {
    throw new SetupError(`missing Debian packages for the tests: ${missing.join(' ')}; install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(' ')} (${apt.join(' ')})`);
  const [command, ...prefix] = apt;
  let installed = hasPackageLists() && run(command, [...prefix, ...install]);
  if (!installed) {
    log('apt-get update, then the install again');
    installed = run(command, [...prefix, 'update']) && run(command, [...prefix, ...install]);
  }
  const still = packages.filter((pkg) => !fs.existsSync(pkg.file)).map((pkg) => pkg.name);
  if (!installed || still.length > 0) throw new SetupError(`installing ${missing.join(' ')} failed (${apt.join(' ')} ${install.join(' ')}); see the apt output above`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureSystemPackages(packagesFor(process.argv.includes('--webview') ? 'webview' : 'test'));
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    log(error.message);
    process.exit(1);
  }
}
