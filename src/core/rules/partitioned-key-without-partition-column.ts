/**
 * partitioned-key-without-partition-column: a PRIMARY KEY or UNIQUE key of a partitioned table that lacks a column of
 * its partition key (PostgreSQL's DefineIndex refuses it). The schema model applies the DDL and reports it
 * (src/core/schema/ddl.ts); docs/rules/partitioned-key-without-partition-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'partitioned-key-without-partition-column',
  summary: 'A PRIMARY KEY or UNIQUE key of a partitioned table without every partition key column: PostgreSQL refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
