/**
 * ungrouped-column: A column outside an aggregate that GROUP BY does not cover.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/ungrouped-column.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'ungrouped-column',
  summary: 'A column outside an aggregate that GROUP BY does not cover.',
  defaultSeverity: 'error',
  fixable: false,
});
