/**
 * foreign-key-without-unique-key: a foreign key whose referenced columns are no primary or unique key of the
 * referenced table (or which names no columns of a table without a primary key, or references a DEFERRABLE key, or
 * has as many columns as its key has not): PostgreSQL refuses it (ATAddForeignKeyConstraint). The schema model reports
 * it (src/core/schema/ddl.ts, foreignKeyTargetError in src/core/schema/foreignKeys.ts);
 * docs/rules/foreign-key-without-unique-key.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'foreign-key-without-unique-key',
  summary: 'A foreign key references columns that are no primary or unique key of the referenced table: PostgreSQL refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
