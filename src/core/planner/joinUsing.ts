/**
 * Citus' HasDangerousJoinUsing (multi_router_planner.c): a multi-shard UPDATE / DELETE whose FROM / USING has an
 * unaliased `JOIN .. USING` whose merged column is not a plain column (PostgreSQL's buildMergedJoinVar: a FULL JOIN's
 * is COALESCE(left, right); a LEFT JOIN's is the left column, a RIGHT JOIN's the right one, an inner join's either
 * one, converted to the columns' common type and typmod when it has another) is refused: `a join with USING causes an
 * internal naming conflict, use ON instead`. Only the statement's own join tree is looked at (not its subqueries), and
 * only sides that are tables the model knows: a subquery's or a join's column types are not followed (nothing said).
 */
import { nameList, walk, type PgNode } from '../parse/ast';
import { findColumn, type SchemaModel } from '../schema/model';
import { NO_TYPE, type TypeId } from '../semantic/catalog';
import { selectCommonType } from '../semantic/coerce';
import { typeOfColumnType } from '../semantic/types';
import type { PlannerFinding } from '../rules/rule';
import type { StatementPositions } from './text';

/** A statement text that may hold a join USING (`USING (`) or a NATURAL join: the others need no walk. */
export const USING_JOIN = /\busing\s*\(|\bnatural\b/i;

/** The first such join (its JoinExpr) of a FROM / USING list. */
export function dangerousJoinUsing(items: PgNode[] | undefined, model: SchemaModel, searchPath: readonly string[]): PgNode | undefined {
  for (const item of items ?? []) {
    const found = inJoin(item, model, searchPath);
    if (found) return found;
  }
  return undefined;
}

function inJoin(node: PgNode | undefined, model: SchemaModel, searchPath: readonly string[]): PgNode | undefined {
  const j = node?.JoinExpr;
  if (!j) return undefined;
  if (!j.alias && usingNames(j, model, searchPath).length && mergedNotPlain(j, model, searchPath)) return node;
  return inJoin(j.larg, model, searchPath) ?? inJoin(j.rarg, model, searchPath);
}

const sideTable = (side: PgNode | undefined, model: SchemaModel, searchPath: readonly string[]) => (side?.RangeVar ? model.resolve(side.RangeVar.schemaname, side.RangeVar.relname, searchPath) : undefined);

/**
 * The columns a join merges: its USING list, or a NATURAL join's common columns (PostgreSQL fills the USING list with
 * them; only between two tables the model knows).
 */
function usingNames(j: PgNode, model: SchemaModel, searchPath: readonly string[]): string[] {
  if (!j.isNatural) return nameList(j.usingClause);
  const left = sideTable(j.larg, model, searchPath);
  const right = sideTable(j.rarg, model, searchPath);
  if (!left || !right || left.columnsIncomplete || right.columnsIncomplete) return [];
  return left.columns.map((c) => c.name).filter((n) => !!findColumn(right, n));
}

function mergedNotPlain(j: PgNode, model: SchemaModel, searchPath: readonly string[]): boolean {
  if (j.jointype === 'JOIN_FULL') return true;
  const left = sideTable(j.larg, model, searchPath);
  const right = sideTable(j.rarg, model, searchPath);
  if (!left || !right) return false;
  for (const name of usingNames(j, model, searchPath)) {
    const l = columnType(findColumn(left, name)?.type);
    const r = columnType(findColumn(right, name)?.type);
    if (!l || !r) continue;
    if (l.type === r.type && l.typmod === r.typmod) continue;
    const common = l.type === r.type ? { type: l.type } : selectCommonType([l.type, r.type], 'JOIN/USING');
    if ('error' in common || common.type === NO_TYPE) continue;
    // (select_common_typmod gives no typmod to inputs of different types or typmods: a side with one is relabelled)
    const converted = (c: { type: TypeId; typmod: string }): boolean => c.type !== common.type || c.typmod !== '';
    if (j.jointype === 'JOIN_LEFT' ? converted(l) : j.jointype === 'JOIN_RIGHT' ? converted(r) : converted(l) && converted(r)) return true;
  }
  return false;
}

/** A column type as a catalog type and its typmod text (`character varying(5)`: varchar, `(5)`); undefined when unknown. */
function columnType(canonical: string | undefined): { type: TypeId; typmod: string } | undefined {
  const m = /^([^()[\]]+?)(\([^()]*\))?$/.exec(canonical ?? '');
  if (!m) return undefined;
  const type = typeOfColumnType(m[1]);
  return type === NO_TYPE ? undefined : { type, typmod: m[2] ?? '' };
}

/** A column reference that Citus' deparsed query names `<column>_1` (see renamedUsingColumn). */
export interface RenamedColumn {
  /** the ColumnRef node */
  ref: PgNode;
  qualifier: string;
  column: string;
}

/**
 * PostgreSQL's ruleutils, which Citus deparses the shard queries with, makes every USING column name unique across a
 * query level that has such a join (has_dangerous_join_using, set_using_names): a column of that name of another table
 * of the level is named `<name>_1`, with a column alias list that the shard query's table loses. The shard refuses it:
 * `column d.tenant_id_1 does not exist` (checked on Citus 13.2.2: SELECTs router and multi-shard, INSERT..SELECTs
 * pushed down and pulled, UPDATE / DELETE / MERGE targets; a subquery beside the join, and a table joined to it with
 * USING, are left alone). The first such reference of the statement, in the order PostgreSQL's parser meets them
 * (FROM's ON clauses, then the target list, WHERE, HAVING, ORDER BY, GROUP BY; for a modification WHERE, RETURNING;
 * for MERGE its ON), of a Citus table of the join's query level (not one of a subquery) or of the modification's
 * target; undefined when none. The caller asks only for a statement Citus plans (not a plain PostgreSQL one).
 */
export function renamedUsingColumn(ast: PgNode | undefined, model: SchemaModel, searchPath: readonly string[]): RenamedColumn | undefined {
  if (!ast) return undefined;
  const citus = (rv: PgNode): boolean => {
    const t = model.resolve(rv.schemaname, rv.relname, searchPath);
    return !!t && (t.kind === 'hash' || t.kind === 'reference' || t.kind === 'single_shard');
  };
  let found: RenamedColumn | undefined;
  const level = (target: PgNode | undefined, from: PgNode[], clauses: unknown[]): void => {
    const join = dangerousJoinUsing(from, model, searchPath);
    if (join) {
      const outside = new Map<string, PgNode>();
      const add = (rv: PgNode): void => {
        if (citus(rv)) outside.set(rv.alias?.aliasname ?? rv.relname, rv);
      };
      // the target of a modification Citus plans, whatever its kind (a local one: once its Citus tables are planned
      // first, Citus deparses the rest; checked on Citus 13.2.2)
      if (target) outside.set(target.alias?.aliasname ?? target.relname, target);
      const sides = (n: PgNode | undefined, top: boolean): void => {
        if (!n || n === join) return;
        if (n.RangeVar) {
          if (top) add(n.RangeVar);
        } else if (n.JoinExpr) {
          // (a table that is a side of a join USING keeps its names: checked on Citus 13.2.2)
          const viaOn = !n.JoinExpr.usingClause?.length && !n.JoinExpr.isNatural;
          sides(n.JoinExpr.larg, viaOn);
          sides(n.JoinExpr.rarg, viaOn);
        }
      };
      for (const item of from) sides(item, true);
      const names = new Set(usingNames(join.JoinExpr, model, searchPath));
      const quals: PgNode[] = [];
      walkJoins(from, (j) => {
        if (j.quals) quals.push(j.quals);
      });
      const columnIn = (rv: PgNode, name: string): boolean => {
        const t = model.resolve(rv.schemaname, rv.relname, searchPath);
        return !!t && !!findColumn(t, name);
      };
      for (const clause of [quals, ...clauses]) {
        if (found) break;
        walkLevel(clause, (ref) => {
          const parts = nameList(ref.ColumnRef.fields);
          const rv = parts.length === 2 ? outside.get(parts[0]) : undefined;
          if (!found && rv && names.has(parts[1]) && columnIn(rv, parts[1])) found = { ref, qualifier: parts[0], column: parts[1] };
        });
      }
    }
    // the subqueries' own levels
    walkSubqueries([from, clauses], (select) => {
      if (!found) selectLevel(select);
    });
  };
  const selectLevel = (s: PgNode): void => {
    if (s.op && s.op !== 'SETOP_NONE') {
      selectLevel(s.larg?.SelectStmt ?? s.larg ?? {});
      selectLevel(s.rarg?.SelectStmt ?? s.rarg ?? {});
      return;
    }
    level(undefined, s.fromClause ?? [], [s.targetList, s.whereClause, s.havingClause, s.sortClause, s.groupClause, s.withClause]);
  };
  if (ast.SelectStmt) selectLevel(ast.SelectStmt);
  else if (ast.InsertStmt) {
    const s = ast.InsertStmt.selectStmt?.SelectStmt;
    if (s) selectLevel(s);
    if (!found) walkSubqueries([ast.InsertStmt.withClause], (select) => !found && selectLevel(select));
  } else if (ast.UpdateStmt) level(ast.UpdateStmt.relation, ast.UpdateStmt.fromClause ?? [], [ast.UpdateStmt.whereClause, ast.UpdateStmt.returningList, ast.UpdateStmt.withClause, ast.UpdateStmt.targetList]);
  else if (ast.DeleteStmt) level(ast.DeleteStmt.relation, ast.DeleteStmt.usingClause ?? [], [ast.DeleteStmt.whereClause, ast.DeleteStmt.returningList, ast.DeleteStmt.withClause]);
  else if (ast.MergeStmt) level(ast.MergeStmt.relation, ast.MergeStmt.sourceRelation ? [ast.MergeStmt.sourceRelation] : [], [ast.MergeStmt.joinCondition, ast.MergeStmt.withClause]);
  return found;
}

/** Every JoinExpr of a FROM list (not inside subqueries). */
function walkJoins(from: PgNode[], visit: (j: PgNode) => void): void {
  const go = (n: PgNode | undefined): void => {
    const j = n?.JoinExpr;
    if (!j) return;
    go(j.larg);
    go(j.rarg);
    visit(j);
  };
  for (const item of from) go(item);
}

/** The ColumnRefs of a level's expressions, not inside subqueries (sublinks, FROM subqueries, CTEs). */
function walkLevel(clause: unknown, visit: (ref: PgNode) => void): void {
  walk(clause, (type, _f, wrapper) => {
    if (type === 'SubLink' || type === 'RangeSubselect' || type === 'WithClause' || type === 'CommonTableExpr') return false;
    if (type === 'ColumnRef') visit(wrapper);
    return undefined;
  });
}

/** The SELECTs one level down: FROM subqueries, sublinks, CTEs. */
function walkSubqueries(clause: unknown, visit: (select: PgNode) => void): void {
  walk(clause, (type, f) => {
    if (type === 'RangeSubselect' || type === 'SubLink' || type === 'CommonTableExpr') {
      const q = type === 'RangeSubselect' ? f.subquery : type === 'SubLink' ? f.subselect : f.ctequery;
      if (q?.SelectStmt) visit(q.SelectStmt);
      return false;
    }
    return undefined;
  });
}

const RENAMED_EXPLANATION =
  "Citus writes the query each shard runs with PostgreSQL's deparser (ruleutils), which makes every USING column name of a query level unique when one of its joins USING merges its columns into a value that is not a plain column (a FULL JOIN's COALESCE, a LEFT / RIGHT JOIN's column converted to the other's type). Another table's column of that name is then called <name>_1 under a column alias list, which the shard's table does not keep, so the shard refuses the query when it runs (Citus 13.2.2; EXPLAIN of a pushed-down statement fails too). Write the join with ON, or give it an alias: `(a FULL JOIN b USING (k)) j`.";

/** The finding of a renamed column (rule join-using-renamed-column): Citus' message, at the reference. */
export function renamedColumnFinding(r: RenamedColumn, pos: StatementPositions): PlannerFinding {
  const message = `column ${r.qualifier}.${r.column}_1 does not exist`;
  return {
    rule: 'join-using-renamed-column',
    citus: { level: 'ERROR', message },
    range: pos.nodeRange(r.ref),
    summary: 'join USING renames a column in the shard query',
    message: `Citus 13.2 fails on this statement: the join USING merges ${r.column} into a value that is not a plain column (a FULL JOIN's COALESCE, or a column converted to the other's type), so the query Citus sends to the shards calls ${r.qualifier}.${r.column} "${r.column}_1" (${message}). Write that join with ON, or give it an alias ((a FULL JOIN b USING (${r.column})) j)`,
    explanation: RENAMED_EXPLANATION,
    severity: 'error',
  };
}
