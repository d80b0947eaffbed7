// Test Sample and Self-check results. Prompts, answers, judge steps and error messages come from records and
// models: untrusted, so they only ever go in as text.
import type { AnswerSource, CompileProblem, ScoreGroup, SelfCheckView, TestSampleRow } from '../../src/shared/graderProtocol';
import { el, linkButton } from '../shared/dom';

export const ANSWER_SOURCE_LABELS: Readonly<Record<AnswerSource, string>> = { model: 'model', reference: 'reference answer', typed: 'typed' };

export function score(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : String(value);
}

const COLUMNS = ['#', 'Prompt', 'Answer', 'Score', 'Sub-scores', 'Judge steps', 'Errors'];

export function testSampleTable(rows: readonly TestSampleRow[], open: (row: TestSampleRow) => void): HTMLElement {
  if (rows.length === 0) return el('p', { className: 'empty', text: 'No valid records to test on.' });
  const head = el('thead', {}, [
    el(
      'tr',
      {},
      COLUMNS.map((name) => el('th', { text: name, attrs: { scope: 'col' } })),
    ),
  ]);
  const body = el(
    'tbody',
    {},
    rows.map((row, index) => testRow(row, index, open)),
  );
  return el('table', { className: 'results' }, [el('caption', { className: 'visually-hidden', text: 'Test Sample results' }), head, body]);
}

function testRow(row: TestSampleRow, index: number, open: (row: TestSampleRow) => void): HTMLTableRowElement {
  const location = `${row.file}:${row.line}`;
  const subScores = Object.entries(row.subRewards);
  return el('tr', { attrs: { 'data-row': String(index) } }, [
    el('th', { attrs: { scope: 'row' } }, [el('span', { text: String(index + 1) })]),
    el('td', { className: 'prompt' }, [linkButton(location, `Open ${location}`, () => open(row)), el('div', { className: 'text', text: row.prompt })]),
    el('td', { className: 'answer' }, [
      el('span', { className: `source source-${row.answerSource}`, text: ANSWER_SOURCE_LABELS[row.answerSource] }),
      el('div', { className: 'text', text: row.answer }),
    ]),
    el('td', { className: `num score ${scoreClass(row.reward)}`, text: score(row.reward) }),
    el(
      'td',
      { className: 'sub-scores' },
      subScores.length === 0
        ? [el('span', { className: 'muted', text: '—' })]
        : [
            el(
              'ul',
              {},
              subScores.map(([name, value]) => el('li', {}, [el('span', { className: 'sub-name', text: name }), ' ', el('span', { className: 'num', text: score(value) })])),
            ),
          ],
    ),
    el('td', { className: 'steps' }, stepsCell(row)),
    el(
      'td',
      { className: 'errors' },
      row.errors.length === 0
        ? [el('span', { className: 'muted', text: '—' })]
        : [
            el(
              'ul',
              {},
              row.errors.map((error) => el('li', { className: 'error-item', text: `${error.code}: ${error.message}${error.grader ? ` (${error.grader})` : ''}` })),
            ),
          ],
    ),
  ]);
}

function stepsCell(row: TestSampleRow): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (row.label !== undefined) parts.push(el('div', { className: 'label-chosen', text: `label: ${row.label}` }));
  if (row.steps.length === 0) return parts.length > 0 ? parts : [el('span', { className: 'muted', text: '—' })];
  parts.push(
    el(
      'ol',
      {},
      row.steps.map((step) =>
        el('li', {}, [
          row.steps.some((other) => other.grader !== step.grader) ? el('span', { className: 'sub-name', text: `${step.grader}: ` }) : null,
          el('span', { text: step.description }),
          el('span', { className: 'conclusion', text: ` → ${step.conclusion}` }),
        ]),
      ),
    ),
  );
  return parts;
}

function scoreClass(value: number): string {
  if (value >= 0.7) return 'score-high';
  if (value > 0.3) return 'score-mid';
  return 'score-low';
}

const VERDICT_TEXT: Readonly<Record<SelfCheckView['verdict'], string>> = {
  ok: '✓ OK: the grader tells reference answers from the controls',
  warning: '⚠ Warning: the grader separates references from controls only weakly',
  fail: '✖ Fail: the grader gives controls credit it should not',
};

export function selfCheckView(report: SelfCheckView): HTMLElement {
  const row = (label: string, group: ScoreGroup, key: string, hint: string) =>
    el('tr', { attrs: { 'data-group': key } }, [
      el('th', { text: label, attrs: { scope: 'row', title: hint } }),
      el('td', { className: 'num', text: String(group.n) }),
      el('td', { className: 'num', text: score(group.mean) }),
    ]);
  return el('div', { className: 'self-check' }, [
    el('p', { className: `verdict verdict-${report.verdict}`, text: VERDICT_TEXT[report.verdict], attrs: { role: 'status' } }),
    el('p', { className: 'auc' }, ['Separation (AUC, references vs controls): ', el('strong', { text: report.auc.toFixed(2), attrs: { id: 'auc' } })]),
    el('table', { className: 'groups' }, [
      el('thead', {}, [
        el(
          'tr',
          {},
          ['Answers', 'n', 'Mean score'].map((name) => el('th', { text: name, attrs: { scope: 'col' } })),
        ),
      ]),
      el('tbody', {}, [
        row('Reference answers', report.references, 'references', 'Should score high'),
        row('Empty answer', report.controls.empty, 'empty', 'Should score 0'),
        row('Another record’s answer', report.controls.otherRecord, 'otherRecord', 'Should score low'),
        row('Reference padded with filler', report.controls.padded, 'padded', 'Should score lower than the reference'),
      ]),
    ]),
    report.findings.length > 0
      ? el(
          'ul',
          { className: 'findings' },
          report.findings.map((finding) => el('li', { text: finding })),
        )
      : el('p', { className: 'hint', text: 'No findings.' }),
  ]);
}

export function problemsList(problems: readonly CompileProblem[]): HTMLElement {
  return el(
    'ul',
    { className: 'problems' },
    problems.map((problem) => el('li', {}, [problem.path ? el('code', { className: 'problem-path', text: problem.path }) : null, problem.path ? ': ' : null, el('span', { text: problem.message })])),
  );
}
