import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { at } from './at';
import { analyze, ruleTests } from './harness';

// the tables of test/fixtures/probes/sql/fk-parallel-access.sql (its DDL, before its data), whose blocks were recorded on
// Citus 13.2.2
const PROBE = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'probes', 'sql', 'fk-parallel-access.sql'), 'utf8');
const SCHEMA = PROBE.slice(0, PROBE.indexOf('INSERT INTO fk_plans'));
const ROLLUP_SCHEMA = SCHEMA;

const block = (...statements: string[]): string => `BEGIN;\n${statements.map((s) => `${s};\n`).join('')}`;
const UPDATE_ALL = 'UPDATE fk_events SET n = n + 1';
const TOUCH = 'UPDATE fk_tenants SET seen = NULL WHERE tenant_id = 3';

const E1 = block(UPDATE_ALL, TOUCH);
const E1_TRANSITIVE = block('DELETE FROM fk_events WHERE day < DATE \'2026-01-02\'', "UPDATE fk_plans SET plan = 'pro' WHERE plan = 'pro'");
const E2_SELECT = block('SELECT count(*) FROM fk_events', TOUCH);
const E2_UNRELATED = block('UPDATE fk_unrelated SET n = n + 1', "INSERT INTO fk_tenants VALUES (11, 'free', NULL)");
const SAVEPOINT_KEEPS = block('SAVEPOINT s', UPDATE_ALL, 'ROLLBACK TO SAVEPOINT s', TOUCH);
const SWITCH_UNDONE = block('SAVEPOINT s', TOUCH, 'ROLLBACK TO SAVEPOINT s', UPDATE_ALL, TOUCH);
const ROLLUP = "INSERT INTO fk_daily SELECT tenant_id, day, count(*) FROM fk_events GROUP BY tenant_id, day ON CONFLICT (tenant_id, day) DO UPDATE SET n = excluded.n";
const ROLLUP_E1 = block(ROLLUP, TOUCH);
const INTO_REFERENCE = block('UPDATE fk_unrelated SET n = 0', "INSERT INTO fk_plans SELECT 'enterprise'");
// data-modifying CTEs run first: their accesses count for the statement, in a block or not, and for the rest of a block
const CTE_THEN_REFERENCE = "WITH d AS (DELETE FROM fk_events WHERE day < DATE '2026-01-02' RETURNING tenant_id) DELETE FROM fk_tenants WHERE tenant_id = 42";
const CTE_IN_BLOCK = block('WITH u AS (UPDATE fk_events SET n = n + 1 RETURNING *) SELECT count(*) FROM u', TOUCH);
// SET LOCAL lasts until COMMIT, and does nothing outside a block
const LOCAL_ENDED = `BEGIN;\nSET LOCAL citus.multi_shard_modify_mode TO 'sequential';\nCOMMIT;\nSET LOCAL citus.multi_shard_modify_mode TO 'sequential';\n${block(UPDATE_ALL, TOUCH)}`;
// a plain EXPLAIN runs nothing
const AFTER_EXPLAIN = block(UPDATE_ALL, `EXPLAIN (ANALYZE off) ${TOUCH}`, TOUCH);
const AFTER_ADD_COLUMN = block(UPDATE_ALL, 'ALTER TABLE fk_unrelated ADD COLUMN x int', TOUCH);
const DDL_THEN_READ = block('ALTER TABLE fk_events ADD COLUMN x int', 'SELECT plan FROM fk_tenants WHERE tenant_id = 3');
const INDEX_THEN_MODIFY = block('CREATE INDEX fk_events_day ON fk_events (day)', TOUCH);
const DML_THEN_REFERENCE_DDL = block(UPDATE_ALL, 'ALTER TABLE fk_tenants ADD COLUMN note text');
const SELECT_THEN_REFERENCE_DDL = block('SELECT count(*) FROM fk_events', 'CREATE INDEX fk_tenants_seen ON fk_tenants (seen)');
const CASCADE_SCHEMA = `${SCHEMA}CREATE TABLE fk_subs (plan text REFERENCES fk_plans (plan) ON UPDATE CASCADE, n int);\nSELECT create_distributed_table('fk_subs', 'n');`;
const CASCADE_AFTER_DDL = block('ALTER TABLE fk_subs ADD COLUMN x int', "UPDATE fk_plans SET plan = 'x' WHERE plan = 'pro'");
const JOIN = block("UPDATE fk_events e SET n = 0 FROM fk_tenants t WHERE e.tenant_id = t.tenant_id AND t.plan = 'pro'", TOUCH);

