/**
 * upsert-key-not-unique: an INSERT..SELECT .. ON CONFLICT (key) DO UPDATE whose SELECT groups (or DISTINCTs) by
 * something the conflict key does not hold. Two of its rows can then carry one key, and PostgreSQL refuses to update
 * a row twice in one statement (ExecOnConflictUpdate: `ON CONFLICT DO UPDATE command cannot affect row a second
 * time`), on each shard as on a plain table. Whether it happens depends on the data: a warning, not an outcome.
 *
 * Said only when the SELECT's uniqueness is plain to read: one SELECT (no set operation, no grouping sets), a GROUP BY
 * or DISTINCT at its top, every key column written by a SELECT item. A grouping expression is covered when it is the
 * expression written into a key column, or a column of a table whose primary key columns are all covered (PostgreSQL's
 * own functional dependency).
 */
import { functionName, nameList, sameTree, walk, type PgNode } from '../parse/ast';
import { firstLoc, UnionFind } from '../planner/query';
import { conjuncts } from '../planner/recursive';
import { isAggregate } from '../schema/functions';
import { builtins } from '../semantic/catalog';
import type { TableModel } from '../schema/model';
import { canonicalTypeName, typeNameOf } from '../schema/types';
import type { Rule, RuleContext, RuleFinding } from './rule';

const MESSAGE = 'ON CONFLICT DO UPDATE command cannot affect row a second time';

export const rule: Rule = {
  meta: {
    id: 'upsert-key-not-unique',
    summary: 'An upsert whose SELECT groups by more than its conflict key: two rows for one key make the statement fail when the data has them.',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const found = uncoveredGrouping(ctx);
    if (!found) return [];
    const { node, keys, text, why } = found;
    const start = ctx.stmt.toDocumentOffset(firstLoc(node));
    const once =
      `ON CONFLICT (${keys.join(', ')}) DO UPDATE updates the stored row once per statement; a second row of the same SELECT with the same key ` +
      `fails the whole statement (on a Citus table, the shard's INSERT fails and the statement with it).`;
    const finding: RuleFinding = {
      message: why
        ? `The SELECT is not grouped by the conflict key: ${why}. Two rows with one key make PostgreSQL fail with "${MESSAGE}" when the data has them.`
        : `The SELECT groups by ${text}, which is not in the conflict key (${keys.join(', ')}): two rows with one key make PostgreSQL fail with "${MESSAGE}" when the data has them.`,
      range: { start, end: start + Math.max(1, text.length) },
      explanation: why
        ? `${once} The SELECT returns rows of ${text} as they are: GROUP BY the key's expressions and aggregate the other columns, or use DISTINCT ON (the key) with an ORDER BY that picks the row to keep.`
        : `${once} The rows are unique on what the SELECT groups by, and ${text} is not part of the key: group by the key's expressions only (aggregate the rest, or take it into the key).`,
      citus: { level: 'ERROR', message: MESSAGE, hint: 'Ensure that no rows proposed for insertion within the same command have duplicate constrained values.' },
    };
    return [finding];
  },
};

interface Uncovered {
  node: PgNode;
  keys: string[];
  text: string;
  /** for rows that are not grouped: why two of them can share a key */
  why?: string;
}

