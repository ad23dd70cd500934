/**
 * partition-bound-refused: a partition bound PostgreSQL refuses (check_new_partition_bound): it overlaps another
 * partition of the parent, an empty range, a second DEFAULT partition. The schema model applies the DDL and reports it
 * (src/core/schema/ddl.ts); docs/rules/partition-bound-refused.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'partition-bound-refused',
  summary: 'A partition bound PostgreSQL refuses: it overlaps another partition, an empty range, a second DEFAULT partition.',
  defaultSeverity: 'error',
  fixable: false,
});
