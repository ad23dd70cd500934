import { strict as assert } from 'node:assert';
import { at } from './at';
import { SchemaModel } from '../../../src/core/schema/model';
import { applyDocumentDdl } from '../../../src/core/workspace';
import { analyze, CORPUS_SCHEMA, ruleTests, type RuleTable } from './harness';

// What PostgreSQL refuses in a read-only transaction. The cases on plain tables bring their own (`executed` below):
// test/db/semantic.test.ts runs each of them statement by statement on a real PostgreSQL and compares the first
// error; the ones on Citus tables were recorded on Citus 13.2.2 (test/fixtures/probes/sql/read-only-transactions.sql).
const PLAIN = 'CREATE TABLE events (id int, n int);\nCREATE TEMP TABLE scratch (id int, n int);\nCREATE SEQUENCE ticket_seq;\n';

const RO_INSERT = `${PLAIN}BEGIN READ ONLY;\nINSERT INTO events VALUES (1, 1);`;
const RO_UPDATE = `${PLAIN}BEGIN READ ONLY;\nUPDATE events SET n = 2;`;
const RO_DELETE = `${PLAIN}START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;\nDELETE FROM events;`;
const RO_LOCK = `${PLAIN}BEGIN READ ONLY;\nSELECT * FROM events FOR NO KEY UPDATE;`;
const RO_CTE = `${PLAIN}BEGIN READ ONLY;\nWITH added AS (INSERT INTO events VALUES (1, 1) RETURNING *) SELECT * FROM added;`;
const RO_SET = `${PLAIN}BEGIN;\nSELECT count(*) FROM events;\nSET TRANSACTION READ ONLY;\nINSERT INTO events VALUES (1, 1);`;
const RO_SET_LOCAL = `${PLAIN}BEGIN;\nSET LOCAL transaction_read_only = on;\nINSERT INTO events VALUES (1, 1);`;
const RO_DEFAULT = `${PLAIN}SET default_transaction_read_only = on;\nINSERT INTO events VALUES (1, 1);`;
const RO_CHARACTERISTICS = `${PLAIN}SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\nBEGIN;\nINSERT INTO events VALUES (1, 1);`;
const RO_DDL = `${PLAIN}BEGIN READ ONLY;\nCREATE TABLE more_events (id int);`;
const RO_TEMP_DDL = `${PLAIN}BEGIN READ ONLY;\nCREATE TEMP TABLE more_scratch (id int);`;
const RO_ALTER = `${PLAIN}BEGIN READ ONLY;\nALTER TABLE events ADD COLUMN day date;`;
const RO_INDEX = `${PLAIN}BEGIN READ ONLY;\nCREATE INDEX ON events (n);`;
const RO_DROP = `${PLAIN}SET default_transaction_read_only = on;\nDROP TABLE events;`;
const RO_TRUNCATE = `${PLAIN}BEGIN READ ONLY;\nTRUNCATE events;`;
const RO_COPY = `${PLAIN}BEGIN READ ONLY;\nCOPY events FROM STDIN;\n1\t2\n\\.\n`;
const RO_NEXTVAL = `${PLAIN}BEGIN READ ONLY;\nSELECT nextval('ticket_seq');`;
const RO_SETVAL = `${PLAIN}SET default_transaction_read_only = on;\nSELECT setval('public.ticket_seq', 10);`;
// COMMIT AND CHAIN starts the next block with the same characteristics
const RO_CHAIN = `${PLAIN}BEGIN READ ONLY;\nCOMMIT AND CHAIN;\nUPDATE events SET n = 1;`;
// the first error: parse analysis comes before the executor's check
const RO_UNKNOWN_COLUMN = `${PLAIN}BEGIN READ ONLY;\nINSERT INTO events (id, day) VALUES (1, now());`;

