/**
 * not-null-column-left-out: an INSERT .. SELECT whose column list leaves out a NOT NULL column without a default, or
 * whose SELECT gives one a NULL constant. Every row it inserts fails (`null value in column .. violates not-null
 * constraint`, an ON CONFLICT upsert too: NOT NULL is checked before the conflict); a SELECT that returns no rows
 * runs. A warning, as the failure needs rows; INSERT .. VALUES rows are errors of insert-null-dist-column. The INSERT
 * action of a MERGE (`WHEN NOT MATCHED THEN INSERT (..) VALUES (..)`) the same way: every source row that matches no
 * target row fails. And `SET col = NULL` of a NOT NULL column in an UPDATE, a MERGE's UPDATE action or an upsert's DO
 * UPDATE: every row it updates fails.
 * docs/rules/not-null-column-left-out.md explains the rule.
 */
import { stripCast, type PgNode } from '../parse/ast';
import { firstLoc } from '../planner/query';
import { nameLength } from '../planner/text';
import { displayName, findColumn, nullWhenLeftOut, type TableModel } from '../schema/model';
import { rowsCheckedTable, type Rule, type RuleContext, type RuleFinding } from './rule';

export const rule: Rule = {
  meta: {
    id: 'not-null-column-left-out',
    summary: 'An INSERT .. SELECT (or a MERGE\'s INSERT action) leaves out a NOT NULL column without a default (or gives it NULL), or an UPDATE sets one to NULL: every row it writes fails.',
    defaultSeverity: 'warning',
    fixable: false,
    citusMessage: 'null value in column "..." of relation "..." violates not-null constraint',
  },
  check(ctx) {
    const ast = ctx.stmt.ast;
    if (ast?.MergeStmt) {
      const inserts = mergeInsert(ctx, ast.MergeStmt);
      if (inserts.length) return inserts;
      const updates = (ast.MergeStmt.mergeWhenClauses ?? []).map((w: PgNode) => w.MergeWhenClause ?? w).filter((c: PgNode) => c.matchKind === 'MERGE_WHEN_MATCHED' && c.commandType === 'CMD_UPDATE');
      return setToNull(ctx, ast.MergeStmt.relation, updates.map((c: PgNode) => c.targetList ?? []), "The MERGE's UPDATE", 'it updates');
    }
    if (ast?.UpdateStmt) return setToNull(ctx, ast.UpdateStmt.relation, [ast.UpdateStmt.targetList ?? []], 'The UPDATE', 'it updates');
    const upsert = ast?.InsertStmt?.onConflictClause?.action === 'ONCONFLICT_UPDATE' ? setToNull(ctx, ast.InsertStmt.relation, [ast.InsertStmt.onConflictClause.targetList ?? []], "The upsert's DO UPDATE", 'that conflicts') : [];
    if (upsert.length) return upsert;
    const insert = ast?.InsertStmt;
    const select = insert?.selectStmt?.SelectStmt;
    const cols: PgNode[] = insert?.cols ?? [];
    // (VALUES rows are insert-null-dist-column's; without a column list the SELECT's width decides, not counted here)
    if (!insert || !select || select.valuesLists || !cols.length) return [];
    const target = rowsCheckedTable(ctx, insert.relation);
    if (!target) return [];
    const names: string[] = cols.map((c) => c.ResTarget?.name);
    // an array element or a field of the column (`tags[1]`, `point.x`) is not the whole column
    if (cols.some((c) => c.ResTarget?.indirection?.length) || names.some((n) => !findColumn(target, n))) return [];
    const given = new Set(names);
    // (the distribution column of a Citus table: Citus refuses the statement first, dist-column-missing and
    // dist-column-null-at-runtime say so)
    const dist = target.distributionColumn;
    const left = target.columns.find((c) => !given.has(c.name) && c.name !== dist && nullWhenLeftOut(c));
    if (left) {
      const range = columnListRange(ctx, cols);
      return [finding(target, left.name, range, `The INSERT .. SELECT leaves out ${displayName(target)}.${left.name}, which is NOT NULL and has no default`)];
    }
    // a NULL constant in the select list, for a NOT NULL column (a simple SELECT whose list the column list matches)
    const items: PgNode[] = select.op && select.op !== 'SETOP_NONE' ? [] : (select.targetList ?? []);
    if (items.length !== names.length || items.some((t) => t.ResTarget?.val?.ColumnRef?.fields?.some((f: PgNode) => f.A_Star))) return [];
    for (const [i, item] of items.entries()) {
      const val = item.ResTarget?.val;
      if (!stripCast(val)?.A_Const?.isnull || names[i] === dist || !findColumn(target, names[i])?.notNull) continue;
      const start = ctx.stmt.toDocumentOffset(stripCast(val)?.A_Const?.location ?? 0);
      return [finding(target, names[i], { start, end: start + 4 }, `The INSERT .. SELECT gives NULL to ${displayName(target)}.${names[i]}, which is NOT NULL`)];
    }
    return [];
  },
};

