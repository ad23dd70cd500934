/**
 * constraint-already-exists: ALTER TABLE .. ADD CONSTRAINT name CHECK / FOREIGN KEY under a name the table's
 * constraints already have. PostgreSQL's own error, found while the schema model applies the DDL
 * (src/core/schema/ddl.ts, duplicateConstraint); docs/rules/constraint-already-exists.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'constraint-already-exists',
  summary: 'ALTER TABLE .. ADD CONSTRAINT name CHECK / FOREIGN KEY, or RENAME CONSTRAINT .. TO name, under a name the table already has a constraint of.',
  defaultSeverity: 'error',
  fixable: false,
});
