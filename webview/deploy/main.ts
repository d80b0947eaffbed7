// The results and deploy webview (step 7, the spec's "Training Complete"): the tuned model, Run Benchmarks with
// progress and Stop, overall before → after, per-topic bars with intervals and regression flags, sample
// comparisons, then the three deployment options with the config's diff preview, Deploy and Undo. It talks to the
// extension only through src/shared/deployProtocol; the host checks every request and does the work.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import {
  DEPLOY_MODES,
  ENDPOINT_KINDS,
  isHostMessage,
  WEIGHTED_ROUTING_STRATEGY,
  type DeployChoice,
  type DeployMode,
  type EndpointKind,
  type HostMessage,
  type DeployViewState,
  type WebviewMessage,
} from '../../src/shared/deployProtocol';
import { banners, renderBanners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';
import { startPage } from '../shared/page';
import { beforeAfter, deltaLine, score, VERDICT_TEXT, verdictClass, when } from './format';
import { TopicChart } from './topicChart';
import { comparisonItem, diffLines, topicsTable } from './views';
import { onThemeChange } from '../shared/charts';
import { RequestError } from '../shared/requests';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedDeployState } from './savedState';
import { deploySections, weightsIgnored, type DeployMessage, type DeployPageState, type DeploySection } from './state';
import { showSections } from '../shared/view';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing());

const MODE_LABELS: Record<DeployMode, string> = { replace: 'Replace in gateway', alias: 'New endpoint only', ab: 'A/B test' };
const MODE_HINTS: Record<DeployMode, string> = {
  replace: 'All traffic of the model_name goes to the tuned model.',
  alias: 'A new model_name for the tuned model; existing routes stay.',
  ab: 'Base and tuned under one model_name, traffic split by weight (LiteLLM reads weights only with routing_strategy simple-shuffle, its default).',
};
const ENDPOINT_LABELS: Record<EndpointKind, string> = { openai: 'OpenAI', azure: 'Azure OpenAI deployment', compatible: 'OpenAI-compatible server (vLLM, …)' };

const input = (id: string, label: string, attrs: Record<string, string> = {}) => el('input', { attrs: { id, type: 'text', 'aria-label': label, spellcheck: 'false', ...attrs } });
const field = (label: string, control: HTMLElement, id?: string) => el('label', { className: 'field', attrs: id ? { id } : {} }, [el('span', { className: 'field-label', text: label }), control]);

