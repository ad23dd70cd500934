/**
 * missing-from-entry: A qualifier that names no visible FROM item (a table referenced by name after it got an alias, or not in FROM).
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/missing-from-entry.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'missing-from-entry',
  summary: 'A qualifier that names no visible FROM item (a table referenced by name after it got an alias, or not in FROM).',
  defaultSeverity: 'error',
  fixable: false,
});
