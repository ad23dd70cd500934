import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadParser } from '../../src/core/parse/libpg';
import { parseDocument } from '../../src/core/parse/document';
import { analyzeDocument } from '../../src/core/analyze';
import { checkIndexes, indexesChecked, SchemaModel } from '../../src/core/schema/model';
import { modelFromSnapshot, snapshotFromModel } from '../../src/core/schema/snapshot';
import { applyDocumentDdl, buildSchema } from '../../src/core/workspace';
import { splitQualifiedName } from '../../src/core/schema/ddl';
import { partitionBoundOf, partitionKeyColumns } from '../../src/db/metadata';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'citus-corpus');
const schemaSql = fs.readFileSync(path.join(CORPUS, 'schema.sql'), 'utf8');
const catalog = JSON.parse(fs.readFileSync(path.join(CORPUS, 'catalog.json'), 'utf8'));

before(async () => {
  await loadParser();
});

function modelOf(sql: string): SchemaModel {
  const m = new SchemaModel();
  applyDocumentDdl(m, { source: 'test.sql', text: sql });
  return m;
}

const key = (schema: string, name: string): string => (schema === 'public' ? name : `${schema}.${name}`);

describe('schema model from DDL', () => {
  it("tells a name PostgreSQL would choose from one another table holds, by passes and then by its index (as it runs outside the tests)", () => {
    // (the suite makes the index answer every question: test/support/indexCheck.ts; here a model asks as it does in
    // use, with passes over its tables and then its index, and a name is added to a table in between)
    const tables = Array.from({ length: 12 }, (_, k) => `CREATE TABLE t${k} (id int PRIMARY KEY, v int);`).join('\n');
    const sql = (drop: string): string => `${tables}\nCREATE UNIQUE INDEX b_v_key ON t0 (v);\nCREATE TABLE x (id int PRIMARY KEY);\nCREATE TABLE b (v int UNIQUE);\nALTER TABLE b DROP CONSTRAINT ${drop};`;
    const undefinedConstraints = (text: string): number => analyzeDocument(text, new SchemaModel()).findings.filter((f) => f.rule === 'undefined-constraint').length;
    const checked = indexesChecked();
    checkIndexes(false);
    try {
      // PostgreSQL names b's key b_v_key1 (checked on PostgreSQL 15): the model does not say which, so neither is refused
      assert.equal(undefinedConstraints(sql('b_v_key1')), 0);
      // and without the index on t0, b_v_key is b's: b_v_key1 is refused
      assert.equal(undefinedConstraints(sql('b_v_key1').replace('CREATE UNIQUE INDEX b_v_key ON t0 (v);\n', '')), 1);
    } finally {
      checkIndexes(checked);
    }
  });

  it('reproduces the colocation groups recorded on the real cluster (catalog.json)', () => {
    const model = modelOf(schemaSql);
    const ours = new Map<number, string[]>();
    for (const t of model.tables.values()) {
      if (t.colocationId === undefined || t.colocationId === 0) continue;
      ours.set(t.colocationId, [...(ours.get(t.colocationId) ?? []), key(t.schema, t.name)].sort());
    }
    const recorded = (catalog.pg_dist_colocation as { relations: string[] }[]).map((g) => [...g.relations].sort()).sort();
    assert.deepEqual([...ours.values()].sort(), recorded);
  });

  it('matches the recorded distribution column, kind and shard count of every Citus table', () => {
    const model = modelOf(schemaSql);
    for (const p of catalog.pg_dist_partition as { schema_name: string; table_name: string; partmethod: string; repmodel: string; distribution_column: string | null; shard_count: number }[]) {
      const t = model.get(p.schema_name, p.table_name);
      assert.ok(t, `${p.table_name} is in the model`);
      const kind = p.partmethod === 'h' ? 'hash' : p.repmodel === 't' ? 'reference' : 'other';
      assert.equal(t.kind, kind, p.table_name);
      assert.equal(t.distributionColumn ?? null, p.distribution_column, p.table_name);
      assert.equal(t.shardCount, p.shard_count, p.table_name);
    }
    for (const local of catalog.local_tables as string[]) assert.equal(model.get('public', local)?.kind, 'local');
  });

  it('reads column types, NOT NULL, defaults and keys', () => {
    const model = modelOf(schemaSql);
    for (const [name, cols] of Object.entries(catalog.columns as Record<string, { name: string; type: string; not_null: boolean; has_default: boolean }[]>)) {
      const [schema, table] = name.includes('.') ? name.split('.') : ['public', name];
      const t = model.get(schema, table);
      assert.ok(t, name);
      assert.deepEqual(
        t.columns.map((c) => [c.name, c.type, c.notNull, c.defaultKind !== 'none']),
        cols.map((c) => [c.name, c.type, c.not_null, c.has_default]),
        name,
      );
    }
    assert.deepEqual(model.get('public', 'daily_rollup')?.primaryKey, ['tenant_id', 'day', 'event_type']);
    assert.ok(model.sequences.has('public.event_seq'));
  });

  it('handles the Citus calls with positional and named arguments', () => {
    const m = modelOf(`
      CREATE TABLE a (id bigserial, tenant_id int, v text, PRIMARY KEY (tenant_id, id));
      CREATE TABLE b (tenant_id int, n int GENERATED ALWAYS AS IDENTITY, t timestamptz DEFAULT clock_timestamp());
      CREATE TABLE c (k text);
      CREATE TABLE d (tenant_id int);
      CREATE TABLE e (x int);
      CREATE TABLE f (x int);
      SELECT create_distributed_table('a', 'tenant_id', 'hash', colocate_with => 'none', shard_count => 4);
      SELECT create_distributed_table(table_name := 'b', distribution_column := 'tenant_id', colocate_with := 'a');
      SELECT create_reference_table('c');
      SELECT create_distributed_table('d', NULL);
      SELECT citus_add_local_table_to_metadata('e');
      SELECT create_distributed_table('f', 'x');
      SELECT undistribute_table('f');
      ALTER TABLE e ADD COLUMN y int DEFAULT nextval('s');
      CREATE UNIQUE INDEX ON c (k);
    `);
    const a = m.get('public', 'a')!;
    const b = m.get('public', 'b')!;
    assert.equal(a.shardCount, 4);
    assert.equal(b.colocationId, a.colocationId);
    assert.equal(b.shardCount, 4);
    assert.equal(a.columns[0].defaultKind, 'sequence');
    assert.equal(b.columns[1].defaultKind, 'identity');
    assert.equal(b.columns[2].defaultKind, 'volatile');
    assert.equal(m.get('public', 'c')?.kind, 'reference');
    assert.deepEqual(m.get('public', 'c')?.uniqueKeys, [['k']]);
    assert.equal(m.get('public', 'd')?.kind, 'single_shard');
    assert.equal(m.get('public', 'e')?.kind, 'citus_local');
    assert.equal(m.get('public', 'e')?.columns[1].defaultKind, 'sequence');
    assert.equal(m.get('public', 'f')?.kind, 'local');
  });

  it('follows SET search_path and set_config for table names', () => {
    const m = modelOf(`
      CREATE SCHEMA app;
      SET search_path TO app, public;
      CREATE TABLE hits (tenant_id int);
      SELECT create_distributed_table('hits', 'tenant_id');
      SELECT set_config('search_path', 'public', false);
      CREATE TABLE other (tenant_id int);
    `);
    assert.equal(m.get('app', 'hits')?.kind, 'hash');
    assert.ok(m.get('public', 'other'));
    assert.equal(m.get('public', 'hits'), undefined);
  });

  it("cuts a table name in a Citus call's text to 63 bytes, as the parser cuts the name in SQL (truncate_identifier)", () => {
    const long = `events_${'x'.repeat(70)}`;
    const accented = `é${'y'.repeat(70)}`;
    const m = modelOf(`
      CREATE TABLE "${long}" (tenant_id int);
      SELECT create_distributed_table('${long}', 'tenant_id');
      CREATE TABLE "${accented}" (tenant_id int);
      SELECT create_reference_table('public."${accented}"');
    `);
    assert.equal(m.get('public', long.slice(0, 63))?.kind, 'hash');
    // é is two bytes: 61 more characters fit
    assert.equal(m.get('public', accented.slice(0, 62))?.kind, 'reference');
    assert.equal(splitQualifiedName(`"${'z'.repeat(70)}".t`)[0].length, 63);
  });

  it('distributes partitions with their parent, and schemas with citus_schema_distribute', () => {
    const m = modelOf(`
      CREATE TABLE p (tenant_id int, at date) PARTITION BY RANGE (at);
      CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      SELECT create_distributed_table('p', 'tenant_id');
      CREATE TABLE p2 PARTITION OF p FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE SCHEMA tenant1;
      CREATE TABLE tenant1.t (a int);
      SELECT citus_schema_distribute('tenant1');
      CREATE TABLE tenant1.u (b int);
    `);
    const p = m.get('public', 'p')!;
    assert.equal(m.get('public', 'p1')?.colocationId, p.colocationId);
    assert.equal(m.get('public', 'p2')?.kind, 'hash');
    assert.equal(m.get('public', 'p2')?.colocationId, p.colocationId);
    assert.equal(m.get('tenant1', 't')?.kind, 'single_shard');
    assert.equal(m.get('tenant1', 'u')?.colocationId, m.get('tenant1', 't')?.colocationId);
  });

  it('copies columns for CREATE TABLE (LIKE ...) as PostgreSQL does: defaults and keys only when included', () => {
    const model = modelOf(`
      CREATE TABLE src (id bigserial, tenant_id bigint NOT NULL, n int GENERATED ALWAYS AS IDENTITY, PRIMARY KEY (tenant_id, id));
      CREATE TABLE plain (LIKE src);
      CREATE TABLE full_copy (LIKE src INCLUDING ALL, extra text);
      CREATE TABLE no_defaults (LIKE src INCLUDING ALL EXCLUDING DEFAULTS);
      CREATE TABLE unknown_src (LIKE nowhere, a int);`);
    const cols = (name: string) => model.get('public', name)?.columns.map((c) => [c.name, c.type, c.notNull, c.defaultKind]);
    assert.deepEqual(cols('plain'), [
      ['id', 'bigint', true, 'none'],
      ['tenant_id', 'bigint', true, 'none'],
      ['n', 'integer', true, 'none'],
    ]);
    assert.equal(model.get('public', 'plain')?.primaryKey, undefined);
    assert.deepEqual(cols('full_copy'), [
      ['id', 'bigint', true, 'sequence'],
      ['tenant_id', 'bigint', true, 'none'],
      ['n', 'integer', true, 'identity'],
      ['extra', 'text', false, 'none'],
    ]);
    assert.deepEqual(model.get('public', 'full_copy')?.primaryKey, ['tenant_id', 'id']);
    assert.deepEqual(cols('no_defaults')?.map((c) => c[3]), ['none', 'none', 'identity']);
    assert.deepEqual(cols('unknown_src'), [['a', 'integer', false, 'none']]);
  });

  it('types the columns of CREATE TABLE AS and views from the tables they select, so colocation follows', () => {
    const model = modelOf(`
      CREATE TABLE events (tenant_id bigint, at timestamptz, kind text);
      SELECT create_distributed_table('events', 'tenant_id');
      CREATE TABLE copy AS SELECT * FROM events WITH NO DATA;
      SELECT create_distributed_table('copy', 'tenant_id');
      CREATE TABLE picked (tid, day) AS SELECT e.tenant_id, e.at::date, count(*), k.* FROM events e JOIN (SELECT 1 AS one) k ON true;
      CREATE VIEW v AS SELECT e.*, 1 AS one FROM events e;`);
    const cols = (name: string) => model.get('public', name)?.columns.map((c) => `${c.name} ${c.type}`);
    assert.deepEqual(cols('copy'), ['tenant_id bigint', 'at timestamp with time zone', 'kind text']);
    assert.equal(model.get('public', 'copy')?.colocationId, model.get('public', 'events')?.colocationId, 'colocated by default: same type and shard count');
    // typed as PostgreSQL types them: count(*) is bigint, a subquery's `k.*` expands to its columns
    assert.deepEqual(cols('picked'), ['tid bigint', 'day date', 'count bigint', 'one integer']);
    assert.deepEqual(cols('v'), ['tenant_id bigint', 'at timestamp with time zone', 'kind text', 'one integer']);
  });

  it('follows renames, SET SCHEMA, column type changes and identity changes', () => {
    const model = modelOf(`
      CREATE SCHEMA archive;
      CREATE TABLE events (tid int, at timestamptz, n int, PRIMARY KEY (tid, at)) PARTITION BY RANGE (at);
      CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      SELECT create_distributed_table('events', 'tid');
      ALTER TABLE events RENAME COLUMN tid TO tenant_id;
      ALTER TABLE events RENAME TO page_events;
      ALTER TABLE page_events ALTER COLUMN n TYPE bigint, ALTER COLUMN tenant_id TYPE bigint;
      CREATE TABLE old_rollup (id int);
      ALTER TABLE old_rollup ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
      ALTER TABLE old_rollup SET SCHEMA archive;`);
    assert.equal(model.get('public', 'events'), undefined);
    const t = model.get('public', 'page_events');
    assert.equal(t?.distributionColumn, 'tenant_id');
    assert.deepEqual(t?.primaryKey, ['tenant_id', 'at']);
    assert.deepEqual(
      t?.columns.map((c) => `${c.name} ${c.type}`),
      ['tenant_id integer', 'at timestamp with time zone', 'n integer'],
      'Citus refuses the statement whole (it changes the distribution column): n keeps its type too',
    );
    const part = model.get('public', 'events_2026');
    assert.equal(part?.partitionParent, 'public.page_events');
    assert.equal(part?.distributionColumn, 'tenant_id');
    assert.equal(model.get('public', 'old_rollup'), undefined);
    assert.equal(model.get('archive', 'old_rollup')?.columns[0].defaultKind, 'identity');
  });

  it("creates CREATE SCHEMA's elements in the new schema, and moves a schema's tables with ALTER SCHEMA ... RENAME", () => {
    // Citus' schemas_create.sql and multi_schema_support.sql (checked on Citus 13.2.2: 2 tasks, 32 tasks, 3 tasks)
    const model = modelOf(`
      CREATE SCHEMA s3 CREATE TABLE t (a int PRIMARY KEY) CREATE VIEW v AS SELECT a FROM t CREATE SEQUENCE q;
      SELECT create_distributed_table('s3.t', 'a');
      CREATE SCHEMA AUTHORIZATION joe CREATE TABLE owned (x int);
      CREATE SCHEMA foo;
      CREATE TABLE foo.test (x int, y int) PARTITION BY RANGE (y);
      CREATE TABLE public.test_1 PARTITION OF foo.test FOR VALUES FROM (0) TO (10);
      CREATE SEQUENCE foo.ids;
      SELECT create_distributed_table('foo.test', 'x');
      ALTER SCHEMA foo RENAME TO bar;`);
    assert.equal(model.get('s3', 't')?.kind, 'hash');
    assert.equal(model.get('public', 't'), undefined);
    assert.equal(model.get('s3', 'v')?.kind, 'view');
    assert.ok(model.sequences.has('s3.q'));
    assert.ok(model.get('joe', 'owned'));
    assert.equal(model.get('foo', 'test'), undefined);
    assert.equal(model.get('bar', 'test')?.distributionColumn, 'x');
    assert.equal(model.get('public', 'test_1')?.partitionParent, 'bar.test');
    assert.ok(model.sequences.has('bar.ids') && !model.sequences.has('foo.ids'));
    assert.ok(model.schemas.has('bar') && !model.schemas.has('foo'));
  });

  it('builds a workspace model from other files in path order', () => {
    const docs = [
      { source: 'b.sql', text: "SELECT create_distributed_table('t', 'id');" },
      { source: 'a.sql', text: 'CREATE TABLE t (id int);' },
      { source: 'c.sql', text: 'INSERT INTO t SELECT * FROM t;' },
    ];
    const m = buildSchema(new SchemaModel(), docs, 'c.sql');
    assert.equal(m.get('public', 't')?.kind, 'hash');
  });

  it('round-trips through the snapshot format and rejects malformed snapshots', () => {
    const model = modelOf(schemaSql);
    const snap = JSON.parse(JSON.stringify(snapshotFromModel(model)));
    const loaded = modelFromSnapshot(snap);
    assert.ok(loaded.ok);
    assert.deepEqual(snapshotFromModel(loaded.model), snapshotFromModel(model));
    assert.equal(modelFromSnapshot({ format: 'x' }).ok, false);
    assert.match((modelFromSnapshot({ format: 'citus-rollups-snapshot', version: 99, tables: [] }) as { error: string }).error, /unsupported version 99/);
    assert.equal(modelFromSnapshot({ format: 'citus-rollups-snapshot', version: 1, tables: [{}] }).ok, false);
  });

  it('follows table access methods through DDL, Citus calls and the snapshot', () => {
    const model = modelOf(`
      CREATE TABLE c (a int) USING columnar;
      CREATE TABLE h (a int);
      ALTER TABLE h SET ACCESS METHOD columnar;
      ALTER TABLE c SET ACCESS METHOD heap;
      CREATE TABLE ev (tenant_id int, ts timestamptz) PARTITION BY RANGE (ts);
      CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM ('2020-01-01') TO ('2020-02-01');
      CREATE TABLE ev_2 PARTITION OF ev FOR VALUES FROM ('2020-02-01') TO ('2020-03-01');
      CREATE TABLE ev_3 PARTITION OF ev FOR VALUES FROM ('2020-03-01') TO ('2020-04-01') USING COLUMNAR;
      CALL alter_old_partitions_set_access_method('ev', '2020-03-01', 'columnar');
      SELECT alter_table_set_access_method('ev_3', 'heap');
    `);
    const am = (name: string): string | undefined => model.resolve(undefined, name, ['public'])?.accessMethod;
    assert.deepEqual(['c', 'h', 'ev_1', 'ev_2', 'ev_3'].map(am), [undefined, 'columnar', 'columnar', 'columnar', undefined]);
    const loaded = modelFromSnapshot(JSON.parse(JSON.stringify(snapshotFromModel(model))));
    assert.ok(loaded.ok);
    assert.equal(loaded.model.resolve(undefined, 'ev_2', ['public'])?.accessMethod, 'columnar');
    assert.deepEqual(loaded.model.resolve(undefined, 'ev', ['public'])?.partitionKey, ['ts']);
  });

  it('follows foreign keys through renames, drops and the snapshot', () => {
    const model = modelOf(`
      CREATE TABLE tenants (tenant_id int PRIMARY KEY);
      SELECT create_reference_table('tenants');
      CREATE TABLE events (tenant_id int REFERENCES tenants (tenant_id), v int);
      CREATE TABLE other (tenant_id int, v int, CONSTRAINT other_fk FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id));
      CREATE TABLE gone (id int PRIMARY KEY);
      CREATE TABLE refs_gone (id int REFERENCES gone (id));
      ALTER TABLE tenants RENAME TO customers;
      ALTER TABLE other DROP CONSTRAINT other_fk;
      CREATE TABLE other2 (tenant_id int REFERENCES customers (tenant_id), v int);
      ALTER TABLE other2 ADD CHECK (v > 0);
      ALTER TABLE other2 DROP CONSTRAINT maybe_its_name;
      CREATE TABLE other3 (tenant_id int REFERENCES customers (tenant_id));
      ALTER TABLE other3 DROP CONSTRAINT not_its_name;
      DROP TABLE gone CASCADE;
      CREATE TABLE gone (id int PRIMARY KEY);
    `);
    const t = (name: string) => model.resolve(undefined, name, ['public']);
    assert.deepEqual(t('events')?.foreignKeysTo, ['public.customers'], 'the key follows the referenced table');
    assert.deepEqual([t('other')?.foreignKeysTo, t('other')?.foreignKeys, t('other')?.foreignKeysUncertain], [[], [], undefined], 'a dropped constraint the model named');
    assert.equal(t('events')?.foreignKeys?.[0]?.to, 'public.customers', 'a sure key follows the referenced table');
    assert.deepEqual([t('other2')?.foreignKeysUncertain, t('other2')?.foreignKeys], [true, undefined], 'a dropped constraint the model cannot name');
    // (other3's constraint names are all known: PostgreSQL refuses to drop one it does not have, and the key stays)
    assert.deepEqual([t('other3')?.foreignKeysUncertain, t('other3')?.foreignKeys?.length], [undefined, 1], 'a constraint the table surely has not');
    assert.deepEqual(t('refs_gone')?.foreignKeysTo, [], 'DROP .. CASCADE took the key; the new table has none');
    const loaded = modelFromSnapshot(JSON.parse(JSON.stringify(snapshotFromModel(model))));
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.model.resolve(undefined, 'events', ['public'])?.foreignKeysTo, ['public.customers']);
    assert.equal(loaded.model.resolve(undefined, 'other', ['public'])?.foreignKeysTo, undefined, 'keys the model cannot vouch for stay out of the snapshot');
  });

  it('keeps the lengths of character varying(n) and character(n) columns through DDL, the snapshot and format_type', () => {
    const model = modelOf(`
      CREATE DOMAIN code3 AS varchar(3);
      CREATE TABLE l (a varchar(3), b char(2), c char, d varchar, e text, f code3, g varchar(3)[]);
      ALTER TABLE l ALTER COLUMN e TYPE character(4);
    `);
    const cols = (m: SchemaModel) => m.resolve(undefined, 'l', ['public'])!.columns.map((c) => [c.name, c.length ?? null, !!c.fixedLength]);
    const want = [['a', 3, false], ['b', 2, true], ['c', 1, true], ['d', null, false], ['e', 4, true], ['f', 3, false], ['g', null, false]];
    assert.deepEqual(cols(model), want);
    const snap = snapshotFromModel(model);
    assert.deepEqual(snap.tables.find((t) => t.name === 'l')!.columns.map((c) => c.type), ['character varying(3)', 'character(2)', 'character(1)', 'character varying', 'character(4)', 'code3', 'character varying[]']);
    const loaded = modelFromSnapshot(JSON.parse(JSON.stringify(snap)));
    assert.ok(loaded.ok);
    // (a domain's length is not in a snapshot: its column's type is the domain's name)
    assert.deepEqual(cols(loaded.model), want.map((w) => (w[0] === 'f' ? ['f', null, false] : w)));
    // numeric(p, s): precision and scale, the same way
    const n = modelOf('CREATE TABLE n (a numeric(5,2), b numeric(3), c numeric, d numeric(4)[]);');
    const nums = (m: SchemaModel) => m.resolve(undefined, 'n', ['public'])!.columns.map((c) => [c.numericPrecision ?? null, c.numericScale ?? null]);
    assert.deepEqual(nums(n), [[5, 2], [3, 0], [null, null], [null, null]]);
    const nLoaded = modelFromSnapshot(JSON.parse(JSON.stringify(snapshotFromModel(n))));
    assert.ok(nLoaded.ok);
    assert.deepEqual(nums(nLoaded.model), nums(n));
  });

  it('follows enum types: labels added and renamed, types dropped, renamed or moved forgotten', () => {
    const model = modelOf(`
      CREATE SCHEMA ops;
      CREATE TYPE st AS ENUM ('new', 'done');
      ALTER TYPE st ADD VALUE 'closed' BEFORE 'done';
      ALTER TYPE st ADD VALUE IF NOT EXISTS 'new';
      ALTER TYPE st ADD VALUE 'x' AFTER 'missing';
      ALTER TYPE st RENAME VALUE 'new' TO 'open';
      CREATE TYPE ops.kind AS ENUM ('a');
      CREATE TABLE t (a st, b ops.kind, c text);
      CREATE TYPE gone AS ENUM ('a');
      DROP TYPE gone;
      CREATE TYPE moved AS ENUM ('a');
      ALTER TYPE moved SET SCHEMA ops;
      CREATE TYPE renamed AS ENUM ('a');
      ALTER TYPE renamed RENAME TO renamed2;
    `);
    assert.deepEqual(model.enums.get('public.st'), ['open', 'done', 'closed']);
    assert.deepEqual([...model.enums.keys()].sort(), ['ops.kind', 'public.st']);
    assert.deepEqual(model.resolve(undefined, 't', ['public'])!.columns.map((c) => c.enumType ?? null), ['public.st', 'ops.kind', null]);
    const loaded = modelFromSnapshot(JSON.parse(JSON.stringify(snapshotFromModel(model))));
    assert.ok(loaded.ok);
    assert.deepEqual([...loaded.model.enums], [...model.enums].sort(([a], [b]) => a.localeCompare(b)));
    assert.deepEqual(loaded.model.resolve(undefined, 't', ['public'])!.columns.map((c) => c.enumType ?? null), ['public.st', 'ops.kind', null]);
  });

  it('reads the partition key columns pg_get_partkeydef prints, and no expression', () => {
    assert.deepEqual(partitionKeyColumns('RANGE (ts)'), ['ts']);
    assert.deepEqual(partitionKeyColumns('LIST (region, "Kind")'), ['region', 'Kind']);
    assert.equal(partitionKeyColumns('RANGE (((ts)::date))'), undefined);
    assert.equal(partitionKeyColumns(null), undefined);
  });

  it('reads the partition bounds pg_get_expr prints, keeps them in snapshots, and leaves out hash bounds', () => {
    assert.deepEqual(partitionBoundOf("FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00')"), { kind: 'range', from: ['2024-01-01 00:00:00+00'], to: ['2025-01-01 00:00:00+00'] });
    assert.deepEqual(partitionBoundOf('FOR VALUES FROM (MINVALUE) TO (10)'), { kind: 'range', from: [null], to: ['10'] });
    assert.deepEqual(partitionBoundOf("FOR VALUES FROM ('2024-01-01'::date, 5) TO ('2025-01-01'::date, 10)"), { kind: 'range', from: ['2024-01-01', '5'], to: ['2025-01-01', '10'] });
    assert.deepEqual(partitionBoundOf("FOR VALUES IN ('a', 'it''s', NULL)"), { kind: 'list', values: ['a', "it's"] });
    assert.deepEqual(partitionBoundOf('DEFAULT'), { kind: 'default' });
    assert.equal(partitionBoundOf('FOR VALUES WITH (modulus 4, remainder 0)'), undefined);
    assert.equal(partitionBoundOf("FOR VALUES IN ('a' 'b')"), undefined);
    // a snapshot keeps a partition's bound, and an INSERT outside it is refused as with the workspace DDL
    const model = new SchemaModel();
    applyDocumentDdl(model, { source: 's.sql', text: "CREATE TABLE ev (tenant_id int, ts timestamptz) PARTITION BY RANGE (ts); CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01'); SELECT create_distributed_table('ev', 'tenant_id');" });
    const loaded = modelFromSnapshot(JSON.parse(JSON.stringify(snapshotFromModel(model))));
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.model.resolve(undefined, 'ev_2024', ['public'])?.partitionBound, { kind: 'range', from: ['2024-01-01'], to: ['2025-01-01'] });
    const a = analyzeDocument("INSERT INTO ev_2024 VALUES (1, '2025-05-01');", loaded.model);
    assert.equal(a.statements[0].outcome, 'error');
    assert.match(a.statements[0].prediction.reasons[0], /violates partition constraint/);
  });
});

describe('the corpus parses', () => {
  it('parses every statement of statements.jsonl, dml.jsonl and schema.sql', () => {
    const lines = [
      ...fs.readFileSync(path.join(CORPUS, 'statements.jsonl'), 'utf8').split('\n'),
      ...fs.readFileSync(path.join(CORPUS, 'dml.jsonl'), 'utf8').split('\n'),
    ].filter((l) => l.trim());
    let count = 0;
    for (const line of lines) {
      const r = JSON.parse(line) as { id: string; sql: string; category: string };
      const doc = parseDocument(r.sql);
      assert.ok(doc.statements.length >= 1, r.id);
      for (const s of doc.statements) assert.equal(s.error, undefined, `${r.id}: ${s.error?.message}`);
      count++;
    }
    const schema = parseDocument(schemaSql);
    assert.ok(schema.statements.length > 40);
    for (const s of schema.statements) assert.equal(s.error, undefined);
    assert.equal(count, lines.length);
  });
});
