/**
 * foreign-key-refused: a statement Citus refuses for a foreign key (create_distributed_table or create_reference_table
 * of a table whose foreign keys Citus does not support, ALTER TABLE .. ADD FOREIGN KEY on a Citus table, the
 * conversion of plain tables to citus-local tables along foreign keys). The schema model applies the DDL and reports
 * them (src/core/schema/foreignKeys.ts); docs/rules/foreign-key-refused.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'foreign-key-refused',
  summary: 'A foreign key Citus refuses: to a plain table, between tables not colocated or not on the distribution column, from a reference table to a distributed one.',
  defaultSeverity: 'error',
  fixable: false,
});
