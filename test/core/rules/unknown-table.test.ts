import { strict as assert } from 'node:assert';
import { loadParser } from '../../../src/core/parse/libpg';
import { at } from './at';
import { analyze, applyEdits, CORPUS_SCHEMA, ruleTests } from './harness';
import { analyzeDocument } from '../../../src/core/analyze';
import { SchemaModel } from '../../../src/core/schema/model';
import { applyDocumentDdl } from '../../../src/core/workspace';

const SOURCE = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM no_such_table GROUP BY tenant_id';
const TARGET = 'INSERT INTO no_such_rollup (tenant_id, n) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id';
const TWO = `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT e.tenant_id, count(*)
FROM events e
JOIN missing_a a ON a.tenant_id = e.tenant_id
JOIN missing_b b ON b.tenant_id = e.tenant_id
GROUP BY e.tenant_id`;
const QUALIFIED = 'INSERT INTO analytics.no_table (tenant_id) SELECT tenant_id FROM events';
const CALL_TYPO = "SELECT create_distributed_table('evnts', 'tenant_id');";
const IN_SUBQUERY = 'INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events WHERE tenant_id IN (SELECT tenant_id FROM unknown_tenants)';

ruleTests('unknown-table', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // catalogs: PostgreSQL's and Citus' (pg_catalog first on the search path), local on the coordinator
    { sql: "SELECT logicalrelid, partmethod FROM pg_dist_partition WHERE logicalrelid = 'events'::regclass", outcome: 'local' },
    { sql: 'SELECT table_name, citus_table_type FROM citus_tables', outcome: 'local' },
    { sql: 'SELECT count(*) FROM information_schema.columns', outcome: 'local' },
    { sql: "SELECT partition FROM time_partitions WHERE parent_table = 'events'::regclass", outcome: 'local' },
    { sql: 'INSERT INTO analytics.tenant_daily (tenant_id, day, cnt) SELECT tenant_id, created_at::date, count(*) FROM public.events GROUP BY 1, 2', method: 'pushdown' },
    // a table created (and distributed) earlier in the same file is known
    {
      sql: `CREATE TABLE hourly_rollup (tenant_id int PRIMARY KEY, n bigint);
SELECT create_distributed_table('hourly_rollup', 'tenant_id', colocate_with => 'events');
INSERT INTO hourly_rollup SELECT tenant_id, count(*) FROM events GROUP BY tenant_id`,
      method: 'pushdown',
    },
    // a CTE name is not a table
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) WITH c AS (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) SELECT tenant_id, n FROM c', method: 'pushdown' },
  ],
  invalid: [
    { sql: SOURCE, method: 'not_applicable', findings: [at(SOURCE, 'no_such_table')] },
    { sql: TARGET, method: 'not_applicable', findings: [at(TARGET, 'no_such_rollup')] },
    { sql: TWO, method: 'not_applicable', findings: [at(TWO, 'missing_a'), at(TWO, 'missing_b')] },
    { sql: QUALIFIED, method: 'not_applicable', findings: [at(QUALIFIED, 'analytics.no_table')] },
    { sql: IN_SUBQUERY, method: 'not_applicable', findings: [at(IN_SUBQUERY, 'unknown_tenants')] },
    // a Citus call's misspelt table: the fix writes the known name
    { sql: CALL_TYPO, findings: [at(CALL_TYPO, 'create_distributed_table')], output: CALL_TYPO.replace("'evnts'", "'events'"), fixRemovesFinding: true },
  ],
});

