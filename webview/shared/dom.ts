// Small DOM builders, for every webview page. Everything that may come from data goes in as text (textContent),
// never as markup.

export type Child = Node | string | null | undefined | false;

export interface ElementProps {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: ElementProps, children?: readonly Child[]): HTMLElementTagNameMap[K];
export function el(tag: string, props?: ElementProps, children?: readonly Child[]): HTMLElement;
export function el(tag: string, props: ElementProps = {}, children: readonly Child[] = []): HTMLElement {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** A toolkit button (`<vscode-button>`); `appearance` is primary, secondary or icon. */
export function toolkitButton(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'secondary', attrs: Readonly<Record<string, string>> = {}): HTMLElement {
  const button = el('vscode-button', { text: label, attrs: { appearance, ...attrs } });
  button.addEventListener('click', onClick);
  return button;
}

/** A native button styled as a link, for actions inside table cells. */
export function linkButton(label: string, ariaLabel: string, onClick: () => void): HTMLButtonElement {
  const button = el('button', { className: 'link-button', text: label, attrs: { type: 'button', 'aria-label': ariaLabel } });
  button.addEventListener('click', onClick);
  return button;
}
