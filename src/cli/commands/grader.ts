// `rft grader init|run|check|export|serve` and `rft grade`: the grader of step 4 on the command line (docs/grader.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { GRADER_FILE, readManifest } from '../../core/dataset/manifest';
import { assertNotDatasetFile } from '../../core/dataset/protectedPaths';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import type { ModelClient } from '../../core/llm/modelClient';
import { providerFromEnv } from '../../core/llm/providerConfig';
import { apiJudge } from '../../core/grader/apiJudge';
import { compileForOpenAI, validateWithOpenAI } from '../../core/grader/compile/openai';
import { compilePythonReward, PYTHON_TARGETS, type PythonTarget } from '../../core/grader/compile/python';
import { describeGrader } from '../../core/grader/describe';
import { createGradingEngine, type GradingEngine } from '../../core/grader/engine';
import { firstErrorText, type GradeResult } from '../../core/grader/gradeResult';
import { GraderFileError, readGraderAt, readGraderFile, type LoadedGrader } from '../../core/grader/graderFile';
import type { Grader } from '../../core/grader/graderSchema';
import { modelAnswerer } from '../../core/grader/modelAnswer';
import { initGrader, isPresetId, PRESET_IDS } from '../../core/grader/presets';
import { datasetResponseFormat } from '../../core/grader/responseFormat';
import { startRewardServer } from '../../core/grader/rewardServer';
import { toSample, type GradingPair } from '../../core/grader/sample';
import { selfCheck, type SelfCheckReport } from '../../core/grader/selfCheck';
import { testSample, type TestSampleResult } from '../../core/grader/testSample';
import { MODEL_CLIENT_FLAGS, modelClientFromFlags, type ModelClientFlagValues } from '../modelClientFlags';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, parseCount, parsePositiveInt, UsageError } from '../usage';
import { requireDataset } from './dataset';

const SUBCOMMANDS: Record<string, (argv: string[], output: Output) => Promise<number>> = { init: graderInit, run: graderRun, check: graderCheck, export: graderExport, serve: graderServe };

