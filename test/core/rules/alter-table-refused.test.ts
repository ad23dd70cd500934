import { strict as assert } from 'node:assert';
import { at } from './at';
import { analyze, ruleTests } from './harness';

// Run on Citus 13.2.2 (test/fixtures/probes/sql/alter-table-refused.sql, recorded): the invalid statements were
// refused with the message the finding quotes, the valid ones ran.
const SCHEMA = `CREATE TABLE accounts (account_id int NOT NULL, plan text, n int);
SELECT create_distributed_table('accounts', 'account_id');
CREATE TABLE plans (plan text PRIMARY KEY, price int);
SELECT create_reference_table('plans');
CREATE TABLE notes (note_id int, body text);
SELECT create_distributed_table('notes', null);`;

const TYPE = 'ALTER TABLE accounts ALTER COLUMN account_id TYPE bigint';
const DEFAULT = 'ALTER TABLE accounts ALTER COLUMN account_id SET DEFAULT 1';
const NULLABLE = 'ALTER TABLE accounts ALTER COLUMN account_id DROP NOT NULL';
const DROP = 'ALTER TABLE accounts DROP COLUMN account_id';
const WITH_OTHERS = 'ALTER TABLE accounts ADD COLUMN active boolean, ADD CONSTRAINT accounts_n CHECK (n >= 0)';
const REFERENCE_WITH_OTHERS = 'ALTER TABLE plans ADD COLUMN tier int, ADD CONSTRAINT plans_tier CHECK (tier > 0)';
// (checked on Citus 13.2.2: `renaming constraints belonging to distributed tables is currently unsupported`, on any
// Citus table, whether the constraint exists or not)
const RENAME = 'ALTER TABLE plans RENAME CONSTRAINT plans_pkey TO plans_key';
const RENAME_MISSING = 'ALTER TABLE accounts RENAME CONSTRAINT nope TO other';

ruleTests('alter-table-refused', {
  valid: [
    { schema: SCHEMA, sql: 'ALTER TABLE accounts ADD COLUMN active boolean', notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: 'ALTER TABLE accounts ADD CONSTRAINT accounts_n CHECK (n >= 0)', notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: "ALTER TABLE accounts ALTER COLUMN n TYPE bigint, ALTER COLUMN plan SET DEFAULT 'free'", notOnPostgres: 'a Citus table' },
    // a reference table has no distribution column; a single-shard table neither
    { schema: SCHEMA, sql: 'ALTER TABLE plans ALTER COLUMN plan TYPE varchar(20)', notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: 'ALTER TABLE notes ALTER COLUMN note_id TYPE bigint', notOnPostgres: 'a Citus table' },
    // with DDL propagation off Citus does not check (a script that manages the shards itself)
    { schema: SCHEMA, sql: `SET citus.enable_ddl_propagation TO off;\n${DEFAULT}`, notOnPostgres: 'a Citus setting' },
    // a plain table
    { schema: 'CREATE TABLE plain (id int, n int);', sql: 'ALTER TABLE plain ADD COLUMN active boolean, ADD CONSTRAINT plain_n CHECK (n >= 0)' },
  ],
  invalid: [
    { schema: SCHEMA, sql: TYPE, findings: [at(TYPE, 'accounts')] },
    { schema: SCHEMA, sql: DEFAULT, findings: [at(DEFAULT, 'accounts')] },
    { schema: SCHEMA, sql: NULLABLE, findings: [at(NULLABLE, 'accounts')] },
    { schema: SCHEMA, sql: DROP, findings: [at(DROP, 'accounts')] },
    { schema: SCHEMA, sql: WITH_OTHERS, findings: [at(WITH_OTHERS, 'accounts')] },
    { schema: SCHEMA, sql: REFERENCE_WITH_OTHERS, findings: [at(REFERENCE_WITH_OTHERS, 'plans')] },
    { schema: SCHEMA, sql: RENAME, findings: [at(RENAME, 'plans')] },
    { schema: SCHEMA, sql: RENAME_MISSING, findings: [at(RENAME_MISSING, 'accounts')] },
    // with DDL propagation off, dropping the distribution column is still refused (another message)
    { schema: SCHEMA, sql: `SET citus.enable_ddl_propagation TO off;\n${DROP}`, findings: [at(`SET citus.enable_ddl_propagation TO off;\n${DROP}`, 'accounts')] },
  ],
});

describe('alter-table-refused leaves the table as it was', () => {
  it("quotes Citus' message, and a column the refused statement would have added does not exist", () => {
    const r = analyze(`${WITH_OTHERS};\nUPDATE accounts SET active = true WHERE account_id = 2;\n`, SCHEMA);
    const refusal = r.findings.find((f) => f.rule === 'alter-table-refused');
    assert.deepEqual([refusal?.citus?.message, refusal?.citus?.hint], ['cannot execute ADD CONSTRAINT command with other subcommands', 'You can issue each subcommand separately']);
    assert.equal(r.statements[1].outcome, 'error');
    assert.ok(r.findings.some((f) => f.rule === 'unknown-column' && /"active"/.test(f.message)));
  });

  it('keeps the constraint under its name when Citus refuses to rename it', () => {
    const r = analyze(`${RENAME};\nINSERT INTO plans VALUES ('a', 1) ON CONFLICT ON CONSTRAINT plans_pkey DO NOTHING;\n`, SCHEMA);
    assert.equal(r.findings.find((f) => f.rule === 'alter-table-refused')?.citus?.message, 'renaming constraints belonging to distributed tables is currently unsupported');
    assert.ok(!r.findings.some((f) => f.rule === 'on-conflict-without-matching-key'), JSON.stringify(r.findings.map((f) => f.message)));
  });

  it('keeps the distribution column and its type', () => {
    const r = analyze(`${TYPE};\n${DROP};\n`, SCHEMA);
    const accounts = r.model.resolve(undefined, 'accounts', ['public']);
    assert.equal(accounts?.distributionColumn, 'account_id');
    assert.equal(accounts?.columns.find((c) => c.name === 'account_id')?.type, 'integer');
  });
});
