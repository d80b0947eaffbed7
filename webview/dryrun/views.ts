// The parts of the results drawn from a run: statistics, per-topic bars, diagnosis and its actions, the comparison
// with the previous run, the samples and the progress of a running one. Text from data goes in as text only.
import type { DiagnosisView, DryRunAction, RunSummaryView, RunView, SampleView, StatsView, TopicProgressView, TopicView } from '../../src/shared/dryRunProtocol';
import { el, toolkitButton } from '../shared/dom';
import { badgeText, decisionClass, delta, dollars, formatCount, score, share } from './format';

export function statsList(stats: StatsView): HTMLElement[] {
  const item = (label: string, value: string, id: string, title?: string) => [
    el('div', { className: 'stat' }, [el('dt', { text: label, attrs: title ? { title } : {} }), el('dd', { text: value, attrs: { id: `stat-${id}` } })]),
  ];
  const tokens = formatCount(stats.promptTokens + stats.completionTokens);
  const errorKinds = Object.entries(stats.errorsByKind)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  return [
    ...item('Samples', `${formatCount(stats.scored)} / ${formatCount(stats.n)}`, 'samples', 'scored / run'),
    ...item('Mean', score(stats.mean), 'mean'),
    ...item('Std', score(stats.std), 'std'),
    ...item('Min', score(stats.min), 'min'),
    ...item('Max', score(stats.max), 'max'),
    ...item('p10 / p50 / p90', `${score(stats.p10)} / ${score(stats.p50)} / ${score(stats.p90)}`, 'percentiles'),
    ...item('Score > 0', share(stats.shareAboveZero), 'share-above-zero'),
    ...item('Score = 1', share(stats.shareOne), 'share-one'),
    ...item(
      'Zero-variance prompts',
      stats.zeroVarianceShare === null ? 'n/a (K = 1)' : share(stats.zeroVarianceShare),
      'zero-variance',
      'With K ≥ 2 samples per prompt: prompts whose K scores are all equal give GRPO no gradient',
    ),
    ...item('Errors', `${share(stats.errorShare)} (${formatCount(stats.errors)})`, 'errors', errorKinds || undefined),
    ...item('Tokens', tokens, 'tokens', `${formatCount(stats.promptTokens)} prompt + ${formatCount(stats.completionTokens)} completion`),
    ...item('Cost', stats.costUsd === null ? 'unknown price' : dollars(stats.costUsd), 'cost'),
  ];
}

/** n, mean (as a bar over 0..1) and rating per topic. */
export function topicsTable(topics: readonly TopicView[]): HTMLElement {
  if (topics.length === 0) return el('p', { className: 'empty', text: 'No topics: the records are not categorized.' });
  const head = el('thead', {}, [
    el('tr', {}, [el('th', { text: 'Topic' }), el('th', { className: 'num', text: 'n' }), el('th', { className: 'num', text: 'Mean' }), el('th', { text: '' }), el('th', { text: 'Rating' })]),
  ]);
  const rows = topics.map((topic) => {
    const bar = el('div', { className: 'bar' });
    bar.style.width = `${Math.max(0, Math.min(1, topic.mean ?? 0)) * 100}%`;
    return el('tr', { attrs: { 'data-topic': topic.topic } }, [
      el('th', { className: 'topic-name', text: topic.topic, attrs: { scope: 'row' } }),
      el('td', { className: 'num', text: formatCount(topic.n) }),
      el('td', { className: 'num mean', text: score(topic.mean) }),
      el('td', { className: 'bar-cell' }, [el('div', { className: 'bar-track', attrs: { 'aria-hidden': 'true' } }, [bar])]),
      el('td', { className: `rating rating-${topic.rating.replace(/\s+/g, '-')}`, text: topic.rating }),
    ]);
  });
  return el('table', { className: 'topics' }, [head, el('tbody', {}, rows)]);
}

export const ACTION_LABELS: Record<DryRunAction, string> = {
  adjustGrader: 'Adjust Grader',
  rerun: 'Re-run',
  reviewDataset: 'Review Dataset',
  startTraining: 'Start Training',
};

