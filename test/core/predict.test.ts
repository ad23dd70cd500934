/**
 * Predictor cases beyond the corpus and the rule tables: each one a bug found and fixed.
 */
import { strict as assert } from 'node:assert';
import { loadParser, ParserLoadError } from '../../src/core/parse/libpg';
import { analyzeDocument } from '../../src/core/analyze';
import { SchemaModel } from '../../src/core/schema/model';
import { modelFromSnapshot, snapshotFromModel } from '../../src/core/schema/snapshot';
import { applyDocumentDdl } from '../../src/core/workspace';
import { analyze, CORPUS_SCHEMA, firstMethod, lastOutcome } from './rules/harness';

/** The outcome of the first statement after the DDL of `sql` that has one (DML, SELECT), linted on its own. */
function firstOutcome(sql: string): string | undefined {
  return analyzeDocument(sql, new SchemaModel(), { source: 'case.sql' }).statements.find((st) => st.kind !== 'ddl' && st.outcome && st.outcome !== 'not_applicable' && st.outcome !== 'ok_setting')?.outcome;
}

describe('predictor edge cases', () => {
  before(async () => {
    await loadParser();
  });

  it('does not see a join of subqueries on the distribution column whose equivalence class holds a constant (Citus 13.2.2, probes const-equivalence.sql)', () => {
    const a = '(SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) a';
    const b = '(SELECT tenant_id, sum(amount) AS s FROM orders_nc GROUP BY tenant_id) b';
    const ins = (from: string) => firstMethod(`INSERT INTO tenant_stats (tenant_id, event_count) SELECT a.tenant_id, a.n FROM ${from}`);
    const sel = (from: string) => lastOutcome(analyze(`SELECT count(*) FROM ${from}`));
    // the constant takes the join clause away and no table is planned beside the subqueries: b is planned recursively
    for (const q of [`${a} JOIN ${b} USING (tenant_id) WHERE a.tenant_id = 3`, `${a} JOIN ${b} ON a.tenant_id = b.tenant_id AND b.tenant_id = 3`, `${a} LEFT JOIN ${b} USING (tenant_id) WHERE b.tenant_id = 3`]) {
      assert.equal(ins(q), 'pull_to_coordinator', q);
      assert.equal(sel(q), 'coordinator', q);
    }
    // seen: no constant, an IN list (no equivalence class), the constant inside a subquery, a table planned in the
    // block, an outer join's own ON clause
    for (const q of [`${a} JOIN ${b} USING (tenant_id)`, `${a} JOIN ${b} USING (tenant_id) WHERE a.tenant_id IN (3, 4)`, `(SELECT tenant_id, count(*) AS n FROM events WHERE tenant_id = 3 GROUP BY tenant_id) a JOIN ${b} USING (tenant_id)`, `events a JOIN ${b} USING (tenant_id) WHERE a.tenant_id = 3`, `${a} LEFT JOIN ${b} ON a.tenant_id = b.tenant_id AND b.tenant_id = 3`]) {
      assert.equal(sel(q), 'error', q);
    }
  });

  it("leaves out a LEFT JOIN PostgreSQL removes before Citus sees the relations (Citus 13.2.2, probes join-removal.sql)", () => {
    const sel = (q: string) => lastOutcome(analyze(q));
    const ins = (q: string) => firstMethod(`INSERT INTO tenant_stats (tenant_id, event_count) ${q}`);
    const pinned = (join: string, select = 'count(*)', tail = '') => `SELECT ${select} FROM events e ${join} WHERE e.tenant_id = 3${tail}`;
    // removed: unique for the join's equalities (a key, GROUP BY, DISTINCT ON, UNION, one aggregate row), nothing of
    // it read above the join; a RIGHT JOIN mirrored, USING's merged column (the preserved side's), a join removed
    // after the join above it, a view's join whose columns the query does not read
    for (const j of [
      'LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id',
      'LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id AND r.cnt > 5',
      'LEFT JOIN rollup_8 r ON r.tenant_id = 3',
      'LEFT JOIN session_rollup s ON s.session_key = e.event_type',
      'LEFT JOIN (SELECT tenant_id, count(*) FROM orders_nc GROUP BY tenant_id) o ON o.tenant_id = e.tenant_id',
      'LEFT JOIN (SELECT count(*) AS n FROM orders_nc) o ON true',
      'LEFT JOIN (SELECT tenant_id FROM orders_nc UNION SELECT tenant_id FROM rollup_8) o ON o.tenant_id = e.tenant_id',
      'LEFT JOIN (SELECT DISTINCT ON (tenant_id) tenant_id, user_id FROM events_by_user ORDER BY tenant_id, user_id) u ON u.tenant_id = e.tenant_id',
      'LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id LEFT JOIN rollup_8 r2 ON r2.tenant_id = r.cnt',
    ]) {
      assert.equal(sel(pinned(j)), 'single_shard', j);
    }
    assert.equal(sel('SELECT count(*) FROM rollup_8 r RIGHT JOIN events e ON r.tenant_id = e.tenant_id WHERE e.tenant_id = 3'), 'single_shard');
    assert.equal(sel('SELECT count(*) FROM events e LEFT JOIN rollup_8 r USING (tenant_id) WHERE tenant_id = 3'), 'single_shard');
    assert.equal(sel(pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id', 'e.*')), 'single_shard');
    // a simple subquery of one table is pulled up first, then removed by the table's key (columns renamed, its own
    // `column = constant` quals counting); one that joins two tables is not (Citus 13.2.2, probes union-all-beside-outer-joins.sql)
    for (const j of ['LEFT JOIN (SELECT tenant_id, cnt FROM rollup_8 WHERE cnt > 0) r ON r.tenant_id = e.tenant_id', 'LEFT JOIN (SELECT tenant_id AS t, cnt FROM rollup_8) r ON r.t = e.tenant_id']) {
      assert.equal(sel(pinned(j)), 'single_shard', j);
    }
    assert.equal(sel(pinned('LEFT JOIN (SELECT tenant_id, cnt FROM rollup_8) r ON r.tenant_id = e.tenant_id', 'max(r.cnt)')), 'error');
    assert.equal(sel(pinned('LEFT JOIN (SELECT r8.tenant_id, r8.cnt FROM rollup_8 r8 JOIN ref_tenants t ON t.tenant_id = r8.tenant_id) r ON r.tenant_id = e.tenant_id')), 'error');
    // kept: a column read above the join (target, ORDER BY, whole row, `*`, a sublink, another join's ON), not unique
    // for the equalities (a conversion of the inner column, a grouping finer than the join, UNION ALL, a set-returning
    // target, a table without a key)
    for (const q of [
      pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id', 'count(r.cnt)'),
      pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id', 'e.event_id', ' ORDER BY r.cnt'),
      pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id', 'row_to_json(r)'),
      pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id', '*'),
      pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id', 'count(*)', ' AND r.tenant_id IS NULL'),
      pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id JOIN ref_tenants t ON t.tenant_id = coalesce(r.tenant_id, e.tenant_id)'),
      pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id', 'count(*)', ' AND EXISTS (SELECT 1 FROM ref_tenants x WHERE x.tenant_id = r.tenant_id)'),
      pinned('LEFT JOIN rollup_8 r ON r.tenant_id::bigint = e.tenant_id'),
      pinned('LEFT JOIN (SELECT tenant_id, amount FROM orders_nc GROUP BY tenant_id, amount) o ON o.tenant_id = e.tenant_id'),
      pinned('LEFT JOIN (SELECT tenant_id, generate_series(1, 3) AS g FROM orders_nc GROUP BY tenant_id) o ON o.tenant_id = e.tenant_id'),
      pinned('LEFT JOIN orders_nc o ON o.tenant_id = e.tenant_id'),
    ]) {
      assert.equal(sel(q), 'error', q);
    }
    // a reference table alone once the distributed table is removed: one task, and an INSERT..SELECT of it is pulled
    const refJoin = 'FROM ref_tenants r LEFT JOIN tenant_stats t ON t.tenant_id = r.tenant_id';
    assert.equal(sel(`SELECT r.tenant_id, r.plan ${refJoin}`), 'single_shard');
    assert.equal(sel(`SELECT r.tenant_id, t.event_count ${refJoin}`), 'multi_shard');
    assert.equal(ins(`SELECT r.tenant_id, 0 ${refJoin}`), 'pull_to_coordinator');
    assert.equal(ins(`SELECT r.tenant_id, t.event_count ${refJoin}`), 'repartition');
    // the INSERT's colocation check reads the query tree: refused without a constant, pulled through a router SELECT with one
    assert.equal(ins(pinned('LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id', 'e.tenant_id, count(*)', ' GROUP BY e.tenant_id')), 'pull_to_coordinator');
    assert.equal(ins('SELECT e.tenant_id, count(*) FROM events e LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id GROUP BY e.tenant_id'), 'error');
    // a view's LEFT JOIN
    const view = 'CREATE VIEW ev_with_rollup AS SELECT e.tenant_id, e.event_id, r.cnt FROM events e LEFT JOIN rollup_8 r ON r.tenant_id = e.tenant_id;\n';
    assert.equal(lastOutcome(analyze(`${view}SELECT tenant_id, count(*) FROM ev_with_rollup WHERE tenant_id = 3 GROUP BY tenant_id`)), 'single_shard');
    assert.equal(lastOutcome(analyze(`${view}SELECT tenant_id, max(cnt) FROM ev_with_rollup WHERE tenant_id = 3 GROUP BY tenant_id`)), 'error');
  });

  it('removes the nullable side of a FULL JOIN that a strict qual above makes a LEFT or RIGHT one (Citus 13.2.2, probes generated-outer-joins-*.sql)', () => {
    const sel = (q: string) => lastOutcome(analyze(`SELECT count(*) FROM ${q}`));
    // reduce_outer_joins runs before remove_useless_joins: ref_tenants, unique on tenant_id and unread, goes, and no outer
    // join is left for Citus to plan recursively (hasOuterJoin): pushed down
    for (const q of [
      'events a FULL JOIN ref_tenants b ON a.tenant_id = b.tenant_id JOIN users c ON c.tenant_id = a.tenant_id',
      'ref_tenants a FULL JOIN events b ON a.tenant_id = b.tenant_id WHERE b.tenant_id > 3',
      'ref_tenants a FULL JOIN users b ON a.tenant_id = b.tenant_id JOIN users c ON c.tenant_id = b.tenant_id',
    ]) {
      assert.equal(sel(q), 'multi_shard', q);
    }
    // kept: no strict qual above (a FULL JOIN with a recurring side: the distributed side is planned first), the
    // nullable side's column read above, USING's merged column (it reads both sides)
    for (const q of [
      'events a FULL JOIN ref_tenants b ON a.tenant_id = b.tenant_id',
      'events a FULL JOIN ref_tenants b ON a.tenant_id = b.tenant_id WHERE a.tenant_id > 3 AND b.plan IS NULL',
      'events a FULL JOIN ref_tenants b USING (tenant_id) WHERE tenant_id > 3',
    ]) {
      assert.equal(sel(q), 'coordinator', q);
    }
  });

  it("plans a UNION ALL in FROM recursively when its parent's LEFT JOIN keeps a table (PartitionColumnSelectedForOuterJoin, Citus 13.2.2)", () => {
    const sel = (q: string) => lastOutcome(analyze(`SELECT count(*) FROM ${q}`));
    const u = '(SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users) s';
    // PostgreSQL flattens the UNION ALL into the query: the query's LEFT JOINs are the union's join restrictions, and a
    // preserved table's distribution column is not in the union's target list
    for (const q of [
      `users u LEFT JOIN ${u} ON u.tenant_id = s.tenant_id`,
      `${u} RIGHT JOIN users u ON u.tenant_id = s.tenant_id`,
      `users u JOIN ${u} ON u.tenant_id = s.tenant_id LEFT JOIN events e ON e.tenant_id = u.tenant_id`,
      'users u LEFT JOIN (SELECT tenant_id FROM events GROUP BY tenant_id UNION ALL SELECT tenant_id FROM users) s ON u.tenant_id = s.tenant_id',
    ]) {
      assert.equal(sel(q), 'coordinator', q);
    }
    // pushed down: the union on the preserved side (an appendrel is no relation), an inner join, a UNION that is not
    // flattened, a router query
    for (const q of [`${u} LEFT JOIN users u ON u.tenant_id = s.tenant_id`, `users u RIGHT JOIN ${u} ON u.tenant_id = s.tenant_id`, `users u JOIN ${u} ON u.tenant_id = s.tenant_id`, 'users u LEFT JOIN (SELECT tenant_id FROM events UNION SELECT tenant_id FROM users) s ON u.tenant_id = s.tenant_id WHERE s.tenant_id IS NULL']) {
      assert.equal(sel(q), 'multi_shard', q);
    }
    assert.equal(sel(`users u LEFT JOIN ${u} ON u.tenant_id = s.tenant_id WHERE u.tenant_id = 5`), 'single_shard');
    // a union whose join PostgreSQL removes leaves no restriction to check: not planned, aligned or not
    const removed = 'users u LEFT JOIN (SELECT tenant_id FROM events UNION SELECT user_id FROM users) s ON u.tenant_id = s.tenant_id';
    assert.equal(sel(removed), 'multi_shard');
    assert.equal(sel(`${removed} WHERE s.tenant_id IS NULL`), 'coordinator');
    // an INSERT..SELECT of it is pushed down whole (its own pushdown check)
    assert.equal(firstMethod(`INSERT INTO tenant_stats (tenant_id, event_count) SELECT u.tenant_id, count(*) FROM users u LEFT JOIN ${u} ON u.tenant_id = s.tenant_id GROUP BY 1`), 'pushdown');
  });

  it('routes an UPDATE / DELETE whose set-operation source is pinned through its arms (recurse_push_qual, Citus 13.2.2, probes dml-through-set-operations.sql)', () => {
    const out = (q: string) => lastOutcome(analyze(q));
    const u = (arms: string) => `(SELECT tenant_id FROM ${arms}) s`;
    for (const q of [
      `UPDATE events e SET user_id = 0 FROM ${u('users UNION ALL SELECT tenant_id FROM ref_tenants')} WHERE e.tenant_id = s.tenant_id AND e.tenant_id = 5`,
      `DELETE FROM events e USING ${u('users UNION SELECT tenant_id FROM ref_tenants')} WHERE e.tenant_id = s.tenant_id AND s.tenant_id = 5`,
      `UPDATE events e SET user_id = 0 FROM ${u('ref_tenants UNION ALL SELECT tenant_id FROM users')} WHERE e.tenant_id = s.tenant_id AND e.tenant_id = 5`,
    ]) {
      assert.equal(out(q), 'single_shard', q);
    }
    // a LIMIT on the union keeps the restriction out; an IN list pins no one shard
    for (const q of [
      `UPDATE events e SET user_id = 0 FROM (SELECT tenant_id FROM users UNION ALL SELECT tenant_id FROM ref_tenants LIMIT 3) s WHERE e.tenant_id = s.tenant_id AND e.tenant_id = 5`,
      `UPDATE events e SET user_id = 0 FROM ${u('users UNION ALL SELECT tenant_id FROM ref_tenants')} WHERE e.tenant_id = s.tenant_id AND e.tenant_id IN (5, 6)`,
    ]) {
      assert.equal(out(q), 'coordinator', q);
    }
  });

  it("refuses a reference-table query with a sublink once nextval() keeps the router planner out (DeferErrorIfFromClauseRecurs, Citus 13.2.2, probes nextval-beside-sublinks.sql)", () => {
    const schema = "CREATE TABLE dist_log (id bigint GENERATED BY DEFAULT AS IDENTITY, tenant_id int, n bigint);\nSELECT create_distributed_table('dist_log', 'tenant_id');\n";
    const last = (q: string) => analyze(schema + q).statements.at(-1)!;
    const exists = 'FROM ref_tenants r WHERE EXISTS (SELECT 1 FROM ref_tenants x)';
    // a written nextval(), and the one the INSERT's identity default adds to the fallback's SELECT
    assert.equal(last(`SELECT nextval('event_seq'), r.tenant_id ${exists}`).outcome, 'error');
    const insert = last(`INSERT INTO dist_log (tenant_id, n) SELECT r.tenant_id, 1 ${exists}`);
    assert.equal(insert.prediction.method, 'error');
    assert.match(insert.prediction.reasons.join('\n'), /correlated subqueries are not supported when the FROM clause contains a reference table/);
    // the router planner takes them without nextval(); without a sublink the logical planner runs them
    assert.equal(last(`SELECT random(), r.tenant_id ${exists}`).outcome, 'single_shard');
    assert.equal(last(`INSERT INTO dist_log (id, tenant_id, n) SELECT r.tenant_id, r.tenant_id, 1 ${exists}`).prediction.method, 'pull_to_coordinator');
    assert.equal(last('INSERT INTO dist_log (tenant_id, n) SELECT r.tenant_id, 1 FROM ref_tenants r').prediction.method, 'pull_to_coordinator');
  });

  it('takes any clause between two relations as a join clause, as Citus 13 does (checked on Citus 13.2.2)', () => {
    const sel = (where: string) => analyze(`SET citus.enable_repartition_joins TO on;\nSELECT count(*) FROM events e, orders_nc o, ref_tenants r WHERE ${where}`).statements[1];
    // a reference table joined by an expression: the join order planner broadcasts it (CH-benCHmark's Q7, Q8)
    assert.equal(sel('e.event_id = o.order_id AND r.tenant_id + 0 = e.tenant_id').outcome, 'coordinator');
    // distributed tables joined only by an expression or an inequality: the join order planner's own refusal
    const two = (where: string) => analyze(`SET citus.enable_repartition_joins TO on;\nSELECT count(*) FROM events e, orders_nc o WHERE ${where}`).statements[1];
    for (const w of ['e.event_id + 0 = o.order_id', 'e.event_id < o.order_id']) {
      const s = two(w);
      assert.equal(s.outcome, 'error', w);
      assert.match(s.prediction.reasons[0], /joined on their distribution columns with equal operator/, w);
    }
    // ... unless a reference table joins one of them by a column equality: (o x r) joins e by repartitioning on it
    for (const w of ['e.event_id + 0 = o.order_id AND r.tenant_id = e.tenant_id', 'e.event_id < o.order_id AND r.tenant_id = e.tenant_id']) assert.equal(sel(w).outcome, 'coordinator', w);
  });

  it('keeps a semi-join PostgreSQL makes inner with the join order planner, and repartitions through a reference table (checked on Citus 13.2.2)', () => {
    const sel = (from: string, where: string) => analyze(`SET citus.enable_repartition_joins TO on;\nSELECT count(*) FROM ${from} WHERE ${where}`).statements[1].outcome;
    const eo = 'events e, orders_nc o';
    const join = 'e.event_id = o.order_id';
    // over a reference table's unique key: an inner join, the query repartitions
    assert.equal(sel(eo, `${join} AND e.tenant_id IN (SELECT tenant_id FROM ref_tenants WHERE plan = 'pro')`), 'coordinator');
    assert.equal(sel(eo, `${join} AND EXISTS (SELECT 1 FROM ref_tenants r WHERE r.tenant_id = e.tenant_id)`), 'coordinator');
    // a column that is no key, or an anti-join: a semi-join stays, the subquery pushdown planner refuses it
    assert.equal(sel(eo, `${join} AND e.event_type IN (SELECT category FROM event_types)`), 'error');
    assert.equal(sel(eo, `${join} AND NOT EXISTS (SELECT 1 FROM ref_tenants r WHERE r.tenant_id = e.tenant_id)`), 'error');
    // int = bigint cannot be repartitioned; a reference table joined to one side by one type gives another way
    assert.equal(sel('events e, events_by_user b', 'e.user_id = b.user_id'), 'error');
    assert.equal(sel('events e, events_by_user b, event_types t', 'e.user_id = b.user_id AND t.event_type = e.event_type'), 'coordinator');
    assert.equal(sel('events e, events_by_user b, ref_tenants t', 'e.user_id = b.user_id AND t.tenant_id::bigint = b.user_id'), 'error');
  });

  it('reads a TABLESAMPLE relation like the table itself', () => {
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events TABLESAMPLE SYSTEM (10) GROUP BY tenant_id'), 'pushdown');
  });

  it('treats a psql :variable as a value, so a filter on it pins one shard', () => {
    const sql = "\\set t 5\nINSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE tenant_id = :t GROUP BY tenant_id;";
    assert.equal(firstMethod(sql), 'router');
  });

  it("treats a psql :variable as a value in UPDATE, DELETE and SELECT too, and shows no placeholder for :'value'", () => {
    // (UPDATE and DELETE read the variable as a column, and said every shard: found on Citus 13.2.2, where psql's value
    // pins one shard)
    const text = "\\set t 5\nUPDATE events SET value = 1 WHERE tenant_id = :t;\nDELETE FROM events WHERE tenant_id = :t;\nUPDATE events SET value = 1 WHERE tenant_id = :'t';\nSELECT * FROM events WHERE tenant_id = :'t';";
    const a = analyze(text);
    const top = a.statements.filter((s) => s.parentIndex === undefined);
    assert.deepEqual(top.map((s) => s.outcome), ['single_shard', 'single_shard', 'single_shard', 'single_shard']);
    for (const s of top) assert.ok(!JSON.stringify(s.prediction.reasons).includes('__'), JSON.stringify(s.prediction.reasons));
  });

  it('does not let a FROM subquery see its sibling FROM items (malformed input terminates)', () => {
    const sql = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT s.tenant_id, s.c FROM (SELECT tenant_id, count(*) c FROM events GROUP BY tenant_id) s JOIN (SELECT tenan UNION ALL SELECT 1 t_id FROM users GROUP BY tenant_id) u ON tenant_id = s.tenant_id';
    assert.ok(firstMethod(sql));
  });

  it('folds comparisons of two number literals as PostgreSQL does: a false one prunes every shard', () => {
    const q = (where: string) => firstMethod(`INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE ${where} GROUP BY tenant_id`);
    for (const f of ['0 != 0', '0 <> 0', '1 > 2', '2 <= 1', '1.5 = 2', '1 = 2']) assert.equal(q(f), 'router', f);
    // true, or not decidable without the types: the shards stay
    for (const t of ['0 = 0', '1 < 2', '1.0 = 1', "'01' = 1", "'a' <> 'b'"]) assert.equal(q(t), 'pushdown', t);
  });

  it('treats OFFSET 0 as PostgreSQL does (no Limit node): the rows can still be repartitioned', () => {
    const ddl = "CREATE TABLE d (a int, b int);\nSELECT create_distributed_table('d', 'a');\n";
    assert.equal(firstMethod(`${ddl}INSERT INTO d SELECT * FROM d OFFSET 0 ON CONFLICT DO NOTHING;`), 'repartition');
    assert.equal(firstMethod(`${ddl}INSERT INTO d SELECT * FROM d OFFSET NULL;`), 'repartition');
    assert.equal(firstMethod(`${ddl}INSERT INTO d SELECT * FROM d OFFSET 1;`), 'pull_to_coordinator');
  });

  it('makes a plain table with a foreign key to or from a reference table citus-local, with the tables its keys connect (recorded on Citus 13.2.2)', () => {
    const ddl = [
      'CREATE TABLE dim (a int unique, b int);',
      "SELECT create_reference_table('dim');",
      'CREATE TABLE l1 (a int, b int);',
      'ALTER TABLE l1 ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES dim (a);',
      'CREATE TABLE l2 (a int REFERENCES dim (a), b int);',
      'CREATE TABLE l3 (a int unique, b int);',
      'CREATE TABLE l4 (a int REFERENCES l3 (a), b int);',
      'CREATE TABLE ref (a int, b int);',
      "SELECT create_reference_table('ref');",
      'CREATE TABLE plain (a int, b int);',
      '',
    ].join('\n');
    assert.equal(firstMethod(`${ddl}INSERT INTO l1 SELECT * FROM ref;`), 'router');
    assert.equal(firstMethod(`${ddl}INSERT INTO l1 SELECT * FROM l2;`), 'router');
    assert.equal(firstMethod(`${ddl}INSERT INTO l1 SELECT * FROM plain;`), 'pull_to_coordinator');
    assert.equal(firstMethod(`${ddl}INSERT INTO plain SELECT * FROM l1;`), 'pull_to_coordinator');
    // l3 and l4 are connected: a key from the reference table to l3 converts both
    assert.equal(firstMethod(`${ddl}INSERT INTO l4 SELECT * FROM l3;`), 'not_applicable');
    assert.equal(firstMethod(`${ddl}ALTER TABLE dim ADD FOREIGN KEY (b) REFERENCES l3 (a);\nINSERT INTO l4 SELECT * FROM l3;`), 'router');
    // create_reference_table of a table plain tables reference converts them too (recorded on Citus 13.2.2)
    const cascade = 'CREATE TABLE pk (a bigint PRIMARY KEY);\nCREATE TABLE fk1 (a bigint, b bigint REFERENCES pk (a));\n';
    assert.equal(firstMethod(`${cascade}INSERT INTO fk1 SELECT n, n FROM generate_series(1, 10) n;`), 'not_applicable');
    assert.equal(firstMethod(`${cascade}SELECT create_reference_table('pk');\nINSERT INTO fk1 SELECT n, n FROM generate_series(1, 10) n;`), 'pull_to_coordinator');
    // the conversion is off with citus.enable_local_reference_table_foreign_keys
    assert.equal(firstMethod(`SET citus.enable_local_reference_table_foreign_keys TO false;\n${ddl}INSERT INTO l1 SELECT * FROM ref;`), 'pull_to_coordinator');
  });

  it("takes create_distributed_table's column name as written, as Citus does ('UserID' is the column \"UserID\")", () => {
    const ddl = 'CREATE TABLE "CaseSensitiveTable" ("UserID" int, "Value1" int);\nSELECT create_distributed_table(\'"CaseSensitiveTable"\', \'UserID\');\n';
    assert.equal(firstMethod(`${ddl}INSERT INTO "CaseSensitiveTable" SELECT s, s FROM generate_series(1,10) s;`), 'pull_to_coordinator');
    assert.equal(firstMethod(`${ddl}INSERT INTO "CaseSensitiveTable" SELECT "UserID", "Value1" FROM "CaseSensitiveTable";`), 'pushdown');
  });

  it('pulls, never repartitions, when the SELECT gets a nextval() for an omitted column, whichever check stopped pushdown', () => {
    const ddl = "CREATE TABLE v (id bigserial PRIMARY KEY, description text);\nSELECT create_distributed_table('v', 'id');\n";
    assert.equal(firstMethod(`${ddl}WITH c AS (SELECT * FROM v WHERE description = 'x') INSERT INTO v (description) SELECT description FROM c;`), 'pull_to_coordinator');
    assert.equal(firstMethod(`${ddl}INSERT INTO v (description) SELECT description FROM v OFFSET 0;`), 'pull_to_coordinator');
    assert.equal(firstMethod(`${ddl}INSERT INTO v SELECT * FROM v OFFSET 0;`), 'repartition');
  });

  it('gives a partition declared with `PARTITION OF parent (col, ...)` the parent column types (Citus regression files)', () => {
    const ddl = [
      'CREATE TABLE c (key bigint, ts timestamptz, cid integer, value numeric) PARTITION BY LIST (cid);',
      'CREATE TABLE c_1 PARTITION OF c (key, ts, cid, value NOT NULL) FOR VALUES IN (1);',
      "SELECT create_distributed_table('c', 'key');",
      'CREATE TABLE agg (key bigint, s numeric);',
      "SELECT create_distributed_table('agg', 'key');",
      '',
    ].join('\n');
    assert.equal(firstMethod(`${ddl}INSERT INTO agg SELECT key, sum(key) FROM c_1 GROUP BY key;`), 'pushdown');
  });

  it('makes every new plain table citus-local under citus.use_citus_managed_tables, temporary tables aside', () => {
    const ddl = 'SET citus.use_citus_managed_tables TO true;\nCREATE TABLE s (id int, v float);\nCREATE TEMP TABLE t (id int, v float);\n';
    assert.equal(firstMethod(`${ddl}INSERT INTO s SELECT i, i FROM generate_series(1, 3) i;`), 'pull_to_coordinator');
    assert.equal(firstMethod(`${ddl}INSERT INTO t SELECT i, i FROM generate_series(1, 3) i;`), 'not_applicable');
  });

  it('leaves a table with foreign keys undistributed under citus.shard_replication_factor 2 (Citus refuses it)', () => {
    const ddl = [
      'SET citus.shard_replication_factor TO 2;',
      'CREATE TABLE r2 (id int PRIMARY KEY, value int);',
      "SELECT create_reference_table('r2');",
      'CREATE TABLE r3 (id int PRIMARY KEY, value int);',
      "SELECT create_reference_table('r3');",
      'CREATE TABLE d (id int PRIMARY KEY, value int REFERENCES r2 (id));',
      "SELECT create_distributed_table('d', 'id');",
      '',
    ].join('\n');
    // d stayed the citus-local table its foreign key made it: a router plan, as recorded on Citus 13.2.2
    assert.equal(firstMethod(`${ddl}INSERT INTO d SELECT * FROM r3;`), 'router');
    assert.equal(firstMethod(ddl.replace('TO 2', 'TO 1') + 'INSERT INTO d SELECT * FROM r3;'), 'pull_to_coordinator');
  });

  it('prunes shards through an OR of equalities on the distribution column, as shard_pruning.c does (recorded on Citus 13.2.2, 4 shards)', () => {
    const ddl = "SET citus.shard_count TO 4;\nCREATE TABLE u (user_id int, v int);\nSELECT create_distributed_table('u', 'user_id');\nCREATE TABLE e (user_id int, v int);\nSELECT create_distributed_table('e', 'user_id');\n";
    // 1 and 5 hash to one of the 4 shards, 1 and 2 to two
    assert.equal(firstMethod(`${ddl}INSERT INTO u SELECT * FROM e WHERE e.user_id = 1 OR e.user_id = 5;`), 'router');
    assert.equal(firstMethod(`${ddl}INSERT INTO u SELECT * FROM e WHERE e.user_id = 1 OR e.user_id = 2;`), 'pushdown');
    // an arm on another column keeps every shard
    assert.equal(firstMethod(`${ddl}INSERT INTO u SELECT * FROM e WHERE e.user_id = 1 OR e.v = 5;`), 'pushdown');
    // integer arithmetic on literals is folded before pruning
    assert.equal(firstMethod(`${ddl}INSERT INTO u SELECT * FROM e WHERE e.user_id = 10 - 1;`), 'router');
    assert.equal(firstOutcome(`${ddl}DELETE FROM u WHERE user_id = (2 * 123);`), 'single_shard');
    // a FROM-less IN subquery is pulled up into an equality
    assert.equal(firstMethod(`${ddl}INSERT INTO u SELECT * FROM e WHERE e.user_id IN (SELECT 2);`), 'router');
    const update = analyzeDocument(`${ddl}UPDATE u SET v = 1 WHERE user_id = 1 OR user_id = 5;\nDELETE FROM u WHERE user_id = 1 OR (user_id = 2);`, new SchemaModel(), { source: 'or.sql' });
    const dml = update.statements.filter((s) => s.outcome && s.outcome !== 'ok_setting' && s.outcome !== 'not_applicable');
    assert.deepEqual(dml.map((s) => [s.outcome, s.shardCount]), [['single_shard', 1], ['multi_shard', 2]]);
  });

  it('prunes by AND / OR / NOT trees as shard_pruning.c does: OR arms united, AND-ed ORs not intersected (recorded on Citus 13.2.2, probes and-or-pruning.sql)', () => {
    const counts = (where: string): Array<[string | undefined, number | undefined]> => {
      const doc = analyzeDocument(`${CORPUS_SCHEMA}\nSELECT count(*) FROM events WHERE ${where};\nDELETE FROM events WHERE ${where};`, new SchemaModel(), { source: 'tree.sql' });
      return doc.statements.slice(-2).map((s) => [s.outcome, s.shardCount]);
    };
    const both = (outcome: string, n: number): Array<[string, number]> => [[outcome, n], [outcome, n]];
    // each arm a pruning instance: one shard each, united
    assert.deepEqual(counts('(tenant_id = 1 AND user_id = 3) OR (tenant_id = 2 AND user_id = 4)'), both('multi_shard', 2));
    assert.deepEqual(counts('(tenant_id = 1 AND user_id = 3) OR (tenant_id = 1 AND user_id = 4)'), both('single_shard', 1));
    // an arm that does not restrict the column reads every shard
    assert.deepEqual(counts('(tenant_id = 1 AND user_id = 3) OR user_id = 4'), both('multi_shard', 32));
    // (P OR Q) AND (R OR S) is P OR Q OR R OR S: united, not intersected
    assert.deepEqual(counts('tenant_id IN (1, 2) AND tenant_id IN (2, 3)'), both('multi_shard', 3));
    assert.deepEqual(counts('(tenant_id = 1 OR tenant_id = 2) AND (tenant_id = 2 OR tenant_id = 3)'), both('multi_shard', 3));
    // an OR that never names the column restricts nothing; one that does in one arm only, everything
    assert.deepEqual(counts('tenant_id IN (1, 2) AND (user_id = 11 OR user_id = 22)'), both('multi_shard', 2));
    assert.deepEqual(counts('tenant_id IN (1, 2) AND (tenant_id = 2 OR user_id = 3)'), both('multi_shard', 32));
    // NOT pushed down (negate_clause): two different equalities leave no shard (a router plan of no task)
    assert.deepEqual(counts('NOT (tenant_id <> 2 OR tenant_id <> 3)').map(([o]) => o), ['single_shard', 'single_shard']);
    assert.deepEqual(counts('NOT (tenant_id = 2 OR tenant_id = 3)'), both('multi_shard', 32));
    // a clause every arm of an OR has is a restriction of its own: here a join on the distribution column
    const join = analyze('SELECT count(*) FROM events e, users u WHERE (e.tenant_id = u.tenant_id AND e.user_id = 3) OR (e.tenant_id = u.tenant_id AND u.name = $$x$$);');
    assert.equal(lastOutcome(join), 'multi_shard');
    // an OR over two relations' columns is a join clause: it prunes neither relation
    const orJoin = analyze('SELECT count(*) FROM events e JOIN users u ON e.tenant_id = u.tenant_id WHERE (e.tenant_id = 1 AND u.user_id = 3) OR (e.tenant_id = 2 AND u.name = $$x$$);');
    assert.equal(orJoin.statements.at(-1)?.shardCount, 32);
  });

  it('pulls up a LANGUAGE SQL function PostgreSQL inlines into a constant, in a SELECT and an UPDATE / DELETE (recorded on Citus 13.2.2, probes inlined-sql-functions.sql)', () => {
    const fns = "CREATE FUNCTION add(integer, integer) RETURNS integer AS 'SELECT $1 + $2;' LANGUAGE SQL;\nCREATE FUNCTION add_named(a int, b int) RETURNS int LANGUAGE SQL IMMUTABLE RETURN a + b;\nCREATE FUNCTION add_now(integer) RETURNS integer AS 'SELECT $1 + extract(epoch from now())::int;' LANGUAGE SQL;\n";
    const outcome = (sql: string) => {
      const st = analyze(`${fns}${sql}`).statements.at(-1);
      return [st?.outcome, st?.shardCount];
    };
    assert.deepEqual(outcome('SELECT * FROM events JOIN add(3, 5) s ON tenant_id = s;'), ['single_shard', 1]);
    assert.deepEqual(outcome('SELECT * FROM events JOIN add_named(3, 5) s ON tenant_id = s JOIN users u USING (tenant_id);'), ['single_shard', 1]);
    assert.deepEqual(outcome('DELETE FROM events USING add_named(1, 6) s WHERE events.tenant_id = s;'), ['single_shard', 1]);
    assert.deepEqual(outcome('UPDATE events SET user_id = 0 FROM abs(7) s WHERE tenant_id = s;'), ['single_shard', 1]);
    // a body that does not fold to a constant (now() is STABLE) pins nothing; not router-plannable, a function not
    // declared IMMUTABLE is wrapped and planned first, inlinable or not (the recursive planner sees the query as written)
    assert.equal(outcome('SELECT * FROM events JOIN add_now(3) s ON tenant_id = s;')[0], 'coordinator');
    assert.equal(outcome('SELECT count(*) FROM events JOIN add(3, 5) s ON user_id = s;')[0], 'coordinator');
    assert.deepEqual(outcome('SELECT count(*) FROM events JOIN add_named(3, 5) s ON user_id = s;'), ['multi_shard', 32]);
  });

  it('plans a VALUES of more rows than citus.values_materialization_threshold on its own (recorded on Citus 13.2.2, probes values-threshold.sql)', () => {
    const join = 'SELECT count(*) FROM events e JOIN (VALUES (1, $$a$$), (2, $$b$$), (3, $$c$$)) v(num, l) ON e.tenant_id = v.num;';
    const update = 'UPDATE events SET user_id = 0 FROM (VALUES (1), (2), (3)) v(n) WHERE tenant_id = v.n;';
    const cte = 'WITH c (num) AS (VALUES (1), (2), (3)) SELECT count(*) FROM events WHERE tenant_id IN (SELECT DISTINCT num FROM c);';
    const outcomes = (setting: string) => [join, update, cte].map((q) => lastOutcome(analyze(`${setting}${q}`)));
    assert.deepEqual(outcomes(''), ['multi_shard', 'multi_shard', 'multi_shard']);
    assert.deepEqual(outcomes('SET citus.values_materialization_threshold TO 2;\n'), ['coordinator', 'coordinator', 'coordinator']);
    assert.deepEqual(outcomes('SET citus.values_materialization_threshold TO -1;\n'), ['multi_shard', 'multi_shard', 'multi_shard']);
    assert.equal(firstMethod('SET citus.values_materialization_threshold TO 2;\nINSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN (VALUES (1), (2), (3)) v(num) ON e.tenant_id = v.num GROUP BY 1 ON CONFLICT DO NOTHING;'), 'repartition');
  });

  it('joins through an expression column of a FROM subquery PostgreSQL keeps, with the subquery pushdown planner (recorded on Citus 13.2.2, probes subquery-expression-classes.sql)', () => {
    const t1 = '(SELECT generate_series(1, 10) AS a) t1';
    assert.equal(lastOutcome(analyze(`SELECT count(*) FROM ${t1} JOIN events t2 ON t1.a = t2.tenant_id JOIN users t3 ON t3.tenant_id = t1.a;`)), 'multi_shard');
    assert.equal(lastOutcome(analyze(`SELECT count(*) FROM ${t1} JOIN events t2 ON t1.a = t2.tenant_id WHERE t1.a IN (SELECT tenant_id FROM users t3);`)), 'multi_shard');
    // joined off the distribution column: Citus' refusal, not the join order planner's
    const off = analyze(`SELECT count(*) FROM ${t1} JOIN events t2 ON t1.a = t2.tenant_id JOIN users t3 ON t3.user_id = t1.a;`);
    assert.equal(lastOutcome(off), 'error');
    assert.match(off.findings.find((f) => f.severity === 'error')?.citus?.message ?? '', /complex joins are only supported/);
  });

  it('makes an outer join inner when a strict comparison above it reads its nullable side (reduce_outer_joins; recorded on Citus 13.2.2, probes outer-joins-made-inner.sql)', () => {
    for (const x of ['ref_tenants x', '(VALUES (1), (2)) x(tenant_id)', '(SELECT generate_series(1, 10) AS tenant_id) x']) {
      const q = `SELECT count(*) FROM ${x} RIGHT JOIN events e ON e.tenant_id = x.tenant_id JOIN users u ON u.tenant_id = x.tenant_id;`;
      assert.equal(lastOutcome(analyze(q)), 'multi_shard', q);
    }
    // an inner join inside the nullable side is no qual above the outer join: still joined on e's column
    assert.equal(lastOutcome(analyze('SELECT count(*) FROM ref_tenants x RIGHT JOIN (events e JOIN users u ON u.tenant_id = e.tenant_id) ON e.tenant_id = x.tenant_id;')), 'multi_shard');
    // the comparison reads another column: Citus' refusal stays
    assert.equal(lastOutcome(analyze('SELECT count(*) FROM (SELECT generate_series(1, 10) AS k) x RIGHT JOIN events e ON e.tenant_id = x.k JOIN users u ON u.user_id = x.k;')), 'error');
  });

  it('pins the distribution columns equated to a constant column of a function, VALUES or subquery expression (recorded on Citus 13.2.2, probes constants-through-recurring-columns.sql)', () => {
    for (const a of ['generate_series(1, 10) a(tenant_id)', '(VALUES (1), (3)) a(tenant_id)', '(SELECT generate_series(1, 10) AS tenant_id) a']) {
      for (const j of ['JOIN', 'LEFT JOIN']) {
        const q = `SELECT count(*) FROM ${a} ${j} events b ON a.tenant_id = b.tenant_id WHERE a.tenant_id = 3;`;
        assert.equal(lastOutcome(analyze(q)), 'single_shard', q);
      }
    }
    assert.equal(lastOutcome(analyze('UPDATE events b SET user_id = 0 FROM generate_series(1, 10) a(tenant_id) WHERE a.tenant_id = b.tenant_id AND a.tenant_id = 3;')), 'single_shard');
    // an OR makes no equivalence: b is not restricted
    assert.equal(lastOutcome(analyze('SELECT count(*) FROM generate_series(1, 10) a(tenant_id) JOIN events b ON a.tenant_id = b.tenant_id WHERE a.tenant_id = 3 OR a.tenant_id = 4;')), 'multi_shard');
  });

  it('plans a CTE of UPDATE .. FROM / DELETE .. USING first when PostgreSQL does not inline it and it reads a distributed table (recorded on Citus 13.2.2, probes generated-cte-kinds-1.sql)', () => {
    const grouped = 'SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id';
    assert.equal(lastOutcome(analyze(`WITH c AS MATERIALIZED (${grouped}) UPDATE users u SET name = 'y' FROM c WHERE c.tenant_id = u.tenant_id;`)), 'coordinator');
    assert.equal(lastOutcome(analyze(`WITH c AS MATERIALIZED (${grouped}) DELETE FROM users u USING c WHERE c.tenant_id = u.tenant_id;`)), 'coordinator');
    assert.equal(lastOutcome(analyze(`WITH c AS (${grouped}) UPDATE users u SET name = 'y' FROM c a, c b WHERE a.tenant_id = u.tenant_id AND b.tenant_id = u.tenant_id;`)), 'coordinator');
    // inlined, over reference tables only, or all on one tenant: as before
    assert.equal(lastOutcome(analyze(`WITH c AS (${grouped}) UPDATE users u SET name = 'y' FROM c WHERE c.tenant_id = u.tenant_id;`)), 'multi_shard');
    assert.equal(lastOutcome(analyze("WITH c AS MATERIALIZED (SELECT tenant_id FROM ref_tenants) UPDATE users u SET name = 'y' FROM c WHERE c.tenant_id = u.tenant_id;")), 'multi_shard');
    assert.equal(lastOutcome(analyze("WITH c AS MATERIALIZED (SELECT tenant_id, count(*) AS n FROM events WHERE tenant_id = 5 GROUP BY 1) UPDATE users u SET name = 'y' FROM c WHERE c.tenant_id = u.tenant_id AND u.tenant_id = 5;")), 'single_shard');
    // a constant reaches an inlined CTE through the sublink that reads it (the CTE is that level's subquery)
    assert.deepEqual(
      [`WITH c AS (${grouped}) SELECT count(*) FROM users u WHERE u.tenant_id = 5 AND u.tenant_id IN (SELECT tenant_id FROM c);`].map((q) => lastOutcome(analyze(q))),
      ['single_shard'],
    );
  });

  it('counts the shards of an INSERT .. VALUES by the values its expressions of constants evaluate to (recorded on Citus 13.2.2)', () => {
    const counts = (sql: string) =>
      analyze(sql)
        .statements.filter((st) => st.outcome === 'single_shard' || st.outcome === 'multi_shard')
        .map((st) => [st.outcome, st.shardCount, st.shardCountUpperBound ?? false]);
    // (Citus ran 2, 1 and 1 tasks)
    assert.deepEqual(counts('INSERT INTO events (tenant_id, event_id) VALUES (43, 1), (35 + 1, 2)'), [['multi_shard', 2, false]]);
    assert.deepEqual(counts('INSERT INTO events (tenant_id, event_id) VALUES (35 + 1, 2)'), [['single_shard', 1, false]]);
    assert.deepEqual(counts('INSERT INTO events (tenant_id, event_id) VALUES (40, 1), (40 + 0, 2)'), [['single_shard', 1, false]]);
  });

  it('plans a set operation in FROM whose branch has a LIMIT on the coordinator, never pushes it down (recorded on Citus 13.2.2)', () => {
    const ddl = ['t (a int primary key, b int)', 's1 (a int, b int, c int)', 's2 (a int, b int, c int)']
      .map((t) => `CREATE TABLE ${t};\nSELECT create_distributed_table('${t.split(' ')[0]}', 'a');`)
      .join('\n');
    const q = (from: string) => firstMethod(`${ddl}\nINSERT INTO t SELECT a, b FROM (${from}) AS foo;`);
    assert.equal(q('(SELECT a, b, c FROM s1 LIMIT 5) UNION (SELECT a, b, c FROM s2 LIMIT 5)'), 'pull_to_coordinator');
    assert.equal(q('(SELECT a, b, c FROM s1) UNION ALL (SELECT a, b, c FROM s2 LIMIT 5)'), 'pull_to_coordinator');
    assert.equal(q('(SELECT a, count(*)::int AS b FROM s1 GROUP BY a) UNION (SELECT a, b FROM s2)'), 'pushdown');
    assert.equal(q('(SELECT a, b FROM s1 ORDER BY a) UNION ALL (SELECT a, b FROM s2)'), 'pushdown');
  });

  it('repartitions a UNION of INSERT-level CTEs that are inlined, pulls it when one is MATERIALIZED (recorded on Citus 13.2.2)', () => {
    const ddl = ['t (a int primary key, b int)', 's1 (a int, b int, c int)', 's2 (a int, b int, c int)']
      .map((t) => `CREATE TABLE ${t};\nSELECT create_distributed_table('${t.split(' ')[0]}', 'a');`)
      .join('\n');
    const union = 'INSERT INTO t ((SELECT * FROM c1) UNION (SELECT * FROM c2))';
    assert.equal(firstMethod(`${ddl}\nWITH c1 AS (SELECT a, b FROM s1), c2 AS (SELECT a, b FROM s2) ${union} ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b + 1;`), 'repartition');
    assert.equal(firstMethod(`${ddl}\nWITH c1 AS MATERIALIZED (SELECT a, b FROM s1), c2 AS (SELECT a, b FROM s2) ${union};`), 'pull_to_coordinator');
  });

  it('refuses a join of non-colocated tables whose only clauses compare columns of different types, with repartition joins on or off (recorded on Citus 13.2.2)', () => {
    const ddl = [
      'CREATE TABLE d1 (dist_col integer, int_col integer);',
      "SELECT create_distributed_table('d1', 'dist_col');",
      'CREATE TABLE d3 (dist_col bigint, int_col integer);',
      "SELECT create_distributed_table('d3', 'dist_col');",
      'CREATE TABLE d4 (dist_col integer, int_col integer);',
      "SELECT create_distributed_table('d4', 'dist_col', colocate_with => 'none');",
      '',
    ].join('\n');
    const crossType = 'INSERT INTO d1 SELECT d1.dist_col FROM d1 JOIN d3 USING (dist_col);';
    const sameType = 'INSERT INTO d1 SELECT d1.dist_col FROM d1 JOIN d4 USING (dist_col);';
    const on = 'SET citus.enable_repartition_joins TO on;\n';
    const reason = (sql: string) => analyze(sql).statements.find((st) => st.kind === 'insert_select')?.prediction;
    for (const prefix of ['', on]) {
      assert.equal(firstMethod(`${prefix}${ddl}${crossType}`), 'error');
      assert.ok(reason(`${prefix}${ddl}${crossType}`)?.reasons.some((r) => r.includes('with equal operator')));
    }
    assert.equal(firstMethod(`${ddl}${sameType}`), 'error');
    assert.equal(firstMethod(`${on}${ddl}${sameType}`), 'pull_to_coordinator');
  });

  it('modifies a citus-local table joined with a distributed table through the coordinator, and refuses a materialized view next to it (recorded on Citus 13.2.2)', () => {
    const ddl = [
      'CREATE TABLE cl (key int, value text);',
      "SELECT citus_add_local_table_to_metadata('cl');",
      'CREATE TABLE dist (key int, value text);',
      "SELECT create_distributed_table('dist', 'key');",
      'CREATE MATERIALIZED VIEW mv AS SELECT * FROM cl;',
      '',
    ].join('\n');
    const outcomes = (dml: string) => analyzeDocument(`${ddl}${dml}`, new SchemaModel(), { source: 'cl.sql' }).statements.filter((st) => st.outcome && st.outcome !== 'ok_setting' && st.outcome !== 'not_applicable').map((st) => st.outcome);
    assert.deepEqual(outcomes("UPDATE cl SET value = 'x' FROM dist WHERE dist.key = cl.key;"), ['coordinator']);
    assert.deepEqual(outcomes('DELETE FROM cl USING dist WHERE dist.key = cl.key;'), ['coordinator']);
    assert.deepEqual(outcomes("UPDATE cl SET value = 'x' FROM mv WHERE mv.key = cl.key;"), ['error']);
    assert.deepEqual(outcomes('DELETE FROM mv USING cl WHERE mv.key = cl.key;'), ['error']);
    // next to a distributed table the materialized view is wrapped into a subquery first
    assert.deepEqual(outcomes("UPDATE dist SET value = 'x' FROM mv WHERE mv.key = dist.key;"), ['coordinator']);
    const more = "CREATE TABLE ref (key int, value text);\nSELECT create_reference_table('ref');\nCREATE TABLE plain (key int, value text);\n";
    // with a reference table, either way round, and through an uncorrelated subquery: the coordinator
    assert.deepEqual(outcomes(`${more}UPDATE cl SET value = 'x' FROM ref WHERE ref.key = cl.key;`), ['coordinator']);
    assert.deepEqual(outcomes(`${more}DELETE FROM ref USING cl WHERE cl.key = ref.key;`), ['coordinator']);
    assert.deepEqual(outcomes(`${more}DELETE FROM cl WHERE cl.key IN (SELECT key FROM ref);`), ['coordinator']);
    // a correlated subquery over the distributed table cannot be read first: Citus' refusal stands
    assert.deepEqual(outcomes(`${more}UPDATE cl SET value = 'x' WHERE EXISTS (SELECT 1 FROM dist d WHERE d.key = cl.key);`), ['error']);
    // with plain PostgreSQL tables only, everything is on the coordinator: one router task
    assert.deepEqual(outcomes(`${more}DELETE FROM cl USING plain WHERE plain.key = cl.key;`), ['single_shard']);
    assert.deepEqual(outcomes(`${more}DELETE FROM plain USING cl WHERE plain.key = cl.key;`), ['single_shard']);
  });

  it('routes a MERGE whose ON pins the target to one value to one shard, the source with it unless unmatched rows are inserted (recorded on Citus 13.2.2)', () => {
    const ddl = ['target (customer_id int, order_center text, order_count int)', 'source (customer_id int, order_center text, order_count int)']
      .map((t) => `CREATE TABLE ${t};\nSELECT create_distributed_table('${t.split(' ')[0]}', 'customer_id');`)
      .join('\n');
    const outcome = (merge: string) => firstOutcome(`${ddl}\n${merge}`);
    assert.equal(outcome('MERGE INTO target t USING source s ON (t.customer_id = s.customer_id) AND t.customer_id = 30002 WHEN MATCHED THEN DELETE;'), 'single_shard');
    // SET of the distribution column to the constant ON pins it to changes nothing
    assert.equal(outcome('MERGE INTO target t USING source s ON (t.customer_id = s.customer_id AND t.customer_id = 30000) WHEN MATCHED THEN UPDATE SET customer_id = 30000;'), 'single_shard');
    assert.equal(outcome('MERGE INTO target t USING (SELECT * FROM source) s ON t.customer_id = s.customer_id AND t.customer_id = 3 WHEN MATCHED THEN UPDATE SET order_count = 1 WHEN NOT MATCHED THEN DO NOTHING;'), 'single_shard');
    assert.equal(outcome('MERGE INTO target t USING source s ON t.customer_id = s.customer_id AND t.customer_id = 3 WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.customer_id, s.order_center, s.order_count);'), 'multi_shard');
    // a source pinned by its own WHERE pins the target through ON, unmatched inserts or not
    assert.equal(outcome('MERGE INTO target t USING (SELECT * FROM source WHERE customer_id = 1) s ON t.customer_id = s.customer_id WHEN NOT MATCHED THEN INSERT (customer_id) VALUES (s.customer_id);'), 'single_shard');
  });

  it('refuses composite field assignments, STABLE functions of a column and mutable CASE / COALESCE in modifications of Citus tables (recorded on Citus 13.2.2)', () => {
    const ddl = "CREATE TYPE pair AS (a int, b int);\nCREATE TABLE ex (key int, p pair, value timestamptz, t timestamptz);\nSELECT create_distributed_table('ex', 'key');\n";
    const outcome = (dml: string) => firstOutcome(`${ddl}${dml}`);
    assert.equal(outcome('INSERT INTO ex (key, p.a) VALUES (1, 2);'), 'error');
    assert.equal(outcome('UPDATE ex SET p.a = 2 WHERE key = 1;'), 'error');
    assert.equal(outcome('UPDATE ex SET p = ROW(1, 2) WHERE key = 1;'), 'single_shard');
    assert.equal(outcome("UPDATE ex SET value = COALESCE(now(), timestamptz '2020-01-01') WHERE key = 1;"), 'error');
    assert.equal(outcome("UPDATE ex SET value = (CASE WHEN key > 0 THEN now() ELSE t END) WHERE key = 1;"), 'error');
    assert.equal(outcome("UPDATE ex SET value = COALESCE(t, timestamptz '2020-01-01') WHERE key = 1;"), 'single_shard');
    assert.equal(outcome("DELETE FROM ex WHERE key = 1 AND to_char(t, 'YYYY') = '2020';"), 'error');
    // not every overload of age() is STABLE (age(timestamp, timestamp) is IMMUTABLE): the model says nothing, and Citus accepts this one
    assert.equal(outcome("DELETE FROM ex WHERE key = 1 AND age(t, t) > interval '1 day';"), 'single_shard');
  });

  it('lets UPDATE set the distribution column to a value the WHERE equates it with, and takes hash partitions as able to hold any row (recorded on Citus 13.2.2)', () => {
    const ddl = "CREATE TABLE d1 (a int, b int);\nSELECT create_distributed_table('d1', 'a');\nCREATE TABLE d2 (a int, c int);\nSELECT create_distributed_table('d2', 'a');\n";
    const outcome = (sql: string, schema = ddl) => firstOutcome(`${schema}${sql}`);
    assert.equal(outcome('UPDATE d1 SET a = b WHERE a = b;'), 'multi_shard');
    assert.equal(outcome('UPDATE d1 SET a = d2.a FROM d2 WHERE d1.a = d2.a;'), 'multi_shard');
    assert.equal(outcome('UPDATE d1 SET a = b WHERE a > b;'), 'error');
    const hash = 'CREATE TABLE ph (id int, subid int) PARTITION BY HASH (subid);\nCREATE TABLE ph_0 PARTITION OF ph FOR VALUES WITH (MODULUS 2, REMAINDER 0);\nCREATE TABLE ph_1 PARTITION OF ph FOR VALUES WITH (MODULUS 2, REMAINDER 1);\n';
    assert.equal(outcome('INSERT INTO ph VALUES (1, 2);', hash), 'local');
  });

  it("starts a new session at psql's \\c: settings and search_path return to the cluster's, an open transaction is rolled back", () => {
    const outcome = (sql: string) => analyzeDocument(sql, new SchemaModel(), { source: 'c.sql' }).statements.filter((st) => st.outcome === 'single_shard' || st.outcome === 'multi_shard').map((st) => [st.outcome, st.shardCount]);
    const body = "CREATE TABLE d (a int);\nSELECT create_distributed_table('d', 'a');\nINSERT INTO d VALUES (1), (2), (3), (4), (5), (6), (7);\n";
    assert.deepEqual(outcome(`SET citus.shard_count TO 1;\n${body}`), [['single_shard', 1]]);
    assert.deepEqual(outcome(`SET citus.shard_count TO 1;\n\\c - - - :master_port\n${body}`), [['multi_shard', 6]]);
    // a table created in a transaction the reconnect abandoned is gone
    const gone = analyzeDocument(`BEGIN;\nCREATE TABLE t (a int);\n\\connect\nINSERT INTO t VALUES (1);`, new SchemaModel(), { source: 'c.sql' });
    assert.ok(gone.findings.some((f) => f.rule === 'unknown-table'), JSON.stringify(gone.findings.map((f) => f.rule)));
  });

  it('follows a transaction block a failed statement aborted: nothing after it runs, COMMIT rolls back, ROLLBACK TO a savepoint resumes (checked on Citus 13.2.2)', () => {
    const sql = [
      'CREATE TABLE a (id int, v int);',
      'BEGIN;',
      'CREATE TABLE b (id int);',
      "SELECT create_distributed_table('a', 'nosuch');",
      'CREATE TABLE c (id int);',
      'INSERT INTO a VALUES (1, 1);',
      'COMMIT;',
      'INSERT INTO b VALUES (1);',
      'INSERT INTO c VALUES (1);',
      'BEGIN;',
      'CREATE TABLE d (id int);',
      'SAVEPOINT s;',
      'INSERT INTO a (nosuch) VALUES (1);',
      'ROLLBACK TO SAVEPOINT s;',
      'CREATE TABLE e (id int);',
      'COMMIT;',
      'INSERT INTO d VALUES (1);',
      'INSERT INTO e VALUES (1);',
    ].join('\n');
    const r = analyzeDocument(sql, new SchemaModel(), { source: 'c.sql' });
    const line = (n: number) => r.statements.find((st) => st.parentIndex === undefined && sql.slice(0, st.range.start).split('\n').length === n)!;
    // the failed call aborts the block: the two statements after it are not run
    assert.deepEqual([line(5), line(6)].map((st) => [st.outcome, st.prediction.summary]), [
      ['error', 'not run: an earlier statement of the transaction block failed'],
      ['error', 'not run: an earlier statement of the transaction block failed'],
    ]);
    assert.match(line(6).prediction.reasons[0], /current transaction is aborted/);
    // COMMIT rolled back: b (created before the failure) and c (after it) do not exist
    assert.deepEqual(r.findings.filter((f) => f.rule === 'unknown-table').map((f) => f.message.match(/"(\w+)"/)?.[1]), ['b', 'c']);
    // ROLLBACK TO the savepoint set before the failure: the block goes on, d and e exist after COMMIT
    assert.deepEqual([line(17), line(18)].map((st) => st.outcome), ['local', 'local']);
    // the statements after a failure are not reported one by one
    assert.equal(r.findings.filter((f) => f.severity === 'error').length, 2);
  });

  it('does not take a failure that depends on the rows read for an aborted block', () => {
    const ddl = "CREATE TABLE d (id int NOT NULL, v int);\nSELECT create_distributed_table('d', 'id');\nCREATE TABLE src (v int);\n";
    const r = analyzeDocument(`${ddl}BEGIN;\nINSERT INTO d (v) SELECT v FROM src;\nINSERT INTO d VALUES (1, 1);\nCOMMIT;\n`, new SchemaModel(), { source: 'c.sql' });
    const top = r.statements.filter((st) => st.parentIndex === undefined);
    // (no row in src: the INSERT..SELECT without the distribution column inserts nothing and does not fail)
    assert.equal(top.at(-3)?.prediction.method, 'error');
    assert.equal(top.at(-2)?.outcome, 'single_shard');
  });

  it('plans the data-modifying CTEs the router planner refuses through the coordinator (recorded on Citus 13.2.2)', () => {
    const ddl = "CREATE TABLE t (key int, v int);\nSELECT create_distributed_table('t', 'key');\nCREATE TABLE r (id int);\nSELECT create_reference_table('r');\n";
    const outcome = (sql: string) => firstOutcome(`${ddl}${sql}`);
    assert.equal(outcome('WITH x AS (INSERT INTO t VALUES (1, 1) RETURNING *) INSERT INTO t VALUES (2, 2);'), 'coordinator');
    assert.equal(outcome('WITH x AS (SELECT 1) INSERT INTO t VALUES (1, 1);'), 'single_shard');
    assert.equal(outcome('WITH d AS (DELETE FROM r RETURNING id) DELETE FROM t USING d WHERE t.v = d.id;'), 'coordinator');
    assert.equal(outcome('WITH d AS (DELETE FROM t WHERE key = 1 RETURNING *) UPDATE t SET v = 1 WHERE key = 1;'), 'single_shard');
  });

  it('prunes by what eval_const_expressions folds: functions of literals, COALESCE, CASE, = true, NULL in IN lists; a contradiction or = NULL keeps no shard (probe file constant-folding.sql, recorded on Citus 13.2.2)', () => {
    const ddl = "CREATE TABLE u (user_id int, v int);\nSELECT create_distributed_table('u', 'user_id');\nCREATE TABLE e (user_id int, v int);\nSELECT create_distributed_table('e', 'user_id');\n";
    const shards = (sql: string): [string | undefined, number | undefined] => {
      const st = analyzeDocument(`${ddl}${sql}`, new SchemaModel(), { source: 'f.sql' }).statements.at(-1)!;
      return [st.outcome, st.shardCount];
    };
    for (const filter of ["length('abcde')", "char_length('abcde')", "ascii('A') - 60", 'int4(5)', 'coalesce(NULL, 5)', 'CASE WHEN false THEN 6 WHEN true THEN 5 ELSE 7 END']) {
      assert.deepEqual(shards(`UPDATE u SET v = 1 WHERE user_id = ${filter};`), ['single_shard', 1], filter);
      assert.equal(firstMethod(`${ddl}INSERT INTO u SELECT * FROM e WHERE e.user_id = ${filter};`), 'router', filter);
    }
    assert.deepEqual(shards('UPDATE u SET v = 1 WHERE (user_id = 5) = true;'), ['single_shard', 1]);
    assert.deepEqual(shards('DELETE FROM u WHERE user_id IN (5, NULL);'), ['single_shard', 1]);
    assert.deepEqual(shards('UPDATE u SET v = 1 WHERE user_id = 5 AND user_id = 6;'), ['single_shard', 0]);
    assert.deepEqual(shards('UPDATE u SET v = 1 WHERE user_id = NULL;'), ['single_shard', 0]);
    // a text distribution column: IMMUTABLE text functions of literals fold, concat() is STABLE and does not
    const text = "CREATE TABLE s (k text, d int);\nSELECT create_distributed_table('s', 'k');\n";
    const textShards = (sql: string): [string | undefined, number | undefined] => {
      const st = analyzeDocument(`${text}${sql}`, new SchemaModel(), { source: 't.sql' }).statements.at(-1)!;
      return [st.outcome, st.shardCount];
    };
    for (const filter of ["lower('ABC')", "upper('abc')", "'a' || 'bc'", "btrim('  abc ')", "trim(both 'x' from 'xabcx')", "substr('xabc', 2)", "replace('xbc', 'x', 'a')", "coalesce(NULL, 'abc')"]) {
      assert.deepEqual(textShards(`UPDATE s SET d = 1 WHERE k = ${filter};`), ['single_shard', 1], filter);
    }
    assert.deepEqual(textShards("UPDATE s SET d = 1 WHERE k = concat('a', 'bc');"), ['multi_shard', 32]);
    // the folded values hash as the literal would: lower('ABC') and 'abc' are one shard
    assert.deepEqual(textShards("UPDATE s SET d = 1 WHERE k IN (lower('ABC'), 'abc');"), ['single_shard', 1]);
    // not folded: a cast of the column to another type, a coalesce whose first argument is not a constant
    assert.deepEqual(shards('UPDATE u SET v = 1 WHERE user_id::bigint = 5;'), ['multi_shard', 32]);
    assert.deepEqual(shards('UPDATE u SET v = 1 WHERE user_id = coalesce(v, 5);'), ['multi_shard', 32]);
  });

  it('follows renamed FROM columns (events AS e (tid)) and takes the merged column of FULL JOIN .. USING for an expression (probe file join-forms.sql, recorded on Citus 13.2.2)', () => {
    const ddl = "CREATE TABLE u (user_id int, v int);\nSELECT create_distributed_table('u', 'user_id');\nCREATE TABLE e (user_id int, v int);\nSELECT create_distributed_table('e', 'user_id');\n";
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT x.uid, count(*) FROM e AS x (uid) GROUP BY x.uid;`), 'pushdown');
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT uid, 1 FROM e AS x (uid, w) WHERE w > 0;`), 'pushdown');
    // the old name is gone: PostgreSQL's error
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT user_id, 1 FROM e AS x (uid);`), 'error');
    // FULL JOIN: the merged column is COALESCE(e.user_id, u.user_id); a qualified column is the input's
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT user_id, count(*) FROM e FULL JOIN u USING (user_id) GROUP BY user_id;`), 'pull_to_coordinator');
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT user_id, 1 FROM e FULL JOIN u USING (user_id);`), 'repartition');
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT e.user_id, count(*) FROM e FULL JOIN u USING (user_id) GROUP BY e.user_id;`), 'pushdown');
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT user_id, count(*) FROM e LEFT JOIN u USING (user_id) GROUP BY user_id;`), 'pushdown');
    // a row IN subquery is a semi-join on each column: on the distribution columns it pushes down
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT user_id, count(*) FROM e WHERE (user_id, v) IN (SELECT user_id, v FROM u) GROUP BY user_id;`), 'pushdown');
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT user_id, count(*) FROM e WHERE (user_id, v) IN (SELECT v, user_id FROM u) GROUP BY user_id;`), 'repartition');
    assert.equal(firstMethod(`${ddl}INSERT INTO u (user_id, v) SELECT user_id, count(*) FROM e WHERE (user_id, v) NOT IN (SELECT user_id, v FROM u) GROUP BY user_id;`), 'repartition');
  });

  it('folds what PostgreSQL folds before Citus looks: OR FALSE, a CASE with a constant condition; a generated distribution column is refused (recorded on Citus 13.2.2)', () => {
    const ddl = "CREATE TABLE u (user_id int, v int);\nSELECT create_distributed_table('u', 'user_id');\nCREATE TABLE e (user_id int, v int);\nSELECT create_distributed_table('e', 'user_id');\nCREATE TABLE ex (key int, value timestamptz);\nSELECT create_distributed_table('ex', 'key');\n";
    const outcome = (sql: string, schema = ddl) => firstOutcome(`${schema}${sql}`);
    assert.equal(outcome('UPDATE u SET v = 7 FROM e WHERE u.user_id = e.user_id OR FALSE;'), 'multi_shard');
    assert.equal(outcome("UPDATE ex SET value = CASE WHEN true THEN now() ELSE now() + interval '1 hour' END WHERE key = 1;"), 'single_shard');
    const gen = "CREATE TABLE gen2 (id int, val1 int, val2 int GENERATED ALWAYS AS (val1 + 2) STORED);\nSELECT create_distributed_table('gen2', 'val2');\n";
    assert.equal(outcome('INSERT INTO gen2 (id, val1) VALUES (2, 4), (4, 6);', gen), 'local');
    // a plain target merged from a citus-local source: both on the coordinator, one router task
    const merge = "CREATE TABLE tbl1 (x int);\nCREATE TABLE tbl2 (x int);\nSELECT citus_add_local_table_to_metadata('tbl2');\n";
    assert.equal(outcome('MERGE INTO tbl1 USING tbl2 ON (true) WHEN MATCHED THEN DELETE;', merge), 'single_shard');
  });

  it('plans a CTE read inside a subquery, and a FROM-less subquery with now(), through the coordinator (Citus regression files, recorded on 13.2.2)', () => {
    const ddl = "CREATE TABLE dt (tenant_id int, dept int);\nSELECT create_distributed_table('dt', 'tenant_id');\nCREATE TABLE tv (key int, value text, at timestamptz);\nSELECT create_distributed_table('tv', 'key');\n";
    const outcome = (sql: string) => firstOutcome(`${ddl}${sql}`);
    assert.equal(outcome('WITH ids AS (SELECT tenant_id FROM dt) DELETE FROM dt WHERE tenant_id = ANY (SELECT tenant_id FROM ids);'), 'coordinator');
    assert.equal(outcome("WITH c (num, letter) AS (VALUES (1, 'one'), (2, 'two')) UPDATE tv SET value = '1' WHERE key IN (SELECT num FROM c);"), 'coordinator');
    assert.equal(outcome("UPDATE tv SET value = 'x' WHERE at IN (SELECT now());"), 'coordinator');
    assert.equal(outcome("UPDATE tv SET value = 'x' WHERE key IN (SELECT 1);"), 'single_shard');
  });

  it('reads a boolean setting in every spelling PostgreSQL accepts (true, yes, 1, on and their prefixes)', () => {
    const ddl = 'CREATE TABLE t (x int, y int);\nSELECT create_distributed_table(\'t\', \'x\');\n';
    const join = 'INSERT INTO t (y, x) SELECT a.x, b.y FROM t a JOIN t b USING (y);';
    for (const on of ['true', 'on', "'yes'", '1', 't', "'ye'"]) {
      assert.equal(firstMethod(`${ddl}SET citus.enable_repartition_joins TO ${on};\n${join}`), 'pull_to_coordinator', on);
    }
    for (const off of ['false', 'off', "'no'", '0', "'of'"]) {
      assert.equal(firstMethod(`${ddl}SET citus.enable_repartition_joins TO ${off};\n${join}`), 'error', off);
    }
    // a cluster setting given as `true` (a snapshot or the config) reads the same
    const model = new SchemaModel();
    model.setClusterSetting('citus.enable_repartition_joins', 'true');
    assert.equal(model.settings.get('citus.enable_repartition_joins'), 'on');
  });
});

describe('restrictions PostgreSQL pushes into FROM subqueries', () => {
  before(async () => {
    await loadParser();
  });

  // each statement was run through EXPLAIN on Citus 13.2.2 (task count in the comment)
  const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));

  it('prunes by an outer filter on the output column of a GROUP BY, DISTINCT, DISTINCT ON or window subquery (1 task)', () => {
    for (const sql of [
      'SELECT * FROM (SELECT tenant_id, count(*) FROM events GROUP BY tenant_id) s WHERE tenant_id = 1',
      'SELECT * FROM (SELECT tenant_id, created_at::date AS day, count(*) AS n FROM events GROUP BY 1, 2) s WHERE tenant_id = 1',
      'SELECT * FROM (SELECT DISTINCT tenant_id FROM events) s WHERE tenant_id = 1',
      'SELECT * FROM (SELECT DISTINCT ON (tenant_id) tenant_id, event_id FROM events ORDER BY tenant_id, created_at) s WHERE tenant_id = 1',
      'SELECT * FROM (SELECT tenant_id, count(*) OVER (PARTITION BY tenant_id) FROM events) s WHERE tenant_id = 1',
      'SELECT * FROM (SELECT tenant_id, sum(value) OVER w FROM events WINDOW w AS (PARTITION BY tenant_id)) s WHERE tenant_id = 3',
      'SELECT * FROM (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) s WHERE n > 1 AND tenant_id = 2',
      // through an equivalence class of the outer query, and into a join inside the subquery
      'SELECT s.* FROM (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) s JOIN users u ON u.tenant_id = s.tenant_id WHERE u.tenant_id = 3',
      'SELECT * FROM (SELECT e.tenant_id, count(*) n FROM events e JOIN users u USING (tenant_id) GROUP BY e.tenant_id) s WHERE tenant_id = 1',
      // a CTE PostgreSQL inlines is a subquery like any other
      'WITH s AS (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) SELECT * FROM s WHERE tenant_id = 5',
      'SELECT * FROM users u LEFT JOIN (SELECT tenant_id, count(*) n FROM events GROUP BY 1) s ON s.tenant_id = u.tenant_id WHERE u.tenant_id = 1',
    ]) {
      assert.equal(outcome(sql), 'single_shard', sql);
    }
  });

  it('pushes into every branch of a UNION [ALL] or INTERSECT, not into EXCEPT or past a branch LIMIT', () => {
    for (const sql of [
      'SELECT * FROM (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM page_views) s WHERE tenant_id = 1',
      'SELECT * FROM (SELECT tenant_id FROM events UNION SELECT tenant_id FROM page_views) s WHERE tenant_id = 1',
      'SELECT * FROM (SELECT tenant_id FROM events INTERSECT SELECT tenant_id FROM users) s WHERE tenant_id = 1',
      'SELECT count(*) FROM (SELECT tenant_id, count(*) FROM events GROUP BY 1 UNION ALL SELECT tenant_id, count(*) FROM page_views GROUP BY 1) s WHERE tenant_id = 2',
    ]) {
      assert.equal(outcome(sql), 'single_shard', sql);
    }
    // planned on its own first (1 task each on Citus 13.2.2)
    assert.equal(outcome('SELECT * FROM (SELECT tenant_id FROM events EXCEPT SELECT tenant_id FROM page_views) s WHERE tenant_id = 1'), 'coordinator');
    assert.equal(outcome('SELECT * FROM (SELECT tenant_id FROM events UNION ALL (SELECT tenant_id FROM page_views LIMIT 5)) s WHERE tenant_id = 1'), 'coordinator');
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM (SELECT tenant_id FROM events UNION SELECT tenant_id FROM page_views) u WHERE tenant_id = 1 GROUP BY tenant_id'), 'router');
  });

  it('lets UPDATE and DELETE take the router planner when the pushed restriction pins the subquery to the same shard', () => {
    assert.equal(outcome('DELETE FROM users WHERE tenant_id = 1 AND user_id IN (SELECT user_id FROM (SELECT tenant_id, user_id FROM events GROUP BY 1, 2) s WHERE tenant_id = 1)'), 'single_shard');
    assert.equal(outcome('UPDATE tenant_stats t SET event_count = (SELECT n FROM (SELECT tenant_id, count(*) n FROM events GROUP BY tenant_id) s WHERE s.tenant_id = 3) WHERE t.tenant_id = 3'), 'single_shard');
    // another tenant's shard, a LIMIT, a cast of the column: the subquery is planned first (1 task each)
    assert.equal(outcome('DELETE FROM users WHERE tenant_id = 1 AND user_id IN (SELECT user_id FROM (SELECT tenant_id, user_id FROM events GROUP BY 1, 2) s WHERE tenant_id = 2)'), 'coordinator');
    assert.equal(outcome('DELETE FROM users WHERE tenant_id = 1 AND user_id IN (SELECT user_id FROM (SELECT tenant_id, user_id FROM events GROUP BY 1, 2 LIMIT 5) s WHERE tenant_id = 1)'), 'coordinator');
    assert.equal(outcome('DELETE FROM users WHERE tenant_id = 1 AND user_id IN (SELECT u FROM (SELECT tenant_id::bigint t, user_id u FROM events GROUP BY 1, 2) s WHERE t = 1)'), 'coordinator');
  });

  it('does not push past LIMIT, a window partitioned otherwise, an expression, or a constant-false qual', () => {
    // LIMIT, and a window not partitioned by the column: the subquery is planned on its own (coordinator, 32 tasks)
    assert.equal(outcome('SELECT * FROM (SELECT tenant_id, event_id FROM events LIMIT 10) s WHERE tenant_id = 1'), 'coordinator');
    assert.equal(outcome('SELECT * FROM (SELECT tenant_id, row_number() OVER (PARTITION BY event_type) FROM events) s WHERE tenant_id = 1'), 'coordinator');
    // a cast of the column is not the column: the restriction does not prune (32 tasks)
    assert.equal(outcome('SELECT * FROM (SELECT tenant_id::bigint t, count(*) n FROM events GROUP BY tenant_id) s WHERE t = 1'), 'multi_shard');
    // WHERE .. AND false: the subquery is planned without the restriction (32 tasks)
    assert.equal(outcome('SELECT a.tenant_id FROM (SELECT tenant_id, count(*) FROM events GROUP BY 1) a JOIN events b ON a.tenant_id = b.tenant_id WHERE a.tenant_id = 13 AND false'), 'multi_shard');
  });
});

describe('pruning values PostgreSQL folds', () => {
  before(async () => {
    await loadParser();
  });
  const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));

  // checked on Citus 13.2.2: one task each
  it('reads an array literal in = ANY (..), and NOT (a <> b) as a = b', () => {
    for (const sql of [
      "SELECT * FROM events WHERE tenant_id = ANY ('{11}'::int[])",
      "SELECT * FROM events WHERE tenant_id = ANY ('{\"11\"}'::int[])",
      "SELECT * FROM events WHERE tenant_id = ANY (ARRAY['11']::int[])",
      "UPDATE events SET value = 0 WHERE tenant_id = ANY ('{11}'::int[])",
      'SELECT * FROM events WHERE NOT (tenant_id <> 13)',
      'SELECT * FROM events WHERE NOT (NOT (tenant_id = 15))',
      'DELETE FROM events WHERE NOT (tenant_id <> 13)',
    ]) {
      assert.equal(outcome(sql), 'single_shard', sql);
    }
    // INSERT..SELECT's router pre-check too (1 task)
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE NOT (tenant_id <> 12) GROUP BY tenant_id'), 'router');
    // a NULL element matches nothing: the other values prune (1 task)
    assert.equal(outcome("SELECT * FROM events WHERE tenant_id = ANY ('{11,NULL}'::int[])"), 'single_shard');
  });

  it('plans first a subquery over reference tables with an aggregate and no GROUP BY (RequiresMerge)', () => {
    // 32 tasks after a subplan on Citus 13.2.2; the same without the aggregate or with GROUP BY goes down as is
    assert.equal(outcome('SELECT * FROM events WHERE tenant_id = (SELECT min(tenant_id) FROM ref_tenants)'), 'coordinator');
    assert.equal(outcome('SELECT *, (SELECT count(*) FROM ref_tenants) FROM events'), 'coordinator');
    assert.equal(outcome("SELECT * FROM events WHERE tenant_id IN (SELECT tenant_id FROM ref_tenants WHERE plan = 'pro')"), 'multi_shard');
    assert.equal(outcome('SELECT * FROM events WHERE tenant_id IN (SELECT max(tenant_id) FROM ref_tenants GROUP BY plan)'), 'multi_shard');
  });
});

describe('SELECT statements with data-modifying CTEs, and constants in ON clauses', () => {
  before(async () => {
    await loadParser();
  });
  const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));

  // checked on Citus 13.2.2: one router task when the CTE writes the router query's shard, else the CTE runs first
  it('routes a CTE that writes the shard the rest reads, and runs the others first', () => {
    assert.equal(outcome('WITH upd AS (UPDATE tenant_stats SET event_count = event_count + 1 WHERE tenant_id = 1 RETURNING *) SELECT * FROM upd'), 'single_shard');
    assert.equal(outcome('WITH del AS (DELETE FROM events WHERE tenant_id = 2 RETURNING event_id) SELECT count(*) FROM del JOIN users u ON u.tenant_id = 2'), 'single_shard');
    assert.equal(outcome('WITH upd AS (UPDATE tenant_stats SET event_count = event_count + 1 RETURNING *) SELECT count(*) FROM upd'), 'coordinator');
    assert.equal(outcome('WITH ins AS (INSERT INTO tenant_stats (tenant_id, event_count) VALUES (1, 0) ON CONFLICT (tenant_id) DO NOTHING RETURNING tenant_id) SELECT * FROM ins'), 'coordinator');
    assert.equal(outcome("WITH upd AS (UPDATE ref_tenants SET plan = 'x' WHERE tenant_id = 1 RETURNING *) SELECT * FROM upd"), 'coordinator');
    assert.equal(outcome('WITH upd AS (UPDATE tenant_stats SET event_count = 0 WHERE tenant_id = 1 RETURNING *) SELECT * FROM upd JOIN events e ON e.tenant_id = 2'), 'coordinator');
    // a local table's: plain PostgreSQL
    assert.equal(outcome('WITH upd AS (UPDATE local_config SET val = 1 RETURNING *) SELECT * FROM upd'), 'local');
  });

  it("prunes by an inner join's ON constant, not by an outer join's", () => {
    assert.equal(outcome('SELECT * FROM events e JOIN users u ON u.tenant_id = e.tenant_id AND u.tenant_id = 2'), 'single_shard');
    assert.equal(outcome('SELECT * FROM events e LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.tenant_id = 2'), 'multi_shard');
    assert.equal(outcome('SELECT * FROM events e LEFT JOIN users u ON u.tenant_id = e.tenant_id AND e.tenant_id = 2'), 'multi_shard');
    assert.equal(outcome('SELECT * FROM events e LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.tenant_id = 2 WHERE e.tenant_id = 2'), 'single_shard');
  });

  it('goes with a query that reads no other shard, else it is planned first (Citus 13.2.2)', () => {
    const cte = 'WITH d AS (DELETE FROM events WHERE tenant_id IN (SELECT tenant_id FROM events WHERE tenant_id = 1) RETURNING *) ';
    assert.equal(lastOutcome(analyze(cte + 'SELECT * FROM d')), 'single_shard');
    assert.equal(lastOutcome(analyze(cte + 'SELECT * FROM d JOIN users u USING (tenant_id) WHERE u.tenant_id = 2')), 'coordinator');
  });
});

describe('subqueries of no columns', () => {
  before(async () => {
    await loadParser();
  });
  const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));

  // checked on Citus 13.2.2: EXPLAIN shows the subplan, running the statement fails on the workers
  it('fail when Citus plans them on their own, and run when they go down with the rest', () => {
    for (const sql of ['SELECT EXISTS (SELECT FROM events)', 'SELECT * FROM users u WHERE EXISTS (SELECT FROM events e WHERE e.tenant_id = 1)', 'SELECT count(*) FROM (SELECT FROM events LIMIT 5) s', 'DELETE FROM users u WHERE EXISTS (SELECT FROM events e WHERE e.tenant_id = 2)']) {
      assert.equal(outcome(sql), 'error', sql);
    }
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, 1 FROM users u WHERE EXISTS (SELECT FROM events e WHERE e.tenant_id = 3)'), 'error');
    assert.equal(outcome('SELECT * FROM users u WHERE EXISTS (SELECT FROM events e WHERE e.tenant_id = u.tenant_id)'), 'multi_shard');
    assert.equal(outcome('SELECT * FROM users u WHERE u.tenant_id = 1 AND EXISTS (SELECT FROM events e WHERE e.tenant_id = 1)'), 'single_shard');
    assert.equal(outcome('SELECT count(*) FROM (SELECT FROM events) s'), 'multi_shard');
  });
});

describe('a local target with reference tables in its subqueries', () => {
  before(async () => {
    await loadParser();
  });
  const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));

  // recorded on Citus 13.2.2 by running each (test/fixtures/probes/sql/local-target-reference-subqueries.sql)
  it('fails when PostgreSQL keeps the subqueries as subplans: the one router task runs on a worker without the table', () => {
    for (const sql of [
      'DELETE FROM local_config WHERE tenant_id NOT IN (SELECT tenant_id FROM ref_tenants)',
      'UPDATE local_config SET val = (SELECT count(*) FROM ref_tenants)',
      'UPDATE local_config c SET setting = (SELECT plan FROM ref_tenants r WHERE r.tenant_id = c.tenant_id)',
      "DELETE FROM local_config WHERE EXISTS (SELECT 1 FROM ref_tenants WHERE plan = 'x')",
      'DELETE FROM local_config WHERE val = 1 OR tenant_id IN (SELECT tenant_id FROM ref_tenants)',
    ]) {
      assert.equal(outcome(sql), 'error', sql);
    }
    assert.match(analyze('DELETE FROM local_config WHERE tenant_id NOT IN (SELECT tenant_id FROM ref_tenants)').statements[0].prediction.reasons.join('\n'), /relation "public.local_config" does not exist/);
    // with the reference table read inside a sublink Citus plans first (a LIMIT), the statement stays local: one task
    assert.equal(outcome('UPDATE local_config SET val = 1 WHERE EXISTS (SELECT (SELECT plan FROM ref_tenants LIMIT 1))'), 'single_shard');
  });

  it('plans a subquery PostgreSQL pulls up into a join first, and refuses a correlated one', () => {
    assert.equal(outcome("DELETE FROM local_config WHERE tenant_id IN (SELECT tenant_id FROM ref_tenants WHERE plan = 'x')"), 'coordinator');
    assert.equal(outcome('DELETE FROM local_config c USING ref_tenants r WHERE r.tenant_id = c.tenant_id'), 'coordinator');
    assert.equal(outcome('DELETE FROM local_config WHERE EXISTS (SELECT 1 FROM ref_tenants r WHERE r.tenant_id = local_config.tenant_id)'), 'error');
    assert.equal(outcome('DELETE FROM local_config c WHERE NOT EXISTS (SELECT 1 FROM ref_tenants r WHERE r.tenant_id = c.tenant_id)'), 'error');
    // a distributed table in a subquery is read first, whatever the sublink
    assert.equal(outcome('DELETE FROM local_config WHERE tenant_id NOT IN (SELECT tenant_id FROM users)'), 'coordinator');
  });
});

describe('local tables joined inside a FROM subquery', () => {
  before(async () => {
    await loadParser();
  });

  // checked on Citus 13.2.2: the local table is wrapped into an intermediate result inside the subquery first, so the
  // subquery is no longer one with a local table, stays with the rest, and the SELECT can be repartitioned
  it('repartitions the INSERT..SELECT as it does without the subquery', () => {
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM (SELECT e.tenant_id, e.event_id, c.val FROM events e JOIN local_config c USING (tenant_id)) v GROUP BY tenant_id'), 'repartition');
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM (SELECT e.tenant_id, e.event_id, c.val FROM events e LEFT JOIN local_config c USING (tenant_id)) v GROUP BY tenant_id'), 'repartition');
    // a subquery of local tables only is planned on its own, and the rows come back through the coordinator
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT v.tenant_id, count(*) FROM (SELECT tenant_id, val FROM local_config) v JOIN events e USING (tenant_id) GROUP BY v.tenant_id'), 'pull_to_coordinator');
  });
});

describe('correlated subqueries and recurring FROM clauses', () => {
  before(async () => {
    await loadParser();
  });

  it('pushes down a semi-join from a distributed table to a reference table', () => {
    assert.equal(
      firstMethod("INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE EXISTS (SELECT 1 FROM ref_tenants r WHERE r.tenant_id = events.tenant_id AND r.plan = 'pro') GROUP BY tenant_id"),
      'pushdown',
    );
  });

  it('refuses a correlated subquery over a distributed table under a reference-only FROM', () => {
    const a = analyze('INSERT INTO tenant_stats (tenant_id) SELECT r.tenant_id FROM ref_tenants r WHERE EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = r.tenant_id)');
    const s = a.statements[0];
    assert.equal(s.prediction.method, 'error');
    assert.ok(s.prediction.reasons.some((r) => r.startsWith('ERROR:  correlated subqueries are not supported when the FROM clause contains a reference table')));
  });
});

describe('views', () => {
  before(async () => {
    await loadParser();
  });

  // PostgreSQL expands a view into its query before Citus plans: the view behaves as that subquery
  const VIEWS = `CREATE VIEW recent_events AS SELECT tenant_id, event_type, created_at FROM events WHERE created_at > now() - interval '1 day';
