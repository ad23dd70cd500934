/**
 * The labels of the generated ground truth, read from what the cluster printed, by the rules of the
 * shared corpus (test/fixtures/citus-corpus/README.md): `method` for INSERT..SELECT, `outcome` for the
 * other DML. Pure functions; test/core/groundtruth-label.test.ts checks that they give every record of
 * the shared corpus the label it has there.
 */
import type { Method } from '../../src/core/types';
import type { Outcome } from '../../src/core/planner/dml';
import { dmlOutcomeOfPlan, textTaskCount } from '../../src/db/plan';

export interface RecordedError {
  message: string;
  detail?: string;
  hint?: string;
  sqlstate?: string;
}

export interface Recorded {
  /** EXPLAIN (COSTS OFF) text, or undefined when EXPLAIN failed */
  explain?: string;
  /** top-level Task Count from EXPLAIN (FORMAT JSON), when the top node is a Citus scan */
  taskCount?: number;
  explainError?: RecordedError;
  execError?: RecordedError;
}

/**
 * The `Task Count` of the distributed scan of a plan in EXPLAIN (FORMAT JSON) output: the first Citus
 * custom scan, which is the top node of a modification and may sit under coordinator nodes (Sort,
 * Aggregate, Limit, ...) in a SELECT; never one of a distributed subplan.
 */
export function topTaskCount(json: unknown): number | undefined {
  const top = (Array.isArray(json) ? json[0] : json) as { Plan?: Record<string, unknown> } | undefined;
  const find = (plan: Record<string, unknown> | undefined, depth: number): number | undefined => {
    if (!plan || depth > 32) return undefined;
    const job = (plan['Distributed Query'] as { Job?: { 'Task Count'?: number } } | undefined)?.Job;
    if (typeof job?.['Task Count'] === 'number') return job['Task Count'];
    for (const child of (plan.Plans as Record<string, unknown>[] | undefined) ?? []) {
      const n = find(child, depth + 1);
      if (n !== undefined) return n;
    }
    return undefined;
  };
  return find(top?.Plan, 0);
}

export { textTaskCount };

const DUPLICATE_KEY = /duplicate key value violates unique constraint/;
/**
 * PostgreSQL's constraint checks on the rows (class 23), which Citus passes on from the shards as XX000
 * (internal error) at times: NOT NULL, CHECK, partition bounds, foreign keys
 */
const ROW_CONSTRAINT = /violates (not-null|check|partition|foreign key|exclusion|unique) constraint|^no partition of relation .* found for row/;
/** two rows of the SELECT with the same key (SQLSTATE 21000) */
const SECOND_TIME = /command cannot affect row a second time/;
/** Citus' per-row checks of the distribution value (multi_copy.c, partitioned_intermediate_results.c) */
const NULL_PARTITION_VALUE = /^the partition column (of table \S+ cannot be NULL|value cannot be NULL)$/;

/**
 * Whether an execution error depends on the rows the statement met (not on the statement): unique or
 * NOT NULL violations and other SQLSTATE class 23 errors, ON CONFLICT DO UPDATE meeting the same key
 * twice (21000), and a NULL that reaches the distribution column
 * from the data. `structuralNull` marks a statement whose distribution value is NULL by construction
 * (the literal NULL): then every row fails, whatever the data.
 */
export function isDataDependent(e: RecordedError, structuralNull = false): boolean {
  if (DUPLICATE_KEY.test(e.message) || SECOND_TIME.test(e.message) || ROW_CONSTRAINT.test(e.message)) return true;
  if (e.sqlstate?.startsWith('23')) return true;
  if (NULL_PARTITION_VALUE.test(e.message)) return !structuralNull;
  return false;
}

/** The plan's method, from the EXPLAIN text alone (the README's rules, in their order). */
export function planMethod(explain: string): Method {
  if (!/Custom Scan \(Citus /.test(explain)) return 'not_applicable';
  if (/INSERT\/SELECT method: pull to coordinator/.test(explain)) return 'pull_to_coordinator';
  if (/INSERT\/SELECT method: repartition/.test(explain)) return 'repartition';
  // a local (non-Citus) target: PostgreSQL's Insert above the distributed SELECT
  if (/^Insert on /.test(explain)) return 'pull_to_coordinator';
  return 'router';
}

export function labelInsertSelect(r: Recorded, structuralNull = false): { method: Method; planMethod?: Method; dataDependentError?: RecordedError } {
  if (r.explainError || r.explain === undefined) return { method: 'error' };
  let plan = planMethod(r.explain);
  if (plan === 'router') {
    const tasks = r.taskCount ?? textTaskCount(r.explain);
    plan = tasks !== undefined && tasks > 1 ? 'pushdown' : 'router';
  }
  if (r.execError) {
    if (isDataDependent(r.execError, structuralNull)) return { method: plan, planMethod: plan, dataDependentError: r.execError };
    return { method: 'error', planMethod: plan };
  }
  return { method: plan, planMethod: plan };
}

/**
 * The DML corpus' outcome labels (README "DML corpus"): error, local, coordinator, single_shard,
 * multi_shard. A router plan with `Task Count: 0` (every shard pruned away) is a single-shard outcome,
 * as the INSERT..SELECT labels count it as a router plan.
 */
export function labelDml(r: Recorded): { outcome: Outcome; dataDependentError?: RecordedError } {
  if (r.explainError || r.explain === undefined) return { outcome: 'error' };
  if (r.execError) {
    // duplicate keys, rows the MERGE source matches twice, and a NULL the source's rows bring to the
    // distribution column (a MERGE that inserts a nullable source column) depend on the data
    if (DUPLICATE_KEY.test(r.execError.message) || r.execError.sqlstate === '23505' || SECOND_TIME.test(r.execError.message) || NULL_PARTITION_VALUE.test(r.execError.message)) return { ...labelDmlPlan(r), dataDependentError: r.execError };
    return { outcome: 'error' };
  }
  return labelDmlPlan(r);
}

function labelDmlPlan(r: Recorded): { outcome: Outcome } {
  // (the same reading as `citus-rollups explain` and the extension's EXPLAIN view)
  return { outcome: dmlOutcomeOfPlan(r.explain ?? '', r.taskCount) };
}
