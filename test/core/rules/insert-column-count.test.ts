import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const MORE_EXPRESSIONS = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*), max(created_at) FROM events GROUP BY tenant_id';
const MORE_TARGETS = 'INSERT INTO tenant_stats (tenant_id, event_count, last_seen) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id';
const VALUES_ROW = 'INSERT INTO tenant_stats (tenant_id) VALUES (1, 2)';

export const cases: RuleTable = {
  valid: [
    { sql: 'INSERT INTO tenant_stats SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
  ],
  invalid: [
    { sql: MORE_EXPRESSIONS, method: 'error', findings: [at(MORE_EXPRESSIONS, 'max(created_at)')] },
    { sql: MORE_TARGETS, method: 'error', findings: [at(MORE_TARGETS, 'last_seen')] },
    { sql: VALUES_ROW, outcome: 'error', findings: [at(VALUES_ROW, '2')] },
  ],
};

ruleTests('insert-column-count', cases);
