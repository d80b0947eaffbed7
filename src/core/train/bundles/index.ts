// Engine bundles (issue 13 §3): exports/trl/ and exports/verl/ hold what runs where the GPUs are — the dataset in the
// engine's format, the compiled reward module, the launch script, pinned requirements and a README.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readManifest } from '../../dataset/manifest';
import { compilePythonReward } from '../../grader/compile/python';
import { readGraderFile } from '../../grader/graderFile';
import { datasetResponseFormat } from '../../grader/responseFormat';
import { writeFileAtomic } from '../../fs/atomicWrite';
import { EXPORTS_DIR } from '../split';
import { BundleError, type BundleContext, type BundleOptions, type Hyperparameters } from './bundleSupport';
import type { PromptChanges } from './engineRows';
import { grpoConfig, writeTrlBundle } from './trlBundle';
import { checkVerlSettingNames, writeVerlBundle } from './verlBundle';

export { BundleError, shellQuote, type BundleOptions, type Hyperparameters } from './bundleSupport';
export type { EngineMetricsLine } from './metricsLine';
export type { PromptChanges } from './engineRows';
export { parseTrlMetricsLine, TRL_METRICS_FILE } from './trlMetrics';
export { parseVerlMetricsLine } from './verlMetrics';

export const ENGINES = ['trl', 'verl'] as const;
export type Engine = (typeof ENGINES)[number];

export interface Bundle {
  /** Absolute path of exports/<engine>/. */
  readonly dir: string;
  /** The files written, relative to dir. */
  readonly files: string[];
  /** Run in dir: ['bash', 'launch.sh']. */
  readonly launchCommand: string[];
  /** The README's text. */
  readonly readme: string;
  /** What a person should know (reward needs rft grader serve; what the prompts left out). */
  readonly notes: string[];
  /** The engine settings the bundle launches with. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** The reward calls `rft grader serve` (js graders, judges, cosine): the trainer must reach one. */
  readonly needsRewardServer: boolean;
  /** How the prompts differ from the rows' messages (tool calls, images), where the engine writer counts it. */
  readonly promptChanges?: PromptChanges;
  /** verl: the folder the runs keep their checkpoints under (one folder per run below it). */
  readonly checkpointDir?: string;
}

export async function writeEngineBundle(datasetDir: string, engine: Engine, options: BundleOptions): Promise<Bundle> {
  if (!(ENGINES as readonly string[]).includes(engine)) throw new BundleError(`unknown engine "${engine}" (trl or verl)`);
  if (options.split.format !== 'rft') throw new BundleError(`the split in exports/ is in the ${options.split.format} format; bundles need an RFT split (rft split <dataset> --format rft)`);
  if (!options.model?.trim()) throw new BundleError('a bundle needs a base model (--model, a Hugging Face id or a local path)');
  const loaded = await readGraderFile(datasetDir);
  if (!loaded) throw new BundleError(`${datasetDir} has no grader.json: the bundle's reward is compiled from it (rft grader init ${datasetDir} --preset ...)`);
  const manifest = await readManifest(datasetDir);
  const reward = await compilePythonReward(loaded.resolved, {
    baseDir: datasetDir,
    target: engine,
    rewardServerUrl: options.rewardServerUrl,
    datasetResponseFormat: datasetResponseFormat(manifest) !== undefined,
  });
  const settings = engineSettings(manifest.settings, engine, options.hyperparameters);
  const dir = path.join(datasetDir, EXPORTS_DIR, engine);
  await fs.promises.mkdir(dir, { recursive: true });
  const files: string[] = [];
  const write: BundleContext['write'] = async (name, content) => {
    await writeFileAtomic(path.join(dir, name), content);
    if (name.endsWith('.sh')) await fs.promises.chmod(path.join(dir, name), 0o755);
    files.push(name);
  };
  const context: BundleContext = { datasetDir, dir, datasetName: manifest.name, options, reward, settings, write };
  const written = engine === 'trl' ? await writeTrlBundle(context) : await writeVerlBundle(context);
  return { dir, files, launchCommand: ['bash', 'launch.sh'], needsRewardServer: reward.remote, ...written };
}

/**
 * The engine settings a launch would use (rft.json's settings.train.<engine> < the given ones), checked by name before
 * anything is split, written or started: a typo is refused at once, not after the split and the bundle.
 */
export async function checkEngineSettings(datasetDir: string, engine: Engine, hyperparameters?: Hyperparameters): Promise<void> {
  const settings = engineSettings((await readManifest(datasetDir)).settings, engine, hyperparameters);
  if (engine === 'trl') grpoConfig(settings, 0);
  else checkVerlSettingNames(settings);
}

function engineSettings(manifestSettingsValue: unknown, engine: Engine, hyperparameters: Hyperparameters | undefined): Hyperparameters {
  const trainSettings = (manifestSettingsValue as { train?: Record<string, unknown> } | undefined)?.train?.[engine];
  return { ...manifestSettings(trainSettings, engine), ...(hyperparameters ?? {}) };
}

/** settings.train.<engine>: names to strings, numbers or booleans; anything else is refused, never dropped in silence. */
function manifestSettings(value: unknown, engine: Engine): Hyperparameters {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BundleError(`settings.train.${engine} (rft.json) must be an object of setting names and values`);
  for (const [key, setting] of Object.entries(value)) {
    if (!['string', 'number', 'boolean'].includes(typeof setting))
      throw new BundleError(
        `settings.train.${engine} (rft.json): "${key}" must be a string, number or boolean, not ${setting === null ? 'null' : Array.isArray(setting) ? 'a list' : typeof setting === 'object' ? 'an object' : `a ${typeof setting}`}`,
      );
  }
  return value as Hyperparameters;
}
