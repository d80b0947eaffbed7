import * as fs from 'node:fs';
import * as path from 'node:path';
import { forEachDatasetLine } from '../dataset/datasetLines';
import { LABELS_FILE, LOW_CONFIDENCE, readLabels, type Label } from '../dataset/labels';
import { GENERATED_FILE, readManifest } from '../dataset/manifest';
import { ALL_CODES, FILE_LEVEL_CODES, type ValidationCode } from '../validation/codes';
import { isPlainObject } from '../validation/recordShape';
import { resolveValidationSettings } from '../validation/settings';
import { lineTexts, parseLoosely } from './recordText';
import { RecordsError, type OriginCounts, type RecordOrigin, type RecordRow, type RecordsCounts, type RecordsFilter, type RecordsPage, type RecordStatus } from './recordsTypes';

/** A record file as it was when indexed: a later change makes the index stale. */
export interface IndexedFile {
  /** The file's name in the dataset folder. */
  readonly name: string;
  readonly path: string;
  readonly origin: RecordOrigin;
  readonly size: number;
  readonly mtimeMs: number;
}

const STATUSES: readonly RecordStatus[] = ['valid', 'invalid', 'duplicate'];
const METHODS: readonly Label['method'][] = ['embedding', 'llm', 'keyword', 'manual'];
const CODE_BIT = new Map(ALL_CODES.map((code, bit) => [code, bit]));
const NONE = -1;
const OWN_TOPIC = 1;
const TOO_LONG = 2;

/** Grows a typed array by doubling. */
function grown<T extends Uint8Array | Uint32Array | Int32Array | Float32Array | Float64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * Every line of a dataset's record files in one pass, kept compact: per line a few typed-array fields (file,
 * line, byte offset and length, status, codes as a bit set, topic, confidence) plus a short preview and the
 * lowercase search text. Filters run over it in memory; a record's full JSON is read on demand, one line by its
 * byte offset. 100,000 records take a few tens of MB.
 */
export class RecordsIndex {
  size = 0;
  private fileOf = new Uint8Array(1024);
  private lineOf = new Uint32Array(1024);
  private offsetOf = new Float64Array(1024);
  private lengthOf = new Uint32Array(1024);
  private statusOf = new Uint8Array(1024);
  private codesOf = new Uint32Array(1024);
  private duplicateFileOf = new Uint8Array(1024);
  private duplicateLineOf = new Uint32Array(1024);
  private topicOf = new Int32Array(1024);
  private confidenceOf = new Float64Array(1024);
  private methodOf = new Uint8Array(1024);
  private flagsOf = new Uint8Array(1024);
  private readonly keys: (string | undefined)[] = [];
  private readonly texts: string[] = [];
  private readonly searchTexts: string[] = [];
  private readonly topicNames: string[] = [];
  private readonly topicIds = new Map<string, number>();
  private labelsMtimeMs = 0;

  private constructor(
    readonly datasetDir: string,
    readonly files: readonly IndexedFile[],
    readonly maxLineBytes: number,
  ) {}

