/**
 * PostgreSQL's left-join removal (remove_useless_joins, analyzejoins.c): a LEFT JOIN whose nullable side is one
 * relation or subquery that matches at most one row per outer row, and none of whose columns is read above the join,
 * is dropped from the plan before any relation of it is planned. Citus reads which relations a query has, and which
 * joins, from the planner's hooks (its relation and join restriction contexts): a removed relation is not among
 * them. So the router planner does not see a LEFT JOINed table that is not colocated (`events e LEFT JOIN rollup_8 r
 * ON r.tenant_id = e.tenant_id WHERE e.tenant_id = 3`, r unread: one task, where reading r.cnt is refused), and a
 * reference table LEFT JOIN a distributed table it reads nothing from is a query of the reference table alone.
 * Checks Citus makes on the query tree (colocation of an INSERT's source relations, local tables) still see it.
 * Checked on Citus 13.2.2 (test/fixtures/probes/sql/join-removal.sql).
 *
 * join_is_removable, as PostgreSQL 15 has it:
 * - a LEFT JOIN (a RIGHT JOIN is one with its sides swapped) whose nullable side is a single relation or subquery;
 *   a FULL JOIN that reduce_outer_joins (run before) makes a LEFT or RIGHT one is one too (`events a FULL JOIN
 *   ref_tenants b ON a.tenant_id = b.tenant_id WHERE a.tenant_id > 3`: b, unique on tenant_id, is removed);
 * - no column of it is needed above the join: not in the target list, WHERE, GROUP BY, HAVING, ORDER BY, another
 *   join's ON clause (unless that join is removed first), a sublink; a whole-row reference or `*` reads them all;
 * - it is unique for the join's mergejoinable equalities `inner_column = outer_expression` (and, for a table, its
 *   own `column = constant` restrictions): a table by a unique index every column of which is so matched (not
 *   partial, not deferrable); a subquery by its DISTINCT, GROUP BY (no grouping sets), UNION / INTERSECT / EXCEPT
 *   without ALL, all of whose columns are matched, or by aggregates without GROUP BY (one row); a subquery with a
 *   set-returning function in its target list (except under DISTINCT) is not.
 * Where the model cannot tell (a column's type, a function it does not know, a name two items expose), the join
 * is kept: the planner then predicts as before.
 */
import { nameList, sameTree, stripCast, walk, type PgNode } from '../parse/ast';
import { columnKeys, deferrableKey } from '../schema/keyNames';
import type { TableModel } from '../schema/model';
import { canonicalTypeName } from '../schema/types';
import type { TypeId } from '../semantic/catalog';
import { joinTreeOf, reducedJoinTypesOf } from './joinTree';
import { conjuncts, isSimpleSubquery, levelHasAggregates, type FromItem, type Origin, type QueryLevel, type RelOcc } from './query';

interface Join {
  node: PgNode; // JoinExpr fields
  /** the nullable side's FROM item */
  item: FromItem;
  /** the nullable side's node (RangeVar or RangeSubselect) */
  side: PgNode;
}

const cache = new WeakMap<QueryLevel, Set<FromItem>>();

/** What a column reference of a level reads (the planner's resolveOrigin), for the outer joins reduce_outer_joins reduces. */
export type ResolveColumn = (col: PgNode, level: QueryLevel) => Origin;

/** The FROM items of `level` PostgreSQL removes from its plan. */
export function removedItems(level: QueryLevel, resolve: ResolveColumn): Set<FromItem> {
  let out = cache.get(level);
  if (!out) cache.set(level, (out = computeRemoved(level, resolve)));
  return out;
}

/** Every relation that a removed join takes out of the plan, over the query levels of a statement (QueryModel.levels). */
export function removedRels(levels: readonly QueryLevel[], resolve: ResolveColumn): Set<RelOcc> {
  const out = new Set<RelOcc>();
  for (const l of levels) {
    for (const it of removedItems(l, resolve)) {
      if (it.kind === 'rel') out.add(it.rel);
      else if (it.kind === 'subquery') for (const r of relsUnder(it.level)) out.add(r);
    }
  }
  return out;
}

function relsUnder(level: QueryLevel): RelOcc[] {
  const out: RelOcc[] = [];
  const visit = (l: QueryLevel, depth: number): void => {
    if (depth > 64) return;
    out.push(...l.rels);
    for (const c of l.children) visit(c, depth + 1);
  };
  visit(level, 0);
  return out;
}

