import { at } from './at';
import { ruleTests } from './harness';

// PostgreSQL's executor check (CheckValidResultRel); each case was run on Citus 13.2.2 (PostgreSQL 15): the invalid
// ones fail with `cannot change materialized view "mv_t"`, EXPLAIN included, the valid ones run.
const DDL = 'CREATE TABLE mv_src (k int, v int);\nCREATE MATERIALIZED VIEW mv_t AS SELECT k, v FROM mv_src;\n';
const INSERT = 'INSERT INTO mv_t VALUES (1, 2)';
const UPDATE = 'UPDATE mv_t SET v = 3';
const DELETE = 'DELETE FROM mv_t USING mv_src WHERE mv_t.k = mv_src.k';

ruleTests('modify-materialized-view', {
  valid: [
    { schema: DDL, sql: 'UPDATE mv_src SET v = 1 FROM mv_t WHERE mv_t.k = mv_src.k', outcome: 'local' },
    { schema: DDL, sql: 'INSERT INTO mv_src VALUES (1, 2)', outcome: 'local' },
  ],
  invalid: [
    { schema: DDL, sql: INSERT, outcome: 'error', findings: [at(INSERT, 'mv_t')] },
    { schema: DDL, sql: UPDATE, outcome: 'error', findings: [at(UPDATE, 'mv_t')] },
    { schema: DDL, sql: DELETE, outcome: 'error', findings: [at(DELETE, 'mv_t')] },
  ],
});
