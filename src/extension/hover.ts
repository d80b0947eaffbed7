import * as vscode from 'vscode';
import { recordKey } from '../core/validation/recordKey';
import { isPlainObject } from '../core/validation/recordShape';
import { countRecordTokens } from '../core/validation/tokens';
import type { JsonlValidation } from './jsonlValidation';

/** Hover on a record: its token count, record key, and why it is invalid if it is. */
export class RecordHover implements vscode.HoverProvider {
  constructor(private readonly validation: JsonlValidation) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const model = this.validation.model(document);
    const state = model?.lineState(position.line);
    if (!model || !state?.result) return undefined;
    const text = model.lineText(position.line);
    const md = new vscode.MarkdownString();
    md.supportHtml = false;
    md.isTrusted = false;
    const record = parseRecord(text);
    const facts: string[] = [];
    if (record) {
      facts.push(`**${countRecordTokens(record).toLocaleString('en-US')}** tokens (o200k, prompt)`);
      facts.push(`key \`${state.result.key ?? recordKey(record, text)}\``);
    }
    const status = state.result.hasError ? '$(error) invalid' : state.duplicateOf !== undefined ? `$(copy) duplicate of line ${state.duplicateOf + 1}` : '$(pass) valid';
    md.supportThemeIcons = true;
    md.appendMarkdown(`**RFT record** · ${status}${facts.length > 0 ? ` · ${facts.join(' · ')}` : ''}\n\n`);
    for (const issue of state.result.issues) {
      md.appendMarkdown(`- \`${issue.code}\` `);
      md.appendText(issue.message);
      md.appendMarkdown('\n');
    }
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }
}

function parseRecord(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
