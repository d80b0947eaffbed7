// The host side of every webview panel, fed what a hostile or broken page could post: each malformed message is
// refused with a clear error (naming the request when it carried an id), logged, and never reaches the host; each
// valid one reaches it. Runs in plain Node: test/support/fakeVscode.ts stands in for the few VS Code parts a panel
// touches (it must be imported first).
import { createdPanels, fakeContext, type FakeWebviewPanel } from '../support/fakeVscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CoveragePanel, type CoverageHost } from '../../src/extension/coverage/coveragePanel';
import { DeployPanel, type DeployHost } from '../../src/extension/deploy/deployPanel';
import { PlaygroundPanel, type PlaygroundHost } from '../../src/extension/deploy/playgroundPanel';
import { DryRunPanel, type DryRunHost } from '../../src/extension/dryrun/dryRunPanel';
import { GeneratePanel, type GenerateHost } from '../../src/extension/generate/generatePanel';
import { GraderPanel, type GraderHost } from '../../src/extension/grader/graderPanel';
import { RecordsPanel, type RecordsHost } from '../../src/extension/records/recordsPanel';
import { TrainPanel, type TrainHost } from '../../src/extension/train/trainPanel';
import { setPanelLog, type DatasetPanel, type DatasetPanels } from '../../src/extension/webview/webviewPanel';

type AnyPanel = DatasetPanel<{ readonly type: string }, { readonly type: string }>;

interface Call {
  readonly name: string;
  readonly args: unknown[];
}

/** A host whose every method is recorded; `answers` gives a method's result (a function is called with the args). */
function recordingHost<Host>(answers: Record<string, unknown> = {}): { host: Host; calls: Call[] } {
  const calls: Call[] = [];
  const host = new Proxy(
    {},
    {
      get: (_target, name) => {
        if (typeof name !== 'string' || name === 'then') return undefined;
        return (...args: unknown[]) => {
          calls.push({ name, args });
          const answer = answers[name];
          return typeof answer === 'function' ? (answer as (...a: unknown[]) => unknown)(...args) : Promise.resolve(answer);
        };
      },
    },
  ) as Host;
  return { host, calls };
}

const logged: string[] = [];
setPanelLog({ warn: (line) => logged.push(line) });

/** An answer the host posted: `done`, or an `error`. */
type Answer = { type: 'done'; requestId: number; request: string } | { type: 'error'; message: string; request?: string; requestId?: number };

let nextId = 1000;

/** The page posts `message` (with a fresh request id when it is an object); resolves with the host's answer. */
async function post(page: FakeWebviewPanel, message: unknown): Promise<Answer> {
  const isObject = typeof message === 'object' && message !== null && !Array.isArray(message);
  const requestId = nextId++;
  const before = page.posted.length;
  page.deliver(isObject ? { ...(message as object), requestId } : message);
  const answered = (m: unknown) => {
    const { type, requestId: id } = m as { type?: string; requestId?: number };
    return isObject ? id === requestId : type === 'error';
  };
  for (let turn = 0; turn < 10_000; turn++) {
    const answer = page.posted.slice(before).find(answered);
    if (answer) return answer as Answer;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`no answer to ${JSON.stringify(message).slice(0, 200)}`);
}

