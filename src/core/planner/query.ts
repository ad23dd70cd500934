/**
 * A model of a SELECT for the pushdown rules: every query level (the SELECT itself, FROM subqueries,
 * sublinks, CTEs, set-operation leaves), the relations each reads, how output columns trace back to
 * table columns, and the equalities that join distribution columns. Built once per INSERT..SELECT from
 * the libpg-query tree; the checks in ./checks.ts and ./predict.ts read it.
 */
import { parseSql } from '../parse/libpg';
import { functionName, isStarRef, nameList, nodeType, outputColumnName, relocated, walk, type PgNode } from '../parse/ast';
import type { SessionState } from '../schema/ddl';
import { functionVolatility, isAggregate, type Volatility } from '../schema/functions';
import { findColumn, hasDistributionKey, type SchemaModel, type TableModel } from '../schema/model';

/** One occurrence of a base relation in the query (a table can occur several times). */
export interface RelOcc {
  id: number;
  table: TableModel;
  alias: string;
  /** byte location of the relation name in the statement */
  location: number;
  level: QueryLevel;
}

/** Where a value comes from, followed through subqueries and inlined CTEs. */
export type Origin =
  | { kind: 'column'; rel: RelOcc; column: string }
  | { kind: 'const' }
  | { kind: 'values' }
  | { kind: 'function' }
  | { kind: 'expr'; node: PgNode }
  | { kind: 'unknown' };

export interface CteDef {
  name: string;
  query: PgNode; // the CTE's statement node (SelectStmt / InsertStmt / ...)
  materialized: 'default' | 'always' | 'never';
  recursive: boolean;
  refCount: number;
  level?: QueryLevel;
  /** where the CTE list lives: the INSERT or a SELECT level */
  owner: 'insert' | 'select';
  location: number;
}

export type FromItem =
  | { kind: 'rel'; alias: string; rel: RelOcc }
  | { kind: 'subquery'; alias: string; level: QueryLevel; colnames: string[]; lateral: boolean }
  | { kind: 'function'; alias: string; colnames: string[]; immutable: boolean; location: number; name: string }
  | { kind: 'values'; alias: string; colnames: string[]; rows: number; immutable: boolean; location: number }
  | { kind: 'cte'; alias: string; cte: CteDef; location: number }
  | { kind: 'unknown'; alias: string; name: string; location: number };

export interface Target {
  name: string;
  expr: PgNode | undefined;
  location: number;
}

export interface OuterJoin {
  type: 'LEFT' | 'RIGHT' | 'FULL';
  /** items on the preserved (outer) side and on the nullable side; for FULL, both are "outer" */
  left: FromItem[];
  right: FromItem[];
  location: number;
}

export type LevelRole = 'select' | 'from' | 'sublink' | 'cte' | 'setop';

export interface QueryLevel {
  select: PgNode; // SelectStmt fields
  role: LevelRole;
  parent?: QueryLevel;
  items: FromItem[];
  rels: RelOcc[];
  children: QueryLevel[];
  targets: Target[];
  outerJoins: OuterJoin[];
  ctes: Map<string, CteDef>;
  /** references a column of an enclosing query level */
  correlated: boolean;
  /** set operation: op and the leaf levels (in order) */
  setOp?: { op: 'UNION' | 'INTERSECT' | 'EXCEPT'; all: boolean; leaves: QueryLevel[] };
  /** a LATERAL FROM subquery (it sees the FROM items before it) */
  lateral?: boolean;
  /** the join kind of the sublink that holds this level, and the expression it is tested against */
  sublink?: { type: string; testExpr?: PgNode };
}

export interface Equality {
  a: Origin;
  b: Origin;
  level: QueryLevel;
}

export interface QueryModel {
  root: QueryLevel;
  levels: QueryLevel[];
  rels: RelOcc[];
  equalities: Equality[];
  /** `origin = constant` restrictions (for router pruning) */
  constFilters: { origin: Origin; level: QueryLevel }[];
  unknownTables: { name: string; location: number }[];
  /** tables modified by DML CTEs (WITH d AS (DELETE ... RETURNING *)) */
  dmlTables: TableModel[];
  insertCtes: Map<string, CteDef>;
}

