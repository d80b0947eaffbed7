// `node bench/graderSandbox.mjs` (after `npm run build`): the script-grader sandboxes as they ship — the host side
// bundled as the extension and the CLI bundle it, beside dist/graderWorker.js and dist/pyodide/ — timed on 10,000
// calls of a simple js grader and a simple python grader: one at a time, and 256 in flight as the engine sends
// them; plus the first call (worker start, and Pyodide's load). Prints one JSON object.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const CALLS = Number(process.env.RFT_BENCH_CALLS ?? 10_000);
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const dist = path.join(root, 'dist');
if (!fs.existsSync(path.join(dist, 'graderWorker.js')) || !fs.existsSync(path.join(dist, 'pyodide', 'pyodide.asm.wasm'))) {
  console.error('dist/graderWorker.js or dist/pyodide/ is missing: run `npm run build` first');
  process.exit(1);
}
const dir = path.join(root, 'bench', '.data', 'grader-sandbox');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
fs.copyFileSync(path.join(dist, 'graderWorker.js'), path.join(dir, 'graderWorker.js'));
fs.symlinkSync(path.join(dist, 'pyodide'), path.join(dir, 'pyodide'), 'dir');
await esbuild.build({
  stdin: { contents: "export { JsSandbox, jsGraderInput } from './src/core/grader/sandbox/jsSandbox';\nexport { PythonSandbox } from './src/core/grader/sandbox/pythonSandbox';", resolveDir: root, loader: 'ts' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: path.join(dir, 'sandboxes.js'),
  logLevel: 'silent',
});
const { JsSandbox, jsGraderInput, PythonSandbox } = createRequire(import.meta.url)(path.join(dir, 'sandboxes.js'));

const words = 'how do I reset my card pin after three wrong tries at the cash machine today'.split(' ');
const pairs = Array.from({ length: 500 }, (_, i) => {
  const text = Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
  const reference = Array.from({ length: 10 }, (_, j) => words[(i * 5 + j) % words.length]).join(' ');
  return { sample: { output_text: text }, item: { messages: [{ role: 'system', content: 'You are a bank assistant.' }, { role: 'user', content: `Question ${i}: ${reference}?` }], reference_answer: reference } };
});
const JS = 'function grade(input) { const a = input.response.toLowerCase().split(/\\s+/); const b = new Set(String(input.item.reference_answer).toLowerCase().split(/\\s+/)); return a.filter((w) => b.has(w)).length / Math.max(1, a.length); }';
const PYTHON = 'def grade(sample, item):\n    a = sample["output_text"].lower().split()\n    b = set(str(item["reference_answer"]).lower().split())\n    return sum(1 for w in a if w in b) / max(1, len(a))\n';

async function measure(name, create, call) {
  let started = performance.now();
  const sandbox = await create();
  const first = await call(sandbox, pairs[0]);
  if (!first.ok) throw new Error(`${name}: ${first.message}`);
  const firstCallMs = round(performance.now() - started);
  started = performance.now();
  let errors = 0;
  for (let i = 0; i < CALLS; i++) if (!(await call(sandbox, pairs[i % pairs.length])).ok) errors++;
  const sequential = CALLS / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let at = 0; at < CALLS; at += 256) {
    const batch = Array.from({ length: Math.min(256, CALLS - at) }, (_, i) => call(sandbox, pairs[(at + i) % pairs.length]));
    errors += (await Promise.all(batch)).filter((outcome) => !outcome.ok).length;
  }
  const inFlight = CALLS / ((performance.now() - started) / 1000);
  await sandbox.dispose();
  return [name, { calls: CALLS, firstCallMs, scoresPerSecond: round(sequential), scoresPerSecond256InFlight: round(inFlight), errors }];
}

const results = Object.fromEntries([
  await measure('js', () => JsSandbox.create(), (sandbox, pair) => sandbox.run(JS, jsGraderInput(pair.sample, pair.item))),
  await measure('python', () => PythonSandbox.create(), (sandbox, pair) => sandbox.run(PYTHON, pair.sample, pair.item)),
]);
const pyodideBytes = fs.readdirSync(path.join(dist, 'pyodide')).reduce((sum, file) => sum + fs.statSync(path.join(dist, 'pyodide', file)).size, 0);
console.log(JSON.stringify({ sandboxes: results, distBytes: { graderWorker: fs.statSync(path.join(dist, 'graderWorker.js')).size, pyodide: pyodideBytes } }, null, 2));
