import { banners, type Banners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';

/** The page's fixed parts; the view fills them. */
export interface Layout extends Banners {
  readonly title: HTMLElement;
  readonly rerun: HTMLElement;
  readonly stop: HTMLElement;
  readonly notice: HTMLElement;
  readonly empty: HTMLElement;
  readonly result: HTMLElement;
  readonly histogram: HTMLElement;
  readonly details: HTMLElement;
  readonly badge: HTMLElement;
  readonly meta: HTMLElement;
  readonly stale: HTMLElement;
  readonly reasons: HTMLElement;
  readonly progress: HTMLElement;
  readonly progressText: HTMLElement;
  readonly estimate: HTMLElement;
  readonly progressTopics: HTMLElement;
  readonly chartBox: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly histogramHint: HTMLElement;
  readonly stats: HTMLElement;
  readonly topics: HTMLElement;
  readonly diagnosis: HTMLElement;
  readonly actions: HTMLElement;
  readonly compare: HTMLElement;
  readonly filter: HTMLSelectElement;
  readonly topicFilter: HTMLSelectElement;
  readonly samplesCount: HTMLElement;
  readonly samples: HTMLElement;
}

export interface LayoutActions {
  refresh(): void;
  rerun(): void;
  stop(): void;
  filterChanged(): void;
  dismissError(): void;
}

export function buildLayout(root: HTMLElement, actions: LayoutActions): Layout {
  const title = el('h1', { text: 'Dry Run' });
  const { busy, busyText, error, errorText } = banners([], actions.dismissError);
  const rerun = toolkitButton('Run Dry Run…', actions.rerun, 'primary', { id: 'rerun' });
  const stop = toolkitButton('Stop', actions.stop, 'secondary', { id: 'stop', hidden: '' });
  const notice = el('div', { className: 'notice-banner', attrs: { id: 'notice', role: 'note', hidden: '' } });
  const empty = el('p', { className: 'empty', attrs: { id: 'empty' }, text: 'Loading…' });
  const badge = el('span', { className: 'decision', attrs: { id: 'decision', role: 'status' } });
  const meta = el('p', { className: 'hint', attrs: { id: 'run-meta' } });
  const stale = el('div', { className: 'notice-banner', attrs: { id: 'stale', role: 'note', hidden: '' } });
  const reasons = el('ul', { className: 'reasons', attrs: { id: 'reasons' } });
  const progressText = el('p', { attrs: { id: 'progress-text', role: 'status' } });
  const estimate = el('p', { className: 'hint', attrs: { id: 'estimate' } });
  const progressTopics = el('div', { className: 'table-box', attrs: { id: 'progress-topics' } });
  const progress = el('section', { className: 'progress', attrs: { id: 'progress', 'aria-labelledby': 'progress-heading', hidden: '' } }, [
    el('h2', { text: 'Running', attrs: { id: 'progress-heading' } }),
    progressText,
    estimate,
    progressTopics,
  ]);
  const canvas = el('canvas', { attrs: { id: 'histogram', role: 'img', 'aria-label': 'Score distribution' } });
  const chartBox = el('div', { className: 'chart-box' }, [canvas]);
  const histogramHint = el('p', { className: 'hint', text: 'Samples per score bin, from 0 to 1.' });
  const stats = el('dl', { className: 'stats', attrs: { id: 'stats' } });
  const topics = el('div', { className: 'table-box', attrs: { id: 'topics' } });
  const diagnosis = el('ul', { className: 'diagnosis', attrs: { id: 'diagnosis' } });
  const actionsBar = el('div', { className: 'actions', attrs: { id: 'actions' } });
  const compare = el('section', { className: 'compare', attrs: { id: 'compare', 'aria-labelledby': 'compare-heading', hidden: '' } });
  const filter = el('select', { attrs: { id: 'sample-filter', 'aria-label': 'Show samples' } }, [
    el('option', { text: 'Lowest scores', attrs: { value: 'lowest' } }),
    el('option', { text: 'Highest scores', attrs: { value: 'highest' } }),
    el('option', { text: 'Errors', attrs: { value: 'errors' } }),
    el('option', { text: 'By topic', attrs: { value: 'topic' } }),
  ]);
  const topicFilter = el('select', { attrs: { id: 'sample-topic', 'aria-label': 'Topic', hidden: '' } });
  filter.addEventListener('change', actions.filterChanged);
  topicFilter.addEventListener('change', actions.filterChanged);
  const samplesCount = el('p', { className: 'hint', attrs: { id: 'samples-count' } });
  const samples = el('ol', { className: 'samples', attrs: { id: 'samples' } });
  const result = el('div', { className: 'result', attrs: { hidden: '' } }, [
    el('section', { className: 'decision-section', attrs: { 'aria-label': 'Decision' } }, [badge, el('div', { className: 'decision-detail' }, [meta, reasons])]),
    stale,
  ]);
  const histogram = el('section', { className: 'histogram-section', attrs: { id: 'histogram-section', 'aria-labelledby': 'histogram-heading', hidden: '' } }, [
    el('h2', { text: 'Score distribution', attrs: { id: 'histogram-heading' } }),
    histogramHint,
    chartBox,
  ]);
  const details = el('div', { className: 'details', attrs: { hidden: '' } }, [
    el('section', { attrs: { 'aria-labelledby': 'stats-heading' } }, [el('h2', { text: 'Statistics', attrs: { id: 'stats-heading' } }), stats]),
    el('section', { attrs: { 'aria-labelledby': 'topics-heading' } }, [el('h2', { text: 'By topic', attrs: { id: 'topics-heading' } }), topics]),
    el('section', { attrs: { 'aria-labelledby': 'diagnosis-heading' } }, [el('h2', { text: 'Diagnosis', attrs: { id: 'diagnosis-heading' } }), diagnosis, actionsBar]),
    compare,
    el('vscode-divider', { attrs: { role: 'separator' } }),
    el('section', { attrs: { 'aria-labelledby': 'samples-heading' } }, [
      el('div', { className: 'section-header' }, [el('h2', { text: 'Samples', attrs: { id: 'samples-heading' } }), el('div', { className: 'toolbar' }, [filter, topicFilter])]),
      samplesCount,
      samples,
    ]),
  ]);
  root.replaceChildren(
    el('header', { className: 'page-header' }, [title, el('div', { className: 'toolbar' }, [toolkitButton('Refresh', actions.refresh, 'secondary', { id: 'refresh' }), rerun, stop])]),
    busy,
    error,
    notice,
    empty,
    progress,
    result,
    histogram,
    details,
  );
  return {
    title,
    busy,
    busyText,
    error,
    errorText,
    rerun,
    stop,
    notice,
    empty,
    result,
    histogram,
    details,
    badge,
    meta,
    stale,
    reasons,
    progress,
    progressText,
    estimate,
    progressTopics,
    chartBox,
    canvas,
    histogramHint,
    stats,
    topics,
    diagnosis,
    actions: actionsBar,
    compare,
    filter,
    topicFilter,
    samplesCount,
    samples,
  };
}
