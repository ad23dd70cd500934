import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each case brings its tables (`schema: ''`); test/db/semantic.test.ts runs every statement on a real PostgreSQL
// with rows in `events`: the invalid cases fail there with the message of the finding, the valid ones run.
const TABLES =
  'CREATE TABLE events (tenant_id int NOT NULL, created_at timestamptz NOT NULL, seen timestamp, day date, took interval, at time, value int);\n' +
  "INSERT INTO events VALUES (1, '2024-01-01 10:00', '2024-01-01 10:00', '2024-01-01', '1 day', '10:00', 5), (2, '2024-01-02 11:00', '2024-01-02 11:00', '2024-01-02', '2 days', '11:00', 7);\n" +
  'CREATE TABLE daily (tenant_id int, day timestamptz, n bigint);\n';
const TRUNC = `${TABLES}INSERT INTO daily SELECT tenant_id, date_trunc('dayy', created_at), count(*) FROM events GROUP BY 1, 2;`;
const MYSQL_DOW = `${TABLES}SELECT count(*) FROM events WHERE extract(dayofweek FROM created_at) = 1;`;
const PART_DATE = `${TABLES}SELECT date_part('weekday', day) FROM events;`;
const EXTRACT_DATE = `${TABLES}SELECT EXTRACT(weekday FROM day) FROM events;`;
const TRUNC_INTERVAL = `${TABLES}SELECT date_trunc('Hourz', took) FROM events;`;
const EXTRACT_TIME = `${TABLES}SELECT extract(dy FROM at) FROM events;`;
const UPDATE = `${TABLES}UPDATE daily SET day = date_trunc('mnth', day);\nINSERT INTO daily VALUES (1, now(), 1);\nUPDATE daily SET day = date_trunc('mnth', day);`;
const TRUNC_DATE = `${TABLES}SELECT date_trunc('wk', day) FROM events;`;
const COUNT_ZERO = `${TABLES}INSERT INTO daily SELECT tenant_id, created_at, count(*) / 0 FROM events GROUP BY 1, 2;`;
const MODULO_ZERO = `${TABLES}SELECT tenant_id FROM events WHERE value % 0 = 1;`;
const NUMERIC_ZERO = `${TABLES}SELECT sum(value) / 0.0 FROM events;`;

export const cases: RuleTable = {
  valid: [
    // every unit PostgreSQL names in its documentation, in either case, and its abbreviations and plurals
    { sql: `${TABLES}SELECT date_trunc('day', created_at), date_trunc('WEEK', seen), date_trunc('month', day), date_trunc('hour', took), date_trunc('microseconds', seen), date_trunc('millennium', created_at), date_trunc('mons', seen), date_trunc('day', created_at, 'UTC') FROM events;`, schema: '' },
    { sql: `${TABLES}SELECT extract(dow FROM created_at), extract(isodow FROM seen), extract(doy FROM day), extract(epoch FROM took), extract(isoyear FROM created_at), extract(julian FROM day), extract(quarter FROM seen), extract(timezone_hour FROM created_at), extract(hour FROM at) FROM events;`, schema: '' },
    { sql: `${TABLES}SELECT date_part('Year', created_at), date_part('min', seen), date_part('epoch', day), date_part('secs', took), date_part('msec', at), date_part('century', created_at) FROM events;`, schema: '' },
    // a branch that may never be computed, and a table without rows
    { sql: `${TABLES}SELECT CASE WHEN value > 100 THEN date_trunc('dayy', created_at) END, COALESCE(seen, date_trunc('x', seen)) FROM events;`, schema: '' },
    { sql: `${TABLES}DELETE FROM daily;\nSELECT 1;`, schema: '' },
    // a unit that is not a constant: known when the row is read
    { sql: `${TABLES}SELECT date_trunc(CASE WHEN value > 5 THEN 'day' ELSE 'hour' END, created_at) FROM events;`, schema: '' },
    // a psql :'variable' (the analysis sees a placeholder literal of underscores): its value is psql's
    { sql: `${TABLES}\\set unit 'day'\nSELECT date_trunc(:'unit', created_at) FROM events;`, schema: '', notOnPostgres: 'a psql variable' },
    // divisions by a value, by a zero that may not be computed, and by a NULL
    { sql: `${TABLES}SELECT value / 2, value % 3, CASE WHEN value > 100 THEN value / 0 END, value / NULLIF(value - value, 0) FROM events;`, schema: '' },
  ],
  invalid: [
    { sql: TRUNC, schema: '', findings: [at(TRUNC, "date_trunc('dayy'")] },
    { sql: MYSQL_DOW, schema: '', findings: [at(MYSQL_DOW, 'extract(dayofweek')] },
    { sql: PART_DATE, schema: '', findings: [at(PART_DATE, 'date_part(')] },
    { sql: EXTRACT_DATE, schema: '', findings: [at(EXTRACT_DATE, 'EXTRACT(')] },
    { sql: TRUNC_INTERVAL, schema: '', findings: [at(TRUNC_INTERVAL, 'date_trunc(')] },
    { sql: EXTRACT_TIME, schema: '', findings: [at(EXTRACT_TIME, 'extract(')] },
    // a table without rows runs the statement: the warning stands for both (the second UPDATE fails)
    { sql: UPDATE, schema: '', findings: [at(UPDATE, "date_trunc('mnth'"), at(UPDATE, "date_trunc('mnth'", 2)] },
    { sql: TRUNC_DATE, schema: '', findings: [at(TRUNC_DATE, 'date_trunc(')] },
    { sql: COUNT_ZERO, schema: '', findings: [at(COUNT_ZERO, 'count(*) / 0')] },
    { sql: MODULO_ZERO, schema: '', findings: [at(MODULO_ZERO, 'value % 0')] },
    { sql: NUMERIC_ZERO, schema: '', findings: [at(NUMERIC_ZERO, 'sum(value)')] },
  ],
};

ruleTests('expression-fails-on-rows', cases);
