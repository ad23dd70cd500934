/**
 * trigger-refused: CREATE TRIGGER on a distributed or reference table, and create_distributed_table /
 * create_reference_table of a table with triggers, which Citus refuses unless citus.enable_unsafe_triggers is on. Found
 * while the schema model applies the DDL (src/core/schema/ddl.ts); docs/rules/trigger-refused.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'trigger-refused',
  summary: 'CREATE TRIGGER (or ENABLE / DISABLE TRIGGER) on a distributed or reference table, which Citus refuses (unless citus.enable_unsafe_triggers is on).',
  defaultSeverity: 'error',
  fixable: false,
});
