import type { ModelClient } from '../llm/modelClient';
import { LocalEmbedder } from './localEmbedder';
import { sparseFromDense, type SparseVector } from './sparseVector';
import type { EmbedderSpec } from './topicModel';

/** Turns texts into unit vectors; `id` names the embedding space (cache key, stored with the topics). */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly spec: EmbedderSpec;
  embedMany(texts: readonly string[], signal?: AbortSignal): Promise<SparseVector[]>;
}

export function localEmbedder(embedder: LocalEmbedder): Embedder {
  const state = embedder.state();
  return {
    id: `${embedder.id}:${fingerprint(state.buckets)}`,
    dimensions: embedder.dimensions,
    spec: { kind: 'local', state },
    embedMany: async (texts) => texts.map((text) => embedder.embed(text)),
  };
}

/** An OpenAI-compatible embeddings endpoint through the client layer (batched, retried, metered). */
export function openAiEmbedder(client: ModelClient, model: string, dimensions: number): Embedder {
  return {
    id: `openai:${model}`,
    dimensions,
    spec: { kind: 'openai', model },
    embedMany: async (texts, signal) => (texts.length === 0 ? [] : (await client.embed(model, [...texts], { signal })).map((vector) => sparseFromDense(vector))),
  };
}

/** The embedder a stored model was built with. */
export function embedderFromSpec(spec: EmbedderSpec, dimensions: number, client?: ModelClient): Embedder {
  if (spec.kind === 'local') return localEmbedder(LocalEmbedder.fromState(spec.state));
  if (!client) throw new Error(`these topics were built with the embeddings model "${spec.model}": configure a provider (RFT: Set API Key, or OPENAI_API_KEY) to categorize with it`);
  return openAiEmbedder(client, spec.model, dimensions);
}

function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