/** Cases on their own plain tables, which a real PostgreSQL runs statement by statement (test/db/semantic.test.ts). */
export const executed: RuleTable = {
  valid: [
    // reads, SET, EXPLAIN and LOCK TABLE run
    { sql: `${PLAIN}BEGIN READ ONLY;\nSELECT count(*) FROM events;` },
    { sql: `${PLAIN}BEGIN READ ONLY;\nEXPLAIN INSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}BEGIN READ ONLY;\nLOCK TABLE events IN EXCLUSIVE MODE;` },
    { sql: `${PLAIN}BEGIN READ ONLY;\nSET search_path = public;\nSELECT 1 FROM events;` },
    // temporary tables may be written
    { sql: `${PLAIN}BEGIN READ ONLY;\nINSERT INTO scratch SELECT * FROM events;` },
    { sql: `${PLAIN}BEGIN READ ONLY;\nUPDATE scratch SET n = 1;` },
    { sql: `${PLAIN}BEGIN READ ONLY;\nSELECT * FROM scratch FOR UPDATE;` },
    { sql: `${PLAIN}BEGIN READ ONLY;\nWITH added AS (INSERT INTO scratch VALUES (1, 1) RETURNING *) SELECT * FROM added;` },
    // the block ended; READ WRITE; the default turned off again
    { sql: `${PLAIN}BEGIN READ ONLY;\nROLLBACK;\nINSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}SET default_transaction_read_only = on;\nBEGIN READ WRITE;\nINSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}SET default_transaction_read_only = on;\nRESET default_transaction_read_only;\nINSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}SET default_transaction_read_only = on;\nRESET ALL;\nINSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}SET default_transaction_read_only = on;\nSET default_transaction_read_only TO off;\nINSERT INTO events VALUES (1, 1);` },
    // outside a block, SET TRANSACTION and transaction_read_only last for their own statement
    { sql: `${PLAIN}SET TRANSACTION READ ONLY;\nINSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}SET transaction_read_only = on;\nINSERT INTO events VALUES (1, 1);` },
    // SET LOCAL default_.. changes no transaction that is running; a default SET in a rolled-back block is undone
    { sql: `${PLAIN}BEGIN;\nSET LOCAL default_transaction_read_only = on;\nINSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}BEGIN;\nSET default_transaction_read_only = on;\nROLLBACK;\nINSERT INTO events VALUES (1, 1);` },
    // a savepoint's read-only state ends with it (ROLLBACK TO, RELEASE)
    { sql: `${PLAIN}BEGIN;\nSAVEPOINT s;\nSET TRANSACTION READ ONLY;\nROLLBACK TO SAVEPOINT s;\nINSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}BEGIN;\nSAVEPOINT s;\nSET TRANSACTION READ ONLY;\nRELEASE SAVEPOINT s;\nINSERT INTO events VALUES (1, 1);` },
    { sql: `${PLAIN}BEGIN;\nROLLBACK AND CHAIN;\nUPDATE events SET n = 1;` },
    // a temporary sequence may be advanced; a sequence call that may not run (a row of a table) is not reported
    { sql: `${PLAIN}CREATE TEMP SEQUENCE scratch_seq;\nBEGIN READ ONLY;\nSELECT nextval('scratch_seq');` },
    { sql: `${PLAIN}BEGIN READ ONLY;\nSELECT nextval('ticket_seq') FROM events;` },
    // (from a server file: the tests' client does not send COPY data)
    { sql: `${PLAIN}BEGIN READ ONLY;\nCOPY scratch FROM '/dev/null';` },
    // back to READ WRITE before any query: the model does not follow it (Citus' writes still fail), and says nothing
    { sql: `${PLAIN}BEGIN READ ONLY;\nSET TRANSACTION READ WRITE;\nINSERT INTO events VALUES (1, 1);` },
  ],
  invalid: [
    { sql: RO_INSERT, findings: [at(RO_INSERT, 'INSERT')], outcome: 'error' },
    { sql: RO_UPDATE, findings: [at(RO_UPDATE, 'UPDATE')], outcome: 'error' },
    { sql: RO_DELETE, findings: [at(RO_DELETE, 'DELETE')], outcome: 'error' },
    { sql: RO_LOCK, findings: [at(RO_LOCK, 'SELECT *')], outcome: 'error' },
    { sql: RO_CTE, findings: [at(RO_CTE, 'WITH')], outcome: 'error' },
    { sql: RO_SET, findings: [at(RO_SET, 'INSERT')], outcome: 'error' },
    { sql: RO_SET_LOCAL, findings: [at(RO_SET_LOCAL, 'INSERT')], outcome: 'error' },
    { sql: RO_DEFAULT, findings: [at(RO_DEFAULT, 'INSERT')], outcome: 'error' },
    { sql: RO_CHARACTERISTICS, findings: [at(RO_CHARACTERISTICS, 'INSERT')], outcome: 'error' },
    { sql: RO_DDL, findings: [at(RO_DDL, 'CREATE TABLE more')] },
    { sql: RO_TEMP_DDL, findings: [at(RO_TEMP_DDL, 'CREATE TEMP TABLE more')] },
    { sql: RO_ALTER, findings: [at(RO_ALTER, 'ALTER')] },
    { sql: RO_INDEX, findings: [at(RO_INDEX, 'CREATE INDEX')] },
    { sql: RO_DROP, findings: [at(RO_DROP, 'DROP')] },
    { sql: RO_TRUNCATE, findings: [at(RO_TRUNCATE, 'TRUNCATE')] },
    { sql: RO_CHAIN, findings: [at(RO_CHAIN, 'UPDATE')], outcome: 'error' },
    { sql: RO_NEXTVAL, findings: [at(RO_NEXTVAL, "SELECT nextval")] },
    { sql: RO_COPY, findings: [at(RO_COPY, 'COPY')], outcome: 'error' },
    { sql: RO_SETVAL, findings: [at(RO_SETVAL, "SELECT setval")] },
  ],
};

