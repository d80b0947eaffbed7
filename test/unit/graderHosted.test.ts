// What OpenAI's and Azure OpenAI's fine-tuning graders take, held to the vendors' own words in
// test/fixtures/vendor/ (PROVENANCE.md): judge snapshots, pass_threshold on score_model, cosine refused for training,
// the SDK's reasoning_effort values and the sampling constraints — in grader.json's schema, the presets, the
// compile step (`rft grader export`, `rft train`) and the test server's graders validation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileForOpenAI, validateWithOpenAI } from '../../src/core/grader/compile/openai';
import { parseGraderText } from '../../src/core/grader/graderFile';
import type { Grader } from '../../src/core/grader/graderSchema';
import { DEFAULT_JUDGE_MODEL, GRADER_MODELS, pinnedJudgeModel, REASONING_EFFORTS } from '../../src/core/grader/judgeModels';
import { initGrader, PRESETS } from '../../src/core/grader/presets';
import { ModelClient } from '../../src/core/llm/modelClient';
import { validateGrader } from '../support/openaiServer/graderValidation';
import { useOpenAiTestServer } from '../support/openaiServer';
import { runRftAsync } from '../support/runRft';
import { useTempDir } from '../support/tempDir';
import { makeTrainingDataset } from '../fixtures/train/trainingDataset';

const VENDOR = path.resolve(__dirname, '..', 'fixtures', 'vendor');
const vendorText = (file: string) => fs.readFileSync(path.join(VENDOR, file), 'utf8');
const guide = vendorText('openai/graders-guide-model-graders.md');
const azureGuide = vendorText('azure/rft-model-graders.md');
const sdk = JSON.parse(vendorText('openai/sdk-grader-types.json')) as { ReasoningEffort: { values: string[]; copied: string } };
const guideExample = JSON.parse(vendorText('openai/graders-guide-score-model-example.json')) as Record<string, unknown>;

/** "Model grader constraints": the indented bullet list of models. */
const guideModels = [...guide.slice(guide.indexOf('### Model grader constraints')).matchAll(/^ {2,}- `([^`]+)`$/gm)].map((match) => match[1]);
const azureModels = [...azureGuide.matchAll(/^\| `([^`]+)` \| Yes \|$/gm)].map((match) => match[1]);

const judge = (extra: Record<string, unknown> = {}) => ({
  type: 'score_model',
  name: 'judge',
  model: 'gpt-4o-mini-2024-07-18',
  input: [{ role: 'user', content: 'Reference {{item.reference_answer}}; answer {{sample.output_text}}' }],
  range: [0, 1],
  ...extra,
});
const cosine = { type: 'text_similarity', name: 'semantic', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'cosine' };
const parse = (value: object): Grader => parseGraderText(JSON.stringify(value));

