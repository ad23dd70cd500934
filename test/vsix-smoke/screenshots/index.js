// The scenes of scripts/screenshots.mjs, run in code-server's extension host with the VSIX installed and a copy
// of examples/ open (with a connection profile to a Citus database that has the example tables except
// daily_language_views). Each scene asks the runner for a shot (`citus-rollups: shot <name> <page|selector>`)
// and waits for its answer file. Plain CommonJS: the extension host loads it as is.
'use strict';
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const note = (line) => process.stdout.write(`[screenshots] ${line}\n`);

async function ask(kind, name, what) {
  const done = path.join(config.signals, `${name}.done`);
  process.stdout.write(`citus-rollups: ${kind} ${name} ${what}\n`);
  for (let i = 0; i < 200 && !fs.existsSync(done); i++) await sleep(100);
  const answer = fs.existsSync(done) ? fs.readFileSync(done, 'utf8') : 'no answer';
  if (answer !== 'ok') note(`${kind} ${name}: ${answer}`);
}
const shot = (name, what = 'page') => ask('shot', name, what);

async function until(what, get, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await get();
    if (v !== undefined) return v;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function fileUri(name) {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name);
}

async function open(name) {
  const doc = await vscode.workspace.openTextDocument(fileUri(name));
  const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
  if (/INSERT/i.test(doc.getText())) {
    await until(`lenses on ${name}`, async () => {
      const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 10);
      return lenses && lenses.length ? true : undefined;
    });
  }
  return { doc, editor };
}

async function showHoverAt(editor, line, character) {
  const pos = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await sleep(300);
  await vscode.commands.executeCommand('editor.action.showHover');
  await sleep(1500);
}

const lineOf = (doc, prefix) => doc.getText().split('\n').findIndex((l) => l.startsWith(prefix));

async function explainAt(doc, prefix) {
  const api = vscode.extensions.getExtension('citus-rollups.citus-rollups').exports;
  const offset = doc.offsetAt(new vscode.Position(lineOf(doc, prefix), 0));
  const before = api.ctx.cluster.explainPanel();
  await vscode.commands.executeCommand('citusRollups.explainStatement', doc.uri.toString(), offset);
  await until('the EXPLAIN panel', () => {
    const p = api.ctx.cluster.explainPanel();
    return p && p !== before && p.html !== (before && before.html) ? p : undefined;
  }, 60000);
  await sleep(2500);
}

async function scenes() {
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closePanel').then(undefined, () => undefined);
  const ext = vscode.extensions.getExtension('citus-rollups.citus-rollups');
  await ext.activate();

  // the statements that do not push down: lenses, squiggles, the status bar
  const { doc, editor } = await open('does-not-push-down.sql');
  await sleep(1500);
  await shot('verify-does-not-push-down');


  // the hover on the INSERT of a target that is not colocated (README); a hover is at most a quarter of the
  // editor's height, so the window is taller for this one
  await ask('resize', 'tall', '1280x1500');
  await sleep(800);
  await showHoverAt(editor, lineOf(doc, 'INSERT INTO page_views_by_page'), 3);
  await shot('hover', '.monaco-editor .monaco-hover');
  await ask('resize', 'normal', '1280x760');
  await sleep(800);

  // a table hover, and its "Defined at" link followed
  await vscode.commands.executeCommand('editor.action.hideHover').then(undefined, () => undefined);
  const from = lineOf(doc, '  FROM page_views');
  await showHoverAt(editor, from, 9);
  await shot('verify-table-hover', '.monaco-editor .monaco-hover');
  await ask('click', 'defined-at', 'schema.sql:2');
  await sleep(1500);
  const active = vscode.window.activeTextEditor;
  note(`after the Defined at link: ${active ? `${path.basename(active.document.uri.fsPath)} line ${active.selection.active.line + 1}` : 'no editor'}`);
  await shot('verify-defined-at-opened');

  // connect and explain: pull to coordinator (README), then a statement whose table is not deployed
  const connected = await vscode.commands.executeCommand('citusRollups.connect', 'examples');
  note(`connected: ${connected}`);
  await open('does-not-push-down.sql');
  await sleep(1000);
  await shot('verify-status-bar', '.part.statusbar');
  // the first statement: LIMIT; the panel's group maximized, as a user reading it would
  await explainAt(doc, 'INSERT INTO daily_page_views');
  await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
  await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
  await sleep(1500);
  await shot('explain', '.part.editor');
  await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
  const rollups = await open('rollups.sql');
  await explainAt(rollups.doc, 'INSERT INTO daily_language_views');
  await shot('verify-not-deployed', '.part.editor');

  // the wizard's table list (README), then the script it writes
  await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
  await open('schema.sql');
  const wizard = vscode.commands.executeCommand('citusRollups.newRollup');
  let finished = false;
  wizard.then(() => (finished = true), () => (finished = true));
  await sleep(2000);
  await shot('wizard', '.quick-input-widget');
  for (let i = 0; i < 60 && !finished; i++) {
    // page_views (the first raw table), then the first or pre-selected answers
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await sleep(400);
  }
  await wizard;
  await sleep(800);
  const script = vscode.window.activeTextEditor && vscode.window.activeTextEditor.document;
  note(`generated script: ${script ? `${script.uri.scheme}:${script.uri.path}` : 'none'}`);
  await shot('verify-generated-script');
  if (script && script.uri.scheme === 'untitled') {
    await vscode.commands.executeCommand('workbench.action.files.save');
    await sleep(1000);
    const saved = vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri;
    note(`after Save: ${saved ? `${saved.scheme}:${saved.path}` : 'none'}, on disk: ${saved ? fs.existsSync(saved.fsPath) : false}`);
  }

  // "Add a Profile" from the walkthrough: settings.json at citusRollups.connections
  await vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'citusRollups.connections', edit: true } });
  await sleep(2000);
  await shot('verify-settings-json');
  await vscode.commands.executeCommand('acceptSelectedSuggestion');
  await sleep(800);
  await shot('verify-settings-json-profile');

  // the Output channel: each workspace-vs-cluster message once
  await vscode.commands.executeCommand('citusRollups.showOutput');
  await sleep(1500);
  await shot('verify-output');

  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'citus-rollups.citus-rollups#citusRollups.gettingStarted', false);
  await sleep(2000);
  await shot('verify-walkthrough');

  // a script with transaction blocks: a write in a read-only block, and the statements after a failed call
  const transactions = [
    '-- a reporting session reused for the rollup',
    'BEGIN READ ONLY;',
    'SELECT count(*) FROM page_views;',
    'INSERT INTO daily_page_views SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY 1, 2, 3;',
    'ROLLBACK;',
    '',
    '-- a migration whose call fails: nothing after it in the block runs, and COMMIT rolls back',
    'BEGIN;',
    'CREATE TABLE page_notes (tenant_id int, page_id int, note text);',
    "SELECT create_distributed_table('page_notes', 'tenantid');",
    'INSERT INTO page_notes SELECT tenant_id, page_id, url FROM pages;',
    'COMMIT;',
    '',
  ].join('\n');
  await vscode.workspace.fs.writeFile(fileUri('transactions.sql'), Buffer.from(transactions));
  await open('transactions.sql');
  await sleep(2000);
  await shot('verify-transactions');
}

async function run() {
  try {
    await scenes();
  } catch (e) {
    note(`scene failed: ${e && e.stack ? e.stack : e}`);
    throw e;
  }
}

module.exports = { run };
