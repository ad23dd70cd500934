import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const UNION = 'SELECT tenant_id FROM events UNION SELECT event_type FROM events';
const CASE = "SELECT CASE WHEN value > 0 THEN tenant_id ELSE event_type END FROM events";
const WHERE = 'SELECT tenant_id FROM events WHERE tenant_id';
const WIDTH = 'SELECT tenant_id, event_id FROM events UNION SELECT tenant_id FROM events';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT tenant_id FROM events UNION SELECT user_id FROM users' },
    { sql: "SELECT CASE WHEN value > 0 THEN 'positive' ELSE event_type END FROM events" },
    { sql: 'SELECT coalesce(value, 0) FROM events' },
  ],
  invalid: [
    { sql: UNION, outcome: 'error', findings: [at(UNION, 'event_type')] },
    { sql: CASE, outcome: 'error', findings: [at(CASE, 'tenant_id')] },
    { sql: WHERE, outcome: 'error', findings: [at(WHERE, 'tenant_id', 2)] },
    { sql: WIDTH, outcome: 'error', findings: [at(WIDTH, 'tenant_id FROM events')] },
  ],
};

ruleTests('datatype-mismatch', cases);
