// The job part of the page: status, progress, ETA, the rewards against the baseline, the curves (overall, and per
// grader when the backend reports several), the graders' error rates and the reasoning tokens (hosted RFT), the
// controls, the result (model or failure), events and checkpoints. Event text, grader and model names are data:
// text only.
import {
  changeFromBaseline,
  controlsFor,
  isFinished,
  type CheckpointView,
  type JobControl,
  type JobEventView,
  type JobView,
  type MetricPointView,
  type SplitFigures,
} from '../../src/shared/trainProtocol';
import { el, toolkitButton } from '../shared/dom';
import { formatCount, score, when } from '../dryrun/format';
import { GraderCurves, RewardCurves } from './curves';
import { showSections } from '../shared/view';

/** Events shown (the newest); the job file keeps more. */
const EVENTS_SHOWN = 50;

const STATUS_TEXT: Record<JobView['status'], string> = {
  launching: 'Launching',
  validating: 'Validating files',
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export interface MonitorActions {
  control(action: JobControl, jobId: string): void;
  copyModel(model: string): void;
  newJob(): void;
}

export class JobMonitor {
  readonly element: HTMLElement;
  private readonly status = el('span', { className: 'job-status', attrs: { id: 'job-status', role: 'status' } });
  private readonly meta = el('p', { className: 'hint', attrs: { id: 'job-meta' } });
  private readonly bar = el('div', { className: 'progress-fill' });
  private readonly progressTrack = el('div', { className: 'progress-track', attrs: { id: 'job-progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' } }, [this.bar]);
  private readonly progressText = el('p', { attrs: { id: 'progress-text' } });
  private readonly eta = el('p', { className: 'hint', attrs: { id: 'eta' } });
  private readonly trainReward = el('p', { className: 'reward', attrs: { id: 'train-reward' } });
  private readonly validReward = el('p', { className: 'reward', attrs: { id: 'valid-reward' } });
  private readonly controls: Record<JobControl, HTMLElement>;
  private readonly result = el('section', { className: 'result', attrs: { id: 'result', hidden: '' } });
  private readonly canvas = el('canvas', { attrs: { id: 'curves', role: 'img', 'aria-label': 'Reward by step' } });
  private readonly curvesHint = el('p', { className: 'hint', attrs: { id: 'curves-hint' } });
  private readonly graderCanvas = el('canvas', { attrs: { id: 'grader-curves', role: 'img', 'aria-label': 'Reward by step per grader' } });
  private readonly graderSection = el('section', { attrs: { id: 'graders', 'aria-labelledby': 'graders-heading', hidden: '' } }, [
    el('h3', { text: 'Reward per grader', attrs: { id: 'graders-heading' } }),
    el('div', { className: 'chart-box' }, [this.graderCanvas]),
  ]);
  private readonly errorsSection = el('section', { attrs: { id: 'grader-errors', 'aria-labelledby': 'grader-errors-heading', hidden: '' } });
  private readonly reasoning = el('p', { className: 'hint', attrs: { id: 'reasoning-tokens', hidden: '' } });
  private readonly graderCurves: GraderCurves;
  private readonly events = el('ol', { className: 'events', attrs: { id: 'events' } });
  private readonly checkpoints = el('div', { className: 'table-box', attrs: { id: 'checkpoints' } });
  private readonly curves: RewardCurves;
  /** The parts show() shows or hides (monitorSections). */
  private readonly sections: Record<MonitorSection, HTMLElement>;
  private job: JobView | undefined;

  constructor(private readonly actions: MonitorActions) {
    const control = (action: JobControl, label: string, appearance: 'primary' | 'secondary') =>
      toolkitButton(label, () => this.job && actions.control(action, this.job.id), appearance, { id: action, disabled: '' });
    this.controls = { pause: control('pause', 'Pause', 'secondary'), resume: control('resume', 'Resume', 'secondary'), cancel: control('cancel', 'Cancel Training', 'secondary') };
    this.element = el('section', { className: 'monitor', attrs: { id: 'monitor', 'aria-labelledby': 'monitor-heading', hidden: '' } }, [
      el('div', { className: 'section-header' }, [
        el('div', { className: 'job-title' }, [el('h2', { text: 'Training job', attrs: { id: 'monitor-heading' } }), this.status]),
        el('div', { className: 'toolbar' }, [this.controls.pause, this.controls.resume, this.controls.cancel]),
      ]),
      this.meta,
      this.progressTrack,
      this.progressText,
      this.eta,
      el('div', { className: 'rewards' }, [this.trainReward, this.validReward]),
      this.result,
      el('h3', { text: 'Reward curves' }),
      this.curvesHint,
      el('div', { className: 'chart-box' }, [this.canvas]),
      this.reasoning,
      this.graderSection,
      this.errorsSection,
      el('div', { className: 'columns' }, [
        el('section', { attrs: { 'aria-labelledby': 'events-heading' } }, [el('h3', { text: 'Events', attrs: { id: 'events-heading' } }), this.events]),
        el('section', { attrs: { 'aria-labelledby': 'checkpoints-heading' } }, [el('h3', { text: 'Checkpoints', attrs: { id: 'checkpoints-heading' } }), this.checkpoints]),
      ]),
    ]);
    this.sections = {
      monitor: this.element,
      eta: this.eta,
      pause: this.controls.pause,
      resume: this.controls.resume,
      cancel: this.controls.cancel,
      result: this.result,
      graders: this.graderSection,
      graderErrors: this.errorsSection,
      reasoning: this.reasoning,
    };
    this.curves = new RewardCurves(this.canvas);
    this.graderCurves = new GraderCurves(this.graderCanvas);
  }

  applyTheme(): void {
    this.curves.applyTheme();
    this.graderCurves.applyTheme();
  }

  show(job: JobView, baseline: number | null): void {
    this.job = job;
    showSections(this.sections, monitorSections(job));
    this.status.textContent = STATUS_TEXT[job.status];
    this.status.className = `job-status status-${job.status}`;
    this.status.dataset.status = job.status;
    this.meta.textContent = [job.backend, job.model, job.remoteId ?? job.id, `started ${when(job.createdAt)}`].join(' · ');
    const percent = job.fraction === undefined ? undefined : Math.round(job.fraction * 100);
    this.bar.style.width = `${percent ?? 0}%`;
    this.progressTrack.setAttribute('aria-valuenow', String(percent ?? 0));
    this.progressTrack.classList.toggle('indeterminate', percent === undefined && !isFinished(job.status));
    this.progressText.textContent = progressLine(job);
    this.eta.textContent = etaLine(job);
    this.trainReward.textContent = rewardLine('Train reward', newest(job, 'train'), baseline);
    this.validReward.textContent = rewardLine('Valid reward', newest(job, 'valid'), baseline);
    const enabled = controlsFor(job);
    for (const action of ['pause', 'resume', 'cancel'] as const) this.controls[action].toggleAttribute('disabled', !enabled[action]);
    this.renderResult(job);
    this.curves.show(job.metrics, baseline);
    this.curvesHint.textContent =
      job.metrics.length === 0
        ? 'No metrics yet: points appear as the backend reports steps.'
        : `${formatCount(job.metrics.length)} step${job.metrics.length === 1 ? '' : 's'} reported${baseline === null ? '' : ` · dashed: the dry run's mean (${score(baseline)})`}.`;
    this.renderGraders(job.metrics);
    this.events.replaceChildren(...(job.events.length === 0 ? [el('li', { className: 'muted', text: 'No events yet.' })] : job.events.slice(-EVENTS_SHOWN).reverse().map(eventItem)));
    this.checkpoints.replaceChildren(checkpointTable(job.checkpoints));
  }

  hide(): void {
    showSections(this.sections, monitorSections(undefined));
  }

  /** Per-grader curves (two graders or more), the newest error rates per grader, the reasoning tokens' trend. */
  private renderGraders(points: readonly MetricPointView[]): void {
    if (GraderCurves.names(points).length >= 2) this.graderCurves.show(points);
    const errors = newestWith(points, (point) => point.graderErrors);
    if (errors) this.errorsSection.replaceChildren(el('h3', { text: 'Grader errors', attrs: { id: 'grader-errors-heading' } }), errorTable(errors.step, errors.value));
    const reasoning = points.filter((point) => point.reasoningTokens);
    this.reasoning.textContent = reasoning.length === 0 ? '' : reasoningLine(reasoning[0], reasoning[reasoning.length - 1]);
  }

  private renderResult(job: JobView): void {
    const { result } = this;
    if (!isFinished(job.status)) return;
    const again = toolkitButton('New Training Job…', () => this.actions.newJob(), 'secondary', { id: 'new-job' });
    if (job.status === 'succeeded' && job.resultModel) {
      const model = job.resultModel;
      result.className = 'result result-succeeded';
      result.replaceChildren(
        el('p', { text: 'Training complete. The tuned model:' }),
        el('div', { className: 'model-line' }, [
          el('code', { text: model, attrs: { id: 'result-model' } }),
          toolkitButton('Copy', () => this.actions.copyModel(model), 'primary', { id: 'copy-model' }),
        ]),
        el('p', { className: 'hint', text: 'Step 7 (Deploy) routes traffic to it and benchmarks it against the base model.' }),
        again,
      );
      return;
    }
    result.className = `result result-${job.status}`;
    const last = job.metrics[job.metrics.length - 1];
    const lastMetrics = last ? `Last metrics (step ${last.step}): train ${score(last.train)} · valid ${score(last.valid)}.` : 'No metrics were reported.';
    result.replaceChildren(
      el('p', { attrs: { id: 'failure' }, text: job.status === 'failed' ? `The job failed: ${job.error ?? 'the backend gave no reason.'}` : 'The job was cancelled.' }),
      el('p', { className: 'hint', attrs: { id: 'last-metrics' }, text: lastMetrics }),
      again,
    );
  }
}

function progressLine(job: JobView): string {
  const parts: string[] = [];
  if (job.fraction !== undefined) parts.push(`${Math.round(job.fraction * 100)} %`);
  if (job.step !== undefined) parts.push(`step ${formatCount(job.step)}${job.totalSteps ? ` / ${formatCount(job.totalSteps)}` : ''}`);
  if (job.epoch !== undefined) parts.push(`epoch ${job.epoch}${job.totalEpochs !== undefined ? ` / ${job.totalEpochs}` : ''}`);
  if (parts.length === 0) parts.push(isFinished(job.status) ? STATUS_TEXT[job.status] : `${STATUS_TEXT[job.status]}…`);
  return parts.join(' · ');
}

type MonitorSection = 'monitor' | 'eta' | 'pause' | 'resume' | 'cancel' | 'result' | 'graders' | 'graderErrors' | 'reasoning';

/** Which parts of the monitor show for a job (none without one): controls the backend offers while it runs, the result once it ended. */
function monitorSections(job: JobView | undefined): Record<MonitorSection, boolean> {
  const finished = job !== undefined && isFinished(job.status);
  const points = job?.metrics ?? [];
  return {
    monitor: job !== undefined,
    eta: job !== undefined && etaLine(job) !== '',
    pause: job !== undefined && job.capabilities.pause && !finished,
    resume: job !== undefined && job.capabilities.resume && !finished,
    cancel: job !== undefined && job.capabilities.cancel && !finished,
    result: finished,
    graders: GraderCurves.names(points).length >= 2,
    graderErrors: newestWith(points, (point) => point.graderErrors) !== undefined,
    reasoning: points.some((point) => point.reasoningTokens),
  };
}

function etaLine(job: JobView): string {
  if (isFinished(job.status) || !job.estimatedFinish) return '';
  const left = Date.parse(job.estimatedFinish) - Date.now();
  if (!Number.isFinite(left)) return '';
  const minutes = Math.max(1, Math.round(left / 60_000));
  const span = minutes < 90 ? `~${minutes} min` : `~${Math.round(minutes / 60)} hours`;
  return `ETA: ${span} (${when(job.estimatedFinish)})`;
}

function newest(job: JobView, key: 'train' | 'valid'): number | undefined {
  for (let at = job.metrics.length - 1; at >= 0; at--) {
    const value = job.metrics[at][key];
    if (typeof value === 'number') return value;
  }
  return undefined;
}

function rewardLine(label: string, value: number | undefined, baseline: number | null): string {
  if (value === undefined) return `${label}: —`;
  const change = changeFromBaseline(value, baseline);
  return `${label}: ${score(value)}${change ? ` (${change})` : ''}`;
}

function eventItem(event: JobEventView): HTMLElement {
  return el('li', { className: `event level-${event.level}` }, [el('span', { className: 'event-time', text: when(event.at) }), el('span', { className: 'event-message', text: event.message })]);
}

function checkpointTable(checkpoints: readonly CheckpointView[]): HTMLElement {
  if (checkpoints.length === 0) return el('p', { className: 'empty', text: 'No checkpoints yet.' });
  const head = el('thead', {}, [
    el('tr', {}, [el('th', { className: 'num', text: 'Step' }), el('th', { text: 'Model' }), el('th', { className: 'num', text: 'Train' }), el('th', { className: 'num', text: 'Valid' })]),
  ]);
  const rows = [...checkpoints]
    .reverse()
    .map((checkpoint) =>
      el('tr', { attrs: { 'data-step': String(checkpoint.step) } }, [
        el('td', { className: 'num', text: formatCount(checkpoint.step) }),
        el('td', { className: 'checkpoint-model', text: checkpoint.model }),
        el('td', { className: 'num', text: score(checkpoint.train) }),
        el('td', { className: 'num', text: score(checkpoint.valid) }),
      ]),
    );
  return el('table', { className: 'checkpoints' }, [head, el('tbody', {}, rows)]);
}

/** The newest point that reports `pick`, with its step. */
function newestWith<T>(points: readonly MetricPointView[], pick: (point: MetricPointView) => T | undefined): { step: number; value: T } | undefined {
  for (let at = points.length - 1; at >= 0; at--) {
    const value = pick(points[at]);
    if (value !== undefined) return { step: points[at].step, value };
  }
  return undefined;
}

const percent = (share: number | undefined) => (share === undefined ? '—' : `${(share * 100).toFixed(share > 0 && share < 0.01 ? 1 : 0)} %`);

function errorTable(step: number, errors: Readonly<Record<string, SplitFigures>>): HTMLElement {
  const failing = Object.values(errors).some((rates) => (rates.train ?? 0) > 0 || (rates.valid ?? 0) > 0);
  const head = el('thead', {}, [el('tr', {}, [el('th', { text: 'Grader' }), el('th', { className: 'num', text: 'Train' }), el('th', { className: 'num', text: 'Valid' })])]);
  const rows = Object.entries(errors).map(([name, rates]) =>
    el('tr', { className: (rates.train ?? 0) > 0 || (rates.valid ?? 0) > 0 ? 'failing' : '', attrs: { 'data-grader': name } }, [
      el('td', { text: name }),
      el('td', { className: 'num', text: percent(rates.train) }),
      el('td', { className: 'num', text: percent(rates.valid) }),
    ]),
  );
  return el('div', { className: 'table-box' }, [
    el('p', {
      className: 'hint',
      text: `Share of samples each grader could not score at step ${formatCount(step)}${failing ? ': those samples score 0 (a missing field or output_json without a response_format, an unparsable answer, a grader error).' : '.'}`,
    }),
    el('table', { className: 'grader-errors' }, [head, el('tbody', {}, rows)]),
  ]);
}

function reasoningLine(first: MetricPointView, newest: MetricPointView): string {
  const tokens = (figures: SplitFigures | undefined) =>
    [figures?.train !== undefined ? `train ${formatCount(Math.round(figures.train))}` : '', figures?.valid !== undefined ? `valid ${formatCount(Math.round(figures.valid))}` : '']
      .filter(Boolean)
      .join(' · ');
  const since = first.step !== newest.step ? ` (step ${formatCount(first.step)}: ${tokens(first.reasoningTokens)})` : '';
  return `Reasoning tokens per answer at step ${formatCount(newest.step)}: ${tokens(newest.reasoningTokens)}${since}.`;
}
