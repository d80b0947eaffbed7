// The train page's saved state (kept by VS Code across reloads), read back and checked field by field.
import { BACKEND_IDS, type StartRequest, type TrainViewState } from '../../src/shared/trainProtocol';

/** The state the page saved (across reloads), checked: undefined when it is not this page's. */
export function savedTrainState(value: unknown): TrainViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, form } = value as Partial<TrainViewState>;
  if (typeof dataset !== 'string') return undefined;
  return { dataset, ...(isForm(form) ? { form } : {}) };
}

function isForm(value: unknown): value is StartRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { backend, model, split, hyperparameters } = value as Partial<StartRequest>;
  return (
    BACKEND_IDS.includes(backend as StartRequest['backend']) &&
    typeof model === 'string' &&
    typeof split === 'object' &&
    split !== null &&
    typeof hyperparameters === 'object' &&
    hyperparameters !== null
  );
}