CREATE VIEW per_tenant (tid, n) AS SELECT tenant_id, count(*) FROM events GROUP BY tenant_id;
CREATE VIEW per_type AS SELECT event_type, count(*) AS n FROM events GROUP BY event_type;
CREATE VIEW recent_per_tenant AS SELECT tenant_id, count(*) AS n FROM recent_events GROUP BY tenant_id;
`;
  const schema = (): string => `${CORPUS_SCHEMA}\n${VIEWS}`;

  it('predicts an INSERT..SELECT from a view as from the subquery it stands for', () => {
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM recent_events GROUP BY tenant_id', schema()), 'pushdown');
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tid, n FROM per_tenant', schema()), 'pushdown');
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT r.tenant_id, r.n FROM recent_per_tenant r', schema()), 'pushdown', 'a view over a view');
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT 1, n FROM per_type', schema()), 'pull_to_coordinator');
  });

  it('points findings about the view query at the view name, and raises no local-table warning', () => {
    const sql = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT 1, n FROM per_type';
    const a = analyze(sql, schema());
    const group = a.findings.find((f) => f.rule === 'group-by-without-dist-column');
    assert.ok(group, JSON.stringify(a.findings.map((f) => f.rule)));
    assert.equal(sql.slice(group.range.start, group.range.start + 'per_type'.length), 'per_type');
    assert.ok(!a.findings.some((f) => f.rule === 'local-table-in-select'));
  });

  it('routes a SELECT on a view with a distribution column filter to one shard', () => {
    const a = analyze('SELECT * FROM recent_events WHERE tenant_id = 5', schema());
    assert.equal(lastOutcome(a), 'single_shard');
  });
});

describe('catalog relations', () => {
  before(async () => {
    await loadParser();
  });

  it('reads PostgreSQL and Citus catalogs as local relations, not unknown tables', () => {
    for (const sql of [
      'SELECT * FROM citus_tables',
      "SELECT * FROM citus_shards WHERE table_name = 'events'::regclass",
      'SELECT nodename, count(*) FROM pg_dist_shard_placement GROUP BY nodename',
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      'SELECT relname FROM pg_catalog.pg_class c JOIN events e ON true LIMIT 1',
    ]) {
      const a = analyze(sql);
      assert.deepEqual(a.findings.filter((f) => f.rule === 'unknown-table').map((f) => f.message), [], sql);
    }
    assert.equal(lastOutcome(analyze('SELECT * FROM pg_stat_activity')), 'local');
    assert.ok(analyze('SELECT * FROM unknown_thing').findings.some((f) => f.rule === 'unknown-table'), 'other names are still unknown');
  });

  it('ignores DDL and Citus calls on catalogs instead of modelling them', () => {
    const a = analyze("ALTER TABLE pg_catalog.pg_class ADD COLUMN x int;\nSELECT create_distributed_table('pg_dist_node', 'nodeid');\nCREATE TABLE copy (LIKE pg_class);");
    assert.equal(a.model.get('pg_catalog', 'pg_class'), undefined);
    assert.deepEqual(a.model.get('public', 'copy')?.columns, []);
  });
});

describe('views from a snapshot', () => {
  before(async () => {
    await loadParser();
  });

  it('expands a view known only by its definition text (pg_get_viewdef), and keeps one that does not parse opaque', () => {
    const base = new SchemaModel();
    applyDocumentDdl(base, { source: 'schema.sql', text: CORPUS_SCHEMA });
    const snap = snapshotFromModel(base);
    const col = (name: string, type: string) => ({ name, type, notNull: false, default: null, defaultKind: 'none' as const });
    snap.tables.push(
      { schema: 'public', name: 'recent', kind: 'view', columns: [col('tenant_id', 'integer'), col('created_at', 'timestamp with time zone')], viewDefinition: ' SELECT events.tenant_id,\n    events.created_at\n   FROM events\n  WHERE (events.created_at > (now() - \'1 day\'::interval));' },
      { schema: 'public', name: 'broken', kind: 'view', columns: [col('tenant_id', 'integer')], viewDefinition: 'SELECT FROM WHERE' },
    );
    const loaded = modelFromSnapshot(JSON.parse(JSON.stringify(snap)), 'snapshot.json');
    assert.ok(loaded.ok);
    const method = (sql: string) => analyzeDocument(sql, loaded.model).statements.find((s) => s.kind === 'insert_select')?.prediction.method;
    assert.equal(method('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM recent GROUP BY tenant_id'), 'pushdown');
    assert.equal(method('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM broken GROUP BY tenant_id'), 'pull_to_coordinator');
    assert.equal(snapshotFromModel(loaded.model).tables.find((t) => t.name === 'recent')?.viewDefinition, snap.tables.find((t) => t.name === 'recent')?.viewDefinition, 'round trip');
  });

  it('stops at a damaged parser met while it expands a view (the parser did not load: no internal error of the statement)', () => {
    const base = new SchemaModel();
    applyDocumentDdl(base, { source: 'schema.sql', text: CORPUS_SCHEMA });
    const snap = snapshotFromModel(base);
    const definition = ' SELECT events.tenant_id\n   FROM events -- damaged parser probe';
    snap.tables.push({ schema: 'public', name: 'probe_view', kind: 'view', columns: [{ name: 'tenant_id', type: 'integer', notNull: false, default: null, defaultKind: 'none' }], viewDefinition: definition });
    const loaded = modelFromSnapshot(JSON.parse(JSON.stringify(snap)), 'snapshot.json');
    assert.ok(loaded.ok);
    // the view's text is parsed while the statement is analysed; a parser function V8 cannot compile throws there
    const parser = require('@libpg-query/parser') as { parseSync: (sql: string) => unknown };
    const real = parser.parseSync;
    parser.parseSync = (sql: string) => {
      if (sql.includes('damaged parser probe') && !sql.includes('INSERT')) throw new (globalThis as unknown as { WebAssembly: { CompileError: new (m: string) => Error } }).WebAssembly.CompileError('Compiling function #178 failed');
      return real(sql);
    };
    try {
      assert.throws(() => analyzeDocument('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM probe_view GROUP BY tenant_id;', loaded.model), (e: unknown) => e instanceof ParserLoadError && /did not load: Compiling function #178/.test(e.message));
    } finally {
      parser.parseSync = real;
    }
  });

  it("takes the volatility of the database's own functions from the snapshot", () => {
    const base = new SchemaModel();
    applyDocumentDdl(base, { source: 'schema.sql', text: CORPUS_SCHEMA });
    const sql = 'INSERT INTO events (tenant_id, event_id, value, created_at) SELECT tenant_id, event_id + 1, pick_bucket(), created_at FROM events';
    const method = (model: SchemaModel) => analyzeDocument(sql, model).statements[0].prediction;
    assert.equal(method(base).method, 'pushdown', 'an unknown function is taken as immutable');
    const snap = { ...snapshotFromModel(base), functions: [{ name: 'pick_bucket', volatility: 'volatile' as const }] };
    const loaded = modelFromSnapshot(JSON.parse(JSON.stringify(snap)), 'snapshot.json');
    assert.ok(loaded.ok);
    assert.equal(method(loaded.model).rule, 'volatile-function');
    assert.deepEqual(snapshotFromModel(loaded.model).functions, snap.functions, 'round trip');
  });
});

describe('modifications the router planner refuses, and the defaults of a MERGE INSERT (Citus 13.2.2, probes dml-router-refusals.sql)', () => {
  before(async () => {
    await loadParser();
  });
  /** The outcome and the first line of the ERROR among the reasons of the last statement. */
  const refusal = (sql: string): [string | undefined, string | undefined] => {
    const top = analyze(sql).statements.filter((s) => s.parentIndex === undefined);
    const last = top[top.length - 1];
    return [last?.outcome, last?.prediction.reasons.find((r) => r.startsWith('ERROR:'))?.replace(/^ERROR:\s+/, '').split('\n')[0]];
  };
  const ROUTER = 'router planner does not support queries that reference non-colocated distributed tables';
  const COMPLEX = 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns';
  const SS = "CREATE TABLE ss1 (id int, v int);\nSELECT create_distributed_table('ss1', NULL);\nCREATE TABLE ss2 (id int, v int);\nSELECT create_distributed_table('ss2', NULL, colocate_with => 'none');\n";

  it('names the router planner when the target is pinned to one value', () => {
    assert.deepEqual(refusal('UPDATE tenant_stats t SET event_count = 0 FROM rollup_8 r WHERE r.tenant_id = t.tenant_id AND t.tenant_id = 3'), ['error', ROUTER]);
    assert.deepEqual(refusal('DELETE FROM tenant_stats t USING rollup_8 r WHERE r.tenant_id = t.tenant_id AND t.tenant_id = 3'), ['error', ROUTER]);
    assert.deepEqual(refusal('UPDATE tenant_stats t SET event_count = b.n FROM (SELECT tenant_id, count(*) AS n FROM orders_nc GROUP BY tenant_id) b WHERE b.tenant_id = t.tenant_id AND t.tenant_id = 5'), ['error', ROUTER]);
    assert.deepEqual(refusal('UPDATE tenant_stats t SET event_count = (SELECT n FROM (SELECT tenant_id, count(*) n FROM events GROUP BY tenant_id) s WHERE s.tenant_id = 6) WHERE t.tenant_id = 2'), ['error', ROUTER]);
    // not pinned: the pushdown planner's
    assert.deepEqual(refusal('UPDATE tenant_stats t SET event_count = 0 FROM rollup_8 r WHERE r.tenant_id = t.tenant_id'), ['error', 'cannot push down this subquery']);
  });

  it('refuses a single-shard target with another group as the router planner does, or the join', () => {
    assert.deepEqual(refusal(`${SS}UPDATE ss1 SET v = 0 FROM ss2 WHERE ss2.id = ss1.id`), ['error', ROUTER]);
    assert.deepEqual(refusal(`${SS}UPDATE ss1 SET v = 0 FROM events e WHERE e.tenant_id = ss1.id AND e.tenant_id = 3`), ['error', ROUTER]);
    assert.deepEqual(refusal(`${SS}UPDATE ss1 SET v = 0 FROM events e WHERE e.tenant_id = ss1.id`), ['error', COMPLEX]);
    assert.equal(refusal(`${SS}UPDATE ss1 SET v = (SELECT max(v) FROM ss2)`)[0], 'coordinator');
  });

  it("refuses a reference target's one-shard task that reads a distributed table", () => {
    const one = 'cannot perform select on a distributed table and modify a reference table';
    assert.deepEqual(refusal('UPDATE ref_tenants SET plan = \'x\' FROM events e WHERE e.tenant_id = ref_tenants.tenant_id AND e.tenant_id = 3'), ['error', one]);
    assert.deepEqual(refusal(`${SS}UPDATE ref_tenants SET plan = 'x' FROM ss1 WHERE ss1.id = ref_tenants.tenant_id`), ['error', one]);
    assert.deepEqual(refusal('UPDATE ref_tenants SET plan = \'x\' FROM events e WHERE e.tenant_id = ref_tenants.tenant_id'), ['error', 'only reference tables may be queried when targeting a reference table with multi shard UPDATE/DELETE queries with multiple tables ']);
  });

  it("tells a local target's correlated EXISTS (a join by then) from its subplans", () => {
    assert.deepEqual(refusal('UPDATE local_config t SET val = 1 WHERE EXISTS (SELECT 1 FROM events x WHERE x.tenant_id = t.tenant_id)'), ['error', 'relation local_config is not distributed']);
    assert.deepEqual(refusal('UPDATE local_config t SET val = 1 WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.tenant_id = t.tenant_id)'), ['error', 'relation local_config is not distributed']);
    assert.deepEqual(refusal('UPDATE local_config t SET val = (SELECT count(*) FROM events x WHERE x.tenant_id = t.tenant_id)'), ['error', COMPLEX]);
    assert.deepEqual(refusal('UPDATE local_config t SET val = 1 WHERE t.tenant_id IN (SELECT x.tenant_id FROM events x WHERE x.user_id = t.val)'), ['error', COMPLEX]);
    // a correlated IN keeps a pinned modification from the router planner; a correlated EXISTS does not
    assert.deepEqual(refusal('DELETE FROM tenant_stats t WHERE EXISTS (SELECT 1 FROM rollup_8 x WHERE x.tenant_id = t.tenant_id) AND t.tenant_id = 4'), ['error', ROUTER]);
    assert.deepEqual(refusal('DELETE FROM tenant_stats t WHERE t.tenant_id IN (SELECT x.tenant_id FROM rollup_8 x WHERE x.tenant_id = t.tenant_id) AND t.tenant_id = 4'), ['error', 'cannot push down this subquery']);
  });

  it('says what the rewriter left of a DEFAULT distribution value: nothing in one row, NULL in several', () => {
    assert.deepEqual(refusal('INSERT INTO tenant_stats (tenant_id, event_count) VALUES (DEFAULT, 1)'), ['error', 'cannot perform an INSERT without a partition column value']);
    assert.deepEqual(refusal('INSERT INTO tenant_stats (tenant_id, event_count) VALUES (DEFAULT, 1), (2, 3)'), ['error', 'cannot perform an INSERT with NULL in the partition column']);
  });

  it('names what a MERGE inserts into the distribution column, and a local target', () => {
    const src = 'MERGE INTO tenant_stats d USING (SELECT tenant_id, count(*) AS n FROM events WHERE tenant_id = 4 GROUP BY 1) s ON d.tenant_id = s.tenant_id WHEN NOT MATCHED THEN INSERT (tenant_id, event_count)';
    assert.deepEqual(refusal(`${src} VALUES (s.tenant_id + 1, s.n)`), ['error', 'MERGE INSERT is using unsupported expression type for distribution column']);
    assert.deepEqual(refusal(`${src} VALUES (s.n, s.n)`), ['error', "MERGE INSERT must use the source's joining column for target's distribution column"]);
    assert.deepEqual(refusal('MERGE INTO local_config c USING tenant_stats t ON t.tenant_id = c.tenant_id WHEN MATCHED THEN UPDATE SET val = t.event_count'), ['error', 'MERGE involving repartition of rows is supported only if the target is distributed']);
    assert.deepEqual(refusal('MERGE INTO local_config c USING tenant_stats t ON t.tenant_id = c.tenant_id WHEN MATCHED THEN UPDATE SET val = extract(epoch FROM now())::int'), ['error', 'non-IMMUTABLE functions are not yet supported in MERGE sql with distributed tables']);
  });

  it("refuses a MERGE whose INSERT action leaves a column to a default that is not IMMUTABLE", () => {
    const merge = (insert: string) => `MERGE INTO users u USING events e ON u.tenant_id = e.tenant_id AND u.user_id = e.user_id WHEN NOT MATCHED THEN ${insert}`;
    const mutable = 'non-IMMUTABLE functions are not yet supported in MERGE sql with distributed tables';
    assert.deepEqual(refusal(merge("INSERT (tenant_id, user_id, name) VALUES (e.tenant_id, e.user_id, 'n')")), ['error', mutable]);
    assert.deepEqual(refusal(merge("INSERT VALUES (e.tenant_id, e.user_id, 'n', NULL, DEFAULT)")), ['error', mutable]);
    assert.notEqual(refusal(merge("INSERT (tenant_id, user_id, name, created_at) VALUES (e.tenant_id, e.user_id, 'n', '2026-01-01')"))[0], 'error');
    const counters = "CREATE TABLE counters (tenant_id int PRIMARY KEY, id bigserial, n int);\nSELECT create_distributed_table('counters', 'tenant_id', colocate_with => 'events');\n";
    const src = 'MERGE INTO counters c USING (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) e ON c.tenant_id = e.tenant_id WHEN MATCHED THEN UPDATE SET n = e.n';
    assert.deepEqual(refusal(`${counters}${src} WHEN NOT MATCHED THEN INSERT (tenant_id, n) VALUES (e.tenant_id, e.n)`), ['error', mutable]);
    assert.notEqual(refusal(`${counters}${src}`)[0], 'error');
  });
});

describe('functions in FROM and LATERAL subqueries beside recurring items (Citus 13.2.2, probes lateral-and-srf-rollups.sql)', () => {
  before(async () => {
    await loadParser();
  });
  const ins = (q: string) => firstMethod(`CREATE TABLE item_rollup (tenant_id int, item text, day date, n bigint, PRIMARY KEY (tenant_id, item, day));\nSELECT create_distributed_table('item_rollup', 'tenant_id', colocate_with => 'events');\nINSERT INTO item_rollup (tenant_id, item, day, n) ${q} ON CONFLICT DO NOTHING`);

  it("reads a function's volatility from the overload PostgreSQL chose", () => {
    // unnest and string_to_array are IMMUTABLE, with ORDINALITY too: the function goes down with the query
    assert.equal(ins("SELECT e.tenant_id, t.tag, e.created_at::date, count(*) FROM events e, unnest(string_to_array(e.event_type, ',')) AS t(tag) GROUP BY 1, 2, 3"), 'pushdown');
    assert.equal(ins("SELECT e.tenant_id, t.tag || t.pos, e.created_at::date, count(*) FROM events e, unnest(string_to_array(e.event_type, ',')) WITH ORDINALITY AS t(tag, pos) GROUP BY 1, 2, 3"), 'pushdown');
    // jsonb_to_recordset is STABLE; generate_series of timestamptz too (of dates, PostgreSQL converts them to timestamptz)
    assert.equal(ins("SELECT e.tenant_id, i.sku, e.created_at::date, sum(i.qty) FROM events e, jsonb_to_recordset(e.payload->'items') AS i(sku text, qty int) GROUP BY 1, 2, 3"), 'repartition');
    assert.equal(ins("SELECT e.tenant_id, 'x', d::date, count(*) FROM events e JOIN generate_series('2024-01-01'::timestamptz, '2024-01-07'::timestamptz, interval '1 day') d ON e.created_at >= d GROUP BY 1, 2, 3"), 'repartition');
    assert.equal(ins("SELECT s.tenant_id, 'x', d::date, 0 FROM (SELECT DISTINCT tenant_id FROM events) s CROSS JOIN generate_series('2024-01-01'::date, '2024-01-07'::date, interval '1 day') d"), 'repartition');
    assert.equal(ins("SELECT e.tenant_id, i.value->>'sku', e.created_at::date, count(*) FROM events e, jsonb_array_elements(e.payload->'items') i GROUP BY 1, 2, 3"), 'pushdown');
  });

  it('refuses a LATERAL subquery that needs a merge step and reads a reference table beside it', () => {
    const top = (tail: string) => analyze(`SELECT t.tenant_id, l.* FROM ref_tenants t CROSS JOIN LATERAL (SELECT user_id, count(*) AS n FROM events e WHERE e.tenant_id = t.tenant_id ${tail}) l`).statements[0];
    const limited = top('GROUP BY tenant_id, user_id ORDER BY n DESC LIMIT 3');
    assert.equal(limited.outcome, 'error');
    assert.ok(limited.prediction.reasons.some((r) => r.includes('Limit clause is currently unsupported when a lateral subquery references a column from a reference table (t)')), limited.prediction.reasons.join('\n'));
    const grouped = top('GROUP BY user_id');
    assert.equal(grouped.outcome, 'error');
    assert.ok(grouped.prediction.reasons.some((r) => r.includes('Group by list without partition column is currently unsupported when a lateral subquery references a column from a reference table (t)')));
    // grouped by the distribution column it needs no merge step; correlated to a distributed table the check is not made
    assert.notEqual(top('GROUP BY tenant_id, user_id').outcome, 'error');
    assert.notEqual(lastOutcome(analyze('SELECT u.tenant_id, l.last_seen FROM users u LEFT JOIN LATERAL (SELECT max(created_at) AS last_seen FROM events e WHERE e.tenant_id = u.tenant_id AND e.user_id = u.user_id) l ON true')), 'error');
  });
});

describe('tables colocated with a table the model does not know', () => {
  before(async () => {
    await loadParser();
  });

  // `colocate_with => 'users_table'` of a table defined elsewhere (another file of Citus' multi_schedule; a table made
  // on the cluster): the tables share a group, whose relation to the other groups is unknown (src/core/schema/colocation.ts)
  const SCHEMA = `CREATE TABLE a (user_id int, v int);
