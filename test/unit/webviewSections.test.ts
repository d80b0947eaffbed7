// Which parts each webview page shows, from its view state alone (webview/<page>/state.ts: pure, no DOM). The
// Chromium tests (test/webview) see the same through the rendered pages; these pin the rules one by one.
import * as assert from 'node:assert/strict';
import type { JobView } from '../../src/shared/trainProtocol';
import { deploySections, weightsIgnored, type DeployMessage, type DeployPageState } from '../../webview/deploy/state';
import { dryRunSections, emptyText, type DryRunMessage, type DryRunPageState } from '../../webview/dryrun/state';
import { generateSections, type FinishedMessage, type GeneratePageState, type SetupMessage } from '../../webview/generate/state';
import { coverageSections, type CoverageMessage } from '../../webview/coverage/state';
import { graderSections, type GraderMessage, type GraderPageState } from '../../webview/grader/state';
import { trainSections, type TrainMessage, type TrainPageState } from '../../webview/train/state';

/** Only the fields the section rules read; the rest of a host message does not matter to them. */
const partial = <T>(value: object): T => value as T;

/** The names of the sections that show. */
const shown = (sections: Readonly<Record<string, boolean>>): string[] =>
  Object.keys(sections)
    .filter((name) => sections[name])
    .sort();

