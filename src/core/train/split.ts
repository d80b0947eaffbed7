// The train/validation split (spec Step F, issue 13 §1): valid, non-duplicate records, 90/10 by default, stratified
// by topic, generated records out of validation unless asked, a minimum validation size, seeded. Two streaming passes
// (decide, then write) keep memory to a few numbers per record. Writes exports/train.jsonl, exports/valid.jsonl and
// exports/split.json (the manifest `currentSplit` checks against the dataset). Rows that lack a field grader.json
// reads are counted and located as warnings: each would score 0 in training.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLabels, LABELS_FILE, type Label } from '../dataset/labels';
import { GENERATED_FILE, MANIFEST_FILE, datasetRecordFiles, readManifest, type Manifest } from '../dataset/manifest';
import { forEachValidRecord } from '../dataset/validRecords';
import { UNCATEGORIZED } from '../dryrun/dryRunTypes';
import { itemFieldsRead, rowHas, type FieldRead } from '../grader/fieldsRead';
import { readGraderFile } from '../grader/graderFile';
import { writeFileAtomic, type AtomicWriter } from '../fs/atomicWrite';
import { LineSplitter } from '../jsonl/lineSplitter';
import { resolveValidationSettings } from '../validation/settings';
import { ConversionTally, rowProblem, toRow, withLabelMetadata, type SplitFormat } from './rftRows';
import { allocateValidation, chooseValidation, stratifiedSubset, type StratumMembers } from './stratify';

export const EXPORTS_DIR = 'exports';
export const TRAIN_FILE = 'train.jsonl';
export const VALID_FILE = 'valid.jsonl';
export const SPLIT_MANIFEST = 'split.json';
/** OpenAI's (and Azure's) reinforcement fine-tuning file limits (issue 13 §1). */
export const OPENAI_RFT_LIMITS = { train: 50_000, valid: 1_000 } as const;
/** 2: outputs carry the sha256 of train/valid, and the fingerprint covers each record's whole text. */
const SPLIT_VERSION = 2;

export interface SplitOptions {
  /** Share of all records for validation, 0 < share < 1. Default 0.1 (or rft.json settings.split.validShare). */
  readonly validShare?: number;
  /** Stratify by topic (labels; a record's own metadata.topic wins; uncategorized is its own stratum). Default true. */
  readonly stratify?: boolean;
  /** Let generated records (generated.jsonl) into validation. Default false. */
  readonly generatedInValid?: boolean;
  /** The smallest acceptable validation set. Default 10. */
  readonly minValid?: number;
  readonly seed?: number;
  /** 'rft' (OpenAI/Azure RFT rows) or 'sft' (the reference as the final assistant turn). Default 'rft'. */
  readonly format?: SplitFormat;
  /** An explicit cut the user chose: train is a stratified, seeded sample of this many (the rest is left out). */
  readonly maxTrain?: number;
  /** An explicit cut: validation is a stratified sample of this many of its draw (the rest goes to train). */
  readonly maxValid?: number;
  /** The target's row limits; over them the split throws SplitTooLargeError. Default OPENAI_RFT_LIMITS; false for TRL/verl. */
  readonly limits?: { readonly train: number; readonly valid: number } | false;
  readonly signal?: AbortSignal;
}

export interface TopicCounts {
  readonly topic: string;
  readonly train: number;
  readonly valid: number;
}

/** Rows of the split that lack a field the grader reads: each scores 0 with `error` (OpenAI's and our graders alike). */
export interface SplitWarning {
  readonly code: 'missing_grader_field';
  /** "item.reference_answer" */
  readonly field: string;
  /** The graders that read it (a multi grader's keys). */
  readonly graders: readonly string[];
  readonly error: FieldRead['error'];
  /** Rows without it, and how many of them are in train and in validation. */
  readonly count: number;
  readonly train: number;
  readonly valid: number;
  /** Where the first of those rows come from: "records.jsonl:12" (at most WARNING_LINES). */
  readonly lines: readonly string[];
  readonly message: string;
}

