// The deploy page's saved state (kept by VS Code across reloads), read back and checked field by field.
import { DEPLOY_MODES, type DeployMode, type DeployViewState } from '../../src/shared/deployProtocol';

/** The state the page saved (across reloads), checked: undefined when it is not this page's. */
export function savedDeployState(value: unknown): DeployViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, mode } = value as Partial<DeployViewState>;
  if (typeof dataset !== 'string') return undefined;
  return { dataset, ...(DEPLOY_MODES.includes(mode as DeployMode) ? { mode } : {}) };
}
