// The playground webview (step 7 "Test Playground"): a prompt — typed, or a validation record picked from the list —
// sent to the base and the tuned model side by side; both answers stream into their columns, then each shows the
// grader's score, the judge's steps and its tool calls. Everything from the models and records is text.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { isHostMessage, SIDES, type HostMessage, type PromptOption, type Side, type PlaygroundViewState, type WebviewMessage } from '../../src/shared/playgroundProtocol';
import { banners, renderBanners } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';
import { startPage } from '../shared/page';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedPlaygroundState } from './savedState';
import { playgroundSections, type PlaygroundMessage, type PlaygroundPageState, type PlaygroundSection } from './state';
import { showSections } from '../shared/view';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

interface Column {
  readonly element: HTMLElement;
  readonly model: HTMLElement;
  readonly answer: HTMLElement;
  readonly tools: HTMLElement;
  readonly score: HTMLElement;
  readonly steps: HTMLElement;
}

function column(side: Side): Column {
  const model = el('span', { className: 'column-model', attrs: { id: `${side}-column-model` } });
  const score = el('span', { className: 'column-score', attrs: { id: `${side}-score` } });
  const answer = el('pre', { className: 'stream-text', attrs: { id: `${side}-answer`, 'aria-live': 'polite' } });
  const tools = el('pre', { className: 'tool-calls', attrs: { id: `${side}-tools`, hidden: '' } });
  const steps = el('ol', { className: 'judge-steps', attrs: { id: `${side}-steps` } });
  const element = el('section', { className: `stream column-${side}`, attrs: { 'aria-label': side === 'base' ? 'Base model' : 'Tuned model' } }, [
    el('div', { className: 'column-head' }, [el('h2', { text: side === 'base' ? 'Base' : 'Tuned' }), model, score]),
    answer,
    tools,
    steps,
  ]);
  return { element, model, answer, tools, score, steps };
}

class PlaygroundView {
  private readonly state: PlaygroundPageState = { running: false, current: 0, toolCalls: { base: false, tuned: false } };
  private readonly banners = banners([], () => {
    this.state.error = undefined;
    this.render();
  });
  private readonly title = el('h1', { text: 'Playground' });
  private readonly prompt = el('textarea', { attrs: { id: 'prompt', rows: '4', 'aria-label': 'Prompt', placeholder: 'Type a prompt, or pick a validation record below.' } });
  private readonly record = el('select', { attrs: { id: 'record', 'aria-label': 'Validation record' } });
  private readonly recordsNote = el('p', { className: 'hint', attrs: { id: 'records-note' } });
  private readonly base = el('input', { attrs: { id: 'base-model', type: 'text', 'aria-label': 'Base model', spellcheck: 'false' } });
  private readonly tunedLine = el('p', { className: 'hint', attrs: { id: 'tuned-line' } });
  private readonly ask = toolkitButton('Send to both', () => this.send(), 'primary', { id: 'ask' });
  private readonly stop = toolkitButton('Stop', () => this.host.post({ type: 'cancel' }), 'secondary', { id: 'stop', hidden: '' });
  private readonly status = el('p', { className: 'hint', attrs: { id: 'status', role: 'status' } });
  private readonly sent = el('pre', { className: 'sent-prompt', attrs: { id: 'sent-prompt', hidden: '' } });
  private readonly columns: Record<Side, Column> = { base: column('base'), tuned: column('tuned') };
  private records: readonly PromptOption[] = [];
  /** The parts render() shows or hides. */
  private readonly sections: Record<PlaygroundSection, HTMLElement> = { stop: this.stop, sent: this.sent, baseTools: this.columns.base.tools, tunedTools: this.columns.tuned.tools };