/** Source lines a warning names. */
export const WARNING_LINES = 5;

export interface SplitResult {
  readonly train: number;
  readonly valid: number;
  readonly byTopic: TopicCounts[];
  /** Absolute paths of exports/train.jsonl and exports/valid.jsonl. */
  readonly files: { readonly train: string; readonly valid: string };
  /** What the conversion and the split changed or left out, in words. */
  readonly changes: string[];
  /** Rows that would score 0 in training because they lack a field the grader reads (RFT splits with a grader.json). */
  readonly warnings: SplitWarning[];
  /** sha256 over every valid record's key, topic and whole text, in order: the records (reference answers and every other field) and labels the split came from. */
  readonly fingerprint: string;
  readonly format: SplitFormat;
  readonly options: ResolvedSplitOptions;
  readonly createdAt: string;
}

export type ResolvedSplitOptions = Required<Pick<SplitOptions, 'validShare' | 'stratify' | 'generatedInValid' | 'minValid' | 'seed' | 'format'>> & {
  readonly maxTrain?: number;
  readonly maxValid?: number;
  readonly limits: { readonly train: number; readonly valid: number } | false;
};

/** An invalid split (no records, empty validation, too few records, bad options): the message says what to change. */
export class SplitError extends Error {}

/** More rows than the target takes: never cut silently; the message names the choices. */
export class SplitTooLargeError extends SplitError {
  constructor(
    readonly train: number,
    readonly valid: number,
    readonly limits: { train: number; valid: number },
  ) {
    const over = [train > limits.train ? `${fmt(train)} train rows (limit ${fmt(limits.train)})` : '', valid > limits.valid ? `${fmt(valid)} validation rows (limit ${fmt(limits.valid)})` : '']
      .filter(Boolean)
      .join(' and ');
    const choices = [
      train > limits.train ? `--max-train ${limits.train} (a stratified, seeded sample of ${fmt(limits.train)} train rows; the other ${fmt(train - limits.train)} stay out)` : '',
      valid > limits.valid
        ? `--max-valid ${limits.valid} (the other ${fmt(valid - limits.valid)} validation rows go to train) or a lower --valid share (about ${(limits.valid / (train + valid)).toFixed(3)})`
        : '',
      'or a TRL/verl backend (no row limit)',
    ].filter(Boolean);
    super(`the split has ${over}: OpenAI/Azure RFT takes at most ${fmt(limits.train)} train and ${fmt(limits.valid)} validation rows. Choose ${choices.join(', ')}`);
  }
}

