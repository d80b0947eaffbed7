// `npm run demo`: the whole pipeline on a copy of the bundled example (in a temporary folder, so the example stays as
// shipped). Every step that runs offline runs — health, fix, topics, coverage, a grader preset, its self-check on the
// reference answers, the split, the TRL and verl bundles, the pipeline status — each as the `rft` command it is, with
// its key figures. The steps that need a model (generation, dry run, training, benchmark) print the one command that
// runs them against any OpenAI-compatible server, and run when OPENAI_BASE_URL or OPENAI_API_KEY is set.
// rft exits 1 when records are invalid or a run stopped early; only 2 (usage or I/O) or a crash stops the demo.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rftBin = path.join(root, 'bin', 'rft.js');
const example = path.join(root, 'examples', 'assistant-support');
const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rft-demo-')), 'assistant-support');
fs.cpSync(example, copy, { recursive: true, filter: (from) => !from.includes(`${path.sep}.rft`) });

/** The pure fixes of `rft fix` (see `rft help`). */
const FIXABLE = ['last_not_user', 'double_encoded_arguments', 'bom', 'crlf', 'duplicate'];
const hasModel = Boolean(process.env.OPENAI_BASE_URL || process.env.OPENAI_API_KEY);
const model = process.env.RFT_MODEL ?? 'gpt-4o-mini';
const bundleModel = 'Qwen/Qwen2.5-0.5B-Instruct';
const TOTAL_STEPS = 14;
let stepNumber = 0;

function header(title, args, needsModel = false) {
  stepNumber += 1;
  console.log(`\n[${stepNumber}/${TOTAL_STEPS}] ${title}${needsModel ? ' (needs a model)' : ''}`);
  if (args) console.log(`  $ npx rft ${args.join(' ')}`);
}

