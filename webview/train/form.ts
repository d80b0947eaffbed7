// The start form (spec Step F and Step I): backend, base model, the split (share, stratify by topic, generated
// data in validation), the backend's settings with their ranges, verl's cluster (nodes, GPUs per node, the reward
// server, the checkpoint folder), and the estimate. It reads back as a StartRequest; a value out of range says so
// under its field and keeps Start disabled.
import {
  BACKEND_IDS,
  BACKENDS,
  CLUSTER_LIMITS,
  clusterProblem,
  DEFAULT_CLUSTER,
  DEFAULT_SPLIT,
  hyperparameterProblem,
  type BackendId,
  type ClusterRequest,
  type HyperparameterSpec,
  type StartRequest,
} from '../../src/shared/trainProtocol';
import { el } from '../shared/dom';
import { estimateText, splitCounts } from './estimate';
import { formatCount } from '../dryrun/format';

export interface FormFacts {
  readonly valid: number;
  readonly generated: number;
  readonly notices: Partial<Record<BackendId, string>>;
  /** The backend to start on (the dataset's last, never one that cannot run now). */
  readonly defaultBackend?: BackendId;
  /** Backends that cannot take a job now: a saved form on one of them starts on defaultBackend instead. */
  readonly unavailable?: Partial<Record<BackendId, string>>;
}

export class StartForm {
  readonly element: HTMLElement;
  private backend: BackendId = 'openai';
  private readonly backendLine = el('p', { className: 'hint', attrs: { id: 'backend-line' } });
  private readonly notice = el('div', { className: 'notice-banner', attrs: { id: 'platform-notice', role: 'note', hidden: '' } });
  private readonly model = el('input', { attrs: { id: 'model', type: 'text', 'aria-label': 'Base model', spellcheck: 'false' } });
  private readonly validPercent = el('input', { attrs: { id: 'valid-share', type: 'number', min: '1', max: '50', step: '1', 'aria-label': 'Validation share (%)' } });
  private readonly splitBar = el('div', { className: 'split-bar', attrs: { 'aria-hidden': 'true' } }, [el('div', { className: 'split-train' })]);
  private readonly splitText = el('p', { attrs: { id: 'split-counts' } });
  private readonly stratify = el('input', { attrs: { id: 'stratify', type: 'checkbox' } });
  private readonly generatedInValid = el('input', { attrs: { id: 'generated-in-valid', type: 'checkbox' } });
  private readonly settings = el('div', { className: 'settings', attrs: { id: 'hyperparameters' } });
  private readonly cluster = new ClusterFields(() => this.update());
  private readonly estimate = el('p', { className: 'hint', attrs: { id: 'estimate' } });
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly errors = new Map<string, HTMLElement>();
  private facts: FormFacts = { valid: 0, generated: 0, notices: {} };
  /** Values typed per backend, kept while the user switches between them. */
  private readonly typed = new Map<BackendId, Record<string, string>>();

  constructor(private readonly changed: () => void) {
    const radios = BACKEND_IDS.map((id) => {
      const radio = el('input', { attrs: { type: 'radio', name: 'backend', id: `backend-${id}`, value: id } });
      radio.addEventListener('change', () => this.switchBackend(id));
      return el('label', { className: 'backend-choice' }, [radio, el('span', { text: BACKENDS[id].label })]);
    });
    for (const input of [this.model, this.validPercent]) input.addEventListener('input', () => this.update());
    for (const box of [this.stratify, this.generatedInValid]) box.addEventListener('change', () => this.update());
    this.element = el('section', { className: 'start-form', attrs: { id: 'start-form', 'aria-labelledby': 'start-heading' } }, [
      el('h2', { text: 'Start training', attrs: { id: 'start-heading' } }),
      el('fieldset', { className: 'backends' }, [el('legend', { text: 'Backend' }), el('div', { className: 'backend-choices', attrs: { role: 'radiogroup' } }, radios), this.backendLine, this.notice]),
      el('label', { className: 'field' }, [el('span', { className: 'field-label', text: 'Base model' }), this.model]),
      el('fieldset', { className: 'split' }, [
        el('legend', { text: 'Train / validation split' }),
        el('label', { className: 'field inline' }, [el('span', { className: 'field-label', text: 'Validation %' }), this.validPercent]),
        this.splitBar,
        this.splitText,
        el('label', { className: 'check' }, [this.stratify, el('span', { text: 'Stratify by topic (recommended)' })]),
        el('label', { className: 'check' }, [this.generatedInValid, el('span', { text: 'Include generated data in validation' })]),
      ]),
      el('fieldset', {}, [el('legend', { text: 'Settings' }), this.settings]),
      this.cluster.element,
      this.estimate,
    ]);
  }

