import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const IN_WHERE = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE count(*) > 1 GROUP BY tenant_id';
const NESTED = 'SELECT tenant_id, max(count(*)) FROM events GROUP BY tenant_id';
const GROUP_POSITION = 'SELECT count(*), tenant_id FROM events GROUP BY 1';

export const cases: RuleTable = {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING count(*) > 1', method: 'pushdown' },
    // an aggregate in a subquery in WHERE belongs to the subquery
    { sql: 'SELECT tenant_id FROM events WHERE value > (SELECT avg(value) FROM events)' },
  ],
  invalid: [
    { sql: IN_WHERE, method: 'error', findings: [at(IN_WHERE, 'count(*) > 1')] },
    { sql: NESTED, outcome: 'error', findings: [at(NESTED, 'max')] },
    { sql: GROUP_POSITION, outcome: 'error', findings: [at(GROUP_POSITION, 'count')] },
  ],
};

ruleTests('misplaced-aggregate', cases);
