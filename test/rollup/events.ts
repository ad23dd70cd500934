/**
 * The raw events table the generated-rollup tests roll up (on the embedded PostgreSQL and on Citus), and the
 * checks they share: the rollup's rows against a direct GROUP BY of the raw events, with every name qualified
 * (the source lives in a schema that is not on any test session's search_path).
 */
import * as assert from 'node:assert/strict';
import type { Client } from 'pg';
import type { RollupRequest } from '../../src/core/rollup/generate';
import { parseMeasure } from '../../src/core/rollup/measures';
import { modelOf } from './helpers';

export function sourceDdl(table: string): string {
  return `CREATE TABLE ${table} (
  tenant_id int NOT NULL,
  event_id bigserial,
  user_id int,
  event_type text,
  value numeric,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
}

/** The schema model the generator reads: `schema.events`, hash-distributed on tenant_id. */
export function eventsModel(schema: string): ReturnType<typeof modelOf> {
  return modelOf(`CREATE SCHEMA ${schema};\n${sourceDdl(`${schema}.events`)};\nSELECT create_distributed_table('${schema}.events', 'tenant_id');\n`);
}

export const MEASURES = ['count(*)', 'sum(value)', 'min(value)', 'max(value)', 'avg(value)', 'count(user_id)'];

export function eventsRequest(schema: string, strategy: RollupRequest['strategy'], name: string, lagSeconds: number): RollupRequest {
  return {
    source: eventsModel(schema).get(schema, 'events')!,
    timeColumn: 'created_at',
    granularity: 'hour',
    dimensions: ['event_type'],
    measures: MEASURES.map(parseMeasure),
    strategy,
    name,
    lag: `${lagSeconds} seconds`,
  };
}

const BUCKET = `date_trunc('hour', created_at AT TIME ZONE 'UTC')`;

/** The rollup's rows (through its view), in key order, as text. `rollup` is `schema.name`. */
export async function rollupRows(c: Client, rollup: string): Promise<string[]> {
  const r = await c.query(
    `SELECT tenant_id, hour, event_type, row_count, value_sum, value_min, value_max, value_count, user_id_count, round(value_avg, 6) AS avg
     FROM ${rollup}_view ORDER BY tenant_id, hour, event_type NULLS FIRST`,
  );
  return r.rows.map((x) => JSON.stringify(x));
}

/** The same numbers straight from the raw events. */
export async function directRows(c: Client, source: string, filter: string): Promise<string[]> {
  const r = await c.query(
    `SELECT tenant_id, ${BUCKET} AS hour, event_type, count(*) AS row_count, sum(value) AS value_sum, min(value) AS value_min,
            max(value) AS value_max, count(value) AS value_count, count(user_id) AS user_id_count, round(avg(value), 6) AS avg
     FROM ${source} WHERE ${filter}
     GROUP BY 1, 2, 3 ORDER BY tenant_id, hour, event_type NULLS FIRST`,
  );
  return r.rows.map((x) => JSON.stringify(x));
}

export async function insertEvents(c: Client, source: string, n: number, createdAt: string, eventType = `(ARRAY['view','click',NULL])[1 + s % 3]`, tenants = 7): Promise<void> {
  await c.query(
    `INSERT INTO ${source} (tenant_id, user_id, event_type, value, created_at)
     SELECT s % ${tenants}, CASE WHEN s % 5 = 0 THEN NULL ELSE s % 13 END, ${eventType},
            CASE WHEN s % 4 = 0 THEN NULL ELSE (s % 100) / 4.0 END, ${createdAt}
     FROM generate_series(1, ${n}) s`,
  );
}

/** The time window's watermark of a rollup (`schema.name`). */
export async function watermark(c: Client, rollup: string): Promise<Date> {
  const schema = rollup.slice(0, rollup.indexOf('.'));
  const r = await c.query(`SELECT last_aggregated_time AS w FROM ${schema}.citus_rollups WHERE rollup_name = $1`, [rollup]);
  assert.ok(r.rows[0]?.w instanceof Date, `${rollup} has a watermark`);
  return r.rows[0].w as Date;
}

export async function waitForLockWait(c: Client, pid: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const r = await c.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid]);
    if (r.rows[0]?.wait_event_type === 'Lock') return;
    await sleep(25);
  }
  assert.fail(`backend ${pid} never waited for a lock`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function backendPid(c: Client): Promise<number> {
  return (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p as number;
}