  /** Reads the dataset's record files and labels once (the health engine validates every line). */
  static async build(datasetDir: string, options: { signal?: AbortSignal } = {}): Promise<RecordsIndex> {
    const manifest = await readManifest(datasetDir);
    const settings = resolveValidationSettings(manifest.settings?.validation);
    const files: IndexedFile[] = [];
    const index = new RecordsIndex(datasetDir, files, settings.maxLineBytes);
    const fileIds = new Map<string, number>();
    index.labelsMtimeMs = await labelsMtime(datasetDir);
    const { labels } = await readLabels(datasetDir);
    await forEachDatasetLine(
      datasetDir,
      ({ file, raw, result, duplicateOf }) => {
        let fileId = fileIds.get(file);
        if (fileId === undefined) {
          const stat = fs.statSync(file);
          const name = path.basename(file);
          fileId = files.push({ name, path: file, origin: name === GENERATED_FILE ? 'generated' : 'traces', size: stat.size, mtimeMs: stat.mtimeMs }) - 1;
          fileIds.set(file, fileId);
        }
        const status: RecordStatus = duplicateOf ? 'duplicate' : result.hasError ? 'invalid' : 'valid';
        let codes = 0;
        for (const issue of result.issues) if (!FILE_LEVEL_CODES.has(issue.code)) codes |= 1 << CODE_BIT.get(issue.code)!;
        if (duplicateOf) codes |= 1 << CODE_BIT.get('duplicate')!;
        const record = result.record ?? (raw.tooLong ? undefined : parseLoosely(raw.text));
        const i = index.add(fileId, raw.lineNumber, raw.byteOffset + (raw.bom ? 3 : 0), raw.byteLength, status, codes, raw.tooLong);
        if (duplicateOf) {
          index.duplicateFileOf[i] = fileIds.get(duplicateOf.file) ?? 0;
          index.duplicateLineOf[i] = duplicateOf.line;
        }
        index.keys.push(result.key);
        const { text, search } = lineTexts(record, raw.text);
        index.texts.push(text);
        index.searchTexts.push(search);
        const metadata = record && isPlainObject(record.metadata) ? record.metadata : undefined;
        const own = typeof metadata?.topic === 'string' ? metadata.topic.trim() : '';
        if (own !== '') {
          index.flagsOf[i] |= OWN_TOPIC;
          index.setTopic(i, own, 1, 'manual');
        }
      },
      { signal: options.signal, manifest },
    );
    index.applyLabels(labels);
    return index;
  }

  /** Re-reads the labels when labels.jsonl changed since (categorized, or a topic set elsewhere); whether it did. */
  async syncLabels(): Promise<boolean> {
    const mtime = await labelsMtime(this.datasetDir);
    if (mtime === this.labelsMtimeMs) return false;
    this.labelsMtimeMs = mtime;
    this.applyLabels((await readLabels(this.datasetDir)).labels);
    return true;
  }

  /** The record file as indexed, by its name. */
  file(name: string): IndexedFile | undefined {
    return this.files.find((file) => file.name === name);
  }

  /**
   * Applies labels: records that carry their own metadata.topic keep it; others without a label lose their topic,
   * unless `only` (just these labels changed).
   */
  applyLabels(labels: ReadonlyMap<string, Label>, options: { only?: boolean } = {}): void {
    for (let i = 0; i < this.size; i++) {
      if (this.flagsOf[i] & OWN_TOPIC) continue;
      const key = this.keys[i];
      const label = key === undefined ? undefined : labels.get(key);
      if (label) this.setTopic(i, label.topic, label.confidence, label.method);
      else if (!options.only) this.topicOf[i] = NONE;
    }
  }

  /** The lines matching `filter`, `limit` of them from `offset`, and how many match in all. */
  query(filter: RecordsFilter = {}, page: { offset?: number; limit?: number } = {}): RecordsPage {
    const offset = Math.max(0, Math.floor(page.offset ?? 0));
    const limit = Math.max(0, Math.floor(page.limit ?? 100));
    const matches = this.matcher(filter);
    const rows: RecordRow[] = [];
    let total = 0;
    for (let i = 0; i < this.size; i++) {
      if (!matches(i)) continue;
      if (total >= offset && rows.length < limit) rows.push(this.row(i));
      total++;
    }
    return { total, offset, rows };
  }

  /** The row of one line, by file name and line number. */
  find(file: string, line: number): RecordRow | undefined {
    const i = this.position(file, line);
    return i === undefined ? undefined : this.row(i);
  }

  /**
   * The full text of one line, read from its byte offset (not the whole file). A file that changed since the
   * index was built, or a line longer than the limit, is refused with the reason.
   */
  async readLine(file: string, line: number): Promise<string> {
    const i = this.position(file, line);
    if (i === undefined) throw new RecordsError(`${file}:${line} is not a record line of this dataset.`);
    const indexed = this.files[this.fileOf[i]];
    if (this.flagsOf[i] & TOO_LONG) throw new RecordsError(`${file}:${line} is longer than ${this.maxLineBytes.toLocaleString('en-US')} bytes; open it in the editor instead.`);
    const stat = await fs.promises.stat(indexed.path).catch(() => undefined);
    if (!stat || stat.size !== indexed.size || stat.mtimeMs !== indexed.mtimeMs) throw new StaleIndexError(`${file} changed since the records were listed; refresh the list.`);
    const handle = await fs.promises.open(indexed.path, 'r');
    try {
      const bytes = Buffer.alloc(this.lengthOf[i]);
      await handle.read(bytes, 0, bytes.length, this.offsetOf[i]);
      const text = bytes.toString('utf8');
      return text.endsWith('\r') ? text.slice(0, -1) : text;
    } finally {
      await handle.close();
    }
  }

