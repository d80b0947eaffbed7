import type { PlaygroundViewState, WebviewMessage } from '../../src/shared/playgroundProtocol';
import { hostApi, type HostApi } from '../shared/vscodeApi';

/** The host API, typed to the playground's protocol. */
export type PlaygroundHostApi = HostApi<WebviewMessage, PlaygroundViewState>;

export function playgroundHostApi(): PlaygroundHostApi {
  return hostApi(asViewState);
}

function asViewState(value: unknown): PlaygroundViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, prompt } = value as Partial<PlaygroundViewState>;
  if (typeof dataset !== 'string') return undefined;
  return { dataset, ...(typeof prompt === 'string' ? { prompt } : {}) };
}
