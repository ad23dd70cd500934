import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with the message
// the finding quotes; the valid ones run.
const TABLE = 'CREATE TABLE mp (id int PRIMARY KEY, tenant_id int, v int)';
const ADDED = `${TABLE};\nALTER TABLE mp ADD PRIMARY KEY (tenant_id, id)`;
const TWO = 'CREATE TABLE mp (id int PRIMARY KEY, tenant_id int, PRIMARY KEY (tenant_id, id))';
const RENAMED = `${TABLE};\nALTER TABLE mp RENAME CONSTRAINT mp_pkey TO mp_old;\nALTER TABLE mp ADD CONSTRAINT mp_new PRIMARY KEY (tenant_id, id)`;
const DROPPED_OTHER = `${TABLE};\nCREATE UNIQUE INDEX mp_v ON mp (v);\nDROP INDEX mp_v;\nALTER TABLE mp ADD PRIMARY KEY (tenant_id, id)`;
const PARTITION = "CREATE TABLE mp_ev (tenant_id int, day date, PRIMARY KEY (tenant_id, day)) PARTITION BY RANGE (day);\nCREATE TABLE mp_ev_1 PARTITION OF mp_ev FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');\nALTER TABLE mp_ev_1 ADD PRIMARY KEY (day)";
const ALTERED = 'CREATE TABLE mp (id int, tenant_id int);\nALTER TABLE mp ADD PRIMARY KEY (id);\nALTER TABLE mp ADD PRIMARY KEY (tenant_id, id)';

export const cases: RuleTable = {
  valid: [
    { sql: `${TABLE};\nALTER TABLE mp DROP CONSTRAINT mp_pkey;\nALTER TABLE mp ADD PRIMARY KEY (tenant_id, id)` },
    { sql: `${TABLE};\nALTER TABLE mp DROP CONSTRAINT mp_pkey, ADD PRIMARY KEY (tenant_id, id)` },
    { sql: `${TABLE};\nALTER TABLE mp DROP COLUMN id;\nALTER TABLE mp ADD PRIMARY KEY (tenant_id)` },
    { sql: `${TABLE};\nALTER TABLE mp RENAME CONSTRAINT mp_pkey TO mp_old;\nALTER TABLE mp DROP CONSTRAINT mp_old;\nALTER TABLE mp ADD PRIMARY KEY (tenant_id, id)` },
    { sql: 'CREATE TABLE mp (id int UNIQUE, tenant_id int);\nALTER TABLE mp ADD PRIMARY KEY (tenant_id, id)' },
    // (a primary key added after rows were written may not have been made: the model says nothing of a second)
    { sql: "CREATE TABLE mp (id int, tenant_id int);\nINSERT INTO mp VALUES (1, 1);\nALTER TABLE mp ADD PRIMARY KEY (id);\nALTER TABLE mp ADD PRIMARY KEY (tenant_id, id)", notOnPostgres: 'PostgreSQL refuses it (the first key was made); the model says nothing' },
  ],
  invalid: [
    { sql: ADDED, findings: [at(ADDED, 'mp ADD')] },
    { sql: TWO, findings: [at(TWO, 'PRIMARY KEY (tenant_id')] },
    { sql: RENAMED, findings: [at(RENAMED, 'mp ADD')] },
    { sql: DROPPED_OTHER, findings: [at(DROPPED_OTHER, 'mp ADD')] },
    { sql: PARTITION, findings: [at(PARTITION, 'mp_ev_1 ADD')] },
    { sql: ALTERED, findings: [at(ALTERED, 'mp ADD PRIMARY KEY (tenant_id')] },
  ],
};

ruleTests('multiple-primary-keys', cases);

describe('multiple-primary-keys: the message, and the key the table keeps', () => {
  before(async () => {
    await loadParser();
  });
  it("gives PostgreSQL's message (checked on PostgreSQL 15) and keeps the first key", () => {
    const a = analyzeDocument(`${ADDED};\nINSERT INTO mp VALUES (1, 1, 1) ON CONFLICT (tenant_id, id) DO NOTHING;`, new SchemaModel(), { source: 'x.sql' });
    const f = a.findings.find((x) => x.rule === 'multiple-primary-keys');
    assert.equal(f?.citus?.message, 'multiple primary keys for table "mp" are not allowed');
    // the table keeps (id): ON CONFLICT (tenant_id, id) infers nothing
    assert.ok(a.findings.some((x) => x.rule === 'on-conflict-without-matching-key'), JSON.stringify(a.findings.map((x) => x.rule)));
  });
});
