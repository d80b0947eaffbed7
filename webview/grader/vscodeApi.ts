import type { GraderViewState, WebviewMessage } from '../../src/shared/graderProtocol';

/** What VS Code gives a webview (acquireVsCodeApi may be called once per page). */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The host API, typed to the grader protocol. */
export interface GraderHostApi {
  post(message: WebviewMessage): void;
  savedState(): GraderViewState | undefined;
  saveState(state: GraderViewState): void;
}

export function graderHostApi(): GraderHostApi {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    savedState: () => asViewState(api.getState()),
    saveState: (state) => api.setState(state),
  };
}

function asViewState(value: unknown): GraderViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, draft, baseline, from, typed } = value as Partial<GraderViewState>;
  if (typeof dataset !== 'string') return undefined;
  return {
    dataset,
    ...(typeof draft === 'object' && draft !== null && typeof (draft as { type?: unknown }).type === 'string' ? { draft } : {}),
    ...(typeof baseline === 'string' ? { baseline } : {}),
    ...(from === 'model' || from === 'reference' || from === 'typed' ? { from } : {}),
    ...(typeof typed === 'string' ? { typed } : {}),
  };
}
