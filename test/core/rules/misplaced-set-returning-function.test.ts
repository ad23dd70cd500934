import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const IN_WHERE = 'SELECT tenant_id FROM events WHERE generate_series(1, 3) > tenant_id';
const IN_JOIN = 'SELECT 1 FROM events e JOIN users u ON u.tenant_id = unnest(ARRAY[e.tenant_id])';
const IN_AGGREGATE = 'SELECT sum(generate_series(1, tenant_id)) FROM events';
const IN_UPDATE = 'UPDATE events SET value = generate_series(1, 2) WHERE tenant_id = 5';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT tenant_id, generate_series(1, 3) FROM events' },
    { sql: 'SELECT tenant_id, t FROM events, LATERAL generate_series(1, 3) AS t' },
    // window PARTITION BY / ORDER BY take them, and a subquery has its own select list
    { sql: 'SELECT row_number() OVER (PARTITION BY generate_series(1, 2)) FROM events' },
    { sql: 'SELECT tenant_id FROM events WHERE tenant_id IN (SELECT generate_series(1, 3))' },
  ],
  invalid: [
    { sql: IN_WHERE, outcome: 'error', findings: [at(IN_WHERE, 'generate_series')] },
    { sql: IN_JOIN, outcome: 'error', findings: [at(IN_JOIN, 'unnest')] },
    { sql: IN_AGGREGATE, outcome: 'error', findings: [at(IN_AGGREGATE, 'generate_series')] },
    { sql: IN_UPDATE, outcome: 'error', findings: [at(IN_UPDATE, 'generate_series')] },
  ],
};

ruleTests('misplaced-set-returning-function', cases);
