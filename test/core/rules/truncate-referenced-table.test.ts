import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 (a reference table
// of tenants that a distributed table references, run by hand) with the message the finding quotes; the valid ones run.
const T = 'CREATE TABLE tenants (id int PRIMARY KEY, name text);\nCREATE TABLE orders (tenant_id int REFERENCES tenants (id), n int);\n';
const ALONE = `${T}TRUNCATE tenants`;
const TABLE_KEYWORD = `${T}TRUNCATE TABLE ONLY tenants RESTART IDENTITY`;
const WITH_OTHER = `${T}CREATE TABLE notes (body text);\nTRUNCATE notes, tenants`;
const CITUS = "CREATE TABLE tenants (id int PRIMARY KEY);\nSELECT create_reference_table('tenants');\nCREATE TABLE orders (tenant_id int, n int);\nSELECT create_distributed_table('orders', 'tenant_id');\nALTER TABLE orders ADD CONSTRAINT orders_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);\nTRUNCATE tenants";

export const cases: RuleTable = {
  valid: [
    // the referencing table in the same TRUNCATE, CASCADE, a table nothing references, a self-reference
    { sql: `${T}TRUNCATE orders, tenants` },
    { sql: `${T}TRUNCATE tenants CASCADE` },
    { sql: `${T}TRUNCATE orders` },
    { sql: 'CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree (id));\nTRUNCATE tree' },
    // the foreign key dropped first
    { sql: `${T}ALTER TABLE orders DROP CONSTRAINT orders_tenant_id_fkey;\nTRUNCATE tenants` },
  ],
  invalid: [
    { sql: ALONE, findings: [at(ALONE, 'tenants', 3)] },
    { sql: TABLE_KEYWORD, findings: [at(TABLE_KEYWORD, 'tenants', 3)] },
    { sql: WITH_OTHER, findings: [at(WITH_OTHER, 'tenants', 3)] },
    { sql: CITUS, findings: [at(CITUS, 'TRUNCATE tenants', 1, 9)], notOnPostgres: 'Citus tables' },
  ],
};

ruleTests('truncate-referenced-table', cases);
