import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with the message
// the finding quotes; the valid ones run.
const TABLE = 'CREATE TABLE uc (id int PRIMARY KEY, tenant_id int NOT NULL, v int CHECK (v > 0), p int REFERENCES uc (id), UNIQUE (tenant_id, v))';
const GUESSED = `${TABLE};\nALTER TABLE uc DROP CONSTRAINT uc_pk;\nALTER TABLE uc ADD PRIMARY KEY (tenant_id, id)`;
const INDEX = `${TABLE};\nCREATE UNIQUE INDEX uc_u ON uc (v);\nALTER TABLE uc DROP CONSTRAINT uc_u`;
const RENAMED = `${TABLE};\nALTER TABLE uc RENAME CONSTRAINT uc_pkey TO uc_old;\nALTER TABLE uc DROP CONSTRAINT uc_pkey`;
const RENAME = `${TABLE};\nALTER TABLE uc RENAME CONSTRAINT uc_key TO uc_k`;
const VALIDATE = `${TABLE};\nALTER TABLE uc VALIDATE CONSTRAINT uc_v_chk`;
// an unnamed UNIQUE .. INCLUDE added to a plain table is named with its INCLUDE columns (PostgreSQL), on a Citus table
// without them (Citus names it itself: Citus' regression file multi_alter_table_add_constraints_without_name.sql)
const INCLUDE_PLAIN = 'CREATE TABLE inc (a int, b int);\nALTER TABLE inc ADD UNIQUE (a) INCLUDE (b);\nALTER TABLE inc DROP CONSTRAINT inc_a_key';
const DROPPED = `${TABLE};\nALTER TABLE uc DROP CONSTRAINT uc_v_check;\nALTER TABLE uc DROP CONSTRAINT uc_v_check`;

