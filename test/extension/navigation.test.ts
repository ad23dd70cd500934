/**
 * Completion, signature help, go to definition and references in the real extension host, through VS Code's own
 * command API: a partially typed INSERT .. SELECT typed key by key into an editor, definitions across the fixture
 * workspace's files, the references count, and the generated DDL document of a relation only the cluster has.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, fixtureUri, until } from './support';

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function asLocations(result: (vscode.Location | vscode.LocationLink)[] | undefined): { uri: vscode.Uri; range: vscode.Range }[] {
  return (result ?? []).map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : { uri: l.uri, range: l.range }));
}

describe('Completion and navigation in the extension host', () => {
  let rollups: vscode.Uri;
  let doc: vscode.TextDocument;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    rollups = fixtureUri('rollups.sql');
    doc = await vscode.workspace.openTextDocument(rollups);
    // the schema is read: a hover on a table says where it was defined
    await until('the workspace schema', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', rollups, new vscode.Position(3, 10));
      return hovers.length ? true : undefined;
    });
  });

  it('completes the columns in scope at a cursor in a partially typed INSERT .. SELECT', async () => {
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    try {
      // a rollup being written above the others: the third output column is being typed, no `;` yet
      const head = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)\n  SELECT tenant_id, view_time::date, \n  FROM page_views\n';
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), head)));
      let cursor = new vscode.Position(1, '  SELECT tenant_id, view_time::date, '.length);
      for (const key of 'pa') {
        assert.ok(await editor.edit((b) => b.insert(cursor, key)));
        cursor = cursor.translate(0, 1);
      }
      const list = await until('completion items', async () => {
        const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', rollups, cursor);
        return l.items.some((i) => labelOf(i) === 'page_id') ? l : undefined;
      });
      const columns = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Field).map(labelOf).sort();
      assert.deepEqual(columns, ['page_id', 'tenant_id', 'view_time'], 'exactly the columns of page_views');
      const pageId = list.items.find((i) => labelOf(i) === 'page_id');
      assert.equal(pageId?.preselect, true, 'the third output column goes to page_id');
      const tenant = list.items.find((i) => labelOf(i) === 'tenant_id');
      assert.match(typeof tenant?.label === 'object' ? (tenant.label.description ?? '') : '', /distribution column/);
      // the edit replaces the typed word
      const range = pageId?.range instanceof vscode.Range ? pageId.range : pageId?.range?.replacing;
      assert.deepEqual([range?.start.line, range?.start.character, range?.end.character], [1, cursor.character - 2, cursor.character]);
    } finally {
      const restore = new vscode.WorkspaceEdit();
      restore.replace(rollups, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(restore);
    }
  });

  it('shows the signature of a Citus function with the argument under the cursor', async () => {
    const untitled = await vscode.workspace.openTextDocument({ language: 'sql', content: "SELECT create_distributed_table('pages', " });
    const help = await until('signature help', async () => {
      const h = await vscode.commands.executeCommand<vscode.SignatureHelp | undefined>('vscode.executeSignatureHelpProvider', untitled.uri, new vscode.Position(0, untitled.getText().length));
      return h?.signatures.length ? h : undefined;
    });
    assert.match(help.signatures[0].label, /^create_distributed_table\(table_name regclass, distribution_column text/);
    assert.equal(help.activeParameter, 1, 'distribution_column');
  });

  it('goes to the definition of a table and a column in another file', async () => {
    const schema = fixtureUri('schema.sql');
    // rollups.sql line 4 (0-based 3): `  FROM page_views`
    assert.equal(doc.lineAt(3).text, '  FROM page_views');
    const table = asLocations(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', rollups, new vscode.Position(3, 10)));
    assert.equal(table.length, 1);
    assert.equal(table[0].uri.toString(), schema.toString());
    const schemaDoc = await vscode.workspace.openTextDocument(schema);
    assert.equal(schemaDoc.getText(table[0].range), 'page_views');
    assert.equal(schemaDoc.lineAt(table[0].range.start.line).text, 'CREATE TABLE page_views (');
    // `view_time` in `view_time::date` (line 3, 0-based 2)
    const column = asLocations(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', rollups, new vscode.Position(2, 22)));
    assert.equal(column[0]?.uri.toString(), schema.toString());
    assert.equal(schemaDoc.lineAt(column[0].range.start.line).text.trim(), 'view_time timestamp DEFAULT now()');
  });

  it('counts the references of a column across the workspace', async () => {
    // `tenant_id` of page_views in `SELECT tenant_id` (line 3, 0-based 2)
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', rollups, new vscode.Position(2, 11));
    const byFile = new Map<string, number>();
    for (const r of refs) byFile.set(r.uri.path.split('/').pop() ?? '', (byFile.get(r.uri.path.split('/').pop() ?? '') ?? 0) + 1);
    // rollups.sql: SELECT and GROUP BY of both rollups; first-use.sql: its page_views rollups; schema.sql: the
    // column's definition and create_distributed_table's argument
    assert.deepEqual(Object.fromEntries([...byFile].sort()), { 'first-use.sql': 6, 'rollups.sql': 4, 'schema.sql': 2 });
    const highlights = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', rollups, new vscode.Position(2, 11));
    assert.equal(highlights.length, 4);
  });

  it("opens the generated DDL of a table only the connected cluster has", async () => {
    const ext = vscode.extensions.getExtension<{ ctx: { client?: { sendNotification(method: string, params: unknown): Promise<void> } } }>(EXTENSION_ID);
    const client = ext?.exports.ctx.client;
    assert.ok(client);
    const cluster = {
      format: 'citus-rollups-snapshot',
      version: 1,
      tables: [{ schema: 'public', name: 'clicks', kind: 'hash', columns: [{ name: 'site_id', type: 'bigint', notNull: true }, { name: 'n', type: 'bigint' }], distributionColumn: 'site_id', colocationId: 5, shardCount: 32 }],
      colocationGroups: [{ id: 5, shardCount: 32, distributionColumnType: 'bigint', kind: 'hash' }],
    };
    await client.sendNotification('citus/clusterSnapshot', { snapshot: cluster });
    try {
      const untitled = await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT n FROM clicks;\n' });
      const loc = await until('a definition in the generated DDL', async () => {
        const l = asLocations(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', untitled.uri, new vscode.Position(0, 16)));
        return l.length ? l : undefined;
      });
      assert.equal(loc[0].uri.scheme, 'citus-rollups-ddl');
      const ddl = await vscode.workspace.openTextDocument(loc[0].uri);
      assert.match(ddl.getText(), /CREATE TABLE public\.clicks \(\n {4}site_id bigint NOT NULL,\n {4}n bigint\n\);/);
      assert.match(ddl.getText(), /^-- clicks: generated from the connected cluster's metadata \(read-only\)\./);
      assert.equal(ddl.getText(loc[0].range), 'clicks');
    } finally {
      await client.sendNotification('citus/clusterSnapshot', { snapshot: null });
    }
  });
});
