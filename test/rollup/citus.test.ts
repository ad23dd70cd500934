/**
 * The generated scripts on a real Citus cluster (CITUS_TEST_URL; skipped, visibly, when it is unset): both
 * strategies installed every way users run a script — statement by statement, as one transaction and as one
 * multi-statement query through node-pg, and with the real psql (`psql -f`, `psql -1 -f`) when it is on PATH —
 * with the source in a schema on no session's search_path; the functions called from sessions with an empty
 * search_path. Counts equal a direct GROUP BY after the first run, after late events and after overlapping
 * and concurrent runs; an incremental run reads every shard through the window index (EXPLAIN of all tasks,
 * and the workers' statistics for a real run).
 */
import * as assert from 'node:assert/strict';
import type { Client } from 'pg';
import { loadParser } from '../../src/core/parse/libpg';
import { generateRollup, type RollupScript, type Strategy } from '../../src/core/rollup/generate';
import { backendPid, directRows, eventsModel, eventsRequest, insertEvents, rollupRows, sleep, sourceDdl, waitForLockWait, watermark } from './events';
import { hasPsql, planNodes, RUN_MODES, runScript, runWithPsql, type RunMode } from './scripts';

type Mode = RunMode | 'psql' | 'psql -1';
const LAG_SECONDS = 2;
const SHORT: Record<Mode, string> = { autocommit: 'auto', transaction: 'tx', 'one-query': 'oneq', psql: 'psql', 'psql -1': 'psql1' };

