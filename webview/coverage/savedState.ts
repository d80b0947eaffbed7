// The coverage page's saved state (kept by VS Code across reloads), read back and checked field by field.
import type { CoverageViewState } from '../../src/shared/coverageProtocol';

/** The state the page saved (across reloads), checked: undefined when it is not this page's. */
export function savedCoverageState(value: unknown): CoverageViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, expanded, filter } = value as Partial<CoverageViewState>;
  if (typeof dataset !== 'string' || !Array.isArray(expanded)) return undefined;
  return { dataset, expanded: expanded.filter((path): path is string => typeof path === 'string'), filter };
}
