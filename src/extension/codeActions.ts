import * as vscode from 'vscode';
import { writeFileAtomic } from '../core/fs/atomicWrite';
import { commandOf } from './commands';
import { quickFixesFor, type FixOperation } from './diagnosticModel';
import type { JsonlValidation } from './jsonlValidation';

/** Quick fixes for the fixable validation codes, each with a "fix all of this kind in this file". */
export class RecordCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly validation: JsonlValidation) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const model = this.validation.model(document);
    if (!model) return [];
    const issues = model.issues();
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'rft' || typeof diagnostic.code !== 'string') continue;
      for (const fix of quickFixesFor({ line: diagnostic.range.start.line, code: diagnostic.code }, (line) => model.lineText(line), issues)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred;
        if (fix.operation.kind === 'removeBom') {
          action.command = commandOf('rftStudio.removeBom', fix.title, document.uri);
        } else {
          action.edit = toWorkspaceEdit(document, fix.operation);
        }
        actions.push(action);
      }
    }
    return actions;
  }
}

function toWorkspaceEdit(document: vscode.TextDocument, operation: Exclude<FixOperation, { kind: 'removeBom' }>): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  switch (operation.kind) {
    case 'setEndOfLineLf':
      edit.set(document.uri, [vscode.TextEdit.setEndOfLine(vscode.EndOfLine.LF)]);
      break;
    case 'deleteLines':
      for (const line of operation.lines) edit.delete(document.uri, document.lineAt(line).rangeIncludingLineBreak);
      break;
    case 'editLines':
      for (const { line, edits } of operation.lines) {
        for (const e of edits) edit.replace(document.uri, new vscode.Range(line, e.start, line, e.end), e.newText);
      }
      break;
  }
  return edit;
}

/** VS Code keeps a BOM out of the document text, so removing it means rewriting the saved file. */
export async function removeBom(uri: vscode.Uri): Promise<void> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document?.isDirty) {
    void vscode.window.showWarningMessage('Save the file first: removing the byte-order mark rewrites the file on disk.');
    return;
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes[0] !== 0xef || bytes[1] !== 0xbb || bytes[2] !== 0xbf) return;
  await writeFileAtomic(uri.fsPath, Buffer.from(bytes.subarray(3)));
  if (document) await vscode.commands.executeCommand('workbench.action.files.revert', uri);
}
