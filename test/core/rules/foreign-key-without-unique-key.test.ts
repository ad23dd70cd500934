import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with the message
// the finding quotes; the valid ones run.
const ORDERS = 'CREATE TABLE fo (id bigint, tenant_id int, code text UNIQUE, PRIMARY KEY (tenant_id, id))';
const OLD_KEY = `${ORDERS};\nCREATE TABLE fi (tenant_id int, order_id bigint);\nALTER TABLE fi ADD FOREIGN KEY (order_id) REFERENCES fo (id)`;
const INLINE = `${ORDERS};\nCREATE TABLE fi (tenant_id int, order_id bigint REFERENCES fo (id))`;
const NO_PRIMARY = 'CREATE TABLE fp (plan text, price int);\nCREATE TABLE fa (plan text REFERENCES fp)';
const COUNT = `${ORDERS};\nCREATE TABLE fi (tenant_id int, order_id bigint);\nALTER TABLE fi ADD FOREIGN KEY (order_id) REFERENCES fo (tenant_id, id)`;
const DEFERRED = 'CREATE TABLE fd (id int UNIQUE DEFERRABLE);\nCREATE TABLE fr (x int REFERENCES fd (id))';
const DROPPED = `${ORDERS};\nALTER TABLE fo DROP CONSTRAINT fo_code_key;\nCREATE TABLE fi (code text REFERENCES fo (code))`;

export const cases: RuleTable = {
  valid: [
    // the key, in any order; the primary key when no columns are named; a unique index made by CREATE UNIQUE INDEX
    { sql: `${ORDERS};\nCREATE TABLE fi (tenant_id int, order_id bigint, FOREIGN KEY (tenant_id, order_id) REFERENCES fo (tenant_id, id))` },
    { sql: `${ORDERS};\nCREATE TABLE fi (tenant_id int, order_id bigint, FOREIGN KEY (order_id, tenant_id) REFERENCES fo (id, tenant_id))` },
    { sql: `${ORDERS};\nCREATE TABLE fi (tenant_id int, order_id bigint);\nALTER TABLE fi ADD FOREIGN KEY (tenant_id, order_id) REFERENCES fo` },
    { sql: `${ORDERS};\nCREATE TABLE fi (code text REFERENCES fo (code))` },
    { sql: 'CREATE TABLE fp (plan text, price int);\nCREATE UNIQUE INDEX fp_plan ON fp (plan);\nCREATE TABLE fa (plan text REFERENCES fp (plan))' },
    // a self-reference to the table's own key
    { sql: 'CREATE TABLE ft (id int PRIMARY KEY, parent int REFERENCES ft)' },
    // a key a DO block may have added (the idempotent migration's IF NOT EXISTS .. THEN ALTER TABLE): not said
    { sql: "CREATE TABLE fp (plan text);\nDO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fp_pkey') THEN ALTER TABLE fp ADD PRIMARY KEY (plan); END IF; END $$;\nCREATE TABLE fa (plan text REFERENCES fp)" },
  ],
  invalid: [
    { sql: OLD_KEY, findings: [at(OLD_KEY, 'fi ADD')] },
    { sql: INLINE, findings: [at(INLINE, 'fi (')] },
    { sql: NO_PRIMARY, findings: [at(NO_PRIMARY, 'fa (')] },
    { sql: COUNT, findings: [at(COUNT, 'fi ADD')] },
    { sql: DEFERRED, findings: [at(DEFERRED, 'fr (')] },
    { sql: DROPPED, findings: [at(DROPPED, 'fi (')] },
  ],
};

ruleTests('foreign-key-without-unique-key', cases);

describe('foreign-key-without-unique-key: messages, and the table left out', () => {
  before(async () => {
    await loadParser();
  });
  const first = (sql: string): string | undefined => analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' }).findings.find((f) => f.rule === 'foreign-key-without-unique-key')?.citus?.message;
  it("gives PostgreSQL's messages (checked on PostgreSQL 15 and Citus 13.2.2)", () => {
    assert.equal(first(OLD_KEY), 'there is no unique constraint matching given keys for referenced table "fo"');
    assert.equal(first(NO_PRIMARY), 'there is no primary key for referenced table "fp"');
    assert.equal(first(COUNT), 'number of referencing and referenced columns for foreign key disagree');
    assert.equal(first(DEFERRED), 'cannot use a deferrable unique constraint for referenced table "fd"');
  });
  it('creates no table when CREATE TABLE has such a key', () => {
    const a = analyzeDocument(`${INLINE};\nINSERT INTO fi VALUES (1, 1);`, new SchemaModel(), { source: 'x.sql' });
    assert.equal(a.model.get('public', 'fi'), undefined);
    assert.ok(a.findings.some((f) => f.rule === 'unknown-table'), JSON.stringify(a.findings.map((f) => f.rule)));
  });
});
