import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { DocumentValidation } from '../core/validation/documentValidation';
import type { HealthCounts } from '../core/validation/health';
import type { DatasetSettings } from './datasetSettings';
import { toDiagnosticSpecs, type DiagnosticSpec } from './diagnosticModel';

const DEBOUNCE_MS = 150;

export function isJsonlDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'jsonl' || document.uri.path.endsWith('.jsonl');
}

/**
 * Keeps a DocumentValidation per open JSONL document, fed edit by edit (only touched lines are re-checked),
 * and publishes debounced diagnostics.
 */
export class JsonlValidation implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('rft');
  private readonly models = new Map<string, DocumentValidation>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were published. */
  readonly onDidUpdate = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly settings: DatasetSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((document) => void this.open(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.change(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.close(document)),
      vscode.workspace.onDidSaveTextDocument((document) => this.saved(document)),
      settings.onDidChange(() => this.revalidateAll()),
    );
    for (const document of vscode.workspace.textDocuments) void this.open(document);
  }

  model(document: vscode.TextDocument): DocumentValidation | undefined {
    return this.models.get(document.uri.toString());
  }

  counts(document: vscode.TextDocument): HealthCounts | undefined {
    return this.model(document)?.counts();
  }

  /** Validates the document from scratch (on open, or on demand). */
  async open(document: vscode.TextDocument): Promise<DocumentValidation | undefined> {
    if (!isJsonlDocument(document)) return undefined;
    const key = document.uri.toString();
    const started = Date.now();
    const settings = await this.settings.forDocument(document.uri);
    const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
    const model = new DocumentValidation(lines, settings, { crlf: document.eol === vscode.EndOfLine.CRLF, bom: hasBom(document.uri) });
    this.models.set(key, model);
    this.log.debug(`validated ${document.uri.fsPath} (${document.lineCount} lines) in ${Date.now() - started} ms`);
    this.publish(document);
    return model;
  }

  private change(event: vscode.TextDocumentChangeEvent): void {
    const model = this.model(event.document);
    if (!model || event.contentChanges.length === 0) return;
    for (const change of event.contentChanges) {
      model.applyChange({
        startLine: change.range.start.line,
        startCharacter: change.range.start.character,
        endLine: change.range.end.line,
        endCharacter: change.range.end.character,
        text: change.text,
      });
    }
    model.setFlags({ ...model.documentFlags, crlf: event.document.eol === vscode.EndOfLine.CRLF });
    if (model.lineCount !== event.document.lineCount) {
      this.log.warn(`incremental state drifted for ${event.document.uri.fsPath}; re-validating`);
      void this.open(event.document);
      return;
    }
    this.schedule(event.document);
  }

  /** A save may have changed what only the file shows (its BOM). */
  private saved(document: vscode.TextDocument): void {
    const model = this.model(document);
    if (!model) return;
    model.setFlags({ crlf: document.eol === vscode.EndOfLine.CRLF, bom: hasBom(document.uri) });
    this.publish(document);
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.publish(document);
      }, DEBOUNCE_MS),
    );
  }

  private publish(document: vscode.TextDocument): void {
    const model = this.model(document);
    if (!model) return;
    this.diagnostics.set(document.uri, toDiagnosticSpecs(model.issues()).map(toDiagnostic));
    this.changed.fire(document.uri);
  }

  private close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.models.delete(key);
    this.diagnostics.delete(document.uri);
    this.changed.fire(document.uri);
  }

  private revalidateAll(): void {
    for (const document of vscode.workspace.textDocuments) if (this.models.has(document.uri.toString())) void this.open(document);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

function toDiagnostic(spec: DiagnosticSpec): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(new vscode.Range(spec.line, spec.start, spec.line, spec.end), spec.message, SEVERITY[spec.severity]);
  diagnostic.code = spec.code;
  diagnostic.source = 'rft';
  return diagnostic;
}

/** VS Code hides a UTF-8 BOM from the document text, so look at the file itself. */
function hasBom(uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return false;
  try {
    const fd = fs.openSync(uri.fsPath, 'r');
    try {
      const head = Buffer.alloc(3);
      return fs.readSync(fd, head, 0, 3, 0) === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}
