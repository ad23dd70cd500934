/**
 * Predicates over the resolved query model (src/core/semantic/): distribution columns, volatility, aggregates
 * and windows of a level, join equivalence classes. The model itself is built by the semantic layer's one pass.
 */
import { functionName, walk, type PgNode } from '../parse/ast';
import { functionVolatility, isAggregate, type Volatility } from '../schema/functions';
import { hasDistributionKey, type SchemaModel } from '../schema/model';
import type { FromItem, Origin, QueryLevel, QueryModel, RelOcc } from '../semantic';
import { builtins } from '../semantic/catalog';

export { buildQueryModel, typedExpressions } from '../semantic';
export { cteInlinable, MAX_VIEW_DEPTH, viewQueryOf } from '../semantic';
export type { CteDef, Equality, FromItem, LevelRole, Origin, OuterJoin, QueryLevel, QueryModel, RelOcc, Target } from '../semantic';

/**
 * The levels whose FROM items a level can reference, innermost first: itself, then its enclosing
 * levels — skipping the level that holds a (non-LATERAL) FROM subquery or a set-operation leaf, whose
 * sibling FROM items are not visible to it.
 */
export function visibleLevels(level: QueryLevel): { level: QueryLevel; depth: number }[] {
  const out: { level: QueryLevel; depth: number }[] = [{ level, depth: 0 }];
  let depth = 0;
  let child = level;
  for (let l = level.parent; l; l = l.parent) {
    depth++;
    const hidden = (child.role === 'from' && !child.lateral) || child.role === 'setop' || child.role === 'cte';
    if (!hidden) out.push({ level: l, depth });
    if (out.length > 64) break;
    child = l;
  }
  return out;
}

export function firstLoc(node: unknown): number {
  let best: number | undefined;
  // typed fields (InsertStmt.relation, OnConflictClause.infer, ...) are bare objects with their own location
  const own = (node as PgNode | undefined)?.location;
  if (typeof own === 'number' && own >= 0) best = own;
  walk(node, (_t, f) => {
    if (typeof f.location === 'number' && f.location >= 0 && (best === undefined || f.location < best)) best = f.location;
  });
  return best ?? 0;
}

// ---------------------------------------------------------------------------------------------------
// Small predicates over origins and levels

export function isDistColumn(o: Origin | undefined): o is { kind: 'column'; rel: RelOcc; column: string } {
  return !!o && o.kind === 'column' && hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column;
}

/** A function's volatility: as declared by a CREATE FUNCTION of the workspace, else PostgreSQL's catalog. */
export function volatilityIn(model: SchemaModel, name: string): Volatility {
  return model.functions.get(name) ?? functionVolatility(name);
}

/**
 * The first non-IMMUTABLE call, conversion or operator under `expr` as PostgreSQL resolved it (contain_mutable_functions
 * on the planned query): the semantic layer's resolved volatility where it has one (`created_at AT TIME ZONE 'UTC'` is
 * timezone(text, timestamptz), IMMUTABLE, though timezone(text, timetz) is STABLE), the function's name otherwise.
 */
export function firstMutable(expr: unknown, model: SchemaModel, qm: QueryModel): PgNode | undefined {
  let found: PgNode | undefined;
  walk(expr, (type, f, wrapper) => {
    if (found) return false;
    if (type === 'SQLValueFunction') found = wrapper;
    else if (type === 'FuncCall') {
      const v = qm.volatilityOf(f);
      if (v !== undefined ? v !== 'i' : volatilityIn(model, functionName(f)) !== 'immutable') found = wrapper;
    } else if (type === 'A_Expr' || type === 'TypeCast') {
      const v = qm.volatilityOf(f);
      if (v === 's' || v === 'v') found = wrapper;
    }
    return undefined;
  });
  return found;
}

/** The first call in an expression that is not IMMUTABLE by its name (STABLE now() and SQL value functions included). */
export function firstMutableCall(expr: unknown, model: SchemaModel): PgNode | undefined {
  let found: PgNode | undefined;
  walk(expr, (type, f, wrapper) => {
    if (found) return false;
    if (type === 'FuncCall' && volatilityIn(model, functionName(f)) !== 'immutable') found = wrapper;
    if (type === 'SQLValueFunction') found = wrapper;
    return undefined;
  });
  return found;
}

/** The first call of a VOLATILE function (nextval included) anywhere under `expr`, sublinks and CTEs too. */
export function firstVolatileCall(expr: unknown, model: SchemaModel): PgNode | undefined {
  let found: PgNode | undefined;
  walk(expr, (type, f, wrapper) => {
    if (found) return false;
    if (type === 'FuncCall' && volatilityIn(model, functionName(f)) === 'volatile') found = wrapper;
    return undefined;
  });
  return found;
}

