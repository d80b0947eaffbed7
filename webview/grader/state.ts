// The grader editor's view state: what it shows. Handlers in main.ts change it and call render(), which draws it.
// (The grader being edited is the editor model, model.ts; the state holds what the page shows around it.)
import type { AnswerSource, HostMessage } from '../../src/shared/graderProtocol';

export type GraderMessage = Extract<HostMessage, { type: 'grader' }>;

export interface GraderPageState {
  /** The busy line's text while the host works. */
  busy?: string;
  /** The error banner's text, until dismissed or the next load. */
  error?: string;
  /** The host's last `grader` message; undefined while the page loads. */
  info?: GraderMessage;
  /** The busy line's run can be cancelled (Cancel shows on it). */
  cancellable: boolean;
  /** Start from a preset, or a custom kind. */
  mode: 'preset' | 'custom';
  /** Where Test Sample's answers come from. */
  from?: AnswerSource;
  /** JSON of grader.json as last loaded or saved (undefined: there is none). */
  baseline?: string;
  /** The form differs from `baseline`. */
  dirty: boolean;
  /** How many dimensions the chosen preset lists. */
  presetDimensions: number;
  /** The compiled OpenAI JSON of the draft is there to show. */
  compiled: boolean;
}

export type GraderSection = 'cancel' | 'trustNotice' | 'loadError' | 'presetPanel' | 'presetDimensions' | 'customPanel' | 'revert' | 'openaiJson' | 'typedField';

/** Which parts of the page show, from the state alone. */
export function graderSections(state: GraderPageState): Record<GraderSection, boolean> {
  const { info } = state;
  return {
    cancel: state.cancellable,
    trustNotice: info !== undefined && !info.trusted,
    loadError: info?.loadError !== undefined,
    presetPanel: state.mode === 'preset',
    presetDimensions: state.presetDimensions > 0,
    customPanel: state.mode === 'custom',
    revert: state.dirty && state.baseline !== undefined,
    openaiJson: state.compiled,
    typedField: info !== undefined && state.from === 'typed',
  };
}