/** Runs rft; exit 0/1 are results, anything else ends the demo with rft's own words. */
function rft(args, { fatal = true } = {}) {
  const result = spawnSync(process.execPath, [rftBin, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (fatal && (result.status === null || result.status >= 2)) {
    process.stderr.write(result.stderr);
    console.error(`rft ${args[0]} exited ${result.status ?? result.signal}; the copy is in ${copy}`);
    process.exit(result.status ?? 2);
  }
  return result;
}

function rftJson(args, options) {
  const result = rft([...args, '--json'], options);
  let json;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = undefined;
  }
  return { ...result, json };
}

const say = (line) => console.log(`  ${line}`);
const firstLine = (text) => text.trim().split('\n').pop() ?? '';
const healthLine = (h) => `${h.total} records · ${h.valid} valid · ${h.invalid} invalid · ${h.duplicates} duplicates`;

/** The model step's one command; run when a server is configured (a failure is said, and the demo goes on). */
function modelStep(title, args, { run = hasModel, skipReason, report }) {
  header(title, undefined, true);
  const env = hasModel ? '' : 'OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_API_KEY=x ';
  say(`$ ${env}npx rft ${args.join(' ')}`);
  if (!run) {
    say(hasModel ? `not run: ${skipReason}` : 'not run: set OPENAI_BASE_URL (any OpenAI-compatible server) or OPENAI_API_KEY to run it');
    return undefined;
  }
  const result = rftJson(args, { fatal: false });
  if (result.json && result.status !== null && result.status <= 1) {
    report(result.json, result.status);
    return result.json;
  }
  say(`failed (exit ${result.status ?? result.signal}): ${firstLine(result.stderr || result.stdout) || 'no output'}`);
  return undefined;
}

console.log(`RFT Studio demo on a copy of examples/assistant-support: ${copy}`);
console.log(hasModel ? `Model steps run against ${process.env.OPENAI_BASE_URL ?? 'api.openai.com'} with ${model}.` : 'No OPENAI_BASE_URL / OPENAI_API_KEY: the model steps print their command only.');

header('Health', ['validate', copy]);
const before = rftJson(['validate', copy]).json;
say(healthLine(before));
say(
  `issues: ${Object.entries(before.byCode)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ')}`,
);

const fixable = FIXABLE.filter((code) => before.byCode[code]);
const records = path.join(copy, 'records.jsonl');
header('Fix', ['fix', records, '--code', fixable.join(',') || FIXABLE.join(',')]);
const fixed = rft(['fix', records, '--code', fixable.join(',') || FIXABLE.join(',')]);
say(fixed.stdout.split('\n')[0].replace(/ → .*/, ''));
// the backup sits beside records.jsonl; move it out of the dataset folder so the folder holds only the dataset
fs.renameSync(`${records}.bak`, path.join(path.dirname(copy), 'records.jsonl.bak'));
const after = rftJson(['validate', copy]).json;
say(`after: ${healthLine(after)} (the rest needs a person: rft validate ${copy})`);

header('Topics', ['topics', copy, '--leaves', '8']);
const topics = rftJson(['topics', copy, '--leaves', '8']).json;
say(
  `${topics.topics} topics · ${topics.leaves} leaves · ${topics.categorized} of ${topics.total} records placed, ${topics.manual} keep their own label · ${topics.lowConfidence} low confidence · ${topics.seconds} s`,
);

header('Coverage', ['coverage', copy]);
const coverage = rftJson(['coverage', copy]).json;
say(`balance ${coverage.balance.toFixed(2)} (${coverage.rating})`);
for (const topic of coverage.topics) say(`${topic.path.padEnd(48)} ${String(topic.count).padStart(4)}  ${(topic.share * 100).toFixed(1).padStart(5)} %${topic.gap > 0 ? `  gap ${topic.gap}` : ''}`);

modelStep('Generation', ['generate', copy, '--fill-gaps', '--model', model, '--max-requests', '8'], {
  report: (result) => say(`${result.written} of ${result.requested} records written to generated.jsonl · ${result.requests} requests · ${result.reason.split(/[:(;]/)[0].trim()}`),
});

header('Grader', ['grader', 'init', copy, '--preset', 'conciseness']);
say(firstLine(rft(['grader', 'init', copy, '--preset', 'conciseness']).stdout).replace(`${copy}${path.sep}`, ''));

header('Grader self-check', ['grader', 'check', copy]);
const check = rftJson(['grader', 'check', copy]).json;
const controls = check.controls;
say(
  `verdict ${check.verdict} · references ${check.references.mean.toFixed(3)} (n=${check.references.n}) · empty ${controls.empty.mean.toFixed(3)} · other record ${controls.otherRecord.mean.toFixed(3)} · padded ${controls.padded.mean.toFixed(3)} · AUC ${check.auc.toFixed(2)}`,
);

const dryRun = modelStep('Dry run', ['dry-run', copy, '--n', '20', '--model', model], {
  report: (run) => say(`${run.decision} · mean ${run.mean?.toFixed(2) ?? '–'} · ${run.scored} samples scored (${run.errors} errors) → ${path.relative(copy, run.run)}`),
});

header('Split', ['split', copy]);
const split = rftJson(['split', copy]).json;
say(`${split.train} train · ${split.valid} valid (${split.byTopic.length} topics) → exports/train.jsonl, exports/valid.jsonl`);
for (const change of split.changes) say(`- ${change}`);

// training needs a GO dry run (CAUTION confirmed); without one the bundles are written with --force, as the gate says
const gateFlags = dryRun?.decision === 'GO' ? [] : dryRun?.decision === 'CAUTION' ? ['--yes'] : ['--force'];
for (const backend of ['trl', 'verl']) {
  const args = ['train', copy, '--backend', backend, '--bundle-only', '--model', bundleModel, ...gateFlags];
  header(`${backend === 'trl' ? 'TRL' : 'verl'} bundle`, args);
  const bundle = rftJson(args).json;
  const files = fs.readdirSync(bundle.files.bundle).sort();
  say(`${path.relative(copy, bundle.files.bundle)}/: ${files.join(', ')}`);
  if (gateFlags.includes('--force')) say('--force: no GO dry run yet, so the gate is passed by hand (a bundle starts no job)');
}

modelStep('Training', ['train', copy, '--backend', 'openai', '--model', model], {
  run: hasModel && process.env.RFT_DEMO_TRAIN === '1',
  skipReason: 'a hosted training job costs money; RFT_DEMO_TRAIN=1 starts it (after a GO dry run)',
  report: (job) => say(`${job.backend} job ${job.jobId} · ${job.status}${job.error ? `: ${job.error}` : ''}`),
});

modelStep('Benchmark', ['benchmark', copy, '--base', model, '--tuned', process.env.RFT_TUNED_MODEL ?? '<tuned model>', '--n', '20'], {
  run: hasModel && Boolean(process.env.RFT_TUNED_MODEL),
  skipReason: 'it compares a tuned model with the base; RFT_TUNED_MODEL=<name> runs it',
  report: (result) =>
    say(
      `base ${result.base.mean?.toFixed(2) ?? '–'} · tuned ${result.tuned.mean?.toFixed(2) ?? '–'} · difference ${result.delta?.toFixed(2) ?? '–'} (95 % interval ${result.ci ? result.ci.map((x) => x.toFixed(2)).join(' to ') : '–'}) over ${result.n} prompts`,
    ),
});

header('Status', ['status', copy]);
const status = rftJson(['status', copy]).json;
say(`Health ${status.health.valid} valid · ${status.health.invalid} invalid`);
for (const step of status.steps) say(`${step.id.padEnd(9)} ${step.status.padEnd(10)} ${step.description}`);
say(`Ready for RFT: ${status.summary.ready ? 'yes' : 'no'}`);

console.log(
  `\nThe copy is in ${copy} (topics.json, grader.json, exports/ with the split and the trl and verl bundles); the records before the fix are in ${path.join(path.dirname(copy), 'records.jsonl.bak')}.`,
);
