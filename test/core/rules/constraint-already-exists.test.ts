import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with the message
// the finding quotes; the valid ones run.
const T = 'CREATE TABLE ca (id int PRIMARY KEY, n int UNIQUE, CONSTRAINT ca_n_positive CHECK (n > 0))';
const CHECK = `${T};\nALTER TABLE ca ADD CONSTRAINT ca_n_positive CHECK (n >= 0)`;
const KEY_NAME = `${T};\nALTER TABLE ca ADD CONSTRAINT ca_n_key CHECK (n < 100)`;
const FK = `${T};\nALTER TABLE ca ADD CONSTRAINT ca_pkey FOREIGN KEY (n) REFERENCES ca (id)`;

export const cases: RuleTable = {
  valid: [
    { sql: `${T};\nALTER TABLE ca ADD CONSTRAINT ca_n_small CHECK (n < 100)` },
    { sql: `${T};\nALTER TABLE ca DROP CONSTRAINT ca_n_positive, ADD CONSTRAINT ca_n_positive CHECK (n >= 0)` },
    { sql: `${T};\nALTER TABLE ca DROP CONSTRAINT ca_n_positive;\nALTER TABLE ca ADD CONSTRAINT ca_n_positive CHECK (n >= 0)` },
    { sql: `${T};\nALTER TABLE ca RENAME CONSTRAINT ca_n_positive TO ca_n_old;\nALTER TABLE ca ADD CONSTRAINT ca_n_positive CHECK (n >= 0)` },
    // a name an ALTER TABLE added: PostgreSQL may have refused that one for the rows (here it does), nothing is said
    { sql: `${T};\nINSERT INTO ca VALUES (1, 5);\nALTER TABLE ca ADD CONSTRAINT ca_n_big CHECK (n > 10);\nALTER TABLE ca ADD CONSTRAINT ca_n_big CHECK (n > 1)` , notOnPostgres: 'PostgreSQL refuses the first ADD CONSTRAINT (the row breaks it): the model cannot know' },
  ],
  invalid: [
    { sql: CHECK, findings: [at(CHECK, 'ca ADD')] },
    { sql: KEY_NAME, findings: [at(KEY_NAME, 'ca ADD')] },
    { sql: FK, findings: [at(FK, 'ca ADD')] },
  ],
};

ruleTests('constraint-already-exists', cases);

describe('constraint-already-exists: the message', () => {
  before(async () => {
    await loadParser();
  });
  it("gives PostgreSQL's message (checked on PostgreSQL 15)", () => {
    const a = analyzeDocument(CHECK, new SchemaModel(), { source: 'x.sql' });
    assert.deepEqual(a.findings.map((f) => f.citus?.message), ['constraint "ca_n_positive" for relation "ca" already exists']);
  });
});