  /** Fills the form from a saved request (or the defaults) once the dataset's figures are known. */
  load(facts: FormFacts, saved: StartRequest | undefined): void {
    this.facts = facts;
    const first = this.inputs.size === 0;
    if (first) {
      const start = facts.defaultBackend ?? 'openai';
      const request = saved && !facts.unavailable?.[saved.backend] ? saved : { backend: start, model: BACKENDS[start].defaultModel, split: saved?.split ?? DEFAULT_SPLIT, hyperparameters: {} };
      this.backend = request.backend;
      this.model.value = request.model;
      this.validPercent.value = String(Math.round(request.split.validShare * 100));
      this.stratify.checked = request.split.stratify;
      this.generatedInValid.checked = request.split.generatedInValid;
      this.typed.set(request.backend, Object.fromEntries(Object.entries(request.hyperparameters).map(([name, value]) => [name, String(value)])));
      this.cluster.load(request.cluster ?? DEFAULT_CLUSTER);
      this.renderSettings();
    }
    this.update();
  }

  /** The request, or undefined while a field is invalid (each says why under it). */
  request(): StartRequest | undefined {
    let ok = true;
    const hyperparameters: Record<string, number | string> = {};
    for (const spec of BACKENDS[this.backend].hyperparameters) {
      const input = this.inputs.get(spec.name);
      const error = this.errors.get(spec.name);
      if (!input || !error) continue;
      const text = input.value.trim();
      let problem: string | undefined;
      if (spec.kind === 'choice') {
        if (text !== spec.initial) hyperparameters[spec.name] = text;
        problem = hyperparameterProblem(spec, text);
      } else if (text !== '' && text.toLowerCase() !== 'auto') {
        const value = Number(text);
        problem = hyperparameterProblem(spec, value);
        hyperparameters[spec.name] = value;
      } else if (spec.initial !== 'auto') {
        problem = `${spec.label}: required.`;
      }
      error.textContent = problem ?? '';
      error.hidden = !problem;
      input.setAttribute('aria-invalid', problem ? 'true' : 'false');
      if (problem) ok = false;
    }
    const percent = Number(this.validPercent.value);
    const shareOk = Number.isFinite(percent) && percent >= 1 && percent <= 50;
    this.validPercent.setAttribute('aria-invalid', shareOk ? 'false' : 'true');
    if (!shareOk || this.model.value.trim() === '') ok = false;
    const cluster = this.backend === 'verl' ? this.cluster.read() : undefined;
    if (cluster === null) ok = false;
    if (!ok) return undefined;
    return {
      backend: this.backend,
      model: this.model.value.trim(),
      split: { validShare: percent / 100, stratify: this.stratify.checked, generatedInValid: this.generatedInValid.checked },
      hyperparameters,
      ...(cluster ? { cluster } : {}),
    };
  }

  private switchBackend(id: BackendId): void {
    this.typed.set(this.backend, this.currentValues());
    const previousDefault = BACKENDS[this.backend].defaultModel;
    this.backend = id;
    if (this.model.value.trim() === '' || this.model.value === previousDefault) this.model.value = BACKENDS[id].defaultModel;
    this.renderSettings();
    this.update();
  }

  private currentValues(): Record<string, string> {
    return Object.fromEntries([...this.inputs].map(([name, input]) => [name, input.value]));
  }

  private renderSettings(): void {
    const values = this.typed.get(this.backend) ?? {};
    this.inputs.clear();
    this.errors.clear();
    this.settings.replaceChildren(...BACKENDS[this.backend].hyperparameters.map((spec) => this.settingField(spec, values[spec.name])));
    for (const id of BACKEND_IDS) (this.element.querySelector(`#backend-${id}`) as HTMLInputElement | null)?.toggleAttribute('checked', id === this.backend);
    const radio = this.element.querySelector(`#backend-${this.backend}`) as HTMLInputElement | null;
    if (radio) radio.checked = true;
  }

  private settingField(spec: HyperparameterSpec, value: string | undefined): HTMLElement {
    const id = `hp-${spec.name}`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (spec.kind === 'choice') {
      input = el(
        'select',
        { attrs: { id } },
        spec.choices.map((choice) => el('option', { text: choice, attrs: { value: choice } })),
      );
      input.value = value ?? spec.initial;
      input.addEventListener('change', () => this.update());
    } else {
      const range = `${spec.min}–${formatRangeEnd(spec.max)}`;
      input = el('input', { attrs: { id, type: 'text', inputmode: 'decimal', placeholder: spec.initial === 'auto' ? `auto (${range})` : range, spellcheck: 'false' } });
      input.value = value ?? (spec.initial === 'auto' ? '' : String(spec.initial));
      input.addEventListener('input', () => this.update());
    }
    const error = el('span', { className: 'field-error', attrs: { id: `${id}-error`, hidden: '' } });
    this.inputs.set(spec.name, input);
    this.errors.set(spec.name, error);
    const range = spec.kind === 'choice' ? spec.choices.join(' · ') : `${spec.min}–${formatRangeEnd(spec.max)}${spec.initial === 'auto' ? ', or empty for auto' : ''}`;
    return el('label', { className: 'field setting', attrs: { 'data-setting': spec.name } }, [
      el('span', { className: 'field-label', text: spec.label }),
      input,
      el('span', { className: 'hint', text: `${spec.hint} (${range})` }),
      error,
    ]);
  }

