/**
 * What a generated rollup costs: the first run (the backfill, a full read of the source) against a run after 1%
 * new rows, at 1M and 4M source rows, for both strategies — on the embedded PostgreSQL (the same script without
 * the Citus calls) and, when CITUS_TEST_URL is set, on that Citus cluster (32 shards). Targets: the incremental
 * run at 4M rows costs ≤ 5% of the full run, and an increment of the same number of new rows costs at 4M within
 * 1.3× of what it costs at 1M (the run follows the new rows, not the table). Also: the same increment without
 * the window index and with a BRIN index instead of the btree (why the script builds a btree), and the index
 * sizes. Each run is measured twice: wall time, and the pages its INSERT..SELECT touches on all shards (EXPLAIN
 * ANALYZE, BUFFERS, rolled back) — the work, whatever else the machine is doing.
 */
import * as os from 'node:os';
import type { Client } from 'pg';
import { loadParser } from '../src/core/parse/libpg';
import { generateRollup, type RollupScript, type Strategy } from '../src/core/rollup/generate';
import { parseMeasure } from '../src/core/rollup/measures';
import { modelOf } from '../test/rollup/helpers';
import { runScript, withoutCitusCalls } from '../test/rollup/scripts';
import { startServer } from '../test/db/pg-server';
import type { Figure } from './measure';

const SMALL = 1_000_000;
const LARGE = 4_000_000;
/** 1% of the small table: the increment whose cost is compared across table sizes */
const STEP = SMALL / 100;
const REPEAT = 11;
/** first runs (backfills) per size and strategy */
const FULL_REPEAT = 3;
const LAG = '1 second';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const round = (x: number, d = 1): number => Number(x.toFixed(d));

interface Engine {
  label: string;
  citus: boolean;
  db: Client;
  install(script: string): Promise<void>;
}

/**
 * Writes the dirty pages out: loading millions of rows and a backfill leave a checkpoint due, which would
 * otherwise run during (and slow) whichever increments come next.
 */
async function checkpoint(e: Engine): Promise<void> {
  await e.db.query('CHECKPOINT');
  if (e.citus) await e.db.query(`SELECT * FROM run_command_on_workers('CHECKPOINT')`);
}

async function time(db: Client, sql: string): Promise<number> {
  const t = process.hrtime.bigint();
  await db.query(sql);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Source rows appended as a live table gets them: ids and times grow together, 1,000 tenants. */
async function load(db: Client, table: string, from: number, n: number, at: string): Promise<void> {
  const chunk = 500_000;
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    await db.query(
      `INSERT INTO ${table} (tenant_id, user_id, event_type, value, created_at)
       SELECT s % 1000, s % 5000, (ARRAY['view','click','buy'])[1 + s % 3], (s % 100) / 4.0, ${at}
       FROM generate_series(${from + i + 1}, ${from + i + m}) s`,
    );
  }
}

function ddl(table: string): string {
  return `CREATE TABLE ${table} (tenant_id int NOT NULL, event_id bigserial, user_id int, event_type text, value numeric, created_at timestamptz NOT NULL DEFAULT now())`;
}

function scripts(schema: string, table: string, suffix = ''): Record<Strategy, RollupScript> {
  const model = modelOf(`CREATE SCHEMA ${schema}; ${ddl(`${schema}.${table}`)}; SELECT create_distributed_table('${schema}.${table}', 'tenant_id');`);
  const source = model.get(schema, table)!;
  const make = (strategy: Strategy): RollupScript =>
    generateRollup({ source, timeColumn: 'created_at', granularity: 'day', dimensions: [], measures: ['count(*)', 'sum(value)', 'max(value)'].map(parseMeasure), strategy, lag: LAG, name: `${table}_${strategy === 'sequence' ? 'seq' : 'tw'}${suffix}` }, model);
  return { 'time-window': make('time-window'), sequence: make('sequence') };
}

interface Source {
  rows: number;
  table: string;
  /** rows inserted so far (the next generate_series start) */
  next: number;
  rollups: Record<Strategy, RollupScript>;
}

