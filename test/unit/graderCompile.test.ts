import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { apiJudge } from '../../src/core/grader/apiJudge';
import { compileForOpenAI, validateWithOpenAI } from '../../src/core/grader/compile/openai';
import { compilePythonReward, type PythonTarget } from '../../src/core/grader/compile/python';
import { createGradingEngine, type GradingEngine } from '../../src/core/grader/engine';
import { parseGraderText, resolveFiles } from '../../src/core/grader/graderFile';
import type { Grader } from '../../src/core/grader/graderSchema';
import { PRESETS } from '../../src/core/grader/presets';
import { startRewardServer } from '../../src/core/grader/rewardServer';
import { toSample, type GradingPair } from '../../src/core/grader/sample';
import { ModelClient } from '../../src/core/llm/modelClient';
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openaiServer';
import { useTempDir } from '../support/tempDir';

const grader = (value: object): Grader => parseGraderText(JSON.stringify(value));
const tmpl = (input: string, reference: string) => ({ input, reference });

/** Graders of every deterministic kind, and formulas that exercise the JS arithmetic the Python must copy. */
const GRADERS: Grader[] = [
  ...(['eq', 'ne', 'like', 'ilike'] as const).map((operation) =>
    grader({ type: 'string_check', name: `check_${operation}`, ...tmpl('{{sample.output_text}}', '{{item.reference_answer}}'), operation }),
  ),
  ...(['fuzzy_match', 'bleu', 'gleu', 'meteor', 'rouge_1', 'rouge_2', 'rouge_3', 'rouge_4', 'rouge_5', 'rouge_l'] as const).map((metric) =>
    grader({ type: 'text_similarity', name: `sim_${metric}`, ...tmpl('{{sample.output_text}}', '{{item.reference_answer}}'), evaluation_metric: metric }),
  ),
  grader({ type: 'string_check', name: 'values', ...tmpl('{{item.n}}|{{item.f}}|{{item.tiny}}|{{item.tags}}|{{item.meta}}', '3|1.5|1e-7|["a","b"]|{"k":null,"u":"é"}'), operation: 'eq' }),
  grader({ type: 'string_check', name: 'json_path', ...tmpl('{{sample.output_json.answer.city}}', '{{item.reference_answer}}'), operation: 'ilike' }),
  grader({
    type: 'multi',
    name: 'mixed',
    graders: {
      exact: { type: 'string_check', name: 'exact', ...tmpl('{{sample.output_text}}', '{{item.reference_answer}}'), operation: 'eq' },
      fuzzy: { type: 'text_similarity', name: 'fuzzy', ...tmpl('{{sample.output_text}}', '{{item.reference_answer}}'), evaluation_metric: 'fuzzy_match' },
      rouge: { type: 'text_similarity', name: 'rouge', ...tmpl('{{sample.output_text}}', '{{item.reference_answer}}'), evaluation_metric: 'rouge_l' },
      tool: { type: 'string_check', name: 'tool', ...tmpl('{{sample.output_tools[0].function.name}}', 'lookup'), operation: 'eq' },
    },
    calculate_output: '0.3 * exact + 0.2 * fuzzy ^ 2 + 0.2 * sqrt(rouge) + 0.1 * max(tool, min(fuzzy, rouge)) + 0.1 * log(1 + exp(fuzzy)) / 2 + 0.1 * abs(floor(fuzzy * 3) - ceil(rouge * 2)) / 3',
  }),
  grader({
    type: 'multi',
    name: 'ratio',
    graders: {
      a: { type: 'text_similarity', name: 'a', ...tmpl('{{sample.output_text}}', '{{item.reference_answer}}'), evaluation_metric: 'bleu' },
      b: { type: 'string_check', name: 'b', ...tmpl('{{sample.output_text}}', '{{item.reference_answer}}'), operation: 'eq' },
    },
    calculate_output: '(a + 1) / (b + 0.5) - -a ^ 0.5',
  }),
  grader({
    type: 'multi',
    name: 'div_zero',
    graders: { a: { type: 'string_check', name: 'a', ...tmpl('{{sample.output_text}}', '{{item.reference_answer}}'), operation: 'eq' } },
    calculate_output: '1 / a',
  }),
];

