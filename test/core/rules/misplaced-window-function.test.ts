import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const IN_WHERE = 'SELECT tenant_id FROM events WHERE row_number() OVER (PARTITION BY tenant_id) = 1';
const NO_OVER = 'SELECT tenant_id, row_number() FROM events';
const TWICE = 'SELECT tenant_id, count(*) OVER w FROM events WINDOW w AS (PARTITION BY tenant_id), w AS (ORDER BY tenant_id)';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at) FROM events' },
    // a window over an aggregate is fine
    { sql: 'SELECT tenant_id, sum(count(*)) OVER () FROM events GROUP BY tenant_id' },
    { sql: 'SELECT count(*) OVER w, sum(value) OVER w2 FROM events WINDOW w AS (PARTITION BY tenant_id), w2 AS (w ORDER BY created_at)' },
  ],
  invalid: [
    { sql: IN_WHERE, outcome: 'error', findings: [at(IN_WHERE, 'row_number')] },
    { sql: NO_OVER, outcome: 'error', findings: [at(NO_OVER, 'row_number')] },
    { sql: TWICE, findings: [at(TWICE, '(ORDER BY')] },
  ],
};

ruleTests('misplaced-window-function', cases);
