// Smoke test of the INSTALLED VSIX, run inside code-server's Node extension host by scripts/test-vsix.mjs.
// Plain CommonJS: the extension host loads it as is. scripts/test-vsix.mjs copies it into a temporary
// folder beside a config.json that names the extensions folder the VSIX was installed into.
'use strict';
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const EXTENSION_ID = 'citus-rollups.citus-rollups';
const EXPECTED_RULE = 'limit-offset-blocks-pushdown';

function log(line) {
  process.stdout.write(`[vsix-smoke] ${line}\n`);
}

function codeOf(diagnostic) {
  const c = diagnostic.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

function waitForDiagnostics(uri, predicate, timeoutMs) {
  return new Promise((resolve, reject) => {
    const done = (fn, value) => {
      clearTimeout(timer);
      sub.dispose();
      fn(value);
    };
    const check = () => {
      const diags = vscode.languages.getDiagnostics(uri);
      if (predicate(diags)) done(resolve, diags);
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      const diags = vscode.languages.getDiagnostics(uri);
      done(reject, new Error(`no matching diagnostics on ${uri.fsPath} after ${timeoutMs} ms; got ${JSON.stringify(diags.map((d) => [codeOf(d), d.message]))}`));
    }, timeoutMs);
    check();
  });
}

async function run() {
  const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));
  const results = [];
  async function check(name, fn) {
    try {
      await fn();
      results.push(true);
      log(`ok   ${name}`);
    } catch (err) {
      results.push(false);
      log(`FAIL ${name}: ${err && err.stack ? err.stack : err}`);
    }
  }
  const assert = (cond, message) => {
    if (!cond) throw new Error(message);
  };

  log(`VS Code ${vscode.version}, remote ${vscode.env.remoteName || 'none'}`);
  const ext = vscode.extensions.getExtension(EXTENSION_ID);

  await check('the extension is installed from the VSIX, not loaded from the source folder', async () => {
    assert(ext, `${EXTENSION_ID} is not installed; extensions: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    const extPath = fs.realpathSync(ext.extensionPath);
    const extensionsDir = fs.realpathSync(config.extensionsDir);
    assert(extPath.startsWith(extensionsDir + path.sep), `loaded from ${extPath}, not from the extensions folder ${extensionsDir}`);
    assert(extPath !== fs.realpathSync(config.repoRoot), 'loaded from the repository');
    assert(!fs.existsSync(path.join(extPath, 'src')), 'the installed extension has a src/ folder');
    assert(ext.packageJSON.version === config.version, `installed version ${ext.packageJSON.version}, packaged ${config.version}`);
    const bundle = fs.readFileSync(path.join(extPath, 'dist', 'extension.js'), 'utf8');
    assert(!/sourceMappingURL=/.test(bundle), 'the installed bundle is not the production build');
  });

  await check('the extension activates', async () => {
    assert(ext, 'not installed');
    await ext.activate();
    assert(ext.isActive, 'isActive is false after activate()');
  });

  await check('its commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    const ours = commands.filter((c) => c.startsWith('citusRollups.'));
    assert(ours.includes('citusRollups.explainStatement'), `citusRollups.* commands: ${ours.join(', ') || 'none'}`);
  });

  await check(`a ${EXPECTED_RULE} diagnostic appears on the fixture`, async () => {
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    assert(folder, 'no workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'rollup.sql');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert(doc.languageId === 'sql', `language id ${doc.languageId}`);
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === EXPECTED_RULE), 60000);
    const d = diags.find((x) => codeOf(x) === EXPECTED_RULE);
    // LIMIT 1000 is on the sixth line of rollup.sql.
    assert(d.range.start.line === 5, `diagnostic on line ${d.range.start.line + 1}, expected 6`);
    assert(doc.getText(d.range).startsWith('LIMIT'), `diagnostic covers "${doc.getText(d.range)}"`);
  });

  await check('"Create Example Workspace" copies the examples the VSIX ships', async () => {
    const os = require('os');
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-vsix-examples-'));
    try {
      const made = await vscode.commands.executeCommand('citusRollups.createExampleWorkspace', vscode.Uri.file(parent), { open: false });
      assert(made, 'the command returned no folder');
      const files = fs.readdirSync(made.fsPath).sort();
      assert(JSON.stringify(files) === JSON.stringify(['README.md', 'does-not-push-down.sql', 'rollups.sql', 'schema.sql']), `created ${files.join(', ')}`);
      assert(fs.readFileSync(path.join(made.fsPath, 'schema.sql'), 'utf8').includes("create_distributed_table('page_views', 'tenant_id')"), 'schema.sql is not the example schema');
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  // Leave schema.sql and the walkthrough on screen: scripts/test-vsix.mjs checks the highlighting and the
  // walkthrough's steps in the rendered workbench (there is no public API for either) when this suite ends.
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (folder) {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'schema.sql')));
  }
  try {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#citusRollups.gettingStarted`, true);
  } catch (err) {
    log(`could not open the walkthrough: ${err}`);
  }
  await new Promise((r) => setTimeout(r, 2000));

  const passed = results.filter(Boolean).length;
  const failed = results.length - passed;
  log(`RESULT ${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} VSIX smoke check(s) failed`);
}

module.exports = { run };
