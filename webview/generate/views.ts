// The parts drawn from data: the setup rows with their count inputs, the run's rows per topic, the preview of the
// latest candidate, the estimate and the result. Text from data (topic names, the model's prompts) goes in as text.
import { MAX_COUNT, type EstimateView, type PreviewView, type ResultView, type TopicProgressView, type TopicRowView } from '../../src/shared/generateProtocol';
import { el } from '../shared/dom';
import { dollars, formatCount, share } from '../dryrun/format';

/** A topic of the setup table, with its count input (`data-topic` on the row and the input). */
export function topicRow(topic: TopicRowView, count: number, changed: () => void): HTMLTableRowElement {
  const input = el('input', {
    className: 'count',
    attrs: { type: 'number', min: '0', max: String(MAX_COUNT), step: '1', value: String(count), 'data-topic': topic.path, 'aria-label': `Records to generate for ${topic.path}` },
  });
  input.addEventListener('input', changed);
  return el('tr', { attrs: { 'data-topic': topic.path } }, [
    el('th', { className: 'topic-name', text: topic.path, attrs: { scope: 'row' } }),
    el('td', { className: 'num', text: formatCount(topic.count) }),
    el('td', { className: 'num', text: share(topic.share) }),
    el('td', { className: 'num', text: share(topic.target) }),
    el('td', { className: `num gap${topic.gap > 0 ? ' thin' : ''}`, text: topic.gap > 0 ? `+${formatCount(topic.gap)}` : '0' }),
    el('td', { className: 'num' }, [input]),
  ]);
}

/** A count input's value: a whole number 0..MAX_COUNT, or undefined when it is not one. */
export function countOf(input: HTMLInputElement): number | undefined {
  const text = input.value.trim();
  if (text === '') return 0;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= MAX_COUNT ? n : undefined;
}

export function runRow(topic: TopicProgressView): HTMLTableRowElement {
  const seen = topic.candidates > 0;
  const bar = el('div', { className: 'bar' });
  bar.style.width = `${Math.min(1, topic.requested > 0 ? topic.written / topic.requested : 0) * 100}%`;
  const cell = (text: string, name: string) => el('td', { className: `num ${name}`, text });
  return el('tr', { attrs: { 'data-topic': topic.topic } }, [
    el('th', { className: 'topic-name', text: topic.topic, attrs: { scope: 'row' } }),
    cell(formatCount(topic.requested), 'requested'),
    cell(formatCount(topic.written), 'written'),
    el('td', { className: 'bar-cell' }, [el('div', { className: 'bar-track', attrs: { 'aria-hidden': 'true' } }, [bar])]),
    cell(seen ? share(topic.validShare, 0) : '—', 'valid'),
    cell(seen ? share(topic.landedShare, 0) : '—', 'landed'),
    cell(formatCount(topic.nearDuplicates), 'near-duplicates'),
    cell(formatCount(topic.duplicates), 'duplicates'),
    cell(formatCount(topic.offTarget), 'off-target'),
    cell(formatCount(topic.invalid), 'invalid'),
  ]);
}

/** "6 / 20 landed · 2 requests · 3,456 tokens · 1 failed request (last: …)". */
export function runStatus(progress: {
  readonly byTopic: readonly TopicProgressView[];
  readonly requests: number;
  readonly tokens: number;
  readonly failedRequests: number;
  readonly lastFailure?: string;
}): string {
  const written = progress.byTopic.reduce((sum, topic) => sum + topic.written, 0);
  const requested = progress.byTopic.reduce((sum, topic) => sum + topic.requested, 0);
  const last = progress.lastFailure ? ` (last: ${progress.lastFailure})` : '';
  const failed = progress.failedRequests > 0 ? ` · ${formatCount(progress.failedRequests)} failed ${progress.failedRequests === 1 ? 'request' : 'requests'}${last}` : '';
  return `${formatCount(written)} / ${formatCount(requested)} landed · ${formatCount(progress.requests)} requests · ${formatCount(progress.tokens)} tokens${failed}`;
}

/** What became of the latest candidate, in words. */
export function outcomeText(preview: PreviewView): string {
  switch (preview.outcome) {
    case 'written':
      return preview.line !== undefined ? `Written to generated.jsonl, line ${formatCount(preview.line)}` : 'Written to generated.jsonl';
    case 'duplicate':
      return 'Rejected: an exact duplicate of a record already in the dataset';
    case 'nearDuplicate':
      return 'Rejected: a near-duplicate of a record already in the dataset';
    case 'offTarget':
      return `Rejected: off-target (placed in ${preview.placedIn ?? 'another topic'})`;
    case 'invalid':
      return `Rejected: invalid (${(preview.codes ?? []).join(', ') || 'no code'})`;
  }
}

export function estimateText(estimate: EstimateView): string {
  const tokens = formatCount(estimate.promptTokens + estimate.completionTokens);
  const cost = estimate.costUsd === null ? 'cost unknown for this model' : `~${dollars(estimate.costUsd)}`;
  return `Estimate: ${formatCount(estimate.records)} records in ~${formatCount(estimate.requests)} requests, ~${tokens} tokens, ${cost} (assuming ${share(estimate.assumedLandedShare, 0)} of the candidates land).`;
}

/** "6 of 6 records landed"; why it stopped is the result's reason, shown under it. */
export function resultSummary(result: ResultView): string {
  return `${formatCount(result.written)} of ${formatCount(result.requested)} records landed`;
}

export function resultDetails(result: ResultView): HTMLElement[] {
  const codes = Object.entries(result.invalidByCode)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${formatCount(n)}`)
    .join(', ');
  const items = [
    `Rejected: ${formatCount(result.invalid)} invalid${codes ? ` (${codes})` : ''}, ${formatCount(result.duplicates)} duplicates, ${formatCount(result.nearDuplicates)} near-duplicates, ${formatCount(result.offTarget)} off-target`,
    `${formatCount(result.requests)} requests${result.failedRequests > 0 ? ` (${formatCount(result.failedRequests)} failed)` : ''} · ${formatCount(result.tokens)} tokens · ${result.costUsd === null ? 'cost unknown' : dollars(result.costUsd)}`,
  ];
  return items.map((text) => el('li', { text }));
}
