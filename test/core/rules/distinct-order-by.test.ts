import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const NOT_SELECTED = 'SELECT DISTINCT tenant_id FROM events ORDER BY user_id';
const NOT_LEADING = 'SELECT DISTINCT ON (user_id) tenant_id, user_id FROM events ORDER BY tenant_id';
const AFTER_OTHER = 'SELECT DISTINCT ON (tenant_id) tenant_id, user_id FROM events ORDER BY created_at, tenant_id';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT DISTINCT tenant_id FROM events ORDER BY tenant_id' },
    { sql: 'SELECT DISTINCT tenant_id AS t FROM events ORDER BY t DESC' },
    { sql: 'SELECT DISTINCT tenant_id, user_id FROM events ORDER BY 2, 1' },
    { sql: 'SELECT DISTINCT e.tenant_id FROM events e ORDER BY tenant_id' },
    { sql: 'SELECT DISTINCT tenant_id, count(*) FROM events GROUP BY tenant_id ORDER BY count(*)' },
    // DISTINCT ON leading the ORDER BY, in any order among themselves; what follows picks the row kept
    { sql: 'SELECT DISTINCT ON (tenant_id) tenant_id, user_id FROM events ORDER BY tenant_id, created_at DESC' },
    { sql: 'SELECT DISTINCT ON (tenant_id, user_id) * FROM events ORDER BY user_id, tenant_id, created_at' },
    { sql: 'SELECT DISTINCT ON (tenant_id) tenant_id, user_id FROM events' },
  ],
  invalid: [
    { sql: NOT_SELECTED, outcome: 'error', findings: [at(NOT_SELECTED, 'user_id')] },
    { sql: NOT_LEADING, outcome: 'error', findings: [at(NOT_LEADING, 'user_id')] },
    { sql: AFTER_OTHER, outcome: 'error', findings: [at(AFTER_OTHER, 'tenant_id')] },
  ],
};

ruleTests('distinct-order-by', cases);
