import * as path from 'node:path';
import * as vscode from 'vscode';
import { discoverDatasets } from '../../core/dataset/discovery';
import { pipelineState, type PipelineState } from '../../core/pipeline/pipelineState';
import { readDataset, type DatasetReading } from '../../core/pipeline/snapshot';

export interface DatasetEntry {
  readonly dir: string;
  readonly reading?: DatasetReading;
  readonly state: PipelineState;
}

const DEBOUNCE_MS = 200;
/** Files whose change can change a dataset's pipeline state. */
const WATCHED = '**/{rft.json,records.jsonl,generated.jsonl,topics.json,grader.json,.rft/labels.jsonl,.rft/runs/*.json,.rft/jobs/*.json}';

/**
 * The datasets of the workspace (every folder, multi-root) and their pipeline state, kept current: a change on
 * disk (save, import, external edit) re-reads the dataset it belongs to, debounced, and health re-validates by
 * itself (from the cache when nothing changed).
 */
export class DatasetRegistry implements vscode.Disposable {
  private readonly entries = new Map<string, DatasetEntry>();
  private readonly inFlight = new Map<string, AbortController>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private rediscover = false;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(WATCHED);
    const onFile = (uri: vscode.Uri) => this.fileChanged(uri);
    this.subscriptions.push(
      watcher,
      watcher.onDidChange(onFile),
      watcher.onDidCreate(onFile),
      watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refreshAll()),
      this.changed,
    );
  }

  list(): DatasetEntry[] {
    return [...this.entries.values()].sort((a, b) => a.state.name.localeCompare(b.state.name) || a.dir.localeCompare(b.dir));
  }

  get(dir: string): DatasetEntry | undefined {
    return this.entries.get(dir);
  }

  /** The dataset a file belongs to (the deepest dataset folder containing it). */
  datasetOf(file: string): DatasetEntry | undefined {
    let best: DatasetEntry | undefined;
    for (const entry of this.entries.values()) {
      if ((file === entry.dir || file.startsWith(`${entry.dir}${path.sep}`)) && (!best || entry.dir.length > best.dir.length)) best = entry;
    }
    return best;
  }

  /** Finds every dataset again and re-reads all of them. */
  async refreshAll(): Promise<void> {
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const dirs = await discoverDatasets(roots);
    for (const dir of [...this.entries.keys()]) if (!dirs.includes(dir)) this.forget(dir);
    await Promise.all(dirs.map((dir) => this.refresh(dir)));
    void vscode.commands.executeCommand('setContext', 'rftStudio.hasDatasets', this.entries.size > 0);
  }

  /** Re-reads one dataset; a newer refresh of the same dataset cancels an older one. */
  async refresh(dir: string): Promise<void> {
    this.inFlight.get(dir)?.abort();
    const controller = new AbortController();
    this.inFlight.set(dir, controller);
    const known = this.entries.get(dir);
    // Show "validating" right away, keeping what is known until the new reading arrives.
    if (known) this.entries.set(dir, { ...known, state: pipelineState({ ...(known.reading?.snapshot ?? { name: known.state.name }), health: undefined }) });
    else this.entries.set(dir, { dir, state: pipelineState({ name: path.basename(dir) }) });
    this.changed.fire();
    try {
      const started = Date.now();
      const reading = await readDataset(dir, { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.entries.set(dir, { dir, reading, state: pipelineState(reading.snapshot) });
      this.log.debug(`read dataset ${dir} in ${Date.now() - started} ms`);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.log.error(`cannot read dataset ${dir}: ${(error as Error).message}`);
      this.entries.set(dir, { dir, state: pipelineState({ name: path.basename(dir), healthError: (error as Error).message }) });
    } finally {
      if (this.inFlight.get(dir) === controller) this.inFlight.delete(dir);
    }
    this.changed.fire();
  }

  private fileChanged(uri: vscode.Uri): void {
    if (path.basename(uri.fsPath) === 'rft.json') this.rediscover = true;
    const entry = this.datasetOf(uri.fsPath);
    if (entry) this.pending.add(entry.dir);
    else this.rediscover = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  private flush(): void {
    if (this.rediscover) {
      this.rediscover = false;
      this.pending.clear();
      void this.refreshAll();
      return;
    }
    for (const dir of this.pending) void this.refresh(dir);
    this.pending.clear();
  }

  private forget(dir: string): void {
    this.inFlight.get(dir)?.abort();
    this.entries.delete(dir);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const controller of this.inFlight.values()) controller.abort();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