function computeRemoved(level: QueryLevel, resolve: ResolveColumn): Set<FromItem> {
  const removed = new Set<FromItem>();
  const joins = outerJoins(level, resolve);
  if (!joins.length) return removed;
  // (remove_useless_joins starts over after each removal: one may make another removable)
  for (let changed = true; changed; ) {
    changed = false;
    for (const j of joins) {
      if (removed.has(j.item) || !removable(level, j, joins, removed)) continue;
      removed.add(j.item);
      changed = true;
    }
  }
  return removed;
}

/**
 * The LEFT and RIGHT joins of a level whose nullable side is one FROM item of it, with the FULL joins that a strict
 * qual above makes LEFT or RIGHT ones (not with USING: their merged columns read both sides).
 */
function outerJoins(level: QueryLevel, resolve: ResolveColumn): Join[] {
  const out: Join[] = [];
  let reduced: Map<PgNode, string> | undefined;
  const typeOf = (f: PgNode): string => {
    if (f.jointype !== 'JOIN_FULL' || f.usingClause?.length) return f.jointype;
    if (!reduced) {
      reduced = new Map();
      for (const [n, t] of reducedJoinTypesOf(level, joinTreeOf(level), (col) => resolve(col, level))) if (n.kind === 'join') reduced.set(n.expr, `JOIN_${t}`);
    }
    return reduced.get(f) ?? f.jointype;
  };
  walk(level.select.fromClause, (type, f) => {
    if (type === 'RangeSubselect' || type === 'RangeFunction') return false;
    if (type !== 'JoinExpr' || f.isNatural) return undefined;
    const jointype = typeOf(f);
    const side = jointype === 'JOIN_LEFT' ? f.rarg : jointype === 'JOIN_RIGHT' ? f.larg : undefined;
    const item = side ? itemOf(level, side) : undefined;
    if (item) out.push({ node: f, item, side });
    return undefined;
  });
  return out;
}

function itemOf(level: QueryLevel, side: PgNode): FromItem | undefined {
  const rv = side.RangeVar;
  // (a view is expanded into a subquery item of its name; a view's own query has all its locations at the name's)
  const alias = rv?.alias?.aliasname ?? rv?.relname;
  if (rv) return level.items.find((it) => it.alias === alias && ((it.kind === 'rel' && it.rel.location === rv.location) || (it.kind === 'subquery' && !it.lateral)));
  const sub = side.RangeSubselect;
  if (sub && !sub.lateral) return level.items.find((it) => it.kind === 'subquery' && it.level.select === sub.subquery?.SelectStmt);
  return undefined;
}

function removable(level: QueryLevel, j: Join, joins: Join[], removed: Set<FromItem>): boolean {
  const x = j.item;
  // the alias names the item alone
  if (level.items.filter((it) => it.alias === x.alias).length !== 1) return false;
  if (!unique(level, j)) return false;
  return !readAbove(level, j, joins, removed);
}

// ---- uniqueness (rel_is_distinct_for) ------------------------------------------------------------------

/** The inner item's columns the join's equalities match: against the outer side, and (`const`) against constants. */
function matchedColumns(level: QueryLevel, j: Join): { joined: Set<string>; constant: Set<string> } {
  const joined = new Set<string>();
  const constant = new Set<string>();
  const x = j.item;
  for (const name of nameList(j.node.usingClause)) {
    const outer = level.items.filter((it) => it !== x && exposes(it, name));
    if (outer.length === 1 && compatible(columnType(x, name), columnType(outer[0], name))) joined.add(name);
  }
  for (const q of conjuncts(j.node.quals)) {
    const e = q.A_Expr;
    if (!e || e.kind !== 'AEXPR_OP' || nameList(e.name).join('.') !== '=') continue;
    for (const [mine, other] of [
      [e.lexpr, e.rexpr],
      [e.rexpr, e.lexpr],
    ] as const) {
      const column = innerColumn(level, x, mine);
      if (column === undefined) continue;
      const kind = otherSide(level, x, other);
      if (!kind) continue;
      if (kind.kind === 'const') {
        if (compatible(columnType(x, column), kind.type)) constant.add(column);
      } else if (compatible(columnType(x, column), kind.type)) joined.add(column);
    }
  }
  return { joined, constant };
}

