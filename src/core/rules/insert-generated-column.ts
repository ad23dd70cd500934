/**
 * insert-generated-column: An INSERT or UPDATE gives a value to an identity column GENERATED ALWAYS or to a generated column.
 * PostgreSQL's own check (its rewriter), made offline by the semantic layer (src/core/semantic/);
 * docs/rules/insert-generated-column.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'insert-generated-column',
  summary: 'An INSERT or UPDATE gives a value to an identity column GENERATED ALWAYS or to a generated column.',
  defaultSeverity: 'error',
  fixable: false,
});
