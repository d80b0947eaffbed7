// The grader editor webview (step 4): start from a preset or a kind, edit the grader in per-kind forms, see the
// compiled OpenAI JSON with what does not compile, save, Test Sample and Self-check. It talks to the extension
// only through the messages of src/shared/graderProtocol; the host validates and does the work.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import {
  isHostMessage,
  needsTrust,
  type AnswerSource,
  type GraderJson,
  type GraderKind,
  type HostMessage,
  type PresetInfo,
  type TestSampleRow,
  type GraderViewState,
  type WebviewMessage,
} from '../../src/shared/graderProtocol';
import { renderBanners } from '../shared/banners';
import { el } from '../shared/dom';
import { startPage } from '../shared/page';
import { leafForm, multiForm, type FormContext } from './forms';
import { buildLayout, type Layout } from './layout';
import { blankGrader, dimensionsOf, formulaOf, graderOf, KIND_LABELS, modelOf, percentValue, TOP_KINDS, type EditorModel } from './model';
import { ANSWER_SOURCE_LABELS, problemsList, score, selfCheckView, testSampleTable } from './results';
import { validateModel, type FieldError } from './validate';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedGraderState } from './savedState';
import { graderSections, type GraderMessage, type GraderPageState } from './state';
import { showSections } from '../shared/view';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing());

type CompiledMessage = Extract<HostMessage, { type: 'compiled' }>;

const COMPILE_DELAY_MS = 250;

class GraderView {
  private readonly ui: Layout;
  private readonly state: GraderPageState = { cancellable: false, mode: 'preset', dirty: false, presetDimensions: 0, compiled: false };
  private datasetKey: string | undefined;
  private model: EditorModel | undefined;
  private readonly inputErrors = new Map<string, string>();
  private errors: FieldError[] = [];
  private compileSeq = 0;
  private compileTimer: ReturnType<typeof setTimeout> | undefined;
  private typed = '';
  /** The draft a reload left, adopted if the file is still what it started from. */
  private restored: { draft: GraderJson; baseline?: string } | undefined;

  constructor(
    private readonly host: HostApi<WebviewMessage, GraderViewState>,
    root: HTMLElement,
  ) {
    const saved = host.savedState();
    this.datasetKey = saved?.dataset;
    this.state.from = saved?.from;
    this.typed = saved?.typed ?? '';
    if (saved?.draft) this.restored = { draft: saved.draft, baseline: saved.baseline };
    this.ui = buildLayout(root, {
      save: () => this.save(),
      revert: () => this.revert(),
      refresh: () => host.post({ type: 'refresh' }),
      openGraderFile: () => host.post({ type: 'openGraderFile' }),
      cancel: () => host.post({ type: 'cancel' }),
      modeChanged: (mode) => this.setMode(mode),
      presetChanged: () => this.renderPreset(),
      usePreset: () => host.post({ type: 'usePreset', preset: this.ui.presetSelect.value }),
      kindChanged: () => this.kindChanged(),
      answerFromChanged: () => {
        this.state.from = this.ui.answerFrom.value as AnswerSource;
        this.render();
        this.persist();
      },
      typedChanged: () => {
        this.typed = this.ui.typedAnswer.value;
        this.persist();
      },
      testSample: () => this.testSample(),
      selfCheck: () => this.runSelfCheck(),
      dismissError: () => {
        this.state.error = undefined;
        this.render();
      },
    });
    this.ui.typedAnswer.value = this.typed;
  }

