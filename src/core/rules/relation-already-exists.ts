/**
 * relation-already-exists: a CREATE TABLE of a table the same file created earlier (PostgreSQL refuses it, and the first
 * definition stays). The schema model applies the DDL and reports it (src/core/schema/ddl.ts);
 * docs/rules/relation-already-exists.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'relation-already-exists',
  summary: 'CREATE TABLE of a table the file created earlier: PostgreSQL refuses it, and the first definition stays.',
  defaultSeverity: 'error',
  fixable: false,
});
