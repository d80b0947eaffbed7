// The dry run of step 5 (docs/dry-run.md, issue 11): what the CLI and the VS Code layer use.
export * from './dryRunTypes';
export { runDryRun, DryRunError, graderHash, DEFAULT_N, REFERENCE_LIMIT } from './runDryRun';
export { readRun, listRuns, compareRuns, runsDir, RUNS_DIR } from './runFile';
export { stratifiedSample, allocate, MIN_PER_TOPIC } from './sampling';
export { computeStats, decide, diagnose, diagnoseItems, topicStats, percentile, populationStd, histogram, THRESHOLDS, ERROR_SHARE_CAUTION, ZERO_VARIANCE_CAUTION, BIMODAL_SHARE } from './stats';
export { estimateCost, estimateAnswers, formatEstimate, costOf } from './cost';
export { priceOf, PRICES } from '../llm/prices';
export { estimateDryRun, type DryRunEstimate } from './estimateDryRun';
export { choosePrompts, type PromptCandidate } from './choosePrompts';
export { runStaleness, stalenessFacts, type StalenessFacts, type StalenessRun } from './staleness';
