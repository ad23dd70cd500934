/**
 * A SELECT that returns no row whatever the tables hold. Citus' repartitioned and coordinator INSERT..SELECT run
 * a task on a target shard only for the rows that reach it: when the SELECT returns none, no shard query runs,
 * and what fails there for every row (a subquery over a distributed table in DO UPDATE SET, a NULL distribution
 * value) does not fail. (An INSERT that leaves the distribution column out is refused when it is planned, rows or
 * none.) Checked on Citus 13.2.2: test/fixtures/probes/sql/no-rows.sql.
 *
 * The proofs are logical, and kept to what needs no data:
 * - a WHERE or HAVING conjunct that is a constant FALSE or NULL (`false`, `1 = 0`, `x = NULL`: ./recursive.ts
 *   constantTruth);
 * - LIMIT 0;
 * - a FROM item that returns no row and is not on the nullable side of an outer join (nor in a FULL JOIN);
 * - `NOT EXISTS (SELECT .. FROM t x WHERE x.c = a.c ..)` where `a` is a row of the same table `t` read by the outer
 *   query and every conjunct equates a column of x with the same column of a, which cannot be NULL (NOT NULL, the
 *   primary key, a hash-distributed table's distribution column): the row a matches itself;
 * - a UNION whose every leaf returns no row.
 * An aggregate without GROUP BY (or a HAVING without one, or a grouping set `()`) makes one row of none: never empty.
 */
import { nameList, stripCast, type PgNode } from '../parse/ast';
import { findColumn, hasDistributionKey, type TableModel } from '../schema/model';
import { conjuncts, levelHasAggregates, nullableItems, type FromItem, type Origin, type QueryLevel, type RelOcc } from './query';
import { constantTruth, isConstantFalse } from './recursive';

/** What a column reference of a level reads (the planner's resolveOrigin). */
export type ResolveColumn = (col: PgNode, level: QueryLevel) => Origin;

const MAX_DEPTH = 8;

/** Whether the level returns no row whatever the tables hold (false when the model cannot tell). */
export function returnsNoRows(level: QueryLevel, resolve: ResolveColumn, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (level.setOp) {
    return level.setOp.allUnion && level.setOp.leaves.every((leaf) => returnsNoRows(leaf, resolve, depth + 1));
  }
  const s = level.select;
  if (conjuncts(s.havingClause).some((c) => isFalse(c))) return true;
  if (makesARowOfNone(level)) return false;
  if (isZero(s.limitCount)) return true;
  if (conjuncts(s.whereClause).some((c) => falseForEveryRow(c, level, resolve))) return true;
  const nullable = nullableItems(level);
  return level.items.some((it) => !nullable.has(it) && itemReturnsNoRows(it, resolve, depth));
}

function makesARowOfNone(level: QueryLevel): boolean {
  const s = level.select;
  const groups: PgNode[] = s.groupClause ?? [];
  if (groups.some((g) => g.GroupingSet)) return true;
  return !groups.length && (!!s.havingClause || levelHasAggregates(level));
}

function isZero(n: PgNode | undefined): boolean {
  const c = stripCast(n)?.A_Const;
  return !!c && !c.isnull && c.ival !== undefined && (c.ival.ival ?? 0) === 0;
}

function isFalse(c: PgNode): boolean {
  const truth = constantTruth(c);
  return truth === false || truth === null || isConstantFalse(c);
}

function falseForEveryRow(c: PgNode, level: QueryLevel, resolve: ResolveColumn): boolean {
  return isFalse(c) || selfAntiJoin(c, level, resolve);
}

function itemReturnsNoRows(it: FromItem, resolve: ResolveColumn, depth: number): boolean {
  if (it.kind === 'subquery') return returnsNoRows(it.level, resolve, depth + 1);
  if (it.kind === 'cte') return !!it.cte.level && !!it.cte.query?.SelectStmt && !it.cte.recursive && returnsNoRows(it.cte.level, resolve, depth + 1);
  return false;
}

/** `NOT EXISTS (SELECT .. FROM t x WHERE x.c = a.c [AND ..])` with a a row of t: a matches itself (see above). */
function selfAntiJoin(c: PgNode, level: QueryLevel, resolve: ResolveColumn): boolean {
  const not = c.BoolExpr;
  if (not?.boolop !== 'NOT_EXPR') return false;
  const link = not.args?.[0]?.SubLink;
  if (link?.subLinkType !== 'EXISTS_SUBLINK') return false;
  const sub = level.children.find((l) => l.role === 'sublink' && l.select === link.subselect?.SelectStmt);
  if (!sub || sub.setOp || sub.items.length !== 1 || sub.items[0].kind !== 'rel') return false;
  const s = sub.select;
  if (s.limitCount || s.limitOffset || s.groupClause?.length || s.havingClause || levelHasAggregates(sub)) return false;
  const own = sub.items[0].rel;
  const eqs = conjuncts(s.whereClause);
  if (!eqs.length) return false;
  let outer: unknown;
  for (const e of eqs) {
    const x = e.A_Expr;
    if (x?.kind !== 'AEXPR_OP' || nameList(x.name).join('') !== '=') return false;
    const l = stripCast(x.lexpr);
    const r = stripCast(x.rexpr);
    if (!l?.ColumnRef || !r?.ColumnRef || l !== x.lexpr || r !== x.rexpr) return false;
    const a = resolve(l, sub);
    const b = resolve(r, sub);
    if (a.kind !== 'column' || b.kind !== 'column' || a.column !== b.column) return false;
    const [mine, theirs] = a.rel === own ? [a, b] : [b, a];
    if (mine.rel !== own || theirs.rel === own || theirs.rel.table !== own.table) return false;
    // the outer row: a relation of the level whose WHERE holds the sublink, the same one in every conjunct
    if (theirs.rel.level !== level || (outer !== undefined && outer !== theirs.rel) || onNullableSide(level, theirs.rel)) return false;
    outer = theirs.rel;
    if (!neverNull(own.table, mine.column)) return false;
  }
  return true;
}

function onNullableSide(level: QueryLevel, rel: RelOcc): boolean {
  for (const it of nullableItems(level)) if (it.kind === 'rel' && it.rel === rel) return true;
  return false;
}

function neverNull(table: TableModel, column: string): boolean {
  const c = findColumn(table, column);
  if (!c) return false;
  return !!c.notNull || (table.primaryKey ?? []).includes(column) || (hasDistributionKey(table) && table.distributionColumn === column);
}
