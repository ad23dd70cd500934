import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const IN_WHERE = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE count(*) > 1 GROUP BY tenant_id';
const NESTED = 'SELECT tenant_id, max(count(*)) FROM events GROUP BY tenant_id';
const GROUP_POSITION = 'SELECT count(*), tenant_id FROM events GROUP BY 1';
const GROUP_GROUPING = 'SELECT grouping(e.tenant_id) FROM local_config e GROUP BY 1';
// an aggregate of the outer query's columns only, in a subquery, belongs to the outer query: there, in WHERE
const OUTER_IN_WHERE = 'SELECT count(*) FROM events a WHERE a.value > (SELECT max(a.value) FROM users)';
const OUTER_IN_EXISTS = 'SELECT count(*) FROM events a WHERE EXISTS (SELECT 1 FROM users u HAVING max(a.value) > 0)';

export const cases: RuleTable = {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING count(*) > 1', method: 'pushdown' },
    // an aggregate in a subquery in WHERE belongs to the subquery
    { sql: 'SELECT tenant_id FROM events WHERE value > (SELECT avg(value) FROM events)' },
    // an outer query's aggregate in a subquery of its select list is in the select list (Citus refuses the join)
    { sql: 'SELECT a.tenant_id, (SELECT max(a.value) FROM ref_tenants LIMIT 1) FROM events a GROUP BY a.tenant_id' },
    // with a column of the subquery's own, it is the subquery's aggregate
    { sql: 'SELECT count(*) FROM events a WHERE a.value > (SELECT max(u.user_id + a.value) FROM users u)' },
  ],
  invalid: [
    { sql: IN_WHERE, method: 'error', findings: [at(IN_WHERE, 'count(*) > 1')] },
    { sql: NESTED, outcome: 'error', findings: [at(NESTED, 'max')] },
    { sql: GROUP_POSITION, outcome: 'error', findings: [at(GROUP_POSITION, 'count')] },

    { sql: GROUP_GROUPING, outcome: 'error', findings: [at(GROUP_GROUPING, 'grouping(')] },
    { sql: OUTER_IN_WHERE, outcome: 'error', findings: [at(OUTER_IN_WHERE, 'max')] },
    { sql: OUTER_IN_EXISTS, outcome: 'error', findings: [at(OUTER_IN_EXISTS, 'max')] },
  ],
};

ruleTests('misplaced-aggregate', cases);
