import { banners, errorBanner, type Banners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';

/** The page's fixed parts; the view fills them. */
export interface Layout extends Banners {
  readonly title: HTMLElement;
  readonly status: HTMLElement;
  readonly save: HTMLElement;
  readonly revert: HTMLElement;
  readonly cancel: HTMLElement;
  readonly trustNotice: HTMLElement;
  readonly loadError: HTMLElement;
  readonly loadErrorText: HTMLElement;
  readonly saveError: HTMLElement;
  readonly modePreset: HTMLInputElement;
  readonly modeCustom: HTMLInputElement;
  readonly presetPanel: HTMLElement;
  readonly presetSelect: HTMLSelectElement;
  readonly presetDescription: HTMLElement;
  readonly presetSummary: HTMLElement;
  readonly presetDimensions: HTMLElement;
  readonly customPanel: HTMLElement;
  readonly kindSelect: HTMLSelectElement;
  readonly summary: HTMLElement;
  readonly form: HTMLElement;
  readonly formErrors: HTMLElement;
  readonly compileStatus: HTMLElement;
  readonly problems: HTMLElement;
  readonly openaiJson: HTMLElement;
  readonly answerFrom: HTMLSelectElement;
  readonly typedField: HTMLElement;
  readonly typedAnswer: HTMLTextAreaElement;
  readonly testSample: HTMLElement;
  readonly testNote: HTMLElement;
  readonly testMean: HTMLElement;
  readonly testResults: HTMLElement;
  readonly selfCheck: HTMLElement;
  readonly selfCheckResults: HTMLElement;
  readonly models: HTMLDataListElement;
}

export interface LayoutActions {
  save(): void;
  revert(): void;
  refresh(): void;
  openGraderFile(): void;
  cancel(): void;
  modeChanged(mode: 'preset' | 'custom'): void;
  presetChanged(): void;
  usePreset(): void;
  kindChanged(): void;
  answerFromChanged(): void;
  typedChanged(): void;
  testSample(): void;
  selfCheck(): void;
  dismissError(): void;
}

export function buildLayout(root: HTMLElement, actions: LayoutActions): Layout {
  const title = el('h1', { text: 'Grader' });
  const status = el('span', { className: 'save-status', attrs: { id: 'save-status', role: 'status' } });
  const save = toolkitButton('Save', actions.save, 'primary', { id: 'save', 'aria-describedby': 'save-error' });
  const revert = toolkitButton('Revert', actions.revert, 'secondary', { id: 'revert', hidden: '' });
  const cancel = toolkitButton('Cancel', actions.cancel, 'secondary', { id: 'cancel', hidden: '' });
  const { busy, busyText, error, errorText } = banners([cancel], actions.dismissError);
  const trustNotice = el('div', { className: 'notice-banner', attrs: { id: 'trust-notice', role: 'note', hidden: '' } }, [
    el('span', { text: '⚠', attrs: { 'aria-hidden': 'true' } }),
    el('span', {
      text: 'This workspace is not trusted: LLM judges and script graders (python, js) do not run here, so Test Sample and Self-check are off for graders that use them. Viewing, editing and saving work. Trust the workspace to run them.',
    }),
  ]);
  const loadErrorText = el('span', { className: 'error-text', attrs: { id: 'load-error-text' } });
  const openFile = el('button', { className: 'link-button', text: 'Open grader.json', attrs: { type: 'button' } });
  openFile.addEventListener('click', actions.openGraderFile);
  const loadError = errorBanner(loadErrorText, openFile, { id: 'load-error' });
  const saveError = el('div', { className: 'save-error', attrs: { id: 'save-error', role: 'alert' } });

  const radio = (value: 'preset' | 'custom', label: string) => {
    const control = el('input', { attrs: { type: 'radio', name: 'start-mode', value, id: `mode-${value}` } });
    control.addEventListener('change', () => {
      if (control.checked) actions.modeChanged(value);
    });
    return [control, el('label', { className: 'radio', attrs: { for: `mode-${value}` } }, [control, label])] as const;
  };
  const [modePreset, presetLabel] = radio('preset', 'Use a preset');
  const [modeCustom, customLabel] = radio('custom', 'Custom');
  const presetSelect = el('select', { attrs: { id: 'preset', 'aria-label': 'Preset' } });
  presetSelect.addEventListener('change', actions.presetChanged);
  const presetDescription = el('p', { className: 'preset-description', attrs: { id: 'preset-description' } });
  const presetSummary = el('p', { className: 'hint', attrs: { id: 'preset-summary' } });
  const presetDimensions = el('ul', { className: 'preset-dimensions', attrs: { id: 'preset-dimensions' } });
  const presetPanel = el('div', { className: 'start-panel', attrs: { id: 'preset-panel' } }, [
    el('div', { className: 'row' }, [presetSelect, toolkitButton('Use Preset', actions.usePreset, 'primary', { id: 'use-preset' })]),
    presetDescription,
    presetDimensions,
    presetSummary,
  ]);
  const kindSelect = el('select', { attrs: { id: 'kind', 'aria-label': 'Kind of grader' } });
  kindSelect.addEventListener('change', actions.kindChanged);
  const customPanel = el('div', { className: 'start-panel', attrs: { id: 'custom-panel', hidden: '' } }, [
    el('div', { className: 'row' }, [el('label', { text: 'Kind', attrs: { for: 'kind' } }), kindSelect]),
    el('p', { className: 'hint', text: 'A new kind starts from a blank form; Revert goes back to the saved grader.' }),
  ]);
  const summary = el('p', { className: 'summary', attrs: { id: 'grader-summary' } });
  const form = el('div', { className: 'form-box', attrs: { id: 'form' } });
  const formErrors = el('ul', { className: 'form-errors', attrs: { id: 'form-errors' } });

  const compileStatus = el('p', { className: 'compile-status', attrs: { id: 'compile-status', role: 'status' } });
  const problems = el('div', { attrs: { id: 'problems' } });
  const openaiJson = el('pre', { className: 'json', attrs: { id: 'openai-json', tabindex: '0', 'aria-label': 'Compiled grader JSON for OpenAI', hidden: '' } });

  const answerFrom = el('select', { attrs: { id: 'answer-from', 'aria-label': 'Answers from' } });
  answerFrom.addEventListener('change', actions.answerFromChanged);
  const typedAnswer = el('textarea', { attrs: { id: 'typed-answer', rows: '3', spellcheck: 'false', placeholder: 'The answer to score for every record' } });
  typedAnswer.addEventListener('input', actions.typedChanged);
  const typedField = el('div', { className: 'field', attrs: { hidden: '' } }, [el('label', { text: 'Typed answer', attrs: { for: 'typed-answer' } }), typedAnswer]);
  const testSample = toolkitButton('Test Sample', actions.testSample, 'primary', { id: 'test-sample' });
  const testNote = el('p', { className: 'notice', attrs: { id: 'test-note' } });
  const testMean = el('p', { className: 'mean', attrs: { id: 'test-mean' } });
  const testResults = el('div', { className: 'table-box', attrs: { id: 'test-results' } });
  const selfCheck = toolkitButton('Run Self-check', actions.selfCheck, 'secondary', { id: 'self-check' });
  const selfCheckResults = el('div', { attrs: { id: 'self-check-results' } });
  const models = el('datalist', { attrs: { id: 'judge-models' } });

  root.replaceChildren(
    el('header', { className: 'page-header' }, [
      el('div', { className: 'title-line' }, [title, status]),
      el('div', { className: 'toolbar' }, [
        toolkitButton('Refresh', actions.refresh, 'secondary', { id: 'refresh' }),
        toolkitButton('Open grader.json', actions.openGraderFile, 'secondary', { id: 'open-grader-file' }),
        revert,
        save,
      ]),
    ]),
    busy,
    error,
    trustNotice,
    loadError,
    saveError,
    el('div', { className: 'editor-grid' }, [
      el('section', { className: 'definition', attrs: { 'aria-labelledby': 'start-heading' } }, [
        el('h2', { text: 'How should model outputs be scored?', attrs: { id: 'start-heading' } }),
        el('div', { className: 'start' }, [presetLabel, presetPanel, customLabel, customPanel]),
        el('h2', { text: 'Definition', attrs: { id: 'definition-heading' } }),
        summary,
        form,
        formErrors,
      ]),
      el('aside', { className: 'preview', attrs: { 'aria-labelledby': 'preview-heading' } }, [
        el('h2', { text: 'OpenAI / Azure grader JSON', attrs: { id: 'preview-heading' } }),
        compileStatus,
        problems,
        openaiJson,
      ]),
    ]),
    el('vscode-divider', { attrs: { role: 'separator' } }),
    el('section', { className: 'test-section', attrs: { 'aria-labelledby': 'test-heading' } }, [
      el('h2', { text: 'Test Sample', attrs: { id: 'test-heading' } }),
      el('p', {
        className: 'hint',
        text: 'Scores 5 random valid records with the grader as shown (saved or not): each prompt, the answer and where it came from, the score, sub-scores, the judge’s steps and errors.',
      }),
      el('div', { className: 'row test-controls' }, [el('label', { text: 'Answers from', attrs: { for: 'answer-from' } }), answerFrom, testSample]),
      typedField,
      testNote,
      testMean,
      testResults,
    ]),
    el('section', { className: 'self-check-section', attrs: { 'aria-labelledby': 'self-check-heading' } }, [
      el('h2', { text: 'Self-check', attrs: { id: 'self-check-heading' } }),
      el('p', {
        className: 'hint',
        text: 'Scores the reference answers and controls that should score low (an empty answer, another record’s answer, the reference padded with filler), and says how well the grader tells them apart — before anyone pays for a dry run.',
      }),
      el('div', { className: 'actions' }, [selfCheck]),
      selfCheckResults,
    ]),
    models,
  );
  return {
    title,
    status,
    save,
    revert,
    busy,
    busyText,
    cancel,
    error,
    errorText,
    trustNotice,
    loadError,
    loadErrorText,
    saveError,
    modePreset,
    modeCustom,
    presetPanel,
    presetSelect,
    presetDescription,
    presetSummary,
    presetDimensions,
    customPanel,
    kindSelect,
    summary,
    form,
    formErrors,
    compileStatus,
    problems,
    openaiJson,
    answerFrom,
    typedField,
    typedAnswer,
    testSample,
    testNote,
    testMean,
    testResults,
    selfCheck,
    selfCheckResults,
    models,
  };
}
