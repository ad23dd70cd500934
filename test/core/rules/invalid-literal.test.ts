import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const COMPARED = "SELECT tenant_id FROM events WHERE tenant_id = 'abc'";
// array_in(): an array literal starts with a brace or dimension information; `= ANY('x')` reads the literal as an array
const ARRAY_ANY = "SELECT * FROM users WHERE name = ANY('x')";
// a VALUES column is coerced to its common type (transformValuesClause), a literal read as it
const VALUES_COLUMN = "SELECT * FROM (VALUES (1), ('a')) v";
const VALUES_INSERT = "INSERT INTO events (tenant_id, event_id, value) SELECT 1, 1, v FROM (VALUES (1.5), ('x')) s(v)";
// time_in(): a field out of range; float8in() / float4in(): a value that rounds to infinity or to zero
const TIME_25 = "SELECT * FROM events WHERE created_at::time > '25:00'";
const TIME_PM = "SELECT '13:00 pm'::time";
const FLOAT_HUGE = "SELECT '1e400'::float8";
const REAL_TINY = "SELECT tenant_id FROM events WHERE value::real > '1e-46'";
const ARRAY_LITERAL_CAST = "SELECT '1'::int[]";
const ARRAY_EMPTY = "SELECT * FROM users WHERE tenant_id <> ALL('')";
const CAST = "SELECT 'yes please'::boolean";
const ASSIGNED = "INSERT INTO tenant_stats (tenant_id, event_count) SELECT 'x', count(*) FROM events GROUP BY tenant_id";
// the literal takes the other operand's type (timestamptz - timestamptz), not interval
const INTERVAL = "SELECT tenant_id FROM events WHERE created_at > now() - '1 hour'";
// a set operation's literal takes the common type of its column
const UNION = "INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, 1 FROM events UNION SELECT tenant_id, 'x' FROM users";

// LIMIT and OFFSET are coerced to bigint
const LIMIT_TEXT = "SELECT * FROM events LIMIT 'abc'";

const ARRAY_CAST = "SELECT ARRAY[1, 'x']::int[]";
const JSON_NUL = String.raw`SELECT jsonb '{"a": "x\u0000"}'`;
// enum types of the workspace DDL: a quoted literal assigned to or compared with an enum column is read as the enum
// ISO dates out of range, whatever the DateStyle (a rollup's window written by hand)
const FEB_29 = "SELECT tenant_id, count(*) FROM events WHERE created_at >= '2023-02-29' GROUP BY tenant_id";
const APRIL_31 = "INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, '2024-04-31', page_id, count(*) FROM page_views GROUP BY 1, 3";
const MONTH_13 = "SELECT DATE '2024-13-01'";
const HOUR_25 = "SELECT tenant_id FROM events WHERE created_at < '2024-01-31 25:00:00+00'";
// interval input: every word a unit (a rollup's window, a retention age)
const INTERVAL_UNIT = "SELECT tenant_id FROM events WHERE created_at > now() - interval '1 fortnight'";
const INTERVAL_CAST = "DELETE FROM events WHERE created_at < now() - '30 dyas'::interval";
const INTERVAL_EMPTY = "SELECT interval ''";
const INTERVAL_QUARTER = "SELECT interval '1 quarter'";
const ENUM = "CREATE TYPE ticket_state AS ENUM ('new', 'done');\nCREATE TABLE tickets (id int, st ticket_state, note text);\n";
const ENUM_INSERT = `${ENUM}INSERT INTO tickets VALUES (1, 'nwe', 'x')`;
const ENUM_CASE = `${ENUM}SELECT * FROM tickets WHERE st = 'Done'`;
const ENUM_LEFT = `${ENUM}SELECT * FROM tickets WHERE 'old' <> st`;
const ENUM_IN = `${ENUM}SELECT * FROM tickets WHERE st IN ('new', 'gone')`;
const ENUM_UPDATE = `${ENUM}UPDATE tickets SET st = 'closed' WHERE id = 1`;
const ENUM_RENAMED = `${ENUM}ALTER TYPE ticket_state RENAME VALUE 'new' TO 'open';\nSELECT * FROM tickets WHERE st = 'new'`;
// a value ALTER TYPE .. ADD VALUE adds inside a transaction block may not be used before COMMIT (check_safe_enum_use)
const ENUM_UNSAFE = `BEGIN;\n${ENUM}ALTER TYPE ticket_state ADD VALUE 'closed';\nUPDATE tickets SET st = 'closed' WHERE id = 1`;
const ENUM_CAST = `${ENUM}SELECT 'mauve'::ticket_state`;
const ENUM_ELSEWHERE = "CREATE SCHEMA ops;\nCREATE TYPE ops.stage AS ENUM ('a', 'b');\nCREATE TABLE staged (id int, s ops.stage);\nINSERT INTO staged VALUES (1, 'c')";

