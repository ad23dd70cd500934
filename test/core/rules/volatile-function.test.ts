import { at } from './at';
import { ruleTests } from './harness';

const RANDOM = 'INSERT INTO events (tenant_id, event_id, value, created_at) SELECT tenant_id, event_id + 1300000, random(), created_at FROM events';
const CLOCK = 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1300000, clock_timestamp() FROM events';
const IN_WHERE = 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1300000, created_at FROM events WHERE random() < 0.5';
const NESTED = "INSERT INTO events (tenant_id, event_id, payload, created_at) SELECT tenant_id, event_id + 1, jsonb_build_object('id', gen_random_uuid()), created_at FROM events";
// with a LIMIT the statement is pulled; the volatile call is still reported (Citus' first reason)
const SAMPLE = `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT tenant_id, count(*) FROM events GROUP BY tenant_id
ORDER BY random() LIMIT 10`;
// an omitted column whose DEFAULT is volatile is evaluated per row too
const DEFAULT_SCHEMA = `CREATE TABLE tenant_tokens (token uuid DEFAULT gen_random_uuid(), tenant_id int, n bigint);
SELECT create_distributed_table('tenant_tokens', 'tenant_id', colocate_with => 'events');
`;
// Citus 13.2 rebuilds the shard query after evaluating now() on the coordinator and, without ON CONFLICT, names the
// unaliased target in RETURNING by its table name (checked on Citus 13.2.2: refused; with any ON CONFLICT: runs)
const RETURNING_AFTER_NOW = "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, 'x', count(*) FROM events WHERE created_at > now() - '1 day'::interval GROUP BY 1, 2 RETURNING tenant_id";
// the same with a conversion the types make STABLE: timestamptz -> date (checked on Citus 13.2.2: refused), and into a
// schema-sharded (single-shard) table, whose shard query does not parse (`syntax error at or near "NOT"`)
const RETURNING_AFTER_CAST = "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, 'x', count(*) FROM events GROUP BY 1, 2 RETURNING tenant_id";
const SCHEMA_SHARDED = 'SET citus.enable_schema_based_sharding TO on; CREATE SCHEMA sbt1; CREATE TABLE sbt1.orders (id int, amount int, created_at timestamptz); CREATE TABLE sbt1.daily (day date PRIMARY KEY, n bigint); RESET citus.enable_schema_based_sharding;';
const INTO_SINGLE_SHARD = 'INSERT INTO sbt1.daily (day, n) SELECT created_at::date, count(*) FROM sbt1.orders GROUP BY 1 ON CONFLICT (day) DO UPDATE SET n = EXCLUDED.n';
const VOLATILE_DEFAULT = `${DEFAULT_SCHEMA}INSERT INTO tenant_tokens (tenant_id, n) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id`;

ruleTests('volatile-function', {
  valid: [
    // now() is STABLE: evaluated once on the coordinator
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1300000, now() FROM events', method: 'pushdown' },
    { sql: "INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views WHERE view_time >= date_trunc('day', transaction_timestamp()) GROUP BY 1, 2, 3", method: 'pushdown' },
    // the volatile default is not used when the column is given
    { sql: `${DEFAULT_SCHEMA}INSERT INTO tenant_tokens (token, tenant_id, n) SELECT NULL, tenant_id, count(*) FROM events GROUP BY tenant_id`, method: 'pushdown' },
    // nextval() is reported by sequence-default-forces-pull
    { sql: "INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, nextval('event_seq'), created_at FROM events", method: 'pull_to_coordinator' },
    { sql: `${RETURNING_AFTER_NOW.replace(' RETURNING', ' ON CONFLICT DO NOTHING RETURNING')}`, method: 'pushdown' },
    { schema: SCHEMA_SHARDED, sql: "INSERT INTO sbt1.daily (day, n) SELECT '2024-01-01'::date, count(*) FROM sbt1.orders WHERE created_at > '2024-01-01'", method: 'router' },
    { sql: `${RETURNING_AFTER_NOW.replace(' RETURNING', ' ON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = daily_rollup.event_count + EXCLUDED.event_count RETURNING')}`, method: 'pushdown' },
  ],
  invalid: [
    { sql: RANDOM, method: 'repartition', findings: [at(RANDOM, 'random()')] },
    { sql: CLOCK, method: 'repartition', findings: [at(CLOCK, 'clock_timestamp()')] },
    { sql: IN_WHERE, method: 'repartition', findings: [at(IN_WHERE, 'random()')] },
    { sql: NESTED, method: 'repartition', findings: [at(NESTED, 'gen_random_uuid()')] },
    { sql: SAMPLE, method: 'pull_to_coordinator', findings: [at(SAMPLE, 'random()')] },
    { sql: VOLATILE_DEFAULT, method: 'repartition', findings: [at(VOLATILE_DEFAULT, 'tenant_id, n')] },
    { sql: RETURNING_AFTER_NOW, method: 'error', findings: [at(RETURNING_AFTER_NOW, 'tenant_id', 3)] },
    { sql: RETURNING_AFTER_CAST, method: 'error', findings: [at(RETURNING_AFTER_CAST, 'tenant_id', 3)] },
    { schema: SCHEMA_SHARDED, sql: INTO_SINGLE_SHARD, method: 'error', findings: [at(INTO_SINGLE_SHARD, 'created_at::date')] },
  ],
});
