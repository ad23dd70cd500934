import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const COMPARED = "SELECT tenant_id FROM events WHERE tenant_id = 'abc'";
const CAST = "SELECT 'yes please'::boolean";
const ASSIGNED = "INSERT INTO tenant_stats (tenant_id, event_count) SELECT 'x', count(*) FROM events GROUP BY tenant_id";

export const cases: RuleTable = {
  valid: [
    { sql: "SELECT tenant_id FROM events WHERE tenant_id = '42'" },
    { sql: "SELECT 'on'::boolean, ' 12 '::int, '1e3'::numeric, 'today'::date" },
  ],
  invalid: [
    { sql: COMPARED, outcome: 'error', findings: [at(COMPARED, "'abc'")] },
    { sql: CAST, outcome: 'error', findings: [at(CAST, "'yes please'")] },
    { sql: ASSIGNED, method: 'error', findings: [at(ASSIGNED, "'x'")] },
  ],
};

ruleTests('invalid-literal', cases);
