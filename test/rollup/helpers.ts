/** Shared by the rollup tests: schema models and the structural pushdown checks of a generated script. */
import * as assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analyze';
import { functionName, nameList, walk, type PgNode } from '../../src/core/parse/ast';
import { functionVolatility } from '../../src/core/schema/functions';
import { SchemaModel, type TableModel } from '../../src/core/schema/model';
import { applyDocumentDdl } from '../../src/core/workspace';

export function modelOf(...texts: string[]): SchemaModel {
  const m = new SchemaModel();
  texts.forEach((text, i) => applyDocumentDdl(m, { source: `schema${i}.sql`, text }));
  return m;
}

export const SEQUENCE_SCHEMA = `
CREATE TABLE clicks (
  site_id bigint NOT NULL,
  click_id bigserial,
  url text,
  country varchar(2) NOT NULL,
  latency_ms int,
  amount numeric,
  clicked_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
SELECT create_distributed_table('clicks', 'site_id');
CREATE SCHEMA shop;
CREATE TABLE shop.orders (
  shop_id int NOT NULL,
  order_id bigint GENERATED ALWAYS AS IDENTITY,
  status text NOT NULL,
  total numeric(12,2),
  ordered_on date NOT NULL,
  ordered_at timestamp NOT NULL
);
SELECT create_distributed_table('shop.orders', 'shop_id', shard_count => 8);
`;

/** Asserts what Citus' pushdown of an INSERT..SELECT needs (rules note §3, §12 "static pre-check"). */
export function assertPushdownShape(insert: PgNode, rollup: TableModel, source: TableModel): void {
  const dist = rollup.distributionColumn as string;
  assert.equal(rollup.kind, 'hash', 'the rollup is hash-distributed');
  assert.equal(dist, source.distributionColumn, 'rollup and source share the distribution column name');
  assert.ok(rollup.colocationId !== undefined && rollup.colocationId === source.colocationId, 'rollup co-located with the source');
  const cols: string[] = (insert.cols ?? []).map((c: PgNode) => c.ResTarget.name);
  const pos = cols.indexOf(dist);
  assert.ok(pos >= 0, 'distribution column in the INSERT column list');
  const select = insert.selectStmt.SelectStmt;
  const item = select.targetList[pos].ResTarget.val;
  assert.deepEqual(nameList(item.ColumnRef?.fields), [dist], 'same position in the SELECT is a plain reference to the source distribution column');
  const distType = source.columns.find((c) => c.name === dist)?.type;
  assert.equal(rollup.columns.find((c) => c.name === dist)?.type, distType, 'same type (no coercion)');
  const groupNames = (select.groupClause ?? []).map((g: PgNode) => nameList(g.ColumnRef?.fields).join('.'));
  assert.ok(groupNames.includes(dist), 'GROUP BY includes the distribution column');
  const keys = [...(rollup.primaryKey ? [rollup.primaryKey] : []), ...rollup.uniqueKeys];
  assert.ok(keys.length > 0 && keys.every((k) => k.includes(dist)), 'every unique key includes the distribution column');
  const conflictCols = (insert.onConflictClause?.infer?.indexElems ?? []).map((e: PgNode) => e.IndexElem.name);
  assert.ok(keys.some((k) => k.length === conflictCols.length && k.every((c) => conflictCols.includes(c))), 'ON CONFLICT names a unique key');
  assert.equal(select.limitCount, undefined, 'no LIMIT');
  assert.equal(select.limitOffset, undefined, 'no OFFSET');
  assert.equal(insert.withClause, undefined, 'no INSERT-level CTE');
  walk(insert, (type, fields) => {
    if (type === 'FuncCall') assert.notEqual(functionVolatility(functionName(fields)), 'volatile', `no volatile function (${functionName(fields)})`);
  });
  for (const col of rollup.columns) {
    if (!cols.includes(col.name)) assert.ok(col.defaultKind === 'none', `omitted column ${col.name} has no default`);
  }
  // DO UPDATE SET: functions must be IMMUTABLE, the distribution column is not assigned
  for (const t of insert.onConflictClause?.targetList ?? []) {
    assert.notEqual(t.ResTarget.name, dist, 'DO UPDATE SET leaves the distribution column alone');
    walk(t, (type, fields) => {
      if (type === 'FuncCall') assert.equal(functionVolatility(functionName(fields)), 'immutable', `immutable function in DO UPDATE SET (${functionName(fields)})`);
    });
  }
}

/** Analyses a generated script and checks every INSERT..SELECT in it. */
export function checkScript(script: string, model: SchemaModel, source: TableModel, rollupTable: string): number {
  const a = analyzeDocument(script, model, { source: 'rollup.sql' });
  assert.deepEqual(
    a.findings.map((f) => `${f.rule}: ${f.message}`),
    [],
    'the analysis reports nothing on a generated script',
  );
  const [schema, name] = rollupTable.split('.');
  const rollup = a.model.get(schema, name);
  assert.ok(rollup, `the script creates ${rollupTable}`);
  const inserts = a.statements.filter((s) => s.kind === 'insert_select');
  assert.ok(inserts.length >= 1, 'the script has an INSERT..SELECT');
  for (const s of inserts) {
    assert.equal(s.prediction.method, 'pushdown', `predicted pushdown: ${s.prediction.reasons.join(' / ')}`);
    const stmt = a.parsed.statements[s.index];
    assert.ok(stmt.parentIndex !== undefined, 'the INSERT..SELECT is inside the rollup function');
    assertPushdownShape(stmt.ast!.InsertStmt, rollup, source);
  }
  return inserts.length;
}