SELECT create_distributed_table('a', 'user_id', colocate_with => 'users_table');
CREATE TABLE b (user_id int, v int);
SELECT create_distributed_table('b', 'user_id', colocate_with => 'users_table');
CREATE TABLE c (user_id int, v int);
SELECT create_distributed_table('c', 'user_id', colocate_with => 'other_unknown');
CREATE TABLE k (user_id int, v int);
SELECT create_distributed_table('k', 'user_id');
CREATE TABLE k2 (user_id int, v int);
SELECT create_distributed_table('k2', 'user_id', colocate_with => 'k');
`;
  const last = (sql: string) => {
    const a = analyzeDocument(SCHEMA + sql, new SchemaModel(), { source: 'case.sql' });
    const st = a.statements[a.statements.length - 1];
    const errors = a.findings.filter((f) => f.range.start >= st.range.start && f.severity === 'error');
    return { outcome: st.outcome, method: st.prediction.method, errors: errors.map((f) => f.rule) };
  };

  it('says nothing of a statement that reads them with a table of another group', () => {
    for (const q of ['SELECT * FROM a JOIN k ON k.user_id = a.user_id', 'SELECT * FROM a JOIN c USING (user_id)', 'UPDATE a SET v = 1 FROM k WHERE k.user_id = a.user_id', 'DELETE FROM k WHERE user_id IN (SELECT user_id FROM a)']) {
      const r = last(q);
      assert.equal(r.outcome, undefined, q);
      assert.deepEqual(r.errors, [], q);
    }
    const ins = last('INSERT INTO k (user_id, v) SELECT user_id, v FROM a');
    assert.equal(ins.method, 'not_applicable');
    assert.deepEqual(ins.errors, []);
  });

  it('still predicts them among themselves, and the tables of known groups', () => {
    assert.equal(last('SELECT * FROM a JOIN b USING (user_id)').outcome, 'multi_shard');
    assert.equal(last('SELECT count(*) FROM a').outcome, 'multi_shard');
    assert.equal(last('INSERT INTO b (user_id, v) SELECT user_id, v FROM a').method, 'pushdown');
    assert.equal(last('INSERT INTO k2 (user_id, v) SELECT user_id, v FROM k').method, 'pushdown');
    // tables the model knows: refused as before (a join off the distribution column)
    const refused = last('SELECT * FROM k JOIN k2 ON k.v = k2.v');
    assert.equal(refused.outcome, 'error');
    assert.deepEqual(refused.errors, ['join-not-on-dist-column']);
  });
});

describe('functions in FROM', () => {
  before(async () => {
    await loadParser();
  });

  // recorded on Citus 13.2.2: test/fixtures/probes/sql/functions-in-from.sql
  const FUNCTIONS = `CREATE FUNCTION f_inc(i int) RETURNS int AS $$ BEGIN RETURN i + 1; END $$ LANGUAGE plpgsql;
