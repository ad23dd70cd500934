/**
 * Predicts how Citus 13 runs the statements other than INSERT..SELECT: INSERT .. VALUES, UPDATE,
 * DELETE, MERGE, SELECT (with or without FOR UPDATE/SHARE), COPY .. FROM, and SET/RESET of `citus.*`
 * settings. The outcome uses the DML corpus' labels (single_shard, multi_shard, coordinator, local,
 * error, ok_setting), with Citus' reason, the findings the DML rules report, and the number of shards
 * touched when it can be told (VALUES / IN lists / COPY data are hashed like Citus does: ./dml-hash.ts).
 *
 * The order of checks follows Citus' modify planning (multi_router_planner.c
 * ModifyPartialQuerySupported / ModifyQuerySupported, recursive planning, merge_planner.c); see
 * docs/dml.md.
 */
import { groupingShape } from './grouping';
import { functionName, isLateralFunction, nameList, stringValue, stripCast, walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import { columnarConflictFailure, deferrableArbiter, inferArbiter, namedArbiterError } from '../schema/arbiters';
import type { KnownRow, SessionState } from '../schema/ddl';
import type { Volatility } from '../schema/functions';
import { foreignKeyName, referencedRows } from '../schema/foreignKeys';
import { displayName, findColumn, hasDistributionKey, isCitusTable, isDistributed, nullWhenLeftOut, qualifiedName, type ColumnModel, type PartitionBound, type SchemaModel, type TableModel } from '../schema/model';
import { canonicalTypeName, isKnownBuiltinType, knownBuiltinType, typeNameOf } from '../schema/types';
import type { PlannerFinding } from '../rules/rule';
import type { CitusMessage, Fix, Range } from '../types';
import { DML_EXPLANATIONS, DML_MSG } from './dml-messages';
import { DETAIL, MSG } from './messages';
import { distributionHash, hashTypeOf, shardIndex, shardsTouched } from './dml-hash';
import { planSelectOnItsOwn, queryContext, replicatedPartitionError, valuesMaterialized } from './predict';
import { arrayConstantItems, clauseLevel, conjuncts, constantTruth, foldIntConstant, foldTextConstant, isConstantFalse, isSimpleSubquery, originKey, shardPruneTree, originLevel, pulledUpSemiJoin, sublinkKind } from './recursive';
import { joinItems, joinTreeOf, reducedJoinTypesOf, type JoinNode } from './joinTree';
import { searchCycleFinding } from './cte-clauses';
import { inlinedCitusFunction } from './inlinedFunctions';
import { dangerousJoinUsing, renamedColumnFinding, renamedUsingColumn, USING_JOIN } from './joinUsing';
import { nestedCallFinding, nestedDistributedCall, type NestedCall } from './nestedQuery';
import { misassignedColumns } from './multi-assign';
import { postgresViewRefusal, throughView, viewTargetOf } from './view-target';
import { boundContains } from './partitionBounds';
import { currentTimeCandidates, isCurrentTime, isCurrentTimeDefault } from '../schema/currentTime';
import { columnValue, evalCheck, typedValue, type CheckValue } from './checkEval';
import { settingStatus } from './dml-settings';
import { unknownColocation } from '../schema/colocation';
import { buildQueryModel, conflictExprs, conflictFrom, resTargetValues, typedExpressions, colKey, firstLoc, firstMutable, firstMutableCall, firstVolatileCall, MAX_VIEW_DEPTH, viewQueryOf, volatilityIn, UnionFind, levelHasAggregates, levelWindowCalls, windowPartitionClause, cteInlinable, type FromItem, type Origin, type QueryLevel, type QueryModel, type RelOcc } from './query';
import type { CteDef, SetTarget } from '../semantic/model';
import { keywordBefore, nameLength, StatementPositions } from './text';
import { builtins } from '../semantic/catalog';
import { statementVariables } from '../semantic';
import { citusCatalog } from '../complete/citus-catalog';

/** A constant as written (for a fix's text). */
function figureConstant(node: PgNode): string {
  let n = node;
  while (n.TypeCast) n = n.TypeCast.arg;
  const c = n.A_Const;
  if (!c) return '…';
  if (c.sval) return `'${String(c.sval.sval ?? '').replace(/'/g, "''")}'`;
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return String(c.fval.fval);
  if (c.boolval) return String(!!c.boolval.boolval);
  return '…';
}

export type Outcome = 'single_shard' | 'multi_shard' | 'coordinator' | 'local' | 'error' | 'ok_setting' | 'not_applicable';

export const OUTCOMES: readonly Outcome[] = ['single_shard', 'multi_shard', 'coordinator', 'local', 'error', 'ok_setting', 'not_applicable'];

export interface DmlResult {
  /** undefined when the statement reads a table the model does not know */
  outcome?: Outcome;
  /** shards the statement touches (exact when the values could be hashed, else an upper bound) */
  shardCount?: number;
  /** shardCount is an upper bound ("up to N shards") */
  shardCountUpperBound?: boolean;
  /** the target table's shard count */
  totalShards?: number;
  reasons: CitusMessage[];
  findings: PlannerFinding[];
  /** a few words for hovers and lenses: "single shard: tenant_id = 5", "multi-shard: 32 shards" */
  summary?: string;
  target?: string;
  /** what kind of statement it is: INSERT, UPDATE, DELETE, MERGE, SELECT, COPY, SET */
  command: string;
}

/** An UPDATE / DELETE without the SELECT CTEs nothing reads (DmlPredictor.unreferencedCtes). */
interface UnreferencedCtes {
  /** the statement without them */
  node: PgNode;
  /** the Citus tables they read */
  tables: { table: TableModel; rv: PgNode }[];
  /** one of them reads a table only the coordinator has (a local or citus-local table) */
  onCoordinator: boolean;
}

/**
 * `query`: the semantic layer's query model of a SELECT statement (built here when absent); `setTargets`: an UPDATE's SET
 * list as the semantic layer read it; `typed`: its model of the whole statement, for the volatility of expressions
 * (typedExpressions builds one per clause when absent).
 */
export function predictDml(stmt: ParsedStatement, model: SchemaModel, session: SessionState, documentText?: string, query?: QueryModel, setTargets?: readonly SetTarget[], typed?: QueryModel): DmlResult | undefined {
  const ast = stmt.ast;
  if (!ast) return undefined;
  const p = new DmlPredictor(stmt, model, session, documentText, query);
  p.setTargets = setTargets;
  p.typed = typed;
  if (ast.VariableSetStmt) return p.setting(ast.VariableSetStmt);
  if (ast.CopyStmt) return p.copy(ast.CopyStmt);
  if (ast.TruncateStmt) return p.truncate(ast.TruncateStmt);
  // tables colocated with a table the model does not know, next to other groups: nothing is said (../schema/colocation.ts)
  if (unknownColocation(ast, model, session.searchPath)) return undefined;
  let result: DmlResult | undefined;
  // an UPDATE / DELETE planned without the SELECT CTEs nothing refers to (see unreferencedCtes)
  const unreferenced = ast.UpdateStmt || ast.DeleteStmt ? p.unreferencedCtes(ast.UpdateStmt ?? ast.DeleteStmt) : undefined;
  if (ast.InsertStmt) result = p.insertValues(ast.InsertStmt);
  else if (ast.UpdateStmt) result = p.modify(unreferenced?.node ?? ast.UpdateStmt, 'UPDATE');
  else if (ast.DeleteStmt) result = p.modify(unreferenced?.node ?? ast.DeleteStmt, 'DELETE');
  else if (ast.MergeStmt) result = p.merge(ast.MergeStmt);
  else if (ast.SelectStmt) result = p.select(ast.SelectStmt);
  if (unreferenced && result?.outcome === 'multi_shard') {
    const refused = p.unreferencedCteRefusal(unreferenced, result);
    if (refused) return refused;
  }
  if (unreferenced?.onCoordinator && result?.outcome !== 'single_shard') {
    // sent to the shards with the statement, a CTE of a table only the coordinator has fails on a worker, or runs on a
    // single-node cluster: planned as written, as before
    result = ast.UpdateStmt ? p.modify(ast.UpdateStmt, 'UPDATE') : p.modify(ast.DeleteStmt, 'DELETE');
  }
  // ModifyPartialQuerySupported: CTEs the router planner refuses are planned first, through the coordinator
  const modify = ast.InsertStmt ?? (unreferenced && result?.outcome === 'single_shard' ? unreferenced.node : undefined) ?? ast.UpdateStmt ?? ast.DeleteStmt;
  if (modify && (result?.outcome === 'single_shard' || result?.outcome === 'multi_shard')) {
    const w = modify.withClause?.WithClause ?? modify.withClause;
    const ctes: PgNode[] = (w?.ctes ?? []).map((c: PgNode) => c.CommonTableExpr).filter(Boolean);
    const why = ctes.length ? p.cteRefusal(!!ast.InsertStmt, ctes, result.outcome) : undefined;
    if (why) return p.cteViaCoordinator(result, why);
    // the router planner takes the CTEs with the statement: a reference table's modification in a task that also
    // modifies a distributed table (SingleShardTaskList, SelectsFromDistributedTable)
    const readsDistributed = ctes.length && result.outcome === 'single_shard' ? p.referenceWithDistributedCte(modify, ctes, result) : undefined;
    if (readsDistributed) return readsDistributed;
  }
  // a join USING whose merged column is not a plain column: the shard query names another table's column of that
  // name `<name>_1` (./joinUsing.ts)
  if (result?.outcome && result.outcome !== 'error' && result.outcome !== 'local') {
    const renamed = p.renamedUsingColumnError(ast, result);
    if (renamed) return renamed;
  }
  // a user function querying a Citus table, run on the shards (./nestedQuery.ts): fails for the first row (a warning)
  if (result && (result.outcome === 'single_shard' || result.outcome === 'multi_shard' || result.outcome === 'coordinator')) {
    const nested = nestedDistributedCall(ast, model, session.searchPath);
    if (nested) result = { ...result, findings: [...result.findings, p.nestedFinding(nested)] };
  }
  // UPDATE .. SET (a, b) = (SELECT ..) on a Citus table: Citus' deparser may give the columns each other's values
  if (ast.UpdateStmt && setTargets && result?.outcome && result.outcome !== 'error') {
    const misassigned = p.multiAssign(ast.UpdateStmt, setTargets, result);
    if (misassigned) return misassigned;
  }
  // a data-modifying CTE pruned by an uncast constant of a constrained domain distribution column ends the server
  // process as the statement itself would (checked on Citus 13.2.2)
  if (result?.outcome && result.outcome !== 'error') {
    const crash = p.domainConstantInCtes(ast);
    if (crash) return { outcome: 'error', reasons: [crash.citus], findings: [crash], summary: crash.summary, target: result.target, command: result.command };
  }
  // a SQL function over a Citus table in FROM, which PostgreSQL inlines after Citus planned the statement (./inlinedFunctions.ts)
  if (result?.outcome && result.outcome !== 'error') {
    const inlined = inlinedCitusFunction(stmt, model, session.searchPath);
    if (inlined) return { outcome: 'error', reasons: [inlined.citus], findings: [inlined], summary: inlined.summary, target: result.target, command: result.command };
  }
  // a recursive CTE's SEARCH or CYCLE clause with Citus tables (./cte-clauses.ts)
  if (result?.outcome && result.outcome !== 'error') {
    const clause = searchCycleFinding(stmt, model, session.searchPath, result.outcome === 'single_shard');
    if (clause) return { outcome: 'error', reasons: [clause.citus], findings: [clause], summary: clause.summary, target: result.target, command: result.command };
  }
  // FinalizePlan: more than one task, with citus.multi_task_query_log_level = error (COPY is not planned)
  if (result?.outcome === 'multi_shard' && model.settings.get('citus.multi_task_query_log_level') === 'error') return p.multiTaskRefused(result);
  return result;
}

type Msg = Omit<CitusMessage, 'level'> & { level?: CitusMessage['level'] };

/** A constant's value as text (numbers, strings, booleans; casts stripped), or undefined. */
function constValue(node: PgNode | undefined): string | undefined {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  const c = n?.A_Const;
  if (!c || c.isnull) return undefined;
  if (c.ival !== undefined) return String(c.ival.ival ?? 0);
  if (c.sval !== undefined) return c.sval.sval ?? '';
  if (c.fval !== undefined) return String(c.fval.fval ?? '');
  if (c.boolval !== undefined) return String(!!c.boolval.boolval);
  return undefined;
}

/** A constant's value, or the value of integer arithmetic on literals (`id = 2 * 123`), for shard pruning. */
function pinValue(node: PgNode | undefined): string | undefined {
  const c = constValue(node);
  if (c !== undefined) return c;
  const v = foldIntConstant(node);
  return v === undefined ? foldTextConstant(node) : String(v);
}

/**
 * The range table entries PostgreSQL's parse analysis makes for the subqueries of an expression, as Citus'
 * ExtractRangeTableEntryWalker counts them: each table, function, FROM subquery and join, a VALUES list, and each
 * branch of a set operation (a subquery of its own).
 */
function rangeTableEntries(expr: unknown): number {
  let n = 0;
  const nested = new Set<unknown>();
  walk(expr, (type, f) => {
    if (type === 'RangeVar' || type === 'RangeSubselect' || type === 'RangeFunction' || type === 'RangeTableFunc' || type === 'JoinExpr') n++;
    else if (type === 'SelectStmt') {
      if (f.valuesLists) n++;
      if (f.op && f.op !== 'SETOP_NONE' && !nested.has(f)) {
        const leaves = (x: PgNode | undefined): number => {
          if (!x) return 0;
          if (x.op && x.op !== 'SETOP_NONE' && !x.sortClause && !x.limitCount && !x.limitOffset && !x.withClause) {
            nested.add(x);
            return leaves(x.larg) + leaves(x.rarg);
          }
          return 1;
        };
        n += leaves(f.larg) + leaves(f.rarg);
      }
    }
    return undefined;
  });
  return n;
}

/**
 * A foreign key's value as the model compares it: integers by value, text by its characters (`n:5`, `t:abc`), NULL as
 * null; undefined for any other type or value (char(n) pads, numeric and floats compare by value across scales).
 */
function keyText(v: CheckValue, type: string): string | null | undefined {
  if (v === null) return null;
  const t = knownBuiltinType(type);
  if ((t === 'smallint' || t === 'integer' || t === 'bigint') && v.kind === 'num' && Number.isInteger(v.v)) return `n:${v.v}`;
  if ((t === 'text' || t === 'character varying') && v.kind === 'text') return `t:${v.v}`;
  return undefined;
}

function isNullConst(node: PgNode | undefined): boolean {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  return !!n?.A_Const?.isnull;
}

function hasSublink(node: unknown): PgNode | undefined {
  let found: PgNode | undefined;
  walk(node, (type, _f, wrapper) => {
    if (found) return false;
    if (type === 'SubLink') found = wrapper;
    return undefined;
  });
  return found;
}

interface ModifyContext {
  command: 'UPDATE' | 'DELETE';
  node: PgNode;
  target: TableModel;
  targetRel: RelOcc;
  qm: QueryModel;
  uf: UnionFind;
  /**
   * The equivalence classes of the statement's own query block (with the subqueries PostgreSQL pulls up into it), which
   * carry the constants that pin the target: a subquery planned on its own keeps its constants
   */
  pinUf: UnionFind;
}

class DmlPredictor {
  private readonly text: string;
  private readonly pos: StatementPositions;
  /** the query model of the modification or MERGE being predicted (for the casts it resolved: isDistExpr) */
  private current?: QueryModel;
  /** the class keys of the columns of functions, VALUES and subquery expressions of the statement being planned */
  private originKeys?: Map<Origin, string>;
  /** a top-level UPDATE's SET list as the semantic layer read it (the conversions of its assignments) */
  setTargets?: readonly SetTarget[];
  /** the semantic layer's model of the whole statement (the volatility of each expression as resolved in context) */
  typed?: QueryModel;
  constructor(
    private readonly stmt: ParsedStatement,
    private readonly model: SchemaModel,
    private readonly session: SessionState,
    private readonly documentText: string | undefined,
    private readonly query?: QueryModel,
  ) {
    this.text = stmt.text;
    this.pos = new StatementPositions(stmt);
  }

  private finding(rule: string, citus: Msg, range: Range, summary: string, fix?: Fix, message?: string): PlannerFinding {
    const e = DML_EXPLANATIONS[rule];
    const c: CitusMessage = { level: citus.level ?? 'ERROR', message: citus.message, detail: citus.detail, hint: citus.hint };
    return {
      rule,
      citus: c,
      range,
      summary,
      message: message ?? `${e?.headline ?? summary}: ${c.detail && c.message === DML_MSG.cannotPushdown ? c.detail : c.message}`,
      explanation: e?.explanation ?? '',
      fix,
    };
  }

  /**
   * Why the router planner refuses a modification's CTEs (ModifyPartialQuerySupported): a data-modifying CTE of an INSERT, a
   * data-modifying CTE of a multi-shard modification, an INSERT CTE, or a modifying CTE that is itself
   * multi-shard (a distributed table without one distribution value in its WHERE).
   */
  cteRefusal(isInsert: boolean, ctes: PgNode[], outcome: Outcome): string | undefined {
    const modifying = ctes.map((c) => c.ctequery).filter((q: PgNode) => q && !q.SelectStmt);
    // (a SELECT CTE nothing reads is dropped when the CTEs are planned: the INSERT stays one router task)
    if (!modifying.length) return undefined;
    if (isInsert) return DML_MSG.cteInInsert;
    if (outcome === 'multi_shard') return DML_MSG.cteModifyingMultiShard;
    if (modifying.some((q: PgNode) => q.InsertStmt)) return DML_MSG.cteInsert;
    const multi = modifying.some((q: PgNode) => {
      const m = q.UpdateStmt ?? q.DeleteStmt ?? q.MergeStmt;
      const t = m?.relation ? this.resolve(m.relation) : undefined;
      if (!t || !hasDistributionKey(t)) return false;
      return this.distValues(m.whereClause, t.distributionColumn!, m.relation.alias?.aliasname ?? t.name, t)?.length !== 1;
    });
    return multi ? DML_MSG.cteModifyingMultiShard : undefined;
  }

  /**
   * A modification of a reference table whose data-modifying CTEs modify a distributed table, all on one shard: the
   * router planner makes them one task, which Citus refuses (`cannot perform select on a distributed table and modify a
   * reference table`). Checked on Citus 13.2.2 (test/fixtures/probes/sql/fk-parallel-access.sql).
   */
  referenceWithDistributedCte(modify: PgNode, ctes: PgNode[], res: DmlResult): DmlResult | undefined {
    const target = modify.relation ? this.resolve(modify.relation) : undefined;
    if (target?.kind !== 'reference') return undefined;
    for (const c of ctes) {
      const m = c.ctequery?.UpdateStmt ?? c.ctequery?.DeleteStmt ?? c.ctequery?.InsertStmt;
      const t = m?.relation ? this.resolve(m.relation) : undefined;
      if (!t || !isDistributed(t)) continue;
      const f = this.finding('reference-target-from-distributed', { level: 'ERROR', message: DML_MSG.referenceTargetSelectsDistributed }, this.pos.nameRange(m.relation.location), 'distributed table modified with a reference-table modification', undefined, `${displayName(target)} is a reference table: the CTE modifies ${displayName(t)} on one shard, so Citus routes the whole statement there, and a reference-table modification may not touch a distributed table in the same task; run the two as separate statements`);
      return this.error(res.command, f, res.target);
    }
    return undefined;
  }

  cteViaCoordinator(res: DmlResult, why: string): DmlResult {
    const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message: why }, { start: this.stmt.start, end: this.stmt.end }, 'CTE planned through the coordinator', undefined, `Citus' router planner refuses this statement's CTE ("${why}"): the CTE runs first and its rows pass through the coordinator`);
    return { ...res, outcome: 'coordinator', reasons: [f.citus], findings: [f, ...res.findings.filter((x) => x.rule !== 'multi-shard-modification')], summary: 'CTE via coordinator' };
  }

  /** The statement would run as several tasks, and citus.multi_task_query_log_level = error refuses that. */
  multiTaskRefused(res: DmlResult): DmlResult {
    const tasks = res.shardCount ? `${res.shardCountUpperBound ? 'up to ' : ''}${res.shardCount} tasks` : 'several tasks';
    const f = this.finding('multi-task-query', { level: 'ERROR', message: DML_MSG.multiTask, hint: DML_MSG.multiTaskHint }, { start: this.stmt.start, end: this.stmt.end }, 'multi-task query refused', undefined, `${res.command} would run as ${tasks} and citus.multi_task_query_log_level is error: Citus refuses it ("${DML_MSG.multiTask}")`);
    return this.error(res.command, f, res.target);
  }

  private error(command: string, f: PlannerFinding, target?: string, extra: PlannerFinding[] = []): DmlResult {
    return { outcome: 'error', reasons: [f.citus], findings: [f, ...extra], summary: f.summary, target, command };
  }

  private resolve(rv: PgNode): TableModel | undefined {
    return this.model.resolve(rv.schemaname, rv.relname, this.session.searchPath);
  }

  private unknownTable(name: string, location: number): PlannerFinding {
    return {
      rule: 'unknown-table',
      citus: { level: 'ERROR', message: `relation "${name}" is not known to the schema model` },
      range: this.pos.nameRange(location),
      summary: 'unknown table',
      message: `Unknown table "${name}": no DDL, snapshot or cluster defines it, so the outcome cannot be predicted`,
      explanation:
        'No CREATE TABLE in the workspace, no metadata snapshot and no connected cluster defines this table, so Citus Rollups cannot tell how it is distributed. Add its DDL (and create_distributed_table call) to the workspace, configure a snapshot, or connect a cluster.',
    };
  }

  private volatility(name: string): Volatility {
    return volatilityIn(this.model, name);
  }

  /** The first VOLATILE call (nextval is evaluated on the coordinator and allowed), outside sublinks. */
  private volatileCall(expr: unknown): PgNode | undefined {
    let found: PgNode | undefined;
    walk(expr, (type, f, wrapper) => {
      if (found) return false;
      if (type === 'SubLink') return false;
      if (type === 'FuncCall') {
        const name = functionName(f);
        if (name !== 'nextval' && this.volatility(name) === 'volatile') found = wrapper;
      }
      return undefined;
    });
    return found;
  }

  /** A CASE or COALESCE that calls a STABLE or VOLATILE function (now(), CURRENT_DATE, ...): contain_mutable_functions. */
  private mutableCaseOrCoalesce(expr: unknown, qm: QueryModel, inlined: boolean): PgNode | undefined {
    let found: PgNode | undefined;
    walk(expr, (type, f, wrapper) => {
      if (found) return false;
      if (type === 'SubLink') return false;
      if (type !== 'CaseExpr' && type !== 'CoalesceExpr') return undefined;
      // a CASE with a constant condition is folded away before Citus looks (eval_const_expressions)
      if (type === 'CaseExpr' && (f.args ?? []).some((w: PgNode) => w.CaseWhen?.expr?.A_Const?.boolval !== undefined)) return undefined;
      // contain_mutable_functions: calls, operators and conversions as resolved for their types (concat, `'x' || n`)
      let mutable = false;
      walk(f, (t, g) => {
        if (mutable) return false;
        if (t === 'SQLValueFunction') mutable = true;
        else if (t === 'FuncCall' || t === 'A_Expr' || t === 'TypeCast') {
          const v = this.typedVolatility(g, qm, inlined);
          if (v !== undefined ? v !== 'i' : t === 'FuncCall' && this.volatility(functionName(g)) !== 'immutable') mutable = true;
        }
        return undefined;
      });
      if (mutable) found = wrapper;
      return false;
    });
    return found;
  }

  /** What the semantic layer resolved a call, operator or conversion to; `inlined`: as the planner inlines SQL functions. */
  private typedVolatility(fields: PgNode, qm: QueryModel, inlined: boolean): 'i' | 's' | 'v' | undefined {
    return inlined && qm.inlinedVolatilityOf ? qm.inlinedVolatilityOf(fields) : qm.volatilityOf(fields);
  }

  /** `col.field` (a FieldStore) in an INSERT column list or an UPDATE SET target: Citus cannot route a partial composite. */
  private compositeField(rt: PgNode | undefined): PlannerFinding | undefined {
    if (!rt?.indirection?.some((i: PgNode) => i.String)) return undefined;
    return this.finding('insert-target-subscript', { message: DML_MSG.compositeField, hint: DML_MSG.compositeFieldHint }, this.pos.nodeRange(undefined, rt.location), 'composite field assigned');
  }

  /**
   * STABLE whatever the argument types: declared so in the workspace, or every built-in overload of the name is
   * STABLE or VOLATILE (to_char; not age, whose two-timestamp form is IMMUTABLE). Anything else says nothing.
   */
  private surelyStable(name: string): boolean {
    const declared = this.model.functions.get(name);
    if (declared) return declared === 'stable';
    const overloads = builtins().functionsNamed(name);
    if (overloads.length) return overloads.every((o) => o.volatility !== 'i') && overloads.some((o) => o.volatility === 's');
    return this.volatility(name) === 'stable';
  }

  /** The first SET value whose assignment conversion is STABLE and which reads a column outside a CASE / COALESCE. */
  private stableAssignment(list: PgNode[], qm: QueryModel): PgNode | undefined {
    const targets = this.setTargets;
    if (!targets || targets.length !== list.length) return undefined;
    for (let i = 0; i < list.length; i++) {
      const val = list[i].ResTarget?.val;
      if (targets[i].conversion !== 's' || !val) continue;
      let seen = false;
      walk(val, (t, _f, w) => {
        if (seen || t === 'SubLink' || t === 'CaseExpr' || t === 'CoalesceExpr') return false;
        if (t === 'ColumnRef' && qm.originOf(w).kind !== 'unknown') seen = true;
        return undefined;
      });
      if (seen) return val;
    }
    return undefined;
  }

  /**
   * MasterIrreducibleExpression's STABLE-with-a-column case: a function, an operator or a type conversion that is
   * STABLE (as the semantic layer resolved it for these argument types: `created_at::date`, `timestamptz > date`,
   * `date_trunc('day', timestamptz)`; or a function STABLE in every overload) applied to a column.
   */
  private stableWithColumn(expr: unknown, qm: QueryModel, inlined: boolean): PgNode | undefined {
    let found: PgNode | undefined;
    // a column reference the resolver bound to a column (a PL/pgSQL variable is a parameter to Citus, not a column)
    const hasColumn = (n: unknown): boolean => {
      let seen = false;
      walk(n, (t, _f, w) => {
        if (seen || t === 'SubLink') return false;
        if (t === 'ColumnRef' && qm.originOf(w).kind !== 'unknown') seen = true;
        return undefined;
      });
      return seen;
    };
    walk(expr, (type, f, wrapper) => {
      if (found) return false;
      // MasterIrreducibleExpressionWalker does not look into a CASE or COALESCE (the CASE / COALESCE check does)
      if (type === 'SubLink' || type === 'CaseExpr' || type === 'CoalesceExpr') return false;
      const v = type === 'FuncCall' || type === 'A_Expr' || type === 'TypeCast' ? this.typedVolatility(f, qm, inlined) : undefined;
      if (type === 'FuncCall' && (v === 's' || (v === undefined && this.surelyStable(functionName(f)))) && hasColumn(f.args)) found = wrapper;
      else if (type === 'A_Expr' && v === 's' && hasColumn([f.lexpr, f.rexpr])) found = wrapper;
      else if (type === 'TypeCast' && v === 's' && hasColumn(f.arg)) found = wrapper;
      return undefined;
    });
    return found;
  }

  // ---- SET / RESET -------------------------------------------------------------------------------
  setting(set: PgNode): DmlResult | undefined {
    const name = String(set.name ?? '').toLowerCase();
    if (!name.startsWith('citus.')) return undefined;
    const short = name.slice('citus.'.length);
    const status = settingStatus(short);
    const command = set.kind === 'VAR_RESET' ? 'RESET' : 'SET';
    const range = this.pos.statementRange();
    const value = set.kind === 'VAR_SET_VALUE' ? (constValue(set.args?.[0]) ?? '').toLowerCase() : '';
    switch (status.kind) {
      case 'removed':
      case 'unknown': {
        const citus: Msg = { level: 'ERROR', message: DML_MSG.reservedPrefix(name), detail: DML_MSG.reservedPrefixDetail };
        const what = status.kind === 'removed' ? `${name} no longer exists (${status.info.replacement})` : `${name} is not a Citus 13 setting`;
        const f = this.finding('removed-citus-setting', citus, range, 'removed setting', this.deleteLineFix(name), `${what}: the ${command} fails (ERROR: ${citus.message}) and aborts the transaction`);
        return this.error(command, f);
      }
      case 'not_session': {
        const message =
          status.context === 'sighup'
            ? DML_MSG.cannotChangeNow(name)
            : status.context === 'postmaster'
              ? DML_MSG.cannotChangeRestart(name)
              : status.context === 'backend'
                ? DML_MSG.cannotSetAfterStart(name)
                : DML_MSG.cannotChange(name);
        return { outcome: 'error', reasons: [{ level: 'ERROR', message }], findings: [], summary: 'not settable in a session', command };
      }
      case 'deprecated': {
        const printed = command === 'SET' ? status.info.message?.(value) : undefined;
        const reasons: CitusMessage[] = printed ? [{ level: printed.level, message: printed.message, detail: printed.detail }] : [];
        const citus: Msg = printed ? { level: printed.level, message: printed.message, detail: printed.detail } : { level: 'NOTICE', message: `${name} ${status.info.replacement}` };
        const f = this.finding('removed-citus-setting', citus, range, 'deprecated setting', this.deleteLineFix(name), `${name} ${status.info.replacement}`);
        return { outcome: 'ok_setting', reasons, findings: [f], summary: 'deprecated setting', command };
      }
      default: {
        if (short === 'subquery_pushdown' && command === 'SET' && (value === 'on' || value === 'true' || value === '1')) {
          return {
            outcome: 'ok_setting',
            reasons: [{ level: 'NOTICE', message: 'Setting citus.subquery_pushdown flag is discouraged becuase it forces the planner to pushdown certain queries, skipping relevant correctness checks.' }],
            findings: [],
            command,
          };
        }
        return { outcome: 'ok_setting', reasons: [], findings: [], command };
      }
    }
  }

  /** Deletes the statement's line(s) (or just the statement and its semicolon when it shares the line). */
  private deleteLineFix(name: string): Fix {
    const doc = this.documentText;
    let start = this.stmt.start;
    let end = this.stmt.end;
    if (doc) {
      let e = end;
      while (e < doc.length && (doc[e] === ' ' || doc[e] === '\t')) e++;
      if (doc[e] === ';') e++;
      end = e;
      let s = start;
      while (s > 0 && (doc[s - 1] === ' ' || doc[s - 1] === '\t')) s--;
      let t = end;
      while (t < doc.length && (doc[t] === ' ' || doc[t] === '\t')) t++;
      const lineStart = s === 0 || doc[s - 1] === '\n';
      const lineEnd = t >= doc.length || doc[t] === '\n' || doc[t] === '\r';
      if (lineStart && lineEnd) {
        start = s;
        end = t;
        if (doc[end] === '\r') end++;
        if (doc[end] === '\n') end++;
      }
    }
    return { title: `Remove the ${name} line`, edits: [{ range: { start, end }, newText: '' }] };
  }

  // ---- INSERT .. VALUES --------------------------------------------------------------------------
  insertValues(insert: PgNode): DmlResult | undefined {
    const result = this.insertValuesPlan(insert);
    if (!result?.outcome || result.outcome === 'error' || !insert.onConflictClause) return result;
    const target = this.resolve(insert.relation);
    const columnar = target?.accessMethod === 'columnar' ? this.columnarUpsert(target, insert) : undefined;
    if (!columnar) return result;
    return columnar.severity ? { ...result, findings: [...result.findings, columnar] } : this.error('INSERT', columnar, result.target);
  }

  /** INSERT .. VALUES .. ON CONFLICT into a columnar table (schema/arbiters.ts columnarConflictFailure). */
  private columnarUpsert(target: TableModel, insert: PgNode): PlannerFinding | undefined {
    const failure = columnarConflictFailure(target, insert.onConflictClause);
    if (!failure) return undefined;
    const message = 'columnar_tuple_insert_speculative not implemented';
    const range = this.pos.nameRange(insert.relation.location ?? 0);
    const why = `${displayName(target)} is a columnar table: columnar storage cannot insert a row speculatively, as ON CONFLICT does for a row that does not conflict`;
    if (failure === 'every-row') {
      return this.finding('modify-columnar-table', { message }, range, 'ON CONFLICT DO UPDATE into a columnar table', undefined, `${why} (${message}), nor lock a row that does to update it (columnar_tuple_lock not implemented): every row fails. Insert without ON CONFLICT, or keep the table heap`);
    }
    const f = this.finding('modify-columnar-table', { message }, range, 'ON CONFLICT DO NOTHING into a columnar table', undefined, `${why}: every row that does not conflict fails (${message}); only a run whose rows all conflict succeeds`);
    return { ...f, severity: 'warning' };
  }

  private insertValuesPlan(insert: PgNode): DmlResult | undefined {
    const rv = insert.relation;
    const targetName = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    const target = this.resolve(rv);
    const command = 'INSERT';
    const unknown: PlannerFinding[] = [];
    if (!target) unknown.push(this.unknownTable(targetName, rv.location ?? 0));
    const subTables = this.tablesIn(insert.selectStmt, unknown);
    if (!target || unknown.length) return { reasons: [], findings: unknown, target: targetName, summary: 'unknown table', command };
    if (target.kind === 'view') {
      const viewed = this.viewTarget(command, target, rv, targetName, subTables.some(isCitusTable), false);
      if (viewed) return viewed;
    }

    const conflict = insert.onConflictClause?.OnConflictClause ?? insert.onConflictClause;
    const arbiter = this.arbiterError(conflict, target);
    if (arbiter) return this.error(command, arbiter, targetName);

    if (!isCitusTable(target)) {
      // a subquery on a Citus table makes it a distributed INSERT .. VALUES, which Citus refuses even into a
      // local table (after planning the subquery: its result goes back into the same VALUES)
      const citusSub = subTables.some(isCitusTable) ? hasSublink([insert.selectStmt, insert.onConflictClause, insert.returningList]) : undefined;
      if (citusSub) {
        const f = this.finding('insert-values-subquery', { level: 'ERROR', message: DML_MSG.insertSubquery, hint: DML_MSG.insertSubqueryHint }, this.pos.nodeRange(citusSub), 'subquery in VALUES', this.valuesToSelectFix(insert));
        return this.error(command, f, targetName);
      }
      if (subTables.some(isCitusTable)) {
        return { outcome: 'coordinator', reasons: [], findings: [], target: targetName, summary: 'subquery on a Citus table', command };
      }
      if (target.kind === 'matview') return this.error(command, this.matviewTarget(target, rv), targetName);
      const rowError = this.rowError(target, insert);
      if (rowError && !rowError.severity) return this.error(command, rowError, targetName);
      return { outcome: 'local', reasons: [], findings: rowError ? [rowError] : [], target: targetName, summary: 'plain PostgreSQL', command };
    }

    // EnsurePartitionTableNotReplicated comes before ModifyQuerySupported's checks (CreateDistributedPlan)
    const replicated = replicatedPartitionError(this.model, target);
    if (replicated) return this.error(command, this.finding('dml-join-not-colocated', replicated, this.pos.nameRange(rv.location ?? 0), 'partition of a replicated table'), targetName);
    for (const c of insert.cols ?? []) {
      const field = this.compositeField(c.ResTarget);
      if (field) return this.error(command, field, targetName);
    }
    // subqueries anywhere in the INSERT (VALUES, ON CONFLICT, RETURNING)
    const sub = hasSublink([insert.selectStmt, insert.onConflictClause, insert.returningList]);
    if (sub) {
      const f = this.finding('insert-values-subquery', { message: DML_MSG.insertSubquery, hint: DML_MSG.insertSubqueryHint }, this.pos.nodeRange(sub), 'subquery in VALUES', this.valuesToSelectFix(insert));
      return this.error(command, f, targetName);
    }
    const returning = this.mutableReturning(insert.returningList, this.typedWith([{ RangeVar: rv }], resTargetValues(insert.returningList)));
    if (returning) return this.error(command, returning, targetName);
    const dist = hasDistributionKey(target) ? target.distributionColumn : undefined;
    if (conflict && conflict.action === 'ONCONFLICT_UPDATE') {
      const alias = rv.alias?.aliasname ?? target.name;
      // the SET values and WHERE clauses typed against the target and `excluded` (an unqualified column, ambiguous
      // here, leaves its expression to the names)
      const typed = this.typedWith(conflictFrom(rv), conflictExprs(conflict));
      for (const t of conflict.targetList ?? []) {
        const rt = t.ResTarget;
        if (!rt) continue;
        if (dist && rt.name === dist) {
          const v = rt.val?.ColumnRef ? nameList(rt.val.ColumnRef.fields) : undefined;
          const ok = v && v[v.length - 1] === dist && (v.length === 1 || v[0].toLowerCase() === 'excluded' || v[0] === alias);
          if (!ok) {
            return this.error(command, this.finding('on-conflict-modifies-dist-column', { message: DML_MSG.modifyPartition }, this.pos.nodeRange(rt.val, rt.location), 'modifies the distribution column'), targetName);
          }
          continue;
        }
        const bad = typed ? firstMutable(rt.val, this.model, typed) : firstMutableCall(rt.val, this.model);
        if (bad) return this.error(command, this.finding('volatile-function-in-modification', { message: DML_MSG.onConflictSet }, this.pos.nodeRange(bad), 'mutable function in ON CONFLICT'), targetName);
      }
      const infer = conflict.infer?.InferClause ?? conflict.infer;
      for (const w of [conflict.whereClause, infer?.whereClause]) {
        const bad = typed ? firstMutable(w, this.model, typed) : firstMutableCall(w, this.model);
        if (bad) return this.error(command, this.finding('volatile-function-in-modification', { message: DML_MSG.onConflictWhere }, this.pos.nodeRange(bad), 'mutable function in ON CONFLICT'), targetName);
      }
    }

    if (!dist) {
      const rowError = this.rowError(target, insert);
      if (rowError && !rowError.severity) return this.error(command, rowError, targetName);
      return { outcome: 'single_shard', shardCount: 1, totalShards: 1, reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }], findings: rowError ? [rowError] : [], target: targetName, summary: `single shard: ${kindWord(target)}`, command };
    }

    const rows: PgNode[][] = (insert.selectStmt?.SelectStmt?.valuesLists ?? []).map((r: PgNode) => r.List?.items ?? []);
    const cols: string[] = insert.cols?.length ? insert.cols.map((c: PgNode) => c.ResTarget?.name) : target.columns.map((c) => c.name);
    const pos = cols.indexOf(dist);
    const width = rows[0]?.length ?? 0;
    const column = findColumn(target, dist);
    const hasDefault = !!column && column.defaultKind !== 'none';
    const total = target.shardCount ?? this.model.defaultShardCount;
    if (pos < 0 || pos >= width || rows.length === 0) {
      if (hasDefault) {
        return this.valuesOutcome(target, targetName, rows.length <= 1 || column!.defaultKind === 'immutable' || column!.defaultKind === 'stable' ? [] : undefined, rows.length, total, command);
      }
      const range = insert.cols?.length ? this.columnListRange(insert.cols) : this.pos.nameRange(rv.location ?? 0);
      const f = this.finding('insert-without-dist-column', { message: DML_MSG.insertNoPartitionValue }, range, 'distribution column missing', undefined, `The INSERT does not give ${displayName(target)}.${dist}, its distribution column: ${DML_MSG.insertNoPartitionValue}`);
      return this.error(command, f, targetName);
    }
    const srf = rows.length === 1 ? this.setReturningInRow(insert, rows[0], pos) : undefined;
    if (srf && !srf.severity) return this.error(command, srf, targetName);
    // one row: the router planner prunes by the value, coerced to the column's type (TransformPartitionRestrictionValue)
    const uncast = rows.length === 1 ? this.uncastDomainConstant(target, rows[0][pos]) : undefined;
    if (uncast) {
      const f = this.finding('domain-dist-column-constant', { message: `Cannot coerce ${uncast.from} to ${uncast.domain}` }, this.pos.nodeRange(rows[0][pos]), 'constant not cast to the distribution column\'s domain', undefined, `${displayName(target)}.${dist} is of the domain ${uncast.domain}, which has constraints: Citus 13.2 cannot turn the constant into a value of it to find the shard (\`Cannot coerce ${uncast.from} to ${uncast.domain}\`); cast it: ${uncast.cast}`);
      return this.error(command, f, targetName);
    }
    const values: string[] = [];
    let unknownValues = 0;
    for (const row of rows) {
      const v = row[pos];
      if (v?.SetToDefault && !hasDefault && rows.length === 1) {
        // one row: the rewriter leaves a column without a default out of the target list (rewriteTargetListIU); in a
        // VALUES list of several rows it writes NULL (rewriteValuesRTE) (checked on Citus 13.2.2)
        const f = this.finding('insert-without-dist-column', { message: DML_MSG.insertNoPartitionValue }, this.pos.nodeRange(v), 'distribution column DEFAULT without a default', undefined, `DEFAULT for ${displayName(target)}.${dist}, the distribution column, which has no default: ${DML_MSG.insertNoPartitionValue}`);
        return this.error(command, f, targetName);
      }
      if (isNullConst(v) || (v?.SetToDefault && !hasDefault)) {
        const f = this.finding('insert-null-dist-column', { message: DML_MSG.insertNullPartitionValue }, this.pos.nodeRange(v), 'NULL distribution value', undefined, `NULL in ${displayName(target)}.${dist}, the distribution column: ${DML_MSG.insertNullPartitionValue}`);
        return this.error(command, f, targetName);
      }
      // (an expression of constants is evaluated first, `35 + 1` routes as 36: Citus evaluates a VALUES row's
      // expressions on the coordinator before it picks the shard)
      const c = pinValue(v);
      if (c !== undefined) values.push(c);
      else unknownValues++;
    }
    const rowError = this.rowError(target, insert);
    if (rowError && !rowError.severity) return this.error(command, rowError, targetName);
    const routed = unknownValues ? this.valuesOutcome(target, targetName, rows.length === 1 ? [] : undefined, rows.length, total, command) : this.valuesOutcome(target, targetName, values, rows.length, total, command, dist);
    const extra = [...(srf ? [srf] : []), ...(rowError ? [rowError] : [])];
    return extra.length ? { ...routed, findings: [...routed.findings, ...extra] } : routed;
  }

  /**
   * A set-returning function in the one row of an INSERT .. VALUES into a table with a distribution column. Citus
   * computes the distribution column's value on the coordinator to route the row: a set-returning call that is that
   * value is no constant (`failed to evaluate partition key in insert`, RouterInsertTaskList), one inside its
   * expression fails there (`set-valued function called in context that cannot accept a set`). One in another
   * column fails the same way when the row's shard is on a worker, and works when it is on the coordinator (a
   * single-node cluster): a warning. Checked on Citus 13.2.2, multi-node and single-node; a reference, single-shard
   * or citus-local table runs the row on its one shard, where PostgreSQL takes it.
   */
  private setReturningInRow(insert: PgNode, row: PgNode[], distPos: number): PlannerFinding | undefined {
    const typed = this.typedWith([], row);
    const returnsSet = typed?.returnsSetOf?.bind(typed);
    if (!returnsSet) return undefined;
    const srfIn = (expr: unknown): PgNode | undefined => {
      let found: PgNode | undefined;
      walk(expr, (type, f, wrapper) => {
        if (found || type === 'SubLink') return false;
        if (type === 'FuncCall' && !f.over && returnsSet(f)) found = wrapper;
        return undefined;
      });
      return found;
    };
    const fix = this.valuesToSelectFix(insert);
    const setValued = 'set-valued function called in context that cannot accept a set';
    // (a cast around the call is no expression to evaluate when it converts to the same type or implicitly)
    const dist = stripCast(row[distPos]);
    if (dist?.FuncCall && !dist.FuncCall.over && returnsSet(dist.FuncCall)) {
      return this.finding('insert-values-subquery', { message: DML_MSG.insertPartitionKeyNotEvaluated, hint: 'try using constant values for partition column' }, this.pos.nodeRange(dist), 'set-returning function as the distribution value', fix, `${functionName(dist.FuncCall)}() returns a set, and Citus routes the row by the one value of its distribution column: ${DML_MSG.insertPartitionKeyNotEvaluated}. Write the INSERT as INSERT .. SELECT`);
    }
    const inDist = srfIn(row[distPos]);
    if (inDist) {
      return this.finding('insert-values-subquery', { message: setValued }, this.pos.nodeRange(inDist), 'set-returning function in the distribution value', fix, `${functionName(inDist.FuncCall)}() returns a set, and Citus computes the distribution column's value on the coordinator to route the row: ${setValued}. Write the INSERT as INSERT .. SELECT`);
    }
    const elsewhere = row.map((v, i) => (i === distPos ? undefined : srfIn(v))).find(Boolean);
    if (!elsewhere) return undefined;
    const f = this.finding('insert-values-subquery', { message: setValued }, this.pos.nodeRange(elsewhere), 'set-returning function in VALUES', fix, `${functionName(elsewhere.FuncCall)}() returns a set: Citus computes the row on the coordinator before it sends it to a shard on a worker node, which fails (${setValued}); only a shard on the coordinator itself (a single-node cluster) takes it. Write the INSERT as INSERT .. SELECT`);
    return { ...f, severity: 'warning' };
  }

  /**
   * Rows PostgreSQL rejects whatever the data (constants as written): a value its column's domain refuses; a partition
   * key value that no partition of a partitioned target takes; NULL (or DEFAULT without a default) in a NOT NULL
   * column, or a NOT NULL column of a built-in type without a default left out of the column list; a row a CHECK
   * constraint finds false (partitionBounds.ts and checkEval.ts compare exactly or not at all); a key outside the
   * bound of the partition inserted into. Constraints are checked after BEFORE ROW triggers, which may change the row,
   * and a rule may rewrite the INSERT: a target (or a partition, or a parent) with either is not checked for them.
   */
  private rowError(target: TableModel, insert: PgNode, command = 'INSERT'): PlannerFinding | undefined {
    // (inherited columns come first and bring their defaults: the model does not know them)
    if (target.columnsIncomplete) return undefined;
    const rows: PgNode[][] = (insert.selectStmt?.SelectStmt?.valuesLists ?? []).map((r: PgNode) => r.List?.items ?? []);
    const cols: string[] = insert.cols?.length ? insert.cols.map((c: PgNode) => c.ResTarget?.name) : target.columns.map((c) => c.name);
    const parent = this.model.parentOf(target);
    const key = target.partitioned ? (target.partitionKey ?? []) : (parent?.partitionKey ?? []);
    const partitions = target.partitioned ? this.model.partitionsOf(target) : [];
    const rowsChecked = !this.model.rowHooksReach(target);
    // a NOT NULL column the INSERT leaves out gets its default, and without one NULL (a domain's default or a
    // generated value the model may not know of: only columns of built-in types count)
    const given = new Set(cols);
    const leftOut = rowsChecked ? target.columns.find((col) => !given.has(col.name) && nullWhenLeftOut(col)) : undefined;
    const checks = rowsChecked ? this.model.checksOf(target) : [];
    // PostgreSQL, row by row: the partition the row goes to (ExecFindPartition), then NOT NULL and CHECK
    // (ExecConstraints, CHECKs in the order of their names), then the bound of a partition inserted into directly
    // (the keys of the rows before, per unique key, for duplicateKey)
    const uniques = new Map<string, Set<string>>();
    for (const row of rows) {
      // the row's values are computed first, each converted to its column's type: a domain's NOT NULL and CHECKs
      const domainError = rowsChecked ? this.domainError(target, cols, row, insert) : undefined;
      if (domainError) return domainError;
      const keyed = key.length ? this.rowKey(target, key, cols, row, insert) : undefined;
      // the relation PostgreSQL names: the partition the row goes to, when the model can tell which
      const routed = keyed && keyed.variants.length === 1 && target.partitioned ? partitions.filter((p) => p.partitionBound && boundContains(p.partitionBound, keyed.values, keyed.types) === true && (p.partitionBound.kind !== 'default' || partitions.length === 1)) : [];
      const relation = routed.length === 1 && !routed[0].partitioned ? routed[0].name : target.name;
      // a partition whose bound the model does not read (FOR VALUES WITH (MODULUS ...) of a hash-partitioned table) may take the row
      if (keyed && target.partitioned && !target.partitionsIncomplete && partitions.length && partitions.every((p) => p.partitionBound) && partitions.every((p) => keyed.variants.every((v) => boundContains(p.partitionBound!, v, keyed.types) === false))) {
        const message = `no partition of relation "${target.name}" found for row`;
        const today = keyed.variants.length > 1 ? this.session.today : undefined;
        const why = today
          ? `The partition key is the current date or time, and no partition of ${displayName(target)} takes ${today} (nor the day before or after, whatever the session's time zone): run today, the ${command} fails with "${message}". Create the partition for the current period first (create_time_partitions, or CREATE TABLE .. PARTITION OF), or a DEFAULT partition; if a job outside these files (pg_cron, pg_partman) creates it, disable this check for the statement`
          : `No partition of ${displayName(target)} takes ${keyed.shown}: ${message}`;
        return this.finding('insert-null-dist-column', { message, detail: `Partition key of the failing row contains ${keyed.shown}.` }, keyed.at, today ? 'no partition for today' : 'no partition for the row', undefined, why);
      }
      if (leftOut) {
        const message = `null value in column "${leftOut.name}" of relation "${relation}" violates not-null constraint`;
        const range = insert.cols?.length ? this.columnListRange(insert.cols) : this.pos.nameRange(insert.relation.location ?? 0);
        return this.finding('insert-null-dist-column', { message }, range, 'NOT NULL column left out', undefined, `The ${command} leaves out ${displayName(target)}.${leftOut.name}, which is NOT NULL and has no default: every row of it is NULL there, and every run of this ${command} fails`);
      }
      for (const [i, name] of cols.entries()) {
        const col = findColumn(target, name);
        const v = row[i];
        if (!col || !v || !rowsChecked) continue;
        if (isNullConst(v) ? col.notNull : v.SetToDefault && nullWhenLeftOut(col)) {
          const message = `null value in column "${name}" of relation "${relation}" violates not-null constraint`;
          return this.finding('insert-null-dist-column', { message }, this.pos.nodeRange(v), 'NULL in a NOT NULL column', undefined, `NULL in ${displayName(target)}.${name}, which is NOT NULL: ${command === 'COPY' ? 'a row of the data has NULL there, and this COPY fails' : 'every run of this INSERT fails'}`);
        }
      }
      if (checks.length) {
        const values = new Map<string, CheckValue | undefined>();
        for (const col of target.columns) {
          const i = cols.indexOf(col.name);
          const v = i >= 0 ? row[i] : undefined;
          // (text under a COLLATE clause: its equality may not be the characters')
          values.set(col.name, col.collated ? undefined : v && !v.SetToDefault ? columnValue(v, col.type) : this.defaultValue(col));
        }
        const failed = checks.find((k) => evalCheck(k.expr, (n) => (values.has(n) ? values.get(n) : undefined)) === false);
        if (failed) {
          const message = `new row for relation "${relation}" violates check constraint "${failed.name}"`;
          return this.finding('insert-null-dist-column', { message }, row.length ? this.pos.nodeRange(row[0]) : this.pos.nameRange(insert.relation.location ?? 0), 'CHECK constraint violated', undefined, `This row fails the CHECK constraint ${failed.name} of ${displayName(target)}: ${command === 'COPY' ? 'this COPY fails' : 'every run of this INSERT fails'}`);
        }
      }
      if (keyed && target.partitionBound && keyed.variants.every((v) => boundContains(target.partitionBound!, v, keyed.types) === false)) {
        const message = `new row for relation "${target.name}" violates partition constraint`;
        return this.finding('insert-null-dist-column', { message }, keyed.at, 'outside the partition', undefined, `${keyed.shown} is outside the bound of the partition ${displayName(target)}: ${message}`);
      }
      // then the row goes into the table's unique indexes: one an earlier row of the same VALUES holds refuses it (a
      // VALUES of one row has none)
      const duplicate = rows.length > 1 && rowsChecked && !insert.onConflictClause ? this.duplicateKey(target, cols, row, uniques, insert, command) : undefined;
      if (duplicate) return duplicate;
    }
    // (foreign keys are checked once every row is in: RI_FKey_check runs as an AFTER trigger at the end of the statement)
    return rowsChecked && !insert.onConflictClause ? this.foreignKeyError(target, cols, rows, insert, command) : undefined;
  }

  /**
   * A row a foreign key of the target refuses (ri_triggers.c RI_FKey_check): under MATCH FULL, a key with NULL in some
   * of its columns and values in others; and a key of values (no NULL) that no row of the referenced table may hold,
   * when the file created that table and the model follows every row written to it since (foreignKeys.ts
   * referencedRows: none, or the rows of INSERT .. VALUES, compared as integers or text). Not a key that references the
   * target itself (the statement's own rows are there), nor a DEFERRABLE one, nor in a file that alters constraints,
   * nor on a target the file did not create new or created a trigger or rule on; only a key whose name the model knows
   * (PostgreSQL's message names it).
   */
  private foreignKeyError(target: TableModel, cols: string[], rows: PgNode[][], insert: PgNode, command: string): PlannerFinding | undefined {
    const fks = target.foreignKeys;
    // (a statement in a function's body runs when the function is called, on the rows there are then)
    if (!fks?.length || this.session.constraintsAltered || this.stmt.parentIndex !== undefined) return undefined;
    // (a trigger on the target, of this file or from elsewhere, may write the referenced row before the key's check)
    if (this.session.hookTables?.has(target.name) || !this.session.createdFresh?.has(qualifiedName(target.schema, target.name))) return undefined;
    // a key column's value: null, not null (with its key text when the model can compare it), or unknown
    type KeyValue = { isNull: true } | { isNull: false; key?: string } | undefined;
    const keyValue = (row: PgNode[], column: string): KeyValue => {
      const col = findColumn(target, column);
      if (!col) return undefined;
      const i = cols.indexOf(column);
      const node = i >= 0 ? row[i] : undefined;
      const v = this.rowValue(col, node);
      if (v === null) return { isNull: true };
      if (v === undefined) return col.notNull ? { isNull: false } : undefined;
      return { isNull: false, key: col.collated ? undefined : (keyText(v, col.type) ?? undefined) };
    };
    for (const row of rows) {
      for (const fk of fks) {
        const name = fk.deferrable ? undefined : foreignKeyName(target, fk);
        if (!name) continue;
        const values = fk.columns.map((c) => keyValue(row, c));
        if (values.some((v) => v === undefined)) continue;
        const known = values as Exclude<KeyValue, undefined>[];
        const nulls = known.filter((v) => v.isNull).length;
        const at = (): Range => {
          const i = cols.indexOf(fk.columns[0]);
          return i >= 0 && row[i] ? this.pos.nodeRange(row[i]) : this.pos.nameRange(insert.relation.location ?? 0);
        };
        const message = `insert or update on table "${target.name}" violates foreign key constraint "${name}"`;
        if (fk.matchFull && nulls > 0 && nulls < known.length) {
          const detail = 'MATCH FULL does not allow mixing of null and nonnull key values.';
          return this.finding('insert-null-dist-column', { message, detail }, at(), 'MATCH FULL key half NULL', undefined, `The foreign key ${name} of ${displayName(target)} is MATCH FULL, and this row has NULL in some of its columns (${fk.columns.join(', ')}) and a value in others: ${message} (${detail})`);
        }
        if (nulls > 0) continue;
        const referenced = this.model.tables.get(fk.to);
        // (a table of another access method, columnar, reads its rows its own way)
        const held = referenced && referenced !== target && !referenced.accessMethod && !target.accessMethod ? referencedRows(this.model, this.session, referenced) : undefined;
        if (!referenced || !held) continue;
        const keys = known.map((v) => (v.isNull ? undefined : v.key));
        if (held.length && (keys.some((k) => k === undefined) || held.some((r) => this.mayHoldKey(referenced, r, fk.refColumns, keys as string[])))) continue;
        const shown = keys.every((k) => k !== undefined) ? (keys as string[]).map((k) => k.slice(2)) : undefined;
        const detail = shown ? `Key (${fk.columns.join(', ')})=(${shown.join(', ')}) is not present in table "${referenced.name}".` : undefined;
        const why = held.length ? `which holds no row with that key (the file created it, and only its INSERT .. VALUES wrote to it)` : 'which this file created and has written no row to';
        return this.finding('insert-null-dist-column', { message, detail }, at(), 'key not in the referenced table', undefined, `The foreign key ${name} of ${displayName(target)} references ${displayName(referenced)}, ${why}: the key of this row is not there, and the ${command} fails (${message})`);
      }
    }
    return undefined;
  }

  /**
   * A row whose key a unique key of the target already holds from an earlier row of the same VALUES (ExecInsertIndexTuples:
   * `duplicate key value violates unique constraint`), whatever the table holds. Only the primary and unique keys the
   * table was created with (constraintsAtCreate: one added later may have been refused for the rows there were), of
   * plain columns, not DEFERRABLE (checked later), of a heap table that is not partitioned (its partitions' indexes
   * have names of their own); values compared as integers or text, NULL never equal. `seen` keeps the keys of the rows
   * before, per key name.
   */
  private duplicateKey(target: TableModel, cols: string[], row: PgNode[], seen: Map<string, Set<string>>, insert: PgNode, command: string): PlannerFinding | undefined {
    // (columnar's index checks do not see the rows of the statement before: Citus' columnar_insert.sql)
    if (target.partitioned || target.keysUncertain || target.accessMethod || (target.kind !== 'local' && !isCitusTable(target))) return undefined;
    for (const [name, key] of Object.entries(target.keyNames ?? {})) {
      // (a key CREATE TABLE made: one added later may have been refused for the rows there were)
      if ((key.kind !== 'primary' && key.kind !== 'unique') || key.other || key.deferrable || !key.columns.length || !target.constraintsAtCreate?.includes(name)) continue;
      const values = key.columns.map((c) => {
        const col = findColumn(target, c);
        if (!col || col.collated) return undefined;
        const i = cols.indexOf(c);
        const node = i >= 0 ? row[i] : undefined;
        const v = this.rowValue(col, node);
        return v === undefined || v === null ? undefined : (keyText(v, col.type) ?? undefined);
      });
      if (values.some((v) => v === undefined)) continue;
      const tuple = (values as string[]).join('\u0000');
      const earlier = seen.get(name) ?? new Set<string>();
      if (earlier.has(tuple)) {
        // (a key the model cannot name: PostgreSQL names it in its message)
        if (name.startsWith('\u0000')) return undefined;
        const message = `duplicate key value violates unique constraint "${name}"`;
        const detail = `Key (${key.columns.join(', ')})=(${(values as string[]).map((v) => v.slice(2)).join(', ')}) already exists.`;
        const i = cols.indexOf(key.columns[0]);
        const range = i >= 0 && row[i] ? this.pos.nodeRange(row[i]) : row.length ? this.pos.nodeRange(row[0]) : this.pos.nameRange(insert.relation?.location ?? 0);
        const f = this.finding('insert-null-dist-column', { message, detail }, range, 'duplicate key in the VALUES', undefined, `Two rows of this ${command} have ${key.columns.join(', ')} = (${(values as string[]).map((v) => v.slice(2)).join(', ')}), and ${name} is unique: the second fails, every time (${message})`);
        // (a warning, the plan's outcome kept: a unique violation is the rows' failure, raised as each row goes in,
        // as the recorded corpora label it; here whatever the table holds)
        f.severity = 'warning';
        return f;
      }
      earlier.add(tuple);
      seen.set(name, earlier);
    }
    return undefined;
  }

  /** A row's value for `col`: its node as the column reads it, or the column's default (DEFAULT, or left out). */
  private rowValue(col: ColumnModel, node: PgNode | null | undefined): CheckValue | undefined {
    return node && !node.SetToDefault ? (isNullConst(node) ? null : columnValue(node, col.type)) : this.defaultValue(col);
  }

  /** Whether a row an INSERT .. VALUES wrote to `table` may have `keys` in `columns` (a value the model cannot read may). */
  private mayHoldKey(table: TableModel, row: KnownRow, columns: readonly string[], keys: readonly string[]): boolean {
    return columns.every((c, i) => {
      const col = findColumn(table, c);
      if (!col || col.collated || !row.has(c)) return true;
      const v = this.rowValue(col, row.get(c));
      if (v === null) return false;
      const k = v === undefined ? undefined : keyText(v, col.type);
      return k === undefined || k === keys[i];
    });
  }

  /**
   * The first value of the row, in the table's column order, that its column's domain refuses: NULL in a NOT NULL
   * domain, or a value a CHECK of the domain finds false (in name order). A column the INSERT leaves out gets its
   * column's default, else the domain's. The domain is named as PostgreSQL prints it: qualified when its schema is not
   * on the search path, and always for a distributed table (the value is checked on a worker, whose session has
   * another search path; as in Citus' regression output).
   */
  private domainError(target: TableModel, cols: readonly string[], row: PgNode[], insert: PgNode): PlannerFinding | undefined {
    for (const col of target.columns) {
      const domain = col.domain ? this.model.domains.get(col.domain) : undefined;
      if (!domain) continue;
      const i = cols.indexOf(col.name);
      const node = i >= 0 ? row[i] : undefined;
      let value: CheckValue | undefined;
      if (node && !node.SetToDefault) value = columnValue(node, domain.baseType);
      else if (col.generated || col.identityAlways) value = undefined;
      else if (col.defaultKind !== 'none') value = typedValue(defaultConstant(col), domain.baseType);
      else value = domain.defaultValue === undefined || domain.defaultValue === 'null' ? null : domain.defaultValue === 'other' ? undefined : typedValue(domain.defaultValue, domain.baseType);
      if (value === undefined) continue;
      const visible = !isDistributed(target) && target.kind !== 'reference' && (domain.schema === 'pg_catalog' || this.session.searchPath.includes(domain.schema));
      const shown = visible ? domain.name : `${domain.schema}.${domain.name}`;
      const at = node ? this.pos.nodeRange(node) : insert.cols?.length ? this.columnListRange(insert.cols) : this.pos.nameRange(insert.relation.location ?? 0);
      if (value === null && domain.notNull) {
        const message = `domain ${shown} does not allow null values`;
        return this.finding('insert-null-dist-column', { message }, at, 'NULL in a NOT NULL domain', undefined, `${displayName(target)}.${col.name} is of the domain ${shown}, which is NOT NULL: every run of this INSERT fails`);
      }
      const checks = [...domain.checks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const failed = domain.collated || col.collated ? undefined : checks.find((k) => evalCheck(k.expr, (n) => (n === 'value' ? value : undefined)) === false);
      if (failed) {
        const message = `value for domain ${shown} violates check constraint "${failed.name}"`;
        return this.finding('insert-null-dist-column', { message }, at, 'domain CHECK violated', undefined, `The value for ${displayName(target)}.${col.name} fails the CHECK constraint ${failed.name} of the domain ${shown}: every run of this INSERT fails`);
      }
    }
    return undefined;
  }

  /** A row's partition key values as text, with their types and where to point; undefined when one is not a constant. */
  private rowKey(target: TableModel, key: readonly string[], cols: readonly string[], row: PgNode[], insert: PgNode): { values: string[]; variants: string[][]; types: string[]; shown: string; at: Range } | undefined {
    const keyCols = key.map((k) => findColumn(target, k));
    if (keyCols.some((c) => !c)) return undefined;
    const nodes = key.map((k) => (cols.indexOf(k) >= 0 ? row[cols.indexOf(k)] : undefined));
    const today = this.session.today;
    const each = keyCols.map((c, i) => keyValues(nodes[i], c!, today));
    // (one key column of the current date or time at most: its candidates are the row's variants)
    if (each.some((v) => !v) || each.filter((v) => v!.now).length > 1) return undefined;
    const timeAt = each.findIndex((v) => v!.now);
    const values = each.map((v, i) => (i !== timeAt ? v!.values[0] : keyCols[i]!.type === 'date' ? today! : `${today} (${nodes[i] && !nodes[i]!.SetToDefault ? 'now' : 'the default, now'})`));
    const node = nodes.find((n) => n);
    return {
      values,
      variants: timeAt >= 0 ? each[timeAt]!.values.map((c) => values.map((v, i) => (i === timeAt ? c : v))) : [values],
      // (a key column with a COLLATE clause compares as its collation does: not followed)
      types: keyCols.map((c) => (c!.collated ? 'unknown' : c!.type)),
      shown: `(${key.join(', ')}) = (${values.join(', ')})`,
      at: node ? this.pos.nodeRange(node) : this.pos.nameRange(insert.relation.location ?? 0),
    };
  }

  /** The value a column gets when the INSERT does not give one: NULL without a default, a constant default, else not known. */
  private defaultValue(col: ColumnModel): CheckValue | undefined {
    if (col.generated || col.identityAlways) return undefined;
    if (col.defaultKind === 'none') return isKnownBuiltinType(col.type) ? null : undefined;
    return typedValue(defaultConstant(col), col.type);
  }

  /** Outcome of an INSERT/COPY whose rows carry `values` in the distribution column (undefined: not known). */
  private valuesOutcome(target: TableModel, targetName: string, values: string[] | undefined, rowCount: number, total: number, command: string, dist?: string): DmlResult {
    if (values && values.length > 0) {
      const touched = shardsTouched(hashTypeOf(findColumn(target, target.distributionColumn ?? ''), this.model.domains), values, total);
      const distinct = [...new Set(values)];
      if (touched.count <= 1) {
        return {
          outcome: 'single_shard',
          shardCount: 1,
          totalShards: total,
          reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }, ...(distinct.length === 1 && this.shown(distinct[0]) !== undefined ? [{ level: 'DEBUG' as const, message: DML_MSG.singleValue(distinct[0]) }] : [])],
          findings: [],
          target: targetName,
          summary: distinct.length === 1 && dist ? `single shard: ${dist} = ${distinct[0]}` : 'single shard',
          command,
        };
      }
      return {
        outcome: 'multi_shard',
        shardCount: touched.count,
        shardCountUpperBound: !touched.exact,
        totalShards: total,
        reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }],
        findings: [],
        target: targetName,
        summary: `multi-shard: ${touched.exact ? '' : 'up to '}${touched.count} of ${total} shards`,
        command,
      };
    }
    if (values && values.length === 0) {
      // one row (or a value the coordinator computes once): one shard
      return { outcome: 'single_shard', shardCount: 1, totalShards: total, reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }], findings: [], target: targetName, summary: 'single shard', command };
    }
    const upTo = Math.min(rowCount, total);
    return {
      outcome: upTo <= 1 ? 'single_shard' : 'multi_shard',
      shardCount: upTo,
      shardCountUpperBound: upTo > 1,
      totalShards: total,
      reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }],
      findings: [],
      target: targetName,
      summary: upTo <= 1 ? 'single shard' : `multi-shard: up to ${upTo} of ${total} shards`,
      command,
    };
  }

  private columnListRange(cols: PgNode[]): Range {
    const first = this.pos.doc(cols[0].ResTarget.location);
    const lastStart = this.pos.doc(cols[cols.length - 1].ResTarget.location);
    return { start: first, end: lastStart + nameLength(this.text, this.pos.local(lastStart)) };
  }

  /** The conditions and values of a MERGE's WHEN clauses. */
  private mergeActionExprs(node: PgNode): (PgNode | undefined)[] {
    const out: (PgNode | undefined)[] = [];
    for (const w of node.mergeWhenClauses ?? []) {
      const c = w.MergeWhenClause;
      if (!c) continue;
      out.push(c.condition);
      if (c.commandType === 'CMD_UPDATE') out.push(...resTargetValues(c.targetList));
      out.push(...(c.values ?? []));
    }
    return out;
  }

  /**
   * ErrorIfMergeQueryQualAndTargetListNotSupported: no STABLE or VOLATILE function anywhere in the MERGE, a type
   * conversion or operator the types make STABLE included (`created_at::date` of a timestamptz), and none in the defaults
   * PostgreSQL's rewriter adds to an INSERT action for the columns it leaves out or sets to DEFAULT (`created_at
   * timestamptz DEFAULT now()`, a serial or identity column's nextval()); each checked on Citus 13.2.2.
   */
  private mergeMutableError(node: PgNode, rv: PgNode, qm: QueryModel, target: TableModel, clauses: PgNode[]): PlannerFinding | undefined {
    const mutable = firstMutable([node.sourceRelation, node.joinCondition, node.withClause], this.model, qm) ?? firstMutable(node.mergeWhenClauses, this.model, this.typedWith([{ RangeVar: rv }, node.sourceRelation], this.mergeActionExprs(node), node.withClause) ?? qm);
    if (mutable) {
      return this.finding('volatile-function-in-modification', { message: DML_MSG.mergeMutable }, this.pos.nodeRange(mutable), 'non-IMMUTABLE function in MERGE', undefined, `MERGE on a Citus table refuses every non-IMMUTABLE function (now(), random(), ...): ${DML_MSG.mergeMutable}`);
    }
    const defaulted = this.mergeInsertDefault(target, clauses);
    if (defaulted) {
      return this.finding('volatile-function-in-modification', { message: DML_MSG.mergeMutable }, this.pos.nodeRange(defaulted.at), 'non-IMMUTABLE default in MERGE', undefined, `The INSERT action leaves ${defaulted.column.name} to its default (${defaulted.column.defaultText ?? defaulted.column.defaultKind}), which is not IMMUTABLE, and MERGE on a Citus table refuses every non-IMMUTABLE function: ${DML_MSG.mergeMutable}; give the column a value in the INSERT action`);
    }
    return undefined;
  }

  /**
   * The first column an INSERT action of a MERGE fills with a default that is not IMMUTABLE (rewriteTargetListIU adds
   * the defaults of the columns it leaves out, or gives DEFAULT, to the action's target list before Citus looks).
   */
  private mergeInsertDefault(target: TableModel, clauses: PgNode[]): { column: ColumnModel; at: PgNode } | undefined {
    const mutableDefault = (c: ColumnModel | undefined): boolean => !!c && !c.generated && (c.defaultKind === 'sequence' || c.defaultKind === 'identity' || c.defaultKind === 'volatile' || c.defaultKind === 'stable');
    for (const c of clauses) {
      if (c.commandType !== 'CMD_INSERT') continue;
      const listed: string[] = (c.targetList ?? []).map((t: PgNode) => t.ResTarget?.name).filter((n: unknown): n is string => typeof n === 'string');
      const values: PgNode[] = c.values ?? [];
      // without a column list the values fill the first columns
      const given = listed.length ? listed : target.columns.slice(0, values.length).map((col) => col.name);
      const at = { MergeWhenClause: c };
      for (const [i, name] of given.entries()) {
        if (values[i]?.SetToDefault && mutableDefault(target.columns.find((col) => col.name === name))) return { column: target.columns.find((col) => col.name === name)!, at: values[i] };
      }
      const left = target.columns.find((col) => !given.includes(col.name) && mutableDefault(col));
      if (left) return { column: left, at };
    }
    return undefined;
  }

  /** A query model of `from` that resolves `exprs` (query.ts typedExpressions), for their volatility. */
  private typedWith(from: PgNode[], exprs: readonly (PgNode | undefined)[], withClause?: PgNode): QueryModel | undefined {
    return this.typed ?? typedExpressions(from, exprs, { model: this.model, session: this.session, variables: statementVariables(this.stmt) }, withClause);
  }

  /**
   * INSERT, UPDATE or DELETE on a view (./view-target.ts). With a Citus table in the statement (for UPDATE and DELETE,
   * in the view too; for INSERT, the table it writes through) Citus refuses it (DeferErrorIfModifyView), unless
   * PostgreSQL refused it first: a view that is not automatically updatable. An INSERT into a view the model cannot
   * see through, Citus tables only in its query, may have an INSTEAD OF trigger: no outcome. Otherwise undefined:
   * the statement is PostgreSQL's, planned as for a local table.
   */
  private viewTarget(command: string, view: TableModel, rv: PgNode, targetName: string, statementCitus: boolean, readsView: boolean): DmlResult | undefined {
    const vt = viewTargetOf(view, this.model, this.session.searchPath);
    const baseCitus = !!vt.base && isCitusTable(vt.base);
    if (!statementCitus && !baseCitus) {
      // PostgreSQL's own refusal of a view that is not automatically updatable (./view-target.ts)
      const refused = postgresViewRefusal(view, vt, command, this.model, this.session.searchPath);
      if (refused) {
        const { refusedBy, detail } = refused;
        const f = this.finding('modify-view', { level: 'ERROR', message: DML_MSG.viewNotUpdatable(command, refusedBy.name), detail, hint: DML_MSG.viewNotUpdatableHint(command) }, this.pos.nameRange(rv.location ?? 0), 'view not automatically updatable', undefined, `${displayName(refusedBy)} is not automatically updatable (${detail.replace(/ are not automatically updatable\.$/, '')}): PostgreSQL refuses the ${command}; ${command === 'INSERT' ? 'insert into' : command === 'UPDATE' ? 'update' : 'delete from'} the table it reads, or give the view an INSTEAD OF ${command} trigger`);
        return this.error(command, f, targetName);
      }
      if (readsView || vt.base || !this.tablesIn(viewQueryOf(view), []).some(isCitusTable)) return undefined;
      return { reasons: [], findings: [], target: targetName, summary: 'a view over Citus tables the model cannot see through', command };
    }
    const range = this.pos.nameRange(rv.location ?? 0);
    const f = vt.notUpdatable
      ? this.finding('modify-view', { level: 'ERROR', message: DML_MSG.viewNotUpdatable(command, (vt.refusedBy ?? view).name), detail: vt.notUpdatable, hint: DML_MSG.viewNotUpdatableHint(command) }, range, 'view not automatically updatable', undefined, `${displayName(view)} is not automatically updatable (${vt.notUpdatable.replace(/ are not automatically updatable\.$/, '')}): PostgreSQL refuses the ${command}; with an INSTEAD OF trigger, Citus refuses it: ${DML_MSG.modifyView}`)
      : this.finding('modify-view', { level: 'ERROR', message: DML_MSG.modifyView }, range, 'view modified next to Citus tables', undefined, `${displayName(view)} is a view and the statement contains Citus tables: Citus refuses to modify it; ${command === 'INSERT' ? 'insert into' : command === 'UPDATE' ? 'update' : 'delete from'} ${vt.base ? displayName(vt.base) : 'the table it reads'} directly`);
    return this.error(command, f, targetName);
  }

  private arbiterError(conflict: PgNode | undefined, target: TableModel): PlannerFinding | undefined {
    if (!conflict) return undefined;
    if (target.kind === 'view') {
      const through = throughView(viewTargetOf(target, this.model, this.session.searchPath), target);
      if (!through) return undefined;
      target = through;
    }
    // transformOnConflictClause(): DO UPDATE needs to know which unique key it is about
    if (conflict.action === 'ONCONFLICT_UPDATE' && !conflict.infer) {
      const range = this.pos.keywordRange('CONFLICT', conflict.targetList?.[0] ?? conflict.location) ?? this.pos.statementRange();
      return this.finding('on-conflict-without-matching-key', { level: 'ERROR', message: MSG.conflictInference, hint: MSG.conflictInferenceHint }, range, 'ON CONFLICT DO UPDATE without a key');
    }
    const infer = conflict.infer?.InferClause ?? conflict.infer;
    // (every row checks its arbiters: a DEFERRABLE one is refused, and an INSERT .. VALUES has rows)
    if (deferrableArbiter(target, infer)) return this.finding('on-conflict-without-matching-key', { message: 'ON CONFLICT does not support deferrable unique constraints/exclusion constraints as arbiters' }, this.pos.keywordRange('CONFLICT', infer ?? conflict) ?? this.pos.statementRange(), 'a DEFERRABLE key as arbiter');
    const named = namedArbiterError(target, infer, conflict.action);
    if (named) return this.finding('on-conflict-without-matching-key', { message: named.message }, this.pos.keywordRange('CONSTRAINT', infer) ?? this.pos.nodeRange(infer), named.summary);
    if (inferArbiter(target, infer) !== 'none') return undefined;
    return this.finding('on-conflict-without-matching-key', { message: DML_MSG.noArbiter }, this.pos.keywordRange('CONFLICT', infer) ?? this.pos.nodeRange(infer), 'no matching unique key');
  }

  /** Tables read anywhere in a subtree, views expanded into the tables they read (records unknown ones). */
  private tablesIn(node: unknown, unknown: PlannerFinding[], depth = 0): TableModel[] {
    const out: TableModel[] = [];
    walk(node, (type, f) => {
      if (type === 'RangeVar') {
        const t = this.resolve(f);
        if (t) {
          out.push(t);
          const view = t.kind === 'view' && depth < MAX_VIEW_DEPTH ? viewQueryOf(t) : undefined;
          if (view) out.push(...this.tablesIn(view, [], depth + 1));
        } else if (!this.isCteName(f.relname)) unknown.push(this.unknownTable(f.schemaname ? `${f.schemaname}.${f.relname}` : f.relname, f.location ?? 0));
      }
    });
    return out;
  }

  private isCteName(name: string): boolean {
    let found = false;
    walk(this.stmt.ast, (type, f) => {
      if (type === 'CommonTableExpr' && f.ctename === name) found = true;
    });
    return found;
  }

  /** INSERT INTO t (..) VALUES (a, (SELECT ..)) -> INSERT INTO t (..) SELECT a, (SELECT ..) [UNION ALL SELECT ..] */
  private valuesToSelectFix(insert: PgNode): Fix | undefined {
    const rows: PgNode[] = insert.selectStmt?.SelectStmt?.valuesLists ?? [];
    if (!rows.length) return undefined;
    const firstItem = rows[0].List?.items?.[0];
    if (!firstItem) return undefined;
    const firstLocal = this.pos.local(this.pos.doc(firstLoc(firstItem)));
    const kw = keywordBefore(this.text, firstLocal, 'VALUES');
    if (kw === undefined) return undefined;
    const t = this.text;
    let i = kw + 'VALUES'.length;
    const bodies: string[] = [];
    for (;;) {
      while (i < t.length && /\s/.test(t[i])) i++;
      if (t[i] !== '(') return undefined;
      const close = matchParen(t, i);
      if (close < 0) return undefined;
      bodies.push(t.slice(i + 1, close).trim());
      i = close + 1;
      let k = i;
      while (k < t.length && /\s/.test(t[k])) k++;
      if (t[k] === ',') {
        i = k + 1;
        continue;
      }
      break;
    }
    const newText = bodies.map((b) => `SELECT ${b}`).join(' UNION ALL ');
    return {
      title: 'Rewrite as INSERT .. SELECT',
      edits: [{ range: { start: this.stmt.start + kw, end: this.stmt.start + i }, newText }],
    };
  }

  // ---- UPDATE / DELETE ---------------------------------------------------------------------------
  modify(node: PgNode, command: 'UPDATE' | 'DELETE'): DmlResult | undefined {
    const res = this.modifyPlan(node, command);
    if (!res?.outcome || res.outcome === 'error') return res;
    // planned: the executor starts next
    const target = this.resolve(node.relation);
    const columnar = target && this.columnarTarget(target, node.whereClause, node.relation.alias?.aliasname ?? target.name, 0);
    if (!columnar) return res;
    const message = DML_MSG.columnarScan;
    const what = columnar === target ? `${displayName(target)} is a columnar table` : `the partition ${displayName(columnar)} of ${displayName(target)} is a columnar table`;
    const f = this.finding('modify-columnar-table', { level: 'ERROR', message }, this.pos.nameRange(node.relation.location ?? 0), 'columnar table modified', undefined, `${what}: columnar tables take no ${command} (${message})`);
    return this.error(command, f, res.target);
  }

  /**
   * The columnar table an UPDATE or DELETE of `target` scans: columnar tables take neither, their scan refuses to
   * fetch row ids when the executor starts, on the coordinator or on each shard (ColumnarScan_BeginCustomScan:
   * `UPDATE and CTID scans not supported for ColumnarScan`; checked on Citus 13.2.2). Of a partitioned target, the
   * partitions PostgreSQL keeps: those an equality on the partition key picks, those a range of constants on the key
   * surely reaches, or all of them when the filter does not read the key; any other filter on the key is not
   * evaluated (nothing is said).
   */
  private columnarTarget(target: TableModel, where: PgNode | undefined, alias: string, depth: number): TableModel | undefined {
    if (target.accessMethod === 'columnar') return target;
    if (!target.partitioned || target.partitionKey?.length !== 1 || depth > 4) return undefined;
    const partitions = this.model.partitionsOf(target);
    const key = target.partitionKey[0];
    const values = this.distValues(where, key, alias, target);
    let kept: TableModel[];
    if (values?.length) {
      const bounds = partitions.map((p) => p.partitionBound);
      if (bounds.some((b) => !b || (b.kind === 'range' && b.from.length !== 1))) return undefined;
      const type = findColumn(target, key)?.type ?? '';
      // (a bound the model cannot compare the value with: nothing is said)
      if (values.some((v) => partitions.some((p) => boundContains(p.partitionBound!, [v], [type]) === undefined))) return undefined;
      const own = (p: TableModel, v: string): boolean => p.partitionBound!.kind !== 'default' && boundContains(p.partitionBound!, [v], [type]) === true;
      kept = partitions.filter((p) => values.some((v) => own(p, v)));
      if (values.some((v) => !partitions.some((p) => own(p, v)))) kept.push(...partitions.filter((p) => p.partitionBound!.kind === 'default'));
    } else if (readsColumn(where, key)) {
      // a range on the key: only a columnar partition that surely overlaps it counts
      const range = keyRange(where, key, alias);
      const type = findColumn(target, key)?.type ?? '';
      if (!range) return undefined;
      return partitions.find((p) => p.accessMethod === 'columnar' && p.partitionBound?.kind === 'range' && surelyOverlaps(p.partitionBound, range, type));
    } else {
      kept = partitions;
    }
    for (const p of kept) {
      const found = this.columnarTarget(p, where, alias, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  private modifyPlan(node: PgNode, command: 'UPDATE' | 'DELETE'): DmlResult | undefined {
    const rv = node.relation;
    const targetName = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    const target = this.resolve(rv);
    const others: PgNode[] = command === 'UPDATE' ? (node.fromClause ?? []) : (node.usingClause ?? []);
    const synthetic: PgNode = {
      fromClause: [{ RangeVar: rv }, ...others],
      whereClause: node.whereClause,
      targetList: command === 'UPDATE' ? node.targetList : [],
      withClause: node.withClause,
    };
    const unknown: PlannerFinding[] = [];
    if (!target) unknown.push(this.unknownTable(targetName, rv.location ?? 0));
    const qm = buildQueryModel(synthetic, undefined, { model: this.model, session: this.session, variables: statementVariables(this.stmt) });
    this.current = qm;
    for (const u of qm.unknownTables) if (!(u.name === targetName && !target)) unknown.push(this.unknownTable(u.name, u.location));
    if (!target || unknown.length) return { reasons: [], findings: unknown, target: targetName, summary: 'unknown table', command };
    const targetRel = qm.root.rels[0];
    const uf = new UnionFind();
    const pinUf = new UnionFind();
    // (a VALUES' or a function's column in FROM joins what it equals, as in PostgreSQL's equivalence classes)
    const keys = new Map<Origin, string>();
    this.originKeys = keys;
    // an outer join's ON that PostgreSQL keeps makes no equivalence class: Citus joins through it only two
    // distribution columns (not a reference table's column: checked on Citus 13.2.2)
    const keptNullable = this.keptOuterJoinSides(qm).nullable;
    const distColumn = (o: Origin): boolean => o.kind === 'column' && hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column;
    for (const e of qm.equalities) {
      const ka = originKey(e.a, keys);
      const kb = originKey(e.b, keys);
      const la = originLevel(e.a);
      const lb = originLevel(e.b);
      if (!ka || !kb || !la || !lb) continue;
      if (e.outer && e.level === qm.root && !(distColumn(e.a) && distColumn(e.b)) && [e.a, e.b].some((o) => o.kind === 'column' && keptNullable.has(o.rel))) continue;
      uf.union(ka, kb);
      if (pulledUpBlock(clauseLevel(e.level, la, lb)) === qm.root) pinUf.union(ka, kb);
    }
    this.rowSublinkEqualities(qm, uf, node.whereClause);
    this.rowSublinkEqualities(qm, pinUf, node.whereClause, true);
    this.unionLeafEquivalences(qm, uf);
    this.unionLeafEquivalences(qm, pinUf);
    const ctx: ModifyContext = { command, node, target, targetRel, qm, uf, pinUf };
    if (target.kind === 'view') {
      // the view's query is part of the statement an UPDATE or DELETE runs (its rows are read)
      const viewed = this.viewTarget(command, target, rv, targetName, qm.rels.some((r) => isCitusTable(r.table)), true);
      if (viewed) return viewed;
    }

    // ModifyQuerySupported: a materialized view left in the range table of a modification Citus plans. One
    // next to a distributed or reference table is wrapped into a subquery first (RecursivelyPlanLocalTableJoins).
    const matview = qm.root.rels.find((r) => r.table.kind === 'matview');
    if (matview && qm.rels.some((r) => isCitusTable(r.table)) && !qm.root.rels.some((r) => isDistributed(r.table) || r.table.kind === 'reference')) {
      const f = this.finding('modification-via-coordinator', { level: 'ERROR', message: DML_MSG.matviewInModify }, this.pos.nameRange(matview.location), 'materialized view in a modification', undefined, `${displayName(matview.table)} is a materialized view: Citus does not plan modifications that read one next to Citus tables; read it into a MATERIALIZED CTE, or join a table`);
      return this.error(command, f, targetName);
    }

    // citus.local_table_join_policy = never: a local table joined with a distributed or reference table in the
    // statement's own range table (the target, FROM / USING) is not made a subquery (RecursivelyPlanLocalTableJoins),
    // and the modification is refused (checked on Citus 13.2.2: UPDATE of the local table, and of the distributed one)
    if (this.model.settings.get('citus.local_table_join_policy') === 'never') {
      const local = qm.root.rels.find((r) => r.table.kind === 'local' && !r.table.catalog && !r.table.kindUncertain);
      if (local && qm.root.rels.some((r) => isDistributed(r.table) || r.table.kind === 'reference')) {
        const f = this.finding('modification-via-coordinator', { level: 'ERROR', message: DML_MSG.notDistributed(local.table.name) }, this.pos.nameRange(local.location), 'local table join refused', undefined, `${displayName(local.table)} is a local table joined with a Citus table, and citus.local_table_join_policy is never: Citus does not read it first, and refuses the ${command} (${DML_MSG.notDistributed(local.table.name)})`);
        return this.error(command, f, targetName);
      }
    }

    if (!isCitusTable(target)) {
      // PostgreSQL plans the local table's statement; what Citus sees of it: the RETURNING list's subqueries too, and
      // none of a WHERE PostgreSQL folds to TRUE (`.. OR TRUE`: CheckPostPlanDistribution, Citus 13.2's issues 7782
      // and 7783; its subqueries are never planned, Citus prunes their tables away)
      const folds = constantTruth(node.whereClause) === true;
      const folded = this.foldedWhere(qm, node.whereClause, node.returningList);
      if (folded === 'unsure') return undefined;
      if (folded) return { outcome: 'local', reasons: [], findings: [], target: targetName, summary: 'plain PostgreSQL: the WHERE folds to TRUE', command };
      if (!folds && !hasSublink(node.returningList)) return this.modifyLocalTarget(ctx, rv, targetName);
      const seen = { ...node, whereClause: folds ? undefined : node.whereClause };
      const seenQm = buildQueryModel({ ...synthetic, whereClause: seen.whereClause, targetList: [...synthetic.targetList, ...(node.returningList ?? [])] }, undefined, { model: this.model, session: this.session, variables: statementVariables(this.stmt) });
      this.current = seenQm;
      return this.modifyLocalTarget({ ...ctx, node: seen, qm: seenQm, targetRel: seenQm.root.rels[0] }, rv, targetName);
    }

    // ModifyPartialQuerySupported: SET list, then WHERE
    const early = this.modifyChecks(ctx);
    if (early) {
      // refused as written; with SQL functions inlined it may pass, and then does when the router planner sends it to
      // one shard
      const lenient = early.citus.message === DML_MSG.stableWithColumn || early.citus.message === DML_MSG.mutableCase ? this.modifyChecks(ctx, true) : early;
      if (lenient) return this.error(command, lenient, targetName);
      const routed = !hasDistributionKey(target) ? this.recurringTargetModify(ctx, targetName) : this.distributedModify(ctx, targetName);
      if (routed.outcome === 'single_shard') return routed;
      return this.error(command, early, targetName);
    }

    if (!hasDistributionKey(target)) return this.recurringTargetModify(ctx, targetName);
    const planned = this.distributedModify(ctx, targetName);
    return this.joinUsingRefusal(ctx, planned, targetName) ?? planned;
  }

  /** See nestedDistributedCall (./nestedQuery.ts): the warning, at the call. */
  nestedFinding(n: NestedCall): PlannerFinding {
    return nestedCallFinding(n, this.pos);
  }

  /** See renamedUsingColumn (./joinUsing.ts): the statement fails on the shards. */
  renamedUsingColumnError(ast: PgNode, result: DmlResult): DmlResult | undefined {
    const renamed = USING_JOIN.test(this.text) ? renamedUsingColumn(ast, this.model, this.session.searchPath) : undefined;
    if (!renamed) return undefined;
    return this.error(result.command ?? 'SELECT', renamedColumnFinding(renamed, this.pos), result.target);
  }

  /**
   * MultiShardUpdateDeleteSupported refuses a join USING whose merged column is not a plain column (./joinUsing.ts)
   * before its other checks, and again once the subqueries it plans first are planned: a modification that runs on
   * more than one shard, or that a join or colocation check of those refuses, gets this error instead (checked on
   * Citus 13.2.2: FULL JOIN .. USING, LEFT / RIGHT JOIN .. USING of an integer and a bigint column, with a table of
   * another colocation group; a statement pinned to one shard goes to the router planner, which does not look).
   */
  private joinUsingRefusal(ctx: ModifyContext, planned: DmlResult, targetName: string): DmlResult | undefined {
    const multiShard = planned.outcome === 'multi_shard' || (planned.outcome === 'coordinator' && planned.shardCount !== undefined && planned.shardCount > 1);
    const f = planned.outcome === 'error' ? planned.findings[0] : undefined;
    // (the pushdown checks' refusals; not a subquery's own planning error, which comes first, nor the router planner's)
    const pushdownRefusal = f?.rule === 'dml-join-not-colocated' && (f.citus.message === DML_MSG.complexJoins || f.citus.message === DML_MSG.cannotPushdown);
    if (!multiShard && !pushdownRefusal) return undefined;
    const node = ctx.node;
    const join = dangerousJoinUsing(ctx.command === 'UPDATE' ? node.fromClause : node.usingClause, this.model, this.session.searchPath);
    if (!join) return undefined;
    const finding = this.finding('dml-join-not-colocated', { level: 'ERROR', message: DML_MSG.joinUsingConflict }, this.pos.nodeRange(join), 'join USING in a multi-shard modification', undefined, `Citus refuses this ${ctx.command}: the join USING has a merged column that is not a plain column (${join.JoinExpr.jointype === 'JOIN_FULL' ? 'a FULL JOIN merges the two columns with COALESCE' : 'the two columns have different types, and the kept one is converted'}), which clashes with the names Citus gives the columns of the shard query; write the join with ON (${DML_MSG.joinUsingConflict})`);
    return this.error(ctx.command, finding, targetName);
  }

  /**
   * ModifyPartialQuerySupported's checks of the SET list, the WHERE clause and RETURNING. `inlined`: PostgreSQL's planner
   * has inlined SQL-language functions (textanycat: `'x' || n`) before Citus looks, as it has for a modification the
   * router planner sends to one shard (checked on Citus 13.2.2: `SET c = 'x' || n WHERE k = 1` runs, on every shard it
   * is refused; RETURNING is checked as written either way).
   */
  private modifyChecks(ctx: ModifyContext, inlined = false): PlannerFinding | undefined {
    const { node, target, command } = ctx;
    const dist = hasDistributionKey(target) ? target.distributionColumn : undefined;
    const alias = node.relation.alias?.aliasname ?? target.name;
    if (command === 'UPDATE') {
      for (const t of node.targetList ?? []) {
        const rt = t.ResTarget;
        if (!rt) continue;
        const bad = this.volatileCall(rt.val);
        if (bad) return this.finding('volatile-function-in-modification', { message: DML_MSG.updateVolatile }, this.pos.nodeRange(bad), 'volatile function in UPDATE');
        // `SET id = DEFAULT`: PostgreSQL's rewriter puts the column's default there first, an identity or serial
        // column's nextval() too (checked on Citus 13.2.2)
        const col = rt.val?.SetToDefault && rt.name ? findColumn(target, rt.name) : undefined;
        if (col && !col.generated && (col.defaultKind === 'sequence' || col.defaultKind === 'identity' || col.defaultKind === 'volatile')) {
          const what = col.defaultKind === 'volatile' ? `its default (${col.defaultText ?? 'VOLATILE'})` : `${col.defaultKind === 'identity' ? 'an identity column' : 'a serial column'}: DEFAULT is nextval() of its sequence`;
          return this.finding('volatile-function-in-modification', { message: DML_MSG.updateVolatile }, this.pos.nodeRange(rt.val, rt.location), 'volatile default in UPDATE', undefined, `${displayName(target)}.${rt.name} is ${what}, which is VOLATILE: ${DML_MSG.updateVolatile}`);
        }
        if (dist && rt.name === dist && this.changesDistValue(rt.val, dist, alias, node.whereClause)) {
          return this.finding('update-modifies-dist-column', { message: DML_MSG.modifyPartition }, { start: this.pos.doc(rt.location), end: this.pos.nodeRange(rt.val, rt.location).end }, 'modifies the distribution column', undefined, `The UPDATE changes ${displayName(target)}.${dist}, the distribution column: ${DML_MSG.modifyPartition}`);
        }
        const field = this.compositeField(rt);
        if (field) return field;
      }
    }
    const badWhere = this.volatileCall(node.whereClause);
    if (badWhere) return this.finding('volatile-function-in-modification', { message: DML_MSG.whereVolatile }, this.pos.nodeRange(badWhere), 'volatile function in WHERE');
    // MasterIrreducibleExpression over the SET list and the WHERE clause: a STABLE function of a column, then
    // a CASE or COALESCE with a non-IMMUTABLE function (the coordinator cannot evaluate either for each row)
    const irreducible = [...(command === 'UPDATE' ? (node.targetList ?? []).map((t: PgNode) => t.ResTarget?.val) : []), node.whereClause];
    for (const e of irreducible) {
      const bad = this.stableWithColumn(e, ctx.qm, inlined);
      if (bad) return this.finding('volatile-function-in-modification', { message: DML_MSG.stableWithColumn }, this.pos.nodeRange(bad), 'STABLE function on a column');
    }
    // the conversion of an assigned value to its column's type is part of the SET expression too (a `timestamp` into a
    // `timestamptz` column: STABLE; checked on Citus 13.2.2), with a column outside a CASE or COALESCE in the value
    const converted = command === 'UPDATE' ? this.stableAssignment(node.targetList ?? [], ctx.qm) : undefined;
    if (converted) return this.finding('volatile-function-in-modification', { message: DML_MSG.stableWithColumn }, this.pos.nodeRange(converted), 'STABLE conversion of a column', undefined, `The value is converted to its column's type by a STABLE cast, and it reads a column: ${DML_MSG.stableWithColumn}. Cast it to the column's type with an IMMUTABLE expression, or compute it on the application side`);
    for (const e of irreducible) {
      const bad = this.mutableCaseOrCoalesce(e, ctx.qm, inlined);
      if (bad) return this.finding('volatile-function-in-modification', { message: DML_MSG.mutableCase }, this.pos.nodeRange(bad), 'non-IMMUTABLE function in CASE / COALESCE');
    }
    const returning = this.mutableReturning(node.returningList, this.typedWith([{ RangeVar: node.relation }, ...(command === 'UPDATE' ? (node.fromClause ?? []) : (node.usingClause ?? []))], resTargetValues(node.returningList), node.withClause));
    if (returning) return returning;
    // TargetlistAndFunctionsSupported: a WHERE that is CURRENT OF a cursor (checked on Citus 13.2.2 on a distributed, a
    // reference and a citus-local table; a plain table runs it)
    if (node.whereClause?.CurrentOfExpr) {
      return this.finding('modify-with-cursor', { message: DML_MSG.cursorModification }, this.pos.textRange(/\bCURRENT\s+OF\s+(?:"[^"]*"|[\w$]+)/i) ?? this.pos.statementRange(), 'WHERE CURRENT OF on a Citus table', undefined, `${displayName(target)} is a Citus table: its rows live on the shards (or go through Citus' planner), and a cursor's current row cannot be modified there. ${DML_MSG.cursorModification}`);
    }
    const replicated = replicatedPartitionError(this.model, target);
    if (replicated) return this.finding('dml-join-not-colocated', replicated, this.pos.nameRange(node.relation.location ?? 0), 'partition of a replicated table');
    return undefined;
  }

  /**
   * `SET (a, b) = (SELECT ..)` on a Citus table whose deparsed SET list gives columns other columns' values
   * (./multi-assign.ts): the shard's type error, or the result with a finding that the data lands in the wrong columns.
   */
  multiAssign(update: PgNode, targets: readonly SetTarget[], result: DmlResult): DmlResult | undefined {
    const table = this.resolve(update.relation);
    if (!table || !isCitusTable(table) || this.stmt.parentIndex !== undefined) return undefined;
    let param = false;
    walk(update, (type) => {
      if (type === 'ParamRef') param = true;
      return param ? false : undefined;
    });
    if (param) return undefined;
    const plan = misassignedColumns(targets, table);
    if (!plan) return undefined;
    const cat = builtins();
    const deparsed = plan.printed.map((cols) => `(${cols.join(', ')})`).join(', ');
    const range = this.pos.textRange(/\bSET\b/i) ?? this.pos.statementRange();
    const wrong = plan.misassigned.map((m) => `${m.column} gets the value written for ${targets.find((t) => t.group === m.gets.group && t.position === m.gets.position)?.column ?? '?'}`).join(', ');
    const refused = plan.misassigned.find((m) => !m.converts);
    const explanation =
      `Citus deparses this UPDATE for the shards with the SET list ${deparsed} = (SELECT ..): it puts the columns it cannot match to a sub-SELECT column first ` +
      '(a varchar, a domain or another column whose value needs a conversion Citus does not see through) and keeps the sub-SELECT as written. ' +
      'Checked on Citus 13.2.2. Write those columns first in the list, cast the sub-SELECT\'s values to the columns\' types, or use one SET per column.';
    if (refused) {
      const f = this.finding('update-columns-misassigned', { message: `column "${refused.column}" is of type ${cat.display(refused.type)} but expression is of type ${cat.display(refused.valueType)}`, hint: 'You will need to rewrite or cast the expression.' }, range, 'SET columns swapped by Citus', undefined, `The shard refuses the UPDATE as Citus deparses it: ${wrong}.`);
      return this.error(result.command, { ...f, explanation }, result.target);
    }
    const f = this.finding('update-columns-misassigned', { level: 'WARNING', message: `the deparsed SET list ${deparsed} gives columns other columns' values` }, range, 'SET columns swapped by Citus', undefined, `This UPDATE runs, but writes the wrong columns on Citus 13.2: ${wrong}.`);
    return { ...result, findings: [...result.findings, { ...f, explanation, severity: 'error' }] };
  }

  /** TargetlistAndFunctionsSupported: RETURNING may only call IMMUTABLE functions (now() included). */
  private mutableReturning(list: PgNode[] | undefined, typed: QueryModel | undefined): PlannerFinding | undefined {
    const bad = typed ? firstMutable(list, this.model, typed) : firstMutableCall(list, this.model);
    if (!bad) return undefined;
    return this.finding('volatile-function-in-modification', { message: DML_MSG.returningMutable }, this.pos.nodeRange(bad), 'non-IMMUTABLE function in RETURNING', undefined, `RETURNING on a Citus table refuses non-IMMUTABLE functions: ${DML_MSG.returningMutable}`);
  }

  /** TargetEntryChangesValue: `dist = dist`, or `dist = c` with `dist = c` in the WHERE clause, change nothing. */
  private changesDistValue(val: PgNode | undefined, dist: string, alias: string, where: PgNode | undefined): boolean {
    if (val?.ColumnRef) {
      const parts = nameList(val.ColumnRef.fields);
      if (parts[parts.length - 1] === dist && (parts.length === 1 || parts[parts.length - 2] === alias)) return false;
      // SET dist = x WHERE dist = x (AND ...): the WHERE implies the value is unchanged (predicate_implied_by)
      const isDist = (n: PgNode | undefined): boolean => {
        const q = n?.ColumnRef ? nameList(n.ColumnRef.fields) : undefined;
        return !!q && q[q.length - 1] === dist && (q.length === 1 || q[q.length - 2] === alias);
      };
      const same = (n: PgNode | undefined): boolean => !!n?.ColumnRef && nameList(n.ColumnRef.fields).join('.') === parts.join('.');
      const implied = conjuncts(where).some((c) => {
        const e = c.A_Expr;
        if (e?.kind !== 'AEXPR_OP' || nameList(e.name).join('') !== '=') return false;
        return (isDist(e.lexpr) && same(e.rexpr)) || (isDist(e.rexpr) && same(e.lexpr));
      });
      if (implied) return false;
    }
    // (a constant or a function of constants PostgreSQL folds: `SET tenant_id = abs(-3) WHERE tenant_id = 3` runs,
    // checked on Citus 13.2.2)
    const c = pinValue(val);
    if (c !== undefined) {
      const pinned = this.distValues(where, dist, alias);
      if (pinned && pinned.length === 1 && pinned[0] === c) return false;
    }
    return true;
  }

  /**
   * The constant `SELECT t FROM params` gives when params is a FROM-less CTE of the statement that PostgreSQL inlines
   * (read once, or NOT MATERIALIZED) and t one of its constant columns: the subquery is pulled up into that constant
   * (checked on Citus 13.2.2: `WITH params AS (SELECT 5 AS tenant) DELETE .. WHERE tenant_id IN (SELECT tenant FROM
   * params)` goes to one shard). Undefined for anything else.
   */
  private inlinedCteConstant(sub: PgNode): string | undefined {
    const rv = sub.fromClause?.length === 1 ? sub.fromClause[0].RangeVar : undefined;
    if (!rv || rv.schemaname || sub.withClause || sub.whereClause || sub.groupClause?.length || sub.havingClause || sub.distinctClause || sub.limitCount || sub.limitOffset) return undefined;
    const cte = this.current?.root.ctes.get(rv.relname);
    if (!cte?.level || !this.cteInlined(cte)) return undefined;
    const inner = cte.level.select;
    if (inner.fromClause?.length || inner.whereClause || (inner.op && inner.op !== 'SETOP_NONE')) return undefined;
    const ref = sub.targetList[0].ResTarget?.val?.ColumnRef;
    const fields = ref ? nameList(ref.fields) : [];
    const alias = rv.alias?.aliasname ?? rv.relname;
    if (!fields.length || fields.length > 2 || (fields.length === 2 && fields[0] !== alias)) return undefined;
    const target = cte.level.targets.find((t, i) => (cte.columnNames?.[i] ?? t.name) === fields[fields.length - 1]);
    return target ? pinValue(target.expr) : undefined;
  }

  /** Constant values the top-level AND-ed WHERE gives the target's distribution column (`=`, `IN (..)`, `= ANY(ARRAY[..])`). */
  private distValues(where: PgNode | undefined, dist: string, alias: string, table?: TableModel): string[] | undefined {
    // a distribution column of a domain with constraints: Citus 13.2 cannot coerce a cast constant or an IN list to it,
    // and prunes nothing (checked on Citus 13.2.2; a plain `= <constant>` is domain-dist-column-constant's)
    if (table && this.constrainedDomainColumn(table, dist)) return undefined;
    // the column itself, or under casts to its own type (PostgreSQL drops those); a conversion to another type is an
    // expression that prunes nothing (checked on Citus 13.2.2: `WHERE tenant_id::bigint = 5` runs on every shard)
    const own = table ? findColumn(table, dist)?.type : undefined;
    const isDist = (n: PgNode | undefined): boolean => {
      let e = n;
      while (e?.TypeCast) {
        const to = typeNameOf(e.TypeCast.typeName);
        if (!own || !to || canonicalTypeName(to) !== canonicalTypeName(own)) return false;
        e = e.TypeCast.arg;
      }
      return isColumnRef(e, dist, alias);
    };
    // one qual's values: `=`, `IN`, `= ANY` (AND / OR / NOT trees of those: shardPruneTree)
    const valuesOf = (e: PgNode): string[] | undefined => {
      // `dist IN (SELECT 1)`: PostgreSQL pulls the FROM-less subquery up into `dist = 1`
      const sl = e.SubLink;
      if (sl?.subLinkType === 'ANY_SUBLINK' && isDist(sl.testexpr)) {
        const sub = sl.subselect?.SelectStmt;
        if (!sub || (sub.op && sub.op !== 'SETOP_NONE') || sub.targetList?.length !== 1) return undefined;
        // (and `dist IN (SELECT t FROM params)`, params a CTE of constants PostgreSQL inlines there: the same)
        const only = !sub.fromClause?.length ? pinValue(sub.targetList[0].ResTarget?.val) : this.inlinedCteConstant(sub);
        return only !== undefined ? [only] : undefined;
      }
      const a = e.A_Expr;
      if (!a) return undefined;
      const op = nameList(a.name).join('');
      if (a.kind === 'AEXPR_OP' && op === '=') {
        if (isDist(a.lexpr) && pinValue(a.rexpr) !== undefined) return [pinValue(a.rexpr)!];
        if (isDist(a.rexpr) && pinValue(a.lexpr) !== undefined) return [pinValue(a.lexpr)!];
        // `(dist, b) = (1, x)`: PostgreSQL makes a row equality the AND of its columns' equalities
        const l: PgNode[] | undefined = a.lexpr?.RowExpr?.args;
        const r: PgNode[] | undefined = a.rexpr?.RowExpr?.args;
        if (l && r && l.length === r.length) {
          for (let i = 0; i < l.length; i++) {
            if (isDist(l[i]) && pinValue(r[i]) !== undefined) return [pinValue(r[i])!];
            if (isDist(r[i]) && pinValue(l[i]) !== undefined) return [pinValue(l[i])!];
          }
        }
      } else if (a.kind === 'AEXPR_IN' && op === '=' && a.lexpr?.RowExpr) {
        // `(dist, b) IN ((1, x), (2, y))`: an OR of row equalities, one value per row
        const at = (a.lexpr.RowExpr.args ?? []).findIndex((n: PgNode) => isDist(n));
        const rows: PgNode[] = a.rexpr?.List?.items ?? [];
        const vals = rows.map((row) => (at >= 0 ? pinValue(row.RowExpr?.args?.[at]) : undefined));
        if (rows.length && vals.every((v) => v !== undefined)) return [...new Set(vals as string[])];
      } else if ((a.kind === 'AEXPR_IN' || a.kind === 'AEXPR_OP_ANY' || a.kind === 'AEXPR_OP_ALL') && op === '=' && isDist(a.lexpr)) {
        // (`= ALL (array)` prunes as `= ANY`: Citus' SAORestrictions reads the values, not useOr)
        // a NULL in the list matches no row (shard pruning leaves it out)
        const items: PgNode[] = ((a.kind === 'AEXPR_IN' ? a.rexpr?.List?.items : arrayConstantItems(a.rexpr)) ?? []).filter((x: PgNode) => !isNullConst(x));
        const vals = items.map(pinValue);
        if (items.length && vals.every((v) => v !== undefined)) return vals as string[];
      }
      return undefined;
    };
    // the AND-ed quals as shard pruning reads them: equalities narrow, OR nodes (IN lists, ORs) unite (none left: no shard)
    if (!where) return undefined;
    // an AND / OR / NOT tree naming another relation's columns is a join clause: PostgreSQL keeps of it what every arm
    // has in common (process_duplicate_ors(): one value), Citus prunes by nothing else (checked on Citus 13.2.2)
    const other = (c: PgNode): boolean => {
      let found = false;
      walk(c, (type, f) => {
        if (type === 'SubLink') return false;
        if (type === 'ColumnRef' && (f.fields?.length ?? 0) > 1 && f.fields[0]?.String?.sval !== alias) found = true;
        return undefined;
      });
      return found;
    };
    const quals = conjuncts(where).filter((c) => {
      if (!c.BoolExpr || !other(c)) return true;
      const v = shardPruneTree([c], valuesOf);
      return Array.isArray(v) && v.length === 1;
    });
    const values = shardPruneTree(quals, valuesOf);
    return values === 'false' ? [] : (values ?? undefined);
  }

  /**
   * The constants ON's AND-ed equalities give a column of the equivalence class of `rel`'s distribution column
   * (`ON t.k = s.k AND s.k = 5`: 5), each once; undefined when there is none.
   */
  private classConstants(on: PgNode | undefined, qm: QueryModel, uf: UnionFind, rel: RelOcc, dist: string): string[] | undefined {
    const cls = uf.find(colKey(rel, dist));
    let found: string[] | undefined;
    for (const c of conjuncts(on)) {
      const e = c.A_Expr;
      if (e?.kind !== 'AEXPR_OP' || nameList(e.name).join('') !== '=') continue;
      const [ref, value] = e.lexpr?.ColumnRef ? [e.lexpr, pinValue(e.rexpr)] : e.rexpr?.ColumnRef ? [e.rexpr, pinValue(e.lexpr)] : [undefined, undefined];
      if (!ref || value === undefined) continue;
      const origin = this.columnOrigin(ref.ColumnRef, qm.root);
      if (origin?.kind !== 'column' || uf.find(colKey(origin.rel, origin.column)) !== cls) continue;
      found = found ? (found.includes(value) ? found : [...found, value]) : [value];
    }
    return found;
  }

  /** `(a, b) IN (SELECT x, y ..)` equates a with x and b with y (top-level AND-ed conditions). */
  private rowSublinkEqualities(qm: QueryModel, uf: UnionFind, where: PgNode | undefined, pulledUpOnly = false): void {
    const visit = (e: PgNode | undefined): void => {
      if (!e) return;
      if (e.BoolExpr?.boolop === 'AND_EXPR') {
        for (const a of e.BoolExpr.args ?? []) visit(a);
        return;
      }
      const sl = e.SubLink;
      const row: PgNode[] | undefined = sl?.testexpr?.RowExpr?.args;
      if (!sl || sl.subLinkType !== 'ANY_SUBLINK' || !row) return;
      const child = qm.root.children.find((c) => c.select === sl.subselect?.SelectStmt);
      if (!child || (pulledUpOnly && !pulledUpSemiJoin(child))) return;
      row.forEach((arg, i) => {
        const t = child.targets[i]?.expr;
        const a = arg?.ColumnRef ? this.columnOrigin(arg.ColumnRef, qm.root) : undefined;
        const b = t?.ColumnRef ? this.columnOrigin(t.ColumnRef, child) : undefined;
        if (a?.kind === 'column' && b?.kind === 'column') uf.union(colKey(a.rel, a.column), colKey(b.rel, b.column));
      });
    };
    visit(where);
  }

  /**
   * The distribution-column values the statement's other hash-distributed relations are restricted to (each by its
   * own level's WHERE), together; undefined when one of them is not restricted (it keeps every shard).
   */
  private otherDistributedValues(qm: QueryModel, targetRel: RelOcc): string[] | undefined {
    const out: string[] = [];
    for (const r of qm.rels) {
      if (r === targetRel || r.table.kind !== 'hash' || !hasDistributionKey(r.table)) continue;
      const v = this.distValues(r.level.select.whereClause, r.table.distributionColumn!, r.alias, r.table);
      if (!v) return undefined;
      out.push(...v);
    }
    return out;
  }

  /**
   * The values a FROM subquery's relation is restricted to by restrictions PostgreSQL pushes into the subquery from the
   * level above (set_subquery_pathlist): `.. FROM (SELECT tenant_id, .. FROM events GROUP BY ..) s WHERE tenant_id = 1`
   * (or `IN (1, 2)`, `= ANY (ARRAY[..])`), and from a CTE PostgreSQL inlines as such a subquery. Only subqueries
   * without LIMIT, OFFSET, set operations, grouping sets, windows or DISTINCT ON, below no constant-false WHERE
   * (predict.ts models those for SELECTs). With `uf` (a MERGE's inner join), a constant on any column of the
   * equivalence class of the relation's distribution column counts.
   */
  private pushedValues(qm: QueryModel, rel: RelOcc, dist: string, uf?: UnionFind): string[] | undefined {
    let level = rel.level;
    let values: string[] | undefined;
    // the column followed: the relation's, then, above a set operation, the column the set operation gives for it
    let col = { rel, column: dist };
    let cls = uf?.find(colKey(rel, dist));
    const isCol = (o: { kind: string; rel?: RelOcc; column?: string } | undefined): boolean => o?.kind === 'column' && o.rel === col.rel && o.column === col.column;
    for (let depth = 0; depth < 8 && level.parent && !level.correlated && !level.lateral; depth++) {
      const sel = level.select;
      // an arm of a set operation (UNION, ALL or not): a restriction on the set operation's column is pushed into each
      // arm (recurse_push_qual) when the set operation has no LIMIT of its own; the model names the set operation's
      // columns by its first arm's, so the column followed becomes that one
      const setOp = level.parent.setOp;
      if (setOp?.leaves.includes(level)) {
        if (level.parent.select.limitCount || level.parent.select.limitOffset || sel.limitCount || sel.limitOffset) break;
        const i = level.targets.findIndex((t) => (!t.expr || !!t.expr.ColumnRef) && isCol(t.origin));
        const out = i >= 0 ? level.parent.targets[i]?.origin : undefined;
        if (out?.kind !== 'column') break;
        col = { rel: out.rel, column: out.column };
        cls = uf?.find(colKey(out.rel, out.column));
        level = level.parent;
        continue;
      }
      if (!(level.role === 'from' || this.inlinedCteOfParent(level))) break;
      if (sel.limitCount || sel.limitOffset || groupingShape(sel.groupClause, sel.groupDistinct).kept || (sel.distinctClause ?? []).some((d: PgNode) => d && Object.keys(d).length)) break;
      // (a window's rows are its partition's: a restriction on a column of every window's PARTITION BY is pushed in,
      // as check_output_expressions allows)
      const partitionedByKey = (call: PgNode): boolean =>
        (windowPartitionClause(call, sel) ?? []).some((p: PgNode) => {
          const o = p.ColumnRef ? qm.originOf(p) : undefined;
          return isCol(o);
        });
      if (!levelWindowCalls(level).every(partitionedByKey)) break;
      // the column leaves the subquery as a plain column (a cast of it is another expression; a `*` gives it as it is)
      const leaves = (t: (typeof level.targets)[number]): boolean => (!t.expr || !!t.expr.ColumnRef) && isCol(t.origin);
      if (!level.targets.some(leaves)) break;
      const parent = level.parent;
      if (conjuncts(parent.select.whereClause).some(isConstantFalse)) break;
      // (with `uf`, the equivalence classes of an inner join: a constant on a column of the class is pushed too)
      const isDist = (ref: PgNode | undefined): boolean => {
        if (!ref?.ColumnRef) return false;
        const origin = qm.originOf(ref);
        return origin.kind === 'column' && (isCol(origin) || (cls !== undefined && uf!.find(colKey(origin.rel, origin.column)) === cls));
      };
      for (const c of conjuncts(parent.select.whereClause)) {
        const e = c.A_Expr;
        let found: string[] | undefined;
        if (e?.kind === 'AEXPR_OP' && nameList(e.name).join('') === '=') {
          const [ref, value] = stripCast(e.lexpr)?.ColumnRef ? [stripCast(e.lexpr), pinValue(e.rexpr)] : [stripCast(e.rexpr), pinValue(e.lexpr)];
          if (value !== undefined && isDist(ref)) found = [value];
        } else if (e?.kind === 'AEXPR_IN' && nameList(e.name).join('') === '=' && isDist(stripCast(e.lexpr))) {
          const items: PgNode[] = e.rexpr?.List?.items ?? [];
          const vs = items.filter((i) => !isNullConst(i)).map(pinValue);
          if (vs.every((v) => v !== undefined)) found = vs as string[];
        } else if ((e?.kind === 'AEXPR_OP_ANY' || e?.kind === 'AEXPR_OP_ALL') && nameList(e.name).join('') === '=' && isDist(stripCast(e.lexpr))) {
          const vs = arrayConstantItems(e.rexpr)?.map(pinValue);
          if (vs?.every((v) => v !== undefined)) found = vs as string[];
        }
        if (found) values = values ? values.filter((v) => found!.includes(v)) : [...new Set(found)];
      }
      level = parent;
    }
    return values;
  }

  /**
   * Whether `level` is a CTE that PostgreSQL inlines as a subquery of its parent's FROM (referenced there once, not
   * MATERIALIZED, not recursive, no volatile function), as inline_cte() does.
   */
  private inlinedCteOfParent(level: QueryLevel): boolean {
    if (level.role !== 'cte' || !level.parent) return false;
    const item = level.parent.items.find((it) => it.kind === 'cte' && it.cte.level === level);
    return item?.kind === 'cte' && this.cteInlined(item.cte);
  }

  private cteInlined(cte: CteDef): boolean {
    return !!cte.level && cteInlinable(cte, !!firstVolatileCall(cte.query, this.model));
  }

  /** The target's distribution column is pinned to one value: through the equalities, or by one value in WHERE. */
  private targetPinned(ctx: ModifyContext): boolean {
    const { qm, uf, targetRel, target, node } = ctx;
    const alias = node.relation.alias?.aliasname ?? target.name;
    return this.pinned(qm, uf, targetRel) || this.distValues(node.whereClause, target.distributionColumn!, alias, target)?.length === 1;
  }

  /**
   * Whether the target's distribution column is pinned to one constant in the statement's own query block: by the
   * equalities and constants written there or in the subqueries PostgreSQL pulls up into it (`pinUf`); a constant
   * inside a subquery it plans on its own does not count.
   */
  private pinnedInRootBlock(qm: QueryModel, pinUf: UnionFind, rel: RelOcc): boolean {
    if (!hasDistributionKey(rel.table)) return true;
    const key = pinUf.find(colKey(rel, rel.table.distributionColumn!));
    return qm.constFilters.some((c) => !c.outer && pulledUpBlock(c.level) === qm.root && this.filterKey(c.origin, pinUf) === key);
  }

  /** The class of a constant filter's column: a table's, or a function's, VALUES' or subquery expression's (originKeys). */
  private filterKey(o: Origin, uf: UnionFind): string | undefined {
    if (o.kind === 'column') return uf.find(colKey(o.rel, o.column));
    const k = this.originKeys?.get(o);
    return k === undefined ? undefined : uf.find(k);
  }

  /** Whether the relation's distribution column is pinned to one constant through the query's equalities. */
  private pinned(qm: QueryModel, uf: UnionFind, rel: RelOcc): boolean {
    if (!hasDistributionKey(rel.table)) return true;
    const key = uf.find(colKey(rel, rel.table.distributionColumn!));
    // a constant inside a UNION's branch does not prune the relations joined to the UNION (checked on Citus 13.2.2:
    // every branch pinned to one tenant, the target joined to the UNION on its distribution column: every shard)
    // (a constant in an outer join's ON clause prunes neither side)
    return qm.constFilters.some((c) => !c.outer && (c.origin.kind !== 'column' || c.origin.rel.level.role !== 'setop') && this.filterKey(c.origin, uf) === key);
  }

  /**
   * A UNION [ALL] whose branches each return a distribution column at the same output position, all colocated, joins
   * those columns: PostgreSQL makes a UNION ALL subquery an append relation whose children share the join's
   * equivalence, and Citus' restriction equivalence takes a UNION's branches too (SafeToPushdownUnionSubquery). Checked
   * on Citus 13.2.2: DELETE .. USING, UPDATE .. FROM and a correlated EXISTS over such a UNION joined on the
   * distribution column run on every shard (or the pinned one) without a subplan. A branch with another column at
   * that position, a reference or non-colocated table, LIMIT; EXCEPT and INTERSECT: planned first, as before.
   */
  private unionLeafEquivalences(qm: QueryModel, uf: UnionFind): void {
    for (const level of qm.levels) {
      for (const keys of this.alignedUnionKeys(level)) for (const key of keys.slice(1)) uf.union(keys[0], key);
    }
  }

  /**
   * For a UNION [ALL] level: per output position where every branch (none needing a merge step) returns the
   * distribution column of a hash-distributed table, all colocated, those columns' keys. None for other levels.
   */
  private alignedUnionKeys(level: QueryLevel): string[][] {
    const op = level.setOp;
    if (op?.op !== 'UNION' || op.leaves.length < 2 || op.leaves.some((leaf) => leaf.setOp || this.requiresMerge(leaf))) return [];
    const out: string[][] = [];
    for (let k = 0; k < op.leaves[0].targets.length; k++) {
      const keys: string[] = [];
      let group: number | undefined;
      for (const leaf of op.leaves) {
        const e = leaf.targets[k]?.expr;
        const o = e?.ColumnRef ? this.columnOrigin(e.ColumnRef, leaf) : undefined;
        const t = o?.kind === 'column' ? o.rel.table : undefined;
        if (!t || o?.kind !== 'column' || t.kind !== 'hash' || !hasDistributionKey(t) || o.column !== t.distributionColumn || (group !== undefined && t.colocationId !== group)) break;
        group = t.colocationId;
        keys.push(colKey(o.rel, o.column));
      }
      if (keys.length === op.leaves.length) out.push(keys);
    }
    return out;
  }

  private joined(uf: UnionFind, a: RelOcc, b: RelOcc): boolean {
    if (!hasDistributionKey(a.table) || !hasDistributionKey(b.table)) return false;
    return uf.find(colKey(a, a.table.distributionColumn!)) === uf.find(colKey(b, b.table.distributionColumn!));
  }

  /**
   * The sublink levels PostgreSQL pulls up into the statement's join tree (pull_up_sublinks()): an uncorrelated
   * `IN (SELECT ..)` / `= ANY (SELECT ..)` and a correlated `[NOT] EXISTS (..)`, each a conjunct of the WHERE.
   */
  private pulledUpSublinks(qm: QueryModel, where: PgNode | undefined): Set<QueryLevel> {
    const out = new Set<QueryLevel>();
    const levelOf = (sl: PgNode): QueryLevel | undefined => qm.levels.find((l) => l.role === 'sublink' && l.select === (sl.subselect?.SelectStmt ?? sl.subselect));
    for (const c of conjuncts(where)) {
      const not = c.BoolExpr?.boolop === 'NOT_EXPR' && c.BoolExpr.args?.length === 1 ? c.BoolExpr.args[0] : undefined;
      const sl = (not ?? c).SubLink;
      if (!sl) continue;
      const level = levelOf(sl);
      if (!level) continue;
      if (!not && sl.subLinkType === 'ANY_SUBLINK' && !level.correlated) out.add(level);
      else if (sl.subLinkType === 'EXISTS_SUBLINK' && level.correlated) out.add(level);
    }
    return out;
  }

  /**
   * Citus' CheckPostPlanDistribution (Citus 13.2, its issues 7782 and 7783): when PostgreSQL folds the statement's
   * WHERE (before PostgreSQL 17 also MERGE's ON) to constant TRUE (`.. OR TRUE`, `1 = 1 OR ..`), the planned query has
   * no WHERE and none of its subqueries. Citus then counts the range table entries of the planned query against the
   * statement's: with fewer, and no Citus table left in the plan (all were read in those subqueries), it lets
   * PostgreSQL run the statement as a plain local query ('local'). A Citus table anywhere else (FROM, a CTE, the
   * target list, RETURNING) keeps the plan distributed (undefined). PostgreSQL's planning adds entries of its own: a
   * MERGE's join (`added`: one), and, which the model does not count, the partitions of a partitioned table and a
   * pulled-up FROM subquery's tables ('unsure'). Checked on Citus 13.2.2: a MERGE whose ON subquery reads one table
   * stays Citus', one whose subquery is a UNION ALL of two is plain PostgreSQL.
   */
  private foldedWhere(qm: QueryModel, where: PgNode | undefined, elsewhere: unknown, added = 0): 'local' | 'unsure' | undefined {
    if (!where || constantTruth(where) !== true || qm.dmlTables.some((t) => isCitusTable(t)) || hasSublink(elsewhere)) return undefined;
    const inWhere = new Set<unknown>();
    walk(where, (type, f) => {
      if (type === 'SubLink') inWhere.add(f.subselect?.SelectStmt ?? f.subselect);
    });
    const underWhere = (level: QueryLevel): boolean => {
      for (let l: QueryLevel | undefined = level; l; l = l.parent) if (inWhere.has(l.select)) return true;
      return false;
    };
    const citus = qm.rels.filter((r) => isCitusTable(r.table));
    if (!citus.length || !citus.every((r) => underWhere(r.level))) return undefined;
    const rest = qm.rels.filter((r) => !underWhere(r.level));
    if (rest.some((r) => r.table.partitioned || r.table.kind === 'view' || r.level !== qm.root) || qm.levels.some((l) => !underWhere(l) && l !== qm.root)) return 'unsure';
    return rangeTableEntries(where) > added ? 'local' : undefined;
  }

  /** Whether every function the statement calls resolved to one of PostgreSQL's built-in functions (none of Citus'). */
  private callsOnlyPostgres(select: PgNode, qm: QueryModel): boolean {
    let only = true;
    walk(select, (type, f) => {
      if (!only) return false;
      if (type === 'FuncCall' && (qm.volatilityOf(f) === undefined || citusCatalog().functions.has(functionName(f)))) only = false;
      return undefined;
    });
    return only;
  }

  /** Whether `l` is `top` or below it. */
  private isUnder(l: QueryLevel, top: QueryLevel): boolean {
    for (let x: QueryLevel | undefined = l; x; x = x.parent) if (x === top) return true;
    return false;
  }

  private relsUnder(level: QueryLevel): RelOcc[] {
    return [...level.rels, ...level.children.flatMap((c) => this.relsUnder(c))];
  }

  /** A subquery level Citus cannot push down on its own (it needs a merge step): LIMIT, GROUP BY / DISTINCT / window without the distribution column, aggregates without GROUP BY, set operations. */
  private requiresMerge(level: QueryLevel): boolean {
    return this.mergeDetail(level) !== undefined;
  }

  /**
   * Why a subquery level needs a merge step, in the words of DeferErrorIfSubqueryRequiresMerge (and the window and
   * DISTINCT checks of DeferErrorIfCannotPushdownSubquery); undefined when it needs none. Set operations have no
   * detail of their own here: an empty string.
   */
  private mergeDetail(level: QueryLevel): string | undefined {
    const s = level.select;
    // a UNION whose branches line up on colocated distribution columns goes down as it is (see alignedUnionKeys)
    if (level.setOp) return this.alignedUnionKeys(level).length ? undefined : '';
    const keyed = this.relsUnder(level).some((r) => hasDistributionKey(r.table));
    if (!keyed) return undefined;
    if (s.limitOffset) return DETAIL.offset;
    if (s.limitCount) return DETAIL.limit;
    const groups: PgNode[] = s.groupClause ?? [];
    if (groups.length && !groups.some((g) => this.isDistExpr(g, level))) return DETAIL.groupBy;
    if (!groups.length && levelHasAggregates(level)) return DETAIL.aggregates;
    if (s.distinctClause) {
      const items: PgNode[] = s.distinctClause.filter((d: PgNode) => Object.keys(d).length > 0);
      const ok = items.length ? items.some((d) => this.isDistExpr(d, level)) : level.targets.some((t) => t.expr && this.isDistExpr(t.expr, level));
      if (!ok) return DETAIL.distinct;
    }
    for (const call of levelWindowCalls(level)) {
      const parts: PgNode[] = windowPartitionClause(call, s) ?? [];
      if (!parts.some((p) => this.isDistExpr(p, level))) return parts.length ? DETAIL.windowMissing : DETAIL.windowNoPartition;
    }
    return undefined;
  }

  /**
   * RecursivelyPlanRecurringTupleOuterJoinWalker, which modifications always run (forceRecursivelyPlanRecurringOuterJoins):
   * in a subquery, `<recurring> LEFT JOIN <distributed>` (RIGHT JOIN mirrored, a FULL JOIN with one recurring side)
   * has its distributed side planned first, through the coordinator. Citus does so only when PostgreSQL kept an outer
   * join (hasOuterJoin), and PostgreSQL reduces one to an inner join when a strict qual above it reads the nullable
   * side (reduce_outer_joins): the model counts on a kept join only when the subquery's WHERE does not read that side,
   * and its output does not either unless the subquery stays a subquery of its own (DISTINCT, GROUP BY, LIMIT, ...).
   * Checked on Citus 13.2.2, with the cases that push down (`dist LEFT JOIN ref`, the nullable side in the output of
   * an IN, a correlated EXISTS) and those at the statement's own level, which are not recursively planned.
   */
  private recurringOuterJoinSubquery(qm: QueryModel): { rel: RelOcc; side: 'right' | 'left'; type: string } | undefined {
    const recurring = (items: FromItem[]): boolean => items.every((it) => this.isRecurringItem(it));
    const relsOf = (items: FromItem[]): RelOcc[] =>
      items.flatMap((it) => (it.kind === 'rel' ? [it.rel] : it.kind === 'subquery' ? this.relsUnder(it.level) : it.kind === 'cte' && it.cte.level ? this.relsUnder(it.cte.level) : []));
    for (const level of qm.levels) {
      if (level === qm.root || level.correlated || level.setOp) continue;
      for (const j of level.outerJoins) {
        const leftRecurs = recurring(j.left);
        const rightRecurs = recurring(j.right);
        const nullable = j.type === 'LEFT' && leftRecurs && !rightRecurs ? j.right : j.type === 'RIGHT' && rightRecurs && !leftRecurs ? j.left : j.type === 'FULL' && leftRecurs !== rightRecurs ? (leftRecurs ? j.right : j.left) : undefined;
        if (!nullable) continue;
        const nullableRels = new Set(relsOf(nullable));
        const reads = (node: unknown): boolean => {
          let found = false;
          walk(node, (type, f) => {
            if (found || type === 'SubLink') return false;
            if (type === 'ColumnRef') {
              const o = qm.originOf({ ColumnRef: f });
              if (o.kind === 'column' && nullableRels.has(o.rel)) found = true;
            }
            return undefined;
          });
          return found;
        };
        if (reads(level.select.whereClause)) continue;
        if (isSimpleSubquery(level) && level.targets.some((t) => (t.origin.kind === 'column' && nullableRels.has(t.origin.rel)) || (t.expr && reads(t.expr)))) continue;
        const rel = [...nullableRels].find((r) => isDistributed(r.table));
        if (rel) return { rel, side: nullable === j.right ? 'right' : 'left', type: j.type.toLowerCase() };
      }
    }
    return undefined;
  }

  /**
   * The outer joins of the statement's own FROM that PostgreSQL keeps (reduce_outer_joins): the relations on their
   * nullable sides, and those whose join's other side recurs (`ref LEFT JOIN dist`: RecursivelyPlanRecurringTupleOuterJoinWalker).
   */
  private keptOuterJoinSides(qm: QueryModel): { nullable: Set<RelOcc>; recurringOuter: Map<RelOcc, { side: 'left' | 'right'; type: 'left' | 'right' | 'full' }> } {
    const cached = this.outerSidesCache?.qm === qm ? this.outerSidesCache.value : undefined;
    if (cached) return cached;
    const nullable = new Set<RelOcc>();
    const recurringOuter = new Map<RelOcc, { side: 'left' | 'right'; type: 'left' | 'right' | 'full' }>();
    if (qm.root.outerJoins.length) {
      const tree = joinTreeOf(qm.root);
      const types = reducedJoinTypesOf(qm.root, tree, (c) => qm.originOf(c));
      const rels = (j: JoinNode): RelOcc[] => joinItems(j).flatMap((it) => (it.kind === 'rel' ? [it.rel] : it.kind === 'subquery' ? this.relsUnder(it.level) : []));
      const recurs = (j: JoinNode): boolean => joinItems(j).every((it) => this.isRecurringItem(it));
      const visit = (j: JoinNode): void => {
        if (j.kind === 'leaf') return;
        if (j.kind === 'list') return j.items.forEach(visit);
        visit(j.left);
        visit(j.right);
        const type = types.get(j) ?? j.type;
        const sides: ['left' | 'right', JoinNode, JoinNode][] = type === 'LEFT' ? [['right', j.right, j.left]] : type === 'RIGHT' ? [['left', j.left, j.right]] : type === 'FULL' ? [['right', j.right, j.left], ['left', j.left, j.right]] : [];
        for (const [side, inner, outer] of sides) {
          for (const r of rels(inner)) nullable.add(r);
          if (recurs(outer) && !recurs(inner)) for (const r of rels(inner)) recurringOuter.set(r, { side, type: type === 'LEFT' ? 'left' : type === 'RIGHT' ? 'right' : 'full' });
        }
      };
      visit(tree);
    }
    const value = { nullable, recurringOuter };
    this.outerSidesCache = { qm, value };
    return value;
  }

  private outerSidesCache?: { qm: QueryModel; value: { nullable: Set<RelOcc>; recurringOuter: Map<RelOcc, { side: 'left' | 'right'; type: 'left' | 'right' | 'full' }> } };

  /** An UPDATE or DELETE in a WITH clause of the statement filtered by `dist = <constant>` of a constrained domain. */
  domainConstantInCtes(ast: PgNode): PlannerFinding | undefined {
    let found: PlannerFinding | undefined;
    walk(ast, (type, f) => {
      if (found || type !== 'CommonTableExpr') return undefined;
      const m = f.ctequery?.UpdateStmt ?? f.ctequery?.DeleteStmt;
      const t = m?.relation ? this.resolve(m.relation) : undefined;
      if (!m || !t || !hasDistributionKey(t) || !isDistributed(t)) return undefined;
      found = this.domainConstantCrash(t, m.relation.alias?.aliasname ?? t.name, m.whereClause);
      return undefined;
    });
    return found;
  }

  /**
   * A constant for the distribution column of a domain with constraints (CHECK, NOT NULL), not cast to the domain, in a
   * `dist = <constant>` conjunct of `where`: PostgreSQL leaves a CoerceToDomain over it, which Citus 13.2's shard
   * pruning cannot fold into a constant (`Cannot coerce integer to positive_int` for a one-row INSERT; an UPDATE or
   * DELETE pruned by it ends the server process). Checked on Citus 13.2.2 (PostgreSQL 15); a domain without
   * constraints folds and works.
   */
  private domainConstantCrash(table: TableModel, alias: string, where: PgNode | undefined): PlannerFinding | undefined {
    const dist = table.distributionColumn!;
    for (const c of conjuncts(where)) {
      const e = c.A_Expr;
      if (!e || e.kind !== 'AEXPR_OP' || nameList(e.name).join('') !== '=') continue;
      for (const [col, other] of [[e.lexpr, e.rexpr], [e.rexpr, e.lexpr]] as const) {
        const fields = col?.ColumnRef ? nameList(col.ColumnRef.fields) : undefined;
        if (!fields || fields[fields.length - 1] !== dist || (fields.length > 1 && fields[fields.length - 2] !== alias)) continue;
        const uncast = this.uncastDomainConstant(table, other);
        if (uncast) return this.domainCrash(table, dist, uncast, other);
      }
    }
    return undefined;
  }

  private domainCrash(target: TableModel, dist: string, uncast: { domain: string; cast: string }, node: PgNode): PlannerFinding {
    return this.finding('domain-dist-column-constant', { message: 'server closed the connection unexpectedly', detail: 'This probably means the server terminated abnormally before or while processing the request.' }, this.pos.nodeRange(node), 'constant not cast to the distribution column\'s domain', undefined, `${displayName(target)}.${dist} is of the domain ${uncast.domain}, which has constraints: Citus 13.2 cannot turn the constant into a value of it to prune shards, and the server process ends (every session of the coordinator is reset); cast it: ${uncast.cast}`);
  }

  /** The column is of a domain with a CHECK or NOT NULL constraint. */
  private constrainedDomainColumn(table: TableModel, column: string): boolean {
    const col = findColumn(table, column);
    const domain = col?.domain ? this.model.domains.get(col.domain) : undefined;
    return !!domain && (domain.notNull || domain.checks.length > 0);
  }

  private uncastDomainConstant(target: TableModel, node: PgNode | undefined): { from: string; domain: string; cast: string } | undefined {
    if (!node || !hasDistributionKey(target) || !isDistributed(target)) return undefined;
    const col = findColumn(target, target.distributionColumn!);
    const domain = col?.domain ? this.model.domains.get(col.domain) : undefined;
    if (!domain || (!domain.notNull && !domain.checks.length)) return undefined;
    // a cast to the domain itself (any spelling of its name) makes the constant a value of it
    let n: PgNode = node;
    while (n.TypeCast) {
      const names = nameList(n.TypeCast.typeName?.TypeName?.names ?? n.TypeCast.typeName?.names);
      if (names[names.length - 1] === domain.name) return undefined;
      n = n.TypeCast.arg;
    }
    if (!n.A_Const || n.A_Const.isnull) return undefined;
    const shown = domain.schema === 'pg_catalog' || this.session.searchPath.includes(domain.schema) ? domain.name : `${domain.schema}.${domain.name}`;
    return { from: domain.baseType, domain: shown, cast: `${figureConstant(node)}::${shown}` };
  }

  /** A FROM item that recurs (is read whole by every task): no distributed table in it. */
  private isRecurringItem(item: FromItem): boolean {
    switch (item.kind) {
      case 'rel':
        return !isDistributed(item.rel.table);
      case 'subquery':
        return !this.relsUnder(item.level).some((r) => isDistributed(r.table));
      case 'cte':
        return !item.cte.level || !this.relsUnder(item.cte.level).some((r) => isDistributed(r.table));
      default:
        return true;
    }
  }

  /**
   * RecursivelyPlanSubqueryWalker plans the subqueries inside a subquery first, depth first: one below the
   * statement's own subqueries and CTEs that references no enclosing query and needs a merge step is planned on
   * its own, through the coordinator, even when the subquery that holds it goes down with the modification
   * (checked on Citus 13.2.2: a LIMIT or DISTINCT ON subquery inside an IN, EXISTS, FROM subquery or CTE). A
   * correlated one is never planned on its own (RecursivelyPlanSubquery skips it) and goes down as it is. Set
   * operations and their branches, and subqueries over local tables, keep the other paths.
   */
  private nestedMergeSubquery(qm: QueryModel): { level: QueryLevel; rel: RelOcc; detail: string } | undefined {
    for (const level of qm.levels) {
      if (level === qm.root || level.parent === qm.root || !level.parent || level.correlated || level.setOp || level.parent.setOp || level.role === 'setop') continue;
      if (level.rels.some((r) => !isCitusTable(r.table) || r.table.kind === 'citus_local')) continue;
      const detail = this.mergeDetail(level);
      const rel = detail ? this.relsUnder(level).find((r) => isDistributed(r.table)) : undefined;
      if (detail && rel) return { level, rel, detail };
    }
    return undefined;
  }

  private isDistExpr(node: PgNode, level: QueryLevel): boolean {
    const ordinal = node.A_Const?.ival;
    if (ordinal !== undefined) {
      const t = level.targets[(ordinal.ival ?? 0) - 1];
      return !!t?.expr && this.isDistExpr(t.expr, level);
    }
    let n = node;
    // a cast that converts (text to int, varchar to text) is no column for Citus (FindReferencedTableColumn takes a
    // Var); one to the column's own type is dropped by PostgreSQL. Unresolved casts are given the benefit of the doubt.
    while (n?.TypeCast) {
      if (this.current?.volatilityOf(n.TypeCast)) return false;
      n = n.TypeCast.arg;
    }
    if (!n?.ColumnRef) return false;
    const o = this.columnOrigin(n.ColumnRef, level);
    if (o?.kind === 'column') return hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column;
    // GROUP BY an output alias
    const parts = nameList(n.ColumnRef.fields);
    const t = parts.length === 1 ? level.targets.find((x) => x.name === parts[0]) : undefined;
    return !!t?.expr && t.expr !== node && !!t.expr.ColumnRef && this.isDistExpr(t.expr, level);
  }

  /** Follows a column reference through the FROM items of a level (and its subqueries). */
  private columnOrigin(ref: PgNode, level: QueryLevel, depth = 0): Origin | undefined {
    if (depth > 16) return undefined;
    const parts = nameList(ref.fields);
    const column = parts[parts.length - 1];
    const qualifier = parts.length > 1 ? parts[parts.length - 2] : undefined;
    for (let l: QueryLevel | undefined = level; l; l = l.parent) {
      for (const item of qualifier ? l.items.filter((i) => i.alias === qualifier) : l.items) {
        const o = this.itemOrigin(item, column, depth);
        if (o) return o;
      }
    }
    return undefined;
  }

  private itemOrigin(item: FromItem, column: string, depth: number): Origin | undefined {
    switch (item.kind) {
      case 'rel':
        return findColumn(item.rel.table, column) ? { kind: 'column', rel: item.rel, column } : undefined;
      case 'subquery': {
        const idx = item.colnames.length ? item.colnames.indexOf(column) : item.level.targets.findIndex((t) => t.name === column);
        const t = idx < 0 ? undefined : (item.level.setOp?.leaves[0] ?? item.level).targets[idx];
        if (!t) return undefined;
        let e = t.expr;
        while (e?.TypeCast) e = e.TypeCast.arg;
        if (e?.ColumnRef) return this.columnOrigin(e.ColumnRef, item.level.setOp?.leaves[0] ?? item.level, depth + 1) ?? { kind: 'unknown' };
        return { kind: 'expr', node: t.expr ?? {} };
      }
      case 'cte': {
        const level = item.cte.level;
        const t = level?.targets.find((x) => x.name === column);
        if (!level || !t) return level ? undefined : { kind: 'unknown' };
        return t.expr?.ColumnRef ? this.columnOrigin(t.expr.ColumnRef, level, depth + 1) : { kind: 'expr', node: t.expr ?? {} };
      }
      case 'values':
        return item.colnames.includes(column) ? { kind: 'values' } : undefined;
      case 'function':
        return item.colnames.includes(column) ? { kind: 'function' } : undefined;
      default:
        return { kind: 'unknown' };
    }
  }

  /**
   * CheckValidResultRel: PostgreSQL's executor refuses to change a materialized view (when it starts, EXPLAIN
   * included). Only without Citus tables in the statement: with them Citus plans first, and may refuse first.
   */
  private matviewTarget(target: TableModel, rv: PgNode): PlannerFinding {
    const message = DML_MSG.cannotChangeMatview(target.name);
    return this.finding('modify-materialized-view', { level: 'ERROR', message }, this.pos.nameRange(rv.location ?? 0), 'materialized view modified', undefined, `${displayName(target)} is a materialized view: ${message}; modify the tables it reads and REFRESH it`);
  }

  /** UPDATE/DELETE of a reference (or citus-local / single-shard) table. */
  private recurringTargetModify(ctx: ModifyContext, targetName: string): DmlResult {
    const { qm, targetRel, target, command } = ctx;
    const direct = qm.root.rels.filter((r) => r !== targetRel);
    const sameGroup = (r: RelOcc): boolean => target.kind === 'single_shard' && r.table.kind === 'single_shard' && r.table.colocationId === target.colocationId;
    // relations read where recursive planning cannot reach them: FROM / USING (also inside FROM subqueries Citus
    // would push down), and correlated sublinks; a FROM subquery that needs a merge step (an aggregate without
    // GROUP BY, LIMIT, ...) and uncorrelated sublinks become intermediate results (checked on Citus 13.2.2)
    const unplannable = [...direct, ...qm.root.children.filter((c) => (c.role === 'from' && !this.requiresMerge(c)) || (c.role === 'sublink' && c.correlated)).flatMap((c) => this.relsUnder(c))];
    const distDirect = unplannable.find((r) => isDistributed(r.table) && !sameGroup(r));
    // citus-local tables are local tables to ModifyQuerySupported: next to a distributed or reference table
    // anywhere in the statement the router planner refuses it ("local table ... cannot be joined with these
    // distributed tables"), and the recursive planner reads one side first (RecursivelyPlanLocalTableJoins,
    // subqueries, CTEs) and ships its rows through the coordinator. With plain tables only, one router task.
    const others = qm.rels.filter((r) => r !== targetRel);
    const citusLocalJoin =
      target.kind === 'citus_local'
        ? others.find((r) => isDistributed(r.table) || r.table.kind === 'reference')
        : target.kind === 'reference' || target.kind === 'single_shard'
          ? others.find((r) => r.table.kind === 'citus_local')
          : undefined;
    // a citus-local target with reference tables only in sublinks PostgreSQL keeps as subplans (NOT IN, a scalar
    // subquery, an uncorrelated EXISTS, a sublink under OR; correlated or not): its statement has no join for
    // ModifyQuerySupported to refuse, and the router planner runs it on the coordinator, which holds both (checked on
    // Citus 13.2.2 by running them; a pulled-up IN or correlated EXISTS is a join, refused or planned below)
    if (citusLocalJoin && target.kind === 'citus_local') {
      const pulled = this.pulledUpSublinks(qm, ctx.node.whereClause);
      const keptAsSubplan = (r: RelOcc): boolean => {
        let top = r.level;
        while (top.parent && top.parent !== qm.root) top = top.parent;
        return top !== qm.root && top.role === 'sublink' && !pulled.has(top);
      };
      const citusOthers = others.filter((r) => isCitusTable(r.table) && r.table.kind !== 'citus_local');
      if (citusOthers.every((r) => r.table.kind === 'reference' && keptAsSubplan(r))) {
        return { outcome: 'single_shard', shardCount: 1, totalShards: 1, reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }], findings: [], target: targetName, summary: 'single shard: reference tables in subqueries', command };
      }
    }
    if (citusLocalJoin) {
      const local = target.kind === 'citus_local' ? target : citusLocalJoin.table;
      // what cannot be read first stays, and the router planner's refusal is final: a correlated sublink, or a
      // FROM subquery (a view included) Citus would push down rather than plan on its own
      const otherSide = (r: RelOcc): boolean => (target.kind === 'citus_local' ? isDistributed(r.table) || r.table.kind === 'reference' : r.table.kind === 'citus_local');
      const stuck = qm.root.children
        .filter((c) => (c.role === 'sublink' && c.correlated) || (c.role === 'from' && !this.requiresMerge(c) && !c.children.some((g) => g.role === 'sublink')))
        .flatMap((c) => this.relsUnder(c))
        .find(otherSide);
      if (stuck) {
        const f = this.finding('modification-via-coordinator', { level: 'ERROR', message: DML_MSG.localTableJoin(local.name) }, this.pos.nameRange(stuck.location), 'citus-local table joined in a subquery', undefined, `${displayName(local)} is a citus-local table: Citus cannot read ${displayName(stuck.table)} first where it sits (a correlated subquery, or a subquery it would push down), so it refuses the join; join the table directly or read it into a MATERIALIZED CTE`);
        return this.error(command, f, targetName);
      }
      const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message: DML_MSG.localTableJoin(local.name) }, this.pos.nameRange(citusLocalJoin.location), 'citus-local table joined through the coordinator', undefined, `${displayName(local)} is a citus-local table: Citus reads one side of the join first (wrapped into a subquery) and ships its rows through the coordinator`);
      return { outcome: 'coordinator', shardCount: 1, totalShards: 1, reasons: [f.citus], findings: [f], target: targetName, summary: 'via coordinator', command };
    }
    if (target.kind === 'citus_local' && others.every((r) => !isCitusTable(r.table) || r.table.kind === 'citus_local')) {
      return { outcome: 'single_shard', shardCount: 1, totalShards: 1, reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }], findings: [], target: targetName, summary: `single shard: ${kindWord(target)}`, command };
    }
    if (distDirect && target.kind === 'single_shard') {
      // a single-shard target is a router modification: a table of another colocation group pruned to one shard (a
      // single-shard table, a hash-distributed one pinned by a constant) is the router planner's refusal, any other
      // distributed table the join's (checked on Citus 13.2.2)
      const pinned = this.routerMayTake(qm) && (!hasDistributionKey(distDirect.table) || this.pinned(qm, ctx.uf, distDirect));
      return this.error(command, pinned ? this.routerNotColocated(distDirect, command) : this.finding('dml-join-not-colocated', { message: DML_MSG.complexJoins }, this.pos.nameRange(distDirect.location), 'join with a distributed table', undefined, `${displayName(distDirect.table)} is not in ${displayName(target)}'s colocation group: ${DML_MSG.complexJoins}`), targetName);
    }
    // a reference target with distributed tables each pruned to one shard (of one colocation group) is a router
    // modification, refused when its one task is built (SingleShardTaskList; checked on Citus 13.2.2)
    const distributedRels = others.filter((r) => isDistributed(r.table));
    if (distDirect && target.kind === 'reference' && this.routerMayTake(qm) && distributedRels.every((r) => r.table.colocationId === distributedRels[0].table.colocationId && (!hasDistributionKey(r.table) || this.pinned(qm, ctx.uf, r)))) {
      const f = this.finding('reference-target-from-distributed', { level: 'ERROR', message: DML_MSG.referenceTargetSelectsDistributed }, this.pos.nameRange(distDirect.location), 'distributed table in FROM', undefined, `${displayName(target)} is a reference table: the ${command} goes to one shard of ${displayName(distDirect.table)}, and Citus refuses to modify a reference table there (${DML_MSG.referenceTargetSelectsDistributed}); write it as WHERE .. IN (SELECT ..)`);
      return this.error(command, f, targetName);
    }
    if (distDirect) {
      const f = this.finding('dml-join-not-colocated', { message: DML_MSG.referenceTargetMultiTable }, this.pos.nameRange(distDirect.location), 'distributed table in FROM', undefined, `${displayName(target)} is a ${kindWord(target)}: ${displayName(distDirect.table)} (distributed) cannot be joined in ${command === 'UPDATE' ? 'UPDATE .. FROM' : 'DELETE .. USING'}; write it as WHERE .. IN (SELECT ..)`);
      return this.error(command, f, targetName);
    }
    // a reference table's modification with a plain PostgreSQL table in FROM / USING or in a sublink: Citus
    // refuses it (its shard lives on every node, the local table on one); one in a FROM subquery, a CTE or an
    // uncorrelated `IN (SELECT ..)` of the WHERE clause (which PostgreSQL turns into a join) is read first, through
    // the coordinator (each checked on Citus 13.2.2: EXISTS, NOT IN and scalar subqueries are refused)
    const inJoin = (c: QueryLevel): boolean => !c.correlated && c.sublink?.type === 'ANY_SUBLINK' && conjuncts(ctx.node.whereClause).some((w) => w.SubLink?.subselect?.SelectStmt === c.select);
    const sublinkRels = qm.root.children.filter((c) => c.role === 'sublink' && !inJoin(c)).flatMap((c) => this.relsUnder(c));
    const plainLocal = target.kind === 'reference' ? [...direct, ...sublinkRels].find((r) => !isCitusTable(r.table)) : undefined;
    if (plainLocal) {
      const f = this.finding('modification-via-coordinator', { level: 'ERROR', message: DML_MSG.notDistributed(plainLocal.table.name) }, this.pos.nameRange(plainLocal.location), 'local table in a reference-table modification', undefined, `${displayName(target)} is a reference table: Citus cannot modify it with rows of the local table ${displayName(plainLocal.table)}; add ${displayName(plainLocal.table)} to Citus (as a reference or Citus local table) or read it into a CTE first`);
      return this.error(command, f, targetName);
    }
    // a distributed table in a subquery that prunes to one shard with the reference table: the router planner
    // takes the whole statement, and a task modifying a reference table may not read a distributed table
    // (SingleShardTaskList, SelectsFromDistributedTable)
    const readDistributed = qm.rels.filter((r) => r !== targetRel && isDistributed(r.table) && !direct.includes(r));
    if (target.kind === 'reference' && readDistributed.length && readDistributed.every((r) => hasDistributionKey(r.table) && this.pinned(qm, ctx.uf, r))) {
      const r = readDistributed[0];
      const f = this.finding('reference-target-from-distributed', { level: 'ERROR', message: 'cannot perform select on a distributed table and modify a reference table' }, this.pos.nameRange(r.location), 'distributed table read by a reference-table modification', undefined, `${displayName(target)} is a reference table: the subquery on ${displayName(r.table)} prunes to one shard, so Citus routes the whole statement there, and a reference-table modification may not read a distributed table in the same task; read it into a MATERIALIZED CTE first`);
      return this.error(command, f, targetName);
    }
    const viaCoordinator = qm.rels.find((r) => r !== targetRel && (!isCitusTable(r.table) || (isDistributed(r.table) && !direct.includes(r) && !sameGroup(r))));
    if (viaCoordinator) {
      const f = this.viaCoordinatorFinding(viaCoordinator);
      return { outcome: 'coordinator', shardCount: 1, totalShards: 1, reasons: [f.citus], findings: [f], target: targetName, summary: 'via coordinator', command };
    }
    // the router planner takes the whole statement: it runs a CTE that calls a VOLATILE function first ("Router planner
    // doesn't support VOLATILE functions in common table expressions"), and SingleShardUpdateDeleteSupported refuses a
    // VOLATILE function anywhere else (a FROM subquery, IN, EXISTS). Checked on Citus 13.2.2 with single-shard and
    // reference targets, UPDATE and DELETE.
    const wrappedFirst = this.volatileFunctionsFirst(ctx, targetName);
    if (wrappedFirst) return wrappedFirst;
    const outside = firstVolatileCall({ ...ctx.node, withClause: undefined }, this.model);
    if (outside) {
      return this.error(command, this.finding('volatile-function-in-modification', { message: DML_MSG.updateVolatile }, this.pos.nodeRange(outside), 'volatile function in a one-shard modification', undefined, `${displayName(target)} is a ${kindWord(target)}: the whole ${command} goes to one shard, and Citus refuses a VOLATILE function anywhere in it (${DML_MSG.updateVolatile}); compute the value first, in a MATERIALIZED CTE`), targetName);
    }
    const inCte = ((ctx.node.withClause?.ctes ?? []) as PgNode[]).map((c) => firstVolatileCall(c, this.model)).find(Boolean);
    if (inCte) {
      const f = this.volatileCteFinding(inCte);
      return { outcome: 'coordinator', shardCount: 1, totalShards: 1, reasons: [f.citus], findings: [f], target: targetName, summary: 'CTE via coordinator', command };
    }
    return { outcome: 'single_shard', shardCount: 1, totalShards: 1, reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }], findings: [], target: targetName, summary: `single shard: ${kindWord(target)}`, command };
  }

  /**
   * UPDATE / DELETE of a table that is not a Citus table (a local table, a view, a materialized view). Of a local
   * table that reads Citus tables: Citus relations in FROM / USING are wrapped into
   * subqueries and planned first (RecursivelyPlanLocalTableJoins), uncorrelated sublinks become subplans;
   * a correlated sublink over a distributed table cannot be planned on its own (complex joins), and a FROM
   * subquery Citus could push down is left in place, which the router planner then refuses for the local
   * target (`relation ... is not distributed`).
   */
  private modifyLocalTarget(ctx: ModifyContext, rv: PgNode, targetName: string): DmlResult | undefined {
    const { command, node, target, targetRel, qm } = ctx;
    const citus = qm.rels.filter((r) => r !== targetRel && isCitusTable(r.table));
    if (target.kind === 'matview' && !citus.length) return this.error(command, this.matviewTarget(target, rv), targetName);
    const refused = this.localTargetError(ctx);
    if (refused) return this.error(command, refused, targetName);
    // only citus-local tables: everything lives on the coordinator, one router task (no local-table join)
    if (citus.length && citus.every((r) => r.table.kind === 'citus_local') && target.kind !== 'matview' && target.kind !== 'view') {
      return { outcome: 'single_shard', shardCount: 1, totalShards: 1, reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }], findings: [], target: targetName, summary: 'single shard: with citus-local tables', command };
    }
    // reference (and citus-local) tables only in subqueries PostgreSQL keeps as subplans (NOT IN, a scalar subquery, a
    // sublink under OR): the statement's own join tree has only the local table, and the router planner runs it on the
    // coordinator with the reference tables' local placements, one task (checked on Citus 13.2.2)
    const pulled = this.pulledUpSublinks(qm, node.whereClause);
    const inJoinTree = (r: RelOcc): boolean => {
      for (let l: QueryLevel | undefined = r.level; l; l = l.parent) {
        if (l === qm.root || pulled.has(l)) return true;
        if (l.role === 'sublink') return false;
      }
      return true;
    };
    if (citus.length && citus.every((r) => r.table.kind === 'reference' || r.table.kind === 'citus_local') && !citus.some(inJoinTree) && target.kind === 'local') {
      // a reference table read by a sublink of Citus tables only: the router task goes to a reference placement on a
      // worker, where the local table does not exist (checked on Citus 13.2.2 by running NOT IN, scalar, EXISTS, ANY and
      // ALL subqueries, aggregates too); one read inside a sublink Citus plans first (with a local table or a LIMIT)
      // leaves the statement local
      const remote = citus.find((r) => {
        if (r.table.kind !== 'reference') return false;
        let top = r.level;
        while (top.parent && top.parent !== qm.root) top = top.parent;
        // (an aggregate does not make Citus plan it first here, a LIMIT or a local table does)
        return !this.relsUnder(top).some((x) => !isCitusTable(x.table)) && !qm.levels.some((l) => this.isUnder(l, top) && (l.select.limitCount || l.select.limitOffset));
      });
      if (remote) {
        const qualified = `${target.schema}.${target.name}`;
        const f = this.finding('modification-via-coordinator', { level: 'ERROR', message: `relation "${qualified}" does not exist` }, this.pos.nameRange(remote.location), 'local table sent to a worker', undefined, `${displayName(target)} is a local table, and ${displayName(remote.table)} a reference table read in a subquery: Citus plans the statement as one task on a reference table placement, runs it on a worker, and the worker has no ${target.name}. Read the reference table into a MATERIALIZED CTE, or add a LIMIT to the subquery, so that Citus reads it first.`);
        return this.error(command, f, targetName);
      }
      return { outcome: 'single_shard', shardCount: 1, totalShards: 1, reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }], findings: [], target: targetName, summary: 'single shard: reference tables in subqueries', command };
    }
    // a correlated EXISTS PostgreSQL makes a semi-join with the local table: the recursive planner cannot plan it on its
    // own, and the join of the local table with a Citus table is refused
    const correlatedJoin = citus.find((r) => inJoinTree(r) && r.level !== qm.root && [...pulled].some((l) => l.correlated && this.relsUnder(l).includes(r)));
    if (correlatedJoin) {
      const f = this.finding('modification-via-coordinator', { level: 'ERROR', message: DML_MSG.notDistributed(target.name) }, this.pos.nameRange(correlatedJoin.location), 'correlated subquery on a Citus table', undefined, `${displayName(target)} is a local table: PostgreSQL joins it with the correlated subquery on ${displayName(correlatedJoin.table)}, which Citus can neither plan on its own nor run next to a local table; use IN (an uncorrelated subquery) or NOT EXISTS`);
      return this.error(command, f, targetName);
    }
    if (citus.length) {
      const failed = this.subplanFailure(qm.root.children.filter((c) => (c.role === 'from' || c.role === 'sublink') && !c.correlated && this.relsUnder(c).some((r) => isDistributed(r.table))));
      if (failed) return this.error(command, failed, targetName);
      const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message: DML_MSG.notDistributed(target.name) }, this.pos.nameRange(citus[0].location), 'Citus table read through the coordinator', undefined, `${displayName(target)} is a local table: the Citus table ${displayName(citus[0].table)} is read first and its rows pass through the coordinator`);
      return { outcome: 'coordinator', reasons: [f.citus], findings: [f], target: targetName, summary: 'via coordinator', command };
    }
    return { outcome: 'local', reasons: [], findings: [], target: targetName, summary: 'plain PostgreSQL', command };
  }

  private localTargetError(ctx: ModifyContext): PlannerFinding | undefined {
    const { qm, target, command } = ctx;
    const correlated = qm.levels.find((l) => l.role === 'sublink' && l.correlated && this.relsUnder(l).some((r) => isDistributed(r.table)));
    if (correlated) {
      const rel = this.relsUnder(correlated).find((r) => isDistributed(r.table))!;
      // a correlated [NOT] EXISTS is a (semi or anti) join by then, which the router planner refuses for the local
      // target; a subquery PostgreSQL keeps as a subplan (scalar, a correlated IN) is the join checker's (checked on
      // Citus 13.2.2)
      if (sublinkKind(correlated) !== 'subplan') {
        return this.finding('dml-join-not-colocated', { level: 'ERROR', message: DML_MSG.notDistributed(target.name) }, this.pos.nameRange(rel.location), 'correlated EXISTS on a distributed table', undefined, `${displayName(target)} is a local table: the correlated EXISTS on ${displayName(rel.table)} is a join of it with a distributed table, which Citus refuses (${DML_MSG.notDistributed(target.name)}); join a CTE or an uncorrelated subquery instead`);
      }
      return this.finding('dml-join-not-colocated', { level: 'ERROR', message: DML_MSG.complexJoins }, this.pos.nameRange(rel.location), 'correlated subquery on a distributed table', undefined, `${displayName(target)} is a local table: the correlated subquery on ${displayName(rel.table)} would run once per row of it and Citus cannot plan it on its own; join a CTE or an uncorrelated subquery instead`);
    }
    for (const child of qm.root.children) {
      if (child.role !== 'from') continue;
      const rels = this.relsUnder(child);
      const citus = rels.find((r) => isCitusTable(r.table) && r.table.kind !== 'citus_local');
      if (!citus || rels.some((r) => !isCitusTable(r.table) || r.table.kind === 'citus_local') || this.requiresMerge(child) || child.children.some((c) => c.role === 'sublink')) continue;
      // its own distributed tables not joined on their distribution columns: planned first (see subplanFailure)
      if (!this.keysJoinedWithin(rels.filter((r) => isDistributed(r.table)), ctx.uf)) continue;
      return this.finding('modification-via-coordinator', { level: 'ERROR', message: DML_MSG.notDistributed(target.name) }, this.pos.nameRange(citus.location), 'subquery on a Citus table', undefined, `${displayName(target)} is a local table: Citus would push the ${command === 'UPDATE' ? 'FROM' : 'USING'} subquery on ${displayName(citus.table)} down with the modification, which it cannot do for a local table; join the table directly or use a CTE`);
    }
    return undefined;
  }

  private viaCoordinatorFinding(rel: RelOcc): PlannerFinding {
    const local = !isCitusTable(rel.table);
    const citus: Msg = local ? { level: 'DEBUG', message: DML_MSG.notDistributed(rel.table.name) } : { level: 'DEBUG', message: DML_MSG.complexJoins };
    const what = local ? `${displayName(rel.table)} is a local table` : `the subquery on ${displayName(rel.table)} is not joined on the distribution column`;
    return this.finding('modification-via-coordinator', citus, this.pos.nameRange(rel.location), 'subquery via coordinator', undefined, `${what}: Citus runs it first and ships its rows through the coordinator to every task`);
  }

  /** UPDATE/DELETE of a hash-distributed table. */
  private distributedModify(ctx: ModifyContext, targetName: string): DmlResult {
    const { qm, uf, targetRel, target, command, node } = ctx;
    const total = target.shardCount ?? this.model.defaultShardCount;
    const alias = node.relation.alias?.aliasname ?? target.name;
    const dist = target.distributionColumn!;
    // `dist = <constant>` for a distribution column of a domain with constraints: Citus 13.2.2 ends the server process
    // when it prunes by it (the constant is not cast to the domain)
    const crash = this.domainConstantCrash(target, alias, node.whereClause);
    if (crash) return this.error(command, crash, targetName);
    const keyed = qm.rels.filter((r) => hasDistributionKey(r.table));
    const allKeysEqual = keyed.every((r) => this.joined(uf, r, targetRel));

    // WHERE false is a pseudoconstant qual: PostgreSQL 15/16 then calls no join hook, so Citus sees no join
    // of the target with a FROM subquery (planned on its own: via the coordinator), a correlated subquery
    // in SET keeps every shard, and otherwise every shard prunes away (a router plan without tasks)
    if (conjuncts(node.whereClause).some(isConstantFalse)) {
      const fromSub = qm.root.children.find((c) => c.role === 'from' && !c.correlated && !isSimpleSubquery(c) && this.relsUnder(c).some((r) => isDistributed(r.table)));
      // local tables are planned first all the same
      const local = qm.rels.find((r) => r !== targetRel && (!isCitusTable(r.table) || r.table.kind === 'citus_local'));
      if (fromSub || local) {
        const f = this.viaCoordinatorFinding(local ?? this.relsUnder(fromSub!).find((r) => isDistributed(r.table))!);
        return { outcome: 'coordinator', shardCount: 0, totalShards: total, reasons: [f.citus], findings: [f], target: targetName, summary: 'subquery via coordinator', command };
      }
      const setSub = qm.root.children.some((c) => c.role === 'sublink' && c.correlated && !this.inClause(c, node.whereClause) && this.relsUnder(c).some((r) => isDistributed(r.table)));
      if (setSub) return this.multiShardModify(target, targetName, command, total, false, total, undefined);
      const res = this.singleShardModify(target, targetName, command, undefined);
      return { ...res, shardCount: 0, summary: 'no shard: the filter is false' };
    }

    // RouterJob refuses a CTE that calls a VOLATILE function; the recursive planner then runs the CTE first and its
    // rows come through the coordinator, wherever the modification goes
    const volatileCall = qm.levels.filter((l) => l.role === 'cte').map((l) => firstVolatileCall(l.select, this.model)).find(Boolean);
    if (volatileCall) {
      const f = this.volatileCteFinding(volatileCall);
      return this.plannedFirst(ctx, f, targetName, 'CTE via coordinator');
    }

    const wrappedFirst = this.volatileFunctionsFirst(ctx, targetName);
    if (wrappedFirst) return wrappedFirst;

    const routed = this.oneShardGroup(ctx);
    const volatileOutside = routed ? firstVolatileCall({ ...node, withClause: undefined }, this.model) : undefined;
    if (routed && volatileOutside) {
      // SingleShardUpdateDeleteSupported refuses a VOLATILE function anywhere in a modification the router planner
      // routes; the recursive planner then plans no subquery when every distribution key is pinned to one value
      // (allDistributionKeysInQueryAreEqual), so the refusal stands (checked on Citus 13.2.2: an IN or a FROM subquery
      // of the same tenant, or of a reference table). With keys pinned to values that differ (one shard by hashing),
      // the subqueries are planned first: the paths below.
      // (a subquery Citus cannot push down on its own, LIMIT say, or one reading a function or VALUES, is planned first
      // all the same: only simple ones)
      const simple = (l: QueryLevel): boolean => isSimpleSubquery(l) && (l.select.fromClause ?? []).every((f: PgNode) => !!f.RangeVar || !!f.JoinExpr);
      if (routed.sameValue && qm.levels.every((l) => l === qm.root || (l.role !== 'cte' && simple(l)))) {
        return this.error(command, this.finding('volatile-function-in-modification', { message: DML_MSG.updateVolatile }, this.pos.nodeRange(volatileOutside), 'volatile function in a one-shard modification', undefined, `The whole ${command} goes to one shard (every distribution key is ${routed.value ?? 'one value'}), and Citus refuses a VOLATILE function anywhere in it (${DML_MSG.updateVolatile}); compute the value first, in a MATERIALIZED CTE`), targetName);
      }
    } else if (routed) return this.singleShardModify(target, targetName, command, routed.value);

    // relations in FROM / USING: never planned separately (local tables are wrapped into subqueries)
    let recursive: RelOcc | undefined;
    for (const r of qm.root.rels) {
      if (r === targetRel) continue;
      if (!isCitusTable(r.table) || r.table.kind === 'citus_local') {
        recursive ??= r;
        continue;
      }
      if (!isDistributed(r.table)) continue;
      const joined = this.joined(uf, r, targetRel);
      if (joined && r.table.colocationId !== target.colocationId) {
        // pinned to one value, every relation joined to the target prunes to one shard: the router planner refuses it
        // (PlanRouterQuery), before the pushdown planner could (checked on Citus 13.2.2)
        return this.error(command, this.routerMayTake(qm) && this.targetPinned(ctx) ? this.routerNotColocated(r, command) : this.notColocated(target, r.table, r, command));
      }
      if (!joined) {
        // on the nullable side of an outer join from a recurring relation: Citus plans it first (modifications always
        // walk their outer joins once the pushdown fails; checked on Citus 13.2.2)
        const oj = this.keptOuterJoinSides(qm).recurringOuter.get(r);
        if (oj) {
          const message = oj.type === 'full' ? `recursively planning ${oj.side} side of the full join since the other side is a recurring rel` : `recursively planning ${oj.side} side of the ${oj.type} join since the outer side is a recurring rel`;
          const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message }, this.pos.nameRange(r.location), 'outer join planned through the coordinator', undefined, `${displayName(r.table)} is on the nullable side of an outer join from a reference table (or another relation every shard reads) and is not joined to ${displayName(target)} on the distribution columns: Citus reads it first, through the coordinator, and runs the ${command} with its rows`);
          return this.plannedFirst(ctx, f, targetName, 'outer join via coordinator');
        }
        return this.error(command, this.finding('dml-join-not-colocated', { message: DML_MSG.complexJoins }, this.pos.nameRange(r.location), 'join not on the distribution column', undefined, `${displayName(r.table)} is not joined on the distribution columns (${displayName(target)}.${dist} = ${displayName(r.table)}.${r.table.distributionColumn ?? '?'}): ${DML_MSG.complexJoins}`), targetName);
      }
    }
    // a CTE read inside a subquery or sublink cannot go down with the modification ("CTEs in subqueries are
    // currently unsupported"), nor can a FROM-less subquery calling a non-IMMUTABLE function: both are planned
    // first, through the coordinator
    const inner = qm.levels.filter((l) => l !== qm.root && (l.role === 'sublink' || l.role === 'from'));
    const cteItem = inner.flatMap((l) => l.items).find((it) => it.kind === 'cte');
    const fromless = inner.find((l) => l.role === 'sublink' && l.items.length === 0 && !l.setOp && firstMutableCall({ List: { items: l.select.targetList ?? [] } }, this.model));
    // VALUES calling a non-IMMUTABLE function in a subquery: its table combination cannot go down (checked on Citus
    // 13.2.2: a distributed subplan for the VALUES, then the modification)
    // (in the statement's own FROM too, unless PostgreSQL flattens it: one row without a volatile function; checked on
    // Citus 13.2.2: `UPDATE .. FROM (VALUES (1, now()), (2, now()))` plans the VALUES first, one row with now() does not)
    const valuesItems = [...inner.flatMap((l) => l.items), ...qm.root.items.filter((it) => it.kind === 'values' && (it.rows > 1 || !!it.volatile))];
    // (more rows than citus.values_materialization_threshold: the VALUES is planned first too)
    const bigValues = valuesItems.find((it) => it.kind === 'values' && it.rows > 1 && valuesMaterialized(this.model, it.rows));
    const mutableValues = bigValues ?? valuesItems.find((it) => it.kind === 'values' && !it.immutable);
    // a CTE of the statement's FROM / USING that PostgreSQL does not inline (MATERIALIZED, read twice, ..) and that reads a
    // distributed table: Citus plans it first (checked on Citus 13.2.2: `WITH c AS MATERIALIZED (SELECT tenant_id,
    // count(*) FROM events GROUP BY 1) UPDATE users u .. FROM c WHERE c.tenant_id = u.tenant_id`; one over reference
    // tables only goes with the modification)
    const plannedCte = qm.root.items.find((it) => it.kind === 'cte' && !!it.cte.level && !!it.cte.query?.SelectStmt && !this.cteInlined(it.cte) && this.relsUnder(it.cte.level).some((r) => isDistributed(r.table)));
    if (plannedCte?.kind === 'cte' && !cteItem && !fromless && !mutableValues) {
      const failed = this.subplanFailure([plannedCte.cte.level!]);
      if (failed) return this.error(command, failed, targetName);
      const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message: DML_MSG.complexJoins }, this.pos.nameRange(plannedCte.cte.location), 'CTE planned through the coordinator', undefined, `The CTE ${plannedCte.cte.name} is not inlined (MATERIALIZED, or read more than once) and reads a distributed table: Citus plans it first and ships its rows through the coordinator`);
      return this.plannedFirst(ctx, f, targetName, 'CTE via coordinator');
    }
    // a UNION in a subquery with a branch over a reference table (or a function, VALUES, no FROM): its set operation
    // cannot go down (DeferErrorIfUnsupportedUnionQuery), Citus plans the branches first (checked on Citus 13.2.2:
    // `WHERE tenant_id IN (SELECT tenant_id FROM (SELECT .. FROM users UNION ALL SELECT .. FROM ref_tenants) s)`)
    // (one in the statement's own FROM / USING, or a sublink's own UNION, is pushableUnionSublink's and the FROM
    // items' checks below: here, one a subquery reads)
    const recurringLeaf = (leaf: QueryLevel): boolean => {
      const first = leaf.items[0];
      return !first || (first.kind === 'rel' && first.rel.table.kind === 'reference') || first.kind === 'function' || first.kind === 'values';
    };
    const recurringUnion = inner.find((l) => l.role === 'from' && l.parent !== qm.root && l.setOp?.op === 'UNION' && l.setOp.leaves.some(recurringLeaf));
    if (recurringUnion && !cteItem && !fromless && !mutableValues) {
      const first = recurringUnion.setOp!.leaves.find(recurringLeaf)!.items[0];
      const detail = !first ? DETAIL.unionFromless : first.kind === 'rel' ? DETAIL.unionReference : first.kind === 'function' ? DETAIL.unionFunction : DETAIL.unionValues;
      const at = first?.kind === 'rel' ? first.rel.location : undefined;
      const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message: DML_MSG.cannotPushdown, detail }, at !== undefined ? this.pos.nameRange(at) : this.pos.statementRange(), 'UNION planned through the coordinator', undefined, `The UNION cannot go down with the modification (${detail}): Citus plans its branches first and ships their rows through the coordinator`);
      return this.plannedFirst(ctx, f, targetName, 'subquery via coordinator');
    }
    if (cteItem || fromless || mutableValues) {
      const detail = cteItem ? 'CTEs in subqueries are currently unsupported' : fromless ? 'Subqueries without a FROM clause can only contain immutable functions' : bigValues ? DETAIL.valuesThreshold : DETAIL.valuesMutable;
      const at = cteItem && 'location' in cteItem ? (cteItem as { location: number }).location : !fromless && mutableValues && 'location' in mutableValues ? mutableValues.location : undefined;
      const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message: DML_MSG.cannotPushdown, detail }, at !== undefined ? this.pos.nameRange(at) : this.pos.statementRange(), 'subquery planned through the coordinator', undefined, `The subquery cannot go down with the modification (${detail}): Citus plans it first and ships its rows through the coordinator`);
      return this.plannedFirst(ctx, f, targetName, 'subquery via coordinator');
    }
    // subqueries (FROM subqueries and sublinks): pushed down with the modification or planned recursively
    const firstPlanned: QueryLevel[] = [];
    let referenceMerge: { rel: RelOcc; detail: string } | undefined;
    for (const child of qm.root.children) {
      const rels = this.relsUnder(child);
      if (rels.length === 0) continue;
      if (this.pushableUnionSublink(child, ctx)) continue;
      // a subquery planned first that returns no columns fails when the statement runs (./recursive.ts)
      const columnless = (): DmlResult | undefined => (child.select.targetList?.length || child.setOp || !child.items.length ? undefined : this.error(command, this.finding('subquery-blocks-pushdown', { level: 'ERROR', message: 'a column definition list is required for functions returning "record"' }, this.pos.nodeRange(child.select), 'subquery without columns planned on its own', undefined, 'Citus plans this subquery first and reads its result back as rows of no columns, which the workers refuse when the statement runs (checked on Citus 13.2.2). Select a constant, `SELECT 1 FROM ..`.'), targetName));
      const local = rels.find((r) => !isCitusTable(r.table) || r.table.kind === 'citus_local');
      // a correlated sublink cannot be planned on its own ("skipping recursive planning for the subquery since it
      // contains references to outer queries"), and a local table in it then meets the distributed target
      // (checked on Citus 13.2.2: an EXISTS / NOT EXISTS, which PostgreSQL makes a join, gives `relation .. is not
      // distributed`; a scalar or correlated IN subquery, `complex joins ..`)
      // a Citus local table the same way, with the executor's words: `local table .. cannot be joined with these
      // distributed tables` (a join), `cannot find a worker that has active placements for all shards in the query`
      if (local && child.role === 'sublink' && child.correlated) {
        const joined = child.sublink?.type === 'EXISTS_SUBLINK' && sublinkKind(child) !== 'subplan';
        const citusLocal = isCitusTable(local.table);
        const message = citusLocal
          ? joined
            ? `local table ${local.table.name} cannot be joined with these distributed tables`
            : 'cannot find a worker that has active placements for all shards in the query'
          : joined
            ? DML_MSG.notDistributed(local.table.name)
            : DML_MSG.complexJoins;
        const f = this.finding('modification-via-coordinator', { level: 'ERROR', message }, this.pos.nameRange(local.location), 'correlated subquery on a local table', undefined, `The correlated subquery reads the ${citusLocal ? 'Citus local' : 'local'} table ${displayName(local.table)}: Citus cannot plan it first (it reads the modified row) nor run it next to ${displayName(target)} on the workers (${message}). Use an uncorrelated subquery (IN (SELECT ..))${citusLocal ? '' : `, or add ${displayName(local.table)} to Citus`}`);
        return this.error(command, f, targetName);
      }
      if (local) {
        const none = columnless();
        if (none) return none;
        recursive ??= local;
        continue;
      }
      const distRels = rels.filter((r) => isDistributed(r.table));
      if (distRels.length === 0) {
        // reference tables only: DeferErrorIfSubqueryRequiresMerge still refuses LIMIT, OFFSET and an aggregate
        // without GROUP BY (its GROUP BY and DISTINCT checks pass when no table is distributed), so the subquery is
        // planned first (checked on Citus 13.2.2: a distributed subplan, then the modification)
        const s = child.select;
        const detail = child.correlated ? undefined : s.limitOffset ? DETAIL.offset : s.limitCount ? DETAIL.limit : !s.groupClause?.length && levelHasAggregates(child) ? DETAIL.aggregates : undefined;
        const ref = detail ? rels.find((r) => r.table.kind === 'reference') : undefined;
        if (ref && detail) {
          const none = columnless();
          if (none) return none;
          referenceMerge ??= { rel: ref, detail };
        }
        continue;
      }
      const mustPushdown = child.correlated || (!this.requiresMerge(child) && allKeysEqual);
      // ShouldRecursivelyPlanSubquery leaves a subquery that needs no merge step and has its own distribution columns
      // joined (one distributed table, say) to RecursivelyPlanNonColocatedSubqueries, which looks at FROM and WHERE
      // only: one in the SET list is not planned on its own, and the modification refuses it (checked on Citus
      // 13.2.2, with the subquery or the target pinned to a tenant or not; in WHERE the same subquery is planned first)
      if (!mustPushdown && command === 'UPDATE' && child.role === 'sublink' && !this.requiresMerge(child) && this.inClause(child, { List: { items: node.targetList ?? [] } }) && this.keysJoinedWithin(distRels, uf)) {
        const r = distRels[0];
        // every relation pruned to one shard (the target and the subquery each pinned): the router planner's refusal
        if (this.routerMayTake(qm) && this.targetPinned(ctx) && distRels.every((d) => this.pinned(qm, uf, d))) return this.error(command, this.routerNotColocated(r, command), targetName);
        return this.error(
          command,
          this.finding('dml-join-not-colocated', { message: DML_MSG.complexJoins }, this.pos.nameRange(r.location), 'subquery in SET not joined on the distribution column', undefined, `The subquery in SET reads ${displayName(r.table)} without joining its distribution column to ${displayName(target)}.${dist}: Citus does not plan a subquery of the SET list on its own, and refuses the UPDATE (${DML_MSG.complexJoins})`),
          targetName,
        );
      }
      if (!mustPushdown) {
        const none = columnless();
        if (none) return none;
        recursive ??= distRels[0];
        firstPlanned.push(child);
        continue;
      }
      for (const r of distRels) {
        if (!hasDistributionKey(r.table) && !(this.routerMayTake(qm) && this.targetPinned(ctx))) {
          // a single-shard table has no distribution column to join: the join check refuses it (checked on Citus 13.2.2)
          return this.error(command, this.finding('dml-join-not-colocated', { message: DML_MSG.complexJoins }, this.pos.nameRange(r.location), 'single-shard table in a subquery'), targetName);
        }
        if (r.table.colocationId !== target.colocationId || !hasDistributionKey(r.table)) {
          // pinned to one value with the target, the subquery's table prunes to one shard: the router planner's refusal
          // (a correlated sublink keeps the router planner away: the pushdown planner's refusal, checked on Citus 13.2.2)
          const router = this.routerMayTake(qm) && this.targetPinned(ctx) && this.pinned(qm, uf, r);
          return this.error(command, router ? this.routerNotColocated(r, command) : this.notColocated(r.table, target, r, command), targetName);
        }
        if (!this.joined(uf, r, targetRel)) {
          return this.error(command, this.finding('dml-join-not-colocated', { message: DML_MSG.complexJoins }, this.pos.nameRange(r.location), 'join not on the distribution column'), targetName);
        }
      }
      // the subquery goes down with the modification, and a VOLATILE function in it with it: Citus' deferred
      // `must not be VOLATILE` stands once the other subqueries are planned (checked on Citus 13.2.2, in a FROM
      // subquery and in an IN joined on the distribution column; planned first, the same subquery runs)
      const volatile = firstVolatileCall(child.select, this.model);
      if (volatile) {
        return this.error(command, this.finding('volatile-function-in-modification', { message: DML_MSG.updateVolatile }, this.pos.nodeRange(volatile), 'volatile function in a subquery that goes down with the modification'), targetName);
      }
    }
    const outer = recursive ? undefined : this.recurringOuterJoinSubquery(qm);
    if (outer) {
      const recurringSide = outer.side === 'right' ? 'left' : 'right';
      const message = outer.type === 'full' ? `recursively planning ${outer.side} side of the full join since the other side is a recurring rel` : `recursively planning ${outer.side} side of the ${outer.type} join since the outer side is a recurring rel`;
      const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message }, this.pos.nameRange(outer.rel.location), 'outer join planned through the coordinator', undefined, `${displayName(outer.rel.table)} is on the ${outer.side} (nullable) side of an outer join whose ${recurringSide} side is a reference table, VALUES or the like: Citus plans it first and ships its rows through the coordinator`);
      return this.plannedFirst(ctx, f, targetName, 'outer join via coordinator');
    }
    const nested = recursive ? undefined : (referenceMerge ?? this.nestedMergeSubquery(qm));
    if (nested) {
      const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message: DML_MSG.cannotPushdown, detail: nested.detail }, this.pos.nameRange(nested.rel.location), 'subquery planned through the coordinator', undefined, `The subquery on ${displayName(nested.rel.table)} needs a merge step (${nested.detail}): Citus plans it first and ships its rows through the coordinator`);
      return this.plannedFirst(ctx, f, targetName, 'subquery via coordinator');
    }
    if (recursive) {
      const ctid = this.ctidSublink(node.whereClause, alias);
      if (ctid) {
        const f = this.finding('ctid-subquery-modification', { message: DML_MSG.ctidModification, detail: DML_MSG.ctidModificationDetail }, this.pos.nodeRange(ctid), 'ctid filter with a subquery');
        return this.error(command, f, targetName);
      }
      const failed = this.subplanFailure(firstPlanned);
      if (failed) return this.error(command, failed, targetName);
      const f = this.viaCoordinatorFinding(recursive);
      return this.plannedFirst(ctx, f, targetName, 'subquery via coordinator');
    }
    // a subquery PostgreSQL keeps as a subplan (correlated IN, NOT IN, scalar) gets the target's values as
    // parameters: its distributed tables cannot be pruned, and the modification runs on every shard
    const unpruned = qm.root.children.some((c) => c.role === 'sublink' && this.isSubplanSublink(c, node.whereClause) && this.relsUnder(c).some((r) => hasDistributionKey(r.table) && !(this.distValues(r.level.select.whereClause, r.table.distributionColumn!, r.alias, r.table)?.length === 1)));
    if (unpruned) return this.multiShardModify(target, targetName, command, total, false, total, undefined);
    const values = this.distValues(node.whereClause, dist, alias, target);
    // `dist = 5 AND dist = 6`: shard pruning keeps no shard (a router plan without tasks)
    if (values && !values.length && target.kind === 'hash') return { ...this.singleShardModify(target, targetName, command, undefined), shardCount: 0, summary: 'no shard: the filter allows no value' };
    // range and append tables prune by their shards' min/max values, which only the cluster knows
    if (values && values.length > 1 && (target.kind === 'append' || target.kind === 'range')) return this.multiShardModify(target, targetName, command, values.length, true, total, values);
    if (values?.length) {
      const touched = shardsTouched(hashTypeOf(findColumn(target, dist), this.model.domains), values, total);
      if (touched.count <= 1) return this.singleShardModify(target, targetName, command, values[0]);
      // the tasks are the shards any of the joined distributed relations keeps (QueryPushdownSqlTaskList: checked on
      // Citus 13.2.2, `DELETE FROM events t USING users s WHERE s.tenant_id = t.tenant_id AND t.tenant_id IN (4, 10)`
      // runs 32 tasks, 2 with `s.tenant_id IN (4, 10)` too; a reference table counts for nothing)
      const others = this.otherDistributedValues(qm, targetRel);
      if (others === undefined) return this.multiShardModify(target, targetName, command, total, false, total, undefined);
      const all = [...new Set([...values, ...others])];
      const union = shardsTouched(hashTypeOf(findColumn(target, dist), this.model.domains), all, total);
      return this.multiShardModify(target, targetName, command, union.count, !union.exact, total, all);
    }
    if (!this.constrainedDomainColumn(target, dist) && this.pinnedInRootBlock(qm, ctx.pinUf, targetRel)) return this.singleShardModify(target, targetName, command, undefined);
    return this.multiShardModify(target, targetName, command, total, false, total, undefined);
  }

  /** A column reference qualified by a subquery of the statement's own FROM (a Var of the statement's level). */
  private inRootFrom(qm: QueryModel, ref: PgNode | undefined): boolean {
    const parts = nameList(stripCast(ref)?.ColumnRef?.fields);
    return parts.length === 2 && qm.root.items.some((it) => it.kind === 'subquery' && it.alias === parts[0] && !it.lateral && !it.level.correlated);
  }

  /**
   * CreateModifyPlan tries the router planner (RouterJob) before the multi-shard planner: when every distributed
   * relation of the statement, in its subqueries and CTEs too, prunes to one shard and those shards are one shard
   * group, the whole modification goes to that shard, whatever shape its subqueries have. A relation prunes to one
   * shard by a constant on its distribution column in its own query level, or, in the statement's own level and the
   * simple views and FROM subqueries PostgreSQL pulls up into it, by a join on that column to a relation with such a
   * constant or a constant on a view's column (PostgreSQL's equivalence classes: a subquery it keeps as a subplan, a
   * correlated one, one with LIMIT, gets parameters, not the constant), or by having one shard;
   * single-shard and reference tables are one shard. Local and citus-local tables, materialized views, views and
   * data-modifying CTEs keep the other paths. Returns the target's value when it has one.
   */
  private oneShardGroup(ctx: ModifyContext): { value: string | undefined; sameValue: boolean } | undefined {
    const { qm, targetRel } = ctx;
    if (qm.dmlTables.length) return undefined;
    // RouterJob refuses SELECT FOR UPDATE in a CTE or subquery next to a reference table: not this path (a VOLATILE
    // function is the caller's: sameValue tells whether Citus' recursive planner would leave the subqueries alone)
    if (qm.levels.some((l) => l !== qm.root && l.select.lockingClause?.length) && qm.rels.some((r) => r.table.kind === 'reference')) return undefined;
    // the statement's level and the simple FROM subqueries and views PostgreSQL pulls up into it: one set of
    // equivalence classes
    const pulled = new Set<QueryLevel>([qm.root]);
    for (const c of qm.root.children) if (c.role === 'from' && !c.correlated && isSimpleSubquery(c)) pulled.add(c);
    const rootUf = new UnionFind();
    for (const e of qm.equalities) {
      if (pulled.has(e.level) && e.a.kind === 'column' && e.b.kind === 'column') rootUf.union(colKey(e.a.rel, e.a.column), colKey(e.b.rel, e.b.column));
    }
    // the constant on each relation's distribution column in its own level; in the pulled-up levels, shared along
    // the join equalities, a constant on a view's or subquery's column included
    const direct = new Map<RelOcc, string>();
    const valueOf = new Map<string, string>();
    const pin = (key: string, value: string): boolean => {
      const seen = valueOf.get(key);
      if (seen !== undefined && seen !== value) return false;
      valueOf.set(key, value);
      return true;
    };
    // (the classes PostgreSQL builds from the WHERE and inner joins only: a constant on one of their columns is pushed into
    // the subqueries that give another, set-operation arms included)
    const innerUf = new UnionFind();
    for (const e of qm.equalities) {
      if (!e.outer && pulled.has(e.level) && e.a.kind === 'column' && e.b.kind === 'column') innerUf.union(colKey(e.a.rel, e.a.column), colKey(e.b.rel, e.b.column));
    }
    for (const r of qm.rels) {
      if (!hasDistributionKey(r.table) || r.table.kind !== 'hash') continue;
      const dist = r.table.distributionColumn!;
      const values = this.distValues(r === targetRel ? ctx.node.whereClause : r.level.select.whereClause, dist, r.alias, r.table);
      const pushed = values?.length === 1 || r === targetRel ? undefined : this.pushedValues(qm, r, dist, innerUf);
      const value = values?.length === 1 ? values[0] : pushed?.length === 1 ? pushed[0] : undefined;
      if (value === undefined) continue;
      direct.set(r, value);
      if (values?.length !== 1) continue;
      if (pulled.has(r.level) && !pin(rootUf.find(colKey(r, dist)), values[0])) return undefined;
    }
    for (const c of conjuncts(ctx.node.whereClause)) {
      const e = c.A_Expr;
      if (e?.kind !== 'AEXPR_OP' || nameList(e.name).join('') !== '=') continue;
      const [side, value] = stripCast(e.lexpr)?.ColumnRef ? [e.lexpr, pinValue(e.rexpr)] : [e.rexpr, pinValue(e.lexpr)];
      if (!stripCast(side)?.ColumnRef || value === undefined) continue;
      // (a cast to another type is an expression: originOf says so, one to the column's own type is the column)
      const origin = qm.originOf(side);
      // (a distribution column of a domain with constraints is not pruned by a constant cast to the domain: distValues)
      if (origin.kind === 'column' && origin.column === origin.rel.table.distributionColumn && this.constrainedDomainColumn(origin.rel.table, origin.column)) continue;
      // (a column of a subquery PostgreSQL does not pull up, a set operation's, is a Var of this level all the same: its
      // class, joined to the target, is pinned; `e.tenant_id = s.tenant_id AND s.tenant_id = 5` for a UNION s)
      if (origin.kind === 'column' && (pulled.has(origin.rel.level) || this.inRootFrom(qm, side)) && !pin(rootUf.find(colKey(origin.rel, origin.column)), value)) return undefined;
    }
    let group: string | undefined;
    let targetValue: string | undefined;
    const values = new Set<string | undefined>();
    // citus.enable_non_colocated_router_query_pushdown: one shard per table is enough, of any colocation group (their
    // shards must then share a node, which the placements decide: not followed, as for a SELECT); within a group, one
    // shard still
    const anyGroup = this.model.settings.get('citus.enable_non_colocated_router_query_pushdown') === 'on';
    const shardOfGroup = new Map<string, number>();
    for (const r of qm.rels) {
      const t = r.table;
      if (t.kind === 'reference') continue;
      let shard: number;
      if (t.kind === 'single_shard') shard = 0;
      else if (t.kind === 'hash' && hasDistributionKey(t)) {
        const total = t.shardCount ?? this.model.defaultShardCount;
        const value = direct.get(r) ?? (pulled.has(r.level) ? valueOf.get(rootUf.find(colKey(r, t.distributionColumn!))) : undefined);
        if (r === targetRel) targetValue = value;
        values.add(value);
        if (total === 1) shard = 0;
        else {
          if (value === undefined) return undefined;
          const hash = distributionHash(hashTypeOf(findColumn(t, t.distributionColumn!), this.model.domains), value);
          if (hash === undefined) return undefined;
          shard = shardIndex(hash, total);
        }
      } else return undefined;
      const groupKey = String(t.colocationId ?? t.name);
      if (shardOfGroup.has(groupKey) && shardOfGroup.get(groupKey) !== shard) return undefined;
      shardOfGroup.set(groupKey, shard);
      const here = `${groupKey}:${shard}`;
      if (group !== undefined && group !== here && !anyGroup) return undefined;
      group = here;
    }
    // (single-shard tables have no key: the keys are equal only among hash tables pinned to one written value)
    const sameValue = values.size === 1 && !values.has(undefined) && !qm.rels.some((r) => r.table.kind === 'single_shard');
    return group === undefined ? undefined : { value: targetValue, sameValue };
  }

  /**
   * `dist IN (SELECT dist FROM a UNION [ALL] SELECT dist FROM b)` goes down with the modification
   * (SafeToPushdownUnionSubquery): every branch reads one table colocated with the target and selects its
   * distribution column, and the IN compares the target's distribution column with it. INTERSECT and EXCEPT, a
   * branch that selects another column or reads a reference table, or an IN on another column, are planned first.
   */
  private pushableUnionSublink(child: QueryLevel, ctx: ModifyContext): boolean {
    const { target, targetRel, qm } = ctx;
    if (child.role !== 'sublink' || child.setOp?.op !== 'UNION' || !hasDistributionKey(target)) return false;
    const sublink = conjuncts(ctx.node.whereClause).map((c) => c.SubLink).find((sl) => sl?.subselect?.SelectStmt === child.select);
    if (sublink?.subLinkType !== 'ANY_SUBLINK' || !sublink.testexpr?.ColumnRef) return false;
    const outer = this.columnOrigin(sublink.testexpr.ColumnRef, qm.root);
    if (outer?.kind !== 'column' || outer.rel !== targetRel || outer.column !== target.distributionColumn) return false;
    return child.setOp.leaves.every((leaf) => {
      const rel = leaf.rels.length === 1 && leaf.children.length === 0 ? leaf.rels[0] : undefined;
      if (!rel || rel.table.kind !== 'hash' || !hasDistributionKey(rel.table) || rel.table.colocationId !== target.colocationId || this.requiresMerge(leaf)) return false;
      const first = leaf.targets[0]?.expr;
      const origin = first?.ColumnRef ? this.columnOrigin(first.ColumnRef, leaf) : undefined;
      return origin?.kind === 'column' && origin.rel === rel && origin.column === rel.table.distributionColumn;
    });
  }

  /** RouterJob's refusal of a CTE that calls a VOLATILE function: the CTE is run first, through the coordinator. */
  private volatileCteFinding(call: PgNode): PlannerFinding {
    return this.finding('modification-via-coordinator', { level: 'DEBUG', message: DML_MSG.volatileCte }, this.pos.nodeRange(call), 'CTE with a VOLATILE function via coordinator', undefined, 'The CTE calls a VOLATILE function: Citus runs it first, on its own, and ships its rows through the coordinator');
  }

  /**
   * WrapFunctionsInSubqueries: a VOLATILE function in FROM / USING (not LATERAL, not WITH ORDINALITY) makes the
   * modification planner refuse the statement; the recursive planner wraps it into a subquery and plans it first
   * (checked on Citus 13.2.2: `UPDATE .. FROM f(3) v WHERE v = e.tenant_id`, on one shard or every shard, of a
   * distributed or a reference table; a STABLE now() or an IMMUTABLE generate_series() there goes down with the
   * modification). Only when no other VOLATILE call is in the statement (those are refused as before).
   */
  private volatileFunctionsFirst(ctx: ModifyContext, targetName: string): DmlResult | undefined {
    const node = ctx.node;
    const wrapped = this.volatileFromFunctions(node);
    if (!wrapped.length || firstVolatileCall({ ...node, withClause: undefined, fromClause: undefined, usingClause: undefined }, this.model) || this.volatileOutsideWrapped(node, wrapped)) return undefined;
    const call = wrapped[0].functions?.[0]?.List?.items?.[0];
    const name = functionName(call?.FuncCall ?? {}) || 'function';
    const f = this.finding('modification-via-coordinator', { level: 'DEBUG', message: `generating subplan for subquery SELECT .. FROM ${name}(..)` }, this.pos.nodeRange(call), 'function in FROM planned through the coordinator', undefined, `${name}() is VOLATILE: Citus cannot run it with the ${ctx.command} on the shards, so it wraps it into a subquery, runs it first and ships its rows through the coordinator`);
    return this.plannedFirst(ctx, f, targetName, 'function via coordinator');
  }

  /** The functions of a modification's FROM / USING list (not in its subqueries) that call a VOLATILE function and that Citus wraps. */
  private volatileFromFunctions(node: PgNode): PgNode[] {
    const out: PgNode[] = [];
    walk([...(node.fromClause ?? []), ...(node.usingClause ?? [])], (type, f) => {
      if (type === 'RangeSubselect') return false;
      if (type !== 'RangeFunction') return undefined;
      if (!isLateralFunction(f) && !f.ordinality && firstVolatileCall(f.functions, this.model)) out.push(f);
      return false;
    });
    return out;
  }

  /** A VOLATILE call in the FROM / USING list outside the functions Citus wraps (`wrapped`). */
  private volatileOutsideWrapped(node: PgNode, wrapped: PgNode[]): boolean {
    let found = false;
    walk([...(node.fromClause ?? []), ...(node.usingClause ?? [])], (type, f) => {
      if (found || (type === 'RangeFunction' && wrapped.includes(f))) return false;
      if (type === 'FuncCall' && volatilityIn(this.model, functionName(f)) === 'volatile') found = true;
      return undefined;
    });
    return found;
  }

  /** A modification that runs after part of it was planned first, through the coordinator (one shard when pinned). */
  private plannedFirst(ctx: ModifyContext, f: PlannerFinding, targetName: string, summary: string): DmlResult {
    const total = ctx.target.shardCount ?? this.model.defaultShardCount;
    return { outcome: 'coordinator', shardCount: this.targetPinned(ctx) ? 1 : total, totalShards: total, reasons: [f.citus], findings: [f], target: targetName, summary, command: ctx.command };
  }

  /**
   * A subquery or CTE Citus plans first is planned on its own, as a SELECT (RecursivelyPlanSubquery:
   * CreateDistributedSubPlan), and its planning error is the statement's: a FROM subquery whose own join needs
   * repartitioning, say (checked on Citus 13.2.2: `UPDATE t SET .. FROM (SELECT DISTINCT a.k FROM t a JOIN u b ON
   * a.v = b.v) s` fails with "the query contains a join that requires repartitioning", and one with a LATERAL
   * subquery joined off the distribution column with "complex joins .."). Sublinks come first, as Citus' walk of
   * the statement meets them (the SET list, WHERE, then FROM).
   */
  private subplanFailure(levels: QueryLevel[]): PlannerFinding | undefined {
    const ordered = [...levels.filter((l) => l.role === 'sublink'), ...levels.filter((l) => l.role !== 'sublink')];
    for (const level of ordered) {
      const plan = planSelectOnItsOwn(this.stmt, level.select, this.model, this.session);
      if (plan.kind === 'error' && plan.error) return { ...plan.error, citus: { ...plan.error.citus, level: 'ERROR' } };
    }
    return undefined;
  }

  /** Distributed relations (with a distribution column) all colocated and joined on it: AllDistributionKeysInSubqueryAreEqual. */
  private keysJoinedWithin(rels: RelOcc[], uf: UnionFind): boolean {
    if (!rels.every((r) => hasDistributionKey(r.table))) return false;
    return rels.every((r) => r.table.colocationId === rels[0].table.colocationId && this.joined(uf, r, rels[0]));
  }

  private inClause(sub: QueryLevel, clause: PgNode | undefined): boolean {
    let found = false;
    walk(clause, (type, f) => {
      if (type === 'SubLink' && f.subselect?.SelectStmt === sub.select) found = true;
    });
    return found;
  }

  /** A sublink PostgreSQL plans as a subplan: not an EXISTS, and correlated or not a plain AND-ed term (so not a semi-join). */
  private isSubplanSublink(sub: QueryLevel, where: PgNode | undefined): boolean {
    if (sub.sublink?.type === 'EXISTS_SUBLINK') return false;
    if (sub.correlated) return true;
    return !conjuncts(where).some((c) => c.SubLink?.subselect?.SelectStmt === sub.select);
  }

  /**
   * An UPDATE or DELETE without its SELECT CTEs that nothing refers to (neither the statement nor another CTE of its
   * WITH): PostgreSQL never runs them, and Citus' router planner never sees their tables (its restrictions come from
   * PostgreSQL's planning), so a modification pinned to one shard is routed as if they were not there, whatever they
   * read. Citus keeps them in the query it sends to the shards, though: a multi-shard modification checks that their
   * distributed tables are colocated with the target (unreferencedCteRefusal), and one whose CTE reads a table only the
   * coordinator has (`onCoordinator`: a local or citus-local table) fails on a worker that lacks it, or runs on a
   * single-node cluster (predictDml then plans it as written). A CTE reading a view or a table the model does not
   * know, and the CTEs of a WITH RECURSIVE, are left in place. Checked on Citus 13.2.2 (test/fixtures/probes/sql/
   * dml-with-ctes-2.sql, and every tenant of a table whose shards are on the workers).
   */
  unreferencedCtes(node: PgNode): UnreferencedCtes | undefined {
    const w = node.withClause?.WithClause ?? node.withClause;
    const ctes: PgNode[] = (w?.ctes ?? []).map((c: PgNode) => c.CommonTableExpr).filter(Boolean);
    if (!ctes.length || w.recursive) return undefined;
    // the names the statement reads and the CTEs that stay read, to a fixpoint: a CTE only a removed one reads goes too
    // (PostgreSQL inlines it there first). Any unqualified name counts as a reference: an inner WITH of the same name
    // hides nothing here, which only keeps a CTE that could have gone
    const namesIn = (n: unknown): Set<string> => {
      const named = new Set<string>();
      walk(n, (type, f) => {
        if (type === 'RangeVar' && !f.schemaname) named.add(f.relname);
        return undefined;
      });
      return named;
    };
    const body = namesIn({ ...node, withClause: undefined });
    const reads = new Map(ctes.map((c) => [c, namesIn(c.ctequery)]));
    let removed: PgNode[] = [];
    for (let changed = true; changed; ) {
      changed = false;
      const kept = ctes.filter((c) => !removed.includes(c));
      for (const c of kept) {
        if (!c.ctequery?.SelectStmt || body.has(c.ctename) || kept.some((o) => o !== c && reads.get(o)!.has(c.ctename))) continue;
        removed = [...removed, c];
        changed = true;
      }
    }
    if (!removed.length) return undefined;
    const tables: { table: TableModel; rv: PgNode }[] = [];
    let unsure = false;
    let onCoordinator = false;
    for (const c of removed) {
      walk(c.ctequery, (type, f) => {
        if (type !== 'RangeVar') return undefined;
        // (a name of another CTE of the WITH is no table)
        if (!f.schemaname && ctes.some((o) => o.ctename === f.relname)) return undefined;
        const table = this.resolve(f);
        if (!table || table.kind === 'view' || table.kind === 'matview') unsure = true;
        else if (!isCitusTable(table) || table.kind === 'citus_local') onCoordinator = true;
        else tables.push({ table, rv: f });
        return undefined;
      });
    }
    if (unsure) return undefined;
    const kept = (w.ctes as PgNode[]).filter((c) => !removed.includes(c.CommonTableExpr));
    return { node: { ...node, withClause: kept.length ? { WithClause: { ...w, ctes: kept } } : undefined }, tables, onCoordinator };
  }

  /** A multi-shard modification whose unreferenced CTEs read a distributed table not colocated with the target. */
  unreferencedCteRefusal(unreferenced: UnreferencedCtes, result: DmlResult): DmlResult | undefined {
    const target = this.resolve(unreferenced.node.relation);
    if (!target) return undefined;
    const other = unreferenced.tables.find((t) => isDistributed(t.table) && t.table.colocationId !== target.colocationId);
    if (!other) return undefined;
    return this.error(result.command, this.notColocated(other.table, target, { table: other.table, location: other.rv.location ?? 0 }, result.command), result.target);
  }

  private notColocated(a: TableModel, b: TableModel, at: Pick<RelOcc, 'table' | 'location'>, command: string): PlannerFinding {
    return this.finding(
      'dml-join-not-colocated',
      { message: DML_MSG.cannotPushdown, detail: DML_MSG.notColocated(a.name, b.name) },
      this.pos.nameRange(at.location),
      'not colocated',
      undefined,
      `${displayName(at.table)} is not colocated with the ${command} target: ${DML_MSG.cannotPushdown} (${DML_MSG.notColocated(a.name, b.name)})`,
    );
  }

  /**
   * Whether Citus' router planner may take the modification: not with a correlated sublink PostgreSQL keeps as a
   * subplan (a correlated IN, a scalar subquery), which sends it to the pushdown planner; a correlated EXISTS is a
   * semi-join by then, an uncorrelated sublink an initplan (each checked on Citus 13.2.2).
   */
  private routerMayTake(qm: QueryModel): boolean {
    return !qm.levels.some((l) => l.role === 'sublink' && l.correlated && sublinkKind(l) === 'subplan');
  }

  private routerNotColocated(at: RelOcc, command: string): PlannerFinding {
    return this.finding(
      'dml-join-not-colocated',
      { message: DML_MSG.routerNotColocated },
      this.pos.nameRange(at.location),
      'not colocated',
      undefined,
      `${displayName(at.table)} is not colocated with the ${command} target: ${DML_MSG.routerNotColocated}`,
    );
  }

  private ctidSublink(where: PgNode | undefined, alias: string): PgNode | undefined {
    let found: PgNode | undefined;
    walk(where, (type, f, wrapper) => {
      if (found) return false;
      if (type === 'SubLink' && f.testexpr?.ColumnRef) {
        const parts = nameList(f.testexpr.ColumnRef.fields);
        if (parts[parts.length - 1] === 'ctid' && (parts.length === 1 || parts[0] === alias)) found = wrapper;
      }
      if (type === 'SubLink') return false;
      return undefined;
    });
    return found;
  }

  /**
   * A value as Citus would print it; undefined for a psql :'variable', which the parsed text holds as a literal of
   * underscores (its value is psql's, not the file's).
   */
  private shown(value: string | undefined): string | undefined {
    return value !== undefined && /^_+$/.test(value) && this.stmt.psqlVariables.some((v) => v.form === 'literal') ? undefined : value;
  }

  private singleShardModify(target: TableModel, targetName: string, command: string, given: string | undefined): DmlResult {
    const dist = target.distributionColumn;
    const value = this.shown(given);
    const reasons: CitusMessage[] = [{ level: 'DEBUG', message: DML_MSG.routerPlan }];
    if (value !== undefined) reasons.push({ level: 'DEBUG', message: DML_MSG.singleValue(value) });
    return {
      outcome: 'single_shard',
      shardCount: 1,
      totalShards: target.shardCount ?? this.model.defaultShardCount,
      reasons,
      findings: [],
      target: targetName,
      summary: value !== undefined && dist ? `single shard: ${dist} = ${value}` : 'single shard',
      command,
    };
  }

  private multiShardModify(target: TableModel, targetName: string, command: string, count: number, upTo: boolean, total: number, values: string[] | undefined): DmlResult {
    const dist = target.distributionColumn;
    const how = count >= total ? `every shard of ${displayName(target)} (${total} shards)` : `${upTo ? 'up to ' : ''}${count} of the ${total} shards of ${displayName(target)}`;
    const why = values ? `the ${values.length} values of ${dist} hash to ${upTo ? 'up to ' : ''}${count} shards` : `no equality filter on ${dist}`;
    const range = this.commandKeywordRange(command);
    const f: PlannerFinding = {
      rule: 'multi-shard-modification',
      citus: { level: 'DEBUG', message: DML_MSG.routerPlan },
      range,
      summary: `multi-shard: ${upTo ? 'up to ' : ''}${count} shards`,
      message: `Multi-shard ${command}: runs on ${how} (${why})`,
      explanation: DML_EXPLANATIONS['multi-shard-modification'].explanation,
    };
    return {
      outcome: 'multi_shard',
      shardCount: count,
      shardCountUpperBound: upTo,
      totalShards: total,
      reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }],
      findings: [f],
      target: targetName,
      summary: `multi-shard: ${upTo ? 'up to ' : ''}${count} shards`,
      command,
    };
  }

  /** The leading command keyword (UPDATE / DELETE / MERGE), skipping a WITH clause. */
  private commandKeywordRange(command: string): Range {
    const m = new RegExp(`\\b${command}\\b`, 'i').exec(this.text);
    const at = m ? m.index : 0;
    return { start: this.stmt.start + at, end: this.stmt.start + at + (m ? m[0].length : Math.min(6, this.text.length)) };
  }

  // ---- MERGE -------------------------------------------------------------------------------------
  merge(node: PgNode): DmlResult | undefined {
    const command = 'MERGE';
    const rv = node.relation;
    const targetName = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    const target = this.resolve(rv);
    const unknown: PlannerFinding[] = [];
    if (!target) unknown.push(this.unknownTable(targetName, rv.location ?? 0));
    const qm = buildQueryModel({ fromClause: [{ RangeVar: rv }, node.sourceRelation], whereClause: node.joinCondition, targetList: [], withClause: node.withClause }, undefined, {
      model: this.model,
      session: this.session,
      variables: statementVariables(this.stmt),
    });
    this.current = qm;
    for (const u of qm.unknownTables) if (!(u.name === targetName && !target)) unknown.push(this.unknownTable(u.name, u.location));
    if (!target || unknown.length) return { reasons: [], findings: unknown, target: targetName, summary: 'unknown table', command };
    const targetRel = qm.root.rels[0];
    const sourceItem = qm.root.items[1];
    const sourceRels = qm.rels.filter((r) => r !== targetRel);
    const targetRange = this.pos.nameRange(rv.location ?? 0);

    if (target.kind === 'reference') {
      return this.error(command, this.finding('merge-into-reference-table', { message: DML_MSG.mergeReferenceTarget }, targetRange, 'reference table target'), targetName);
    }
    if (!isCitusTable(target)) {
      // ON folded to TRUE: PostgreSQL's MERGE join adds one range table entry of its own
      const folded = this.foldedWhere(qm, node.joinCondition, [node.mergeWhenClauses, node.withClause], 1);
      if (folded === 'unsure') return undefined;
      if (folded) return { outcome: 'local', reasons: [], findings: [], target: targetName, summary: 'plain PostgreSQL: ON folds to TRUE', command };
      // the Citus tables of the whole statement: the source, ON and the WHEN clauses' subqueries
      const actions = this.typedWith([{ RangeVar: rv }, node.sourceRelation], this.mergeActionExprs(node), node.withClause);
      const citusRels = [...sourceRels, ...(actions && actions !== qm ? actions.rels : [])].filter((r) => isCitusTable(r.table));
      if (citusRels.length) {
        // ErrorIfMergeNotSupported first (its functions: checked on Citus 13.2.2 with only a reference table in a WHEN
        // clause's subquery)
        const clausesOfLocal: PgNode[] = (node.mergeWhenClauses ?? []).map((w: PgNode) => w.MergeWhenClause).filter(Boolean);
        const mutableError = this.mergeMutableError(node, rv, qm, target, clausesOfLocal);
        if (mutableError) return this.error(command, mutableError, targetName);
        // with reference and citus-local tables only, everything has a placement on the coordinator: one router task
        // there (DeferErrorIfRoutableMergeNotSupported has no distributed table to check; checked on Citus 13.2.2:
        // a reference table as the source, in a subquery of ON, a citus-local table)
        if (citusRels.every((r) => r.table.kind === 'citus_local' || r.table.kind === 'reference') && target.kind === 'local') {
          const kinds = new Set(citusRels.map((r) => (r.table.kind === 'reference' ? 'reference' : 'citus-local')));
          return { outcome: 'single_shard', shardCount: 1, totalShards: 1, reasons: [{ level: 'DEBUG', message: DML_MSG.mergeRouter }], findings: [], target: targetName, summary: `single shard: with ${[...kinds].join(' and ')} tables`, command };
        }
        // a distributed table: the router planner fails and the repartitioned MERGE needs a distributed target
        // (ErrorIfRepartitionMergeNotSupported; checked on Citus 13.2.2)
        return this.error(command, this.finding('merge-source-not-colocated', { message: DML_MSG.mergeRepartitionLocalTarget }, targetRange, 'local target'), targetName);
      }
      return { outcome: 'local', reasons: [], findings: [], target: targetName, summary: 'plain PostgreSQL', command };
    }
    const alias = rv.alias?.aliasname ?? target.name;
    const dist = hasDistributionKey(target) ? target.distributionColumn! : undefined;
    const clauses: PgNode[] = (node.mergeWhenClauses ?? []).map((w: PgNode) => w.MergeWhenClause).filter(Boolean);
    const replicated = replicatedPartitionError(this.model, target);
    if (replicated) return this.error(command, this.finding('merge-source-not-colocated', replicated, targetRange, 'partition of a replicated table'), targetName);

    const mutableError = this.mergeMutableError(node, rv, qm, target, clauses);
    if (mutableError) return this.error(command, mutableError, targetName);
    // UPDATE SET of the distribution column (TargetEntryChangesValue against the ON clause)
    for (const c of clauses) {
      if (c.commandType !== 'CMD_UPDATE' || !dist) continue;
      for (const t of c.targetList ?? []) {
        const rt = t.ResTarget;
        if (rt?.name !== dist || !this.mergeSetChanges(rt.val, node.joinCondition, alias, dist)) continue;
        return this.error(command, this.finding('merge-updates-dist-column', { message: DML_MSG.mergeUpdateDist }, this.pos.nodeRange(rt.val, rt.location), 'updates the distribution column'), targetName);
      }
    }
    const sourceRange = sourceItem ? this.itemRange(sourceItem) : targetRange;
    const uf = new UnionFind();
    for (const e of qm.equalities) if (e.a.kind === 'column' && e.b.kind === 'column') uf.union(colKey(e.a.rel, e.a.column), colKey(e.b.rel, e.b.column));
    // a UNION [ALL] source whose branches line up on the distribution columns is joined through each of them
    // (checked on Citus 13.2.2: pushed down, a task per shard)
    this.unionLeafEquivalences(qm, uf);
    const total = target.shardCount ?? this.model.defaultShardCount;

    // DeferErrorIfRoutableMergeNotSupported: a router (pushed-down) MERGE, or else repartition
    const distributed = qm.rels.filter((r) => isDistributed(r.table));
    const references = qm.rels.filter((r) => r.table.kind === 'reference');
    const citusLocal = qm.rels.filter((r) => r.table.kind === 'citus_local');
    let notRoutable: CitusMessage | undefined;
    if (distributed.length && references.length) notRoutable = { level: 'DEBUG', message: DML_MSG.mergeMixReference };
    else if (distributed.length && citusLocal.length) notRoutable = { level: 'DEBUG', message: 'A mix of distributed and local table, try repartitioning' };
    else if (distributed.length === 1) notRoutable = { level: 'DEBUG', message: 'There is only one distributed table, merge is not pushable, try repartitioning' };
    else if (distributed.length > 1 && new Set(distributed.map((r) => r.table.colocationId)).size > 1) notRoutable = { level: 'DEBUG', message: DML_MSG.mergeNotColocated };
    const sourceSelect = sourceItem?.kind === 'subquery' ? sourceItem.level.select : sourceItem?.kind === 'cte' ? sourceItem.cte.query?.SelectStmt : undefined;
    // the source planned as a query of its own, when it is needed (planned once)
    let planned: ReturnType<typeof planSelectOnItsOwn> | undefined;
    const sourcePlan = (): ReturnType<typeof planSelectOnItsOwn> | undefined => (sourceSelect ? (planned ??= planSelectOnItsOwn(this.stmt, sourceSelect, this.model, this.session)) : undefined);
    // One task when every distributed table prunes to one shard: the target by a constant in ON, the source's tables
    // by their own filters. When unmatched source rows are inserted, the source is the preserved side of an outer
    // join: a constant in ON filters only the target, and a constant inside a grouped source does not reach it.
    // Without such an INSERT the join is an inner one: a constant in ON on any column of the distribution columns'
    // equivalence class (`ON t.k = s.k AND s.k = 5`, `s` a table or a subquery) restricts the target and every source
    // joined there (checked on Citus 13.2.2: one task).
    const insertsUnmatched = clauses.some((c) => c.commandType === 'CMD_INSERT');
    const targetValues = dist ? this.distValues(node.joinCondition, dist, alias, target) : undefined;
    const classValues = dist && !insertsUnmatched ? this.classConstants(node.joinCondition, qm, uf, targetRel, dist) : undefined;
    const onValues = targetValues ?? (classValues && classValues.length <= 1 ? classValues : undefined);
    const onPinned = onValues?.length === 1;
    // two different constants for the target's distribution column make its restriction false
    // (DeferErrorIfTargetHasFalseClause): no router plan, the MERGE is repartitioned
    if (!notRoutable && (targetValues?.length === 0 || (classValues && classValues.length > 1))) notRoutable = { level: 'DEBUG', message: DML_MSG.mergeTargetFalse };
    // a source table PostgreSQL pulls up into the MERGE's join (a table, or one in a plain subquery) joined on
    // the distribution columns gets the ON constant through the equivalence class
    const pulledUp = (r: RelOcc): boolean => {
      for (let l: QueryLevel | undefined = r.level; l && l !== qm.root; l = l.parent) if (!(l.role === 'from' && isSimpleSubquery(l))) return false;
      return true;
    };
    const keyedSources = sourceRels.filter((r) => hasDistributionKey(r.table));
    // each keyed source table's own filter on its distribution column (one value: pinned); a source table named in
    // USING itself has the ON clause for its filter, which does not filter it when unmatched source rows are
    // inserted (the source is the preserved side of the join: `ON t.k = s.k AND s.k = 5 .. WHEN NOT MATCHED THEN
    // INSERT` runs a task on every shard, checked on Citus 13.2.2); with an inner join, PostgreSQL also pushes ON's
    // restrictions into a source subquery it does not pull up (`pushedValues`)
    const ownValues = new Map(
      keyedSources.map((r) => [
        r,
        r.level === qm.root && insertsUnmatched
          ? undefined
          : (this.distValues(r.level.select.whereClause, r.table.distributionColumn!, r.alias, r.table) ?? (insertsUnmatched ? undefined : this.pushedValues(qm, r, r.table.distributionColumn!, uf))),
      ]),
    );
    // (one value, or none: restrictions that contradict each other prune every shard, which a router plan allows;
    // checked on Citus 13.2.2: `WHERE tenant_id = 23` inside, `t.tenant_id = 6` in ON, one task on 6's shard)
    const ownPinned = (r: RelOcc): boolean => (ownValues.get(r)?.length ?? 2) <= 1;
    const sourcePinned = keyedSources.every((r) => ownPinned(r) || (onPinned && !insertsUnmatched && pulledUp(r) && this.joined(uf, r, targetRel)));
    // a source pinned by its own filter, pulled up and joined on the distribution columns, pins the target
    // through the ON equality (a qual on the join's nullable side is still applied to its scan)
    const targetPinnedBySource = keyedSources.length > 0 && keyedSources.every((r) => pulledUp(r) && this.joined(uf, r, targetRel) && ownPinned(r));
    // MergeSourceHasRouterSelect: the source planned by the router planner with the MERGE's restrictions, so every
    // distributed relation, the target included, pinned to one shard group (checked on Citus 13.2.2: a source pinned
    // by its own filter but joined to an unpinned target on another column is repartitioned); then the join is not
    // checked. Two different constants are taken as two shards.
    const pinnedValues = [...(onPinned ? onValues! : []), ...keyedSources.flatMap((r) => ownValues.get(r)?.slice(0, 1) ?? [])];
    const routerSource = !!dist && (onPinned || targetPinnedBySource) && sourcePinned && new Set(pinnedValues).size <= 1;
    if (!notRoutable && distributed.length > 1 && !routerSource) {
      const keyed = distributed.filter((r) => hasDistributionKey(r.table));
      const allJoined = keyed.every((r) => this.joined(uf, r, targetRel));
      const mergeLevel = qm.levels.find((l) => l !== qm.root && this.requiresMerge(l));
      // a CTE PostgreSQL does not inline (MATERIALIZED, read twice) is a CTE scan the restriction checks do not join
      // (checked on Citus 13.2.2: `Sub-query is not pushable`, repartitioned)
      const cteScan = qm.levels.some((l) => l.ctes.size > 0 && [...l.ctes.values()].some((c) => c.refCount > 0 && !!c.level && c.query?.SelectStmt && !this.cteInlined(c) && this.relsUnder(c.level).some((r) => isDistributed(r.table))));
      // a CTE read inside the source's subqueries: neither PostgreSQL nor Citus inlines a MERGE's CTEs there (only a CTE
      // that is the source itself), and the subquery cannot be pushed down (`CTEs in subqueries are currently
      // unsupported`; checked on Citus 13.2.2: `WITH params AS (SELECT 4 AS t) MERGE .. USING (SELECT .. FROM events e,
      // params p WHERE e.tenant_id = p.t ..) s ..` is repartitioned)
      const cteInSubquery = qm.levels.some((l) => l !== qm.root && l.role !== 'cte' && l.items.some((it) => it.kind === 'cte'));
      if (!allJoined || mergeLevel || cteScan || cteInSubquery) notRoutable = { level: 'DEBUG', message: DML_MSG.mergeNotPushable };
      // then HasDangerousJoinUsing (./joinUsing.ts): a source join USING whose merged column is not a plain column is
      // repartitioned (checked on Citus 13.2.2: `USING events e FULL JOIN daily_rollup d USING (tenant_id)`)
      else if (dangerousJoinUsing([node.sourceRelation], this.model, this.session.searchPath)) notRoutable = { level: 'DEBUG', message: DML_MSG.mergeAmbiguousJoins };
    }
    const join = dist && sourceItem ? this.mergeJoinColumn(node.joinCondition, alias, dist, sourceItem.alias) : undefined;
    if (!notRoutable && dist && distributed.length > 1) {
      // FetchAndValidateInsertVarIfExists: the INSERT must give the distribution column a value (an error, not a
      // deferred one: checked on Citus 13.2.2), and to push down, the source's distribution column
      const insertClause = clauses.find((c) => c.commandType === 'CMD_INSERT');
      if (insertClause && !insertClause.values && !insertClause.targetList?.length) {
        const f = this.finding('merge-insert-without-join-column', { message: DML_MSG.mergeInsertDefaults }, this.insertClauseRange(insertClause), 'INSERT DEFAULT VALUES', undefined, `WHEN NOT MATCHED THEN INSERT DEFAULT VALUES gives ${displayName(target)}.${dist} no value from the source: ${DML_MSG.mergeInsertDefaults}`);
        return this.error(command, f, targetName);
      }
      const insertValue = this.mergeInsertValue(clauses, target, dist);
      if (insertValue === null && insertClause) {
        const f = this.finding('merge-insert-without-join-column', { message: DML_MSG.mergeInsertNoDist }, this.insertClauseRange(insertClause), 'INSERT without the distribution column', undefined, `The MERGE INSERT does not give ${displayName(target)}.${dist}, its distribution column, a value: ${DML_MSG.mergeInsertNoDist}`);
        return this.error(command, f, targetName);
      }
      if (insertValue && !this.isSourceDistColumn(insertValue, qm)) notRoutable = { level: 'DEBUG', message: 'MERGE INSERT must use the source table distribution column value for push down to workers. Otherwise, repartitioning will be applied' };
    }
    if (!notRoutable) {
      if (!dist || ((onPinned || targetPinnedBySource) && sourcePinned)) {
        return { outcome: 'single_shard', shardCount: 1, totalShards: dist ? total : 1, reasons: [{ level: 'DEBUG', message: DML_MSG.mergeRouter }], findings: [], target: targetName, summary: dist ? 'single shard' : `single shard: ${kindWord(target)}`, command };
      }
      const res = this.multiShardModify(target, targetName, command, total, false, total, undefined);
      res.reasons = [{ level: 'DEBUG', message: DML_MSG.mergeRouter }];
      return res;
    }

    // CreateNonPushableMergePlan / ErrorIfRepartitionMergeNotSupported
    if (!isDistributed(target)) {
      return this.error(command, this.finding('merge-source-not-colocated', { message: 'MERGE involving repartition of rows is supported only if the target is distributed' }, targetRange, 'citus-local target'), targetName);
    }
    if (sourceRels.some((r) => !isCitusTable(r.table))) {
      const local = sourceRels.find((r) => !isCitusTable(r.table))!;
      return this.error(command, this.finding('merge-source-not-colocated', { message: 'MERGE INTO an distributed table from Postgres table is not yet supported' }, this.pos.nameRange(local.location), 'local source'), targetName);
    }
    if (!sourceItem || sourceRels.every((r) => !isCitusTable(r.table))) {
      const f = this.finding('merge-source-not-colocated', { message: DML_MSG.mergeSourceNotCitus }, sourceRange, 'source is not a Citus table');
      return this.error(command, f, targetName);
    }
    if (dist) {
      // SourceResultPartitionColumnIndex: ON equates the target's distribution column with a source column
      if (!join) {
        const f = this.finding('merge-source-not-colocated', { message: DML_MSG.mergeMissingJoin, detail: DML_MSG.mergeMissingJoinDetail }, node.joinCondition ? this.pos.nodeRange(node.joinCondition) : sourceRange, 'no join on the distribution column', undefined, `The ON clause does not equi-join ${displayName(target)}.${dist} with a source column: ${DML_MSG.mergeMissingJoin}`);
        return this.error(command, f, targetName);
      }
      // SinglePartitionJoinClause: a plain column on each side of the ON equality, and the source column of the distribution
      // column's type, or the rows would be hashed with another function (checked on Citus 13.2.2: `bigint = integer` is
      // refused, and so is a cast that changes a side's type). Said only where the types are known.
      const typeOfRef = (ref: PgNode): string | undefined => {
        const o = qm.originOf(ref);
        return o.kind === 'column' ? findColumn(o.rel.table, o.column)?.type : undefined;
      };
      const changed = join.casts.find(({ cast, ref }) => {
        const from = typeOfRef(ref);
        const to = nameList(cast.TypeCast.typeName?.names).pop();
        return from !== undefined && to !== undefined && !cast.TypeCast.typeName?.arrayBounds && canonicalTypeName(to) !== canonicalTypeName(from);
      });
      if (changed) {
        const f = this.finding('merge-source-not-colocated', { message: DML_MSG.mergeMissingJoin, detail: DML_MSG.mergeMissingJoinDetail }, this.pos.nodeRange(changed.cast), 'cast in the join on the distribution column', undefined, `The cast makes this side of the ON equality an expression, not a column, so Citus finds no join on ${displayName(target)}.${dist}: ${DML_MSG.mergeMissingJoin}`);
        return this.error(command, f, targetName);
      }
      const sourceType = join.casts.some((c) => !c.target) ? undefined : typeOfRef(join.ref);
      const targetType = findColumn(target, dist)?.type;
      if (sourceType && targetType && canonicalTypeName(sourceType) !== canonicalTypeName(targetType)) {
        const f = this.finding('merge-source-not-colocated', { message: DML_MSG.mergeTypeMismatch, detail: DML_MSG.mergeTypeMismatchDetail }, this.pos.nodeRange(join.ref), 'distribution column joined to another type', undefined, `${displayName(target)}.${dist} is ${targetType} and the source column it is joined to is ${sourceType}: ${DML_MSG.mergeTypeMismatch}`);
        return this.error(command, f, targetName);
      }
      for (const c of clauses) {
        if (c.commandType !== 'CMD_INSERT') continue;
        const cols: string[] = c.targetList?.length ? c.targetList.map((t: PgNode) => t.ResTarget?.name) : target.columns.map((x) => x.name);
        const values: PgNode[] = c.values ?? [];
        const pos = cols.indexOf(dist);
        const v = pos >= 0 ? values[pos] : undefined;
        const parts = v?.ColumnRef ? nameList(v.ColumnRef.fields) : [];
        const ok = parts.length > 0 && parts[parts.length - 1] === join.column && (parts.length === 1 || parts[parts.length - 2] === sourceItem.alias);
        if (v && !v.ColumnRef && !v.SetToDefault) {
          // ValidateAndReturnVarIfSupported: a value that is not a column at all (checked on Citus 13.2.2: `s.k + 1`)
          const f = this.finding('merge-insert-without-join-column', { message: DML_MSG.mergeInsertExpression, detail: DML_MSG.mergeInsertExpressionDetail }, this.pos.nodeRange(v), 'INSERT of an expression into the distribution column', undefined, `The MERGE INSERT puts an expression into ${displayName(target)}.${dist}, not the source's join column ${sourceItem.alias}.${join.column}: ${DML_MSG.mergeInsertExpression}`);
          return this.error(command, f, targetName);
        }
        if (!ok) {
          const range = v ? this.pos.nodeRange(v) : c.targetList?.length ? this.columnListRange(c.targetList) : this.pos.statementRange();
          const f = this.finding('merge-insert-without-join-column', { message: DML_MSG.mergeInsertColumn }, range, 'INSERT not from the join column', undefined, `The MERGE INSERT puts ${v ? 'another value' : 'no value'} into ${displayName(target)}.${dist}, not the source's join column ${sourceItem.alias}.${join.column}: ${DML_MSG.mergeInsertColumn}`);
          return this.error(command, f, targetName);
        }
      }
    }
    // the source is planned as a query of its own: its planning errors are final
    const plan = sourcePlan();
    if (plan) {
      if (plan.kind === 'error' && plan.error) return { outcome: 'error', reasons: [plan.error.citus], findings: [], target: targetName, summary: plan.error.summary, command };
    }
    const reference = sourceRels.find((r) => r.table.kind === 'reference');
    const notColocated = sourceRels.find((r) => isDistributed(r.table) && (r.table.colocationId !== target.colocationId || !this.joined(uf, r, targetRel)));
    const mergeLevel = qm.levels.find((l) => l !== qm.root && this.requiresMerge(l));
    const culprit = reference ?? notColocated;
    const pull = !!reference || !!mergeLevel?.select.limitCount || !!mergeLevel?.select.limitOffset || !hasDistributionKey(target);
    const limit = mergeLevel?.select.limitCount ?? mergeLevel?.select.limitOffset;
    const limitKw = limit ? keywordBefore(this.text, this.pos.local(this.pos.doc(firstLoc(limit))), mergeLevel?.select.limitCount ? 'LIMIT' : 'OFFSET') : undefined;
    const range = culprit ? this.pos.nameRange(culprit.location) : limitKw !== undefined ? { start: this.stmt.start + limitKw, end: this.stmt.start + limitKw + 5 + (mergeLevel?.select.limitCount ? 0 : 1) } : sourceRange;
    const how = pull ? 'collects the source rows on the coordinator (pull to coordinator)' : 'repartitions the source rows across the workers by the join column';
    const what = reference ? `${displayName(reference.table)} is a reference table` : notColocated ? `${displayName(notColocated.table)} is not colocated with ${displayName(target)} or not joined on its distribution column` : 'the source needs a merge step (LIMIT, GROUP BY or aggregate without the distribution column)';
    const f = this.finding('merge-via-coordinator', { ...notRoutable }, range, pull ? 'MERGE: pull to coordinator' : 'MERGE: repartition', undefined, `MERGE via the coordinator: ${what}, so Citus ${how}`);
    const nullable = dist ? this.mergeNullDistWarning(clauses, target, dist, qm) : undefined;
    return {
      outcome: 'coordinator',
      reasons: [notRoutable, { level: 'DEBUG', message: DML_MSG.mergeRepartition }, ...(pull ? [{ level: 'DEBUG' as const, message: DML_MSG.mergeCollect }] : [])],
      findings: nullable ? [f, nullable] : [f],
      target: targetName,
      summary: pull ? 'MERGE: pull to coordinator' : 'MERGE: repartition',
      command,
    };
  }

  /** TargetEntryChangesValue for a MERGE UPDATE of the distribution column: `dist = dist`, or a column ON equates with it. */
  private mergeSetChanges(val: PgNode | undefined, on: PgNode | undefined, alias: string, dist: string): boolean {
    let v = val;
    while (v?.TypeCast) v = v.TypeCast.arg;
    // SET dist = c where ON pins dist to that same constant (TargetEntryChangesValue)
    const c = constValue(v);
    if (c !== undefined) {
      const pinned = this.distValues(on, dist, alias);
      return !(pinned?.length === 1 && pinned[0] === c);
    }
    if (!v?.ColumnRef) return true;
    const parts = nameList(v.ColumnRef.fields);
    if (parts[parts.length - 1] === dist && (parts.length === 1 || parts[parts.length - 2] === alias)) return false;
    // SET dist = s.k where ON has t.dist = s.k
    let same = false;
    walk(on, (type, f) => {
      if (type !== 'A_Expr' || f.kind !== 'AEXPR_OP' || nameList(f.name).join('') !== '=') return;
      const sides = [f.lexpr, f.rexpr].map((x: PgNode) => (x?.ColumnRef ? nameList(x.ColumnRef.fields) : undefined));
      if (!sides[0] || !sides[1]) return;
      const isTarget = (q: string[]): boolean => q[q.length - 1] === dist && (q.length === 1 || q[q.length - 2] === alias);
      const isValue = (q: string[]): boolean => q.join('.') === parts.join('.');
      if ((isTarget(sides[0]) && isValue(sides[1])) || (isTarget(sides[1]) && isValue(sides[0]))) same = true;
    });
    return !same;
  }

  /**
   * A MERGE through the coordinator whose INSERT takes the distribution value from a source column that
   * allows NULL: each such source row fails when it is routed ("the partition column of table ... cannot
   * be NULL"). A warning: it depends on the rows.
   */
  private mergeNullDistWarning(clauses: PgNode[], target: TableModel, dist: string, qm: QueryModel): PlannerFinding | undefined {
    const value = this.mergeInsertValue(clauses, target, dist);
    let v = value ?? undefined;
    while (v?.TypeCast) v = v.TypeCast.arg;
    if (!v?.ColumnRef) return undefined;
    const o = this.columnOrigin(v.ColumnRef, qm.root);
    if (o?.kind !== 'column') return undefined;
    const c = findColumn(o.rel.table, o.column);
    if (!c || c.notNull || (hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column) || (o.rel.table.primaryKey ?? []).includes(o.column)) return undefined;
    return this.finding('dist-column-null-at-runtime', { level: 'WARNING', message: `${dist} may be NULL at run time` }, this.pos.nodeRange(v), 'NULL distribution value from the data', undefined, `The MERGE INSERT takes ${displayName(target)}.${dist} from ${displayName(o.rel.table)}.${o.column}, which allows NULL: a source row with a NULL there fails when Citus routes it ("the partition column of table ${target.schema}.${target.name} cannot be NULL"). Filter the source (WHERE ${o.column} IS NOT NULL)`);
  }

  /** Where a MERGE's INSERT action is: its column list, else its `INSERT` keyword. */
  private insertClauseRange(clause: PgNode): Range {
    if (clause.targetList?.length) return this.columnListRange(clause.targetList);
    const at = /\bINSERT\b/i.exec(this.text);
    return at ? { start: this.stmt.start + at.index, end: this.stmt.start + at.index + 6 } : this.pos.statementRange();
  }

  /** The expression the MERGE INSERT puts into the distribution column (undefined when there is no INSERT). */
  private mergeInsertValue(clauses: PgNode[], target: TableModel, dist: string): PgNode | null | undefined {
    for (const c of clauses) {
      if (c.commandType !== 'CMD_INSERT') continue;
      const cols: string[] = c.targetList?.length ? c.targetList.map((t: PgNode) => t.ResTarget?.name) : target.columns.map((x) => x.name);
      const pos = cols.indexOf(dist);
      return pos >= 0 ? (c.values ?? [])[pos] : null;
    }
    return undefined;
  }

  /** IsDistributionColumnInMergeSource: the INSERT value is a source column that is a distribution column. */
  private isSourceDistColumn(value: PgNode | null, qm: QueryModel): boolean {
    if (!value?.ColumnRef) return false;
    const sourceItem = qm.root.items[1];
    const parts = nameList(value.ColumnRef.fields);
    const col = parts[parts.length - 1];
    if (!sourceItem) return false;
    if (sourceItem.kind === 'rel') return hasDistributionKey(sourceItem.rel.table) && sourceItem.rel.table.distributionColumn === col;
    if (sourceItem.kind === 'subquery') {
      const idx = sourceItem.colnames.length ? sourceItem.colnames.indexOf(col) : sourceItem.level.targets.findIndex((t) => t.name === col);
      const t = idx >= 0 ? (sourceItem.level.setOp?.leaves[0] ?? sourceItem.level).targets[idx] : undefined;
      let e = t?.expr;
      while (e?.TypeCast) e = e.TypeCast.arg;
      if (!e?.ColumnRef) return false;
      const o = this.columnOrigin(e.ColumnRef, sourceItem.level.setOp?.leaves[0] ?? sourceItem.level);
      return o?.kind === 'column' && hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column;
    }
    if (sourceItem.kind === 'cte' && sourceItem.cte.level) {
      const t = sourceItem.cte.level.targets.find((x) => x.name === col);
      let e = t?.expr;
      while (e?.TypeCast) e = e.TypeCast.arg;
      const o = e?.ColumnRef ? this.columnOrigin(e.ColumnRef, sourceItem.cte.level) : undefined;
      return o?.kind === 'column' && hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column;
    }
    return false;
  }

  private itemRange(item: FromItem): Range {
    switch (item.kind) {
      case 'rel':
        return this.pos.nameRange(item.rel.location);
      case 'subquery':
        return this.pos.nodeRange(item.level.select);
      case 'values':
      case 'function':
      case 'cte':
      case 'unknown':
        return this.pos.nodeRange(undefined, item.location);
    }
  }

  /**
   * The source column that ON equates with the target's distribution column: its reference, and the casts written on
   * either side of that equality (each with the column it converts).
   */
  private mergeJoinColumn(on: PgNode | undefined, alias: string, dist: string, sourceAlias: string): { column: string; ref: PgNode; casts: { cast: PgNode; ref: PgNode; target: boolean }[] } | undefined {
    let found: { column: string; ref: PgNode; casts: { cast: PgNode; ref: PgNode; target: boolean }[] } | undefined;
    const side = (n: PgNode | undefined): { target: boolean; column: string; ref: PgNode; cast?: PgNode } | undefined => {
      let x = n;
      // the outermost cast: SinglePartitionJoinClause wants a plain Var on each side
      const cast = x?.TypeCast ? x : undefined;
      while (x?.TypeCast) x = x.TypeCast.arg;
      if (!x?.ColumnRef) return undefined;
      const parts = nameList(x.ColumnRef.fields);
      const column = parts[parts.length - 1];
      const q = parts.length > 1 ? parts[parts.length - 2] : undefined;
      if (q === alias) return { target: true, column, ref: x, cast };
      if (q === sourceAlias) return { target: false, column, ref: x, cast };
      return undefined;
    };
    const visit = (e: PgNode | undefined): void => {
      if (!e || found) return;
      if (e.BoolExpr?.boolop === 'AND_EXPR') {
        for (const a of e.BoolExpr.args ?? []) visit(a);
        return;
      }
      const a = e.A_Expr;
      if (!a || a.kind !== 'AEXPR_OP' || nameList(a.name).join('') !== '=') return;
      const l = side(a.lexpr);
      const r = side(a.rexpr);
      if (l && r && l.target !== r.target) {
        const t = l.target ? l : r;
        const s = l.target ? r : l;
        if (t.column === dist) found = { column: s.column, ref: s.ref, casts: [t, s].flatMap((x) => (x.cast ? [{ cast: x.cast, ref: x.ref, target: x.target }] : [])) };
      }
    };
    visit(on);
    return found;
  }

  // ---- SELECT ------------------------------------------------------------------------------------
  select(select: PgNode): DmlResult | undefined {
    const command = 'SELECT';
    const qm = (select === this.stmt.ast?.SelectStmt ? this.query : undefined) ?? buildQueryModel(select, undefined, queryContext(this.stmt, this.model, this.session));
    if (qm.unknownTables.length) return { reasons: [], findings: qm.unknownTables.map((u) => this.unknownTable(u.name, u.location)), summary: 'unknown table', command };
    // a SELECT that reads only VALUES or functions in FROM is plain PostgreSQL; one with no FROM clause too when it calls
    // only PostgreSQL's own functions (`SELECT 1`, `SELECT setval('orders_id_seq', 100)`: checked on Citus 13.2.2) -- a
    // Citus function or one of the workspace's may plan distributed work, and nothing is said
    if (qm.rels.length === 0 && !qm.dmlTables.some((t) => isCitusTable(t))) {
      return qm.levels.some((l) => l.items.length) || this.callsOnlyPostgres(select, qm) ? { outcome: 'local', reasons: [], findings: [], summary: 'plain PostgreSQL', command } : undefined;
    }
    const citus = qm.rels.filter((r) => isCitusTable(r.table));
    const locking = !!select.lockingClause?.length || qm.levels.some((l) => l.select.lockingClause?.length);
    // FOR UPDATE / SHARE fetches row ids too: a columnar table refuses it when the executor starts, wherever it runs
    if (locking) {
      for (const r of qm.rels) {
        if (!r.level.select.lockingClause?.length) continue;
        const columnar = this.columnarTarget(r.table, r.level.select.whereClause, r.alias, 0);
        if (!columnar) continue;
        const what = columnar === r.table ? `${displayName(r.table)} is a columnar table` : `the partition ${displayName(columnar)} of ${displayName(r.table)} is a columnar table`;
        return this.error(command, this.finding('modify-columnar-table', { level: 'ERROR', message: DML_MSG.columnarScan }, this.pos.nameRange(r.location), 'columnar table locked', undefined, `${what}: columnar tables take no FOR UPDATE / FOR SHARE (${DML_MSG.columnarScan})`));
      }
    }
    // (a data-modifying CTE on a Citus table makes it Citus' statement even when the SELECT reads only the CTE)
    if (citus.length === 0 && !qm.dmlTables.some((t) => isCitusTable(t))) return { outcome: 'local', reasons: [], findings: [], summary: 'plain PostgreSQL', command };
    if (!select.op || select.op === 'SETOP_NONE') {
      const folded = this.foldedWhere(qm, select.whereClause, [select.targetList, select.havingClause, select.withClause]);
      if (folded === 'unsure') return undefined;
      if (folded) return { outcome: 'local', reasons: [], findings: [], summary: 'plain PostgreSQL: the WHERE folds to TRUE', command };
    }
    const uf = new UnionFind();
    for (const e of qm.equalities) if (e.a.kind === 'column' && e.b.kind === 'column') uf.union(colKey(e.a.rel, e.a.column), colKey(e.b.rel, e.b.column));
    const locals = qm.rels.filter((r) => !isCitusTable(r.table));
    const dist = qm.rels.filter((r) => isDistributed(r.table));
    // Citus plans the SELECT as predict.ts models it (router, recursive planning, logical planner)
    const plan = planSelectOnItsOwn(this.stmt, select, this.model, this.session, qm);
    if (plan.kind === 'router' && !plan.viaCoordinator) {
      const first = dist.find((r) => hasDistributionKey(r.table));
      const value = first ? this.distValues(first.level.select.whereClause, first.table.distributionColumn!, first.alias, first.table) : undefined;
      const reasons: CitusMessage[] = [{ level: 'DEBUG', message: DML_MSG.routerPlan }];
      const one = value?.length === 1 ? this.shown(value[0]) : undefined;
      if (one !== undefined) reasons.push({ level: 'DEBUG', message: DML_MSG.singleValue(one) });
      return { outcome: 'single_shard', shardCount: 1, totalShards: first?.table.shardCount, reasons, findings: [], summary: one !== undefined ? `single shard: ${first!.table.distributionColumn} = ${one}` : 'single shard', command };
    }
    if (locking) {
      // a table with replicated shards: the router planner refuses FOR UPDATE on it however it is filtered
      const replicated = dist.find((r) => r.table.kind !== 'single_shard' && r.table.colocationId !== undefined && (this.model.groups.get(r.table.colocationId)?.replicationFactor ?? 1) > 1);
      if (replicated) {
        const lockAt = select.lockingClause?.[0];
        const kw = lockAt ? keywordBefore(this.text, this.text.length, 'FOR') : undefined;
        const range = kw !== undefined ? { start: this.stmt.start + kw, end: this.stmt.end } : this.pos.nameRange(replicated.location);
        const f = this.finding('for-update-multi-shard', { message: DML_MSG.forUpdate, hint: DML_MSG.equalityHint }, range, 'FOR UPDATE of a replicated table', undefined, `FOR UPDATE/SHARE of ${displayName(replicated.table)}, whose shards are replicated (citus.shard_replication_factor > 1), is not supported (the router planner: SELECT FOR UPDATE with table replication factor > 1 not supported for non-reference tables): ${DML_MSG.forUpdate}`);
        return this.error(command, f);
      }
      const culprit = dist.find((r) => !this.pinned(qm, uf, r)) ?? dist[0] ?? locals[0];
      const lockAt = select.lockingClause?.[0];
      const kw = lockAt ? keywordBefore(this.text, this.text.length, 'FOR') : undefined;
      const range = kw !== undefined ? { start: this.stmt.start + kw, end: this.stmt.end } : culprit ? this.pos.nameRange(culprit.location) : this.pos.statementRange();
      const f = this.finding('for-update-multi-shard', { message: DML_MSG.forUpdate, hint: DML_MSG.equalityHint }, range, 'FOR UPDATE on several shards', undefined, culprit && isDistributed(culprit.table) && hasDistributionKey(culprit.table) ? `FOR UPDATE/SHARE needs a single shard, but ${displayName(culprit.table)} is not filtered by ${culprit.table.distributionColumn} = <constant>: ${DML_MSG.forUpdate}` : undefined);
      return this.error(command, f);
    }
    if (plan.kind === 'error' && plan.error) {
      return { outcome: 'error', reasons: [plan.error.citus], findings: [plan.error], summary: plan.error.summary, command };
    }
    // a VALUES that calls a non-IMMUTABLE function and that PostgreSQL does not flatten (several rows, or a volatile
    // call) cannot go down with the query's tables: Citus plans it first (checked on Citus 13.2.2: a distributed
    // subplan for the VALUES, then the query on every shard)
    const mutableValues = qm.levels.flatMap((l) => l.items).find((it) => it.kind === 'values' && !it.immutable && (it.rows > 1 || !!it.volatile));
    // so does one of more rows than citus.values_materialization_threshold (checked on Citus 13.2.2 with the threshold 2)
    const bigValues = qm.levels.flatMap((l) => l.items).find((it) => it.kind === 'values' && it.rows > 1 && valuesMaterialized(this.model, it.rows)) ?? qm.levels.find((l) => l !== qm.root && (l.select.valuesLists?.length ?? 0) > 1 && valuesMaterialized(this.model, l.select.valuesLists.length));
    if ((mutableValues || bigValues) && dist.length && !plan.viaCoordinator) {
      return { outcome: 'coordinator', reasons: [{ level: 'DEBUG', message: DML_MSG.cannotPushdown, detail: bigValues ? DETAIL.valuesThreshold : DETAIL.valuesMutable }], findings: [], summary: 'VALUES via coordinator', command };
    }
    if (plan.viaCoordinator) {
      const local = locals[0];
      const reason: CitusMessage = local ? { level: 'DEBUG', message: DML_MSG.notDistributed(local.table.name) } : { level: 'DEBUG', message: DML_MSG.multiShardSelect };
      return { outcome: 'coordinator', reasons: [reason], findings: [], summary: local ? 'local table via coordinator' : 'subquery via coordinator', command };
    }
    const keyed = qm.rels.filter((r) => hasDistributionKey(r.table));
    const anchor = keyed[0];
    const total = anchor?.table.shardCount ?? dist[0]?.table.shardCount ?? this.model.defaultShardCount;
    if (anchor && (keyed.length === 1 || this.oneJoinedClass(qm, uf, keyed))) {
      // joined on their distribution columns (inner joins only): Citus prunes each relation with the restrictions on
      // any of them, and the tasks are the shards all of them keep (checked on Citus 13.2.2: `e.tenant_id IN (1, 2)`
      // joined to users on tenant_id runs 2 tasks)
      let values: string[] | undefined;
      // the inner side of a LEFT JOIN does not count (IsInnerTableOfOuterJoin: its shards follow the outer side's)
      const nullable = new Set(qm.root.outerJoins.filter((j) => j.type === 'LEFT').flatMap((j) => j.right.flatMap((it) => (it.kind === 'rel' ? [it.rel] : []))));
      for (const r of keyed) {
        if (nullable.has(r)) continue;
        // (its own level's restrictions, or the ones PostgreSQL pushes into its FROM subquery)
        const v = this.distValues(r.level.select.whereClause, r.table.distributionColumn!, r.alias, r.table) ?? this.pushedValues(qm, r, r.table.distributionColumn!);
        if (v) values = values ? values.filter((x) => v.includes(x)) : v;
      }
      if (values?.length) {
        const touched = shardsTouched(hashTypeOf(findColumn(anchor.table, anchor.table.distributionColumn!), this.model.domains), values, total);
        if (touched.count <= 1) return { outcome: 'single_shard', shardCount: 1, totalShards: total, reasons: [{ level: 'DEBUG', message: DML_MSG.routerPlan }], findings: [], summary: 'single shard', command };
        return { outcome: 'multi_shard', shardCount: touched.count, shardCountUpperBound: !touched.exact, totalShards: total, reasons: [{ level: 'DEBUG', message: DML_MSG.multiShardSelect }], findings: [], summary: `multi-shard: ${touched.count} of ${total} shards`, command };
      }
    }
    return { outcome: 'multi_shard', shardCount: total, totalShards: total, reasons: [{ level: 'DEBUG', message: DML_MSG.multiShardSelect }], findings: [], summary: `multi-shard: ${total} shards`, command };
  }

  /**
   * Whether the SELECT's hash-distributed relations sit at its top level, inner-joined on their distribution columns in
   * one class, with one shard count (no RIGHT or FULL join, no subquery level between them; a LEFT JOIN's inner side
   * follows the outer side).
   */
  private oneJoinedClass(qm: QueryModel, uf: UnionFind, keyed: RelOcc[]): boolean {
    if (keyed.some((r) => r.level !== qm.root || r.table.kind !== 'hash' || r.table.shardCount !== keyed[0].table.shardCount)) return false;
    if (qm.root.outerJoins.some((j) => j.type !== 'LEFT')) return false;
    const cls = uf.find(colKey(keyed[0], keyed[0].table.distributionColumn!));
    return keyed.every((r) => uf.find(colKey(r, r.table.distributionColumn!)) === cls);
  }

  // ---- COPY --------------------------------------------------------------------------------------
  /**
   * TRUNCATE without CASCADE of a table another table's foreign key references, that table not truncated with it:
   * PostgreSQL's heap_truncate_check_FKs (the referencing table first made is named, as PostgreSQL sorts them by OID).
   * Only for foreign keys the model is sure of, and not for partitioned tables (their partitions' keys are not followed).
   * No outcome otherwise: a TRUNCATE is no query Citus plans.
   */
  truncate(node: PgNode): DmlResult | undefined {
    if (node.behavior === 'DROP_CASCADE') return undefined;
    const rvs: PgNode[] = (node.relations ?? []).map((r: PgNode) => r.RangeVar ?? r);
    const tables = rvs.map((rv) => this.resolve(rv));
    if (!tables.length || tables.some((t) => !t || t.partitioned || t.partitionParent || t.kind === 'view' || t.kind === 'matview' || t.foreignKeysUncertain)) return undefined;
    const named = new Set(tables.map((t) => qualifiedName(t!.schema, t!.name)));
    for (const r of this.model.tables.values()) {
      if (named.has(qualifiedName(r.schema, r.name)) || r.partitioned || r.partitionParent || r.foreignKeysUncertain) continue;
      const fk = r.foreignKeys?.find((f) => named.has(f.to));
      if (!fk) continue;
      const i = tables.findIndex((t) => qualifiedName(t!.schema, t!.name) === fk.to);
      const target = tables[i]!;
      const message = 'cannot truncate a table referenced in a foreign key constraint';
      const f = this.finding(
        'truncate-referenced-table',
        { message, detail: `Table "${r.name}" references "${target.name}".`, hint: `Truncate table "${r.name}" at the same time, or use TRUNCATE ... CASCADE.` },
        this.pos.nameRange(rvs[i].location ?? 0),
        'TRUNCATE of a referenced table',
        undefined,
        `${displayName(r)} has a foreign key to ${displayName(target)}: PostgreSQL refuses to truncate ${displayName(target)} alone (${message}); list ${displayName(r)} in the TRUNCATE too, or use TRUNCATE .. CASCADE`,
      );
      return this.error('TRUNCATE', f, target.name);
    }
    return undefined;
  }

  copy(node: PgNode): DmlResult | undefined {
    const command = 'COPY';
    if (!node.relation || !node.is_from) return undefined;
    const rv = node.relation;
    const targetName = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    const target = this.resolve(rv);
    if (!target) return { reasons: [], findings: [this.unknownTable(targetName, rv.location ?? 0)], target: targetName, summary: 'unknown table', command };
    // Citus' ProcessCopyStmt first: no WHERE for a Citus table (checked on Citus 13.2.2, reference tables too)
    if (isCitusTable(target) && node.whereClause) {
      const message = 'Citus does not support COPY FROM with WHERE';
      const range = this.pos.keywordRange('WHERE', node.whereClause) ?? this.pos.nameRange(rv.location ?? 0);
      return this.error(command, this.finding('copy-refused', { message }, range, 'COPY .. WHERE', undefined, `${displayName(target)} is a Citus table: ${message}. Load the rows into a staging table (a local or temporary one) and INSERT .. SELECT the ones you want`), targetName);
    }
    // then PostgreSQL's: the column list (CopyGetAttnums), the target (CopyFrom)
    const columns = this.copyColumnError(node, target);
    if (columns) return this.error(command, columns, targetName);
    if (target.kind === 'matview') {
      const message = `cannot copy to materialized view "${target.name}"`;
      return this.error(command, this.finding('copy-refused', { message }, this.pos.nameRange(rv.location ?? 0), 'COPY into a materialized view', undefined, `${displayName(target)} is a materialized view: ${message}; COPY into the tables it reads and REFRESH it`), targetName);
    }
    if (!isCitusTable(target)) {
      const rowError = this.copyRowError(node, target);
      if (rowError && !rowError.severity) return this.error(command, rowError, targetName);
      return { outcome: 'local', reasons: [], findings: rowError ? [rowError] : [], target: targetName, summary: 'plain PostgreSQL', command };
    }
    if (!hasDistributionKey(target)) {
      const rowError = this.copyRowError(node, target);
      if (rowError && !rowError.severity) return this.error(command, rowError, targetName);
      return { outcome: 'single_shard', shardCount: 1, totalShards: 1, reasons: [], findings: rowError ? [rowError] : [], target: targetName, summary: `single shard: ${kindWord(target)}`, command };
    }
    const dist = target.distributionColumn!;
    const cols: string[] = node.attlist?.length ? nameList(node.attlist) : target.columns.map((c) => c.name);
    const pos = cols.indexOf(dist);
    const qualified = `${target.schema}.${target.name}`;
    const column = findColumn(target, dist);
    if (pos < 0 && !(column && column.defaultKind !== 'none')) {
      const range = node.attlist?.length ? this.attlistRange(node) : this.pos.nameRange(rv.location ?? 0);
      const f = this.finding('copy-without-dist-column', { message: DML_MSG.copyNullPartition(qualified) }, range, 'distribution column missing', undefined, `The COPY column list leaves out ${displayName(target)}.${dist}, the distribution column: every row fails with "${DML_MSG.copyNullPartition(qualified)}"`);
      return this.error(command, f, targetName);
    }
    const total = target.shardCount ?? this.model.defaultShardCount;
    const data = pos >= 0 ? this.copyData(node, target) : undefined;
    if (data) {
      const values: string[] = [];
      for (const row of data) {
        const v = row[pos];
        if (v === undefined || v === null) {
          const f = this.finding('copy-without-dist-column', { message: DML_MSG.copyNullPartition(qualified) }, this.pos.nameRange(rv.location ?? 0), 'NULL distribution value', undefined, `A row of the COPY data has NULL in ${displayName(target)}.${dist}: ${DML_MSG.copyNullPartition(qualified)}`);
          return this.error(command, f, targetName);
        }
        values.push(v);
      }
      const rowError = this.copyRowError(node, target, data);
      if (rowError && !rowError.severity) return this.error(command, rowError, targetName);
      if (values.length) {
        const res = this.valuesOutcome(target, targetName, values, values.length, total, command, dist);
        res.reasons = [];
        if (rowError) res.findings = [...res.findings, rowError];
        return res;
      }
    }
    return {
      outcome: 'multi_shard',
      shardCount: total,
      shardCountUpperBound: true,
      totalShards: total,
      reasons: [],
      findings: [],
      target: targetName,
      summary: `multi-shard: each row goes to the shard of its ${dist} (up to ${total} shards)`,
      command,
    };
  }

  /**
   * CopyGetAttnums: every column of the list must be a column of the table, named once, and not a generated one.
   * Only when the model knows all the table's columns.
   */
  private copyColumnError(node: PgNode, target: TableModel): PlannerFinding | undefined {
    if (!node.attlist?.length || target.columnsIncomplete || target.catalog || !target.columns.length) return undefined;
    const seen = new Set<string>();
    const range = this.attlistRange(node);
    for (const name of nameList(node.attlist)) {
      const col = findColumn(target, name);
      if (!col) {
        const message = `column "${name}" of relation "${target.name}" does not exist`;
        return this.finding('unknown-column', { message }, range, 'unknown COPY column', undefined, `${displayName(target)} has no column ${name}: ${message}`);
      }
      if (seen.has(name)) return this.finding('datatype-mismatch', { message: `column "${name}" specified more than once` }, range, 'COPY column twice', undefined, `The COPY column list names ${name} twice (column "${name}" specified more than once)`);
      seen.add(name);
      if (col.generated) {
        const message = `column "${name}" is a generated column`;
        return this.finding('insert-generated-column', { message, detail: 'Generated columns cannot be used in COPY.' }, range, 'generated column in COPY', undefined, `${displayName(target)}.${name} is a generated column: ${message} (Generated columns cannot be used in COPY); leave it out of the column list and the data`);
      }
    }
    return undefined;
  }

  /**
   * The first rows of the inline data (up to COPY_ROWS_CHECKED) as INSERT .. VALUES rows of text literals (NULL for the
   * format's null string), checked as PostgreSQL checks an inserted row (rowError: the partition it goes to, NOT NULL,
   * CHECK, a domain's constraints, the bound of a partition copied into directly). Found on the cluster as for
   * INSERT; the finding is placed on the table's name.
   */
  private copyRowError(node: PgNode, target: TableModel, parsed?: (string | null)[][]): PlannerFinding | undefined {
    const data = parsed ?? this.copyData(node, target);
    if (!data?.length) return undefined;
    const cols: string[] = node.attlist?.length ? nameList(node.attlist) : target.columns.map((c) => c.name);
    const rows = data.slice(0, COPY_ROWS_CHECKED).filter((r) => r.length === cols.length);
    if (rows.length < Math.min(data.length, COPY_ROWS_CHECKED)) return undefined; // (a row of another width: PostgreSQL's own error, not modelled)
    const literal = (v: string | null): PgNode => (v === null ? { A_Const: { isnull: true } } : { A_Const: { sval: { sval: v } } });
    const insert: PgNode = {
      relation: node.relation,
      cols: cols.map((name) => ({ ResTarget: { name } })),
      selectStmt: { SelectStmt: { valuesLists: rows.map((r) => ({ List: { items: r.map(literal) } })) } },
    };
    const f = this.rowError(target, insert, 'COPY');
    if (f) f.range = this.pos.nameRange(node.relation.location ?? 0);
    return f;
  }

  private attlistRange(node: PgNode): Range {
    const start = this.pos.doc(node.relation.location ?? 0);
    const open = this.text.indexOf('(', this.pos.local(start));
    const close = open >= 0 ? this.text.indexOf(')', open) : -1;
    if (open < 0 || close < 0) return this.pos.nameRange(node.relation.location ?? 0);
    return { start: this.stmt.start + open + 1, end: this.stmt.start + close };
  }

  /**
   * Rows of inline COPY .. FROM STDIN data that follows the statement in the document (psql style), as PostgreSQL reads
   * them into `target`'s columns: CSV's FORCE_NOT_NULL (the null string is a value) and FORCE_NULL (a quoted null string
   * is NULL) honoured; undefined where the model does not read the data as PostgreSQL does (a QUOTE or ESCAPE of its
   * own, a FORCE_ option naming a column the COPY does not list: PostgreSQL's error, not modelled).
   */
  private copyData(node: PgNode, target: TableModel): (string | null)[][] | undefined {
    const doc = this.documentText;
    if (!doc || node.filename || node.is_program) return undefined;
    const options: PgNode[] = node.options ?? [];
    const opt = (name: string): string | undefined => {
      const d = options.find((o) => o.DefElem?.defname === name)?.DefElem;
      if (!d) return undefined;
      return d.arg ? (d.arg.String?.sval ?? constValue(d.arg) ?? '') : 'true';
    };
    const format = (opt('format') ?? (opt('csv') ? 'csv' : 'text')).toLowerCase();
    if (format === 'binary') return undefined;
    const csv = format === 'csv';
    const delimiter = opt('delimiter') ?? (csv ? ',' : '\t');
    const nullText = opt('null') ?? (csv ? '' : '\\N');
    const header = (opt('header') ?? 'false').toLowerCase();
    if ((opt('quote') ?? '"') !== '"' || (opt('escape') ?? '"') !== '"') return undefined;
    const cols: string[] = node.attlist?.length ? nameList(node.attlist) : target.columns.map((c) => c.name);
    const forced = (name: string): Set<number> | undefined => {
      const items: PgNode[] = options.find((o) => o.DefElem?.defname === name)?.DefElem?.arg?.List?.items ?? [];
      const at = items.map((n) => cols.indexOf(stringValue(n) ?? ''));
      return at.includes(-1) ? undefined : new Set(at);
    };
    const forceNull = forced('force_null');
    const forceNotNull = forced('force_not_null');
    if (!forceNull || !forceNotNull) return undefined;
    let i = this.stmt.end;
    while (i < doc.length && doc[i] !== '\n') i++;
    if (i >= doc.length) return undefined;
    const lines = doc.slice(i + 1).split('\n');
    const rows: (string | null)[][] = [];
    let first = true;
    for (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      if (line === '\\.') break;
      if (first && (header === 'true' || header === 'on' || header === 'match')) {
        first = false;
        continue;
      }
      first = false;
      rows.push(csv ? splitCsv(line, delimiter, nullText, forceNull, forceNotNull) : line.split(delimiter).map((f) => (f === nullText ? null : f)));
      if (rows.length > 100000) break;
    }
    return rows;
  }
}

