/**
 * How Citus plans a SELECT on its own: the router planner, then recursive planning (subplans for CTEs and
 * subqueries that cannot be pushed down), then the router planner again or the logical planner (subquery
 * pushdown or the join-order planner). The INSERT..SELECT predictor uses it for the SELECT of a statement
 * whose pushdown failed (insert_select_planner.c CreateNonPushableInsertSelectPlan -> the SELECT goes
 * through distributed_planner.c CreateDistributedPlan), and for the router pre-check of the pushdown path
 * (InsertSelectHasRouterSelect). It follows Citus 13.2's functions, named at each step:
 *
 *   CreateRouterPlan / DeferErrorIfUnsupportedRouterPlannableSelectQuery / PlanRouterQuery
 *   GenerateSubplansForSubqueriesAndCTEs -> RecursivelyPlanSubqueriesAndCTEs (recursive_planning.c):
 *     RecursivelyPlanCTEs, ShouldRecursivelyPlanSubquery, ShouldRecursivelyPlanSetOperation,
 *     RecursivelyPlanNonColocatedSubqueries, RecursivelyPlanLocalTableJoins,
 *     RecursivelyPlanRecurringTupleOuterJoinWalker, ShouldRecursivelyPlanSublinks
 *   MultiLogicalPlanCreate: ShouldUseSubqueryPushDown -> SubqueryMultiNodeTree
 *     (DeferErrorIfQueryNotSupported, DeferErrorIfUnsupportedSubqueryPushdown,
 *     ErrorIfUnsupportedShardDistribution) or MultiNodeTree (join order: local, reference, dual-partition
 *     repartition joins, Cartesian products)
 *
 * The query is the predictor's query model (./query.ts); a level that is recursively planned becomes an
 * intermediate result (a recurring relation whose columns are no distribution columns any more).
 */
import { groupingShape } from './grouping';
import { firstNode, nameList, stripCast, walk, type PgNode } from '../parse/ast';
import { columnKeys, deferrableKey } from '../schema/keyNames';
import { hasDistributionKey, isCitusTable, isDistributed, type SchemaModel, type TableModel } from '../schema/model';
import type { CitusMessage, Range } from '../types';
import { distributionHash, hashTypeOf, shardIndex } from './dml-hash';
import { removedRels } from './joinRemoval';
import { joinItems, joinTreeOf, reducedJoinTypesOf, within, type JoinNode } from './joinTree';
import { MSG, DETAIL } from './messages';
import { colKey, conjuncts, firstLoc, isDistColumn, isSimpleSubquery, levelHasAggregates, nullableItems, windowPartitionClause, UnionFind as UnionFindImpl, type CteDef, type Equality, type FromItem, type Origin, type QueryLevel, type QueryModel, type RelOcc, type UnionFind } from './query';
import type { StatementPositions } from './text';
import type { Failure } from './predict';

/** A finding of the planner (predict.ts' Failure). */
export type PlanFailure = Failure;

/** What the predictor lends the planner: its query model and its per-level checks. */
export interface PlannerHost {
  readonly qm: QueryModel;
  readonly model: SchemaModel;
  readonly pos: StatementPositions;
  equivalence(): UnionFind;
  failure(rule: string, citus: Omit<CitusMessage, 'level'> & { level?: CitusMessage['level'] }, range: Range, summary: string): PlanFailure;
  subq(rule: string, detail: string, range: Range, summary: string): PlanFailure;
  /** DeferErrorIfCannotPushdownSubquery for one level, as the level is now (planned parts are intermediate results) */
  pushdownFailureOf(level: QueryLevel, plan: SelectPlanner): PlanFailure | undefined;
  /** DeferErrorIfSubqueryRequiresMerge for one level, with only live distribution columns counting */
  mergeFailureOf(level: QueryLevel, plan: SelectPlanner): PlanFailure | undefined;
  resolveOrigin(expr: PgNode, level: QueryLevel): Origin;
  groupItemOrigin(g: PgNode, level: QueryLevel): Origin;
  unionAligned(level: QueryLevel, planned?: ReadonlySet<QueryLevel>): boolean;
  groupingSets(level: QueryLevel): PgNode | undefined;
  cteInlinable(cte: CteDef): boolean;
  setOpKeywordRange(level: QueryLevel): Range;
  /** a level's outer-join-with-recurring-side check at planning time (DeferredErrorIfUnsupportedRecurringTuplesJoin) */
  volatileIn(node: unknown): boolean;
  /** planning a data-modifying CTE fails (a partition of a replicated table) */
  dmlCteError(cte: CteDef): PlanFailure | undefined;
  /** the one shard a data-modifying CTE writes (`g<colocation>[:<shard>]`, `any`), undefined when several or a reference table's */
  dmlCteShard(cte: CteDef): string | undefined;
  /** the table a data-modifying CTE modifies */
  dmlCteTable(cte: CteDef): TableModel | undefined;
  /** the INSERT leaves a column with a sequence default to the SELECT (the fallback adds nextval() to its target list) */
  insertAddsNextval(): boolean;
}

export interface SelectPlan {
  /** router: one task (or none); multi: a multi-shard distributed plan; error: Citus refuses it */
  kind: 'router' | 'multi' | 'error';
  error?: PlanFailure;
  /** the plan has repartition joins (MapMergeJob): never redistributable */
  repartitionJoin?: boolean;
}

interface SharedCache {
  /** the equivalence classes of each query block */
  blockUf?: Map<QueryLevel, UnionFind>;
  /** the join order planner's classes: equalities of two distribution columns (joinOrderClasses) */
  joinOrderUf?: UnionFind;
  /** an outer join survives PostgreSQL's reduce_outer_joins somewhere in the statement (Citus' hasOuterJoin) */
  keptOuterJoin?: boolean;
  /** `col = const`, `col IN (...)` filters per level */
  constants?: Map<QueryLevel, { key: string; values: string[]; all?: boolean }[]>;
  /** class keys of the columns of functions, VALUES and FROM subquery expressions (originKey) */
  otherKeys?: Map<Origin, string>;
  innerFalses?: Map<QueryLevel, boolean>;
  contradictions?: Map<QueryLevel, boolean>;
  /** the block each level belongs to */
  blocks?: Map<QueryLevel, QueryLevel>;
  /** the shard a relation prunes to (shardOf) */
  shards?: Map<RelOcc, string>;
  /** a pseudoconstant false reaches the level (falseAt) */
  falses?: Map<QueryLevel, boolean>;
  /** nextval() in a level's target list (resjunk entries included) */
  nextvals?: Map<QueryLevel, boolean>;
  /** some WHERE may pin a distribution column (mayPin) */
  mayPin?: boolean;
  removed?: Set<RelOcc>;
  /** the live relations under each level before anything is planned */
  live?: Map<QueryLevel, { version: number; rels: RelOcc[]; withCtes?: RelOcc[] }>;
}

const NO_CTES: CteDef[] = [];

/** Per query model (its `plannerCache`), for the attempts without and with CTE inlining. */
type SharedCaches = [SharedCache | undefined, SharedCache | undefined];


export class SelectPlanner {
  /** levels replaced by intermediate results (subplans) */
  readonly planned = new Set<QueryLevel>();
  /** relations replaced by a subquery that was planned recursively (local tables joined with distributed ones, ...) */
  readonly wrapped = new Set<RelOcc>();
  /** data-modifying CTEs run first, each a subplan of its own (they have no query level) */
  dmlPlanned = 0;
  /** functions in FROM wrapped into subqueries and planned on their own (WrapFunctionsInSubqueries) */
  readonly functionsPlanned = new Set<FromItem>();

  /** Everything planned on its own so far: subqueries, wrapped relations and functions, data-modifying CTEs. */
  get subplanCount(): number {
    return this.planned.size + this.wrapped.size + this.dmlPlanned + this.functionsPlanned.size;
  }
  private repartitionJoin = false;
  private allKeysEqualWhole = false;

  constructor(
    private readonly host: PlannerHost,
    /** CTEs that may be inlined are (the first attempt of CreateDistributedPlannedStmt) */
    readonly inline: boolean,
    /** the root query (or the synthetic wrapper of a top-level set operation) */
    private readonly root: QueryLevel,
    /** the INSERT's CTEs are part of the SELECT (the fallback), or not (the pushdown path) */
    private readonly moveInsertCtes: boolean,
  ) {}

  /** What depends only on the query model and the inlining attempt: shared by the planners of one statement. */
  private sharedCache?: SharedCache;
  private get shared(): SharedCache {
    return (this.sharedCache ??= this.sharedOf());
  }

  private sharedOf(): SharedCache {
    const qm = this.host.qm;
    const pair = (qm.plannerCache ??= [undefined, undefined]) as SharedCaches;
    const i = this.inline ? 1 : 0;
    return (pair[i] ??= {});
  }

  // ---- the parts of a query ---------------------------------------------------------------------

  private ctesOf(level: QueryLevel): CteDef[] {
    // in the fallback, the INSERT's CTEs are moved into its SELECT (PrepareInsertSelectForCitusPlanner)
    const moved = this.moveInsertCtes && level === this.host.qm.root && this.host.qm.insertCtes.size > 0;
    if (!level.ctes.size && !moved) return NO_CTES;
    const own = [...level.ctes.values()];
    if (moved) return [...this.host.qm.insertCtes.values(), ...own];
    return own;
  }

  /** The origin of a GROUP BY / PARTITION BY item (for windowPartitionedByDist). */
  hostOrigin(expr: PgNode, level: QueryLevel): Origin {
    return this.host.groupItemOrigin(expr, level);
  }

  isInlined(cte: CteDef): boolean {
    return this.inline && !!cte.level && this.host.cteInlinable(cte);
  }

  /** The level a FROM item reads, when it is a (live or planned) subquery. */
  private itemLevel(item: FromItem): QueryLevel | undefined {
    if (item.kind === 'subquery') return item.level;
    if (item.kind === 'cte' && item.cte.level && this.isInlined(item.cte)) return item.cte.level;
    return undefined;
  }

  /** FROM subqueries (inlined CTE references included), sublinks and set-operation leaves, in Citus' walk order. */
  private readonly subqueries = new Map<QueryLevel, QueryLevel[]>();
  subqueriesOf(level: QueryLevel): QueryLevel[] {
    let out = this.subqueries.get(level);
    if (!out) this.subqueries.set(level, (out = this.computeSubqueriesOf(level)));
    return out;
  }

  private computeSubqueriesOf(level: QueryLevel): QueryLevel[] {
    const out: QueryLevel[] = [];
    for (const item of level.items) {
      const l = this.itemLevel(item);
      if (l && !out.includes(l)) out.push(l);
    }
    for (const c of level.children) if (c.role === 'sublink' && !out.includes(c)) out.push(c);
    if (level.setOp) for (const leaf of level.setOp.leaves) if (!out.includes(leaf)) out.push(leaf);
    return out;
  }

  /** Whether an item is an intermediate result now (a planned subquery or CTE, a wrapped relation). */
  private isIntermediate(item: FromItem): boolean {
    if (item.kind === 'rel') return this.wrapped.has(item.rel);
    if (item.kind === 'cte') return !this.isInlined(item.cte) || (!!item.cte.level && this.planned.has(item.cte.level));
    if (item.kind === 'subquery') return this.planned.has(item.level);
    return false;
  }

  /**
   * The relations the query of `level` still reads (not planned, not wrapped), sublinks and inlined
   * CTEs included; with `withCtes`, also the relations of CTEs that are not inlined (the router planner
   * sees the whole query tree).
   */
  private liveCache = new Map<QueryLevel, { version: number; rels: RelOcc[]; withCtes?: RelOcc[] }>();
  liveRels(level: QueryLevel, withCtes = false): RelOcc[] {
    // planning a level or wrapping a relation changes the answer: the cache is per state
    const version = this.planned.size * 65536 + this.wrapped.size;
    // nothing planned yet: the same for every planner of the statement
    const cache = version === 0 ? (this.shared.live ??= new Map()) : this.liveCache;
    let entry = cache.get(level);
    if (!entry || entry.version !== version) cache.set(level, (entry = { version, rels: this.computeLiveRels(level, false) }));
    if (!withCtes) return entry.rels;
    return (entry.withCtes ??= this.computeLiveRels(level, true));
  }

  private computeLiveRels(level: QueryLevel, withCtes: boolean): RelOcc[] {
    const out: RelOcc[] = [];
    const seen = new Set<QueryLevel>();
    const visit = (l: QueryLevel): void => {
      if (seen.has(l) || this.planned.has(l)) return;
      seen.add(l);
      for (const r of l.rels) if (!this.wrapped.has(r)) out.push(r);
      for (const sub of this.subqueriesOf(l)) visit(sub);
      if (withCtes) {
        for (const item of l.items) if (item.kind === 'cte' && item.cte.level) visit(item.cte.level);
        for (const c of this.ctesOf(l)) if (c.level && c.refCount > 0) visit(c.level);
      }
    };
    visit(level);
    return out;
  }

  isLive(rel: RelOcc): boolean {
    return this.liveRels(this.root, false).includes(rel);
  }

  /** A live distribution column (not one read through an intermediate result). */
  isLiveDist(o: Origin): boolean {
    return isDistColumn(o) && !this.wrapped.has(o.rel) && !this.underPlanned(o.rel.level);
  }

  private underPlanned(level: QueryLevel): boolean {
    for (let l: QueryLevel | undefined = level; l; l = l.parent) if (this.planned.has(l)) return true;
    return false;
  }

  private hasCitusRel(level: QueryLevel): boolean {
    return this.liveRels(level).some((r) => isCitusTable(r.table));
  }

  private hasDistributedRel(level: QueryLevel): boolean {
    return this.liveRels(level).some((r) => isDistributed(r.table));
  }

  private isLocalRel(r: RelOcc): boolean {
    return !isCitusTable(r.table) || r.table.kind === 'citus_local';
  }

  // ---- equalities of distribution columns ---------------------------------------------------------

  /**
   * RestrictionEquivalenceForPartitionKeys over a set of relations: no local table; at most one
   * distributed relation, or the distribution columns of every relation with a key in one equivalence
   * class (classes only hold distribution columns: a single-shard table's columns do not join it).
   */
  keysEqual(given: RelOcc[]): boolean {
    // a relation PostgreSQL's join removal takes out is in none of the planner's restrictions Citus reads
    const removed = this.removedRels();
    const rels = removed.size ? given.filter((r) => !removed.has(r)) : given;
    if (rels.some((r) => !isCitusTable(r.table))) return false;
    const distributed = rels.filter((r) => isDistributed(r.table));
    if (distributed.length <= 1) return true;
    if (distributed.some((r) => r.table.kind === 'append')) return false;
    const keyed = distributed.filter((r) => hasDistributionKey(r.table));
    if (keyed.length === 0) return true;
    const uf = this.host.equivalence();
    const classOf = (r: RelOcc): string => uf.find(colKey(r, r.table.distributionColumn!));
    if (keyed.length === 1) {
      // the class needs another distribution column (of a relation elsewhere in the query)
      const mine = classOf(keyed[0]);
      return this.host.qm.rels.some((o) => o !== keyed[0] && hasDistributionKey(o.table) && classOf(o) === mine);
    }
    const first = classOf(keyed[0]);
    return keyed.every((r) => classOf(r) === first);
  }

  /** ContainsUnionSubquery: the query's single FROM item is (through single-item wrappers) a UNION. */
  private unionSubquery(level: QueryLevel): QueryLevel | undefined {
    let l: QueryLevel | undefined = level;
    while (l && l.items.length === 1) {
      const sub = this.itemLevel(l.items[0]);
      if (!sub || this.planned.has(sub)) return undefined;
      if (sub.setOp) return sub.setOp.op === 'UNION' ? sub : undefined;
      l = sub;
    }
    return undefined;
  }

  /** AllDistributionKeysInQueryAreEqual for the query of `level`. */
  private allKeysEqual(level: QueryLevel, withCtes: boolean): boolean {
    if (withCtes && this.ctesOf(level).some((c) => !this.isInlined(c) && (c.refCount > 0 || !c.level))) return false;
    const rels = this.liveRels(level);
    if (rels.some((r) => !isCitusTable(r.table))) return false;
    if (this.keysEqual(rels)) return true;
    const union = level.setOp ? level : this.unionSubquery(level);
    return !!union && union.setOp?.op === 'UNION' && this.host.unionAligned(union, this.planned);
  }

  // ---- the router planner ---------------------------------------------------------------------------

  /**
   * The query block a level's relations are planned in: PostgreSQL pulls simple FROM subqueries and
   * semi-join sublinks (a positive `EXISTS` with a correlation, an uncorrelated `IN`) up into their
   * parent, so their equalities and constants form one set of equivalence classes there.
   */
  private blockOf(level: QueryLevel): QueryLevel {
    const known = (this.shared.blocks ??= new Map()).get(level);
    if (known) return known;
    const block = this.computeBlockOf(level);
    (this.shared.blocks ??= new Map()).set(level, block);
    return block;
  }

  private computeBlockOf(level: QueryLevel): QueryLevel {
    let l = level;
    for (let guard = 0; l.parent && guard < 64; guard++) {
      if ((l.role === 'from' && isSimpleSubquery(l)) || pulledUpSemiJoin(l) || this.inlinedInto(l)) l = l.parent;
      else break;
    }
    return l;
  }

  /** A simple CTE inlined into the one FROM clause of the level that defines it (then pulled up like a FROM subquery). */
  private inlinedInto(l: QueryLevel): boolean {
    if (l.role !== 'cte' || !l.parent || !isSimpleSubquery(l)) return false;
    const parent = l.parent;
    return parent.items.some((it) => it.kind === 'cte' && it.cte.level === l && it.cte.refCount === 1 && this.isInlined(it.cte));
  }

