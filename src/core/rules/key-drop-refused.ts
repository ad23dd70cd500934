/**
 * key-drop-refused: ALTER TABLE .. DROP CONSTRAINT (or DROP INDEX) of a key a foreign key surely uses, without
 * CASCADE (`cannot drop constraint .. because other objects depend on it`), and DROP INDEX of a key constraint's index
 * (`cannot drop index .. because constraint .. requires it`): PostgreSQL refuses both. The schema model reports them
 * (src/core/schema/ddl.ts); docs/rules/key-drop-refused.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'key-drop-refused',
  summary: 'A key dropped in a way PostgreSQL refuses: while a foreign key uses it (without CASCADE), or by DROP INDEX of its constraint\'s index.',
  defaultSeverity: 'error',
  fixable: false,
});
