import { at } from './at';
import { ruleTests } from './harness';

const REF_LEFT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT r.tenant_id, count(e.event_id) FROM ref_tenants r LEFT JOIN events e ON e.tenant_id = r.tenant_id GROUP BY r.tenant_id';
const DIST_RIGHT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e RIGHT JOIN ref_tenants r ON e.tenant_id = r.tenant_id GROUP BY e.tenant_id';
const CATEGORY = `INSERT INTO events (tenant_id, event_id, event_type, created_at)
SELECT e.tenant_id, e.event_id + 5000000, t.category, e.created_at
FROM event_types t
LEFT JOIN events e ON e.event_type = t.event_type`;
const LATERAL_SELECT = 'SELECT r.tenant_name, x.n FROM ref_tenants r LEFT JOIN LATERAL (SELECT count(*) AS n FROM events e WHERE e.tenant_id = r.tenant_id) x ON true';
const LATERAL_VALUES = 'SELECT count(*) FROM (VALUES (1), (2)) v(i) LEFT JOIN LATERAL (SELECT * FROM events e WHERE e.value > v.i) x ON true';
const FULL = 'INSERT INTO events (tenant_id, event_id, event_type, created_at) SELECT e.tenant_id, e.event_id + 5000000, t.category, e.created_at FROM event_types t FULL JOIN events e ON e.event_type = t.event_type';

ruleTests('reference-outer-join', {
  valid: [
    // the distributed table on the outer side
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e LEFT JOIN ref_tenants r ON e.tenant_id = r.tenant_id GROUP BY e.tenant_id', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM ref_tenants r JOIN events e ON e.tenant_id = r.tenant_id GROUP BY e.tenant_id', method: 'pushdown' },
    // two colocated distributed tables may be outer joined
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT u.tenant_id, count(e.event_id) FROM users u LEFT JOIN events e ON e.tenant_id = u.tenant_id GROUP BY u.tenant_id', method: 'pushdown' },
    // SELECTs, checked on Citus 13.2.2: the 13.2 pushdown on the distribution column, by USING too; off with the hidden setting
    { sql: 'SELECT count(*) FROM ref_tenants LEFT JOIN events USING (tenant_id)', outcome: 'multi_shard' },
    { sql: 'SET citus.enable_recurring_outer_join_pushdown TO off;\nSELECT count(*) FROM ref_tenants LEFT JOIN events USING (tenant_id)', outcome: 'coordinator' },
    // a strict WHERE on the nullable side makes the join inner (reduce_outer_joins): no outer join for Citus; IS NULL is not strict
    { sql: "SELECT count(*) FROM ref_tenants r LEFT JOIN events e ON e.value = r.tenant_id WHERE e.event_type = 'click'", outcome: 'multi_shard' },
    { sql: 'SELECT count(*) FROM ref_tenants r LEFT JOIN events e ON e.value = r.tenant_id WHERE e.event_type IS NULL', outcome: 'coordinator' },
    // another outer join kept: Citus walks them all, the reduced one too
    { sql: "SELECT count(*) FROM ref_tenants r LEFT JOIN events e ON e.value = r.tenant_id LEFT JOIN users u ON u.tenant_id = e.tenant_id WHERE e.event_type = 'click'", outcome: 'coordinator' },
  ],
  invalid: [
    // grouped by the reference table's column: a merge step, so pull
    { sql: REF_LEFT, method: 'pull_to_coordinator', findings: [at(REF_LEFT, 'ref_tenants')] },
    { sql: DIST_RIGHT, findings: [at(DIST_RIGHT, 'ref_tenants')] },
    { sql: CATEGORY, findings: [at(CATEGORY, 'event_types')] },
    { sql: FULL, findings: [at(FULL, 'event_types')] },
    // a SELECT whose LATERAL subquery reads the outer side: the walker cannot plan it, Citus refuses (13.2.2)
    { sql: LATERAL_SELECT, outcome: 'error', findings: [at(LATERAL_SELECT, 'ref_tenants')] },
    { sql: LATERAL_VALUES, outcome: 'error', findings: [at(LATERAL_VALUES, '1), (2)')] },
  ],
});

// regression (fixed in the predictor after these tables found it): `ref LEFT JOIN dist` /
// `dist RIGHT JOIN ref` on the distribution column without a merge step is repartitioned in 13.2
// (pull only in <= 13.1). The analyzer predicts pull_to_coordinator for both statements below.
const NO_MERGE_LEFT = 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT e.tenant_id, e.created_at FROM ref_tenants r LEFT JOIN events e ON e.tenant_id = r.tenant_id';
const NO_MERGE_RIGHT = 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT e.tenant_id, e.created_at FROM events e RIGHT JOIN ref_tenants r ON e.tenant_id = r.tenant_id';
describe('regression: recurring outer join without a merge step is repartitioned in Citus 13.2', () => {
  ruleTests('reference-outer-join', {
    valid: [],
    invalid: [
      { sql: NO_MERGE_LEFT, method: 'repartition', findings: [at(NO_MERGE_LEFT, 'ref_tenants')] },
      { sql: NO_MERGE_RIGHT, method: 'repartition', findings: [at(NO_MERGE_RIGHT, 'ref_tenants')] },
    ],
  });
});
