/**
 * Navigation in the core: what each name of a statement refers to (tables, columns, CTEs), as PostgreSQL resolves
 * it, and where definitions are. Each row marks names with [brackets] and says which symbol each one is.
 */
import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../src/core/analyze';
import { definitionOf, documentOccurrences, findReferences, occurrenceAt, tableDdl, type WorkspaceDocument } from '../../src/core/navigation';
import { parseDocument } from '../../src/core/parse/document';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { modelFromSnapshot } from '../../src/core/schema/snapshot';

const SCHEMA = `CREATE TABLE page_views (tenant_id int, page_id int, view_time timestamptz);
SELECT create_distributed_table('page_views', 'tenant_id');
CREATE TABLE pages (tenant_id int, page_id int, title text);
SELECT create_distributed_table('pages', 'tenant_id', colocate_with => 'page_views');
CREATE SCHEMA analytics;
CREATE TABLE analytics.pages (id int, tenant_id int);
CREATE VIEW recent AS SELECT tenant_id, page_id FROM page_views;
`;

/** `[name]` marks a name; `symbols` lists what each marked name is, in order. */
interface Row {
  sql: string;
  symbols: string[];
}

const ROWS: Row[] = [
  { sql: 'SELECT [tenant_id] FROM [page_views]', symbols: ['column:public.page_views.tenant_id', 'table:public.page_views'] },
  { sql: 'SELECT v.[page_id], p.[title] FROM [page_views] v JOIN [pages] p USING (tenant_id)', symbols: ['column:public.page_views.page_id', 'column:public.pages.title', 'table:public.page_views', 'table:public.pages'] },
  // a CTE hides the table of the same name: the name is the CTE's
  { sql: 'WITH [page_views] AS (SELECT 1 AS x) SELECT [x] FROM [page_views]', symbols: ['cte', 'output', 'cte'] },
  // a join's merged column stands for the left input's
  { sql: 'SELECT [tenant_id] FROM [pages] JOIN [page_views] USING (tenant_id)', symbols: ['column:public.pages.tenant_id', 'table:public.pages', 'table:public.page_views'] },
  // column aliases of a FROM item rename the table's columns
  { sql: 'SELECT [a] FROM [pages] AS p(a, b)', symbols: ['column:public.pages.tenant_id', 'table:public.pages'] },
  // a view's columns are the view's
  { sql: 'SELECT [page_id] FROM [recent]', symbols: ['column:public.recent.page_id', 'table:public.recent'] },
  // the search path and schema qualification pick the table
  { sql: 'SELECT [id] FROM analytics.[pages]', symbols: ['column:analytics.pages.id', 'table:analytics.pages'] },
  { sql: 'SET search_path TO analytics;\nSELECT [id] FROM [pages]', symbols: ['column:analytics.pages.id', 'table:analytics.pages'] },
  // a qualifier that is the table's name refers to the table; an alias does not
  { sql: 'SELECT [pages].[title] FROM [pages]', symbols: ['table:public.pages', 'column:public.pages.title', 'table:public.pages'] },
  // DML targets and their columns are written
  { sql: 'INSERT INTO [pages] ([tenant_id], [title]) SELECT [tenant_id], 1 FROM [page_views]', symbols: ['table:public.pages', 'column:public.pages.tenant_id', 'column:public.pages.title', 'column:public.page_views.tenant_id', 'table:public.page_views'] },
  { sql: 'UPDATE [pages] SET [title] = [title] || 1 WHERE [page_id] = 1', symbols: ['table:public.pages', 'column:public.pages.title', 'column:public.pages.title', 'column:public.pages.page_id'] },
  // DDL and Citus calls
  { sql: 'CREATE TABLE [clicks] ([id] int, [page_id] int)', symbols: ['table:public.clicks', 'column:public.clicks.id', 'column:public.clicks.page_id'] },
  { sql: "SELECT create_distributed_table('[pages]', '[title]', colocate_with => 'analytics.[pages]')", symbols: ['table:public.pages', 'column:public.pages.title', 'table:analytics.pages'] },
  { sql: 'ALTER TABLE [pages] ADD COLUMN [body] text', symbols: ['table:public.pages', 'column:public.pages.body'] },
  { sql: 'CREATE INDEX ON [pages] (title)', symbols: ['table:public.pages'] },
  { sql: 'TRUNCATE [pages], analytics.[pages]', symbols: ['table:public.pages', 'table:analytics.pages'] },
  // function bodies are statements too
  { sql: 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM [pages] WHERE [page_id] = 1; END $$', symbols: ['table:public.pages', 'column:public.pages.page_id'] },
  // unknown names are nothing
  { sql: 'SELECT nothing FROM nowhere', symbols: [] },
];

describe('navigation (core): what names refer to', () => {
  let base: SchemaModel;
  before(async () => {
    await loadParser();
    base = analyzeDocument(SCHEMA, new SchemaModel(), { source: 'schema.sql' }).model;
  });

  for (const row of ROWS) {
    it(row.sql.replace(/\n/g, '⏎'), () => {
      const marks: { start: number; end: number }[] = [];
      let text = '';
      for (const part of row.sql.split(/(\[[^\]]*\])/)) {
        if (part.startsWith('[')) {
          marks.push({ start: text.length, end: text.length + part.length - 2 });
          text += part.slice(1, -1);
        } else text += part;
      }
      const model = analyzeDocument(text, base, { source: 'doc.sql' }).model;
      const found = documentOccurrences({ text, parsed: parseDocument(text) }, model);
      assert.deepEqual(
        found.map((o) => ({ start: o.start, end: o.end, symbol: o.symbol.replace(/^(cte|output):.*/, '$1') })),
        marks.map((m, i) => ({ ...m, symbol: row.symbols[i] })),
      );
    });
  }

  it('says who writes: INSERT targets and SET columns are writes, CREATE is the definition', () => {
    const text = 'INSERT INTO pages (title) SELECT title FROM pages;\nCREATE TABLE t (a int);';
    const model = analyzeDocument(text, base).model;
    const roles = documentOccurrences({ text, parsed: parseDocument(text) }, model).map((o) => `${text.slice(o.start, o.end)}:${o.role}`);
    assert.deepEqual(roles, ['pages:write', 'title:write', 'title:read', 'pages:read', 't:definition', 'a:definition']);
  });
});

