// A local, protocol-faithful OpenAI-compatible server for tests: the real `openai` SDK pointed at `baseURL` cannot
// tell it from the API for what RFT Studio uses. Never shipped, never a model (docs/models.md §The test server).
import { OpenAiTestServer, type OpenAiTestServerOptions } from './server';

export type { ChatHandler, ChatReply } from './chat';
export type { ChatMessage, ChatRequest } from './chatRequest';
export type { Fault, FaultMatch } from './faults';
export type { JobStatus } from './fineTuningJobs';
export { embedText } from './embeddings';
export { minimalInstance, schemaViolatingInstance } from './jsonSchemaInstance';
export type { LoggedRequest, OpenAiTestServerOptions } from './server';
export type { OpenAiTestServerState } from './state';
export type { StoredCompletionSeed } from './storedCompletions';
export { OpenAiTestServer };

export function startOpenAiTestServer(options?: OpenAiTestServerOptions): Promise<OpenAiTestServer> {
  return OpenAiTestServer.start(options);
}

/** One test server for a mocha suite: started before it, reset before each test, closed after (also when start failed). */
export function useOpenAiTestServer(options?: OpenAiTestServerOptions): () => OpenAiTestServer {
  let server: OpenAiTestServer | undefined;
  before(async () => (server = await OpenAiTestServer.start(options)));
  after(async () => server?.close());
  beforeEach(() => server?.reset());
  return () => server!;
}