  /**
   * An equality of columns that Citus does not see: PostgreSQL's equivalence class of it holds a constant too
   * (`a.k = b.k AND a.k = 5`), so it makes no join clause of it (generate_join_implied_equalities: each side gets
   * its own `= 5`), and Citus reads the classes themselves only through the tables planned in that query block
   * (GenerateAttributeEquivalencesForRelationRestrictions: each relation restriction's planner root): a block
   * whose FROM items are all subqueries PostgreSQL plans on their own (GROUP BY, window functions, ...) has none.
   * Then AllDistributionKeysInQueryAreEqual is false and Citus plans the subqueries not colocated with the first
   * one recursively. Checked on Citus 13.2.2.
   */
  unseenEquality(e: Equality): boolean {
    if (e.a.kind !== 'column' || e.b.kind !== 'column' || (e.outer && !this.reducedToInner(e))) return false;
    const block = this.blockOf(clauseLevel(e.level, e.a.rel.level, e.b.rel.level));
    if (this.host.qm.rels.some((r) => this.blockOf(r.level) === block)) return false;
    const uf = this.ufOf(block);
    const cls = uf.find(colKey(e.a.rel, e.a.column));
    return this.host.qm.constFilters.some((f) => !f.outer && f.origin.kind === 'column' && this.blockOf(f.level) === block && uf.find(colKey(f.origin.rel, f.origin.column)) === cls);
  }

  /**
   * How PostgreSQL takes an equality of columns: into an equivalence class of its query block ('class': a WHERE or an
   * inner join's ON, an outer join's only when the join is reduced to an inner one); as an outer join's clause
   * ('outer', no class); or with one side an outer query's column, a parameter in the class ({ param }).
   */
  equalityKind(e: Equality): 'class' | 'outer' | { param: 'a' | 'b' } | undefined {
    const la = originLevel(e.a);
    const lb = originLevel(e.b);
    if (!la || !lb) return undefined;
    if (e.outer && !this.reducedToInner(e)) return 'outer';
    // an EXISTS that is no semi-join is a subplan: its correlation is a parameter, not a join qual of the parent
    const exists = e.level.sublink?.type === 'EXISTS_SUBLINK';
    const block = this.blockOf(exists ? e.level : clauseLevel(e.level, la, lb));
    const a = within(la, block);
    const b = within(lb, block);
    // a NOT EXISTS made an anti-join: its correlation is the join's clause, of no class
    if ((!a || !b) && pulledUpAntiJoin(e.level)) return 'outer';
    // the other side is an outer query's column: a parameter of this block's class, which Citus maps to that column
    return a && b ? 'class' : a ? { param: 'b' } : b ? { param: 'a' } : undefined;
  }

  /**
   * An outer join's equality whose join PostgreSQL makes an inner join (reduce_outer_joins): the WHERE pins a column
   * of the equality that is on the join's nullable side (`a LEFT JOIN b ON a.k = b.k WHERE b.k = 3`; a strict qual
   * there drops the NULL-extended rows), or a strict comparison above the join reads its nullable side (strictAbove).
   */
  private reducedToInner(e: Equality): boolean {
    for (const oj of e.level.outerJoins) {
      if (oj.type === 'FULL') continue;
      const nullable = oj.type === 'LEFT' ? oj.right : oj.left;
      for (const o of [e.a, e.b]) {
        if (o.kind !== 'column' || !this.onSide(o, nullable)) continue;
        if (this.host.qm.constFilters.some((f) => !f.outer && f.level === e.level && f.origin.kind === 'column' && f.origin.rel === o.rel && f.origin.column === o.column)) return true;
      }
      // (the equality is this join's when it reads its nullable side; a function's or VALUES' column names no relation:
      // the level's only outer join then)
      const mine = [e.a, e.b].some((o) => this.onSide(o, nullable)) || e.level.outerJoins.length === 1;
      if (mine && this.strictAbove(e.level, oj, nullable)) return true;
    }
    return false;
  }

  /** Whether a column (origin) comes from one of the items (a relation, a FROM subquery's relations). */
  private onSide(o: Origin, items: readonly FromItem[]): boolean {
    if (o.kind === 'column') return items.some((it) => (it.kind === 'rel' && it.rel === o.rel) || (it.kind === 'subquery' && within(o.rel.level, it.level)));
    return false;
  }

