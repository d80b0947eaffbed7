import { BACKEND_IDS, type StartRequest, type TrainViewState, type WebviewMessage } from '../../src/shared/trainProtocol';
import { hostApi, type HostApi } from '../shared/vscodeApi';

/** The host API, typed to the training monitor's protocol. */
export type TrainHostApi = HostApi<WebviewMessage, TrainViewState>;

export function trainHostApi(): TrainHostApi {
  return hostApi(asViewState);
}

function asViewState(value: unknown): TrainViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, form } = value as Partial<TrainViewState>;
  if (typeof dataset !== 'string') return undefined;
  return { dataset, ...(isForm(form) ? { form } : {}) };
}

function isForm(value: unknown): value is StartRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { backend, model, split, hyperparameters } = value as Partial<StartRequest>;
  return BACKEND_IDS.includes(backend as StartRequest['backend']) && typeof model === 'string' && typeof split === 'object' && split !== null && typeof hyperparameters === 'object' && hyperparameters !== null;
}