export interface BuildContext {
  model: SchemaModel;
  session: SessionState;
  /** PL/pgSQL variables and parameters in scope (not columns) */
  variables: readonly string[];
}

export function buildQueryModel(select: PgNode, insertWith: PgNode | undefined, ctx: BuildContext): QueryModel {
  const qm: QueryModel = { root: undefined as unknown as QueryLevel, levels: [], rels: [], equalities: [], constFilters: [], unknownTables: [], dmlTables: [], insertCtes: new Map() };
  const builder = new Builder(qm, ctx);
  if (insertWith) builder.addCtes(insertWith, qm.insertCtes, 'insert', undefined);
  qm.root = builder.level(select, 'select', undefined, qm.insertCtes);
  return qm;
}

/** How deep views over views are expanded (PostgreSQL refuses cycles; this only bounds the work). */
export const MAX_VIEW_DEPTH = 8;

const viewDefinitions = new Map<string, PgNode | null>();

/**
 * A view's query: parsed from its CREATE VIEW in the workspace, or from the definition a snapshot or the
 * cluster gives (`pg_get_viewdef` text, parsed once per text). Undefined when there is none or it does not
 * parse as one SELECT (the view then stays an opaque local relation).
 */
export function viewQueryOf(table: TableModel): PgNode | undefined {
  if (table.viewQuery) return table.viewQuery as PgNode;
  const text = table.viewDefinition;
  if (!text) return undefined;
  let query = viewDefinitions.get(text);
  if (query === undefined) {
    const r = parseSql(text);
    query = r.ok && r.statements.length === 1 && r.statements[0].stmt.SelectStmt ? r.statements[0].stmt : null;
    if (viewDefinitions.size >= 1000) viewDefinitions.clear();
    viewDefinitions.set(text, query);
  }
  return query ?? undefined;
}

class Builder {
  private nextRel = 1;
  private viewDepth = 0;
  constructor(
    private readonly qm: QueryModel,
    private readonly ctx: BuildContext,
  ) {}

  addCtes(withClause: PgNode, into: Map<string, CteDef>, owner: 'insert' | 'select', parent: QueryLevel | undefined): void {
    const w = withClause.WithClause ?? withClause;
    for (const c of w.ctes ?? []) {
      const cte = c.CommonTableExpr;
      if (!cte) continue;
      const def: CteDef = {
        name: cte.ctename,
        query: cte.ctequery,
        materialized: cte.ctematerialized === 'CTEMaterializeAlways' ? 'always' : cte.ctematerialized === 'CTEMaterializeNever' ? 'never' : 'default',
        recursive: !!w.recursive,
        refCount: 0,
        owner,
        location: cte.location ?? 0,
      };
      into.set(def.name, def);
      if (cte.ctequery?.SelectStmt) {
        const scope = new Map([...(parent ? collectCtes(parent) : new Map<string, CteDef>()), ...into]);
        def.level = this.level(cte.ctequery.SelectStmt, 'cte', parent, scope);
      } else if (cte.ctequery) {
        // a DML CTE (DELETE ... RETURNING): record the relations it touches
        this.dmlRelations(cte.ctequery, parent);
      }
    }
  }

  private dmlRelations(stmt: PgNode, parent: QueryLevel | undefined): void {
    const dml = stmt.InsertStmt ?? stmt.UpdateStmt ?? stmt.DeleteStmt ?? stmt.MergeStmt;
    // the modified relation is a bare RangeVar field (not wrapped like FROM items)
    if (dml?.relation) this.resolveTable(dml.relation, parent);
    walk(stmt, (type, f) => {
      if (type === 'RangeVar') this.resolveTable(f, parent);
    });
  }

