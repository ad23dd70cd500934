/**
 * newer-postgres-syntax: syntax that the cluster's declared PostgreSQL version (15 or 16) does not have. That
 * version's own grammar decides (src/core/parse/libpg.ts); docs/rules/newer-postgres-syntax.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'newer-postgres-syntax',
  summary: "Syntax the cluster's declared PostgreSQL version (15 or 16) does not have: that version's own syntax error.",
  defaultSeverity: 'error',
  fixable: false,
});
