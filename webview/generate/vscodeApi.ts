import { STRATEGY_NAMES, type GenerateViewState, type WebviewMessage } from '../../src/shared/generateProtocol';
import { hostApi, type HostApi } from '../shared/vscodeApi';

/** The host API, typed to the generation protocol. */
export type GenerateHostApi = HostApi<WebviewMessage, GenerateViewState>;

export function generateHostApi(): GenerateHostApi {
  return hostApi(asViewState);
}

function asViewState(value: unknown): GenerateViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, strategy, model } = value as Partial<GenerateViewState>;
  if (typeof dataset !== 'string') return undefined;
  return {
    dataset,
    ...(strategy !== undefined && STRATEGY_NAMES.includes(strategy) ? { strategy } : {}),
    ...(typeof model === 'string' && model.trim() !== '' ? { model } : {}),
  };
}
