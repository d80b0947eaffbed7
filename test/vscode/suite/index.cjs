// Runs inside the VS Code extension host.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const Mocha = require('mocha');

async function rftDiagnostics(uri, predicate, timeoutMs = 20000) {
  const started = Date.now();
  for (;;) {
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'rft');
    if (predicate(diagnostics)) return diagnostics;
    if (Date.now() - started > timeoutMs) throw new Error(`diagnostics did not settle: ${diagnostics.map((d) => d.code).join(',')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function suite() {
  const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const uri = vscode.Uri.file(path.join(folder, 'records.jsonl'));

  describe('RFT Studio in VS Code', function () {
    this.timeout(60000);

    it('puts the example dataset problems in the Problems panel at the right lines', async () => {
      await vscode.window.showTextDocument(uri);
      const diagnostics = await rftDiagnostics(uri, (d) => d.length >= 12);
      const byLine = diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`).sort();
      for (const expected of ['27:last_not_user', '34:duplicate', '45:orphan_tool_result', '58:double_encoded_arguments', '66:invalid_json', '96:invalid_role']) {
        assert.ok(byLine.includes(expected), `${expected} in ${byLine.join(' ')}`);
      }
    });

    it('a quick fix removes its diagnostic and changes the file on disk', async () => {
      const diagnostics = await rftDiagnostics(uri, (d) => d.some((x) => x.code === 'last_not_user'));
      const target = diagnostics.find((d) => d.code === 'last_not_user');
      const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, target.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.title.startsWith('Move the final assistant turn'));
      assert.ok(fix, actions.map((a) => a.title).join(' | '));
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()).save();
      await rftDiagnostics(uri, (d) => !d.some((x) => x.code === 'last_not_user' && x.range.start.line === target.range.start.line));
      const line = fs.readFileSync(uri.fsPath, 'utf8').split('\n')[target.range.start.line];
      assert.ok('reference_answer' in JSON.parse(line));
    });

    it('registers the dataset commands and reads the dataset pipeline', async () => {
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['rftStudio.newDataset', 'rftStudio.importRecords', 'rftStudio.exportRecords', 'rftStudio.viewIssues', 'rftStudio.refresh']) assert.ok(commands.includes(id), id);
      await vscode.commands.executeCommand('rftStudio.refresh');
    });

    it('hover shows the token count and record key', async () => {
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(0, 5));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /tokens/);
      assert.match(text, /key `[0-9a-f]{16}`/);
    });
  });
}

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000 });
  mocha.suite.emit('pre-require', global, 'rft', mocha);
  suite();
  return new Promise((resolve, reject) => mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} failing`)) : resolve())));
};
