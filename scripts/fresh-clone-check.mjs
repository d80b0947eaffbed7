// Does the README's Quick start work on a fresh clone? Clones this repository's committed HEAD into a
// temporary folder and runs the README's two commands there, one after the other, in a clean environment:
//
//   npm ci && npm run demo
//   npm ci && npm test
//
// Clean: a fresh HOME (so an empty npm cache and no ~/.npmrc) and TMPDIR, and only the machine's PATH,
// locale, terminal and TLS/proxy settings are passed on (no RFT_*, no npm_* from an outer `npm run`, no API
// keys). Prints each step's time; exits 1 when a step fails (the clone is then kept for a look).
// Slow (a fresh npm ci, code-server's install and the E2E suite); not part of `npm test`.
//
//   node scripts/fresh-clone-check.mjs [--keep] [--ref <commit>]
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const ref = args.includes('--ref') ? args[args.indexOf('--ref') + 1] : 'HEAD';
const STEP_TIMEOUT_MS = 60 * 60_000;
const say = (text) => process.stdout.write(`[fresh-clone-check] ${text}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;

/** What a new user's shell on this machine would have: no project, npm or test variables. */
const PASSED_ON = /^(PATH|LANG|LANGUAGE|LC_[A-Z]+|TERM|SHELL|USER|LOGNAME|TZ|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy)$/;

function cleanEnv(base) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => PASSED_ON.test(name)));
  const home = path.join(base, 'home');
  const tmp = path.join(base, 'tmp');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  return { ...env, HOME: home, TMPDIR: tmp };
}

/** Runs a shell command in its own process group; resolves with its exit code (killed after STEP_TIMEOUT_MS). */
function step(command, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: 'inherit', detached: true });
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      say(`"${command}" ran past ${seconds(STEP_TIMEOUT_MS)}: killed`);
      kill();
    }, STEP_TIMEOUT_MS);
    const interrupted = () => {
      kill();
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function main() {
  const commit = execFileSync('git', ['rev-parse', ref], { cwd: root, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-fresh-clone-'));
  const clone = path.join(base, 'rft-studio');
  say(`cloning ${commit.slice(0, 12)} of ${root} into ${clone}${dirty ? ' (uncommitted changes here are not in it)' : ''}`);
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone]);
  execFileSync('git', ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', commit], { cwd: clone });
  const env = cleanEnv(base);
  say(`HOME=${env.HOME} TMPDIR=${env.TMPDIR}; ${os.cpus().length} CPUs, Node ${process.version}, uid ${process.getuid?.()}`);

  const timings = [];
  const started = Date.now();
  let failed;
  for (const command of ['npm ci && npm run demo', 'npm ci && npm test']) {
    say(`$ ${command}`);
    const t0 = Date.now();
    const code = await step(command, clone, env);
    timings.push({ command, ms: Date.now() - t0, code });
    say(`${command}: exit ${code} after ${seconds(Date.now() - t0)}`);
    if (code !== 0) {
      failed = command;
      break;
    }
  }

  say(`summary (${commit.slice(0, 12)}, ${os.cpus().length} CPUs):`);
  for (const { command, ms, code } of timings) say(`  ${code === 0 ? 'ok  ' : 'FAIL'}  ${seconds(ms).padStart(7)}  ${command}`);
  say(`  total ${seconds(Date.now() - started)}`);
  if (failed) {
    say(`"${failed}" failed; the clone is kept in ${clone}`);
    process.exit(1);
  }
  if (keep) say(`kept ${base}`);
  else fs.rmSync(base, { recursive: true, force: true });
}

await main();
