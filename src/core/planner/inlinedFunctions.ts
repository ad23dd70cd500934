/**
 * A set-returning LANGUAGE SQL function in FROM that PostgreSQL inlines (inline_set_returning_function: not VOLATILE,
 * not STRICT, not SECURITY DEFINER, no SET clause, a body of one SELECT, no WITH ORDINALITY) and whose body reads a
 * Citus table. Citus decides how to plan the statement before standard_planner inlines the function; the Citus table
 * that appears then is one Citus cannot plan, and it refuses the statement (distributed_planner.c): `cannot perform
 * distributed planning on this query because parameterized queries for SQL functions referencing distributed tables
 * are not supported`. Checked on Citus 13.2.2 (probe user-functions-and-types.sql and the rule's tests): with
 * parameters and without, over a reference table too, in a subquery, a CTE, a LATERAL join, an INSERT..SELECT, beside a
 * distributed table; a VOLATILE, STRICT, SECURITY DEFINER or SET function runs (it is executed, not inlined), and so
 * does one over plain tables, one called in the target list, one WITH ORDINALITY.
 */
import { nameList, walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import { functionReads } from '../schema/functionReads';
import { displayName, isCitusTable, type SchemaModel } from '../schema/model';
import type { PlannerFinding } from '../rules/rule';
import type { CitusMessage } from '../types';

export const INLINED_FUNCTION_MESSAGE = 'cannot perform distributed planning on this query because parameterized queries for SQL functions referencing distributed tables are not supported';

/** The finding for the statement's first such call, or undefined. */
export function inlinedCitusFunction(stmt: ParsedStatement, model: SchemaModel, searchPath: readonly string[]): PlannerFinding | undefined {
  if (!stmt.ast || !model.functionDefinitions.size) return undefined;
  let any = false;
  for (const d of model.functionDefinitions.values()) if (d.inlinedInFrom) any = true;
  if (!any) return undefined;
  // (a CTE no one reads is not planned: its calls are not inlined)
  const read = new Set<string>();
  walk(stmt.ast, (type, f) => {
    if (type === 'RangeVar' && !f.schemaname) read.add(String(f.relname).toLowerCase());
    return undefined;
  });
  let found: { call: PgNode; fn: string; table: string } | undefined;
  walk(stmt.ast, (type, f) => {
    if (found) return false;
    if (type === 'CommonTableExpr' && !read.has(String(f.ctename).toLowerCase())) return false;
    if (type !== 'RangeFunction' || f.ordinality || f.is_rowsfrom || (f.functions ?? []).length !== 1) return undefined;
    const call = f.functions[0]?.List?.items?.[0]?.FuncCall;
    const names = nameList(call?.funcname);
    const fn = names[names.length - 1]?.toLowerCase();
    const def = fn ? model.functionDefinitions.get(fn) : undefined;
    if (!call || !def?.inlinedInFrom || def.overloaded || call.agg_star || call.func_variadic) return undefined;
    for (const r of functionReads(def.body) ?? []) {
      const t = model.resolve(r.schema, r.name, searchPath);
      if (t && isCitusTable(t)) {
        found = { call, fn: names.join('.'), table: displayName(t) };
        break;
      }
    }
    return undefined;
  });
  if (!found) return undefined;
  const start = stmt.toDocumentOffset(found.call.location ?? 0);
  const citus: CitusMessage = { level: 'ERROR', message: INLINED_FUNCTION_MESSAGE, hint: 'Consider using PL/pgSQL functions instead.' };
  return {
    rule: 'subquery-blocks-pushdown',
    citus,
    range: { start, end: start + found.fn.length },
    summary: 'SQL function over a Citus table in FROM',
    message: `Citus refuses this statement: PostgreSQL inlines the SQL function ${found.fn}, which reads ${found.table}, after Citus planned the statement (${INLINED_FUNCTION_MESSAGE}).`,
    explanation:
      'PostgreSQL replaces a set-returning LANGUAGE SQL function in FROM by its query (it inlines a function that is STABLE or IMMUTABLE, not STRICT, not SECURITY DEFINER and without SET clauses) only after Citus has decided how to plan the statement, and Citus refuses the Citus table that appears then (checked on Citus 13.2.2). ' +
      'Write the function in PL/pgSQL, declare it VOLATILE, or write its query in the statement itself (a subquery or a view).',
  };
}