// (the schema of these cases is in their SQL: the model starts empty)
const own = (t: RuleTable): RuleTable => ({ valid: t.valid.map((c) => ({ ...c, schema: '' })), invalid: t.invalid.map((c) => ({ ...c, schema: '' })) });

ruleTests('read-only-transaction', {
  valid: [
    ...own(executed).valid,
    // an error of parse analysis comes first
    { schema: '', sql: RO_UNKNOWN_COLUMN, notOnPostgres: 'another error comes first' },
    // a table the model does not know may be a temporary one: nothing is said
    { sql: 'BEGIN READ ONLY;\nINSERT INTO elsewhere VALUES (1);', notOnPostgres: 'a table the model does not know' },
    // a body may change the state: from there on nothing is said
    { schema: '', sql: `${PLAIN}DO $$ BEGIN SET default_transaction_read_only = on; END $$;\nBEGIN READ WRITE;\nINSERT INTO events VALUES (1, 1);` },
    { schema: '', sql: `${PLAIN}SET default_transaction_read_only = on;\nSELECT set_config('default_transaction_read_only', 'off', false);\nINSERT INTO events VALUES (1, 1);` },
  ],
  invalid: [
    ...own(executed).invalid,
    // Citus tables (recorded on Citus 13.2.2): Citus' plan of a locking SELECT is named SELECT
    { sql: 'BEGIN READ ONLY;\nINSERT INTO daily_rollup SELECT tenant_id, created_at::date, event_type, count(*), sum(value) FROM events GROUP BY 1, 2, 3;', findings: [{ line: 2, column: 1 }] },
    { sql: 'BEGIN READ ONLY;\nSELECT * FROM events WHERE tenant_id = 1 FOR UPDATE;', findings: [{ line: 2, column: 1 }], outcome: 'error' },
    { sql: "BEGIN READ ONLY;\nSELECT create_distributed_table('local_config', 'tenant_id');", findings: [{ line: 2, column: 1 }] },
  ],
});