  /**
   * reduce_outer_joins(): a strict comparison above the outer join (in the WHERE clause, or in the ON clause of an inner
   * join that holds it) of a column of its nullable side drops the NULL-extended rows, and the join is an inner one
   * (`x RIGHT JOIN events e ON e.k = x.k JOIN users u ON u.k = x.k`: x is not null). A column is the nullable side's
   * when it resolves to one of its relations, or is qualified by one of its items' names (a function, VALUES, a
   * subquery). Checked on Citus 13.2.2.
   */
  private strictAbove(level: QueryLevel, oj: { type: string; left: FromItem[]; right: FromItem[] }, nullable: readonly FromItem[]): boolean {
    const tree = joinTreeOf(level);
    const same = (a: FromItem[], b: FromItem[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
    // the quals above the outer join's node: the inner joins that hold it, then the WHERE clause
    const quals: PgNode[] = [...conjuncts(level.select.whereClause)];
    const find = (n: JoinNode, above: PgNode[]): boolean => {
      if (n.kind === 'leaf') return false;
      if (n.kind === 'list') return n.items.some((c) => find(c, above));
      if (n.type === oj.type && same(joinItems(n.left), oj.left) && same(joinItems(n.right), oj.right)) {
        quals.push(...above);
        return true;
      }
      const next = n.type === 'INNER' ? [...above, ...conjuncts(n.quals)] : [];
      return find(n.left, next) || find(n.right, next);
    };
    if (!find(tree, [])) return false;
    const names = new Set(nullable.map((it) => it.alias));
    const onNullable = (x: PgNode | undefined): boolean => {
      const ref = stripCast(x)?.ColumnRef;
      if (!ref) return false;
      const parts = nameList(ref.fields);
      if (parts.length === 2 && names.has(parts[0])) return true;
      return this.onSide(this.host.resolveOrigin(stripCast(x)!, level), nullable);
    };
    return quals.some((q) => {
      const a = q.A_Expr;
      return a?.kind === 'AEXPR_OP' && STRICT_COMPARISONS.has(nameList(a.name).join('')) && (onNullable(a.lexpr) || onNullable(a.rexpr));
    });
  }

  /** The equivalence classes of one query block. */
  private ufOf(block: QueryLevel): UnionFind {
    let uf = (this.shared.blockUf ??= new Map()).get(block);
    if (uf) return uf;
    uf = new UnionFindImpl();
    for (const e of this.host.qm.equalities) {
      // (a column of a function, VALUES or FROM subquery expression is a member like a table's: a constant on it
      // reaches the distribution columns equated to it, `generate_series(1, 10) a(k) JOIN events b ON a.k = b.k WHERE
      // a.k = 3` is a router query; checked on Citus 13.2.2)
      const ka = this.classKey(e.a);
      const kb = this.classKey(e.b);
      const la = originLevel(e.a);
      const lb = originLevel(e.b);
      if (!ka || !kb || !la || !lb || this.blockOf(clauseLevel(e.level, la, lb)) !== block) continue;
      uf.union(ka, kb);
    }
    (this.shared.blockUf ??= new Map()).set(block, uf);
    return uf;
  }

  /** The key of an origin in the equivalence classes: a table's column, or a function's, VALUES' or subquery expression's. */
  private classKey(o: Origin): string | undefined {
    return o.kind === 'column' ? colKey(o.rel, o.column) : originKey(o, (this.shared.otherKeys ??= new Map()));
  }

  /** The constant values a relation's distribution column is restricted to in its query block; undefined: none. */
  private pinnedValues(rel: RelOcc, depth = 0): { values: string[] } | 'false' | undefined {
    const dist = rel.table.distributionColumn;
    if (!dist) return undefined;
    if (this.falseAt(rel.level)) return 'false';
    const block = this.blockOf(rel.level);
    const mine = this.classValues(block, colKey(rel, dist));
    const pushed = mine === 'false' ? undefined : this.pushedInto(block, rel, dist, depth);
    // both restrict the column (a branch's own `tenant_id = 20` and the enclosing `a.tenant_id = 6`): the rows meet
    // both, and values that differ leave none (`Task Count: 1` for the other branch's shard; checked on Citus 13.2.2)
    const own = mine && pushed ? bothRestrictions(mine, pushed) : (mine ?? pushed);
    if (own) return own;
    // an anti-join's inner side takes the constants of the outer side (reconsider_outer_join_clauses)
    if (depth < 4 && block.role === 'sublink' && sublinkKind(block) === 'anti') {
      const uf = this.ufOf(block);
      const cls = uf.find(colKey(rel, dist));
      for (const e of this.host.qm.equalities) {
        if (e.a.kind !== 'column' || e.b.kind !== 'column' || this.blockOf(e.level) !== block) continue;
        for (const [mine, other] of [[e.a, e.b], [e.b, e.a]] as const) {
          if (uf.find(colKey(mine.rel, mine.column)) !== cls || this.blockOf(other.rel.level) === block) continue;
          const outer = this.classValues(this.blockOf(other.rel.level), colKey(other.rel, other.column));
          if (outer) return outer;
        }
      }
    }
    return undefined;
  }

  /**
   * The constants PostgreSQL pushes into a FROM subquery that is planned on its own (a GROUP BY, DISTINCT or window
   * subquery, an inlined CTE like it): a restriction of the enclosing block on the subquery's output column becomes
   * the subquery's own WHERE (set_subquery_pathlist(), subquery_is_pushdown_safe(), qual_is_pushdown_safe()), and
   * Citus prunes the relations inside by it, in every branch of a set operation. Checked on Citus 13.2.2.
   */
  private pushedInto(block: QueryLevel, rel: RelOcc, column: string, depth: number): { values: string[] } | 'false' | undefined {
    if (depth > 8 || !block.parent) return undefined;
    const uf = this.ufOf(block);
    const cls = uf.find(colKey(rel, column));
    // the block's output positions in the column's class (a plain column each; check_output_expressions())
    const positions: number[] = [];
    block.targets.forEach((t, i) => {
      if (!t.expr?.ColumnRef) return;
      const o = this.hostOrigin(t.expr, block);
      if (o.kind === 'column' && uf.find(colKey(o.rel, o.column)) === cls) positions.push(i);
    });
    if (!positions.length || !this.outputSafe(block, cls)) return undefined;
    // a set operation's branch: the restriction reaches every branch whose column has the set operation's type
    const sub = block.role === 'setop' ? block.parent : block;
    if (!this.pushdownSafe(sub) || !sub.parent) return undefined;
    if (sub !== block && !positions.some((i) => sub.setOp!.leaves.every((l) => l.targets[i]?.type === sub.targets[i]?.type))) return undefined;
    // a constant-false qual above: PostgreSQL plans the subquery without the restriction (checked on Citus 13.2.2
    // with an outer join: the subquery is planned whole, on every shard)
    // (an inlined CTE is a subquery of the level that reads it, which need not be the one that defines it: a
    // sublink's `IN (SELECT .. FROM c)`)
    const above = (sub.role === 'cte' ? this.cteReader(sub) : undefined) ?? sub.parent;
    if (this.falseAt(above)) return undefined;
    const outer = this.blockOf(above);
    for (const i of positions) {
      // a set operation's output column is its first branch's
      const o = sub === block ? this.hostOrigin(block.targets[i].expr!, block) : sub.targets[i]?.origin;
      if (o?.kind !== 'column') continue;
      const v = this.classValues(outer, colKey(o.rel, o.column)) ?? this.pushedInto(outer, o.rel, o.column, depth + 1);
      if (v) return v;
    }
    return undefined;
  }

  /** The one level that reads an inlined CTE level in its FROM (the CTE then is a subquery of it). */
  private cteReader(cte: QueryLevel): QueryLevel | undefined {
    return this.host.qm.levels.find((l) => l.items.some((it) => it.kind === 'cte' && it.cte.level === cte && it.cte.refCount === 1 && this.isInlined(it.cte)));
  }

  /** subquery_is_pushdown_safe(): a FROM subquery (or an inlined CTE) without LIMIT or grouping sets, in any branch. */
  private pushdownSafe(sub: QueryLevel): boolean {
    const inlinedCte = sub.role === 'cte' && !!this.cteReader(sub);
    // (an `IN (SELECT ..)` semi-join's subquery that is not pulled up is a subquery of the parent's join tree too)
    const semiJoined = sub.role === 'sublink' && sub.sublink?.type === 'ANY_SUBLINK' && sublinkKind(sub) === 'semi' && !pulledUpSemiJoin(sub);
    if ((sub.role !== 'from' && !inlinedCte && !semiJoined) || sub.correlated || sub.lateral) return false;
    const safe = (l: QueryLevel): boolean => {
      const s = l.select;
      return !s.limitCount && !s.limitOffset && !groupingShape(s.groupClause, s.groupDistinct).kept;
    };
    // a set operation: the whole and every branch, and no EXCEPT anywhere in it (recurse_pushdown_safe())
    const except = (n: PgNode | undefined): boolean => !!n && (n.op === 'SETOP_EXCEPT' || except(n.larg?.SelectStmt ?? n.larg) || except(n.rarg?.SelectStmt ?? n.rarg));
    return safe(sub) && (!sub.setOp || (sub.setOp.leaves.every(safe) && !except(sub.select)));
  }

  /**
   * check_output_expressions() for an output column (by its class in the subquery's block): with DISTINCT ON it must be
   * one of its expressions, and every window must be partitioned by it.
   */
  private outputSafe(sub: QueryLevel, cls: string): boolean {
    const s = sub.select;
    const uf = this.ufOf(sub);
    const isColumn = (p: PgNode): boolean => {
      const o = this.hostOrigin(p, sub);
      return o.kind === 'column' && uf.find(colKey(o.rel, o.column)) === cls;
    };
    const distinctOn = (s.distinctClause ?? []).filter((d: PgNode) => d && Object.keys(d).length);
    if (distinctOn.length && !distinctOn.some(isColumn)) return false;
    let unsafe = false;
    walk(s.targetList, (type, f) => {
      if (unsafe || type === 'SubLink') return false;
      if (type !== 'FuncCall' || !f.over) return undefined;
      // OVER w, OVER (w ORDER BY ..): the named window's PARTITION BY
      if (!(windowPartitionClause(f, s) ?? []).some(isColumn)) unsafe = true;
      return undefined;
    });
    return !unsafe;
  }

  /** The constants a column's class has in a block: `{ values }`, 'false' for a contradiction, undefined for none. */
  private classValues(block: QueryLevel, key: string): { values: string[] } | 'false' | undefined {
    const uf = this.ufOf(block);
    const cls = uf.find(key);
    let single: string[] | undefined;
    const ors: (string[] | null)[] = [];
    for (const [level, filters] of this.constantsCache()) {
      if (this.blockOf(level) !== block) continue;
      for (const f of filters) {
        if (uf.find(f.key) !== cls) continue;
        // an IN list (a ScalarArrayOpExpr) or an OR restricts its own column only: equivalence classes carry equalities
        if (f.values.length !== 1 || f.all) {
          if (f.key === key) ors.push(f.all ? null : f.values);
          continue;
        }
        single = single ? (single.includes(f.values[0]) ? single : [...single, f.values[0]]) : [f.values[0]];
      }
    }
    // a PL/pgSQL or psql variable pins the column to one (unknown) value
    for (const f of this.host.qm.constFilters) {
      if (f.origin.kind !== 'column' || this.blockOf(f.level) !== block || uf.find(colKey(f.origin.rel, f.origin.column)) !== cls) continue;
      // an outer join's ON clause: a constant on the nullable side restricts that side's join rows only, one on the
      // preserved side restricts nothing
      if (f.outer && !(f.nullable && colKey(f.origin.rel, f.origin.column) === key)) continue;
      if (!single) single = [`$${cls}`];
    }
    if (single && single.length > 1) return 'false';
    const values = shardPruneValues(single?.[0], ors);
    return values ? { values } : undefined;
  }

  /** `col = const`, `col IN (consts)`, `col = ANY (ARRAY[consts])` conjuncts of every level's WHERE. */
  private constantsCache(): Map<QueryLevel, { key: string; values: string[]; all?: boolean }[]> {
    if (this.shared.constants) return this.shared.constants;
    const out = new Map<QueryLevel, { key: string; values: string[]; all?: boolean }[]>();
    for (const level of this.host.qm.levels) {
      const list: { key: string; values: string[]; all?: boolean }[] = [];
      // the WHERE, and the ON clauses of inner joins (a restriction of the join's relations like the WHERE's)
      for (const c of [...conjuncts(level.select.whereClause), ...innerJoinQuals(level.select.fromClause)]) {
        if (negationFolded(c).BoolExpr) {
          list.push(...this.treePins(c, level));
          continue;
        }
        const pin = this.pinOf(c, level, 0);
        if (pin) list.push(pin);
      }
      out.set(level, list);
    }
    this.shared.constants = out;
    return out;
  }

  /** A constant-false conjunct in the level's WHERE (`false`, `1 = 0`): every relation of the level prunes away. */
  private falseAt(level: QueryLevel): boolean {
    let found = (this.shared.falses ??= new Map()).get(level);
    if (found === undefined) (this.shared.falses ??= new Map()).set(level, (found = this.computeFalseAt(level)));
    return found;
  }

  private computeFalseAt(level: QueryLevel): boolean {
    // a pseudoconstant qual is a join qual of its query's whole FROM clause; with a single FROM item that
    // is a subquery PostgreSQL cannot pull up, it is that item's restriction and empties it
    // (relation_excluded_by_constraints): its relations are never planned
    const up = (l: QueryLevel): QueryLevel | undefined => {
      if ((l.role === 'from' && isSimpleSubquery(l)) || this.inlinedInto(l)) return l.parent;
      if (l.role === 'from' && l.parent && l.parent.items.length === 1 && !l.parent.children.some((c) => c.role === 'sublink' && sublinkKind(c) === 'semi')) return l.parent;
      return undefined;
    };
    for (let l: QueryLevel | undefined = level; l; l = up(l)) {
      if (conjuncts(l.select.whereClause).some(isConstantFalse) || falseHaving(l)) return true;
    }
    const block = this.blockOf(level);
    return this.contradictionIn(block) || this.innerFalse(block);
  }

  /**
   * A constant-false WHERE in a subquery PostgreSQL pulls up into an inner-join block (a simple FROM
   * subquery, a semi-join sublink) is a pseudoconstant qual of the whole block: every relation of it prunes.
   */
  private innerFalse(block: QueryLevel): boolean {
    let found = (this.shared.innerFalses ??= new Map()).get(block);
    if (found !== undefined) return found;
    // (distribute_qual_to_rels: a pseudoconstant qual goes to the top of the join tree unless it is below the nullable
    // side of an outer join, where it empties that side only)
    const levels = this.host.qm.levels.filter((l) => this.blockOf(l) === block);
    found = levels.some((l) => l !== block && conjuncts(l.select.whereClause).some(isConstantFalse) && !belowNullableSide(l, block));
    (this.shared.innerFalses ??= new Map()).set(block, found);
    return found;
  }

  /**
   * Two different constants for one equivalence class of a block (`kind = 'buy' AND kind = 'view'`, on
   * any column): PostgreSQL folds the implied `'buy' = 'view'` into a constant-false qual and Citus prunes
   * every relation of the block (generate_base_implied_equalities_const, ContainsFalseClause).
   */
  private contradictionIn(block: QueryLevel): boolean {
    let found = (this.shared.contradictions ??= new Map()).get(block);
    if (found !== undefined) return found;
    const uf = this.ufOf(block);
    const seen = new Map<string, string>();
    found = false;
    for (const [level, filters] of this.constantsCache()) {
      if (this.blockOf(level) !== block) continue;
      for (const f of filters) {
        if (f.values.length !== 1) continue;
        const cls = uf.find(f.key);
        const prev = seen.get(cls);
        if (prev !== undefined && prev !== f.values[0]) found = true;
        seen.set(cls, f.values[0]);
      }
    }
    (this.shared.contradictions ??= new Map()).set(block, found);
    return found;
  }

  /** The shard a distributed relation prunes to: 'none' (pruned away), a shard key, or 'many'. */
  private shardOf(rel: RelOcc): 'none' | 'many' | string {
    let shard = (this.shared.shards ??= new Map()).get(rel);
    if (shard === undefined) (this.shared.shards ??= new Map()).set(rel, (shard = this.computeShardOf(rel)));
    return shard;
  }

  private constrainedDomain(table: TableModel, column: string): boolean {
    const col = table.columns.find((c) => c.name === column);
    const domain = col?.domain ? this.host.model.domains.get(col.domain) : undefined;
    return !!domain && (domain.notNull || domain.checks.length > 0);
  }

  /** A hash-distributed table of one shard (`citus.shard_count = 1`): every query of it prunes to that shard. */
  private oneShard(rel: RelOcc): boolean {
    return rel.table.kind === 'hash' && (rel.table.shardCount ?? this.host.model.defaultShardCount) === 1;
  }

  private computeShardOf(rel: RelOcc): 'none' | 'many' | string {
    if (rel.table.kind === 'single_shard') return this.falseAt(rel.level) ? 'none' : `g${rel.table.colocationId}`;
    const pinned = this.pinnedValues(rel);
    if (pinned === 'false') return 'none';
    if (!pinned) return this.oneShard(rel) ? `g${rel.table.colocationId}:0` : 'many';
    if (pinned.values.length === 0) return 'none';
    const type = hashTypeOf(rel.table.columns.find((c) => c.name === rel.table.distributionColumn), this.host.model.domains);
    const count = rel.table.shardCount ?? this.host.model.defaultShardCount;
    const shards = new Set(pinned.values.map((v) => {
      const h = distributionHash(type, v);
      return h === undefined ? `v${v}` : String(shardIndex(h, count));
    }));
    return shards.size === 1 ? `g${rel.table.colocationId}:${[...shards][0]}` : 'many';
  }

  /**
   * CreateRouterPlan: every distributed table of the query prunes to at most one shard, and those shards
   * are colocated; local and citus-local tables only without distributed ones; no nextval() with Citus
   * tables (DeferErrorIfUnsupportedRouterPlannableSelectQuery, PlanRouterQuery).
   */
  routerPlannable(level: QueryLevel, withCtes: boolean): boolean {
    const rels = this.liveRels(level, withCtes);
    // a relation PostgreSQL's join removal takes out is not among the relations Citus prunes (./joinRemoval.ts); its
    // kind still counts (DeferErrorIfUnsupportedRouterPlannableSelectQuery reads the query's range table)
    const removed = this.removedRels();
    let distributed = false;
    let local = false;
    let citus = false;
    let keyed = false;
    // SELECT .. FOR UPDATE of a distributed table with replicated shards (`SELECT FOR UPDATE with table replication
    // factor > 1 not supported for non-reference tables`; the logical planner then refuses the FOR UPDATE)
    const forUpdate = !!level.select.lockingClause?.length;
    for (const r of rels) {
      const t = r.table;
      if (isDistributed(t)) {
        if (t.kind === 'append') return false;
        if (forUpdate && t.colocationId !== undefined && (this.host.model.groups.get(t.colocationId)?.replicationFactor ?? 1) > 1) return false;
        distributed = true;
        if (hasDistributionKey(t) && !removed.has(r) && !this.oneShard(r)) keyed = true;
      }
      if (this.isLocalRel(r)) local = true;
      else if (isCitusTable(t)) citus = true;
    }
    if (local && distributed) return false;
    // a hash-distributed table prunes to one shard only by a constant (or a false filter) somewhere
    if (keyed && !this.mayPin()) return false;
    // the range table walk includes the CTEs, data-modifying ones too
    if (withCtes && !citus) {
      for (const c of this.ctesOf(level)) {
        const t = c.query?.SelectStmt ? undefined : this.host.dmlCteTable(c);
        if (t && isCitusTable(t) && t.kind !== 'citus_local') citus = true;
      }
    }
    // the target list includes the resjunk entries of ORDER BY, GROUP BY, DISTINCT ON and windows, and in
    // the fallback the nextval() of a sequence default the INSERT leaves to its SELECT
    if (citus && (this.levelHasNextval(level) || (this.moveInsertCtes && level === this.root && this.host.insertAddsNextval()))) return false;
    let shard: string | undefined;
    // citus.enable_non_colocated_router_query_pushdown: one shard per table is enough, of any colocation group (the
    // shards must then share a node, which the placements decide: not followed; AllShardsColocated in PlanRouterQuery)
    const anyGroup = this.host.model.settings.get('citus.enable_non_colocated_router_query_pushdown') === 'on';
    for (const r of rels) {
      if (!isDistributed(r.table) || removed.has(r)) continue;
      const s = this.shardOf(r);
      if (s === 'many') return false;
      if (s === 'none') continue;
      // one shard of one colocation group for all
      if (shard === undefined) shard = s;
      else if (shard !== s && !anyGroup) return false;
    }
    return true;
  }

  /** The relations PostgreSQL's left-join removal takes out of the statement's plan. */
  private removedRels(): Set<RelOcc> {
    return (this.shared.removed ??= removedRels(this.host.qm.levels, (col, l) => this.host.resolveOrigin(col, l)));
  }

  /**
   * The column a qual pins and its constants: `col = const`, `col IN (consts)`, `col = ANY (ARRAY[consts])`,
   * and an OR of those over one column (shard_pruning.c prunes each arm and unites the shards).
   */
  private pinOf(given: PgNode, level: QueryLevel, depth: number): { key: string; values: string[] } | undefined {
    const c = negationFolded(given);
    if (c.BoolExpr) return undefined;
    // `col IN (SELECT 1)`: PostgreSQL pulls the FROM-less subquery up into `col = 1`
    const sl = c.SubLink;
    if (sl?.subLinkType === 'ANY_SUBLINK' && stripCast(sl.testexpr)?.ColumnRef) {
      const sub = sl.subselect?.SelectStmt;
      const v = sub && !sub.fromClause?.length && (!sub.op || sub.op === 'SETOP_NONE') && sub.targetList?.length === 1 ? pinText(sub.targetList[0].ResTarget?.val) : undefined;
      if (v === undefined) return undefined;
      const o = this.host.resolveOrigin(stripCast(sl.testexpr)!, level);
      return o.kind === 'column' ? { key: colKey(o.rel, o.column), values: [v] } : undefined;
    }
    const e = c.A_Expr;
    if (!e) return undefined;
    const op = nameList(e.name).join('');
    let col: PgNode | undefined;
    let values: (string | undefined)[] | undefined;
    // the column itself, or under a cast PostgreSQL drops (to its own type): a conversion to another type is an
    // expression that prunes nothing (checked on Citus 13.2.2: `tenant_id::bigint = 5` runs on every shard)
    const column = (n: PgNode | undefined): PgNode | undefined => {
      const inner = stripCast(n);
      if (!inner?.ColumnRef) return undefined;
      return n === inner || this.host.qm.originOf(n!).kind === 'column' ? inner : undefined;
    };
    if (e.kind === 'AEXPR_OP' && op === '=') {
      const l = column(e.lexpr);
      const r = column(e.rexpr);
      // a one-row VALUES' constant column is that constant (pull_up_simple_values; Citus 13.2.2 prunes by it), and a
      // constant function's (pull_up_constant_function)
      const valuesConstant = (n: PgNode | undefined): string | undefined => {
        const ref = stripCast(n);
        const o = ref?.ColumnRef ? this.host.qm.originOf(ref) : undefined;
        return (o?.kind === 'values' || o?.kind === 'function') && o.constant ? pinText(o.constant) : undefined;
      };
      if (l && pinText(e.rexpr) !== undefined) [col, values] = [l, [pinText(e.rexpr)]];
      else if (r && pinText(e.lexpr) !== undefined) [col, values] = [r, [pinText(e.lexpr)]];
      else if (l && valuesConstant(e.rexpr) !== undefined) [col, values] = [l, [valuesConstant(e.rexpr)]];
      else if (r && valuesConstant(e.lexpr) !== undefined) [col, values] = [r, [valuesConstant(e.lexpr)]];
    } else if (e.kind === 'AEXPR_IN' && op === '=') {
      col = column(e.lexpr);
      // a NULL in the list matches no row (shard pruning leaves it out)
      values = (e.rexpr?.List?.items ?? []).filter((x: PgNode) => !stripCast(x)?.A_Const?.isnull).map((x: PgNode) => pinText(x));
    } else if ((e.kind === 'AEXPR_OP_ANY' || e.kind === 'AEXPR_OP_ALL') && op === '=') {
      // (Citus' SAORestrictions prunes `= ALL (array)` as `= ANY`: it reads the array's values, not useOr; checked on
      // Citus 13.2.2, `tenant_id = ALL ('{1,2}')` runs on two shards)
      col = column(e.lexpr);
      values = (arrayConstantItems(e.rexpr) ?? []).map((x: PgNode) => pinText(x));
    }
    if (!col?.ColumnRef || !values?.length || values.some((v) => v === undefined)) return undefined;
    const o = this.host.resolveOrigin(col, level);
    if (o.kind !== 'column') {
      // (the semantic layer's origin of the reference: the class member the equalities name)
      const bound = this.host.qm.originOf(col);
      const key = bound.kind === 'values' || bound.kind === 'function' || bound.kind === 'expr' ? this.classKey(bound) : undefined;
      return key ? { key, values: values as string[] } : undefined;
    }
    // a distribution column of a domain with constraints prunes by a plain `= <constant>` only (its fast path): a
    // constant cast to the domain, an IN list or an ANY array is not coerced, and every shard is read (Citus 13.2.2)
    if (o.column === o.rel.table.distributionColumn && depth === 0 && this.constrainedDomain(o.rel.table, o.column)) {
      const plain = e.kind === 'AEXPR_OP' && [e.lexpr, e.rexpr].some((x: PgNode | undefined) => !!x?.A_Const);
      if (!plain) return undefined;
    }
    return { key: colKey(o.rel, o.column), values: values as string[] };
  }

  /**
   * The constants an AND / OR / NOT conjunct lets each column it mentions have (`{ key, values }`; `all` when some
   * arm leaves the column free), as Citus' shard pruning reads it (shardPruneValues), after PostgreSQL's
   * canonicalize_qual() pushed NOT down (negate_clause(): `NOT (a <> 1 OR a <> 2)` is `a = 1 AND a = 2`).
   */
  private treePins(c: PgNode, level: QueryLevel): { key: string; values: string[]; all?: boolean }[] {
    const keys = new Set<string>();
    const leaves = (n: PgNode, depth: number): void => {
      const b = n.BoolExpr;
      if (b && depth <= 8) for (const a of b.args ?? []) leaves(a, depth + 1);
      else if (!b) {
        // (a `<>` under a NOT is an equality once the NOT is pushed down)
        const pin = this.pinOf(n, level, 1) ?? this.pinOf({ BoolExpr: { boolop: 'NOT_EXPR', args: [n] } }, level, 1);
        if (pin) keys.add(pin.key);
      }
    };
    leaves(c, 0);
    // an OR over the columns of several relations is a join clause, not a restriction of one: PostgreSQL keeps what
    // every arm has in common (process_duplicate_ors(): `(a.k = 1 AND x) OR (a.k = 1 AND y)` is `a.k = 1 AND (x OR
    // y)`), and Citus prunes by nothing else of it (checked on Citus 13.2.2: `(e.k = 1 AND u.x = 3) OR (e.k = 2 AND
    // u.y = 4)` reads every shard)
    const rels = new Set<RelOcc>();
    walk(c, (type, _f, node) => {
      if (type === 'SubLink') return false;
      if (type === 'ColumnRef') {
        const o = this.host.resolveOrigin(node, level);
        if (o.kind === 'column') rels.add(o.rel);
      }
      return undefined;
    });
    const join = rels.size > 1;
    const out: { key: string; values: string[]; all?: boolean }[] = [];
    for (const key of keys) {
      const values = shardPruneTree([c], (leaf) => {
        const pin = this.pinOf(leaf, level, 1);
        return pin?.key === key ? pin.values : undefined;
      });
      if (join && (values === 'false' || values === null || values.length !== 1)) continue;
      out.push(values === 'false' ? { key, values: [] } : values === null ? { key, values: [], all: true } : { key, values });
    }
    return out;
  }

  /** Whether any WHERE of the statement has a constant filter, an IN list or a false conjunct (syntactically). */
  private mayPin(): boolean {
    let found = this.shared.mayPin;
    if (found !== undefined) return found;
    found = this.host.qm.constFilters.length > 0;
    // (a function in FROM PostgreSQL pulls up as a constant, joined on a column)
    if (!found) found = this.host.qm.levels.some((l) => l.items.some((it) => it.kind === 'function' && it.constant));
    for (const l of this.host.qm.levels) {
      if (found) break;
      if (falseHaving(l)) found = true;
      for (const given of [...conjuncts(l.select.whereClause), ...innerJoinQuals(l.select.fromClause)]) {
        const c = negationFolded(given);
        const e = c.A_Expr;
        if (isConstantFalse(c) || !!c.BoolExpr || c.SubLink?.subLinkType === 'ANY_SUBLINK' || (e && (e.kind === 'AEXPR_IN' || e.kind === 'AEXPR_OP_ANY' || e.kind === 'AEXPR_OP_ALL' || (e.kind === 'AEXPR_OP' && (pinText(e.lexpr) !== undefined || pinText(e.rexpr) !== undefined))))) {
          found = true;
          break;
        }
      }
    }
    this.shared.mayPin = found;
    return found;
  }

  /** nextval() in a level's target list, its resjunk entries (ORDER BY, GROUP BY, DISTINCT ON, windows) included. */
  private levelHasNextval(level: QueryLevel): boolean {
    let found = (this.shared.nextvals ??= new Map()).get(level);
    if (found === undefined) {
      const sel = level.select;
      (this.shared.nextvals ??= new Map()).set(level, (found = hasNextval([sel.targetList, sel.sortClause, sel.groupClause, sel.distinctClause, sel.windowClause])));
    }
    return found;
  }

  // ---- CreateDistributedPlan -------------------------------------------------------------------------

  /** The query of `level`, planned as CreateDistributedPlan does: router, recursive planning, router again or logical. */
  planQuery(level: QueryLevel, depth0 = true, notRouter = false): SelectPlan {
    const hadCtes = this.ctesOf(level).some((c) => !this.isInlined(c));
    // a data-modifying CTE goes with a router query when it modifies one shard; else it is a subplan of its own
    const dmlCtes = this.ctesOf(level).filter((c) => !c.query?.SelectStmt);
    const router = !notRouter && this.routerPlannable(level, true);
    if (router && this.dmlCtesOnShardOf(level, dmlCtes)) return { kind: 'router' };
    for (const cte of dmlCtes) {
      const dml = this.host.dmlCteError(cte);
      if (dml) return { kind: 'error', error: dml };
    }
    if (router && !dmlCtes.length) return { kind: 'router' };
    const before = this.subplanCount;
    this.allKeysEqualWhole = this.allKeysEqual(level, true);
    const err = this.recurse(level, depth0 ? 0 : 1);
    if (err) return { kind: 'error', error: err };
    const subplans = this.subplanCount > before;
    if ((subplans || hadCtes) && this.routerPlannable(level, false)) return { kind: 'router' };
    return this.logical(level);
  }

  /** Every data-modifying CTE writes one shard, the one the router query's distributed tables prune to (if any). */
  dmlCtesOnShardOf(level: QueryLevel, dmlCtes: CteDef[]): boolean {
    const shards = dmlCtes.map((c) => this.host.dmlCteShard(c));
    if (shards.some((x) => x === undefined)) return false;
    const groups = new Set(this.liveRels(level, true).filter((r) => isDistributed(r.table)).map((r) => this.shardOf(r)).filter((x) => x !== 'none'));
    // (a CTE on a shard the model cannot name goes with a query that reads no other shard only)
    if (shards.includes('alone') && (groups.size > 0 || shards.length > 1)) return false;
    for (const x of shards) if (x !== 'any' && x !== 'alone') groups.add(x!);
    // a value the model only knows as pinned (a variable, a constant in an ON clause): its colocation group decides
    const known = [...groups].filter((g) => !/^g[^:]*:v/.test(g));
    const group = (g: string): string => g.split(':')[0];
    return new Set(known).size <= 1 && new Set([...groups].map(group)).size <= 1;
  }

  /** A subquery that became a subplan is planned on its own (CreateDistributedSubPlan): its errors are the statement's. */
  private planSubplan(level: QueryLevel): PlanFailure | undefined {
    const saved = this.allKeysEqualWhole;
    const plan = this.planQuery(level, true);
    this.allKeysEqualWhole = saved;
    this.planned.add(level);
    return plan.error ?? this.columnlessSubplan(level);
  }

  /**
   * A subplan of no columns (`EXISTS (SELECT FROM t WHERE ..)`, `(SELECT FROM t LIMIT 5) s`): its intermediate result
   * is read back as a function returning `record` with an empty column list, which the worker refuses when the
   * statement runs (EXPLAIN shows the plan). Checked on Citus 13.2.2.
   */
  private columnlessSubplan(level: QueryLevel): PlanFailure | undefined {
    const s = level.select;
    if (s.targetList?.length || level.setOp || !level.items.length) return undefined;
    return this.host.failure('subquery-blocks-pushdown', { level: 'ERROR', message: 'a column definition list is required for functions returning "record"' }, this.host.pos.nodeRange(s), 'subquery without columns planned on its own');
  }

  /** RecursivelyPlanSubqueriesAndCTEs for one query level (bottom-up). */
  private recurse(level: QueryLevel, depth: number): PlanFailure | undefined {
    // RecursivelyPlanCTEs
    const ctes = this.ctesOf(level).filter((c) => !this.isInlined(c));
    if (ctes.some((c) => c.recursive)) {
      const cte = ctes.find((c) => c.recursive)!;
      return this.host.failure('subquery-blocks-pushdown', { level: 'ERROR', message: 'recursive CTEs are only supported when they contain a filter on the distribution column' }, this.host.pos.nameRange(cte.location), 'recursive CTE');
    }
    for (const cte of ctes) {
      const dml = this.host.dmlCteError(cte);
      if (dml) return dml;
      // a data-modifying CTE runs first, on its own (generating subplan .. for CTE ..: UPDATE ..)
      if (!cte.query?.SelectStmt && this.host.dmlCteTable(cte)) this.dmlPlanned++;
      if (!cte.level || this.planned.has(cte.level)) continue;
      if (cte.refCount === 0) continue;
      const err = this.planSubplan(cte.level);
      if (err) return err;
    }
    // WrapFunctionsInSubqueries: in a query of two range-table entries or more, a function in FROM becomes a subquery,
    // planned on its own unless the function is IMMUTABLE (`generating subplan .. for subquery SELECT v FROM f(3) v(v)`)
    if (level.items.length >= 2) {
      for (const item of level.items) if (item.kind === 'function' && item.wrappable && !item.immutable) this.functionsPlanned.add(item);
    }
    // the subqueries, bottom-up
    for (const sub of this.subqueriesOf(level)) {
      if (this.planned.has(sub)) continue;
      const err = this.recurse(sub, depth + 1);
      if (err) return err;
      if (this.shouldRecursivelyPlan(sub) && !sub.correlated) {
        const e = this.planSubplan(sub);
        if (e) return e;
      }
    }
    // set operations
    if (level.setOp && this.shouldPlanSetOperation(level, depth)) {
      for (const leaf of level.setOp.leaves) {
        if (this.planned.has(leaf) || leaf.correlated || !this.hasDistributedRel(leaf)) continue;
        const e = this.planSubplan(leaf);
        if (e) return e;
      }
    }
    // sublinks in HAVING are all planned (RecursivelyPlanAllSubqueries)
    for (const sub of level.children) {
      if (sub.role !== 'sublink' || this.planned.has(sub) || !this.inClause(sub, level.select.havingClause) || !this.hasCitusRel(sub)) continue;
      if (sub.correlated) return this.host.failure('subquery-blocks-pushdown', { level: 'ERROR', message: 'Subqueries in HAVING cannot refer to outer query' }, this.host.pos.nodeRange(sub.select), 'correlated subquery in HAVING');
      const e = this.planSubplan(sub);
      if (e) return e;
    }
    // PG15: outer joins with pseudoconstant quals (ShouldRecursivelyPlanOuterJoins)
    const pseudo = this.pseudoconstantOuterJoin(level);
    if (pseudo) return pseudo;
    // non-colocated subqueries
    if (!this.allKeysEqualWhole && this.containsSubquery(level) && !this.liveRels(level).some((r) => this.isLocalRel(r)) && !this.keysEqual(this.liveRels(level))) {
      const e = this.planNonColocated(level);
      if (e) return e;
    }
    // local tables joined with distributed or reference ones
    this.planLocalTableJoins(level);
    // outer joins whose outer side recurs
    const oj = this.planRecurringOuterJoins(level);
    if (oj) return oj;
    // sublinks of a query whose FROM clause recurs
    if (!level.items.some((it) => this.itemHasDistributed(it)) && !level.setOp) {
      for (const sub of level.children) {
        if (sub.role !== 'sublink' || this.planned.has(sub) || sub.correlated || !this.hasCitusRel(sub)) continue;
        const e = this.planSubplan(sub);
        if (e) return e;
      }
    }
    return undefined;
  }

  private itemHasDistributed(item: FromItem): boolean {
    if (item.kind === 'rel') return !this.wrapped.has(item.rel) && isDistributed(item.rel.table);
    const l = this.itemLevel(item);
    return !!l && !this.planned.has(l) && this.hasDistributedRel(l);
  }

  /** ShouldRecursivelyPlanSubquery */
  private shouldRecursivelyPlan(sub: QueryLevel): boolean {
    // a local table or materialized view in its range table: planned as a subplan (the check falls through)
    // (a local table the level joined with a distributed one was wrapped into an intermediate result there first: it is
    // no longer a local table of the range table)
    if (sub.rels.some((r) => !this.wrapped.has(r) && (this.isLocalRel(r) || r.table.kind === 'matview'))) return true;
    if (!this.host.pushdownFailureOf(sub, this)) {
      // (AllDistributionKeysInSubqueryAreEqual: a UNION subquery's keys are equal when its leaves are aligned,
      // SafeToPushdownUnionSubquery; checked on Citus 13.2.2)
      return !this.allKeysEqualWhole && !this.allKeysEqual(sub, true);
    }
    return true;
  }

  /** ShouldRecursivelyPlanSetOperation */
  private shouldPlanSetOperation(level: QueryLevel, depth: number): boolean {
    const op = level.setOp!;
    if (depth === 0) return true;
    // (DeferErrorIfUnsupportedUnionQuery: an INTERSECT or EXCEPT anywhere in the tree, `(a EXCEPT b) UNION c`)
    if (op.op !== 'UNION' || !op.allUnion) return true;
    for (const leaf of op.leaves) {
      if (this.planned.has(leaf)) return true;
      const first = leaf.items[0];
      if (!first) return true;
      if (first.kind === 'rel' && first.rel.table.kind === 'reference') return true;
      if (first.kind === 'function' || first.kind === 'values') return true;
      if (this.isIntermediate(first)) return true;
    }
    // (SafeToPushdownUnionSubquery reads the planner's restrictions: a union whose join PostgreSQL removed has none, and
    // passes whatever its columns: `users u LEFT JOIN (SELECT tenant_id FROM events UNION SELECT user_id FROM users) s ON
    // u.tenant_id = s.tenant_id`, nothing of s read, is pushed down; checked on Citus 13.2.2)
    const rels = this.host.qm.rels.filter((r) => within(r.level, level));
    if (level.role === 'from' && rels.length > 0 && rels.every((r) => this.removedRels().has(r))) return false;
    if (this.outerJoinBesideFlattenedUnion(level)) return true;
    return !this.host.unionAligned(level, this.planned);
  }

  /**
   * SafeToPushdownUnionSubquery's PartitionColumnSelectedForOuterJoin, for a UNION ALL in FROM that PostgreSQL flattens
   * into its parent (pull_up_simple_union_all: no ORDER BY, LIMIT or WITH of its own; a simple leaf's table then joins
   * the parent's range table). The union's join restrictions are those of every planner info holding one of its
   * tables: the parent's, whose LEFT and RIGHT joins then count. A kept one whose preserved side holds a table (not the
   * union: an appendrel is no relation) asks for that table's distribution column in the union's target list, which it
   * cannot be: the union is planned recursively (`users u LEFT JOIN (SELECT tenant_id FROM events UNION ALL SELECT
   * tenant_id FROM users) s ON ..`, and a LEFT JOIN beside the union too). Checked on Citus 13.2.2.
   */
  private outerJoinBesideFlattenedUnion(level: QueryLevel): boolean {
    const parent = level.parent;
    const op = level.setOp;
    if (!parent || level.role !== 'from' || !op || op.op !== 'UNION' || !op.all || !op.allUnion || !parent.outerJoins.length) return false;
    const s = level.select;
    if (s.sortClause?.length || s.limitCount || s.limitOffset || s.withClause) return false;
    if (!op.leaves.some((leaf) => isSimpleSubquery(leaf) && leaf.rels.length > 0)) return false;
    const removed = this.removedRels();
    const table = (it: FromItem): boolean => (it.kind === 'rel' && !removed.has(it.rel)) || (it.kind === 'subquery' && !it.level.setOp && isSimpleSubquery(it.level) && it.level.rels.some((r) => !removed.has(r)));
    // (a join PostgreSQL removes builds no join restriction: `LEFT JOIN events_view c ON b.tenant_id = c.tenant_id AND
    // b.id = c.id`, the view pulled up and unique by its table's key, is gone on the cluster)
    for (const [j, t] of this.reducedJoinTypes(parent, this.joinTree(parent))) {
      if (j.kind !== 'join' || (t !== 'LEFT' && t !== 'RIGHT')) continue;
      const [preserved, nullable] = t === 'LEFT' ? [j.left, j.right] : [j.right, j.left];
      if (!this.sideRemoved(nullable) && joinItems(preserved).some(table)) return true;
    }
    return false;
  }

  /** ContainsSubquery: a subquery in FROM or a sublink in WHERE. */
  private containsSubquery(level: QueryLevel): boolean {
    return level.items.some((it) => it.kind === 'subquery' || (it.kind === 'cte' && this.isInlined(it.cte))) || level.children.some((c) => c.role === 'sublink');
  }

  /** RecursivelyPlanNonColocatedSubqueries: plan the FROM subqueries and WHERE sublinks not joined with the anchor. */
  private planNonColocated(level: QueryLevel): PlanFailure | undefined {
    // AnchorRte: the first distributed relation, else the first subquery with a distributed table (no set operation)
    let anchor: RelOcc[] | undefined;
    for (const item of level.items) {
      if (item.kind === 'rel' && !this.wrapped.has(item.rel) && isDistributed(item.rel.table)) {
        anchor = [item.rel];
        break;
      }
      const l = this.itemLevel(item);
      if (!anchor && l && !this.planned.has(l) && !l.setOp && !this.unionSubquery(l) && this.hasDistributedRel(l)) anchor = this.liveRels(l);
    }
    if (!anchor) return undefined;
    const candidates: QueryLevel[] = [];
    for (const item of level.items) {
      const l = this.itemLevel(item);
      if (l && !this.planned.has(l)) candidates.push(l);
    }
    for (const c of level.children) if (c.role === 'sublink' && !this.planned.has(c) && this.inWhere(c, level)) candidates.push(c);
    for (const sub of candidates) {
      const rels = this.liveRels(sub);
      if (rels.length === 0) continue;
      if (this.keysEqual([...new Set([...anchor, ...rels])])) continue;
      if (sub.correlated) continue;
      const e = this.planSubplan(sub);
      if (e) return e;
    }
    return undefined;
  }

  /** Whether a sublink of the level sits in its WHERE clause (SublinkListFromWhere). */
  private inWhere(sub: QueryLevel, level: QueryLevel): boolean {
    return this.inClause(sub, level.select.whereClause);
  }

  private inClause(sub: QueryLevel, clause: PgNode | undefined): boolean {
    let found = false;
    walk(clause, (type, f) => {
      if (type === 'SubLink' && f.subselect?.SelectStmt === sub.select) found = true;
    });
    return found;
  }

  /**
   * RecursivelyPlanLocalTableJoins (citus.local_table_join_policy = auto, the default): local and citus-local tables of
   * a level that also reads distributed or reference tables are wrapped into subqueries and planned, unless
   * every distributed table of the level has a constant filter on a unique column (then those are).
   */
  private planLocalTableJoins(level: QueryLevel): void {
    const direct = level.rels.filter((r) => !this.wrapped.has(r));
    const local = direct.filter((r) => this.isLocalRel(r) || r.table.kind === 'matview');
    if (!local.length) return;
    const others = direct.filter((r) => isCitusTable(r.table) && r.table.kind !== 'citus_local');
    // the range table only: FROM subqueries count (ContainsLocalTableDistributedTableJoin), sublinks do not
    const subqueryCitus = level.items.some((it) => {
      const s = this.itemLevel(it);
      return !!s && !this.planned.has(s) && this.liveRels(s).some((r) => isCitusTable(r.table) && r.table.kind !== 'citus_local');
    });
    if (!others.length && !subqueryCitus) return;
    // citus.local_table_join_policy: never converts nothing (the join is then refused), prefer-local converts the
    // local tables, prefer-distributed the distributed and reference ones (GetConversionChoice)
    const policy = this.host.model.settings.get('citus.local_table_join_policy') ?? 'auto';
    if (policy === 'never') return;
    const convertDistributed = others.length > 0 && (policy === 'prefer-distributed' || (policy !== 'prefer-local' && others.every((r) => this.constantOnUniqueKey(r))));
    for (const r of convertDistributed ? others : local) this.wrapped.add(r);
  }

  private constantOnUniqueKey(rel: RelOcc): boolean {
    const keys = [rel.table.primaryKey, ...rel.table.uniqueKeys].filter((k): k is string[] => !!k?.length);
    if (!keys.length) return false;
    const uf = this.host.equivalence();
    const pinned = new Set<string>();
    for (const list of this.constantsCache().values()) for (const f of list) if (f.values.length === 1) pinned.add(uf.find(f.key));
    return keys.some((k) => k.every((c) => pinned.has(uf.find(colKey(rel, c)))));
  }

  /** A Distributed queries with outer joins and pseudoconstant quals ... error (PG15/16). */
  private pseudoconstantOuterJoin(level: QueryLevel): PlanFailure | undefined {
    if (!level.outerJoins.length) return undefined;
    // with a third relation, PostgreSQL forms the outer join below the join that carries the qual, and
    // Citus sees it there (hasOuterJoin)
    // (semi-joined sublinks are relations of the join tree too)
    const levels = this.flattened(level);
    for (const l of [...levels]) for (const c of l.children) if (c.role === 'sublink' && !this.planned.has(c) && sublinkKind(c) === 'semi') levels.push(...this.flattened(c));
    const baseItems = levels.flatMap((l) => l.items.filter((it) => !this.itemLevel(it) || this.planned.has(this.itemLevel(it)!) || !isSimpleSubquery(this.itemLevel(it)!)));
    if (baseItems.length > 2) return undefined;
    // the flag is read from the relations' planner infos: a query without a relation of its own (only
    // subqueries and intermediate results) has none that carries it
    if (!baseItems.some((it) => it.kind === 'rel' && !this.wrapped.has(it.rel))) return undefined;
    const pseudo = (c: PgNode): PlanFailure =>
      this.host.failure(
        'reference-outer-join',
        { level: 'ERROR', message: 'Distributed queries with outer joins and pseudoconstant quals are not supported in PG15 and PG16.', detail: 'PG15 and PG16 disallow replacing joins with scans when the query has pseudoconstant quals', hint: 'Consider upgrading your PG version to PG17+' },
        this.host.pos.nodeRange(c),
        'outer join with a constant filter',
      );
    // a false WHERE, or two constants for one equivalence class (their implied equality folds to false)
    const falseConjunct = conjuncts(level.select.whereClause).find(isConstantFalse);
    if (falseConjunct) return pseudo(falseConjunct);
    if (this.contradictionIn(this.blockOf(level)) && level.select.whereClause) return pseudo(level.select.whereClause);
    for (const c of conjuncts(level.select.whereClause)) {
      if (c.A_Const) continue;
      if (referencesColumns(c, level)) continue;
      // pseudoconstant: no column of this level, no volatile function (a sublink or a stable function is fine)
      let mutableOrSublink = false;
      walk(c, (type, f) => {
        if (type === 'SubLink' || type === 'SQLValueFunction') mutableOrSublink = true;
        if (type === 'FuncCall' && f.funcname) mutableOrSublink = true;
      });
      if (!mutableOrSublink || this.host.volatileIn(c)) continue;
      return pseudo(c);
    }
    return undefined;
  }

  // ---- outer joins with a recurring outer side (RecursivelyPlanRecurringTupleOuterJoinWalker) -------

  private joinTree(level: QueryLevel): JoinNode {
    return joinTreeOf(level);
  }

  private leafRecurs(item: FromItem): boolean {
    if (item.kind === 'rel') return this.wrapped.has(item.rel) || !isDistributed(item.rel.table);
    if (item.kind === 'function' || item.kind === 'values' || item.kind === 'unknown') return true;
    const l = this.itemLevel(item);
    if (!l || this.planned.has(l)) return true;
    return !this.hasDistributedRel(l);
  }

  private planRecurringOuterJoins(level: QueryLevel): PlanFailure | undefined {
    if (!level.outerJoins.length || !(this.shared.keptOuterJoin ??= this.host.qm.levels.some((l) => this.keepsOuterJoin(l)))) return undefined;
    let error: PlanFailure | undefined;
    const planNode = (n: JoinNode): void => {
      if (n.kind === 'join') {
        planNode(n.left);
        planNode(n.right);
        return;
      }
      if (n.kind !== 'leaf' || this.leafRecurs(n.item)) return;
      const item = n.item;
      if (item.kind === 'rel') this.wrapped.add(item.rel);
      else {
        const l = this.itemLevel(item);
        if (l && !l.correlated && !error) error = this.planSubplan(l);
      }
    };
    const visit = (n: JoinNode, chained: boolean): boolean => {
      if (n.kind === 'list') {
        for (const it of n.items) visit(it, false);
        return false;
      }
      if (n.kind === 'leaf') return this.leafRecurs(n.item);
      let l = visit(n.left, true);
      let r = visit(n.right, true);
      switch (n.type) {
        case 'LEFT':
          if (l && !r) {
            if (chained || !this.canPushdownRecurringOuterJoin(n, 'LEFT', level)) planNode(n.right);
            else l = false;
          }
          return l;
        case 'RIGHT':
          if (!l && r) {
            if (chained || !this.canPushdownRecurringOuterJoin(n, 'RIGHT', level)) planNode(n.left);
            else r = false;
          }
          return r;
        case 'FULL':
          if (l && !r) planNode(n.right);
          else if (!l && r) planNode(n.left);
          return l || r;
        default:
          return l && r;
      }
    };
    visit(this.joinTree(level), false);
    return error;
  }

  /**
   * Citus recursively plans the outer joins of a statement only when PostgreSQL kept one of them (hasOuterJoin, set
   * from the join paths it builds; ShouldRecursivelyPlanOuterJoins). PostgreSQL makes an outer join an inner join
   * when a strict qual above it reads its nullable side (reduce_outer_joins): the WHERE, the ON of an inner join above
   * it, or the ON of an outer join for that join's nullable side. Whether this level keeps one.
   */
  private keepsOuterJoin(level: QueryLevel): boolean {
    if (!level.outerJoins.length) return false;
    // (a LEFT JOIN PostgreSQL removes, remove_useless_joins, builds no join path either)
    for (const [j, t] of this.reducedJoinTypes(level, this.joinTree(level))) {
      if (t === 'INNER' || j.kind !== 'join') continue;
      if (t === 'LEFT' && this.sideRemoved(j.right)) continue;
      if (t === 'RIGHT' && this.sideRemoved(j.left)) continue;
      return true;
    }
    return false;
  }

  /** Whether PostgreSQL's join removal takes out a side of a join (all its relations; a function or VALUES never). */
  private sideRemoved(j: JoinNode): boolean {
    const removed = this.removedRels();
    const rels = joinItems(j).flatMap((it) => (it.kind === 'rel' ? [it.rel] : it.kind === 'subquery' ? it.level.rels : [null]));
    return rels.length > 0 && rels.every((r) => r !== null && removed.has(r));
  }

  /** The type each join of the level's tree has after PostgreSQL's reduce_outer_joins (see keepsOuterJoin). */
  private reducedJoinTypes(level: QueryLevel, tree: JoinNode): Map<JoinNode, 'INNER' | 'LEFT' | 'RIGHT' | 'FULL'> {
    return reducedJoinTypesOf(level, tree, (col) => this.host.resolveOrigin(col, level));
  }

  /**
   * DeferredErrorIfUnsupportedRecurringTuplesJoin for outer joins: one PostgreSQL keeps whose outer side recurs and
   * whose inner side still reads a distributed table (the walker could not plan it: a LATERAL subquery reading the
   * outer side), in a query with a lateral subquery; a FULL JOIN with one side recurring. Citus names what the outer
   * side is (RecurringTypeDescription).
   */
  private lateralOuterJoinError(level: QueryLevel): PlanFailure | undefined {
    for (const l of this.flattened(level)) {
      if (!l.outerJoins.length) continue;
      const lateral = l.items.some((it) => it.kind === 'subquery' && it.lateral && !this.planned.has(it.level));
      const tree = this.joinTree(l);
      const types = this.reducedJoinTypes(l, tree);
      const recurs = (j: JoinNode): boolean => joinItems(j).every((it) => this.leafRecurs(it));
      let found: { side: JoinNode } | undefined;
      const visit = (j: JoinNode): void => {
        if (found || j.kind === 'leaf') return;
        if (j.kind === 'list') return j.items.forEach(visit);
        visit(j.left);
        visit(j.right);
        const type = types.get(j) ?? j.type;
        if (found || type === 'INNER') return;
        if (type === 'FULL') {
          if (recurs(j.left) !== recurs(j.right)) found = { side: recurs(j.left) ? j.left : j.right };
          return;
        }
        const [outer, inner] = type === 'LEFT' ? [j.left, j.right] : [j.right, j.left];
        if (lateral && recurs(outer) && !recurs(inner)) found = { side: outer };
      };
      visit(tree);
      if (!found) continue;
      const first = joinItems(found.side)[0];
      const what = this.recurringDescription(first);
      const message = `cannot perform a lateral outer join when a distributed subquery references ${what}`;
      const range = first.kind === 'rel' ? this.host.pos.nameRange(first.rel.location) : first.kind === 'values' || first.kind === 'function' ? this.host.pos.nodeRange(undefined, first.location) : this.host.pos.statementRange();
      return this.host.failure('reference-outer-join', { level: 'ERROR', message }, range, 'lateral outer join from a recurring relation');
    }
    return undefined;
  }

  /** RecurringTypeDescription of a recurring FROM item (FetchFirstRecurType). */
  private recurringDescription(item: FromItem): string {
    switch (item.kind) {
      case 'rel':
        return item.rel.table.kind === 'reference' && !this.wrapped.has(item.rel) ? 'a reference table' : 'complex subqueries, CTEs or local tables';
      case 'function':
        return 'a table function';
      case 'values':
        return 'a VALUES clause';
      case 'subquery': {
        if (this.planned.has(item.level)) return 'complex subqueries, CTEs or local tables';
        const first = item.level.items[0];
        return first ? this.recurringDescription(first) : 'a subquery without FROM';
      }
      default:
        return 'complex subqueries, CTEs or local tables';
    }
  }

  /** CanPushdownRecurringOuterJoin (13.2): a reference table outer-joined on a hash table's distribution column. */
  private canPushdownRecurringOuterJoin(n: { left: JoinNode; right: JoinNode; quals?: PgNode; using: string[]; lateral: boolean }, type: 'LEFT' | 'RIGHT', level: QueryLevel): boolean {
    if (n.left.kind !== 'leaf' || n.right.kind !== 'leaf' || n.lateral) return false;
    if (this.host.model.settings.get('citus.enable_recurring_outer_join_pushdown') === 'off') return false;
    const outer = type === 'LEFT' ? n.left.item : n.right.item;
    const inner = type === 'LEFT' ? n.right.item : n.left.item;
    if (outer.kind !== 'rel' || outer.rel.table.kind !== 'reference' || this.wrapped.has(outer.rel)) return false;
    // the inner side's columns equated to the outer side's: ON a.x = b.y, or USING (x) (PostgreSQL's a.x = b.x)
    const innerColumns: string[] = [...n.using];
    for (const c of conjuncts(n.quals)) {
      const e = c.A_Expr;
      if (!e || e.kind !== 'AEXPR_OP' || nameList(e.name).join('') !== '=') continue;
      const sides = [stripCast(e.lexpr), stripCast(e.rexpr)];
      if (!sides.every((s) => s?.ColumnRef)) continue;
      const quals = sides.map((s) => nameList(s!.ColumnRef.fields));
      // a column written without its table: the FROM item it resolves to
      const owner = (i: number): string | undefined => {
        const q = quals[i];
        if (q.length > 1) return q[q.length - 2];
        const o = this.host.resolveOrigin(sides[i]!, level);
        if (o.kind !== 'column') return undefined;
        return [inner, outer].find((it) => (it.kind === 'rel' && it.rel === o.rel) || (it.kind === 'subquery' && within(o.rel.level, it.level)))?.alias;
      };
      const owners = [owner(0), owner(1)];
      const innerSide = owners.indexOf(inner.alias);
      const outerSide = owners.indexOf(outer.alias);
      if (innerSide < 0 || outerSide < 0 || innerSide === outerSide) continue;
      innerColumns.push(quals[innerSide][quals[innerSide].length - 1]);
    }
    for (const col of innerColumns) {
      if (inner.kind === 'rel') {
        if (inner.rel.table.kind === 'hash' && inner.rel.table.distributionColumn === col) return true;
      } else {
        const l = this.itemLevel(inner);
        const idx = l ? l.targets.findIndex((t) => t.name === col) : -1;
        const t = l && idx >= 0 ? l.targets[idx] : undefined;
        if (t?.expr?.ColumnRef) {
          const o = this.host.resolveOrigin(t.expr, l!);
          if (o.kind === 'column' && o.rel.table.kind === 'hash' && o.rel.table.distributionColumn === o.column) return true;
        }
      }
    }
    return false;
  }

  // ---- MultiLogicalPlanCreate ---------------------------------------------------------------------------

  private logical(level: QueryLevel): SelectPlan {
    const rels = this.liveRels(level);
    const distributed = rels.filter((r) => isDistributed(r.table));
    const bug = this.targetListError(level, distributed.length > 0);
    if (bug) return { kind: 'error', error: bug };
    if (distributed.length === 0) {
      // (a query of reference tables the router planner refused, for a nextval() say, whose sublinks remain, planned on
      // their own or not: the subquery pushdown planner refuses its recurring FROM, `SELECT nextval('s') FROM ref WHERE
      // EXISTS (SELECT 1 FROM ref)`; checked on Citus 13.2.2)
      const recurs = rels.some((r) => isCitusTable(r.table)) && this.usesSubqueryPushdown(level) ? this.fromClauseRecurs(level) : undefined;
      return recurs ? { kind: 'error', error: recurs } : { kind: 'router' };
    }
    const notSupported = this.queryNotSupported(level);
    if (notSupported) return { kind: 'error', error: notSupported };
    if (this.usesSubqueryPushdown(level)) {
      const err = this.subqueryPushdownError(level) ?? this.shardDistributionError(level) ?? this.coordinatorAggregationError(level);
      return err ? { kind: 'error', error: err } : { kind: 'multi' };
    }
    const err = this.joinOrderError(level) ?? (this.repartitionJoin ? undefined : this.coordinatorAggregationError(level));
    return err ? { kind: 'error', error: err } : { kind: 'multi', repartitionJoin: this.repartitionJoin };
  }

  /**
   * MultiLogicalPlanOptimize with citus.coordinator_aggregation_strategy = 'disabled' (the default, row-gather, pulls the
   * rows to the coordinator instead): a query not grouped by a distribution column whose aggregates cannot be computed
   * from the shards' partial results is refused (DeferErrorIfHasNonDistributableAggregates): array_agg and the JSON
   * aggregates with ORDER BY or DISTINCT. Only the level's own target list and HAVING (pull_var_clause); other
   * aggregates (an unknown one, count(DISTINCT ..)) are left to the cluster. Checked on Citus 13.2.2.
   */
  private coordinatorAggregationError(level: QueryLevel): PlanFailure | undefined {
    if (this.host.model.settings.get('citus.coordinator_aggregation_strategy') !== 'disabled') return undefined;
    const s = level.select;
    const groups: PgNode[] = groupingShape(s.groupClause, s.groupDistinct).items;
    if (groups.some((g) => this.isLiveDist(this.host.groupItemOrigin(g, level)))) return undefined;
    let found: { node: PgNode; message: string } | undefined;
    walk([s.targetList, s.havingClause], (type, f, wrapper) => {
      if (found || type === 'SubLink' || type === 'SelectStmt') return false;
      if (type !== 'FuncCall' || f.over || (!f.agg_order?.length && !f.agg_distinct)) return undefined;
      const names = nameList(f.funcname);
      const name = names[names.length - 1]?.toLowerCase();
      if (names.length > 1 && names[0].toLowerCase() !== 'pg_catalog') return undefined;
      if (name === 'array_agg') found = { node: wrapper, message: f.agg_order?.length ? 'array_agg with order by is unsupported' : 'array_agg (distinct) is unsupported' };
      else if (name === 'json_agg' || name === 'jsonb_agg' || name === 'json_object_agg' || name === 'jsonb_object_agg') found = { node: wrapper, message: `${name} ${f.agg_order?.length ? 'with order by' : '(distinct)'} is unsupported` };
      return found ? false : undefined;
    });
    return found ? this.host.failure('aggregate-without-group-by', { level: 'ERROR', message: found.message }, this.host.pos.nodeRange(found.node), 'aggregate Citus cannot merge') : undefined;
  }

  /**
   * Target lists the logical planner cannot rebuild (Citus 13.2 fails in PostgreSQL's planner with
   * "ORDER/GROUP BY expression not found in targetlist"): nextval() in a GROUP BY or DISTINCT ON (the
   * worker query evaluates it apart from the target entry that carries the sort group reference), or in a
   * window's PARTITION BY that is pushed down (it also partitions by the distribution column, or the query
   * reads no hash-distributed table); and a multi-shard aggregate without GROUP BY ordered by a constant
   * column under a LIMIT (the pushed-down limit sorts by a column the worker query does not have).
   */
  private targetListError(level: QueryLevel, multiShard: boolean): PlanFailure | undefined {
    const s = level.select;
    const nextval = this.levelHasNextval(level);
    if (!nextval && !(multiShard && s.limitCount && s.sortClause && !s.groupClause?.length)) return undefined;
    const fail = (rule: string, message: string, node: PgNode, summary: string): PlanFailure => this.host.failure(rule, { level: 'ERROR', message }, this.host.pos.nodeRange(node), summary);
    const notFound = 'ORDER/GROUP BY expression not found in targetlist';
    const nextvalIn = (n: unknown): PgNode | undefined => {
      let found: PgNode | undefined;
      walk(n, (type, f, wrapper) => {
        if (!found && type === 'FuncCall' && nameList(f.funcname).pop() === 'nextval') found = wrapper;
      });
      return found;
    };
    const seq = nextval ? this.nextvalTargetError(level, fail, nextvalIn, notFound) : undefined;
    if (seq) return seq;
    if (multiShard && s.limitCount && !s.groupClause?.length && levelHasAggregates(level)) {
      for (const sb of s.sortClause ?? []) {
        const node = sb.SortBy?.node;
        const pos = constText(node);
        let target: PgNode | undefined;
        if (pos !== undefined && /^\d+$/.test(pos) && !stripCast(node)?.A_Const?.sval) target = s.targetList?.[Number(pos) - 1]?.ResTarget?.val;
        else if (node?.ColumnRef) {
          const name = nameList(node.ColumnRef.fields);
          if (name.length === 1) target = s.targetList?.find((t: PgNode) => t.ResTarget?.name === name[0])?.ResTarget?.val;
        }
        if (target && constText(target) !== undefined) return fail('aggregate-without-group-by', notFound, node, 'ORDER BY a constant of an aggregate');
      }
    }
    return undefined;
  }

  private nextvalTargetError(level: QueryLevel, fail: (rule: string, message: string, node: PgNode, summary: string) => PlanFailure, nextvalIn: (n: unknown) => PgNode | undefined, notFound: string): PlanFailure | undefined {
    const s = level.select;
    const grouped = nextvalIn(s.groupClause) ?? nextvalIn((s.distinctClause ?? []).filter((d: PgNode) => Object.keys(d).length > 0));
    if (grouped) return fail('volatile-function', notFound, grouped, 'nextval() in GROUP BY');
    const windows: PgNode[] = [];
    walk(s.targetList, (type, f) => {
      if (type === 'FuncCall' && f.over) windows.push(f.over.WindowDef ?? f.over);
    });
    for (const w of [...windows, ...(s.windowClause ?? []).map((x: PgNode) => x.WindowDef ?? x)]) {
      const seq = nextvalIn(w.partitionClause);
      if (!seq) continue;
      const rels = this.liveRels(level);
      const hash = rels.some((r) => hasDistributionKey(r.table));
      if (!hash) {
        if (level.items.some((it) => it.kind === 'rel')) return fail('volatile-function', 'cannot handle complex subqueries when the router executor is disabled', seq, 'nextval() in a window');
        return fail('volatile-function', notFound, seq, 'nextval() in a window');
      }
      const byKey = (w.partitionClause ?? []).some((p: PgNode) => {
        const o = this.hostOrigin(p, level);
        return o.kind === 'column' && isDistColumn(o);
      });
      if (byKey) return fail('volatile-function', notFound, seq, 'nextval() in a window');
    }
    return undefined;
  }

  get hasRepartitionJoin(): boolean {
    return this.repartitionJoin;
  }

  /**
   * DeferErrorIfQueryNotSupported (the parts that apply once recursive planning is done). Each condition it finds
   * overwrites the message of the ones before (the last one wins), in Citus' order: FOR UPDATE, grouping sets, a
   * GROUPING() call, local tables. The hint is shown only where ErrorHintRequired allows it.
   */
  private queryNotSupported(level: QueryLevel): PlanFailure | undefined {
    const s = level.select;
    let found: { rule: string; message: string; hint?: string; range: Range; summary: string } | undefined;
    if (s.lockingClause?.length) {
      const range = this.host.pos.textRange(/\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b/i) ?? this.host.pos.statementRange();
      found = { rule: 'subquery-blocks-pushdown', message: MSG.forUpdate, hint: MSG.equalityHint, range, summary: 'FOR UPDATE' };
    }
    const gs = this.host.groupingSets(level);
    if (gs) found = { rule: 'grouping-sets-unsupported', message: MSG.groupingSets, hint: MSG.equalityHint, range: this.host.pos.nodeRange(gs), summary: 'GROUPING SETS' };
    const grouping = this.groupingCallOf(level);
    if (grouping) found = { rule: 'grouping-sets-unsupported', message: MSG.groupingFunc, hint: MSG.equalityHint, range: this.host.pos.nodeRange(grouping), summary: 'GROUPING()' };
    // a subquery in LIMIT or OFFSET (IsNodeSubquery): the multi-shard planner cannot push its value to the shards
    for (const [clause, node] of [['LIMIT', s.limitCount], ['OFFSET', s.limitOffset]] as const) {
      const sub = node ? firstNode(node, 'SubLink') : undefined;
      if (sub) found = { rule: 'subquery-blocks-pushdown', message: `subquery in ${clause} is not supported in multi-shard queries`, range: this.host.pos.nodeRange(sub), summary: `subquery in ${clause}` };
    }
    const local = this.flattened(level).flatMap((l) => l.rels).find((r) => !this.wrapped.has(r) && this.isLocalRel(r));
    if (local) found = { rule: 'local-table-in-select', message: 'direct joins between distributed and local tables are not supported', hint: "Use CTE's or subqueries to select from local tables and use them in joins", range: this.host.pos.nameRange(local.location), summary: 'local table' };
    if (!found) return undefined;
    const hint = found.hint && this.errorHintRequired(level) ? found.hint : undefined;
    return this.host.failure(found.rule, { level: 'ERROR', message: found.message, ...(hint ? { hint } : {}) }, found.range, found.summary);
  }

  /**
   * A GROUPING() call anywhere in the query (DeferErrorIfQueryNotSupported's FindNodeMatchingCheckFunction with
   * IsGroupingFunc walks the whole query tree: FROM subqueries, CTEs, sublinks), except in the subqueries and CTEs
   * planned on their own (their intermediate results replaced them; their own planning checks them).
   */
  private groupingCallOf(level: QueryLevel): PgNode | undefined {
    const planned = new Set<PgNode>([...this.planned].map((l) => l.select));
    let found: PgNode | undefined;
    walk(level.select, (type, fields, wrapper) => {
      if (found || (type === 'SelectStmt' && planned.has(fields))) return false;
      if (type === 'GroupingFunc') {
        found = wrapper;
        return false;
      }
      return undefined;
    });
    return found;
  }

  /**
   * ErrorHintRequired: the equality-filter hint only for queries whose distributed tables are hash-distributed or
   * single-shard ones (reference tables aside) of one colocation group.
   */
  private errorHintRequired(level: QueryLevel): boolean {
    const groups = new Set<number | undefined>();
    for (const r of this.liveRels(level, true)) {
      const t = r.table;
      if (!isCitusTable(t) || t.kind === 'reference') continue;
      if (t.kind !== 'hash' && t.kind !== 'single_shard') return false;
      groups.add(t.colocationId);
    }
    return groups.size <= 1;
  }

  /** The level and the live FROM subqueries PostgreSQL pulls up into it (simple ones: no grouping, LIMIT, ...). */
  private flattened(level: QueryLevel): QueryLevel[] {
    const out = [level];
    for (const item of level.items) {
      const l = this.itemLevel(item);
      if (l && !this.planned.has(l) && isSimpleSubquery(l)) out.push(...this.flattened(l));
    }
    return out;
  }

  /** ShouldUseSubqueryPushDown */
  private usesSubqueryPushdown(level: QueryLevel): boolean {
    for (const l of this.flattened(level)) {
      for (const item of l.items) {
        if (item.kind === 'function' || item.kind === 'values') return true;
        if (this.isIntermediate(item)) return true;
        const sub = this.itemLevel(item);
        if (sub && !this.planned.has(sub) && !isSimpleSubquery(sub)) return true;
      }
      if (l.children.some((c) => c.role === 'sublink' && !this.semiJoinMadeInner(c))) return true;
      if (l.outerJoins.length) return true;
      if (windowPartitionedByDist(l, this)) return true;
    }
    return false;
  }

  /**
   * `col IN (SELECT key FROM ref WHERE ..)` over a reference table's single-column primary or unique key (or an EXISTS
   * correlated by `ref.key = col`): PostgreSQL pulls the sublink up as a semi join and makes it an inner join
   * (reduce_unique_semijoins: the inner side is unique for the join clause), so no JOIN_SEMI reaches Citus' join
   * restriction hook (hasSemiJoin) and the query stays with the join order planner, which broadcasts the reference
   * table (CH-benCHmark's Q20; checked on Citus 13.2.2).
   */
  private semiJoinMadeInner(c: QueryLevel): boolean {
    const type = c.sublink?.type;
    if ((type !== 'ANY_SUBLINK' && type !== 'EXISTS_SUBLINK') || !pulledUpSemiJoin(c) || c.children.length || c.items.length !== 1) return false;
    const item = c.items[0];
    if (item.kind !== 'rel' || item.rel.table.kind !== 'reference' || item.rel.table.keysUncertain) return false;
    const t = item.rel.table;
    const unique = (column: string): boolean => columnKeys(t).some((k) => k.columns.length === 1 && k.columns[0] === column && !deferrableKey(t, k.columns, k.primary));
    if (type === 'ANY_SUBLINK') {
      const target = c.targets.length === 1 ? c.targets[0].expr : undefined;
      const o = target?.ColumnRef ? this.hostOrigin(target, c) : undefined;
      return !!o && o.kind === 'column' && o.rel === item.rel && unique(o.column);
    }
    // EXISTS (SELECT .. FROM ref r WHERE r.key = outer.col ..): the correlation is the join clause
    return this.host.qm.equalities.some((e) => {
      if (e.outer || e.level !== c || e.a.kind !== 'column' || e.b.kind !== 'column') return false;
      for (const [mine, other] of [[e.a, e.b], [e.b, e.a]] as const) if (mine.rel === item.rel && !within(other.rel.level, c) && unique(mine.column)) return true;
      return false;
    });
  }

  /**
   * Pairs of relations of the flattened level that a WHERE or inner-join clause other than a column equality reads
   * together (`mod(s.w * s.i, 10000) = su.key`, `a.x < b.y`): a join clause for Citus 13 (IsJoinClause: columns of
   * two relations), which the join order planner takes (a reference table joins by any clause), so such a clause
   * sends no query to the subquery pushdown planner (DeferErrorIfUnsupportedClause accepts every clause).
   */
  private otherJoinClausePairs(level: QueryLevel): [RelOcc, RelOcc][] {
    const out: [RelOcc, RelOcc][] = [];
    for (const l of this.flattened(level)) {
      const quals: PgNode[] = [...conjuncts(l.select.whereClause)];
      walk(l.select.fromClause, (type, f) => {
        if (type === 'JoinExpr' && f.quals && (f.jointype ?? 'JOIN_INNER') === 'JOIN_INNER') quals.push(...conjuncts(f.quals));
      });
      for (const q of quals) {
        const e = q.A_Expr;
        if (e && e.kind === 'AEXPR_OP' && nameList(e.name).join('') === '=' && stripCast(e.lexpr)?.ColumnRef && stripCast(e.rexpr)?.ColumnRef) continue;
        const rels = [...this.itemsReferenced(q, l)].map((alias) => l.items.find((it) => it.alias === alias)).flatMap((it) => (it?.kind === 'rel' ? [it.rel] : []));
        for (let i = 0; i < rels.length; i++) for (let j = i + 1; j < rels.length; j++) out.push([rels[i], rels[j]]);
      }
    }
    return out;
  }

  private itemsReferenced(expr: PgNode, level: QueryLevel): Set<string> {
    const out = new Set<string>();
    walk(expr, (type, f) => {
      if (type === 'SubLink') return false;
      if (type === 'ColumnRef') {
        const parts = nameList(f.fields);
        if (parts.length > 1) {
          if (level.items.some((it) => it.alias === parts[parts.length - 2])) out.add(parts[parts.length - 2]);
        } else {
          const owner = level.items.find((it) => itemHasColumn(it, parts[0]));
          if (owner) out.add(owner.alias);
        }
      }
      return undefined;
    });
    return out;
  }

  /**
   * DeferredErrorIfUnsupportedRecurringTuplesJoin, for an inner join (DeferredErrorIfUnsupportedLateralSubquery): a
   * LATERAL subquery over distributed tables that reads a column of a recurring FROM item beside it (a reference table, a
   * table function, VALUES) may not need a merge step (DeferErrorIfSubqueryRequiresMerge: LIMIT, GROUP BY without the
   * distribution column, an aggregate without GROUP BY, ...). Correlated, it cannot be planned on its own: the refusal is
   * final (checked on Citus 13.2.2: top-N per tenant of a reference table with `CROSS JOIN LATERAL (.. LIMIT 3)`).
   */
  private recurringLateralError(level: QueryLevel): PlanFailure | undefined {
    // (PostgreSQL pulls simple FROM subqueries up: a LATERAL subquery nested in one reads the block's items)
    const flat = this.flattened(level);
    const blockItems = flat.flatMap((l) => l.items);
    // a subquery pulled up out of a LATERAL one is LATERAL too (pull_up_simple_subquery marks its range table entries)
    const underLateral = (l: QueryLevel): boolean => {
      for (let p: QueryLevel | undefined = l; p && p !== level && flat.includes(p); p = p.parent) {
        if (p.parent?.items.some((i) => i.kind === 'subquery' && i.level === p && i.lateral)) return true;
      }
      return false;
    };
    for (const l of flat) {
      for (const it of l.items) {
        if (it.kind !== 'subquery' || !(it.lateral || underLateral(l)) || this.planned.has(it.level)) continue;
        if (!this.liveRels(it.level).some((r) => isDistributed(r.table))) continue;
        // on an outer join's nullable side it is the lateral outer join's refusal, not this one
        if (l.outerJoins.some((j) => (j.type === 'LEFT' ? j.right : j.type === 'RIGHT' ? j.left : [...j.left, ...j.right]).includes(it))) continue;
        const recurring = this.recurringItemRead(blockItems, it.level);
        if (!recurring) continue;
        const f = this.host.mergeFailureOf(it.level, this);
        if (!f) continue;
        const detail = f.citus.detail?.replace('when a subquery references a column from another query', `when a lateral subquery references a column from ${recurring}`);
        return { ...f, citus: { ...f.citus, level: 'ERROR', detail }, message: detail ? f.message.replace(f.citus.detail ?? '', detail) : f.message };
      }
    }
    return undefined;
  }

  /** The recurring FROM item of `items` a LATERAL subquery reads by a qualified column (RecurringTypeDescription), if any. */
  private recurringItemRead(items: FromItem[], sub: QueryLevel): string | undefined {
    let found: string | undefined;
    const inner = new Set<string>();
    for (const x of [sub, ...this.flattened(sub)]) for (const i of x.items) inner.add(i.alias);
    walk(sub.select, (type, f) => {
      if (found || type !== 'ColumnRef') return undefined;
      const parts = nameList(f.fields);
      if (parts.length < 2 || inner.has(parts[parts.length - 2])) return undefined;
      const x = items.find((i) => i.alias === parts[parts.length - 2]);
      if (!x) return undefined;
      found = this.recurringTypeOf(x, x.alias);
      return undefined;
    });
    return found;
  }

  /**
   * What a recurring FROM item is, as DeferredErrorIfUnsupportedLateralSubquery names it (ContainsRecurringRTE and
   * RecurringTypeDescription, with the item's alias but for VALUES and intermediate results); undefined when it reads a
   * distributed table.
   */
  private recurringTypeOf(x: FromItem, alias: string, depth = 0): string | undefined {
    const result = 'complex subqueries, CTEs or local tables';
    switch (x.kind) {
      case 'rel':
        if (this.wrapped.has(x.rel)) return result;
        return x.rel.table.kind === 'reference' ? `a reference table (${alias})` : undefined;
      case 'function':
        return `a table function (${alias})`;
      case 'values':
        return 'a VALUES clause';
      case 'cte':
        return !x.cte.level || this.planned.has(x.cte.level) ? result : undefined;
      case 'subquery': {
        if (this.planned.has(x.level)) return result;
        // PostgreSQL pulls a simple subquery up: a FROM-less one's columns become its expressions (no recurring
        // relation is read then), another's relations are read under their own names
        const pulled = isSimpleSubquery(x.level) && !this.setReturningOrVolatileTargets(x.level);
        if (!x.level.items.length && !x.level.setOp) return pulled ? undefined : `a subquery without FROM (${alias})`;
        if (depth > 8 || this.liveRels(x.level).some((r) => isDistributed(r.table))) return undefined;
        for (const inner of x.level.items) {
          const t = this.recurringTypeOf(inner, pulled ? inner.alias : alias, depth + 1);
          if (t) return t;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** is_simple_subquery's target list checks: a set-returning or volatile function keeps the subquery (an unknown function does not). */
  private setReturningOrVolatileTargets(l: QueryLevel): boolean {
    let found = false;
    walk(l.select.targetList, (type, f) => {
      if (found || type === 'SubLink') return false;
      if (type === 'FuncCall' && this.host.qm.returnsSetOf?.(f) === true) found = true;
      return undefined;
    });
    return found || this.host.volatileIn(l.select.targetList);
  }

  /** SubqueryMultiNodeTree's checks (DeferErrorIfUnsupportedSubqueryPushdown). */
  private subqueryPushdownError(level: QueryLevel): PlanFailure | undefined {
    const union = this.unionSubquery(level);
    if (union) {
      if (!this.host.unionAligned(union, this.planned)) return this.host.failure('set-operation-blocks-pushdown', { level: 'ERROR', message: MSG.unionPosition, detail: MSG.unionPositionDetail }, this.host.setOpKeywordRange(union), 'UNION');
    } else if (!this.keysEqual(this.liveRels(level))) {
      const rels = this.liveRels(level).filter((r) => isDistributed(r.table));
      const culprit = rels[rels.length - 1];
      return this.host.failure('tables-not-colocated', { level: 'ERROR', message: MSG.complexJoins }, culprit ? this.host.pos.nameRange(culprit.location) : this.host.pos.statementRange(), 'complex join');
    }
    const recurs = this.fromClauseRecurs(level);
    if (recurs) return recurs;
    const outerLateral = this.lateralOuterJoinError(level);
    if (outerLateral) return outerLateral;
    const lateral = this.recurringLateralError(level);
    if (lateral) return lateral;
    for (const l of this.liveLevels(level)) {
      if (l === level) continue;
      const f = this.host.pushdownFailureOf(l, this);
      if (f) return { ...f, citus: { ...f.citus, level: 'ERROR' } };
    }
    return undefined;
  }

  private liveLevels(level: QueryLevel): QueryLevel[] {
    const out: QueryLevel[] = [];
    const visit = (l: QueryLevel): void => {
      if (this.planned.has(l) || out.includes(l)) return;
      out.push(l);
      for (const s of this.subqueriesOf(l)) visit(s);
    };
    visit(level);
    return out;
  }

  /** DeferErrorIfFromClauseRecurs for one query level. */
  fromClauseRecursAt(level: QueryLevel): PlanFailure | undefined {
    return this.fromClauseRecurs(level, true);
  }

  /** Relations of the level's FROM clause (FROM subqueries included, sublinks not) that are still live. */
  liveFromRels(level: QueryLevel): RelOcc[] {
    const out = level.rels.filter((r) => !this.wrapped.has(r));
    for (const item of level.items) {
      const l = this.itemLevel(item);
      if (l && !this.planned.has(l)) out.push(...this.liveRels(l));
    }
    return out;
  }

  /** DeferErrorIfFromClauseRecurs: correlated sublinks over a FROM clause without distributed tables. */
  fromClauseRecurs(level: QueryLevel, only = false): PlanFailure | undefined {
    for (const l of only ? [level] : this.liveLevels(level)) {
      if (l.setOp || l.items.length === 0) continue;
      if (l.items.some((it) => this.itemHasDistributed(it))) continue;
      // (a sublink planned on its own is still one, over its intermediate result: hasSubLinks; the router planner takes
      // such a query unless something else stops it, a nextval() say, and then this check refuses it)
      const sub = l.children.find((c) => c.role === 'sublink' && ((!this.planned.has(c) && c.correlated && this.hasDistributedRel(c)) || (!only && this.planned.has(c))));
      if (!sub) continue;
      const first = l.items[0];
      // (FromClauseRecurringTupleType looks into a FROM subquery: one of no FROM clause, or over a reference table)
      const inner = first.kind === 'subquery' && !this.planned.has(first.level) && !first.level.setOp ? first.level : undefined;
      const tail =
        first.kind === 'rel' && !this.wrapped.has(first.rel)
          ? first.rel.table.kind === 'reference'
            ? 'a reference table'
            : 'a local table'
          : first.kind === 'function'
            ? 'a set returning function'
            : first.kind === 'values'
              ? 'VALUES'
              : inner && inner.items.length === 0
                ? 'a subquery without FROM'
                : inner?.items.some((it) => it.kind === 'rel' && !this.wrapped.has(it.rel) && it.rel.table.kind === 'reference')
                  ? 'a reference table'
                  : 'a CTE or subquery';
      return this.host.failure('reference-outer-join', { level: 'ERROR', message: `correlated subqueries are not supported when the FROM clause contains ${tail}` }, this.host.pos.nodeRange(sub.select), 'correlated subquery over a recurring FROM');
    }
    return undefined;
  }

  /** ErrorIfUnsupportedShardDistribution: the distributed tables of a pushed-down query are colocated. */
  private shardDistributionError(level: QueryLevel): PlanFailure | undefined {
    const rels = this.liveRels(level).filter((r) => isDistributed(r.table));
    const seen: RelOcc[] = [];
    for (const r of rels) if (!seen.some((s) => s.table === r.table)) seen.push(r);
    const first = seen[0];
    for (const r of seen.slice(1)) {
      if (r.table.colocationId !== first.table.colocationId || r.table.kind !== first.table.kind) {
        return this.host.failure('tables-not-colocated', { level: 'ERROR', message: MSG.cannotPushdown, detail: DETAIL.notColocatedPair(first.table.name, r.table.name) }, this.host.pos.nameRange(r.location), 'not colocated');
      }
    }
    return undefined;
  }

  /**
   * MultiNodeTree's join order: distributed tables join locally when colocated and equal on their
   * distribution columns; other equi-joins need repartitioning (MapMergeJob, only with
   * citus.enable_repartition_joins); no join clause at all is a Cartesian product.
   */
  private joinOrderClasses(): UnionFind {
    if (this.shared.joinOrderUf) return this.shared.joinOrderUf;
    const full = this.host.equivalence();
    const uf = new UnionFindImpl();
    const dist = (o: Origin): o is Origin & { kind: 'column' } => o.kind === 'column' && hasDistributionKey(o.rel.table) && o.rel.table.distributionColumn === o.column;
    for (const e of this.host.qm.equalities) {
      // (an equality Citus does not see is not in the statement's classes either)
      if (dist(e.a) && dist(e.b) && full.find(colKey(e.a.rel, e.a.column)) === full.find(colKey(e.b.rel, e.b.column))) uf.union(colKey(e.a.rel, e.a.column), colKey(e.b.rel, e.b.column));
    }
    return (this.shared.joinOrderUf = uf);
  }

  private joinOrderError(level: QueryLevel): PlanFailure | undefined {
    const rels = this.flattened(level)
      .flatMap((l) => l.rels)
      .filter((r) => !this.wrapped.has(r) && isDistributed(r.table));
    if (rels.length < 2) return undefined;
    // the join order reads the query's join clauses, not PostgreSQL's equivalence classes: a table joins the
    // distribution column of one already joined (LocalJoin), so a chain of such clauses, but not one through another
    // column (`e.k = r.k AND u.k = r.k` with r a reference table needs repartitioning; checked on Citus 13.2.2)
    const uf = this.joinOrderClasses();
    const local = (a: RelOcc, b: RelOcc): boolean => {
      if (a.table.colocationId !== b.table.colocationId || a.table.kind !== b.table.kind) return false;
      if (a.table.kind === 'single_shard') return true;
      return hasDistributionKey(a.table) && uf.find(colKey(a, a.table.distributionColumn!)) === uf.find(colKey(b, b.table.distributionColumn!));
    };
    // (the other clauses' pairs are read only when the local joins leave several components)
    let others: [RelOcc, RelOcc][] | undefined;
    const joined = (a: RelOcc, b: RelOcc): boolean =>
      this.host.qm.equalities.some((e) => e.a.kind === 'column' && e.b.kind === 'column' && ((e.a.rel === a && e.b.rel === b) || (e.a.rel === b && e.b.rel === a))) ||
      (others ??= this.otherJoinClausePairs(level)).some(([x, y]) => (x === a && y === b) || (x === b && y === a));
    // a repartition join hashes both sides with one type's function: its clause compares two columns of one
    // type (SinglePartitionJoinClause / DualPartitionJoinClause); an unknown type is given the benefit of the doubt
    const typeOf = (o: { rel: RelOcc; column: string }): string | undefined => {
      const t = o.rel.table.columns.find((c) => c.name === o.column)?.type;
      return t && t !== 'unknown' ? t : undefined;
    };
    const repartitionable = (a: RelOcc, b: RelOcc): boolean =>
      this.host.qm.equalities.some((e) => {
        if (e.a.kind !== 'column' || e.b.kind !== 'column' || !((e.a.rel === a && e.b.rel === b) || (e.a.rel === b && e.b.rel === a))) return false;
        const x = typeOf(e.a);
        const y = typeOf(e.b);
        return x === undefined || y === undefined || x === y;
      });
    // components of local joins, then connect them through any equi-join
    const comp = new Map<RelOcc, number>(rels.map((r, i) => [r, i]));
    const merge = (a: RelOcc, b: RelOcc): void => {
      const x = comp.get(a)!;
      const y = comp.get(b)!;
      for (const [k, v] of comp) if (v === y) comp.set(k, x);
    };
    for (const a of rels) for (const b of rels) if (a !== b && comp.get(a) !== comp.get(b) && local(a, b)) merge(a, b);
    if (new Set(comp.values()).size === 1) return undefined;
    // the components, connected further through the pairs `link` accepts
    const connect = (link: (a: RelOcc, b: RelOcc) => boolean): Map<RelOcc, number> => {
      const out = new Map(comp);
      for (const a of rels) {
        for (const b of rels) {
          if (a === b || out.get(a) === out.get(b) || !link(a, b)) continue;
          const y = out.get(b)!;
          for (const [k, v] of out) if (v === y) out.set(k, out.get(a)!);
        }
      }
      return out;
    };
    const any = connect(joined);
    const culprit = rels.find((r) => comp.get(r) !== comp.get(rels[0])) ?? rels[1];
    // a Cartesian product with a reference table is a reference join the join order takes anywhere
    // (IsSupportedReferenceJoin): a reference table joins the tree, and what is joined to it follows; only the first
    // table of the order needs no clause, so one group of tables without a reference table may stand apart (checked on
    // Citus 13.2.2: Citus' regression file multi_reference_table.sql, with repartition joins on)
    const groups = new Set(any.values());
    const references = this.flattened(level)
      .flatMap((l) => l.rels)
      .filter((r) => !this.wrapped.has(r) && r.table.kind === 'reference');
    const toReference = new Set(rels.filter((r) => references.some((ref) => joined(r, ref))).map((r) => any.get(r)));
    if (references.length && [...groups].filter((g) => !toReference.has(g)).length <= 1) groups.clear();
    if (groups.size > 1) {
      return this.host.failure('join-not-on-dist-column', { level: 'ERROR', message: MSG.cartesian, detail: MSG.cartesianDetail }, this.host.pos.nameRange(culprit.location), 'cartesian product');
    }
    // joined, but only through clauses between columns of different types: no join order exists (JoinOrderList) -
    // unless a reference table joins one side by columns of one type: the other side joins the reference table
    // without a clause (a Cartesian product with a reference table) and the pair repartitions on that column
    const refs = [...this.flattened(level).flatMap((l) => l.rels), ...this.flattened(level).flatMap((l) => l.children.filter((c) => c.role === 'sublink' && this.semiJoinMadeInner(c)).flatMap((c) => c.rels))].filter((r) => !this.wrapped.has(r) && r.table.kind === 'reference');
    const viaReference = (a: RelOcc): boolean => refs.some((r) => repartitionable(a, r));
    const typed = connect((a, b) => repartitionable(a, b) || viaReference(a) || viaReference(b));
    if (new Set(typed.values()).size > 1) {
      const rule = culprit.table.colocationId !== rels[0].table.colocationId ? 'tables-not-colocated' : 'join-not-on-dist-column';
      return this.host.failure(rule, { level: 'ERROR', message: MSG.joinEqualOperator }, this.host.pos.nameRange(culprit.location), 'join between columns of different types');
    }
    if (this.host.model.settings.get('citus.enable_repartition_joins') === 'on') {
      this.repartitionJoin = true;
      return undefined;
    }
    const rule = culprit.table.colocationId !== rels[0].table.colocationId ? 'tables-not-colocated' : 'join-not-on-dist-column';
    return this.host.failure(rule, { level: 'ERROR', message: MSG.joinRepartition, hint: MSG.joinRepartitionHint }, this.host.pos.nameRange(culprit.location), rule === 'tables-not-colocated' ? 'not colocated' : 'join not on distribution column');
  }
}

// ---- small helpers over expressions ----------------------------------------------------------------------

/**
 * Integer arithmetic on literals (`2 * 123`, `10 - 1`, `-(3)`), folded as PostgreSQL's eval_const_expressions does
 * before Citus prunes shards; only results an int4 holds (beyond, PostgreSQL raises an overflow).
 */
export function foldIntConstant(n: PgNode | undefined, depth = 0): number | undefined {
  const x = stripCast(n);
  if (!x || depth > 16) return undefined;
  const c = x.A_Const;
  if (c) return c.ival !== undefined && !c.isnull ? (c.ival.ival ?? 0) : undefined;
  const inRange = (v: number | undefined): number | undefined => (v !== undefined && v >= -(2 ** 31) && v < 2 ** 31 ? v : undefined);
  // IMMUTABLE integer functions of constants, which eval_const_expressions folds before Citus prunes
  const f = x.FuncCall;
  if (f && !f.over && !f.agg_star && !f.agg_distinct && !f.func_variadic && !f.agg_filter && !f.agg_order?.length) {
    const name = nameList(f.funcname);
    if (name.length > 2 || (name.length === 2 && name[0] !== 'pg_catalog')) return undefined;
    const fname = name[name.length - 1];
    // text functions of a string literal that return an integer (the literal is resolved as text)
    if (STRING_TO_INT[fname] && f.args?.length === 1) {
      const text = stringLiteral(f.args[0]);
      return text === undefined ? undefined : STRING_TO_INT[fname](text);
    }
    const args = (f.args ?? []).map((a: PgNode) => foldIntConstant(a, depth + 1));
    if (args.some((a: number | undefined) => a === undefined)) return undefined;
    switch (name[name.length - 1]) {
      case 'abs':
        return args.length === 1 ? inRange(Math.abs(args[0])) : undefined;
      case 'mod':
        return args.length === 2 && args[1] !== 0 ? inRange(args[0] % args[1]) : undefined;
      // the integer conversions, called as functions (`int4(5)`)
      case 'int4':
      case 'int8':
        return args.length === 1 ? inRange(args[0]) : undefined;
      case 'int2':
        return args.length === 1 && args[0] >= -32768 && args[0] < 32768 ? args[0] : undefined;
      default:
        return undefined;
    }
  }
  // COALESCE drops NULL constants and is its first argument when that is a constant; CASE WHEN true / false
  // keeps the branch a constant condition selects (eval_const_expressions)
  const co = x.CoalesceExpr;
  if (co) {
    for (const a of co.args ?? []) {
      if (stripCast(a)?.A_Const?.isnull) continue;
      return foldIntConstant(a, depth + 1);
    }
    return undefined;
  }
  const ce = x.CaseExpr;
  if (ce && !ce.arg) {
    for (const w of ce.args ?? []) {
      const cond = stripCast(w.CaseWhen?.expr)?.A_Const;
      if (cond?.boolval === undefined) return undefined;
      if (cond.boolval.boolval) return foldIntConstant(w.CaseWhen.result, depth + 1);
    }
    return ce.defresult ? foldIntConstant(ce.defresult, depth + 1) : undefined;
  }
  const mm = x.MinMaxExpr;
  if (mm) {
    const args = (mm.args ?? []).map((a: PgNode) => foldIntConstant(a, depth + 1));
    if (!args.length || args.some((a: number | undefined) => a === undefined)) return undefined;
    return mm.op === 'IS_GREATEST' ? Math.max(...args) : mm.op === 'IS_LEAST' ? Math.min(...args) : undefined;
  }
  const e = x.A_Expr;
  if (e?.kind !== 'AEXPR_OP') return undefined;
  const op = nameList(e.name).join('');
  const r = foldIntConstant(e.rexpr, depth + 1);
  if (r === undefined) return undefined;
  if (!e.lexpr) return op === '-' ? -r : op === '+' ? r : op === '@' ? inRange(Math.abs(r)) : undefined;
  const l = foldIntConstant(e.lexpr, depth + 1);
  if (l === undefined) return undefined;
  // integer division and modulo truncate toward zero, as int4div / int4mod
  const v = op === '+' ? l + r : op === '-' ? l - r : op === '*' ? l * r : op === '/' && r !== 0 ? Math.trunc(l / r) : op === '%' && r !== 0 ? l % r : undefined;
  return inRange(v);
}

/**
 * IMMUTABLE text functions and operators of literals, folded as eval_const_expressions does before Citus prunes the
 * shards of a text distribution column (`session_key = lower('ABC')`): lower / upper of ASCII text, btrim / ltrim /
 * rtrim (TRIM), substr, replace, `||`, COALESCE and CASE of constants. Undefined for anything else (concat() is
 * STABLE: not folded, every shard).
 */
export function foldTextConstant(n: PgNode | undefined, depth = 0): string | undefined {
  if (!n || depth > 16) return undefined;
  const literal = stringLiteral(n);
  if (literal !== undefined) return literal;
  const x = stripCast(n);
  const int = x?.A_Const?.ival !== undefined && !x.A_Const.isnull ? String(x.A_Const.ival.ival ?? 0) : undefined;
  if (int !== undefined) return int;
  const co = x?.CoalesceExpr;
  if (co) {
    for (const a of co.args ?? []) {
      if (stripCast(a)?.A_Const?.isnull) continue;
      return foldTextConstant(a, depth + 1);
    }
    return undefined;
  }
  const e = x?.A_Expr;
  if (e?.kind === 'AEXPR_OP' && nameList(e.name).join('') === '||' && e.lexpr) {
    const l = foldTextConstant(e.lexpr, depth + 1);
    const r = foldTextConstant(e.rexpr, depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  const f = x?.FuncCall;
  if (!f || f.over || f.agg_star || f.agg_distinct || f.func_variadic || f.agg_filter || f.agg_order?.length) return undefined;
  const name = nameList(f.funcname);
  if (name.length > 2 || (name.length === 2 && name[0] !== 'pg_catalog')) return undefined;
  const args: PgNode[] = f.args ?? [];
  const text = (i: number): string | undefined => (args[i] ? foldTextConstant(args[i], depth + 1) : undefined);
  const ascii = (v: string | undefined): string | undefined => (v !== undefined && /^[\x00-\x7f]*$/.test(v) ? v : undefined);
  const trimmed = (v: string | undefined, chars: string | undefined, start: boolean, end: boolean): string | undefined => {
    if (v === undefined || chars === undefined) return undefined;
    let a = 0;
    let b = v.length;
    while (start && a < b && chars.includes(v[a])) a++;
    while (end && b > a && chars.includes(v[b - 1])) b--;
    return v.slice(a, b);
  };
  switch (name[name.length - 1]) {
    case 'lower':
      return args.length === 1 ? ascii(text(0))?.toLowerCase() : undefined;
    case 'upper':
      return args.length === 1 ? ascii(text(0))?.toUpperCase() : undefined;
    case 'btrim':
    case 'ltrim':
    case 'rtrim': {
      if (args.length < 1 || args.length > 2) return undefined;
      const which = name[name.length - 1];
      return trimmed(text(0), args.length === 2 ? text(1) : ' ', which !== 'rtrim', which !== 'ltrim');
    }
    case 'substr':
    case 'substring': {
      const v = text(0);
      const from = args[1] ? foldIntConstant(args[1], depth + 1) : undefined;
      const count = args[2] ? foldIntConstant(args[2], depth + 1) : undefined;
      if (v === undefined || from === undefined || args.length > 3 || (args.length === 3 && (count === undefined || count < 0))) return undefined;
      // 1-based; a start before 1 eats into the count (SQL's substring semantics)
      const chars = [...v];
      const begin = Math.max(from, 1);
      const stop = count === undefined ? chars.length + 1 : Math.max(from + count, 1);
      return chars.slice(begin - 1, Math.max(stop - 1, begin - 1)).join('');
    }
    case 'replace': {
      const [v, a, b] = [text(0), text(1), text(2)];
      if (args.length !== 3 || v === undefined || a === undefined || b === undefined) return undefined;
      return a === '' ? v : v.split(a).join(b);
    }
    default:
      return undefined;
  }
}

/** Text functions of a literal that give an integer, as PostgreSQL computes them (lengths in characters or bytes). */
const STRING_TO_INT: Record<string, (s: string) => number> = {
  length: (s) => [...s].length,
  char_length: (s) => [...s].length,
  character_length: (s) => [...s].length,
  octet_length: (s) => Buffer.byteLength(s, 'utf8'),
  bit_length: (s) => Buffer.byteLength(s, 'utf8') * 8,
  ascii: (s) => s.codePointAt(0) ?? 0,
};

/** A string literal (`'abc'`, or cast to text / varchar), else undefined. */
function stringLiteral(n: PgNode | undefined): string | undefined {
  let x = n;
  while (x?.TypeCast) {
    const t = nameList(x.TypeCast.typeName?.names).pop();
    if (t !== 'text' && t !== 'varchar') return undefined;
    x = x.TypeCast.arg;
  }
  const v = x?.A_Const?.sval;
  return v === undefined || x?.A_Const?.isnull ? undefined : (v.sval ?? '');
}

/** The conjuncts of the ON clauses of the inner joins in a FROM list (not below an outer join). */
function innerJoinQuals(from: PgNode[] | undefined): PgNode[] {
  const out: PgNode[] = [];
  const visit = (n: PgNode | undefined): void => {
    const j = n?.JoinExpr;
    if (!j || j.jointype !== 'JOIN_INNER') return;
    out.push(...conjuncts(j.quals));
    visit(j.larg);
    visit(j.rarg);
  };
  for (const item of from ?? []) visit(item);
  return out;
}

/**
 * The elements of an array constant: `ARRAY[1, 2]`, or a literal `'{1,2}'::int[]` of plain elements (quoted or
 * not; its NULLs left out; no nesting); undefined for anything else.
 */
export function arrayConstantItems(n: PgNode | undefined): PgNode[] | undefined {
  const node = stripCast(n);
  if (node?.A_ArrayExpr) return node.A_ArrayExpr.elements ?? [];
  // a literal cast to an array type, or an untyped one (`= ANY ('{1,2}')` takes the column's array type)
  const cast = n?.TypeCast;
  const text = cast ? cast.arg?.A_Const?.sval?.sval : n?.A_Const?.sval?.sval;
  if (typeof text !== 'string' || (cast && !cast.typeName?.arrayBounds?.length)) return undefined;
  const m = /^\s*\{([^{}\\]*)\}\s*$/.exec(text);
  if (!m) return undefined;
  // (a NULL element matches no row: the others are the values)
  const items = m[1].split(',').map((x) => x.trim()).filter((x) => !/^null$/i.test(x)).map((x) => x.replace(/^"([\w.+-]*)"$/, '$1'));
  if (!items.length || items.some((x) => !/^[\w.+-]+$/.test(x))) return undefined;
  return items.map((x) => ({ A_Const: { sval: { sval: x } } }));
}

/** `NOT (a <> b)` as the `a = b` PostgreSQL makes of it, `NOT NOT x` as x (negate_clause()); other conjuncts as they are. */
export function negationFolded(c: PgNode, depth = 0): PgNode {
  // `(x) = true` is x (simplify_boolean_equality); `= false` / `<> true` negate it
  const eq = c.A_Expr;
  if (eq?.kind === 'AEXPR_OP' && depth <= 8) {
    const op = nameList(eq.name).join('');
    const lb = stripCast(eq.lexpr)?.A_Const?.boolval;
    const rb = stripCast(eq.rexpr)?.A_Const?.boolval;
    const other = lb !== undefined ? eq.rexpr : rb !== undefined ? eq.lexpr : undefined;
    const value = (lb ?? rb)?.boolval ?? false;
    if (other && isBooleanExpr(other) && (op === '=' || op === '<>' || op === '!=')) {
      const keep = op === '=' ? value : !value;
      return keep ? negationFolded(other, depth + 1) : negationFolded({ BoolExpr: { boolop: 'NOT_EXPR', args: [other] } }, depth + 1);
    }
  }
  const not = c.BoolExpr;
  if (not?.boolop !== 'NOT_EXPR' || not.args?.length !== 1 || depth > 8) return c;
  // NOT NOT x is x
  const inner = not.args[0].BoolExpr;
  if (inner?.boolop === 'NOT_EXPR' && inner.args?.length === 1) return negationFolded(inner.args[0], depth + 1);
  const e = not.args[0].A_Expr;
  const op = e && nameList(e.name).join('');
  if (e?.kind !== 'AEXPR_OP' || (op !== '<>' && op !== '!=')) return c;
  return { A_Expr: { ...e, name: [{ String: { sval: '=' } }] } };
}

/** A comparison, AND / OR / NOT, IS [NOT] NULL: an expression whose type is boolean whatever its operands. */
function isBooleanExpr(n: PgNode): boolean {
  const e = n.A_Expr;
  if (e) return e.kind === 'AEXPR_OP' ? ['=', '<>', '!=', '<', '>', '<=', '>='].includes(nameList(e.name).join('')) : e.kind === 'AEXPR_IN' || e.kind === 'AEXPR_OP_ANY' || e.kind === 'AEXPR_OP_ALL';
  return !!(n.BoolExpr || n.NullTest || n.BooleanTest);
}

function pinText(n: PgNode | undefined): string | undefined {
  const t = constText(n);
  if (t !== undefined) return t;
  const v = foldIntConstant(n);
  return v === undefined ? foldTextConstant(n) : String(v);
}

function constText(n: PgNode | undefined): string | undefined {
  const c = stripCast(n)?.A_Const;
  if (!c || c.isnull) return undefined;
  if (c.ival !== undefined) return String(c.ival.ival ?? 0);
  if (c.sval !== undefined) return c.sval.sval ?? '';
  if (c.fval !== undefined) return String(c.fval.fval ?? '');
  return undefined;
}

/** The values two restrictions of one column leave (constants as written; an unknown variable's value keeps the first). */
function bothRestrictions(a: { values: string[] } | 'false', b: { values: string[] } | 'false'): { values: string[] } | 'false' {
  if (a === 'false' || b === 'false') return 'false';
  if ([...a.values, ...b.values].some((v) => v.startsWith('$'))) return a;
  const values = a.values.filter((v) => b.values.includes(v));
  return values.length ? { values } : 'false';
}

/**
 * A constant-false HAVING conjunct: PostgreSQL moves a HAVING clause without aggregates, volatile functions or
 * subplans into WHERE (subquery_planner), unless the query has grouping sets; a degenerate one (no column) is
 * copied there even without GROUP BY.
 */
function falseHaving(l: QueryLevel): boolean {
  if ((l.select.groupClause ?? []).some((g: PgNode) => g.GroupingSet)) return false;
  return conjuncts(l.select.havingClause).some(isConstantFalse);
}

/** The level, pulled up into `block`, sits on the nullable side of an outer join (or in a FULL JOIN) on the way up. */
function belowNullableSide(level: QueryLevel, block: QueryLevel): boolean {
  for (let l: QueryLevel = level; l !== block && l.parent; l = l.parent) {
    const parent = l.parent;
    for (const it of nullableItems(parent)) if ((it.kind === 'subquery' && it.level === l) || (it.kind === 'cte' && it.cte.level === l)) return true;
  }
  return false;
}

export function isConstantFalse(c: PgNode): boolean {
  const b = stripCast(c)?.A_Const?.boolval;
  if (b !== undefined && !b.boolval) return true;
  const e = c.A_Expr;
  if (e?.kind !== 'AEXPR_OP') return false;
  const op = nameList(e.name).join('');
  // a comparison with NULL is NULL (the operators are strict): PostgreSQL folds `col = NULL` to a NULL qual
  if (['=', '<>', '!=', '<', '>', '<=', '>='].includes(op) && e.lexpr && (stripCast(e.lexpr)?.A_Const?.isnull || stripCast(e.rexpr)?.A_Const?.isnull)) return true;
  const l = constText(e.lexpr);
  const r = constText(e.rexpr);
  if (l === undefined || r === undefined || stripCast(e.lexpr)?.ColumnRef) return false;
  // two numbers compared (PostgreSQL folds `0 != 0`, `1 > 2`, `1.0 = 2` to false): only plain numeric literals
  const ln = numericConst(e.lexpr);
  const rn = numericConst(e.rexpr);
  const strings = stripCast(e.lexpr)?.A_Const?.sval !== undefined && stripCast(e.rexpr)?.A_Const?.sval !== undefined;
  if (op === '=') return ln !== undefined && rn !== undefined ? ln !== rn : strings && l !== r;
  if (ln === undefined || rn === undefined) return (op === '<>' || op === '!=') && strings && l === r;
  switch (op) {
    case '<>':
    case '!=':
      return ln === rn;
    case '<':
      return !(ln < rn);
    case '>':
      return !(ln > rn);
    case '<=':
      return !(ln <= rn);
    case '>=':
      return !(ln >= rn);
    default:
      return false;
  }
}

/**
 * What PostgreSQL's eval_const_expressions makes of a boolean expression of constants: true, false, null (a NULL
 * constant), or undefined when it keeps an expression. AND, OR and NOT fold as SQL's three-valued logic (an OR with a
 * TRUE arm is TRUE whatever its other arms hold, subqueries too: simplify_or_arguments); comparisons of two plain
 * numeric literals, or of two string literals with `=` / `<>`, fold to their value; one with a NULL literal is NULL.
 */
export function constantTruth(n: PgNode | undefined): boolean | null | undefined {
  const c = stripCast(n);
  if (!c) return undefined;
  if (c.A_Const) return c.A_Const.isnull ? null : c.A_Const.boolval !== undefined ? !!c.A_Const.boolval.boolval : undefined;
  const b = c.BoolExpr;
  if (b) {
    const args = ((b.args ?? []) as PgNode[]).map(constantTruth);
    if (b.boolop === 'NOT_EXPR') return args[0] === undefined || args[0] === null ? args[0] : !args[0];
    const absorbing = b.boolop === 'OR_EXPR';
    if (b.boolop !== 'OR_EXPR' && b.boolop !== 'AND_EXPR') return undefined;
    if (args.includes(absorbing)) return absorbing;
    if (args.includes(undefined)) return undefined;
    return args.includes(null) ? null : !absorbing;
  }
  const e = c.A_Expr;
  if (e?.kind !== 'AEXPR_OP' || !e.lexpr || !e.rexpr) return undefined;
  const op = nameList(e.name).join('');
  if (!['=', '<>', '!=', '<', '>', '<=', '>='].includes(op)) return undefined;
  if (stripCast(e.lexpr)?.A_Const?.isnull || stripCast(e.rexpr)?.A_Const?.isnull) return null;
  const ln = numericConst(e.lexpr);
  const rn = numericConst(e.rexpr);
  if (ln !== undefined && rn !== undefined) {
    switch (op) {
      case '=':
        return ln === rn;
      case '<':
        return ln < rn;
      case '>':
        return ln > rn;
      case '<=':
        return ln <= rn;
      case '>=':
        return ln >= rn;
      default:
        return ln !== rn;
    }
  }
  const ls = stripCast(e.lexpr)?.A_Const?.sval;
  const rs = stripCast(e.rexpr)?.A_Const?.sval;
  if (ls === undefined || rs === undefined || (op !== '=' && op !== '<>' && op !== '!=')) return undefined;
  return op === '=' ? (ls.sval ?? '') === (rs.sval ?? '') : (ls.sval ?? '') !== (rs.sval ?? '');
}

/** An integer or numeric literal (no cast) as a number, when it is exact in a double. */
function numericConst(n: PgNode): number | undefined {
  const c = n.A_Const;
  if (!c || c.isnull) return undefined;
  const text = c.ival !== undefined ? String(c.ival.ival ?? 0) : c.fval !== undefined ? String(c.fval.fval ?? '') : undefined;
  if (text === undefined) return undefined;
  const v = Number(text);
  return Number.isFinite(v) && Math.abs(v) < 2 ** 53 ? v : undefined;
}

function hasNextval(targets: unknown): boolean {
  let found = false;
  walk(targets, (type, f) => {
    if (type === 'FuncCall' && nameList(f.funcname).pop() === 'nextval') found = true;
  });
  return found;
}

function referencesColumns(c: PgNode, level: QueryLevel): boolean {
  let found = false;
  const own = new Set(level.items.map((i) => i.alias));
  walk(c, (type, f) => {
    if (type === 'ColumnRef') {
      const parts = nameList(f.fields);
      if (parts.length === 1 || own.has(parts[parts.length - 2])) found = true;
    }
    if (type === 'SubLink') {
      // the tested expression, and a correlated sublink, reference the level's columns
      if (f.testexpr && referencesColumns(f.testexpr, level)) found = true;
      walk(f.subselect, (t, g) => {
        if (t === 'ColumnRef') {
          const p = nameList(g.fields);
          if (p.length > 1 && own.has(p[p.length - 2])) found = true;
        }
      });
      return false;
    }
    return undefined;
  });
  return found;
}

function itemHasColumn(item: FromItem, name: string): boolean {
  switch (item.kind) {
    case 'rel':
      return item.rel.table.columns.some((c) => c.name === name);
    case 'subquery':
      return item.colnames.length ? item.colnames.includes(name) : item.level.targets.some((t) => t.name === name);
    case 'cte':
      return !!item.cte.level?.targets.some((t) => t.name === name);
    case 'values':
    case 'function':
      return item.colnames.includes(name);
    default:
      return false;
  }
}

/** How PostgreSQL plans a sublink: a semi-join, an anti-join, or a subplan (correlated IN, NOT IN, scalar, ...). */
export function sublinkKind(sub: QueryLevel): 'semi' | 'anti' | 'subplan' {
  const parent = sub.parent;
  if (!parent || !sub.sublink) return 'subplan';
  for (const c of conjuncts(parent.select.whereClause)) {
    const positive = c.SubLink?.subselect?.SelectStmt === sub.select;
    const negated = !positive && c.BoolExpr?.boolop === 'NOT_EXPR' && c.BoolExpr.args?.[0]?.SubLink?.subselect?.SelectStmt === sub.select;
    if (!positive && !negated) continue;
    const type = sub.sublink.type;
    if (positive && ((type === 'EXISTS_SUBLINK' && sub.correlated) || (type === 'ANY_SUBLINK' && !sub.correlated))) return 'semi';
    if (negated && type === 'EXISTS_SUBLINK' && sub.correlated) return 'anti';
    return 'subplan';
  }
  return 'subplan';
}

/**
 * A semi-join sublink whose relations join the parent's block. An `IN (SELECT ..)` becomes a semi-join with the
 * subquery, which is then pulled up only when it is simple (pull_up_subqueries(): not with GROUP BY, DISTINCT,
 * ORDER BY, LIMIT, aggregates, ...); otherwise it is planned on its own, and its constants do not reach the parent (checked on
 * Citus 13.2.2: `a.tenant_id IN (SELECT tenant_id .. WHERE tenant_id = 14 GROUP BY tenant_id)` runs on every shard). An
 * `EXISTS` drops its GROUP BY, DISTINCT, ORDER BY and a positive LIMIT first (simplify_EXISTS_query()), and is not a semi-join
 * at all with aggregates, HAVING, window functions, a set operation or an OFFSET.
 */
export function pulledUpSemiJoin(l: QueryLevel): boolean {
  if (l.role !== 'sublink' || sublinkKind(l) !== 'semi') return false;
  if (l.sublink?.type !== 'EXISTS_SUBLINK') return isSimpleSubquery(l);
  return existsJoinable(l);
}

/** A correlated `NOT EXISTS` PostgreSQL makes an anti-join of (convert_EXISTS_sublink_to_join, as for EXISTS). */
export function pulledUpAntiJoin(l: QueryLevel): boolean {
  return l.role === 'sublink' && sublinkKind(l) === 'anti' && existsJoinable(l);
}

function existsJoinable(l: QueryLevel): boolean {
  const s = l.select;
  if (l.setOp || s.havingClause || s.limitOffset || s.lockingClause?.length || s.withClause) return false;
  if (s.limitCount && !(s.limitCount.A_Const?.ival?.ival > 0)) return false;
  return isSimpleSubquery({ ...l, select: { ...s, groupClause: undefined, distinctClause: undefined, sortClause: undefined, limitCount: undefined, windowClause: undefined } });
}

/**
 * The level whose query block a clause written at `level`, between columns of the levels `a` and `b`, is a qual of: its
 * own, except the semi-join equality of an `IN (SELECT ..)` whose subquery is not pulled up (one side outside the
 * sublink), a join qual of the parent's block between its relations and the subquery's output (the subquery's own
 * constants stay in it).
 */
export function clauseLevel(level: QueryLevel, a: QueryLevel, b: QueryLevel): QueryLevel {
  const semiJoinQual = level.role === 'sublink' && !!level.parent && sublinkKind(level) === 'semi' && !pulledUpSemiJoin(level) && (!within(a, level) || !within(b, level));
  return semiJoinQual ? (level.parent as QueryLevel) : level;
}

/**
 * The equivalence-class key of a column: a relation's column, or a VALUES' or function's column in FROM (one key per
 * origin object, numbered in `others`); undefined for anything else.
 */
export function originKey(o: Origin, others: Map<Origin, string>): string | undefined {
  if (o.kind === 'column') return colKey(o.rel, o.column);
  // (an expression column of a FROM subquery is a Var of it in the level that holds it, a member like a column)
  if ((o.kind !== 'values' && o.kind !== 'function' && o.kind !== 'expr') || !o.level) return undefined;
  let k = others.get(o);
  if (!k) others.set(o, (k = `~${o.kind}${others.size}`));
  return k;
}

/** The level whose FROM clause provides a column: a relation's, or a VALUES' or function's in FROM. */
export function originLevel(o: Origin): QueryLevel | undefined {
  return o.kind === 'column' ? o.rel.level : o.kind === 'values' || o.kind === 'function' || o.kind === 'expr' ? o.level : undefined;
}

const STRICT_COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);


/** SafeToPushdownWindowFunction: every window of the level is partitioned by a live distribution column. */
function windowPartitionedByDist(l: QueryLevel, planner: SelectPlanner): boolean {
  const calls: PgNode[] = [];
  walk(l.select.targetList, (type, f) => {
    if (type === 'SubLink') return false;
    if (type === 'FuncCall' && f.over) calls.push(f);
    return undefined;
  });
  if (!calls.length) return false;
  return calls.every((c) => (c.over?.partitionClause ?? []).some((p: PgNode) => planner.isLiveDist(planner.hostOrigin(p, l))));
}

export function locationOf(n: PgNode): number {
  return firstLoc(n);
}

export { conjuncts, isSimpleSubquery };

/**
 * The values shard pruning lets one column have under one AND level of restrictions (shard_pruning.c): its equality
 * (`eq`, one value: two different ones were already found contradictory) narrows the level's pruning instance, each
 * OR node (an OR, an IN list, `= ANY (ARRAY[..])`) makes one instance per arm, a copy of the level's, and the shards of
 * the instances are united. (P OR Q) AND (R OR S) is so P OR Q OR R OR S, not intersected: "a superset of shards". An
 * OR node is its arms' values, or null when an arm does not restrict the column (that arm's instance reads every
 * shard, or the level's equality's). Undefined: every shard.
 */
export function shardPruneValues(eq: string | undefined, ors: readonly (readonly string[] | null)[]): string[] | undefined {
  if (!ors.length) return eq === undefined ? undefined : [eq];
  if (eq !== undefined) return ors.some((o) => o === null || o.includes(eq)) ? [eq] : [];
  if (ors.some((o) => o === null)) return undefined;
  const out: string[] = [];
  for (const o of ors) for (const v of o!) if (!out.includes(v)) out.push(v);
  return out;
}

/**
 * shardPruneValues over an AND level of quals that may nest AND / OR / NOT (NOT pushed down as negate_clause() does,
 * constant-false arms folded away as eval_const_expressions() does): `leaf` gives the values a qual restricts the
 * column to (one: an equality; several: an IN list), or undefined when it does not restrict it. Null: every value;
 * 'false': no row passes.
 */
export function shardPruneTree(quals: readonly PgNode[], leaf: (qual: PgNode) => string[] | undefined, depth = 0): string[] | null | 'false' {
  const eqs: string[] = [];
  const ors: (string[] | null)[] = [];
  const add = (given: PgNode): boolean => {
    const c = negationFolded(given);
    if (isConstantFalse(c)) return false;
    const b = c.BoolExpr;
    if (!b) {
      const values = leaf(c);
      if (values?.length === 1) {
        if (!eqs.includes(values[0])) eqs.push(values[0]);
      } else if (values) ors.push(values);
      return true;
    }
    const args: PgNode[] = b.args ?? [];
    if (depth > 8) return true;
    if (b.boolop === 'AND_EXPR') return args.every(add);
    if (b.boolop === 'NOT_EXPR') {
      // De Morgan: NOT (x AND y) is NOT x OR NOT y, NOT (x OR y) is NOT x AND NOT y
      const inner = args.length === 1 ? args[0].BoolExpr : undefined;
      if (!inner || inner.boolop === 'NOT_EXPR') return true;
      const negated = (inner.args ?? []).map((a: PgNode) => ({ BoolExpr: { boolop: 'NOT_EXPR', args: [a] } }));
      return add({ BoolExpr: { boolop: inner.boolop === 'AND_EXPR' ? 'OR_EXPR' : 'AND_EXPR', args: negated } });
    }
    if (b.boolop !== 'OR_EXPR') return true;
    // an OR that does not restrict the column in any arm is an unknown constraint of the level, which restricts nothing
    // (SimplifyPruningTree() folds it into its parent): `k IN (1, 2) AND (x = 1 OR x = 2)` reads two shards
    if (!restricts(c, leaf, depth)) return true;
    const arms = args.map((a) => shardPruneTree([a], leaf, depth + 1)).filter((a) => a !== 'false');
    if (!arms.length) return false;
    if (arms.includes(null)) ors.push(null);
    else {
      const union: string[] = [];
      for (const a of arms as string[][]) for (const v of a) if (!union.includes(v)) union.push(v);
      ors.push(union);
    }
    return true;
  };
  for (const q of quals) if (!add(q)) return 'false';
  if (eqs.length > 1) return [];
  const values = shardPruneValues(eqs[0], ors);
  return values ?? null;
}

/** Whether a leaf of the AND / OR / NOT tree restricts the column (directly or once a NOT is pushed down). */
function restricts(c: PgNode, leaf: (qual: PgNode) => string[] | undefined, depth: number): boolean {
  if (depth > 8) return false;
  const b = c.BoolExpr;
  if (!b) return leaf(negationFolded(c)) !== undefined || leaf(negationFolded({ BoolExpr: { boolop: 'NOT_EXPR', args: [c] } })) !== undefined;
  return (b.args ?? []).some((a: PgNode) => restricts(a, leaf, depth + 1));
}