const ITEMS = [
  { reference_answer: 'Paris is the capital of France.', n: 3, f: 1.5, tiny: 1e-7, tags: ['a', 'b'], meta: { k: null, u: 'é' } },
  { reference_answer: 'Go to Settings > Security > SSO, then upload the IdP metadata XML.' },
  { reference_answer: 'paris' },
  { reference_answer: 'Die Katze sitzt auf der Matte — naïve café, 東京 🗼.' },
  { reference_answer: '' },
  { messages: [{ role: 'user', content: 'no reference here' }] },
];
const SAMPLES = [
  'Paris is the capital of France.',
  'The capital of France is Paris, of course!',
  'PARIS',
  'Go to Settings > Security > SSO and upload your IdP metadata.',
  '',
  'Die Katze sitzt auf der Matte — naive cafe, 東京.',
  '{"answer": {"city": "Paris"}}',
  'completely unrelated words about invoices and refunds',
];

function pairs(): GradingPair[] {
  const all: GradingPair[] = [];
  for (const item of ITEMS) {
    for (const text of SAMPLES) all.push({ item, sample: toSample(text) });
    all.push({ item, sample: { ...toSample(''), output_tools: [{ id: 'c', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] } });
  }
  return all;
}

/** Runs a compiled module in python3 (standard library only) and returns what it scores. */
function runPython(moduleSource: string, dir: string, driver: string, input: unknown, env: NodeJS.ProcessEnv = {}): Promise<number[]> {
  fs.writeFileSync(path.join(dir, 'reward.py'), moduleSource);
  fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(input));
  fs.writeFileSync(
    path.join(dir, 'driver.py'),
    `import json, sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nimport reward\ndata = json.load(open(${JSON.stringify(path.join(dir, 'input.json'))}, encoding="utf-8"))\n${driver}\nprint(json.dumps(out))\n`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(dir, 'driver.py')], { env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`python3 exited ${code}: ${stderr}`))));
  });
}

/**
 * Several compiled modules in one python3 (a start costs ~0.5 s of CPU): each is its own module, imported as
 * `reward` for its driver, with its own input; returns what each scores, in order.
 */
function runPythonEach(runs: readonly { source: string; driver: string; input: unknown }[], dir: string): Promise<number[][]> {
  const steps = runs.map((run, index) => {
    fs.writeFileSync(path.join(dir, `reward_${index}.py`), run.source);
    fs.writeFileSync(path.join(dir, `input_${index}.json`), JSON.stringify(run.input));
    return `reward = importlib.import_module("reward_${index}")\ndata = json.load(open(${JSON.stringify(path.join(dir, `input_${index}.json`))}, encoding="utf-8"))\n${run.driver}\nouts.append(out)\n`;
  });
  fs.writeFileSync(path.join(dir, 'driver_each.py'), `import importlib, json, sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nouts = []\n${steps.join('')}print(json.dumps(outs))\n`);
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(dir, 'driver_each.py')], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`python3 exited ${code}: ${stderr}`))));
  });
}

const assertClose = (actual: number[], expected: number[], label: string) => {
  assert.equal(actual.length, expected.length, label);
  actual.forEach((value, index) => assert.ok(Math.abs(value - expected[index]) <= 1e-9, `${label} #${index}: python ${value} vs engine ${expected[index]}`));
};

