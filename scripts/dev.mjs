// `npm run dev`: the extension on the example dataset. Desktop VS Code when `code` is on PATH (Extension
// Development Host); otherwise the code-server of the E2E setup, with the packaged extension, and its URL.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, codeServerBin, setupE2e } from './setup-e2e.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join(root, 'examples', 'assistant-support');
const run = (command, args) => {
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};

if (spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0) {
  run('npm', ['run', '-s', 'build']);
  spawn('code', [`--extensionDevelopmentPath=${root}`, example], { stdio: 'inherit', detached: true }).unref();
} else {
  setupE2e();
  run('npm', ['run', '-s', 'package']);
  const home = path.join(cacheDir, 'dev');
  const dirs = ['--user-data-dir', path.join(home, 'user-data'), '--extensions-dir', path.join(home, 'extensions')];
  fs.mkdirSync(home, { recursive: true });
  run(codeServerBin, [...dirs, '--install-extension', path.join(root, 'dist', 'rft-studio.vsix'), '--force']);
  const port = process.env.PORT ?? '8080';
  console.log(`\nRFT Studio in code-server: http://127.0.0.1:${port}/?folder=${encodeURIComponent(example)}\n(Ctrl+C stops it)\n`);
  spawn(codeServerBin, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...dirs, '--disable-telemetry', '--disable-update-check', example], { stdio: 'inherit' });
}
