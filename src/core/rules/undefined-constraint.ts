/**
 * undefined-constraint: ALTER TABLE .. DROP / VALIDATE / ALTER CONSTRAINT or RENAME CONSTRAINT of a name the table
 * has no constraint of (ATExecDropConstraint, rename_constraint_internal), for tables whose every constraint name the
 * model knows (src/core/schema/keyNames.ts). The schema model reports it (src/core/schema/ddl.ts);
 * docs/rules/undefined-constraint.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'undefined-constraint',
  summary: 'ALTER TABLE names a constraint the table does not have (DROP CONSTRAINT with a wrong name): PostgreSQL refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