class DeployView {
  private state: DeployPageState;
  private readonly chart: TopicChart;
  private readonly banners = banners([], () => this.update({ error: undefined }));
  private readonly title = el('h1', { text: 'Results & Deploy' });
  private readonly notice = el('div', { className: 'notice-banner', attrs: { id: 'notice', role: 'note', hidden: '' } });
  // tuned model
  private readonly tunedLine = el('p', { attrs: { id: 'tuned-line' } });
  private readonly tunedForm = el('div', { className: 'form-grid', attrs: { id: 'tuned-form', hidden: '' } });
  private readonly tunedModel = input('tuned-model', 'Tuned model id');
  private readonly tunedEndpoint = el(
    'select',
    { attrs: { id: 'tuned-endpoint', 'aria-label': 'Endpoint' } },
    ENDPOINT_KINDS.map((kind) => el('option', { text: ENDPOINT_LABELS[kind], attrs: { value: kind } })),
  );
  private readonly tunedBaseUrl = input('tuned-base-url', 'Base URL or Azure endpoint', { placeholder: 'http://localhost:8000/v1' });
  private readonly tunedDeployment = input('tuned-deployment', 'Azure deployment');
  private readonly tunedKeyEnv = input('tuned-key-env', 'Key environment variable', { placeholder: 'OPENAI_API_KEY' });
  private readonly baseUrlField = field('Base URL', this.tunedBaseUrl, 'field-base-url');
  private readonly deploymentField = field('Azure deployment', this.tunedDeployment, 'field-deployment');
  // benchmarks
  private readonly baseModel = input('base-model', 'Base model');
  private readonly count = el('input', { attrs: { id: 'bench-n', type: 'number', min: '1', step: '1', 'aria-label': 'Prompts (empty: all)', placeholder: 'all' } });
  private readonly run = toolkitButton('Run Benchmarks', () => this.runBenchmarks(), 'primary', { id: 'run-benchmarks' });
  private readonly stop = toolkitButton('Stop', () => this.host.post({ type: 'cancel' }), 'secondary', { id: 'stop', hidden: '' });
  private readonly progress = el('p', { attrs: { id: 'progress', role: 'status', hidden: '' } });
  private readonly results = el('section', { attrs: { id: 'results', 'aria-labelledby': 'results-heading', hidden: '' } });
  private readonly empty = el('p', { className: 'empty', attrs: { id: 'empty' }, text: 'Loading…' });
  private readonly overall = el('p', { className: 'overall', attrs: { id: 'overall' } });
  private readonly overallDetail = el('p', { className: 'hint', attrs: { id: 'overall-detail' } });
  private readonly regressions = el('div', { className: 'notice-banner regression-banner', attrs: { id: 'regressions', role: 'alert', hidden: '' } });
  private readonly topics = el('div', { className: 'table-box', attrs: { id: 'topics' } });
  private readonly canvas = el('canvas', { attrs: { id: 'topic-chart', role: 'img', 'aria-label': 'Mean score by topic' } });
  private readonly gains = el('ol', { className: 'comparisons', attrs: { id: 'gains' } });
  private readonly losses = el('ol', { className: 'comparisons', attrs: { id: 'losses' } });
  // deploy
  private readonly configLine = el('span', { className: 'hint', attrs: { id: 'config-file' }, text: 'No config chosen.' });
  private readonly modelName = el('select', { attrs: { id: 'model-name', 'aria-label': 'model_name in the gateway' } });
  private readonly alias = input('alias', 'New model_name');
  private readonly weightBase = el('input', { attrs: { id: 'weight-base', type: 'number', min: '0', step: '1', value: '90', 'aria-label': 'Base weight' } });
  private readonly weightTuned = el('input', { attrs: { id: 'weight-tuned', type: 'number', min: '0', step: '1', value: '10', 'aria-label': 'Tuned weight' } });
  private readonly adminUrl = input('admin-url', 'LiteLLM proxy URL (admin API, optional)', { placeholder: 'http://localhost:4000 (leave empty to write config.yaml)' });
  private readonly modeHint = el('p', { className: 'hint', attrs: { id: 'mode-hint' } });
  /** A/B under a routing strategy that ignores weights: why, and the opt-in to switch the proxy to simple-shuffle. */
  private readonly setSimpleShuffle = el('input', { attrs: { id: 'set-simple-shuffle', type: 'checkbox' } });
  private readonly routingText = el('span', { attrs: { id: 'routing-text' } });
  private readonly routingNote = el('div', { className: 'notice-banner', attrs: { id: 'routing-note', role: 'note', hidden: '' } }, [
    this.routingText,
    el('label', { className: 'mode-choice' }, [this.setSimpleShuffle, el('span', { text: `Set routing_strategy to ${WEIGHTED_ROUTING_STRATEGY} (it applies to every model group of this proxy)` })]),
  ]);
  private readonly diff = el('pre', { className: 'diff', attrs: { id: 'diff', hidden: '' } });
  private readonly changes = el('ul', { className: 'changes', attrs: { id: 'changes' } });
  private readonly deploy = toolkitButton('Deploy', () => this.send('deploy'), 'primary', { id: 'deploy', disabled: '' });
  private readonly undo = toolkitButton('Undo deploy', () => this.host.post({ type: 'undo' }), 'secondary', { id: 'undo', disabled: '' });
  private readonly deploymentLine = el('p', { attrs: { id: 'deployment' } });
  private readonly modeRadios = new Map<DeployMode, HTMLInputElement>();
  private readonly modeFields: Record<'modelName' | 'alias' | 'weights', HTMLElement>;
  /** The parts render() shows or hides. */
  private readonly sections: Record<DeploySection, HTMLElement>;