function uncoveredGrouping(ctx: RuleContext): Uncovered | undefined {
  const insert = ctx.stmt.ast?.InsertStmt;
  const occ = insert?.onConflictClause?.OnConflictClause ?? insert?.onConflictClause;
  if (!insert || occ?.action !== 'ONCONFLICT_UPDATE') return undefined;
  const infer = occ.infer?.InferClause ?? occ.infer;
  const keys: string[] = [];
  for (const e of infer?.indexElems ?? []) {
    const name = e.IndexElem?.name;
    if (!name) return undefined;
    keys.push(name);
  }
  if (!keys.length) return undefined;
  const select = insert.selectStmt?.SelectStmt;
  if (!select || (select.op && select.op !== 'SETOP_NONE') || select.valuesLists) return undefined;
  if (select.limitCount?.A_Const?.ival?.ival === 1) return undefined;
  const items: PgNode[] = select.targetList ?? [];
  if (items.some((t) => (t.ResTarget?.val?.ColumnRef?.fields ?? []).some((f: PgNode) => f.A_Star))) return undefined;
  const rv = insert.relation;
  let cols: string[] = (insert.cols ?? []).map((c: PgNode) => c.ResTarget?.name as string);
  if (!cols.length) {
    const table = ctx.model.resolve(rv.schemaname, rv.relname, ctx.session.searchPath);
    if (!table || table.columnsIncomplete) return undefined;
    cols = table.columns.map((c) => c.name);
  }
  const keyExprs: PgNode[] = [];
  for (const k of keys) {
    const v = items[cols.indexOf(k)]?.ResTarget?.val;
    // a key column the INSERT does not write takes its default (a sequence makes every row unique): nothing to say
    if (cols.indexOf(k) < 0 || !v) return undefined;
    keyExprs.push(v);
  }
  // what the rows are unique on
  let grouping: PgNode[];
  if (select.groupClause?.length) {
    if (select.groupClause.some((g: PgNode) => g.GroupingSet)) return undefined;
    grouping = select.groupClause;
  } else if (select.distinctClause?.length) {
    const plain = select.distinctClause.length === 1 && !Object.keys(select.distinctClause[0] ?? {}).length;
    grouping = plain ? items.map((t) => t.ResTarget?.val).filter(Boolean) : select.distinctClause;
  } else return ungroupedRows(ctx, select, items, keyExprs, keys);

  const from = relationsOf(select.fromClause ?? [], ctx);
  // columns the joins and the WHERE clause make equal (`JOIN r ON r.tenant_id = e.tenant_id`)
  const equal = equalColumns(select, from);
  const keyOf = (n: PgNode): string | undefined => {
    const c = columnOf(n, from);
    if (c) return equal.find(`${c.alias}.${c.column}`);
    // an unqualified column several tables have, all joined equal (JOIN .. USING (col)): that class
    const parts = n.ColumnRef ? nameList(n.ColumnRef.fields) : [];
    if (parts.length !== 1) return undefined;
    const classes = new Set(from.filter((r) => r.table.columns.some((x) => x.name === parts[0])).map((r) => equal.find(`${r.alias}.${parts[0]}`)));
    return classes.size === 1 ? [...classes][0] : undefined;
  };
  const covered = (g: PgNode): boolean =>
    keyExprs.some((k) => {
      if (sameExpr(g, k)) return true;
      // a cast of a grouped expression: the rule cannot tell whether it merges groups (date_trunc('day', ..)::date
      // does not, date_trunc('hour', ..)::date does) and stays silent; a known narrowing cast of a grouped column
      // (`created_at::date` grouped by a timestamp created_at) merges them, and is not taken
      if (k.TypeCast) {
        let inner: PgNode = k;
        while (inner.TypeCast) inner = inner.TypeCast.arg;
        if (sameExpr(g, inner) && !narrowingCast(columnOf(g, from)?.table, g, k)) return true;
      }
      const a = keyOf(g);
      return a !== undefined && a === keyOf(k);
    });
  const resolved = grouping.map((g) => ({ node: g, candidates: candidatesOf(g, items) }));
  const coveredSet = new Set(resolved.filter((r) => r.candidates.some(covered)).map((r) => r.node));
  for (const r of resolved) {
    if (coveredSet.has(r.node) || r.candidates.some((c) => isConstant(c, ctx.stmt.variables))) continue;
    // functional dependency: a column of a table whose primary key columns are all grouped (and covered)
    const col = r.candidates.map((c) => columnOf(c, from)).find(Boolean);
    if (col?.table.primaryKey?.length) {
      const pk = col.table.primaryKey;
      const coveredCols = resolved.filter((x) => coveredSet.has(x.node)).flatMap((x) => x.candidates.map((c) => columnOf(c, from)).filter(Boolean)) as { table: TableModel; alias: string; column: string }[];
      if (pk.every((p) => coveredCols.some((c) => c.alias === col.alias && c.column === p) || keyExprs.some((k) => keyOf(k) === equal.find(`${col.alias}.${p}`)))) continue;
    }
    // an expression the SELECT does not know well enough (a subquery, a parameter): nothing to say
    if (r.candidates.some((c) => hasSublinkOrParam(c))) return undefined;
    return { node: r.node, keys, text: textOf(ctx, r.node) };
  }
  return undefined;
}

/**
 * A SELECT of one table's rows, not grouped: its rows are unique on the table's primary key (or a unique key), and so on
 * the conflict key only when the key's expressions hold every column of one of them as written (or the WHERE pins it
 * to a constant). A table without a declared key, a join, an aggregate or a set-returning function: nothing to say.
 */
