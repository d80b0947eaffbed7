// How every page starts: its view in #root, the host's messages (those of the page's protocol) to the view,
// then `ready`, on which the host sends the page its data.

export interface PageView<HostMessage> {
  receive(message: HostMessage): void;
}

export function startPage<HostMessage>(
  host: { post(message: { readonly type: 'ready' }): void },
  isHostMessage: (value: unknown) => value is HostMessage,
  createView: (root: HTMLElement) => PageView<HostMessage>,
): void {
  const root = document.getElementById('root') ?? document.body;
  const view = createView(root);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isHostMessage(event.data)) view.receive(event.data);
  });
  host.post({ type: 'ready' });
}
