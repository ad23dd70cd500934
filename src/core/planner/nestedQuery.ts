/**
 * A user function whose body queries a Citus table, called where Citus runs it on a shard: the query it runs there is
 * a distributed query from a query on a shard, which Citus refuses (`cannot execute a distributed query from a query
 * on a shard`, unless citus.allow_nested_distributed_execution is on). Checked on Citus 13.2.2: a PL/pgSQL or SQL
 * function reading a reference or distributed table, in the target list or WHERE of a multi-shard or router SELECT
 * over a distributed table, in the SELECT of an INSERT..SELECT (pushed down or repartitioned), fails on the worker for
 * the first row it is called on; over reference tables only it runs (on the coordinator's placement).
 * Whether it is called depends on the rows: a warning, the plan stands (rule nested-distributed-query).
 *
 * Looked at: a SELECT's or an INSERT..SELECT's own query level when it reads a hash-distributed table (its WHERE, and
 * its target list's calls that read no aggregate or window, unless aggregates without GROUP BY make the target list the
 * coordinator's; its HAVING when it groups by the distribution column), whatever the arguments (constants too: checked,
 * router and multi-shard). Not subqueries, CTEs, UPDATE / DELETE (Citus refuses a function that is not IMMUTABLE there
 * first), nor functions whose body builds its query text.
 */
import { functionName, nameList, walk, type PgNode } from '../parse/ast';
import { AGGREGATES } from '../schema/functions';
import { functionReads } from '../schema/functionReads';
import { displayName, isCitusTable, type SchemaModel, type TableModel } from '../schema/model';
import type { PlannerFinding } from '../rules/rule';
import { MSG } from './messages';
import type { StatementPositions } from './text';

export interface NestedCall {
  call: PgNode;
  fn: string;
  table: TableModel;
}

/** The first such call of a statement, or undefined. */
export function nestedDistributedCall(ast: PgNode | undefined, model: SchemaModel, searchPath: readonly string[]): NestedCall | undefined {
  if (!ast || !model.functionDefinitions.size) return undefined;
  // (a hash-distributed table: a query of reference tables only runs on the coordinator's placement, where the nested
  // query is allowed; checked on Citus 13.2.2)
  const shardTable = (rv: PgNode | undefined): boolean => (rv ? model.resolve(rv.schemaname, rv.relname, searchPath)?.kind === 'hash' : false);
  const select: PgNode | undefined = ast.SelectStmt ?? ast.InsertStmt?.selectStmt?.SelectStmt;
  if (!select || (select.op && select.op !== 'SETOP_NONE') || select.valuesLists) return undefined;
  const tables: PgNode[] = [];
  const fromTables = (n: PgNode | undefined): void => {
    if (n?.RangeVar) tables.push(n.RangeVar);
    else if (n?.JoinExpr) {
      fromTables(n.JoinExpr.larg);
      fromTables(n.JoinExpr.rarg);
    }
  };
  for (const item of select.fromClause ?? []) fromTables(item);
  if (!tables.some(shardTable)) return undefined;
  // (the target list is computed on the shards, but for what reads an aggregate or a window, with GROUP BY, HAVING,
  // DISTINCT or a window too: checked on Citus 13.2.2, grouped or partitioned by the distribution column or not;
  // aggregates without GROUP BY make it the coordinator's)
  const coordinatorTargets = !select.groupClause?.length && containsAggregate(select.targetList);
  const where = firstCall([select.whereClause], model, searchPath);
  const targets = where ?? (coordinatorTargets ? undefined : firstCall([select.targetList], model, searchPath, true));
  // HAVING goes to the shards with a GROUP BY of the distribution column (the groups are whole there); otherwise the
  // coordinator applies it to the merged groups (checked on Citus 13.2.2, both)
  return targets ?? (select.havingClause && groupsByDistributionColumn(select, tables, model, searchPath) ? firstCall([select.havingClause], model, searchPath, true) : undefined);
}

/** A GROUP BY item that is the distribution column of a hash-distributed table of the level (by alias, or the only one). */
function groupsByDistributionColumn(select: PgNode, tables: PgNode[], model: SchemaModel, searchPath: readonly string[]): boolean {
  const hashed = tables.map((rv) => ({ rv, t: model.resolve(rv.schemaname, rv.relname, searchPath) })).filter((x) => x.t?.kind === 'hash');
  return (select.groupClause ?? []).some((g: PgNode) => {
    const parts = nameList(g.ColumnRef?.fields);
    if (parts.length === 1) return hashed.length === 1 && hashed[0].t!.distributionColumn === parts[0];
    if (parts.length !== 2) return false;
    const x = hashed.find((h) => (h.rv.alias?.aliasname ?? h.rv.relname) === parts[0]);
    return !!x && x.t!.distributionColumn === parts[1];
  });
}

function firstCall(clauses: unknown[], model: SchemaModel, searchPath: readonly string[], noAggregateArguments = false): NestedCall | undefined {
  let found: NestedCall | undefined;
  walk(clauses, (type, f, wrapper) => {
    if (found) return false;
    if (type === 'SubLink') return false;
    if (type !== 'FuncCall') return undefined;
    const reads = functionReads(model.functionDefinitions.get(functionName(f).toLowerCase())?.body);
    if (!reads?.length) return undefined;
    if (noAggregateArguments && containsAggregate(f.args, true)) return undefined;
    for (const r of reads) {
      const t = model.resolve(r.schema, r.name, searchPath);
      if (t && isCitusTable(t) && t.kind !== 'citus_local') {
        found = { call: wrapper, fn: functionName(f), table: t };
        return false;
      }
    }
    return undefined;
  });
  return found;
}

/** An aggregate call (a window call when `windows`), not inside a subquery. */
function containsAggregate(n: unknown, windows = false): boolean {
  let yes = false;
  walk(n, (type, f) => {
    if (yes || type === 'SubLink') return false;
    if (type === 'FuncCall' && ((windows && f.over) || (!f.over && (f.agg_star || f.agg_distinct || f.agg_within_group || f.agg_filter || AGGREGATES.has(functionName(f).toLowerCase()))))) yes = true;
    return undefined;
  });
  return yes;
}

/** The warning of a nested call (rule nested-distributed-query), at the call. */
export function nestedCallFinding(n: NestedCall, pos: StatementPositions): PlannerFinding & { synthetic: true } {
  return {
    rule: 'nested-distributed-query',
    citus: { level: 'ERROR', message: MSG.nestedDistributedQuery },
    range: pos.nodeRange(n.call),
    summary: 'function queries a Citus table on the shards',
    message: `${n.fn}() queries ${displayName(n.table)}, a Citus table, and Citus runs this call on the shards: there it is a distributed query from a query on a shard, and the statement fails for the first row that calls it (${MSG.nestedDistributedQuery}). Join ${displayName(n.table)} in the statement instead, or compute the value in a CTE first`,
    explanation: NESTED_EXPLANATION,
    severity: 'warning',
    synthetic: true,
  };
}

const NESTED_EXPLANATION =
  "Citus sends this part of the statement to the shards, and the function runs there, once per row. Its body queries a Citus table, which on a worker is a distributed query of its own inside the shard's query: Citus refuses it (cannot execute a distributed query from a query on a shard), because its results could be wrong, unless citus.allow_nested_distributed_execution is on. Whether it fails depends on the rows (a run that calls the function on no row succeeds): a warning. Join the table the function reads in the statement itself (a reference table joins on any column), or compute the values in a CTE first.";