/** What happens after the answer (a run the message started) has had its turn. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
}

interface Opened<Panel> {
  readonly panel: Panel;
  readonly page: FakeWebviewPanel;
  readonly calls: Call[];
}

const DATASET = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-panel-handlers-'));

function open<Panel extends AnyPanel, Host>(registry: DatasetPanels<Panel, Host>, answers: Record<string, unknown>): Opened<Panel> {
  const { host, calls } = recordingHost<Host>(answers);
  const panel = registry.show(fakeContext as never, DATASET, host);
  const page = createdPanels.at(-1)!;
  return { panel, page, calls };
}

/** Messages no protocol takes: each is refused by every panel before any handler runs. */
const HOSTILE_TO_ALL: readonly { readonly message: unknown; readonly error: RegExp }[] = [
  { message: null, error: /^A message must be an object with a type\.$/ },
  { message: 'refresh', error: /^A message must be an object with a type\.$/ },
  { message: 42, error: /^A message must be an object with a type\.$/ },
  { message: [{ type: 'refresh' }], error: /^A message must be an object with a type\.$/ },
  { message: {}, error: /^A message must be an object with a type\.$/ },
  { message: { type: 7 }, error: /^A message must be an object with a type\.$/ },
  { message: { type: 'x'.repeat(1_000_000) }, error: /^A message must be an object with a type\.$/ },
  { message: { type: 'runShell', command: 'rm -rf /' }, error: /^Unknown message type "runShell"\.$/ },
  { message: { type: 'toString' }, error: /^Unknown message type "toString"\.$/ },
  { message: { type: '<script>alert(1)</script>' }, error: /^Unknown message type "<script>alert\(1\)<\/script>"\.$/ },
  { message: JSON.parse('{"type":"refresh","__proto__":{"polluted":true}}'), error: /carries the key "__proto__", which is not allowed/ },
  { message: { type: 'refresh', nested: { constructor: { prototype: { polluted: true } } } }, error: /carries the key "prototype", which is not allowed/ },
  { message: { type: 'refresh', deep: nested(200) }, error: /nests too deep/ },
];

function nested(depth: number): unknown {
  let value: unknown = {};
  for (let level = 0; level < depth; level++) value = { inner: value };
  return value;
}

