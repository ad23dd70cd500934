/**
 * misplaced-set-returning-function: A set-returning function (generate_series, unnest, ...) in WHERE, JOIN ... ON,
 * HAVING, LIMIT, an UPDATE value, or inside an aggregate or window function. PostgreSQL's own check, made offline by
 * the semantic layer (src/core/semantic/); docs/rules/misplaced-set-returning-function.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'misplaced-set-returning-function',
  summary: 'A set-returning function (generate_series, unnest, ...) in WHERE, JOIN ... ON, HAVING, LIMIT, SET, CASE, COALESCE, a boolean operand, or inside an aggregate.',
  defaultSeverity: 'error',
  fixable: false,
});