/** Items on the nullable side of an outer join of the level, and both sides of a FULL JOIN. */
export function nullableItems(level: QueryLevel): Set<FromItem> {
  const out = new Set<FromItem>();
  for (const j of level.outerJoins) {
    for (const it of j.right) out.add(it);
    if (j.type === 'FULL') for (const it of j.left) out.add(it);
  }
  return out;
}

/** Aggregates directly in this level's target list / HAVING (not in sublinks). */
export function levelHasAggregates(level: QueryLevel): boolean {
  let found = false;
  const scan = (n: unknown): void =>
    walk(n, (type, f) => {
      if (type === 'SubLink') return false;
      if (type === 'FuncCall' && !f.over && (isAggregate(functionName(f)) || f.agg_star)) found = true;
      return undefined;
    });
  for (const t of level.select.targetList ?? []) scan(t);
  scan(level.select.havingClause);
  return found;
}

const NO_NODES: readonly PgNode[] = Object.freeze([]);

/** The AND-ed terms of a condition. */
export function conjuncts(e: PgNode | undefined): PgNode[] {
  if (!e) return NO_NODES as PgNode[];
  if (e.BoolExpr?.boolop === 'AND_EXPR') return (e.BoolExpr.args ?? []).flatMap((a: PgNode) => conjuncts(a));
  return [e];
}

/**
 * is_simple_subquery: PostgreSQL pulls the FROM subquery up into its parent (no set operation, grouping, aggregate,
 * window, DISTINCT, ORDER BY, LIMIT, locking or WITH).
 */
export function isSimpleSubquery(l: QueryLevel): boolean {
  const s = l.select;
  if (l.setOp) return false;
  if (s.groupClause?.length || s.havingClause || s.distinctClause || s.sortClause?.length || s.limitCount || s.limitOffset || s.windowClause?.length || s.lockingClause?.length || s.withClause) return false;
  let agg = false;
  walk(s.targetList, (type, f) => {
    if (type === 'SubLink') return false;
    if (type === 'FuncCall' && (f.over || f.agg_star || isAggregate(functionName(f)))) agg = true;
    // a set-returning function in the target list (expression_returns_set): a built-in whose every overload returns a
    // set (generate_series, unnest, jsonb_array_elements, ...)
    if (type === 'FuncCall' && !f.over && returnsSetOnly(functionName(f))) agg = true;
    return undefined;
  });
  return !agg;
}

function returnsSetOnly(name: string): boolean {
  const overloads = builtins().functionsNamed(name);
  return overloads.length > 0 && overloads.every((o) => o.returnsSet && o.kind === 'f');
}

/** Window function calls of this level (FuncCall nodes with OVER). */
export function levelWindowCalls(level: QueryLevel): PgNode[] {
  const calls: PgNode[] = [];
  walk(level.select.targetList, (type, f) => {
    if (type === 'SubLink') return false;
    if (type === 'FuncCall' && f.over) calls.push(f);
    return undefined;
  });
  return calls;
}

/**
 * The PARTITION BY of a window call: its own, or its named window's for `OVER w` and `OVER (w ORDER BY ..)` (a window
 * that refers to another cannot have its own PARTITION BY); undefined for a name the level's WINDOW clause lacks.
 */
export function windowPartitionClause(call: PgNode, select: PgNode): PgNode[] | undefined {
  const over = call.over;
  if (!over) return undefined;
  const name: string | undefined = over.name ?? over.refname;
  if (!name || over.partitionClause?.length) return over.partitionClause ?? [];
  const def = (select.windowClause ?? []).find((w: PgNode) => w.WindowDef?.name === name)?.WindowDef;
  return def ? (def.partitionClause ?? []) : undefined;
}

/** The key of a column of one relation occurrence, for join equivalence classes. */
export function colKey(rel: RelOcc, column: string): string {
  return `${rel.id}.${column}`;
}

/** Equivalence classes of columns (joined by equality), as Citus' restriction equivalence builds them. */
export class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** The values of a target list (RETURNING, SET). */
export function resTargetValues(list: PgNode[] | undefined): (PgNode | undefined)[] {
  return (list ?? []).map((t: PgNode) => t.ResTarget?.val);
}

/** What ON CONFLICT DO UPDATE reads: the target and `excluded` (typedExpressions). */
export function conflictFrom(rv: PgNode): PgNode[] {
  return [{ RangeVar: rv }, { RangeVar: { ...rv, alias: { aliasname: 'excluded' } } }];
}

/** The expressions of ON CONFLICT DO UPDATE: its SET values, its WHERE and the arbiter's WHERE. */
export function conflictExprs(conflict: PgNode): (PgNode | undefined)[] {
  return [...resTargetValues(conflict.targetList), conflict.whereClause, (conflict.infer?.InferClause ?? conflict.infer)?.whereClause];
}
