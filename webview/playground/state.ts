// The playground's view state: what it shows. Handlers in main.ts change it and call render(), which draws it.
import type { HostMessage, Side } from '../../src/shared/playgroundProtocol';

export type PlaygroundMessage = Extract<HostMessage, { type: 'playground' }>;

export interface PlaygroundPageState {
  /** The host's last `playground` message; undefined while the page loads. */
  info?: PlaygroundMessage;
  /** Both answers are asked for (from `started` to `finished`). */
  running: boolean;
  /** The id of the newest run: messages of older runs are dropped. */
  current: number;
  /** The busy line's text while the host works. */
  busy?: string;
  /** The error banner's text, until dismissed or the next Send. */
  error?: string;
  /** The prompt the newest run sent. */
  sentPrompt?: string;
  /** Each column's answer made tool calls (they show under it). */
  toolCalls: Record<Side, boolean>;
}

export type PlaygroundSection = 'stop' | 'sent' | 'baseTools' | 'tunedTools';

/** Which parts of the page show, from the state alone. */
export function playgroundSections(state: PlaygroundPageState): Record<PlaygroundSection, boolean> {
  return { stop: state.running, sent: state.sentPrompt !== undefined, baseTools: state.toolCalls.base, tunedTools: state.toolCalls.tuned };
}