  private update(): void {
    const spec = BACKENDS[this.backend];
    this.backendLine.textContent = spec.line;
    const notice = this.facts.notices[this.backend];
    this.notice.hidden = !notice;
    this.notice.textContent = notice ?? '';
    this.cluster.element.hidden = this.backend !== 'verl';
    const percent = Number(this.validPercent.value);
    const share = Number.isFinite(percent) ? Math.min(50, Math.max(0, percent)) / 100 : 0.1;
    const counts = splitCounts(this.facts.valid, this.facts.generated, share, this.generatedInValid.checked);
    (this.splitBar.firstElementChild as HTMLElement).style.width = `${(1 - share) * 100}%`;
    const generated = this.facts.generated > 0 ? ` · ${formatCount(this.facts.generated)} generated ${this.generatedInValid.checked ? 'may go to either' : 'kept in train'}` : '';
    this.splitText.textContent = `${formatCount(this.facts.valid)} valid records → train ≈ ${formatCount(counts.train)} · validation ≈ ${formatCount(counts.valid)} (${Math.round((1 - share) * 100)} / ${Math.round(share * 100)})${generated}`;
    const request = this.request();
    this.estimate.textContent = request ? estimateText(request, counts.train) : 'Fix the fields marked above to see the estimate.';
    this.changed();
  }
}

/** verl's cluster: nodes and GPUs per node, the reward server the workers call, the folder checkpoints last in. */
class ClusterFields {
  readonly element: HTMLElement;
  private readonly fields: { readonly name: keyof ClusterRequest; readonly input: HTMLInputElement; readonly error: HTMLElement }[];

  constructor(changed: () => void) {
    const field = (name: keyof ClusterRequest, label: string, hint: string, attrs: Record<string, string>) => {
      const input = el('input', { attrs: { id: `cluster-${name}`, spellcheck: 'false', ...attrs } });
      input.addEventListener('input', changed);
      const error = el('span', { className: 'field-error', attrs: { id: `cluster-${name}-error`, hidden: '' } });
      return {
        name,
        input,
        error,
        label: el('label', { className: 'field setting' }, [el('span', { className: 'field-label', text: label }), input, el('span', { className: 'hint', text: hint }), error]),
      };
    };
    const count = (name: 'nodes' | 'gpusPerNode', label: string, hint: string) =>
      field(name, label, `${hint} (${CLUSTER_LIMITS[name].min}–${CLUSTER_LIMITS[name].max})`, {
        type: 'number',
        min: String(CLUSTER_LIMITS[name].min),
        max: String(CLUSTER_LIMITS[name].max),
        step: '1',
      });
    const all = [
      count('nodes', 'Nodes', 'Machines of the Ray cluster the job uses (trainer.nnodes).'),
      count('gpusPerNode', 'GPUs per node', 'GPUs on each of them (trainer.n_gpus_per_node).'),
      field('rewardServer', 'Reward server', 'rft grader serve as the cluster reaches it, e.g. http://10.0.0.5:8787: needed for js, judge and cosine graders.', {
        type: 'url',
        placeholder: 'not needed for compiled graders',
      }),
      field('checkpointDir', 'Checkpoint folder', 'An absolute path every node can write (shared storage for several nodes); the trained model is saved there.', {
        type: 'text',
        placeholder: '~/rft-studio/checkpoints on the node',
      }),
    ];
    this.fields = all;
    this.element = el('fieldset', { className: 'cluster', attrs: { id: 'cluster', hidden: '' } }, [
      el('legend', { text: 'Ray cluster' }),
      el(
        'div',
        { className: 'settings' },
        all.map((item) => item.label),
      ),
    ]);
  }

  load(cluster: ClusterRequest): void {
    for (const { name, input } of this.fields) input.value = cluster[name] === undefined ? '' : String(cluster[name]);
  }

  /** The cluster, or null while a field is wrong (each says why under it). */
  read(): ClusterRequest | null {
    const values: Record<string, number | string | undefined> = {};
    let ok = true;
    for (const { name, input, error } of this.fields) {
      const text = input.value.trim();
      const value = name === 'nodes' || name === 'gpusPerNode' ? (text === '' ? NaN : Number(text)) : text || undefined;
      const problem = clusterProblem(name, value);
      error.textContent = problem ?? '';
      error.hidden = !problem;
      input.setAttribute('aria-invalid', problem ? 'true' : 'false');
      if (problem) ok = false;
      values[name] = value;
    }
    if (!ok) return null;
    return {
      nodes: values.nodes as number,
      gpusPerNode: values.gpusPerNode as number,
      ...(values.rewardServer ? { rewardServer: values.rewardServer as string } : {}),
      ...(values.checkpointDir ? { checkpointDir: values.checkpointDir as string } : {}),
    };
  }
}

function formatRangeEnd(value: number): string {
  return value >= 10_000 ? formatCount(value) : String(value);
}