interface Stamp {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** An output's stamp with the sha256 of its bytes: split.json describes exactly these train/valid files. */
interface OutputStamp extends Stamp {
  readonly sha256: string;
}

interface SplitManifest extends Omit<SplitResult, 'files'> {
  readonly version: number;
  readonly files: { readonly train: string; readonly valid: string };
  readonly inputs: Stamp[];
  readonly outputs: OutputStamp[];
}

/** Splits a dataset and writes exports/train.jsonl, exports/valid.jsonl and exports/split.json (each atomically). */
export async function splitDataset(datasetDir: string, options: SplitOptions = {}): Promise<SplitResult> {
  const manifest = await readManifest(datasetDir);
  const resolved = resolveOptions(options, manifest);
  const { labels } = await readLabels(datasetDir);
  const inputs = await inputStamps(datasetDir);
  const scan = await scanRecords(datasetDir, labels, resolved.format, manifest, options.signal);
  const decision = decide(scan, resolved);
  const exportsDir = path.join(datasetDir, EXPORTS_DIR);
  await fs.promises.mkdir(exportsDir, { recursive: true });
  const files = { train: path.join(exportsDir, TRAIN_FILE), valid: path.join(exportsDir, VALID_FILE) };
  const fields = resolved.format === 'rft' ? await fieldsTheGraderReads(datasetDir) : [];
  const missing = new MissingFields(fields);
  const tally = await writeRows(datasetDir, files, scan, decision, resolved.format, manifest, missing, options.signal);
  const result: SplitResult = {
    train: decision.train,
    valid: decision.valid,
    byTopic: decision.byTopic,
    files,
    changes: [...tally.lines(resolved.format), ...decision.notes, ...leftOutLines(scan)],
    warnings: missing.warnings(),
    fingerprint: scan.fingerprint,
    format: resolved.format,
    options: resolved,
    createdAt: new Date().toISOString(),
  };
  const record: SplitManifest = {
    version: SPLIT_VERSION,
    ...result,
    files: { train: path.join(EXPORTS_DIR, TRAIN_FILE), valid: path.join(EXPORTS_DIR, VALID_FILE) },
    inputs,
    outputs: await Promise.all([files.train, files.valid].map((file) => outputStampOf(datasetDir, file))),
  };
  await writeFileAtomic(path.join(exportsDir, SPLIT_MANIFEST), `${JSON.stringify(record, null, 2)}\n`);
  return result;
}

/**
 * The split in exports/ when it still matches the dataset: train/valid have the sha256 split.json recorded (so files
 * of another run, e.g. one killed before it wrote split.json, are no split), and the records and labels give the same
 * fingerprint (checked cheaply when no input file changed since). Undefined otherwise.
 */
export async function currentSplit(datasetDir: string, options: { signal?: AbortSignal } = {}): Promise<SplitResult | undefined> {
  let saved: SplitManifest;
  try {
    saved = JSON.parse(await fs.promises.readFile(path.join(datasetDir, EXPORTS_DIR, SPLIT_MANIFEST), 'utf8')) as SplitManifest;
  } catch {
    return undefined;
  }
  if (saved.version !== SPLIT_VERSION || !Array.isArray(saved.outputs) || !Array.isArray(saved.inputs)) return undefined;
  const outputs = await Promise.all(saved.outputs.map((stamp) => outputStampOf(datasetDir, path.join(datasetDir, stamp.file)).catch(() => undefined)));
  if (!outputs.every((stamp, i) => stamp !== undefined && stamp.file === saved.outputs[i].file && stamp.size === saved.outputs[i].size && stamp.sha256 === saved.outputs[i].sha256)) return undefined;
  const { version: _version, inputs, outputs: _outputs, ...result } = saved;
  // A split written before warnings existed has none.
  const split: SplitResult = { ...result, warnings: result.warnings ?? [], files: { train: path.join(datasetDir, saved.files.train), valid: path.join(datasetDir, saved.files.valid) } };
  if (sameStamps(await inputStamps(datasetDir), inputs)) return split;
  const manifest = await readManifest(datasetDir);
  const { labels } = await readLabels(datasetDir);
  const scan = await scanRecords(datasetDir, labels, saved.format, manifest, options.signal);
  return scan.fingerprint === saved.fingerprint ? split : undefined;
}

function resolveOptions(options: SplitOptions, manifest: Manifest): ResolvedSplitOptions {
  const settings = (manifest.settings as { split?: Partial<Record<string, unknown>> } | undefined)?.split ?? {};
  const pick = <T>(value: T | undefined, key: string, fallback: T): T => value ?? ((typeof settings[key] === typeof fallback ? settings[key] : undefined) as T | undefined) ?? fallback;
  const resolved: ResolvedSplitOptions = {
    validShare: pick(options.validShare, 'validShare', 0.1),
    stratify: pick(options.stratify, 'stratify', true),
    generatedInValid: pick(options.generatedInValid, 'generatedInValid', false),
    minValid: pick(options.minValid, 'minValid', 10),
    seed: pick(options.seed, 'seed', 42),
    format: options.format ?? 'rft',
    ...(options.maxTrain !== undefined ? { maxTrain: options.maxTrain } : {}),
    ...(options.maxValid !== undefined ? { maxValid: options.maxValid } : {}),
    limits: options.limits === undefined ? { ...OPENAI_RFT_LIMITS } : options.limits,
  };
  if (!(resolved.validShare > 0 && resolved.validShare < 1)) throw new SplitError(`the validation share must be between 0 and 1 (exclusive), got ${resolved.validShare}`);
  for (const [name, value] of [
    ['min-valid', resolved.minValid],
    ['max-train', resolved.maxTrain],
    ['max-valid', resolved.maxValid],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= (name === 'min-valid' ? 0 : 1)))
      throw new SplitError(`--${name} must be a whole number${name === 'min-valid' ? '' : ' ≥ 1'}, got ${value}`);
  }
  return resolved;
}