/** MERGE's `WHEN NOT MATCHED THEN INSERT [(cols)] VALUES (..)`: the columns it leaves out, a NULL it gives. */
function mergeInsert(ctx: RuleContext, merge: PgNode): readonly RuleFinding[] {
  const target = rowsCheckedTable(ctx, merge.relation);
  if (!target) return [];
  const dist = target.distributionColumn;
  for (const w of merge.mergeWhenClauses ?? []) {
    const c = w.MergeWhenClause ?? w;
    if (c.matched || c.commandType !== 'CMD_INSERT') continue;
    const cols: PgNode[] = c.targetList ?? [];
    const values: PgNode[] = c.values ?? [];
    // (INSERT DEFAULT VALUES: no position to point at, and no value to compare; an indirection is not the whole column)
    if (!values.length || cols.some((t) => t.ResTarget?.indirection?.length)) continue;
    const names: string[] = cols.length ? cols.map((t) => t.ResTarget?.name) : target.columns.slice(0, values.length).map((col) => col.name);
    if (names.some((n) => !findColumn(target, n)) || names.length !== values.length) continue;
    const given = new Set(names);
    const left = target.columns.find((col) => !given.has(col.name) && col.name !== dist && nullWhenLeftOut(col));
    if (left) {
      const range = cols.length ? columnListRange(ctx, cols) : valueRange(ctx, values[0]);
      return [finding(target, left.name, range, `The MERGE's INSERT leaves out ${displayName(target)}.${left.name}, which is NOT NULL and has no default`, 'MERGE inserts')];
    }
    for (const [i, val] of values.entries()) {
      if (!stripCast(val)?.A_Const?.isnull || names[i] === dist || !findColumn(target, names[i])?.notNull) continue;
      const start = ctx.stmt.toDocumentOffset(stripCast(val)?.A_Const?.location ?? 0);
      return [finding(target, names[i], { start, end: start + 4 }, `The MERGE's INSERT gives NULL to ${displayName(target)}.${names[i]}, which is NOT NULL`, 'MERGE inserts')];
    }
  }
  return [];
}

/**
 * `SET col = NULL` of an UPDATE, of a MERGE's WHEN MATCHED THEN UPDATE, or of an upsert's DO UPDATE, for a NOT NULL
 * column: every row it updates fails (a statement that updates no row runs). Not the distribution column of a Citus
 * table, whose change Citus refuses first; not an array element or a field of the column.
 */
function setToNull(ctx: RuleContext, rv: PgNode | undefined, lists: PgNode[][], what: string, rows: 'it updates' | 'that conflicts'): readonly RuleFinding[] {
  if (!lists.some((l) => l.length)) return [];
  const target = rowsCheckedTable(ctx, rv);
  if (!target) return [];
  for (const list of lists) {
    for (const t of list) {
      const r = t.ResTarget;
      const val = stripCast(r?.val);
      if (!r?.name || r.indirection?.length || !val?.A_Const?.isnull || r.name === target.distributionColumn) continue;
      if (!findColumn(target, r.name)?.notNull) continue;
      const start = ctx.stmt.toDocumentOffset(val.A_Const.location ?? 0);
      return [finding(target, r.name, { start, end: start + 4 }, `${what} sets ${displayName(target)}.${r.name}, which is NOT NULL, to NULL`, rows)];
    }
  }
  return [];
}

function valueRange(ctx: RuleContext, value: PgNode): RuleFinding['range'] {
  const start = ctx.stmt.toDocumentOffset(firstLoc(value));
  return { start, end: start + 1 };
}

function finding(target: TableModel, column: string, range: RuleFinding['range'], what: string, rows = 'it inserts'): RuleFinding {
  const message = `null value in column "${column}" of relation "${target.name}" violates not-null constraint`;
  const updates = rows === 'it updates' || rows === 'that conflicts';
  return {
    message: `${what}: every row ${rows} fails (${message}).`,
    range,
    explanation: updates
      ? 'PostgreSQL checks NOT NULL on each row it writes, an updated row too, so the statement fails as soon as it updates a row ' +
        '(a statement that updates none runs). Set the column to a value, or drop its NOT NULL if the column may be empty.'
      : 'PostgreSQL fills a column the INSERT leaves out with its default, and without one with NULL; it checks NOT NULL on each row before ' +
        'it inserts it (an ON CONFLICT upsert too), so the statement fails as soon as the SELECT returns a row. Give the column a value, ' +
        'or give the table a default for it.',
    citus: { level: 'ERROR', message },
  };
}

function columnListRange(ctx: RuleContext, cols: PgNode[]): RuleFinding['range'] {
  const first = ctx.stmt.toDocumentOffset(cols[0].ResTarget.location ?? 0);
  const last = cols[cols.length - 1].ResTarget;
  const lastStart = ctx.stmt.toDocumentOffset(last.location ?? 0);
  return { start: first, end: lastStart + nameLength(ctx.stmt.text, lastStart - ctx.stmt.start) };
}
