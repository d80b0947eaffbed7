import type { CoverageViewState, WebviewMessage } from '../../src/shared/coverageProtocol';
import { hostApi, type HostApi } from '../shared/vscodeApi';

/** The host API, typed to the coverage protocol. */
export type CoverageHostApi = HostApi<WebviewMessage, CoverageViewState>;

export function coverageHostApi(): CoverageHostApi {
  return hostApi(asViewState);
}

function asViewState(value: unknown): CoverageViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, expanded, filter } = value as Partial<CoverageViewState>;
  if (typeof dataset !== 'string' || !Array.isArray(expanded)) return undefined;
  return { dataset, expanded: expanded.filter((path): path is string => typeof path === 'string'), filter };
}