interface Scan {
  /** Per included record (a valid record that can become a row), in file order: its stratum index. */
  readonly stratumOf: number[];
  readonly generated: Uint8Array;
  /** Where each included record is (file index in datasetRecordFiles order, 1-based line), for the writing pass. */
  readonly fileOf: Uint8Array;
  readonly lineOf: Uint32Array;
  /** Its label in .rft/labels.jsonl, if any (merged into metadata by the writing pass). */
  readonly labelOf: (Label | undefined)[];
  readonly strataNames: string[];
  readonly problems: { noFinalUser: number; noReference: number };
  readonly skipped: { invalid: number; duplicates: number };
  readonly fingerprint: string;
}

async function scanRecords(datasetDir: string, labels: Map<string, Label>, format: SplitFormat, manifest: Manifest, signal?: AbortSignal): Promise<Scan> {
  const hash = createHash('sha256');
  const strata = new Map<string, number>();
  const files = datasetRecordFiles(datasetDir);
  const stratumOf: number[] = [];
  const labelOf: (Label | undefined)[] = [];
  let generated = new Uint8Array(1024);
  let fileOf = new Uint8Array(1024);
  let lineOf = new Uint32Array(1024);
  const problems = { noFinalUser: 0, noReference: 0 };
  const skipped = await forEachValidRecord(
    datasetDir,
    (valid) => {
      const label = labels.get(valid.key);
      const topic = topicOf(valid.record, label);
      hash.update(`${valid.key}\t${topic}\t${isGenerated(valid.file) ? 1 : 0}\t${valid.text.length}\t`);
      hash.update(valid.text); // the key covers the conversation only; reference_answer and the other grader fields are in the text
      const problem = rowProblem(format, valid.record);
      if (problem) {
        problems[problem]++;
        return;
      }
      let stratum = strata.get(topic);
      if (stratum === undefined) strata.set(topic, (stratum = strata.size));
      const index = stratumOf.length;
      if (index === generated.length) [generated, fileOf, lineOf] = [grow(generated), grow(fileOf), grow(lineOf)];
      generated[index] = isGenerated(valid.file) ? 1 : 0;
      fileOf[index] = files.indexOf(valid.file);
      lineOf[index] = valid.line;
      labelOf.push(label);
      stratumOf.push(stratum);
    },
    { signal, manifest },
  );
  const n = stratumOf.length;
  return {
    stratumOf,
    generated: generated.subarray(0, n),
    fileOf: fileOf.subarray(0, n),
    lineOf: lineOf.subarray(0, n),
    labelOf,
    strataNames: [...strata.keys()],
    problems,
    skipped,
    fingerprint: hash.digest('hex'),
  };
}

function grow<T extends Uint8Array | Uint32Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** A record's own metadata.topic (a manual label) wins over .rft/labels.jsonl; no label is its own stratum. */
function topicOf(record: Record<string, unknown>, label: Label | undefined): string {
  const own = (record.metadata as { topic?: unknown } | undefined)?.topic;
  return typeof own === 'string' && own !== '' ? own : (label?.topic ?? UNCATEGORIZED);
}

function isGenerated(file: string): boolean {
  return path.basename(file) === GENERATED_FILE;
}

interface Decision {
  /** Per included record: 0 left out, 1 train, 2 validation. */
  readonly placement: Uint8Array;
  readonly train: number;
  readonly valid: number;
  readonly byTopic: TopicCounts[];
  readonly notes: string[];
}

