import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const IN_WHERE = 'SELECT tenant_id FROM events WHERE row_number() OVER (PARTITION BY tenant_id) = 1';
const NO_OVER = 'SELECT tenant_id, row_number() FROM events';
const TWICE = 'SELECT tenant_id, count(*) OVER w FROM events WINDOW w AS (PARTITION BY tenant_id), w AS (ORDER BY tenant_id)';

// transformWindowDefinitions: what a window may take from the one it names, and RANGE offsets
const OVERRIDE_ORDER = 'SELECT first_value(value) OVER (w ORDER BY event_id) FROM events WINDOW w AS (PARTITION BY tenant_id ORDER BY created_at)';
const OVERRIDE_PARTITION = 'SELECT first_value(value) OVER (w PARTITION BY user_id) FROM events WINDOW w AS (PARTITION BY tenant_id)';
const COPY_FRAME = 'SELECT sum(value) OVER (w ORDER BY created_at) FROM events WINDOW w AS (PARTITION BY tenant_id ROWS UNBOUNDED PRECEDING)';
const REF_MISSING = 'SELECT sum(value) OVER (w2 ORDER BY created_at) FROM events WINDOW w AS (PARTITION BY tenant_id)';
const RANGE_TWO = 'SELECT sum(value) OVER (ORDER BY tenant_id, created_at RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM events';
const RANGE_INHERITED = 'SELECT sum(value) OVER (w RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM events WINDOW w AS (ORDER BY tenant_id, created_at)';
export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT first_value(value) OVER (w ORDER BY event_id) FROM events WINDOW w AS (PARTITION BY tenant_id)' },
    { sql: 'SELECT sum(value) OVER (w ROWS UNBOUNDED PRECEDING) FROM events WINDOW w AS (PARTITION BY tenant_id ORDER BY created_at)' },
    { sql: 'SELECT sum(value) OVER w FROM events WINDOW w AS (PARTITION BY tenant_id ORDER BY created_at ROWS UNBOUNDED PRECEDING)' },
    { sql: "SELECT sum(value) OVER (ORDER BY created_at RANGE BETWEEN '1 day' PRECEDING AND CURRENT ROW) FROM events" },
    { sql: 'SELECT sum(value) OVER (ORDER BY tenant_id, created_at ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM events' },
    { sql: 'SELECT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at) FROM events' },
    // a window over an aggregate is fine
    { sql: 'SELECT tenant_id, sum(count(*)) OVER () FROM events GROUP BY tenant_id' },
    { sql: 'SELECT count(*) OVER w, sum(value) OVER w2 FROM events WINDOW w AS (PARTITION BY tenant_id), w2 AS (w ORDER BY created_at)' },
  ],
  invalid: [
    { sql: IN_WHERE, outcome: 'error', findings: [at(IN_WHERE, 'row_number')] },
    { sql: NO_OVER, outcome: 'error', findings: [at(NO_OVER, 'row_number')] },
    { sql: TWICE, findings: [at(TWICE, '(ORDER BY')] },
    { sql: OVERRIDE_ORDER, outcome: 'error', findings: [at(OVERRIDE_ORDER, '(w ORDER')] },
    { sql: OVERRIDE_PARTITION, outcome: 'error', findings: [at(OVERRIDE_PARTITION, '(w PARTITION')] },
    { sql: COPY_FRAME, outcome: 'error', findings: [at(COPY_FRAME, '(w ORDER')] },
    { sql: REF_MISSING, outcome: 'error', findings: [at(REF_MISSING, '(w2')] },
    { sql: RANGE_TWO, outcome: 'error', findings: [at(RANGE_TWO, '(ORDER')] },
    { sql: RANGE_INHERITED, outcome: 'error', findings: [at(RANGE_INHERITED, '(w RANGE')] },
  ],
};

ruleTests('misplaced-window-function', cases);
