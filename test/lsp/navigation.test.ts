/**
 * Completion, signature help, go to definition, references and document highlights, asked of the real server
 * bundle over stdio, on real files: a schema file, a rollup file that uses it, and statements being typed.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, CompletionList, DocumentHighlight, Location, SignatureHelp } from 'vscode-languageserver-protocol';
import { TestClient } from './client';
import { ensureServerBundle } from './build';

const SCHEMA = `-- raw events, sharded by tenant
CREATE TABLE page_views (
    tenant_id int,
    page_id int,
    view_time timestamp DEFAULT now()
);
SELECT create_distributed_table('page_views', 'tenant_id');

CREATE TABLE pages (tenant_id int, page_id int, title text);
SELECT create_distributed_table('pages', 'tenant_id');

CREATE TABLE daily_page_views (
    tenant_id int,
    day date,
    page_id int,
    view_count bigint,
    PRIMARY KEY (tenant_id, day, page_id)
);
SELECT create_distributed_table('daily_page_views', 'tenant_id');

CREATE SCHEMA archive;
CREATE TABLE archive.old_views (tenant_id int, n bigint);
`;

const ROLLUP = `-- rollup
WITH recent AS (
  SELECT tenant_id, page_id, view_time FROM page_views WHERE view_time > now() - interval '1 day'
)
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT r.tenant_id, r.view_time::date, r.page_id, count(*)
  FROM recent r
  GROUP BY 1, 2, 3
ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = daily_page_views.view_count + EXCLUDED.view_count;

SELECT p.title, v.tenant_id FROM page_views v JOIN pages p USING (tenant_id, page_id);
`;

/** The position of the `n`-th occurrence (0-based) of `needle` in `text`, plus `delta` characters. */
function positionOf(text: string, needle: string, delta = 0, n = 0): { line: number; character: number } {
  let at = -1;
  for (let k = 0; k <= n; k++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is in the text`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** `text` with `|` marking the cursor: the text without it and the cursor's position. */
function cursor(text: string): { text: string; position: { line: number; character: number } } {
  const at = text.indexOf('|');
  const before = text.slice(0, at);
  return { text: text.replace('|', ''), position: { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 } };
}

describe('language server: completion, signature help, definitions, references', function () {
  this.timeout(30000);
  let root: string;
  let client: TestClient;

  before(() => ensureServerBundle());

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-nav-'));
    fs.writeFileSync(path.join(root, 'schema.sql'), SCHEMA);
    fs.writeFileSync(path.join(root, 'rollups.sql'), ROLLUP);
    client = await TestClient.start({
      root,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { completion: { completionItem: { snippetSupport: true } } },
      },
    });
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Opens `name` with `text` (a `|` marks the cursor) and asks for completion there. */
  async function complete(name: string, marked: string): Promise<CompletionItem[]> {
    const { text, position } = cursor(marked);
    const uri = client.uri(name);
    await client.open(uri, text);
    const list = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as CompletionList;
    return list.items;
  }
  const labels = (items: CompletionItem[], kind?: number): string[] => items.filter((i) => kind === undefined || i.kind === kind).map((i) => i.label).sort();
  const FIELD = 5;
  const CLASS = 7;

  it('completes the columns in scope in a partially typed INSERT .. SELECT, in the target list order, distribution column marked', async () => {
    // the statement does not parse: the select list is not finished and there is no `;`
    const items = await complete('typing.sql', 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)\n  SELECT tenant_id, view_time::date, |\n  FROM page_views v\n');
    assert.deepEqual(labels(items, FIELD), ['page_id', 'tenant_id', 'view_time'], 'exactly the columns of page_views');
    const pageId = items.find((i) => i.label === 'page_id');
    assert.equal(pageId?.preselect, true, 'the third output goes to page_id: preselected');
    assert.ok((pageId?.sortText ?? '') < (items.find((i) => i.label === 'tenant_id')?.sortText ?? ''), 'and sorted first');
    assert.match(items.find((i) => i.label === 'tenant_id')?.labelDetails?.description ?? '', /distribution column/);
    assert.equal(items.find((i) => i.label === 'view_time')?.detail, 'timestamp without time zone');
    assert.ok(!labels(items).includes('title'), 'a column of a table not in FROM is never offered');
  });

  it('completes only the join inputs in JOIN ... ON, qualified names after an alias, and never another statement\'s columns', async () => {
    const on = await complete('on.sql', 'SELECT 1 FROM page_views v JOIN pages p ON | JOIN daily_page_views d ON d.day = v.view_time::date;\n');
    assert.deepEqual(labels(on, FIELD), ['p.page_id', 'p.tenant_id', 'title', 'v.page_id', 'v.tenant_id', 'view_time'], 'ambiguous names qualified; d is not visible in this ON');
    const dot = await complete('dot.sql', 'SELECT d.| FROM daily_page_views d;\n');
    assert.deepEqual(labels(dot), ['day', 'page_id', 'tenant_id', 'view_count']);
    const excluded = await complete('excluded.sql', 'INSERT INTO daily_page_views SELECT * FROM daily_page_views ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = EXCLUDED.|');
    assert.deepEqual(labels(excluded), ['day', 'page_id', 'tenant_id', 'view_count']);
    const cols = await complete('cols.sql', 'INSERT INTO daily_page_views (tenant_id, |');
    assert.deepEqual(labels(cols), ['day', 'page_id', 'view_count'], 'the target columns not listed yet');
  });

  it('completes tables by search_path, schemas, and the tables of a schema', async () => {
    const from = await complete('from.sql', 'SELECT * FROM |');
    assert.deepEqual(labels(from, CLASS), ['archive.old_views', 'daily_page_views', 'page_views', 'pages']);
    assert.ok(labels(from).includes('archive'), 'the schema itself');
    const qualified = await complete('qualified.sql', 'SELECT * FROM archive.|');
    assert.deepEqual(labels(qualified), ['old_views']);
    const searchPath = await complete('search-path.sql', 'SET search_path TO archive, public;\nSELECT * FROM |');
    assert.ok(labels(searchPath, CLASS).includes('old_views'), labels(searchPath).join(' '));
    const cte = await complete('cte.sql', 'WITH recent AS (SELECT 1 AS x) SELECT * FROM |');
    assert.ok(labels(cte).includes('recent'));
  });

  it('completes Citus function arguments, named arguments and citus.* settings with their values', async () => {
    const column = await complete('dist.sql', "SELECT create_distributed_table('pages', '|');");
    assert.deepEqual(labels(column), ['page_id', 'tenant_id', 'title']);
    const named = await complete('named.sql', "SELECT create_distributed_table('pages', 'tenant_id', |");
    assert.deepEqual(
      labels(named).filter((l) => l.endsWith('=>')),
      ['colocate_with =>', 'distribution_type =>', 'shard_count =>'],
    );
    assert.ok(labels(named).includes("'hash'"), 'distribution_type values, from the cluster');
    const colocate = await complete('colocate.sql', "SELECT create_distributed_table('pages', 'tenant_id', colocate_with => '|");
    assert.ok(['default', 'none', 'page_views'].every((l) => labels(colocate).includes(l)), labels(colocate).join(' '));
    const setting = await complete('set.sql', 'SET citus.multi_shard_m|');
    assert.ok(labels(setting).includes('multi_shard_modify_mode'));
    const values = await complete('values.sql', 'SET citus.multi_shard_modify_mode TO |');
    assert.deepEqual(labels(values).filter((l) => l !== 'DEFAULT'), ['parallel', 'sequential']);
    const keywords = await complete('keywords.sql', 'SELECT tenant_id FROM pages |');
    assert.ok(['WHERE', 'GROUP BY', 'ORDER BY', 'JOIN'].every((k) => labels(keywords).includes(k)), labels(keywords).join(' '));
    assert.ok(!labels(keywords).includes('SET'), 'not a keyword the grammar takes here');
  });

  it('answers completion on broken input without crashing (comments, strings, garbage)', async () => {
    assert.deepEqual(await complete('comment.sql', '-- SELECT | FROM pages'), []);
    for (const text of ['|', ')))(((|', "SELECT '|", 'SELECT $$|', 'INSERT INTO (|', 'SELECT * FROM pages WHERE (((|', '\u0000|', 'SELECT "|']) {
      const items = await complete(`broken-${text.length}.sql`, text);
      assert.ok(Array.isArray(items));
    }
    assert.ok(labels(await complete('after.sql', 'SELECT 1;\n|')).includes('SELECT'), 'the server still answers');
  });

  it('gives signature help for Citus and built-in functions, with the argument under the cursor', async () => {
    const { text, position } = cursor("SELECT create_distributed_table('pages', 'tenant_id', colocate_with => |");
    const uri = client.uri('sig.sql');
    await client.open(uri, text);
    const help = (await client.conn.sendRequest('textDocument/signatureHelp', { textDocument: { uri }, position })) as SignatureHelp;
    assert.match(help.signatures[0].label, /^create_distributed_table\(table_name regclass, distribution_column text, .*colocate_with text DEFAULT 'default'/);
    assert.equal(help.activeParameter, 3, 'colocate_with');
    const b = cursor('SELECT date_trunc(|');
    const uri2 = client.uri('sig2.sql');
    await client.open(uri2, b.text);
    const builtin = (await client.conn.sendRequest('textDocument/signatureHelp', { textDocument: { uri: uri2 }, position: b.position })) as SignatureHelp;
    assert.ok(builtin.signatures.some((s) => s.label.startsWith('date_trunc(text, timestamp')), JSON.stringify(builtin));
  });

  it('goes to the definition of a table, a column and a CTE across files', async () => {
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    await client.diagnostics(uri);
    const schemaUri = pathToFileURL(path.join(root, 'schema.sql')).href;
    const def = async (needle: string, delta = 0, n = 0): Promise<Location[]> =>
      (await client.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: positionOf(ROLLUP, needle, delta, n) })) as Location[];
    const table = await def('FROM page_views', 6);
    assert.deepEqual(table, [{ uri: schemaUri, range: { start: positionOf(SCHEMA, 'page_views ('), end: positionOf(SCHEMA, 'page_views (', 10) } }]);
    const column = await def('v.tenant_id', 2);
    assert.deepEqual(column, [{ uri: schemaUri, range: { start: positionOf(SCHEMA, 'tenant_id int,'), end: positionOf(SCHEMA, 'tenant_id int,', 9) } }]);
    const target = await def('view_count +', 0);
    assert.equal(target[0].uri, schemaUri);
    assert.deepEqual(target[0].range.start, positionOf(SCHEMA, 'view_count bigint'));
    const cte = await def('FROM recent', 5);
    assert.deepEqual(cte, [{ uri, range: { start: positionOf(ROLLUP, 'recent AS'), end: positionOf(ROLLUP, 'recent AS', 6) } }]);
    // a CTE's column: its output column in the CTE
    const cteColumn = await def('r.page_id', 2);
    assert.deepEqual(cteColumn[0].range.start, positionOf(ROLLUP, 'page_id, view_time'));
    const declaration = (await client.conn.sendRequest('textDocument/declaration', { textDocument: { uri }, position: positionOf(ROLLUP, 'FROM page_views', 6) })) as Location[];
    assert.deepEqual(declaration, table);
  });

  it('finds the references of a column and a table across the workspace, and highlights them in the document', async () => {
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    await client.diagnostics(uri);
    const refs = (await client.conn.sendRequest('textDocument/references', { textDocument: { uri }, position: positionOf(ROLLUP, 'v.tenant_id', 2), context: { includeDeclaration: true } })) as Location[];
    const where = refs.map((r) => `${path.basename(r.uri)}:${r.range.start.line + 1}:${r.range.start.character + 1}`).sort();
    // schema.sql: the column definition and create_distributed_table's argument; rollups.sql: the CTE, the join
    assert.deepEqual(where, ['rollups.sql:11:19', 'rollups.sql:3:10', 'schema.sql:3:5', 'schema.sql:7:48']);
    const noDecl = (await client.conn.sendRequest('textDocument/references', { textDocument: { uri }, position: positionOf(ROLLUP, 'v.tenant_id', 2), context: { includeDeclaration: false } })) as Location[];
    assert.equal(noDecl.length, 3);
    const table = (await client.conn.sendRequest('textDocument/references', { textDocument: { uri }, position: positionOf(ROLLUP, 'INTO daily_page_views', 6), context: { includeDeclaration: true } })) as Location[];
    assert.equal(table.length, 4, 'CREATE TABLE, create_distributed_table, INSERT INTO, the ON CONFLICT qualifier... ' + JSON.stringify(table));
    const highlights = (await client.conn.sendRequest('textDocument/documentHighlight', { textDocument: { uri }, position: positionOf(ROLLUP, 'view_count +') })) as DocumentHighlight[];
    // the INSERT column list and the SET target write; the two references in the SET expression read
    assert.deepEqual(highlights.map((h) => h.kind).sort(), [2, 2, 3, 3]);
  });

  it('opens the generated DDL of a relation only a snapshot defines', async () => {
    const snapshot = {
      format: 'citus-rollups-snapshot',
      version: 1,
      tables: [{ schema: 'public', name: 'clicks', kind: 'hash', columns: [{ name: 'site_id', type: 'bigint', notNull: true }, { name: 'n', type: 'bigint' }], distributionColumn: 'site_id', colocationId: 7, shardCount: 16 }],
      colocationGroups: [{ id: 7, shardCount: 16, distributionColumnType: 'bigint', kind: 'hash' }],
    };
    fs.writeFileSync(path.join(root, 'catalog.json'), JSON.stringify(snapshot));
    await client.changeSettings({ schema: { snapshotPath: 'catalog.json' } });
    const text = 'SELECT site_id FROM clicks;\n';
    const uri = client.uri('clicks.sql');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const loc = (await client.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: positionOf(text, 'site_id', 1) })) as Location[];
    assert.equal(loc.length, 1);
    assert.match(loc[0].uri, /^citus-rollups-ddl:\/public\.clicks\.sql$/);
    const ddl = (await client.conn.sendRequest('citus/generatedDdl', { uri: loc[0].uri })) as string;
    assert.match(ddl, /CREATE TABLE public\.clicks \(\n {4}site_id bigint NOT NULL,\n {4}n bigint\n\);/);
    assert.match(ddl, /SELECT create_distributed_table\('public\.clicks', 'site_id', shard_count => 16\);/);
    const line = ddl.split('\n')[loc[0].range.start.line];
    assert.equal(line.slice(loc[0].range.start.character, loc[0].range.end.character), 'site_id');
    assert.equal(await client.conn.sendRequest('citus/generatedDdl', { uri: 'citus-rollups-ddl:/public.nothing.sql' }), null);
  });
});