function decide(scan: Scan, options: ResolvedSplitOptions): Decision {
  const n = scan.stratumOf.length;
  if (n === 0)
    throw new SplitError(
      `no records to split: the dataset has no valid records${scan.problems.noReference > 0 ? ` with a reference answer (${fmt(scan.problems.noReference)} have none; SFT needs one)` : ''} — rft validate shows why`,
    );
  if (n < 2) throw new SplitError(`too few records to split: ${n} valid record; a split needs at least 2 (one train, one validation)`);
  const strata = membersOf(scan, options);
  const eligibleTotal = strata.reduce((sum, s) => sum + s.eligible.length, 0);
  const generatedTotal = scan.generated.subarray(0, n).reduce((sum, g) => sum + g, 0);
  if (eligibleTotal === 0)
    throw new SplitError(`the validation set would be empty: all ${fmt(n)} records are generated and generated records stay out of validation — pass --generated-in-valid or add real records`);
  if (options.minValid > n - 1)
    throw new SplitError(`too few records: ${fmt(n)} records cannot give a validation set of ${fmt(options.minValid)} (--min-valid) and a train set — lower --min-valid or add records`);
  const target = Math.min(n - 1, Math.max(options.minValid, Math.round(options.validShare * n), 1));
  const quotas = allocateValidation(
    strata.map((s) => ({ name: s.name, size: s.members.length, eligible: s.eligible.length })),
    target,
  ).map((a) => a.valid);
  let validSet = chooseValidation(strata, quotas, options.seed);
  if (validSet.size < Math.max(1, options.minValid)) {
    const why = generatedTotal > 0 && !options.generatedInValid ? ` (${fmt(generatedTotal)} generated records stay out of it: --generated-in-valid lets them in)` : '';
    throw new SplitError(`the validation set would have ${fmt(validSet.size)} records, fewer than the minimum ${fmt(Math.max(1, options.minValid))}${why} — lower --min-valid or add records`);
  }
  const notes: string[] = [];
  const placement = new Uint8Array(n).fill(1);
  if (options.maxValid !== undefined && validSet.size > options.maxValid) {
    const kept = stratifiedSubset(regroup(strata, validSet), options.maxValid, options.seed);
    notes.push(`--max-valid ${options.maxValid}: ${fmt(validSet.size - kept.size)} validation records moved to train`);
    validSet = kept;
  }
  for (const index of validSet) placement[index] = 2;
  let train = n - validSet.size;
  if (options.maxTrain !== undefined && train > options.maxTrain) {
    const trainSet = new Set<number>();
    for (let i = 0; i < n; i++) if (placement[i] === 1) trainSet.add(i);
    const kept = stratifiedSubset(regroup(strata, trainSet), options.maxTrain, options.seed);
    for (const index of trainSet) if (!kept.has(index)) placement[index] = 0;
    notes.push(`--max-train ${options.maxTrain}: ${fmt(train - kept.size)} train records left out (a stratified, seeded sample of ${fmt(kept.size)} kept)`);
    train = kept.size;
  }
  if (options.limits && (train > options.limits.train || validSet.size > options.limits.valid)) throw new SplitTooLargeError(train, validSet.size, options.limits);
  if (!options.generatedInValid && generatedTotal > 0) notes.push(`${fmt(generatedTotal)} generated ${generatedTotal === 1 ? 'record' : 'records'} kept out of validation`);
  return { placement, train, valid: validSet.size, byTopic: topicCounts(scan, placement), notes };
}

function membersOf(scan: Scan, options: ResolvedSplitOptions): StratumMembers[] {
  const names = options.stratify ? scan.strataNames : ['all'];
  const strata = names.map((name) => ({ name, members: [] as number[], eligible: [] as number[] }));
  scan.stratumOf.forEach((stratum, index) => {
    const target = strata[options.stratify ? stratum : 0];
    target.members.push(index);
    if (options.generatedInValid || scan.generated[index] === 0) target.eligible.push(index);
  });
  return strata;
}