  level(select: PgNode, role: LevelRole, parent: QueryLevel | undefined, outerCtes: Map<string, CteDef>, lateral = false): QueryLevel {
    const level: QueryLevel = { select, role, parent, items: [], rels: [], children: [], targets: [], outerJoins: [], ctes: new Map(), correlated: false, lateral };
    this.qm.levels.push(level);
    if (parent) parent.children.push(level);
    // copy on write: the scope is shared with the enclosing level unless this level has its own WITH
    const scopeCtes = select.withClause ? new Map(outerCtes) : outerCtes;
    if (select.withClause) {
      this.addCtes(select.withClause, level.ctes, 'select', level);
      for (const [k, v] of level.ctes) scopeCtes.set(k, v);
    }
    if (select.op && select.op !== 'SETOP_NONE') {
      const leaves: QueryLevel[] = [];
      const visit = (s: PgNode): void => {
        if (s.op && s.op !== 'SETOP_NONE') {
          visit(s.larg.SelectStmt ?? s.larg);
          visit(s.rarg.SelectStmt ?? s.rarg);
        } else leaves.push(this.level(s, 'setop', level, scopeCtes));
      };
      visit(select);
      const op = select.op === 'SETOP_UNION' ? 'UNION' : select.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT';
      level.setOp = { op, all: !!select.all, leaves };
      level.targets = leaves[0]?.targets ?? [];
      return level;
    }
    (level as { scopeCtes?: Map<string, CteDef> }).scopeCtes = scopeCtes;
    for (const item of select.fromClause ?? []) this.fromItem(item, level, scopeCtes);
    for (const [i, t] of (select.targetList ?? []).entries()) {
      const rt = t.ResTarget;
      if (!rt) continue;
      if (nodeType(rt.val) === 'ColumnRef' && isStarRef(rt.val.ColumnRef)) {
        this.expandStar(rt.val.ColumnRef, level, rt.location ?? 0);
        continue;
      }
      level.targets.push({ name: rt.name ?? outputColumnName(rt.val, i), expr: rt.val, location: rt.location ?? firstLoc(rt.val) });
    }
    // sublinks in the target list, WHERE, HAVING, ON clauses are processed by scanning expressions
    for (const t of select.targetList ?? []) this.expression(t.ResTarget?.val, level, scopeCtes);
    this.expression(select.whereClause, level, scopeCtes, true);
    this.expression(select.havingClause, level, scopeCtes);
    return level;
  }

  /**
   * A view in FROM is the subquery PostgreSQL's rewriter puts in its place before Citus plans. Its nodes
   * are moved to the view's name in this statement, so findings about the view's query point there; it
   * sees none of this statement's CTEs.
   */
  private viewItem(rv: PgNode, table: TableModel, viewQuery: PgNode, alias: string, level: QueryLevel): FromItem {
    const query = relocated(viewQuery, rv.location ?? 0);
    this.viewDepth++;
    const sub = this.level(query.SelectStmt, 'from', level, new Map());
    this.viewDepth--;
    const aliased = nameList(rv.alias?.colnames);
    const colnames = table.columns.map((c, i) => aliased[i] ?? c.name);
    const item: FromItem = { kind: 'subquery', alias, level: sub, colnames, lateral: false };
    level.items.push(item);
    return item;
  }

  private expandStar(ref: PgNode, level: QueryLevel, location: number): void {
    const fields = ref.fields as PgNode[];
    const qualifier = fields.length > 1 ? nameList(fields.slice(0, -1)) : [];
    const items = qualifier.length ? level.items.filter((it) => it.alias === qualifier[qualifier.length - 1]) : level.items;
    for (const item of items) {
      for (const name of itemColumns(item)) {
        level.targets.push({ name, expr: { ColumnRef: { fields: [{ String: { sval: item.alias } }, { String: { sval: name } }], location } }, location });
      }
    }
  }

