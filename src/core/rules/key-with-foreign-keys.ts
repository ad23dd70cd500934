/**
 * key-with-foreign-keys: ALTER TABLE .. DROP CONSTRAINT (or DROP INDEX) of a key a foreign key surely uses, without
 * CASCADE: PostgreSQL refuses it (`cannot drop constraint .. because other objects depend on it`). The schema model
 * reports it (src/core/schema/ddl.ts); docs/rules/key-with-foreign-keys.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'key-with-foreign-keys',
  summary: 'A key dropped while a foreign key uses it (without CASCADE): PostgreSQL refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