describe('read-only-transaction: messages and what the model keeps', () => {
  const message = (sql: string, schema = ''): string | undefined => analyze(sql, schema).findings.find((f) => f.rule === 'read-only-transaction')?.citus?.message;

  it("gives PostgreSQL's message with its name for the command", () => {
    assert.equal(message(RO_INSERT), 'cannot execute INSERT in a read-only transaction');
    assert.equal(message(RO_LOCK), 'cannot execute SELECT FOR NO KEY UPDATE in a read-only transaction');
    assert.equal(message(RO_CTE), 'cannot execute SELECT in a read-only transaction');
    assert.equal(message(RO_TRUNCATE), 'cannot execute TRUNCATE TABLE in a read-only transaction');
    assert.equal(message(RO_TEMP_DDL), 'cannot execute CREATE TABLE in a read-only transaction');
    // Citus' plan of a locking SELECT on a distributed table; Citus' calls take a colocation id from a sequence
    assert.equal(message('BEGIN READ ONLY;\nSELECT * FROM events WHERE tenant_id = 1 FOR UPDATE;', CORPUS_SCHEMA), 'cannot execute SELECT in a read-only transaction');
    assert.equal(message("BEGIN READ ONLY;\nSELECT create_reference_table('local_config');", CORPUS_SCHEMA), 'cannot execute nextval() in a read-only transaction');
  });

  it('applies nothing a refused statement would have done', () => {
    const r = analyze(`${RO_DDL}\nROLLBACK;\nINSERT INTO more_events VALUES (1);`);
    assert.ok(r.findings.some((f) => f.rule === 'unknown-table' && /more_events/.test(f.message)), 'the table was not created');
    const d = analyze("BEGIN READ ONLY;\nSELECT create_distributed_table('local_config', 'tenant_id');\nROLLBACK;\nSELECT 1;", undefined);
    assert.equal(d.model.resolve(undefined, 'local_config', ['public'])?.kind, 'local');
  });

  it("reports Citus' own refusal of a call's arguments, which comes first", () => {
    const r = analyze("BEGIN READ ONLY;\nSELECT create_distributed_table('local_config', 'no_such_column');", undefined);
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error').map((f) => f.rule),
      ['distribution-call-refused'],
    );
  });

  it('an execution error of a row (a NULL distribution value) comes after the read-only check', () => {
    const r = analyze('BEGIN READ ONLY;\nINSERT INTO events (tenant_id, event_type) VALUES (NULL, 1);', undefined);
    assert.equal(r.findings.find((f) => f.severity === 'error')?.rule, 'read-only-transaction');
  });
});

describe('read-only transactions and failed blocks in the workspace schema (the DDL of the other files)', () => {
  it('leaves out what a read-only transaction or an aborted block did not create', () => {
    const model = new SchemaModel();
    applyDocumentDdl(model, {
      source: 'other.sql',
      text: [
        'BEGIN READ ONLY;',
        'CREATE TABLE ro_table (a int);',
        'ROLLBACK;',
        'SET default_transaction_read_only = on;',
        'CREATE TABLE ro_default (a int);',
        'SET default_transaction_read_only = off;',
        'CREATE TABLE kept (a int);',
        'BEGIN;',
        'CREATE TABLE in_failed_block (a int);',
        "SELECT create_distributed_table('kept', 'no_such_column');",
        'CREATE TABLE after_failure (a int);',
        'COMMIT;',
        'CREATE TABLE later (a int);',
      ].join('\n'),
    });
    assert.deepEqual(
      ['ro_table', 'ro_default', 'kept', 'in_failed_block', 'after_failure', 'later'].map((n) => [n, !!model.get('public', n)]),
      [
        ['ro_table', false],
        ['ro_default', false],
        ['kept', true],
        ['in_failed_block', false],
        ['after_failure', false],
        ['later', true],
      ],
    );
  });
});
