// `npm run demo`: the main job on the bundled example, no API key needed — its health report, then (on a copy in a
// temporary folder, so the example stays as shipped) topics found offline, the coverage, a grader preset scored on
// the reference answers (Test Sample and the self-check, offline), its TRL reward module, and the pipeline.
// rft exits 1 when records are invalid (the example has some on purpose); only 2 (usage or I/O) is a failure here.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const example = 'examples/assistant-support';
const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rft-demo-')), 'assistant-support');
fs.cpSync(example, copy, { recursive: true, filter: (from) => !from.includes(`${path.sep}.rft`) });
const steps = [
  ['validate', example, '--max-issues', '20'],
  ['topics', copy, '--leaves', '8'],
  ['coverage', copy],
  ['grader', 'init', copy, '--preset', 'conciseness'],
  ['grade', copy],
  ['grader', 'check', copy],
  ['grader', 'export', copy, '--target', 'trl'],
  ['status', copy],
];
for (const args of steps) {
  console.log(`\n$ rft ${args.join(' ')}`);
  const { status } = spawnSync(process.execPath, ['bin/rft.js', ...args], { stdio: 'inherit' });
  if (status === null || status >= 2) process.exit(status ?? 2);
}
console.log(`\n(The copy with topics.json, .rft/labels.jsonl, grader.json and exports/trl/reward.py is in ${copy}.)`);
console.log(`With a model (any OpenAI-compatible server: OPENAI_BASE_URL, OPENAI_API_KEY), the dry run is:\n  node bin/rft.js dry-run ${copy} --n 60 --model <base model>`);