describe('generated rollups on a real Citus cluster (CITUS_TEST_URL)', function () {
  this.timeout(300000);
  const url = process.env.CITUS_TEST_URL;
  const schema = `citus_rollups_test_${process.pid}`;
  const source = `${schema}.events`;
  let db: Client;
  const runners: Client[] = [];
  const modes: Mode[] = [...RUN_MODES];
  const installed: Array<{ mode: Mode; strategy: Strategy; r: RollupScript }> = [];
  const of = (strategy: Strategy): RollupScript[] => installed.filter((x) => x.strategy === strategy).map((x) => x.r);

  before(async function () {
    if (!url) {
      console.log('    (skipped: set CITUS_TEST_URL=postgres://... to run the generated scripts on a Citus coordinator)');
      this.skip();
    }
    await loadParser();
    if (hasPsql()) modes.push('psql', 'psql -1');
    else console.log('    (psql is not on PATH: the scripts run through node-pg only)');
    const { Client: PgClient } = await import('pg');
    const connect = async (): Promise<Client> => {
      const c = new PgClient({ connectionString: url });
      await c.connect();
      // worker connections close at the end of each transaction, so the workers' statistics are flushed at once
      await c.query('SET citus.max_cached_conns_per_worker TO 0');
      return c;
    };
    db = await connect();
    for (let i = 0; i < 4; i++) {
      const c = await connect();
      await c.query(`SET search_path TO ''`);
      runners.push(c);
    }
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(sourceDdl(source));
    await db.query(`SELECT create_distributed_table('${source}', 'tenant_id', shard_count => 8)`);
  });

  after(async () => {
    if (!url) return;
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    for (const c of [db, ...runners]) await c?.end().catch(() => undefined);
  });

  it('installs both strategies in every run mode (node-pg: statement by statement, one transaction, one query; psql -f, psql -1 -f), twice', async () => {
    const path = (await db.query(`SELECT current_schemas(false) AS s`)).rows[0].s as string[];
    assert.ok(!path.includes(schema), `the installing session's search_path (${path}) does not have ${schema}`);
    const model = eventsModel(schema);
    await insertEvents(db, source, 2000, `now() - (s % 3000) * interval '1 minute'`);
    for (const mode of modes) {
      for (const strategy of ['time-window', 'sequence'] as const) {
        const r = generateRollup(eventsRequest(schema, strategy, `ev_${strategy === 'sequence' ? 'seq' : 'tw'}_${SHORT[mode]}`, LAG_SECONDS), model);
        for (let i = 0; i < 2; i++) {
          if (mode === 'psql' || mode === 'psql -1') runWithPsql(url!, r.script, mode === 'psql -1');
          else await runScript(db, r.script, mode);
        }
        installed.push({ mode, strategy, r });
        const part = await db.query(`SELECT colocationid FROM pg_dist_partition WHERE logicalrelid IN ('${source}'::regclass, '${r.rollupTable}'::regclass)`);
        assert.equal(part.rows.length, 2, `${r.rollupTable} is distributed`);
        assert.equal(new Set(part.rows.map((x) => x.colocationid)).size, 1, 'co-located');
      }
    }
    const idx = await db.query(`SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index WHERE indrelid = '${source}'::regclass ORDER BY 1`);
    assert.deepEqual(
      idx.rows.map((x) => x.d),
      [`CREATE INDEX events_created_at_idx ON ${source} USING btree (created_at)`, `CREATE INDEX events_event_id_idx ON ${source} USING btree (event_id)`],
    );
    const shardIdx = await db.query(
      `SELECT count(*)::int AS n FROM run_command_on_shards('${source}', $$SELECT count(*) FROM pg_index WHERE indrelid = '%s'::regclass$$) WHERE result = '2'`,
    );
    assert.equal(shardIdx.rows[0].n, 8, 'both indexes on every shard');
  });

  it('as one transaction it fails without the sequential-mode line, for the reason Citus gives (the cause the line fixes)', async () => {
    const r = generateRollup(eventsRequest(schema, 'time-window', 'ev_no_sequential', LAG_SECONDS), eventsModel(schema));
    const line = `SELECT set_config('citus.multi_shard_modify_mode', 'sequential', true);`;
    assert.ok(r.script.includes(line));
    await assert.rejects(runScript(db, r.script.replace(line, ''), 'transaction'), /cannot run (function|view) command because there was a parallel operation on a distributed table in the transaction/);
    assert.equal((await db.query(`SELECT to_regclass('${schema}.ev_no_sequential') AS t`)).rows[0].t, null, 'rolled back');
  });

  it('time window: exact after the first run, after late rows inside the lag, and after overlapping and concurrent runs', async () => {
    const c = runners[0];
    for (const r of of('time-window')) await c.query(r.runStatement);
    let latest = 0;
    for (const r of of('time-window')) {
      const wm = await watermark(db, r.rollupTable);
      latest = Math.max(latest, wm.getTime());
      assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, source, `created_at < '${wm.toISOString()}'`), `${r.rollupTable}: first run`);
    }
    await insertEvents(db, source, 300, `'${new Date(latest).toISOString()}'::timestamptz + (s % 1000) * interval '1 millisecond'`);
    await insertEvents(db, source, 40, `'${new Date(latest).toISOString()}'::timestamptz - interval '10 minutes'`, `'too-late'`);
    await sleep(LAG_SECONDS * 1000 + 100);
    for (const r of of('time-window')) {
      await c.query(r.runStatement);
      const wm = await watermark(db, r.rollupTable);
      assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, source, `created_at < '${wm.toISOString()}' AND event_type IS DISTINCT FROM 'too-late'`), `${r.rollupTable}: late rows`);
    }

    const r = of('time-window')[0];
    await insertEvents(db, source, 200, `clock_timestamp() - interval '1 second'`);
    await sleep(LAG_SECONDS * 1000 + 100);
    const [a, b] = runners;
    await a.query('BEGIN');
    await a.query(r.runStatement);
    const bPid = await backendPid(b);
    const bRun = b.query(r.runStatement);
    await waitForLockWait(db, bPid);
    await a.query('COMMIT');
    await bRun;
    const writer = (async () => {
      for (let i = 0; i < 6; i++) {
        await insertEvents(runners[3], source, 50, 'clock_timestamp()');
        await sleep(40);
      }
    })();
    await Promise.all([writer, ...runners.slice(0, 3).map(async (x) => {
      for (let i = 0; i < 3; i++) await x.query(r.runStatement);
    })]);
    await sleep(LAG_SECONDS * 1000 + 100);
    await db.query(r.runStatement);
    const wm = await watermark(db, r.rollupTable);
    assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, source, `created_at < '${wm.toISOString()}' AND event_type IS DISTINCT FROM 'too-late'`), 'after concurrent runs');
  });

  it('sequence window: exact after the first run, after late events, an in-flight writer, and concurrent runs', async () => {
    const c = runners[1];
    for (const r of of('sequence')) {
      await c.query(r.runStatement);
      assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, source, 'true'), `${r.rollupTable}: first run`);
    }
    const r = of('sequence')[0];
    const [w, reader] = runners;
    await w.query('BEGIN');
    await insertEvents(w, source, 100, `now() - interval '3 days'`); // late events, in a transaction still open
    const rPid = await backendPid(reader);
    const run = reader.query(r.runStatement);
    await waitForLockWait(db, rPid);
    await w.query('COMMIT');
    await run;
    assert.deepEqual(await rollupRows(db, r.rollupTable), await directRows(db, source, 'true'), 'the in-flight late rows were waited for and counted');

    const writer = (async () => {
      for (let i = 0; i < 6; i++) {
        await insertEvents(runners[3], source, 40, `clock_timestamp() - (s % 300) * interval '1 minute'`);
        await sleep(30);
      }
    })();
    await Promise.all([writer, ...runners.slice(0, 3).map(async (x) => {
      for (let i = 0; i < 3; i++) await x.query(r.runStatement);
    })]);
    for (const x of of('sequence')) {
      await c.query(x.runStatement);
      assert.deepEqual(await rollupRows(db, x.rollupTable), await directRows(db, source, 'true'), `${x.rollupTable}: after concurrent runs`);
    }
  });

  it('an incremental run reads every shard through the window index (EXPLAIN of all tasks; the workers\' statistics of a real run)', async () => {
    // rows on every shard (64 tenants), older than the time window's watermark ('too-late' for it)
    await insertEvents(db, source, 80000, `now() - interval '1 hour' - (s % 20000) * interval '1 minute'`, `'too-late'`, 64);
    await db.query(`ANALYZE ${source}`);
    const [tw, seq] = [of('time-window')[0], of('sequence')[0]];
    for (const r of [tw, seq]) await runners[2].query(r.runStatement);
    await insertEvents(db, source, 400, `clock_timestamp() - interval '1 second'`, undefined, 64);
    await sleep(LAG_SECONDS * 1000 + 100);
    const stats = async (index: string): Promise<{ idx: number; seq: number }> => {
      const r = await db.query(
        `SELECT sum((result::json->>'idx')::bigint)::int AS idx, sum((result::json->>'seq')::bigint)::int AS seq FROM run_command_on_workers($$
           SELECT json_build_object(
             'idx', (SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE schemaname = '${schema}' AND indexrelname ~ '^${index}_[0-9]+$'),
             'seq', (SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_user_tables WHERE schemaname = '${schema}' AND relname ~ '^events_[0-9]+$'))$$)`,
      );
      return r.rows[0] as { idx: number; seq: number };
    };
    for (const r of [seq, tw]) {
      const index = r.indexName.split('.')[1];
      const isSeq = r === seq;
      const w = (
        await db.query(
          isSeq
            ? `SELECT (last_aggregated_id + 1)::text AS s, (SELECT max(event_id) FROM ${source})::text AS e FROM ${schema}.citus_rollups WHERE rollup_name = $1`
            : `SELECT quote_literal(last_aggregated_time) || '::timestamptz' AS s, quote_literal(now() - interval '${LAG_SECONDS} seconds') || '::timestamptz' AS e FROM ${schema}.citus_rollups WHERE rollup_name = $1`,
          [r.rollupTable],
        )
      ).rows[0];
      await db.query('BEGIN');
      await db.query('SET LOCAL citus.explain_all_tasks TO on');
      const plan = (await db.query(`EXPLAIN (FORMAT JSON) ${r.insertSelects[0].replace(/window_start/g, w.s).replace(/window_end/g, w.e)}`)).rows[0]['QUERY PLAN'];
      await db.query('ROLLBACK');
      const nodes = planNodes(plan);
      const scans = nodes.filter((n) => typeof n['Relation Name'] === 'string' && /^events_\d+$/.test(n['Relation Name'] as string));
      assert.equal(scans.length, 8, `one scan of the source per shard, got ${scans.length}`);
      for (const s of scans) assert.notEqual(s['Node Type'], 'Seq Scan', `${r.rollupTable}: no sequential scan of ${s['Relation Name']}`);
      const viaIndex = nodes.filter((n) => ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'].includes(n['Node Type'] as string) && new RegExp(`^${index}_\\d+$`).test(n['Index Name'] as string));
      assert.equal(viaIndex.length, 8, `${r.rollupTable}: every shard reads the window through ${index}`);

      // a real run: the workers count index scans of the window index and no sequential scan of the source
      await sleep(1000);
      const before = await stats(index);
      await runners[2].query(r.runStatement);
      let after = await stats(index);
      for (let i = 0; i < 60 && after.idx === before.idx; i++) {
        await sleep(500);
        after = await stats(index);
      }
      assert.ok(after.idx >= before.idx + 8, `${r.rollupTable}: index scans on the workers (${before.idx} -> ${after.idx})`);
      assert.equal(after.seq, before.seq, `${r.rollupTable}: no sequential scan of the source shards`);
    }
    assert.deepEqual(await rollupRows(db, seq.rollupTable), await directRows(db, source, 'true'));
  });

  it('refuses a second strategy under the same name, as one transaction and statement by statement, and changes nothing', async () => {
    const tw = of('time-window')[0];
    const name = tw.rollupTable.split('.')[1];
    const other = generateRollup(eventsRequest(schema, 'sequence', name, LAG_SECONDS), eventsModel(schema));
    const before = JSON.stringify((await db.query(`SELECT * FROM ${schema}.citus_rollups ORDER BY 1`)).rows);
    for (const mode of modes) {
      const attempt = mode === 'psql' || mode === 'psql -1' ? Promise.resolve().then(() => runWithPsql(url!, other.script, mode === 'psql -1')) : runScript(db, other.script, mode);
      await assert.rejects(attempt, new RegExp(`rollup ${schema}\\.${name} is already installed with another definition`), mode);
    }
    assert.equal(JSON.stringify((await db.query(`SELECT * FROM ${schema}.citus_rollups ORDER BY 1`)).rows), before);
  });
});
