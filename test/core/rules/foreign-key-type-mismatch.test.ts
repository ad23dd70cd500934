import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { fkTypesCompatible } from '../../../src/core/schema/foreignKeys';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with the message
// the finding quotes; the valid ones run.
const P = 'CREATE TABLE accounts (id bigint PRIMARY KEY, code text UNIQUE, seen timestamptz UNIQUE)';
const UUID = `${P};\nCREATE TABLE orders (id bigint, account_id uuid REFERENCES accounts (id))`;
const NUMERIC = `${P};\nCREATE TABLE orders (id bigint, account_id numeric, FOREIGN KEY (account_id) REFERENCES accounts)`;
const ALTER = `${P};\nCREATE TABLE orders (id bigint, account_code int);\nALTER TABLE orders ADD CONSTRAINT orders_account FOREIGN KEY (account_code) REFERENCES accounts (code)`;
const UNNAMED = `${P};\nCREATE TABLE orders (id bigint, account_code int);\nALTER TABLE orders ADD FOREIGN KEY (account_code) REFERENCES accounts (code)`;

export const cases: RuleTable = {
  valid: [
    // one operator family (integer_ops, datetime_ops), or an implicit conversion to the key's type
    { sql: `${P};\nCREATE TABLE orders (id bigint, a int REFERENCES accounts (id), b smallint REFERENCES accounts (id), c date REFERENCES accounts (seen), d varchar(20) REFERENCES accounts (code))` },
    { sql: 'CREATE TABLE prices (amount numeric PRIMARY KEY);\nCREATE TABLE lines (amount int REFERENCES prices)' },
    // a type the model does not know: nothing is said
    { sql: `CREATE DOMAIN account_id AS bigint;\n${P};\nCREATE TABLE orders (id bigint, account account_id REFERENCES accounts (id))` },
  ],
  invalid: [
    { sql: UUID, findings: [at(UUID, 'orders (')] },
    { sql: NUMERIC, findings: [at(NUMERIC, 'orders (')] },
    { sql: ALTER, findings: [at(ALTER, 'orders ADD')] },
    { sql: UNNAMED, findings: [at(UNNAMED, 'orders ADD')] },
  ],
};

ruleTests('foreign-key-type-mismatch', cases);

describe('foreign-key-type-mismatch: messages, types, and what follows', () => {
  before(async () => {
    await loadParser();
  });
  const citus = (sql: string) => analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' }).findings.filter((f) => f.rule === 'foreign-key-type-mismatch').map((f) => [f.citus?.message, f.citus?.detail]);
  it("gives PostgreSQL's messages, with the name it gives the constraint (checked on PostgreSQL 15 and Citus 13.2.2)", () => {
    assert.deepEqual(citus(UUID), [['foreign key constraint "orders_account_id_fkey" cannot be implemented', 'Key columns "account_id" and "id" are of incompatible types: uuid and bigint.']]);
    assert.deepEqual(citus(NUMERIC), [['foreign key constraint "orders_account_id_fkey" cannot be implemented', 'Key columns "account_id" and "id" are of incompatible types: numeric and bigint.']]);
    assert.deepEqual(citus(ALTER), [['foreign key constraint "orders_account" cannot be implemented', 'Key columns "account_code" and "code" are of incompatible types: integer and text.']]);
    assert.deepEqual(citus(UNNAMED), [['foreign key constraint "orders_account_code_fkey" cannot be implemented', 'Key columns "account_code" and "code" are of incompatible types: integer and text.']]);
  });
  it('compares types as the key index does: operator families, then implicit conversions', () => {
    assert.equal(fkTypesCompatible('bigint', 'integer'), true);
    assert.equal(fkTypesCompatible('timestamp without time zone', 'timestamp with time zone'), true);
    assert.equal(fkTypesCompatible('character varying', 'text'), true);
    assert.equal(fkTypesCompatible('text', 'character varying'), true);
    assert.equal(fkTypesCompatible('integer', 'numeric'), true);
    assert.equal(fkTypesCompatible('numeric', 'integer'), false);
    assert.equal(fkTypesCompatible('real', 'integer'), false);
    assert.equal(fkTypesCompatible('my_domain', 'integer'), undefined);
  });
  it('creates no table: a later statement on it says nothing', () => {
    const a = analyzeDocument(`${UUID};\nALTER TABLE orders ALTER COLUMN nope SET NOT NULL`, new SchemaModel(), { source: 'x.sql' });
    assert.deepEqual(a.findings.map((f) => f.rule), ['foreign-key-type-mismatch']);
  });
});
