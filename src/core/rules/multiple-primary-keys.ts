/**
 * multiple-primary-keys: a second PRIMARY KEY for a table that has one (index_check_primary_key for ALTER TABLE,
 * transformIndexConstraint for CREATE TABLE). The schema model applies the DDL and reports it (src/core/schema/ddl.ts);
 * docs/rules/multiple-primary-keys.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'multiple-primary-keys',
  summary: 'A second PRIMARY KEY for a table that has one: PostgreSQL refuses it (drop the old key first).',
  defaultSeverity: 'error',
  fixable: false,
});
