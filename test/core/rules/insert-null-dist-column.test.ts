import { strict as assert } from 'node:assert';
import { loadParser } from '../../../src/core/parse/libpg';
import { at } from './at';
import { analyze, ruleTests, type RuleTable } from './harness';

const NULL_VALUE = "INSERT INTO events (tenant_id, event_id, event_type) VALUES (NULL, 900031, 'click')";
const SECOND_ROW = "INSERT INTO events (tenant_id, event_id) VALUES (1, 900032), (NULL::int, 900033)";
// (one row: the rewriter leaves the column out, insert-without-dist-column's; several: it writes NULL)
const DEFAULT_KW = 'INSERT INTO orders_nc (tenant_id, order_id) VALUES (2, 1), (DEFAULT, 1)';

// Rows PostgreSQL refuses whatever the data, on plain tables: each case's own schema (`schema: ''`, the DDL is in
// the case), run on a real PostgreSQL by test/db/row-errors.test.ts (every statement executed in a rolled-back
// transaction: these are executor errors, which EXPLAIN does not raise).
const ROLLUP = 'CREATE TABLE daily_rollup (tenant_id int NOT NULL, day date NOT NULL, events bigint NOT NULL, updated_at timestamptz NOT NULL);\n';
const LEFT_OUT = `${ROLLUP}INSERT INTO daily_rollup (tenant_id, day, events) VALUES (1, '2024-01-01', 3);`;
const PK_LEFT_OUT = 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text);\nINSERT INTO accounts (name) VALUES (\'a\');';
const NULL_NOT_NULL = `${ROLLUP}INSERT INTO daily_rollup VALUES (1, '2024-01-01', 3, NULL);`;
const DEFAULT_NOT_NULL = `${ROLLUP}INSERT INTO daily_rollup VALUES (1, '2024-01-01', DEFAULT, now());`;
const TWO_KEYS =
  'CREATE TABLE m (c1 int, c2 int, v text) PARTITION BY RANGE (c1, c2);\n' +
  'CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (1, 1) TO (1, 10);\n' +
  'CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (1, 10) TO (10, 0);\n';
const MONTHS =
  'CREATE TABLE ev (created_at timestamptz NOT NULL, tenant_id int) PARTITION BY RANGE (created_at);\n' +
  "CREATE TABLE ev_2024_01 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');\n";
const REGIONS = "CREATE TABLE r (region text, v int) PARTITION BY LIST (region);\nCREATE TABLE r_west PARTITION OF r FOR VALUES IN ('us', 'eu');\n";
const FLAGS = 'CREATE TABLE f (active boolean, v int) PARTITION BY LIST (active);\nCREATE TABLE f_on PARTITION OF f FOR VALUES IN (true);\n';
const PRODUCTS =
  "CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL CHECK (length(name) > 0), price numeric CHECK (price >= 0), discount numeric DEFAULT 0, CONSTRAINT discount_le_price CHECK (discount <= price), kind text CHECK (kind IN ('a', 'b')), qty int CHECK (qty BETWEEN 1 AND 10), active boolean CHECK (active IS NOT FALSE), CHECK (id <> qty));\n";
const CHECK_DEFAULT = `${PRODUCTS}INSERT INTO products (id, name, price) VALUES (1, 'x', -1);`;
const CHECK_LENGTH = `${PRODUCTS}INSERT INTO products (id, name, price) VALUES (2, '', 1);`;
const CHECK_IN = `${PRODUCTS}INSERT INTO products (id, name, price, kind) VALUES (4, 'x', 5, 'c');`;
const CHECK_BETWEEN = `${PRODUCTS}INSERT INTO products (id, name, price, qty) VALUES (5, 'x', 5, '11');`;
const CHECK_BOOL = `${PRODUCTS}INSERT INTO products (id, name, price, active) VALUES (6, 'x', 5, 'f');`;
const CHECK_EXPR = `${PRODUCTS}INSERT INTO products (id, name, price, discount) VALUES (7, 'x', 5, 4 + 2);`;
const CHECK_TWO_COLUMNS = `${PRODUCTS}INSERT INTO products (id, name, price, qty) VALUES (3, 'x', 5, 3);`;
const CHECK_SECOND_ROW = `${PRODUCTS}INSERT INTO products (id, name, price) VALUES (8, 'x', 1), (9, 'y', -2);`;
const CHECK_NOT_VALID = `${PRODUCTS}ALTER TABLE products ADD CONSTRAINT id_small CHECK (id < 100) NOT VALID;\nINSERT INTO products (id, name) VALUES (100, 'x');`;
const CHECK_PARTITION =
  'CREATE TABLE ev (tenant_id int, v int CHECK (v > 0)) PARTITION BY RANGE (tenant_id);\nCREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM (0) TO (10);\nINSERT INTO ev VALUES (1, 0);';
const DOMAINS =
  'CREATE DOMAIN with_default AS int DEFAULT 0;\nCREATE DOMAIN age AS int DEFAULT 0 CHECK (value > 0);\nCREATE DOMAIN age4 AS int NOT NULL CHECK (value > 0) DEFAULT NULL;\nCREATE TABLE people (a int, b with_default, c age, d age4);\n';
const DOMAIN_DEFAULT = `${DOMAINS}INSERT INTO people (a, d) VALUES (1, 1);`;
const DOMAIN_VALUE = `${DOMAINS}INSERT INTO people (a, c, d) VALUES (2, -1, 1);`;
const DOMAIN_NULL = `${DOMAINS}INSERT INTO people (a, c) VALUES (4, 1);`;
const DOMAIN_OTHER_SCHEMA = 'CREATE SCHEMA other;\nCREATE DOMAIN other.pos AS numeric CHECK (VALUE >= 0);\nCREATE TABLE t2 (a int, p other.pos);\nINSERT INTO t2 VALUES (1, -0.5);';
const TWO_KEYS_OUT = `${TWO_KEYS}INSERT INTO m VALUES (10, 1);`;
const TWO_KEYS_BELOW = `${TWO_KEYS}INSERT INTO m VALUES (0, 100);`;
const MONTH_OUT = `${MONTHS}INSERT INTO ev VALUES ('2024-03-05 10:00', 1);`;
const REGION_OUT = `${REGIONS}INSERT INTO r VALUES ('asia', 1);`;
const PARTITION_OUT = `${REGIONS}INSERT INTO r_west VALUES ('asia', 1);`;
const FLAG_OUT = `${FLAGS}INSERT INTO f VALUES ('f', 1);`;

// Keys of the current date or time (CURRENT_DATE, now(), a default of them), checked against AnalyzeOptions.today: the
// cases' partitions are of 2024 or open-ended, so PostgreSQL's answer is the same on any day after 2025 began
const TODAY = '2026-12-07';
const DAYS = 'CREATE TABLE days (k date NOT NULL DEFAULT CURRENT_DATE, v int) PARTITION BY RANGE (k);\nCREATE TABLE days_2024 PARTITION OF days FOR VALUES FROM (\'2024-01-01\') TO (\'2025-01-01\');\n';
const TODAY_WRITTEN = `${DAYS}INSERT INTO days VALUES (current_date, 1);`;
const TODAY_DEFAULT = `${DAYS}INSERT INTO days (v) VALUES (1);`;
const TODAY_SET_DEFAULT = `${DAYS}ALTER TABLE days ALTER COLUMN k SET DEFAULT '2024-05-05';\nALTER TABLE days ALTER COLUMN k SET DEFAULT now();\nINSERT INTO days (v) VALUES (1);`;
const NOW_STAMP = "CREATE TABLE hits (at timestamptz NOT NULL, n int) PARTITION BY RANGE (at);\nCREATE TABLE hits_2024 PARTITION OF hits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nINSERT INTO hits VALUES (now()::timestamptz, 1);";
const LOCAL_STAMP = "CREATE TABLE log (at timestamp NOT NULL DEFAULT LOCALTIMESTAMP, m text) PARTITION BY RANGE (at);\nCREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nINSERT INTO log VALUES ('2024-02-02', 'a'), (DEFAULT, 'b');";

// Foreign keys (RI_FKey_check, at the end of the statement): a key of values that references a table the file created
// and surely wrote no row to, and a MATCH FULL key half NULL. Each valid case is a way rows reach the referenced table
// out of the model's sight, or a key PostgreSQL does not check then; every case runs on a real PostgreSQL
// (test/db/semantic.test.ts) and was recorded on Citus 13.2.2 too (test/fixtures/probes/sql/foreign-key-rows.sql).
const FK = 'CREATE TABLE fr (id int PRIMARY KEY);\nCREATE TABLE fc (k int, r int REFERENCES fr);\n';
const FK_PAIR = 'CREATE TABLE f2r (a int, b int, PRIMARY KEY (a, b));\n';
const FK_EMPTY = `${FK}INSERT INTO fc VALUES (1, 1);`;
const FK_OTHER_WRITE = `${FK}CREATE TABLE other (x int);\nINSERT INTO other VALUES (1);\nINSERT INTO fc VALUES (1, 2);`;
const FK_NAMED_PAIR = `${FK_PAIR}CREATE TABLE f2c (k int, a int, b int, CONSTRAINT pair_fk FOREIGN KEY (a, b) REFERENCES f2r (a, b));\nINSERT INTO f2c VALUES (1, 1, 2);`;
const FK_MATCH_FULL = `${FK_PAIR}CREATE TABLE f2f (a int, b int, FOREIGN KEY (a, b) REFERENCES f2r MATCH FULL);\nINSERT INTO f2r VALUES (1, 2);\nINSERT INTO f2f VALUES (1, NULL);`;
const FK_DEFAULT = 'CREATE TABLE fr (id int PRIMARY KEY);\nCREATE TABLE fd (k int, r int DEFAULT 5 REFERENCES fr);\nINSERT INTO fd (k) VALUES (1);';
const FK_SECOND_ROW = `${FK}INSERT INTO fc VALUES (1, NULL), (2, 3);`;
const DUP_PK = "CREATE TABLE dk (id int PRIMARY KEY, v text);\nINSERT INTO dk VALUES (1, 'a'), (2, 'b'), (1, 'c');";
const DUP_PAIR = "CREATE TABLE dp (a int, b text, UNIQUE (a, b));\nINSERT INTO dp VALUES (1, 'x'), (1, 'y'), (1, 'x');";
const DUP_NAMED = "CREATE TABLE dn (id int, code varchar(10), CONSTRAINT dn_code UNIQUE (code));\nINSERT INTO dn VALUES (1, 'a'), (2, 'a');";
const FK_NOT_AMONG = `${FK}INSERT INTO fr VALUES (1), (3);\nINSERT INTO fc VALUES (1, 2);`;
const FK_TEXT_DELETED = "CREATE TABLE tr (code text PRIMARY KEY);\nCREATE TABLE tc (k int, code text REFERENCES tr);\nINSERT INTO tr VALUES ('a'), ('b');\nDELETE FROM tr WHERE code = 'a';\nINSERT INTO tc VALUES (1, 'c');";
const FK_HOOK_UNUSED = `${FK}CREATE TABLE src (x int);\nCREATE FUNCTION copy_x() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO fr VALUES (NEW.x); RETURN NEW; END $$;\nCREATE TRIGGER copy_x AFTER INSERT ON src FOR EACH ROW EXECUTE FUNCTION copy_x();\nINSERT INTO fc VALUES (1, 5);`;
const FK_ALTER = 'CREATE TABLE fr (id int PRIMARY KEY);\nCREATE TABLE fa (k int, r int);\nALTER TABLE fa ADD CONSTRAINT fa_fk FOREIGN KEY (r) REFERENCES fr;\nINSERT INTO fa VALUES (1, 1);';

export const rowCases: RuleTable = {
  valid: [
    // foreign keys: the referenced row written first (a plain INSERT, an INSERT .. SELECT, through a view, by a DO
    // block, by a trigger on another table), a NULL key, a key to its own table, a deferred key (table or column
    // constraint, or altered to be), a table created with its rows (AS SELECT), a body not run, MATCH FULL all NULL and
    // MATCH SIMPLE half NULL
    { sql: `${FK}INSERT INTO fr VALUES (1);\nINSERT INTO fc VALUES (1, 1);`, schema: '' },
    { sql: `${FK}INSERT INTO fr SELECT 11;\nINSERT INTO fc VALUES (1, 11);`, schema: '' },
    { sql: `${FK}CREATE VIEW frv AS SELECT id FROM fr;\nINSERT INTO frv VALUES (7);\nINSERT INTO fc VALUES (1, 7);`, schema: '' },
    { sql: `${FK}DO $$ BEGIN INSERT INTO fr VALUES (8); END $$;\nINSERT INTO fc VALUES (1, 8);`, schema: '' },
    {
      sql: `${FK}CREATE TABLE src (x int);\nCREATE FUNCTION copy_x() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO fr VALUES (NEW.x); RETURN NEW; END $$;\nCREATE TRIGGER copy_x AFTER INSERT ON src FOR EACH ROW EXECUTE FUNCTION copy_x();\nINSERT INTO src VALUES (5);\nINSERT INTO fc VALUES (1, 5);`,
      schema: '',
    },
    { sql: `${FK}INSERT INTO fc VALUES (1, NULL);`, schema: '' },
    // rows of one VALUES with distinct keys, NULL keys (never equal), ON CONFLICT DO NOTHING, a DEFERRABLE key (table
    // and column forms: checked at commit), an index on an expression (not followed)
    { sql: "CREATE TABLE dk (id int PRIMARY KEY, v text);\nINSERT INTO dk VALUES (1, 'a'), (2, 'a');", schema: '' },
    { sql: "CREATE TABLE dp (a int, b text, UNIQUE (a, b));\nINSERT INTO dp VALUES (1, NULL), (1, NULL);", schema: '' },
    { sql: "CREATE TABLE dk (id int PRIMARY KEY, v text);\nINSERT INTO dk VALUES (1, 'a'), (1, 'b') ON CONFLICT DO NOTHING;", schema: '' },
    { sql: 'CREATE TABLE dd (id int, UNIQUE (id) DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO dd VALUES (1), (1);', schema: '' },
    { sql: 'CREATE TABLE dc (id int UNIQUE DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO dc VALUES (1), (1);', schema: '' },
    { sql: "CREATE TABLE de (v text);\nCREATE UNIQUE INDEX de_lower ON de (lower(v));\nINSERT INTO de VALUES ('A'), ('a');", schema: '', notOnPostgres: 'the expression index refuses the second row: not followed' },
    // rows the file's INSERT .. VALUES wrote: the key among them (a DELETE leaves them a superset), a value the model
    // computes (1 + 1) or cannot read (a function's), a key an UPDATE may have made
    { sql: `${FK}INSERT INTO fr VALUES (1), (2);\nDELETE FROM fr WHERE id = 2;\nINSERT INTO fc VALUES (1, 1);`, schema: '' },
    { sql: `${FK}INSERT INTO fr VALUES (1 + 1);\nINSERT INTO fc VALUES (1, 2);`, schema: '' },
    { sql: `${FK}INSERT INTO fr VALUES (length('abc'));\nINSERT INTO fc VALUES (1, 3);`, schema: '' },
    { sql: `${FK}INSERT INTO fr VALUES (1);\nUPDATE fr SET id = 4;\nINSERT INTO fc VALUES (1, 4);`, schema: '' },
    // a key the referenced table's own foreign key writes: ON UPDATE CASCADE and ON DELETE SET DEFAULT from its parent
    {
      sql: "CREATE TABLE fp (code text PRIMARY KEY);\nCREATE TABLE fm (id int PRIMARY KEY, code text UNIQUE REFERENCES fp ON UPDATE CASCADE);\nCREATE TABLE fl (k int, code text REFERENCES fm (code));\nINSERT INTO fp VALUES ('a');\nINSERT INTO fm VALUES (1, 'a');\nUPDATE fp SET code = 'b';\nINSERT INTO fl VALUES (1, 'b');",
      schema: '',
    },
    {
      sql: "CREATE TABLE fp (code text PRIMARY KEY);\nINSERT INTO fp VALUES ('a'), ('z');\nCREATE TABLE fm (id int PRIMARY KEY, code text UNIQUE DEFAULT 'z' REFERENCES fp ON DELETE SET DEFAULT);\nCREATE TABLE fl (k int, code text REFERENCES fm (code));\nINSERT INTO fm VALUES (1, 'a');\nDELETE FROM fp WHERE code = 'a';\nINSERT INTO fl VALUES (1, 'z');",
      schema: '',
    },
    { sql: 'CREATE TABLE fs (id int PRIMARY KEY, parent int REFERENCES fs);\nINSERT INTO fs VALUES (1, 1);', schema: '' },
    { sql: 'CREATE TABLE fr (id int PRIMARY KEY);\nCREATE TABLE fdt (k int, r int, FOREIGN KEY (r) REFERENCES fr DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO fdt VALUES (1, 5);', schema: '' },
    { sql: 'CREATE TABLE fr (id int PRIMARY KEY);\nCREATE TABLE fdc (k int, r int REFERENCES fr DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO fdc VALUES (1, 5);', schema: '' },
    { sql: 'CREATE TABLE fr (id int PRIMARY KEY);\nCREATE TABLE fal (k int, r int CONSTRAINT fal_fk REFERENCES fr);\nALTER TABLE fal ALTER CONSTRAINT fal_fk DEFERRABLE INITIALLY DEFERRED;\nINSERT INTO fal VALUES (1, 5);', schema: '' },
    { sql: 'CREATE TABLE fr2 AS SELECT 1 AS id;\nALTER TABLE fr2 ADD PRIMARY KEY (id);\nCREATE TABLE fc2 (r int REFERENCES fr2);\nINSERT INTO fc2 VALUES (1);', schema: '' },
    { sql: `${FK}CREATE FUNCTION later() RETURNS void LANGUAGE sql AS $$ INSERT INTO fc VALUES (1, 9) $$;`, schema: '' },
    { sql: `${FK_PAIR}CREATE TABLE f2f (a int, b int, FOREIGN KEY (a, b) REFERENCES f2r MATCH FULL);\nINSERT INTO f2f VALUES (NULL, NULL);`, schema: '' },
    { sql: `${FK_PAIR}CREATE TABLE f2s (a int, b int, FOREIGN KEY (a, b) REFERENCES f2r);\nINSERT INTO f2s VALUES (1, NULL);`, schema: '' },
    // every NOT NULL column given, or with a default, an identity or a generated value
    { sql: `${ROLLUP}INSERT INTO daily_rollup (tenant_id, day, events, updated_at) VALUES (1, '2024-01-01', 3, now());`, schema: '' },
    {
      sql: 'CREATE TABLE ids (id int GENERATED BY DEFAULT AS IDENTITY, s serial, g int GENERATED ALWAYS AS (1) STORED NOT NULL, x int NOT NULL DEFAULT 0, y int);\nINSERT INTO ids (y) VALUES (1);\nINSERT INTO ids (x) VALUES (DEFAULT);',
      schema: '',
    },
    // a BEFORE row trigger may fill the column in (NOT NULL is checked after it)
    {
      sql: `${ROLLUP}CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\nCREATE TRIGGER stamp BEFORE INSERT ON daily_rollup FOR EACH ROW EXECUTE FUNCTION stamp();\nINSERT INTO daily_rollup (tenant_id, day, events) VALUES (1, '2024-01-01', 3);\nINSERT INTO daily_rollup VALUES (1, '2024-01-02', 3, NULL);`,
      schema: '',
    },
    // a rule rewrites the INSERT
    { sql: `${ROLLUP}CREATE RULE skip AS ON INSERT TO daily_rollup DO INSTEAD NOTHING;\nINSERT INTO daily_rollup (tenant_id) VALUES (1);`, schema: '' },
    // a domain's default may fill a left-out column
    { sql: 'CREATE DOMAIN stamp AS timestamptz DEFAULT now() NOT NULL;\nCREATE TABLE t (a int, b stamp NOT NULL);\nINSERT INTO t (a) VALUES (1);', schema: '' },
    // keys a partition takes: two columns (row comparison), a time inside the month, a list value, true as 't'
    { sql: `${TWO_KEYS}INSERT INTO m VALUES (1, 5), (5, -20), (1, 10);`, schema: '' },
    { sql: `${MONTHS}INSERT INTO ev VALUES ('2024-01-31 10:00', 1);`, schema: '' },
    { sql: `${REGIONS}INSERT INTO r VALUES ('eu', 1);\nINSERT INTO r_west VALUES ('us', 2);`, schema: '' },
    { sql: `${FLAGS}INSERT INTO f VALUES ('t', 1), (true, 2);`, schema: '' },
    // what the model does not compare: an interval key, char(n) padding, the order of mixed-case text (collation),
    // a time near the bound in the session's time zone
    { sql: "CREATE TABLE i (k interval) PARTITION BY RANGE (k);\nCREATE TABLE i1 PARTITION OF i FOR VALUES FROM ('1 day') TO ('10 days');\nINSERT INTO i VALUES ('2 days');", schema: '' },
    { sql: "CREATE TABLE c (k char(3)) PARTITION BY LIST (k);\nCREATE TABLE c1 PARTITION OF c FOR VALUES IN ('a');\nINSERT INTO c VALUES ('a  ');", schema: '' },
    { sql: "CREATE TABLE tx (k text) PARTITION BY RANGE (k);\nCREATE TABLE tx1 PARTITION OF tx FOR VALUES FROM ('a') TO ('m');\nINSERT INTO tx VALUES ('B');", schema: '', notOnPostgres: 'C collation refuses B, en_US takes it' },
    { sql: `${MONTHS}INSERT INTO ev VALUES ('2024-01-31 23:00', 1);`, schema: '' },
    // a decimal into an integer key is rounded (1.5 is 2); a real key is rounded to single precision
    { sql: 'CREATE TABLE pi (k int) PARTITION BY RANGE (k);\nCREATE TABLE pi1 PARTITION OF pi FOR VALUES FROM (2) TO (10);\nINSERT INTO pi VALUES (1.5);', schema: '' },
    { sql: 'CREATE TABLE pr (k real) PARTITION BY RANGE (k);\nCREATE TABLE pr1 PARTITION OF pr FOR VALUES FROM (0.1) TO (1);\nINSERT INTO pr VALUES (0.099999999);', schema: '' },
    // a detached partition takes any row again; a primary key dropped, then NOT NULL
    { sql: `${REGIONS}ALTER TABLE r DETACH PARTITION r_west;\nINSERT INTO r_west VALUES ('asia', 1);`, schema: '' },
    { sql: 'CREATE TABLE k (id int PRIMARY KEY);\nALTER TABLE k DROP CONSTRAINT k_pkey;\nALTER TABLE k ALTER COLUMN id DROP NOT NULL;\nINSERT INTO k VALUES (NULL);', schema: '' },
    // inherited columns come first, with the parent's defaults
    { sql: 'CREATE TABLE base (id serial, name text);\nCREATE TABLE child (id int NOT NULL) INHERITS (base);\nINSERT INTO child (name) VALUES (\'a\');', schema: '' },
    // a foreign partition, or a partition attached from elsewhere, may take the row
    {
      sql: `${REGIONS}CREATE FOREIGN DATA WRAPPER w;\nCREATE SERVER s FOREIGN DATA WRAPPER w;\nCREATE FOREIGN TABLE r_asia PARTITION OF r FOR VALUES IN ('asia') SERVER s;\nINSERT INTO r VALUES ('asia', 1);`,
      schema: '',
      notOnPostgres: 'a foreign data wrapper without a handler takes no rows',
    },
    { sql: `${REGIONS}ALTER TABLE r ATTACH PARTITION elsewhere FOR VALUES IN ('asia');\nINSERT INTO r VALUES ('asia', 1);`, schema: '', notOnPostgres: 'the attached table is defined in another file' },
    // the current date: a partition takes today; a constant default set after a current-time one; an expression of
    // it (not followed); without a date to check against, or when a partition takes the day before or after
    { sql: `${DAYS}CREATE TABLE days_rest PARTITION OF days FOR VALUES FROM ('2025-01-01') TO (MAXVALUE);\nINSERT INTO days VALUES (current_date, 1);\nINSERT INTO days (v) VALUES (2);`, schema: '', today: TODAY },
    { sql: `${DAYS}ALTER TABLE days ALTER COLUMN k SET DEFAULT '2024-05-05';\nINSERT INTO days (v) VALUES (1);`, schema: '', today: TODAY },
    { sql: `${DAYS}INSERT INTO days VALUES (current_date - 1000, 1);`, schema: '', today: TODAY, notOnPostgres: 'the value depends on the day the test runs' },
    { sql: TODAY_WRITTEN, schema: '', notOnPostgres: 'no date is given to check CURRENT_DATE with' },
    { sql: TODAY_WRITTEN, schema: '', today: '2025-01-01', notOnPostgres: 'the case is about another day than the one the test runs on' },
    { sql: `${DAYS}CREATE TABLE days_other PARTITION OF days DEFAULT;\nINSERT INTO days VALUES (now(), 1);`, schema: '', today: TODAY },
    // CHECK constraints: every one passes, or is NULL (a CHECK fails only when false), or is not known
    { sql: `${PRODUCTS}INSERT INTO products VALUES (1, 'x', 5, 1, 'a', 10, true), (2, 'y', NULL, NULL, NULL, NULL, NULL);`, schema: '' },
    { sql: `${PRODUCTS}INSERT INTO products (id, name, price) VALUES (3, 'x', 1e3);`, schema: '' },
    { sql: `${PRODUCTS}ALTER TABLE products ADD CONSTRAINT id_small CHECK (id < 100) NOT VALID;\nALTER TABLE products DROP CONSTRAINT id_small;\nINSERT INTO products (id, name) VALUES (100, 'x');`, schema: '' },
    { sql: `${PRODUCTS}ALTER TABLE products DROP COLUMN qty;\nINSERT INTO products (id, name) VALUES (104, 'x');`, schema: '' },
    { sql: `${PRODUCTS}ALTER TABLE products RENAME COLUMN price TO cost;\nINSERT INTO products (id, name, cost, discount) VALUES (105, 'x', 5, 1);`, schema: '' },
    // text under a COLLATE clause: a nondeterministic collation's equality is not the characters' (not run here: it
    // needs ICU)
    {
      sql: "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);\nCREATE TABLE c (name text COLLATE ci CHECK (name = 'abc'));\nINSERT INTO c VALUES ('ABC');",
      schema: '',
      notOnPostgres: 'the embedded PostgreSQL may be built without ICU',
    },
    // a function the evaluator does not know; the order of text (the collation's)
    { sql: "CREATE TABLE t (name text CHECK (lower(name) = name));\nINSERT INTO t VALUES ('abc');", schema: '' },
    { sql: "CREATE TABLE t (name text CHECK (name > 'a'));\nINSERT INTO t VALUES ('B');", schema: '', notOnPostgres: 'C collation refuses B, en_US takes it' },
    // domains: NULL passes a domain's CHECK; a dropped CHECK or NOT NULL binds no more; a CHECK the evaluator does not know
    { sql: `${DOMAINS}INSERT INTO people (a, b, c, d) VALUES (0, NULL, NULL, 1), (1, 5, 5, 5);`, schema: '' },
    { sql: `${DOMAINS}ALTER DOMAIN age DROP CONSTRAINT age_check;\nALTER DOMAIN age4 DROP NOT NULL;\nINSERT INTO people (a, c) VALUES (7, -1);`, schema: '' },
    { sql: "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');\nCREATE TABLE u (e email);\nINSERT INTO u VALUES ('a@b');", schema: '' },
    // a CHECK added to a parent of INHERITS goes to its children and may clash with theirs: not followed
    {
      sql: 'CREATE TABLE p (f1 int);\nCREATE TABLE c () INHERITS (p);\nALTER TABLE c ADD CONSTRAINT k CHECK (f1 > 0) NOT VALID;\nALTER TABLE p ADD CONSTRAINT k CHECK (f1 > 0);\nINSERT INTO p VALUES (0);',
      schema: '',
      notOnPostgres: 'the ALTER TABLE on the parent fails on PostgreSQL (the child has the constraint NOT VALID): run as a script, the INSERT then succeeds',
    },
  ],
  invalid: [
    { sql: TODAY_WRITTEN, schema: '', today: TODAY, outcome: 'error', findings: [at(TODAY_WRITTEN, 'current_date')] },
    { sql: TODAY_DEFAULT, schema: '', today: TODAY, outcome: 'error', findings: [at(TODAY_DEFAULT, 'days (v)')] },
    { sql: TODAY_SET_DEFAULT, schema: '', today: TODAY, outcome: 'error', findings: [at(TODAY_SET_DEFAULT, 'days (v)')] },
    { sql: NOW_STAMP, schema: '', today: TODAY, outcome: 'error', findings: [at(NOW_STAMP, 'now()')] },
    { sql: LOCAL_STAMP, schema: '', today: TODAY, outcome: 'error', findings: [at(LOCAL_STAMP, 'DEFAULT, ')] },
    { sql: LEFT_OUT, schema: '', outcome: 'error', findings: [at(LEFT_OUT, 'tenant_id, day, events)')] },
    { sql: PK_LEFT_OUT, schema: '', outcome: 'error', findings: [at(PK_LEFT_OUT, 'name) VALUES')] },
    { sql: NULL_NOT_NULL, schema: '', outcome: 'error', findings: [at(NULL_NOT_NULL, ', NULL)', 1, 2)] },
    { sql: DEFAULT_NOT_NULL, schema: '', outcome: 'error', findings: [at(DEFAULT_NOT_NULL, 'DEFAULT')] },
    { sql: TWO_KEYS_OUT, schema: '', outcome: 'error', findings: [at(TWO_KEYS_OUT, '10, 1')] },
    { sql: TWO_KEYS_BELOW, schema: '', outcome: 'error', findings: [at(TWO_KEYS_BELOW, '0, 100')] },
    { sql: MONTH_OUT, schema: '', outcome: 'error', findings: [at(MONTH_OUT, "'2024-03-05 10:00'")] },
    { sql: REGION_OUT, schema: '', outcome: 'error', findings: [at(REGION_OUT, "'asia'")] },
    { sql: PARTITION_OUT, schema: '', outcome: 'error', findings: [at(PARTITION_OUT, "'asia'")] },
    { sql: FLAG_OUT, schema: '', outcome: 'error', findings: [at(FLAG_OUT, "'f'")] },
    // CHECK constraints, the first failing one in name order, named as PostgreSQL names them
    { sql: CHECK_DEFAULT, schema: '', outcome: 'error', findings: [at(CHECK_DEFAULT, '1, ')] },
    { sql: CHECK_LENGTH, schema: '', outcome: 'error', findings: [at(CHECK_LENGTH, '2, ')] },
    { sql: CHECK_IN, schema: '', outcome: 'error', findings: [at(CHECK_IN, '4, ')] },
    { sql: CHECK_BETWEEN, schema: '', outcome: 'error', findings: [at(CHECK_BETWEEN, '5, ')] },
    { sql: CHECK_BOOL, schema: '', outcome: 'error', findings: [at(CHECK_BOOL, '6, ')] },
    { sql: CHECK_EXPR, schema: '', outcome: 'error', findings: [at(CHECK_EXPR, '7, ')] },
    { sql: CHECK_TWO_COLUMNS, schema: '', outcome: 'error', findings: [at(CHECK_TWO_COLUMNS, '3, ')] },
    { sql: CHECK_SECOND_ROW, schema: '', outcome: 'error', findings: [at(CHECK_SECOND_ROW, '9, ')] },
    { sql: CHECK_NOT_VALID, schema: '', outcome: 'error', findings: [at(CHECK_NOT_VALID, '100, ')] },
    { sql: CHECK_PARTITION, schema: '', outcome: 'error', findings: [at(CHECK_PARTITION, '1, 0')] },
    // a domain's CHECK and NOT NULL, its default for a column the INSERT leaves out, a domain in another schema
    { sql: DOMAIN_DEFAULT, schema: '', outcome: 'error', findings: [at(DOMAIN_DEFAULT, 'a, d)')] },
    { sql: DOMAIN_VALUE, schema: '', outcome: 'error', findings: [at(DOMAIN_VALUE, '-1')] },
    { sql: DOMAIN_NULL, schema: '', outcome: 'error', findings: [at(DOMAIN_NULL, 'a, c)')] },
    { sql: DOMAIN_OTHER_SCHEMA, schema: '', outcome: 'error', findings: [at(DOMAIN_OTHER_SCHEMA, '-0.5')] },
    // foreign keys: to a table the file created and wrote no row to (another table's rows do not count), two columns
    // under a given name, a key from the column's default, the second row, a key ALTER TABLE added; MATCH FULL half NULL
    { sql: FK_EMPTY, schema: '', outcome: 'error', findings: [at(FK_EMPTY, '1);')] },
    { sql: FK_OTHER_WRITE, schema: '', outcome: 'error', findings: [at(FK_OTHER_WRITE, '2);')] },
    { sql: FK_NAMED_PAIR, schema: '', outcome: 'error', findings: [at(FK_NAMED_PAIR, '1, 2);')] },
    { sql: FK_DEFAULT, schema: '', outcome: 'error', findings: [at(FK_DEFAULT, 'fd (k)')] },
    { sql: FK_SECOND_ROW, schema: '', outcome: 'error', findings: [at(FK_SECOND_ROW, '3);')] },
    { sql: FK_ALTER, schema: '', outcome: 'error', findings: [at(FK_ALTER, '1);')] },
    { sql: FK_MATCH_FULL, schema: '', outcome: 'error', findings: [at(FK_MATCH_FULL, '1, NULL')] },
    // a key none of the rows the file wrote holds (integers, text after a DELETE), a trigger on a table nothing writes
    // a key an earlier row of the same VALUES holds (primary key, two columns, a named constraint of varchar): a
    // warning, the outcome kept (a unique violation is the rows' failure, as the recorded corpora label it)
    { sql: DUP_PK, schema: '', outcome: 'local', findings: [at(DUP_PK, "1, 'c'")] },
    { sql: DUP_PAIR, schema: '', outcome: 'local', findings: [at(DUP_PAIR, "1, 'x')", 2)] },
    { sql: DUP_NAMED, schema: '', outcome: 'local', findings: [at(DUP_NAMED, "'a');")] },
    { sql: FK_NOT_AMONG, schema: '', outcome: 'error', findings: [at(FK_NOT_AMONG, '2);')] },
    { sql: FK_TEXT_DELETED, schema: '', outcome: 'error', findings: [at(FK_TEXT_DELETED, "'c'")] },
    { sql: FK_HOOK_UNUSED, schema: '', outcome: 'error', findings: [at(FK_HOOK_UNUSED, '5);')] },
  ],
};

// INSERT..SELECT into a distributed time-partitioned rollup table: a key the SELECT gives every row (CURRENT_DATE, a
// constant, the column's default) that no partition takes; the plan stands (the rows fail), as recorded on Citus 13.2.2
// (test/fixtures/probes/sql/current-time-partitions.sql)
const ROLLUP_DAYS = "CREATE TABLE rbd (tenant_id int NOT NULL, day date NOT NULL DEFAULT current_date, n bigint, PRIMARY KEY (tenant_id, day)) PARTITION BY RANGE (day);\nCREATE TABLE rbd_2024 PARTITION OF rbd FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nSELECT create_distributed_table('rbd', 'tenant_id', colocate_with => 'events');\n";
const IS_TODAY = `${ROLLUP_DAYS}INSERT INTO rbd (tenant_id, day, n) SELECT tenant_id, current_date, count(*) FROM events GROUP BY tenant_id;`;
const IS_DEFAULT = `${ROLLUP_DAYS}INSERT INTO rbd (tenant_id, n) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id;`;
const IS_CONSTANT = `${ROLLUP_DAYS}INSERT INTO rbd (tenant_id, day, n) SELECT tenant_id, '2023-06-01', count(*) FROM events GROUP BY tenant_id LIMIT 3;`;
const IS_UNION = `${ROLLUP_DAYS}INSERT INTO rbd (tenant_id, day, n) SELECT tenant_id, now()::date, 1 FROM events UNION SELECT tenant_id, current_date, 2 FROM users;`;

ruleTests('insert-null-dist-column', {
  valid: [
    { sql: "INSERT INTO events (tenant_id, event_id, event_type) VALUES (7, 900021, 'click'), (7, 900022, 'view')", outcome: 'single_shard' },
    // NULL in another column is fine
    { sql: "INSERT INTO events (tenant_id, event_id, user_id) VALUES (7, 900021, NULL)", outcome: 'single_shard' },
    // a random() distribution value is computed once on the coordinator and routed
    { sql: 'INSERT INTO page_views (tenant_id, page_id) VALUES ((random() * 100)::int, 1)', outcome: 'single_shard' },
    ...rowCases.valid,
    // a key a partition takes, one from the rows (not followed), a SELECT of no rows, one leaf of a UNION that may be in
    { sql: IS_TODAY.replace('tenant_id, current_date,', "tenant_id, '2024-06-01',"), today: TODAY, method: 'pushdown' },
    { sql: IS_TODAY.replace('tenant_id, current_date,', 'tenant_id, max(created_at)::date,'), today: TODAY, method: 'pushdown' },
    { sql: IS_TODAY.replace('FROM events', 'FROM events WHERE false'), today: TODAY, method: 'router' },
    { sql: IS_UNION.replace('tenant_id, current_date, 2', 'tenant_id, created_at::date, 2'), today: TODAY, method: 'repartition' },
    // no date to check CURRENT_DATE with
    { sql: IS_TODAY, method: 'pushdown' },
  ],
  invalid: [
    { sql: NULL_VALUE, outcome: 'error', findings: [at(NULL_VALUE, 'NULL')] },
    { sql: SECOND_ROW, outcome: 'error', findings: [at(SECOND_ROW, 'NULL')] },
    { sql: DEFAULT_KW, outcome: 'error', findings: [at(DEFAULT_KW, 'DEFAULT')] },
    ...rowCases.invalid,
    { sql: IS_TODAY, today: TODAY, method: 'pushdown', findings: [at(IS_TODAY, 'current_date, count')] },
    { sql: IS_DEFAULT, today: TODAY, method: 'pushdown', findings: [at(IS_DEFAULT, 'tenant_id, n) SELECT')] },
    { sql: IS_CONSTANT, today: TODAY, method: 'pull_to_coordinator', findings: [at(IS_CONSTANT, "'2023-06-01'")] },
    { sql: IS_UNION, today: TODAY, method: 'repartition', findings: [at(IS_UNION, 'now()::date')] },
  ],
});

describe('rule insert-null-dist-column: severity of a key no partition takes', () => {
  before(() => loadParser());
  it('is an error for rows written as VALUES (they fail), a warning for an INSERT..SELECT (only when it returns rows)', () => {
    const values = analyze(TODAY_WRITTEN, '', undefined, TODAY).findings.filter((f) => f.rule === 'insert-null-dist-column');
    assert.deepEqual(values.map((f) => f.severity), ['error']);
    const selected = analyze(IS_TODAY, undefined, undefined, TODAY).findings.filter((f) => f.rule === 'insert-null-dist-column');
    assert.deepEqual(selected.map((f) => f.severity), ['warning']);
    assert.match(selected[0].message, /no partition of rbd takes 2026-12-07/);
  });
});

describe('rule insert-null-dist-column: inside a PL/pgSQL block with an EXCEPTION clause', () => {
  before(() => loadParser());
  // (Citus' regression test multi_subtransactions.sql catches not_null_violation so; checked on Citus 13.2.2)
  const CAUGHT = `CREATE TABLE researchers (id bigint NOT NULL, lab_id int, name text);
DO $$
BEGIN
  INSERT INTO researchers VALUES (15, 10, 'Melvin Fitting');
  INSERT INTO researchers VALUES (NULL, 10, 'Raymond Smullyan');
EXCEPTION WHEN not_null_violation THEN
  INSERT INTO researchers VALUES (NULL, 11, 'in the handler');
END $$;
DO $$ BEGIN INSERT INTO researchers VALUES (NULL, 10, 'no handler'); END $$;`;
  it('is a warning that says the handler may catch it; in the handler, or without one, an error', () => {
    const found = analyze(CAUGHT, '').findings.filter((f) => f.rule === 'insert-null-dist-column');
    assert.deepEqual(
      found.map((f) => [CAUGHT.slice(f.range.start, f.range.end), f.severity]),
      [
        ['NULL', 'warning'],
        ['NULL', 'error'],
        ['NULL', 'error'],
      ],
    );
    assert.deepEqual(found.map((f) => CAUGHT.slice(0, f.range.start).split('\n').length), [5, 7, 9]);
    assert.match(found[0].message, /inside a block whose EXCEPTION clause may catch the error/);
  });
});
