// Step 7 (docs/deploy.md, issue 14): the tuned model, benchmarks base vs tuned, and gateway routing — what the CLI and
// the VS Code layer (results/deploy view, playground) use.
export * from './benchmarkTypes';
export { runBenchmark, readBenchmark, listBenchmarks, newestBenchmark, benchmarkFailures, BENCHMARK_PREFIX, type BenchmarkFailures } from './runBenchmark';
export { benchmarkReport, relativeChange, verdictOf, MIN_VERDICT_PAIRS, SAMPLE_COUNT } from './benchmarkReport';
export { benchmarkPrompts, BenchmarkError, VALID_SPLIT_FILE, DEFAULT_DATASET_N } from './benchmarkPrompts';
export { pairedBootstrap, bootstrapMeans, quantileSorted, DEFAULT_RESAMPLES, DEFAULT_LEVEL, type PairedInterval, type BootstrapOptions } from './bootstrap';
export { readTunedModel, writeTunedModel, newestJobModel, tunedProviderOf, checkEnvName, defaultKeyEnv, TunedModelError, TUNED_FILE, type TunedModel, type EndpointKind } from './tunedModel';
export {
  parseLitellmConfig,
  planRouting,
  parseWeights,
  literalSecret,
  modelNames,
  scalarText,
  routingStrategyOf,
  weightsIgnoredReason,
  LitellmConfigError,
  LitellmConfigInputError,
  DeployDecisionError,
  DEPLOY_MODES,
  ROUTING_STRATEGIES,
  DEFAULT_ROUTING_STRATEGY,
  type DeployMode,
  type LitellmParams,
  type LitellmDeployment,
  type RoutingRequest,
  type RoutingEdit,
} from './litellmConfig';
export { planDeploy, applyDeploy, deployViaAdmin, undoDeploy, litellmParamsOf, type DeployRequest, type DeployPlan, type UndoResult, type UndoOptions, type AdminDeployResult } from './deploy';
export { readDeployments, activeDeployment, describeDeployment, DEPLOYMENTS_FILE, BACKUPS_DIR, type DeploymentRecord, type UndoRecord, type AdminRestore } from './deployments';
export { LitellmAdmin, LitellmAdminError, proxyReason, FILE_ROUTE, STRIPPED_PARAMS, MASKED_KEY_SEGMENTS, isMaskedKey, type AdminDeployment } from './litellmAdmin';
