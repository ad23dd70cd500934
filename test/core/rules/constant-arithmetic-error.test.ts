import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/constantArithmetic.ts); every statement here is also run on a real
// PostgreSQL by test/db/semantic.test.ts, which requires PostgreSQL to reject exactly the invalid ones (through EXPLAIN:
// constants are folded when the statement is planned)
const DIV = 'SELECT 1 / 0';
const WHERE = 'SELECT tenant_id FROM events WHERE tenant_id = 10 / 0';
const MOD = 'SELECT count(*) FROM events WHERE user_id % 0 = 1 AND tenant_id = 7 % 0';
const OVERFLOW = 'SELECT 2147483647 + 1';
const MULTIPLY = 'SELECT tenant_id FROM events WHERE user_id = 65536 * 65536';
const NEGATED = 'SELECT -(-2147483647 - 1)';
const SMALLINT = 'SELECT 32768::smallint';
const CAST_INT = 'SELECT 3000000000::int';
const BIGINT = 'SELECT 9223372036854775807 + 1';
const HAVING = 'SELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING count(*) > 2147483647 + 1';
const ORDER_LIMIT = 'SELECT tenant_id FROM events ORDER BY tenant_id LIMIT 10 / 0';
const UPDATE_NO_ROW = 'UPDATE events SET user_id = 1 / 0 WHERE false';
const DELETE = 'DELETE FROM events WHERE tenant_id = 1 AND user_id = 2 / 0';
const INSERT_SELECT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, 1 / 0 FROM events GROUP BY 1';
const VALUES = 'INSERT INTO tenant_stats (tenant_id, event_count) VALUES (1, 2), (2, 100000 * 100000 * 1000000)';
const RETURNING = 'INSERT INTO tenant_stats (tenant_id) VALUES (1) RETURNING 1 / 0';
const FUNCTION_ARG = 'SELECT abs(5 / 0)';
const UNION = 'SELECT 1 UNION ALL SELECT 2 / 0';
// a numeric or double precision divisor of zero (numeric_div, float8div)
const NUMERIC_ZERO = 'SELECT tenant_id FROM events WHERE value > 10 / 0.0';
const FLOAT_ZERO = 'SELECT round(1 / 0::float8)';
const NUMERIC_MOD = 'SELECT 10.5 % 0';
// LIMIT and OFFSET are computed when the plan starts, whatever the rows (checked on PostgreSQL 15.20 too, through Citus
// 13.2.2: an INSERT..SELECT into a distributed table fails the same)
const LIMIT = 'SELECT tenant_id FROM events LIMIT -1';
const OFFSET = 'SELECT tenant_id FROM events OFFSET 2 - 3 LIMIT -1';
const UNION_LIMIT = 'SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users LIMIT -5';
const ARM_LIMIT = '(SELECT tenant_id FROM events LIMIT -5) UNION ALL SELECT tenant_id FROM users';
const INSERT_LIMIT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY 1 LIMIT -1';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT 10 / 3, 7 % 3, -7 / 2, 2147483647 + 0, -2147483647 - 1, 2147483648 + 1, 32767::smallint, 9223372036854775807' },
    // wider types: a bigint literal or a cast makes the arithmetic bigint, a decimal makes it numeric
    { sql: 'SELECT 2147483647::bigint + 1, 2147483648 * 2, 1.0 / 3, 2147483647 + 1.5' },
    // a non-zero numeric or double precision divisor; a computed one is not followed
    { sql: 'SELECT 1 / 0.5, 1 / 1e-400, 5 / 2.0::float8, 1 / (0.5 - 0.4)' },
    // the remainder of the smallest integer by -1 is 0
    { sql: 'SELECT (-2147483647 - 1) % -1' },
    // a decided branch leaves the rest unevaluated
    { sql: 'SELECT CASE WHEN true THEN 1 ELSE 1 / 0 END, COALESCE(1, 1 / 0)' },
    { sql: 'SELECT tenant_id FROM events WHERE false AND 1 / 0 = 1' },
    // an unreferenced CTE is not planned
    { sql: 'WITH c AS (SELECT 1 / 0 AS x) SELECT 1' },
    // a column's value is data: checked on the rows only
    { sql: 'SELECT tenant_id / user_id FROM events WHERE user_id = 0' },
    // a function body runs when it is called
    { sql: 'CREATE FUNCTION broken() RETURNS int LANGUAGE sql AS $$ SELECT 1 / 0 $$' },
    { sql: 'SELECT tenant_id FROM events LIMIT ALL OFFSET 0', executes: true },
    { sql: 'SELECT tenant_id FROM events LIMIT NULL', executes: true },
    { sql: 'SELECT tenant_id FROM events LIMIT 0', executes: true },
    // a CTE PostgreSQL does not run
    { sql: 'WITH c AS (SELECT tenant_id FROM events LIMIT -1) SELECT 1', executes: true },
  ],
  invalid: [
    { sql: DIV, outcome: 'error', findings: [at(DIV, '1 / 0')] },
    { sql: WHERE, outcome: 'error', findings: [at(WHERE, '10 / 0')] },
    { sql: MOD, outcome: 'error', findings: [at(MOD, '7 % 0')] },
    { sql: OVERFLOW, outcome: 'error', findings: [at(OVERFLOW, '2147483647 + 1')] },
    { sql: MULTIPLY, outcome: 'error', findings: [at(MULTIPLY, '65536 * 65536')] },
    { sql: NEGATED, outcome: 'error', findings: [at(NEGATED, '-(')] },
    { sql: SMALLINT, outcome: 'error', findings: [at(SMALLINT, '32768')] },
    { sql: CAST_INT, outcome: 'error', findings: [at(CAST_INT, '3000000000')] },
    { sql: BIGINT, outcome: 'error', findings: [at(BIGINT, '9223372036854775807 + 1')] },
    { sql: HAVING, outcome: 'error', findings: [at(HAVING, '2147483647 + 1')] },
    { sql: ORDER_LIMIT, outcome: 'error', findings: [at(ORDER_LIMIT, '10 / 0')] },
    { sql: UPDATE_NO_ROW, outcome: 'error', findings: [at(UPDATE_NO_ROW, '1 / 0')] },
    { sql: DELETE, outcome: 'error', findings: [at(DELETE, '2 / 0')] },
    { sql: INSERT_SELECT, method: 'error', findings: [at(INSERT_SELECT, '1 / 0')] },
    { sql: VALUES, outcome: 'error', findings: [at(VALUES, '100000 * 100000')] },
    { sql: RETURNING, outcome: 'error', findings: [at(RETURNING, '1 / 0')] },
    { sql: FUNCTION_ARG, outcome: 'error', findings: [at(FUNCTION_ARG, '5 / 0')] },
    { sql: UNION, outcome: 'error', findings: [at(UNION, '2 / 0')] },
    { sql: NUMERIC_ZERO, outcome: 'error', findings: [at(NUMERIC_ZERO, '10 / 0.0')] },
    { sql: FLOAT_ZERO, outcome: 'error', findings: [at(FLOAT_ZERO, '1 / 0')] },
    { sql: NUMERIC_MOD, outcome: 'error', findings: [at(NUMERIC_MOD, '10.5 % 0')] },
    { sql: LIMIT, outcome: 'error', findings: [at(LIMIT, '-1')], executes: true },
    { sql: OFFSET, outcome: 'error', findings: [at(OFFSET, '2 - 3')], executes: true },
    { sql: UNION_LIMIT, outcome: 'error', findings: [at(UNION_LIMIT, '-5')], executes: true },
    { sql: ARM_LIMIT, outcome: 'error', findings: [at(ARM_LIMIT, '-5')], executes: true },
    { sql: INSERT_LIMIT, method: 'error', findings: [at(INSERT_LIMIT, '-1')], executes: true },
  ],
};

ruleTests('constant-arithmetic-error', cases);
