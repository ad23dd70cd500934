import { at } from './at';
import { ruleTests } from './harness';

// one tenant: the SELECT is router-planned, so GROUPING SETS are fine
const ONE_TENANT = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT tenant_id, current_date, coalesce(event_type, 'all'), count(*)
FROM events WHERE tenant_id = 5
GROUP BY GROUPING SETS ((tenant_id), (tenant_id, event_type))`;

// when another check fails first, GROUPING SETS is the planning ERROR of the fallback
const WITH_VOLATILE = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count, total_value)
SELECT tenant_id, current_date, coalesce(event_type, 'all'), count(*), random()
FROM events
GROUP BY GROUPING SETS ((tenant_id), (tenant_id, event_type))`;
const WITH_LOCAL = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT e.tenant_id, current_date, coalesce(e.event_type, 'all'), count(*)
FROM events e JOIN local_config l ON l.tenant_id = e.tenant_id
GROUP BY ROLLUP (e.tenant_id, e.event_type)`;

// GROUPING() is refused wherever the query is planned across shards, even grouped by the distribution column, and
// runs where the query is router-planned or the INSERT..SELECT pushed down (Citus 13.2.2: probes/sql/grouping-calls.sql)
const GROUPING_CALL = 'SELECT tenant_id, grouping(event_type), count(*) FROM events GROUP BY tenant_id, event_type';
const GROUPING_HAVING = 'SELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING grouping(tenant_id) = 0';
const GROUPING_IN_FROM = 'SELECT * FROM (SELECT tenant_id, grouping(event_type) AS g, count(*) FROM events GROUP BY tenant_id, event_type) s';
const GROUPING_LIMIT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, grouping(tenant_id) FROM events GROUP BY tenant_id LIMIT 5 ON CONFLICT (tenant_id) DO NOTHING';
const GROUPING_AND_ROLLUP = 'SELECT tenant_id, grouping(tenant_id) FROM events GROUP BY ROLLUP (tenant_id)';

const DUPLICATE_SETS = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY GROUPING SETS ((tenant_id), (tenant_id))';
const EMPTY_SET = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT max(tenant_id), count(*) FROM events GROUP BY ()';
const ROLLUP_SAME = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id, ROLLUP (tenant_id)';

ruleTests('grouping-sets-unsupported', {
  valid: [
    { sql: ONE_TENANT, method: 'router' },
    // the usual way: one INSERT..SELECT per grouping
    { sql: "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, current_date, 'all', count(*) FROM events GROUP BY tenant_id", method: 'pushdown' },
    { sql: 'INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, current_date, event_type, count(*) FROM events GROUP BY tenant_id, event_type', method: 'pushdown' },
    // grouping sets that PostgreSQL's parse analysis collapses to one non-empty set are a plain GROUP BY (recorded on
    // Citus 13.2.2: test/fixtures/probes/sql/group-by-forms.sql)
    { sql: 'INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, max(created_at)::date, event_type, count(*) FROM events GROUP BY tenant_id, GROUPING SETS ((event_type))', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY GROUPING SETS (GROUPING SETS ((tenant_id)))', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY DISTINCT GROUPING SETS ((tenant_id), (tenant_id))', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY DISTINCT tenant_id, ROLLUP (tenant_id)', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id, ()', method: 'pushdown' },
    { sql: 'SELECT tenant_id, count(*) FROM events GROUP BY tenant_id, GROUPING SETS (())', outcome: 'multi_shard' },
    { sql: 'SELECT tenant_id, grouping(tenant_id) FROM events WHERE tenant_id = 5 GROUP BY tenant_id', outcome: 'single_shard' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) + grouping(tenant_id) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count', method: 'pushdown' },
  ],
  invalid: [
    { sql: WITH_VOLATILE, method: 'error', findings: [at(WITH_VOLATILE, 'GROUPING SETS')] },
    { sql: WITH_LOCAL, method: 'error', findings: [at(WITH_LOCAL, 'ROLLUP')] },
    // two sets (duplicates count without DISTINCT), or one empty set: the grouping sets stay
    { sql: DUPLICATE_SETS, method: 'error', findings: [at(DUPLICATE_SETS, 'GROUPING SETS')] },
    { sql: EMPTY_SET, method: 'error', findings: [at(EMPTY_SET, '()')] },
    { sql: ROLLUP_SAME, method: 'error', findings: [at(ROLLUP_SAME, 'ROLLUP')] },
    { sql: GROUPING_CALL, outcome: 'error', findings: [at(GROUPING_CALL, 'grouping(event_type)')] },
    { sql: GROUPING_HAVING, outcome: 'error', findings: [at(GROUPING_HAVING, 'grouping(tenant_id)')] },
    { sql: GROUPING_IN_FROM, outcome: 'error', findings: [at(GROUPING_IN_FROM, 'grouping(event_type)')] },
    { sql: GROUPING_AND_ROLLUP, outcome: 'error', findings: [at(GROUPING_AND_ROLLUP, 'grouping(tenant_id)')] },
    { sql: GROUPING_LIMIT, method: 'error', findings: [at(GROUPING_LIMIT, 'grouping(tenant_id)')] },
  ],
});

// regression (fixed in the predictor after these tables found it): every GROUPING SETS / ROLLUP / CUBE error below carries the same finding twice
// (same range, same message): Predictor.result() deduplicates by rule + range, then puts the
// decisive finding (the DEBUG reason) back in front, next to the final ERROR. Methods are right.
const SETS = "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, current_date, coalesce(event_type, 'all'), count(*) FROM events GROUP BY GROUPING SETS ((tenant_id), (tenant_id, event_type))";
const ROLLUP = "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT coalesce(tenant_id, 0), current_date, coalesce(event_type, 'all'), count(*) FROM events GROUP BY ROLLUP (tenant_id, event_type)";
const CUBE = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT tenant_id, created_at::date, coalesce(event_type, 'all'), count(*)
FROM events
GROUP BY tenant_id, CUBE (created_at::date, event_type)`;
const IN_SUBQUERY = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, n FROM (SELECT tenant_id, count(*) AS n FROM events GROUP BY CUBE (tenant_id, event_type)) s';
describe('regression: grouping-sets-unsupported reported twice', () => {
  ruleTests('grouping-sets-unsupported', {
    valid: [],
    invalid: [
      { sql: SETS, method: 'error', findings: [at(SETS, 'GROUPING SETS')] },
      { sql: ROLLUP, method: 'error', findings: [at(ROLLUP, 'ROLLUP')] },
      { sql: CUBE, method: 'error', findings: [at(CUBE, 'CUBE')] },
      { sql: IN_SUBQUERY, method: 'error', findings: [at(IN_SUBQUERY, 'CUBE')] },
    ],
  });
});
