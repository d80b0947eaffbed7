// The records browser's view state: what it shows. Handlers in main.ts change it and call render(), which draws it.
import type { HostMessage } from '../../src/shared/recordsProtocol';

export type RecordsMessage = Extract<HostMessage, { type: 'records' }>;

export interface RecordsPageState {
  /** The host's last `records` message; undefined while the page loads. */
  info?: RecordsMessage;
  /** The busy line's text while the host works. */
  busy?: string;
  /** The error banner's text, until dismissed. */
  error?: string;
  /** The host's notice (e.g. how many records were deleted), until dismissed. */
  notice?: string;
  /** The record whose detail is asked for or shown (kept across reloads). */
  selected?: { file: string; line: number };
  /** A record's detail has arrived and shows. */
  detailShown: boolean;
}

export type RecordsSection = 'notice' | 'detail';

/** Which parts of the page show, from the state alone. */
export function recordsSections(state: RecordsPageState): Record<RecordsSection, boolean> {
  return { notice: state.notice !== undefined, detail: state.detailShown };
}
