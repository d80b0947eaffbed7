// The playground page's saved state (kept by VS Code across reloads), read back and checked field by field.
import type { PlaygroundViewState } from '../../src/shared/playgroundProtocol';

/** The state the page saved (across reloads), checked: undefined when it is not this page's. */
export function savedPlaygroundState(value: unknown): PlaygroundViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, prompt } = value as Partial<PlaygroundViewState>;
  if (typeof dataset !== 'string') return undefined;
  return { dataset, ...(typeof prompt === 'string' ? { prompt } : {}) };
}
