/**
 * The extension in a real VS Code extension host: activation, diagnostics with codes and ranges,
 * code actions, code lenses, hovers and symbols through VS Code's own command API.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, fixtureUri, until } from './support';

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

describe('Citus Rollups in the extension host', () => {
  let rollups: vscode.Uri;
  let doc: vscode.TextDocument;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed in the host`);
    rollups = fixtureUri('rollups.sql');
    doc = await vscode.workspace.openTextDocument(rollups);
    await vscode.window.showTextDocument(doc);
    await ext.activate();
    assert.ok(ext.isActive, 'the extension activated');
  });

  it('runs in a host VS Code reports (not a UI-only extension)', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.notEqual(ext?.extensionKind, undefined);
    assert.equal(doc.languageId, 'sql');
  });

  it('publishes a syntax-error diagnostic with its code, doc link and range', async () => {
    const diags = await until('a syntax-error diagnostic', () => {
      const d = vscode.languages.getDiagnostics(rollups).filter((x) => codeOf(x) === 'syntax-error');
      return d.length ? d : undefined;
    });
    assert.equal(diags.length, 1);
    const [d] = diags;
    assert.equal(d.source, 'citus-rollups');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const code = d.code as { value: string; target: vscode.Uri };
    assert.match(code.target.toString(), /docs\/rules\/syntax-error\.md$/);
    const line = doc.lineAt(14).text;
    assert.equal(line, 'SELECT * FROM WHERE tenant_id = 1;');
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [14, line.indexOf('WHERE'), 14, line.indexOf('WHERE') + 5]);
  });

  it('shows a prediction lens and an "Explain on cluster" lens above each INSERT..SELECT', async () => {
    const lenses = await until('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', rollups, 10);
      return l && l.length ? l : undefined;
    });
    const insertLines = [1, 7];
    assert.deepEqual([...new Set(lenses.map((l) => l.range.start.line))].sort((a, b) => a - b), insertLines);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.equal(titles.filter((t) => t.startsWith('Citus:')).length, 2, titles.join(' | '));
    const explain = lenses.filter((l) => l.command?.command === 'citusRollups.explainStatement');
    assert.equal(explain.length, 2);
    assert.deepEqual(explain[0].command?.arguments, [rollups.toString(), doc.offsetAt(new vscode.Position(1, 0))]);
    // Until the cluster feature lands, the command answers that no cluster is connected (and resolves).
    await vscode.commands.executeCommand('citusRollups.explainStatement', ...(explain[0].command?.arguments ?? []));
  });

  it('hovers a table name with its distribution column and where it was defined', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', rollups, new vscode.Position(3, 10));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Distribution column: `tenant_id` \(`integer`\)/);
    // a link that opens schema.sql at the line
    assert.match(text, /Defined at: \[`schema\.sql:2`\]\(file:\/\/\/.*\/schema\.sql#L2\)/);
  });

  it('hovers the INSERT keyword with the predicted method', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', rollups, new vscode.Position(7, 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*Citus: /);
    assert.match(text, /Target: `daily_page_views`/);
  });

  it('lists the statements in the outline, rollups by target', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', rollups);
    assert.deepEqual(
      symbols.slice(0, 2).map((s) => s.name),
      ['INSERT INTO daily_page_views', 'INSERT INTO daily_page_views'],
    );
  });

  it('offers code actions for the findings and applies a quick fix', async function () {
    // (a newly opened file shows its syntax errors first, then the analysis' findings)
    const diags = await until("the analysis' findings", () => {
      const d = vscode.languages.getDiagnostics(rollups);
      return d.some((x) => codeOf(x) !== 'syntax-error') ? d : undefined;
    });
    const syntax = diags.find((d) => codeOf(d) === 'syntax-error');
    assert.ok(syntax);
    const forSyntax = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', rollups, syntax.range);
    assert.ok(forSyntax.some((a) => a.title === 'Open documentation for syntax-error'), forSyntax.map((a) => a.title).join(' | '));

    const finding = diags.find((d) => codeOf(d) !== 'syntax-error');
    if (!finding) {
      // No rule reports on the fixture yet (rules land with the predictor, issue 3).
      this.skip();
      return;
    }
    const rule = codeOf(finding);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', rollups, finding.range);
    const disable = actions.find((a) => a.title === `Disable ${rule} for this statement`);
    assert.ok(disable?.edit, actions.map((a) => a.title).join(' | '));
    const original = doc.getText();
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    try {
      await until(`${rule} to disappear after the quick fix`, () =>
        vscode.languages.getDiagnostics(rollups).some((d) => codeOf(d) === rule && d.message === finding.message) ? undefined : true,
      );
      assert.match(doc.getText(), new RegExp(`-- citus-rollups-disable-next-statement ${rule}`));
    } finally {
      // Put the fixture text back (unsaved edits only; the file on disk never changes).
      const restore = new vscode.WorkspaceEdit();
      restore.replace(rollups, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(restore);
    }
  });

  it('registers the cluster and scaffold commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['citusRollups.connect', 'citusRollups.disconnect', 'citusRollups.pickProfile', 'citusRollups.newRollup', 'citusRollups.explainStatement']) {
      assert.ok(all.has(id), `${id} is registered`);
    }
  });

  it('offers "Create rollup" on a create_distributed_table call, with the schema the server serves', async () => {
    const schema = fixtureUri('schema.sql');
    const schemaDoc = await vscode.workspace.openTextDocument(schema);
    const line = schemaDoc.getText().split('\n').findIndex((l) => l.includes("create_distributed_table('page_views'"));
    assert.ok(line >= 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', schema, new vscode.Range(line, 0, line, 10));
    const create = actions.find((a) => a.title === 'Create rollup for page_views');
    assert.ok(create, actions.map((a) => a.title).join(' | '));
    assert.equal(create.command?.command, 'citusRollups.newRollup');
    // the wizard's schema comes from the language server: page_views is a hash-distributed table there
    const ext = vscode.extensions.getExtension<{ ctx: { client?: { sendRequest(method: string, params: unknown): Promise<unknown> } } }>(EXTENSION_ID);
    const snapshot = (await ext?.exports.ctx.client?.sendRequest('citus/schemaSnapshot', { uri: rollups.toString() })) as { tables: { name: string; kind: string; distributionColumn: string | null }[] };
    const pv = snapshot.tables.find((t) => t.name === 'page_views');
    assert.deepEqual([pv?.kind, pv?.distributionColumn], ['hash', 'tenant_id']);
  });

  it("reports the syntax the project's declared PostgreSQL version lacks, and stops when the declaration goes", async () => {
    // the host's workspace is a temporary copy of the fixture (scripts/test-extension-lib.mjs)
    const config = fixtureUri('citus-rollups.json');
    const file = fixtureUri('pg15.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from('-- no table of the workspace: the other suites count references across its files\nSELECT one, count(*) FROM (SELECT 1 AS one) GROUP BY one;\n'));
    const newer = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(file).filter((x) => codeOf(x) === 'newer-postgres-syntax');
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
      await vscode.workspace.fs.writeFile(config, Buffer.from('{ "cluster": { "postgresVersion": 15 } }'));
      const [d] = await until('a newer-postgres-syntax diagnostic once the config declares PostgreSQL 15', () => (newer().length ? newer() : undefined));
      assert.match(d.message, /^subquery in FROM must have an alias \(PostgreSQL 15/);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([d.range.start.line, d.range.start.character], [1, 'SELECT one, count(*) FROM '.length]);
      await vscode.workspace.fs.writeFile(config, Buffer.from('{ "cluster": { "postgresVersion": 16 } }'));
      await until('no newer-postgres-syntax diagnostic once the config declares PostgreSQL 16', () => (newer().length ? undefined : true));
    } finally {
      await vscode.workspace.fs.delete(config).then(undefined, () => undefined);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it('shows a statement Citus refuses as an error: a SELECT whose join needs repartitioning', async () => {
    // (page_views and pages are distributed by tenant_id: a join on page_id needs repartitioning, which Citus refuses
    // with citus.enable_repartition_joins off; no tenant_id here: the navigation suite counts its references across files)
    const file = fixtureUri('refused.sql');
    const sql = 'SELECT count(*) FROM page_views v JOIN pages p ON p.page_id = v.page_id;\n';
    await vscode.workspace.fs.writeFile(file, Buffer.from(sql));
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
      const [d] = await until('an error diagnostic on the refused SELECT', () => {
        const errors = vscode.languages.getDiagnostics(file).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
        return errors.length ? errors : undefined;
      });
      assert.equal(codeOf(d), 'join-not-on-dist-column');
      assert.match(d.message, /requires repartitioning/);
      assert.equal(d.range.start.line, 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  after(async () => {
    // Leave the rollups file on screen with its lenses, squiggles and the Problems panel, and tell the
    // runner (scripts/test-extension.mjs watches for this line) to take its screenshot now, while the
    // language client is still running.
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.actions.view.problems').then(undefined, () => undefined);
    await vscode.window.showTextDocument(doc, { preview: false });
    await until('diagnostics on screen', () => (vscode.languages.getDiagnostics(rollups).length ? true : undefined), 10000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    process.stdout.write('citus-rollups: ready for screenshot\n');
    await new Promise((r) => setTimeout(r, 2500));
  });
});
