import { at } from './at';
import { ruleTests } from './harness';

const CONSTANT_KEY = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT 1, count(*) FROM events';
const MAX_KEY = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT max(tenant_id), count(*) FROM events';
const FILTER = "INSERT INTO tenant_stats (tenant_id, event_count) SELECT 1, count(*) FILTER (WHERE event_type = 'signup') FROM events";
const HAVING = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT 1, 1 FROM events HAVING count(*) > 1';
const IN_SUBQUERY = `INSERT INTO tenant_stats (tenant_id, event_count, total_value)
SELECT tenant_id, n, v
FROM (SELECT 1 AS tenant_id, count(*) AS n, sum(value) AS v FROM events) s`;
// a scalar subquery over a reference table in the SELECT list: the aggregate check applies to reference tables too
// (checked on Citus 13.2.2: `Aggregates without group by ...`, then repartition)
const REFERENCE_SCALAR = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, (SELECT count(*) FROM ref_tenants) FROM events';

ruleTests('aggregate-without-group-by', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(DISTINCT user_id) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // HAVING with a GROUP BY on the distribution column
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING count(*) > 1', method: 'pushdown' },
    // a correlated scalar subquery per row is not a merge step
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT t.tenant_id, (SELECT count(*) FROM events e WHERE e.tenant_id = t.tenant_id) FROM tenant_stats t', method: 'pushdown' },
  ],
  invalid: [
    { sql: REFERENCE_SCALAR, method: 'repartition', findings: [at(REFERENCE_SCALAR, 'count(*)')] },
    { sql: CONSTANT_KEY, method: 'pull_to_coordinator', findings: [at(CONSTANT_KEY, 'count(*)')] },
    { sql: MAX_KEY, method: 'pull_to_coordinator', findings: [at(MAX_KEY, 'max(tenant_id)')] },
    { sql: FILTER, method: 'pull_to_coordinator', findings: [at(FILTER, 'count(*)')] },
    { sql: HAVING, method: 'pull_to_coordinator', findings: [at(HAVING, 'HAVING')] },
    { sql: IN_SUBQUERY, method: 'pull_to_coordinator', findings: [at(IN_SUBQUERY, 'count(*)')] },
  ],
});