/** The rows of inline COPY data checked as inserted rows (copyRowError): enough for a script's seed data, cheap in an editor. */
const COPY_ROWS_CHECKED = 1000;

/** A column default that is a constant (`DEFAULT '2024-01-15'`), as text. */
/**
 * The values a row gives a partition key column (`node` as written, undefined when the INSERT leaves the column out): a
 * constant, the column's constant default (left out, or DEFAULT), or every value CURRENT_DATE / now() can take on
 * `today` (written, or the column's default: ../schema/currentTime.ts, `now`); undefined when the model cannot tell.
 */
export function keyValues(node: PgNode | undefined, col: ColumnModel, today: string | undefined): { values: string[]; now: boolean } | undefined {
  const fromDefault = !node || !!node.SetToDefault;
  const c = fromDefault ? defaultConstant(col) : constValue(node);
  if (c !== undefined) return { values: [c], now: false };
  const now = today && (fromDefault ? isCurrentTimeDefault(col.defaultText) : isCurrentTime(node)) ? currentTimeCandidates(today, col.type) : undefined;
  return now ? { values: now, now: true } : undefined;
}

function defaultConstant(col: { defaultKind: string; defaultText?: string } | undefined): string | undefined {
  if (!col || col.defaultKind !== 'immutable' || !col.defaultText) return undefined;
  const m = /^'([^']*)'(::[\w ]+)?$/.exec(col.defaultText.trim()) ?? /^(-?\d+(?:\.\d+)?)$/.exec(col.defaultText.trim());
  return m ? m[1] : undefined;
}

