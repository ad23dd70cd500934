/**
 * Live Citus tests: run only when CITUS_TEST_URL points at a coordinator loaded with the corpus schema and data
 * (test/fixtures/citus-corpus/schema.sql and data.sql). Skipped, visibly, otherwise: Citus is not available
 * from npm or Debian, so CI cannot start one.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analyze';
import { parseDocument } from '../../src/core/parse/document';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { modelFromSnapshot } from '../../src/core/schema/snapshot';
import { connect, resolveConnection, type Session } from '../../src/db/connection';
import { explainStatement, prepareSql } from '../../src/db/explain';
import { readMetadata } from '../../src/db/metadata';
import { KNOWN_SETTING_NAMES, settingStatus } from '../../src/core/planner/dml-settings';
import { FOREIGN_KEY_CASES } from '../core/rules/foreign-key-refused.test';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'citus-corpus');
const URL_ENV = process.env.CITUS_TEST_URL;

interface CatalogPartition {
  relation: string;
  partmethod: string;
  repmodel: string;
  colocationid: number;
  distribution_column: string | null;
  shard_count: number;
}

describe('live Citus cluster (CITUS_TEST_URL)', function () {
  let session: Session;

  before(async function () {
    if (!URL_ENV) {
      console.log('      SKIPPED: set CITUS_TEST_URL=postgres://user@coordinator:port/db (loaded with the corpus schema.sql and data.sql) to run the live Citus tests');
      this.skip();
    }
    this.timeout(60000);
    await loadParser();
    session = await connect(await resolveConnection({ uri: URL_ENV }));
    assert.ok(session.citusVersion, 'CITUS_TEST_URL must point at a database with the citus extension');
  });

  after(async () => {
    await session?.close();
  });

  async function tableCounts(): Promise<Record<string, string>> {
    const md = await readMetadata(session);
    const out: Record<string, string> = {};
    for (const t of md.snapshot.tables.filter((x) => x.kind !== 'view' && x.kind !== 'matview' && !x.partitionParent)) {
      const q = `${quote(t.schema)}.${quote(t.name)}`;
      out[q] = String((await session.client.query(`SELECT count(*) AS n FROM ${q}`)).rows[0].n);
    }
    for (const s of md.snapshot.sequences ?? []) {
      const [schema, name] = s.split('.');
      out[`seq ${s}`] = String((await session.client.query(`SELECT last_value || '/' || is_called AS v FROM ${quote(schema)}.${quote(name)}`)).rows[0].v);
    }
    return out;
  }

  it('imports the same distribution metadata as the corpus catalog', async function () {
    this.timeout(60000);
    const catalog = JSON.parse(fs.readFileSync(path.join(CORPUS, 'catalog.json'), 'utf8')) as { pg_dist_partition: CatalogPartition[] };
    const md = await readMetadata(session);
    const byName = new Map(md.snapshot.tables.map((t) => [t.schema === 'public' ? t.name : `${t.schema}.${t.name}`, t]));
    const kindOf = (p: CatalogPartition): string =>
      p.partmethod === 'h' ? 'hash' : p.partmethod === 'r' ? 'range' : p.partmethod === 'a' ? 'append' : p.repmodel === 't' ? 'reference' : p.colocationid === 0 ? 'citus_local' : 'single_shard';
    const problems: string[] = [];
    for (const p of catalog.pg_dist_partition) {
      const t = byName.get(p.relation);
      if (!t) {
        problems.push(`${p.relation} missing`);
        continue;
      }
      if (t.kind !== kindOf(p)) problems.push(`${p.relation}: kind ${t.kind} != ${kindOf(p)}`);
      if ((t.distributionColumn ?? null) !== (p.distribution_column ?? null)) problems.push(`${p.relation}: column ${t.distributionColumn} != ${p.distribution_column}`);
      if (t.shardCount !== p.shard_count) problems.push(`${p.relation}: shards ${t.shardCount} != ${p.shard_count}`);
    }
    // colocation: the same tables share a group (ids may differ between clusters)
    for (const a of catalog.pg_dist_partition) {
      for (const b of catalog.pg_dist_partition) {
        if (a.relation >= b.relation || !a.colocationid || !b.colocationid) continue;
        const same = a.colocationid === b.colocationid;
        const ta = byName.get(a.relation);
        const tb = byName.get(b.relation);
        if (ta && tb && same !== (!!ta.colocationId && ta.colocationId === tb.colocationId)) problems.push(`${a.relation} / ${b.relation}: colocation differs`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(md.workerCount >= 1);
  });

  it('explains every corpus statement with the recorded method and changes nothing', async function () {
    this.timeout(600000);
    const records = fs
      .readFileSync(path.join(CORPUS, 'statements.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string; sql: string; plan_method: string | null; error_phase: string | null });
    const before = await tableCounts();
    const wrong: string[] = [];
    for (const r of records) {
      const res = await explainStatement(session, prepareSql(r.sql));
      const expected = r.plan_method ?? 'error';
      if (res.method !== expected) wrong.push(`${r.id}: ${expected} expected, got ${res.method} (${res.classification.basis})`);
      // one "distributed statement:" DEBUG message per task: counted for one EXPLAIN, not for both the JSON and the text one
      const perTask = res.suppressed['distributed statement:'];
      if (res.method === 'pushdown' && perTask !== undefined && perTask !== res.classification.taskCount) wrong.push(`${r.id}: ${perTask} "distributed statement:" messages for ${res.classification.taskCount} tasks`);
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(await tableCounts(), before);
  });

  it('reads the outcome of every corpus UPDATE / DELETE / MERGE / INSERT .. VALUES from its plan as recorded', async function () {
    this.timeout(120000);
    const records = fs
      .readFileSync(path.join(CORPUS, 'dml.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string; sql: string; outcome: string; error_phase: string | null; setup?: string[] | null });
    const wrong: string[] = [];
    let compared = 0;
    for (const r of records) {
      // settings have no plan, an error of the execution is not in the plan, COPY has no EXPLAIN, and a statement
      // recorded after setup statements (a SET, a table created in the same transaction) is planned under them
      if (r.outcome === 'ok_setting' || r.error_phase === 'set' || r.error_phase === 'execute' || /^\s*COPY\b/i.test(r.sql) || r.setup?.length) continue;
      const res = await explainStatement(session, prepareSql(r.sql));
      compared++;
      if (res.outcome !== r.outcome) wrong.push(`${r.id}: ${r.outcome} recorded, the plan reads as ${res.outcome}`);
    }
    assert.ok(compared >= 60, `${compared} statements compared`);
    assert.deepEqual(wrong, []);
  });

  it('reads a columnar partition from the catalog, and Citus refuses the DELETE the model predicts refused', async function () {
    this.timeout(60000);
    const am = await session.client.query(`SELECT 1 FROM pg_catalog.pg_am WHERE amname = 'columnar'`);
    if (!am.rowCount) {
      console.log('      SKIPPED: the citus_columnar extension is not installed in this database');
      this.skip();
    }
    const schema = `cr_columnar_${process.pid}`;
    await session.client.query(`CREATE SCHEMA ${schema}`);
    try {
      await session.client.query(`CREATE TABLE ${schema}.ev (tenant_id int, ts timestamptz, v int) PARTITION BY RANGE (ts)`);
      await session.client.query(`CREATE TABLE ${schema}.ev_old PARTITION OF ${schema}.ev FOR VALUES FROM ('2020-01-01') TO ('2020-02-01') USING columnar`);
      await session.client.query(`CREATE TABLE ${schema}.ev_new PARTITION OF ${schema}.ev FOR VALUES FROM ('2020-02-01') TO ('2020-03-01')`);
      await session.client.query(`SELECT create_distributed_table('${schema}.ev', 'tenant_id')`);
      const md = await readMetadata(session);
      const byName = new Map(md.snapshot.tables.filter((t) => t.schema === schema).map((t) => [t.name, t]));
      assert.equal(byName.get('ev_old')?.accessMethod, 'columnar');
      assert.equal(byName.get('ev_new')?.accessMethod, undefined, 'heap is no access method to record');
      const model = modelFromSnapshot(md.snapshot, 'cluster');
      assert.ok(model.ok);
      const sql = `DELETE FROM ${schema}.ev WHERE tenant_id = 5`;
      const predicted = analyzeDocument(`${sql};`, model.model, { source: 'live.sql' }).statements[0];
      assert.equal(predicted.outcome, 'error');
      await assert.rejects(session.client.query(sql), (e: Error) => predicted.prediction.reasons[0] === `ERROR:  ${e.message}`);
    } finally {
      await session.client.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });

  it('reads foreign keys from the catalog, and Citus refuses the reference table UPDATE the model predicts refused in a block', async function () {
    this.timeout(60000);
    const schema = `cr_fkeys_${process.pid}`;
    const c = session.client;
    await c.query(`CREATE SCHEMA ${schema}`);
    try {
      await c.query(`CREATE TABLE ${schema}.tenants (tenant_id int PRIMARY KEY, seen date)`);
      await c.query(`SELECT create_reference_table('${schema}.tenants')`);
      await c.query(`CREATE TABLE ${schema}.events (tenant_id int, n int)`);
      await c.query(`SELECT create_distributed_table('${schema}.events', 'tenant_id')`);
      await c.query(`ALTER TABLE ${schema}.events ADD CONSTRAINT events_tenant FOREIGN KEY (tenant_id) REFERENCES ${schema}.tenants (tenant_id)`);
      const md = await readMetadata(session);
      const byName = new Map(md.snapshot.tables.filter((t) => t.schema === schema).map((t) => [t.name, t]));
      assert.deepEqual(byName.get('events')?.foreignKeysTo, [`${schema}.tenants`]);
      const model = modelFromSnapshot(md.snapshot, 'cluster');
      assert.ok(model.ok);
      const block = [`UPDATE ${schema}.events SET n = n + 1`, `UPDATE ${schema}.tenants SET seen = NULL WHERE tenant_id = 1`];
      const predicted = analyzeDocument(`BEGIN;\n${block.join(';\n')};\nROLLBACK;\n`, model.model, { source: 'live.sql' }).statements;
      assert.deepEqual(predicted.map((p) => p.outcome ?? '-'), ['-', 'multi_shard', 'error', '-']);
      // the same block on the cluster, rolled back
      await c.query('BEGIN');
      try {
        await c.query(block[0]);
        await assert.rejects(c.query(block[1]), (e: Error) => predicted[2].prediction.reasons[0].startsWith(`ERROR:  ${e.message}\n`));
      } finally {
        await c.query('ROLLBACK');
      }
      // switched to sequential when the reference table comes first: no error
      await c.query('BEGIN');
      try {
        for (const sql of [block[1], block[0], block[1]]) await c.query(sql);
      } finally {
        await c.query('ROLLBACK');
      }
      const first = analyzeDocument(`BEGIN;\n${[block[1], block[0], block[1]].join(';\n')};\nROLLBACK;\n`, model.model, { source: 'live.sql' }).statements;
      assert.deepEqual(first.map((p) => p.outcome ?? '-'), ['-', 'single_shard', 'multi_shard', 'single_shard', '-']);
    } finally {
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });

  it("refuses each foreign key foreign-key-refused reports, at that statement and with the message quoted, and runs the rule's valid cases", async function () {
    this.timeout(300000);
    const c = session.client;
    // a case's statements one by one, as psql runs a script in autocommit mode: the index and message of the first error
    const run = async (sql: string, schema: string): Promise<{ index: number; message: string } | undefined> => {
      await c.query(`CREATE SCHEMA ${schema}`);
      try {
        await c.query(`SET search_path = ${schema}`);
        const stmts = parseDocument(sql).statements.filter((x) => x.parentIndex === undefined);
        for (const [index, stmt] of stmts.entries()) {
          try {
            await c.query(stmt.text);
          } catch (e) {
            // (the model analysed the case in public)
            return { index, message: (e as Error).message.replaceAll(`${schema}.`, 'public.') };
          }
        }
        return undefined;
      } finally {
        await c.query('RESET search_path; RESET citus.shard_replication_factor');
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
      }
    };
    const model = new SchemaModel();
    for (const [i, k] of FOREIGN_KEY_CASES.invalid.entries()) {
      const analysis = analyzeDocument(k.sql, model, { source: 'case.sql' });
      const finding = analysis.findings.find((f) => f.rule === 'foreign-key-refused');
      assert.ok(finding, `a finding for: ${k.sql}`);
      const at = analysis.statements.filter((x) => x.parentIndex === undefined).findIndex((x) => finding.range.start >= x.range.start && finding.range.start < x.range.end);
      assert.deepEqual(await run(k.sql, `cr_fk_${process.pid}_${i}`), { index: at, message: finding.citus?.message }, k.sql);
    }
    for (const [i, k] of FOREIGN_KEY_CASES.valid.entries()) {
      if (k.notOnPostgres?.startsWith('refused on Citus')) continue;
      assert.equal(await run(k.sql, `cr_fkv_${process.pid}_${i}`), undefined, k.sql);
    }
  });

  it("says a plan fails when a worker cannot plan its task, agreeing with the prediction, and --analyze shows the worker's error", async function () {
    this.timeout(60000);
    const schema = `cr_sharded_${process.pid}`;
    await session.client.query('SET citus.enable_schema_based_sharding TO on');
    await session.client.query(`CREATE SCHEMA ${schema}`);
    await session.client.query('RESET citus.enable_schema_based_sharding');
    try {
      await session.client.query(`CREATE TABLE ${schema}.orders (id int, created_at timestamptz)`);
      await session.client.query(`CREATE TABLE ${schema}.daily (day date PRIMARY KEY, n bigint)`);
      // created_at::date of a timestamptz is STABLE: Citus 13.2 rebuilds the single-shard query after it, and the
      // rebuilt query does not parse on the worker
      const text = `INSERT INTO ${schema}.daily (day, n) SELECT created_at::date, count(*) FROM ${schema}.orders GROUP BY 1;\n`;
      const model = modelFromSnapshot((await readMetadata(session)).snapshot, 'cluster');
      assert.ok(model.ok);
      assert.equal(analyzeDocument(text, model.model, { source: 'live.sql' }).statements[0].prediction.method, 'error');
      const stmt = prepareSql(text);
      const plain = await explainStatement(session, stmt);
      assert.equal(plain.method, 'error', plain.classification.basis);
      assert.match(plain.classification.basis, /Could not get remote plan/);
      assert.doesNotMatch(plain.classification.basis, /transaction is aborted/);
      const analyzed = await explainStatement(session, stmt, { analyze: true });
      assert.ok(analyzed.analyze && 'error' in analyzed.analyze, JSON.stringify(analyzed.analyze));
      assert.equal(analyzed.analyze.error.message, 'syntax error at or near "NOT"');
    } finally {
      await session.client.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });

  it('writes the columns that update-columns-misassigned names into each other, as it says (and plain tables right)', async function () {
    this.timeout(60000);
    const table = `cr_swap_${process.pid}`;
    await session.client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, a int, v varchar(10), t text)`);
    await session.client.query(`SELECT create_distributed_table('${table}', 'id')`);
    try {
      await session.client.query(`INSERT INTO ${table} VALUES (1, 0, 'v0', 't0')`);
      const update = `UPDATE ${table} SET (t, v) = (SELECT 'T', 'V') WHERE id = 1`;
      const refused = `UPDATE ${table} SET (a, v) = (SELECT 1, 'x') WHERE id = 1`;
      const model = modelFromSnapshot((await readMetadata(session)).snapshot, 'cluster');
      assert.ok(model.ok);
      const a = analyzeDocument(`${update};\n${refused};\n`, model.model, { source: 'live.sql' });
      assert.deepEqual(a.findings.filter((f) => f.rule === 'update-columns-misassigned').map((f) => f.message), [
        'This UPDATE runs, but writes the wrong columns on Citus 13.2: v gets the value written for t, t gets the value written for v.',
        'The shard refuses the UPDATE as Citus deparses it: v gets the value written for a, a gets the value written for v.',
      ]);
      assert.equal(a.statements[0].outcome, 'single_shard');
      assert.equal(a.statements[1].outcome, 'error');
      await session.client.query(update);
      assert.deepEqual((await session.client.query(`SELECT t, v FROM ${table}`)).rows, [{ t: 'V', v: 'T' }]);
      await assert.rejects(session.client.query(refused), /column "a" is of type integer but expression is of type text/);
      // a plain table is not deparsed: PostgreSQL assigns as written, and nothing is said
      await session.client.query(`CREATE TABLE ${table}_plain (id int PRIMARY KEY, a int, v varchar(10), t text)`);
      await session.client.query(`INSERT INTO ${table}_plain VALUES (1, 0, 'v0', 't0')`);
      const plain = update.replace(table, `${table}_plain`);
      const p = analyzeDocument(`CREATE TABLE ${table}_plain (id int PRIMARY KEY, a int, v varchar(10), t text);\n${plain};\n`, model.model, { source: 'live.sql' });
      assert.deepEqual(p.findings.filter((f) => f.rule === 'update-columns-misassigned'), []);
      await session.client.query(plain);
      assert.deepEqual((await session.client.query(`SELECT t, v FROM ${table}_plain`)).rows, [{ t: 'T', v: 'V' }]);
    } finally {
      await session.client.query(`DROP TABLE IF EXISTS ${table}, ${table}_plain`);
    }
  });

  it('has every citus.* setting the analysis knows, and knows every one the cluster shows (hidden ones included)', async function () {
    // a name the cluster does not have fails its SET (removed-citus-setting says so); one it has must not be reported
    for (const name of KNOWN_SETTING_NAMES) {
      const v = (await session.client.query<{ v: string | null }>('SELECT current_setting($1, true) AS v', [`citus.${name}`])).rows[0].v;
      assert.notEqual(v, null, `citus.${name} is not a setting of this cluster`);
    }
    const shown = (await session.client.query<{ name: string }>(`SELECT name FROM pg_settings WHERE name LIKE 'citus.%'`)).rows.map((r) => r.name.slice(6));
    assert.deepEqual(shown.filter((n) => settingStatus(n).kind === 'unknown'), []);
    // two of the hidden ones (GUC_NO_SHOW_ALL), which pg_settings does not list
    for (const hidden of ['enable_recurring_outer_join_pushdown', 'enable_local_fast_path_query_optimization']) {
      assert.notEqual((await session.client.query<{ v: string | null }>('SELECT current_setting($1, true) AS v', [`citus.${hidden}`])).rows[0].v, null);
      assert.equal(settingStatus(hidden).kind, 'current');
    }
  });
});

function quote(id: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(id) ? id : `"${id.replace(/"/g, '""')}"`;
}
