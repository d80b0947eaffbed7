// The playground webview (step 7 "Test Playground"): a prompt — typed, or a validation record picked from the list —
// sent to the base and the tuned model side by side; both answers stream into their columns, then each shows the
// grader's score, the judge's steps and its tool calls. Everything from the models and records is text.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { isHostMessage, SIDES, type HostMessage, type PromptOption, type Side, type PlaygroundViewState, type WebviewMessage } from '../../src/shared/playgroundProtocol';
import { banners, showBusy, showError } from '../shared/banners';
import { el, toolkitButton } from '../shared/dom';
import { startPage } from '../shared/page';
import { hostApi, type HostApi } from '../shared/vscodeApi';
import { savedPlaygroundState } from './savedState';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

type PlaygroundMessage = Extract<HostMessage, { type: 'playground' }>;

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
  private info: PlaygroundMessage | undefined;
  private current = 0;
  private running = false;
  private readonly banners = banners();
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

  constructor(private readonly host: HostApi<WebviewMessage, PlaygroundViewState>, root: HTMLElement) {
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
        if (message.id === this.current) this.columns[message.side].answer.append(document.createTextNode(message.text));
        return;
      case 'answered': {
        if (message.id !== this.current) return;
        const col = this.columns[message.side];
        if (message.toolCalls) {
          col.tools.textContent = `Tool calls:\n${message.toolCalls}`;
          col.tools.hidden = false;
        }
        if (message.error) {
          col.answer.textContent = message.error;
          col.answer.classList.add('error-text');
        }
        col.score.textContent = message.error ? 'no answer' : 'scoring…';
        return;
      }
      case 'scored': {
        if (message.id !== this.current) return;
        const col = this.columns[message.side];
        col.score.textContent = message.score === null ? `no score${message.error ? `: ${message.error}` : ''}` : `Score: ${message.score.toFixed(2)}`;
        col.score.dataset.score = message.score === null ? '' : String(message.score);
        const subs = Object.entries(message.subScores ?? {}).map(([name, value]) => `${name}: ${value.toFixed(2)}`);
        col.steps.replaceChildren(...[...message.steps, ...subs].map((step) => el('li', { text: step })));
        return;
      }
      case 'finished':
        if (message.id !== this.current) return;
        this.running = false;
        this.setRunning();
        this.status.textContent = message.outcome === 'done' ? 'Done.' : message.outcome === 'cancelled' ? 'Stopped.' : '';
        if (message.outcome === 'failed') showError(this.banners, message.message ?? 'The playground failed.');
        return;
      case 'busy':
        return showBusy(this.banners, message.message);
      case 'error':
        return showError(this.banners, message.message);
    }
  }

  private show(message: PlaygroundMessage): void {
    this.info = message;
    this.banners.busy.hidden = true;
    this.title.textContent = `Playground — ${message.dataset}`;
    document.title = this.title.textContent;
    if (!this.base.value) this.base.value = message.base;
    this.tunedLine.textContent = message.tuned ? `Tuned: ${message.tuned}${message.hasGrader ? ' · both answers scored by the grader' : ' · no grader: answers are not scored'}` : 'No tuned model yet.';
    this.records = message.records;
    const selected = this.record.value;
    this.record.replaceChildren(el('option', { text: '— type a prompt —', attrs: { value: '' } }), ...message.records.map((r) => el('option', { text: `${r.file}:${r.line} · ${r.topic} · ${r.prompt.slice(0, 80)}`, attrs: { value: r.key } })));
    if (message.records.some((r) => r.key === selected)) this.record.value = selected;
    this.recordsNote.textContent = message.recordsNote;
    this.setRunning();
    this.persist();
  }

  private recordPicked(): void {
    const picked = this.records.find((r) => r.key === this.record.value);
    if (picked) this.prompt.value = picked.prompt;
    this.persist();
  }

  private send(): void {
    this.banners.error.hidden = true;
    const recordKey = this.record.value;
    const picked = this.records.find((r) => r.key === recordKey);
    // a picked record is sent whole (its system message and tools) unless its prompt was edited
    const useRecord = picked !== undefined && this.prompt.value === picked.prompt;
    this.host.post({ type: 'ask', base: this.base.value.trim(), ...(useRecord ? { recordKey } : { prompt: this.prompt.value }) });
  }

  private started(id: number, prompt: string, models: Readonly<Record<Side, string>>): void {
    this.current = id;
    this.running = true;
    this.setRunning();
    this.status.textContent = 'Streaming both answers…';
    this.sent.textContent = prompt;
    this.sent.hidden = false;
    for (const side of SIDES) {
      const col = this.columns[side];
      col.model.textContent = models[side];
      col.answer.replaceChildren();
      col.answer.classList.remove('error-text');
      col.tools.hidden = true;
      col.tools.textContent = '';
      col.score.textContent = '';
      col.steps.replaceChildren();
    }
  }

  private setRunning(): void {
    const canRun = this.info?.canRun ?? false;
    this.ask.toggleAttribute('disabled', this.running || !canRun);
    if (this.info && !canRun && this.info.cannotRunReason) {
      this.ask.setAttribute('title', this.info.cannotRunReason);
      if (!this.running) this.status.textContent = this.info.cannotRunReason;
    } else this.ask.removeAttribute('title');
    this.stop.hidden = !this.running;
  }

  private persist(): void {
    if (this.info) this.host.saveState({ dataset: this.info.datasetDir, prompt: this.prompt.value });
  }
}

const host = hostApi<WebviewMessage, PlaygroundViewState>(savedPlaygroundState);
startPage(host, isHostMessage, (root) => new PlaygroundView(host, root));