/** A range on one column: `>`/`>=` and `<`/`<=` constants (inclusive or not), from AND-ed terms. */
interface KeyRange {
  lo?: { value: string; inclusive: boolean };
  hi?: { value: string; inclusive: boolean };
}

/**
 * The range AND-ed comparisons of `column` with constants give it (`>`, `>=`, `<`, `<=`, BETWEEN); undefined when a
 * term reads the column some other way (an OR, a function, another column), which the model does not evaluate.
 */
function keyRange(where: PgNode | undefined, column: string, alias: string): KeyRange | undefined {
  const isKey = (n: PgNode | undefined): boolean => isColumnRef(n, column, alias);
  const out: KeyRange = {};
  const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  for (const term of conjuncts(where)) {
    if (!readsColumn(term, column)) continue;
    const a = term.A_Expr;
    if (!a) return undefined;
    if (a.kind === 'AEXPR_BETWEEN' && isKey(a.lexpr)) {
      const [low, high] = (a.rexpr?.List?.items ?? []).map((n: PgNode) => constValue(n));
      if (low === undefined || high === undefined) return undefined;
      out.lo = { value: low, inclusive: true };
      out.hi = { value: high, inclusive: true };
      continue;
    }
    const op = nameList(a.name).join('');
    if (a.kind !== 'AEXPR_OP' || !(op in flip)) return undefined;
    const [o, v] = isKey(a.lexpr) ? [op, constValue(a.rexpr)] : isKey(a.rexpr) ? [flip[op], constValue(a.lexpr)] : [undefined, undefined];
    if (!o || v === undefined) return undefined;
    if (o === '>' || o === '>=') out.lo = { value: v, inclusive: o === '>=' };
    else out.hi = { value: v, inclusive: o === '<=' };
  }
  return out.lo || out.hi ? out : undefined;
}

