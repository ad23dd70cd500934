/**
 * The semantic layer's one pass: PostgreSQL's parse analysis (src/backend/parser of PostgreSQL 15) over a
 * libpg-query tree, in PostgreSQL's order. It resolves relations (CTEs first, then the schema model, views
 * expanded), builds each query level's namespace with PostgreSQL's scoping (LATERAL, JOIN ... ON sees only the
 * join's inputs, JOIN USING / NATURAL merged columns, a non-recursive CTE does not see itself), resolves every
 * column reference (ambiguity, outer references, PL/pgSQL variables), types every expression (literals,
 * casts, operators, functions and aggregates with PostgreSQL's overload resolution, CASE / COALESCE / set
 * operation unification), and checks what PostgreSQL checks: unknown names, INSERT target lists and
 * assignment types, GROUP BY validity, misplaced aggregates and window functions.
 *
 * It records PostgreSQL's error for each problem (the first is the one PostgreSQL raises), and builds the query
 * model the Citus predictors read (./model.ts). Whatever the model does not know (an extension's function or
 * type, a table with unknown columns, a PL/pgSQL variable) is NO_TYPE and makes no error.
 */
import { containsNode, functionName, isLateralFunction, isStarRef, nameList, nodeType, relocated, sameTree, stringValue, stripCast, walk, type PgNode } from '../parse/ast';
import { parseSql } from '../parse/libpg';
import type { SessionState } from '../schema/ddl';
import { functionVolatility } from '../schema/functions';
import { deferrableKey } from '../schema/keyNames';
import { findColumn, qualifiedName, type ColumnModel, type FunctionDefinition, type SchemaModel, type TableModel } from '../schema/model';
import { canonicalTypeName, isKnownBuiltinType } from '../schema/types';
import { NO_TYPE, T, builtins, type FunctionInfo, type TypeId } from './catalog';
import { arrayTypeOf, canCoerce, castVolatility, maxVolatility, resolveFunction, resolveOperator, selectCommonType, type CallArgument } from './coerce';
import { datetimeUnitError } from './datetimeUnits';
import { editDistance } from '../editDistance';
import type { SemanticError, SemanticRule } from './errors';
import { REMOVED_CITUS_FUNCTIONS } from './citusRemoved';
import { citusCatalog } from '../complete/citus-catalog';
import { literalInputProblem } from './literals';
import { cteInlinable, type CteDef, type FromItem, type LevelRole, type Origin, type QueryLevel, type QueryModel, type RelOcc, type SetTarget, type Target } from './model';
import type { ResolveObserver } from './scope';
import { typeOfColumnType, typeOfTypeName } from './types';

export interface ResolveContext {
  model: SchemaModel;
  session: SessionState;
  /** PL/pgSQL variables and parameters in scope (not columns) */
  variables: readonly string[];
  /** the statement is nested in a function body (tables it creates itself are not in the model) */
  nested?: boolean;
  /** the statement has psql :'variables', replaced by string literals of underscores: their value is unknown */
  psqlLiterals?: boolean;
  /** sees each name as it is resolved (completion, navigation: ./scope.ts); off by default */
  observer?: ResolveObserver;
}

/** How deep views over views are expanded (PostgreSQL refuses cycles; this only bounds the work). */
export const MAX_VIEW_DEPTH = 8;

type ExprKind =
  | 'select'
  | 'where'
  | 'join-on'
  | 'having'
  | 'group-by'
  | 'order-by'
  | 'distinct-on'
  | 'limit'
  | 'offset'
  | 'values'
  /** a VALUES of several rows, or VALUES as a query (EXPR_KIND_VALUES); 'values' is one INSERT row (_SINGLE) */
  | 'values-rows'
  | 'from-function'
  | 'returning'
  | 'insert'
  | 'update'
  | 'filter'
  | 'window-partition'
  | 'window-order'
  | 'window-frame'
  | 'merge-when'
  | 'other';

/** ParseExprKindName(): how PostgreSQL's messages name a clause. */
const KIND_NAME: Record<ExprKind, string> = {
  select: 'SELECT',
  where: 'WHERE',
  'join-on': 'JOIN/ON',
  having: 'HAVING',
  'group-by': 'GROUP BY',
  'order-by': 'ORDER BY',
  'distinct-on': 'DISTINCT ON',
  limit: 'LIMIT',
  offset: 'OFFSET',
  values: 'VALUES',
  'values-rows': 'VALUES',
  'from-function': 'function in FROM',
  returning: 'RETURNING',
  insert: 'INSERT',
  update: 'UPDATE',
  filter: 'FILTER',
  'window-partition': 'window PARTITION BY',
  'window-order': 'window ORDER BY',
  'window-frame': 'window ROWS',
  'merge-when': 'MERGE WHEN',
  other: 'expression',
};

/** check_agglevels_and_constraints(): where an aggregate may not appear, and the message. */
function aggregatePlacementError(kind: ExprKind): string | undefined {
  switch (kind) {
    case 'select':
    case 'having':
    case 'order-by':
    case 'distinct-on':
    case 'window-partition':
    case 'window-order':
    case 'other':
      return undefined;
    case 'join-on':
      return 'aggregate functions are not allowed in JOIN conditions';
    case 'from-function':
      return 'aggregate functions are not allowed in functions in FROM';
    case 'window-frame':
      return 'aggregate functions are not allowed in window ROWS';
    case 'merge-when':
      return 'aggregate functions are not allowed in MERGE WHEN conditions';
    default:
      return `aggregate functions are not allowed in ${KIND_NAME[kind]}`;
  }
}

/** check_srf_call_placement(): where a set-returning function may not appear (undefined: allowed, or not modelled). */
function srfPlacement(kind: ExprKind): string | undefined {
  switch (kind) {
    case 'where':
    case 'having':
    case 'limit':
    case 'offset':
    case 'update':
    case 'filter':
      return KIND_NAME[kind];
    case 'join-on':
      return 'JOIN conditions';
    case 'merge-when':
      return 'MERGE WHEN conditions';
    case 'window-frame':
      return 'window definitions';
    case 'values-rows':
      return 'VALUES';
    default:
      // window PARTITION BY / ORDER BY take them (as GROUP BY and ORDER BY do), and a single-row INSERT .. VALUES
      return undefined;
  }
}

