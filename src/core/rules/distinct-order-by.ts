/**
 * distinct-order-by: ORDER BY that SELECT DISTINCT or DISTINCT ON cannot take. PostgreSQL's own check, made offline
 * by the semantic layer (src/core/semantic/); docs/rules/distinct-order-by.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'distinct-order-by',
  summary: 'ORDER BY that SELECT DISTINCT or DISTINCT ON cannot take: an expression not in the select list, or DISTINCT ON not leading it, or an aggregate with DISTINCT ordered by what it does not aggregate.',
  defaultSeverity: 'error',
  fixable: false,
});
