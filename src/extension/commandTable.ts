// Every `rftStudio.*` command: its arguments when the extension runs it (executeCommand in commands.ts is typed by
// this table, so a renamed id or a wrong argument is a type error) and where its code lives. No `vscode` import:
// test/unit/commandTable.test.ts checks the table against package.json both ways.

/** A dataset as a command's argument (what the tree, the status bar and the panels pass). */
export interface DatasetTarget {
  readonly kind: 'dataset';
  readonly dir: string;
}

/** A file URI (vscode.Uri has this shape; this file must not import vscode). */
export interface UriTarget {
  readonly scheme: string;
  readonly fsPath: string;
}

/**
 * The arguments each command takes when the extension runs it. Menus may pass other things (a tree node, a file
 * URI): the handlers read those with datasetDirOf.
 */
export interface CommandArgs {
  'rftStudio.validateFile': [];
  'rftStudio.showHealthReport': [];
  'rftStudio.removeBom': [uri: UriTarget];
  'rftStudio.newDataset': [];
  'rftStudio.uploadJsonl': [];
  'rftStudio.importRecords': [target?: DatasetTarget];
  'rftStudio.exportRecords': [target?: DatasetTarget];
  'rftStudio.duplicateDataset': [target?: DatasetTarget];
  'rftStudio.deleteDataset': [target?: DatasetTarget];
  'rftStudio.openRecords': [target?: DatasetTarget];
  'rftStudio.openRecordsBrowser': [target?: DatasetTarget];
  'rftStudio.viewIssues': [target?: DatasetTarget];
  'rftStudio.refresh': [];
  'rftStudio.newDatasetFromTraces': [];
  'rftStudio.pullTraces': [target?: DatasetTarget];
  'rftStudio.setApiKey': [];
  'rftStudio.testModelConnection': [];
  'rftStudio.generateTopics': [target?: DatasetTarget];
  'rftStudio.categorize': [target?: DatasetTarget];
  'rftStudio.openCoverage': [target?: DatasetTarget];
  /** The coverage dashboard's "Generate ~N" names the topic and the count. */
  'rftStudio.generateSamples': [target?: DatasetTarget & { readonly topic?: string; readonly count?: number }];
  'rftStudio.viewLowConfidence': [target?: DatasetTarget];
  'rftStudio.editTopics': [target?: DatasetTarget];
  'rftStudio.addTopic': [target?: DatasetTarget];
  'rftStudio.renameTopic': [target?: DatasetTarget];
  'rftStudio.deleteTopic': [target?: DatasetTarget];
  'rftStudio.moveTopic': [target?: DatasetTarget];
  'rftStudio.importTopics': [target?: DatasetTarget];
  'rftStudio.exportTopics': [target?: DatasetTarget];
  'rftStudio.setRecordTopic': [];
  'rftStudio.editGrader': [target?: DatasetTarget];
  'rftStudio.testGraderSample': [target?: DatasetTarget];
  'rftStudio.checkGrader': [target?: DatasetTarget];
  'rftStudio.newGraderFromPreset': [target?: DatasetTarget];
  'rftStudio.runDryRun': [target?: DatasetTarget];
  'rftStudio.openDryRun': [target?: DatasetTarget];
  'rftStudio.startTraining': [target?: DatasetTarget];
  'rftStudio.openTraining': [target?: DatasetTarget];
  'rftStudio.cancelTraining': [target?: DatasetTarget];
  'rftStudio.openDeploy': [target?: DatasetTarget];
  'rftStudio.runBenchmark': [target?: DatasetTarget];
  'rftStudio.openPlayground': [target?: DatasetTarget];
  'rftStudio.undoDeploy': [target?: DatasetTarget];
  'rftStudio.getStarted': [];
  /** A tree row's click (internal: not in package.json; the row is read from the selection). */
  'rftStudio.openSelectedRow': [];
}

export type CommandId = keyof CommandArgs;