  constructor(
    private readonly host: HostApi<WebviewMessage, DeployViewState>,
    root: HTMLElement,
  ) {
    this.state = { running: false, progress: '', tunedFormOpen: false, endpoint: 'openai', mode: host.savedState()?.mode ?? 'ab', adminUrl: '', planShown: false };
    const radios = DEPLOY_MODES.map((mode) => {
      const radio = el('input', { attrs: { type: 'radio', name: 'mode', id: `mode-${mode}`, value: mode } });
      radio.addEventListener('change', () => this.setMode(mode));
      this.modeRadios.set(mode, radio);
      return el('label', { className: 'mode-choice' }, [radio, el('span', { text: MODE_LABELS[mode] })]);
    });
    this.modeFields = {
      modelName: field('model_name', this.modelName, 'field-model-name'),
      alias: field('New model_name (alias)', this.alias, 'field-alias'),
      weights: el('div', { className: 'weights', attrs: { id: 'field-weights' } }, [field('Base weight', this.weightBase), el('span', { text: '/' }), field('Tuned weight', this.weightTuned)]),
    };
    for (const control of [this.modelName, this.alias, this.weightBase, this.weightTuned, this.adminUrl]) control.addEventListener('input', () => this.choiceChanged());
    this.setSimpleShuffle.addEventListener('change', () => this.choiceChanged());
    this.modelName.addEventListener('change', () => this.choiceChanged());
    this.tunedEndpoint.addEventListener('change', () => this.endpointChanged());
    this.tunedForm.append(
      field('Tuned model id', this.tunedModel),
      field('Endpoint', this.tunedEndpoint),
      this.baseUrlField,
      this.deploymentField,
      field('Key from environment variable (a name, never the key)', this.tunedKeyEnv),
      el('div', { className: 'toolbar' }, [toolkitButton('Save tuned model', () => this.saveTuned(), 'primary', { id: 'save-tuned' })]),
    );
    this.results.append(
      el('h2', { text: 'Training Complete', attrs: { id: 'results-heading' } }),
      this.overall,
      this.overallDetail,
      this.regressions,
      el('h3', { text: 'By topic' }),
      el('div', { className: 'chart-box' }, [this.canvas]),
      this.topics,
      el('h3', { text: 'Sample comparison: largest gains' }),
      this.gains,
      el('h3', { text: 'Sample comparison: worst losses' }),
      this.losses,
    );
    const b = this.banners;
    root.replaceChildren(
      el('header', { className: 'page-header' }, [
        this.title,
        el('div', { className: 'toolbar' }, [
          toolkitButton('Refresh', () => this.whilePending('refresh', host.request({ type: 'refresh' })), 'secondary', { id: 'refresh' }),
          toolkitButton('Test Playground', () => host.post({ type: 'openPlayground' }), 'secondary', { id: 'open-playground' }),
        ]),
      ]),
      b.busy,
      b.error,
      this.notice,
      el('section', { attrs: { 'aria-labelledby': 'tuned-heading' } }, [
        el('div', { className: 'section-header' }, [
          el('h2', { text: 'Tuned model', attrs: { id: 'tuned-heading' } }),
          el('button', { className: 'link-button', text: 'Edit', attrs: { id: 'edit-tuned', type: 'button' } }),
        ]),
        this.tunedLine,
        this.tunedForm,
      ]),
      el('section', { attrs: { 'aria-labelledby': 'bench-heading' } }, [
        el('h2', { text: 'Benchmarks', attrs: { id: 'bench-heading' } }),
        el('p', { className: 'hint', text: 'Base and tuned answer the same validation prompts; the grader scores both; the 95 % interval of the difference is a paired bootstrap.' }),
        el('div', { className: 'toolbar' }, [field('Base model', this.baseModel), field('Prompts', this.count), this.run, this.stop]),
        this.progress,
      ]),
      this.empty,
      this.results,
      el('vscode-divider', { attrs: { role: 'separator' } }),
      el('section', { attrs: { 'aria-labelledby': 'deploy-heading' } }, [
        el('h2', { text: 'Deploy', attrs: { id: 'deploy-heading' } }),
        this.deploymentLine,
        el('div', { className: 'toolbar' }, [toolkitButton('Choose config.yaml…', () => host.post({ type: 'pickConfig' }), 'secondary', { id: 'pick-config' }), this.configLine]),
        el('div', { className: 'modes', attrs: { role: 'radiogroup', 'aria-label': 'Deployment option' } }, radios),
        this.modeHint,
        this.routingNote,
        el('div', { className: 'form-grid' }, [this.modeFields.modelName, this.modeFields.alias, this.modeFields.weights, field('Apply through the proxy’s admin API (optional)', this.adminUrl)]),
        el('p', {
          className: 'hint',
          attrs: { id: 'admin-hint' },
          text: 'The admin API works only when the proxy stores models in its database (store_model_in_db), and edits only those, never models of its config.yaml. Its /model/info never shows api_key: Undo of a replace asks for the variable the base deployment’s key comes from.',
        }),
        el('div', { className: 'toolbar' }, [toolkitButton('Preview diff', () => this.send('preview'), 'secondary', { id: 'preview' }), this.deploy, this.undo]),
        this.changes,
        this.diff,
      ]),
    );
    root.querySelector('#edit-tuned')?.addEventListener('click', () => this.update({ tunedFormOpen: !this.state.tunedFormOpen }));
    this.sections = {
      notice: this.notice,
      tunedForm: this.tunedForm,
      baseUrlField: this.baseUrlField,
      deploymentField: this.deploymentField,
      stop: this.stop,
      progress: this.progress,
      empty: this.empty,
      results: this.results,
      regressions: this.regressions,
      routingNote: this.routingNote,
      modelNameField: this.modeFields.modelName,
      aliasField: this.modeFields.alias,
      weightsField: this.modeFields.weights,
      diff: this.diff,
    };
    this.chart = new TopicChart(this.canvas);
    onThemeChange(() => this.chart.applyTheme());
    this.setMode(this.state.mode);
    this.endpointChanged();
  }

