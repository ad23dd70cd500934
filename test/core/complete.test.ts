/**
 * Completion in the core: a literal table of statements being typed (most of them do not parse), each with the
 * exact columns, tables or values it must offer; then, over every statement of the recorded Citus corpus and the
 * examples, the property that matters most: every column offered at a column reference resolves there (PostgreSQL's
 * scoping, checked by putting it in and resolving the statement again), on the whole statement and on the text cut
 * at the cursor.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completeAt, type CompletionCandidate } from '../../src/core/complete';
import { searchPathAt } from '../../src/core/complete/region';
import { signatureAt } from '../../src/core/complete/signature';
import { occurrenceAt } from '../../src/core/navigation';
import { analyzeDocument } from '../../src/core/analyze';
import { nameList, walk } from '../../src/core/parse/ast';
import { parseDocument } from '../../src/core/parse/document';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { analyzeSemantics } from '../../src/core/semantic';
import { corpusModel, loadCorpus } from '../../scripts/corpus-lib';

const SCHEMA = `
CREATE TABLE page_views (tenant_id int, page_id int, view_time timestamptz DEFAULT now(), url text);
SELECT create_distributed_table('page_views', 'tenant_id');
CREATE TABLE pages (tenant_id int, page_id int, title text);
SELECT create_distributed_table('pages', 'tenant_id');
CREATE TABLE daily_page_views (tenant_id int, day date, page_id int, view_count bigint, PRIMARY KEY (tenant_id, day, page_id));
SELECT create_distributed_table('daily_page_views', 'tenant_id');
CREATE TABLE countries (code text PRIMARY KEY, name text);
SELECT create_reference_table('countries');
CREATE SCHEMA analytics;
CREATE TABLE analytics.sessions (session_id bigint, tenant_id int);
CREATE VIEW recent_views AS SELECT tenant_id, page_id FROM page_views;
`;

interface Row {
  /** the text, with `|` at the cursor */
  sql: string;
  /** exactly these column labels (kind column) */
  columns?: string[];
  /** exactly these table and view labels */
  tables?: string[];
  /** these labels among the items (any kind) */
  has?: string[];
  /** none of these labels */
  not?: string[];
  /** the first item by sort order */
  first?: string;
}