function ungroupedRows(ctx: RuleContext, select: PgNode, items: PgNode[], keyExprs: PgNode[], keys: string[]): Uncovered | undefined {
  const from: PgNode[] = select.fromClause ?? [];
  const rv = from.length === 1 ? from[0].RangeVar : undefined;
  if (!rv) return undefined;
  const table = ctx.model.resolve(rv.schemaname, rv.relname, ctx.session.searchPath);
  const uniques = table ? [table.primaryKey, ...table.uniqueKeys].filter((k): k is string[] => !!k?.length) : [];
  if (!table || !uniques.length) return undefined;
  const cat = builtins();
  let collapses = false;
  walk(items, (type, f) => {
    if (type === 'SubLink') return false;
    if (type === 'FuncCall' && !f.over) {
      const name = functionName(f);
      if (f.agg_star || isAggregate(name) || cat.functionsNamed(name).some((o) => o.returnsSet || o.kind === 'a')) collapses = true;
    }
    return undefined;
  });
  if (collapses || (select.limitCount && select.limitCount.A_Const?.ival?.ival !== undefined && select.limitCount.A_Const.ival.ival <= 1)) return undefined;
  const alias = rv.alias?.aliasname ?? rv.relname;
  const vars = ctx.stmt.variables;
  // the column an expression keeps one-to-one: the column itself, cast, or plus / minus a constant (`id + 100000`)
  const plain = (n: PgNode): string | undefined => {
    if (n.TypeCast) return plain(n.TypeCast.arg);
    const e = n.A_Expr;
    if (e?.kind === 'AEXPR_OP' && e.lexpr && ['+', '-'].includes(nameList(e.name).join(''))) {
      if (isConstant(e.rexpr, vars)) return plain(e.lexpr);
      if (isConstant(e.lexpr, vars)) return plain(e.rexpr);
      return undefined;
    }
    const parts = n.ColumnRef ? nameList(n.ColumnRef.fields) : [];
    if (parts.length === 1 || (parts.length === 2 && parts[0] === alias)) return parts[parts.length - 1];
    return undefined;
  };
  const held = new Set(keyExprs.map(plain).filter((c): c is string => !!c));
  for (const q of conjuncts(select.whereClause)) {
    const e = q.A_Expr;
    if (!e || e.kind !== 'AEXPR_OP' || nameList(e.name).join('') !== '=') continue;
    const l = plain(e.lexpr ?? {});
    const r = plain(e.rexpr ?? {});
    if (l && e.rexpr && isConstant(e.rexpr, vars)) held.add(l);
    if (r && e.lexpr && isConstant(e.lexpr, vars)) held.add(r);
  }
  if (uniques.some((u) => u.every((c) => held.has(c)))) return undefined;
  const key = table.primaryKey?.length ? table.primaryKey : uniques[0];
  const missing = key.filter((c) => !held.has(c));
  return {
    node: from[0],
    keys,
    text: rv.relname,
    why: `each row of ${rv.relname} is one (${key.join(', ')}), and the conflict key (${keys.join(', ')}) does not hold ${missing.join(', ')}`,
  };
}

/** A constant (through casts), a parameter or a PL/pgSQL variable: the same for every row. */
function isConstant(n: PgNode | undefined, variables: readonly string[] = []): boolean {
  if (!n) return false;
  if (n.A_Const || n.ParamRef) return true;
  if (n.TypeCast) return isConstant(n.TypeCast.arg, variables);
  const parts = n.ColumnRef ? nameList(n.ColumnRef.fields) : [];
  return parts.length === 1 && variables.includes(parts[0]);
}

/** The column equalities of the WHERE clause's and the inner joins' top-level AND (`a.x = b.y`), as classes of `alias.column`. */
function equalColumns(select: PgNode, from: FromRel[]): UnionFind {
  const classes = new UnionFind();
  const quals: PgNode[] = [...conjuncts(select.whereClause)];
  const relsUnder = (n: PgNode | undefined): PgNode[] => (!n ? [] : n.JoinExpr ? [...relsUnder(n.JoinExpr.larg), ...relsUnder(n.JoinExpr.rarg)] : n.RangeVar ? [n.RangeVar] : []);
  const joins = (n: PgNode | undefined): void => {
    const j = n?.JoinExpr;
    if (!j) return;
    if (j.jointype === 'JOIN_INNER') {
      quals.push(...conjuncts(j.quals));
      // USING (c): the c of each side is one column
      for (const c of nameList(j.usingClause ?? [])) {
        const sides = [relsUnder(j.larg), relsUnder(j.rarg)].map((rvs) => rvs.map((rv) => from.find((r) => r.alias === (rv.alias?.aliasname ?? rv.relname))).filter((r) => r?.table.columns.some((x) => x.name === c)));
        const names = sides.flat().map((r) => `${r!.alias}.${c}`);
        for (let i = 1; i < names.length; i++) classes.union(names[0], names[i]);
      }
    }
    joins(j.larg);
    joins(j.rarg);
  };
  for (const f of select.fromClause ?? []) joins(f);
  for (const q of quals) {
    const e = q.A_Expr;
    if (!e || e.kind !== 'AEXPR_OP' || nameList(e.name).join('') !== '=') continue;
    const a = e.lexpr && columnOf(e.lexpr, from);
    const b = e.rexpr && columnOf(e.rexpr, from);
    if (a && b) classes.union(`${a.alias}.${a.column}`, `${b.alias}.${b.column}`);
  }
  return classes;
}

