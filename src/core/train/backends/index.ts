// The backend for a job or a launch, from how to reach it (a model client, a Ray address, a TRL command).
import type { ModelClient } from '../../llm/modelClient';
import { TrainingError, type TrainingBackend } from '../backend';
import type { BackendId } from '../jobFile';
import { hostedBackend, type HostedOptions } from './openai';
import { rayBackend, type RayBackendOptions } from './ray';
import { trlBackend, type TrlBackendOptions } from './trl';

export interface BackendConnection {
  /** openai and azure: the client whose provider is the OpenAI API or Azure OpenAI. */
  readonly client?: ModelClient;
  /** openai and azure: how often and how long to wait for Azure to process an upload. */
  readonly hosted?: HostedOptions;
  readonly ray?: RayBackendOptions;
  readonly trl?: TrlBackendOptions;
}

export function createBackend(id: BackendId, connection: BackendConnection): TrainingBackend {
  switch (id) {
    case 'openai':
    case 'azure':
      if (!connection.client) {
        throw new TrainingError(
          id === 'azure' ? 'the azure backend needs AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT' : 'the openai backend needs OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server)',
        );
      }
      return hostedBackend(id, connection.client, connection.hosted);
    case 'trl':
      return trlBackend(connection.trl);
    case 'verl':
      return rayBackend(connection.ray);
  }
}

export { hostedBackend, rayBackend, trlBackend };
export type { HostedOptions, RayBackendOptions, TrlBackendOptions };
