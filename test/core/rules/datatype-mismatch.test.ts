import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const UNION = 'SELECT tenant_id FROM events UNION SELECT event_type FROM events';
const CASE = "SELECT CASE WHEN value > 0 THEN tenant_id ELSE event_type END FROM events";
const WHERE = 'SELECT tenant_id FROM events WHERE tenant_id';
const WIDTH = 'SELECT tenant_id, event_id FROM events UNION SELECT tenant_id FROM events';
// UPDATE's SET list: the row of a multiple-column assignment, and one assignment per column (the rewriter's check)
const SET_ROW = "UPDATE events SET (value, event_type) = (1, 'x', 3) WHERE tenant_id = 5";
const SET_SUBQUERY = 'UPDATE events SET (value, event_type) = (SELECT 1) WHERE tenant_id = 5';
const UNREACHABLE = 'MERGE INTO tenant_stats t USING events e ON t.tenant_id = e.tenant_id WHEN MATCHED THEN DELETE WHEN MATCHED AND e.value > 0 THEN DO NOTHING';
const SET_TWICE = 'UPDATE events SET value = 1, value = 2 WHERE tenant_id = 5';
// a data-modifying CTE below the top level: in the SELECT of an INSERT (its WITH is the SELECT's) or a subquery
const DML_CTE_IN_SELECT = 'INSERT INTO tenant_stats (tenant_id, event_count) WITH d AS (DELETE FROM events WHERE tenant_id = 99 RETURNING tenant_id) SELECT tenant_id, count(*) FROM d GROUP BY 1';
const DML_CTE_IN_SUBQUERY = 'SELECT * FROM (WITH d AS (DELETE FROM events WHERE tenant_id = 99 RETURNING tenant_id) SELECT * FROM d) s';
const ROW_IN = 'SELECT tenant_id FROM events WHERE (tenant_id, user_id) IN (SELECT tenant_id FROM users)';
// a row compared with a subquery: as many columns on each side (transformSubLink, ROWCOMPARE_SUBLINK, at the operator)
const ROW_FEW = 'SELECT * FROM events WHERE (tenant_id, user_id) = (SELECT tenant_id FROM users LIMIT 1)';
const ROW_MANY = 'SELECT * FROM events WHERE (tenant_id, user_id) < (SELECT tenant_id, user_id, name FROM users LIMIT 1)';
// transformWithClause: one name per WITH query
const CTE_TWICE = 'WITH x AS (SELECT 1), x AS (SELECT 2) SELECT * FROM x';
// a view's or CREATE TABLE .. AS's columns: each name once, no more names than columns
const VIEW_DUPLICATE = 'CREATE VIEW joined AS SELECT * FROM events e JOIN users u ON e.tenant_id = u.tenant_id';
const VIEW_NAMES = 'CREATE VIEW v_names (a, b, c) AS SELECT 1, 2';
const CTAS_NAMES = 'CREATE TABLE t_names (a, b, c) AS SELECT 1, 2';
// transformLockingClause: unqualified names, of relations or subqueries
const LOCK_QUALIFIED = 'SELECT 1 FROM events FOR SHARE OF public.events';
const LOCK_JOIN = 'SELECT 1 FROM (events e JOIN users u USING (tenant_id)) j FOR UPDATE OF j';
const LOCK_FUNCTION = 'SELECT 1 FROM events e, generate_series(1, 2) g FOR UPDATE OF g';
const LOCK_CTE = 'WITH c AS (SELECT 1) SELECT 1 FROM events e, c FOR UPDATE OF c';
// CheckSelectLocking: FOR UPDATE / SHARE of rows that are no table's rows, in the query or a FROM subquery it reaches
const LOCK_GROUP = 'SELECT tenant_id, count(*) FROM events GROUP BY 1 FOR UPDATE';
const LOCK_DISTINCT = 'SELECT DISTINCT tenant_id FROM events FOR SHARE';
const LOCK_AGGREGATE = 'SELECT count(*) FROM events FOR UPDATE';
const LOCK_WINDOW = 'SELECT tenant_id, row_number() OVER () FROM events FOR NO KEY UPDATE';
const LOCK_HAVING = 'SELECT 1 FROM events HAVING count(*) > 1 FOR KEY SHARE';
const LOCK_UNION = 'SELECT tenant_id FROM events UNION SELECT tenant_id FROM users FOR UPDATE';
const LOCK_SUBQUERY = 'SELECT * FROM (SELECT tenant_id, count(*) FROM events GROUP BY 1) s FOR UPDATE';
// rows compared field by field must have as many fields (make_row_comparison_op, make_row_distinct_op)
// transformArrayExpr(): only a cast to an array type gives ARRAY[] its type
const EMPTY_ARRAY = 'SELECT array_length(ARRAY[], 1)';
const EMPTY_ARRAY_SET = 'UPDATE events SET payload = to_jsonb(ARRAY[]) WHERE tenant_id = 5';
// transformLimitClause(): no column of the query's own level (an outer query's column is a value)
const LIMIT_COLUMN = 'SELECT * FROM events LIMIT user_id';
const OFFSET_COLUMN = 'SELECT * FROM users OFFSET tenant_id + 1';
const ROWS_EQUAL = 'SELECT * FROM users WHERE (tenant_id, user_id) = (1, 2, 3)';
const ROWS_IN = 'SELECT * FROM users WHERE (tenant_id, user_id) IN ((1, 2), (1, 2, 3))';
const ROWS_DISTINCT = 'SELECT * FROM users WHERE (tenant_id, user_id) IS DISTINCT FROM (1, 2, 3)';

