/**
 * check-fails-on-rows: a statement whose rows come from the data writes a constant a CHECK constraint of the table
 * refuses, whatever the row: `UPDATE accounts SET status = 'archive'` where `CHECK (status IN ('active', 'archived'))`,
 * an INSERT .. SELECT's constant, a MERGE's UPDATE or INSERT action, an upsert's DO UPDATE. Every row it writes fails
 * (`new row for relation .. violates check constraint ..`); a statement that writes no row runs, so a warning. The
 * rows of INSERT .. VALUES, refused whatever the data, are errors of insert-null-dist-column.
 *
 * A CHECK is evaluated only when the constants alone decide it (src/core/planner/checkEval.ts: a column the statement
 * does not set to a constant is not known, and a CHECK that reads one is false only when the known part makes it so).
 * docs/rules/check-fails-on-rows.md explains the rule.
 */
import { stripCast, type PgNode } from '../parse/ast';
import { columnValue, evalCheck, type CheckValue } from '../planner/checkEval';
import { StatementPositions } from '../planner/text';
import { displayName, findColumn, type CheckConstraint, type TableModel } from '../schema/model';
import { rowsCheckedTable, type Rule, type RuleContext, type RuleFinding } from './rule';

export const rule: Rule = {
  meta: {
    id: 'check-fails-on-rows',
    summary: 'An UPDATE, INSERT .. SELECT, MERGE or upsert writes a constant a CHECK constraint refuses: every row it writes fails.',
    defaultSeverity: 'warning',
    fixable: false,
    citusMessage: 'new row for relation "..." violates check constraint "..."',
  },
  check(ctx) {
    const ast = ctx.stmt.ast;
    const rv: PgNode | undefined = ast?.UpdateStmt?.relation ?? ast?.MergeStmt?.relation ?? ast?.InsertStmt?.relation;
    // (the table and its CHECKs first: most statements write into a table without any, and cost nothing more)
    const target = rv && (ast?.UpdateStmt || ast?.MergeStmt || ast?.InsertStmt) ? rowsCheckedTable(ctx, rv) : undefined;
    const checks = target ? ctx.model.checksOf(target) : [];
    if (!target || !checks.length) return [];
    const writes: Write[] = [];
    if (ast?.UpdateStmt) writes.push({ items: setItems(ast.UpdateStmt.targetList), what: 'The UPDATE sets', rows: 'it updates' });
    for (const w of ast?.MergeStmt?.mergeWhenClauses ?? []) {
      const c = w.MergeWhenClause ?? w;
      if (c.commandType === 'CMD_UPDATE') writes.push({ items: setItems(c.targetList), what: "The MERGE's UPDATE sets", rows: 'it updates' });
      else if (c.commandType === 'CMD_INSERT' && c.values?.length) writes.push({ items: listItems(c.targetList, c.values), what: "The MERGE's INSERT gives", rows: 'it inserts' });
    }
    const insert = ast?.InsertStmt;
    const select = insert?.selectStmt?.SelectStmt;
    // (an INSERT .. SELECT with a column list, of a plain SELECT; VALUES rows are insert-null-dist-column's errors)
    if (select && !select.valuesLists && (!select.op || select.op === 'SETOP_NONE') && insert.cols?.length) {
      writes.push({ items: listItems(insert.cols, (select.targetList ?? []).map((t: PgNode) => t.ResTarget?.val)), what: 'The INSERT .. SELECT gives', rows: 'it inserts' });
    }
    if (insert?.onConflictClause?.action === 'ONCONFLICT_UPDATE') writes.push({ items: setItems(insert.onConflictClause.targetList), what: "The upsert's DO UPDATE sets", rows: 'that conflicts' });
    return firstFailure(ctx, target, checks, writes);
  },
};

/** What a statement writes: the columns it gives a value, and how to say so. */
interface Write {
  items: { name: string; value: PgNode | undefined }[] | undefined;
  what: string;
  rows: string;
}

/** `SET a = .., b = ..`: undefined when an item is a multi-assignment, an array element or a field (not followed). */
function setItems(targetList: PgNode[] | undefined): Write['items'] {
  const out: { name: string; value: PgNode | undefined }[] = [];
  for (const t of targetList ?? []) {
    const r = t.ResTarget;
    if (!r?.name || r.indirection?.length || r.val?.MultiAssignRef) return undefined;
    out.push({ name: r.name, value: r.val });
  }
  return out;
}

/** A column list and the values given for it, position by position; undefined when they do not pair up. */
function listItems(cols: PgNode[] | undefined, values: (PgNode | undefined)[]): Write['items'] {
  if (!cols?.length || cols.length !== values.length || cols.some((c) => !c.ResTarget?.name || c.ResTarget.indirection?.length)) return undefined;
  return cols.map((c, i) => ({ name: c.ResTarget.name as string, value: values[i] }));
}

/** The first write of `writes` whose constants fail a CHECK of the table: one finding. */
function firstFailure(ctx: RuleContext, target: TableModel, checks: readonly CheckConstraint[], writes: Write[]): readonly RuleFinding[] {
  for (const w of writes) {
    if (!w.items?.length) continue;
    const values = new Map<string, CheckValue | undefined>();
    const nodes = new Map<string, PgNode>();
    for (const { name, value } of w.items) {
      const col = findColumn(target, name);
      const v = stripCast(value);
      // (a constant as its column reads it; a domain's, a collated text's and DEFAULT are not known)
      if (!col || !value || !v?.A_Const || col.domain || col.collated) continue;
      // (NULL is not-null-column-left-out's, or passes the CHECK)
      if (v.A_Const.isnull) continue;
      const known = columnValue(value, col.type);
      if (known === undefined) continue;
      values.set(col.name, known);
      nodes.set(col.name, value);
    }
    if (!values.size) continue;
    const failed = checks.find((k) => evalCheck(k.expr, (n) => values.get(n)) === false);
    if (!failed) continue;
    const at = failed.columns.map((c) => nodes.get(c)).find(Boolean) ?? [...nodes.values()][0];
    const given = failed.columns.filter((c) => values.has(c));
    const message = `new row for relation "${target.name}" violates check constraint "${failed.name}"`;
    const names = given.map((c) => `${displayName(target)}.${c}`).join(', ');
    const value = given.length === 1 ? 'a value' : 'values';
    return [
      {
        message: `${w.what} ${names} ${w.what.endsWith('sets') ? `to ${value}` : value} the CHECK constraint ${failed.name} refuses: every row ${w.rows} fails (${message}).`,
        range: new StatementPositions(ctx.stmt).nodeRange(at),
        explanation:
          'PostgreSQL checks the CHECK constraints on every row it writes, an updated row too; with the constant the statement writes, this one is false whatever the row, so the statement ' +
          'fails as soon as it writes a row (one that writes none runs). A typo in the value, or a value the constraint was not widened for, is the usual cause.',
        citus: { level: 'ERROR', message },
      },
    ];
  }
  return [];
}