// a literal for a polymorphic argument takes the type of the others of its family (lag(anycompatible, int, anycompatible))
const LAG_DEFAULT = "SELECT lag(value, 1, 'x') OVER (ORDER BY created_at) FROM events";
const LEAD_DEFAULT = "SELECT lead(created_at, 1, 'soon') OVER (ORDER BY created_at) FROM events";
export const cases: RuleTable = {
  valid: [
    { sql: "SELECT lag(value, 1, '0') OVER (ORDER BY created_at), lead(created_at, 1, 'yesterday') OVER (ORDER BY created_at) FROM events" },
    { sql: "SELECT lag('a', 1, 'b') OVER () FROM events" },
    { sql: "SELECT * FROM users WHERE name = ANY('{a,b}') AND name = ANY('  {a}') AND name = ANY('[1:2]={a,b}') AND tenant_id <> ALL('{1,2}')" },
    { sql: "SELECT '{1,2}'::int[], '{}'::text[], '1 2'::int2vector, '1 2'::oidvector" },
    { sql: "SELECT * FROM events WHERE payload ?| '{a,b}'" },
    { sql: `${ENUM}INSERT INTO tickets VALUES (1, 'new', 'nwe');\nSELECT * FROM tickets WHERE st IN ('new', 'done') AND note = 'x'` },
    // a value added and committed is usable (the type's names are this case's own: the COMMIT keeps them)
    { sql: "BEGIN;\nCREATE TYPE ticket_state_c AS ENUM ('new');\nCREATE TABLE tickets_c (id int, st ticket_state_c);\nALTER TYPE ticket_state_c ADD VALUE 'closed';\nCOMMIT;\nUPDATE tickets_c SET st = 'closed' WHERE id = 1" },
    { sql: `${ENUM}UPDATE tickets SET st = 'done' WHERE st <> 'new'` },
    // a body that changes the type is not run by the model: the type is forgotten
    { sql: `${ENUM}DO $$ BEGIN ALTER TYPE ticket_state ADD VALUE 'closed'; END $$;\nSELECT * FROM tickets WHERE st = 'closed'`, notOnPostgres: 'run in one transaction, PostgreSQL refuses a value added in it (unsafe use of new value); in a script it is valid' },
    { sql: `${ENUM}SELECT 'done'::ticket_state, st::text FROM tickets` },
    // a merged USING column, a cast to text and a function's argument are not followed
    { sql: `${ENUM}SELECT * FROM tickets t JOIN tickets u USING (st) WHERE st::text = 'zzz'` },
    { sql: "SELECT * FROM events OFFSET '5' LIMIT '10'" },
    { sql: "SELECT tenant_id FROM events WHERE tenant_id = '42'" },
    { sql: "SELECT 'on'::boolean, ' 12 '::int, '1e3'::numeric, 'today'::date, 'yesterday'::timestamptz, 'Mon Jan 1 2024'::date" },
    { sql: "SELECT tenant_id FROM events WHERE created_at > now() - interval '1 hour'" },
    { sql: "SELECT interval '1 day 2 hours', interval '@ 3 mins ago', interval '2 microseconds', interval '3 milliseconds', interval '1 week', interval '10 YRS', interval '1 h 30 m'" },
    { sql: "SELECT interval 'P1Y2M3DT4H5M6S', interval '1-2', interval '3 4:05:06', interval '-1 day +2 hours', interval '1.5 hours', '5 minutes'::interval * 3" },
    // an escaped backslash followed by u0000 is no \u0000 escape; a special word may come with a zone (both found in
    // PostgreSQL's regression files)
    { sql: String.raw`SELECT jsonb '{ "a": "null \\u0000 escape" }' ->> 'a'` },
    { sql: "SELECT timestamptz 'tomorrow EST', timestamp 'yesterday zulu'" },
    // ARRAY[..]::float8[] reads every element as a float8 (found in PostgreSQL's regression files)
    { sql: "SELECT ARRAY[1, 3, 'NaN']::float8[]" },
    { sql: "SELECT * FROM (VALUES (1), ('2'), (NULL)) v, (VALUES (now()), ('yesterday')) w" },
    { sql: "SELECT '24:00:00'::time, '12:30:60.5'::time, '0:00 am'::time, '12:00:00 PM UTC'::timetz, '1:2:3'::time" },
    { sql: "SELECT '1e-310'::float8, '1e-45'::float4, '3.4e38'::real, ' 1e308 '::float8, '0e999'::float8, '2.5e-324'::float8" },
    // leap days, 24:00, a second 60, other forms of dates (left to PostgreSQL)
    { sql: "SELECT DATE '2024-02-29', DATE '2000-02-29', TIMESTAMP '2024-01-31 24:00', TIMESTAMPTZ '2024-06-30T23:59:60Z', DATE '2024-1-5', TIMESTAMPTZ '2024-01-31 10:00 America/New_York'" },
  ],
  invalid: [
    { sql: ARRAY_ANY, outcome: 'error', findings: [at(ARRAY_ANY, "'x'")] },
    { sql: ARRAY_LITERAL_CAST, outcome: 'error', findings: [at(ARRAY_LITERAL_CAST, "'1'")] },
    { sql: ARRAY_EMPTY, outcome: 'error', findings: [at(ARRAY_EMPTY, "''")] },
    { sql: ENUM_INSERT, outcome: 'error', findings: [at(ENUM_INSERT, "'nwe'")] },
    { sql: ENUM_CASE, outcome: 'error', findings: [at(ENUM_CASE, "'Done'")] },
    { sql: ENUM_LEFT, outcome: 'error', findings: [at(ENUM_LEFT, "'old'")] },
    { sql: ENUM_IN, outcome: 'error', findings: [at(ENUM_IN, "'gone'")] },
    { sql: ENUM_UPDATE, outcome: 'error', findings: [at(ENUM_UPDATE, "'closed'")] },
    { sql: ENUM_RENAMED, outcome: 'error', findings: [at(ENUM_RENAMED, "'new'", 3)] },
    { sql: ENUM_ELSEWHERE, outcome: 'error', findings: [at(ENUM_ELSEWHERE, "'c'")] },
    { sql: ENUM_CAST, outcome: 'error', findings: [at(ENUM_CAST, "'mauve'")] },
    { sql: ENUM_UNSAFE, outcome: 'error', findings: [at(ENUM_UNSAFE, "'closed'", 2)] },
    { sql: LIMIT_TEXT, findings: [at(LIMIT_TEXT, "'abc'")] },
    { sql: COMPARED, outcome: 'error', findings: [at(COMPARED, "'abc'")] },
    { sql: CAST, outcome: 'error', findings: [at(CAST, "'yes please'")] },
    { sql: ASSIGNED, method: 'error', findings: [at(ASSIGNED, "'x'")] },
    { sql: INTERVAL, outcome: 'error', findings: [at(INTERVAL, "'1 hour'")] },
    { sql: UNION, method: 'error', findings: [at(UNION, "'x'")] },
    { sql: ARRAY_CAST, outcome: 'error', findings: [at(ARRAY_CAST, "'x'")] },
    { sql: JSON_NUL, outcome: 'error', findings: [at(JSON_NUL, `'{"a"`)] },
    { sql: FEB_29, outcome: 'error', findings: [at(FEB_29, "'2023-02-29'")] },
    { sql: APRIL_31, method: 'error', findings: [at(APRIL_31, "'2024-04-31'")] },
    { sql: MONTH_13, outcome: 'error', findings: [at(MONTH_13, "'2024-13-01'")] },
    { sql: HOUR_25, outcome: 'error', findings: [at(HOUR_25, "'2024-01-31 25:00:00+00'")] },
    { sql: INTERVAL_UNIT, outcome: 'error', findings: [at(INTERVAL_UNIT, "'1 fortnight'")] },
    { sql: INTERVAL_CAST, outcome: 'error', findings: [at(INTERVAL_CAST, "'30 dyas'")] },
    { sql: INTERVAL_EMPTY, outcome: 'error', findings: [at(INTERVAL_EMPTY, "''")] },
    { sql: INTERVAL_QUARTER, outcome: 'error', findings: [at(INTERVAL_QUARTER, "'1 quarter'")] },
    { sql: LAG_DEFAULT, outcome: 'error', findings: [at(LAG_DEFAULT, "'x'")] },
    { sql: VALUES_COLUMN, outcome: 'error', findings: [at(VALUES_COLUMN, "'a'")] },
    { sql: VALUES_INSERT, method: 'error', findings: [at(VALUES_INSERT, "'x'")] },
    { sql: TIME_25, outcome: 'error', findings: [at(TIME_25, "'25:00'")] },
    { sql: TIME_PM, outcome: 'error', findings: [at(TIME_PM, "'13:00 pm'")] },
    { sql: FLOAT_HUGE, outcome: 'error', findings: [at(FLOAT_HUGE, "'1e400'")] },
    { sql: REAL_TINY, outcome: 'error', findings: [at(REAL_TINY, "'1e-46'")] },
    { sql: LEAD_DEFAULT, outcome: 'error', findings: [at(LEAD_DEFAULT, "'soon'")] },
  ],
};

ruleTests('invalid-literal', cases);
