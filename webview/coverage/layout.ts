import { banners, type Banners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';

/** The page's fixed parts; the view fills them. */
export interface Layout extends Banners {
  readonly title: HTMLElement;
  readonly summary: HTMLElement;
  readonly balance: HTMLElement;
  readonly empty: HTMLElement;
  readonly topics: HTMLElement;
  readonly chartBox: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly table: HTMLElement;
  readonly sumError: HTMLElement;
  readonly recordsTitle: HTMLElement;
  readonly recordsCount: HTMLElement;
  readonly recordsList: HTMLElement;
}

export interface LayoutActions {
  refresh(): void;
  categorize(): void;
  saveTargets(): void;
  resetTargets(): void;
  showLowConfidence(): void;
  showUncategorized(): void;
  dismissError(): void;
}

export function buildLayout(root: HTMLElement, actions: LayoutActions): Layout {
  const title = el('h1', { text: 'Coverage' });
  const { busy, busyText, error, errorText } = banners([], actions.dismissError);
  const summary = el('dl', { className: 'totals' });
  const balance = el('p', { className: 'balance' });
  const empty = el('p', { className: 'empty', text: 'Loading coverage…' });
  const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': 'Share per topic' } });
  const chartBox = el('div', { className: 'chart-box' }, [canvas]);
  const table = el('div', { className: 'table-box' });
  const sumError = el('span', { className: 'field-error', attrs: { role: 'alert', id: 'targets-sum-error' } });
  const topics = el('div', { className: 'topics-section', attrs: { hidden: '' } }, [
    el('section', { attrs: { 'aria-labelledby': 'chart-heading' } }, [
      el('h2', { text: 'Share per topic', attrs: { id: 'chart-heading' } }),
      el('p', { className: 'hint', text: 'Bars are each topic’s share of the categorized records; the orange tick is its target. Click a topic to show its subtopics.' }),
      chartBox,
    ]),
    el('section', { attrs: { 'aria-labelledby': 'table-heading' } }, [
      el('h2', { text: 'Topics and targets', attrs: { id: 'table-heading' } }),
      table,
      el('div', { className: 'actions' }, [
        toolkitButton('Save Targets', actions.saveTargets, 'primary', { id: 'save-targets', 'aria-describedby': 'targets-sum-error' }),
        toolkitButton('Reset to uniform', actions.resetTargets, 'secondary', { id: 'reset-targets' }),
        sumError,
      ]),
    ]),
  ]);
  const recordsTitle = el('h2', { text: 'Records', attrs: { id: 'records-heading' } });
  const recordsCount = el('p', { className: 'hint', text: 'Click a topic’s record count, or pick a group.' });
  const recordsList = el('div', { className: 'records-box' });
  root.replaceChildren(
    el('header', { className: 'page-header' }, [
      title,
      el('div', { className: 'toolbar' }, [
        toolkitButton('Refresh', actions.refresh, 'secondary', { id: 'refresh' }),
        toolkitButton('Categorize', actions.categorize, 'primary', { id: 'categorize' }),
      ]),
    ]),
    busy,
    error,
    el('section', { className: 'summary', attrs: { 'aria-label': 'Summary' } }, [summary, balance]),
    empty,
    topics,
    el('vscode-divider', { attrs: { role: 'separator' } }),
    el('section', { className: 'records-section', attrs: { 'aria-labelledby': 'records-heading' } }, [
      el('div', { className: 'section-header' }, [
        recordsTitle,
        el('div', { className: 'toolbar' }, [
          toolkitButton('Low confidence', actions.showLowConfidence, 'secondary', { id: 'show-low-confidence' }),
          toolkitButton('Uncategorized', actions.showUncategorized, 'secondary', { id: 'show-uncategorized' }),
        ]),
      ]),
      recordsCount,
      recordsList,
    ]),
  );
  return { title, busy, busyText, error, errorText, summary, balance, empty, topics, chartBox, canvas, table, sumError, recordsTitle, recordsCount, recordsList };
}
