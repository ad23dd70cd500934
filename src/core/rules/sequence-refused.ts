/**
 * sequence-refused: ALTER SEQUENCE of a sequence a distributed or reference table draws from, and CREATE SEQUENCE ..
 * OWNED BY a Citus table, which Citus refuses. Found while the schema model applies the DDL (src/core/schema/ddl.ts);
 * docs/rules/sequence-refused.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'sequence-refused',
  summary: 'ALTER SEQUENCE of a sequence a distributed or reference table draws from (serial, identity, nextval), or CREATE SEQUENCE .. OWNED BY a Citus table: Citus refuses both.',
  defaultSeverity: 'error',
  fixable: false,
});