const STRATEGIES: Strategy[] = ['time-window', 'sequence'];
const millions = (n: number): string => `${n / 1e6}M`;
const count = (n: number): string => n.toLocaleString('en');

/**
 * `perSource` new rows (times just now) into each source, then, once they are older than the lag, one timed run
 * of each rollup; REPEAT times, sources and strategies interleaved so that load on the (shared) machine hits all
 * alike. Returns the median per source and strategy.
 */
async function increments(e: Engine, sources: Source[], perSource: (s: Source) => number): Promise<Map<Source, Record<Strategy, Cost>>> {
  const times = new Map(sources.map((s) => [s, { 'time-window': [] as number[], sequence: [] as number[] }]));
  const pagesOf = new Map(sources.map((s) => [s, {} as Record<Strategy, number>]));
  for (let i = 0; i < REPEAT; i++) {
    for (const s of sources) {
      const n = perSource(s);
      await load(e.db, s.table, s.next, n, `clock_timestamp() - interval '10 milliseconds'`);
      s.next += n;
    }
    await new Promise((res) => setTimeout(res, 1100));
    for (const strategy of STRATEGIES) {
      for (const s of sources) {
        const r = s.rollups[strategy];
        const window = i === 0 ? await nextWindow(e, s, strategy) : undefined;
        times.get(s)![strategy].push(await time(e.db, r.runStatement));
        if (window) pagesOf.get(s)![strategy] = await pages(e, r, window);
      }
    }
  }
  const cost = (s: Source, strategy: Strategy): Cost => ({ ms: median(times.get(s)![strategy]), min: Math.min(...times.get(s)![strategy]), pages: pagesOf.get(s)![strategy] });
  return new Map(sources.map((s) => [s, { 'time-window': cost(s, 'time-window'), sequence: cost(s, 'sequence') }]));
}

/**
 * What a run costs: wall time (the median, and the fastest run: the one least slowed by the other processes of a
 * shared machine), and the pages (8 kB buffers, all shards) its INSERT..SELECT touches.
 */
interface Cost {
  ms: number;
  min: number;
  pages: number;
}

/** The window the next run of a rollup reads, as SQL literals for its INSERT..SELECT. */
async function nextWindow(e: Engine, s: Source, strategy: Strategy): Promise<[string, string]> {
  const schema = s.table.split('.')[0];
  const r = await e.db.query(
    strategy === 'sequence'
      ? `SELECT (last_aggregated_id + 1)::text AS a, pg_sequence_last_value(pg_get_serial_sequence('${s.table}', 'event_id'))::text AS b FROM ${schema}.citus_rollups WHERE rollup_name = $1`
      : `SELECT quote_literal(coalesce(last_aggregated_time, '-infinity')) || '::timestamptz' AS a, quote_literal(now() - interval '${LAG}') || '::timestamptz' AS b FROM ${schema}.citus_rollups WHERE rollup_name = $1`,
    [s.rollups[strategy].rollupTable],
  );
  return [r.rows[0].a as string, r.rows[0].b as string];
}

/**
 * The pages a run's INSERT..SELECT touches over that window (shared buffers hit + read, every shard): EXPLAIN
 * (ANALYZE, BUFFERS) of the function's statement, in a transaction that is rolled back. A measure of the work
 * that does not depend on how busy the machine is.
 */
async function pages(e: Engine, r: RollupScript, [a, b]: [string, string]): Promise<number> {
  const sql = r.insertSelects[0].replace(/window_start/g, a).replace(/window_end/g, b);
  await e.db.query('BEGIN');
  try {
    if (e.citus) await e.db.query('SET LOCAL citus.explain_all_tasks TO on');
    const plan = (await e.db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'];
    let total = 0;
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const top = o.Plan as Record<string, number> | undefined;
        if (top && typeof top === 'object') total += (top['Shared Hit Blocks'] ?? 0) + (top['Shared Read Blocks'] ?? 0);
        Object.values(o).forEach(visit);
      }
    };
    visit(plan);
    return total;
  } finally {
    await e.db.query('ROLLBACK');
  }
}

