import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each case brings its tables (`schema: ''`); test/db/semantic.test.ts runs every statement on a real PostgreSQL
// with rows in both tables: the invalid cases fail there with the message of the finding, the valid ones run.
const TABLES =
  "CREATE TABLE accounts (id int PRIMARY KEY, status text NOT NULL CHECK (status IN ('active', 'archived')), balance numeric CHECK (balance >= 0), lo int, hi int, CHECK (lo < hi));\n" +
  "INSERT INTO accounts VALUES (3, 'active', 1, 1, 9);\n" +
  'CREATE TABLE src (id int, b numeric);\n' +
  'INSERT INTO src VALUES (3, 1), (4, 2);\n';
const UPDATE_TYPO = `${TABLES}UPDATE accounts SET status = 'archive' WHERE id = 3;`;
const UPDATE_TWO = `${TABLES}UPDATE accounts SET balance = -1, lo = 5;`;
const UPDATE_PAIR = `${TABLES}UPDATE accounts SET lo = 5, hi = 2;`;
const INSERT_SELECT = `${TABLES}INSERT INTO accounts (id, status, balance) SELECT id + 10, 'closed', b FROM src;`;
const UPSERT = `${TABLES}INSERT INTO accounts (id, status) VALUES (3, 'active') ON CONFLICT (id) DO UPDATE SET status = 'gone';`;
const MERGE_UPDATE = `${TABLES}MERGE INTO accounts t USING src s ON t.id = s.id WHEN MATCHED THEN UPDATE SET balance = -5;`;
const MERGE_INSERT = `${TABLES}MERGE INTO accounts t USING src s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id, status) VALUES (s.id, 'x');`;

export const cases: RuleTable = {
  valid: [
    // a value the CHECK takes; a CHECK that reads a column the statement does not set (the row's value decides)
    { sql: `${TABLES}UPDATE accounts SET status = 'archived';`, schema: '' },
    { sql: `${TABLES}UPDATE accounts SET lo = 5;`, schema: '' },
    // NULL passes a CHECK; a value from the data is not a constant
    { sql: `${TABLES}UPDATE accounts SET balance = NULL;`, schema: '' },
    { sql: `${TABLES}INSERT INTO accounts (id, status, balance) SELECT id + 10, 'active', b FROM src;`, schema: '' },
    // a BEFORE row trigger may change the row before the CHECK
    {
      sql: `${TABLES}CREATE FUNCTION fix() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.status := 'active'; RETURN NEW; END $$;\nCREATE TRIGGER fix BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION fix();\nUPDATE accounts SET status = 'archive';`,
      schema: '',
    },
    // a text CHECK under a collation, whose equality may not be the characters'
    { sql: `${TABLES}CREATE TABLE c (id int, s text COLLATE "C" CHECK (s IN ('a', 'b')));\nINSERT INTO c VALUES (1, 'a');\nUPDATE c SET s = 'b';`, schema: '' },
  ],
  invalid: [
    { sql: UPDATE_TYPO, schema: '', findings: [at(UPDATE_TYPO, "'archive' WHERE")] },
    { sql: UPDATE_TWO, schema: '', findings: [at(UPDATE_TWO, '-1')] },
    { sql: UPDATE_PAIR, schema: '', findings: [at(UPDATE_PAIR, '5, hi')] },
    { sql: INSERT_SELECT, schema: '', findings: [at(INSERT_SELECT, "'closed'")] },
    { sql: UPSERT, schema: '', findings: [at(UPSERT, "'gone'")] },
    { sql: MERGE_UPDATE, schema: '', findings: [at(MERGE_UPDATE, '-5')] },
    { sql: MERGE_INSERT, schema: '', findings: [at(MERGE_INSERT, "'x'")] },
  ],
};

ruleTests('check-fails-on-rows', cases);