ruleTests('reference-table-after-parallel-access', {
  valid: [
    // the referenced table first: Citus switches the transaction to sequential execution
    { schema: SCHEMA, sql: block(TOUCH, UPDATE_ALL, TOUCH), outcome: 'single_shard' },
    { schema: SCHEMA, sql: block("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'", UPDATE_ALL, TOUCH), outcome: 'single_shard' },
    // single-shard statements run over one connection per node
    { schema: SCHEMA, sql: block('UPDATE fk_events SET n = 0 WHERE tenant_id = 1', 'SELECT count(*) FROM fk_events WHERE tenant_id = 3', TOUCH), outcome: 'single_shard' },
    // nothing references fk_lookup
    { schema: SCHEMA, sql: block(UPDATE_ALL, "UPDATE fk_lookup SET label = 'uno' WHERE id = 1"), outcome: 'single_shard' },
    // a multi-row INSERT runs sequentially
    { schema: SCHEMA, sql: block("INSERT INTO fk_events VALUES (1, 1, NULL, 1), (2, 2, NULL, 1), (3, 3, NULL, 1), (4, 4, NULL, 1)", TOUCH), outcome: 'single_shard' },
    // outside a block, and in the next block after COMMIT
    { schema: SCHEMA, sql: `${UPDATE_ALL};\n${TOUCH};`, outcome: 'single_shard' },
    { schema: SCHEMA, sql: `${block(UPDATE_ALL)}COMMIT;\n${block(TOUCH)}`, outcome: 'single_shard' },
    // the switch to sequential before a savepoint survives ROLLBACK TO it
    { schema: SCHEMA, sql: block(TOUCH, 'SAVEPOINT s', UPDATE_ALL, 'ROLLBACK TO SAVEPOINT s', TOUCH), outcome: 'single_shard' },
    // the switch made after the savepoint is undone, but the modification of fk_tenants stays recorded: the parallel
    // UPDATE of fk_events, which references it, switches to sequential again (CheckConflictingParallelRelationAccesses)
    { schema: SCHEMA, sql: SWITCH_UNDONE, outcome: 'single_shard' },
    // one tenant's rollup is one task (Citus' router plan); the tenants first, then the rollup: sequential
    { schema: ROLLUP_SCHEMA, sql: block(ROLLUP.replace('GROUP BY', 'WHERE tenant_id = 3 GROUP BY'), TOUCH), outcome: 'single_shard' },
    { schema: ROLLUP_SCHEMA, sql: block(TOUCH, ROLLUP, TOUCH), outcome: 'single_shard' },
    // a CTE that modifies one shard makes one task with the statement, which Citus refuses for another reason
    // (reference-target-from-distributed)
    { schema: SCHEMA, sql: 'WITH u AS (UPDATE fk_events SET n = 0 WHERE tenant_id = 5 RETURNING *) DELETE FROM fk_tenants WHERE tenant_id = 42', outcome: 'error' },
    // a statement that fails aborts the block: nothing after it runs, and nothing is said until ROLLBACK
    { schema: SCHEMA, sql: block(UPDATE_ALL, 'SELECT no_such_column FROM fk_events', TOUCH), outcome: 'error' },
    // what the tracker cannot follow: it says nothing (EXPLAIN ANALYZE runs the statement)
    { schema: SCHEMA, sql: block(UPDATE_ALL, 'EXPLAIN (ANALYZE, COSTS off) SELECT count(*) FROM fk_lookup', TOUCH), outcome: 'single_shard' },
    { schema: ROLLUP_SCHEMA, sql: block(`${ROLLUP.replace(' ON CONFLICT (tenant_id, day) DO UPDATE SET n = excluded.n', '')} LIMIT 10`, TOUCH), outcome: 'single_shard' },
    { schema: SCHEMA, sql: block(UPDATE_ALL, 'ALTER TABLE fk_unrelated ALTER COLUMN n SET DEFAULT 0', TOUCH), outcome: 'single_shard' },
    // DDL on the referenced table first switches the block to sequential
    { schema: SCHEMA, sql: block('ALTER TABLE fk_tenants ADD COLUMN note text', UPDATE_ALL, TOUCH), outcome: 'single_shard' },
    // DDL the tracker follows runs sequentially after the switch, or in sequential mode
    { schema: SCHEMA, sql: block(TOUCH, 'ALTER TABLE fk_events ADD COLUMN x int', "SELECT plan FROM fk_tenants WHERE tenant_id = 3"), outcome: 'single_shard' },
    { schema: `${SCHEMA}CREATE FUNCTION bump() RETURNS int LANGUAGE sql AS 'SELECT 1';`, sql: block('SELECT bump() FROM fk_unrelated', TOUCH), outcome: 'single_shard' },
    { schema: SCHEMA, sql: block("SET LOCAL citus.enforce_foreign_key_restrictions TO off", UPDATE_ALL, TOUCH), outcome: 'single_shard' },
    // a foreign key the model cannot vouch for any more (a constraint it cannot name was dropped; the table has one:
    // a CHECK added without a name, whose name the model does not follow)
    { schema: `${SCHEMA}ALTER TABLE fk_events ADD CHECK (n >= 0);\nALTER TABLE fk_events DROP CONSTRAINT some_constraint;\nALTER TABLE fk_daily DROP CONSTRAINT fk_daily_tenant;`, sql: E1, outcome: 'single_shard' },
    // the foreign key went with the table it referenced (DROP .. CASCADE); a new table of that name has none
    {
      schema: `${SCHEMA}DROP TABLE fk_tenants CASCADE;\nCREATE TABLE fk_tenants (tenant_id int PRIMARY KEY, plan text, seen date);\nSELECT create_reference_table('fk_tenants');`,
      sql: E1,
      outcome: 'single_shard',
    },
  ],
  invalid: [
    { schema: SCHEMA, sql: E1, outcome: 'error', findings: [at(E1, 'UPDATE fk_tenants')] },
    { schema: SCHEMA, sql: E1_TRANSITIVE, outcome: 'error', findings: [at(E1_TRANSITIVE, 'UPDATE fk_plans')] },
    { schema: SCHEMA, sql: E2_SELECT, outcome: 'error', findings: [at(E2_SELECT, 'UPDATE fk_tenants')] },
    { schema: SCHEMA, sql: E2_UNRELATED, outcome: 'error', findings: [at(E2_UNRELATED, 'INSERT INTO fk_tenants')] },
    { schema: SCHEMA, sql: JOIN, outcome: 'error', findings: [at(JOIN, 'UPDATE fk_tenants')] },
    { schema: SCHEMA, sql: AFTER_EXPLAIN, outcome: 'error', findings: [at(AFTER_EXPLAIN, TOUCH, 2)] },
    { schema: SCHEMA, sql: LOCAL_ENDED, outcome: 'error', findings: [at(LOCAL_ENDED, 'UPDATE fk_tenants')] },
    { schema: SCHEMA, sql: CTE_THEN_REFERENCE, outcome: 'error', findings: [at(CTE_THEN_REFERENCE, 'WITH')] },
    { schema: SCHEMA, sql: CTE_IN_BLOCK, outcome: 'error', findings: [at(CTE_IN_BLOCK, 'UPDATE fk_tenants')] },
    // a rollup pushed down to every shard of a table that references fk_tenants
    { schema: ROLLUP_SCHEMA, sql: ROLLUP_E1, outcome: 'error', findings: [at(ROLLUP_E1, 'UPDATE fk_tenants')] },
    // an INSERT..SELECT that fills a reference table through the coordinator
    { schema: SCHEMA, sql: INTO_REFERENCE, method: 'error', findings: [at(INTO_REFERENCE, 'INSERT INTO fk_plans')] },
    // ROLLBACK TO keeps the accesses
    { schema: SCHEMA, sql: SAVEPOINT_KEEPS, outcome: 'error', findings: [at(SAVEPOINT_KEEPS, 'UPDATE fk_tenants')] },
    // ADD COLUMN on another table is followed: the parallel UPDATE before it still counts
    { schema: SCHEMA, sql: AFTER_ADD_COLUMN, outcome: 'error', findings: [at(AFTER_ADD_COLUMN, 'UPDATE fk_tenants')] },
    // parallel DDL on a referencing table: even a read of the referenced table is refused
    { schema: SCHEMA, sql: DDL_THEN_READ, outcome: 'error', findings: [at(DDL_THEN_READ, 'SELECT plan')] },
    { schema: SCHEMA, sql: INDEX_THEN_MODIFY, outcome: 'error', findings: [at(INDEX_THEN_MODIFY, 'UPDATE fk_tenants')] },
    // DDL on the referenced table after a parallel access to a table referencing it
    { schema: SCHEMA, sql: DML_THEN_REFERENCE_DDL, findings: [at(DML_THEN_REFERENCE_DDL, 'ALTER TABLE fk_tenants')] },
    { schema: SCHEMA, sql: SELECT_THEN_REFERENCE_DDL, findings: [at(SELECT_THEN_REFERENCE_DDL, 'CREATE INDEX')] },
    // a key with ON UPDATE CASCADE: refused the same
    { schema: CASCADE_SCHEMA, sql: CASCADE_AFTER_DDL, outcome: 'error', findings: [at(CASCADE_AFTER_DDL, 'UPDATE fk_plans')] },
  ],
});