/** transformWindowFuncCall(): where a window function may not appear. */
function windowPlacementError(kind: ExprKind): string | undefined {
  switch (kind) {
    case 'select':
    case 'order-by':
    case 'distinct-on':
    case 'other':
      return undefined;
    case 'join-on':
      return 'window functions are not allowed in JOIN conditions';
    case 'from-function':
      return 'window functions are not allowed in functions in FROM';
    case 'window-partition':
    case 'window-order':
    case 'window-frame':
      return 'window functions are not allowed in window definitions';
    case 'merge-when':
      return 'window functions are not allowed in MERGE WHEN conditions';
    default:
      return `window functions are not allowed in ${KIND_NAME[kind]}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Namespaces (ParseNamespaceItem)

interface NsColumn {
  name: string;
  type: TypeId;
  /** the value's origin, for the predictors (a relation's columns derive it from their owner: see colOrigin) */
  origin?: Origin;
  /**
   * The FROM item the column belongs to. A join lists its inputs' column objects as they are, so a column seen
   * through a join still names its input (PostgreSQL flattens join alias variables for GROUP BY checks).
   */
  owner?: NsItem;
  /** a relation's own name for the column, when an alias list renamed it */
  column?: string;
  /** the input column a join alias column list renamed (`(a JOIN b USING (k)) AS j(x, ...)`) */
  via?: NsColumn;
  /** referenced by name only, not part of `*` (the columns SEARCH and CYCLE add, seen from a query level below) */
  noStar?: boolean;
}

const UNKNOWN_ORIGIN: Origin = Object.freeze({ kind: 'unknown' }) as Origin;
const CONST_ORIGIN: Origin = Object.freeze({ kind: 'const' }) as Origin;
/** the integer types, whose +, - and * PostgreSQL folds on constants (IMMUTABLE) */
const INTEGER_TYPES: ReadonlySet<TypeId> = new Set([T.INT2, T.INT4, T.INT8]);

/** A column's origin: its own, or the relation occurrence's column (made once, on first use). */
function colOrigin(c: NsColumn): Origin {
  if (c.origin) return c.origin;
  const rel = c.owner?.rel;
  if (!rel) return UNKNOWN_ORIGIN;
  c.origin = { kind: 'column', rel, column: c.column ?? c.name };
  return c.origin;
}

interface NsItem {
  /** the name qualified references use (alias, or the relation's name); undefined for an alias-less join */
  refname: string | undefined;
  /** schema of an unaliased relation (for `schema.table.column`) */
  schema?: string;
  /** a relation's own table, for functional dependency and "invalid reference" messages */
  table?: TableModel;
  aliased: boolean;
  relVisible: boolean;
  colsVisible: boolean;
  lateralOnly: boolean;
  lateralOk: boolean;
  /** undefined: the model does not know the columns (names resolve silently) */
  columns: NsColumn[] | undefined;
  /** the predictor's FROM item (not for joins) */
  item?: FromItem;
  /** a relation occurrence's: where its columns' values come from */
  rel?: RelOcc;
  /** JOIN ... USING: merged column names (the inputs' columns of these names are hidden for unqualified access) */
  id: number;
}

/** A resolved column reference. */
interface Binding {
  ns: NsItem | undefined;
  column: string;
  /** the input item and column a join's column stands for (else `ns` and `column`) */
  base?: NsItem;
  baseColumn?: string;
  type: TypeId;
  origin: Origin;
  /** query levels up (0: this level) */
  levelsUp: number;
  state: LevelState | undefined;
}

/** The parse state of one query level (ParseState). */
interface LevelState {
  level: QueryLevel;
  parent: LevelState | undefined;
  ns: NsItem[];
  /** every namespace item ever added at this level (the range table), for "invalid reference" messages */
  rtable: NsItem[];
  ctes: Map<string, CteDef>;
  lateralActive: boolean;
  /** lookups stop here (a view's query sees nothing of the statement around it) */
  isolated: boolean;
  /** errors inside are not reported (a view's stored query) */
  quiet: boolean;
  /** aggregates of this level, where they appear, for GROUP BY checks */
  hasAggs: boolean;
  /** a GROUPING() call was met in this level's expressions (see groupingOfUngrouped) */
  hasGroupingFunc?: boolean;
  /** leave unknown-literal output columns unresolved (the SELECT of an INSERT) */
  keepUnknowns: boolean;
  /** named windows (WINDOW w AS (...)) */
  windows?: Set<string>;
  /** the OVER (..) windows of this level's window function calls, checked after the WINDOW clause's (windowRules) */
  inlineWindows?: PgNode[];
  /** a sublink's level: the kind of the parent's expression it sits in (where an outer-level aggregate of it goes) */
  sublinkKind?: ExprKind;
}

interface LevelOptions {
  lateral?: boolean;
  /** leave unknown-literal output columns unresolved (the SELECT of an INSERT) */
  keepUnknowns?: boolean;
  /** a view's stored query: sees nothing around it, reports nothing */
  isolated?: boolean;
  /** the CTE this level defines (set before its body is transformed, so a recursive reference sees it) */
  cte?: CteDef;
}

interface ExprCtx {
  st: LevelState;
  kind: ExprKind;
}

/** What an expression's transformation found about aggregates and window calls (for nesting checks). */
export interface ResolveResult {
  query: QueryModel;
  errors: SemanticError[];
}

export class Resolver {
  readonly errors: SemanticError[] = [];
  readonly qm: QueryModel;
  private nextRel = 1;
  private nextNs = 1;
  private viewDepth = 0;
  /** aggregates and window calls of this level seen inside the expression being transformed (for nesting checks) */
  private scanAggs = 0;
  /** set-returning function calls seen under the current call's arguments, and where the last one is */
  private scanSrfs = 0;
  private lastSrfAt = 0;
  private scanWindows = 0;
  /** the lowest level (0 = this one) of the column references seen, for an aggregate's own level */
  private scanMinLevelsUp = Infinity;
  /** FuncCall fields -> the built-in function it resolved to */
  private readonly calls = new Map<PgNode, FunctionInfo>();
  /** ColumnRef fields -> binding, for restrictions and the GROUP BY check */
  private readonly bindings = new Map<PgNode, Binding>();
  /** A_Expr / TypeCast fields -> the volatility of the operator(s) or conversion they resolved to */
  private readonly volatilities = new Map<PgNode, 'i' | 's' | 'v'>();
  /** operators whose SQL-language function PostgreSQL's planner inlines into something of another volatility */
  private readonly inlinedVolatilities = new Map<PgNode, 'i' | 's' | 'v'>();
  /** TypeCast fields of casts to the type their argument already has: PostgreSQL drops them (coerce_type) */
  private readonly noopCasts = new Set<PgNode>();
  private readonly allStates: LevelState[] = [];

  constructor(private readonly ctx: ResolveContext) {
    this.qm = {
      root: undefined as unknown as QueryLevel,
      levels: [],
      rels: [],
      equalities: [],
      constFilters: [],
      unknownTables: [],
      dmlTables: [],
      insertCtes: new Map(),
      originOf: (expr: PgNode) => this.originOf(expr),
      volatilityOf: (fields: PgNode) => this.calls.get(fields)?.volatility ?? this.volatilities.get(fields),
      returnsSetOf: (fields: PgNode) => this.calls.get(fields)?.returnsSet,
      inlinedVolatilityOf: (fields: PgNode) => this.inlinedVolatilities.get(fields) ?? this.calls.get(fields)?.volatility ?? this.volatilities.get(fields),
      plannerCache: undefined,
    };
  }

  // ---- errors ----------------------------------------------------------------------------------
  private error(st: LevelState | undefined, rule: SemanticRule, message: string, location: number | undefined, extra: { node?: PgNode; name?: boolean; hint?: string; detail?: string; note?: string } = {}): void {
    if (st?.quiet || this.quietDepth > 0 || this.halted) return;
    this.errors.push({ rule, message, location: location ?? 0, ...extra });
  }
  /**
   * Set after an error PostgreSQL raises before it analyses the rest of the statement (a malformed WITH RECURSIVE), or
   * one that leaves the names the rest resolves through unlike PostgreSQL's (a table name used twice at one level): the
   * analysis goes on for the query model, but reports nothing more (what it would find is not what PostgreSQL says).
   */
  private halted = false;
  /** errors PostgreSQL raises when it plans the statement (constant folding), after every parse analysis error */
  private readonly planErrors: SemanticError[] = [];
  /** calls that fail whenever they are computed (a unit date_trunc does not know: ./datetimeUnits.ts), by call */
  readonly rowErrors = new Map<PgNode, string>();
  /** the statement divides (`/`, `%`): index.ts looks for a divisor of zero */
  divides = false;
  /** pins by a CTE's constant column, and the CTE (constantsOfCtesNotInlined) */
  private readonly cteConstants: { filter: QueryModel['constFilters'][number]; cte: CteDef }[] = [];

  /** A psql :'variable' of the statement (its placeholder is a literal of underscores): its value is not known. */
  private psqlPlaceholder(value: string): boolean {
    return !!this.ctx.psqlLiterals && /^_+$/.test(value);
  }

  /** The errors in the order PostgreSQL raises them: parse analysis first, then planning. */
  allErrors(): SemanticError[] {
    return this.errors.length || !this.planErrors.length ? this.errors : this.planErrors;
  }
  private quietDepth = 0;
  /** > 0 while transforming parts of a statement that are not the predictors' query (ON CONFLICT, RETURNING, holders) */
  private detached = 0;

  // ---- statements --------------------------------------------------------------------------------

  /** A top-level SELECT (or a SELECT the predictors build). */
  selectStatement(select: PgNode): QueryLevel {
    const root = this.level(select, 'select', undefined, undefined);
    this.qm.root = root;
    return root;
  }

  /**
   * INSERT: WITH, the target, its column list, the SELECT or VALUES, the counts and assignment types, then
   * ON CONFLICT and RETURNING (transformInsertStmt()). The query model's root is the SELECT's level.
   */
  insertStatement(ins: PgNode, outer?: LevelState): { target: TableModel | undefined; level?: QueryLevel } {
    // the INSERT's CTEs are visible to its SELECT, which has no enclosing query level of its own
    const holder = this.holderState(outer, outer ? (ins.withClause ? new Map() : undefined) : this.qm.insertCtes);
    const errorsBefore = this.errors.length;
    if (ins.withClause) this.addCtes(ins.withClause, holder.ctes, 'insert', holder);
    const rv = ins.relation;
    const target = this.targetTable(rv, holder);
    const columns = this.insertTargetColumns(ins, target, holder);
    const select = ins.selectStmt?.SelectStmt;
    let root: QueryLevel | undefined;
    if (select && isSimpleValues(select)) {
      const rows: PgNode[] = select.valuesLists ?? [];
      const width = rows[0]?.List?.items?.length ?? 0;
      this.detached++;
      for (const row of rows) {
        const items: PgNode[] = row.List?.items ?? [];
        if (rows.length > 1 && items.length !== width) {
          this.error(holder, 'datatype-mismatch', 'VALUES lists must all be the same length', firstLocation(row), { node: row });
          continue;
        }
        const types = items.map((e) => this.expr(e, { st: holder, kind: rows.length > 1 ? 'values-rows' : 'values' }));
        this.insertRow(holder, ins, columns, items.map((e, i) => ({ expr: e, type: types[i], location: firstLocation(e) })));
      }
      this.detached--;
    } else if (select) {
      if (outer) this.detached++;
      root = this.level(select, 'select', undefined, holder, { keepUnknowns: true });
      if (outer) this.detached--;
      else this.qm.root = root;
      if (!levelTargetsIncomplete(root)) this.insertRow(holder, ins, columns, root.targets);
    }
    this.detached++;
    this.onConflict(ins, target, holder);
    this.returning(ins.returningList, target, rv, holder);
    this.detached--;
    // the rewriter runs after a clean analysis
    if (this.errors.length === errorsBefore && target && columns && select && target.columns.some((c) => c.generated || c.identityAlways)) {
      const rows: PgNode[][] | undefined = isSimpleValues(select) ? (select.valuesLists ?? []).map((r: PgNode) => r.List?.items ?? []) : undefined;
      this.generatedColumns(holder, ins, target, columns, rows, root?.targets.length ?? 0);
    }
    return { target, level: root };
  }

  /** UPDATE: WITH, target, FROM, WHERE, RETURNING, then the SET list (transformUpdateStmt()). */
  updateStatement(upd: PgNode, outer?: LevelState): TableModel | undefined {
    const st = this.holderState(outer, upd.withClause ? new Map() : undefined);
    if (upd.withClause) this.addCtes(upd.withClause, st.ctes, 'select', st);
    const target = this.targetTable(upd.relation, st);
    const targetNs = this.targetNamespace(upd.relation, target, st);
    st.ns.push(targetNs);
    st.rtable.push(targetNs);
    this.fromClauseBesideTarget(upd.fromClause ?? [], targetNs, st);
    this.where(upd.whereClause, st, 'where', 'WHERE');
    this.returningIn(upd.returningList, st);
    this.setList(upd.targetList ?? [], target, upd.relation, st, outer === undefined);
    return target;
  }

  /** DELETE: WITH, target, USING, WHERE, RETURNING. */
  deleteStatement(del: PgNode, outer?: LevelState): TableModel | undefined {
    const st = this.holderState(outer, del.withClause ? new Map() : undefined);
    if (del.withClause) this.addCtes(del.withClause, st.ctes, 'select', st);
    const target = this.targetTable(del.relation, st);
    const targetNs = this.targetNamespace(del.relation, target, st);
    st.ns.push(targetNs);
    st.rtable.push(targetNs);
    this.fromClauseBesideTarget(del.usingClause ?? [], targetNs, st);
    this.where(del.whereClause, st, 'where', 'WHERE');
    this.returningIn(del.returningList, st);
    return target;
  }

  /** MERGE: target and source, the join condition, then each WHEN clause (transformMergeStmt()). */
  mergeStatement(merge: PgNode): TableModel | undefined {
    const st = this.holderState(undefined, merge.withClause ? new Map() : undefined);
    // transformMergeStmt(): a WHEN clause after an unconditional one of its kind (MATCHED, NOT MATCHED [BY TARGET],
    // NOT MATCHED BY SOURCE) can never run, and PostgreSQL refuses the statement before anything else
    const terminal = new Set<string>();
    for (const w of merge.mergeWhenClauses ?? []) {
      const clause = w.MergeWhenClause;
      if (!clause) continue;
      const kind = clause.matchKind ?? (clause.matched ? 'MERGE_WHEN_MATCHED' : 'MERGE_WHEN_NOT_MATCHED_BY_TARGET');
      if (terminal.has(kind)) {
        this.error(st, 'datatype-mismatch', 'unreachable WHEN clause specified after unconditional WHEN clause', undefined, { node: w });
        return undefined;
      }
      if (!clause.condition) terminal.add(kind);
    }
    if (merge.withClause) this.addCtes(merge.withClause, st.ctes, 'select', st);
    const target = this.targetTable(merge.relation, st);
    if (target && (target.kind === 'view' || target.kind === 'matview')) {
      this.error(st, 'datatype-mismatch', `cannot execute MERGE on relation "${target.name}"`, merge.relation.location, {
        name: true,
        detail: target.kind === 'view' ? 'This operation is not supported for views.' : 'This operation is not supported for materialized views.',
      });
    }
    const targetNs = this.targetNamespace(merge.relation, target, st);
    // the target is in the range table (not the namespace) while the source is transformed
    st.rtable.push(targetNs);
    const source = this.fromClause(merge.sourceRelation ? [merge.sourceRelation] : [], st);
    const clash = source.find((n) => n.relVisible && n.refname === targetNs.refname);
    if (clash) {
      this.error(st, 'datatype-mismatch', `name "${targetNs.refname}" specified more than once`, merge.relation.location, { name: true, detail: 'The name is used both as MERGE target table and data source.' });
      this.halted = true; // (the names the statement's columns resolve through are not PostgreSQL's any more)
    }
    st.rtable.pop();
    st.ns.push(targetNs);
    st.rtable.push(targetNs);
    this.where(merge.joinCondition, st, 'join-on', 'JOIN/ON');
    for (const w of merge.mergeWhenClauses ?? []) {
      const clause = w.MergeWhenClause;
      if (!clause) continue;
      // WHEN NOT MATCHED sees only the source
      const saved = st.ns;
      // WHEN NOT MATCHED [BY TARGET] sees only the source (PostgreSQL 17 names the kinds; 15 had `matched`)
      const bySource = clause.matchKind === 'MERGE_WHEN_MATCHED' || clause.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_SOURCE' || clause.matched === true;
      if (!bySource) st.ns = source;
      this.where(clause.condition, st, 'merge-when', 'WHEN');
      if (clause.commandType === 'CMD_UPDATE') this.setList(clause.targetList ?? [], target, merge.relation, st);
      else if (clause.commandType === 'CMD_INSERT') {
        const columns = this.insertTargetColumns({ cols: clause.targetList, relation: merge.relation }, target, st);
        const values: PgNode[] = clause.values ?? [];
        if (values.length) {
          const types = values.map((e) => this.expr(e, { st, kind: 'values' }));
          this.insertRow(st, { cols: clause.targetList }, columns, values.map((e, i) => ({ expr: e, type: types[i], location: firstLocation(e) })));
        }
      }
      st.ns = saved;
    }
    return target;
  }

  /** A level that holds a DML statement's namespace (no SELECT of its own). */
  private holderState(outer: LevelState | undefined, ctes?: Map<string, CteDef>): LevelState {
    this.detached++;
    const level = this.newLevel(HOLDER_SELECT, 'select', outer?.level);
    this.detached--;
    return this.newState(level, outer, ctes ?? NO_CTES);
  }

  private targetTable(rv: PgNode | undefined, st: LevelState): TableModel | undefined {
    if (!rv?.relname) return undefined;
    const table = this.ctx.model.resolve(rv.schemaname, rv.relname, this.ctx.session.searchPath);
    this.ctx.observer?.relation(rv, st, { table });
    // the predictors report an unknown target themselves; only PostgreSQL's error is recorded here
    if (!table) {
      this.detached++;
      this.unknownRelation(rv, st);
      this.detached--;
    }
    return table;
  }

  private targetNamespace(rv: PgNode, table: TableModel | undefined, st: LevelState): NsItem {
    const alias = rv.alias?.aliasname;
    let rel: RelOcc | undefined;
    if (table) {
      rel = { id: this.nextRel++, table, alias: alias ?? rv.relname, location: rv.location ?? 0, level: st.level };
    }
    return this.relationNs(table, rel, alias ?? rv.relname, !!alias, rv.schemaname ?? table?.schema, []);
  }

  /** checkInsertTargets(): the target columns (the column list, or every column), with their types. */
  private insertTargetColumns(ins: PgNode, target: TableModel | undefined, st: LevelState): { name: string; type: TypeId; known: boolean; column?: ColumnModel }[] | undefined {
    if (!target || !columnsKnown(target)) return undefined;
    const cols: PgNode[] | undefined = ins.cols;
    if (!cols?.length) return target.columns.map((c) => ({ name: c.name, type: typeOfColumnType(c.type), known: true, column: c }));
    const out: { name: string; type: TypeId; known: boolean; column?: ColumnModel }[] = [];
    const seen = new Set<string>();
    for (const c of cols) {
      const rt = c.ResTarget;
      if (!rt) continue;
      const col = findColumn(target, rt.name);
      if (!col) {
        this.error(st, 'unknown-column', `column "${rt.name}" of relation "${target.name}" does not exist`, rt.location, { name: true });
        out.push({ name: rt.name, type: NO_TYPE, known: false });
        continue;
      }
      if (seen.has(rt.name) && !rt.indirection?.length) {
        this.error(st, 'datatype-mismatch', `column "${rt.name}" specified more than once`, rt.location, { name: true });
      }
      seen.add(rt.name);
      // an array element or a composite field: the assigned value has another type
      out.push({ name: rt.name, type: rt.indirection?.length ? NO_TYPE : typeOfColumnType(col.type), known: !rt.indirection?.length, column: col });
    }
    return out;
  }

  /**
   * rewriteTargetListIU() / rewriteValuesRTE(): an identity column GENERATED ALWAYS takes no value unless
   * OVERRIDING SYSTEM VALUE (OVERRIDING USER VALUE drops the value), a generated column never; DEFAULT in
   * VALUES is the column's own. The first such column in the table's order is reported.
   */
  private generatedColumns(st: LevelState, ins: PgNode, target: TableModel, columns: readonly { name: string; known: boolean }[], rows: PgNode[][] | undefined, selectWidth: number): void {
    const override: string | undefined = ins.override;
    const width = rows ? (rows[0]?.length ?? 0) : selectWidth;
    const given = columns.slice(0, width).map((c, i) => ({ c, i, col: c.known ? findColumn(target, c.name) : undefined }));
    const order = (name: string): number => target.columns.findIndex((c) => c.name === name);
    given.sort((a, b) => order(a.c.name) - order(b.c.name));
    for (const { c, i, col } of given) {
      if (!col) continue;
      const identity = col.identityAlways && override !== 'OVERRIDING_SYSTEM_VALUE' && override !== 'OVERRIDING_USER_VALUE';
      if (!identity && !col.generated) continue;
      const value = rows ? rows.map((r) => r[i]).find((v) => v && !v.SetToDefault) : undefined;
      if (rows && !value) continue;
      const named = ins.cols?.find((t: PgNode) => t.ResTarget?.name === c.name)?.ResTarget;
      const detail = col.generated ? `Column "${c.name}" is a generated column.` : `Column "${c.name}" is an identity column defined as GENERATED ALWAYS.`;
      const extra = named || !value ? { name: true, detail } : { node: value, detail };
      this.error(st, 'insert-generated-column', `cannot insert a non-DEFAULT value into column "${c.name}"`, named?.location ?? (value ? firstLocation(value) : ins.relation?.location), {
        ...extra,
        ...(col.generated ? {} : { hint: 'Use OVERRIDING SYSTEM VALUE to override.' }),
      });
      return;
    }
  }

  /** transformInsertRow(): the counts, then each value's assignment to its column. */
  private insertRow(st: LevelState, ins: PgNode, columns: { name: string; type: TypeId; known: boolean; column?: ColumnModel }[] | undefined, values: readonly { expr: PgNode | undefined; type: TypeId; location: number }[]): void {
    if (!columns) return;
    // VALUES (NEW.*): a row expanded into its columns, which the model does not count
    for (const v of values) if (v.expr?.ColumnRef && isStarRef(v.expr.ColumnRef)) return;
    if (values.length > columns.length) {
      const extra = values[columns.length];
      this.error(st, 'insert-column-count', 'INSERT has more expressions than target columns', extra.location, { node: extra.expr });
      return;
    }
    if (ins.cols?.length && values.length < columns.length) {
      const col = ins.cols[values.length]?.ResTarget;
      this.error(st, 'insert-column-count', 'INSERT has more target columns than expressions', col?.location, { name: true });
      return;
    }
    for (let i = 0; i < values.length; i++) {
      const col = columns[i];
      const v = values[i];
      if (col.known) this.assign(st, col.name, col.type, v.type, v.expr, v.location, col.column);
    }
  }

  /** transformAssignedExpr(): an assignment cast to the column's type, or PostgreSQL's error. */
  private assign(st: LevelState, column: string, colType: TypeId, exprType: TypeId, node: PgNode | undefined, location: number, model?: ColumnModel): void {
    if (model?.length) this.checkLength(st, node, model.length, !!model.fixedLength);
    if (model?.numericPrecision !== undefined) this.checkPrecision(st, node, model.numericPrecision, model.numericScale ?? 0);
    if (colType === T.INT2 || colType === T.INT4 || colType === T.INT8) this.checkIntegerRange(st, node, colType);
    if (model?.enumType) this.enumLiteral(st, model.enumType, node);
    if (node?.SetToDefault) return;
    // an enum column given a value of a built-in type (text, an integer): no cast leads from a built-in type to an
    // enum type in an assignment (only an explicit one, through text I/O)
    if (model?.enumType && colType === NO_TYPE && exprType !== NO_TYPE && exprType !== T.UNKNOWN && this.ctx.model.enums.has(model.enumType)) {
      this.error(st, 'insert-type-mismatch', `column "${column}" is of type ${this.typeDisplayName(model.enumType)} but expression is of type ${builtins().display(exprType)}`, location, {
        node,
        hint: 'You will need to rewrite or cast the expression.',
      });
      return;
    }
    if (colType === NO_TYPE || exprType === NO_TYPE || colType === exprType) return;
    if (exprType === T.UNKNOWN) {
      this.checkLiteral(st, node, colType);
      return;
    }
    const ok = canCoerce(exprType, colType, 'a');
    if (ok === false) {
      const cat = builtins();
      this.error(st, 'insert-type-mismatch', `column "${column}" is of type ${cat.display(colType)} but expression is of type ${cat.display(exprType)}`, location, {
        node,
        hint: 'You will need to rewrite or cast the expression.',
      });
    }
  }

  /**
   * A constant assigned to a `character varying(n)` / `character(n)` column: the assignment's length coercion
   * (varchar(), bpchar()) is folded when the statement is planned, and fails on more than n characters unless the
   * rest are spaces. Only constants whose text is certain: a string literal (or one cast to text / varchar without a
   * length), an integer, a plain decimal.
   */
  private checkLength(st: LevelState, node: PgNode | undefined, length: number, fixed: boolean): void {
    if (st?.quiet || this.quietDepth > 0) return;
    const value = constantText(node);
    if (value === undefined || this.psqlPlaceholder(value)) return;
    const chars = [...value];
    if (chars.length <= length || chars.slice(length).every((c) => c === ' ')) return;
    const c = node?.TypeCast ? node.TypeCast.arg?.A_Const : node?.A_Const;
    this.planErrors.push({ rule: 'value-too-long', message: `value too long for type ${fixed ? 'character' : 'character varying'}(${length})`, location: c?.location ?? 0, node });
  }

  /**
   * A constant assigned to a `numeric(p, s)` column: rounded to s decimals, it must be below 10^(p - s) in absolute value
   * (apply_typmod; folded when the statement is planned, or read by numeric_in with the typmod for a quoted literal).
   */
  private checkPrecision(st: LevelState, node: PgNode | undefined, precision: number, scale: number): void {
    if (st?.quiet || this.quietDepth > 0) return;
    const c = node?.TypeCast ? node.TypeCast.arg?.A_Const : node?.A_Const;
    const text = constantNumber(node);
    if (text === undefined || this.psqlPlaceholder(text)) return;
    const v = roundedScaled(text, scale);
    // (below 10^(p - s) in absolute value: below 10^p once scaled)
    if (v === undefined || (v < 0n ? -v : v) < 10n ** BigInt(precision)) return;
    const digits = precision - scale;
    this.planErrors.push({
      rule: 'value-too-long',
      message: 'numeric field overflow',
      detail: `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ${digits ? `10^${digits}` : '1'}.`,
      location: c?.location ?? 0,
      node,
    });
  }

  /**
   * A numeric constant assigned to a smallint / integer / bigint column: the assignment cast (rounding a decimal half
   * away from zero) is folded when the statement is planned, and fails out of the type's range.
   */
  private checkIntegerRange(st: LevelState, node: PgNode | undefined, colType: TypeId): void {
    const c = node?.A_Const;
    if (!c || c.sval || st?.quiet || this.quietDepth > 0) return;
    const text = constantNumber(node);
    const v = text === undefined ? undefined : roundedScaled(text, 0);
    if (v === undefined) return;
    const bits = colType === T.INT2 ? 15n : colType === T.INT4 ? 31n : 63n;
    if (v >= -(2n ** bits) && v < 2n ** bits) return;
    const name = colType === T.INT2 ? 'smallint' : colType === T.INT4 ? 'integer' : 'bigint';
    this.planErrors.push({ rule: 'value-too-long', message: `${name} out of range`, location: c.location ?? 0, node });
  }

  /** The enum type (`schema.name`) of a plain column reference to an enum column of a table (not through a subquery or a cast). */
  private enumTypeOf(node: PgNode | undefined): string | undefined {
    const ref = node?.ColumnRef;
    if (!ref || this.ctx.model.enums.size === 0) return undefined;
    const b = this.bindings.get(ref);
    // (a column of the FROM item's own table: not a view's, a join's merged column or a subquery's output)
    if (!b || b.type !== NO_TYPE || b.origin.kind !== 'column' || !b.ns?.table || b.origin.rel.table !== b.ns.table) return undefined;
    return findColumn(b.origin.rel.table, b.origin.column)?.enumType;
  }

  /** enum_in(): a quoted literal read as an enum type must be one of its labels (exactly, case and spaces included). */
  private enumLiteral(st: LevelState, key: string | undefined, node: PgNode | undefined): void {
    const c = node?.A_Const;
    if (!key || !c?.sval) return;
    const labels = this.ctx.model.enums.get(key);
    const value: string = c.sval.sval ?? '';
    if (!labels || this.psqlPlaceholder(value)) return;
    if (!labels.includes(value)) {
      this.error(st, 'invalid-literal', `invalid input value for enum ${this.typeDisplayName(key)}: "${value}"`, c.location, { node });
    } else if (this.ctx.session.uncommittedEnumValues?.get(key)?.has(value)) {
      this.error(st, 'invalid-literal', `unsafe use of new value "${value}" of enum type ${this.typeDisplayName(key)}`, c.location, { node, hint: 'New enum values must be committed before they can be used.' });
    }
  }

  /** The enum type a type name names through the search_path (undefined when a table or domain of the name comes first). */
  private enumOfTypeName(names: string[]): string | undefined {
    const model = this.ctx.model;
    const name = names[names.length - 1];
    if (!name || names.length > 2) return undefined;
    if (names.length === 2) {
      const key = qualifiedName(names[0], name);
      return model.enums.has(key) ? key : undefined;
    }
    for (const s of this.ctx.session.searchPath) {
      if (s === '$user') continue;
      const key = qualifiedName(s, name);
      if (model.enums.has(key)) return key;
      if (model.domains.has(key) || model.tables.has(key)) return undefined;
    }
    return undefined;
  }

  /** format_type_be(): a type's name, qualified when its schema is not the first on the search_path to have the name. */
  private typeDisplayName(key: string): string {
    const dot = key.indexOf('.');
    const schema = key.slice(0, dot);
    const name = key.slice(dot + 1);
    const quote = (id: string): string => (/^[a-z_][a-z0-9_$]*$/.test(id) ? id : `"${id.replace(/"/g, '""')}"`);
    const model = this.ctx.model;
    for (const s of this.ctx.session.searchPath) {
      if (s === '$user') continue;
      const k = qualifiedName(s, name);
      if (s === schema) return quote(name);
      if (model.enums.has(k) || model.domains.has(k) || model.tables.has(k)) break;
    }
    return `${quote(schema)}.${quote(name)}`;
  }

  /**
   * transformLimitClause(): LIMIT and OFFSET are coerced to bigint (a quoted literal is read as one), and may not
   * read a column of their own query level (checkExprIsVarFree; an outer query's column is a value there).
   */
  private limitOffset(select: PgNode, st: LevelState): void {
    for (const [node, kind, clause] of [
      [select.limitCount, 'limit', 'LIMIT'],
      [select.limitOffset, 'offset', 'OFFSET'],
    ] as const) {
      if (!node) continue;
      const errors = this.errors.length;
      this.expr(node, { st, kind });
      if (this.errors.length === errors) {
        const variable = this.levelColumnIn(node);
        if (variable) this.error(st, 'datatype-mismatch', `argument of ${clause} must not contain variables`, variable.location, { name: true });
      }
      this.checkLiteral(st, node, T.INT8);
    }
  }

  /** The first column reference of `expr` (outside its subqueries) bound to a column of its own query level. */
  private levelColumnIn(expr: PgNode): PgNode | undefined {
    let found: PgNode | undefined;
    walk(expr, (type, node) => {
      if (found || type === 'SubLink') return false;
      if (type === 'ColumnRef') {
        const b = this.bindings.get(node);
        if (b?.ns && b.levelsUp === 0) found = node;
        return false;
      }
      return undefined;
    });
    return found;
  }

  private checkLiteral(st: LevelState, node: PgNode | undefined, type: TypeId): void {
    const c = node?.A_Const;
    if (!c?.sval || type === NO_TYPE) return;
    // a psql :'variable' (its placeholder is a literal of underscores): the value is not known
    if (this.psqlPlaceholder(c.sval.sval ?? '')) return;
    const problem = literalInputProblem(type, c.sval.sval ?? '');
    if (problem) this.error(st, 'invalid-literal', problem.message, c.location, { node, ...(problem.hint ? { hint: problem.hint } : {}), ...(problem.detail ? { detail: problem.detail } : {}) });
  }

  private onConflict(ins: PgNode, target: TableModel | undefined, holder: LevelState): void {
    const oc = ins.onConflictClause?.OnConflictClause ?? ins.onConflictClause;
    if (!oc) return;
    const st = this.holderState(holder);
    const rv = ins.relation;
    const targetNs = this.targetNamespace(rv, target, st);
    st.ns.push(targetNs);
    st.rtable.push(targetNs);
    const infer = oc.infer?.InferClause ?? oc.infer;
    for (const e of infer?.indexElems ?? []) {
      const ie = e.IndexElem;
      if (ie?.name && target && columnsKnown(target) && !findColumn(target, ie.name)) {
        this.error(st, 'unknown-column', `column "${ie.name}" does not exist`, firstLocation(e) || ins.onConflictClause?.location, { name: true });
      } else if (ie?.expr) this.expr(ie.expr, { st, kind: 'other' });
    }
    if (infer?.whereClause) this.where(infer.whereClause, st, 'where', 'WHERE');
    if (oc.action !== 'ONCONFLICT_UPDATE') return;
    // EXCLUDED: the row proposed for insertion, with the target's columns
    const excluded = this.relationNs(target, undefined, 'excluded', true, undefined, []);
    st.ns.push(excluded);
    st.rtable.push(excluded);
    this.setList(oc.targetList ?? [], target, rv, st);
    this.where(oc.whereClause, st, 'where', 'WHERE');
  }

  private returning(list: PgNode[] | undefined, target: TableModel | undefined, rv: PgNode, holder: LevelState): void {
    if (!list?.length) return;
    const st = this.holderState(holder);
    st.ns.push(this.targetNamespace(rv, target, st));
    this.returningIn(list, st);
  }

  private returningIn(list: PgNode[] | undefined, st: LevelState): Target[] {
    const out: Target[] = [];
    for (const [i, t] of (list ?? []).entries()) {
      const rt = t.ResTarget;
      if (!rt) continue;
      if (rt.val?.ColumnRef && isStarRef(rt.val.ColumnRef)) {
        out.push(...this.expandStar(rt.val.ColumnRef, st, rt.location ?? 0));
        continue;
      }
      const type = this.expr(rt.val, { st, kind: 'returning' });
      out.push({ name: rt.name ?? figureColname(rt.val, i), expr: rt.val, location: rt.location ?? 0, type: resolveUnknown(type), origin: { kind: 'unknown' } });
    }
    return out;
  }

  /** UPDATE SET / ON CONFLICT DO UPDATE SET / MERGE UPDATE SET: target columns and assignment types. */
  private setList(list: PgNode[], target: TableModel | undefined, rv: PgNode, st: LevelState, record = false): void {
    const known = target && columnsKnown(target);
    const assigned = new Set<string>();
    let duplicate: PgNode | undefined;
    // `SET (a, b) = (SELECT ..)`: the sub-SELECTs in order, with the types of their columns
    const recorded: SetTarget[] | undefined = record ? [] : undefined;
    let groups = 0;
    let groupTypes: TypeId[] = [];
    for (const t of list) {
      const rt = t.ResTarget;
      if (!rt) continue;
      // rewriteTargetListIU(): one plain assignment per column (array elements and fields may be several)
      if (!rt.indirection?.length) {
        if (assigned.has(rt.name)) duplicate ??= rt;
        assigned.add(rt.name);
      }
      let type: TypeId;
      if (rt.val?.MultiAssignRef) {
        const m = rt.val.MultiAssignRef;
        if (m.colno === 1) this.multiAssignShape(m, st);
        if (m.colno === 1) {
          const sub = this.multiAssignSource(m.source, st);
          if (sub) {
            groups++;
            groupTypes = sub.targets.map((x) => x.type);
          }
        }
        if (m.source?.RowExpr) type = this.exprType(m.source.RowExpr.args?.[m.colno - 1], st, 'update', m.colno === 1);
        else type = NO_TYPE;
        if (m.source?.SubLink) recorded?.push({ column: rt.name, group: groups, position: m.colno, source: groupTypes[m.colno - 1] ?? NO_TYPE, indirection: !!rt.indirection?.length });
        else recorded?.push({ column: rt.name, indirection: !!rt.indirection?.length });
      } else {
        type = this.expr(rt.val, { st, kind: 'update' });
        recorded?.push({ column: rt.name, indirection: !!rt.indirection?.length });
      }
      if (!known) continue;
      const col = findColumn(target!, rt.name);
      if (!col && SYSTEM_COLUMNS[rt.name] !== undefined) {
        this.error(st, 'unknown-column', `cannot assign to system column "${rt.name}"`, rt.location, { name: true });
        continue;
      }
      if (!col) {
        this.error(st, 'unknown-column', `column "${rt.name}" of relation "${target!.name}" does not exist`, rt.location, { name: true });
        continue;
      }
      if (rt.indirection?.length) continue;
      const node = rt.val?.MultiAssignRef ? rt.val.MultiAssignRef.source?.RowExpr?.args?.[rt.val.MultiAssignRef.colno - 1] : rt.val;
      const colType = typeOfColumnType(col.type);
      this.assign(st, rt.name, colType, type, node, firstLocation(node) || rt.location, col);
      if (recorded && !rt.val?.MultiAssignRef && type !== NO_TYPE && type !== T.UNKNOWN && colType !== NO_TYPE && colType !== type) {
        const v = castVolatility(type, colType);
        if (v) recorded[recorded.length - 1].conversion = v;
      }
    }
    if (recorded) this.qm.setTargets = recorded;
    // (the rewriter runs after a clean analysis)
    if (duplicate && this.errors.length === 0) this.error(st, 'datatype-mismatch', `multiple assignments to same column "${duplicate.name}"`, duplicate.location, { name: true });
    // rewriteTargetListIU(): an identity column GENERATED ALWAYS or a generated column takes DEFAULT only, the first
    // in the table's order reported
    if (known && this.errors.length === 0) {
      const given = new Map<string, PgNode>();
      for (const t of list) if (t.ResTarget && !t.ResTarget.indirection?.length && !given.has(t.ResTarget.name)) given.set(t.ResTarget.name, t.ResTarget);
      for (const col of target!.columns) {
        const rt = given.get(col.name);
        if (!rt || !(col.identityAlways || col.generated) || rt.val?.SetToDefault) continue;
        const detail = col.generated ? `Column "${col.name}" is a generated column.` : `Column "${col.name}" is an identity column defined as GENERATED ALWAYS.`;
        this.error(st, 'insert-generated-column', `column "${col.name}" can only be updated to DEFAULT`, rt.location, { name: true, detail });
        break;
      }
    }
    void rv;
  }

  /**
   * Whether `rel.name` may be the function call name(rel): a function the files create, or a built-in one that takes
   * any row (`record`, `anyelement`, ...). Not a cast: column notation is not allowed for one (`t.text`).
   */
  private mayBeFunctionOfRow(name: string): boolean {
    if (this.ctx.model.functions.has(name)) return true;
    return builtins().functionsNamed(name).some((f) => f.args.length === 1 && ROW_ARGUMENT.has(f.args[0]));
  }

  /** transformMultiAssignRef(): `SET (a, b) = ...` takes a sub-SELECT or a row of as many columns. */
  private multiAssignShape(m: PgNode, st: LevelState): void {
    const source = m.source;
    if (source?.RowExpr) {
      // (`ROW(v.*)` has as many values as v has columns)
      if ((source.RowExpr.args ?? []).some((a: PgNode) => a.ColumnRef?.fields?.some((f: PgNode) => f.A_Star))) return;
      if ((source.RowExpr.args ?? []).length !== m.ncolumns) this.error(st, 'datatype-mismatch', 'number of columns does not match number of values', source.RowExpr.location ?? firstLocation(source), { node: source });
      return;
    }
    const sub = source?.SubLink;
    if (sub?.subselect?.SelectStmt) {
      const targets: PgNode[] = sub.subselect.SelectStmt.targetList ?? [];
      const counted = !sub.subselect.SelectStmt.op || sub.subselect.SelectStmt.op === 'SETOP_NONE';
      if (counted && !targets.some((t) => t.ResTarget?.val?.ColumnRef && isStarRef(t.ResTarget.val.ColumnRef)) && targets.length !== m.ncolumns) {
        this.error(st, 'datatype-mismatch', 'number of columns does not match number of values', sub.location, { node: source });
      }
      return;
    }
    if (source) this.error(st, 'datatype-mismatch', 'source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression', firstLocation(source), { node: source });
  }

  /** `SET (a, b) = (SELECT ...)`: the subquery is transformed once (its columns are not typed per target). */
  private multiAssignSource(source: PgNode | undefined, st: LevelState): QueryLevel | undefined {
    // (SELECT a, b ...): a subquery with one column per target, not an expression sublink
    const sub = source?.SubLink?.subselect?.SelectStmt;
    return sub ? this.level(sub, 'sublink', st.level, st) : undefined;
  }

  /** The type of the k-th element of a row in SET (a, b) = (x, y): transformed once, with the first column. */
  private exprType(node: PgNode | undefined, st: LevelState, kind: ExprKind, first: boolean): TypeId {
    void first;
    return node ? this.expr(node, { st, kind }) : NO_TYPE;
  }

  private unknownRelation(rv: PgNode, st: LevelState | undefined): void {
    const name = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    if (this.detached === 0) this.qm.unknownTables.push({ name, location: rv.location ?? 0 });
    // the model is the whole database (a snapshot or a cluster), or the files surely dropped or renamed the relation
    // away, and the statement runs as written (an unqualified name from every schema of the search path: another one
    // may hold a table of that name the model does not know)
    const model = this.ctx.model;
    const path = this.ctx.session.searchPath;
    const gone = model.goneRelations.size > 0 && (rv.schemaname ? model.goneRelations.has(qualifiedName(rv.schemaname, rv.relname)) : path.length > 0 && path.every((s) => model.goneRelations.has(qualifiedName(s, rv.relname))));
    if ((model.complete || gone) && !this.ctx.nested && this.viewDepth === 0) {
      this.error(st, 'unknown-table', `relation "${name}" does not exist`, rv.location, { name: true });
    }
  }

  // ---- levels ------------------------------------------------------------------------------------

  private newLevel(select: PgNode, role: LevelRole, parent: QueryLevel | undefined, lateral = false): QueryLevel {
    // most levels have no WITH: they share one empty (never written) CTE map
    const level: QueryLevel = { select, role, parent, items: [], rels: [], children: [], targets: [], outerJoins: [], ctes: select.withClause ? new Map() : NO_CTES, correlated: false, lateral };
    if (this.detached === 0) {
      this.qm.levels.push(level);
      if (parent) parent.children.push(level);
    }
    return level;
  }

  private newState(level: QueryLevel, parent: LevelState | undefined, ctes: Map<string, CteDef> = level.ctes): LevelState {
    const st: LevelState = { level, parent, ns: [], rtable: [], ctes, lateralActive: false, isolated: false, quiet: !!parent?.quiet, hasAggs: false, keepUnknowns: false };
    if (this.pendingSublinkKind !== undefined && level.role === 'sublink') {
      st.sublinkKind = this.pendingSublinkKind;
      this.pendingSublinkKind = undefined;
    }
    this.allStates.push(st);
    return st;
  }

  /**
   * One query level (transformSelectStmt()): WITH, FROM, the target list, WHERE, HAVING, ORDER BY, GROUP BY,
   * DISTINCT, LIMIT, window clauses, then the GROUP BY / aggregate checks. Set operations transform their
   * leaves left to right and unify the column types.
   */
  level(select: PgNode, role: LevelRole, parent: QueryLevel | undefined, parentState: LevelState | undefined, opts: LevelOptions = {}): QueryLevel {
    const level = this.newLevel(select, role, parent, !!opts.lateral);
    const st = this.newState(level, parentState);
    const keepUnknowns = !!opts.keepUnknowns;
    st.keepUnknowns = keepUnknowns;
    if (opts.isolated) {
      st.isolated = true;
      st.quiet = true;
    }
    if (opts.cte) opts.cte.level = level;
    if (select.withClause) {
      // transformWithClause(): a data-modifying CTE only in the WITH of the statement itself (the SELECT of an
      // INSERT, a subquery or a CTE is not the top level)
      if (parentState) {
        const w = select.withClause.WithClause ?? select.withClause;
        const dml = (w.ctes ?? []).map((c: PgNode) => c.CommonTableExpr).find((c: PgNode | undefined) => c?.ctequery && !c.ctequery.SelectStmt);
        if (dml) this.error(st, 'datatype-mismatch', 'WITH clause containing a data-modifying statement must be at the top level', dml.location ?? 0, { name: true });
      }
      this.addCtes(select.withClause, level.ctes, 'select', st);
    }
    if (select.op && select.op !== 'SETOP_NONE') {
      this.setOperation(select, level, st);
      // (transformSetOperationStmt: the leaves first, then CheckSelectLocking)
      const what = lockStrength(select);
      if (what) this.error(st, 'datatype-mismatch', `${what} is not allowed with UNION/INTERSECT/EXCEPT`, firstLocation(select.larg), {});
      return level;
    }
    if (select.valuesLists) {
      this.valuesLevel(select, level, st);
      return level;
    }
    this.fromClause(select.fromClause ?? [], st);
    // target list
    const list: PgNode[] = select.targetList ?? [];
    for (let i = 0; i < list.length; i++) {
      const rt = list[i].ResTarget;
      if (!rt) continue;
      if (rt.val?.ColumnRef && isStarRef(rt.val.ColumnRef)) {
        level.targets.push(...this.expandStar(rt.val.ColumnRef, st, rt.location ?? 0));
        continue;
      }
      const type = this.expr(rt.val, { st, kind: 'select' });
      // (composite).*: the composite's fields, which the model does not know
      const ind: PgNode[] | undefined = rt.val?.A_Indirection?.indirection;
      if (ind?.length && ind[ind.length - 1].A_Star) {
        (level as IncompleteMark)[INCOMPLETE] = true;
        continue;
      }
      level.targets.push({
        name: rt.name ?? figureColname(rt.val, i),
        expr: rt.val,
        location: rt.location ?? firstLocation(rt.val),
        type: keepUnknowns ? type : resolveUnknown(type),
        origin: this.origin(rt.val, st),
      });
    }
    this.where(select.whereClause, st, 'where', 'WHERE', true);
    this.where(select.havingClause, st, 'having', 'HAVING');
    const orderExtra = this.sortClause(select.sortClause ?? [], st, level);
    const groupExprs = this.groupClause(select.groupClause ?? [], st, level);
    for (const d of select.distinctClause ?? []) {
      if (!d || !Object.keys(d).length) continue;
      if (this.targetByNameOrPosition(d, level, st, 'DISTINCT ON', false) === undefined) this.expr(d, { st, kind: 'distinct-on' });
    }
    if (select.distinctClause?.length && select.sortClause?.length) this.distinctOrder(select, st, level, orderExtra);
    this.limitOffset(select, st);
    for (const w of select.windowClause ?? []) this.windowDef(w.WindowDef ?? w, st);
    this.windowRules(select, st);
    if (keepUnknowns) this.resolveSortedUnknowns(select, level);
    // finalize_grouping_exprs(): GROUPING()'s arguments are grouping expressions of its level, checked (in the target
    // list, then HAVING) before any ungrouped column; a GROUPING() makes the level grouped, as an aggregate does
    const ungroupedGrouping = st.hasGroupingFunc ? this.groupingOfUngrouped(select, groupExprs) : undefined;
    if (ungroupedGrouping) this.error(st, 'ungrouped-column', 'arguments to GROUPING must be grouping expressions of the associated query level', ungroupedGrouping.location, { name: true });
    else if (st.hasAggs || (select.groupClause?.length ?? 0) > 0 || select.havingClause) this.checkUngrouped(st, level, groupExprs, orderExtra, commonGroupItems(select.groupClause ?? []));
    this.lockedRelations(select, st);
    return level;
  }

  /**
   * transformLockingClause(): CheckSelectLocking first (FOR UPDATE / SHARE of a query whose rows are no table's rows:
   * DISTINCT, GROUP BY, HAVING, aggregates, window functions), then each relation named in FOR UPDATE / SHARE OF is a
   * FROM item of the level, unqualified.
   */
  private lockedRelations(select: PgNode, st: LevelState): void {
    const what = lockStrength(select);
    if (!what) return;
    const windows = (): boolean => {
      let found = false;
      walk([select.targetList, select.sortClause], (type, f) => {
        if (type === 'SubLink') return false;
        if (type === 'FuncCall' && f.over) found = true;
        return undefined;
      });
      return found;
    };
    const reason = select.distinctClause ? 'DISTINCT clause' : select.groupClause?.length ? 'GROUP BY clause' : select.havingClause ? 'HAVING clause' : st.hasAggs ? 'aggregate functions' : windows() ? 'window functions' : undefined;
    if (reason) {
      this.error(st, 'datatype-mismatch', `${what} is not allowed with ${reason}`, firstLocation(select.targetList?.[0] ?? select), {});
      return;
    }
    // a FROM subquery the clause reaches (every one without OF) is checked the same way, recursively (its syntax only
    // here: DISTINCT, GROUP BY, HAVING, a set operation)
    const all = (select.lockingClause as PgNode[]).some((lc) => !(lc.LockingClause ?? lc).lockedRels?.length);
    const named = new Set((select.lockingClause as PgNode[]).flatMap((lc) => ((lc.LockingClause ?? lc).lockedRels ?? []).map((r: PgNode) => r.RangeVar?.relname)));
    const inner = (s: PgNode | undefined, depth: number): string | undefined => {
      if (!s || depth > 8) return undefined;
      if (s.op && s.op !== 'SETOP_NONE') return 'UNION/INTERSECT/EXCEPT';
      const own = s.distinctClause ? 'DISTINCT clause' : s.groupClause?.length ? 'GROUP BY clause' : s.havingClause ? 'HAVING clause' : undefined;
      if (own) return own;
      for (const f of s.fromClause ?? []) {
        const r = f.RangeSubselect ? inner(f.RangeSubselect.subquery?.SelectStmt, depth + 1) : undefined;
        if (r) return r;
      }
      return undefined;
    };
    for (const f of select.fromClause ?? []) {
      const rs = f.RangeSubselect;
      if (!rs || (!all && !named.has(rs.alias?.aliasname))) continue;
      const r = inner(rs.subquery?.SelectStmt, 0);
      if (r) {
        this.error(st, 'datatype-mismatch', `${what} is not allowed with ${r}`, firstLocation(rs.subquery), {});
        return;
      }
    }
    for (const lc of select.lockingClause ?? []) {
      const l = lc.LockingClause ?? lc;
      const what = LOCK_STRENGTH[l.strength as string];
      if (!what) continue;
      for (const r of l.lockedRels ?? []) {
        const rv = r.RangeVar;
        if (!rv) continue;
        if (rv.catalogname || rv.schemaname) {
          this.error(st, 'datatype-mismatch', `${what} must specify unqualified relation names`, rv.location, { name: true });
          return;
        }
        const ns = st.rtable.find((n) => n.refname === rv.relname);
        if (!ns) {
          this.error(st, 'missing-from-entry', `relation "${rv.relname}" in ${what} clause not found in FROM clause`, rv.location, { name: true });
          return;
        }
        // (an aliased join is no FROM item of the predictor's; a function or a CTE reference cannot be locked; a VALUES in
        // FROM is a subquery, which can)
        const kind = !ns.item && !ns.rel ? 'a join' : ns.item?.kind === 'function' ? 'a function' : ns.item?.kind === 'cte' ? 'a WITH query' : undefined;
        if (kind) {
          this.error(st, 'datatype-mismatch', `${what} cannot be applied to ${kind}`, rv.location, { name: true });
          return;
        }
      }
    }
  }

  private setOperation(select: PgNode, level: QueryLevel, st: LevelState): void {
    const leaves: QueryLevel[] = [];
    let allUnion = true;
    // transformSetOperationTree(): leaves keep their unknown literals; each pair of branches gets a common type,
    // and a leaf's literal is converted to it (its input syntax checked) there
    const visit = (s: PgNode): { types: TypeId[]; leaf?: QueryLevel } | undefined => {
      if (s.op && s.op !== 'SETOP_NONE') {
        const l = visit(s.larg.SelectStmt ?? s.larg);
        const r = visit(s.rarg.SelectStmt ?? s.rarg);
        const op = s.op === 'SETOP_UNION' ? 'UNION' : s.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT';
        if (op !== 'UNION') allUnion = false;
        if (!l || !r) return undefined;
        if (l.types.length !== r.types.length) {
          this.error(st, 'datatype-mismatch', `each ${op} query must have the same number of columns`, firstLocation(s.rarg), { node: s.rarg });
          return undefined;
        }
        const types = l.types.map((lt, i) => {
          const rt = r.types[i];
          const common = selectCommonType([lt, rt], op);
          if ('error' in common) {
            const leaf = rightmostLeaf(s.rarg);
            const loc = leaf?.targets[i]?.location;
            this.error(st, 'datatype-mismatch', common.error, loc, {});
            return NO_TYPE;
          }
          for (const side of [l, r]) {
            const t = side.leaf?.targets[i];
            if (t && t.type === T.UNKNOWN && common.type !== T.UNKNOWN) this.checkLiteral(st, t.expr, common.type);
          }
          return common.type;
        });
        return { types };
      }
      const leaf = this.level(s, 'setop', level, st, { keepUnknowns: true });
      leaves.push(leaf);
      if (leaves.length === 1) {
        level.targets = leaf.targets;
        // a recursive reference inside a later leaf sees the first leaf's columns, as PostgreSQL does
        if (levelTargetsIncomplete(leaf)) (level as IncompleteMark)[INCOMPLETE] = true;
      }
      return levelTargetsIncomplete(leaf) ? undefined : { types: leaf.targets.map((t) => t.type), leaf };
    };
    const rightmostLeaf = (s: PgNode): QueryLevel | undefined => {
      const node = s.SelectStmt ?? s;
      if (node.op && node.op !== 'SETOP_NONE') return rightmostLeaf(node.rarg);
      return leaves.find((l) => l.select === node);
    };
    const types = visit(select)?.types;
    const op = select.op === 'SETOP_UNION' ? 'UNION' : select.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT';
    level.setOp = { op, all: !!select.all, leaves, allUnion };
    const first = leaves[0]?.targets ?? [];
    level.targets = first.map((t, i) => ({ ...t, type: types ? resolveUnknown(types[i] ?? NO_TYPE) : NO_TYPE }));
    if (!types) (level as IncompleteMark)[INCOMPLETE] = true;
    // ORDER BY / LIMIT of the whole set operation: only its output columns are in scope
    const outNs: NsItem = { refname: undefined, aliased: false, relVisible: false, colsVisible: true, lateralOnly: false, lateralOk: true, columns: types ? level.targets.map((t) => ({ name: t.name, type: t.type, origin: t.origin })) : undefined, id: this.nextNs++ };
    st.ns = [outNs];
    for (const s of select.sortClause ?? []) {
      const sb = s.SortBy;
      if (!sb?.node) continue;
      const n = sb.node;
      const position = n.A_Const?.ival ? (n.A_Const.ival.ival ?? 0) : n.A_Const?.ival !== undefined ? 0 : undefined;
      if (position !== undefined && types && (position < 1 || position > level.targets.length)) {
        this.error(st, 'datatype-mismatch', `ORDER BY position ${position} is not in select list`, n.A_Const.location, { node: n });
      } else if (n.A_Const?.ival !== undefined || (n.ColumnRef && nameList(n.ColumnRef.fields).length === 1)) this.expr(n, { st, kind: 'order-by' });
      else if (types && (n.A_Expr || (n.FuncCall && !n.FuncCall.over) || n.CaseExpr || n.CoalesceExpr)) {
        // an expression of the output columns is no output column: transformSetOperationStmt refuses the resjunk
        // entry it would need (an unknown name in it is refused first)
        const before = this.errors.length;
        this.expr(n, { st, kind: 'order-by' });
        if (this.errors.length === before) {
          this.error(st, 'datatype-mismatch', 'invalid UNION/INTERSECT/EXCEPT ORDER BY clause', firstLocation(n), {
            node: n,
            detail: 'Only result column names can be used, not expressions or functions.',
            hint: 'Add the expression/function to every SELECT, or move the UNION into a FROM clause.',
          });
        }
      }
    }
    this.limitOffset(select, st);
  }

  /** VALUES as a query level (a FROM item or the SELECT of an INSERT with set operations). */
  private valuesLevel(select: PgNode, level: QueryLevel, st: LevelState): TypeId[] | undefined {
    const rows: PgNode[] = select.valuesLists ?? [];
    const width = rows[0]?.List?.items?.length ?? 0;
    const columns: TypeId[][] = Array.from({ length: width }, () => []);
    const cells: PgNode[][] = Array.from({ length: width }, () => []);
    let ok = true;
    for (const row of rows) {
      const items: PgNode[] = row.List?.items ?? [];
      if (items.length !== width) {
        this.error(st, 'datatype-mismatch', 'VALUES lists must all be the same length', firstLocation(row), { node: row });
        ok = false;
        continue;
      }
      items.forEach((e, i) => {
        columns[i].push(this.expr(e, { st, kind: 'values-rows' }));
        cells[i].push(e);
      });
    }
    const types = columns.map((list, i) => {
      const r = selectCommonType(list, 'VALUES');
      if ('error' in r) {
        const row = cells[i][r.index];
        this.error(st, 'datatype-mismatch', r.error, firstLocation(row), { node: row });
        return NO_TYPE;
      }
      // transformValuesClause(): each column is coerced to its common type, so a quoted literal is read as that type
      // (`VALUES (1), ('a')`: invalid input syntax for type integer)
      if (r.type !== NO_TYPE && r.type !== T.UNKNOWN) list.forEach((t, k) => t === T.UNKNOWN && this.checkLiteral(st, cells[i][k], r.type));
      return r.type;
    });
    // a CTE of one VALUES row: PostgreSQL inlines the CTE and pulls the VALUES up (pull_up_simple_values), so a constant
    // of the row is that constant where the CTE is read (checked on Citus 13.2.2: `WITH params(t) AS (VALUES (7))`
    // pins `e.tenant_id = params.t` to one shard)
    const row: PgNode[] | undefined = level.role === 'cte' && rows.length === 1 ? rows[0].List?.items : undefined;
    level.targets = types.map((t, i) => ({ name: `column${i + 1}`, expr: undefined, location: 0, type: t, origin: row && isConstant(row[i]) ? CONST_ORIGIN : { kind: 'values' } }));
    return ok ? types : undefined;
  }

  // ---- WITH ----------------------------------------------------------------------------------------

  /**
   * transformWithClause(): a non-recursive CTE sees the CTEs before it (and the enclosing ones), not itself;
   * a recursive WITH sees all of its CTEs.
   */
  addCtes(withClause: PgNode, into: Map<string, CteDef>, owner: 'insert' | 'select', st: LevelState): void {
    const w = withClause.WithClause ?? withClause;
    const recursive = !!w.recursive;
    const defs: CteDef[] = [];
    const names = new Set<string>();
    for (const c of w.ctes ?? []) {
      const cte = c.CommonTableExpr;
      if (!cte) continue;
      // transformWithClause(): names are checked before any query of the WITH is analysed
      if (names.has(cte.ctename)) this.error(st, 'datatype-mismatch', `WITH query name "${cte.ctename}" specified more than once`, cte.location, { name: true });
      names.add(cte.ctename);
    }
    // then, for WITH RECURSIVE, the form of each self-referencing query (checkWellFormedRecursion), before any is analysed
    if (recursive) {
      for (const c of w.ctes ?? []) {
        const cte = c.CommonTableExpr;
        const message = cte?.ctequery?.SelectStmt ? wellFormedRecursionError(cte.ctename, cte.ctequery.SelectStmt) : undefined;
        if (message) {
          this.error(st, 'datatype-mismatch', message.message, message.location ?? cte.location, { name: message.location !== undefined });
          this.halted = true;
          break;
        }
      }
    }
    for (const c of w.ctes ?? []) {
      const cte = c.CommonTableExpr;
      if (!cte) continue;
      const def: CteDef = {
        name: cte.ctename,
        query: cte.ctequery,
        materialized: cte.ctematerialized === 'CTEMaterializeAlways' ? 'always' : cte.ctematerialized === 'CTEMaterializeNever' ? 'never' : 'default',
        recursive,
        refCount: 0,
        owner,
        location: cte.location ?? 0,
      };
      defs.push(def);
      if (recursive) into.set(def.name, def);
    }
    let k = 0;
    for (const c of w.ctes ?? []) {
      const cte = c.CommonTableExpr;
      if (!cte) continue;
      const def = defs[k++];
      const aliases = nameList(cte.aliascolnames);
      if (aliases.length) def.columnNames = aliases;
      // SEARCH ... SET seq / CYCLE ... SET is_cycle USING path: columns PostgreSQL adds, which the recursive term
      // reads too
      const search = cte.search_clause?.CTESearchClause ?? cte.search_clause;
      const cycle = cte.cycle_clause?.CTECycleClause ?? cte.cycle_clause;
      const added = [search?.search_seq_column, cycle?.cycle_mark_column, cycle?.cycle_path_column].filter((n): n is string => !!n);
      if (added.length) def.addedColumns = added;
      if (cte.ctequery?.SelectStmt) {
        // INSERT-level CTEs have no enclosing query level in the predictors' tree
        const level = this.level(cte.ctequery.SelectStmt, 'cte', owner === 'insert' ? undefined : st.level, st, { cte: def });
        if (aliases.length) level.targets = level.targets.map((t, i) => (aliases[i] ? { ...t, name: aliases[i] } : t));
        for (const name of added) level.targets = [...level.targets, { name, expr: undefined, location: 0, type: NO_TYPE, origin: { kind: 'unknown' } }];
        if (def.columnNames && (cte.search_clause || cte.cycle_clause)) def.columnNames = [...def.columnNames, ...level.targets.slice(def.columnNames.length).map((t) => t.name)];
      } else if (cte.ctequery) {
        def.returning = this.dmlCte(cte.ctequery, st);
        if (aliases.length && def.returning) def.returning = def.returning.map((t, i) => (aliases[i] ? { ...t, name: aliases[i] } : t));
      }
      if (!recursive) into.set(def.name, def);
    }
  }

  /** A data-modifying CTE (DELETE ... RETURNING): transformed as a statement; its RETURNING list is its output. */
  private dmlCte(stmt: PgNode, st: LevelState): Target[] | undefined {
    const dml = stmt.InsertStmt ?? stmt.UpdateStmt ?? stmt.DeleteStmt ?? stmt.MergeStmt;
    let table: TableModel | undefined;
    let returning: Target[] | undefined;
    this.detached++;
    if (stmt.InsertStmt) table = this.insertStatement(stmt.InsertStmt, st).target;
    else if (stmt.UpdateStmt) table = this.updateStatement(stmt.UpdateStmt, st);
    else if (stmt.DeleteStmt) table = this.deleteStatement(stmt.DeleteStmt, st);
    this.detached--;
    // the relations it touches, for the predictors
    if (dml?.relation) {
      if (table) this.qm.dmlTables.push(table);
    }
    // the CTEs the statement defines itself (`WITH c AS (WITH d AS (...) DELETE ... USING d ...)`)
    const inner = new Set<string>();
    walk(stmt, (type, f) => {
      if (type === 'CommonTableExpr' && f.ctename) inner.add(f.ctename);
    });
    walk(stmt, (type, f) => {
      if (type === 'RangeVar' && f !== dml?.relation) {
        const t = this.ctx.model.resolve(f.schemaname, f.relname, this.ctx.session.searchPath);
        if (t) this.qm.dmlTables.push(t);
        else if (!this.cteVisible(f.relname, st) && !(inner.has(f.relname) && !f.schemaname)) this.qm.unknownTables.push({ name: f.relname, location: f.location ?? 0 });
      }
    });
    if (dml?.returningList?.length && table && columnsKnown(table)) {
      const rs = this.holderState(undefined);
      this.quietDepth++;
      rs.ns.push(this.targetNamespace(dml.relation, table, rs));
      this.detached++;
      returning = this.returningIn(dml.returningList, rs);
      this.detached--;
      this.quietDepth--;
      if (levelTargetsIncomplete(rs.level)) returning = undefined;
    }
    return returning;
  }

  private cteVisible(name: string, st: LevelState | undefined): boolean {
    return !!this.findCte(name, st);
  }

  /** scanNameSpaceForCTE(): the nearest CTE of this name in scope. */
  private findCte(name: string, st: LevelState | undefined): CteDef | undefined {
    for (let s = st; s; s = s.parent) {
      const own = s.ctes.get(name);
      if (own) return own;
      if (s.isolated) return undefined;
    }
    return undefined;
  }

  // ---- FROM --------------------------------------------------------------------------------------

  /**
   * UPDATE's FROM, DELETE's USING: the subqueries there cannot see the target (transformUpdateStmt() and
   * transformDeleteStmt() mark it p_lateral_only and not p_lateral_ok while they transform the list: a LATERAL one
   * finds it and is refused, another does not see it); the rest of the statement sees it as usual.
   */
  private fromClauseBesideTarget(items: PgNode[], targetNs: NsItem, st: LevelState): void {
    targetNs.lateralOnly = true;
    targetNs.lateralOk = false;
    this.fromClause(items, st);
    targetNs.lateralOnly = false;
    targetNs.lateralOk = true;
  }

  /** transformFromClause(): items left to right, each seeing the earlier ones only if LATERAL. */
  private fromClause(items: PgNode[], st: LevelState): NsItem[] {
    const added: NsItem[] = [];
    for (const item of items) {
      const ns = this.fromItem(item, st);
      this.checkConflicts(st, st.ns, ns);
      st.rtable.push(...ns);
      for (const n of ns) {
        n.lateralOnly = true;
        n.lateralOk = true;
      }
      st.ns.push(...ns);
      added.push(...ns);
    }
    for (const n of st.ns) n.lateralOnly = false;
    return added;
  }

  /** checkNameSpaceConflicts(): a name used twice at one level. */
  private checkConflicts(st: LevelState, a: NsItem[], b: NsItem[]): void {
    for (const x of b) {
      if (!x.relVisible || !x.refname) continue;
      for (const y of a) {
        if (!y.relVisible || y.refname !== x.refname) continue;
        // two unaliased relations of different schemas may share a name
        if (!x.aliased && !y.aliased && x.table && y.table && x.table !== y.table) continue;
        this.error(st, 'datatype-mismatch', `table name "${x.refname}" specified more than once`, x.item && 'location' in x.item ? (x.item as { location: number }).location : x.item?.kind === 'rel' ? x.item.rel.location : undefined, { name: true });
        this.halted = true; // (the names the statement's columns resolve through are not PostgreSQL's any more)
      }
    }
  }

  private fromItem(node: PgNode, st: LevelState): NsItem[] {
    const level = st.level;
    const kind0 = nodeType(node);
    if (kind0 === 'RangeVar') return [this.rangeVar(node.RangeVar, st)];
    if (kind0 === 'JoinExpr') return this.join(node.JoinExpr, st);
    if (kind0 === 'RangeSubselect') {
      const rs = node.RangeSubselect;
      const alias = rs.alias?.aliasname ?? '?subquery?';
      const inner = rs.subquery?.SelectStmt;
      const aliases = nameList(rs.alias?.colnames);
      if (inner?.valuesLists && (!inner.op || inner.op === 'SETOP_NONE')) {
        const rows = inner.valuesLists.length;
        let immutable = true;
        let volatile = false;
        walk(inner.valuesLists, (type, f) => {
          // (CURRENT_DATE, CURRENT_TIMESTAMP, CURRENT_USER ..: stable)
          if (type === 'SQLValueFunction') immutable = false;
          if (type !== 'FuncCall') return;
          const v = functionVolatility(functionName(f));
          if (v !== 'immutable') immutable = false;
          if (v === 'volatile') volatile = true;
        });
        // VALUES in FROM: not a level of the predictors' tree (its rows are constants)
        this.detached++;
        const sub = this.newLevel(inner, 'from', undefined);
        this.detached--;
        const vst = this.newState(sub, st);
        const saved = st.lateralActive;
        st.lateralActive = !!rs.lateral;
        const types = this.valuesLevel(inner, sub, vst);
        st.lateralActive = saved;
        const width = inner.valuesLists[0]?.List?.items?.length ?? 0;
        const colnames = [...aliases];
        for (let k = colnames.length; k < width; k++) colnames.push(`column${k + 1}`);
        const item: FromItem = { kind: 'values', alias, colnames, rows, immutable, ...(volatile ? { volatile } : {}), location: firstLocation(inner), types };
        // one row: its constant columns are constants to the query's equivalence classes (a join on one pins the other
        // side: checked on Citus 13.2.2, `(VALUES (24)) a JOIN events c ON a.tenant_id = c.tenant_id` is a router query)
        // (PostgreSQL flattens only a VALUES without a volatile function: pull_up_simple_values)
        if (rows === 1 && !volatile) item.constants = (inner.valuesLists[0]?.List?.items ?? []).map((v: PgNode) => isConstant(stripCast(v)));
        level.items.push(item);
        // (a set operation's branch is planned on its own: Citus 13.2.2 plans such a VALUES separately, its constants
        // reach no correlated subquery)
        return [this.itemNs(item, alias, !!rs.alias, colnames.map((name, i) => ({ name, type: types?.[i] ?? NO_TYPE, origin: { kind: 'values', level, ...(item.constants?.[i] && level.role !== 'setop' ? { constant: stripCast(inner.valuesLists[0].List.items[i]) } : {}) } as Origin })))];
      }
      const saved = st.lateralActive;
      st.lateralActive = !!rs.lateral;
      const sub = this.level(inner ?? {}, 'from', level, st, { lateral: !!rs.lateral });
      st.lateralActive = saved;
      const item: FromItem = { kind: 'subquery', alias, level: sub, colnames: aliases, lateral: !!rs.lateral };
      level.items.push(item);
      // (an expression column is a Var of the subquery in this level: one origin per column, a member of its classes)
      const cols = levelTargetsIncomplete(sub) ? undefined : sub.targets.map((t, i) => ({ name: aliases[i] ?? t.name, type: t.type, origin: t.origin.kind === 'expr' ? ({ kind: 'expr', node: t.origin.node, level } as Origin) : t.origin }));
      return [this.itemNs(item, alias, !!rs.alias, cols)];
    }
    if (kind0 === 'RangeFunction') return [this.rangeFunction(node.RangeFunction, st)];
    if (kind0 === 'RangeTableSample') {
      // FROM t TABLESAMPLE SYSTEM (10): the sampled relation is read like the table itself
      return this.fromItem(node.RangeTableSample.relation, st);
    }
    // XMLTABLE, JSON_TABLE, ...: an item whose columns the model does not know; its arguments still resolve
    const kind = Object.keys(node)[0];
    const fields = node[kind] ?? {};
    const saved = st.lateralActive;
    st.lateralActive = true;
    this.children(node, { st, kind: 'from-function' });
    st.lateralActive = saved;
    const alias = fields.alias?.aliasname ?? (kind === 'JsonTable' ? 'json_table' : kind === 'RangeTableFunc' ? 'xmltable' : kind.toLowerCase());
    const item: FromItem = { kind: 'function', alias, colnames: [alias], immutable: false, location: fields.location ?? 0, name: kind };
    level.items.push(item);
    return [this.itemNs(item, alias, !!fields.alias, undefined)];
  }

  private rangeVar(rv: PgNode, st: LevelState): NsItem {
    const level = st.level;
    const alias = rv.alias?.aliasname ?? rv.relname;
    const aliases = nameList(rv.alias?.colnames);
    if (!rv.schemaname) {
      const cte = this.findCte(rv.relname, st);
      if (cte) {
        this.ctx.observer?.relation(rv, st, { cte });
        cte.refCount++;
        const item: FromItem = { kind: 'cte', alias, cte, location: rv.location ?? 0 };
        level.items.push(item);
        const targets = cte.level ? (levelTargetsIncomplete(cte.level) ? undefined : cte.level.targets) : cte.returning;
        // a recursive CTE is never inlined: its columns are rows it computes, not the constants of its first branch
        // (a MATERIALIZED one, or one read twice, keeps the origins of its columns, which the planners follow into the
        // CTE they plan first; but its constants pin nothing: constantsOfCtesNotInlined)
        const cols: NsColumn[] | undefined = targets?.map((t, i) => ({ name: aliases[i] ?? cte.columnNames?.[i] ?? t.name, type: t.type, origin: (cte.owner === 'insert' || !cte.level || cte.recursive ? { kind: 'unknown' } : t.origin) as Origin }));
        // the columns SEARCH and CYCLE add: named by a reference from a level below the WITH (its own recursive
        // term, where they are not among the targets yet), but not part of its `*` (addRangeTableEntryForCTE())
        if (cols && cte.addedColumns && !st.ctes.has(cte.name)) {
          for (const name of cte.addedColumns) {
            const c = cols.find((x) => x.name === name);
            if (c) c.noStar = true;
            else cols.push({ name, type: NO_TYPE, origin: { kind: 'unknown' }, noStar: true });
          }
        }
        return this.itemNs(item, alias, !!rv.alias, cols);
      }
    }
    const table = this.ctx.model.resolve(rv.schemaname, rv.relname, this.ctx.session.searchPath);
    this.ctx.observer?.relation(rv, st, { table });
    if (!table) {
      this.unknownRelation(rv, st);
      const item: FromItem = { kind: 'unknown', alias, name: rv.relname, location: rv.location ?? 0 };
      level.items.push(item);
      return this.itemNs(item, alias, !!rv.alias, undefined);
    }
    const viewQuery = table.kind === 'view' && this.viewDepth < MAX_VIEW_DEPTH ? viewQueryOf(table) : undefined;
    if (viewQuery) {
      const query = relocated(viewQuery, rv.location ?? 0);
      this.viewDepth++;
      const sub = this.level(query.SelectStmt, 'from', level, st, { isolated: true });
      this.viewDepth--;
      const colnames = table.columns.map((c, i) => aliases[i] ?? c.name);
      const item: FromItem = { kind: 'subquery', alias, level: sub, colnames, lateral: false };
      level.items.push(item);
      const cols = columnsKnown(table) ? colnames.map((name, i) => ({ name, type: sub.targets[i]?.type ?? typeOfColumnType(table.columns[i]?.type), origin: sub.targets[i]?.origin ?? ({ kind: 'unknown' } as Origin) })) : undefined;
      const ns = this.itemNs(item, alias, !!rv.alias, cols);
      ns.table = table;
      ns.schema = rv.alias ? undefined : table.schema;
      return ns;
    }
    const rel: RelOcc = { id: this.nextRel++, table, alias, location: rv.location ?? 0, level };
    level.rels.push(rel);
    if (this.detached === 0) this.qm.rels.push(rel);
    const renamed = nameList(rv.alias?.colnames);
    const item: FromItem = renamed.length ? { kind: 'rel', alias, rel, colnames: renamed } : { kind: 'rel', alias, rel };
    level.items.push(item);
    return this.relationNs(table, rel, alias, !!rv.alias, rv.alias ? undefined : table.schema, aliases, item);
  }

  private relationNs(table: TableModel | undefined, rel: RelOcc | undefined, refname: string, aliased: boolean, schema: string | undefined, aliases: string[], item?: FromItem): NsItem {
    const ns: NsItem = { refname, schema, table, aliased, relVisible: true, colsVisible: true, lateralOnly: false, lateralOk: true, columns: undefined, item, rel, id: this.nextNs++ };
    if (table && columnsKnown(table)) {
      const cols: NsColumn[] = new Array(table.columns.length);
      for (let i = 0; i < cols.length; i++) {
        const c = table.columns[i];
        const alias = aliases[i];
        cols[i] = alias === undefined ? { name: c.name, type: typeOfColumnType(c.type), owner: ns } : { name: alias, type: typeOfColumnType(c.type), owner: ns, column: c.name };
      }
      ns.columns = cols;
    }
    return ns;
  }

  private itemNs(item: FromItem, refname: string, aliased: boolean, columns: NsColumn[] | undefined): NsItem {
    const ns: NsItem = { refname, aliased, relVisible: true, colsVisible: true, lateralOnly: false, lateralOk: true, columns, item, id: this.nextNs++ };
    if (columns) for (const c of columns) c.owner ??= ns;
    return ns;
  }

  /** A function in FROM: its arguments see the FROM items before it (functions are implicitly LATERAL). */
  private rangeFunction(rf: PgNode, st: LevelState): NsItem {
    const level = st.level;
    const call = rf.functions?.[0]?.List?.items?.[0];
    const fc = call?.FuncCall;
    const name = fc ? functionName(fc) : (figure(call)?.name ?? 'function');
    const saved = st.lateralActive;
    st.lateralActive = true;
    const types: TypeId[] = [];
    // unnest(a, b, ..) in FROM (or in ROWS FROM) is unnest(a), unnest(b), ..: one column per array (transformRangeFunction())
    let multiUnnest = false;
    for (const f of rf.functions ?? []) {
      const c = f.List?.items?.[0];
      if (!c) continue;
      const u = !rf.coldeflist && !f.List?.items?.[1]?.length ? multiArgumentUnnest(c) : undefined;
      if (u) {
        multiUnnest = (rf.functions?.length ?? 0) === 1;
        for (const a of u.args) types.push(this.expr({ FuncCall: { funcname: u.funcname, args: [a], funcformat: 'COERCE_EXPLICIT_CALL', location: u.location } }, { st, kind: 'from-function' }));
      } else types.push(this.expr(c, { st, kind: 'from-function' }));
    }
    st.lateralActive = saved;
    // contain_mutable_functions on the function's expression as PostgreSQL resolved it: the overload it chose
    // (generate_series(timestamptz, ..) is STABLE, of integers IMMUTABLE; jsonb_to_recordset STABLE), the conversions
    // written in it; a call the model did not resolve by its name
    let immutable = true;
    walk(call, (type, f) => {
      if (!immutable) return false;
      if (type === 'SQLValueFunction') immutable = false;
      if (type !== 'FuncCall' && type !== 'A_Expr' && type !== 'TypeCast') return undefined;
      const v = this.calls.get(f)?.volatility ?? this.volatilities.get(f);
      if (v !== undefined) {
        if (v !== 'i') immutable = false;
      } else if (type === 'FuncCall' && (this.ctx.model.functions.get(functionName(f)) ?? functionVolatility(functionName(f))) !== 'immutable') immutable = false;
      return undefined;
    });
    const alias = rf.alias?.aliasname ?? name;
    const aliases = nameList(rf.alias?.colnames);
    let cols: NsColumn[] | undefined;
    let pulledUp = false;
    const single = (rf.functions?.length ?? 0) === 1;
    const defs: PgNode[] | undefined = rf.coldeflist ?? rf.functions?.[0]?.List?.items?.[1];
    if (multiUnnest) {
      cols = types.map((t, i) => ({ name: aliases[i] ?? 'unnest', type: t, origin: { kind: 'function', level } as Origin }));
    } else if (single && defs?.length) {
      cols = defs.map((d: PgNode, i: number) => ({ name: aliases[i] ?? d.ColumnDef?.colname, type: typeOfTypeName(d.ColumnDef?.typeName), origin: { kind: 'function', level } as Origin }));
    } else if (single && fc) {
      const out = this.functionOutColumns(fc, types[0]);
      // pull_up_constant_function: a built-in IMMUTABLE function that returns one scalar, of constant arguments, is folded
      // to its value and pulled up as a constant (`JOIN abs(5) a ON a = e.tenant_id` prunes to one shard)
      const info = this.calls.get(fc);
      const constArgs = (fc.args ?? []).every((a: PgNode) => !!stripCast(a)?.A_Const);
      const constant = immutable && !rf.ordinality && info && !info.returnsSet && !this.ctx.model.functions.has(name) && out?.length === 1 && constArgs ? call : undefined;
      pulledUp = !!constant;
      if (out) cols = out.map((c, i) => ({ name: aliases[i] ?? (out.length === 1 && !c.name ? alias : c.name), type: c.type, origin: { kind: 'function', level, ...(constant ? { constant } : {}) } as Origin }));
      else if (!info && !rf.ordinality && constArgs && this.ctx.model.functions.has(name)) {
        // a workspace SQL function PostgreSQL inlines to a constant: one column (of a type the model does not know)
        const inlined = inlinedConstant(this.ctx.model.functionDefinitions.get(name), fc.args ?? []);
        if (inlined) {
          pulledUp = true;
          cols = [{ name: aliases[0] ?? alias, type: NO_TYPE, origin: { kind: 'function', level, constant: inlined } }];
        }
      }
    } else if (single && call && !fc) {
      // FROM current_user u, FROM CAST(x AS int) c: one column, named after the alias
      const t = types[0];
      if (t !== NO_TYPE && builtins().type(t)?.typtype !== 'c' && t !== T.RECORD) cols = [{ name: aliases[0] ?? alias, type: t, origin: { kind: 'function', level } }];
    }
    if (cols && rf.ordinality) cols.push({ name: aliases[cols.length] ?? 'ordinality', type: T.INT8, origin: { kind: 'function', level } });
    const colnames = cols ? cols.map((c) => c.name) : aliases.length ? aliases : [alias];
    if (!cols && (name === 'jsonb_each' || name === 'json_each' || name === 'jsonb_each_text' || name === 'json_each_text')) colnames.push('key', 'value');
    // Citus wraps the function by its declared volatility, on the query as written: PostgreSQL inlines a LANGUAGE SQL
    // function only in planning, which the router planner sees (a constant it folds to pins a shard, above) and the
    // recursive planner does not (checked on Citus 13.2.2: a VOLATILE `SELECT $1 + $2`, a STABLE set-returning SQL
    // function, are planned first). A function known from a snapshot only, whose definition the model has not seen,
    // is left alone.
    const own = this.ctx.model.functions.get(name);
    const def = this.ctx.model.functionDefinitions.get(name);
    const staysFunction = own === undefined || !!def;
    const wrappable = !isLateralFunction(rf) && !rf.ordinality && staysFunction;
    const item: FromItem = { kind: 'function', alias, colnames, immutable, location: fc?.location ?? 0, name, types: cols?.map((c) => c.type), wrappable, ...(pulledUp ? { constant: true } : {}) };
    level.items.push(item);
    return this.itemNs(item, alias, !!rf.alias, cols);
  }

  /** The columns a function yields in FROM: its OUT columns, or one column of its result type. */
  private functionOutColumns(fc: PgNode, result: TypeId): { name: string; type: TypeId }[] | undefined {
    const info = this.calls.get(fc);
    if (!info) return undefined;
    if (info.outColumns) return info.outColumns;
    if (result === NO_TYPE || result === T.RECORD || builtins().type(result)?.typtype === 'c') return undefined;
    return [{ name: '', type: result }];
  }

  /** transformFromClauseItem() for JoinExpr. */
  private join(j: PgNode, st: LevelState): NsItem[] {
    const level = st.level;
    const left = this.fromItem(j.larg, st);
    const lateralOk = j.jointype === 'JOIN_INNER' || j.jointype === 'JOIN_LEFT';
    for (const n of left) {
      n.lateralOnly = true;
      n.lateralOk = lateralOk;
    }
    const savedLen = st.ns.length;
    st.ns.push(...left);
    const right = this.fromItem(j.rarg, st);
    st.ns.length = savedLen;
    this.checkConflicts(st, left, right);
    const mine = [...left, ...right];
    const lTop = left[left.length - 1];
    const rTop = right[right.length - 1];
    // USING / NATURAL: merged columns
    let using = nameList(j.usingClause);
    if (j.isNatural && lTop?.columns && rTop?.columns) {
      using = lTop.columns.filter((c) => rTop.columns!.some((r) => r.name === c.name)).map((c) => c.name);
    }
    const merged: NsColumn[] = [];
    let knownColumns = !!lTop?.columns && !!rTop?.columns;
    for (const name of using) {
      const l = this.usingColumn(lTop, name, 'left', st, j);
      // PostgreSQL stops at the left side's error
      const r = l || !lTop?.columns ? this.usingColumn(rTop, name, 'right', st, j) : undefined;
      if (l && r) {
        this.qm.equalities.push(j.jointype === 'JOIN_INNER' ? { a: colOrigin(l), b: colOrigin(r), level } : { a: colOrigin(l), b: colOrigin(r), level, outer: true });
        const common = selectCommonType([l.type, r.type], 'JOIN/USING');
        if ('error' in common) this.error(st, 'datatype-mismatch', common.error, j.usingClause?.[0] ? firstLocation(j) : undefined, {});
        const side = j.jointype === 'JOIN_RIGHT' ? r : l;
        // FULL JOIN's merged column is COALESCE(left, right): it stands for neither input column
        // (an expression to PostgreSQL's planner and to Citus: no equivalence class nor distribution column holds it)
        merged.push(j.jointype === 'JOIN_FULL' ? { name, type: 'error' in common ? NO_TYPE : common.type, origin: { kind: 'expr', node: { CoalesceExpr: { args: [], location: firstLocation(j) } }, level, coalesced: [colOrigin(l), colOrigin(r)] } } : { ...side, name, type: 'error' in common ? NO_TYPE : common.type });
      } else knownColumns = false;
    }
    if (j.quals) {
      for (const n of mine) {
        n.lateralOnly = false;
        n.lateralOk = true;
      }
      const saved = st.ns;
      st.ns = mine;
      const savedOuter = this.outerJoinQual;
      const savedNullable = this.nullableItems;
      this.outerJoinQual = j.jointype !== 'JOIN_INNER';
      this.nullableItems = j.jointype === 'JOIN_LEFT' ? new Set(this.itemsOf(right)) : j.jointype === 'JOIN_RIGHT' ? new Set(this.itemsOf(left)) : undefined;
      this.where(j.quals, st, 'join-on', 'JOIN/ON', true);
      this.outerJoinQual = savedOuter;
      this.nullableItems = savedNullable;
      st.ns = saved;
    }
    const type = j.jointype === 'JOIN_LEFT' ? 'LEFT' : j.jointype === 'JOIN_RIGHT' ? 'RIGHT' : j.jointype === 'JOIN_FULL' ? 'FULL' : undefined;
    const leftItems = this.itemsOf(left);
    const rightItems = this.itemsOf(right);
    if (type) level.outerJoins.push({ type, left: leftItems, right: rightItems, location: firstLocation(j.rarg) });
    let joinCols: NsColumn[] | undefined;
    if (knownColumns) {
      joinCols = merged;
      for (const c of lTop!.columns!) if (!using.includes(c.name)) joinCols.push(c);
      for (const c of rTop!.columns!) if (!using.includes(c.name)) joinCols.push(c);
    }
    // the join's inputs stay in the range table: an alias hides them, but PostgreSQL still says "invalid reference"
    st.rtable.push(...mine);
    // JOIN ... USING (a) AS x: x.a names the merged columns only (a namespace item, not a range table entry)
    if (j.join_using_alias?.aliasname) {
      const usingNs: NsItem = { refname: j.join_using_alias.aliasname, aliased: true, relVisible: true, colsVisible: true, lateralOnly: false, lateralOk: true, columns: knownColumns ? merged : undefined, id: this.nextNs++ };
      mine.push(usingNs);
    }
    const aliases = nameList(j.alias?.colnames);
    const alias = j.alias?.aliasname;
    const joinNs: NsItem = {
      refname: alias,
      aliased: !!alias,
      relVisible: !!alias,
      colsVisible: true,
      lateralOnly: false,
      lateralOk: true,
      columns: joinCols?.map((c, i) => (aliases[i] ? { ...c, name: aliases[i], via: c.via ?? c } : c)),
      id: this.nextNs++,
    };
    if (alias) return [joinNs];
    for (const n of mine) n.colsVisible = false;
    return [...mine, joinNs];
  }

  private itemsOf(ns: NsItem[]): FromItem[] {
    const out: FromItem[] = [];
    for (const n of ns) if (n.item && !out.includes(n.item)) out.push(n.item);
    return out;
  }

  private usingColumn(top: NsItem | undefined, name: string, side: 'left' | 'right', st: LevelState, j: PgNode): NsColumn | undefined {
    if (!top?.columns) return undefined;
    const found = top.columns.filter((c) => c.name === name);
    if (found.length === 0) {
      this.error(st, 'unknown-column', `column "${name}" specified in USING clause does not exist in ${side} table`, firstLocation(j), { node: j });
      return undefined;
    }
    if (found.length > 1) {
      this.error(st, 'ambiguous-column', `common column name "${name}" appears more than once in ${side} table`, firstLocation(j), { node: j });
      return undefined;
    }
    return found[0];
  }

  // ---- target lists, ORDER BY, GROUP BY ----------------------------------------------------------

  private expandStar(ref: PgNode, st: LevelState, location: number): Target[] {
    const fields = ref.fields as PgNode[];
    const qualifier = fields.length > 1 ? nameList(fields.slice(0, -1)) : [];
    const out: Target[] = [];
    const push = (ns: NsItem): boolean => {
      if (!ns.columns) {
        // unknown columns: the old model expanded nothing; mark the level's targets incomplete
        (st.level as IncompleteMark)[INCOMPLETE] = true;
        return false;
      }
      for (const c of ns.columns) {
        if (c.noStar) continue;
        const alias = ns.refname ?? '';
        const ref = { fields: [{ String: { sval: alias } }, { String: { sval: c.name } }], location };
        // bound as the column it expands to (the GROUP BY check reads it: `SELECT * .. GROUP BY tenant_id`)
        const src = c.via ?? c;
        this.bindings.set(ref, { ns, column: c.name, base: src.owner !== ns ? src.owner : undefined, baseColumn: src.name, type: c.type, origin: colOrigin(c), levelsUp: 0, state: st });
        out.push({ name: c.name, expr: { ColumnRef: ref }, location, type: c.type, origin: colOrigin(c) });
      }
      return true;
    };
    if (qualifier.length) {
      const b = this.lookupRel(qualifier, st, location);
      if (b?.ns) push(b.ns);
      else if (!b) (st.level as IncompleteMark)[INCOMPLETE] = true;
      return out;
    }
    const visible = st.ns.filter((n) => n.colsVisible && !n.lateralOnly);
    if (visible.length === 0 && !this.quietDepth) {
      this.error(st, 'datatype-mismatch', 'SELECT * with no tables specified is not valid', location, {});
    }
    for (const ns of visible) push(ns);
    return out;
  }

  /**
   * Output columns DISTINCT, GROUP BY or ORDER BY sort on need a type: an unknown literal there becomes text
   * even in the SELECT of an INSERT (transformDistinctClause() / addTargetToSortList()).
   */
  private resolveSortedUnknowns(select: PgNode, level: QueryLevel): void {
    if (!level.targets.some((t) => t.type === T.UNKNOWN)) return;
    const plainDistinct = select.distinctClause?.length === 1 && !Object.keys(select.distinctClause[0] ?? {}).length;
    const sorted = new Set<number>();
    for (const c of [...(select.groupClause ?? []), ...(select.sortClause ?? []).map((s: PgNode) => s.SortBy?.node)]) {
      const pos = c?.A_Const?.ival;
      if (pos !== undefined) sorted.add((typeof pos === 'object' ? (pos.ival ?? 0) : pos) - 1);
      const name = c?.ColumnRef ? nameList(c.ColumnRef.fields) : [];
      if (name.length === 1) level.targets.forEach((t, i) => t.name === name[0] && sorted.add(i));
    }
    level.targets.forEach((t, i) => {
      if (t.type === T.UNKNOWN && (plainDistinct || sorted.has(i))) t.type = T.TEXT;
    });
  }

  /**
   * transformDistinctClause() / transformDistinctOnClause(): SELECT DISTINCT sorts on its output columns, so ORDER BY
   * may only name them; DISTINCT ON's expressions must be the leading ORDER BY items. Each ORDER BY and DISTINCT ON
   * item is matched to an output column (by name or position, then as an equal expression) or to an earlier extra
   * expression, as PostgreSQL matches them to target entries. Nothing is said when an output column is not known (a
   * star over a relation of unknown columns).
   */
  private distinctOrder(select: PgNode, st: LevelState, level: QueryLevel, orderExtra: PgNode[]): void {
    if (levelTargetsIncomplete(level)) return;
    const onList: PgNode[] = (select.distinctClause as PgNode[]).filter((d) => d && Object.keys(d).length > 0);
    const sortNodes: PgNode[] = (select.sortClause as PgNode[]).map((s) => s.SortBy?.node).filter(Boolean);
    if (!onList.length) {
      const extra = orderExtra[0];
      if (extra) this.error(st, 'distinct-order-by', 'for SELECT DISTINCT, ORDER BY expressions must appear in select list', firstLocation(extra), { node: extra });
      return;
    }
    const extras: PgNode[] = [];
    const keyOf = (n: PgNode): number | undefined => {
      if (n.ColumnRef) {
        const parts = nameList(n.ColumnRef.fields);
        if (parts.length === 1) {
          const i = level.targets.findIndex((t) => t.name === parts[0]);
          if (i >= 0) return i;
        }
      }
      const ival = n.A_Const?.ival;
      if (n.A_Const && ival !== undefined && !n.A_Const.isnull) {
        const pos = typeof ival === 'object' ? (ival.ival ?? 0) : ival;
        return pos >= 1 && pos <= level.targets.length ? pos - 1 : undefined;
      }
      const t = level.targets.findIndex((x) => x.expr && sameExpression(x.expr, n, this.bindings));
      if (t >= 0) return t;
      const e = extras.findIndex((x) => sameExpression(x, n, this.bindings));
      if (e >= 0) return level.targets.length + e;
      extras.push(n);
      return level.targets.length + extras.length - 1;
    };
    const sortKeys = sortNodes.map(keyOf);
    const onKeys = onList.map(keyOf);
    if (sortKeys.includes(undefined) || onKeys.includes(undefined)) return;
    const kept = new Set<number>();
    let skipped = false;
    let bad: PgNode | undefined;
    for (const k of sortKeys) {
      const at = onKeys.indexOf(k);
      if (at < 0) skipped = true;
      else if (skipped) bad ??= onList[at];
      else kept.add(k!);
    }
    if (!bad && skipped) bad = onList.find((_, i) => !kept.has(onKeys[i]!));
    if (bad) this.error(st, 'distinct-order-by', 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions', firstLocation(bad), { node: bad });
  }

  /** ORDER BY: output column names and positions first (SQL92), then expressions. Returns expressions not in the target list. */
  private sortClause(list: PgNode[], st: LevelState, level: QueryLevel): PgNode[] {
    const extra: PgNode[] = [];
    for (const s of list) {
      const sb = s.SortBy;
      if (!sb?.node) continue;
      const n = sb.node;
      const target = this.targetByNameOrPosition(n, level, st, 'ORDER BY', false);
      if (target !== undefined) {
        if (target && !sb.useOp) this.sortableType(st, target.type, target.expr ?? n, 'ordering');
        continue;
      }
      const type = this.expr(n, { st, kind: 'order-by' });
      if (!sb.useOp) this.sortableType(st, type, n, 'ordering');
      if (!level.targets.some((t) => t.expr && sameExpression(t.expr, n, this.bindings))) extra.push(n);
    }
    return extra;
  }

  /**
   * get_sort_group_operators(): ORDER BY needs the type's default btree ordering operator, GROUP BY its equality one;
   * json has neither (jsonb has both): `could not identify an ordering operator for type json`.
   */
  private sortableType(st: LevelState, type: TypeId, node: PgNode, need: 'ordering' | 'equality'): void {
    if (type !== T.JSON) return;
    this.error(st, 'undefined-operator', `could not identify an ${need} operator for type json`, firstLocation(node), { node, hint: need === 'ordering' ? 'Use an explicit ordering operator or modify the query.' : undefined });
  }

  /**
   * findTargetlistEntrySQL92(): a bare name that is an output column (for GROUP BY only when it is no input
   * column), or an integer position. Returns the target, null when it is an error, undefined otherwise.
   */
  private targetByNameOrPosition(n: PgNode, level: QueryLevel, st: LevelState, clause: 'ORDER BY' | 'GROUP BY' | 'DISTINCT ON', preferInput: boolean): Target | null | undefined {
    if (n.ColumnRef) {
      const parts = nameList(n.ColumnRef.fields);
      if (parts.length === 1 && !isStarRef(n.ColumnRef)) {
        const name = parts[0];
        if (preferInput && this.inputColumnExists(name, st)) return undefined;
        const matches = level.targets.filter((t) => t.name === name);
        if (matches.length >= 1) {
          if (matches.length > 1 && !matches.every((m) => m.expr && matches[0].expr && sameExpression(m.expr, matches[0].expr, this.bindings))) {
            this.error(st, 'ambiguous-column', `${clause} "${name}" is ambiguous`, n.ColumnRef.location, { name: true });
            return null;
          }
          return matches[0];
        }
      }
    }
    const ival = n.A_Const?.ival;
    if (n.A_Const && ival !== undefined && !n.A_Const.isnull) {
      const pos = typeof ival === 'object' ? (ival.ival ?? 0) : ival;
      if (levelTargetsIncomplete(level)) return null;
      if (pos < 1 || pos > level.targets.length) {
        this.error(st, 'datatype-mismatch', `${clause} position ${pos} is not in select list`, n.A_Const.location, { node: n });
        return null;
      }
      return level.targets[pos - 1];
    }
    return undefined;
  }

  private inputColumnExists(name: string, st: LevelState): boolean {
    for (const ns of st.ns) {
      if (!ns.colsVisible) continue;
      if (!ns.columns || ns.columns.some((c) => c.name === name)) return true;
    }
    return false;
  }

  /** GROUP BY items as expressions (positions and output names replaced by their targets' expressions). */
  private groupClause(list: PgNode[], st: LevelState, level: QueryLevel): PgNode[] {
    const out: PgNode[] = [];
    const add = (n: PgNode): void => {
      if (n.GroupingSet) {
        for (const c of n.GroupingSet.content ?? []) add(c);
        return;
      }
      if (n.RowExpr?.row_format === 'COERCE_IMPLICIT_CAST') {
        for (const c of n.RowExpr.args ?? []) add(c);
        return;
      }
      const target = this.targetByNameOrPosition(n, level, st, 'GROUP BY', true);
      if (target === null) {
        out.push(UNKNOWN_GROUP);
        return;
      }
      if (target) {
        this.sortableType(st, target.type, target.expr ?? n, 'equality');
        if (target.expr) out.push(target.expr);
        return;
      }
      this.sortableType(st, this.expr(n, { st, kind: 'group-by' }), n, 'equality');
      out.push(n);
    };
    for (const g of list) add(g);
    return out;
  }

  /**
   * transformWindowDefinitions(), over the WINDOW clause's definitions and then the OVER (..) ones in order: a reference
   * to an earlier window must find it, may not give its own PARTITION BY, nor an ORDER BY when the window has one, nor
   * copy a window with a frame clause; a RANGE frame with an offset needs exactly one ORDER BY column.
   */
  private windowRules(select: PgNode, st: LevelState): void {
    const named = new Map<string, PgNode>();
    const defs: PgNode[] = [...(select.windowClause ?? []).map((w: PgNode) => w.WindowDef ?? w), ...(st.inlineWindows ?? [])];
    for (const def of defs) {
      const at = def.location ?? 0;
      let ref: PgNode | undefined;
      if (def.refname) {
        ref = named.get(def.refname);
        if (!ref) return this.error(st, 'misplaced-window-function', `window "${def.refname}" does not exist`, at, {});
        if (def.partitionClause?.length) return this.error(st, 'misplaced-window-function', `cannot override PARTITION BY clause of window "${def.refname}"`, at, {});
        if (def.orderClause?.length && ref.orderClause?.length) return this.error(st, 'misplaced-window-function', `cannot override ORDER BY clause of window "${def.refname}"`, at, {});
        if ((ref.frameOptions ?? 0) & FRAME_NONDEFAULT) {
          return this.error(st, 'misplaced-window-function', `cannot copy window "${def.refname}" because it has a frame clause`, at, def.name ? {} : { hint: 'Omit the parentheses in this OVER clause.' });
        }
      }
      const order: PgNode[] = def.orderClause?.length ? def.orderClause : (ref?.orderClause ?? []);
      const frame = def.frameOptions ?? 0;
      if (frame & FRAME_RANGE && frame & FRAME_OFFSETS && order.length !== 1) {
        return this.error(st, 'misplaced-window-function', 'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column', at, {});
      }
      if (def.name && !named.has(def.name)) named.set(def.name, def);
    }
  }

  private windowDef(w: PgNode, st: LevelState): void {
    // transformWindowDefinitions(): one definition per name in a WINDOW clause
    if (w.name && st.windows?.has(w.name)) this.error(st, 'misplaced-window-function', `window "${w.name}" is already defined`, w.location ?? 0, { name: true });
    if (w.name) (st.windows ??= new Set()).add(w.name);
    for (const p of w.partitionClause ?? []) this.expr(p, { st, kind: 'window-partition' });
    for (const s of w.orderClause ?? []) if (s.SortBy?.node) this.expr(s.SortBy.node, { st, kind: 'window-order' });
    if (w.startOffset) this.expr(w.startOffset, { st, kind: 'window-frame' });
    if (w.endOffset) this.expr(w.endOffset, { st, kind: 'window-frame' });
  }

  /**
   * parseCheckAggregates() / check_ungrouped_columns(): every column of this level used outside an aggregate
   * must be grouped, be inside a grouped expression, or belong to a table whose primary key is grouped.
   * Conservative where the model's expression matching could miss PostgreSQL's equal(): a column that appears
   * inside a GROUP BY expression is reported only when each such expression calls a function or operator that the
   * whole expression using the column never names (then no part of it can be that grouped expression, however it is
   * written): `created_at::date` with `GROUP BY date_trunc('hour', created_at)`.
   */
  /**
   * The first GROUPING() of this level (in the target list or HAVING, outside subqueries) with a column argument of
   * this level that no grouping expression is (a plain column of GROUP BY; none when there is no GROUP BY). An argument
   * that is an expression, or a GROUP BY the model cannot read, is left to PostgreSQL.
   */
  private groupingOfUngrouped(select: PgNode, groupExprs: PgNode[]): PgNode | undefined {
    // (a GROUP BY item that is an aggregate or a GROUPING() fails first, in transformGroupClause: see checkUngrouped)
    if (groupExprs.includes(UNKNOWN_GROUP) || groupExprs.some((g) => containsNode(g, 'FuncCall') || containsNode(g, 'GroupingFunc'))) return undefined;
    const grouped = new Set<string>();
    for (const g of groupExprs) {
      const b = g.ColumnRef ? this.bindings.get(g.ColumnRef) : undefined;
      if (!b?.ns) {
        if (g.ColumnRef) return undefined;
        continue;
      }
      if (b.levelsUp === 0) grouped.add(bindingId(b));
    }
    let found: PgNode | undefined;
    walk([select.targetList, select.havingClause], (type, f) => {
      if (found || type === 'SubLink') return false;
      if (type !== 'GroupingFunc') return undefined;
      for (const a of f.args ?? []) {
        const b = a.ColumnRef ? this.bindings.get(a.ColumnRef) : undefined;
        if (b?.ns && b.levelsUp === 0 && !grouped.has(bindingId(b))) found = f;
      }
      return false;
    });
    return found;
  }

  private checkUngrouped(st: LevelState, level: QueryLevel, groupExprs: PgNode[], orderExtra: PgNode[], common: PgNode[] | undefined): void {
    if (groupExprs.includes(UNKNOWN_GROUP)) return;
    // a GROUP BY position or output name that stands for an aggregate (or a window function)
    for (const g of groupExprs) {
      let bad: { message: string; location: number } | undefined;
      walk(g, (type, f) => {
        if (bad) return false;
        if (type === 'SubLink') return false;
        if (type === 'FuncCall' && f.over) bad = { message: 'window functions are not allowed in GROUP BY', location: f.location };
        else if (type === 'FuncCall' && isAggregateCall(f, this.ctx.model) && this.aggregateOfThisLevel(f)) bad = { message: 'aggregate functions are not allowed in GROUP BY', location: f.location };
        // (a GROUPING() is checked as an aggregate: check_agglevels_and_constraints)
        else if (type === 'GroupingFunc') bad = { message: 'aggregate functions are not allowed in GROUP BY', location: f.location };
        return undefined;
      });
      if (bad) {
        this.error(st, bad.message.startsWith('window') ? 'misplaced-window-function' : 'misplaced-aggregate', bad.message, bad.location, { name: true });
        return;
      }
    }
    if (levelTargetsIncomplete(level) && level.targets.length === 0) return;
    const groupedCols = new Set<string>();
    const inGroupExpr = new Set<string>();
    const groupExprNodes: PgNode[] = [];
    /** per grouping expression: its columns, and the names that tell it apart (see distinguishingNames) */
    const groupFacts: { cols: Set<string>; names: string[] }[] = [];
    for (const g of groupExprs) {
      const b = g.ColumnRef ? this.bindings.get(g.ColumnRef) : undefined;
      if (b) {
        if (b.levelsUp === 0 && b.ns) groupedCols.add(bindingId(b));
        else if (!b.ns) return; // a grouped column the model could not resolve
        continue;
      }
      groupExprNodes.push(g);
      const cols = new Set<string>();
      walk(g, (type, f) => {
        if (type === 'ColumnRef') {
          const bb = this.bindings.get(f);
          if (bb?.ns) {
            inGroupExpr.add(bindingId(bb));
            cols.add(bindingId(bb));
          }
        }
      });
      groupFacts.push({ cols, names: distinguishingNames(g) });
    }
    // functional dependency: every primary key column of a table grouped (with grouping sets, in every set: the
    // columns of gset_common; an item that names an output column or a position is not followed: all grouped count)
    let dependencyCols = groupedCols;
    if (common) {
      const ids = common.map((g) => (g.ColumnRef ? this.bindings.get(g.ColumnRef) : undefined));
      if (ids.every((b) => b?.ns && b.levelsUp === 0)) dependencyCols = new Set(ids.map((b) => bindingId(b!)));
    }
    const pkGrouped = (ns: NsItem): boolean => {
      const pk = ns.table?.primaryKey;
      // (check_functional_grouping takes no DEFERRABLE primary key)
      if (!pk?.length || ns.item?.kind !== 'rel' || deferrableKey(ns.table as TableModel, pk, true)) return false;
      return pk.every((k) => {
        const col = ns.columns?.find((c) => (c.column ?? c.name) === k);
        return !!col && dependencyCols.has(colId(ns, col.name));
      });
    };
    let reported = false;
    /** a column inside grouping expressions, in `root`: none of them can be a part of root (see above) */
    // (the root's names are collected once, and only when a column inside a grouped expression needs them)
    let namesOf: { root: unknown; names: Set<string> } | undefined;
    const apartFromGroups = (id: string, root: unknown): boolean => {
      const containing = groupFacts.filter((g) => g.cols.has(id));
      if (!containing.length) return false;
      const cached = namesOf;
      const rootNames = cached && cached.root === root ? cached.names : (namesOf = { root, names: namesIn(root) }).names;
      return containing.every((g) => g.names.some((n) => !rootNames.has(n)));
    };
    const check = (node: unknown, sublevels: number, root?: unknown): void => {
      if (reported) return;
      walk(node, (type, f, wrapper) => {
        if (reported) return false;
        if (type === 'FuncCall' && sublevels === 0 && isAggregateCall(f, this.ctx.model)) {
          // ordered-set aggregates: direct arguments are not aggregated
          if (f.agg_within_group) check(f.args, sublevels, root);
          return false;
        }
        // an aggregate in a subquery whose arguments read only this level's columns is this level's aggregate
        // (check_agg_arguments(): its level is the lowest level of the columns it reads)
        if (type === 'FuncCall' && sublevels > 0 && isAggregateCall(f, this.ctx.model) && this.aggregateLevel(f) !== 0) return false;
        if (type === 'FuncCall' && f.over) {
          // a window function's arguments and window clause are evaluated after grouping
          return undefined;
        }
        // a function the model does not know may be an aggregate (CREATE AGGREGATE, an extension's)
        if (type === 'FuncCall' && !this.knownPlainFunction(f)) return false;
        if (type === 'SubLink') {
          check(f.subselect, sublevels + 1);
          return false;
        }
        if (sublevels === 0 && groupExprNodes.length) {
          for (const g of groupExprNodes) if (g[type] !== undefined && sameExpression(wrapper, g, this.bindings)) return false;
        }
        if (type === 'ColumnRef') {
          const b = this.bindings.get(f);
          if (!b?.ns || b.levelsUp !== sublevels || b.state !== st) return undefined;
          const id = bindingId(b);
          const base = b.base ?? b.ns;
          if (groupedCols.has(id) || pkGrouped(base)) return undefined;
          if (inGroupExpr.has(id) && !(sublevels === 0 && root !== undefined && apartFromGroups(id, root))) return undefined;
          if (b.ns.item?.kind === 'unknown' || !b.ns.columns) return undefined;
          const rel = base.refname ?? 'unnamed_join';
          const column = b.baseColumn ?? b.column;
          const message =
            sublevels === 0
              ? `column "${rel}.${column}" must appear in the GROUP BY clause or be used in an aggregate function`
              : `subquery uses ungrouped column "${rel}.${column}" from outer query`;
          this.error(st, 'ungrouped-column', message, f.location, { name: true });
          reported = true;
          return false;
        }
        return undefined;
      });
    };
    for (const t of level.targets) {
      if (reported) break;
      if (t.expr) check(t.expr, 0, t.expr);
    }
    for (const e of orderExtra) check(e, 0, e);
    check(level.select.havingClause, 0, level.select.havingClause);
  }

  /** A call the model knows is not an aggregate: a built-in function, or a function the workspace defines. */
  private knownPlainFunction(fc: PgNode): boolean {
    const names = nameList(fc.funcname);
    const name = (names[names.length - 1] ?? '').toLowerCase();
    if (this.ctx.model.functions.has(name)) return true;
    if (names.length > 1 && names[0] !== 'pg_catalog') return false;
    const list = builtins().functionsNamed(name);
    return list.length > 0 && !NEWER_OVERLOADS.has(name);
  }

  /**
   * How many levels up from where it is written an aggregate is evaluated: the lowest level of the columns its arguments
   * read (0 without any); undefined when a column is not resolved.
   */
  private aggregateLevel(fc: PgNode): number | undefined {
    let lowest: number | undefined;
    let unresolved = false;
    walk([fc.args, fc.agg_filter], (type, f) => {
      if (type === 'SubLink') return false;
      if (type === 'ColumnRef') {
        const b = this.bindings.get(f);
        if (!b) unresolved = true;
        else lowest = Math.min(lowest ?? Infinity, b.levelsUp);
      }
      return undefined;
    });
    return unresolved ? undefined : (lowest ?? 0);
  }

  /** An aggregate call belongs to this level unless all its column references are outer ones. */
  private aggregateOfThisLevel(fc: PgNode): boolean {
    let outerOnly = true;
    let any = false;
    walk(fc.args, (type, f) => {
      if (type === 'ColumnRef') {
        any = true;
        const b = this.bindings.get(f);
        if (!b || b.levelsUp === 0) outerOnly = false;
      }
    });
    return !any || !outerOnly;
  }

  // ---- WHERE and restrictions --------------------------------------------------------------------

  /** transformWhereClause(): the clause must be boolean; with `restriction`, equalities feed the predictors. */
  private where(clause: PgNode | undefined, st: LevelState, kind: ExprKind, construct: string, restriction = false): void {
    if (!clause) return;
    // the AND-ed terms that are IN (SELECT ...) sublinks: PostgreSQL turns them into semi-joins (see subLink)
    const saved = this.semiJoinCandidates;
    this.semiJoinCandidates = restriction ? andedSublinks(clause) : undefined;
    const type = this.expr(clause, { st, kind });
    this.semiJoinCandidates = saved;
    this.requireBoolean(st, type, clause, construct);
    // `... AND false` folds to false (eval_const_expressions): none of its equalities reach the planner
    if (restriction && !andedTerms(clause).some((t) => t.A_Const?.boolval && !t.A_Const.boolval.boolval)) this.restriction(clause, st.level);
  }

  /** The ON clause of an outer join is being transformed: its constants do not prune the join's relations. */
  private outerJoinQual = false;
  /** the FROM items of the nullable side of the outer join whose ON clause is read (LEFT: right, RIGHT: left) */
  private nullableItems: Set<FromItem> | undefined;

  /** the kind of the expression the next sublink level sits in (newState reads it) */
  private pendingSublinkKind: ExprKind | undefined;
  /** SubLink fields of the IN (SELECT ...) terms of the restriction being transformed. */
  private semiJoinCandidates: Set<PgNode> | undefined;

  private requireBoolean(st: LevelState, type: TypeId, node: PgNode, construct: string): void {
    if (type === T.BOOL || type === NO_TYPE) return;
    if (type === T.UNKNOWN) {
      this.checkLiteral(st, node, T.BOOL);
      return;
    }
    if (canCoerce(type, T.BOOL, 'i') === false) {
      this.error(st, 'datatype-mismatch', `argument of ${construct} must be type boolean, not type ${builtins().display(type)}`, firstLocation(node), { node });
    }
  }

  private restriction(expr: PgNode, level: QueryLevel): void {
    if (this.detached > 0) return;
    if (expr.BoolExpr?.boolop === 'AND_EXPR') {
      for (const a of expr.BoolExpr.args ?? []) this.restriction(a, level);
      return;
    }
    // `x OR FALSE` is x once PostgreSQL folds constants (eval_const_expressions)
    if (expr.BoolExpr?.boolop === 'OR_EXPR') {
      const live = (expr.BoolExpr.args ?? []).filter((a: PgNode) => !isFalseConstant(a));
      if (live.length === 1) this.restriction(live[0], level);
      else if (live.length > 1) {
        // a clause every arm has is a restriction of its own (process_duplicate_ors(): `(a.k = b.k AND x) OR (a.k =
        // b.k AND y)` is `a.k = b.k AND (x OR y)`; checked on Citus 13.2.2: such a join is pushed down)
        const [first, ...rest]: PgNode[][] = live.map((a: PgNode) => andedTerms(a));
        for (const t of first) if (rest.every((arm) => arm.some((u) => sameExpression(t, u, this.bindings)))) this.restriction(t, level);
      }
      return;
    }
    const e = expr.A_Expr;
    if (!e || e.kind !== 'AEXPR_OP' || nameList(e.name).join('.') !== '=') {
      if (e?.kind === 'AEXPR_IN' && e.lexpr?.ColumnRef) {
        const list = e.rexpr?.List?.items ?? [];
        if (list.length === 1 && isConstant(list[0])) this.qm.constFilters.push({ origin: this.originOf(e.lexpr), level });
      }
      return;
    }
    // `(a, b) = (1, x)`: PostgreSQL makes a row equality the AND of its columns' equalities (make_row_comparison_op)
    const lRow: PgNode[] | undefined = e.lexpr?.RowExpr?.args;
    const rRow: PgNode[] | undefined = e.rexpr?.RowExpr?.args;
    if (lRow && rRow && lRow.length === rRow.length) {
      for (let i = 0; i < lRow.length; i++) this.equalityTerm(lRow[i], rRow[i], level);
      return;
    }
    this.equalityTerm(e.lexpr, e.rexpr, level);
  }

  /** One `left = right` of a restriction: a join equality, or a column pinned by a constant. */
  private equalityTerm(left: PgNode | undefined, right: PgNode | undefined, level: QueryLevel): void {
    // a column under a conversion to another type is an expression: PostgreSQL's equivalence classes and Citus' see no
    // column there (checked on Citus 13.2.2: `e.tenant_id::bigint = u.tenant_id::bigint` joins no distribution
    // columns, `tenant_id::bigint = 5` prunes nothing); a cast to the column's own type is dropped
    const l = this.columnOrConstant(left);
    const r = this.columnOrConstant(right);
    if (l?.ColumnRef && r?.ColumnRef) {
      const a = this.bindings.get(l.ColumnRef)?.origin;
      const b = this.bindings.get(r.ColumnRef)?.origin;
      // a PL/pgSQL or psql variable is a value: `tenant_id = v_tenant` pins the column like a constant; so is a
      // constant column of a one-row VALUES
      if ((a?.kind === 'const' || this.valuesConstant(l.ColumnRef) || this.cteConstantColumn(l.ColumnRef)) && b) this.cteConstFilter(l.ColumnRef, b, level);
      else if ((b?.kind === 'const' || this.valuesConstant(r.ColumnRef) || this.cteConstantColumn(r.ColumnRef)) && a) this.cteConstFilter(r.ColumnRef, a, level);
      else if (a && b) this.qm.equalities.push(this.outerJoinQual ? { a, b, level, outer: true } : { a, b, level });
    } else if (l?.ColumnRef && isConstant(r)) {
      this.constFilter(this.originOf(l), level);
    } else if (r?.ColumnRef && isConstant(l)) {
      this.constFilter(this.originOf(r), level);
    } else if (l?.ColumnRef || r?.ColumnRef) {
      // `e.tenant_id = p.tenant + 1`, p a CTE of constants: once PostgreSQL inlines the CTE and pulls it up, the
      // expression is one of constants, which eval_const_expressions() folds (checked on Citus 13.2.2: one shard)
      const [column, other] = l?.ColumnRef ? [l, r] : [r!, l];
      const ctes = other ? this.foldedCteArithmetic(other) : undefined;
      if (ctes?.length) this.pinThroughCtes(this.originOf(column), level, ctes);
    }
  }

  /**
   * The CTEs read by integer arithmetic (`+`, `-`, `*`) of integer constants and constant integer columns of CTEs,
   * which PostgreSQL folds into one constant once it inlines the CTEs (the operators are IMMUTABLE); undefined for any
   * other expression, and for one that reads no CTE (the planners read constant expressions themselves).
   */
  private foldedCteArithmetic(expr: PgNode): CteDef[] | undefined {
    const ctes: CteDef[] = [];
    const ok = (n: PgNode | undefined): boolean => {
      if (!n) return false;
      if (n.A_Const) return n.A_Const.ival !== undefined;
      if (n.ColumnRef) {
        const c = this.cteConstantColumn(n.ColumnRef);
        if (!c || !INTEGER_TYPES.has(c.type)) return false;
        if (!ctes.includes(c.cte)) ctes.push(c.cte);
        return true;
      }
      const e = n.A_Expr;
      if (!e || e.kind !== 'AEXPR_OP') return false;
      const op = nameList(e.name);
      if (op.length !== 1 || !['+', '-', '*'].includes(op[0])) return false;
      return (e.lexpr === undefined ? op[0] === '-' : ok(e.lexpr)) && ok(e.rexpr);
    };
    return ok(expr) && ctes.length ? ctes : undefined;
  }

  /**
   * The CTE and the type of a constant column of a CTE that a reference of this level reads. The INSERT's own CTEs too
   * (`WITH params AS (SELECT 5 AS t) INSERT .. SELECT .. FROM events e, params p WHERE e.tenant_id = p.t`): Citus does
   * not inline them (PostgreSQLCTEInlineCondition wants a SELECT command), so their columns have no origin for its
   * pushdown checks; but PostgreSQL's planner, run on the whole INSERT first, does inline such a CTE (inline_cte(): the
   * CTE's query is a SELECT), and the router check of the SELECT (InsertSelectHasRouterSelect) prunes with the
   * restrictions that planning collected: the constant pins the column there (checked on Citus 13.2.2: one shard).
   * Whether PostgreSQL inlines the CTE (read once, not MATERIALIZED) is decided once the statement is resolved
   * (constantsOfCtesNotInlined).
   */
  private cteConstantColumn(ref: PgNode): { cte: CteDef; type: TypeId } | undefined {
    const b = this.bindings.get(ref);
    const item = b?.base ?? b?.ns;
    const cte = item?.item?.kind === 'cte' ? item.item.cte : undefined;
    if (!b || !cte || cte.recursive || !cte.level || b.levelsUp !== 0 || levelTargetsIncomplete(cte.level)) return undefined;
    const index = item!.columns?.findIndex((c) => c.name === (b.base ? b.baseColumn : b.column)) ?? -1;
    const target = index >= 0 ? cte.level.targets[index] : undefined;
    // (a cast constant, `7::bigint`, `7::numeric`, too, as in `tenant_id = 7::numeric`: PostgreSQL folds the cast;
    // checked on Citus 13.2.2, both pin an int column to one shard)
    const constant = target?.origin.kind === 'const' || (!!target && isConstant(target.expr));
    return constant ? { cte, type: target.type } : undefined;
  }

  /**
   * Whether a column reference reads a constant column of a one-row VALUES in FROM, of its own level (an outer query's
   * VALUES, read by a correlated subquery, stays a parameter of it).
   */
  private valuesConstant(ref: PgNode): boolean {
    const b = this.bindings.get(ref);
    // a function in FROM PostgreSQL folds to a constant and pulls up (pull_up_constant_function) is that constant
    if (b?.levelsUp === 0 && b.origin?.kind === 'function' && b.origin.constant) return true;
    const item = b?.ns?.item;
    if (item?.kind !== 'values' || !item.constants || !b || b.levelsUp !== 0) return false;
    return !!item.constants[item.colnames.indexOf(b.column)];
  }

  /** `expr` without the casts PostgreSQL drops (to the same type), or any cast of a constant; undefined for other casts. */
  private columnOrConstant(expr: PgNode | undefined): PgNode | undefined {
    let e = expr;
    while (e?.TypeCast) {
      if (!this.noopCasts.has(e.TypeCast) && !isConstant(stripCast(e))) return undefined;
      e = e.TypeCast.arg;
    }
    return e;
  }

  /**
   * A column pinned by the constant column `constantRef` reads: when that is a CTE's column, the pin holds only if
   * PostgreSQL inlines the CTE, which the references after this one decide (constantsOfCtesNotInlined).
   */
  private cteConstFilter(constantRef: PgNode, origin: Origin, level: QueryLevel): void {
    const item = this.bindings.get(constantRef)?.ns?.item;
    this.pinThroughCtes(origin, level, item?.kind === 'cte' ? [item.cte] : []);
  }

  /** A column pinned by constants read from `ctes`: the pins are taken back if one of them is not inlined. */
  private pinThroughCtes(origin: Origin, level: QueryLevel, ctes: readonly CteDef[]): void {
    const before = this.qm.constFilters.length;
    this.constFilter(origin, level);
    for (const f of this.qm.constFilters.slice(before)) for (const cte of ctes) this.cteConstants.push({ filter: f, cte });
  }

  /**
   * Takes back the pins of constants read from a CTE that PostgreSQL does not inline (MATERIALIZED, or read more than
   * once and not NOT MATERIALIZED: inline_cte()): it is planned on its own, and what reads it reads an intermediate
   * result (`WITH params AS (SELECT 5 AS t) .. FROM events e, params p, params q WHERE e.tenant_id = p.t` is not
   * pinned; checked on Citus 13.2.2). Called once the statement is resolved (a later reference decides).
   */
  constantsOfCtesNotInlined(): void {
    // (its volatility is not known here: a CTE of constants calls no volatile function)
    const gone = new Set(this.cteConstants.filter((c) => !cteInlinable(c.cte, false)).map((c) => c.filter));
    if (!gone.size) return;
    const kept = this.qm.constFilters.filter((f) => !gone.has(f));
    this.qm.constFilters.length = 0;
    this.qm.constFilters.push(...kept);
  }

  private constFilter(origin: Origin, level: QueryLevel): void {
    // `COALESCE(a, b) = 5` of a FULL JOIN's merged column: reconsider_full_join_clause() deduces a = 5 and b = 5
    // (checked on Citus 13.2.2: `events FULL JOIN users USING (tenant_id) WHERE tenant_id = 4` goes to one shard)
    if (origin.kind === 'expr' && origin.coalesced) {
      for (const o of origin.coalesced) this.constFilter(o, level);
      return;
    }
    if (!this.outerJoinQual) {
      this.qm.constFilters.push({ origin, level });
      return;
    }
    const rel = origin.kind === 'column' ? origin.rel : undefined;
    const nullable = !!rel && !!this.nullableItems && [...this.nullableItems].some((it) => it.kind === 'rel' && it.rel === rel);
    this.qm.constFilters.push(nullable ? { origin, level, outer: true, nullable: true } : { origin, level, outer: true });
  }

  private originOf(expr: PgNode): Origin {
    if (expr.ColumnRef) return this.bindings.get(expr.ColumnRef)?.origin ?? UNKNOWN_ORIGIN;
    if (expr.TypeCast && this.noopCasts.has(expr.TypeCast)) return this.originOf(expr.TypeCast.arg);
    if (expr.A_Const || expr.ParamRef) return CONST_ORIGIN;
    return { kind: 'expr', node: expr };
  }

  /** Where a target's value comes from (plain column references, through subqueries). */
  private origin(expr: PgNode | undefined, _st: LevelState): Origin {
    if (!expr) return { kind: 'unknown' };
    return this.originOf(expr);
  }

  // ---- column references -------------------------------------------------------------------------

  /** transformColumnRef(): resolves, records the binding, marks correlation; errors as PostgreSQL words them. */
  private columnRef(ref: PgNode, st: LevelState): TypeId {
    const fields: PgNode[] = ref.fields ?? EMPTY_NODES;
    const location = ref.location;
    if (fields.length && fields[fields.length - 1].A_Star !== undefined) {
      // `t.*` outside a target list: a whole-row value
      const parts = nameList(fields);
      if (parts.length) this.lookupRel(parts, st, location);
      return NO_TYPE;
    }
    const parts = fieldNames(fields);
    if (parts.length === 0) return NO_TYPE;
    let binding: Binding | undefined;
    if (parts.length === 1) {
      binding = this.lookupColumn(parts[0], st, location);
      if (!binding) {
        // a whole-row reference to a FROM item of that name
        const rel = this.lookupRel([parts[0]], st, location, true);
        if (rel) return NO_TYPE;
        if (this.ctx.variables.includes(parts[0])) {
          this.bindings.set(ref, { ns: undefined, column: parts[0], type: NO_TYPE, origin: { kind: 'const' }, levelsUp: 0, state: undefined });
          return NO_TYPE;
        }
        this.error(st, 'unknown-column', `column "${parts[0]}" does not exist`, location, { name: true, hint: this.columnHint(parts[0], st) });
        return NO_TYPE;
      }
    } else {
      const qualifier = parts.slice(0, -1);
      const column = parts[parts.length - 1];
      const rel = this.lookupRel(qualifier, st, location, true);
      if (!rel) {
        if (this.ctx.variables.includes(qualifier[qualifier.length - 1]) || this.ctx.variables.includes(qualifier[0])) {
          this.bindings.set(ref, { ns: undefined, column, type: NO_TYPE, origin: { kind: 'const' }, levelsUp: 0, state: undefined });
          return NO_TYPE;
        }
        if (qualifier.length <= 3) this.missingRte(qualifier, st, location);
        return NO_TYPE;
      }
      if (!rel.ns) return NO_TYPE;
      const cols = rel.ns.columns;
      if (!cols) {
        binding = { ns: rel.ns, column, type: NO_TYPE, origin: this.unknownColumnOrigin(rel.ns, column), levelsUp: rel.levelsUp, state: rel.state };
      } else {
        const found = cols.filter((c) => c.name === column);
        const sys = found.length ? undefined : systemColumn(rel.ns, column);
        if (sys) found.push(sys);
        if (found.length === 0) {
          // `rel.f` is also the call f(rel) (ParseFuncOrColumn()): silent when a function of that name may take the row
          // (not a cast: column notation is not allowed for one)
          if (!this.mayBeFunctionOfRow(column)) this.error(st, 'unknown-column', `column ${rel.ns.refname ?? qualifier[qualifier.length - 1]}.${column} does not exist`, location, { name: true, hint: this.columnHint(column, st, rel.ns) });
          return NO_TYPE;
        }
        if (found.length > 1) {
          this.error(st, 'ambiguous-column', `column reference "${column}" is ambiguous`, location, { name: true });
          return NO_TYPE;
        }
        const c = found[0];
        const src = c.via ?? c;
        binding = { ns: rel.ns, column, base: src.owner !== rel.ns ? src.owner : undefined, baseColumn: src.name, type: c.type, origin: colOrigin(c), levelsUp: rel.levelsUp, state: rel.state };
      }
    }
    this.bindings.set(ref, binding);
    if (binding.levelsUp > 0 && binding.state) markCorrelated(st.level, binding.state.level);
    if (binding.levelsUp < this.scanMinLevelsUp) this.scanMinLevelsUp = binding.levelsUp;
    return binding.type;
  }

  /** The origin of a column of an item whose columns the model does not know (as the first query model did). */
  private unknownColumnOrigin(ns: NsItem, column: string): Origin {
    if (ns.item?.kind === 'rel') return { kind: 'column', rel: ns.item.rel, column };
    return { kind: 'unknown' };
  }

  /** colNameToVar(): an unqualified column, innermost level first; ambiguity within one level is an error. */
  private lookupColumn(name: string, st: LevelState, location: number): Binding | undefined {
    let up = 0;
    for (let s: LevelState | undefined = st; s; s = s.parent, up++) {
      let found: { ns: NsItem; col: NsColumn } | undefined;
      let unknown: NsItem | undefined;
      let ambiguous = false;
      for (const ns of s.ns) {
        if (!ns.colsVisible) continue;
        if (ns.lateralOnly && !s.lateralActive) continue;
        if (!ns.columns) {
          unknown ??= ns;
          continue;
        }
        let any = false;
        for (const c of ns.columns) {
          if (c.name !== name) continue;
          any = true;
          if (found) ambiguous = true;
          else found = { ns, col: c };
        }
        const sys = any ? undefined : systemColumn(ns, name);
        if (sys) {
          if (found) ambiguous = true;
          else found = { ns, col: sys };
        }
      }
      if (found && ambiguous && !unknown) {
        this.error(st, 'ambiguous-column', `column reference "${name}" is ambiguous`, location, { name: true });
        return { ns: undefined, column: name, type: NO_TYPE, origin: { kind: 'unknown' }, levelsUp: up, state: s };
      }
      if (found) {
        if (found.ns.lateralOnly && !found.ns.lateralOk) this.invalidLateral(found.ns, st, location);
        const c = found.col;
        const src = c.via ?? c;
        return { ns: found.ns, column: name, base: src.owner !== found.ns ? src.owner : undefined, baseColumn: src.name, type: unknown ? NO_TYPE : c.type, origin: colOrigin(c), levelsUp: up, state: s };
      }
      if (unknown) return { ns: unknown, column: name, type: NO_TYPE, origin: this.unknownColumnOrigin(unknown, name), levelsUp: up, state: s };
      if (s.isolated) break;
    }
    return undefined;
  }

  /** refnameNamespaceItem(): a FROM item by (schema-qualified) name, innermost level first. */
  private lookupRel(qualifier: string[], st: LevelState, location: number, silent = false): { ns: NsItem | undefined; levelsUp: number; state: LevelState } | undefined {
    const name = qualifier[qualifier.length - 1];
    const schema = qualifier.length >= 2 ? qualifier[qualifier.length - 2] : undefined;
    let up = 0;
    for (let s: LevelState | undefined = st; s; s = s.parent, up++) {
      let found: NsItem | undefined;
      for (const ns of s.ns) {
        if (!ns.relVisible || ns.refname !== name) continue;
        if (ns.lateralOnly && !s.lateralActive) continue;
        if (schema !== undefined && (ns.aliased || ns.schema !== schema)) continue;
        if (found && found !== ns) {
          if (!silent) this.error(st, 'ambiguous-column', `table reference "${name}" is ambiguous`, location, { name: true });
          return { ns: undefined, levelsUp: up, state: s };
        }
        found = ns;
      }
      if (found) {
        if (found.lateralOnly && !found.lateralOk) this.invalidLateral(found, st, location);
        return { ns: found, levelsUp: up, state: s };
      }
      if (s.isolated) break;
    }
    return undefined;
  }

  private invalidLateral(ns: NsItem, st: LevelState, location: number): void {
    this.error(st, 'missing-from-entry', `invalid reference to FROM-clause entry for table "${ns.refname}"`, location, {
      name: true,
      detail: 'The combining JOIN type must be INNER or LEFT for a LATERAL reference.',
    });
  }

  /** errorMissingRTE(): "invalid reference" when the name is in some FROM clause, else "missing FROM-clause entry". */
  private missingRte(qualifier: string[], st: LevelState, location: number): void {
    const name = qualifier[qualifier.length - 1];
    const schema = qualifier.length >= 2 ? qualifier[qualifier.length - 2] : undefined;
    const table = this.ctx.model.resolve(schema, name, this.ctx.session.searchPath);
    let entry: NsItem | undefined;
    for (const s of this.allStates) {
      for (const ns of s.rtable.length ? s.rtable : s.ns) {
        if (ns.refname === name || (table && ns.table === table)) {
          entry = ns;
          break;
        }
      }
      if (entry) break;
    }
    if (!entry) {
      for (const s of this.allStates) for (const ns of s.ns) if (!entry && (ns.refname === name || (table && ns.table === table))) entry = ns;
    }
    if (entry) {
      const badAlias = entry.aliased && entry.refname !== name ? entry.refname : undefined;
      this.error(st, 'missing-from-entry', `invalid reference to FROM-clause entry for table "${name}"`, location, {
        name: true,
        hint: badAlias ? `Perhaps you meant to reference the table alias "${badAlias}".` : `There is an entry for table "${entry.refname}", but it cannot be referenced from this part of the query.`,
      });
    } else this.error(st, 'missing-from-entry', `missing FROM-clause entry for table "${name}"`, location, { name: true });
  }

  /** errorMissingColumn()'s hint: the closest column name in scope (PostgreSQL's fuzzy match, simplified). */
  private columnHint(name: string, st: LevelState, only?: NsItem): string | undefined {
    // searchRangeTableForCol(): an exact match in a range table entry the lookup could not reach (the target of an
    // UPDATE from a subquery of its FROM, a FROM item from a non-LATERAL subquery)
    if (!only) {
      const exact = new Set<NsItem>();
      for (let s: LevelState | undefined = st; s; s = s.parent) for (const ns of s.rtable) if (ns.refname && ns.columns?.some((c) => c.name === name)) exact.add(ns);
      if (exact.size === 1) return `There is a column named "${name}" in table "${[...exact][0].refname}", but it cannot be referenced from this part of the query.`;
      if (exact.size > 1) return `There are columns named "${name}", but they are in tables that cannot be referenced from this part of the query.`;
    }
    let best: { ns: NsItem; col: string; d: number } | undefined;
    const max = Math.floor((name.length + 2) / 3);
    for (let s: LevelState | undefined = st; s; s = s.parent) {
      for (const ns of only ? [only] : s.ns) {
        for (const c of ns.columns ?? []) {
          const d = levenshtein(name, c.name);
          if (d <= max && d > 0 && (!best || d < best.d)) best = { ns, col: c.name, d };
        }
      }
      if (only || s.isolated) break;
    }
    return best?.ns.refname ? `Perhaps you meant to reference the column "${best.ns.refname}.${best.col}".` : undefined;
  }

  // ---- expressions ---------------------------------------------------------------------------------

  /** transformExpr(): the expression's type (NO_TYPE when the model cannot tell), reporting PostgreSQL's errors. */
  expr(node: PgNode | undefined, ec: ExprCtx): TypeId {
    if (!node || typeof node !== 'object') return NO_TYPE;
    switch (nodeType(node)) {
      case 'ColumnRef': {
        const type = this.columnRef(node.ColumnRef, ec.st);
        this.ctx.observer?.columnRef(node.ColumnRef, ec.st, this.bindings.get(node.ColumnRef));
        return type;
      }
      case 'A_Const':
        return constType(node.A_Const);
      case 'TypeCast':
        return this.typeCast(node.TypeCast, ec);
      case 'A_Expr':
        return this.aExpr(node.A_Expr, ec);
      case 'BoolExpr': {
        const b = node.BoolExpr;
        const construct = b.boolop === 'AND_EXPR' ? 'AND' : b.boolop === 'OR_EXPR' ? 'OR' : 'NOT';
        for (const a of b.args ?? []) this.booleanArgument(a, ec, construct);
        return T.BOOL;
      }
      case 'FuncCall':
        return this.funcCall(node.FuncCall, node, ec);
      case 'SubLink':
        return this.subLink(node.SubLink, ec);
      case 'NullTest':
        this.expr(node.NullTest.arg, ec);
        return T.BOOL;
      case 'BooleanTest': {
        const bt = node.BooleanTest;
        const construct: Record<string, string> = { IS_TRUE: 'IS TRUE', IS_NOT_TRUE: 'IS NOT TRUE', IS_FALSE: 'IS FALSE', IS_NOT_FALSE: 'IS NOT FALSE', IS_UNKNOWN: 'IS UNKNOWN', IS_NOT_UNKNOWN: 'IS NOT UNKNOWN' };
        this.booleanArgument(bt.arg, ec, construct[bt.booltesttype] ?? 'IS TRUE');
        return T.BOOL;
      }
      case 'CaseExpr':
        return this.caseExpr(node.CaseExpr, ec);
      case 'CoalesceExpr': {
        // transformCoalesceExpr(): no set-returning function in any argument (after the common type)
        const srfs = this.scanSrfs;
        const errors = this.errors.length;
        const t = this.commonOf(node.CoalesceExpr.args ?? [], 'COALESCE', ec);
        this.srfNotAllowedIn('COALESCE', srfs, errors, ec);
        return t;
      }
      case 'MinMaxExpr':
        return this.commonOf(node.MinMaxExpr.args ?? [], node.MinMaxExpr.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST', ec);
      case 'A_ArrayExpr': {
        const elems: PgNode[] = node.A_ArrayExpr.elements ?? [];
        if (elems.length === 0) {
          // transformArrayExpr(): only a cast to an array type gives `ARRAY[]` its type (see typeCast)
          this.error(ec.st, 'datatype-mismatch', 'cannot determine type of empty array', node.A_ArrayExpr.location, { node, hint: 'Explicitly cast to the desired type, for example ARRAY[]::integer[].' });
          return NO_TYPE;
        }
        const t = this.commonOf(elems, 'ARRAY', ec);
        // ARRAY[ARRAY[...], ...] is the inner arrays' type; otherwise the array of the elements' type
        if (elems.every((e) => e.A_ArrayExpr)) return t;
        return t === NO_TYPE ? NO_TYPE : arrayTypeOf(t) || NO_TYPE;
      }
      case 'RowExpr':
        for (const a of node.RowExpr.args ?? []) this.expr(a, ec);
        return NO_TYPE;
      case 'A_Indirection': {
        const ind = node.A_Indirection;
        let t = this.expr(ind.arg, ec);
        for (const i of ind.indirection ?? []) {
          if (i.A_Indices) {
            if (i.A_Indices.lidx) this.expr(i.A_Indices.lidx, ec);
            if (i.A_Indices.uidx) this.expr(i.A_Indices.uidx, ec);
            t = i.A_Indices.is_slice ? t : (builtins().type(t)?.elem ?? NO_TYPE);
          } else t = NO_TYPE;
        }
        return t;
      }
      case 'CollateClause':
        return this.expr(node.CollateClause.arg, ec);
      case 'SQLValueFunction':
        return sqlValueFunctionType(node.SQLValueFunction.op);
      case 'ParamRef':
        return NO_TYPE;
      case 'SetToDefault':
        if (ec.kind !== 'values' && ec.kind !== 'values-rows' && ec.kind !== 'update') this.error(ec.st, 'datatype-mismatch', 'DEFAULT is not allowed in this context', node.SetToDefault.location, { node });
        return NO_TYPE;
      case 'GroupingFunc':
        ec.st.hasGroupingFunc = true;
        for (const a of node.GroupingFunc.args ?? []) this.expr(a, ec);
        return T.INT4;
      case 'NamedArgExpr':
        return this.expr(node.NamedArgExpr.arg, ec);
      case 'List':
        for (const i of node.List.items ?? []) this.expr(i, ec);
        return NO_TYPE;
      default:
        // anything else (XML, JSON constructors, ...): its sub-expressions are still resolved
        this.children(node, ec);
        return NO_TYPE;
    }
  }

  private children(node: PgNode, ec: ExprCtx): void {
    for (const k in node) {
      const fields = node[k];
      if (!fields || typeof fields !== 'object') continue;
      for (const f in fields) {
        const v = fields[f];
        if (Array.isArray(v)) for (const x of v) this.exprIfNode(x, ec);
        else this.exprIfNode(v, ec);
      }
    }
  }

  private exprIfNode(v: unknown, ec: ExprCtx): void {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    const k = Object.keys(v)[0];
    if (k && /^[A-Z]/.test(k) && k !== 'TypeName' && k !== 'String') this.expr(v as PgNode, ec);
  }

  private typeCast(tc: PgNode, ec: ExprCtx): TypeId {
    const target = typeOfTypeName(tc.typeName);
    const arg = tc.arg;
    // a string literal is converted by the type's input function at parse time
    if (arg?.A_Const?.sval !== undefined) {
      this.checkLiteral(ec.st, arg, target);
      // 'mauve'::rainbow, of an enum type the model knows
      if (target === NO_TYPE && !tc.typeName?.arrayBounds?.length && this.ctx.model.enums.size) this.enumLiteral(ec.st, this.enumOfTypeName(nameList(tc.typeName?.names)), arg);
      return target;
    }
    // ARRAY[..]::type[]: the elements are converted to the element type (transformTypeCast() passes it down to
    // transformArrayExpr()), so `ARRAY[1, 'NaN']::float8[]` reads 'NaN' as a float8
    const elem = arg?.A_ArrayExpr && target !== NO_TYPE ? builtins().type(target)?.elem : undefined;
    // (a type the model does not know may be an array type, or a domain over one: its elements are not unified)
    if (elem || (arg?.A_ArrayExpr && target === NO_TYPE)) {
      const volatility = this.castArrayElements(arg.A_ArrayExpr, elem, ec);
      if (volatility) this.volatilities.set(tc, volatility);
      return target;
    }
    const t = this.expr(arg, ec);
    if (t === target && t !== NO_TYPE) this.noopCasts.add(tc);
    if (target === NO_TYPE || t === NO_TYPE || t === T.UNKNOWN || t === target) return target;
    if (canCoerce(t, target, 'e') === false) {
      const cat = builtins();
      this.error(ec.st, 'datatype-mismatch', `cannot cast type ${cat.display(t)} to ${cat.display(target)}`, tc.location, { node: { TypeCast: tc } });
      return target;
    }
    const v = castVolatility(t, target);
    if (v) this.volatilities.set(tc, v);
    return target;
  }

  /**
   * The elements of `ARRAY[..]::type`, converted to the element type `elem` of the cast's target (undefined: a type
   * the model does not know). transformArrayExpr() passes the element type down to nested ARRAY[..]s, so an empty
   * `ARRAY[]` under such a cast has a type. Returns the elements' conversions' volatility.
   */
  private castArrayElements(arr: PgNode, elem: TypeId | undefined, ec: ExprCtx): 'i' | 's' | 'v' | undefined {
    let volatility: 'i' | 's' | 'v' | undefined;
    for (const e of arr.elements ?? []) {
      if (e.A_ArrayExpr) {
        const v = this.castArrayElements(e.A_ArrayExpr, elem, ec);
        if (v) volatility = maxVolatility(volatility, v);
        continue;
      }
      if (e.A_Const?.sval !== undefined) {
        if (elem) this.checkLiteral(ec.st, e, elem);
        continue;
      }
      // each element's own conversion (a STABLE one: timestamptz to date)
      const t = this.expr(e, ec);
      const v = elem && t !== NO_TYPE && t !== T.UNKNOWN && t !== elem ? castVolatility(t, elem) : undefined;
      if (v) volatility = maxVolatility(volatility, v);
    }
    return volatility;
  }

  private aExpr(e: PgNode, ec: ExprCtx): TypeId {
    const opName = nameList(e.name);
    const op = opName[opName.length - 1] ?? '=';
    const qualified = opName.length > 1 && opName[0] !== 'pg_catalog';
    switch (e.kind) {
      case 'AEXPR_OP': {
        if (e.lexpr?.RowExpr && e.rexpr?.SubLink?.subselect?.SelectStmt) {
          // (a, b) = (SELECT x, y ...): a row comparison sublink, one column per row field (transformAExprOp() makes
          // it a ROWCOMPARE_SUBLINK at the operator, and transformSubLink() counts the columns)
          this.expr(e.lexpr, ec);
          const child = this.level(e.rexpr.SubLink.subselect.SelectStmt, 'sublink', ec.st.level, ec.st);
          const width = (e.lexpr.RowExpr.args ?? []).length;
          if (e.rexpr.SubLink.subLinkType === 'EXPR_SUBLINK' && !levelTargetsIncomplete(child) && width !== child.targets.length) {
            this.error(ec.st, 'datatype-mismatch', width > child.targets.length ? 'subquery has too few columns' : 'subquery has too many columns', e.location, { name: true });
          }
          return T.BOOL;
        }
        const lt = e.lexpr ? this.expr(e.lexpr, ec) : undefined;
        const rt = this.expr(e.rexpr, ec);
        if (qualified) return NO_TYPE;
        if (op === '/' || op === '%') this.divides = true;
        // an enum column compared with a quoted literal: the literal is read as the enum
        if (COMPARISONS.has(op)) {
          this.enumLiteral(ec.st, this.enumTypeOf(e.lexpr), e.rexpr);
          this.enumLiteral(ec.st, this.enumTypeOf(e.rexpr), e.lexpr);
        }
        // row comparisons are handled by PostgreSQL per column (make_row_comparison_op); only their lengths are checked
        if (e.lexpr?.RowExpr && e.rexpr?.RowExpr) this.rowLengths(e.lexpr, e.rexpr, e.location, ec);
        if (e.lexpr?.RowExpr || e.rexpr?.RowExpr || e.rexpr?.SubLink?.subLinkType === 'ROWCOMPARE_SUBLINK') return op === '=' || op === '<>' || op === '<' || op === '>' || op === '<=' || op === '>=' ? T.BOOL : NO_TYPE;
        return this.operator(opName.join('.'), op, lt, rt, e.lexpr, e.rexpr, e.location, ec, { A_Expr: e }, e);
      }
      case 'AEXPR_OP_ANY':
      case 'AEXPR_OP_ALL': {
        const lt = this.expr(e.lexpr, ec);
        const rt = this.expr(e.rexpr, ec);
        if (qualified || lt === NO_TYPE || rt === NO_TYPE) return T.BOOL;
        let elem: TypeId;
        // an untyped literal on the right stays unknown while the operator is chosen (make_scalar_array_op())
        if (rt === T.UNKNOWN) elem = T.UNKNOWN;
        else {
          elem = builtins().type(rt)?.elem ?? NO_TYPE;
          if (!elem) {
            this.error(ec.st, 'undefined-operator', 'op ANY/ALL (array) requires array on right side', e.location, { node: { A_Expr: e } });
            return T.BOOL;
          }
        }
        this.operator(opName.join('.'), op, lt, elem, e.lexpr, undefined, e.location, ec, undefined, e);
        // make_scalar_array_op(): an untyped literal on the right is read as an array of the operator's right type
        if (rt === T.UNKNOWN && lt !== undefined && lt !== T.UNKNOWN && !(this.ctx.model.operators.size && this.ctx.model.operators.has(op))) {
          const r = resolveOperator(op, lt, T.UNKNOWN);
          if (r.kind === 'ok') this.checkLiteral(ec.st, e.rexpr, builtins().type(r.args[1])?.array ?? NO_TYPE);
        }
        return T.BOOL;
      }
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT': {
        const lt = this.expr(e.lexpr, ec);
        const rt = this.expr(e.rexpr, ec);
        if (!e.lexpr?.RowExpr && !e.rexpr?.RowExpr) this.operator('=', '=', lt, rt, e.lexpr, e.rexpr, e.location, ec, undefined, e);
        else if (e.lexpr?.RowExpr && e.rexpr?.RowExpr) this.rowLengths(e.lexpr, e.rexpr, e.location, ec);
        return T.BOOL;
      }
      case 'AEXPR_NULLIF': {
        const lt = this.expr(e.lexpr, ec);
        const rt = this.expr(e.rexpr, ec);
        this.operator('=', '=', lt, rt, e.lexpr, e.rexpr, e.location, ec, undefined, e);
        return lt === T.UNKNOWN ? NO_TYPE : lt;
      }
      case 'AEXPR_IN': {
        const lt = this.expr(e.lexpr, ec);
        const items: PgNode[] = e.rexpr?.List?.items ?? (e.rexpr ? [e.rexpr] : []);
        const types = items.map((i) => this.expr(i, ec));
        if (e.lexpr?.RowExpr || items.some((i) => i.RowExpr)) {
          if (e.lexpr?.RowExpr) for (const item of items) if (item.RowExpr && this.rowLengths(e.lexpr, item, e.location, ec)) break;
          return T.BOOL;
        }
        const enumType = this.enumTypeOf(e.lexpr);
        if (enumType) for (const item of items) this.enumLiteral(ec.st, enumType, item);
        // transformAExprIn(): a common type for the whole list, else one comparison per item
        const common = selectCommonType([lt, ...types], 'IN');
        if (!('error' in common) && common.type !== NO_TYPE) {
          const r = resolveOperator('=', common.type, common.type);
          if (r.kind === 'ok') {
            this.noteVolatility(e, r.item.volatility);
            for (const [i, t] of [lt, ...types].entries()) if (t === T.UNKNOWN) this.checkLiteral(ec.st, i === 0 ? e.lexpr : items[i - 1], r.args[0]);
            return T.BOOL;
          }
        }
        items.forEach((item, i) => this.operator(op, op, lt, types[i], e.lexpr, item, e.location, ec, undefined, e));
        return T.BOOL;
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE':
      case 'AEXPR_SIMILAR': {
        const lt = this.expr(e.lexpr, ec);
        const rt = this.expr(e.rexpr, ec);
        if (e.kind === 'AEXPR_SIMILAR') return T.BOOL;
        this.operator(op, op, lt, rt, e.lexpr, e.rexpr, e.location, ec, undefined, e);
        return T.BOOL;
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
      case 'AEXPR_NOT_BETWEEN_SYM': {
        const lt = this.expr(e.lexpr, ec);
        const bounds: PgNode[] = e.rexpr?.List?.items ?? [];
        const bt = bounds.map((b) => this.expr(b, ec));
        const notBetween = e.kind === 'AEXPR_NOT_BETWEEN' || e.kind === 'AEXPR_NOT_BETWEEN_SYM';
        if (bounds.length === 2) {
          this.operator(notBetween ? '<' : '>=', notBetween ? '<' : '>=', lt, bt[0], e.lexpr, bounds[0], e.location, ec, undefined, e);
          this.operator(notBetween ? '>' : '<=', notBetween ? '>' : '<=', lt, bt[1], e.lexpr, bounds[1], e.location, ec, undefined, e);
        }
        return T.BOOL;
      }
      default:
        this.children({ A_Expr: e }, ec);
        return NO_TYPE;
    }
  }

  /** make_op(): the operator for these argument types, its result type, and the literals it converts. */
  /**
   * Two rows compared (`=`, `<`, `IS DISTINCT FROM`, an IN list of rows) must have as many fields
   * (make_row_comparison_op, make_row_distinct_op); a `t.*` field is expanded later, so its row is not counted.
   */
  private rowLengths(l: PgNode, r: PgNode, location: number | undefined, ec: ExprCtx): boolean {
    const fields = (row: PgNode): PgNode[] | undefined => {
      const args: PgNode[] = row.RowExpr?.args ?? [];
      return args.some((a) => a.ColumnRef?.fields?.some((f: PgNode) => f.A_Star)) ? undefined : args;
    };
    const a = fields(l);
    const b = fields(r);
    if (!a || !b || a.length === b.length) return false;
    this.error(ec.st, 'datatype-mismatch', 'unequal number of entries in row expressions', location, { name: true });
    return true;
  }

  private operator(display: string, op: string, lt: TypeId | undefined, rt: TypeId, lnode: PgNode | undefined, rnode: PgNode | undefined, location: number | undefined, ec: ExprCtx, whole?: PgNode, record?: PgNode): TypeId {
    if (lt === NO_TYPE || rt === NO_TYPE) return NO_TYPE;
    // an operator of this symbol the workspace defines (CREATE OPERATOR) may be the one PostgreSQL picks, for these
    // types or others it converts to: the model does not resolve it, nor say it is missing
    if (this.ctx.model.operators.size && this.ctx.model.operators.has(op)) return NO_TYPE;
    const r = resolveOperator(op, lt, rt);
    const cat = builtins();
    const sig = lt === undefined ? `${display} ${cat.display(rt)}` : `${cat.display(lt)} ${display} ${cat.display(rt)}`;
    switch (r.kind) {
      case 'unknown':
        return NO_TYPE;
      case 'none':
        this.error(ec.st, 'undefined-operator', `operator does not exist: ${sig}`, location, {
          node: whole ?? (lnode && rnode ? undefined : (lnode ?? rnode)),
          hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
        });
        return NO_TYPE;
      case 'ambiguous':
        this.error(ec.st, 'undefined-operator', `operator is not unique: ${sig}`, location, {
          node: whole,
          hint: 'Could not choose a best candidate operator. You might need to add explicit type casts.',
        });
        return NO_TYPE;
      case 'ok':
        if (lt === T.UNKNOWN) this.checkLiteral(ec.st, lnode, r.args[0]);
        if (rt === T.UNKNOWN) this.checkLiteral(ec.st, rnode, r.args[lt === undefined ? 0 : 1]);
        if (record) {
          this.noteVolatility(record, r.item.volatility);
          // `text || anynonarray` and `anynonarray || text` are SQL functions (textanycat, anytextcat: `$1 || $2::text`),
          // STABLE as declared; inlined by the planner they are textcat (IMMUTABLE) and the other operand's conversion
          const other = op === '||' && lt !== undefined ? (r.item.left === T.TEXT && r.item.right === T.ANYNONARRAY ? rt : r.item.left === T.ANYNONARRAY && r.item.right === T.TEXT ? lt : undefined) : undefined;
          if (other !== undefined) {
            const v = castVolatility(other, T.TEXT);
            if (v) this.inlinedVolatilities.set(record, maxVolatility(this.inlinedVolatilities.get(record), v));
          }
        }
        return r.result;
    }
  }

  /** Keeps the most volatile of the operators one expression node resolved to (IN, BETWEEN: several). */
  private noteVolatility(fields: PgNode, v: 'i' | 's' | 'v'): void {
    this.volatilities.set(fields, maxVolatility(this.volatilities.get(fields), v));
  }

  private caseExpr(c: PgNode, ec: ExprCtx): TypeId {
    const srfs = this.scanSrfs;
    const errors = this.errors.length;
    const argType = c.arg ? this.expr(c.arg, ec) : undefined;
    const results: PgNode[] = [];
    const resultTypes: TypeId[] = [];
    for (const w of c.args ?? []) {
      const when = w.CaseWhen;
      if (!when) continue;
      if (argType !== undefined) this.operator('=', '=', argType, this.expr(when.expr, ec), c.arg, when.expr, when.location, ec);
      else this.booleanArgument(when.expr, ec, 'CASE/WHEN');
      results.push(when.result);
      resultTypes.push(this.expr(when.result, ec));
    }
    // transformCaseExpr(): the ELSE result comes first in the type resolution ("the most significant type")
    if (c.defresult) {
      results.unshift(c.defresult);
      resultTypes.unshift(this.expr(c.defresult, ec));
    } else {
      results.unshift(undefined as unknown as PgNode);
      resultTypes.unshift(T.UNKNOWN); // the implicit ELSE NULL
    }
    const t = this.unify(resultTypes, results, 'CASE', ec);
    // transformCaseExpr(): no set-returning function anywhere in the CASE (after its types)
    this.srfNotAllowedIn('CASE', srfs, errors, ec);
    return t;
  }

  /**
   * A set-returning function call transformed since `srfs` (none in a sublink), and no error since `errors`:
   * PostgreSQL's `set-returning functions are not allowed in CASE / COALESCE` (checked on PostgreSQL 15).
   */
  private srfNotAllowedIn(construct: string, srfs: number, errors: number, ec: ExprCtx): void {
    if (this.scanSrfs > srfs && this.errors.length === errors) {
      this.error(ec.st, 'misplaced-set-returning-function', `set-returning functions are not allowed in ${construct}`, this.lastSrfAt, { name: true, hint: 'You might be able to move the set-returning function into a LATERAL FROM item.' });
    }
  }

  /**
   * coerce_to_boolean() for an argument of AND / OR / NOT, IS TRUE & co., CASE/WHEN: boolean, and not a set
   * (`argument of AND must not return a set`, where a set-returning function is otherwise allowed: the select list).
   */
  private booleanArgument(node: PgNode, ec: ExprCtx, construct: string): void {
    const srfs = this.scanSrfs;
    const errors = this.errors.length;
    this.requireBoolean(ec.st, this.expr(node, ec), node, construct);
    if (this.scanSrfs > srfs && this.errors.length === errors) {
      this.error(ec.st, 'misplaced-set-returning-function', `argument of ${construct} must not return a set`, firstLocation(node), { node });
    }
  }

  private commonOf(args: PgNode[], context: string, ec: ExprCtx): TypeId {
    const types = args.map((a) => this.expr(a, ec));
    return this.unify(types, args, context, ec);
  }

  private unify(types: TypeId[], nodes: (PgNode | undefined)[], context: string, ec: ExprCtx): TypeId {
    if (types.length === 0) return NO_TYPE;
    const r = selectCommonType(types, context);
    if ('error' in r) {
      const node = nodes[r.index];
      this.error(ec.st, 'datatype-mismatch', r.error, firstLocation(node), { node });
      return NO_TYPE;
    }
    if (r.type !== NO_TYPE) types.forEach((t, i) => t === T.UNKNOWN && this.checkLiteral(ec.st, nodes[i], r.type));
    return r.type;
  }

  private subLink(s: PgNode, ec: ExprCtx): TypeId {
    const sub = s.subselect?.SelectStmt;
    if (!sub) return NO_TYPE;
    const savedAggs = this.scanAggs;
    const savedSrfs = this.scanSrfs;
    const savedWindows = this.scanWindows;
    const savedMin = this.scanMinLevelsUp;
    this.scanAggs = 0;
    this.scanSrfs = 0;
    this.scanWindows = 0;
    this.scanMinLevelsUp = Infinity;
    this.pendingSublinkKind = ec.kind;
    const child = this.level(sub, 'sublink', ec.st.level, ec.st);
    this.pendingSublinkKind = undefined;
    const innerMin = this.scanMinLevelsUp;
    this.scanAggs = savedAggs;
    this.scanSrfs = savedSrfs;
    this.scanWindows = savedWindows;
    this.scanMinLevelsUp = savedMin;
    // outer references from inside count for the enclosing aggregate's level
    if (innerMin >= 1 && innerMin !== Infinity && innerMin - 1 < this.scanMinLevelsUp) this.scanMinLevelsUp = innerMin - 1;
    child.sublink = { type: s.subLinkType, testExpr: s.testexpr };
    const complete = !levelTargetsIncomplete(child);
    const first = child.targets[0]?.type ?? NO_TYPE;
    switch (s.subLinkType) {
      case 'EXISTS_SUBLINK':
        return T.BOOL;
      case 'EXPR_SUBLINK':
      case 'ARRAY_SUBLINK':
        if (complete && child.targets.length > 1) {
          this.error(ec.st, 'datatype-mismatch', 'subquery must return only one column', s.location, { node: { SubLink: s } });
          return NO_TYPE;
        }
        if (!complete) return NO_TYPE;
        return s.subLinkType === 'ARRAY_SUBLINK' ? arrayTypeOf(first) || NO_TYPE : first;
      case 'ANY_SUBLINK':
      case 'ALL_SUBLINK': {
        const lt = this.expr(s.testexpr, ec);
        if (!complete) return T.BOOL;
        if (s.testexpr?.RowExpr) {
          // transformSubLink(): one operator per column of the row
          const width = (s.testexpr.RowExpr.args ?? []).length;
          // (PostgreSQL points at the operator: IN, = ANY)
          if (width > child.targets.length) this.error(ec.st, 'datatype-mismatch', 'subquery has too few columns', s.location, { name: true });
          else if (width < child.targets.length) this.error(ec.st, 'datatype-mismatch', 'subquery has too many columns', s.location, { name: true });
          // (a, b) IN (SELECT x, y ..) as an AND-ed term, uncorrelated: a semi-join on a = x AND b = y
          else if (s.subLinkType === 'ANY_SUBLINK' && ['', '='].includes(nameList(s.operName).join('')) && this.semiJoinCandidates?.has(s) && !child.correlated && this.detached === 0) {
            (s.testexpr.RowExpr.args as PgNode[]).forEach((arg, i) => {
              const origin = child.targets[i]?.origin;
              if (origin) this.qm.equalities.push({ a: this.originOf(arg), b: origin, level: child });
            });
          }
          return T.BOOL;
        }
        if (child.targets.length > 1) {
          this.error(ec.st, 'datatype-mismatch', 'subquery has too many columns', s.location, { node: { SubLink: s } });
          return T.BOOL;
        }
        const opName = nameList(s.operName);
        const op = opName[opName.length - 1] ?? '=';
        this.operator(op, op, lt, first, s.testexpr, undefined, s.location, ec);
        if (s.subLinkType === 'ANY_SUBLINK' && s.testexpr && child.targets[0]?.expr) {
          // x IN (SELECT y ...) as an AND-ed term, uncorrelated: PostgreSQL makes it a semi-join on x = y (a
          // correlated one, or one under NOT / OR, stays a subplan and equates nothing)
          if (this.semiJoinCandidates?.has(s) && !child.correlated && this.detached === 0) {
            // `x IN (SELECT t FROM (VALUES (24)) v(t))`: the subquery is pulled up, and x = 24; so is a constant column of a
            // CTE PostgreSQL inlines (`x IN (SELECT t FROM params)`, params a CTE of constants: checked on Citus 13.2.2)
            const ref: PgNode | undefined = child.targets[0].expr?.ColumnRef;
            const constant = !!ref && (this.valuesConstant(ref) || !!this.cteConstantColumn(ref));
            if (ref && constant && plainSubquery(child.select)) this.cteConstFilter(ref, this.originOf(s.testexpr), ec.st.level);
            else this.qm.equalities.push({ a: this.originOf(s.testexpr), b: child.targets[0].origin, level: child });
          }
        }
        return T.BOOL;
      }
      default:
        if (s.testexpr) this.expr(s.testexpr, ec);
        return T.BOOL;
    }
  }

  /**
   * transformDistinctClause() of an aggregate with DISTINCT: each ORDER BY expression must be one of the arguments
   * (PostgreSQL's equal() of the transformed trees). The model names one only when it reads a column that no argument
   * reads: then no argument can be equal to it. An expression whose columns the model did not resolve, or a subquery,
   * is left alone (as are casts PostgreSQL drops, by reading the same columns).
   */
  private aggregateOrderOutsideArguments(fc: PgNode): PgNode | undefined {
    const columns = (n: unknown): Set<string> | undefined => {
      const out = new Set<string>();
      let known = true;
      walk(n, (type, f) => {
        if (!known) return false;
        if (type === 'SubLink') {
          known = false;
          return false;
        }
        if (type === 'ColumnRef') {
          const b = this.bindings.get(f);
          if (b?.ns) out.add(`${b.levelsUp}:${bindingId(b)}`);
          else known = false;
        }
        return undefined;
      });
      return known ? out : undefined;
    };
    const argumentColumns = new Set<string>();
    for (const a of fc.args ?? []) {
      const c = columns(a);
      if (!c) return undefined;
      for (const x of c) argumentColumns.add(x);
    }
    for (const s of fc.agg_order ?? []) {
      const node = s.SortBy?.node;
      const c = node ? columns(node) : undefined;
      if (c && [...c].some((x) => !argumentColumns.has(x))) return node;
    }
    return undefined;
  }

  /** ParseFuncOrColumn(): aggregates, window functions and plain calls, with PostgreSQL's checks and messages. */
  private funcCall(fc: PgNode, wrapper: PgNode, ec: ExprCtx): TypeId {
    const names = fieldNames(fc.funcname ?? EMPTY_NODES);
    const name = (names[names.length - 1] ?? '').toLowerCase();
    const builtinName = names.length === 1 || names[0] === 'pg_catalog';
    const savedAggs = this.scanAggs;
    const savedWindows = this.scanWindows;
    const savedMin = this.scanMinLevelsUp;
    const savedSrfs = this.scanSrfs;
    this.scanAggs = 0;
    this.scanWindows = 0;
    this.scanMinLevelsUp = Infinity;
    this.scanSrfs = 0;
    const args: PgNode[] = fc.args ?? EMPTY_NODES;
    const callArgs: CallArgument[] = new Array(args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      callArgs[i] = { type: this.expr(a, ec), name: a.NamedArgExpr?.name };
    }
    const orderTypes: TypeId[] = [];
    if (fc.agg_order) for (const s of fc.agg_order) if (s.SortBy?.node) orderTypes.push(this.expr(s.SortBy.node, ec));
    const innerAggs = this.scanAggs;
    const innerWindows = this.scanWindows;
    const innerMin = this.scanMinLevelsUp;
    const innerSrfs = this.scanSrfs;
    this.scanAggs = savedAggs;
    this.scanWindows = savedWindows;
    this.scanMinLevelsUp = savedMin;
    this.scanSrfs = savedSrfs;
    if (fc.agg_filter) {
      const ft = this.expr(fc.agg_filter, { st: ec.st, kind: 'filter' });
      this.requireBoolean(ec.st, ft, fc.agg_filter, 'FILTER');
    }
    const workspace = this.ctx.model.functions.has(name);
    const known = builtinName && !workspace && builtins().hasFunction(name);
    const removed = builtinName && !workspace && !known ? REMOVED_CITUS_FUNCTIONS.get(name) : undefined;
    if (removed) {
      const types = shownArguments(callArgs);
      this.error(ec.st, 'removed-citus-function', `function ${names.join('.')}(${types}) does not exist`, fc.location, {
        name: true,
        hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
        note: `removed in Citus ${removed.removedIn}: use ${removed.instead}`,
      });
    }
    // a Citus procedure called as a function (`SELECT drop_old_time_partitions(..)`): ParseFuncOrColumn refuses it
    const procedure = builtinName && !workspace && !known && !removed && !fc.over ? citusProcedureOnly(name) : false;
    if (procedure) {
      const types = shownArguments(callArgs);
      this.error(ec.st, 'undefined-function', `${names.join('.')}(${types}) is a procedure`, fc.location, { name: true, hint: 'To call a procedure, use CALL.' });
    }
    let resolved = known && !fc.func_variadic ? resolveFunction(name, fc.agg_within_group ? [...callArgs, ...orderTypes.map((type) => ({ type }))] : callArgs) : undefined;
    // a function a later PostgreSQL overloads (random(min, max), timezone(ts) of AT LOCAL): a call the catalog resolves
    // is that one, any other may be the newer overload, and nothing is said
    if (resolved && resolved.kind !== 'ok' && NEWER_OVERLOADS.has(name)) resolved = undefined;
    const info = resolved?.kind === 'ok' ? resolved.item : undefined;
    if (info) this.calls.set(fc, info);
    // a constant unit date_trunc / date_part / EXTRACT does not know: the call fails whenever it is computed
    if (resolved?.kind === 'ok' && (name === 'date_trunc' || name === 'date_part' || name === 'extract')) {
      const unit: unknown = stripCast(args[0])?.A_Const?.sval?.sval;
      const message = typeof unit === 'string' && !this.psqlPlaceholder(unit) ? datetimeUnitError(name, resolved.args, unit) : undefined;
      if (message) this.rowErrors.set(fc, message);
    }
    const isAgg = info ? info.kind === 'a' : isAggregateCall(fc, this.ctx.model);
    const display = names.length === 1 ? names[0] : names.join('.');
    if (resolved?.kind === 'none') {
      // (an ordered-set aggregate's signature lists the direct arguments, then the WITHIN GROUP ones)
      const shown = fc.agg_within_group ? [...callArgs, ...orderTypes.map((type) => ({ type, name: undefined }))] : callArgs;
      const sig = `${display}(${shown.map((a) => (a.name ? `${a.name} => ` : '') + builtins().display(a.type)).join(', ')})`;
      this.error(ec.st, 'undefined-function', `function ${sig} does not exist`, fc.location, {
        name: true,
        hint:
          (fc.agg_order?.length ?? 0) > 1 && !fc.agg_within_group
            ? 'No aggregate function matches the given name and argument types. Perhaps you misplaced ORDER BY; ORDER BY must appear after all regular arguments of the aggregate.'
            : 'No function matches the given name and argument types. You might need to add explicit type casts.',
      });
    } else if (resolved?.kind === 'ambiguous') {
      const sig = `${display}(${callArgs.map((a) => builtins().display(a.type)).join(', ')})`;
      this.error(ec.st, 'undefined-function', `function ${sig} is not unique`, fc.location, { name: true, hint: 'Could not choose a best candidate function. You might need to add explicit type casts.' });
    } else if (info) {
      // decorations that only aggregates / window functions take
      if (info.kind === 'f') {
        if (fc.agg_star) this.error(ec.st, 'undefined-function', `${display}(*) specified, but ${display} is not an aggregate function`, fc.location, { name: true });
        else if (fc.agg_distinct) this.error(ec.st, 'undefined-function', `DISTINCT specified, but ${display} is not an aggregate function`, fc.location, { name: true });
        else if (fc.agg_within_group) this.error(ec.st, 'undefined-function', `WITHIN GROUP specified, but ${display} is not an aggregate function`, fc.location, { name: true });
        else if (fc.agg_order?.length) this.error(ec.st, 'undefined-function', `ORDER BY specified, but ${display} is not an aggregate function`, fc.location, { name: true });
        else if (fc.agg_filter) this.error(ec.st, 'undefined-function', `FILTER specified, but ${display} is not an aggregate function`, fc.location, { name: true });
        else if (fc.over) this.error(ec.st, 'undefined-function', `OVER specified, but ${display} is not a window function nor an aggregate function`, fc.location, { name: true });
      } else if (info.kind === 'w' && !fc.over) {
        this.error(ec.st, 'misplaced-window-function', `window function ${display} requires an OVER clause`, fc.location, { name: true });
      }
      // unknown literals converted to the declared argument types; to a polymorphic one's actual type, the type of the
      // other arguments of its family when they all have one (`lag(value, 1, 'x')`: numeric), else nothing is said
      callArgs.forEach((a, i) => {
        if (a.type !== T.UNKNOWN || resolved?.kind !== 'ok') return;
        let target: TypeId | undefined = resolved.args[i];
        const family = POLYMORPHIC_FAMILIES.find((f) => f.includes(target!));
        if (family) {
          const known = callArgs.filter((b, j) => b.type !== T.UNKNOWN && family.includes(resolved.args[j])).map((b) => b.type);
          target = known.length && known.every((t) => t === known[0]) ? known[0] : undefined;
        }
        if (target !== undefined) this.checkLiteral(ec.st, args[i]?.NamedArgExpr?.arg ?? args[i], target);
      });
    }
    if (fc.over) {
      if (innerWindows > 0) this.error(ec.st, 'misplaced-window-function', 'window function calls cannot be nested', fc.location, { name: true });
      else {
        const placement = windowPlacementError(ec.kind);
        if (placement) this.error(ec.st, 'misplaced-window-function', placement, fc.location, { name: true });
      }
      const over = fc.over;
      if (over.name && !over.partitionClause && !over.orderClause && !ec.st.windows?.has(over.name) && !(ec.st.level.select.windowClause ?? []).some((w: PgNode) => (w.WindowDef ?? w).name === over.name)) {
        this.error(ec.st, 'misplaced-window-function', `window "${over.name}" does not exist`, over.location, {});
      }
      for (const p of over.partitionClause ?? []) this.expr(p, { st: ec.st, kind: 'window-partition' });
      for (const s of over.orderClause ?? []) if (s.SortBy?.node) this.expr(s.SortBy.node, { st: ec.st, kind: 'window-order' });
      if (!over.name) (ec.st.inlineWindows ??= []).push(over);
      this.scanWindows++;
    } else if (isAgg) {
      const levelsUp = innerMin === Infinity ? 0 : innerMin;
      let aggState: LevelState | undefined = ec.st;
      for (let k = 0; k < levelsUp && aggState; k++) aggState = aggState.parent;
      // (transformAggregateCall: DISTINCT's ORDER BY first, then check_agglevels_and_constraints)
      const outside = info?.kind === 'a' && fc.agg_distinct && fc.agg_order?.length ? this.aggregateOrderOutsideArguments(fc) : undefined;
      if (outside) this.error(ec.st, 'distinct-order-by', 'in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list', firstLocation(outside), { node: outside });
      else if (innerAggs > 0 && levelsUp === 0) this.error(ec.st, 'misplaced-aggregate', 'aggregate function calls cannot be nested', fc.location, { name: true });
      else if (innerWindows > 0) this.error(ec.st, 'misplaced-aggregate', 'aggregate function calls cannot contain window function calls', fc.location, { name: true });
      else if (levelsUp === 0) {
        const placement = aggregatePlacementError(ec.kind);
        if (placement) this.error(ec.st, 'misplaced-aggregate', placement, fc.location, { name: true });
      } else if (aggState) {
        // an aggregate of outer columns only belongs to that outer level (check_agglevels_and_constraints): its place is
        // the expression there that holds the sublink (`WHERE a.x > (SELECT max(a.y) FROM b)`: in WHERE)
        let from: LevelState | undefined = ec.st;
        for (let k = 1; k < levelsUp && from; k++) from = from.parent;
        const kind = from?.level.role === 'sublink' ? from.sublinkKind : undefined;
        const placement = kind ? aggregatePlacementError(kind) : undefined;
        if (placement) this.error(ec.st, 'misplaced-aggregate', placement, fc.location, { name: true });
      }
      if (aggState) aggState.hasAggs = true;
    }
    // check_srf_call_placement() and ParseFuncOrColumn()'s checks of set-returning calls
    const srf = !!info?.returnsSet && info.kind === 'f' && !fc.over;
    if (ec.kind === 'select' && !fc.over && (srf || !info)) ec.st.level.targetSrf = true;
    if (srf) {
      const where = srfPlacement(ec.kind);
      if (where) this.error(ec.st, 'misplaced-set-returning-function', `set-returning functions are not allowed in ${where}`, fc.location, { name: true });
    }
    if (innerSrfs > 0 && (fc.over || isAgg)) {
      this.error(ec.st, 'misplaced-set-returning-function', `${fc.over ? 'window' : 'aggregate'} function calls cannot contain set-returning function calls`, this.lastSrfAt, {
        name: true,
        hint: 'You might be able to move the set-returning function into a LATERAL FROM item.',
      });
    }
    this.scanSrfs += innerSrfs + (srf ? 1 : 0);
    if (srf) this.lastSrfAt = fc.location ?? 0;
    // what the enclosing call sees: aggregates and window calls of this level inside this one
    this.scanAggs += innerAggs + (isAgg && !fc.over && (innerMin === Infinity || innerMin === 0) ? 1 : 0);
    this.scanWindows += innerWindows;
    if (innerMin < this.scanMinLevelsUp) this.scanMinLevelsUp = innerMin;
    void wrapper;
    if (!resolved) return NO_TYPE;
    if (resolved.kind === 'coercion') return resolved.result;
    return resolved.kind === 'ok' ? resolved.result : NO_TYPE;
  }

  // ---- results -----------------------------------------------------------------------------------

  result(): ResolveResult {
    return { query: this.qm, errors: this.errors };
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers

const EMPTY_NODES: PgNode[] = [];
/** The CTE map of levels without WITH (read-only: a WITH gives its level a map of its own). */
const NO_CTES: Map<string, CteDef> = new Map();
/** The `select` of the levels that hold a DML statement's namespace. */
const HOLDER_SELECT: PgNode = Object.freeze({}) as PgNode;

/** The names of a ColumnRef's fields (all String nodes once a trailing `*` is excluded), without nameList's checks. */
function fieldNames(fields: PgNode[]): string[] {
  if (fields.length === 1) {
    const s = fields[0].String?.sval;
    return s ? [s] : [];
  }
  return nameList(fields);
}

const INCOMPLETE = Symbol('incomplete targets');
type IncompleteMark = { [INCOMPLETE]?: boolean };
const UNKNOWN_GROUP: PgNode = Object.freeze({}) as PgNode;

/** A level whose output columns are not all known (a `*` over an item with unknown columns). */
export function levelTargetsIncomplete(level: QueryLevel): boolean {
  return !!(level as IncompleteMark)[INCOMPLETE];
}

/** System columns every table has (and views do not): found by name, never expanded by `*`. */
const SYSTEM_COLUMNS: Record<string, TypeId> = { ctid: 27, xmin: 28, xmax: 28, cmin: 29, cmax: 29, tableoid: T.OID };

function systemColumn(ns: NsItem, name: string): NsColumn | undefined {
  const type = SYSTEM_COLUMNS[name];
  if (type === undefined || !ns.table || ns.table.kind === 'view' || (ns.item && ns.item.kind !== 'rel')) return undefined;
  return { name, type, owner: ns, origin: ns.item?.kind === 'rel' ? { kind: 'column', rel: ns.item.rel, column: name } : UNKNOWN_ORIGIN };
}

function columnsKnown(table: TableModel): boolean {
  return table.columns.length > 0 && !table.catalog && !table.columnsIncomplete;
}

function isSimpleValues(select: PgNode): boolean {
  return !!select.valuesLists && (!select.op || select.op === 'SETOP_NONE');
}

/** An unknown-type literal in an output column is resolved as text (resolveTargetListUnknowns()). */
function resolveUnknown(t: TypeId): TypeId {
  return t === T.UNKNOWN ? T.TEXT : t;
}

/** The type of a literal: integers that fit in int4, larger ones int8, then numeric; strings are unknown. */
function constType(c: PgNode): TypeId {
  if (c.isnull) return T.UNKNOWN;
  if (c.ival !== undefined) return T.INT4;
  if (c.fval !== undefined) {
    const s: string = c.fval.fval ?? '';
    if (/^[+-]?\d+$/.test(s)) {
      const v = BigInt(s);
      return v >= -9223372036854775808n && v <= 9223372036854775807n ? T.INT8 : T.NUMERIC;
    }
    return T.NUMERIC;
  }
  if (c.boolval !== undefined) return T.BOOL;
  if (c.sval !== undefined) return T.UNKNOWN;
  if (c.bsval !== undefined) return T.BIT;
  return NO_TYPE;
}

function sqlValueFunctionType(op: string): TypeId {
  switch (op) {
    case 'SVFOP_CURRENT_DATE':
      return T.DATE;
    case 'SVFOP_CURRENT_TIME':
    case 'SVFOP_CURRENT_TIME_N':
      return T.TIMETZ;
    case 'SVFOP_CURRENT_TIMESTAMP':
    case 'SVFOP_CURRENT_TIMESTAMP_N':
      return T.TIMESTAMPTZ;
    case 'SVFOP_LOCALTIME':
    case 'SVFOP_LOCALTIME_N':
      return T.TIME;
    case 'SVFOP_LOCALTIMESTAMP':
    case 'SVFOP_LOCALTIMESTAMP_N':
      return T.TIMESTAMP;
    default:
      return T.NAME;
  }
}

/**
 * FigureColname(): the name PostgreSQL gives an output column without an alias.
 */
export function figureColname(val: PgNode | undefined, _index: number): string {
  const n = figure(val);
  return n?.name ?? '?column?';
}

/**
 * FigureColnameInternal: a name and its strength. A cast's type name (strength 1) gives way to a name its argument
 * has (a column's, a function's: 2), and so does CASE's "case" to its ELSE's; of two casts the outer one names the column.
 */
function figure(val: PgNode | undefined): { name: string; strength: 1 | 2 } | undefined {
  if (!val) return undefined;
  const strong = (name: string | undefined): { name: string; strength: 2 } | undefined => (name === undefined ? undefined : { name, strength: 2 });
  if (val.ColumnRef) {
    const parts = nameList(val.ColumnRef.fields);
    return isStarRef(val.ColumnRef) ? undefined : strong(parts[parts.length - 1]);
  }
  if (val.FuncCall) return strong(functionName(val.FuncCall));
  if (val.TypeCast) {
    const inner = figure(val.TypeCast.arg);
    if (inner?.strength === 2) return inner;
    const names = nameList(val.TypeCast.typeName?.names);
    const last = names[names.length - 1];
    return last ? { name: last, strength: 1 } : inner;
  }
  if (val.A_Indirection) {
    const ind = val.A_Indirection.indirection ?? [];
    for (let i = ind.length - 1; i >= 0; i--) {
      const s = stringValue(ind[i]);
      if (s) return strong(s);
    }
    return figure(val.A_Indirection.arg);
  }
  if (val.CaseExpr) {
    const inner = figure(val.CaseExpr.defresult);
    return inner?.strength === 2 ? inner : { name: 'case', strength: 1 };
  }
  if (val.CoalesceExpr) return strong('coalesce');
  if (val.MinMaxExpr) return strong(val.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least');
  if (val.A_ArrayExpr) return strong('array');
  if (val.RowExpr) return strong('row');
  if (val.SubLink) {
    const s = val.SubLink;
    if (s.subLinkType === 'EXISTS_SUBLINK') return strong('exists');
    if (s.subLinkType === 'ARRAY_SUBLINK') return strong('array');
    if (s.subLinkType === 'EXPR_SUBLINK') {
      // (the subquery's column, named as its own level names it)
      const t = s.subselect?.SelectStmt?.targetList?.[0]?.ResTarget;
      return strong(t?.name ?? figure(t?.val)?.name ?? '?column?');
    }
    return undefined;
  }
  if (val.SQLValueFunction) return strong(SQL_VALUE_NAMES[val.SQLValueFunction.op]);
  if (val.GroupingFunc) return strong('grouping');
  if (val.A_Expr?.kind === 'AEXPR_NULLIF') return strong('nullif');
  if (val.CollateClause) return figure(val.CollateClause.arg);
  return undefined;
}


const SQL_VALUE_NAMES: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

/** An aggregate call by name, when the catalog could not resolve it (a workspace aggregate, an extension's). */
function isAggregateCall(fc: PgNode, model: SchemaModel): boolean {
  if (fc.over) return false;
  if (fc.agg_star || fc.agg_distinct || fc.agg_within_group || fc.agg_order?.length || fc.agg_filter) return true;
  const names = nameList(fc.funcname);
  const name = (names[names.length - 1] ?? '').toLowerCase();
  if (model.functions.has(name)) return false;
  const list = builtins().functionsNamed(name);
  if (list.length) return list.every((f) => f.kind === 'a');
  return KNOWN_EXTENSION_AGGREGATES.has(name);
}

/**
 * Functions PostgreSQL 16 and 17 gave new signatures (random(min, max), timezone(ts) for AT LOCAL, ...): the
 * catalog is PostgreSQL 15's, so a call it cannot match may be valid on a newer server. Not checked.
 */
const NEWER_OVERLOADS = new Set(['random', 'timezone']);

/** Aggregates of extensions rollups use (hll, topn, tdigest): no DDL in the workspace defines them. */
const KNOWN_EXTENSION_AGGREGATES = new Set(['hll_add_agg', 'hll_union_agg', 'topn_add_agg', 'topn_union_agg', 'tdigest', 'tdigest_percentile']);

function colId(ns: NsItem, column: string): string {
  return `${ns.id}.${column}`;
}

/** A column reference's identity after join alias variables are flattened (flatten_join_alias_vars()). */
function bindingId(b: Binding): string {
  return b.base ? colId(b.base, b.baseColumn ?? b.column) : colId(b.ns!, b.column);
}

/**
 * The names a grouping expression cannot be written without, as PostgreSQL's equal() sees it after parse analysis:
 * the functions it calls (not those named like a type: `date(x)` is `x::date`), its plain operators (`a + b`;
 * not BETWEEN, IN, LIKE and the like, which other spellings give too) and row constructors (`GROUP BY ROW(a, b)`). Lower-cased, the last part of a qualified name.
 */
function distinguishingNames(g: PgNode): string[] {
  const out = new Set<string>();
  walk(g, (type, f) => {
    if (type === 'FuncCall') {
      const n = nameList(f.funcname);
      const name = (n[n.length - 1] ?? '').toLowerCase();
      if (name && builtins().typeByName(name) === NO_TYPE && !isKnownBuiltinType(canonicalTypeName(name))) out.add(name);
    } else if (type === 'A_Expr' && f.kind === 'AEXPR_OP') {
      const n = nameList(f.name);
      if (n.length) out.add(n[n.length - 1].toLowerCase());
    } else if (type === 'RowExpr') out.add(ROW_CONSTRUCTOR);
    else if (type === 'A_Const') out.add(constantName(f));
    return undefined;
  });
  return [...out];
}

/**
 * A constant among the names (`date_trunc('hour', x)` is not `date_trunc('day', x)`: PostgreSQL compares a grouped
 * expression's constants by value, and a `'1'` literal of a number is the number).
 */
function constantName(c: PgNode): string {
  const value = c.isnull ? 'null' : c.sval ? String(c.sval.sval ?? '') : c.ival ? String(c.ival.ival ?? 0) : c.fval ? String(c.fval.fval) : c.boolval ? String(!!c.boolval.boolval) : c.bsval ? String(c.bsval.bsval) : '';
  return `const:${value}`;
}

/** A row constructor, `ROW(a, b)` or `(a, b)`, among the names (no function or operator is called that). */
const ROW_CONSTRUCTOR = 'row()';

/** The operators PostgreSQL's parse analysis makes of BETWEEN, IN, LIKE, ILIKE, SIMILAR TO, NULLIF, IS DISTINCT FROM. */
const EXPANDED_OPERATORS = ['=', '<>', '<', '>', '<=', '>=', '~~', '!~~', '~~*', '!~~*', '~', '!~'];

/**
 * Every function, operator and type name in `node` (lower-cased, the last part of qualified names), with the
 * operators the special forms of A_Expr become (`x BETWEEN a AND b` is `x >= a AND x <= b`, `x IN (a)` is `x = a`).
 */
function namesIn(node: unknown): Set<string> {
  const out = new Set<string>();
  walk(node, (type, f) => {
    const list = type === 'FuncCall' ? f.funcname : type === 'A_Expr' ? f.name : type === 'TypeCast' ? (f.typeName?.TypeName ?? f.typeName)?.names : type === 'TypeName' ? f.names : undefined;
    if (list) {
      const n = nameList(list);
      if (n.length) out.add(n[n.length - 1].toLowerCase());
    }
    if (type === 'A_Expr' && f.kind !== 'AEXPR_OP') for (const op of EXPANDED_OPERATORS) out.add(op);
    if (type === 'RowExpr') out.add(ROW_CONSTRUCTOR);
    if (type === 'A_Const') out.add(constantName(f));
    return undefined;
  });
  return out;
}

function sameExpression(a: unknown, b: unknown, bindings: Map<PgNode, Binding>): boolean {
  return sameTree(a, b, (x, y) => {
    const bx = bindings.get(x);
    if (!bx) return undefined;
    const by = bindings.get(y);
    return !!by && !!bx.ns && !!by.ns && bindingId(bx) === bindingId(by) && bx.levelsUp === by.levelsUp;
  });
}

/** The terms of a top-level AND (the expression itself when it is not an AND). */
function andedTerms(expr: PgNode): PgNode[] {
  return expr.BoolExpr?.boolop === 'AND_EXPR' ? (expr.BoolExpr.args ?? []).flatMap((a: PgNode) => andedTerms(a)) : [expr];
}

function andedSublinks(expr: PgNode): Set<PgNode> | undefined {
  let out: Set<PgNode> | undefined;
  for (const t of andedTerms(expr)) if (t.SubLink?.subLinkType === 'ANY_SUBLINK') (out ??= new Set()).add(t.SubLink);
  return out;
}

function markCorrelated(level: QueryLevel, owner: QueryLevel): void {
  for (let l: QueryLevel | undefined = level; l && l !== owner; l = l.parent) l.correlated = true;
}

const LOCK_STRENGTH: Record<string, string> = { LCS_FORUPDATE: 'FOR UPDATE', LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE', LCS_FORSHARE: 'FOR SHARE', LCS_FORKEYSHARE: 'FOR KEY SHARE' };

/** The first locking clause's strength, as PostgreSQL prints it (LCS_asString), or undefined without one. */
function lockStrength(select: PgNode): string | undefined {
  const first = select.lockingClause?.[0];
  return first ? LOCK_STRENGTH[(first.LockingClause ?? first).strength as string] : undefined;
}

function isConstant(node: PgNode | undefined): boolean {
  const n = stripCast(node);
  return !!(n?.A_Const || n?.ParamRef);
}

export function firstLocation(node: unknown): number {
  let best: number | undefined;
  const own = (node as PgNode | undefined)?.location;
  if (typeof own === 'number' && own >= 0) best = own;
  walk(node, (_t, f) => {
    if (typeof f.location === 'number' && f.location >= 0 && (best === undefined || f.location < best)) best = f.location;
  });
  return best ?? 0;
}

/** (PostgreSQL's hint compares names of similar lengths only) */
function levenshtein(a: string, b: string): number {
  return Math.abs(a.length - b.length) > 3 ? 99 : editDistance(a, b);
}

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

/** A boolean constant false (`FALSE`, `false::bool`). */
function isFalseConstant(n: PgNode): boolean {
  const c = stripCast(n)?.A_Const;
  return !!c?.boolval && !c.boolval.boolval;
}

/**
 * A SELECT PostgreSQL pulls up into its parent as it is (is_simple_subquery(): no grouping, DISTINCT, ORDER BY, LIMIT,
 * locking, set operation or WITH; the planner's isSimpleSubquery also checks the target list for aggregates, which a
 * bare column of VALUES has none of).
 */
function plainSubquery(select: PgNode): boolean {
  const s = select;
  return !s.groupClause?.length && !s.havingClause && !s.distinctClause && !s.sortClause?.length && !s.limitCount && !s.limitOffset && !s.lockingClause?.length && !s.windowClause?.length && !s.withClause && (!s.op || s.op === 'SETOP_NONE');
}

/** Argument types of built-in functions that a row can be passed to. */
const ROW_ARGUMENT = new Set<TypeId>([T.RECORD, T.ANY, T.ANYELEMENT, T.ANYNONARRAY]);

/**
 * `unnest(a, b, ..)` in FROM or ROWS FROM: an unqualified unnest with more than one argument, no aggregate or VARIADIC
 * decoration and no column definition list (the caller checks that), which PostgreSQL expands into one unnest() per
 * argument (transformRangeFunction()). The call, or undefined.
 */
function multiArgumentUnnest(call: PgNode): PgNode | undefined {
  const fc = call?.FuncCall;
  if (!fc || (fc.funcname?.length ?? 0) !== 1 || stringValue(fc.funcname[0]) !== 'unnest' || (fc.args?.length ?? 0) < 2) return undefined;
  return !fc.agg_order && !fc.agg_filter && !fc.over && !fc.agg_star && !fc.agg_distinct && !fc.func_variadic ? fc : undefined;
}

/** Comparison operators: a quoted literal on one side takes the other side's type. */
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

/** The text of a constant whose conversion to a string is certain, or undefined. */
function constantText(node: PgNode | undefined): string | undefined {
  let c = node?.A_Const;
  if (node?.TypeCast) {
    const tn = node.TypeCast.typeName;
    const names = nameList(tn?.names);
    const base = names[names.length - 1];
    if (tn?.typmods?.length || tn?.arrayBounds?.length || (base !== 'text' && base !== 'varchar')) return undefined;
    c = node.TypeCast.arg?.A_Const;
    if (!c?.sval) return undefined;
  }
  if (!c || c.isnull) return undefined;
  if (c.sval) return c.sval.sval ?? '';
  if (c.ival) return String(c.ival.ival ?? 0);
  const f: string | undefined = c.fval?.fval;
  return f !== undefined && /^-?(0|[1-9]\d*)\.\d+$/.test(f) ? f : undefined;
}

/** The decimal text of a numeric constant: an integer, a plain decimal, or a quoted literal of one (not NaN, not 1e3). */
function constantNumber(node: PgNode | undefined): string | undefined {
  if (node?.TypeCast) return undefined;
  const c = node?.A_Const;
  if (!c || c.isnull) return undefined;
  if (c.ival) return `${c.ival.ival ?? 0}.`;
  const t: string | undefined = c.fval?.fval ?? c.sval?.sval;
  if (t === undefined) return undefined;
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(t);
  return m && (m[2] || m[3]) ? `${m[1]}${m[2] || '0'}.${m[3] ?? ''}` : undefined;
}

/** A decimal (constantNumber's text) times 10^scale, rounded half away from zero, as numeric and integer casts round. */
function roundedScaled(text: string, scale: number): bigint | undefined {
  const m = /^([+-]?)(\d+)\.(\d*)$/.exec(text);
  if (!m) return undefined;
  const frac = m[3].padEnd(scale + 1, '0');
  let scaled = BigInt(m[2] + frac.slice(0, scale));
  if (frac.charCodeAt(scale) >= 53) scaled += 1n; // the next digit is 5 or more
  return m[1] === '-' ? -scaled : scaled;
}

/**
 * The plain GROUP BY items every grouping set holds (parseCheckAggregates' gset_common): with grouping sets, only
 * their columns make the other columns of a table functionally dependent on its primary key. Undefined without
 * grouping sets. A ROLLUP or CUBE holds the empty set, so nothing of it is common; GROUPING SETS keeps what all its
 * sets hold. Items other than column references are left out (only Vars count), except a position (`1`), which may be
 * a column: then undefined (every grouped column counts, as before).
 */
function commonGroupItems(list: PgNode[]): PgNode[] | undefined {
  if (!list.some((g) => g.GroupingSet)) return undefined;
  let followed = true;
  const key = (n: PgNode): string => JSON.stringify(n.ColumnRef?.fields ?? null);
  const common = (n: PgNode): PgNode[] => {
    const gs = n.GroupingSet;
    if (!gs) {
      if (n.RowExpr?.row_format === 'COERCE_IMPLICIT_CAST') return (n.RowExpr.args ?? []).flatMap(common);
      if (n.A_Const) followed = false;
      return n.ColumnRef ? [n] : [];
    }
    if (gs.kind === 'GROUPING_SET_SIMPLE') return (gs.content ?? []).flatMap(common);
    if (gs.kind === 'GROUPING_SET_SETS') {
      const sets = (gs.content ?? []).map(common);
      return sets.length ? sets[0].filter((x: PgNode) => sets.every((set: PgNode[]) => set.some((y: PgNode) => key(y) === key(x)))) : [];
    }
    // (EMPTY, ROLLUP, CUBE: their items still name columns: positions among them are not followed either)
    for (const c of gs.content ?? []) common(c);
    return [];
  };
  const out = list.flatMap(common);
  return followed ? out : undefined;
}

/** A name Citus 13 has only procedures of (its catalog, generated from a real cluster): `drop_old_time_partitions`, .. */
function citusProcedureOnly(name: string): boolean {
  const list = citusCatalog().functions.get(name);
  return !!list?.length && list.every((f) => f.procedure);
}

/** A call's arguments as PostgreSQL's func_signature_string shows them; `...` when the model does not know a type (not guessed). */
function shownArguments(args: readonly CallArgument[]): string {
  return args.every((a) => a.type !== NO_TYPE) ? args.map((a) => (a.name ? `${a.name} => ` : '') + builtins().display(a.type)).join(', ') : '...';
}

/** The IMMUTABLE built-ins the planner folds for pruning (../planner/recursive.ts: foldIntConstant, foldTextConstant). */
const FOLDED_FUNCTIONS = new Set(['abs', 'mod', 'greatest', 'least', 'int2', 'int4', 'int8', 'length', 'char_length', 'octet_length', 'ascii', 'lower', 'upper', 'btrim', 'substr', 'replace']);

/**
 * A workspace LANGUAGE SQL function PostgreSQL inlines (inline_function()) and then folds to a constant
 * (eval_const_expressions(), then pull_up_constant_function() in FROM): its body's expression with the constant
 * arguments in place of its parameters, when that is literals under casts and arithmetic only (`SELECT $1 + $2`
 * called as `add(3, 5)` is 8; Citus 13.2.2 prunes by it). Undefined for anything else: the model leaves it alone.
 */
function inlinedConstant(def: FunctionDefinition | undefined, args: PgNode[]): PgNode | undefined {
  if (!def?.sql || def.returnsSet || !def.inlinable || !def.expression) return undefined;
  const names = def.paramNames ?? [];
  let ok = true;
  const substitute = (n: unknown): unknown => {
    if (!ok || n === null || typeof n !== 'object') return n;
    if (Array.isArray(n)) return n.map(substitute);
    const node = n as PgNode;
    if (node.ParamRef) {
      const arg = args[(node.ParamRef.number ?? 0) - 1];
      if (!arg) ok = false;
      return arg;
    }
    if (node.ColumnRef) {
      const parts = nameList(node.ColumnRef.fields);
      const at = parts.length === 1 ? names.indexOf(parts[0].toLowerCase()) : -1;
      if (at < 0 || !args[at]) ok = false;
      return args[at];
    }
    const keys = Object.keys(node);
    // a node is `{ Type: fields }`; anything else is a node's fields
    if (keys.length === 1 && /^[A-Z]/.test(keys[0])) {
      const type = keys[0];
      if (type === 'A_Expr') {
        const e = node.A_Expr;
        if (e.kind !== 'AEXPR_OP' || !['+', '-', '*', '/', '%', '||'].includes(nameList(e.name).join(''))) ok = false;
      } else if (type === 'FuncCall') {
        if (!FOLDED_FUNCTIONS.has(functionName(node.FuncCall)) || node.FuncCall.agg_star || node.FuncCall.over || node.FuncCall.agg_distinct) ok = false;
      } else if (type !== 'A_Const' && type !== 'TypeCast' && type !== 'TypeName' && type !== 'String' && type !== 'Integer') ok = false;
    }
    const out: PgNode = {};
    for (const k of Object.keys(node)) out[k] = substitute(node[k]);
    return out;
  };
  const folded = substitute(def.expression) as PgNode;
  return ok && args.length >= Math.max(0, names.length) ? folded : undefined;
}

type RecursionContext = 'ok' | 'nonrecursive' | 'sublink' | 'outerjoin' | 'intersect' | 'except';
const RECURSION_ERRORS: Record<Exclude<RecursionContext, 'ok'>, string> = {
  nonrecursive: 'must not appear within its non-recursive term',
  sublink: 'must not appear within a subquery',
  outerjoin: 'must not appear within an outer join',
  intersect: 'must not appear within INTERSECT',
  except: 'must not appear within EXCEPT',
};

/**
 * PostgreSQL's checkWellFormedRecursion for one CTE of a WITH RECURSIVE (parse_cte.c): a query that refers to itself
 * (an unqualified FROM name, not captured by a WITH inside it) must be `non-recursive-term UNION [ALL]
 * recursive-term`, refer to itself once, in the recursive term, not inside a subquery (sublink), on the nullable side
 * of an outer join or under INTERSECT ALL / EXCEPT, and have no ORDER BY, OFFSET, LIMIT or FOR UPDATE atop the UNION.
 * The message and the location of the reference (undefined: the CTE's). Mutual recursion between items is not followed.
 */
export function wellFormedRecursionError(name: string, select: PgNode): { message: string; location?: number } | undefined {
  const refersToSelf = (n: unknown): boolean => {
    let found = false;
    walk(n, (type, f) => {
      if (found) return false;
      // (a statement's WITH is its fields' `withClause`, not a node of its own)
      const inner: PgNode | undefined = f.withClause?.WithClause ?? f.withClause;
      const at: number = (inner?.ctes ?? []).findIndex((c: PgNode) => c.CommonTableExpr?.ctename === name);
      if (at >= 0) {
        // a WITH inside that defines the name hides this query from the rest of its statement; a plain WITH's queries
        // up to that one's own still see this query (makeDependencyGraphWalker), a WITH RECURSIVE's none
        if (!inner?.recursive) found = inner?.ctes.slice(0, at + 1).some((c: PgNode) => refersToSelf(c.CommonTableExpr?.ctequery)) ?? false;
        return false;
      }
      if (type === 'RangeVar' && !f.schemaname && f.relname === name) found = true;
      return undefined;
    });
    return found;
  };
  if (!refersToSelf({ SelectStmt: select })) return undefined;
  if (select.op !== 'SETOP_UNION') return { message: `recursive query "${name}" does not have the form non-recursive-term UNION [ALL] recursive-term` };
  let count = 0;
  let error: { message: string; location?: number } | undefined;
  const visit = (node: unknown, context: RecursionContext): void => {
    if (error || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x, context);
      return;
    }
    const n = node as PgNode;
    if (n.RangeVar) {
      const rv = n.RangeVar;
      if (rv.schemaname || rv.relname !== name) return;
      if (context !== 'ok') error = { message: `recursive reference to query "${name}" ${RECURSION_ERRORS[context]}`, location: rv.location };
      else if (++count > 1) error = { message: `recursive reference to query "${name}" must not appear more than once`, location: rv.location };
      return;
    }
    if (n.SelectStmt) {
      const s = n.SelectStmt;
      // a WITH inside that defines the name hides it (the walk of its own queries included: approximated by stopping)
      if (s.withClause && (s.withClause.WithClause ?? s.withClause).ctes?.some((c: PgNode) => c.CommonTableExpr?.ctename === name)) return;
      for (const c of (s.withClause?.WithClause ?? s.withClause)?.ctes ?? []) visit(c.CommonTableExpr?.ctequery, context);
      // (a set operation's branches are SelectStmt's fields, not nodes: wrapped to be visited as statements)
      if (context !== 'ok' || !s.op || s.op === 'SETOP_NONE' || s.op === 'SETOP_UNION') {
        for (const [k, v] of Object.entries(s)) if (k !== 'withClause') visit(k === 'larg' || k === 'rarg' ? { SelectStmt: v } : v, context);
        return;
      }
      const inner: RecursionContext = s.op === 'SETOP_INTERSECT' ? (s.all ? 'intersect' : context) : s.all ? 'except' : context;
      visit({ SelectStmt: s.larg }, inner);
      visit({ SelectStmt: s.rarg }, s.op === 'SETOP_EXCEPT' ? 'except' : inner);
      for (const k of ['sortClause', 'limitOffset', 'limitCount', 'lockingClause']) visit(s[k], context);
      return;
    }
    if (n.JoinExpr) {
      const j = n.JoinExpr;
      const outer: RecursionContext = context === 'ok' ? 'outerjoin' : context;
      if (j.jointype === 'JOIN_LEFT') {
        visit(j.larg, context);
        visit(j.rarg, outer);
      } else if (j.jointype === 'JOIN_FULL') {
        visit(j.larg, outer);
        visit(j.rarg, outer);
      } else if (j.jointype === 'JOIN_RIGHT') {
        visit(j.larg, outer);
        visit(j.rarg, context);
      } else {
        visit(j.larg, context);
        visit(j.rarg, context);
      }
      visit(j.quals, context);
      return;
    }
    if (n.SubLink) {
      visit(n.SubLink.subselect, 'sublink');
      visit(n.SubLink.testexpr, context);
      return;
    }
    for (const v of Object.values(n)) visit(v, context);
  };
  visit({ SelectStmt: select.larg }, 'nonrecursive');
  if (!error) visit({ SelectStmt: select.rarg }, 'ok');
  if (error) return error;
  if (select.sortClause?.length) return { message: 'ORDER BY in a recursive query is not implemented', location: firstLocation(select.sortClause) };
  if (select.limitOffset) return { message: 'OFFSET in a recursive query is not implemented', location: firstLocation(select.limitOffset) };
  if (select.limitCount) return { message: 'LIMIT in a recursive query is not implemented', location: firstLocation(select.limitCount) };
  if (select.lockingClause?.length) return { message: 'FOR UPDATE/SHARE in a recursive query is not implemented', location: firstLocation(select.lockingClause) };
  return undefined;
}

/** WindowDef.frameOptions bits (parsenodes.h): a frame clause was written; RANGE; an offset PRECEDING / FOLLOWING bound. */
const FRAME_NONDEFAULT = 0x1;
const FRAME_RANGE = 0x2;
const FRAME_OFFSETS = 0x800 | 0x1000 | 0x2000 | 0x4000;

/** Polymorphic pseudo-types whose arguments share one actual type: anyelement / anynonarray, anycompatible / anycompatiblenonarray. */
const POLYMORPHIC_FAMILIES: readonly (readonly number[])[] = [
  [2283, 2776],
  [5077, 5079],
];
