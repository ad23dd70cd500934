/**
 * COPY .. FROM that Citus or PostgreSQL refuses, each case run on Citus 13.2.2 with psql (inline rows, in a rolled-back
 * transaction): copy-refused itself, and the column-list and row checks COPY shares with INSERT (their own rules).
 */
import { at } from './at';
import { ruleTests } from './harness';

const WHERE = "COPY events (tenant_id, event_id) FROM STDIN WITH (FORMAT csv) WHERE tenant_id > 100;\n1,9004\n\\.\n";
const WHERE_REF = "COPY ref_tenants (tenant_id) FROM STDIN WITH (FORMAT csv) WHERE tenant_id > 1;\n1\n\\.\n";
const MATVIEW = 'CREATE MATERIALIZED VIEW mv AS SELECT tenant_id, count(*) AS n FROM events GROUP BY 1;\nCOPY mv FROM STDIN;\n';
const NOSUCH = "COPY events (tenant_id, event_id, nosuch) FROM STDIN WITH (FORMAT csv);\n1,9006,1\n\\.\n";
const TWICE = "COPY events (tenant_id, tenant_id, event_id) FROM STDIN WITH (FORMAT csv);\n1,1,9007\n\\.\n";
const GENERATED_SCHEMA = "CREATE TABLE g (tenant_id int, n int, n2 int GENERATED ALWAYS AS (n * 2) STORED);\nSELECT create_distributed_table('g', 'tenant_id');\n";
const GENERATED = "COPY g (tenant_id, n, n2) FROM STDIN WITH (FORMAT csv);\n1,1,2\n\\.\n";
const NOT_NULL = "COPY events (tenant_id, event_id, created_at) FROM STDIN WITH (FORMAT csv);\n1,9010,2024-01-01\n1,9011,\n\\.\n";
const NOT_NULL_TEXT = 'COPY events (tenant_id, event_id, created_at) FROM STDIN;\n1\t9010\t\\N\n\\.\n';
const OUTSIDE = "COPY events_part_2024 (tenant_id, event_id, created_at) FROM STDIN WITH (FORMAT csv);\n1,9009,2030-05-01\n\\.\n";
const LOCAL_NOT_NULL_SCHEMA = 'CREATE TABLE staging (id int NOT NULL, note text);\n';
const LOCAL_NOT_NULL = "COPY staging FROM STDIN WITH (FORMAT csv);\n,x\n\\.\n";
// CSV's FORCE_NOT_NULL: an empty field of that column is an empty string; FORCE_NULL: a quoted empty one is NULL
// (PostgreSQL's regression test copy2.sql; checked on PostgreSQL 15.20)
const FORCE_SCHEMA = 'CREATE TABLE forced (a int NOT NULL, b text NOT NULL, c text);\n';
const FORCE_NULL = 'COPY forced (a, b, c) FROM STDIN WITH (FORMAT csv, FORCE_NULL(b));\n4,"",""\n\\.\n';
const OWN_QUOTE = 'COPY forced (a, b) FROM STDIN WITH (FORMAT csv, QUOTE \'|\', FORCE_NULL(b));\n1,""\n\\.\n';

ruleTests('copy-refused', {
  valid: [
    // a plain table takes a WHERE (PostgreSQL's own COPY)
    { sql: "COPY local_config (tenant_id, setting) FROM STDIN WITH (FORMAT csv) WHERE tenant_id > 1;\n1,x\n\\.\n", outcome: 'local' },
    { sql: "COPY events (tenant_id, event_id) FROM STDIN WITH (FORMAT csv, FREEZE true);\n1,9005\n\\.\n", outcome: 'single_shard' },
    { sql: "COPY events (event_id, tenant_id) FROM STDIN WITH (FORMAT csv, HEADER true);\nevent_id,tenant_id\n9003,1\n\\.\n", outcome: 'single_shard' },
  ],
  invalid: [
    { sql: WHERE, outcome: 'error', findings: [at(WHERE, 'WHERE')] },
    { sql: WHERE_REF, outcome: 'error', findings: [at(WHERE_REF, 'WHERE')] },
    { sql: MATVIEW, outcome: 'error', findings: [at(MATVIEW, 'mv FROM')] },
  ],
});

ruleTests('unknown-column', {
  valid: [{ sql: "COPY events (tenant_id, event_id) FROM STDIN WITH (FORMAT csv);\n1,9006\n\\.\n", outcome: 'single_shard' }],
  invalid: [{ sql: NOSUCH, outcome: 'error', findings: [at(NOSUCH, 'tenant_id')] }],
});

ruleTests('datatype-mismatch', {
  valid: [],
  invalid: [{ sql: TWICE, outcome: 'error', findings: [at(TWICE, 'tenant_id')] }],
});

ruleTests('insert-generated-column', {
  valid: [{ schema: GENERATED_SCHEMA, sql: "COPY g (tenant_id, n) FROM STDIN WITH (FORMAT csv);\n1,1\n\\.\n", outcome: 'single_shard' }],
  invalid: [{ schema: GENERATED_SCHEMA, sql: GENERATED, outcome: 'error', findings: [at(GENERATED, 'tenant_id')] }],
});

ruleTests('insert-null-dist-column', {
  valid: [
    // (an empty field for a nullable column, and a row inside the partition's bounds)
    { sql: "COPY events (tenant_id, event_id, event_type, created_at) FROM STDIN WITH (FORMAT csv);\n1,9012,,2024-01-01\n\\.\n", outcome: 'single_shard' },
    { sql: "COPY events_part_2024 (tenant_id, event_id, created_at) FROM STDIN WITH (FORMAT csv);\n1,9009,2024-05-01\n\\.\n", outcome: 'single_shard' },
    { schema: FORCE_SCHEMA, sql: 'COPY forced (a, b, c) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL(b), FORCE_NULL(c));\n1,,""\n\\.\n', outcome: 'local' },
    // a QUOTE of its own: the data is not read as PostgreSQL reads it, so nothing is said of its rows
    { schema: FORCE_SCHEMA, sql: OWN_QUOTE, outcome: 'local' },
  ],
  invalid: [
    { sql: NOT_NULL, outcome: 'error', findings: [at(NOT_NULL, 'events')] },
    { sql: NOT_NULL_TEXT, outcome: 'error', findings: [at(NOT_NULL_TEXT, 'events')] },
    { sql: OUTSIDE, outcome: 'error', findings: [at(OUTSIDE, 'events_part_2024')] },
    { schema: LOCAL_NOT_NULL_SCHEMA, sql: LOCAL_NOT_NULL, outcome: 'error', findings: [at(LOCAL_NOT_NULL, 'staging')] },
    { schema: FORCE_SCHEMA, sql: FORCE_NULL, outcome: 'error', findings: [at(FORCE_NULL, 'forced')] },
  ],
});
