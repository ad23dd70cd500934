/**
 * insert-type-mismatch: A SELECT or VALUES expression whose type has no assignment cast to its INSERT / UPDATE target column (often two expressions in the wrong order).
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/insert-type-mismatch.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'insert-type-mismatch',
  summary: 'A SELECT or VALUES expression whose type has no assignment cast to its INSERT / UPDATE target column (often two expressions in the wrong order).',
  defaultSeverity: 'error',
  fixable: false,
});
