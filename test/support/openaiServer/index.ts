// A local, protocol-faithful OpenAI-compatible server for tests: the real `openai` SDK pointed at `baseURL` cannot
// tell it from the API for what RFT Studio uses. Never shipped, never a model (DESIGN §6).
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