describe('grader compilation', () => {
  const dir = useTempDir();
  let engine: GradingEngine;
  before(() => (engine = createGradingEngine()));
  after(() => engine?.dispose());

  it('the compiled Python scores exactly like the engine, for every deterministic kind (grade_pairs, TRL reward, verl compute_score)', async function () {
    this.timeout(60_000);
    const corpus = pairs();
    const expectations: number[][] = [];
    const runs: { source: string; driver: string; input: unknown }[] = [];
    for (const [index, candidate] of GRADERS.entries()) {
      expectations.push(await Promise.all(corpus.map(async (pair) => (await engine.grade(candidate, pair)).reward)));
      const compiled = await compilePythonReward(candidate, { baseDir: dir(), target: index % 2 === 0 ? 'trl' : 'verl' });
      assert.equal(compiled.remote, false);
      runs.push({ source: compiled.source, driver: 'out = reward.grade_pairs(data)', input: corpus });
    }
    const scored = await runPythonEach(runs, dir());
    GRADERS.forEach((candidate, index) => assertClose(scored[index], expectations[index], candidate.name));
    const mixed = GRADERS.find((g) => g.name === 'mixed')!;
    const expected = await Promise.all(corpus.map(async (pair) => (await engine.grade(mixed, pair)).reward));
    const trl = await compilePythonReward(mixed, { baseDir: dir(), target: 'trl' });
    const trlInput = {
      completions: corpus.map((pair) => [{ role: 'assistant', content: pair.sample.output_text, ...(pair.sample.output_tools ? { tool_calls: pair.sample.output_tools } : {}) }]),
      item_json: corpus.map((pair) => JSON.stringify(pair.item)),
    };
    assertClose(await runPython(trl.source, dir(), 'out = reward.reward(data["completions"], prompts=None, item_json=data["item_json"], trainer_state=None)', trlInput), expected, 'trl entry');
    const verl = await compilePythonReward(mixed, { baseDir: dir(), target: 'verl' });
    const textOnly = corpus.filter((pair) => !pair.sample.output_tools);
    const verlExpected = await Promise.all(textOnly.map(async (pair) => (await engine.grade(mixed, pair)).reward));
    const verlInput = textOnly.map((pair) => ({ solution: pair.sample.output_text, extra: { item_json: JSON.stringify(pair.item) } }));
    assertClose(await runPython(verl.source, dir(), 'out = [reward.compute_score("rft", d["solution"], "", d["extra"]) for d in data]', verlInput), verlExpected, 'verl entry');
  });

  it('TRL, verl and rft grader serve see sample.output_json only where a response format applies, as the platform and the dry run do', async function () {
    this.timeout(60_000);
    const jsonPath = GRADERS.find((g) => g.name === 'json_path')!;
    const format = { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema: { type: 'object' } } };
    const items = [{ reference_answer: 'paris' }, { reference_answer: 'paris', response_format: format }];
    const answer = '{"answer": {"city": "Paris"}}';
    const trlDriver = 'out = reward.reward(data["completions"], prompts=None, item_json=data["item_json"], trainer_state=None)';
    const trlInput = { completions: items.map(() => [{ role: 'assistant', content: answer }]), item_json: items.map((item) => JSON.stringify(item)) };
    const verlDriver = 'out = [reward.compute_score("rft", data["solution"], "", {"item_json": item}) for item in data["items"]]';
    const verlInput = { solution: answer, items: items.map((item) => JSON.stringify(item)) };
    for (const datasetResponseFormat of [false, true]) {
      const expected = datasetResponseFormat ? [1, 1] : [0, 1];
      const trl = await compilePythonReward(jsonPath, { baseDir: dir(), target: 'trl', datasetResponseFormat });
      assert.equal(
        trl.notes.some((note) => /reads sample\.output_json, which exists only where a response format applies/.test(note)),
        !datasetResponseFormat,
      );
      assertClose(await runPython(trl.source, dir(), trlDriver, trlInput), expected, `trl, dataset format ${datasetResponseFormat}`);
      const verl = await compilePythonReward(jsonPath, { baseDir: dir(), target: 'verl', datasetResponseFormat });
      assertClose(await runPython(verl.source, dir(), verlDriver, verlInput), expected, `verl, dataset format ${datasetResponseFormat}`);
      const server = await startRewardServer({ grader: jsonPath, engine, port: 0, ...(datasetResponseFormat ? { datasetResponseFormat: format } : {}) });
      try {
        const response = await fetch(`${server.url}/score`, { method: 'POST', body: JSON.stringify({ items: items.map((item) => ({ item, sample: { output_text: answer } })) }) });
        assertClose(((await response.json()) as { rewards: number[] }).rewards, expected, `rft grader serve, dataset format ${datasetResponseFormat}`);
      } finally {
        await server.close();
      }
    }
  });

  it("python graders (the presets' scripts) score the same in Pyodide and in the compiled module run by python3", async function () {
    this.timeout(120_000);
    const records = fs
      .readFileSync(path.join(__dirname, '..', '..', 'examples', 'assistant-support', 'records.jsonl'), 'utf8')
      .split('\n')
      .flatMap((line) => {
        try {
          const value = JSON.parse(line);
          return value && typeof value === 'object' && Array.isArray(value.messages) ? [value as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      });
    const corpus: GradingPair[] = records.slice(0, 60).flatMap((record, index) => {
      const other = records[(index + 11) % records.length];
      const text = (value: unknown) => (typeof value === 'string' ? value : '');
      return [
        { item: record, sample: { ...toSample(text(record.reference_answer)), ...(Array.isArray(record.reference_tool_calls) ? { output_tools: record.reference_tool_calls } : {}) } },
        { item: record, sample: toSample(text(other.reference_answer)) },
        { item: record, sample: toSample(`${text(record.reference_answer)} ${'More words here. '.repeat(index % 7)}`) },
      ];
    });
    for (const preset of ['format', 'tool-usage', 'conciseness'] as const) {
      const built = PRESETS[preset].build({});
      for (const [file, source] of Object.entries(built.files)) {
        fs.mkdirSync(path.dirname(path.join(dir(), file)), { recursive: true });
        fs.writeFileSync(path.join(dir(), file), source);
      }
      const resolved = await resolveFiles(built.grader, dir());
      const results = await Promise.all(corpus.map((pair) => engine.grade(resolved, pair)));
      assert.deepEqual(
        results.flatMap((result) => result.errors),
        [],
        preset,
      );
      const compiled = await compilePythonReward(built.grader, { baseDir: dir(), target: 'trl' });
      assertClose(
        await runPython(compiled.source, dir(), 'out = reward.grade_pairs(data)', corpus),
        results.map((result) => result.reward),
        preset,
      );
    }
  });

  it('judges compile to calls of rft grader serve, which scores them as the engine does', async function () {
    this.timeout(60_000);
    const server: OpenAiTestServer = await startOpenAiTestServer();
    const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL });
    server.onChat((request) => ({ content: JSON.stringify({ steps: [], result: JSON.stringify(request.messages).includes('Paris') ? 0.9 : 0.2 }) }));
    const judgeEngine = createGradingEngine({ judge: apiJudge(client) });
    const judged = PRESETS.correctness.build({}).grader;
    const rewards = await startRewardServer({ grader: judged, engine: judgeEngine, port: 0 });
    try {
      const corpus = pairs()
        .filter((pair) => pair.item.reference_answer !== undefined)
        .map((pair) => ({ ...pair, item: { messages: [{ role: 'user', content: 'Where?' }], ...pair.item } }));
      const expected = await Promise.all(corpus.map(async (pair) => (await judgeEngine.grade(judged, pair)).reward));
      const compiled = await compilePythonReward(judged, { baseDir: dir(), target: 'trl' as PythonTarget });
      assert.equal(compiled.remote, true);
      assert.match(compiled.notes[0], /needs rft grader serve/);
      assertClose(await runPython(compiled.source, dir(), 'out = reward.grade_pairs(data)', corpus, { RFT_REWARD_SERVER: rewards.url }), expected, 'remote');
      assert.ok(expected.includes(0.9) && expected.includes(0.2));
    } finally {
      await rewards.close();
      await judgeEngine.dispose();
      await server.close();
    }
  });

  it("OpenAI: file references inlined, our keys dropped, js refused with a pointer to python; the test server's graders/validate accepts the result", async () => {
    const server = await startOpenAiTestServer();
    try {
      const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL });
      for (const preset of Object.values(PRESETS)) {
        const built = preset.build({});
        for (const [file, source] of Object.entries(built.files)) {
          fs.mkdirSync(path.dirname(path.join(dir(), file)), { recursive: true });
          fs.writeFileSync(path.join(dir(), file), source);
        }
        const compiled = await compileForOpenAI(built.grader, { baseDir: dir() });
        assert.deepEqual(compiled.problems, []);
        const text = JSON.stringify(compiled.grader);
        assert.ok(!/"preset"|"description"|"file"/.test(text), text.slice(0, 200));
        assert.equal(await validateWithOpenAI(client, compiled.grader!), undefined, preset.title);
      }
      const python = await compileForOpenAI(PRESETS.format.build({}).grader, { baseDir: dir() });
      assert.match(String((python.grader as { source?: string }).source), /def grade\(sample, item\)/);
      const js = await compileForOpenAI(
        grader({ type: 'multi', name: 'm', graders: { style: { type: 'js', name: 'style', source: 'function grade(input) { return 1; }' } }, calculate_output: 'style' }),
        { baseDir: dir() },
      );
      assert.equal(js.grader, undefined);
      assert.equal(js.problems[0].path, 'graders.style');
      assert.match(js.problems[0].message, /cannot run.*python grader/);
      const rejected = await validateWithOpenAI(client, { type: 'python', name: 'p', source: 'print(1)' });
      assert.match(String(rejected), /grade\(sample, item\)/);
    } finally {
      await server.close();
    }
  });
});
