import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { apiJudge } from '../../src/core/grader/apiJudge';
import { describeGrader } from '../../src/core/grader/describe';
import { createGradingEngine, type GradingEngine } from '../../src/core/grader/engine';
import { FormulaError, parseFormula } from '../../src/core/grader/formula';
import { GraderFileError, parseGraderText, readGraderFile } from '../../src/core/grader/graderFile';
import type { Grader } from '../../src/core/grader/graderSchema';
import { toSample, type GradingPair } from '../../src/core/grader/sample';
import { renderTemplate, TemplateVariableError } from '../../src/core/grader/template';
import { ModelClient } from '../../src/core/llm/modelClient';
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openaiServer';
import { useTempDir } from '../support/tempDir';

const pair = (text: string, item: Record<string, unknown> = {}): GradingPair => ({ item, sample: toSample(text) });
const stringCheck = (operation: string, reference = '{{item.answer}}'): Grader =>
  parseGraderText(JSON.stringify({ type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference, operation }));

describe('grader.json', () => {
  it("accepts graders from OpenAI's guides unchanged", () => {
    const cookbook = {
      type: 'multi',
      name: 'cookbook',
      graders: {
        match: { type: 'string_check', name: 'match', input: '{{sample.output_json.label}}', reference: '{{item.label}}', operation: 'eq' },
        similar: { type: 'text_similarity', name: 'similar', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'fuzzy_match' },
        judge: {
          type: 'score_model',
          name: 'judge',
          model: 'o4-mini',
          input: [{ role: 'user', content: [{ type: 'input_text', text: 'Grade {{sample.output_text}}' }] }],
          range: [0, 10],
          sampling_params: { seed: 42, reasoning_effort: 'low' },
        },
        label: { type: 'label_model', name: 'label', model: 'gpt-4o', input: [{ role: 'user', content: 'Is {{sample.output_text}} polite?' }], labels: ['yes', 'no'], passing_labels: ['yes'] },
        code: { type: 'python', name: 'code', source: 'def grade(sample, item) -> float:\n    return 1.0\n', image_tag: '2025-05-08' },
      },
      calculate_output: '0.5 * match + 0.2 * similar + 0.02 * judge + 0.1 * (label + code)',
    };
    assert.equal(parseGraderText(JSON.stringify(cookbook)).type, 'multi');
  });

  it('names the field that is wrong', () => {
    const bad = (value: object) => assert.throws(() => parseGraderText(JSON.stringify(value)), GraderFileError);
    const message = (value: object) => {
      try {
        parseGraderText(JSON.stringify(value));
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    const judge = { type: 'score_model', name: 'q', model: 'm', input: [{ role: 'user', content: 'x' }] };
    assert.equal(message({ type: 'multi', name: 'm', graders: { quality: { ...judge, range: [1] } }, calculate_output: 'quality' }), 'grader.json: graders.quality.range: expected [min, max]');
    assert.match(
      message({ type: 'string_check', name: 'x', input: '{{sample.output_text}}', reference: '{{answer}}', operation: 'eq' }),
      /reference: \{\{answer\}\}: only the item and sample namespaces exist/,
    );
    assert.match(message({ type: 'multi', name: 'm', graders: { a: judge }, calculate_output: 'a + b' }), /calculate_output: "b" is not one of the graders \(a\) \(column 5\)/);
    assert.match(message({ type: 'multi', name: 'm', graders: { a: judge }, calculate_output: '2 * (a' }), /calculate_output: expected "\)", found the end \(column 7\)/);
    assert.match(
      message({ type: 'multi', name: 'm', graders: { a: { type: 'multi', name: 'inner', graders: {}, calculate_output: '1' } }, calculate_output: 'a' }),
      /graders\.a\.type: .*cannot be nested/,
    );
    assert.match(message({ ...judge, type: 'label_model', labels: ['a'], passing_labels: ['a'] }), /label_model graders run only inside a multi grader/);
    assert.match(message({ type: 'python', name: 'p', source: 'print(1)' }), /source: the Python source must define def grade\(sample, item\)/);
    assert.match(message({ type: 'js', name: 'j', source: 'x', file: 'graders/j.js' }), /exactly one of "source".*or "file"/);
    bad({ type: 'text_similarity', name: 't', input: '', reference: '', evaluation_metric: 'bert' });
    bad({ type: 'string_check', name: 'x', input: 'a', reference: 'b', operation: 'eq', unknown: 1 });
  });

  const dir = useTempDir();
  it('reads script files from graders/ and refuses paths outside the dataset', async () => {
    fs.mkdirSync(path.join(dir(), 'graders'));
    fs.writeFileSync(path.join(dir(), 'graders', 'g.js'), 'function grade(input) { return 1; }');
    fs.writeFileSync(path.join(dir(), 'grader.json'), JSON.stringify({ type: 'js', name: 'g', file: 'graders/g.js' }));
    const loaded = await readGraderFile(dir());
    assert.equal(loaded?.resolved.type === 'js' && loaded.resolved.source, 'function grade(input) { return 1; }');
    assert.equal(describeGrader(loaded!.grader), 'Script (JavaScript)');
    fs.writeFileSync(path.join(dir(), 'grader.json'), JSON.stringify({ type: 'js', name: 'g', file: '../outside.js' }));
    await assert.rejects(readGraderFile(dir()), /file: "\.\.\/outside\.js" is outside the dataset folder/);
    fs.writeFileSync(path.join(dir(), 'grader.json'), JSON.stringify({ type: 'python', name: 'g', file: 'graders/missing.py' }));
    await assert.rejects(readGraderFile(dir()), /cannot read "graders\/missing\.py": ENOENT/);
    fs.writeFileSync(path.join(dir(), 'graders', 'bad.py'), 'def score(sample, item):\n    return 1\n');
    fs.writeFileSync(path.join(dir(), 'grader.json'), JSON.stringify({ type: 'multi', name: 'm', graders: { p: { type: 'python', name: 'p', file: 'graders/bad.py' } }, calculate_output: 'p' }));
    await assert.rejects(readGraderFile(dir()), /^Error: grader\.json: graders\.p\.file "graders\/bad\.py": the Python source must define def grade\(sample, item\)$/);
  });
});

describe('grader templates', () => {
  const full: GradingPair = {
    item: { reference_answer: 'Paris', n: 3, tags: ['a', 'b'], nested: { x: null } },
    sample: { output_text: '{"a":{"b":"deep"}}', output_json: { a: { b: 'deep' } }, output_tools: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] },
  };
  it('fills item and sample paths, spaces allowed, non-strings as JSON', () => {
    assert.equal(renderTemplate('{{item.reference_answer}}|{{ sample.output_json.a.b }}|{{sample.output_tools[0].function.name}}', full), 'Paris|deep|lookup');
    assert.equal(renderTemplate('{{item.n}} {{item.tags}} {{item.nested.x}} {{item.tags[1]}}', full), '3 ["a","b"] null b');
  });
  it('a missing variable is invalid_variable_error naming the path', () => {
    assert.throws(
      () => renderTemplate('{{item.missing}}', full),
      (error: Error) => error instanceof TemplateVariableError && /\{\{item\.missing\}\}: item\.missing is missing/.test(error.message),
    );
    assert.throws(() => renderTemplate('{{sample.output_tools[3].function.name}}', full), /sample\.output_tools\[3\] is missing/);
    assert.throws(() => renderTemplate('{{env.HOME}}', full), /only the item and sample namespaces/);
  });
});

describe('calculate_output formulas', () => {
  const run = (formula: string, values: Record<string, number> = {}) => parseFormula(formula).evaluate(values);
  it('follows arithmetic precedence, right-associative powers and the functions', () => {
    assert.equal(run('1 + 2 * 3'), 7);
    assert.equal(run('2 ^ 3 ^ 2'), 512);
    assert.equal(run('-2 ^ 2'), -4);
    assert.equal(run('(1 + 2) * 3 / 4'), 2.25);
    assert.equal(run('min(a, b, 0.5) + max(a, b) + abs(-1) + floor(1.7) + ceil(1.2) + sqrt(4) + log(exp(2))', { a: 0.2, b: 0.9 }), 0.2 + 0.9 + 1 + 1 + 2 + 2 + 2);
    assert.equal(run('.5e1 + 1.'), 6);
    assert.deepEqual([...parseFormula('0.4 * x + y / 2').names].sort(), ['x', 'y']);
  });
  it('locates parse errors by column', () => {
    const column = (formula: string) => {
      try {
        parseFormula(formula);
      } catch (error) {
        return (error as FormulaError).column;
      }
      return 0;
    };
    assert.equal(column('a + * b'), 5);
    assert.equal(column('a + $'), 5);
    assert.equal(column('pow(a, 2)'), 1);
    assert.equal(column('abs(a, b)'), 1);
    assert.equal(column('(a + b'), 7);
    assert.equal(column('a b'), 3);
  });
});

describe('grading engine: deterministic kinds', () => {
  let engine: GradingEngine;
  before(() => (engine = createGradingEngine()));
  after(() => engine.dispose());

  it('string_check: eq / ne exact, like substring, ilike case-insensitive substring', async () => {
    const item = { answer: 'Paris' };
    const score = async (operation: string, text: string) => (await engine.grade(stringCheck(operation), pair(text, item))).reward;
    assert.deepEqual(await Promise.all([score('eq', 'Paris'), score('eq', 'paris'), score('ne', 'paris'), score('ne', 'Paris')]), [1, 0, 1, 0]);
    assert.deepEqual(await Promise.all([score('like', 'It is Paris.'), score('like', 'It is paris.'), score('ilike', 'IT IS PARIS.'), score('ilike', 'Rome')]), [1, 0, 1, 0]);
  });

  it('returns {reward, sub_rewards, errors} and scores a missing variable 0 with invalid_variable_error', async () => {
    const result = await engine.grade(stringCheck('eq'), pair('Paris'));
    assert.deepEqual(result, { reward: 0, sub_rewards: {}, errors: [{ code: 'invalid_variable_error', message: '{{item.answer}}: item.answer is missing', grader: 'exact' }], details: undefined });
  });

  it("text_similarity fuzzy_match is rapidfuzz fuzz.ratio / 100 (Azure's published example)", async () => {
    const grader = parseGraderText(JSON.stringify({ type: 'text_similarity', name: 's', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'fuzzy_match' }));
    assert.equal((await engine.grade(grader, pair('kitten', { reference_answer: 'sitting' }))).reward, 1 - 5 / 13);
  });

  it('multi: sub_rewards by name, the formula over them, a failing sub-grader counts 0 and is reported', async () => {
    const grader = parseGraderText(
      JSON.stringify({
        type: 'multi',
        name: 'm',
        graders: {
          exact: JSON.parse(JSON.stringify(stringCheck('eq'))),
          loose: { type: 'string_check', name: 'loose', input: '{{sample.output_text}}', reference: '{{item.alias}}', operation: 'ilike' },
        },
        calculate_output: '0.75 * exact + 0.25 * loose',
      }),
    );
    const full = await engine.grade(grader, pair('Paris', { answer: 'Paris', alias: 'paris' }));
    assert.deepEqual([full.reward, full.sub_rewards, full.errors], [1, { exact: 1, loose: 1 }, []]);
    const partial = await engine.grade(grader, pair('paris', { answer: 'Paris' }));
    assert.deepEqual([partial.reward, partial.sub_rewards, partial.errors.map((e) => [e.grader, e.code])], [0, { exact: 0, loose: 0 }, [['loose', 'invalid_variable_error']]]);
    const divide = parseGraderText(JSON.stringify({ ...JSON.parse(JSON.stringify(grader)), calculate_output: 'exact / loose' }));
    const infinite = await engine.grade(divide, pair('Paris', { answer: 'Paris', alias: 'x' }));
    assert.deepEqual([infinite.reward, infinite.errors[0]?.code], [0, 'formula_parse_error']);
  });

  it('untrusted: judges and scripts do not run, and say so', async () => {
    const untrusted = createGradingEngine({ trusted: false });
    const js = parseGraderText(JSON.stringify({ type: 'js', name: 'j', source: 'function grade(input) { return 1; }' }));
    const result = await untrusted.grade(js, pair('x'));
    assert.deepEqual([result.reward, result.errors[0].code], [0, 'untrusted_workspace_error']);
    await untrusted.dispose();
  });
});

describe('grading engine: judges through the client layer', () => {
  let server: OpenAiTestServer;
  let engine: GradingEngine;
  before(async () => {
    server = await startOpenAiTestServer();
    const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL }, { retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    engine = createGradingEngine({ judge: apiJudge(client) });
  });
  after(async () => {
    await engine?.dispose();
    await server?.close();
  });
  afterEach(() => server.onChat(undefined));

  const judge = (extra: object = {}) =>
    parseGraderText(
      JSON.stringify({
        type: 'score_model',
        name: 'quality',
        model: 'gpt-4o-mini',
        input: [
          { role: 'system', content: 'Grade.' },
          { role: 'user', content: 'Reference: {{item.reference_answer}}\nAnswer: {{sample.output_text}}' },
        ],
        sampling_params: { temperature: 0, seed: 7 },
        ...extra,
      }),
    );

  it('asks with structured output and the sampling params, clamps to range, keeps the steps', async () => {
    server.onChat(() => ({ content: JSON.stringify({ steps: [{ description: 'compare', conclusion: 'close' }], result: 12 }) }));
    const result = await engine.grade(judge({ range: [0, 10] }), pair('Lyon', { reference_answer: 'Paris' }));
    assert.equal(result.reward, 10);
    assert.deepEqual(result.details?.quality, { steps: [{ description: 'compare', conclusion: 'close' }], label: undefined, result: 12 });
    const request = server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.body as {
      messages: { content: string }[];
      temperature: number;
      seed: number;
      response_format: { type: string; json_schema: { schema: { required: string[] } } };
    };
    assert.equal(request.messages[1].content, 'Reference: Paris\nAnswer: Lyon');
    assert.deepEqual([request.temperature, request.seed, request.response_format.type, request.response_format.json_schema.schema.required], [0, 7, 'json_schema', ['steps', 'result']]);
  });

  it('a non-numeric verdict scores 0 with model_grader_parse_error; a refusal and a server error are named', async () => {
    server.onChat(() => ({ content: '{"steps": [], "result": "great"}' }));
    assert.deepEqual(
      (await engine.grade(judge(), pair('x', { reference_answer: 'y' }))).errors.map((e) => e.code),
      ['model_grader_parse_error'],
    );
    server.onChat(() => ({ refusal: 'I cannot grade this.', content: null }));
    assert.deepEqual(
      (await engine.grade(judge(), pair('x', { reference_answer: 'y' }))).errors.map((e) => e.code),
      ['model_grader_refusal_error'],
    );
    server.onChat(() => ({ error: { status: 400, message: 'model not found' } }));
    const failed = await engine.grade(judge(), pair('x', { reference_answer: 'y' }));
    assert.deepEqual([failed.reward, failed.errors[0].code], [0, 'model_grader_server_error']);
    assert.match(failed.errors[0].message, /model not found/);
  });

  it('retries a 429 and still scores', async () => {
    server.fault({ method: 'POST', path: '/v1/chat/completions' }, { kind: 'status', status: 429, retryAfterSeconds: 0 });
    server.onChat(() => ({ content: '{"steps":[],"result":0.5}' }));
    assert.equal((await engine.grade(judge(), pair('x', { reference_answer: 'y' }))).reward, 0.5);
  });

  it('label_model passes on a passing label', async () => {
    const grader = parseGraderText(
      JSON.stringify({
        type: 'multi',
        name: 'm',
        graders: {
          polite: { type: 'label_model', name: 'polite', model: 'gpt-4o', input: [{ role: 'user', content: 'Polite? {{sample.output_text}}' }], labels: ['yes', 'no'], passing_labels: ['yes'] },
        },
        calculate_output: 'polite',
      }),
    );
    server.onChat(() => ({ content: '{"steps":[],"result":"yes"}' }));
    assert.equal((await engine.grade(grader, pair('Thank you!'))).reward, 1);
    server.onChat(() => ({ content: '{"steps":[],"result":"maybe"}' }));
    assert.deepEqual(
      (await engine.grade(grader, pair('Thank you!'))).errors.map((e) => e.code),
      ['model_grader_parse_error'],
    );
  });
});
