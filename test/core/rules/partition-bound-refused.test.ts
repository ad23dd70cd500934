import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { applyDocumentDdl } from '../../../src/core/workspace';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with the message
// the finding quotes; the valid ones run.
const MONTHS = "CREATE TABLE pb_ev (tenant_id int, day date) PARTITION BY RANGE (day);\nCREATE TABLE pb_ev_01 PARTITION OF pb_ev FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');";
// partitions of a distributed table: Citus distributes each as its parent, and PostgreSQL checks the bounds first
// (checked on Citus 13.2.2, probe rollup-setup-mistakes-2.sql)
const DISTRIBUTED = "CREATE TABLE pb_d (tenant_id int, day date) PARTITION BY RANGE (day);\nSELECT create_distributed_table('pb_d', 'tenant_id');\nCREATE TABLE pb_d_24 PARTITION OF pb_d FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nCREATE TABLE pb_d_25 PARTITION OF pb_d FOR VALUES FROM ('2024-06-01') TO ('2026-01-01');";
const COPIED = `${MONTHS}\nCREATE TABLE pb_ev_02 PARTITION OF pb_ev FOR VALUES FROM ('2026-01-01') TO ('2026-03-01')`;
const REACHES = `${MONTHS}\nCREATE TABLE pb_ev_12 PARTITION OF pb_ev FOR VALUES FROM ('2025-12-01') TO ('2026-01-02')`;
const EMPTY = `${MONTHS}\nCREATE TABLE pb_ev_03 PARTITION OF pb_ev FOR VALUES FROM ('2026-04-01') TO ('2026-03-01')`;
const DEFAULTS = `${MONTHS}\nCREATE TABLE pb_ev_d PARTITION OF pb_ev DEFAULT;\nCREATE TABLE pb_ev_d2 PARTITION OF pb_ev DEFAULT`;
const ATTACH = `${MONTHS}\nCREATE TABLE pb_ev_x (tenant_id int, day date);\nALTER TABLE pb_ev ATTACH PARTITION pb_ev_x FOR VALUES FROM ('2026-01-15') TO ('2026-03-01')`;
const INTEGERS = 'CREATE TABLE pb_i (a int) PARTITION BY RANGE (a);\nCREATE TABLE pb_i1 PARTITION OF pb_i FOR VALUES FROM (1) TO (10);\nCREATE TABLE pb_i2 PARTITION OF pb_i FOR VALUES FROM (-5) TO (2)';
const STAMPS = "CREATE TABLE pb_t (a timestamp) PARTITION BY RANGE (a);\nCREATE TABLE pb_t1 PARTITION OF pb_t FOR VALUES FROM ('2026-01-01') TO ('2026-01-01 10:00');\nCREATE TABLE pb_t2 PARTITION OF pb_t FOR VALUES FROM ('2026-01-01 09:59:59.5') TO ('2026-01-02')";
const LISTS = 'CREATE TABLE pb_l (a int) PARTITION BY LIST (a);\nCREATE TABLE pb_l1 PARTITION OF pb_l FOR VALUES IN (1, 2);\nCREATE TABLE pb_l2 PARTITION OF pb_l FOR VALUES IN (3, 2, 1)';
const FROM_MIN = `${MONTHS}\nCREATE TABLE pb_ev_old PARTITION OF pb_ev FOR VALUES FROM (MINVALUE) TO ('2026-01-02')`;
const TO_MAX = `${MONTHS}\nCREATE TABLE pb_ev_new PARTITION OF pb_ev FOR VALUES FROM ('2025-06-01') TO (MAXVALUE)`;
const MAX_MAX = `${MONTHS}\nCREATE TABLE pb_ev_none PARTITION OF pb_ev FOR VALUES FROM (MAXVALUE) TO (MAXVALUE)`;
const TEXTS = "CREATE TABLE pb_s (s text) PARTITION BY LIST (s);\nCREATE TABLE pb_s1 PARTITION OF pb_s FOR VALUES IN ('a');\nCREATE TABLE pb_s2 PARTITION OF pb_s FOR VALUES IN ('b', 'a')";

