import type { ChatHandler } from './chat';
import type { OpenAiTestServerState } from './state';

/** What every route sees: the stores, and the chat replies the test scripted. */
export interface ServerContext {
  readonly state: OpenAiTestServerState;
  chatHandler: ChatHandler | undefined;
}