  private fromItem(node: PgNode, level: QueryLevel, ctes: Map<string, CteDef>): FromItem[] {
    if (node.RangeVar) {
      const rv = node.RangeVar;
      const alias = rv.alias?.aliasname ?? rv.relname;
      if (!rv.schemaname && ctes.has(rv.relname)) {
        const cte = ctes.get(rv.relname)!;
        cte.refCount++;
        const item: FromItem = { kind: 'cte', alias, cte, location: rv.location ?? 0 };
        level.items.push(item);
        return [item];
      }
      const table = this.ctx.model.resolve(rv.schemaname, rv.relname, this.ctx.session.searchPath);
      if (!table) {
        this.qm.unknownTables.push({ name: rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname, location: rv.location ?? 0 });
        const item: FromItem = { kind: 'unknown', alias, name: rv.relname, location: rv.location ?? 0 };
        level.items.push(item);
        return [item];
      }
      const viewQuery = table.kind === 'view' && this.viewDepth < MAX_VIEW_DEPTH ? viewQueryOf(table) : undefined;
      if (viewQuery) return [this.viewItem(rv, table, viewQuery, alias, level)];
      const rel: RelOcc = { id: this.nextRel++, table, alias, location: rv.location ?? 0, level };
      level.rels.push(rel);
      this.qm.rels.push(rel);
      const item: FromItem = { kind: 'rel', alias, rel };
      level.items.push(item);
      return [item];
    }
    if (node.RangeSubselect) {
      const rs = node.RangeSubselect;
      const alias = rs.alias?.aliasname ?? '?subquery?';
      const inner = rs.subquery?.SelectStmt;
      if (inner?.valuesLists && (!inner.op || inner.op === 'SETOP_NONE')) {
        const rows = inner.valuesLists.length;
        let immutable = true;
        walk(inner.valuesLists, (type, f) => {
          if (type === 'FuncCall' && functionVolatility(functionName(f)) !== 'immutable') immutable = false;
        });
        const width = inner.valuesLists[0]?.List?.items?.length ?? 0;
        const colnames = nameList(rs.alias?.colnames);
        for (let k = colnames.length; k < width; k++) colnames.push(`column${k + 1}`);
        const item: FromItem = { kind: 'values', alias, colnames, rows, immutable, location: firstLoc(inner) };
        level.items.push(item);
        return [item];
      }
      const sub = this.level(inner ?? {}, 'from', level, ctes, !!rs.lateral);
      const colnames = nameList(rs.alias?.colnames);
      const item: FromItem = { kind: 'subquery', alias, level: sub, colnames, lateral: !!rs.lateral };
      level.items.push(item);
      return [item];
    }
    if (node.RangeFunction) {
      const rf = node.RangeFunction;
      const call = rf.functions?.[0]?.List?.items?.[0];
      const fc = call?.FuncCall;
      const name = fc ? functionName(fc) : 'function';
      let immutable = true;
      walk(call, (type, f) => {
        if (type === 'FuncCall' && (this.ctx.model.functions.get(functionName(f)) ?? functionVolatility(functionName(f))) !== 'immutable') immutable = false;
        if (type === 'SQLValueFunction') immutable = false;
      });
      const alias = rf.alias?.aliasname ?? name;
      const colnames = nameList(rf.alias?.colnames);
      if (colnames.length === 0) colnames.push(alias);
      if (name === 'jsonb_each' || name === 'json_each' || name === 'jsonb_each_text' || name === 'json_each_text') colnames.push('key', 'value');
      // columns referenced through the function arguments (LATERAL): e.g. jsonb_object_keys(e.payload)
      this.expression(call, level, new Map());
      const item: FromItem = { kind: 'function', alias, colnames, immutable, location: fc?.location ?? 0, name };
      level.items.push(item);
      return [item];
    }
    if (node.RangeTableSample) {
      // FROM t TABLESAMPLE SYSTEM (10): the sampled relation is read like the table itself
      return this.fromItem(node.RangeTableSample.relation, level, ctes);
    }
    if (node.JoinExpr) {
      const j = node.JoinExpr;
      const left = this.fromItem(j.larg, level, ctes);
      const right = this.fromItem(j.rarg, level, ctes);
      if (j.usingClause?.length) {
        for (const name of nameList(j.usingClause)) {
          const a = this.columnInItems(name, left);
          const b = this.columnInItems(name, right);
          if (a && b) this.qm.equalities.push({ a, b, level });
        }
      }
      if (j.quals) this.expression(j.quals, level, ctes, true);
      const type = j.jointype === 'JOIN_LEFT' ? 'LEFT' : j.jointype === 'JOIN_RIGHT' ? 'RIGHT' : j.jointype === 'JOIN_FULL' ? 'FULL' : undefined;
      if (type) level.outerJoins.push({ type, left, right, location: firstLoc(j.rarg) });
      return [...left, ...right];
    }
    return [];
  }

  private columnInItems(name: string, items: FromItem[]): Origin | undefined {
    for (const item of items) {
      const o = this.itemColumn(item, name);
      if (o) return o;
    }
    return undefined;
  }