describe('webview view state: which sections show', () => {
  describe('dry run', () => {
    const idle: DryRunPageState = { running: false, filter: 'lowest' };
    const withRun = (run: object, extra: object = {}): DryRunMessage => partial<DryRunMessage>({ type: 'dryRun', canRun: true, run, ...extra });

    it('while loading only the empty line shows, saying Loading…', () => {
      assert.deepEqual(shown(dryRunSections(idle)), ['empty']);
      assert.equal(emptyText(undefined), 'Loading…');
    });

    it('a run going shows its progress, Stop and the live histogram, not the last result', () => {
      assert.deepEqual(shown(dryRunSections({ ...idle, running: true, info: withRun({}) })), ['histogram', 'progress', 'stop']);
    });

    it('a finished run shows its result, details and histogram; stale, comparison and the topic filter only when they apply', () => {
      assert.deepEqual(shown(dryRunSections({ ...idle, info: withRun({}) })), ['details', 'histogram', 'result']);
      const everything = dryRunSections({ ...idle, filter: 'topic', notice: 'Stopped.', info: withRun({ stale: 'records changed' }, { previous: {} }) });
      assert.deepEqual(shown(everything), ['compare', 'details', 'histogram', 'notice', 'result', 'stale', 'topicFilter']);
    });

    it('the empty line says why a run cannot start', () => {
      assert.equal(emptyText(partial<DryRunMessage>({ canRun: false, cannotRunReason: 'No grader yet.' })), 'No dry run yet. No grader yet.');
    });
  });

  describe('generate', () => {
    const base: GeneratePageState = { strategy: 'few-shot', running: false, starting: false, stopping: false, runShown: false };
    const setup = (blocker?: object): SetupMessage => partial<SetupMessage>({ type: 'setup', ...(blocker ? { blocker } : {}) });

    it('a dataset without topics shows the blocker and Generate Topics instead of the setup', () => {
      assert.deepEqual(shown(generateSections({ ...base, setup: setup({ kind: 'noTopics', message: 'No topics.' }) })), ['blocker', 'generateTopics', 'start']);
      assert.deepEqual(shown(generateSections({ ...base, setup: setup() })), ['setup', 'start']);
    });

    it('a run going hides the setup and Start and shows its figures, the candidate and Stop', () => {
      const running = generateSections({ ...base, setup: setup(), running: true, runShown: true, preview: partial({ topic: 'a' }) });
      assert.deepEqual(shown(running), ['preview', 'run', 'stop']);
    });

    it('the result shows after a run, except after a failure that left none', () => {
      const finished = (value: object) => generateSections({ ...base, setup: setup(), runShown: true, finished: partial<FinishedMessage>(value) }).result;
      assert.equal(finished({ outcome: 'failed' }), false);
      assert.equal(finished({ outcome: 'failed', result: {} }), true);
      assert.equal(finished({ outcome: 'cancelled' }), true);
    });
  });

  describe('deploy', () => {
    const base: DeployPageState = { running: false, progress: '', tunedFormOpen: false, endpoint: 'openai', mode: 'ab', adminUrl: '', planShown: false };

    it('A/B through config.yaml under a routing strategy that ignores weights shows the routing note', () => {
      assert.equal(weightsIgnored({ ...base, routingStrategy: 'least-busy' }), true);
      assert.equal(weightsIgnored({ ...base, routingStrategy: 'simple-shuffle' }), false);
      assert.equal(weightsIgnored({ ...base, routingStrategy: 'least-busy', adminUrl: 'http://localhost:4000' }), false);
      assert.equal(weightsIgnored({ ...base, routingStrategy: 'least-busy', mode: 'alias' }), false);
      assert.equal(deploySections({ ...base, routingStrategy: 'least-busy' }).routingNote, true);
    });

    it('each deployment option shows its own fields, each endpoint kind its own', () => {
      const fields = (state: Partial<DeployPageState>) => shown(deploySections({ ...base, ...state })).filter((name) => name.endsWith('Field'));
      assert.deepEqual(fields({ mode: 'ab' }), ['modelNameField', 'weightsField']);
      assert.deepEqual(fields({ mode: 'replace' }), ['modelNameField']);
      assert.deepEqual(fields({ mode: 'alias' }), ['aliasField']);
      assert.deepEqual(fields({ mode: 'alias', endpoint: 'azure' }), ['aliasField', 'baseUrlField', 'deploymentField']);
      assert.deepEqual(fields({ mode: 'alias', endpoint: 'compatible' }), ['aliasField', 'baseUrlField']);
    });

    it('the progress line stays after a run that did not finish; results or the empty line by the benchmark', () => {
      assert.equal(deploySections({ ...base, progress: '3 / 10 pairs scored' }).progress, true);
      assert.equal(deploySections(base).progress, false);
      const benchmark = { report: { regressions: ['billing'] } };
      assert.deepEqual(
        shown(deploySections({ ...base, info: partial<DeployMessage>({ benchmark }) })).filter((name) => ['empty', 'results', 'regressions'].includes(name)),
        ['regressions', 'results'],
      );
      assert.deepEqual(
        shown(deploySections(base)).filter((name) => ['empty', 'results', 'regressions'].includes(name)),
        ['empty'],
      );
    });
  });

  describe('training', () => {
    const base: TrainPageState = { formRequested: false, launching: false };
    const job = (status: JobView['status']): JobView => partial<JobView>({ id: 'j1', status });
    const info = (gate?: object): TrainMessage => partial<TrainMessage>({ type: 'train', ...(gate ? { gate } : {}) });

    it('the start form shows without a job, hides while one runs, and comes back after a finished one on New Training Job…', () => {
      assert.equal(trainSections({ ...base, info: info() }).form, true);
      assert.equal(trainSections({ ...base, info: info(), job: job('running') }).form, false);
      assert.equal(trainSections({ ...base, info: info(), job: job('succeeded') }).form, false);
      assert.equal(trainSections({ ...base, info: info(), job: job('succeeded'), formRequested: true }).form, true);
    });

    it('Run a Dry Run… shows without a dry run or after NO-GO or an unfinished one, never while loading', () => {
      assert.equal(trainSections(base).runDryRun, false);
      assert.equal(trainSections({ ...base, info: info() }).runDryRun, true);
      assert.equal(trainSections({ ...base, info: info({ decision: 'NO-GO' }) }).runDryRun, true);
      assert.equal(trainSections({ ...base, info: info({ decision: null }) }).runDryRun, true);
      assert.equal(trainSections({ ...base, info: info({ decision: 'GO' }) }).runDryRun, false);
    });

    it('a failed launch shows its banner, with Run a Dry Run… only when that is the way out', () => {
      const failed = (action?: 'runDryRun') => trainSections({ ...base, launchFailed: { type: 'launchFailed', message: 'no', ...(action ? { action } : {}) } });
      assert.deepEqual([failed().launchError, failed().launchRunDryRun], [true, false]);
      assert.deepEqual([failed('runDryRun').launchError, failed('runDryRun').launchRunDryRun], [true, true]);
    });
  });

  describe('grader and coverage', () => {
    const grader: GraderPageState = { cancellable: false, mode: 'preset', dirty: false, presetDimensions: 0, compiled: false };

    it('grader: Revert only for unsaved changes to a saved grader; the typed answer only once loaded and chosen', () => {
      assert.equal(graderSections({ ...grader, dirty: true }).revert, false);
      assert.equal(graderSections({ ...grader, dirty: true, baseline: '{}' }).revert, true);
      assert.equal(graderSections({ ...grader, from: 'typed' }).typedField, false);
      assert.equal(graderSections({ ...grader, from: 'typed', info: partial<GraderMessage>({ trusted: true }) }).typedField, true);
      assert.deepEqual(shown(graderSections({ ...grader, mode: 'custom', info: partial<GraderMessage>({ trusted: false }) })), ['customPanel', 'trustNotice']);
    });

    it('coverage: the topics once there are any, else the empty line', () => {
      assert.deepEqual(coverageSections({}), { topics: false, empty: true });
      assert.deepEqual(coverageSections({ coverage: partial<CoverageMessage>({ report: { tree: [{}] } }) }), { topics: true, empty: false });
    });
  });
});
