// Shared by the benchmarks: run a Node child, timed from spawn to exit, with the CLI's peak RSS.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;

/** `node -e CLI_WITH_RSS <rft args>` runs the CLI in-process, like bin/rft.js, and reports its peak RSS (kB). */
export const CLI_WITH_RSS = `
const { runCli } = require(${JSON.stringify(path.join(root, 'dist', 'cli.js'))});
let out = '';
runCli(process.argv.slice(1), { out: (s) => { out += s; }, err: (s) => process.stderr.write(s) }).then((code) => {
  process.stdout.write(out);
  process.stderr.write('\\n@@RSS ' + process.resourceUsage().maxRSS + '\\n');
  process.exitCode = code;
});`;

/** Runs `node ...args`; exit codes 0 and 1 (some invalid records) are results, anything else a failure. */
export function runNode(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const rss = /@@RSS (\d+)/.exec(stderr);
      if (code !== 0 && code !== 1) reject(new Error(`node ${args.slice(0, 2).join(' ')} exited with ${code}: ${stderr.slice(-2000)}`));
      else resolve({ seconds, stdout, peakRssMb: rss ? round(Number(rss[1]) / 1024, 1) : undefined });
    });
  });
}
