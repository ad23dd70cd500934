import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const MIXED = 'SELECT tenant_id FROM events WHERE event_type = tenant_id';
const PLUS = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) + event_type FROM events GROUP BY tenant_id, event_type';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT tenant_id FROM events WHERE event_id = tenant_id' },
    { sql: "SELECT tenant_id FROM events WHERE created_at > now() - interval '1 day'" },
    { sql: "SELECT payload->>'kind' FROM events WHERE payload ? 'kind'" },
  ],
  invalid: [
    { sql: MIXED, outcome: 'error', findings: [at(MIXED, 'event_type = tenant_id')] },
    { sql: PLUS, method: 'error', findings: [at(PLUS, 'count(*) + event_type')] },
  ],
};

ruleTests('undefined-operator', cases);