const ROWS: Row[] = [
  // select lists, with and without FROM, whole and being typed
  { sql: 'SELECT | FROM page_views', columns: ['page_id', 'tenant_id', 'url', 'view_time'], has: ['page_views', 'DISTINCT'] },
  { sql: 'SELECT |', columns: [], has: ['create_distributed_table', 'DISTINCT'], not: ['tenant_id'] },
  { sql: 'SELECT t| FROM pages', columns: ['page_id', 'tenant_id', 'title'], has: ['to_char', 'trunc'], not: ['textcat', 'int4pl', 'timestamp_lt'] },
  { sql: 'SELECT page_id, | FROM pages WHERE', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT |, count(*) FROM pages p WHERE p. GROUP BY 1', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT a FROM pages p WHERE p.|', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT p.| FROM pages p JOIN page_views v USING (page_id)', columns: ['page_id', 'tenant_id', 'title'] },
  // the join's own tenant_id is ambiguous (both inputs have one): only the qualified names resolve
  { sql: 'SELECT | FROM pages p JOIN page_views v USING (page_id)', columns: ['p.tenant_id', 'page_id', 'title', 'url', 'v.tenant_id', 'view_time'], not: ['tenant_id'] },
  { sql: 'SELECT | FROM pages JOIN page_views USING (page_id)', columns: ['page_id', 'page_views.tenant_id', 'pages.tenant_id', 'title', 'url', 'view_time'] },
  { sql: 'SELECT | FROM pages NATURAL JOIN page_views', columns: ['page_id', 'tenant_id', 'title', 'url', 'view_time'] },
  { sql: 'SELECT x.| FROM pages p', columns: [], not: ['title'] },
  { sql: 'SELECT | FROM pages AS p(a, b)', columns: ['a', 'b', 'title'] },
  { sql: 'SELECT | FROM recent_views', columns: ['page_id', 'tenant_id'] },
  { sql: 'SELECT | FROM unknown_table', columns: [], has: ['unknown_table'] },
  // an item whose columns are unknown may have a column of any name: only qualified names are sure to resolve
  { sql: 'SELECT | FROM unknown_table u, pages p', columns: ['p.page_id', 'p.tenant_id', 'p.title'] },
  { sql: 'SELECT (SELECT | FROM unknown_table) FROM pages p', columns: ['p.page_id', 'p.tenant_id', 'p.title'] },
  { sql: 'SELECT (SELECT | FROM countries) FROM unknown_table u, pages p', columns: ['code', 'name', 'p.page_id', 'p.tenant_id', 'p.title'] },
  { sql: 'SELECT | FROM generate_series(1, 3) g', columns: ['g'] },
  { sql: 'SELECT | FROM (VALUES (1, 2)) v(a, b)', columns: ['a', 'b'] },
  // WHERE, GROUP BY, ORDER BY, HAVING
  { sql: 'SELECT * FROM page_views WHERE |', columns: ['page_id', 'tenant_id', 'url', 'view_time'], has: ['NOT', 'EXISTS'] },
  { sql: 'SELECT * FROM page_views WHERE tenant_id = 1 AND |', columns: ['page_id', 'tenant_id', 'url', 'view_time'] },
  { sql: 'SELECT * FROM page_views WHERE tenant_id = 1 AND | GROUP BY', columns: ['page_id', 'tenant_id', 'url', 'view_time'] },
  { sql: 'SELECT * FROM page_views WHERE tenant_id IN (SELECT | FROM pages', columns: ['page_id', 'tenant_id', 'title', 'url', 'view_time'], first: 'page_id' },
  { sql: 'SELECT * FROM page_views WHERE EXISTS (SELECT 1 FROM pages p WHERE p.page_id = |)', columns: ['page_id', 'tenant_id', 'title', 'url', 'view_time'] },
  { sql: 'SELECT tenant_id, count(*) AS n FROM page_views GROUP BY |', columns: ['page_id', 'tenant_id', 'url', 'view_time'], not: ['n'] },
  { sql: 'SELECT tenant_id, count(*) AS n FROM page_views GROUP BY 1 ORDER BY |', columns: ['n', 'page_id', 'tenant_id', 'url', 'view_time'] },
  { sql: 'SELECT tenant_id FROM page_views GROUP BY 1 HAVING count(|) > 1', columns: ['page_id', 'tenant_id', 'url', 'view_time'] },
  { sql: 'SELECT CASE WHEN | FROM pages', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT CASE WHEN |', columns: [] },
  { sql: 'SELECT count(*) FILTER (WHERE |) FROM pages', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT sum(page_id) OVER (PARTITION BY |) FROM pages', columns: ['page_id', 'tenant_id', 'title'] },
  // joins: ON sees only the join's inputs; LATERAL sees what is before it
  { sql: 'SELECT 1 FROM pages p JOIN page_views v ON | JOIN countries c ON true', columns: ['p.page_id', 'p.tenant_id', 'title', 'url', 'v.page_id', 'v.tenant_id', 'view_time'], not: ['code', 'name'] },
  { sql: 'SELECT 1 FROM pages p JOIN page_views v ON v.page_id = p.|', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT 1 FROM pages p, (SELECT | FROM countries) c', columns: ['code', 'name'], not: ['title'] },
  { sql: 'SELECT 1 FROM pages p, LATERAL (SELECT | FROM countries) c', columns: ['code', 'name', 'page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT 1 FROM pages p LEFT JOIN LATERAL (SELECT * FROM page_views v WHERE v.page_id = p.|) x ON true', columns: ['page_id', 'tenant_id', 'title'] },
  // CTEs: visible after their definition, not inside a non-recursive one
  { sql: 'WITH c AS (SELECT tenant_id, count(*) AS n FROM page_views GROUP BY 1) SELECT | FROM c', columns: ['n', 'tenant_id'] },
  { sql: 'WITH c AS (SELECT tenant_id, count(*) AS n FROM page_views GROUP BY 1) SELECT * FROM |', has: ['c'], tables: ['analytics.sessions', 'countries', 'daily_page_views', 'page_views', 'pages', 'recent_views'] },
  { sql: 'WITH c AS (SELECT * FROM |', not: ['c'] },
  { sql: 'WITH c(a, b) AS (SELECT tenant_id, page_id FROM pages) SELECT c.| FROM c', columns: ['a', 'b'] },
  { sql: 'WITH d AS (DELETE FROM pages RETURNING tenant_id, title) SELECT | FROM d', columns: ['tenant_id', 'title'] },
  // INSERT .. SELECT: target columns, the target list order, ON CONFLICT, EXCLUDED
  { sql: 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, | FROM page_views GROUP BY 1, 2, 3', columns: ['page_id', 'tenant_id', 'url', 'view_time'], first: 'page_id' },
  { sql: 'INSERT INTO daily_page_views (page_id, tenant_id) SELECT page_id, |\n  FROM page_views', columns: ['page_id', 'tenant_id', 'url', 'view_time'], first: 'tenant_id' },
  { sql: 'INSERT INTO daily_page_views SELECT |\nFROM page_views', columns: ['page_id', 'tenant_id', 'url', 'view_time'], first: 'tenant_id' },
  { sql: 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, |', columns: [] },
  { sql: 'INSERT INTO daily_page_views (|', columns: ['day', 'page_id', 'tenant_id', 'view_count'] },
  { sql: 'INSERT INTO daily_page_views (tenant_id, d|) SELECT 1, 2', columns: ['day', 'page_id', 'view_count'] },
  { sql: 'INSERT INTO |', tables: ['analytics.sessions', 'countries', 'daily_page_views', 'page_views', 'pages', 'recent_views'] },
  { sql: 'INSERT INTO daily_page_views SELECT * FROM daily_page_views ON CONFLICT (|', columns: ['day', 'page_id', 'tenant_id', 'view_count'] },
  { sql: 'INSERT INTO daily_page_views SELECT * FROM daily_page_views ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET |', columns: ['day', 'page_id', 'tenant_id', 'view_count'] },
  { sql: 'INSERT INTO daily_page_views AS d SELECT * FROM daily_page_views ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = d.view_count + EXCLUDED.|', columns: ['day', 'page_id', 'tenant_id', 'view_count'] },
  // the target and EXCLUDED have the same columns: only qualified names resolve
  { sql: 'INSERT INTO daily_page_views AS d SELECT * FROM daily_page_views ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = |', columns: ['d.day', 'd.page_id', 'd.tenant_id', 'd.view_count', 'excluded.day', 'excluded.page_id', 'excluded.tenant_id', 'excluded.view_count'], has: ['d', 'excluded'] },
  { sql: 'INSERT INTO pages VALUES (|', columns: [] },
  { sql: 'INSERT INTO pages SELECT * FROM page_views RETURNING |', columns: ['page_id', 'tenant_id', 'title'] },
  // UPDATE / DELETE / MERGE
  { sql: 'UPDATE pages SET |', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'UPDATE pages SET title = | WHERE', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'UPDATE pages p SET title = c.name FROM countries c WHERE |', columns: ['code', 'name', 'page_id', 'tenant_id', 'title'] },
  { sql: 'DELETE FROM pages WHERE |', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'DELETE FROM pages USING countries c WHERE c.|', columns: ['code', 'name'] },
  { sql: 'MERGE INTO pages p USING page_views v ON p.page_id = v.| WHEN MATCHED THEN DO NOTHING', columns: ['page_id', 'tenant_id', 'url', 'view_time'] },
  // tables and schemas
  { sql: 'SELECT * FROM |', tables: ['analytics.sessions', 'countries', 'daily_page_views', 'page_views', 'pages', 'recent_views'], has: ['analytics', 'LATERAL'] },
  { sql: 'SELECT * FROM analytics.|', tables: ['sessions'], columns: [] },
  { sql: 'SELECT * FROM pages JOIN |', tables: ['analytics.sessions', 'countries', 'daily_page_views', 'page_views', 'pages', 'recent_views'] },
  { sql: 'SET search_path TO analytics, public;\nSELECT * FROM |', tables: ['countries', 'daily_page_views', 'page_views', 'pages', 'recent_views', 'sessions'] },
  { sql: 'TRUNCATE |', tables: ['analytics.sessions', 'countries', 'daily_page_views', 'page_views', 'pages', 'recent_views'] },
  { sql: 'ALTER TABLE pa|', tables: ['analytics.sessions', 'countries', 'daily_page_views', 'page_views', 'pages', 'recent_views'] },
  // other statements around the cursor do not leak in
  { sql: 'SELECT * FROM countries;\nSELECT | FROM pages;\nSELECT * FROM page_views;', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT | FROM pages\nSELECT * FROM page_views;', columns: ['page_id', 'tenant_id', 'title'] },
  { sql: 'SELECT title, |\nINSERT INTO pages SELECT * FROM page_views;', columns: [] },
  // function bodies
  { sql: 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO daily_page_views SELECT tenant_id, | FROM page_views;\nEND $$;', columns: ['page_id', 'tenant_id', 'url', 'view_time'] },
  { sql: 'CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT | FROM countries $$;', columns: ['code', 'name'] },
  { sql: 'DO $$ BEGIN IF true THEN UPDATE pages SET title = | ; END IF; END $$;', columns: ['page_id', 'tenant_id', 'title'] },
  // Citus functions and settings
  { sql: "SELECT create_distributed_table('|", tables: ['analytics.sessions', 'countries', 'daily_page_views', 'page_views', 'pages', 'recent_views'] },
  { sql: "SELECT create_distributed_table('pages', '|')", columns: ['page_id', 'tenant_id', 'title'] },
  { sql: "SELECT create_distributed_table('analytics.sessions', '|')", columns: ['session_id', 'tenant_id'] },
  { sql: "SELECT create_distributed_table(table_name => 'pages', distribution_column => '|", columns: ['page_id', 'tenant_id', 'title'] },
  { sql: "SELECT create_distributed_table('pages', 'tenant_id', colocate_with => '|", has: ['default', 'none', 'page_views'] },
  { sql: "SELECT create_distributed_table('pages', 'tenant_id', |", has: ['colocate_with =>', 'shard_count =>', 'distribution_type =>', "'hash'"], not: ['table_name =>', 'distribution_column =>'] },
  { sql: "SELECT create_distributed_table('pages', 'tenant_id', distribution_type => '|", has: ['hash', 'range', 'append'] },
  { sql: "SELECT create_reference_table(|", has: ["'countries'", 'table_name =>'] },
  { sql: "SELECT alter_distributed_table('pages', shard_count => 8, |", has: ['colocate_with =>', 'cascade_to_colocated =>'], not: ['shard_count =>', 'table_name =>'] },
  { sql: 'SET citus.|', has: ['multi_shard_modify_mode', 'enable_repartition_joins', 'shard_count'], not: ['citus.shard_count'] },
  { sql: 'SET cit|', has: ['citus.multi_shard_modify_mode', 'search_path'] },
  { sql: 'SET citus.multi_shard_modify_mode TO |', has: ['parallel', 'sequential', 'DEFAULT'], not: ['on'] },
  { sql: 'SET LOCAL citus.enable_repartition_joins = |', has: ['on', 'off'] },
  { sql: "SET citus.local_table_join_policy = '|'", has: ['never', 'prefer-local', 'prefer-distributed', 'auto'] },
  { sql: "SET citus.coordinator_aggregation_strategy = |", has: ["'row-gather'", 'disabled'] },
  { sql: "SELECT set_config('citus.|", has: ['citus.shard_count'] },
  { sql: 'RESET citus.|', has: ['shard_count'] },
  { sql: 'SHOW citus.sh|', has: ['shard_count'] },
  // keywords the grammar takes there, and not others
  { sql: 'SELECT tenant_id FROM pages |', has: ['WHERE', 'GROUP BY', 'ORDER BY', 'LIMIT', 'JOIN', 'LEFT JOIN', 'UNION', 'AS'], not: ['SET', 'VALUES', 'BEGIN', 'SELECT', 'THEN', 'NULLS FIRST'] },
  { sql: 'SELECT tenant_id FROM pages ORDER BY 1 |', has: ['ASC', 'DESC', 'NULLS FIRST', 'LIMIT'], not: ['WHERE', 'GROUP BY'] },
  { sql: 'INSERT INTO pages |', has: ['SELECT', 'VALUES', 'DEFAULT VALUES'], not: ['WHERE', 'FROM'] },
  { sql: 'INSERT INTO pages SELECT * FROM page_views |', has: ['ON CONFLICT', 'RETURNING', 'WHERE'], not: ['DEFAULT VALUES'] },
  { sql: 'UPDATE pages |', has: ['SET', 'AS'], not: ['WHERE'] },
  { sql: '|', has: ['SELECT', 'INSERT INTO', 'WITH', 'UPDATE', 'CREATE TABLE', 'BEGIN'], not: ['WHERE', 'FROM'] },
  { sql: 'sel|', has: ['SELECT'], not: ['WHERE'] },
  { sql: 'SELECT count(*) |', has: ['OVER', 'FILTER', 'FROM', 'AS'], not: ['ON CONFLICT'] },
  // nothing where nothing fits
  { sql: '-- SELECT | FROM pages', columns: [], tables: [] },
  { sql: 'SELECT 1;\n/* a note | */\nSELECT 2;', not: ['SELECT'] },
  { sql: 'SELECT 1;\n-- a note |\nSELECT 2;', not: ['SELECT'] },
  { sql: 'SELECT 1;\n-- a note\n|\nSELECT 2;', has: ['SELECT'] },
  { sql: "SELECT 'abc|' FROM pages", columns: [], tables: [] },
  { sql: 'SELECT 12|3', columns: [] },
];

describe('completion (core)', function () {
  let model: SchemaModel;
  before(async () => {
    await loadParser();
    model = analyzeDocument(SCHEMA, new SchemaModel()).model;
  });

  for (const row of ROWS) {
    it(row.sql.replace(/\n/g, '⏎'), () => {
      const offset = row.sql.indexOf('|');
      const text = row.sql.replace('|', '');
      const searchPath = searchPathAt(parseDocument(text), offset);
      const r = completeAt({ text, offset, model, searchPath });
      const of = (kinds: CompletionCandidate['kind'][]): string[] => r.items.filter((i) => kinds.includes(i.kind)).map((i) => i.label).sort();
      const all = r.items.map((i) => i.label);
      if (row.columns) assert.deepEqual(of(['column']), [...row.columns].sort(), 'columns');
      if (row.tables) assert.deepEqual(of(['table', 'view']), [...row.tables].sort(), 'tables');
      for (const h of row.has ?? []) assert.ok(all.includes(h), `offers ${h}: ${all.join(' ')}`);
      for (const n of row.not ?? []) assert.ok(!all.includes(n), `does not offer ${n}`);
      if (row.first) assert.equal([...r.items].sort((a, b) => a.sortText.localeCompare(b.sortText))[0]?.label, row.first);
      assert.ok(r.range.start <= offset && offset <= r.range.end, 'the range holds the cursor');
    });
  }

  it('replaces the word being typed, and only the rest of a string on the cursor line', () => {
    const text = 'SELECT tena FROM pages';
    assert.deepEqual(completeAt({ text, offset: 9, model, searchPath: ['public'] }).range, { start: 7, end: 11 });
    const open = "SELECT create_distributed_table('pa\nSELECT 'x';";
    assert.deepEqual(completeAt({ text: open, offset: 35, model, searchPath: ['public'] }).range, { start: 33, end: 35 });
  });

  it('offers less in a statement of a data dump\'s size (it is not parsed a dozen times per key)', () => {
    const rows = Array.from({ length: 8000 }, (_, i) => `(${i}, ${i}, 'title ${i}')`).join(',\n');
    const text = `INSERT INTO pages (tenant_id, page_id, title) VALUES ${rows}\nRETURNING ;\nSELECT  FROM pages;`;
    const inDump = completeAt({ text, offset: text.indexOf('RETURNING ') + 10, model, searchPath: ['public'] });
    assert.deepEqual(inDump.items.filter((i) => i.kind === 'column'), []);
    const after = completeAt({ text, offset: text.indexOf('SELECT  FROM') + 7, model, searchPath: ['public'] });
    assert.deepEqual(after.items.filter((i) => i.kind === 'column').map((i) => i.label).sort(), ['page_id', 'tenant_id', 'title'], 'the next statement is completed as usual');
  });

  it('marks distribution columns, through subqueries and CTEs too', () => {
    const text = 'WITH c AS (SELECT tenant_id AS t, page_id FROM page_views) SELECT  FROM c';
    const r = completeAt({ text, offset: text.indexOf('  FROM') + 1, model, searchPath: ['public'] });
    assert.match(r.items.find((i) => i.label === 't')?.description ?? '', /distribution column of page_views/);
    assert.doesNotMatch(r.items.find((i) => i.label === 'page_id')?.description ?? '', /distribution/);
  });
});

/**
 * Every column reference of every statement, with its last name removed: what completion offers there, put back in
 * its place, must resolve without a scoping error (unknown, ambiguous or out-of-scope column). Checked on the whole
 * statement, and with the text cut at the cursor (the rest not typed yet) for what the cut text offers.
 */
describe('completion offers only columns in scope (corpus and examples)', function () {
  this.timeout(120000);
  const SCOPE_ERRORS = new Set(['unknown-column', 'ambiguous-column', 'missing-from-entry']);

  before(async () => {
    await loadParser();
  });

  /** PostgreSQL's scoping errors for the column reference that starts at `ref` (its qualifier, if any). */
  function scopingErrorsAt(text: string, ref: number, model: SchemaModel): string[] {
    const parsed = parseDocument(text);
    const stmt = parsed.statements.find((s) => s.start <= ref && ref <= s.end);
    if (!stmt?.ast) return ['does not parse'];
    const { errors } = analyzeSemantics(stmt, model, { searchPath: ['public'] });
    return errors.filter((e) => SCOPE_ERRORS.has(e.rule) && stmt.toDocumentOffset(e.location) === ref).map((e) => e.message);
  }

  function check(statements: string[], model: SchemaModel): { positions: number; offered: number; recalled: number; cutOffered: number } {
    let positions = 0;
    let offered = 0;
    let recalled = 0;
    let cutOffered = 0;
    for (const sql of statements) {
      const parsed = parseDocument(sql);
      for (const stmt of parsed.statements) {
        if (!stmt.ast || stmt.parentIndex !== undefined) continue;
        const { errors } = analyzeSemantics(stmt, model, { searchPath: ['public'] });
        if (errors.length) continue;
        const refs: { ref: number; start: number; name: string }[] = [];
        walk(stmt.ast, (type, f) => {
          if (type !== 'ColumnRef' || f.location === undefined) return;
          const names = nameList(f.fields);
          if (names.length !== f.fields.length) return; // t.*
          const at = stmt.toDocumentOffset(f.location);
          // the last name: after the qualifier's dots
          const dotted = sql.slice(at).match(/^((?:"[^"]*"|[\w$]+)\s*\.\s*)*/)?.[0] ?? '';
          const name = names[names.length - 1];
          if (sql.slice(at + dotted.length, at + dotted.length + name.length) !== name) return;
          refs.push({ ref: at, start: at + dotted.length, name });
        });
        for (const ref of refs.slice(0, 4)) {
          positions++;
          const text = sql.slice(0, ref.start) + sql.slice(ref.start + ref.name.length);
          const columns = completeAt({ text, offset: ref.start, model, searchPath: ['public'] }).items.filter((i) => i.kind === 'column' && i.detail !== 'output column');
          if (columns.some((c) => c.label === ref.name || c.label.endsWith(`.${ref.name}`))) recalled++;
          for (const c of columns) {
            offered++;
            const filled = text.slice(0, ref.start) + (c.insertText ?? c.label) + text.slice(ref.start);
            assert.deepEqual(scopingErrorsAt(filled, ref.ref, model), [], `offered ${c.label} at ${ref.start} in: ${filled}`);
          }
          // the text cut at the cursor: what it offers from the cursor's own level must be in scope in the whole
          // statement (an outer column is in scope in the cut text, but a FROM item typed later may hide it)
          const cut = completeAt({ text: text.slice(0, ref.start), offset: ref.start, model, searchPath: ['public'] }).items.filter((i) => i.kind === 'column' && i.detail !== 'output column' && !i.outer);
          for (const c of cut) {
            cutOffered++;
            const filled = text.slice(0, ref.start) + (c.insertText ?? c.label) + text.slice(ref.start);
            assert.deepEqual(scopingErrorsAt(filled, ref.ref, model), [], `offered ${c.label} on the text cut at ${ref.start} of: ${filled}`);
          }
        }
      }
    }
    return { positions, offered, recalled, cutOffered };
  }

  it('on the recorded Citus corpus', () => {
    const records = loadCorpus();
    const statements = [...records.map((r) => r.sql), ...fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'citus-corpus', 'dml.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { sql: string }).sql)];
    const s = check(statements, corpusModel());
    assert.ok(s.positions > 500, `positions ${s.positions}`);
    assert.ok(s.offered > 2000 && s.cutOffered > 500, JSON.stringify(s));
    assert.ok(s.recalled / s.positions > 0.95, `the column that was there is offered at ${s.recalled}/${s.positions} positions`);
  });

  it('on the examples', () => {
    const dir = path.join(__dirname, '..', '..', 'examples');
    const schema = fs.readFileSync(path.join(dir, 'schema.sql'), 'utf8');
    const model = analyzeDocument(schema, new SchemaModel()).model;
    const statements = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).flatMap((f) => parseDocument(fs.readFileSync(path.join(dir, f), 'utf8')).statements.filter((s) => s.parentIndex === undefined).map((s) => s.text));
    const s = check(statements, model);
    assert.ok(s.positions > 20 && s.offered > 50, JSON.stringify(s));
  });
});

/**
 * Completion, signature help and navigation at random places of broken text: corpus statements truncated, cut
 * and spliced with pieces that open strings, comments, dollar quotes and parentheses. Nothing may throw, and
 * nothing may hang (1 s, re-run once: the machine may be busy; the speed itself is measured by
 * `npm run bench -- completion`, not here).
 */
describe('completion and navigation on broken text', function () {
  this.timeout(120000);
  before(async () => {
    await loadParser();
  });

  it('never throw nor hang at 3,000 random cursors', () => {
    let seed = 19;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const PIECES = ['(', ')', "'", '"', '$$', '$f$', ';', '--', '/*', '\\', ':v', "E'\\", '.', ',', ' => ', "create_distributed_table('", ' SET citus.', ' ON CONFLICT (', 'é', '😀', '\u0000', ' JOIN ', ' LATERAL (SELECT ', ' WITH c AS (', ' EXCLUDED.', ' CASE WHEN '];
    const model = corpusModel();
    const statements = loadCorpus().map((r) => r.sql);
    for (let i = 0; i < 3000; i++) {
      let text = statements[Math.floor(rand() * statements.length)];
      if (rand() < 0.5) text = text.slice(0, Math.floor(rand() * text.length));
      for (let k = Math.floor(rand() * 3); k > 0; k--) {
        const at = Math.floor(rand() * (text.length + 1));
        text = text.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + text.slice(at);
      }
      const offset = Math.floor(rand() * (text.length + 1));
      const run = (): number => {
        const t0 = performance.now();
        completeAt({ text, offset, model, searchPath: ['public'] });
        signatureAt(text, offset);
        const doc = { source: 'fuzz.sql', text, parsed: parseDocument(text) };
        occurrenceAt(doc, model, offset);
        return performance.now() - t0;
      };
      let ms = run();
      if (ms > 1000) ms = run();
      assert.ok(ms <= 1000, `${ms.toFixed(1)} ms at ${offset} of ${JSON.stringify(text)}`);
    }
  });
});