CREATE FUNCTION f_add(a int, b int) RETURNS int AS 'SELECT $1 + $2' LANGUAGE SQL;
CREATE FUNCTION f_set(n int) RETURNS SETOF int AS $$ BEGIN RETURN QUERY SELECT generate_series(1, n); END $$ LANGUAGE plpgsql;
CREATE FUNCTION f_set_i(n int) RETURNS SETOF int AS $$ BEGIN RETURN QUERY SELECT generate_series(1, n); END $$ LANGUAGE plpgsql IMMUTABLE;
CREATE FUNCTION f_min() RETURNS int STABLE AS 'SELECT min(tenant_id) FROM events' LANGUAGE SQL;
`;
  const sel = (q: string) => lastOutcome(analyze(FUNCTIONS + q));

  it('plans a function that is not IMMUTABLE on its own when the query joins it (WrapFunctionsInSubqueries)', () => {
    for (const q of ['SELECT * FROM events e JOIN f_inc(2) v ON v = e.tenant_id', 'SELECT * FROM events e JOIN f_set(3) v ON v = e.tenant_id', 'SELECT count(*) FROM events e, f_set(3) g', 'SELECT * FROM events e JOIN now() t ON true', 'SELECT * FROM events e JOIN f_set(3) v ON v = e.user_id']) {
      assert.equal(sel(q), 'coordinator', q);
    }
    // IMMUTABLE functions are read like reference tables; LATERAL and WITH ORDINALITY ones are not wrapped; a query that
    // is router-planned, or has one range-table entry, is not recursively planned
    for (const q of ['SELECT * FROM events e JOIN generate_series(1, 3) g ON g = e.tenant_id', 'SELECT * FROM events e JOIN f_set_i(3) v ON v = e.tenant_id', 'SELECT * FROM events e JOIN LATERAL f_set(e.tenant_id) v ON true', 'SELECT * FROM events e JOIN f_set(3) WITH ORDINALITY v(x, o) ON v.x = e.tenant_id']) {
      assert.equal(sel(q), 'multi_shard', q);
    }
    assert.equal(sel('SELECT * FROM events e JOIN f_set(3) v ON v = e.tenant_id WHERE e.tenant_id = 2'), 'single_shard');
    assert.equal(sel('SELECT * FROM f_set(3) v'), 'local');
  });

  it('prunes by an IMMUTABLE scalar function of constants PostgreSQL pulls up, and leaves LANGUAGE SQL functions alone', () => {
    assert.equal(sel('SELECT * FROM events e JOIN abs(5) a ON a = e.tenant_id'), 'single_shard');
    // (PostgreSQL inlines f_add into 2 + 3, a constant: one shard on the cluster; the model does not read the body)
    assert.notEqual(sel('SELECT * FROM events e JOIN f_add(2, 3) v ON v = e.tenant_id'), 'coordinator');
  });

  it('plans a scalar SQL function whose body reads a table on its own, and leaves one PostgreSQL may inline alone (Citus 13.2.2)', () => {
    assert.equal(sel('SELECT * FROM events e JOIN f_min() m ON m = e.tenant_id'), 'coordinator');
    assert.notEqual(sel('SELECT * FROM events e JOIN f_add(2, 3) v ON v = e.tenant_id'), 'coordinator');
  });
});

describe('unions in FROM subqueries', () => {
  before(async () => {
    await loadParser();
  });

  it('joins the leaves of a UNION nested in a leaf of a joined UNION (Citus 13.2.2: probes/sql/nested-unions.sql)', () => {
    const sel = (q: string) => lastOutcome(analyze(q));
    assert.equal(sel('SELECT * FROM (SELECT tenant_id FROM events UNION ALL SELECT * FROM (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM events) bar1) foo JOIN users USING (tenant_id) ORDER BY 1 LIMIT 1'), 'multi_shard');
    assert.equal(sel('SELECT * FROM (SELECT tenant_id FROM events UNION SELECT * FROM (SELECT tenant_id FROM events UNION SELECT tenant_id FROM users) bar1) foo JOIN users USING (tenant_id) ORDER BY 1 LIMIT 1'), 'multi_shard');
    // a nested leaf that does not keep the distribution column: its union is planned on its own
    assert.equal(sel('SELECT * FROM (SELECT tenant_id FROM events UNION ALL SELECT * FROM (SELECT tenant_id FROM events UNION ALL SELECT user_id FROM events) bar1) foo JOIN users USING (tenant_id) ORDER BY 1 LIMIT 1'), 'coordinator');
  });

  it('plans the union on its own when a leaf does not select the preserved side\'s distribution column (Citus 13.2.2)', () => {
    const sel = (leaf: string) => lastOutcome(analyze(`SELECT * FROM (${leaf} UNION SELECT tenant_id FROM users) t1 ORDER BY 1`));
    assert.equal(sel('SELECT users.tenant_id FROM events LEFT JOIN users USING (tenant_id)'), 'coordinator');
    assert.equal(sel('SELECT events.tenant_id FROM events RIGHT JOIN users USING (tenant_id)'), 'coordinator');
    assert.equal(sel('SELECT events.tenant_id FROM events LEFT JOIN users USING (tenant_id)'), 'multi_shard');
    // a WHERE that makes the outer join an inner one (reduce_outer_joins)
    assert.equal(sel('SELECT users.tenant_id FROM events LEFT JOIN users USING (tenant_id) WHERE users.user_id > 0'), 'multi_shard');
  });
});

describe('INSERT-level CTEs: the SELECT wrapped into a subquery (Citus 13.2.2, probes insert-cte-wrapped.sql)', () => {
  before(async () => {
    await loadParser();
  });

  it('takes an ORDER BY or a DISTINCT of the distribution column as the subquery\'s, not a step on the coordinator', () => {
    const recent = "recent AS (SELECT tenant_id, user_id, event_type, created_at FROM events WHERE created_at > now() - interval '1 day')";
    const into = 'INSERT INTO events_by_user (user_id, tenant_id, event_type, created_at)';
    const cols = 'SELECT user_id, tenant_id, event_type, created_at FROM recent';
    // wrapped: repartitioned whether or not the SELECT is ordered
    assert.equal(firstMethod(`WITH ${recent} ${into} ${cols} ORDER BY created_at`), 'repartition');
    assert.equal(firstMethod(`WITH ${recent} ${into} ${cols}`), 'repartition');
    // the WITH inside the SELECT, or no CTE: not wrapped, the ORDER BY runs on the coordinator
    assert.equal(firstMethod(`${into} WITH ${recent} ${cols} ORDER BY created_at`), 'pull_to_coordinator');
    assert.equal(firstMethod(`${into} SELECT user_id, tenant_id, event_type, created_at FROM events ORDER BY created_at`), 'pull_to_coordinator');
    // an INSERT-level CTE of a local table joined in, grouped by the distribution column and ordered
    const cfg = 'WITH cfg AS (SELECT tenant_id, val FROM local_config) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN cfg USING (tenant_id) GROUP BY e.tenant_id';
    assert.equal(firstMethod(`${cfg} ORDER BY 1`), 'repartition');
    // ... but a LIMIT, OFFSET, a grouping by another column or a DISTINCT without the distribution column needs a merge
    assert.equal(firstMethod(`${cfg} ORDER BY 2 DESC LIMIT 10`), 'pull_to_coordinator');
    assert.equal(firstMethod(`WITH ${recent} ${into} ${cols} ORDER BY created_at OFFSET 5`), 'pull_to_coordinator');
    const plans = 'WITH plans AS (SELECT tenant_id, plan FROM ref_tenants)';
    assert.equal(firstMethod(`${plans} INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.user_id, count(*) FROM events e JOIN plans p USING (tenant_id) GROUP BY e.user_id`), 'pull_to_coordinator');
    assert.equal(firstMethod(`${plans} INSERT INTO events_by_user (user_id, tenant_id, event_type) SELECT DISTINCT e.user_id, e.tenant_id, p.plan FROM events e JOIN plans p USING (tenant_id)`), 'repartition');
    assert.equal(firstMethod(`${plans} INSERT INTO events_by_user (user_id, event_type) SELECT DISTINCT e.user_id, p.plan FROM events e JOIN plans p USING (tenant_id)`), 'pull_to_coordinator');
  });
});

describe('UPDATE and DELETE with CTEs nothing refers to (Citus 13.2.2, probes dml-with-ctes-2.sql)', () => {
  before(async () => {
    await loadParser();
  });

  it('routes a pinned modification as if they were not there, and checks a multi-shard one against their tables', () => {
    const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));
    // pinned: whatever the CTE reads, and a CTE only another unreferenced CTE reads
    for (const cte of ['SELECT tenant_id FROM events', 'SELECT tenant_id FROM orders_nc', 'SELECT tenant_id FROM local_config']) {
      assert.equal(outcome(`WITH c AS (${cte}) UPDATE tenant_stats SET event_count = 0 WHERE tenant_id = 3`), 'single_shard', cte);
      assert.equal(outcome(`WITH c AS MATERIALIZED (${cte}) DELETE FROM tenant_stats WHERE tenant_id = 3`), 'single_shard', cte);
    }
    assert.equal(outcome('WITH c AS (SELECT tenant_id FROM events), d AS (SELECT tenant_id FROM c) DELETE FROM tenant_stats WHERE tenant_id = 7'), 'single_shard');
    // multi-shard: a colocated or reference table's CTE goes with the statement; another colocation group's is refused
    assert.equal(outcome('WITH c AS (SELECT tenant_id FROM events) UPDATE tenant_stats SET event_count = 0'), 'multi_shard');
    assert.equal(outcome('WITH c AS (SELECT tenant_id FROM ref_tenants) UPDATE tenant_stats SET event_count = 0'), 'multi_shard');
    const refused = analyze('WITH c AS (SELECT tenant_id FROM orders_nc) UPDATE tenant_stats SET event_count = 0 WHERE tenant_id IN (1, 2)').statements[0];
    assert.equal(refused.outcome, 'error');
    assert.match(refused.prediction.reasons.join('\n'), /cannot push down this subquery\nDETAIL: {2}orders_nc and tenant_stats are not colocated/);
    // a CTE the statement reads is planned with it: grouped by another column, it is planned first (the coordinator)
    assert.equal(outcome('WITH c AS (SELECT user_id, count(*) AS n FROM events GROUP BY user_id) UPDATE tenant_stats t SET event_count = c.n FROM c WHERE c.user_id = t.tenant_id'), 'coordinator');
  });
});

describe('COPY (query) TO: the query planned and run as a statement of its own (checked on Citus 13.2.2)', () => {
  before(async () => {
    await loadParser();
  });

  it('gives the query its outcome and its errors', () => {
    const inner = (query: string) => analyze(`COPY (${query}) TO STDOUT WITH (FORMAT csv);`).statements.find((s) => s.parentIndex !== undefined);
    assert.equal(inner('SELECT tenant_id, count(*) FROM events GROUP BY tenant_id')?.outcome, 'multi_shard');
    assert.equal(inner('SELECT * FROM events WHERE tenant_id = 1')?.outcome, 'single_shard');
    assert.equal(inner('SELECT tenant_id FROM events WHERE user_id = 1 UNION SELECT tenant_id FROM orders_nc')?.outcome, 'coordinator');
    const refused = inner('SELECT count(*) FROM events e JOIN orders_nc o ON o.tenant_id = e.tenant_id GROUP BY e.user_id');
    assert.equal(refused?.outcome, 'error');
    assert.match(refused!.prediction.reasons[0], /the query contains a join that requires repartitioning/);
    const a = analyze('COPY (SELECT nosuch FROM events) TO STDOUT;');
    assert.deepEqual(a.findings.filter((f) => f.severity === 'error').map((f) => f.message), ['column "nosuch" does not exist']);
  });
});

describe('"params" CTEs of constants (Citus 13.2.2, probes params-ctes.sql)', () => {
  before(async () => {
    await loadParser();
  });

  it('pins the distribution column only through a CTE PostgreSQL inlines', () => {
    const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));
    // inlined (read once): joined, or in an IN (SELECT ..), its constant pins the column
    assert.equal(outcome('WITH params AS (SELECT 5 AS tenant) SELECT count(*) FROM events e, params p WHERE e.tenant_id = p.tenant'), 'single_shard');
    assert.equal(outcome('WITH params AS (SELECT 5 AS tenant) SELECT count(*) FROM events WHERE tenant_id IN (SELECT tenant FROM params)'), 'single_shard');
    assert.equal(outcome('WITH params AS (SELECT 5 AS a, 6 AS b) SELECT count(*) FROM events WHERE tenant_id IN (SELECT a FROM params)'), 'single_shard');
    // planned on its own first (MATERIALIZED, or read twice): nothing is pinned
    assert.equal(outcome('WITH params AS MATERIALIZED (SELECT 5 AS tenant) SELECT count(*) FROM events e, params p WHERE e.tenant_id = p.tenant'), 'coordinator');
    assert.equal(outcome('WITH params AS (SELECT 5 AS tenant) SELECT count(*) FROM events e, params p, params q WHERE e.tenant_id = p.tenant AND q.tenant = 5'), 'coordinator');
    assert.equal(outcome('WITH params AS MATERIALIZED (SELECT 5 AS tenant) UPDATE tenant_stats t SET event_count = 0 FROM params p WHERE t.tenant_id = p.tenant'), 'multi_shard');
    // UPDATE / DELETE .. IN (SELECT .. FROM params): one shard, the value hashed
    const del = analyze('WITH params AS (SELECT 5 AS tenant) DELETE FROM tenant_stats WHERE tenant_id IN (SELECT tenant FROM params)').statements[0];
    assert.equal(del.outcome, 'single_shard');
    assert.match(del.prediction.reasons.join('\n'), /single distribution column value: 5/);
    assert.equal(outcome('WITH params AS (SELECT 5 AS tenant) UPDATE tenant_stats SET event_count = 0 WHERE tenant_id IN (SELECT tenant FROM params)'), 'single_shard');
    // NOT MATERIALIZED read twice is inlined
    assert.equal(outcome('WITH params AS NOT MATERIALIZED (SELECT 5 AS tenant) SELECT count(*) FROM events e, params p, params q WHERE e.tenant_id = p.tenant AND q.tenant = 5'), 'single_shard');
  });
});

describe('"params" CTEs at the INSERT\'s level, of one VALUES row, and in arithmetic (Citus 13.2.2, probes params-ctes-4.sql, params-ctes-5.sql)', () => {
  before(async () => {
    await loadParser();
  });

  it('routes an INSERT..SELECT whose INSERT-level CTE constant pins the SELECT, and pins through VALUES, casts and + - *', () => {
    const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));
    const method = (sql: string): string | undefined => analyze(sql).statements.at(-1)?.prediction.method;
    const upsert = ' GROUP BY e.tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = EXCLUDED.event_count';
    // PostgreSQL inlines the INSERT's CTE when it plans the whole INSERT: the router check of the SELECT prunes to one shard
    assert.equal(method(`WITH params AS (SELECT 7 AS tenant) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e, params p WHERE e.tenant_id = p.tenant${upsert}`), 'router');
    assert.equal(method(`WITH params AS (SELECT 7 AS tenant) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e WHERE e.tenant_id IN (SELECT tenant FROM params)${upsert}`), 'router');
    assert.equal(method(`WITH params(tenant) AS (VALUES (7)) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e, params p WHERE e.tenant_id = p.tenant${upsert}`), 'router');
    assert.equal(method(`WITH params AS (SELECT 7 AS tenant) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e, params p WHERE e.tenant_id = p.tenant - 2${upsert}`), 'router');
    // not inlined (MATERIALIZED, read twice), or not pinned: the SELECT with the INSERT's CTE moved into it cannot be
    // pushed down (CTEs in subqueries) and is planned on its own, its rows repartitioned
    assert.equal(method(`WITH params AS MATERIALIZED (SELECT 7 AS tenant) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e, params p WHERE e.tenant_id = p.tenant${upsert}`), 'repartition');
    assert.equal(method(`WITH params AS (SELECT 7 AS tenant) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e, params p, params q WHERE e.tenant_id = p.tenant AND q.tenant = 7${upsert}`), 'repartition');
    assert.equal(method(`WITH params AS (SELECT 7 AS tenant) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e, params p WHERE e.user_id = p.tenant${upsert}`), 'repartition');
    assert.equal(method(`WITH params(tenant) AS (VALUES (7), (8)) INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e, params p WHERE e.tenant_id = p.tenant${upsert}`), 'repartition');
    // SELECTs: a one-row VALUES, folded integer arithmetic, a cast constant
    assert.equal(outcome('WITH params(tenant) AS (VALUES (7)) SELECT count(*) FROM events e, params p WHERE e.tenant_id = p.tenant'), 'single_shard');
    assert.equal(outcome('WITH params(tenant) AS (VALUES (7), (8)) SELECT count(*) FROM events e, params p WHERE e.tenant_id = p.tenant'), 'multi_shard');
    assert.equal(outcome('WITH params AS (SELECT 7 AS tenant) SELECT count(*) FROM events e, params p WHERE e.tenant_id = p.tenant * 2 - 1'), 'single_shard');
    assert.equal(outcome('WITH params AS (SELECT 7 AS tenant), more AS (SELECT 1 AS step) SELECT count(*) FROM events e, params p, more m WHERE e.tenant_id = p.tenant + m.step'), 'single_shard');
    assert.equal(outcome('WITH params AS (SELECT 7::numeric AS tenant) SELECT count(*) FROM events e, params p WHERE e.tenant_id = p.tenant'), 'single_shard');
    assert.equal(outcome('WITH params AS (SELECT 7 AS tenant) SELECT count(*) FROM events e, params p WHERE e.tenant_id = p.tenant + e.user_id'), 'multi_shard');
    assert.equal(outcome('WITH params AS MATERIALIZED (SELECT 7 AS tenant) SELECT count(*) FROM events e, params p WHERE e.tenant_id = p.tenant + 1'), 'coordinator');
    // UPDATE / DELETE through a VALUES CTE and arithmetic
    assert.equal(outcome('WITH params(tenant) AS (VALUES (7)) UPDATE tenant_stats t SET event_count = 0 FROM params p WHERE t.tenant_id = p.tenant'), 'single_shard');
    assert.equal(outcome('WITH params AS (SELECT 7 AS tenant) DELETE FROM daily_rollup d USING params p WHERE d.tenant_id = p.tenant * 3'), 'single_shard');
  });
});

describe('MERGE with CTEs (Citus 13.2.2, probes merge-ctes.sql)', () => {
  before(async () => {
    await loadParser();
  });

  it('repartitions a MERGE whose source subquery reads a CTE, and pushes down one whose source is the CTE', () => {
    const outcome = (sql: string): string | undefined => lastOutcome(analyze(sql));
    assert.equal(outcome('WITH params AS (SELECT 4 AS tenant) MERGE INTO tenant_stats t USING (SELECT e.tenant_id, count(*) AS n FROM events e, params p WHERE e.tenant_id = p.tenant GROUP BY e.tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.n'), 'coordinator');
    assert.equal(outcome('WITH src AS (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) MERGE INTO tenant_stats t USING src s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.n'), 'multi_shard');
  });
});