export function diagnosisList(diagnosis: readonly DiagnosisView[], act: (action: DryRunAction) => void, trainingEnabled: boolean): HTMLElement[] {
  if (diagnosis.length === 0) return [el('li', { className: 'muted', text: 'Nothing to diagnose.' })];
  return diagnosis.map((line) =>
    el('li', {}, [
      el('span', { className: 'diagnosis-text', text: line.text }),
      line.actions.length > 0
        ? el(
            'span',
            { className: 'diagnosis-actions' },
            line.actions
              .filter((action) => action !== 'startTraining' || trainingEnabled)
              .map((action) => toolkitButton(ACTION_LABELS[action], () => act(action), 'secondary', { 'data-action': action })),
          )
        : null,
    ]),
  );
}

/** This run against the one before: decision, the main statistics and per-topic means, with deltas. */
export function compareView(run: RunSummaryView, previous: RunSummaryView): HTMLElement[] {
  const row = (label: string, now: string, before: string, change: string, id: string) =>
    el('tr', { attrs: { 'data-metric': id } }, [
      el('th', { text: label, attrs: { scope: 'row' } }),
      el('td', { className: 'num', text: now }),
      el('td', { className: 'num', text: before }),
      el('td', { className: 'num delta', text: change }),
    ]);
  const s = run.stats;
  const p = previous.stats;
  const decisionCell = (decision: RunSummaryView['decision']) => (decision ? badgeText(decision) : 'unfinished');
  const head = el('thead', {}, [
    el('tr', {}, [el('th', { text: '' }), el('th', { className: 'num', text: 'This run' }), el('th', { className: 'num', text: 'Previous' }), el('th', { className: 'num', text: 'Δ' })]),
  ]);
  const metrics = el('table', { className: 'compare-table', attrs: { id: 'compare-stats' } }, [
    head,
    el('tbody', {}, [
      row('Decision', decisionCell(run.decision), decisionCell(previous.decision), run.decision === previous.decision ? '=' : `${previous.decision} → ${run.decision}`, 'decision'),
      row('Mean', score(s.mean), score(p.mean), delta(s.mean, p.mean), 'mean'),
      row('Std', score(s.std), score(p.std), delta(s.std, p.std), 'std'),
      row('p50', score(s.p50), score(p.p50), delta(s.p50, p.p50), 'p50'),
      row('Score > 0', share(s.shareAboveZero), share(p.shareAboveZero), delta(s.shareAboveZero, p.shareAboveZero, 1, true), 'shareAboveZero'),
      row('Score = 1', share(s.shareOne), share(p.shareOne), delta(s.shareOne, p.shareOne, 1, true), 'shareOne'),
      row('Errors', share(s.errorShare), share(p.errorShare), delta(s.errorShare, p.errorShare, 1, true), 'errors'),
    ]),
  ]);
  const before = new Map(previous.byTopic.map((topic) => [topic.topic, topic]));
  const names = [...new Set([...run.byTopic.map((t) => t.topic), ...previous.byTopic.map((t) => t.topic)])];
  const now = new Map(run.byTopic.map((topic) => [topic.topic, topic]));
  const topics = el('table', { className: 'compare-table', attrs: { id: 'compare-topics' } }, [
    el('thead', {}, [
      el('tr', {}, [el('th', { text: 'Topic' }), el('th', { className: 'num', text: 'This run' }), el('th', { className: 'num', text: 'Previous' }), el('th', { className: 'num', text: 'Δ mean' })]),
    ]),
    el(
      'tbody',
      {},
      names.map((name) => {
        const a = now.get(name);
        const b = before.get(name);
        return el('tr', { attrs: { 'data-topic': name } }, [
          el('th', { text: name, attrs: { scope: 'row' } }),
          el('td', { className: 'num', text: a ? score(a.mean) : '—' }),
          el('td', { className: 'num', text: b ? score(b.mean) : '—' }),
          el('td', { className: 'num delta', text: delta(a?.mean ?? null, b?.mean ?? null) }),
        ]);
      }),
    ),
  ]);
  return [
    el('h2', { text: 'Compared with the previous run', attrs: { id: 'compare-heading' } }),
    el('p', { className: 'hint', text: `Previous: ${previous.id} · ${previous.model} · ${formatCount(previous.stats.n)} samples` }),
    el('div', { className: 'compare-grid' }, [el('div', { className: 'table-box' }, [metrics]), el('div', { className: 'table-box' }, [topics])]),
  ];
}