/**
 * Where a command's code lives: "activation" in dist/extension.js (the tree, diagnostics, the status bar and what
 * they need at once), "steps" in dist/steps.js, loaded the first time one of its commands or panels is used.
 */
export type CommandHome = 'activation' | 'steps';

export const COMMANDS = {
  'rftStudio.validateFile': 'activation',
  'rftStudio.showHealthReport': 'activation',
  'rftStudio.removeBom': 'activation',
  'rftStudio.newDataset': 'steps',
  'rftStudio.uploadJsonl': 'steps',
  'rftStudio.importRecords': 'steps',
  'rftStudio.exportRecords': 'steps',
  'rftStudio.duplicateDataset': 'steps',
  'rftStudio.deleteDataset': 'steps',
  'rftStudio.openRecords': 'steps',
  'rftStudio.openRecordsBrowser': 'steps',
  'rftStudio.viewIssues': 'activation',
  'rftStudio.refresh': 'activation',
  'rftStudio.newDatasetFromTraces': 'steps',
  'rftStudio.pullTraces': 'steps',
  'rftStudio.setApiKey': 'activation',
  'rftStudio.testModelConnection': 'steps',
  'rftStudio.generateTopics': 'steps',
  'rftStudio.categorize': 'steps',
  'rftStudio.openCoverage': 'steps',
  'rftStudio.generateSamples': 'steps',
  'rftStudio.viewLowConfidence': 'steps',
  'rftStudio.editTopics': 'steps',
  'rftStudio.addTopic': 'steps',
  'rftStudio.renameTopic': 'steps',
  'rftStudio.deleteTopic': 'steps',
  'rftStudio.moveTopic': 'steps',
  'rftStudio.importTopics': 'steps',
  'rftStudio.exportTopics': 'steps',
  'rftStudio.setRecordTopic': 'steps',
  'rftStudio.editGrader': 'steps',
  'rftStudio.testGraderSample': 'steps',
  'rftStudio.checkGrader': 'steps',
  'rftStudio.newGraderFromPreset': 'steps',
  'rftStudio.runDryRun': 'steps',
  'rftStudio.openDryRun': 'steps',
  'rftStudio.startTraining': 'steps',
  'rftStudio.openTraining': 'steps',
  'rftStudio.cancelTraining': 'steps',
  'rftStudio.openDeploy': 'steps',
  'rftStudio.runBenchmark': 'steps',
  'rftStudio.openPlayground': 'steps',
  'rftStudio.undoDeploy': 'steps',
  'rftStudio.getStarted': 'activation',
  'rftStudio.openSelectedRow': 'activation',
} as const satisfies Record<CommandId, CommandHome>;

/** Commands registered in code but not contributed in package.json (no palette entry). */
export const INTERNAL_COMMANDS: readonly CommandId[] = ['rftStudio.openSelectedRow'];

/** The commands whose code is in dist/extension.js, registered as they are at activation. */
export type ActivationCommandId = { [Id in CommandId]: (typeof COMMANDS)[Id] extends 'activation' ? Id : never }[CommandId];

/** The commands whose code is in dist/steps.js (activation registers a stub for each that loads it). */
export type StepCommandId = { [Id in CommandId]: (typeof COMMANDS)[Id] extends 'steps' ? Id : never }[CommandId];

export const STEP_COMMANDS = (Object.keys(COMMANDS) as CommandId[]).filter((id): id is StepCommandId => COMMANDS[id] === 'steps');

/** The webview panels VS Code restores after a reload (package.json activationEvents onWebviewPanel:<viewType>). */
export const PANEL_VIEW_TYPES = [
  'rftStudio.coverage',
  'rftStudio.grader',
  'rftStudio.dryrun',
  'rftStudio.train',
  'rftStudio.deploy',
  'rftStudio.playground',
  'rftStudio.records',
  'rftStudio.generate',
] as const;

export type PanelViewType = (typeof PANEL_VIEW_TYPES)[number];
