// The grader page's saved state (kept by VS Code across reloads), read back and checked field by field.
import type { GraderViewState } from '../../src/shared/graderProtocol';

/** The state the page saved (across reloads), checked: undefined when it is not this page's. */
export function savedGraderState(value: unknown): GraderViewState | undefined {
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