  /** The origin of column `name` of a FROM item, or undefined when the item has no such column. */
  itemColumn(item: FromItem, name: string): Origin | undefined {
    switch (item.kind) {
      case 'rel':
        return findColumn(item.rel.table, name) || item.rel.table.columns.length === 0 ? { kind: 'column', rel: item.rel, column: name } : undefined;
      case 'subquery': {
        const idx = item.colnames.length ? item.colnames.indexOf(name) : item.level.targets.findIndex((t) => t.name === name);
        if (idx < 0) return undefined;
        return this.targetOrigin(item.level, idx);
      }
      case 'cte': {
        const level = item.cte.level;
        if (!level) return { kind: 'unknown' };
        const idx = level.targets.findIndex((t) => t.name === name);
        if (idx < 0) return undefined;
        return item.cte.owner === 'insert' ? { kind: 'unknown' } : this.targetOrigin(level, idx);
      }
      case 'values':
        return item.colnames.includes(name) ? { kind: 'values' } : undefined;
      case 'function':
        return item.colnames.includes(name) ? { kind: 'function' } : undefined;
      case 'unknown':
        return { kind: 'unknown' };
    }
  }

  /** The origin of the `index`-th output column of a level. */
  targetOrigin(level: QueryLevel, index: number): Origin {
    if (level.setOp) {
      const leaf = level.setOp.leaves[0];
      return leaf ? this.targetOrigin(leaf, index) : { kind: 'unknown' };
    }
    const t = level.targets[index];
    if (!t?.expr) return { kind: 'unknown' };
    return this.origin(t.expr, level);
  }

  /** Follows an expression to where its value comes from (plain column references only). */
  origin(expr: PgNode, level: QueryLevel): Origin {
    if (expr.ColumnRef) return this.resolveColumn(expr.ColumnRef, level) ?? { kind: 'unknown' };
    if (expr.A_Const) return { kind: 'const' };
    if (expr.ParamRef) return { kind: 'const' };
    return { kind: 'expr', node: expr };
  }

  resolveColumn(ref: PgNode, level: QueryLevel): Origin | undefined {
    const parts = nameList(ref.fields);
    if (parts.length === 0) return undefined;
    const column = parts[parts.length - 1];
    const qualifier = parts.length > 1 ? parts[parts.length - 2] : undefined;
    // the levels visible from this one (as visibleLevels, without allocating: this runs for every column)
    let depth = 0;
    let child = level;
    for (let l: QueryLevel | undefined = level; l && depth <= 64; child = l, l = l.parent, depth++) {
      if (depth > 0) {
        const hidden = (child.role === 'from' && !child.lateral) || child.role === 'setop' || child.role === 'cte';
        if (hidden) continue;
      }
      // a sublink sees its enclosing levels' FROM items; a FROM subquery only those above its own level
      for (const item of l.items) {
        if (qualifier && item.alias !== qualifier) continue;
        const o = this.itemColumn(item, column);
        if (o) {
          if (depth > 0) markCorrelated(level, l);
          return o;
        }
      }
      if (l.role === 'cte' && !l.parent) break;
    }
    if (parts.length === 1 && this.ctx.variables.includes(column)) return { kind: 'const' };
    if (qualifier && this.ctx.variables.includes(qualifier)) return { kind: 'const' };
    return undefined;
  }

  private resolveTable(rv: PgNode, _level: QueryLevel | undefined): void {
    const table = this.ctx.model.resolve(rv.schemaname, rv.relname, this.ctx.session.searchPath);
    if (!table) this.qm.unknownTables.push({ name: rv.relname, location: rv.location ?? 0 });
    else this.qm.dmlTables.push(table);
  }

