/**
 * datatype-mismatch: Types PostgreSQL cannot reconcile: CASE / UNION / VALUES branches, a non-boolean condition, an impossible cast, set operations of different widths.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/datatype-mismatch.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'datatype-mismatch',
  summary: 'Types PostgreSQL cannot reconcile: CASE / UNION / VALUES branches, a non-boolean condition, an impossible cast, set operations of different widths.',
  defaultSeverity: 'error',
  fixable: false,
});
