import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2
// (test/fixtures/probes/sql/schema-changes-on-citus.sql) with the message the finding quotes; the valid ones run.
const T = 'CREATE TABLE dt (a int, b int, c int);\nCREATE VIEW dv AS SELECT a, b FROM dt;\nCREATE MATERIALIZED VIEW dmv AS SELECT x.b FROM dt x;\n';
const DROP_A = `${T}ALTER TABLE dt DROP COLUMN a`;
const DROP_B = `${T}ALTER TABLE dt DROP COLUMN b`;
const TYPE = `${T}ALTER TABLE dt ALTER COLUMN a TYPE bigint`;
const DROP_TABLE = `${T}DROP TABLE dt`;
const DROP_VIEW = `${T}CREATE VIEW dv2 AS SELECT * FROM dv;\nDROP VIEW dv`;

export const cases: RuleTable = {
  valid: [
    { sql: `${T}ALTER TABLE dt DROP COLUMN c` },
    { sql: `${T}ALTER TABLE dt ALTER COLUMN c TYPE bigint` },
    { sql: `${T}ALTER TABLE dt RENAME COLUMN a TO a2` },
    { sql: `${T}ALTER TABLE dt DROP COLUMN b CASCADE;\nALTER TABLE dt DROP COLUMN a` },
    // CASCADE drops the views, and a table created again under the name has none
    { sql: `${T}DROP TABLE dt CASCADE;\nCREATE TABLE dt (a int);\nDROP TABLE dt` },
    { sql: `${T}DROP VIEW dv;\nDROP MATERIALIZED VIEW dmv;\nDROP TABLE dt` },
    // a column of the same name of another table the view joins: not this one's (qualified)
    { sql: 'CREATE TABLE p (id int, n int);\nCREATE TABLE q (id int, m int);\nCREATE VIEW pq AS SELECT q.id, p.n FROM p JOIN q ON q.id = p.n;\nALTER TABLE p DROP COLUMN id' },
  ],
  invalid: [
    { sql: DROP_A, findings: [at(DROP_A, 'dt DROP')] },
    { sql: DROP_B, findings: [at(DROP_B, 'dt DROP')] },
    { sql: TYPE, findings: [at(TYPE, 'dt ALTER')] },
    { sql: DROP_TABLE, findings: [at(DROP_TABLE, 'DROP TABLE')] },
    { sql: DROP_VIEW, findings: [at(DROP_VIEW, 'DROP VIEW')] },
  ],
};

ruleTests('dependent-objects', cases);

describe('dependent-objects: the messages', () => {
  before(async () => {
    await loadParser();
  });
  it("gives PostgreSQL's messages, every dependent view in the DETAIL (checked on PostgreSQL 15 and Citus 13.2.2)", () => {
    const of = (sql: string) => analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' }).findings.filter((f) => f.rule === 'dependent-objects').map((f) => [f.citus?.message, f.citus?.detail]);
    assert.deepEqual(of(DROP_B), [['cannot drop column b of table dt because other objects depend on it', 'view dv depends on column b of table dt\nmaterialized view dmv depends on column b of table dt']]);
    assert.deepEqual(of(TYPE), [['cannot alter type of a column used by a view or rule', 'rule _RETURN on view dv depends on column "a"']]);
    assert.deepEqual(of(DROP_TABLE), [['cannot drop table dt because other objects depend on it', 'view dv depends on table dt\nmaterialized view dmv depends on table dt']]);
    assert.deepEqual(of(DROP_VIEW), [['cannot drop view dv because other objects depend on it', 'view dv2 depends on view dv']]);
  });
});