  /**
   * Scans an expression: sublinks become child levels; with `restriction`, top-level AND-ed equalities
   * become join equalities / constant filters.
   */
  expression(expr: PgNode | undefined, level: QueryLevel, ctes: Map<string, CteDef>, restriction = false): void {
    if (!expr) return;
    // `... AND false` folds to false (eval_const_expressions): none of its equalities reach the planner
    if (restriction && !andedTerms(expr).some((t) => t.A_Const?.boolval && !t.A_Const.boolval.boolval)) this.restriction(expr, level);
    const conjuncts = restriction ? andedTerms(expr) : [];
    walk(expr, (type, f, wrapper) => {
      if (type === 'SubLink') {
        const sub = f.subselect?.SelectStmt;
        if (sub) {
          const child = this.level(sub, 'sublink', level, collectCtes(level, ctes));
          child.sublink = { type: f.subLinkType, testExpr: f.testexpr };
          if (f.subLinkType === 'ANY_SUBLINK' && f.testexpr && child.targets[0]?.expr) {
            // x IN (SELECT y ...) as an AND-ed term, uncorrelated: PostgreSQL makes it a semi-join on x = y (a
            // correlated one, or one under NOT / OR, stays a subplan and equates nothing)
            const a = this.origin(f.testexpr, level);
            const b = this.targetOrigin(child, 0);
            if (conjuncts.includes(wrapper) && !child.correlated) this.qm.equalities.push({ a, b, level: child });
          }
        }
        return false;
      }
      if (type === 'ColumnRef') {
        this.resolveColumn(f, level);
      }
      return undefined;
    });
  }

  private restriction(expr: PgNode, level: QueryLevel): void {
    if (expr.BoolExpr?.boolop === 'AND_EXPR') {
      for (const a of expr.BoolExpr.args ?? []) this.restriction(a, level);
      return;
    }
    const e = expr.A_Expr;
    if (!e || e.kind !== 'AEXPR_OP' || nameList(e.name).join('.') !== '=') {
      if (e?.kind === 'AEXPR_IN' && e.lexpr?.ColumnRef) {
        const list = e.rexpr?.List?.items ?? [];
        if (list.length === 1 && isConstant(list[0])) this.qm.constFilters.push({ origin: this.origin(e.lexpr, level), level });
      }
      return;
    }
    const l = stripCast(e.lexpr);
    const r = stripCast(e.rexpr);
    if (l?.ColumnRef && r?.ColumnRef) {
      const a = this.resolveColumn(l.ColumnRef, level);
      const b = this.resolveColumn(r.ColumnRef, level);
      // a PL/pgSQL or psql variable is a value: `tenant_id = v_tenant` pins the column like a constant
      if (a?.kind === 'const' && b) this.qm.constFilters.push({ origin: b, level });
      else if (b?.kind === 'const' && a) this.qm.constFilters.push({ origin: a, level });
      else if (a && b) this.qm.equalities.push({ a, b, level });
    } else if (l?.ColumnRef && isConstant(r)) {
      this.qm.constFilters.push({ origin: this.origin(l, level), level });
    } else if (r?.ColumnRef && isConstant(l)) {
      this.qm.constFilters.push({ origin: this.origin(r, level), level });
    }
  }
}

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

function collectCtes(level: QueryLevel, extra?: Map<string, CteDef>): Map<string, CteDef> {
  const own = (level as { scopeCtes?: Map<string, CteDef> }).scopeCtes ?? level.ctes;
  if (!extra || extra.size === 0 || extra === own) return own;
  return new Map([...own, ...extra]);
}

/** The terms of a top-level AND (the expression itself when it is not an AND). */
function andedTerms(expr: PgNode): PgNode[] {
  return expr.BoolExpr?.boolop === 'AND_EXPR' ? (expr.BoolExpr.args ?? []).flatMap((a: PgNode) => andedTerms(a)) : [expr];
}

function markCorrelated(level: QueryLevel, owner: QueryLevel): void {
  for (let l: QueryLevel | undefined = level; l && l !== owner; l = l.parent) l.correlated = true;
}

function isConstant(node: PgNode | undefined): boolean {
  const n = stripCast(node);
  return !!(n?.A_Const || n?.ParamRef);
}

function stripCast(node: PgNode | undefined): PgNode | undefined {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  return n;
}

function itemColumns(item: FromItem): string[] {
  switch (item.kind) {
    case 'rel':
      return item.rel.table.columns.map((c) => c.name);
    case 'subquery':
      return item.colnames.length ? item.colnames : item.level.targets.map((t) => t.name);
    case 'cte':
      return item.cte.level?.targets.map((t) => t.name) ?? [];
    case 'values':
    case 'function':
      return item.colnames;
    case 'unknown':
      return [];
  }
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

/** The first call in an expression that is not IMMUTABLE (STABLE now() and SQL value functions included). */
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
