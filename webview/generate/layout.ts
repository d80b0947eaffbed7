import { STRATEGY_CHOICES } from '../../src/shared/generateProtocol';
import { banners, type Banners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';

/** The page's fixed parts; the view fills them. */
export interface Layout extends Banners {
  readonly title: HTMLElement;
  readonly start: HTMLElement;
  readonly stop: HTMLElement;
  readonly notice: HTMLElement;
  readonly blocker: HTMLElement;
  readonly blockerText: HTMLElement;
  readonly generateTopics: HTMLElement;
  readonly setup: HTMLElement;
  readonly topics: HTMLTableSectionElement;
  readonly total: HTMLElement;
  readonly totalGap: HTMLElement;
  readonly strategy: HTMLSelectElement;
  readonly strategyExplanation: HTMLElement;
  readonly model: HTMLInputElement;
  readonly estimate: HTMLElement;
  readonly run: HTMLElement;
  readonly runHeading: HTMLElement;
  readonly runStatus: HTMLElement;
  readonly runTopics: HTMLTableSectionElement;
  readonly preview: HTMLElement;
  readonly previewMeta: HTMLElement;
  readonly previewPrompt: HTMLElement;
  readonly result: HTMLElement;
  readonly resultSummary: HTMLElement;
  readonly resultReason: HTMLElement;
  readonly resultDetails: HTMLElement;
}

export interface LayoutActions {
  refresh(): void;
  start(): void;
  stop(): void;
  settingsChanged(): void;
  openCoverage(): void;
  reviewRecords(): void;
  generateTopics(): void;
  dismissError(): void;
}

export function buildLayout(root: HTMLElement, actions: LayoutActions): Layout {
  const title = el('h1', { text: 'Generate Samples' });
  const { busy, busyText, error, errorText } = banners([], actions.dismissError);
  const start = toolkitButton('Start', actions.start, 'primary', { id: 'start', disabled: '' });
  const stop = toolkitButton('Stop', actions.stop, 'secondary', { id: 'stop', hidden: '' });
  const notice = el('div', { className: 'notice-banner', attrs: { id: 'notice', role: 'note', hidden: '' } });
  const blockerText = el('span', { attrs: { id: 'blocker-text' } });
  const generateTopics = toolkitButton('Generate Topics', actions.generateTopics, 'secondary', { id: 'generate-topics', hidden: '' });
  const blocker = el('div', { className: 'notice-banner blocker', attrs: { id: 'blocker', role: 'note', hidden: '' } }, [blockerText, generateTopics]);

  const topics = el('tbody', { attrs: { id: 'topic-rows' } });
  const total = el('td', { className: 'num', attrs: { id: 'total' }, text: '0' });
  const totalGap = el('td', { className: 'num', attrs: { id: 'total-gap' } });
  const table = el('table', { className: 'topics', attrs: { id: 'topics' } }, [
    el('thead', {}, [
      el('tr', {}, [
        el('th', { text: 'Topic' }),
        el('th', { className: 'num', text: 'Records' }),
        el('th', { className: 'num', text: 'Share' }),
        el('th', { className: 'num', text: 'Target' }),
        el('th', { className: 'num', text: 'Gap' }),
        el('th', { className: 'num', text: 'Generate' }),
      ]),
    ]),
    topics,
    el('tfoot', {}, [el('tr', {}, [el('th', { text: 'Total', attrs: { scope: 'row', colspan: '4' } }), totalGap, total])]),
  ]);
  const strategy = el(
    'select',
    { attrs: { id: 'strategy', 'aria-describedby': 'strategy-explanation' } },
    STRATEGY_CHOICES.map((choice) => el('option', { text: choice.label, attrs: { value: choice.value } })),
  );
  const strategyExplanation = el('p', { className: 'hint', attrs: { id: 'strategy-explanation' } });
  const model = el('input', { attrs: { id: 'model', type: 'text', spellcheck: 'false', autocomplete: 'off' } });
  strategy.addEventListener('change', actions.settingsChanged);
  model.addEventListener('input', actions.settingsChanged);
  const estimate = el('p', { className: 'estimate', attrs: { id: 'estimate', role: 'status' } });
  const setup = el('section', { attrs: { id: 'setup', 'aria-labelledby': 'setup-heading', hidden: '' } }, [
    el('h2', { text: 'Topics to fill', attrs: { id: 'setup-heading' } }),
    el('p', {
      className: 'hint',
      text: 'Counts start from the coverage gaps; edit them (0 leaves a topic out). A record lands in generated.jsonl only when it is valid, no (near-)duplicate, and placed in the topic it was made for.',
    }),
    el('div', { className: 'table-box' }, [table]),
    el('div', { className: 'settings' }, [
      el('label', { className: 'field' }, [el('span', { className: 'field-label', text: 'Strategy' }), strategy]),
      strategyExplanation,
      el('label', { className: 'field' }, [el('span', { className: 'field-label', text: 'Model' }), model]),
    ]),
    estimate,
  ]);

  const runHeading = el('h2', { text: 'Generating', attrs: { id: 'run-heading' } });
  const runStatus = el('p', { attrs: { id: 'run-status', role: 'status' } });
  const runTopics = el('tbody', { attrs: { id: 'run-rows' } });
  const runTable = el('table', { className: 'topics run-topics', attrs: { id: 'run-topics' } }, [
    el('thead', {}, [
      el('tr', {}, [
        el('th', { text: 'Topic' }),
        el('th', { className: 'num', text: 'Target' }),
        el('th', { className: 'num', text: 'Generated' }),
        el('th', { text: '' }),
        el('th', { className: 'num', text: 'Valid', attrs: { title: 'Valid candidates / candidates' } }),
        el('th', { className: 'num', text: 'Landed', attrs: { title: 'Records written / candidates' } }),
        el('th', { className: 'num', text: 'Near-dup.', attrs: { title: 'Candidates rejected as near-duplicates' } }),
        el('th', { className: 'num', text: 'Duplicates' }),
        el('th', { className: 'num', text: 'Off-target', attrs: { title: 'Candidates the topic model placed in another topic' } }),
        el('th', { className: 'num', text: 'Invalid' }),
      ]),
    ]),
    runTopics,
  ]);
  const previewMeta = el('p', { className: 'preview-meta', attrs: { id: 'preview-outcome' } });
  const previewPrompt = el('pre', { className: 'preview-prompt', attrs: { id: 'preview-prompt' } });
  const preview = el('div', { className: 'preview', attrs: { id: 'preview', hidden: '' } }, [el('h3', { text: 'Latest candidate' }), previewMeta, previewPrompt]);
  const run = el('section', { attrs: { id: 'run', 'aria-labelledby': 'run-heading', hidden: '' } }, [runHeading, runStatus, el('div', { className: 'table-box' }, [runTable]), preview]);

  const resultSummary = el('p', { className: 'result-summary', attrs: { id: 'result-summary' } });
  const resultReason = el('p', { className: 'hint', attrs: { id: 'result-reason' } });
  const resultDetails = el('ul', { className: 'result-details', attrs: { id: 'result-details' } });
  const result = el('section', { attrs: { id: 'result', 'aria-label': 'Result', hidden: '' } }, [
    resultSummary,
    resultReason,
    resultDetails,
    el('div', { className: 'actions' }, [
      toolkitButton('Open coverage', actions.openCoverage, 'secondary', { id: 'open-coverage' }),
      toolkitButton('Review generated records', actions.reviewRecords, 'secondary', { id: 'review-records' }),
    ]),
  ]);

  root.replaceChildren(
    el('header', { className: 'page-header' }, [title, el('div', { className: 'toolbar' }, [toolkitButton('Refresh', actions.refresh, 'secondary', { id: 'refresh' }), start, stop])]),
    busy,
    error,
    notice,
    blocker,
    result,
    run,
    setup,
  );
  return {
    title,
    busy,
    busyText,
    error,
    errorText,
    start,
    stop,
    notice,
    blocker,
    blockerText,
    generateTopics,
    setup,
    topics,
    total,
    totalGap,
    strategy,
    strategyExplanation,
    model,
    estimate,
    run,
    runHeading,
    runStatus,
    runTopics,
    preview,
    previewMeta,
    previewPrompt,
    result,
    resultSummary,
    resultReason,
    resultDetails,
  };
}