// WITH RECURSIVE as checkWellFormedRecursion checks it, before any query of the WITH is analysed
const REC_FORM = 'WITH RECURSIVE r AS (SELECT n + 1 AS n FROM r) SELECT n FROM r';
const REC_TWICE = 'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT r.n + 1 FROM r, r r2 WHERE r.n < 3) SELECT n FROM r';
const REC_NONRECURSIVE = 'WITH RECURSIVE r(n) AS (SELECT n FROM r UNION ALL SELECT 1) SELECT n FROM r';
const REC_SUBLINK = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT tenant_id FROM events WHERE tenant_id IN (SELECT n FROM r)) SELECT n FROM r';
const REC_OUTER = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT r.n + 1 FROM event_types t LEFT JOIN r ON true WHERE r.n < 3) SELECT n FROM r';
const REC_LIMIT = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3 LIMIT 5) SELECT n FROM r';
// (EXCEPT's branches are the statement's own fields, not nodes of their own)
const REC_EXCEPT = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL (SELECT n + 1 FROM r WHERE n < 3 EXCEPT SELECT n FROM r)) SELECT n FROM r';
// a table name used twice at one level: PostgreSQL stops there (checkNameSpaceConflicts), so nothing after it is said
export const TWICE_BESIDE_TARGET = 'UPDATE events SET value = 1 FROM events WHERE tenant_id = 1';
const REC_IN_INSERT = "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) WITH RECURSIVE r AS (SELECT n + 1 AS n FROM r) SELECT 1, current_date, 'x', n FROM r";
// a set operation's ORDER BY takes its output columns only, not expressions of them
const UNION_ORDER_POSITION = 'SELECT tenant_id FROM events UNION SELECT user_id FROM users ORDER BY 2';
const UNION_ORDER_EXPR = 'SELECT tenant_id FROM events UNION SELECT tenant_id FROM users ORDER BY tenant_id + 1';
export const cases: RuleTable = {
  valid: [
    { sql: "SELECT ARRAY[]::int[], CAST(ARRAY[] AS text[]), ARRAY[ARRAY[]]::int[], ARRAY[ARRAY[1], ARRAY['2']]::int[]" },
    { sql: 'SELECT * FROM events e WHERE tenant_id = (SELECT max(tenant_id) FROM users u LIMIT e.tenant_id)' },
    { sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r' },
    { sql: 'WITH RECURSIVE r(n) AS (SELECT 1 INTERSECT SELECT 2) SELECT n FROM r' },
    // a WITH inside that defines the name again hides the recursive query: it does not refer to itself
    { sql: 'WITH RECURSIVE r(n) AS (WITH r(n) AS (SELECT 1) SELECT n FROM r) SELECT n FROM r' },
    // columns named by casts: the outer cast names the column, a name of the argument outranks a cast's (FigureColname)
    { sql: 'CREATE TABLE t_cast_names AS SELECT 1::int::text, 2::int AS int4, CASE WHEN true THEN 1 ELSE 2::int END, 3::int8' },
    { sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT r.n + 1 FROM r LEFT JOIN event_types t ON true WHERE r.n < 3) SELECT n FROM r' },
    { sql: 'SELECT tenant_id FROM events UNION SELECT tenant_id FROM users ORDER BY tenant_id DESC, 1' },
    { sql: 'SELECT * FROM users u WHERE (tenant_id, user_id) = (1, 2) AND ROW(tenant_id, user_id) IN ((1, 2), (3, 4)) AND (u.*) = (u.*) AND (tenant_id, user_id) IS DISTINCT FROM (1, 2)' },
    { sql: 'MERGE INTO tenant_stats t USING events e ON t.tenant_id = e.tenant_id WHEN MATCHED AND e.value > 0 THEN DELETE WHEN MATCHED THEN DO NOTHING WHEN NOT MATCHED THEN DO NOTHING' },
    { sql: 'SELECT tenant_id FROM events UNION SELECT user_id FROM users' },
    { sql: "SELECT CASE WHEN value > 0 THEN 'positive' ELSE event_type END FROM events" },
    { sql: 'SELECT coalesce(value, 0) FROM events' },
    { sql: 'SELECT * FROM events WHERE (tenant_id, user_id) = (SELECT tenant_id, user_id FROM users LIMIT 1)' },
    { sql: 'WITH x AS (SELECT 1) SELECT * FROM (WITH x AS (SELECT 2) SELECT * FROM x) s, x' },
    { sql: 'CREATE VIEW v_one (a) AS SELECT 1, 2' },
    { sql: 'CREATE VIEW joined AS SELECT tenant_id, e.event_id, u.name FROM events e JOIN users u USING (tenant_id)' },
    { sql: "UPDATE events SET (value, event_type) = ROW(1, 'x') WHERE tenant_id = 5" },
    { sql: 'WITH d AS (DELETE FROM events WHERE tenant_id = 99 RETURNING tenant_id) INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM d GROUP BY 1' },
    { sql: 'UPDATE events SET (value, event_type) = (SELECT value, event_type FROM events e2 WHERE e2.tenant_id = 5 LIMIT 1) WHERE tenant_id = 5' },
    // ROW(v.*) has as many values as v has columns
    { sql: "UPDATE events SET (event_type, value) = ROW(v.*) FROM (VALUES ('x', 1.5)) AS v(t, n) WHERE events.tenant_id = 1" },
    // a locked query of table rows; a grouped subquery the OF list leaves out; a grouped sublink (not a FROM item)
    { sql: 'SELECT tenant_id FROM events WHERE tenant_id = 1 FOR UPDATE' },
    { sql: 'SELECT e.tenant_id FROM events e, (SELECT tenant_id FROM users GROUP BY 1) s WHERE e.tenant_id = s.tenant_id AND e.tenant_id = 1 FOR UPDATE OF e' },
    { sql: 'SELECT tenant_id FROM events e WHERE e.tenant_id IN (SELECT tenant_id FROM users GROUP BY 1) AND e.tenant_id = 1 FOR UPDATE' },
  ],
  invalid: [
    { sql: EMPTY_ARRAY, outcome: 'error', findings: [at(EMPTY_ARRAY, 'ARRAY[]')] },
    { sql: EMPTY_ARRAY_SET, outcome: 'error', findings: [at(EMPTY_ARRAY_SET, 'ARRAY[]')] },
    { sql: LIMIT_COLUMN, outcome: 'error', findings: [at(LIMIT_COLUMN, 'user_id')] },
    { sql: OFFSET_COLUMN, outcome: 'error', findings: [at(OFFSET_COLUMN, 'tenant_id')] },
    { sql: ROWS_EQUAL, outcome: 'error', findings: [at(ROWS_EQUAL, '= (1, 2, 3)')] },
    { sql: ROWS_IN, outcome: 'error', findings: [at(ROWS_IN, 'IN ((1')] },
    { sql: ROWS_DISTINCT, outcome: 'error', findings: [at(ROWS_DISTINCT, 'IS DISTINCT')] },
    { sql: UNREACHABLE, outcome: 'error', findings: [at(UNREACHABLE, 'e.value > 0')] },
    { sql: UNION, outcome: 'error', findings: [at(UNION, 'event_type')] },
    { sql: CASE, outcome: 'error', findings: [at(CASE, 'tenant_id')] },
    { sql: WHERE, outcome: 'error', findings: [at(WHERE, 'tenant_id', 2)] },
    { sql: WIDTH, outcome: 'error', findings: [at(WIDTH, 'tenant_id FROM events')] },
    { sql: SET_ROW, outcome: 'error', findings: [at(SET_ROW, '(1, ')] },
    { sql: SET_SUBQUERY, outcome: 'error', findings: [at(SET_SUBQUERY, '(SELECT')] },
    { sql: SET_TWICE, outcome: 'error', findings: [at(SET_TWICE, 'value', 2)] },
    { sql: ROW_IN, outcome: 'error', findings: [at(ROW_IN, 'IN (SELECT')] },
    { sql: DML_CTE_IN_SELECT, method: 'error', findings: [at(DML_CTE_IN_SELECT, 'd AS')] },
    { sql: DML_CTE_IN_SUBQUERY, findings: [at(DML_CTE_IN_SUBQUERY, 'd AS')] },
    { sql: ROW_FEW, outcome: 'error', findings: [at(ROW_FEW, '= (SELECT')] },
    { sql: ROW_MANY, outcome: 'error', findings: [at(ROW_MANY, '< (SELECT')] },
    { sql: CTE_TWICE, outcome: 'error', findings: [at(CTE_TWICE, 'x AS', 2)] },
    { sql: LOCK_QUALIFIED, outcome: 'error', findings: [at(LOCK_QUALIFIED, 'public.events')] },
    ...[LOCK_GROUP, LOCK_DISTINCT, LOCK_AGGREGATE, LOCK_WINDOW, LOCK_HAVING].map((sql) => ({ sql, outcome: 'error', findings: [at(sql, sql.includes('DISTINCT') ? 'tenant_id FROM' : sql.includes('HAVING') ? '1 FROM' : sql.includes('count(*) FROM') && !sql.includes('tenant_id,') ? 'count(*)' : 'tenant_id,')] })),
    { sql: LOCK_UNION, outcome: 'error', findings: [at(LOCK_UNION, 'tenant_id FROM events')] },
    { sql: LOCK_SUBQUERY, outcome: 'error', findings: [at(LOCK_SUBQUERY, 'tenant_id, count')] },
    { sql: LOCK_JOIN, outcome: 'error', findings: [at(LOCK_JOIN, 'OF j', 1, 3)] },
    { sql: LOCK_FUNCTION, outcome: 'error', findings: [at(LOCK_FUNCTION, 'OF g', 1, 3)] },
    { sql: LOCK_CTE, outcome: 'error', findings: [at(LOCK_CTE, 'OF c', 1, 3)] },
    { sql: VIEW_DUPLICATE, findings: [at(VIEW_DUPLICATE, 'joined')] },
    { sql: VIEW_NAMES, findings: [at(VIEW_NAMES, 'v_names')] },
    { sql: CTAS_NAMES, findings: [at(CTAS_NAMES, 't_names')] },
    { sql: REC_FORM, outcome: 'error', findings: [at(REC_FORM, 'r AS')] },
    { sql: REC_TWICE, outcome: 'error', findings: [at(REC_TWICE, 'r r2')] },
    { sql: REC_NONRECURSIVE, outcome: 'error', findings: [at(REC_NONRECURSIVE, 'r UNION')] },
    { sql: REC_SUBLINK, outcome: 'error', findings: [at(REC_SUBLINK, 'r))')] },
    { sql: REC_OUTER, outcome: 'error', findings: [at(REC_OUTER, 'r ON')] },
    { sql: REC_LIMIT, outcome: 'error', findings: [at(REC_LIMIT, '5)')] },
    { sql: REC_IN_INSERT, method: 'error', findings: [at(REC_IN_INSERT, 'r AS')] },
    { sql: REC_EXCEPT, outcome: 'error', findings: [at(REC_EXCEPT, 'r))')] },
    { sql: TWICE_BESIDE_TARGET, outcome: 'error', findings: [at(TWICE_BESIDE_TARGET, 'events WHERE')] },
    { sql: UNION_ORDER_EXPR, outcome: 'error', findings: [at(UNION_ORDER_EXPR, 'tenant_id + 1')] },
    { sql: UNION_ORDER_POSITION, outcome: 'error', findings: [at(UNION_ORDER_POSITION, '2')] },
  ],
};

ruleTests('datatype-mismatch', cases);