/** A GROUP BY / DISTINCT ON item and what it may stand for: `1` is the first SELECT item, a name may be an output alias. */
function candidatesOf(g: PgNode, items: PgNode[]): PgNode[] {
  const n = g.A_Const?.ival;
  if (n && typeof n.ival === 'number') {
    const v = items[n.ival - 1]?.ResTarget?.val;
    return v ? [v] : [g];
  }
  const ref = g.ColumnRef;
  if (ref && ref.fields?.length === 1) {
    const name = nameList(ref.fields)[0];
    const alias = items.find((t) => t.ResTarget?.name === name)?.ResTarget?.val;
    if (alias) return [g, alias];
  }
  return [g];
}

/** The same expression, `e.tenant_id` and `tenant_id` alike when they name the same column. */
function sameExpr(a: PgNode, b: PgNode): boolean {
  return sameTree(a, b, (x, y) => {
    if (x.ColumnRef && y.ColumnRef) {
      const p = nameList(x.ColumnRef.fields);
      const q = nameList(y.ColumnRef.fields);
      if (!p.length || !q.length || p[p.length - 1] !== q[q.length - 1]) return false;
      return p.length === 1 || q.length === 1 || p.join('.') === q.join('.');
    }
    return undefined;
  });
}

interface FromRel {
  alias: string;
  table: TableModel;
}

/** The tables of a FROM list with their reference names (joins followed; subqueries and functions left out). */
function relationsOf(from: PgNode[], ctx: RuleContext): FromRel[] {
  const out: FromRel[] = [];
  const visit = (n: PgNode | undefined): void => {
    if (!n) return;
    if (n.RangeVar) {
      const rv = n.RangeVar;
      const table = ctx.model.resolve(rv.schemaname, rv.relname, ctx.session.searchPath);
      if (table) out.push({ alias: rv.alias?.aliasname ?? rv.relname, table });
    } else if (n.JoinExpr) {
      visit(n.JoinExpr.larg);
      visit(n.JoinExpr.rarg);
    }
  };
  for (const f of from) visit(f);
  return out;
}

/** a cast that maps several values of a grouped column onto one: timestamps to date, fractional numbers to integers */
function narrowingCast(table: TableModel | undefined, g: PgNode, k: PgNode): boolean {
  const parts = g.ColumnRef ? nameList(g.ColumnRef.fields) : [];
  const from = table?.columns.find((c) => c.name === parts[parts.length - 1])?.type;
  const to = canonicalTypeName(typeNameOf(k.TypeCast.typeName));
  if (!from) return false;
  if (/^timestamp/.test(from)) return to === 'date';
  if (/^(numeric|double precision|real)/.test(from)) return ['smallint', 'integer', 'bigint'].includes(to);
  return false;
}

/** The table column a plain column reference names (unqualified: when one table of FROM has it). */
function columnOf(n: PgNode, from: FromRel[]): { table: TableModel; alias: string; column: string } | undefined {
  const ref = n.ColumnRef;
  if (!ref) return undefined;
  const parts = nameList(ref.fields);
  const column = parts[parts.length - 1];
  const owners = parts.length === 2 ? from.filter((r) => r.alias === parts[0]) : parts.length === 1 ? from.filter((r) => r.table.columns.some((c) => c.name === column)) : [];
  if (owners.length !== 1 || !owners[0].table.columns.some((c) => c.name === column)) return undefined;
  return { table: owners[0].table, alias: owners[0].alias, column };
}

function hasSublinkOrParam(n: PgNode): boolean {
  let found = false;
  walk(n, (type) => {
    if (type === 'SubLink' || type === 'ParamRef') found = true;
    return found ? false : undefined;
  });
  return found;
}

/** The grouping item as written (up to the next top-level comma or the end of the clause). */
function textOf(ctx: RuleContext, n: PgNode): string {
  const s = ctx.stmt.text;
  const at = ctx.stmt.toDocumentOffset(firstLoc(n)) - ctx.stmt.start;
  if (at < 0 || at >= s.length) return 'an expression';
  let depth = 0;
  let i = at;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (c === ',' || c === ';' || /^\s+(ORDER|HAVING|LIMIT|ON|WINDOW|OFFSET|FROM)\b/i.test(s.slice(i, i + 12)))) break;
  }
  return s.slice(at, i).trim() || 'an expression';
}
