// What the engine bundle writers share: the context they get, settings, errors, shell quoting.
import type { AtomicWriter } from '../../fs/atomicWrite';
import type { PythonCompilation } from '../../grader/compile/python';
import type { SplitResult } from '../split';

/** Engine settings: the engine's own argument names (GRPOConfig fields; verl's dotted keys), or the common aliases. */
export type Hyperparameters = Readonly<Record<string, string | number | boolean>>;

export interface BundleOptions {
  /** The base model: a Hugging Face id or a local path where the engine runs. */
  readonly model: string;
  /** The split the bundle is made from (its format must be 'rft'). */
  readonly split: SplitResult;
  /** Over rft.json settings.train.<engine> and the bundle's defaults. */
  readonly hyperparameters?: Hyperparameters;
  /** Where the reward reaches `rft grader serve` when the grader needs it (js, judges, cosine). */
  readonly rewardServerUrl?: string;
  /** verl: the machines and GPUs of each (`trainer.nnodes`, `trainer.n_gpus_per_node`). */
  readonly nodes?: number;
  readonly gpusPerNode?: number;
  /** verl: the lasting folder (absolute path or file:// URI) the runs keep their checkpoints under. */
  readonly checkpointDir?: string;
}

/** A bundle that cannot be made: no grader, a split in the wrong format, bad settings. */
export class BundleError extends Error {}

/** What the engine writers get. */
export interface BundleContext {
  readonly datasetDir: string;
  readonly dir: string;
  readonly datasetName: string;
  readonly options: BundleOptions;
  readonly reward: PythonCompilation;
  readonly settings: Hyperparameters;
  readonly write: (name: string, content: string | Buffer | ((write: AtomicWriter) => Promise<void>)) => Promise<void>;
}

/** A value as one shell word. */
export function shellQuote(value: string | number | boolean): string {
  const text = String(value);
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Reads a number setting (by any of its names), checking it is a positive number (an integer when asked). */
export function numberSetting(settings: Hyperparameters, names: readonly string[], fallback: number, integer = true): number {
  const name = names.find((candidate) => settings[candidate] !== undefined);
  if (name === undefined) return fallback;
  const value = Number(settings[name]);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new BundleError(`${name} must be a positive ${integer ? 'whole ' : ''}number, got ${JSON.stringify(settings[name])}`);
  return value;
}