describe('hosted graders: what the vendors document', () => {
  const dir = useTempDir();
  const server = useOpenAiTestServer();
  const client = () => new ModelClient({ kind: 'openai', apiKey: server().apiKey, baseURL: server().baseURL });
  const compile = (value: object, target: 'openai' | 'azure' = 'openai') => compileForOpenAI(parse(value), { baseDir: dir(), target });

  it('the judge lists, the default judge and reasoning_effort are the ones the guides and the SDK give', () => {
    assert.equal(guideModels.length, 9, 'the guide lists nine grader models');
    assert.deepEqual(GRADER_MODELS.openai, guideModels);
    assert.deepEqual(GRADER_MODELS.azure, azureModels);
    assert.deepEqual([...REASONING_EFFORTS], sdk.ReasoningEffort.values);
    assert.match(sdk.ReasoningEffort.copied, new RegExp(`Literal\\[${sdk.ReasoningEffort.values.map((value) => `"${value}"`).join(', ')}\\]`));
    assert.ok(guideModels.includes(DEFAULT_JUDGE_MODEL), DEFAULT_JUDGE_MODEL);
    assert.equal(pinnedJudgeModel('gpt-4o-mini'), 'gpt-4o-mini-2024-07-18');
    assert.equal(pinnedJudgeModel('gpt-4o'), 'gpt-4o-2024-08-06');
    assert.equal(pinnedJudgeModel('o3'), 'o3-2025-04-16');
    assert.equal(pinnedJudgeModel('o3-mini'), 'o3-mini-2025-01-31');
    assert.equal(pinnedJudgeModel('llama3.1:8b'), 'llama3.1:8b', 'a local model stays as it is');
  });

  it('the correctness preset judges with a listed snapshot, pins an alias, and drops temperature for a reasoning judge; OpenAI takes it', async () => {
    const built = PRESETS.correctness.build({}).grader as { model: string; sampling_params?: unknown };
    assert.ok(guideModels.includes(built.model), built.model);
    assert.deepEqual(built.sampling_params, { temperature: 0 });
    const reasoning = PRESETS.correctness.build({ model: 'o4-mini' }).grader as { model: string; sampling_params?: unknown };
    assert.equal(reasoning.model, 'o4-mini-2025-04-16');
    assert.equal(reasoning.sampling_params, undefined);
    for (const grader of [built, reasoning]) {
      const compiled = await compileForOpenAI(grader as Grader, { baseDir: dir() });
      assert.deepEqual(compiled.problems, []);
      assert.equal(await validateWithOpenAI(client(), compiled.grader!), undefined);
    }
    const ds = path.join(dir(), 'init');
    fs.mkdirSync(ds);
    fs.writeFileSync(path.join(ds, 'rft.json'), '{"name":"init"}');
    await initGrader(ds, 'correctness');
    assert.equal(JSON.parse(fs.readFileSync(path.join(ds, 'grader.json'), 'utf8')).model, 'gpt-4o-mini-2024-07-18');
  });

  it("the graders guide's own score_model (pass_threshold, reasoning_effort) parses, compiles unchanged and validates", async () => {
    const grader = parse(guideExample);
    const compiled = await compileForOpenAI(grader, { baseDir: dir() });
    assert.deepEqual(compiled.problems, []);
    assert.deepEqual(compiled.grader, guideExample, 'pass_threshold and sampling_params go to the API as written');
    assert.deepEqual((await client().openai.fineTuning.alpha.graders.validate({ grader: guideExample as never })).grader, guideExample);
    assert.throws(() => parse({ ...guideExample, pass_threshold: 'high' }), /pass_threshold/);
    assert.match(String(await validateWithOpenAI(client(), { ...guideExample, pass_threshold: 'high' })), /pass_threshold/);
  });

  it('reasoning_effort: every SDK value parses and validates on a reasoning judge; another value does not', async () => {
    for (const effort of sdk.ReasoningEffort.values) {
      const grader = { ...guideExample, sampling_params: { reasoning_effort: effort } };
      parse(grader);
      assert.equal(await validateWithOpenAI(client(), grader), undefined, effort);
    }
    assert.throws(() => parse({ ...guideExample, sampling_params: { reasoning_effort: 'extreme' } }), /reasoning_effort one of none, minimal, low, medium, high, xhigh, max/);
    assert.match(String(await validateWithOpenAI(client(), { ...guideExample, sampling_params: { reasoning_effort: 'extreme' } })), /reasoning_effort.*'extreme'/);
  });

  it("schemas/grader.schema.json: pass_threshold on score_model, the SDK's reasoning_effort values, cosine said to be for evals only", () => {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'schemas', 'grader.schema.json'), 'utf8'));
    const scoreModel = schema.definitions.score_model.properties;
    assert.deepEqual(scoreModel.pass_threshold.type, 'number');
    assert.deepEqual(scoreModel.sampling_params.properties.reasoning_effort.enum, [...sdk.ReasoningEffort.values, null]);
    assert.ok(guideModels.every((model) => scoreModel.model.description.includes(model)));
    assert.match(schema.definitions.text_similarity.properties.evaluation_metric.description, /cosine.*only for evals/);
  });

  it('cosine is refused for OpenAI and Azure training, at the field, as the test server refuses it; it stays fine locally', async () => {
    const openai = await compile(cosine);
    assert.equal(openai.grader, undefined);
    assert.deepEqual(
      openai.problems.map((problem) => problem.path),
      ['evaluation_metric'],
    );
    assert.match(
      openai.problems[0].message,
      /"semantic": OpenAI offers evaluation_metric cosine only for evals, not for fine-tuning: use fuzzy_match.*TRL and verl score cosine through rft grader serve/,
    );
    const nested = await compile(
      { type: 'multi', name: 'm', graders: { sim: cosine, exact: { type: 'string_check', name: 'exact', input: 'a', reference: 'a', operation: 'eq' } }, calculate_output: 'sim + exact' },
      'azure',
    );
    assert.deepEqual(
      nested.problems.map((problem) => problem.path),
      ['graders.sim.evaluation_metric'],
    );
    assert.match(nested.problems[0].message, /Azure OpenAI's fine-tuning graders have no cosine metric/);
    // The guide lists cosine in the metric union, and says "Only available for evals".
    assert.match(guide, /"evaluation_metric": .*"cosine"/);
    assert.match(guide, /^- `cosine`: .*Only available for evals\.$/m);
    assert.match(String(await validateWithOpenAI(client(), cosine)), /'cosine' is only available for evals/);
    assert.doesNotMatch(azureGuide, /cosine/);
    assert.throws(() => validateGrader(cosine, 'grader', { vendor: 'azure' }), /evaluation_metric.*'cosine'\. Supported values are: 'fuzzy_match'/);
    assert.equal(validateGrader({ ...cosine, evaluation_metric: 'rouge_l' }, 'grader', { vendor: 'azure' }).evaluation_metric, 'rouge_l');
  });

  it('judge models: an undated alias is refused with its snapshot named; Azure takes only its two', async () => {
    const alias = await compile(judge({ model: 'gpt-4o-mini' }));
    assert.deepEqual(
      alias.problems.map((problem) => problem.path),
      ['model'],
    );
    assert.match(alias.problems[0].message, /OpenAI's graders take no judge model "gpt-4o-mini" .*: use the snapshot gpt-4o-mini-2024-07-18/);
    assert.match(String(await validateWithOpenAI(client(), judge({ model: 'gpt-4o-mini' }))), /'gpt-4o-mini' is not supported as a grader model/);
    for (const model of guideModels) assert.equal(await validateWithOpenAI(client(), judge({ model, range: [0, 10] })), undefined, model);

    const azure = await compile(judge(), 'azure');
    assert.match(azure.problems[0].message, /Azure OpenAI's graders take no judge model "gpt-4o-mini-2024-07-18" .*: use one of gpt-4o-2024-08-06, o3-mini-2025-01-31/);
    assert.deepEqual((await compile(judge({ model: 'gpt-4o-2024-08-06' }), 'azure')).problems, []);
    assert.throws(
      () => validateGrader(judge(), 'grader', { vendor: 'azure' }),
      /'gpt-4o-mini-2024-07-18' is not supported as a grader model\. Supported models are: 'gpt-4o-2024-08-06', 'o3-mini-2025-01-31'/,
    );
    assert.equal(validateGrader(judge({ model: 'o3-mini-2025-01-31' }), 'grader', { vendor: 'azure' }).model, 'o3-mini-2025-01-31');
  });

  it("sampling: no temperature change on a reasoning judge, no reasoning_effort on another (the guide's constraints)", async () => {
    assert.match(guide, /^- `temperature` changes not supported for reasoning models\.$/m);
    assert.match(guide, /^- `reasoning_effort` is not supported for non-reasoning models\.$/m);
    const hot = await compile(judge({ model: 'o4-mini-2025-04-16', sampling_params: { temperature: 0 } }));
    assert.deepEqual(
      hot.problems.map((problem) => problem.path),
      ['sampling_params.temperature'],
    );
    assert.match(String(await validateWithOpenAI(client(), judge({ model: 'o4-mini-2025-04-16', sampling_params: { temperature: 0 } }))), /temperature cannot be changed/);
    const effort = await compile({ type: 'multi', name: 'm', graders: { quality: judge({ sampling_params: { reasoning_effort: 'low' } }) }, calculate_output: 'quality' });
    assert.deepEqual(
      effort.problems.map((problem) => problem.path),
      ['graders.quality.sampling_params.reasoning_effort'],
    );
    assert.match(String(await validateWithOpenAI(client(), judge({ sampling_params: { reasoning_effort: 'low' } }))), /reasoning_effort is not supported/);
    assert.deepEqual((await compile(judge({ model: 'o4-mini-2025-04-16', sampling_params: { reasoning_effort: 'high', temperature: 1 } }))).problems, []);
  });

  it('rft grader export --target openai|azure and rft train refuse cosine and a judge the target does not take, naming the field', async function () {
    this.timeout(120_000);
    const ds = path.join(dir(), 'support');
    await makeTrainingDataset(ds, 24);
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify(cosine));
    const env = {
      ...process.env,
      OPENAI_API_KEY: server().apiKey,
      OPENAI_BASE_URL: server().baseURL,
      AZURE_OPENAI_ENDPOINT: server().endpoint,
      AZURE_OPENAI_API_KEY: server().apiKey,
      OPENAI_API_VERSION: '2025-04-01-preview',
      AZURE_OPENAI_DEPLOYMENT: '',
    };
    const exported = await runRftAsync(['grader', 'export', ds, '--target', 'openai'], { env });
    assert.equal(exported.code, 1);
    assert.match(exported.stderr, /^grader\.json: evaluation_metric: "semantic": OpenAI offers evaluation_metric cosine only for evals/);
    assert.equal(fs.existsSync(path.join(ds, 'exports', 'grader.openai.json')), false);
    const trained = await runRftAsync(['train', ds, '--backend', 'azure', '--model', 'o4-mini-2025-04-16', '--force'], { env });
    assert.notEqual(trained.code, 0);
    assert.match(trained.stderr, /grader\.json cannot train on azure: evaluation_metric: "semantic": Azure OpenAI's fine-tuning graders have no cosine metric/);
    assert.equal(server().requests.filter((request) => request.path.endsWith('/files')).length, 0, 'nothing uploaded');

    await initGrader(ds, 'correctness', { overwrite: true });
    const azure = await runRftAsync(['grader', 'export', ds, '--target', 'azure'], { env });
    assert.equal(azure.code, 1);
    assert.match(azure.stderr, /grader\.json: model: "correctness": Azure OpenAI's graders take no judge model "gpt-4o-mini-2024-07-18"/);
    const openai = await runRftAsync(['grader', 'export', ds, '--target', 'openai', '--validate', '--json'], { env: { ...env, AZURE_OPENAI_ENDPOINT: '', AZURE_OPENAI_API_KEY: '' } });
    assert.equal(openai.code, 0, openai.stderr);
    assert.equal(JSON.parse(openai.stdout).validated, true);
  });

  it("the test server's validation reads the vendors' lists, not ours", () => {
    for (const model of guideModels) assert.equal(validateGrader(judge({ model }), 'grader').model, model);
    for (const model of azureModels) assert.equal(validateGrader(judge({ model }), 'grader', { vendor: 'azure' }).model, model);
    assert.throws(() => validateGrader(judge({ sampling_params: { reasoning_effort: 'none' } })), /reasoning_effort is not supported for the non-reasoning model/);
  });
});
