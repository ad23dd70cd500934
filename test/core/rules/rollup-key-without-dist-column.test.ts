import { rollupRuleTests } from '../../rollup/rule-harness';

const ID = 'rollup-key-without-dist-column';

rollupRuleTests(ID, {
  valid: [
    { sql: "CREATE TABLE r (tenant_id int, day date, n bigint, PRIMARY KEY (tenant_id, day));\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
    // reference tables have no such requirement
    { sql: "CREATE TABLE r (tenant_id int, day date, n bigint, PRIMARY KEY (day));\nSELECT create_reference_table('r');", schema: '', findings: [] },
    { sql: "SET citus.allow_unsafe_constraints TO on;\nCREATE TABLE r (tenant_id int, day date, PRIMARY KEY (day));\nSELECT create_distributed_table('r', 'tenant_id');", schema: '', findings: [] },
  ],
  invalid: [
    {
      sql: "CREATE TABLE r (tenant_id int, day date, page_id int, n bigint, PRIMARY KEY (day, page_id));\nSELECT create_distributed_table('r', 'tenant_id');",
      schema: '',
      findings: [{ id: ID, line: 2, column: 8 }],
    },
    { sql: 'ALTER TABLE daily_rollup ADD CONSTRAINT u UNIQUE (day, event_type);', findings: [{ id: ID, line: 1, column: 30 }] },
    { sql: 'CREATE UNIQUE INDEX ON daily_rollup (day, event_type);', findings: [{ id: ID, line: 1, column: 1 }] },
  ],
});
