import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with the message
// the finding quotes; the valid ones run.
const TABLES = 'CREATE TABLE ko (id bigint PRIMARY KEY, tenant_id int);\nCREATE TABLE ki (id bigint, order_id bigint REFERENCES ko (id), tenant_id int)';
const MIGRATION = `${TABLES};\nALTER TABLE ko DROP CONSTRAINT ko_pkey, ADD PRIMARY KEY (tenant_id, id)`;
const CONSTRAINT_INDEX = 'CREATE TABLE kc (id int PRIMARY KEY, v int UNIQUE);\nDROP INDEX kc_v_key';
const INDEX = 'CREATE TABLE kv (id int);\nCREATE UNIQUE INDEX kv_idx ON kv (id);\nCREATE TABLE kr (x int, CONSTRAINT kr_fk FOREIGN KEY (x) REFERENCES kv (id));\nDROP INDEX kv_idx';

export const cases: RuleTable = {
  valid: [
    // the foreign key first, then the key; or CASCADE, which drops the foreign key too
    { sql: `${TABLES};\nALTER TABLE ki DROP CONSTRAINT ki_order_id_fkey;\nALTER TABLE ko DROP CONSTRAINT ko_pkey, ADD PRIMARY KEY (tenant_id, id)` },
    { sql: `${TABLES};\nALTER TABLE ko DROP CONSTRAINT ko_pkey CASCADE, ADD PRIMARY KEY (tenant_id, id)` },
    { sql: `${INDEX.replace('DROP INDEX kv_idx', 'DROP INDEX kv_idx CASCADE')}` },
    // (two keys of the same columns: PostgreSQL's foreign key uses the first made, which the model does not follow)
    { sql: 'CREATE TABLE ku (id int, CONSTRAINT ku_id UNIQUE (id));\nCREATE UNIQUE INDEX ku_idx ON ku (id);\nCREATE TABLE kur (x int REFERENCES ku (id));\nDROP INDEX ku_idx' },
  ],
  invalid: [
    { sql: MIGRATION, findings: [at(MIGRATION, 'ko DROP')] },
    { sql: INDEX, findings: [{ line: 4, column: 1 }] },
    { sql: CONSTRAINT_INDEX, findings: [{ line: 2, column: 1 }] },
    { sql: `${CONSTRAINT_INDEX} CASCADE`, findings: [{ line: 2, column: 1 }] },
  ],
};

ruleTests('key-drop-refused', cases);

describe('key-drop-refused: messages, and the key that stays', () => {
  it('refuses DROP INDEX of a key constraint\'s index, with PostgreSQL\'s hint', () => {
    const f = analyzeDocument(CONSTRAINT_INDEX, new SchemaModel(), { source: 'x.sql' }).findings.find((x) => x.rule === 'key-drop-refused');
    assert.deepEqual([f?.citus?.message, f?.citus?.hint], ['cannot drop index kc_v_key because constraint kc_v_key on table kc requires it', 'You can drop constraint kc_v_key on table kc instead.']);
  });

  before(async () => {
    await loadParser();
  });
  it("gives PostgreSQL's message, detail and hint (checked on PostgreSQL 15 and Citus 13.2.2)", () => {
    const a = analyzeDocument(MIGRATION, new SchemaModel(), { source: 'x.sql' });
    const f = a.findings.find((x) => x.rule === 'key-drop-refused');
    assert.deepEqual([f?.citus?.message, f?.citus?.detail, f?.citus?.hint], [
      'cannot drop constraint ko_pkey on table ko because other objects depend on it',
      'constraint ki_order_id_fkey on table ki depends on index ko_pkey',
      'Use DROP ... CASCADE to drop the dependent objects too.',
    ]);
    // the statement did nothing: the old key is still the primary key
    assert.deepEqual(a.model.get('public', 'ko')?.primaryKey, ['id']);
  });
});