describe('unknown-table: a relation the file dropped or renamed away (checked on PostgreSQL 15 and Citus 13.2.2)', () => {
  const severityOf = (sql: string, schema?: string): string[] =>
    analyze(sql, schema).findings.filter((f) => f.rule === 'unknown-table').map((f) => `${f.severity}: ${f.citus?.message ?? f.message}`);
  before(async () => {
    await loadParser();
  });

  it("is PostgreSQL's error once the file surely dropped or renamed it", () => {
    assert.deepEqual(severityOf('CREATE TABLE g1 (a int);\nDROP TABLE g1;\nINSERT INTO g1 VALUES (1);'), ['error: relation "g1" does not exist']);
    assert.deepEqual(severityOf('CREATE TABLE g2 (a int);\nALTER TABLE g2 RENAME TO g3;\nSELECT * FROM g2;\nSELECT * FROM g3;'), ['error: relation "g2" does not exist']);
    assert.deepEqual(severityOf('CREATE SCHEMA s1;\nCREATE TABLE s1.g4 (a int);\nALTER TABLE s1.g4 SET SCHEMA public;\nSELECT * FROM s1.g4;'), ['error: relation "s1.g4" does not exist']);
  });

  it('stays a warning where the DROP may not have happened or the name may be taken again', () => {
    const warned = (sql: string, schema?: string) => severityOf(sql, schema).every((s) => s.startsWith('warning'));
    // created again; rolled back; a temporary table (it may hide a table of its name); a foreign key may refuse the DROP
    assert.deepEqual(severityOf('CREATE TABLE g1 (a int);\nDROP TABLE g1;\nCREATE TABLE g1 (b int);\nSELECT b FROM g1;'), []);
    assert.deepEqual(severityOf('CREATE TABLE g1 (a int);\nBEGIN;\nDROP TABLE g1;\nROLLBACK;\nSELECT a FROM g1;'), []);
    assert.ok(warned('CREATE TEMP TABLE g1 (a int);\nDROP TABLE g1;\nSELECT * FROM g1;'));
    assert.ok(warned('CREATE TABLE g4 (a int PRIMARY KEY);\nCREATE TABLE g5 (a int REFERENCES g4);\nDROP TABLE g4;\nSELECT * FROM g4;'));
    // a DO block or function that creates tables may create it again
    assert.ok(warned("CREATE TABLE g1 (a int);\nDROP TABLE g1;\nDO $$ BEGIN EXECUTE 'CREATE TABLE g1 (a int)'; END $$;\nSELECT * FROM g1;"));
    // so may an extension's script (PostgreSQL's test_extensions.sql: a view dropped, then created by the extension),
    // IMPORT FOREIGN SCHEMA, and a procedure
    assert.ok(warned('CREATE VIEW g7 AS SELECT 1 AS a;\nDROP VIEW g7;\nCREATE EXTENSION test_ext_cor;\nSELECT * FROM g7;'));
    assert.ok(warned('CREATE TABLE g1 (a int);\nDROP TABLE g1;\nIMPORT FOREIGN SCHEMA remote FROM SERVER srv INTO public;\nSELECT * FROM g1;'));
    assert.ok(warned('CREATE TABLE g1 (a int);\nDROP TABLE g1;\nCALL make_tables();\nSELECT * FROM g1;'));
    // an unqualified name another schema of the search path may hold (Citus' ch_bench_subquery_repartition.sql falls
    // back to public's tables so); with that schema alone on the path, it is gone
    assert.ok(warned('CREATE SCHEMA s2;\nSET search_path = s2, public;\nCREATE TABLE g8 (a int);\nDROP TABLE s2.g8;\nSELECT * FROM g8;'));
    assert.deepEqual(severityOf('CREATE SCHEMA s2;\nSET search_path = s2;\nCREATE TABLE g8 (a int);\nDROP TABLE s2.g8;\nSELECT * FROM g8;'), ['error: relation "g8" does not exist']);
    // a DROP after psql's `\c` as another role, who may not own the table (Citus' multi_alter_table_statements.sql)
    assert.ok(warned('CREATE TABLE g9 (a int);\n\\c - other_role - :master_port\nDROP TABLE g9;\nSELECT * FROM g9;'));
    assert.deepEqual(severityOf('CREATE TABLE g9 (a int);\n\\c - - - :master_port\nDROP TABLE g9;\nSELECT * FROM g9;'), ['error: relation "g9" does not exist']);
    // a DROP before psql's `\c` to another database (or host, or port): the table may exist there
    assert.ok(warned('CREATE TABLE g9 (a int);\nDROP TABLE g9;\n\\c otherdb\nSELECT * FROM g9;'));
    assert.ok(warned('CREATE TABLE g9 (a int);\nDROP TABLE g9;\n\\c - - - :worker_1_port\nSELECT * FROM g9;'));
    assert.deepEqual(severityOf('CREATE TABLE g9 (a int);\nDROP TABLE g9;\n\\c - other_role\nSELECT * FROM g9;'), ['error: relation "g9" does not exist']);
    // and a table the file created before it is in the database it left: another of that name is not vouched for
    const errors = (sql: string) => analyze(sql, '').findings.filter((f) => f.severity === 'error').map((f) => f.rule);
    assert.deepEqual(errors('CREATE TABLE g10 (a int);\n\\c otherdb\nSELECT zz FROM g10;\nINSERT INTO g10 (zz) VALUES (1);'), []);
    assert.deepEqual(errors('CREATE TABLE g10 (a int);\n\\c - - - :master_port\nSELECT zz FROM g10;'), ['unknown-column']);
    // another file's DROP: the files have no order, this one may run first
    assert.ok(warned('SELECT * FROM g6;', 'CREATE TABLE g6 (a int);\nDROP TABLE g6;'));
  });
});

