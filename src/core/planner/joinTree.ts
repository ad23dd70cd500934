/**
 * A query level's FROM clause as a tree of joins over its FROM items, and the join types PostgreSQL's
 * reduce_outer_joins leaves (used by the SELECT planner, ./recursive.ts, the DML planner and join removal).
 */
import { nameList, stripCast, type PgNode } from '../parse/ast';
import type { FromItem, Origin, QueryLevel } from './query';

/** Where each relation of a level comes from, for the join-tree walk of outer joins (`expr`: the JoinExpr's fields). */
export type JoinNode = { kind: 'leaf'; item: FromItem } | { kind: 'join'; type: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL'; left: JoinNode; right: JoinNode; quals?: PgNode; using: string[]; lateral: boolean; expr: PgNode } | { kind: 'list'; items: JoinNode[] };

/** The FROM items under a node of a join tree, left to right. */
export function joinItems(n: JoinNode): FromItem[] {
  return n.kind === 'leaf' ? [n.item] : n.kind === 'join' ? [...joinItems(n.left), ...joinItems(n.right)] : n.items.flatMap(joinItems);
}

/** The level's FROM clause as a tree of joins over its FROM items. */
export function joinTreeOf(level: QueryLevel): JoinNode {
  const byAlias = new Map<string, FromItem>();
  for (const it of level.items) byAlias.set(it.alias, it);
  const leafFor = (n: PgNode): JoinNode | undefined => {
    const alias = n.RangeVar ? (n.RangeVar.alias?.aliasname ?? n.RangeVar.relname) : n.RangeSubselect ? n.RangeSubselect.alias?.aliasname : n.RangeFunction ? (n.RangeFunction.alias?.aliasname ?? undefined) : n.RangeTableSample ? (n.RangeTableSample.relation?.RangeVar?.alias?.aliasname ?? n.RangeTableSample.relation?.RangeVar?.relname) : undefined;
    const item = alias !== undefined ? byAlias.get(alias) : undefined;
    return item ? { kind: 'leaf', item } : undefined;
  };
  const build = (n: PgNode): JoinNode | undefined => {
    if (n.JoinExpr) {
      const j = n.JoinExpr;
      const left = build(j.larg);
      const right = build(j.rarg);
      if (!left || !right) return undefined;
      const type = j.jointype === 'JOIN_LEFT' ? 'LEFT' : j.jointype === 'JOIN_RIGHT' ? 'RIGHT' : j.jointype === 'JOIN_FULL' ? 'FULL' : 'INNER';
      const lateral = !!(j.rarg?.RangeSubselect?.lateral || j.larg?.RangeSubselect?.lateral);
      const using = (j.usingClause ?? []).map((u: PgNode) => u.String?.sval).filter((u: unknown): u is string => typeof u === 'string');
      return { kind: 'join', type, left, right, quals: j.quals, using, lateral, expr: j };
    }
    return leafFor(n);
  };
  const items: JoinNode[] = [];
  for (const n of level.select.fromClause ?? []) {
    const b = build(n);
    if (b) items.push(b);
  }
  return { kind: 'list', items };
}

/** The type each join of the level's tree has after PostgreSQL's reduce_outer_joins (see keepsOuterJoin). */
export function reducedJoinTypesOf(level: QueryLevel, tree: JoinNode, resolve: (col: PgNode) => Origin): Map<JoinNode, 'INNER' | 'LEFT' | 'RIGHT' | 'FULL'> {
  const types = new Map<JoinNode, 'INNER' | 'LEFT' | 'RIGHT' | 'FULL'>();
  const byAlias = new Map(level.items.map((it) => [it.alias, it] as const));
  const itemOf = (col: PgNode): FromItem | undefined => {
    const f = nameList(col.ColumnRef.fields);
    if (f.length >= 2) return byAlias.get(f[f.length - 2]);
    const o = resolve(col);
    if (o.kind !== 'column') return undefined;
    return level.items.find((it) => (it.kind === 'rel' && it.rel === o.rel) || (it.kind === 'subquery' && within(o.rel.level, it.level)));
  };
  // find_nonnullable_rels: the items a qual is false or NULL for when all their columns are NULL
  const nonNullable = (qual: PgNode | undefined, top: boolean): Set<FromItem> => {
    const out = new Set<FromItem>();
    const n = stripCast(qual);
    if (!n) return out;
    const add = (s: Set<FromItem>): void => s.forEach((it) => out.add(it));
    if (n.ColumnRef) {
      const it = itemOf(n);
      if (it) out.add(it);
    } else if (n.A_Expr) {
      const e = n.A_Expr;
      // built-in operators are strict; IS DISTINCT FROM and NULLIF are not
      if (e.kind === 'AEXPR_OP' || e.kind === 'AEXPR_OP_ANY' || e.kind === 'AEXPR_OP_ALL' || e.kind === 'AEXPR_IN' || e.kind === 'AEXPR_LIKE' || e.kind === 'AEXPR_ILIKE' || e.kind === 'AEXPR_SIMILAR') {
        add(nonNullable(e.lexpr, false));
        if (e.kind === 'AEXPR_OP') add(nonNullable(e.rexpr, false));
      } else if (top && (e.kind === 'AEXPR_BETWEEN' || e.kind === 'AEXPR_BETWEEN_SYM')) add(nonNullable(e.lexpr, false));
    } else if (n.BoolExpr && top) {
      const args: PgNode[] = n.BoolExpr.args ?? [];
      if (n.BoolExpr.boolop === 'AND_EXPR') for (const a of args) add(nonNullable(a, true));
      else if (n.BoolExpr.boolop === 'OR_EXPR' && args.length) {
        const sets = args.map((a) => nonNullable(a, true));
        for (const it of sets[0]) if (sets.every((x) => x.has(it))) out.add(it);
      }
    } else if (n.NullTest && top && n.NullTest.nulltesttype === 'IS_NOT_NULL' && !n.NullTest.argisrow) add(nonNullable(n.NullTest.arg, false));
    else if (n.BooleanTest && top && (n.BooleanTest.booltesttype === 'IS_TRUE' || n.BooleanTest.booltesttype === 'IS_NOT_FALSE')) add(nonNullable(n.BooleanTest.arg, false));
    else if (n.SubLink && top && (n.SubLink.subLinkType === 'ANY_SUBLINK' || n.SubLink.subLinkType === 'ALL_SUBLINK')) add(nonNullable(n.SubLink.testexpr, false));
    return out;
  };
  const overlaps = (above: Set<FromItem>, j: JoinNode): boolean => joinItems(j).some((it) => above.has(it));
  const reduce = (j: JoinNode, above: Set<FromItem>): void => {
    if (j.kind === 'leaf') return;
    if (j.kind === 'list') {
      for (const it of j.items) reduce(it, above);
      return;
    }
    let type = j.type;
    if (type === 'LEFT' && overlaps(above, j.right)) type = 'INNER';
    else if (type === 'RIGHT' && overlaps(above, j.left)) type = 'INNER';
    else if (type === 'FULL') {
      const l = overlaps(above, j.left);
      const r = overlaps(above, j.right);
      type = l && r ? 'INNER' : l ? 'LEFT' : r ? 'RIGHT' : 'FULL';
    }
    types.set(j, type);
    const local = type === 'FULL' ? new Set<FromItem>() : nonNullable(j.quals, true);
    if (type !== 'FULL' && j.using.length) for (const side of [j.left, j.right]) if (side.kind === 'leaf') local.add(side.item);
    const both = new Set([...above, ...local]);
    if (type === 'INNER') {
      reduce(j.left, both);
      reduce(j.right, both);
    } else if (type === 'LEFT') {
      reduce(j.left, above);
      reduce(j.right, local);
    } else if (type === 'RIGHT') {
      reduce(j.left, local);
      reduce(j.right, above);
    } else {
      reduce(j.left, new Set());
      reduce(j.right, new Set());
    }
  };
  reduce(tree, nonNullable(level.select.whereClause, true));
  return types;
}

/** Whether `inner` is `level` or one of the levels inside it. */
export function within(inner: QueryLevel, level: QueryLevel): boolean {
  for (let l: QueryLevel | undefined = inner; l; l = l.parent) if (l === level) return true;
  return false;
}
