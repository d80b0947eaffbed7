import type { CoverageViewState, WebviewMessage } from '../../src/shared/coverageProtocol';

/** What VS Code gives a webview (acquireVsCodeApi may be called once per page). */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The host API, typed to the coverage protocol. */
export interface CoverageHostApi {
  post(message: WebviewMessage): void;
  savedState(): CoverageViewState | undefined;
  saveState(state: CoverageViewState): void;
}

export function coverageHostApi(): CoverageHostApi {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    savedState: () => asViewState(api.getState()),
    saveState: (state) => api.setState(state),
  };
}

function asViewState(value: unknown): CoverageViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, expanded, filter } = value as Partial<CoverageViewState>;
  if (typeof dataset !== 'string' || !Array.isArray(expanded)) return undefined;
  return { dataset, expanded: expanded.filter((path): path is string => typeof path === 'string'), filter };
}
