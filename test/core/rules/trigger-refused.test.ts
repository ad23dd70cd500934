import { strict as assert } from 'node:assert';
import { at } from './at';
import { analyze, ruleTests } from './harness';

// Run on Citus 13.2.2 (test/fixtures/probes/sql/schema-changes-on-citus.sql, recorded, and by hand): the invalid
// statements were refused with the message the finding quotes, the valid ones ran.
const SCHEMA = `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE accounts (account_id int NOT NULL, plan text);
SELECT create_distributed_table('accounts', 'account_id');
CREATE TABLE plans (plan text PRIMARY KEY, price int);
SELECT create_reference_table('plans');
CREATE TABLE notes (note_id int, body text);
SELECT create_distributed_table('notes', null);
CREATE TABLE settings (k text, v text);
SELECT citus_add_local_table_to_metadata('settings');
CREATE TABLE plain (id int);`;

const ON_DISTRIBUTED = 'CREATE TRIGGER accounts_touch BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION touch()';
const ON_REFERENCE = 'CREATE TRIGGER plans_touch BEFORE UPDATE ON plans FOR EACH ROW EXECUTE FUNCTION touch()';
const ON_SINGLE_SHARD = 'CREATE TRIGGER notes_touch AFTER INSERT ON notes FOR EACH STATEMENT EXECUTE FUNCTION touch()';
const DISABLE = 'ALTER TABLE accounts DISABLE TRIGGER ALL';
const ENABLE = 'ALTER TABLE plans ENABLE TRIGGER USER';
const TRIGGERED = 'CREATE TRIGGER plain_touch BEFORE INSERT ON plain FOR EACH ROW EXECUTE FUNCTION touch();\n';
const DISTRIBUTE = `${TRIGGERED}SELECT create_distributed_table('plain', 'id')`;
const REFERENCE = `${TRIGGERED}SELECT create_reference_table('plain')`;

ruleTests('trigger-refused', {
  valid: [
    // with DDL propagation off Citus does not check (Citus' regression file citus_table_triggers.sql, recorded)
    { schema: SCHEMA, sql: `SET citus.enable_ddl_propagation TO off;\n${ON_DISTRIBUTED}`, notOnPostgres: 'a Citus setting' },
    { schema: SCHEMA, sql: 'CREATE TRIGGER settings_touch BEFORE INSERT ON settings FOR EACH ROW EXECUTE FUNCTION touch()', notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: TRIGGERED, notOnPostgres: 'a Citus function' },
    { schema: SCHEMA, sql: `${TRIGGERED}SELECT citus_add_local_table_to_metadata('plain')`, notOnPostgres: 'a Citus function' },
    // the trigger dropped first; citus.enable_unsafe_triggers lets them through
    { schema: SCHEMA, sql: `${TRIGGERED}DROP TRIGGER plain_touch ON plain;\nSELECT create_distributed_table('plain', 'id')`, notOnPostgres: 'a Citus function' },
    { schema: SCHEMA, sql: `SET citus.enable_unsafe_triggers TO on;\n${ON_DISTRIBUTED}`, notOnPostgres: 'a Citus setting' },
    { schema: SCHEMA, sql: 'ALTER TABLE plain DISABLE TRIGGER ALL', notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: 'ALTER TABLE settings ENABLE TRIGGER ALL', notOnPostgres: 'a Citus table' },
  ],
  invalid: [
    { schema: SCHEMA, sql: ON_DISTRIBUTED, findings: [at(ON_DISTRIBUTED, 'CREATE')], notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: ON_REFERENCE, findings: [at(ON_REFERENCE, 'CREATE')], notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: ON_SINGLE_SHARD, findings: [at(ON_SINGLE_SHARD, 'CREATE')], notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: DISABLE, findings: [at(DISABLE, 'accounts')], notOnPostgres: 'a Citus table' },
    { schema: SCHEMA, sql: ENABLE, findings: [at(ENABLE, 'plans')], notOnPostgres: 'a Citus table' },
  ],
});

describe('trigger-refused and distributing a table with triggers', () => {
  it("quotes Citus' messages (checked on Citus 13.2.2)", () => {
    const messages = (sql: string, rule: string) => analyze(`${sql};\n`, SCHEMA).findings.filter((f) => f.rule === rule).map((f) => [f.citus?.message, f.citus?.hint]);
    assert.deepEqual(messages(ON_DISTRIBUTED, 'trigger-refused'), [['triggers are not supported on distributed tables', undefined]]);
    assert.deepEqual(messages(ON_REFERENCE, 'trigger-refused'), [['triggers are not supported on reference tables', undefined]]);
    for (const sql of [DISTRIBUTE, REFERENCE]) {
      assert.deepEqual(messages(sql, 'distribution-call-refused'), [['cannot distribute relation "plain" because it has triggers', 'Consider dropping all the triggers on "plain" and retry.']]);
    }
  });

  it('leaves the table without the refused trigger, and a refused distribution leaves it local', () => {
    const r = analyze(`${DISTRIBUTE};\nINSERT INTO plain VALUES (1);\n`, SCHEMA);
    const last = r.statements.filter((s) => s.parentIndex === undefined).pop();
    assert.equal(last?.outcome, 'local');
  });
});
