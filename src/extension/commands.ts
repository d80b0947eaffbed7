// Running and naming our own commands through the typed table (commandTable.ts): a renamed id or a wrong argument
// is a type error. VS Code's own commands (workbench.*, setContext) go through vscode.commands as before.
import * as vscode from 'vscode';
import type { CommandArgs, CommandId, DatasetTarget } from './commandTable';

export function executeCommand<Id extends CommandId>(id: Id, ...args: CommandArgs[Id]): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}

/** A vscode.Command (a tree row, the status bar, a code action) that runs one of our commands. */
export function commandOf<Id extends CommandId>(id: Id, title: string, ...args: CommandArgs[Id]): vscode.Command {
  return { command: id, title, ...(args.length > 0 ? { arguments: args } : {}) };
}

export const datasetTarget = (dir: string): DatasetTarget => ({ kind: 'dataset', dir });