/**
 * Whether PostgreSQL's partition pruning surely keeps a range partition [from, to) for `range`: it keeps one whose
 * values could satisfy the range, taking the type as dense. Numbers are compared exactly; times with a day's margin
 * (a literal without a time zone is read in the session's), other types not at all.
 */
function surelyOverlaps(bound: Extract<PartitionBound, { kind: 'range' }>, range: KeyRange, type: string): boolean {
  const time = /date|timestamp/.test(type);
  const numeric = /int|numeric|double|real/.test(type);
  if ((!time && !numeric) || bound.from.length !== 1) return false;
  const read = (v: string | null | undefined): number | undefined => {
    if (v === null || v === undefined) return undefined;
    const x = time ? Date.parse(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(v) ? v : `${v}Z`) : Number(v);
    return Number.isNaN(x) ? undefined : x;
  };
  const margin = time ? 86_400_000 : 0;
  const from = read(bound.from[0]);
  const to = read(bound.to[0]);
  if ((bound.from[0] !== null && from === undefined) || (bound.to[0] !== null && to === undefined)) return false;
  if (range.lo) {
    const lo = read(range.lo.value);
    if (lo === undefined || (to !== undefined && !(to - margin > lo))) return false;
  }
  if (range.hi) {
    const hi = read(range.hi.value);
    if (hi === undefined || (from !== undefined && !(range.hi.inclusive ? from + margin <= hi : from + margin < hi))) return false;
  }
  return true;
}