  constructor(
    private readonly host: HostApi<WebviewMessage, PlaygroundViewState>,
    root: HTMLElement,
  ) {
    const saved = host.savedState();
    if (saved?.prompt) this.prompt.value = saved.prompt;
    this.record.addEventListener('change', () => this.recordPicked());
    this.prompt.addEventListener('input', () => this.persist());
    const b = this.banners;
    root.replaceChildren(
      el('header', { className: 'page-header' }, [this.title, el('div', { className: 'toolbar' }, [toolkitButton('Refresh', () => host.post({ type: 'refresh' }), 'secondary', { id: 'refresh' })])]),
      b.busy,
      b.error,
      el('section', { className: 'ask', attrs: { 'aria-label': 'Prompt' } }, [
        el('label', { className: 'field' }, [el('span', { className: 'field-label', text: 'Validation record' }), this.record]),
        this.recordsNote,
        el('label', { className: 'field' }, [el('span', { className: 'field-label', text: 'Prompt' }), this.prompt]),
        el('div', { className: 'toolbar' }, [el('label', { className: 'field' }, [el('span', { className: 'field-label', text: 'Base model' }), this.base]), this.ask, this.stop]),
        this.tunedLine,
        this.status,
      ]),
      this.sent,
      el('div', { className: 'columns' }, [this.columns.base.element, this.columns.tuned.element]),
    );
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'playground':
        return this.show(message);
      case 'started':
        return this.started(message.id, message.prompt, message.models);
      case 'chunk':
        if (message.id === this.state.current) this.columns[message.side].answer.append(document.createTextNode(message.text));
        return;
      case 'answered': {
        if (message.id !== this.state.current) return;
        const col = this.columns[message.side];
        if (message.toolCalls) {
          col.tools.textContent = `Tool calls:\n${message.toolCalls}`;
          this.state.toolCalls = { ...this.state.toolCalls, [message.side]: true };
          this.render();
        }
        if (message.error) {
          col.answer.textContent = message.error;
          col.answer.classList.add('error-text');
        }
        col.score.textContent = message.error ? 'no answer' : 'scoring…';
        return;
      }
      case 'scored': {
        if (message.id !== this.state.current) return;
        const col = this.columns[message.side];
        col.score.textContent = message.score === null ? `no score${message.error ? `: ${message.error}` : ''}` : `Score: ${message.score.toFixed(2)}`;
        col.score.dataset.score = message.score === null ? '' : String(message.score);
        const subs = Object.entries(message.subScores ?? {}).map(([name, value]) => `${name}: ${value.toFixed(2)}`);
        col.steps.replaceChildren(...[...message.steps, ...subs].map((step) => el('li', { text: step })));
        return;
      }
      case 'finished':
        if (message.id !== this.state.current) return;
        this.state.running = false;
        this.noteCannotRun();
        this.status.textContent = message.outcome === 'done' ? 'Done.' : message.outcome === 'cancelled' ? 'Stopped.' : '';
        if (message.outcome === 'failed') {
          this.state.busy = undefined;
          this.state.error = message.message ?? 'The playground failed.';
        }
        return this.render();
      case 'busy':
        this.state.busy = message.message;
        return this.render();
      case 'error':
        this.state.busy = undefined;
        this.state.error = message.message;
        return this.render();
    }
  }

  private show(message: PlaygroundMessage): void {
    this.state.info = message;
    this.state.busy = undefined;
    this.title.textContent = `Playground — ${message.dataset}`;
    document.title = this.title.textContent;
    if (!this.base.value) this.base.value = message.base;
    this.tunedLine.textContent = message.tuned
      ? `Tuned: ${message.tuned}${message.hasGrader ? ' · both answers scored by the grader' : ' · no grader: answers are not scored'}`
      : 'No tuned model yet.';
    this.records = message.records;
    const selected = this.record.value;
    this.record.replaceChildren(
      el('option', { text: '— type a prompt —', attrs: { value: '' } }),
      ...message.records.map((r) => el('option', { text: `${r.file}:${r.line} · ${r.topic} · ${r.prompt.slice(0, 80)}`, attrs: { value: r.key } })),
    );
    if (message.records.some((r) => r.key === selected)) this.record.value = selected;
    this.recordsNote.textContent = message.recordsNote;
    this.noteCannotRun();
    this.render();
    this.persist();
  }

  private recordPicked(): void {
    const picked = this.records.find((r) => r.key === this.record.value);
    if (picked) this.prompt.value = picked.prompt;
    this.persist();
  }

  private send(): void {
    this.state.error = undefined;
    this.render();
    const recordKey = this.record.value;
    const picked = this.records.find((r) => r.key === recordKey);
    // a picked record is sent whole (its system message and tools) unless its prompt was edited
    const useRecord = picked !== undefined && this.prompt.value === picked.prompt;
    this.host.post({ type: 'ask', base: this.base.value.trim(), ...(useRecord ? { recordKey } : { prompt: this.prompt.value }) });
  }

  private started(id: number, prompt: string, models: Readonly<Record<Side, string>>): void {
    this.state.current = id;
    this.state.running = true;
    this.state.sentPrompt = prompt;
    this.state.toolCalls = { base: false, tuned: false };
    this.status.textContent = 'Streaming both answers…';
    this.sent.textContent = prompt;
    for (const side of SIDES) {
      const col = this.columns[side];
      col.model.textContent = models[side];
      col.answer.replaceChildren();
      col.answer.classList.remove('error-text');
      col.tools.textContent = '';
      col.score.textContent = '';
      col.steps.replaceChildren();
    }
    this.render();
  }

  /** What shows, what the banners say and whether Send works, from the state alone. */
  private render(): void {
    const { state } = this;
    renderBanners(this.banners, state);
    showSections(this.sections, playgroundSections(state));
    const canRun = state.info?.canRun ?? false;
    this.ask.toggleAttribute('disabled', state.running || !canRun);
    if (state.info && !canRun && state.info.cannotRunReason) this.ask.setAttribute('title', state.info.cannotRunReason);
    else this.ask.removeAttribute('title');
  }

  /** The status line says why Send is off, when it is (and nothing runs). */
  private noteCannotRun(): void {
    const { info, running } = this.state;
    if (info && !info.canRun && info.cannotRunReason && !running) this.status.textContent = info.cannotRunReason;
  }

  private persist(): void {
    if (this.state.info) this.host.saveState({ dataset: this.state.info.datasetDir, prompt: this.prompt.value });
  }
}

const host = hostApi<WebviewMessage, PlaygroundViewState>(savedPlaygroundState);
startPage(host, isHostMessage, (root) => new PlaygroundView(host, root));
