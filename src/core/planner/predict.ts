/**
 * Predicts how Citus 13 runs an INSERT..SELECT, following its own order of checks
 * (insert_select_planner.c; see the rules note and docs/prediction.md):
 *   ON CONFLICT errors -> router pre-check -> pushdown checks (the first failure is Citus' reason)
 *   -> repartition or pull (or a planning error of the fallback SELECT).
 */
import { groupingShape } from './grouping';
import { searchCycleFinding } from './cte-clauses';
import { inlinedCitusFunction } from './inlinedFunctions';
import { renamedColumnFinding, renamedUsingColumn, USING_JOIN } from './joinUsing';
import { nestedCallFinding, nestedDistributedCall } from './nestedQuery';
import { returnsNoRows } from './noRows';
import { distributionHash, hashTypeOf, shardIndex } from './dml-hash';
import { functionName, nameList, sameTree, walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import { columnarConflictFailure, inferArbiter, namedArbiterError } from '../schema/arbiters';
import type { SessionState } from '../schema/ddl';
import type { Volatility } from '../schema/functions';
import { displayName, findColumn, hasDistributionKey, isCitusTable, isDistributed, type SchemaModel, type TableModel } from '../schema/model';
import type { PlannerFinding } from '../rules/rule';
import type { CitusMessage, Fix, Method, Range } from '../types';
import { DETAIL, MSG } from './messages';
import { buildQueryModel, colKey, firstLoc, firstMutable, firstMutableCall, firstVolatileCall, volatilityIn, UnionFind, isDistColumn, visibleLevels, levelHasAggregates, windowPartitionClause, cteInlinable, levelWindowCalls, conflictExprs, conflictFrom, resTargetValues, typedExpressions, viewQueryOf, type CteDef, type FromItem, type Origin, type QueryLevel, type QueryModel, type RelOcc } from './query';
import { DML_MSG } from './dml-messages';
import { postgresViewRefusal, throughView, viewTargetOf } from './view-target';
import { expressionEnd, keywordBefore, nameLength, StatementPositions } from './text';
import { EXPLANATIONS } from './explanations';
import { statementVariables } from '../semantic';
import { conjuncts, originKey, pulledUpSemiJoin, SelectPlanner, type SelectPlan } from './recursive';
import { joinItems, joinTreeOf, reducedJoinTypesOf, type JoinNode } from './joinTree';
import { removedItems } from './joinRemoval';
import { keyValues, predictDml, type DmlResult } from './dml';
import { boundContains } from './partitionBounds';
import { unknownColocation } from '../schema/colocation';

export interface PlannerResult {
  method: Method;
  /** Citus' messages, in the order the cluster would print them */
  reasons: CitusMessage[];
  /** the constructs that decide the method; the first one is Citus' reason */
  findings: PlannerFinding[];
  summary?: string;
  targetName?: string;
}

export interface Failure extends PlannerFinding {
  /** our own wording, not a message Citus prints (kept out of `reasons`) */
  synthetic?: boolean;
}

/** `query`: the statement's query model from the semantic layer (built here when absent). */
export function predictInsertSelect(stmt: ParsedStatement, model: SchemaModel, session: SessionState, query?: QueryModel): PlannerResult {
  // tables colocated with a table the model does not know, next to other groups: nothing is said (../schema/colocation.ts)
  if (unknownColocation(stmt.ast, model, session.searchPath)) return { method: 'not_applicable', reasons: [], findings: [] };
  const result = new Predictor(stmt, model, session, query).run();
  // a recursive CTE's SEARCH or CYCLE clause with Citus tables (./cte-clauses.ts): the SELECT runs as one task on a shard
  const clause = result.method !== 'error' ? (searchCycleFinding(stmt, model, session.searchPath, true) ?? inlinedCitusFunction(stmt, model, session.searchPath)) : undefined;
  if (clause) return { method: 'error', reasons: [clause.citus], findings: [clause], summary: clause.summary, targetName: result.targetName };
  // a join USING whose merged column is not a plain column: the shard query renames another table's column (./joinUsing.ts)
  const renamed = result.method !== 'error' && result.method !== 'not_applicable' && USING_JOIN.test(stmt.text) ? renamedUsingColumn(stmt.ast, model, session.searchPath) : undefined;
  if (renamed) {
    const f = renamedColumnFinding(renamed, new StatementPositions(stmt));
    return { method: 'error', reasons: [f.citus], findings: [f], summary: f.summary, targetName: result.targetName };
  }
  // a user function querying a Citus table, run on the shards (./nestedQuery.ts): fails for the first row (a warning)
  if (result.method !== 'error' && result.method !== 'not_applicable') {
    const nested = nestedDistributedCall(stmt.ast, model, session.searchPath);
    if (nested) result.findings.push(nestedCallFinding(nested, new StatementPositions(stmt)));
  }
  // ON CONFLICT into a columnar table fails for the rows it inserts (how many the SELECT returns is the data's: a warning)
  const insert = stmt.ast?.InsertStmt;
  const target = insert && result.method !== 'error' ? model.resolve(insert.relation?.schemaname, insert.relation?.relname ?? '', session.searchPath) : undefined;
  const failure = target ? columnarConflictFailure(target, insert.onConflictClause) : undefined;
  if (!failure) return result;
  const message = 'columnar_tuple_insert_speculative not implemented';
  const warning: Failure = {
    rule: 'modify-columnar-table',
    citus: { level: 'ERROR', message },
    range: new StatementPositions(stmt).nameRange(insert.relation.location ?? 0),
    summary: 'ON CONFLICT into a columnar table',
    message: `${displayName(target!)} is a columnar table: columnar storage cannot insert a row speculatively, as ON CONFLICT does for a row that does not conflict (${message})${failure === 'every-row' ? ', nor lock a row that does for DO UPDATE (columnar_tuple_lock not implemented): every row the SELECT returns fails' : ': every row the SELECT returns that does not conflict fails'}`,
    explanation: '',
    severity: 'warning',
    synthetic: true,
  };
  return { ...result, findings: [...result.findings, warning] };
}

/** How Citus plans a SELECT of a statement as a query of its own (a SELECT statement, a MERGE source). */
export interface StandalonePlan {
  kind: 'router' | 'multi' | 'error';
  error?: PlannerFinding;
  /** parts of it became intermediate results (subplans) or repartition jobs: its rows pass through the coordinator */
  viaCoordinator: boolean;
  /** a step on the coordinator on top of the distributed scan (LIMIT, ORDER BY, merge of aggregates, ...) */
  coordinatorStep?: PlannerFinding;
}

/**
 * Plans `select` (a SelectStmt node of `stmt`) the way Citus plans a SELECT on its own
 * (distributed_planner.c CreateDistributedPlan: router, recursive planning, logical planner).
 */
export function planSelectOnItsOwn(stmt: ParsedStatement, select: PgNode, model: SchemaModel, session: SessionState, qm?: QueryModel): StandalonePlan {
  const shell: ParsedStatement = { ...stmt, ast: { InsertStmt: { relation: { relname: '?' }, selectStmt: { SelectStmt: select } } } };
  return new Predictor(shell, model, session).planStandalone(qm);
}

/** The query-model context of a statement: PL/pgSQL variables and psql :variables (`_name` placeholders) are values. */
export function queryContext(stmt: ParsedStatement, model: SchemaModel, session: SessionState): { model: SchemaModel; session: SessionState; variables: string[] } {
  return { model, session, variables: statementVariables(stmt) };
}

class Predictor {
  private readonly insert: PgNode;
  private readonly text: string;
  readonly pos: StatementPositions;
  qm!: QueryModel;
  private target!: TableModel;
  /** the INSERT's target is a view over a Citus table, seen through as that table (./view-target.ts) */
  private viewTarget = false;

  constructor(
    private readonly stmt: ParsedStatement,
    readonly model: SchemaModel,
    private readonly session: SessionState,
    private readonly query?: QueryModel,
  ) {
    this.insert = stmt.ast!.InsertStmt;
    this.text = stmt.text;
    this.pos = new StatementPositions(stmt);
  }

  failure(rule: string, citus: Omit<CitusMessage, 'level'> & { level?: CitusMessage['level'] }, range: Range, summary: string, fix?: Fix): Failure {
    const e = EXPLANATIONS[rule];
    const c: CitusMessage = { level: citus.level ?? 'DEBUG', message: citus.message, detail: citus.detail, hint: citus.hint };
    return {
      rule,
      citus: c,
      range,
      summary,
      message: `${e?.headline ?? summary}: ${c.detail ?? c.message}`,
      explanation: e?.explanation ?? '',
      fix,
    };
  }

  // ---- the procedure ---------------------------------------------------------------------------
  /** PL/pgSQL variables, and psql :variables (replaced by `_name` placeholders), are values, not columns. */
  private buildContext(): { model: SchemaModel; session: SessionState; variables: string[] } {
    return queryContext(this.stmt, this.model, this.session);
  }

  /** The SELECT alone (see planSelectOnItsOwn). */
  planStandalone(qm?: QueryModel): StandalonePlan {
    this.qm = qm ?? buildQueryModel(this.insert.selectStmt.SelectStmt, undefined, this.buildContext());
    if (this.isRouterSelect()) {
      // a data-modifying CTE that writes another shard (or several) is run first: the router planner refuses the whole
      const planner = new SelectPlanner(this, true, this.qm.root, false);
      const dml = [...this.qm.root.ctes.values()].filter((c) => !c.query?.SelectStmt);
      if (!dml.length || planner.dmlCtesOnShardOf(this.qm.root, dml)) return { kind: 'router', viaCoordinator: false };
    }
    const attempt = (inline: boolean): { planner: SelectPlanner; plan: SelectPlan } => {
      // a SELECT statement's set operation is the top-level one (no INSERT wraps it)
      const root = this.qm.root;
      const planner = new SelectPlanner(this, inline, root, false);
      return { planner, plan: planner.planQuery(root, true) };
    };
    let { planner, plan } = attempt(true);
    if (plan.kind === 'error' && this.hasInlinableCte()) ({ planner, plan } = attempt(false));
    const viaCoordinator = planner.subplanCount > 0 || !!plan.repartitionJoin;
    if (plan.kind !== 'multi') return { kind: plan.kind, error: plan.error, viaCoordinator };
    return { kind: 'multi', viaCoordinator, coordinatorStep: this.coordinatorStep(this.qm.root, planner) };
  }

  run(): PlannerResult {
    const rv = this.insert.relation;
    const targetName = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    const target = this.model.resolve(rv.schemaname, rv.relname, this.session.searchPath);
    const unknown: Failure[] = [];
    if (!target) {
      unknown.push(this.unknownTable(targetName, rv.location));
    }
    this.qm = this.query ?? buildQueryModel(this.insert.selectStmt.SelectStmt, this.insert.withClause, this.buildContext());
    for (const u of this.qm.unknownTables) unknown.push(this.unknownTable(u.name, u.location));
    if (unknown.length || !target) {
      return { method: 'not_applicable', reasons: [], findings: unknown, targetName, summary: 'unknown table' };
    }
    this.target = target;

    const uninferred = this.conflictWithoutInference();
    if (uninferred) return this.result('error', [uninferred], targetName);

    if (target.kind === 'view') {
      // PostgreSQL writes through a simple view (./view-target.ts); into a view over a Citus table Citus plans the
      // INSERT..SELECT as into that table, never pushed down. A view the model cannot see through, over Citus tables,
      // may have an INSTEAD OF trigger: no prediction
      const vt = viewTargetOf(target, this.model, this.session.searchPath);
      const through = vt.base && isCitusTable(vt.base) ? throughView(vt, target) : undefined;
      if (through) {
        this.target = through;
        this.viewTarget = true;
        const bug = this.viewInsertBug(vt.columns, target);
        if (bug) return this.result('error', [bug], targetName);
      } else if ((vt.base && isCitusTable(vt.base)) || (!vt.base && this.viewReadsCitus(target))) {
        return { method: 'not_applicable', reasons: [], findings: [], targetName, summary: 'a view over Citus tables the model cannot see through' };
      } else {
        // PostgreSQL's own refusal of a view that is not automatically updatable (./view-target.ts)
        const refused = postgresViewRefusal(target, vt, 'INSERT', this.model, this.session.searchPath);
        if (refused) {
          const f = this.failure('modify-view', { level: 'ERROR', message: DML_MSG.viewNotUpdatable('INSERT', refused.refusedBy.name), detail: refused.detail, hint: DML_MSG.viewNotUpdatableHint('INSERT') }, this.pos.nameRange(rv.location), 'view not automatically updatable');
          return this.result('error', [f], targetName);
        }
      }
    }
    if (!isCitusTable(this.target)) {
      // (PostgreSQL's inference: for a plain table too, and for a view over one it sees through)
      const arbiter = this.target.kind === 'view' ? undefined : this.arbiterFailure();
      return arbiter ? this.result('error', [arbiter], targetName) : this.localTarget(targetName);
    }

    const replicated = replicatedPartitionError(this.model, target);
    if (replicated) return this.result('error', [this.failure('tables-not-colocated', { level: 'ERROR', ...replicated }, this.pos.nameRange(rv.location), 'partition of a replicated table')], targetName);

    const conflict = this.onConflictErrors();
    // a subquery over a distributed table in DO UPDATE SET fails in the shard query that receives rows: a router or
    // pushed-down INSERT..SELECT runs its tasks whatever the SELECT returns, the other two only for rows (./noRows.ts)
    const rowsOnly = conflict?.rule === 'on-conflict-distributed-subquery';
    if (conflict && (!rowsOnly || !this.selectReturnsNoRows())) return this.result('error', [conflict], targetName);

    const routerSelect = this.isRouterSelect();
    const failures = this.pushdownFailures(routerSelect);
    const missing = failures.find((f) => f.rule === 'dist-column-missing');
    // raised while the target lists are reordered: after the pushdown checks and on the fallback path alike
    const subscript = this.targetIndirection();
    if (subscript) return this.result('error', [...failures, subscript], targetName, failures[0]);

    if (rowsOnly && failures.length === 0) {
      // (only reached for a SELECT of no rows) Citus' join checks see the subquery's table: not pushed down
      const f = this.failure('join-not-on-dist-column', { message: MSG.complexJoins }, conflict.range, 'subquery in ON CONFLICT');
      f.message = `${EXPLANATIONS['join-not-on-dist-column'].headline}: the subquery in DO UPDATE SET reads a distributed table, and Citus does not push the INSERT..SELECT down (Citus says: "${MSG.complexJoins}"); the SELECT returns no row, so no shard runs the subquery`;
      failures.push(f);
    }
    if (failures.length === 0) {
      const deparse = this.coordinatorEvaluationError();
      if (deparse) return this.result('error', [deparse], targetName);
      const method: Method = this.isSingleTask(routerSelect) ? 'router' : 'pushdown';
      if (method === 'pushdown' && this.multiTaskRefused()) return this.result('error', [this.multiTaskFailure('INSERT..SELECT pushed down to every shard')], targetName);
      const defaults = method === 'router' ? this.setOperationDefaultsError() : undefined;
      if (defaults) return this.result('error', [defaults], targetName);
      const rows = this.noPartitionForRows();
      const nullable = this.nullDistWarning(method);
      return { method, reasons: [], findings: [...(rows ? [rows] : []), ...(nullable ? [nullable] : [])], targetName, summary: method === 'router' ? 'single shard' : undefined };
    }

    const fallback = this.fallback(failures, routerSelect);
    if (fallback.error) return this.result('error', [fallback.error, ...failures], targetName, failures[0]);
    if (missing) {
      // planned (repartition or pull), then every row fails at execution
      const exec: Failure = { ...missing, citus: { level: 'ERROR', message: MSG.partitionValue(qualified(target)) } };
      return this.result('error', [...failures, exec], targetName, failures[0]);
    }
    // Citus reports only the first pushdown failure; the distribution column's value is checked regardless
    const partition = failures.find((f) => f.rule === 'dist-column-not-preserved') ?? this.partitionColumnFailure();
    // (checked row by row: a SELECT of no rows runs; a missing column above is refused when the INSERT is planned)
    const nullDist = partition?.summary === 'NULL' && !this.selectReturnsNoRows() ? partition : undefined;
    if (nullDist) {
      // a NULL distribution value in every row: each row fails when it is partitioned (repartition) or copied (pull)
      const message = fallback.method === 'repartition' ? MSG.partitionNullRepartition : MSG.partitionNullPull(qualified(target));
      const exec: Failure = { ...nullDist, citus: { level: 'ERROR', message }, message: `NULL in the distribution column: ${message}` };
      return this.result('error', [...failures, exec], targetName, failures[0]);
    }
    const rows = this.noPartitionForRows();
    const nullable = this.nullDistWarning(fallback.method);
    return this.result(fallback.method, [...failures, ...fallback.extra, ...(rows ? [rows] : []), ...(nullable ? [nullable] : [])], targetName, failures[0]);
  }

  /**
   * The SELECT gives every row the same partition key, a constant or the current date or time (`SELECT tenant_id,
   * CURRENT_DATE, count(*) ..`, or the column's default when the INSERT leaves it out), and no partition of the
   * partitioned target takes it (./partitionBounds.ts compares exactly or not at all; ../schema/currentTime.ts for
   * today): every row fails in the shard it goes to, `no partition of relation .. found for row`. A SELECT of no rows
   * runs (./noRows.ts), so it is a warning. One-column keys only. The plan stands (Citus plans the INSERT..SELECT as it would, and the
   * rows fail when they are written: the method is the plan's, as for the NULL distribution values of
   * nullDistWarning), so the finding is no reason of Citus' and the method is kept.
   */
  private noPartitionForRows(): Failure | undefined {
    const t = this.target;
    const key = t.partitioned && !t.partitionsIncomplete && !t.columnsIncomplete ? (t.partitionKey ?? []) : [];
    if (key.length !== 1) return undefined;
    const partitions = this.model.partitionsOf(t);
    if (!partitions.length || !partitions.every((p) => p.partitionBound)) return undefined;
    const col = findColumn(t, key[0]);
    if (!col) return undefined;
    const cols: string[] = this.insert.cols?.length ? this.insert.cols.map((c: PgNode) => c.ResTarget?.name) : t.columns.map((c) => c.name);
    const index = cols.indexOf(key[0]);
    const root = this.qm.root;
    const today = this.session.today;
    // the key's candidate values, the same for every row (every leaf of a set operation alike; ./dml.ts keyValues)
    const valuesOf = (expr: PgNode | undefined, fromDefault: boolean): { values: string[]; at?: PgNode; now: boolean } | undefined => {
      if (!fromDefault && !expr) return undefined;
      const v = keyValues(fromDefault ? undefined : expr, col, today);
      return v && { ...v, at: fromDefault ? undefined : expr };
    };
    const leaves = root.setOp ? (root.setOp.allUnion ? root.setOp.leaves : []) : [root];
    if (!leaves.length) return undefined;
    let first: { values: string[]; at?: PgNode; now: boolean } | undefined;
    for (const leaf of leaves) {
      if (index >= 0 && index >= leaf.targets.length) return undefined;
      const v = valuesOf(index >= 0 ? leaf.targets[index]?.expr : undefined, index < 0);
      if (!v) return undefined;
      first ??= v;
      if (v.values.some((x) => partitions.some((p) => boundContains(p.partitionBound!, [x], [col.collated ? 'unknown' : col.type]) !== false))) return undefined;
    }
    if (!first || this.selectReturnsNoRows()) return undefined;
    const message = `no partition of relation "${t.name}" found for row`;
    const range = first.at ? this.pos.nodeRange(first.at) : this.insert.cols?.length ? this.pos.nodeRange(this.insert.cols[0], this.insert.cols[0].ResTarget?.location) : this.pos.nameRange(this.insert.relation.location);
    const shown = first.now ? today! : first.values[0];
    const f = this.failure('insert-null-dist-column', { level: 'ERROR', message, detail: `Partition key of the failing row contains (${key[0]}) = (${shown}).` }, range, first.now ? 'no partition for today' : 'no partition for the rows');
    f.message = first.now
      ? `The SELECT gives every row the current date or time as ${key[0]}, and no partition of ${displayName(t)} takes ${today} (nor the day before or after, whatever the session's time zone): run today, every row fails (${message}). Create the partition for the current period first (create_time_partitions, or CREATE TABLE .. PARTITION OF), or a DEFAULT partition; if a job outside these files (pg_cron, pg_partman) creates it, disable this check for the statement`
      : `The SELECT gives every row ${key[0]} = ${shown}, and no partition of ${displayName(t)} takes it: every row fails (${message})`;
    f.synthetic = true;
    // (a warning whatever the method, as not-null-column-left-out's: the statement fails only when the SELECT returns
    // a row, and the method Citus plans stands)
    f.severity = 'warning';
    return f;
  }

  /** The SELECT returns no row whatever the tables hold (./noRows.ts). */
  private selectReturnsNoRows(): boolean {
    return returnsNoRows(this.qm.root, (col, l) => this.resolveOrigin(col, l));
  }

  /**
   * The value the SELECT gives the target's distribution column can be NULL at run time (a nullable
   * column, the nullable side of an outer join, an aggregate over no rows, a scalar subquery): the plan
   * stands, but a row that brings a NULL fails (repartition / pull: "the partition column ... cannot be
   * NULL"; pushed down: the NOT NULL constraint, or a row no shard should hold). A warning, not a method.
   */
  private nullDistWarning(method: Method): Failure | undefined {
    if (!hasDistributionKey(this.target)) return undefined;
    const pos = this.distPosition();
    if (pos.index < 0) return undefined;
    const root = this.qm.root;
    for (const leaf of root.setOp ? root.setOp.leaves : [root]) {
      const t = leaf.targets[pos.index];
      if (!t?.expr) continue;
      const why = this.nullableWhy(t.expr, leaf, 0);
      if (!why) continue;
      const col = findColumn(this.target, pos.column!);
      const consequence =
        method === 'repartition' ? `Citus fails with "${MSG.partitionNullRepartition}"`
        : method === 'pull_to_coordinator' ? `Citus fails with "${MSG.partitionNullPull(qualified(this.target))}"`
        : col?.notNull ? `the shard's NOT NULL constraint on ${pos.column} fails`
        : `the row is inserted with a NULL distribution value, which no shard should hold`;
      const f = this.failure('dist-column-null-at-runtime', { level: 'WARNING', message: `${pos.column} may be NULL at run time` }, this.pos.nodeRange(t.expr, t.location), 'NULL distribution value from the data');
      f.message = `The value for the distribution column ${pos.column} can be NULL at run time (${why}): the plan stands, but for a row that brings a NULL ${consequence}. Filter those rows out (WHERE ... IS NOT NULL) or give a default (coalesce)`;
      f.synthetic = true;
      return f;
    }
    return undefined;
  }

  /** Why an expression of a level can be NULL when the data has NULLs or no rows; undefined when it cannot (or is NULL by construction). */
  private nullableWhy(expr: PgNode | undefined, level: QueryLevel, depth: number): string | undefined {
    if (!expr || depth > 8) return undefined;
    if (expr.TypeCast) return this.nullableWhy(expr.TypeCast.arg, level, depth + 1);
    if (expr.ColumnRef) {
      // the FROM item it reads, on the nullable side of an outer join of this level (a CTE, a subquery, ...)
      const parts = nameList(expr.ColumnRef.fields);
      const item = parts.length > 1 ? level.items.find((it) => it.alias === parts[parts.length - 2]) : undefined;
      const join = item && this.nullableJoinOf(level, (it) => it === item);
      if (join) return `${parts.join('.')} is on the nullable side of a ${join} JOIN`;
      const rolled = this.rolledUp(expr, level);
      if (rolled) return rolled;
      const o = this.resolveOrigin(expr, level);
      if (o.kind !== 'column') return o.kind === 'expr' ? this.nullableWhy(o.node, level, depth + 1) : undefined;
      const outer = this.onNullableSide(o.rel);
      if (outer) return `${o.rel.alias}.${o.column} is on the nullable side of a ${outer} JOIN`;
      // a hash-distributed table's distribution column holds no NULL (Citus refuses to insert one)
      const c = findColumn(o.rel.table, o.column);
      if (c && !c.notNull && !(hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column) && !(o.rel.table.primaryKey ?? []).includes(o.column)) return `${displayName(o.rel.table)}.${o.column} allows NULL`;
      return undefined;
    }
    if (expr.SubLink) return expr.SubLink.subLinkType === 'EXPR_SUBLINK' ? 'a scalar subquery is NULL when it finds no row' : undefined;
    if (expr.CoalesceExpr) {
      const args: PgNode[] = expr.CoalesceExpr.args ?? [];
      const whys = args.map((a) => this.nullableWhy(a, level, depth + 1));
      return whys.every(Boolean) ? whys[0] : undefined;
    }
    if (expr.FuncCall) {
      const f = expr.FuncCall;
      if (f.over) return undefined;
      const name = functionName(f);
      if (name === 'count' || f.agg_star) return undefined;
      const args: PgNode[] = f.args ?? [];
      if (this.isAggregateCall(f)) {
        if (!(level.select.groupClause ?? []).length) return `${name}() over no rows is NULL`;
        return args.map((a) => this.nullableWhy(a, level, depth + 1)).find(Boolean);
      }
      return args.map((a) => this.nullableWhy(a, level, depth + 1)).find(Boolean);
    }
    if (expr.CaseExpr) {
      const c = expr.CaseExpr;
      if (!c.defresult) return 'a CASE without ELSE is NULL when no branch matches';
      return [...(c.args ?? []).map((w: PgNode) => w.CaseWhen?.result), c.defresult].map((r) => this.nullableWhy(r, level, depth + 1)).find(Boolean);
    }
    if (expr.A_Expr && (expr.A_Expr.kind === 'AEXPR_OP')) return this.nullableWhy(expr.A_Expr.lexpr, level, depth + 1) ?? this.nullableWhy(expr.A_Expr.rexpr, level, depth + 1);
    return undefined;
  }

  /** The outer join of a level whose nullable side holds an item. */
  private nullableJoinOf(level: QueryLevel, holds: (it: FromItem) => boolean): string | undefined {
    for (const j of level.outerJoins) {
      const nullable = j.type === 'LEFT' ? j.right : j.type === 'RIGHT' ? j.left : [...j.left, ...j.right];
      if (nullable.some(holds)) return j.type;
    }
    return undefined;
  }

  /** GROUP BY ROLLUP / CUBE / GROUPING SETS: a grouped column some set leaves out is NULL in that set's rows. */
  private rolledUp(expr: PgNode, level: QueryLevel): string | undefined {
    if (!groupingShape(level.select.groupClause, level.select.groupDistinct).kept) return undefined;
    const sets = (level.select.groupClause ?? []).filter((g: PgNode) => g.GroupingSet && g.GroupingSet.kind !== 'GROUPING_SET_EMPTY');
    if (!sets.length) return undefined;
    const mentions = (n: unknown): boolean => {
      let found = false;
      walk(n, (type, _f, wrapper) => {
        if (!found && type === 'ColumnRef' && sameTree(wrapper, expr)) found = true;
      });
      return found;
    };
    for (const g of sets) {
      const gs = g.GroupingSet;
      if (gs.kind === 'GROUPING_SET_ROLLUP' || gs.kind === 'GROUPING_SET_CUBE') {
        if (mentions(gs.content)) return `${gs.kind === 'GROUPING_SET_ROLLUP' ? 'ROLLUP' : 'CUBE'} rows have NULL in the columns they roll up`;
      } else if (gs.kind === 'GROUPING_SET_SETS' && (gs.content ?? []).length > 1 && mentions(gs.content) && !(gs.content as PgNode[]).every((c) => mentions(c))) {
        return 'a grouping set without the column has NULL in it';
      }
    }
    return undefined;
  }

  /** The outer join (LEFT / RIGHT / FULL) whose nullable side holds the relation, at its level or above. */
  private onNullableSide(rel: RelOcc): string | undefined {
    let level: QueryLevel | undefined = rel.level;
    let holds = (it: FromItem): boolean => it.kind === 'rel' && it.rel === rel;
    for (let guard = 0; level && guard < 16; guard++) {
      const join = this.nullableJoinOf(level, holds);
      if (join) return join;
      if (level.role !== 'from' || !level.parent) return undefined;
      const sub: QueryLevel = level;
      holds = (it: FromItem): boolean => it.kind === 'subquery' && it.level === sub;
      level = level.parent;
    }
    return undefined;
  }

  /**
   * A pushed-down INSERT..SELECT with a STABLE function (now(), current_user, a column default such as
   * `DEFAULT now()` for a column the INSERT leaves out) is evaluated on the coordinator and deparsed again
   * for each shard, and Citus 13.2 deparses two shapes wrongly: into a single-shard table the shard query
   * does not parse (`syntax error at or near "NOT"`), and a RETURNING list that reads the target's columns
   * names the target by its table name while the shard query aliases it (`missing FROM-clause entry`), unless the
   * INSERT has an ON CONFLICT clause.
   */
  private coordinatorEvaluationError(): Failure | undefined {
    // only two shapes fail: into a single-shard table, and RETURNING a column of an unaliased target without ON CONFLICT
    // (with ON CONFLICT, DO NOTHING or DO UPDATE, the shard query names the target consistently: checked on Citus 13.2.2)
    const returning: PgNode[] = this.insert.returningList ?? [];
    if (this.target.kind !== 'single_shard' && (!returning.length || this.insert.relation.alias || this.insert.onConflictClause)) return undefined;
    const omitted = this.omittedColumns();
    // a STABLE function by name, or a conversion or operator the types make STABLE (`created_at::date` of a timestamptz:
    // checked on Citus 13.2.2 into a schema-sharded table, `syntax error at or near "NOT"`)
    const typedReturning = this.query ?? typedExpressions([{ RangeVar: this.insert.relation }], resTargetValues(returning), this.buildContext());
    const call = firstMutable(this.insert.selectStmt, this.model, this.qm) ?? (typedReturning ? firstMutable(returning, this.model, typedReturning) : firstMutable(returning, this.model, this.qm));
    const stableDefault = omitted.find((c) => c.defaultKind === 'stable');
    if (!call && !stableDefault) return undefined;
    const at = call ? this.pos.nodeRange(call) : this.pos.nameRange(this.insert.relation.location);
    const what = call ? (call.TypeCast ? 'a STABLE type conversion' : call.A_Expr ? 'a STABLE operator' : 'a STABLE function') : `the default of ${stableDefault!.name} (${stableDefault!.defaultText ?? 'STABLE'})`;
    if (this.target.kind === 'single_shard') {
      const f = this.failure('volatile-function', { level: 'ERROR', message: 'syntax error at or near "NOT"' }, at, 'STABLE function into a single-shard table');
      f.message = `Citus 13.2 cannot run this INSERT..SELECT into the single-shard table ${displayName(this.target)}: ${what} is evaluated on the coordinator and the shard query it rebuilds fails to parse; compute the value in a CTE or pass it as a constant`;
      return f;
    }
    let column: PgNode | undefined;
    walk(returning, (type, _f, wrapper) => {
      if (!column && type === 'ColumnRef') column = wrapper;
    });
    if (!column) return undefined;
    const name = this.insert.relation.relname as string;
    const f = this.failure('volatile-function', { level: 'ERROR', message: `missing FROM-clause entry for table "${name}"` }, this.pos.nodeRange(column), 'RETURNING after coordinator evaluation');
    f.message = `Citus 13.2 fails on this INSERT..SELECT: ${what} is evaluated on the coordinator, and the shard query it rebuilds refers to the target in RETURNING by its name "${name}" while it aliases it; give the target an alias (INSERT INTO ${name} AS ${name} ...)`;
    return f;
  }

  /**
   * AddInsertSelectCasts: a SELECT column whose type is not its target column's gets a cast, and the
   * original entry becomes a junk entry when GROUP BY uses it. When the column is a binary-compatible cast
   * of a column to another text type (`key::varchar` into a text column), the relabelled entry the worker
   * query gets is the bare column, which the GROUP BY does not contain (a PostgreSQL error on the workers).
   * Seen with the join-order planner (MultiNodeTree), not with subquery pushdown.
   */
  private castGroupError(): Failure | undefined {
    const root = this.qm.root;
    if (root.setOp || !root.select.groupClause?.length) return undefined;
    if (!root.targets.some((t) => t.expr?.TypeCast?.arg?.ColumnRef)) return undefined;
    // the subquery pushdown planner (a subquery or sublink anywhere) builds the worker query differently
    if (this.qm.levels.length > 1) return undefined;
    const listed = (this.insert.cols ?? []).map((c: PgNode) => c.ResTarget?.name as string);
    const grouped = new Set<number>();
    for (const g of root.select.groupClause as PgNode[]) {
      const ordinal = g.A_Const?.ival;
      if (ordinal !== undefined) grouped.add((ordinal.ival ?? 0) - 1);
      else root.targets.forEach((t, i) => {
        if (t.expr && sameTree(t.expr, g)) grouped.add(i);
      });
    }
    for (const i of grouped) {
      const t = root.targets[i];
      const cast = t?.expr?.TypeCast;
      if (!cast?.arg?.ColumnRef) continue;
      const column = listed.length ? findColumn(this.target, listed[i]) : this.target.columns[i];
      const from = this.expressionType(cast.arg, root);
      const to = castTypeName(cast.typeName);
      if (!column || !from || to === column.type || !isTextLike(from) || !isTextLike(to) || !isTextLike(column.type)) continue;
      const name = nameList(cast.arg.ColumnRef.fields).join('.');
      const f = this.failure('group-by-without-dist-column', { level: 'ERROR', message: `column "${name}" must appear in the GROUP BY clause or be used in an aggregate function` }, this.pos.nodeRange(t.expr, t.location), 'cast in GROUP BY');
      f.message = `Citus casts ${to} back to ${column.type} for ${column.name}, and the worker query then groups by ${to} but selects the bare column ${name}: PostgreSQL rejects it; drop the cast (the column already has the target's type family)`;
      return f;
    }
    return undefined;
  }

  private dmlCteTarget(cte: CteDef): { node: PgNode; table?: TableModel } | undefined {
    const q = cte.query;
    const node = q.InsertStmt ?? q.UpdateStmt ?? q.DeleteStmt ?? q.MergeStmt;
    if (!node?.relation) return undefined;
    return { node, table: this.model.resolve(node.relation.schemaname, node.relation.relname, this.session.searchPath) };
  }

  dmlCteTable(cte: CteDef): TableModel | undefined {
    return this.dmlCteTarget(cte)?.table;
  }

  private multiTaskRefused(): boolean {
    return this.model.settings.get('citus.multi_task_query_log_level') === 'error';
  }

  private multiTaskFailure(what: string): Failure {
    const f = this.failure('multi-task-query', { level: 'ERROR', message: MSG.multiTask, hint: MSG.multiTaskHint }, this.pos.statementRange(), 'multi-task query refused');
    f.message = `The ${what} runs as several tasks and citus.multi_task_query_log_level is error: Citus refuses it ("${MSG.multiTask}")`;
    return f;
  }

  private selectCallsNextval(): boolean {
    let found = false;
    walk(this.insert.selectStmt, (type, f) => {
      if (found) return false;
      if (type === 'FuncCall' && functionName(f) === 'nextval') found = true;
      return undefined;
    });
    return found;
  }

  insertAddsNextval(): boolean {
    return !!this.target && this.omittedColumns().some((c) => c.defaultKind === 'sequence' || c.defaultKind === 'identity');
  }

  /**
   * The one shard a data-modifying CTE writes, as the router planner sees it: `g<colocation>` for a single-shard table,
   * `g<colocation>:<shard>` for an UPDATE / DELETE pinned by `dist = constant` (`any` when the model cannot hash the
   * value), `alone` when it writes one shard the model cannot name, undefined when it writes several, or a reference or
   * citus-local table (the router planner refuses those).
   */
  dmlCteShard(cte: CteDef): string | undefined {
    const dml = this.dmlCteTarget(cte);
    if (!dml?.table || !isCitusTable(dml.table)) return undefined;
    // one the router planner would not route on its own (a subquery it plans first, a volatile function, a join it
    // refuses) is not taken with the query
    const alone = this.dmlCteAlone(cte);
    if (alone && (alone.outcome === 'coordinator' || alone.outcome === 'multi_shard')) return undefined;
    if (alone?.outcome === 'error' && alone.findings.some((f) => UNROUTABLE_CTE_RULES.has(f.rule) && f.citus.message !== MSG.replicatedPartition)) return undefined;
    // its own CTEs with a VOLATILE function (ModifyPartialQuerySupported: `Router planner doesn't support VOLATILE
    // functions in common table expressions`)
    const ownWith = dml.node.withClause?.WithClause ?? dml.node.withClause;
    if ((ownWith?.ctes ?? []).some((c: PgNode) => firstVolatileCall(c.CommonTableExpr?.ctequery, this.model))) return undefined;
    // a reference or citus-local table: `cannot router plan modification of a non-distributed table`, run first
    if (dml.table.kind === 'single_shard') return `g${dml.table.colocationId}`;
    if (!hasDistributionKey(dml.table)) return undefined;
    if (!cte.query.UpdateStmt && !cte.query.DeleteStmt) return undefined;
    const table = dml.table;
    const dist = table.distributionColumn;
    for (const c of conjuncts(dml.node.whereClause)) {
      const e = c.A_Expr;
      if (e?.kind !== 'AEXPR_OP' || nameList(e.name).join('') !== '=') continue;
      const [l, r] = [e.lexpr, e.rexpr].map((x: PgNode) => x?.TypeCast?.arg ?? x);
      const isKey = (x: PgNode | undefined): boolean => !!x?.ColumnRef && nameList(x.ColumnRef.fields).pop() === dist;
      const value = isKey(l) && r?.A_Const ? r.A_Const : isKey(r) && l?.A_Const ? l.A_Const : undefined;
      if (!value) continue;
      const text = value.ival !== undefined ? String(value.ival.ival ?? 0) : value.sval !== undefined ? value.sval.sval : value.fval?.fval;
      const hash = text === undefined ? undefined : distributionHash(hashTypeOf(table.columns.find((col) => col.name === dist), this.model.domains), text);
      // (a value the model cannot hash: one shard, which one unknown)
      return hash === undefined ? 'any' : `g${table.colocationId}:${shardIndex(hash, table.shardCount ?? this.model.defaultShardCount)}`;
    }
    // one shard on its own by another route (`id IN (SELECT id .. WHERE id = 1)`): which one is not known here, so it
    // goes with a query that reads no other shard only (../planner/recursive.ts dmlCtesOnShardOf)
    return alone?.outcome === 'single_shard' ? 'alone' : undefined;
  }

  private readonly dmlCteAloneCache = new Map<CteDef, DmlResult | undefined>();
  /**
   * A data-modifying CTE as a statement of its own (the DML predictor): the router planner takes it with the query
   * only when Citus routes it to one shard; otherwise it becomes a subplan, planned on its own (CreateDistributedSubPlan),
   * with its own errors. Undefined when it reads the statement's other CTEs (no statement of its own) or an unknown table.
   */
  private dmlCteAlone(cte: CteDef): DmlResult | undefined {
    if (!this.dmlCteAloneCache.has(cte)) this.dmlCteAloneCache.set(cte, this.computeDmlCteAlone(cte));
    return this.dmlCteAloneCache.get(cte);
  }

  private computeDmlCteAlone(cte: CteDef): DmlResult | undefined {
    // (an INSERT .. SELECT is not the DML predictor's: only UPDATE, DELETE and INSERT .. VALUES)
    const q = cte.query;
    const values = q.InsertStmt && (!q.InsertStmt.selectStmt || (q.InsertStmt.selectStmt.SelectStmt?.valuesLists && (!q.InsertStmt.selectStmt.SelectStmt.op || q.InsertStmt.selectStmt.SelectStmt.op === 'SETOP_NONE')));
    if (!q.UpdateStmt && !q.DeleteStmt && !values) return undefined;
    const names = new Set<string>();
    walk(this.stmt.ast, (type, f) => {
      if (type === 'CommonTableExpr') names.add(f.ctename);
    });
    let readsCte = false;
    walk(cte.query, (type, f) => {
      if (type === 'RangeVar' && !f.schemaname && names.has(f.relname)) readsCte = true;
    });
    if (readsCte) return undefined;
    const alone: ParsedStatement = { ...this.stmt, ast: cte.query };
    const res = predictDml(alone, this.model, this.session);
    return res?.outcome ? res : undefined;
  }

  dmlCteError(cte: CteDef): Failure | undefined {
    const dml = this.dmlCteTarget(cte);
    if (!dml) return undefined;
    const alone = this.dmlCteAlone(cte);
    const refused = alone?.outcome === 'error' ? (alone.findings.find((f) => f.citus.level === 'ERROR') ?? alone.findings[0]) : undefined;
    if (refused) return refused;
    const rv = dml.node.relation;
    const table = dml.table;
    const replicated = table && replicatedPartitionError(this.model, table);
    return replicated ? this.failure('tables-not-colocated', { level: 'ERROR', ...replicated }, this.pos.nameRange(rv.location), 'partition of a replicated table') : undefined;
  }

  /** The target's columns the INSERT leaves out (they take their defaults). */
  private omittedColumns(): TableModel['columns'] {
    const listed = (this.insert.cols ?? []).map((c: PgNode) => c.ResTarget?.name as string);
    const width = listed.length || this.qm.root.targets.length;
    return this.target.columns.filter((c, i) => (listed.length ? !listed.includes(c.name) : i >= width) && !c.generated);
  }

  /**
   * A router INSERT..SELECT whose SELECT is a set operation, into a table with a default for a column the
   * INSERT leaves out: the shard query gets the default in its column list but not in the set operation's
   * target list (`INSERT has more target columns than expressions`, Citus 13.2).
   */
  private setOperationDefaultsError(): Failure | undefined {
    if (!this.qm.root.setOp) return undefined;
    const col = this.omittedColumns().find((c) => c.defaultKind !== 'none');
    if (!col) return undefined;
    const f = this.failure('set-operation-blocks-pushdown', { level: 'ERROR', message: 'INSERT has more target columns than expressions' }, this.selectRange(), 'set operation with a column default');
    f.message = `Citus 13.2 fails on this single-shard INSERT..SELECT: the shard query adds the default of ${col.name} to the column list but not to the ${this.qm.root.setOp.op}; wrap the set operation in a subquery (SELECT * FROM (...) s) or list ${col.name}`;
    return f;
  }

  /** `INSERT INTO t (arr[1], comp.f) SELECT ...`: Citus cannot reorder such target lists (rules note §3.3). */
  private targetIndirection(): Failure | undefined {
    for (const c of this.insert.cols ?? []) {
      const rt = c.ResTarget;
      if (!rt?.indirection?.length) continue;
      return this.failure('insert-target-subscript', { level: 'ERROR', message: MSG.targetIndirection, hint: MSG.targetIndirectionHint }, this.pos.nodeRange(undefined, rt.location), 'subscript in the column list');
    }
    return undefined;
  }

  private result(method: Method, findings: Failure[], targetName: string, decisive?: Failure): PlannerResult {
    const all = decisive ? [decisive, ...findings.filter((f) => f !== decisive)] : findings;
    // Citus prints the DEBUG reasons first (the pushdown rejection, then the rest), then the ERROR
    const reasons: CitusMessage[] = [];
    const add = (m: CitusMessage): void => {
      if (!reasons.some((r) => r.level === m.level && r.message === m.message && r.detail === m.detail)) reasons.push(m);
    };
    for (const f of all) if (f.citus.level === 'DEBUG' && !f.synthetic) add(f.citus);
    for (const f of all) if (f.citus.level === 'ERROR' && !f.synthetic) add(f.citus);
    if (method === 'repartition') add({ level: 'DEBUG', message: MSG.repartitioned });
    if (method === 'pull_to_coordinator') add({ level: 'DEBUG', message: MSG.collecting });
    // one finding per construct (rule + range); where Citus refuses, its ERROR wording is the one shown
    const byKey = new Map<string, Failure>();
    for (const f of all) {
      const key = `${f.rule}:${f.range.start}:${f.range.end}`;
      const prev = byKey.get(key);
      if (!prev) byKey.set(key, f);
      else if (prev.citus.level === 'DEBUG' && f.citus.level === 'ERROR') byKey.set(key, { ...f, fix: f.fix ?? prev.fix });
    }
    const ordered = [...byKey.values()];
    return { method, reasons, findings: ordered, targetName, summary: ordered[0]?.summary };
  }

  private unknownTable(name: string, location: number): Failure {
    return {
      rule: 'unknown-table',
      citus: { level: 'ERROR', message: `relation "${name}" is not known to the schema model` },
      range: this.pos.nameRange(location),
      summary: 'unknown table',
      message: `Unknown table "${name}": no DDL, snapshot or cluster defines it, so the method cannot be predicted`,
      explanation: EXPLANATIONS['unknown-table'].explanation,
    };
  }

  /** A target that is not a Citus table: plain PostgreSQL INSERT, fed on the coordinator when the SELECT is distributed. */
  private localTarget(targetName: string): PlannerResult {
    const citusRel = this.qm.rels.find((r) => isCitusTable(r.table)) ?? this.qm.dmlTables.find((t) => isCitusTable(t));
    // CheckValidResultRel: PostgreSQL's executor refuses to change a materialized view when it starts (after
    // Citus planned a distributed SELECT, whose own errors come first)
    const matview = this.target.kind === 'matview' ? this.matviewTarget() : undefined;
    if (!citusRel) return matview ? this.result('error', [matview], targetName) : { method: 'not_applicable', reasons: [], findings: [], targetName, summary: 'plain PostgreSQL' };
    const f = this.failure(
      'local-table-in-select',
      { message: `INSERT target ${displayName(this.target)} is not a Citus table: the distributed SELECT's rows are collected on the coordinator and inserted locally` },
      this.pos.nameRange(this.insert.relation.location),
      'local target',
    );
    f.message = `${displayName(this.target)} is a local (non-Citus) table: every row of the distributed SELECT goes through the coordinator`;
    // the SELECT is planned as a distributed query (CreateInsertSelectIntoLocalTablePlan): its errors are final
    const plan = this.planFallbackSelect(this.isRouterSelect());
    if (plan.error) return this.result('error', [f, plan.error], targetName, plan.error);
    if (matview) return this.result('error', [matview], targetName);
    // Citus prints no reason here: the plan is a plain Insert above the distributed SELECT
    return { method: 'pull_to_coordinator', reasons: [], findings: [f], targetName, summary: 'local target' };
  }

  private matviewTarget(): Failure {
    const message = DML_MSG.cannotChangeMatview(this.target.name);
    const f = this.failure('modify-materialized-view', { level: 'ERROR', message }, this.pos.nameRange(this.insert.relation.location), 'materialized view modified');
    f.message = `${displayName(this.target)} is a materialized view: ${message}; insert into a table (a rollup table) instead, or REFRESH the view`;
    return f;
  }

  // ---- ON CONFLICT (errors, no fallback) --------------------------------------------------------
  /**
   * Citus 13.2 planning an INSERT..SELECT into a view over a Citus table (checked on Citus 13.2.2 by running them): a
   * column the INSERT writes whose view name is not the table's (`CREATE VIEW v (t) AS SELECT tenant_id ..`, `AS
   * cnt`) fails while the statement is planned, `cache lookup failed for type 0`; `excluded.` in ON CONFLICT DO
   * UPDATE fails when it runs, `missing FROM-clause entry for table "excluded_1"`.
   */
  private viewInsertBug(columns: ReadonlyMap<string, string>, view: TableModel): Failure | undefined {
    const rv = this.insert.relation;
    const written: string[] = this.insert.cols?.length ? this.insert.cols.map((c: PgNode) => c.ResTarget?.name) : view.columns.map((c) => c.name);
    const renamed = written.find((c) => columns.has(c) && columns.get(c) !== c);
    if (renamed) {
      const f = this.failure('modify-view', { level: 'ERROR', message: 'cache lookup failed for type 0' }, this.pos.nameRange(rv.location), 'renamed view column');
      f.message = `${displayName(view)}.${renamed} is ${columns.get(renamed)} of ${displayName(this.target)} under another name: Citus 13.2 fails to plan an INSERT..SELECT that writes a renamed view column (cache lookup failed for type 0); insert into ${displayName(this.target)} directly`;
      return f;
    }
    const oc = this.insert.onConflictClause?.OnConflictClause ?? this.insert.onConflictClause;
    if (oc?.action === 'ONCONFLICT_UPDATE') {
      let excluded: PgNode | undefined;
      walk([oc.targetList, oc.whereClause], (type, fields, wrapper) => {
        if (!excluded && type === 'ColumnRef' && fields.fields?.length > 1 && nameList(fields.fields)[0]?.toLowerCase() === 'excluded') excluded = wrapper;
      });
      if (excluded) {
        const f = this.failure('modify-view', { level: 'ERROR', message: 'missing FROM-clause entry for table "excluded_1"' }, this.pos.nodeRange(excluded), 'excluded through a view');
        f.message = `Citus 13.2 runs an INSERT..SELECT into a view with ON CONFLICT DO UPDATE .. excluded.* and fails (missing FROM-clause entry for table "excluded_1"); insert into ${displayName(this.target)} directly`;
        return f;
      }
    }
    return undefined;
  }

  /** Whether a view's query reads a Citus table (views in it followed). */
  private viewReadsCitus(view: TableModel): boolean {
    const q = viewQueryOf(view)?.SelectStmt;
    return !!q && buildQueryModel(q, undefined, this.buildContext()).rels.some((r) => isCitusTable(r.table));
  }

  /** transformOnConflictClause(): DO UPDATE needs to know which unique key it is about (any target). */
  private conflictWithoutInference(): Failure | undefined {
    const oc = this.insert.onConflictClause?.OnConflictClause ?? this.insert.onConflictClause;
    if (oc?.action !== 'ONCONFLICT_UPDATE' || oc.infer) return undefined;
    const range = this.pos.keywordRange('CONFLICT', oc.targetList?.[0] ?? oc.location) ?? this.pos.statementRange();
    return this.failure('on-conflict-without-matching-key', { level: 'ERROR', message: MSG.conflictInference, hint: MSG.conflictInferenceHint }, range, 'ON CONFLICT DO UPDATE without a key');
  }

  /** PostgreSQL's unique index inference (../schema/arbiters.ts): the clause names no unique index of the target. */
  private arbiterFailure(): Failure | undefined {
    const oc = this.insert.onConflictClause?.OnConflictClause ?? this.insert.onConflictClause;
    const infer = oc?.infer;
    const named = namedArbiterError(this.target, infer, oc?.action);
    if (named) return this.failure('on-conflict-without-matching-key', { level: 'ERROR', message: named.message }, this.pos.keywordRange('CONSTRAINT', infer) ?? this.pos.nodeRange(infer), named.summary);
    if (inferArbiter(this.target, infer) !== 'none') return undefined;
    const range = this.pos.keywordRange('CONFLICT', infer) ?? this.pos.nodeRange(infer);
    return this.failure('on-conflict-without-matching-key', { level: 'ERROR', message: MSG.noArbiter }, range, 'no matching unique key');
  }

  private onConflictErrors(): Failure | undefined {
    const oc = this.insert.onConflictClause?.OnConflictClause ?? this.insert.onConflictClause;
    if (!oc) return undefined;
    const arbiter = this.arbiterFailure();
    if (arbiter) return arbiter;
    if (oc.action !== 'ONCONFLICT_UPDATE') return undefined;
    const dist = hasDistributionKey(this.target) ? this.target.distributionColumn : undefined;
    // calls, operators and conversions as PostgreSQL resolves them (`'x' || excluded.n` is textanycat, STABLE)
    // (the semantic layer's model of the statement resolved them in context; one is built when the predictor has none)
    const typed = this.query ?? typedExpressions(conflictFrom(this.insert.relation), conflictExprs(oc), this.buildContext());
    const mutable = (e: PgNode | undefined): PgNode | undefined => (typed ? firstMutable(e, this.model, typed) : firstMutableCall(e, this.model));
    for (const t of oc.targetList ?? []) {
      const rt = t.ResTarget;
      if (!rt) continue;
      if (dist && rt.name === dist) {
        const v = rt.val?.ColumnRef ? nameList(rt.val.ColumnRef.fields) : undefined;
        const ok = v && v[v.length - 1] === dist && (v.length === 1 || v[0].toLowerCase() === 'excluded' || v[0] === (this.insert.relation.alias?.aliasname ?? this.target.name));
        if (!ok) {
          return this.failure('on-conflict-modifies-dist-column', { level: 'ERROR', message: MSG.modifyPartition }, this.pos.nodeRange(rt.val, rt.location), 'modifies the distribution column');
        }
        continue;
      }
      const bad = mutable(rt.val);
      if (bad) return this.failure('on-conflict-mutable-function', { level: 'ERROR', message: MSG.onConflictSet }, this.pos.nodeRange(bad), 'mutable function in ON CONFLICT');
      const sub = this.distributedSublink(rt.val);
      if (sub) {
        return this.failure('on-conflict-distributed-subquery', { level: 'ERROR', message: MSG.shardQuery, detail: MSG.shardQueryDetail }, this.pos.nodeRange(sub), 'subquery in ON CONFLICT');
      }
    }
    for (const w of [oc.whereClause, (oc.infer?.InferClause ?? oc.infer)?.whereClause]) {
      const bad = mutable(w);
      if (bad) return this.failure('on-conflict-mutable-function', { level: 'ERROR', message: MSG.onConflictWhere }, this.pos.nodeRange(bad), 'mutable function in ON CONFLICT');
    }
    return undefined;
  }

  /** A subquery that reads a distributed table (it would run on a shard, where Citus refuses it). */
  private distributedSublink(expr: PgNode | undefined): PgNode | undefined {
    let found: PgNode | undefined;
    walk(expr, (type, f, wrapper) => {
      if (found || type !== 'SubLink') return;
      walk(f.subselect, (t, rv) => {
        if (t === 'RangeVar' && !found) {
          const table = this.model.resolve(rv.schemaname, rv.relname, this.session.searchPath);
          if (table && isDistributed(table)) found = wrapper;
        }
      });
    });
    return found;
  }

  private volatility(name: string): Volatility {
    return volatilityIn(this.model, name);
  }

  // ---- router pre-check -------------------------------------------------------------------------
  /**
   * InsertSelectHasRouterSelect: the SELECT alone is router-plannable (CreateRouterPlan: all its
   * distributed tables prune to one colocated shard, or it reads only reference / citus-local tables).
   */
  private isRouterSelect(): boolean {
    if (this.qm.rels.length === 0) return false;
    return new SelectPlanner(this, true, this.qm.root, false).routerPlannable(this.qm.root, true);
  }

  /** Router (one task) vs pushdown when every check passed. */
  private isSingleTask(routerSelect: boolean): boolean {
    if (this.target.kind === 'reference' || this.target.kind === 'single_shard' || this.target.kind === 'citus_local') return true;
    if (this.target.shardCount === 1) return true;
    if (!routerSelect) return false;
    // a reference table in the SELECT does not prune: every target shard gets a task
    return !this.qm.rels.some((r) => r.table.kind === 'reference');
  }

  private equivalenceCache?: UnionFind;
  equivalence(): UnionFind {
    if (this.equivalenceCache) return this.equivalenceCache;
    const uf = new UnionFind();
    this.equivalenceCache = uf;
    const joined = new Set<string>();
    // (an equality Citus does not see, see SelectPlanner.unseenEquality; only where a constant may pin a class)
    const planner = this.qm.constFilters.length ? new SelectPlanner(this, true, this.qm.root, false) : undefined;
    // Citus' classes hold distribution columns only (AddRteRelationToAttributeEquivalenceClass): two relations are
    // joined through another column (a reference table's, a non-distribution column) only when PostgreSQL put the
    // equalities in one equivalence class. An outer join's ON makes none; a correlated subquery's `x = outer.y` puts
    // a parameter in x's class, which Citus reads as y when y is a distribution column (GetVarFromAssignedParam);
    // and an outer join's `inner.x = outer.y` whose y is in such a class gives x that parameter too
    // (reconsider_outer_join_clauses)
    // (a VALUES' or a function's column in FROM is a member of PostgreSQL's classes too, which Citus skips)
    const distColumn = (o: Origin): boolean => o.kind === 'column' && hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column;
    const others = new Map<Origin, string>();
    const keyOf = (o: Origin): string | undefined => originKey(o, others);
    let ecPlanner = planner;
    const outerJoinClauses: [string, string][] = [];
    const params = new Map<string, string>();
    for (const e of this.qm.equalities) {
      const ka = keyOf(e.a);
      const kb = keyOf(e.b);
      if (!ka || !kb || planner?.unseenEquality(e)) continue;
      const kind = distColumn(e.a) && distColumn(e.b) ? 'class' : (ecPlanner ??= new SelectPlanner(this, true, this.qm.root, false)).equalityKind(e);
      if (kind === 'outer') outerJoinClauses.push([ka, kb]);
      if (kind !== 'class') {
        if (typeof kind === 'object') {
          const [inner, outer] = kind.param === 'a' ? [kb, ka] : [ka, kb];
          if (distColumn(kind.param === 'a' ? e.a : e.b)) params.set(inner, outer);
        }
        continue;
      }
      uf.union(ka, kb);
      joined.add(ka);
      joined.add(kb);
    }
    for (const [inner, outer] of params) uf.union(inner, outer);
    for (const [ka, kb] of outerJoinClauses) {
      for (const [inner, outer] of params) {
        if (uf.find(inner) === uf.find(ka)) uf.union(kb, outer);
        else if (uf.find(inner) === uf.find(kb)) uf.union(ka, outer);
      }
    }
    // a column of a UNION [ALL] that is joined stands for the same column of every leaf
    // (AddUnionAllSetOperationsToAttributeEquivalenceClass); its origin is the first leaf's column. A union nested in a
    // leaf (`a UNION ALL SELECT * FROM (b UNION ALL c) x`) is joined through the outer one: repeated until nothing changes
    const unions = this.qm.levels.filter((l) => l.setOp?.op === 'UNION');
    for (let changed = unions.length > 0; changed; ) {
      changed = false;
      for (const level of unions) {
        const leaves = level.setOp!.leaves;
        for (let i = 0; i < (leaves[0]?.targets.length ?? 0); i++) {
          const first = this.originOf(leaves[0], i);
          if (first.kind !== 'column') continue;
          const key = colKey(first.rel, first.column);
          if (!joined.has(key)) continue;
          for (const leaf of leaves.slice(1)) {
            const o = this.originOf(leaf, i);
            if (o.kind !== 'column') continue;
            const other = colKey(o.rel, o.column);
            uf.union(key, other);
            if (!joined.has(other)) {
              joined.add(other);
              changed = true;
            }
          }
        }
      }
    }
    return uf;
  }

  // ---- pushdown checks (§3.1) -------------------------------------------------------------------
  private pushdownFailures(routerSelect: boolean): Failure[] {
    const failures: Failure[] = [];
    const rels = this.qm.rels;
    const selectRels = rels.filter((r) => !this.isInsertCteOnly(r));
    const citusRels = selectRels.filter((r) => isCitusTable(r.table));
    const distributedRels = selectRels.filter((r) => isDistributed(r.table));
    const localRels = selectRels.filter((r) => !isCitusTable(r.table));
    const citusLocalRels = selectRels.filter((r) => r.table.kind === 'citus_local');
    const insertCte = this.insert.withClause ? this.insertCteFailure() : undefined;

    // 1. no Citus table in the SELECT
    if (citusRels.length === 0) {
      const culprit = localRels[0];
      const fromItem = this.qm.root.items.find((it) => it.kind === 'function' || it.kind === 'values');
      const itemLoc = fromItem && (fromItem.kind === 'function' || fromItem.kind === 'values') ? fromItem.location : undefined;
      const itemRange = itemLoc === undefined ? undefined : fromItem?.kind === 'values' ? (this.pos.keywordRange('VALUES', itemLoc + 1) ?? this.pos.nodeRange(undefined, itemLoc)) : this.pos.nodeRange(undefined, itemLoc);
      const range = culprit ? this.pos.nameRange(culprit.location) : insertCte ? insertCte.range : (itemRange ?? this.selectRange());
      const rule = insertCte ? 'insert-level-cte' : culprit ? 'local-table-in-select' : 'select-without-distributed-table';
      failures.push(this.failure(rule, { message: MSG.onlyDistributed }, range, insertCte ? 'INSERT-level CTE' : culprit ? 'local table' : 'no distributed table', insertCte?.fix));
      this.addMissingDistColumn(failures);
      return failures;
    }
    // 2. distributed + (citus-)local
    if (distributedRels.length && (localRels.length || citusLocalRels.length)) {
      const culprit = localRels[0] ?? citusLocalRels[0];
      failures.push(this.failure('local-table-in-select', { message: MSG.distAndLocal }, this.pos.nameRange(culprit.location), 'local table'));
    } else if (distributedRels.length && this.target.kind === 'citus_local') {
      failures.push(this.failure('local-table-in-select', { message: MSG.intoCitusLocal }, this.pos.nameRange(this.insert.relation.location), 'citus-local target'));
    } else if (localRels.length) {
      failures.push(this.failure('local-table-in-select', { message: MSG.fromLocal }, this.pos.nameRange(localRels[0].location), 'local table'));
    }
    // 5. a view as the target (DistributedInsertSelectSupported looks for one in the range table)
    if (this.viewTarget) failures.push(this.failure('modify-view', { message: MSG.intoView }, this.pos.nameRange(this.insert.relation.location), 'INSERT into a view'));
    // 6. volatile functions anywhere (and sequence defaults of omitted columns)
    const volatile = this.volatileFailure();
    if (volatile) failures.push(volatile);
    // 7. SQL shape, unless the SELECT is router-plannable
    if (!routerSelect && failures.length === 0) {
      const shape = this.shapeFailures();
      failures.push(...shape);
    }
    if (failures.length === 0) {
      // 8b/8c: reference target / local relations
      if (this.target.kind === 'reference' && selectRels.some((r) => r.table.kind !== 'reference')) {
        const culprit = selectRels.find((r) => r.table.kind !== 'reference')!;
        failures.push(this.failure('reference-target-from-distributed', { message: MSG.referenceTarget }, this.pos.nameRange(culprit.location), 'reference target'));
      } else if (isDistributed(this.target) && selectRels.some((r) => r.table.kind === 'citus_local' || r.table.kind === 'matview')) {
        const culprit = selectRels.find((r) => r.table.kind === 'citus_local' || r.table.kind === 'matview')!;
        failures.push(this.failure('local-table-in-select', { message: MSG.localRelation }, this.pos.nameRange(culprit.location), 'local relation'));
      }
    }
    // 8d: the distribution column
    if (failures.length === 0 || !failures.some((f) => f.rule === 'dist-column-missing')) {
      const partition = failures.length === 0 ? this.partitionColumnFailure() : undefined;
      if (partition) failures.push(partition, ...this.partitionAdvice(partition, distributedRels));
    }
    // 9: colocation
    if (failures.length === 0) {
      const coloc = this.colocationFailure(distributedRels);
      if (coloc) failures.push(coloc);
    }
    if (insertCte && failures.length && !failures.some((f) => f.rule === 'insert-level-cte')) failures.push(insertCte);
    this.addMissingDistColumn(failures);
    return failures;
  }

  /** Relations read only inside an INSERT-level CTE: the SELECT's own range table does not contain them. */
  private isInsertCteOnly(r: RelOcc): boolean {
    const insertLevels = new Set([...this.qm.insertCtes.values()].map((c) => c.level).filter(Boolean));
    for (let l: QueryLevel | undefined = r.level; l; l = l.parent) if (insertLevels.has(l)) return true;
    return false;
  }

  private selectRange(): Range {
    return this.pos.nodeRange(this.insert.selectStmt);
  }

  /** The target's distribution column is not in the INSERT column list: every row fails at execution. */
  private addMissingDistColumn(failures: Failure[]): void {
    if (!hasDistributionKey(this.target) || failures.some((f) => f.rule === 'dist-column-missing')) return;
    const pos = this.distPosition();
    if (pos.index >= 0) return;
    const col = findColumn(this.target, this.target.distributionColumn!);
    if (col && col.defaultKind !== 'none') return; // filled by its default on the coordinator
    const range = this.insert.cols?.length ? this.columnListRange() : this.pos.nameRange(this.insert.relation.location);
    failures.push(this.failure('dist-column-missing', { message: MSG.partitionMismatch, detail: DETAIL.doesNotInclude, hint: MSG.partitionHint }, range, 'distribution column missing', this.missingColumnFix()));
  }

  private columnListRange(): Range {
    const cols: PgNode[] = this.insert.cols;
    const first = this.pos.doc(cols[0].ResTarget.location);
    const lastStart = this.pos.doc(cols[cols.length - 1].ResTarget.location);
    return { start: first, end: lastStart + nameLength(this.text, this.pos.local(lastStart)) };
  }

  /** Index of the target's distribution column in the INSERT column order, -1 when absent. */
  private distPosition(): { index: number; column?: string } {
    const dist = this.target.distributionColumn;
    if (!dist) return { index: -1 };
    const cols: string[] = this.insert.cols?.length ? this.insert.cols.map((c: PgNode) => c.ResTarget?.name) : this.target.columns.map((c) => c.name);
    const index = cols.indexOf(dist);
    if (index < 0) return { index: -1 };
    const width = this.qm.root.targets.length;
    if (!this.insert.cols?.length && index >= width) return { index: -1 };
    return { index, column: dist };
  }

  /**
   * Adds the distribution column to the column list, the SELECT list and the GROUP BY: in front (the
   * usual rollup layout), or at the end when the GROUP BY uses ordinals, so they keep their meaning.
   * No fix when the SELECT aggregates without GROUP BY (a new column would need a GROUP BY and change
   * what is counted).
   */
  private missingColumnFix(): Fix | undefined {
    const dist = this.target.distributionColumn;
    const root = this.qm.root;
    if (!dist || root.setOp || !this.insert.cols?.length) return undefined;
    const source = root.items.find((it) => it.kind === 'rel' && hasDistributionKey(it.rel.table) && findColumn(it.rel.table, dist));
    if (!source || source.kind !== 'rel') return undefined;
    const group: PgNode[] = root.select.groupClause ?? [];
    if (!group.length && (levelHasAggregates(root) || root.select.distinctClause)) return undefined;
    const targets: PgNode[] = root.select.targetList ?? [];
    if (!targets.length) return undefined;
    const ref = root.items.length > 1 ? `${source.alias}.${dist}` : dist;
    const cols: PgNode[] = this.insert.cols;
    const title = `Add ${dist} to the column list, the SELECT${group.length ? ' and the GROUP BY' : ''}`;
    const ordinals = group.some((g) => g.A_Const?.ival !== undefined);
    if (!ordinals) {
      const at = (n: PgNode): number => this.pos.doc(firstLoc(n));
      const edits = [
        { range: { start: at(cols[0].ResTarget), end: at(cols[0].ResTarget) }, newText: `${dist}, ` },
        { range: { start: at(targets[0].ResTarget), end: at(targets[0].ResTarget) }, newText: `${ref}, ` },
      ];
      if (group.length) edits.push({ range: { start: at(group[0]), end: at(group[0]) }, newText: `${ref}, ` });
      return { title, edits };
    }
    const end = (n: PgNode): number => this.stmt.start + expressionEnd(this.text, this.pos.local(this.pos.doc(firstLoc(n))));
    const lastCol = this.pos.doc(cols[cols.length - 1].ResTarget.location);
    const colEnd = lastCol + nameLength(this.text, this.pos.local(lastCol));
    return {
      title,
      edits: [
        { range: { start: colEnd, end: colEnd }, newText: `, ${dist}` },
        { range: { start: end(targets[targets.length - 1].ResTarget), end: end(targets[targets.length - 1].ResTarget) }, newText: `, ${ref}` },
        { range: { start: end(group[group.length - 1]), end: end(group[group.length - 1]) }, newText: `, ${ref}` },
      ],
    };
  }

  private insertCteFailure(): Failure {
    const w = this.insert.withClause;
    const withStart = this.stmt.start;
    const insertAt = this.findInsertKeyword();
    const select = this.insert.selectStmt;
    const selectAt = this.pos.doc(firstLoc(select));
    const selectKw = keywordBefore(this.text, this.pos.local(selectAt) + 1, 'SELECT', insertAt !== undefined ? insertAt : 0);
    let fix: Fix | undefined;
    // moving helps only CTEs Citus can inline (plain SELECTs, not MATERIALIZED, referenced once, no volatile
    // functions); a data-modifying CTE must stay at the top level
    const movable = [...this.qm.insertCtes.values()].every((c) => cteInlinable(c, this.volatileIn(c.query)));
    if (insertAt !== undefined && selectKw !== undefined && !w.recursive && movable) {
      const withText = this.text.slice(0, insertAt).replace(/\s+$/, '');
      fix = {
        title: 'Move the CTE into the SELECT (INSERT INTO ... WITH ... SELECT) so Citus can inline it',
        edits: [
          { range: { start: withStart, end: withStart + insertAt }, newText: '' },
          { range: { start: this.stmt.start + selectKw, end: this.stmt.start + selectKw }, newText: `${withText} ` },
        ],
      };
    }
    const range = { start: withStart, end: withStart + (insertAt ?? 4) };
    return this.failure('insert-level-cte', { message: MSG.onlyDistributed }, { start: range.start, end: Math.max(range.start + 4, this.stmt.start + keywordEndOfWith(this.text)) }, 'INSERT-level CTE', fix);
  }

  /** Offset (in the statement) of the INSERT keyword that follows a WITH clause. */
  private findInsertKeyword(): number | undefined {
    // skip the CTE bodies: the first top-level INSERT keyword
    let depth = 0;
    const t = this.text;
    for (let i = 0; i < t.length; i++) {
      const c = t[i];
      if (c === "'" || c === '"') {
        const close = t.indexOf(c, i + 1);
        i = close < 0 ? t.length : close;
      } else if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (depth === 0 && /^INSERT\b/i.test(t.slice(i, i + 7)) && (i === 0 || /\W/.test(t[i - 1]))) return i;
    }
    return undefined;
  }

  private volatileFailure(): Failure | undefined {
    let found: { node: PgNode; sequence: boolean } | undefined;
    const scan = (n: unknown): void =>
      walk(n, (type, f, wrapper) => {
        if (found) return false;
        if (type === 'FuncCall') {
          const name = functionName(f);
          if (this.volatility(name) === 'volatile') found = { node: wrapper, sequence: name === 'nextval' };
        }
        return undefined;
      });
    scan(this.insert.withClause);
    scan(this.insert.selectStmt);
    scan(this.insert.returningList);
    if (found) {
      const rule = found.sequence ? 'sequence-default-forces-pull' : 'volatile-function';
      return this.failure(rule, { message: MSG.volatile }, this.pos.nodeRange(found.node), found.sequence ? 'nextval()' : 'volatile function');
    }
    // DEFAULTs of omitted columns
    const given: string[] = this.insert.cols?.length ? this.insert.cols.map((c: PgNode) => c.ResTarget?.name) : this.target.columns.slice(0, this.qm.root.targets.length).map((c) => c.name);
    const omitted = this.target.columns.filter((c) => !given.includes(c.name) && (c.defaultKind === 'sequence' || c.defaultKind === 'identity' || c.defaultKind === 'volatile'));
    if (omitted.length) {
      const c = omitted[0];
      const rule = c.defaultKind === 'volatile' ? 'volatile-function' : 'sequence-default-forces-pull';
      const range = this.insert.cols?.length ? this.columnListRange() : this.pos.nameRange(this.insert.relation.location);
      const what = c.defaultKind === 'identity' ? 'an identity column' : c.defaultKind === 'sequence' ? `a sequence default (${c.defaultText ?? 'nextval'})` : `a volatile default${c.defaultText ? ` (${c.defaultText})` : ''}`;
      const f = this.failure(rule, { message: MSG.volatile }, range, c.defaultKind === 'volatile' ? 'volatile default' : 'sequence default');
      f.message = `Column ${c.name} is omitted and has ${what}: ${MSG.volatile}`;
      return f;
    }
    return undefined;
  }

  // ---- §3.2 SQL shape ---------------------------------------------------------------------------
  private shapeFailures(): Failure[] {
    const out: Failure[] = [];
    const root = this.qm.root;
    // (A) joins and colocation across the whole SELECT
    const a = this.joinFailure(root);
    if (a) return [a];
    // (B) a query whose FROM is only recurring (reference tables, functions, VALUES...) with a correlated
    // subquery over distributed tables
    const b = this.correlatedOverRecurring('DEBUG');
    if (b) return [b];
    // (C) outer joins whose outer side is recurring
    const c = this.recurringOuterJoin();
    if (c) return [c];
    // (D) nested subqueries, then (E) the SELECT itself
    for (const level of this.qm.levels) {
      if (level === root) continue;
      if (level.role === 'setop') {
        // a branch that needs a merge step (LIMIT, GROUP BY off the distribution column, ...) cannot run
        // in the shards: it is planned on its own, and the set operation with it
        const m = level.correlated ? undefined : this.mergeFailure(level);
        if (m) {
          out.push(m);
          return out;
        }
        continue;
      }
      if (level.role === 'cte' && !this.cteInlined(level)) continue;
      const f = this.subqueryFailure(level);
      if (f) {
        out.push(f);
        return out;
      }
    }
    const e = this.subqueryFailure(root);
    if (e) out.push(e);
    return out;
  }

  private cteInlined(level: QueryLevel): boolean {
    for (const l of this.qm.levels) for (const cte of l.ctes.values()) if (cte.level === level) return cteInlinable(cte, this.volatileIn(cte.query));
    return false;
  }

  volatileIn(n: unknown): boolean {
    return firstVolatileCall(n, this.model) !== undefined;
  }

  private levelHasDistributed(level: QueryLevel): boolean {
    if (level.rels.some((r) => hasDistributionKey(r.table))) return true;
    return level.children.some((c) => c.role !== 'sublink' && this.levelHasDistributed(c));
  }

  /** (A): a UNION subquery with aligned distribution columns, or all distributed tables joined on their distribution columns. */
  private joinFailure(root: QueryLevel): Failure | undefined {
    const keyed = this.qm.rels.filter((r) => hasDistributionKey(r.table));
    if (root.setOp) {
      if (keyed.length === 0) return undefined;
      // wrapping helps only a UNION whose branches keep the distribution column in one position, colocated
      const fix = root.setOp.op === 'UNION' && this.unionAligned(root) && root.setOp.leaves.every((l) => !this.mergeFailure(l) && !this.groupingSets(l)) ? this.wrapSetOpFix() : undefined;
      const f = this.failure('set-operation-blocks-pushdown', { message: MSG.complexJoins }, this.setOpKeywordRange(root), 'top-level ' + root.setOp.op, fix);
      // Citus words a top-level set operation as a join problem; lead with what it is, keep its words
      f.message = `${EXPLANATIONS['set-operation-blocks-pushdown'].headline}: a top-level ${root.setOp.op}${root.setOp.all ? ' ALL' : ''} is not pushed down (Citus says: "${MSG.complexJoins}")`;
      return f;
    }
    const unionSub = this.unionSubquery(root);
    if (unionSub) {
      const ok = this.unionAligned(unionSub);
      if (!ok) return this.failure('set-operation-blocks-pushdown', { message: MSG.unionPosition, detail: MSG.unionPositionDetail }, this.setOpKeywordRange(unionSub), 'UNION');
      return undefined;
    }
    if (this.qm.rels.some((r) => !isCitusTable(r.table))) {
      const local = this.qm.rels.find((r) => !isCitusTable(r.table))!;
      return this.failure('local-table-in-select', { message: MSG.complexJoins }, this.pos.nameRange(local.location), 'local table');
    }
    if (keyed.length <= 1) return undefined;
    const uf = this.equivalence();
    const anchor = keyed[0];
    const anchorKey = uf.find(colKey(anchor, anchor.table.distributionColumn!));
    for (const r of keyed.slice(1)) {
      if (uf.find(colKey(r, r.table.distributionColumn!)) !== anchorKey) {
        const coloc = r.table.colocationId !== anchor.table.colocationId;
        const rule = coloc && this.joinedOnDistColumns(anchor, r, uf) ? 'tables-not-colocated' : 'join-not-on-dist-column';
        return this.failure(rule, { message: MSG.complexJoins }, this.pos.nameRange(r.location), rule === 'tables-not-colocated' ? 'not colocated' : 'join not on distribution column');
      }
      if (r.table.colocationId !== anchor.table.colocationId) {
        // joined on the distribution columns, but not colocated: pushdown fails at the colocation check (9)
        continue;
      }
    }
    return undefined;
  }

  private joinedOnDistColumns(a: RelOcc, b: RelOcc, uf: UnionFind): boolean {
    return uf.find(colKey(a, a.table.distributionColumn!)) === uf.find(colKey(b, b.table.distributionColumn!));
  }

  private unionSubquery(root: QueryLevel): QueryLevel | undefined {
    let level: QueryLevel | undefined = root;
    // a FROM subquery, or a CTE Citus inlines into one
    const only = (l: QueryLevel): QueryLevel | undefined => {
      const item = l.items.length === 1 ? l.items[0] : undefined;
      if (item?.kind === 'subquery') return item.level;
      if (item?.kind === 'cte' && item.cte.owner === 'select' && item.cte.level && cteInlinable(item.cte, this.volatileIn(item.cte.query))) return item.cte.level;
      return undefined;
    };
    while (level && only(level)) {
      const sub: QueryLevel = only(level)!;
      if (sub.setOp) return sub.setOp.op === 'UNION' ? sub : undefined;
      level = sub;
    }
    return undefined;
  }

  /**
   * Every UNION leaf returns a distribution column at the same position, all colocated. `planned`: the levels the
   * recursive planner made subplans (a sublink over a table of another colocation group, say): their tables are
   * intermediate results by then, no relation of the union (checked on Citus 13.2.2).
   */
  unionAligned(union: QueryLevel, planned?: ReadonlySet<QueryLevel>): boolean {
    const leaves = union.setOp!.leaves;
    const uf = this.equivalence();
    let position: number | undefined;
    let group: number | undefined;
    for (const leaf of leaves) {
      const idx = leaf.targets.findIndex((_t, i) => isDistColumn(this.originOf(leaf, i)));
      if (idx < 0) return false;
      if (!this.outerSideKeysSelected(leaf)) return false;
      if (position !== undefined && idx !== position) return false;
      position = idx;
      // (EquivalenceListContainsRelationsEquality over the union's class: every distributed table of a leaf has its
      // distribution column in the class of the selected one, through the leaf's joins)
      const selected = this.originOf(leaf, idx);
      const cls = selected.kind === 'column' ? uf.find(colKey(selected.rel, selected.column)) : undefined;
      for (const r of this.relsUnder(leaf, planned)) {
        if (!hasDistributionKey(r.table)) continue;
        if (group !== undefined && r.table.colocationId !== group) return false;
        group = r.table.colocationId;
        if (cls !== undefined && !this.outsideLeafJoins(r, leaf) && uf.find(colKey(r, r.table.distributionColumn!)) !== cls) return false;
      }
    }
    return true;
  }

  /**
   * A relation of a union's leaf that the leaf's joins do not reach: one read through a set operation nested in the leaf
   * (`SELECT .. FROM (a UNION ALL b) bar`: its distribution column joins the union's class through that set operation's
   * own positions, which the equivalence classes do not hold), or one in a sublink PostgreSQL does not pull up.
   * unionAligned leaves it to the positions check.
   */
  private outsideLeafJoins(r: RelOcc, leaf: QueryLevel): boolean {
    for (let l: QueryLevel | undefined = r.level; l && l !== leaf; l = l.parent) {
      if (l.setOp || l.role === 'setop') return true;
      // (a sublink PostgreSQL keeps as a SubPlan, or an anti-join: planned apart, its correlation is no equivalence the
      // model holds; a semi-join it pulls up is a join of the leaf)
      if (l.role === 'sublink' && !pulledUpSemiJoin(l)) return true;
    }
    return false;
  }

  /**
   * PartitionColumnSelectedForOuterJoin: in a leaf with a LEFT (or RIGHT) JOIN that PostgreSQL keeps, every distributed
   * table on the preserved side selects its distribution column (`SELECT b.a FROM a LEFT JOIN b USING (a)` does not:
   * the union is planned on its own; Citus 13.2.2, probes/sql/nested-unions.sql).
   */
  private outerSideKeysSelected(leaf: QueryLevel): boolean {
    if (!leaf.outerJoins.length) return true;
    const removed = removedItems(leaf, (col, l) => this.resolveOrigin(col, l));
    const tree = joinTreeOf(leaf);
    const types = reducedJoinTypesOf(leaf, tree, (col) => this.resolveOrigin(col, leaf));
    const selected = new Set(leaf.targets.flatMap((_t, i) => {
      const o = this.originOf(leaf, i);
      return o.kind === 'column' ? [colKey(o.rel, o.column)] : [];
    }));
    let ok = true;
    const visit = (n: JoinNode): void => {
      if (!ok || n.kind === 'leaf') return;
      if (n.kind === 'list') return n.items.forEach(visit);
      visit(n.left);
      visit(n.right);
      const type = types.get(n) ?? n.type;
      if (type !== 'LEFT' && type !== 'RIGHT') return;
      const [outer, inner] = type === 'LEFT' ? [n.left, n.right] : [n.right, n.left];
      if (joinItems(inner).every((it) => removed.has(it))) return;
      for (const it of joinItems(outer)) {
        if (it.kind !== 'rel' || !hasDistributionKey(it.rel.table)) continue;
        if (!selected.has(colKey(it.rel, it.rel.table.distributionColumn!))) ok = false;
      }
    };
    visit(tree);
    return ok;
  }

  private relsUnder(level: QueryLevel, planned?: ReadonlySet<QueryLevel>): RelOcc[] {
    return [...level.rels, ...level.children.flatMap((c) => (planned?.has(c) ? [] : this.relsUnder(c, planned)))];
  }

  private originOf(level: QueryLevel, index: number): Origin {
    const t = level.setOp ? level.setOp.leaves[0]?.targets[index] : level.targets[index];
    if (!t?.expr) return { kind: 'unknown' };
    return this.resolveOrigin(t.expr, level.setOp ? level.setOp.leaves[0] : level);
  }

  private readonly resolving = new Set<string>();
  private levelId(level: QueryLevel): number {
    return this.qm.levels.indexOf(level);
  }

  private readonly origins = new Map<PgNode, { level: QueryLevel; origin: Origin }>();
  resolveOrigin(expr: PgNode, level: QueryLevel): Origin {
    // a column reference resolves the same way each time it is asked about (memoised at the top of a resolution)
    if (expr.ColumnRef && this.resolving.size === 0) {
      const known = this.origins.get(expr);
      if (known && known.level === level) return known.origin;
      const origin = this.resolveOriginOf(expr, level);
      this.origins.set(expr, { level, origin });
      return origin;
    }
    return this.resolveOriginOf(expr, level);
  }

  private resolveOriginOf(expr: PgNode, level: QueryLevel): Origin {
    if (expr.ColumnRef) {
      const parts = nameList(expr.ColumnRef.fields);
      const col = parts[parts.length - 1];
      const qual = parts.length > 1 ? parts[parts.length - 2] : undefined;
      if (this.resolving.size > 200) return { kind: 'unknown' };
      for (const { level: l } of visibleLevels(level)) {
        for (const item of qual ? l.items.filter((i) => i.alias === qual) : l.items) {
          const key = `${this.levelId(l)}:${item.alias}:${col}`;
          if (this.resolving.has(key)) continue; // a cycle in malformed input
          this.resolving.add(key);
          try {
            const o = this.itemOrigin(item, col, l, qual !== undefined);
            if (o) return o;
          } finally {
            this.resolving.delete(key);
          }
        }
      }
      return { kind: 'unknown' };
    }
    if (expr.A_Const) return { kind: 'const' };
    if (expr.TypeCast?.arg?.ColumnRef) {
      // a cast to the column's own type is no cast: PostgreSQL drops it (`tenant_id::bigint` of a bigint)
      const inner = this.resolveOrigin(expr.TypeCast.arg, level);
      if (inner.kind === 'column' && findColumn(inner.rel.table, inner.column)?.type === castTypeName(expr.TypeCast.typeName)) return inner;
    }
    return { kind: 'expr', node: expr };
  }

  private readonly fullJoinUsing = new Map<QueryLevel, Set<string>>();
  /** Whether `column` is a USING column of a FULL JOIN in the level's FROM clause (its merged column). */
  private fullJoinMerged(level: QueryLevel, column: string): boolean {
    let names = this.fullJoinUsing.get(level);
    if (!names) {
      const found = new Set<string>();
      walk(level.select.fromClause, (type, f) => {
        if (type === 'RangeSubselect' || type === 'SubLink') return false;
        if (type === 'JoinExpr' && f.jointype === 'JOIN_FULL') for (const n of nameList(f.usingClause)) found.add(n);
        return undefined;
      });
      this.fullJoinUsing.set(level, (names = found));
    }
    return names.has(column);
  }

  private itemOrigin(item: FromItem, column: string, from?: QueryLevel, qualified = false): Origin | undefined {
    switch (item.kind) {
      case 'rel': {
        // `FROM events AS e (tid)`: the first columns go by their new names, and their old names are gone
        const renamed = item.colnames ?? [];
        if (renamed.length) {
          const at = renamed.indexOf(column);
          if (at >= 0) {
            const name = item.rel.table.columns[at]?.name;
            return name ? { kind: 'column', rel: item.rel, column: name } : undefined;
          }
          if (item.rel.table.columns.findIndex((c) => c.name === column) < renamed.length) return undefined;
        }
        if (!findColumn(item.rel.table, column)) return undefined;
        // the merged column of a FULL JOIN .. USING is COALESCE(left, right): no column of either input
        if (!qualified && from && this.fullJoinMerged(from, column)) return { kind: 'expr', node: { JoinMergedColumn: { name: column } } };
        return { kind: 'column', rel: item.rel, column };
      }
      case 'subquery': {
        const idx = item.colnames.length ? item.colnames.indexOf(column) : item.level.targets.findIndex((t) => t.name === column);
        return idx < 0 ? undefined : this.originOf(item.level, idx);
      }
      case 'cte': {
        const level = item.cte.level;
        if (!level) return { kind: 'unknown' };
        const idx = level.targets.findIndex((t) => t.name === column);
        if (idx < 0) return undefined;
        // a CTE that stays a CTE, read by the query that owns it, is not followed (FindReferencedTableColumn
        // looks for the owner among the enclosing queries only); INSERT-level CTEs never are
        const owned = item.cte.owner === 'insert' || (from !== undefined && level.parent === from);
        if (owned && !this.cteInlinable(item.cte)) return { kind: 'unknown' };
        return this.originOf(level, idx);
      }
      case 'values':
        return item.colnames.includes(column) ? { kind: 'values' } : undefined;
      case 'function':
        return item.colnames.includes(column) ? { kind: 'function' } : undefined;
      default:
        return { kind: 'unknown' };
    }
  }

  setOpKeywordRange(level: QueryLevel): Range {
    const op = level.setOp!.op;
    const right = level.setOp!.leaves[1];
    const loc = right ? firstLoc(right.select) : firstLoc(level.select);
    return this.pos.keywordRange(op, loc) ?? this.pos.nodeRange(level.select);
  }

  /** The first INTERSECT or EXCEPT keyword of a set operation's tree (`(a EXCEPT b) UNION c`: the EXCEPT). */
  private nonUnionKeywordRange(level: QueryLevel): Range {
    const find = (n: PgNode | undefined): { op: string; loc: number | undefined } | undefined => {
      const s = n?.SelectStmt ?? n;
      if (!s?.op || s.op === 'SETOP_NONE') return undefined;
      if (s.op !== 'SETOP_UNION') return find(s.larg) ?? { op: s.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT', loc: firstLoc(s.rarg) };
      return find(s.larg) ?? find(s.rarg);
    };
    const hit = find(level.select);
    return (hit && this.pos.keywordRange(hit.op, hit.loc)) ?? this.setOpKeywordRange(level);
  }

  /** Wrap a top-level set operation: SELECT * FROM (<set op>) u */
  private wrapSetOpFix(): Fix | undefined {
    const select = this.insert.selectStmt;
    const loc = firstLoc(select);
    const startKw = keywordBefore(this.text, this.pos.local(this.pos.doc(loc)) + 1, 'SELECT');
    if (startKw === undefined) return undefined;
    let end = this.text.length;
    const trimmed = this.text.replace(/;\s*$/, '');
    end = trimmed.length;
    const tail = [this.insert.onConflictClause, this.insert.returningList?.[0]].filter(Boolean).map((n) => this.pos.local(this.pos.doc(firstLoc(n))));
    if (this.insert.onConflictClause) {
      const on = keywordBefore(this.text, Math.min(...tail), 'ON', startKw);
      if (on !== undefined) end = on;
    } else if (this.insert.returningList?.length) {
      const r = keywordBefore(this.text, Math.min(...tail), 'RETURNING', startKw);
      if (r !== undefined) end = r;
    }
    while (end > startKw && /\s/.test(this.text[end - 1])) end--;
    const body = this.text.slice(startKw, end);
    return {
      title: 'Wrap the set operation in a FROM subquery: SELECT * FROM (...) u',
      edits: [{ range: { start: this.stmt.start + startKw, end: this.stmt.start + end }, newText: `SELECT * FROM (${body}) u` }],
    };
  }

  /**
   * DeferErrorIfFromClauseRecurs: a query level whose FROM holds no distributed table (only recurring
   * items) and that has a correlated sublink reading a distributed table. Citus cannot run the sublink per
   * row of a recurring relation on the shards; it is also a final planning error of the fallback.
   */
  private correlatedOverRecurring(level: 'DEBUG' | 'ERROR'): Failure | undefined {
    for (const l of this.qm.levels) {
      if (l.role === 'setop' || l.setOp || l.items.length === 0) continue;
      const sub = l.children.find((c) => c.role === 'sublink' && c.correlated && this.levelHasDistributed(c));
      if (!sub || l.items.some((it) => !this.isRecurring(it))) continue;
      const first = l.items[0];
      const tail =
        first.kind === 'rel' ? (first.rel.table.kind === 'reference' ? 'a reference table' : 'a local table') : first.kind === 'function' ? 'a set returning function' : first.kind === 'values' ? 'VALUES' : 'a CTE or subquery';
      const range = first.kind === 'rel' ? this.pos.nameRange(first.rel.location) : this.pos.nodeRange(sub.select);
      return this.failure('reference-outer-join', { level, message: `correlated subqueries are not supported when the FROM clause contains ${tail}` }, range, 'correlated subquery over a recurring FROM');
    }
    return undefined;
  }

  /** (C) `ref LEFT JOIN dist`, `dist RIGHT JOIN ref`, FULL JOIN with one recurring side. */
  private recurringOuterJoin(): Failure | undefined {
    for (const level of this.qm.levels) {
      for (const j of level.outerJoins) {
        const recurring = (items: FromItem[]): boolean => items.every((it) => this.isRecurring(it));
        const distributed = (items: FromItem[]): boolean => items.some((it) => !this.isRecurring(it));
        const bad =
          (j.type === 'LEFT' && recurring(j.left) && distributed(j.right)) ||
          (j.type === 'RIGHT' && recurring(j.right) && distributed(j.left)) ||
          (j.type === 'FULL' && recurring(j.left) !== recurring(j.right));
        if (bad) {
          const outer = j.type === 'RIGHT' ? j.right : j.left;
          const loc = outer[0]?.kind === 'rel' ? outer[0].rel.location : j.location;
          return this.failure('reference-outer-join', { message: MSG.lateralOuter }, this.pos.nameRange(loc), 'reference table outer join');
        }
      }
    }
    return undefined;
  }

  private isRecurring(item: FromItem): boolean {
    switch (item.kind) {
      case 'rel':
        return !isDistributed(item.rel.table);
      case 'subquery':
        return !this.levelHasDistributed(item.level);
      case 'function':
      case 'values':
        return true;
      case 'cte':
        return !item.cte.level || !this.levelHasDistributed(item.cte.level);
      default:
        return true;
    }
  }

  /**
   * DeferErrorIfCannotPushdownSubquery for one query level. With a planner (the fallback), as the level
   * is once its CTEs and some subqueries were planned recursively: those are intermediate results.
   */
  private subqueryFailure(level: QueryLevel, planner?: SelectPlanner): Failure | undefined {
    const s = level.select;
    // 1. table combination (a level that is a VALUES list itself, `WITH c AS (VALUES ..)`, is a VALUES range table entry)
    if ((s.valuesLists?.length ?? 0) > 1 && valuesMaterialized(this.model, s.valuesLists.length)) return this.subq('subquery-blocks-pushdown', DETAIL.valuesThreshold, this.pos.nodeRange(s), 'large VALUES');
    for (const item of level.items) {
      if (planner && item.kind === 'cte') continue;
      if (item.kind === 'values') {
        if (valuesMaterialized(this.model, item.rows)) return this.subq('subquery-blocks-pushdown', DETAIL.valuesThreshold, this.pos.nodeRange(undefined, item.location), 'large VALUES');
        if (!item.immutable) return this.subq('subquery-blocks-pushdown', DETAIL.valuesMutable, this.pos.nodeRange(undefined, item.location), 'mutable VALUES');
      } else if (item.kind === 'function' && !item.immutable) {
        return this.subq('subquery-blocks-pushdown', DETAIL.functionMutable, this.pos.nodeRange(undefined, item.location), 'non-immutable function in FROM');
      } else if (item.kind === 'cte' && !(item.cte.owner === 'select' && cteInlinable(item.cte, this.volatileIn(item.cte.query)))) {
        const rule = item.cte.owner === 'insert' ? 'insert-level-cte' : 'subquery-blocks-pushdown';
        return this.subq(rule, DETAIL.cteInSubquery, this.pos.nameRange(item.location), 'CTE', rule === 'insert-level-cte' ? this.insertCteFailure().fix : undefined);
      }
    }
    let detail: { rule: string; detail: string; range: Range; summary: string; fix?: Fix } | undefined;
    // 2. FROM-less with mutable functions
    if (level.items.length === 0 && !level.setOp && firstMutableCall({ List: { items: s.targetList ?? [] } }, this.model)) {
      detail = { rule: 'subquery-blocks-pushdown', detail: DETAIL.fromlessMutable, range: this.pos.nodeRange(s.targetList?.[0]), summary: 'subquery without FROM' };
    }
    // 3. merge checks, for queries that do not reference an outer query (the last one wins)
    if (!level.correlated && (!level.setOp || planner)) {
      const merge = planner ? this.computeMergeFailure(level, planner) : this.mergeFailure(level);
      if (merge) return merge;
    }
    // 5. set operations
    if (level.setOp) {
      // (an INTERSECT or EXCEPT anywhere in the tree: `(a EXCEPT b) UNION c`)
      if (level.setOp.op !== 'UNION' || !level.setOp.allUnion) {
        return this.subq('set-operation-blocks-pushdown', DETAIL.intersectExcept, this.nonUnionKeywordRange(level), level.setOp.op === 'UNION' ? 'INTERSECT / EXCEPT' : level.setOp.op);
      }
      for (const leaf of level.setOp.leaves) {
        const first = leaf.items[0];
        if (!first) return this.subq('set-operation-blocks-pushdown', DETAIL.unionFromless, this.setOpKeywordRange(level), 'UNION');
        if (first.kind === 'rel' && first.rel.table.kind === 'reference') return this.subq('set-operation-blocks-pushdown', DETAIL.unionReference, this.pos.nameRange(first.rel.location), 'UNION with a reference table');
        if (first.kind === 'function') return this.subq('set-operation-blocks-pushdown', DETAIL.unionFunction, this.pos.nodeRange(undefined, first.location), 'UNION');
        if (first.kind === 'values') return this.subq('set-operation-blocks-pushdown', DETAIL.unionValues, this.pos.nodeRange(undefined, first.location), 'UNION');
        if (planner && ((first.kind === 'cte' && !(planner.isInlined(first.cte) && first.cte.level && !planner.planned.has(first.cte.level))) || (first.kind === 'subquery' && planner.planned.has(first.level)))) return this.subq('set-operation-blocks-pushdown', 'Complex subqueries and CTEs are not supported within a UNION', this.setOpKeywordRange(level), 'UNION');
      }
    }
    // 6. the last one wins
    if (!planner && level.ctes.size && [...level.ctes.values()].some((c) => !cteInlinable(c, this.volatileIn(c.query)))) {
      const cte = [...level.ctes.values()][0];
      detail = { rule: 'subquery-blocks-pushdown', detail: s.withClause?.recursive ? DETAIL.recursive : DETAIL.cteList, range: this.pos.nameRange(cte.location), summary: 'CTE' };
    }
    if (s.lockingClause?.length) detail = { rule: 'subquery-blocks-pushdown', detail: DETAIL.forUpdate, range: this.pos.textRange(FOR_LOCK) ?? this.pos.statementRange(), summary: 'FOR UPDATE' };
    const gs = this.groupingSets(level);
    if (gs) detail = { rule: 'grouping-sets-unsupported', detail: DETAIL.groupingSets, range: this.pos.nodeRange(gs), summary: 'GROUPING SETS' };
    // DeferErrorIfFromClauseRecurs comes before the deferred DETAIL
    const recurs = planner?.fromClauseRecursAt(level);
    if (recurs) return recurs;
    if (detail) return this.subq(detail.rule, detail.detail, detail.range, detail.summary, detail.fix);
    return undefined;
  }

  subq(rule: string, detail: string, range: Range, summary: string, fix?: Fix): Failure {
    return this.failure(rule, { message: MSG.cannotPushdown, detail }, range, summary, fix);
  }

  /** The GROUPING SETS / CUBE / ROLLUP / `()` item of a GROUP BY whose grouping sets survive parse analysis (grouping.ts). */
  groupingSets(level: QueryLevel): PgNode | undefined {
    const shape = groupingShape(level.select.groupClause, level.select.groupDistinct);
    return shape.kept ? shape.node : undefined;
  }

  /** The GROUP BY items; grouping sets that collapse to one set (`GROUPING SETS ((a, b))`: GROUP BY a, b) expanded. */
  private groupItems(level: QueryLevel): PgNode[] {
    const shape = groupingShape(level.select.groupClause, level.select.groupDistinct);
    return shape.kept ? (level.select.groupClause ?? []).filter((g: PgNode) => !g.GroupingSet) : shape.items;
  }

  private readonly mergeCache = new Map<QueryLevel, Failure | undefined>();
  /** DeferErrorIfSubqueryRequiresMerge: each condition overwrites the previous one (last wins). */
  private mergeFailure(level: QueryLevel): Failure | undefined {
    if (!this.mergeCache.has(level)) this.mergeCache.set(level, this.computeMergeFailure(level));
    return this.mergeCache.get(level);
  }

  /** With a planner (the fallback), only distribution columns of relations that are not intermediate results count. */
  private computeMergeFailure(level: QueryLevel, planner?: SelectPlanner): Failure | undefined {
    const s = level.select;
    let f: Failure | undefined;
    const isDist = (o: Origin): boolean => (planner ? planner.isLiveDist(o) : isDistColumn(o));
    const keyedInside = planner ? planner.liveFromRels(level).some((r) => hasDistributionKey(r.table)) : this.relsUnderFrom(level).some((r) => hasDistributionKey(r.table));
    if (s.limitOffset) f = this.subq('limit-offset-blocks-pushdown', DETAIL.offset, this.pos.keywordRange('OFFSET', s.limitOffset) ?? this.pos.nodeRange(s.limitOffset), 'OFFSET');
    if (s.limitCount || (s.limitOption && s.limitOption !== 'LIMIT_OPTION_DEFAULT' && !s.limitOffset)) {
      const node = s.limitCount ?? s.limitOffset;
      const range = (node && (this.pos.keywordRange('LIMIT', node) ?? this.pos.keywordRange('FETCH', node))) ?? (node ? this.pos.nodeRange(node) : this.pos.statementRange());
      f = this.subq('limit-offset-blocks-pushdown', DETAIL.limit, range, 'LIMIT');
    }
    const groups: PgNode[] = this.groupItems(level);
    if (groups.length && keyedInside && !groups.some((g) => isDist(this.groupItemOrigin(g, level)))) {
      f = this.subq('group-by-without-dist-column', DETAIL.groupBy, this.groupByRange(s.groupClause), 'GROUP BY', this.groupByFix(level, s.groupClause));
    }
    const hasGroup = (s.groupClause ?? []).length > 0;
    // a subquery over reference tables only: its GROUP BY and DISTINCT checks pass (TargetListOnPartitionColumn), the
    // aggregate check does not (checked on Citus 13.2.2: a scalar count(*) over a reference table in the SELECT list)
    const referenceOnly = (): boolean => {
      if (level === this.qm.root) return false;
      const rels = planner ? planner.liveFromRels(level) : this.relsUnderFrom(level);
      return rels.length > 0 && rels.every((r) => r.table.kind === 'reference');
    };
    // (and over single-shard tables: DeferErrorIfSubqueryRequiresMerge looks at no table kind; checked on Citus 13.2.2:
    // `WHERE amount > (SELECT max(amount) FROM <single-shard table of another group>)` is planned on its own)
    const singleShardInside = (): boolean => level !== this.qm.root && (planner ? planner.liveFromRels(level) : this.relsUnderFrom(level)).some((r) => r.table.kind === 'single_shard');
    if (!hasGroup && levelHasAggregates(level) && (keyedInside || referenceOnly() || singleShardInside())) {
      f = this.subq('aggregate-without-group-by', DETAIL.aggregates, this.aggregateRange(level), 'aggregate without GROUP BY');
    }
    if (s.havingClause && !hasGroup && keyedInside) f = this.subq('aggregate-without-group-by', DETAIL.having, this.pos.keywordRange('HAVING', s.havingClause) ?? this.pos.nodeRange(s.havingClause), 'HAVING without GROUP BY');
    const windowFailure = keyedInside ? this.windowFailure(level, isDist) : undefined;
    if (windowFailure) f = windowFailure;
    if (s.distinctClause && keyedInside) {
      const items: PgNode[] = s.distinctClause.filter((d: PgNode) => Object.keys(d).length > 0);
      const ok = items.length
        ? items.some((d) => isDist(this.groupItemOrigin(d, level)))
        : level.targets.some((_t, i) => isDist(this.originOf(level, i)));
      if (!ok) {
        const range = this.pos.keywordRange('DISTINCT', s.targetList?.[0]) ?? this.pos.nodeRange(s.targetList?.[0]);
        let fix = items.length ? this.addToListFix(level, s.distinctClause, 'DISTINCT ON') : undefined;
        // DISTINCT ON expressions must match the leading ORDER BY expressions: extend both
        if (fix && s.sortClause?.length) {
          const order = this.addToListFix(level, s.sortClause, 'ORDER BY');
          fix = order ? { title: `${fix.title} and ORDER BY`, edits: [...fix.edits, ...order.edits] } : undefined;
        }
        f = this.subq('distinct-without-dist-column', DETAIL.distinct, range, 'DISTINCT', fix);
      }
    }
    return f;
  }

  /** Relations in this level's FROM, including FROM subqueries (not sublinks). */
  private relsUnderFrom(level: QueryLevel): RelOcc[] {
    const out = [...level.rels];
    for (const item of level.items) {
      if (item.kind === 'subquery') out.push(...this.relsUnder(item.level));
      if (item.kind === 'cte' && item.cte.level) out.push(...this.relsUnder(item.cte.level));
    }
    return out;
  }

  groupItemOrigin(g: PgNode, level: QueryLevel): Origin {
    // GROUP BY 1 / GROUP BY alias refer to the target list
    const ordinal = g.A_Const?.ival;
    if (ordinal !== undefined) {
      const idx = (ordinal.ival ?? 0) - 1;
      return idx >= 0 ? this.originOf(level, idx) : { kind: 'unknown' };
    }
    if (g.ColumnRef) {
      const parts = nameList(g.ColumnRef.fields);
      if (parts.length === 1) {
        const o = this.resolveOrigin(g, level);
        if (o.kind !== 'unknown') return o;
        const idx = level.targets.findIndex((t) => t.name === parts[0]);
        if (idx >= 0) return this.originOf(level, idx);
      }
    }
    return this.resolveOrigin(g, level);
  }

  private groupByRange(groupClause: PgNode[]): Range {
    const first = groupClause[0];
    const kw = this.pos.keywordRange('GROUP', first);
    const last = groupClause[groupClause.length - 1];
    const lastStart = this.pos.doc(firstLoc(last));
    const end = this.stmt.start + expressionEnd(this.text, this.pos.local(lastStart));
    return { start: kw?.start ?? this.pos.doc(firstLoc(first)), end };
  }

  private aggregateRange(level: QueryLevel): Range {
    let agg: PgNode | undefined;
    walk(level.select.targetList, (type, f, w) => {
      if (agg) return false;
      if (type === 'SubLink') return false;
      if (type === 'FuncCall' && !f.over) agg = w;
      return undefined;
    });
    return this.pos.nodeRange(agg ?? level.select.targetList?.[0]);
  }

  private windowFailure(level: QueryLevel, isDist: (o: Origin) => boolean = isDistColumn): Failure | undefined {
    for (const call of levelWindowCalls(level)) {
      const parts: PgNode[] = windowPartitionClause(call, level.select) ?? [];
      const range = this.pos.nodeRange({ FuncCall: call });
      if (parts.length === 0) return this.subq('window-without-dist-partition', DETAIL.windowNoPartition, range, 'window without PARTITION BY');
      if (!parts.some((p) => isDist(this.groupItemOrigin(p, level)))) {
        const fix = this.addToListFix(level, parts, 'PARTITION BY');
        return this.subq('window-without-dist-partition', DETAIL.windowMissing, range, 'window PARTITION BY', fix);
      }
    }
    return undefined;
  }

  /** Adds the level's distribution column in front of a list (GROUP BY, DISTINCT ON, PARTITION BY). */
  private addToListFix(level: QueryLevel, list: PgNode[], what: string): Fix | undefined {
    const first = list?.[0];
    const key = first ? this.levelDistRef(level) : undefined;
    if (!first || !key) return undefined;
    const at = this.pos.doc(firstLoc(first));
    return { title: `Add ${key.dist} to ${what}`, edits: [{ range: { start: at, end: at }, newText: `${key.ref}, ` }] };
  }

  /** The distribution column a level can name (directly, or through a FROM subquery that exposes it), and how. */
  private levelDistRef(level: QueryLevel): { rel: RelOcc; dist: string; ref: string } | undefined {
    const rel = this.relsUnderFrom(level).find((r) => hasDistributionKey(r.table));
    if (!rel) return undefined;
    const dist = rel.table.distributionColumn!;
    if (level.rels.includes(rel)) return { rel, dist, ref: level.items.length > 1 ? `${rel.alias}.${dist}` : dist };
    // through a FROM subquery: only when the subquery exposes the column under its name
    const item = level.items.find((it) => it.kind === 'subquery' && this.itemOrigin(it, dist)?.kind === 'column');
    return item ? { rel, dist, ref: level.items.length > 1 ? `${item.alias}.${dist}` : dist } : undefined;
  }

  /**
   * "Add <dist> to GROUP BY". Once grouped by it, min/max/any_value(<dist>) in the target's distribution column
   * position is <dist> itself, but Citus sees an aggregate there (not pushed down): the fix selects the column
   * instead, so that it lands on pushdown. When that position holds anything else, the title says the statement
   * will still not push down.
   */
  private groupByFix(level: QueryLevel, groupClause: PgNode[]): Fix | undefined {
    const fix = this.addToListFix(level, groupClause, 'GROUP BY');
    const key = this.levelDistRef(level);
    // a SELECT planned on its own (no INSERT target) keeps the plain fix
    const pos = this.target && hasDistributionKey(this.target) ? this.distPosition() : { index: -1 };
    const root = this.qm.root;
    if (!fix || !key || pos.index < 0 || root.setOp) return fix;
    const selected = root.targets[pos.index]?.expr;
    if (!selected || isDistColumn(this.originOf(root, pos.index))) return fix;
    const origin = selected.ColumnRef ? this.resolveOrigin(selected, root) : { kind: 'expr' as const, node: selected };
    const node = origin.kind === 'expr' ? origin.node : undefined;
    const index = node ? level.targets.findIndex((t) => t.expr === node) : -1;
    const range = this.pos.nodeRange(node ?? selected);
    const shown = this.stmt.text.slice(range.start - this.stmt.start, range.end - this.stmt.start);
    const call = node?.FuncCall;
    const arg = call?.args?.length === 1 ? this.resolveOrigin(call.args[0], level) : undefined;
    const sameColumn = !!arg && isDistColumn(arg) && arg.rel === key.rel && arg.column === key.dist;
    if (index < 0 || !sameColumn || call.over || call.agg_filter || !['min', 'max', 'any_value'].includes(functionName(call))) {
      return { ...fix, title: `${fix.title} (still not pushed down: ${this.target.distributionColumn} gets ${shown})` };
    }
    // a FROM subquery's output keeps the name the outer query reads
    const explicitName = level.select.targetList?.[index]?.ResTarget?.name;
    const newText = level === root || explicitName ? key.ref : `${key.ref} AS ${level.targets[index].name}`;
    return { title: `${fix.title} and select ${key.dist} for ${shown}`, edits: [...fix.edits, { range, newText }] };
  }

  // ---- 8d: the distribution column --------------------------------------------------------------
  private partitionColumnFailure(): Failure | undefined {
    if (!hasDistributionKey(this.target)) return undefined;
    const pos = this.distPosition();
    if (pos.index < 0) return undefined; // reported by addMissingDistColumn
    const root = this.qm.root;
    const leaf = root.setOp ? root.setOp.leaves[0] : root;
    const t = leaf.targets[pos.index];
    if (!t?.expr) return undefined;
    const targetCol = findColumn(this.target, this.target.distributionColumn!);
    const res = this.classifyPartitionExpr(t.expr, leaf, targetCol?.type);
    if (!res) return undefined;
    const range = this.pos.nodeRange(t.expr, t.location);
    return this.failure('dist-column-not-preserved', { message: MSG.partitionMismatch, detail: res.detail, hint: res.hint ? MSG.partitionHint : undefined }, range, res.summary);
  }

  private classifyPartitionExpr(expr: PgNode, level: QueryLevel, targetType: string | undefined): { detail: string; hint: boolean; summary: string } | undefined {
    const contains = (what: string, summary: string): { detail: string; hint: boolean; summary: string } => ({ detail: DETAIL.contains(what), hint: true, summary });
    if (expr.ColumnRef) {
      const o = this.resolveOrigin(expr, level);
      if (o.kind === 'column') {
        // Citus checks the type (the INSERT's target entry is not a plain Var) before the column
        const srcType = findColumn(o.rel.table, o.column)?.type;
        if (targetType && srcType && srcType !== targetType) return { detail: DETAIL.typeMismatch, hint: false, summary: 'type mismatch' };
        if (!isDistColumn(o)) return { detail: DETAIL.notPartitionColumn, hint: false, summary: 'not the distribution column' };
        return undefined;
      }
      if (o.kind === 'expr') return this.classifyPartitionExpr(o.node, level, targetType);
      if (o.kind === 'values') return contains('an expression that is not a simple column reference', 'not a column');
      if (o.kind === 'const') return contains('an expression that is not a simple column reference', 'parameter');
      return { detail: DETAIL.notPartitionColumn, hint: false, summary: 'not the distribution column' };
    }
    if (expr.A_Const) return contains('a constant value', expr.A_Const.isnull ? 'NULL' : 'constant');
    if (expr.ParamRef) return contains('an expression that is not a simple column reference', 'parameter');
    if (expr.TypeCast) {
      const to = castTypeName(expr.TypeCast.typeName);
      const inner = expr.TypeCast.arg;
      if (inner?.A_Const) return contains('a constant value', inner.A_Const.isnull ? 'NULL' : 'constant');
      const from = this.expressionType(inner, level);
      if (from && to === from) return this.classifyPartitionExpr(inner, level, targetType);
      if (from && isTextLike(from) && isTextLike(to)) return contains('an expression that is not a simple column reference', 'cast');
      if ((from && isTextLike(from)) || isTextLike(to)) return contains('an explicit coercion', 'cast');
      return contains('an explicit cast', 'cast');
    }
    if (expr.A_Expr) {
      const k = expr.A_Expr.kind;
      if (k === 'AEXPR_OP' || k === 'AEXPR_OP_ANY' || k === 'AEXPR_OP_ALL') return contains('an operator', 'expression');
      return contains('an expression that is not a simple column reference', 'expression');
    }
    if (expr.FuncCall) {
      if (expr.FuncCall.over) return contains('an expression that is not a simple column reference', 'window function');
      const name = functionName(expr.FuncCall);
      const agg = this.isAggregateCall(expr.FuncCall);
      return agg ? contains('an aggregation', 'aggregate') : contains('a function call', `${name}()`);
    }
    if (expr.CaseExpr) return contains('a case expression', 'CASE');
    if (expr.CoalesceExpr) return contains('a coalesce expression', 'COALESCE');
    if (expr.MinMaxExpr) return contains('a min/max expression', 'GREATEST/LEAST');
    if (expr.RowExpr) return contains('a row expression', 'ROW');
    return contains('an expression that is not a simple column reference', 'expression');
  }

  private isAggregateCall(call: PgNode): boolean {
    return !!call.agg_star || call.agg_distinct || ['count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'bool_and', 'bool_or', 'json_agg', 'jsonb_agg', 'hll_add_agg', 'hll_union_agg', 'any_value'].includes(functionName(call));
  }

  /** The type of a simple expression, when it can be told from the schema (columns, ->>, casts). */
  private expressionType(expr: PgNode | undefined, level: QueryLevel): string | undefined {
    if (!expr) return undefined;
    if (expr.ColumnRef) {
      const o = this.resolveOrigin(expr, level);
      return o.kind === 'column' ? findColumn(o.rel.table, o.column)?.type : undefined;
    }
    if (expr.TypeCast) return castTypeName(expr.TypeCast.typeName);
    if (expr.A_Expr?.kind === 'AEXPR_OP') {
      const op = nameList(expr.A_Expr.name).join('');
      if (op === '->>' || op === '#>>' || op === '||') return 'text';
      if (op === '->' || op === '#>') return 'jsonb';
    }
    return undefined;
  }

  /**
   * Citus stops at the distribution column (8d), but when the target is not colocated with the SELECT's tables,
   * no SELECT can push the statement down: the colocation check (9) would fail next. Advice to select the
   * distribution column would then not help (and a cast or another column makes it worse), so the finding says
   * what does, and the colocation finding is reported too (in our words: Citus prints only the first failure).
   * When the target is colocated, the advice names the source's distribution column.
   */
  private partitionAdvice(partition: Failure, distributedRels: RelOcc[]): Failure[] {
    const targetColumn = this.target.distributionColumn;
    if (!targetColumn) return [];
    const describe = (t: TableModel): string => {
      const type = findColumn(t, t.distributionColumn!)?.type;
      return `${t.distributionColumn}${type ? ` (${type})` : ''}`;
    };
    const target = displayName(this.target);
    const coloc = this.target.kind === 'append' ? undefined : this.colocationFailure(distributedRels);
    if (!coloc) {
      const colocated = distributedRels.find((r) => hasDistributionKey(r.table) && r.table.colocationId === this.target.colocationId);
      if (colocated) {
        partition.explanation = partition.explanation.replace(
          /Select the distribution column itself \(e\.g\. [^)]*\)\./,
          `Select ${colocated.alias}.${colocated.table.distributionColumn} itself in ${targetColumn}'s position (not an expression, a cast or another column).`,
        );
      }
      return [];
    }
    const source = distributedRels.find((r) => this.pos.nameRange(r.location).start === coloc.range.start)?.table;
    if (!source || !hasDistributionKey(source)) return [];
    partition.explanation =
      `${targetColumn} already is the distribution column of ${target}. ${target} is distributed by ${describe(this.target)} and ${displayName(source)} by ${describe(source)}, ` +
      `and they are not colocated: each shard of ${displayName(source)} holds rows for every shard of ${target}, so Citus moves the rows between workers whatever the SELECT puts in ${targetColumn}. ` +
      `Changing the SELECT cannot make this statement push down. To push down, distribute ${target} like its source (by a column of the same type, with colocate_with => '${displayName(source)}'); ` +
      `if ${target} must stay keyed by ${targetColumn}, the repartition is the expected plan.`;
    coloc.synthetic = true;
    coloc.message = `${displayName(source)} is not colocated with ${target}: even with ${targetColumn} selected unchanged, the statement would not push down (${MSG.notColocated})`;
    return [coloc];
  }

  // ---- 9: colocation ----------------------------------------------------------------------------
  private colocationFailure(distributedRels: RelOcc[]): Failure | undefined {
    const targetGroup = this.target.colocationId;
    if (this.target.kind === 'append') return this.failure('tables-not-colocated', { message: MSG.notColocated }, this.pos.nameRange(this.insert.relation.location), 'append target');
    for (const r of distributedRels) {
      if (r.table.kind === 'append' || r.table.colocationId !== targetGroup || !targetGroup) {
        const range = this.pos.nameRange(r.location);
        const f = this.failure('tables-not-colocated', { message: MSG.notColocated }, range, 'not colocated');
        f.message = `${displayName(r.table)} is not colocated with ${displayName(this.target)}: ${MSG.notColocated}`;
        return f;
      }
    }
    return undefined;
  }

  // ---- §4: repartition or pull, or a planning error ---------------------------------------------
  private fallback(failures: Failure[], routerSelect: boolean): { method: Method; error?: Failure; extra: Failure[] } {
    const extra: Failure[] = [];
    if (this.target.kind === 'append') {
      return { method: 'error', error: this.failure('tables-not-colocated', { level: 'ERROR', message: MSG.appendTarget }, this.pos.nameRange(this.insert.relation.location), 'append target'), extra };
    }
    // INSERT-level WITH RECURSIVE: the CTE moved into a SELECT that Citus plans no longer finds its own reference, with
    // a distributed table `could not find path for CTE`, with reference tables only `relation "r" does not exist`; a
    // SELECT of no Citus table is PostgreSQL's and runs (each checked on Citus 13.2.2 by running it)
    const recursive = [...this.qm.insertCtes.values()].find((c) => c.recursive);
    const readsCitus = this.qm.rels.filter((r) => isCitusTable(r.table) && r.table.kind !== 'citus_local');
    if (recursive && readsCitus.length) {
      const message = readsCitus.some((r) => isDistributed(r.table)) ? `could not find path for CTE "${recursive.name}"` : `relation "${recursive.name}" does not exist`;
      return { method: 'error', error: this.failure('insert-level-cte', { level: 'ERROR', message }, this.pos.nameRange(recursive.location), 'recursive INSERT-level CTE'), extra };
    }
    const plan = this.planFallbackSelect(routerSelect);
    if (plan.error) return { method: 'error', error: plan.error, extra };
    const regrouped = routerSelect ? undefined : this.castGroupError();
    if (regrouped) return { method: 'error', error: regrouped, extra };
    const repartitionTarget = this.target.kind === 'hash' || this.target.kind === 'range';
    const enabled = this.model.settings.get('citus.enable_repartitioned_insert_select') !== 'off';
    // nextval() in the SELECT's target list (a sequence default of an omitted column, or written) is evaluated
    // by the coordinator (IsRedistributablePlan), whichever check stopped pushdown first
    const nextval = failures.some((f) => f.rule === 'sequence-default-forces-pull') || this.insertAddsNextval() || this.selectCallsNextval();
    // a repartition join makes the SELECT a job with dependent jobs (MapMergeJob): never redistributable
    const repartition = repartitionTarget && enabled && plan.multiTask && !plan.coordinatorStep && !nextval && !plan.repartitionJoin;
    // the SELECT, planned on its own, runs as several tasks: FinalizePlan refuses it under this setting
    if (plan.multiTask && this.multiTaskRefused()) return { method: 'error', error: this.multiTaskFailure(repartition ? 'SELECT of a repartitioned INSERT..SELECT' : 'SELECT collected on the coordinator'), extra };
    if (!repartition && plan.pullReason) extra.push(plan.pullReason);
    return { method: repartition ? 'repartition' : 'pull_to_coordinator', extra };
  }

  /**
   * How Citus plans the SELECT on its own once pushdown failed (./recursive.ts: router -> recursive
   * planning -> router or logical planner). As CreateDistributedPlannedStmt does, it is planned with the
   * inlinable CTEs inlined first, and, when that fails, again with every CTE planned recursively.
   */
  private planFallbackSelect(routerSelect: boolean): { multiTask: boolean; coordinatorStep: boolean; error?: Failure; pullReason?: Failure; repartitionJoin?: boolean } {
    // (the router pre-check read the SELECT as written; the fallback's has the nextval() of a sequence default the INSERT
    // leaves to it, which the router planner refuses with Citus tables: planned as that SELECT)
    if (routerSelect && !(this.insertAddsNextval() && this.qm.rels.some((r) => isCitusTable(r.table)))) return { multiTask: false, coordinatorStep: false };
    if (!this.insert.withClause) return this.planFallbackSelectOf();
    // the INSERT's CTEs move into its SELECT (PrepareInsertSelectForCitusPlanner), where they can be inlined
    // and their columns are the columns they read: the SELECT is modelled again with them
    const saved = { qm: this.qm, equivalence: this.equivalenceCache };
    const select = this.insert.selectStmt.SelectStmt;
    const own = select.withClause?.WithClause ?? select.withClause;
    const insertWith = this.insert.withClause.WithClause ?? this.insert.withClause;
    const withClause = { WithClause: { ...insertWith, ctes: [...(insertWith.ctes ?? []), ...(own?.ctes ?? [])], recursive: !!(insertWith.recursive || own?.recursive) } };
    this.qm = buildQueryModel({ ...select, withClause }, undefined, this.buildContext());
    this.equivalenceCache = undefined;
    try {
      return this.planFallbackSelectOf();
    } finally {
      this.qm = saved.qm;
      this.equivalenceCache = saved.equivalence;
    }
  }

  private planFallbackSelectOf(): { multiTask: boolean; coordinatorStep: boolean; error?: Failure; pullReason?: Failure; repartitionJoin?: boolean } {
    const attempt = (inline: boolean): { planner: SelectPlanner; plan: SelectPlan } => {
      const root = this.fallbackRoot();
      const planner = new SelectPlanner(this, inline, root, true);
      // the router pre-check (isRouterSelect) asked the same question of the same query: it said no
      const known = inline && root === this.qm.root && !this.insert.withClause && this.qm.rels.length > 0;
      return { planner, plan: planner.planQuery(root, true, known) };
    };
    let { planner, plan } = attempt(true);
    if (plan.kind === 'error' && this.hasInlinableCte()) ({ planner, plan } = attempt(false));
    if (plan.kind === 'error') return { multiTask: false, coordinatorStep: false, error: plan.error };
    if (plan.kind === 'router') return { multiTask: false, coordinatorStep: false };
    const step = this.coordinatorStep(this.qm.root, planner);
    return { multiTask: true, coordinatorStep: !!step, pullReason: step, repartitionJoin: plan.repartitionJoin };
  }

  /**
   * The SELECT as the fallback plans it: a set operation is wrapped into `SELECT * FROM (...)
   * citus_insert_select_subquery` (PrepareInsertSelectForCitusPlanner), so that its leaves are not planned
   * as a top-level set operation.
   */
  private fallbackRoot(): QueryLevel {
    const root = this.qm.root;
    if (!root.setOp) return root;
    return {
      select: {},
      role: 'select',
      items: [{ kind: 'subquery', alias: 'citus_insert_select_subquery', level: root, colnames: [], lateral: false }],
      rels: [],
      children: [root],
      targets: root.targets,
      outerJoins: [],
      ctes: new Map(),
      correlated: false,
    };
  }

  private hasInlinableCte(): boolean {
    const all = [...this.qm.insertCtes.values(), ...this.qm.levels.flatMap((l) => [...l.ctes.values()])];
    return all.some((c) => this.cteInlinable(c));
  }

  /** PostgreSQLCTEInlineCondition (cte_inline.c). */
  cteInlinable(cte: CteDef): boolean {
    return cteInlinable(cte, this.volatileIn(cte.query));
  }

  /** DeferErrorIfCannotPushdownSubquery for one level in the fallback: its CTEs and planned parts are intermediate results. */
  pushdownFailureOf(level: QueryLevel, planner: SelectPlanner): Failure | undefined {
    return this.subqueryFailure(level, planner);
  }

  mergeFailureOf(level: QueryLevel, planner: SelectPlanner): Failure | undefined {
    // nothing planned yet and no CTE in FROM: the same answer as the pushdown check's (cached)
    if (planner.planned.size === 0 && planner.wrapped.size === 0 && !level.items.some((it) => it.kind === 'cte')) return this.mergeFailure(level);
    return this.computeMergeFailure(level, planner);
  }

  /**
   * A step the coordinator must run on top of the distributed scan (forces pull). The SELECT of an INSERT with CTEs of
   * its own is wrapped into a subquery (PrepareInsertSelectForCitusPlanner moves the CTEs to the wrapper), so its ORDER
   * BY is a subquery's, which the workers may ignore, and its DISTINCT one the workers compute when it holds the
   * distribution column: neither is a step on top. Checked on Citus 13.2.2 (test/fixtures/probes/sql/
   * insert-cte-wrapped.sql): `WITH c AS (..) INSERT INTO t SELECT .. ORDER BY 1` is repartitioned, the same with the
   * WITH inside the SELECT is pulled to the coordinator.
   */
  private coordinatorStep(root: QueryLevel, planner: SelectPlanner): Failure | undefined {
    if (root.setOp) return undefined; // wrapped: the set operation runs in the workers or was planned recursively
    const wrapped = !!this.insert.withClause;
    const s = root.select;
    if (s.limitCount && !(s.limitCount.A_Const?.isnull)) return this.mergeFailureOf(root, planner) ?? this.subq('limit-offset-blocks-pushdown', DETAIL.limit, this.pos.statementRange(), 'LIMIT');
    // PostgreSQL's limit_needed(): OFFSET 0 (or NULL) adds no Limit node over the distributed scan
    if (s.limitOffset && !noOpOffset(s.limitOffset)) return this.subq('limit-offset-blocks-pushdown', DETAIL.offset, this.pos.keywordRange('OFFSET', s.limitOffset) ?? this.pos.statementRange(), 'OFFSET');
    if (s.sortClause?.length && !wrapped) {
      const f = this.failure('limit-offset-blocks-pushdown', { message: 'ORDER BY is evaluated on the coordinator once pushdown failed' }, this.pos.keywordRange('ORDER', s.sortClause[0]) ?? this.pos.statementRange(), 'ORDER BY');
      f.synthetic = true;
      return f;
    }
    if (s.distinctClause && !wrapped) return this.mergeFailureOf(root, planner) ?? this.subq('distinct-without-dist-column', DETAIL.distinct, this.pos.keywordRange('DISTINCT', s.targetList?.[0]) ?? this.pos.statementRange(), 'DISTINCT');
    const merge = this.mergeFailureOf(root, planner);
    if (merge && merge.rule !== 'limit-offset-blocks-pushdown') return merge;
    return undefined;
  }
}

/** A constant OFFSET of 0 or NULL (a cast of one included), which PostgreSQL's planner drops (limit_needed). */
function noOpOffset(node: PgNode): boolean {
  const c = node.A_Const ?? node.TypeCast?.arg?.A_Const;
  if (!c) return false;
  if (c.isnull) return true;
  if (c.ival) return (c.ival.ival ?? 0) === 0;
  if (c.sval) return /^\s*0+\s*$/.test(c.sval.sval ?? '');
  return false;
}

const FOR_LOCK = /\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b/i;

function keywordEndOfWith(text: string): number {
  const m = /^\s*WITH\b/i.exec(text);
  return m ? m[0].length : 4;
}

function castTypeName(typeName: PgNode | undefined): string {
  const tn = typeName?.TypeName ?? typeName;
  const names = nameList(tn?.names);
  const raw = (names[names.length - 1] ?? '').toLowerCase();
  const map: Record<string, string> = { int4: 'integer', int: 'integer', integer: 'integer', int8: 'bigint', bigint: 'bigint', int2: 'smallint', smallint: 'smallint', text: 'text', varchar: 'character varying', bpchar: 'character', numeric: 'numeric', float8: 'double precision', float4: 'real', date: 'date', timestamp: 'timestamp without time zone', timestamptz: 'timestamp with time zone', uuid: 'uuid', jsonb: 'jsonb', json: 'json', bool: 'boolean' };
  return map[raw] ?? raw;
}

function isTextLike(type: string): boolean {
  return type === 'text' || type === 'character varying' || type === 'character' || type === 'name';
}

/**
 * Refusals of a data-modifying CTE's statement that the router planner makes when it plans the query with the CTE
 * (ErrorIfQueryHasUnroutableModifyingCTE's ModifyPartialQuerySupported, or a relation of the CTE on several shards),
 * so that the CTE is planned on its own and fails there. Others (a partition of a replicated table:
 * GetRouterPlanType) are only met when the CTE is planned on its own.
 */
const UNROUTABLE_CTE_RULES = new Set(['volatile-function-in-modification', 'dml-join-not-colocated']);

/**
 * EnsurePartitionTableNotReplicated: a partition of a distributed table with replication factor > 1 cannot
 * be modified directly (INSERT, UPDATE, DELETE, MERGE); the parent can.
 */
export function replicatedPartitionError(model: SchemaModel, target: TableModel): { message: string; hint: string } | undefined {
  if (!target.partitionParent || !isDistributed(target)) return undefined;
  const rf = target.colocationId ? (model.groups.get(target.colocationId)?.replicationFactor ?? 1) : 1;
  if (rf <= 1) return undefined;
  const parent = target.partitionParent.replace(/^public\./, '').split('.').pop()!;
  return { message: MSG.replicatedPartition, hint: MSG.replicatedPartitionHint(parent) };
}

function qualified(t: TableModel): string {
  return `${t.schema}.${t.name}`;
}

/**
 * A VALUES of `rows` rows cannot go down with distributed tables and is planned on its own under
 * citus.values_materialization_threshold (default 100; -1 never, 0 always: DeferErrorIfUnsupportedTableCombination).
 */
export function valuesMaterialized(model: SchemaModel, rows: number): boolean {
  const setting = Number.parseInt(model.settings.get('citus.values_materialization_threshold') ?? '100', 10);
  const threshold = Number.isNaN(setting) ? 100 : setting;
  return threshold >= 0 && rows > threshold;
}