  /** Whether a file changed (size or modification time) since it was indexed, or a record file appeared or went. */
  async isStale(currentFiles: readonly string[]): Promise<boolean> {
    if (this.files.some((indexed) => !currentFiles.includes(indexed.path))) return true;
    for (const file of currentFiles) {
      const indexed = this.files.find((f) => f.path === file);
      const stat = await fs.promises.stat(file).catch(() => undefined);
      if (!stat) return true;
      if (!indexed) {
        if (stat.size > 0) return true;
        continue;
      }
      if (stat.size !== indexed.size || stat.mtimeMs !== indexed.mtimeMs) return true;
    }
    return false;
  }

  counts(): RecordsCounts {
    const origin = (): OriginCounts => ({ total: 0, valid: 0, invalid: 0, duplicates: 0 });
    const traces = origin();
    const generated = origin();
    const byLeaf = new Map<string, number>();
    const byCode: Partial<Record<ValidationCode, number>> = {};
    let categorized = 0;
    let lowConfidence = 0;
    for (let i = 0; i < this.size; i++) {
      const counts = this.files[this.fileOf[i]].origin === 'generated' ? generated : traces;
      counts.total++;
      const status = this.statusOf[i];
      if (status === 1) counts.invalid++;
      else if (status === 2) counts.duplicates++;
      else {
        counts.valid++;
        const topic = this.topicOf[i];
        if (topic !== NONE) {
          categorized++;
          const name = this.topicNames[topic];
          byLeaf.set(name, (byLeaf.get(name) ?? 0) + 1);
          if (this.confidenceOf[i] < LOW_CONFIDENCE) lowConfidence++;
        }
      }
      const codes = this.codesOf[i];
      if (codes !== 0) for (let bit = 0; bit < ALL_CODES.length; bit++) if (codes & (1 << bit)) byCode[ALL_CODES[bit]] = (byCode[ALL_CODES[bit]] ?? 0) + 1;
    }
    return { traces, generated, categorized, lowConfidence, byLeaf, byCode };
  }

  /** Topics the lines carry (labels or their own), sorted. */
  topics(): string[] {
    return [...this.topicNames].sort();
  }

  private add(fileId: number, line: number, offset: number, length: number, status: RecordStatus, codes: number, tooLong: boolean): number {
    const i = this.size++;
    if (i >= this.lineOf.length) this.grow(this.size);
    this.fileOf[i] = fileId;
    this.lineOf[i] = line;
    this.offsetOf[i] = offset;
    this.lengthOf[i] = length;
    this.statusOf[i] = STATUSES.indexOf(status);
    this.codesOf[i] = codes;
    this.topicOf[i] = NONE;
    this.flagsOf[i] = tooLong ? TOO_LONG : 0;
    return i;
  }

  private grow(size: number): void {
    this.fileOf = grown(this.fileOf, size);
    this.lineOf = grown(this.lineOf, size);
    this.offsetOf = grown(this.offsetOf, size);
    this.lengthOf = grown(this.lengthOf, size);
    this.statusOf = grown(this.statusOf, size);
    this.codesOf = grown(this.codesOf, size);
    this.duplicateFileOf = grown(this.duplicateFileOf, size);
    this.duplicateLineOf = grown(this.duplicateLineOf, size);
    this.topicOf = grown(this.topicOf, size);
    this.confidenceOf = grown(this.confidenceOf, size);
    this.methodOf = grown(this.methodOf, size);
    this.flagsOf = grown(this.flagsOf, size);
  }

