// The banners every page shows under its header: the busy line (a progress ring and what is going on) and the
// error banner (the host's message as text, and Dismiss). Both start hidden; the page's render() shows them from
// its view state (renderBanners).
import { el, type Child } from './dom';
import type { BannerState } from './view';

export interface Banners {
  readonly busy: HTMLElement;
  readonly busyText: HTMLElement;
  readonly error: HTMLElement;
  readonly errorText: HTMLElement;
}

/** The busy line (with `busyExtras` after its text, e.g. a Cancel button) and the error banner, whose Dismiss calls `dismiss` (the page clears its state's error). */
export function banners(busyExtras: readonly Child[], dismiss: () => void): Banners {
  const busyText = el('span', { className: 'busy-text' });
  const busy = el('div', { className: 'busy', attrs: { role: 'status', hidden: '' } }, [el('vscode-progress-ring', { attrs: { 'aria-hidden': 'true' } }), busyText, ...busyExtras]);
  const errorText = el('span', { className: 'error-text' });
  const dismissButton = el('button', { className: 'link-button', text: 'Dismiss', attrs: { type: 'button' } });
  const error = errorBanner(errorText, dismissButton);
  dismissButton.addEventListener('click', dismiss);
  return { busy, busyText, error, errorText };
}

/** A hidden error banner: a ✖, the text, and an action at its end. */
export function errorBanner(text: HTMLElement, action: HTMLElement, attrs: Readonly<Record<string, string>> = {}): HTMLElement {
  return el('div', { className: 'error-banner', attrs: { ...attrs, role: 'alert', hidden: '' } }, [el('span', { text: '✖', attrs: { 'aria-hidden': 'true' } }), text, action]);
}

/** Shows the busy line and the error banner from the page's state, their text as text (never markup). */
export function renderBanners(ui: Banners, { busy, error }: BannerState): void {
  ui.busy.hidden = busy === undefined;
  if (busy !== undefined) ui.busyText.textContent = busy;
  ui.error.hidden = error === undefined;
  if (error !== undefined) ui.errorText.textContent = error;
}
