import { at } from './at';
import { ruleTests } from './harness';

// Each case was run on Citus 13.2.2 (PostgreSQL 15, citus_columnar): the invalid ones fail when the executor starts
// with `UPDATE and CTID scans not supported for ColumnarScan` (on the coordinator, or from each shard), the valid ones
// run. The schema is Citus' columnar_update_delete.sql and the time-partitioned layout of its docs.
const LOCAL = 'CREATE TABLE col_t (i int, j int) USING columnar;\n';
const PARTS = [
  'CREATE TABLE parent (ts timestamptz, i int, n numeric) PARTITION BY RANGE (ts);',
  "CREATE TABLE p0 PARTITION OF parent FOR VALUES FROM ('2020-01-01') TO ('2020-02-01') USING COLUMNAR;",
  "CREATE TABLE p1 PARTITION OF parent FOR VALUES FROM ('2020-02-01') TO ('2020-03-01') USING columnar;",
  "CREATE TABLE p2 PARTITION OF parent FOR VALUES FROM ('2020-03-01') TO ('2020-04-01');",
].join('\n');
const DISTRIBUTED = [
  'CREATE TABLE ev (tenant_id int, ts timestamptz, v int) PARTITION BY RANGE (ts);',
  "CREATE TABLE ev_2020_01 PARTITION OF ev FOR VALUES FROM ('2020-01-01') TO ('2020-02-01');",
  "CREATE TABLE ev_2020_02 PARTITION OF ev FOR VALUES FROM ('2020-02-01') TO ('2020-03-01');",
  "SELECT create_distributed_table('ev', 'tenant_id');",
  "CALL alter_old_partitions_set_access_method('ev', '2020-02-01', 'columnar');",
].join('\n');
const BACK_TO_HEAP = `${DISTRIBUTED}\nSELECT alter_table_set_access_method('ev_2020_01', 'heap');`;
const ALTERED = "CREATE TABLE d (tenant_id int, v int);\nSELECT create_distributed_table('d', 'tenant_id');\nALTER TABLE d SET ACCESS METHOD columnar;";

const UPDATE_LOCAL = 'UPDATE col_t SET j = j + 1 WHERE i = 2';
const DELETE_LOCAL = 'DELETE FROM col_t WHERE i = 2';
const UPDATE_PARTITION = "UPDATE p1 SET i = i + 1 WHERE ts = '2020-02-15'";
const UPDATE_PARENT_KEY = "UPDATE parent SET i = i + 1 WHERE ts = '2020-02-15'";
const DELETE_PARENT_OTHER = 'DELETE FROM parent WHERE n = 303';
const DELETE_TENANT = 'DELETE FROM ev WHERE tenant_id = 5';
const UPDATE_ALTERED = 'UPDATE d SET v = 1 WHERE tenant_id = 3';
const LOCK_LOCAL = 'SELECT * FROM col_t WHERE i = 2 FOR SHARE';
const LOCK_DISTRIBUTED = 'SELECT * FROM d WHERE tenant_id = 3 FOR UPDATE';
const RANGE_AFTER = "UPDATE parent SET i = i + 1 WHERE ts > '2020-02-15'";
const RANGE_BEFORE = "DELETE FROM parent WHERE ts < '2020-02-01'";
const RANGE_BETWEEN = "DELETE FROM parent WHERE ts BETWEEN '2020-01-10' AND '2020-01-20'";

// INSERT .. ON CONFLICT into a columnar table with a unique key (checked on Citus 13.2.2, plain and distributed)
const KEYED = 'CREATE TABLE colx (k int PRIMARY KEY, v int) USING columnar;\n';
const KEYED_DISTRIBUTED = `${KEYED}SELECT create_distributed_table('colx', 'k');\n`;
const UPSERT = 'INSERT INTO colx VALUES (1, 2) ON CONFLICT (k) DO UPDATE SET v = 5';
const UPSERT_DISTRIBUTED = 'INSERT INTO colx VALUES (5, 2) ON CONFLICT (k) DO UPDATE SET v = 1';
const DO_NOTHING = 'INSERT INTO colx VALUES (3, 2) ON CONFLICT DO NOTHING';
const SELECT_DO_NOTHING = 'INSERT INTO colx SELECT 4, 4 ON CONFLICT (k) DO NOTHING';

