import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic.test.ts, which requires PostgreSQL to reject exactly the invalid ones (through EXPLAIN: the
// constant is converted when the statement is planned)
const TABLE = 'CREATE TABLE vlen (id int, code varchar(3), cc char(2), flag char, note text, free varchar, other varchar(3));\n';
const VALUES = `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 'NLD1')`;
const CHAR = `${TABLE}INSERT INTO vlen (id, cc) VALUES (1, 'NLD')`;
const BARE_CHAR = `${TABLE}INSERT INTO vlen (id, flag) VALUES (1, 'ab')`;
const SECOND_ROW = `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 'NL'), (2, 'NLDX')`;
const ALL_COLUMNS = `${TABLE}INSERT INTO vlen VALUES (1, 'abc', 'xyz')`;
const UPDATE_NO_ROW = `${TABLE}UPDATE vlen SET code = 'abcd' WHERE false`;
const SELECTED = `${TABLE}INSERT INTO vlen (id, code) SELECT 1, 'abcd'`;
const NUMBER = `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 12345)`;
const DECIMAL = `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 12.5)`;
const AS_TEXT = `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 'abcd'::text)`;
const MULTIBYTE = `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 'äöüß')`;
const ON_CONFLICT = `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 'ab') ON CONFLICT DO NOTHING;\nINSERT INTO vlen (id, code) VALUES (1, 'ab') ON CONFLICT (id) DO UPDATE SET other = 'long'`;
// numeric(p, s): rounded to s decimals, below 10^(p - s)
const NUM = 'CREATE TABLE nlen (id int, a numeric(5,2), b numeric(3), c numeric(2,2));\n';
const NUM_ROUNDS_UP = `${NUM}INSERT INTO nlen (id, a) VALUES (1, 999.995)`;
const NUM_INTEGER = `${NUM}INSERT INTO nlen (id, b) VALUES (1, 999.5)`;
const NUM_FRACTION = `${NUM}INSERT INTO nlen (id, c) VALUES (1, 0.995)`;
const NUM_UPDATE = `${NUM}UPDATE nlen SET a = 1000 WHERE false`;
const NUM_QUOTED = `${NUM}INSERT INTO nlen (id, a) VALUES (1, '-1234')`;
// integer columns: a numeric constant out of the type's range (a decimal rounded first)
const INT = 'CREATE TABLE ilen (s smallint, i int, b bigint);\n';
const INT_SMALL = `${INT}INSERT INTO ilen (s) VALUES (40000)`;
const INT_INTEGER = `${INT}INSERT INTO ilen (i) VALUES (3000000000)`;
const INT_ROUNDED = `${INT}INSERT INTO ilen (s) VALUES (32767.5)`;
const INT_BIG = `${INT}INSERT INTO ilen (b) VALUES (9223372036854775808)`;
const INT_UPDATE = `${INT}UPDATE ilen SET s = -32769 WHERE false`;
const DOMAIN = "CREATE DOMAIN code3 AS varchar(3);\nCREATE TABLE dlen (id int, c code3);\nINSERT INTO dlen VALUES (1, '12345')";
const ALTERED = `${TABLE}ALTER TABLE vlen ALTER COLUMN note TYPE varchar(2);\nINSERT INTO vlen (id, note) VALUES (1, 'abc')`;

export const cases: RuleTable = {
  valid: [
    { sql: `${TABLE}INSERT INTO vlen (id, code, cc, flag) VALUES (1, 'NLD', 'NL', 'x')` },
    // trailing spaces beyond the length are cut; an explicit cast cuts the value
    { sql: `${TABLE}INSERT INTO vlen (id, code, cc) VALUES (1, 'ab    ', 'x  ')` },
    { sql: `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 'abcdef'::varchar(3))` },
    // characters, not bytes; text and a varchar without a length take anything
    { sql: `${TABLE}INSERT INTO vlen (id, code, note, free) VALUES (1, 'äöü', 'a long note', 'a long value')` },
    { sql: `${TABLE}INSERT INTO vlen (id, code) VALUES (1, 1.5), (2, -12), (3, NULL), (4, E'a\\tb')` },
    // a column value is checked only on the rows that have it (data, not the statement)
    { sql: `${TABLE}UPDATE vlen SET code = note WHERE false` },
    { sql: `${TABLE}ALTER TABLE vlen ALTER COLUMN code TYPE varchar(10);\nINSERT INTO vlen (id, code) VALUES (1, 'abcdef')` },
    { sql: `${NUM}INSERT INTO nlen (id, a, b, c) VALUES (1, 999.994, 999.4, '0.994'), (2, -999.994, '  12  ', NULL), (3, 1e2, 7, .5)` },
    { sql: `${INT}INSERT INTO ilen VALUES (32767.4, 2147483647, 9223372036854775807), (-32768, -2147483648, -9223372036854775808)` },
    // a comparison is no assignment
    { sql: `${TABLE}DELETE FROM vlen WHERE code = 'abcdefg'` },
    { sql: "CREATE DOMAIN code4 AS varchar(4);\nCREATE TABLE d4 (id int, c code4);\nINSERT INTO d4 VALUES (1, 'abcd')" },
  ],
  invalid: [
    { sql: VALUES, outcome: 'error', findings: [at(VALUES, "'NLD1'")] },
    { sql: CHAR, outcome: 'error', findings: [at(CHAR, "'NLD'")] },
    { sql: BARE_CHAR, outcome: 'error', findings: [at(BARE_CHAR, "'ab'")] },
    { sql: SECOND_ROW, outcome: 'error', findings: [at(SECOND_ROW, "'NLDX'")] },
    { sql: ALL_COLUMNS, outcome: 'error', findings: [at(ALL_COLUMNS, "'xyz'")] },
    { sql: UPDATE_NO_ROW, outcome: 'error', findings: [at(UPDATE_NO_ROW, "'abcd'")] },
    { sql: SELECTED, method: 'error', findings: [at(SELECTED, "'abcd'")] },
    { sql: NUMBER, outcome: 'error', findings: [at(NUMBER, '12345')] },
    { sql: DECIMAL, outcome: 'error', findings: [at(DECIMAL, '12.5')] },
    { sql: AS_TEXT, outcome: 'error', findings: [at(AS_TEXT, "'abcd'")] },
    { sql: MULTIBYTE, outcome: 'error', findings: [at(MULTIBYTE, "'äöüß'")] },
    { sql: ON_CONFLICT, outcome: 'error', findings: [at(ON_CONFLICT, "'long'")] },
    { sql: ALTERED, outcome: 'error', findings: [at(ALTERED, "'abc'")] },
    { sql: NUM_ROUNDS_UP, outcome: 'error', findings: [at(NUM_ROUNDS_UP, '999.995')] },
    { sql: NUM_INTEGER, outcome: 'error', findings: [at(NUM_INTEGER, '999.5')] },
    { sql: NUM_FRACTION, outcome: 'error', findings: [at(NUM_FRACTION, '0.995')] },
    { sql: NUM_UPDATE, outcome: 'error', findings: [at(NUM_UPDATE, '1000')] },
    { sql: NUM_QUOTED, outcome: 'error', findings: [at(NUM_QUOTED, "'-1234'")] },
    { sql: INT_SMALL, outcome: 'error', findings: [at(INT_SMALL, '40000')] },
    { sql: INT_INTEGER, outcome: 'error', findings: [at(INT_INTEGER, '3000000000')] },
    { sql: INT_ROUNDED, outcome: 'error', findings: [at(INT_ROUNDED, '32767.5')] },
    { sql: INT_BIG, outcome: 'error', findings: [at(INT_BIG, '9223372036854775808')] },
    { sql: INT_UPDATE, outcome: 'error', findings: [at(INT_UPDATE, '-32769')] },
    // a domain over varchar(3) converts to its base type first
    { sql: DOMAIN, outcome: 'error', findings: [at(DOMAIN, "'12345'")] },
  ],
};

ruleTests('value-too-long', cases);