function unique(level: QueryLevel, j: Join): boolean {
  const x = j.item;
  const { joined, constant } = matchedColumns(level, j);
  if (x.kind === 'rel') {
    const t = x.rel.table;
    if (t.keysUncertain || t.kind === 'view') return false;
    // relation_has_unique_index_for: the rel's own `column = constant` quals count too
    return uniqueBy(t, (c) => joined.has(c) || constant.has(c));
  }
  if (x.kind !== 'subquery') return false;
  return queryDistinctFor(x.level, outputNames(x), joined) || pulledUpUnique(x, joined);
}

/**
 * A simple subquery (or view) of one table: PostgreSQL pulls it up (pull_up_subqueries) before it removes joins, so the
 * join is to the table, unique by a key whose every column the join matches through the subquery's plain columns or
 * the subquery's own `column = constant` quals (`LEFT JOIN (SELECT * FROM users WHERE plan = 'x') c ON c.tenant_id =
 * e.tenant_id AND c.user_id = e.user_id`: users' key (tenant_id, user_id)).
 */
function pulledUpUnique(x: FromItem & { kind: 'subquery' }, joined: Set<string>): boolean {
  const sub = x.level;
  if (x.lateral || sub.setOp || !isSimpleSubquery(sub) || sub.items.length !== 1 || sub.items[0].kind !== 'rel' || (sub.select.fromClause ?? []).length !== 1 || !sub.select.fromClause[0].RangeVar) return false;
  const base = sub.items[0];
  const t = base.rel.table;
  if (t.keysUncertain || t.kind === 'view') return false;
  const names = outputNames(x);
  const columnOf = (n: PgNode | undefined): string | undefined => {
    const ref = n?.ColumnRef;
    if (!ref) return undefined;
    const parts = nameList(ref.fields);
    if (parts.length > 2 || (parts.length === 2 && parts[0] !== base.alias)) return undefined;
    const name = renamedFrom(base, parts[parts.length - 1]) ?? parts[parts.length - 1];
    return t.columns.some((c) => c.name === name) ? name : undefined;
  };
  const matched = new Set<string>();
  sub.targets.forEach((target, i) => {
    if (!joined.has(names[i])) return;
    const c = columnOf(target.expr);
    if (c) matched.add(c);
  });
  const constant = (n: PgNode | undefined): boolean => !!n?.A_Const && !n.A_Const.isnull;
  for (const q of conjuncts(sub.select.whereClause)) {
    const e = q.A_Expr;
    if (!e || e.kind !== 'AEXPR_OP' || nameList(e.name).join('.') !== '=') continue;
    const c = constant(e.rexpr) ? columnOf(e.lexpr) : constant(e.lexpr) ? columnOf(e.rexpr) : undefined;
    if (c) matched.add(c);
  }
  return uniqueBy(t, (c) => matched.has(c));
}

/** relation_has_unique_index_for: a key of the table (not DEFERRABLE) whose every column is covered. */
function uniqueBy(t: TableModel, covered: (column: string) => boolean): boolean {
  return columnKeys(t).some((k) => !deferrableKey(t, k.columns, k.primary) && k.columns.every(covered));
}

/** query_is_distinct_for: the subquery's rows are distinct over the output columns `cols`. */
function queryDistinctFor(sub: QueryLevel, names: string[], cols: Set<string>): boolean {
  const s = sub.select;
  const matched = (i: number): boolean => i >= 0 && cols.has(names[i]);
  const targetIndex = (n: PgNode): number => targetOf(sub, n);
  const distinct: PgNode[] | undefined = s.distinctClause;
  if (distinct?.length) {
    // DISTINCT: every column; DISTINCT ON (..): those
    const plain = distinct.length === 1 && !Object.keys(distinct[0] ?? {}).length;
    if (plain ? names.every((_n, i) => matched(i)) : distinct.every((d) => matched(targetIndex(d)))) return true;
  }
  if (sub.targetSrf) return false;
  const group: PgNode[] = s.groupClause ?? [];
  if (group.some((g) => g.GroupingSet)) {
    return group.length === 1 && group[0].GroupingSet.kind === 'GROUPING_SET_EMPTY';
  }
  if (group.length) return group.every((g) => matched(targetIndex(g)));
  if (!sub.setOp && (levelHasAggregates(sub) || s.havingClause)) return true;
  if (sub.setOp && !sub.setOp.all) return names.every((_n, i) => matched(i));
  return false;
}

