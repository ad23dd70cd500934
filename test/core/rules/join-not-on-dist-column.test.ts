import { at } from './at';
import { ruleTests } from './harness';

// the join is inside a WHERE subquery, which Citus plans on its own: repartition, not an error
const IN_SUBQUERY = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE user_id IN (SELECT user_id FROM users WHERE user_id < 50) GROUP BY tenant_id';
const SCALAR = 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1100000, created_at FROM events WHERE value > (SELECT avg(value) FROM events)';
const HAVING_SUBQUERY = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING sum(value) > (SELECT avg(value) * 10 FROM events)';
const TEXT_JOIN = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT s.tenant_id, count(*) FROM sessions s JOIN events e ON e.tenant_id = s.tenant_id GROUP BY s.tenant_id';

// the join order reads the written clauses: users joins the reference table's column, not events' (Citus 13.2.2)
const THROUGH_REFERENCE = 'SELECT count(*) FROM events e JOIN ref_tenants r ON r.tenant_id = e.tenant_id JOIN users u ON u.tenant_id = r.tenant_id';
const CARTESIAN_REFERENCE = 'SET citus.enable_repartition_joins TO on;\nSELECT e.value FROM ref_tenants r, events e, orders_nc o';

ruleTests('join-not-on-dist-column', {
  valid: [
    // a table with no join clause next to a reference table: the join order takes it Cartesian with the reference table
    // first, and what joins the reference table follows (checked on Citus 13.2.2, a repartition join); two such tables
    // are a Cartesian product (below)
    { sql: 'SET citus.enable_repartition_joins TO on;\nSELECT e.value FROM ref_tenants r, events e, users u WHERE e.user_id = r.tenant_id', outcome: 'coordinator' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN users u ON u.tenant_id = e.tenant_id GROUP BY e.tenant_id', method: 'pushdown' },
    // extra join conditions are fine once the distribution columns are equal
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN users u ON u.tenant_id = e.tenant_id AND u.user_id = e.user_id GROUP BY e.tenant_id', method: 'pushdown' },
    // a reference table may be joined on any column
    { sql: 'INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT e.tenant_id, e.created_at::date, t.category, count(*) FROM events e JOIN event_types t ON t.event_type = e.event_type GROUP BY 1, 2, 3', method: 'pushdown' },
    // correlated on the distribution column
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e WHERE EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = e.tenant_id) GROUP BY e.tenant_id', method: 'pushdown' },
  ],
  invalid: [
    { sql: THROUGH_REFERENCE, outcome: 'error', findings: [at(THROUGH_REFERENCE, 'users')] },
    { sql: IN_SUBQUERY, method: 'repartition', findings: [at(IN_SUBQUERY, 'users')] },
    { sql: SCALAR, method: 'repartition', findings: [at(SCALAR, 'events', 3)] },
    { sql: HAVING_SUBQUERY, method: 'repartition', findings: [at(HAVING_SUBQUERY, 'events', 2)] },
    // sessions.tenant_id is not sessions' distribution column (session_key is); the final ERROR is
    // reported by tables-not-colocated
    { sql: TEXT_JOIN, method: 'error', findings: [at(TEXT_JOIN, 'events')] },
    // two tables with no clause, next to a reference table: a Cartesian product (checked on Citus 13.2.2)
    { sql: CARTESIAN_REFERENCE, outcome: 'error', findings: [at(CARTESIAN_REFERENCE, 'orders_nc')] },
  ],
});

// regression (fixed in the predictor after these tables found it): when Citus refuses the join (ERROR), the rule is reported twice on the same token:
// the DEBUG reason ("complex joins are only supported ...") and the ERROR ("the query contains a join
// that requires repartitioning" / "Cartesian products ..."). Predictor.result() deduplicates by rule +
// range, then puts the decisive finding back in front, so it appears twice. Methods are right.
const USER_JOIN = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN users u ON e.user_id = u.user_id GROUP BY e.tenant_id';
const WRONG_COLUMNS = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN users u ON e.tenant_id = u.user_id GROUP BY e.tenant_id';
const ROLLUP = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT e.tenant_id, e.created_at::date, e.event_type, count(*)
FROM events e
JOIN users u ON u.user_id = e.user_id
GROUP BY 1, 2, 3`;
const CARTESIAN = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e, users u GROUP BY e.tenant_id';
const EXISTS_OTHER = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e WHERE EXISTS (SELECT 1 FROM users u WHERE u.user_id = e.user_id) GROUP BY e.tenant_id';
describe('regression: join-not-on-dist-column reported twice when Citus refuses the join', () => {
  ruleTests('join-not-on-dist-column', {
    valid: [],
    invalid: [
      { sql: USER_JOIN, method: 'error', findings: [at(USER_JOIN, 'users')] },
      { sql: WRONG_COLUMNS, method: 'error', findings: [at(WRONG_COLUMNS, 'users')] },
      { sql: ROLLUP, method: 'error', findings: [at(ROLLUP, 'users')] },
      { sql: CARTESIAN, method: 'error', findings: [at(CARTESIAN, 'users')] },
      { sql: EXISTS_OTHER, method: 'error', findings: [at(EXISTS_OTHER, 'users')] },
    ],
  });
});

// citus.enable_repartition_joins = on: the SELECT is planned with a repartition join, whose results Citus
// pulls through the coordinator (rules note §4.1); a cartesian product still fails, and RESET restores the error
const REPARTITION_ON = `SET citus.enable_repartition_joins = on;\n${USER_JOIN}`;
const CARTESIAN_ON = `SET citus.enable_repartition_joins TO on;\n${CARTESIAN}`;
const RESET_AGAIN = `SET citus.enable_repartition_joins = on;\nRESET citus.enable_repartition_joins;\n${USER_JOIN}`;
describe('join-not-on-dist-column with citus.enable_repartition_joins', () => {
  ruleTests('join-not-on-dist-column', {
    valid: [],
    invalid: [
      { sql: REPARTITION_ON, method: 'pull_to_coordinator', findings: [at(REPARTITION_ON, 'users')] },
      { sql: CARTESIAN_ON, method: 'error', findings: [at(CARTESIAN_ON, 'users')] },
      { sql: RESET_AGAIN, method: 'error', findings: [at(RESET_AGAIN, 'users')] },
    ],
  });
});
