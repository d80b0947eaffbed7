import type { GraderViewState, WebviewMessage } from '../../src/shared/graderProtocol';
import { hostApi, type HostApi } from '../shared/vscodeApi';

/** The host API, typed to the grader protocol. */
export type GraderHostApi = HostApi<WebviewMessage, GraderViewState>;

export function graderHostApi(): GraderHostApi {
  return hostApi(asViewState);
}

function asViewState(value: unknown): GraderViewState | undefined {
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