describe('reference-table-after-parallel-access: Citus\' messages', () => {
  const reason = (sql: string): string => {
    const r = analyze(sql, SCHEMA);
    return r.statements[r.statements.length - 1].prediction.reasons.join('\n');
  };

  it('names the distributed table modified in parallel, through a second foreign key too', () => {
    assert.equal(
      reason(E1_TRANSITIVE),
      `ERROR:  cannot execute DML on table "fk_plans" because there was a parallel DML access to distributed table "fk_events" in the same transaction\nHINT:  Try re-running the transaction with "SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"`,
    );
  });

  it('after a parallel SELECT, or a parallel statement on another table', () => {
    const expected = `ERROR:  cannot modify table "fk_tenants" because there was a parallel operation on a distributed table\nDETAIL:  When there is a foreign key to a reference table or to a local table, Citus needs to perform all operations over a single connection per node to ensure consistency.\nHINT:  Try re-running the transaction with "SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"`;
    assert.equal(reason(E2_SELECT), expected);
    assert.equal(reason(E2_UNRELATED), expected);
  });

  it('after parallel DDL: a read is a SELECT access, a modification a DML access; DDL on the referenced table names the last parallel access', () => {
    const hint = `\nHINT:  Try re-running the transaction with "SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"`;
    const ddl = (access: string, on: string, by = 'fk_events'): string => `ERROR:  cannot execute ${access} on table "${on}" because there was a parallel DDL access to distributed table "${by}" in the same transaction${hint}`;
    assert.equal(reason(DDL_THEN_READ), ddl('SELECT', 'fk_tenants'));
    assert.equal(reason(INDEX_THEN_MODIFY), ddl('DML', 'fk_tenants'));
    const ddlAfter = (kind: string): string => `ERROR:  cannot execute DDL on table "fk_tenants" because there was a parallel ${kind} access to distributed table "fk_events" in the same transaction${hint}`;
    const lastOf = (sql: string): string => {
      const r = analyze(sql, SCHEMA);
      return r.findings.filter((f) => f.rule === 'reference-table-after-parallel-access').map((f) => `ERROR:  ${f.citus?.message}\nHINT:  ${f.citus?.hint}`).join('\n');
    };
    assert.equal(lastOf(DML_THEN_REFERENCE_DDL), ddlAfter('DML'));
    assert.equal(lastOf(block('SELECT count(*) FROM fk_events', 'ALTER TABLE fk_tenants ADD COLUMN note text')), ddlAfter('SELECT'));
    assert.equal(lastOf(block('CREATE INDEX fk_events_n ON fk_events (n)', UPDATE_ALL, 'ALTER TABLE fk_tenants ADD COLUMN note text')), ddlAfter('DDL'));
  });

  it('after a refused statement and ROLLBACK TO, the transaction goes on with its accesses', () => {
    const r = analyze(block(UPDATE_ALL, 'SAVEPOINT s', TOUCH, 'ROLLBACK TO SAVEPOINT s', "UPDATE fk_lookup SET label = 'one' WHERE id = 1", "DELETE FROM fk_plans WHERE plan = 'x'"), SCHEMA);
    assert.deepEqual(
      r.statements.map((s) => s.outcome ?? '-'),
      ['-', 'multi_shard', '-', 'error', '-', 'single_shard', 'error'],
    );
  });

  it('a partitioned distributed table: the parent is named, whichever partition was modified', () => {
    const schema = `${SCHEMA}CREATE TABLE fk_part (tenant_id int, day date, n int) PARTITION BY RANGE (day);
CREATE TABLE fk_part_1 PARTITION OF fk_part FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE fk_part_2 PARTITION OF fk_part FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
SELECT create_distributed_table('fk_part', 'tenant_id');
ALTER TABLE fk_part ADD CONSTRAINT fk_part_tenant FOREIGN KEY (tenant_id) REFERENCES fk_tenants (tenant_id);`;
    const r = analyze(block('UPDATE fk_part_2 SET n = 0', TOUCH), schema);
    assert.match(r.statements[r.statements.length - 1].prediction.reasons[0], /parallel DML access to distributed table "fk_part" in the same transaction/);
  });
});
