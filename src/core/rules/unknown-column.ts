/**
 * unknown-column: A column (or INSERT / UPDATE target column) that no table in scope has: PostgreSQL rejects the statement.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/unknown-column.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'unknown-column',
  summary: 'A column (or INSERT / UPDATE target column) that no table in scope has: PostgreSQL rejects the statement.',
  defaultSeverity: 'error',
  fixable: false,
});