export const SAMPLES_SHOWN = 50;

/** The samples a filter shows, in its order. */
export function filterSamples(samples: readonly SampleView[], filter: string, topic: string | undefined): SampleView[] {
  const scored = (sample: SampleView) => sample.score ?? -1;
  switch (filter) {
    case 'highest':
      return samples.filter((s) => s.score !== null).sort((a, b) => scored(b) - scored(a) || a.index - b.index);
    case 'errors':
      return samples.filter((s) => s.error !== undefined && s.error !== '');
    case 'topic':
      return samples.filter((s) => s.topic === topic).sort((a, b) => scored(a) - scored(b) || a.index - b.index);
    default:
      return samples.filter((s) => s.score !== null).sort((a, b) => scored(a) - scored(b) || a.index - b.index);
  }
}

export function sampleItem(sample: SampleView, open: (sample: SampleView) => void): HTMLElement {
  const location = `${sample.file}:${sample.line}`;
  const link = el('button', { className: 'link-button sample-location', text: location, attrs: { type: 'button', title: `Open ${location}` } });
  link.addEventListener('click', () => open(sample));
  const subScores = Object.entries(sample.subScores ?? {});
  return el('li', { className: 'sample', attrs: { 'data-index': String(sample.index) } }, [
    el('div', { className: 'sample-meta' }, [
      el('span', { className: `sample-score${sample.score === null ? ' error' : ''}`, text: sample.score === null ? 'error' : score(sample.score) }),
      link,
      el('span', { className: 'sample-topic', text: sample.topic }),
      sample.sampleIndex > 0 ? el('span', { className: 'sample-k', text: `answer ${sample.sampleIndex + 1}` }) : null,
      subScores.length > 0 ? el('span', { className: 'sample-subscores', text: subScores.map(([name, value]) => `${name} ${score(value)}`).join(' · ') }) : null,
    ]),
    el('div', { className: 'sample-label', text: 'Prompt' }),
    el('pre', { className: 'sample-prompt', text: sample.prompt }),
    el('div', { className: 'sample-label', text: 'Base model' }),
    el('pre', { className: 'sample-response', text: sample.response === null ? '(no answer: the model call failed)' : sample.response === '' ? '(empty answer)' : sample.response }),
    sample.reasoning ? el('div', { className: 'sample-label', text: 'Judge reasoning' }) : null,
    sample.reasoning ? el('pre', { className: 'sample-reasoning', text: sample.reasoning }) : null,
    sample.error ? el('p', { className: 'sample-error field-error', text: sample.error }) : null,
  ]);
}

export function progressTable(topics: readonly TopicProgressView[]): HTMLElement {
  if (topics.length === 0) return el('span');
  return el('table', { className: 'progress-table' }, [
    el('thead', {}, [el('tr', {}, [el('th', { text: 'Topic' }), el('th', { className: 'num', text: 'Done' }), el('th', { text: '' })])]),
    el(
      'tbody',
      {},
      topics.map((topic) =>
        el('tr', { attrs: { 'data-topic': topic.topic } }, [
          el('th', { text: topic.topic, attrs: { scope: 'row' } }),
          el('td', { className: 'num', text: `${formatCount(topic.done)} / ${formatCount(topic.total)}` }),
          el('td', {}, [el('progress', { attrs: { max: String(Math.max(topic.total, 1)), value: String(topic.done) } })]),
        ]),
      ),
    ),
  ]);
}

export function metaLine(run: RunView): string {
  const k = run.samplesPerPrompt > 1 ? ` · ${run.samplesPerPrompt} samples per prompt` : '';
  return `Tested ${formatCount(run.stats.scored)} of ${formatCount(run.stats.n)} samples${k} · ${run.model} · mean ${score(run.stats.mean)} · std ${score(run.stats.std)}`;
}

export { decisionClass };