/** The target a GROUP BY / DISTINCT ON item names: by position, by the same expression, or by output name. */
function targetOf(sub: QueryLevel, n: PgNode): number {
  const x = stripCast(n) === n ? n : undefined;
  const pos = x?.A_Const?.ival;
  if (pos) return (pos.ival ?? 0) - 1;
  const list: PgNode[] = sub.select.targetList ?? [];
  const same = list.findIndex((t) => sameTree(t.ResTarget?.val, n));
  if (same >= 0) return same;
  const ref = n.ColumnRef ? nameList(n.ColumnRef.fields) : [];
  return ref.length === 1 ? sub.targets.findIndex((t) => t.name === ref[0]) : -1;
}

function outputNames(it: FromItem & { kind: 'subquery' }): string[] {
  return it.level.targets.map((t, i) => it.colnames[i] ?? t.name);
}

/** `x.col` (or an unqualified column only x has), under no cast but a binary-compatible one: the inner side's column. */
function innerColumn(level: QueryLevel, x: FromItem, n: PgNode | undefined): string | undefined {
  const ref = n?.ColumnRef;
  if (!ref) return undefined;
  const parts = nameList(ref.fields);
  if (parts.length === 2 && parts[0] === x.alias && exposes(x, parts[1])) return parts[1];
  if (parts.length === 1 && exposes(x, parts[0]) && level.items.every((it) => it === x || !exposes(it, parts[0]))) return parts[0];
  return undefined;
}

/** The other side of a join equality: a constant, or an expression of other items only (its type when the model knows it). */
function otherSide(level: QueryLevel, x: FromItem, n: PgNode | undefined): { kind: 'const' | 'join'; type: Type } | undefined {
  const c = n?.A_Const;
  if (c) {
    if (c.isnull) return undefined;
    if (c.sval) return { kind: 'const', type: 'unknown' };
    if (c.ival) return { kind: 'const', type: 'int' };
    return undefined;
  }
  const ref = n?.ColumnRef;
  if (!ref) return undefined;
  const parts = nameList(ref.fields);
  if (parts.length === 2) {
    if (parts[0] === x.alias) return undefined;
    const owner = level.items.find((it) => it.alias === parts[0]);
    return owner && exposes(owner, parts[1]) ? { kind: 'join', type: columnType(owner, parts[1]) } : undefined;
  }
  if (parts.length !== 1) return undefined;
  const owners = level.items.filter((it) => exposes(it, parts[0]));
  return owners.length === 1 && owners[0] !== x ? { kind: 'join', type: columnType(owners[0], parts[0]) } : undefined;
}

/** A type as far as an equality's operator family goes: integers, floats and text/varchar are one family each. */
type Type = string | undefined;

function columnType(it: FromItem, name: string): Type {
  if (it.kind === 'rel') {
    const c = it.rel.table.columns.find((col) => col.name === (renamedFrom(it, name) ?? name));
    return c ? family(canonicalTypeName(c.type)) : undefined;
  }
  if (it.kind === 'subquery') {
    const i = outputNames(it).indexOf(name);
    return i >= 0 ? familyOfId(it.level.targets[i]?.type) : undefined;
  }
  // a CTE read in FROM: its SELECT's output columns (renamed by `WITH c(a, b)`)
  if (it.kind === 'cte' && it.cte.level && !it.cte.level.setOp) {
    const targets = it.cte.level.targets;
    const i = targets.map((t, k) => it.cte.columnNames?.[k] ?? t.name).indexOf(name);
    return i >= 0 ? familyOfId(targets[i]?.type) : undefined;
  }
  return undefined;
}

function renamedFrom(it: FromItem & { kind: 'rel' }, name: string): string | undefined {
  const i = it.colnames?.indexOf(name) ?? -1;
  return i >= 0 ? it.rel.table.columns[i]?.name : undefined;
}

function family(canonical: string): Type {
  if (canonical === 'integer' || canonical === 'bigint' || canonical === 'smallint') return 'int';
  if (canonical === 'real' || canonical === 'double precision') return 'float';
  if (canonical === 'text' || canonical === 'character varying') return 'text';
  return canonical;
}

const ID_FAMILY = new Map<number, string>([
  [20, 'int'],
  [21, 'int'],
  [23, 'int'],
  [700, 'float'],
  [701, 'float'],
  [25, 'text'],
  [1043, 'text'],
  [1700, 'numeric'],
  [16, 'boolean'],
  [1082, 'date'],
  [1114, 'timestamp without time zone'],
  [1184, 'timestamp with time zone'],
  [2950, 'uuid'],
]);

function familyOfId(id: TypeId | undefined): Type {
  return id ? ID_FAMILY.get(id) : undefined;
}