/** `column` or `alias.column`, as written (no cast around it). */
function isColumnRef(n: PgNode | undefined, column: string, alias: string): boolean {
  if (!n?.ColumnRef) return false;
  const parts = nameList(n.ColumnRef.fields);
  return parts[parts.length - 1] === column && (parts.length === 1 || parts[parts.length - 2] === alias);
}

/** Whether `node` reads a column named `column` (any relation, any level). */
function readsColumn(node: unknown, column: string): boolean {
  let found = false;
  walk(node, (type, f) => {
    if (found) return false;
    if (type === 'ColumnRef') {
      const parts = nameList(f.fields);
      if (parts[parts.length - 1] === column) found = true;
    }
    return undefined;
  });
  return found;
}

function kindWord(t: TableModel): string {
  switch (t.kind) {
    case 'reference':
      return 'reference table';
    case 'citus_local':
      return 'Citus local table';
    case 'single_shard':
      return 'single-shard table';
    default:
      return 'table';
  }
}

/** Index of the `)` that closes the `(` at `open`, skipping strings and quoted identifiers; -1 when unbalanced. */
function matchParen(t: string, open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    const c = t[i];
    if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < t.length) {
        if (t[k] === c) {
          if (t[k + 1] === c) {
            k += 2;
            continue;
          }
          break;
        }
        k++;
      }
      i = k;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** One CSV line (RFC 4180 quoting): an unquoted field equal to the NULL string is NULL (not in a FORCE_NOT_NULL column), and a quoted one too in a FORCE_NULL column. */
