import { DEPLOY_MODES, type DeployMode, type DeployViewState, type WebviewMessage } from '../../src/shared/deployProtocol';
import { hostApi, type HostApi } from '../shared/vscodeApi';

/** The host API, typed to the results and deploy protocol. */
export type DeployHostApi = HostApi<WebviewMessage, DeployViewState>;

export function deployHostApi(): DeployHostApi {
  return hostApi(asViewState);
}

function asViewState(value: unknown): DeployViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, mode } = value as Partial<DeployViewState>;
  if (typeof dataset !== 'string') return undefined;
  return { dataset, ...(DEPLOY_MODES.includes(mode as DeployMode) ? { mode } : {}) };
}
