import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

type Schema = Record<string, unknown> & { oneOf?: { $ref: string }[]; properties?: Record<string, Schema>; enum?: unknown[]; allOf?: Schema[]; description?: string };

/** Reads the OpenAI OpenAPI excerpt in test/fixtures/vendor/openai/rft-input-chat-schema.yaml. */
export function openAiChatSchemas() {
  const file = path.join(__dirname, '..', 'fixtures', 'vendor', 'openai', 'rft-input-chat-schema.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const schemas = (parse(text) as { components: { schemas: Record<string, Schema> } }).components.schemas;
  const byRef = (ref: string) => schemas[ref.replace('#/components/schemas/', '')];
  return {
    /** The `type` values of a content-part union, in schema order. */
    partTypes(union: string): string[] {
      return (schemas[union].oneOf ?? []).map(({ $ref }) => String(byRef($ref).properties!.type.enum![0]));
    },
    /** "Audio and file input messages are not currently supported for fine-tuning" (FineTuneReinforcementRequestInput). */
    unsupportedForFineTuning: /Audio and file input messages are not\s*#?\s*currently supported for fine-tuning/.test(text) ? ['input_audio', 'file'] : [],
    imageDetails: () => schemas.ChatCompletionRequestMessageContentPartImage.properties!.image_url.properties!.detail.enum as string[],
    weights: () => schemas.FineTuneChatCompletionRequestAssistantMessage.allOf![0].properties!.weight.enum as number[],
    functionNameRule: () => String(schemas.FunctionObject.properties!.name.description),
  };
}
