import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const IN_WHERE = 'SELECT tenant_id FROM events WHERE generate_series(1, 3) > tenant_id';
const IN_JOIN = 'SELECT 1 FROM events e JOIN users u ON u.tenant_id = unnest(ARRAY[e.tenant_id])';
const IN_AGGREGATE = 'SELECT sum(generate_series(1, tenant_id)) FROM events';
const IN_UPDATE = 'UPDATE events SET value = generate_series(1, 2) WHERE tenant_id = 5';
const IN_CASE = "SELECT CASE WHEN tenant_id > 1 THEN generate_series(1, 3) ELSE 0 END FROM events";
const IN_CASE_ARG = "SELECT CASE unnest(ARRAY[tenant_id]) WHEN 1 THEN 'one' END FROM events";
const IN_COALESCE = 'SELECT coalesce(user_id, generate_series(1, 3)) FROM events';
const IN_CASE_WHEN = 'SELECT CASE WHEN generate_series(1, 3) > tenant_id THEN 1 END FROM events';
const IN_AND = 'SELECT generate_series(1, 3) > tenant_id AND true FROM events';
// a VALUES of several rows, or VALUES as a query; one INSERT row takes them (valid below)
const IN_VALUES_ROWS = 'INSERT INTO local_config (tenant_id, val) VALUES (1, generate_series(1, 3)), (2, 5)';
const IN_FROM_VALUES = 'SELECT v.a FROM (VALUES (generate_series(1, 3))) v(a)';
const IN_IS_TRUE = 'SELECT (generate_series(1, 3) > tenant_id) IS TRUE FROM events';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT tenant_id, generate_series(1, 3) FROM events' },
    { sql: 'SELECT tenant_id, t FROM events, LATERAL generate_series(1, 3) AS t' },
    // window PARTITION BY / ORDER BY take them, and a subquery has its own select list
    { sql: 'SELECT row_number() OVER (PARTITION BY generate_series(1, 2)) FROM events' },
    { sql: 'SELECT tenant_id FROM events WHERE tenant_id IN (SELECT generate_series(1, 3))' },
    // outside the CASE / COALESCE, and inside a sublink in it
    { sql: 'SELECT CASE WHEN tenant_id > 1 THEN 1 ELSE 0 END + generate_series(1, 3) FROM events' },
    { sql: 'SELECT coalesce(user_id, (SELECT max(g) FROM generate_series(1, 3) g)) FROM events' },
    { sql: 'SELECT CASE WHEN tenant_id IN (SELECT generate_series(1, 3)) THEN 1 END FROM events' },
    { sql: 'SELECT generate_series(1, 3) > tenant_id FROM events' },
    { sql: 'INSERT INTO local_config (tenant_id, val) VALUES (1, generate_series(1, 3))' },
  ],
  invalid: [
    { sql: IN_WHERE, outcome: 'error', findings: [at(IN_WHERE, 'generate_series')] },
    { sql: IN_JOIN, outcome: 'error', findings: [at(IN_JOIN, 'unnest')] },
    { sql: IN_AGGREGATE, outcome: 'error', findings: [at(IN_AGGREGATE, 'generate_series')] },
    { sql: IN_UPDATE, outcome: 'error', findings: [at(IN_UPDATE, 'generate_series')] },
    { sql: IN_CASE, outcome: 'error', findings: [at(IN_CASE, 'generate_series')] },
    { sql: IN_CASE_ARG, outcome: 'error', findings: [at(IN_CASE_ARG, 'unnest')] },
    { sql: IN_COALESCE, outcome: 'error', findings: [at(IN_COALESCE, 'generate_series')] },
    { sql: IN_CASE_WHEN, outcome: 'error', findings: [at(IN_CASE_WHEN, 'generate_series')] },
    { sql: IN_AND, outcome: 'error', findings: [at(IN_AND, 'generate_series')] },
    { sql: IN_VALUES_ROWS, outcome: 'error', findings: [at(IN_VALUES_ROWS, 'generate_series')] },
    { sql: IN_FROM_VALUES, outcome: 'error', findings: [at(IN_FROM_VALUES, 'generate_series')] },
    { sql: IN_IS_TRUE, outcome: 'error', findings: [at(IN_IS_TRUE, 'generate_series')] },
  ],
};

ruleTests('misplaced-set-returning-function', cases);
