import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { applyDocumentDdl } from '../../../src/core/workspace';
import { at } from './at';
import { CORPUS_SCHEMA, ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with the message
// the finding quotes (also for a distributed table); the valid ones run.
const T = 'CREATE TABLE dc (tenant_id int NOT NULL, id bigint, note text)';
// what a DEFAULT, a generation expression or a CHECK may not hold, and NULL beside NOT NULL (cookDefault,
// cookConstraint, transformColumnDefinition), whatever the table
const DEFAULT_COLUMN = 'CREATE TABLE dc_d (id int, v int DEFAULT id + 1)';
const DEFAULT_SUBQUERY = `${T};\nALTER TABLE dc ALTER COLUMN id SET DEFAULT (SELECT 1)`;
const CHECK_SUBQUERY = 'CREATE TABLE dc_c (id int, v int CHECK (v > (SELECT 1)))';
const ADD_CHECK_SUBQUERY = `${T};\nALTER TABLE dc ADD CONSTRAINT dc_chk CHECK (id > (SELECT 0))`;
const GENERATED_GENERATED = 'CREATE TABLE dc_g (id int, v int GENERATED ALWAYS AS (id * 2) STORED, w int GENERATED ALWAYS AS (v * 2) STORED)';
const NULL_NOT_NULL = 'CREATE TABLE dc_n (id int NOT NULL NULL)';
const SET_NOT_NULL = `${T};\nALTER TABLE dc ALTER COLUMN tenant SET NOT NULL`;
const DROP = `${T};\nALTER TABLE dc DROP COLUMN notes`;
const RENAME = `${T};\nALTER TABLE dc RENAME COLUMN tenant TO tenant_id`;
const RENAME_TAKEN = `${T};\nALTER TABLE dc RENAME COLUMN note TO id`;
const KEY = `${T};\nALTER TABLE dc ADD PRIMARY KEY (tenant_id, order_id)`;
const UNIQUE = `${T};\nALTER TABLE dc ADD UNIQUE (tenant_id, order_id)`;
const INDEX = `${T};\nCREATE INDEX dc_idx ON dc (tenant_id, created_at)`;
const ADD = `${T};\nALTER TABLE dc ADD COLUMN note text`;
const FK = `${T};\nCREATE TABLE parent (id bigint PRIMARY KEY);\nALTER TABLE dc ADD FOREIGN KEY (parent_id) REFERENCES parent (id)`;
const CREATE_KEY = 'CREATE TABLE dc (tenant_id int, id bigint, PRIMARY KEY (tenant_id, order_id))';
const TWICE = 'CREATE TABLE dc (tenant_id int, id bigint, tenant_id int)';
// ALTER COLUMN .. TYPE without USING needs an assignment cast (checked on PostgreSQL 15.20 and Citus 13.2.2)
const RETYPE = `${T};\nALTER TABLE dc ALTER COLUMN note TYPE int`;
const RETYPE_JSONB = `${T};\nALTER TABLE dc ALTER COLUMN note SET DATA TYPE jsonb`;
// the partition key, CHECK and GENERATED expressions of CREATE TABLE, a key column twice, ALTER TABLE .. ADD CHECK
const PARTITION_KEY = 'CREATE TABLE dc (tenant_id int, day date) PARTITION BY RANGE (created_at)';
const CHECK = 'CREATE TABLE dc (tenant_id int, amount numeric CHECK (amout >= 0))';
const GENERATED = 'CREATE TABLE dc (tenant_id int, cents bigint, euros numeric GENERATED ALWAYS AS (cent / 100.0) STORED)';
const KEY_TWICE = 'CREATE TABLE dc (tenant_id int, id bigint, PRIMARY KEY (tenant_id, id, tenant_id))';
const ADD_CHECK = `${T};\nALTER TABLE dc ADD CONSTRAINT positive CHECK (amount > 0)`;
const DISTRIBUTED = `${T};\nSELECT create_distributed_table('dc', 'tenant_id');\nALTER TABLE dc ALTER COLUMN created_at SET DEFAULT now()`;
// USING's result is converted with an assignment cast too (checked on PostgreSQL 15.20 and Citus 13.2.2): a cast to
// int, or a column of type bigint, does not become boolean; the column keeps its type, so what follows sees a bigint
const RETYPE_USING_CAST = `${T};\nALTER TABLE dc ALTER COLUMN id TYPE boolean USING id::int;\nINSERT INTO dc (tenant_id, id) VALUES (1, 45)`;
const RETYPE_USING_COLUMN = `${T};\nALTER TABLE dc ALTER COLUMN id TYPE boolean USING id`;
// a generation expression may not read the whole row (the table's name, where no column has it); a CHECK may
const GENERATED_WHOLE_ROW = 'CREATE TABLE dc_w (a int, b int GENERATED ALWAYS AS (num_nulls(dc_w)) STORED)';

export const cases: RuleTable = {
  valid: [
    // a table created again after a definition the model cannot vouch for (LIKE): if the first was made, the second
    // CREATE TABLE fails and the first's columns are the table's (checked on PostgreSQL 15, probe ddl-mistakes.sql)
    {
      sql: 'CREATE TABLE dc_re (LIKE events INCLUDING ALL);\nCREATE TABLE dc_re (id int);\nCREATE INDEX ON dc_re (created_at);\nALTER TABLE dc_re ALTER COLUMN value SET DEFAULT 1.5;\nSELECT payload FROM dc_re',
      notOnPostgres: 'the second CREATE TABLE fails there (relation already exists), as the model cannot be sure it does',
    },
    { sql: `${T};\nALTER TABLE dc ALTER COLUMN note TYPE varchar(10), ALTER COLUMN id TYPE text, ALTER COLUMN tenant_id TYPE bigint` },
    { sql: `${T};\nALTER TABLE dc ALTER COLUMN note TYPE int USING length(note)` },
    { sql: `${T};\nALTER TABLE dc ALTER COLUMN note SET NOT NULL, ALTER COLUMN id SET DEFAULT 0` },
    { sql: `${T};\nALTER TABLE dc ADD COLUMN created_at timestamptz, ADD PRIMARY KEY (tenant_id, id);\nCREATE INDEX ON dc (tenant_id, created_at)` },
    { sql: `${T};\nALTER TABLE dc DROP COLUMN IF EXISTS notes;\nALTER TABLE dc ADD COLUMN IF NOT EXISTS note text` },
    { sql: `${T};\nALTER TABLE dc RENAME COLUMN note TO notes;\nALTER TABLE dc ALTER COLUMN notes SET DEFAULT ''` },
    // a name an earlier ALTER TABLE added, dropped or renamed: PostgreSQL may have refused that one (here: rows with NULL)
    { sql: `${T};\nINSERT INTO dc VALUES (1, 1, 'a');\nALTER TABLE dc ADD COLUMN v int PRIMARY KEY;\nALTER TABLE dc ADD COLUMN v int DEFAULT 0`, notOnPostgres: 'PostgreSQL refuses the first ADD COLUMN (a row gets NULL): the model cannot know, and says nothing of v after it' },
    // columns the model does not know all of: LIKE, INHERITS
    { sql: `${T};\nCREATE TABLE dc2 (LIKE dc, extra int);\nALTER TABLE dc2 ALTER COLUMN extra SET NOT NULL` },
    { sql: `${T};\nCREATE TABLE dc3 (x int) INHERITS (dc);\nCREATE INDEX ON dc3 (tenant_id, x)` },
    // expressions and system columns are left alone
    { sql: `${T};\nCREATE INDEX ON dc (lower(note))` },
    { sql: 'CREATE TABLE dc (tenant_id int, day date, amount numeric CHECK (amount >= 0), cents bigint GENERATED ALWAYS AS (amount * 100) STORED, CHECK (dc.tenant_id > 0)) PARTITION BY RANGE (day)' },
    { sql: `${T};\nALTER TABLE dc ADD CONSTRAINT positive CHECK (id > 0 AND length(note) < 100)` },
    { sql: "CREATE TABLE dc_ok (id int NOT NULL, at timestamptz DEFAULT now(), u uuid DEFAULT gen_random_uuid(), n int DEFAULT 1 + 2, g int GENERATED ALWAYS AS (n * 2) STORED, s text DEFAULT current_user)" },
    // USING of an evident type that converts, and one the model does not type (a function's result)
    { sql: `${T};\nALTER TABLE dc ALTER COLUMN note TYPE int USING note::int, ALTER COLUMN id TYPE text USING 7;\nINSERT INTO dc (tenant_id, note, id) VALUES (1, 2, 'x')` },
    { sql: `${T};\nALTER TABLE dc ALTER COLUMN id TYPE boolean USING id <> 0` },
    // the whole row in a CHECK (PostgreSQL's regression test copy2.sql does so)
    { sql: 'CREATE TABLE dc_wr (f1 int, CHECK (dc_wr IS NOT NULL));\nALTER TABLE dc_wr ADD CHECK (num_nonnulls(dc_wr) > 0)' },
  ],
  invalid: [
    { sql: DEFAULT_COLUMN, findings: [at(DEFAULT_COLUMN, 'dc_d')] },
    { sql: DEFAULT_SUBQUERY, findings: [at(DEFAULT_SUBQUERY, 'dc ALTER')] },
    { sql: CHECK_SUBQUERY, findings: [at(CHECK_SUBQUERY, 'dc_c')] },
    { sql: ADD_CHECK_SUBQUERY, findings: [at(ADD_CHECK_SUBQUERY, 'dc ADD')] },
    { sql: GENERATED_GENERATED, findings: [at(GENERATED_GENERATED, 'dc_g')] },
    { sql: NULL_NOT_NULL, findings: [at(NULL_NOT_NULL, 'dc_n')] },
    { sql: RETYPE, findings: [at(RETYPE, 'dc ALTER')] },
    { sql: RETYPE_JSONB, findings: [at(RETYPE_JSONB, 'dc ALTER')] },
    { sql: SET_NOT_NULL, findings: [at(SET_NOT_NULL, 'dc ALTER')] },
    { sql: DROP, findings: [at(DROP, 'dc DROP')] },
    { sql: RENAME, findings: [at(RENAME, 'dc RENAME')] },
    { sql: RENAME_TAKEN, findings: [at(RENAME_TAKEN, 'dc RENAME')] },
    { sql: KEY, findings: [at(KEY, 'dc ADD')] },
    { sql: UNIQUE, findings: [at(UNIQUE, 'dc ADD')] },
    { sql: INDEX, findings: [at(INDEX, 'dc (tenant_id, created_at)')] },
    { sql: ADD, findings: [at(ADD, 'dc ADD')] },
    { sql: FK, findings: [at(FK, 'dc ADD')] },
    { sql: CREATE_KEY, findings: [at(CREATE_KEY, 'dc (')] },
    { sql: TWICE, findings: [at(TWICE, 'dc (')] },
    { sql: PARTITION_KEY, findings: [at(PARTITION_KEY, 'dc (')] },
    { sql: CHECK, findings: [at(CHECK, 'dc (')] },
    { sql: GENERATED, findings: [at(GENERATED, 'dc (')] },
    { sql: KEY_TWICE, findings: [at(KEY_TWICE, 'dc (')] },
    { sql: ADD_CHECK, findings: [at(ADD_CHECK, 'dc ADD')] },
    { sql: RETYPE_USING_CAST, findings: [at(RETYPE_USING_CAST, 'dc ALTER')] },
    { sql: RETYPE_USING_COLUMN, findings: [at(RETYPE_USING_COLUMN, 'dc ALTER')] },
    { sql: GENERATED_WHOLE_ROW, findings: [at(GENERATED_WHOLE_ROW, 'dc_w')] },
  ],
};

ruleTests('ddl-column-error', cases);

describe('ddl-column-error: messages, and what follows', () => {
  before(async () => {
    await loadParser();
  });
  const messages = (sql: string): (string | undefined)[] => analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' }).findings.filter((f) => f.rule === 'ddl-column-error').map((f) => f.citus?.message);
  it("gives PostgreSQL's messages (checked on PostgreSQL 15 and Citus 13.2.2)", () => {
    assert.deepEqual(messages(SET_NOT_NULL), ['column "tenant" of relation "dc" does not exist']);
    assert.deepEqual(messages(RENAME), ['column "tenant" does not exist']);
    assert.deepEqual(messages(RENAME_TAKEN), ['column "id" of relation "dc" already exists']);
    assert.deepEqual(messages(KEY), ['column "order_id" of relation "dc" does not exist']);
    assert.deepEqual(messages(UNIQUE), ['column "order_id" named in key does not exist']);
    assert.deepEqual(messages(INDEX), ['column "created_at" does not exist']);
    assert.deepEqual(messages(ADD), ['column "note" of relation "dc" already exists']);
    assert.deepEqual(messages(FK), ['column "parent_id" referenced in foreign key constraint does not exist']);
    assert.deepEqual(messages(CREATE_KEY), ['column "order_id" named in key does not exist']);
    assert.deepEqual(messages(TWICE), ['column "tenant_id" specified more than once']);
    assert.deepEqual(messages(PARTITION_KEY), ['column "created_at" named in partition key does not exist']);
    assert.deepEqual(messages(CHECK), ['column "amout" does not exist']);
    assert.deepEqual(messages(GENERATED), ['column "cent" does not exist']);
    assert.deepEqual(messages(KEY_TWICE), ['column "tenant_id" appears twice in primary key constraint']);
    assert.deepEqual(messages(ADD_CHECK), ['column "amount" does not exist']);
    assert.deepEqual(messages(RETYPE_USING_CAST), ['result of USING clause for column "id" cannot be cast automatically to type boolean']);
    assert.deepEqual(messages(RETYPE_USING_COLUMN), ['result of USING clause for column "id" cannot be cast automatically to type boolean']);
    assert.deepEqual(messages(GENERATED_WHOLE_ROW), ['cannot use whole-row variable in column generation expression']);
    // the same for a distributed table: Citus passes the command to PostgreSQL first
    assert.deepEqual(messages(DISTRIBUTED), ['column "created_at" of relation "dc" does not exist']);
  });
  it('leaves the table as it was: a CREATE TABLE that fails creates no table, a later statement on it says nothing', () => {
    const a = analyzeDocument(`${CREATE_KEY};\nALTER TABLE dc ALTER COLUMN nope SET NOT NULL`, new SchemaModel(), { source: 'x.sql' });
    assert.deepEqual(a.findings.map((f) => f.rule), ['ddl-column-error']);
    assert.equal(a.model.get('public', 'dc'), undefined);
  });
});

/** The corpus schema's model, fresh (these tests add to it). */
function corpusModel(): SchemaModel {
  const m = new SchemaModel();
  applyDocumentDdl(m, { source: 'schema.sql', text: CORPUS_SCHEMA });
  return m;
}

describe('ddl-column-error: a table a file creates twice, as the editor sees the file', () => {
  before(async () => {
    await loadParser();
  });
  it('vouches for neither definition, whether or not the workspace model holds the file already', () => {
    const text = 'CREATE TABLE dc_twice (LIKE events INCLUDING ALL);\nCREATE TABLE dc_twice (id int);\nCREATE INDEX ON dc_twice (created_at);\nSELECT payload FROM dc_twice;';
    const withFile = corpusModel();
    applyDocumentDdl(withFile, { source: 'twice.sql', text });
    for (const model of [corpusModel(), withFile]) {
      const errors = analyzeDocument(text, model, { source: 'twice.sql' }).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(errors, []);
    }
  });
  it('still checks a table the workspace model holds from the file itself, created once', () => {
    const text = 'CREATE TABLE dc_once (id int, at timestamptz DEFAULT now());\nCREATE INDEX ON dc_once (nosuch);';
    const withFile = corpusModel();
    applyDocumentDdl(withFile, { source: 'once.sql', text });
    const errors = analyzeDocument(text, withFile, { source: 'once.sql' }).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => f.rule), ['ddl-column-error']);
  });
});
