import * as vscode from 'vscode';
import { recordKey } from '../core/validation/recordKey';
import { isPlainObject } from '../core/validation/recordShape';
import { countRecordTokens } from '../core/validation/tokens';
import type { JsonlValidation } from './jsonlValidation';
import type { LabelIndex } from './topics/labelIndex';

/** Hover on a record: its token count, record key, topic, and why it is invalid if it is. */
export class RecordHover implements vscode.HoverProvider {
  constructor(
    private readonly validation: JsonlValidation,
    private readonly labels?: LabelIndex,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
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
      const key = state.result.key ?? recordKey(record, text);
      facts.push(`key \`${key}\``);
      const topic = await this.topicFact(document, record, key);
      if (topic) facts.push(topic);
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

  /** "topic `billing/refunds` (0.82, embedding)", the record's own metadata.topic, or "uncategorized". */
  private async topicFact(document: vscode.TextDocument, record: Record<string, unknown>, key: string): Promise<string | undefined> {
    const own = isPlainObject(record.metadata) && typeof record.metadata.topic === 'string' ? record.metadata.topic : undefined;
    const found = await this.labels?.labelOf(document.uri.fsPath, key);
    const label = own ? { topic: own, confidence: 1, method: 'manual' } : found?.label;
    if (label) return `topic \`${label.topic.replace(/`/g, "'")}\` (${label.confidence.toFixed(2)}, ${label.method})`;
    return found ? 'uncategorized' : undefined;
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
