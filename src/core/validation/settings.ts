import { z } from 'zod';

/** Validation limits, stored in `rft.json` under `settings.validation` (docs/validation-codes.md §Limits). */
export interface ValidationSettings {
  /** Most tokens a record's prompt may have (o200k tokenizer). */
  readonly maxTokens: number;
  /** The final user message shorter than this many characters is a warning. */
  readonly minUserChars: number;
  /** A line longer than this many bytes is an error and is never buffered whole. */
  readonly maxLineBytes: number;
}

export const DEFAULT_VALIDATION_SETTINGS: ValidationSettings = Object.freeze({
  maxTokens: 8000,
  minUserChars: 10,
  maxLineBytes: 8 * 1024 * 1024,
});

export const validationSettingsSchema = z
  .object({
    maxTokens: z.number().int().positive().optional(),
    minUserChars: z.number().int().nonnegative().optional(),
    maxLineBytes: z.number().int().positive().optional(),
  })
  .strict();

export type ValidationSettingsInput = z.infer<typeof validationSettingsSchema>;

export function resolveValidationSettings(...layers: (ValidationSettingsInput | undefined)[]): ValidationSettings {
  const merged: { -readonly [K in keyof ValidationSettings]: ValidationSettings[K] } = { ...DEFAULT_VALIDATION_SETTINGS };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.maxTokens !== undefined) merged.maxTokens = layer.maxTokens;
    if (layer.minUserChars !== undefined) merged.minUserChars = layer.minUserChars;
    if (layer.maxLineBytes !== undefined) merged.maxLineBytes = layer.maxLineBytes;
  }
  return merged;
}