/** `rft grader <init|run|check|export|serve> …` */
export async function graderCommand(argv: string[], output: Output): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? SUBCOMMANDS[name] : undefined;
  if (!command) throw new UsageError(`grader needs a subcommand: ${Object.keys(SUBCOMMANDS).join(', ')}`);
  try {
    return await command(rest, output);
  } catch (error) {
    if (error instanceof GraderFileError) {
      output.err(`rft grader ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** `rft grade <dataset> [--samples 5] [--from reference|model]`: Test Sample on the command line. */
export async function gradeCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      samples: { type: 'string' },
      from: { type: 'string', default: 'reference' },
      model: { type: 'string' },
      seed: { type: 'string' },
      'base-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      ...MODEL_CLIENT_FLAGS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('grade needs exactly one <dataset folder>');
  if (values.from !== 'reference' && values.from !== 'model') throw new UsageError('--from must be reference or model');
  const dir = requireDataset(positionals[0], 'grade');
  const loaded = await requireGrader(dir, output);
  if (!loaded) return EXIT_USAGE;
  const client = values.from === 'model' || needsJudge(loaded.resolved) ? clientFromEnv(values, output, values.from === 'model' ? '--from model' : "this grader's judge") : undefined;
  if (values.from === 'model' && !values.model) throw new UsageError('--from model needs --model <base model>');
  const engine = engineFor(client);
  try {
    const result = await testSample(dir, {
      engine,
      grader: loaded.resolved,
      count: parseCount('--samples', values.samples) ?? 5,
      seed: parsePositiveInt('--seed', values.seed),
      answerer: values.from === 'model' && client ? modelAnswerer(client, values.model!) : undefined,
    });
    output.out(values.json ? `${JSON.stringify(testSampleJson(result))}\n` : formatTestSample(loaded.grader, result));
    const unanswered = result.rows.filter((row) => row.answerError);
    if (unanswered.length > 0 && unanswered.length === result.rows.length)
      output.err(`rft grade: no sample was answered: every call to ${values.model} failed (first: ${unanswered[0].answerError})\n`);
    return result.rows.some((row) => row.answerError || row.result.errors.length > 0) ? EXIT_INVALID : EXIT_OK;
  } finally {
    await engine.dispose();
  }
}

async function graderInit(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { preset: { type: 'string' }, model: { type: 'string' }, force: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('grader init needs exactly one <dataset folder>');
  if (!values.preset || !isPresetId(values.preset)) throw new UsageError(`grader init needs --preset ${PRESET_IDS.join('|')}`);
  const dir = requireDataset(positionals[0], 'grader init');
  const grader = await initGrader(dir, values.preset, { model: values.model, overwrite: values.force }).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  output.out(
    values.json ? `${JSON.stringify({ file: path.join(dir, GRADER_FILE), type: grader.type, description: describeGrader(grader) })}\n` : `${path.join(dir, GRADER_FILE)}: ${describeGrader(grader)}\n`,
  );
  return EXIT_OK;
}

async function graderRun(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { pairs: { type: 'string' }, 'base-url': { type: 'string' }, json: { type: 'boolean', default: false }, ...MODEL_CLIENT_FLAGS },
  });
  if (positionals.length !== 1) throw new UsageError('grader run needs exactly one <grader.json | dataset folder>');
  if (!values.pairs) throw new UsageError('grader run needs --pairs <file.jsonl> (lines of {"item":{..},"sample":{..}})');
  const loaded = await loadGraderFrom(positionals[0]);
  const lines = readPairLines(values.pairs);
  const engine = engineFor(needsJudge(loaded.resolved) ? clientFromEnv(values, output, "this grader's judge") : undefined);
  try {
    const results = await Promise.all(lines.map((line) => ('problem' in line ? Promise.resolve(sampleProblem(line.problem, loaded.grader.name)) : engine.grade(loaded.resolved, line.pair))));
    const mean = results.length === 0 ? 0 : results.reduce((sum, result) => sum + result.reward, 0) / results.length;
    if (values.json) output.out(`${JSON.stringify({ results: results.map((result) => ({ reward: result.reward, sub_rewards: result.sub_rewards, error: firstErrorText(result) })), mean })}\n`);
    else {
      results.forEach((result, index) =>
        output.out(`${String(index + 1).padStart(5)}  ${result.reward.toFixed(3)}${subRewardsText(result)}${result.errors.length ? `  ✗ ${firstErrorText(result)}` : ''}\n`),
      );
      output.out(`mean ${mean.toFixed(3)} over ${results.length} pairs\n`);
    }
    return results.some((result) => result.errors.length > 0) ? EXIT_INVALID : EXIT_OK;
  } finally {
    await engine.dispose();
  }
}

async function graderCheck(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { limit: { type: 'string' }, 'base-url': { type: 'string' }, json: { type: 'boolean', default: false }, ...MODEL_CLIENT_FLAGS },
  });
  if (positionals.length !== 1) throw new UsageError('grader check needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'grader check');
  const loaded = await requireGrader(dir, output);
  if (!loaded) return EXIT_USAGE;
  const engine = engineFor(needsJudge(loaded.resolved) ? clientFromEnv(values, output, "this grader's judge") : undefined);
  try {
    const report = await selfCheck(dir, { engine, grader: loaded.resolved, limit: parseCount('--limit', values.limit) });
    output.out(values.json ? `${JSON.stringify(report)}\n` : formatSelfCheck(report));
    return report.verdict === 'fail' ? EXIT_INVALID : EXIT_OK;
  } finally {
    await engine.dispose();
  }
}

async function graderExport(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      out: { type: 'string' },
      validate: { type: 'boolean', default: false },
      'reward-server': { type: 'string' },
      'base-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      ...MODEL_CLIENT_FLAGS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('grader export needs exactly one <dataset folder>');
  const target = values.target ?? '';
  if (target !== 'openai' && target !== 'azure' && !PYTHON_TARGETS.includes(target as PythonTarget)) throw new UsageError('grader export needs --target openai|azure|trl|verl');
  const dir = requireDataset(positionals[0], 'grader export');
  const loaded = await requireGrader(dir, output);
  if (!loaded) return EXIT_USAGE;
  if (target === 'openai' || target === 'azure') {
    const compiled = await compileForOpenAI(loaded.grader, { baseDir: dir, target });
    if (!compiled.grader) {
      for (const problem of compiled.problems) output.err(`${GRADER_FILE}: ${problem.path}: ${problem.message}\n`);
      return EXIT_INVALID;
    }
    const out = values.out ?? path.join(dir, 'exports', `grader.${target}.json`);
    await writeOut(dir, out, `${JSON.stringify(compiled.grader, null, 2)}\n`);
    const rejection = values.validate ? await validateWithOpenAI(clientFromEnv(values, output, '--validate'), compiled.grader) : undefined;
    output.out(
      values.json
        ? `${JSON.stringify({ target, out, validated: values.validate ? rejection === undefined : null, rejection: rejection ?? null })}\n`
        : `${out}: ${target === 'azure' ? 'Azure OpenAI' : 'OpenAI'} grader${values.validate ? (rejection ? ` — rejected by graders/validate: ${rejection}` : ' — accepted by graders/validate') : ''}\n`,
    );
    return rejection ? EXIT_INVALID : EXIT_OK;
  }
  const datasetFormat = datasetResponseFormat(await readManifest(dir));
  const compiled = await compilePythonReward(loaded.grader, {
    baseDir: dir,
    target: target as PythonTarget,
    rewardServerUrl: values['reward-server'],
    datasetResponseFormat: datasetFormat !== undefined,
  });
  const out = values.out ?? path.join(dir, 'exports', target, 'reward.py');
  await writeOut(dir, out, compiled.source);
  if (values.json) output.out(`${JSON.stringify({ target, out, remote: compiled.remote, notes: compiled.notes })}\n`);
  else
    output.out(
      `${out}: ${target === 'trl' ? 'reward(completions, **kwargs)' : 'compute_score(data_source, solution_str, ground_truth, extra_info)'}${compiled.notes.map((note) => `\n  note: ${note}`).join('')}\n`,
    );
  return EXIT_OK;
}

async function graderServe(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      token: { type: 'string' },
      concurrency: { type: 'string' },
      'base-url': { type: 'string' },
      ...MODEL_CLIENT_FLAGS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('grader serve needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'grader serve');
  const loaded = await requireGrader(dir, output);
  if (!loaded) return EXIT_USAGE;
  const engine = engineFor(needsJudge(loaded.resolved) ? clientFromEnv(values, output, "this grader's judge") : undefined);
  const server = await startRewardServer({
    grader: loaded.resolved,
    engine,
    host: values.host,
    port: parsePositiveInt('--port', values.port) ?? 8787,
    token: values.token ?? process.env.RFT_REWARD_TOKEN,
    concurrency: parsePositiveInt('--concurrency', values.concurrency),
    datasetResponseFormat: datasetResponseFormat(await readManifest(dir)),
  }).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  output.out(`Serving ${loaded.grader.name} (${describeGrader(loaded.grader)}) at ${server.url}/score — Ctrl+C stops\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  output.err('rft grader serve: stopping — requests in flight are answered 503\n');
  // close() aborts the scorings; a sandbox busy in a runaway grader is terminated by dispose()
  await Promise.race([Promise.all([server.close(), engine.dispose()]), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
  return EXIT_OK;
}

async function requireGrader(dir: string, output: Output): Promise<LoadedGrader | undefined> {
  const loaded = await readGraderFile(dir);
  if (!loaded) output.err(`rft: ${dir} has no ${GRADER_FILE}: create one with rft grader init ${dir} --preset ${PRESET_IDS.join('|')}\n`);
  return loaded;
}

async function loadGraderFrom(target: string): Promise<LoadedGrader> {
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const loaded = await readGraderFile(target);
    if (!loaded) throw new UsageError(`${target} has no ${GRADER_FILE}`);
    return loaded;
  }
  return readGraderAt(target);
}

type PairLine = { pair: GradingPair } | { problem: string };

/** Each line {"item":{..},"sample":{..} | "text"}; a bad line becomes a sample_parse_error result in its place. */
function readPairLines(file: string): PairLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return text.split(/\r?\n/).flatMap((line, index): PairLine[] => {
    if (line.trim() === '') return [];
    const where = `${path.basename(file)}:${index + 1}`;
    let value: { item?: unknown; sample?: unknown };
    try {
      value = JSON.parse(line);
    } catch (error) {
      return [{ problem: `${where}: not JSON (${(error as Error).message})` }];
    }
    if (!value || typeof value !== 'object' || !value.item || typeof value.item !== 'object' || Array.isArray(value.item)) return [{ problem: `${where}: expected "item" to be an object` }];
    if (typeof value.sample !== 'string' && (!value.sample || typeof value.sample !== 'object')) return [{ problem: `${where}: expected "sample" to be {"output_text": ..} or a string` }];
    return [{ pair: { item: value.item as GradingPair['item'], sample: toSample(value.sample as string) } }];
  });
}

function sampleProblem(message: string, grader: string): GradeResult {
  return { reward: 0, sub_rewards: {}, errors: [{ code: 'sample_parse_error', message, grader }] };
}

function needsJudge(grader: Grader): boolean {
  const leaves = grader.type === 'multi' ? Object.values(grader.graders) : [grader];
  return leaves.some((leaf) => leaf.type === 'score_model' || leaf.type === 'label_model' || (leaf.type === 'text_similarity' && leaf.evaluation_metric === 'cosine'));
}

function engineFor(client: ModelClient | undefined): GradingEngine {
  return createGradingEngine({
    judge: client ? apiJudge(client) : undefined,
    embed: client ? (texts, signal) => client.embed(process.env.RFT_EMBEDDING_MODEL ?? 'text-embedding-3-large', texts, { signal }) : undefined,
  });
}

function clientFromEnv(values: ModelClientFlagValues & { 'base-url'?: string }, output: Output, why: string): ModelClient {
  const provider = providerFromEnv(process.env, { baseURL: values['base-url'] });
  if (!provider) throw new UsageError(`${why} needs a model provider: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT`);
  return modelClientFromFlags(provider, values, output, { concurrency: 8 });
}

async function writeOut(datasetDir: string, file: string, text: string): Promise<void> {
  assertNotDatasetFile(file, [datasetDir]);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
}

function testSampleJson(result: TestSampleResult) {
  return {
    mean: result.mean,
    rows: result.rows.map((row) => ({
      file: row.file,
      line: row.line,
      answerSource: row.answerSource,
      reward: row.result.reward,
      sub_rewards: row.result.sub_rewards,
      error: row.answerError ?? firstErrorText(row.result),
      details: row.result.details ?? null,
    })),
  };
}

function formatTestSample(grader: Grader, result: TestSampleResult): string {
  const lines = [`${grader.name} (${describeGrader(grader)}) on ${result.rows.length} records:`];
  for (const row of result.rows) {
    lines.push(
      `  ${row.file}:${row.line}  ${row.result.reward.toFixed(3)}${subRewardsText(row.result)}  [${row.answerSource === 'reference' ? 'reference answer' : row.answerSource}]  ${excerpt(row.prompt)}`,
    );
    if (row.answerError) lines.push(`      ✗ ${row.answerError}`);
    for (const error of row.result.errors) lines.push(`      ✗ ${error.grader}: ${error.code}: ${error.message}`);
    for (const [name, detail] of Object.entries(row.result.details ?? {})) for (const step of detail.steps ?? []) lines.push(`      ${name}: ${step.description} → ${step.conclusion}`);
  }
  lines.push(`mean ${result.mean.toFixed(3)}`);
  return `${lines.join('\n')}\n`;
}

function formatSelfCheck(report: SelfCheckReport): string {
  const { references, controls } = report;
  return (
    [
      `Self-check: ${report.verdict.toUpperCase()}`,
      `  references     ${references.mean.toFixed(3)}  (n=${references.n})`,
      `  empty answer   ${controls.empty.mean.toFixed(3)}`,
      `  other record   ${controls.otherRecord.mean.toFixed(3)}`,
      `  padded         ${controls.padded.mean.toFixed(3)}`,
      `  AUC references vs controls ${report.auc.toFixed(3)} · vs other records ${report.aucOtherRecord.toFixed(3)}`,
      ...report.findings.map((finding) => `  - ${finding}`),
    ].join('\n') + '\n'
  );
}

function subRewardsText(result: GradeResult): string {
  const entries = Object.entries(result.sub_rewards);
  return entries.length === 0 ? '' : `  (${entries.map(([name, value]) => `${name} ${value.toFixed(2)}`).join(', ')})`;
}

const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 69)}…` : flat;
};
