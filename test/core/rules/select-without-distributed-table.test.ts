import { at } from './at';
import { ruleTests } from './harness';

const SERIES = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT i, 0 FROM generate_series(1000, 1010) i';
const DAYS = `INSERT INTO analytics.tenant_daily (tenant_id, day, cnt)
SELECT 1, d::date, 0
FROM generate_series(timestamp '2024-01-01', timestamp '2024-01-31', interval '1 day') d`;
const UNNEST = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT x, 0 FROM unnest(ARRAY[4001, 4002, 4003]) x';
const VALUES = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT t, n FROM (VALUES (1, 10), (2, 20)) v(t, n)';
const REF_TARGET = "INSERT INTO ref_tenants (tenant_id, tenant_name) SELECT i, 'gen ' || i FROM generate_series(2000, 2010) i";

ruleTests('select-without-distributed-table', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // an immutable function joined to a distributed table (generate_series of timestamp; of timestamptz it is STABLE)
    {
      sql: `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT e.tenant_id, d::date, e.event_type, count(*)
FROM events e, generate_series(timestamp '2024-01-01', timestamp '2024-01-07', interval '1 day') d
WHERE e.created_at >= d AND e.created_at < d + interval '1 day'
GROUP BY e.tenant_id, d, e.event_type`,
      method: 'pushdown',
    },
    // INSERT .. VALUES is not an INSERT .. SELECT
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) VALUES (1, 0)' },
  ],
  invalid: [
    { sql: SERIES, method: 'pull_to_coordinator', findings: [at(SERIES, 'generate_series')] },
    { sql: DAYS, method: 'pull_to_coordinator', findings: [at(DAYS, 'generate_series')] },
    { sql: UNNEST, method: 'pull_to_coordinator', findings: [at(UNNEST, 'unnest')] },
    { sql: VALUES, method: 'pull_to_coordinator', findings: [at(VALUES, 'VALUES')] },
    { sql: REF_TARGET, method: 'pull_to_coordinator', findings: [at(REF_TARGET, 'generate_series')] },
  ],
});