async function measure(e: Engine): Promise<Figure[]> {
  const schema = `bench_rollup_${process.pid}`;
  const out: Figure[] = [];
  const p = e.label;
  await e.db.query(`CREATE SCHEMA ${schema}`);
  try {
    const sources: Source[] = [];
    for (const rows of [SMALL, LARGE]) {
      const name = `events_${millions(rows).toLowerCase()}`;
      const table = `${schema}.${name}`;
      await e.db.query(ddl(table));
      if (e.citus) await e.db.query(`SELECT create_distributed_table('${table}', 'tenant_id')`);
      // appended as a live table gets its rows: ids and times grow together, one row every 600 ms up to an hour ago
      await load(e.db, table, 0, rows, `now() - interval '1 hour' - (${rows} - s) * interval '600 milliseconds'`);
      await e.db.query(`VACUUM ANALYZE ${table}`);
      sources.push({ rows, table, next: rows, rollups: scripts(schema, name) });
    }
    const full = new Map<Source, Record<Strategy, Cost>>();
    for (const s of sources) {
      const f = {} as Record<Strategy, Cost>;
      for (const strategy of STRATEGIES) {
        await checkpoint(e);
        const t0 = process.hrtime.bigint();
        await e.install(s.rollups[strategy].script);
        const install = Number(process.hrtime.bigint() - t0) / 1e6;
        out.push({ name: `${p} ${strategy} ${millions(s.rows)} rows: install (incl. the btree on ${strategy === 'sequence' ? 'event_id' : 'created_at'})`, value: round(install, 0), unit: 'ms' });
        await checkpoint(e);
        const window = await nextWindow(e, s, strategy);
        const runs = [await time(e.db, s.rollups[strategy].runStatement)];
        // more first runs: the same script under other names (the index exists now)
        for (let i = 1; i < FULL_REPEAT; i++) {
          const again = scripts(schema, s.table.split('.')[1], `_${i}`)[strategy];
          await e.install(again.script);
          await checkpoint(e);
          runs.push(await time(e.db, again.runStatement));
        }
        f[strategy] = { ms: median(runs), min: Math.min(...runs), pages: await pages(e, s.rollups[strategy], window) };
      }
      full.set(s, f);
    }
    await checkpoint(e);
    const [small, large] = sources;
    const step = await increments(e, sources, () => STEP);
    const onePercent = await increments(e, [large], (s) => s.rows / 100);
    onePercent.set(small, step.get(small)!);
    for (const strategy of STRATEGIES) {
      for (const s of sources) {
        const tag = `${p} ${strategy} ${millions(s.rows)} rows`;
        const run = (): Promise<number> => time(e.db, s.rollups[strategy].runStatement);
        const nothing = median([await run(), await run(), await run()]);
        const [f, one] = [full.get(s)![strategy], onePercent.get(s)![strategy]];
        const both = (c: Cost): string => `ms (fastest ${round(c.min)})`;
        out.push({ name: `${tag}: full run (the first run: backfill)`, value: round(f.ms, 0), unit: both(f) });
        out.push({ name: `${tag}: run after 1% new rows (${count(s.rows / 100)})`, value: round(one.ms), unit: both(one) });
        if (s !== small) out.push({ name: `${tag}: run after ${count(STEP)} new rows`, value: round(step.get(s)![strategy].ms), unit: both(step.get(s)![strategy]) });
        out.push({ name: `${tag}: run with nothing new`, value: round(nothing), unit: 'ms' });
        const target = s === large ? '<= 5%' : undefined;
        out.push({ name: `${tag}: 1% run / full run, time (medians)`, value: round((one.ms / f.ms) * 100), unit: '%', target });
        out.push({ name: `${tag}: 1% run / full run, time (fastest runs)`, value: round((one.min / f.min) * 100), unit: '%', target });
        out.push({ name: `${tag}: pages touched, full run / 1% run`, value: round(f.pages, 0), unit: `/ ${round(one.pages, 0)} pages` });
        out.push({ name: `${tag}: 1% run / full run, pages`, value: round((one.pages / f.pages) * 100, 2), unit: '%', target });
      }
      const [a, b] = [step.get(small)![strategy], step.get(large)![strategy]];
      out.push({ name: `${p} ${strategy}: run after ${count(STEP)} new rows, 4M / 1M rows, time (medians)`, value: round(b.ms / a.ms, 2), unit: 'x', target: '<= 1.3' });
      out.push({ name: `${p} ${strategy}: run after ${count(STEP)} new rows, 4M / 1M rows, time (fastest runs)`, value: round(b.min / a.min, 2), unit: 'x', target: '<= 1.3' });
      out.push({ name: `${p} ${strategy}: run after ${count(STEP)} new rows, 4M / 1M rows, pages`, value: round(b.pages / a.pages, 2), unit: 'x', target: '<= 1.3' });
      out.push({ name: `${p} ${strategy}: run after 1% new rows, 4M / 1M rows (4x the new rows), time (medians)`, value: round(onePercent.get(large)![strategy].ms / onePercent.get(small)![strategy].ms, 2), unit: 'x' });
    }

    // why a btree: its size, and the same 1% increment at 4M with a BRIN index instead, and with no index
    const bytes = (relation: string): Promise<number> => e.db.query(`SELECT ${e.citus ? 'citus_relation_size' : 'pg_relation_size'}('${relation}') AS b`).then((r) => Number(r.rows[0].b));
    const name = large.table.split('.')[1];
    out.push({ name: `${p} btree on event_id (bigint): bytes per row`, value: round((await bytes(`${schema}.${name}_event_id_idx`)) / large.next), unit: 'B' });
    out.push({ name: `${p} btree on created_at (timestamptz): bytes per row`, value: round((await bytes(`${schema}.${name}_created_at_idx`)) / large.next), unit: 'B' });
    await e.db.query(`DROP INDEX ${schema}.${name}_created_at_idx`);
    await e.db.query(`CREATE INDEX ${name}_created_at_brin ON ${large.table} USING brin (created_at)`);
    out.push({ name: `${p} BRIN on created_at: bytes per row`, value: round((await bytes(`${schema}.${name}_created_at_brin`)) / large.next, 3), unit: 'B' });
    const brin = await increments(e, [large], (s) => s.rows / 100);
    out.push({ name: `${p} time-window 4M rows, BRIN instead of the btree: run after 1% new rows`, value: round(brin.get(large)!['time-window'].ms), unit: `ms, ${round(brin.get(large)!['time-window'].pages, 0)} pages` });
    await e.db.query(`DROP INDEX ${schema}.${name}_created_at_brin`);
    const none = await increments(e, [large], (s) => s.rows / 100);
    out.push({ name: `${p} time-window 4M rows, no index: run after 1% new rows`, value: round(none.get(large)!['time-window'].ms), unit: `ms, ${round(none.get(large)!['time-window'].pages, 0)} pages` });
    return out;
  } finally {
    await e.db.query(`DROP SCHEMA ${schema} CASCADE`);
  }
}

export async function run(): Promise<Figure[]> {
  await loadParser();
  const out: Figure[] = [{ name: 'load average of the machine (1 min) at the start', value: round(os.loadavg()[0], 1), unit: '' }];
  const server = await startServer();
  try {
    const { Client: PgClient } = await import('pg');
    const db = new PgClient({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
    await db.connect();
    try {
      out.push(...(await measure({ label: 'pg', citus: false, db, install: (script) => runScript(db, withoutCitusCalls(script).sql, 'one-query') })));
    } finally {
      await db.end();
    }
  } finally {
    await server.stop();
  }
  const url = process.env.CITUS_TEST_URL;
  if (!url) {
    out.push({ name: 'citus: skipped (set CITUS_TEST_URL to measure on a cluster)', value: 0, unit: '' });
    return out;
  }
  const { Client: PgClient } = await import('pg');
  const db = new PgClient({ connectionString: url });
  await db.connect();
  try {
    out.push(...(await measure({ label: 'citus', citus: true, db, install: (script) => runScript(db, script, 'one-query') })));
  } finally {
    await db.end();
  }
  return out;
}
