/**
 * insert-column-count: The INSERT column list and the SELECT / VALUES list have different lengths.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/insert-column-count.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'insert-column-count',
  summary: 'The INSERT column list and the SELECT / VALUES list have different lengths.',
  defaultSeverity: 'error',
  fixable: false,
});