/**
 * An equality PostgreSQL can use for the proof: the inner column stays a plain column (no conversion to the other
 * side's type) and the operator is of the column's btree family. An untyped literal takes the column's type.
 */
function compatible(inner: Type, other: Type): boolean {
  if (!inner || !other) return false;
  return other === 'unknown' || inner === other;
}

function exposes(it: FromItem, name: string): boolean {
  switch (it.kind) {
    case 'rel':
      return it.colnames?.includes(name) || it.rel.table.columns.some((c, i) => c.name === name && !it.colnames?.[i]);
    case 'subquery':
      return outputNames(it).includes(name);
    case 'cte':
      return !!it.cte.level?.targets.some((t) => t.name === name);
    case 'values':
    case 'function':
      return it.colnames.includes(name);
    default:
      return true; // columns the model does not know: any name may be one of them
  }
}

// ---- needed above the join (attr_needed) ----------------------------------------------------------------

/**
 * Whether anything outside the join's own ON clause may read the item: a column reference qualified by its alias, an
 * unqualified name it exposes (unless the join's USING merged it, which a LEFT JOIN takes from its preserved side),
 * its whole row, `*`. Sublinks are searched too (a correlated reference reads it); FROM subqueries of other items
 * are not (they cannot see it, LATERAL ones aside).
 */
function readAbove(level: QueryLevel, j: Join, joins: Join[], removed: Set<FromItem>): boolean {
  const x = j.item;
  const s = level.select;
  const skip = new Set<unknown>([j.node.quals, j.side]);
  for (const other of joins) if (removed.has(other.item)) skip.add(other.node.quals).add(other.side);
  const merged = new Set(nameList(j.node.usingClause));
  let found = false;
  const visit = (node: unknown): void =>
    walk(node, (type, f, wrapper) => {
      if (found || skip.has(wrapper) || skip.has(f)) return false;
      // (a function in FROM may read the items before it without LATERAL)
      if (type === 'RangeSubselect' && !f.lateral) return false;
      if (type !== 'ColumnRef') return undefined;
      const fields: PgNode[] = f.fields ?? [];
      const star = fields.length > 0 && fields[fields.length - 1].A_Star !== undefined;
      const parts = nameList(fields);
      if (star) {
        if (parts.length === 0 || parts[parts.length - 1] === x.alias) found = true;
      } else if (parts.length >= 2) {
        if (parts[parts.length - 2] === x.alias) found = true;
      } else if (parts.length === 1) {
        if (parts[0] === x.alias || (exposes(x, parts[0]) && !merged.has(parts[0]))) found = true;
      }
      return undefined;
    });
  for (const [i, t] of (s.targetList ?? []).entries()) if (targetNeeded(level, i)) visit(t);
  for (const part of [s.whereClause, s.groupClause, s.havingClause, s.sortClause, s.windowClause, s.distinctClause, s.fromClause, s.limitCount, s.limitOffset]) {
    if (found) break;
    visit(part);
  }
  return found;
}

/**
 * Whether the level's output column `i` is read: always, except in a FROM subquery PostgreSQL pulls up into its
 * parent (a view, `(SELECT ..) v`), whose columns the parent may not read.
 */
function targetNeeded(level: QueryLevel, i: number): boolean {
  const parent = level.parent;
  if (!parent || level.role !== 'from' || level.lateral || !pulledUp(level)) return true;
  const item = parent.items.find((it) => it.kind === 'subquery' && it.level === level) as (FromItem & { kind: 'subquery' }) | undefined;
  if (!item) return true;
  const name = outputNames(item)[i];
  if (name === undefined) return true;
  let read = false;
  walk(parent.select, (type, f) => {
    if (read) return false;
    if (f === level.select) return false;
    if (type !== 'ColumnRef') return undefined;
    const fields: PgNode[] = f.fields ?? [];
    const parts = nameList(fields);
    const star = fields.length > 0 && fields[fields.length - 1].A_Star !== undefined;
    if (star) read = parts.length === 0 || parts[parts.length - 1] === item.alias;
    else if (parts.length >= 2) read = parts[parts.length - 2] === item.alias && parts[parts.length - 1] === name;
    else read = parts[0] === name || parts[0] === item.alias;
    return undefined;
  });
  return read;
}

/** is_simple_subquery: pulled up into its parent (a target list that may return sets is not). */
function pulledUp(level: QueryLevel): boolean {
  return !level.targetSrf && isSimpleSubquery(level);
}
