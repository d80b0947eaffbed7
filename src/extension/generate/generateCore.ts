// src/core/generate as the VS Code layer uses it: one place to import it from, so the commands can be tested with another.
import { estimateGeneration, gapTargets, generateRecords } from '../../core/generate';
import type { GenerateApi } from '../../core/generate/generateTypes';

export const generateCore: GenerateApi = { gapTargets, estimateGeneration, generateRecords };
