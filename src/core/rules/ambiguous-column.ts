/**
 * ambiguous-column: An unqualified column that more than one table in scope has.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/ambiguous-column.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'ambiguous-column',
  summary: 'An unqualified column that more than one table in scope has.',
  defaultSeverity: 'error',
  fixable: false,
});