function splitCsv(line: string, delimiter: string, nullText: string, forceNull: ReadonlySet<number>, forceNotNull: ReadonlySet<number>): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += line[i++];
      }
      out.push(v === nullText && forceNull.has(out.length) ? null : v);
      while (i < line.length && line[i] !== delimiter) i++;
    } else {
      const end = line.indexOf(delimiter, i);
      const v = end < 0 ? line.slice(i) : line.slice(i, end);
      out.push(v === nullText && !forceNotNull.has(out.length) ? null : v);
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) break;
    i++; // delimiter
    if (i === line.length) {
      out.push(nullText === '' && !forceNotNull.has(out.length) ? null : '');
      break;
    }
  }
  return out;
}

/**
 * The query level whose block a level's relations are planned in: PostgreSQL pulls simple FROM subqueries and
 * semi-joined sublinks up into their parent; a subquery it keeps (GROUP BY, DISTINCT, ORDER BY, LIMIT, aggregates, a
 * subplan) is a block of its own, whose constants do not reach the outer query.
 */
function pulledUpBlock(level: QueryLevel): QueryLevel {
  let l = level;
  for (let guard = 0; l.parent && guard < 64; guard++) {
    // (a simple CTE counts as inlined: Citus inlines one read once, and a MATERIALIZED one is planned first anyway)
    if (((l.role === 'from' || l.role === 'cte') && isSimpleSubquery(l)) || pulledUpSemiJoin(l)) l = l.parent;
    else break;
  }
  return l;
}