export const cases: RuleTable = {
  valid: [
    { sql: `${MONTHS}\nCREATE TABLE pb_ev_02 PARTITION OF pb_ev FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')` },
    { sql: `${MONTHS}\nCREATE TABLE pb_ev_12 PARTITION OF pb_ev FOR VALUES FROM ('2025-12-01') TO ('2026-01-01')` },
    { sql: `${MONTHS}\nCREATE TABLE pb_ev_d PARTITION OF pb_ev DEFAULT;\nCREATE TABLE pb_ev_02 PARTITION OF pb_ev FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')` },
    { sql: `${MONTHS}\nCREATE TABLE pb_ev_x (tenant_id int, day date);\nALTER TABLE pb_ev ATTACH PARTITION pb_ev_x FOR VALUES FROM ('2026-03-01') TO ('2026-04-01')` },
    { sql: `${MONTHS}\nDROP TABLE pb_ev_01;\nCREATE TABLE pb_ev_01b PARTITION OF pb_ev FOR VALUES FROM ('2026-01-01') TO ('2026-03-01')` },
    { sql: 'CREATE TABLE pb_l (a int) PARTITION BY LIST (a);\nCREATE TABLE pb_l1 PARTITION OF pb_l FOR VALUES IN (1, 2);\nCREATE TABLE pb_l2 PARTITION OF pb_l FOR VALUES IN (3, 4)' },
    // MINVALUE and MAXVALUE around the months
    { sql: `${MONTHS}\nCREATE TABLE pb_ev_old PARTITION OF pb_ev FOR VALUES FROM (MINVALUE) TO ('2026-01-01');\nCREATE TABLE pb_ev_new PARTITION OF pb_ev FOR VALUES FROM ('2026-02-01') TO (MAXVALUE)` },
    // a DEFAULT partition may hold rows of the new bound (check_default_partition_contents): a later partition of that
    // name is not held against the next statement
    { sql: `${MONTHS}\nCREATE TABLE pb_ev_d PARTITION OF pb_ev DEFAULT;\nINSERT INTO pb_ev VALUES (1, '2026-05-05');\nCREATE TABLE pb_ev_05 PARTITION OF pb_ev FOR VALUES FROM ('2026-05-01') TO ('2026-06-01');\nCREATE TABLE pb_ev_05 PARTITION OF pb_ev FOR VALUES FROM ('2026-05-01') TO ('2026-05-15')`, notOnPostgres: 'PostgreSQL refuses the first for the row in the default partition, and may take the second; the model cannot know' },
    // (a bound the model does not order: a timestamp with time zone at a given hour; PostgreSQL decides)
    { sql: "CREATE TABLE pb_z (a timestamptz) PARTITION BY RANGE (a);\nCREATE TABLE pb_z1 PARTITION OF pb_z FOR VALUES FROM ('2026-01-01') TO ('2026-01-02');\nCREATE TABLE pb_z2 PARTITION OF pb_z FOR VALUES FROM ('2026-01-01 12:00') TO ('2026-01-03')", notOnPostgres: 'PostgreSQL refuses it; the model says nothing' },
  ],
  invalid: [
    { sql: DISTRIBUTED, findings: [at(DISTRIBUTED, 'pb_d_25')], notOnPostgres: 'a Citus call (the probe file checks it on Citus 13.2.2)' },
    { sql: FROM_MIN, findings: [at(FROM_MIN, 'pb_ev_old')] },
    { sql: TO_MAX, findings: [at(TO_MAX, 'pb_ev_new')] },
    { sql: MAX_MAX, findings: [at(MAX_MAX, 'pb_ev_none')] },
    { sql: COPIED, findings: [at(COPIED, 'pb_ev_02')] },
    { sql: REACHES, findings: [at(REACHES, 'pb_ev_12')] },
    { sql: EMPTY, findings: [at(EMPTY, 'pb_ev_03')] },
    { sql: DEFAULTS, findings: [at(DEFAULTS, 'pb_ev_d2')] },
    { sql: ATTACH, findings: [at(ATTACH, 'pb_ev ATTACH')] },
    { sql: INTEGERS, findings: [at(INTEGERS, 'pb_i2')] },
    { sql: STAMPS, findings: [at(STAMPS, 'pb_t2')] },
    { sql: LISTS, findings: [at(LISTS, 'pb_l2')] },
    { sql: TEXTS, findings: [at(TEXTS, 'pb_s2')] },
  ],
};

ruleTests('partition-bound-refused', cases);

describe('partition-bound-refused: messages, and the partition left out', () => {
  before(async () => {
    await loadParser();
  });
  const first = (sql: string, model = new SchemaModel()): string | undefined => {
    const f = analyzeDocument(sql, model, { source: 'x.sql' }).findings.find((x) => x.rule === 'partition-bound-refused');
    return f?.citus ? [f.citus.message, f.citus.detail].filter(Boolean).join(' / ') : undefined;
  };
  it("gives PostgreSQL's messages (checked on PostgreSQL 15)", () => {
    assert.equal(first(COPIED), 'partition "pb_ev_02" would overlap partition "pb_ev_01"');
    assert.equal(first(EMPTY), `empty range bound specified for partition "pb_ev_03" / Specified lower bound ('2026-04-01') is greater than or equal to upper bound ('2026-03-01').`);
    assert.equal(first(DEFAULTS), 'partition "pb_ev_d2" conflicts with existing default partition "pb_ev_d"');
    assert.equal(first('CREATE TABLE pb_i (a int) PARTITION BY RANGE (a);\nCREATE TABLE pb_i1 PARTITION OF pb_i FOR VALUES FROM (10) TO (1)'), 'empty range bound specified for partition "pb_i1" / Specified lower bound (10) is greater than or equal to upper bound (1).');
  });
  it('leaves the refused partition out of the model', () => {
    // (the model a workspace builds from the file's DDL)
    const model = new SchemaModel();
    applyDocumentDdl(model, { source: 'x.sql', text: `${COPIED};\nCREATE TABLE pb_ev_03 PARTITION OF pb_ev FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');` });
    assert.equal(model.get('public', 'pb_ev_02'), undefined);
    assert.deepEqual(model.partitionsOf(model.get('public', 'pb_ev')!).map((p) => p.name).sort(), ['pb_ev_01', 'pb_ev_03']);
  });
});