export const cases: RuleTable = {
  valid: [
    { sql: 'CREATE TABLE inc (a int, b int);\nALTER TABLE inc ADD UNIQUE (a) INCLUDE (b);\nALTER TABLE inc DROP CONSTRAINT inc_a_b_key' },
    { sql: "CREATE TABLE inc (a int, b int);\nSELECT create_distributed_table('inc', 'a');\nALTER TABLE inc ADD UNIQUE (a) INCLUDE (b);\nALTER TABLE inc DROP CONSTRAINT inc_a_key", notOnPostgres: 'a Citus table' },
    { sql: `${TABLE};\nALTER TABLE uc DROP CONSTRAINT uc_pkey CASCADE, ADD PRIMARY KEY (tenant_id, id)` },
    { sql: `${TABLE};\nALTER TABLE uc DROP CONSTRAINT uc_tenant_id_v_key;\nALTER TABLE uc DROP CONSTRAINT uc_v_check;\nALTER TABLE uc DROP CONSTRAINT uc_p_fkey` },
    { sql: `${TABLE};\nALTER TABLE uc DROP CONSTRAINT IF EXISTS uc_pk` },
    // (a name PostgreSQL would choose that a key, an index or a constraint of another table of the schema has already
    // got, after that table was created: it numbers the new one, and the model does not say which names it has; the
    // table x in between makes the model look names up before the name is added: SchemaModel.keyNameTaken's index)
    { sql: 'CREATE TABLE a (id int PRIMARY KEY, v int);\nCREATE TABLE x (id int PRIMARY KEY);\nCREATE UNIQUE INDEX b_v_key ON a (v);\nCREATE TABLE b (v int UNIQUE);\nALTER TABLE b DROP CONSTRAINT b_v_key1' },
    { sql: 'CREATE TABLE a (id int, v int UNIQUE);\nCREATE TABLE x (id int PRIMARY KEY);\nALTER TABLE a RENAME CONSTRAINT a_v_key TO b_v_key;\nCREATE TABLE b (v int UNIQUE);\nALTER TABLE b DROP CONSTRAINT b_v_key1' },
    { sql: 'CREATE TABLE c (id int PRIMARY KEY, w int);\nCREATE TABLE x (id int PRIMARY KEY);\nALTER TABLE c ADD CONSTRAINT d_w_fkey UNIQUE (w);\nCREATE TABLE d (w int REFERENCES c (w));\nALTER TABLE d DROP CONSTRAINT d_w_fkey1' },
    { sql: `${TABLE};\nALTER TABLE uc RENAME CONSTRAINT uc_v_check TO uc_positive;\nALTER TABLE uc DROP CONSTRAINT uc_positive` },
    { sql: 'CREATE TABLE uc (id int, v int, CONSTRAINT uc_v CHECK (v > 0), CONSTRAINT uc_x EXCLUDE USING btree (id WITH =));\nALTER TABLE uc DROP CONSTRAINT uc_x, DROP CONSTRAINT uc_v' },
    // (constraints the model does not know all of: LIKE's, an unnamed CHECK added later; PostgreSQL decides)
    { sql: `${TABLE};\nCREATE TABLE uc2 (LIKE uc INCLUDING ALL);\nALTER TABLE uc2 DROP CONSTRAINT uc2_nope`, notOnPostgres: 'PostgreSQL refuses it; the model says nothing' },
    { sql: `${TABLE};\nALTER TABLE uc ADD CHECK (tenant_id > 0);\nALTER TABLE uc DROP CONSTRAINT uc_tenant_id_check` },
    // a table created twice: the first definition may be the table, with its constraints (checked on Citus 13.2.2: the
    // second CREATE TABLE fails, the DROP runs)
    { sql: 'CREATE TABLE src9 (a int CONSTRAINT a_pos CHECK (a > 0));\nCREATE TABLE tw9 (LIKE src9 INCLUDING ALL);\nCREATE TABLE tw9 (id int);\nALTER TABLE tw9 DROP CONSTRAINT a_pos', notOnPostgres: 'the second CREATE TABLE fails there, as the model cannot be sure it does' },
    // the tables a file created before psql's `\\c otherdb` are in the database it left
    { sql: 'CREATE TABLE tw2 (id int, x int);\n\\c otherdb\nALTER TABLE tw2 DROP CONSTRAINT tw2_x_key', notOnPostgres: 'another database' },
  ],
  invalid: [
    { sql: INCLUDE_PLAIN, findings: [at(INCLUDE_PLAIN, 'ALTER TABLE inc DROP', 1, 12)] },
    { sql: GUESSED, findings: [at(GUESSED, 'uc DROP')] },
    { sql: INDEX, findings: [at(INDEX, 'uc DROP')] },
    { sql: RENAMED, findings: [at(RENAMED, 'uc DROP')] },
    { sql: RENAME, findings: [at(RENAME, 'uc RENAME')] },
    { sql: VALIDATE, findings: [at(VALIDATE, 'uc VALIDATE')] },
    { sql: DROPPED, findings: [{ line: 3, column: 13 }] },
  ],
};

ruleTests('undefined-constraint', cases);

describe('undefined-constraint: messages, and what follows', () => {
  before(async () => {
    await loadParser();
  });
  const findings = (sql: string): { rule: string; message?: string }[] => analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' }).findings.map((f) => ({ rule: f.rule, message: f.citus?.message }));
  it("gives PostgreSQL's messages (checked on PostgreSQL 15)", () => {
    assert.deepEqual(findings(GUESSED).slice(0, 1), [{ rule: 'undefined-constraint', message: 'constraint "uc_pk" of relation "uc" does not exist' }]);
    assert.equal(findings(RENAME)[0]?.message, 'constraint "uc_key" for table "uc" does not exist');
  });
  it('keeps the old key after a DROP CONSTRAINT of a wrong name: the ADD PRIMARY KEY after it fails too', () => {
    assert.deepEqual(findings(GUESSED).map((f) => f.rule), ['undefined-constraint', 'multiple-primary-keys']);
  });
});
