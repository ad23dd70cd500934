/**
 * misplaced-window-function: A window function in WHERE, GROUP BY, HAVING or another window function, or a window function without OVER.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/misplaced-window-function.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'misplaced-window-function',
  summary: 'A window function in WHERE, GROUP BY, HAVING or another window function, or a window function without OVER.',
  defaultSeverity: 'error',
  fixable: false,
});
