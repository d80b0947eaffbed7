// The generate page's saved state (kept by VS Code across reloads), read back and checked field by field.
import { STRATEGY_NAMES, type GenerateViewState } from '../../src/shared/generateProtocol';

/** The state the page saved (across reloads), checked: undefined when it is not this page's. */
export function savedGenerateState(value: unknown): GenerateViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, strategy, model } = value as Partial<GenerateViewState>;
  if (typeof dataset !== 'string') return undefined;
  return {
    dataset,
    ...(strategy !== undefined && STRATEGY_NAMES.includes(strategy) ? { strategy } : {}),
    ...(typeof model === 'string' && model.trim() !== '' ? { model } : {}),
  };
}