describe('navigation (core): definitions and references across documents', () => {
  const schema = (): WorkspaceDocument => ({ source: '/w/schema.sql', text: SCHEMA, parsed: parseDocument(SCHEMA) });
  before(async () => {
    await loadParser();
  });

  it('finds a column definition in the CREATE TABLE the model names, and references in every document', () => {
    const text = 'SELECT p.title FROM pages p;\nSELECT title FROM analytics.pages JOIN pages USING (tenant_id);';
    const base = analyzeDocument(SCHEMA, new SchemaModel(), { source: '/w/schema.sql' }).model;
    const model = analyzeDocument(text, base, { source: '/w/q.sql' }).model;
    const home: WorkspaceDocument = { source: '/w/q.sql', text, parsed: parseDocument(text) };
    const target = occurrenceAt(home, model, text.indexOf('title'));
    assert.equal(target?.symbol, 'column:public.pages.title');
    const def = definitionOf(target!, home, [schema()], model);
    assert.ok(def?.kind === 'document');
    assert.equal(def.doc.source, '/w/schema.sql');
    assert.equal(SCHEMA.slice(def.range.start, def.range.end), 'title');
    assert.equal(def.range.start, SCHEMA.indexOf('title text'));
    const refs = findReferences(target!, home, [schema()], model).map((r) => `${r.doc.source}:${r.occurrence.start}`);
    // the definition, and both SELECTs (analytics.pages has no title: the second one is public.pages')
    assert.deepEqual(refs, ['/w/q.sql:9', `/w/q.sql:${text.lastIndexOf('title')}`, `/w/schema.sql:${SCHEMA.indexOf('title text')}`]);
  });

  it('keeps a CTE and its columns to their statement', () => {
    const text = 'WITH c AS (SELECT tenant_id AS t FROM pages) SELECT c.t FROM c;\nWITH c AS (SELECT 1 AS t) SELECT t FROM c;';
    const model = analyzeDocument(text, analyzeDocument(SCHEMA, new SchemaModel()).model).model;
    const home: WorkspaceDocument = { source: 'q.sql', text, parsed: parseDocument(text) };
    const cte = occurrenceAt(home, model, text.indexOf('FROM c') + 5);
    assert.equal(cte?.kind, 'cte');
    assert.deepEqual(findReferences(cte!, home, [], model).map((r) => r.occurrence.start), [5, text.indexOf('FROM c') + 5]);
    const col = occurrenceAt(home, model, text.indexOf('c.t') + 2);
    const def = definitionOf(col!, home, [], model);
    assert.ok(def?.kind === 'document');
    assert.equal(def.range.start, text.indexOf('AS t') + 3, 'the alias in the CTE');
  });

  it('generates the DDL of a relation a snapshot defines, and points at its column', () => {
    const loaded = modelFromSnapshot(
      {
        format: 'citus-rollups-snapshot',
        version: 1,
        tables: [
          { schema: 'public', name: 'clicks', kind: 'hash', columns: [{ name: 'site_id', type: 'bigint', notNull: true }, { name: 'order', type: 'timestamp with time zone', default: 'now()', defaultKind: 'stable' }], distributionColumn: 'site_id', colocationId: 3, shardCount: 32, primaryKey: ['site_id', 'order'] },
          { schema: 'public', name: 'sites', kind: 'reference', columns: [{ name: 'id', type: 'bigint' }] },
        ],
        colocationGroups: [{ id: 3, shardCount: 32, distributionColumnType: 'bigint', kind: 'hash' }],
      },
      'catalog.json',
    );
    assert.ok(loaded.ok);
    const text = 'SELECT "order" FROM clicks;';
    const home: WorkspaceDocument = { source: 'q.sql', text, parsed: parseDocument(text) };
    const target = occurrenceAt(home, loaded.model, 8);
    const def = definitionOf(target!, home, [], loaded.model);
    assert.ok(def?.kind === 'generated');
    assert.equal(def.column, 'order');
    const ddl = tableDdl(def.table, loaded.model);
    assert.equal(
      ddl.text.split('\n').slice(3).join('\n'),
      [
        'CREATE TABLE public.clicks (',
        '    site_id bigint NOT NULL,',
        '    "order" timestamp with time zone DEFAULT now(),',
        '    PRIMARY KEY (site_id, "order")',
        ');',
        "SELECT create_distributed_table('public.clicks', 'site_id');",
        '',
      ].join('\n'),
    );
    assert.equal(ddl.text.slice(ddl.columnOffsets.get('order'), (ddl.columnOffsets.get('order') ?? 0) + 7), '"order"');
    assert.equal(ddl.text.slice(ddl.nameOffset, ddl.nameOffset + 6), 'clicks');
    assert.match(tableDdl(loaded.model.get('public', 'sites')!, loaded.model).text, /SELECT create_reference_table\('public\.sites'\);/);
  });

  it('generates DDL that runs on its own: colocation as a comment, the group\'s shard count as an argument', () => {
    // (each document was run alone with psql -1 on a Citus 13.2.2 cluster: CREATE TABLE, then the Citus call)
    const loaded = modelFromSnapshot(
      {
        format: 'citus-rollups-snapshot',
        version: 1,
        tables: [
          { schema: 'public', name: 'events', kind: 'hash', columns: [{ name: 'tenant_id', type: 'integer' }], distributionColumn: 'tenant_id', colocationId: 3, shardCount: 4 },
          { schema: 'public', name: 'daily', kind: 'hash', columns: [{ name: 'tenant_id', type: 'integer' }], distributionColumn: 'tenant_id', colocationId: 3 },
        ],
        colocationGroups: [{ id: 3, shardCount: 4, distributionColumnType: 'integer', kind: 'hash' }],
      },
      'catalog.json',
    );
    assert.ok(loaded.ok);
    const text = tableDdl(loaded.model.get('public', 'daily')!, loaded.model).text;
    assert.match(text, /\n-- colocated with events \(colocation group 3\): with one of them created first, add colocate_with => 'events'\nSELECT create_distributed_table\('public\.daily', 'tenant_id', shard_count => 4\);\n$/);
  });
});