ruleTests('modify-columnar-table', {
  valid: [
    // the heap partition only: an equality on the partition key prunes the others
    { schema: PARTS, sql: "UPDATE parent SET i = i + 1 WHERE ts = '2020-03-15'", outcome: 'local' },
    { schema: PARTS, sql: "UPDATE p2 SET i = i + 1 WHERE ts = '2020-03-15'", outcome: 'local' },
    { schema: DISTRIBUTED, sql: "DELETE FROM ev WHERE tenant_id = 5 AND ts = '2020-02-10'", outcome: 'single_shard' },
    { schema: BACK_TO_HEAP, sql: DELETE_TENANT, outcome: 'single_shard' },
    // INSERT appends: columnar takes it; ON CONFLICT DO NOTHING without a unique index is a plain insert
    { schema: LOCAL, sql: 'INSERT INTO col_t VALUES (1, 2)', outcome: 'local' },
    { schema: LOCAL, sql: 'INSERT INTO col_t VALUES (1, 2) ON CONFLICT DO NOTHING', outcome: 'local' },
    { schema: KEYED_DISTRIBUTED, sql: 'INSERT INTO colx VALUES (5, 2)', outcome: 'single_shard', notOnPostgres: 'a Citus table' },
    { schema: ALTERED, sql: 'SELECT * FROM d WHERE tenant_id = 3', outcome: 'single_shard' },
    // a range on the key that keeps only the heap partition
    { schema: PARTS, sql: "DELETE FROM parent WHERE ts >= '2020-03-01'", outcome: 'local' },
    { schema: PARTS, sql: "DELETE FROM parent WHERE ts >= '2020-03-05' AND ts < '2020-03-10'", outcome: 'local' },
    // a filter the model does not evaluate (an OR): nothing is said (Citus refuses this one)
    { schema: PARTS, sql: "DELETE FROM parent WHERE ts > '2020-02-15' OR i = 3", outcome: 'local' },
  ],
  invalid: [
    { schema: KEYED, sql: UPSERT, outcome: 'error', findings: [at(UPSERT, 'colx')] },
    { schema: KEYED_DISTRIBUTED, sql: UPSERT_DISTRIBUTED, outcome: 'error', findings: [at(UPSERT_DISTRIBUTED, 'colx')], notOnPostgres: 'a Citus table' },
    // a warning: a row that conflicts is skipped, one that does not fails
    { schema: KEYED, sql: DO_NOTHING, outcome: 'local', findings: [at(DO_NOTHING, 'colx')] },
    { schema: KEYED, sql: SELECT_DO_NOTHING, findings: [at(SELECT_DO_NOTHING, 'colx')] },
    { schema: LOCAL, sql: UPDATE_LOCAL, outcome: 'error', findings: [at(UPDATE_LOCAL, 'col_t')] },
    { schema: LOCAL, sql: DELETE_LOCAL, outcome: 'error', findings: [at(DELETE_LOCAL, 'col_t')] },
    { schema: PARTS, sql: UPDATE_PARTITION, outcome: 'error', findings: [at(UPDATE_PARTITION, 'p1')] },
    { schema: PARTS, sql: UPDATE_PARENT_KEY, outcome: 'error', findings: [at(UPDATE_PARENT_KEY, 'parent')] },
    { schema: PARTS, sql: DELETE_PARENT_OTHER, outcome: 'error', findings: [at(DELETE_PARENT_OTHER, 'parent')] },
    { schema: DISTRIBUTED, sql: DELETE_TENANT, outcome: 'error', findings: [at(DELETE_TENANT, 'ev')] },
    { schema: ALTERED, sql: UPDATE_ALTERED, outcome: 'error', findings: [at(UPDATE_ALTERED, 'd ')] },
    { schema: PARTS, sql: RANGE_AFTER, outcome: 'error', findings: [at(RANGE_AFTER, 'parent')] },
    // FOR UPDATE / SHARE fetches row ids as well
    { schema: LOCAL, sql: LOCK_LOCAL, outcome: 'error', findings: [at(LOCK_LOCAL, 'col_t')] },
    { schema: ALTERED, sql: LOCK_DISTRIBUTED, outcome: 'error', findings: [at(LOCK_DISTRIBUTED, 'd ')] },
    { schema: PARTS, sql: RANGE_BEFORE, outcome: 'error', findings: [at(RANGE_BEFORE, 'parent')] },
    { schema: PARTS, sql: RANGE_BETWEEN, outcome: 'error', findings: [at(RANGE_BETWEEN, 'parent')] },
  ],
});
