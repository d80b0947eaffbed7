// The results panel's pieces built from the protocol's data: the topic table with flags, the before/after sample
// comparisons, the diff as text lines. Every piece of data goes in as text.
import type { ComparisonView, TopicFiguresView } from '../../src/shared/deployProtocol';
import { el, linkButton } from '../shared/dom';
import { beforeAfter, interval, score, VERDICT_TEXT, verdictClass } from './format';

export function topicsTable(topics: readonly TopicFiguresView[]): HTMLElement {
  const head = el('thead', {}, [
    el(
      'tr',
      {},
      ['Topic', 'n', 'Base → tuned', '95 % CI of Δ', ''].map((text) => el('th', { text, attrs: { scope: 'col' } })),
    ),
  ]);
  const rows = topics.map((topic) =>
    el('tr', { className: verdictClass(topic.verdict), attrs: { 'data-topic': topic.topic, 'data-verdict': topic.verdict } }, [
      el('td', { text: topic.topic }),
      el('td', { className: 'num', text: String(topic.n) }),
      el('td', { className: 'num', text: beforeAfter(topic) }),
      el('td', { className: 'num', text: interval(topic.ci) }),
      el('td', { className: 'flag', text: topic.verdict === 'improvement' ? VERDICT_TEXT.improvement : topic.verdict === 'no data' ? '' : VERDICT_TEXT[topic.verdict] }),
    ]),
  );
  return el('table', { className: 'topics' }, [head, el('tbody', {}, rows)]);
}

export function comparisonItem(sample: ComparisonView, open: (sample: ComparisonView) => void): HTMLElement {
  const side = (title: string, answer: ComparisonView['base'], className: string) =>
    el('div', { className: `answer ${className}` }, [
      el('div', { className: 'answer-head' }, [el('span', { text: title }), el('span', { className: 'answer-score', text: `Score: ${score(answer.score)}` })]),
      el('pre', { className: 'answer-text', text: answer.response ?? '(no answer)' }),
    ]);
  return el('li', { className: 'comparison', attrs: { 'data-key': sample.key } }, [
    el('div', { className: 'comparison-head' }, [
      linkButton(`${sample.file}:${sample.line}`, `Open ${sample.file} at line ${sample.line}`, () => open(sample)),
      el('span', { className: 'hint', text: ` · ${sample.topic} · Δ ${sample.delta >= 0 ? '+' : '−'}${Math.abs(sample.delta).toFixed(2)}` }),
    ]),
    el('pre', { className: 'prompt', text: sample.prompt }),
    el('div', { className: 'answers' }, [side('Before', sample.base, 'before'), side('After', sample.tuned, 'after')]),
  ]);
}

/** The unified diff, one line per element, coloured by its first character. */
export function diffLines(diff: string): HTMLElement[] {
  return diff
    .split('\n')
    .filter((line, i, all) => !(line === '' && i === all.length - 1))
    .map((line) => {
      const kind = line.startsWith('+++') || line.startsWith('---') ? 'file' : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
      return el('span', { className: `diff-line diff-${kind}`, text: `${line}\n` });
    });
}
