// Step 3, generation (docs/topics.md §Generation): the loop, its estimate and its targets; generateTypes.ts is the contract.
export { gapTargets } from './gapTargets';
export { estimateGeneration, formatGenerationEstimate, ASSUMED_RECORD_TOKENS } from './estimateGeneration';
export { generateRecords, defaultMaxRequests, DEFAULT_PER_REQUEST, DEFAULT_NEAR_DUPLICATE_THRESHOLD } from './generateRecords';
export { GenerateError, NO_TOPICS_MESSAGE } from './generationDataset';
export { GENERATION_FILE, DEFAULT_LANDED_SHARE, readGenerationFile, planFor, planProgress, type GenerationFile, type GenerationPlan, type PlanProgress } from './generationPlan';
export { generatedRecordsSchema } from './prompts';
export type { GeneratedMetadata } from './candidateRecord';
export * from './generateTypes';
