import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useTempDir, writeLines } from '../support/tempDir';
import { errorReport, runCli, withNegativeValuesAttached } from '../../src/cli/main';
import { useOpenAiTestServer } from '../support/openaiServer';
import { spawnSync } from 'node:child_process';
import { rftProcess, runRft, runRftAsync } from '../support/runRft';
import { assistant, user } from '../support/validate';

const good = (n: number) => ({ messages: [user(`Question number ${n} about my invoice`)] });

describe('rft validate / rft fix (child process)', () => {
  const dir = useTempDir();

  it('exit 0 and a summary box when no record has an error (warnings allowed)', () => {
    const file = writeLines(path.join(dir(), 'ok.jsonl'), [good(1), good(2), good(1), { messages: [user('help')] }]);
    const run = runRft(['validate', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /✓ Valid: +3/);
    assert.match(run.stdout, /⊘ Duplicates: +1/);
    assert.match(run.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1  warning  duplicate  `));
  });

  it('exit 1 and the exact JSON shape when some record has an error', () => {
    const file = writeLines(path.join(dir(), 'bad.jsonl'), [good(1), { messages: [user(), assistant()] }, '{oops', good(1)]);
    const run = runRft(['validate', file, '--json']);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report), ['files', 'total', 'valid', 'invalid', 'warnings', 'duplicates', 'byCode', 'issues', 'tokens']);
    assert.deepEqual([report.total, report.valid, report.invalid, report.warnings, report.duplicates], [4, 1, 2, 0, 1]);
    assert.deepEqual(report.byCode, { last_not_user: 1, invalid_json: 1, duplicate: 1 });
    assert.deepEqual(Object.keys(report.issues[0]), ['file', 'line', 'column', 'code', 'severity', 'message']);
    assert.deepEqual(
      report.issues.map((i: { line: number; code: string }) => [i.line, i.code]),
      [
        [2, 'last_not_user'],
        [3, 'invalid_json'],
        [4, 'duplicate'],
      ],
    );
    assert.deepEqual(Object.keys(report.tokens), ['max', 'p50', 'p90', 'exact']);
    assert.equal(report.tokens.exact, true);
  });

  it('--max-issues caps issues, not counts; --max-tokens and --min-user-chars override the limits', () => {
    const file = writeLines(path.join(dir(), 'many.jsonl'), [...Array.from({ length: 30 }, () => '{'), { messages: [user('word '.repeat(50))] }, { messages: [user('tiny')] }]);
    const capped = JSON.parse(runRft(['validate', file, '--json', '--max-issues', '5']).stdout);
    assert.equal(capped.issues.length, 5);
    assert.equal(capped.invalid, 30);
    const strict = JSON.parse(runRft(['validate', file, '--json', '--max-tokens', '20', '--min-user-chars', '2']).stdout);
    assert.equal(strict.byCode.exceeds_max_tokens, 1);
    assert.equal(strict.byCode.user_message_too_short, undefined);
  });

  it('a dataset folder validates records.jsonl and generated.jsonl with the limits from rft.json', () => {
    const ds = path.join(dir(), 'ds');
    fs.mkdirSync(ds);
    fs.writeFileSync(path.join(ds, 'rft.json'), JSON.stringify({ name: 'ds', settings: { validation: { minUserChars: 40 } } }));
    writeLines(path.join(ds, 'records.jsonl'), [good(1)]);
    writeLines(path.join(ds, 'generated.jsonl'), [good(2), good(1)]);
    const report = JSON.parse(runRft(['validate', ds, '--json']).stdout);
    assert.equal(report.files.length, 2);
    assert.equal(report.total, 3);
    assert.equal(report.duplicates, 1);
    assert.equal(report.byCode.user_message_too_short, 2, 'minUserChars from rft.json applies');
  });

  it('exit 2 with one line on stderr for usage and I/O errors', () => {
    for (const args of [
      ['validate'],
      ['validate', path.join(dir(), 'missing.jsonl')],
      ['validate', dir(), '--json'],
      ['validate', 'x', '--max-tokens', 'lots'],
      ['validate', 'x', '--bogus'],
      ['nope'],
      ['fix', 'x.jsonl', '--code', 'invalid_json'],
    ]) {
      const run = runRft(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(run.stdout, '', args.join(' '));
      assert.equal(run.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${run.stderr}`);
    }
    const ds = path.join(dir(), 'badmanifest');
    fs.mkdirSync(ds);
    fs.writeFileSync(path.join(ds, 'rft.json'), '{"name": 3}');
    writeLines(path.join(ds, 'records.jsonl'), [good(1)]);
    const run = runRft(['validate', ds]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /rft\.json: name/);
  });

  it('rft fix rewrites in place atomically with a .bak, or writes --out', () => {
    const file = writeLines(path.join(dir(), 'fixme.jsonl'), [good(1), { messages: [user('What is 2+2 exactly?'), assistant('4')] }, good(1)], '\r\n');
    const original = fs.readFileSync(file);
    const run = runRft(['fix', file, '--code', 'last_not_user,duplicate,crlf']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /last_not_user 1/);
    assert.deepEqual(fs.readFileSync(`${file}.bak`), original);
    assert.equal(runRft(['validate', file]).code, 0);
    assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 2);
    const out = path.join(dir(), 'fixed-out.jsonl');
    assert.equal(runRft(['fix', `${file}.bak`, '--code', 'last_not_user', '--out', out]).code, 0);
    assert.deepEqual(fs.readFileSync(`${file}.bak`), original, '--out leaves the source alone');
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8').split('\r\n')[1]).reference_answer, '4');
  });
});

