import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rftProcess, runRft, runRftAsync } from '../support/runRft';
import { startOpenAiTestServer } from '../support/openaiServer';
import { useTempDir, writeLines } from '../support/tempDir';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'assistant-support');
const exact = { type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{item.answer}}', operation: 'eq' };

describe('rft grader / rft grade (child process)', () => {
  const dir = useTempDir();
  const copyExample = (name: string) => {
    const ds = path.join(dir(), name);
    fs.cpSync(EXAMPLE, ds, { recursive: true, filter: (source) => !source.includes(`${path.sep}.rft`) });
    return ds;
  };

  it('grader run: --json results in input order with the error text; a bad pair line is a sample_parse_error, exit 1', () => {
    const grader = path.join(dir(), 'exact.json');
    fs.writeFileSync(grader, JSON.stringify(exact));
    const pairs = writeLines(path.join(dir(), 'pairs.jsonl'), [{ item: { answer: 'a' }, sample: { output_text: 'a' } }, { item: { answer: 'a' }, sample: 'b' }, '{broken', { item: {}, sample: 'a' }]);
    const run = runRft(['grader', 'run', grader, '--pairs', pairs, '--json']);
    assert.equal(run.code, 1, run.stderr);
    const output = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(output), ['results', 'mean']);
    assert.deepEqual(
      output.results.map((r: { reward: number }) => r.reward),
      [1, 0, 0, 0],
    );
    assert.deepEqual(output.results[0], { reward: 1, sub_rewards: {}, error: null });
    assert.match(output.results[2].error, /^sample_parse_error: pairs\.jsonl:3: not JSON/);
    assert.equal(output.results[3].error, 'invalid_variable_error: {{item.answer}}: item.answer is missing');
    assert.equal(output.mean, 0.25);
    const clean = writeLines(path.join(dir(), 'clean.jsonl'), [{ item: { answer: 'a' }, sample: 'a' }]);
    assert.equal(runRft(['grader', 'run', grader, '--pairs', clean]).code, 0);
  });

  it('exit 2 with the location for a bad grader.json, and for missing flags', () => {
    const grader = path.join(dir(), 'bad.json');
    fs.writeFileSync(
      grader,
      JSON.stringify({
        type: 'multi',
        name: 'm',
        graders: { quality: { type: 'score_model', name: 'q', model: 'm', input: [{ role: 'user', content: 'x' }], range: [1] } },
        calculate_output: 'quality',
      }),
    );
    const run = runRft(['grader', 'run', grader, '--pairs', grader]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'rft grader run: bad.json: graders.quality.range: expected [min, max]\n');
    assert.equal(runRft(['grader', 'run', grader]).code, 2);
    assert.equal(runRft(['grader', 'init', dir(), '--preset', 'format']).code, 2, 'not a dataset');
    assert.match(runRft(['grader', 'frobnicate']).stderr, /init, run, check, export, serve/);
  });

  it('grader init writes a preset (and its scripts), refuses to replace without --force; status shows step 4 complete', () => {
    const ds = copyExample('init');
    let run = runRft(['grader', 'init', ds, '--preset', 'tool-usage', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { file: path.join(ds, 'grader.json'), type: 'multi', description: 'Multi (3): Python · preset tool-usage' });
    for (const script of ['tool_selection', 'tool_input', 'result_usage']) assert.match(fs.readFileSync(path.join(ds, 'graders', `${script}.py`), 'utf8'), /def grade\(sample, item\)/);
    run = runRft(['grader', 'init', ds, '--preset', 'correctness']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /exists: pass --force/);
    assert.equal(runRft(['grader', 'init', ds, '--preset', 'correctness', '--force', '--model', 'o4-mini']).code, 0);
    const status = JSON.parse(runRft(['status', ds, '--json']).stdout);
    assert.deepEqual(
      status.steps[3],
      { id: 'grader', status: 'complete', description: 'LLM judge · o4-mini-2025-04-16 · preset correctness' },
      'the alias pinned to its snapshot; a reasoning judge keeps its temperature',
    );
    fs.writeFileSync(path.join(ds, 'grader.json'), '{"type":"string_check"}');
    const failed = JSON.parse(runRft(['status', ds, '--json']).stdout).steps[3];
    assert.equal(failed.status, 'failed');
  });

  it('grade: 5 records scored with their reference answers (labelled), JSON shape', () => {
    const ds = copyExample('grade');
    fs.writeFileSync(
      path.join(ds, 'grader.json'),
      JSON.stringify({ type: 'text_similarity', name: 'sim', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'rouge_l' }),
    );
    const run = runRft(['grade', ds, '--json']);
    const output = JSON.parse(run.stdout);
    assert.equal(output.rows.length, 5);
    assert.ok(output.rows.every((row: { answerSource: string; line: number; file: string }) => row.answerSource === 'reference' && row.line > 0 && row.file === 'records.jsonl'));
    const withText = output.rows.filter((row: { error: string | null }) => row.error === null);
    assert.ok(
      withText.every((row: { reward: number }) => row.reward === 1),
      'a reference scores 1 against itself',
    );
    assert.equal(run.code, output.rows.some((row: { error: string | null }) => row.error) ? 1 : 0);
    assert.match(runRft(['grade', ds]).stdout, /\[reference answer\]/);
  });

  it('grade --from model answers with the base model through an OpenAI-compatible server', async () => {
    const ds = copyExample('model');
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify({ type: 'string_check', name: 'polite', input: '{{sample.output_text}}', reference: 'sorry', operation: 'ilike' }));
    const server = await startOpenAiTestServer();
    server.onChat((request) => ({ content: request.model === 'base-model' ? 'Sorry about that — here is how to fix it.' : 'wrong model' }));
    try {
      const run = await runRftAsync(['grade', ds, '--from', 'model', '--model', 'base-model', '--samples', '3', '--json'], {
        env: { ...process.env, OPENAI_API_KEY: server.apiKey, OPENAI_BASE_URL: server.baseURL },
      });
      assert.equal(run.code, 0, run.stderr);
      const output = JSON.parse(run.stdout);
      assert.deepEqual(
        output.rows.map((row: { answerSource: string; reward: number }) => [row.answerSource, row.reward]),
        [
          ['model', 1],
          ['model', 1],
          ['model', 1],
        ],
      );
      assert.equal(server.requests.filter((r) => r.path === '/v1/chat/completions').length, 3);
      const noKey = await runRftAsync(['grade', ds, '--from', 'model', '--model', 'm'], { env: { PATH: process.env.PATH } });
      assert.equal(noKey.code, 2);
      assert.match(noKey.stderr, /needs a model provider: set OPENAI_API_KEY/);
    } finally {
      await server.close();
    }
  });

  it('grade --from model: an empty reply is an error of its sample, a failed call too; exit 1 naming it', async () => {
    const ds = copyExample('empty');
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify({ type: 'string_check', name: 'polite', input: '{{sample.output_text}}', reference: 'sorry', operation: 'ilike' }));
    const server = await startOpenAiTestServer();
    const env = { ...process.env, OPENAI_API_KEY: server.apiKey, OPENAI_BASE_URL: server.baseURL };
    try {
      let calls = 0;
      server.onChat(() => (++calls === 1 ? { content: 'Sorry about that.' } : { content: '', finishReason: 'length' }));
      const run = await runRftAsync(['grade', ds, '--from', 'model', '--model', 'base-model', '--samples', '3', '--json'], { env });
      assert.equal(run.code, 1, run.stderr);
      const rows = JSON.parse(run.stdout).rows as { reward: number; error: string | null }[];
      assert.equal(rows.filter((row) => row.error === null && row.reward === 1).length, 1);
      const empty = rows.filter((row) => row.error !== null);
      assert.equal(empty.length, 2);
      for (const row of empty) {
        assert.equal(row.reward, 0);
        assert.match(row.error!, /^empty_answer: base-model gave an empty reply \(finish_reason: length\)/);
      }
      server.onChat(undefined);
      server.fault({ path: '/chat/completions' }, { kind: 'status', status: 404, message: 'The model `base-model` does not exist' }, 100);
      const failed = await runRftAsync(['grade', ds, '--from', 'model', '--model', 'base-model', '--samples', '2'], { env });
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stdout, /✗ answer_failed: .*base-model.*does not exist/);
      assert.match(failed.stderr, /no sample was answered: every call to base-model failed/);
    } finally {
      await server.close();
    }
  });

  it('grader check of a judge whose every scoring failed says the scoring failed, not that the grader is strict', async () => {
    const ds = copyExample('judge-down');
    fs.writeFileSync(
      path.join(ds, 'grader.json'),
      JSON.stringify({
        type: 'score_model',
        name: 'judge',
        model: 'gpt-4o-mini',
        input: [{ role: 'user', content: 'Score 0..1: {{sample.output_text}} against {{item.reference_answer}}' }],
        range: [0, 1],
      }),
    );
    const server = await startOpenAiTestServer();
    try {
      server.fault({ path: '/chat/completions' }, { kind: 'status', status: 400, message: 'The model `gpt-4o-mini` does not exist' }, 1000);
      const run = await runRftAsync(['grader', 'check', ds, '--limit', '4', '--json'], { env: { ...process.env, OPENAI_API_KEY: server.apiKey, OPENAI_BASE_URL: server.baseURL } });
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout) as { verdict: string; findings: string[] };
      assert.equal(report.verdict, 'fail');
      const findings = report.findings.join('\n');
      assert.match(findings, /100 % of the scorings failed \(model_grader_server_error ×\d+; first: .*does not exist\)/);
      assert.match(findings, /could not be checked/);
      assert.doesNotMatch(findings, /strict, or the references|does not look at the content/);
    } finally {
      await server.close();
    }
  });

  it('grade --samples 0 and grader check --limit 0 are refused (exit 2): there would be nothing to report on', () => {
    const ds = copyExample('zero');
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify(exact));
    for (const args of [
      ['grade', ds, '--samples', '0'],
      ['grader', 'check', ds, '--limit', '0'],
    ]) {
      const run = runRft(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}`);
      assert.match(run.stderr, /needs a whole number ≥ 1, got "0"/);
      assert.equal(run.stdout, '');
    }
  });

  it('grader check: flags a grader that gives the empty answer credit (exit 1); passes a sound one', () => {
    const ds = copyExample('check');
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify({ type: 'string_check', name: 'lenient', input: '{{sample.output_text}}', reference: '', operation: 'like' }));
    let run = runRft(['grader', 'check', ds, '--json']);
    assert.equal(run.code, 1);
    const lenient = JSON.parse(run.stdout);
    assert.equal(lenient.verdict, 'fail');
    assert.equal(lenient.controls.empty.mean, 1);
    assert.match(lenient.findings.join('\n'), /credit for saying nothing/);
    fs.writeFileSync(
      path.join(ds, 'grader.json'),
      JSON.stringify({ type: 'text_similarity', name: 'sim', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', evaluation_metric: 'rouge_l' }),
    );
    run = runRft(['grader', 'check', ds, '--json']);
    const sound = JSON.parse(run.stdout);
    assert.ok(sound.auc > 0.8, JSON.stringify(sound));
    assert.ok(sound.references.mean > sound.controls.otherRecord.mean);
  });

  it('grader export: OpenAI JSON, TRL and verl modules, js refused for OpenAI', () => {
    const ds = copyExample('export');
    assert.equal(runRft(['grader', 'init', ds, '--preset', 'conciseness']).code, 0);
    let run = runRft(['grader', 'export', ds, '--target', 'openai', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const exported = JSON.parse(run.stdout);
    const grader = JSON.parse(fs.readFileSync(exported.out, 'utf8'));
    assert.deepEqual(Object.keys(grader.graders), ['length', 'completeness']);
    assert.match(grader.graders.length.source, /def grade/);
    for (const target of ['trl', 'verl']) {
      run = runRft(['grader', 'export', ds, '--target', target, '--json']);
      assert.equal(run.code, 0, run.stderr);
      const module = fs.readFileSync(JSON.parse(run.stdout).out, 'utf8');
      assert.match(module, target === 'trl' ? /def reward\(completions/ : /def compute_score\(data_source, solution_str, ground_truth, extra_info=None/);
    }
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify({ type: 'js', name: 'style', source: 'function grade(input) { return 1; }' }));
    run = runRft(['grader', 'export', ds, '--target', 'azure']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /grader\.json: \(root\): "style" is a js grader, which OpenAI and Azure OpenAI cannot run: rewrite it as a python grader/);
    assert.equal(runRft(['grader', 'export', ds, '--target', 'sagemaker']).code, 2);
  });

  it('grader serve: scores over HTTP until stopped; refuses 0.0.0.0 without --token', async () => {
    const ds = copyExample('serve');
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify(exact));
    const refused = runRft(['grader', 'serve', ds, '--host', '0.0.0.0', '--port', '0']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /without --token/);
    const child = spawn(process.execPath, rftProcess(['grader', 'serve', ds, '--port', '0']), { cwd: ROOT });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          const match = /at (http:\/\/[^ ]+)\/score/.exec(text);
          if (match) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const response = await fetch(`${url}/score`, {
        method: 'POST',
        body: JSON.stringify({
          items: [
            { item: { answer: 'x' }, sample: 'x' },
            { item: { answer: 'x' }, sample: 'y' },
          ],
        }),
      });
      assert.deepEqual(await response.json(), { rewards: [1, 0], errors: [null, null] });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