  /** Changes the state and draws it. */
  private update(change: Partial<DeployPageState>): void {
    this.state = { ...this.state, ...change };
    this.render();
  }

  /** What shows, what the banners and lines say and whether Run and Undo work, from the state alone. */
  private render(): void {
    const { state } = this;
    renderBanners(this.banners, state);
    showSections(this.sections, deploySections(state));
    this.notice.textContent = state.notice ?? '';
    this.progress.textContent = state.progress;
    const { info } = state;
    const canRun = info?.canRun ?? false;
    this.run.toggleAttribute('disabled', state.running || !canRun || !info?.tuned);
    if (info && !canRun && info.cannotRunReason) this.run.setAttribute('title', info.cannotRunReason);
    else this.run.removeAttribute('title');
    this.undo.toggleAttribute('disabled', !info?.deployment);
    if (weightsIgnored(state))
      this.routingText.textContent = `This config routes with router_settings.routing_strategy "${state.routingStrategy}". LiteLLM reads the weights only with ${WEIGHTED_ROUTING_STRATEGY}, so the A/B split would not happen: Preview and Deploy are refused unless you tick the box to switch the proxy to ${WEIGHTED_ROUTING_STRATEGY}, or choose "New endpoint only".`;
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'deploy':
        return this.show(message);
      case 'started':
        return this.update({ running: true, progress: `Asking ${message.base} and the tuned model ${message.total} prompts each and scoring the answers…` });
      case 'progress': {
        const means = message.baseMean !== undefined ? ` · so far ${score(message.baseMean)} → ${score(message.tunedMean)}` : '';
        return this.update({ running: true, progress: `${message.done} / ${message.total} pairs scored${means}${message.errors ? ` · ${message.errors} with errors` : ''}` });
      }
      case 'finished':
        return this.update({
          running: false,
          ...(message.outcome === 'done' ? { progress: '' } : {}),
          ...(message.outcome === 'failed' ? { busy: undefined, error: message.message ?? 'The benchmark failed.' } : message.message ? { notice: message.message } : {}),
        });
      case 'config':
        this.showConfig(message.config.file, message.config.modelNames, message.config.routingStrategy);
        this.choiceChanged();
        return;
      case 'plan':
        this.changes.replaceChildren(...message.changes.map((change) => el('li', { text: change })));
        this.diff.replaceChildren(...(message.diff ? diffLines(message.diff) : [el('span', { text: 'No change: the config already routes this way.' })]));
        this.deploy.toggleAttribute('disabled', message.diff === '');
        return this.update({ planShown: true });
      case 'notice':
        return this.update({ notice: message.message });
      case 'busy':
        return this.update({ busy: message.message });
      case 'error':
        return this.update({ busy: undefined, error: message.message });
    }
  }

  private show(message: DeployMessage): void {
    const first = this.state.info?.datasetDir !== message.datasetDir;
    this.state = { ...this.state, info: message, busy: undefined, ...(first || !message.tuned ? { tunedFormOpen: message.tuned === undefined } : {}) };
    this.title.textContent = `Results & Deploy — ${message.dataset}`;
    document.title = this.title.textContent;
    const { tuned } = message;
    this.tunedLine.textContent = tuned
      ? `${tuned.model} · ${ENDPOINT_LABELS[tuned.endpoint]}${tuned.baseURL ? ` · ${tuned.baseURL}` : ''}${tuned.deployment ? ` · deployment ${tuned.deployment}` : ''}${tuned.source === 'job' ? ` · from training job ${tuned.jobId ?? ''}` : ' · entered by hand'}`
      : 'No tuned model yet: finish a training job (step 6), or enter one.';
    if (tuned && first) {
      this.tunedModel.value = tuned.model;
      this.tunedEndpoint.value = tuned.endpoint;
      this.tunedBaseUrl.value = tuned.baseURL ?? '';
      this.tunedDeployment.value = tuned.deployment ?? '';
      this.tunedKeyEnv.value = tuned.apiKeyEnv ?? '';
      this.endpointChanged();
    }
    if (first || !this.baseModel.value) this.baseModel.value = message.defaultBase;
    this.showResults(message);
    this.deploymentLine.textContent = message.deployment
      ? `Deployed · ${message.deployment.description} · ${message.deployment.via === 'file' ? message.deployment.target : `through ${message.deployment.target}`} · ${when(message.deployment.time)}`
      : 'Not deployed yet.';
    if (message.config) this.showConfig(message.config.file, message.config.modelNames, message.config.routingStrategy);
    this.render();
    this.host.saveState({ dataset: message.datasetDir, mode: this.state.mode });
  }

  private showResults(message: DeployMessage): void {
    const { benchmark } = message;
    this.empty.textContent = message.canRun
      ? 'No benchmark yet. Run Benchmarks asks the base and the tuned model the validation prompts and scores both with the grader.'
      : `No benchmark yet. ${message.cannotRunReason ?? ''}`.trim();
    if (!benchmark) return;
    const { report } = benchmark;
    this.overall.textContent = `Overall: ${beforeAfter(report.overall)}`;
    this.overall.className = `overall ${verdictClass(report.overall.verdict)}`;
    this.overallDetail.textContent = `${deltaLine(report.overall)} · ${VERDICT_TEXT[report.overall.verdict]} · ${report.overall.n} prompts${report.errors.pairs ? ` (${report.errors.pairs} with errors)` : ''} · ${benchmark.base} vs ${benchmark.tuned} · ${benchmark.source} · ${when(benchmark.startedAt)}`;
    this.regressions.textContent = report.regressions.length
      ? `⚠ Regression: ${report.regressions.join(', ')} — the tuned model is worse there (the interval lies below 0). Review before routing traffic to it.`
      : '';
    this.topics.replaceChildren(topicsTable(report.byTopic));
    this.chart.show(report.byTopic);
    const open = (sample: { file: string; line: number }) => this.host.post({ type: 'openRecord', file: sample.file, line: sample.line });
    this.gains.replaceChildren(...(report.samples.gains.length ? report.samples.gains.map((s) => comparisonItem(s, open)) : [el('li', { className: 'hint', text: 'No prompt scored higher.' })]));
    this.losses.replaceChildren(...(report.samples.losses.length ? report.samples.losses.map((s) => comparisonItem(s, open)) : [el('li', { className: 'hint', text: 'No prompt scored lower.' })]));
  }

  private showConfig(file: string, names: readonly string[], routingStrategy: string | undefined): void {
    this.configLine.textContent = file;
    if (routingStrategy !== this.state.routingStrategy) this.setSimpleShuffle.checked = false;
    this.update({ routingStrategy });
    const previous = this.modelName.value;
    this.modelName.replaceChildren(...names.map((name) => el('option', { text: name, attrs: { value: name } })));
    if (names.includes(previous)) this.modelName.value = previous;
    if (!this.alias.value && names[0]) this.alias.value = `${names[0]}-tuned`;
  }

  private setMode(mode: DeployMode): void {
    this.state = { ...this.state, mode };
    const radio = this.modeRadios.get(mode);
    if (radio) radio.checked = true;
    this.modeHint.textContent = MODE_HINTS[mode];
    this.choiceChanged();
    if (this.state.info) this.host.saveState({ dataset: this.state.info.datasetDir, mode });
  }

  /** A changed choice needs a new preview before Deploy (the admin route writes no file, so it has none). */
  private choiceChanged(): void {
    this.changes.replaceChildren();
    this.deploy.toggleAttribute('disabled', this.adminUrl.value.trim() === '');
    this.update({ adminUrl: this.adminUrl.value.trim(), planShown: false });
  }

  private endpointChanged(): void {
    this.update({ endpoint: this.tunedEndpoint.value as EndpointKind });
  }

  private choice(): DeployChoice {
    const adminUrl = this.adminUrl.value.trim();
    const { mode } = this.state;
    const modelName = mode === 'alias' ? this.alias.value.trim() : this.modelName.value;
    const switchStrategy = mode === 'ab' && !adminUrl && weightsIgnored(this.state) && this.setSimpleShuffle.checked;
    return {
      mode,
      modelName,
      ...(mode === 'ab' ? { weights: [Number(this.weightBase.value), Number(this.weightTuned.value)] as const } : {}),
      ...(adminUrl ? { adminUrl } : {}),
      ...(switchStrategy ? { setSimpleShuffle: true } : {}),
    };
  }

  private send(type: 'preview' | 'deploy'): void {
    this.update({ error: undefined });
    this.whilePending(type, this.host.request({ type, choice: this.choice() }));
  }

  /**
   * The button is marked busy until the host answers its request. The banner shows the host's error (as every
   * error) and names the request it answers, so a failed Preview is told from a failed Refresh.
   */
  private whilePending(buttonId: 'refresh' | 'preview' | 'deploy', request: Promise<void>): void {
    const button = document.getElementById(buttonId);
    button?.setAttribute('aria-busy', 'true');
    void request
      .catch((error: unknown) => {
        if (error instanceof RequestError) this.banners.error.dataset.request = error.request;
      })
      .finally(() => button?.removeAttribute('aria-busy'));
  }

  private runBenchmarks(): void {
    this.update({ error: undefined });
    const n = this.count.value.trim();
    this.host.post({ type: 'runBenchmark', base: this.baseModel.value.trim(), ...(n ? { n: Number(n) } : {}) });
  }

  private saveTuned(): void {
    const endpoint = this.tunedEndpoint.value as EndpointKind;
    const text = (control: HTMLInputElement) => control.value.trim() || undefined;
    this.host.post({
      type: 'saveTuned',
      tuned: {
        model: this.tunedModel.value.trim(),
        endpoint,
        ...(endpoint !== 'openai' && text(this.tunedBaseUrl) ? { baseURL: text(this.tunedBaseUrl) } : {}),
        ...(endpoint === 'azure' && text(this.tunedDeployment) ? { deployment: text(this.tunedDeployment) } : {}),
        ...(text(this.tunedKeyEnv) ? { apiKeyEnv: text(this.tunedKeyEnv) } : {}),
      },
    });
  }
}

const host = hostApi<WebviewMessage, DeployViewState>(savedDeployState);
startPage(host, isHostMessage, (root) => new DeployView(host, root));