  /** What shows around the form and what the banners say, from the state alone. */
  private render(): void {
    renderBanners(this.ui, this.state);
    showSections(this.ui, graderSections(this.state));
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'grader':
        return this.showGrader(message);
      case 'compiled':
        return this.showCompiled(message);
      case 'saved':
        return this.saved(message.grader, message.summary);
      case 'testResults':
        return this.showTestResults(message.rows, message.mean);
      case 'selfCheck':
        this.state.busy = undefined;
        this.ui.selfCheckResults.replaceChildren(selfCheckView(message.report));
        return this.render();
      case 'busy':
        if (message.run === 'testSample') {
          this.ui.testMean.textContent = '';
          this.ui.testResults.replaceChildren();
        }
        if (message.run === 'selfCheck') this.ui.selfCheckResults.replaceChildren();
        this.state.cancellable = message.cancellable ?? false;
        this.state.busy = message.message;
        return this.render();
      case 'error':
        this.state.busy = undefined;
        this.state.error = message.message;
        return this.render();
    }
  }

  // ---- loading -------------------------------------------------------------------------------------------------

  private showGrader(message: GraderMessage): void {
    const sameDataset = this.datasetKey === message.datasetDir;
    const incoming = message.grader ? JSON.stringify(message.grader) : undefined;
    this.state.info = message;
    this.datasetKey = message.datasetDir;
    this.state.busy = undefined;
    this.state.error = undefined;
    this.ui.title.textContent = `Grader — ${message.dataset}`;
    document.title = `Grader — ${message.dataset}`;
    this.ui.loadErrorText.textContent = message.loadError ?? '';
    this.renderModels(message);
    this.renderPresetOptions(message.presets);
    this.renderKindOptions();
    this.renderAnswerSources(message);

    const restored = this.restored;
    this.restored = undefined;
    if (restored && sameDataset && restored.baseline === incoming) {
      this.adopt(modelOf(restored.draft), incoming, true);
    } else if (sameDataset && this.state.baseline === incoming && this.model) {
      this.afterChange(false); // the file is what the form started from: keep the form (and any edits) as it is
    } else {
      this.adopt(message.grader ? modelOf(message.grader) : undefined, incoming, false);
      this.state.mode = !message.grader || message.grader.preset !== undefined ? 'preset' : 'custom';
    }
    if (message.grader?.preset && message.presets.some((preset) => preset.id === message.grader?.preset)) this.ui.presetSelect.value = message.grader.preset;
    this.renderPreset();
    this.setMode(this.state.mode);
    this.ui.summary.textContent = message.summary ?? '';
  }

  private adopt(model: EditorModel | undefined, baseline: string | undefined, dirty: boolean): void {
    this.model = model;
    this.state.baseline = baseline;
    this.state.dirty = dirty;
    this.inputErrors.clear();
    this.ui.saveError.textContent = '';
    this.renderForm();
    this.afterChange(false);
  }

  private renderModels(message: GraderMessage): void {
    const models = new Set([message.defaultModel]);
    for (const preset of message.presets) for (const leaf of leaves(preset.grader)) if ('model' in leaf) models.add(leaf.model);
    this.ui.models.replaceChildren(...[...models].map((model) => el('option', { attrs: { value: model } })));
  }

  private renderPresetOptions(presets: readonly PresetInfo[]): void {
    const current = this.ui.presetSelect.value;
    this.ui.presetSelect.replaceChildren(...presets.map((preset) => el('option', { text: preset.title, attrs: { value: preset.id } })));
    if (presets.some((preset) => preset.id === current)) this.ui.presetSelect.value = current;
    this.renderPreset();
  }

  private renderPreset(): void {
    const preset = this.state.info?.presets.find((p) => p.id === this.ui.presetSelect.value);
    this.ui.presetDescription.textContent = preset?.description ?? '';
    this.ui.presetDimensions.replaceChildren(...(preset ? dimensionsOf(preset.grader) : []).map((line) => el('li', { text: line })));
    this.state.presetDimensions = this.ui.presetDimensions.childElementCount;
    this.render();
    const trust = preset && needsTrust(preset.grader) && this.state.info && !this.state.info.trusted ? ' · does not run in this untrusted workspace' : '';
    this.ui.presetSummary.textContent = preset ? `${preset.summary}${preset.needsJudge ? ' · needs a judge model' : ' · runs offline'}${trust}` : '';
  }

  private renderKindOptions(): void {
    const options = TOP_KINDS.map((kind) => el('option', { text: KIND_LABELS[kind], attrs: { value: kind } }));
    this.ui.kindSelect.replaceChildren(el('option', { text: 'Choose a kind…', attrs: { value: '', disabled: '' } }), ...options);
  }

  private renderAnswerSources(message: GraderMessage): void {
    const option = (value: AnswerSource, text: string, disabled = false) => el('option', { text, attrs: { value, ...(disabled ? { disabled: '' } : {}) } });
    this.ui.answerFrom.replaceChildren(
      option('model', message.baseModel ? `Base model — ${message.baseModel}` : 'Base model (no provider configured)', !message.baseModel || !message.trusted),
      option('reference', 'Reference answers (each record’s own)'),
      option('typed', 'An answer I type'),
    );
    const usable = (source: AnswerSource | undefined) => source !== undefined && (source !== 'model' || (message.baseModel !== undefined && message.trusted));
    this.state.from = usable(this.state.from) ? this.state.from : message.baseModel && message.trusted ? 'model' : 'reference';
    this.ui.answerFrom.value = this.state.from ?? 'reference';
    this.render();
  }

  // ---- editing -------------------------------------------------------------------------------------------------

  private setMode(mode: 'preset' | 'custom'): void {
    this.state.mode = mode;
    this.ui.modePreset.checked = mode === 'preset';
    this.ui.modeCustom.checked = mode === 'custom';
    this.render();
    this.ui.kindSelect.value = this.model ? kindOf(this.model) : '';
  }

  private kindChanged(): void {
    const kind = this.ui.kindSelect.value as GraderKind;
    if (!this.state.info || (this.model && kindOf(this.model) === kind)) return;
    const name = this.model ? (this.model.kind === 'leaf' ? this.model.grader.name : this.model.multi.base.name) : kind === 'multi' ? 'reward' : 'grade';
    this.model = modelOf(blankGrader(kind, name || 'grade', this.state.info));
    this.inputErrors.clear();
    this.renderForm();
    this.afterChange(true);
  }

  private formContext(): FormContext {
    const info = this.state.info;
    return {
      variables: info?.variables ?? [],
      metrics: info?.metrics ?? [],
      operations: info?.operations ?? [],
      defaultModel: info?.defaultModel ?? 'gpt-4o-mini',
      changed: () => this.afterChange(true),
      restructure: () => {
        this.renderForm();
        this.afterChange(true);
      },
      openScript: (kind, file, source) => this.host.post({ type: 'openScript', kind, file, ...(source !== undefined ? { source } : {}) }),
      setInputError: (field, message) => {
        if (message === undefined) this.inputErrors.delete(field);
        else this.inputErrors.set(field, message);
      },
    };
  }

  private renderForm(): void {
    const model = this.model;
    if (!model) {
      this.ui.form.replaceChildren(
        el('p', {
          className: 'empty',
          text: this.state.info?.loadError
            ? 'grader.json cannot be read (see above): fix it in the file, or start again from a preset or a kind.'
            : 'No grader yet: pick a preset and Use Preset, or choose Custom and a kind.',
        }),
      );
      return;
    }
    const context = this.formContext();
    this.ui.form.replaceChildren(
      model.kind === 'leaf' ? leafForm(model.grader, context, '', true) : multiForm(model.multi, context, { defaultModel: context.defaultModel, variables: context.variables }),
    );
  }

  /** After any edit (or a load): dirty flag, field errors, derived text, state, and a compile of the draft. */
  private afterChange(edited: boolean): void {
    const model = this.model;
    if (edited && model) this.state.dirty = this.state.baseline !== JSON.stringify(graderOf(model));
    this.errors = model ? validateModel(model, this.inputErrors) : [];
    this.showFieldErrors();
    this.updateDerived();
    this.updateStatus();
    this.updateTestControls();
    this.persist();
    this.scheduleCompile();
  }

  private showFieldErrors(): void {
    const byField = new Map<string, string[]>();
    for (const error of this.errors) byField.set(error.field, [...(byField.get(error.field) ?? []), error.message]);
    const shown = new Set<string>();
    for (const span of this.ui.form.querySelectorAll<HTMLElement>('[data-error-for]')) {
      const field = span.dataset.errorFor ?? '';
      const messages = byField.get(field) ?? (field.endsWith('range') ? [...(byField.get(`${field}.0`) ?? []), ...(byField.get(`${field}.1`) ?? [])] : []);
      span.textContent = messages.join(' ');
      if (messages.length > 0) shown.add(field);
    }
    for (const control of this.ui.form.querySelectorAll<HTMLElement>('[data-field]')) {
      const field = control.dataset.field ?? '';
      const invalid = byField.has(field) || (field.endsWith('.weight') && byField.has('weights'));
      if (invalid) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    const elsewhere = this.errors.filter((error) => !shown.has(error.field) && !shown.has(error.field.replace(/\.[01]$/, '')));
    this.ui.formErrors.replaceChildren(...elsewhere.map((error) => el('li', { className: 'field-error', text: error.message })));
    if (this.errors.length === 0) this.ui.saveError.textContent = '';
  }

  private updateDerived(): void {
    if (this.model?.kind !== 'multi') return;
    const multi = this.model.multi;
    const formula = this.ui.form.querySelector('#formula');
    if (formula) formula.textContent = formulaOf(multi);
    const total = this.ui.form.querySelector('#weights-total');
    if (total) {
      const sum = multi.dimensions.reduce((acc, dimension) => acc + (percentValue(dimension.weight) ?? 0), 0);
      total.textContent = multi.formulaMode === 'weights' ? `${Math.round(sum * 100) / 100} %` : '(custom formula)';
    }
  }

  private updateStatus(): void {
    const exists = this.state.baseline !== undefined;
    this.ui.status.textContent = !this.model ? (exists ? '' : 'No grader.json yet') : this.state.dirty ? (exists ? '● Unsaved changes' : '● Not saved yet') : 'grader.json saved';
    this.ui.status.className = `save-status${this.state.dirty ? ' dirty' : ''}`;
    this.render();
    if (this.model) this.ui.save.removeAttribute('disabled');
    else this.ui.save.setAttribute('disabled', '');
  }

  private updateTestControls(): void {
    const current = this.model ? graderOf(this.model) : undefined;
    const trusted = this.state.info?.trusted ?? true;
    const blocked = !current
      ? 'Use a preset or choose a kind first.'
      : !trusted && needsTrust(current)
        ? 'Not in this untrusted workspace: this grader calls an LLM judge or runs a script, and those do not run here. Trust the workspace to test it.'
        : undefined;
    for (const button of [this.ui.testSample, this.ui.selfCheck]) {
      if (blocked) button.setAttribute('disabled', '');
      else button.removeAttribute('disabled');
    }
    this.ui.testNote.textContent = blocked ?? (this.state.dirty ? 'Tests the grader as edited here; it is not saved yet.' : '');
  }

  private revert(): void {
    if (!this.state.baseline) return;
    this.adopt(modelOf(JSON.parse(this.state.baseline) as GraderJson), this.state.baseline, false);
    this.setMode(this.state.mode);
  }

  // ---- compile and save ----------------------------------------------------------------------------------------

  private scheduleCompile(): void {
    if (this.compileTimer !== undefined) clearTimeout(this.compileTimer);
    const model = this.model;
    if (!model) {
      this.ui.compileStatus.textContent = 'Nothing to compile yet.';
      this.ui.problems.replaceChildren();
      this.ui.openaiJson.textContent = '';
      this.state.compiled = false;
      this.render();
      return;
    }
    const seq = ++this.compileSeq;
    this.ui.compileStatus.textContent = 'Compiling…';
    this.compileTimer = setTimeout(() => {
      this.compileTimer = undefined;
      this.host.post({ type: 'compile', seq, grader: graderOf(model) });
    }, COMPILE_DELAY_MS);
  }

  private showCompiled(message: CompiledMessage): void {
    if (message.seq !== this.compileSeq) return; // an answer to an older draft
    const problems = message.valid ? message.problems : [...(message.error ? [{ path: '', message: message.error }] : []), ...message.problems];
    this.ui.compileStatus.textContent = !message.valid
      ? '✖ Not a valid grader.json yet:'
      : problems.length === 0
        ? '✓ Compiles for OpenAI and Azure fine-tuning.'
        : `⚠ ${problems.length === 1 ? 'One part does' : `${problems.length} parts do`} not compile for OpenAI or Azure:`;
    this.ui.compileStatus.className = `compile-status ${!message.valid ? 'invalid' : problems.length === 0 ? 'ok' : 'warn'}`;
    this.ui.problems.replaceChildren(...(problems.length > 0 ? [problemsList(problems)] : []));
    this.ui.openaiJson.textContent = message.openai === undefined ? '' : JSON.stringify(message.openai, null, 2);
    this.state.compiled = message.openai !== undefined;
    this.render();
    if (message.summary && !this.state.dirty) this.ui.summary.textContent = message.summary;
  }

  private save(): void {
    const model = this.model;
    if (!model) return;
    this.errors = validateModel(model, this.inputErrors);
    this.showFieldErrors();
    if (this.errors.length > 0) {
      const count = this.errors.length === 1 ? '1 problem' : `${this.errors.length} problems`;
      this.ui.saveError.replaceChildren(
        el('span', { text: `Not saved: fix ${count} first.` }),
        el(
          'ul',
          {},
          this.errors.map((error) => el('li', { text: error.message })),
        ),
      );
      const first = this.errors[0];
      this.ui.form.querySelector<HTMLElement>(`[data-field="${CSS.escape(first.field)}"]`)?.focus();
      return;
    }
    this.ui.saveError.textContent = '';
    this.host.post({ type: 'save', grader: graderOf(model) });
  }

  private saved(grader: GraderJson, summary: string): void {
    this.state.busy = undefined;
    this.adopt(modelOf(grader), JSON.stringify(grader), false);
    this.setMode(this.state.mode);
    this.ui.summary.textContent = summary;
  }

  // ---- Test Sample and Self-check ------------------------------------------------------------------------------

  private testSample(): void {
    if (this.ui.testSample.hasAttribute('disabled')) return;
    const from = (this.ui.answerFrom.value || 'reference') as AnswerSource;
    if (from === 'typed' && this.typed.trim() === '') {
      this.ui.testNote.textContent = 'Type the answer to score first.';
      this.ui.typedAnswer.focus();
      return;
    }
    const grader = this.draftToRun();
    if (grader === null) return;
    this.ui.testMean.textContent = '';
    this.ui.testResults.replaceChildren();
    this.host.post({ type: 'testSample', from, ...(from === 'typed' ? { typed: this.typed } : {}), ...(grader ? { grader } : {}) });
  }

  private runSelfCheck(): void {
    if (this.ui.selfCheck.hasAttribute('disabled')) return;
    const grader = this.draftToRun();
    if (grader === null) return;
    this.ui.selfCheckResults.replaceChildren();
    this.host.post({ type: 'selfCheck', ...(grader ? { grader } : {}) });
  }

  /** The edited grader to run (undefined: the saved one is the same), or null when the form has problems. */
  private draftToRun(): GraderJson | undefined | null {
    if (!this.model || !this.state.dirty) return undefined;
    this.errors = validateModel(this.model, this.inputErrors);
    this.showFieldErrors();
    if (this.errors.length > 0) {
      this.ui.testNote.textContent = `Fix the grader first: ${this.errors[0].message}`;
      return null;
    }
    return graderOf(this.model);
  }

  private showTestResults(rows: readonly TestSampleRow[], mean: number): void {
    this.state.busy = undefined;
    this.render();
    const sources = [...new Set(rows.map((row) => ANSWER_SOURCE_LABELS[row.answerSource]))].join(', ');
    this.ui.testMean.textContent = rows.length === 0 ? '' : `Mean ${score(mean)} over ${rows.length} record${rows.length === 1 ? '' : 's'} · answers: ${sources}`;
    this.ui.testResults.replaceChildren(testSampleTable(rows, (row) => this.host.post({ type: 'openRecord', file: row.file, line: row.line })));
  }

  // ---- state ---------------------------------------------------------------------------------------------------

  private persist(): void {
    if (this.datasetKey === undefined) return;
    this.host.saveState({
      dataset: this.datasetKey,
      ...(this.state.dirty && this.model ? { draft: graderOf(this.model) } : {}),
      ...(this.state.baseline !== undefined ? { baseline: this.state.baseline } : {}),
      ...(this.state.from ? { from: this.state.from } : {}),
      ...(this.typed ? { typed: this.typed } : {}),
    });
  }
}

function kindOf(model: EditorModel): GraderKind {
  return model.kind === 'leaf' ? model.grader.type : 'multi';
}

function leaves(grader: GraderJson) {
  return grader.type === 'multi' ? Object.values(grader.graders) : [grader];
}

const host = hostApi<WebviewMessage, GraderViewState>(savedGraderState);
startPage(host, isHostMessage, (root) => new GraderView(host, root));
