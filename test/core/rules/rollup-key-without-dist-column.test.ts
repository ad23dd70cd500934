import { rollupRuleTests } from '../../rollup/rule-harness';

const ID = 'rollup-key-without-dist-column';

rollupRuleTests(ID, {
  valid: [
    { sql: "CREATE TABLE r (tenant_id int, day date, n bigint, PRIMARY KEY (tenant_id, day));\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    // reference tables have no such requirement
    { sql: "CREATE TABLE r (tenant_id int, day date, n bigint, PRIMARY KEY (day));\nSELECT create_reference_table('r');", schema: '', findings: [] },
    // a key dropped by its name (given or as PostgreSQL chooses it), renamed first, or with a column it includes:
    // Citus distributes the table (checked on Citus 13.2.2; probe file key-names.sql)
    { sql: "CREATE TABLE r (id int PRIMARY KEY, tenant_id int);\nALTER TABLE r DROP CONSTRAINT r_pkey;\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    { sql: "CREATE TABLE r (id int PRIMARY KEY, tenant_id int);\nALTER TABLE r DROP CONSTRAINT r_pkey, ADD PRIMARY KEY (tenant_id, id);\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    { sql: "CREATE TABLE r (id int, tenant_id int, CONSTRAINT r_pk PRIMARY KEY (id));\nALTER TABLE r RENAME CONSTRAINT r_pk TO r_old;\nALTER TABLE r DROP CONSTRAINT r_old;\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    { sql: "CREATE TABLE r (id int, tenant_id int, v int, UNIQUE (id), UNIQUE (id, v));\nALTER TABLE r DROP COLUMN id;\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    { sql: "CREATE TABLE r (id int, tenant_id int);\nCREATE UNIQUE INDEX ON r (id);\nALTER INDEX r_id_idx RENAME TO r_u;\nDROP INDEX r_u;\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    { sql: "CREATE TABLE r (id int, tenant_id int, UNIQUE (id));\nCREATE UNIQUE INDEX r_again ON r (id);\nALTER TABLE r DROP CONSTRAINT r_id_key;\nDROP INDEX r_again;\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    // keys copied by LIKE have no name the model knows: a name it does not know dropped may have been one of them
    { sql: "CREATE TABLE s (id int UNIQUE, tenant_id int);\nCREATE TABLE r (LIKE s INCLUDING ALL);\nALTER TABLE r DROP CONSTRAINT r_id_key;\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    { sql: "SET citus.allow_unsafe_constraints TO on;\nCREATE TABLE r (tenant_id int, day date, PRIMARY KEY (day));\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
  ],
  invalid: [
    {
      sql: "CREATE TABLE r (tenant_id int, day date, page_id int, n bigint, PRIMARY KEY (day, page_id));\nSELECT create_distributed_table('r', 'tenant_id');",
      schema: '',
      findings: [{ id: ID, line: 2, column: 8 }],
    },
    // what was dropped was not the key: a CHECK, an ordinary index, a constraint's index (PostgreSQL refuses that)
    {
      sql: "CREATE TABLE r (id int PRIMARY KEY, tenant_id int CHECK (tenant_id > 0));\nALTER TABLE r DROP CONSTRAINT r_tenant_id_check;\nSELECT create_distributed_table('r', 'tenant_id');",
      schema: '',
      findings: [{ id: ID, line: 3, column: 8 }],
    },
    {
      sql: "CREATE TABLE r (id int UNIQUE, tenant_id int);\nCREATE INDEX r_tenant ON r (tenant_id);\nDROP INDEX r_tenant;\nDROP INDEX r_id_key;\nSELECT create_distributed_table('r', 'tenant_id');",
      schema: '',
      findings: [{ id: ID, line: 5, column: 8 }],
    },
    // a second unique index of the same columns dropped: the first still makes the key
    {
      sql: "CREATE TABLE r (id int, tenant_id int);\nCREATE UNIQUE INDEX r_a ON r (id);\nCREATE UNIQUE INDEX r_b ON r (id);\nDROP INDEX r_b;\nSELECT create_distributed_table('r', 'tenant_id');",
      schema: '',
      findings: [{ id: ID, line: 5, column: 8 }],
    },
    { sql: 'ALTER TABLE daily_rollup ADD CONSTRAINT u UNIQUE (day, event_type);', findings: [{ id: ID, line: 1, column: 30 }] },
    { sql: 'CREATE UNIQUE INDEX ON daily_rollup (day, event_type);', findings: [{ id: ID, line: 1, column: 1 }] },
    // a key of a column the statement adds (checked on Citus 13.2.2: `cannot create constraint on "daily_rollup"`)
    { sql: 'ALTER TABLE daily_rollup ADD COLUMN bucket_id int UNIQUE;', findings: [{ id: ID, line: 1, column: 51 }] },
    { sql: 'ALTER TABLE daily_rollup ADD COLUMN note text, ADD COLUMN bucket_id int PRIMARY KEY;', findings: [{ id: ID, line: 1, column: 73 }] },
  ],
});
