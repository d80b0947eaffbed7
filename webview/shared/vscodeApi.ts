// The VS Code webview API, typed to a page's protocol (each page's messages and saved state are in src/shared).
import { Requests } from './requests';

/** What VS Code gives a webview (acquireVsCodeApi may be called once per page). */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The host API of one page: the messages it may post and the state it keeps across reloads. */
export interface HostApi<WebviewMessage, ViewState> {
  post(message: WebviewMessage): void;
  /** Posts a request: settles when the host answers it (done, or its error as a RequestError). */
  request(message: WebviewMessage & { readonly type: string }): Promise<void>;
  savedState(): ViewState | undefined;
  saveState(state: ViewState): void;
}

/** Acquires the API (once per page); `asViewState` checks the saved state, which is undefined when it is not the page's. */
export function hostApi<WebviewMessage, ViewState>(asViewState: (value: unknown) => ViewState | undefined): HostApi<WebviewMessage, ViewState> {
  const api = acquireVsCodeApi();
  const requests = new Requests((message) => api.postMessage(message));
  return {
    post: (message) => api.postMessage(message),
    request: (message) => requests.send(message),
    savedState: () => asViewState(api.getState()),
    saveState: (state) => api.setState(state),
  };
}
