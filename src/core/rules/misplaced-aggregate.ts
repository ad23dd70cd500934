/**
 * misplaced-aggregate: An aggregate in WHERE, JOIN ... ON, GROUP BY or VALUES, or an aggregate inside another.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/misplaced-aggregate.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'misplaced-aggregate',
  summary: 'An aggregate in WHERE, JOIN ... ON, GROUP BY or VALUES, or an aggregate inside another.',
  defaultSeverity: 'error',
  fixable: false,
});
