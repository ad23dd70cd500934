/**
 * removed-citus-function: A call of a function older Citus versions had and Citus 13 no longer has (master_create_distributed_table, ...).
 * PostgreSQL's `function ... does not exist`, found offline by the semantic layer (src/core/semantic/citusRemoved.ts);
 * docs/rules/removed-citus-function.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'removed-citus-function',
  summary: 'A call of a function older Citus versions had and Citus 13 no longer has (master_create_distributed_table, ...).',
  defaultSeverity: 'error',
  fixable: false,
});
