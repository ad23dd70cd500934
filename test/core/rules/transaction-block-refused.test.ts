import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case was run on PostgreSQL 15 / Citus 13.2.2 (probe file transaction-blocks.sql, recorded) and refused
// with the message the finding quotes. Not in test/db/semantic.test.ts: its cases run inside a transaction block.
const CIC = 'BEGIN;\nCREATE INDEX CONCURRENTLY events_user ON events (user_id);\nCOMMIT';
const DIC = 'BEGIN;\nDROP INDEX CONCURRENTLY IF EXISTS events_user;\nCOMMIT';
const VACUUM = 'BEGIN;\nDELETE FROM events WHERE tenant_id = 5;\nVACUUM events;\nCOMMIT';
const REINDEX = 'START TRANSACTION;\nREINDEX TABLE CONCURRENTLY events;\nCOMMIT';
const SYSTEM = "BEGIN;\nALTER SYSTEM SET work_mem = '64MB';\nCOMMIT";
const CONCURRENTLY = "CREATE TABLE moved (tenant_id int, v int);\nBEGIN;\nSELECT create_distributed_table_concurrently('moved', 'tenant_id');\nCOMMIT";

export const cases: RuleTable = {
  valid: [
    // outside a block, or after it
    { sql: 'CREATE INDEX CONCURRENTLY events_user ON events (user_id)' },
    { sql: 'BEGIN;\nCREATE INDEX events_user ON events (user_id);\nCOMMIT;\nVACUUM ANALYZE events' },
    // ANALYZE alone, REINDEX of a table, CLUSTER of a table run in a block
    { sql: 'BEGIN;\nANALYZE events;\nREINDEX TABLE events;\nCOMMIT' },
  ],
  invalid: [
    { sql: CIC, findings: [at(CIC, 'CREATE')] },
    { sql: DIC, findings: [at(DIC, 'DROP')] },
    { sql: VACUUM, findings: [at(VACUUM, 'VACUUM')] },
    { sql: REINDEX, findings: [at(REINDEX, 'REINDEX')] },
    { sql: SYSTEM, findings: [at(SYSTEM, 'ALTER')] },
    { sql: CONCURRENTLY, findings: [at(CONCURRENTLY, 'SELECT')] },
  ],
};

ruleTests('transaction-block-refused', cases);

/**
 * Cases that bring their own table, run statement by statement on a real PostgreSQL by test/db/semantic.test.ts (each
 * in a session of its own: the rule tables' harness runs a case inside a transaction block of its own).
 */
const TABLE = 'CREATE TABLE events (tenant_id int, user_id int);\n';
export const executed: RuleTable = {
  valid: [
    { sql: `${TABLE}CREATE INDEX CONCURRENTLY events_user ON events (user_id)` },
    { sql: `${TABLE}BEGIN;\nCREATE INDEX events_user ON events (user_id);\nCOMMIT;\nVACUUM ANALYZE events` },
    { sql: `${TABLE}BEGIN;\nANALYZE events;\nREINDEX TABLE events;\nCOMMIT` },
  ],
  invalid: [CIC, DIC, VACUUM, REINDEX].map((sql) => ({ sql: TABLE + sql, findings: [] })),
};

describe('transaction-block-refused: messages, and what follows', () => {
  before(async () => {
    await loadParser();
  });
  const analyze = (sql: string) => analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' });
  it("gives PostgreSQL's and Citus' messages", () => {
    const messages = (sql: string) => analyze(`CREATE TABLE events (tenant_id int, user_id int);\n${sql}`).findings.filter((f) => f.rule === 'transaction-block-refused').map((f) => f.citus?.message);
    assert.deepEqual(messages(CIC), ['CREATE INDEX CONCURRENTLY cannot run inside a transaction block']);
    assert.deepEqual(messages(VACUUM), ['VACUUM cannot run inside a transaction block']);
    assert.deepEqual(messages(REINDEX), ['REINDEX CONCURRENTLY cannot run inside a transaction block']);
    assert.deepEqual(messages(CONCURRENTLY), ['create_distributed_table_concurrently cannot run inside a transaction block']);
  });
  it('leaves a unique index without the distribution column to Citus, which refuses it first', () => {
    const a = analyzeDocument("CREATE TABLE r (tenant_id int, day date);\nSELECT create_distributed_table('r', 'tenant_id');\nBEGIN;\nCREATE UNIQUE INDEX CONCURRENTLY r_day ON r (day);\nCOMMIT", new SchemaModel(), { source: 'x.sql' });
    assert.deepEqual(a.findings.map((f) => f.rule), ['rollup-key-without-dist-column']);
  });
  it('aborts the block, and the table is not distributed', () => {
    const a = analyze(`${CONCURRENTLY.replace(/COMMIT$/, "UPDATE moved SET v = 1 WHERE tenant_id = 1;\nCOMMIT")}`);
    assert.equal(a.statements[3].outcome, 'error');
    assert.match(a.statements[3].prediction.reasons[0] ?? '', /current transaction is aborted/);
    assert.equal(a.model.get('public', 'moved')?.kind, 'local');
  });
});
