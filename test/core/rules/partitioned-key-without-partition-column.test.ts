import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { applyDocumentDdl } from '../../../src/core/workspace';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with
// `unique constraint on partitioned table must include all partitioning columns`; the valid ones run.
const INLINE = 'CREATE TABLE pk_ev (tenant_id int, event_id bigint, created_at timestamptz NOT NULL, PRIMARY KEY (tenant_id, event_id)) PARTITION BY RANGE (created_at)';
const COLUMN_PK = 'CREATE TABLE pk_ev (event_id bigint PRIMARY KEY, day date) PARTITION BY LIST (day)';
const ALTER = 'CREATE TABLE pk_ev (tenant_id int, event_id bigint, day date) PARTITION BY RANGE (day);\nALTER TABLE pk_ev ADD PRIMARY KEY (tenant_id, event_id)';
const INDEX = 'CREATE TABLE pk_ev (tenant_id int, event_id bigint, day date) PARTITION BY RANGE (day);\nCREATE UNIQUE INDEX pk_ev_key ON pk_ev (tenant_id, event_id)';
const INCLUDE = 'CREATE TABLE pk_ev (tenant_id int, day date, UNIQUE (tenant_id) INCLUDE (day)) PARTITION BY RANGE (day)';
const TWO_COLUMNS = 'CREATE TABLE pk_ev (a int, b int, c int, UNIQUE (a, b)) PARTITION BY RANGE (b, c)';

export const cases: RuleTable = {
  valid: [
    { sql: 'CREATE TABLE pk_ev (tenant_id int, event_id bigint, created_at timestamptz NOT NULL, PRIMARY KEY (tenant_id, event_id, created_at)) PARTITION BY RANGE (created_at)' },
    { sql: 'CREATE TABLE pk_ev (tenant_id int, day date) PARTITION BY RANGE (day);\nALTER TABLE pk_ev ADD PRIMARY KEY (day, tenant_id)' },
    { sql: 'CREATE TABLE pk_ev (tenant_id int, day date) PARTITION BY RANGE (day);\nCREATE UNIQUE INDEX ON pk_ev (tenant_id, day)' },
    // a plain table, and a partition's own key
    { sql: 'CREATE TABLE pk_plain (tenant_id int PRIMARY KEY, day date)' },
    { sql: "CREATE TABLE pk_ev (tenant_id int, day date) PARTITION BY RANGE (day);\nCREATE TABLE pk_ev_1 PARTITION OF pk_ev FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');\nALTER TABLE pk_ev_1 ADD PRIMARY KEY (tenant_id)" },
    // (a partition key with an expression: PostgreSQL refuses the key with another message, the model says nothing)
    { sql: 'CREATE TABLE pk_ex (tenant_id int PRIMARY KEY, at timestamptz) PARTITION BY RANGE ((at::date))', notOnPostgres: 'refused with another message, not reported' },
  ],
  invalid: [
    { sql: INLINE, findings: [at(INLINE, 'pk_ev')] },
    { sql: COLUMN_PK, findings: [at(COLUMN_PK, 'pk_ev')] },
    { sql: ALTER, findings: [at(ALTER, 'pk_ev', 2)] },
    { sql: INDEX, findings: [at(INDEX, 'pk_ev (', 2)] },
    { sql: INCLUDE, findings: [at(INCLUDE, 'pk_ev')] },
    { sql: TWO_COLUMNS, findings: [at(TWO_COLUMNS, 'pk_ev')] },
  ],
};

ruleTests('partitioned-key-without-partition-column', cases);

describe('partitioned-key-without-partition-column: what follows sees no table', () => {
  before(async () => {
    await loadParser();
  });
  it("gives PostgreSQL's message and detail, and leaves the table out", () => {
    const sql = `${INLINE};\nSELECT create_distributed_table('pk_ev', 'tenant_id');`;
    const a = analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' });
    const f = a.findings.find((x) => x.rule === 'partitioned-key-without-partition-column');
    assert.equal(f?.citus?.message, 'unique constraint on partitioned table must include all partitioning columns');
    assert.equal(f?.citus?.detail, 'PRIMARY KEY constraint on table "pk_ev" lacks column "created_at" which is part of the partition key.');
    // (the model a workspace builds from the file's DDL: no table, and a valid key's table is there)
    const model = new SchemaModel();
    applyDocumentDdl(model, { source: 'x.sql', text: `${sql}\nCREATE TABLE pk_ok (a int, day date, PRIMARY KEY (a, day)) PARTITION BY RANGE (day);` });
    assert.equal(model.get('public', 'pk_ev'), undefined);
    assert.deepEqual(model.get('public', 'pk_ok')?.primaryKey, ['a', 'day']);
    // the UNIQUE key of two: the first partition key column it lacks
    const two = analyzeDocument(TWO_COLUMNS, new SchemaModel(), { source: 'x.sql' }).findings[0];
    assert.equal(two?.citus?.detail, 'UNIQUE constraint on table "pk_ev" lacks column "c" which is part of the partition key.');
  });
});
