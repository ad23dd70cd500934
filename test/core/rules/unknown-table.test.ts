import { at } from './at';
import { ruleTests } from './harness';

const SOURCE = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM no_such_table GROUP BY tenant_id';
const TARGET = 'INSERT INTO no_such_rollup (tenant_id, n) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id';
const TWO = `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT e.tenant_id, count(*)
FROM events e
JOIN missing_a a ON a.tenant_id = e.tenant_id
JOIN missing_b b ON b.tenant_id = e.tenant_id
GROUP BY e.tenant_id`;
const QUALIFIED = 'INSERT INTO analytics.no_table (tenant_id) SELECT tenant_id FROM events';
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
  ],
});