/** Refuses each message with an error matching its pattern, logs it, and calls nothing on the host. */
async function assertRefused(opened: Opened<unknown>, cases: readonly { readonly message: unknown; readonly error: string | RegExp }[]): Promise<void> {
  for (const { message, error } of cases) {
    const callsBefore = opened.calls.length;
    const answer = await post(opened.page, message);
    const label = JSON.stringify(message)?.slice(0, 120);
    assert.equal(answer.type, 'error', `${label} is refused`);
    if (answer.type !== 'error') continue;
    if (typeof error === 'string') assert.equal(answer.message, error, label);
    else assert.match(answer.message, error, label);
    await settle();
    assert.deepEqual(opened.calls.slice(callsBefore), [], `${label} reaches no host method`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
  }
}

/** The host method each message reaches, with its arguments. */
async function assertReaches(opened: Opened<unknown>, cases: readonly { readonly message: Record<string, unknown>; readonly call: Call }[]): Promise<void> {
  for (const { message, call } of cases) {
    const callsBefore = opened.calls.length;
    const answer = await post(opened.page, message);
    assert.deepEqual(answer, { type: 'done', requestId: nextId - 1, request: message.type }, JSON.stringify(message));
    await settle();
    assert.deepEqual(
      opened.calls.slice(callsBefore).find((c) => c.name === call.name),
      call,
      JSON.stringify(message),
    );
  }
}

const NOT_SHOWN = 'That record is not among those shown.';

describe('panel host side: hostile and malformed webview messages', () => {
  after(() => fs.rmSync(DATASET, { recursive: true, force: true }));

  const coverage = () =>
    open<CoveragePanel, CoverageHost>(CoveragePanel.registry(), {
      coverage: { report: { topics: [], tree: [] }, dataset: 'support', canGenerate: true },
      records: { records: [{ key: 'k', file: 'records.jsonl', line: 4, text: 'hi' }], total: 1 },
    });

  it('every panel refuses what is no message of its protocol, logs it and calls nothing', async () => {
    const opens = [
      coverage,
      () => open<DryRunPanel, DryRunHost>(DryRunPanel.registry(), {}),
      () => open<DeployPanel, DeployHost>(DeployPanel.registry(), { rememberedConfig: () => undefined }),
      () => open<PlaygroundPanel, PlaygroundHost>(PlaygroundPanel.registry(), {}),
      () => open<GeneratePanel, GenerateHost>(GeneratePanel.registry(), {}),
      () => open<GraderPanel, GraderHost>(GraderPanel.registry(), {}),
      () => open<RecordsPanel, RecordsHost>(RecordsPanel.registry(), {}),
      () => open<TrainPanel, TrainHost>(TrainPanel.registry(), { subscribe: () => ({ dispose: () => undefined }) }),
    ];
    for (const openPanel of opens) {
      const opened = openPanel();
      const callsAtOpen = opened.calls.length;
      logged.length = 0;
      await assertRefused({ ...opened, calls: opened.calls.slice(callsAtOpen) }, HOSTILE_TO_ALL);
      assert.deepEqual(opened.calls.slice(callsAtOpen), [], `${opened.page.viewType}: no host call`);
      assert.equal(logged.length, HOSTILE_TO_ALL.length, `${opened.page.viewType}: each refusal is logged`);
      assert.match(logged[7], /refused a message from the webview: Unknown message type "runShell"\./);
    }
  });

  it('an error answers the request it belongs to: a failed Refresh and a failed Preview are told apart', async () => {
    const { page } = open<DeployPanel, DeployHost>(DeployPanel.registry(), { rememberedConfig: () => undefined, load: () => Promise.reject(new Error('deploy.json: unreadable')) });
    const refresh = await post(page, { type: 'refresh' });
    const preview = await post(page, { type: 'preview', choice: { mode: 'replace', modelName: 'support-bot' } });
    assert.deepEqual(refresh, { type: 'error', message: 'deploy.json: unreadable', request: 'refresh', requestId: nextId - 2 });
    assert.deepEqual(preview, { type: 'error', message: 'Choose the LiteLLM config.yaml first.', request: 'preview', requestId: nextId - 1 });
    await settle();
    assert.equal(
      page.posted.some((m) => (m as { type: string }).type === 'done'),
      false,
      'a failed request is not also done',
    );
  });

  it('coverage: targets, filters, records and generation are checked; only records shown may be opened', async () => {
    const opened = coverage();
    await assertRefused(opened, [
      { message: { type: 'setTargets' }, error: 'Targets must be an object of shares.' },
      { message: { type: 'setTargets', targets: 'all' }, error: 'Targets must be an object of shares.' },
      { message: { type: 'setTargets', targets: { 'a/b': 2 } }, error: 'Every target must be a share from 0 to 1.' },
      { message: { type: 'setTargets', targets: { 'a/b': '0.5' } }, error: 'Every target must be a share from 0 to 1.' },
      { message: { type: 'setTargets', targets: JSON.parse('{"__proto__":0.5}') }, error: /"__proto__", which is not allowed/ },
      { message: { type: 'showRecords', filter: { kind: 'everything' } }, error: 'Unknown record filter.' },
      { message: { type: 'showRecords' }, error: 'Unknown record filter.' },
      { message: { type: 'openRecord', file: 'records.jsonl', line: 4 }, error: NOT_SHOWN },
      { message: { type: 'openRecord', file: '../../../etc/passwd', line: 1 }, error: NOT_SHOWN },
      { message: { type: 'openRecord', file: '<script>alert(1)</script>', line: 1 }, error: NOT_SHOWN },
      { message: { type: 'openRecord', file: 'r'.repeat(100_000), line: 1 }, error: NOT_SHOWN },
      { message: { type: 'openRecord', file: ['records.jsonl'], line: 1 }, error: NOT_SHOWN },
      { message: { type: 'generate', path: 3, count: 10 }, error: /^The "generate" message is malformed: path must be string\.$/ },
      { message: { type: 'generate', path: 'a/b', count: -5 }, error: /^The "generate" message is malformed: count/ },
      { message: { type: 'generate', path: 'a/b' }, error: /^The "generate" message is malformed: count must be number\.$/ },
    ]);
    await assertReaches(opened, [
      { message: { type: 'categorize' }, call: { name: 'categorize', args: [DATASET] } },
      { message: { type: 'setTargets', targets: { 'a/b': 0.25, 'a/c': 0.75 } }, call: { name: 'setTargets', args: [DATASET, { 'a/b': 0.25, 'a/c': 0.75 }] } },
      { message: { type: 'resetTargets' }, call: { name: 'setTargets', args: [DATASET, undefined] } },
      { message: { type: 'showRecords', filter: { kind: 'topic', path: 'a/b', extra: '<b>' } }, call: { name: 'records', args: [DATASET, { kind: 'topic', path: 'a/b' }] } },
      { message: { type: 'openRecord', file: 'records.jsonl', line: 4 }, call: { name: 'openRecord', args: [path.join(DATASET, 'records.jsonl'), 4] } },
      { message: { type: 'generate', path: 'a/b', count: 3 }, call: { name: 'generate', args: [DATASET, 'a/b', 3] } },
    ]);
  });

  it('dry run: records only as shown; one run at a time, refused while it runs, stopped by Stop', async () => {
    let signal: AbortSignal | undefined;
    const opened = open<DryRunPanel, DryRunHost>(DryRunPanel.registry(), {
      load: { dataset: 'support', datasetDir: DATASET, canRun: true, run: { samples: [{ file: 'records.jsonl', line: 13 }] } },
      run: (_dir: string, _request: unknown, runSignal: AbortSignal) => {
        signal = runSignal;
        return new Promise((_resolve, reject) => runSignal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
      },
    });
    await post(opened.page, { type: 'ready' });
    await assertRefused(opened, [
      { message: { type: 'openRecord', file: 'records.jsonl', line: 0 }, error: NOT_SHOWN },
      { message: { type: 'openRecord', file: 'records.jsonl' }, error: NOT_SHOWN },
      { message: { type: 'openRecord', file: '/etc/passwd', line: 13 }, error: NOT_SHOWN },
      { message: { type: 'openRecord', file: 13, line: 13 }, error: NOT_SHOWN },
    ]);
    await assertReaches(opened, [
      { message: { type: 'openRecord', file: 'records.jsonl', line: 13 }, call: { name: 'openRecord', args: [path.join(DATASET, 'records.jsonl'), 13] } },
      { message: { type: 'adjustGrader' }, call: { name: 'adjustGrader', args: [DATASET] } },
    ]);
    opened.panel.start({ n: 5, samplesPerPrompt: 1, model: 'gpt-4o-mini' });
    await settle();
    assert.equal(opened.panel.isRunning, true);
    await assertRefused(opened, [{ message: { type: 'rerun' }, error: 'A dry run is in progress: wait for it, or Stop it.' }]);
    await post(opened.page, { type: 'cancel' });
    await settle();
    assert.equal(signal?.aborted, true);
    assert.equal(opened.panel.isRunning, false);
    assert.deepEqual(
      opened.page.posted.filter((m) => (m as { type: string }).type === 'finished'),
      [{ type: 'finished', outcome: 'cancelled', message: 'Stopped: the samples answered so far are kept in the run file.' }],
    );
  });

  it('results & deploy: the tuned model, benchmarks and deployment choices are checked', async () => {
    const opened = open<DeployPanel, DeployHost>(DeployPanel.registry(), {
      rememberedConfig: () => undefined,
      load: { dataset: 'support', datasetDir: DATASET, defaultBase: 'gpt-4o-mini', canRun: true },
    });
    const incomplete = 'That deployment option is incomplete: pick the mode and the model name (A/B: two weights, not both 0).';
    await assertRefused(opened, [
      { message: { type: 'saveTuned' }, error: 'The tuned model needs its model id.' },
      { message: { type: 'saveTuned', tuned: { model: '   ', endpoint: 'openai' } }, error: 'The tuned model needs its model id.' },
      { message: { type: 'saveTuned', tuned: { model: 'ft:x', endpoint: 'ftp' } }, error: 'The endpoint is openai, azure or compatible.' },
      { message: { type: 'runBenchmark', base: '' }, error: 'Name the base model to compare with.' },
      { message: { type: 'runBenchmark', base: 'b'.repeat(10_000) }, error: 'Name the base model to compare with.' },
      { message: { type: 'runBenchmark', base: 'gpt-4o-mini', n: 0 }, error: 'Prompts: a whole number from 1 to 100,000, or empty for all.' },
      { message: { type: 'runBenchmark', base: 'gpt-4o-mini', n: 2.5 }, error: 'Prompts: a whole number from 1 to 100,000, or empty for all.' },
      { message: { type: 'preview', choice: { mode: 'drop-table', modelName: 'x' } }, error: incomplete },
      { message: { type: 'preview', choice: { mode: 'replace', modelName: ' ' } }, error: incomplete },
      { message: { type: 'preview', choice: { mode: 'ab', modelName: 'x', weights: [1] } }, error: incomplete },
      { message: { type: 'deploy', choice: { mode: 'alias', modelName: 'x', adminUrl: 'javascript:alert(1)' } }, error: incomplete },
      { message: { type: 'deploy', choice: { mode: 'replace', modelName: 'x', setSimpleShuffle: true } }, error: incomplete },
      { message: { type: 'preview', choice: { mode: 'replace', modelName: 'support-bot' } }, error: 'Choose the LiteLLM config.yaml first.' },
      { message: { type: 'openRecord', file: 'records.jsonl', line: 1 }, error: NOT_SHOWN },
    ]);
    await assertReaches(opened, [
      {
        message: { type: 'saveTuned', tuned: { model: ' ft:gpt-4o-mini:acme ', endpoint: 'compatible', baseURL: ' http://localhost:8000/v1 ', deployment: '  ' } },
        call: { name: 'saveTuned', args: [DATASET, { model: 'ft:gpt-4o-mini:acme', endpoint: 'compatible', baseURL: 'http://localhost:8000/v1' }] },
      },
      { message: { type: 'undo' }, call: { name: 'undo', args: [DATASET] } },
      { message: { type: 'openPlayground' }, call: { name: 'openPlayground', args: [DATASET] } },
    ]);
  });

  it('playground: a prompt or a record, and a base model; one ask at a time, stopped by Stop', async () => {
    const opened = open<PlaygroundPanel, PlaygroundHost>(PlaygroundPanel.registry(), {
      ask: (_dir: string, _ask: unknown, signal: AbortSignal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))),
    });
    await assertRefused(opened, [
      { message: { type: 'ask', base: 'gpt-4o-mini' }, error: 'Type a prompt, or pick a validation record.' },
      { message: { type: 'ask', prompt: '   ', base: 'gpt-4o-mini' }, error: 'Type a prompt, or pick a validation record.' },
      { message: { type: 'ask', prompt: 5, base: 'gpt-4o-mini' }, error: 'Type a prompt, or pick a validation record.' },
      { message: { type: 'ask', prompt: 'hi', base: '  ' }, error: 'Name the base model.' },
      { message: { type: 'ask', prompt: 'hi' }, error: 'Name the base model.' },
      { message: { type: 'ask', prompt: 'x'.repeat(2_000_000), base: 'gpt-4o-mini' }, error: 'The prompt is longer than 1,000,000 characters.' },
    ]);
    opened.page.deliver({ type: 'ask', prompt: '<script>alert(1)</script>', base: ' gpt-4o-mini ' });
    await settle();
    assert.deepEqual(opened.calls.find((call) => call.name === 'ask')?.args.slice(0, 2), [DATASET, { prompt: '<script>alert(1)</script>', base: 'gpt-4o-mini' }]);
    await assertRefused(opened, [{ message: { type: 'ask', prompt: 'again', base: 'gpt-4o-mini' }, error: 'Both models are still answering: wait, or Stop.' }]);
    await post(opened.page, { type: 'cancel' });
    await settle();
    assert.equal(opened.panel.isRunning, false);
    assert.deepEqual(
      opened.page.posted.filter((m) => (m as { type: string }).type === 'finished'),
      [{ type: 'finished', id: 1, outcome: 'cancelled', message: 'Stopped.' }],
    );
  });

  it("generation: only the setup's topics, whole counts, a known strategy and a model", async () => {
    const opened = open<GeneratePanel, GenerateHost>(GeneratePanel.registry(), {
      load: { dataset: 'support', datasetDir: DATASET, topics: [{ path: 'billing/refunds', count: 3, share: 0.3, target: 0.5, gap: 2 }], counts: {}, model: 'gpt-4o-mini' },
      run: { stopped: 'target', byTopic: [], requests: 1, tokens: 1, failedRequests: 0 },
      landed: () => undefined,
    });
    await post(opened.page, { type: 'ready' });
    const request = { targets: [{ topic: 'billing/refunds', count: 2 }], strategy: 'few-shot', model: 'gpt-4o-mini' };
    await assertRefused(opened, [
      { message: { type: 'start', ...request, targets: [] }, error: 'Choose at least one topic and how many records to generate.' },
      { message: { type: 'start', ...request, targets: 'billing/refunds' }, error: 'Choose at least one topic and how many records to generate.' },
      { message: { type: 'start', ...request, targets: [{ topic: '../../etc', count: 1 }] }, error: '"../../etc" is not a topic of this dataset.' },
      { message: { type: 'start', ...request, targets: [{ topic: 'billing/refunds', count: 1.5 }] }, error: 'The count for billing/refunds must be a whole number from 1 to 100,000.' },
      {
        message: {
          type: 'start',
          ...request,
          targets: [
            { topic: 'billing/refunds', count: 1 },
            { topic: 'billing/refunds', count: 1 },
          ],
        },
        error: 'Each topic may be asked for once.',
      },
      { message: { type: 'start', ...request, strategy: 'rm -rf' }, error: 'The strategy must be one of few-shot, variations, description, tools.' },
      { message: { type: 'start', ...request, model: '' }, error: 'Name the model that writes the records.' },
      { message: { type: 'start', ...request, model: 'm'.repeat(201) }, error: 'Name the model that writes the records.' },
      { message: { type: 'estimate', ...request }, error: 'An estimate request needs its id.' },
    ]);
    opened.page.deliver({ type: 'start', ...request, model: ' gpt-4o-mini ' });
    await settle();
    assert.deepEqual(opened.calls.find((call) => call.name === 'run')?.args.slice(0, 2), [DATASET, request]);
  });

  it('grader: drafts are JSON objects; presets, scripts and Test Sample are checked; only rows shown may be opened', async () => {
    const opened = open<GraderPanel, GraderHost>(GraderPanel.registry(), { usePreset: false, save: { grader: {}, summary: 's' } });
    await assertRefused(opened, [
      { message: { type: 'save', grader: [] }, error: 'The grader must be a JSON object.' },
      { message: { type: 'save', grader: '{"type":"python"}' }, error: 'The grader must be a JSON object.' },
      { message: { type: 'save' }, error: 'The grader must be a JSON object.' },
      { message: { type: 'usePreset', preset: 5 }, error: 'Unknown preset.' },
      { message: { type: 'openScript', kind: 'sh', file: 'graders/x.sh' }, error: 'Not a script grader file.' },
      { message: { type: 'openScript', kind: 'js', file: 5 }, error: 'Not a script grader file.' },
      { message: { type: 'testSample', from: 'the internet' }, error: 'Unknown answer source.' },
      { message: { type: 'testSample', from: 'typed', typed: 'x'.repeat(100_001) }, error: 'The typed answer must be text (at most 100,000 characters).' },
      { message: { type: 'testSample', from: 'typed', typed: '   ' }, error: 'Type the answer to score first.' },
      { message: { type: 'selfCheck', grader: 7 }, error: 'The grader must be a JSON object.' },
      { message: { type: 'compile', seq: 'one', grader: {} }, error: /^The "compile" message is malformed: seq must be number\.$/ },
      { message: { type: 'openRecord', file: '../grader.json', line: 1 }, error: NOT_SHOWN },
    ]);
    await assertReaches(opened, [
      { message: { type: 'usePreset', preset: 'tool-usage' }, call: { name: 'usePreset', args: [DATASET, 'tool-usage'] } },
      { message: { type: 'openScript', kind: 'js', file: 'graders/correctness.js' }, call: { name: 'openScript', args: [DATASET, 'js', 'graders/correctness.js', undefined] } },
      { message: { type: 'save', grader: { type: 'string_check', name: 'exact' } }, call: { name: 'save', args: [DATASET, { type: 'string_check', name: 'exact' }] } },
    ]);
  });

  it("records: filters, offsets and deletions are checked; only lines of the dataset's own files are read or opened", async () => {
    fs.writeFileSync(path.join(DATASET, 'rft.json'), JSON.stringify({ name: 'support' }));
    fs.writeFileSync(path.join(DATASET, 'records.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'Where is my refund?' }] })}\n`);
    const opened = open<RecordsPanel, RecordsHost>(RecordsPanel.registry(), { datasetName: () => 'support', snapshot: undefined });
    await post(opened.page, { type: 'ready' });
    const notListed = 'That record is not among those listed; refresh the list.';
    await assertRefused(opened, [
      { message: { type: 'query', filter: {}, offset: -1 }, error: 'The page offset must be a whole number.' },
      { message: { type: 'query', filter: {}, offset: 0.5 }, error: 'The page offset must be a whole number.' },
      { message: { type: 'query', filter: { status: 'pwned' }, offset: 0 }, error: "The filter's status must be valid, invalid or duplicate." },
      { message: { type: 'query', filter: { search: { $ne: '' } }, offset: 0 }, error: "The filter's search must be a string." },
      { message: { type: 'query', filter: 'all', offset: 0 }, error: 'A records filter must be an object.' },
      { message: { type: 'showRecord', file: '../../../etc/passwd', line: 1 }, error: notListed },
      { message: { type: 'openRecord', file: '/etc/passwd', line: 1 }, error: notListed },
      { message: { type: 'openRecord', file: 'records.jsonl', line: 2 }, error: notListed },
      { message: { type: 'setTopic', file: 'records.jsonl' }, error: notListed },
      { message: { type: 'deleteGenerated', lines: [] }, error: 'Select generated records to delete.' },
      { message: { type: 'deleteGenerated', lines: ['1'] }, error: 'Select generated records to delete.' },
      { message: { type: 'deleteGenerated', lines: [0] }, error: 'Select generated records to delete.' },
    ]);
    await assertReaches(opened, [{ message: { type: 'openRecord', file: 'records.jsonl', line: 1 }, call: { name: 'openRecord', args: [path.join(DATASET, 'records.jsonl'), 1] } }]);
  });

  it('training: job controls and Copy are checked; a malformed start request is a failed launch', async () => {
    const opened = open<TrainPanel, TrainHost>(TrainPanel.registry(), {
      subscribe: () => ({ dispose: () => undefined }),
      load: { dataset: 'support', datasetDir: DATASET, records: { valid: 1, generated: 0 }, canStart: true, notices: {} },
      control: { id: 'job-1', resultModel: 'ft:gpt-4o-mini:acme' },
    });
    await assertRefused(opened, [
      { message: { type: 'control', action: 'delete', jobId: 'job-1' }, error: 'Unknown job control.' },
      { message: { type: 'control', action: 'pause', jobId: { $gt: '' } }, error: 'Unknown job control.' },
      { message: { type: 'copyModel', model: 'ft:someone-else' }, error: 'That model is not shown here.' },
      { message: { type: 'copyModel', model: 5 }, error: 'That model is not shown here.' },
    ]);
    const before = opened.calls.length;
    await post(opened.page, { type: 'start', request: { backend: 'rm -rf /', model: 'x' } });
    assert.equal(
      opened.calls.slice(before).some((call) => call.name === 'start'),
      false,
    );
    assert.match((opened.page.posted.find((m) => (m as { type: string }).type === 'launchFailed') as { message: string }).message, /^Unknown backend "rm -rf \/"/);
    await assertReaches(opened, [
      { message: { type: 'control', action: 'pause', jobId: 'job-1' }, call: { name: 'control', args: [DATASET, 'pause', 'job-1'] } },
      { message: { type: 'copyModel', model: 'ft:gpt-4o-mini:acme' }, call: { name: 'copyModel', args: ['ft:gpt-4o-mini:acme'] } },
    ]);
  });
});