describe('unknown-table: the table of a Citus call (create_distributed_table, ...) the model does not know (checked on Citus 13.2.2)', () => {
  const found = (sql: string): string[] => analyze(sql).findings.filter((f) => f.rule === 'unknown-table').map((f) => `${f.severity}: ${f.message}`);
  before(async () => {
    await loadParser();
  });

  it('warns of a near miss of a known table, naming it (PostgreSQL: relation "evnts" does not exist)', () => {
    const [one] = found("SELECT create_distributed_table('evnts', 'tenant_id');");
    assert.match(one, /^warning: Unknown table "evnts".*Perhaps you meant the table "events"\..*relation "evnts" does not exist/);
    assert.match(found("SELECT create_reference_table('public.ref_tenant');")[0], /Unknown table "public\.ref_tenant".*"ref_tenants"/);
    assert.match(found("SELECT undistribute_table(table_name => 'daily_rolup');")[0], /"daily_rollup"/);
    assert.match(found("SELECT citus_add_local_table_to_metadata('local_confg');")[0], /"local_config"/);
  });

  it('offers to change the literal to the known name, keeping its schema (not a quoted one)', () => {
    const fixed = (sql: string): string | undefined => {
      const f = analyze(sql).findings.find((x) => x.rule === 'unknown-table');
      return f?.fix ? applyEdits(sql, f.fix.edits) : undefined;
    };
    assert.equal(fixed("SELECT create_distributed_table('evnts', 'tenant_id');"), "SELECT create_distributed_table('events', 'tenant_id');");
    assert.equal(fixed("SELECT create_reference_table(table_name => 'public.ref_tenant');"), "SELECT create_reference_table(table_name => 'public.ref_tenants');");
    assert.equal(fixed("SELECT create_distributed_table('\"Evnts\"', 'tenant_id');"), undefined);
    // the fixed call is followed: events becomes no unknown table
    assert.deepEqual(found(fixed("SELECT create_distributed_table('evnts', 'tenant_id');")!), []);
  });

  it('says nothing of a known table, a catalog, an OID, or a name close to no known table (a foreign table or an index the model does not follow)', () => {
    assert.deepEqual(found("SELECT create_distributed_table('events', 'tenant_id');"), []);
    assert.deepEqual(found("SELECT create_distributed_table('\"events\"', 'tenant_id');"), []);
    assert.deepEqual(found("SELECT create_reference_table('pg_dist_node');"), []);
    assert.deepEqual(found("SELECT create_distributed_table_concurrently(0, 'key');"), []);
    assert.deepEqual(found("CREATE SERVER fs FOREIGN DATA WRAPPER postgres_fdw;\nCREATE FOREIGN TABLE remote_orders (id int) SERVER fs;\nSELECT citus_add_local_table_to_metadata('remote_orders');"), []);
    assert.deepEqual(found("SELECT create_distributed_table('users_pkey_index', 'tenant_id');"), []);
    // a sequence of that name exists: no unknown relation (Citus refuses the call for another reason)
    assert.deepEqual(found("CREATE SEQUENCE eventz;\nSELECT create_distributed_table('eventz', 'tenant_id');"), []);
    // a table created earlier in the file
    assert.deepEqual(found("CREATE TABLE evnts (tenant_id int);\nSELECT create_distributed_table('evnts', 'tenant_id');"), []);
  });

  it("is PostgreSQL's error, whatever the name, when the model is the whole database (a snapshot, a cluster)", () => {
    const model = new SchemaModel();
    applyDocumentDdl(model, { source: 'schema.sql', text: CORPUS_SCHEMA });
    model.complete = true;
    const refused = analyzeDocument("SELECT create_distributed_table('orders_v2', 'tenant_id');", model, { source: 'a.sql' }).findings.filter((f) => f.rule === 'distribution-call-refused');
    assert.deepEqual(refused.map((f) => `${f.severity}: ${f.citus?.message}`), ['error: relation "orders_v2" does not exist']);
  });
});