  private setTopic(i: number, topic: string, confidence: number, method: Label['method']): void {
    let id = this.topicIds.get(topic);
    if (id === undefined) {
      id = this.topicNames.push(topic) - 1;
      this.topicIds.set(topic, id);
    }
    this.topicOf[i] = id;
    this.confidenceOf[i] = confidence;
    this.methodOf[i] = METHODS.indexOf(method);
  }

  /** One predicate for the whole filter, each part settled once (topic ids, code bit, lowercase search). */
  private matcher(filter: RecordsFilter): (i: number) => boolean {
    const tests: ((i: number) => boolean)[] = [];
    if (filter.topic !== undefined) {
      const wanted = new Uint8Array(this.topicNames.length);
      this.topicNames.forEach((name, id) => {
        if (name === filter.topic || name.startsWith(`${filter.topic}/`)) wanted[id] = 1;
      });
      tests.push((i) => this.topicOf[i] !== NONE && wanted[this.topicOf[i]] === 1);
    }
    if (filter.uncategorized) tests.push((i) => this.topicOf[i] === NONE);
    if (filter.status !== undefined) {
      const status = STATUSES.indexOf(filter.status);
      tests.push((i) => this.statusOf[i] === status);
    }
    if (filter.code !== undefined) {
      const bit = CODE_BIT.get(filter.code as ValidationCode);
      if (bit === undefined) throw new RecordsError(`Unknown validation code "${filter.code}".`);
      tests.push((i) => (this.codesOf[i] & (1 << bit)) !== 0);
    }
    if (filter.origin !== undefined) {
      const ids = new Uint8Array(this.files.length);
      this.files.forEach((file, id) => (ids[id] = file.origin === filter.origin ? 1 : 0));
      tests.push((i) => ids[this.fileOf[i]] === 1);
    }
    if (filter.lowConfidence) tests.push((i) => this.topicOf[i] !== NONE && this.confidenceOf[i] < LOW_CONFIDENCE);
    const search = filter.search?.trim().toLowerCase();
    if (search) tests.push((i) => this.searchTexts[i].includes(search));
    return (i) => {
      for (const test of tests) if (!test(i)) return false;
      return true;
    };
  }

  private row(i: number): RecordRow {
    const file = this.files[this.fileOf[i]];
    const status = STATUSES[this.statusOf[i]];
    const codes: ValidationCode[] = [];
    const bits = this.codesOf[i];
    for (let bit = 0; bit < ALL_CODES.length; bit++) if (bits & (1 << bit)) codes.push(ALL_CODES[bit]);
    const topic = this.topicOf[i] === NONE ? undefined : this.topicNames[this.topicOf[i]];
    const confidence = topic === undefined ? undefined : this.confidenceOf[i];
    const key = this.keys[i];
    return {
      file: file.name,
      line: this.lineOf[i],
      ...(key !== undefined ? { key } : {}),
      status,
      ...(codes.length > 0 ? { codes } : {}),
      ...(status === 'duplicate' ? { duplicateOf: { file: this.files[this.duplicateFileOf[i]].name, line: this.duplicateLineOf[i] } } : {}),
      origin: file.origin,
      ...(topic !== undefined ? { topic, confidence, method: METHODS[this.methodOf[i]] } : {}),
      ...(this.flagsOf[i] & OWN_TOPIC ? { ownTopic: true } : {}),
      lowConfidence: confidence !== undefined && confidence < LOW_CONFIDENCE,
      text: this.texts[i],
    };
  }

  /** Lines are stored by file, then line: a binary search within the file's run. */
  private position(fileName: string, line: number): number | undefined {
    const fileId = this.files.findIndex((f) => f.name === fileName);
    if (fileId === -1 || !Number.isInteger(line)) return undefined;
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const order = this.fileOf[mid] - fileId || this.lineOf[mid] - line;
      if (order === 0) return mid;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }
}

async function labelsMtime(datasetDir: string): Promise<number> {
  return (await fs.promises.stat(path.join(datasetDir, LABELS_FILE)).catch(() => undefined))?.mtimeMs ?? 0;
}

/** The index no longer matches the files: build it again. */
export class StaleIndexError extends RecordsError {}