describe('errors are one line naming the file or the flag, with the README exit codes (issue 20)', () => {
  const dir = useTempDir();
  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
    return { code, out, err };
  };
  const oneLine = (text: string) => {
    assert.equal(text.split('\n').filter((line) => line !== '').length, 1, text);
    assert.doesNotMatch(text, /Cannot read properties|Cannot create property|EISDIR|ENOENT|illegal operation|argument is ambiguous|\bat .*\.ts:\d+/);
  };
  const dataset = async (name: string, manifest: Record<string, unknown> = { name }) => {
    const ds = path.join(dir(), name);
    await runCli(['init', ds, '--name', name], { out: () => {}, err: () => {} });
    fs.writeFileSync(path.join(ds, 'rft.json'), JSON.stringify(manifest));
    writeLines(
      path.join(ds, 'records.jsonl'),
      Array.from({ length: 12 }, (_, n) => good(n)),
    );
    return ds;
  };

  it('a negative number for a numeric flag says what the flag needs, not parseArgs\' "argument is ambiguous" (exit 2)', async () => {
    const ds = await dataset('numbers');
    for (const [argv, message] of [
      [['validate', ds, '--max-tokens', '-1'], 'rft validate: --max-tokens needs a whole number ≥ 1, got "-1"'],
      [['validate', ds, '--max-tokens', '0'], 'rft validate: --max-tokens needs a whole number ≥ 1, got "0"'],
      [['validate', ds, '--min-user-chars', '-5'], 'rft validate: --min-user-chars needs a whole number ≥ 0, got "-5"'],
      [['records', ds, '--limit', '-3'], 'rft records: --limit needs a whole number ≥ 0, got "-3"'],
      [['split', ds, '--valid', '-0.2'], 'rft split: --valid needs a share between 0 and 1 (e.g. 0.1), got "-0.2"'],
      [['train', ds, '--backend', 'openai', '--model', 'gpt-4o-mini', '--n-epochs', '-2'], 'rft train: --n-epochs needs a whole number ≥ 1, got "-2"'],
      [['train', ds, '--backend', 'openai', '--model', 'gpt-4o-mini', '--n-epochs', '0'], 'rft train: --n-epochs needs a whole number ≥ 1, got "0"'],
      [['benchmark', ds, '--base', 'a', '--tuned', 'b', '--n', '-1'], 'rft benchmark: --n needs a whole number ≥ 1, got "-1"'],
      [['topics', ds, '--leaves', '-1'], 'rft topics: --leaves needs a whole number ≥ 1, got "-1"'],
      [['topics', ds, '--top', '0'], 'rft topics: --top needs a whole number ≥ 1, got "0"'],
      [['dry-run', ds, '--model', 'm', '--n', '-1'], 'rft dry-run: --n needs a whole number ≥ 1, got "-1"'],
    ] as const) {
      const result = await run([...argv]);
      assert.equal(result.code, 2, result.err);
      assert.equal(result.err, `${message}\n`);
    }
    assert.deepEqual(withNegativeValuesAttached(['validate', 'f', '--max-tokens', '-1', '--json', '--seed', '-.5', '--x=-2', '-3']), [
      'validate',
      'f',
      '--max-tokens=-1',
      '--json',
      '--seed=-.5',
      '--x=-2',
      '-3',
    ]);
  });

  it('a folder where a file belongs is "<path>: is a folder", for an output (rename onto it) and an input (a stream read without a path)', async () => {
    const ds = await dataset('folders');
    const folder = fs.mkdirSync(path.join(dir(), 'a-folder'), { recursive: true }) ?? path.join(dir(), 'a-folder');
    for (const argv of [
      ['export', ds, '--out', folder],
      ['fix', path.join(ds, 'records.jsonl'), '--code', 'crlf', '--out', folder],
      ['extract', '--from', 'chat', '--file', folder, '--into', path.join(dir(), 'new-ds')],
    ]) {
      const result = await run(argv);
      assert.equal(result.code, 2, result.err);
      oneLine(result.err);
      assert.equal(result.err, `rft ${argv[0]}: ${folder}: is a folder, not a file\n`);
    }
    assert.deepEqual(fs.readdirSync(folder), [], 'nothing was written into the folder');
  });

  it('node fs errors become "<path>: is a folder / not found / permission denied"; a programming error says it is a bug (exit 1), never a bare TypeError', () => {
    const fsError = (code: string, extra: Record<string, string>) => Object.assign(new Error(`${code}: raw`), { code, syscall: 'open', ...extra });
    assert.deepEqual(errorReport('import', fsError('ENOENT', { path: '/data/x.jsonl' })), { line: 'rft import: /data/x.jsonl: not found', code: 2 });
    assert.deepEqual(errorReport('export', fsError('EACCES', { path: '/ro/out.jsonl' })), { line: 'rft export: /ro/out.jsonl: permission denied', code: 2 });
    assert.deepEqual(errorReport('export', fsError('EISDIR', { path: '/tmp/.out.tmp', dest: '/tmp/out' })), { line: 'rft export: /tmp/out: is a folder, not a file', code: 2 });
    const bug = errorReport('topics', new TypeError("Cannot read properties of undefined (reading 'idx')\n    at cluster (x.ts:1:1)"));
    assert.equal(bug.code, 1);
    assert.equal(bug.line, "rft topics: unexpected error, a bug in rft (please report it with the command line): TypeError: Cannot read properties of undefined (reading 'idx')");
    const usage = Object.assign(new TypeError("Option '--json' does not take an argument"), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
    assert.deepEqual(errorReport('validate', usage), { line: "rft validate: Option '--json' does not take an argument", code: 2 }, "node's parseArgs errors stay usage errors");
  });

  it('rft deploy: a config that is a plain string, does not parse or lacks the model_name asked for is exit 2 with the file named', async () => {
    const ds = await dataset('deploy');
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir(), name), text);
      return path.join(dir(), name);
    };
    const deploy = (config: string) =>
      run(['deploy', ds, '--gateway', 'litellm', '--config', config, '--mode', 'replace', '--model-name', 'bot', '--tuned-model', 'ft:gpt-4o-mini:org::abc', '--dry-run']);
    for (const [config, message] of [
      [write('string.yaml', 'hello\n'), /^rft deploy: string\.yaml: the config is a plain string \("hello"\), not a mapping of settings/],
      [write('broken.yaml', 'model_list: [\n'), /^rft deploy: broken\.yaml:\d+:\d+: /],
      [write('other.yaml', 'model_list:\n  - model_name: other\n    litellm_params: {model: gpt-4o}\n'), /^rft deploy: other\.yaml: no model_name "bot" in model_list; the names are: other$/],
      [path.join(dir(), 'deploy'), /^rft deploy: cannot read .*deploy: it is a folder, not a file$/],
    ] as const) {
      const result = await deploy(config);
      assert.equal(result.code, 2, result.err);
      oneLine(result.err);
      assert.match(result.err.trim(), message);
    }
  });

  describe("a server that answers something else than the endpoint's JSON", () => {
    const server = useOpenAiTestServer();

    it('rft topics --embedder openai: embeddings without data or index are one line naming the server, not "Cannot read properties of undefined"', async () => {
      const ds = await dataset('embeddings');
      writeLines(
        path.join(ds, 'records.jsonl'),
        Array.from({ length: 30 }, (_, n) => good(n)),
      );
      const env = { ...process.env, OPENAI_API_KEY: server().apiKey, OPENAI_BASE_URL: server().baseURL };
      for (const missing of ['data', 'index'] as const) {
        server().fault({ path: '/embeddings' }, { kind: 'malformedEmbeddings', missing }, 50);
        const result = await runRftAsync(['topics', ds, '--embedder', 'openai', '--leaves', '3'], { env });
        assert.equal(result.code, 2, result.stderr);
        const last = result.stderr.trim().split('\n').at(-1) ?? '';
        assert.equal(
          last,
          `rft topics: the server at ${server().baseURL} answered JSON without ${missing === 'data' ? 'data (its keys: embedding)' : 'data[0].index'} (expected embeddings: JSON with data[] of {index, embedding}, one per input)`,
        );
        assert.equal(fs.existsSync(path.join(ds, 'topics.json')), false);
        server().reset();
      }
    });
  });

  it('settings in rft.json with wrong types are errors naming the key and the file (exit 2), not defaults used in silence', async () => {
    for (const [settings, key] of [
      [{ split: { validShare: 'x' } }, /rft\.json: settings\.split\.validShare: /],
      [{ split: { validShare: 1.5 } }, /rft\.json: settings\.split\.validShare: /],
      [{ split: { stratify: 'no' } }, /rft\.json: settings\.split\.stratify: /],
      [{ split: { seed: 'abc' } }, /rft\.json: settings\.split\.seed: /],
      [{ split: { validshare: 0.2 } }, /rft\.json: settings\.split: .*"validshare"/],
      [{ validation: { maxTokens: '8000' } }, /rft\.json: settings\.validation\.maxTokens: /],
    ] as const) {
      const ds = await dataset(`settings-${JSON.stringify(settings).replace(/\W/g, '')}`, { name: 'x', settings });
      for (const command of [
        ['split', ds],
        ['validate', ds],
        ['status', ds],
      ]) {
        const result = await run(command);
        assert.equal(result.code, 2, `${command[0]} ${JSON.stringify(settings)}: ${result.err}`);
        oneLine(result.err);
        assert.match(result.err, key);
      }
      assert.equal(fs.existsSync(path.join(ds, 'exports')), false, 'nothing was split');
    }
    const fine = await dataset('settings-fine', { name: 'x', settings: { split: { validShare: 0.25, seed: 7, stratify: false, generatedInValid: false, minValid: 2 } } });
    const split = await run(['split', fine, '--json']);
    assert.equal(split.code, 0, split.err);
  });
});

describe('the real rft process (the other CLI tests run it in this process)', function () {
  this.timeout(60_000);
  const dir = useTempDir();

  it('exits with the code runCli returns, 0, 1 and 2, and writes the same streams', () => {
    const valid = writeLines(path.join(dir(), 'valid.jsonl'), [good(1)]);
    const invalid = writeLines(path.join(dir(), 'invalid.jsonl'), [good(1), '{oops']);
    for (const args of [['validate', valid, '--json'], ['validate', invalid, '--json'], ['validate', path.join(dir(), 'missing.jsonl')], ['frobnicate']]) {
      const real = spawnSync(process.execPath, rftProcess(args), { encoding: 'utf8' });
      const inProcess = runRft(args);
      assert.deepEqual({ code: real.status, stdout: real.stdout, stderr: real.stderr }, inProcess, args.join(' '));
    }
    assert.deepEqual([runRft(['validate', valid]).code, runRft(['validate', invalid]).code, runRft(['frobnicate']).code], [0, 1, 2]);
  });
});
