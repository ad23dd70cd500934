/**
 * SEARCH and CYCLE clauses of a recursive CTE, in a statement that reads a Citus table (a distributed, reference,
 * single-shard or citus-local table, in the CTE or anywhere else). Checked on Citus 13.2.2:
 * - SEARCH: the router planner never takes the statement, and the recursive planner refuses recursive CTEs
 *   (RecursivelyPlanCTEs): `recursive CTEs are only supported when they contain a filter on the distribution column`,
 *   even for a reference table, a CTE over plain tables joined to a Citus table, and a CTE nothing reads;
 * - CYCLE: a statement the router planner takes is sent to the shard with the CTE deparsed so that the shard refuses
 *   it: `column reference "<cycle mark column>" is ambiguous`; one it does not take meets the recursive planner's error.
 * Recursive CTEs over plain tables only, with either clause, run on the coordinator as in PostgreSQL.
 */
import { walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import { isCitusTable, type SchemaModel } from '../schema/model';
import type { PlannerFinding } from '../rules/rule';
import type { CitusMessage } from '../types';

const SEARCH_OR_CYCLE = /\b(?:search|cycle)\b/i;

export const RECURSIVE_CTE_MESSAGE = 'recursive CTEs are only supported when they contain a filter on the distribution column';

/**
 * The finding for a SEARCH or CYCLE clause of the statement's first such CTE, when the statement reads a Citus table;
 * `router`: the statement would otherwise be one router task (its CTE goes to a shard as it is).
 */
export function searchCycleFinding(stmt: ParsedStatement, model: SchemaModel, searchPath: readonly string[], router: boolean): PlannerFinding | undefined {
  // (the clauses are keywords of the statement's own text: most statements need no walk)
  if (!SEARCH_OR_CYCLE.test(stmt.text)) return undefined;
  let clause: { kind: 'search' | 'cycle'; node: PgNode; cte: string } | undefined;
  let citus = false;
  walk(stmt.ast, (type, f) => {
    if (type === 'CommonTableExpr' && !clause) {
      const search = f.search_clause?.CTESearchClause ?? f.search_clause;
      const cycle = f.cycle_clause?.CTECycleClause ?? f.cycle_clause;
      if (search) clause = { kind: 'search', node: search, cte: f.ctename };
      else if (cycle) clause = { kind: 'cycle', node: cycle, cte: f.ctename };
    } else if (type === 'RangeVar' && !citus) {
      const t = model.resolve(f.schemaname, f.relname, searchPath);
      if (t && isCitusTable(t)) citus = true;
    }
    return undefined;
  });
  if (!clause || !citus) return undefined;
  const start = stmt.toDocumentOffset(clause.node.location ?? 0);
  const range = { start, end: start + (clause.kind === 'search' ? 6 : 5) };
  if (clause.kind === 'cycle' && router) {
    const mark = String(clause.node.cycle_mark_column ?? '');
    const citusMessage: CitusMessage = { level: 'ERROR', message: `column reference "${mark}" is ambiguous` };
    return {
      rule: 'subquery-blocks-pushdown',
      citus: citusMessage,
      range,
      summary: 'CYCLE clause on a Citus table',
      message: `The CYCLE clause of recursive CTE ${clause.cte} fails on the shard: ${citusMessage.message}.`,
      explanation:
        'Citus sends this statement to one shard as a single task, and the query it sends for the shard repeats the CYCLE clause in a form the shard refuses (checked on Citus 13.2.2). ' +
        'Compute the cycle check yourself (an array of the visited keys and `<> ALL`), or run the recursive CTE over a plain table.',
    };
  }
  const citusMessage: CitusMessage = { level: 'ERROR', message: RECURSIVE_CTE_MESSAGE };
  return {
    rule: 'subquery-blocks-pushdown',
    citus: citusMessage,
    range,
    summary: `${clause.kind === 'search' ? 'SEARCH' : 'CYCLE'} clause with Citus tables`,
    message: `Citus refuses the recursive CTE ${clause.cte} with its ${clause.kind === 'search' ? 'SEARCH' : 'CYCLE'} clause: ${RECURSIVE_CTE_MESSAGE}.`,
    explanation:
      clause.kind === 'search'
        ? 'With a SEARCH clause, Citus never plans the statement as one router task, and its recursive planner does not plan recursive CTEs: the statement fails whenever it reads a Citus table, even a reference table (checked on Citus 13.2.2). Order the rows yourself (a depth or path column built in the CTE) instead of SEARCH.'
        : 'A statement Citus cannot send to one shard is planned recursively, and the recursive planner does not plan recursive CTEs (checked on Citus 13.2.2).',
  };
}