/** The strata restricted to a set of indices. */
function regroup(strata: readonly StratumMembers[], keep: Set<number>): StratumMembers[] {
  return strata.map((s) => {
    const members = s.members.filter((index) => keep.has(index));
    return { name: s.name, members, eligible: members };
  });
}

function topicCounts(scan: Scan, placement: Uint8Array): TopicCounts[] {
  const counts = scan.strataNames.map((topic) => ({ topic, train: 0, valid: 0 }));
  scan.stratumOf.forEach((stratum, index) => {
    if (placement[index] === 1) counts[stratum].train++;
    else if (placement[index] === 2) counts[stratum].valid++;
  });
  return counts.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

/**
 * Writes the rows: reads the record files again but validates nothing — the first pass said which lines are the
 * included records — so only those lines are parsed.
 */
async function writeRows(
  datasetDir: string,
  files: { train: string; valid: string },
  scan: Scan,
  decision: Decision,
  format: SplitFormat,
  manifest: Manifest,
  missing: MissingFields,
  signal?: AbortSignal,
): Promise<ConversionTally> {
  const tally = new ConversionTally();
  const sourceKind = manifest.source?.kind ?? 'upload';
  const maxLineBytes = resolveValidationSettings(manifest.settings?.validation).maxLineBytes;
  await writeFileAtomic(files.train, async (writeTrain) => {
    await writeFileAtomic(files.valid, async (writeValid) => {
      const out = { 1: new BufferedWriter(writeTrain), 2: new BufferedWriter(writeValid) };
      let next = 0;
      const recordFiles = datasetRecordFiles(datasetDir);
      for (let fileIndex = 0; fileIndex < recordFiles.length; fileIndex++) {
        const lines: string[] = [];
        const lineNumbers: number[] = [];
        const places: (1 | 2)[] = [];
        const labelsOf: (Label | undefined)[] = [];
        const fileName = path.basename(recordFiles[fileIndex]);
        const splitter = new LineSplitter(maxLineBytes, (raw) => {
          if (next >= scan.stratumOf.length || scan.fileOf[next] !== fileIndex || scan.lineOf[next] !== raw.lineNumber) return;
          const place = decision.placement[next];
          if (place !== 0) {
            lines.push(raw.text);
            lineNumbers.push(raw.lineNumber);
            places.push(place as 1 | 2);
            labelsOf.push(scan.labelOf[next]);
          }
          next++;
        });
        const source = isGenerated(recordFiles[fileIndex]) ? 'generated' : sourceKind;
        const drain = async () => {
          for (let i = 0; i < lines.length; i++) {
            let record = JSON.parse(lines[i]) as Record<string, unknown>;
            if (format === 'rft') {
              const merged = withLabelMetadata(record, labelsOf[i], source);
              if (merged.labeled) tally.labelsMerged++;
              record = merged.record;
            }
            const row = toRow(format, record, tally);
            missing.check(row, places[i], `${fileName}:${lineNumbers[i]}`);
            await out[places[i]].line(JSON.stringify(row));
          }
          lines.length = lineNumbers.length = places.length = labelsOf.length = 0;
        };
        for await (const chunk of fs.createReadStream(recordFiles[fileIndex], { highWaterMark: 1 << 20, signal }) as AsyncIterable<Buffer>) {
          splitter.push(chunk);
          await drain();
        }
        splitter.end();
        await drain();
      }
      if (next !== scan.stratumOf.length) throw new SplitError('the records changed while the split was written: run it again');
      await out[1].flush();
      await out[2].flush();
    });
  });
  return tally;
}

/** Lines gathered into ~1 MiB writes: one await per chunk, not per row. */
class BufferedWriter {
  private parts: string[] = [];
  private bytes = 0;
  constructor(private readonly write: AtomicWriter) {}
  async line(text: string): Promise<void> {
    this.parts.push(text, '\n');
    this.bytes += text.length + 1;
    if (this.bytes >= 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.bytes = 0;
    await this.write(chunk);
  }
}

/** The fields grader.json reads; none when there is no grader yet or it does not load (its own checks say why). */
async function fieldsTheGraderReads(datasetDir: string): Promise<FieldRead[]> {
  try {
    const loaded = await readGraderFile(datasetDir);
    return loaded ? itemFieldsRead(loaded.resolved) : [];
  } catch {
    return [];
  }
}

/** Counts, per field the grader reads, the written rows without it (train and validation) and where the first come from. */
class MissingFields {
  private readonly tallies: { train: number; valid: number; lines: string[] }[];

  constructor(private readonly fields: readonly FieldRead[]) {
    this.tallies = fields.map(() => ({ train: 0, valid: 0, lines: [] }));
  }

  check(row: Record<string, unknown>, place: 1 | 2, where: string): void {
    this.fields.forEach((field, index) => {
      if (rowHas(row, field.steps)) return;
      const tally = this.tallies[index];
      if (place === 1) tally.train++;
      else tally.valid++;
      if (tally.lines.length < WARNING_LINES) tally.lines.push(where);
    });
  }

  warnings(): SplitWarning[] {
    return this.fields.flatMap((field, index) => {
      const { train, valid, lines } = this.tallies[index];
      const count = train + valid;
      if (count === 0) return [];
      const more = count > lines.length ? ` and ${fmt(count - lines.length)} more` : '';
      const reads = field.error === 'python_grader_runtime_error' ? 'indexes (item["…"] raises KeyError)' : 'reads';
      const message = `${fmt(count)} ${count === 1 ? 'row lacks' : 'rows lack'} ${field.field} (${fmt(train)} train, ${fmt(valid)} validation), which the grader ${reads} in ${field.graders.join(', ')}: each such row scores 0 (${field.error}) — ${lines.join(', ')}${more}`;
      return [{ code: 'missing_grader_field' as const, field: field.field, graders: field.graders, error: field.error, count, train, valid, lines, message }];
    });
  }
}

function leftOutLines(scan: Scan): string[] {
  const lines: string[] = [];
  if (scan.problems.noFinalUser > 0) lines.push(`${fmt(scan.problems.noFinalUser)} ${scan.problems.noFinalUser === 1 ? 'record' : 'records'} without a final user turn left out`);
  if (scan.problems.noReference > 0)
    lines.push(`${fmt(scan.problems.noReference)} ${scan.problems.noReference === 1 ? 'record' : 'records'} without reference_answer or reference_tool_calls left out (SFT needs the answer)`);
  if (scan.skipped.invalid > 0) lines.push(`${fmt(scan.skipped.invalid)} invalid ${scan.skipped.invalid === 1 ? 'record' : 'records'} left out (kept in the dataset; rft validate shows why)`);
  if (scan.skipped.duplicates > 0) lines.push(`${fmt(scan.skipped.duplicates)} ${scan.skipped.duplicates === 1 ? 'duplicate' : 'duplicates'} left out`);
  return lines;
}

async function inputStamps(datasetDir: string): Promise<Stamp[]> {
  const files = [...datasetRecordFiles(datasetDir), path.join(datasetDir, LABELS_FILE), path.join(datasetDir, MANIFEST_FILE)];
  return Promise.all(files.map((file) => stampOf(datasetDir, file).catch(() => ({ file: path.relative(datasetDir, file), size: -1, mtimeMs: -1 }))));
}

async function stampOf(datasetDir: string, file: string): Promise<Stamp> {
  const stat = await fs.promises.stat(file);
  return { file: path.relative(datasetDir, file), size: stat.size, mtimeMs: stat.mtimeMs };
}

async function outputStampOf(datasetDir: string, file: string): Promise<OutputStamp> {
  const stamp = await stampOf(datasetDir, file);
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return { ...stamp, sha256: hash.digest('hex') };
}

function sameStamps(actual: readonly (Stamp | undefined)[], saved: readonly Stamp[]): boolean {
  return actual.length === saved.length && actual.every((stamp, i) => stamp !== undefined && stamp.file === saved[i].file && stamp.size === saved[i].size && stamp.mtimeMs === saved[i].mtimeMs);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
